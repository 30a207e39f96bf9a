/* filter.h — internal: Gaussian blur, normalized (masked) convolution and
 * resampling of float planes. Full definitions, accuracy and speed are in
 * docs/filter.md.
 *
 * Common rules for every function below:
 *  - Planes are strided views (lib/plane.h). `out` must already point to
 *    caller-owned memory of the stated size; nothing is allocated for the
 *    caller. Each call allocates only its own scratch and frees it.
 *  - Bad arguments (NULL plane or data, zero size, size mismatch, stride <
 *    width, sigma <= 0 / NaN / Inf, factor 0) give SCAR_E_INVALID; scratch
 *    allocation failure gives SCAR_E_NOMEM. On failure `out` may have been
 *    partly written. The message is prefixed by `ctx` (the public function
 *    name of the caller, e.g. "scar_analyze"); ctx may be NULL ("scar_filter").
 *  - No global state: safe to call concurrently on different planes.
 *  - Input samples are expected to be finite (masked variants never read
 *    the value of a masked-out sample, so those may be NaN/Inf).
 */
#ifndef SCAR_FILTER_H
#define SCAR_FILTER_H

#include <stdint.h>

#include "plane.h"

/* Which 1-D Gaussian implementation scar__gaussian_ex uses. */
typedef enum scar__gauss_method {
    /* EXACT below SCAR__GAUSS_RECURSIVE_SIGMA, RECURSIVE from it on. */
    SCAR__GAUSS_AUTO = 0,
    /* Sampled kernel exp(-k^2 / (2 sigma^2)), |k| <= floor(4 sigma + 0.5),
     * normalised to sum 1, applied separably: the same numbers as
     * scipy.ndimage.gaussian_filter(x, sigma, mode='nearest', truncate=4.0)
     * up to float rounding (<= 1e-5 of the data range). Cost grows with
     * sigma (about 8 sigma + 1 taps per pixel and pass). */
    SCAR__GAUSS_EXACT = 1,
    /* Deriche's 4th-order recursive approximation (Deriche 1993, INRIA
     * RR-1893; parallel form as in Getreuer, IPOL 2013 "A survey of Gaussian
     * convolution algorithms"), run in double precision with exact 'nearest'
     * boundaries (steady-state initialisation of the causal/anticausal
     * parts). Cost independent of sigma; within 1e-3 of the data range of
     * the EXACT result for sigma >= 2 (see docs/filter.md for measured
     * errors). */
    SCAR__GAUSS_RECURSIVE = 2
} scar__gauss_method;

/* AUTO switches from EXACT to RECURSIVE at this sigma (px): below it the
 * sampled kernel is both cheaper and exact; at 4 their speeds cross
 * (bench/bench_filter.c, docs/filter.md). */
#define SCAR__GAUSS_RECURSIVE_SIGMA 4.0

/* scar__gaussian_masked outputs `fill` where the Gaussian-weighted fraction
 * of valid pixels, G*m, is below this: less than 1% of the kernel's mass
 * falls on valid pixels. Not smaller, because the recursive filter's weights
 * differ from the exact ones by up to ~1e-3 (docs/filter.md). */
#define SCAR__GAUSS_MASKED_MIN_WEIGHT 1e-2

/* 2-D isotropic Gaussian blur of `in` into `out` (same width and height;
 * strides may differ). Boundary: 'nearest' (edge samples replicated to
 * infinity), as scipy.ndimage mode='nearest'. `in` and `out` may be the same
 * plane (in place); any other overlap is not allowed.
 * sigma in pixels, > 0 and finite. Equivalent to scar__gaussian_ex with
 * SCAR__GAUSS_AUTO. */
int scar__gaussian(const scar__planef *in, scar__planef *out, double sigma,
                   const char *ctx);

/* As scar__gaussian, choosing the method explicitly (tests and benches). */
int scar__gaussian_ex(const scar__planef *in, scar__planef *out, double sigma,
                      scar__gauss_method method, const char *ctx);

/* Normalized convolution (Knutsson & Westin 1993):
 *     out = G*(x.m) / G*m
 * with m = 1 where mask is non-zero, 0 elsewhere, both blurs as
 * scar__gaussian (same sigma, method AUTO, 'nearest' boundary applied to x.m
 * and to m). Masked-out samples never contribute (their values are never
 * read: NaN is fine there). Every output pixel — masked-out ones included —
 * gets the weighted mean of the valid pixels near it, or `fill` (NaN
 * allowed) where G*m < SCAR__GAUSS_MASKED_MIN_WEIGHT. mask == NULL means all
 * valid (same as scar__gaussian). mask, in and out have the same size;
 * in == out allowed. Scratch: one float plane (G*m); the numerator is
 * formed and blurred in `out`. */
int scar__gaussian_masked(const scar__planef *in, const scar__mask *mask,
                          scar__planef *out, double sigma, float fill,
                          const char *ctx);

/* scar__gaussian_masked of n planes of one size over one mask: the same
 * numbers as n separate calls, with the blur of the mask (G*m) computed
 * once. Scratch: one float plane. in[k] == out[k] allowed; planes of
 * different k must not overlap. n >= 1. */
int scar__gaussian_masked_n(const scar__planef *const *in,
                            scar__planef *const *out, uint32_t n,
                            const scar__mask *mask, double sigma, float fill,
                            const char *ctx);

/* scar__gaussian_masked_n with the caller's scratch plane (same size as
 * in[0], overlapping none of in/out), so a plane that is free at the time
 * can be lent instead of a new allocation (peak memory). Same numbers. */
int scar__gaussian_masked_n_scratch(const scar__planef *const *in,
                                    scar__planef *const *out, uint32_t n,
                                    const scar__mask *mask, double sigma,
                                    float fill, scar__planef *scratch,
                                    const char *ctx);

