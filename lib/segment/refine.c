/* refine.c — move each region's edge to where its own contrast falls to
 * half of its peak; see segment.h and docs/segment.md.
 *
 * The hysteresis mask follows a threshold in noise units, so a strong
 * lesion comes out too large (its soft tail is still many sigma above the
 * noise) and a faint one too small. Annotators, and the phantoms' truth,
 * draw the edge at half the lesion's own contrast (the full width at half
 * maximum convention of imaging). Per region: the contrast signal c is the
 * residual projected on the region's mean residual direction (colour
 * lesions) or the anomaly score (shading patterns, whose residual changes
 * sign across the lesion); its baseline B is the median of c in a band
 * around the region, its peak P a high percentile inside; the new region is
 * the connected set c >= B + (P - B)/2 that overlaps the old one, grown at
 * most a bounded distance, holes filled. A small, sharp pit is cut on its
 * symmetrised contrast (symmetrise): its shaded outer wall is not the pit.
 * When the pores give the light's side (light_axis.c), a raised scar is
 * cut on its plateau's chroma and a depression's (a boxcar's) shaded wall
 * is mirrored to its lit one (relief.c, mirror_union); one with a paler
 * floor is cut on its score, both walls, and closed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/robust.h"
#include "segment/segment.h"

#define BAND_INNER_MM 0.75     /* baseline band, distance from the region */
#define BAND_OUTER_MM 1.5
#define BAND_INNER_MIN_PX 3.0
#define BAND_OUTER_MIN_PX 6.0
#define GROW_MAX_MM 1.5        /* the edge moves out at most this far ... */
#define GROW_MAX_RADIUS_FRAC 0.5 /* ... or this fraction of the radius */
#define PEAK_PERCENTILE 0.95
/* A pointed profile (an icepick's cone) has few pixels near its apex, so
 * the 95th percentile sits well below the peak; the 99th percentile less
 * its expected excess over the 95th under unit noise (Phi^-1(0.99) -
 * Phi^-1(0.95) = 2.3263 - 1.6449) is an unbiased peak for a noisy plateau
 * and follows a sharp apex. Peak = max of the two. */
#define PEAK_HIGH_PERCENTILE 0.99
#define PEAK_NOISE_GAP 0.6815
#define PEAK_SHARP_MIN_CONTRAST 10.0
#define COHERENCE_MIN 0.5      /* |mean v| / mean |v| for a colour lesion */
#define MIN_CONTRAST 1.0       /* P - B in robust sd; else left as is */
#define CORE_DEPTH_FRAC 0.5    /* core: inner half by distance to the edge */
#define CORE_MIN_PX 20
/* Pits (symmetrise): a sharp coherent peak at least this many robust sd
 * above the baseline, in a candidate no wider than this (icepick scars
 * are < 2 mm; their candidate takes in the shading around them) */
#define PIT_SYMM_MIN_CONTRAST 15.0
#define PIT_SYMM_MAX_DIAMETER_MM 4.0
#define PIT_SYMM_CORE 0.75     /* core: c >= base + 0.75 (peak - base) */
#define PIT_SYMM_KEEP 0.65     /* else the lesion is not symmetric */
#define PI 3.14159265358979323846
#define LN2 0.69314718055994530942
/* The top (>= PIT_SYMM_CORE of the contrast) of a sharp peak in a
 * depression: an icepick's is round, a boxcar's steep wall a crescent.
 * Measured on the phantoms' depressed candidates wider than 4 mm with a
 * peak >= 15 sd (docs/segment.md): icepicks 1.0-1.7 (one 3.5), boxcars
 * 2.0-5.3 (one 1.1). */
#define WALL_MIN_ELONGATION 2.0
/* A pit (is_pit: a dip of PIT_LOCAL_DIP robust sd, the icepick level of
 * PEAK_SHARP_MIN_CONTRAST, below the skin within PIT_RING_MM around it,
 * with a dark pixel at score >= SCAR__PIT_Z) may be smaller than
 * min_area_mm2, down to PIT_MIN_AREA_FRAC of it and PIT_MIN_AREA_PX
 * analysed pixels: icepick scars are 0.5-2 mm across, and the smallest
 * are under 0.25 mm^2 (docs/segment.md). */
/* A dark region of a depression's size (NOTCH_MIN_MM to NOTCH_MAX_MM
 * across, the boxcar sizes of relief.c) that is not mirrored: its cut is
 * closed by a disc of NOTCH_CLOSE_FRAC of the candidate's diameter within
 * the candidate (close_within_candidate). A boxcar whose relief test is
 * undecided (dark floor, faint lit wall) is cut to its shaded wall, a C
 * around its floor (docs/segment.md). */
#define NOTCH_MIN_MM 1.5
#define NOTCH_MAX_MM 6.0
#define NOTCH_CLOSE_FRAC 0.35
/* A candidate at least this elongated (major / minor axis of its moment
 * ellipse) is a band, not a boxcar: a boxcar's candidate is round, or the
 * crescent of its shaded wall (about 2.3 for a half annulus). */
#define BAND_MIN_ELONGATION 4.0
/* A boxcar seen as its shaded wall alone (complete_crescent): the cut of
 * such a dark, depression-sized region whose relief test is undecided is
 * a crescent — solidity below CRESCENT_MAX_SOLIDITY — whose bay (from its
 * centroid to its convex hull's) points away from the light within
 * acos(CRESCENT_MIN_BAY_COS) = 45.6 degrees, as a wall toward the light
 * around a floor does; mottling's crescents point anywhere, and three in
 * four of them fail it. The wall is mirrored across the line
 * perpendicular to the light CRESCENT_MIRROR_FRAC of the way from its
 * centroid to its far tips (at the tips the bowls came out 1.5-2 times
 * too large: a wall's shading reaches past the rim) and the hull of both
 * taken, unless it exceeds CRESCENT_MAX_GROWTH times the wall (a thin
 * wall's bowl is about 5 times its area). */
/* Shadow-coloured dark cuts (is_shaded_wall): the mean residual's b*
 * component below -WALL_MAX_B and a* component below WALL_MAX_A of its
 * length. On the phantoms' matched lesions of that kind (dark, undecided
 * relief, 1.5-6 mm): boxcars b* -0.46 (90 % below -0.26), a* -0.11;
 * pigment patches b* +0.19 (90 % above -0.12); erythema a* +0.87. */
#define WALL_MAX_B 0.2
#define WALL_MAX_A 0.3
#define CRESCENT_MAX_SOLIDITY 0.8
#define CRESCENT_MIN_BAY_COS 0.7
#define CRESCENT_MIRROR_FRAC 0.5
#define CRESCENT_MAX_GROWTH 6.0
#define PIT_MIN_AREA_FRAC 0.4
#define PIT_MIN_AREA_PX 2
#define PIT_RING_MM 0.5
#define PIT_LOCAL_DIP 10.0
typedef struct window {
    uint32_t x0, y0, w, h;
} window;

