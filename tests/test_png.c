/* test_png.c — PNG decode/encode/save (lib/image/png_read.c, png_write.c).
 *
 * References:
 *  - PngSuite (tests/data/pngsuite): every valid file must decode to the
 *    buffer described in tests/data/pngsuite_ref.txt, produced by
 *    tests/reference/gen_pngsuite_ref.py with its own spec-based decoder
 *    cross-checked against Pillow (no libpng involved). Compared through a
 *    64-bit FNV-1a hash of the canonical buffer (tight rows, 16-bit samples
 *    little-endian), computed here the same way.
 *  - Hand-built PNGs (stored-deflate IDAT, CRC-32 and Adler-32 written
 *    here from RFC 1950/1951 and the PNG spec) with known pixels, for byte
 *    order and for damage PngSuite does not cover.
 *  - Round trips through our encoder; the decoder is pinned by the above. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image_internal.h"
#include "scarscore.h"

#define SUITE_DIR SCAR_TEST_DATA "/pngsuite"

/* ---- helpers ----------------------------------------------------------- */

static uint8_t *read_whole(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    uint8_t *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* 64-bit FNV-1a (Fowler/Noll/Vo) over the canonical buffer: rows tightly
 * packed, 16-bit samples as little-endian byte pairs. */
static uint64_t canonical_fnv1a(const scar_image *img)
{
    uint64_t h = 0xCBF29CE484222325u;
    uint32_t w = scar_image_width(img), hgt = scar_image_height(img);
    size_t n = (size_t)w * scar_image_channels(img);
    for (uint32_t y = 0; y < hgt; y++) {
        const uint8_t *row = scar_image_row(img, y);
        for (size_t i = 0; i < n; i++) {
            uint8_t bytes[2];
            int nb = 1;
            if (scar_image_bit_depth(img) == 16) {
                uint16_t v;
                memcpy(&v, row + 2 * i, 2);
                bytes[0] = (uint8_t)(v & 0xFF);
                bytes[1] = (uint8_t)(v >> 8);
                nb = 2;
            } else {
                bytes[0] = row[i];
            }
            for (int k = 0; k < nb; k++) {
                h ^= bytes[k];
                h *= 0x100000001B3u;
            }
        }
    }
    return h;
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

/* A growable byte buffer for building PNG files by hand. */
struct bytes {
    uint8_t *p;
    size_t n;
};

static void bytes_add(struct bytes *b, const void *src, size_t n)
{
    b->p = realloc(b->p, b->n + n + 1);
    assert_non_null(b->p);
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

static void add_chunk(struct bytes *b, const char type[4], const uint8_t *data,
                      uint32_t len)
{
    uint8_t hdr[8];
    put_be32(hdr, len);
    memcpy(hdr + 4, type, 4);
    bytes_add(b, hdr, 8);
    uint8_t *tmp = malloc((size_t)len + 4);
    assert_non_null(tmp);
    memcpy(tmp, type, 4);
    if (len)
        memcpy(tmp + 4, data, len);
    uint8_t crc[4];
    put_be32(crc, crc32_png(tmp, (size_t)len + 4));
    free(tmp);
    if (len)
        bytes_add(b, data, len);
    bytes_add(b, crc, 4);
}

static void add_signature_and_ihdr(struct bytes *b, uint32_t w, uint32_t h, uint8_t depth,
                                   uint8_t color_type)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    bytes_add(b, sig, 8);
    uint8_t ihdr[13] = {0};
    put_be32(ihdr, w);
    put_be32(ihdr + 4, h);
    ihdr[8] = depth;
    ihdr[9] = color_type;
    add_chunk(b, "IHDR", ihdr, 13);
}

/* zlib stream (RFC 1950) holding `raw` in one stored deflate block
 * (RFC 1951 sec. 3.2.4), so the test needs no compressor. n < 65536. */
static void add_stored_idat(struct bytes *b, const uint8_t *raw, size_t n)
{
    assert_true(n < 65536);
    struct bytes z = {NULL, 0};
    const uint8_t head[7] = {
        0x78, 0x01, 0x01, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)~n, (uint8_t)(~n >> 8)};
    bytes_add(&z, head, 7);
    bytes_add(&z, raw, n);
    uint32_t a = 1, s = 0; /* Adler-32 */
    for (size_t i = 0; i < n; i++) {
        a = (a + raw[i]) % 65521u;
        s = (s + a) % 65521u;
    }
    uint8_t adler[4];
    put_be32(adler, (s << 16) | a);
    bytes_add(&z, adler, 4);
    add_chunk(b, "IDAT", z.p, (uint32_t)z.n);
    free(z.p);
}

static void add_iend(struct bytes *b)
{
    add_chunk(b, "IEND", NULL, 0);
}

static scar_load_options default_opts(void)
{
    scar_load_options o;
    scar_load_options_init(&o);
    return o;
}

/* Make the thread's last message a known one, so a later check proves the
 * call under test wrote its own message. */
static void reset_last_error(void)
{
    scar_image *img;
    assert_int_equal(scar_image_load(NULL, NULL, &img), SCAR_E_INVALID);
}

static void assert_fresh_message(const char *must_contain)
{
    const char *m = scar_last_error();
    assert_non_null(m);
    assert_true(strlen(m) > 0);
    assert_null(strstr(m, "path is NULL or empty"));
    if (must_contain && !strstr(m, must_contain))
        fail_msg("message \"%s\" lacks \"%s\"", m, must_contain);
}

/* ---- PngSuite ------------------------------------------------------------ */

struct ref_entry {
    char name[64];
    unsigned w, h, c, d;
    uint64_t hash;
};

static size_t load_reference(struct ref_entry *e, size_t max)
{
    FILE *f = fopen(SCAR_TEST_DATA "/pngsuite_ref.txt", "r");
    assert_non_null(f);
    char line[256];
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        assert_true(n < max);
        int got = sscanf(line, "%63s %u %u %u %u %" SCNx64, e[n].name, &e[n].w, &e[n].h,
                         &e[n].c, &e[n].d, &e[n].hash);
        assert_int_equal(got, 6);
        n++;
    }
    fclose(f);
    return n;
}

