/* hair.c — hair as thin dark ridges of L*; see skin.h and docs/skin.md.
 *
 * A hair is a dark line: across it L* curves sharply upward, along it hardly
 * at all. With the Hessian of the Gaussian-smoothed L* at the hair's scale,
 * lambda1 >= lambda2 its eigenvalues, a dark line has a large scale-
 * normalised sigma^2 lambda1 and |lambda2| << lambda1 (the line measures of
 * Frangi et al. 1998 and Sato et al. 1998 rest on the same observation);
 * pores and icepick pits are dark blobs (both eigenvalues large) and are
 * kept. Candidates must also be darker than the local skin and belong to an
 * elongated component at least HAIR_MIN_LENGTH_MM long, which no pore is,
 * with skin on both sides of the line for most of its length: a scar's
 * shaded wall has its floor on one side (valley_kind). A short line with
 * its floor on one side in places and no other hair or edge of the skin
 * near it is a boxcar's shaded wall too (alone). */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "filter/filter.h"
#include "morph/morph.h"
#include "skin/skin.h"

#define HAIR_SIGMA_MM 0.05        /* a scalp/body hair is 0.05-0.1 mm wide */
#define HAIR_MIN_SIGMA_PX 1.0
#define HAIR_RIDGE_MIN 5.0f       /* sigma^2 lambda1, in L* units */
#define HAIR_ANISOTROPY 0.25f     /* lambda2 < this * lambda1 */
#define HAIR_DARKER_THAN_SKIN 8.0f /* L* below the local skin level */
#define HAIR_MIN_LENGTH_MM 1.0    /* major axis of a hair component */
/* minor/major axis above this: round, e.g. the rim of a dark pit or mole,
 * whose edge looks line-like to the Hessian; a hair is elongated */
#define HAIR_MAX_ROUNDNESS 0.35
/* A hair is a valley with skin on both sides; the dark side of an edge (a
 * scar's shaded wall next to its floor, a patch's rim) is a valley with
 * skin on one side only. Across the line, 3 sigma out on each side, a
 * pixel is one-sided when the two levels differ by more than this fraction
 * of the valley's depth below their mean; a component with more than
 * HAIR_MAX_ONE_SIDED of such pixels is an edge, not a hair. */
#define HAIR_SIDE_SIGMAS 3.0f
#define HAIR_ASYMMETRY 0.5f
#define HAIR_MAX_ONE_SIDED 0.5
/* ... and the line is still a valley on the darker side (a wall darker
 * than its floor): the dark side of a plain edge, e.g. the border of an
 * eyebrow or a beard, keeps falling past the line and stays hair. */
#define HAIR_WALL_FLOOR 0.2f
/* A boxcar's shaded wall seen at the analysis scale is a dark line 1-3 mm
 * long whose floor, paler than the wall but often hardly darker than the
 * skin, makes only some of its pixels one-sided. A line shorter than
 * HAIR_SHORT_MM with more than HAIR_SHORT_MAX_ONE_SIDED of its pixels
 * one-sided is such a wall unless another hair or the edge of the skin lies
 * within HAIR_NEIGHBOUR_MM of it (the rows and columns of its bounding box
 * grown by that much): stubble grows among other stubble, and a long hair's
 * pieces lie side by side where a lesion breaks its darkness. On the
 * benchmark phantoms (whose hairs are 3-15 mm long) nearly every hair
 * component shorter than this was a scar's wall (docs/skin.md). */
#define HAIR_SHORT_MM 2.5
#define HAIR_SHORT_MAX_ONE_SIDED 0.1
#define HAIR_NEIGHBOUR_MM 1.0

/* g at (x, y), bilinear, clamped to the plane. */
static float sample(const scar__planef *g, float x, float y)
{
    float mx = (float)(g->width - 1), my = (float)(g->height - 1);
    x = x >= 0.0f ? (x <= mx ? x : mx) : 0.0f; /* NaN -> 0 */
    y = y >= 0.0f ? (y <= my ? y : my) : 0.0f;
    uint32_t x0 = (uint32_t)x, y0 = (uint32_t)y;
    uint32_t x1 = x0 + 1 < g->width ? x0 + 1 : x0;
    uint32_t y1 = y0 + 1 < g->height ? y0 + 1 : y0;
    float fx = x - (float)x0, fy = y - (float)y0;
    const float *r0 = scar__planef_row(g, y0), *r1 = scar__planef_row(g, y1);
    float a = r0[x0] + fx * (r0[x1] - r0[x0]);
    float b = r1[x0] + fx * (r1[x1] - r1[x0]);
    return a + fy * (b - a);
}

/* 1 for a valley with skin on both sides (across the line at p, whose unit
 * normal is the eigenvector of l1), 2 for a one-sided one. */
static uint8_t valley_kind(const scar__planef *g, uint32_t x, uint32_t y,
                           float dxx, float dyy, float dxy, float l1, float d)
{
    float nx = dxy, ny = l1 - dxx; /* (H - l1 I) n = 0 */
    if (fabsf(nx) + fabsf(ny) < 1e-12f) {
        nx = l1 - dyy;
        ny = dxy;
    }
    float len = sqrtf(nx * nx + ny * ny);
    if (!(len > 0.0f))
        return 1;
    nx *= d / len;
    ny *= d / len;
    float a = sample(g, (float)x + nx, (float)y + ny);
    float b = sample(g, (float)x - nx, (float)y - ny);
    float c = scar__planef_row(g, y)[x];
    float lo = a < b ? a : b, hi = a < b ? b : a;
    float depth = 0.5f * (a + b) - c;
    return hi - lo > HAIR_ASYMMETRY * depth &&
                   lo - c > HAIR_WALL_FLOOR * (hi - c)
               ? 2
               : 1;
}

