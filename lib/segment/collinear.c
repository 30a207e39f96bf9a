/* collinear.c — pieces of one long lesion joined across a gap; see
 * segment.h and docs/segment.md (step 7, "Collinear pieces").
 *
 * A stria is a band millimetres wide and centimetres long whose colour
 * fades and returns along its length: steps 1-6 can leave it as two or
 * three elongated pieces on one line, a millimetre or more apart, which
 * the fragment closing (merge.c, 1 mm) does not bridge. Two elongated
 * regions whose major axes are parallel and lie on the line joining
 * them, whose facing ends are at most COL_GAP_MM apart and whose mean
 * residual colours point the same way are one lesion: they are joined,
 * with the skin of the band between them. A wider gap, up to
 * COL_FAINT_GAP_MM and no longer than either piece, is bridged when the
 * stria shows through it: the skin between the facing ends carries at
 * least COL_BAND_FRACTION of the fainter piece's colour. The join runs
 * twice: on the candidates, before step 6 (`candidates`: so that a faint
 * stria's pieces are judged together, with the restrictions of
 * segment.h), and on the regions that passed it. */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

/* Both pieces at least this elongated (major / minor axis), one of them
 * at least COL_ONE_ELONGATION: a band's axis is well defined. */
#define COL_MIN_ELONGATION 1.5
#define COL_ONE_ELONGATION 2.5
/* Axes parallel, and on the joining line, within this angle (degrees). */
#define COL_MAX_ANGLE_DEG 20.0
/* Largest gap between the facing ends (mm). */
#define COL_GAP_MM 3.0
/* A wider gap, up to this (mm) and no longer than either piece, is
 * bridged when the skin between the facing ends carries the pieces'
 * colour: the band's mean residual along their mean direction is at least
 * COL_BAND_FRACTION of the fainter piece's. On the benchmark's far pairs
 * (docs/segment.md) the striae's gaps carried 0.43-0.51 of it, the other
 * pairs' 0.12-0.23. */
#define COL_FAINT_GAP_MM 8.0
#define COL_BAND_FRACTION 0.33
/* Before step 6 (`candidates`) a piece must be at least this elongated
 * and not shadow-coloured: among the candidates a boxcar's shaded wall
 * (a crescent, about 2.3) or a hair's pieces would otherwise line up with
 * a neighbour and be judged with it. */
#define COL_CAND_ELONGATION 2.0
/* Agreement of the mean residual directions (as merge.c). */
#define COL_MIN_COSINE 0.7
/* major axis = 4 sqrt(variance) = (4 / sqrt 12) x the length of a band */
#define BAND_AXIS_PER_LENGTH 1.1547005383792515

typedef struct piece {
    double cx, cy, ux, uy; /* centroid; unit major axis */
    double lo, hi;         /* extent along the axis from the centroid, px */
    double width;          /* width as a band, px */
    double elong;          /* major / minor axis */
    double area;           /* px */
    const double *z;       /* summed residual z-vector (scar__direction_sums) */
    int elongated;
} piece;

typedef struct by_x {
    double cx;
    int32_t i;
} by_x;

