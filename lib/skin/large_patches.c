/* large_patches.c — lesions too large for the local skin model.
 *
 * The local model (anomaly.c) is a Gaussian of sigma `model_sigma_mm`
 * (8 mm): it follows the light, and it also follows any patch whose radius
 * is not well below sigma. At the centre of a disc of radius r it keeps
 * exp(-r^2 / 2 sigma^2) of the disc's contrast: 61 % at r = sigma, 14 % at
 * 2 sigma. A vitiligo or post-inflammatory patch, a burn scar or a large
 * birthmark 3-5 cm across then leaves only its rim, or nothing.
 *
 * So before the local model, the skin is looked at on a grid of cells
 * about 2 mm wide against a model LARGE_SIGMA_FACTOR times wider, fitted
 * LARGE_ITER times, each time without the cells that stood out the time
 * before (and one cell around them): the clipped background estimate of
 * astronomy's source extractors (Bertin & Arnouts 1996). A patch is a
 * connected set of cells whose combined robust z exceeds LARGE_Z, at
 * least pi sigma^2 in area (smaller ones the local model handles) and at
 * most LARGE_MAX_SKIN of the skin, whose cells stand out by LARGE_MEAN_Z
 * on average and whose mean colour change is at least LARGE_MIN_DE and
 * is not a change of light. Every local level of the analysis (the skin
 * step's, the glare test's, the local model of anomaly.c) is then made
 * with the patch's pixels at the wide model's healthy level
 * (scar__large_patches_model): inside the patch it sees the healthy skin
 * around it, and the patch keeps its whole contrast.
 *
 * A change of light multiplies linear RGB by a factor k; CIELAB's L* + 16,
 * a* and b* all scale with k^(1/3) (each is a difference of cube roots of
 * XYZ, or one of them), so a light change of dL* moves a* and b* by
 * (a*, b*) dL* / (L* + 16). Melanin, blood or their loss change the
 * chroma otherwise: a vitiligo patch is lighter and less yellow, a brown
 * patch darker and as yellow or more. A patch whose chroma change is
 * within LARGE_LIGHT_TOL |dL*| of the light's is taken for light (a body's
 * curve turning from the lamp, a shadow) and left alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "color/color_rows.h"
#include "error.h"
#include "filter/filter.h"
#include "morph/morph.h"
#include "scarscore.h"
#include "segment/robust.h"
#include "skin/large_patches.h"

#define PI 3.14159265358979323846
#define LARGE_CELL_MM 2.0        /* cell side */
#define LARGE_CELL_SKIN 0.5      /* a cell counts when >= half skin */
#define LARGE_SIGMA_FACTOR 4.0   /* wide model sigma / local model sigma */
#define LARGE_ITER 3             /* fits of the wide model */
#define LARGE_Z 3.0f             /* combined robust z of a patch cell */
#define LARGE_FLOOR_SD 0.6f      /* smallest robust sd (anomaly.c's floor) */
#define LARGE_MIN_DE 3.0         /* mean dE*ab of a patch */
#define LARGE_MEAN_Z 6.0         /* mean combined z of a patch's cells */
#define LARGE_MAX_SKIN 0.25      /* a patch covers at most this of the skin */
#define LARGE_LIGHT_TOL 0.35     /* chroma off the light's / |dL*| */
#define LARGE_MIN_HEALTHY 0.2    /* the wide model keeps this much skin */

/* Mean of p over m (0 without a cell). */
static float mean_over(const scar__planef *p, const scar__mask *m)
{
    double s = 0.0;
    uint64_t n = 0;
    for (uint32_t y = 0; y < p->height; y++) {
        const float *r = scar__planef_row(p, y);
        const uint8_t *k = scar__mask_row(m, y);
        for (uint32_t x = 0; x < p->width; x++)
            if (k[x]) {
                s += r[x];
                n++;
            }
    }
    return n ? (float)(s / (double)n) : 0.0f;
}

/* The wide model of each channel over `fit` into lp->level, the residuals
 * into res, and in `flag` the cells of `cell` whose combined robust z
 * (median and MAD over `fit`) exceeds LARGE_Z. */
