/* given_regions.h — internal: the caller's regions as a label map
 * (scar_measure; lib/analyze/given_regions.c). */
#ifndef SCAR_ANALYZE_GIVEN_REGIONS_H
#define SCAR_ANALYZE_GIVEN_REGIONS_H

#include <stdint.h>

#include "plane.h"
#include "scarscore.h"

/* Fill `out` (allocated by the caller, the size of `regions`) from the
 * first channel of `regions` (8- or 16-bit): 0 stays 0, and the distinct
 * non-zero values, in increasing order, become labels 1..*count. */
int scar__labels_from_image(const scar_image *regions, const char *ctx,
                            scar__labels *out, int32_t *count);

#endif
