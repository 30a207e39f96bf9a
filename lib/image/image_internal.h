/* image_internal.h — internal: the image struct and the decoder interface
 * shared by the files of lib/image/. Never installed. */
#ifndef SCAR_IMAGE_INTERNAL_H
#define SCAR_IMAGE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "scarscore.h"

struct scar_image {
    uint8_t *data;         /* first pixel of row 0 */
    uint32_t width, height;
    uint32_t channels;     /* 1..4 */
    uint32_t bit_depth;    /* 8 or 16 */
    size_t stride;         /* bytes between row starts */
    int owns_data;         /* free(data) in scar_image_free */
    uint32_t orientation;  /* EXIF orientation found (1..8), 1 if none */
    uint32_t scale_denom;  /* JPEG DCT scale used, 1 otherwise */
    scar_format format;    /* source format */
};

/* Allocate an owned, zero-filled, tightly packed image. Validates the
 * arguments and overflow-checks the size; applies no user limits.
 * `ctx` prefixes error messages (e.g. "scar_image_new"). */
int scar__image_alloc(uint32_t width, uint32_t height, uint32_t channels,
                      uint32_t bit_depth, const char *ctx, scar_image **out);

/* Fail with SCAR_E_LIMIT unless width x height (as declared by a file
 * header) is within the options' limits; also rejects zero sizes with
 * SCAR_E_CORRUPT. Call before allocating any pixel buffer. */
int scar__check_limits(const scar_load_options *opts, uint64_t width,
                       uint64_t height, const char *ctx);

/* The caller's load options merged onto the defaults (struct_size
 * honoured) and validated: SCAR_E_VERSION, SCAR_E_INVALID. */
int scar__load_resolve_options(const scar_load_options *in,
                               scar_load_options *out, const char *ctx);

/* A whole regular file into a malloc'd buffer (*out, released with
 * free()). Errors: SCAR_E_IO (naming why), SCAR_E_LIMIT, SCAR_E_NOMEM. */
int scar__read_file(const char *path, const char *ctx, uint8_t **out,
                    size_t *out_size);

/* A PNG or JPEG file in memory (format from its first bytes) decoded and,
 * when o->apply_orientation, made upright: scar_image_load_memory with
 * complete options `o` and message prefix `ctx`. */
int scar__image_decode(const uint8_t *data, size_t size,
                       const scar_load_options *o, const char *ctx,
                       scar_image **out);

/* Decoders: `data`/`size` is a whole encoded file; `opts` is complete
 * (never NULL, already validated); `ctx` is the message prefix, e.g.
 * "scar_image_load: photo.jpg". On success *out is a new owned image with
 * format and (JPEG) orientation/scale_denom filled in but orientation NOT
 * yet applied; scar_image_load* applies it. */
int scar__png_decode(const uint8_t *data, size_t size,
                     const scar_load_options *opts, const char *ctx,
                     scar_image **out);
int scar__jpeg_decode(const uint8_t *data, size_t size,
                      const scar_load_options *opts, const char *ctx,
                      scar_image **out);

/* A JPEG decoded one row at a time (jpeg.c), for the steps that read a
 * photo once from top to bottom and need no whole image of it (the
 * block-mean shrink, the pores of light_photo.c). Open reads the header:
 * the output size and channels (as scar__jpeg_decode gives them, with
 * opts->scale_denom) and the EXIF orientation, which is NOT applied: rows
 * come as stored. Errors as scar__jpeg_decode, each from the call that
 * meets them; a truncated or damaged file fails at the row where the
 * damage is, or at the last row (read through EOI). `ctx` is borrowed
 * until close. */
typedef struct scar__jpeg_stream scar__jpeg_stream;
int scar__jpeg_stream_open(const uint8_t *data, size_t size,
                           const scar_load_options *opts, const char *ctx,
                           scar__jpeg_stream **out);
void scar__jpeg_stream_info(const scar__jpeg_stream *js, uint32_t *width,
                            uint32_t *height, uint32_t *channels,
                            uint32_t *orientation);
/* The next row, top to bottom (width * channels bytes, valid until the
 * next call). */
int scar__jpeg_stream_row(scar__jpeg_stream *js, const uint8_t **row);
/* Ends the decode wherever it is (NULL: no-op). */
void scar__jpeg_stream_close(scar__jpeg_stream *js);

/* PNG encoder into a malloc'd buffer (*out released with free()). */
int scar__png_encode(const scar_image *img, const char *ctx, uint8_t **out,
                     size_t *out_size);

/* Parse an EXIF APP1 payload (starting at "Exif\0\0") and return its
 * Orientation tag (1..8), or 1 when absent or unreadable: a damaged EXIF
 * block never fails a load. */
uint32_t scar__exif_orientation(const uint8_t *app1, size_t size);

/* Replace *img by a copy transformed so that an image stored with EXIF
 * `orientation` (1..8) becomes upright. 1 is a no-op. */
int scar__image_apply_orientation(scar_image **img, uint32_t orientation,
                                  const char *ctx);

#endif
