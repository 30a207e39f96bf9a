/* options.c — defaults of scar_analyze_options and their validation; every
 * default is explained in docs/segment.md. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "analyze/analyze_internal.h"
#include "error.h"

void scar_analyze_options_init(scar_analyze_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->struct_size = (uint32_t)sizeof *opts;
    opts->single_lesion = 0;
    opts->px_per_mm = 0.0;
    opts->z_high = SCAR__DEFAULT_Z_HIGH;
    opts->z_low = SCAR__DEFAULT_Z_LOW;
    opts->min_area_mm2 = SCAR__DEFAULT_MIN_AREA_MM2;
    opts->model_sigma_mm = SCAR__DEFAULT_MODEL_SIGMA_MM;
    opts->ring_inner_mm = SCAR__DEFAULT_RING_INNER_MM;
    opts->ring_outer_mm = SCAR__DEFAULT_RING_OUTER_MM;
    opts->max_memory_bytes = SCAR_DEFAULT_MAX_ANALYZE_MEMORY;
    opts->analysis_px_per_mm = SCAR_DEFAULT_ANALYSIS_PX_PER_MM;
    opts->exposure_normalize = 1;
}

static int finite_pos(double v) { return isfinite(v) && v > 0.0; }

int scar__analyze_resolve_options(const scar_analyze_options *in,
                                  scar_analyze_options *out, const char *ctx)
{
    scar_analyze_options_init(out);
    if (!in)
        return SCAR_OK;
    const uint32_t first_version = (uint32_t)(offsetof(scar_analyze_options,
                                                       ring_outer_mm) +
                                              sizeof(double));
    if (in->struct_size < first_version || in->struct_size > sizeof *out)
        return scar__fail(SCAR_E_VERSION,
                          "%s: scar_analyze_options.struct_size is %u; call "
                          "scar_analyze_options_init() before setting fields",
                          ctx, in->struct_size);
    memcpy(out, in, in->struct_size);
    out->struct_size = (uint32_t)sizeof *out;
    if (out->px_per_mm != 0.0 &&
        !(isfinite(out->px_per_mm) && out->px_per_mm > 0.0 &&
          out->px_per_mm <= 10000.0))
        return scar__fail(SCAR_E_INVALID,
                          "%s: px_per_mm is %g; give a value in (0, 10000] "
                          "or 0 for unknown", ctx, out->px_per_mm);
    if (!finite_pos(out->z_high) || !finite_pos(out->z_low) ||
        out->z_low > out->z_high)
        return scar__fail(SCAR_E_INVALID,
                          "%s: thresholds z_low %g, z_high %g; need "
                          "0 < z_low <= z_high", ctx, out->z_low, out->z_high);
    if (!isfinite(out->min_area_mm2) || out->min_area_mm2 < 0.0)
        return scar__fail(SCAR_E_INVALID,
                          "%s: min_area_mm2 is %g; need a finite value >= 0",
                          ctx, out->min_area_mm2);
    if (!finite_pos(out->model_sigma_mm))
        return scar__fail(SCAR_E_INVALID,
                          "%s: model_sigma_mm is %g; need a finite value > 0",
                          ctx, out->model_sigma_mm);
    if (!isfinite(out->ring_inner_mm) || !isfinite(out->ring_outer_mm) ||
        out->ring_inner_mm < 0.0 || out->ring_outer_mm <= out->ring_inner_mm)
        return scar__fail(SCAR_E_INVALID,
                          "%s: ring %g..%g mm; need 0 <= inner < outer", ctx,
                          out->ring_inner_mm, out->ring_outer_mm);
    if (out->analysis_px_per_mm != 0.0 && !finite_pos(out->analysis_px_per_mm))
        return scar__fail(SCAR_E_INVALID,
                          "%s: analysis_px_per_mm is %g; give a finite value "
                          "> 0, or 0 for full resolution", ctx,
                          out->analysis_px_per_mm);
    return SCAR_OK;
}
