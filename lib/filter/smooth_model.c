/* smooth_model.c — a slowly varying masked local mean kept at reduced
 * resolution and interpolated one full-resolution row at a time.
 *
 * Same numbers as the full-plane path (lib/segment/lowres.c: masked area
 * downsample, normalized Gaussian on the coarse grid, bilinear back to full
 * size), but the full-size plane is never stored: callers that read the
 * model row by row (glare, shadow, hair tests) save 4 bytes per pixel and
 * one full-size write and read per model. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter/filter.h"
#include "filter/filter_internal.h"
#include "scarscore.h"

void scar__smooth_model_free(scar__smooth_model *m)
{
    if (!m)
        return;
    scar__plane_free(m->small.data);
    free(m->x0);
    free(m->x1);
    free(m->fx);
    free(m->y0);
    free(m->y1);
    free(m->fy);
    free(m->row);
    memset(m, 0, sizeof *m);
}

int scar__smooth_model_init(const scar__planef *in, const scar__mask *mask,
                            double sigma_px, const char *ctx,
                            scar__smooth_model *m)
{
    static const char op[] = "smooth_model";
    memset(m, 0, sizeof *m);
    int st;
    if ((st = scar__filter_check_planef(in, ctx, op, "in")) != SCAR_OK ||
        (st = scar__filter_check_mask(mask, ctx, op, "mask")) != SCAR_OK ||
        (st = scar__filter_check_same_size(in->width, in->height, mask->width,
                                           mask->height, ctx, op, "in",
                                           "mask")) != SCAR_OK)
        return st;
    if (!(sigma_px > 0.0) || !isfinite(sigma_px))
        return scar__fail(SCAR_E_INVALID, "%s: %s: sigma %g is not a positive "
                          "finite number of pixels", SCAR__FILTER_CTX(ctx), op,
                          sigma_px);
    const uint32_t w = in->width, h = in->height;
    /* Global mean of the valid pixels (row-major, in double): the fill value
     * far from any skin. */
    double sum = 0.0;
    uint64_t n = 0;
    for (uint32_t y = 0; y < h; y++) {
        const float *r = scar__planef_row(in, y);
        const uint8_t *k = scar__mask_row(mask, y);
        for (uint32_t x = 0; x < w; x++)
            if (k[x]) {
                sum += r[x];
                n++;
            }
    }
    if (n == 0)
        return scar__fail(SCAR_E_INVALID, "%s: no skin pixel to model",
                          SCAR__FILTER_CTX(ctx));
    const float fill = (float)(sum / (double)n);
    /* The Gaussian stays at least 3 coarse pixels wide (lowres.h). */
    const uint32_t f = sigma_px >= 6.0 ? (uint32_t)floor(sigma_px / 3.0) : 1;
    const uint32_t sw = scar__downsampled_size(w, f);
    const uint32_t sh = scar__downsampled_size(h, f);
    m->width = w;
    m->height = h;
    m->factor = f;
    scar__planef valid = {0};
    scar__mask smask = {0};
    const char *c = SCAR__FILTER_CTX(ctx);
    st = scar__planef_alloc(sw, sh, c, &m->small);
    if (!st) st = scar__planef_alloc(sw, sh, c, &valid);
    if (!st) st = scar__mask_alloc(sw, sh, c, &smask);
    if (!st)
        st = scar__downsample_area_masked(in, mask, f, &m->small, &valid, fill,
                                          ctx);
    if (!st) {
        for (uint32_t y = 0; y < sh; y++) {
            const float *v = scar__planef_row(&valid, y);
            uint8_t *k = scar__mask_row(&smask, y);
            for (uint32_t x = 0; x < sw; x++)
                k[x] = v[x] >= 0.25f;
        }
        st = scar__gaussian_masked(&m->small, &smask, &m->small, sigma_px / f,
                                   fill, ctx);
    }
    scar__plane_free(valid.data);
    scar__plane_free(smask.data);
    if (!st && f > 1) {
        m->x0 = malloc((size_t)w * sizeof *m->x0);
        m->x1 = malloc((size_t)w * sizeof *m->x1);
        m->fx = malloc((size_t)w * sizeof *m->fx);
        m->y0 = malloc((size_t)h * sizeof *m->y0);
        m->y1 = malloc((size_t)h * sizeof *m->y1);
        m->fy = malloc((size_t)h * sizeof *m->fy);
        m->row = malloc((size_t)sw * sizeof *m->row);
        if (!m->x0 || !m->x1 || !m->fx || !m->y0 || !m->y1 || !m->fy || !m->row)
            st = scar__fail(SCAR_E_NOMEM, "%s: %s: out of memory for the "
                            "interpolation tables", c, op);
        else {
            scar__bilinear_axis(sw, w, m->x0, m->x1, m->fx);
            scar__bilinear_axis(sh, h, m->y0, m->y1, m->fy);
        }
    }
    if (st)
        scar__smooth_model_free(m);
    return st;
}

void scar__smooth_model_row(scar__smooth_model *m, uint32_t y, float *out)
{
    const uint32_t w = m->width;
    if (m->factor == 1) {
        memcpy(out, scar__planef_row(&m->small, y), (size_t)w * sizeof *out);
        return;
    }
    /* The expressions of scar__upsample_bilinear, so the values are equal. */
    const uint32_t iw = m->small.width;
    const float *restrict a = scar__planef_row(&m->small, m->y0[y]);
    const float *restrict b = scar__planef_row(&m->small, m->y1[y]);
    const float wb = m->fy[y], wa = 1.0f - wb;
    float *restrict row = m->row;
    for (uint32_t x = 0; x < iw; x++)
        row[x] = wa * a[x] + wb * b[x];
    const uint32_t *restrict x0 = m->x0, *restrict x1 = m->x1;
    const float *restrict fx = m->fx;
    for (uint32_t x = 0; x < w; x++)
        out[x] = (1.0f - fx[x]) * row[x0[x]] + fx[x] * row[x1[x]];
}
