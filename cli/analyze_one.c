/* analyze_one.c — load + analyse one photo for batch and compare. */
#include "analyze_one.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_analyze_file(const char *file, const char *roi_file,
                     const char *regions_file, double px_per_mm,
                     double analysis_px_per_mm, unsigned flags,
                     scar_image **img_out, scar_result **res, char *err,
                     size_t errsz)
{
    scar_image *img = NULL, *roi = NULL, *regions = NULL;
    *res = NULL;
    if (img_out)
        *img_out = NULL;
    if (roi_file && scar_image_load(roi_file, NULL, &roi) != SCAR_OK) {
        snprintf(err, errsz, "ROI mask: %s", scar_last_error());
        return -1;
    }
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = px_per_mm;
    if (analysis_px_per_mm >= 0.0) /* else keep the library's default */
        o.analysis_px_per_mm = analysis_px_per_mm;
    o.single_lesion = (flags & CLI_ANALYZE_SINGLE_LESION) ? 1u : 0u;
    o.exposure_normalize = (flags & CLI_ANALYZE_AS_PHOTOGRAPHED) ? 0u : 1u;
    if (!img_out && !regions_file) {
        /* the pixels are not needed after the analysis: the library may
         * decode and shrink the photo in one pass (the same result) */
        int st = scar_analyze_file(file, NULL, roi, &o, res);
        scar_image_free(roi);
        if (st != SCAR_OK) {
            snprintf(err, errsz, "%s", scar_last_error());
            *res = NULL;
            return -1;
        }
        return 0;
    }
    if (scar_image_load(file, NULL, &img) != SCAR_OK) {
        snprintf(err, errsz, "%s", scar_last_error());
        scar_image_free(roi);
        return -1;
    }
    if (regions_file && scar_image_load(regions_file, NULL, &regions) != SCAR_OK) {
        snprintf(err, errsz, "regions: %s", scar_last_error());
        scar_image_free(roi);
        scar_image_free(img);
        return -1;
    }
    int st = regions ? scar_measure(img, roi, regions, &o, res)
                     : scar_analyze(img, roi, &o, res);
    scar_image_free(roi);
    scar_image_free(regions);
    if (st != SCAR_OK) {
        /* scar_analyze's message knows the pixels, not the file name. */
        snprintf(err, errsz, "%s: %s", file, scar_last_error());
        scar_image_free(img);
        *res = NULL;
        return -1;
    }
    if (img_out)
        *img_out = img;
    else
        scar_image_free(img);
    return 0;
}

/* Contour colours by pigment class: iso yellow, hypo cyan, hyper magenta,
 * erythema green (green stays visible on red skin). */
static const unsigned char class_rgb[4][3] = {
    {255, 230, 0}, {0, 220, 255}, {255, 0, 200}, {40, 255, 60}};

/* 3x5 pixel digits, one row per byte (bit 2 = left column), for region
 * ids on the overlay. */
static const unsigned char digit_rows[10][5] = {
    {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7},
    {5, 5, 7, 1, 1}, {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 2, 2, 2},
    {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};

static void fill_box(scar_image *ov, long x0, long y0, long n, const unsigned char *rgb)
{
    long w = scar_image_width(ov), h = scar_image_height(ov);
    for (long y = y0; y < y0 + n; y++) {
        if (y < 0 || y >= h)
            continue;
        unsigned char *o = scar_image_row(ov, (uint32_t)y);
        for (long x = x0; x < x0 + n; x++)
            if (x >= 0 && x < w)
                memcpy(o + 3 * x, rgb, 3);
    }
}

/* Write `id` in white digits of cell size s px with a black outline, its
 * top-left corner at (x, y), moved inside the image when it would leave. */
static void draw_id(scar_image *ov, uint32_t id, long x, long y, long s)
{
    static const unsigned char white[3] = {255, 255, 255}, black[3] = {0, 0, 0};
    char text[12];
    int n = snprintf(text, sizeof text, "%u", id);
    long tw = (4 * n - 1) * s, th = 5 * s;
    long w = scar_image_width(ov), h = scar_image_height(ov);
    if (x + tw + s > w)
        x = w - tw - s;
    if (y + th + s > h)
        y = h - th - s;
    x = x < s ? s : x;
    y = y < s ? s : y;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < n; k++)
            for (int r = 0; r < 5; r++)
                for (int c = 0; c < 3; c++) {
                    if (!(digit_rows[text[k] - '0'][r] & (4 >> c)))
                        continue;
                    long px = x + (4 * k + c) * s, py = y + r * s;
                    if (pass == 0) /* outline: the cell grown by one pixel */
                        fill_box(ov, px - 1, py - 1, s + 2, black);
                    else
                        fill_box(ov, px, py, s, white);
                }
}

