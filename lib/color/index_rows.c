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
    ir->t_lin = ir->t_lin_owned = NULL;
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
    scar__linear_lut lin;
    st = scar__linear_lut_init(ctx, depth, &lin);
    if (st) {
        free(tl);
        free(to);
        return st;
    }
    ir->t_lin = lin.lut;
    ir->t_lin_owned = lin.owned;
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
    free(ir->t_lin_owned);
    ir->t_log = ir->t_od = NULL;
    ir->t_lin = ir->t_lin_owned = NULL;
}

/* Linear sRGB of the pixel at p. */
static inline void linear_of(const scar__index_rows *ir, const uint8_t *p,
                             float *r, float *g, float *b)
{
    size_t cg = ir->channels >= 3 ? 1 : 0, cb = ir->channels >= 3 ? 2 : 0;
    if (ir->depth16) {
        const uint16_t *q = (const uint16_t *)(const void *)p;
        *r = ir->t_lin[q[0]]; *g = ir->t_lin[q[cg]]; *b = ir->t_lin[q[cb]];
    } else {
        *r = ir->t_lin[p[0]]; *g = ir->t_lin[p[cg]]; *b = ir->t_lin[p[cb]];
    }
}

/* Linear sRGB of pixel k = y * width + x. */
static inline void linear_at(const scar__index_rows *ir, uint32_t W,
                             uint32_t k, float *r, float *g, float *b)
{
    linear_of(ir, (const uint8_t *)scar_image_row(ir->img, k / W) +
                      (size_t)(k % W) * ir->pixel_bytes, r, g, b);
}

/* Multiply the first m linear values of each channel by gain (exact
 * when gain is 1, so the default path keeps scar_image_to_lab's bits). */
static void apply_gain(float gain, size_t m, float *r, float *g, float *bl)
{
    if (gain == 1.0f)
        return;
    for (size_t i = 0; i < m; i++) {
        r[i] *= gain;
        g[i] *= gain;
        bl[i] *= gain;
    }
}

void scar__index_rows_lab(const scar__index_rows *ir, float gain, uint32_t x,
                          uint32_t y, size_t n, float *L, float *a, float *b)
{
    const uint8_t *row = (const uint8_t *)scar_image_row(ir->img, y);
    uint32_t depth = ir->depth16 ? 16 : 8;
    float r[SCAR__COLOR_BLOCK], g[SCAR__COLOR_BLOCK], bl[SCAR__COLOR_BLOCK];
    float lo[SCAR__COLOR_BLOCK], ao[SCAR__COLOR_BLOCK], bo[SCAR__COLOR_BLOCK];
    for (size_t i0 = 0; i0 < n; i0 += SCAR__COLOR_BLOCK) {
        size_t m = n - i0 < SCAR__COLOR_BLOCK ? n - i0 : SCAR__COLOR_BLOCK;
        scar__gather_linear(row + (x + i0) * ir->pixel_bytes, ir->channels,
                            depth, m, ir->t_lin, r, g, bl);
        apply_gain(gain, m, r, g, bl);
        scar__lab_block(r, g, bl, lo, ao, bo);
        for (size_t i = 0; i < m; i++) {
            if (L) L[i0 + i] = lo[i];
            if (a) a[i0 + i] = ao[i];
            if (b) b[i0 + i] = bo[i];
        }
    }
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

void scar__index_rows_lab_at(const scar__index_rows *ir, float gain,
                             const uint32_t *idx, size_t n, float *L, float *a,
                             float *b)
{
    uint32_t W = scar_image_width(ir->img);
    float r[SCAR__COLOR_BLOCK], g[SCAR__COLOR_BLOCK], bl[SCAR__COLOR_BLOCK];
    float lo[SCAR__COLOR_BLOCK], ao[SCAR__COLOR_BLOCK], bo[SCAR__COLOR_BLOCK];
    for (size_t i0 = 0; i0 < n; i0 += SCAR__COLOR_BLOCK) {
        size_t m = n - i0 < SCAR__COLOR_BLOCK ? n - i0 : SCAR__COLOR_BLOCK;
        for (size_t i = 0; i < SCAR__COLOR_BLOCK; i++) {
            if (i >= m) { /* defined lanes, as scar__gather_linear */
                r[i] = g[i] = bl[i] = 0.0f;
                continue;
            }
            linear_at(ir, W, idx[i0 + i], &r[i], &g[i], &bl[i]);
        }
        apply_gain(gain, m, r, g, bl);
        scar__lab_block(r, g, bl, lo, ao, bo);
        for (size_t i = 0; i < m; i++) {
            if (L) L[i0 + i] = lo[i];
            if (a) a[i0 + i] = ao[i];
            if (b) b[i0 + i] = bo[i];
        }
    }
}

void scar__index_rows_linear_row(const scar__index_rows *ir, uint32_t y,
                                 float *r, float *g, float *b)
{
    uint32_t W = scar_image_width(ir->img);
    const uint8_t *row = (const uint8_t *)scar_image_row(ir->img, y);
    for (uint32_t x = 0; x < W; x++)
        linear_of(ir, row + (size_t)x * ir->pixel_bytes, &r[x], &g[x], &b[x]);
}

float scar__index_rows_luminance(const scar__index_rows *ir, uint32_t x,
                                 uint32_t y)
{
    uint32_t W = scar_image_width(ir->img);
    float r, g, b;
    linear_at(ir, W, y * W + x, &r, &g, &b);
    return (float)SCAR__M10 * r + (float)SCAR__M11 * g + (float)SCAR__M12 * b;
}
