/* check.c — argument checks shared by the files of lib/morph. */
#include "morph/morph.h"

#include "error.h"
#include "scarscore.h"

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
