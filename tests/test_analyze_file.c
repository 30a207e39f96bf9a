/* test_analyze_file.c — scar_analyze_file / scar_analyze_memory: the same
 * result as scar_image_load + scar_analyze, bit for bit, on every path
 * (a JPEG decoded as it is shrunk; PNG, rotated JPEG and full-resolution
 * analyses loaded whole), and the pieces of the streamed path on their
 * own: rows of a JPEG decoded one at a time against the whole decode, the
 * block-mean shrink of a JPEG stream against that of the decoded image,
 * damaged files failing (never a partial result). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze/analyze_internal.h"
#include "image/image_internal.h"
#include "image/photo_rows.h"
#include "image/shrink.h"
#include "phantom.h"
#include "scarscore.h"

#define DATA SCAR_TEST_DATA "/"

static uint8_t *read_bytes(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return b;
}

/* A photo of `data` as a JPEG stream (no orientation applied). */
static void jpeg_photo(const uint8_t *data, size_t size, uint32_t denom,
                       scar__photo *p)
{
    scar_load_options lo;
    scar_load_options_init(&lo);
    lo.scale_denom = denom;
    uint32_t orientation;
    assert_int_equal(scar__photo_of_jpeg(data, size, &lo, "t", p,
                                         &orientation),
                     SCAR_OK);
}

static void assert_images_equal(const scar_image *a, const scar_image *b)
{
    uint32_t w = scar_image_width(a), h = scar_image_height(a);
    assert_int_equal(w, scar_image_width(b));
    assert_int_equal(h, scar_image_height(b));
    assert_int_equal(scar_image_channels(a), scar_image_channels(b));
    assert_int_equal(scar_image_bit_depth(a), scar_image_bit_depth(b));
    size_t n = (size_t)w * scar_image_channels(a) *
               (scar_image_bit_depth(a) / 8);
    for (uint32_t y = 0; y < h; y++)
        assert_memory_equal(scar_image_row(a, y), scar_image_row(b, y), n);
}

/* Rows one at a time equal the whole decode: baseline, progressive, gray
 * and DCT-scaled. */
static void test_stream_rows_match_decode(void **state)
{
    (void)state;
    static const struct { const char *file; uint32_t denom; } cases[] = {
        {DATA "jpeg/odd_baseline.jpg", 1}, {DATA "jpeg/odd_progressive.jpg", 1},
        {DATA "jpeg/odd_gray.jpg", 1}, {DATA "jpeg/odd_baseline.jpg", 2},
        {DATA "jpeg/odd_baseline.jpg", 8}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t size;
        uint8_t *data = read_bytes(cases[k].file, &size);
        scar__photo p;
        jpeg_photo(data, size, cases[k].denom, &p);
        scar_image *ref = NULL;
        assert_int_equal(scar_image_load_memory(data, size, &p.load, &ref),
                         SCAR_OK);
        assert_int_equal(p.width, scar_image_width(ref));
        assert_int_equal(p.height, scar_image_height(ref));
        assert_int_equal(p.channels, scar_image_channels(ref));
        scar__photo_rows rows;
        assert_int_equal(scar__photo_rows_open(&p, &rows), SCAR_OK);
        for (uint32_t y = 0; y < p.height; y++) {
            const uint8_t *row = NULL;
            assert_int_equal(scar__photo_rows_next(&rows, &row), SCAR_OK);
            assert_memory_equal(row, scar_image_row(ref, y),
                                (size_t)p.width * p.channels);
        }
        const uint8_t *past = NULL;
        assert_int_equal(scar__photo_rows_next(&rows, &past),
                         SCAR_E_INTERNAL);
        assert_null(past);
        scar__photo_rows_close(&rows);
        /* a pass may end anywhere */
        assert_int_equal(scar__photo_rows_open(&p, &rows), SCAR_OK);
        const uint8_t *row = NULL;
        assert_int_equal(scar__photo_rows_next(&rows, &row), SCAR_OK);
        scar__photo_rows_close(&rows);
        scar_image_free(ref);
        free(data);
    }
}

/* The shrink of a JPEG read as a stream equals the shrink of its decoded
 * image, for factors with partial blocks (101 x 67 by 2, 3, 4, 5, 7)
 * and with a mask. */
static void test_stream_shrink_matches_image(void **state)
{
    (void)state;
    size_t size;
    uint8_t *data = read_bytes(DATA "jpeg/odd_progressive.jpg", &size);
    scar__photo p;
    jpeg_photo(data, size, 1, &p);
    scar_image *ref = NULL;
    assert_int_equal(scar_image_load_memory(data, size, NULL, &ref), SCAR_OK);
    uint8_t *mask = malloc((size_t)p.width * p.height);
    assert_non_null(mask);
    for (uint32_t y = 0; y < p.height; y++)
        for (uint32_t x = 0; x < p.width; x++)
            mask[(size_t)y * p.width + x] = (x * 7 + y * 3) % 5 != 0;
    static const uint32_t factors[] = {2, 3, 4, 5, 7};
    for (size_t k = 0; k < sizeof factors / sizeof factors[0]; k++)
        for (int masked = 0; masked <= 1; masked++) {
            const uint8_t *m = masked ? mask : NULL;
            scar_image *a = NULL, *b = NULL;
            assert_int_equal(scar__photo_shrink_masked(&p, m, p.width,
                                                       factors[k], "t", &a),
                             SCAR_OK);
            assert_int_equal(scar__image_shrink_masked(ref, m, p.width,
                                                       factors[k], "t", &b),
                             SCAR_OK);
            assert_images_equal(a, b);
            assert_int_equal(scar_image_format(a), SCAR_FORMAT_JPEG);
            scar_image_free(a);
            scar_image_free(b);
        }
    free(mask);
    scar_image_free(ref);
    free(data);
}

