/* phantom.h — a synthetic clinical skin photograph with known truth.
 *
 * phantom_generate() renders, deterministically from a seed, a photo of skin
 * of a given ITA° with scars and pigment patches of known extent and known
 * colour difference from the surrounding skin, as a camera would record it
 * (uneven directional light, vignetting, glare, sensor noise; JPEG is applied
 * when the photo is written). The model and the truth definitions are in
 * docs/phantom.md. Used by the scarscore-phantom tool, bench/accuracy and
 * tests/test_phantom.c. */
#ifndef PHANTOM_H
#define PHANTOM_H

#include <stddef.h>
#include <stdint.h>

typedef enum phantom_kind {
    PK_ICEPICK = 0,      /* narrow deep pit, 0.5-2 mm */
    PK_BOXCAR = 1,       /* flat floor, steep walls, 1.5-4 mm */
    PK_ROLLING = 2,      /* shallow soft undulation, 4-8 mm */
    PK_HYPERTROPHIC = 3, /* raised, pinkish, 3-10 mm */
    PK_HYPO = 4,         /* hypopigmented patch */
    PK_HYPER = 5,        /* hyperpigmented patch (PIH) */
    PK_ERYTHEMA = 6,     /* post-inflammatory erythema (PIE) */
    PK_STRIAE_ALBA = 7,  /* pale thin band */
    PK_STRIAE_RUBRA = 8, /* red-purple thin band */
    PK_COUNT = 9
} phantom_kind;

/* "icepick", "boxcar", ... (static string). */
const char *phantom_kind_name(int kind);
/* The kind named `name`, or -1. */
int phantom_kind_parse(const char *name);

#define PHANTOM_MAX_LESIONS 64

/* Where the lesions lie. SCATTERED: 3-12 lesions of all kinds, each with a
 * clean 3 mm ring of skin. CLUSTER: an acne-scarred cheek: 30-60 atrophic
 * scars (icepick, boxcar, rolling) and post-acne marks (erythema,
 * hyperpigmented) crowded around one centre, only their tails kept apart
 * (docs/phantom.md). */
typedef enum phantom_layout {
    PHANTOM_LAYOUT_SCATTERED = 0,
    PHANTOM_LAYOUT_CLUSTER = 1
} phantom_layout;

/* "scattered" or "cluster" (static string); the layout named `name`, or -1. */
const char *phantom_layout_name(int layout);
int phantom_layout_parse(const char *name);

/* Healthy skin's texture. CLEAN: the mottling of the first phantoms (the
 * default; every benchmark figure so far). REAL: calibrated to the
 * calm-skin spread of real acne-scar photos, 2-10x that of CLEAN
 * (bench/accuracy/texture.py; docs/phantom.md, "Texture"). */
typedef enum phantom_texture {
    PHANTOM_TEXTURE_CLEAN = 0,
    PHANTOM_TEXTURE_REAL = 1
} phantom_texture;

/* "clean" or "real" (static string); the texture named `name`, or -1. */
const char *phantom_texture_name(int texture);
int phantom_texture_parse(const char *name);

typedef struct phantom_params {
    uint64_t seed;
    uint32_t width, height;  /* pixels (default 800 x 600) */
    double px_per_mm;        /* <= 0: drawn from the seed */
    double ita;              /* NAN: drawn from the seed, -50..60 degrees */
    int quality;             /* 0: drawn, 70..95 */
    int lesions;             /* < 0: drawn, 3..12 (cluster: 20..40) */
    uint32_t kinds_mask;     /* bit k allows kind k; 0 = all kinds */
    int hairs;               /* < 0: drawn (often none) */
    int layout;              /* phantom_layout (default scattered) */
    int texture;             /* phantom_texture (default clean) */
} phantom_params;

void phantom_params_init(phantom_params *p);

typedef struct phantom_lesion {
    int id;                  /* 1-based, = label value */
    int kind;
    double cx, cy;           /* centre, px */
    double size_mm;          /* half-contrast diameter (striae: width) */
    double length_mm;        /* striae: length; otherwise 0 */
    double depth_mm;         /* > 0 depressed, < 0 raised, 0 flat */
    double dod[3];           /* peak change of optical density, R G B */
    double edge_power;       /* profile exponent p of exp(-ln2 rho^p) */
    /* geometry (internal) */
    double radius_px, half_w_px, aspect, rot, harm_a[4], harm_ph[4], bend;
    double core_px, tail_px; /* bounding radii of rho <= 1 and of the tail */
    /* truth, measured on the clean render */
    uint64_t area_px;
    double area_mm2;
    uint32_t bbox[4];        /* x, y, width, height of the labelled pixels */
    double lab_in[3], lab_ring[3];
    uint64_t ring_px;
    double delta_e00;
} phantom_lesion;

typedef struct phantom {
    phantom_params p;        /* with every drawn value filled in */
    double base_lab[3];      /* skin colour before texture */
    double melanin;          /* melanin optical density above pale skin */
    double light_elev_deg, light_azim_deg, ambient;
    double illum_min, illum_max, vignette;
    int glare_spots;
    double full_well;        /* electrons at white: sets the shot noise */
    int n_lesions;
    phantom_lesion les[PHANTOM_MAX_LESIONS];
    uint8_t *photo;          /* W*H*3 sRGB, 8-bit: the camera's pixels */
    uint16_t *clean;         /* W*H*3 sRGB, 16-bit: even light, no camera */
    uint16_t *labels;        /* W*H: 0 = no lesion, k = lesion k */
    uint8_t *excluded;       /* W*H: 1 = hair, left out of truth statistics */
} phantom;

/* Render. Returns 0, or -1 with a message in err (out of memory, bad
 * parameters). On success release with phantom_free(). */
int phantom_generate(const phantom_params *params, phantom *out, char *err,
                     size_t errlen);

void phantom_free(phantom *ph);

/* Writes PREFIX.jpg (quality p.quality, 4:2:0), PREFIX_labels.png (16-bit
 * gray), PREFIX_truth.json and, when write_clean, PREFIX_clean.png (16-bit
 * RGB). Returns 0, or -1 with a message in err. */
int phantom_write(const phantom *ph, const char *prefix, int write_clean,
                  char *err, size_t errlen);

/* ITA° skin-tone category (Chardon et al. 1991; Del Bino et al. 2006):
 * "very_light" > 55, "light" 41-55, "intermediate" 28-41, "tan" 10-28,
 * "brown" -30-10, "dark" < -30; and the matching Fitzpatrick type 1..6. */
const char *phantom_ita_category(double ita);
int phantom_ita_fitzpatrick(double ita);

#endif
