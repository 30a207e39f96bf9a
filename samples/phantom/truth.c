/* truth.c — what a careful annotator would record for each lesion, measured
 * on the clean render: area, bounding box, mean CIELAB inside and in the
 * perilesional ring, and the CIEDE2000 difference between the two. */
#include <math.h>
#include <stdlib.h>

#include "internal.h"
#include "scarscore.h"

/* "Infinite" distance for non-lesion pixels: far above any squared distance
 * in a window, small enough that q^2 still counts in double precision. */
#define BIG 1e12
#define ZINF 1e300

/* 1-D squared Euclidean distance transform of sampled function f
 * (Felzenszwalb & Huttenlocher, "Distance transforms of sampled functions",
 * Theory of Computing 8, 2012). v, z are scratch of n and n + 1. */
static void edt1d(const double *f, double *d, int n, int *v, double *z)
{
    int k = 0;
    v[0] = 0;
    z[0] = -ZINF;
    z[1] = ZINF;
    for (int q = 1; q < n; q++) {
        double s;
        for (;;) { /* z[0] = -inf ends the loop at k = 0 at the latest */
            int p = v[k];
            s = ((f[q] + (double)q * q) - (f[p] + (double)p * p)) / (2.0 * (q - p));
            if (s > z[k])
                break;
            k--;
        }
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = ZINF;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
        while (z[k + 1] < q)
            k++;
        double dq = q - v[k];
        d[q] = dq * dq + f[v[k]];
    }
}

static void pixel_lab(const phantom *ph, size_t k, double lab[3])
{
    double rgb[3];
    for (int c = 0; c < 3; c++)
        rgb[c] = ph->clean[3 * k + c] / 65535.0;
    scar_srgb_to_lab(rgb, lab);
}

static int measure_one(phantom *ph, phantom_lesion *l)
{
    uint32_t w = ph->p.width, h = ph->p.height;
    double ppm = ph->p.px_per_mm;
    int x0 = (int)floor(l->cx - l->core_px - 2), x1 = (int)ceil(l->cx + l->core_px + 2);
    int y0 = (int)floor(l->cy - l->core_px - 2), y1 = (int)ceil(l->cy + l->core_px + 2);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 >= (int)w) x1 = (int)w - 1;
    if (y1 >= (int)h) y1 = (int)h - 1;
    int bx0 = x1 + 1, bx1 = -1, by0 = y1 + 1, by1 = -1;
    double sum[3] = {0, 0, 0};
    uint64_t n_in = 0, n_lab = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) {
            size_t k = (size_t)y * w + x;
            if (ph->labels[k] != l->id)
                continue;
            n_in++;
            if (x < bx0) bx0 = x;
            if (x > bx1) bx1 = x;
            if (y < by0) by0 = y;
            if (y > by1) by1 = y;
            if (ph->excluded[k])
                continue;
            double lab[3];
            pixel_lab(ph, k, lab);
            for (int c = 0; c < 3; c++)
                sum[c] += lab[c];
            n_lab++;
        }
    l->area_px = n_in;
    l->area_mm2 = n_in / (ppm * ppm);
    for (int c = 0; c < 3; c++) {
        l->lab_in[c] = n_lab ? sum[c] / n_lab : NAN;
        l->lab_ring[c] = NAN;
    }
    l->ring_px = 0;
    l->delta_e00 = NAN;
    if (!n_in) {
        l->bbox[0] = l->bbox[1] = l->bbox[2] = l->bbox[3] = 0;
        return 0;
    }
    l->bbox[0] = (uint32_t)bx0;
    l->bbox[1] = (uint32_t)by0;
    l->bbox[2] = (uint32_t)(bx1 - bx0 + 1);
    l->bbox[3] = (uint32_t)(by1 - by0 + 1);

    /* Ring: skin pixels whose centre lies 1..3 mm from the nearest lesion
     * pixel centre, not in any lesion, not hair. */
    int m = (int)ceil(3.0 * ppm) + 2;
    int wx0 = bx0 - m, wx1 = bx1 + m, wy0 = by0 - m, wy1 = by1 + m;
    if (wx0 < 0) wx0 = 0;
    if (wy0 < 0) wy0 = 0;
    if (wx1 >= (int)w) wx1 = (int)w - 1;
    if (wy1 >= (int)h) wy1 = (int)h - 1;
    int ww = wx1 - wx0 + 1, wh = wy1 - wy0 + 1;
    int nmax = ww > wh ? ww : wh;
    double *d2 = malloc((size_t)ww * wh * sizeof(double));
    double *f = malloc((size_t)nmax * sizeof(double));
    double *out = malloc((size_t)nmax * sizeof(double));
    double *z = malloc((size_t)(nmax + 1) * sizeof(double));
    int *v = malloc((size_t)nmax * sizeof(int));
    if (!d2 || !f || !out || !z || !v) {
        free(d2), free(f), free(out), free(z), free(v);
        return -1;
    }
    for (int y = 0; y < wh; y++) {
        for (int x = 0; x < ww; x++)
            f[x] = ph->labels[(size_t)(y + wy0) * w + (x + wx0)] == l->id ? 0.0 : BIG;
        edt1d(f, out, ww, v, z);
        for (int x = 0; x < ww; x++)
            d2[(size_t)y * ww + x] = out[x];
    }
    for (int x = 0; x < ww; x++) {
        for (int y = 0; y < wh; y++)
            f[y] = d2[(size_t)y * ww + x];
        edt1d(f, out, wh, v, z);
        for (int y = 0; y < wh; y++)
            d2[(size_t)y * ww + x] = out[y];
    }
    double r1 = ppm * ppm, r2 = 9.0 * ppm * ppm;
    double rs[3] = {0, 0, 0};
    uint64_t nr = 0;
    for (int y = 0; y < wh; y++)
        for (int x = 0; x < ww; x++) {
            double dd = d2[(size_t)y * ww + x];
            if (dd < r1 || dd > r2)
                continue;
            size_t k = (size_t)(y + wy0) * w + (x + wx0);
            if (ph->labels[k] || ph->excluded[k])
                continue;
            double lab[3];
            pixel_lab(ph, k, lab);
            for (int c = 0; c < 3; c++)
                rs[c] += lab[c];
            nr++;
        }
    free(d2), free(f), free(out), free(z), free(v);
    l->ring_px = nr;
    if (nr && n_lab) {
        for (int c = 0; c < 3; c++)
            l->lab_ring[c] = rs[c] / nr;
        l->delta_e00 = scar_delta_e00(l->lab_in, l->lab_ring);
    }
    return 0;
}

int truth_measure(phantom *ph)
{
    for (int i = 0; i < ph->n_lesions; i++)
        if (measure_one(ph, &ph->les[i]))
            return -1;
    return 0;
}
