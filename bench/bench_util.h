/* bench_util.h — the measuring rule every benchmark shares: one warm-up
 * run, then repeat until both a minimum count and a minimum total time are
 * reached, and report the median (tjbench / FFTW libbench2 style). */
#ifndef SCAR_BENCH_UTIL_H
#define SCAR_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median seconds of fn(arg) over >= min_runs runs and >= min_seconds total,
 * after one untimed warm-up. fn returns non-zero on failure, which aborts
 * the benchmark (the benchmark program, not the library, may exit). */
static inline double bench_median(int (*fn)(void *), void *arg, int min_runs,
                                  double min_seconds)
{
    enum { MAX_RUNS = 1000 };
    static double t[MAX_RUNS];
    if (fn(arg) != 0) {
        fprintf(stderr, "bench: warm-up run failed\n");
        exit(1);
    }
    int n = 0;
    double total = 0;
    while (n < MAX_RUNS && (n < min_runs || total < min_seconds)) {
        double t0 = bench_now();
        if (fn(arg) != 0) {
            fprintf(stderr, "bench: run %d failed\n", n);
            exit(1);
        }
        t[n] = bench_now() - t0;
        total += t[n++];
    }
    qsort(t, (size_t)n, sizeof t[0], bench_cmp_double);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* One result line: name, median ms, megapixels per second. */
static inline void bench_report(const char *name, double seconds, double megapixels)
{
    printf("%-36s %9.2f ms %9.1f MP/s\n", name, seconds * 1e3, megapixels / seconds);
}

#endif
