/* large_patches.h — internal: lesions too large for the local skin models
 * (large_patches.c; docs/segment.md, "Large patches"). */
#ifndef SCAR_LARGE_PATCHES_H
#define SCAR_LARGE_PATCHES_H

#include <stdint.h>

#include "filter/filter.h"
#include "plane.h"

/* The patches found on a grid of cells about 2 mm wide, with the healthy
 * skin's level there (a model of the skin that leaves them out). */
typedef struct scar__large_patches {
    int32_t count;             /* patches kept (0: nothing else is set) */
    uint32_t factor;           /* cell side in analysis pixels */
    scar__planef level[3];     /* healthy L*, a*, b* per cell */
    scar__mask cells;          /* the patches' cells, one cell of margin */
} scar__large_patches;

/* Finds the patches in the L*a*b* planes X over `skin`: connected cells
 * that differ from a skin model LARGE_SIGMA_FACTOR times wider than
 * `model_sigma_mm` by more than the skin's own variation, cover at least
 * pi model_sigma_mm^2 and whose colour change is not a change of light
 * (docs/segment.md). `out->count` 0 when there is none. SCAR_E_NOMEM. */
int scar__large_patches_find(const scar__planef *const X[3],
                             const scar__mask *skin, double px_per_mm,
                             double model_sigma_mm, const char *ctx,
                             scar__large_patches *out);

/* A local model of X over model_mask (scar__smooth_model_init) that does
 * not follow the patches: when lp has any, the model is made from a copy
 * of X whose skin pixels inside a patch take the healthy level of
 * `cells` (a plane of lp's cell grid, bilinear between the cells'
 * centres) and join the mask. lp NULL or empty: X as it is. */
int scar__large_patches_model(const scar__large_patches *lp,
                              const scar__planef *cells,
                              const scar__planef *X, const scar__mask *skin,
                              const scar__mask *model_mask, double sigma_px,
                              const char *ctx, scar__smooth_model *model);

/* The healthy chroma hypot(a*, b*) of each cell, into out (allocated). */
int scar__large_patches_chroma(const scar__large_patches *lp,
                               const char *ctx, scar__planef *out);

/* The healthy linear sRGB of each cell, into out[3] (allocated). */
int scar__large_patches_linear_rgb(const scar__large_patches *lp,
                                   const char *ctx, scar__planef out[3]);

void scar__large_patches_free(scar__large_patches *lp);

#endif
