/* test_jpeg.c — JPEG decoding (lib/image/jpeg.c) and EXIF orientation
 * (lib/image/exif.c, applied by lib/image/orient.c).
 *
 * References, all independent of scarscore:
 *  - tests/data/exif/: 1/10-size copies of recurser/exif-orientation-examples
 *    (MIT); Landscape_N / Portrait_N carry orientation N and must load
 *    upright and equal to Landscape_1 / Portrait_1 up to JPEG noise.
 *  - tests/data/jpeg/pil_*.ppm/pgm: PIL's decode of the same files (made by
 *    tests/reference/make_jpeg_testdata.py). PIL uses the same libjpeg-turbo
 *    with the same defaults, so the decodes must match EXACTLY (max |diff| 0),
 *    at full size and DCT-scaled (PIL draft()).
 *  - hand-built EXIF blobs for the TIFF parser.
 *  - bad inputs made here by truncating, bit-flipping and patching bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image_internal.h"
#include "scarscore.h"

#define DATA SCAR_TEST_DATA "/"

/* ---------------------------------------------------------------- helpers */

/* The whole file plus a terminating NUL (for parsing PNM headers). */
static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    uint8_t *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static scar_image *load_ok(const char *path, const scar_load_options *o)
{
    scar_image *img = NULL;
    int st = scar_image_load(path, o, &img);
    if (st != SCAR_OK)
        fail_msg("%s: status %d: %s", path, st, scar_last_error());
    assert_non_null(img);
    assert_int_equal(scar_image_format(img), SCAR_FORMAT_JPEG);
    assert_int_equal(scar_image_bit_depth(img), 8);
    return img;
}

/* Mean absolute difference over all samples of two same-shaped images. */
static double mad(const scar_image *a, const scar_image *b)
{
    assert_int_equal(scar_image_width(a), scar_image_width(b));
    assert_int_equal(scar_image_height(a), scar_image_height(b));
    assert_int_equal(scar_image_channels(a), scar_image_channels(b));
    size_t row = (size_t)scar_image_width(a) * scar_image_channels(a);
    double sum = 0;
    for (uint32_t y = 0; y < scar_image_height(a); y++) {
        const uint8_t *pa = scar_image_row(a, y), *pb = scar_image_row(b, y);
        for (size_t i = 0; i < row; i++)
            sum += abs((int)pa[i] - (int)pb[i]);
    }
    return sum / ((double)row * scar_image_height(a));
}

static int max_abs_diff(const scar_image *a, const scar_image *b)
{
    size_t row = (size_t)scar_image_width(a) * scar_image_channels(a);
    int m = 0;
    for (uint32_t y = 0; y < scar_image_height(a); y++) {
        const uint8_t *pa = scar_image_row(a, y), *pb = scar_image_row(b, y);
        for (size_t i = 0; i < row; i++) {
            int d = abs((int)pa[i] - (int)pb[i]);
            if (d > m)
                m = d;
        }
    }
    return m;
}

/* Binary PGM (P5) / PPM (P6), maxval 255, as written by the generator. */
static scar_image *read_pnm(const char *path)
{
    size_t size;
    uint8_t *buf = read_all(path, &size);
    char magic[3] = {0};
    unsigned w, h, maxval;
    int hdr = 0;
    assert_int_equal(sscanf((const char *)buf, "%2s %u %u %u%n", magic, &w, &h,
                            &maxval, &hdr), 4);
    assert_int_equal(maxval, 255);
    uint32_t ch = strcmp(magic, "P6") == 0 ? 3 : 1;
    hdr += 1; /* the single whitespace after maxval */
    assert_int_equal(size, (size_t)hdr + (size_t)w * h * ch);
    scar_image *img = NULL;
    assert_int_equal(scar_image_from_memory(buf + hdr, w, h, ch, 8,
                                            (size_t)w * ch, SCAR_IMAGE_COPY,
                                            &img), SCAR_OK);
    free(buf);
    return img;
}

/* Sum every sample so sanitizers/valgrind see each one read. */
static unsigned long touch_all(const scar_image *img)
{
    unsigned long s = 0;
    size_t row = (size_t)scar_image_width(img) * scar_image_channels(img);
    for (uint32_t y = 0; y < scar_image_height(img); y++) {
        const uint8_t *p = scar_image_row(img, y);
        for (size_t i = 0; i < row; i++)
            s += p[i];
    }
    return s;
}