static void test_pngsuite_valid_files_match_reference(void **state)
{
    (void)state;
    static struct ref_entry ref[256];
    size_t n = load_reference(ref, 256);
    assert_int_equal(n, 161); /* every non-x file of the 2017 PngSuite */
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%.63s", SUITE_DIR, ref[i].name);
        scar_image *img = NULL;
        int st = scar_image_load(path, NULL, &img);
        if (st != SCAR_OK)
            fail_msg("%s: status %d: %s", ref[i].name, st, scar_last_error());
        if (scar_image_width(img) != ref[i].w || scar_image_height(img) != ref[i].h ||
            scar_image_channels(img) != ref[i].c || scar_image_bit_depth(img) != ref[i].d)
            fail_msg("%s: got %ux%u c%u d%u, want %ux%u c%u d%u", ref[i].name,
                     scar_image_width(img), scar_image_height(img),
                     scar_image_channels(img), scar_image_bit_depth(img), ref[i].w,
                     ref[i].h, ref[i].c, ref[i].d);
        uint64_t h = canonical_fnv1a(img);
        if (h != ref[i].hash)
            fail_msg("%s: pixel hash %016" PRIx64 ", reference %016" PRIx64, ref[i].name,
                     h, ref[i].hash);
        assert_int_equal(scar_image_format(img), SCAR_FORMAT_PNG);
        assert_int_equal(scar_image_orientation(img), 1);
        assert_int_equal(scar_image_scale_denom(img), 1);
        scar_image_free(img);
    }
}

/* Every .png in the suite directory is either in the reference (valid) or
 * an x* file (corrupt): nothing is silently skipped. */
