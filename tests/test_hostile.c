/* test_hostile.c — hostile and degenerate inputs, table-driven: each case
 * builds its input, runs one operation (load from memory, load from a file,
 * or analyze) and must get exactly the status documented for it in
 * docs/hardening.md — never a crash, never a partly decoded image. Inputs
 * are built here from small valid files (encoded by our writer or taken
 * from tests/data) by truncation, bit flips and header surgery with
 * recomputed CRCs, so nothing large is committed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hard_analyze.h"
#include "scarscore.h"

/* ---- byte buffers -------------------------------------------------- */

typedef struct bytes {
    uint8_t *p;
    size_t n;
} bytes;

static bytes read_data(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SCAR_TEST_DATA, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    bytes b = {malloc((size_t)n), (size_t)n};
    assert_non_null(b.p);
    assert_int_equal(fread(b.p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return b;
}

/* PNG of a w x h image filled by `fill` (0 black, 255 white, else a
 * gradient), encoded by our writer. */
static bytes png_of(uint32_t w, uint32_t h, uint32_t channels, int fill)
{
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(w, h, channels, 8, &img), SCAR_OK);
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *r = scar_image_row(img, y);
        for (size_t i = 0; i < (size_t)w * channels; i++)
            r[i] = fill == 0 || fill == 255 ? (uint8_t)fill : (uint8_t)(i * 7 + y);
    }
    void *p = NULL;
    size_t n = 0;
    assert_int_equal(scar_image_encode_png(img, &p, &n), SCAR_OK);
    scar_image_free(img);
    return (bytes){p, n};
}

/* PNG's chunk CRC is zlib's CRC-32 (PNG spec, Annex D): use zlib's, an
 * implementation independent of the code under test. */
static uint32_t crc32_png(const uint8_t *p, size_t n)
{
    return (uint32_t)crc32(0L, p, (uInt)n);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Overwrite IHDR's width and height (IHDR is the first chunk: data at
 * byte 16) and recompute its CRC, so only the dimensions are hostile. */
static void png_set_ihdr_size(bytes *b, uint32_t w, uint32_t h)
{
    assert_true(b->n > 33 && memcmp(b->p + 12, "IHDR", 4) == 0);
    put_be32(b->p + 16, w);
    put_be32(b->p + 20, h);
    put_be32(b->p + 29, crc32_png(b->p + 12, 4 + 13));
}

/* Overwrite the frame header's height and width (SOF0/SOF2). */
static void jpeg_set_sof_size(bytes *b, uint32_t w, uint32_t h)
{
    for (size_t i = 2; i + 9 < b->n; i++)
        if (b->p[i] == 0xFF && (b->p[i + 1] == 0xC0 || b->p[i + 1] == 0xC2)) {
            b->p[i + 5] = (uint8_t)(h >> 8);
            b->p[i + 6] = (uint8_t)h;
            b->p[i + 7] = (uint8_t)(w >> 8);
            b->p[i + 8] = (uint8_t)w;
            return;
        }
    fail_msg("no SOF0/SOF2 marker");
}

static int load_mem(const bytes *b, scar_image **img)
{
    return scar_image_load_memory(b->p, b->n, NULL, img);
}

/* ---- load cases: one row per hostile file --------------------------- */

typedef enum source {
    SRC_EMPTY, SRC_TEXT, SRC_PNG_SIG_ONLY, SRC_PNG_HUGE_IHDR,
    SRC_PNG_65535, SRC_PNG_WIDTH_2_31, SRC_PNG_ZERO_WIDTH, SRC_PNG_1x1,
    SRC_PNG_1x65535, SRC_PNG_1x100000, SRC_PNG_100000x1, SRC_JPEG_65535, SRC_JPEG_ZERO_HEIGHT,
    SRC_JPEG_CMYK, SRC_JPEG_SOI_ONLY
} source;

typedef struct load_case {
    const char *name;
    source src;
    int status;       /* documented status */
    uint32_t max_side; /* 0: the default limit (65535) */
} load_case;

