/* check.c — argument checks of lib/texture: the shared plane checks
 * (plane.h) plus the texture size limit and the optional-mask rule. */
#include "texture/texture.h"

#include "error.h"
#include "scarscore.h"

int scar__tex_check_planef(const scar__planef *p, const char *fn,
                           const char *what)
{
    int st = scar__check_planef(p, fn, what);
    if (st != SCAR_OK)
        return st;
    if ((uint64_t)p->width * p->height > SCAR__TEX_MAX_PIXELS)
        return scar__fail(SCAR_E_LIMIT,
                          "%s: %s is %ux%u pixels, above the texture limit "
                          "of %llu; measure a smaller patch",
                          fn, what, p->width, p->height,
                          (unsigned long long)SCAR__TEX_MAX_PIXELS);
    return SCAR_OK;
}

int scar__tex_check_mask(const scar__mask *m, uint32_t w, uint32_t h,
                         const char *fn, const char *what)
{
    if (!m)
        return SCAR_OK; /* NULL mask = every pixel */
    if (!m->data)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s has NULL data; pass NULL for no mask", fn,
                          what);
    if (m->width != w || m->height != h || m->stride < m->width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s is %ux%u with stride %zu but the input is "
                          "%ux%u; pass a mask of the same size",
                          fn, what, m->width, m->height, m->stride, w, h);
    return SCAR_OK;
}
