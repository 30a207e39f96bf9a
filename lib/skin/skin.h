/* skin.h — internal: the mask of skin pixels that enter the statistics
 * (DESIGN.md step 3). Algorithm, every threshold and why: docs/skin.md. */
#ifndef SCAR_SKIN_H
#define SCAR_SKIN_H

#include "filter/filter.h"
#include "plane.h"
#include "scarscore.h"

/* Lab planes of the whole (upright) image; all three have one size. */
typedef struct scar__lab_planes {
    scar__planef L, a, b;
} scar__lab_planes;

/* Fill out[0..2] (L*, a*, b*; allocated, packed, the image's size) with
 * the L*a*b* of `img` as scar_image_to_lab gives it (lab_planes.c). */
int scar__lab_restore(const scar_image *img, scar__planef *const out[3],
                      const char *ctx);

/* ROI image -> mask: 1 where the first channel of `roi` is non-zero.
 * roi must be width x height (SCAR_E_INVALID otherwise). */
int scar__skin_from_roi(const scar_image *roi, uint32_t width, uint32_t height,
                        const char *ctx, scar__mask *out);

/* Automatic candidate skin: skin-coloured pixels (docs/skin.md: L*, chroma
 * and hue window), their largest 8-connected component, holes filled (so
 * lesions of any colour inside the skin belong to it). When fewer than
 * SCAR__SKIN_MIN_FRACTION of the pixels pass the colour rule the whole
 * frame is taken (a close-up whose colours the rule does not know). */
#define SCAR__SKIN_MIN_FRACTION 0.05
int scar__skin_candidates(const scar__lab_planes *lab, const char *ctx,
                          scar__mask *out);

/* The frame of a photo (lib/skin/frame.c, docs/skin.md): width[s] lines
 * (0..4) of side s (0 top, 1 bottom, 2 left, 3 right) that differ from
 * the photo inside them as a border does (a white, black or grey line
 * along the whole side of an exported or web photo). 0 where there is no
 * frame or the photo is too small to tell. */
int scar__frame_widths(const scar__lab_planes *lab, const char *ctx,
                       uint32_t width[4]);
/* Clears the frame's lines in `mask` (the frame is never skin). */
void scar__frame_clear(const uint32_t width[4], scar__mask *mask);

/* Remove, in place, from `mask` the pixels that carry no skin colour:
 * specular glare (very high L*, low chroma relative to the local skin),
 * deep shadow (L* far below the local skin level) and hair (thin dark
 * ridges, Hessian line measure). px_per_mm sets every radius.
 * The a* and b* planes of `lab` serve as scratch (peak memory): on return
 * their contents are unspecified (L* is kept); compute them again from the
 * image if needed. When `glare` is not NULL it receives the glare mask
 * (allocated here at the mask's size, also when `mask` is empty; the
 * caller frees glare->data). `large` (NULL: none): lesions too large for
 * the local skin levels, which then take the healthy level around them
 * there (large_patches.h). */
struct scar__large_patches;
int scar__skin_exclude(scar__lab_planes *lab, double px_per_mm,
                       const struct scar__large_patches *large,
                       const char *ctx, scar__mask *mask, scar__mask *glare);

/* Specular glare as a grey ADDITIVE increase of linear RGB over the local
 * skin level (lib/skin/glare.c, docs/skin.md); writes all of `out`. Reads
 * `lab`, then uses its a* and b* planes as scratch (their contents are
 * unspecified on return); L* is kept. `large` as for scar__skin_exclude. */
int scar__glare_mask(scar__lab_planes *lab, const scar__mask *skin,
                     const struct scar__large_patches *large,
                     double px_per_mm, const char *ctx, scar__mask *out);

/* Hair: 1 on thin dark line structures (writes all of `out`); skin_level
 * is the local L* level (read row by row). */
int scar__hair_mask(const scar__planef *L, const scar__mask *skin,
                    scar__smooth_model *skin_level, double px_per_mm,
                    const char *ctx, scar__mask *out);

/* Deep shadow: 1 where skin is far darker than the local skin level
 * (docs/skin.md), except connected dark spots small enough to be pits
 * (icepick scars, deep pores), which stay skin (writes all of `out`). */
int scar__shadow_mask(const scar__planef *L, const scar__mask *skin,
                      scar__smooth_model *skin_level, double px_per_mm,
                      const char *ctx, scar__mask *out);

#endif
