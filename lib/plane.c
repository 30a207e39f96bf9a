/* plane.c — allocation of owned planes (see plane.h). */
#include "plane.h"

#include <stdlib.h>

#include "error.h"
#include "scarscore.h"

static void *alloc_plane(uint32_t width, uint32_t height, size_t elem,
                         const char *ctx)
{
    if (width == 0 || height == 0) {
        scar__fail(SCAR_E_INVALID, "%s: zero-sized plane %ux%u", ctx, width, height);
        return NULL;
    }
    uint64_t n = (uint64_t)width * height;
    if (n > SIZE_MAX / elem) {
        scar__fail(SCAR_E_LIMIT, "%s: %ux%u plane does not fit in memory", ctx,
                   width, height);
        return NULL;
    }
    void *p = calloc((size_t)n, elem);
    if (!p)
        scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u plane", ctx,
                   width, height);
    return p;
}

#define DEFINE_ALLOC(fn, type, field_t)                                        \
    int fn(uint32_t width, uint32_t height, const char *ctx, type *out)        \
    {                                                                          \
        out->data = alloc_plane(width, height, sizeof(field_t), ctx);          \
        if (!out->data) {                                                      \
            out->width = out->height = 0;                                      \
            out->stride = 0;                                                   \
            return (width && height) ? SCAR_E_NOMEM : SCAR_E_INVALID;          \
        }                                                                      \
        out->width = width;                                                    \
        out->height = height;                                                  \
        out->stride = width;                                                   \
        return SCAR_OK;                                                        \
    }

DEFINE_ALLOC(scar__planef_alloc, scar__planef, float)
DEFINE_ALLOC(scar__mask_alloc, scar__mask, uint8_t)
DEFINE_ALLOC(scar__labels_alloc, scar__labels, int32_t)

void scar__plane_free(void *data) { free(data); }
