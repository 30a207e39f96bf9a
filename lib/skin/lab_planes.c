/* lab_planes.c — L*a*b* planes of the analysed image, filled again after a
 * step has used them as scratch: converted from the image again, which
 * gives the same bits (the conversion is per pixel). A kept copy of the
 * planes (session 22) cost more than the conversion: its 12 bytes per
 * analysed pixel are fresh pages, and a page fault costs more than
 * converting the pixels it holds (docs/performance.md, session 25). */
#include "error.h"
#include "skin/skin.h"

int scar__lab_restore(const scar_image *img, scar__planef *const out[3],
                      const char *ctx)
{
    uint32_t w = out[0]->width, h = out[0]->height;
    for (int c = 0; c < 3; c++)
        if (!out[c]->data || out[c]->width != w || out[c]->height != h ||
            out[c]->stride != w)
            return scar__fail(SCAR_E_INTERNAL, "%s: L*a*b* planes to fill "
                              "are missing or not packed", ctx);
    return scar_image_to_lab(img, NULL, 0, out[0]->data, out[1]->data,
                             out[2]->data, w);
}