typedef struct scratch {
    scar__mask reg, cand;
    scar__planef dist, c;
    float *vals;
    size_t cap;
} scratch;

static void scratch_free(scratch *s)
{
    scar__plane_free(s->reg.data);
    scar__plane_free(s->cand.data);
    scar__plane_free(s->dist.data);
    scar__plane_free(s->c.data);
    free(s->vals);
    memset(s, 0, sizeof *s);
}

static int scratch_alloc(scratch *s, uint32_t w, uint32_t h, const char *ctx)
{
    scratch_free(s);
    int st = scar__mask_alloc(w, h, ctx, &s->reg);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &s->cand);
    if (!st)
        st = scar__planef_alloc(w, h, ctx, &s->dist);
    if (!st)
        st = scar__planef_alloc(w, h, ctx, &s->c);
    if (!st) {
        s->cap = (size_t)w * h;
        s->vals = malloc(s->cap * sizeof *s->vals);
        if (!s->vals)
            st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (refine)", ctx);
    }
    return st;
}

/* Sum of the residual vectors (mv) and of their lengths (*mabs) over the
 * region's skin pixels in the window (s->reg), restricted to those at
 * least `dmin` from the region's edge when `dist` is given; returns how
 * many were summed (raster order: the sums are deterministic). */
static uint64_t sum_direction(const scar__anomaly_maps *maps,
                              const scar__mask *skin, const window *win,
                              const scar__mask *reg, const scar__planef *dist,
                              float dmin, double mv[3], double *mabs)
{
    uint64_t n = 0;
    mv[0] = mv[1] = mv[2] = 0.0;
    *mabs = 0.0;
    for (uint32_t y = 0; y < win->h; y++) {
        const uint8_t *r = scar__mask_row(reg, y);
        const uint8_t *sk = scar__mask_row(skin, win->y0 + y) + win->x0;
        const float *zl = scar__planef_row(&maps->zL, win->y0 + y) + win->x0;
        const float *za = scar__planef_row(&maps->za, win->y0 + y) + win->x0;
        const float *zb = scar__planef_row(&maps->zb, win->y0 + y) + win->x0;
        const float *d = dist ? scar__planef_row(dist, y) : NULL;
        for (uint32_t x = 0; x < win->w; x++) {
            if (!r[x] || !sk[x] || (d && !(d[x] >= dmin)) ||
                !isfinite(zl[x]) || !isfinite(za[x]) || !isfinite(zb[x]))
                continue;
            mv[0] += zl[x];
            mv[1] += za[x];
            mv[2] += zb[x];
            *mabs += sqrt((double)zl[x] * zl[x] + (double)za[x] * za[x] +
                          (double)zb[x] * zb[x]);
            n++;
        }
    }
    return n;
}

/* Mean residual direction over the region's core (pixels at least
 * CORE_DEPTH_FRAC of the region's largest inner distance from its edge)
 * and whether it is coherent. Uses s->dist as scratch. */
static int core_direction(const scar__anomaly_maps *maps,
                          const scar__mask *skin, const window *win,
                          scratch *s, double mv[3], int *coherent)
{
    int st = scar__edt(&s->reg, 0, &s->dist);
    if (st)
        return st;
    float dmax = 0.0f;
    for (uint32_t y = 0; y < win->h; y++) {
        const float *d = scar__planef_row(&s->dist, y);
        for (uint32_t x = 0; x < win->w; x++)
            if (isfinite(d[x]) && d[x] > dmax)
                dmax = d[x];
    }
    double mabs;
    uint64_t n = sum_direction(maps, skin, win, &s->reg, &s->dist,
                               (float)CORE_DEPTH_FRAC * dmax, mv, &mabs);
    double norm = sqrt(mv[0] * mv[0] + mv[1] * mv[1] + mv[2] * mv[2]);
    *coherent = n >= CORE_MIN_PX && norm > 0.0 && norm >= COHERENCE_MIN * mabs;
    return SCAR_OK;
}

/* Elongation (major over minor axis, scar__elongation) of the region's
 * pixels with contrast >= level (s->c over s->reg); 1 for fewer than 3
 * pixels (too few to tell a crescent). */
static double top_elongation(const window *win, const scratch *s, float level)
{
    double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (uint32_t y = 0; y < win->h; y++) {
        const uint8_t *r = scar__mask_row(&s->reg, y);
        const float *c = scar__planef_row(&s->c, y);
        for (uint32_t x = 0; x < win->w; x++)
            if (r[x] && c[x] >= level) {
                n += 1;
                sx += x;
                sy += y;
                sxx += (double)x * x;
                syy += (double)y * y;
                sxy += (double)x * y;
            }
    }
    return n < 3 ? 1.0 : scar__elongation(n, sx, sy, sxx, syy, sxy);
}

/* Symmetrised contrast of a pit: c(x) <- min(c(x), c(x')), x' the mirror
 * image of x across the line through the pit's core (centroid of its
 * pixels with c >= `core`) perpendicular to the light axis (ux, uy).
 * Under directional light a pit's shading is odd about its centre along
 * that axis (one wall lit, the other shaded, the shaded outer wall
 * darker than skin beyond the pit's edge) while its ambient occlusion and
 * colour are even: the minimum keeps the even part on both sides.
 * Undone when fewer than PIT_SYMM_KEEP of the pixels at >= thr, or fewer
 * than min_px, would remain: an asymmetric lesion (a boxcar seen as one
 * wall) is left as it was. */
