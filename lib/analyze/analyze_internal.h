/* analyze_internal.h — internal: defaults and helpers of scar_analyze.
 * Why each default has its value: docs/segment.md. */
#ifndef SCAR_ANALYZE_INTERNAL_H
#define SCAR_ANALYZE_INTERNAL_H

#include "image/photo_rows.h"
#include "scarscore.h"

#define SCAR__DEFAULT_Z_HIGH 5.0
#define SCAR__DEFAULT_Z_LOW 3.0
#define SCAR__DEFAULT_MIN_AREA_MM2 0.25
#define SCAR__DEFAULT_MODEL_SIGMA_MM 8.0
#define SCAR__DEFAULT_RING_INNER_MM 1.0
#define SCAR__DEFAULT_RING_OUTER_MM 3.0

/* Pigment class rule (docs/segment.md): ISO when dE00 < this ... */
#define SCAR__CLASS_ISO_DE00 1.0
/* ... ERYTHEMA when a* rises by at least this and by more than half the
 * L* change; otherwise HYPO when L* rises, HYPER when it falls. */
#define SCAR__CLASS_ERYTHEMA_DA 1.5

/* Defaults merged with the caller's options (struct_size honoured) and
 * validated: SCAR_E_VERSION, SCAR_E_INVALID. */
int scar__analyze_resolve_options(const scar_analyze_options *in,
                                  scar_analyze_options *out, const char *ctx);

/* The shrink factor scar_analyze would use for a width x height photo
 * under `opts` (1: full resolution, also when the options are invalid:
 * the analysis then reports them). */
uint32_t scar__analyze_shrink_factor(const scar_analyze_options *opts,
                                     uint32_t width, uint32_t height);

/* scar_analyze of a photo given as rows (image/photo_rows.h): a decoded
 * image, or a JPEG when its analysis is shrunk (factor > 1; else
 * SCAR_E_INTERNAL), decoded as it is shrunk. `fn` names the public
 * function in messages; `timing` (analyze_timing.h) may be NULL. */
struct scar__analyze_timing;
int scar__analyze_photo(const scar__photo *photo, const scar_image *roi,
                        const scar_analyze_options *opts, scar_result **out,
                        struct scar__analyze_timing *timing, const char *fn);

/* The class of a region from the mean Lab inside and in the ring. */
scar_pigment_class scar__pigment_class(const double in[3], const double ring[3],
                                       double de00);

#endif
