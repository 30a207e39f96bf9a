/* analysis_scale.h — internal: analysing a photo at a reduced resolution
 * (lib/analyze/analysis_scale.c; docs/segment.md, "Analysis
 * resolution"). */
#ifndef SCAR_ANALYZE_ANALYSIS_SCALE_H
#define SCAR_ANALYZE_ANALYSIS_SCALE_H

#include <stdint.h>

#include "image/photo_rows.h"
#include "scarscore.h"

/* The shrink factor for a width x height photo at px_per_mm: the largest
 * integer f <= 16 with px_per_mm / f >= analysis_px_per_mm and both
 * sides of the shrunk photo >= 32 px; 1 when analysis_px_per_mm is 0. */
uint32_t scar__analysis_shrink(double px_per_mm, double analysis_px_per_mm,
                               uint32_t width, uint32_t height);

/* *small_img = the photo shrunk by block means (lib/image/shrink.h; a
 * JPEG photo is decoded as it is shrunk); when roi is not NULL, each
 * block's mean is over its ROI pixels (first channel non-zero) and
 * *small_roi = a one-channel 0/1 mask that is 1 where at least half of
 * the block is in the ROI. The caller frees both (also on failure). */
int scar__analysis_shrink_inputs(const scar__photo *img, const scar_image *roi,
                                 uint32_t f, const char *ctx,
                                 scar_image **small_img, scar_image **small_roi);

/* Restate a result computed on the photo shrunk by f on the input's grid
 * (width x height at px_per_mm): the label map and skin mask become f x f
 * blocks (the mask cleared wherever the input `roi`, when not NULL, is
 * 0), the regions' geometry (and so their hints) and the skin area are
 * measured on them, ring areas are scaled by f^2, and the summary's area
 * and count fields are recomputed. Colour and texture are kept. Without a
 * ROI the input-size maps are not made here but on first use
 * (scar__result_input_maps): 5 bytes per input pixel that a caller who
 * reads only the measurements never pays. */
struct scar_result;
int scar__analysis_to_input_grid(struct scar_result *res,
                                 const scar_image *roi, uint32_t f,
                                 uint32_t width, uint32_t height,
                                 double px_per_mm, const char *ctx);

/* Make res->labels and res->skin from the analysis grid's maps when they
 * stand for them (result_internal.h), and free those; a no-op otherwise.
 * SCAR_E_NOMEM when the input-size maps cannot be allocated (the result
 * is then unchanged). Takes a const result, as the getters that call it:
 * the maps only restate what it holds. */
int scar__result_input_maps(const struct scar_result *res, const char *ctx);

/* Row y (< height) of the input-size label map into out (width values):
 * from res->labels when it exists, else expanded from the analysis grid,
 * so that a caller reading the map row by row never makes it (5 bytes
 * per input pixel). */
void scar__result_label_row(const struct scar_result *res, uint32_t y,
                            int32_t *out);

#endif