/* A truncated JPEG fails the streamed shrink with SCAR_E_CORRUPT (as the
 * whole decode does) wherever it is cut, and no image comes out. */
static void test_stream_truncated(void **state)
{
    (void)state;
    size_t size;
    uint8_t *data = read_bytes(DATA "jpeg/odd_baseline.jpg", &size);
    scar__photo p;
    jpeg_photo(data, size, 1, &p);
    /* cuts past the header (the stream's open reads it) */
    for (size_t cut = size / 2; cut < size; cut += 97) {
        p.size = cut;
        scar_image *out = (scar_image *)&p; /* must be cleared */
        int st = scar__photo_shrink_masked(&p, NULL, 0, 3, "t", &out);
        assert_int_equal(st, SCAR_E_CORRUPT);
        assert_null(out);
        scar_image *whole = NULL;
        assert_int_equal(scar_image_load_memory(data, cut, NULL, &whole),
                         SCAR_E_CORRUPT);
    }
    free(data);
}

/* Two results with the same JSON, byte for byte; both are freed. */
static void assert_same_json_and_free(scar_result *a, scar_result *b)
{
    char *ja = NULL, *jb = NULL;
    size_t na = 0, nb = 0;
    assert_int_equal(scar_result_to_json(a, &ja, &na), SCAR_OK);
    assert_int_equal(scar_result_to_json(b, &jb, &nb), SCAR_OK);
    assert_int_equal(na, nb);
    assert_string_equal(ja, jb);
    scar_free(ja);
    scar_free(jb);
    scar_result_free(a);
    scar_result_free(b);
}

/* scar_analyze_memory against scar_image_load_memory + scar_analyze:
 * identical JSON and label maps. */
static void assert_same_analysis(const uint8_t *data, size_t size,
                                 const scar_image *roi,
                                 const scar_analyze_options *o)
{
    scar_image *img = NULL;
    assert_int_equal(scar_image_load_memory(data, size, NULL, &img), SCAR_OK);
    scar_result *a = NULL, *b = NULL;
    assert_int_equal(scar_analyze(img, roi, o, &a), SCAR_OK);
    assert_int_equal(scar_analyze_memory(data, size, NULL, roi, o, &b),
                     SCAR_OK);
    uint32_t wa, ha, wb, hb;
    const int32_t *la = scar_result_labels(a, &wa, &ha);
    const int32_t *lb = scar_result_labels(b, &wb, &hb);
    assert_non_null(la);
    assert_non_null(lb);
    assert_int_equal(wa, wb);
    assert_int_equal(ha, hb);
    assert_memory_equal(la, lb, (size_t)wa * ha * sizeof *la);
    const uint8_t *sa = scar_result_skin_mask(a, NULL, NULL);
    const uint8_t *sb = scar_result_skin_mask(b, NULL, NULL);
    assert_memory_equal(sa, sb, (size_t)wa * ha);
    assert_same_json_and_free(a, b);
    scar_image_free(img);
}

/* The streamed analysis itself (scar__analyze_photo of a JPEG photo,
 * whichever path scar_analyze_memory chooses) against load + analyze. */
static void assert_streamed_same(const uint8_t *data, size_t size,
                                 const scar_analyze_options *o)
{
    scar__photo p;
    jpeg_photo(data, size, 1, &p);
    scar_image *img = NULL;
    assert_int_equal(scar_image_load_memory(data, size, NULL, &img), SCAR_OK);
    scar_result *a = NULL, *b = NULL;
    assert_int_equal(scar_analyze(img, NULL, o, &a), SCAR_OK);
    assert_int_equal(scar__analyze_photo(&p, NULL, o, &b, NULL, "t"), SCAR_OK);
    assert_true(scar_result_region_count(a) > 0);
    assert_same_json_and_free(a, b);
    scar_image_free(img);
}

/* A phantom photo (lesions, light, JPEG q90) of 361 x 271 at 15 px/mm:
 * analysed shrunk by 3 with partial blocks on both sides, and by 2 at
 * the assumed scale; with a ROI; and at full resolution. */
