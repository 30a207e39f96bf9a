/* test_image.c — the image type: constructors, strides, borrow vs copy,
 * accessors, options versioning, format detection, EXIF orientation
 * transforms, error reporting and its per-thread message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "image/image_internal.h"
#include "scarscore.h"

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(scar_version(), SCAR_VERSION_STRING);
    assert_int_equal(scar_version_number(), SCAR_VERSION_NUMBER);
    assert_int_equal(SCAR_VERSION_NUMBER, SCAR_VERSION_MAJOR * 1000000 +
                                              SCAR_VERSION_MINOR * 1000 +
                                              SCAR_VERSION_PATCH);
}

static void test_strerror(void **state)
{
    (void)state;
    const int codes[] = {SCAR_OK, SCAR_E_INVALID, SCAR_E_VERSION, SCAR_E_IO,
                         SCAR_E_FORMAT, SCAR_E_CORRUPT, SCAR_E_UNSUPPORTED,
                         SCAR_E_NOMEM, SCAR_E_LIMIT, SCAR_E_INTERNAL};
    /* Values are part of the ABI: never renumbered. */
    assert_int_equal(SCAR_E_INVALID, 1);
    assert_int_equal(SCAR_E_IO, 10);
    assert_int_equal(SCAR_E_CORRUPT, 12);
    assert_int_equal(SCAR_E_NOMEM, 20);
    assert_int_equal(SCAR_E_LIMIT, 21);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = scar_strerror(codes[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 3);
        assert_string_not_equal(s, "unknown status");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, scar_strerror(codes[j]));
    }
    assert_string_equal(scar_strerror(12345), "unknown status");
    assert_string_equal(scar_strerror(-1), "unknown status");
}

static void test_new_and_accessors(void **state)
{
    (void)state;
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(5, 3, 3, 16, &img), SCAR_OK);
    assert_int_equal(scar_image_width(img), 5);
    assert_int_equal(scar_image_height(img), 3);
    assert_int_equal(scar_image_channels(img), 3);
    assert_int_equal(scar_image_bit_depth(img), 16);
    assert_int_equal(scar_image_stride(img), 5 * 3 * 2);
    assert_int_equal(scar_image_orientation(img), 1);
    assert_int_equal(scar_image_scale_denom(img), 1);
    assert_int_equal(scar_image_format(img), SCAR_FORMAT_UNKNOWN);
    assert_ptr_equal(scar_image_data(img), scar_image_row(img, 0));
    assert_ptr_equal((uint8_t *)scar_image_row(img, 2),
                     (uint8_t *)scar_image_data(img) + 2 * 30);
    assert_null(scar_image_row(img, 3));
    const uint16_t *px = scar_image_row(img, 2);
    for (int i = 0; i < 15; i++)
        assert_int_equal(px[i], 0); /* zero-filled */
    scar_image_free(img);
    scar_image_free(NULL); /* no-op */
    assert_int_equal(scar_image_width(NULL), 0);
    assert_null(scar_image_row(NULL, 0));
}