static void test_pngsuite_every_file_is_covered(void **state)
{
    (void)state;
    static struct ref_entry ref[256];
    size_t n = load_reference(ref, 256);
    DIR *dir = opendir(SUITE_DIR);
    assert_non_null(dir);
    struct dirent *e;
    size_t pngs = 0, corrupt = 0;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".png") != 0)
            continue;
        pngs++;
        if (e->d_name[0] == 'x') {
            corrupt++;
            continue;
        }
        int found = 0;
        for (size_t i = 0; i < n && !found; i++)
            found = strcmp(ref[i].name, e->d_name) == 0;
        if (!found)
            fail_msg("%s is not in pngsuite_ref.txt", e->d_name);
    }
    closedir(dir);
    assert_int_equal(pngs, 175);
    assert_int_equal(corrupt, 14);
}

/* The corrupt files and the status docs/image-png.md promises for each. */
static void test_pngsuite_corrupt_files_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int status;
    } cases[] = {
        {"xs1n0g01.png", SCAR_E_FORMAT},  /* signature byte 1 MSB reset */
        {"xs2n0g01.png", SCAR_E_FORMAT},  /* signature byte 2 is 'Q' */
        {"xs4n0g01.png", SCAR_E_FORMAT},  /* signature byte 4 lowercase */
        {"xs7n0g01.png", SCAR_E_FORMAT},  /* signature byte 7 is a space */
        {"xcrn0g04.png", SCAR_E_FORMAT},  /* added CR bytes (text transfer) */
        {"xlfn0g04.png", SCAR_E_FORMAT},  /* added LF bytes */
        {"xhdn0g08.png", SCAR_E_CORRUPT}, /* IHDR CRC wrong */
        {"xc1n0g08.png", SCAR_E_CORRUPT}, /* colour type 1 */
        {"xc9n2c08.png", SCAR_E_CORRUPT}, /* colour type 9 */
        {"xd0n2c08.png", SCAR_E_CORRUPT}, /* bit depth 0 */
        {"xd3n2c08.png", SCAR_E_CORRUPT}, /* bit depth 3 */
        {"xd9n2c08.png", SCAR_E_CORRUPT}, /* bit depth 99 */
        {"xdtn0g01.png", SCAR_E_CORRUPT}, /* no IDAT */
        {"xcsn0g01.png", SCAR_E_CORRUPT}, /* IDAT CRC wrong */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", SUITE_DIR, cases[i].name);
        reset_last_error();
        scar_image *img = (scar_image *)&img; /* must be reset to NULL */
        int st = scar_image_load(path, NULL, &img);
        if (st != cases[i].status)
            fail_msg("%s: status %d (%s), want %d", cases[i].name, st, scar_last_error(),
                     cases[i].status);
        assert_null(img);
        assert_fresh_message(cases[i].name);

        /* Same answer from memory. */
        size_t size;
        uint8_t *buf = read_whole(path, &size);
        reset_last_error();
        assert_int_equal(scar_image_load_memory(buf, size, NULL, &img), cases[i].status);
        assert_fresh_message("scar_image_load_memory");
        free(buf);
    }
}

/* ---- hand-built files: byte order, expansion, pixel-data damage --------- */

static void test_sixteen_bit_samples_are_native_order(void **state)
{
    (void)state;
    struct bytes b = {NULL, 0};
    add_signature_and_ihdr(&b, 2, 1, 16, 0);            /* 2x1 gray, 16 bit */
    const uint8_t raw[5] = {0, 0x12, 0x34, 0xAB, 0xCD}; /* filter 0 */
    add_stored_idat(&b, raw, sizeof raw);
    add_iend(&b);
    scar_image *img;
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_OK);
    assert_int_equal(scar_image_bit_depth(img), 16);
    const uint16_t *px = scar_image_data(img);
    assert_int_equal(px[0], 0x1234);
    assert_int_equal(px[1], 0xABCD);
    scar_image_free(img);
    free(b.p);
}

