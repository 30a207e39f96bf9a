/* downsample.c — area (block-mean) downsampling by an integer factor, plain
 * and masked. Rows of a block are first summed column-wise into a double
 * row (a contiguous, vectorisable loop), then each run of `factor` columns is
 * summed: every input sample is read once. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter/filter.h"
#include "filter/filter_internal.h"
#include "scarscore.h"

static int overlaps(const scar__planef *a, const void *b_begin, const void *b_end)
{
    const char *ab = (const char *)a->data;
    const char *ae = (const char *)(scar__planef_row(a, a->height - 1) + a->width);
    return ab < (const char *)b_end && (const char *)b_begin < ae;
}

static int overlaps_planef(const scar__planef *a, const scar__planef *b)
{
    return overlaps(a, b->data, scar__planef_row(b, b->height - 1) + b->width);
}

static int check_common(const scar__planef *in, uint32_t factor,
                        const scar__planef *out, const char *ctx, const char *op)
{
    int st;
    if ((st = scar__filter_check_planef(in, ctx, op, "in")) != SCAR_OK ||
        (st = scar__filter_check_planef(out, ctx, op, "out")) != SCAR_OK)
        return st;
    if (factor == 0)
        return scar__fail(SCAR_E_INVALID, "%s: %s: factor is 0 (must be >= 1)",
                          SCAR__FILTER_CTX(ctx), op);
    return scar__filter_check_same_size(
        scar__downsampled_size(in->width, factor),
        scar__downsampled_size(in->height, factor), out->width, out->height,
        ctx, op, "ceil(in / factor)", "out");
}

int scar__downsample_area(const scar__planef *in, uint32_t factor,
                          scar__planef *out, const char *ctx)
{
    static const char op[] = "downsample_area";
    int st = check_common(in, factor, out, ctx, op);
    if (st != SCAR_OK)
        return st;
    const uint32_t w = in->width, h = in->height;
    if (factor == 1 && in->data == out->data && in->stride == out->stride)
        return SCAR_OK;
    if (overlaps_planef(in, out))
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s: 'in' and 'out' overlap (use separate buffers)",
                          SCAR__FILTER_CTX(ctx), op);
    double *rs = malloc((size_t)w * sizeof *rs);
    if (!rs)
        return scar__fail(SCAR_E_NOMEM,
                          "%s: %s: out of memory for a %u-sample row buffer",
                          SCAR__FILTER_CTX(ctx), op, w);
    const uint32_t ow = out->width;
    for (uint32_t oy = 0; oy < out->height; oy++) {
        uint32_t y0 = oy * factor;
        uint32_t y1 = h - y0 < factor ? h : y0 + factor;
        memset(rs, 0, (size_t)w * sizeof *rs);
        for (uint32_t y = y0; y < y1; y++) {
            const float *restrict s = scar__planef_row(in, y);
            for (uint32_t x = 0; x < w; x++)
                rs[x] += s[x];
        }
        float *o = scar__planef_row(out, oy);
        for (uint32_t ox = 0; ox < ow; ox++) {
            uint32_t x0 = ox * factor;
            uint32_t x1 = w - x0 < factor ? w : x0 + factor;
            double sum = 0.0;
            for (uint32_t x = x0; x < x1; x++)
                sum += rs[x];
            o[ox] = (float)(sum / ((double)(x1 - x0) * (double)(y1 - y0)));
        }
    }
    free(rs);
    return SCAR_OK;
}

int scar__downsample_area_masked(const scar__planef *in, const scar__mask *mask,
                                 uint32_t factor, scar__planef *out,
                                 scar__planef *valid, float fill,
                                 const char *ctx)
{
    static const char op[] = "downsample_area_masked";
    int st = check_common(in, factor, out, ctx, op);
    if (st != SCAR_OK)
        return st;
    if (mask && ((st = scar__filter_check_mask(mask, ctx, op, "mask")) != SCAR_OK ||
                 (st = scar__filter_check_same_size(in->width, in->height,
                                                    mask->width, mask->height,
                                                    ctx, op, "in", "mask")) !=
                     SCAR_OK))
        return st;
    if (valid && ((st = scar__filter_check_planef(valid, ctx, op, "valid")) !=
                      SCAR_OK ||
                  (st = scar__filter_check_same_size(out->width, out->height,
                                                     valid->width, valid->height,
                                                     ctx, op, "out", "valid")) !=
                      SCAR_OK))
        return st;
    if (overlaps_planef(in, out) || (valid && (overlaps_planef(in, valid) ||
                                               overlaps_planef(out, valid))))
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s: 'in', 'out' and 'valid' overlap (use separate "
                          "buffers)",
                          SCAR__FILTER_CTX(ctx), op);

    const uint32_t w = in->width, h = in->height;
    double *rs = malloc((size_t)w * sizeof *rs);
    uint32_t *rc = malloc((size_t)w * sizeof *rc);
    if (!rs || !rc) {
        free(rs);
        free(rc);
        return scar__fail(SCAR_E_NOMEM,
                          "%s: %s: out of memory for a %u-sample row buffer",
                          SCAR__FILTER_CTX(ctx), op, w);
    }
    const uint32_t ow = out->width;
    for (uint32_t oy = 0; oy < out->height; oy++) {
        uint32_t y0 = oy * factor;
        uint32_t y1 = h - y0 < factor ? h : y0 + factor;
        memset(rs, 0, (size_t)w * sizeof *rs);
        memset(rc, 0, (size_t)w * sizeof *rc);
        for (uint32_t y = y0; y < y1; y++) {
            const float *restrict s = scar__planef_row(in, y);
            if (!mask) {
                for (uint32_t x = 0; x < w; x++) {
                    rs[x] += s[x];
                    rc[x] += 1;
                }
                continue;
            }
            const uint8_t *restrict m = scar__mask_row(mask, y);
            for (uint32_t x = 0; x < w; x++) {
                /* A select, not a multiply: NaN outside the mask must not leak. */
                rs[x] += m[x] ? (double)s[x] : 0.0;
                rc[x] += m[x] != 0;
            }
        }
        float *o = scar__planef_row(out, oy);
        float *v = valid ? scar__planef_row(valid, oy) : NULL;
        for (uint32_t ox = 0; ox < ow; ox++) {
            uint32_t x0 = ox * factor;
            uint32_t x1 = w - x0 < factor ? w : x0 + factor;
            double sum = 0.0;
            uint64_t cnt = 0;
            for (uint32_t x = x0; x < x1; x++) {
                sum += rs[x];
                cnt += rc[x];
            }
            o[ox] = cnt ? (float)(sum / (double)cnt) : fill;
            if (v)
                v[ox] = (float)((double)cnt /
                                ((double)(x1 - x0) * (double)(y1 - y0)));
        }
    }
    free(rs);
    free(rc);
    return SCAR_OK;
}
