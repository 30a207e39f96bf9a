/* args.c — argument checks shared by the lib/filter functions, so every
 * function rejects bad planes with the same kind of message. */
#include "filter/filter_internal.h"

#include "error.h"
#include "scarscore.h"

int scar__filter_check_planef(const scar__planef *p, const char *ctx,
                              const char *op, const char *name)
{
    ctx = SCAR__FILTER_CTX(ctx);
    if (!p || !p->data)
        return scar__fail(SCAR_E_INVALID, "%s: %s: plane '%s' is NULL", ctx, op,
                          name);
    if (p->width == 0 || p->height == 0)
        return scar__fail(SCAR_E_INVALID, "%s: %s: plane '%s' is empty (%ux%u)",
                          ctx, op, name, p->width, p->height);
    if (p->stride < p->width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s: plane '%s' has stride %zu < width %u", ctx,
                          op, name, p->stride, p->width);
    return SCAR_OK;
}

int scar__filter_check_mask(const scar__mask *m, const char *ctx,
                            const char *op, const char *name)
{
    ctx = SCAR__FILTER_CTX(ctx);
    if (!m || !m->data)
        return scar__fail(SCAR_E_INVALID, "%s: %s: mask '%s' is NULL", ctx, op,
                          name);
    if (m->width == 0 || m->height == 0)
        return scar__fail(SCAR_E_INVALID, "%s: %s: mask '%s' is empty (%ux%u)",
                          ctx, op, name, m->width, m->height);
    if (m->stride < m->width)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s: mask '%s' has stride %zu < width %u", ctx,
                          op, name, m->stride, m->width);
    return SCAR_OK;
}

int scar__filter_check_same_size(uint32_t aw, uint32_t ah, uint32_t bw,
                                 uint32_t bh, const char *ctx, const char *op,
                                 const char *a, const char *b)
{
    if (aw != bw || ah != bh)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %s: '%s' is %ux%u but '%s' is %ux%u (sizes must "
                          "match)",
                          SCAR__FILTER_CTX(ctx), op, a, aw, ah, b, bw, bh);
    return SCAR_OK;
}
