/* analysis_scale.c — analysing at a reduced resolution (docs/segment.md,
 * "Analysis resolution"): the shrink factor, the shrunk photo and ROI,
 * and the result restated on the input's pixel grid. */
#include <stdlib.h>
#include <string.h>

#include "analyze/analysis_scale.h"
#include "analyze/result_internal.h"
#include "error.h"
#include "image/image_internal.h"
#include "image/shrink.h"
#include "morph/morph.h"
#include "score/score.h"
#include "skin/skin.h"

/* Shrunk images are kept at least this many px on each side. */
#define MIN_SHRUNK_SIDE 32u
#define MAX_SHRINK 16u

uint32_t scar__analysis_shrink(double px_per_mm, double analysis_px_per_mm,
                               uint32_t width, uint32_t height)
{
    if (!(analysis_px_per_mm > 0.0))
        return 1;
    uint32_t f = 1;
    while (f < MAX_SHRINK && px_per_mm / (f + 1.0) >= analysis_px_per_mm &&
           width / (f + 1) >= MIN_SHRUNK_SIDE &&
           height / (f + 1) >= MIN_SHRUNK_SIDE)
        f++;
    return f;
}

int scar__analysis_shrink_inputs(const scar_image *img, const scar_image *roi,
                                 uint32_t f, const char *ctx,
                                 scar_image **small_img, scar_image **small_roi)
{
    *small_img = *small_roi = NULL;
    if (!roi)
        return scar__image_shrink(img, f, ctx, small_img);
    /* the ROI as a 0/1 mask (lib/skin's rule); pixels outside it never
     * enter a block's colour, and an analysed pixel is in the ROI when at
     * least half its block is (the rounded block mean of 0/1 is 1) */
    scar__mask m = {0};
    scar_image *view = NULL;
    uint32_t W = img->width, H = img->height;
    int st = scar__mask_alloc(W, H, ctx, &m);
    if (!st)
        st = scar__skin_from_roi(roi, W, H, ctx, &m);
    if (!st)
        st = scar__image_shrink_masked(img, m.data, m.stride, f, ctx,
                                       small_img);
    if (!st)
        st = scar_image_from_memory(m.data, W, H, 1, 8, m.stride,
                                    SCAR_IMAGE_BORROW, &view);
    if (!st)
        st = scar__image_shrink(view, f, ctx, small_roi);
    scar_image_free(view);
    scar__plane_free(m.data);
    return st;
}

/* Input-grid bounding box (half-open) of analysed region r. */
static void input_bbox(const scar_region *r, uint32_t f, uint32_t width,
                       uint32_t height, uint32_t b[4])
{
    uint64_t x1 = (uint64_t)r->bbox_x1 * f, y1 = (uint64_t)r->bbox_y1 * f;
    b[0] = r->bbox_x0 * f;
    b[1] = r->bbox_y0 * f;
    b[2] = x1 < width ? (uint32_t)x1 : width;
    b[3] = y1 < height ? (uint32_t)y1 : height;
}

/* Region geometry (area, bbox, centroid, moments, perimeter, convex hull)
 * on the input-size label map, then the hint that reads it. Each region
 * is measured in the window of its own bounding box (the f x f blocks of
 * its analysed box), which gives the whole-map values bit for bit
 * (scar__regionprops_at); when the windows add up to more than the map,
 * one pass over the map is cheaper. */
