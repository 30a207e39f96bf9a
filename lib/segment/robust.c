/* robust.c — median / MAD; see robust.h. */
#include "segment/robust.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "error.h"
#include "scarscore.h"

/* Wirth's selection ("Algorithms + Data Structures = Programs", 1976),
 * a quickselect that partitions around the current k-th element. */
float scar__select_kth(float *v, size_t n, size_t k)
{
    ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (l < m) {
        float x = v[kk];
        ptrdiff_t i = l, j = m;
        do {
            while (v[i] < x)
                i++;
            while (x < v[j])
                j--;
            if (i <= j) {
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk)
            l = i;
        if (kk < i)
            m = j;
    }
    return v[kk];
}

float scar__median_inplace(float *v, size_t n)
{
    return scar__select_kth(v, n, (n - 1) / 2);
}

uint32_t scar__stat_step(uint32_t w, uint32_t h)
{
    double s = sqrt((double)w * (double)h / 1048576.0);
    return s <= 1.0 ? 1u : (uint32_t)ceil(s);
}

int scar__median_mad(const scar__planef *p, const scar__mask *mask,
                     uint32_t step, const char *ctx, float *median, float *mad)
{
    if (step == 0)
        step = 1;
    size_t cap = (size_t)((p->width + step - 1) / step) *
                 ((p->height + step - 1) / step);
    float *v = malloc((cap ? cap : 1) * sizeof *v);
    if (!v)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (robust statistics)",
                          ctx);
    size_t n = 0;
    for (uint32_t y = 0; y < p->height; y += step) {
        const float *r = scar__planef_row(p, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        for (uint32_t x = 0; x < p->width; x += step)
            if ((!m || m[x]) && isfinite(r[x]))
                v[n++] = r[x];
    }
    if (n == 0) {
        free(v);
        return scar__fail(SCAR_E_INVALID, "%s: no skin sample for robust "
                          "statistics", ctx);
    }
    float med = scar__median_inplace(v, n);
    for (size_t i = 0; i < n; i++)
        v[i] = fabsf(v[i] - med);
    *mad = scar__median_inplace(v, n);
    *median = med;
    free(v);
    return SCAR_OK;
}
