/* test_score.c — lib/score and the result API/outputs: geometry, medians,
 * texture inside vs ring against scikit-image / scipy / numpy reference
 * values (tests/reference/gen_score_ref.py -> tests/data/score_ref*.{txt,bin});
 * colour inside vs ring, differences, split-ring spread, classes, hints
 * and clinical-scale bands against hand-computed values; CSV headers
 * against committed files; JSON holding every field; repeatability. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/csv_internal.h"
#include "report/fields.h"
#include "score/score.h"
#include "scarscore.h"
#include "synth_skin.h"

#define PI 3.14159265358979323846
#define RW 64
#define RH 64

/* ---------------------------------------------------------- fixtures -- */

typedef struct planes {
    uint32_t w, h;
    scar__lab_planes lab;
    scar__planef mi, ei, mel, hb;
    scar__mask skin;
    scar__labels labels;
    scar__rings rings;
    int32_t count;
} planes;

static void planes_alloc(planes *p, uint32_t w, uint32_t h)
{
    memset(p, 0, sizeof *p);
    p->w = w;
    p->h = h;
    scar__planef *f[] = {&p->lab.L, &p->lab.a, &p->lab.b, &p->mi, &p->ei,
                         &p->mel, &p->hb};
    for (size_t k = 0; k < sizeof f / sizeof *f; k++)
        assert_int_equal(scar__planef_alloc(w, h, "test", f[k]), SCAR_OK);
    assert_int_equal(scar__mask_alloc(w, h, "test", &p->skin), SCAR_OK);
    assert_int_equal(scar__labels_alloc(w, h, "test", &p->labels), SCAR_OK);
    memset(p->skin.data, 1, (size_t)w * h);
}

static void planes_free(planes *p)
{
    scar__planef *f[] = {&p->lab.L, &p->lab.a, &p->lab.b, &p->mi, &p->ei,
                         &p->mel, &p->hb};
    for (size_t k = 0; k < sizeof f / sizeof *f; k++)
        scar__plane_free(f[k]->data);
    scar__plane_free(p->skin.data);
    scar__plane_free(p->labels.data);
    scar__rings_free(&p->rings);
}

static scar__score_input input_of(planes *p, double ppm, double inner_px,
                                  double outer_px)
{
    assert_int_equal(scar__rings_compute(&p->labels, p->count, &p->skin,
                                         inner_px, outer_px, "test", &p->rings),
                     SCAR_OK);
    scar__score_input in = {&p->lab,
                            {NULL, {&p->mi, &p->ei, &p->mel, &p->hb}},
                            &p->skin, &p->labels, p->count, &p->rings, ppm,
                            outer_px, 0.0 /* planes: no exposure gain */};
    return in;
}

static double ref(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/score_ref.txt", SCAR_TEST_DATA);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256], key[128];
    double v = NAN;
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        if (sscanf(line, "%127s %lf", key, &v) == 2 && !strcmp(key, name)) {
            found = 1;
            break;
        }
    }
    fclose(f);
    if (!found)
        fail_msg("score_ref.txt lacks %s", name);
    return v;
}

#define NEAR(a, b, tol)                                                      \
    do {                                                                     \
        double a_ = (a), b_ = (b);                                           \
        if (!(fabs(a_ - b_) <= (tol) * (1.0 + fabs(b_))))                    \
            fail_msg("%s = %.12g, expected %.12g", #a, a_, b_);              \
    } while (0)

/* The 64 x 64 reference scene: L* and labels from the committed file. */
static void load_reference(planes *p)
{
    planes_alloc(p, RW, RH);
    char path[1024];
    snprintf(path, sizeof path, "%s/score_ref_planes.bin", SCAR_TEST_DATA);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(p->lab.L.data, sizeof(float), RW * RH, f), RW * RH);
    assert_int_equal(fread(p->labels.data, sizeof(int32_t), RW * RH, f), RW * RH);
    fclose(f);
    for (size_t i = 0; i < (size_t)RW * RH; i++) {
        p->lab.a.data[i] = 12.0f;
        p->lab.b.data[i] = 16.0f;
        p->mi.data[i] = p->ei.data[i] = p->mel.data[i] = p->hb.data[i] = 1.0f;
    }
    p->count = 2;
}

/* ------------------------------------------------------------- tests -- */

