/* robust.h — internal: median and MAD of masked float samples. */
#ifndef SCAR_SEGMENT_ROBUST_H
#define SCAR_SEGMENT_ROBUST_H

#include <stddef.h>

#include "plane.h"

/* 1.4826 MAD estimates the standard deviation of a normal distribution
 * (Rousseeuw & Croux 1993). */
#define SCAR__MAD_TO_SIGMA 1.4826

/* The k-th smallest (0-based) of v[0..n-1]; reorders v. Deterministic
 * (median-of-three quickselect, Hoare 1961). n >= 1, k < n. */
float scar__select_kth(float *v, size_t n, size_t k);

/* Bins of the histogram scar__select_kth_radix needs (one 16-bit digit). */
#define SCAR__RADIX_BINS 65536u

/* The k-th smallest (0-based) of the finite v[0..n-1] without reordering v
 * (k < n): the same value as scar__select_kth, except that -0.0 ranks
 * below +0.0. `hist` is scratch of SCAR__RADIX_BINS counts. Two counting
 * passes over v (radix selection on an order-preserving integer key). */
float scar__select_kth_radix(const float *v, size_t n, size_t k,
                             uint32_t *hist);

/* Median of v[0..n-1] (lower median for even n); reorders v. */
float scar__median_inplace(float *v, size_t n);

/* Median and MAD of the finite samples of `p` where `mask` is set, taken on
 * the regular grid of every `step`-th row and column (step >= 1; chosen by
 * the caller from the image size, so results are deterministic).
 * *mad is the raw median absolute deviation (not scaled).
 * No sample -> SCAR_E_INVALID; allocation failure -> SCAR_E_NOMEM. */
int scar__median_mad(const scar__planef *p, const scar__mask *mask,
                     uint32_t step, const char *ctx, float *median, float *mad);

/* Median and raw MAD of the n >= 1 finite samples v[0..n-1] gathered by
 * the caller in the order scar__median_mad would gather them (raster order
 * of the grid); `negzero`: a -0.0 is among them. Overwrites v (the same
 * numbers as scar__median_mad on those samples). NOMEM only. */
int scar__median_mad_samples(float *v, size_t n, int negzero, const char *ctx,
                             float *median, float *mad);

/* Grid step that keeps about at most 2^20 samples of a w x h image. */
uint32_t scar__stat_step(uint32_t w, uint32_t h);

#endif
