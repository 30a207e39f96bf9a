/* gaussian_deriche.c — Gaussian blur whose cost does not depend on sigma.
 *
 * Deriche's 4th-order recursive approximation (R. Deriche, "Recursively
 * implementing the Gaussian and its derivatives", INRIA RR-1893, 1993;
 * coefficients and parallel form as in P. Getreuer, "A survey of Gaussian
 * convolution algorithms", IPOL 2013):
 *     exp(-t^2 / 2) ~ sum_k alpha_k exp(-lambda_k |t|),  k = 1..4
 * with two complex-conjugate pairs. Sampled at t = n / sigma, the pairs give
 * two real second-order sections for the causal part (n >= 0) and two for
 * the anticausal part (n >= 1); the four outputs are summed (parallel form).
 * The sum is normalised to unit DC gain. Its L1 distance from the sampled
 * Gaussian is about 5.5e-4 per axis for every sigma >= 2 (docs/filter.md).
 *
 * Why parallel second-order sections in double: with sigma in the hundreds
 * the poles are within 1e-2 of the unit circle, where a 4th-order direct
 * form in float loses several digits (Getreuer 2013, section 5).
 *
 * Boundary 'nearest' is exact: each part depends on input from one side
 * only, and the input beyond the edge is constant, so the states start at
 * the filter's steady-state response to that constant.
 *
 * Layout: the 1-D recursion runs over `lanes` independent signals stored
 * side by side, so the inner loop is over contiguous lanes and vectorises.
 * Vertical pass: lanes = a strip of columns. Horizontal pass: blocks of rows
 * are transposed into a small buffer first. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter/filter_internal.h"
#include "scarscore.h"

/* Columns per vertical strip (states stay in L1, the strip in L2). */
#define STRIP 1024
/* Rows per horizontal block. */
#define ROWS 8

typedef struct deriche {
    /* Section s (0, 1): causal y[n] = b0 x[n] + b1 x[n-1] + c1 y[n-1] + c2 y[n-2]
     * anticausal      y[n] = a1 x[n+1] + a2 x[n+2] + c1 y[n+1] + c2 y[n+2] */
    double b0[2], b1[2], a1[2], a2[2], c1[2], c2[2];
    double gc[2], ga[2]; /* steady-state gains of each causal/anticausal part */
} deriche;

static void deriche_init(deriche *d, double sigma)
{
    static const double alpha_re[2] = {0.84, -0.34015};
    static const double alpha_im[2] = {1.8675, -0.1299};
    static const double lambda_re[2] = {1.783, 1.723};
    static const double lambda_im[2] = {0.6318, 1.997};
    double dc = 0.0;
    for (int s = 0; s < 2; s++) {
        double complex al = alpha_re[s] + alpha_im[s] * I;
        double complex p = cexp(-(lambda_re[s] + lambda_im[s] * I) / sigma);
        double pp = creal(p * conj(p));
        /* alpha / (1 - p z^-1) + conjugate, as one real section. */
        d->b0[s] = 2.0 * creal(al);
        d->b1[s] = -2.0 * creal(al * conj(p));
        /* alpha p z / (1 - p z) + conjugate. */
        d->a1[s] = 2.0 * creal(al * p);
        d->a2[s] = -2.0 * pp * creal(al);
        d->c1[s] = 2.0 * creal(p);
        d->c2[s] = -pp;
        double den = 1.0 - d->c1[s] - d->c2[s];
        dc += (d->b0[s] + d->b1[s] + d->a1[s] + d->a2[s]) / den;
    }
    for (int s = 0; s < 2; s++) {
        d->b0[s] /= dc;
        d->b1[s] /= dc;
        d->a1[s] /= dc;
        d->a2[s] /= dc;
        double den = 1.0 - d->c1[s] - d->c2[s];
        d->gc[s] = (d->b0[s] + d->b1[s]) / den;
        d->ga[s] = (d->a1[s] + d->a2[s]) / den;
    }
}

/* State of `lanes` parallel recursions: 6 arrays of lanes doubles. */
typedef struct lane_state {
    double *x1, *x2, *y1a, *y2a, *y1b, *y2b;
} lane_state;

static void state_bind(lane_state *s, double *mem, size_t lanes)
{
    s->x1 = mem;
    s->x2 = mem + lanes;
    s->y1a = mem + 2 * lanes;
    s->y2a = mem + 3 * lanes;
    s->y1b = mem + 4 * lanes;
    s->y2b = mem + 5 * lanes;
}

/* Hot loops, compiled twice where the compiler supports it (AVX2 and
 * baseline) and picked once by the loader. No FMA contraction happens
 * (ISO C mode: -ffp-contract=off), so both versions give identical bits. */
