/* anomaly.c — local healthy-skin model, residuals and the anomaly score;
 * see segment.h and docs/segment.md.
 *
 * Illumination and skin tone vary slowly across a photo, lesions are local:
 * a masked (normalized) Gaussian of L*, a*, b* with a sigma of several mm
 * (Knutsson & Westin 1993) estimates the healthy skin at every pixel. The
 * model is estimated twice: pixels found anomalous in the first pass (and a
 * margin around them) are left out of the second, so that large or strong
 * lesions do not pull the model toward themselves. Patches too large even
 * for that (several cm: lib/skin/large_patches.c) enter both passes at
 * the healthy level around them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter/filter.h"
#include "morph/morph.h"
#include "segment/robust.h"
#include "segment/segment.h"
#include "skin/large_patches.h"

/* Residual smoothing before scoring: lesions are >= 0.5 mm across, sensor
 * noise is per pixel; sigma 0.08 mm keeps a 0.5 mm pit's peak and halves
 * the noise several times over. */
#define RESID_SIGMA_MM 0.08
#define RESID_SIGMA_MIN_PX 0.7
/* Smallest robust sd of a residual channel (CIELAB units): JPEG 4:2:0
 * flattens chroma inside 16x16 blocks, so the MAD of smoothed a*, b* can be
 * tiny while block edges step by a few tenths; differences below ~0.3
 * are well under the ~1 unit just-noticeable difference anyway. */
#define RESID_FLOOR_SD 0.6f
/* First pass: a pixel with combined |z| above this is excluded from the
 * second model, together with a margin (the lesion's soft tail). */
#define FIRST_PASS_Z 3.0f
#define FIRST_PASS_MARGIN_MM 0.5
/* The second model needs this fraction of the skin left, else it keeps the
 * first-pass mask (the anomaly would then be most of the frame). */
#define MODEL_MIN_HEALTHY_FRACTION 0.2
/* Covariance of healthy residuals: only samples with all |z| below this. */
#define COV_INLIER_Z 3.0f
/* Median of the chi distribution with 3 degrees of freedom:
 * sqrt(chi2.ppf(0.5, 3)) = sqrt(2.365974) (scipy.stats). */
#define CHI3_MEDIAN 1.5381725
/* Shading term: gradient energy of L* at the scale of scar walls. */
#define SHADE_SIGMA_MM 0.25
/* Tail calibration (docs/segment.md): healthy skin texture (mottling,
 * pores, JPEG blocks) is spatially correlated and heavier-tailed than the
 * per-pixel noise model; the score is shrunk (never inflated) so that its
 * TAIL_Q quantile over healthy skin is the model's own quantile: chi(3) for
 * the colour distance, and for the shading z of a 2-D gradient magnitude
 * (chi(2)) scaled by its median/MAD. scipy: chi(3).ppf(0.99) = 3.36821;
 * (chi(2).ppf(0.99) - median) / (1.4826 MAD) = 2.79367. */
#define TAIL_Q 0.99
#define CHI3_Q99 3.3682142
#define SHADE_Z_Q99 2.7936679

double scar__resid_sigma_px(double ppm)
{
    double s = RESID_SIGMA_MM * ppm;
    return s < RESID_SIGMA_MIN_PX ? RESID_SIGMA_MIN_PX : s;
}

/* out[c] = X[c] - model(X[c] over mask), then smoothed over skin. The
 * model is read one row at a time from its reduced grid
 * (scar__smooth_model: the same values as scar__smooth_masked_lowres
 * without a full-size model plane), and the three residuals share one blur
 * of the skin mask (scar__gaussian_masked_n: the same numbers as three
 * scar__gaussian_masked calls), held in the lent plane `scratch` (the
 * score map, not yet in use: no extra full-size plane). `row` holds w
 * floats. out[c] may be X[c] (in place: the model is built before its
 * channel is overwritten, pixel by pixel). */
