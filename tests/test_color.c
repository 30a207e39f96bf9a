/* test_color.c — lib/color: CIELAB reference and fast paths, CIEDE2000,
 * ITA°, MI/EI, chromophore maps, whole-image functions.
 *
 * Independent references: Sharma, Wu & Dalal (2005) CIEDE2000 test data
 * (data/ciede2000_sharma2005.csv) and scikit-image rgb2lab
 * (data/srgb_lab_skimage.csv, made by reference/gen_color_ref.py). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "color/color_rows.h"
#include "scarscore.h"

#define DATA(name) SCAR_TEST_DATA "/" name
#define PI 3.14159265358979323846

static double drand(uint64_t *s)
{
    /* splitmix64 -> [0,1) */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}

static void assert_prefix(const char *fn)
{
    const char *msg = scar_last_error();
    if (strncmp(msg, fn, strlen(fn)) != 0)
        fail_msg("message \"%s\" does not start with %s", msg, fn);
}

/* ---------------------------------------------------------------- */
/* CIEDE2000                                                         */
/* ---------------------------------------------------------------- */

static void test_ciede2000_sharma(void **state)
{
    (void)state;
    FILE *f = fopen(DATA("ciede2000_sharma2005.csv"), "r");
    assert_non_null(f);
    char line[256];
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    int n = 0;
    double l1[3], l2[3], ref;
    while (fscanf(f, "%lf,%lf,%lf,%lf,%lf,%lf,%lf", &l1[0], &l1[1], &l1[2],
                  &l2[0], &l2[1], &l2[2], &ref) == 7) {
        n++;
        double d12 = scar_delta_e00(l1, l2), d21 = scar_delta_e00(l2, l1);
        if (fabs(d12 - ref) > 5e-5 || fabs(d21 - ref) > 5e-5)
            fail_msg("Sharma pair %d: %.6f / %.6f (reversed), expected %.4f",
                     n, d12, d21, ref);
        if (n == 10) /* the hue-angle discontinuity; skimage 0.19: 7.2195 */
            assert_true(fabs(d12 - 7.1792) <= 5e-5 &&
                        fabs(d21 - 7.1792) <= 5e-5);
    }
    fclose(f);
    assert_int_equal(n, 34);
}

static void test_ciede2000_parametric(void **state)
{
    (void)state;
    /* Pure lightness difference: the L term alone, divided by kL. */
    double a[3] = {50, 10, 10}, b[3] = {60, 10, 10};
    double d1 = scar_delta_e00(a, b), d2 = scar_delta_e00_k(a, b, 2, 1, 1);
    assert_true(fabs(d2 - d1 / 2) < 1e-12);
    /* Hand value: SL = 1 + 0.015*25/sqrt(20+25) at L' mean 55. */
    double sl = 1 + 0.015 * 25 / sqrt(45.0);
    assert_true(fabs(d1 - 10 / sl) < 1e-12);
    /* kC scales a pure chroma difference on the a axis near hue 0. */
    assert_true(scar_delta_e00_k(a, b, 1, 2, 2) == d1);
    assert_true(isnan(scar_delta_e00_k(a, b, 0, 1, 1)));
    assert_true(scar_delta_e00(a, a) == 0.0);
    assert_true(fabs(scar_delta_e76(a, b) - 10.0) < 1e-15);
}

/* ---------------------------------------------------------------- */
/* sRGB <-> Lab                                                      */
/* ---------------------------------------------------------------- */

static void test_matrix_inverse(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        double e[3] = {0, 0, 0}, xyz[3], back[3];
        e[i] = 1;
        scar_linear_rgb_to_xyz(e, xyz);
        scar_xyz_to_linear_rgb(xyz, back);
        for (int k = 0; k < 3; k++)
            assert_true(fabs(back[k] - e[k]) < 1e-14);
    }
    /* White maps to L=100, a=b=0; greys to a=b=0. */
    for (int v = 0; v <= 255; v += 15) {
        double g[3] = {v / 255.0, v / 255.0, v / 255.0}, lab[3];
        scar_srgb_to_lab(g, lab);
        assert_true(fabs(lab[1]) < 1e-12 && fabs(lab[2]) < 1e-12);
    }
    double w[3] = {1, 1, 1}, lab[3];
    scar_srgb_to_lab(w, lab);
    assert_true(fabs(lab[0] - 100) < 1e-12);
}

static void test_transfer_function(void **state)
{
    (void)state;
    /* IEC 61966-2-1 hand values and continuity at the knee. */
    assert_true(fabs(scar_srgb_to_linear(0.04045) - 0.04045 / 12.92) < 1e-15);
    assert_true(fabs(scar_srgb_to_linear(0.5) - pow(0.555 / 1.055, 2.4)) < 1e-15);
    assert_true(fabs(scar_srgb_to_linear(1.0) - 1.0) < 1e-15);
    assert_true(fabs(scar_srgb_to_linear(-0.5) + scar_srgb_to_linear(0.5)) == 0);
    for (double v = -1.5; v <= 1.5; v += 0.001)
        assert_true(fabs(scar_linear_to_srgb(scar_srgb_to_linear(v)) - v) < 1e-12);
}

typedef struct ref_row {
    int bits, r, g, b;
    double lab[3];
} ref_row;

