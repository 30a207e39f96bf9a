/* split.c — a strong, compact core inside a much larger candidate becomes
 * a region of its own before refinement; see segment.h and docs/segment.md.
 *
 * Hysteresis grows a candidate through everything above z_low that touches
 * a seed, so an icepick scar (tens of robust sd) can sit in a candidate
 * tens of times its size made of faint mottling or JPEG-blocky chroma. The
 * refinement then takes its contrast direction and peak from the candidate
 * as a whole — the faint part — and the pit, which projects weakly on that
 * direction, is cut away. Here each connected set of dark pixels at or
 * above SPLIT_CORE_LOW_Z inside a candidate that holds one at or above
 * SCAR__PIT_Z (a core) is judged by its strong part, the pixels at or
 * above SCAR__PIT_Z grown by SPLIT_GROW_MM within the candidate: the core
 * becomes a new region when that part is round (a pit; a crescent is a
 * scar's shaded wall) and the candidate is at least SPLIT_MIN_RATIO times
 * larger, or SPLIT_MIN_RATIO_BESIDE times when the rest of the candidate
 * is something else beside the pit: it differs from the skin the other
 * way (a dark pit at the edge of a paler mottle: the rest's sum of
 * residuals has a negative dot product with the core's), or its centroid
 * lies outside the grown core's equivalent disc (a boxcar beside an
 * icepick). Such a candidate is two things: cut as one, at half of its
 * strongest peak or along the rest's direction, it loses one of them.
 * Where the rest surrounds the pit (its own darker or redder halo), the
 * candidate's cut at half of the pit's peak keeps the pit, and a split
 * would leave a pit and a halo that touch, agree and are joined again
 * into a weaker region. The new region is the whole core grown when that
 * is still a pit (round, at most SPLIT_MAX_DIAMETER_MM across, at most
 * SPLIT_MAX_EXTENT_SHARE of the candidate), else the strong part grown:
 * the dark pixels of 12-15 sd joined to a pit's strong pixels are its
 * flanks (on the acne-cheek phantoms this lowered the ΔE00 error). The
 * decision stays the strong part's, because the whole core of a boxcar's
 * wall can be a round bowl, and a larger core fails the ratio where the
 * strong part alone split two neighbours apart (docs/segment.md, step 3,
 * session 26). The rest keeps its label, and both are refined and tested
 * on their own. The pits of an acne-scarred cheek can lie closer than
 * twice the growth: the grown pixels are shared among the
 * cores they grew from (share_grown), so that neighbouring pits stay
 * apart instead of growing into one blob too large and too irregular to
 * be a pit. Then the pits whose score stays under SCAR__PIT_Z are looked
 * for by their shape: the dark blobs of a pit's size in zL
 * (pit_blobs.c) left in each candidate are cores of their own, judged
 * by the same tests, at most SPLIT_BLOB_MAX_DIAMETER_MM across grown
 * (docs/segment.md, step 3, "Pits found as blobs"). Last, on textured
 * skin a pit's score can stay under SCAR__PIT_Z (the z unit is the
 * mottling's spread) while a lighter mottle around it joins it to a
 * candidate many times its size, whose lighter mean then steers the cut
 * of step 4 away from the pit: each dark component at the seed level
 * (z_high) left in a candidate is a core of its own when it is darker
 * than the skin by DARK_CORE_MAX_ZL and the rest of the candidate
 * lighter by LIGHT_REST_MIN_ZL (mean zL), round, at most
 * DARK_CORE_MAX_DIAMETER_MM across grown and the candidate at least
 * SPLIT_MIN_RATIO times larger (docs/segment.md, step 3, "Dark cores in
 * lighter candidates"). */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

#define SPLIT_GROW_MM 0.5    /* the core's own soft edge */
#define SPLIT_MIN_RATIO 4.0 /* candidate area / grown core area */
#define SPLIT_MIN_RATIO_BESIDE 2.0 /* the same, the rest beside it */
#define SPLIT_MAX_DIAMETER_MM 3.0 /* grown core: a pit, not a scar's shade */
#define SPLIT_MAX_ELONGATION 2.0 /* major / minor axis: a pit, not a wall */
#define SPLIT_CORE_LOW_Z 12.0f /* a core's extent: hysteresis down to here */
#define SPLIT_MAX_EXTENT_SHARE 0.5 /* whole core grown / candidate area */
/* A pit found as a blob (pit_blobs.c), grown: at most this across. With
 * the 3 mm of the strong cores, boxcar floors 2-3 mm across were split
 * from their candidates (docs/segment.md). */
