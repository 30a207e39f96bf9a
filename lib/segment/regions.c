/* regions.c — anomaly score -> cleaned binary regions -> labels; see
 * segment.h and docs/segment.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

/* Clean-up radii (mm): opening removes specks thinner than ~0.2 mm (noise,
 * single pores), closing bridges the gaps of ~0.5 mm that a shading
 * pattern leaves between a pit's lit and shaded walls. */
#define OPEN_RADIUS_MM 0.1
#define CLOSE_RADIUS_MM 0.25

int scar__drop_small_labels(scar__labels *labels, int32_t n,
                            uint64_t min_area, const char *ctx,
                            int32_t *count)
{
    if (n == 0) {
        *count = 0;
        return SCAR_OK;
    }
    uint64_t *area = calloc((size_t)n + 1, sizeof *area);
    int32_t *map = calloc((size_t)n + 1, sizeof *map);
    if (!area || !map) {
        free(area);
        free(map);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (labels)", ctx);
    }
    uint32_t w = labels->width, h = labels->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < w; x++)
            area[l[x]]++;
    }
    /* labels are in raster order of first pixel; keeping that order while
     * dropping small ones keeps the raster-order numbering */
    int32_t k = 0;
    for (int32_t i = 1; i <= n; i++)
        map[i] = area[i] >= min_area ? ++k : 0;
    for (uint32_t y = 0; y < h; y++) {
        int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < w; x++)
            l[x] = map[l[x]];
    }
    free(area);
    free(map);
    *count = k;
    return SCAR_OK;
}

int scar__relabel(const scar__mask *m, uint64_t min_area, const char *ctx,
                  scar__labels *labels, int32_t *count)
{
    int32_t n = 0;
    int st = scar__label(m, NULL, 8, labels, &n);
    if (!st)
        st = scar__drop_small_labels(labels, n, min_area, ctx, count);
    return st;
}

void scar__direction_sums(const scar__anomaly_maps *maps,
                          const scar__labels *labels, int32_t n, double *sum)
{
    uint32_t w = labels->width, h = labels->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const float *zl = scar__planef_row(&maps->zL, y);
        const float *za = scar__planef_row(&maps->za, y);
        const float *zb = scar__planef_row(&maps->zb, y);
        for (uint32_t x = 0; x < w; x++) {
            int32_t k = l[x];
            if (k <= 0 || k > n || !isfinite(zl[x]) || !isfinite(za[x]) ||
                !isfinite(zb[x]))
                continue;
            sum[3 * k] += zl[x];
            sum[3 * k + 1] += za[x];
            sum[3 * k + 2] += zb[x];
        }
    }
}

int scar__relabel_nonzero(scar__labels *labels, scar__mask *m,
                          uint64_t min_area, const char *ctx, int32_t *count)
{
    uint32_t w = labels->width, h = labels->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        uint8_t *o = scar__mask_row(m, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = l[x] != 0;
    }
    return scar__relabel(m, min_area, ctx, labels, count);
}

static uint32_t radius_px(double mm, double ppm)
{
    double r = mm * ppm;
    return r < 0.5 ? 0u : (uint32_t)lround(r);
}

/* The light (axis and side, light_axis.c) from the skin outside the
 * candidates: pores are read in healthy skin, and the minima and walls of
 * the lesions themselves (an icepick's floor, a boxcar's shaded wall) are
 * left out with a margin of LIGHT_MARGIN_MM. On the cluster phantoms
 * (crowded scars) the side was wrong on 9 of 60 photos and unknown on 19
 * when lesions were counted as pores (docs/segment.md). When less than
 * LIGHT_MIN_HEALTHY of the skin is left, all of it is used. The side is
 * read first from the photo's own pores when the grid is shrunk
 * (light_photo.c). `healthy` is scratch of the mask's size. Sets
 * maps->light. */
#define LIGHT_MARGIN_MM 0.5
#define LIGHT_MIN_HEALTHY 0.1
static int light_from_healthy(scar__anomaly_maps *maps, const scar__mask *skin,
                              const scar__mask *cand,
                              const scar__segment_params *p, const char *ctx,
                              scar__mask *healthy)
{
    double ppm = p->px_per_mm;
    int st = scar__dilate_disk(cand, radius_px(LIGHT_MARGIN_MM, ppm), healthy);
    if (st)
        return st;
    uint64_t n_skin = 0, n_healthy = 0;
    for (uint32_t y = 0; y < skin->height; y++) {
        const uint8_t *s = scar__mask_row(skin, y);
        uint8_t *o = scar__mask_row(healthy, y);
        for (uint32_t x = 0; x < skin->width; x++) {
            o[x] = s[x] && !o[x];
            n_skin += s[x] != 0;
            n_healthy += o[x];
        }
    }
    const scar__mask *use = (double)n_healthy >= LIGHT_MIN_HEALTHY * (double)n_skin
                                ? healthy : skin;
    scar__light_axis(&maps->zL, use, ppm, &maps->light.ux, &maps->light.uy);
    /* the side from the pores: on the photo's own pixels when the grid is
     * shrunk (they resolve the pores' walls), on the grid otherwise or when
     * the photo does not tell */
    int side = 0;
    if (p->photo && p->shrink > 1)
        st = scar__light_sign_photo(p->photo, p->shrink, use, ppm * p->shrink,
                                    maps->light.ux, maps->light.uy, ctx, &side);
    if (!st && side == 0)
        side = scar__light_sign(&maps->zL, use, ppm, maps->light.ux,
                                maps->light.uy);
    maps->light.sign = side;
    maps->light.known = 1;
    return st;
}