static void test_low_depth_gray_with_trns_gains_alpha(void **state)
{
    (void)state;
    /* 2-bit gray, 4x1, samples 0 1 2 3; tRNS makes sample 2 transparent.
     * Expect gray scaled by 255/3 = 85 and alpha 0 only for sample 2. */
    struct bytes b = {NULL, 0};
    add_signature_and_ihdr(&b, 4, 1, 2, 0);
    const uint8_t trns[2] = {0, 2};
    add_chunk(&b, "tRNS", trns, 2);
    const uint8_t raw[2] = {0, 0x1B}; /* 00 01 10 11 */
    add_stored_idat(&b, raw, sizeof raw);
    add_iend(&b);
    scar_image *img;
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_OK);
    assert_int_equal(scar_image_channels(img), 2);
    assert_int_equal(scar_image_bit_depth(img), 8);
    const uint8_t want[8] = {0, 255, 85, 255, 170, 0, 255, 255};
    assert_memory_equal(scar_image_data(img), want, 8);
    scar_image_free(img);
    free(b.p);
}

/* Builds a 2x2 8-bit palette image (2-entry PLTE) whose rows are `raw`. */
static struct bytes palette_png(const uint8_t raw[6])
{
    struct bytes b = {NULL, 0};
    add_signature_and_ihdr(&b, 2, 2, 8, 3);
    const uint8_t plte[6] = {10, 20, 30, 40, 50, 60};
    add_chunk(&b, "PLTE", plte, 6);
    add_stored_idat(&b, raw, 6);
    add_iend(&b);
    return b;
}

static void test_pixel_data_damage_is_corrupt(void **state)
{
    (void)state;
    scar_image *img;
    /* Baseline: valid indices decode to the palette colours. */
    const uint8_t good[6] = {0, 0, 1, 0, 1, 0};
    struct bytes b = palette_png(good);
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_OK);
    const uint8_t want[12] = {10, 20, 30, 40, 50, 60, 40, 50, 60, 10, 20, 30};
    assert_int_equal(scar_image_channels(img), 3);
    assert_memory_equal(scar_image_data(img), want, 12);
    scar_image_free(img);
    free(b.p);

    /* Index 7 is beyond the 2-entry palette: libpng would paint it black
     * and only warn. Must be refused. */
    const uint8_t bad_index[6] = {0, 0, 7, 0, 1, 0};
    b = palette_png(bad_index);
    reset_last_error();
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_E_CORRUPT);
    assert_null(img);
    assert_fresh_message("palette index");
    free(b.p);

    /* Index 2 == palette size: one past the end (libpng's own check,
     * max index > size, lets this through; ours must not). */
    const uint8_t edge_index[6] = {0, 0, 1, 0, 1, 2};
    b = palette_png(edge_index);
    reset_last_error();
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_E_CORRUPT);
    assert_fresh_message("palette index 2 at pixel (1, 1)");
    free(b.p);

    /* Filter type 5 does not exist (PNG sec. 9.2). */
    const uint8_t bad_filter[6] = {0, 0, 1, 5, 1, 0};
    b = palette_png(bad_filter);
    reset_last_error();
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_E_CORRUPT);
    assert_fresh_message("filter");
    free(b.p);

    /* IDAT holds one row of two: not enough image data. */
    b = (struct bytes){NULL, 0};
    add_signature_and_ihdr(&b, 2, 2, 8, 0);
    add_stored_idat(&b, good, 3);
    add_iend(&b);
    reset_last_error();
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_E_CORRUPT);
    assert_fresh_message("scar_image_load_memory");
    free(b.p);
}

/* ---- bad input ----------------------------------------------------------- */

static void test_empty_and_wrong_magic(void **state)
{
    (void)state;
    scar_image *img;
    static const uint8_t one = 0;
    reset_last_error();
    assert_int_equal(scar_image_load_memory(&one, 0, NULL, &img), SCAR_E_FORMAT);
    assert_fresh_message(NULL);

    size_t size;
    uint8_t *buf = read_whole(SUITE_DIR "/basn2c08.png", &size);
    buf[1] = 'Q';
    reset_last_error();
    assert_int_equal(scar_image_load_memory(buf, size, NULL, &img), SCAR_E_FORMAT);
    assert_fresh_message(NULL);
    buf[1] = 'P';

    /* The decoder itself checks the signature too. */
    scar_load_options o = default_opts();
    assert_int_equal(scar__png_decode(buf, 7, &o, "ctx", &img), SCAR_E_FORMAT);
    assert_null(img);
    free(buf);
}

