/* analyze_timing.h — internal: instruments of scar_analyze for bench/
 * programs: per-stage timing (bench_analyze) and an observer of the
 * segmentation's steps (segment_trace). Not API, never installed. */
#ifndef SCAR_ANALYZE_TIMING_H
#define SCAR_ANALYZE_TIMING_H

#include "scarscore.h"
#include "segment/segment.h"

/* Stages of the pipeline, in order (DESIGN.md steps 2-7). */
typedef enum scar__stage {
    SCAR__STAGE_COLOUR = 0,  /* sRGB -> CIELAB planes */
    SCAR__STAGE_SKIN,        /* skin mask: candidates, glare, shadow, hair */
    SCAR__STAGE_SEGMENT,     /* skin model, anomaly map, regions */
    SCAR__STAGE_RINGS,       /* perilesional rings */
    SCAR__STAGE_MEASURE,     /* colour indices, per-region measurements */
    SCAR__STAGE_COUNT
} scar__stage;

/* Seconds of CPU time of the calling thread spent in each stage
 * (CLOCK_THREAD_CPUTIME_ID: unaffected by other processes on the machine). */
typedef struct scar__analyze_timing {
    double seconds[SCAR__STAGE_COUNT];
} scar__analyze_timing;

/* scar_analyze, also filling *timing when it is not NULL. */
int scar__analyze_timed(const scar_image *img, const scar_image *roi,
                        const scar_analyze_options *opts, scar_result **out,
                        scar__analyze_timing *timing);

/* scar_analyze_memory, also filling *timing when it is not NULL. When the
 * JPEG is decoded as it is shrunk, the colour stage includes the decode. */
int scar__analyze_memory_timed(const void *data, size_t size,
                               const scar_analyze_options *opts,
                               scar_result **out,
                               scar__analyze_timing *timing);

/* scar_analyze with `trace` (may be NULL) observing the steps of the
 * multi-lesion segmentation (scar__segment_trace; not called in the
 * single-lesion mode or when no skin is found). The result is the one
 * scar_analyze gives. */
int scar__analyze_traced(const scar_image *img, const scar_image *roi,
                         const scar_analyze_options *opts,
                         const scar__segment_trace *trace, scar_result **out);

#endif
