/* regionprops.c — per-label region properties in two passes over the label
 * image, definitions of skimage.measure.regionprops 0.19 (docs/morph.md).
 *
 * Pass 1 walks each row as runs of equal labels: area, bounding box and
 * raw moments come from closed-form run sums (exact int64, coordinates
 * relative to the region's first pixel to keep the central moments free of
 * cancellation), and the perimeter from the 3x3 border pattern of each
 * border pixel (skimage.measure.perimeter, neighbourhood 4).
 * Pass 2 (optional) records each region's leftmost and rightmost pixel per
 * row; the convex hull of the pixel-edge midpoints then follows from those
 * extremes only, and the pixel centres inside it are counted row by row
 * with exact integer arithmetic. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "scarscore.h"

#define SCAR_PI 3.14159265358979323846

typedef struct acc {
    int64_t n, sx, sy, sxx, syy, sxy;  /* relative to (rx, ry) */
    uint32_t rx, ry;                   /* first pixel in raster order */
    uint32_t x0, x1, y1;               /* bbox (y0 == ry) */
    double perimeter;
} acc;

/* sum_{i=0}^{k-1} i^2 as a polynomial, valid for negative k too */
static inline int64_t sum_sq(int64_t k) { return (k - 1) * k * (2 * k - 1) / 6; }

/* Border flags of row y: a pixel is on the border of its region when one
 * of its 4-neighbours is outside the image or has another label (the
 * binary_erosion with a cross and border_value=0 that skimage removes). */
static void border_row(const scar__labels *L, uint32_t y, uint8_t *b)
{
    const uint32_t w = L->width, h = L->height;
    const int32_t *c = scar__labels_row(L, y);
    const int32_t *u = y > 0 ? c - L->stride : NULL;
    const int32_t *d = y + 1 < h ? c + L->stride : NULL;
    for (uint32_t x = 0; x < w; x++) {
        int32_t l = c[x];
        if (!l) {
            b[x] = 0;
            continue;
        }
        b[x] = !u || !d || x == 0 || x + 1 == w || u[x] != l || d[x] != l ||
               c[x - 1] != l || c[x + 1] != l;
    }
}

/* Weight of a border pixel from 1 + 2 (#4-neighbours on the border)
 * + 10 (#diagonal neighbours on the border), same region only
 * (skimage.measure.perimeter). */
static void perimeter_weights(double wt[50])
{
    memset(wt, 0, 50 * sizeof *wt);
    wt[5] = wt[7] = wt[15] = wt[17] = wt[25] = wt[27] = 1.0;
    wt[21] = wt[33] = sqrt(2.0);
    wt[13] = wt[23] = (1.0 + sqrt(2.0)) / 2.0;
}

