/* quantize.c — float plane -> grey levels over a fixed, documented range,
 * so that GLCM levels mean the same L* step in every patch and every photo
 * (a per-patch min/max stretch would make textures incomparable). */
#include "texture/texture.h"

#include <math.h>

#include "error.h"

int scar__quantize_range(const scar__planef *in, const scar__mask *mask,
                         double lo, double hi, uint32_t levels,
                         scar__labels *out)
{
    static const char fn[] = "scar__quantize_range";
    int st = scar__tex_check_planef(in, fn, "input");
    if (st)
        return st;
    if ((st = scar__tex_check_mask(mask, in->width, in->height, fn, "mask")))
        return st;
    if (!out || !out->data || out->width != in->width ||
        out->height != in->height || out->stride < out->width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: output must be a %ux%u label plane with "
                          "stride >= width", fn, in->width, in->height);
    if (!(isfinite(lo) && isfinite(hi) && lo < hi))
        return scar__fail(SCAR_E_INVALID,
                          "%s: range [%g, %g] is not a finite lo < hi", fn,
                          lo, hi);
    if (levels < 2 || levels > SCAR__TEX_MAX_LEVELS)
        return scar__fail(SCAR_E_INVALID, "%s: levels %u not in 2..%d", fn,
                          levels, SCAR__TEX_MAX_LEVELS);

    const double span = hi - lo;
    for (uint32_t y = 0; y < in->height; y++) {
        const float *src = scar__planef_row(in, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        int32_t *dst = scar__labels_row(out, y);
        for (uint32_t x = 0; x < in->width; x++) {
            double v = src[x];
            if ((m && !m[x]) || !isfinite(v)) {
                dst[x] = SCAR__TEX_EXCLUDED;
                continue;
            }
            double t = floor((v - lo) / span * (double)levels);
            if (t < 0)
                t = 0;
            if (t > (double)(levels - 1))
                t = (double)(levels - 1);
            dst[x] = (int32_t)t;
        }
    }
    return SCAR_OK;
}

int scar__quantize_lstar(const scar__planef *L, const scar__mask *mask,
                         uint32_t levels, scar__labels *out)
{
    return scar__quantize_range(L, mask, SCAR__TEX_LSTAR_LO,
                                SCAR__TEX_LSTAR_HI, levels, out);
}
