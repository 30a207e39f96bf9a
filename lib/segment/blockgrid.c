/* blockgrid.c — how much of each region's outline lies on the JPEG block
 * grid; see segment.h and docs/segment.md.
 *
 * JPEG codes 8x8 blocks (16x16 px for chroma subsampled 4:2:0) and, at
 * moderate quality, quantises a slowly varying chroma field to a few flat
 * levels: a block one quantisation step off its neighbours is a patch with
 * a real, measurable colour difference and a perfectly square outline on
 * the block grid. Nothing in skin or in a lesion follows that grid, so the
 * fraction of a region's boundary lying on grid lines is an artefact
 * detector that needs no noise model: a natural outline crosses a grid
 * line with probability 1/period per boundary edge. A threshold at half
 * the step between two levels may fall a pixel off the block edge (the
 * decoder's triangle upsampling of chroma spreads the step over two
 * pixels), hence also the fraction within +-1 px of the 16-px grid
 * (chance 3/16).
 *
 * When the photo was shrunk by an integer factor f before analysis
 * (docs/segment.md, "Analysis resolution"), block means keep the grid
 * lines at input coordinates 8k and 16k, aligned with the origin. An
 * analysed pixel edge at c is input coordinate c*f; the analysed pixel
 * that straddles a grid line takes the colour of the block holding most of
 * it, so a thresholded block outline falls on the edge nearest the line:
 * the one with c*f in [G - h, G - h + f - 1], h = (f - 1) / 2, exactly one
 * edge per line (for f dividing the period, the line itself). The chance
 * that a natural outline edge is on the grid is f/period. A test with
 * f/period above 1/4 would flag natural outlines by chance, and the +-1 px
 * band (chance 3/16) is only tested at full resolution: a test not made
 * gives fraction 0. */
#include <stdlib.h>

#include "error.h"
#include "segment/segment.h"

/* One boundary edge between pixels a (left/above) and b (right/below) at
 * coordinate c of b along the crossing axis. */
typedef struct grid {
    uint32_t f, h;        /* shrink factor and (f - 1) / 2 */
    int use8, use16, use_near;
} grid;

static void count_edge(const grid *g, int32_t a, int32_t b, uint32_t c,
                       double *tot, double *on8, double *on16, double *near16)
{
    if (a == b)
        return;
    uint32_t x = c * g->f + g->h; /* input coordinate, shifted by h */
    uint32_t m = c % 16;          /* only read at full resolution */
    int g8 = g->use8 && x % 8 < g->f, g16 = g->use16 && x % 16 < g->f;
    int n16 = g->use_near && (m <= 1 || m == 15);
    int32_t side[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        int32_t k = side[i];
        if (k <= 0)
            continue;
        tot[k - 1] += 1;
        on8[k - 1] += g8;
        on16[k - 1] += g16;
        near16[k - 1] += n16;
    }
}

int scar__block_grid_fraction(const scar__labels *labels, int32_t count,
                              uint32_t shrink, const char *ctx, double *frac8,
                              double *frac16, double *near16)
{
    if (count <= 0)
        return SCAR_OK;
    if (shrink == 0 || shrink > 16)
        return scar__fail(SCAR_E_INVALID, "%s: block grid: shrink factor %u "
                          "is not in 1..16", ctx, shrink);
    grid g = {shrink, (shrink - 1) / 2, 0, 0, 0};
    g.use8 = 4 * shrink <= 8; /* chance f/period <= 1/4 */
    g.use16 = 4 * shrink <= 16;
    g.use_near = shrink == 1; /* the +-1 px band: 3/16 of chance */
    double *tot = calloc((size_t)count, sizeof *tot);
    if (!tot)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (block grid)", ctx);
    for (int32_t k = 0; k < count; k++)
        frac8[k] = frac16[k] = near16[k] = 0.0;
    uint32_t w = labels->width, h = labels->height;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const int32_t *u = y > 0 ? scar__labels_row(labels, y - 1) : NULL;
        for (uint32_t x = 0; x < w; x++) {
            if (x > 0)
                count_edge(&g, l[x - 1], l[x], x, tot, frac8, frac16, near16);
            if (u)
                count_edge(&g, u[x], l[x], y, tot, frac8, frac16, near16);
        }
    }
    for (int32_t k = 0; k < count; k++)
        if (tot[k] > 0) {
            frac8[k] /= tot[k];
            frac16[k] /= tot[k];
            near16[k] /= tot[k];
        }
    free(tot);
    return SCAR_OK;
}
