/* labels_png.c — scar_result_save_labels_png: the label map as a 16-bit
 * gray PNG (0 = no region, k = region k), written atomically by
 * scar_image_save_png. */
#include <stdint.h>
#include <stdlib.h>

#include "analyze/analysis_scale.h"
#include "analyze/result_internal.h"
#include "error.h"

int scar_result_save_labels_png(const scar_result *res, const char *path)
{
    static const char FN[] = "scar_result_save_labels_png";
    if (!res || !path)
        return scar__fail(SCAR_E_INVALID, "%s: NULL %s", FN,
                          res ? "path" : "result");
    if (res->n_regions > 65535)
        return scar__fail(SCAR_E_LIMIT, "%s: %s: %u regions do not fit in a "
                          "16-bit PNG (at most 65535)", FN, path, res->n_regions);
    /* read row by row: the input-size label map of a shrunk analysis is
     * not made for it (4 + 1 bytes per pixel) */
    scar_image *img = NULL;
    int32_t *l = malloc((size_t)res->width * sizeof *l);
    if (!l)
        return scar__fail(SCAR_E_NOMEM, "%s: %s: out of memory", FN, path);
    int st = scar_image_new(res->width, res->height, 1, 16, &img);
    for (uint32_t y = 0; !st && y < res->height; y++) {
        uint16_t *row = scar_image_row(img, y);
        scar__result_label_row(res, y, l);
        for (uint32_t x = 0; x < res->width; x++)
            row[x] = (uint16_t)l[x];
    }
    if (!st)
        st = scar_image_save_png(img, path);
    scar_image_free(img);
    free(l);
    return st;
}