static int symmetrise(const window *win, scratch *s, double ux, double uy,
                      float core, float thr, double min_px, const char *ctx)
{
    double sx = 0, sy = 0, n = 0;
    for (uint32_t y = 0; y < win->h; y++) {
        const uint8_t *r = scar__mask_row(&s->reg, y);
        const float *c = scar__planef_row(&s->c, y);
        for (uint32_t x = 0; x < win->w; x++)
            if (r[x] && c[x] >= core)
                sx += x, sy += y, n += 1;
    }
    if (n == 0)
        return SCAR_OK;
    double cx = sx / n, cy = sy / n;
    size_t np = (size_t)win->w * win->h;
    float *copy = malloc(np * sizeof *copy);
    if (!copy)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (refine)", ctx);
    for (uint32_t y = 0; y < win->h; y++)
        memcpy(copy + (size_t)y * win->w, scar__planef_row(&s->c, y),
               win->w * sizeof *copy);
    size_t before = 0, after = 0;
    for (size_t i = 0; i < np; i++)
        before += copy[i] >= thr;
    for (uint32_t y = 0; y < win->h; y++) {
        float *c = scar__planef_row(&s->c, y);
        for (uint32_t x = 0; x < win->w; x++) {
            double d = ((double)x - cx) * ux + ((double)y - cy) * uy;
            long rx = lround((double)x - 2.0 * d * ux);
            long ry = lround((double)y - 2.0 * d * uy);
            if (rx >= 0 && ry >= 0 && rx < (long)win->w && ry < (long)win->h) {
                float v = copy[(size_t)ry * win->w + (size_t)rx];
                if (isfinite(v) && isfinite(c[x]) && v < c[x])
                    c[x] = v;
            }
            after += c[x] >= thr;
        }
    }
    if ((double)after < PIT_SYMM_KEEP * (double)before ||
        (double)after < min_px)
        for (uint32_t y = 0; y < win->h; y++)
            memcpy(scar__planef_row(&s->c, y), copy + (size_t)y * win->w,
                   win->w * sizeof *copy);
    free(copy);
    return SCAR_OK;
}

/* Adds to `cand` (window coordinates) the mirror image of `kept` across
 * the line through (cx, cy) perpendicular to (lx, ly), on skin pixels of
 * no other region (label k's own pixels and unlabelled ones). */
static void mirror_union(const scar__mask *kept, const scar__mask *skin,
                         const scar__labels *labels, const window *win,
                         int32_t k, double cx, double cy, double lx,
                         double ly, scar__mask *cand)
{
    for (uint32_t y = 0; y < win->h; y++) {
        const uint8_t *sk = scar__mask_row(skin, win->y0 + y) + win->x0;
        const int32_t *l = scar__labels_row(labels, win->y0 + y) + win->x0;
        uint8_t *cd = scar__mask_row(cand, y);
        for (uint32_t x = 0; x < win->w; x++) {
            if (cd[x] || !sk[x] || (l[x] != 0 && l[x] != k))
                continue;
            double pr = ((double)x - cx) * lx + ((double)y - cy) * ly;
            double mx = (double)x - 2.0 * pr * lx;
            double my = (double)y - 2.0 * pr * ly;
            long ix = lround(mx), iy = lround(my);
            if (ix >= 0 && iy >= 0 && ix < (long)win->w && iy < (long)win->h &&
                scar__mask_row(kept, (uint32_t)iy)[ix])
                cd[x] = 1;
        }
    }
}

/* Pixel count, mean x, y and mean and least projection on (lx, ly) of the
 * set pixels of m (window coordinates). */
typedef struct {
    double n, cx, cy, pc, pmin;
} mask_moments;

static mask_moments moments_of(const scar__mask *m, double lx, double ly)
{
    mask_moments r = {0, 0, 0, 0, HUGE_VAL};
    for (uint32_t y = 0; y < m->height; y++) {
        const uint8_t *row = scar__mask_row(m, y);
        for (uint32_t x = 0; x < m->width; x++) {
            if (!row[x])
                continue;
            double p = (double)x * lx + (double)y * ly;
            r.n += 1;
            r.cx += x;
            r.cy += y;
            r.pc += p;
            if (p < r.pmin)
                r.pmin = p;
        }
    }
    if (r.n > 0) {
        r.cx /= r.n;
        r.cy /= r.n;
        r.pc /= r.n;
    }
    return r;
}

/* The cut s->cand of a dark region whose relief test is undecided: when
 * it is a boxcar's shaded wall (a crescent opening away from the light,
 * see CRESCENT_*), replaced by the hull of the wall and its mirror image
 * (on skin, not in another region); otherwise left as it is. s->reg is
 * scratch. */
static int complete_crescent(scratch *s, const scar__mask *skin,
                             const scar__labels *labels, const window *win,
                             int32_t k, double lx, double ly, const char *ctx)
{
    mask_moments wall = moments_of(&s->cand, lx, ly);
    if (wall.n == 0)
        return SCAR_OK;
    double h_area, h_cx, h_cy;
    int st = scar__convex_fill(&s->cand, &s->reg, &h_area, &h_cx, &h_cy, ctx);
    if (st)
        return st;
    double bx = h_cx - wall.cx, by = h_cy - wall.cy;
    double bay = hypot(bx, by);
    if (!(wall.n < CRESCENT_MAX_SOLIDITY * h_area) || !(bay > 0.0) ||
        -(bx * lx + by * ly) < CRESCENT_MIN_BAY_COS * bay)
        return SCAR_OK;
    scar__mask both = {0};
    st = scar__mask_alloc(win->w, win->h, ctx, &both);
    if (st)
        return st;
    for (uint32_t y = 0; y < win->h; y++)
        memcpy(scar__mask_row(&s->reg, y), scar__mask_row(&s->cand, y),
               win->w);
    double off = CRESCENT_MIRROR_FRAC * (wall.pc - wall.pmin);
    mirror_union(&s->reg, skin, labels, win, k, wall.cx - off * lx,
                 wall.cy - off * ly, lx, ly, &s->cand);
    st = scar__convex_fill(&s->cand, &both, &h_area, &h_cx, &h_cy, ctx);
    if (!st) {
        double n = 0;
        for (uint32_t y = 0; y < win->h; y++) {
            const uint8_t *b = scar__mask_row(&both, y);
            const uint8_t *sk = scar__mask_row(skin, win->y0 + y) + win->x0;
            const int32_t *l = scar__labels_row(labels, win->y0 + y) + win->x0;
            uint8_t *cd = scar__mask_row(&s->cand, y);
            for (uint32_t x = 0; x < win->w; x++) {
                cd[x] = b[x] && sk[x] && (l[x] == 0 || l[x] == k);
                n += cd[x];
            }
        }
        if (n > CRESCENT_MAX_GROWTH * wall.n) /* not a bowl: undo */
            for (uint32_t y = 0; y < win->h; y++)
                memcpy(scar__mask_row(&s->cand, y),
                       scar__mask_row(&s->reg, y), win->w);
    }
    scar__plane_free(both.data);
    return st;
}

/* Adds to `cand` (window coordinates) each skin pixel of no other region
 * that has a pixel of `kept` both toward the light and away from it along
 * (lx, ly), each at most `reach` px away: what lies between a raised
 * scar's two slopes. Walks the window's digital lines of that direction
 * (v = c + round(m u) along the major axis u, |m| <= 1: each pixel on
 * exactly one line), so the cost is two passes over the window. */
