/* bench_filter.c — speed of lib/filter on a generated 12 MP (4000 x 3000)
 * float plane, one thread.
 *
 *   cmake --build <build> --target bench_filter && <build>/bench/bench_filter
 *
 * Per operation: one warm-up call, then at least 7 timed calls and >= 1 s in
 * total; prints the median time and megapixels per second (of the full-size
 * plane). Outputs are verified once per run: the recursive blur against the
 * exact kernel on a crop, area downsampling against a direct block mean. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "filter/filter.h"
#include "scarscore.h"

#define W 4000u
#define H 3000u

typedef struct job {
    int kind; /* 0 gaussian_ex, 1 gaussian_masked, 2 downsample, 3 downsample
                 masked, 4 upsample */
    double sigma;
    scar__gauss_method method;
    uint32_t factor;
} job;

typedef struct planes {
    scar__planef img, out, small, valid;
    scar__mask mask;
} planes;

static int run(const job *j, planes *p)
{
    switch (j->kind) {
    case 0:
        return scar__gaussian_ex(&p->img, &p->out, j->sigma, j->method, "bench");
    case 1:
        return scar__gaussian_masked(&p->img, &p->mask, &p->out, j->sigma, NAN,
                                     "bench");
    case 2:
        return scar__downsample_area(&p->img, j->factor, &p->small, "bench");
    case 3:
        return scar__downsample_area_masked(&p->img, &p->mask, j->factor,
                                            &p->small, &p->valid, NAN, "bench");
    default:
        return scar__upsample_bilinear(&p->small, &p->out, "bench");
    }
}

struct filter_job {
    const job *j;
    planes *p;
};

static int run_job(void *arg)
{
    struct filter_job *f = arg;
    return run(f->j, f->p);
}

static int bench(const char *name, const job *j, planes *p)
{
    struct filter_job f = {j, p};
    if (run(j, p) != SCAR_OK) {
        fprintf(stderr, "%s: %s\n", name, scar_last_error());
        return 1;
    }
    bench_report(name, bench_median(run_job, &f, 7, 1.0), (double)W * H / 1e6);
    return 0;
}

/* Recursive vs exact on a 600 x 400 crop: the error must stay within
 * 1e-3 of the data range (docs/filter.md). */
static int verify_recursive(const planes *p, double sigma)
{
    scar__planef crop = p->img, a, b;
    crop.width = 600;
    crop.height = 400;
    if (scar__planef_alloc(600, 400, "bench", &a) || scar__planef_alloc(600, 400, "bench", &b))
        return 1;
    int bad = scar__gaussian_ex(&crop, &a, sigma, SCAR__GAUSS_RECURSIVE, "bench") ||
              scar__gaussian_ex(&crop, &b, sigma, SCAR__GAUSS_EXACT, "bench");
    double d = 0.0;
    for (size_t i = 0; i < 600u * 400u; i++)
        d = fmax(d, fabs((double)a.data[i] - b.data[i]));
    printf("verify: recursive vs exact, sigma %g, 600x400 crop: max |diff| = "
           "%.2e of the range\n", sigma, d / 100.0);
    scar__plane_free(a.data);
    scar__plane_free(b.data);
    return bad || !(d <= 1e-3 * 100.0);
}

static int verify_downsample(const planes *p, uint32_t f)
{
    if (scar__downsample_area(&p->img, f, (scar__planef *)&p->small, "bench"))
        return 1;
    double d = 0.0;
    for (uint32_t Y = 0; Y < p->small.height; Y += 37)
        for (uint32_t X = 0; X < p->small.width; X += 41) {
            double s = 0.0;
            for (uint32_t y = Y * f; y < (Y + 1) * f; y++)
                for (uint32_t x = X * f; x < (X + 1) * f; x++)
                    s += p->img.data[(size_t)y * W + x];
            d = fmax(d, fabs(s / (f * f) - p->small.data[(size_t)Y * p->small.width + X]));
        }
    printf("verify: downsample x%u vs direct block mean: max |diff| = %.2e\n", f, d);
    return !(d <= 1e-4);
}

int main(void)
{
    planes p;
    memset(&p, 0, sizeof p);
    const uint32_t f = 8, sw = scar__downsampled_size(W, f), sh = scar__downsampled_size(H, f);
    if (scar__planef_alloc(W, H, "bench", &p.img) ||
        scar__planef_alloc(W, H, "bench", &p.out) ||
        scar__planef_alloc(sw, sh, "bench", &p.small) ||
        scar__planef_alloc(sw, sh, "bench", &p.valid) ||
        scar__mask_alloc(W, H, "bench", &p.mask)) {
        fprintf(stderr, "bench_filter: %s\n", scar_last_error());
        return 1;
    }
    /* A photo-like L* plane in [0, 100]: smooth shading, edges, noise; the
     * mask excludes a border and a glare disc. */
    uint32_t rng = 12345u;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            rng = rng * 1664525u + 1013904223u;
            double v = 50.0 + 20.0 * sin(x / 400.0) * cos(y / 300.0) +
                       (x > W / 3 ? 10.0 : 0.0) + 5.0 * ((rng >> 8) / 16777216.0 - 0.5);
            p.img.data[(size_t)y * W + x] = (float)fmin(100.0, fmax(0.0, v));
            double dx = x - 2500.0, dy = y - 1200.0;
            p.mask.data[(size_t)y * W + x] =
                x > 200 && y > 150 && x < W - 200 && dx * dx + dy * dy > 300.0 * 300.0;
        }

    int bad = verify_recursive(&p, 20.0) || verify_recursive(&p, 80.0) ||
              verify_downsample(&p, f);
    printf("4000x3000 float plane, one thread, median ms and MP/s:\n");
    const struct {
        const char *name;
        job j;
    } jobs[] = {
        {"gaussian sigma 2 (auto: exact)", {0, 2.0, SCAR__GAUSS_AUTO, 0}},
        {"gaussian sigma 3 exact", {0, 3.0, SCAR__GAUSS_EXACT, 0}},
        {"gaussian sigma 4 exact", {0, 4.0, SCAR__GAUSS_EXACT, 0}},
        {"gaussian sigma 6 exact", {0, 6.0, SCAR__GAUSS_EXACT, 0}},
        {"gaussian sigma 4 (auto: recursive)", {0, 4.0, SCAR__GAUSS_AUTO, 0}},
        {"gaussian sigma 20 (auto: recursive)", {0, 20.0, SCAR__GAUSS_AUTO, 0}},
        {"gaussian sigma 200 (auto: recursive)", {0, 200.0, SCAR__GAUSS_AUTO, 0}},
        {"gaussian_masked sigma 200", {1, 200.0, SCAR__GAUSS_AUTO, 0}},
        {"downsample_area x8", {2, 0, SCAR__GAUSS_AUTO, f}},
        {"downsample_area_masked x8", {3, 0, SCAR__GAUSS_AUTO, f}},
        {"upsample_bilinear 500x375 -> 4000x3000", {4, 0, SCAR__GAUSS_AUTO, f}},
    };
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
        bad |= bench(jobs[i].name, &jobs[i].j, &p);
    scar__plane_free(p.img.data);
    scar__plane_free(p.out.data);
    scar__plane_free(p.small.data);
    scar__plane_free(p.valid.data);
    scar__plane_free(p.mask.data);
    return bad ? 1 : 0;
}
