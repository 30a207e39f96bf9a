/* touching.c — regions that touch after refinement: joined when their
 * colour differences agree, kept apart when opposed; see segment.h and
 * docs/segment.md.
 *
 * Each region is refined on its own and may grow up to a neighbour's
 * edge. Joining every pair that touches (the relabelling of all
 * non-zero pixels) put a dark pit and the lighter skin patch beside it,
 * or the fragments of two lesions of opposite kinds, into one region
 * that matches neither. Two fragments of one lesion differ from the skin
 * the same way; a pit and the lighter skin around it do not. Nor is an
 * icepick one lesion with the faint darker skin it touches: a pit stays
 * apart from a region PIT_APART_CONTRAST times fainter or stronger (mean
 * residual norm). */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

/* A pit and a touching region whose mean residual norms differ by more
 * than this factor stay apart. On the cluster phantoms icepicks of ΔE00
 * 14-45 (mean zL -20 to -37 sd) were joined with the faint darker skin
 * or boxcar beside them (mean zL about -5) into regions that matched
 * neither; a factor of 3 also kept apart the fragments of boxcars, which
 * then passed step 6 as false regions (docs/segment.md, step 5). */
#define PIT_APART_CONTRAST 6.0

/* Per region: residual sum (zL, za, zb), pixel count, pit flag. */
typedef struct region_sums {
    double *sum;
    uint64_t *area;
    uint8_t *pit;
} region_sums;

/* Joins a and b (the smaller root stays the root) when their sums point
 * the same way, unless one is a pit and their mean contrasts differ by
 * more than PIT_APART_CONTRAST. */
static void join_if_agreeing(int32_t *parent, const region_sums *r,
                             int32_t a, int32_t b)
{
    const double *u = r->sum + 3 * a, *v = r->sum + 3 * b;
    if (!(u[0] * v[0] + u[1] * v[1] + u[2] * v[2] > 0.0))
        return;
    if (r->pit[a] || r->pit[b]) {
        double na = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]) /
                    (double)r->area[a];
        double nb = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) /
                    (double)r->area[b];
        if (na > PIT_APART_CONTRAST * nb || nb > PIT_APART_CONTRAST * na)
            return;
    }
    scar__uf_unite(parent, a, b);
}

/* r->area and r->pit of regions 1..n: a pit holds a dark pixel (zL < 0)
 * at score >= SCAR__PIT_Z and is at most SCAR__PIT_MAX_MM across (its
 * pixel count within the disc of that diameter), as in merge.c. */
static void count_pits(const scar__anomaly_maps *maps,
                       const scar__labels *labels, int32_t n,
                       double px_per_mm, region_sums *r)
{
    for (uint32_t y = 0; y < labels->height; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const float *zl = scar__planef_row(&maps->zL, y);
        const float *sc = scar__planef_row(&maps->score, y);
        for (uint32_t x = 0; x < labels->width; x++) {
            int32_t k = l[x];
            if (k <= 0 || k > n)
                continue;
            r->area[k]++;
            if (zl[x] < 0.0f && sc[x] >= SCAR__PIT_Z)
                r->pit[k] = 1;
        }
    }
    double rad = 0.5 * SCAR__PIT_MAX_MM * px_per_mm;
    double max_px = 3.14159265358979323846 * rad * rad;
    for (int32_t k = 1; k <= n; k++)
        r->pit[k] = r->pit[k] && (double)r->area[k] <= max_px;
}

int scar__relabel_agreeing(const scar__anomaly_maps *maps,
                           scar__labels *labels, uint64_t min_area,
                           double px_per_mm, const char *ctx, int32_t *count)
{
    int32_t n = *count;
    if (n <= 0) {
        *count = 0;
        return SCAR_OK;
    }
    region_sums r = {calloc(3 * ((size_t)n + 1), sizeof *r.sum),
                     calloc((size_t)n + 1, sizeof *r.area),
                     calloc((size_t)n + 1, 1)};
    int32_t *parent = malloc(((size_t)n + 1) * sizeof *parent);
    if (!r.sum || !r.area || !r.pit || !parent) {
        free(r.sum);
        free(r.area);
        free(r.pit);
        free(parent);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (touching "
                          "regions)", ctx);
    }
    for (int32_t k = 0; k <= n; k++)
        parent[k] = k;
    scar__direction_sums(maps, labels, n, r.sum);
    count_pits(maps, labels, n, px_per_mm, &r);
    /* each 8-neighbour pair once: right, and the three below */
    uint32_t w = labels->width, h = labels->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const int32_t *d = y + 1 < h ? scar__labels_row(labels, y + 1) : NULL;
        for (uint32_t x = 0; x < w; x++) {
            int32_t a = l[x];
            if (a <= 0 || a > n)
                continue;
            int32_t nb[4] = {x + 1 < w ? l[x + 1] : 0, d ? d[x] : 0,
                             d && x + 1 < w ? d[x + 1] : 0,
                             d && x > 0 ? d[x - 1] : 0};
            for (int j = 0; j < 4; j++)
                if (nb[j] > 0 && nb[j] <= n && nb[j] != a)
                    join_if_agreeing(parent, &r, a, nb[j]);
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x] > 0 && l[x] <= n)
                l[x] = scar__uf_root(parent, l[x]);
    }
    free(r.sum);
    free(r.area);
    free(r.pit);
    free(parent);
    int32_t parts = 0;
    int st = scar__label_values(labels, 8, labels, &parts);
    if (!st)
        st = scar__drop_small_labels(labels, parts, min_area, ctx, count);
    return st;
}
