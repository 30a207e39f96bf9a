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

/* One normalised convolution G*(z.m) / G*m, as two row streams. */
typedef struct blur_pair {
    scar__gauss_rows num, den;
} blur_pair;

/* Source row y: z.m (a masked-out value, maybe NaN, cleared bitwise as
 * scar__gaussian_masked does) and m. */
static void source_row(const scar__planef *zL, const scar__mask *valid,
                       uint32_t y, float *num, float *den)
{
    const float *z = scar__planef_row(zL, y);
    const uint8_t *m = scar__mask_row(valid, y);
    for (uint32_t x = 0; x < zL->width; x++) {
        uint32_t bits;
        memcpy(&bits, &z[x], sizeof bits);
        bits &= 0u - (uint32_t)(m[x] != 0);
        memcpy(&num[x], &bits, sizeof bits);
        den[x] = (float)(m[x] != 0);
    }
}

/* Feeds `b` the source rows its output row y needs. */
static void feed_to(blur_pair *b, const scar__planef *zL,
                    const scar__mask *valid, uint32_t y, float *num,
                    float *den)
{
    uint32_t need = scar__gauss_rows_needed(&b->num, y);
    while (b->num.fed < need) {
        source_row(zL, valid, b->num.fed, num, den);
        scar__gauss_rows_feed(&b->num, num);
        scar__gauss_rows_feed(&b->den, den);
    }
}

/* resp = centre - surround normalised convolutions of zL over `valid`
 * (0 where G*m < SCAR__GAUSS_MASKED_MIN_WEIGHT, as scar__gaussian_masked
 * with fill 0), streamed: the four blurs hold a few rows each, not a
 * plane. The sampled kernel at every sigma (the same numbers as
 * scar__gaussian_masked wherever it uses it: sigma < 4 px). */
static int dog_response(const scar__planef *zL, const scar__mask *valid,
                        double sigma, const char *ctx, scar__planef *resp)
{
    uint32_t w = zL->width, h = zL->height;
    blur_pair c = {{0}, {0}}, u = {{0}, {0}};
    float *rows = malloc((size_t)6 * w * sizeof *rows);
    int st = rows ? SCAR_OK
                  : scar__fail(SCAR_E_NOMEM, "%s: out of memory (pit blobs)",
                               ctx);
    if (!st) st = scar__gauss_rows_init(&c.num, w, h, sigma, ctx);
    if (!st) st = scar__gauss_rows_init(&c.den, w, h, sigma, ctx);
    if (!st) st = scar__gauss_rows_init(&u.num, w, h, PIT_SURROUND * sigma, ctx);
    if (!st) st = scar__gauss_rows_init(&u.den, w, h, PIT_SURROUND * sigma, ctx);
    float *num = rows, *den = rows + w, *cn = rows + 2 * (size_t)w,
          *cd = rows + 3 * (size_t)w, *un = rows + 4 * (size_t)w,
          *ud = rows + 5 * (size_t)w;
    const float min_w = (float)SCAR__GAUSS_MASKED_MIN_WEIGHT;
    for (uint32_t y = 0; !st && y < h; y++) {
        feed_to(&c, zL, valid, y, num, den);
        feed_to(&u, zL, valid, y, num, den);
        scar__gauss_rows_out(&c.num, y, cn);
        scar__gauss_rows_out(&c.den, y, cd);
        scar__gauss_rows_out(&u.num, y, un);
        scar__gauss_rows_out(&u.den, y, ud);
        float *r = scar__planef_row(resp, y);
        for (uint32_t x = 0; x < w; x++) {
            float cv = cd[x] >= min_w ? cn[x] / cd[x] : 0.0f;
            float uv = ud[x] >= min_w ? un[x] / ud[x] : 0.0f;
            r[x] = cv - uv;
        }
    }
    scar__gauss_rows_free(&c.num);
    scar__gauss_rows_free(&c.den);
    scar__gauss_rows_free(&u.num);
    scar__gauss_rows_free(&u.den);
    free(rows);
    return st;
}

int scar__pit_blobs(const scar__planef *zL, const scar__mask *skin,
                    double ppm, const char *ctx, scar__mask *out)
{
    uint32_t w = zL->width, h = zL->height;
    /* one plane: the response, then the blobs' labels (4 bytes per pixel
     * either way); the valid pixels live in `out` until the blobs are
     * written there, the blob levels too (1: at or below half the level,
     * 2: at or below it) */
    scar__planef resp = {0};
    scar__mask valid = *out;
    uint8_t *strong = NULL;
    int32_t n = 0;
    int st = scar__planef_alloc(w, h, ctx, &resp);
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
    st = dog_response(zL, &valid, sigma, ctx, &resp);
    if (!st)
        st = robust_z(&resp, &valid, ctx);
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        const float *c = scar__planef_row(&resp, y);
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = !o[x] || !(c[x] <= -0.5f * PIT_DOG_Z) ? 0
                   : c[x] <= -PIT_DOG_Z                  ? 2
                                                          : 1;
    }
    /* blobs: the connected sets of level 1 or 2 holding a 2 */
    scar__labels comp = {(int32_t *)(void *)resp.data, w, h, resp.stride};
    st = scar__label(out, NULL, 8, &comp, &n);
    if (st || n == 0)
        goto done;
    strong = calloc((size_t)n + 1, 1);
    if (!strong) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (pit blobs)", ctx);
        goto done;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *q = scar__labels_row(&comp, y);
        const uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            strong[q[x]] |= o[x] == 2;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *q = scar__labels_row(&comp, y);
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = q[x] && strong[q[x]];
    }
done:
    if (st) /* no blob rather than a half-made mask */
        for (uint32_t y = 0; y < h; y++)
            memset(scar__mask_row(out, y), 0, w);
    free(strong);
    scar__plane_free(resp.data);
    return st;
}
