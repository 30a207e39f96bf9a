/* fuzz_png.c — PNG load (lib/image/png_read.c through
 * scar_image_load_memory), then a lossless round trip through the PNG
 * writer: whatever the decoder accepted must re-encode and decode to the
 * very same samples (the writer's documented contract), so the target
 * checks the encoder too, with an oracle rather than just "no crash".
 *
 * Every chunk's CRC is recomputed before decoding (when the input's first
 * byte after the signature is even; odd keeps the CRCs as mutated): a
 * random mutation almost always breaks a CRC, and libpng then stops at the
 * first chunk, so without this the fuzzer would spend nearly all its time
 * on the CRC check (oss-fuzz's libpng target disables the check for the
 * same reason; the library cannot, so the harness repairs the CRCs). The
 * refusal of bad CRCs is covered by tests/test_hostile.c. */
#include <string.h>

#include <zlib.h>

#include "fuzz_common.h"

static int same_pixels(const scar_image *a, const scar_image *b)
{
    uint32_t w = scar_image_width(a), h = scar_image_height(a);
    if (w != scar_image_width(b) || h != scar_image_height(b) ||
        scar_image_channels(a) != scar_image_channels(b) ||
        scar_image_bit_depth(a) != scar_image_bit_depth(b))
        return 0;
    size_t row = (size_t)w * scar_image_channels(a) * (scar_image_bit_depth(a) / 8);
    for (uint32_t y = 0; y < h; y++)
        if (memcmp(scar_image_row(a, y), scar_image_row(b, y), row) != 0)
            return 0;
    return 1;
}

/* PNG's chunk CRC is zlib's CRC-32 (PNG spec, Annex D): use zlib's, an
 * implementation independent of the code under test. */
static uint32_t crc32_png(const uint8_t *p, size_t n)
{
    return (uint32_t)crc32(0L, p, (uInt)n);
}

/* Rewrite the CRC of every whole chunk: length(4) type(4) data crc(4). */
static void fix_crcs(uint8_t *p, size_t n)
{
    size_t pos = 8;
    while (n - pos >= 12) {
        uint32_t len = (uint32_t)p[pos] << 24 | (uint32_t)p[pos + 1] << 16 |
                       (uint32_t)p[pos + 2] << 8 | p[pos + 3];
        if (len > n - pos - 12)
            break;
        uint32_t crc = crc32_png(p + pos + 4, 4 + (size_t)len);
        uint8_t *c = p + pos + 8 + len;
        c[0] = (uint8_t)(crc >> 24);
        c[1] = (uint8_t)(crc >> 16);
        c[2] = (uint8_t)(crc >> 8);
        c[3] = (uint8_t)crc;
        pos += 12 + (size_t)len;
    }
}

static int fuzz_one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (scar_detect_format(data, size) != SCAR_FORMAT_PNG)
        return 0; /* the JPEG target covers the rest of the dispatcher */
    if (size > 8 && (data[8] & 1))
        return fuzz_one(data, size);
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    fix_crcs(copy, size);
    fuzz_one(copy, size);
    free(copy);
    return 0;
}

static int fuzz_one(const uint8_t *data, size_t size)
{
    scar_load_options o;
    scar_fuzz_load_options(&o);
    scar_image *img = NULL;
    int st = scar_image_load_memory(data, size, &o, &img);
    scar_fuzz_check_status(st);
    if (st != SCAR_OK) {
        if (img || !scar_last_error()[0])
            abort(); /* failure must leave *out NULL and say why */
        return 0;
    }
    volatile uint64_t sink = scar_fuzz_touch_image(img);
    (void)sink;
    if (scar_image_format(img) != SCAR_FORMAT_PNG)
        abort();

    void *png = NULL;
    size_t png_size = 0;
    st = scar_image_encode_png(img, &png, &png_size);
    scar_fuzz_check_status(st);
    if (st == SCAR_OK) {
        scar_image *again = NULL;
        if (scar_image_load_memory(png, png_size, &o, &again) != SCAR_OK ||
            !same_pixels(img, again))
            abort(); /* our own encoding must round-trip losslessly */
        scar_image_free(again);
    } else if (st != SCAR_E_NOMEM) {
        abort();
    }
    scar_free(png);
    scar_image_free(img);
    return 0;
}