/* Independent statement of EXIF orientation (TIFF 6.0 tag 274: the value
 * names where the stored row 0 / column 0 lie in the upright picture):
 * stored pixel (sx, sy) of a W x H image goes to upright (ux, uy). Written
 * as a forward map, unlike orient.c's inverse map. */
static void upright_of(uint32_t o, uint32_t W, uint32_t H, uint32_t sx,
                       uint32_t sy, uint32_t *ux, uint32_t *uy)
{
    switch (o) {
    case 2: *ux = W - 1 - sx; *uy = sy; break;          /* row0 top, col0 right */
    case 3: *ux = W - 1 - sx; *uy = H - 1 - sy; break;  /* bottom, right */
    case 4: *ux = sx; *uy = H - 1 - sy; break;          /* bottom, left */
    case 5: *ux = sy; *uy = sx; break;                  /* left, top */
    case 6: *ux = H - 1 - sy; *uy = sx; break;          /* right, top */
    case 7: *ux = H - 1 - sy; *uy = W - 1 - sx; break;  /* right, bottom */
    case 8: *ux = sy; *uy = W - 1 - sx; break;          /* left, bottom */
    default: *ux = sx; *uy = sy; break;
    }
}

/* ------------------------------------------------- EXIF orientation photos */

static void check_orientation_set(const char *kind, uint32_t up_w,
                                  uint32_t up_h)
{
    char path[512];
    snprintf(path, sizeof path, DATA "exif/%s_1.jpg", kind);
    scar_image *ref = load_ok(path, NULL);
    assert_int_equal(scar_image_width(ref), up_w);
    assert_int_equal(scar_image_height(ref), up_h);
    assert_int_equal(scar_image_orientation(ref), 1);

    scar_load_options raw;
    scar_load_options_init(&raw);
    raw.apply_orientation = 0;

    for (uint32_t n = 0; n <= 8; n++) {
        snprintf(path, sizeof path, DATA "exif/%s_%u.jpg", kind, n);
        uint32_t tag = n == 0 ? 1 : n; /* 0 is not a valid orientation */

        scar_image *up = load_ok(path, NULL);
        assert_int_equal(scar_image_orientation(up), tag);
        assert_int_equal(scar_image_channels(up), 3);
        if (scar_image_width(up) != up_w || scar_image_height(up) != up_h)
            fail_msg("%s: upright size %ux%u, expected %ux%u", path,
                     scar_image_width(up), scar_image_height(up), up_w, up_h);
        double d = mad(up, ref);
        if (!(d < 4.0))
            fail_msg("%s: mean |diff| vs %s_1 is %.2f (>= 4)", path, kind, d);

        /* apply_orientation = 0: stored pixels, tag still reported. */
        scar_image *st = load_ok(path, &raw);
        assert_int_equal(scar_image_orientation(st), tag);
        uint32_t W = scar_image_width(st), H = scar_image_height(st);
        int swapped = tag >= 5;
        assert_int_equal(W, swapped ? up_h : up_w);
        assert_int_equal(H, swapped ? up_w : up_h);
        /* The library's upright image is exactly the stored one moved by
         * the independent forward map above. */
        for (uint32_t sy = 0; sy < H; sy++) {
            const uint8_t *srow = scar_image_row(st, sy);
            for (uint32_t sx = 0; sx < W; sx++) {
                uint32_t ux, uy;
                upright_of(tag, W, H, sx, sy, &ux, &uy);
                const uint8_t *u = (const uint8_t *)scar_image_row(up, uy) +
                                   (size_t)ux * 3;
                if (memcmp(u, srow + (size_t)sx * 3, 3) != 0)
                    fail_msg("%s: stored (%u,%u) is not at upright (%u,%u)",
                             path, sx, sy, ux, uy);
            }
        }
        scar_image_free(st);
        scar_image_free(up);
    }
    scar_image_free(ref);
}

static void test_exif_landscapes_upright(void **state)
{
    (void)state;
    check_orientation_set("Landscape", 180, 120);
}

