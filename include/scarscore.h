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

/* ------------------------------------------------------------------ */
/* Analysis (lib/skin, lib/segment, lib/score)                        */
/* ------------------------------------------------------------------ */

/** px per mm assumed when the caller does not know the scale (0 given):
 *  a 12 MP photo of a cheek-sized field. Results say when it was assumed. */
#define SCAR_DEFAULT_PX_PER_MM 10.0

/** Options for scar_analyze(). Initialise with scar_analyze_options_init();
 *  all lengths are in millimetres and converted with px_per_mm. */
typedef struct scar_analyze_options {
    /** sizeof(scar_analyze_options) as compiled by the caller; set by init. */
    uint32_t struct_size;
    /** Non-zero: the photo shows one dominant lesion (dermoscopy, a single
     *  patch or mole close up); the result is exactly one connected region
     *  without holes (or none when no lesion stands out). Default 0. */
    uint32_t single_lesion;
    /** Image scale in pixels per millimetre; 0 (default) = unknown, then
     *  SCAR_DEFAULT_PX_PER_MM is assumed and scar_result_scale_assumed()
     *  reports it. Must be finite and in (0, 10000] when given. */
    double px_per_mm;
    /** Optional region of interest: an image of the same size as the
     *  analysed (upright) image; pixels whose first channel is non-zero are
     *  analysed, the rest excluded from every statistic. Borrowed for the
     *  call only. NULL (default) = automatic skin mask. */
    const scar_image *roi;
    /** Hysteresis thresholds on the robust anomaly score (in robust
     *  standard deviations of healthy skin). Defaults documented in
     *  docs/segment.md. */
    double z_high, z_low;
    /** Regions smaller than this are dropped (mm^2). */
    double min_area_mm2;
    /** Sigma of the local healthy-skin model (mm). */
    double model_sigma_mm;
    /** Perilesional ring: skin pixels from ring_inner_mm to ring_outer_mm
     *  from the region's edge (defaults 1 and 3). */
    double ring_inner_mm, ring_outer_mm;
} scar_analyze_options;

/** Fill *opts with the documented defaults (including struct_size). */
SCAR_API void scar_analyze_options_init(scar_analyze_options *opts);

/** The result of one analysis: regions, their measurements, label map and
 *  skin mask. Opaque; read with the scar_result_* getters. */
typedef struct scar_result scar_result;

/** Pigment class of a region relative to its perilesional ring
 *  (rule in docs/metrics.md). Values fixed. */
typedef enum scar_pigment_class {
    SCAR_CLASS_ISO = 0,
    SCAR_CLASS_HYPO = 1,
    SCAR_CLASS_HYPER = 2,
    SCAR_CLASS_ERYTHEMA = 3
} scar_pigment_class;

/** Static name of a pigment class ("iso", "hypo", "hyper", "erythema"). */
SCAR_API const char *scar_pigment_class_name(scar_pigment_class c);

/** Measurements of one region. The caller sets struct_size =
 *  sizeof(scar_region) before calling scar_result_region(); fields added
 *  by later versions are appended, so older callers keep working. */
typedef struct scar_region {
    uint32_t struct_size;
    /** Region id: its value in the label map (1..n). */
    uint32_t id;
    /** Area in pixels and in mm^2 (with the result's px_per_mm). */
    double area_px, area_mm2;
    /** Bounding box in upright-image pixels, inclusive-exclusive. */
    uint32_t bbox_x0, bbox_y0, bbox_x1, bbox_y1;
    /** Centroid (pixel centres at integer coordinates). */
    double centroid_x, centroid_y;
    /** Mean CIELAB inside the region and in its perilesional ring. */
    double lab_inside[3], lab_ring[3];
    /** CIEDE2000 between lab_inside and lab_ring. */
    double delta_e00;
    /** Pixels in the perilesional ring (0: no ring, colour differences are
     *  then NaN). */
    double ring_area_px;
    /** Pigment class (scar_pigment_class). */
    uint32_t pigment_class;
} scar_region;

/** Analyse an image (8- or 16-bit RGB/RGBA, upright). `opts` may be NULL
 *  for defaults. The caller frees *out with scar_result_free(). Errors:
 *  SCAR_E_INVALID (bad image/options, ROI of the wrong size), SCAR_E_VERSION,
 *  SCAR_E_UNSUPPORTED (gray image), SCAR_E_NOMEM, SCAR_E_LIMIT.
 *  Thread safety: any number of concurrent calls on different (or the same,
 *  read-only) images; the result is bit-identical whatever the threads. */
SCAR_API int scar_analyze(const scar_image *img, const scar_analyze_options *opts,
                          scar_result **out);

/** Release a result. NULL is a no-op. */
SCAR_API void scar_result_free(scar_result *res);

/** Number of regions found (0 for NULL). */
SCAR_API uint32_t scar_result_region_count(const scar_result *res);

/** Copy the measurements of region `index` (0-based; its id is index+1)
 *  into *out, up to out->struct_size bytes. Errors: SCAR_E_INVALID (NULL,
 *  index out of range, struct_size 0). */
SCAR_API int scar_result_region(const scar_result *res, uint32_t index,
                                scar_region *out);

/** The label map: width*height int32 values, row-major with stride width,
 *  0 = no region, k = region id k. Borrowed; valid until scar_result_free.
 *  *width and *height (may be NULL) receive the size. */
SCAR_API const int32_t *scar_result_labels(const scar_result *res,
                                           uint32_t *width, uint32_t *height);

/** The analysed-skin mask: width*height bytes, 1 = skin that entered the
 *  statistics, 0 = excluded (background, glare, hair, shadow, outside ROI).
 *  Borrowed, as scar_result_labels(). */
SCAR_API const uint8_t *scar_result_skin_mask(const scar_result *res,
                                              uint32_t *width, uint32_t *height);

/** px per mm used for the result (given, or SCAR_DEFAULT_PX_PER_MM). */
SCAR_API double scar_result_px_per_mm(const scar_result *res);

/** Non-zero when px_per_mm was not given and the default was assumed. */
SCAR_API int scar_result_scale_assumed(const scar_result *res);

/** Serialise the result as JSON (schema documented in docs/json-schema.md,
 *  versioned by its "schema" field). *out_json is NUL-terminated, released
 *  with scar_free(); *out_size (may be NULL) receives its length. */
SCAR_API int scar_result_to_json(const scar_result *res, char **out_json,
                                 size_t *out_size);

/** Save the label map as a 16-bit gray PNG (0 = no region, k = id k),
 *  atomically as scar_image_save_png(). SCAR_E_LIMIT if more than 65535
 *  regions. */
SCAR_API int scar_result_save_labels_png(const scar_result *res,
                                         const char *path);

#ifdef __cplusplus
}
#endif

#endif /* SCARSCORE_H */
