/* light_photo.c — the light's side from the pores of the photo's own
 * pixels, for when the analysis grid cannot resolve them; see segment.h
 * and docs/segment.md (step 4, "The light's side at the photo's
 * resolution").
 *
 * scar__light_sign reads the side from the shading of pores on the
 * shrunk analysis grid (about 0.2 mm per pixel). A pore is 0.1-0.3 mm
 * across: on that grid it is a pixel or less, and on skin with fine
 * pigment (freckle dots, follicular pigment, whose minima carry no
 * shading) the mean difference of its walls stays within noise. The
 * photo itself, at 10-25 px/mm, resolves the pores' walls. The test is
 * the same — strict 3 x 3 minima that dip below their surroundings, each
 * giving the difference of the two sides along the light axis — made on
 * the green channel (the sensor's sharpest and least noisy; any
 * monotone measure of brightness keeps the sign of a difference), lightly
 * smoothed ([1 2 1] in x and y, in integers: 16 times the smoothed level)
 * and detrended by its ~1 mm box mean (the illumination's gradient along
 * the axis would otherwise add to every difference). Rows are streamed
 * through small ring buffers (memory O(width), never a plane of the
 * photo), from the top, and the reading stops early once the side is
 * clear far beyond doubt. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "image/photo_rows.h"
#include "scarscore.h"
#include "segment/segment.h"

/* A minimum counts when it dips at least PHOTO_PORE_SD robust sd of the
 * detrended brightness below the mean of its four neighbours
 * PHOTO_PORE_WALL_MM away along and across the axis. 1.5: on the 47
 * accuracy phantoms per set analysed shrunk (a Python replica over the
 * truth's healthy skin), the side is found on 36 (`real` texture; 27 at
 * 0.5, 31 at 1.0, 35 at 2.0) and 47 (`clean`), never the wrong one
 * (docs/segment.md). */
#define PHOTO_PORE_SD 1.5
#define PHOTO_PORE_WALL_MM 0.25
#define PHOTO_BOX_MM 0.5 /* half side of the detrending box */
#define PHOTO_SIGN_T 2.0 /* the decision over all the rows read */
#define PHOTO_PORE_MIN 30
/* Every PHOTO_CHECK_ROWS rows the test is made at PHOTO_STOP_T: past it
 * the side is beyond doubt even after ~50 looks (each a two-sided
 * 6e-5 chance under no light at all), and the rest is not read. */
#define PHOTO_CHECK_ROWS 64
#define PHOTO_STOP_T 4.0
/* Above this scale the ring buffers (about 4 mm of rows) grow large and
 * the analysis grid's own pixels are already 0.2 mm at most: no test. */
#define PHOTO_MAX_PX_PER_MM 100.0
/* Histograms in 1/16 of an 8-bit level: the detrended brightness over
 * [-64, 64) (its robust sd) and the dip below 0 over [0, 64) (per bin,
 * the pores' count, sum and sum of squares of their wall difference, so
 * the threshold in sd is applied after the rows are read). */
#define BIN_PER_LEVEL 16
#define R_BINS (128 * BIN_PER_LEVEL)
#define DIP_BINS (64 * BIN_PER_LEVEL)

typedef struct pore_stats {
    uint64_t hist_r[R_BINS];
    uint64_t n_r;
    double dip[3 * DIP_BINS];
} pore_stats;

static int bin_of(float v, int n)
{
    if (!(v > 0.0f))
        return 0;
    v *= (float)BIN_PER_LEVEL;
    return v >= (float)n ? n - 1 : (int)v;
}

/* Inlined, flag_minima's pointers lose `restrict` and its loop is not
 * vectorised. */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

static inline float min2(float a, float b)
{
    return a < b ? a : b;
}

/* Clears flag[x], x0 <= x < x1, unless r[x] is a strict minimum of its
 * 3 x 3 neighbourhood (rows ru, r, rd). Branch-free: the loop vectorises
 * (-fno-trapping-math, lib/CMakeLists.txt); callers pass columns whose
 * neighbours are all numbers. */
static NOINLINE void flag_minima(const float *restrict ru, const float *restrict r,
                                 const float *restrict rd, uint32_t x0, uint32_t x1,
                                 uint8_t *restrict flag)
{
    for (uint32_t x = x0; x < x1; x++) {
        float m = min2(min2(min2(ru[x - 1], ru[x]), min2(ru[x + 1], r[x - 1])),
                       min2(min2(r[x + 1], rd[x - 1]), min2(rd[x], rd[x + 1])));
        flag[x] = r[x] < m ? flag[x] : 0;
    }
}

/* The analysis grid's mask row spread over the photo's w columns (each
 * of its pixels covers f of them). */
static void spread_row(const uint8_t *m, uint32_t f, uint32_t w, uint8_t *out)
{
    for (uint32_t x0 = 0, i = 0; x0 < w; x0 += f, i++)
        for (uint32_t x = x0; x < x0 + f && x < w; x++)
            out[x] = m[i] != 0;
}

/* Robust sd (1.4826 MAD) of the detrended brightness, at the bins'
 * resolution. */