static int residuals(const scar__planef *const *X, const scar__mask *model_mask,
                     const scar__mask *skin, const scar__large_patches *lp,
                     double model_sigma_px, double smooth_px, const char *ctx,
                     float *row, scar__planef *const *out,
                     scar__planef *scratch)
{
    for (int c = 0; c < 3; c++) {
        scar__smooth_model model;
        int st = scar__large_patches_model(lp, lp ? &lp->level[c] : NULL,
                                           X[c], skin, model_mask,
                                           model_sigma_px, ctx, &model);
        if (st)
            return st;
        for (uint32_t y = 0; y < X[c]->height; y++) {
            const float *x = scar__planef_row(X[c], y);
            const uint8_t *s = scar__mask_row(skin, y);
            float *o = scar__planef_row(out[c], y);
            scar__smooth_model_row(&model, y, row);
            for (uint32_t i = 0; i < X[c]->width; i++)
                o[i] = s[i] ? x[i] - row[i] : NAN;
        }
        scar__smooth_model_free(&model);
    }
    const scar__planef *in[3] = {out[0], out[1], out[2]};
    return scar__gaussian_masked_n_scratch(in, out, 3, skin, smooth_px, NAN,
                                           scratch, ctx);
}

/* Median and 1 / (1.4826 MAD) (floored at floor_sd) of r over
 * `stat_mask`: the robust z is (r - med) * inv. */
static int robust_stats(const scar__planef *r, const scar__mask *stat_mask,
                        uint32_t step, float floor_sd, const char *ctx,
                        float *med, float *inv)
{
    float mad;
    int st = scar__median_mad(r, stat_mask, step, ctx, med, &mad);
    if (st)
        return st;
    float s = (float)(SCAR__MAD_TO_SIGMA * mad);
    if (!(s > floor_sd))
        s = floor_sd;
    *inv = 1.0f / s;
    return SCAR_OK;
}

/* z = (r - median) / (1.4826 MAD) over `stat_mask`. */
static int robust_scale(scar__planef *r, const scar__mask *stat_mask,
                        uint32_t step, float floor_sd, const char *ctx)
{
    float med, inv;
    int st = robust_stats(r, stat_mask, step, floor_sd, ctx, &med, &inv);
    if (st)
        return st;
    for (uint32_t y = 0; y < r->height; y++) {
        float *p = scar__planef_row(r, y);
        for (uint32_t x = 0; x < r->width; x++)
            p[x] = (p[x] - med) * inv;
    }
    return SCAR_OK;
}

/* robust_scale of the three residual maps in one pass over the image (the
 * statistics of each map are taken before any is scaled, as before: each
 * reads only its own map). With `anomalous`, also marks the pixels whose
 * combined |z| exceeds FIRST_PASS_Z (NaN: not marked). */
static int robust_scale3(scar__planef *const *Z, const scar__mask *stat_mask,
                         uint32_t step, const char *ctx, scar__mask *anomalous,
                         float sd[3])
{
    float med[3], inv[3];
    for (int c = 0; c < 3; c++) {
        int st = robust_stats(Z[c], stat_mask, step, RESID_FLOOR_SD, ctx,
                              &med[c], &inv[c]);
        if (st)
            return st;
        sd[c] = 1.0f / inv[c];
    }
    uint32_t w = Z[0]->width, h = Z[0]->height;
    for (uint32_t y = 0; y < h; y++) {
        float *zl = scar__planef_row(Z[0], y), *za = scar__planef_row(Z[1], y),
              *zb = scar__planef_row(Z[2], y);
        for (uint32_t x = 0; x < w; x++) {
            zl[x] = (zl[x] - med[0]) * inv[0];
            za[x] = (za[x] - med[1]) * inv[1];
            zb[x] = (zb[x] - med[2]) * inv[2];
        }
        if (!anomalous)
            continue;
        uint8_t *o = scar__mask_row(anomalous, y);
        for (uint32_t x = 0; x < w; x++) {
            float d2 = zl[x] * zl[x] + za[x] * za[x] + zb[x] * zb[x];
            o[x] = d2 > FIRST_PASS_Z * FIRST_PASS_Z;
        }
    }
    return SCAR_OK;
}

/* The factor min(1, ref / q), q the TAIL_Q quantile of the n samples v
 * (0 samples: 1). Uses v as is (no reordering). */
static int tail_factor(const float *v, size_t n, float ref, const char *ctx,
                       int *apply, float *k)
{
    *apply = 0;
    *k = 1.0f;
    if (n == 0)
        return SCAR_OK;
    uint32_t *hist = malloc(SCAR__RADIX_BINS * sizeof *hist);
    if (!hist)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (tail quantile)",
                          ctx);
    /* Radix selection: the same value as quickselect up to the sign of a
     * zero, which the test below does not see (ref > 0). */
    float q = scar__select_kth_radix(v, n, (size_t)(TAIL_Q * (double)(n - 1)),
                                     hist);
    free(hist);
    if (q > ref) {
        *apply = 1;
        *k = ref / q;
    }
    return SCAR_OK;
}

