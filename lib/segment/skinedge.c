/* skinedge.c — how much of each region's outline borders excluded pixels
 * (not skin: background, clothing, hair, lips, nostrils, deep shadow,
 * glare); see segment.h and docs/segment.md.
 *
 * Next to the edge of the skin mask the local skin model is extrapolated
 * and the surface turns away from the light (face contours, the jaw line,
 * skin against a finger or a collar), beard stubble and the fringe of
 * what the mask left out darken or redden the skin: a region running
 * along that edge is the edge, not a lesion. A lesion has healthy skin
 * around most of its outline. The image border is not an edge of the mask
 * (a lesion may be cut by the frame). */
#include <stdlib.h>

#include "error.h"
#include "segment/segment.h"

/* A boundary edge between pixels a and b: when exactly one is in a region
 * k > 0, it counts for k, and as a skin-edge when the other pixel is
 * excluded (not skin). */
static void count_edge(int32_t a, int32_t b, uint8_t skin_a, uint8_t skin_b,
                       double *tot, double *edge)
{
    if (a == b)
        return;
    if (a > 0) {
        tot[a - 1] += 1;
        edge[a - 1] += b <= 0 && !skin_b;
    }
    if (b > 0) {
        tot[b - 1] += 1;
        edge[b - 1] += a <= 0 && !skin_a;
    }
}

int scar__skin_edge_fraction(const scar__labels *labels,
                             const scar__mask *skin, int32_t count,
                             const char *ctx, double *frac)
{
    if (count <= 0)
        return SCAR_OK;
    double *tot = calloc((size_t)count, sizeof *tot);
    if (!tot)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (skin edge)", ctx);
    for (int32_t k = 0; k < count; k++)
        frac[k] = 0.0;
    uint32_t w = labels->width, h = labels->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const uint8_t *s = scar__mask_row(skin, y);
        const int32_t *lu = y > 0 ? scar__labels_row(labels, y - 1) : NULL;
        const uint8_t *su = y > 0 ? scar__mask_row(skin, y - 1) : NULL;
        for (uint32_t x = 0; x < w; x++) {
            if (x > 0)
                count_edge(l[x - 1], l[x], s[x - 1], s[x], tot, frac);
            if (lu)
                count_edge(lu[x], l[x], su[x], s[x], tot, frac);
        }
    }
    for (int32_t k = 0; k < count; k++)
        if (tot[k] > 0)
            frac[k] /= tot[k];
    free(tot);
    return SCAR_OK;
}