static int fill_along_light(const scar__mask *kept, const scar__mask *skin,
                            const scar__labels *labels, const window *win,
                            int32_t k, double lx, double ly, double reach,
                            const char *ctx, scar__mask *cand)
{
    int major_y = fabs(ly) > fabs(lx);
    double m = major_y ? lx / ly : ly / lx;
    uint32_t U = major_y ? win->h : win->w, V = major_y ? win->w : win->h;
    /* pixel steps along a line per px of distance */
    double limit = reach / sqrt(1.0 + m * m);
    int32_t *off = malloc((size_t)U * sizeof *off);
    int32_t *back = malloc((size_t)U * sizeof *back);
    if (!off || !back) {
        free(off), free(back);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (refine)", ctx);
    }
    for (uint32_t u = 0; u < U; u++)
        off[u] = (int32_t)lround(m * (double)u);
    int32_t lo = off[0] < off[U - 1] ? off[0] : off[U - 1];
    int32_t hi = off[0] < off[U - 1] ? off[U - 1] : off[0];
    for (int64_t c = -(int64_t)hi; c < (int64_t)V - lo; c++) {
        /* back[u]: steps since the last kept pixel behind (or -1) */
        int64_t last = -1;
        for (uint32_t u = 0; u < U; u++) {
            int64_t v = c + off[u];
            uint32_t x = major_y ? (uint32_t)v : u, y = major_y ? u : (uint32_t)v;
            if (v >= 0 && v < (int64_t)V && scar__mask_row(kept, y)[x])
                last = u;
            back[u] = last < 0 ? -1 : (int32_t)(u - last);
        }
        int64_t next = -1;
        for (uint32_t u = U; u-- > 0;) {
            int64_t v = c + off[u];
            if (v < 0 || v >= (int64_t)V)
                continue;
            uint32_t x = major_y ? (uint32_t)v : u, y = major_y ? u : (uint32_t)v;
            if (scar__mask_row(kept, y)[x]) {
                next = u;
                continue;
            }
            if (next < 0 || back[u] < 0 || (double)(next - u) > limit ||
                (double)back[u] > limit)
                continue;
            const int32_t l = scar__labels_row(labels, win->y0 + y)[win->x0 + x];
            if (scar__mask_row(skin, win->y0 + y)[win->x0 + x] &&
                (l == 0 || l == k))
                scar__mask_row(cand, y)[x] = 1;
        }
    }
    free(off);
    free(back);
    return SCAR_OK;
}

/* Adds to s->cand (the cut) the pixels of its closing by a disc of
 * radius `radius` px, holes filled, that lie in the candidate (s->reg), on
 * skin and in no other region: the concavity of a cut that kept a wall
 * and left the floor it encloses. */
static int close_within_candidate(scratch *s, const scar__mask *skin,
                                  const scar__labels *labels,
                                  const window *win, int32_t k, double radius,
                                  const char *ctx)
{
    uint32_t r = (uint32_t)lround(radius);
    if (r < 1)
        r = 1;
    scar__mask closed = {0};
    int st = scar__mask_alloc(win->w, win->h, ctx, &closed);
    if (!st)
        st = scar__close_disk(&s->cand, r, &closed);
    if (!st)
        st = scar__fill_holes(&closed, &closed);
    for (uint32_t y = 0; !st && y < win->h; y++) {
        const uint8_t *c = scar__mask_row(&closed, y);
        const uint8_t *in = scar__mask_row(&s->reg, y);
        const uint8_t *sk = scar__mask_row(skin, win->y0 + y) + win->x0;
        const int32_t *l = scar__labels_row(labels, win->y0 + y) + win->x0;
        uint8_t *cd = scar__mask_row(&s->cand, y);
        for (uint32_t x = 0; x < win->w; x++)
            if (c[x] && in[x] && sk[x] && (l[x] == 0 || l[x] == k))
                cd[x] = 1;
    }
    scar__plane_free(closed.data);
    return st;
}

/* A glare spot's halo (skin lit by its scattered light, lighter than the
 * skin around) is no lesion: edge refinement does not grow a region into
 * skin within SCAR__GLARE_HALO_MM of glare. On a dark-skin phantom the
 * half-contrast cut of a pale patch 3 mm from a glare spot took in a 1 mm
 * ring around the spot through a one-pixel neck, and the region was then
 * dropped as the halo it had become (docs/segment.md).
 * halo (window size) = skin within `r` px of a glare pixel of `glare`
 * (image size), glare itself included; halo->data stays NULL (no halo)
 * when no glare pixel lies within r of the window. */
static int glare_halo(const scar__mask *glare, const window *win, uint32_t r,
                      const char *ctx, scar__mask *halo)
{
    uint32_t gx0 = win->x0 > r ? win->x0 - r : 0;
    uint32_t gy0 = win->y0 > r ? win->y0 - r : 0;
    uint32_t gx1 = win->x0 + win->w + r < glare->width ? win->x0 + win->w + r
                                                         : glare->width;
    uint32_t gy1 = win->y0 + win->h + r < glare->height
                       ? win->y0 + win->h + r
                       : glare->height;
    int any = 0;
    for (uint32_t y = gy0; y < gy1 && !any; y++) {
        const uint8_t *g = scar__mask_row(glare, y);
        for (uint32_t x = gx0; x < gx1 && !any; x++)
            any = g[x] != 0;
    }
    if (!any)
        return SCAR_OK;
    scar__mask ext = {0};
    int st = scar__mask_alloc(gx1 - gx0, gy1 - gy0, ctx, &ext);
    if (!st) {
        for (uint32_t y = gy0; y < gy1; y++)
            memcpy(scar__mask_row(&ext, y - gy0),
                   scar__mask_row(glare, y) + gx0, gx1 - gx0);
        st = scar__dilate_disk(&ext, r, &ext);
    }
    if (!st)
        st = scar__mask_alloc(win->w, win->h, ctx, halo);
    if (!st)
        for (uint32_t y = 0; y < win->h; y++)
            memcpy(scar__mask_row(halo, y),
                   scar__mask_row(&ext, win->y0 + y - gy0) + (win->x0 - gx0),
                   win->w);
    scar__plane_free(ext.data);
    return st;
}

/* Cuts a pit at its half depth instead of at half of its blurred
 * contrast. The residual smoothing (scar__resid_sigma_px) and, on a shrunk
 * photo, the block means spread a pit of a few analysed pixels: for a
 * Gaussian profile of variance s2 seen through a Gaussian blur of variance
 * b2 (the two add), the half-maximum contour has r^2 = 2 ln2 (s2 + b2),
 * and the true half depth (r^2 = 2 ln2 s2) lies where the blurred profile
 * is at 2^-(s2 / (s2 + b2)) of its apex. s2 + b2 comes from the area of
 * the half-contrast cut in `cand`, which is re-cut at that level; left as
 * it is when fewer than PIT_MIN_AREA_PX pixels would remain. The camera's
 * own blur is unknown and not undone. */