static int load_skimage(ref_row **out)
{
    FILE *f = fopen(DATA("srgb_lab_skimage.csv"), "r");
    assert_non_null(f);
    char line[256];
    int n = 0, cap = 4096;
    ref_row *rows = malloc((size_t)cap * sizeof *rows);
    assert_non_null(rows);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        if (n == cap) {
            cap *= 2;
            rows = realloc(rows, (size_t)cap * sizeof *rows);
            assert_non_null(rows);
        }
        ref_row *r = &rows[n];
        assert_int_equal(sscanf(line, "%d,%d,%d,%d,%lf,%lf,%lf", &r->bits,
                                &r->r, &r->g, &r->b, &r->lab[0], &r->lab[1],
                                &r->lab[2]),
                         7);
        n++;
    }
    fclose(f);
    *out = rows;
    return n;
}

/* scikit-image uses a 6-digit matrix from the primaries and the CIE 15 D65
 * white; scarscore uses IEC 61966-2-1's printed 4-digit matrix and its row
 * sums as white. Over all 8-bit colours the two definitions differ by at
 * most 0.025 dE76 (docs/color.md), hence this tolerance. */
#define SKIMAGE_TOL 0.03

static void test_srgb_to_lab_vs_skimage(void **state)
{
    (void)state;
    ref_row *rows;
    int n = load_skimage(&rows);
    int n8 = 0, n16 = 0;
    double worst = 0;
    for (int i = 0; i < n; i++) {
        double top = rows[i].bits == 8 ? 255.0 : 65535.0;
        double rgb[3] = {rows[i].r / top, rows[i].g / top, rows[i].b / top};
        double lab[3];
        scar_srgb_to_lab(rgb, lab);
        double d = scar_delta_e76(lab, rows[i].lab);
        worst = d > worst ? d : worst;
        if (d > SKIMAGE_TOL)
            fail_msg("%d-bit (%d,%d,%d): scarscore %.4f %.4f %.4f, skimage "
                     "%.4f %.4f %.4f",
                     rows[i].bits, rows[i].r, rows[i].g, rows[i].b, lab[0],
                     lab[1], lab[2], rows[i].lab[0], rows[i].lab[1],
                     rows[i].lab[2]);
        n8 += rows[i].bits == 8;
        n16 += rows[i].bits == 16;
    }
    assert_true(n8 >= 1000 && n16 >= 1000);
    print_message("sRGB->Lab vs skimage: %d 8-bit + %d 16-bit, max dE76 %.4f\n",
                  n8, n16, worst);

    /* The image functions on the same colours, 8- and 16-bit, as one-row
     * images: fast-path error (<= 0.01) plus the definition difference. */
    for (int bits = 8; bits <= 16; bits += 8) {
        int m = 0;
        for (int i = 0; i < n; i++)
            m += rows[i].bits == bits;
        scar_image *img = NULL;
        assert_int_equal(scar_image_new((uint32_t)m, 1, 3, (uint32_t)bits, &img),
                         SCAR_OK);
        uint8_t *p8 = scar_image_data(img);
        uint16_t *p16 = scar_image_data(img);
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (rows[i].bits != bits)
                continue;
            int c[3] = {rows[i].r, rows[i].g, rows[i].b};
            for (int j = 0; j < 3; j++) {
                if (bits == 8)
                    p8[3 * k + j] = (uint8_t)c[j];
                else
                    p16[3 * k + j] = (uint16_t)c[j];
            }
            k++;
        }
        float *L = malloc(3 * (size_t)m * sizeof *L);
        assert_int_equal(scar_image_to_lab(img, NULL, 0, L, L + m, L + 2 * m,
                                           (size_t)m),
                         SCAR_OK);
        k = 0;
        for (int i = 0; i < n; i++) {
            if (rows[i].bits != bits)
                continue;
            double f[3] = {L[k], L[m + k], L[2 * m + k]};
            assert_true(scar_delta_e76(f, rows[i].lab) <= SKIMAGE_TOL + 0.01);
            k++;
        }
        free(L);
        scar_image_free(img);
    }
    free(rows);
}

static void test_lab_round_trip(void **state)
{
    (void)state;
    uint64_t s = 1;
    for (int i = 0; i < 100000; i++) {
        /* Lab inside and far outside the sRGB gamut: no clipping, so the
         * round trip is exact up to rounding. */
        double lab[3] = {100 * drand(&s), 256 * drand(&s) - 128,
                         256 * drand(&s) - 128};
        double rgb[3], back[3];
        scar_lab_to_srgb(lab, rgb);
        scar_srgb_to_lab(rgb, back);
        if (scar_delta_e76(lab, back) > 1e-9)
            fail_msg("round trip (%g,%g,%g) -> (%g,%g,%g)", lab[0], lab[1],
                     lab[2], back[0], back[1], back[2]);
        double rgb2[3] = {drand(&s), drand(&s), drand(&s)};
        scar_srgb_to_lab(rgb2, lab);
        scar_lab_to_srgb(lab, rgb);
        for (int k = 0; k < 3; k++)
            assert_true(fabs(rgb[k] - rgb2[k]) < 1e-12);
    }
}

/* The fast 8-bit path against the double reference, every 8-bit colour:
 * one 256x256 image per red value (green = row, blue = column). */