/* 1 when component i (0-based) of `lab`, a line of `hair` (the components
 * that passed the other tests), is alone: no pixel of another such line and
 * no pixel outside `skin` or the plane within `r` px of its bounding box. */
static int alone(const scar__labels *lab, const scar__mask *skin,
                 const uint8_t *hair, const scar__region *rg, int32_t i,
                 uint32_t r)
{
    uint32_t w = lab->width, h = lab->height;
    if (rg->x0 < r || rg->y0 < r || rg->x1 + r > w || rg->y1 + r > h)
        return 0;
    for (uint32_t y = rg->y0 - r; y < rg->y1 + r; y++) {
        const int32_t *l = scar__labels_row(lab, y);
        const uint8_t *sk = scar__mask_row(skin, y);
        for (uint32_t x = rg->x0 - r; x < rg->x1 + r; x++)
            if (!sk[x] || (l[x] && l[x] != i + 1 && hair[l[x] - 1]))
                return 0;
    }
    return 1;
}

int scar__hair_mask(const scar__planef *L, const scar__mask *skin,
                    scar__smooth_model *skin_level, double px_per_mm,
                    const char *ctx, scar__mask *out)
{
    uint32_t w = L->width, h = L->height;
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = 0;
    }
    if (w < 3 || h < 3)
        return SCAR_OK;
    double sigma = HAIR_SIGMA_MM * px_per_mm;
    if (sigma < HAIR_MIN_SIGMA_PX)
        sigma = HAIR_MIN_SIGMA_PX;
    scar__planef g = {0};
    scar__labels lab = {0};
    scar__region *props = NULL;
    float *lv = NULL;
    uint64_t *one_sided = NULL;
    uint8_t *hair = NULL;
    int32_t count = 0;
    int st = scar__planef_alloc(w, h, ctx, &g);
    if (!st)
        st = scar__gaussian(L, &g, sigma, ctx);
    if (st)
        goto done;
    lv = malloc((size_t)w * sizeof *lv);
    if (!lv) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (hair row)", ctx);
        goto done;
    }
    float s2 = (float)(sigma * sigma);
    float side = HAIR_SIDE_SIGMAS * (float)sigma;
    for (uint32_t y = 1; y + 1 < h; y++) {
        const float *gm = scar__planef_row(&g, y - 1);
        const float *g0 = scar__planef_row(&g, y);
        const float *gp = scar__planef_row(&g, y + 1);
        const float *l0 = scar__planef_row(L, y);
        scar__smooth_model_row(skin_level, y, lv);
        const uint8_t *sk = scar__mask_row(skin, y);
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 1; x + 1 < w; x++) {
            if (!sk[x] || !(l0[x] < lv[x] - HAIR_DARKER_THAN_SKIN))
                continue;
            float dxx = g0[x + 1] - 2.0f * g0[x] + g0[x - 1];
            float dyy = gp[x] - 2.0f * g0[x] + gm[x];
            float dxy = 0.25f * (gp[x + 1] - gp[x - 1] - gm[x + 1] + gm[x - 1]);
            float mean = 0.5f * (dxx + dyy);
            float dev = sqrtf(0.25f * (dxx - dyy) * (dxx - dyy) + dxy * dxy);
            float l1 = mean + dev, l2 = mean - dev;
            if (s2 * l1 > HAIR_RIDGE_MIN && l2 < HAIR_ANISOTROPY * l1)
                o[x] = valley_kind(&g, x, y, dxx, dyy, dxy, l1, side);
        }
    }
    free(lv);
    lv = NULL;
    scar__plane_free(g.data);
    g.data = NULL;
    /* Keep only long components: pores and pits are short. */
    st = scar__labels_alloc(w, h, ctx, &lab);
    if (!st)
        st = scar__label(out, NULL, 8, &lab, &count);
    if (!st && count > 0)
        st = scar__regionprops(&lab, count, 0, &props);
    if (st || count == 0)
        goto done;
    one_sided = calloc((size_t)count, sizeof *one_sided);
    hair = malloc((size_t)count);
    if (!one_sided || !hair) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (hair)", ctx);
        goto done;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(&lab, y);
        const uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x])
                one_sided[l[x] - 1] += o[x] == 2;
    }
    double min_len = HAIR_MIN_LENGTH_MM * px_per_mm;
    for (int32_t i = 0; i < count; i++) {
        const scar__region *r = &props[i];
        hair[i] = !(r->major_axis_length < min_len ||
                    r->minor_axis_length >
                        HAIR_MAX_ROUNDNESS * r->major_axis_length ||
                    (double)one_sided[i] >
                        HAIR_MAX_ONE_SIDED * (double)r->area);
    }
    /* lone short walls, judged against every line above (in any order) */
    double short_len = HAIR_SHORT_MM * px_per_mm;
    uint32_t near = (uint32_t)lround(HAIR_NEIGHBOUR_MM * px_per_mm);
    for (int32_t i = 0; i < count; i++) {
        const scar__region *r = &props[i];
        if (hair[i] && r->major_axis_length < short_len &&
            (double)one_sided[i] >
                HAIR_SHORT_MAX_ONE_SIDED * (double)r->area &&
            alone(&lab, skin, hair, r, i, near))
            hair[i] = 2;
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(&lab, y);
        uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x])
                o[x] = hair[l[x] - 1] == 1;
    }
    /* The line measure marks the hair's core; grow to its full width. */
    {
        uint32_t grow = (uint32_t)ceil(sigma);
        st = scar__dilate_disk(out, grow, out);
    }
done:
    free(lv);
    free(one_sided);
    free(hair);
    scar__regionprops_free(props);
    scar__plane_free(g.data);
    scar__plane_free(lab.data);
    return st;
}
