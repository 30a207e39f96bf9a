/*
 * scarscore.h — the public API of scarscore, and its manual.
 *
 * scarscore reads a clinical photograph of skin, finds scars and pigment
 * patches, and measures how each differs from the healthy skin around it.
 *
 * Conventions that hold for every function below unless its block says
 * otherwise:
 *  - Fallible functions return an `int` status: SCAR_OK (0) on success or one
 *    of the `scar_status` values. On failure a detailed message naming the
 *    function and the reason is available from scar_last_error() on the same
 *    thread; output pointers are left NULL.
 *  - Only functions named *_new, *_load*, *_from_memory (and later
 *    scar_analyze) hand the caller an object to release, with the matching
 *    *_free. Getters return borrowed pointers valid until the owner is freed.
 *    Every *_free accepts NULL and does nothing.
 *  - Threads: one object is used by one thread at a time; different objects
 *    may be used concurrently from any number of threads. The library has no
 *    process-wide settings.
 *  - Image buffers are interleaved, top-left pixel first, rows `stride` bytes
 *    apart; 16-bit samples are uint16_t in native byte order. Colour images
 *    are sRGB (IEC 61966-2-1); alpha is straight (not premultiplied).
 */
#ifndef SCARSCORE_H
#define SCARSCORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SCARSCORE_STATIC)
#define SCAR_API
#elif defined(_WIN32)
#if defined(SCARSCORE_BUILDING)
#define SCAR_API __declspec(dllexport)
#else
#define SCAR_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define SCAR_API __attribute__((visibility("default")))
#else
#define SCAR_API
#endif

/* ------------------------------------------------------------------ */
/* Version                                                            */
/* ------------------------------------------------------------------ */

#define SCAR_VERSION_MAJOR 0
#define SCAR_VERSION_MINOR 1
#define SCAR_VERSION_PATCH 0
/** MAJOR*1000000 + MINOR*1000 + PATCH, comparable with scar_version_number(). */
#define SCAR_VERSION_NUMBER                                                    \
    (SCAR_VERSION_MAJOR * 1000000 + SCAR_VERSION_MINOR * 1000 +                \
     SCAR_VERSION_PATCH)
#define SCAR_VERSION_STRING "0.1.0"

/** The library's version as "MAJOR.MINOR.PATCH" (static string). Compare
 *  with SCAR_VERSION_STRING to detect a header/library mismatch. */
SCAR_API const char *scar_version(void);

/** The library's SCAR_VERSION_NUMBER, as compiled into the library. */
SCAR_API int32_t scar_version_number(void);

/* ------------------------------------------------------------------ */
/* Status codes and error messages                                    */
/* ------------------------------------------------------------------ */

/** Status codes. Values are fixed forever and grouped by kind:
 *  1-9 caller errors, 10-19 input-data errors, 20-29 resource errors,
 *  90-99 library faults. New codes are only ever appended. */
typedef enum scar_status {
    SCAR_OK = 0,

    /* The caller passed something unusable (NULL, zero size, bad enum). */
    SCAR_E_INVALID = 1,
    /* The options struct is from an incompatible version (bad struct_size). */
    SCAR_E_VERSION = 2,

    /* A file could not be opened, read or written (missing, directory,
     * permission, disk full). */
    SCAR_E_IO = 10,
    /* The bytes are not a format scarscore reads (unknown magic bytes). */
    SCAR_E_FORMAT = 11,
    /* The file is in a known format but truncated or corrupt. */
    SCAR_E_CORRUPT = 12,
    /* A valid file using a feature scarscore does not support (e.g. CMYK). */
    SCAR_E_UNSUPPORTED = 13,

    /* Out of memory. */
    SCAR_E_NOMEM = 20,
    /* A configured limit (pixels, side, memory ceiling) would be exceeded. */
    SCAR_E_LIMIT = 21,

    /* A bug in scarscore; please report it with the message. */
    SCAR_E_INTERNAL = 99
} scar_status;

/** A static, human-readable description of a status code ("corrupt or
 *  truncated data"). Never NULL; unknown codes give "unknown status". */
SCAR_API const char *scar_strerror(int status);

