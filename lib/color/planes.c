/* planes.c — whole-image functions: image (+ optional mask) -> float planes
 * of L*, a*, b*, ITA°, MI/EI. Rows are processed in blocks of
 * SCAR__COLOR_BLOCK pixels so every intermediate stays in L1 cache and no
 * heap memory is needed (except the per-call 16-bit table). */
#include <math.h>
#include <stdlib.h>

#include "color_internal.h"
#include "error.h"

/* Bytes from one pixel to the next in a row. */
static size_t pixel_bytes(const scar_image *img)
{
    return (size_t)scar_image_channels(img) * (scar_image_bit_depth(img) / 8);
}

/* Copy n block values into a plane row, NaN where the mask is zero. */
static void store(float *dst, const float *src, const uint8_t *m, size_t n)
{
    if (!dst)
        return;
    if (!m) {
        for (size_t i = 0; i < n; i++)
            dst[i] = src[i];
        return;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = m[i] ? src[i] : NAN;
}

/* The shared loop of scar_image_to_lab / _to_ita: fast-path Lab per block,
 * then either stored (L,a,b) or turned into ITA. */
static int lab_planes(const char *fn, const scar_image *img,
                      const uint8_t *mask, size_t mask_stride, float *L,
                      float *a, float *b, float *ita, size_t stride)
{
    int st = scar__color_check_image(fn, img, mask, mask_stride, stride);
    if (st)
        return st;
    scar__linear_lut lut;
    st = scar__linear_lut_init(fn, scar_image_bit_depth(img), &lut);
    if (st)
        return st;
    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    uint32_t ch = scar_image_channels(img), depth = scar_image_bit_depth(img);
    size_t pb = pixel_bytes(img);
    float r[SCAR__COLOR_BLOCK], g[SCAR__COLOR_BLOCK], bl[SCAR__COLOR_BLOCK];
    float lo[SCAR__COLOR_BLOCK], ao[SCAR__COLOR_BLOCK], bo[SCAR__COLOR_BLOCK];
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *row = scar_image_row(img, y);
        const uint8_t *mrow = mask ? mask + (size_t)y * mask_stride : NULL;
        size_t off = (size_t)y * stride;
        for (uint32_t x0 = 0; x0 < w; x0 += SCAR__COLOR_BLOCK) {
            size_t n = w - x0 < SCAR__COLOR_BLOCK ? w - x0 : SCAR__COLOR_BLOCK;
            const uint8_t *m = mrow ? mrow + x0 : NULL;
            scar__gather_linear(row + (size_t)x0 * pb, ch, depth, n, lut.lut,
                                r, g, bl);
            scar__lab_block(r, g, bl, lo, ao, bo);
            if (ita) {
                /* scar_ita() in float: NaN for L* = 50, b* = 0. */
                for (size_t i = 0; i < n; i++) {
                    float yy = lo[i] - 50.0f;
                    lo[i] = (yy == 0.0f && bo[i] == 0.0f)
                                ? NAN
                                : atan2f(yy, bo[i]) *
                                      (float)(180.0 / 3.14159265358979323846);
                }
                store(ita + off + x0, lo, m, n);
                continue;
            }
            store(L ? L + off + x0 : NULL, lo, m, n);
            store(a ? a + off + x0 : NULL, ao, m, n);
            store(b ? b + off + x0 : NULL, bo, m, n);
        }
    }
    scar__linear_lut_free(&lut);
    return SCAR_OK;
}

int scar_image_to_lab(const scar_image *img, const uint8_t *mask,
                      size_t mask_stride, float *L, float *a, float *b,
                      size_t stride)
{
    if (!L && !a && !b)
        return scar__fail(SCAR_E_INVALID,
                          "scar_image_to_lab: all output planes are NULL; "
                          "pass at least one of L, a, b");
    return lab_planes("scar_image_to_lab", img, mask, mask_stride, L, a, b,
                      NULL, stride);
}

int scar_image_to_ita(const scar_image *img, const uint8_t *mask,
                      size_t mask_stride, float *ita, size_t stride)
{
    if (!ita)
        return scar__fail(SCAR_E_INVALID,
                          "scar_image_to_ita: output plane is NULL");
    return lab_planes("scar_image_to_ita", img, mask, mask_stride, NULL, NULL,
                      NULL, ita, stride);
}

int scar_image_to_mi_ei(const scar_image *img, const uint8_t *mask,
                        size_t mask_stride, float *mi, float *ei,
                        size_t stride)
{
    static const char fn[] = "scar_image_to_mi_ei";
    if (!mi && !ei)
        return scar__fail(SCAR_E_INVALID,
                          "%s: both output planes are NULL; pass mi or ei", fn);
    int st = scar__color_check_image(fn, img, mask, mask_stride, stride);
    if (st)
        return st;
    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    uint32_t ch = scar_image_channels(img), depth = scar_image_bit_depth(img);
    size_t pb = pixel_bytes(img);
    /* MI = -t[R], EI = t[R] - t[G] */
    float *t = scar__log_reflectance_table(depth);
    if (!t)
        return scar__fail(SCAR_E_NOMEM, "%s: cannot allocate a %zu-entry table",
                          fn, (size_t)1 << depth);
    uint32_t cr[SCAR__COLOR_BLOCK], cg[SCAR__COLOR_BLOCK], cb[SCAR__COLOR_BLOCK];
    float mo[SCAR__COLOR_BLOCK], eo[SCAR__COLOR_BLOCK];
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *row = scar_image_row(img, y);
        const uint8_t *mrow = mask ? mask + (size_t)y * mask_stride : NULL;
        size_t off = (size_t)y * stride;
        for (uint32_t x0 = 0; x0 < w; x0 += SCAR__COLOR_BLOCK) {
            size_t n = w - x0 < SCAR__COLOR_BLOCK ? w - x0 : SCAR__COLOR_BLOCK;
            scar__gather_codes(row + (size_t)x0 * pb, ch, depth, n, cr, cg, cb);
            for (size_t i = 0; i < n; i++) {
                mo[i] = -t[cr[i]];
                eo[i] = t[cr[i]] - t[cg[i]];
            }
            const uint8_t *m = mrow ? mrow + x0 : NULL;
            store(mi ? mi + off + x0 : NULL, mo, m, n);
            store(ei ? ei + off + x0 : NULL, eo, m, n);
        }
    }
    free(t);
    return SCAR_OK;
}

float *scar__log_reflectance_table(uint32_t depth)
{
    size_t ncodes = (size_t)1 << depth;
    float *t = malloc(ncodes * sizeof *t);
    if (t)
        for (size_t i = 0; i < ncodes; i++)
            t[i] = (float)-scar_melanin_index(
                scar_srgb_to_linear((double)i / (double)(ncodes - 1)));
    return t;
}
