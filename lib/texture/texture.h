/* texture.h — internal: texture of an L* patch, measured the way the
 * literature (and scikit-image) measures it. Never installed.
 *
 *  - quantize.c   float plane -> grey levels over a fixed range
 *  - glcm.c       masked grey-level co-occurrence matrix and its Haralick
 *                 (1973) properties, = skimage 0.19 graycomatrix/graycoprops
 *  - lbp.c        uniform local binary patterns P=8, R=1 (Ojala et al.
 *                 2002), = skimage 0.19 local_binary_pattern(.., 'uniform'),
 *                 masked histograms and their chi-square distance
 *  - roughness.c  FFT band-power ratio of the windowed, plane-removed patch
 *  - fftw_lock.c  the mutex around FFTW planning (the library's one global)
 *
 * Shared conventions (details and formulas in docs/texture.md):
 *  - Planes are strided views (lib/plane.h); a mask pixel is selected when
 *    its byte is non-zero; a NULL mask selects every pixel. Masks must have
 *    the input's size.
 *  - Bad arguments -> SCAR_E_INVALID, allocation failure -> SCAR_E_NOMEM,
 *    patch too large -> SCAR_E_LIMIT, all through scar__fail with a message
 *    starting with the function name.
 *  - Scratch memory is per call; no global mutable state other than the
 *    FFTW planner mutex, so every function may run on many threads.
 */
#ifndef SCAR_TEXTURE_H
#define SCAR_TEXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "plane.h"
#include "scarscore.h"

/* Grey level of an excluded pixel in a quantized plane. */
#define SCAR__TEX_EXCLUDED (-1)
/* Grey levels allowed: 2..SCAR__TEX_MAX_LEVELS. */
#define SCAR__TEX_MAX_LEVELS 256
/* Fixed range used for L*: [0, 100]. */
#define SCAR__TEX_LSTAR_LO 0.0
#define SCAR__TEX_LSTAR_HI 100.0
/* Patches larger than this (pixels) are rejected before allocating. */
#define SCAR__TEX_MAX_PIXELS ((uint64_t)1 << 26)
/* Largest side accepted by the FFT roughness (FFTW aborts, rather than
 * failing, when it cannot allocate: sizes are bounded first). */
#define SCAR__TEX_FFT_MAX_SIDE 8192u
#define SCAR__TEX_FFT_MAX_PIXELS ((uint64_t)1 << 24)

/* ------------------------------------------------------------ quantize --
 * q = floor((v - lo) / (hi - lo) * levels) computed in double, clamped to
 * [0, levels-1] (values below lo go to 0, at or above hi to levels-1).
 * Pixels that are unselected by `mask` or not finite get SCAR__TEX_EXCLUDED.
 * Requires finite lo < hi and 2 <= levels <= 256. `out` has in's size. */
int scar__quantize_range(const scar__planef *in, const scar__mask *mask,
                         double lo, double hi, uint32_t levels,
                         scar__labels *out);
/* The same over the documented L* range [0, 100]. */
int scar__quantize_lstar(const scar__planef *L, const scar__mask *mask,
                         uint32_t levels, scar__labels *out);

/* ---------------------------------------------------------------- GLCM --
 * For each distance d in distances[0..n_distances) and each angle 0, 45,
 * 90, 135 degrees, count ordered pairs (p, p + offset) with the offsets of
 * skimage 0.19 (x = column, y = row, y grows downwards):
 *   0: (dx, dy) = (d, 0); 45: (r, r); 90: (0, d); 135: (-r, r),
 *   r = round(d * sin 45deg) (C round(), half away from zero).
 * A pair counts only when both pixels are valid. The matrix is made
 * symmetric (C + C^T) and normalised; the seven properties are computed per
 * (distance, angle) and averaged over the combinations that have at least
 * one valid pair (all NaN, combinations = 0, when none has).
 *
 * scar__glcm_features: a pixel is valid when q >= 0 (SCAR__TEX_EXCLUDED
 * and other negatives are excluded) and mask selects it; q >= levels is
 * SCAR_E_INVALID.
 * scar__glcm_features_u8: grey levels as bytes (0..levels-1, larger values
 * SCAR_E_INVALID), validity from the mask only.
 * distances: 1..n_distances entries, each 1..65535. */
int scar__glcm_features(const scar__labels *q, const scar__mask *mask,
                        uint32_t levels, const uint32_t *distances,
                        uint32_t n_distances, scar_glcm_props *out);
int scar__glcm_features_u8(const uint8_t *img, size_t stride, uint32_t width,
                           uint32_t height, const scar__mask *mask,
                           uint32_t levels, const uint32_t *distances,
                           uint32_t n_distances, scar_glcm_props *out);

/* ----------------------------------------------------------------- LBP --
 * Uniform LBP codes (0..9) of every pixel of `in`, written to `codes`
 * (a byte plane of in's size; the scar__mask view type is used as a plain
 * byte plane). Neighbours outside the image read as 0, as skimage's
 * constant-mode bilinear interpolation; every code matches skimage 0.19
 * exactly for finite input. */
#define SCAR__LBP_BINS 10
int scar__lbp_uniform(const scar__planef *in, scar__mask *codes);
/* Normalised 10-bin histogram of the codes selected by mask (NULL = all);
 * *count receives the number of pixels (may be NULL). With no selected
 * pixel the histogram is all zero and SCAR_OK is returned. Codes > 9 are
 * SCAR_E_INVALID. */
int scar__lbp_histogram(const scar__mask *codes, const scar__mask *mask,
                        double hist[SCAR__LBP_BINS], uint64_t *count);
/* chi2 = 1/2 * sum_k (h1_k - h2_k)^2 / (h1_k + h2_k), bins with
 * h1_k + h2_k == 0 skipped. */
double scar__chi2_distance(const double *h1, const double *h2, uint32_t bins);

/* ------------------------------------------------------------ roughness --
 * Spectral roughness: power in spatial periods [lo_mm, split_mm] over power
 * in [lo_mm, hi_mm] of the patch after removing its least-squares plane
 * (fitted over the valid pixels), zeroing the invalid ones and applying a
 * separable Hann window. Valid = mask selects it and the value is finite.
 * *ratio is NaN when the total band holds no power (flat patch or a band
 * entirely beyond Nyquist). At least 16 valid pixels and sides >= 8
 * required. */
typedef struct scar__roughness_band {
    double px_per_mm;   /* > 0 */
    double lo_mm;       /* shortest period, default 0.2 */
    double split_mm;    /* high band: periods lo_mm..split_mm, default 1 */
    double hi_mm;       /* longest period, default 5 */
} scar__roughness_band;
void scar__roughness_band_default(double px_per_mm, scar__roughness_band *b);
int scar__spectral_roughness(const scar__planef *L, const scar__mask *mask,
                             const scar__roughness_band *band, double *ratio);

/* --------------------------------------------------------------- FFTW --
 * FFTW's planner is not thread-safe (FFTW manual, "Thread safety"): every
 * fftwf_plan_* and fftwf_destroy_plan call in the library is made between
 * these two. Execution of distinct plans needs no lock. */
void scar__fftw_lock(void);
void scar__fftw_unlock(void);

/* ------------------------------------------------------------- checks -- */
int scar__tex_check_planef(const scar__planef *p, const char *fn,
                           const char *what);
int scar__tex_check_mask(const scar__mask *m, uint32_t w, uint32_t h,
                         const char *fn, const char *what);

#endif
