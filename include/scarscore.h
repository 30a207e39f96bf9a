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
/** The EXIF orientation tag (1-8) found in the file; 1 when the file had
 *  none or an invalid one. Loading applies it (unless
 *  scar_load_options.apply_orientation is 0), so the pixels are upright;
 *  the tag is reported either way. */
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
 *  to a temporary `path.tmp.XXXXXX` in the same directory, flushed to disk
 *  and renamed into place, so a reader never sees a partial file; on failure
 *  the temporary file is removed. A new file gets mode 0666 & ~umask; an
 *  existing one keeps its mode. Errors: SCAR_E_INVALID, SCAR_E_IO (naming
 *  the path and the system's reason), SCAR_E_NOMEM. */
SCAR_API int scar_image_save_png(const scar_image *img, const char *path);

/** Encode as PNG into a new buffer (same encoding as scar_image_save_png).
 *  On success *out_data (to be released with scar_free()) holds *out_size
 *  bytes. Errors: SCAR_E_INVALID (NULL arguments), SCAR_E_NOMEM. */
SCAR_API int scar_image_encode_png(const scar_image *img, void **out_data,
                                   size_t *out_size);

/** Release memory that scarscore handed to the caller as a raw buffer
 *  (scar_image_encode_png). NULL is a no-op. */
SCAR_API void scar_free(void *ptr);

/* ------------------------------------------------------------------ */
/* Colour (lib/color) — declarations are added by the colour module.  */
/* ------------------------------------------------------------------ */

/*
 * Colour science. Formulas, constants, sources and error bounds are in
 * docs/color.md. Every function here is pure (no state, no allocation except
 * where stated), so all are safe to call from any number of threads.
 *
 * Colour spaces: "sRGB" is the non-linear IEC 61966-2-1 encoding with values
 * in [0,1]; "linear" is the same primaries without the transfer function;
 * XYZ is CIE 1931 (2° observer) with Y of the sRGB white = 1; CIELAB is
 * CIE 15:2004 relative to the sRGB (D65) white. The sRGB->XYZ matrix is the
 * one printed in IEC 61966-2-1 and the Lab white point is its row sums
 * (0.9505, 1, 1.0890), so every neutral sRGB grey has a* = b* = 0 exactly.
 */

/** sRGB transfer function inverse (IEC 61966-2-1): v/12.92 for
 *  v <= 0.04045, else ((v+0.055)/1.055)^2.4. Defined for all reals by odd
 *  symmetry (f(-v) = -f(v)), so out-of-gamut values round-trip; NaN gives
 *  NaN. */
SCAR_API double scar_srgb_to_linear(double v);

/** sRGB transfer function (IEC 61966-2-1): 12.92*l for l <= 0.0031308,
 *  else 1.055*l^(1/2.4) - 0.055; odd-symmetric for negative l. Exact
 *  inverse of scar_srgb_to_linear() up to rounding. Not clipped. */
SCAR_API double scar_linear_to_srgb(double l);

/** Linear sRGB -> CIE XYZ (D65, Y of white = 1) with the IEC 61966-2-1
 *  matrix. `rgb` and `xyz` may be the same array. Not clipped. */
SCAR_API void scar_linear_rgb_to_xyz(const double rgb[3], double xyz[3]);

/** CIE XYZ -> linear sRGB (exact inverse of the IEC matrix, to 17 digits).
 *  `xyz` and `rgb` may alias. Out-of-gamut colours give components outside
 *  [0,1]; nothing is clipped. */
SCAR_API void scar_xyz_to_linear_rgb(const double xyz[3], double rgb[3]);

/** CIE XYZ -> CIELAB (CIE 15:2004) relative to the white
 *  (0.9505, 1, 1.0890): f(t) = cbrt(t) for t > (6/29)^3, else
 *  t/(3*(6/29)^2) + 4/29; L* = 116 f(Y) - 16, a* = 500 (f(X) - f(Y)),
 *  b* = 200 (f(Y) - f(Z)). Arrays may alias. */
SCAR_API void scar_xyz_to_lab(const double xyz[3], double lab[3]);

/** CIELAB -> CIE XYZ, the exact inverse of scar_xyz_to_lab(). Arrays may
 *  alias. */
SCAR_API void scar_lab_to_xyz(const double lab[3], double xyz[3]);

/** Non-linear sRGB in [0,1] -> CIELAB: scar_srgb_to_linear() per channel,
 *  scar_linear_rgb_to_xyz(), scar_xyz_to_lab(), all in double precision.
 *  This is the reference path the fast image functions are tested against.
 *  Values outside [0,1] are accepted and converted by the same formulas.
 *  Arrays may alias. */
SCAR_API void scar_srgb_to_lab(const double rgb[3], double lab[3]);

/** CIELAB -> non-linear sRGB, the inverse of scar_srgb_to_lab(). NOT
 *  clipped: colours outside the sRGB gamut give components below 0 or above
 *  1 (clip them yourself if you need displayable values). Arrays may
 *  alias. */
SCAR_API void scar_lab_to_srgb(const double lab[3], double rgb[3]);

/** CIE 1976 colour difference: the Euclidean distance in CIELAB. */
SCAR_API double scar_delta_e76(const double lab1[3], const double lab2[3]);

/** CIEDE2000 colour difference (CIE 142-2001) as written out by Sharma, Wu
 *  and Dalal (2005), with parametric factors kL, kC, kH (> 0; the reference
 *  conditions are 1, 1, 1). Symmetric in its arguments. On the hue
 *  discontinuity (hue angles exactly 180° apart, e.g. Sharma's pair 10) the
 *  "|Δh'| <= 180°" branch is taken; hue differences within 1e-9° of 180°
 *  count as exactly 180° so floating-point rounding of atan2 cannot flip the
 *  branch. Returns NaN if any input is NaN or a k factor is not > 0. */
SCAR_API double scar_delta_e00_k(const double lab1[3], const double lab2[3],
                                 double kL, double kC, double kH);

/** CIEDE2000 with kL = kC = kH = 1 (see scar_delta_e00_k()). */
SCAR_API double scar_delta_e00(const double lab1[3], const double lab2[3]);

/** Individual Typology Angle in degrees (Chardon et al. 1991):
 *  ITA = atan2(L* - 50, b*) * 180/pi, i.e. atan((L*-50)/b*) for b* > 0 and
 *  the angle in the correct quadrant for b* <= 0, in (-180, 180]:
 *  b* = 0 gives +90 (L* > 50) or -90 (L* < 50). L* = 50 with b* = 0 has no
 *  angle: NaN. NaN inputs give NaN. */
SCAR_API double scar_ita(double L, double b);

/** Skin-tone categories of Del Bino et al. (2006) by ITA°. Values are fixed
 *  forever. SCAR_ITA_UNDEFINED is returned for a NaN angle. */
typedef enum scar_ita_category {
    SCAR_ITA_UNDEFINED = 0,
    SCAR_ITA_VERY_LIGHT = 1,   /**< ITA > 55 */
    SCAR_ITA_LIGHT = 2,        /**< 41 < ITA <= 55 */
    SCAR_ITA_INTERMEDIATE = 3, /**< 28 < ITA <= 41 */
    SCAR_ITA_TAN = 4,          /**< 10 < ITA <= 28 */
    SCAR_ITA_BROWN = 5,        /**< -30 < ITA <= 10 */
    SCAR_ITA_DARK = 6          /**< ITA <= -30 */
} scar_ita_category;

/** The Del Bino category of an ITA angle in degrees. Each boundary value
 *  belongs to the DARKER category (intervals are open below, closed above):
 *  exactly 55 is light, 41 intermediate, 28 tan, 10 brown, -30 dark. NaN
 *  gives SCAR_ITA_UNDEFINED. */
SCAR_API scar_ita_category scar_ita_category_of(double ita);

/** Lower-case English name of a category ("very light", "light",
 *  "intermediate", "tan", "brown", "dark"; "undefined" for
 *  SCAR_ITA_UNDEFINED and any unknown value). Static string, never NULL. */
SCAR_API const char *scar_ita_category_name(scar_ita_category c);

/** Smallest linear reflectance used by the logarithmic quantities (melanin
 *  and erythema indices, optical density): smaller values, including 0, are
 *  raised to it so that black pixels give finite numbers (MI <= 400). */
#define SCAR_REFLECTANCE_FLOOR 1e-4

/** Melanin index from the LINEAR red reflectance r (scar_srgb_to_linear of
 *  the red channel): MI = 100 * log10(1 / max(r, SCAR_REFLECTANCE_FLOOR)),
 *  after the narrow-band reflectance meters (Diffey et al. 1984; Dawson et
 *  al. 1980). A camera value is relative, not instrument units: compare MI
 *  within one photo or a calibrated series. Higher = more melanin. */
SCAR_API double scar_melanin_index(double red_linear);

/** Erythema index from LINEAR red and green reflectances:
 *  EI = 100 * log10(max(r, floor) / max(g, floor)) with floor
 *  SCAR_REFLECTANCE_FLOOR (Diffey et al. 1984; Dawson et al. 1980).
 *  Relative units as for the melanin index. Higher = redder. */
SCAR_API double scar_erythema_index(double red_linear, double green_linear);

/** Options for the melanin/haemoglobin decomposition. Always initialise with
 *  scar_chromophore_options_init(). */
typedef struct scar_chromophore_options {
    /** sizeof(scar_chromophore_options) as compiled by the caller. */
    uint32_t struct_size;
    /** Non-zero: estimate both absorbance vectors from the image itself
     *  (scar_chromophore_estimate()) instead of using the two below, which
     *  then only decide which estimated vector is which. Default 0. */
    uint32_t estimate;
    /** Optical-density (natural log) absorbance vectors (R, G, B) of melanin
     *  and of haemoglobin; need not be normalised, must be linearly
     *  independent of each other and of (1,1,1). Defaults and their
     *  derivation: docs/color.md (SCAR_MELANIN_OD_DEFAULT and
     *  SCAR_HAEMOGLOBIN_OD_DEFAULT in the docs). */
    double melanin[3];
    double haemoglobin[3];
} scar_chromophore_options;

/** Fill *opts with the defaults: estimate = 0 and the documented default
 *  absorbance vectors (unit length). NULL is a no-op. */
SCAR_API void scar_chromophore_options_init(scar_chromophore_options *opts);

/** Melanin/haemoglobin decomposition of one colour (Tsumura et al. 1999,
 *  2003): optical density od = -ln(max(linear_rgb, SCAR_REFLECTANCE_FLOOR))
 *  is written as od = m*melanin + h*haemoglobin + s*(1,1,1), solved exactly
 *  for (m, h, s); the shading term s is discarded, so multiplying all three
 *  linear channels by one factor leaves m and h unchanged. `opts` NULL means
 *  defaults (`estimate` is ignored here). Outputs may be NULL.
 *  Errors: SCAR_E_INVALID (NULL rgb, bad struct_size, degenerate vectors),
 *  SCAR_E_VERSION. */
SCAR_API int scar_chromophores(const double linear_rgb[3],
                               const scar_chromophore_options *opts,
                               double *melanin, double *haemoglobin);

/** Per-image estimation of the two absorbance vectors, after Tsumura et al.
 *  (1999): the optical densities of the selected pixels (mask non-zero, or
 *  all; at most 65536 of them, taken on a regular grid) are projected onto
 *  the plane orthogonal to (1,1,1), whitened, and rotated to the two
 *  directions of maximal non-Gaussianity (sum of |excess kurtosis|, a
 *  deterministic search over angles) — independent component analysis in
 *  two dimensions. Each found direction is matched to the nearer of the
 *  vectors in `opts` (NULL = defaults) and signed to agree with it; the
 *  outputs keep that vector's (1,1,1) component and in-plane length so map
 *  units stay comparable. Image, mask: as scar_image_to_lab().
 *  Errors: SCAR_E_INVALID (bad arguments; fewer than 64 selected pixels; no
 *  spread in the skin-colour plane), SCAR_E_VERSION, SCAR_E_NOMEM. */
SCAR_API int scar_chromophore_estimate(const scar_image *img,
                                       const uint8_t *mask, size_t mask_stride,
                                       const scar_chromophore_options *opts,
                                       double melanin_out[3],
                                       double haemoglobin_out[3]);

/*
 * Whole-image functions. Shared contract:
 *  - `img`: 8- or 16-bit, 1-4 channels. 3/4 channels are R,G,B(,A) sRGB;
 *    1/2 channels are grey, used as R = G = B. Alpha is ignored (pass a mask
 *    to exclude transparent pixels).
 *  - `mask`: NULL selects every pixel; otherwise width x height bytes, rows
 *    `mask_stride` (>= width) bytes apart, non-zero = selected. Unselected
 *    pixels are set to NaN in every output plane.
 *  - Output planes: caller-allocated float arrays of at least
 *    (height-1)*stride + width elements, row y starting at plane + y*stride;
 *    `stride` is in FLOATS (>= width). Planes must not overlap each other or
 *    the image.
 *  - Errors: SCAR_E_INVALID for NULL image, unsupported depth/channels,
 *    strides too small, or no output plane; nothing is written then.
 *  - 8-bit images use the fast path (table linearisation, single-precision
 *    arithmetic): max ΔE76 0.01 vs scar_srgb_to_lab() over all 2^24 colours
 *    (tested). 16-bit images use a per-call 65536-entry table (256 KiB
 *    allocated and freed inside the call; SCAR_E_NOMEM possible) and the same
 *    arithmetic. Results do not depend on threads or CPU features.
 */

/** Image -> CIELAB planes. Any of L, a, b may be NULL (not computed), but
 *  not all three. */
SCAR_API int scar_image_to_lab(const scar_image *img, const uint8_t *mask,
                               size_t mask_stride, float *L, float *a,
                               float *b, size_t stride);

/** Image -> ITA° plane: scar_ita() of the fast-path L*, b*. Pixels with no
 *  angle (L* = 50, b* = 0) are NaN too. */
SCAR_API int scar_image_to_ita(const scar_image *img, const uint8_t *mask,
                               size_t mask_stride, float *ita, size_t stride);

/** Image -> melanin index and erythema index planes (scar_melanin_index(),
 *  scar_erythema_index() of the linearised red and green samples, computed
 *  in double and rounded to float). Either plane may be NULL, not both. */
SCAR_API int scar_image_to_mi_ei(const scar_image *img, const uint8_t *mask,
                                 size_t mask_stride, float *mi, float *ei,
                                 size_t stride);

/** Image -> melanin and haemoglobin concentration maps (scar_chromophores()
 *  per pixel, relative units). `opts` NULL = defaults; with
 *  opts->estimate the vectors come from scar_chromophore_estimate() on the
 *  same image and mask first (and its errors are returned). Either plane may
 *  be NULL, not both. */
SCAR_API int scar_image_to_chromophores(const scar_image *img,
                                        const uint8_t *mask,
                                        size_t mask_stride,
                                        const scar_chromophore_options *opts,
                                        float *melanin, float *haemoglobin,
                                        size_t stride);

/* ------------------------------------------------------------------ */
/* Texture (lib/texture)                                              */
/* ------------------------------------------------------------------ */
/*
 * Exact definitions, sources and the angle/offset table: docs/texture.md.
 * Shared contract: `mask` NULL selects every pixel, otherwise width x height
 * bytes, rows `mask_stride` (>= width) bytes apart, non-zero = selected.
 * Nothing is allocated for the caller; scratch memory lives inside the call,
 * so any number of calls may run concurrently. Patches above 2^26 pixels
 * give SCAR_E_LIMIT.
 */

/** Haralick (1973) texture properties of a grey-level co-occurrence matrix,
 *  averaged over distances and the four angles 0, 45, 90, 135 degrees. */
typedef struct scar_glcm_props {
    /** sum p(i,j) (i-j)^2 */
    double contrast;
    /** sum p(i,j) |i-j| */
    double dissimilarity;
    /** sum p(i,j) / (1 + (i-j)^2) */
    double homogeneity;
    /** sqrt(angular_second_moment) */
    double energy;
    /** sum p(i,j)^2 (skimage "ASM") */
    double angular_second_moment;
    /** sum p(i,j) (i-mu_i)(j-mu_j) / (sigma_i sigma_j); 1 when a standard
     *  deviation is below 1e-15 (skimage's convention). */
    double correlation;
    /** -sum p(i,j) log2 p(i,j), in bits (terms with p = 0 omitted). */
    double entropy;
    /** Ordered valid pixel pairs counted, summed over all distances and
     *  angles (before symmetrisation). */
    uint64_t pairs;
    /** (distance, angle) combinations with at least one valid pair: the
     *  number of matrices averaged. 0 means no pair at all; every property
     *  is NaN then. */
    uint32_t combinations;
} scar_glcm_props;

/** Masked GLCM texture of a quantized patch.
 *  `image`: width x height grey levels (bytes 0..levels-1), rows `stride`
 *  bytes apart. `levels`: 2..256. `distances`: n_distances (1..64) pixel
 *  distances, each 1..65535.
 *  For each distance and each angle the co-occurrence matrix counts the
 *  ordered pairs (p, p + offset) whose pixels are BOTH selected by the mask
 *  (offsets as skimage 0.19 graycomatrix; x = column, y = row downwards:
 *  0deg (d,0), 45deg (r,r), 90deg (0,d), 135deg (-r,r), r = round(d/sqrt 2));
 *  it is made symmetric and normalised, the properties are computed and
 *  averaged over the combinations that hold at least one pair. With no mask
 *  and a patch larger than every distance the result equals
 *  skimage.feature.graycoprops(graycomatrix(image, distances, angles,
 *  levels, symmetric=True, normed=True), prop).mean() (tested to 1e-9).
 *  Errors: SCAR_E_INVALID (NULL pointer, zero size, stride < width, levels
 *  or distances out of range, a selected pixel >= levels), SCAR_E_LIMIT,
 *  SCAR_E_NOMEM; *out is unspecified then. */
SCAR_API int scar_glcm_features(const uint8_t *image, size_t stride,
                                uint32_t width, uint32_t height,
                                const uint8_t *mask, size_t mask_stride,
                                uint32_t levels, const uint32_t *distances,
                                uint32_t n_distances,
                                scar_glcm_props *out);

/** Number of uniform LBP codes / histogram bins for P = 8 (codes 0..9). */
#define SCAR_LBP_BINS 10

/** Uniform local binary patterns, P = 8 neighbours at radius R = 1 (Ojala,
 *  Pietikainen & Maenpaa 2002, rotation invariant "riu2"), identical to
 *  skimage.feature.local_binary_pattern(image, 8, 1, 'uniform') (0.19):
 *  diagonal neighbours are bilinearly interpolated, neighbours outside the
 *  image read as 0, code = number of neighbours >= centre when the circular
 *  pattern has at most 2 transitions, else 9.
 *  `image`: width x height floats, rows `stride` FLOATS apart (any scale,
 *  e.g. L*). `codes` (may be NULL): width x height bytes, rows
 *  `codes_stride` bytes apart, receives the code of every pixel.
 *  `hist` (may be NULL): the normalised histogram (sum 1) of the codes of
 *  the selected pixels; all zero when no pixel is selected. At least one of
 *  codes, hist must be given. Pixels near the border get skimage's border
 *  codes; keep a 1-pixel margin outside the mask to avoid them.
 *  Errors: SCAR_E_INVALID, SCAR_E_LIMIT, SCAR_E_NOMEM. */
SCAR_API int scar_lbp_uniform(const float *image, size_t stride,
                              uint32_t width, uint32_t height,
                              const uint8_t *mask, size_t mask_stride,
                              uint8_t *codes, size_t codes_stride,
                              double hist[SCAR_LBP_BINS]);

/** Chi-square distance of two histograms of `bins` bins:
 *  1/2 * sum (h1 - h2)^2 / (h1 + h2), bins where h1 + h2 == 0 skipped.
 *  0 for identical histograms, 1 for normalised histograms with disjoint
 *  support. NaN when h1 or h2 is NULL. */
SCAR_API double scar_chi2_distance(const double *h1, const double *h2,
                                   uint32_t bins);

/* ------------------------------------------------------------------ */
/* Paired statistics (lib/compare)                                    */
/* ------------------------------------------------------------------ */

/** Cohort statistics of paired measurements (one value per subject before
 *  and after, e.g. a score at baseline and at follow-up). Every statistic's
 *  formula, which p-values are exact and when, and references:
 *  docs/compare.md. Differences are d_i = after_i - before_i, so a positive
 *  mean_diff means the value increased.
 *
 *  The caller sets struct_size = sizeof(scar_paired_stats) before the call;
 *  fields added by later versions are appended, so older callers keep
 *  working (only the first struct_size bytes are written). A statistic that
 *  cannot be computed from the data (too few pairs, no non-zero difference)
 *  is NaN; division of a non-zero value by a zero spread gives +-infinity
 *  (e.g. t and cohens_dz when every difference is the same non-zero
 *  value). */
typedef struct scar_paired_stats {
    /** sizeof(scar_paired_stats) as compiled by the caller. */
    uint32_t struct_size;
    /** Pairs used: both values not NaN. */
    uint32_t n;
    /** Pairs dropped because before or after (or the difference) was NaN. */
    uint32_t n_dropped;
    /** Pairs with d_i != 0 (m, used by the Wilcoxon and sign tests). */
    uint32_t n_nonzero;
    /** Pairs with d_i > 0 and with d_i < 0. */
    uint32_t n_positive, n_negative;
    /** Means of the used before and after values (NaN when n = 0, and always
     *  NaN from scar_paired_stats_from_differences()). */
    double mean_before, mean_after;
    /** Mean and median of d (NaN when n = 0). */
    double mean_diff, median_diff;
    /** Sample standard deviation of d (divisor n - 1) and standard error
     *  sd_diff / sqrt(n) (NaN when n < 2). */
    double sd_diff, se_diff;
    /** 95 % confidence interval of the mean difference,
     *  mean_diff -+ t_{0.975, n-1} se_diff (NaN when n < 2). */
    double ci95_low, ci95_high;
    /** Paired t-test: t = mean_diff / se_diff, df = n - 1 and the two-sided
     *  p-value from Student's t distribution (NaN when n < 2; t and p are
     *  NaN when every difference is 0). As scipy.stats.ttest_rel. */
    double t, df, p_t;
    /** Wilcoxon signed-rank test on the non-zero differences (zeros dropped,
     *  scipy's zero_method='wilcox'; mid-ranks for tied |d|): W+ and W- are
     *  the rank sums of the positive and negative differences
     *  (W+ + W- = m(m+1)/2; scipy's two-sided statistic is min(W+, W-)). */
    double wilcoxon_w_plus, wilcoxon_w_minus;
    /** Normal-approximation z = (W+ - m(m+1)/4) / sigma (tie-corrected
     *  sigma, no continuity correction); NaN when the exact test was used. */
    double wilcoxon_z;
    /** Two-sided Wilcoxon p-value (NaN when m = 0). */
    double p_wilcoxon;
    /** 1: p_wilcoxon is exact (m <= 50 and no two |d| equal: the exact null
     *  distribution of W+); 0: normal approximation (ties, or m > 50). */
    uint32_t wilcoxon_exact;
    /** Reserved, 0 (keeps the following doubles aligned). */
    uint32_t reserved0;
    /** Exact two-sided sign-test p-value: n_positive against
     *  Binomial(m, 1/2), as scipy.stats.binomtest(k, m, 0.5) (NaN when
     *  m = 0). */
    double p_sign;
    /** Cohen's d_z = mean_diff / sd_diff (NaN when n < 2). */
    double cohens_dz;
    /** Hedges' g_z = d_z * J(n - 1), with the exact small-sample factor
     *  J(v) = Gamma(v/2) / (sqrt(v/2) Gamma((v-1)/2)) (Hedges 1981); NaN
     *  when n < 3. */
    double hedges_gz;
    /** Matched-pairs rank-biserial correlation (W+ - W-) / (W+ + W-) in
     *  [-1, 1] (Kerby 2014); NaN when m = 0. */
    double rank_biserial;
} scar_paired_stats;

/** Compute every field of *out from n pairs (before[i], after[i]).
 *  A pair where either value is NaN is dropped (counted in n_dropped); the
 *  call still succeeds with fewer than two pairs left, and the statistics
 *  that need more are NaN (see each field). `before` and `after` may be
 *  NULL only when n = 0. The result depends only on the values, not on
 *  their order, except for rounding in the sums (the order is the one
 *  given, so results are reproducible).
 *  Errors: SCAR_E_INVALID (NULL out or arrays, out->struct_size 0, an
 *  infinite value — the message names its index), SCAR_E_LIMIT (n >
 *  UINT32_MAX), SCAR_E_NOMEM (scratch memory of 2 n doubles). On error
 *  *out is not written. Thread safety: no shared state; concurrent calls
 *  are safe. */
SCAR_API int scar_paired_stats_compute(const double *before, const double *after,
                                       size_t n, scar_paired_stats *out);

/** The same statistics from the differences d[0..n-1] directly (one-sample
 *  tests of "mean/median of d = 0"): NaN values are dropped, mean_before
 *  and mean_after are NaN, everything else is as
 *  scar_paired_stats_compute(). Errors as scar_paired_stats_compute(). */
SCAR_API int scar_paired_stats_from_differences(const double *d, size_t n,
                                                scar_paired_stats *out);

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
    /** Hysteresis thresholds on the robust anomaly score (in robust
     *  standard deviations of healthy skin). Defaults documented in
     *  docs/segment.md. */
    double z_high, z_low;
    /** Regions smaller than this are dropped (mm^2), except pits (a dark
     *  dip of an icepick scar's strength, docs/segment.md), which may be
     *  down to 0.4 of it. */
    double min_area_mm2;
    /** Sigma of the local healthy-skin model (mm). */
    double model_sigma_mm;
    /** Perilesional ring: skin pixels from ring_inner_mm to ring_outer_mm
     *  from the region's edge (defaults 1 and 3). */
    double ring_inner_mm, ring_outer_mm;
    /** Memory ceiling for one analysis, in bytes (default
     *  SCAR_DEFAULT_MAX_ANALYZE_MEMORY; 0 = no ceiling). scar_analyze
     *  estimates its peak working memory as SCAR_ANALYZE_BYTES_PER_PIXEL x
     *  the analysed pixels (width x height, or the shrunk photo's plus 12
     *  bytes per analysed and 6 per input pixel, see analysis_px_per_mm)
     *  before allocating
     *  anything and refuses with
     *  SCAR_E_LIMIT when the estimate exceeds the ceiling, instead of
     *  letting the system kill the process. Load large photos at 1/2 or 1/4
     *  scale (scar_load_options.scale_denom) to stay under it. */
    uint64_t max_memory_bytes;
    /** Analysis resolution in px per mm (default
     *  SCAR_DEFAULT_ANALYSIS_PX_PER_MM; 0 = always analyse at full
     *  resolution). When px_per_mm (given or assumed) is at least twice
     *  this, the photo is shrunk by block means by the largest integer
     *  f <= 16 with px_per_mm / f >= analysis_px_per_mm (and both sides of
     *  the shrunk image >= 32 px) and analysed there: about f^2 times less
     *  work and memory. The label map and skin mask are still returned at
     *  the input's size (each analysed pixel becomes an f x f block) and
     *  region geometry is measured on them; colour and texture are
     *  measured at the analysis resolution (docs/segment.md, "Analysis
     *  resolution"). scar_summary.analysis_shrink reports f. Not used with
     *  single_lesion, which works in fractions of the frame and always at
     *  full resolution. Must be 0 or finite and > 0. */
    double analysis_px_per_mm;
    /** Non-zero (default 1): measure each region's colour and its ring's
     *  as if the ring were lit like the photo's best-lit healthy skin
     *  (scar_region.exposure_gain; docs/metrics.md, "Exposure
     *  normalisation"), so that a lesion in the shade of an unevenly lit
     *  photo gets the colour difference it has in full light. 0: L*a*b*
     *  as photographed. */
    uint32_t exposure_normalize;
} scar_analyze_options;

