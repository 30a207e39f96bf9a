/* public.c — the public texture entry points (include/scarscore.h): thin
 * wrappers that build plane views and call the internal functions. */
#include "texture/texture.h"

#include <stdlib.h>

#include "error.h"

static int mask_view(const uint8_t *mask, size_t mask_stride, uint32_t w,
                     uint32_t h, const char *fn, scar__mask *view,
                     const scar__mask **out)
{
    *out = NULL;
    if (!mask)
        return SCAR_OK;
    if (mask_stride < w)
        return scar__fail(SCAR_E_INVALID,
                          "%s: mask_stride %zu is below width %u", fn,
                          mask_stride, w);
    view->data = (uint8_t *)mask; /* read only: the views are not const */
    view->width = w;
    view->height = h;
    view->stride = mask_stride;
    *out = view;
    return SCAR_OK;
}

SCAR_API int scar_glcm_features(const uint8_t *image, size_t stride,
                                uint32_t width, uint32_t height,
                                const uint8_t *mask, size_t mask_stride,
                                uint32_t levels, const uint32_t *distances,
                                uint32_t n_distances,
                                scar_glcm_props *out)
{
    scar__mask mv;
    const scar__mask *m;
    int st = mask_view(mask, mask_stride, width, height,
                       "scar_glcm_features", &mv, &m);
    if (st)
        return st;
    return scar__glcm_features_u8(image, stride, width, height, m, levels,
                                  distances, n_distances, out);
}

SCAR_API int scar_lbp_uniform(const float *image, size_t stride,
                              uint32_t width, uint32_t height,
                              const uint8_t *mask, size_t mask_stride,
                              uint8_t *codes, size_t codes_stride,
                              double hist[SCAR_LBP_BINS])
{
    static const char fn[] = "scar_lbp_uniform";
    if (!image || width == 0 || height == 0 || stride < width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: image is NULL, empty (%ux%u) or has stride "
                          "%zu < width", fn, width, height, stride);
    if (!codes && !hist)
        return scar__fail(SCAR_E_INVALID,
                          "%s: codes and hist are both NULL; ask for at "
                          "least one", fn);
    if (codes && codes_stride < width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: codes_stride %zu is below width %u", fn,
                          codes_stride, width);
    if ((uint64_t)width * height > SCAR__TEX_MAX_PIXELS)
        return scar__fail(SCAR_E_LIMIT, "%s: %ux%u patch above the limit of "
                          "%llu pixels", fn, width, height,
                          (unsigned long long)SCAR__TEX_MAX_PIXELS);
    scar__mask mv;
    const scar__mask *m;
    int st = mask_view(mask, mask_stride, width, height, fn, &mv, &m);
    if (st)
        return st;
    scar__planef in = {(float *)image, width, height, stride};
    scar__mask cv = {codes, width, height, codes_stride};
    uint8_t *own = NULL;
    if (!codes) {
        own = malloc((size_t)width * height);
        if (!own)
            return scar__fail(SCAR_E_NOMEM, "%s: out of memory for %ux%u "
                              "codes", fn, width, height);
        cv.data = own;
        cv.stride = width;
    }
    st = scar__lbp_uniform(&in, &cv);
    if (!st && hist)
        st = scar__lbp_histogram(&cv, m, hist, NULL);
    free(own);
    return st;
}

SCAR_API double scar_chi2_distance(const double *h1, const double *h2,
                                   uint32_t bins)
{
    return scar__chi2_distance(h1, h2, bins);
}
