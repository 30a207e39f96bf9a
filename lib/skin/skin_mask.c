/* skin_mask.c — ROI and automatic skin mask, glare and shadow exclusion;
 * see skin.h and docs/skin.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "filter/filter.h"
#include "skin/large_patches.h"
#include "skin/skin.h"

/* Colour window of skin in CIELAB (docs/skin.md). Skin of every Fitzpatrick
 * type lies in a hue wedge from red to yellow (about 20-75 deg, e.g. Xiao et
 * al. 2017, "Characterising the variations in ethnic skin colours", Color
 * Res Appl); the wedge is widened to take erythema (redder) and
 * hypopigmentation (yellower, paler) and still exclude blue/green/grey
 * backgrounds and the black corners of dermoscopy images. */
#define SKIN_L_MIN 8.0f
#define SKIN_L_MAX 99.0f
#define SKIN_CHROMA_MIN 3.0f
#define SKIN_HUE_MIN_DEG (-25.0f)
#define SKIN_HUE_MAX_DEG 110.0f

/* Local skin level: sigma of the masked Gaussian in mm (slow illumination,
 * much larger than any lesion). */
#define SKIN_LEVEL_SIGMA_MM 6.0
/* Glare: L* at least this far above the local skin level and at least
 * GLARE_L_MIN, with chroma below GLARE_CHROMA_RATIO of the local chroma (a
 * specular highlight is the illuminant's colour: bright and grey). */
#define GLARE_L_ABOVE 10.0f
#define GLARE_L_MIN 88.0f
#define GLARE_CHROMA_RATIO 0.5f
/* Glare halo: the exclusion grows by this many mm (JPEG ringing, bloom). */
#define GLARE_GROW_MM 0.1

int scar__skin_from_roi(const scar_image *roi, uint32_t width, uint32_t height,
                        const char *ctx, scar__mask *out)
{
    if (scar_image_width(roi) != width || scar_image_height(roi) != height)
        return scar__fail(SCAR_E_INVALID,
                          "%s: ROI is %ux%u but the image is %ux%u", ctx,
                          scar_image_width(roi), scar_image_height(roi), width,
                          height);
    uint32_t ch = scar_image_channels(roi), depth = scar_image_bit_depth(roi);
    for (uint32_t y = 0; y < height; y++) {
        const uint8_t *r = scar_image_row(roi, y);
        uint8_t *m = scar__mask_row(out, y);
        for (uint32_t x = 0; x < width; x++) {
            if (depth == 16) {
                uint16_t v;
                memcpy(&v, r + (size_t)x * ch * 2, 2);
                m[x] = v != 0;
            } else {
                m[x] = r[(size_t)x * ch] != 0;
            }
        }
    }
    return SCAR_OK;
}

static int is_skin_colour(float L, float a, float b)
{
    if (!(L >= SKIN_L_MIN && L <= SKIN_L_MAX))
        return 0;
    /* hypotf(a, b) < 3 decided from a^2 + b^2 (exact in double: 24-bit
     * squares) when it is clearly away from 9; hypotf's error (< 1 ulp,
     * 1.2e-7 relative) cannot cross a 1e-5 margin, so libm is called only
     * on the circle's rim and the decision is the one hypotf gives. */
    double c2 = (double)a * a + (double)b * b;
    if (c2 < 9.0 * (1.0 - 1e-5))
        return 0;
    if (!(c2 > 9.0 * (1.0 + 1e-5)) && hypotf(a, b) < SKIN_CHROMA_MIN)
        return 0;
    /* Quadrants wholly inside or outside [-25, 110] degrees need no angle:
     * a > 0, b >= 0 gives hue in [0, 90]; a <= 0, b < 0 gives [-180, -90]
     * (atan2f keeps its result inside the quadrant). */
    if (a > 0.0f && b >= 0.0f)
        return 1;
    if (a <= 0.0f && b < 0.0f)
        return 0;
    float hue = atan2f(b, a) * (float)(180.0 / 3.14159265358979323846);
    return hue >= SKIN_HUE_MIN_DEG && hue <= SKIN_HUE_MAX_DEG;
}

int scar__skin_candidates(const scar__lab_planes *lab, const char *ctx,
                          scar__mask *out)
{
    uint32_t w = lab->L.width, h = lab->L.height;
    uint32_t frame[4];
    int st = scar__frame_widths(lab, ctx, frame);
    if (st)
        return st;
    uint64_t npass = 0;
    for (uint32_t y = 0; y < h; y++) {
        const float *L = scar__planef_row(&lab->L, y);
        const float *a = scar__planef_row(&lab->a, y);
        const float *b = scar__planef_row(&lab->b, y);
        uint8_t *m = scar__mask_row(out, y);
        for (uint32_t x = 0; x < w; x++) {
            m[x] = (uint8_t)is_skin_colour(L[x], a[x], b[x]);
            npass += m[x];
        }
    }
    if ((double)npass < SCAR__SKIN_MIN_FRACTION * (double)w * (double)h) {
        for (uint32_t y = 0; y < h; y++)
            memset(scar__mask_row(out, y), 1, w);
        scar__frame_clear(frame, out);
        return SCAR_OK;
    }
    /* a frame the colour of skin (white-ish, grey) is not skin */
    scar__frame_clear(frame, out);
    scar__labels lab8 = {0};
    int32_t count = 0;
    st = scar__labels_alloc(w, h, ctx, &lab8);
    if (!st)
        st = scar__label(out, NULL, 8, &lab8, &count);
    uint64_t *area = NULL;
    if (!st && count > 1) {
        area = calloc((size_t)count + 1, sizeof *area);
        if (!area)
            st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (skin components)",
                            ctx);
    }
    if (!st && count > 1) {
        for (uint32_t y = 0; y < h; y++) {
            const int32_t *l = scar__labels_row(&lab8, y);
            for (uint32_t x = 0; x < w; x++)
                area[l[x]]++;
        }
        int32_t best = 1;
        for (int32_t k = 2; k <= count; k++)
            if (area[k] > area[best])
                best = k;
        for (uint32_t y = 0; y < h; y++) {
            const int32_t *l = scar__labels_row(&lab8, y);
            uint8_t *m = scar__mask_row(out, y);
            for (uint32_t x = 0; x < w; x++)
                m[x] = l[x] == best;
        }
    }
    if (!st)
        st = scar__fill_holes(out, out);
    free(area);
    scar__plane_free(lab8.data);
    return st;
}

