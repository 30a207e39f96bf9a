/* bench_analyze.c — whole-pipeline speed against the decode floor.
 *
 * Renders a phantom photo (samples/phantom) of the requested size, encodes
 * it as JPEG at the requested quality (4:2:0, as cameras do), and reports,
 * as medians after a warm-up:
 *   - the libjpeg-turbo decode of that file alone (the floor),
 *   - colour conversion (sRGB -> CIELAB planes),
 *   - each stage of one `scarscore analyze` (scar_analyze_memory: colour,
 *     which includes the decode when the JPEG is decoded as it is shrunk,
 *     skin mask, segmentation, rings, measurement; JSON output), median
 *     per stage; the analyze stages are CPU seconds of the thread, filled
 *     by the library's internal stage timer (lib/analyze/analyze_timing.h),
 *   - scar_analyze on the decoded image, and scar_analyze_memory + JSON
 *     (what `scarscore analyze` does), with the ratio to the floor,
 *   - peak RSS of one decode + analyze in a fresh child process,
 *   - one `scarscore analyze` as a user's shell loop runs it: this program
 *     started again on the JPEG (written to a temporary file in $TMPDIR,
 *     else /tmp) to analyse it and write the JSON once; the median wall
 *     time and minor page faults of five such processes after a warm-up
 *     one (a fresh process pays the first touch of every page it uses,
 *     which an in-process run after a warm-up does not),
 *   - batch throughput (photos/s) with 1 and 2 worker threads: five
 *     alternated pairs after a warm-up pair; the medians of the rates and
 *     of the pairs' ratios (a shared machine's load moves both alike).
 * Output: a table on stdout and, with --json FILE, the same as JSON.
 *
 * Usage: bench_analyze [--width W] [--height H] [--quality Q] [--seed S]
 *                      [--px-per-mm X] [--json FILE] [--stages-only]
 * --stages-only prints the decode floor and the stage table and skips the
 * whole-pipeline, RSS and thread measurements (a quick profile).
 * Large inputs are generated here, never committed. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* wait4: one child's own rusage */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyze/analyze_timing.h"
#include "bench_util.h"
#include "phantom.h"
#include "process_memory.h"
#include "scarscore.h"

struct input {
    uint8_t *jpeg;
    size_t size;
    double px_per_mm;
};

static int read_all(const char *path, uint8_t **out, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = malloc((size_t)n);
    *size = fread(*out, 1, (size_t)n, f);
    fclose(f);
    return *size == (size_t)n ? 0 : -1;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_analyze: %s: %s\n", what, scar_last_error());
    exit(1);
}

/* One full `scarscore analyze` worth of work: decode and analyze
 * (scar_analyze_memory, as the CLI), JSON. */
static int analyze_once(const struct input *in, int want_json)
{
    scar_result *res = NULL;
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = in->px_per_mm;
    int st = scar_analyze_memory(in->jpeg, in->size, NULL, NULL, &o, &res);
    if (st == SCAR_OK && want_json) {
        char *json = NULL;
        st = scar_result_to_json(res, &json, NULL);
        scar_free(json);
    }
    scar_result_free(res);
    return st;
}

static int run_decode(void *arg)
{
    const struct input *in = arg;
    scar_image *img = NULL;
    int st = scar_image_load_memory(in->jpeg, in->size, NULL, &img);
    scar_image_free(img);
    return st;
}

struct decoded {
    scar_image *img;
    float *l, *a, *b;
    double px_per_mm;
};

static int run_lab(void *arg)
{
    struct decoded *d = arg;
    return scar_image_to_lab(d->img, NULL, 0, d->l, d->a, d->b, scar_image_width(d->img));
}

static int run_analyze_decoded(void *arg)
{
    struct decoded *d = arg;
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = d->px_per_mm;
    scar_result *res = NULL;
    int st = scar_analyze(d->img, NULL, &o, &res);
    scar_result_free(res);
    return st;
}

static int run_full(void *arg) { return analyze_once(arg, 1); }

/* Stage breakdown of scar_analyze_memory (as the CLI) and JSON; each row
 * the median of `runs` runs after a warm-up. */
enum { ROW_ANALYZE0, ROW_JSON = ROW_ANALYZE0 + SCAR__STAGE_COUNT, ROW_COUNT };
static const char *const row_names[ROW_COUNT] = {
    "  colour (decode, shrink, L*a*b*)", "  skin mask (glare, shadow, hair)",
    "  segmentation (model, anomaly)", "  perilesional rings", "  measurement",
    "  JSON output (wall)"};

