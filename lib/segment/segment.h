/* segment.h — internal: anomaly map against the local healthy-skin model,
 * threshold, clean-up, edge refinement, labels and perilesional rings
 * (DESIGN.md steps 4-6). Algorithm, defaults and their units:
 * docs/segment.md. */
#ifndef SCAR_SEGMENT_H
#define SCAR_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "image/photo_rows.h"
#include "plane.h"
#include "skin/skin.h"

struct scar__segment_trace;

typedef struct scar__segment_params {
    double px_per_mm;       /* > 0 */
    double z_high, z_low;   /* hysteresis on the anomaly score (robust sd) */
    double min_area_mm2;    /* smaller regions are dropped */
    double model_sigma_mm;  /* sigma of the local healthy-skin model */
    int single_lesion;      /* one connected region without holes */
    /* The image was shrunk by this integer factor before analysis (0 or 1:
     * not shrunk); the JPEG block grid is then 8/shrink px */
    uint32_t shrink;
    /* Optional (NULL: none): the pixels the skin step excluded as glare
     * (skinedge.c: a glare spot's outline is the skin's edge only for a
     * region lighter than the skin, as a glare halo is) */
    const scar__mask *glare;
    /* Optional (NULL: none): the photo before the shrink, for what the
     * analysis grid cannot resolve (the pores that tell the light's side:
     * light_photo.c) */
    const scar__photo *photo;
    /* Optional (NULL: none): lesions too large for the local model, whose
     * pixels it models at the healthy level around them (large_patches.c) */
    const struct scar__large_patches *large;
    /* Optional (NULL: none): an observer of the steps (bench/ only) */
    const struct scar__segment_trace *trace;
} scar__segment_params;

/* Why step 6 (significance.c) kept or dropped a candidate, the first test
 * it failed in this order (docs/segment.md, step 6). */
typedef enum scar__sig_verdict {
    SCAR__SIG_KEPT = 0,
    SCAR__SIG_STATISTIC,  /* colour, shading and joint evidence below 1 */
    SCAR__SIG_RAGGED,     /* ragged outline, evidence below 1.3 */
    SCAR__SIG_BLANCHING,  /* differs by less blood only */
    SCAR__SIG_DARK_LINE,  /* a thin dark line of shadow colour */
    SCAR__SIG_LUMA_GRID,  /* outline on the 8-px JPEG block grid */
    SCAR__SIG_CHROMA_GRID, /* outline on the 16-px grid, luma not significant */
    SCAR__SIG_SKIN_EDGE,  /* outline along the skin mask's edge or glare */
    SCAR__SIG_EXCLUDED,   /* mostly excluded pixels it closed over */
    SCAR__SIG_THIN,       /* a thin, long line: a hair or a crease */
    SCAR__SIG_PEAKED,     /* a compact pale mottle: peaked, no plateau */
    SCAR__SIG_VERDICTS
} scar__sig_verdict;

/* An observer of scar__segment_regions, for diagnosis (bench/segment_trace
 * and its tests; the analysis never sets one). `step` is called after each
 * step with the label map as that step left it (analysis grid, labels
 * 1..count, 0 elsewhere) and the step's name: "candidates" (hysteresis
 * and clean-up), "strong_cores", "saddles", "refine", "collinear_pieces",
 * "significance", "merge", "collinear", "walls", "outlines". `verdict` is
 * called by step 6 once per candidate, in label order, with the
 * candidate's label before the step, its final verdict (after the second
 * pass), its evidence (the larger statistic over its level; NaN when not
 * computed) and its label after the step (0: dropped). Either may be
 * NULL. They must not change what they are shown. */
typedef struct scar__segment_trace {
    void (*step)(void *user, const char *name, const scar__labels *labels,
                 int32_t count);
    void (*verdict)(void *user, int32_t label, scar__sig_verdict verdict,
                    double evidence, int32_t new_label);
    void *user;
} scar__segment_trace;

/* Patch areas of the detection limits (scar__anomaly_maps.limit). */
#define SCAR__LIMIT_AREAS 3
extern const double SCAR__LIMIT_AREA_MM2[SCAR__LIMIT_AREAS];

/* Per-pixel residual against the local skin model, scaled per channel to
 * robust standard deviations of healthy skin. Filled by scar__anomaly(). */