/* The observer's step callback, when there is one and the step went
 * well. */
static void trace_step(const scar__segment_params *p, int st,
                       const char *name, const scar__labels *labels,
                       int32_t count)
{
    if (!st && p->trace && p->trace->step)
        p->trace->step(p->trace->user, name, labels, count);
}

int scar__segment_regions(scar__anomaly_maps *maps,
                          const scar__mask *skin,
                          const scar__segment_params *p, const char *ctx,
                          scar__labels *labels, int32_t *count)
{
    uint32_t w = skin->width, h = skin->height;
    scar__mask m = {0};
    int st = scar__mask_alloc(w, h, ctx, &m);
    /* `labels` is not written until scar__relabel: it serves as the
     * hysteresis' component map (4 B/px less at the peak) */
    if (!st)
        st = scar__hysteresis_threshold_scratch(&maps->score, skin,
                                                (float)p->z_low,
                                                (float)p->z_high, labels, &m);
    if (!st) {
        /* the light, once for the steps below; the label map's memory is
         * free until scar__relabel and holds the healthy-skin mask */
        scar__mask healthy = {(uint8_t *)(void *)labels->data, w, h, w};
        st = light_from_healthy(maps, skin, &m, p, ctx, &healthy);
    }
    uint32_t ro = radius_px(OPEN_RADIUS_MM, p->px_per_mm);
    uint32_t rc = radius_px(CLOSE_RADIUS_MM, p->px_per_mm);
    /* ... and, tightly packed (4 B/px), as the run-length scratch (2 B/px)
     * of the opening and closing */
    uint16_t *run = labels->stride == w ? (uint16_t *)(void *)labels->data
                                        : NULL;
    if (!st && ro > 0)
        st = scar__open_disk_scratch(&m, ro, &m, run);
    if (!st && rc > 0)
        st = scar__close_disk_scratch(&m, rc, &m, run);
    if (!st)
        st = scar__fill_holes(&m, &m);
    double ppm2 = p->px_per_mm * p->px_per_mm;
    uint64_t min_area = (uint64_t)ceil(p->min_area_mm2 * ppm2);
    if (min_area < 1)
        min_area = 1;
    if (!st)
        st = scar__relabel(&m, min_area, ctx, labels, count);
    scar__plane_free(m.data);
    trace_step(p, st, "candidates", labels, *count);
    if (!st && *count > 0)
        st = scar__split_strong_cores(maps, skin, p, ctx, labels, count);
    trace_step(p, st, "strong_cores", labels, *count);
    if (!st && *count > 0)
        st = scar__split_at_saddles(maps, skin, p, ctx, labels, count);
    trace_step(p, st, "saddles", labels, *count);
    /* refine first: neighbouring candidates bound each other's growth;
     * marks: the cuts that are a boxcar's shaded wall (moved at the end)
     * and where a cut was kept out of a glare halo (for step 6) */
    scar__mask marks = {0};
    if (!st && *count > 0)
        st = scar__mask_alloc(w, h, ctx, &marks);
    if (!st && *count > 0)
        st = scar__refine_edges_walls(maps, skin, p, ctx, labels, count,
                                      &marks);
    trace_step(p, st, "refine", labels, *count);
    /* step 6 sees where cuts were kept out of a glare halo as glare */
    scar__segment_params p6 = *p;
    scar__mask glare6 = {0};
    if (!st && *count > 0 && p->glare && marks.data) {
        st = scar__mask_alloc(w, h, ctx, &glare6);
        for (uint32_t y = 0; !st && y < h; y++) {
            const uint8_t *g = scar__mask_row(p->glare, y);
            const uint8_t *mk = scar__mask_row(&marks, y);
            uint8_t *o = scar__mask_row(&glare6, y);
            for (uint32_t x = 0; x < w; x++)
                o[x] = g[x] || (mk[x] & SCAR__MARK_HALO);
        }
        p6.glare = &glare6;
    }
    /* a stria's pieces judged together: alone, each is judged at its own
     * small scale, where a faint stria's pieces fall just below the level */
    if (!st && *count > 1)
        st = scar__join_collinear(maps, skin, p, ctx, labels, count, 1);
    trace_step(p, st, "collinear_pieces", labels, *count);
    /* also with no candidate: the detection limits are reported */
    if (!st)
        st = scar__region_significance_limits(maps, skin, &p6, ctx, labels,
                                              count, maps->limit);
    trace_step(p, st, "significance", labels, *count);
    scar__plane_free(glare6.data);
    /* last: a lesion's fragments are known only once each has passed */
    if (!st && *count > 1)
        st = scar__merge_fragments(maps, skin, p, ctx, labels, count);
    trace_step(p, st, "merge", labels, *count);
    /* then pieces of one long lesion (a stria) on one line */
    if (!st && *count > 1)
        st = scar__join_collinear(maps, skin, p, ctx, labels, count, 0);
    trace_step(p, st, "collinear", labels, *count);
    /* shaded walls moved onto their bowls once the regions are final */
    if (!st && *count > 0)
        st = scar__shift_walls(maps, skin, p, &marks, ctx, labels, *count);
    scar__plane_free(marks.data);
    trace_step(p, st, "walls", labels, *count);
    /* the outlines closed at their own scale, on the final regions */
    if (!st && *count > 0)
        st = scar__close_outlines(skin, p->px_per_mm, ctx, labels, *count);
    trace_step(p, st, "outlines", labels, *count);
    return st;
}