static void test_exif_portraits_upright(void **state)
{
    (void)state;
    check_orientation_set("Portrait", 120, 180);
}

/* A little-endian ("II") EXIF block, as most cameras write. */
static void test_exif_little_endian_file(void **state)
{
    (void)state;
    scar_image *base = load_ok(DATA "jpeg/odd_baseline.jpg", NULL);
    scar_image *up = load_ok(DATA "jpeg/exif_ii_6.jpg", NULL);
    assert_int_equal(scar_image_orientation(up), 6);
    assert_int_equal(scar_image_width(up), 67);
    assert_int_equal(scar_image_height(up), 101);
    scar_load_options raw;
    scar_load_options_init(&raw);
    raw.apply_orientation = 0;
    scar_image *st = load_ok(DATA "jpeg/exif_ii_6.jpg", &raw);
    assert_int_equal(scar_image_orientation(st), 6);
    /* Same pixels, same encoder settings: identical compressed data. */
    assert_int_equal(max_abs_diff(st, base), 0);
    /* 90 degrees clockwise: the stored top-left lands at the top-right. */
    assert_memory_equal(scar_image_row(st, 0),
                        (uint8_t *)scar_image_row(up, 0) + 66 * 3, 3);
    scar_image_free(st);
    scar_image_free(up);
    scar_image_free(base);
}

/* ------------------------------------------------------- EXIF TIFF parser */

struct blob {
    uint8_t b[256];
    size_t n;
    int be;
};

static void put16(struct blob *x, size_t at, uint32_t v)
{
    if (x->be) { x->b[at] = (uint8_t)(v >> 8); x->b[at + 1] = (uint8_t)v; }
    else { x->b[at] = (uint8_t)v; x->b[at + 1] = (uint8_t)(v >> 8); }
}

static void put32(struct blob *x, size_t at, uint32_t v)
{
    if (x->be) { put16(x, at, v >> 16); put16(x, at + 2, v & 0xFFFF); }
    else { put16(x, at, v & 0xFFFF); put16(x, at + 2, v >> 16); }
}

/* "Exif\0\0" + TIFF header + IFD0 with `pre` ImageWidth entries, then the
 * Orientation entry (type, count, value), then a next-IFD offset of 0.
 * The TIFF header starts at byte 6; IFD0 at TIFF offset 8. */
static struct blob make_exif(int be, uint32_t pre, uint32_t type,
                             uint32_t count, uint32_t value)
{
    struct blob x;
    memset(&x, 0, sizeof x);
    x.be = be;
    memcpy(x.b, "Exif\0\0", 6);
    memcpy(x.b + 6, be ? "MM" : "II", 2);
    put16(&x, 8, 42);
    put32(&x, 10, 8);
    size_t ifd = 6 + 8;
    put16(&x, ifd, pre + 1);
    size_t e = ifd + 2;
    for (uint32_t i = 0; i < pre; i++, e += 12) {
        put16(&x, e, 0x0100);  /* ImageWidth, LONG 1 */
        put16(&x, e + 2, 4);
        put32(&x, e + 4, 1);
        put32(&x, e + 8, 640);
    }
    put16(&x, e, 0x0112);
    put16(&x, e + 2, type);
    put32(&x, e + 4, count);
    put16(&x, e + 8, value); /* SHORT: left-justified in the 4-byte field */
    put32(&x, e + 12, 0);
    x.n = e + 16;
    return x;
}

/* Parse from an exactly-sized heap copy so ASan flags any over-read. */
static uint32_t parse(const uint8_t *p, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    if (n)
        memcpy(copy, p, n);
    uint32_t v = scar__exif_orientation(copy, n);
    free(copy);
    return v;
}

static void test_exif_parser_valid(void **state)
{
    (void)state;
    for (int be = 0; be <= 1; be++)
        for (uint32_t v = 1; v <= 8; v++) {
            struct blob x = make_exif(be, 0, 3, 1, v);
            assert_int_equal(parse(x.b, x.n), v);
            x = make_exif(be, 3, 3, 1, v); /* not the first entry */
            assert_int_equal(parse(x.b, x.n), v);
        }
    /* Exact layout written out by hand: MM, orientation 6. */
    static const uint8_t mm6[] = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42,
                                  0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0,
                                  0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
    assert_int_equal(parse(mm6, sizeof mm6), 6);
    /* ... and II, orientation 8. */
    static const uint8_t ii8[] = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0,
                                  8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0,
                                  0, 0, 8, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(parse(ii8, sizeof ii8), 8);
    /* No next-IFD pointer after the entry is fine: it is never read. */
    assert_int_equal(parse(ii8, sizeof ii8 - 4), 8);
}