static void test_fast_path_all_8bit(void **state)
{
    (void)state;
    double lin[256];
    for (int i = 0; i < 256; i++)
        lin[i] = scar_srgb_to_linear(i / 255.0);
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(256, 256, 3, 8, &img), SCAR_OK);
    float *pl = malloc(3 * 65536 * sizeof *pl);
    assert_non_null(pl);
    double worst = 0;
    int wr = 0, wg = 0, wb = 0;
    for (int r = 0; r < 256; r++) {
        for (int g = 0; g < 256; g++) {
            uint8_t *row = scar_image_row(img, (uint32_t)g);
            for (int b = 0; b < 256; b++) {
                row[3 * b] = (uint8_t)r;
                row[3 * b + 1] = (uint8_t)g;
                row[3 * b + 2] = (uint8_t)b;
            }
        }
        assert_int_equal(scar_image_to_lab(img, NULL, 0, pl, pl + 65536,
                                           pl + 131072, 256),
                         SCAR_OK);
        for (int g = 0; g < 256; g++)
            for (int b = 0; b < 256; b++) {
                double rgb[3] = {lin[r], lin[g], lin[b]}, xyz[3], lab[3];
                scar_linear_rgb_to_xyz(rgb, xyz);
                scar_xyz_to_lab(xyz, lab);
                size_t i = (size_t)g * 256 + (size_t)b;
                double dl = pl[i] - lab[0], da = pl[65536 + i] - lab[1],
                       db = pl[131072 + i] - lab[2];
                double d = dl * dl + da * da + db * db;
                if (d > worst) {
                    worst = d;
                    wr = r;
                    wg = g;
                    wb = b;
                }
            }
    }
    worst = sqrt(worst);
    print_message("fast path: max dE76 over 2^24 colours %.3g at (%d,%d,%d)\n",
                  worst, wr, wg, wb);
    assert_true(worst <= 0.01);
    free(pl);
    scar_image_free(img);
}

static void test_fast_path_16bit(void **state)
{
    (void)state;
    const uint32_t n = 1u << 18;
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(n, 1, 4, 16, &img), SCAR_OK); /* RGBA */
    uint16_t *p = scar_image_data(img);
    uint64_t s = 7;
    for (uint32_t i = 0; i < 4 * n; i++)
        p[i] = (uint16_t)(drand(&s) * 65536);
    float *pl = malloc(3 * (size_t)n * sizeof *pl);
    assert_int_equal(scar_image_to_lab(img, NULL, 0, pl, pl + n, pl + 2 * n, n),
                     SCAR_OK);
    double worst = 0;
    for (uint32_t i = 0; i < n; i++) {
        double rgb[3] = {p[4 * i] / 65535.0, p[4 * i + 1] / 65535.0,
                         p[4 * i + 2] / 65535.0}, lab[3];
        scar_srgb_to_lab(rgb, lab);
        double f[3] = {pl[i], pl[n + i], pl[2 * n + i]};
        double d = scar_delta_e76(f, lab);
        worst = d > worst ? d : worst;
    }
    assert_true(worst <= 0.01);
    free(pl);
    scar_image_free(img);
}

static void test_gray_image(void **state)
{
    (void)state;
    uint8_t g[4] = {0, 60, 128, 255};
    scar_image *img = NULL;
    assert_int_equal(scar_image_from_memory(g, 4, 1, 1, 8, 4, SCAR_IMAGE_COPY,
                                            &img),
                     SCAR_OK);
    float L[4], a[4], b[4];
    assert_int_equal(scar_image_to_lab(img, NULL, 0, L, a, b, 4), SCAR_OK);
    for (int i = 0; i < 4; i++) {
        double rgb[3] = {g[i] / 255.0, g[i] / 255.0, g[i] / 255.0}, lab[3];
        scar_srgb_to_lab(rgb, lab);
        assert_true(fabs(L[i] - lab[0]) < 0.005);
        assert_true(fabs(a[i]) < 0.005 && fabs(b[i]) < 0.005);
    }
    scar_image_free(img);
}

/* ---------------------------------------------------------------- */
/* ITA                                                               */
/* ---------------------------------------------------------------- */

static void test_ita_values(void **state)
{
    (void)state;
    assert_true(fabs(scar_ita(60, 10) - 45) < 1e-12);
    assert_true(fabs(scar_ita(40, 10) + 45) < 1e-12);
    /* b* <= 0: the quadrant of atan2, not atan's wrap-around. */
    assert_true(fabs(scar_ita(60, -10) - 135) < 1e-12);
    assert_true(fabs(scar_ita(40, -10) + 135) < 1e-12);
    assert_true(fabs(scar_ita(70, 0) - 90) < 1e-12);
    assert_true(fabs(scar_ita(30, 0) + 90) < 1e-12);
    assert_true(isnan(scar_ita(50, 0)));
    assert_true(isnan(scar_ita(NAN, 3)));
    /* The published formula on typical skin (b* > 0). */
    assert_true(fabs(scar_ita(65, 15) - atan(15.0 / 15.0) * 180 / PI) < 1e-12);
}

