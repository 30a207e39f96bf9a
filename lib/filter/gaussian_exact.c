/* gaussian_exact.c — Gaussian blur with the sampled, truncated kernel.
 *
 * The kernel is the one scipy.ndimage.gaussian_filter uses (truncate = 4):
 * radius r = floor(4 sigma + 0.5), w_k = exp(-k^2 / (2 sigma^2)) for |k| <= r,
 * normalised to sum 1 (computed in double, applied in float). Boundary
 * 'nearest': indices are clamped to the plane. Separable: a horizontal pass
 * in -> out, then a vertical pass in place on out through a ring of 2r+1
 * rows, so no full-size scratch plane is needed and in == out is safe. Both
 * passes run along contiguous rows in blocks of columns whose sums stay in
 * registers through every tap (conv_row), which the compiler vectorises;
 * the symmetric kernel halves the multiplies. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter/filter.h"
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

/* One output row: dst[x] = k[0] c[x], then += k[j] (lo[j][x] + hi[j][x])
 * for j = 1..r in that order (lo[0], hi[0] unused). Blocks of BLOCK columns
 * keep their sums in registers through all 2r + 1 source rows instead of
 * reading and writing dst once per tap; each output is the same sequence
 * of float operations as tap by tap, so the same bits. */
#define BLOCK 16
static void conv_row(float *restrict dst, const float *c,
                     const float *const *lo, const float *const *hi,
                     const float *k, uint32_t r, uint32_t n)
{
    uint32_t x = 0;
    for (; x + BLOCK <= n; x += BLOCK) {
        float acc[BLOCK];
        for (uint32_t i = 0; i < BLOCK; i++)
            acc[i] = k[0] * c[x + i];
        for (uint32_t j = 1; j <= r; j++) {
            const float *a = lo[j] + x, *b = hi[j] + x;
            for (uint32_t i = 0; i < BLOCK; i++)
                acc[i] += k[j] * (a[i] + b[i]);
        }
        for (uint32_t i = 0; i < BLOCK; i++)
            dst[x + i] = acc[i];
    }
    for (; x < n; x++) {
        float acc = k[0] * c[x];
        for (uint32_t j = 1; j <= r; j++)
            acc += k[j] * (lo[j][x] + hi[j][x]);
        dst[x] = acc;
    }
}

/* The horizontal pass of one row: src copied into `pad` (w + 2r floats)
 * between replicated edge samples (no bounds tests in the inner loop, and
 * src may be dst), then filtered into dst. */
static void hpass_row(float *dst, const float *src, float *pad,
                      const float **lo, const float **hi, const float *k,
                      uint32_t r, uint32_t w)
{
    for (uint32_t j = 0; j < r; j++) {
        pad[j] = src[0];
        pad[(size_t)r + w + j] = src[w - 1];
    }
    memcpy(pad + r, src, (size_t)w * sizeof *pad);
    const float *c = pad + r;
    for (uint32_t j = 1; j <= r; j++)
        lo[j] = c - j, hi[j] = c + j;
    conv_row(dst, c, lo, hi, k, r, w);
}