static void test_new_rejects_bad_layout(void **state)
{
    (void)state;
    scar_image *img = (scar_image *)0x1;
    assert_int_equal(scar_image_new(0, 3, 3, 8, &img), SCAR_E_INVALID);
    assert_null(img);
    assert_non_null(strstr(scar_last_error(), "scar_image_new"));
    assert_int_equal(scar_image_new(3, 0, 3, 8, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_new(3, 3, 0, 8, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_new(3, 3, 5, 8, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_new(3, 3, 3, 12, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_new(3, 3, 3, 8, NULL), SCAR_E_INVALID);
}

static void test_from_memory_copy_and_borrow(void **state)
{
    (void)state;
    /* 3x2 RGB 8-bit with a padded stride of 12 bytes. */
    uint8_t buf[2 * 12];
    for (int i = 0; i < 24; i++)
        buf[i] = (uint8_t)(i * 7);
    scar_image *copy = NULL, *borrow = NULL;
    assert_int_equal(scar_image_from_memory(buf, 3, 2, 3, 8, 12, SCAR_IMAGE_COPY, &copy),
                     SCAR_OK);
    assert_int_equal(scar_image_from_memory(buf, 3, 2, 3, 8, 12, SCAR_IMAGE_BORROW, &borrow),
                     SCAR_OK);
    assert_int_equal(scar_image_stride(copy), 9);   /* copies are packed */
    assert_int_equal(scar_image_stride(borrow), 12); /* borrowed keeps stride */
    assert_ptr_equal(scar_image_data(borrow), buf);
    assert_ptr_not_equal(scar_image_data(copy), buf);
    for (uint32_t y = 0; y < 2; y++)
        assert_memory_equal(scar_image_row(copy, y), buf + y * 12, 9);
    buf[12] = 255; /* borrow sees the caller's change, copy does not */
    assert_int_equal(((uint8_t *)scar_image_row(borrow, 1))[0], 255);
    assert_int_equal(((uint8_t *)scar_image_row(copy, 1))[0], (uint8_t)(12 * 7));
    scar_image_free(copy);
    scar_image_free(borrow);
}

static void test_from_memory_rejects(void **state)
{
    (void)state;
    uint16_t buf16[16] = {0};
    uint8_t buf8[32] = {0};
    scar_image *img = NULL;
    assert_int_equal(scar_image_from_memory(NULL, 2, 2, 1, 8, 2, 0, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_from_memory(buf8, 4, 2, 3, 8, 11, 0, &img), SCAR_E_INVALID);
    assert_non_null(strstr(scar_last_error(), "stride"));
    assert_int_equal(scar_image_from_memory(buf16, 2, 2, 1, 16, 5, 0, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_from_memory((uint8_t *)buf16 + 1, 2, 2, 1, 16, 4, 0, &img),
                     SCAR_E_INVALID);
    assert_int_equal(scar_image_from_memory(buf8, 2, 2, 1, 8, 2, 7, &img), SCAR_E_INVALID);
    assert_null(img);
    assert_int_equal(scar_image_from_memory(buf16, 2, 2, 2, 16, 8, 0, &img), SCAR_OK);
    scar_image_free(img);
}

static void test_detect_format(void **state)
{
    (void)state;
    const uint8_t png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const uint8_t jpg[4] = {0xFF, 0xD8, 0xFF, 0xE0};
    const uint8_t gif[6] = {'G', 'I', 'F', '8', '9', 'a'};
    assert_int_equal(scar_detect_format(png, 8), SCAR_FORMAT_PNG);
    assert_int_equal(scar_detect_format(png, 7), SCAR_FORMAT_UNKNOWN);
    assert_int_equal(scar_detect_format(jpg, 4), SCAR_FORMAT_JPEG);
    assert_int_equal(scar_detect_format(jpg, 2), SCAR_FORMAT_UNKNOWN);
    assert_int_equal(scar_detect_format(gif, 6), SCAR_FORMAT_UNKNOWN);
    assert_int_equal(scar_detect_format(NULL, 8), SCAR_FORMAT_UNKNOWN);
}

static void test_load_memory_rejects(void **state)
{
    (void)state;
    const uint8_t gif[6] = {'G', 'I', 'F', '8', '9', 'a'};
    scar_image *img = NULL;
    assert_int_equal(scar_image_load_memory(gif, 6, NULL, &img), SCAR_E_FORMAT);
    assert_null(img);
    assert_non_null(strstr(scar_last_error(), "scar_image_load_memory"));
    assert_int_equal(scar_image_load_memory(gif, 0, NULL, &img), SCAR_E_FORMAT);
    assert_non_null(strstr(scar_last_error(), "empty"));
    assert_int_equal(scar_image_load_memory(NULL, 5, NULL, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_load_memory(gif, 6, NULL, NULL), SCAR_E_INVALID);
}

static void test_load_options_versioning(void **state)
{
    (void)state;
    const uint8_t gif[6] = {'G', 'I', 'F', '8', '9', 'a'};
    scar_load_options o;
    scar_load_options_init(&o);
    assert_int_equal(o.struct_size, sizeof o);
    assert_int_equal(o.max_side, SCAR_DEFAULT_MAX_SIDE);
    assert_int_equal(o.max_pixels, SCAR_DEFAULT_MAX_PIXELS);
    assert_int_equal(o.scale_denom, 1);
    assert_int_equal(o.apply_orientation, 1);
    scar_image *img = NULL;
    scar_load_options bad = o;
    bad.struct_size = 0; /* not initialised */
    assert_int_equal(scar_image_load_memory(gif, 6, &bad, &img), SCAR_E_VERSION);
    assert_non_null(strstr(scar_last_error(), "scar_load_options_init"));
    bad.struct_size = sizeof o + 64; /* from a newer, larger header */
    assert_int_equal(scar_image_load_memory(gif, 6, &bad, &img), SCAR_E_VERSION);
    bad = o;
    bad.scale_denom = 3;
    assert_int_equal(scar_image_load_memory(gif, 6, &bad, &img), SCAR_E_INVALID);
    bad = o;
    bad.max_pixels = 0;
    assert_int_equal(scar_image_load_memory(gif, 6, &bad, &img), SCAR_E_INVALID);
}

static void test_load_file_errors(void **state)
{
    (void)state;
    scar_image *img = NULL;
    assert_int_equal(scar_image_load(SCAR_TEST_TMP "/no/such/file.jpg", NULL, &img),
                     SCAR_E_IO);
    assert_non_null(strstr(scar_last_error(), "no/such/file.jpg"));
    assert_int_equal(scar_image_load(SCAR_TEST_TMP, NULL, &img), SCAR_E_IO);
    assert_non_null(strstr(scar_last_error(), "directory"));
    const char *empty = SCAR_TEST_TMP "/empty_file.png";
    FILE *f = fopen(empty, "wb");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(scar_image_load(empty, NULL, &img), SCAR_E_FORMAT);
    assert_int_equal(scar_image_load("", NULL, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_load(NULL, NULL, &img), SCAR_E_INVALID);
    assert_null(img);
}

static void test_limits(void **state)
{
    (void)state;
    scar_load_options o;
    scar_load_options_init(&o);
    o.max_side = 100;
    o.max_pixels = 5000;
    assert_int_equal(scar__check_limits(&o, 100, 50, "t"), SCAR_OK);
    assert_int_equal(scar__check_limits(&o, 101, 10, "t"), SCAR_E_LIMIT);
    assert_int_equal(scar__check_limits(&o, 10, 101, "t"), SCAR_E_LIMIT);
    assert_int_equal(scar__check_limits(&o, 100, 51, "t"), SCAR_E_LIMIT);
    assert_non_null(strstr(scar_last_error(), "max_pixels"));
    assert_int_equal(scar__check_limits(&o, 0, 5, "t"), SCAR_E_CORRUPT);
    scar_load_options_init(&o);
    assert_int_equal(scar__check_limits(&o, 65535, 3051, "t"), SCAR_OK);
    assert_int_equal(scar__check_limits(&o, 65535, 65535, "t"), SCAR_E_LIMIT);
    assert_int_equal(scar__check_limits(&o, 65536, 1, "t"), SCAR_E_LIMIT);
}

/* Orientation: a 3x2 gray image with distinct values, stored as a camera
 * would for each EXIF orientation, must come out as the upright picture.
 * Expected layouts follow the EXIF 2.3 definition of tag 0x0112 (row 0 /
 * column 0 meaning), written out by hand:
 *   upright U = [1 2 3; 4 5 6] (3 wide, 2 high). */
static void test_orientation_transforms(void **state)
{
    (void)state;
    /* stored[o] is the raster a camera writes for upright U with tag o. */
    static const struct {
        uint32_t w, h;
        uint8_t px[6];
    } stored[9] = {
        [1] = {3, 2, {1, 2, 3, 4, 5, 6}},
        [2] = {3, 2, {3, 2, 1, 6, 5, 4}},         /* mirrored horizontally */
        [3] = {3, 2, {6, 5, 4, 3, 2, 1}},         /* rotated 180 */
        [4] = {3, 2, {4, 5, 6, 1, 2, 3}},         /* mirrored vertically */
        [5] = {2, 3, {1, 4, 2, 5, 3, 6}},         /* transposed */
        [6] = {2, 3, {3, 6, 2, 5, 1, 4}},         /* needs 90 CW to view */
        [7] = {2, 3, {6, 3, 5, 2, 4, 1}},         /* transverse */
        [8] = {2, 3, {4, 1, 5, 2, 6, 3}},         /* needs 90 CCW to view */
    };
    const uint8_t upright[6] = {1, 2, 3, 4, 5, 6};
    for (uint32_t o = 1; o <= 8; o++) {
        scar_image *img = NULL;
        assert_int_equal(scar_image_from_memory(stored[o].px, stored[o].w, stored[o].h, 1,
                                                8, stored[o].w, SCAR_IMAGE_COPY, &img),
                         SCAR_OK);
        img->orientation = o;
        assert_int_equal(scar__image_apply_orientation(&img, o, "t"), SCAR_OK);
        assert_int_equal(scar_image_width(img), 3);
        assert_int_equal(scar_image_height(img), 2);
        assert_int_equal(scar_image_orientation(img), o);
        for (uint32_t y = 0; y < 2; y++)
            assert_memory_equal(scar_image_row(img, y), upright + 3 * y, 3);
        scar_image_free(img);
    }
}

static void test_orientation_multichannel_16bit(void **state)
{
    (void)state;
    /* 2x1 RGB16 rotated 90 CW on display (tag 6) → 1 wide, 2 high. */
    uint16_t px[6] = {100, 200, 300, 400, 500, 600};
    scar_image *img = NULL;
    assert_int_equal(scar_image_from_memory(px, 2, 1, 3, 16, 12, SCAR_IMAGE_COPY, &img),
                     SCAR_OK);
    assert_int_equal(scar__image_apply_orientation(&img, 6, "t"), SCAR_OK);
    assert_int_equal(scar_image_width(img), 1);
    assert_int_equal(scar_image_height(img), 2);
    /* Tag 6: stored row 0 is the upright right column, top to bottom. */
    const uint16_t *r0 = scar_image_row(img, 0), *r1 = scar_image_row(img, 1);
    assert_int_equal(r0[0], 100);
    assert_int_equal(r0[2], 300);
    assert_int_equal(r1[0], 400);
    assert_int_equal(r1[2], 600);
    scar_image_free(img);
}

/* The detailed message is per thread: a failure on one thread never
 * changes the message another thread reads. */
static void *fail_with(void *arg)
{
    const char *tag = arg;
    for (int i = 0; i < 2000; i++) {
        scar__fail(SCAR_E_INVALID, "thread %s iteration %d", tag, i);
        char expect[64];
        snprintf(expect, sizeof expect, "thread %s iteration %d", tag, i);
        if (strcmp(scar_last_error(), expect) != 0)
            return (void *)1;
    }
    return NULL;
}

static void test_error_message_per_thread(void **state)
{
    (void)state;
    pthread_t a, b;
    void *ra, *rb;
    scar__fail(SCAR_E_IO, "main thread message");
    assert_int_equal(pthread_create(&a, NULL, fail_with, "A"), 0);
    assert_int_equal(pthread_create(&b, NULL, fail_with, "B"), 0);
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    assert_null(ra);
    assert_null(rb);
    assert_string_equal(scar_last_error(), "main thread message");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_new_and_accessors),
        cmocka_unit_test(test_new_rejects_bad_layout),
        cmocka_unit_test(test_from_memory_copy_and_borrow),
        cmocka_unit_test(test_from_memory_rejects),
        cmocka_unit_test(test_detect_format),
        cmocka_unit_test(test_load_memory_rejects),
        cmocka_unit_test(test_load_options_versioning),
        cmocka_unit_test(test_load_file_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_orientation_transforms),
        cmocka_unit_test(test_orientation_multichannel_16bit),
        cmocka_unit_test(test_error_message_per_thread),
    };
    return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
