/* given_regions.c — the caller's label image as the analysis' label map
 * (scar_measure); see given_regions.h. */
#include <stdlib.h>
#include <string.h>

#include "analyze/given_regions.h"
#include "error.h"

/* First-channel value of pixel x of row r (8- or 16-bit, native order). */
static uint32_t value_at(const uint8_t *r, uint32_t x, uint32_t ch,
                         uint32_t depth)
{
    if (depth == 16) {
        uint16_t v;
        memcpy(&v, r + (size_t)x * ch * 2, 2);
        return v;
    }
    return r[(size_t)x * ch];
}

int scar__labels_from_image(const scar_image *regions, const char *ctx,
                            scar__labels *out, int32_t *count)
{
    uint32_t w = scar_image_width(regions), h = scar_image_height(regions);
    uint32_t ch = scar_image_channels(regions);
    uint32_t depth = scar_image_bit_depth(regions);
    /* value -> label: mark the values present, then number them */
    int32_t *id = calloc(65536, sizeof *id);
    if (!id)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (regions)", ctx);
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *r = scar_image_row(regions, y);
        for (uint32_t x = 0; x < w; x++)
            id[value_at(r, x, ch, depth)] = 1;
    }
    int32_t n = 0;
    for (uint32_t v = 1; v < 65536; v++)
        if (id[v])
            id[v] = ++n;
    id[0] = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *r = scar_image_row(regions, y);
        int32_t *l = scar__labels_row(out, y);
        for (uint32_t x = 0; x < w; x++)
            l[x] = id[value_at(r, x, ch, depth)];
    }
    free(id);
    *count = n;
    return SCAR_OK;
}