static void unblur_pit(const window *win, scratch *s, float base, float peak,
                       double b2)
{
    uint64_t n = 0;
    for (uint32_t y = 0; y < win->h; y++) {
        const uint8_t *cd = scar__mask_row(&s->cand, y);
        for (uint32_t x = 0; x < win->w; x++)
            n += cd[x] != 0;
    }
    double sb2 = (double)n / (PI * 2.0 * LN2); /* s2 + b2 */
    if (!(sb2 > b2))
        return;
    float thr = base + (float)exp2(-(sb2 - b2) / sb2) * (peak - base);
    uint64_t kept = 0;
    for (uint32_t y = 0; y < win->h; y++) {
        const uint8_t *cd = scar__mask_row(&s->cand, y);
        const float *c = scar__planef_row(&s->c, y);
        for (uint32_t x = 0; x < win->w; x++)
            kept += cd[x] && c[x] >= thr;
    }
    if (kept < PIT_MIN_AREA_PX)
        return;
    for (uint32_t y = 0; y < win->h; y++) {
        uint8_t *cd = scar__mask_row(&s->cand, y);
        const float *c = scar__planef_row(&s->c, y);
        for (uint32_t x = 0; x < win->w; x++)
            cd[x] = cd[x] && c[x] >= thr;
    }
}

/* A dark cut of a depression's size whose relief test is undecided and
 * whose colour change is a shadow's: darker, no redder and less yellow
 * (a shadow scales the skin's linear RGB, which lowers L*, a* and b*
 * together; melanin raises b* against L*, blood raises a*). Such a cut is
 * a boxcar seen mostly as its shaded wall: on the phantoms its centroid
 * lies 0.28 of its radius toward the light from the truth's, where dark
 * pigment and redness are centred (docs/segment.md). */
static int is_shaded_wall(const double mv[3], double norm, int coherent,
                          scar__relief relief, double d_mm)
{
    return coherent && relief == SCAR__RELIEF_NONE && mv[0] < 0.0 &&
           mv[2] < -WALL_MAX_B * norm && mv[1] < WALL_MAX_A * norm &&
           d_mm >= NOTCH_MIN_MM && d_mm <= NOTCH_MAX_MM;
}

/* Whether no label but k is in the window. */
static int alone_in_window(const scar__labels *labels, const window *win,
                           int32_t k)
{
    for (uint32_t y = 0; y < win->h; y++) {
        const int32_t *l = scar__labels_row(labels, win->y0 + y) + win->x0;
        for (uint32_t x = 0; x < win->w; x++)
            if (l[x] > 0 && l[x] != k)
                return 0;
    }
    return 1;
}

