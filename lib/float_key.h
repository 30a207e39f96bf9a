/* float_key.h — internal: order-preserving integer keys of floats, for
 * exact selection by radix histograms (lib/segment/robust.c,
 * lib/score/stats.c). */
#ifndef SCAR_FLOAT_KEY_H
#define SCAR_FLOAT_KEY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Flip the sign bit of positives, all bits of negatives: a < b implies
 * key(a) < key(b) for finite floats; -0.0 gets the key just below +0.0. */
static inline uint32_t scar__float_key(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

/* Inverse of scar__float_key. */
static inline float scar__key_float(uint32_t k)
{
    uint32_t u = (k & 0x80000000u) ? (k & 0x7fffffffu) : ~k;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Index of the histogram bin holding rank *k (0-based); *k becomes the
 * rank within that bin. The ranks must be < the histogram's total. */
static inline uint32_t scar__rank_bin(const uint32_t *hist, size_t *k)
{
    uint32_t b = 0;
    while (*k >= hist[b]) {
        *k -= hist[b];
        b++;
    }
    return b;
}

#endif
