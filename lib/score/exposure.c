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

int scar__score_exposure_reference(const scar__score_input *in,
                                   const char *ctx, double *y_ref)
{
    *y_ref = 0.0;
    if (!in->indices.rows)
        return SCAR_OK; /* planes only (unit tests): no image to read */
    uint32_t W = in->labels->width, H = in->labels->height;
    /* px_per_mm <= 10000 (scar_analyze_options): side <= 50000 px */
    long side = lround(EXPOSURE_BLOCK_MM * in->px_per_mm);
    uint32_t b = side < 1 ? 1u : (uint32_t)side;
    uint32_t bw = (W + b - 1) / b, bh = (H + b - 1) / b;
    size_t nb = (size_t)bw * bh;
    double *sum = calloc(nb, sizeof *sum);
    uint32_t *cnt = calloc(nb, sizeof *cnt);
    if (!sum || !cnt) {
        free(sum);
        free(cnt);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (exposure "
                          "blocks)", ctx);
    }
    double all = 0.0;
    size_t n_all = 0;
    for (uint32_t y = 0; y < H; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *s = scar__mask_row(in->skin, y);
        size_t row0 = (size_t)(y / b) * bw;
        for (uint32_t x = 0; x < W; x++) {
            if (!s[x] || l[x] != 0)
                continue;
            double Y = scar__index_rows_luminance(in->indices.rows, x, y);
            sum[row0 + x / b] += Y;
            cnt[row0 + x / b]++;
            all += Y;
            n_all++;
        }
    }
    /* a block counts when at least half of its b x b pixels are healthy
     * skin (the part of an edge block outside the photo counts as not) */
    size_t nv = 0;
    double half = 0.5 * (double)b * (double)b;
    for (size_t k = 0; k < nb; k++)
        if ((double)cnt[k] >= half)
            sum[nv++] = sum[k] / (double)cnt[k];
    if (nv)
        *y_ref = percentile_linear(sum, nv, EXPOSURE_PERCENTILE);
    else if (n_all)
        *y_ref = all / (double)n_all; /* no full block: mean healthy skin */
    free(sum);
    free(cnt);
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