/* Multiply `p` by min(1, ref / q) where q is its TAIL_Q quantile over
 * `mask` (see TAIL_Q). */
static int tail_calibrate(scar__planef *p, const scar__mask *mask,
                          uint32_t step, float ref, const char *ctx)
{
    size_t cap = (size_t)((p->width + step - 1) / step) *
                 ((p->height + step - 1) / step);
    float *v = malloc((cap ? cap : 1) * sizeof *v);
    if (!v)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (tail quantile)",
                          ctx);
    size_t n = 0;
    for (uint32_t y = 0; y < p->height; y += step) {
        const float *r = scar__planef_row(p, y);
        const uint8_t *m = scar__mask_row(mask, y);
        for (uint32_t x = 0; x < p->width; x += step)
            if (m[x] && isfinite(r[x]))
                v[n++] = r[x];
    }
    int apply;
    float k;
    int st = tail_factor(v, n, ref, ctx, &apply, &k);
    free(v);
    if (st || !apply)
        return st;
    for (uint32_t y = 0; y < p->height; y++) {
        float *r = scar__planef_row(p, y);
        for (uint32_t x = 0; x < p->width; x++)
            r[x] *= k;
    }
    return SCAR_OK;
}

/* Inverse covariance of the healthy inliers and their mean. */
typedef struct colour_model {
    double mu[3], ic[3][3];
} colour_model;

/* Mahalanobis distance of one pixel, as a float: 0 for d2 <= 0, NaN for a
 * non-finite d2. */
static inline float colour_distance(const colour_model *cm, float zl, float za,
                                    float zb)
{
    double v[3] = {zl - cm->mu[0], za - cm->mu[1], zb - cm->mu[2]};
    double d2 = 0.0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            d2 += v[i] * cm->ic[i][j] * v[j];
    return isfinite(d2) && d2 > 0.0 ? (float)sqrt(d2)
                                    : (isfinite(d2) ? 0.0f : NAN);
}

static void fit_colour_model(const scar__anomaly_maps *m,
                             const scar__mask *healthy, uint32_t step,
                             colour_model *cm)
{
    uint32_t w = m->zL.width, h = m->zL.height;
    double s1[3] = {0}, s2[3][3] = {{0}};
    double n = 0;
    for (uint32_t y = 0; y < h; y += step) {
        const float *p[3] = {scar__planef_row(&m->zL, y),
                             scar__planef_row(&m->za, y),
                             scar__planef_row(&m->zb, y)};
        const uint8_t *hm = scar__mask_row(healthy, y);
        for (uint32_t x = 0; x < w; x += step) {
            if (!hm[x])
                continue;
            double v[3] = {p[0][x], p[1][x], p[2][x]};
            if (!(fabs(v[0]) < COV_INLIER_Z && fabs(v[1]) < COV_INLIER_Z &&
                  fabs(v[2]) < COV_INLIER_Z))
                continue;
            for (int i = 0; i < 3; i++) {
                s1[i] += v[i];
                for (int j = 0; j < 3; j++)
                    s2[i][j] += v[i] * v[j];
            }
            n += 1;
        }
    }
    double cov[3][3];
    int ok = n >= 16;
    memset(cm, 0, sizeof *cm);
    if (ok) {
        for (int i = 0; i < 3; i++)
            cm->mu[i] = s1[i] / n;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                cov[i][j] = s2[i][j] / n - cm->mu[i] * cm->mu[j];
        ok = scar__inv3(cov, cm->ic);
    }
    if (!ok) {
        memset(cm, 0, sizeof *cm);
        cm->ic[0][0] = cm->ic[1][1] = cm->ic[2][2] = 1.0;
    }
}

/* The colour distance times k on the statistics grid over `healthy`, in
 * raster order, finite values only (the samples scar__median_mad and
 * tail_calibrate would take from a plane of them); returns the count. */
