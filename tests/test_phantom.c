/* test_phantom.c — samples/phantom, the synthetic photos the accuracy
 * benchmark and the segmentation tests rely on.
 *
 * Independent reference: the per-lesion truth (area, ring, mean CIELAB
 * inside and in the ring, dE00) recomputed by scipy / scikit-image from the
 * clean render and labels (data/phantom_truth_ref.csv, made by
 * reference/gen_phantom_ref.py). Property tests: determinism, label/truth
 * consistency, the requested ITA, and the physics of the lesion kinds
 * (PIH darker, hypopigmentation lighter and stronger on dark skin, erythema
 * redder and weaker on dark skin, icepick pits dark). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phantom.h"
#include "scarscore.h"

/* Keep in sync with reference/gen_phantom_ref.py (ARGS). */
#define REF_SEED 5
#define REF_W 320
#define REF_H 240
#define REF_PPM 10.0
#define REF_ITA 20.0
#define REF_LESIONS 6

static void gen(phantom *ph, uint64_t seed, uint32_t w, uint32_t h, double ppm,
                double ita, int lesions, uint32_t kinds)
{
    phantom_params p;
    phantom_params_init(&p);
    p.seed = seed;
    p.width = w;
    p.height = h;
    p.px_per_mm = ppm;
    p.ita = ita;
    p.lesions = lesions;
    p.kinds_mask = kinds;
    p.hairs = 0;
    p.quality = 90;
    char err[256];
    if (phantom_generate(&p, ph, err, sizeof err))
        fail_msg("phantom_generate: %s", err);
}

static void test_truth_matches_reference(void **state)
{
    (void)state;
    phantom ph;
    gen(&ph, REF_SEED, REF_W, REF_H, REF_PPM, REF_ITA, REF_LESIONS, 0);
    FILE *f = fopen(SCAR_TEST_DATA "/phantom_truth_ref.csv", "r");
    assert_non_null(f);
    char line[512];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == 'i')
            continue;
        int id;
        unsigned long area, ring;
        double v[7];
        int n = sscanf(line, "%d,%lu,%lu,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &id, &area, &ring,
                       &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]);
        assert_int_equal(n, 10);
        assert_true(id >= 1 && id <= ph.n_lesions);
        const phantom_lesion *l = &ph.les[id - 1];
        /* A pixel exactly on the half-contrast outline may flip with the
         * C library's pow/exp: allow 2 px of area, 1 % of ring. */
        assert_true(labs((long)l->area_px - (long)area) <= 2);
        assert_true(fabs((double)l->ring_px - (double)ring) <= 0.01 * ring + 2);
        for (int c = 0; c < 3; c++) {
            if (fabs(l->lab_in[c] - v[c]) > 0.03 || fabs(l->lab_ring[c] - v[3 + c]) > 0.03)
                fail_msg("lesion %d Lab[%d]: in %.4f vs %.4f, ring %.4f vs %.4f", id, c,
                         l->lab_in[c], v[c], l->lab_ring[c], v[3 + c]);
        }
        if (fabs(l->delta_e00 - v[6]) > 0.03)
            fail_msg("lesion %d dE00 %.4f vs reference %.4f", id, l->delta_e00, v[6]);
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, ph.n_lesions);
    assert_true(rows >= 3);
    phantom_free(&ph);
}

static void test_deterministic(void **state)
{
    (void)state;
    phantom a, b, c;
    gen(&a, 42, 256, 192, 9.0, NAN, 5, 0);
    gen(&b, 42, 256, 192, 9.0, NAN, 5, 0);
    gen(&c, 43, 256, 192, 9.0, NAN, 5, 0);
    size_t n = (size_t)256 * 192;
    assert_memory_equal(a.photo, b.photo, n * 3);
    assert_memory_equal(a.clean, b.clean, n * 3 * sizeof(uint16_t));
    assert_memory_equal(a.labels, b.labels, n * sizeof(uint16_t));
    assert_int_equal(a.n_lesions, b.n_lesions);
    assert_true(memcmp(a.photo, c.photo, n * 3) != 0);
    phantom_free(&a);
    phantom_free(&b);
    phantom_free(&c);
}

/* The cluster layout: the scarred-cheek kinds only, 30-60 lesions asked
 * for, tails apart (the scene gives each pixel to one lesion), most of
 * them crowded: a median nearest-neighbour gap (edge to edge) well under
 * the scattered layout's 3 mm ring; deterministic; and the scattered
 * phantom of the same seed unchanged by the layout's own stream. */
