/* gaussian_exact.c — Gaussian blur with the sampled, truncated kernel.
 *
 * The kernel is the one scipy.ndimage.gaussian_filter uses (truncate = 4):
 * radius r = floor(4 sigma + 0.5), w_k = exp(-k^2 / (2 sigma^2)) for |k| <= r,
 * normalised to sum 1 (computed in double, applied in float). Boundary
 * 'nearest': indices are clamped to the plane. Separable: a horizontal pass
 * in -> out, then a vertical pass in place on out through a ring of 2r+1
 * rows, so no full-size scratch plane is needed and in == out is safe. Both
 * inner loops run along contiguous rows so the compiler vectorises them;
 * the symmetric kernel halves the multiplies. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter/filter_internal.h"
#include "scarscore.h"

/* Half kernel w[0..r] (w[k] = w[-k]); NULL on out-of-memory. */
static float *make_kernel(double sigma, uint32_t *radius)
{
    double rr = floor(4.0 * sigma + 0.5);
    /* A radius beyond 2^24 would never fit any plane we accept; cap it so the
     * allocation below cannot overflow (the kernel is then still exact for
     * every plane that exists, since clamping covers it). */
    if (rr > 16777216.0)
        rr = 16777216.0;
    uint32_t r = (uint32_t)rr;
    double *wd = malloc(((size_t)r + 1) * sizeof *wd);
    float *w = malloc(((size_t)r + 1) * sizeof *w);
    if (!wd || !w) {
        free(wd);
        free(w);
        return NULL;
    }
    double sum = 0.0;
    for (uint32_t k = 0; k <= r; k++) {
        wd[k] = exp(-0.5 * (double)k * (double)k / (sigma * sigma));
        sum += k ? 2.0 * wd[k] : wd[k];
    }
    for (uint32_t k = 0; k <= r; k++)
        w[k] = (float)(wd[k] / sum);
    free(wd);
    *radius = r;
    return w;
}

static inline uint32_t clampi(int64_t i, uint32_t n)
{
    return i < 0 ? 0u : (i >= (int64_t)n ? n - 1u : (uint32_t)i);
}

/* acc[x] = w0 * c[x] */
static void row_scale(float *restrict acc, const float *restrict c, float w0,
                      uint32_t n)
{
    for (uint32_t x = 0; x < n; x++)
        acc[x] = w0 * c[x];
}

/* acc[x] += wk * (a[x] + b[x]) */
static void row_axpy2(float *restrict acc, const float *restrict a,
                      const float *restrict b, float wk, uint32_t n)
{
    for (uint32_t x = 0; x < n; x++)
        acc[x] += wk * (a[x] + b[x]);
}

int scar__gauss_exact_run(const scar__planef *in, scar__planef *out,
                          double sigma, const char *ctx)
{
    const uint32_t w = in->width, h = in->height;
    uint32_t r = 0;
    float *k = make_kernel(sigma, &r);
    float *pad = NULL, *ring = NULL;
    /* Ring of the last min(2r+1, h) horizontally filtered rows: source row s
     * lives in slot s % m, and the rows any output row needs form a window
     * of at most m consecutive rows, so they never share a slot. */
    const uint32_t m = (uint64_t)2 * r + 1 < h ? 2 * r + 1 : h;
    int st = SCAR_OK;
    if (!k)
        goto nomem;
    pad = malloc(((size_t)w + 2u * (size_t)r) * sizeof *pad);
    ring = malloc((size_t)m * w * sizeof *ring);
    if (!pad || !ring)
        goto nomem;

    /* Horizontal pass: in -> out, each row first copied into a buffer padded
     * with replicated edge samples (no bounds tests in the inner loop, and
     * in == out is safe). */
    for (uint32_t y = 0; y < h; y++) {
        const float *src = scar__planef_row(in, y);
        float *dst = scar__planef_row(out, y);
        for (uint32_t j = 0; j < r; j++) {
            pad[j] = src[0];
            pad[(size_t)r + w + j] = src[w - 1];
        }
        memcpy(pad + r, src, (size_t)w * sizeof *pad);
        const float *c = pad + r;
        row_scale(dst, c, k[0], w);
        for (uint32_t j = 1; j <= r; j++)
            row_axpy2(dst, c - j, c + j, k[j], w);
    }

    /* Vertical pass in place on out: a source row is copied into the ring
     * before its output row is written, and read only from the ring. */
#define RING(s) (ring + (size_t)((s) % m) * w)
    uint32_t loaded = 0; /* rows [0, loaded) have been copied */
    for (uint32_t y = 0; y < h; y++) {
        uint32_t need = (uint64_t)y + r + 1 < h ? y + r + 1 : h;
        for (; loaded < need; loaded++)
            memcpy(RING(loaded), scar__planef_row(out, loaded),
                   (size_t)w * sizeof *ring);
        float *dst = scar__planef_row(out, y);
        row_scale(dst, RING(y), k[0], w);
        for (uint32_t j = 1; j <= r; j++)
            row_axpy2(dst, RING(clampi((int64_t)y - j, h)),
                      RING(clampi((int64_t)y + j, h)), k[j], w);
    }
#undef RING
    goto done;

nomem:
    st = scar__fail(SCAR_E_NOMEM,
                    "%s: gaussian: out of memory for the scratch buffers of a "
                    "%ux%u blur (sigma %g)",
                    SCAR__FILTER_CTX(ctx), w, h, sigma);
done:
    free(k);
    free(pad);
    free(ring);
    return st;
}
