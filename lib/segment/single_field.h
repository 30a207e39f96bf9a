/* single_field.h — internal: the circular field of view of a dermoscope,
 * for the single-lesion mode (single.c); docs/segment.md, single-lesion
 * mode, step 2. */
#ifndef SCAR_SEGMENT_SINGLE_FIELD_H
#define SCAR_SEGMENT_SINGLE_FIELD_H

#include "plane.h"

/* Writes into `field` (allocated at L's size) the pixels of `skin` that lie
 * inside the bright field of a dermoscope, and sets *found to 1 when such a
 * field was detected: the dark, frame-connected surround outside the first
 * radius (from the image centre) whose ring is dark, present in all four
 * corners. Not found: *found = 0 and field = skin. `L` is the unsmoothed
 * L* plane. */
int scar__dermoscope_field(const scar__planef *L, const scar__mask *skin,
                           const char *ctx, scar__mask *field, int *found);

#endif