/** Default analysis resolution: 5 px/mm, where the smallest lesion the
 *  analysis looks for (an icepick scar of 0.5 mm) still spans 2.5 px; on
 *  the accuracy benchmark it gives the best Dice and precision of 3-10
 *  px/mm and full resolution, with recall within 3 lesions of 448
 *  (docs/segment.md, "Analysis resolution"). */
#define SCAR_DEFAULT_ANALYSIS_PX_PER_MM 5.0

/** Default analysis memory ceiling: 8 GiB. */
#define SCAR_DEFAULT_MAX_ANALYZE_MEMORY (UINT64_C(8) << 30)
/** Upper bound of scar_analyze's working memory per pixel of the analysed
 *  image (measured peak at 12 MP at full resolution: 27 bytes/pixel, 29
 *  with single_lesion; bench/bench_analyze, docs/performance.md), used for
 *  the max_memory_bytes check. */
#define SCAR_ANALYZE_BYTES_PER_PIXEL 80u

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

    /* ---- appended in schema 0.2; definitions in docs/metrics.md ---- */
    /** Morphology hint (scar_morph_hint). */
    uint32_t morph_hint;
    /** Geometry (lib/morph region properties, skimage definitions):
     *  perimeter (4-connected weighted border length), equivalent diameter
     *  sqrt(4 A / pi), major and minor axis lengths of the moment ellipse,
     *  in px and in mm. */
    double perimeter_px, perimeter_mm;
    double equivalent_diameter_px, equivalent_diameter_mm;
    double major_axis_px, major_axis_mm, minor_axis_px, minor_axis_mm;
    /** major / minor axis (NaN when the minor axis is 0). */
    double elongation;
    /** Angle of the major axis in degrees, counter-clockwise from the image
     *  x axis (rows grow downwards), in (-90, 90]. */
    double orientation_deg;
    /** area / convex area; 4 pi area / perimeter^2 (NaN for perimeter 0). */
    double solidity, circularity;
    /** Median CIELAB inside and in the ring (per channel). */
    double lab_inside_median[3], lab_ring_median[3];
    /** ITA° of the mean colour (scar_ita(L*, b*)) inside and in the ring. */
    double ita_inside, ita_ring;
    /** Means of the per-pixel melanin and erythema indices
     *  (scar_melanin_index, scar_erythema_index) inside and in the ring. */
    double mi_inside, mi_ring, ei_inside, ei_ring;
    /** Means of the per-pixel Tsumura melanin and haemoglobin densities
     *  (scar_chromophores, default vectors) inside and in the ring. */
    double melanin_inside, melanin_ring, haemoglobin_inside, haemoglobin_ring;
    /** Differences inside - ring of the means above. */
    double delta_L, delta_a, delta_b, delta_ita, delta_mi, delta_ei;
    double delta_melanin, delta_haemoglobin;
    /** CIE 1976 colour difference of the two means. */
    double delta_e76;
    /** Repeatability of delta_e00: sample standard deviation of the
     *  CIEDE2000 between lab_inside and the mean of each quadrant sector of
     *  the ring around the centroid (NaN when fewer than 2 sectors hold
     *  pixels). */
    double delta_e00_sd;
    /** Texture of L* inside / in the ring: GLCM properties (levels and
     *  distances from docs/metrics.md), LBP chi-square distance between the
     *  inside and ring histograms, FFT spectral roughness. NaN when a side
     *  has too few pixels. */
    double glcm_contrast_inside, glcm_contrast_ring;
    double glcm_dissimilarity_inside, glcm_dissimilarity_ring;
    double glcm_homogeneity_inside, glcm_homogeneity_ring;
    double glcm_energy_inside, glcm_energy_ring;
    double glcm_asm_inside, glcm_asm_ring;
    double glcm_correlation_inside, glcm_correlation_ring;
    double glcm_entropy_inside, glcm_entropy_ring;
    double lbp_chi2;
    double roughness_inside, roughness_ring;
    /** Manchester Scar Scale colour-mismatch class 1-4 from delta_e76 (0
     *  when undefined). */
    uint32_t mss_color_class;
    /** Reserved, 0. */
    uint32_t reserved0;
    /* ---- appended in schema 0.5 ---- */
    /** Exposure gain of the region's colour (docs/metrics.md, "Exposure
     *  normalisation"): the factor its and its ring's linear sRGB were
     *  multiplied by before every L*a*b* value above, so that the ring is
     *  as bright as the photo's best-lit healthy skin
     *  (scar_summary.exposure_reference_Y / the ring's mean
     *  luminance). 1 when colours are as photographed
     *  (scar_analyze_options.exposure_normalize 0) or the ring is empty.
     *  MI, EI and densities are never scaled (their inside - ring
     *  differences do not depend on exposure); texture reads L* as
     *  photographed. */
    double exposure_gain;
} scar_region;