/* Row streaming: the EXACT Gaussian (sampled kernel, 'nearest' boundary)
 * of a width x height plane whose rows are fed in order, top to bottom,
 * holding only min(2r + 1, height) filtered rows (r = floor(4 sigma +
 * 0.5)) instead of a plane: the same bits as scar__gaussian_ex(...,
 * SCAR__GAUSS_EXACT) at any sigma (docs/filter.md). Output row y can be
 * read once scar__gauss_rows_needed(g, y) rows have been fed and until
 * row y + r + 1 is fed; rows are read in increasing order. One stream is
 * used by one thread at a time. */
typedef struct scar__gauss_rows {
    uint32_t width, height, radius, slots;
    uint32_t fed;              /* source rows fed so far */
    float *kernel, *pad, *ring;
    const float **lo, **hi;    /* the taps' rows (scratch) */
} scar__gauss_rows;

/* width, height >= 1, sigma > 0 finite, else SCAR_E_INVALID; SCAR_E_NOMEM.
 * On failure *g is left empty (free is still safe). */
int scar__gauss_rows_init(scar__gauss_rows *g, uint32_t width,
                          uint32_t height, double sigma, const char *ctx);

/* Source rows that must have been fed before output row y: min(y + r + 1,
 * height). */
uint32_t scar__gauss_rows_needed(const scar__gauss_rows *g, uint32_t y);

/* Feeds source row g->fed (width floats, finite). */
void scar__gauss_rows_feed(scar__gauss_rows *g, const float *src);

/* Output row y into dst (width floats). */
void scar__gauss_rows_out(scar__gauss_rows *g, uint32_t y, float *dst);

/* Frees what init allocated; an empty stream is fine. */
void scar__gauss_rows_free(scar__gauss_rows *g);

/* Output size of an area downsample: ceil(n / factor). */
static inline uint32_t scar__downsampled_size(uint32_t n, uint32_t factor)
{
    return factor ? (uint32_t)(((uint64_t)n + factor - 1) / factor) : 0;
}

/* Area (box) downsample by an integer factor >= 1:
 *     out(X, Y) = mean of in(x, y) over x in [fX, min(fX+f, w)),
 *                                        y in [fY, min(fY+f, h))
 * i.e. partial blocks at the right/bottom edge average the pixels that exist.
 * out must be exactly ceil(w/f) x ceil(h/f). factor 1 copies. Sums are
 * accumulated in double. in and out must not overlap (except factor 1 with
 * in == out). */
int scar__downsample_area(const scar__planef *in, uint32_t factor,
                          scar__planef *out, const char *ctx);

/* Masked area downsample, for computing statistics of valid pixels only at
 * reduced resolution. For each block B (as above) with n_B existing pixels
 * and v_B of them valid (mask non-zero):
 *     out(X, Y)   = mean of in over the valid pixels of B, or `fill` if v_B = 0
 *     valid(X, Y) = v_B / n_B  (fraction in [0, 1])
 * valid may be NULL. mask NULL means all valid. Masked-out samples are never
 * read (NaN fine). out/valid are ceil(w/f) x ceil(h/f) and must not overlap
 * in. */
int scar__downsample_area_masked(const scar__planef *in, const scar__mask *mask,
                                 uint32_t factor, scar__planef *out,
                                 scar__planef *valid, float fill,
                                 const char *ctx);

/* Bilinear resampling of `in` to the size of `out` (any size >= 1x1, larger
 * or smaller; no anti-aliasing when shrinking). Pixel-centre alignment as
 * cv2.resize(INTER_LINEAR) and skimage.transform.resize(order=1,
 * mode='edge', anti_aliasing=False): for output column x
 *     sx = (x + 0.5) * in_w / out_w - 0.5, clamped to [0, in_w - 1]
 *     x0 = floor(sx), x1 = min(x0 + 1, in_w - 1), fx = sx - x0
 * (rows likewise) and out = (1-fy)((1-fx) in(x0,y0) + fx in(x1,y0))
 *                         +    fy ((1-fx) in(x0,y1) + fx in(x1,y1)).
 * Edges are replicated. in and out must not overlap. */
int scar__upsample_bilinear(const scar__planef *in, scar__planef *out,
                            const char *ctx);

/* A masked local mean at reduced resolution, read back one full-resolution
 * row at a time (lib/filter/smooth_model.c). Row y of the model equals row
 * y of scar__smooth_masked_lowres(in, mask, sigma_px) (lib/segment/lowres.h:
 * normalized Gaussian over the valid pixels on a grid reduced by
 * f = max(1, floor(sigma_px / 3)), bilinear back), but only the coarse grid
 * is stored. One model is used by one thread at a time (row() writes a
 * scratch row inside it). */
typedef struct scar__smooth_model {
    scar__planef small;      /* the smoothed coarse grid */
    uint32_t width, height;  /* full resolution */
    uint32_t factor;         /* f */
    uint32_t *x0, *x1, *y0, *y1;
    float *fx, *fy, *row;    /* bilinear tables; scratch row (coarse width) */
} scar__smooth_model;

/* Builds the model of `in` over `mask` (same size; sigma_px > 0 finite).
 * No valid pixel or bad arguments -> SCAR_E_INVALID; SCAR_E_NOMEM. On
 * failure *m is left empty (free is still safe). */
int scar__smooth_model_init(const scar__planef *in, const scar__mask *mask,
                            double sigma_px, const char *ctx,
                            scar__smooth_model *m);

/* out[0..width-1] = model row y (y < height). */
void scar__smooth_model_row(scar__smooth_model *m, uint32_t y, float *out);

/* Frees what init allocated; NULL or an empty model is fine. */
void scar__smooth_model_free(scar__smooth_model *m);

#endif