/* Not under ThreadSanitizer: the ifunc resolver of target_clones runs before
 * the TSan runtime is initialised and crashes the program at load time. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) &&        \
    defined(__has_attribute) && !defined(__SANITIZE_THREAD__)
#if __has_attribute(target_clones)
#define SCAR__HOT __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef SCAR__HOT
#define SCAR__HOT
#endif

#if defined(__GNUC__)
#define SCAR__INLINE static inline __attribute__((always_inline))
#else
#define SCAR__INLINE static inline
#endif

/* Causal part over n samples of `lanes` signals: sample i of lane j is
 * src[i * sstep + j]; writes dst[i * dstep + j] = causal output. */
SCAR__INLINE void causal_body(const float *restrict src, size_t sstep,
                         float *restrict dst, size_t dstep, uint32_t n,
                         size_t lanes, const deriche *d, double *restrict xp,
                         double *restrict y1a, double *restrict y2a,
                         double *restrict y1b, double *restrict y2b)
{
    const double b0a = d->b0[0], b1a = d->b1[0], c1a = d->c1[0], c2a = d->c2[0];
    const double b0b = d->b0[1], b1b = d->b1[1], c1b = d->c1[1], c2b = d->c2[1];
    for (size_t j = 0; j < lanes; j++) {
        double x0 = src[j];
        xp[j] = x0;
        y1a[j] = y2a[j] = x0 * d->gc[0];
        y1b[j] = y2b[j] = x0 * d->gc[1];
    }
    for (uint32_t i = 0; i < n; i++) {
        const float *restrict s = src + (size_t)i * sstep;
        float *restrict o = dst + (size_t)i * dstep;
        for (size_t j = 0; j < lanes; j++) {
            double x = s[j];
            double ya = b0a * x + b1a * xp[j] + c1a * y1a[j] + c2a * y2a[j];
            double yb = b0b * x + b1b * xp[j] + c1b * y1b[j] + c2b * y2b[j];
            y2a[j] = y1a[j];
            y1a[j] = ya;
            y2b[j] = y1b[j];
            y1b[j] = yb;
            xp[j] = x;
            o[j] = (float)(ya + yb);
        }
    }
}

/* Anticausal part: dst[i] = causal[i] + anticausal output. dst may be src:
 * sample i is read before dst[i] is written and never read again. */
SCAR__INLINE void anticausal_body(const float *src, size_t sstep,
                             const float *restrict causal, size_t cstep,
                             float *dst, size_t dstep, uint32_t n,
                             size_t lanes, const deriche *d,
                             double *restrict x1, double *restrict x2,
                             double *restrict y1a, double *restrict y2a,
                             double *restrict y1b, double *restrict y2b)
{
    const double a1a = d->a1[0], a2a = d->a2[0], c1a = d->c1[0], c2a = d->c2[0];
    const double a1b = d->a1[1], a2b = d->a2[1], c1b = d->c1[1], c2b = d->c2[1];
    const float *last = src + (size_t)(n - 1) * sstep;
    for (size_t j = 0; j < lanes; j++) {
        double xl = last[j];
        x1[j] = x2[j] = xl;
        y1a[j] = y2a[j] = xl * d->ga[0];
        y1b[j] = y2b[j] = xl * d->ga[1];
    }
    for (uint32_t i = n; i-- > 0;) {
        const float *s = src + (size_t)i * sstep;
        const float *restrict c = causal + (size_t)i * cstep;
        float *o = dst + (size_t)i * dstep;
        for (size_t j = 0; j < lanes; j++) {
            double xs = s[j];
            double ya = a1a * x1[j] + a2a * x2[j] + c1a * y1a[j] + c2a * y2a[j];
            double yb = a1b * x1[j] + a2b * x2[j] + c1b * y1b[j] + c2b * y2b[j];
            y2a[j] = y1a[j];
            y1a[j] = ya;
            y2b[j] = y1b[j];
            y1b[j] = yb;
            x2[j] = x1[j];
            x1[j] = xs;
            o[j] = (float)((double)c[j] + (ya + yb));
        }
    }
}

/* 1-D recursion along n samples of `lanes` signals. The causal part goes
 * to `tmp` (its own buffer, step tstep), then dst = tmp + anticausal; dst
 * may be src (each sample is read before it is written). The body is
 * instantiated for the two common lane counts as compile-time constants
 * (the compiler then keeps lanes in vector registers without remainder
 * loops) and once for any count. */
#define DEFINE_RUN_LANES(name, LANES)                                          \
    SCAR__HOT static void name(const float *src, size_t sstep, float *tmp,     \
                               size_t tstep, float *dst, size_t dstep,         \
                               uint32_t n, size_t lanes, const deriche *d,     \
                               double *mem)                                    \
    {                                                                          \
        lane_state s;                                                          \
        (void)lanes;                                                           \
        state_bind(&s, mem, LANES);                                            \
        causal_body(src, sstep, tmp, tstep, n, LANES, d, s.x1, s.y1a, s.y2a,   \
                    s.y1b, s.y2b);                                             \
        anticausal_body(src, sstep, tmp, tstep, dst, dstep, n, LANES, d, s.x1, \
                        s.x2, s.y1a, s.y2a, s.y1b, s.y2b);                     \
    }