/** Morphology hint of a region (rule in docs/metrics.md): what the region
 *  most resembles from its size, shape, shading and colour. A hint, not a
 *  diagnosis. Values fixed. */
typedef enum scar_morph_hint {
    SCAR_HINT_NONE = 0,         /**< no ring: colour unknown */
    SCAR_HINT_ICEPICK = 1,
    SCAR_HINT_BOXCAR = 2,
    SCAR_HINT_ROLLING = 3,
    SCAR_HINT_HYPERTROPHIC = 4,
    SCAR_HINT_STRIAE = 5,
    SCAR_HINT_PATCH = 6
} scar_morph_hint;

/** Number of scar_morph_hint values (array sizes in scar_summary). */
#define SCAR_HINT_COUNT 7
/** Number of scar_pigment_class values. */
#define SCAR_CLASS_COUNT 4

/** Static name of a hint ("none", "icepick", "boxcar", "rolling",
 *  "hypertrophic", "striae", "patch"; "unknown" otherwise). */
SCAR_API const char *scar_morph_hint_name(scar_morph_hint h);

/** Image-level measurements. The caller sets struct_size =
 *  sizeof(scar_summary) before scar_result_summary(); later versions append
 *  fields. Every field is defined in docs/metrics.md. "Healthy skin" is
 *  the analysed-skin mask minus every region. */