static void test_cluster_layout(void **state)
{
    (void)state;
    const uint32_t acne = (1u << PK_ICEPICK) | (1u << PK_BOXCAR) |
                          (1u << PK_ROLLING) | (1u << PK_ERYTHEMA) |
                          (1u << PK_HYPER);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        phantom_params p;
        phantom_params_init(&p);
        p.seed = seed;
        p.width = 1024;
        p.height = 768;
        p.px_per_mm = 10.0;
        p.hairs = 0;
        p.layout = PHANTOM_LAYOUT_CLUSTER;
        phantom a, b;
        char err[256];
        if (phantom_generate(&p, &a, err, sizeof err) ||
            phantom_generate(&p, &b, err, sizeof err))
            fail_msg("phantom_generate: %s", err);
        assert_true(a.p.lesions >= 30 && a.p.lesions <= 60);
        assert_true(a.n_lesions >= 20 && a.n_lesions <= a.p.lesions);
        assert_int_equal(a.p.layout, PHANTOM_LAYOUT_CLUSTER);
        size_t n = (size_t)p.width * p.height;
        assert_memory_equal(a.photo, b.photo, n * 3);
        assert_memory_equal(a.labels, b.labels, n * sizeof(uint16_t));
        double gaps[PHANTOM_MAX_LESIONS];
        for (int i = 0; i < a.n_lesions; i++) {
            const phantom_lesion *l = &a.les[i];
            assert_true(acne & (1u << l->kind));
            assert_true(l->area_px > 0);
            double gmin = INFINITY;
            for (int j = 0; j < a.n_lesions; j++) {
                if (j == i)
                    continue;
                const phantom_lesion *o = &a.les[j];
                double d = hypot(l->cx - o->cx, l->cy - o->cy);
                assert_true(d >= l->tail_px + o->tail_px - 1e-9);
                double gap = (d - l->core_px - o->core_px) / p.px_per_mm;
                if (gap < gmin)
                    gmin = gap;
            }
            gaps[i] = gmin;
        }
        /* median nearest gap */
        for (int i = 1; i < a.n_lesions; i++)
            for (int j = i; j > 0 && gaps[j] < gaps[j - 1]; j--) {
                double t = gaps[j];
                gaps[j] = gaps[j - 1];
                gaps[j - 1] = t;
            }
        print_message("cluster seed %d: %d lesions, median nearest gap "
                      "%.2f mm\n", (int)seed, a.n_lesions,
                      gaps[a.n_lesions / 2]);
        assert_true(gaps[a.n_lesions / 2] < 3.0);
        phantom_free(&a);
        phantom_free(&b);
    }
    /* the layout draws from its own stream: the default layout's phantom
     * is the same whether or not a cluster was asked for before */
    phantom s1, s2, c;
    gen(&s1, 7, 256, 192, 9.0, NAN, 5, 0);
    phantom_params p;
    phantom_params_init(&p);
    p.seed = 7;
    p.layout = PHANTOM_LAYOUT_CLUSTER;
    char err[256];
    if (phantom_generate(&p, &c, err, sizeof err))
        fail_msg("phantom_generate: %s", err);
    gen(&s2, 7, 256, 192, 9.0, NAN, 5, 0);
    assert_memory_equal(s1.photo, s2.photo, (size_t)256 * 192 * 3);
    phantom_free(&s1);
    phantom_free(&s2);
    phantom_free(&c);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median |X(x + 1, y) - X(x, y)| of each channel of the clean render's
 * CIELAB over pairs of lesion-free pixels: the skin's finest variation. */
static void fine_spread(const phantom *ph, double med[3])
{
    uint32_t w = ph->p.width, h = ph->p.height;
    size_t cap = (size_t)w * h;
    double *d = malloc(sizeof(double) * 3 * cap);
    assert_non_null(d);
    size_t n = 0;
    for (uint32_t y = 0; y < h; y++) {
        double prev[3] = {0, 0, 0};
        for (uint32_t x = 0; x < w; x++) {
            size_t k = (size_t)y * w + x;
            double rgb[3], lab[3];
            for (int i = 0; i < 3; i++)
                rgb[i] = ph->clean[3 * k + i] / 65535.0;
            scar_srgb_to_lab(rgb, lab);
            if (x > 0 && ph->labels[k] == 0 && ph->labels[k - 1] == 0) {
                for (int c = 0; c < 3; c++)
                    d[c * cap + n] = fabs(lab[c] - prev[c]);
                n++;
            }
            memcpy(prev, lab, sizeof prev);
        }
    }
    for (int c = 0; c < 3; c++) {
        qsort(d + c * cap, n, sizeof *d, cmp_double);
        med[c] = d[c * cap + n / 2];
    }
    free(d);
}

