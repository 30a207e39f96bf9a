/* gaussian.c — the Gaussian entry points: argument checks, the choice
 * between the exact kernel and the recursive filter, and normalized
 * (masked) convolution built on them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Checks of one (in, out) pair of a masked blur. */
static int check_masked_pair(const scar__planef *in, const scar__planef *out,
                             const scar__mask *mask, double sigma,
                             const char *ctx, const char *op)
{
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
        return SCAR_OK;
    if ((st = scar__filter_check_mask(mask, ctx, op, "mask")) != SCAR_OK ||
        (st = scar__filter_check_same_size(in->width, in->height, mask->width,
                                           mask->height, ctx, op, "in",
                                           "mask")) != SCAR_OK)
        return st;
    return SCAR_OK;
}

/* G*m into den (m = 1 where mask is set). */
static int blur_weights(const scar__mask *mask, scar__planef *den,
                        double sigma, const char *ctx)
{
    for (uint32_t y = 0; y < den->height; y++) {
        const uint8_t *m = scar__mask_row(mask, y);
        float *d = scar__planef_row(den, y);
        for (uint32_t i = 0; i < den->width; i++)
            d[i] = (float)(m[i] != 0);
    }
    return scar__gaussian(den, den, sigma, ctx);
}

/* out = G*(in.m) / G*m given the blurred weights den. The numerator is
 * built and blurred in out itself (in == out is fine: each sample is read
 * before it is overwritten), so no scratch plane is needed for it. */
static int masked_one(const scar__planef *in, const scar__mask *mask,
                      const scar__planef *den, scar__planef *out, double sigma,
                      float fill, const char *ctx)
{
    const uint32_t w = in->width, h = in->height;
    /* x.m; a masked-out value may be NaN, so it is cleared bitwise (AND
     * with an all-zero pattern gives +0.0f), never multiplied. Branch-free,
     * so the loop vectorises. */
    for (uint32_t y = 0; y < h; y++) {
        const float *x = scar__planef_row(in, y);
        const uint8_t *m = scar__mask_row(mask, y);
        float *n = scar__planef_row(out, y);
        for (uint32_t i = 0; i < w; i++) {
            uint32_t bits;
            memcpy(&bits, &x[i], sizeof bits);
            bits &= 0u - (uint32_t)(m[i] != 0);
            memcpy(&n[i], &bits, sizeof bits);
        }
    }
    int st = scar__gaussian(out, out, sigma, ctx);
    if (st != SCAR_OK)
        return st;
    for (uint32_t y = 0; y < h; y++) {
        const float *d = scar__planef_row(den, y);
        float *o = scar__planef_row(out, y);
        for (uint32_t i = 0; i < w; i++)
            o[i] = d[i] >= (float)SCAR__GAUSS_MASKED_MIN_WEIGHT ? o[i] / d[i]
                                                                 : fill;
    }
    return SCAR_OK;
}

int scar__gaussian_masked(const scar__planef *in, const scar__mask *mask,
                          scar__planef *out, double sigma, float fill,
                          const char *ctx)
{
    scar__planef *outs[1] = {out};
    const scar__planef *ins[1] = {in};
    return scar__gaussian_masked_n(ins, outs, 1, mask, sigma, fill, ctx);
}

int scar__gaussian_masked_n(const scar__planef *const *in,
                            scar__planef *const *out, uint32_t n,
                            const scar__mask *mask, double sigma, float fill,
                            const char *ctx)
{
    return scar__gaussian_masked_n_scratch(in, out, n, mask, sigma, fill, NULL,
                                           ctx);
}

/* Is `p` one of the n planes of `list`, or does it overlap one? */
static int overlaps_any(const scar__planef *p, const scar__planef *const *list,
                        uint32_t n)
{
    const char *pb = (const char *)p->data;
    const char *pe = (const char *)(scar__planef_row(p, p->height - 1) + p->width);
    for (uint32_t k = 0; k < n; k++) {
        const scar__planef *q = list[k];
        const char *qb = (const char *)q->data;
        const char *qe = (const char *)(scar__planef_row(q, q->height - 1) + q->width);
        if (pb < qe && qb < pe)
            return 1;
    }
    return 0;
}

int scar__gaussian_masked_n_scratch(const scar__planef *const *in,
                                    scar__planef *const *out, uint32_t n,
                                    const scar__mask *mask, double sigma,
                                    float fill, scar__planef *scratch,
                                    const char *ctx)
{
    static const char op[] = "gaussian_masked";
    int st;
    if (!in || !out || n == 0)
        return scar__fail(SCAR_E_INVALID, "%s: %s: no planes given",
                          SCAR__FILTER_CTX(ctx), op);
    for (uint32_t k = 0; k < n; k++) {
        if ((st = check_masked_pair(in[k], out[k], mask, sigma, ctx, op)) !=
            SCAR_OK)
            return st;
        if (k && (st = scar__filter_check_same_size(
                      in[0]->width, in[0]->height, in[k]->width,
                      in[k]->height, ctx, op, "in[0]", "in[k]")) != SCAR_OK)
            return st;
    }
    if (!mask) {
        for (uint32_t k = 0; k < n; k++)
            if ((st = scar__gaussian(in[k], out[k], sigma, ctx)) != SCAR_OK)
                return st;
        return SCAR_OK;
    }
    scar__planef den = {0};
    if (scratch) {
        if ((st = scar__filter_check_planef(scratch, ctx, op, "scratch")) !=
                SCAR_OK ||
            (st = scar__filter_check_same_size(
                 in[0]->width, in[0]->height, scratch->width, scratch->height,
                 ctx, op, "in[0]", "scratch")) != SCAR_OK)
            return st;
        if (overlaps_any(scratch, in, n) ||
            overlaps_any(scratch, (const scar__planef *const *)out, n))
            return scar__fail(SCAR_E_INVALID,
                              "%s: %s: the scratch plane overlaps an input or "
                              "output plane (lend a plane that is not in use)",
                              SCAR__FILTER_CTX(ctx), op);
        den = *scratch;
    } else {
        st = scar__planef_alloc(in[0]->width, in[0]->height,
                                SCAR__FILTER_CTX(ctx), &den);
    }
    if (st == SCAR_OK)
        st = blur_weights(mask, &den, sigma, ctx);
    for (uint32_t k = 0; k < n && st == SCAR_OK; k++)
        st = masked_one(in[k], mask, &den, out[k], sigma, fill, ctx);
    if (!scratch)
        scar__plane_free(den.data);
    return st;
}