static void test_reference_geometry_texture(void **state)
{
    (void)state;
    planes p;
    load_reference(&p);
    scar__score_input in = input_of(&p, 10.0, 3.0, 10.0);
    scar_region r[2];
    assert_int_equal(scar__score_regions(&in, "test", r), SCAR_OK);
    uint32_t dist[SCAR__SCORE_GLCM_N_DIST];
    assert_int_equal(scar__score_glcm_distances(10.0, dist), 3);
    assert_int_equal(dist[0], 1);
    assert_int_equal(dist[1], 3);
    assert_int_equal(dist[2], 5);
    for (int k = 0; k < 2; k++) {
        char n[64];
#define R(field) (snprintf(n, sizeof n, "r%d." field, k + 1), ref(n))
        assert_int_equal(r[k].id, k + 1);
        NEAR(r[k].area_px, R("area"), 0);
        NEAR(r[k].area_mm2, R("area") / 100.0, 1e-12);
        NEAR(r[k].perimeter_px, R("perimeter"), 1e-9);
        NEAR(r[k].perimeter_mm, R("perimeter") / 10.0, 1e-9);
        NEAR(r[k].equivalent_diameter_px, R("equivalent_diameter"), 1e-9);
        NEAR(r[k].major_axis_px, R("major_axis"), 1e-9);
        NEAR(r[k].minor_axis_px, R("minor_axis"), 1e-9);
        double major = R("major_axis"), minor = R("minor_axis");
        NEAR(r[k].elongation, major / minor, 1e-9);
        NEAR(r[k].solidity, R("solidity"), 1e-9);
        NEAR(r[k].orientation_deg, R("orientation_deg"), 1e-9);
        double area = R("area"), per = R("perimeter");
        NEAR(r[k].circularity, 4 * PI * area / (per * per), 1e-9);
        NEAR(r[k].ring_area_px, R("ring_px"), 0);
        NEAR(r[k].lab_inside_median[0], R("L_inside_median"), 1e-9);
        NEAR(r[k].lab_ring_median[0], R("L_ring_median"), 1e-9);
        NEAR(r[k].glcm_contrast_ring, R("glcm_contrast_ring"), 1e-9);
        NEAR(r[k].glcm_dissimilarity_ring, R("glcm_dissimilarity_ring"), 1e-9);
        NEAR(r[k].glcm_homogeneity_ring, R("glcm_homogeneity_ring"), 1e-9);
        NEAR(r[k].glcm_energy_ring, R("glcm_energy_ring"), 1e-9);
        NEAR(r[k].glcm_asm_ring, R("glcm_asm_ring"), 1e-9);
        NEAR(r[k].glcm_correlation_ring, R("glcm_correlation_ring"), 1e-9);
        NEAR(r[k].glcm_entropy_ring, R("glcm_entropy_ring"), 1e-9);
        NEAR(r[k].lbp_chi2, R("lbp_chi2"), 1e-12);
        /* single-precision FFT vs numpy float64 */
        NEAR(r[k].roughness_inside, R("roughness_inside"), 2e-4);
        NEAR(r[k].roughness_ring, R("roughness_ring"), 2e-4);
#undef R
    }
    /* the rectangle is uncut by its mask: skimage graycoprops on the crop */
    NEAR(r[0].glcm_contrast_inside, ref("r1.glcm_contrast_inside"), 1e-9);
    NEAR(r[0].glcm_dissimilarity_inside, ref("r1.glcm_dissimilarity_inside"), 1e-9);
    NEAR(r[0].glcm_homogeneity_inside, ref("r1.glcm_homogeneity_inside"), 1e-9);
    NEAR(r[0].glcm_energy_inside, ref("r1.glcm_energy_inside"), 1e-9);
    NEAR(r[0].glcm_asm_inside, ref("r1.glcm_asm_inside"), 1e-9);
    NEAR(r[0].glcm_correlation_inside, ref("r1.glcm_correlation_inside"), 1e-9);

    /* repeatable to the bit */
    scar_region again[2];
    assert_int_equal(scar__score_regions(&in, "test", again), SCAR_OK);
    assert_memory_equal(r, again, sizeof r);

    /* median and robust SD of healthy skin, as numpy */
    float *v = malloc((size_t)RW * RH * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < (size_t)RW * RH; i++)
        if (!p.labels.data[i])
            v[n++] = p.lab.L.data[i];
    double med = 0;
    double sd = scar__score_robust_sd(v, n, &med);
    NEAR(med, ref("skin.L_median"), 1e-9);
    NEAR(sd, ref("skin.L_robust_sd"), 1e-6);
    free(v);
    planes_free(&p);
}

