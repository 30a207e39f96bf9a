/* photo_rows.h — internal: the rows of an upright photo, top to bottom,
 * from a decoded image or decoded from the bytes of a JPEG as they are
 * read (lib/image/photo_rows.c). The steps that read a photo once from
 * the top (the block-mean shrink, the pores of light_photo.c) take a
 * scar__photo, so that scar_analyze_memory never holds a 12 MP photo
 * whole (docs/performance.md, session 25). Never installed. */
#ifndef SCAR_IMAGE_PHOTO_ROWS_H
#define SCAR_IMAGE_PHOTO_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "image/image_internal.h"
#include "scarscore.h"

/* Where a photo's pixels come from. Either `img` (decoded), or `jpeg` /
 * `size`: a JPEG whose stored rows are the upright photo (EXIF
 * orientation 1, or orientation not applied), decoded with `load` (a
 * complete, validated copy of the options) each time its rows are read.
 * width, height, channels (1-4) and bit_depth (8, 16) describe the rows;
 * `format` is the source format. Everything is borrowed. */
typedef struct scar__photo {
    const scar_image *img;
    const uint8_t *jpeg;
    size_t size;
    scar_load_options load;
    const char *ctx; /* message prefix of the JPEG's decode */
    uint32_t width, height, channels, bit_depth;
    scar_format format;
} scar__photo;

/* A photo of a decoded image (never fails). */
void scar__photo_of_image(const scar_image *img, scar__photo *p);

/* A photo of the JPEG `data` (borrowed, as `ctx`) decoded with `load` (a
 * complete, validated copy is kept), from its header: the rows as stored,
 * and *orientation, the EXIF orientation they are NOT turned by. Errors:
 * those of the JPEG's header. */
int scar__photo_of_jpeg(const uint8_t *data, size_t size,
                        const scar_load_options *load, const char *ctx,
                        scar__photo *p, uint32_t *orientation);

/* One pass over a photo's rows. */
typedef struct scar__photo_rows {
    const scar__photo *photo;
    scar__jpeg_stream *js; /* NULL for a decoded image */
    uint32_t y;            /* the row the next call returns */
} scar__photo_rows;

/* Start a pass at row 0. Errors: those of the JPEG's header. */
int scar__photo_rows_open(const scar__photo *p, scar__photo_rows *r);
/* The next row (width * channels samples of bit_depth bits), valid until
 * the next call. Errors: past the last row (SCAR_E_INTERNAL), the JPEG's
 * damage (SCAR_E_CORRUPT) and memory. */
int scar__photo_rows_next(scar__photo_rows *r, const uint8_t **row);
/* End the pass wherever it is (also after a failure). */
void scar__photo_rows_close(scar__photo_rows *r);

#endif
