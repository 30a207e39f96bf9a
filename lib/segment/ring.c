/* ring.c — perilesional rings (DESIGN.md step 6): for each region, the
 * skin pixels between inner and outer distance from it, excluding every
 * region and excluded pixel; see segment.h. Each region is handled in its
 * bounding box grown by the outer radius, with an exact Euclidean distance
 * transform (Meijster et al. 2000, lib/morph), so the cost is the sum of
 * those boxes, not regions x image. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

void scar__rings_free(scar__rings *r)
{
    if (!r)
        return;
    free(r->off);
    free(r->idx);
    memset(r, 0, sizeof *r);
}

int scar__rings_compute(const scar__labels *labels, int32_t count,
                        const scar__mask *skin, double inner_px,
                        double outer_px, const char *ctx, scar__rings *out)
{
    return scar__rings_compute_some(labels, count, NULL, skin, inner_px,
                                    outer_px, ctx, out);
}

int scar__rings_compute_some(const scar__labels *labels, int32_t count,
                             const uint8_t *want, const scar__mask *skin,
                             double inner_px, double outer_px,
                             const char *ctx, scar__rings *out)
{
    memset(out, 0, sizeof *out);
    if (count < 0 || !(inner_px >= 0.0) || !(outer_px >= inner_px))
        return scar__fail(SCAR_E_INVALID, "%s: bad ring distances %g..%g px",
                          ctx, inner_px, outer_px);
    out->off = calloc((size_t)count + 1, sizeof *out->off);
    if (!out->off)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (rings)", ctx);
    if (count == 0)
        return SCAR_OK;
    scar__region *props = NULL;
    int st = scar__regionprops(labels, count, 0, &props);
    if (st) {
        scar__rings_free(out);
        return st;
    }
    uint32_t W = labels->width, H = labels->height;
    uint32_t margin = (uint32_t)ceil(outer_px) + 1;
    size_t cap = 0;
    scar__mask reg = {0};
    scar__planef dist = {0};
    for (int32_t i = 0; i < count && !st; i++) {
        const scar__region *rg = &props[i];
        out->off[i + 1] = out->off[i];
        if (rg->area == 0 || (want && !want[i]))
            continue;
        uint32_t x0 = rg->x0 > margin ? rg->x0 - margin : 0;
        uint32_t y0 = rg->y0 > margin ? rg->y0 - margin : 0;
        uint32_t x1 = rg->x1 + margin < W ? rg->x1 + margin : W;
        uint32_t y1 = rg->y1 + margin < H ? rg->y1 + margin : H;
        uint32_t w = x1 - x0, h = y1 - y0;
        scar__plane_free(reg.data);
        scar__plane_free(dist.data);
        reg.data = NULL;
        dist.data = NULL;
        st = scar__mask_alloc(w, h, ctx, &reg);
        if (!st)
            st = scar__planef_alloc(w, h, ctx, &dist);
        if (st)
            break;
        for (uint32_t y = 0; y < h; y++) {
            const int32_t *l = scar__labels_row(labels, y0 + y) + x0;
            uint8_t *r = scar__mask_row(&reg, y);
            for (uint32_t x = 0; x < w; x++)
                r[x] = l[x] == rg->label;
        }
        st = scar__edt(&reg, 1, &dist);
        for (uint32_t y = 0; y < h && !st; y++) {
            const int32_t *l = scar__labels_row(labels, y0 + y) + x0;
            const uint8_t *sk = scar__mask_row(skin, y0 + y) + x0;
            const float *d = scar__planef_row(&dist, y);
            for (uint32_t x = 0; x < w && !st; x++) {
                if (l[x] == 0 && sk[x] && d[x] >= inner_px && d[x] <= outer_px) {
                    size_t n = out->off[i + 1];
                    if (n == cap) {
                        size_t nc = cap ? cap * 2 : 1024;
                        uint32_t *p = realloc(out->idx, nc * sizeof *p);
                        if (!p) {
                            st = scar__fail(SCAR_E_NOMEM,
                                            "%s: out of memory (rings)", ctx);
                            break;
                        }
                        out->idx = p;
                        cap = nc;
                    }
                    out->idx[n] = (uint32_t)((uint64_t)(y0 + y) * W + (x0 + x));
                    out->off[i + 1] = n + 1;
                }
            }
        }
    }
    out->count = count;
    scar__plane_free(reg.data);
    scar__plane_free(dist.data);
    scar__regionprops_free(props);
    if (st)
        scar__rings_free(out);
    return st;
}
