/* lbp.c — uniform local binary patterns, P = 8, R = 1 (Ojala, Pietikainen &
 * Maenpaa 2002, "riu2"), reproducing scikit-image 0.19
 * local_binary_pattern(image, 8, 1, 'uniform') bit for bit:
 *  - neighbour i sits at (row, col) offset (-R sin(2 pi i/P), R cos(2 pi i/P))
 *    rounded to 5 decimals (so the diagonals are +-0.70711, not 1/sqrt 2);
 *  - its value is bilinearly interpolated from the four pixels
 *    floor/ceil of (r + dr, c + dc), reading 0 outside the image, with the
 *    same operation order so that ties (neighbour == centre) break alike;
 *  - bit s_i = (neighbour - centre >= 0), computed in double;
 *  - code = sum s_i when the pattern has <= 2 transitions, else P + 1.
 * skimage counts only the P-1 non-circular transitions; since circular
 * transitions are even, "<= 2" selects exactly the same patterns. */
#include "texture/texture.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"

#define LBP_P 8

/* Offsets of the 8 neighbours, as np.round(-sin / cos, 5). */
static const double lbp_dr[LBP_P] = {-0.0, -0.70711, -1.0, -0.70711,
                                     -0.0, 0.70711,  1.0,  0.70711};
static const double lbp_dc[LBP_P] = {1.0,  0.70711,  0.0, -0.70711,
                                     -1.0, -0.70711, -0.0, 0.70711};

static inline double px_or_zero(const scar__planef *in, long r, long c)
{
    if (r < 0 || c < 0 || r >= (long)in->height || c >= (long)in->width)
        return 0.0;
    return (double)in->data[(size_t)r * in->stride + (size_t)c];
}

static inline double bilinear(const scar__planef *in, double r, double c)
{
    double fr = floor(r), fc = floor(c);
    long minr = (long)fr, minc = (long)fc;
    long maxr = (long)ceil(r), maxc = (long)ceil(c);
    double dr = r - fr, dc = c - fc;
    double tl = px_or_zero(in, minr, minc), tr = px_or_zero(in, minr, maxc);
    double bl = px_or_zero(in, maxr, minc), br = px_or_zero(in, maxr, maxc);
    double top = (1 - dc) * tl + dc * tr;
    double bottom = (1 - dc) * bl + dc * br;
    return (1 - dr) * top + dr * bottom;
}

