/* color_rows.h — internal: row kernels of lib/color that other modules
 * (lib/skin) call on planes. Never installed. */
#ifndef SCAR_COLOR_ROWS_H
#define SCAR_COLOR_ROWS_H

#include <stddef.h>

/* n pixels of L*, a*, b* -> linear sRGB, each value bit-identical to
 * scar_lab_to_xyz followed by scar_xyz_to_linear_rgb in double and rounded
 * to float; a pixel with any non-finite component is taken as Lab (0, 0, 0)
 * (linear black). convert.c. */
void scar__lab_to_linear_rgb_row(const float *L, const float *a,
                                 const float *b, size_t n, float *r, float *g,
                                 float *bl);

#endif
