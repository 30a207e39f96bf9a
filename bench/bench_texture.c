/* bench_texture.c — speed of lib/texture: masked GLCM (32 levels, distances
 * 1, 2, 3, 4 angles) and uniform LBP over a 1000 x 1000 patch, FFT spectral
 * roughness over 512 x 512. Median of >= 5 runs after a warm-up
 * (bench_util.h). Inputs are generated, not read. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "scarscore.h"
#include "texture/texture.h"

typedef struct ctx {
    uint32_t w, h;
    float *L;
    uint8_t *q, *mask, *codes;
    double hist[SCAR_LBP_BINS];
    scar_glcm_props g;
    double ratio;
} ctx;

static int run_glcm(void *arg)
{
    ctx *c = arg;
    static const uint32_t d[3] = {1, 2, 3};
    return scar_glcm_features(c->q, c->w, c->w, c->h, c->mask, c->w, 32, d, 3,
                              &c->g);
}

static int run_lbp(void *arg)
{
    ctx *c = arg;
    return scar_lbp_uniform(c->L, c->w, c->w, c->h, c->mask, c->w, c->codes,
                            c->w, c->hist);
}

static int run_roughness(void *arg)
{
    ctx *c = arg;
    scar__planef in = {c->L, 512, 512, c->w};
    scar__roughness_band b;
    scar__roughness_band_default(20.0, &b);
    return scar__spectral_roughness(&in, NULL, &b, &c->ratio);
}

int main(void)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.w = c.h = 1000;
    size_t n = (size_t)c.w * c.h;
    c.L = malloc(n * sizeof *c.L);
    c.q = malloc(n);
    c.mask = malloc(n);
    c.codes = malloc(n);
    if (!c.L || !c.q || !c.mask || !c.codes)
        return 1;
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (uint32_t y = 0; y < c.h; y++)
        for (uint32_t x = 0; x < c.w; x++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            double v = 55 + 8 * sin(x * 0.05) * cos(y * 0.03) +
                       4.0 * (double)(s >> 11) / 9007199254740992.0;
            size_t i = (size_t)y * c.w + x;
            c.L[i] = (float)v;
            c.q[i] = (uint8_t)(v / 100.0 * 32);
            double dx = x - 500.0, dy = y - 500.0;
            c.mask[i] = dx * dx + dy * dy < 450.0 * 450.0; /* 64% selected */
        }
    printf("bench_texture (median of >= 5 runs after warm-up)\n");
    double t = bench_median(run_glcm, &c, 5, 0.5);
    bench_report("glcm 1000x1000 L32 d1,2,3 masked", t, 1.0);
    printf("  check: contrast %.6f pairs %llu\n", c.g.contrast,
           (unsigned long long)c.g.pairs);
    t = bench_median(run_lbp, &c, 5, 0.5);
    bench_report("lbp uniform P8 R1 1000x1000 +hist", t, 1.0);
    printf("  check: hist[0] %.6f hist[9] %.6f\n", c.hist[0], c.hist[9]);
    t = bench_median(run_roughness, &c, 5, 0.5);
    bench_report("roughness 512x512 (plan+exec)", t, 512.0 * 512.0 / 1e6);
    printf("  check: ratio %.6f\n", c.ratio);
    free(c.L);
    free(c.q);
    free(c.mask);
    free(c.codes);
    return 0;
}
