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

int scar__analysis_shrink_inputs(const scar__photo *img, const scar_image *roi,
                                 uint32_t f, const char *ctx,
                                 scar_image **small_img, scar_image **small_roi)
{
    *small_img = *small_roi = NULL;
    if (!roi)
        return scar__photo_shrink_masked(img, NULL, 0, f, ctx, small_img);
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
        st = scar__photo_shrink_masked(img, m.data, m.stride, f, ctx,
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

/* Columns [x0, x1) of input row y, a grid row's values each repeated f
 * times (x0 a multiple of f): labels into l, the skin mask into k (either
 * may be NULL); returns the row's skin pixels. */
static uint64_t expand_row(const scar_result *res, uint32_t y, uint32_t x0,
                           uint32_t x1, int32_t *l, uint8_t *k)
{
    uint32_t f = res->grid_f;
    const int32_t *gl = res->grid_labels + (size_t)(y / f) * res->grid_w;
    const uint8_t *gs = res->grid_skin + (size_t)(y / f) * res->grid_w;
    uint64_t n = 0;
    for (uint32_t i = x0 / f, x = x0; x < x1; i++) {
        uint32_t end = x1 - x < f ? x1 : x + f;
        int32_t v = gl[i];
        uint8_t m = gs[i];
        n += m != 0 ? end - x : 0;
        for (; x < end; x++) {
            if (l)
                l[x - x0] = v;
            if (k)
                k[x - x0] = m;
        }
    }
    return n;
}

int scar__result_input_maps(const scar_result *cres, const char *ctx)
{
    if (!cres->grid_labels)
        return SCAR_OK;
    /* The result is logically const: the maps only restate the grid's. An
     * object is used by one thread at a time (scarscore.h) and every
     * result is allocated writable, so making them here is safe. */
    scar_result *res = (scar_result *)(uintptr_t)cres;
    uint32_t width = res->width, height = res->height, f = res->grid_f;
    size_t n = (size_t)width * height;
    int32_t *labels = malloc(n * sizeof *labels);
    uint8_t *skin = malloc(n);
    if (!labels || !skin) {
        free(labels);
        free(skin);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (label map at "
                          "%ux%u)", ctx, width, height);
    }
    /* each analysed row is expanded once and copied to its f rows */
    for (uint32_t y = 0; y < height; y += f) {
        int32_t *l = labels + (size_t)y * width;
        uint8_t *k = skin + (size_t)y * width;
        expand_row(res, y, 0, width, l, k);
        uint32_t rows = height - y < f ? height - y : f;
        for (uint32_t r = 1; r < rows; r++) {
            memcpy(l + (size_t)r * width, l, width * sizeof *l);
            memcpy(k + (size_t)r * width, k, width);
        }
    }
    free(res->grid_labels);
    free(res->grid_skin);
    res->grid_labels = NULL;
    res->grid_skin = NULL;
    res->labels = labels;
    res->skin = skin;
    return SCAR_OK;
}

void scar__result_label_row(const scar_result *res, uint32_t y, int32_t *out)
{
    if (res->labels)
        memcpy(out, res->labels + (size_t)y * res->width,
               (size_t)res->width * sizeof *out);
    else
        expand_row(res, y, 0, res->width, out, NULL);
}

/* Window b of the input-size label map into win (stride b[2] - b[0]). */
static void expand_window(const scar_result *res, const uint32_t b[4],
                          int32_t *win)
{
    size_t ww = b[2] - b[0];
    for (uint32_t y = b[1]; y < b[3]; y++) {
        int32_t *l = win + (size_t)(y - b[1]) * ww;
        if (y > b[1] && y % res->grid_f != 0)
            memcpy(l, l - ww, ww * sizeof *l); /* the same analysed row */
        else
            expand_row(res, y, b[0], b[2], l, NULL);
    }
}

/* Region geometry (area, bbox, centroid, moments, perimeter, convex hull)
 * on the input-size label map, then the hint that reads it. Each region
 * is measured in the window of its own bounding box (the f x f blocks of
 * its analysed box), which gives the whole-map values bit for bit
 * (scar__regionprops_at); the window is read from the input-size map when
 * it exists, else expanded from the analysis grid. When the windows add
 * up to more than the map, one pass over the (then made) map is cheaper. */
static int input_grid_geometry(scar_result *res, uint32_t f, double px_per_mm,
                               const char *ctx)
{
    uint32_t width = res->width, height = res->height;
    int32_t n = (int32_t)res->n_regions;
    uint64_t windows = 0, largest = 0;
    for (int32_t i = 0; i < n; i++) {
        uint32_t b[4];
        input_bbox(&res->regions[i], f, width, height, b);
        uint64_t a = (uint64_t)(b[2] - b[0]) * (b[3] - b[1]);
        windows += a;
        largest = a > largest ? a : largest;
    }
    scar__region *props = NULL;
    int st = SCAR_OK;
    if (windows >= (uint64_t)width * height) {
        st = scar__result_input_maps(res, ctx);
        scar__labels lm = {res->labels, width, height, width};
        if (!st)
            st = scar__regionprops(&lm, n, 1, &props);
        for (int32_t i = 0; !st && i < n; i++)
            scar__score_geometry(&props[i], px_per_mm, &res->regions[i]);
        scar__regionprops_free(props);
        if (st)
            return st;
    } else {
        int32_t *scratch = NULL;
        if (!res->labels &&
            !(scratch = malloc((size_t)largest * sizeof *scratch)))
            return scar__fail(SCAR_E_NOMEM, "%s: out of memory (a region's "
                              "window of the label map)", ctx);
        for (int32_t i = 0; !st && i < n; i++) {
            uint32_t b[4];
            input_bbox(&res->regions[i], f, width, height, b);
            scar__labels win = {scratch, b[2] - b[0], b[3] - b[1],
                                b[2] - b[0]};
            if (scratch) {
                expand_window(res, b, scratch);
            } else {
                win.data = res->labels + (size_t)b[1] * width + b[0];
                win.stride = width;
            }
            st = scar__regionprops_at(&win, b[0], b[1], n, 1, &props);
            if (!st)
                scar__score_geometry(&props[i], px_per_mm, &res->regions[i]);
            scar__regionprops_free(props);
            props = NULL;
        }
        free(scratch);
        if (st)
            return st;
    }
    for (int32_t i = 0; i < n; i++) {
        scar_region *r = &res->regions[i];
        r->ring_area_px *= (double)f * f;
        scar__score_derived(r); /* the hint reads the geometry */
    }
    return SCAR_OK;
}

/* Input pixels of the analysed skin: each grid pixel stands for its block
 * (clipped at the right and bottom edges). */
static uint64_t grid_skin_area(const scar_result *res)
{
    uint32_t f = res->grid_f;
    uint64_t n = 0;
    for (uint32_t y = 0; y < res->height; y += f) {
        uint32_t rows = res->height - y < f ? res->height - y : f;
        n += expand_row(res, y, 0, res->width, NULL, NULL) * rows;
    }
    return n;
}

int scar__analysis_to_input_grid(scar_result *res, const scar_image *roi,
                                 uint32_t f, uint32_t width, uint32_t height,
                                 double px_per_mm, const char *ctx)
{
    /* the analysis grid's maps stand for the input-size ones */
    res->grid_labels = res->labels;
    res->grid_skin = res->skin;
    res->grid_w = res->width;
    res->grid_f = f;
    res->labels = NULL;
    res->skin = NULL;
    res->width = width;
    res->height = height;
    res->px_per_mm = px_per_mm;
    uint64_t skin_px = grid_skin_area(res);
    /* the mask reports what entered the statistics: never a pixel outside
     * the ROI, even in a block that was mostly inside it */
    if (roi) {
        int st = scar__result_input_maps(res, ctx);
        scar__mask m = {0};
        if (!st)
            st = scar__mask_alloc(width, height, ctx, &m);
        if (!st)
            st = scar__skin_from_roi(roi, width, height, ctx, &m);
        for (uint32_t y = 0; !st && y < height; y++) {
            const uint8_t *r = scar__mask_row(&m, y);
            uint8_t *k = res->skin + (size_t)y * width;
            for (uint32_t x = 0; x < width; x++)
                if (k[x] && !r[x]) {
                    k[x] = 0;
                    skin_px--;
                }
        }
        scar__plane_free(m.data);
        if (st)
            return st;
    }
    res->skin_area_px = skin_px;

    /* geometry on the input grid; colour and texture stay as measured */
    if (res->n_regions) {
        int st = input_grid_geometry(res, f, px_per_mm, ctx);
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
