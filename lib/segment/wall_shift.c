/* wall_shift.c — a boxcar seen as its shaded wall is moved onto its bowl;
 * see segment.h and docs/segment.md (step 4, "Shaded walls moved").
 *
 * Under directional light a depression's wall toward the light faces away
 * from it and is the darkest part; the lit far wall is hardly darker than
 * the skin. Where the relief test cannot tell (refine.c marks such cuts in
 * `walls`), the half-contrast cut of a boxcar is centred on its shaded
 * side: on the benchmark phantoms 0.28 of its radius toward the light
 * from the truth's centre (the middle half 0.22-0.33; cluster layout
 * 0.29). The move comes last, after the significance test has judged the
 * region on its strongest contrast, and keeps the region's size. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

/* The move, as a fraction of the region's equivalent radius. */
#define SHADED_WALL_SHIFT 0.27

int scar__shift_walls(const scar__anomaly_maps *maps, const scar__mask *skin,
                      const scar__segment_params *p, const scar__mask *walls,
                      const char *ctx, scar__labels *labels, int32_t count)
{
    if (count <= 0)
        return SCAR_OK;
    double ux, uy;
    int sign;
    scar__maps_light(maps, skin, p->px_per_mm, &ux, &uy, &sign);
    if (sign == 0)
        return SCAR_OK;
    double lx = sign * ux, ly = sign * uy;
    scar__region *props = NULL;
    int st = scar__regionprops(labels, count, 0, &props);
    if (st)
        return st;
    uint64_t *marked = calloc((size_t)count + 1, sizeof *marked);
    if (!marked) {
        scar__regionprops_free(props);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (walls)", ctx);
    }
    uint32_t W = labels->width, H = labels->height;
    for (uint32_t y = 0; y < H; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const uint8_t *m = scar__mask_row(walls, y);
        for (uint32_t x = 0; x < W; x++)
            if (l[x] > 0 && (m[x] & SCAR__MARK_WALL))
                marked[l[x]]++;
    }
    for (int32_t i = 0; i < count && !st; i++) {
        const scar__region *rg = &props[i];
        int32_t k = rg->label;
        if (rg->area == 0 || 2 * marked[k] < rg->area)
            continue;
        double r = sqrt((double)rg->area / 3.14159265358979323846);
        long sx = lround(-SHADED_WALL_SHIFT * r * lx);
        long sy = lround(-SHADED_WALL_SHIFT * r * ly);
        if (sx == 0 && sy == 0)
            continue;
        /* the region's box grown by the move, clipped to the image */
        long bx0 = (long)rg->x0 + (sx < 0 ? sx : 0);
        long by0 = (long)rg->y0 + (sy < 0 ? sy : 0);
        long bx1 = (long)rg->x1 + (sx > 0 ? sx : 0);
        long by1 = (long)rg->y1 + (sy > 0 ? sy : 0);
        uint32_t x0 = bx0 > 0 ? (uint32_t)bx0 : 0;
        uint32_t y0 = by0 > 0 ? (uint32_t)by0 : 0;
        uint32_t x1 = bx1 < (long)W ? (uint32_t)bx1 : W;
        uint32_t y1 = by1 < (long)H ? (uint32_t)by1 : H;
        /* the moved region: pixels whose origin is in it, on skin of no
         * other region; made only when at least half of it lands there */
        scar__mask moved = {0};
        st = scar__mask_alloc(x1 - x0, y1 - y0, ctx, &moved);
        if (st)
            break;
        uint64_t fit = 0;
        for (uint32_t y = y0; y < y1; y++) {
            long oy = (long)y - sy;
            if (oy < (long)rg->y0 || oy >= (long)rg->y1)
                continue;
            const int32_t *lo = scar__labels_row(labels, (uint32_t)oy);
            const int32_t *l = scar__labels_row(labels, y);
            const uint8_t *sk = scar__mask_row(skin, y);
            uint8_t *m = scar__mask_row(&moved, y - y0);
            for (uint32_t x = x0; x < x1; x++) {
                long ox = (long)x - sx;
                m[x - x0] = ox >= (long)rg->x0 && ox < (long)rg->x1 &&
                            lo[ox] == k && sk[x] && (l[x] == 0 || l[x] == k);
                fit += m[x - x0];
            }
        }
        if (2 * fit >= rg->area)
            for (uint32_t y = y0; y < y1; y++) {
                int32_t *l = scar__labels_row(labels, y);
                const uint8_t *m = scar__mask_row(&moved, y - y0);
                for (uint32_t x = x0; x < x1; x++)
                    if (m[x - x0])
                        l[x] = k;
                    else if (l[x] == k)
                        l[x] = 0;
            }
        scar__plane_free(moved.data);
    }
    free(marked);
    scar__regionprops_free(props);
    return st;
}