static int input_grid_geometry(scar_result *res, int32_t *labels,
                               uint32_t width, uint32_t height, uint32_t f,
                               double px_per_mm)
{
    int32_t n = (int32_t)res->n_regions;
    uint64_t windows = 0;
    for (int32_t i = 0; i < n; i++) {
        uint32_t b[4];
        input_bbox(&res->regions[i], f, width, height, b);
        windows += (uint64_t)(b[2] - b[0]) * (b[3] - b[1]);
    }
    scar__region *props = NULL;
    int st = SCAR_OK;
    if (windows >= (uint64_t)width * height) {
        scar__labels lm = {labels, width, height, width};
        st = scar__regionprops(&lm, n, 1, &props);
        for (int32_t i = 0; !st && i < n; i++)
            scar__score_geometry(&props[i], px_per_mm, &res->regions[i]);
        scar__regionprops_free(props);
    } else {
        for (int32_t i = 0; !st && i < n; i++) {
            uint32_t b[4];
            input_bbox(&res->regions[i], f, width, height, b);
            scar__labels win = {labels + (size_t)b[1] * width + b[0],
                                b[2] - b[0], b[3] - b[1], width};
            st = scar__regionprops_at(&win, b[0], b[1], n, 1, &props);
            if (!st)
                scar__score_geometry(&props[i], px_per_mm, &res->regions[i]);
            scar__regionprops_free(props);
            props = NULL;
        }
    }
    if (st)
        return st;
    for (int32_t i = 0; i < n; i++) {
        scar_region *r = &res->regions[i];
        r->ring_area_px *= (double)f * f;
        scar__score_derived(r); /* the hint reads the geometry */
    }
    return SCAR_OK;
}

int scar__analysis_to_input_grid(scar_result *res, const scar_image *roi,
                                 uint32_t f, uint32_t width, uint32_t height,
                                 double px_per_mm, const char *ctx)
{
    uint32_t sw = res->width;
    size_t n = (size_t)width * height;
    int32_t *labels = malloc(n * sizeof *labels);
    uint8_t *skin = malloc(n);
    if (!labels || !skin) {
        free(labels);
        free(skin);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (label map at "
                          "%ux%u)", ctx, width, height);
    }
    /* each analysed row is expanded once (a run of f per analysed pixel)
     * and copied to its f rows */
    uint64_t skin_px = 0;
    for (uint32_t y = 0; y < height; y += f) {
        const int32_t *sl = res->labels + (size_t)(y / f) * sw;
        const uint8_t *ss = res->skin + (size_t)(y / f) * sw;
        int32_t *l = labels + (size_t)y * width;
        uint8_t *k = skin + (size_t)y * width;
        uint64_t row_skin = 0;
        for (uint32_t i = 0, x = 0; x < width; i++) {
            uint32_t end = width - x < f ? width : x + f;
            int32_t v = sl[i];
            uint8_t m = ss[i];
            row_skin += m != 0 ? end - x : 0;
            for (; x < end; x++) {
                l[x] = v;
                k[x] = m;
            }
        }
        uint32_t rows = height - y < f ? height - y : f;
        for (uint32_t r = 1; r < rows; r++) {
            memcpy(l + (size_t)r * width, l, width * sizeof *l);
            memcpy(k + (size_t)r * width, k, width);
        }
        skin_px += row_skin * rows;
    }
    /* the mask reports what entered the statistics: never a pixel outside
     * the ROI, even in a block that was mostly inside it */
    if (roi) {
        scar__mask m = {0};
        int st = scar__mask_alloc(width, height, ctx, &m);
        if (!st)
            st = scar__skin_from_roi(roi, width, height, ctx, &m);
        for (uint32_t y = 0; !st && y < height; y++) {
            const uint8_t *r = scar__mask_row(&m, y);
            uint8_t *k = skin + (size_t)y * width;
            for (uint32_t x = 0; x < width; x++)
                if (k[x] && !r[x]) {
                    k[x] = 0;
                    skin_px--;
                }
        }
        scar__plane_free(m.data);
        if (st) {
            free(labels);
            free(skin);
            return st;
        }
    }
    free(res->labels);
    free(res->skin);
    res->labels = labels;
    res->skin = skin;
    res->width = width;
    res->height = height;
    res->px_per_mm = px_per_mm;
    res->skin_area_px = skin_px;

    /* geometry on the input grid; colour and texture stay as measured */
    if (res->n_regions) {
        int st = input_grid_geometry(res, labels, width, height, f,
                                     px_per_mm);
        if (st)
            return st;
    }
    scar_summary *s = &res->summary;
    s->width = width;
    s->height = height;
    s->px_per_mm = px_per_mm;
    s->skin_area_px = skin_px;
    s->skin_area_mm2 = (double)skin_px / (px_per_mm * px_per_mm);
    scar__score_summary_regions(res->regions, res->n_regions, px_per_mm, s);
    return SCAR_OK;
}
