/* orient.c — apply an EXIF orientation (TIFF/EXIF 2.3 tag 0x0112) so the
 * pixels come out upright. Orientations 5-8 swap width and height. */
#include <string.h>

#include "../error.h"
#include "image_internal.h"

/* For output pixel (x, y) of the upright image, the stored pixel is
 * (sx, sy) = (x0 + dxx*x + dxy*y, y0 + dyx*x + dyy*y), stored size W x H. */
struct affine {
    long x0, dxx, dxy, y0, dyx, dyy;
};

static struct affine orientation_map(uint32_t orientation, long W, long H)
{
    switch (orientation) {
    case 2: return (struct affine){W - 1, -1, 0, 0, 0, 1};          /* mirror x */
    case 3: return (struct affine){W - 1, -1, 0, H - 1, 0, -1};     /* 180 */
    case 4: return (struct affine){0, 1, 0, H - 1, 0, -1};          /* mirror y */
    case 5: return (struct affine){0, 0, 1, 0, 1, 0};               /* transpose */
    case 6: return (struct affine){0, 0, 1, H - 1, -1, 0};          /* 90 CW */
    case 7: return (struct affine){W - 1, 0, -1, H - 1, -1, 0};     /* transverse */
    case 8: return (struct affine){W - 1, 0, -1, 0, 1, 0};          /* 90 CCW */
    default: return (struct affine){0, 1, 0, 0, 0, 1};              /* identity */
    }
}

int scar__image_apply_orientation(scar_image **pimg, uint32_t orientation,
                                  const char *ctx)
{
    scar_image *in = *pimg;
    if (orientation < 2 || orientation > 8)
        return SCAR_OK;
    int swap = orientation >= 5;
    uint32_t ow = swap ? in->height : in->width;
    uint32_t oh = swap ? in->width : in->height;
    scar_image *out;
    int st = scar__image_alloc(ow, oh, in->channels, in->bit_depth, ctx, &out);
    if (st != SCAR_OK)
        return st;
    size_t bpp = (size_t)in->channels * (in->bit_depth / 8);
    struct affine m = orientation_map(orientation, in->width, in->height);
    for (uint32_t y = 0; y < oh; y++) {
        uint8_t *dst = out->data + (size_t)y * out->stride;
        long sx = m.x0 + m.dxy * (long)y, sy = m.y0 + m.dyy * (long)y;
        for (uint32_t x = 0; x < ow; x++) {
            memcpy(dst + x * bpp, in->data + (size_t)sy * in->stride + (size_t)sx * bpp,
                   bpp);
            sx += m.dxx;
            sy += m.dyx;
        }
    }
    out->orientation = in->orientation;
    out->scale_denom = in->scale_denom;
    out->format = in->format;
    scar_image_free(in);
    *pimg = out;
    return SCAR_OK;
}