/** The detailed message of the most recent failed scarscore call made on the
 *  calling thread, e.g. "scar_image_load: photo.jpg: truncated at byte 4096".
 *  Each thread has its own message, so concurrent calls never overwrite each
 *  other's. Successful calls do not clear it. Returns "" if no call on this
 *  thread has failed. The pointer is valid until the next failing call on
 *  this thread. */
SCAR_API const char *scar_last_error(void);

/* ------------------------------------------------------------------ */
/* Images                                                             */
/* ------------------------------------------------------------------ */

/** An image: width x height pixels of 1-4 interleaved channels
 *  (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), 8 or 16 bits per sample. */
typedef struct scar_image scar_image;

/** Flags for scar_image_from_memory(). */
enum scar_image_flags {
    /** Copy the caller's pixels; the caller may free them at once. */
    SCAR_IMAGE_COPY = 0,
    /** Borrow the caller's pixels without copying: the caller keeps them
     *  alive and unchanged until scar_image_free(). */
    SCAR_IMAGE_BORROW = 1
};

/** Create a zero-filled image that owns its pixels (rows tightly packed).
 *  channels 1-4, bit_depth 8 or 16, width and height >= 1.
 *  Errors: SCAR_E_INVALID, SCAR_E_LIMIT (size overflows), SCAR_E_NOMEM.
 *  The caller frees *out with scar_image_free(). */
SCAR_API int scar_image_new(uint32_t width, uint32_t height, uint32_t channels,
                            uint32_t bit_depth, scar_image **out);

/** Wrap or copy pixels held in caller memory. `stride` is the distance in
 *  bytes between the starts of consecutive rows (>= width*channels*bytes per
 *  sample; 16-bit data needs an even stride and 2-byte alignment).
 *  `flags` is SCAR_IMAGE_COPY or SCAR_IMAGE_BORROW. With COPY the new image
 *  owns tightly packed rows. The caller frees *out with scar_image_free().
 *  Errors: SCAR_E_INVALID, SCAR_E_LIMIT, SCAR_E_NOMEM. */
SCAR_API int scar_image_from_memory(const void *pixels, uint32_t width,
                                    uint32_t height, uint32_t channels,
                                    uint32_t bit_depth, size_t stride,
                                    uint32_t flags, scar_image **out);

/** Release an image (and its pixels when owned). NULL is a no-op. */
SCAR_API void scar_image_free(scar_image *img);

/** Width in pixels (0 for NULL). */
SCAR_API uint32_t scar_image_width(const scar_image *img);
/** Height in pixels (0 for NULL). */
SCAR_API uint32_t scar_image_height(const scar_image *img);
/** Channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (0 for NULL). */
SCAR_API uint32_t scar_image_channels(const scar_image *img);
/** Bits per sample: 8 or 16 (0 for NULL). */
SCAR_API uint32_t scar_image_bit_depth(const scar_image *img);
/** Bytes between the starts of consecutive rows (0 for NULL). */
SCAR_API size_t scar_image_stride(const scar_image *img);
/** Pointer to the first pixel of row y (NULL if img is NULL or y out of
 *  range). Borrowed; writable only when the image owns its pixels or the
 *  borrowed memory is writable. */
SCAR_API void *scar_image_row(const scar_image *img, uint32_t y);
/** Pointer to the first pixel (row 0); same as scar_image_row(img, 0). */
SCAR_API void *scar_image_data(const scar_image *img);
/** The EXIF orientation (1-8) that loading found and applied so the pixels
 *  are upright; 1 when the file had none or orientation was not applied
 *  (see scar_load_options.apply_orientation: then it reports the tag). */
SCAR_API uint32_t scar_image_orientation(const scar_image *img);
/** The DCT scale denominator the image was decoded at (1, 2, 4 or 8);
 *  1 for PNG and for images not loaded from a file. */
SCAR_API uint32_t scar_image_scale_denom(const scar_image *img);

/** File formats scarscore reads, detected from magic bytes only. */
typedef enum scar_format {
    SCAR_FORMAT_UNKNOWN = 0,
    SCAR_FORMAT_PNG = 1,
    SCAR_FORMAT_JPEG = 2
} scar_format;