static double hist_robust_sd(const pore_stats *ps)
{
    const uint64_t *h = ps->hist_r;
    uint64_t half = (ps->n_r + 1) / 2, acc = 0;
    int med = 0;
    while (med < R_BINS - 1 && acc + h[med] < half)
        acc += h[med++];
    uint64_t cum = h[med];
    int k = 0;
    while (cum < half && k < R_BINS) {
        k++;
        if (med - k >= 0)
            cum += h[med - k];
        if (med + k < R_BINS)
            cum += h[med + k];
    }
    return 1.482602218505602 * (double)k / BIN_PER_LEVEL;
}

/* The side at `level` standard errors from the pores read so far: +1 or
 * -1, 0 when within. */
static int decide(const pore_stats *ps, double level)
{
    if (ps->n_r == 0)
        return 0;
    double sd = hist_robust_sd(ps);
    double n = 0, s1 = 0, s2 = 0;
    for (int k = DIP_BINS - 1; k >= 0; k--) {
        if ((double)k / BIN_PER_LEVEL < PHOTO_PORE_SD * sd)
            break;
        n += ps->dip[3 * k];
        s1 += ps->dip[3 * k + 1];
        s2 += ps->dip[3 * k + 2];
    }
    if (n < PHOTO_PORE_MIN)
        return 0;
    double mean = s1 / n;
    double var = (s2 - n * mean * mean) / (n - 1);
    if (!(var > 0))
        return 0;
    double ts = mean / sqrt(var / n);
    return ts >= level ? 1 : ts <= -level ? -1 : 0;
}

/* The brightness of a photo's row, 0-255: green of RGB(A), else the grey
 * channel; 16-bit samples rounded to 8 bits. */
static void brightness_row(const scar__photo *photo, const uint8_t *row,
                           int32_t *out)
{
    uint32_t w = photo->width, ch = photo->channels;
    uint32_t c = ch >= 3 ? 1 : 0;
    if (photo->bit_depth == 16) {
        const uint16_t *p = (const uint16_t *)(const void *)row;
        for (uint32_t x = 0; x < w; x++)
            out[x] = ((int32_t)p[(size_t)x * ch + c] * 255 + 32767) / 65535;
    } else {
        for (uint32_t x = 0; x < w; x++)
            out[x] = row[(size_t)x * ch + c];
    }
}

/* Bilinear sample of the detrended rows at (x, y); NaN outside rows
 * [y_lo, y_hi] or the columns held, or next to a NaN. */
static double sample(const float *res, uint32_t rows, uint32_t w, double x, double y,
                     uint32_t y_lo, uint32_t y_hi)
{
    if (!(x >= 0.0 && y >= (double)y_lo))
        return NAN;
    uint32_t x0 = (uint32_t)x, y0 = (uint32_t)y;
    if (x0 + 1 >= w || y0 + 1 > y_hi)
        return NAN;
    double fx = x - x0, fy = y - y0;
    const float *r0 = res + (size_t)(y0 % rows) * w;
    const float *r1 = res + (size_t)((y0 + 1) % rows) * w;
    return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x0 + 1]) +
           fy * ((1 - fx) * r1[x0] + fx * r1[x0 + 1]);
}

