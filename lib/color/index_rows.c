/* index_rows.c — MI, EI and Tsumura densities of single pixels or row
 * spans of an image, for callers that must not hold whole-image planes
 * (lib/score; docs/performance.md). Same tables (color_internal.h) and
 * float expressions as planes.c and chromophore.c: bit-identical values. */
#include <stdlib.h>

#include "color_internal.h"
#include "color_rows.h"
#include "error.h"

int scar__index_rows_init(const scar_image *img, const char *ctx,
                          scar__index_rows *ir)
{
    ir->t_log = ir->t_od = NULL;
    if (!img)
        return scar__fail(SCAR_E_INVALID, "%s: image is NULL", ctx);
    uint32_t ch = scar_image_channels(img), depth = scar_image_bit_depth(img);
    if (ch < 1 || ch > 4 || (depth != 8 && depth != 16))
        return scar__fail(SCAR_E_INVALID, "%s: unsupported image (%u "
                          "channels, %u bits)", ctx, ch, depth);
    scar_chromophore_options o;
    scar_chromophore_options_init(&o);
    double inv[2][3];
    int st = scar__chromophore_solver(ctx, o.melanin, o.haemoglobin, inv);
    if (st)
        return st;
    float *tl = scar__log_reflectance_table(depth);
    float *to = scar__od_table(depth);
    if (!tl || !to) {
        free(tl);
        free(to);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (colour index "
                          "tables)", ctx);
    }
    ir->img = img;
    ir->t_log = tl;
    ir->t_od = to;
    for (int c = 0; c < 3; c++) {
        ir->mel[c] = (float)inv[0][c];
        ir->hb[c] = (float)inv[1][c];
    }
    ir->channels = ch;
    ir->pixel_bytes = (size_t)ch * (depth / 8);
    ir->depth16 = depth == 16;
    return SCAR_OK;
}

void scar__index_rows_free(scar__index_rows *ir)
{
    free((void *)ir->t_log);
    free((void *)ir->t_od);
    ir->t_log = ir->t_od = NULL;
}

void scar__index_rows_get(const scar__index_rows *ir, uint32_t x, uint32_t y,
                          size_t n, float *mi, float *ei, float *mel,
                          float *hb)
{
    for (size_t i = 0; i < n; i++) {
        float v[4];
        scar__index_rows_pixel(ir, x + (uint32_t)i, y, v);
        if (mi) mi[i] = v[0];
        if (ei) ei[i] = v[1];
        if (mel) mel[i] = v[2];
        if (hb) hb[i] = v[3];
    }
}
