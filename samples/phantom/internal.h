/* internal.h — the steps of phantom_generate(), one file each:
 * scene.c (relief, lesions, hairs, the clean render), camera.c (light,
 * glare, optics, sensor noise, sRGB), truth.c (per-lesion truth), io.c
 * (JPEG, PNG, JSON). */
#ifndef PHANTOM_INTERNAL_H
#define PHANTOM_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "phantom.h"
#include "rng.h"

/* Stream purposes for prng_init(ph->p.seed, purpose). */
enum {
    STREAM_PARAMS = 1,
    STREAM_PLACE = 2,
    STREAM_RELIEF = 3,
    STREAM_PORES = 4,
    STREAM_PIGMENT = 5,
    STREAM_HAIRS = 6,
    STREAM_LIGHT = 7,
    STREAM_GLARE = 8,
    STREAM_NOISE = 9,
    STREAM_LESION_MOD = 10,
    STREAM_CLUSTER = 11,
    STREAM_TEXTURE = 12,
    STREAM_LESION = 100 /* + lesion index */
};

/* IEC 61966-2-1 sRGB transfer functions. */
static inline double srgb_to_linear(double v)
{
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}
static inline double linear_to_srgb(double v)
{
    return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

/* linear_to_srgb() tabulated at 65536 steps and linearly interpolated
 * (error < 2e-7, far below a 16-bit step): the per-pixel pow() would
 * otherwise dominate the render time. Built per call, never global. */
#define SRGB_LUT_N 65536
typedef struct srgb_lut {
    float t[SRGB_LUT_N + 2];
} srgb_lut;

static inline void srgb_lut_init(srgb_lut *l)
{
    for (int i = 0; i <= SRGB_LUT_N; i++)
        l->t[i] = (float)linear_to_srgb((double)i / SRGB_LUT_N);
    l->t[SRGB_LUT_N + 1] = l->t[SRGB_LUT_N];
}

/* v clamped to [0, 1] first. */
static inline double srgb_lut_encode(const srgb_lut *l, double v)
{
    v = v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
    double x = v * SRGB_LUT_N;
    int i = (int)x;
    return l->t[i] + (l->t[i + 1] - l->t[i]) * (x - i);
}

/* Scratch planes shared by the steps (W*H each unless noted). */
typedef struct scene {
    float *height;      /* surface height, mm (up = +) */
    float *lesion_g;    /* colour contrast profile of the lesion here, 0..1 */
    uint8_t *lesion_ix; /* 0 = none, i + 1 = ph->les[i] */
    float *hair_alpha;  /* hair coverage 0..1 */
    float *clean_lin;   /* W*H*3 linear RGB of the clean render */
    double od_base[3];  /* optical density of the base skin colour */
} scene;

/* scene.c: fills height, lesion_g, lesion_ix, labels, hair_alpha, excluded,
 * clean_lin and ph->clean. Returns 0 or -1 (out of memory). */
int scene_render(phantom *ph, scene *sc);

/* camera.c: from clean_lin, the photo as a camera records it (ph->photo). */
int camera_render(phantom *ph, const scene *sc);

/* truth.c: per-lesion area, bbox, ring, mean Lab and dE00 from ph->clean. */
int truth_measure(phantom *ph);

/* io.c */
int io_write_jpeg(const char *path, const uint8_t *rgb, uint32_t w, uint32_t h,
                  int quality, char *err, size_t errlen);
int io_write_png16(const char *path, const uint16_t *px, uint32_t w,
                   uint32_t h, int channels, char *err, size_t errlen);
int io_write_truth_json(const char *path, const phantom *ph, const char *prefix,
                        char *err, size_t errlen);

#endif