static int fit_wide(const scar__planef mean[3], const scar__mask *cell,
                    const scar__mask *fit, double sigma_cells,
                    const char *ctx, scar__large_patches *lp,
                    scar__planef res[3], scar__planef *zc, scar__mask *flag)
{
    float med[3], inv[3];
    uint32_t w = cell->width, h = cell->height;
    for (int c = 0; c < 3; c++) {
        int st = scar__gaussian_masked(&mean[c], fit, &lp->level[c],
                                       sigma_cells, mean_over(&mean[c], fit),
                                       ctx);
        if (st)
            return st;
        for (uint32_t y = 0; y < h; y++) {
            const float *m = scar__planef_row(&mean[c], y);
            const float *l = scar__planef_row(&lp->level[c], y);
            float *r = scar__planef_row(&res[c], y);
            for (uint32_t x = 0; x < w; x++)
                r[x] = m[x] - l[x];
        }
        float mad;
        st = scar__median_mad(&res[c], fit, 1, ctx, &med[c], &mad);
        if (st)
            return st;
        float sd = (float)(SCAR__MAD_TO_SIGMA * mad);
        inv[c] = 1.0f / (sd > LARGE_FLOOR_SD ? sd : LARGE_FLOOR_SD);
    }
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *k = scar__mask_row(cell, y);
        uint8_t *o = scar__mask_row(flag, y);
        for (uint32_t x = 0; x < w; x++) {
            double d2 = 0.0;
            for (int c = 0; c < 3; c++) {
                double z = (scar__planef_row(&res[c], y)[x] - med[c]) * inv[c];
                d2 += z * z;
            }
            o[x] = k[x] && d2 > (double)(LARGE_Z * LARGE_Z);
            scar__planef_row(zc, y)[x] = (float)sqrt(d2);
        }
    }
    return SCAR_OK;
}

/* Whether a mean change d (L*, a*, b*) of skin at level l is a change of
 * light (see the top of the file). */
static int light_change(const double d[3], const double l[3])
{
    double k = d[0] / (l[0] + 16.0);
    double off = hypot(d[1] - l[1] * k, d[2] - l[2] * k);
    return off <= LARGE_LIGHT_TOL * fabs(d[0]);
}

/* Keeps in `flag` the components that are patches; returns their count
 * in *kept. `lab` is scratch of flag's size. */
