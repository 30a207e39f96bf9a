/* disk.c — binary dilation/erosion/opening/closing by the disk
 * D_r = {dx^2 + dy^2 <= r^2} (skimage.morphology.disk) in O(width*height),
 * independent of r.
 *
 * Why it is exact: p = (x, y) is in dilate(A, D_r) iff some set pixel
 * (x', y') has (x - x')^2 + (y - y')^2 <= r^2. Let g(x', y) be the vertical
 * distance from (x', y) to the nearest set pixel of column x'. Then p is in
 * the dilation iff some column x' has g(x', y) <= r and
 * |x - x'| <= w(g) = floor(sqrt(r^2 - g^2)) — the half chord of the disk at
 * height g. This is the threshold of the exact EDT (Meijster et al. 2000)
 * with its second phase replaced by a union of intervals, so each row costs
 * O(width). g is capped at r + 1 ("too far") and kept in uint16.
 *
 * Borders (scipy.ndimage border_value=0): for dilation the outside is
 * empty. Erosion is computed as the complement of the dilation of the
 * complement, in which the outside counts as set. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "scarscore.h"

#define MAX_RADIUS 32767u

/* out = dilate(S, D_r) where S = (in != 0) XOR invert, with the outside of
 * the image set when outside_set; the written value is (result XOR invert).
 * With invert = outside_set = 1 this is the erosion with border_value 0. */
static int dilate_core(const scar__mask *in, uint32_t r, int invert,
                       scar__mask *out, uint16_t *scratch, const char *fn)
{
    const uint32_t w = in->width, h = in->height;
    const int outside_set = invert;
    const uint16_t cap = (uint16_t)(r + 1);
    /* per-pixel run lengths: the caller's scratch or an own buffer */
    uint16_t *own = scratch ? NULL : malloc((size_t)w * h * sizeof *own);
    uint16_t *down = scratch ? scratch : own;
    uint16_t *up = malloc((size_t)w * sizeof *up);
    int32_t *chord = malloc(((size_t)r + 2) * sizeof *chord);
    int32_t *reach = malloc(((size_t)w + 1) * sizeof *reach);
    /* per row: set pixels of S; prefix count of rows holding any */
    uint32_t *nset = malloc(((size_t)h + 1) * sizeof *nset);
    uint32_t *busy = malloc(((size_t)h + 1) * sizeof *busy);
    if (!down || !up || !chord || !reach || !nset || !busy) {
        free(own), free(up), free(chord), free(reach), free(nset), free(busy);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u mask",
                          fn, w, h);
    }
    /* Half chord w(d) = floor(sqrt(r^2 - d^2)), with the integer root fixed
     * up so that rounding of sqrt never changes the disk. */
    for (uint32_t d = 0; d <= r; d++) {
        int64_t rem = (int64_t)r * r - (int64_t)d * d;
        int64_t c = (int64_t)sqrt((double)rem);
        while (c * c > rem)
            c--;
        while ((c + 1) * (c + 1) <= rem)
            c++;
        chord[d] = (int32_t)c;
    }
    chord[r + 1] = -1;
    const uint8_t flip = invert ? 1 : 0;

    /* Forward sweep: distance to the nearest set pixel at or above. */
    uint16_t edge = outside_set ? 0 : cap;
    busy[0] = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *src = scar__mask_row(in, y);
        uint16_t *d = down + (size_t)y * w;
        const uint16_t *prev = y ? d - w : NULL;
        uint32_t n = 0;
        for (uint32_t x = 0; x < w; x++) {
            int set = (src[x] != 0) ^ flip;
            uint16_t above = prev ? prev[x] : edge;
            uint16_t v = above >= cap ? cap : (uint16_t)(above + 1);
            d[x] = set ? 0 : v;
            n += (uint32_t)set;
        }
        nset[y] = n;
        busy[y + 1] = busy[y] + (n > 0);
    }
    /* Backward sweep: combine with the distance below, then spread each
     * column's chord along the row. */
    for (uint32_t x = 0; x < w; x++)
        up[x] = edge;
    for (uint32_t yy = h; yy-- > 0;) {
        const uint16_t *d = down + (size_t)yy * w;
        uint8_t *dst = scar__mask_row(out, yy);
        /* Rows decided without the chords (most rows of a sparse mask or
         * of its complement): a full row of S covers itself; a row with
         * no S within r rows (outside empty) is covered by nothing. */
        if (nset[yy] == w) {
            memset(up, 0, (size_t)w * sizeof *up);
            memset(dst, 1 ^ flip, w);
            continue;
        }
        uint32_t lo = yy > r ? yy - r : 0;
        uint32_t hi = h - 1 - yy > r ? yy + r : h - 1;
        if (!outside_set && busy[hi + 1] == busy[lo]) {
            for (uint32_t x = 0; x < w; x++)
                up[x] = cap;
            memset(dst, flip, w);
            continue;
        }
        for (uint32_t x = 0; x < w; x++) {
            uint16_t below = up[x] >= cap ? cap : (uint16_t)(up[x] + 1);
            up[x] = d[x] == 0 ? 0 : below;
        }
        /* reach[s] = furthest column covered by an interval starting at s */
        for (uint32_t x = 0; x <= w; x++)
            reach[x] = -1;
        if (outside_set && r > 0) {  /* columns -1 and w are set */
            reach[0] = (int32_t)r - 1;
            int64_t s = (int64_t)w - r;
            reach[s < 0 ? 0 : s] = (int32_t)w - 1;
        }
        for (uint32_t x = 0; x < w; x++) {
            uint16_t g = d[x] < up[x] ? d[x] : up[x];
            if (g >= cap)
                continue;
            int32_t c = chord[g];
            int64_t s = (int64_t)x - c;
            if (s < 0)
                s = 0;
            int32_t e = (int32_t)x + c;
            if (e > reach[s])
                reach[s] = e;
        }
        int32_t cur = -1;
        for (uint32_t x = 0; x < w; x++) {
            if (reach[x] > cur)
                cur = reach[x];
            dst[x] = (uint8_t)((cur >= (int32_t)x) ^ flip);
        }
    }
    free(own), free(up), free(chord), free(reach), free(nset), free(busy);
    return SCAR_OK;
}

