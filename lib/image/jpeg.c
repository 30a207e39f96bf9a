/* jpeg.c — placeholder until the jpeg decoder lands. */
#include "../error.h"
#include "image_internal.h"
int scar__jpeg_decode(const uint8_t *data, size_t size, const scar_load_options *opts,
                      const char *ctx, scar_image **out)
{
    (void)data; (void)size; (void)opts; (void)out;
    return scar__fail(SCAR_E_UNSUPPORTED, "%s: JPEG not yet implemented", ctx);
}
