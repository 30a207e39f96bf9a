/* test_threads.c — the same inputs analysed concurrently from N threads
 * give bit-identical results (DESIGN.md: "same input, same options ->
 * bit-identical output, on any thread count"). A single-threaded run makes
 * the reference; then THREADS threads each run every job ROUNDS times in a
 * different order and compare label map, skin mask, region count and JSON
 * byte for byte. Loading from shared encoded bytes runs concurrently too.
 * Built under ThreadSanitizer (-DSCARSCORE_TSAN=ON) by .ci/run, where any
 * data race (e.g. around the FFTW planner, the one global) fails the run. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hard_analyze.h"
#include "scarscore.h"

#define THREADS 4
#define ROUNDS 2
#define JOBS 4

typedef struct output {
    int status;
    uint32_t w, h, n_regions;
    int32_t *labels;
    uint8_t *skin;
    char *json;
} output;

typedef struct job {
    const scar_image *img, *roi;
    scar_analyze_options opts;
} job;

static job jobs[JOBS];
static output reference[JOBS];
static uint8_t *jpeg_bytes;
static size_t jpeg_size;
static scar_image *ref_jpeg;

static void output_free(output *o)
{
    free(o->labels);
    free(o->skin);
    scar_free(o->json);
    memset(o, 0, sizeof *o);
}

static output run(const job *j)
{
    output o;
    memset(&o, 0, sizeof o);
    scar_result *res = NULL;
    o.status = hard_analyze(j->img, j->roi, &j->opts, &res);
    if (o.status != SCAR_OK)
        return o;
    const int32_t *l = scar_result_labels(res, &o.w, &o.h);
    const uint8_t *s = scar_result_skin_mask(res, NULL, NULL);
    size_t n = (size_t)o.w * o.h;
    o.labels = malloc(n * sizeof *o.labels);
    o.skin = malloc(n);
    if (o.labels && o.skin && l && s) {
        memcpy(o.labels, l, n * sizeof *l);
        memcpy(o.skin, s, n);
    }
    o.n_regions = scar_result_region_count(res);
    if (scar_result_to_json(res, &o.json, NULL) != SCAR_OK)
        o.status = -1;
    scar_result_free(res);
    return o;
}

static int same(const output *a, const output *b)
{
    if (a->status != b->status)
        return 0;
    if (a->status != SCAR_OK)
        return 1;
    size_t n = (size_t)a->w * a->h;
    return a->w == b->w && a->h == b->h && a->n_regions == b->n_regions &&
           a->labels && b->labels && a->skin && b->skin &&
           memcmp(a->labels, b->labels, n * sizeof *a->labels) == 0 &&
           memcmp(a->skin, b->skin, n) == 0 && strcmp(a->json, b->json) == 0;
}

static int same_pixels(const scar_image *a, const scar_image *b)
{
    if (scar_image_width(a) != scar_image_width(b) ||
        scar_image_height(a) != scar_image_height(b) ||
        scar_image_channels(a) != scar_image_channels(b))
        return 0;
    size_t row = (size_t)scar_image_width(a) * scar_image_channels(a);
    for (uint32_t y = 0; y < scar_image_height(a); y++)
        if (memcmp(scar_image_row(a, y), scar_image_row(b, y), row))
            return 0;
    return 1;
}

static void *worker(void *arg)
{
    uintptr_t id = (uintptr_t)arg;
    uintptr_t mismatches = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int k = 0; k < JOBS; k++) {
            int j = (int)((k + id + (uintptr_t)r) % JOBS); /* vary the order */
            output o = run(&jobs[j]);
            mismatches += !same(&o, &reference[j]);
            output_free(&o);
        }
        scar_image *img = NULL;
        if (scar_image_load_memory(jpeg_bytes, jpeg_size, NULL, &img) != SCAR_OK ||
            !same_pixels(img, ref_jpeg))
            mismatches++;
        scar_image_free(img);
    }
    return (void *)mismatches;
}

static scar_image *load_sample(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/sample_small.jpg", SCAR_TEST_DATA);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    jpeg_size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    jpeg_bytes = malloc(jpeg_size);
    assert_non_null(jpeg_bytes);
    assert_int_equal(fread(jpeg_bytes, 1, jpeg_size, f), jpeg_size);
    fclose(f);
    scar_image *img = NULL;
    assert_int_equal(scar_image_load_memory(jpeg_bytes, jpeg_size, NULL, &img),
                     SCAR_OK);
    return img;
}

static void test_concurrent_analyze_is_bit_identical(void **state)
{
    (void)state;
    scar_image *skin = hard_skin_photo(160, 120);
    scar_image *roi = NULL;
    assert_non_null(skin);
    assert_int_equal(scar_image_new(160, 120, 1, 8, &roi), SCAR_OK);
    for (uint32_t y = 10; y < 110; y++)
        memset((uint8_t *)scar_image_row(roi, y) + 20, 255, 120);
    ref_jpeg = load_sample();

    for (int j = 0; j < JOBS; j++)
        scar_analyze_options_init(&jobs[j].opts);
    jobs[0].img = skin;                     /* automatic skin mask */
    jobs[0].opts.px_per_mm = 4.0;           /* the disc is 5 mm across */
    jobs[1].img = skin;                     /* user ROI, known scale */
    jobs[1].roi = roi;
    jobs[1].opts.px_per_mm = 8.0;
    jobs[2].img = skin;                     /* single-lesion mode */
    jobs[2].opts.single_lesion = 1;
    jobs[2].opts.px_per_mm = 4.0;
    jobs[3].img = ref_jpeg;                 /* a real photo */
    jobs[3].opts.px_per_mm = 5.0;

    for (int j = 0; j < JOBS; j++) {
        reference[j] = run(&jobs[j]);
        if (reference[j].status != SCAR_OK)
            fail_msg("job %d: status %d: %s", j, reference[j].status,
                     scar_last_error());
    }
    assert_true(reference[0].n_regions >= 1); /* the disc is found */

    pthread_t t[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)i), 0);
    uintptr_t total = 0;
    for (int i = 0; i < THREADS; i++) {
        void *ret = NULL;
        assert_int_equal(pthread_join(t[i], &ret), 0);
        total += (uintptr_t)ret;
    }
    assert_int_equal(total, 0);

    for (int j = 0; j < JOBS; j++)
        output_free(&reference[j]);
    scar_image_free(ref_jpeg);
    free(jpeg_bytes);
    scar_image_free(roi);
    scar_image_free(skin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_analyze_is_bit_identical),
    };
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
