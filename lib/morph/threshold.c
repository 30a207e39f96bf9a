/* threshold.c — Otsu's threshold and hysteresis thresholding, replicating
 * skimage.filters.threshold_otsu / apply_hysteresis_threshold (0.19) to the
 * bit for float32 input.
 *
 * Otsu (1979) picks the bin centre maximising the between-class variance
 * w1 w2 (m1 - m2)^2. skimage evaluates it on a numpy.histogram of the
 * values: edges = float32(linspace(min, max, nbins + 1)) computed in float64
 * (numpy.linspace upcasts), a value v falls in bin i when
 * edges[i] <= v < edges[i + 1] (the last bin is closed), and the centres
 * are (edges[i] + edges[i + 1]) / 2 in float32. The cumulative sums are
 * float64, accumulated in the same order as numpy.cumsum. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "scarscore.h"

/* Otsu core on counts/centres (both length n, counts[0] and counts[n-1]
 * positive): index of the first maximum of the between-class variance. */
static int otsu_index(const double *counts, const double *centers, size_t n,
                      size_t *best_out, const char *fn)
{
    double *w1 = malloc(n * sizeof *w1), *m1 = malloc(n * sizeof *m1);
    double *w2 = malloc(n * sizeof *w2), *m2 = malloc(n * sizeof *m2);
    if (!w1 || !m1 || !w2 || !m2) {
        free(w1), free(m1), free(w2), free(m2);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
    }
    double cw = 0, cm = 0;
    for (size_t i = 0; i < n; i++) {
        cw += counts[i];
        cm += counts[i] * centers[i];
        w1[i] = cw;
        m1[i] = cm / cw;
    }
    cw = cm = 0;
    for (size_t i = n; i-- > 0;) {
        cw += counts[i];
        cm += counts[i] * centers[i];
        w2[i] = cw;
        m2[i] = cm / cw;
    }
    size_t best = 0;
    double bestv = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double d = m1[i] - m2[i + 1];
        double v = w1[i] * w2[i + 1] * (d * d);
        /* numpy.argmax: first maximum; a NaN wins at once */
        if (isnan(v)) {
            best = i;
            break;
        }
        if (i == 0 || v > bestv)
            best = i, bestv = v;
    }
    free(w1), free(m1), free(w2), free(m2);
    *best_out = best;
    return SCAR_OK;
}

int scar__otsu_threshold_hist(const double *counts, const double *centers,
                              uint32_t nbins, double *threshold)
{
    static const char fn[] = "scar__otsu_threshold_hist";
    if (!counts || !threshold || nbins == 0)
        return scar__fail(SCAR_E_INVALID, "%s: counts or threshold is NULL "
                          "or nbins is 0", fn);
    /* trim empty bins at both ends, as skimage does */
    size_t lo = 0, hi = nbins;
    while (lo < hi && !(counts[lo] > 0))
        lo++;
    while (hi > lo && !(counts[hi - 1] > 0))
        hi--;
    if (lo == hi)
        return scar__fail(SCAR_E_INVALID, "%s: the histogram is empty; "
                          "need at least one positive count", fn);
    double *c = NULL;
    if (!centers) {
        c = malloc((size_t)nbins * sizeof *c);
        if (!c)
            return scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
        for (uint32_t i = 0; i < nbins; i++)
            c[i] = i;
        centers = c;
    }
    size_t best = 0;
    int st = SCAR_OK;
    if (hi - lo > 1)
        st = otsu_index(counts + lo, centers + lo, hi - lo, &best, fn);
    if (st == SCAR_OK)
        *threshold = centers[lo + best];
    free(c);
    return st;
}