static void test_ita_categories(void **state)
{
    (void)state;
    struct {
        double limit;
        scar_ita_category above, at;
    } b[] = {{55, SCAR_ITA_VERY_LIGHT, SCAR_ITA_LIGHT},
             {41, SCAR_ITA_LIGHT, SCAR_ITA_INTERMEDIATE},
             {28, SCAR_ITA_INTERMEDIATE, SCAR_ITA_TAN},
             {10, SCAR_ITA_TAN, SCAR_ITA_BROWN},
             {-30, SCAR_ITA_BROWN, SCAR_ITA_DARK}};
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        /* The boundary itself belongs to the darker category. */
        assert_int_equal(scar_ita_category_of(b[i].limit), b[i].at);
        assert_int_equal(scar_ita_category_of(nextafter(b[i].limit, 1e9)),
                         b[i].above);
        assert_int_equal(scar_ita_category_of(nextafter(b[i].limit, -1e9)),
                         b[i].at);
    }
    assert_int_equal(scar_ita_category_of(170), SCAR_ITA_VERY_LIGHT);
    assert_int_equal(scar_ita_category_of(-170), SCAR_ITA_DARK);
    assert_int_equal(scar_ita_category_of(NAN), SCAR_ITA_UNDEFINED);
    /* From Lab: ITA exactly 45° -> light. */
    assert_int_equal(scar_ita_category_of(scar_ita(60, 10)), SCAR_ITA_LIGHT);
    assert_string_equal(scar_ita_category_name(SCAR_ITA_VERY_LIGHT), "very light");
    assert_string_equal(scar_ita_category_name(SCAR_ITA_INTERMEDIATE), "intermediate");
    assert_string_equal(scar_ita_category_name(SCAR_ITA_DARK), "dark");
    assert_string_equal(scar_ita_category_name((scar_ita_category)42), "undefined");
}

/* ---------------------------------------------------------------- */
/* MI / EI                                                           */
/* ---------------------------------------------------------------- */

static void test_mi_ei(void **state)
{
    (void)state;
    /* Hand values: log10(2) = 0.30103. */
    assert_true(fabs(scar_melanin_index(0.5) - 30.10299956639812) < 1e-12);
    assert_true(fabs(scar_erythema_index(0.5, 0.25) - 30.10299956639812) < 1e-12);
    assert_true(fabs(scar_melanin_index(0.0) - 400) < 1e-12); /* floor */
    assert_true(scar_melanin_index(1.0) == 0.0);
    /* Skin-like sRGB colour, a redder one (less green) and a darker one. */
    double skin[3] = {0.80, 0.62, 0.52}, red[3] = {0.80, 0.52, 0.47},
           dark[3] = {0.55, 0.40, 0.30};
    double lin[3][3];
    const double *c[3] = {skin, red, dark};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            lin[i][k] = scar_srgb_to_linear(c[i][k]);
    double ei0 = scar_erythema_index(lin[0][0], lin[0][1]);
    double ei1 = scar_erythema_index(lin[1][0], lin[1][1]);
    double mi0 = scar_melanin_index(lin[0][0]);
    double mi2 = scar_melanin_index(lin[2][0]);
    assert_true(ei1 > ei0 + 5);
    assert_true(mi2 > mi0 + 10);
    assert_true(fabs(scar_melanin_index(lin[1][0]) - mi0) < 1e-12);

    /* Image planes equal the per-colour functions (float tables). */
    uint8_t px[9] = {204, 158, 133, 204, 133, 120, 140, 102, 77};
    scar_image *img = NULL;
    assert_int_equal(scar_image_from_memory(px, 3, 1, 3, 8, 9, SCAR_IMAGE_COPY,
                                            &img),
                     SCAR_OK);
    float mi[3], ei[3];
    assert_int_equal(scar_image_to_mi_ei(img, NULL, 0, mi, ei, 3), SCAR_OK);
    for (int i = 0; i < 3; i++) {
        double r = scar_srgb_to_linear(px[3 * i] / 255.0),
               g = scar_srgb_to_linear(px[3 * i + 1] / 255.0);
        assert_true(fabs(mi[i] - scar_melanin_index(r)) < 1e-4);
        assert_true(fabs(ei[i] - scar_erythema_index(r, g)) < 1e-4);
    }
    assert_true(ei[1] > ei[0] && mi[2] > mi[0]);
    scar_image_free(img);
}

/* ---------------------------------------------------------------- */
/* Chromophores                                                      */
/* ---------------------------------------------------------------- */

static void chromo(const double srgb[3], double *m, double *h)
{
    double lin[3];
    for (int k = 0; k < 3; k++)
        lin[k] = scar_srgb_to_linear(srgb[k]);
    assert_int_equal(scar_chromophores(lin, NULL, m, h), SCAR_OK);
}

