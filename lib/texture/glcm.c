/* glcm.c — masked grey-level co-occurrence matrix (Haralick, Shanmugam &
 * Dinstein 1973) and its properties, with the offsets, symmetrisation,
 * normalisation and property formulas of scikit-image 0.19
 * graycomatrix/graycoprops, plus entropy (Haralick's f9, in bits).
 *
 * Masking: each pixel becomes one int16 "value" (its grey level, or -1 when
 * excluded), so the counting loop tests validity of both ends of a pair with
 * one sign test. One levels x levels count matrix is reused for every
 * (distance, angle). */
#include "texture/texture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define GLCM_MAX_DISTANCES 64u
#define GLCM_MAX_DISTANCE 65535u

typedef struct props7 {
    double contrast, dissimilarity, homogeneity, asm_, correlation, entropy;
} props7;

/* Offsets of skimage 0.19 graycomatrix (verified against it by test):
 * row offset round(sin(a) d), column offset round(cos(a) d), rows downwards.
 * Computed with the same formula; for the four angles used here no product
 * lands on a .5 tie, so the rounding convention cannot differ. */
static void glcm_offset(uint32_t d, int angle_idx, long *dx, long *dy)
{
    static const double angle_rad[4] = {0.0, 0.78539816339744828,
                                        1.5707963267948966,
                                        2.3561944901923448};
    double a = angle_rad[angle_idx];
    *dy = lround(sin(a) * (double)d);
    *dx = lround(cos(a) * (double)d);
}

static int check_distances(const uint32_t *distances, uint32_t n,
                           const char *fn)
{
    if (!distances || n == 0 || n > GLCM_MAX_DISTANCES)
        return scar__fail(SCAR_E_INVALID,
                          "%s: need 1..%u distances, got %u%s", fn,
                          GLCM_MAX_DISTANCES, n,
                          distances ? "" : " (NULL array)");
    for (uint32_t k = 0; k < n; k++)
        if (distances[k] < 1 || distances[k] > GLCM_MAX_DISTANCE)
            return scar__fail(SCAR_E_INVALID,
                              "%s: distance %u is %u; distances must be in "
                              "1..%u px", fn, k, distances[k],
                              GLCM_MAX_DISTANCE);
    return SCAR_OK;
}

/* Properties of the symmetric matrix N = C + C^T, normalised by its sum. */
static void glcm_props(const uint64_t *c, uint32_t L, double total,
                       double *marg, props7 *p)
{
    memset(p, 0, sizeof *p);
    memset(marg, 0, L * sizeof *marg);
    for (uint32_t i = 0; i < L; i++)
        for (uint32_t j = 0; j < L; j++) {
            double pij = (double)(c[(size_t)i * L + j] + c[(size_t)j * L + i]) /
                         total;
            if (pij == 0)
                continue;
            double d = (double)i - (double)j;
            p->contrast += pij * d * d;
            p->dissimilarity += pij * fabs(d);
            p->homogeneity += pij / (1.0 + d * d);
            p->asm_ += pij * pij;
            p->entropy -= pij * log2(pij);
            marg[i] += pij;
        }
    /* N is symmetric, so both marginals are `marg` and mu_i = mu_j,
     * sigma_i = sigma_j. */
    double mu = 0;
    for (uint32_t i = 0; i < L; i++)
        mu += (double)i * marg[i];
    double var = 0;
    for (uint32_t i = 0; i < L; i++)
        var += marg[i] * ((double)i - mu) * ((double)i - mu);
    double sd = sqrt(var);
    if (sd < 1e-15) {
        p->correlation = 1.0; /* skimage: constant texture correlates fully */
        return;
    }
    double cov = 0;
    for (uint32_t i = 0; i < L; i++)
        for (uint32_t j = 0; j < L; j++) {
            uint64_t n = c[(size_t)i * L + j] + c[(size_t)j * L + i];
            if (n)
                cov += ((double)n / total) * ((double)i - mu) *
                       ((double)j - mu);
        }
    p->correlation = cov / (sd * sd);
}

/* Core: v is a packed w x h array of grey levels or -1. */
static int glcm_from_values(const int16_t *v, uint32_t w, uint32_t h,
                            uint32_t L, const uint32_t *distances,
                            uint32_t nd, scar_glcm_props *out,
                            const char *fn)
{
    uint64_t *cnt = malloc((size_t)L * L * sizeof *cnt);
    double *marg = malloc((size_t)L * sizeof *marg);
    if (!cnt || !marg) {
        free(cnt);
        free(marg);
        return scar__fail(SCAR_E_NOMEM,
                          "%s: out of memory for a %ux%u co-occurrence "
                          "matrix", fn, L, L);
    }
    props7 sum = {0};
    uint64_t pairs_all = 0;
    uint32_t used = 0;
    for (uint32_t k = 0; k < nd; k++) {
        for (int a = 0; a < 4; a++) {
            long dx, dy;
            glcm_offset(distances[k], a, &dx, &dy);
            memset(cnt, 0, (size_t)L * L * sizeof *cnt);
            uint64_t pairs = 0;
            long x0 = dx < 0 ? -dx : 0, x1 = (long)w - (dx > 0 ? dx : 0);
            long y0 = dy < 0 ? -dy : 0, y1 = (long)h - (dy > 0 ? dy : 0);
            for (long y = y0; y < y1; y++) {
                const int16_t *ra = v + (size_t)y * w;
                const int16_t *rb = v + (size_t)(y + dy) * w + dx;
                for (long x = x0; x < x1; x++) {
                    int i = ra[x], j = rb[x];
                    if ((i | j) >= 0) {
                        cnt[(size_t)i * L + (size_t)j]++;
                        pairs++;
                    }
                }
            }
            if (pairs == 0)
                continue;
            props7 p;
            glcm_props(cnt, L, 2.0 * (double)pairs, marg, &p);
            sum.contrast += p.contrast;
            sum.dissimilarity += p.dissimilarity;
            sum.homogeneity += p.homogeneity;
            sum.asm_ += p.asm_;
            sum.correlation += p.correlation;
            sum.entropy += p.entropy;
            /* energy is averaged as sqrt(ASM) per matrix, as skimage's
             * graycoprops(..., 'energy').mean() */
            out->energy += sqrt(p.asm_);
            pairs_all += pairs;
            used++;
        }
    }
    free(cnt);
    free(marg);
    out->pairs = pairs_all;
    out->combinations = used;
    if (used == 0) {
        out->contrast = out->dissimilarity = out->homogeneity = NAN;
        out->energy = out->angular_second_moment = out->correlation = NAN;
        out->entropy = NAN;
        return SCAR_OK;
    }
    double n = (double)used;
    out->contrast = sum.contrast / n;
    out->dissimilarity = sum.dissimilarity / n;
    out->homogeneity = sum.homogeneity / n;
    out->energy /= n;
    out->angular_second_moment = sum.asm_ / n;
    out->correlation = sum.correlation / n;
    out->entropy = sum.entropy / n;
    return SCAR_OK;
}

