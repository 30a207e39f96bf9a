/* upsample.c — bilinear resampling to any size with half-pixel-centre
 * alignment (the convention of cv2.resize INTER_LINEAR and of
 * skimage.transform.resize order=1, mode='edge'; see filter.h). Source
 * positions and weights are computed once per output column and row in
 * double; each output row is one vertical blend of two input rows (a
 * contiguous loop) followed by a horizontal gather. */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "filter/filter.h"
#include "filter/filter_internal.h"
#include "scarscore.h"

void scar__bilinear_axis(uint32_t n_in, uint32_t n_out, uint32_t *i0,
                         uint32_t *i1, float *f)
{
    const double scale = (double)n_in / (double)n_out;
    for (uint32_t k = 0; k < n_out; k++) {
        double s = ((double)k + 0.5) * scale - 0.5;
        if (s < 0.0)
            s = 0.0;
        if (s > (double)(n_in - 1))
            s = (double)(n_in - 1);
        double fl = floor(s);
        i0[k] = (uint32_t)fl;
        i1[k] = i0[k] + 1 < n_in ? i0[k] + 1 : n_in - 1;
        f[k] = (float)(s - fl);
    }
}

int scar__upsample_bilinear(const scar__planef *in, scar__planef *out,
                            const char *ctx)
{
    static const char op[] = "upsample_bilinear";
    int st;
    if ((st = scar__filter_check_planef(in, ctx, op, "in")) != SCAR_OK ||
        (st = scar__filter_check_planef(out, ctx, op, "out")) != SCAR_OK)
        return st;
    {
        const char *ib = (const char *)in->data;
        const char *ie = (const char *)(scar__planef_row(in, in->height - 1) + in->width);
        const char *ob = (const char *)out->data;
        const char *oe = (const char *)(scar__planef_row(out, out->height - 1) + out->width);
        if (ib < oe && ob < ie)
            return scar__fail(SCAR_E_INVALID,
                              "%s: %s: 'in' and 'out' overlap (use separate "
                              "buffers)",
                              SCAR__FILTER_CTX(ctx), op);
    }
    const uint32_t iw = in->width, ih = in->height;
    const uint32_t ow = out->width, oh = out->height;
    uint32_t *x0 = malloc((size_t)ow * sizeof *x0);
    uint32_t *x1 = malloc((size_t)ow * sizeof *x1);
    float *fx = malloc((size_t)ow * sizeof *fx);
    uint32_t *y0 = malloc((size_t)oh * sizeof *y0);
    uint32_t *y1 = malloc((size_t)oh * sizeof *y1);
    float *fy = malloc((size_t)oh * sizeof *fy);
    float *row = malloc((size_t)iw * sizeof *row);
    if (!x0 || !x1 || !fx || !y0 || !y1 || !fy || !row) {
        st = scar__fail(SCAR_E_NOMEM,
                        "%s: %s: out of memory for the index tables of a "
                        "%ux%u -> %ux%u resize",
                        SCAR__FILTER_CTX(ctx), op, iw, ih, ow, oh);
        goto done;
    }
    scar__bilinear_axis(iw, ow, x0, x1, fx);
    scar__bilinear_axis(ih, oh, y0, y1, fy);
    for (uint32_t y = 0; y < oh; y++) {
        const float *restrict a = scar__planef_row(in, y0[y]);
        const float *restrict b = scar__planef_row(in, y1[y]);
        const float wb = fy[y], wa = 1.0f - wb;
        for (uint32_t x = 0; x < iw; x++)
            row[x] = wa * a[x] + wb * b[x];
        float *restrict o = scar__planef_row(out, y);
        for (uint32_t x = 0; x < ow; x++)
            o[x] = (1.0f - fx[x]) * row[x0[x]] + fx[x] * row[x1[x]];
    }
done:
    free(x0);
    free(x1);
    free(fx);
    free(y0);
    free(y1);
    free(fy);
    free(row);
    return st;
}
