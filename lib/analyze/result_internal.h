/* result_internal.h — internal: the layout of scar_result, shared by
 * lib/analyze (which fills it) and lib/report (which serialises it). */
#ifndef SCAR_ANALYZE_RESULT_INTERNAL_H
#define SCAR_ANALYZE_RESULT_INTERNAL_H

#include <stdint.h>

#include "scarscore.h"

struct scar_result {
    uint32_t width, height;
    double px_per_mm;
    int scale_assumed;
    int single_lesion;
    uint64_t skin_area_px;
    int32_t *labels;      /* width*height, 0 = none, k = region k */
    uint8_t *skin;        /* width*height, 1 = analysed skin */
    /* A photo analysed shrunk by grid_f > 1 without a ROI: until a caller
     * asks for them (scar__result_input_maps), labels and skin are NULL
     * and these maps of the analysis grid (grid_w wide, packed) stand for
     * them, each value an f x f block of the input grid. */
    int32_t *grid_labels;
    uint8_t *grid_skin;
    uint32_t grid_w, grid_f;
    uint32_t n_regions;
    scar_region *regions; /* n_regions entries, struct_size = sizeof */
    scar_summary summary; /* image-level measurements (lib/score) */
};

#endif
