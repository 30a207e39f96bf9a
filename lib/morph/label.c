/* label.c — connected-component labelling (4- or 8-connectivity).
 *
 * Run-based two-pass labelling (He, Chao & Suzuki, "A run-based two-scan
 * labeling algorithm", IEEE TIP 2008): pass 1 collects the runs of each row
 * and unites each run with the overlapping runs of the previous row in a
 * union-find over runs; union keeps the smaller run index as the root, so a
 * component's root is its first run in raster order. Numbering roots in run
 * order therefore numbers components by their first pixel in raster order,
 * exactly like skimage.measure.label. Pass 2 writes the labels. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "scarscore.h"

typedef struct runs {
    uint32_t *start, *end;  /* [start, end) columns */
    int32_t *parent;        /* union-find over run indices */
    size_t n, cap;
} runs;

static int runs_push(runs *r, uint32_t s, uint32_t e)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4096;
        uint32_t *ns = realloc(r->start, cap * sizeof *ns);
        if (ns)
            r->start = ns;
        uint32_t *ne = realloc(r->end, cap * sizeof *ne);
        if (ne)
            r->end = ne;
        int32_t *np = realloc(r->parent, cap * sizeof *np);
        if (np)
            r->parent = np;
        if (!ns || !ne || !np)
            return -1;
        r->cap = cap;
    }
    r->start[r->n] = s;
    r->end[r->n] = e;
    r->parent[r->n] = (int32_t)r->n;
    r->n++;
    return 0;
}

static inline int32_t find_root(int32_t *parent, int32_t i)
{
    int32_t root = i;
    while (parent[root] != root)
        root = parent[root];
    while (parent[i] != root) {  /* path compression */
        int32_t next = parent[i];
        parent[i] = root;
        i = next;
    }
    return root;
}

static inline void unite(int32_t *parent, int32_t a, int32_t b)
{
    a = find_root(parent, a);
    b = find_root(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* Runs of row y: set pixels of `in` (and of `valid` when given). Fast skip
 * over zero bytes eight at a time. */
static int row_runs(const uint8_t *src, const uint8_t *val, uint32_t w,
                    runs *r)
{
    uint32_t x = 0;
    while (x < w) {
        if (!val) {
            while (x + 8 <= w) {
                uint64_t word;
                memcpy(&word, src + x, 8);
                if (word)
                    break;
                x += 8;
            }
        }
        while (x < w && !(src[x] && (!val || val[x])))
            x++;
        if (x >= w)
            break;
        uint32_t s = x;
        while (x < w && src[x] && (!val || val[x]))
            x++;
        if (runs_push(r, s, x))
            return -1;
    }
    return 0;
}

int scar__label(const scar__mask *in, const scar__mask *valid,
                int connectivity, scar__labels *out, int32_t *count)
{
    static const char fn[] = "scar__label";
    int st = scar__check_mask(in, fn, "in");
    if (st == SCAR_OK && valid)
        st = scar__check_mask(valid, fn, "valid");
    if (st == SCAR_OK && valid)
        st = scar__check_same_size(in->width, in->height, valid->width,
                                   valid->height, fn, "valid");
    if (st)
        return st;
    if (!out || !out->data || out->stride < out->width)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL or has a stride "
                          "below its width; pass a labels view", fn);
    st = scar__check_same_size(in->width, in->height, out->width, out->height,
                               fn, "out");
    if (st)
        return st;
    if (connectivity != 4 && connectivity != 8)
        return scar__fail(SCAR_E_INVALID, "%s: connectivity %d; use 4 or 8",
                          fn, connectivity);
    if (!count)
        return scar__fail(SCAR_E_INVALID, "%s: count is NULL", fn);

    const uint32_t w = in->width, h = in->height;
    /* Touching diagonally counts for 8-connectivity: a previous-row run
     * [ps, pe) touches [s, e) when ps < e + grow and pe + grow > s. */
    const uint32_t grow = connectivity == 8 ? 1 : 0;
    size_t *row_first = malloc(((size_t)h + 1) * sizeof *row_first);
    runs r = {0};
    if (!row_first)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
    for (uint32_t y = 0; y < h; y++) {
        row_first[y] = r.n;
        if (row_runs(scar__mask_row(in, y),
                     valid ? scar__mask_row(valid, y) : NULL, w, &r))
            goto oom;
        if (y == 0)
            continue;
        size_t p = row_first[y - 1], pend = row_first[y];
        for (size_t i = row_first[y]; i < r.n; i++) {
            uint32_t s = r.start[i], e = r.end[i];
            /* skip previous runs entirely left of this one */
            while (p < pend && r.end[p] + grow <= s)
                p++;
            for (size_t q = p; q < pend && r.start[q] < e + grow; q++)
                unite(r.parent, (int32_t)q, (int32_t)i);
        }
    }
    row_first[h] = r.n;
    if (r.n > (size_t)INT32_MAX)
        goto oom;
    /* Number the roots in run order; reuse parent[] for the final label
     * (negative while being a label, to tell it apart from run indices). */
    int32_t n = 0;
    for (size_t i = 0; i < r.n; i++) {
        int32_t pi = r.parent[i];
        if (pi == (int32_t)i) {
            r.parent[i] = -(++n);
        } else {
            /* parent index < i, already resolved to a (negative) label
             * or to a run whose chain ends in one */
            int32_t j = pi;
            while (j >= 0)
                j = r.parent[j];
            r.parent[i] = j;
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        int32_t *dst = scar__labels_row(out, y);
        memset(dst, 0, (size_t)w * sizeof *dst);
        for (size_t i = row_first[y]; i < row_first[y + 1]; i++) {
            int32_t lab = -r.parent[i];
            for (uint32_t x = r.start[i]; x < r.end[i]; x++)
                dst[x] = lab;
        }
    }
    *count = n;
    free(row_first), free(r.start), free(r.end), free(r.parent);
    return SCAR_OK;
oom:
    free(row_first), free(r.start), free(r.end), free(r.parent);
    return scar__fail(SCAR_E_NOMEM, "%s: out of memory for the runs of a "
                      "%ux%u mask", fn, w, h);
}