typedef struct scar_summary {
    uint32_t struct_size;
    uint32_t width, height;
    uint32_t scale_assumed, single_lesion;
    uint32_t region_count;
    double px_per_mm;
    uint64_t skin_area_px;
    double skin_area_mm2;
    /** Median ITA° over healthy skin and its Del Bino category
     *  (scar_ita_category). */
    double skin_ita_deg;
    uint32_t skin_ita_category;
    uint32_t reserved0;
    /** Median and robust SD (1.4826 MAD) of MI and EI over healthy skin. */
    double skin_mi_median, skin_mi_robust_sd;
    double skin_ei_median, skin_ei_robust_sd;
    /** Regions per pigment class and per morphology hint (indexed by the
     *  enum values). */
    uint32_t count_by_class[SCAR_CLASS_COUNT];
    uint32_t count_by_hint[SCAR_HINT_COUNT];
    uint32_t reserved1;
    /** Area per class (mm^2) and as a fraction of skin_area. */
    double area_mm2_by_class[SCAR_CLASS_COUNT];
    double area_fraction_by_class[SCAR_CLASS_COUNT];
    /** Total region area (mm^2) and its fraction of skin_area. */
    double region_area_mm2, region_area_fraction;
    /** Area-weighted mean and maximum delta_e00 over regions with a ring
     *  (NaN when none). */
    double delta_e00_area_weighted, delta_e00_max;
    /** Area-weighted mean delta_e76 (input of mss_color_class). */
    double delta_e76_area_weighted;
    /** FFT spectral roughness of L* over the whole skin mask. */
    double skin_roughness;
    /** Goodman & Baron (2006) quantitative-like score from counts per
     *  hint. */
    double goodman_baron_score;
    /** mMASI-like score for hyperpigmented patches: area score (0-6) x
     *  darkness score (0-4), 0-24. */
    double mmasi_like;
    uint32_t mmasi_area_score, mmasi_darkness_score;
    /** Manchester Scar Scale colour class 1-4 of delta_e76_area_weighted
     *  (0 when undefined). */
    uint32_t mss_color_class;
    uint32_t reserved2;

    /* ---- appended in schema 0.3 ---- */
    /** Resolution the photo was analysed at (px_per_mm / analysis_shrink)
     *  and the block-mean shrink factor f applied before analysis (1: full
     *  resolution); scar_analyze_options.analysis_px_per_mm. */
    double analysis_px_per_mm;
    uint32_t analysis_shrink;
    /* ---- appended in schema 0.4 ---- */
    /** 1 when the regions were the caller's (scar_measure), 0 when
     *  scar_analyze found them. */
    uint32_t regions_given;
    /* ---- appended in schema 0.5 ---- */
    /** Relative luminance Y (linear, 0-1) of the photo's best-lit healthy
     *  skin, the reference of the regions' exposure_gain: the 95th
     *  percentile of the mean Y of healthy skin in 5 mm blocks of the
     *  skin's own chromaticity (docs/metrics.md). NaN when colours are as
     *  photographed or there is no healthy skin. */
    double exposure_reference_Y;
    /* ---- appended in schema 0.6 ---- */
    /** Detection limits of this photo: the smallest contrast against the
     *  healthy skin, in L*, a* or b* units, that a uniform round patch of
     *  1, 10 and 100 mm^2 (index 0, 1, 2) differing in that channel alone
     *  must have for the region test to keep it (docs/segment.md,
     *  "Detection limits"). They grow with the skin's own mottling and
     *  noise: a uniform patch fainter than its limit is not found, and a study
     *  comparing photos (before and after a treatment) should compare
     *  their limits too. NaN in single-lesion mode, for scar_measure, and
     *  where the skin is too small for the test's boxes. */
    double detection_limit_dL[3], detection_limit_da[3],
        detection_limit_db[3];
} scar_summary;