static int refine_one(const scar__anomaly_maps *maps, const scar__mask *skin,
                      const scar__segment_params *p, const scar__region *rg,
                      const char *ctx, double ux, double uy, double lx,
                      double ly, scar__labels *labels, scar__mask *walls)
{
    double ppm = p->px_per_mm;
    int32_t k = rg->label;
    double band_in = fmax(BAND_INNER_MIN_PX, BAND_INNER_MM * ppm);
    double band_out = fmax(BAND_OUTER_MIN_PX, BAND_OUTER_MM * ppm);
    double radius = 0.5 * rg->equivalent_diameter;
    double grow = fmax(2.0, fmin(GROW_MAX_MM * ppm,
                                 fmax(2.0, GROW_MAX_RADIUS_FRAC * radius)));
    uint32_t margin = (uint32_t)ceil(fmax(band_out, grow)) + 2;
    uint32_t W = labels->width, H = labels->height;
    window win;
    win.x0 = rg->x0 > margin ? rg->x0 - margin : 0;
    win.y0 = rg->y0 > margin ? rg->y0 - margin : 0;
    uint32_t x1 = rg->x1 + margin < W ? rg->x1 + margin : W;
    uint32_t y1 = rg->y1 + margin < H ? rg->y1 + margin : H;
    win.w = x1 - win.x0;
    win.h = y1 - win.y0;

    scratch s = {0};
    int st = scratch_alloc(&s, win.w, win.h, ctx);
    if (st)
        goto done;
    /* region crop and mean residual direction */
    for (uint32_t y = 0; y < win.h; y++) {
        const int32_t *l = scar__labels_row(labels, win.y0 + y) + win.x0;
        uint8_t *r = scar__mask_row(&s.reg, y);
        for (uint32_t x = 0; x < win.w; x++)
            r[x] = l[x] == k;
    }
    double mv[3], mabs;
    uint64_t nin = sum_direction(maps, skin, &win, &s.reg, NULL, 0.0f, mv,
                                 &mabs);
    if (nin == 0)
        goto done;
    double norm = sqrt(mv[0] * mv[0] + mv[1] * mv[1] + mv[2] * mv[2]);
    int coherent = norm >= COHERENCE_MIN * mabs && norm > 0.0;
    {
        /* a raised scar's candidate holds its plateau and the darker foot
         * around it (ambient occlusion, shadow): a coherent core decides */
        double cv[3];
        int core_coherent = 0;
        st = core_direction(maps, skin, &win, &s, cv, &core_coherent);
        if (st)
            goto done;
        if (core_coherent) {
            for (int i = 0; i < 3; i++)
                mv[i] = cv[i];
            coherent = 1;
            norm = sqrt(mv[0] * mv[0] + mv[1] * mv[1] + mv[2] * mv[2]);
        }
    }
    scar__relief relief = scar__relief_kind(maps, skin, &s.reg, win.x0,
                                            win.y0, rg, mv, norm, coherent,
                                            ppm, lx, ly);
    /* The light's side unknown: a bump and a pit shade as mirror images,
     * and a coloured candidate with a dark core that passes the raised
     * test for either way along the axis is a relief of one or the
     * other; its colour, not its shading, outlines it in both cases. Only
     * for a candidate alone in its window: where candidates crowd (an
     * acne-scarred cheek) the dipole is as often between two lesions. */
    if (relief == SCAR__RELIEF_NONE && lx == 0.0 && ly == 0.0 &&
        alone_in_window(labels, &win, k) &&
        (scar__relief_kind(maps, skin, &s.reg, win.x0, win.y0, rg, mv, norm,
                           coherent, ppm, ux, uy) == SCAR__RELIEF_RAISED ||
         scar__relief_kind(maps, skin, &s.reg, win.x0, win.y0, rg, mv, norm,
                           coherent, ppm, -ux, -uy) == SCAR__RELIEF_RAISED))
        relief = SCAR__RELIEF_RAISED;
    /* a band (an atrophic stria, a linear scar) is no boxcar: mirrored
     * across the line perpendicular to the light, or completed as a
     * shaded wall, a band at an angle to that line would become a cross
     * or a blob; its colour cut follows it */
    int band = rg->minor_axis_length > 0.0 &&
               rg->major_axis_length >=
                   BAND_MIN_ELONGATION * rg->minor_axis_length;
    if (relief == SCAR__RELIEF_DEPRESSED && band)
        relief = SCAR__RELIEF_NONE;
    /* a depression with a paler floor: its colour is the floor's, and a
     * cut on it keeps the floor's middle; the score holds both walls. The
     * cut stays in the candidate (grown on the score it would take in a
     * neighbour's pits) and is closed there, not mirrored */
    int pale_depression = relief == SCAR__RELIEF_DEPRESSED && mv[0] >= 0.0;
    if (pale_depression)
        coherent = 0;
    if (relief == SCAR__RELIEF_RAISED) {
        mv[0] = 0.0; /* the plateau's colour, not its shading */
        norm = sqrt(mv[1] * mv[1] + mv[2] * mv[2]);
    }
    double u[3] = {0};
    if (coherent)
        for (int i = 0; i < 3; i++)
            u[i] = mv[i] / norm;
    /* contrast signal in the window (NaN off skin) */
    for (uint32_t y = 0; y < win.h; y++) {
        const uint8_t *sk = scar__mask_row(skin, win.y0 + y) + win.x0;
        const float *zl = scar__planef_row(&maps->zL, win.y0 + y) + win.x0;
        const float *za = scar__planef_row(&maps->za, win.y0 + y) + win.x0;
        const float *zb = scar__planef_row(&maps->zb, win.y0 + y) + win.x0;
        const float *sc = scar__planef_row(&maps->score, win.y0 + y) + win.x0;
        float *c = scar__planef_row(&s.c, y);
        for (uint32_t x = 0; x < win.w; x++) {
            if (!sk[x])
                c[x] = NAN;
            else if (coherent)
                c[x] = (float)(u[0] * zl[x] + u[1] * za[x] + u[2] * zb[x]);
            else
                c[x] = sc[x];
        }
    }
    st = scar__edt(&s.reg, 1, &s.dist);
    if (st)
        goto done;
    /* baseline: median of c in the band; peak: percentile inside */
    size_t nb = 0, np = 0;
    for (uint32_t y = 0; y < win.h; y++) {
        const float *d = scar__planef_row(&s.dist, y);
        const float *c = scar__planef_row(&s.c, y);
        const int32_t *l = scar__labels_row(labels, win.y0 + y) + win.x0;
        for (uint32_t x = 0; x < win.w; x++)
            if (d[x] >= band_in && d[x] <= band_out && l[x] == 0 &&
                isfinite(c[x]))
                s.vals[nb++] = c[x];
    }
    if (nb == 0)
        goto done;
    float base = scar__median_inplace(s.vals, nb);
    for (uint32_t y = 0; y < win.h; y++) {
        const uint8_t *r = scar__mask_row(&s.reg, y);
        const float *c = scar__planef_row(&s.c, y);
        for (uint32_t x = 0; x < win.w; x++)
            if (r[x] && isfinite(c[x]))
                s.vals[np++] = c[x];
    }
    if (np == 0)
        goto done;
    size_t kth = np >= 20 ? (size_t)floor(PEAK_PERCENTILE * (double)(np - 1))
                          : np - 1;
    float peak = scar__select_kth(s.vals, np, kth);
    int sharp = 0;
    if (coherent && np >= 20) {
        size_t khi = (size_t)floor(PEAK_HIGH_PERCENTILE * (double)(np - 1));
        float hi = scar__select_kth(s.vals, np, khi) - (float)PEAK_NOISE_GAP;
        /* in a boxcar-sized depression, a sharp peak shallower than an
         * icepick's, or one whose top is a crescent, is the edge of a
         * steep wall: cut at the walls' level and mirror them (below), as
         * for a soft one */
        if (hi > peak && hi - base >= PEAK_SHARP_MIN_CONTRAST &&
            !(relief == SCAR__RELIEF_DEPRESSED &&
              (hi - base < PIT_SYMM_MIN_CONTRAST ||
               top_elongation(&win, &s, base + (float)PIT_SYMM_CORE *
                                                 (hi - base)) >
                   WALL_MIN_ELONGATION))) {
            peak = hi;
            sharp = 1;
        }
    }
    if (!(peak - base >= MIN_CONTRAST))
        goto done;
    float thr = base + 0.5f * (peak - base);
    int pit = sharp && peak - base >= PIT_SYMM_MIN_CONTRAST &&
              rg->equivalent_diameter <= PIT_SYMM_MAX_DIAMETER_MM * ppm;
    if (pit) {
        st = symmetrise(&win, &s, ux, uy,
                        base + (float)PIT_SYMM_CORE * (peak - base), thr,
                        p->min_area_mm2 * ppm * ppm, ctx);
        if (st)
            goto done;
    }
    /* candidates: c >= thr, within `grow` of the region (outside a glare
     * halo), not another region */
    double reach = pale_depression ? 0.0 : grow;
    scar__mask halo = {0};
    if (p->glare) {
        st = glare_halo(p->glare, &win,
                        (uint32_t)lround(SCAR__GLARE_HALO_MM * ppm), ctx, &halo);
        if (st)
            goto done;
    }
    for (uint32_t y = 0; y < win.h; y++) {
        const float *d = scar__planef_row(&s.dist, y);
        const float *c = scar__planef_row(&s.c, y);
        const int32_t *l = scar__labels_row(labels, win.y0 + y) + win.x0;
        const uint8_t *hl = halo.data ? scar__mask_row(&halo, y) : NULL;
        uint8_t *cd = scar__mask_row(&s.cand, y);
        uint8_t *wl = walls ? scar__mask_row(walls, win.y0 + y) + win.x0
                            : NULL;
        for (uint32_t x = 0; x < win.w; x++) {
            int within = c[x] >= thr && d[x] <= reach;
            int blocked = within && l[x] == 0 && hl && hl[x];
            cd[x] = within && (l[x] == k || l[x] == 0) && !blocked;
            /* where the cut would have run on into the halo */
            if (blocked && wl)
                wl[x] |= SCAR__MARK_HALO;
        }
    }
    scar__plane_free(halo.data);
    /* keep the candidate components that overlap the region */
    {
        scar__labels cl = {0};
        int32_t ncl = 0;
        uint8_t *keep = NULL;
        st = scar__labels_alloc(win.w, win.h, ctx, &cl);
        if (!st)
            st = scar__label(&s.cand, NULL, 8, &cl, &ncl);
        if (!st) {
            keep = calloc((size_t)ncl + 1, 1);
            if (!keep)
                st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (refine)", ctx);
        }
        if (!st) {
            int any = 0;
            for (uint32_t y = 0; y < win.h; y++) {
                const int32_t *q = scar__labels_row(&cl, y);
                const uint8_t *r = scar__mask_row(&s.reg, y);
                for (uint32_t x = 0; x < win.w; x++)
                    if (r[x] && q[x]) {
                        keep[q[x]] = 1;
                        any = 1;
                    }
            }
            if (any) {
                for (uint32_t y = 0; y < win.h; y++) {
                    const int32_t *q = scar__labels_row(&cl, y);
                    uint8_t *cd = scar__mask_row(&s.cand, y);
                    for (uint32_t x = 0; x < win.w; x++)
                        cd[x] = keep[q[x]];
                }
                st = scar__fill_holes(&s.cand, &s.cand);
                if (!st && pit) {
                    /* the blur to undo: the residual smoothing and the
                     * block mean of f x f input pixels (variance of f
                     * evenly spaced points over one analysed pixel) */
                    double sm = scar__resid_sigma_px(ppm);
                    double f = p->shrink > 1 ? (double)p->shrink : 1.0;
                    unblur_pit(&win, &s, base, peak,
                               sm * sm + (f * f - 1.0) / (12.0 * f * f));
                }
                double d_mm = rg->equivalent_diameter / ppm;
                if (!st && coherent && mv[0] < 0.0 && d_mm >= NOTCH_MIN_MM &&
                    d_mm <= NOTCH_MAX_MM &&
                    !(relief == SCAR__RELIEF_DEPRESSED && !sharp) &&
                    relief != SCAR__RELIEF_RAISED_PLAIN)
                    st = close_within_candidate(&s, skin, labels, &win, k,
                                                NOTCH_CLOSE_FRAC *
                                                    rg->equivalent_diameter,
                                                ctx);
                if (!st && pale_depression) {
                    st = close_within_candidate(&s, skin, labels, &win, k,
                                                NOTCH_CLOSE_FRAC *
                                                    rg->equivalent_diameter,
                                                ctx);
                } else if (!st && relief == SCAR__RELIEF_DEPRESSED && !sharp) {
                    /* a boxcar's cut keeps its shaded wall (toward the
                     * light); the lit wall and the floor between are the
                     * scar too: the kept part mirrored across the line
                     * through the candidate's centroid perpendicular to
                     * the light, holes filled (s.reg is free by now) */
                    for (uint32_t y = 0; y < win.h; y++)
                        memcpy(scar__mask_row(&s.reg, y),
                               scar__mask_row(&s.cand, y), win.w);
                    mirror_union(&s.reg, skin, labels, &win, k,
                                 rg->centroid_x - win.x0,
                                 rg->centroid_y - win.y0, lx, ly, &s.cand);
                    /* the wall and its image meet on the mirror line,
                     * where rounding leaves gaps of a pixel: closed by one
                     * pixel so that the floor is a hole to fill */
                    st = scar__close_disk(&s.cand, 1, &s.cand);
                    if (!st)
                        st = scar__fill_holes(&s.cand, &s.cand);
                }
                if (!st && relief == SCAR__RELIEF_NONE && coherent && !band &&
                    mv[0] < 0.0 && d_mm >= NOTCH_MIN_MM &&
                    d_mm <= NOTCH_MAX_MM && (lx != 0.0 || ly != 0.0))
                    st = complete_crescent(&s, skin, labels, &win, k, lx, ly,
                                           ctx);
                if (!st && relief == SCAR__RELIEF_RAISED_PLAIN) {
                    /* the cut keeps the lit and the shaded slope; the
                     * plateau between them is as bright as the skin */
                    for (uint32_t y = 0; y < win.h; y++)
                        memcpy(scar__mask_row(&s.reg, y),
                               scar__mask_row(&s.cand, y), win.w);
                    st = fill_along_light(&s.reg, skin, labels, &win, k, lx,
                                          ly, rg->equivalent_diameter, ctx,
                                          &s.cand);
                    if (!st)
                        st = scar__fill_holes(&s.cand, &s.cand);
                }
                int wall = walls && !pit && !pale_depression && !band &&
                           (lx != 0.0 || ly != 0.0) &&
                           is_shaded_wall(mv, norm, coherent, relief, d_mm);
                if (!st) {
                    for (uint32_t y = 0; y < win.h; y++) {
                        const uint8_t *cd = scar__mask_row(&s.cand, y);
                        int32_t *l = scar__labels_row(labels, win.y0 + y) + win.x0;
                        uint8_t *wl = walls ? scar__mask_row(walls, win.y0 + y) + win.x0
                                            : NULL;
                        for (uint32_t x = 0; x < win.w; x++) {
                            if (l[x] == k && !cd[x])
                                l[x] = 0;
                            else if (cd[x] && l[x] == 0)
                                l[x] = k;
                            if (wl && cd[x])
                                wl[x] = (uint8_t)((wl[x] & ~SCAR__MARK_WALL) |
                                                  (wall ? SCAR__MARK_WALL : 0));
                        }
                    }
                }
            }
        }
        free(keep);
        scar__plane_free(cl.data);
    }
done:
    scratch_free(&s);
    return st;
}

