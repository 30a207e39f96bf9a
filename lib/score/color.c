/* color.c — colour of a region and of its perilesional ring: means and
 * medians of L*, a*, b*, means of MI, EI and the Tsumura densities, and
 * the split-ring spread of CIEDE2000 (docs/metrics.md). Reads only the
 * region's bounding box and its ring pixels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "score/score.h"

enum { Q_L, Q_A, Q_B, Q_MI, Q_EI, Q_MEL, Q_HB, Q_N };

static void sample(const scar__score_input *in, uint32_t x, uint32_t y,
                   double v[Q_N])
{
    v[Q_L] = scar__planef_row(&in->lab->L, y)[x];
    v[Q_A] = scar__planef_row(&in->lab->a, y)[x];
    v[Q_B] = scar__planef_row(&in->lab->b, y)[x];
    float ix[4];
    scar__score_indices_pixel(&in->indices, x, y, ix);
    v[Q_MI] = ix[0];
    v[Q_EI] = ix[1];
    v[Q_MEL] = ix[2];
    v[Q_HB] = ix[3];
}

/* Medians of the three Lab channels of n samples stored channel-major in
 * buf (3 * n floats). */
static void lab_medians(float *buf, size_t n, double med[3])
{
    for (int c = 0; c < 3; c++)
        med[c] = scar__score_median(buf + (size_t)c * n, n);
}

int scar__score_color(const scar__score_input *in, int32_t id,
                      scar_region *r, const char *ctx)
{
    uint32_t W = in->labels->width;
    size_t a = in->rings->off[id - 1], b = in->rings->off[id];
    size_t n_ring = b - a;
    size_t cap = (size_t)r->area_px > n_ring ? (size_t)r->area_px : n_ring;
    float *buf = malloc((cap ? cap : 1) * 3 * sizeof *buf);
    if (!buf)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (region colour)",
                          ctx);

    /* inside: region pixels that are analysed skin */
    double sum[Q_N] = {0}, v[Q_N];
    size_t n_in = 0;
    for (uint32_t y = r->bbox_y0; y < r->bbox_y1; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *s = scar__mask_row(in->skin, y);
        for (uint32_t x = r->bbox_x0; x < r->bbox_x1; x++) {
            if (l[x] != id || !s[x])
                continue;
            sample(in, x, y, v);
            for (int q = 0; q < Q_N; q++)
                sum[q] += v[q];
            for (int c = 0; c < 3; c++)
                buf[(size_t)c * cap + n_in] = (float)v[c];
            n_in++;
        }
    }
    double mean_in[Q_N];
    for (int q = 0; q < Q_N; q++)
        mean_in[q] = n_in ? sum[q] / (double)n_in : NAN;
    /* compact the channel-major buffer to stride n_in, then medians */
    for (int c = 1; c < 3; c++)
        memmove(buf + (size_t)c * n_in, buf + (size_t)c * cap,
                n_in * sizeof *buf);
    lab_medians(buf, n_in, r->lab_inside_median);

    /* ring, and its four quadrant sectors around the centroid */
    double rsum[Q_N] = {0}, sec[4][3] = {{0}};
    size_t sec_n[4] = {0};
    for (size_t j = a; j < b; j++) {
        uint32_t idx = in->rings->idx[j];
        uint32_t y = idx / W, x = idx % W;
        sample(in, x, y, v);
        for (int q = 0; q < Q_N; q++)
            rsum[q] += v[q];
        for (int c = 0; c < 3; c++)
            buf[(size_t)c * n_ring + (j - a)] = (float)v[c];
        /* sector k: 0 = right-below (dx >= 0, dy >= 0), 1 = left-below,
         * 2 = left-above, 3 = right-above; ties go to the >= side */
        double dx = (double)x - r->centroid_x, dy = (double)y - r->centroid_y;
        int k = dy >= 0 ? (dx >= 0 ? 0 : 1) : (dx >= 0 ? 3 : 2);
        for (int c = 0; c < 3; c++)
            sec[k][c] += v[c];
        sec_n[k]++;
    }
    double mean_ring[Q_N];
    for (int q = 0; q < Q_N; q++)
        mean_ring[q] = n_ring ? rsum[q] / (double)n_ring : NAN;
    lab_medians(buf, n_ring, r->lab_ring_median);
    free(buf);

    r->ring_area_px = (double)n_ring;
    for (int c = 0; c < 3; c++) {
        r->lab_inside[c] = mean_in[c];
        r->lab_ring[c] = mean_ring[c];
    }
    r->mi_inside = mean_in[Q_MI];
    r->mi_ring = mean_ring[Q_MI];
    r->ei_inside = mean_in[Q_EI];
    r->ei_ring = mean_ring[Q_EI];
    r->melanin_inside = mean_in[Q_MEL];
    r->melanin_ring = mean_ring[Q_MEL];
    r->haemoglobin_inside = mean_in[Q_HB];
    r->haemoglobin_ring = mean_ring[Q_HB];

    /* split-ring repeatability: sample SD (n - 1) of the CIEDE2000 of the
     * inside mean against each non-empty sector's mean */
    double de[4];
    int nk = 0;
    for (int k = 0; k < 4; k++) {
        if (!sec_n[k] || !n_in)
            continue;
        double m[3];
        for (int c = 0; c < 3; c++)
            m[c] = sec[k][c] / (double)sec_n[k];
        de[nk++] = scar_delta_e00(r->lab_inside, m);
    }
    if (nk >= 2) {
        double mu = 0.0, ss = 0.0;
        for (int k = 0; k < nk; k++)
            mu += de[k];
        mu /= nk;
        for (int k = 0; k < nk; k++)
            ss += (de[k] - mu) * (de[k] - mu);
        r->delta_e00_sd = sqrt(ss / (nk - 1));
    } else {
        r->delta_e00_sd = NAN;
    }
    return SCAR_OK;
}