typedef struct scar__anomaly_maps {
    scar__planef zL, za, zb;  /* smoothed residual / (1.4826 MAD) */
    scar__planef score;       /* combined anomaly score (>= 0) */
    float sd[3];              /* 1.4826 MAD of L*, a*, b* residuals: the
                               * z unit of zL, za, zb in L*a*b* units */
    /* the light seen in zL (scar__maps_light): computed once, by
     * scar__segment_regions, for the steps that use it; known = 0 until */
    struct {
        int known;
        double ux, uy; /* axis, unit vector */
        int sign;      /* scar__light_sign along (ux, uy) */
    } light;
    /* Written by scar__segment_regions (step 6,
     * scar__region_significance_limits): for a uniform round patch of
     * SCAR__LIMIT_AREA_MM2[j] mm^2 differing from the healthy skin in
     * channel c of L*, a*, b* alone, the smallest contrast (L*a*b* units)
     * the test keeps against the null it judged with (docs/segment.md,
     * "Detection limits"); NaN where no scale of the ladder gets enough
     * boxes. */
    double limit[SCAR__LIMIT_AREAS][3];
} scar__anomaly_maps;

/* Local healthy-skin model (two passes, the second without the first
 * pass's anomalies) and the anomaly maps. `lab` holds the L*a*b* planes
 * of `img` as scar_image_to_lab gives them (no mask, packed owned planes
 * of the image size) and is taken over, also on failure: its memory
 * becomes maps->zL, za, zb (the residuals are formed in place, and
 * L*a*b* is recomputed from img for the second pass, same bits) and *lab
 * is emptied, so that no L*a*b* and z planes coexist (peak memory,
 * docs/performance.md); the caller recomputes L*a*b* when it needs it
 * again. maps->score must be allocated at the image size, maps->zL, za,
 * zb empty; the caller frees all four maps. */
/* A glare spot's halo: skin within this distance of glare is lit by its
 * scattered light. Edge refinement does not grow into it (refine.c), and
 * for a region lighter than the skin an outline along it counts as one
 * along the glare (significance.c, skinedge.c). */
#define SCAR__GLARE_HALO_MM 1.5

/* Sigma (analysed px) of the Gaussian that smooths the residuals before
 * scoring at ppm px/mm: RESID_SIGMA_MM, at least RESID_SIGMA_MIN_PX
 * (anomaly.c). Edge refinement undoes its widening of small pits. */
double scar__resid_sigma_px(double ppm);

int scar__anomaly(const scar_image *img, scar__lab_planes *lab,
                  const scar__mask *skin, const scar__segment_params *p,
                  const char *ctx, scar__anomaly_maps *maps);

/* Regions of the multi-lesion mode: hysteresis, open/close, holes, minimum
 * area, edge refinement at half contrast, region significance, fragments
 * merged, collinear pieces joined; labels 1..*count in raster order of
 * first pixel (8-connected), 0 elsewhere (all of `labels` written).
 * maps->score is spent by the fragment merge (scratch; unspecified on
 * return). */
int scar__segment_regions(scar__anomaly_maps *maps,
                          const scar__mask *skin,
                          const scar__segment_params *p, const char *ctx,
                          scar__labels *labels, int32_t *count);

/* The anomaly score (robust sd) of a pit's dark core, an icepick scar's
 * floor: split.c and merge.c (refine.c's sharp-peak gate has the same
 * value) */
#define SCAR__PIT_Z 15.0f
/* ... and the largest a pit is (equivalent diameter, mm): icepick scars
 * are under 2 mm (Jacob et al. 2001); merge.c and touching.c */
#define SCAR__PIT_MAX_MM 2.0

/* Dark blobs of a pit's size in zL (pit_blobs.c, docs/segment.md step
 * 3): the difference of Gaussians of zL over the skin (sigma s minus 3 s,
 * s = 0.2 mm at ppm px/mm, at least 0.7 px), robust-z'd over the skin
 * (skin NULL: every pixel with a finite zL); *out (allocated by the
 * caller, zL's size) is set on each 8-connected set at or below -4 that
 * holds a pixel at or below -8. Scratch: one float plane (the blurs are
 * streamed row by row). */