static void test_exif_parser_malformed(void **state)
{
    (void)state;
    assert_int_equal(scar__exif_orientation(NULL, 100), 1);
    for (int be = 0; be <= 1; be++) {
        struct blob x;
        /* Out-of-range values. */
        x = make_exif(be, 0, 3, 1, 0);
        assert_int_equal(parse(x.b, x.n), 1);
        x = make_exif(be, 0, 3, 1, 9);
        assert_int_equal(parse(x.b, x.n), 1);
        x = make_exif(be, 0, 3, 1, 0xFFFF);
        assert_int_equal(parse(x.b, x.n), 1);
        /* Wrong type (LONG, ASCII) or count. */
        x = make_exif(be, 0, 4, 1, 6);
        assert_int_equal(parse(x.b, x.n), 1);
        x = make_exif(be, 0, 2, 1, 6);
        assert_int_equal(parse(x.b, x.n), 1);
        x = make_exif(be, 0, 3, 2, 6);
        assert_int_equal(parse(x.b, x.n), 1);
        x = make_exif(be, 0, 3, 0, 6);
        assert_int_equal(parse(x.b, x.n), 1);
        /* Bad prefix, byte order, magic. */
        x = make_exif(be, 0, 3, 1, 6);
        x.b[4] = 'x';
        assert_int_equal(parse(x.b, x.n), 1);
        x = make_exif(be, 0, 3, 1, 6);
        x.b[7] = be ? 'I' : 'M';  /* "MI" / "IM" */
        assert_int_equal(parse(x.b, x.n), 1);
        x = make_exif(be, 0, 3, 1, 6);
        put16(&x, 8, 43);
        assert_int_equal(parse(x.b, x.n), 1);
        /* IFD0 offset outside the block, at its very end, and at 2^32-1. */
        uint32_t offs[] = {(uint32_t)x.n, (uint32_t)x.n - 6, (uint32_t)x.n - 7,
                           0xFFFFFFFFu, 0xFFFFFFF0u, 0x80000000u};
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
            x = make_exif(be, 0, 3, 1, 6);
            put32(&x, 10, offs[i]);
            assert_int_equal(parse(x.b, x.n), 1);
        }
        /* Entry count far larger than the block: only whole entries inside
         * it are read; the orientation entry is still found. */
        x = make_exif(be, 2, 3, 1, 7);
        put16(&x, 14, 0xFFFF);
        assert_int_equal(parse(x.b, x.n), 7);
        /* Entry count 0. */
        x = make_exif(be, 0, 3, 1, 6);
        put16(&x, 14, 0);
        assert_int_equal(parse(x.b, x.n), 1);
        /* Every truncation: 1 until the orientation entry is complete. */
        x = make_exif(be, 2, 3, 1, 5);
        size_t entry_end = 6 + 8 + 2 + 3 * 12;
        for (size_t n = 0; n <= x.n; n++)
            assert_int_equal(parse(x.b, n), n >= entry_end ? 5u : 1u);
    }
}

/* Random bytes behind a valid header: the parser must stay in bounds (ASan)
 * and answer 1..8. A fixed LCG keeps the test reproducible. */
static void test_exif_parser_random(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    uint8_t buf[96];
    for (int iter = 0; iter < 20000; iter++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            seed = seed * 1664525u + 1013904223u;
            buf[i] = (uint8_t)(seed >> 24);
        }
        memcpy(buf, "Exif\0\0", 6);
        memcpy(buf + 6, iter & 1 ? "MM" : "II", 2);
        buf[iter & 1 ? 9 : 8] = 42;
        buf[iter & 1 ? 8 : 9] = 0;
        if (iter % 3 == 0) { /* keep the IFD offset small so entries get read */
            memset(buf + 10, 0, 4);
            buf[iter & 1 ? 13 : 10] = (uint8_t)(seed % 90);
        }
        size_t n = (seed >> 8) % (sizeof buf + 1);
        uint32_t v = parse(buf, n);
        assert_true(v >= 1 && v <= 8);
    }
}