/** Copy the image-level measurements into *out, up to out->struct_size
 *  bytes. Errors: SCAR_E_INVALID (NULL, struct_size 0). */
SCAR_API int scar_result_summary(const scar_result *res, scar_summary *out);

/** Analyse an image (8- or 16-bit RGB/RGBA, upright).
 *  `roi` is NULL (automatic skin mask) or a region of interest: an image of
 *  the same size as `img` (any channels/depth); pixels whose first channel
 *  is non-zero are analysed, the rest are excluded from every statistic.
 *  Borrowed for the call only. `opts` may be NULL for defaults. The caller
 *  frees *out with scar_result_free(). Errors: SCAR_E_INVALID (bad
 *  image/options, ROI of the wrong size), SCAR_E_VERSION,
 *  SCAR_E_UNSUPPORTED (gray image), SCAR_E_NOMEM, SCAR_E_LIMIT.
 *  Thread safety: any number of concurrent calls on different (or the same,
 *  read-only) images; the result is bit-identical whatever the threads. */
SCAR_API int scar_analyze(const scar_image *img, const scar_image *roi,
                          const scar_analyze_options *opts, scar_result **out);

/** Load and analyse a photo file in one call: the result is that of
 *  scar_image_load(path, load) followed by scar_analyze(), bit for bit,
 *  and every error of either can occur (messages name the file). Faster
 *  and lighter for a JPEG that the analysis shrinks (px_per_mm above the
 *  analysis resolution: a 12 MP photo at 15 px/mm is analysed at 5): it
 *  is decoded and shrunk in one pass and never held at full size, and its
 *  rows are decoded again, from the top, only as far as the light's side
 *  needs (docs/performance.md, session 25). A PNG, a JPEG stored rotated
 *  (EXIF orientation other than 1, when applied) and a photo analysed at
 *  full resolution are loaded whole. `load` and `opts` may be NULL for
 *  defaults; `roi` is as in scar_analyze (of the upright photo's size).
 *  The caller frees *out with scar_result_free(). Callers that also need
 *  the pixels (to draw an overlay) load the image and call scar_analyze.
 *  Thread safety: as scar_analyze. */
