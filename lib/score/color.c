/* color.c — colour of a region and of its perilesional ring: means and
 * medians of L*, a*, b* (at the region's exposure gain, exposure.c), means
 * of MI, EI and the Tsumura densities, and the split-ring spread of
 * CIEDE2000 (docs/metrics.md). Reads only the region's bounding box and
 * its ring pixels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "score/score.h"

enum { Q_L, Q_A, Q_B, Q_MI, Q_EI, Q_MEL, Q_HB, Q_N };

/* All quantities of pixel (x, y), whose L*, a*, b* are given. */
static void sample(const scar__score_input *in, uint32_t x, uint32_t y,
                   float L, float a, float b, double v[Q_N])
{
    v[Q_L] = L;
    v[Q_A] = a;
    v[Q_B] = b;
    float ix[4];
    scar__score_indices_pixel(&in->indices, x, y, ix);
    v[Q_MI] = ix[0];
    v[Q_EI] = ix[1];
    v[Q_MEL] = ix[2];
    v[Q_HB] = ix[3];
}

/* L*, a*, b* of the n pixels (x.., y) at exposure gain g: the L* plane
 * and scar__score_ab when g is 1 (the values the analysis used), else the
 * image's linear sRGB times g (scar__index_rows_lab). Any output may be
 * NULL. */
static void lab_span(const scar__score_input *in, float g, uint32_t x,
                     uint32_t y, size_t n, float *L, float *a, float *b)
{
    if (g != 1.0f) {
        scar__index_rows_lab(in->indices.rows, g, x, y, n, L, a, b);
        return;
    }
    if (L)
        memcpy(L, scar__planef_row(&in->lab->L, y) + x, n * sizeof *L);
    if (a || b)
        scar__score_ab(in, x, y, n, a, b);
}

/* lab_span of the n pixels idx[i] = y * width + x (ring pixels). */
static void lab_at(const scar__score_input *in, float g, const uint32_t *idx,
                   size_t n, float *L, float *a, float *b)
{
    if (g != 1.0f) {
        scar__index_rows_lab_at(in->indices.rows, g, idx, n, L, a, b);
        return;
    }
    uint32_t W = in->labels->width;
    if (L)
        for (size_t j = 0; j < n; j++)
            L[j] = scar__planef_row(&in->lab->L, idx[j] / W)[idx[j] % W];
    if (a || b)
        scar__score_ab_at(in, idx, n, a, b);
}

/* Channel c (Q_L, Q_A, Q_B) of lab_span into out. */
static void channel_span(const scar__score_input *in, float g, int c,
                         uint32_t x, uint32_t y, size_t n, float *out)
{
    lab_span(in, g, x, y, n, c == Q_L ? out : NULL, c == Q_A ? out : NULL,
             c == Q_B ? out : NULL);
}

/* The first and one past the last x of [x0, x1) where row l is `id` and
 * row s is set (xa == xb: none): a*, b* are computed only there. */
static void row_extent(const int32_t *l, const uint8_t *s, int32_t id,
                       uint32_t x0, uint32_t x1, uint32_t *xa, uint32_t *xb)
{
    uint32_t a = x0, b = x1;
    while (a < b && !(l[a] == id && s[a]))
        a++;
    while (b > a && !(l[b - 1] == id && s[b - 1]))
        b--;
    *xa = a;
    *xb = b;
}

/* Channel c of the region's analysed-skin pixels, in raster order, into
 * buf; returns their count. `row` holds the bbox width. */
static size_t gather_inside(const scar__score_input *in, float g,
                            int32_t id, const scar_region *r, int c,
                            float *row, float *buf)
{
    size_t n = 0;
    for (uint32_t y = r->bbox_y0; y < r->bbox_y1; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *s = scar__mask_row(in->skin, y);
        uint32_t xa, xb;
        row_extent(l, s, id, r->bbox_x0, r->bbox_x1, &xa, &xb);
        if (xa == xb)
            continue;
        channel_span(in, g, c, xa, y, xb - xa, row);
        for (uint32_t x = xa; x < xb; x++)
            if (l[x] == id && s[x])
                buf[n++] = row[x - xa];
    }
    return n;
}