static int pass1(const scar__labels *L, int32_t count, acc *a, const char *fn)
{
    const uint32_t w = L->width, h = L->height;
    double wt[50];
    perimeter_weights(wt);
    uint8_t *bbuf = calloc((size_t)w * 3, 1);
    if (!bbuf)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
    uint8_t *bprev = bbuf, *bcur = bbuf + w, *bnext = bbuf + 2 * (size_t)w;
    border_row(L, 0, bcur);
    for (uint32_t y = 0; y < h; y++) {
        if (y + 1 < h)
            border_row(L, y + 1, bnext);
        else
            memset(bnext, 0, w);
        const int32_t *c = scar__labels_row(L, y);
        const int32_t *u = y > 0 ? c - L->stride : NULL;
        const int32_t *d = y + 1 < h ? c + L->stride : NULL;
        uint32_t x = 0;
        while (x < w) {
            int32_t l = c[x];
            if (l == 0) {
                x++;
                continue;
            }
            if (l < 0 || l > count) {
                free(bbuf);
                return scar__fail(SCAR_E_INVALID, "%s: label %d at (%u, %u) "
                                  "is outside 0..%d; pass the count returned "
                                  "by scar__label", fn, l, x, y, count);
            }
            uint32_t s = x;
            acc *r = &a[l - 1];
            if (r->n == 0) {
                r->rx = x, r->ry = y;
                r->x0 = x, r->x1 = x + 1;
            }
            /* perimeter of the border pixels of this run */
            double per = 0.0;
            while (x < w && c[x] == l) {
                if (bcur[x]) {
                    int na = 0, nb = 0;
                    int hasl = x > 0, hasr = x + 1 < w;
                    na += hasl && bcur[x - 1] && c[x - 1] == l;
                    na += hasr && bcur[x + 1] && c[x + 1] == l;
                    if (u) {
                        na += bprev[x] && u[x] == l;
                        nb += hasl && bprev[x - 1] && u[x - 1] == l;
                        nb += hasr && bprev[x + 1] && u[x + 1] == l;
                    }
                    if (d) {
                        na += bnext[x] && d[x] == l;
                        nb += hasl && bnext[x - 1] && d[x - 1] == l;
                        nb += hasr && bnext[x + 1] && d[x + 1] == l;
                    }
                    per += wt[1 + 2 * na + 10 * nb];
                }
                x++;
            }
            int64_t n = (int64_t)x - s;
            int64_t A = (int64_t)s - r->rx, B = (int64_t)x - r->rx;
            int64_t Y = (int64_t)y - r->ry;
            int64_t sx = n * (A + B - 1) / 2;
            r->n += n;
            r->sx += sx;
            r->sxx += sum_sq(B) - sum_sq(A);
            r->sy += n * Y;
            r->syy += n * Y * Y;
            r->sxy += Y * sx;
            r->perimeter += per;
            if (s < r->x0)
                r->x0 = s;
            if (x > r->x1)
                r->x1 = x;
            r->y1 = y + 1;
        }
        uint8_t *t = bprev;
        bprev = bcur, bcur = bnext, bnext = t;
    }
    free(bbuf);
    return SCAR_OK;
}

/* Convex area of one region from its per-row extremes xl[k], xr[k] for
 * rows y0 + k, k < hgt. Coordinates are doubled so that the pixel-edge
 * midpoints (x +- 1/2, y) and (x, y +- 1/2) are integers; level Y = 2y is a
 * row of pixel centres, odd levels lie between rows. The hull's left side is
 * the lower convex chain of the per-level minima (Andrew's monotone chain
 * with Y as abscissa), the right side the upper chain of the maxima. */
static uint64_t convex_area(const int32_t *xl, const int32_t *xr, uint32_t y0,
                            uint32_t hgt, int64_t *lu, int64_t *lv,
                            int64_t *ru, int64_t *rv)
{
    size_t nl = 0, nr = 0;
    for (uint32_t lev = 0; lev <= 2 * hgt; lev++) {
        int64_t Y = 2 * (int64_t)y0 - 1 + lev, vl, vr;
        if (lev & 1) {  /* a pixel row */
            uint32_t k = lev / 2;
            vl = 2 * (int64_t)xl[k] - 1;
            vr = 2 * (int64_t)xr[k] + 1;
        } else {        /* between rows k - 1 and k */
            uint32_t k = lev / 2;
            int64_t a = INT64_MAX, b = INT64_MIN;
            if (k > 0)
                a = xl[k - 1], b = xr[k - 1];
            if (k < hgt) {
                if (xl[k] < a)
                    a = xl[k];
                if (xr[k] > b)
                    b = xr[k];
            }
            vl = 2 * a, vr = 2 * b;
        }
        while (nl >= 2 && (lu[nl - 1] - lu[nl - 2]) * (vl - lv[nl - 2]) -
                                  (lv[nl - 1] - lv[nl - 2]) * (Y - lu[nl - 2]) <=
                              0)
            nl--;
        lu[nl] = Y, lv[nl] = vl, nl++;
        while (nr >= 2 && (ru[nr - 1] - ru[nr - 2]) * (vr - rv[nr - 2]) -
                                  (rv[nr - 1] - rv[nr - 2]) * (Y - ru[nr - 2]) >=
                              0)
            nr--;
        ru[nr] = Y, rv[nr] = vr, nr++;
    }
    uint64_t total = 0;
    size_t il = 0, ir = 0;
    for (uint32_t k = 0; k < hgt; k++) {
        int64_t Y = 2 * ((int64_t)y0 + k);
        while (lu[il + 1] < Y)
            il++;
        while (ru[ir + 1] < Y)
            ir++;
        /* boundary X at level Y on each chain, as num / den (den > 0);
         * pixel centre x is inside iff num_l <= 2x den_l and
         * 2x den_r <= num_r */
        int64_t dl = lu[il + 1] - lu[il];
        int64_t nlx = lv[il] * dl + (lv[il + 1] - lv[il]) * (Y - lu[il]);
        int64_t dr = ru[ir + 1] - ru[ir];
        int64_t nrx = rv[ir] * dr + (rv[ir + 1] - rv[ir]) * (Y - ru[ir]);
        int64_t q = 2 * dl, xmin = nlx / q;  /* ceil(nlx / q) */
        if (xmin * q < nlx)
            xmin++;
        q = 2 * dr;
        int64_t xmax = nrx / q;              /* floor(nrx / q) */
        if (xmax * q > nrx)
            xmax--;
        if (xmax >= xmin)
            total += (uint64_t)(xmax - xmin + 1);
    }
    return total;
}

