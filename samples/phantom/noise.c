/* noise.c — lattice value noise, see noise.h. */
#include "noise.h"

#include <math.h>
#include <stdlib.h>

static inline double fade(double t)
{
    return t * t * t * (t * (t * 6.0 - 15.0) + 10.0);
}

int noise_fbm_init(noise_fbm *f, prng *r, uint32_t w, uint32_t h,
                   double coarsest_px, double finest_px, double gain)
{
    f->n = 0;
    if (finest_px < 1.5)
        finest_px = 1.5;
    double sumsq = 0.0, amp = 1.0;
    for (double sp = coarsest_px; sp >= finest_px * 0.999 && f->n < NOISE_MAX_OCTAVES;
         sp *= 0.5, amp *= gain) {
        noise_octave *o = &f->oct[f->n];
        double ang = prng_range(r, 0.0, 6.283185307179586);
        o->c = cos(ang);
        o->s = sin(ang);
        o->inv_s = 1.0 / sp;
        /* Bounding box of the rotated frame in lattice units. */
        double xs[4] = {0, (double)w, 0, (double)w};
        double ys[4] = {0, 0, (double)h, (double)h};
        double minu = 1e300, minv = 1e300, maxu = -1e300, maxv = -1e300;
        for (int i = 0; i < 4; i++) {
            double u = (o->c * xs[i] + o->s * ys[i]) * o->inv_s;
            double v = (-o->s * xs[i] + o->c * ys[i]) * o->inv_s;
            minu = fmin(minu, u), maxu = fmax(maxu, u);
            minv = fmin(minv, v), maxv = fmax(maxv, v);
        }
        o->ox = 1.0 - minu + prng_uniform(r);
        o->oy = 1.0 - minv + prng_uniform(r);
        o->gw = (int)ceil(maxu - minu) + 4;
        o->gh = (int)ceil(maxv - minv) + 4;
        o->v = malloc((size_t)o->gw * (size_t)o->gh * sizeof(float));
        if (!o->v) {
            noise_fbm_free(f);
            return -1;
        }
        for (size_t i = 0; i < (size_t)o->gw * (size_t)o->gh; i++)
            o->v[i] = (float)prng_range(r, -1.0, 1.0);
        o->amp = (float)amp;
        sumsq += amp * amp;
        f->n++;
    }
    /* Uniform[-1,1] has sd 0.577; quintic bilinear interpolation of
     * independent corners lowers it to about 0.40 (measured), hence 0.40. */
    double norm = f->n ? 1.0 / (0.40 * sqrt(sumsq)) : 0.0;
    for (int i = 0; i < f->n; i++)
        f->oct[i].amp = (float)(f->oct[i].amp * norm);
    return 0;
}

void noise_fbm_free(noise_fbm *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->oct[i].v);
    f->n = 0;
}

static inline float octave_at(const noise_octave *o, double x, double y)
{
    double u = (o->c * x + o->s * y) * o->inv_s + o->ox;
    double v = (-o->s * x + o->c * y) * o->inv_s + o->oy;
    int iu = (int)u, iv = (int)v; /* u, v >= 1 by construction */
    if (iu < 0) iu = 0;
    if (iv < 0) iv = 0;
    if (iu > o->gw - 2) iu = o->gw - 2;
    if (iv > o->gh - 2) iv = o->gh - 2;
    double tu = fade(u - iu), tv = fade(v - iv);
    const float *p = o->v + (size_t)iv * (size_t)o->gw + (size_t)iu;
    double a = p[0] + (p[1] - p[0]) * tu;
    double b = p[o->gw] + (p[o->gw + 1] - p[o->gw]) * tu;
    return (float)(a + (b - a) * tv);
}

float noise_fbm_at(const noise_fbm *f, double x, double y)
{
    float sum = 0.0f;
    for (int i = 0; i < f->n; i++)
        sum += f->oct[i].amp * octave_at(&f->oct[i], x, y);
    return sum;
}

void noise_fbm_row(const noise_fbm *f, uint32_t y, uint32_t x0, uint32_t n,
                   float *out)
{
    for (uint32_t i = 0; i < n; i++)
        out[i] = 0.0f;
    double yc = y + 0.5;
    for (int k = 0; k < f->n; k++) {
        const noise_octave *o = &f->oct[k];
        for (uint32_t i = 0; i < n; i++)
            out[i] += o->amp * octave_at(o, x0 + i + 0.5, yc);
    }
}
