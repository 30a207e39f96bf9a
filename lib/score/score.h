/* score.h — internal: per-region and per-image measurements (DESIGN.md
 * step 7). Every number is defined, with its formula and source, in
 * docs/metrics.md. Never installed.
 *
 *  - stats.c     medians, robust SD, means of float samples
 *  - geometry.c  region geometry from lib/morph region properties
 *  - exposure.c  reference exposure of the photo, gain of each region
 *  - color.c     colour inside vs ring, differences, split-ring spread
 *  - texture.c   GLCM / LBP / roughness inside vs ring on the region window
 *  - hint.c      morphology hint, Manchester colour class, names
 *  - regions.c   the per-region driver (work bounded by bbox + ring)
 *  - summary.c   per-image summary and clinical-scale estimates
 *
 * No global mutable state; scratch memory per call. */
#ifndef SCAR_SCORE_H
#define SCAR_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "color/color_rows.h"
#include "plane.h"
#include "scarscore.h"
#include "segment/segment.h"
#include "skin/skin.h"

/* Where the melanin / erythema indices and Tsumura densities of a pixel
 * come from: the image (`rows`; the analysis holds no whole-image planes
 * of them, docs/performance.md) or, when rows is NULL, four planes of the
 * image's size (unit tests with hand-set values). */
typedef struct scar__score_indices {
    const scar__index_rows *rows;
    const scar__planef *planes[4];  /* MI, EI, melanin, haemoglobin */
} scar__score_indices;

/* v = MI, EI, melanin, haemoglobin at (x, y). */
static inline void scar__score_indices_pixel(const scar__score_indices *s,
                                             uint32_t x, uint32_t y,
                                             float v[4])
{
    if (s->rows) {
        scar__index_rows_pixel(s->rows, x, y, v);
        return;
    }
    for (int k = 0; k < 4; k++)
        v[k] = scar__planef_row(s->planes[k], y)[x];
}

/* out = quantity k (0 MI, 1 EI, 2 melanin, 3 haemoglobin) of row y. */
void scar__score_indices_row(const scar__score_indices *s, int k, uint32_t y,
                             float *out);

/* Everything the measurements read. All planes have the image's size.
 * lab->L is always a plane; lab->a and lab->b may be empty (data NULL)
 * when indices.rows is set: a* and b* are then computed from the image
 * per row span (scar__score_ab; 8 bytes per pixel less, docs/
 * performance.md). */
typedef struct scar__score_input {
    const scar__lab_planes *lab;
    scar__score_indices indices;
    const scar__mask *skin;                /* analysed skin */
    const scar__labels *labels;            /* 0 = none, 1..count */
    int32_t count;
    const scar__rings *rings;              /* ring of each region */
    double px_per_mm;                      /* > 0 */
    double ring_outer_px;                  /* outer ring radius (px) */
    /* Reference luminance of the exposure normalisation
     * (scar__score_exposure_reference); 0 = colours as photographed. */
    double exposure_ref;
} scar__score_input;

/* a* and b* of the n pixels (x..x+n-1, y): copied from lab->a / lab->b
 * when they are planes, otherwise computed from indices.rows' image (the
 * same bits as scar_image_to_lab). Either output may be NULL. */
static inline void scar__score_ab(const scar__score_input *in, uint32_t x,
                                  uint32_t y, size_t n, float *a, float *b)
{
    if (!in->lab->a.data || !in->lab->b.data) {
        scar__index_rows_lab(in->indices.rows, 1.0f, x, y, n, NULL, a, b);
        return;
    }
    const float *pa = scar__planef_row(&in->lab->a, y) + x;
    const float *pb = scar__planef_row(&in->lab->b, y) + x;
    for (size_t i = 0; i < n; i++) {
        if (a) a[i] = pa[i];
        if (b) b[i] = pb[i];
    }
}

/* scar__score_ab of the n pixels idx[i] = y * width + x (ring pixels). */
static inline void scar__score_ab_at(const scar__score_input *in,
                                     const uint32_t *idx, size_t n, float *a,
                                     float *b)
{
    if (!in->lab->a.data || !in->lab->b.data) {
        scar__index_rows_lab_at(in->indices.rows, 1.0f, idx, n, NULL, a, b);
        return;
    }
    uint32_t W = in->lab->a.width;
    for (size_t i = 0; i < n; i++) {
        uint32_t y = idx[i] / W, x = idx[i] % W;
        if (a) a[i] = scar__planef_row(&in->lab->a, y)[x];
        if (b) b[i] = scar__planef_row(&in->lab->b, y)[x];
    }
}

/* ----------------------------------------------------------- texture --
 * GLCM grey levels over L* in [0, 100] (100/64 = 1.5625 L* per level) and
 * the distances 0.1, 0.25, 0.5 mm rounded to pixels (>= 1, duplicates
 * dropped); docs/metrics.md explains the choice. */
#define SCAR__SCORE_GLCM_LEVELS 64
#define SCAR__SCORE_GLCM_N_DIST 3
/* Fills dist[] and returns how many distinct distances there are. */
uint32_t scar__score_glcm_distances(double px_per_mm,
                                    uint32_t dist[SCAR__SCORE_GLCM_N_DIST]);

/* ------------------------------------------------------------- stats -- */
/* numpy.median of v[0..n-1] (mean of the two middle values for even n);
 * reorders v; NaN for n == 0. Values must be finite. */
double scar__score_median(float *v, size_t n);
/* 1.4826 * median(|v - median(v)|) (Rousseeuw & Croux 1993); reorders v;
 * NaN for n == 0. *median (may be NULL) receives the median. */
