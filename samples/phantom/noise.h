/* noise.h — multi-scale value noise (fractional Brownian motion) for skin
 * pigment mottling, the micro-relief height field and slow illumination
 * changes.
 *
 * Each octave is a lattice of independent uniform values on [-1, 1],
 * interpolated with Perlin's quintic fade 6t^5 - 15t^4 + 10t^3 (Perlin,
 * "Improving noise", SIGGRAPH 2002), which is C2 so the height field's
 * gradient (used for shading) has no creases. Every octave has its own random
 * rotation and offset so lattice axes never line up between octaves. */
#ifndef PHANTOM_NOISE_H
#define PHANTOM_NOISE_H

#include <stdint.h>

#include "rng.h"

#define NOISE_MAX_OCTAVES 10

typedef struct noise_octave {
    float *v;           /* gw * gh lattice values */
    int gw, gh;
    double inv_s;       /* 1 / lattice spacing in px */
    double c, s;        /* rotation */
    double ox, oy;      /* lattice offset so coordinates are >= 1 */
    float amp;
} noise_octave;

typedef struct noise_fbm {
    int n;
    noise_octave oct[NOISE_MAX_OCTAVES];
} noise_fbm;

/* Octaves with spacing coarsest_px, coarsest_px/2, ... down to (not below)
 * finest_px (and never below 1.5 px, where they would only alias), amplitude
 * multiplied by `gain` per octave; amplitudes are normalised so the sum has
 * standard deviation close to 1. Covers a w x h frame. Returns 0, or -1 when
 * out of memory. */
int noise_fbm_init(noise_fbm *f, prng *r, uint32_t w, uint32_t h,
                   double coarsest_px, double finest_px, double gain);

void noise_fbm_free(noise_fbm *f);

/* The field at pixel centre (x + 0.5, y + 0.5) for x in [x0, x0 + n),
 * written to out[0..n). */
void noise_fbm_row(const noise_fbm *f, uint32_t y, uint32_t x0, uint32_t n,
                   float *out);

/* One value at an arbitrary point (pixel coordinates). */
float noise_fbm_at(const noise_fbm *f, double x, double y);

#endif