#define SPLIT_BLOB_MAX_DIAMETER_MM 2.0
/* A dark core at the seed level in a lighter candidate (robust sd of zL,
 * mean over the grown core and over the rest of the candidate): a pit is
 * darker than the skin, the mottle around it lighter. Set on the
 * benchmark phantoms: the split cores that lie on no lesion had a mean zL
 * of -0.3 at the median (their score is chroma), those on a lesion -1.0
 * (docs/segment.md). */
#define DARK_CORE_MAX_ZL (-0.5)
#define LIGHT_REST_MIN_ZL 0.3
/* Grown, at most this across: icepick and boxcar scars (up to about 4 mm)
 * with their 0.5 mm growth. */
#define DARK_CORE_MAX_DIAMETER_MM 5.0

/* Which cores split_one takes and how it judges them. */
typedef enum split_rule {
    SPLIT_STRONG,       /* dark pixels >= SPLIT_CORE_LOW_Z with one at
                         * SCAR__PIT_Z; ratio 4, or 2 beside */
    SPLIT_MARKED,       /* the dark pixels of a mask (pit blobs), each
                         * component its own strong part; ratio as above */
    SPLIT_DARK_IN_LIGHT /* the same, kept only where the core is darker
                         * and the rest lighter than the skin; ratio 4 */
} split_rule;

/* The grown mask shared among the cores: `cl` holds the cores' labels on
 * entry; on return each pixel of `grown` that a core reaches within it
 * carries the label of the core that reached it first (4-neighbour
 * breadth-first search seeded in raster order: deterministic); pixels no
 * core reaches stay 0. */
static int share_grown(const scar__mask *grown, scar__labels *cl,
                       const char *ctx)
{
    uint32_t w = cl->width, h = cl->height;
    uint32_t *queue = malloc((size_t)w * h * sizeof *queue);
    if (!queue)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (split)", ctx);
    size_t head = 0, tail = 0;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *q = scar__labels_row(cl, y);
        for (uint32_t x = 0; x < w; x++)
            if (q[x])
                queue[tail++] = y * w + x;
    }
    while (head < tail) {
        uint32_t at = queue[head++], y = at / w, x = at % w;
        int32_t lab = scar__labels_row(cl, y)[x];
        /* x - 1 and y - 1 wrap around at 0: out of range like w and h */
        const uint32_t nx[4] = {x + 1, x - 1, x, x};
        const uint32_t ny[4] = {y, y, y + 1, y - 1};
        for (int d = 0; d < 4; d++) {
            if (nx[d] >= w || ny[d] >= h)
                continue;
            int32_t *t = scar__labels_row(cl, ny[d]) + nx[d];
            if (*t || !scar__mask_row(grown, ny[d])[nx[d]])
                continue;
            *t = lab;
            queue[tail++] = ny[d] * w + nx[d];
        }
    }
    free(queue);
    return SCAR_OK;
}

/* Per grown core: the sums split_one's tests take. */
typedef struct core_sums {
    uint64_t area;   /* strong part grown, or the whole core grown */
    uint64_t strong; /* pixels at >= SCAR__PIT_Z (strong part only) */
    double m[5];     /* sums of x, y, xx, yy, xy */
    double z[3];     /* sums of zL, za, zb (strong part only) */
} core_sums;

static void core_sums_add(core_sums *c, uint32_t x, uint32_t y)
{
    c->area++;
    c->m[0] += x;
    c->m[1] += y;
    c->m[2] += (double)x * x;
    c->m[3] += (double)y * y;
    c->m[4] += (double)x * y;
}

static int core_sums_round(const core_sums *c)
{
    return scar__elongation((double)c->area, c->m[0], c->m[1], c->m[2],
                            c->m[3], c->m[4]) <= SPLIT_MAX_ELONGATION;
}

/* The cores of region rg, in a window around its box: each becomes region
 * *next (then incremented) when it qualifies. A core is a connected set
 * of dark pixels at >= SPLIT_CORE_LOW_Z holding one at >= SCAR__PIT_Z;
 * its strong part (those at >= SCAR__PIT_Z) grown decides, and the whole
 * core grown is the new region's extent when that is still a pit. With
 * `pits` (not NULL; rules SPLIT_MARKED and SPLIT_DARK_IN_LIGHT), the cores
 * are instead the dark pixels of the mask, each component its own strong
 * part. */