/* A file cut at any byte is refused: shorter than the signature -> not a
 * PNG (FORMAT); otherwise CORRUPT, never a partial image, never a crash. */
static void check_truncations(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", SUITE_DIR, name);
    size_t size;
    uint8_t *full = read_whole(path, &size);
    for (size_t n = 0; n < size; n++) {
        /* Exact-size copy so ASan sees any read past the end. */
        uint8_t *cut = malloc(n ? n : 1);
        assert_non_null(cut);
        memcpy(cut, full, n);
        scar_image *img = (scar_image *)&img;
        reset_last_error();
        int st = scar_image_load_memory(cut, n, NULL, &img);
        int want = n < 8 ? SCAR_E_FORMAT : SCAR_E_CORRUPT;
        if (st != want)
            fail_msg("%s cut at %zu of %zu: status %d (%s), want %d", name, n, size, st,
                     scar_last_error(), want);
        assert_null(img);
        assert_fresh_message(NULL);
        free(cut);
    }
    scar_image *img;
    assert_int_equal(scar_image_load_memory(full, size, NULL, &img), SCAR_OK);
    scar_image_free(img);
    free(full);
}

static void test_truncated_at_every_byte(void **state)
{
    (void)state;
    check_truncations("basn2c08.png"); /* plain RGB */
    check_truncations("basi6a16.png"); /* interlaced 16-bit RGBA */
    check_truncations("basn3p02.png"); /* palette, low depth */
    check_truncations("ccwn3p08.png"); /* many ancillary chunks */
}

static void test_ihdr_bit_flips_are_refused(void **state)
{
    (void)state;
    size_t size;
    uint8_t *buf = read_whole(SUITE_DIR "/basn0g08.png", &size);
    /* Bytes 8..32: IHDR length, type, 13 data bytes and CRC. */
    for (size_t byte = 8; byte < 33; byte++)
        for (int bit = 0; bit < 8; bit++) {
            buf[byte] ^= (uint8_t)(1u << bit);
            scar_image *img = (scar_image *)&img;
            reset_last_error();
            int st = scar_image_load_memory(buf, size, NULL, &img);
            if (st == SCAR_OK)
                fail_msg("bit %d of byte %zu flipped: accepted", bit, byte);
            assert_null(img);
            assert_fresh_message(NULL);
            buf[byte] ^= (uint8_t)(1u << bit);
        }
    free(buf);
}

/* A header declaring 100000 x 100000 RGB (30 GB) with a valid CRC and no
 * pixel data: SCAR_E_LIMIT proves the limit is checked from the header,
 * before any pixel allocation (reading on would give CORRUPT; under ASan a
 * 30 GB allocation would abort). */
static void test_dimension_bomb_hits_limit(void **state)
{
    (void)state;
    struct bytes b = {NULL, 0};
    add_signature_and_ihdr(&b, 100000, 100000, 8, 2);
    add_iend(&b);
    scar_image *img = (scar_image *)&img;
    reset_last_error();
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_E_LIMIT);
    assert_null(img);
    assert_fresh_message("max_side");

    /* Raising only the side limit: the pixel limit still applies. */
    scar_load_options o = default_opts();
    o.max_side = 100000;
    reset_last_error();
    assert_int_equal(scar_image_load_memory(b.p, b.n, &o, &img), SCAR_E_LIMIT);
    assert_fresh_message("max_pixels");
    free(b.p);

    /* PNG's largest legal width (2^31-1) is a LIMIT too, not libpng's own
     * (lower) default limit reported as corruption. */
    b = (struct bytes){NULL, 0};
    add_signature_and_ihdr(&b, 0x7FFFFFFFu, 1, 8, 0);
    add_iend(&b);
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_E_LIMIT);
    free(b.p);

    /* Zero width is corrupt. */
    b = (struct bytes){NULL, 0};
    add_signature_and_ihdr(&b, 0, 1, 8, 0);
    add_iend(&b);
    assert_int_equal(scar_image_load_memory(b.p, b.n, NULL, &img), SCAR_E_CORRUPT);
    free(b.p);
}

