/* fuzz_roi_analyze.c — an ROI mask loaded from the fuzzer's bytes (PNG or
 * JPEG) drives scar_analyze on a small synthetic skin photo of the mask's
 * size (tests/hard_analyze.h). The last input byte picks the options: px
 * per mm, single-lesion mode, the analysis resolution (full or the
 * default shrink), and now and then a photo one pixel wider
 * than the mask (must be SCAR_E_INVALID). Decoders stop at IEND/EOI, so
 * the byte after them is free for this.
 *
 * Checked on success, from the header's contracts: labels are in 0..n,
 * each region's area_px is its number of labelled pixels and its bbox lies
 * inside the image; the skin mask is 0/1 and 0 wherever the ROI's first
 * channel is 0 ("excluded from every statistic"); the JSON is one
 * NUL-terminated string of the reported size.
 *
 * The same decoded image, given as the regions of scar_measure (bit 6 of
 * the last byte), must come back as labels 1..n numbering its distinct
 * non-zero first-channel values in increasing order, pixel for pixel,
 * with regions_given set (SCAR_E_INVALID for the wider photo and for a
 * colour image). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "hard_analyze.h"

/* Analysis costs ~100 times a decode per pixel: keep photos small. */
#define ROI_MAX_SIDE 256u
#define ROI_MAX_PIXELS 4096u

/* The first channel of pixel (x, y), 8- or 16-bit. */
static uint32_t first_channel(const scar_image *img, uint32_t x, uint32_t y)
{
    const uint8_t *r = scar_image_row(img, y);
    size_t px = (size_t)x * scar_image_channels(img);
    if (scar_image_bit_depth(img) == 16) {
        uint16_t v;
        memcpy(&v, r + 2 * px, 2);
        return v;
    }
    return r[px];
}

static int roi_is_set(const scar_image *roi, uint32_t x, uint32_t y)
{
    return first_channel(roi, x, y) != 0;
}

static void check_result(const scar_result *res, const scar_image *roi)
{
    uint32_t w = 0, h = 0, sw = 0, sh = 0;
    const int32_t *labels = scar_result_labels(res, &w, &h);
    const uint8_t *skin = scar_result_skin_mask(res, &sw, &sh);
    uint32_t n = scar_result_region_count(res);
    if (!labels || !skin || w != scar_image_width(roi) ||
        h != scar_image_height(roi) || sw != w || sh != h)
        abort();
    double *count = calloc((size_t)n + 1, sizeof *count);
    if (!count)
        return;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = labels[(size_t)y * w + x];
            uint8_t s = skin[(size_t)y * w + x];
            if (l < 0 || (uint32_t)l > n || s > 1 || (s && !roi_is_set(roi, x, y)))
                abort();
            count[l] += 1.0;
        }
    for (uint32_t i = 0; i < n; i++) {
        scar_region r;
        memset(&r, 0, sizeof r);
        r.struct_size = sizeof r;
        if (scar_result_region(res, i, &r) != SCAR_OK || r.id != i + 1 ||
            r.area_px != count[i + 1] || r.area_px <= 0 ||
            r.bbox_x0 >= r.bbox_x1 || r.bbox_x1 > w || r.bbox_y0 >= r.bbox_y1 ||
            r.bbox_y1 > h)
            abort();
    }
    free(count);
    char *json = NULL;
    size_t json_size = 0;
    int st = scar_result_to_json(res, &json, &json_size);
    scar_fuzz_check_status(st);
    if (st == SCAR_OK && strlen(json) != json_size)
        abort();
    scar_free(json);
}

static void check_measure(const scar_result *res, const scar_image *regions)
{
    uint32_t w = 0, h = 0;
    const int32_t *labels = scar_result_labels(res, &w, &h);
    if (!labels || w != scar_image_width(regions) ||
        h != scar_image_height(regions))
        abort();
    int32_t *id = calloc(65536, sizeof *id);
    if (!id)
        return;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            id[first_channel(regions, x, y)] = 1;
    int32_t n = 0;
    for (uint32_t v = 1; v < 65536; v++)
        if (id[v])
            id[v] = ++n;
    id[0] = 0;
    scar_summary sm;
    memset(&sm, 0, sizeof sm);
    sm.struct_size = sizeof sm;
    if (scar_result_region_count(res) != (uint32_t)n ||
        scar_result_summary(res, &sm) != SCAR_OK || sm.regions_given != 1 ||
        sm.analysis_shrink != 1)
        abort();
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            if (labels[(size_t)y * w + x] != id[first_channel(regions, x, y)])
                abort();
    free(id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || scar_detect_format(data, size) == SCAR_FORMAT_UNKNOWN)
        return 0;
    const uint8_t sel = data[size - 1];
    scar_load_options lo;
    scar_fuzz_load_options(&lo);
    lo.max_side = ROI_MAX_SIDE;
    lo.max_pixels = ROI_MAX_PIXELS;
    scar_image *roi = NULL;
    int st = scar_image_load_memory(data, size, &lo, &roi);
    scar_fuzz_check_status(st);
    if (st != SCAR_OK)
        return 0;
    volatile uint64_t sink = scar_fuzz_touch_image(roi);
    (void)sink;
    const int mismatch = (sel & 0x30) == 0x30;
    uint32_t w = scar_image_width(roi) + (mismatch ? 1 : 0);
    scar_image *photo = hard_skin_photo(w, scar_image_height(roi));
    if (!photo) {
        scar_image_free(roi);
        return 0;
    }
    scar_analyze_options o;
    hard_roi_options(sel, &o);
    scar_result *res = NULL;
    st = hard_analyze(photo, roi, &o, &res);
    scar_fuzz_check_status(st);
    if (mismatch && st != SCAR_E_INVALID)
        abort();
    if (st == SCAR_OK)
        check_result(res, roi);
    else if (res)
        abort();
    scar_result_free(res);
    res = NULL;
    if (sel & 0x40) {
        st = scar_measure(photo, NULL, roi, &o, &res);
        scar_fuzz_check_status(st);
        if ((mismatch || scar_image_channels(roi) > 2) && st != SCAR_E_INVALID)
            abort();
        if (st == SCAR_OK)
            check_measure(res, roi);
        else if (res)
            abort();
        scar_result_free(res);
    }
    scar_image_free(photo);
    scar_image_free(roi);
    return 0;
}