static int split_one(const scar__anomaly_maps *maps, const scar__mask *pits,
                     split_rule rule, const scar__region *rg, uint32_t grow,
                     double min_px, double max_px, const char *ctx,
                     scar__labels *labels, int32_t *next)
{
    uint32_t x0 = rg->x0 > grow ? rg->x0 - grow : 0;
    uint32_t y0 = rg->y0 > grow ? rg->y0 - grow : 0;
    uint32_t x1 = rg->x1 + grow < labels->width ? rg->x1 + grow : labels->width;
    uint32_t y1 = rg->y1 + grow < labels->height ? rg->y1 + grow : labels->height;
    uint32_t w = x1 - x0, h = y1 - y0;
    int32_t k = rg->label;
    scar__mask core = {0}, grown = {0}, strong = {0}, strong_grown = {0};
    scar__labels cl = {0};
    core_sums *part = NULL, *whole = NULL; /* per core */
    double ztot[3] = {0.0, 0.0, 0.0}; /* the same over the candidate */
    int32_t *nl = NULL;
    uint8_t *wide = NULL; /* per core: the whole core grown is the extent */
    int32_t n = 0;
    int st = scar__mask_alloc(w, h, ctx, &core);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &grown);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &strong);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &strong_grown);
    if (!st)
        st = scar__labels_alloc(w, h, ctx, &cl);
    if (st)
        goto done;
    uint64_t nstrong = 0;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y0 + y) + x0;
        const float *sc = scar__planef_row(&maps->score, y0 + y) + x0;
        const float *zl = scar__planef_row(&maps->zL, y0 + y) + x0;
        const uint8_t *pb = pits ? scar__mask_row(pits, y0 + y) + x0 : NULL;
        uint8_t *c = scar__mask_row(&core, y), *s = scar__mask_row(&strong, y);
        for (uint32_t x = 0; x < w; x++) {
            int dark = l[x] == k && zl[x] < 0.0f;
            c[x] = dark && (pb ? pb[x] != 0 : sc[x] >= SPLIT_CORE_LOW_Z);
            s[x] = dark && (pb ? pb[x] != 0 : sc[x] >= SCAR__PIT_Z);
            nstrong += s[x];
        }
    }
    if ((double)nstrong < min_px)
        goto done;
    st = scar__label(&core, NULL, 8, &cl, &n);
    if (st || n == 0)
        goto done;
    /* only the cores that hold a strong pixel */
    uint8_t *has = calloc((size_t)n + 1, 1);
    if (!has) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (split)", ctx);
        goto done;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *q = scar__labels_row(&cl, y);
        const uint8_t *s = scar__mask_row(&strong, y);
        for (uint32_t x = 0; x < w; x++)
            if (s[x])
                has[q[x]] = 1;
    }
    for (uint32_t y = 0; y < h; y++) {
        int32_t *q = scar__labels_row(&cl, y);
        uint8_t *c = scar__mask_row(&core, y);
        for (uint32_t x = 0; x < w; x++)
            if (q[x] && !has[q[x]]) {
                q[x] = 0;
                c[x] = 0;
            }
    }
    free(has);
    st = scar__dilate_disk(&core, grow, &grown);
    if (!st)
        st = scar__dilate_disk(&strong, grow, &strong_grown);
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y0 + y) + x0;
        uint8_t *g = scar__mask_row(&grown, y);
        for (uint32_t x = 0; x < w; x++)
            g[x] = g[x] && l[x] == k;
    }
    st = share_grown(&grown, &cl, ctx);
    if (st)
        goto done;
    part = calloc((size_t)n + 1, sizeof *part);
    whole = calloc((size_t)n + 1, sizeof *whole);
    nl = calloc((size_t)n + 1, sizeof *nl);
    wide = calloc((size_t)n + 1, 1);
    if (!part || !whole || !nl || !wide) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (split)", ctx);
        goto done;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y0 + y) + x0;
        const int32_t *q = scar__labels_row(&cl, y);
        const uint8_t *s = scar__mask_row(&strong, y);
        const uint8_t *sg = scar__mask_row(&strong_grown, y);
        const float *z[3] = {scar__planef_row(&maps->zL, y0 + y) + x0,
                             scar__planef_row(&maps->za, y0 + y) + x0,
                             scar__planef_row(&maps->zb, y0 + y) + x0};
        for (uint32_t x = 0; x < w; x++) {
            if (q[x]) {
                core_sums_add(&whole[q[x]], x, y);
                if (sg[x]) {
                    core_sums_add(&part[q[x]], x, y);
                    part[q[x]].strong += s[x];
                }
            }
            if (l[x] != k || !isfinite(z[0][x]) || !isfinite(z[1][x]) ||
                !isfinite(z[2][x]))
                continue;
            for (int c = 0; c < 3; c++) {
                ztot[c] += z[c][x];
                if (q[x] && sg[x])
                    part[q[x]].z[c] += z[c][x];
            }
        }
    }
    /* new labels for grown cores with enough strong pixels, small enough
     * against the candidate; 0 = stays in k */
    for (int32_t i = 1; i <= n; i++) {
        const core_sums *c = &part[i];
        double a = (double)c->area;
        if (c->strong == 0)
            continue;
        double dot = 0.0; /* core . rest */
        for (int j = 0; j < 3; j++)
            dot += c->z[j] * (ztot[j] - c->z[j]);
        /* the rest's centroid against the grown core's (window
         * coordinates) and its equivalent radius */
        double A = (double)rg->area, beside = 0.0;
        if (A > a) {
            double rx = (A * (rg->centroid_x - x0) - c->m[0]) / (A - a);
            double ry = (A * (rg->centroid_y - y0) - c->m[1]) / (A - a);
            beside = hypot(rx - c->m[0] / a, ry - c->m[1] / a) -
                     sqrt(a / 3.14159265358979323846);
        }
        double ratio = dot < 0.0 || beside > 0.0 ? SPLIT_MIN_RATIO_BESIDE
                                                 : SPLIT_MIN_RATIO;
        if (rule == SPLIT_DARK_IN_LIGHT) {
            /* mean zL of the grown core and of the rest */
            int dark_in_light = A > a &&
                                c->z[0] <= DARK_CORE_MAX_ZL * a &&
                                ztot[0] - c->z[0] >= LIGHT_REST_MIN_ZL * (A - a);
            if (!dark_in_light)
                continue;
            ratio = SPLIT_MIN_RATIO;
        }
        int split = core_sums_round(c) && (double)c->strong >= min_px &&
                    a <= max_px && a * ratio <= A && *next < INT32_MAX;
        nl[i] = split ? (*next)++ : 0;
        double aw = (double)whole[i].area;
        wide[i] = core_sums_round(&whole[i]) && aw <= max_px &&
                  aw <= SPLIT_MAX_EXTENT_SHARE * A;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *q = scar__labels_row(&cl, y);
        const uint8_t *sg = scar__mask_row(&strong_grown, y);
        int32_t *l = scar__labels_row(labels, y0 + y) + x0;
        for (uint32_t x = 0; x < w; x++)
            if (q[x] && nl[q[x]] && (wide[q[x]] || sg[x]))
                l[x] = nl[q[x]];
    }