/* An ancillary chunk that declares 2 GB and then ends (fuzz_png found a
 * 103-byte sPLT file that made libpng allocate and touch 2 GB): refused as
 * truncated, and the process's peak memory does not grow by the declared
 * length (lib/image/png_read.c skips the chunks it never reads). */
static void test_huge_ancillary_chunk_is_not_allocated(void **state)
{
    (void)state;
    static const char *types[] = {"sPLT", "iCCP", "zTXt", "iTXt", "tEXt", "eXIf"};
    for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
        struct bytes b = {NULL, 0};
        add_signature_and_ihdr(&b, 9, 9, 8, 2);
        uint8_t head[8];
        put_be32(head, 2000000000u);
        memcpy(head + 4, types[t], 4);
        bytes_add(&b, head, sizeof head);
        bytes_add(&b, "palette\0\x08\0\0\0\0\0\0\0", 16);
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        scar_image *img = (scar_image *)&img;
        reset_last_error();
        int st = scar_image_load_memory(b.p, b.n, NULL, &img);
        getrusage(RUSAGE_SELF, &after);
        print_message("%s: status %d, peak RSS %ld -> %ld kB: %s\n", types[t], st,
                      before.ru_maxrss, after.ru_maxrss, scar_last_error());
        assert_int_not_equal(st, SCAR_OK);
        assert_int_not_equal(st, SCAR_E_NOMEM);
        assert_null(img);
        assert_true(after.ru_maxrss - before.ru_maxrss < 256L * 1024);
        free(b.p);
    }
}

static void test_configured_limits_are_honoured(void **state)
{
    (void)state;
    const char *path = SUITE_DIR "/basn2c08.png"; /* 32 x 32 */
    scar_image *img;
    scar_load_options o = default_opts();
    o.max_side = 31;
    assert_int_equal(scar_image_load(path, &o, &img), SCAR_E_LIMIT);
    o.max_side = 32;
    assert_int_equal(scar_image_load(path, &o, &img), SCAR_OK);
    scar_image_free(img);
    o = default_opts();
    o.max_pixels = 1023;
    assert_int_equal(scar_image_load(path, &o, &img), SCAR_E_LIMIT);
    o.max_pixels = 1024;
    assert_int_equal(scar_image_load(path, &o, &img), SCAR_OK);
    scar_image_free(img);
}

/* ---- encode / save ------------------------------------------------------- */

static uint32_t lcg_next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u; /* Numerical Recipes LCG */
    return *s >> 8;
}

static void assert_same_pixels(const scar_image *a, const scar_image *b)
{
    assert_int_equal(scar_image_width(a), scar_image_width(b));
    assert_int_equal(scar_image_height(a), scar_image_height(b));
    assert_int_equal(scar_image_channels(a), scar_image_channels(b));
    assert_int_equal(scar_image_bit_depth(a), scar_image_bit_depth(b));
    size_t row = (size_t)scar_image_width(a) * scar_image_channels(a) *
                 (scar_image_bit_depth(a) / 8);
    for (uint32_t y = 0; y < scar_image_height(a); y++)
        assert_memory_equal(scar_image_row(a, y), scar_image_row(b, y), row);
}