static void test_median_small(void **state)
{
    (void)state;
    float a[] = {5, 1, 4, 2, 3};
    assert_true(scar__score_median(a, 5) == 3.0);
    float b[] = {7, 1, 3, 5};
    assert_true(scar__score_median(b, 4) == 4.0); /* (3 + 5) / 2 */
    float c[] = {2, 2, 2, 9, 2, 2};
    assert_true(scar__score_median(c, 6) == 2.0);
    assert_true(isnan(scar__score_median(c, 0)));
    float d[] = {1, 2, 3, 4, 100};
    double m;
    /* |d - 3| = 2 1 0 1 97 -> median 1 */
    assert_true(fabs(scar__score_robust_sd(d, 5, &m) - 1.4826) < 1e-12);
    assert_true(m == 3.0);
}

/* Large sample counts take the bracket / radix selection paths of
 * stats.c; the oracle is a full sort (qsort) with numpy's convention. */
static int cmp_f(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static double sorted_median(const float *v, size_t n)
{
    float *s = malloc(n * sizeof *s);
    assert_non_null(s);
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_f);
    double m = n % 2 ? (double)s[n / 2]
                     : 0.5 * ((double)s[n / 2 - 1] + s[n / 2]);
    free(s);
    return m;
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* kind 0: continuous around 50; 1: 256 distinct values (an 8-bit LUT);
 * 2: signed values with many +-0; 3: all equal; 4: ascending; 5: two
 * clusters with the middle in the gap; 6: a median value repeated by 40 %
 * of the samples (more than the bracket copy holds). */
static void fill_kind(float *v, size_t n, int kind, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        double u = (double)lcg(&seed) / 16777216.0;
        double g = (u + (double)lcg(&seed) / 16777216.0 +
                    (double)lcg(&seed) / 16777216.0 - 1.5) * 20.0;
        switch (kind) {
        case 0: v[i] = (float)(50.0 + g); break;
        case 1: v[i] = (float)(-100.0 * log10((lcg(&seed) % 256 + 1) / 256.0)); break;
        case 2: v[i] = u < 0.3 ? -0.0f : u < 0.6 ? 0.0f : (float)g; break;
        case 3: v[i] = 7.25f; break;
        case 4: v[i] = (float)i * 0.5f - 1000.0f; break;
        case 5: v[i] = (float)(i % 2 ? 100.0 + u : -100.0 - u); break;
        default: v[i] = u < 0.4 ? 3.0f : (float)g; break;
        }
    }
}

static void test_median_large_exact(void **state)
{
    (void)state;
    const size_t sizes[] = {65536, 200000, 200001, 1000003};
    for (int kind = 0; kind < 7; kind++)
        for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
            size_t n = sizes[si];
            float *v = malloc(n * sizeof *v), *w = malloc(n * sizeof *v);
            assert_non_null(v);
            assert_non_null(w);
            fill_kind(v, n, kind, (uint32_t)(kind * 977 + si));
            memcpy(w, v, n * sizeof *v);
            double want = sorted_median(v, n);
            assert_true(scar__score_median(w, n) == want);
            /* robust SD: 1.4826 * median |v - median| with the deviations
             * rounded to float, as the small-n path forms them */
            for (size_t i = 0; i < n; i++)
                w[i] = (float)fabs((double)v[i] - want);
            double want_sd = 1.4826 * sorted_median(w, n);
            memcpy(w, v, n * sizeof *v);
            double med = 0.0;
            assert_true(scar__score_robust_sd(w, n, &med) == want_sd);
            assert_true(med == want);
            free(v);
            free(w);
        }
}

/* scar__score_ita_approx stays within SCAR__SCORE_ITA_APPROX_EPS / 10 of
 * the float-rounded scar_ita (the margin docs/performance.md claims) on a
 * dense grid of L* x b* and near the origin. */
