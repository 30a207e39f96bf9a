/* light_axis.c — the dominant light axis of a photo from its micro-relief;
 * see segment.h and docs/segment.md.
 *
 * Skin micro-relief is lit by the same directional light as a scar, so the
 * L* residual's gradients line up with the light's azimuth: the major
 * eigenvector of their structure tensor (Bigun & Granlund 1987) is the
 * light axis (its sign is not known). */
#include <math.h>

#include "segment/robust.h"
#include "segment/segment.h"

#define LIGHT_STEP_MM 0.25      /* gradient baseline */
/* Light sign from pores (depressions): the wall on the light's side of a
 * pit faces away from the light and is darker than the far wall. Pores
 * are strict 3 x 3 minima of zL at least LIGHT_PORE_Z below the mean of
 * zL LIGHT_PORE_WALL_MM away along and across the axis; each gives the
 * difference of zL LIGHT_PORE_WALL_MM behind and ahead of it along the
 * axis; the sign is known when the mean difference is LIGHT_SIGN_T
 * standard errors from 0 with at least LIGHT_PORE_MIN pores. */
#define LIGHT_PORE_Z 0.5f
#define LIGHT_PORE_WALL_MM 0.25
#define LIGHT_SIGN_T 2.0
#define LIGHT_PORE_MIN 30

/* Dominant light axis (unit vector, sign arbitrary) from the structure
 * tensor of zL differences over `step` px on a sparse grid of skin. */
void scar__light_axis(const scar__planef *zL, const scar__mask *skin,
                      double ppm, double *ux, double *uy)
{
    uint32_t w = zL->width, h = zL->height;
    uint32_t d = (uint32_t)lround(LIGHT_STEP_MM * ppm);
    if (d < 1)
        d = 1;
    uint32_t grid = scar__stat_step(w, h);
    double jxx = 0, jxy = 0, jyy = 0;
    for (uint32_t y = d; y + d < h; y += grid) {
        const float *r = scar__planef_row(zL, y);
        const float *ru = scar__planef_row(zL, y - d);
        const float *rd = scar__planef_row(zL, y + d);
        const uint8_t *s = scar__mask_row(skin, y);
        for (uint32_t x = d; x + d < w; x += grid) {
            if (!s[x])
                continue;
            double gx = (double)r[x + d] - r[x - d];
            double gy = (double)rd[x] - ru[x];
            if (!isfinite(gx) || !isfinite(gy))
                continue;
            /* clip: a lesion edge must not decide the axis */
            double g2 = gx * gx + gy * gy;
            if (g2 > 100.0) {
                double k = 10.0 / sqrt(g2);
                gx *= k;
                gy *= k;
            }
            jxx += gx * gx;
            jxy += gx * gy;
            jyy += gy * gy;
        }
    }
    double th = 0.5 * atan2(2.0 * jxy, jxx - jyy);
    *ux = cos(th);
    *uy = sin(th);
}

/* Bilinear sample of p at (x, y), NaN outside or next to a NaN. */
static double bilinear(const scar__planef *p, double x, double y)
{
    if (!(x >= 0.0 && y >= 0.0))
        return NAN;
    uint32_t x0 = (uint32_t)x, y0 = (uint32_t)y;
    if (x0 + 1 >= p->width || y0 + 1 >= p->height)
        return NAN;
    double fx = x - x0, fy = y - y0;
    const float *r0 = scar__planef_row(p, y0), *r1 = scar__planef_row(p, y0 + 1);
    return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x0 + 1]) +
           fy * ((1 - fx) * r1[x0] + fx * r1[x0 + 1]);
}

int scar__light_sign(const scar__planef *zL, const scar__mask *skin,
                     double ppm, double ux, double uy)
{
    uint32_t w = zL->width, h = zL->height;
    double t = fmax(1.0, LIGHT_PORE_WALL_MM * ppm);
    double n = 0, mean = 0, m2 = 0;
    for (uint32_t y = 1; y + 1 < h; y++) {
        const float *ru = scar__planef_row(zL, y - 1);
        const float *r = scar__planef_row(zL, y);
        const float *rd = scar__planef_row(zL, y + 1);
        const uint8_t *s = scar__mask_row(skin, y);
        for (uint32_t x = 1; x + 1 < w; x++) {
            float c = r[x];
            if (!s[x] || !isfinite(c))
                continue;
            /* a strict local minimum of its 3 x 3 neighbourhood */
            if (!(c < ru[x - 1] && c < ru[x] && c < ru[x + 1] && c < r[x - 1] &&
                  c < r[x + 1] && c < rd[x - 1] && c < rd[x] && c < rd[x + 1]))
                continue;
            double behind = bilinear(zL, x - t * ux, y - t * uy);
            double ahead = bilinear(zL, x + t * ux, y + t * uy);
            double left = bilinear(zL, x - t * uy, y + t * ux);
            double right = bilinear(zL, x + t * uy, y - t * ux);
            /* a pore is a dip below its own walls, not any minimum of a
             * broad dark area (a shaded slope) */
            double dip = c - 0.25 * (behind + ahead + left + right);
            double d = behind - ahead;
            if (!isfinite(d) || !isfinite(dip) || !(dip < -LIGHT_PORE_Z))
                continue;
            n += 1;
            double dm = d - mean;
            mean += dm / n;
            m2 += dm * (d - mean);
        }
    }
    if (n < LIGHT_PORE_MIN)
        return 0;
    double se = sqrt(m2 / (n - 1) / n);
    if (!(se > 0))
        return 0;
    double tstat = mean / se;
    return tstat >= LIGHT_SIGN_T ? 1 : tstat <= -LIGHT_SIGN_T ? -1 : 0;
}

void scar__maps_light(const scar__anomaly_maps *maps, const scar__mask *skin,
                      double ppm, double *ux, double *uy, int *sign)
{
    if (maps->light.known) {
        *ux = maps->light.ux;
        *uy = maps->light.uy;
        if (sign)
            *sign = maps->light.sign;
        return;
    }
    scar__light_axis(&maps->zL, skin, ppm, ux, uy);
    if (sign)
        *sign = scar__light_sign(&maps->zL, skin, ppm, *ux, *uy);
}