SCAR_API int scar_analyze_file(const char *path, const scar_load_options *load,
                               const scar_image *roi,
                               const scar_analyze_options *opts,
                               scar_result **out);

/** As scar_analyze_file(), from `size` bytes of an encoded file in memory
 *  (borrowed for the call only). */
SCAR_API int scar_analyze_memory(const void *data, size_t size,
                                 const scar_load_options *load,
                                 const scar_image *roi,
                                 const scar_analyze_options *opts,
                                 scar_result **out);

/** Measure the caller's regions instead of finding them: an expert's
 *  outlines, or the outlines of an earlier analysis edited by hand.
 *  `regions` is a gray label image of img's size (8- or 16-bit; with
 *  alpha, the alpha is ignored): 0 = no region, each other value one
 *  region (not necessarily connected). The regions are numbered 1..n by increasing value; the
 *  result's label map shows the numbering. Everything else is as
 *  scar_analyze: the skin mask (automatic, or `roi`) decides which pixels
 *  enter the statistics, so a region's glare, hair and shadow pixels are
 *  left out of its colour and texture (its area and geometry are the
 *  outline's); perilesional rings, every per-region measurement and the
 *  image summary, with summary.regions_given = 1. The photo is measured
 *  at full resolution: opts->analysis_px_per_mm, single_lesion and the
 *  segmentation options are not used. Errors: as scar_analyze, plus
 *  SCAR_E_INVALID when `regions` is NULL, not img's size, or in colour
 *  (3 or 4 channels: colour-coded masks must be turned into labels).
 *  Thread safety: as scar_analyze. */