static int common_checks(uint32_t w, uint32_t h, uint32_t levels,
                         const uint32_t *distances, uint32_t nd,
                         const scar__mask *mask, scar_glcm_props *out,
                         const char *fn)
{
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", fn);
    if (levels < 2 || levels > SCAR__TEX_MAX_LEVELS)
        return scar__fail(SCAR_E_INVALID, "%s: levels %u not in 2..%d", fn,
                          levels, SCAR__TEX_MAX_LEVELS);
    int st = check_distances(distances, nd, fn);
    if (st)
        return st;
    return scar__tex_check_mask(mask, w, h, fn, "mask");
}

int scar__glcm_features(const scar__labels *q, const scar__mask *mask,
                        uint32_t levels, const uint32_t *distances,
                        uint32_t n_distances, scar_glcm_props *out)
{
    static const char fn[] = "scar__glcm_features";
    if (!q || !q->data || q->width == 0 || q->height == 0 ||
        q->stride < q->width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: quantized plane is NULL, empty or has "
                          "stride < width", fn);
    if ((uint64_t)q->width * q->height > SCAR__TEX_MAX_PIXELS)
        return scar__fail(SCAR_E_LIMIT, "%s: %ux%u patch above the limit "
                          "of %llu pixels", fn, q->width, q->height,
                          (unsigned long long)SCAR__TEX_MAX_PIXELS);
    int st = common_checks(q->width, q->height, levels, distances,
                           n_distances, mask, out, fn);
    if (st)
        return st;
    memset(out, 0, sizeof *out);
    uint32_t w = q->width, h = q->height;
    int16_t *v = malloc((size_t)w * h * sizeof *v);
    if (!v)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u "
                          "patch", fn, w, h);
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *src = scar__labels_row(q, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        int16_t *dst = v + (size_t)y * w;
        for (uint32_t x = 0; x < w; x++) {
            int32_t g = src[x];
            if (g < 0 || (m && !m[x])) {
                dst[x] = -1;
                continue;
            }
            if ((uint32_t)g >= levels) {
                free(v);
                return scar__fail(SCAR_E_INVALID,
                                  "%s: pixel (%u, %u) has grey level %d, "
                                  "not below levels = %u; quantize first",
                                  fn, x, y, (int)g, levels);
            }
            dst[x] = (int16_t)g;
        }
    }
    st = glcm_from_values(v, w, h, levels, distances, n_distances, out, fn);
    free(v);
    return st;
}

int scar__glcm_features_u8(const uint8_t *img, size_t stride, uint32_t width,
                           uint32_t height, const scar__mask *mask,
                           uint32_t levels, const uint32_t *distances,
                           uint32_t n_distances, scar_glcm_props *out)
{
    static const char fn[] = "scar_glcm_features";
    if (!img || width == 0 || height == 0 || stride < width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: image is NULL, empty (%ux%u) or has stride "
                          "%zu < width", fn, width, height, stride);
    if ((uint64_t)width * height > SCAR__TEX_MAX_PIXELS)
        return scar__fail(SCAR_E_LIMIT, "%s: %ux%u patch above the limit "
                          "of %llu pixels", fn, width, height,
                          (unsigned long long)SCAR__TEX_MAX_PIXELS);
    int st = common_checks(width, height, levels, distances, n_distances,
                           mask, out, fn);
    if (st)
        return st;
    memset(out, 0, sizeof *out);
    int16_t *v = malloc((size_t)width * height * sizeof *v);
    if (!v)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u "
                          "patch", fn, width, height);
    for (uint32_t y = 0; y < height; y++) {
        const uint8_t *src = img + (size_t)y * stride;
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        int16_t *dst = v + (size_t)y * width;
        for (uint32_t x = 0; x < width; x++) {
            if (m && !m[x]) {
                dst[x] = -1;
                continue;
            }
            if (src[x] >= levels) {
                free(v);
                return scar__fail(SCAR_E_INVALID,
                                  "%s: pixel (%u, %u) has grey level %u, "
                                  "not below levels = %u; quantize the image "
                                  "to 0..levels-1 first",
                                  fn, x, y, (unsigned)src[x], levels);
            }
            dst[x] = src[x];
        }
    }
    st = glcm_from_values(v, width, height, levels, distances, n_distances,
                          out, fn);
    free(v);
    return st;
}