static double median_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], bench_cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void stage_breakdown(const struct input *in, int runs, double med[ROW_COUNT])
{
    double t[ROW_COUNT][64];
    if (runs > 64)
        runs = 64;
    for (int r = -1; r < runs; r++) {
        scar_result *res = NULL;
        scar_analyze_options o;
        scar_analyze_options_init(&o);
        o.px_per_mm = in->px_per_mm;
        scar__analyze_timing tm;
        if (scar__analyze_memory_timed(in->jpeg, in->size, &o, &res, &tm) !=
            SCAR_OK)
            die("analyze");
        double t2 = bench_now();
        char *json = NULL;
        if (scar_result_to_json(res, &json, NULL) != SCAR_OK)
            die("json");
        double t3 = bench_now();
        scar_free(json);
        scar_result_free(res);
        if (r < 0)
            continue;  /* warm-up */
        for (int s = 0; s < SCAR__STAGE_COUNT; s++)
            t[ROW_ANALYZE0 + s][r] = tm.seconds[s];
        t[ROW_JSON][r] = t3 - t2;
    }
    for (int k = 0; k < ROW_COUNT; k++)
        med[k] = median_of(t[k], runs);
}

/* Peak RSS of one decode + analyze, measured in a fresh child so earlier
 * runs' allocations do not count. Returns kilobytes. */
static long peak_rss_kb(const struct input *in)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(analyze_once(in, 1) == SCAR_OK ? 0 : 1);
    int status = 0;
    struct rusage ru;
    /* RUSAGE_CHILDREN: the largest maxrss among waited-for children; this
     * is the only child the program ever waits for. */
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0 || getrusage(RUSAGE_CHILDREN, &ru) != 0)
        return -1;
    return ru.ru_maxrss;
}

/* The fresh process's side: analyse the JPEG at `path` once, with JSON;
 * the exit status says whether it worked. */
static int fresh_child(const char *path, double px_per_mm)
{
    cli_keep_freed_memory(); /* as `scarscore analyze` runs */
    scar_result *res = NULL;
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = px_per_mm;
    int st = scar_analyze_file(path, NULL, NULL, &o, &res);
    if (st == SCAR_OK) {
        char *json = NULL;
        st = scar_result_to_json(res, &json, NULL);
        scar_free(json);
    }
    scar_result_free(res);
    return st == SCAR_OK ? 0 : 1;
}

/* Median wall seconds and minor faults of FRESH_RUNS processes (after a
 * warm-up one) that each run fresh_child on the input; the largest peak
 * RSS among them in *rss_kb. 0 on success. */
enum { FRESH_RUNS = 5 };
static int fresh_process(const struct input *in, const char *argv0,
                         double *wall_s, double *minflt, long *rss_kb)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_analyze_XXXXXX",
             dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    int ok = write(fd, in->jpeg, in->size) == (ssize_t)in->size;
    close(fd);
    char ppm[32];
    snprintf(ppm, sizeof ppm, "%.17g", in->px_per_mm);
    double wall[FRESH_RUNS], flt[FRESH_RUNS];
    *rss_kb = 0;
    for (int r = -1; r < FRESH_RUNS && ok; r++) {
        double t0 = bench_now();
        pid_t pid = fork();
        if (pid == 0) {
            char *const args[] = {(char *)argv0, "--fresh-child", path, ppm, NULL};
            execv("/proc/self/exe", args); /* Linux; else the name run */
            execvp(argv0, args);
            _exit(127);
        }
        int status = 0;
        struct rusage ru;
        ok = pid > 0 && wait4(pid, &status, 0, &ru) == pid &&
             WIFEXITED(status) && WEXITSTATUS(status) == 0;
        double t1 = bench_now();
        if (!ok || r < 0)
            continue; /* warm-up: the file's pages into the cache */
        wall[r] = t1 - t0;
        flt[r] = (double)ru.ru_minflt;
        if (ru.ru_maxrss > *rss_kb)
            *rss_kb = ru.ru_maxrss;
    }
    unlink(path);
    if (!ok)
        return -1;
    *wall_s = median_of(wall, FRESH_RUNS);
    *minflt = median_of(flt, FRESH_RUNS);
    return 0;
}

struct batch {
    const struct input *in;
    int jobs, next;
    pthread_mutex_t lock;
    int failed;
};

