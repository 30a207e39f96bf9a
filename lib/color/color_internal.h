/* color_internal.h — internal: constants and row kernels shared by the
 * files of lib/color/. Never installed. Sources for every constant are in
 * docs/color.md. */
#ifndef SCAR_COLOR_INTERNAL_H
#define SCAR_COLOR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "scarscore.h"

/* IEC 61966-2-1:1999 linear sRGB -> XYZ matrix (D65), as printed in the
 * standard (4 decimals). */
#define SCAR__M00 0.4124
#define SCAR__M01 0.3576
#define SCAR__M02 0.1805
#define SCAR__M10 0.2126
#define SCAR__M11 0.7152
#define SCAR__M12 0.0722
#define SCAR__M20 0.0193
#define SCAR__M21 0.1192
#define SCAR__M22 0.9505

/* Lab white = XYZ of sRGB white = the matrix row sums, so that neutral greys
 * get a* = b* = 0 exactly (CIE 15 gives D65 as 0.95047, 1, 1.08883; the
 * difference is < 0.025 dE76, see docs/color.md). */
#define SCAR__WX (SCAR__M00 + SCAR__M01 + SCAR__M02)
#define SCAR__WY (SCAR__M10 + SCAR__M11 + SCAR__M12)
#define SCAR__WZ (SCAR__M20 + SCAR__M21 + SCAR__M22)

/* CIE 15:2004 exact rational constants: t > (6/29)^3 uses the cube root,
 * below it the line t / (3 (6/29)^2) + 4/29. */
#define SCAR__LAB_DELTA (6.0 / 29.0)
#define SCAR__LAB_EPS (SCAR__LAB_DELTA * SCAR__LAB_DELTA * SCAR__LAB_DELTA)
#define SCAR__LAB_SLOPE (1.0 / (3.0 * SCAR__LAB_DELTA * SCAR__LAB_DELTA))
#define SCAR__LAB_OFFSET (4.0 / 29.0)

/* srgb_lut8.c (generated): IEC 61966-2-1 linearisation of v/255. */
extern const float scar__srgb8_to_linear[256];

/* Pixels per block of the row kernels (fixed so loops have a constant trip
 * count the compiler vectorises without an epilogue). */
#define SCAR__COLOR_BLOCK 256

/* A source of linear samples for one image: `lut` maps a code value of the
 * image's bit depth to linear reflectance (the static 8-bit table or a
 * per-call 16-bit table). */
typedef struct scar__linear_lut {
    const float *lut;   /* 256 or 65536 entries */
    float *owned;       /* non-NULL when allocated by scar__linear_lut_init */
} scar__linear_lut;

/* Check the common arguments of the whole-image functions (image depth and
 * channels, mask stride, plane stride) and fail with a message prefixed by
 * `fn`. */
int scar__color_check_image(const char *fn, const scar_image *img,
                            const uint8_t *mask, size_t mask_stride,
                            size_t stride);

/* Build the code -> linear table for img's bit depth (static for 8-bit, a
 * heap table for 16-bit). Release with scar__linear_lut_free. */
int scar__linear_lut_init(const char *fn, uint32_t bit_depth,
                          scar__linear_lut *out);
void scar__linear_lut_free(scar__linear_lut *l);

/* Gather up to SCAR__COLOR_BLOCK pixels starting at `px` (n pixels, image
 * channels 1-4, bit depth 8/16) into linear R, G, B blocks; entries past n
 * are set to 0 so the fixed-length kernels read defined values. */
void scar__gather_linear(const void *px, uint32_t channels, uint32_t depth,
                         size_t n, const float *lut, float *r, float *g,
                         float *b);

/* Gather code values (not linearised) of one row block as uint32 indices
 * for per-call tables (MI/EI, optical density). Entries past n are 0. */
void scar__gather_codes(const void *px, uint32_t channels, uint32_t depth,
                        size_t n, uint32_t *r, uint32_t *g, uint32_t *b);

/* Fast path: one block of linear R, G, B (SCAR__COLOR_BLOCK each) ->
 * L*, a*, b* in single precision (max error 0.01 dE76, docs/color.md). */
void scar__lab_block(const float *r, const float *g, const float *b,
                     float *L, float *A, float *B);

/* Per-code tables (1 << depth entries, malloc'd, NULL when out of
 * memory) shared by the plane functions and the row provider of
 * color_rows.h, so both give the same bits:
 * log-reflectance t[c] = (float)(100 log10 max(linear(c), floor)), i.e.
 * MI = -t[R], EI = t[R] - t[G] (planes.c); optical density
 * (float)(-ln max(linear(c), floor)) (chromophore.c). */
float *scar__log_reflectance_table(uint32_t depth);
float *scar__od_table(uint32_t depth);

/* Solve od = m*mel + h*hb + s*(1,1,1): fills the first two rows of the
 * inverse of [mel hb 1] (coefficients giving m and h from od). Returns
 * SCAR_E_INVALID (with message prefixed by fn) when the vectors are
 * degenerate. */
int scar__chromophore_solver(const char *fn, const double mel[3],
                             const double hb[3], double inv[2][3]);

#endif