/* ------------------------------------------------ decoding vs PIL (exact) */

static void test_decode_matches_pil(void **state)
{
    (void)state;
    scar_image *img = load_ok(DATA "jpeg/odd_baseline.jpg", NULL);
    scar_image *ref = read_pnm(DATA "jpeg/pil_odd_baseline_d1.ppm");
    assert_int_equal(scar_image_width(img), 101);
    assert_int_equal(scar_image_height(img), 67);
    assert_int_equal(scar_image_channels(img), 3);
    assert_int_equal(scar_image_orientation(img), 1);
    assert_int_equal(scar_image_scale_denom(img), 1);
    assert_int_equal(mad(img, ref) == 0.0, 1); /* also checks shapes */
    assert_int_equal(max_abs_diff(img, ref), 0);
    scar_image_free(ref);
    scar_image_free(img);
}

static void test_progressive(void **state)
{
    (void)state;
    scar_image *base = load_ok(DATA "jpeg/odd_baseline.jpg", NULL);
    scar_image *prog = load_ok(DATA "jpeg/odd_progressive.jpg", NULL);
    scar_image *ref = read_pnm(DATA "jpeg/pil_odd_progressive.ppm");
    assert_int_equal(max_abs_diff(prog, ref), 0);
    /* Same quantised coefficients, another entropy coding: the decodes of
     * baseline and progressive are equal up to IDCT rounding. */
    double d = mad(prog, base);
    if (!(d < 0.5))
        fail_msg("progressive vs baseline mean |diff| %.3f", d);
    scar_image_free(ref);
    scar_image_free(prog);
    scar_image_free(base);
}

static void test_grayscale(void **state)
{
    (void)state;
    scar_image *img = load_ok(DATA "jpeg/odd_gray.jpg", NULL);
    scar_image *ref = read_pnm(DATA "jpeg/pil_odd_gray.pgm");
    assert_int_equal(scar_image_channels(img), 1);
    assert_int_equal(scar_image_stride(img), 101);
    assert_int_equal(max_abs_diff(img, ref), 0);
    assert_int_equal(mad(img, ref) == 0.0, 1);
    scar_image_free(ref);
    scar_image_free(img);
}

static void test_scaled_decode(void **state)
{
    (void)state;
    static const uint32_t denoms[] = {1, 2, 4, 8};
    for (size_t i = 0; i < 4; i++) {
        uint32_t d = denoms[i];
        scar_load_options o;
        scar_load_options_init(&o);
        o.scale_denom = d;
        scar_image *img = load_ok(DATA "jpeg/odd_baseline.jpg", &o);
        assert_int_equal(scar_image_width(img), (101 + d - 1) / d);
        assert_int_equal(scar_image_height(img), (67 + d - 1) / d);
        assert_int_equal(scar_image_scale_denom(img), d);
        char path[256];
        snprintf(path, sizeof path, DATA "jpeg/pil_odd_baseline_d%u.ppm", d);
        scar_image *ref = read_pnm(path);
        assert_int_equal(mad(img, ref) == 0.0, 1);
        scar_image_free(ref);
        scar_image_free(img);

        /* Scaling happens before orientation: a 90-degree file comes out
         * ceil(h/d) x ceil(w/d). */
        img = load_ok(DATA "jpeg/exif_ii_6.jpg", &o);
        assert_int_equal(scar_image_width(img), (67 + d - 1) / d);
        assert_int_equal(scar_image_height(img), (101 + d - 1) / d);
        scar_image_free(img);
    }
}

/* ----------------------------------------------------------- bad inputs */

static int load_mem(const uint8_t *p, size_t n, const scar_load_options *o,
                    scar_image **img)
{
    *img = (scar_image *)(uintptr_t)1; /* must be reset to NULL on failure */
    int st = scar_image_load_memory(p, n, o, img);
    if (st != SCAR_OK)
        assert_null(*img);
    return st;
}

