/* hint.c — what follows from a region's measurements: the colour
 * differences, the pigment class (rule of lib/analyze, docs/metrics.md),
 * the Manchester Scar Scale colour class and the morphology hint. */
#include <math.h>

#include "analyze/analyze_internal.h"
#include "score/score.h"

/* Manchester Scar Scale colour (Beausang et al. 1998): 1 perfect match,
 * 2 slight, 3 obvious, 4 gross mismatch. Cheon et al. (2010) measured the
 * mean CIE76 difference scar vs surrounding skin per class: 4.4, 9.55,
 * 17.76, 29.06. The cut points are the midpoints between consecutive
 * means; a value on a cut point goes to the higher class. */
#define MSS_CUT_12 ((4.4 + 9.55) / 2)    /* 6.975 */
#define MSS_CUT_23 ((9.55 + 17.76) / 2)  /* 13.655 */
#define MSS_CUT_34 ((17.76 + 29.06) / 2) /* 23.41 */

uint32_t scar__score_mss_class(double de76)
{
    if (!isfinite(de76))
        return 0;
    if (de76 < MSS_CUT_12)
        return 1;
    if (de76 < MSS_CUT_23)
        return 2;
    if (de76 < MSS_CUT_34)
        return 3;
    return 4;
}

/* Hint thresholds (docs/metrics.md, "Morphology hint"). Sizes after Jacob,
 * Dover & Kaminer (2001): icepick < 2 mm wide, boxcar 1.5-4 mm, rolling
 * 4-5 mm and wider. */
#define HINT_STRIAE_ELONGATION 3.0
#define HINT_ICEPICK_MAX_MM 2.0
#define HINT_BOXCAR_MAX_MM 4.0
#define HINT_HYPERTROPHIC_MIN_MM 3.0
/* Shading: darker by at least this much L* ... */
#define HINT_SHADE_MIN_DL 1.0
/* ... with a chroma change at most this fraction of |dL*| (a shadow in a
 * depression darkens without adding colour; pigment changes chroma). */
#define HINT_SHADE_MAX_DC_RATIO 0.5

scar_morph_hint scar__score_hint(const scar_region *r)
{
    if (r->ring_area_px <= 0.0 || !isfinite(r->delta_L))
        return SCAR_HINT_NONE;
    if (isfinite(r->elongation) && r->elongation >= HINT_STRIAE_ELONGATION)
        return SCAR_HINT_STRIAE;
    double c_in = hypot(r->lab_inside[1], r->lab_inside[2]);
    double c_ring = hypot(r->lab_ring[1], r->lab_ring[2]);
    double d = r->equivalent_diameter_mm;
    int shaded = r->delta_L <= -HINT_SHADE_MIN_DL &&
                 fabs(c_in - c_ring) <= HINT_SHADE_MAX_DC_RATIO * fabs(r->delta_L);
    if (shaded) {
        if (d < HINT_ICEPICK_MAX_MM)
            return SCAR_HINT_ICEPICK;
        if (d <= HINT_BOXCAR_MAX_MM)
            return SCAR_HINT_BOXCAR;
        return SCAR_HINT_ROLLING;
    }
    if (r->pigment_class == SCAR_CLASS_ERYTHEMA && d >= HINT_HYPERTROPHIC_MIN_MM)
        return SCAR_HINT_HYPERTROPHIC;
    return SCAR_HINT_PATCH;
}

void scar__score_derived(scar_region *r)
{
    r->delta_L = r->lab_inside[0] - r->lab_ring[0];
    r->delta_a = r->lab_inside[1] - r->lab_ring[1];
    r->delta_b = r->lab_inside[2] - r->lab_ring[2];
    r->ita_inside = scar_ita(r->lab_inside[0], r->lab_inside[2]);
    r->ita_ring = scar_ita(r->lab_ring[0], r->lab_ring[2]);
    r->delta_ita = r->ita_inside - r->ita_ring;
    r->delta_mi = r->mi_inside - r->mi_ring;
    r->delta_ei = r->ei_inside - r->ei_ring;
    r->delta_melanin = r->melanin_inside - r->melanin_ring;
    r->delta_haemoglobin = r->haemoglobin_inside - r->haemoglobin_ring;
    r->delta_e00 = scar_delta_e00(r->lab_inside, r->lab_ring);
    r->delta_e76 = scar_delta_e76(r->lab_inside, r->lab_ring);
    r->pigment_class = (uint32_t)scar__pigment_class(r->lab_inside, r->lab_ring,
                                                     r->delta_e00);
    r->mss_color_class = scar__score_mss_class(r->delta_e76);
    r->morph_hint = (uint32_t)scar__score_hint(r);
}

const char *scar_morph_hint_name(scar_morph_hint h)
{
    switch (h) {
    case SCAR_HINT_NONE: return "none";
    case SCAR_HINT_ICEPICK: return "icepick";
    case SCAR_HINT_BOXCAR: return "boxcar";
    case SCAR_HINT_ROLLING: return "rolling";
    case SCAR_HINT_HYPERTROPHIC: return "hypertrophic";
    case SCAR_HINT_STRIAE: return "striae";
    case SCAR_HINT_PATCH: return "patch";
    default: return "unknown";
    }
}
