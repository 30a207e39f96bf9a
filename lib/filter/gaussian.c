/* gaussian.c — the Gaussian entry points: argument checks, the choice
 * between the exact kernel and the recursive filter, and normalized
 * (masked) convolution built on them. */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "filter/filter.h"
#include "filter/filter_internal.h"
#include "scarscore.h"

static int check_sigma(double sigma, const char *ctx, const char *op)
{
    if (!(sigma > 0.0) || !isfinite(sigma))
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s: sigma %g is not a positive finite number of "
                          "pixels",
                          SCAR__FILTER_CTX(ctx), op, sigma);
    return SCAR_OK;
}

/* Same buffer, or no overlap at all; partial overlap cannot be handled. */
static int check_alias(const scar__planef *in, const scar__planef *out,
                       const char *ctx, const char *op)
{
    if (in->data == out->data && in->stride == out->stride)
        return SCAR_OK;
    const char *ib = (const char *)in->data;
    const char *ie = (const char *)(scar__planef_row(in, in->height - 1) + in->width);
    const char *ob = (const char *)out->data;
    const char *oe = (const char *)(scar__planef_row(out, out->height - 1) + out->width);
    if (ib < oe && ob < ie)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s: 'in' and 'out' partly overlap (pass the same "
                          "plane, or separate buffers)",
                          SCAR__FILTER_CTX(ctx), op);
    return SCAR_OK;
}

int scar__gaussian_ex(const scar__planef *in, scar__planef *out, double sigma,
                      scar__gauss_method method, const char *ctx)
{
    static const char op[] = "gaussian";
    int st;
    if ((st = scar__filter_check_planef(in, ctx, op, "in")) != SCAR_OK ||
        (st = scar__filter_check_planef(out, ctx, op, "out")) != SCAR_OK ||
        (st = scar__filter_check_same_size(in->width, in->height, out->width,
                                           out->height, ctx, op, "in",
                                           "out")) != SCAR_OK ||
        (st = check_sigma(sigma, ctx, op)) != SCAR_OK ||
        (st = check_alias(in, out, ctx, op)) != SCAR_OK)
        return st;
    switch (method) {
    case SCAR__GAUSS_AUTO:
        return sigma < SCAR__GAUSS_RECURSIVE_SIGMA
                   ? scar__gauss_exact_run(in, out, sigma, ctx)
                   : scar__gauss_deriche_run(in, out, sigma, ctx);
    case SCAR__GAUSS_EXACT:
        return scar__gauss_exact_run(in, out, sigma, ctx);
    case SCAR__GAUSS_RECURSIVE:
        return scar__gauss_deriche_run(in, out, sigma, ctx);
    }
    return scar__fail(SCAR_E_INVALID, "%s: %s: unknown method %d",
                      SCAR__FILTER_CTX(ctx), op, (int)method);
}

int scar__gaussian(const scar__planef *in, scar__planef *out, double sigma,
                   const char *ctx)
{
    return scar__gaussian_ex(in, out, sigma, SCAR__GAUSS_AUTO, ctx);
}

int scar__gaussian_masked(const scar__planef *in, const scar__mask *mask,
                          scar__planef *out, double sigma, float fill,
                          const char *ctx)
{
    static const char op[] = "gaussian_masked";
    int st;
    if ((st = scar__filter_check_planef(in, ctx, op, "in")) != SCAR_OK ||
        (st = scar__filter_check_planef(out, ctx, op, "out")) != SCAR_OK ||
        (st = scar__filter_check_same_size(in->width, in->height, out->width,
                                           out->height, ctx, op, "in",
                                           "out")) != SCAR_OK ||
        (st = check_sigma(sigma, ctx, op)) != SCAR_OK ||
        (st = check_alias(in, out, ctx, op)) != SCAR_OK)
        return st;
    if (!mask)
        return scar__gaussian(in, out, sigma, ctx);
    if ((st = scar__filter_check_mask(mask, ctx, op, "mask")) != SCAR_OK ||
        (st = scar__filter_check_same_size(in->width, in->height, mask->width,
                                           mask->height, ctx, op, "in",
                                           "mask")) != SCAR_OK)
        return st;

    const uint32_t w = in->width, h = in->height;
    scar__planef num = {0}, den = {0};
    if ((st = scar__planef_alloc(w, h, SCAR__FILTER_CTX(ctx), &num)) != SCAR_OK ||
        (st = scar__planef_alloc(w, h, SCAR__FILTER_CTX(ctx), &den)) != SCAR_OK)
        goto done;
    /* x.m and m; masked-out values are never read (they may be NaN). */
    for (uint32_t y = 0; y < h; y++) {
        const float *x = scar__planef_row(in, y);
        const uint8_t *m = scar__mask_row(mask, y);
        float *n = scar__planef_row(&num, y);
        float *d = scar__planef_row(&den, y);
        for (uint32_t i = 0; i < w; i++) {
            n[i] = m[i] ? x[i] : 0.0f;
            d[i] = m[i] ? 1.0f : 0.0f;
        }
    }
    if ((st = scar__gaussian(&num, &num, sigma, ctx)) != SCAR_OK ||
        (st = scar__gaussian(&den, &den, sigma, ctx)) != SCAR_OK)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        const float *n = scar__planef_row(&num, y);
        const float *d = scar__planef_row(&den, y);
        float *o = scar__planef_row(out, y);
        for (uint32_t i = 0; i < w; i++)
            o[i] = d[i] >= (float)SCAR__GAUSS_MASKED_MIN_WEIGHT ? n[i] / d[i]
                                                                 : fill;
    }
done:
    scar__plane_free(num.data);
    scar__plane_free(den.data);
    return st;
}
