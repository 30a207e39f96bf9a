/* exif.c — placeholder until the EXIF parser lands. */
#include "image_internal.h"
uint32_t scar__exif_orientation(const uint8_t *app1, size_t size)
{
    (void)app1; (void)size;
    return 1;
}