static void test_round_trip_is_exact(void **state)
{
    (void)state;
    static const uint32_t widths[] = {1, 7, 33};
    static const uint32_t heights[] = {1, 5};
    uint32_t seed = 12345;
    for (uint32_t c = 1; c <= 4; c++)
        for (uint32_t d = 8; d <= 16; d += 8)
            for (size_t wi = 0; wi < 3; wi++)
                for (size_t hi = 0; hi < 2; hi++) {
                    uint32_t w = widths[wi], h = heights[hi];
                    size_t row = (size_t)w * c * (d / 8);
                    size_t stride = row + 6; /* padding, even for 16-bit */
                    uint8_t *px = malloc(stride * h);
                    assert_non_null(px);
                    for (size_t i = 0; i < stride * h; i++)
                        px[i] = (uint8_t)lcg_next(&seed);
                    uint8_t *copy = malloc(stride * h);
                    assert_non_null(copy);
                    memcpy(copy, px, stride * h);
                    scar_image *src;
                    assert_int_equal(scar_image_from_memory(px, w, h, c, d, stride,
                                                            SCAR_IMAGE_BORROW, &src),
                                     SCAR_OK);

                    void *png;
                    size_t png_size;
                    assert_int_equal(scar_image_encode_png(src, &png, &png_size),
                                     SCAR_OK);
                    /* Encoding leaves the caller's pixels untouched. */
                    assert_memory_equal(px, copy, stride * h);
                    scar_image *back;
                    assert_int_equal(scar_image_load_memory(png, png_size, NULL, &back),
                                     SCAR_OK);
                    assert_same_pixels(src, back);
                    assert_int_equal(scar_image_format(back), SCAR_FORMAT_PNG);
                    scar_image_free(back);
                    scar_free(png);

                    char path[512];
                    snprintf(path, sizeof path, "%s/png_rt_c%u_d%u_%ux%u.png",
                             SCAR_TEST_TMP, c, d, w, h);
                    assert_int_equal(scar_image_save_png(src, path), SCAR_OK);
                    assert_int_equal(scar_image_load(path, NULL, &back), SCAR_OK);
                    assert_same_pixels(src, back);
                    scar_image_free(back);
                    unlink(path);
                    scar_image_free(src);
                    free(copy);
                    free(px);
                }
}

/* The encoder writes every row with the Up filter (png_write.c): the
 * inflated IDAT stream holds, before each row's bytes, the filter type 2
 * (PNG spec, 9.2). Checked on noise, where libpng's adaptive choice would
 * pick other filters for some rows. */
static void test_encoder_uses_up_filter(void **state)
{
    (void)state;
    const uint32_t w = 37, h = 23, c = 3;
    size_t row = (size_t)w * c;
    uint8_t *px = malloc(row * h);
    assert_non_null(px);
    uint32_t seed = 99;
    for (size_t i = 0; i < row * h; i++)
        px[i] = (uint8_t)lcg_next(&seed);
    scar_image *src;
    assert_int_equal(scar_image_from_memory(px, w, h, c, 8, row,
                                            SCAR_IMAGE_BORROW, &src),
                     SCAR_OK);
    void *png;
    size_t n;
    assert_int_equal(scar_image_encode_png(src, &png, &n), SCAR_OK);
    /* concatenate the IDAT chunks' data */
    const uint8_t *b = png;
    uint8_t *z = malloc(n);
    assert_non_null(z);
    size_t zn = 0;
    for (size_t at = 8; at + 12 <= n;) {
        uint32_t len = (uint32_t)b[at] << 24 | (uint32_t)b[at + 1] << 16 |
                       (uint32_t)b[at + 2] << 8 | b[at + 3];
        assert_true(at + 12 + (size_t)len <= n);
        if (!memcmp(b + at + 4, "IDAT", 4)) {
            memcpy(z + zn, b + at + 8, len);
            zn += len;
        }
        at += 12 + (size_t)len;
    }
    uLongf raw_n = (uLongf)((row + 1) * h);
    uint8_t *raw = malloc(raw_n);
    assert_non_null(raw);
    assert_int_equal(uncompress(raw, &raw_n, z, (uLong)zn), Z_OK);
    assert_int_equal(raw_n, (row + 1) * h);
    for (uint32_t y = 0; y < h; y++)
        assert_int_equal(raw[(size_t)y * (row + 1)], 2);
    free(raw);
    free(z);
    scar_free(png);
    scar_image_free(src);
    free(px);
}

/* Overwrite an existing file; a new file gets 0666 & ~umask, like fopen. */
static void test_save_overwrites_with_usual_mode(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/png_overwrite.png", SCAR_TEST_TMP);
    unlink(path);
    scar_image *a, *b, *back;
    assert_int_equal(scar_image_new(3, 2, 1, 8, &a), SCAR_OK);
    assert_int_equal(scar_image_new(5, 4, 3, 16, &b), SCAR_OK);
    ((uint8_t *)scar_image_data(b))[1] = 7;
    assert_int_equal(scar_image_save_png(a, path), SCAR_OK);
    mode_t mask = umask(0);
    umask(mask);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0666 & ~mask);
    assert_int_equal(scar_image_save_png(b, path), SCAR_OK);
    assert_int_equal(scar_image_load(path, NULL, &back), SCAR_OK);
    assert_same_pixels(b, back);
    scar_image_free(back);
    scar_image_free(a);
    scar_image_free(b);
    unlink(path);
}