int cli_overlay_save(scar_image *img, const scar_result *res,
                     const char *path, char *err, size_t errsz)
{
    scar_summary sm;
    memset(&sm, 0, sizeof sm);
    sm.struct_size = sizeof sm;
    uint32_t w = 0, h = 0;
    if (scar_result_summary(res, &sm) == SCAR_OK) {
        w = sm.width;
        h = sm.height;
    }
    uint32_t iw = scar_image_width(img), ih = scar_image_height(img);
    uint32_t ch = scar_image_channels(img), depth = scar_image_bit_depth(img);
    if (w == 0 || w != iw || h != ih) {
        snprintf(err, errsz, "%s: overlay: label map does not match the image",
                 path);
        return -1;
    }
    /* the label map is read three rows at a time (scar_result_label_row):
     * the whole map would be 4 more bytes per pixel */
    int32_t *ring = malloc((size_t)3 * w * sizeof *ring);
    if (!ring) {
        snprintf(err, errsz, "%s: overlay: out of memory", path);
        return -1;
    }
    /* An 8-bit RGB photo is drawn on as it is (the caller has no further
     * use for it): no second 3 bytes per pixel, whose fresh pages cost
     * more than the copy (docs/performance.md, session 28). */
    scar_image *ov = NULL;
    if (ch == 3 && depth == 8) {
        ov = img;
    } else if (scar_image_new(w, h, 3, 8, &ov) != SCAR_OK) {
        snprintf(err, errsz, "%s: overlay: %s", path, scar_last_error());
        free(ring);
        return -1;
    }
    for (uint32_t y = 0; ov != img && y < h; y++) {
        unsigned char *o = scar_image_row(ov, y);
        const unsigned char *s8 = scar_image_row(img, y);
        const uint16_t *s16 = (const uint16_t *)(const void *)s8;
        for (uint32_t x = 0; x < w; x++) {
            for (uint32_t c = 0; c < 3; c++) {
                uint32_t sc = ch >= 3 ? c : 0;
                o[3 * x + c] = depth == 16 ? (unsigned char)(s16[x * ch + sc] >> 8)
                                           : s8[x * ch + sc];
            }
        }
    }
    uint32_t nreg = scar_result_region_count(res);
    unsigned char cls[65536];
    memset(cls, 0, sizeof cls);
    for (uint32_t i = 0; i < nreg && i < 65535; i++) {
        scar_region r;
        r.struct_size = sizeof r;
        if (scar_result_region(res, i, &r) == SCAR_OK && r.id < 65536)
            cls[r.id] = (unsigned char)(r.pigment_class & 3u);
    }
    /* A contour pixel belongs to a region and has a 4-neighbour outside it;
     * lines are widened to about 1/300 of the smaller side to stay visible
     * in thumbnails. */
    uint32_t t = (w < h ? w : h) / 300;
    int32_t *up = ring, *cur = ring + w, *down = ring + 2 * (size_t)w;
    scar_result_label_row(res, 0, cur);
    if (h > 1)
        scar_result_label_row(res, 1, down);
    for (uint32_t y = 0; y < h; y++) {
        if (y > 0) { /* rows y - 1, y, y + 1 */
            int32_t *spare = up;
            up = cur;
            cur = down;
            down = spare;
            if (y + 1 < h)
                scar_result_label_row(res, y + 1, down);
        }
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = cur[x];
            if (l <= 0)
                continue;
            int edge = x == 0 || y == 0 || x + 1 == w || y + 1 == h ||
                       cur[x - 1] != l || cur[x + 1] != l || up[x] != l ||
                       down[x] != l;
            if (!edge)
                continue;
            const unsigned char *col = class_rgb[l < 65536 ? cls[l] : 0];
            uint32_t y0 = y > t ? y - t : 0, y1 = y + t < h ? y + t : h - 1;
            uint32_t x0 = x > t ? x - t : 0, x1 = x + t < w ? x + t : w - 1;
            for (uint32_t yy = y0; yy <= y1; yy++) {
                unsigned char *o = scar_image_row(ov, yy);
                for (uint32_t xx = x0; xx <= x1; xx++)
                    memcpy(o + 3 * xx, col, 3);
            }
        }
    }
    /* Region ids beside each region's bounding box, as in the JSON/CSV. */
    long cell = (long)(w < h ? w : h) / 250 + 1;
    for (uint32_t i = 0; i < nreg; i++) {
        scar_region r;
        r.struct_size = sizeof r;
        if (scar_result_region(res, i, &r) == SCAR_OK)
            draw_id(ov, r.id, (long)r.bbox_x1 + (long)t + 2, (long)r.bbox_y0, cell);
    }
    free(ring);
    int st = scar_image_save_png(ov, path);
    if (ov != img)
        scar_image_free(ov);
    if (st != SCAR_OK) {
        snprintf(err, errsz, "%s", scar_last_error());
        return -1;
    }
    return 0;
}
