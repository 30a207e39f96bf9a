/* ita.c — Individual Typology Angle and its skin-tone categories.
 * ITA: Chardon, Cretois, Hourseau, "Skin colour typology and suntanning
 * pathways", Int. J. Cosmet. Sci. 13:191-208, 1991.
 * Categories: Del Bino, Sok, Bessac, Bernerd, "Relationship between skin
 * response to ultraviolet exposure and skin color type", Pigment Cell Res.
 * 19:606-614, 2006 (very light > 55 > light > 41 > intermediate > 28 > tan
 * > 10 > brown > -30 > dark). */
#include <math.h>

#include "color_internal.h"

double scar_ita(double L, double b)
{
    double y = L - 50.0;
    if (y == 0.0 && b == 0.0)
        return NAN; /* no angle; also avoids atan2's signed-zero 0/180 */
    /* atan2 puts b* <= 0 in the right quadrant: the published
     * atan((L*-50)/b*) is its b* > 0 half. */
    return atan2(y, b) * (180.0 / 3.14159265358979323846);
}

scar_ita_category scar_ita_category_of(double ita)
{
    /* Boundaries belong to the darker category (x > limit is lighter). */
    if (isnan(ita))
        return SCAR_ITA_UNDEFINED;
    if (ita > 55.0)
        return SCAR_ITA_VERY_LIGHT;
    if (ita > 41.0)
        return SCAR_ITA_LIGHT;
    if (ita > 28.0)
        return SCAR_ITA_INTERMEDIATE;
    if (ita > 10.0)
        return SCAR_ITA_TAN;
    if (ita > -30.0)
        return SCAR_ITA_BROWN;
    return SCAR_ITA_DARK;
}

const char *scar_ita_category_name(scar_ita_category c)
{
    switch (c) {
    case SCAR_ITA_VERY_LIGHT: return "very light";
    case SCAR_ITA_LIGHT: return "light";
    case SCAR_ITA_INTERMEDIATE: return "intermediate";
    case SCAR_ITA_TAN: return "tan";
    case SCAR_ITA_BROWN: return "brown";
    case SCAR_ITA_DARK: return "dark";
    case SCAR_ITA_UNDEFINED: break;
    }
    return "undefined";
}