static void expect_status(const char *path, const scar_load_options *o,
                          int want, const char *needle)
{
    scar_image *img = (scar_image *)(uintptr_t)1;
    int st = scar_image_load(path, o, &img);
    if (st != want)
        fail_msg("%s: status %d, expected %d (%s)", path, st, want,
                 scar_last_error());
    assert_null(img);
    assert_non_null(strstr(scar_last_error(), "scar_image_load"));
    if (needle && !strstr(scar_last_error(), needle))
        fail_msg("%s: message '%s' lacks '%s'", path, scar_last_error(), needle);
}

static void test_cmyk_unsupported(void **state)
{
    (void)state;
    expect_status(DATA "jpeg/cmyk.jpg", NULL, SCAR_E_UNSUPPORTED, "sRGB");
    expect_status(DATA "jpeg/ycck.jpg", NULL, SCAR_E_UNSUPPORTED, "CMYK");
}

static void check_truncations(const char *path)
{
    size_t size;
    uint8_t *full = read_all(path, &size);
    scar_image *img;
    /* The whole file decodes. */
    assert_int_equal(load_mem(full, size, NULL, &img), SCAR_OK);
    scar_image_free(img);
    /* 25/50/75/99 % and EOI missing: corrupt, with libjpeg's words. */
    size_t cuts[] = {size / 4, size / 2, size * 3 / 4, size * 99 / 100,
                     size - 2, size - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        uint8_t *part = malloc(cuts[i]); /* exact size: ASan sees over-reads */
        memcpy(part, full, cuts[i]);
        int st = load_mem(part, cuts[i], NULL, &img);
        if (st != SCAR_E_CORRUPT)
            fail_msg("%s cut at %zu/%zu: status %d (%s)", path, cuts[i], size,
                     st, scar_last_error());
        if (!strstr(scar_last_error(), "Premature end of JPEG file"))
            fail_msg("%s cut at %zu: message '%s'", path, cuts[i],
                     scar_last_error());
        free(part);
    }
    /* Every length from 3 bytes up (in steps): never OK, never a crash. */
    for (size_t n = 3; n < size; n += 7) {
        uint8_t *part = malloc(n);
        memcpy(part, full, n);
        int st = load_mem(part, n, NULL, &img);
        if (st != SCAR_E_CORRUPT)
            fail_msg("%s cut at %zu: status %d (%s)", path, n, st,
                     scar_last_error());
        free(part);
    }
    free(full);
}

static void test_truncated(void **state)
{
    (void)state;
    check_truncations(DATA "jpeg/odd_baseline.jpg");
    check_truncations(DATA "jpeg/odd_progressive.jpg");
    check_truncations(DATA "jpeg/odd_gray.jpg");
    check_truncations(DATA "exif/Landscape_6.jpg");
}

/* Offset of the payload (after the 2-byte length) and payload length of the
 * first marker segment with code `marker`, walking the header segments. */
static size_t find_segment(const uint8_t *p, size_t n, uint8_t marker,
                           size_t *len)
{
    size_t i = 2;
    *len = 0;
    while (i + 4 <= n && p[i] == 0xFF) {
        uint8_t m = p[i + 1];
        size_t l = (size_t)p[i + 2] << 8 | p[i + 3];
        if (m == marker) {
            *len = l - 2;
            return i + 4;
        }
        if (m == 0xDA)
            break;
        i += 2 + l;
    }
    fail_msg("marker 0x%02X not found", marker);
    return 0;
}

/* Flip every bit of one segment, one at a time. The documented outcome is
 * OK (e.g. a changed quantiser value just changes the picture) or a
 * data/limit/unsupported status — never a crash, never another status. */
static void flip_segment(const char *path, uint8_t marker, int *n_ok,
                         int *n_bad)
{
    size_t size, len;
    uint8_t *buf = read_all(path, &size);
    size_t at = find_segment(buf, size, marker, &len);
    for (size_t i = at - 2; i < at + len; i++)
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            scar_image *img;
            int st = load_mem(buf, size, NULL, &img);
            if (st == SCAR_OK) {
                (*n_ok)++;
                assert_true(scar_image_width(img) >= 1);
                touch_all(img);
                scar_image_free(img);
            } else {
                (*n_bad)++;
                if (st != SCAR_E_CORRUPT && st != SCAR_E_UNSUPPORTED &&
                    st != SCAR_E_LIMIT)
                    fail_msg("flip 0x%02X byte %zu bit %d: status %d (%s)",
                             marker, i, bit, st, scar_last_error());
            }
            buf[i] ^= (uint8_t)(1u << bit);
        }
    free(buf);
}