int scar__gauss_exact_run(const scar__planef *in, scar__planef *out,
                          double sigma, const char *ctx)
{
    const uint32_t w = in->width, h = in->height;
    uint32_t r = 0;
    float *k = make_kernel(sigma, &r);
    float *pad = NULL, *ring = NULL;
    const float **lo = NULL, **hi = NULL; /* the taps' source rows */
    /* Ring of the last min(2r+1, h) horizontally filtered rows: source row s
     * lives in slot s % m, and the rows any output row needs form a window
     * of at most m consecutive rows, so they never share a slot. */
    const uint32_t m = (uint64_t)2 * r + 1 < h ? 2 * r + 1 : h;
    int st = SCAR_OK;
    if (!k)
        goto nomem;
    pad = malloc(((size_t)w + 2u * (size_t)r) * sizeof *pad);
    ring = malloc((size_t)m * w * sizeof *ring);
    lo = malloc(((size_t)r + 1) * sizeof *lo);
    hi = malloc(((size_t)r + 1) * sizeof *hi);
    if (!pad || !ring || !lo || !hi)
        goto nomem;

    /* Horizontal pass: in -> out (in == out is safe: hpass_row copies the
     * row first). */
    for (uint32_t y = 0; y < h; y++)
        hpass_row(scar__planef_row(out, y), scar__planef_row(in, y), pad, lo,
                  hi, k, r, w);

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
        for (uint32_t j = 1; j <= r; j++) {
            lo[j] = RING(clampi((int64_t)y - j, h));
            hi[j] = RING(clampi((int64_t)y + j, h));
        }
        conv_row(dst, RING(y), lo, hi, k, r, w);
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
    free(lo);
    free(hi);
    return st;
}

/* ------------------------------------------------------ row streaming --
 * The same two passes, fed one source row at a time: each row is filtered
 * horizontally into the ring as it arrives, and an output row is the
 * vertical pass over the ring, so the same float operations in the same
 * order as scar__gauss_exact_run give the same bits. */
int scar__gauss_rows_init(scar__gauss_rows *g, uint32_t width,
                          uint32_t height, double sigma, const char *ctx)
{
    memset(g, 0, sizeof *g);
    if (width == 0 || height == 0 || !(sigma > 0.0) || !isfinite(sigma))
        return scar__fail(SCAR_E_INVALID, "%s: gaussian rows: empty plane or "
                          "bad sigma", SCAR__FILTER_CTX(ctx));
    uint32_t r = 0;
    g->kernel = make_kernel(sigma, &r);
    g->width = width;
    g->height = height;
    g->radius = r;
    g->slots = (uint64_t)2 * r + 1 < height ? 2 * r + 1 : height;
    if (g->kernel) {
        g->pad = malloc(((size_t)width + 2u * (size_t)r) * sizeof *g->pad);
        g->ring = malloc((size_t)g->slots * width * sizeof *g->ring);
        g->lo = malloc(((size_t)r + 1) * sizeof *g->lo);
        g->hi = malloc(((size_t)r + 1) * sizeof *g->hi);
    }
    if (!g->kernel || !g->pad || !g->ring || !g->lo || !g->hi) {
        scar__gauss_rows_free(g);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (gaussian rows "
                          "%ux%u)", SCAR__FILTER_CTX(ctx), width, height);
    }
    return SCAR_OK;
}

uint32_t scar__gauss_rows_needed(const scar__gauss_rows *g, uint32_t y)
{
    return (uint64_t)y + g->radius + 1 < g->height ? y + g->radius + 1
                                                  : g->height;
}

void scar__gauss_rows_feed(scar__gauss_rows *g, const float *src)
{
    hpass_row(g->ring + (size_t)(g->fed % g->slots) * g->width, src, g->pad,
              g->lo, g->hi, g->kernel, g->radius, g->width);
    g->fed++;
}

void scar__gauss_rows_out(scar__gauss_rows *g, uint32_t y, float *dst)
{
    const uint32_t w = g->width, h = g->height, m = g->slots;
    for (uint32_t j = 1; j <= g->radius; j++) {
        g->lo[j] = g->ring + (size_t)(clampi((int64_t)y - j, h) % m) * w;
        g->hi[j] = g->ring + (size_t)(clampi((int64_t)y + j, h) % m) * w;
    }
    conv_row(dst, g->ring + (size_t)(y % m) * w, g->lo, g->hi, g->kernel,
             g->radius, w);
}

void scar__gauss_rows_free(scar__gauss_rows *g)
{
    free(g->kernel);
    free(g->pad);
    free(g->ring);
    free((void *)g->lo);
    free((void *)g->hi);
    memset(g, 0, sizeof *g);
}