static const load_case load_cases[] = {
    {"zero-size file", SRC_EMPTY, SCAR_E_FORMAT, 0},
    {"text file", SRC_TEXT, SCAR_E_FORMAT, 0},
    {"PNG signature only", SRC_PNG_SIG_ONLY, SCAR_E_CORRUPT, 0},
    {"PNG IHDR 2^31-1 x 2^31-1", SRC_PNG_HUGE_IHDR, SCAR_E_LIMIT, 0},
    {"PNG IHDR 65535 x 65535", SRC_PNG_65535, SCAR_E_LIMIT, 0},
    {"PNG IHDR width 2^31 (invalid)", SRC_PNG_WIDTH_2_31, SCAR_E_CORRUPT, 0},
    {"PNG IHDR width 0", SRC_PNG_ZERO_WIDTH, SCAR_E_CORRUPT, 0},
    {"PNG 1x1", SRC_PNG_1x1, SCAR_OK, 0},
    {"PNG 1x65535", SRC_PNG_1x65535, SCAR_OK, 0},
    {"PNG 1x100000, default max_side", SRC_PNG_1x100000, SCAR_E_LIMIT, 0},
    {"PNG 100000x1, default max_side", SRC_PNG_100000x1, SCAR_E_LIMIT, 0},
    {"PNG 1x100000, max_side 100000", SRC_PNG_1x100000, SCAR_OK, 100000},
    {"PNG 100000x1, max_side 100000", SRC_PNG_100000x1, SCAR_OK, 100000},
    {"JPEG SOF 65535 x 65535", SRC_JPEG_65535, SCAR_E_LIMIT, 0},
    {"JPEG SOF height 0", SRC_JPEG_ZERO_HEIGHT, SCAR_E_CORRUPT, 0},
    {"JPEG CMYK", SRC_JPEG_CMYK, SCAR_E_UNSUPPORTED, 0},
    {"JPEG SOI marker only", SRC_JPEG_SOI_ONLY, SCAR_E_CORRUPT, 0},
};

static bytes build(source s)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    bytes b = {NULL, 0};
    switch (s) {
    case SRC_EMPTY:
        b.p = malloc(1);
        break;
    case SRC_TEXT:
        b.p = (uint8_t *)strdup("path,subject\nnot an image\n");
        b.n = strlen((char *)b.p);
        break;
    case SRC_PNG_SIG_ONLY:
        b.p = malloc(8);
        memcpy(b.p, sig, 8);
        b.n = 8;
        break;
    case SRC_PNG_HUGE_IHDR:
        b = png_of(4, 4, 3, 1);
        png_set_ihdr_size(&b, 0x7FFFFFFFu, 0x7FFFFFFFu);
        break;
    case SRC_PNG_65535:
        b = png_of(4, 4, 3, 1);
        png_set_ihdr_size(&b, 65535, 65535);
        break;
    case SRC_PNG_WIDTH_2_31:
        b = png_of(4, 4, 3, 1);
        png_set_ihdr_size(&b, 0x80000000u, 4);
        break;
    case SRC_PNG_ZERO_WIDTH:
        b = png_of(4, 4, 3, 1);
        png_set_ihdr_size(&b, 0, 4);
        break;
    case SRC_PNG_1x1: b = png_of(1, 1, 3, 1); break;
    case SRC_PNG_1x65535: b = png_of(1, 65535, 3, 1); break;
    case SRC_PNG_1x100000: b = png_of(1, 100000, 3, 1); break;
    case SRC_PNG_100000x1: b = png_of(100000, 1, 3, 1); break;
    case SRC_JPEG_65535:
        b = read_data("jpeg/odd_baseline.jpg");
        jpeg_set_sof_size(&b, 65535, 65535);
        break;
    case SRC_JPEG_ZERO_HEIGHT:
        b = read_data("jpeg/odd_baseline.jpg");
        jpeg_set_sof_size(&b, 16, 0);
        break;
    case SRC_JPEG_CMYK: b = read_data("jpeg/cmyk.jpg"); break;
    case SRC_JPEG_SOI_ONLY:
        b.p = malloc(3);
        b.p[0] = 0xFF, b.p[1] = 0xD8, b.p[2] = 0xFF;
        b.n = 3;
        break;
    }
    assert_non_null(b.p);
    return b;
}

static void test_load_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof load_cases / sizeof load_cases[0]; i++) {
        const load_case *c = &load_cases[i];
        bytes b = build(c->src);
        scar_image *img = (scar_image *)&b; /* must be reset to NULL */
        scar_load_options o;
        scar_load_options_init(&o);
        if (c->max_side)
            o.max_side = c->max_side;
        int st = scar_image_load_memory(b.p, b.n, &o, &img);
        if (st != c->status)
            fail_msg("%s: status %d (%s), documented %d; message: %s", c->name,
                     st, scar_strerror(st), c->status, scar_last_error());
        if (st == SCAR_OK) {
            assert_non_null(img);
            assert_int_equal(scar_image_channels(img), 3);
        } else {
            assert_null(img);
            assert_true(strlen(scar_last_error()) > 10);
        }
        scar_image_free(img);
        free(b.p);
    }
}