static int pass2_convex(const scar__labels *L, int32_t count,
                        scar__region *reg, const char *fn)
{
    size_t *off = malloc(((size_t)count + 1) * sizeof *off);
    if (!off)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
    size_t total = 0;
    uint32_t maxh = 0;
    for (int32_t i = 0; i < count; i++) {
        off[i] = total;
        uint32_t hgt = reg[i].area ? reg[i].y1 - reg[i].y0 : 0;
        total += hgt;
        if (hgt > maxh)
            maxh = hgt;
    }
    off[count] = total;
    int32_t *xl = malloc((total ? total : 1) * sizeof *xl);
    int32_t *xr = malloc((total ? total : 1) * sizeof *xr);
    size_t nlev = 2 * (size_t)maxh + 2;
    int64_t *chain = malloc(4 * nlev * sizeof *chain);
    if (!xl || !xr || !chain) {
        free(off), free(xl), free(xr), free(chain);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for convex hulls",
                          fn);
    }
    for (size_t i = 0; i < total; i++)
        xl[i] = INT32_MAX, xr[i] = -1;
    const uint32_t w = L->width;
    for (uint32_t y = 0; y < L->height; y++) {
        const int32_t *c = scar__labels_row(L, y);
        uint32_t x = 0;
        while (x < w) {
            int32_t l = c[x];
            if (!l) {
                x++;
                continue;
            }
            uint32_t s = x;
            while (x < w && c[x] == l)
                x++;
            size_t k = off[l - 1] + (y - reg[l - 1].y0);
            if ((int32_t)s < xl[k])
                xl[k] = (int32_t)s;
            if ((int32_t)x - 1 > xr[k])
                xr[k] = (int32_t)x - 1;
        }
    }
    for (int32_t i = 0; i < count; i++) {
        scar__region *r = &reg[i];
        if (!r->area)
            continue;
        /* a region that is not 8-connected may skip rows; fill such rows
         * with the previous row's extremes, which leaves the hull as is */
        uint32_t hgt = r->y1 - r->y0;
        for (uint32_t k = 1; k < hgt; k++)
            if (xr[off[i] + k] < 0)
                xl[off[i] + k] = xl[off[i] + k - 1], xr[off[i] + k] = xr[off[i] + k - 1];
        r->convex_area = convex_area(xl + off[i], xr + off[i], r->y0, hgt,
                                     chain, chain + nlev, chain + 2 * nlev,
                                     chain + 3 * nlev);
        r->solidity = (double)r->area / (double)r->convex_area;
    }
    free(off), free(xl), free(xr), free(chain);
    return SCAR_OK;
}

