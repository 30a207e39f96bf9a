/* synth_skin.h — test helper: a small synthetic skin photo with disc-shaped
 * lesions of known position, radius and colour change, under a linear
 * illumination gradient and deterministic noise. The truth is the geometry
 * itself (independent of the code under test). */
#ifndef SCAR_TEST_SYNTH_SKIN_H
#define SCAR_TEST_SYNTH_SKIN_H

#include <math.h>
#include <stdint.h>

#include "scarscore.h"

typedef struct synth_disc {
    double cx, cy, r;      /* px */
    double dlab[3];        /* Lab change inside */
} synth_disc;

/* Deterministic LCG noise in [-1, 1). */
static inline double synth_noise(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(*s >> 11) / 4503599627370496.0 - 1.0;
}

/* Pixel x of an 8-bit RGB row set to the sRGB of `lab`, clipped. */
static inline void synth_put_lab(uint8_t *row, uint32_t x, const double lab[3])
{
    double rgb[3];
    scar_lab_to_srgb(lab, rgb);
    for (int c = 0; c < 3; c++) {
        double v = rgb[c] < 0 ? 0 : rgb[c] > 1 ? 1 : rgb[c];
        row[3 * x + c] = (uint8_t)lround(v * 255.0);
    }
}

/* 8-bit RGB image of skin `base` Lab with discs; background_left_px columns
 * on the left are painted blue (not skin) when > 0. */
static inline scar_image *synth_skin(uint32_t w, uint32_t h, const double base[3],
                                     const synth_disc *d, int nd,
                                     uint32_t background_left_px, double noise)
{
    scar_image *img = NULL;
    if (scar_image_new(w, h, 3, 8, &img) != SCAR_OK)
        return NULL;
    uint64_t seed = 12345;
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *row = scar_image_row(img, y);
        for (uint32_t x = 0; x < w; x++) {
            double lab[3] = {base[0], base[1], base[2]};
            if (x < background_left_px) {
                lab[0] = 40;
                lab[1] = 10;
                lab[2] = -45;
            } else {
                for (int i = 0; i < nd; i++) {
                    double dx = x - d[i].cx, dy = y - d[i].cy;
                    if (dx * dx + dy * dy <= d[i].r * d[i].r)
                        for (int c = 0; c < 3; c++)
                            lab[c] += d[i].dlab[c];
                }
                lab[0] *= 0.9 + 0.2 * (double)x / w; /* uneven light */
                lab[0] += noise * synth_noise(&seed);
                lab[1] += 0.5 * noise * synth_noise(&seed);
                lab[2] += 0.5 * noise * synth_noise(&seed);
            }
            synth_put_lab(row, x, lab);
        }
    }
    return img;
}

#endif
