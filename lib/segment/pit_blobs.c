/* pit_blobs.c — dark blobs of a pit's size in the L* residual, by their
 * difference of Gaussians; see segment.h and docs/segment.md (step 3,
 * "Pits found as blobs").
 *
 * The anomaly score of a small pit on a crowded, mottled cheek can stay
 * under the 15 sd of step 3's strong cores (8-17 sd, median 12, for the
 * icepicks the phantoms' acne cheeks lose inside larger candidates), while
 * the mottle around it keeps it inside a candidate many times its size.
 * A difference of Gaussians (sigma s minus sigma 3 s: a Mexican-hat band
 * pass, Marr & Hildreth 1980) of zL answers a dark blob about 2.8 s
 * across and not the slow mottle; robust-z'd over the skin, it is a
 * pit's evidence. A blob is the connected set at or below -PIT_DOG_Z / 2
 * that holds a pixel at or below -PIT_DOG_Z: the pit's own extent at
 * half of that level. In a one-off check on the 60 + 60 `real` benchmark
 * phantoms (a scratch script over the anomaly maps, scales 0.15-0.4 mm),
 * no local minimum 1 mm or more from every lesion reached -6, while 58
 * of the 65 icepicks lost inside larger candidates reached -8
 * (docs/segment.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter/filter.h"
#include "morph/morph.h"
#include "segment/robust.h"
#include "segment/segment.h"

#define PIT_DOG_Z 8.0f          /* robust sd of the blob response */
#define PIT_SURROUND 3.0        /* surround sigma / centre sigma */
#define PIT_MIN_SIGMA_PX 0.7    /* a sigma resolves nothing below this */
/* The response's unit is at least this (zL units: the healthy skin's
 * pixel spread is 1, its band-passed spread 0.36-0.38 on the benchmark
 * phantoms): a map without texture (a synthetic one) has a MAD of
 * rounding errors, which would make any dark spot a blob. */
#define PIT_MIN_SD 0.05
/* The centre sigma: a disc of radius R answers best at sigma = R /
 * sqrt 2 (0.2 mm: pits about 0.6 mm across; the 1-2 mm ones answer
 * too). On the benchmark phantoms it found as many icepicks as 0.15 and
 * 0.25 mm together at half the cost; adding 0.4 mm (1.1 mm pits) cut
 * boxcar floors out of their candidates (docs/segment.md). */
#define PIT_SIGMA_MM 0.2

/* d = (d - median) / max(1.4826 MAD, PIT_MIN_SD) over the skin's sample
 * grid. */
static int robust_z(scar__planef *d, const scar__mask *skin, const char *ctx)
{
    float med = 0.0f, mad = 0.0f;
    int st = scar__median_mad(d, skin,
                              scar__stat_step(d->width, d->height), ctx,
                              &med, &mad);
    if (st)
        return st;
    double sd = fmax(SCAR__MAD_TO_SIGMA * mad, PIT_MIN_SD);
    float inv = (float)(1.0 / sd);
    for (uint32_t y = 0; y < d->height; y++) {
        float *r = scar__planef_row(d, y);
        for (uint32_t x = 0; x < d->width; x++)
            r[x] = (r[x] - med) * inv;
    }
    return SCAR_OK;
}

int scar__pit_blobs(const scar__planef *zL, const scar__mask *skin,
                    double ppm, const char *ctx, scar__mask *out)
{
    uint32_t w = zL->width, h = zL->height;
    /* three planes: the centre blur (then the response), the surround
     * blur (then the blobs' labels: 4 bytes per pixel either way) and the
     * blurs' scratch; the pixels they take live in `out` until the blobs
     * are written there (peak memory) */
    scar__planef centre = {0}, surround = {0}, scratch = {0};
    scar__mask valid = *out;
    float *lowest = NULL;
    int32_t n = 0;
    int st = scar__planef_alloc(w, h, ctx, &centre);
    if (!st) st = scar__planef_alloc(w, h, ctx, &surround);
    if (!st) st = scar__planef_alloc(w, h, ctx, &scratch);
    if (st)
        goto done;
    /* skin with a residual (none: no blob, and no statistics to fail) */
    uint64_t n_valid = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *s = skin ? scar__mask_row(skin, y) : NULL;
        const float *z = scar__planef_row(zL, y);
        uint8_t *v = scar__mask_row(&valid, y);
        for (uint32_t x = 0; x < w; x++) {
            v[x] = (!s || s[x]) && isfinite(z[x]);
            n_valid += v[x];
        }
    }
    if (n_valid == 0)
        goto done;
    double sigma = fmax(PIT_MIN_SIGMA_PX, PIT_SIGMA_MM * ppm);
    const scar__planef *in[1] = {zL};
    scar__planef *oc[1] = {&centre}, *os[1] = {&surround};
    st = scar__gaussian_masked_n_scratch(in, oc, 1, &valid, sigma, 0.0f,
                                         &scratch, ctx);
    if (!st)
        st = scar__gaussian_masked_n_scratch(in, os, 1, &valid,
                                             PIT_SURROUND * sigma, 0.0f,
                                             &scratch, ctx);
    scar__plane_free(scratch.data);
    scratch.data = NULL;
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        float *c = scar__planef_row(&centre, y);
        const float *u = scar__planef_row(&surround, y);
        for (uint32_t x = 0; x < w; x++)
            c[x] -= u[x];
    }
    st = robust_z(&centre, &valid, ctx);
    if (st)
        goto done;
    /* blobs: skin at or below half the level, holding a pixel at it */
    for (uint32_t y = 0; y < h; y++) {
        const float *c = scar__planef_row(&centre, y);
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = o[x] && c[x] <= -0.5f * PIT_DOG_Z;
    }
    scar__labels comp = {(int32_t *)(void *)surround.data, w, h,
                         surround.stride};
    st = scar__label(out, NULL, 8, &comp, &n);
    if (st || n == 0)
        goto done;
    lowest = calloc((size_t)n + 1, sizeof *lowest);
    if (!lowest) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (pit blobs)", ctx);
        goto done;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *q = scar__labels_row(&comp, y);
        const float *c = scar__planef_row(&centre, y);
        for (uint32_t x = 0; x < w; x++)
            if (q[x] && c[x] < lowest[q[x]])
                lowest[q[x]] = c[x];
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *q = scar__labels_row(&comp, y);
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = q[x] && lowest[q[x]] <= -PIT_DOG_Z;
    }
done:
    if (st) /* no blob rather than a half-made mask */
        for (uint32_t y = 0; y < h; y++)
            memset(scar__mask_row(out, y), 0, w);
    free(lowest);
    scar__plane_free(centre.data);
    scar__plane_free(surround.data);
    scar__plane_free(scratch.data);
    return st;
}