static void test_ita_approx_bound(void **state)
{
    (void)state;
    enum { N = 2561 };
    float L[N], b[N], a[N];
    double worst = 0.0;
    for (int i = 0; i <= 1000; i++) {
        for (int j = 0; j < N; j++) {
            L[j] = (float)(0.1 * i);
            b[j] = (float)(-128.0 + 0.1 * j);
        }
        scar__score_ita_approx(L, b, N, a);
        for (int j = 0; j < N; j++) {
            if ((double)L[j] - 50.0 == 0.0 && b[j] == 0.0f)
                continue;
            double d = fabs((double)a[j] - (double)(float)scar_ita(L[j], b[j]));
            if (d > worst)
                worst = d;
        }
    }
    /* tiny offsets around L* = 50, b* = 0 in every direction */
    for (int j = 0; j < N; j++) {
        double t = 2.0 * PI * j / N;
        L[j] = (float)(50.0 + 1e-3 * sin(t));
        b[j] = (float)(1e-3 * cos(t));
    }
    scar__score_ita_approx(L, b, N, a);
    for (int j = 0; j < N; j++) {
        if ((double)L[j] - 50.0 == 0.0 && b[j] == 0.0f)
            continue;
        double d = fabs((double)a[j] - (double)(float)scar_ita(L[j], b[j]));
        if (d > worst)
            worst = d;
    }
    assert_true(worst <= SCAR__SCORE_ITA_APPROX_EPS / 10.0);
}

/* The summary's ITA median (bracketed on approximate angles, exact ITA
 * only near the middle) equals numpy.median of (float)scar_ita over
 * healthy skin computed here by sorting: a smooth spread, a 40 % tie at
 * the middle (the subsample band is rejected), an even and an odd count,
 * regions and non-skin excluded. */
static void test_ita_median_exact(void **state)
{
    (void)state;
    for (int kind = 0; kind < 3; kind++) {
        planes p;
        uint32_t w = 400, h = 300 + (uint32_t)kind;
        planes_alloc(&p, w, h);
        uint32_t seed = 12345u + (uint32_t)kind;
        size_t npx = (size_t)w * h, n = 0;
        float *v = malloc(npx * sizeof *v);
        assert_non_null(v);
        for (size_t i = 0; i < npx; i++) {
            seed = seed * 1664525u + 1013904223u;
            double u1 = (seed >> 8) / 16777216.0;
            seed = seed * 1664525u + 1013904223u;
            double u2 = (seed >> 8) / 16777216.0;
            float L = (float)(45.0 + 30.0 * u1), bb = (float)(5.0 + 20.0 * u2);
            if (kind == 1 && u1 < 0.4) {
                L = 62.0f;
                bb = 14.0f;
            }
            p.lab.L.data[i] = L;
            p.lab.b.data[i] = bb;
            p.labels.data[i] = (i % 97) == 3;
            p.skin.data[i] = (i % 89) != 5;
            if (kind == 2 && i % 1000 == 7) {
                p.lab.L.data[i] = 50.0f; /* no angle: not a sample */
                p.lab.b.data[i] = 0.0f;
            }
            if (p.skin.data[i] && !p.labels.data[i] &&
                !(p.lab.L.data[i] == 50.0f && p.lab.b.data[i] == 0.0f))
                v[n++] = (float)scar_ita(p.lab.L.data[i], p.lab.b.data[i]);
        }
        assert_true(n >= 65536);
        qsort(v, n, sizeof *v, cmp_f);
        double want = n % 2 ? (double)v[n / 2]
                            : 0.5 * ((double)v[n / 2 - 1] + v[n / 2]);
        free(v);
        p.count = 0;
        scar__score_input in = input_of(&p, 10.0, 3.0, 10.0);
        scar_summary s;
        memset(&s, 0, sizeof s);
        assert_int_equal(scar__score_summary(&in, NULL, "test", &s), SCAR_OK);
        assert_true(s.skin_ita_deg == want);
        planes_free(&p);
    }
}

/* A 24 x 24 scene: one 4 x 4 region with Lab (50, 20, 15), MI 30, EI 9,
 * melanin 2, haemoglobin 3; every other pixel (60, 12, 18), 20, 5, 1, 1.
 * With quadrants != 0 the ring's four sectors around the centroid (11.5,
 * 11.5) get L* 60 + 2k (k = sector). */
static void hand_scene(planes *p, int quadrants)
{
    planes_alloc(p, 24, 24);
    for (uint32_t y = 0; y < 24; y++)
        for (uint32_t x = 0; x < 24; x++) {
            size_t i = (size_t)y * 24 + x;
            int in = x >= 10 && x < 14 && y >= 10 && y < 14;
            p->labels.data[i] = in;
            int k = y >= 12 ? (x >= 12 ? 0 : 1) : (x >= 12 ? 3 : 2);
            p->lab.L.data[i] = in ? 50.f : 60.f + (quadrants ? 2.f * k : 0.f);
            p->lab.a.data[i] = in ? 20.f : 12.f;
            p->lab.b.data[i] = in ? 15.f : 18.f;
            p->mi.data[i] = in ? 30.f : 20.f;
            p->ei.data[i] = in ? 9.f : 5.f;
            p->mel.data[i] = in ? 2.f : 1.f;
            p->hb.data[i] = in ? 3.f : 1.f;
        }
    p->count = 1;
}

