/* regions.c — the per-region driver: region properties once for the whole
 * label map (two passes whatever the number of regions), then for each
 * region geometry, colour, derived classes and texture, each reading only
 * the region's bbox (grown by the ring radius) and its ring pixels. */
#include <stdlib.h>
#include <string.h>

#include "morph/morph.h"
#include "score/score.h"

int scar__score_regions(const scar__score_input *in, const char *ctx,
                        scar_region *out)
{
    if (in->count <= 0)
        return SCAR_OK;
    scar__region *props = NULL;
    int st = scar__regionprops(in->labels, in->count, 1, &props);
    if (st)
        return st;
    for (int32_t i = 0; i < in->count && !st; i++) {
        scar_region *r = &out[i];
        memset(r, 0, sizeof *r);
        r->struct_size = (uint32_t)sizeof *r;
        r->id = (uint32_t)(i + 1);
        scar__score_geometry(&props[i], in->px_per_mm, r);
        st = scar__score_color(in, i + 1, r, ctx);
        if (st)
            break;
        scar__score_derived(r);
        st = scar__score_texture(in, i + 1, r, ctx);
    }
    scar__regionprops_free(props);
    return st;
}
