/* color_rows.h — internal: row kernels of lib/color that other modules
 * (lib/skin) call on planes. Never installed. */
#ifndef SCAR_COLOR_ROWS_H
#define SCAR_COLOR_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "scarscore.h"

/* n pixels of L*, a*, b* -> linear sRGB, each value bit-identical to
 * scar_lab_to_xyz followed by scar_xyz_to_linear_rgb in double and rounded
 * to float; a pixel with any non-finite component is taken as Lab (0, 0, 0)
 * (linear black). convert.c. */
void scar__lab_to_linear_rgb_row(const float *L, const float *a,
                                 const float *b, size_t n, float *r, float *g,
                                 float *bl);

/* Melanin / erythema indices and Tsumura densities (default absorbance
 * vectors) of any pixel of an image, without whole-image planes: the same
 * tables and float expressions as scar_image_to_mi_ei and
 * scar_image_to_chromophores (no mask, NULL options), so every value has
 * the same bits as those planes' (tests/test_color.c checks it).
 * index_rows.c. */
typedef struct scar__index_rows {
    const scar_image *img;
    const float *t_log;     /* MI = -t_log[R], EI = t_log[R] - t_log[G] */
    const float *t_od;      /* optical density of a code */
    float mel[3], hb[3];    /* rows of the chromophore solver, in float */
    const float *t_lin;     /* code -> linear sRGB (for L*a*b*) */
    float *t_lin_owned;     /* t_lin when allocated (16-bit images) */
    uint32_t channels;      /* 1-4; grey reads R = G = B */
    size_t pixel_bytes;
    int depth16;
} scar__index_rows;

/* SCAR_E_INVALID (bad image), SCAR_E_NOMEM; on failure *ir is empty (free
 * is still safe). img must outlive *ir. */
int scar__index_rows_init(const scar_image *img, const char *ctx,
                          scar__index_rows *ir);
void scar__index_rows_free(scar__index_rows *ir);

/* Values of the n pixels (x..x+n-1, y), inside the image; any output may
 * be NULL. */
void scar__index_rows_get(const scar__index_rows *ir, uint32_t x, uint32_t y,
                          size_t n, float *mi, float *ei, float *mel,
                          float *hb);

/* L*, a*, b* of the n pixels (x..x+n-1, y), inside the image, after
 * multiplying their linear sRGB by gain (> 0; exposure normalisation,
 * docs/metrics.md). With gain 1 these are the bits of scar_image_to_lab
 * (no mask): the same table and block kernel, whose result per pixel does
 * not depend on its place in the block. Any output may be NULL. */
void scar__index_rows_lab(const scar__index_rows *ir, float gain, uint32_t x,
                          uint32_t y, size_t n, float *L, float *a, float *b);

/* L*, a*, b* of the n pixels idx[i] = y * width + x (any order, inside the
 * image), the same bits as scar__index_rows_lab with the same gain:
 * scattered pixels share the 256-pixel blocks (short ring runs). Any output
 * may be NULL. */
void scar__index_rows_lab_at(const scar__index_rows *ir, float gain,
                             const uint32_t *idx, size_t n, float *L, float *a,
                             float *b);

/* Linear sRGB of row y, every pixel (the table of scar_image_to_lab). */
void scar__index_rows_linear_row(const scar__index_rows *ir, uint32_t y,
                                 float *r, float *g, float *b);

/* Relative luminance Y of pixel (x, y): the Y row of the sRGB matrix
 * applied to its linear sRGB, in float (0 black, 1 white). */
float scar__index_rows_luminance(const scar__index_rows *ir, uint32_t x,
                                 uint32_t y);

/* All four values of pixel (x, y): v = MI, EI, melanin, haemoglobin. */
static inline void scar__index_rows_pixel(const scar__index_rows *ir,
                                          uint32_t x, uint32_t y, float v[4])
{
    const uint8_t *p = (const uint8_t *)scar_image_row(ir->img, y) +
                       (size_t)x * ir->pixel_bytes;
    size_t cg = ir->channels >= 3 ? 1 : 0, cb = ir->channels >= 3 ? 2 : 0;
    uint32_t r, g, b;
    if (ir->depth16) {
        const uint16_t *q = (const uint16_t *)(const void *)p;
        r = q[0]; g = q[cg]; b = q[cb];
    } else {
        r = p[0]; g = p[cg]; b = p[cb];
    }
    float tr = ir->t_log[r];
    v[0] = -tr;
    v[1] = tr - ir->t_log[g];
    float odr = ir->t_od[r], odg = ir->t_od[g], odb = ir->t_od[b];
    v[2] = ir->mel[0] * odr + ir->mel[1] * odg + ir->mel[2] * odb;
    v[3] = ir->hb[0] * odr + ir->hb[1] * odg + ir->hb[2] * odb;
}

#endif