static void test_bit_flips(void **state)
{
    (void)state;
    int ok = 0, bad = 0;
    flip_segment(DATA "jpeg/odd_baseline.jpg", 0xC0, &ok, &bad); /* SOF0 */
    flip_segment(DATA "jpeg/odd_baseline.jpg", 0xDB, &ok, &bad); /* DQT */
    flip_segment(DATA "jpeg/odd_baseline.jpg", 0xC4, &ok, &bad); /* DHT */
    flip_segment(DATA "jpeg/odd_progressive.jpg", 0xC2, &ok, &bad); /* SOF2 */
    /* Both outcomes occur, so the loop really exercised the decoder. */
    assert_true(ok > 0);
    assert_true(bad > 0);
}

/* Patch SOF0's height and width (payload bytes 1-2 and 3-4). */
static void patch_sof(uint8_t *buf, size_t size, uint32_t w, uint32_t h)
{
    size_t len;
    size_t at = find_segment(buf, size, 0xC0, &len);
    buf[at + 1] = (uint8_t)(h >> 8);
    buf[at + 2] = (uint8_t)h;
    buf[at + 3] = (uint8_t)(w >> 8);
    buf[at + 4] = (uint8_t)w;
}

static void test_dimension_bombs(void **state)
{
    (void)state;
    size_t size;
    uint8_t *orig = read_all(DATA "jpeg/odd_baseline.jpg", &size);
    uint8_t *buf = malloc(size);
    scar_image *img;
    /* 65535 x 65535: beyond libjpeg's own 65500 maximum. */
    memcpy(buf, orig, size);
    patch_sof(buf, size, 65535, 65535);
    assert_int_equal(load_mem(buf, size, NULL, &img), SCAR_E_LIMIT);
    /* 60000 x 60000 = 3.6 Gpx: libjpeg would accept, max_pixels refuses
     * before any allocation. */
    memcpy(buf, orig, size);
    patch_sof(buf, size, 60000, 60000);
    assert_int_equal(load_mem(buf, size, NULL, &img), SCAR_E_LIMIT);
    assert_non_null(strstr(scar_last_error(), "max_pixels"));
    /* Also refused when the scaled output would be small: the check is on
     * the full size the file declares. */
    scar_load_options o;
    scar_load_options_init(&o);
    o.scale_denom = 8;
    assert_int_equal(load_mem(buf, size, &o, &img), SCAR_E_LIMIT);
    /* Zero width. */
    memcpy(buf, orig, size);
    patch_sof(buf, size, 0, 67);
    assert_int_equal(load_mem(buf, size, NULL, &img), SCAR_E_CORRUPT);
    /* Declared larger than the data (a 4000 x 3000 header on 3 KB): the
     * data runs out, which is corrupt, not a gray-padded picture. */
    memcpy(buf, orig, size);
    patch_sof(buf, size, 4000, 3000);
    assert_int_equal(load_mem(buf, size, NULL, &img), SCAR_E_CORRUPT);
    free(buf);
    free(orig);
}

/* Valid-looking headers for JPEG processes scarscore does not decode. */
static void test_unsupported_processes(void **state)
{
    (void)state;
    size_t size, len;
    uint8_t *buf = read_all(DATA "jpeg/odd_baseline.jpg", &size);
    size_t at = find_segment(buf, size, 0xC0, &len);
    scar_image *img;
    buf[at] = 12; /* 12-bit precision */
    assert_int_equal(load_mem(buf, size, NULL, &img), SCAR_E_UNSUPPORTED);
    buf[at] = 8;
    buf[at - 3] = 0xC3; /* SOF3: lossless */
    assert_int_equal(load_mem(buf, size, NULL, &img), SCAR_E_UNSUPPORTED);
    buf[at - 3] = 0xC5; /* SOF5: hierarchical */
    assert_int_equal(load_mem(buf, size, NULL, &img), SCAR_E_UNSUPPORTED);
    free(buf);
}

