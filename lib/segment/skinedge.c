/* skinedge.c — how much of each region's outline borders excluded pixels
 * (not skin: background, clothing, hair, lips, nostrils, deep shadow,
 * glare); see segment.h and docs/segment.md.
 *
 * Next to the edge of the skin mask the local skin model is extrapolated
 * and the surface turns away from the light (face contours, the jaw line,
 * skin against a finger or a collar), beard stubble and the fringe of
 * what the mask left out darken or redden the skin: a region running
 * along that edge is the edge, not a lesion. A lesion has healthy skin
 * around most of its outline. The photo's border counts as such an edge
 * (session 8): on the acne-scar photos, regions running along it were
 * lips, folds, ears, hair and light falling off toward the frame, and a
 * lesion the frame cuts cannot be measured whole anyway
 * (docs/segment.md, step 6). The edges against glare are also counted
 * apart: glare adds light, and only a region lighter than the skin can be
 * its halo (significance.c decides which count applies). */
#include <stdlib.h>

#include "error.h"
#include "segment/segment.h"

/* A boundary edge between pixels a and b: when exactly one is in a region
 * k > 0, it counts for k, and as a skin-edge when the other pixel is
 * excluded (not skin) or glare (g_a, g_b: glare or its halo zone, which
 * may be skin); `ng`, when given, counts the edges against excluded
 * pixels that are not glare. */
static void count_edge(int32_t a, int32_t b, uint8_t skin_a, uint8_t skin_b,
                       uint8_t g_a, uint8_t g_b, double *tot, double *edge,
                       double *ng)
{
    if (a == b)
        return;
    if (a > 0) {
        int out = b <= 0;
        tot[a - 1] += 1;
        edge[a - 1] += out && (!skin_b || g_b);
        if (ng)
            ng[a - 1] += out && !skin_b && !g_b;
    }
    if (b > 0) {
        int out = a <= 0;
        tot[b - 1] += 1;
        edge[b - 1] += out && (!skin_a || g_a);
        if (ng)
            ng[b - 1] += out && !skin_a && !g_a;
    }
}

int scar__skin_edge_fraction(const scar__labels *labels,
                             const scar__mask *skin, const scar__mask *glare,
                             int32_t count, const char *ctx, double *frac,
                             double *frac_no_glare)
{
    double *ng = glare ? frac_no_glare : NULL;
    if (count <= 0)
        return SCAR_OK;
    double *tot = calloc((size_t)count, sizeof *tot);
    if (!tot)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (skin edge)", ctx);
    for (int32_t k = 0; k < count; k++) {
        frac[k] = 0.0;
        if (frac_no_glare)
            frac_no_glare[k] = 0.0;
    }
    uint32_t w = labels->width, h = labels->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const uint8_t *s = scar__mask_row(skin, y);
        const int32_t *lu = y > 0 ? scar__labels_row(labels, y - 1) : NULL;
        const uint8_t *su = y > 0 ? scar__mask_row(skin, y - 1) : NULL;
        const uint8_t *g = ng ? scar__mask_row(glare, y) : NULL;
        const uint8_t *gu = ng && y > 0 ? scar__mask_row(glare, y - 1) : NULL;
        for (uint32_t x = 0; x < w; x++) {
            if (x > 0)
                count_edge(l[x - 1], l[x], s[x - 1], s[x], g ? g[x - 1] : 0,
                           g ? g[x] : 0, tot, frac, ng);
            if (lu)
                count_edge(lu[x], l[x], su[x], s[x], gu ? gu[x] : 0,
                           g ? g[x] : 0, tot, frac, ng);
        }
    }
    /* each side of a region pixel on the photo's border is an edge of
     * the skin: the first and last rows, and the first and last pixels of
     * the rows between */
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        int row_edge = (y == 0) + (y + 1 == h);
        uint32_t step = row_edge ? 1 : (w > 1 ? w - 1 : 1);
        for (uint32_t x = 0; x < w; x += step) {
            if (l[x] <= 0)
                continue;
            int n = row_edge + (x == 0) + (x + 1 == w);
            tot[l[x] - 1] += n;
            frac[l[x] - 1] += n;
            if (ng)
                ng[l[x] - 1] += n;
        }
    }
    for (int32_t k = 0; k < count; k++)
        if (tot[k] > 0) {
            frac[k] /= tot[k];
            if (ng)
                ng[k] /= tot[k];
        }
    if (frac_no_glare && !ng)
        for (int32_t k = 0; k < count; k++)
            frac_no_glare[k] = frac[k];
    free(tot);
    return SCAR_OK;
}
