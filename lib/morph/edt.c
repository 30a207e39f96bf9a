/* edt.c — exact Euclidean distance transform.
 *
 * Meijster, Roerdink & Hesselink, "A general algorithm for computing
 * distance transforms in linear time" (2000): phase 1 finds, per column, the
 * vertical distance g to the nearest target pixel (two sweeps, done row by
 * row for cache locality); phase 2 computes, per row, the lower envelope of
 * the parabolas (x - i)^2 + g(i)^2 (the same construction as Felzenszwalb &
 * Huttenlocher 2012) with integer separators, so the squared distances are
 * exact integers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "scarscore.h"

typedef struct edt_scratch {
    int64_t *f;    /* g^2 of the row, or "infinite" */
    uint32_t *s;   /* envelope: parabola apex columns */
    uint32_t *t;   /* envelope: first column where each parabola wins */
} edt_scratch;

/* Phase 2 on one row: g[] vertical distances (inf = no target in column),
 * writes exact squared distances to out[]. At least one g is finite. */
static void envelope_row(const uint32_t *g, uint32_t w, uint32_t inf,
                         edt_scratch *sc, uint32_t *out)
{
    int64_t *f = sc->f;
    uint32_t *s = sc->s, *t = sc->t;
    /* Columns with no target in the whole column are skipped: they never
     * carry the envelope (another column's finite parabola is below). */
    int64_t q = -1;
    for (uint32_t u = 0; u < w; u++) {
        if (g[u] >= inf)
            continue;
        int64_t fu = (int64_t)g[u] * g[u];
        f[u] = fu;
        while (q >= 0) {
            int64_t sq = s[q], tq = t[q];
            int64_t a = (tq - sq) * (tq - sq) + f[sq];
            int64_t b = (tq - (int64_t)u) * (tq - (int64_t)u) + fu;
            if (a <= b)
                break;
            q--;
        }
        if (q < 0) {
            q = 0;
            s[0] = u;
            t[0] = 0;
        } else {
            int64_t i = s[q];
            /* floor of an exact rational: |num| < 2^53 and den < 2^32,
             * so the correctly rounded double quotient never crosses an
             * integer; much cheaper than a 64-bit integer division */
            int64_t num = (int64_t)u * u - i * i + fu - f[i];
            int64_t sep = (int64_t)floor((double)num /
                                         (double)(2 * ((int64_t)u - i)));
            int64_t wpos = 1 + sep;
            if (wpos < (int64_t)w) {
                q++;
                s[q] = u;
                t[q] = (uint32_t)wpos;
            }
        }
    }
    for (uint32_t uu = w; uu-- > 0;) {
        int64_t i = s[q];
        int64_t d = (int64_t)uu - i;
        out[uu] = (uint32_t)(d * d + f[i]);
        if ((int64_t)uu == (int64_t)t[q])
            q--;
    }
}

/* Shared driver. Phase 1 keeps the downward distances either in `col` (a
 * w*h uint32 array with row stride col_stride, which may be the output) or,
 * when col is NULL, in the float plane `dist` itself: they are integers
 * below 2^24 there (checked by the caller), hence exact in float. Values
 * >= inf mean "no target above"; they may grow past inf by at most h, so
 * the sweeps need no saturation test and vectorise. */
