/* png.c — placeholder until the png decoder lands. */
#include "../error.h"
#include "image_internal.h"
int scar__png_decode(const uint8_t *data, size_t size, const scar_load_options *opts,
                     const char *ctx, scar_image **out)
{
    (void)data; (void)size; (void)opts; (void)out;
    return scar__fail(SCAR_E_UNSUPPORTED, "%s: PNG not yet implemented", ctx);
}
int scar__png_encode(const scar_image *img, const char *ctx, uint8_t **out, size_t *out_size)
{
    (void)img; (void)out; (void)out_size;
    return scar__fail(SCAR_E_UNSUPPORTED, "%s: PNG not yet implemented", ctx);
}
int scar_image_save_png(const scar_image *img, const char *path)
{
    (void)img; (void)path;
    return scar__fail(SCAR_E_UNSUPPORTED, "scar_image_save_png: not yet implemented");
}
int scar_image_encode_png(const scar_image *img, void **out_data, size_t *out_size)
{
    (void)img; (void)out_data; (void)out_size;
    return scar__fail(SCAR_E_UNSUPPORTED, "scar_image_encode_png: not yet implemented");
}