static void *batch_worker(void *arg)
{
    struct batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        int j = b->next < b->jobs ? b->next++ : -1;
        pthread_mutex_unlock(&b->lock);
        if (j < 0)
            return NULL;
        if (analyze_once(b->in, 1) != SCAR_OK)
            b->failed = 1;
    }
}

/* Photos per second analysing `jobs` photos with `threads` workers. */
static double batch_rate(const struct input *in, int threads, int jobs)
{
    struct batch b = {in, jobs, 0, PTHREAD_MUTEX_INITIALIZER, 0};
    pthread_t t[16];
    double t0 = bench_now();
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, batch_worker, &b);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    double dt = bench_now() - t0;
    if (b.failed)
        die("batch");
    return jobs / dt;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--fresh-child"))
        return fresh_child(argv[2], atof(argv[3]));
    uint32_t w = 4000, h = 3000;
    int quality = 90;
    uint64_t seed = 7;
    double px_per_mm = 15;
    const char *json_path = NULL;
    int stages_only = 0;
    for (int i = 1; i < argc; i += 2) {
        if (!strcmp(argv[i], "--stages-only")) {
            stages_only = 1;
            i--;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "bench_analyze: %s needs a value\n", argv[i]);
            return 2;
        }
        if (!strcmp(argv[i], "--width")) w = (uint32_t)atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--height")) h = (uint32_t)atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--quality")) quality = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--px-per-mm")) px_per_mm = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--json")) json_path = argv[i + 1];
        else {
            fprintf(stderr, "bench_analyze: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    double mp = (double)w * h / 1e6;

    /* Render and encode the input photo once. */
    phantom_params pp;
    phantom_params_init(&pp);
    pp.seed = seed;
    pp.width = w;
    pp.height = h;
    pp.quality = quality;
    pp.px_per_mm = px_per_mm;
    phantom ph;
    char err[256];
    if (phantom_generate(&pp, &ph, err, sizeof err) != 0) {
        fprintf(stderr, "bench_analyze: phantom: %s\n", err);
        return 1;
    }
    char prefix[64];
    snprintf(prefix, sizeof prefix, "/tmp/scar_bench_analyze_%d", (int)getpid());
    if (phantom_write(&ph, prefix, 0, err, sizeof err) != 0) {
        fprintf(stderr, "bench_analyze: phantom write: %s\n", err);
        return 1;
    }
    phantom_free(&ph);
    char path[128];
    struct input in = {NULL, 0, px_per_mm};
    snprintf(path, sizeof path, "%s.jpg", prefix);
    if (read_all(path, &in.jpeg, &in.size) != 0) {
        fprintf(stderr, "bench_analyze: cannot read %s\n", path);
        return 1;
    }
    const char *suffixes[] = {".jpg", "_labels.png", "_truth.json"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", prefix, suffixes[i]);
        remove(path);
    }

    printf("bench_analyze: %ux%u (%.1f MP) phantom, JPEG q%d %.2f MB, %.1f px/mm\n", w, h,
           mp, quality, in.size / 1e6, px_per_mm);
    double t_decode = bench_median(run_decode, &in, 5, 1.0);
    bench_report("decode (libjpeg-turbo, the floor)", t_decode, mp);

    double stage[ROW_COUNT], stage_sum = 0.0;
    stage_breakdown(&in, 5, stage);
    printf("stages of one analysis (median of 5):\n");
    for (int k = 0; k < ROW_COUNT; k++) {
        printf("%-36s %9.2f ms %9.1f MP/s %7.2fx decode\n", row_names[k], stage[k] * 1e3,
               mp / stage[k], stage[k] / t_decode);
        stage_sum += stage[k];
    }
    printf("%-36s %9.2f ms %9.1f MP/s %7.2fx decode\n", "  sum of stages", stage_sum * 1e3,
           mp / stage_sum, stage_sum / t_decode);
    if (stages_only) {
        free(in.jpeg);
        return 0;
    }

    struct decoded d = {NULL, NULL, NULL, NULL, px_per_mm};
    if (scar_image_load_memory(in.jpeg, in.size, NULL, &d.img) != SCAR_OK)
        die("decode");
    size_t n = (size_t)scar_image_width(d.img) * scar_image_height(d.img);
    d.l = malloc(n * sizeof(float));
    d.a = malloc(n * sizeof(float));
    d.b = malloc(n * sizeof(float));
    double t_lab = bench_median(run_lab, &d, 5, 1.0);
    bench_report("colour (sRGB -> L*a*b* planes)", t_lab, mp);
    free(d.l);
    free(d.a);
    free(d.b);
    double t_an = bench_median(run_analyze_decoded, &d, 5, 1.0);
    bench_report("scar_analyze (decoded image)", t_an, mp);
    scar_image_free(d.img);
    double t_full = bench_median(run_full, &in, 5, 1.0);
    bench_report("scar_analyze_memory + JSON (the CLI)", t_full, mp);
    printf("%-36s %9.2fx\n", "ratio to the decode floor", t_full / t_decode);

    long rss = peak_rss_kb(&in);
    printf("%-36s %9.1f MB  %6.1f bytes/pixel\n", "peak RSS (one analysis)", rss / 1024.0,
           rss * 1024.0 / (mp * 1e6));
    double t_fresh = 0, flt_fresh = 0;
    long rss_fresh = 0;
    if (fresh_process(&in, argv[0], &t_fresh, &flt_fresh, &rss_fresh) == 0) {
        bench_report("fresh process: analyze + JSON", t_fresh, mp);
        printf("%-36s %9.2fx\n", "  ratio to the decode floor", t_fresh / t_decode);
        printf("%-36s %9.0f\n", "  minor page faults", flt_fresh);
        printf("%-36s %9.1f MB  %6.1f bytes/pixel\n", "  peak RSS",
               rss_fresh / 1024.0, rss_fresh * 1024.0 / (mp * 1e6));
    } else {
        /* JSON: 0 for the three fresh-process figures */
        printf("%-36s %s\n", "fresh process: analyze + JSON",
               "unavailable (could not start this program again)");
        t_fresh = 0;
        flt_fresh = 0;
        rss_fresh = 0;
    }

    /* batch: BATCH_RUNS pairs of a 1-thread and a 2-thread batch after a
     * warm-up pair, alternated so that both see the same load of a shared
     * machine; the medians of the rates and of the pairs' ratios */
    enum { BATCH_RUNS = 5 };
    int jobs = 6;
    double rate1[BATCH_RUNS], rate2[BATCH_RUNS], ratio[BATCH_RUNS];
    (void)batch_rate(&in, 1, 2);
    (void)batch_rate(&in, 2, 2);
    for (int i = 0; i < BATCH_RUNS; i++) {
        rate1[i] = batch_rate(&in, 1, jobs);
        rate2[i] = batch_rate(&in, 2, jobs);
        ratio[i] = rate2[i] / rate1[i];
    }
    double r1 = median_of(rate1, BATCH_RUNS), r2 = median_of(rate2, BATCH_RUNS);
    double speedup = median_of(ratio, BATCH_RUNS);
    printf("%-36s %9.3f photos/s\n", "batch, 1 thread", r1);
    printf("%-36s %9.3f photos/s  (%.2fx of 1 thread)\n", "batch, 2 threads", r2,
           speedup);

    if (json_path) {
        FILE *f = fopen(json_path, "w");
        if (!f) {
            perror(json_path);
            return 1;
        }
        fprintf(f,
                "{\"width\":%u,\"height\":%u,\"megapixels\":%.3f,\"quality\":%d,"
                "\"decode_s\":%.6f,\"lab_s\":%.6f,\"analyze_s\":%.6f,"
                "\"full_s\":%.6f,\"ratio_to_decode\":%.4f,\"peak_rss_kb\":%ld,"
                "\"rss_bytes_per_pixel\":%.3f,\"batch_1thread_per_s\":%.4f,"
                "\"batch_2threads_per_s\":%.4f,\"thread_speedup\":%.4f,"
                "\"fresh_s\":%.6f,\"fresh_minor_faults\":%.0f,"
                "\"fresh_peak_rss_kb\":%ld,\"stages_s\":{",
                w, h, mp, quality, t_decode, t_lab, t_an, t_full, t_full / t_decode, rss,
                rss * 1024.0 / (mp * 1e6), r1, r2, speedup, t_fresh, flt_fresh,
                rss_fresh);
        static const char *const keys[ROW_COUNT] = {"colour", "skin", "segment",
                                                     "rings", "measure", "json"};
        for (int k = 0; k < ROW_COUNT; k++)
            fprintf(f, "%s\"%s\":%.6f", k ? "," : "", keys[k], stage[k]);
        fprintf(f, "}}\n");
        fclose(f);
    }
    free(in.jpeg);
    return 0;
}