/** The format of the file the image was loaded from (SCAR_FORMAT_UNKNOWN
 *  for images made in memory). */
SCAR_API scar_format scar_image_format(const scar_image *img);

/** Detect the format from the first bytes of a file (at least 8 bytes are
 *  needed to recognise PNG, 3 for JPEG). Never fails: SCAR_FORMAT_UNKNOWN
 *  when nothing matches. */
SCAR_API scar_format scar_detect_format(const void *data, size_t size);

/** Default limits for untrusted input. */
#define SCAR_DEFAULT_MAX_SIDE 65535u
#define SCAR_DEFAULT_MAX_PIXELS 200000000u

/** Options for loading. Always initialise with scar_load_options_init(),
 *  which sets struct_size so that fields added in later versions keep
 *  their defaults for callers compiled against this header. */
typedef struct scar_load_options {
    /** sizeof(scar_load_options) as compiled by the caller; set by init. */
    uint32_t struct_size;
    /** Largest accepted width or height (default 65535). Checked from the
     *  file header before any pixel buffer is allocated. */
    uint32_t max_side;
    /** Largest accepted width*height (default 200 000 000). */
    uint64_t max_pixels;
    /** JPEG only: decode at 1/scale_denom of full size using libjpeg's DCT
     *  scaling (1, 2, 4 or 8; default 1). Output dimensions are
     *  ceil(w/scale_denom) x ceil(h/scale_denom). PNG ignores it. */
    uint32_t scale_denom;
    /** Non-zero (default): apply the EXIF orientation so pixels come out
     *  upright. Zero: return pixels as stored. */
    uint32_t apply_orientation;
} scar_load_options;

/** Fill *opts with defaults (including struct_size). */
SCAR_API void scar_load_options_init(scar_load_options *opts);

/** Load a PNG or JPEG file. The format comes from the file's magic bytes,
 *  never from its name. PNG of any bit depth (1-16) and colour type comes
 *  out as 8-bit (depths <= 8) or 16-bit with 1-4 channels: palette images
 *  become RGB, or RGBA when they carry tRNS; gray/RGB with tRNS gain alpha.
 *  JPEG comes out 8-bit gray or RGB, upright per EXIF (unless disabled).
 *  `opts` may be NULL for defaults. The caller frees *out with
 *  scar_image_free(). Errors: SCAR_E_INVALID, SCAR_E_IO, SCAR_E_FORMAT,
 *  SCAR_E_CORRUPT (truncated or corrupt: never a partly gray image),
 *  SCAR_E_UNSUPPORTED (e.g. CMYK JPEG), SCAR_E_LIMIT, SCAR_E_NOMEM,
 *  SCAR_E_VERSION. */
SCAR_API int scar_image_load(const char *path, const scar_load_options *opts,
                             scar_image **out);

/** As scar_image_load(), from `size` bytes of an encoded file in memory.
 *  The bytes are only read during the call. */
SCAR_API int scar_image_load_memory(const void *data, size_t size,
                                    const scar_load_options *opts,
                                    scar_image **out);

/** Save as PNG, losslessly: 8- or 16-bit, 1-4 channels. The file is written
 *  to a temporary name beside `path` and renamed into place, so a reader
 *  never sees a partial file. Errors: SCAR_E_INVALID, SCAR_E_IO,
 *  SCAR_E_NOMEM. */
SCAR_API int scar_image_save_png(const scar_image *img, const char *path);

/** Encode as PNG into a new buffer. On success *out_data (to be released
 *  with scar_free()) holds *out_size bytes. */
SCAR_API int scar_image_encode_png(const scar_image *img, void **out_data,
                                   size_t *out_size);

/** Release memory that scarscore handed to the caller as a raw buffer
 *  (scar_image_encode_png). NULL is a no-op. */
SCAR_API void scar_free(void *ptr);

/* ------------------------------------------------------------------ */
/* Colour (lib/color) — declarations are added by the colour module.  */
/* ------------------------------------------------------------------ */

/* @@COLOR_API@@ */

#ifdef __cplusplus
}
#endif

#endif /* SCARSCORE_H */