static void test_hand_colour(void **state)
{
    (void)state;
    planes p;
    hand_scene(&p, 0);
    scar__score_input in = input_of(&p, 2.0, 1.0, 4.0);
    scar_region r;
    assert_int_equal(scar__score_regions(&in, "test", &r), SCAR_OK);
    assert_true(r.area_px == 16 && r.area_mm2 == 4.0);
    assert_true(r.ring_area_px > 0);
    const double ins[3] = {50, 20, 15}, ring[3] = {60, 12, 18};
    for (int c = 0; c < 3; c++) {
        assert_true(r.lab_inside[c] == ins[c] && r.lab_ring[c] == ring[c]);
        assert_true(r.lab_inside_median[c] == ins[c]);
        assert_true(r.lab_ring_median[c] == ring[c]);
    }
    assert_true(r.delta_L == -10 && r.delta_a == 8 && r.delta_b == -3);
    NEAR(r.delta_e76, sqrt(173.0), 1e-15);
    NEAR(r.delta_e00, scar_delta_e00(ins, ring), 0);
    assert_true(r.ita_inside == 0.0); /* atan2(50 - 50, 15) */
    NEAR(r.ita_ring, atan2(10.0, 18.0) * 180.0 / PI, 1e-14);
    NEAR(r.delta_ita, -atan2(10.0, 18.0) * 180.0 / PI, 1e-14);
    assert_true(r.mi_inside == 30 && r.mi_ring == 20 && r.delta_mi == 10);
    assert_true(r.ei_inside == 9 && r.ei_ring == 5 && r.delta_ei == 4);
    assert_true(r.delta_melanin == 1 && r.delta_haemoglobin == 2);
    assert_true(r.delta_e00_sd == 0.0); /* identical sectors */
    /* da 8 >= 1.5 and > 0.5 |dL| = 5: erythema (documented rule) */
    assert_int_equal(r.pigment_class, SCAR_CLASS_ERYTHEMA);
    assert_int_equal(r.mss_color_class, 2); /* 13.15 in [6.975, 13.655) */
    /* darker by 10 with |dC| = 25 - 21.63 <= 5: shaded; diameter
     * sqrt(64 / pi) / 2 = 2.26 mm: boxcar */
    assert_int_equal(r.morph_hint, SCAR_HINT_BOXCAR);
    NEAR(r.equivalent_diameter_mm, sqrt(64.0 / PI) / 2.0, 1e-12);
    assert_true(r.elongation == 1.0 && r.orientation_deg == 0.0);

    /* summary: healthy skin = everything but the region */
    scar_summary s;
    memset(&s, 0, sizeof s);
    s.skin_area_px = 24 * 24;
    s.skin_area_mm2 = 24.0 * 24.0 / 4.0;
    assert_int_equal(scar__score_summary(&in, &r, "test", &s), SCAR_OK);
    assert_int_equal(s.region_count, 1);
    NEAR(s.skin_ita_deg, atan2(10.0, 18.0) * 180.0 / PI, 1e-6);
    assert_int_equal(s.skin_ita_category,
                     scar_ita_category_of(atan2(10.0, 18.0) * 180.0 / PI));
    assert_true(s.skin_mi_median == 20 && s.skin_mi_robust_sd == 0);
    assert_true(s.skin_ei_median == 5 && s.skin_ei_robust_sd == 0);
    assert_int_equal(s.count_by_class[SCAR_CLASS_ERYTHEMA], 1);
    assert_int_equal(s.count_by_hint[SCAR_HINT_BOXCAR], 1);
    assert_true(s.area_mm2_by_class[SCAR_CLASS_ERYTHEMA] == 4.0);
    NEAR(s.area_fraction_by_class[SCAR_CLASS_ERYTHEMA], 4.0 / 144.0, 1e-15);
    assert_true(s.delta_e00_area_weighted == r.delta_e00);
    assert_true(s.delta_e00_max == r.delta_e00);
    assert_int_equal(s.mss_color_class, 2);
    assert_true(s.goodman_baron_score == 2.0); /* one B scar: 2 x 1 */
    assert_true(s.mmasi_like == 0.0);           /* no hyperpigmentation */
    planes_free(&p);

    /* sectors of different lightness: SD of the four CIEDE2000 values */
    hand_scene(&p, 1);
    in = input_of(&p, 2.0, 1.0, 4.0);
    assert_int_equal(scar__score_regions(&in, "test", &r), SCAR_OK);
    double de[4], mu = 0, ss = 0;
    for (int k = 0; k < 4; k++) {
        double m[3] = {60.0 + 2 * k, 12, 18};
        de[k] = scar_delta_e00(ins, m);
        mu += de[k] / 4;
    }
    for (int k = 0; k < 4; k++)
        ss += (de[k] - mu) * (de[k] - mu);
    NEAR(r.delta_e00_sd, sqrt(ss / 3), 1e-9);
    planes_free(&p);
}