/* Bounding box and area of one label. */
typedef struct {
    uint64_t area;
    uint32_t x0, y0, x1, y1; /* half-open */
} label_box;

/* dst = src grown by r along its lines: n lines of len pixels, pixel i of
 * line j at src[j * line_step + i * px_step]. Twice (rows, then columns)
 * this is the growth by the square of side 2r + 1. */
static void grow_lines(const uint8_t *src, uint8_t *dst, uint32_t n,
                       uint32_t len, size_t line_step, size_t px_step,
                       uint32_t r)
{
    for (uint32_t j = 0; j < n; j++) {
        const uint8_t *s = src + j * line_step;
        uint8_t *d = dst + j * line_step;
        for (uint32_t i = 0; i < len; i++) {
            uint32_t a = i > r ? i - r : 0, b = i + r < len ? i + r : len - 1;
            uint8_t v = 0;
            for (uint32_t t = a; t <= b && !v; t++)
                v = s[t * px_step];
            d[i * px_step] = v;
        }
    }
}

/* 1 when region k (bounding box *bx) is a pit: its darkest zL at least
 * PIT_LOCAL_DIP below the median zL of the skin of no region within r px
 * (Chebyshev) of it, and a pixel of it dark at score >= SCAR__PIT_Z. A
 * dark slope (the edge of a shaded area) has strong pixels too, but is no
 * dip. `buf` holds 3 bytes and a float per pixel of the box grown by r. */