/* Every proper prefix of a valid file is refused: never a half image. */
static void check_truncations(const bytes *b, int short_status)
{
    for (size_t n = 0; n < b->n; n++) {
        bytes t = {b->p, n};
        scar_image *img = NULL;
        int st = load_mem(&t, &img);
        int want = n < (b->p[0] == 0x89 ? 8u : 3u) ? SCAR_E_FORMAT : short_status;
        if (st != want)
            fail_msg("prefix of %zu/%zu bytes: status %d, want %d (%s)", n, b->n,
                     st, want, scar_last_error());
        assert_null(img);
    }
}

static void test_truncated_png(void **state)
{
    (void)state;
    bytes b = read_data("pngsuite/basn2c16.png");
    check_truncations(&b, SCAR_E_CORRUPT);
    free(b.p);
    b = read_data("pngsuite/basi3p08.png"); /* interlaced palette */
    check_truncations(&b, SCAR_E_CORRUPT);
    free(b.p);
}

static void test_truncated_jpeg(void **state)
{
    (void)state;
    const char *files[] = {"jpeg/odd_baseline.jpg", "jpeg/odd_progressive.jpg",
                           "jpeg/exif_ii_6.jpg"};
    for (size_t i = 0; i < 3; i++) {
        bytes b = read_data(files[i]);
        check_truncations(&b, SCAR_E_CORRUPT);
        free(b.p);
    }
}

static int same_pixels(const scar_image *a, const scar_image *b)
{
    if (scar_image_width(a) != scar_image_width(b) ||
        scar_image_height(a) != scar_image_height(b) ||
        scar_image_channels(a) != scar_image_channels(b) ||
        scar_image_bit_depth(a) != scar_image_bit_depth(b))
        return 0;
    size_t row = (size_t)scar_image_width(a) * scar_image_channels(a) *
                 (scar_image_bit_depth(a) / 8);
    for (uint32_t y = 0; y < scar_image_height(a); y++)
        if (memcmp(scar_image_row(a, y), scar_image_row(b, y), row))
            return 0;
    return 1;
}

/* Every single-bit flip of a PNG: every chunk carries a CRC, so a flip is
 * either refused (FORMAT in the signature, CORRUPT elsewhere) or lands in
 * an ancillary chunk libpng may skip — and then the pixels are exactly the
 * original ones. */
static void test_bitflip_png(void **state)
{
    (void)state;
    bytes b = read_data("pngsuite/ccwn2c08.png"); /* has a cHRM chunk */
    scar_image *ref = NULL;
    assert_int_equal(load_mem(&b, &ref), SCAR_OK);
    unsigned accepted = 0;
    for (size_t i = 0; i < b.n * 8; i++) {
        b.p[i / 8] ^= (uint8_t)(1u << (i % 8));
        scar_image *img = NULL;
        int st = load_mem(&b, &img);
        b.p[i / 8] ^= (uint8_t)(1u << (i % 8));
        if (st == SCAR_OK) {
            accepted++;
            if (!same_pixels(ref, img))
                fail_msg("bit %zu flipped: accepted with different pixels", i);
        } else if (st != (i < 64 ? SCAR_E_FORMAT : SCAR_E_CORRUPT)) {
            fail_msg("bit %zu flipped: status %d (%s)", i, st, scar_last_error());
        }
        scar_image_free(img);
    }
    /* Flips in ancillary chunks: libpng skips them with a warning. */
    assert_true(accepted < b.n * 8 / 4);
    scar_image_free(ref);
    free(b.p);
}

/* Every single-bit flip of a JPEG (no checksums: a flip in entropy-coded
 * data can decode to other valid pixels). Documented: a status among the
 * decoder's, and an accepted image has sane dimensions and layout. */