int scar__skin_exclude(scar__lab_planes *lab, double px_per_mm,
                       const scar__large_patches *large, const char *ctx,
                       scar__mask *mask, scar__mask *glare_out)
{
    uint32_t w = lab->L.width, h = lab->L.height;
    uint64_t nset = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *m = scar__mask_row(mask, y);
        for (uint32_t x = 0; x < w; x++)
            nset += m[x] != 0;
    }
    if (nset == 0)
        return glare_out ? scar__mask_alloc(w, h, ctx, glare_out) : SCAR_OK;
    /* The local L* and chroma levels stay at reduced resolution and are
     * interpolated one row at a time (lib/filter/smooth_model.c). */
    scar__planef chroma = {0};
    scar__smooth_model level = {0}, clevel = {0};
    scar__mask glare = {0}, hair = {0}, grey = {0}, shadow = {0};
    float *lv = NULL, *cv = NULL;
    double sigma = SKIN_LEVEL_SIGMA_MM * px_per_mm;
    scar__planef ccells = {0}; /* healthy chroma of large patches' cells */
    const scar__large_patches *lp = large && large->count ? large : NULL;
    int st = scar__large_patches_model(lp, lp ? &lp->level[0] : NULL,
                                       &lab->L, mask, mask, sigma, ctx,
                                       &level);
    if (!st && lp)
        st = scar__large_patches_chroma(lp, ctx, &ccells);
    if (!st)
        st = scar__planef_alloc(w, h, ctx, &chroma);
    for (uint32_t y = 0; !st && y < h; y++) {
        const float *a = scar__planef_row(&lab->a, y);
        const float *b = scar__planef_row(&lab->b, y);
        float *c = scar__planef_row(&chroma, y);
        for (uint32_t x = 0; x < w; x++)
            c[x] = hypotf(a[x], b[x]);
    }
    if (!st)
        st = scar__large_patches_model(lp, &ccells, &chroma, mask, mask,
                                       sigma, ctx, &clevel);
    scar__plane_free(chroma.data);
    scar__plane_free(ccells.data);
    chroma.data = NULL;
    if (!st) {
        lv = malloc((size_t)w * sizeof *lv);
        cv = malloc((size_t)w * sizeof *cv);
        if (!lv || !cv)
            st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (skin rows)", ctx);
    }
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &glare);
    if (!st) {
        for (uint32_t y = 0; y < h; y++) {
            const float *L = scar__planef_row(&lab->L, y);
            const float *a = scar__planef_row(&lab->a, y);
            const float *b = scar__planef_row(&lab->b, y);
            scar__smooth_model_row(&level, y, lv);
            scar__smooth_model_row(&clevel, y, cv);
            uint8_t *g = scar__mask_row(&glare, y);
            for (uint32_t x = 0; x < w; x++)
                g[x] = L[x] >= GLARE_L_MIN && L[x] >= lv[x] + GLARE_L_ABOVE &&
                       hypotf(a[x], b[x]) < GLARE_CHROMA_RATIO * cv[x];
        }
        scar__smooth_model_free(&clevel);
        st = scar__mask_alloc(w, h, ctx, &grey);
        if (!st)
            st = scar__glare_mask(lab, mask, lp, px_per_mm, ctx, &grey);
        for (uint32_t y = 0; !st && y < h; y++) {
            const uint8_t *a = scar__mask_row(&grey, y);
            uint8_t *g = scar__mask_row(&glare, y);
            for (uint32_t x = 0; x < w; x++)
                g[x] |= a[x];
        }
        scar__plane_free(grey.data);
        grey.data = NULL;
        uint32_t grow = (uint32_t)lround(GLARE_GROW_MM * px_per_mm);
        if (!st && grow > 0)
            st = scar__dilate_disk(&glare, grow, &glare);
    }
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &hair);
    if (!st)
        st = scar__hair_mask(&lab->L, mask, &level, px_per_mm, ctx, &hair);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &shadow);
    if (!st)
        st = scar__shadow_mask(&lab->L, mask, &level, px_per_mm, ctx, &shadow);
    if (!st) {
        for (uint32_t y = 0; y < h; y++) {
            const float *L = scar__planef_row(&lab->L, y);
            const uint8_t *g = scar__mask_row(&glare, y);
            const uint8_t *hr = scar__mask_row(&hair, y);
            const uint8_t *sh = scar__mask_row(&shadow, y);
            uint8_t *m = scar__mask_row(mask, y);
            for (uint32_t x = 0; x < w; x++)
                if (g[x] || hr[x] || sh[x] || !isfinite(L[x]))
                    m[x] = 0;
        }
    }
    free(lv);
    free(cv);
    scar__smooth_model_free(&level);
    scar__smooth_model_free(&clevel);
    scar__plane_free(chroma.data);
    if (!st && glare_out) {
        *glare_out = glare;
        glare.data = NULL;
    }
    scar__plane_free(glare.data);
    scar__plane_free(hair.data);
    scar__plane_free(grey.data);
    scar__plane_free(shadow.data);
    return st;
}
