/* shrink.h — internal: block-mean shrinking of an image by an integer
 * factor (lib/image/shrink.c), used by scar_analyze to reach the analysis
 * resolution. Never installed. */
#ifndef SCAR_IMAGE_SHRINK_H
#define SCAR_IMAGE_SHRINK_H

#include <stdint.h>

#include "image/photo_rows.h"
#include "scarscore.h"

/* *out = a new ceil(w/factor) x ceil(h/factor) image with in's channels
 * and bit depth; each sample is the mean of the factor x factor input
 * block (fewer at the right and bottom edges), rounded half up.
 * factor 1..256. Errors: SCAR_E_INVALID, SCAR_E_NOMEM, SCAR_E_LIMIT. */
int scar__image_shrink(const scar_image *in, uint32_t factor, const char *ctx,
                       scar_image **out);

/* The same, where each block's mean is taken over its pixels whose mask
 * byte (mask[y * mask_stride + x], the input's size) is non-zero; a block
 * without any is the mean of all its pixels. */
int scar__image_shrink_masked(const scar_image *in, const uint8_t *mask,
                              size_t mask_stride, uint32_t factor,
                              const char *ctx, scar_image **out);

/* As scar__image_shrink_masked, reading the photo's rows once from the
 * top (photo_rows.h): a JPEG is decoded as it is shrunk, never held at
 * full size. The same output, bit for bit. Errors: also the JPEG's. */
int scar__photo_shrink_masked(const scar__photo *in, const uint8_t *mask,
                              size_t mask_stride, uint32_t factor,
                              const char *ctx, scar_image **out);

#endif
