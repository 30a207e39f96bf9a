/* touching.c — regions that touch after refinement: joined when their
 * colour differences agree, kept apart when opposed; see segment.h and
 * docs/segment.md.
 *
 * Each region is refined on its own and may grow up to a neighbour's
 * edge. Joining every pair that touches (the relabelling of all
 * non-zero pixels) put a dark pit and the lighter skin patch beside it,
 * or the fragments of two lesions of opposite kinds, into one region
 * that matches neither. Two fragments of one lesion differ from the skin
 * the same way; a pit and the lighter skin around it do not. */
#include <stdlib.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

/* Joins a and b (the smaller root stays the root) when their sums point
 * the same way. */
static void join_if_agreeing(int32_t *parent, const double *sum, int32_t a,
                             int32_t b)
{
    const double *u = sum + 3 * a, *v = sum + 3 * b;
    if (u[0] * v[0] + u[1] * v[1] + u[2] * v[2] > 0.0)
        scar__uf_unite(parent, a, b);
}

int scar__relabel_agreeing(const scar__anomaly_maps *maps,
                           scar__labels *labels, uint64_t min_area,
                           const char *ctx, int32_t *count)
{
    int32_t n = *count;
    if (n <= 0) {
        *count = 0;
        return SCAR_OK;
    }
    double *sum = calloc(3 * ((size_t)n + 1), sizeof *sum);
    int32_t *parent = malloc(((size_t)n + 1) * sizeof *parent);
    if (!sum || !parent) {
        free(sum);
        free(parent);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (touching "
                          "regions)", ctx);
    }
    for (int32_t k = 0; k <= n; k++)
        parent[k] = k;
    scar__direction_sums(maps, labels, n, sum);
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
                    join_if_agreeing(parent, sum, a, nb[j]);
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        int32_t *l = scar__labels_row(labels, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x] > 0 && l[x] <= n)
                l[x] = scar__uf_root(parent, l[x]);
    }
    free(sum);
    free(parent);
    int32_t parts = 0;
    int st = scar__label_values(labels, 8, labels, &parts);
    if (!st)
        st = scar__drop_small_labels(labels, parts, min_area, ctx, count);
    return st;
}
