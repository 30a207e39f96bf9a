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

int scar__check_mask(const scar__mask *m, const char *fn, const char *what)
{
    if (!m || !m->data)
        return scar__fail(SCAR_E_INVALID, "%s: %s is NULL; pass a mask view",
                          fn, what);
    if (m->width == 0 || m->height == 0 || m->stride < m->width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s has size %ux%u and stride %zu; need a "
                          "non-empty plane with stride >= width",
                          fn, what, m->width, m->height, m->stride);
    return SCAR_OK;
}

int scar__check_planef(const scar__planef *p, const char *fn, const char *what)
{
    if (!p || !p->data)
        return scar__fail(SCAR_E_INVALID, "%s: %s is NULL; pass a plane view",
                          fn, what);
    if (p->width == 0 || p->height == 0 || p->stride < p->width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s has size %ux%u and stride %zu; need a "
                          "non-empty plane with stride >= width",
                          fn, what, p->width, p->height, p->stride);
    return SCAR_OK;
}

int scar__check_same_size(uint32_t w, uint32_t h, uint32_t w2, uint32_t h2,
                          const char *fn, const char *what)
{
    if (w != w2 || h != h2)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s is %ux%u but the input is %ux%u; pass "
                          "planes of the same size",
                          fn, what, w2, h2, w, h);
    return SCAR_OK;
}

uint64_t scar__mask_count(const scar__mask *m)
{
    uint64_t n = 0;
    for (uint32_t y = 0; y < m->height; y++) {
        const uint8_t *r = m->data + (size_t)y * m->stride;
        for (uint32_t x = 0; x < m->width; x++)
            n += r[x] != 0;
    }
    return n;
}