int scar__pit_blobs(const scar__planef *zL, const scar__mask *skin,
                    double ppm, const char *ctx, scar__mask *out);

/* Step 6's plateau test (plateau.c, docs/segment.md "Peaked pale
 * regions"): for each region i with want[i] set and a finite baseline[i]
 * (the mean zL of its ring), ratio[i] = the area above half of its
 * contrast over the area above a quarter of it: the pixels (skin,
 * 4-connected, within its bounding box grown by 4 mm) of the components
 * of {zL >= baseline + f (peak - baseline)}, f = 1/2 and 1/4, that hold
 * one of its pixels, the peak being the 95th percentile of its zL. NaN
 * where not wanted or without a contrast above the baseline. props are
 * labels' regions 1..n (scar__regionprops). */
struct scar__region;
int scar__plateau_ratio(const scar__planef *zL, const scar__mask *skin,
                        const scar__labels *labels,
                        const struct scar__region *props,
                        int32_t n, const double *baseline, const uint8_t *want,
                        double ppm, const char *ctx, double *ratio);

/* Strong cores split from much larger candidates (split.c,
 * docs/segment.md): within each candidate, each connected set of dark
 * pixels with score >= 12 holding one >= SCAR__PIT_Z (a core), grown by
 * 0.5 mm inside it (grown pixels shared among neighbouring cores),
 * becomes a new region (labels *count + 1 ...) when its pixels >=
 * SCAR__PIT_Z so grown are round, at most 3 mm across and the candidate
 * is at least 4 times larger (2 times when the rest of the candidate
 * points against the core's residual or has its centroid outside the
 * core's equivalent disc). The new region is the whole core grown when
 * that is round, at most 3 mm across and half the candidate, else its
 * strong part grown; *count updated. Then each dark blob of
 * scar__pit_blobs (over `skin`; NULL: every pixel with a finite zL) left
 * in a candidate, not overlapping a pit split above, is a core of its own
 * (its own strong part) judged the same way, at most 2 mm across grown.
 * Last, each dark component at score >= p->z_high left in a candidate is
 * a core of its own when its grown mean zL is <= -0.5 and the rest's >=
 * +0.3 (a pit in a lighter mottle), round, at most 5 mm across grown and
 * the candidate at least 4 times larger. Regions that now touch keep
 * their separate labels. */
int scar__split_strong_cores(const scar__anomaly_maps *maps,
                             const scar__mask *skin,
                             const scar__segment_params *p, const char *ctx,
                             scar__labels *labels, int32_t *count);

/* Candidates that hold several lesions cut between them (saddle.c,
 * docs/segment.md): flooded from the highest score down, two parts that
 * each hold a pixel >= z_high and meet below half of the weaker one's
 * height above z_low, at least 10 sd below the weaker peak, stay apart,
 * unless they are the two slopes of one relief (a pit's walls, a raised
 * scar's slopes, along maps->light); the parts become regions *count + 1
 * ... (the part of the highest pixel keeps the label); *count updated.
 * Scratch: 12 bytes per pixel of a candidate's bounding box. */
int scar__split_at_saddles(const scar__anomaly_maps *maps,
                           const scar__mask *skin,
                           const scar__segment_params *p, const char *ctx,
                           scar__labels *labels, int32_t *count);

/* Fragments of one lesion joined (merge.c, docs/segment.md): regions
 * that a closing of 1 mm connects and whose mean residual colours agree
 * become one region with the closing's skin pixels between them;
 * renumbered in raster order, *count updated. maps->score is spent: it
 * serves as scratch (its contents are unspecified on return). */
int scar__merge_fragments(scar__anomaly_maps *maps, const scar__mask *skin,
                          const scar__segment_params *p, const char *ctx,
                          scar__labels *labels, int32_t *count);

/* Dominant light axis (unit vector (*ux, *uy), sign arbitrary) from the
 * structure tensor of zL differences over 0.25 mm on a sparse grid of skin
 * (light_axis.c). */
void scar__light_axis(const scar__planef *zL, const scar__mask *skin,
                      double ppm, double *ux, double *uy);

/* Which way along the light axis (ux, uy) the light is, from the shading
 * of the skin's pores (light_axis.c): +1 toward (ux, uy), -1 away from
 * it, 0 when the pores do not tell (too few, or their mean wall
 * difference within 2 standard errors of 0). */