/* The `real` texture (docs/phantom.md): the same lesions in the same
 * places (its fields draw from their own stream), deterministic, and skin
 * that varies more at fine scales in every channel than the `clean`
 * texture's (measured here: 3.9, 7.8, 9.2x in L*, a*, b*). */
static void test_real_texture(void **state)
{
    (void)state;
    phantom_params p;
    phantom_params_init(&p);
    p.seed = 11;
    p.width = 400;
    p.height = 300;
    p.px_per_mm = 10.0;
    p.ita = 30.0;
    p.lesions = 4;
    p.hairs = 0;
    p.quality = 90;
    phantom clean, real, real2;
    char err[256];
    if (phantom_generate(&p, &clean, err, sizeof err))
        fail_msg("phantom_generate: %s", err);
    p.texture = PHANTOM_TEXTURE_REAL;
    if (phantom_generate(&p, &real, err, sizeof err) ||
        phantom_generate(&p, &real2, err, sizeof err))
        fail_msg("phantom_generate: %s", err);
    size_t n = (size_t)400 * 300;
    assert_int_equal(real.n_lesions, clean.n_lesions);
    assert_memory_equal(real.labels, clean.labels, n * sizeof(uint16_t));
    assert_memory_equal(real.clean, real2.clean, n * 3 * sizeof(uint16_t));
    assert_memory_equal(real.photo, real2.photo, n * 3);
    double sc[3], sr[3];
    fine_spread(&clean, sc);
    fine_spread(&real, sr);
    for (int c = 0; c < 3; c++) {
        print_message("texture: channel %d, fine spread clean %.4f real %.4f\n",
                      c, sc[c], sr[c]);
        assert_true(sr[c] >= 3.0 * sc[c]);
    }
    phantom_free(&clean);
    phantom_free(&real);
    phantom_free(&real2);
}

static void test_labels_consistent(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        phantom ph;
        gen(&ph, seed, 400, 300, 8.0 + seed, NAN, -1, 0);
        uint64_t count[PHANTOM_MAX_LESIONS + 1] = {0};
        for (uint32_t y = 0; y < 300; y++)
            for (uint32_t x = 0; x < 400; x++) {
                uint16_t v = ph.labels[(size_t)y * 400 + x];
                assert_true(v <= ph.n_lesions);
                count[v]++;
                if (v) {
                    const uint32_t *bb = ph.les[v - 1].bbox;
                    assert_true(x >= bb[0] && x < bb[0] + bb[2]);
                    assert_true(y >= bb[1] && y < bb[1] + bb[3]);
                }
            }
        for (int i = 0; i < ph.n_lesions; i++) {
            const phantom_lesion *l = &ph.les[i];
            assert_int_equal(l->id, i + 1);
            assert_int_equal(count[i + 1], l->area_px);
            assert_true(l->area_px > 0);
            assert_true(l->ring_px > 0);
            assert_true(fabs(l->area_mm2 - l->area_px / (ph.p.px_per_mm * ph.p.px_per_mm)) < 1e-9);
            assert_true(isfinite(l->delta_e00) && l->delta_e00 >= 0.0);
        }
        assert_true(ph.n_lesions >= 1);
        phantom_free(&ph);
    }
}

static void test_requested_ita(void **state)
{
    (void)state;
    const double itas[] = {-45.0, -20.0, 0.0, 20.0, 35.0, 50.0, 58.0};
    for (size_t i = 0; i < sizeof itas / sizeof itas[0]; i++) {
        phantom ph;
        gen(&ph, 7, 128, 96, 8.0, itas[i], 0, 0);
        double ita = scar_ita(ph.base_lab[0], ph.base_lab[2]);
        if (fabs(ita - itas[i]) > 0.01)
            fail_msg("requested ITA %.1f, base colour has %.3f", itas[i], ita);
        assert_int_equal(ph.p.quality, 90);
        phantom_free(&ph);
    }
}

/* Mean over lesions of (inside - ring) of Lab channel c, and mean dE00. */
static void kind_contrast(uint32_t kind_bit, double ita, double *dl, double *da, double *de)
{
    phantom ph;
    gen(&ph, 11, 480, 360, 10.0, ita, 4, kind_bit);
    assert_true(ph.n_lesions >= 2);
    *dl = *da = *de = 0.0;
    for (int i = 0; i < ph.n_lesions; i++) {
        *dl += (ph.les[i].lab_in[0] - ph.les[i].lab_ring[0]) / ph.n_lesions;
        *da += (ph.les[i].lab_in[1] - ph.les[i].lab_ring[1]) / ph.n_lesions;
        *de += ph.les[i].delta_e00 / ph.n_lesions;
    }
    phantom_free(&ph);
}