static void test_chromophores_direction(void **state)
{
    (void)state;
    double skin[3] = {0.80, 0.62, 0.52}, red[3] = {0.80, 0.52, 0.47},
           brown[3] = {0.55, 0.40, 0.30};
    double m0, h0, m1, h1, m2, h2;
    chromo(skin, &m0, &h0);
    chromo(red, &m1, &h1);
    chromo(brown, &m2, &h2);
    assert_true(h1 > h0 + 0.05); /* redder: more haemoglobin */
    assert_true(m2 > m0 + 0.1);  /* darker brown: more melanin */

    /* Pure chromophore additions are recovered exactly. */
    scar_chromophore_options o;
    scar_chromophore_options_init(&o);
    double lin0[3];
    for (int k = 0; k < 3; k++)
        lin0[k] = scar_srgb_to_linear(skin[k]);
    double lin1[3], lin2[3];
    for (int k = 0; k < 3; k++) {
        lin1[k] = lin0[k] * exp(-0.3 * o.haemoglobin[k]);
        lin2[k] = lin0[k] * exp(-0.2 * o.melanin[k]);
    }
    double a, b;
    assert_int_equal(scar_chromophores(lin1, &o, &a, &b), SCAR_OK);
    assert_true(fabs(a - m0) < 1e-12 && fabs(b - (h0 + 0.3)) < 1e-12);
    assert_int_equal(scar_chromophores(lin2, &o, &a, &b), SCAR_OK);
    assert_true(fabs(a - (m0 + 0.2)) < 1e-12 && fabs(b - h0) < 1e-12);

    /* Shading along (1,1,1) in OD = one factor on all linear channels. */
    for (double k = 0.2; k <= 1.0; k += 0.2) {
        double sh[3] = {k * lin0[0], k * lin0[1], k * lin0[2]};
        assert_int_equal(scar_chromophores(sh, NULL, &a, &b), SCAR_OK);
        assert_true(fabs(a - m0) < 1e-12 && fabs(b - h0) < 1e-12);
    }
}

static void test_chromophore_maps(void **state)
{
    (void)state;
    /* 16-bit image: a skin colour and the same colour shaded by 0.5 in
     * linear light, a redder and a browner one. */
    double lin0[3] = {0.60, 0.35, 0.25};
    double cols[4][3] = {{0.60, 0.35, 0.25}, {0.30, 0.175, 0.125},
                         {0.60, 0.28, 0.21}, {0.40, 0.22, 0.12}};
    (void)lin0;
    uint16_t px[12];
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 3; k++)
            px[3 * i + k] = (uint16_t)lround(scar_linear_to_srgb(cols[i][k]) * 65535);
    scar_image *img = NULL;
    assert_int_equal(scar_image_from_memory(px, 4, 1, 3, 16, 24, SCAR_IMAGE_COPY,
                                            &img),
                     SCAR_OK);
    float m[4], h[4];
    assert_int_equal(scar_image_to_chromophores(img, NULL, 0, NULL, m, h, 4),
                     SCAR_OK);
    assert_true(fabs(m[1] - m[0]) < 1e-3 && fabs(h[1] - h[0]) < 1e-3);
    assert_true(h[2] > h[0] + 0.05);
    assert_true(m[3] > m[0] + 0.1);
    for (int i = 0; i < 4; i++) {
        double l[3], a, b;
        for (int k = 0; k < 3; k++)
            l[k] = scar_srgb_to_linear(px[3 * i + k] / 65535.0);
        assert_int_equal(scar_chromophores(l, NULL, &a, &b), SCAR_OK);
        assert_true(fabs(a - m[i]) < 1e-4 && fabs(b - h[i]) < 1e-4);
    }
    scar_image_free(img);
}

/* Per-image estimation recovers known vectors (rotated 12° away from the
 * defaults inside the skin-colour plane) from a synthetic 16-bit image
 * with independent, uniformly distributed concentrations and shading. */
static void rotate_in_plane(const double v[3], double deg, double out[3])
{
    const double s2 = sqrt(0.5), s6 = sqrt(1.0 / 6.0);
    double mean = (v[0] + v[1] + v[2]) / 3;
    double p = (v[0] - v[1]) * s2, q = (v[0] + v[1] - 2 * v[2]) * s6;
    double c = cos(deg * PI / 180), s = sin(deg * PI / 180);
    double p2 = c * p - s * q, q2 = s * p + c * q;
    out[0] = mean + p2 * s2 + q2 * s6;
    out[1] = mean - p2 * s2 + q2 * s6;
    out[2] = mean - 2 * q2 * s6;
}

static double plane_angle(const double u[3], const double v[3])
{
    const double s2 = sqrt(0.5), s6 = sqrt(1.0 / 6.0);
    double a = atan2((u[0] + u[1] - 2 * u[2]) * s6, (u[0] - u[1]) * s2);
    double b = atan2((v[0] + v[1] - 2 * v[2]) * s6, (v[0] - v[1]) * s2);
    double d = fabs(a - b) * 180 / PI;
    return d > 180 ? 360 - d : d;
}

