/* camera.c — what a camera adds to the clean scene: uneven light and
 * vignetting, specular glare, lens blur, shot and read noise, sRGB encoding.
 * (JPEG compression is applied when the photo is written, io.c.) */
#include <math.h>
#include <stdlib.h>

#include "internal.h"
#include "noise.h"

/* Illumination: a linear ramp from lo (0.55-0.8) to hi (0.95-1.1) across the
 * frame in a random direction (a lamp or window to one side), a slow +-4 %
 * undulation, and natural vignetting 1 - k r^2 (k 0.05-0.25, r = 1 at the
 * corners), clamped to 0.5..1.12. */
static int illumination_row_setup(phantom *ph, prng *r, noise_fbm *f,
                                  double *dirx, double *diry)
{
    ph->illum_min = prng_range(r, 0.55, 0.80);
    ph->illum_max = prng_range(r, 0.95, 1.10);
    ph->vignette = prng_range(r, 0.05, 0.25);
    double a = prng_range(r, 0.0, 6.283185307179586);
    *dirx = cos(a);
    *diry = sin(a);
    double big = fmax(ph->p.width, ph->p.height);
    return noise_fbm_init(f, r, ph->p.width, ph->p.height, big / 2.0, big / 4.0, 0.5);
}

typedef struct glare_spot {
    double cx, cy, inv2s2, amp, reach;
} glare_spot;

int camera_render(phantom *ph, const scene *sc)
{
    uint32_t w = ph->p.width, h = ph->p.height;
    double ppm = ph->p.px_per_mm;
    prng r;
    prng_init(&r, ph->p.seed, STREAM_LIGHT + 1000);
    noise_fbm slow, speck;
    double dx, dy;
    if (illumination_row_setup(ph, &r, &slow, &dx, &dy))
        return -1;
    /* Projection range of the frame corners on the ramp direction. */
    double pmin = 1e300, pmax = -1e300;
    for (int i = 0; i < 4; i++) {
        double px = (i & 1) ? w : 0, py = (i & 2) ? h : 0;
        pmin = fmin(pmin, px * dx + py * dy);
        pmax = fmax(pmax, px * dx + py * dy);
    }

    /* Glare: specular reflection of the light source on skin lipids, white
     * (not filtered by pigment) and broken up by the micro-relief. */
    prng gr;
    prng_init(&gr, ph->p.seed, STREAM_GLARE);
    glare_spot spots[4];
    ph->glare_spots = prng_int(&gr, 0, 4);
    for (int i = 0; i < ph->glare_spots; i++) {
        double s = prng_range(&gr, 0.5, 2.5) * ppm;
        spots[i].cx = prng_range(&gr, 0.0, w);
        spots[i].cy = prng_range(&gr, 0.0, h);
        spots[i].inv2s2 = 1.0 / (2.0 * s * s);
        spots[i].amp = prng_range(&gr, 0.10, 0.45);
        spots[i].reach = 3.5 * s;
    }
    if (noise_fbm_init(&speck, &gr, w, h, 0.8 * ppm, 0.1 * ppm, 0.7)) {
        noise_fbm_free(&slow);
        return -1;
    }

    float *lin = malloc((size_t)w * h * 3 * sizeof(float));
    float *tmp = malloc((size_t)w * 3 * sizeof(float));
    float *row = malloc((size_t)w * sizeof(float));
    int rc = -1;
    if (!lin || !tmp || !row)
        goto out;
    double rmax2 = 0.25 * ((double)w * w + (double)h * h);
    for (uint32_t y = 0; y < h; y++) {
        noise_fbm_row(&slow, y, 0, w, row);
        double yc = y + 0.5;
        for (uint32_t x = 0; x < w; x++) {
            double xc = x + 0.5;
            double t = ((xc * dx + yc * dy) - pmin) / (pmax - pmin);
            double ex = xc - 0.5 * w, ey = yc - 0.5 * h;
            double il = (ph->illum_min + (ph->illum_max - ph->illum_min) * t) *
                        (1.0 - ph->vignette * (ex * ex + ey * ey) / rmax2) *
                        (1.0 + 0.04 * row[x]);
            il = il < 0.5 ? 0.5 : il > 1.12 ? 1.12 : il;
            double g = 0.0;
            for (int i = 0; i < ph->glare_spots; i++) {
                double gx = xc - spots[i].cx, gy = yc - spots[i].cy;
                if (fabs(gx) > spots[i].reach || fabs(gy) > spots[i].reach)
                    continue;
                double e = spots[i].amp * exp(-(gx * gx + gy * gy) * spots[i].inv2s2);
                double sp = 0.8 + 0.2 * noise_fbm_at(&speck, xc, yc);
                g += e * (sp < 0 ? 0 : sp);
            }
            size_t k = ((size_t)y * w + x) * 3;
            for (int c = 0; c < 3; c++)
                lin[k + c] = (float)((sc->clean_lin[k + c] + g) * il);
        }
    }

    /* Lens and demosaicing blur: binomial [1 2 1]/4 in x and y
     * (a Gaussian of sigma ~0.7 px). */
    for (uint32_t y = 0; y < h; y++) {
        float *p = lin + (size_t)y * w * 3;
        for (uint32_t x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                uint32_t xl = x ? x - 1 : 0, xr = x + 1 < w ? x + 1 : x;
                tmp[3 * x + c] = 0.25f * p[3 * xl + c] + 0.5f * p[3 * x + c] + 0.25f * p[3 * xr + c];
            }
        for (size_t i = 0; i < (size_t)w * 3; i++)
            p[i] = tmp[i];
    }
    float *prev = malloc((size_t)w * 3 * sizeof(float));
    if (!prev)
        goto out;
    for (size_t i = 0; i < (size_t)w * 3; i++)
        prev[i] = lin[i];
    for (uint32_t y = 0; y < h; y++) {
        float *p = lin + (size_t)y * w * 3;
        const float *nx = y + 1 < h ? p + (size_t)w * 3 : p;
        for (size_t i = 0; i < (size_t)w * 3; i++) {
            float v = 0.25f * prev[i] + 0.5f * p[i] + 0.25f * nx[i];
            prev[i] = p[i];
            p[i] = v;
        }
    }
    free(prev);

    /* Sensor: shot noise of variance v / full_well (Poisson, Gaussian
     * approximation) plus read noise, then clipping and the sRGB curve.
     * An effective full well of 4000-16000 e- at white stands for a base-ISO
     * sensor after the camera's mild noise reduction (phone sensors hold
     * ~4000-6000 e- per pixel before processing). */
    srgb_lut *lut = malloc(sizeof *lut);
    if (!lut)
        goto out;
    srgb_lut_init(lut);
    prng nr;
    prng_init(&nr, ph->p.seed, STREAM_NOISE);
    ph->full_well = prng_range(&nr, 4000.0, 16000.0);
    double read = prng_range(&nr, 0.001, 0.003);
    size_t total = (size_t)w * h * 3;
    for (size_t i = 0; i < total; i += 2) {
        double z[2];
        prng_normal2(&nr, &z[0], &z[1]);
        for (size_t j = i; j < i + 2 && j < total; j++) {
            double v = lin[j];
            v += sqrt(fmax(v, 0.0) / ph->full_well + read * read) * z[j - i];
            ph->photo[j] = (uint8_t)lround(srgb_lut_encode(lut, v) * 255.0);
        }
    }
    free(lut);
    rc = 0;
out:
    free(lin);
    free(tmp);
    free(row);
    noise_fbm_free(&slow);
    noise_fbm_free(&speck);
    return rc;
}