int scar__light_sign(const scar__planef *zL, const scar__mask *skin,
                     double ppm, double ux, double uy);

/* The same test on the photo before its shrink by f (light_photo.c): its
 * pores, on the green channel, where `healthy` (the analysis grid, the
 * photo's pixel (x, y) at (x / f, y / f)) is set; ppm is the photo's
 * px/mm. *sign as scar__light_sign. Memory O(width): the photo's rows
 * are read once from the top (a JPEG is decoded again as they are read,
 * and only as far as the test needs). Errors: SCAR_E_NOMEM, and those of
 * decoding a JPEG photo. */
int scar__light_sign_photo(const scar__photo *photo, uint32_t f,
                           const scar__mask *healthy, double ppm, double ux,
                           double uy, const char *ctx, int *sign);

/* The light axis and side of maps->zL: maps->light when known, else
 * computed (scar__light_axis, and scar__light_sign when `sign` is not
 * NULL). */
void scar__maps_light(const scar__anomaly_maps *maps, const scar__mask *skin,
                      double ppm, double *ux, double *uy, int *sign);

/* Region-level significance test (docs/segment.md): drops the labelled
 * regions whose mean colour residual and light-axis shading dipole are
 * both within what healthy skin shows at the region's size, at a
 * false-alarm level scaled by the number of such regions the skin could
 * hold; survivors renumbered in raster order, *count updated. */
int scar__region_significance(const scar__anomaly_maps *maps,
                              const scar__mask *skin,
                              const scar__segment_params *p, const char *ctx,
                              scar__labels *labels, int32_t *count);

/* The same test, also writing the detection limits into `limit` (see
 * scar__anomaly_maps.limit; also when *count is 0, the null then being
 * all the skin). */
int scar__region_significance_limits(const scar__anomaly_maps *maps,
                                     const scar__mask *skin,
                                     const scar__segment_params *p,
                                     const char *ctx, scar__labels *labels,
                                     int32_t *count,
                                     double limit[SCAR__LIMIT_AREAS][3]);

/* Fraction of each labelled region's boundary edges (pixel pairs with
 * different labels, image border excluded) that lie on the 8-px and on the
 * 16-px JPEG block grid, and within 1 px of the 16-px grid
 * (docs/segment.md); `count` entries each, 0 for a region without
 * boundary. `shrink` (1..16): the image was shrunk by it, the grids are
 * 8/shrink and 16/shrink px (for a factor that does not divide them, the
 * analysed edge nearest each line), and a test whose chance is above 1/4
 * gives 0 (blockgrid.c). */
int scar__block_grid_fraction(const scar__labels *labels, int32_t count,
                              uint32_t shrink, const char *ctx, double *frac8,
                              double *frac16, double *near16);

/* Fraction of each labelled region's boundary edges (4-adjacent pixel
 * pairs with different labels, and the sides of its pixels on the image
 * border) whose outside is the image border or a pixel in no region and
 * not skin or in `glare` (docs/segment.md); `count` entries, 0 for a
 * region without boundary. `skin` has the labels' size. When `glare`
 * (same size: the glare and, as significance.c passes it, its halo zone)
 * and `frac_no_glare` are given, frac_no_glare receives the fraction of
 * edges against excluded pixels that are not in `glare`. */
int scar__skin_edge_fraction(const scar__labels *labels,
                             const scar__mask *skin, const scar__mask *glare,
                             int32_t count, const char *ctx, double *frac,
                             double *frac_no_glare);

/* The relief a candidate shows under directional light (relief.c,
 * docs/segment.md step 4). */
typedef enum scar__relief {
    SCAR__RELIEF_NONE,
    SCAR__RELIEF_RAISED,   /* a raised scar: cut on its plateau's chroma */
    SCAR__RELIEF_DEPRESSED, /* a boxcar: its shaded wall mirrored */
    SCAR__RELIEF_RAISED_PLAIN /* a raised scar without colour: its lit and
                                 shaded slopes and the plateau between */
} scar__relief;