static size_t sample_colour(const scar__anomaly_maps *m,
                            const scar__mask *healthy, uint32_t step,
                            const colour_model *cm, float k, float *v,
                            int *negzero)
{
    uint32_t w = m->zL.width, h = m->zL.height;
    size_t n = 0;
    *negzero = 0;
    for (uint32_t y = 0; y < h; y += step) {
        const float *pL = scar__planef_row(&m->zL, y);
        const float *pa = scar__planef_row(&m->za, y);
        const float *pb = scar__planef_row(&m->zb, y);
        const uint8_t *hm = scar__mask_row(healthy, y);
        for (uint32_t x = 0; x < w; x += step) {
            if (!hm[x])
                continue;
            float o = colour_distance(cm, pL[x], pa[x], pb[x]) * k;
            if (isfinite(o)) {
                v[n++] = o;
                *negzero |= o == 0.0f && signbit(o);
            }
        }
    }
    return n;
}

/* Mahalanobis distance of (zL, za, zb) under the covariance of healthy
 * inliers, scaled so that its median over healthy skin is the chi(3)
 * median: correlated texture (melanin moves L* and b* together) is not
 * counted twice; then shrunk to its tail quantile (tail_calibrate) and
 * combined with the shading term already in maps->score:
 * score = max(colour, shading) on skin, NaN elsewhere.
 * The colour plane is never stored: its statistics come from the sample
 * grid (the same samples, in the same order, as from a plane), and the
 * final values are formed with the same float operations in one pass. */
static int colour_score(scar__anomaly_maps *m, const scar__mask *skin,
                        const scar__mask *healthy, uint32_t step,
                        const char *ctx)
{
    uint32_t w = m->zL.width, h = m->zL.height;
    colour_model cm;
    fit_colour_model(m, healthy, step, &cm);
    size_t cap = (size_t)((w + step - 1) / step) * ((h + step - 1) / step);
    float *v = malloc((cap ? cap : 1) * sizeof *v);
    if (!v)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (colour score)",
                          ctx);
    int negzero;
    size_t n = sample_colour(m, healthy, step, &cm, 1.0f, v, &negzero);
    float med, mad;
    int st = n ? scar__median_mad_samples(v, n, negzero, ctx, &med, &mad)
               : scar__fail(SCAR_E_INVALID, "%s: no skin sample for robust "
                            "statistics", ctx);
    float k = 1.0f, k2 = 1.0f;
    int apply = 0;
    if (!st) {
        k = med > 1e-6f ? (float)(CHI3_MEDIAN / med) : 1.0f;
        n = sample_colour(m, healthy, step, &cm, k, v, &negzero);
        st = tail_factor(v, n, (float)CHI3_Q99, ctx, &apply, &k2);
    }
    free(v);
    if (st)
        return st;
    for (uint32_t y = 0; y < h; y++) {
        const float *pL = scar__planef_row(&m->zL, y);
        const float *pa = scar__planef_row(&m->za, y);
        const float *pb = scar__planef_row(&m->zb, y);
        const uint8_t *s = scar__mask_row(skin, y);
        float *o = scar__planef_row(&m->score, y);
        for (uint32_t x = 0; x < w; x++) {
            if (!s[x]) {
                o[x] = NAN;
                continue;
            }
            float c = colour_distance(&cm, pL[x], pa[x], pb[x]) * k;
            if (apply)
                c *= k2;
            if (!(o[x] > c))
                o[x] = c;
        }
    }
    return SCAR_OK;
}

/* Shading term (boxcar walls and icepick pits appear as shading edges
 * more than as colour): scale-normalised gradient magnitude of the
 * L* residual at SHADE_SIGMA_MM, robust-z'd over healthy skin, written
 * into maps->score (colour_score then takes the maximum). */
static int shading_term(scar__anomaly_maps *m, const scar__mask *skin,
                        const scar__mask *healthy, double ppm, uint32_t step,
                        const char *ctx)
{
    uint32_t w = m->zL.width, h = m->zL.height;
    scar__planef *tmp = &m->score;
    double sigma = SHADE_SIGMA_MM * ppm;
    if (sigma < 1.0)
        sigma = 1.0;
    int st = scar__gaussian_masked(&m->zL, skin, tmp, sigma, 0.0f, ctx);
    if (st)
        return st;
    /* gradient magnitude, written into tmp row by row via a 3-row window */
    float *prev = malloc(sizeof(float) * w * 2);
    if (!prev)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (shading)", ctx);
    float *cur = prev + w;
    float fs = (float)sigma;
    for (uint32_t y = 0; y < h; y++) {
        float *r0 = scar__planef_row(tmp, y);
        const float *rp = y + 1 < h ? scar__planef_row(tmp, y + 1) : r0;
        const float *up = y > 0 ? prev : r0; /* prev: original row y-1 */
        for (uint32_t x = 0; x < w; x++) {
            float gx = 0.5f * ((x + 1 < w ? r0[x + 1] : r0[x]) -
                               (x > 0 ? r0[x - 1] : r0[x]));
            float gy = 0.5f * (rp[x] - up[x]);
            cur[x] = fs * sqrtf(gx * gx + gy * gy);
        }
        memcpy(prev, r0, sizeof(float) * w);
        memcpy(r0, cur, sizeof(float) * w);
    }
    free(prev);
    st = robust_scale(tmp, healthy, step, 1e-6f, ctx);
    if (!st)
        st = tail_calibrate(tmp, healthy, step, (float)SHADE_Z_Q99, ctx);
    return st;
}