done:
    free(part);
    free(whole);
    free(nl);
    free(wide);
    scar__plane_free(core.data);
    scar__plane_free(grown.data);
    scar__plane_free(strong.data);
    scar__plane_free(strong_grown.data);
    scar__plane_free(cl.data);
    return st;
}

/* Clears from `pits` each blob (8-connected) that overlaps a label above
 * n0 (a pit split from its candidate by its score). */
static int drop_taken_blobs(const scar__labels *labels, int32_t n0,
                            const char *ctx, scar__mask *pits)
{
    uint32_t w = labels->width, h = labels->height;
    scar__labels comp = {0};
    int32_t n = 0;
    int st = scar__labels_alloc(w, h, ctx, &comp);
    if (!st)
        st = scar__label(pits, NULL, 8, &comp, &n);
    uint8_t *taken = st || n == 0 ? NULL : calloc((size_t)n + 1, 1);
    if (!st && n > 0 && !taken)
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (split)", ctx);
    for (uint32_t y = 0; taken && y < h; y++) {
        const int32_t *q = scar__labels_row(&comp, y);
        const int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < w; x++)
            if (q[x] && l[x] > n0)
                taken[q[x]] = 1;
    }
    for (uint32_t y = 0; taken && y < h; y++) {
        const int32_t *q = scar__labels_row(&comp, y);
        uint8_t *o = scar__mask_row(pits, y);
        for (uint32_t x = 0; x < w; x++)
            if (q[x] && taken[q[x]])
                o[x] = 0;
    }
    free(taken);
    scar__plane_free(comp.data);
    return st;
}

/* pits = the dark pixels (zL < 0) at score >= level in the candidates
 * 1..n0 (what step 3 found). */
