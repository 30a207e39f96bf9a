/* hull.c — the convex hull of a mask's pixel squares, filled: what a
 * region would be without its bays (lib/segment/crescent.c). Andrew's
 * monotone chain (1979) over the corners of each row's outermost pixels;
 * a pixel belongs to the hull when its centre lies inside or on it. */
#include <stdlib.h>

#include "error.h"
#include "morph/morph.h"
#include "scarscore.h"

typedef struct {
    int64_t x, y;
} point;

static int by_xy(const void *a, const void *b)
{
    const point *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

static int64_t floor_div(int64_t a, int64_t b) /* b > 0 */
{
    int64_t q = a / b;
    return q * b > a ? q - 1 : q;
}

static int64_t ceil_div(int64_t a, int64_t b) /* b > 0 */
{
    int64_t q = a / b;
    return q * b < a ? q + 1 : q;
}

/* > 0 when o -> a -> b turns counter-clockwise (y down: clockwise on
 * screen), 0 when collinear. */
static int64_t cross(point o, point a, point b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

int scar__convex_fill(const scar__mask *in, scar__mask *out, double *area,
                      double *cx, double *cy, const char *ctx)
{
    *area = *cx = *cy = 0.0;
    uint32_t W = in->width, H = in->height;
    size_t n = 0;
    for (uint32_t y = 0; y < H; y++) {
        const uint8_t *r = scar__mask_row(in, y);
        for (uint32_t x = 0; x < W; x++)
            if (r[x]) {
                n += 4;
                break;
            }
    }
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++)
            scar__mask_row(out, y)[x] = 0;
    if (n == 0)
        return SCAR_OK;
    point *p = malloc(n * sizeof *p), *h = malloc((n + 1) * sizeof *h);
    if (!p || !h) {
        free(p);
        free(h);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (convex hull)",
                          ctx);
    }
    /* corners (doubled coordinates: pixel x spans [2x, 2x + 2]) of the
     * leftmost and the rightmost pixel of every non-empty row */
    size_t m = 0;
    for (uint32_t y = 0; y < H; y++) {
        const uint8_t *r = scar__mask_row(in, y);
        int64_t a = -1, b = -1;
        for (uint32_t x = 0; x < W; x++)
            if (r[x]) {
                if (a < 0)
                    a = x;
                b = x;
            }
        if (a < 0)
            continue;
        p[m++] = (point){2 * a, 2 * (int64_t)y};
        p[m++] = (point){2 * a, 2 * (int64_t)y + 2};
        p[m++] = (point){2 * b + 2, 2 * (int64_t)y};
        p[m++] = (point){2 * b + 2, 2 * (int64_t)y + 2};
    }
    qsort(p, m, sizeof *p, by_xy);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) { /* lower chain */
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    for (size_t i = m - 1, t = k + 1; i-- > 0;) { /* upper chain */
        while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    /* area and centroid of the polygon (shoelace; doubled coordinates) */
    double a2 = 0.0, sx = 0.0, sy = 0.0;
    for (size_t i = 0; i + 1 < k; i++) {
        double c = (double)(h[i].x * h[i + 1].y - h[i + 1].x * h[i].y);
        a2 += c;
        sx += (double)(h[i].x + h[i + 1].x) * c;
        sy += (double)(h[i].y + h[i + 1].y) * c;
    }
    *area = a2 / 8.0; /* a2 is twice the area in doubled units (x4) */
    if (a2 != 0.0) {  /* centroid in pixel-centre coordinates */
        *cx = sx / (3.0 * a2) / 2.0 - 0.5;
        *cy = sy / (3.0 * a2) / 2.0 - 0.5;
    }
    /* Each row's pixels inside: the hull meets the line through the row's
     * centres (doubled ordinate Y = 2y + 1) in one interval, whose ends
     * are edge crossings num / den (den > 0), kept exact; a centre on an
     * end counts. */
    for (uint32_t y = 0; y < H; y++) {
        int64_t Y = 2 * (int64_t)y + 1;
        int64_t ln = 0, ld = 0, rn = 0, rd = 0; /* no crossing yet: ld 0 */
        for (size_t i = 0; i + 1 < k; i++) {
            point a = h[i], b = h[i + 1];
            if ((a.y < Y && b.y < Y) || (a.y > Y && b.y > Y))
                continue;
            int64_t cn[2], cd[2];
            int nc = 1;
            if (a.y == b.y) { /* along the line: both ends */
                cn[0] = a.x, cd[0] = 1, cn[1] = b.x, cd[1] = 1, nc = 2;
            } else {
                int64_t dy = b.y - a.y, num = a.x * dy + (Y - a.y) * (b.x - a.x);
                if (dy < 0)
                    dy = -dy, num = -num;
                cn[0] = num, cd[0] = dy;
            }
            for (int j = 0; j < nc; j++) {
                if (ld == 0 || cn[j] * ld < ln * cd[j])
                    ln = cn[j], ld = cd[j];
                if (rd == 0 || cn[j] * rd > rn * cd[j])
                    rn = cn[j], rd = cd[j];
            }
        }
        uint8_t *o = scar__mask_row(out, y);
        if (ld == 0)
            continue;
        /* 2x + 1 >= ln / ld  <=>  x >= (ln - ld) / (2 ld), rounded up;
         * 2x + 1 <= rn / rd  <=>  x <= (rn - rd) / (2 rd), rounded down */
        int64_t lo = ceil_div(ln - ld, 2 * ld), hi = floor_div(rn - rd, 2 * rd);
        if (lo < 0)
            lo = 0;
        if (hi > (int64_t)W - 1)
            hi = (int64_t)W - 1;
        for (int64_t x = lo; x <= hi; x++)
            o[x] = 1;
    }
    free(p);
    free(h);
    return SCAR_OK;
}
