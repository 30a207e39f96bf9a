/* hard_analyze.h — the one place where the hardening tests and the fuzz
 * targets call scar_analyze: a future signature change is a one-line edit
 * here.
 * Also a small deterministic skin-like test photo shared by them. */
#ifndef SCAR_TEST_HARD_ANALYZE_H
#define SCAR_TEST_HARD_ANALYZE_H

#include <stdint.h>

#include "scarscore.h"

/* Analyse `img` with `roi` (may be NULL) and `opts` (may be NULL). */
static inline int hard_analyze(const scar_image *img, const scar_image *roi,
                               const scar_analyze_options *opts,
                               scar_result **out)
{
    return scar_analyze(img, roi, opts, out);
}

/* The analysis options a ROI fuzz input selects with its last byte `sel`
 * (fuzz/fuzz_roi_analyze.c; the crasher replay uses the same, so a saved
 * input reproduces): px_per_mm from a table of unknown, tiny, usual and
 * huge scales, single_lesion from bit 3, and from bit 6 the default
 * analysis resolution (photos of >= 10 px/mm shrunk, with the ROI) instead
 * of full resolution (how inputs saved before that bit replay). */
static inline void hard_roi_options(uint8_t sel, scar_analyze_options *o)
{
    static const double scales[8] = {0, 0.5, 1, 2.5, 10, 40, 0, 10000};
    scar_analyze_options_init(o);
    o->px_per_mm = scales[sel & 7];
    o->single_lesion = (sel >> 3) & 1;
    if (!((sel >> 6) & 1))
        o->analysis_px_per_mm = 0.0;
}

/* An 8-bit RGB w x h photo: light skin (sRGB ~ 205,160,140) under a
 * horizontal light gradient, one darker disc of radius min(w,h)/6 at the
 * centre, +-4 levels of LCG noise. Deterministic: the same w, h give the
 * same pixels. NULL on allocation failure. */
static inline scar_image *hard_skin_photo(uint32_t w, uint32_t h)
{
    scar_image *img = NULL;
    if (scar_image_new(w, h, 3, 8, &img) != SCAR_OK)
        return NULL;
    uint64_t s = 0x9E3779B97F4A7C15ull ^ ((uint64_t)w << 32 | h);
    double cx = w / 2.0, cy = h / 2.0, r = (w < h ? w : h) / 6.0;
    static const int skin[3] = {205, 160, 140}, patch[3] = {150, 100, 85};
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *row = scar_image_row(img, y);
        for (uint32_t x = 0; x < w; x++) {
            double dx = x - cx, dy = y - cy;
            const int *base = dx * dx + dy * dy <= r * r ? patch : skin;
            double light = 0.92 + 0.12 * (double)x / w;
            for (int c = 0; c < 3; c++) {
                s = s * 6364136223846793005ull + 1442695040888963407ull;
                int noise = (int)(s >> 61) - 4; /* -4..3 */
                int v = (int)(base[c] * light) + noise;
                row[3 * x + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
    }
    return img;
}

#endif
