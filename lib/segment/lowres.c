/* lowres.c — masked Gaussian at reduced resolution; see lowres.h.
 *
 * A thin wrapper: the model is built and interpolated by scar__smooth_model
 * (lib/filter/smooth_model.c), which keeps only the coarse grid; here its
 * rows are written into a full-size plane for callers that want one. */
#include "segment/lowres.h"

#include <math.h>

#include "error.h"
#include "filter/filter.h"
#include "scarscore.h"

int scar__smooth_masked_lowres(const scar__planef *in, const scar__mask *mask,
                               double sigma_px, scar__planef *out,
                               const char *ctx)
{
    if (!in || !mask || !out || !in->data || !mask->data || !out->data ||
        !(sigma_px > 0.0) || !isfinite(sigma_px) ||
        out->width != in->width || out->height != in->height)
        return scar__fail(SCAR_E_INVALID, "%s: bad arguments to the local skin "
                          "model", ctx);
    scar__smooth_model model;
    int st = scar__smooth_model_init(in, mask, sigma_px, ctx, &model);
    if (st)
        return st;
    for (uint32_t y = 0; y < in->height; y++)
        scar__smooth_model_row(&model, y, scar__planef_row(out, y));
    scar__smooth_model_free(&model);
    return SCAR_OK;
}