int scar__anomaly(const scar_image *img, scar__lab_planes *lab,
                  const scar__mask *skin, const scar__segment_params *p,
                  const char *ctx, scar__anomaly_maps *maps)
{
    /* take over L*a*b*: each residual is formed in place of its channel */
    maps->zL = lab->L;
    maps->za = lab->a;
    maps->zb = lab->b;
    memset(lab, 0, sizeof *lab);
    uint32_t w = maps->zL.width, h = maps->zL.height;
    double ppm = p->px_per_mm;
    double model_px = p->model_sigma_mm * ppm;
    double smooth_px = scar__resid_sigma_px(ppm);
    uint32_t step = scar__stat_step(w, h);
    scar__planef *const Z[3] = {&maps->zL, &maps->za, &maps->zb};
    const scar__planef *const X[3] = {Z[0], Z[1], Z[2]};
    scar__mask healthy = {0};
    float *row = NULL;
    uint64_t nskin = scar__mask_count(skin);
    if (nskin == 0)
        return scar__fail(SCAR_E_INVALID, "%s: no skin pixel to analyse", ctx);
    /* Memory: besides the three L*a*b* / residual planes and the score
     * map, only the healthy mask and one float plane inside the masked
     * Gaussians (lent by the score map while it is unused, then allocated
     * once for the shading blur). */
    int st = scar__mask_alloc(w, h, ctx, &healthy);
    if (!st && !(row = malloc((size_t)w * sizeof *row)))
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (model row)", ctx);
    /* pass 1: model over all skin; anomalous pixels marked in `healthy` */
    if (!st)
        st = residuals(X, skin, skin, p->large, model_px, smooth_px, ctx,
                       row, Z, &maps->score);
    if (!st)
        st = robust_scale3(Z, skin, step, ctx, &healthy, maps->sd);
    if (st)
        goto done;
    {
        uint32_t r = (uint32_t)lround(FIRST_PASS_MARGIN_MM * ppm);
        if (r > 0)
            st = scar__dilate_disk(&healthy, r, &healthy);
    }
    if (st)
        goto done;
    uint64_t nhealthy = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *s = scar__mask_row(skin, y);
        uint8_t *o = scar__mask_row(&healthy, y);
        for (uint32_t x = 0; x < w; x++) {
            o[x] = s[x] && !o[x];
            nhealthy += o[x];
        }
    }
    if ((double)nhealthy < MODEL_MIN_HEALTHY_FRACTION * (double)nskin)
        for (uint32_t y = 0; y < h; y++)
            memcpy(scar__mask_row(&healthy, y), scar__mask_row(skin, y), w);
    /* pass 2: model over healthy skin, statistics over healthy skin; the
     * first pass's residuals are spent, L*a*b* is computed again in their
     * place (per pixel: the same bits as the caller's planes) */
    st = scar__lab_restore(img, Z, ctx);
    if (!st)
        st = residuals(X, &healthy, skin, p->large, model_px, smooth_px,
                       ctx, row, Z, &maps->score);
    if (!st)
        st = robust_scale3(Z, &healthy, step, ctx, NULL, maps->sd);
    /* the shading term first, into maps->score; the colour score is then
     * formed and merged in one pass (no plane of its own) */
    if (!st)
        st = shading_term(maps, skin, &healthy, ppm, step, ctx);
    if (!st)
        st = colour_score(maps, skin, &healthy, step, ctx);
done:
    free(row);
    scar__plane_free(healthy.data);
    return st;
}