static void test_limits_honoured(void **state)
{
    (void)state;
    const char *path = DATA "jpeg/odd_baseline.jpg";
    scar_load_options o;
    scar_load_options_init(&o);
    o.max_pixels = 101 * 67 - 1;
    expect_status(path, &o, SCAR_E_LIMIT, "max_pixels");
    o.max_pixels = 101 * 67;
    scar_image *img = load_ok(path, &o);
    scar_image_free(img);
    scar_load_options_init(&o);
    o.max_side = 100;
    expect_status(path, &o, SCAR_E_LIMIT, "max_side");
    o.max_side = 101;
    img = load_ok(path, &o);
    scar_image_free(img);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void test_files_and_magic(void **state)
{
    (void)state;
    expect_status(SCAR_TEST_TMP "/jpeg_does_not_exist.jpg", NULL, SCAR_E_IO,
                  NULL);
    expect_status(SCAR_TEST_TMP, NULL, SCAR_E_IO, NULL);
    write_file(SCAR_TEST_TMP "/jpeg_empty.jpg", "", 0);
    expect_status(SCAR_TEST_TMP "/jpeg_empty.jpg", NULL, SCAR_E_FORMAT, NULL);
    write_file(SCAR_TEST_TMP "/jpeg_gif.jpg", "GIF89a\1\0\1\0\0\0\0", 13);
    expect_status(SCAR_TEST_TMP "/jpeg_gif.jpg", NULL, SCAR_E_FORMAT, NULL);
    /* JPEG magic, then junk. */
    static const uint8_t junk[] = {0xFF, 0xD8, 0xFF, 0x00, 0x12, 0x34, 0x56,
                                   0x78, 0x9A, 0xBC, 0xDE, 0xF0};
    write_file(SCAR_TEST_TMP "/jpeg_junk.jpg", junk, sizeof junk);
    expect_status(SCAR_TEST_TMP "/jpeg_junk.jpg", NULL, SCAR_E_CORRUPT, NULL);
    /* Just SOI + the first byte of a marker. */
    write_file(SCAR_TEST_TMP "/jpeg_soi.jpg", junk, 3);
    expect_status(SCAR_TEST_TMP "/jpeg_soi.jpg", NULL, SCAR_E_CORRUPT, NULL);
}

/* Junk bytes between markers ("Corrupt JPEG data: N extraneous bytes") are
 * only a warning in libjpeg; here they are an error. */
static void test_warning_is_error(void **state)
{
    (void)state;
    size_t size, len;
    uint8_t *orig = read_all(DATA "jpeg/odd_baseline.jpg", &size);
    size_t at = find_segment(orig, size, 0xDB, &len); /* DQT payload */
    size_t cut = at - 4;                              /* DQT marker start */
    uint8_t *buf = malloc(size + 3);
    memcpy(buf, orig, cut);
    memcpy(buf + cut, "\x01\x02\x03", 3);
    memcpy(buf + cut + 3, orig + cut, size - cut);
    scar_image *img;
    assert_int_equal(load_mem(buf, size + 3, NULL, &img), SCAR_E_CORRUPT);
    assert_non_null(strstr(scar_last_error(), "Corrupt JPEG data"));
    free(buf);
    free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exif_landscapes_upright),
        cmocka_unit_test(test_exif_portraits_upright),
        cmocka_unit_test(test_exif_little_endian_file),
        cmocka_unit_test(test_exif_parser_valid),
        cmocka_unit_test(test_exif_parser_malformed),
        cmocka_unit_test(test_exif_parser_random),
        cmocka_unit_test(test_decode_matches_pil),
        cmocka_unit_test(test_progressive),
        cmocka_unit_test(test_grayscale),
        cmocka_unit_test(test_scaled_decode),
        cmocka_unit_test(test_cmyk_unsupported),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_dimension_bombs),
        cmocka_unit_test(test_unsupported_processes),
        cmocka_unit_test(test_limits_honoured),
        cmocka_unit_test(test_files_and_magic),
        cmocka_unit_test(test_warning_is_error),
    };
    return cmocka_run_group_tests_name("jpeg", tests, NULL, NULL);
}