static int edt_core(const scar__mask *in, int to_nonzero, uint32_t *col,
                    size_t col_stride, scar__planef *dist, const char *fn)
{
    const uint32_t w = in->width, h = in->height;
    const uint32_t inf = w + h;  /* larger than any real vertical distance */
    const uint8_t want = to_nonzero ? 1 : 0;
    edt_scratch sc;
    sc.f = malloc((size_t)w * sizeof *sc.f);
    sc.s = malloc((size_t)w * sizeof *sc.s);
    sc.t = malloc((size_t)w * sizeof *sc.t);
    uint32_t *up = malloc((size_t)w * sizeof *up);
    uint32_t *row = malloc((size_t)w * sizeof *row);
    uint32_t *res = malloc((size_t)w * sizeof *res);
    if (!sc.f || !sc.s || !sc.t || !up || !row || !res) {
        free(sc.f), free(sc.s), free(sc.t), free(up), free(row), free(res);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u "
                          "distance transform", fn, w, h);
    }
    uint32_t any = 0;
    for (uint32_t x = 0; x < w; x++)
        up[x] = inf;  /* "above row 0": no target */
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *src = scar__mask_row(in, y);
        for (uint32_t x = 0; x < w; x++) {
            uint32_t target = (uint32_t)((src[x] != 0) == want);
            any |= target;
            up[x] = target ? 0 : up[x] + 1;
        }
        if (col) {
            memcpy(col + (size_t)y * col_stride, up, (size_t)w * sizeof *up);
        } else {
            float *o = scar__planef_row(dist, y);
            for (uint32_t x = 0; x < w; x++)
                o[x] = (float)up[x];
        }
    }
    for (uint32_t x = 0; x < w; x++)
        up[x] = inf;
    for (uint32_t yy = h; yy-- > 0;) {
        if (col) {
            const uint32_t *d = col + (size_t)yy * col_stride;
            for (uint32_t x = 0; x < w; x++) {
                uint32_t below = d[x] == 0 ? 0 : up[x] + 1;
                up[x] = below;
                row[x] = d[x] < below ? d[x] : below;
            }
        } else {
            const float *d = scar__planef_row(dist, yy);
            for (uint32_t x = 0; x < w; x++) {
                uint32_t dx = (uint32_t)d[x];
                uint32_t below = dx == 0 ? 0 : up[x] + 1;
                up[x] = below;
                row[x] = dx < below ? dx : below;
            }
        }
        /* Row yy of the phase-1 storage is no longer needed (the sweep goes
         * upward), so it can receive the result. */
        uint32_t *out = col ? col + (size_t)yy * col_stride : res;
        if (!any) {
            for (uint32_t x = 0; x < w; x++)
                out[x] = UINT32_MAX;
        } else {
            envelope_row(row, w, inf, &sc, out);
        }
        if (!col) {
            float *o = scar__planef_row(dist, yy);
            for (uint32_t x = 0; x < w; x++)
                o[x] = any ? (float)sqrt((double)res[x]) : INFINITY;
        }
    }
    free(sc.f), free(sc.s), free(sc.t), free(up), free(row), free(res);
    return SCAR_OK;
}

int scar__edt_sq(const scar__mask *in, int to_nonzero, uint32_t *sq,
                 size_t sq_stride)
{
    static const char fn[] = "scar__edt_sq";
    int st = scar__check_mask(in, fn, "in");
    if (st)
        return st;
    if (!sq || sq_stride < in->width)
        return scar__fail(SCAR_E_INVALID, "%s: output is NULL or its stride "
                          "%zu is below the width %u", fn, sq_stride,
                          in->width);
    return edt_core(in, to_nonzero, sq, sq_stride, NULL, fn);
}

int scar__edt(const scar__mask *in, int to_nonzero, scar__planef *dist)
{
    static const char fn[] = "scar__edt";
    int st = scar__check_mask(in, fn, "in");
    if (st == SCAR_OK)
        st = scar__check_planef(dist, fn, "dist");
    if (st == SCAR_OK)
        st = scar__check_same_size(in->width, in->height, dist->width,
                                   dist->height, fn, "dist");
    if (st)
        return st;
    /* Phase 1 runs inside the output plane when its integers (at most
     * 2h + w) are exact in float; otherwise in a uint32 scratch array. */
    if ((uint64_t)in->width + 2 * (uint64_t)in->height < (1u << 24))
        return edt_core(in, to_nonzero, NULL, 0, dist, fn);
    uint32_t *col = malloc((size_t)in->width * in->height * sizeof *col);
    if (!col)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u "
                          "distance transform", fn, in->width, in->height);
    st = edt_core(in, to_nonzero, col, in->width, dist, fn);
    free(col);
    return st;
}