static void test_chromophore_estimate(void **state)
{
    (void)state;
    scar_chromophore_options o;
    scar_chromophore_options_init(&o);
    double tm[3], th[3];
    rotate_in_plane(o.melanin, 12, tm);
    rotate_in_plane(o.haemoglobin, -12, th);
    const uint32_t w = 300, h = 200;
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(w, h, 3, 16, &img), SCAR_OK);
    uint8_t *mask = calloc((size_t)w * h, 1);
    uint64_t s = 99;
    for (uint32_t y = 0; y < h; y++) {
        uint16_t *row = scar_image_row(img, y);
        for (uint32_t x = 0; x < w; x++) {
            double cm = 0.2 + 0.8 * drand(&s), chb = 0.1 + 0.6 * drand(&s);
            double sh = 0.4 * drand(&s);
            for (int k = 0; k < 3; k++) {
                double od = 0.1 + cm * tm[k] + chb * th[k] + sh;
                row[3 * x + k] =
                    (uint16_t)lround(scar_linear_to_srgb(exp(-od)) * 65535);
            }
            mask[(size_t)y * w + x] = x < 250; /* the rest is excluded */
        }
        /* Excluded pixels are garbage that would wreck the estimate. */
        for (uint32_t x = 250; x < w; x++)
            row[3 * x] = row[3 * x + 1] = 65535, row[3 * x + 2] = 0;
    }
    double em[3], eh[3];
    assert_int_equal(scar_chromophore_estimate(img, mask, w, &o, em, eh),
                     SCAR_OK);
    print_message("estimate: melanin off by %.3f deg, haemoglobin %.3f deg\n",
                  plane_angle(em, tm), plane_angle(eh, th));
    assert_true(plane_angle(em, tm) < 1.0);
    assert_true(plane_angle(eh, th) < 1.0);
    /* The maps with estimation then give back the concentrations' spread. */
    o.estimate = 1;
    float *mm = malloc((size_t)w * h * sizeof *mm);
    assert_int_equal(scar_image_to_chromophores(img, mask, w, &o, mm, NULL, w),
                     SCAR_OK);
    assert_true(isnan(mm[260]) && !isnan(mm[10]));
    free(mm);
    /* Too few pixels -> SCAR_E_INVALID. */
    memset(mask, 0, (size_t)w * h);
    mask[0] = 1;
    assert_int_equal(scar_chromophore_estimate(img, mask, w, &o, em, eh),
                     SCAR_E_INVALID);
    assert_prefix("scar_chromophore_estimate");
    free(mask);
    scar_image_free(img);
}

/* ---------------------------------------------------------------- */
/* Masks and arguments                                               */
/* ---------------------------------------------------------------- */

static void test_masks(void **state)
{
    (void)state;
    const uint32_t w = 300, h = 7; /* > one block per row, odd sizes */
    const size_t stride = 311, mstride = 305;
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(w, h, 3, 8, &img), SCAR_OK);
    uint64_t s = 3;
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *row = scar_image_row(img, y);
        for (uint32_t i = 0; i < 3 * w; i++)
            row[i] = (uint8_t)(drand(&s) * 256);
    }
    uint8_t *mask = calloc(mstride * h, 1);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            mask[y * mstride + x] = (uint8_t)(((x * 7 + y * 3) % 5) ? 255 : 0);
    size_t np = stride * h;
    float *full = malloc(np * 8 * sizeof *full), *part = malloc(np * 8 * sizeof *part);
    for (size_t i = 0; i < np * 8; i++)
        full[i] = part[i] = -12345.0f; /* sentinel between rows */
    /* Lab, ITA, MI/EI, chromophores, with and without the mask. */
    for (int pass = 0; pass < 2; pass++) {
        float *p = pass ? part : full;
        const uint8_t *m = pass ? mask : NULL;
        assert_int_equal(scar_image_to_lab(img, m, mstride, p, p + np, p + 2 * np, stride), SCAR_OK);
        assert_int_equal(scar_image_to_ita(img, m, mstride, p + 3 * np, stride), SCAR_OK);
        assert_int_equal(scar_image_to_mi_ei(img, m, mstride, p + 4 * np, p + 5 * np, stride), SCAR_OK);
        assert_int_equal(scar_image_to_chromophores(img, m, mstride, NULL, p + 6 * np, p + 7 * np, stride), SCAR_OK);
    }
    for (int k = 0; k < 8; k++)
        for (uint32_t y = 0; y < h; y++)
            for (size_t x = 0; x < stride; x++) {
                size_t i = k * np + y * stride + x;
                if (x >= w) { /* padding untouched */
                    assert_true(full[i] == -12345.0f && part[i] == -12345.0f);
                    continue;
                }
                if (mask[y * mstride + x])
                    assert_true(part[i] == full[i] && !isnan(full[i]));
                else
                    assert_true(isnan(part[i]));
            }
    /* ITA plane agrees with scar_ita() of the L, b planes. */
    for (uint32_t x = 0; x < w; x++)
        assert_true(fabs(full[3 * np + x] - scar_ita(full[x], full[2 * np + x])) < 1e-3);
    free(full);
    free(part);
    free(mask);
    scar_image_free(img);
}

/* A w x h image of `ch` channels, `bits` 8 or 16, uniform random samples
 * from the seed. */
static scar_image *random_image(uint32_t w, uint32_t h, uint32_t ch,
                                uint32_t bits, uint64_t seed)
{
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(w, h, ch, bits, &img), SCAR_OK);
    uint64_t s = seed;
    for (uint32_t y = 0; y < h; y++) {
        void *row = scar_image_row(img, y);
        for (uint32_t i = 0; i < w * ch; i++) {
            double u = drand(&s);
            if (bits == 8)
                ((uint8_t *)row)[i] = (uint8_t)(u * 256);
            else
                ((uint16_t *)row)[i] = (uint16_t)(u * 65536);
        }
    }
    return img;
}

/* The row provider of lib/color (scar__index_rows, used by the analysis
 * instead of whole-image planes) must give exactly the bits of
 * scar_image_to_mi_ei and scar_image_to_chromophores (default vectors):
 * random 8-bit RGB and 16-bit RGBA images, every pixel, spans at odd
 * offsets and single pixels. */