static scar_region region_with(double dL, double dC_extra, double d_mm,
                               double elong, uint32_t cls)
{
    scar_region r;
    memset(&r, 0, sizeof r);
    r.ring_area_px = 100;
    r.lab_ring[0] = 60;
    r.lab_ring[1] = 0;
    r.lab_ring[2] = 20;
    r.lab_inside[0] = 60 + dL;
    r.lab_inside[1] = 0;
    r.lab_inside[2] = 20 + dC_extra;
    r.delta_L = dL;
    r.equivalent_diameter_mm = d_mm;
    r.elongation = elong;
    r.pigment_class = cls;
    return r;
}

static void test_hint_rule(void **state)
{
    (void)state;
    scar_region r = region_with(-4, 0, 1.5, 1.2, SCAR_CLASS_HYPER);
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_ICEPICK);
    r = region_with(-4, 1.9, 2.0, 1.2, SCAR_CLASS_HYPER); /* dC 1.9 <= 2 */
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_BOXCAR);
    r = region_with(-4, 0, 4.0, 1.2, SCAR_CLASS_HYPER);
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_BOXCAR);
    r = region_with(-4, 0, 4.01, 1.2, SCAR_CLASS_HYPER);
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_ROLLING);
    r = region_with(-4, 2.1, 1.5, 1.2, SCAR_CLASS_HYPER); /* pigment, not shade */
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_PATCH);
    r = region_with(-4, 0, 1.5, 3.0, SCAR_CLASS_HYPER);
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_STRIAE);
    r = region_with(-0.5, 0, 5, 1, SCAR_CLASS_ERYTHEMA);
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_HYPERTROPHIC);
    r = region_with(-0.5, 0, 2.9, 1, SCAR_CLASS_ERYTHEMA);
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_PATCH);
    r = region_with(3, 0, 2, 1, SCAR_CLASS_HYPO);
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_PATCH);
    r.ring_area_px = 0;
    assert_int_equal(scar__score_hint(&r), SCAR_HINT_NONE);
    assert_string_equal(scar_morph_hint_name(SCAR_HINT_ICEPICK), "icepick");
    assert_string_equal(scar_morph_hint_name(SCAR_HINT_PATCH), "patch");
    assert_string_equal(scar_morph_hint_name((scar_morph_hint)99), "unknown");
}