static void finish(const acc *a, int32_t label, scar__region *r)
{
    memset(r, 0, sizeof *r);
    r->label = label;
    if (a->n == 0)
        return;
    const double n = (double)a->n;
    r->area = (uint64_t)a->n;
    r->y0 = a->ry, r->x0 = a->x0, r->y1 = a->y1, r->x1 = a->x1;
    const double mx = a->sx / n, my = a->sy / n;
    r->centroid_x = a->rx + mx;
    r->centroid_y = a->ry + my;
    r->mu_xx = (double)a->sxx - (double)a->sx * mx;
    r->mu_yy = (double)a->syy - (double)a->sy * my;
    r->mu_xy = (double)a->sxy - (double)a->sx * my;
    /* inertia tensor [[a, b], [b, c]] as skimage: a = mu_xx / n (row axis
     * entry = second moment of the other axis), b = -mu_xy / n,
     * c = mu_yy / n; eigenvalues clipped at 0 */
    const double ta = r->mu_xx / n, tb = -r->mu_xy / n, tc = r->mu_yy / n;
    const double mean = 0.5 * (ta + tc);
    const double rad = sqrt(0.25 * (ta - tc) * (ta - tc) + tb * tb);
    double l1 = mean + rad, l2 = mean - rad;
    if (l1 < 0)
        l1 = 0;
    if (l2 < 0)
        l2 = 0;
    r->major_axis_length = 4.0 * sqrt(l1);
    r->minor_axis_length = 4.0 * sqrt(l2);
    r->eccentricity = l1 == 0 ? 0.0 : sqrt(1.0 - l2 / l1);
    if (ta - tc == 0)
        r->orientation = tb < 0 ? -SCAR_PI / 4 : SCAR_PI / 4;
    else
        r->orientation = 0.5 * atan2(-2.0 * tb, tc - ta);
    r->perimeter = a->perimeter;
    r->equivalent_diameter = sqrt(4.0 * n / SCAR_PI);
}

double scar__elongation(double n, double sx, double sy, double sxx,
                        double syy, double sxy)
{
    if (!(n > 0))
        return 1.0;
    double mx = sx / n, my = sy / n;
    double cxx = sxx / n - mx * mx, cyy = syy / n - my * my,
           cxy = sxy / n - mx * my;
    double mean = 0.5 * (cxx + cyy);
    double rad = sqrt(0.25 * (cxx - cyy) * (cxx - cyy) + cxy * cxy);
    double l1 = fmax(0.0, mean + rad), l2 = fmax(0.0, mean - rad);
    /* the sums lose ~1e-16 of x^2 to cancellation: below, nil */
    double eps = 1e-9 * (1.0 + mx * mx + my * my);
    if (l1 <= eps)
        return 1.0;
    return l2 > eps ? sqrt(l1 / l2) : INFINITY;
}

int scar__regionprops(const scar__labels *labels, int32_t count,
                      int with_convex, scar__region **out)
{
    return scar__regionprops_at(labels, 0, 0, count, with_convex, out);
}

int scar__regionprops_at(const scar__labels *labels, uint32_t ox, uint32_t oy,
                         int32_t count, int with_convex, scar__region **out)
{
    static const char fn[] = "scar__regionprops";
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", fn);
    *out = NULL;
    if (!labels || !labels->data || !labels->width || !labels->height ||
        labels->stride < labels->width)
        return scar__fail(SCAR_E_INVALID, "%s: labels is NULL, empty or has "
                          "a stride below its width", fn);
    if (count < 0)
        return scar__fail(SCAR_E_INVALID, "%s: count %d is negative", fn,
                          count);
    acc *a = calloc(count ? (size_t)count : 1, sizeof *a);
    if (!a)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for %d regions",
                          fn, count);
    int st = pass1(labels, count, a, fn);
    if (st) {
        free(a);
        return st;
    }
    if (count == 0) {
        free(a);
        return SCAR_OK;
    }
    scar__region *reg = malloc((size_t)count * sizeof *reg);
    if (!reg) {
        free(a);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for %d regions",
                          fn, count);
    }
    for (int32_t i = 0; i < count; i++)
        finish(&a[i], i + 1, &reg[i]);
    /* the convex hull is found in the window's coordinates (its integer
     * count does not depend on them) */
    if (with_convex) {
        st = pass2_convex(labels, count, reg, fn);
        if (st) {
            free(a);
            free(reg);
            return st;
        }
    }
    if (ox || oy)
        for (int32_t i = 0; i < count; i++) {
            if (a[i].n == 0)
                continue;
            /* the moments are relative to the first pixel: moving it moves
             * the region, with the same arithmetic as a whole-map pass */
            a[i].rx += ox, a[i].x0 += ox, a[i].x1 += ox;
            a[i].ry += oy, a[i].y1 += oy;
            uint64_t convex = reg[i].convex_area;
            double solidity = reg[i].solidity;
            finish(&a[i], i + 1, &reg[i]);
            reg[i].convex_area = convex;
            reg[i].solidity = solidity;
        }
    free(a);
    *out = reg;
    return SCAR_OK;
}

void scar__regionprops_free(scar__region *regions) { free(regions); }