int scar__otsu_threshold(const scar__planef *img, const scar__mask *mask,
                         uint32_t nbins, float *threshold)
{
    static const char fn[] = "scar__otsu_threshold";
    int st = scar__check_planef(img, fn, "img");
    if (st == SCAR_OK && mask)
        st = scar__check_mask(mask, fn, "mask");
    if (st == SCAR_OK && mask)
        st = scar__check_same_size(img->width, img->height, mask->width,
                                   mask->height, fn, "mask");
    if (st)
        return st;
    if (!threshold || nbins < 2)
        return scar__fail(SCAR_E_INVALID, "%s: threshold is NULL or nbins "
                          "%u < 2", fn, nbins);
    /* range of the selected finite values */
    int any = 0;
    float vmin = 0, vmax = 0;
    for (uint32_t y = 0; y < img->height; y++) {
        const float *row = scar__planef_row(img, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        for (uint32_t x = 0; x < img->width; x++) {
            float v = row[x];
            if ((m && !m[x]) || !isfinite(v))
                continue;
            if (!any)
                vmin = vmax = v, any = 1;
            else if (v < vmin)
                vmin = v;
            else if (v > vmax)
                vmax = v;
        }
    }
    if (!any)
        return scar__fail(SCAR_E_INVALID, "%s: no finite value under the "
                          "mask; nothing to threshold", fn);
    if (vmin == vmax) {  /* skimage returns the single value */
        *threshold = vmin;
        return SCAR_OK;
    }
    float *edges = malloc(((size_t)nbins + 1) * sizeof *edges);
    double *counts = calloc(nbins, sizeof *counts);
    double *centers = malloc((size_t)nbins * sizeof *centers);
    if (!edges || !counts || !centers) {
        free(edges), free(counts), free(centers);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
    }
    /* numpy.linspace in float64, then cast to float32; last edge = max */
    const double start = vmin, step = ((double)vmax - start) / nbins;
    for (uint32_t i = 0; i < nbins; i++) {
        volatile double t = (double)i * step;  /* no fused multiply-add */
        edges[i] = (float)(t + start);
    }
    edges[nbins] = vmax;
    for (uint32_t i = 0; i < nbins; i++) {
        float s = edges[i] + edges[i + 1];
        centers[i] = (double)(s / 2.0f);
    }
    const double scale = nbins / ((double)vmax - start);
    for (uint32_t y = 0; y < img->height; y++) {
        const float *row = scar__planef_row(img, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        for (uint32_t x = 0; x < img->width; x++) {
            float v = row[x];
            if ((m && !m[x]) || !isfinite(v))
                continue;
            /* guess, then settle against the float32 edges exactly */
            int64_t i = (int64_t)(((double)v - start) * scale);
            if (i >= (int64_t)nbins)
                i = nbins - 1;
            if (i < 0)
                i = 0;
            while (i > 0 && v < edges[i])
                i--;
            while (i + 1 < (int64_t)nbins && v >= edges[i + 1])
                i++;
            counts[i] += 1.0;
        }
    }
    size_t best = 0;
    st = otsu_index(counts, centers, nbins, &best, fn);
    if (st == SCAR_OK)
        *threshold = (float)centers[best];
    free(edges), free(counts), free(centers);
    return st;
}

int scar__hysteresis_threshold(const scar__planef *img,
                               const scar__mask *valid, float low, float high,
                               scar__mask *out)
{
    return scar__hysteresis_threshold_scratch(img, valid, low, high, NULL,
                                              out);
}

int scar__hysteresis_threshold_scratch(const scar__planef *img,
                                       const scar__mask *valid, float low,
                                       float high, scar__labels *scratch,
                                       scar__mask *out)
{
    static const char fn[] = "scar__hysteresis_threshold";
    int st = scar__check_planef(img, fn, "img");
    if (st == SCAR_OK && valid)
        st = scar__check_mask(valid, fn, "valid");
    if (st == SCAR_OK && valid)
        st = scar__check_same_size(img->width, img->height, valid->width,
                                   valid->height, fn, "valid");
    if (st == SCAR_OK)
        st = scar__check_mask(out, fn, "out");
    if (st == SCAR_OK)
        st = scar__check_same_size(img->width, img->height, out->width,
                                   out->height, fn, "out");
    if (st == SCAR_OK && scratch && !scratch->data)
        st = scar__fail(SCAR_E_INVALID, "%s: scratch label map has no data "
                        "(pass NULL to let the function allocate one)", fn);
    if (st == SCAR_OK && scratch)
        st = scar__check_same_size(img->width, img->height, scratch->width,
                                   scratch->height, fn, "scratch");
    if (st)
        return st;
    if (isnan(low) || isnan(high))
        return scar__fail(SCAR_E_INVALID, "%s: low or high is NaN", fn);
    if (low > high)
        low = high;
    const uint32_t w = img->width, h = img->height;
    for (uint32_t y = 0; y < h; y++) {
        const float *row = scar__planef_row(img, y);
        const uint8_t *m = valid ? scar__mask_row(valid, y) : NULL;
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = (!m || m[x]) && row[x] > low;
    }
    /* the component labels: the caller's scratch map (lent so that no
     * fifth 4 B/px plane coexists with the caller's, docs/performance.md)
     * or an own one */
    scar__labels lab = {0};
    if (scratch)
        lab = *scratch;
    else if ((st = scar__labels_alloc(w, h, fn, &lab)) != SCAR_OK)
        return st;
    int32_t n = 0;
    st = scar__label(out, NULL, 4, &lab, &n);
    uint8_t *keep = st ? NULL : calloc((size_t)n + 1, 1);
    if (!st && !keep)
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
    if (st) {
        if (!scratch)
            scar__plane_free(lab.data);
        return st;
    }
    for (uint32_t y = 0; y < h; y++) {
        const float *row = scar__planef_row(img, y);
        const int32_t *l = scar__labels_row(&lab, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x] && row[x] > high)
                keep[l[x]] = 1;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(&lab, y);
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = keep[l[x]];
    }
    free(keep);
    if (!scratch)
        scar__plane_free(lab.data);
    return SCAR_OK;
}
