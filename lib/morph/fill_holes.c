/* fill_holes.c — scipy.ndimage.binary_fill_holes with its default
 * structure: the background that can be reached from outside the image
 * through 4-connected background pixels stays 0, every other pixel becomes
 * 1. A scanline flood fill (Heckbert, "A seed fill algorithm", Graphics
 * Gems 1990) from every background pixel on the border marks the reachable
 * background; each pixel is visited a bounded number of times, and the seed
 * stack holds spans, not pixels. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "scarscore.h"

/* work[] values */
enum { BG = 0, FG = 1, REACHED = 2 };

typedef struct seed_stack {
    uint32_t *xy;  /* pairs (x, y) */
    size_t n, cap;
} seed_stack;

static int push(seed_stack *s, uint32_t x, uint32_t y)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint32_t *p = realloc(s->xy, cap * 2 * sizeof *p);
        if (!p)
            return -1;
        s->xy = p;
        s->cap = cap;
    }
    s->xy[2 * s->n] = x;
    s->xy[2 * s->n + 1] = y;
    s->n++;
    return 0;
}

/* Push one seed per maximal run of BG pixels in row y within [xl, xr]. */
static int push_runs(seed_stack *s, uint8_t *row, uint32_t y, uint32_t xl,
                     uint32_t xr)
{
    uint32_t x = xl;
    while (x <= xr) {
        while (x <= xr && row[x] != BG)
            x++;
        if (x > xr)
            break;
        if (push(s, x, y))
            return -1;
        while (x <= xr && row[x] == BG)
            x++;
    }
    return 0;
}

int scar__fill_holes(const scar__mask *in, scar__mask *out)
{
    static const char fn[] = "scar__fill_holes";
    int st = scar__check_mask(in, fn, "in");
    if (st == SCAR_OK)
        st = scar__check_mask(out, fn, "out");
    if (st == SCAR_OK)
        st = scar__check_same_size(in->width, in->height, out->width,
                                   out->height, fn, "out");
    if (st)
        return st;
    const uint32_t w = in->width, h = in->height;
    uint8_t *work = malloc((size_t)w * h);
    seed_stack s = {0};
    if (!work)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u mask",
                          fn, w, h);
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *src = scar__mask_row(in, y);
        uint8_t *dst = work + (size_t)y * w;
        for (uint32_t x = 0; x < w; x++)
            dst[x] = src[x] != 0;
    }
    int oom = 0;
    /* Seeds: the background of the first and last rows and columns. */
    oom |= push_runs(&s, work, 0, 0, w - 1);
    oom |= push_runs(&s, work + (size_t)(h - 1) * w, h - 1, 0, w - 1);
    for (uint32_t y = 1; y + 1 < h && !oom; y++) {
        if (work[(size_t)y * w] == BG)
            oom |= push(&s, 0, y);
        if (work[(size_t)y * w + w - 1] == BG)
            oom |= push(&s, w - 1, y);
    }
    while (s.n && !oom) {
        s.n--;
        uint32_t x = s.xy[2 * s.n], y = s.xy[2 * s.n + 1];
        uint8_t *row = work + (size_t)y * w;
        if (row[x] != BG)
            continue;
        uint32_t xl = x, xr = x;
        while (xl > 0 && row[xl - 1] == BG)
            xl--;
        while (xr + 1 < w && row[xr + 1] == BG)
            xr++;
        memset(row + xl, REACHED, (size_t)(xr - xl + 1));
        if (y > 0)
            oom |= push_runs(&s, row - w, y - 1, xl, xr);
        if (y + 1 < h && !oom)
            oom |= push_runs(&s, row + w, y + 1, xl, xr);
    }
    free(s.xy);
    if (oom) {
        free(work);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for the fill "
                          "stack of a %ux%u mask", fn, w, h);
    }
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *src = work + (size_t)y * w;
        uint8_t *dst = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            dst[x] = src[x] != REACHED;
    }
    free(work);
    return SCAR_OK;
}