static void check_index_rows(uint32_t w, uint32_t h, uint32_t ch,
                             uint32_t bits, uint64_t seed)
{
    scar_image *img = random_image(w, h, ch, bits, seed);
    size_t n = (size_t)w * h;
    float *pl = malloc(4 * n * sizeof *pl), *v = malloc(4 * (size_t)w * sizeof *v);
    assert_non_null(pl);
    assert_non_null(v);
    assert_int_equal(scar_image_to_mi_ei(img, NULL, 0, pl, pl + n, w), SCAR_OK);
    assert_int_equal(scar_image_to_chromophores(img, NULL, 0, NULL, pl + 2 * n,
                                                pl + 3 * n, w),
                     SCAR_OK);
    scar__index_rows ir;
    assert_int_equal(scar__index_rows_init(img, "test", &ir), SCAR_OK);
    for (uint32_t y = 0; y < h; y++) {
        uint32_t x0 = y % 7, len = w - x0 - (y % 3);
        scar__index_rows_get(&ir, x0, y, len, v, v + w, v + 2 * (size_t)w,
                             v + 3 * (size_t)w);
        for (int k = 0; k < 4; k++)
            assert_memory_equal(v + (size_t)k * w,
                                pl + k * n + (size_t)y * w + x0,
                                len * sizeof *v);
        for (uint32_t x = 0; x < w; x += 5) {
            float p[4];
            scar__index_rows_pixel(&ir, x, y, p);
            for (int k = 0; k < 4; k++)
                assert_memory_equal(&p[k], pl + k * n + (size_t)y * w + x,
                                    sizeof *p);
        }
    }
    scar__index_rows_free(&ir);
    free(pl);
    free(v);
    scar_image_free(img);
}

static void test_index_rows_bits(void **state)
{
    (void)state;
    check_index_rows(301, 97, 3, 8, 11);
    check_index_rows(133, 61, 4, 16, 12);
}

/* scar__index_rows_lab (a*, b* of the measurements, read per row span)
 * must give exactly the bits of scar_image_to_lab: spans at odd offsets
 * and lengths (crossing the 256-pixel blocks at other places than the
 * whole-image conversion does), single pixels, NULL outputs; 8-bit RGB,
 * 16-bit RGBA and 8-bit grey. */
static void check_lab_rows(uint32_t w, uint32_t h, uint32_t ch, uint32_t bits,
                           uint64_t seed)
{
    scar_image *img = random_image(w, h, ch, bits, seed);
    size_t n = (size_t)w * h;
    float *pl = malloc(3 * n * sizeof *pl), *v = malloc(3 * (size_t)w * sizeof *v);
    assert_non_null(pl);
    assert_non_null(v);
    assert_int_equal(scar_image_to_lab(img, NULL, 0, pl, pl + n, pl + 2 * n, w),
                     SCAR_OK);
    scar__index_rows ir;
    assert_int_equal(scar__index_rows_init(img, "test", &ir), SCAR_OK);
    for (uint32_t y = 0; y < h; y++) {
        uint32_t x0 = (y * 37) % (w / 2), len = w - x0 - (y % 5);
        scar__index_rows_lab(&ir, 1.0f, x0, y, len, v, v + w, v + 2 * (size_t)w);
        for (int k = 0; k < 3; k++)
            assert_memory_equal(v + (size_t)k * w, pl + k * n + (size_t)y * w + x0,
                                len * sizeof *v);
        for (uint32_t x = y % 3; x < w; x += 7) {
            float b;
            scar__index_rows_lab(&ir, 1.0f, x, y, 1, NULL, NULL, &b);
            assert_memory_equal(&b, pl + 2 * n + (size_t)y * w + x, sizeof b);
        }
    }
    /* scattered pixels (every 3rd, last first) through scar__index_rows_lab_at */
    size_t m = n / 3;
    uint32_t *idx = malloc(m * sizeof *idx);
    float *q = malloc(3 * m * sizeof *q);
    assert_non_null(idx);
    assert_non_null(q);
    for (size_t i = 0; i < m; i++)
        idx[i] = (uint32_t)(n - 1 - 3 * i);
    scar__index_rows_lab_at(&ir, 1.0f, idx, m, q, q + m, q + 2 * m);
    for (size_t i = 0; i < m; i++)
        for (int k = 0; k < 3; k++)
            assert_memory_equal(&q[k * m + i], pl + k * n + idx[i], sizeof *q);
    free(idx);
    free(q);
    scar__index_rows_free(&ir);
    free(pl);
    free(v);
    scar_image_free(img);
}

static void test_lab_rows_bits(void **state)
{
    (void)state;
    check_lab_rows(601, 41, 3, 8, 21);
    check_lab_rows(299, 23, 4, 16, 22);
    check_lab_rows(300, 17, 1, 8, 23);
}

/* With an exposure gain, scar__index_rows_lab and _lab_at give the CIELAB
 * of the pixel's linear sRGB times the gain, as the double conversions do
 * (scar_srgb_to_linear, scar_linear_rgb_to_xyz, scar_xyz_to_lab), also
 * above the white point (gain 3 on bright codes: the fast cube root's
 * range goes beyond 1 there). Every 8-bit grey and colour code. */
