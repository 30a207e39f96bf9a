/* fuzz_jpeg.c — JPEG load (lib/image/jpeg.c, the EXIF parser exif.c and
 * the orientation transform orient.c through scar_image_load_memory).
 * Each input is decoded at full size with orientation applied, and at
 * 1/8 DCT scale as stored, so the scaled-decode path and both orientation
 * settings are covered; the two must agree on whether the file is valid
 * in structure and on the orientation tag found. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (scar_detect_format(data, size) != SCAR_FORMAT_JPEG)
        return 0;
    scar_load_options o;
    scar_fuzz_load_options(&o);
    scar_image *img = NULL;
    int st = scar_image_load_memory(data, size, &o, &img);
    scar_fuzz_check_status(st);
    if (st != SCAR_OK) {
        if (img || !scar_last_error()[0])
            abort();
        return 0;
    }
    volatile uint64_t sink = scar_fuzz_touch_image(img);
    uint32_t orientation = scar_image_orientation(img);
    if (orientation < 1 || orientation > 8 || scar_image_bit_depth(img) != 8 ||
        (scar_image_channels(img) != 1 && scar_image_channels(img) != 3))
        abort();
    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    scar_image_free(img);

    o.scale_denom = 8;
    o.apply_orientation = 0;
    st = scar_image_load_memory(data, size, &o, &img);
    scar_fuzz_check_status(st);
    if (st == SCAR_OK) {
        sink = scar_fuzz_touch_image(img);
        uint32_t sw = scar_image_width(img), sh = scar_image_height(img);
        if (orientation >= 5) { /* transposing orientations swap the sides */
            uint32_t t = sw;
            sw = sh;
            sh = t;
        }
        /* ceil(full/8), as documented for scale_denom */
        if (scar_image_orientation(img) != orientation ||
            scar_image_scale_denom(img) != 8 || sw != (w + 7) / 8 ||
            sh != (h + 7) / 8)
            abort();
        scar_image_free(img);
    }
    (void)sink;
    return 0;
}