SCAR_API int scar_measure(const scar_image *img, const scar_image *roi,
                          const scar_image *regions,
                          const scar_analyze_options *opts, scar_result **out);

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
 *  *width and *height (may be NULL) receive the size. When the photo was
 *  analysed shrunk (analysis_px_per_mm) without a ROI, the map (and the
 *  skin mask) is made at the first call of this function,
 *  scar_result_skin_mask() or scar_result_save_labels_png(): 5 bytes per
 *  pixel that a caller reading only the measurements never allocates.
 *  Returns NULL, with scar_last_error() set, if that allocation fails.
 *  Like every call on one result, not to be made from two threads at
 *  once. */
SCAR_API const int32_t *scar_result_labels(const scar_result *res,
                                           uint32_t *width, uint32_t *height);

/** Row y (0 <= y < height) of the label map into out (width int32
 *  values, the same as row y of scar_result_labels()), without making the
 *  whole map: a caller that reads the map one row at a time (drawing an
 *  overlay, writing a file) saves its 4 bytes per pixel when the photo
 *  was analysed shrunk. SCAR_E_INVALID for a NULL argument or y out of
 *  range. Like every call on one result, not to be made from two threads
 *  at once. */
SCAR_API int scar_result_label_row(const scar_result *res, uint32_t y,
                                   int32_t *out);