static void test_lesion_physics(void **state)
{
    (void)state;
    double dl, da, de, dl2, da2, de2;
    kind_contrast(1u << PK_HYPER, 45.0, &dl, &da, &de);
    assert_true(dl < -0.5);
    kind_contrast(1u << PK_HYPO, 45.0, &dl, &da, &de);
    kind_contrast(1u << PK_HYPO, -40.0, &dl2, &da2, &de2);
    assert_true(dl > 0.5 && dl2 > 0.5);
    assert_true(de2 > de); /* hypopigmentation shows more on dark skin */
    kind_contrast(1u << PK_ERYTHEMA, 45.0, &dl, &da, &de);
    kind_contrast(1u << PK_ERYTHEMA, -40.0, &dl2, &da2, &de2);
    assert_true(da > 0.5 && da2 > 0.0);
    assert_true(da2 < da); /* melanin masks erythema */
    kind_contrast(1u << PK_ICEPICK, 30.0, &dl, &da, &de);
    assert_true(dl < -2.0); /* pits are in shadow */
    kind_contrast(1u << PK_STRIAE_RUBRA, 30.0, &dl, &da, &de);
    assert_true(da > 0.3);
    kind_contrast(1u << PK_STRIAE_ALBA, 30.0, &dl, &da, &de);
    assert_true(dl > 0.5);
}

static void test_write_files(void **state)
{
    (void)state;
    phantom ph;
    gen(&ph, 3, 200, 150, 8.0, 10.0, 3, 0);
    char err[256], path[512];
    const char *prefix = SCAR_TEST_TMP "/phantom_write";
    if (phantom_write(&ph, prefix, 1, err, sizeof err))
        fail_msg("phantom_write: %s", err);
    scar_image *img = NULL;
    snprintf(path, sizeof path, "%s.jpg", prefix);
    assert_int_equal(scar_image_load(path, NULL, &img), SCAR_OK);
    assert_int_equal(scar_image_width(img), 200);
    assert_int_equal(scar_image_height(img), 150);
    assert_int_equal(scar_image_channels(img), 3);
    scar_image_free(img);
    snprintf(path, sizeof path, "%s_labels.png", prefix);
    assert_int_equal(scar_image_load(path, NULL, &img), SCAR_OK);
    assert_int_equal(scar_image_channels(img), 1);
    assert_int_equal(scar_image_bit_depth(img), 16);
    for (uint32_t y = 0; y < 150; y++)
        assert_memory_equal(scar_image_row(img, y), ph.labels + (size_t)y * 200,
                            200 * sizeof(uint16_t));
    scar_image_free(img);
    snprintf(path, sizeof path, "%s_clean.png", prefix);
    assert_int_equal(scar_image_load(path, NULL, &img), SCAR_OK);
    assert_int_equal(scar_image_bit_depth(img), 16);
    for (uint32_t y = 0; y < 150; y++)
        assert_memory_equal(scar_image_row(img, y), ph.clean + (size_t)y * 600,
                            600 * sizeof(uint16_t));
    scar_image_free(img);
    snprintf(path, sizeof path, "%s_truth.json", prefix);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    assert_non_null(strstr(buf, "\"px_per_mm\": 8.000000"));
    assert_non_null(strstr(buf, "\"ita_category\": \"brown\""));
    assert_non_null(strstr(buf, "\"delta_e00\""));
    phantom_free(&ph);
}

static void test_bad_params(void **state)
{
    (void)state;
    phantom_params p;
    phantom_params_init(&p);
    p.width = 10;
    phantom ph;
    char err[256] = "";
    assert_int_equal(phantom_generate(&p, &ph, err, sizeof err), -1);
    assert_non_null(strstr(err, "width"));
    phantom_params_init(&p);
    p.px_per_mm = 500.0;
    assert_int_equal(phantom_generate(&p, &ph, err, sizeof err), -1);
    assert_non_null(strstr(err, "px_per_mm"));
    assert_int_equal(phantom_kind_parse("boxcar"), PK_BOXCAR);
    assert_int_equal(phantom_kind_parse("nope"), -1);
    assert_string_equal(phantom_kind_name(PK_STRIAE_RUBRA), "striae_rubra");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truth_matches_reference),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_labels_consistent),
        cmocka_unit_test(test_cluster_layout),
        cmocka_unit_test(test_real_texture),
        cmocka_unit_test(test_requested_ita),
        cmocka_unit_test(test_lesion_physics),
        cmocka_unit_test(test_write_files),
        cmocka_unit_test(test_bad_params),
    };
    return cmocka_run_group_tests_name("phantom", tests, NULL, NULL);
}
