/* exposure.c — the photo's reference exposure and each region's gain to
 * it (docs/metrics.md, "Exposure normalisation"). Under uneven light a
 * lesion in the shade shows a smaller colour difference than the same
 * lesion in full light (CIELAB is not invariant to exposure), so the
 * colour of a region and of its ring are measured as if the ring were lit
 * like the best-lit healthy skin of the photo. */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "score/score.h"

/* Block side in mm: about the width of a region's ring and its lesion
 * (rings are 1-3 mm), large enough to average pores and texture out. */
#define EXPOSURE_BLOCK_MM 5.0
/* Percentile of the block means taken as the best-lit skin: a high one,
 * not the maximum, so that a few blocks of missed glare or pale patches
 * do not set the reference. */
#define EXPOSURE_PERCENTILE 95.0
/* Only blocks of the skin's own colour: their chromaticity within
 * EXPOSURE_CHROMA_SPREAD times the blocks' median distance from the
 * median chromaticity (for a round 2-D Gaussian cloud that keeps 99.8 %:
 * the median distance is 1.18 sd), at least EXPOSURE_CHROMA_FLOOR
 * (uniform skin). A light level changes no chromaticity, so lit and
 * shaded skin both stay; a cream sheet, a wall or a depigmented patch
 * that entered the skin mask does not. */
#define EXPOSURE_CHROMA_SPREAD 3.0
#define EXPOSURE_CHROMA_FLOOR 0.002
/* At most this many blocks (a photo at a tiny scale would otherwise get
 * one per pixel: 68 bytes each of bookkeeping). */
#define EXPOSURE_MAX_BLOCKS 65536.0
/* The Y row of the sRGB matrix (IEC 61966-2-1). */
#define SCAR__LUMA_R 0.2126
#define SCAR__LUMA_G 0.7152
#define SCAR__LUMA_B 0.0722

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy.percentile(v, p) with the default linear interpolation; sorts v. */
static double percentile_linear(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    double pos = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (pos - (double)lo) * (v[hi] - v[lo]);
}

/* Chromaticity of a block: r = R / (R + G + B), g = G / (R + G + B) of
 * its mean linear sRGB; a change of light level leaves it unchanged. */
static void chromaticity(const double m[3], double c[2])
{
    double t = m[0] + m[1] + m[2];
    c[0] = t > 0.0 ? m[0] / t : 1.0 / 3.0;
    c[1] = t > 0.0 ? m[1] / t : 1.0 / 3.0;
}

/* numpy.median of v[0..n-1], n >= 1, on a copy in tmp. */
static double median_of(const double *v, size_t n, double *tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = v[i];
    return percentile_linear(tmp, n, 50.0);
}

/* Keeps the blocks whose chromaticity lies within EXPOSURE_CHROMA_SPREAD
 * times the median distance (at least EXPOSURE_CHROMA_FLOOR) of the
 * median chromaticity; writes their luminance to y[] and returns their
 * number. mean[k] holds block k's mean linear sRGB. */
static size_t skin_coloured(const double (*mean)[3], size_t n, double *y,
                            double *tmp)
{
    double *cr = tmp, *cg = tmp + n, *d = tmp + 2 * n, *scratch = tmp + 3 * n;
    for (size_t k = 0; k < n; k++) {
        double c[2];
        chromaticity(mean[k], c);
        cr[k] = c[0];
        cg[k] = c[1];
    }
    double mr = median_of(cr, n, scratch), mg = median_of(cg, n, scratch);
    for (size_t k = 0; k < n; k++)
        d[k] = hypot(cr[k] - mr, cg[k] - mg);
    double lim = EXPOSURE_CHROMA_SPREAD * median_of(d, n, scratch);
    if (lim < EXPOSURE_CHROMA_FLOOR)
        lim = EXPOSURE_CHROMA_FLOOR;
    size_t nk = 0;
    for (size_t k = 0; k < n; k++)
        if (d[k] <= lim)
            y[nk++] = SCAR__LUMA_R * mean[k][0] + SCAR__LUMA_G * mean[k][1] +
                      SCAR__LUMA_B * mean[k][2];
    return nk;
}

