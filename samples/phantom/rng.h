/* rng.h — the phantom generator's own deterministic random numbers.
 *
 * splitmix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014) turns a seed into well-mixed state words and
 * derives independent sub-streams; xoshiro256** (Blackman & Vigna,
 * "Scrambled linear pseudorandom number generators", ACM TOMS 2021) is the
 * stream itself. Never rand(): its sequence differs between C libraries, and
 * the same seed must give the same phantom everywhere. */
#ifndef PHANTOM_RNG_H
#define PHANTOM_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct prng {
    uint64_t s[4];
} prng;

static inline uint64_t prng_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A stream for (seed, purpose): different purposes give independent streams,
 * so adding draws for one part of the scene never shifts another part. */
static inline void prng_init(prng *r, uint64_t seed, uint64_t purpose)
{
    uint64_t x = seed ^ (purpose * 0xd1b54a32d192ed03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = prng_splitmix64(&x);
}

static inline uint64_t prng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t prng_next(prng *r)
{
    uint64_t *s = r->s;
    uint64_t result = prng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = prng_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double prng_uniform(prng *r)
{
    return (double)(prng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [lo, hi). */
static inline double prng_range(prng *r, double lo, double hi)
{
    return lo + (hi - lo) * prng_uniform(r);
}

/* Uniform integer in [lo, hi] (inclusive). */
static inline int prng_int(prng *r, int lo, int hi)
{
    return lo + (int)(prng_uniform(r) * (double)(hi - lo + 1));
}

/* Standard normal, Box-Muller (one of the pair; simple and exact). */
static inline double prng_normal(prng *r)
{
    double u1 = 1.0 - prng_uniform(r); /* (0, 1] so log() is finite */
    double u2 = prng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Two independent standard normals from one Box-Muller draw. */
static inline void prng_normal2(prng *r, double *a, double *b)
{
    double u1 = 1.0 - prng_uniform(r);
    double u2 = prng_uniform(r);
    double m = sqrt(-2.0 * log(u1));
    *a = m * cos(6.283185307179586 * u2);
    *b = m * sin(6.283185307179586 * u2);
}

#endif
