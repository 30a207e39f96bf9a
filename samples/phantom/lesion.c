/* lesion.c — lesion kinds, placement and profile; see lesion.h. */
#include "lesion.h"

#include <math.h>

#define LN2 0.6931471805599453
#define TWO_PI 6.283185307179586

/* Melanin absorbance falls with wavelength (Jacques, "Optical properties of
 * biological tissues: a review", Phys Med Biol 2013: mu_a ~ lambda^-3.33);
 * integrated over broad camera bands and after dermal scattering the ratio
 * flattens. 0.62 : 0.82 : 1 reproduces the OD difference between Fitzpatrick
 * I and VI skin colours given as sRGB in the dermatology literature within a
 * few percent and keeps PIH brown (L* and b* change together). */
const double lesion_eps_melanin[3] = {0.62, 0.82, 1.00};
/* Oxyhaemoglobin: strong Q-bands at 542/577 nm (green), the Soret tail in
 * blue, almost transparent above 600 nm (Prahl's compiled spectra). */
const double lesion_eps_hb[3] = {0.10, 1.00, 0.55};
/* Fresh striae and violaceous marks carry more deoxyhaemoglobin, which
 * absorbs relatively more in the red: purple rather than pink. */
const double lesion_eps_hb_deoxy[3] = {0.25, 1.00, 0.50};

int lesion_is_relief(int kind)
{
    return kind == PK_ICEPICK || kind == PK_BOXCAR || kind == PK_ROLLING ||
           kind == PK_HYPERTROPHIC;
}

int lesion_is_striae(int kind)
{
    return kind == PK_STRIAE_ALBA || kind == PK_STRIAE_RUBRA;
}

/* rho_max for which g(rho) = 1/500: the tail beyond carries < 0.2 % of the
 * peak contrast and is not rendered. */
static double tail_factor(double p)
{
    return pow(log(500.0) / LN2, 1.0 / p);
}

static void add3(double *d, const double *e, double k)
{
    for (int c = 0; c < 3; c++)
        d[c] += k * e[c];
}