static void test_bitflip_jpeg(void **state)
{
    (void)state;
    bytes b = read_data("jpeg/odd_progressive.jpg");
    scar_load_options o;
    scar_load_options_init(&o);
    o.max_pixels = 1u << 22; /* a flipped SOF byte may claim 65535 rows */
    unsigned counts[100] = {0};
    for (size_t i = 0; i < b.n * 8; i++) {
        b.p[i / 8] ^= (uint8_t)(1u << (i % 8));
        scar_image *img = NULL;
        int st = scar_image_load_memory(b.p, b.n, &o, &img);
        b.p[i / 8] ^= (uint8_t)(1u << (i % 8));
        switch (st) {
        case SCAR_OK:
            assert_true(scar_image_channels(img) == 3 || scar_image_channels(img) == 1);
            assert_true((uint64_t)scar_image_width(img) * scar_image_height(img) <=
                        o.max_pixels);
            break;
        case SCAR_E_FORMAT: assert_true(i < 24); break;
        case SCAR_E_CORRUPT: case SCAR_E_UNSUPPORTED: case SCAR_E_LIMIT: break;
        default:
            fail_msg("bit %zu flipped: status %d (%s)", i, st, scar_last_error());
        }
        counts[st]++;
        scar_image_free(img);
    }
    assert_true(counts[SCAR_E_CORRUPT] > 0);
    free(b.p);
}

/* ---- paths ------------------------------------------------------------ */

static void test_paths(void **state)
{
    (void)state;
    scar_image *img = NULL;
    assert_int_equal(scar_image_load(NULL, NULL, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_load("", NULL, &img), SCAR_E_INVALID);
    assert_int_equal(scar_image_load(SCAR_TEST_DATA, NULL, &img), SCAR_E_IO);

    /* 5000 bytes: longer than PATH_MAX (4096) — the OS refuses it and the
     * message is cut, not the buffer overrun. */
    size_t len = 5000;
    char *p = malloc(len + 1);
    assert_non_null(p);
    memset(p, 'a', len);
    p[0] = '/';
    p[len] = '\0';
    assert_int_equal(scar_image_load(p, NULL, &img), SCAR_E_IO);
    assert_null(img);
    assert_true(strlen(scar_last_error()) < 1024);
    /* Many short components: long but legal up to PATH_MAX. */
    for (size_t i = 1; i < len; i++)
        p[i] = i % 8 == 0 ? '/' : 'b';
    assert_int_equal(scar_image_load(p, NULL, &img), SCAR_E_IO);
    free(p);

    /* Non-UTF-8 file names are bytes to POSIX: a valid file loads. */
    bytes b = png_of(3, 2, 3, 1);
    char name[512];
    snprintf(name, sizeof name, "%s/hostile_\xff\xfe\x80.png", SCAR_TEST_TMP);
    FILE *f = fopen(name, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.p, 1, b.n, f), b.n);
    fclose(f);
    assert_int_equal(scar_image_load(name, NULL, &img), SCAR_OK);
    assert_int_equal(scar_image_width(img), 3);
    scar_image_free(img);
    img = NULL;
    unlink(name);
    assert_int_equal(scar_image_load(name, NULL, &img), SCAR_E_IO);
    free(b.p);
}

/* ---- analyze cases ----------------------------------------------------- */

typedef enum picture {
    PIC_SKIN, PIC_1x1, PIC_1x100000, PIC_100000x1, PIC_BLACK, PIC_WHITE,
    PIC_BLUE, PIC_GRAY
} picture;

typedef struct analyze_case {
    const char *name;
    picture pic;
    double px_per_mm;
    int roi;          /* 0 none, 1 same size all on, 2 one column wider */
    int status;
    int zero_regions; /* documented: no region can be found */
} analyze_case;