static void test_clinical_bands(void **state)
{
    (void)state;
    /* Manchester: midpoints of 4.4, 9.55, 17.76, 29.06 */
    assert_int_equal(scar__score_mss_class(NAN), 0);
    assert_int_equal(scar__score_mss_class(0.0), 1);
    assert_int_equal(scar__score_mss_class(6.97), 1);
    assert_int_equal(scar__score_mss_class((4.4 + 9.55) / 2), 2);
    assert_int_equal(scar__score_mss_class(13.65), 2);
    assert_int_equal(scar__score_mss_class((9.55 + 17.76) / 2), 3);
    assert_int_equal(scar__score_mss_class(23.40), 3);
    assert_int_equal(scar__score_mss_class((17.76 + 29.06) / 2), 4);
    assert_int_equal(scar__score_mss_class(60), 4);
    /* Goodman-Baron: A patch 5 -> 1; B boxcar 8 + rolling 4 = 12 -> 2 x 2;
     * C icepick 21 -> 3 x 3; D none; striae ignored */
    uint32_t c[SCAR_HINT_COUNT] = {0};
    c[SCAR_HINT_PATCH] = 5;
    c[SCAR_HINT_BOXCAR] = 8;
    c[SCAR_HINT_ROLLING] = 4;
    c[SCAR_HINT_ICEPICK] = 21;
    c[SCAR_HINT_STRIAE] = 50;
    assert_true(scar__score_goodman_baron(c) == 1 + 4 + 9);
    c[SCAR_HINT_HYPERTROPHIC] = 10;
    assert_true(scar__score_goodman_baron(c) == 1 + 4 + 9 + 2);
    uint32_t z[SCAR_HINT_COUNT] = {0};
    assert_true(scar__score_goodman_baron(z) == 0);
    /* mMASI-like bands */
    assert_int_equal(scar__score_mmasi_area(0.0), 0);
    assert_int_equal(scar__score_mmasi_area(0.05), 1);
    assert_int_equal(scar__score_mmasi_area(0.10), 2);
    assert_int_equal(scar__score_mmasi_area(0.30), 3);
    assert_int_equal(scar__score_mmasi_area(0.69), 4);
    assert_int_equal(scar__score_mmasi_area(0.70), 5);
    assert_int_equal(scar__score_mmasi_area(0.95), 6);
    assert_int_equal(scar__score_mmasi_darkness(NAN), 0);
    assert_int_equal(scar__score_mmasi_darkness(1.0), 0);
    assert_int_equal(scar__score_mmasi_darkness(-2.9), 1);
    assert_int_equal(scar__score_mmasi_darkness(-3.0), 2);
    assert_int_equal(scar__score_mmasi_darkness(-6.0), 3);
    assert_int_equal(scar__score_mmasi_darkness(-10.0), 4);
}