static void mark_dark_cores(const scar__anomaly_maps *maps,
                            const scar__labels *labels, int32_t n0,
                            float level, scar__mask *pits)
{
    for (uint32_t y = 0; y < labels->height; y++) {
        const float *sc = scar__planef_row(&maps->score, y);
        const float *zl = scar__planef_row(&maps->zL, y);
        const int32_t *l = scar__labels_row(labels, y);
        uint8_t *o = scar__mask_row(pits, y);
        for (uint32_t x = 0; x < labels->width; x++)
            o[x] = l[x] > 0 && l[x] <= n0 && zl[x] < 0.0f && sc[x] >= level;
    }
}

/* The cores marked in `pits` (each component its own strong part) of
 * candidates 1..n0, judged by `rule`, at most max_mm across grown; a
 * component that overlaps a region split before (a label above n0) is
 * that region's. */
static int split_marked(const scar__anomaly_maps *maps, scar__mask *pits,
                        split_rule rule, double max_mm, int32_t n0,
                        uint32_t grow, double min_px, double ppm,
                        const char *ctx, scar__labels *labels, int32_t *next)
{
    int st = *next - 1 > n0 ? drop_taken_blobs(labels, n0, ctx, pits)
                            : SCAR_OK;
    /* per candidate, its dark marked pixels (split_one's strong part):
     * most candidates hold fewer than min_px and need no window */
    uint64_t *marked = st ? NULL : calloc((size_t)n0 + 1, sizeof *marked);
    if (!st && !marked)
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (split)", ctx);
    for (uint32_t y = 0; !st && y < labels->height; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const uint8_t *m = scar__mask_row(pits, y);
        const float *zl = scar__planef_row(&maps->zL, y);
        for (uint32_t x = 0; x < labels->width; x++)
            if (m[x] && l[x] > 0 && l[x] <= n0 && zl[x] < 0.0f)
                marked[l[x]]++;
    }
    scar__region *props = NULL;
    if (!st)
        st = scar__regionprops(labels, *next - 1, 0, &props);
    double r = 0.5 * max_mm * ppm;
    double max_px = 3.14159265358979323846 * r * r;
    for (int32_t i = 0; i < n0 && !st; i++)
        if ((double)props[i].area >= SPLIT_MIN_RATIO_BESIDE * min_px &&
            (double)marked[i + 1] >= min_px)
            st = split_one(maps, pits, rule, &props[i], grow, min_px, max_px,
                           ctx, labels, next);
    scar__regionprops_free(props);
    free(marked);
    return st;
}

int scar__split_strong_cores(const scar__anomaly_maps *maps,
                             const scar__mask *skin,
                             const scar__segment_params *p, const char *ctx,
                             scar__labels *labels, int32_t *count)
{
    if (*count <= 0)
        return SCAR_OK;
    scar__region *props = NULL;
    int st = scar__regionprops(labels, *count, 0, &props);
    if (st)
        return st;
    double ppm = p->px_per_mm;
    uint32_t grow = (uint32_t)fmax(1.0, round(SPLIT_GROW_MM * ppm));
    double min_px = fmax(1.0, p->min_area_mm2 * ppm * ppm);
    double r = 0.5 * SPLIT_MAX_DIAMETER_MM * ppm;
    double max_px = 3.14159265358979323846 * r * r;
    int32_t n0 = *count, next = n0 + 1;
    for (int32_t i = 0; i < n0 && !st; i++)
        if ((double)props[i].area >= SPLIT_MIN_RATIO_BESIDE * min_px)
            st = split_one(maps, NULL, SPLIT_STRONG, &props[i], grow, min_px,
                           max_px, ctx, labels, &next);
    scar__regionprops_free(props);
    /* then the pits found as blobs (pit_blobs.c) in what is left of each
     * candidate, with the same tests; a blob that overlaps a pit split
     * above is that pit's */
    scar__mask pits = {0};
    if (!st)
        st = scar__mask_alloc(labels->width, labels->height, ctx, &pits);
    if (!st)
        st = scar__pit_blobs(&maps->zL, skin, p->px_per_mm, ctx, &pits);
    if (!st)
        st = split_marked(maps, &pits, SPLIT_MARKED, SPLIT_BLOB_MAX_DIAMETER_MM,
                          n0, grow, min_px, ppm, ctx, labels, &next);
    /* then the dark cores at the seed level in lighter candidates, where
     * no pit was split above */
    if (!st) {
        mark_dark_cores(maps, labels, n0, (float)p->z_high, &pits);
        st = split_marked(maps, &pits, SPLIT_DARK_IN_LIGHT,
                          DARK_CORE_MAX_DIAMETER_MM, n0, grow, min_px, ppm,
                          ctx, labels, &next);
    }
    scar__plane_free(pits.data);
    *count = next - 1;
    return st;
}