static const analyze_case analyze_cases[] = {
    {"skin photo, defaults", PIC_SKIN, 0, 0, SCAR_OK, 0},
    {"1x1", PIC_1x1, 0, 0, SCAR_OK, 1},
    {"1x100000", PIC_1x100000, 0, 0, SCAR_OK, 0},
    {"100000x1", PIC_100000x1, 0, 0, SCAR_OK, 0},
    {"all black", PIC_BLACK, 0, 0, SCAR_OK, 1},
    {"all white", PIC_WHITE, 0, 0, SCAR_OK, 1},
    {"no skin in frame (blue)", PIC_BLUE, 0, 0, SCAR_OK, 1},
    {"gray image", PIC_GRAY, 0, 0, SCAR_E_UNSUPPORTED, 0},
    {"ROI of the same size", PIC_SKIN, 0, 1, SCAR_OK, 0},
    {"ROI one column wider", PIC_SKIN, 0, 2, SCAR_E_INVALID, 0},
    {"px_per_mm 0 (unknown)", PIC_SKIN, 0, 0, SCAR_OK, 0},
    {"px_per_mm negative", PIC_SKIN, -3, 0, SCAR_E_INVALID, 0},
    {"px_per_mm NaN", PIC_SKIN, NAN, 0, SCAR_E_INVALID, 0},
    {"px_per_mm +inf", PIC_SKIN, INFINITY, 0, SCAR_E_INVALID, 0},
    {"px_per_mm 1e300", PIC_SKIN, 1e300, 0, SCAR_E_INVALID, 0},
    {"px_per_mm 10000 (largest accepted)", PIC_SKIN, 10000, 0, SCAR_OK, 0},
    {"px_per_mm 1e-300 (smallest positive scale)", PIC_SKIN, 1e-300, 0, SCAR_OK, 0},
};

static scar_image *picture_of(picture p)
{
    scar_image *img = NULL;
    switch (p) {
    case PIC_SKIN: return hard_skin_photo(96, 72);
    case PIC_1x1: return hard_skin_photo(1, 1);
    case PIC_1x100000: return hard_skin_photo(1, 100000);
    case PIC_100000x1: return hard_skin_photo(100000, 1);
    case PIC_GRAY:
        assert_int_equal(scar_image_new(32, 24, 1, 8, &img), SCAR_OK);
        return img;
    case PIC_BLACK: case PIC_WHITE: case PIC_BLUE: {
        assert_int_equal(scar_image_new(64, 48, 3, 8, &img), SCAR_OK);
        const uint8_t black[3] = {0, 0, 0}, white[3] = {255, 255, 255},
                      blue[3] = {40, 70, 200};
        const uint8_t *c = p == PIC_BLACK ? black : p == PIC_WHITE ? white : blue;
        for (uint32_t y = 0; y < 48; y++) {
            uint8_t *r = scar_image_row(img, y);
            for (uint32_t x = 0; x < 64; x++)
                memcpy(r + 3 * x, c, 3);
        }
        return img;
    }
    }
    return NULL;
}

static void test_analyze_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof analyze_cases / sizeof analyze_cases[0]; i++) {
        const analyze_case *c = &analyze_cases[i];
        scar_image *img = picture_of(c->pic), *roi = NULL;
        assert_non_null(img);
        if (c->roi) {
            uint32_t w = scar_image_width(img) + (c->roi == 2);
            assert_int_equal(scar_image_new(w, scar_image_height(img), 1, 8, &roi),
                             SCAR_OK);
            for (uint32_t y = 0; y < scar_image_height(roi); y++)
                memset(scar_image_row(roi, y), 1, w);
        }
        scar_analyze_options o;
        scar_analyze_options_init(&o);
        o.px_per_mm = c->px_per_mm;
        scar_result *res = (scar_result *)&o; /* must be reset to NULL */
        int st = hard_analyze(img, roi, &o, &res);
        if (st != c->status)
            fail_msg("%s: status %d (%s), documented %d; message: %s", c->name,
                     st, scar_strerror(st), c->status, scar_last_error());
        if (st == SCAR_OK) {
            uint32_t w = 0, h = 0;
            assert_non_null(scar_result_labels(res, &w, &h));
            assert_int_equal(w, scar_image_width(img));
            assert_int_equal(h, scar_image_height(img));
            if (c->zero_regions && scar_result_region_count(res) != 0)
                fail_msg("%s: %u regions in a picture with nothing to find",
                         c->name, scar_result_region_count(res));
            char *json = NULL;
            assert_int_equal(scar_result_to_json(res, &json, NULL), SCAR_OK);
            assert_null(strstr(json, "nan")); /* JSON has no NaN literal */
            assert_null(strstr(json, "inf"));
            scar_free(json);
        } else {
            assert_null(res);
            assert_true(strlen(scar_last_error()) > 10);
        }
        scar_result_free(res);
        scar_image_free(roi);
        scar_image_free(img);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_table),
        cmocka_unit_test(test_truncated_png),
        cmocka_unit_test(test_truncated_jpeg),
        cmocka_unit_test(test_bitflip_png),
        cmocka_unit_test(test_bitflip_jpeg),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_analyze_table),
    };
    return cmocka_run_group_tests_name("hostile", tests, NULL, NULL);
}