void lesion_draw(phantom_lesion *l, int kind, double melanin, double px_per_mm,
                 double max_len_mm, prng *r)
{
    const double one[3] = {1.0, 1.0, 1.0};
    /* Epidermal melanin transmits less light to and from the dermis, so the
     * same blood excess shows less on darker skin (a single pass through the
     * melanin OD of the green band, halved: light is diffuse). */
    double t_epi = pow(10.0, -0.5 * melanin * lesion_eps_melanin[1]);
    double m = melanin + 0.10; /* even very fair skin has some melanin */
    double irr = 0.10, amin = 0.6;

    l->kind = kind;
    l->length_mm = 0.0;
    l->depth_mm = 0.0;
    l->bend = 0.0;
    for (int c = 0; c < 3; c++)
        l->dod[c] = 0.0;

    switch (kind) {
    case PK_ICEPICK:
        l->size_mm = prng_range(r, 0.5, 2.0);
        l->depth_mm = l->size_mm * prng_range(r, 0.5, 1.2);
        l->edge_power = prng_range(r, 2.5, 4.0);
        irr = 0.05, amin = 0.75;
        break;
    case PK_BOXCAR:
        l->size_mm = prng_range(r, 1.5, 4.0);
        l->depth_mm = prng_range(r, 0.15, 0.5);
        l->edge_power = prng_range(r, 8.0, 16.0);
        irr = 0.12, amin = 0.6;
        break;
    case PK_ROLLING:
        l->size_mm = prng_range(r, 4.0, 8.0);
        l->depth_mm = prng_range(r, 0.10, 0.30);
        l->edge_power = prng_range(r, 2.0, 3.0);
        irr = 0.08, amin = 0.6;
        break;
    case PK_HYPERTROPHIC:
        l->size_mm = prng_range(r, 3.0, 10.0);
        l->depth_mm = -prng_range(r, 0.3, 1.2);
        l->edge_power = prng_range(r, 3.0, 6.0);
        irr = 0.10, amin = 0.4;
        add3(l->dod, lesion_eps_hb, prng_range(r, 0.05, 0.20) * t_epi);
        add3(l->dod, one, -prng_range(r, 0.0, 0.04));
        break;
    case PK_HYPO:
        l->size_mm = prng_range(r, 3.0, 15.0);
        l->edge_power = prng_range(r, 4.0, 10.0);
        irr = 0.15, amin = 0.5;
        add3(l->dod, lesion_eps_melanin, -prng_range(r, 0.15, 0.9) * m);
        add3(l->dod, one, -prng_range(r, 0.0, 0.04));
        break;
    case PK_HYPER:
        l->size_mm = prng_range(r, 2.0, 12.0);
        l->edge_power = prng_range(r, 3.0, 8.0);
        irr = 0.15, amin = 0.5;
        add3(l->dod, lesion_eps_melanin, prng_range(r, 0.03, 0.25) * (1.0 + melanin));
        break;
    case PK_ERYTHEMA:
        l->size_mm = prng_range(r, 2.0, 10.0);
        l->edge_power = prng_range(r, 2.0, 4.0);
        irr = 0.10, amin = 0.6;
        add3(l->dod, lesion_eps_hb, prng_range(r, 0.04, 0.25) * t_epi);
        break;
    case PK_STRIAE_ALBA:
    case PK_STRIAE_RUBRA:
    default:
        l->size_mm = prng_range(r, 1.0, 4.0);
        l->length_mm = prng_range(r, 10.0, 40.0);
        if (l->length_mm > max_len_mm)
            l->length_mm = max_len_mm;
        if (l->length_mm < 3.0 * l->size_mm)
            l->length_mm = 3.0 * l->size_mm;
        l->depth_mm = prng_range(r, 0.02, 0.08);
        l->edge_power = prng_range(r, 6.0, 10.0);
        l->bend = prng_range(r, -0.15, 0.15);
        irr = 0.12, amin = 1.0;
        if (kind == PK_STRIAE_ALBA) {
            add3(l->dod, lesion_eps_melanin, -prng_range(r, 0.2, 0.7) * m);
            add3(l->dod, one, -prng_range(r, 0.01, 0.05));
        } else {
            add3(l->dod, lesion_eps_hb_deoxy, prng_range(r, 0.08, 0.30) * t_epi);
            add3(l->dod, lesion_eps_melanin, -prng_range(r, 0.0, 0.2) * m);
        }
        break;
    }
    /* Atrophic scars: fibrotic dermis scatters more (paler) and some stay
     * faintly pink or lose a little pigment. */
    if (kind == PK_ICEPICK || kind == PK_BOXCAR || kind == PK_ROLLING) {
        add3(l->dod, one, -prng_range(r, 0.0, 0.03));
        add3(l->dod, lesion_eps_hb, prng_range(r, 0.0, 0.05) * t_epi);
        add3(l->dod, lesion_eps_melanin, -prng_range(r, 0.0, 0.15) * m);
    }
    l->aspect = prng_range(r, amin, 1.0);
    l->rot = prng_range(r, 0.0, TWO_PI);
    double sum_a = 0.0;
    for (int k = 0; k < 4; k++) {
        /* Outline harmonics 2..5 with amplitude ~ 1/k: an irregular but
         * star-shaped outline (every ray from the centre crosses it once). */
        l->harm_a[k] = irr * prng_range(r, 0.3, 1.0) / (k + 2) * 2.0;
        l->harm_ph[k] = prng_range(r, 0.0, TWO_PI);
        sum_a += l->harm_a[k];
    }
    if (lesion_is_striae(kind)) {
        l->radius_px = 0.5 * l->length_mm * px_per_mm;
        l->half_w_px = 0.5 * l->size_mm * px_per_mm;
        l->core_px = l->radius_px * (1.0 + fabs(l->bend)) +
                     0.5 * l->size_mm * px_per_mm * (1.0 + sum_a);
    } else {
        l->radius_px = 0.5 * l->size_mm * px_per_mm;
        l->half_w_px = l->radius_px;
        l->core_px = l->radius_px * (1.0 + sum_a);
    }
    l->tail_px = l->core_px * tail_factor(l->edge_power) + 1.0;
}

