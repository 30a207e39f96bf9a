/* phantom.c — parameters, skin tone and the order of the rendering steps. */
#include "phantom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "lesion.h"
#include "scarscore.h"

static const char *const kind_names[PK_COUNT] = {
    "icepick",       "boxcar",         "rolling",
    "hypertrophic",  "hypopigmented",  "hyperpigmented",
    "erythema",      "striae_alba",    "striae_rubra"};

const char *phantom_kind_name(int kind)
{
    return kind >= 0 && kind < PK_COUNT ? kind_names[kind] : "unknown";
}

int phantom_kind_parse(const char *name)
{
    for (int k = 0; k < PK_COUNT; k++)
        if (!strcmp(name, kind_names[k]))
            return k;
    return -1;
}

/* Two-valued options named by strings: value 1 for names[1], else 0. */
static const char *const layout_names[] = {"scattered", "cluster"};
static const char *const texture_names[] = {"clean", "real"};

static int parse_pair(const char *const names[2], const char *name)
{
    for (int k = 0; k < 2; k++)
        if (!strcmp(name, names[k]))
            return k;
    return -1;
}

const char *phantom_layout_name(int layout)
{
    return layout_names[layout == PHANTOM_LAYOUT_CLUSTER];
}

int phantom_layout_parse(const char *name) { return parse_pair(layout_names, name); }

const char *phantom_texture_name(int texture)
{
    return texture_names[texture == PHANTOM_TEXTURE_REAL];
}

int phantom_texture_parse(const char *name) { return parse_pair(texture_names, name); }

void phantom_params_init(phantom_params *p)
{
    memset(p, 0, sizeof *p);
    p->width = 800;
    p->height = 600;
    p->px_per_mm = 0.0;
    p->ita = NAN;
    p->quality = 0;
    p->lesions = -1;
    p->kinds_mask = 0;
    p->hairs = -1;
}

const char *phantom_ita_category(double ita)
{
    if (ita > 55) return "very_light";
    if (ita > 41) return "light";
    if (ita > 28) return "intermediate";
    if (ita > 10) return "tan";
    if (ita > -30) return "brown";
    return "dark";
}

int phantom_ita_fitzpatrick(double ita)
{
    if (ita > 55) return 1;
    if (ita > 41) return 2;
    if (ita > 28) return 3;
    if (ita > 10) return 4;
    if (ita > -30) return 5;
    return 6;
}

void phantom_free(phantom *ph)
{
    if (!ph)
        return;
    free(ph->photo);
    free(ph->clean);
    free(ph->labels);
    free(ph->excluded);
    ph->photo = NULL;
    ph->clean = NULL;
    ph->labels = NULL;
    ph->excluded = NULL;
}

static void scene_free(scene *sc)
{
    free(sc->height);
    free(sc->lesion_g);
    free(sc->lesion_ix);
    free(sc->hair_alpha);
    free(sc->clean_lin);
}

/* Optical density of the sRGB colour of CIELAB `lab` (linear reflectance
 * clamped away from 0 so the logarithm stays finite). */
static void lab_to_od(const double lab[3], double od[3])
{
    double rgb[3];
    scar_lab_to_srgb(lab, rgb);
    for (int c = 0; c < 3; c++) {
        double v = rgb[c] < 0.0 ? 0.0 : rgb[c] > 1.0 ? 1.0 : rgb[c];
        od[c] = -log10(fmax(srgb_to_linear(v), 1e-4));
    }
}

/* Skin base colour from ITA° = atan((L* - 50) / b*) (Chardon 1991): b* and
 * a* in the ranges measured on facial skin (b* 14-22, a* 6-16; Del Bino &
 * Bernerd, Br J Dermatol 2013), L* from the ITA definition. */
static void skin_base(phantom *ph, prng *r)
{
    double b = prng_range(r, 14.0, 22.0);
    double a = prng_range(r, 6.0, 16.0);
    double t = tan(ph->p.ita * 3.141592653589793 / 180.0);
    double L = 50.0 + b * t;
    /* Keep L* within what skin shows (25..82) and the ITA exact: at the
     * extremes b* gives way instead. */
    if (L > 82.0 || L < 25.0) {
        L = L > 82.0 ? 82.0 : 25.0;
        b = (L - 50.0) / t;
    }
    ph->base_lab[0] = L;
    ph->base_lab[1] = a;
    ph->base_lab[2] = b;
}