static char *read_text(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SCAR_TEST_DATA, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static scar_result *analyse_synthetic(void)
{
    const double base[3] = {62.0, 12.0, 17.0};
    const synth_disc d[2] = {{60.0, 60.0, 14.0, {10.0, -2.0, -6.0}},
                             {140.0, 90.0, 10.0, {-9.0, 4.0, 3.0}}};
    scar_image *img = synth_skin(200, 160, base, d, 2, 0, 1.0);
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = 12.5;
    scar_result *res = NULL;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    scar_image_free(img);
    return res;
}

static void test_outputs_every_field(void **state)
{
    (void)state;
    /* the committed headers = the literal headers = the field tables */
    char *hi = read_text("score_csv_header_images.txt");
    char *hr = read_text("score_csv_header_regions.txt");
    assert_string_equal(scar_csv_header(SCAR_CSV_IMAGES), hi);
    assert_string_equal(scar_csv_header(SCAR_CSV_REGIONS), hr);
    assert_null(scar_csv_header((scar_csv_table)7));
    assert_memory_equal(hr, "id,", 3);
    const scar_csv_table tabs[2] = {SCAR_CSV_IMAGES, SCAR_CSV_REGIONS};
    const char *hdr[2] = {hi, hr};
    for (int t = 0; t < 2; t++) {
        char *copy = strdup(hdr[t]);
        copy[strlen(copy) - 1] = '\0';
        size_t k = 0;
        for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","), k++)
            assert_string_equal(scar__csv_column_name(tabs[t], k), tok);
        assert_null(scar__csv_column_name(tabs[t], k));
        free(copy);
    }
    /* every column is documented in docs/metrics.md as `name` */
    char *doc = read_text("../../docs/metrics.md");
    for (int t = 0; t < 2; t++)
        for (size_t k = 0; scar__csv_column_name(tabs[t], k); k++) {
            char key[128];
            snprintf(key, sizeof key, "`%s`", scar__csv_column_name(tabs[t], k));
            if (!strstr(doc, key))
                fail_msg("docs/metrics.md does not define %s", key);
        }
    free(doc);

    scar_result *res = analyse_synthetic();
    assert_int_equal(scar_result_region_count(res), 2);
    char *js = NULL;
    assert_int_equal(scar_result_to_json(res, &js, NULL), SCAR_OK);
    const char *must[] = {"\"schema_version\":\"0.6\"", "\"region_count\":2",
                          "\"skin_ita_deg\":", "\"id\":1,", "\"id\":2,",
                          "\"area_px\":", "\"area_mm2\":", "\"delta_e00\":",
                          "\"delta_L\":", "\"class\":\""};
    for (size_t i = 0; i < sizeof must / sizeof *must; i++)
        if (!strstr(js, must[i]))
            fail_msg("JSON lacks %s", must[i]);
    const scar__field *tab[2] = {scar__image_fields, scar__region_fields};
    size_t cnt[2] = {scar__image_field_count, scar__region_field_count};
    for (int t = 0; t < 2; t++)
        for (size_t k = 0; k < cnt[t]; k++) {
            char key[160];
            const scar__field *f = &tab[t][k];
            if (f->sub && f->sub[0])
                snprintf(key, sizeof key, "\"%s\":{", f->json);
            else
                snprintf(key, sizeof key, "\"%s\":", f->json);
            if (!strstr(js, key))
                fail_msg("JSON lacks %s", key);
            if (f->sub && f->sub[0]) {
                snprintf(key, sizeof key, "\"%s\":", f->sub);
                if (!strstr(js, key))
                    fail_msg("JSON lacks member %s of %s", key, f->json);
            }
        }
    /* CSV: one image row, one row per region, column counts match */
    char *csv = NULL;
    size_t n = 0;
    for (int t = 0; t < 2; t++) {
        assert_int_equal(scar_result_to_csv(res, tabs[t], &csv, &n), SCAR_OK);
        assert_int_equal(strlen(csv), n);
        size_t lines = 0, commas = 0;
        for (const char *c = csv; *c; c++) {
            lines += *c == '\n';
            commas += *c == ',';
        }
        assert_int_equal(lines, t == 0 ? 1 : 2);
        assert_int_equal(commas, lines * (cnt[t] - 1));
        if (t == 1)
            assert_memory_equal(csv, "1,", 2);
        scar_free(csv);
    }
    assert_int_equal(scar_result_to_csv(NULL, SCAR_CSV_IMAGES, &csv, NULL),
                     SCAR_E_INVALID);
    assert_int_equal(scar_result_to_csv(res, (scar_csv_table)5, &csv, NULL),
                     SCAR_E_INVALID);
    assert_null(csv);

    /* summary accessor: consistent with regions; short struct honoured */
    scar_summary s;
    s.struct_size = sizeof s;
    assert_int_equal(scar_result_summary(res, &s), SCAR_OK);
    assert_int_equal(s.region_count, 2);
    assert_true(s.px_per_mm == 12.5 && s.width == 200 && s.height == 160);
    assert_true(isfinite(s.skin_ita_deg));
    scar_region r[2];
    double wsum = 0, w = 0, mx = 0;
    for (uint32_t i = 0; i < 2; i++) {
        r[i].struct_size = sizeof r[i];
        assert_int_equal(scar_result_region(res, i, &r[i]), SCAR_OK);
        wsum += r[i].area_px * r[i].delta_e00;
        w += r[i].area_px;
        mx = fmax(mx, r[i].delta_e00);
    }
    NEAR(s.delta_e00_area_weighted, wsum / w, 1e-12);
    assert_true(s.delta_e00_max == mx);
    assert_int_equal(r[0].pigment_class, SCAR_CLASS_HYPO);
    assert_int_equal(r[1].pigment_class, SCAR_CLASS_HYPER);
    scar_summary small;
    memset(&small, 0xab, sizeof small);
    small.struct_size = offsetof(scar_summary, px_per_mm);
    assert_int_equal(scar_result_summary(res, &small), SCAR_OK);
    assert_int_equal(small.region_count, 2);
    assert_true(small.struct_size == offsetof(scar_summary, px_per_mm));
    small.struct_size = 0;
    assert_int_equal(scar_result_summary(res, &small), SCAR_E_INVALID);
    assert_int_equal(scar_result_summary(NULL, &s), SCAR_E_INVALID);

    /* the same input gives the same bytes */
    scar_result *again = analyse_synthetic();
    char *js2 = NULL;
    assert_int_equal(scar_result_to_json(again, &js2, NULL), SCAR_OK);
    assert_string_equal(js, js2);
    scar_free(js2);
    scar_result_free(again);
    scar_free(js);
    scar_result_free(res);
    free(hi);
    free(hr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_geometry_texture),
        cmocka_unit_test(test_median_small),
        cmocka_unit_test(test_median_large_exact),
        cmocka_unit_test(test_ita_approx_bound),
        cmocka_unit_test(test_ita_median_exact),
        cmocka_unit_test(test_hand_colour),
        cmocka_unit_test(test_hint_rule),
        cmocka_unit_test(test_clinical_bands),
        cmocka_unit_test(test_outputs_every_field),
    };
    return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