static int is_pit(const scar__anomaly_maps *maps, const scar__mask *skin,
                  const scar__labels *labels, int32_t k, const label_box *bx,
                  uint32_t r, unsigned char *buf)
{
    uint32_t W = labels->width, H = labels->height;
    uint32_t x0 = bx->x0 > r ? bx->x0 - r : 0, y0 = bx->y0 > r ? bx->y0 - r : 0;
    uint32_t x1 = bx->x1 + r < W ? bx->x1 + r : W;
    uint32_t y1 = bx->y1 + r < H ? bx->y1 + r : H;
    uint32_t w = x1 - x0, h = y1 - y0;
    size_t n = (size_t)w * h;
    uint8_t *in = buf, *rows = buf + n, *near = buf + 2 * n;
    float *vals = (float *)(void *)(buf + 3 * n + (4 - (3 * n) % 4) % 4);
    float dark = INFINITY;
    int strong = 0;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y0 + y) + x0;
        const float *zl = scar__planef_row(&maps->zL, y0 + y) + x0;
        const float *sc = scar__planef_row(&maps->score, y0 + y) + x0;
        const uint8_t *sk = scar__mask_row(skin, y0 + y) + x0;
        for (uint32_t x = 0; x < w; x++) {
            in[(size_t)y * w + x] = l[x] == k;
            if (l[x] != k || !sk[x] || !isfinite(zl[x]))
                continue;
            if (zl[x] < dark)
                dark = zl[x];
            strong |= zl[x] < 0.0f && sc[x] >= SCAR__PIT_Z;
        }
    }
    if (!strong)
        return 0;
    grow_lines(in, rows, h, w, w, 1, r);
    grow_lines(rows, near, w, h, 1, w, r);
    size_t m = 0;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y0 + y) + x0;
        const float *zl = scar__planef_row(&maps->zL, y0 + y) + x0;
        const uint8_t *sk = scar__mask_row(skin, y0 + y) + x0;
        for (uint32_t x = 0; x < w; x++)
            if (near[(size_t)y * w + x] && l[x] == 0 && sk[x] &&
                isfinite(zl[x]))
                vals[m++] = zl[x];
    }
    if (m == 0)
        return 0;
    return dark <= scar__median_inplace(vals, m) - (float)PIT_LOCAL_DIP;
}

/* Drops the regions under min_area px that are not pits (is_pit) and
 * numbers the rest 1..*count again. */
static int drop_small_non_pits(const scar__anomaly_maps *maps,
                               const scar__mask *skin, double ppm,
                               uint64_t min_area, const char *ctx,
                               scar__labels *labels, int32_t *count)
{
    int32_t n = *count;
    label_box *box = calloc((size_t)n + 1, sizeof *box);
    int32_t *keep = calloc((size_t)n + 1, sizeof *keep);
    if (!box || !keep) {
        free(box), free(keep);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (refine)", ctx);
    }
    for (int32_t k = 1; k <= n; k++) {
        box[k].x0 = labels->width;
        box[k].y0 = labels->height;
    }
    for (uint32_t y = 0; y < labels->height; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < labels->width; x++) {
            if (l[x] <= 0)
                continue;
            label_box *b = &box[l[x]];
            b->area++;
            if (x < b->x0) b->x0 = x;
            if (x >= b->x1) b->x1 = x + 1;
            if (y < b->y0) b->y0 = y;
            b->y1 = y + 1;
        }
    }
    uint32_t r = (uint32_t)lround(PIT_RING_MM * ppm);
    if (r < 2)
        r = 2;
    int st = SCAR_OK;
    int32_t kept = 0;
    for (int32_t k = 1; k <= n && !st; k++) {
        int ok = box[k].area >= min_area;
        if (!ok && box[k].area > 0) {
            size_t np = ((size_t)(box[k].x1 - box[k].x0) + 2 * (size_t)r) *
                        ((size_t)(box[k].y1 - box[k].y0) + 2 * (size_t)r);
            unsigned char *buf = malloc(np * (3 + sizeof(float)) + 4);
            if (!buf) {
                st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (refine)", ctx);
                break;
            }
            ok = is_pit(maps, skin, labels, k, &box[k], r, buf);
            free(buf);
        }
        keep[k] = ok ? ++kept : 0;
    }
    if (!st) {
        for (uint32_t y = 0; y < labels->height; y++) {
            int32_t *l = scar__labels_row(labels, y);
            for (uint32_t x = 0; x < labels->width; x++)
                if (l[x] > 0)
                    l[x] = keep[l[x]];
        }
        *count = kept;
    }
    free(box);
    free(keep);
    return st;
}

int scar__refine_edges(const scar__anomaly_maps *maps, const scar__mask *skin,
                       const scar__segment_params *p, const char *ctx,
                       scar__labels *labels, int32_t *count)
{
    return scar__refine_edges_walls(maps, skin, p, ctx, labels, count, NULL);
}

int scar__refine_edges_walls(const scar__anomaly_maps *maps,
                             const scar__mask *skin,
                             const scar__segment_params *p, const char *ctx,
                             scar__labels *labels, int32_t *count,
                             scar__mask *walls)
{
    scar__region *props = NULL;
    int st = scar__regionprops(labels, *count, 0, &props);
    double ux, uy;
    int sign; /* 0 when the pores do not tell: no relief test then */
    scar__maps_light(maps, skin, p->px_per_mm, &ux, &uy, &sign);
    for (int32_t i = 0; i < *count && !st; i++)
        if (props[i].area > 0)
            st = refine_one(maps, skin, p, &props[i], ctx, ux, uy, sign * ux,
                            sign * uy, labels, walls);
    scar__regionprops_free(props);
    if (st)
        return st;
    /* regions may touch now: joined when alike (touching.c); what became
     * too small dropped */
    double ppm2 = p->px_per_mm * p->px_per_mm;
    uint64_t min_area = (uint64_t)ceil(p->min_area_mm2 * ppm2);
    if (min_area < 1)
        min_area = 1;
    uint64_t pit_min = (uint64_t)ceil(PIT_MIN_AREA_FRAC * p->min_area_mm2 * ppm2);
    if (pit_min < PIT_MIN_AREA_PX)
        pit_min = PIT_MIN_AREA_PX;
    if (pit_min >= min_area) {
        st = scar__relabel_agreeing(maps, labels, min_area, p->px_per_mm,
                                    ctx, count);
    } else {
        /* components of pit_min px and more; those under min_area stay
         * only when they hold a pit */
        st = scar__relabel_agreeing(maps, labels, pit_min, p->px_per_mm,
                                    ctx, count);
        if (!st && *count > 0)
            st = drop_small_non_pits(maps, skin, p->px_per_mm, min_area, ctx,
                                     labels, count);
    }
    return st;
}
