/* lowres.c — masked Gaussian at reduced resolution; see lowres.h. */
#include "segment/lowres.h"

#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "filter/filter.h"
#include "scarscore.h"

int scar__smooth_masked_lowres(const scar__planef *in, const scar__mask *mask,
                               double sigma_px, scar__planef *out,
                               const char *ctx)
{
    if (!in || !mask || !out || !in->data || !mask->data || !out->data ||
        !(sigma_px > 0.0) || !isfinite(sigma_px))
        return scar__fail(SCAR_E_INVALID, "%s: bad arguments to the local skin "
                          "model", ctx);
    uint32_t w = in->width, h = in->height;
    /* Global mean of the valid pixels: the fill value far from any skin. */
    double sum = 0.0;
    uint64_t n = 0;
    for (uint32_t y = 0; y < h; y++) {
        const float *r = scar__planef_row(in, y);
        const uint8_t *m = scar__mask_row(mask, y);
        for (uint32_t x = 0; x < w; x++)
            if (m[x]) {
                sum += r[x];
                n++;
            }
    }
    if (n == 0)
        return scar__fail(SCAR_E_INVALID, "%s: no skin pixel to model", ctx);
    float fill = (float)(sum / (double)n);

    uint32_t f = sigma_px >= 6.0 ? (uint32_t)floor(sigma_px / 3.0) : 1;
    uint32_t sw = scar__downsampled_size(w, f), sh = scar__downsampled_size(h, f);
    scar__planef small = {0}, valid = {0}, smooth = {0};
    scar__mask smask = {0};
    int st = scar__planef_alloc(sw, sh, ctx, &small);
    if (!st)
        st = scar__planef_alloc(sw, sh, ctx, &valid);
    if (!st)
        st = scar__planef_alloc(sw, sh, ctx, &smooth);
    if (!st)
        st = scar__mask_alloc(sw, sh, ctx, &smask);
    if (!st)
        st = scar__downsample_area_masked(in, mask, f, &small, &valid, fill, ctx);
    if (!st) {
        for (uint32_t y = 0; y < sh; y++) {
            const float *v = scar__planef_row(&valid, y);
            uint8_t *m = scar__mask_row(&smask, y);
            for (uint32_t x = 0; x < sw; x++)
                m[x] = v[x] >= 0.25f;
        }
        st = scar__gaussian_masked(&small, &smask, &smooth, sigma_px / f, fill,
                                   ctx);
    }
    if (!st) {
        if (f == 1) {
            for (uint32_t y = 0; y < h; y++) {
                const float *s = scar__planef_row(&smooth, y);
                float *o = scar__planef_row(out, y);
                for (uint32_t x = 0; x < w; x++)
                    o[x] = s[x];
            }
        } else {
            st = scar__upsample_bilinear(&smooth, out, ctx);
        }
    }
    scar__plane_free(small.data);
    scar__plane_free(valid.data);
    scar__plane_free(smooth.data);
    scar__plane_free(smask.data);
    return st;
}