/* Melanin: the OD excess over pale (ITA ~ 70) skin projected on the melanin
 * spectrum. Sets how strongly pigment lesions change (docs/phantom.md). */
static double melanin_od(const double od_base[3])
{
    static const double pale[3] = {82.0, 7.0, 11.0};
    double od_ref[3], num = 0.0, den = 0.0;
    lab_to_od(pale, od_ref);
    for (int c = 0; c < 3; c++) {
        num += (od_base[c] - od_ref[c]) * lesion_eps_melanin[c];
        den += lesion_eps_melanin[c] * lesion_eps_melanin[c];
    }
    return fmax(0.0, num / den);
}

static void set_err(char *err, size_t n, const char *msg)
{
    if (err && n)
        snprintf(err, n, "%s", msg);
}

int phantom_generate(const phantom_params *params, phantom *ph, char *err,
                     size_t errlen)
{
    memset(ph, 0, sizeof *ph);
    ph->p = *params;
    phantom_params *p = &ph->p;
    if (p->width < 64 || p->height < 64 || p->width > 20000 || p->height > 20000 ||
        (uint64_t)p->width * p->height > 60000000ull) {
        set_err(err, errlen, "phantom: width and height must be 64..20000 and at most 60 MP");
        return -1;
    }
    prng r;
    prng_init(&r, p->seed, STREAM_PARAMS);
    /* Draw every parameter even when given, so that fixing one leaves the
     * others as they were for this seed. */
    double d_ita = prng_range(&r, -50.0, 60.0);
    int d_q = prng_int(&r, 70, 95);
    /* Clinical framing: at least a 40 mm wide field, 8-25 px/mm. */
    double ppm_hi = fmin(25.0, fmax(8.0, p->width / 40.0));
    double d_ppm = prng_range(&r, 8.0, ppm_hi);
    int d_les = prng_int(&r, 3, 12);
    int d_hairs = prng_uniform(&r) < 0.5 ? 0 : prng_int(&r, 1, 8);
    /* The cluster layout draws from its own stream: the scattered phantoms
     * of a seed stay as they were. */
    int cluster = p->layout == PHANTOM_LAYOUT_CLUSTER;
    prng cr;
    prng_init(&cr, p->seed, STREAM_CLUSTER);
    if (cluster) {
        int d_cl = prng_int(&cr, 30, 60);
        if (p->lesions < 0)
            p->lesions = d_cl;
        if (p->kinds_mask == 0)
            p->kinds_mask = (1u << PK_ICEPICK) | (1u << PK_BOXCAR) |
                            (1u << PK_ROLLING) | (1u << PK_ERYTHEMA) |
                            (1u << PK_HYPER);
    }
    if (isnan(p->ita)) p->ita = d_ita;
    if (p->quality <= 0) p->quality = d_q;
    if (p->px_per_mm <= 0.0) p->px_per_mm = d_ppm;
    if (p->lesions < 0) p->lesions = d_les;
    if (p->hairs < 0) p->hairs = d_hairs;
    if (p->lesions > PHANTOM_MAX_LESIONS) p->lesions = PHANTOM_MAX_LESIONS;
    if (p->quality > 100) p->quality = 100;
    if (p->kinds_mask == 0 || (p->kinds_mask & ((1u << PK_COUNT) - 1)) == 0)
        p->kinds_mask = (1u << PK_COUNT) - 1;
    if (p->px_per_mm < 1.0 || p->px_per_mm > 200.0) {
        set_err(err, errlen, "phantom: px_per_mm must be in 1..200");
        return -1;
    }

    skin_base(ph, &r);
    scene sc;
    memset(&sc, 0, sizeof sc);
    lab_to_od(ph->base_lab, sc.od_base);
    ph->melanin = melanin_od(sc.od_base);

    /* Lesion kinds: cycle through a shuffled list of the allowed kinds so a
     * phantom shows as many different kinds as its count allows. */
    /* Cluster: acne scars by their clinical frequency (icepick most
     * common, then boxcar, then rolling; Jacob et al. 2001) and post-acne
     * marks, each kind repeated by its weight in the cycle. */
    static const int weight[PK_COUNT] = {3, 2, 1, 1, 1, 1, 2, 1, 1};
    int allowed[4 * PK_COUNT], na = 0;
    for (int k = 0; k < PK_COUNT; k++)
        if (p->kinds_mask & (1u << k))
            for (int j = 0; j < (cluster ? weight[k] : 1); j++)
                allowed[na++] = k;
    prng *shuffle = cluster ? &cr : &r;
    for (int i = na - 1; i > 0; i--) {
        int j = prng_int(shuffle, 0, i);
        int t = allowed[i];
        allowed[i] = allowed[j];
        allowed[j] = t;
    }
    /* the cluster's centre in the middle half of the frame; offsets of sd
     * 0.08 of the shorter side leave a median edge-to-edge gap of ~2 mm
     * to the nearest neighbour (test_phantom), as on a scarred cheek */
    double ccx = p->width * prng_range(&cr, 0.3, 0.7);
    double ccy = p->height * prng_range(&cr, 0.3, 0.7);
    double spread = 0.08 * fmin(p->width, p->height);
    double frame_mm = fmin(p->width, p->height) / p->px_per_mm;
    prng place;
    prng_init(&place, p->seed, STREAM_PLACE);
    for (int i = 0; i < p->lesions; i++) {
        phantom_lesion l;
        memset(&l, 0, sizeof l);
        prng lr;
        prng_init(&lr, p->seed, STREAM_LESION + (uint64_t)i);
        lesion_draw(&l, allowed[i % na], ph->melanin, p->px_per_mm,
                    0.7 * frame_mm, &lr);
        /* No room: shrink a little (as a photographer would frame it),
         * then give up on this lesion. */
        int placed = 0;
        for (int shrink = 0; shrink < 4 && !placed; shrink++) {
            placed = cluster ? lesion_place_cluster(&l, ph->les, ph->n_lesions,
                                                    p->width, p->height, ccx,
                                                    ccy, spread, &place)
                             : lesion_place(&l, ph->les, ph->n_lesions, p->width,
                                            p->height, p->px_per_mm, &place);
            if (!placed) {
                double f = 0.8;
                l.size_mm *= f;
                l.length_mm *= f;
                l.radius_px *= f;
                l.half_w_px *= f;
                l.core_px *= f;
                l.tail_px *= f;
                if (l.kind == PK_ICEPICK || l.kind == PK_BOXCAR)
                    l.depth_mm *= f;
            }
        }
        if (placed) {
            l.id = ph->n_lesions + 1;
            ph->les[ph->n_lesions++] = l;
        }
    }

    size_t n = (size_t)p->width * p->height;
    ph->photo = malloc(n * 3);
    ph->clean = malloc(n * 3 * sizeof(uint16_t));
    ph->labels = calloc(n, sizeof(uint16_t));
    ph->excluded = calloc(n, 1);
    sc.height = calloc(n, sizeof(float));
    sc.lesion_g = calloc(n, sizeof(float));
    sc.lesion_ix = calloc(n, 1);
    sc.hair_alpha = calloc(n, sizeof(float));
    sc.clean_lin = malloc(n * 3 * sizeof(float));
    int rc = -1;
    if (!ph->photo || !ph->clean || !ph->labels || !ph->excluded || !sc.height ||
        !sc.lesion_g || !sc.lesion_ix || !sc.hair_alpha || !sc.clean_lin) {
        set_err(err, errlen, "phantom: out of memory");
        goto done;
    }
    if (scene_render(ph, &sc) || camera_render(ph, &sc) || truth_measure(ph)) {
        set_err(err, errlen, "phantom: out of memory while rendering");
        goto done;
    }
    rc = 0;
done:
    scene_free(&sc);
    if (rc)
        phantom_free(ph);
    return rc;
}
