/* outline_close.c — the last step of the regions: each lesion's outline
 * closed at a scale set by its size; see segment.h and docs/segment.md
 * (step 8, "Outline closing").
 *
 * Step 4 cuts a region at half of its contrast pixel by pixel. Where the
 * skin's own texture is as strong as a faint lesion, that cut follows the
 * texture: a ragged outline with bays that reach into the lesion, a
 * region smaller than the lesion and brighter in contrast than its mean
 * (a mottled cheek, the phantoms' `real` texture). A lesion of the kinds
 * scarscore looks for is a compact patch or a band; its bays narrower
 * than half its own size are the texture's, so each region of at least
 * OUTLINE_MIN_DIAMETER_MM is closed with a disc of OUTLINE_CLOSE_FRAC of
 * its equivalent radius and its holes filled. Only skin that no other
 * region holds is added; nothing is removed, and no region is joined to
 * another. Icepick-sized regions keep the outline of refine.c's pit cut. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

/* Closing radius as a fraction of the equivalent radius sqrt(area / pi):
 * on the 60 `real` phantoms 0.35, 0.5, 0.75 and 1 give the same Dice
 * within 0.001 (docs/segment.md). */
#define OUTLINE_CLOSE_FRAC 0.5
/* Regions with a smaller equivalent diameter are left as they are (mm). */
#define OUTLINE_MIN_DIAMETER_MM 2.0

typedef struct window {
    uint32_t x0, y0, w, h;
} window;

/* The closing radius of region g (px; 0: left as it is) and its window:
 * the bounding box grown by the radius + 1 (a closing adds nothing beyond
 * the bounding box; the margin keeps the dilation whole), clipped to the
 * map, so that the scratch never exceeds the map's own size. Near the
 * map's edge the erosion counts the outside as background: bays that open
 * onto the edge of the photo are filled less, never more. */
static uint32_t close_window(const scar__region *g, double dmin, uint32_t W, uint32_t H,
                             window *win)
{
    if (g->area == 0 || g->equivalent_diameter < dmin)
        return 0;
    uint32_t r = (uint32_t)lround(OUTLINE_CLOSE_FRAC * 0.5 * g->equivalent_diameter);
    uint32_t pad = r + 1;
    uint32_t x0 = g->x0 > pad ? g->x0 - pad : 0, y0 = g->y0 > pad ? g->y0 - pad : 0;
    uint32_t x1 = W - g->x1 > pad ? g->x1 + pad : W;
    uint32_t y1 = H - g->y1 > pad ? g->y1 + pad : H;
    *win = (window){x0, y0, x1 - x0, y1 - y0};
    return r;
}

int scar__close_outlines(const scar__mask *skin, double px_per_mm, const char *ctx,
                         scar__labels *labels, int32_t count)
{
    if (count <= 0)
        return 0;
    scar__region *rg = NULL;
    int st = scar__regionprops(labels, count, 0, &rg);
    if (st)
        return st;
    uint32_t W = labels->width, H = labels->height;
    double dmin = OUTLINE_MIN_DIAMETER_MM * px_per_mm;
    /* one pair of window masks and the closing's run-length scratch,
     * sized for the largest window */
    size_t cap = 0;
    window win;
    for (int32_t k = 0; k < count; k++)
        if (close_window(&rg[k], dmin, W, H, &win) && (size_t)win.w * win.h > cap)
            cap = (size_t)win.w * win.h;
    uint8_t *buf = cap ? malloc(4 * cap) : NULL;
    if (cap && !buf) {
        free(rg);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (outline closing)", ctx);
    }
    uint16_t *runs = buf ? (uint16_t *)(void *)(buf + 2 * cap) : NULL;
    for (int32_t k = 1; k <= count && !st; k++) {
        uint32_t r = close_window(&rg[k - 1], dmin, W, H, &win);
        if (r == 0)
            continue; /* too small, or a closing by a point */
        scar__mask a = {buf, win.w, win.h, win.w};
        scar__mask b = {buf + cap, win.w, win.h, win.w};
        for (uint32_t y = 0; y < win.h; y++) {
            const int32_t *l = scar__labels_row(labels, win.y0 + y) + win.x0;
            uint8_t *o = scar__mask_row(&a, y);
            for (uint32_t x = 0; x < win.w; x++)
                o[x] = l[x] == k;
        }
        st = scar__close_disk_scratch(&a, r, &b, runs);
        if (!st)
            st = scar__fill_holes(&b, &b);
        if (st)
            break;
        for (uint32_t y = 0; y < win.h; y++) {
            int32_t *l = scar__labels_row(labels, win.y0 + y) + win.x0;
            const uint8_t *sk = scar__mask_row(skin, win.y0 + y) + win.x0;
            const uint8_t *o = scar__mask_row(&b, y);
            for (uint32_t x = 0; x < win.w; x++)
                if (o[x] && l[x] == 0 && sk[x])
                    l[x] = k;
        }
    }
    free(buf);
    free(rg);
    return st;
}