static int check_args(const scar__mask *in, uint32_t radius,
                      const scar__mask *out, const char *fn)
{
    int st = scar__check_mask(in, fn, "in");
    if (st == SCAR_OK)
        st = scar__check_mask(out, fn, "out");
    if (st == SCAR_OK)
        st = scar__check_same_size(in->width, in->height, out->width,
                                   out->height, fn, "out");
    if (st == SCAR_OK && radius > MAX_RADIUS)
        st = scar__fail(SCAR_E_INVALID,
                        "%s: radius %u px exceeds the limit %u; downsample "
                        "the mask first",
                        fn, radius, MAX_RADIUS);
    return st;
}

int scar__dilate_disk(const scar__mask *in, uint32_t radius, scar__mask *out)
{
    int st = check_args(in, radius, out, "scar__dilate_disk");
    return st ? st : dilate_core(in, radius, 0, out, NULL, "scar__dilate_disk");
}

int scar__erode_disk(const scar__mask *in, uint32_t radius, scar__mask *out)
{
    int st = check_args(in, radius, out, "scar__erode_disk");
    return st ? st : dilate_core(in, radius, 1, out, NULL, "scar__erode_disk");
}

int scar__open_disk(const scar__mask *in, uint32_t radius, scar__mask *out)
{
    return scar__open_disk_scratch(in, radius, out, NULL);
}

int scar__open_disk_scratch(const scar__mask *in, uint32_t radius,
                            scar__mask *out, uint16_t *scratch)
{
    int st = check_args(in, radius, out, "scar__open_disk");
    if (st == SCAR_OK)
        st = dilate_core(in, radius, 1, out, scratch, "scar__open_disk");
    if (st == SCAR_OK)
        st = dilate_core(out, radius, 0, out, scratch, "scar__open_disk");
    return st;
}

int scar__close_disk(const scar__mask *in, uint32_t radius, scar__mask *out)
{
    return scar__close_disk_scratch(in, radius, out, NULL);
}

int scar__close_disk_scratch(const scar__mask *in, uint32_t radius,
                             scar__mask *out, uint16_t *scratch)
{
    int st = check_args(in, radius, out, "scar__close_disk");
    if (st == SCAR_OK)
        st = dilate_core(in, radius, 0, out, scratch, "scar__close_disk");
    if (st == SCAR_OK)
        st = dilate_core(out, radius, 1, out, scratch, "scar__close_disk");
    return st;
}