int scar__score_exposure_reference(const scar__score_input *in,
                                   const char *ctx, double *y_ref)
{
    *y_ref = 0.0;
    if (!in->indices.rows)
        return SCAR_OK; /* planes only (unit tests): no image to read */
    uint32_t W = in->labels->width, H = in->labels->height;
    /* px_per_mm <= 10000 (scar_analyze_options): side <= 50000 px; at
     * a tiny scale the side grows so that there are at most
     * EXPOSURE_MAX_BLOCKS blocks (memory) */
    long side = lround(EXPOSURE_BLOCK_MM * in->px_per_mm);
    uint32_t b = side < 1 ? 1u : (uint32_t)side;
    double min_side = ceil(sqrt((double)W * (double)H / EXPOSURE_MAX_BLOCKS));
    if ((double)b < min_side)
        b = (uint32_t)min_side;
    uint32_t bw = (W + b - 1) / b, bh = (H + b - 1) / b;
    size_t nb = (size_t)bw * bh;
    double (*sum)[3] = calloc(nb, sizeof *sum);
    uint32_t *cnt = calloc(nb, sizeof *cnt);
    double *tmp = malloc((5 * nb + 1) * sizeof *tmp);
    float *lin = malloc(3 * (size_t)W * sizeof *lin);
    if (!sum || !cnt || !tmp || !lin) {
        free(sum);
        free(cnt);
        free(tmp);
        free(lin);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (exposure "
                          "blocks)", ctx);
    }
    double all[3] = {0, 0, 0};
    size_t n_all = 0;
    for (uint32_t y = 0; y < H; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *s = scar__mask_row(in->skin, y);
        size_t row0 = (size_t)(y / b) * bw;
        scar__index_rows_linear_row(in->indices.rows, y, lin, lin + W,
                                    lin + 2 * (size_t)W);
        for (uint32_t x = 0; x < W; x++) {
            if (!s[x] || l[x] != 0)
                continue;
            for (int c = 0; c < 3; c++) {
                float v = lin[(size_t)c * W + x];
                sum[row0 + x / b][c] += v;
                all[c] += v;
            }
            cnt[row0 + x / b]++;
            n_all++;
        }
    }
    /* a block counts when at least half of its b x b pixels are healthy
     * skin (the part of an edge block outside the photo counts as not) */
    size_t nv = 0;
    double half = 0.5 * (double)b * (double)b;
    for (size_t k = 0; k < nb; k++)
        if ((double)cnt[k] >= half) {
            for (int c = 0; c < 3; c++)
                sum[nv][c] = sum[k][c] / (double)cnt[k];
            nv++;
        }
    double *yv = tmp + 4 * nb;
    size_t ny = nv ? skin_coloured((const double (*)[3])sum, nv, yv, tmp) : 0;
    if (ny)
        *y_ref = percentile_linear(yv, ny, EXPOSURE_PERCENTILE);
    else if (n_all) /* no full block: mean healthy skin */
        *y_ref = (SCAR__LUMA_R * all[0] + SCAR__LUMA_G * all[1] +
                  SCAR__LUMA_B * all[2]) / (double)n_all;
    free(sum);
    free(cnt);
    free(tmp);
    free(lin);
    return SCAR_OK;
}

double scar__score_exposure_gain(const scar__score_input *in, int32_t id)
{
    if (!(in->exposure_ref > 0.0) || !in->indices.rows)
        return 1.0;
    size_t a = in->rings->off[id - 1], b = in->rings->off[id];
    if (b <= a)
        return 1.0;
    uint32_t W = in->labels->width;
    double sum = 0.0;
    for (size_t j = a; j < b; j++) {
        uint32_t k = in->rings->idx[j];
        sum += scar__index_rows_luminance(in->indices.rows, k % W, k / W);
    }
    double y_ring = sum / (double)(b - a);
    return y_ring > 0.0 ? in->exposure_ref / y_ring : 1.0;
}