int scar__light_sign_photo(const scar__photo *photo, uint32_t f, const scar__mask *healthy,
                           double ppm, double ux, double uy, const char *ctx, int *sign)
{
    *sign = 0;
    uint32_t w = photo->width, h = photo->height;
    if (f < 1 || !(ppm > 0.0) || ppm > PHOTO_MAX_PX_PER_MM)
        return SCAR_OK;
    uint32_t hb = (uint32_t)floor(PHOTO_BOX_MM * ppm);
    if (hb < 1)
        hb = 1;
    double t = fmax(1.0, PHOTO_PORE_WALL_MM * ppm);
    uint32_t reach = (uint32_t)ceil(t) + 2; /* rows a pore's test reads */
    if (w < 2 * hb + 2 * reach + 3 || h < 2 * hb + 2 * reach + 3)
        return SCAR_OK;
    uint32_t box = 2 * hb + 1;
    uint32_t raw_rows = 3, sm_rows = box + 1, res_rows = 2 * reach + 2;
    int32_t *raw = calloc((size_t)raw_rows * w, sizeof *raw);
    int32_t *tmp = calloc(w, sizeof *tmp);
    int32_t *sm = malloc((size_t)sm_rows * w * sizeof *sm);
    int32_t *col = calloc(w, sizeof *col); /* vertical box sums of sm */
    float *res = malloc((size_t)res_rows * w * sizeof *res);
    uint8_t *hrow = malloc(w);
    pore_stats *ps = calloc(1, sizeof *ps);
    scar__photo_rows rows = {0};
    int st = SCAR_OK;
    if (!raw || !tmp || !sm || !col || !res || !hrow || !ps) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (light side)", ctx);
        goto done;
    }
    st = scar__photo_rows_open(photo, &rows);
    if (st)
        goto done;
    float inv = 1.0f / (16.0f * (float)box * (float)box);
    int decided = 0;
    /* Stream: at step y raw row y is read, smoothed row y-1 formed (raw
     * rows y-2..y), detrended row y-1-hb (smoothed rows y-1-2hb..y-1) and
     * the pores of row y-1-hb-reach tested (detrended rows up to reach
     * away). Detrended rows and columns exist from hb to size-1-hb. */
    for (uint32_t y = 0; y <= h && !decided; y++) {
        if (y < h) {
            const uint8_t *row;
            st = scar__photo_rows_next(&rows, &row);
            if (st)
                goto done;
            brightness_row(photo, row, raw + (size_t)(y % raw_rows) * w);
        }
        if (y >= 1) {
            uint32_t ys = y - 1;
            const int32_t *a = raw + (size_t)((ys > 0 ? ys - 1 : 0) % raw_rows) * w;
            const int32_t *b = raw + (size_t)(ys % raw_rows) * w;
            const int32_t *c = raw + (size_t)((ys + 1 < h ? ys + 1 : ys) % raw_rows) * w;
            for (uint32_t x = 0; x < w; x++)
                tmp[x] = a[x] + 2 * b[x] + c[x];
            int32_t *o = sm + (size_t)(ys % sm_rows) * w;
            o[0] = 3 * tmp[0] + tmp[w > 1 ? 1 : 0];
            for (uint32_t x = 1; x + 1 < w; x++)
                o[x] = tmp[x - 1] + 2 * tmp[x] + tmp[x + 1];
            if (w > 1)
                o[w - 1] = 3 * tmp[w - 1] + tmp[w - 2];
            for (uint32_t x = 0; x < w; x++)
                col[x] += o[x];
            if (ys >= box) {
                const int32_t *gone = sm + (size_t)((ys - box) % sm_rows) * w;
                for (uint32_t x = 0; x < w; x++)
                    col[x] -= gone[x];
            }
        }
        if (y >= 1 + 2 * hb) {
            uint32_t yr = y - 1 - hb;
            const int32_t *s = sm + (size_t)(yr % sm_rows) * w;
            float *o = res + (size_t)(yr % res_rows) * w;
            int64_t run = 0;
            for (uint32_t x = 0; x < box; x++)
                run += col[x];
            for (uint32_t x = 0; x < w; x++)
                o[x] = NAN;
            for (uint32_t x = hb; x + hb < w; x++) {
                if (x > hb)
                    run += col[x + hb] - col[x - hb - 1];
                /* in 8-bit levels: s is 16 times the smoothed level */
                o[x] = (float)s[x] * (1.0f / 16.0f) - (float)run * inv;
            }
            /* the spread, from every 2nd pixel of every 4th row */
            if (yr % 4 == 0) {
                spread_row(scar__mask_row(healthy, yr / f), f, w, hrow);
                for (uint32_t x = hb; x + hb < w; x += 2)
                    if (hrow[x]) {
                        ps->hist_r[bin_of(o[x] + 64.0f, R_BINS)]++;
                        ps->n_r++;
                    }
            }
        }
        if (y < 1 + 2 * hb + 2 * reach)
            continue;
        uint32_t yp = y - 1 - hb - reach;
        uint32_t y_lo = yp - reach, y_hi = yp + reach;
        const float *ru = res + (size_t)((yp - 1) % res_rows) * w;
        const float *r = res + (size_t)(yp % res_rows) * w;
        const float *rd = res + (size_t)((yp + 1) % res_rows) * w;
        spread_row(scar__mask_row(healthy, yp / f), f, w, hrow);
        flag_minima(ru, r, rd, hb + 1, w - hb - 1, hrow);
        for (uint32_t x = hb + 1; x + hb + 1 < w; x++) {
            if (!hrow[x])
                continue;
            float c = r[x];
            double behind = sample(res, res_rows, w, x - t * ux, yp - t * uy, y_lo, y_hi);
            double ahead = sample(res, res_rows, w, x + t * ux, yp + t * uy, y_lo, y_hi);
            double left = sample(res, res_rows, w, x - t * uy, yp + t * ux, y_lo, y_hi);
            double right = sample(res, res_rows, w, x + t * uy, yp - t * ux, y_lo, y_hi);
            double dip = c - 0.25 * (behind + ahead + left + right);
            double d = behind - ahead;
            if (!isfinite(d) || !isfinite(dip) || !(dip < 0.0))
                continue;
            double *ds = ps->dip + 3 * (size_t)bin_of((float)-dip, DIP_BINS);
            ds[0] += 1.0;
            ds[1] += d;
            ds[2] += d * d;
        }
        if ((yp + 1) % PHOTO_CHECK_ROWS == 0 && decide(ps, PHOTO_STOP_T) != 0)
            decided = 1;
    }
    *sign = decide(ps, decided ? PHOTO_STOP_T : PHOTO_SIGN_T);
done:
    scar__photo_rows_close(&rows);
    free(hrow);
    free(raw);
    free(tmp);
    free(sm);
    free(col);
    free(res);
    free(ps);
    return st;
}
