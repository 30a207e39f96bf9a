/* indices.c — melanin index (MI) and erythema index (EI) from linear
 * reflectances, after the narrow-band reflectance meters: B. L. Diffey,
 * R. J. Oliver, P. M. Farr, "A portable instrument for quantifying erythema
 * induced by ultraviolet radiation", Br. J. Dermatol. 111:663-672, 1984, and
 * J. B. Dawson et al., "A theoretical and experimental study of light
 * absorption and scattering by in vivo skin", Phys. Med. Biol. 25:695-709,
 * 1980. The meters' red (~655 nm) and green (~568 nm) bands are stood in for
 * by the camera's linear red and green channels, so values are relative. */
#include <math.h>

#include "color_internal.h"

static double floor_reflectance(double r)
{
    /* fmax also maps NaN to the floor; keep NaN visible instead. */
    if (isnan(r))
        return r;
    return r < SCAR_REFLECTANCE_FLOOR ? SCAR_REFLECTANCE_FLOOR : r;
}

double scar_melanin_index(double red_linear)
{
    return -100.0 * log10(floor_reflectance(red_linear));
}

double scar_erythema_index(double red_linear, double green_linear)
{
    return 100.0 * (log10(floor_reflectance(red_linear)) -
                    log10(floor_reflectance(green_linear)));
}
