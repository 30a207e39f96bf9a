/* bench_morph.c — speed of lib/morph on a generated 4000x3000 mask with a
 * few thousand blobs (one core). Prints the median of 7 runs after one
 * warm-up, in ms and MP/s, and checks each output once.
 *   ./bench_morph [width height blobs]                                  */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "morph/morph.h"
#include "scarscore.h"

#define RUNS 7

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of this thread: on a shared machine it excludes the time other
 * jobs hold the core, so it is the steadier figure. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static double rnd(void)  /* xorshift64*, deterministic */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

/* Random rotated ellipses (radii 2..30 px), some with holes, like a
 * thresholded anomaly map of a skin photo. */
static void make_mask(scar__mask *m, int blobs)
{
    memset(m->data, 0, m->stride * m->height);
    for (int b = 0; b < blobs; b++) {
        double cx = rnd() * m->width, cy = rnd() * m->height;
        double ra = 2 + rnd() * 28, rb = 2 + rnd() * 18, t = rnd() * 3.14159;
        double ct = cos(t), st = sin(t), r = ra > rb ? ra : rb;
        int hole = rnd() < 0.2;
        for (int y = (int)(cy - r); y <= (int)(cy + r); y++) {
            if (y < 0 || y >= (int)m->height)
                continue;
            for (int x = (int)(cx - r); x <= (int)(cx + r); x++) {
                if (x < 0 || x >= (int)m->width)
                    continue;
                double u = ((x - cx) * ct + (y - cy) * st) / ra;
                double v = (-(x - cx) * st + (y - cy) * ct) / rb;
                double q = u * u + v * v;
                if (q <= 1 && !(hole && q < 0.15))
                    m->data[(size_t)y * m->stride + x] = 1;
            }
        }
    }
}

static void report(const char *name, double *t, double *c, uint32_t w,
                   uint32_t h)
{
    qsort(t, RUNS, sizeof *t, cmp_d);
    qsort(c, RUNS, sizeof *c, cmp_d);
    double med = t[RUNS / 2];
    printf("%-28s %9.2f ms  %8.1f MP/s   (cpu %7.2f ms)\n", name, med,
           (double)w * h / 1e6 / (med / 1e3), c[RUNS / 2]);
}

#define TIME(name, expr)                                                      \
    do {                                                                      \
        double t_[RUNS], c_[RUNS];                                            \
        if ((expr) != SCAR_OK) {                                              \
            fprintf(stderr, "%s failed: %s\n", name, scar_last_error());      \
            return 1;                                                         \
        }                                                                     \
        for (int i_ = 0; i_ < RUNS; i_++) {                                   \
            double t0_ = now_ms(), c0_ = cpu_ms();                            \
            (void)(expr);                                                     \
            t_[i_] = now_ms() - t0_;                                          \
            c_[i_] = cpu_ms() - c0_;                                          \
        }                                                                     \
        report(name, t_, c_, w, h);                                               \
    } while (0)

static int label_and_props(const scar__mask *m, scar__labels *lab,
                           int32_t *n, scar__region **reg)
{
    scar__regionprops_free(*reg);
    *reg = NULL;
    int st = scar__label(m, NULL, 8, lab, n);
    return st ? st : scar__regionprops(lab, *n, 1, reg);
}

static int props_only(const scar__labels *lab, int32_t n, scar__region **reg)
{
    scar__regionprops_free(*reg);
    *reg = NULL;
    return scar__regionprops(lab, n, 0, reg);
}

int main(int argc, char **argv)
{
    uint32_t w = 4000, h = 3000;
    int blobs = 4000;
    if (argc == 4) {
        w = (uint32_t)atoi(argv[1]), h = (uint32_t)atoi(argv[2]);
        blobs = atoi(argv[3]);
    }
    scar__mask m, out;
    scar__planef dist, img;
    scar__labels lab;
    if (scar__mask_alloc(w, h, "bench", &m) || scar__mask_alloc(w, h, "bench", &out) ||
        scar__planef_alloc(w, h, "bench", &dist) ||
        scar__planef_alloc(w, h, "bench", &img) ||
        scar__labels_alloc(w, h, "bench", &lab)) {
        fprintf(stderr, "bench_morph: %s\n", scar_last_error());
        return 1;
    }
    make_mask(&m, blobs);
    uint64_t set = 0;
    for (size_t i = 0; i < (size_t)w * h; i++)
        set += m.data[i];
    printf("bench_morph: %ux%u mask, %d blobs, %.1f%% set, median of %d runs\n",
           w, h, blobs, 100.0 * set / ((double)w * h), RUNS);

    TIME("edt (float distance)", scar__edt(&m, 0, &dist));
    TIME("edt to region", scar__edt(&m, 1, &dist));
    /* verify once: distance 0 exactly on the background */
    for (size_t i = 0; i < (size_t)w * h; i += 997)
        if ((m.data[i] == 0) != (dist.data[i] > 0)) {
            fprintf(stderr, "edt check failed at %zu\n", i);
            return 1;
        }
    int32_t n = 0;
    scar__region *reg = NULL;
    TIME("label8 + regionprops", label_and_props(&m, &lab, &n, &reg));
    uint64_t area = 0;
    for (int32_t i = 0; i < n; i++)
        area += reg[i].area;
    printf("  %d components, area check %s\n", n, area == set ? "ok" : "FAILED");
    TIME("label8 only", scar__label(&m, NULL, 8, &lab, &n));
    TIME("regionprops without hull", props_only(&lab, n, &reg));
    TIME("dilate disk r=15", scar__dilate_disk(&m, 15, &out));
    TIME("erode disk r=15", scar__erode_disk(&m, 15, &out));
    TIME("dilate disk r=3", scar__dilate_disk(&m, 3, &out));
    TIME("fill holes", scar__fill_holes(&m, &out));
    /* a smooth-ish float image for the thresholds: the distance map */
    scar__edt(&m, 0, &img);
    float thr = 0;
    TIME("otsu 256 bins", scar__otsu_threshold(&img, NULL, 256, &thr));
    TIME("hysteresis", scar__hysteresis_threshold(&img, NULL, 2.0f, 6.0f, &out));
    scar__regionprops_free(reg);
    scar__plane_free(m.data), scar__plane_free(out.data);
    scar__plane_free(dist.data), scar__plane_free(img.data);
    scar__plane_free(lab.data);
    return 0;
}
