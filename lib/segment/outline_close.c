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
    for (int32_t k = 0; k < count; k++) {
        const scar__region *g = &rg[k];
        if (g->area == 0 || g->equivalent_diameter < dmin)
            continue;
        uint32_t pad =
            (uint32_t)lround(OUTLINE_CLOSE_FRAC * 0.5 * g->equivalent_diameter) + 1;
        size_t w = (size_t)(g->x1 - g->x0) + 2 * (size_t)pad;
        size_t h = (size_t)(g->y1 - g->y0) + 2 * (size_t)pad;
        if (w * h > cap)
            cap = w * h;
    }
    uint8_t *buf = cap ? malloc(4 * cap) : NULL;
    if (cap && !buf) {
        free(rg);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (outline closing)", ctx);
    }
    for (int32_t k = 1; k <= count && !st; k++) {
        const scar__region *g = &rg[k - 1];
        if (g->area == 0 || g->equivalent_diameter < dmin)
            continue;
        uint32_t r = (uint32_t)lround(OUTLINE_CLOSE_FRAC * 0.5 * g->equivalent_diameter);
        if (r == 0)
            continue; /* a closing by a point changes nothing */
        uint32_t pad = r + 1;
        /* the window: the bounding box grown by the radius (a closing
         * adds nothing beyond the region's bounding box, the margin keeps
         * the dilation's border from clipping it) */
        int64_t x0 = (int64_t)g->x0 - pad, y0 = (int64_t)g->y0 - pad;
        int64_t x1 = (int64_t)g->x1 + pad, y1 = (int64_t)g->y1 + pad;
        uint32_t w = (uint32_t)(x1 - x0), h = (uint32_t)(y1 - y0);
        scar__mask a = {buf, w, h, w}, b = {buf + cap, w, h, w};
        for (uint32_t y = 0; y < h; y++) {
            int64_t Y = y0 + y;
            uint8_t *o = scar__mask_row(&a, y);
            const int32_t *l =
                Y >= 0 && Y < H ? scar__labels_row(labels, (uint32_t)Y) : NULL;
            for (uint32_t x = 0; x < w; x++) {
                int64_t X = x0 + x;
                o[x] = l && X >= 0 && X < W && l[X] == k;
            }
        }
        st = scar__close_disk_scratch(&a, r, &b, (uint16_t *)(void *)(buf + 2 * cap));
        if (!st)
            st = scar__fill_holes(&b, &b);
        if (st)
            break;
        for (uint32_t y = 0; y < h; y++) {
            int64_t Y = y0 + y;
            if (Y < 0 || Y >= H)
                continue;
            int32_t *l = scar__labels_row(labels, (uint32_t)Y);
            const uint8_t *sk = scar__mask_row(skin, (uint32_t)Y);
            const uint8_t *o = scar__mask_row(&b, y);
            for (uint32_t x = 0; x < w; x++) {
                int64_t X = x0 + x;
                if (o[x] && X >= 0 && X < W && l[X] == 0 && sk[X])
                    l[X] = k;
            }
        }
    }
    free(buf);
    free(rg);
    return st;
}
