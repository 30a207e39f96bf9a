/* label.c — connected-component labelling (4- or 8-connectivity) of a
 * mask's set pixels, or of a label map's runs of equal value.
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
    int32_t *value;         /* the run's value (1 for a mask's runs) */
    int32_t *parent;        /* union-find over run indices */
    size_t n, cap;
} runs;

static void runs_free(runs *r)
{
    free(r->start), free(r->end), free(r->value), free(r->parent);
}

static int runs_push(runs *r, uint32_t s, uint32_t e, int32_t v)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4096;
        uint32_t *ns = realloc(r->start, cap * sizeof *ns);
        if (ns)
            r->start = ns;
        uint32_t *ne = realloc(r->end, cap * sizeof *ne);
        if (ne)
            r->end = ne;
        int32_t *nv = realloc(r->value, cap * sizeof *nv);
        if (nv)
            r->value = nv;
        int32_t *np = realloc(r->parent, cap * sizeof *np);
        if (np)
            r->parent = np;
        if (!ns || !ne || !nv || !np)
            return -1;
        r->cap = cap;
    }
    r->start[r->n] = s;
    r->end[r->n] = e;
    r->value[r->n] = v;
    r->parent[r->n] = (int32_t)r->n;
    r->n++;
    return 0;
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
        if (runs_push(r, s, x, 1))
            return -1;
    }
    return 0;
}

/* Runs of equal non-zero value in a row of labels. */
static int row_value_runs(const int32_t *src, uint32_t w, runs *r)
{
    uint32_t x = 0;
    while (x < w) {
        while (x < w && !src[x])
            x++;
        if (x >= w)
            break;
        uint32_t s = x;
        int32_t v = src[x];
        while (x < w && src[x] == v)
            x++;
        if (runs_push(r, s, x, v))
            return -1;
    }
    return 0;
}

/* The source of the runs: a mask (with its `valid` mask) or a label map. */
typedef struct run_source {
    const scar__mask *in, *valid;
    const scar__labels *values;
} run_source;

static int source_row_runs(const run_source *src, uint32_t y, uint32_t w,
                           runs *r)
{
    if (src->values)
        return row_value_runs(scar__labels_row(src->values, y), w, r);
    return row_runs(scar__mask_row(src->in, y),
                    src->valid ? scar__mask_row(src->valid, y) : NULL, w, r);
}

/* Both passes over checked arguments: runs of equal value that touch are
 * one component. */
static int label_runs(const run_source *src, uint32_t w, uint32_t h,
                      int connectivity, scar__labels *out, int32_t *count,
                      const char *fn)
{
    /* Touching diagonally counts for 8-connectivity: a previous-row run
     * [ps, pe) touches [s, e) when ps < e + grow and pe + grow > s. */
    const uint32_t grow = connectivity == 8 ? 1 : 0;
    size_t *row_first = malloc(((size_t)h + 1) * sizeof *row_first);
    runs r = {0};
    if (!row_first)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
    for (uint32_t y = 0; y < h; y++) {
        row_first[y] = r.n;
        if (source_row_runs(src, y, w, &r))
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
                if (r.value[q] == r.value[i])
                    scar__uf_unite(r.parent, (int32_t)q, (int32_t)i);
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
    /* every row's runs are collected before the first row is written:
     * `out` may be the source label map */
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
    free(row_first);
    runs_free(&r);
    return SCAR_OK;
oom:
    free(row_first);
    runs_free(&r);
    return scar__fail(SCAR_E_NOMEM, "%s: out of memory for the runs of a "
                      "%ux%u image", fn, w, h);
}

/* Checks shared by both entry points: out's view, its size, the
 * connectivity and count. */
static int check_out(uint32_t w, uint32_t h, int connectivity,
                     const scar__labels *out, const int32_t *count,
                     const char *fn)
{
    if (!out || !out->data || out->stride < out->width)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL or has a stride "
                          "below its width; pass a labels view", fn);
    int st = scar__check_same_size(w, h, out->width, out->height, fn, "out");
    if (st)
        return st;
    if (connectivity != 4 && connectivity != 8)
        return scar__fail(SCAR_E_INVALID, "%s: connectivity %d; use 4 or 8",
                          fn, connectivity);
    if (!count)
        return scar__fail(SCAR_E_INVALID, "%s: count is NULL", fn);
    return SCAR_OK;
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
    if (st == SCAR_OK)
        st = check_out(in->width, in->height, connectivity, out, count, fn);
    if (st)
        return st;
    run_source src = {in, valid, NULL};
    return label_runs(&src, in->width, in->height, connectivity, out, count,
                      fn);
}

int scar__label_values(const scar__labels *in, int connectivity,
                       scar__labels *out, int32_t *count)
{
    static const char fn[] = "scar__label_values";
    if (!in || !in->data || in->stride < in->width)
        return scar__fail(SCAR_E_INVALID, "%s: in is NULL or has a stride "
                          "below its width; pass a labels view", fn);
    int st = check_out(in->width, in->height, connectivity, out, count, fn);
    if (st)
        return st;
    run_source src = {NULL, NULL, in};
    return label_runs(&src, in->width, in->height, connectivity, out, count,
                      fn);
}