double scar__score_robust_sd(float *v, size_t n, double *median);
/* The middle order statistics of the finite v[0..n-1], n >= 1: ranks
 * (n-1)/2 and n/2 (equal for odd n), exact, v not modified (radix
 * selection). 0 when out of memory. */
int scar__score_middle(const float *v, size_t n, float *lower, float *upper);
/* A value interval [*lo, *hi] that very likely holds the middle order
 * statistics of v[0..n-1]: the middle +-128 ranks of a regular subsample
 * of 4096 (Floyd & Rivest 1975). 0 for n < 65536 (no subsample). The
 * caller must verify its use. */
int scar__score_bracket(const float *v, size_t n, double *lo, double *hi);
/* *kth = the k-th smallest (0-based, k < n) of v[0..n-1] and, for k >= 1,
 * *prev = the (k-1)-th (for k == 0, *prev = *kth); reorders v. */
void scar__score_select_pair(float *v, size_t n, size_t k, float *kth,
                             float *prev);

/* Bound (degrees) of |scar__score_ita_approx - (float)scar_ita| for finite
 * L*, b* not both at the origin (L* = 50, b* = 0): the polynomial's
 * 1e-5 rad (0.00057 deg) plus float rounding (< 0.0001 deg), with a
 * margin of 10 (docs/performance.md). */
#define SCAR__SCORE_ITA_APPROX_EPS 0.01f
/* out[i] ~ ITA of (L[i], b[i]) in degrees, branch-free float (vectorises):
 * atan on [0, 1] by Abramowitz & Stegun 4.4.47 (|error| <= 1e-5 rad),
 * octant reduction. Used only to bracket the exact ITA median; the value
 * at L* = 50, b* = 0 is unspecified. */
void scar__score_ita_approx(const float *L, const float *b, size_t n,
                            float *out);

/* ------------------------------------------------------------ regions --
 * Measure regions 1..in->count into out[0..count-1] (struct_size, id,
 * every field of scar_region). Work per region is bounded by its bbox
 * grown by the ring radius. */
int scar__score_regions(const scar__score_input *in, const char *ctx,
                        scar_region *out);

/* Geometry fields of r from a lib/morph region (area must be > 0). */
struct scar__region;
void scar__score_geometry(const struct scar__region *p, double px_per_mm,
                          scar_region *r);

/* ----------------------------------------------------------- exposure --
 * Reference luminance of the photo (docs/metrics.md, "Exposure
 * normalisation"): the 95th percentile (numpy's linear interpolation) of
 * the mean relative luminance Y of healthy skin (skin, no region) in
 * square blocks of 5 mm that are at least half healthy skin and of the
 * skin's chromaticity (within 3 median distances of the blocks' median);
 * the mean Y of all healthy skin when no block is; 0 when there is none
 * or when in->indices.rows is NULL. */
int scar__score_exposure_reference(const scar__score_input *in,
                                   const char *ctx, double *y_ref);
/* Gain of region `id`: in->exposure_ref / mean Y of its ring; 1 when
 * in->exposure_ref is 0, the ring is empty or black. */
double scar__score_exposure_gain(const scar__score_input *in, int32_t id);

/* Colour of region `id` (geometry already in r): means, medians, MI, EI,
 * densities inside (region pixels that are skin) and in the ring, and
 * delta_e00_sd; L*a*b* at the region's exposure gain (exposure_gain).
 * Reads only the bbox and the ring. */
int scar__score_color(const scar__score_input *in, int32_t id,
                      scar_region *r, const char *ctx);

/* Texture of region `id` inside vs ring on its window (bbox grown by
 * ceil(ring_outer_px) + 1, clipped to the image). */
int scar__score_texture(const scar__score_input *in, int32_t id,
                        scar_region *r, const char *ctx);

/* Colour differences, pigment class, Manchester class and hint of r, from
 * the inside/ring means already in r. */
void scar__score_derived(scar_region *r);

/* Morphology hint (docs/metrics.md) from the fields of r. */
scar_morph_hint scar__score_hint(const scar_region *r);

/* Manchester Scar Scale colour class 1..4 from a CIE76 difference (0 for
 * NaN): cut points at the midpoints of Cheon et al. (2010) class means. */
uint32_t scar__score_mss_class(double delta_e76);

/* ------------------------------------------------------------ summary --
 * The image-level summary. `regions` holds in->count measured regions.
 * The caller fills the fields about the image itself (struct_size, width,
 * height, scale_assumed, single_lesion, px_per_mm, skin_area_px,
 * skin_area_mm2) and zeroes the rest first. */
int scar__score_summary(const scar__score_input *in, const scar_region *regions,
                        const char *ctx, scar_summary *out);

/* The fields of the summary that follow from the regions alone (counts and
 * areas by class and hint, area-weighted colour differences, clinical
 * scores), with regions' area_px at px_per_mm and out->skin_area_mm2
 * already set; used again when the regions' geometry is restated on the
 * input grid (lib/analyze/analysis_scale.c). */
void scar__score_summary_regions(const scar_region *regions, uint32_t n,
                                 double px_per_mm, scar_summary *out);

/* Goodman-Baron-like score from counts per hint; mMASI-like area and
 * darkness scores (exposed for the tests). */
double scar__score_goodman_baron(const uint32_t count_by_hint[SCAR_HINT_COUNT]);
uint32_t scar__score_mmasi_area(double fraction);
uint32_t scar__score_mmasi_darkness(double delta_L);

#endif