static void test_phantom_same_as_load_and_analyze(void **state)
{
    (void)state;
    phantom_params pp;
    phantom_params_init(&pp);
    pp.seed = 11;
    pp.width = 361;
    pp.height = 271;
    pp.px_per_mm = 15.0;
    pp.quality = 90;
    pp.lesions = 6;
    phantom ph;
    char err[256];
    assert_int_equal(phantom_generate(&pp, &ph, err, sizeof err), 0);
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s/analyze_file_phantom", SCAR_TEST_TMP);
    assert_int_equal(phantom_write(&ph, prefix, 0, err, sizeof err), 0);
    phantom_free(&ph);
    char path[600];
    snprintf(path, sizeof path, "%s.jpg", prefix);
    size_t size;
    uint8_t *data = read_bytes(path, &size);

    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = 15.0; /* shrunk by 3 */
    assert_streamed_same(data, size, &o);
    assert_same_analysis(data, size, NULL, &o);
    o.px_per_mm = 0.0;  /* the assumed 10 px/mm: by 2 */
    assert_same_analysis(data, size, NULL, &o);
    o.px_per_mm = 15.0;
    o.analysis_px_per_mm = 0.0; /* full resolution: loaded whole */
    assert_same_analysis(data, size, NULL, &o);
    o.analysis_px_per_mm = 5.0;
    o.single_lesion = 1; /* full resolution too */
    assert_same_analysis(data, size, NULL, &o);
    o.single_lesion = 0;

    /* a ROI: the left two thirds */
    scar_image *roi = NULL;
    assert_int_equal(scar_image_new(361, 271, 1, 8, &roi), SCAR_OK);
    for (uint32_t y = 0; y < 271; y++)
        memset(scar_image_row(roi, y), 255, 240);
    assert_same_analysis(data, size, roi, &o);
    scar_image_free(roi);

    /* the file entry point gives the same as the memory one */
    scar_result *a = NULL, *b = NULL;
    assert_int_equal(scar_analyze_file(path, NULL, NULL, &o, &a), SCAR_OK);
    assert_int_equal(scar_analyze_memory(data, size, NULL, NULL, &o, &b),
                     SCAR_OK);
    assert_same_json_and_free(a, b);
    free(data);
    remove(path);
    snprintf(path, sizeof path, "%s_labels.png", prefix);
    remove(path);
    snprintf(path, sizeof path, "%s_truth.json", prefix);
    remove(path);
}

/* Every EXIF orientation (the upright one streamed, the rotated ones
 * loaded whole) and a PNG give load + analyze's result. */
static void test_orientations_and_png(void **state)
{
    (void)state;
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = 15.0;
    for (int k = 1; k <= 8; k++) {
        char path[256];
        snprintf(path, sizeof path, DATA "exif/Landscape_%d.jpg", k);
        size_t size;
        uint8_t *data = read_bytes(path, &size);
        assert_same_analysis(data, size, NULL, &o);
        free(data);
    }
    size_t size;
    uint8_t *data = read_bytes(DATA "pngsuite/basn2c08.png", &size);
    assert_same_analysis(data, size, NULL, &o);
    free(data);
}

/* Errors: they name the file and say why; nothing comes out. */
static void test_errors(void **state)
{
    (void)state;
    scar_result *res = (scar_result *)state; /* must be cleared */
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = 15.0;
    assert_int_equal(scar_analyze_file(DATA "no_such_photo.jpg", NULL, NULL,
                                       &o, &res),
                     SCAR_E_IO);
    assert_null(res);
    assert_non_null(strstr(scar_last_error(), "no_such_photo.jpg"));
    /* gray: no colour to measure */
    res = (scar_result *)state;
    assert_int_equal(scar_analyze_file(DATA "jpeg/odd_gray.jpg", NULL, NULL,
                                       &o, &res),
                     SCAR_E_UNSUPPORTED);
    assert_null(res);
    assert_non_null(strstr(scar_last_error(), "odd_gray.jpg"));
    /* truncated past the header: the streamed decode meets the damage */
    size_t size;
    uint8_t *data = read_bytes(DATA "exif/Landscape_1.jpg", &size);
    res = (scar_result *)state;
    assert_int_equal(scar_analyze_memory(data, size - size / 4, NULL, NULL,
                                         &o, &res),
                     SCAR_E_CORRUPT);
    assert_null(res);
    /* not an image */
    res = (scar_result *)state;
    assert_int_equal(scar_analyze_memory("hello", 5, NULL, NULL, &o, &res),
                     SCAR_E_FORMAT);
    assert_null(res);
    assert_int_equal(scar_analyze_memory(NULL, 5, NULL, NULL, &o, &res),
                     SCAR_E_INVALID);
    assert_int_equal(scar_analyze_memory(data, size, NULL, NULL, &o, NULL),
                     SCAR_E_INVALID);
    assert_int_equal(scar_analyze_file(NULL, NULL, NULL, &o, &res),
                     SCAR_E_INVALID);
    /* bad load options are reported */
    scar_load_options lo;
    scar_load_options_init(&lo);
    lo.scale_denom = 3;
    assert_int_equal(scar_analyze_memory(data, size, &lo, NULL, &o, &res),
                     SCAR_E_INVALID);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_rows_match_decode),
        cmocka_unit_test(test_stream_shrink_matches_image),
        cmocka_unit_test(test_stream_truncated),
        cmocka_unit_test(test_phantom_same_as_load_and_analyze),
        cmocka_unit_test(test_orientations_and_png),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests_name("analyze_file", tests, NULL, NULL);
}
