/* shadow.c — deep shadow, less the pits; see skin.h and docs/skin.md.
 *
 * A cast shadow or a skin fold is far darker than the skin around it and
 * carries no skin colour, so it leaves the mask. The dark core of an
 * icepick scar, a deep pore or an open comedo is just as dark, but it is
 * the lesion itself (the phantoms' truth and a dermatologist's outline
 * both include it): dropping it would measure a pit without its pit. The
 * two differ in size: a pit is at most about 2 mm across (icepick scars
 * are < 2 mm by definition, Jacob et al. 2001, J Am Acad Dermatol 45:109),
 * a shadow that matters is larger or elongated (a fold, a nostril, the
 * shadow of a jaw). So a connected dark spot whose bounding box fits in
 * SHADOW_PIT_MAX_MM both ways stays skin. */
#include <stdlib.h>

#include "error.h"
#include "morph/morph.h"
#include "skin/skin.h"

/* L* below this fraction of the local skin level and below an absolute
 * L* (pigment lesions, even dark naevi, seldom fall below both). */
#define SHADOW_RATIO 0.35f
#define SHADOW_L_MAX 20.0f
/* A shadow component no larger than this (mm, both bounding-box sides)
 * is a pit: kept as skin. */
#define SHADOW_PIT_MAX_MM 2.5

int scar__shadow_mask(const scar__planef *L, const scar__mask *skin,
                      scar__smooth_model *skin_level, double px_per_mm,
                      const char *ctx, scar__mask *out)
{
    uint32_t w = L->width, h = L->height;
    float *lv = malloc((size_t)w * sizeof *lv);
    if (!lv)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (shadow rows)",
                          ctx);
    uint64_t n = 0;
    for (uint32_t y = 0; y < h; y++) {
        const float *l = scar__planef_row(L, y);
        const uint8_t *s = scar__mask_row(skin, y);
        uint8_t *o = scar__mask_row(out, y);
        scar__smooth_model_row(skin_level, y, lv);
        for (uint32_t x = 0; x < w; x++) {
            o[x] = s[x] && l[x] < SHADOW_RATIO * lv[x] && l[x] < SHADOW_L_MAX;
            n += o[x];
        }
    }
    free(lv);
    if (n == 0)
        return SCAR_OK;  /* the common case: no labelling needed */
    scar__labels lab = {0};
    scar__region *props = NULL;
    int32_t count = 0;
    int st = scar__labels_alloc(w, h, ctx, &lab);
    if (!st)
        st = scar__label(out, NULL, 8, &lab, &count);
    if (!st && count > 0)
        st = scar__regionprops(&lab, count, 0, &props);
    if (!st && count > 0) {
        double pit_px = SHADOW_PIT_MAX_MM * px_per_mm;
        for (uint32_t y = 0; y < h; y++) {
            const int32_t *l = scar__labels_row(&lab, y);
            uint8_t *o = scar__mask_row(out, y);
            for (uint32_t x = 0; x < w; x++) {
                if (!l[x])
                    continue;
                const scar__region *r = &props[l[x] - 1];
                if ((double)(r->x1 - r->x0) <= pit_px &&
                    (double)(r->y1 - r->y0) <= pit_px)
                    o[x] = 0;
            }
        }
    }
    scar__regionprops_free(props);
    scar__plane_free(lab.data);
    return st;
}