/* Channel c of the ring pixels idx[a..b) at gain g into buf. */
static void gather_ring(const scar__score_input *in, float g, size_t a,
                        size_t b, int c, float *buf)
{
    if (b <= a)
        return; /* empty ring: its index array may be NULL */
    lab_at(in, g, in->rings->idx + a, b - a, c == Q_L ? buf : NULL,
           c == Q_A ? buf : NULL, c == Q_B ? buf : NULL);
}

int scar__score_color(const scar__score_input *in, int32_t id,
                      scar_region *r, const char *ctx)
{
    uint32_t W = in->labels->width;
    size_t a = in->rings->off[id - 1], b = in->rings->off[id];
    size_t n_ring = b - a;
    size_t cap = (size_t)r->area_px > n_ring ? (size_t)r->area_px : n_ring;
    /* one channel at a time (4 bytes per pixel of the region, not 12:
     * peak memory when one lesion fills the frame, docs/performance.md),
     * and L*, a*, b* of one row span (3 x image width) */
    float *buf = malloc((cap ? cap : 1) * sizeof *buf);
    float *rl = malloc(3 * (size_t)W * sizeof *rl);
    if (!buf || !rl) {
        free(buf);
        free(rl);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (region colour)",
                          ctx);
    }
    float *ra = rl + W, *rb = ra + W;
    /* exposure normalisation: every L*a*b* below at the region's gain */
    float g = (float)scar__score_exposure_gain(in, id);
    r->exposure_gain = g; /* the factor applied, as rounded */

    /* inside: region pixels that are analysed skin */
    double sum[Q_N] = {0}, v[Q_N];
    size_t n_in = 0;
    for (uint32_t y = r->bbox_y0; y < r->bbox_y1; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *s = scar__mask_row(in->skin, y);
        uint32_t xa, xb;
        row_extent(l, s, id, r->bbox_x0, r->bbox_x1, &xa, &xb);
        if (xa == xb)
            continue;
        lab_span(in, g, xa, y, xb - xa, rl, ra, rb);
        for (uint32_t x = xa; x < xb; x++) {
            if (l[x] != id || !s[x])
                continue;
            sample(in, x, y, rl[x - xa], ra[x - xa], rb[x - xa], v);
            for (int q = 0; q < Q_N; q++)
                sum[q] += v[q];
            n_in++;
        }
    }
    double mean_in[Q_N];
    for (int q = 0; q < Q_N; q++)
        mean_in[q] = n_in ? sum[q] / (double)n_in : NAN;
    for (int c = 0; c < 3; c++) {
        size_t n = gather_inside(in, g, id, r, c, rl, buf);
        r->lab_inside_median[c] = scar__score_median(buf, n);
    }

    /* ring, and its four quadrant sectors around the centroid */
    double rsum[Q_N] = {0}, sec[4][3] = {{0}};
    size_t sec_n[4] = {0};
    size_t run0 = a, run_n = 0; /* a*, b* of ring pixels run0.. */
    for (size_t j = a; j < b; j++) {
        uint32_t idx = in->rings->idx[j];
        uint32_t y = idx / W, x = idx % W;
        if (j >= run0 + run_n) {
            run0 = j;
            run_n = b - j < W ? b - j : W;
            lab_at(in, g, in->rings->idx + j, run_n, rl, ra, rb);
        }
        sample(in, x, y, rl[j - run0], ra[j - run0], rb[j - run0], v);
        for (int q = 0; q < Q_N; q++)
            rsum[q] += v[q];
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
    for (int c = 0; c < 3; c++) {
        gather_ring(in, g, a, b, c, buf);
        r->lab_ring_median[c] = scar__score_median(buf, n_ring);
    }
    free(buf);
    free(rl);

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