static void test_lab_rows_gain(void **state)
{
    (void)state;
    const uint32_t w = 256, h = 3;
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(w, h, 3, 8, &img), SCAR_OK);
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *p = scar_image_row(img, y);
        for (uint32_t x = 0; x < w; x++) {
            p[3 * x] = (uint8_t)x;
            p[3 * x + 1] = (uint8_t)(y == 0 ? x : 255 - x);
            p[3 * x + 2] = (uint8_t)(y == 2 ? x / 2 : x);
        }
    }
    scar__index_rows ir;
    assert_int_equal(scar__index_rows_init(img, "test", &ir), SCAR_OK);
    const float gains[] = {0.25f, 1.7f, 3.0f};
    float L[256], A[256], B[256], La[256];
    uint32_t idx[256];
    double worst = 0.0;
    for (size_t gi = 0; gi < sizeof gains / sizeof gains[0]; gi++) {
        for (uint32_t y = 0; y < h; y++) {
            scar__index_rows_lab(&ir, gains[gi], 0, y, w, L, A, B);
            for (uint32_t x = 0; x < w; x++)
                idx[x] = y * w + (w - 1 - x);
            scar__index_rows_lab_at(&ir, gains[gi], idx, w, La, NULL, NULL);
            const uint8_t *p = scar_image_row(img, y);
            for (uint32_t x = 0; x < w; x++) {
                double rgb[3], xyz[3], lab[3];
                for (int c = 0; c < 3; c++)
                    rgb[c] = scar_srgb_to_linear(p[3 * x + c] / 255.0) *
                             gains[gi];
                scar_linear_rgb_to_xyz(rgb, xyz);
                scar_xyz_to_lab(xyz, lab);
                double e = fmax(fabs(L[x] - lab[0]),
                                fmax(fabs(A[x] - lab[1]), fabs(B[x] - lab[2])));
                worst = fmax(worst, e);
                assert_memory_equal(&La[w - 1 - x], &L[x], sizeof L[x]);
            }
        }
    }
    print_message("largest |Lab error| with gains 0.25-3: %.2e\n", worst);
    assert_true(worst < 2e-3);
    scar__index_rows_free(&ir);
    scar_image_free(img);
}

static void test_bad_args(void **state)
{
    (void)state;
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(4, 2, 3, 8, &img), SCAR_OK);
    float p[16];
    assert_int_equal(scar_image_to_lab(NULL, NULL, 0, p, p, p, 4), SCAR_E_INVALID);
    assert_prefix("scar_image_to_lab");
    assert_int_equal(scar_image_to_lab(img, NULL, 0, NULL, NULL, NULL, 4), SCAR_E_INVALID);
    assert_int_equal(scar_image_to_lab(img, NULL, 0, p, NULL, NULL, 3), SCAR_E_INVALID);
    assert_prefix("scar_image_to_lab");
    uint8_t m[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    assert_int_equal(scar_image_to_lab(img, m, 3, p, NULL, NULL, 4), SCAR_E_INVALID);
    assert_int_equal(scar_image_to_ita(img, NULL, 0, NULL, 4), SCAR_E_INVALID);
    assert_prefix("scar_image_to_ita");
    assert_int_equal(scar_image_to_mi_ei(img, NULL, 0, NULL, NULL, 4), SCAR_E_INVALID);
    assert_int_equal(scar_image_to_mi_ei(NULL, NULL, 0, p, NULL, 4), SCAR_E_INVALID);
    assert_prefix("scar_image_to_mi_ei");
    assert_int_equal(scar_image_to_chromophores(img, NULL, 0, NULL, NULL, NULL, 4), SCAR_E_INVALID);
    scar_chromophore_options o;
    scar_chromophore_options_init(&o);
    o.struct_size = 8;
    assert_int_equal(scar_image_to_chromophores(img, NULL, 0, &o, p, NULL, 4), SCAR_E_VERSION);
    assert_prefix("scar_image_to_chromophores");
    scar_chromophore_options_init(&o);
    for (int k = 0; k < 3; k++)
        o.haemoglobin[k] = 2 * o.melanin[k] + 0.5; /* melanin + shading */
    double lin[3] = {0.5, 0.4, 0.3}, a, b;
    assert_int_equal(scar_chromophores(lin, &o, &a, &b), SCAR_E_INVALID);
    assert_prefix("scar_chromophores");
    assert_int_equal(scar_chromophores(NULL, NULL, &a, &b), SCAR_E_INVALID);
    double em[3], eh[3];
    assert_int_equal(scar_chromophore_estimate(NULL, NULL, 0, NULL, em, eh), SCAR_E_INVALID);
    assert_int_equal(scar_chromophore_estimate(img, NULL, 0, NULL, NULL, eh), SCAR_E_INVALID);
    scar_chromophore_options_init(NULL); /* no-op */
    scar_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ciede2000_sharma),
        cmocka_unit_test(test_ciede2000_parametric),
        cmocka_unit_test(test_matrix_inverse),
        cmocka_unit_test(test_transfer_function),
        cmocka_unit_test(test_srgb_to_lab_vs_skimage),
        cmocka_unit_test(test_lab_round_trip),
        cmocka_unit_test(test_fast_path_all_8bit),
        cmocka_unit_test(test_fast_path_16bit),
        cmocka_unit_test(test_gray_image),
        cmocka_unit_test(test_ita_values),
        cmocka_unit_test(test_ita_categories),
        cmocka_unit_test(test_mi_ei),
        cmocka_unit_test(test_chromophores_direction),
        cmocka_unit_test(test_chromophore_maps),
        cmocka_unit_test(test_chromophore_estimate),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_index_rows_bits),
        cmocka_unit_test(test_lab_rows_bits),
        cmocka_unit_test(test_lab_rows_gain),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests_name("color", tests, NULL, NULL);
}