int scar__lbp_uniform(const scar__planef *in, scar__mask *codes)
{
    static const char fn[] = "scar__lbp_uniform";
    int st = scar__tex_check_planef(in, fn, "input");
    if (st)
        return st;
    if (!codes || !codes->data || codes->width != in->width ||
        codes->height != in->height || codes->stride < codes->width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: codes must be a %ux%u byte plane with stride "
                          ">= width", fn, in->width, in->height);
    const uint32_t w = in->width, h = in->height;
    /* Fractional parts of (i + 0.70711) and (i - 0.70711) per row/column,
     * computed exactly as the generic path computes them, so the interior
     * fast path gives bit-identical neighbours. */
    double *frac = malloc(2 * ((size_t)w + h) * sizeof *frac);
    if (!frac)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u "
                          "patch", fn, w, h);
    double *dcp = frac, *dcm = frac + w, *drp = frac + 2 * (size_t)w,
           *drm = drp + h;
    for (uint32_t i = 0; i < w; i++) {
        double a = (double)i + 0.70711, b = (double)i + -0.70711;
        dcp[i] = a - floor(a);
        dcm[i] = b - floor(b);
    }
    for (uint32_t i = 0; i < h; i++) {
        double a = (double)i + 0.70711, b = (double)i + -0.70711;
        drp[i] = a - floor(a);
        drm[i] = b - floor(b);
    }
    for (uint32_t y = 0; y < h; y++) {
        const float *row = scar__planef_row(in, y);
        uint8_t *out = scar__mask_row(codes, y);
        int interior_row = y > 0 && y + 1 < h;
        for (uint32_t x = 0; x < w; x++) {
            double centre = row[x];
            int s[LBP_P];
            if (interior_row && x > 0 && x + 1 < w) {
                /* all four corners inside: same formula, no bounds tests;
                 * axis neighbours interpolate to the pixel itself */
                const float *up = row - in->stride, *dn = row + in->stride;
                double t[LBP_P];
                t[0] = row[x + 1];
                t[2] = up[x];
                t[4] = row[x - 1];
                t[6] = dn[x];
#define LBP_BILIN(dr, dc, tl, tr, bl, br)                                      \
    ((1 - (dr)) * ((1 - (dc)) * (double)(tl) + (dc) * (double)(tr)) +          \
     (dr) * ((1 - (dc)) * (double)(bl) + (dc) * (double)(br)))
                t[1] = LBP_BILIN(drm[y], dcp[x], up[x], up[x + 1], row[x],
                                 row[x + 1]);
                t[3] = LBP_BILIN(drm[y], dcm[x], up[x - 1], up[x], row[x - 1],
                                 row[x]);
                t[5] = LBP_BILIN(drp[y], dcm[x], row[x - 1], row[x],
                                 dn[x - 1], dn[x]);
                t[7] = LBP_BILIN(drp[y], dcp[x], row[x], row[x + 1], dn[x],
                                 dn[x + 1]);
#undef LBP_BILIN
                for (int i = 0; i < LBP_P; i++)
                    s[i] = t[i] - centre >= 0;
            } else {
                for (int i = 0; i < LBP_P; i++) {
                    double t = bilinear(in, (double)y + lbp_dr[i],
                                        (double)x + lbp_dc[i]);
                    s[i] = t - centre >= 0;
                }
            }
            int changes = 0, ones = 0;
            for (int i = 0; i < LBP_P - 1; i++)
                changes += s[i] != s[i + 1];
            for (int i = 0; i < LBP_P; i++)
                ones += s[i];
            out[x] = (uint8_t)(changes <= 2 ? ones : LBP_P + 1);
        }
    }
    free(frac);
    return SCAR_OK;
}

int scar__lbp_histogram(const scar__mask *codes, const scar__mask *mask,
                        double hist[SCAR__LBP_BINS], uint64_t *count)
{
    static const char fn[] = "scar__lbp_histogram";
    if (!hist)
        return scar__fail(SCAR_E_INVALID, "%s: hist is NULL", fn);
    if (!codes || !codes->data || codes->width == 0 || codes->height == 0 ||
        codes->stride < codes->width)
        return scar__fail(SCAR_E_INVALID, "%s: codes plane is NULL, empty "
                          "or has stride < width", fn);
    int st = scar__tex_check_mask(mask, codes->width, codes->height, fn,
                                  "mask");
    if (st)
        return st;
    uint64_t n[SCAR__LBP_BINS] = {0}, total = 0;
    for (uint32_t y = 0; y < codes->height; y++) {
        const uint8_t *c = scar__mask_row(codes, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        for (uint32_t x = 0; x < codes->width; x++) {
            if (m && !m[x])
                continue;
            if (c[x] >= SCAR__LBP_BINS)
                return scar__fail(SCAR_E_INVALID,
                                  "%s: code %u at (%u, %u) is not a uniform "
                                  "LBP code 0..9", fn, (unsigned)c[x], x, y);
            n[c[x]]++;
            total++;
        }
    }
    for (int k = 0; k < SCAR__LBP_BINS; k++)
        hist[k] = total ? (double)n[k] / (double)total : 0.0;
    if (count)
        *count = total;
    return SCAR_OK;
}

double scar__chi2_distance(const double *h1, const double *h2, uint32_t bins)
{
    if (!h1 || !h2)
        return NAN;
    double d = 0;
    for (uint32_t k = 0; k < bins; k++) {
        double s = h1[k] + h2[k];
        if (s == 0)
            continue;
        double t = h1[k] - h2[k];
        d += t * t / s;
    }
    return 0.5 * d;
}
