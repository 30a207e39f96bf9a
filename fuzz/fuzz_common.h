/* fuzz_common.h — shared by the fuzz targets: the limits every target sets
 * before it decodes anything, and a reader that touches every output sample
 * so AddressSanitizer sees a read of each byte the library handed back
 * (libjpeg-turbo's and libspng's fuzzers do the same).
 *
 * The limits are tighter than the library's defaults on purpose: a fuzzer
 * that lets a 20-byte file allocate 200 MP spends its time in memset and
 * hits the OOM killer instead of finding bugs. ~1 MP is what libjpeg-turbo's
 * fuzz targets allow; the product is computed in 64 bits by the library
 * (scar__check_limits), which is exactly what the fuzzer must exercise. */
#ifndef SCAR_FUZZ_COMMON_H
#define SCAR_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "scarscore.h"

#define SCAR_FUZZ_MAX_SIDE 4096u
#define SCAR_FUZZ_MAX_PIXELS (1u << 20) /* 1 MP */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void scar_fuzz_load_options(scar_load_options *o)
{
    scar_load_options_init(o);
    o->max_side = SCAR_FUZZ_MAX_SIDE;
    o->max_pixels = SCAR_FUZZ_MAX_PIXELS;
}

/* A status outside the documented set is a bug worth a crash report. */
static inline void scar_fuzz_check_status(int st)
{
    switch (st) {
    case SCAR_OK: case SCAR_E_INVALID: case SCAR_E_VERSION: case SCAR_E_IO:
    case SCAR_E_FORMAT: case SCAR_E_CORRUPT: case SCAR_E_UNSUPPORTED:
    case SCAR_E_NOMEM: case SCAR_E_LIMIT:
        return;
    default: /* SCAR_E_INTERNAL included: "a bug in scarscore" */
        abort();
    }
}

/* Read every sample of `img`; returns a checksum so the reads cannot be
 * optimised away. Aborts if the image breaks its documented invariants. */
static inline uint64_t scar_fuzz_touch_image(const scar_image *img)
{
    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    uint32_t c = scar_image_channels(img), d = scar_image_bit_depth(img);
    if (w == 0 || h == 0 || c < 1 || c > 4 || (d != 8 && d != 16) ||
        (uint64_t)w * h > SCAR_FUZZ_MAX_PIXELS)
        abort();
    size_t row_bytes = (size_t)w * c * (d / 8);
    if (scar_image_stride(img) < row_bytes)
        abort();
    uint64_t sum = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *r = scar_image_row(img, y);
        if (!r)
            abort();
        for (size_t i = 0; i < row_bytes; i++)
            sum = sum * 31u + r[i];
    }
    return sum;
}

#endif