/* Number of entries in dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static void test_save_errors_leave_nothing_behind(void **state)
{
    (void)state;
    scar_image *img;
    assert_int_equal(scar_image_new(4, 4, 3, 8, &img), SCAR_OK);

    /* Missing directory. */
    char path[512];
    snprintf(path, sizeof path, "%.200s/png_no_such_dir/out.png", SCAR_TEST_TMP);
    reset_last_error();
    assert_int_equal(scar_image_save_png(img, path), SCAR_E_IO);
    assert_fresh_message("png_no_such_dir/out.png");
    assert_fresh_message("No such file");

    /* Target is a directory: the temp file is written, rename fails, and
     * the temp file must be removed. Works even when run as root. */
    char dir[256];
    snprintf(dir, sizeof dir, "%.200s/png_save_errors", SCAR_TEST_TMP);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/target", dir);
    mkdir(path, 0755);
    reset_last_error();
    assert_int_equal(scar_image_save_png(img, path), SCAR_E_IO);
    assert_fresh_message("target");
    assert_int_equal(count_prefixed(dir, "target.tmp."), 0);
    assert_int_equal(count_prefixed(dir, "target"), 1);
    rmdir(path);

    /* Read-only directory (permissions do not bind root). */
    if (geteuid() != 0) {
        assert_int_equal(chmod(dir, 0555), 0);
        snprintf(path, sizeof path, "%s/out.png", dir);
        reset_last_error();
        assert_int_equal(scar_image_save_png(img, path), SCAR_E_IO);
        assert_fresh_message("Permission denied");
        assert_int_equal(count_prefixed(dir, "out.png"), 0);
        assert_int_equal(chmod(dir, 0755), 0);
    }
    rmdir(dir);

    /* Caller errors. */
    assert_int_equal(scar_image_save_png(NULL, path), SCAR_E_INVALID);
    assert_int_equal(scar_image_save_png(img, NULL), SCAR_E_INVALID);
    assert_int_equal(scar_image_save_png(img, ""), SCAR_E_INVALID);
    void *data = (void *)&data;
    size_t size = 1;
    assert_int_equal(scar_image_encode_png(NULL, &data, &size), SCAR_E_INVALID);
    assert_null(data);
    assert_int_equal(size, 0);
    assert_int_equal(scar_image_encode_png(img, NULL, &size), SCAR_E_INVALID);
    assert_int_equal(scar_image_encode_png(img, &data, NULL), SCAR_E_INVALID);
    scar_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pngsuite_valid_files_match_reference),
        cmocka_unit_test(test_pngsuite_every_file_is_covered),
        cmocka_unit_test(test_pngsuite_corrupt_files_are_refused),
        cmocka_unit_test(test_sixteen_bit_samples_are_native_order),
        cmocka_unit_test(test_low_depth_gray_with_trns_gains_alpha),
        cmocka_unit_test(test_pixel_data_damage_is_corrupt),
        cmocka_unit_test(test_empty_and_wrong_magic),
        cmocka_unit_test(test_truncated_at_every_byte),
        cmocka_unit_test(test_ihdr_bit_flips_are_refused),
        cmocka_unit_test(test_dimension_bomb_hits_limit),
        cmocka_unit_test(test_huge_ancillary_chunk_is_not_allocated),
        cmocka_unit_test(test_configured_limits_are_honoured),
        cmocka_unit_test(test_round_trip_is_exact),
        cmocka_unit_test(test_encoder_uses_up_filter),
        cmocka_unit_test(test_save_overwrites_with_usual_mode),
        cmocka_unit_test(test_save_errors_leave_nothing_behind),
    };
    return cmocka_run_group_tests_name("png", tests, NULL, NULL);
}