static int keep_patches(scar__mask *flag, const scar__planef res[3],
                        const scar__planef *zc,
                        const scar__planef level[3], double min_cells,
                        double max_cells,
                        scar__labels *lab, const char *ctx, int32_t *kept)
{
    int32_t n = 0;
    *kept = 0;
    int st = scar__label(flag, NULL, 8, lab, &n);
    if (st || n == 0)
        return st;
    double *acc = calloc((size_t)n * 8, sizeof *acc);
    uint8_t *keep = calloc((size_t)n + 1, 1);
    if (!acc || !keep) {
        free(acc);
        free(keep);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (large patches)",
                          ctx);
    }
    uint32_t w = flag->width, h = flag->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(lab, y);
        for (uint32_t x = 0; x < w; x++) {
            if (!l[x])
                continue;
            double *a = acc + (size_t)(l[x] - 1) * 8;
            a[0] += 1.0;
            for (int c = 0; c < 3; c++) {
                a[1 + c] += scar__planef_row(&res[c], y)[x];
                a[4 + c] += scar__planef_row(&level[c], y)[x];
            }
            a[7] += scar__planef_row(zc, y)[x];
        }
    }
    for (int32_t i = 0; i < n; i++) {
        const double *a = acc + (size_t)i * 8;
        if (a[0] < min_cells || a[0] > max_cells)
            continue;
        double d[3] = {a[1] / a[0], a[2] / a[0], a[3] / a[0]};
        double l[3] = {a[4] / a[0], a[5] / a[0], a[6] / a[0]};
        double de = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (de >= LARGE_MIN_DE && a[7] / a[0] >= LARGE_MEAN_Z &&
            !light_change(d, l)) {
            keep[i + 1] = 1;
            (*kept)++;
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(lab, y);
        uint8_t *o = scar__mask_row(flag, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = keep[l[x]];
    }
    free(acc);
    free(keep);
    return SCAR_OK;
}

int scar__large_patches_find(const scar__planef *const X[3],
                             const scar__mask *skin, double px_per_mm,
                             double model_sigma_mm, const char *ctx,
                             scar__large_patches *out)
{
    memset(out, 0, sizeof *out);
    uint32_t W = X[0]->width, H = X[0]->height;
    long fl = lround(LARGE_CELL_MM * px_per_mm);
    uint32_t f = fl < 1 ? 1u : (uint32_t)fl;
    uint32_t w = (W + f - 1) / f, h = (H + f - 1) / f;
    double cells_per_mm2 = (px_per_mm / f) * (px_per_mm / f);
    double min_cells = PI * model_sigma_mm * model_sigma_mm * cells_per_mm2;
    double sigma_cells = LARGE_SIGMA_FACTOR * model_sigma_mm * px_per_mm / f;
    scar__planef mean[3] = {{0}}, res[3] = {{0}}, frac = {0}, zc = {0};
    scar__mask cell = {0}, fit = {0}, flag = {0};
    scar__labels lab = {0};
    out->factor = f;
    int st = scar__planef_alloc(w, h, ctx, &frac);
    if (!st)
        st = scar__planef_alloc(w, h, ctx, &zc);
    for (int c = 0; c < 3 && !st; c++) {
        st = scar__planef_alloc(w, h, ctx, &mean[c]);
        if (!st) st = scar__planef_alloc(w, h, ctx, &res[c]);
        if (!st) st = scar__planef_alloc(w, h, ctx, &out->level[c]);
        if (!st)
            st = scar__downsample_area_masked(X[c], skin, f, &mean[c],
                                              c ? NULL : &frac, 0.0f, ctx);
    }
    if (!st) st = scar__mask_alloc(w, h, ctx, &cell);
    if (!st) st = scar__mask_alloc(w, h, ctx, &fit);
    if (!st) st = scar__mask_alloc(w, h, ctx, &flag);
    if (!st) st = scar__labels_alloc(w, h, ctx, &lab);
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        const float *v = scar__planef_row(&frac, y);
        uint8_t *k = scar__mask_row(&cell, y);
        for (uint32_t x = 0; x < w; x++)
            k[x] = v[x] >= (float)LARGE_CELL_SKIN;
    }
    uint64_t ncell = scar__mask_count(&cell);
    if ((double)ncell < 2.0 * min_cells)
        goto done; /* not enough skin to hold a patch and skin around it */
    memcpy(fit.data, cell.data, (size_t)w * h);
    for (int it = 0; it < LARGE_ITER; it++) {
        st = fit_wide(mean, &cell, &fit, sigma_cells, ctx, out, res, &zc,
                      &flag);
        if (st || it + 1 == LARGE_ITER)
            break;
        st = scar__dilate_disk(&flag, 1, &fit);
        if (st)
            break;
        for (uint32_t y = 0; y < h; y++) {
            const uint8_t *k = scar__mask_row(&cell, y);
            uint8_t *o = scar__mask_row(&fit, y);
            for (uint32_t x = 0; x < w; x++)
                o[x] = k[x] && !o[x];
        }
        if ((double)scar__mask_count(&fit) <
            LARGE_MIN_HEALTHY * (double)ncell)
            break; /* the wide model would be left with too little skin */
    }
    if (st)
        goto done;
    int32_t kept = 0;
    st = keep_patches(&flag, res, &zc, out->level, min_cells,
                      LARGE_MAX_SKIN * ncell, &lab, ctx, &kept);
    if (st || kept == 0)
        goto done;
    st = scar__dilate_disk(&flag, 1, &flag);
    if (st)
        goto done;
    out->cells = flag;
    flag.data = NULL;
    out->count = kept;
done:
    for (int c = 0; c < 3; c++) {
        scar__plane_free(mean[c].data);
        scar__plane_free(res[c].data);
    }
    scar__plane_free(frac.data);
    scar__plane_free(zc.data);
    scar__plane_free(cell.data);
    scar__plane_free(fit.data);
    scar__plane_free(flag.data);
    scar__plane_free(lab.data);
    if (st || out->count == 0)
        scar__large_patches_free(out);
    return st;
}

/* Cell coordinate of pixel centre i (cells of f pixels) and the bilinear
 * pair (i0, i1, t) between cell centres, clamped at the edges. Not
 * scar__bilinear_axis: that one scales by n_cells / n_pixels, and a last
 * partial cell (width not a multiple of f) would shift every position. */
static void cell_axis(uint32_t i, uint32_t f, uint32_t n, uint32_t *i0,
                      uint32_t *i1, float *t)
{
    double s = ((double)i + 0.5) / f - 0.5;
    if (s < 0.0)
        s = 0.0;
    if (s > n - 1)
        s = n - 1;
    *i0 = (uint32_t)s;
    *i1 = *i0 + 1 < n ? *i0 + 1 : *i0;
    *t = (float)(s - *i0);
}

/* out = X with the level of `cells` in place of every skin pixel inside a
 * patch, and those pixels set in mask. x0, x1, tx: scratch of X's width
 * for the column axis, computed once. */
