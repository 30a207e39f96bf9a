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