/** The analysed-skin mask: width*height bytes, 1 = skin that entered the
 *  statistics, 0 = excluded (background, glare, hair, shadow, outside ROI).
 *  Borrowed and made on first use, as scar_result_labels(). */
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

/** The two tidy CSV tables: one row per image, one row per region. */
typedef enum scar_csv_table {
    SCAR_CSV_IMAGES = 0,
    SCAR_CSV_REGIONS = 1
} scar_csv_table;

/** The header line of a CSV table: comma-separated column names ending in
 *  "\n" (static string; NULL for an unknown table). The column set and
 *  order are stable within a schema version; every column is defined in
 *  docs/metrics.md. Callers that add their own key columns (a batch adds
 *  path, subject, visit) put them first. */
SCAR_API const char *scar_csv_header(scar_csv_table table);

/** The rows of `res` for `table`, without the header: exactly one line for
 *  SCAR_CSV_IMAGES, one line per region for SCAR_CSV_REGIONS (none when
 *  there are no regions), fields in header order, each line ending in
 *  "\n", RFC 4180 quoting, '.' decimal separator whatever the locale,
 *  empty field for NaN. *out_csv is NUL-terminated, released with
 *  scar_free(); *out_size (may be NULL) receives its length. Errors:
 *  SCAR_E_INVALID, SCAR_E_NOMEM. */
SCAR_API int scar_result_to_csv(const scar_result *res, scar_csv_table table,
                                char **out_csv, size_t *out_size);

/** Save the label map as a 16-bit gray PNG (0 = no region, k = id k),
 *  atomically as scar_image_save_png(). SCAR_E_LIMIT if more than 65535
 *  regions. */
SCAR_API int scar_result_save_labels_png(const scar_result *res,
                                         const char *path);

#ifdef __cplusplus
}
#endif

#endif /* SCARSCORE_H */