static int by_cx(const void *a, const void *b)
{
    const by_x *p = a, *q = b;
    if (p->cx != q->cx)
        return p->cx < q->cx ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* The band from a's centroid to b's: direction (vx, vy), length d, half
 * its width (the narrower piece's), how far each piece reaches into it
 * (ea from a, eb from b: their facing ends); pixel bounds: band_on_photo. */
typedef struct band {
    double vx, vy, d, hw, ea, eb;
    uint32_t x0, y0, x1, y1;
} band;

static band band_between(const piece *a, const piece *b)
{
    band k = {0};
    double dx = b->cx - a->cx, dy = b->cy - a->cy;
    k.d = hypot(dx, dy);
    k.vx = dx / k.d;
    k.vy = dy / k.d;
    double ta = dx * a->ux + dy * a->uy;    /* b's side on a's axis */
    double tb = -(dx * b->ux + dy * b->uy); /* a's side on b's axis */
    k.ea = ta >= 0.0 ? a->hi : -a->lo;
    k.eb = tb >= 0.0 ? b->hi : -b->lo;
    k.hw = 0.5 * fmin(a->width, b->width);
    return k;
}

/* band_between with its pixel bounds on a w x h photo. */
static band band_on_photo(const piece *a, const piece *b, uint32_t w,
                          uint32_t h)
{
    band k = band_between(a, b);
    double x0 = fmin(a->cx, b->cx) - k.hw - 1, x1 = fmax(a->cx, b->cx) + k.hw + 1;
    double y0 = fmin(a->cy, b->cy) - k.hw - 1, y1 = fmax(a->cy, b->cy) + k.hw + 1;
    k.x0 = x0 < 0 ? 0 : (uint32_t)x0;
    k.y0 = y0 < 0 ? 0 : (uint32_t)y0;
    k.x1 = x1 >= w ? w - 1 : (uint32_t)x1;
    k.y1 = y1 >= h ? h - 1 : (uint32_t)y1;
    return k;
}

/* Whether pixel (x, y) lies in band k between `from` and `to` along it
 * (from a's centroid). */
static int in_band(const band *k, const piece *a, uint32_t x, uint32_t y,
                   double from, double to)
{
    double px = (double)x - a->cx, py = (double)y - a->cy;
    double along = px * k->vx + py * k->vy;
    double across = fabs(px * k->vy - py * k->vx);
    return along >= from && along <= to && across <= k->hw;
}

/* Distance between the facing ends of a and b along the line joining
 * their centroids (negative when they overlap along it). */
static double end_gap(const piece *a, const piece *b)
{
    band k = band_between(a, b);
    return k.d - k.ea - k.eb;
}

static int joins(const piece *a, const piece *b, double gap_px,
                 double faint_px)
{
    if (!a->elongated || !b->elongated ||
        fmax(a->elong, b->elong) < COL_ONE_ELONGATION)
        return 0;
    double cmax = cos(COL_MAX_ANGLE_DEG * 3.14159265358979323846 / 180.0);
    if (fabs(a->ux * b->ux + a->uy * b->uy) < cmax)
        return 0;
    double dx = b->cx - a->cx, dy = b->cy - a->cy, d = hypot(dx, dy);
    if (!(d > 0.0))
        return 0;
    if (fabs(dx * a->ux + dy * a->uy) < cmax * d ||
        fabs(dx * b->ux + dy * b->uy) < cmax * d)
        return 0;
    double gap = end_gap(a, b);
    if (gap > faint_px)
        return 0;
    double na = sqrt(a->z[0] * a->z[0] + a->z[1] * a->z[1] + a->z[2] * a->z[2]);
    double nb = sqrt(b->z[0] * b->z[0] + b->z[1] * b->z[1] + b->z[2] * b->z[2]);
    if (!(na > 0.0) || !(nb > 0.0))
        return 0;
    double cs = (a->z[0] * b->z[0] + a->z[1] * b->z[1] + a->z[2] * b->z[2]) /
                (na * nb);
    if (cs < COL_MIN_COSINE)
        return 0;
    if (gap <= gap_px)
        return 1;
    /* a far gap: only between pieces each at least as long as it */
    return gap <= fmin(a->hi - a->lo, b->hi - b->lo) ? 2 : 0;
}

/* Mean (zL, za, zb) over the unlabelled skin of the band between the
 * facing ends of a and b (width: the narrower piece's); 0 when it holds
 * no such pixel. */
static int gap_mean(const piece *a, const piece *b,
                    const scar__anomaly_maps *maps, const scar__mask *skin,
                    const scar__labels *labels, double mean[3])
{
    band k = band_on_photo(a, b, labels->width, labels->height);
    double s[3] = {0, 0, 0}, n = 0;
    for (uint32_t y = k.y0; y <= k.y1; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const uint8_t *sk = scar__mask_row(skin, y);
        const float *zl = scar__planef_row(&maps->zL, y);
        const float *za = scar__planef_row(&maps->za, y);
        const float *zb = scar__planef_row(&maps->zb, y);
        for (uint32_t x = k.x0; x <= k.x1; x++) {
            if (l[x] || !sk[x] || !isfinite(zl[x]) || !isfinite(za[x]) ||
                !isfinite(zb[x]))
                continue;
            if (in_band(&k, a, x, y, k.ea, k.d - k.eb)) {
                s[0] += zl[x];
                s[1] += za[x];
                s[2] += zb[x];
                n += 1;
            }
        }
    }
    if (!(n > 0))
        return 0;
    for (int c = 0; c < 3; c++)
        mean[c] = s[c] / n;
    return 1;
}

/* Whether the gap between a and b carries their colour (see
 * COL_BAND_FRACTION). */
static int gap_carries(const piece *a, const piece *b,
                       const scar__anomaly_maps *maps, const scar__mask *skin,
                       const scar__labels *labels)
{
    double m[3];
    if (!gap_mean(a, b, maps, skin, labels, m))
        return 0;
    double u[3], nu = 0;
    for (int c = 0; c < 3; c++) {
        u[c] = a->z[c] / a->area + b->z[c] / b->area;
        nu += u[c] * u[c];
    }
    nu = sqrt(nu);
    if (!(nu > 0.0))
        return 0;
    double pa = 0, pb = 0, pg = 0;
    for (int c = 0; c < 3; c++) {
        pa += a->z[c] / a->area * u[c] / nu;
        pb += b->z[c] / b->area * u[c] / nu;
        pg += m[c] * u[c] / nu;
    }
    return pg >= COL_BAND_FRACTION * fmin(pa, pb);
}

/* Labels the unlabelled skin pixels of the band from a's centroid to b's
 * (width: the narrower piece's) with `lab`. */
static void fill_band(const piece *a, const piece *b, const scar__mask *skin,
                      scar__labels *labels, int32_t lab, int gap_only)
{
    band k = band_on_photo(a, b, labels->width, labels->height);
    double from = gap_only ? k.ea : 0.0, to = gap_only ? k.d - k.eb : k.d;
    for (uint32_t y = k.y0; y <= k.y1; y++) {
        int32_t *l = scar__labels_row(labels, y);
        const uint8_t *s = scar__mask_row(skin, y);
        for (uint32_t x = k.x0; x <= k.x1; x++)
            if (!l[x] && s[x] && in_band(&k, a, x, y, from, to))
                l[x] = lab;
    }
}

int scar__join_collinear(const scar__anomaly_maps *maps,
                         const scar__mask *skin,
                         const scar__segment_params *p, const char *ctx,
                         scar__labels *labels, int32_t *count, int candidates)
{
    int32_t n = *count;
    if (n < 2)
        return SCAR_OK;
    scar__region *props = NULL;
    int st = scar__regionprops(labels, n, 0, &props);
    if (st)
        return st;
    piece *pc = calloc((size_t)n, sizeof *pc);
    double *zsum = calloc(3 * ((size_t)n + 1), sizeof *zsum);
    int32_t *parent = malloc(((size_t)n + 1) * sizeof *parent);
    by_x *order = malloc((size_t)n * sizeof *order);
    if (!pc || !zsum || !parent || !order) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (collinear)", ctx);
        goto done;
    }
    for (int32_t i = 0; i < n; i++) {
        const scar__region *r = &props[i];
        piece *q = &pc[i];
        q->cx = r->centroid_x;
        q->cy = r->centroid_y;
        /* major axis from the central moments, in (x, y) */
        double phi = 0.5 * atan2(2.0 * r->mu_xy, r->mu_xx - r->mu_yy);
        q->ux = cos(phi);
        q->uy = sin(phi);
        q->width = r->minor_axis_length / BAND_AXIS_PER_LENGTH;
        q->elong = r->minor_axis_length > 0.0
                       ? r->major_axis_length / r->minor_axis_length
                       : 0.0;
        q->elongated = r->area > 0 && q->elong >= COL_MIN_ELONGATION;
        q->z = zsum + 3 * ((size_t)i + 1);
        q->area = (double)r->area;
    }
    scar__direction_sums(maps, labels, n, zsum);
    if (candidates)
        for (int32_t i = 0; i < n; i++) {
            piece *q = &pc[i];
            if (!q->elongated)
                continue;
            double v[3] = {q->z[0] / q->area, q->z[1] / q->area,
                           q->z[2] / q->area};
            if (q->elong < COL_CAND_ELONGATION ||
                scar__shadow_coloured(v, maps->sd))
                q->elongated = 0;
        }
    uint32_t w = labels->width, h = labels->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x] > 0) {
                piece *q = &pc[l[x] - 1];
                double t = ((double)x - q->cx) * q->ux + ((double)y - q->cy) * q->uy;
                q->lo = t < q->lo ? t : q->lo;
                q->hi = t > q->hi ? t : q->hi;
            }
    }
    for (int32_t i = 0; i <= n; i++)
        parent[i] = i;
    double gap_px = COL_GAP_MM * p->px_per_mm;
    double faint_px = COL_FAINT_GAP_MM * p->px_per_mm;
    /* the elongated pieces in order of x; a pair further apart in x than
     * two reaches and the gap cannot join (no n^2 over all regions) */
    int32_t ne = 0;
    double reach = 0.0;
    for (int32_t i = 0; i < n; i++)
        if (pc[i].elongated) {
            order[ne].cx = pc[i].cx;
            order[ne++].i = i;
            reach = fmax(reach, fmax(pc[i].hi, -pc[i].lo));
        }
    qsort(order, (size_t)ne, sizeof *order, by_cx);
    int any = 0;
    for (int32_t u = 0; u < ne; u++)
        for (int32_t v = u + 1; v < ne; v++) {
            int32_t i = order[u].i, j = order[v].i;
            if (order[v].cx - order[u].cx > 2.0 * reach + faint_px)
                break;
            int k = joins(&pc[i], &pc[j], gap_px, faint_px);
            if (k == 2 && !gap_carries(&pc[i], &pc[j], maps, skin, labels))
                k = 0;
            if (k) {
                scar__uf_unite(parent, i + 1, j + 1);
                fill_band(&pc[i], &pc[j], skin, labels, i + 1, candidates);
                any = 1;
            }
        }
    if (!any)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x] > 0)
                l[x] = scar__uf_root(parent, l[x]);
    }
    if (candidates) {
        /* candidates keep apart what the bands only touch: renumbered in
         * raster order of their first pixel (parent is free by now) */
        for (int32_t i = 0; i <= n; i++)
            parent[i] = 0;
        int32_t next = 0;
        for (uint32_t y = 0; y < h; y++) {
            int32_t *l = scar__labels_row(labels, y);
            for (uint32_t x = 0; x < w; x++)
                if (l[x] > 0) {
                    if (!parent[l[x]])
                        parent[l[x]] = ++next;
                    l[x] = parent[l[x]];
                }
        }
        *count = next;
    } else {
        /* the band joins each pair; relabel in raster order */
        scar__mask m = {0};
        st = scar__mask_alloc(w, h, ctx, &m);
        if (!st)
            st = scar__relabel_nonzero(labels, &m, 1, ctx, count);
        scar__plane_free(m.data);
    }
done:
    free(pc);
    free(zsum);
    free(parent);
    free(order);
    scar__regionprops_free(props);
    return st;
}
