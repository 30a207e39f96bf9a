/* robust.c — median / MAD; see robust.h. */
#include "segment/robust.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "float_key.h"
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

float scar__select_kth_radix(const float *v, size_t n, size_t k,
                             uint32_t *hist)
{
    /* Radix selection (MSD, two 16-bit digits of the key): one counting
     * pass per digit, no reordering, exact. */
    memset(hist, 0, SCAR__RADIX_BINS * sizeof *hist);
    for (size_t i = 0; i < n; i++)
        hist[scar__float_key(v[i]) >> 16]++;
    uint32_t hi = scar__rank_bin(hist, &k);
    memset(hist, 0, SCAR__RADIX_BINS * sizeof *hist);
    for (size_t i = 0; i < n; i++) {
        uint32_t key = scar__float_key(v[i]);
        if (key >> 16 == hi)
            hist[key & 0xffffu]++;
    }
    uint32_t lo = scar__rank_bin(hist, &k);
    return scar__key_float(hi << 16 | lo);
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
    int negzero = 0;
    for (uint32_t y = 0; y < p->height; y += step) {
        const float *r = scar__planef_row(p, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        for (uint32_t x = 0; x < p->width; x += step)
            if ((!m || m[x]) && isfinite(r[x])) {
                v[n++] = r[x];
                negzero |= r[x] == 0.0f && signbit(r[x]);
            }
    }
    if (n == 0) {
        free(v);
        return scar__fail(SCAR_E_INVALID, "%s: no skin sample for robust "
                          "statistics", ctx);
    }
    int st = scar__median_mad_samples(v, n, negzero, ctx, median, mad);
    free(v);
    return st;
}

int scar__median_mad_samples(float *v, size_t n, int negzero, const char *ctx,
                             float *median, float *mad)
{
    uint32_t *hist = malloc(SCAR__RADIX_BINS * sizeof *hist);
    if (!hist)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (robust statistics)",
                          ctx);
    /* A zero median is returned with the sign quickselect (Wirth) gives
     * when both zeros occur, so results stay those of the sorting-based
     * definition bit for bit; otherwise radix selection is exact. */
    float med = negzero ? scar__median_inplace(v, n)
                        : scar__select_kth_radix(v, n, (n - 1) / 2, hist);
    for (size_t i = 0; i < n; i++)
        v[i] = fabsf(v[i] - med);
    *mad = scar__select_kth_radix(v, n, (n - 1) / 2, hist);
    *median = med;
    free(hist);
    return SCAR_OK;
}