static void fill(const scar__large_patches *lp, const scar__planef *cells,
                 const scar__planef *X, const scar__mask *skin,
                 scar__planef *out, scar__mask *mask, uint32_t *x0,
                 uint32_t *x1, float *tx)
{
    uint32_t f = lp->factor, cw = cells->width, ch = cells->height;
    for (uint32_t x = 0; x < X->width; x++)
        cell_axis(x, f, cw, &x0[x], &x1[x], &tx[x]);
    for (uint32_t y = 0; y < X->height; y++) {
        const float *x_in = scar__planef_row(X, y);
        const uint8_t *s = scar__mask_row(skin, y);
        const uint8_t *k = scar__mask_row(&lp->cells, y / f);
        float *o = scar__planef_row(out, y);
        uint8_t *m = scar__mask_row(mask, y);
        uint32_t y0, y1;
        float ty;
        cell_axis(y, f, ch, &y0, &y1, &ty);
        const float *a = scar__planef_row(cells, y0);
        const float *b = scar__planef_row(cells, y1);
        for (uint32_t x = 0; x < X->width; x++) {
            o[x] = x_in[x];
            if (!s[x] || !k[x / f])
                continue;
            float top = a[x0[x]] + tx[x] * (a[x1[x]] - a[x0[x]]);
            float bot = b[x0[x]] + tx[x] * (b[x1[x]] - b[x0[x]]);
            o[x] = top + ty * (bot - top);
            m[x] = 1;
        }
    }
}

int scar__large_patches_model(const scar__large_patches *lp,
                              const scar__planef *cells,
                              const scar__planef *X, const scar__mask *skin,
                              const scar__mask *model_mask, double sigma_px,
                              const char *ctx, scar__smooth_model *model)
{
    if (!lp || lp->count == 0)
        return scar__smooth_model_init(X, model_mask, sigma_px, ctx, model);
    uint32_t w = X->width, h = X->height;
    scar__planef filled = {0};
    scar__mask mask = {0};
    uint32_t *x01 = malloc(2 * (size_t)w * sizeof *x01);
    float *tx = malloc((size_t)w * sizeof *tx);
    int st = x01 && tx ? SCAR_OK
                       : scar__fail(SCAR_E_NOMEM, "%s: out of memory (large "
                                    "patches)", ctx);
    if (!st)
        st = scar__planef_alloc(w, h, ctx, &filled);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &mask);
    if (!st) {
        for (uint32_t y = 0; y < h; y++)
            memcpy(scar__mask_row(&mask, y), scar__mask_row(model_mask, y), w);
        fill(lp, cells, X, skin, &filled, &mask, x01, x01 + w, tx);
        st = scar__smooth_model_init(&filled, &mask, sigma_px, ctx, model);
    }
    free(x01);
    free(tx);
    scar__plane_free(filled.data);
    scar__plane_free(mask.data);
    return st;
}

int scar__large_patches_chroma(const scar__large_patches *lp,
                               const char *ctx, scar__planef *out)
{
    const scar__planef *a = &lp->level[1], *b = &lp->level[2];
    int st = scar__planef_alloc(a->width, a->height, ctx, out);
    for (uint32_t y = 0; !st && y < a->height; y++) {
        const float *ra = scar__planef_row(a, y), *rb = scar__planef_row(b, y);
        float *o = scar__planef_row(out, y);
        for (uint32_t x = 0; x < a->width; x++)
            o[x] = hypotf(ra[x], rb[x]);
    }
    return st;
}

int scar__large_patches_linear_rgb(const scar__large_patches *lp,
                                   const char *ctx, scar__planef out[3])
{
    uint32_t w = lp->level[0].width, h = lp->level[0].height;
    int st = SCAR_OK;
    memset(out, 0, 3 * sizeof *out);
    for (int c = 0; c < 3 && !st; c++)
        st = scar__planef_alloc(w, h, ctx, &out[c]);
    for (uint32_t y = 0; !st && y < h; y++)
        scar__lab_to_linear_rgb_row(scar__planef_row(&lp->level[0], y),
                                    scar__planef_row(&lp->level[1], y),
                                    scar__planef_row(&lp->level[2], y), w,
                                    scar__planef_row(&out[0], y),
                                    scar__planef_row(&out[1], y),
                                    scar__planef_row(&out[2], y));
    if (st)
        for (int c = 0; c < 3; c++) {
            scar__plane_free(out[c].data);
            out[c].data = NULL;
        }
    return st;
}

void scar__large_patches_free(scar__large_patches *lp)
{
    for (int c = 0; c < 3; c++)
        scar__plane_free(lp->level[c].data);
    scar__plane_free(lp->cells.data);
    memset(lp, 0, sizeof *lp);
}
