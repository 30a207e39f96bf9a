/* lowres.h — internal: slowly varying, masked local means computed at
 * reduced resolution (DESIGN.md step 4: "computed at reduced resolution and
 * interpolated back"). Shared by lib/skin (local skin level for glare and
 * shadow) and lib/segment (the local healthy-skin model). */
#ifndef SCAR_SEGMENT_LOWRES_H
#define SCAR_SEGMENT_LOWRES_H

#include "plane.h"

/* out = normalized Gaussian (Knutsson & Westin 1993) of `in` over the pixels
 * where `mask` is set, sigma `sigma_px` full-resolution pixels, evaluated on
 * a grid reduced by f = max(1, floor(sigma_px / 3)) (masked area average per
 * f x f block; a block counts when >= 1/4 of its pixels are valid), and
 * brought back with bilinear interpolation. Because the Gaussian is at least
 * 3 coarse pixels wide, the reduction changes the result by far less than
 * the skin texture it averages. Where no valid pixel is near (weight below
 * SCAR__GAUSS_MASKED_MIN_WEIGHT) the mean of all valid pixels is used, so
 * out is finite everywhere. No valid pixel at all -> SCAR_E_INVALID.
 * `in` values under unset mask pixels are never read. */
int scar__smooth_masked_lowres(const scar__planef *in, const scar__mask *mask,
                               double sigma_px, scar__planef *out,
                               const char *ctx);

#endif