DEFINE_RUN_LANES(run_lanes_rows, ROWS)
DEFINE_RUN_LANES(run_lanes_strip, STRIP)
DEFINE_RUN_LANES(run_lanes_any, lanes)

static void run_lanes(const float *src, size_t sstep, float *tmp, size_t tstep,
                      float *dst, size_t dstep, uint32_t n, size_t lanes,
                      const deriche *d, double *mem)
{
    if (lanes == ROWS)
        run_lanes_rows(src, sstep, tmp, tstep, dst, dstep, n, lanes, d, mem);
    else if (lanes == STRIP)
        run_lanes_strip(src, sstep, tmp, tstep, dst, dstep, n, lanes, d, mem);
    else
        run_lanes_any(src, sstep, tmp, tstep, dst, dstep, n, lanes, d, mem);
}

/* ROWS rows of p starting at y0 -> t[x * ROWS + r] (and back): reading
 * ROWS streams at once and writing one keeps every access sequential. */
static void transpose_in_rows(const scar__planef *p, uint32_t y0, uint32_t w,
                              float *restrict t)
{
    const float *rp[ROWS];
    for (size_t r = 0; r < ROWS; r++)
        rp[r] = scar__planef_row(p, (uint32_t)(y0 + r));
    for (uint32_t x = 0; x < w; x++)
        for (size_t r = 0; r < ROWS; r++)
            t[(size_t)x * ROWS + r] = rp[r][x];
}

static void transpose_out_rows(const float *restrict t, uint32_t w,
                               scar__planef *p, uint32_t y0)
{
    float *rp[ROWS];
    for (size_t r = 0; r < ROWS; r++)
        rp[r] = scar__planef_row(p, (uint32_t)(y0 + r));
    for (uint32_t x = 0; x < w; x++)
        for (size_t r = 0; r < ROWS; r++)
            rp[r][x] = t[(size_t)x * ROWS + r];
}

int scar__gauss_deriche_run(const scar__planef *in, scar__planef *out,
                            double sigma, const char *ctx)
{
    const uint32_t w = in->width, h = in->height;
    deriche d;
    deriche_init(&d, sigma);

    int st = SCAR_OK;
    size_t lanes_max = STRIP > ROWS ? STRIP : ROWS;
    double *mem = malloc(6 * lanes_max * sizeof *mem);
    float *tin = malloc((size_t)w * ROWS * sizeof *tin);
    float *tcausal = malloc((size_t)w * ROWS * sizeof *tcausal);
    float *tout = malloc((size_t)w * ROWS * sizeof *tout);
    float *strip = malloc((size_t)h * STRIP * sizeof *strip);
    if (!mem || !tin || !tcausal || !tout || !strip) {
        st = scar__fail(SCAR_E_NOMEM,
                        "%s: gaussian: out of memory for the scratch buffers of "
                        "a %ux%u blur (sigma %g)",
                        SCAR__FILTER_CTX(ctx), w, h, sigma);
        goto done;
    }

    /* Horizontal pass: in -> out, ROWS rows at a time through a transposed
     * buffer (sample x of row r at tin[x * rows + r]). The rows are copied
     * out before they are written, so in == out is safe. */
    for (uint32_t y0 = 0; y0 < h; y0 += ROWS) {
        size_t rows = h - y0 < ROWS ? h - y0 : ROWS;
        if (rows == ROWS)
            transpose_in_rows(in, y0, w, tin);
        else
            for (size_t r = 0; r < rows; r++) {
                const float *src = scar__planef_row(in, (uint32_t)(y0 + r));
                for (uint32_t x = 0; x < w; x++)
                    tin[(size_t)x * rows + r] = src[x];
            }
        run_lanes(tin, rows, tcausal, rows, tout, rows, w, rows, &d, mem);
        if (rows == ROWS)
            transpose_out_rows(tout, w, out, y0);
        else
            for (size_t r = 0; r < rows; r++) {
                float *dst = scar__planef_row(out, (uint32_t)(y0 + r));
                for (uint32_t x = 0; x < w; x++)
                    dst[x] = tout[(size_t)x * rows + r];
            }
    }

    /* Vertical pass, in place on out, strips of columns; the causal part of
     * a strip goes to a strip-sized buffer (no full-size scratch plane). */
    for (uint32_t x0 = 0; x0 < w; x0 += STRIP) {
        size_t lanes = w - x0 < STRIP ? w - x0 : STRIP;
        run_lanes(out->data + x0, out->stride, strip, lanes, out->data + x0,
                  out->stride, h, lanes, &d, mem);
    }

done:
    free(mem);
    free(tin);
    free(tcausal);
    free(tout);
    free(strip);
    return st;
}
