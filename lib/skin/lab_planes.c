/* lab_planes.c — L*a*b* planes of the analysed image, filled again after a
 * step has used them as scratch: copied from a kept copy when the
 * analysis keeps one (a shrunk photo: the copy costs little next to the
 * input, docs/performance.md), otherwise converted from the image again.
 * Both give the same bits (the conversion is per pixel). */
#include <string.h>

#include "error.h"
#include "skin/skin.h"

int scar__lab_restore(const scar_image *img, const scar__lab_planes *kept,
                      scar__planef *const out[3], const char *ctx)
{
    uint32_t w = out[0]->width, h = out[0]->height;
    for (int c = 0; c < 3; c++)
        if (!out[c]->data || out[c]->width != w || out[c]->height != h ||
            out[c]->stride != w)
            return scar__fail(SCAR_E_INTERNAL, "%s: L*a*b* planes to fill "
                              "are missing or not packed", ctx);
    if (!kept)
        return scar_image_to_lab(img, NULL, 0, out[0]->data, out[1]->data,
                                 out[2]->data, w);
    const scar__planef *src[3] = {&kept->L, &kept->a, &kept->b};
    for (int c = 0; c < 3; c++) {
        if (src[c]->width != w || src[c]->height != h)
            return scar__fail(SCAR_E_INTERNAL, "%s: the kept L*a*b* planes "
                              "are %ux%u, not %ux%u", ctx, src[c]->width,
                              src[c]->height, w, h);
        for (uint32_t y = 0; y < h; y++)
            memcpy(scar__planef_row(out[c], y), scar__planef_row(src[c], y),
                   (size_t)w * sizeof(float));
    }
    return SCAR_OK;
}