/* Whether `l` centred at (cx, cy) keeps clear of the n placed lesions:
 * tails apart and, when ring > 0, each core that far from the other's. */
static int clear_of(const phantom_lesion *l, const phantom_lesion *placed,
                    int n, double cx, double cy, double ring)
{
    for (int i = 0; i < n; i++) {
        double d = hypot(cx - placed[i].cx, cy - placed[i].cy);
        double need = l->tail_px + placed[i].tail_px;
        if (ring > 0)
            need = fmax(need, fmax(l->core_px, placed[i].core_px) + ring +
                                  fmin(l->core_px, placed[i].core_px));
        if (d < need)
            return 0;
    }
    return 1;
}

int lesion_place(phantom_lesion *l, const phantom_lesion *placed, int n,
                 uint32_t w, uint32_t h, double px_per_mm, prng *r)
{
    double ring = 3.0 * px_per_mm + 2.0;
    for (int attempt = 0; attempt < 400; attempt++) {
        /* First half of the attempts keep the whole 3 mm ring in frame. */
        double margin = attempt < 200 ? fmax(l->core_px + ring, l->tail_px)
                                      : l->core_px + 2.0;
        if (2.0 * margin >= w || 2.0 * margin >= h)
            continue;
        double cx = prng_range(r, margin, w - margin);
        double cy = prng_range(r, margin, h - margin);
        if (clear_of(l, placed, n, cx, cy, ring)) {
            l->cx = cx;
            l->cy = cy;
            return 1;
        }
    }
    return 0;
}

int lesion_place_cluster(phantom_lesion *l, const phantom_lesion *placed,
                         int n, uint32_t w, uint32_t h, double cx0,
                         double cy0, double spread, prng *r)
{
    double margin = l->core_px + 2.0;
    if (2.0 * margin >= w || 2.0 * margin >= h)
        return 0;
    for (int attempt = 0; attempt < 400; attempt++) {
        double ox, oy;
        prng_normal2(r, &ox, &oy);
        double cx = cx0 + spread * ox, cy = cy0 + spread * oy;
        if (cx < margin || cy < margin || cx > w - margin || cy > h - margin)
            continue;
        if (clear_of(l, placed, n, cx, cy, 0.0)) {
            l->cx = cx;
            l->cy = cy;
            return 1;
        }
    }
    return 0;
}

double lesion_rho(const phantom_lesion *l, double x, double y)
{
    double dx = x - l->cx, dy = y - l->cy;
    double c = cos(l->rot), s = sin(l->rot);
    double u = c * dx + s * dy, v = -s * dx + c * dy;
    if (lesion_is_striae(l->kind)) {
        double half_l = l->radius_px;
        double t = u / half_l;
        v -= l->bend * half_l * t * t; /* a gently curved band */
        double half_w = l->half_w_px;
        /* width varies along the band */
        double f = 1.0;
        for (int k = 0; k < 3; k++)
            f += l->harm_a[k] * sin((k + 1) * 3.141592653589793 * t + l->harm_ph[k]);
        half_w *= f;
        /* superellipse (q = 6): a band with rounded, tapering ends */
        double a = fabs(t), b = fabs(v / half_w);
        double a2 = a * a, b2 = b * b;
        return pow(a2 * a2 * a2 + b2 * b2 * b2, 1.0 / 6.0);
    }
    v /= l->aspect;
    double rr = hypot(u, v);
    double th = atan2(v, u);
    double rad = 1.0;
    for (int k = 0; k < 4; k++)
        rad += l->harm_a[k] * cos((k + 2) * th + l->harm_ph[k]);
    return rr / (l->radius_px * rad);
}

double lesion_profile(const phantom_lesion *l, double rho)
{
    return exp(-LN2 * pow(rho, l->edge_power));
}