/* For region rg (its pixels: `reg`, a mask whose pixel (0, 0) is maps'
 * (x0, y0)) with residual direction mv (length norm, z units; `coherent`
 * when it is a colour direction, else the candidate's mean), with the
 * light's side known ((lx, ly) toward the light; (0, 0): unknown, NONE).
 * With a coherent dark direction: RAISED when it carries colour, is at
 * least 4 mm across and its zL is higher on the half toward the light by
 * half its mean |zL|; DEPRESSED when it is 1.5 to 6 mm across and either
 * lower there by half its mean |zL|, or lower there at all with a lit
 * wall on its far half (5 % of that half at zL >= 2). Without colour, at
 * least 4 mm across, that dipole >= 1/2 and both slopes showing (3 % of
 * the half toward the light at zL >= 2, of the far half at zL <= -2):
 * RAISED_PLAIN. */
struct scar__region;
scar__relief scar__relief_kind(const scar__anomaly_maps *maps,
                               const scar__mask *skin, const scar__mask *reg,
                               uint32_t x0, uint32_t y0,
                               const struct scar__region *rg,
                               const double mv[3], double norm, int coherent,
                               double ppm, double lx, double ly);

/* Refine the edges of the labelled regions in place so that each follows
 * the contour where its own contrast falls to half of its peak above the
 * local baseline (docs/segment.md). *count is updated (regions that
 * vanish are dropped, labels renumbered in raster order). */
int scar__refine_edges(const scar__anomaly_maps *maps, const scar__mask *skin,
                       const scar__segment_params *p, const char *ctx,
                       scar__labels *labels, int32_t *count);
/* scar__refine_edges that also marks in `walls` (image size, zeroed by the
 * caller; NULL: not marked) with SCAR__MARK_WALL the cuts that are a
 * depression's shaded wall (refine.c, is_shaded_wall), for
 * scar__shift_walls, and with SCAR__MARK_HALO the pixels where a cut would
 * have grown on into a glare halo: a lighter region's outline along them
 * is one along the glare (step 6, skinedge.c). */
#define SCAR__MARK_WALL 1u
#define SCAR__MARK_HALO 2u
int scar__refine_edges_walls(const scar__anomaly_maps *maps,
                             const scar__mask *skin,
                             const scar__segment_params *p, const char *ctx,
                             scar__labels *labels, int32_t *count,
                             scar__mask *walls);
/* Last step (wall_shift.c): each region whose pixels are mostly marked in
 * `walls` is moved away from the light by SHADED_WALL_SHIFT of its
 * equivalent radius (whole pixels), onto skin of no other region. */
int scar__shift_walls(const scar__anomaly_maps *maps, const scar__mask *skin,
                      const scar__segment_params *p, const scar__mask *walls,
                      const char *ctx, scar__labels *labels, int32_t count);

/* Single-lesion mode: at most one connected region without holes (label
 * 1); *count is 0 or 1. `lab` holds the L*a*b* planes of the image as
 * scar_image_to_lab gives them (packed owned planes of the image size)
 * and is taken over, also on failure: the smoothed L*a*b* are formed in
 * place, L* then becomes the contrast projection and a*, b* the distance
 * map and the median buffer, and *lab is emptied on return (peak memory,
 * docs/performance.md); the caller recomputes L*a*b* when it needs it
 * again. `labels` is also scratch until the result is written (all of it,
 * 0 where no region). */
int scar__segment_single(scar__lab_planes *lab, const scar__mask *skin,
                         const scar__segment_params *p, const char *ctx,
                         scar__labels *labels, int32_t *count);

/* o = the inverse of the symmetric 3x3 matrix c (cofactors over the
 * determinant); 0, o untouched, when |det| <= 1e-12. inverse3.c. */
int scar__inv3(const double c[3][3], double o[3][3]);

/* Perilesional rings in compressed-row form: the ring of region k (1-based)
 * is the pixel indices y*width+x in idx[off[k-1] .. off[k]-1], ascending.
 * A ring pixel is a skin pixel whose Euclidean distance to the nearest pixel
 * of region k lies in [inner_px, outer_px] and which belongs to no region. */
typedef struct scar__rings {
    int32_t count;
    size_t *off;    /* count + 1 entries */
    uint32_t *idx;  /* off[count] entries */
} scar__rings;

int scar__rings_compute(const scar__labels *labels, int32_t count,
                        const scar__mask *skin, double inner_px,
                        double outer_px, const char *ctx, scar__rings *out);
/* The same for the regions k with want[k - 1] != 0 only (want NULL: all);
 * the others get an empty ring. */
int scar__rings_compute_some(const scar__labels *labels, int32_t count,
                             const uint8_t *want, const scar__mask *skin,
                             double inner_px, double outer_px,
                             const char *ctx, scar__rings *out);
void scar__rings_free(scar__rings *r);

/* Step 7b (collinear.c): elongated regions on one line with parallel
 * axes, facing ends at most 3 mm apart (up to 8 mm across a gap that
 * carries their colour) and the same mean residual direction are joined
 * with the skin of the band between them (pieces of one stria); labels
 * 1..*count renumbered in raster order, regions the bands made touch
 * joined too. `candidates` (before step 6, so that a stria's pieces are
 * judged together): only pieces at least COL_CAND_ELONGATION long that are
 * not shadow-coloured (scar__shadow_coloured), only the gap between the
 * facing ends filled, and the labels renumbered without joining what
 * touches. SCAR_E_NOMEM. */
int scar__join_collinear(const scar__anomaly_maps *maps,
                         const scar__mask *skin,
                         const scar__segment_params *p, const char *ctx,
                         scar__labels *labels, int32_t *count, int candidates);

/* Whether a mean residual v (z units; sd: the z unit of each channel)
 * darkens the skin like a shadow: L* lower, the chroma change
 * |(da*, db*)| at most DARK_LINE_MAX_CHROMA (significance.c) times the
 * L* change. Hairs, skin creases and shaded walls are; a stria rubra
 * (redder), a stria alba (lighter) and pigment (yellower) are not. */
int scar__shadow_coloured(const double v[3], const float sd[3]);

/* Step 8 (outline_close.c): each region of equivalent diameter >= 2 mm
 * closed with a disc of half its equivalent radius and its holes filled
 * (bays narrower than half a lesion's size are the skin texture's, left by
 * step 4's pixel-wise cut), adding only skin pixels of no region: no
 * pixel is removed, no region joined to another, the count is unchanged.
 * SCAR_E_NOMEM. */
int scar__close_outlines(const scar__mask *skin, double px_per_mm,
                         const char *ctx, scar__labels *labels, int32_t count);

/* Labels 1..n (raster order of first pixel, as scar__label numbers
 * them): those of fewer than min_area px set to 0, the rest renumbered
 * 1..*count keeping their order. */
int scar__drop_small_labels(scar__labels *labels, int32_t n,
                            uint64_t min_area, const char *ctx,
                            int32_t *count);
/* Relabel a binary mask into 8-connected labels 1..n in raster order,
 * dropping components smaller than min_area px. */
int scar__relabel(const scar__mask *m, uint64_t min_area, const char *ctx,
                  scar__labels *labels, int32_t *count);
/* Adds (zL, za, zb) over each label 1..n's pixels where all three are
 * finite to sum[3 k .. 3 k + 2] (3 (n + 1) entries, zeroed by the
 * caller): the regions' mean residual directions, unnormalised. */
void scar__direction_sums(const scar__anomaly_maps *maps,
                          const scar__labels *labels, int32_t n, double *sum);
/* After refinement (touching.c): regions 1..*count that touch (8-
 * neighbours) are joined when their mean residual directions (zL, za, zb
 * summed over each region) are not opposed (positive dot product), and
 * apart otherwise, or when one is a pit (a dark pixel at score >=
 * SCAR__PIT_Z, at most SCAR__PIT_MAX_MM across at px_per_mm) and their
 * mean residual norms differ more than 6-fold; then each connected part
 * of a region is a region
 * (scar__label_values), parts under min_area px dropped, numbered in
 * raster order; *count updated. */
int scar__relabel_agreeing(const scar__anomaly_maps *maps,
                           scar__labels *labels, uint64_t min_area,
                           double px_per_mm, const char *ctx, int32_t *count);
/* scar__relabel of `labels`' own non-zero pixels (regions that touch
 * become one); `m`, a mask of the labels' size, is scratch. */
int scar__relabel_nonzero(scar__labels *labels, scar__mask *m,
                          uint64_t min_area, const char *ctx, int32_t *count);

#endif
