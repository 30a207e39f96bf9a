/* test_segment.c — lib/segment through scar_analyze: synthetic skin with
 * disc lesions of known geometry (tests/synth_skin.h) and a committed
 * phantom (tests/data/phantom, made by samples/phantom with its truth).
 * Checks: counts, Dice against the truth, ring placement against a
 * brute-force distance, determinism, ROI, bad options. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "morph/morph.h"
#include "scarscore.h"
#include "segment/segment.h"
#include "synth_skin.h"

#define PI 3.14159265358979323846
#define W 300
#define H 240
#define PPM 10.0

/* tests/data/phantom/ph_easy (README there): its scale, and the bounds the
 * current segmenter must keep (regression guards, below the issue's targets:
 * measured Dice 0.68, 3 regions for 3 lesions). */
#define PHANTOM_EASY_PPM 8.108147
#define PHANTOM_EASY_MIN_DICE 0.60
#define PHANTOM_EASY_MAX_EXTRA 2

static const double base_lab[3] = {62.0, 12.0, 17.0};
static const synth_disc discs[2] = {
    {90.0, 80.0, 20.0, {-9.0, 1.5, 4.0}},   /* hyperpigmented */
    {210.0, 160.0, 15.0, {-2.0, 8.0, 1.0}}, /* erythema */
};

static scar_result *run(const scar_image *img, const scar_image *roi)
{
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = PPM;
    scar_result *res = NULL;
    int st = scar_analyze(img, roi, &o, &res);
    if (st != SCAR_OK)
        print_error("scar_analyze: %s\n", scar_last_error());
    assert_int_equal(st, SCAR_OK);
    return res;
}

static int in_disc(const synth_disc *d, uint32_t x, uint32_t y)
{
    double dx = x - d->cx, dy = y - d->cy;
    return dx * dx + dy * dy <= d->r * d->r;
}

static void test_discs_found_with_dice(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, discs, 2, 0, 1.5);
    assert_non_null(img);
    scar_result *res = run(img, NULL);
    for (uint32_t i = 0; i < scar_result_region_count(res); i++) {
        scar_region q;
        q.struct_size = sizeof q;
        scar_result_region(res, i, &q);
        print_message("region %u: %.0f px at (%.1f, %.1f) bbox %u %u %u %u\n", q.id,
                      q.area_px, q.centroid_x, q.centroid_y, q.bbox_x0, q.bbox_y0,
                      q.bbox_x1, q.bbox_y1);
    }
    assert_int_equal(scar_result_region_count(res), 2);
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    for (int i = 0; i < 2; i++) {
        /* the region under the disc centre */
        int32_t k = lab[(size_t)discs[i].cy * W + (size_t)discs[i].cx];
        assert_true(k >= 1);
        uint64_t inter = 0, a = 0, b = 0;
        for (uint32_t y = 0; y < H; y++)
            for (uint32_t x = 0; x < W; x++) {
                int t = in_disc(&discs[i], x, y), p = lab[y * W + x] == k;
                inter += t && p;
                a += t;
                b += p;
            }
        double dice = 2.0 * inter / (double)(a + b);
        print_message("disc %d: dice %.3f (truth %llu px, found %llu px)\n", i,
                      dice, (unsigned long long)a, (unsigned long long)b);
        assert_true(dice >= 0.90);
        scar_region r;
        r.struct_size = sizeof r;
        assert_int_equal(scar_result_region(res, (uint32_t)k - 1, &r), SCAR_OK);
        assert_int_equal(r.id, (uint32_t)k);
        assert_true(fabs(r.area_mm2 - PI * discs[i].r * discs[i].r / (PPM * PPM)) /
                        (PI * discs[i].r * discs[i].r / (PPM * PPM)) < 0.10);
        assert_true(r.ring_area_px > 0);
    }
    /* classes from the documented rule: darker -> hyper, a* up -> erythema */
    scar_region r;
    r.struct_size = sizeof r;
    int32_t k0 = lab[(size_t)discs[0].cy * W + (size_t)discs[0].cx];
    int32_t k1 = lab[(size_t)discs[1].cy * W + (size_t)discs[1].cx];
    assert_int_equal(scar_result_region(res, (uint32_t)k0 - 1, &r), SCAR_OK);
    assert_int_equal(r.pigment_class, SCAR_CLASS_HYPER);
    assert_int_equal(scar_result_region(res, (uint32_t)k1 - 1, &r), SCAR_OK);
    assert_int_equal(r.pigment_class, SCAR_CLASS_ERYTHEMA);
    scar_result_free(res);
    scar_image_free(img);
}

/* A raised scar: a pink plateau (radius 2.8 mm, a* +10) inside a darker
 * foot (ambient occlusion / shadow, L* -12 out to 4 mm). The scar is the
 * plateau; the candidate covers both, and the foot's -L* dominates the
 * region's mean residual, so the refinement must take its contrast
 * direction from the region's core (lib/segment/refine.c). */
static void test_raised_scar_plateau(void **state)
{
    (void)state;
    const synth_disc scar[2] = {
        {150, 120, 40, {-12.0, 0.0, 0.0}},  /* foot (and plateau) */
        {150, 120, 28, {12.0, 10.0, 0.0}},  /* plateau: L* back, a* up */
    };
    scar_image *img = synth_skin(W, H, base_lab, scar, 2, 0, 1.5);
    assert_non_null(img);
    scar_result *res = run(img, NULL);
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    int32_t k = lab[120 * W + 150];
    assert_true(k >= 1);
    uint64_t inter = 0, a = 0, b = 0;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            int t = in_disc(&scar[1], x, y), q = lab[y * W + x] == k;
            inter += t && q;
            a += t;
            b += q;
        }
    double dice = 2.0 * inter / (double)(a + b);
    print_message("plateau dice %.3f (truth %llu px, found %llu px)\n", dice,
                  (unsigned long long)a, (unsigned long long)b);
    assert_true(dice >= 0.85);
    scar_result_free(res);
    scar_image_free(img);
}

/* An icepick-like pit under light along x: a cone of L* -40 (contrast
 * halves at r = 6 px, 0.6 mm at 10 px/mm: the truth) with its shaded outer
 * wall darker than skin on the +x side out to r = 12 px and its lit wall
 * brighter on the -x side; micro-relief stripes along x give the light
 * axis. The half-contrast outline alone would take in the shaded wall;
 * the pit's even (symmetric) contrast does not (refine.c, symmetrise). */
static void test_pit_shadow_symmetric(void **state)
{
    (void)state;
    const double cx = 150.0, cy = 120.0;
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(W, H, 3, 8, &img), SCAR_OK);
    uint64_t seed = 777;
    for (uint32_t y = 0; y < H; y++) {
        uint8_t *row = scar_image_row(img, y);
        for (uint32_t x = 0; x < W; x++) {
            double lab[3] = {base_lab[0], base_lab[1], base_lab[2]};
            double dx = x - cx, dy = y - cy, r = sqrt(dx * dx + dy * dy);
            lab[0] += 1.5 * sin(2.0 * PI * x / 5.0);  /* relief stripes */
            lab[0] -= 40.0 * exp(-log(2.0) * pow(r / 6.0, 3.0));
            if (r > 6.0 && r <= 12.0)
                lab[0] += dx > 0 ? -20.0 * dx / r : 10.0 * -dx / r;
            lab[0] += 0.8 * synth_noise(&seed);
            lab[1] += 0.4 * synth_noise(&seed);
            lab[2] += 0.4 * synth_noise(&seed);
            synth_put_lab(row, x, lab);
        }
    }
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = PPM;
    o.analysis_px_per_mm = 0.0;  /* at the drawn resolution */
    scar_result *res = NULL;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    int32_t k = lab[(size_t)cy * W + (size_t)cx];
    assert_true(k >= 1);
    uint64_t inter = 0, a = 0, b = 0, shaded = 0;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            double dx = x - cx, dy = y - cy;
            int t = dx * dx + dy * dy <= 36.0, q = lab[y * W + x] == k;
            inter += t && q;
            a += t;
            b += q;
            shaded += q && dx > 8.0;
        }
    double dice = 2.0 * inter / (double)(a + b);
    print_message("pit dice %.3f (truth %llu px, found %llu px, %llu beyond "
                  "r = 8 px on the shaded side)\n", dice,
                  (unsigned long long)a, (unsigned long long)b,
                  (unsigned long long)shaded);
    assert_true(dice >= 0.8);
    assert_true(shaded <= 4);
    scar_result_free(res);
    scar_image_free(img);
}

/* Fragments (lib/segment/merge.c): two patches of one colour 0.6 mm
 * apart are one lesion; the same pair 2.5 mm apart, or two patches of
 * different colour (pigment beside redness) 0.6 mm apart, stay two. */
static void test_fragments_merged(void **state)
{
    (void)state;
    const double hyper[3] = {-9.0, 1.5, 4.0}, red[3] = {-2.0, 9.0, 1.0};
    struct {
        double gap_px;
        const double *b;
        int one;
    } cases[3] = {{6.0, hyper, 1}, {25.0, hyper, 0}, {6.0, red, 0}};
    for (int i = 0; i < 3; i++) {
        const double r = 15.0, ax = 90.0, bx = ax + 2.0 * r + cases[i].gap_px;
        synth_disc d[2] = {{ax, 120.0, r, {hyper[0], hyper[1], hyper[2]}},
                           {bx, 120.0, r, {cases[i].b[0], cases[i].b[1],
                                           cases[i].b[2]}}};
        scar_image *img = synth_skin(W, H, base_lab, d, 2, 0, 1.0);
        assert_non_null(img);
        scar_result *res = run(img, NULL);
        const int32_t *lab = scar_result_labels(res, NULL, NULL);
        int32_t ka = lab[120 * W + (size_t)ax], kb = lab[120 * W + (size_t)bx];
        print_message("gap %.0f px, %s: labels %d and %d\n", cases[i].gap_px,
                      cases[i].b == hyper ? "same colour" : "other colour",
                      ka, kb);
        assert_true(ka >= 1 && kb >= 1);
        if (cases[i].one)
            assert_int_equal(ka, kb);
        else
            assert_int_not_equal(ka, kb);
        scar_result_free(res);
        scar_image_free(img);
    }
}

static void test_deterministic(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, discs, 2, 0, 2.0);
    scar_result *a = run(img, NULL), *b = run(img, NULL);
    assert_int_equal(scar_result_region_count(a), scar_result_region_count(b));
    assert_memory_equal(scar_result_labels(a, NULL, NULL),
                        scar_result_labels(b, NULL, NULL),
                        sizeof(int32_t) * W * H);
    char *ja = NULL, *jb = NULL;
    assert_int_equal(scar_result_to_json(a, &ja, NULL), SCAR_OK);
    assert_int_equal(scar_result_to_json(b, &jb, NULL), SCAR_OK);
    assert_string_equal(ja, jb);
    scar_free(ja);
    scar_free(jb);
    scar_result_free(a);
    scar_result_free(b);
    scar_image_free(img);
}

/* Rings against a brute-force Euclidean distance: every ring pixel lies at
 * distance [inner, outer] from its region, is skin, and is in no region;
 * every pixel meeting those conditions is in the ring. */
static void test_ring_placement(void **state)
{
    (void)state;
    enum { w = 80, h = 60 };
    scar__labels lab = {0};
    scar__mask skin = {0};
    assert_int_equal(scar__labels_alloc(w, h, "t", &lab), SCAR_OK);
    assert_int_equal(scar__mask_alloc(w, h, "t", &skin), SCAR_OK);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            skin.data[y * w + x] = !(x > 60 && y < 20); /* a non-skin corner */
            if ((x - 25.0) * (x - 25.0) + (y - 30.0) * (y - 30.0) <= 64)
                lab.data[y * w + x] = 1;
            else if (x >= 38 && x < 44 && y >= 20 && y < 40)
                lab.data[y * w + x] = 2; /* close: rings meet region 1 */
        }
    scar__rings rings;
    double in = 2.0, out = 6.5;
    assert_int_equal(scar__rings_compute(&lab, 2, &skin, in, out, "t", &rings),
                     SCAR_OK);
    for (int32_t k = 1; k <= 2; k++) {
        uint8_t *is_ring = calloc(w * h, 1);
        for (size_t j = rings.off[k - 1]; j < rings.off[k]; j++)
            is_ring[rings.idx[j]] = 1;
        for (uint32_t y = 0; y < h; y++)
            for (uint32_t x = 0; x < w; x++) {
                double best = 1e9;
                for (uint32_t v = 0; v < h; v++)
                    for (uint32_t u = 0; u < w; u++)
                        if (lab.data[v * w + u] == k) {
                            double d = hypot((double)u - x, (double)v - y);
                            if (d < best)
                                best = d;
                        }
                int expect = best >= in && best <= out &&
                             lab.data[y * w + x] == 0 && skin.data[y * w + x];
                assert_int_equal(is_ring[y * w + x], expect);
            }
        free(is_ring);
    }
    scar__rings_free(&rings);
    scar__plane_free(lab.data);
    scar__plane_free(skin.data);
}

static void test_roi_honoured(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, discs, 2, 0, 1.5);
    scar_image *roi = NULL;
    assert_int_equal(scar_image_new(W, H, 1, 8, &roi), SCAR_OK);
    for (uint32_t y = 0; y < H; y++) {
        uint8_t *r = scar_image_row(roi, y);
        for (uint32_t x = 0; x < W; x++)
            r[x] = x < W / 2 ? 255 : 0; /* only the left half: disc 0 */
    }
    scar_result *res = run(img, roi);
    assert_int_equal(scar_result_region_count(res), 1);
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    const uint8_t *skin = scar_result_skin_mask(res, NULL, NULL);
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = W / 2; x < W; x++) {
            assert_int_equal(lab[y * W + x], 0);
            assert_int_equal(skin[y * W + x], 0);
        }
    scar_result_free(res);
    scar_image_free(roi);
    scar_image_free(img);
}

static void test_single_lesion(void **state)
{
    (void)state;
    /* one large dark lesion at the centre with a paler hole in it */
    synth_disc d[2] = {{150.0, 120.0, 60.0, {-25.0, 4.0, 6.0}},
                       {150.0, 120.0, 10.0, {25.0, -4.0, -6.0}}};
    scar_image *img = synth_skin(W, H, base_lab, d, 2, 0, 1.5);
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.single_lesion = 1;
    scar_result *res = NULL;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    assert_int_equal(scar_result_region_count(res), 1);
    assert_true(scar_result_scale_assumed(res));
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    uint64_t inter = 0, a = 0, b = 0;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            int t = in_disc(&d[0], x, y), p = lab[y * W + x] == 1;
            inter += t && p;
            a += t;
            b += p;
        }
    double dice = 2.0 * inter / (double)(a + b);
    print_message("single lesion dice %.3f\n", dice);
    assert_true(dice >= 0.90);
    assert_int_equal(lab[120 * W + 150], 1); /* no hole */
    scar_result_free(res);
    scar_image_free(img);
}

static void test_bad_options(void **state)
{
    (void)state;
    scar_image *img = synth_skin(40, 30, base_lab, NULL, 0, 0, 0.0);
    scar_result *res = (scar_result *)1;
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = -1.0;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_E_INVALID);
    assert_null(res);
    scar_analyze_options_init(&o);
    o.z_low = 6.0;
    o.z_high = 3.0;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_E_INVALID);
    scar_analyze_options_init(&o);
    o.ring_outer_mm = 0.5;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_E_INVALID);
    scar_analyze_options_init(&o);
    o.model_sigma_mm = NAN;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_E_INVALID);
    scar_analyze_options_init(&o);
    o.struct_size = 4;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_E_VERSION);
    assert_int_equal(scar_analyze(NULL, NULL, NULL, &res), SCAR_E_INVALID);
    assert_int_equal(scar_analyze(img, NULL, NULL, NULL), SCAR_E_INVALID);
    scar_image *roi = NULL;
    assert_int_equal(scar_image_new(10, 10, 1, 8, &roi), SCAR_OK);
    scar_analyze_options_init(&o);
    assert_int_equal(scar_analyze(img, roi, &o, &res), SCAR_E_INVALID);
    scar_image *gray = NULL;
    assert_int_equal(scar_image_new(40, 30, 1, 8, &gray), SCAR_OK);
    assert_int_equal(scar_analyze(gray, NULL, NULL, &res), SCAR_E_UNSUPPORTED);
    /* a clean uniform image has no region */
    assert_int_equal(scar_analyze(img, NULL, NULL, &res), SCAR_OK);
    assert_int_equal(scar_result_region_count(res), 0);
    scar_result_free(res);
    scar_image_free(gray);
    scar_image_free(roi);
    scar_image_free(img);
}

/* A committed phantom made by samples/phantom: lesion-union Dice and
 * matched count against its 16-bit truth labels. */
/* Region-level significance (lib/segment/significance.c): on white N(0,1)
 * residuals, a disc whose zL is shifted by +1 (mean over ~1250 px: ~35
 * standard errors) must be kept, an unshifted disc of the same size (its
 * mean is one draw of N(0, 1/1250)) must be dropped, and the survivor is
 * renumbered 1. */
static float gauss_noise(uint64_t *s)
{
    /* Box-Muller on a 64-bit LCG (Knuth MMIX constants) */
    double u[2];
    for (int i = 0; i < 2; i++) {
        *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
        u[i] = ((double)(*s >> 11) + 0.5) / 9007199254740992.0;
    }
    return (float)(sqrt(-2.0 * log(u[0])) * cos(2.0 * PI * u[1]));
}

/* Residual maps, skin mask and labels of a w x h significance scene. */
static void sig_scene_alloc(uint32_t w, uint32_t h, scar__anomaly_maps *m,
                            scar__mask *skin, scar__labels *lab)
{
    assert_int_equal(scar__planef_alloc(w, h, "t", &m->zL), 0);
    assert_int_equal(scar__planef_alloc(w, h, "t", &m->za), 0);
    assert_int_equal(scar__planef_alloc(w, h, "t", &m->zb), 0);
    assert_int_equal(scar__planef_alloc(w, h, "t", &m->score), 0);
    assert_int_equal(scar__mask_alloc(w, h, "t", skin), 0);
    assert_int_equal(scar__labels_alloc(w, h, "t", lab), 0);
}

static void sig_scene_free(scar__anomaly_maps *m, scar__mask *skin,
                           scar__labels *lab)
{
    scar__plane_free(m->zL.data);
    scar__plane_free(m->za.data);
    scar__plane_free(m->zb.data);
    scar__plane_free(m->score.data);
    scar__plane_free(skin->data);
    scar__plane_free(lab->data);
}

/* Pixel (x, y) of a test scene: its label, skin flag, z values and score.
 * Callers draw the noise of zl and za into locals first, one statement
 * each, so that the draws keep their order (arguments have none). */
static void scene_px(scar__anomaly_maps *m, scar__mask *skin,
                     scar__labels *lab, uint32_t x, uint32_t y, int32_t label,
                     uint8_t on_skin, float zl, float za, float zb,
                     float score)
{
    scar__labels_row(lab, y)[x] = label;
    scar__mask_row(skin, y)[x] = on_skin;
    scar__planef_row(&m->zL, y)[x] = zl;
    scar__planef_row(&m->za, y)[x] = za;
    scar__planef_row(&m->zb, y)[x] = zb;
    scar__planef_row(&m->score, y)[x] = score;
}

/* Runs the significance test on two candidates and checks that the one
 * at (xd, yd) is dropped and the one at (xk, yk) kept, renumbered 1. */
static void expect_one_kept(const scar__anomaly_maps *m, const scar__mask *skin,
                            scar__labels *lab, uint32_t xd, uint32_t yd,
                            uint32_t xk, uint32_t yk)
{
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 2;
    assert_int_equal(scar__region_significance(m, skin, &p, "t", lab, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(scar__labels_row(lab, yd)[xd], 0);
    assert_int_equal(scar__labels_row(lab, yk)[xk], 1);
}

static void test_region_significance(void **state)
{
    (void)state;
    const uint32_t w = 400, h = 300;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    uint64_t seed = 12345;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double d1 = hypot((double)x - 100.0, (double)y - 150.0);
            double d2 = hypot((double)x - 300.0, (double)y - 150.0);
            int32_t l = d1 <= 20.0 ? 1 : (d2 <= 20.0 ? 2 : 0);
            float px_l = gauss_noise(&seed) + (l == 1 ? 1.0f : 0.0f);
            float px_a = gauss_noise(&seed);
            scene_px(&m, &skin, &lab, x, y, l, 1, px_l, px_a,
                     gauss_noise(&seed), 0.0f);
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 2;
    assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(scar__labels_row(&lab, 150)[100], 1);
    assert_int_equal(scar__labels_row(&lab, 150)[300], 0);
    sig_scene_free(&m, &skin, &lab);
}

/* Heavy-tailed healthy skin (mottling, block-quantised chroma): white
 * N(0,1) residuals plus twelve unlabelled patches of radius 20 px (3 % of
 * the skin) whose za is raised by 1. A candidate disc raised by the same
 * amount is one more such patch and must be dropped (under a Gaussian null
 * scaled by the MAD of the box means, sd ~1/16, it would stand ~16 sd
 * out); a disc raised by 4 is far outside what the skin does and must be
 * kept. */
static void test_significance_heavy_tail(void **state)
{
    (void)state;
    const uint32_t w = 800, h = 600;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    uint64_t seed = 777;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            /* patches on a 4 x 3 grid of 200 px cells, centred; the two
             * candidates between the rows */
            double px = 100.0 + 200.0 * floor(x / 200.0);
            double py = 100.0 + 200.0 * floor(y / 200.0);
            float za = gauss_noise(&seed);
            if (hypot((double)x - px, (double)y - py) <= 20.0)
                za += 1.0f;
            int32_t l = 0;
            if (hypot((double)x - 300.0, (double)y - 200.0) <= 20.0) {
                za += 1.0f;
                l = 1;
            } else if (hypot((double)x - 500.0, (double)y - 400.0) <= 20.0) {
                za += 4.0f;
                l = 2;
            }
            float px_l = gauss_noise(&seed);
            float px_a = za;
            scene_px(&m, &skin, &lab, x, y, l, 1, px_l, px_a,
                     gauss_noise(&seed), 0.0f);
        }
    expect_one_kept(&m, &skin, &lab, 300, 200, 500, 400);
    sig_scene_free(&m, &skin, &lab);
}

/* Two discs of radius 12 px at (300, 450) (label 1) and (900, 450)
 * (label 2) on a 1200 x 900 px scene at 10 px/mm, their z values (and
 * the skin's) from `px`; step 6 must keep the first and drop the second. */
typedef void (*disc_scene_px)(uint32_t x, uint32_t y, int32_t label,
                              uint64_t *seed, float z[3]);

static void first_disc_kept(disc_scene_px px, uint64_t seed)
{
    const uint32_t w = 1200, h = 900;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double d1 = hypot((double)x - 300.0, (double)y - 450.0);
            double d2 = hypot((double)x - 900.0, (double)y - 450.0);
            int32_t l = d1 <= 12.0 ? 1 : (d2 <= 12.0 ? 2 : 0);
            float z[3];
            px(x, y, l, &seed, z);
            scene_px(&m, &skin, &lab, x, y, l, 1, z[0], z[1], z[2], 0.0f);
        }
    expect_one_kept(&m, &skin, &lab, 900, 450, 300, 450);
    sig_scene_free(&m, &skin, &lab);
}

/* Detection limits (significance.c, docs/segment.md "Detection limits"):
 * on white N(0,1) residuals with z units (2, 1, 0.5) in L*a*b*, the limit
 * of a 10 mm^2 patch (1000 px at 10 px/mm) lies between the box term
 * alone, t / 16 z units (its box of side 32 sampled every 2nd px: 256
 * samples), and t sqrt(1/256 + 1/100) (the local contrast's frame holds
 * more than 100 samples), with t the chi(3) level at 0.05 / (270000 /
 * 1000), here solved by bisection on the closed form of its tail; the
 * limits halve with the z units; and they mean what they say: a
 * noise-free disc of that area (its mean is its shift; its ring's mean
 * over ~4700 px errs by ~0.015 z, a fifth of the local null's sd) shifted
 * by 1.1 times the limit in one channel is kept by the region test, one
 * shifted by 0.9 times it dropped, for L* and for b*. */
static double chi3_level(double p)
{
    double lo = 0.0, hi = 40.0;
    for (int i = 0; i < 200; i++) {
        double t = 0.5 * (lo + hi);
        double sf = erfc(t / sqrt(2.0)) + sqrt(2.0 / PI) * t * exp(-0.5 * t * t);
        if (sf > p)
            lo = t;
        else
            hi = t;
    }
    return 0.5 * (lo + hi);
}

static void limit_scene(scar__anomaly_maps *m, scar__mask *skin,
                        scar__labels *lab, int channel, double shift)
{
    uint64_t seed = 4242;
    for (uint32_t y = 0; y < 450; y++)
        for (uint32_t x = 0; x < 600; x++) {
            int32_t l = shift != 0.0 &&
                        hypot((double)x - 300.0, (double)y - 225.0) <= 17.84;
            float z[3];
            for (int c = 0; c < 3; c++) {
                z[c] = gauss_noise(&seed);
                if (l) /* noise-free: its mean is the shift exactly */
                    z[c] = c == channel ? (float)shift : 0.0f;
            }
            float px_l = z[0];
            float px_a = z[1];
            scene_px(m, skin, lab, x, y, l, 1, px_l, px_a, z[2], 0.0f);
        }
}

static void test_detection_limits(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(600, 450, &m, &skin, &lab);
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    double lim[SCAR__LIMIT_AREAS][3], lim2[SCAR__LIMIT_AREAS][3];
    assert_true(SCAR__LIMIT_AREA_MM2[1] == 10.0);
    limit_scene(&m, &skin, &lab, 0, 0.0);
    m.sd[0] = 2.0f;
    m.sd[1] = 1.0f;
    m.sd[2] = 0.5f;
    int32_t count = 0;
    assert_int_equal(scar__region_significance_limits(&m, &skin, &p, "t", &lab,
                                                      &count, lim), 0);
    assert_int_equal(count, 0);
    double t = chi3_level(0.05 / (600.0 * 450.0 / 1000.0));
    for (int c = 0; c < 3; c++) {
        double z = lim[1][c] / m.sd[c];
        assert_true(z >= 0.95 * t / 16.0);
        assert_true(z <= t * sqrt(1.0 / 256.0 + 1.0 / 100.0));
        /* larger patches average more of the noise */
        assert_true(lim[0][c] > lim[1][c] && lim[1][c] > lim[2][c]);
    }
    m.sd[0] = 1.0f;
    m.sd[1] = 0.5f;
    m.sd[2] = 0.25f;
    assert_int_equal(scar__region_significance_limits(&m, &skin, &p, "t", &lab,
                                                      &count, lim2), 0);
    for (int j = 0; j < SCAR__LIMIT_AREAS; j++)
        for (int c = 0; c < 3; c++)
            assert_true(fabs(lim2[j][c] - 0.5 * lim[j][c]) <= 1e-9 * lim[j][c]);
    static const int channels[2] = {0, 2};
    static const float unit[3] = {2.0f, 1.0f, 0.5f};
    for (int k = 0; k < 2; k++) {
        int c = channels[k];
        double z = lim[1][c] / unit[c];
        limit_scene(&m, &skin, &lab, c, 1.1 * z);
        count = 1;
        assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, &count), 0);
        assert_int_equal(count, 1);
        limit_scene(&m, &skin, &lab, c, 0.9 * z);
        count = 1;
        assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, &count), 0);
        assert_int_equal(count, 0);
    }
    sig_scene_free(&m, &skin, &lab);
}

/* Local contrast (significance.c): a region must also differ from its
 * ring. On white N(0,1) skin (the ring is 10 to 30 px from a region), two
 * discs with zL raised by 1.5: one on plain skin, kept; the other in the
 * middle of an unlabelled patch of radius 50 px raised by the same amount
 * (0.7 % of the skin, so the box null at the discs' scale hardly sees
 * it). Against the skin at large both stand ~30 robust sd out; against
 * its ring, which lies on the patch, the second does not differ, and it
 * is dropped. */
static void patch_middle_px(uint32_t x, uint32_t y, int32_t label,
                            uint64_t *seed, float z[3])
{
    int on_patch = hypot((double)x - 900.0, (double)y - 450.0) <= 50.0;
    z[0] = gauss_noise(seed) + (label == 1 || on_patch ? 1.5f : 0.0f);
    z[1] = gauss_noise(seed);
    z[2] = gauss_noise(seed);
}

static void test_local_contrast_needed(void **state)
{
    (void)state;
    first_disc_kept(patch_middle_px, 2026);
}

/* Whitened colour statistic (significance.c): on skin whose zL and zb
 * move together (a smooth mottle of amplitude 4 and period 600 px, like
 * melanin's, plus white noise), two discs: the first shifted by
 * (-1, 0, +1) in (zL, za, zb), darker and less yellow as no mottle is,
 * kept; the second by (-1, 0, -1), along the mottle, dropped. Channel by
 * channel both are about half a box sd out (the mottle's box means vary
 * by ~2); whitened by the box means' correlation the first is far out.
 * Both differ from their rings alike (the mottle is smooth). */
static void mottle_px(uint32_t x, uint32_t y, int32_t label, uint64_t *seed,
                      float z[3])
{
    double mottle =
        4.0 * sin(2.0 * PI * x / 600.0) * sin(2.0 * PI * y / 600.0);
    float shift_b = label == 1 ? 1.0f : (label == 2 ? -1.0f : 0.0f);
    z[0] = gauss_noise(seed) + (float)mottle - (label ? 1.0f : 0.0f);
    z[1] = gauss_noise(seed);
    z[2] = gauss_noise(seed) + (float)mottle + shift_b;
}

static void test_whitened_colour(void **state)
{
    (void)state;
    first_disc_kept(mottle_px, 31);
}

/* Ragged regions (significance.c): a disc and a comb of about the same
 * area (solidity ~1 and ~0.4), both at exactly the same residual s, on
 * white N(0,1) skin. s0 = the smallest s at which the disc passes; at
 * 1.1 s0 the disc is kept and the comb, whose evidence is below 1.3 x the
 * threshold, dropped; at 2 s0 both are kept. */
static void ragged_scene(scar__anomaly_maps *m, scar__mask *skin,
                         scar__labels *lab, float s)
{
    uint64_t seed = 4242;
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 400; x++) {
            int32_t l = 0;
            if (hypot((double)x - 290.0, (double)y - 150.0) <= 21.0)
                l = 1;
            /* teeth 4 px wide every 12 px, 60 px long, and a 4-px bar;
             * no outline edge on or next to the 8/16-px grids */
            uint32_t tx = x >= 102 ? (x - 102) % 12 : 99;
            if (x >= 102 && x < 154 && y >= 103 && y < 107)
                l = 2;
            if (x >= 102 && x < 154 && tx < 4 && y >= 103 && y < 163)
                l = 2;
            float n0 = gauss_noise(&seed), n1 = gauss_noise(&seed),
                  n2 = gauss_noise(&seed);
            float px_l = l ? s : n0;
            float px_a = l ? 0.0f : n1;
            scene_px(m, skin, lab, x, y, l, 1, px_l, px_a,
                     l ? 0.0f : n2, 0.0f);
        }
}

static void test_ragged_needs_more_evidence(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(400, 300, &m, &skin, &lab);
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    float s0 = 0.0f;
    for (float s = 0.02f; s < 1.0f && s0 == 0.0f; s += 0.002f) {
        ragged_scene(&m, &skin, &lab, s);
        int32_t count = 2;
        assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, &count), 0);
        if (scar__labels_row(&lab, 150)[290] > 0)
            s0 = s;
    }
    assert_true(s0 > 0.0f);
    ragged_scene(&m, &skin, &lab, 1.1f * s0);
    int32_t count = 2;
    assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(scar__labels_row(&lab, 150)[290], 1);
    assert_int_equal(scar__labels_row(&lab, 104)[103], 0);
    ragged_scene(&m, &skin, &lab, 2.0f * s0);
    count = 2;
    assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 2);
    sig_scene_free(&m, &skin, &lab);
}

/* Blanching (significance.c): three discs on white N(0,1) skin, each far
 * above the significance level. With z units sd = (2, 0.5, 0.5) in
 * L*a*b*: disc 1 is (dL, da, db) = (+1, -1.5, +1.5), lighter, less red,
 * more yellow, its lightness change below its chroma change (2.1): less
 * blood only, dropped. Disc 2 is (+6, -1.5, -1.5), a hypopigmented patch
 * on light skin (b* falls): kept. Disc 3 is (+6, -1.5, +1.5), melanin loss
 * on dark skin (b* rises, but L* changes 2.8x more than the chroma): kept.
 * With sd(L*) = 6 disc 1 is (+3, -1.5, +1.5), lightness 1.4x its chroma,
 * mostly less blood: dropped (kept under a bound of 1); with sd(L*) = 10
 * it is (+5, -1.5, +1.5), 2.4x: kept; with sd unknown (0) no region is a
 * blanching. */
static void blanch_scene(scar__anomaly_maps *m, scar__mask *skin,
                         scar__labels *lab, float sd_l)
{
    static const float disc_z[3][3] = {
        {0.5f, -3.0f, 3.0f}, {3.0f, -3.0f, -3.0f}, {3.0f, -3.0f, 3.0f}};
    uint64_t seed = 99;
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 400; x++) {
            int32_t l = 0;
            for (int k = 0; k < 3; k++)
                if (hypot((double)x - (70.0 + 130.0 * k), (double)y - 150.0) <= 20.0)
                    l = k + 1;
            float z[3];
            for (int c = 0; c < 3; c++)
                z[c] = gauss_noise(&seed) + (l ? disc_z[l - 1][c] : 0.0f);
            float px_l = z[0];
            float px_a = z[1];
            scene_px(m, skin, lab, x, y, l, 1, px_l, px_a,
                     z[2], 0.0f);
        }
    m->sd[0] = sd_l;
    m->sd[1] = m->sd[2] = sd_l > 0 ? 0.5f : 0.0f;
}

static int32_t blanch_kept(scar__anomaly_maps *m, scar__mask *skin,
                           scar__labels *lab, float sd_l)
{
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    blanch_scene(m, skin, lab, sd_l);
    int32_t count = 3;
    assert_int_equal(scar__region_significance(m, skin, &p, "t", lab, &count), 0);
    return count;
}

/* From tests/data/chromophore_ratios.csv (reference/gen_chromophore_ref.py,
 * scikit-image): the largest L*-to-chroma ratio of a change of blood alone
 * and the smallest of a change of melanin alone that falls in the
 * blanching octant (L* up, a* down, b* up), over the phantom's skin tones. */
static void chromophore_ratios(double *blood_max, double *melanin_min)
{
    FILE *f = fopen(SCAR_TEST_DATA "/chromophore_ratios.csv", "r");
    assert_non_null(f);
    char line[256];
    *blood_max = 0.0;
    *melanin_min = INFINITY;
    int rows = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        char name[16];
        double ita, L, a, b, dl, da, db, ratio;
        assert_int_equal(sscanf(line, "%15[^,],%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf",
                                name, &ita, &L, &a, &b, &dl, &da, &db, &ratio),
                         9);
        rows++;
        if (!strcmp(name, "blood") && ratio > *blood_max)
            *blood_max = ratio;
        if (!strcmp(name, "melanin") && dl > 0 && da < 0 && db > 0 &&
            ratio < *melanin_min)
            *melanin_min = ratio;
    }
    fclose(f);
    assert_int_equal(rows, 216);
    assert_true(*blood_max > 0.0 && isfinite(*melanin_min));
}

static void test_blanching_dropped(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(400, 300, &m, &skin, &lab);
    assert_int_equal(blanch_kept(&m, &skin, &lab, 2.0f), 2);
    assert_int_equal(scar__labels_row(&lab, 150)[70], 0);
    assert_int_equal(scar__labels_row(&lab, 150)[200], 1);
    assert_int_equal(scar__labels_row(&lab, 150)[330], 2);
    assert_int_equal(blanch_kept(&m, &skin, &lab, 6.0f), 2);
    assert_int_equal(scar__labels_row(&lab, 150)[70], 0);
    assert_int_equal(blanch_kept(&m, &skin, &lab, 10.0f), 3);
    assert_int_equal(blanch_kept(&m, &skin, &lab, 0.0f), 3);
    /* disc 1's ratio is 0.5 sd(L*) / (1.5 sqrt 2): a change of blood alone
     * on any of the phantom's skin tones is dropped, one of melanin alone
     * kept */
    double blood_max, melanin_min;
    chromophore_ratios(&blood_max, &melanin_min);
    const double per_sd = 0.5 / (1.5 * sqrt(2.0));
    assert_int_equal(blanch_kept(&m, &skin, &lab, (float)(blood_max / per_sd)), 2);
    assert_int_equal(blanch_kept(&m, &skin, &lab, (float)(melanin_min / per_sd)), 3);
    sig_scene_free(&m, &skin, &lab);
}

/* The plateau ratio (plateau.c) by hand, on a zL plane that is 0 but for
 * region 1, a Gaussian bump of sigma 10 px and height 1 labelled as its
 * half-maximum disc, and region 2, a disc of radius 15 px at height 1
 * (a plateau with a sharp edge). Baseline 0. Region 1's peak is the 95th
 * percentile of its values (0.97: the disc holds 0.5-1), and the areas at
 * half and a quarter of it have r^2 = 2 sigma^2 ln(1 / (f P)): ratio
 * ln(1 / 0.485) / ln(1 / 0.2425) = 0.511 (digital discs: +-0.04).
 * Region 2 is all at its peak: ratio 1. Region 3 is not wanted: NaN. */
static void test_plateau_ratio(void **state)
{
    (void)state;
    const uint32_t w = 200, h = 100;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    const double r_half = 10.0 * sqrt(2.0 * log(2.0));
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double d1 = hypot((double)x - 50.0, (double)y - 50.0);
            double d2 = hypot((double)x - 140.0, (double)y - 50.0);
            float z = (float)exp(-d1 * d1 / 200.0);
            int32_t l = d1 <= r_half ? 1 : 0;
            if (d2 <= 15.0) {
                z = 1.0f;
                l = 2;
            }
            if (x >= 190 && y < 5) {
                z = 1.0f;
                l = 3;
            }
            scene_px(&m, &skin, &lab, x, y, l, 1, z, 0.0f, 0.0f, 0.0f);
        }
    scar__region *props = NULL;
    assert_int_equal(scar__regionprops(&lab, 3, 1, &props), SCAR_OK);
    const double base[3] = {0.0, 0.0, 0.0};
    const uint8_t want[3] = {1, 1, 0};
    double ratio[3];
    assert_int_equal(scar__plateau_ratio(&m.zL, &skin, &lab, props, 3, base,
                                         want, PPM, "t", ratio),
                     SCAR_OK);
    assert_true(fabs(ratio[0] - 0.511) < 0.04);
    assert_true(ratio[1] == 1.0);
    assert_true(isnan(ratio[2]));
    scar__regionprops_free(props);
    sig_scene_free(&m, &skin, &lab);
}

/* Step 6 drops a compact pale region whose profile is peaked and keeps
 * one with a plateau (significance.c, "Peaked pale regions"): on white
 * N(0,1) skin with stripes along x (the light axis, as joint_scene; even
 * about both regions' centres, so they add no relief of their own),
 * region 1 is a cone-like bump 8 exp(-d / 8 px) labelled as its
 * half-maximum disc (areas above f of the peak grow as ln(1/f)^2: a ratio
 * near 1/4), region 2 a disc of radius 8 px raised by 5.5. Both pass
 * every other test. Stretched 4x along x, the bump is a band, which the
 * test leaves alone (striae), and is kept too; so is the round bump lit
 * from one side (zL +-3 on its halves along x: relief). */
static void pale_scene(scar__anomaly_maps *m, scar__mask *skin,
                       scar__labels *lab, double stretch, float dipole)
{
    uint64_t seed = 77;
    const double r_half = 8.0 * log(2.0);
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 400; x++) {
            double dx = ((double)x - 100.0) / stretch, dy = (double)y - 150.0;
            double d1 = hypot(dx, dy);
            double d2 = hypot((double)x - 300.0, (double)y - 150.0);
            float bump = (float)(8.0 * exp(-d1 / 8.0));
            int32_t l = d1 <= r_half ? 1 : (d2 <= 8.0 ? 2 : 0);
            float px_l = gauss_noise(&seed) + bump + (l == 2 ? 5.5f : 0.0f) +
                         0.5f * (float)cos(2.0 * PI * x / 8.0);
            if (l == 1)
                px_l += dx > 0 ? dipole : dx < 0 ? -dipole : 0.0f;
            float px_a = gauss_noise(&seed);
            scene_px(m, skin, lab, x, y, l, 1, px_l, px_a, gauss_noise(&seed),
                     0.0f);
        }
}

static void test_peaked_pale_dropped(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(400, 300, &m, &skin, &lab);
    pale_scene(&m, &skin, &lab, 1.0, 0.0f);
    expect_one_kept(&m, &skin, &lab, 100, 150, 300, 150);
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    for (int variant = 0; variant < 2; variant++) {
        pale_scene(&m, &skin, &lab, variant ? 1.0 : 4.0, variant ? 3.0f : 0.0f);
        int32_t count = 2;
        assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab,
                                                   &count), 0);
        assert_int_equal(count, 2);
    }
    sig_scene_free(&m, &skin, &lab);
}

/* Joint colour and relief evidence (significance.c): on white N(0,1)
 * skin with stripes along x (the light axis), discs of radius 20 px carry
 * a* +s a (colour) and/or zL +-s d on their +x / -x halves (a shading
 * dipole, zero mean). With s_c and s_d the smallest scales at which a
 * colour-only and a dipole-only disc pass, a disc with 0.88 s_c of colour
 * and 0.88 s_d of dipole passes on their joint norm (chi(4)), while the
 * same colour alone and the same dipole alone are dropped. */
static void joint_scene(scar__anomaly_maps *m, scar__mask *skin,
                        scar__labels *lab, float colour, float dipole)
{
    uint64_t seed = 2024;
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 400; x++) {
            double dx = (double)x - 200.0;
            int in = hypot(dx, (double)y - 150.0) <= 20.0;
            float zl = gauss_noise(&seed) + 0.5f * (float)sin(2.0 * PI * x / 8.0);
            float za = gauss_noise(&seed);
            if (in) {
                za += colour;
                zl += dx > 0 ? dipole : dx < 0 ? -dipole : 0.0f;
            }
            float px_l = zl;
            float px_a = za;
            scene_px(m, skin, lab, x, y, in, 1, px_l, px_a,
                     gauss_noise(&seed), 0.0f);
        }
}

static int joint_kept(scar__anomaly_maps *m, scar__mask *skin,
                      scar__labels *lab, float colour, float dipole)
{
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    joint_scene(m, skin, lab, colour, dipole);
    int32_t count = 1;
    assert_int_equal(scar__region_significance(m, skin, &p, "t", lab, &count), 0);
    return count == 1;
}

static void test_joint_colour_relief(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(400, 300, &m, &skin, &lab);
    float sc = 0.0f, sd = 0.0f;
    for (float s = 0.01f; s < 2.0f && sc == 0.0f; s += 0.01f)
        if (joint_kept(&m, &skin, &lab, s, 0.0f))
            sc = s;
    for (float s = 0.01f; s < 2.0f && sd == 0.0f; s += 0.01f)
        if (joint_kept(&m, &skin, &lab, 0.0f, s))
            sd = s;
    assert_true(sc > 0.0f && sd > 0.0f);
    assert_true(joint_kept(&m, &skin, &lab, 0.88f * sc, 0.88f * sd));
    assert_false(joint_kept(&m, &skin, &lab, 0.88f * sc, 0.0f));
    assert_false(joint_kept(&m, &skin, &lab, 0.0f, 0.88f * sd));
    sig_scene_free(&m, &skin, &lab);
}

/* Shaded pores on a 12-px grid (skipping a disc of radius `keep_out`
 * around (kx, ky)) under light along +x (dir = 1) or -x (dir = -1): a
 * Gaussian dip of 3 sd (sigma 1.5 px) plus shading proportional to its
 * slope along x, so that its wall on the light's side is darker (it faces
 * away from the light); dir = 0: unshaded pores. Adds to zL. */
static void shaded_pores(scar__planef *zL, int dir, double kx, double ky,
                         double keep_out)
{
    for (uint32_t y = 0; y < zL->height; y++)
        for (uint32_t x = 0; x < zL->width; x++) {
            double px = 6.0 + 12.0 * floor(x / 12.0), py = 6.0 + 12.0 * floor(y / 12.0);
            if (hypot(px - kx, py - ky) < keep_out)
                continue;
            double dx = (double)x - px, dy = (double)y - py;
            double r2 = dx * dx + dy * dy;
            /* Lambertian: the shading follows the height's slope */
            scar__planef_row(zL, y)[x] += (float)((-3.0 - 0.5 * dir * dx / 1.5) *
                                                  exp(-r2 / 4.5));
        }
}

/* Light sign (light_axis.c): pores shaded by light from +x give +1 for
 * the axis (1, 0) and -1 for (-1, 0); from -x, the opposite; symmetric
 * pores do not tell (0). */
static void test_light_sign_from_pores(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(400, 300, &m, &skin, &lab);
    for (int dir = -1; dir <= 1; dir++) {
        uint64_t seed = 5;
        for (uint32_t y = 0; y < 300; y++)
            for (uint32_t x = 0; x < 400; x++) {
                scar__planef_row(&m.zL, y)[x] = 0.1f * gauss_noise(&seed);
                scar__mask_row(&skin, y)[x] = 1;
            }
        shaded_pores(&m.zL, dir, -1e9, -1e9, 0.0);
        assert_int_equal(scar__light_sign(&m.zL, &skin, PPM, 1.0, 0.0), dir);
        assert_int_equal(scar__light_sign(&m.zL, &skin, PPM, -1.0, 0.0), -dir);
    }
    sig_scene_free(&m, &skin, &lab);
}

/* The light's side is read from pores in healthy skin only (regions.c):
 * pores shaded by light from +x over the right half of a scene; on the
 * left half, inside a candidate (score 10 > z_high), dark pits ten times
 * deeper whose shading tells the opposite side (a lesion's minima and
 * walls are no pores). scar__segment_regions must find +1 (counted with
 * the pores, the pits give -1). */
static void test_light_side_from_healthy_skin(void **state)
{
    (void)state;
    const uint32_t w = 400, h = 300;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    scar__planef pits = {0};
    assert_int_equal(scar__planef_alloc(w, h, "t", &pits), 0);
    uint64_t seed = 11;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            scar__planef_row(&m.zL, y)[x] = 0.1f * gauss_noise(&seed);
            scar__planef_row(&m.za, y)[x] = 0.1f * gauss_noise(&seed);
            scar__planef_row(&m.zb, y)[x] = 0.1f * gauss_noise(&seed);
            scar__planef_row(&m.score, y)[x] = x < 200 ? 10.0f : 0.0f;
            scar__planef_row(&pits, y)[x] = 0.0f;
            scar__mask_row(&skin, y)[x] = 1;
        }
    shaded_pores(&m.zL, 1, -1e9, -1e9, 0.0);
    shaded_pores(&pits, -1, -1e9, -1e9, 0.0);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < 200; x++) {
            float *z = scar__planef_row(&m.zL, y);
            /* the left half: pits in place of the pores */
            z[x] = 0.1f * gauss_noise(&seed) + 10.0f * scar__planef_row(&pits, y)[x];
        }
    /* counted over all the skin, the deep pits decide */
    assert_int_equal(scar__light_sign(&m.zL, &skin, PPM, 1.0, 0.0), -1);
    m.sd[0] = m.sd[1] = m.sd[2] = 1.0f;
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 0;
    assert_int_equal(scar__segment_regions(&m, &skin, &p, "t", &lab, &count), 0);
    assert_int_equal(m.light.known, 1);
    assert_true(fabs(m.light.ux) > 0.9);
    assert_int_equal(m.light.sign * (m.light.ux > 0 ? 1 : -1), 1);
    scar__plane_free(pits.data);
    sig_scene_free(&m, &skin, &lab);
}

/* A 600 x 450 photo (the analysis grid of the tests below shrunk by 3)
 * whose pores, every 12 px, are shaded by light from +x (dir 1), -x (-1)
 * or not at all (0), under deeper pigment dots (one per 9 x 9 px) that
 * carry no shading, with a brightness ramp along x (30 levels) and noise (sd 2).
 * `gray16`: one 16-bit channel instead of 8-bit RGB. */
#define PORE_W 600
#define PORE_H 450
static scar_image *pore_photo(int dir, int gray16)
{
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(PORE_W, PORE_H, gray16 ? 1 : 3,
                                    gray16 ? 16 : 8, &img), SCAR_OK);
    uint64_t seed = 23;
    for (uint32_t y = 0; y < PORE_H; y++) {
        uint8_t *r8 = scar_image_row(img, y);
        uint16_t *r16 = scar_image_row(img, y);
        for (uint32_t x = 0; x < PORE_W; x++) {
            double v = 120.0 + 0.05 * x + 2.0 * gauss_noise(&seed);
            double px = 6.0 + 12.0 * floor(x / 12.0), py = 6.0 + 12.0 * floor(y / 12.0);
            double dx = x - px, dy = y - py, g = exp(-(dx * dx + dy * dy) / 12.5);
            /* a depression: its wall toward the light faces away */
            v += (-24.0 - 16.0 * dir * dx / 2.5) * g;
            /* one dot per 9 x 9 cell, at a hashed place in it: a lattice
             * would sit at set offsets from the pores and bias their walls */
            int32_t cx = (int32_t)(x / 9), cy = (int32_t)(y / 9);
            for (int32_t j = cy - 1; j <= cy + 1; j++)
                for (int32_t i = cx - 1; i <= cx + 1; i++) {
                    uint64_t hsh = ((uint64_t)(uint32_t)i * 2654435761u) ^
                                   ((uint64_t)(uint32_t)j * 40503u + 977u);
                    hsh = (hsh ^ (hsh >> 13)) * 0x9E3779B97F4A7C15ull;
                    double qx = 9.0 * i + (double)((hsh >> 20) % 9);
                    double qy = 9.0 * j + (double)((hsh >> 40) % 9);
                    dx = x - qx;
                    dy = y - qy;
                    v -= 16.0 * exp(-(dx * dx + dy * dy) / 4.5);
                }
            v = v < 0.0 ? 0.0 : v > 255.0 ? 255.0 : v;
            if (gray16) {
                r16[x] = (uint16_t)lround(v * 257.0);
            } else {
                for (int c = 0; c < 3; c++)
                    r8[3 * x + c] = (uint8_t)lround(v);
            }
        }
    }
    return img;
}

/* The light's side from the photo's own pores (light_photo.c): found
 * through pigment dots and a brightness ramp, for 8-bit RGB and 16-bit
 * grey alike; nothing from unshaded pores or without healthy skin. */
static void test_light_sign_from_photo(void **state)
{
    (void)state;
    const uint32_t f = 3, gw = PORE_W / 3, gh = PORE_H / 3;
    scar__mask healthy = {0};
    assert_int_equal(scar__mask_alloc(gw, gh, "t", &healthy), 0);
    memset(healthy.data, 1, (size_t)gw * gh);
    for (int gray16 = 0; gray16 <= 1; gray16++)
        for (int dir = -1; dir <= 1; dir++) {
            scar_image *img = pore_photo(dir, gray16);
            scar__photo ph;
            scar__photo_of_image(img, &ph);
            int sign = 7;
            assert_int_equal(scar__light_sign_photo(&ph, f, &healthy, 15.0, 1.0,
                                                    0.0, "t", &sign), 0);
            assert_int_equal(sign, dir);
            assert_int_equal(scar__light_sign_photo(&ph, f, &healthy, 15.0, -1.0,
                                                    0.0, "t", &sign), 0);
            assert_int_equal(sign, -dir);
            scar_image_free(img);
        }
    scar_image *img = pore_photo(1, 0);
    scar__photo ph;
    scar__photo_of_image(img, &ph);
    memset(healthy.data, 0, (size_t)gw * gh);
    int sign = 7;
    assert_int_equal(scar__light_sign_photo(&ph, f, &healthy, 15.0, 1.0, 0.0,
                                            "t", &sign), 0);
    assert_int_equal(sign, 0);
    scar_image_free(img);
    scar__plane_free(healthy.data);
}

/* scar__segment_regions asks the photo when the shrunk grid does not tell
 * (regions.c): a grid with no pores, whose zL runs in stripes along x
 * (the light axis x), and the photo above shrunk by 3. */
static void test_light_side_from_photo_wired(void **state)
{
    (void)state;
    const uint32_t w = PORE_W / 3, h = PORE_H / 3;
    for (int dir = -1; dir <= 1; dir += 2) {
        scar__anomaly_maps m = {0};
        scar__mask skin = {0};
        scar__labels lab = {0};
        sig_scene_alloc(w, h, &m, &skin, &lab);
        uint64_t seed = 31;
        for (uint32_t y = 0; y < h; y++)
            for (uint32_t x = 0; x < w; x++) {
                scar__planef_row(&m.zL, y)[x] =
                    (float)(2.0 * sin(2.0 * PI * x / 8.0)) + 0.1f * gauss_noise(&seed);
                scar__planef_row(&m.za, y)[x] = 0.1f * gauss_noise(&seed);
                scar__planef_row(&m.zb, y)[x] = 0.1f * gauss_noise(&seed);
                scar__planef_row(&m.score, y)[x] = 0.0f;
                scar__mask_row(&skin, y)[x] = 1;
            }
        m.sd[0] = m.sd[1] = m.sd[2] = 1.0f;
        /* the grid alone does not tell */
        assert_int_equal(scar__light_sign(&m.zL, &skin, 5.0, 1.0, 0.0), 0);
        scar_image *img = pore_photo(dir, 0);
        scar__photo ph;
        scar__photo_of_image(img, &ph);
        scar__segment_params p = {5.0, 5.0, 3.0, 0.25, 8.0, 0, 3,
                                  NULL, &ph, NULL, NULL};
        int32_t count = 0;
        assert_int_equal(scar__segment_regions(&m, &skin, &p, "t", &lab, &count), 0);
        assert_int_equal(m.light.known, 1);
        assert_true(fabs(m.light.ux) > 0.9);
        assert_int_equal(m.light.sign * (m.light.ux > 0 ? 1 : -1), dir);
        scar_image_free(img);
        sig_scene_free(&m, &skin, &lab);
    }
}

/* Refines the candidates of a relief scene (scar__refine_edges) and
 * returns the Dice of the result against the disc of radius r at (cx, cy);
 * frees the scene. */
static double refined_disc_dice(scar__anomaly_maps *m, scar__mask *skin,
                                scar__labels *lab, double cx, double cy,
                                double r)
{
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 0; /* the scene's candidates: labels 1..count */
    for (uint32_t y = 0; y < lab->height; y++)
        for (uint32_t x = 0; x < lab->width; x++)
            if (scar__labels_row(lab, y)[x] > count)
                count = scar__labels_row(lab, y)[x];
    assert_int_equal(scar__refine_edges(m, skin, &p, "t", lab, &count), 0);
    uint64_t inter = 0, a = 0, b = 0;
    for (uint32_t y = 0; y < lab->height; y++)
        for (uint32_t x = 0; x < lab->width; x++) {
            int t = hypot((double)x - cx, (double)y - cy) <= r;
            int q = scar__labels_row(lab, y)[x] > 0;
            inter += t && q;
            a += t;
            b += q;
        }
    sig_scene_free(m, skin, lab);
    return 2.0 * (double)inter / (double)(a + b);
}

/* Raised scar under directional light (refine.c, RELIEF_RAISED): a pink
 * disc (za +3, radius 30 px = 3 mm) whose slopes (r 5-30 px) are lit
 * (zL +2) on the side toward the light and shaded (zL -8) on the other;
 * its candidate reaches r = 34. The core's mean residual is dark, so the
 * half-contrast cut along it keeps the shaded half only. With the pores
 * telling that the light is at +x, the bump's lit half faces the light:
 * the cut is made on the chroma and takes the whole disc (Dice >= 0.85).
 * With the light at -x the same shading is a depression's: no switch,
 * half the disc (Dice < 0.75). */
static double raised_scene_dice_near(int light_dir, int neighbour)
{
    const uint32_t w = 300, h = 240;
    const double cx = 150.0, cy = 120.0;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    uint64_t seed = 11;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double dx = (double)x - cx, r = hypot(dx, (double)y - cy);
            float zl = 0.1f * gauss_noise(&seed), za = 0.5f * gauss_noise(&seed);
            if (r <= 30.0) {
                za += 3.0f;
                if (r >= 5.0)
                    zl += dx > 0 ? 2.0f : -8.0f;
            }
            scar__planef_row(&m.zL, y)[x] = zl;
            scar__planef_row(&m.za, y)[x] = za;
            scar__planef_row(&m.zb, y)[x] = 0.5f * gauss_noise(&seed);
            scar__planef_row(&m.score, y)[x] = (float)fabs(zl) + (float)fabs(za);
            scar__mask_row(&skin, y)[x] = 1;
            scar__labels_row(&lab, y)[x] = r <= 34.0;
            /* a 3 x 3 candidate of its own 45 px to the right */
            if (neighbour && fabs(dx - 45.0) <= 1.0 && fabs((double)y - cy) <= 1.0)
                scar__labels_row(&lab, y)[x] = 2;
        }
    shaded_pores(&m.zL, light_dir, cx, cy, 46.0);
    return refined_disc_dice(&m, &skin, &lab, cx, cy, 30.0);
}

static double raised_scene_dice(int light_dir)
{
    return raised_scene_dice_near(light_dir, 0);
}

static void test_raised_scar_chroma_outline(void **state)
{
    (void)state;
    double lit = raised_scene_dice(1), pit = raised_scene_dice(-1);
    print_message("raised scar Dice: light at +x %.3f, at -x %.3f\n", lit, pit);
    assert_true(lit >= 0.85);
    assert_true(pit < 0.75);
}

/* The same scene with unshaded pores (the light's side unknown): a relief
 * either way, cut on its chroma (Dice >= 0.85) when the candidate is
 * alone in its refinement window; with a small candidate of its own
 * 45 px away, inside that window, no switch (Dice < 0.75). */
static void test_raised_scar_side_unknown(void **state)
{
    (void)state;
    double alone = raised_scene_dice_near(0, 0);
    double crowded = raised_scene_dice_near(0, 1);
    print_message("raised scar, side unknown, Dice: alone %.3f, beside a "
                  "candidate %.3f\n", alone, crowded);
    assert_true(alone >= 0.85);
    assert_true(crowded < 0.75);
}

/* Raised scar without colour (refine.c, RELIEF_RAISED_PLAIN; on dark
 * skin melanin hides its pink): a disc of radius 30 px (6 mm at 10 px/mm)
 * whose plateau (r < 22) is as bright as the skin and whose slopes (r
 * 22-30) are lit on the side toward the light and shaded on the other
 * (zL 4 cos of the angle to +x: slopes across the light do not shade,
 * so the two crescents do not meet); no chroma; its candidate reaches r = 32. The
 * half-contrast cut on the score keeps the two slopes; with the pores
 * telling that the light is at +x, the plateau between them is filled
 * along the light axis (Dice >= 0.85). With the light at -x the same
 * shading is a depression's, too large for a boxcar: the slopes alone
 * (Dice < 0.6). */
/* zL of a relief disc at (dx, r) from its centre, added to the noise;
 * *za, 0 on entry, may receive an a* offset (a floor's colour). */
typedef float (*relief_profile)(double dx, double dy, double r, float arg,
                                float *za);

/* A 240 x 200 relief scene around (120, 100): zL = 0.1 N(0,1) + profile,
 * za and zb 0.3 N(0,1) (za plus the profile's offset), score |zL| + |za
 * offset|, all skin, one candidate (relief_disc_dice: the disc of radius
 * cand_r; relief_scene_dice: where cand(dx, dy, r, size) holds); pores
 * shaded by light from light_dir (beyond pores_r); refined and scored
 * against the disc of radius disc_r. */
typedef int (*candidate_shape)(double dx, double dy, double r, double size);

static int within_radius(double dx, double dy, double r, double size)
{
    (void)dx;
    (void)dy;
    return r <= size;
}

/* relief_disc_dice with the candidate given by `cand` (size its size). */
static double relief_scene_dice(relief_profile profile, float arg,
                                uint64_t seed, candidate_shape cand,
                                double size, double pores_r, double disc_r,
                                int light_dir)
{
    const uint32_t w = 240, h = 200;
    const double cx = 120.0, cy = 100.0;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double dx = (double)x - cx, dy = (double)y - cy;
            double r = hypot(dx, dy);
            float za_add = 0.0f;
            float zl = 0.1f * gauss_noise(&seed) +
                       profile(dx, dy, r, arg, &za_add);
            float za = 0.3f * gauss_noise(&seed) + za_add;
            float zb = 0.3f * gauss_noise(&seed);
            scene_px(&m, &skin, &lab, x, y, cand(dx, dy, r, size), 1, zl, za,
                     zb, (float)fabs(zl) + (float)fabs(za_add));
        }
    shaded_pores(&m.zL, light_dir, cx, cy, pores_r);
    return refined_disc_dice(&m, &skin, &lab, cx, cy, disc_r);
}

static double relief_disc_dice(relief_profile profile, float arg,
                               uint64_t seed, double cand_r, double pores_r,
                               double disc_r, int light_dir)
{
    return relief_scene_dice(profile, arg, seed, within_radius, cand_r, pores_r,
                             disc_r, light_dir);
}

/* slopes r 22-30 shading as 4 cos(angle to +x) */
static float plain_raised_profile(double dx, double dy, double r, float arg,
                                  float *za)
{
    (void)dy;
    (void)arg;
    (void)za;
    return r >= 22.0 && r <= 30.0 ? (float)(4.0 * dx / r) : 0.0f;
}

static double plain_raised_scene_dice(int light_dir)
{
    return relief_disc_dice(plain_raised_profile, 0.0f, 23, 32.0, 44.0, 30.0,
                            light_dir);
}

static void test_raised_scar_plain_filled(void **state)
{
    (void)state;
    double lit = plain_raised_scene_dice(1), pit = plain_raised_scene_dice(-1);
    print_message("raised scar without colour, Dice: light at +x %.3f, at "
                  "-x %.3f\n", lit, pit);
    assert_true(lit >= 0.85);
    assert_true(pit < 0.6);
}

/* Boxcar under directional light (refine.c, RELIEF_DEPRESSED): a disc of
 * radius 20 px (2 mm) with a slightly dark floor (zL -1, r < 14) and
 * walls (r 14-20) shaded on the side toward the light (zL -6) and lit on
 * the other (+3); its candidate reaches r = 22. The half-contrast cut
 * keeps the shaded wall only. With the pores telling that the light is
 * at +x, the shaded half faces the light: a depression, and the kept
 * wall mirrored across the candidate's centre gives the whole disc (Dice
 * >= 0.85). With the light at -x the same shading is a bump's (no colour:
 * not a raised scar either): the crescent stays (Dice < 0.6). `rim`: the
 * zL of the shaded wall's edge (r 19-20, |y - cy| < 10; -6 = none). */
/* floor r < 14 at -1; walls r 14-20 at -6 toward +x (its edge, r >= 19
 * and |dy| < 10, at `rim`) and +3 on the other side */
static float boxcar_profile(double dx, double dy, double r, float rim,
                            float *za)
{
    (void)za;
    if (r < 14.0)
        return -1.0f;
    if (r > 20.0)
        return 0.0f;
    if (dx <= 0)
        return 3.0f;
    return r >= 19.0 && fabs(dy) < 10.0 ? rim : -6.0f;
}

static double boxcar_scene_dice(int light_dir, float rim)
{
    return relief_disc_dice(boxcar_profile, rim, 17, 22.0, 34.0, 20.0,
                            light_dir);
}

static void test_boxcar_mirrored_wall(void **state)
{
    (void)state;
    double pit = boxcar_scene_dice(1, -6.0f), bump = boxcar_scene_dice(-1, -6.0f);
    print_message("boxcar Dice: light at +x %.3f, at -x %.3f\n", pit, bump);
    assert_true(pit >= 0.85);
    assert_true(bump < 0.6);
    /* a steep wall: its edge (1 px, a sector of the shaded side) at zL
     * -12 is a sharp peak, shallower than an icepick's; still mirrored */
    double steep = boxcar_scene_dice(1, -12.0f);
    print_message("boxcar with a steep wall: Dice %.3f\n", steep);
    assert_true(steep >= 0.85);
    /* as deep as an icepick's peak (-25), but its top is a crescent (a
     * 1-2 px arc 20 px long): a wall, still mirrored */
    double deep = boxcar_scene_dice(1, -25.0f);
    print_message("boxcar with a deep crescent wall: Dice %.3f\n", deep);
    assert_true(deep >= 0.85);
}

/* A depressed red band (an atrophic stria rubra; refine.c,
 * BAND_MIN_ELONGATION): 10 px wide and 100 px long on the diagonal, zL -2
 * and za +4 inside, its wall on the +x side 2 darker and the other 1
 * lighter, as a boxcar's under light from +x (which the pores tell); its
 * candidate 2 px wider and longer. The relief test finds a depression
 * (the light's axis comes out a few degrees off the band's normal).
 * Mirrored as a boxcar's wall across the line perpendicular to that axis,
 * the band gained a tilted copy (7 % of the region outside it; at 45
 * degrees to the light, ph001 of the benchmark, a cross); cut on its
 * colour, it stays the band: at least 80 % of it covered and under 2 % of
 * the region more than 3 px beyond it. */
static void test_band_not_mirrored(void **state)
{
    (void)state;
    const uint32_t w = 400, h = 300;
    const double cx = 200.0, cy = 150.0, c45 = 0.70710678118654752;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    uint64_t seed = 29;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double dx = (double)x - cx, dy = (double)y - cy;
            double u = c45 * (dx + dy), v = c45 * (dx - dy); /* v > 0: +x */
            int in = fabs(u) <= 50.0 && fabs(v) <= 5.0;
            float wall = v > 2.0 ? -2.0f : v < -2.0 ? 1.0f : 0.0f;
            float zl = 0.1f * gauss_noise(&seed) + (in ? -2.0f + wall : 0.0f);
            float za = 0.3f * gauss_noise(&seed) + (in ? 4.0f : 0.0f);
            float zb = 0.3f * gauss_noise(&seed);
            int cand = fabs(u) <= 52.0 && fabs(v) <= 7.0;
            scene_px(&m, &skin, &lab, x, y, cand, 1, zl, za, zb,
                     (float)fabs(zl) + (in ? 4.0f : 0.0f));
        }
    shaded_pores(&m.zL, 1, cx, cy, 60.0);
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 1;
    assert_int_equal(scar__refine_edges(&m, &skin, &p, "t", &lab, &count), 0);
    uint64_t band = 0, covered = 0, region = 0, stray = 0;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double dx = (double)x - cx, dy = (double)y - cy;
            double u = c45 * (dx + dy), v = c45 * (dx - dy);
            int in = fabs(u) <= 50.0 && fabs(v) <= 5.0;
            int q = scar__labels_row(&lab, y)[x] > 0;
            band += in;
            covered += in && q;
            region += q;
            stray += q && (fabs(u) > 53.0 || fabs(v) > 8.0);
        }
    print_message("depressed band: %.2f covered, %.3f of the region stray\n",
                  (double)covered / (double)band,
                  region ? (double)stray / (double)region : 0.0);
    assert_true(covered >= 0.8 * (double)band);
    assert_true(stray < 0.02 * (double)region);
    sig_scene_free(&m, &skin, &lab);
}

/* A boxcar seen as its shaded wall alone (refine.c, complete_crescent):
 * walls r 14-20 px shaded (zL -6) on the half toward +x only, floor and
 * far wall as the skin (a lit wall too thin to show at 5 px/mm), and a
 * candidate that is the crescent (r 12-22, dx > -2). Both of its halves
 * are dark, so the relief test is undecided and the cut keeps the
 * crescent (Dice 0.41 against the disc r <= 20). With the light at +x
 * the crescent opens away from the light: mirrored halfway to its tips
 * and the hull taken, it covers the bowl but its far edge (Dice 0.78,
 * >= 0.75). With the light at -x it opens toward the light, as no
 * boxcar's wall does: it stays a crescent (Dice < 0.6). */
static float crescent_profile(double dx, double dy, double r, float arg,
                              float *za)
{
    (void)dy;
    (void)arg;
    (void)za;
    return r >= 14.0 && r <= 20.0 && dx > 0.0 ? -6.0f : 0.0f;
}

static int in_crescent(double dx, double dy, double r, double size)
{
    (void)dy;
    return r >= 12.0 && r <= size && dx > -2.0;
}

static double crescent_scene_dice(int light_dir)
{
    return relief_scene_dice(crescent_profile, 0.0f, 41, in_crescent, 22.0,
                             34.0, 20.0, light_dir);
}

static void test_crescent_completed(void **state)
{
    (void)state;
    double toward = crescent_scene_dice(1), away = crescent_scene_dice(-1);
    print_message("shaded wall alone, Dice: light at +x %.3f, at -x %.3f\n",
                  toward, away);
    assert_true(toward >= 0.75);
    assert_true(away < 0.6);
}

/* Shaded walls moved (refine.c is_shaded_wall, wall_shift.c): at 10 px/mm
 * with the light at +x (given in the maps, as step 3 finds it), a boxcar (the disc r = 15 px at the
 * centre: the truth) seen only as the darkness of its shaded side: a
 * uniform dark disc (zL -6) of the same size 4 px toward the light, no
 * lit wall, so the relief test cannot tell. Its colour change is a
 * shadow's (zb -2, less yellow): marked, and moved 0.27 of its radius
 * (4 px) away from the light onto the truth (Dice >= 0.95, 0.85 before
 * the move). The same darkness with pigment's colour (zb +2) is a patch
 * and stays where it is. */
static double wall_scene_dice(float zb_shift, int *marked)
{
    const uint32_t w = 240, h = 200;
    const double cx = 120.0, cy = 100.0;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0}, walls = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    assert_int_equal(scar__mask_alloc(w, h, "t", &walls), 0);
    uint64_t seed = 5150;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int in = hypot((double)x - cx - 4.0, (double)y - cy) <= 15.0;
            float zl = 0.1f * gauss_noise(&seed) + (in ? -6.0f : 0.0f);
            float za = 0.3f * gauss_noise(&seed);
            float zb = 0.3f * gauss_noise(&seed) + (in ? zb_shift : 0.0f);
            scene_px(&m, &skin, &lab, x, y,
                     hypot((double)x - cx - 4.0, (double)y - cy) <= 19.0, 1,
                     zl, za, zb, (float)hypot(zl, zb));
        }
    /* the light as scar__segment_regions finds it on healthy skin */
    m.light.known = 1;
    m.light.ux = 1.0;
    m.light.uy = 0.0;
    m.light.sign = 1;
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 1;
    assert_int_equal(scar__refine_edges_walls(&m, &skin, &p, "t", &lab, &count,
                                              &walls), 0);
    assert_int_equal(count, 1);
    *marked = scar__mask_row(&walls, 100)[124] != 0;
    assert_int_equal(scar__shift_walls(&m, &skin, &p, &walls, "t", &lab, count),
                     0);
    uint64_t inter = 0, a = 0, b = 0;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int t = hypot((double)x - cx, (double)y - cy) <= 15.0;
            int q = scar__labels_row(&lab, y)[x] == 1;
            inter += t && q;
            a += t;
            b += q;
        }
    scar__plane_free(walls.data);
    sig_scene_free(&m, &skin, &lab);
    return 2.0 * (double)inter / (double)(a + b);
}

static void test_shaded_wall_moved(void **state)
{
    (void)state;
    int marked = 0;
    double shadow = wall_scene_dice(-2.0f, &marked);
    print_message("shadow-coloured: marked %d, Dice %.3f\n", marked, shadow);
    assert_int_equal(marked, 1);
    assert_true(shadow >= 0.95);
    double pigment = wall_scene_dice(2.0f, &marked);
    print_message("pigment-coloured: marked %d, Dice %.3f\n", marked, pigment);
    assert_int_equal(marked, 0);
    assert_true(pigment < 0.9);
}

/* A boxcar with a paler floor (relief.c, refine.c: scar tissue, lighter
 * and less red than the skin): the floor (r < 14) at zL +1, za -3, the
 * walls as boxcar_profile's (shaded -6 toward +x, lit +3 away), and a dark
 * neighbour (zL -8, a 12 px band) touching the lit wall from outside the
 * candidate. On the whole the candidate is lighter, not darker, and its
 * coherent core is the floor's colour: a cut on that colour keeps the
 * floor alone (Dice 0.65). With the light at +x both walls show where a
 * depression's do: the cut is on the score (both walls), inside the
 * candidate (grown out on the score it takes in the neighbour: Dice
 * 0.93), closed there, holes filled: the disc (Dice 0.975, >= 0.96). */
static float pale_boxcar_profile(double dx, double dy, double r, float arg,
                                 float *za)
{
    if (r > 20.0 && dx < 0 && dx > -32.0 && fabs(dy) < 6.0)
        return -8.0f; /* a dark neighbour touching the lit wall */
    if (r < 14.0) {
        *za = -3.0f;
        return 1.0f;
    }
    return boxcar_profile(dx, dy, r, arg, za);
}

/* A lighter patch (zL 3, za -2, r <= 20) darkening toward the light (zL
 * -1.5 dx / 20, uneven light): its dipole is a depression's, but no wall
 * is shaded. */
static float light_patch_profile(double dx, double dy, double r, float arg,
                                 float *za)
{
    (void)dy;
    (void)arg;
    if (r > 20.0)
        return 0.0f;
    *za = -2.0f;
    return (float)(3.0 - 1.5 * dx / 20.0);
}

/* scar__relief_kind of a disc of radius 22 px drawn by `profile` (no
 * noise), light at +x, mean direction the disc's own (coherent). */
static scar__relief profile_relief(relief_profile profile, float arg)
{
    const uint32_t w = 80, h = 80;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0}, reg = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    assert_int_equal(scar__mask_alloc(w, h, "t", &reg), 0);
    double mv[3] = {0, 0, 0}, n = 0;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double dx = (double)x - 40.0, dy = (double)y - 40.0;
            double r = hypot(dx, dy);
            float za = 0.0f, zl = profile(dx, dy, r, arg, &za);
            int in = r <= 22.0;
            scene_px(&m, &skin, &lab, x, y, in, 1, zl, za, 0.0f, fabsf(zl));
            scar__mask_row(&reg, y)[x] = (uint8_t)in;
            mv[0] += in ? zl : 0.0;
            mv[1] += in ? za : 0.0;
            n += in;
        }
    scar__region rg;
    memset(&rg, 0, sizeof rg);
    rg.centroid_x = rg.centroid_y = 40.0;
    rg.area = (uint64_t)n;
    rg.equivalent_diameter = 2.0 * sqrt(n / PI);
    scar__relief kind = scar__relief_kind(&m, &skin, &reg, 0, 0, &rg, mv,
                                          hypot(mv[0], mv[1]), 1, PPM, 1.0,
                                          0.0);
    scar__plane_free(reg.data);
    sig_scene_free(&m, &skin, &lab);
    return kind;
}

static void test_pale_boxcar(void **state)
{
    (void)state;
    double dice = relief_disc_dice(pale_boxcar_profile, -6.0f, 31, 22.0, 34.0,
                                   20.0, 1);
    print_message("boxcar with a paler floor: Dice %.3f\n", dice);
    assert_true(dice >= 0.96);
    /* the relief test: both walls make the pale disc a depression; a
     * lighter patch whose dipole is a depression's but whose near side
     * is not shaded stays a patch */
    assert_int_equal(profile_relief(pale_boxcar_profile, -6.0f),
                     SCAR__RELIEF_DEPRESSED);
    assert_int_equal(profile_relief(light_patch_profile, 0.0f),
                     SCAR__RELIEF_NONE);
}

/* A notch closed (refine.c, close_within_candidate): a boxcar whose
 * relief test is undecided (pores that do not tell the light's side) with
 * a darker floor (zL -2, r < 14) and a shaded wall (zL -8, r 14-20) on
 * three quarters of its rim, open toward +x (dx > 0, |dy| < 10); its
 * candidate reaches r = 22. The half-contrast cut keeps the wall, a C
 * around the floor; closed by 0.35 of the candidate's diameter within the
 * candidate, the disc is whole (Dice 0.968, >= 0.85; 0.591 without). */
static float notch_profile(double dx, double dy, double r, float arg,
                           float *za)
{
    (void)arg;
    (void)za;
    if (r < 14.0)
        return -2.0f;
    if (r > 20.0 || (dx > 0 && fabs(dy) < 10.0))
        return 0.0f;
    return -8.0f;
}

static void test_notch_closed(void **state)
{
    (void)state;
    double dice = relief_disc_dice(notch_profile, 0.0f, 29, 22.0, 34.0, 20.0, 0);
    print_message("boxcar cut to a C, closed: Dice %.3f\n", dice);
    assert_true(dice >= 0.85);
}

/* Pits are not fragments (merge.c): two regions 1 mm across, 0.6 mm
 * apart, of one colour, at 10 px/mm. With dark cores of score 20 (pits,
 * icepick scars) they stay two; with score 10 (faint dots of one patch)
 * they are joined; pits 3 mm across (over the 2 mm of a pit) are joined;
 * a pit beside a faint dot (an icepick beside a mark) stays apart. */
static int32_t merged_count_apart(double r, double half_gap, float score,
                                  float score_b)
{
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(120, 80, &m, &skin, &lab);
    double ax = 60.0 - r - half_gap, bx = 60.0 + r + half_gap;
    for (uint32_t y = 0; y < 80; y++)
        for (uint32_t x = 0; x < 120; x++) {
            double da = hypot((double)x - ax, (double)y - 40.0);
            double db = hypot((double)x - bx, (double)y - 40.0);
            int32_t l = da <= r ? 1 : db <= r ? 2 : 0;
            scene_px(&m, &skin, &lab, x, y, l, 1, l ? -20.0f : 0.0f,
                     l ? 2.0f : 0.0f, l ? 4.0f : 0.0f,
                     l == 1 ? score : l == 2 ? score_b : 0.0f);
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 2;
    assert_int_equal(scar__merge_fragments(&m, &skin, &p, "t", &lab, &count), 0);
    sig_scene_free(&m, &skin, &lab);
    return count;
}

/* The two discs 0.6 mm apart. */
static int32_t merged_count(double r, float score, float score_b)
{
    return merged_count_apart(r, 3.0, score, score_b);
}

static void test_pits_not_merged(void **state)
{
    (void)state;
    assert_int_equal(merged_count(5.0, 20.0f, 20.0f), 2);
    assert_int_equal(merged_count(5.0, 10.0f, 10.0f), 1);
    assert_int_equal(merged_count(15.0, 20.0f, 20.0f), 1);
    assert_int_equal(merged_count(5.0, 20.0f, 10.0f), 2);
    /* touching (centres 2r apart): what is not merged stays two
     * regions; the faint dots of one patch are merged */
    assert_int_equal(merged_count_apart(5.0, 0.0, 20.0f, 10.0f), 2);
    assert_int_equal(merged_count_apart(5.0, 0.0, 10.0f, 10.0f), 1);
}

/* Pits under the minimum area (refine.c): at 10 px/mm min_area_mm2 0.25
 * is 25 px; a pit may be as small as 0.4 of it. Three candidates of 21 px
 * (disc r = 2.5 px), each refined to its 13-px core (r = 2): a dark dip
 * (zL -20, score 20, on flat skin) is an icepick and stays; the same
 * strength on a dark slope (zL falling 1.5 per px toward +x, no dip below
 * its ring) and a faint dip (zL -6, score 6) are dropped. */
static int32_t small_regions_left(float slope, float depth, float score)
{
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(80, 60, &m, &skin, &lab);
    for (uint32_t y = 0; y < 60; y++)
        for (uint32_t x = 0; x < 80; x++) {
            int in = hypot((double)x - 40.0, (double)y - 30.0) <= 2.0;
            float zl = slope * ((float)x - 40.0f) - (in ? depth : 0.0f);
            /* the slope's own gradient scores outside the core */
            float sc = in ? score : 10.0f * fabsf(slope);
            scene_px(&m, &skin, &lab, x, y,
                     hypot((double)x - 40.0, (double)y - 30.0) <= 2.5, 1, zl,
                     0.0f, 0.0f, sc);
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 1;
    assert_int_equal(scar__refine_edges(&m, &skin, &p, "t", &lab, &count), 0);
    sig_scene_free(&m, &skin, &lab);
    return count;
}

static void test_small_pit_kept(void **state)
{
    (void)state;
    assert_int_equal(small_regions_left(0.0f, 20.0f, 20.0f), 1);
    assert_int_equal(small_regions_left(-1.5f, 0.0f, 20.0f), 0);
    assert_int_equal(small_regions_left(0.0f, 6.0f, 6.0f), 0);
}

/* A pit's cut undoes the residual smoothing (refine.c, unblur_pit): at
 * 40 px/mm the smoothing sigma is 0.08 mm = 3.2 px. A Gaussian pit whose
 * half depth lies at r = 5 px (variance s2 = 25 / (2 ln2)), as the maps
 * show it after that blur (variance s2 + 3.2^2, apex lowered to match),
 * has its half-maximum contour at r = 6.26 px: 121 px instead of the 81
 * of the true half-depth disc. The cut must be within 15 % of the truth
 * and overlap it (Dice >= 0.9). */
static void test_pit_unblurred(void **state)
{
    (void)state;
    const uint32_t w = 200, h = 200;
    const double ppm = 40.0, c0 = 100.0;
    const double s2 = 25.0 / (2.0 * log(2.0));
    const double sm = scar__resid_sigma_px(ppm), sb2 = s2 + sm * sm;
    assert_true(fabs(sm - 3.2) < 1e-9);
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    uint64_t seed = 4242;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double r2 = (x - c0) * (x - c0) + (y - c0) * (y - c0);
            float nl = 0.3f * gauss_noise(&seed);
            float na = 0.3f * gauss_noise(&seed);
            float nb = 0.3f * gauss_noise(&seed);
            float zl = (float)(-60.0 * s2 / sb2 * exp(-r2 / (2.0 * sb2))) + nl;
            scene_px(&m, &skin, &lab, x, y, r2 <= 144.0, 1, zl, na, nb,
                     fabsf(zl));
        }
    scar__segment_params p = {ppm, 5.0, 3.0, 0.01, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 1;
    assert_int_equal(scar__refine_edges(&m, &skin, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 1);
    uint64_t inter = 0, a = 0, b = 0;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int t = (x - c0) * (x - c0) + (y - c0) * (y - c0) <= 25.0;
            int q = scar__labels_row(&lab, y)[x] == 1;
            inter += t && q;
            a += t;
            b += q;
        }
    double dice = 2.0 * (double)inter / (double)(a + b);
    print_message("pit cut %llu px, true half depth %llu px, Dice %.3f\n",
                  (unsigned long long)b, (unsigned long long)a, dice);
    assert_true(fabs((double)b - (double)a) <= 0.15 * (double)a);
    assert_true(dice >= 0.9);
    sig_scene_free(&m, &skin, &lab);
}

/* A scene for step 6 or 4 with a glare mask of its size (all 0). */
static void glare_scene_alloc(uint32_t w, uint32_t h, scar__anomaly_maps *m,
                              scar__mask *skin, scar__labels *lab,
                              scar__mask *glare)
{
    sig_scene_alloc(w, h, m, skin, lab);
    assert_int_equal(scar__mask_alloc(w, h, "t", glare), 0);
}

static void glare_scene_free(scar__anomaly_maps *m, scar__mask *skin,
                             scar__labels *lab, scar__mask *glare)
{
    scar__plane_free(glare->data);
    sig_scene_free(m, skin, lab);
}

/* A glare spot's halo (refine.c, GLARE_HALO_MM): at 10 px/mm a glare spot
 * (r 8 px, not skin) sits in a lighter ring (r 8-16, zL +6: a candidate of
 * its own), and a pale patch (r 12, zL +8) 6 px beyond the ring is joined
 * to it by a lighter 3-px neck. Growing the patch's cut along the neck
 * into the ring would make the two touch, and touching regions of one
 * direction are joined: the patch would become part of the halo (and be
 * dropped with it in step 6). With the glare given, neither grows within
 * 1.5 mm of the glare: two regions, and the pixels of the neck where the
 * cut stopped are marked as halo for step 6; without it, one. */
static int32_t halo_scene_regions(int with_glare, int32_t *patch,
                                  int32_t *ring, uint64_t *blocked)
{
    const uint32_t w = 200, h = 120;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0}, glare = {0};
    scar__labels lab = {0};
    glare_scene_alloc(w, h, &m, &skin, &lab, &glare);
    uint64_t seed = 99;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double dg = hypot((double)x - 60.0, (double)y - 60.0);
            double dp = hypot((double)x - 94.0, (double)y - 60.0);
            int neck = x > 76 && x < 82 && y >= 59 && y <= 61;
            float nl = 0.3f * gauss_noise(&seed);
            float na = 0.3f * gauss_noise(&seed);
            float nb = 0.3f * gauss_noise(&seed);
            float zl = nl + (dp <= 12.0 ? 8.0f
                             : (dg > 8.0 && dg <= 16.0) || neck ? 6.0f
                                                                : 0.0f);
            int32_t l = dp <= 12.0 ? 1 : dg > 8.0 && dg <= 16.0 ? 2 : 0;
            scar__mask_row(&glare, y)[x] = dg <= 8.0;
            scene_px(&m, &skin, &lab, x, y, l, dg > 8.0, zl, na, nb,
                     fabsf(zl));
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              with_glare ? &glare : NULL, NULL, NULL, NULL};
    int32_t count = 2;
    scar__mask marks = {0};
    assert_int_equal(scar__mask_alloc(w, h, "t", &marks), 0);
    assert_int_equal(scar__refine_edges_walls(&m, &skin, &p, "t", &lab, &count,
                                              &marks), 0);
    *patch = scar__labels_row(&lab, 60)[94];
    *ring = scar__labels_row(&lab, 48)[60];
    /* where the patch's cut would have run on along the neck */
    *blocked = 0;
    for (uint32_t y = 55; y <= 65; y++)
        for (uint32_t x = 76; x <= 82; x++)
            *blocked += (scar__mask_row(&marks, y)[x] & SCAR__MARK_HALO) != 0;
    scar__plane_free(marks.data);
    glare_scene_free(&m, &skin, &lab, &glare);
    return count;
}

static void test_growth_stops_at_glare_halo(void **state)
{
    (void)state;
    int32_t patch, ring;
    uint64_t blocked;
    assert_int_equal(halo_scene_regions(1, &patch, &ring, &blocked), 2);
    assert_true(patch >= 1 && ring >= 1 && patch != ring);
    /* marked for step 6: an outline along them is one along the glare */
    assert_true(blocked > 0);
    assert_int_equal(halo_scene_regions(0, &patch, &ring, &blocked), 1);
    assert_int_equal(patch, ring);
    assert_true(blocked == 0);
}

/* Relief (relief.c): a 3 mm disc at 10 px/mm, light toward +x. Its half
 * toward the light at zL -1; its far half at -1 with a lit crescent
 * (r >= 14 px, x < cx - 8: about 10 % of that half) at +3: the dipole is
 * weak (about -0.36, over the -0.5 that alone makes a depression), but
 * the lit wall makes it one.
 * Without the crescent (far half -0.8) it is not; with the light from -x
 * neither (the crescent then faces the light: no depression, and no
 * colour for a raised scar); a strong dipole still is one; with the
 * light's side unknown, nothing. */
static scar__relief relief_of(scar__anomaly_maps *m, const scar__mask *skin,
                              const scar__mask *reg, int crescent,
                              double lx)
{
    const double cx = 40.0, cy = 40.0;
    double n = 0;
    for (uint32_t y = 0; y < 80; y++)
        for (uint32_t x = 0; x < 80; x++) {
            double dx = (double)x - cx, r = hypot(dx, (double)y - cy);
            float z = dx > 0 ? -1.0f : (crescent ? -1.0f : -0.8f);
            if (crescent && r >= 14.0 && dx < -8.0)
                z = 3.0f;
            scar__planef_row(&m->zL, y)[x] = r <= 15.0 ? z : 0.0f;
            n += r <= 15.0;
        }
    scar__region rg;
    memset(&rg, 0, sizeof rg);
    rg.centroid_x = cx;
    rg.centroid_y = cy;
    rg.area = (uint64_t)n;
    rg.equivalent_diameter = 2.0 * sqrt(n / PI);
    const double mv[3] = {-1.0, 0.0, 0.0};
    return scar__relief_kind(m, skin, reg, 0, 0, &rg, mv, 1.0, 1, PPM, lx, 0.0);
}

static void test_relief_lit_wall(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0}, reg = {0};
    scar__labels lab = {0};
    sig_scene_alloc(80, 80, &m, &skin, &lab);
    assert_int_equal(scar__mask_alloc(80, 80, "t", &reg), 0);
    for (uint32_t y = 0; y < 80; y++)
        for (uint32_t x = 0; x < 80; x++) {
            scar__mask_row(&skin, y)[x] = 1;
            scar__mask_row(&reg, y)[x] =
                hypot((double)x - 40.0, (double)y - 40.0) <= 15.0;
        }
    assert_int_equal(relief_of(&m, &skin, &reg, 1, 1.0), SCAR__RELIEF_DEPRESSED);
    assert_int_equal(relief_of(&m, &skin, &reg, 0, 1.0), SCAR__RELIEF_NONE);
    assert_int_equal(relief_of(&m, &skin, &reg, 1, -1.0), SCAR__RELIEF_NONE);
    assert_int_equal(relief_of(&m, &skin, &reg, 1, 0.0), SCAR__RELIEF_NONE);
    /* a strong dipole: the far half lit all over */
    for (uint32_t y = 0; y < 80; y++)
        for (uint32_t x = 0; x < 80; x++)
            if (scar__mask_row(&reg, y)[x] && x < 40)
                scar__planef_row(&m.zL, y)[x] = 1.0f;
    scar__region rg;
    memset(&rg, 0, sizeof rg);
    rg.centroid_x = rg.centroid_y = 40.0;
    rg.equivalent_diameter = 30.0;
    const double mv[3] = {-1.0, 0.0, 0.0};
    assert_int_equal(scar__relief_kind(&m, &skin, &reg, 0, 0, &rg, mv, 1.0, 1, PPM,
                                       1.0, 0.0),
                     SCAR__RELIEF_DEPRESSED);
    scar__plane_free(reg.data);
    sig_scene_free(&m, &skin, &lab);
}

/* Strong cores (split.c): a 200 x 150 candidate of faint score (4 sd)
 * holding a dark pit (disc r = 3 px, score 20, zL -20) at 10 px/mm: the
 * pit, grown by 0.5 mm, becomes region 2 and the rest stays region 1. A
 * bright core, a dark core 4 mm across and a pit in a candidate less than
 * 10x its grown size are left in their candidate. */
static void split_scene(scar__anomaly_maps *m, scar__labels *lab,
                        uint32_t cand_w, double r, float zl)
{
    for (uint32_t y = 0; y < 200; y++)
        for (uint32_t x = 0; x < 300; x++) {
            int in = x >= 50 && x < 50 + cand_w && y >= 25 && y < 175;
            int core = hypot((double)x - 100.0, (double)y - 100.0) <= r;
            scar__labels_row(lab, y)[x] = in ? 1 : 0;
            scar__planef_row(&m->score, y)[x] = in ? (core ? 20.0f : 4.0f) : 0.0f;
            scar__planef_row(&m->zL, y)[x] = core ? zl : -1.0f;
        }
}

/* The candidate cut down to the rectangle x0 <= x < x1, y0 <= y < y1 of
 * the split scene. */
static void split_candidate_rect(scar__labels *lab, uint32_t x0, uint32_t x1,
                                 uint32_t y0, uint32_t y1)
{
    for (uint32_t y = 0; y < 200; y++)
        for (uint32_t x = 0; x < 300; x++)
            scar__labels_row(lab, y)[x] =
                x >= x0 && x < x1 && y >= y0 && y < y1 ? 1 : 0;
}

static void test_split_strong_core(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(300, 200, &m, &skin, &lab);
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 1;
    split_scene(&m, &lab, 200, 3.0, -20.0f);
    assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 2);
    assert_int_equal(scar__labels_row(&lab, 100)[100], 2);
    assert_int_equal(scar__labels_row(&lab, 100)[107], 2); /* grown 5 px */
    assert_int_equal(scar__labels_row(&lab, 100)[110], 1);
    assert_int_equal(scar__labels_row(&lab, 30)[60], 1);
    /* bright: a lit slope or glare, not a pit */
    count = 1;
    split_scene(&m, &lab, 200, 3.0, 20.0f);
    assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 1);
    /* 4 mm across: the shade of a raised scar, not a pit */
    split_scene(&m, &lab, 200, 20.0, -20.0f);
    assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 1);
    /* a 25 x 25 candidate: under 4x the grown pit (~200 px); 40 x 40:
     * over it */
    for (int side = 25; side <= 40; side += 15) {
        count = 1;
        split_scene(&m, &lab, 200, 3.0, -20.0f);
        uint32_t lo = (uint32_t)(100 - side / 2), hi = lo + (uint32_t)side;
        split_candidate_rect(&lab, lo, hi, lo, hi);
        assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
        assert_int_equal(count, side == 25 ? 1 : 2);
    }
    /* the rest of the candidate paler than the skin (a pit at the edge of
     * a pale mottle): split from 2x the grown pit (~200 px) on. 25 x 25
     * (625 px, 3.1x) is split, 19 x 19 (361 px, 1.8x) is not */
    for (int side = 19; side <= 25; side += 6) {
        count = 1;
        split_scene(&m, &lab, 200, 3.0, -20.0f);
        uint32_t lo = (uint32_t)(100 - side / 2), hi = lo + (uint32_t)side;
        split_candidate_rect(&lab, lo, hi, lo, hi);
        for (uint32_t y = 0; y < 200; y++)
            for (uint32_t x = 0; x < 300; x++) {
                float *zl = scar__planef_row(&m.zL, y) + x;
                if (*zl > -20.0f)
                    *zl = 3.0f;
            }
        assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
        assert_int_equal(count, side == 25 ? 2 : 1);
        if (side == 25) {
            assert_int_equal(scar__labels_row(&lab, 100)[100], 2);
            assert_int_equal(scar__labels_row(&lab, 90)[90], 1);
        }
    }
    /* the rest darker, as the pit, but beside it (a boxcar beside an
     * icepick): the pit at the left edge of a 26 x 25 candidate (x 96 ..
     * 121), about 3 times its grown part, is split; centred, as in the
     * 25 x 25 case above, it is not */
    count = 1;
    split_scene(&m, &lab, 200, 3.0, -20.0f);
    split_candidate_rect(&lab, 96, 122, 88, 113);
    assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 2);
    assert_int_equal(scar__labels_row(&lab, 100)[100], 2);
    assert_int_equal(scar__labels_row(&lab, 100)[118], 1);
    /* two pits 9 px apart (0.9 mm: closer than twice the 5 px growth):
     * each keeps its own grown pixels, two regions; grown as one mask they
     * were one region holding both */
    count = 1;
    split_scene(&m, &lab, 200, 3.0, -20.0f);
    for (uint32_t y = 0; y < 200; y++)
        for (uint32_t x = 0; x < 300; x++)
            if (hypot((double)x - 109.0, (double)y - 100.0) <= 3.0) {
                scar__planef_row(&m.score, y)[x] = 20.0f;
                scar__planef_row(&m.zL, y)[x] = -20.0f;
            }
    assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 3);
    int32_t pa = scar__labels_row(&lab, 100)[100];
    int32_t pb = scar__labels_row(&lab, 100)[109];
    assert_true(pa >= 2 && pb >= 2 && pa != pb);
    assert_int_equal(scar__labels_row(&lab, 100)[104], pa); /* nearer a */
    assert_int_equal(scar__labels_row(&lab, 100)[105], pb);
    assert_int_equal(scar__labels_row(&lab, 100)[114], pb); /* grown 5 px */
    /* a strong dark strip 21 x 3 px (grown: 31 x 13, over 2:1): a scar's
     * shaded wall, not a pit */
    count = 1;
    split_scene(&m, &lab, 200, 0.0, -20.0f);
    for (uint32_t y = 99; y <= 101; y++)
        for (uint32_t x = 90; x <= 110; x++) {
            scar__planef_row(&m.score, y)[x] = 20.0f;
            scar__planef_row(&m.zL, y)[x] = -20.0f;
        }
    assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 1);
    sig_scene_free(&m, &skin, &lab);
}

/* The split scene's pit with dark pixels of score `halo` (between the
 * core's low level 12 and SCAR__PIT_Z 15) where `in_halo(x, y)`. */
static void split_halo(scar__anomaly_maps *m, float halo,
                       int (*in_halo)(uint32_t x, uint32_t y))
{
    for (uint32_t y = 0; y < 200; y++)
        for (uint32_t x = 0; x < 300; x++)
            if (in_halo(x, y) && scar__planef_row(&m->score, y)[x] < halo) {
                scar__planef_row(&m->score, y)[x] = halo;
                scar__planef_row(&m->zL, y)[x] = -halo;
            }
}

static int halo_disc6(uint32_t x, uint32_t y)
{
    return hypot((double)x - 100.0, (double)y - 100.0) <= 6.0;
}

static int halo_disc25(uint32_t x, uint32_t y)
{
    return hypot((double)x - 100.0, (double)y - 100.0) <= 25.0;
}

static int halo_strip(uint32_t x, uint32_t y)
{
    return x >= 70 && x <= 130 && y >= 98 && y <= 102;
}

static int halo_far_disc(uint32_t x, uint32_t y)
{
    return hypot((double)x - 200.0, (double)y - 100.0) <= 6.0;
}

/* The split scene's pit with `halo` where `in_halo`: split into region 2,
 * which reaches x = `in` on row 100 and not x = `out`. */
static void assert_pit_reach(scar__anomaly_maps *m, scar__labels *lab,
                             const scar__segment_params *p, float halo,
                             int (*in_halo)(uint32_t, uint32_t), uint32_t in,
                             uint32_t out)
{
    int32_t count = 1;
    split_scene(m, lab, 200, 3.0, -20.0f);
    split_halo(m, halo, in_halo);
    assert_int_equal(scar__split_strong_cores(m, NULL, p, "t", lab, &count), 0);
    assert_int_equal(count, 2);
    assert_int_equal(scar__labels_row(lab, 100)[in], 2);
    assert_int_equal(scar__labels_row(lab, 100)[out], 1);
}

/* A core is a dark component at >= 12 sd holding a pixel at >= 15: its
 * strong part grown decides, and the whole core grown is the new region
 * while that is still a pit (round, at most 3 mm across, at most half of
 * the candidate). */
static void test_split_core_extent(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(300, 200, &m, &skin, &lab);
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    /* a halo of 13 sd to r = 6: the region reaches r = 6 + 5 */
    assert_pit_reach(&m, &lab, &p, 13.0f, halo_disc6, 110, 112);
    /* the same halo at 11 sd is not part of the core: grown 5 px from the
     * strong part only */
    assert_pit_reach(&m, &lab, &p, 11.0f, halo_disc6, 108, 110);
    /* a halo 5 mm across (too large for a pit) or a strip through the pit
     * (a wall): still split, as decided by the strong part, with the
     * strong part's extent */
    assert_pit_reach(&m, &lab, &p, 13.0f, halo_disc25, 108, 110);
    assert_pit_reach(&m, &lab, &p, 13.0f, halo_strip, 108, 110);
    /* a core at 13 sd without a pixel at 15, 1.2 mm across: no strong
     * core, and its blob (pit_blobs.c) grown is over the 2 mm of a pit
     * found as a blob: no pit (the scene without the one-pixel core at
     * the centre, itself a dark blob) */
    int32_t count = 1;
    split_scene(&m, &lab, 200, -1.0, -20.0f);
    split_halo(&m, 13.0f, halo_far_disc);
    assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 1);
    sig_scene_free(&m, &skin, &lab);
}

/* Dark cores in lighter candidates: the split scene's candidate (200 x 150
 * at 10 px/mm, score 4: under the seed level 5) with zL `rest_zl`, and a
 * disc of radius r px at (100, 100) with score 8 (under a strong core's 12
 * and 15) and zL `core_zl`. */
static void dark_light_scene(scar__anomaly_maps *m, scar__labels *lab,
                             double r, float core_zl, float rest_zl)
{
    split_scene(m, lab, 200, r, core_zl);
    for (uint32_t y = 0; y < 200; y++)
        for (uint32_t x = 0; x < 300; x++) {
            float *sc = scar__planef_row(&m->score, y) + x;
            float *zl = scar__planef_row(&m->zL, y) + x;
            if (*sc == 20.0f)
                *sc = 8.0f;
            else if (*sc > 0.0f)
                *zl = rest_zl;
        }
}

/* Regions after scar__split_strong_cores on the dark-light scene. */
static int32_t dark_light_count(scar__anomaly_maps *m, scar__labels *lab,
                                const scar__segment_params *p, double r,
                                float core_zl, float rest_zl)
{
    int32_t count = 1;
    dark_light_scene(m, lab, r, core_zl, rest_zl);
    assert_int_equal(scar__split_strong_cores(m, NULL, p, "t", lab, &count), 0);
    return count;
}

/* A dark pit at 8 sd (1.7 mm across) in a lighter candidate 50 times its
 * size is split, grown by 0.5 mm; not when the rest is darker than the
 * skin, the core barely darker, the candidate under 4 times the grown
 * core, or the core grown over 5 mm across. */
static void test_split_dark_in_light(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(300, 200, &m, &skin, &lab);
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    assert_int_equal(dark_light_count(&m, &lab, &p, 8.0, -6.0f, 1.0f), 2);
    assert_int_equal(scar__labels_row(&lab, 100)[100], 2);
    assert_int_equal(scar__labels_row(&lab, 100)[112], 2); /* grown 5 px */
    assert_int_equal(scar__labels_row(&lab, 100)[115], 1);
    assert_int_equal(scar__labels_row(&lab, 30)[60], 1);
    /* the rest darker than the skin: one dark patch, left whole */
    assert_int_equal(dark_light_count(&m, &lab, &p, 8.0, -6.0f, -1.0f), 1);
    /* the core hardly darker (its score is chroma) */
    assert_int_equal(dark_light_count(&m, &lab, &p, 8.0, -0.2f, 1.0f), 1);
    /* grown r = 30 px: 6 mm across */
    assert_int_equal(dark_light_count(&m, &lab, &p, 25.0, -6.0f, 1.0f), 1);
    /* a 40 x 40 candidate is under 4 times the grown core (~530 px), a
     * 50 x 50 one over it */
    for (int side = 40; side <= 50; side += 10) {
        int32_t count = 1;
        dark_light_scene(&m, &lab, 8.0, -6.0f, 1.0f);
        uint32_t lo = (uint32_t)(100 - side / 2), hi = lo + (uint32_t)side;
        split_candidate_rect(&lab, lo, hi, lo, hi);
        assert_int_equal(scar__split_strong_cores(&m, NULL, &p, "t", &lab, &count), 0);
        assert_int_equal(count, side == 40 ? 1 : 2);
    }
    sig_scene_free(&m, &skin, &lab);
}

/* Pits found as blobs (pit_blobs.c) on a textured residual: zL white noise
 * of sd 1 (the z unit) at 10 px/mm, plus `depth` times a Gaussian dip of
 * sigma `sig` px at (100, 100) (negative: darker). */
static void blob_scene(scar__planef *zL, float depth, double sig,
                       uint64_t seed)
{
    for (uint32_t y = 0; y < zL->height; y++)
        for (uint32_t x = 0; x < zL->width; x++) {
            double r2 = ((double)x - 100.0) * ((double)x - 100.0) +
                        ((double)y - 100.0) * ((double)y - 100.0);
            scar__planef_row(zL, y)[x] =
                gauss_noise(&seed) +
                depth * (float)exp(-r2 / (2.0 * sig * sig));
        }
}

static uint64_t count_set_px(const scar__mask *m)
{
    uint64_t n = 0;
    for (uint32_t y = 0; y < m->height; y++)
        for (uint32_t x = 0; x < m->width; x++)
            n += scar__mask_row(m, y)[x] != 0;
    return n;
}

/* A dark dip of 4 z (sigma 2 px: 0.47 mm across at half depth) is a blob,
 * centred on it and no wider than 1.5 mm; the same dip raised is none,
 * and neither is the noise alone anywhere in the 400 x 300 field (per
 * pixel a dip of 4 z is as common as a 4 sd draw, 1 in 30000: the band
 * pass tells it). Without skin: no blob and no error. */
static void test_pit_blobs(void **state)
{
    (void)state;
    scar__planef zL = {0};
    scar__mask out = {0};
    assert_int_equal(scar__planef_alloc(400, 300, "t", &zL), 0);
    assert_int_equal(scar__mask_alloc(400, 300, "t", &out), 0);
    blob_scene(&zL, -4.0f, 2.0, 3);
    assert_int_equal(scar__pit_blobs(&zL, NULL, PPM, "t", &out), 0);
    assert_true(scar__mask_row(&out, 100)[100]);
    uint64_t n = count_set_px(&out);
    printf("dark dip: %llu blob px\n", (unsigned long long)n);
    assert_true(n >= 5 && (double)n <= 3.14159 * 7.5 * 7.5);
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 400; x++)
            if (scar__mask_row(&out, y)[x])
                assert_true(hypot((double)x - 100.0, (double)y - 100.0) <= 7.5);
    blob_scene(&zL, 4.0f, 2.0, 3);
    assert_int_equal(scar__pit_blobs(&zL, NULL, PPM, "t", &out), 0);
    assert_int_equal(count_set_px(&out), 0);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        blob_scene(&zL, 0.0f, 2.0, seed);
        assert_int_equal(scar__pit_blobs(&zL, NULL, PPM, "t", &out), 0);
        assert_int_equal(count_set_px(&out), 0);
    }
    /* no skin at all: no blob, and no failure */
    scar__mask none = {0};
    assert_int_equal(scar__mask_alloc(400, 300, "t", &none), 0);
    blob_scene(&zL, -4.0f, 2.0, 3);
    assert_int_equal(scar__pit_blobs(&zL, &none, PPM, "t", &out), 0);
    assert_int_equal(count_set_px(&out), 0);
    scar__plane_free(none.data);
    scar__plane_free(zL.data);
    scar__plane_free(out.data);
}

/* Step 3 with a pit found as a blob: the split scene's candidate (score 4)
 * on the noise of blob_scene, with a dark dip of 4 z scored 10 (under the
 * strong cores' 12-15 sd): split into region 2 at the dip; not without
 * the dip (the score alone), nor when the dip is raised, nor when it is 5
 * times wider (a blob over 2 mm: a patch or a boxcar's floor). */
static void test_split_blob_pit(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(300, 200, &m, &skin, &lab);
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    const float depth[4] = {-4.0f, 0.0f, 4.0f, -4.0f};
    const double sig[4] = {2.0, 2.0, 2.0, 10.0};
    for (int c = 0; c < 4; c++) {
        split_scene(&m, &lab, 200, -1.0, -20.0f);
        blob_scene(&m.zL, depth[c], sig[c], 9);
        for (uint32_t y = 0; y < 200; y++)
            for (uint32_t x = 0; x < 300; x++) {
                scar__mask_row(&skin, y)[x] = 1;
                if (hypot((double)x - 100.0, (double)y - 100.0) <= 3.0)
                    scar__planef_row(&m.score, y)[x] = 10.0f;
            }
        int32_t count = 1;
        assert_int_equal(scar__split_strong_cores(&m, &skin, &p, "t", &lab, &count), 0);
        assert_int_equal(count, c == 0 ? 2 : 1);
        assert_int_equal(scar__labels_row(&lab, 100)[100], c == 0 ? 2 : 1);
        assert_int_equal(scar__labels_row(&lab, 30)[60], 1);
    }
    sig_scene_free(&m, &skin, &lab);
}

/* Saddle split (lib/segment/saddle.c): one candidate, the band x 60..340,
 * y 130..170 of a 400 x 300 scene at 10 px/mm, score `base` (4: between
 * z_low 3 and z_high 5; 2: below z_low, as where the clean-up's closing
 * bridged two candidates), holds two Gaussian peaks (sigma 6 px) at x =
 * 200 -+ gap/2, y = 150, of heights a and b above base, their zL of signs
 * sa and sb. */
static void saddle_scene_on(scar__anomaly_maps *m, scar__labels *lab,
                            double gap, float base, float a, float b,
                            float sa, float sb)
{
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 400; x++) {
            int in = x >= 60 && x < 340 && y >= 130 && y < 170;
            double dy = (double)y - 150.0;
            double ga = exp(-(pow((double)x - (200.0 - gap / 2), 2) + dy * dy) / 72.0);
            double gb = exp(-(pow((double)x - (200.0 + gap / 2), 2) + dy * dy) / 72.0);
            scar__labels_row(lab, y)[x] = in;
            scar__planef_row(&m->score, y)[x] =
                in ? (float)(base + a * ga + b * gb) : 0.0f;
            scar__planef_row(&m->zL, y)[x] = (float)(sa * a * ga + sb * b * gb);
        }
}

static void saddle_scene(scar__anomaly_maps *m, scar__labels *lab, double gap,
                         float a, float b, float sa, float sb)
{
    saddle_scene_on(m, lab, gap, 4.0f, a, b, sa, sb);
}

/* Runs the split with the light along +x (sign: which way) and returns
 * the region count; *la, *lb: the labels at the two peaks. */
static int32_t saddle_split(scar__anomaly_maps *m, scar__mask *skin,
                            scar__labels *lab, double gap, int sign,
                            int32_t *la, int32_t *lb)
{
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    m->light.known = 1;
    m->light.ux = 1.0;
    m->light.uy = 0.0;
    m->light.sign = sign;
    int32_t count = 1;
    assert_int_equal(scar__split_at_saddles(m, skin, &p, "t", lab, &count), 0);
    *la = scar__labels_row(lab, 150)[(uint32_t)lround(200.0 - gap / 2)];
    *lb = scar__labels_row(lab, 150)[(uint32_t)lround(200.0 + gap / 2)];
    return count;
}

/* Two dark lesions 4 mm apart, peaks 30 and 25 sd over a saddle of ~4:
 * two regions, the stronger keeps label 1. Two faint ones (peaks 8 over
 * 4: dynamics under 10 sd): one; the same peaks over a band below z_low
 * (joined only by the clean-up): two. A lit part (zL > 0) away from the light
 * and a shaded part toward it are one pit's walls within 5 mm: one region;
 * 7 mm apart they are two (a pit is narrower), unless the light comes
 * from the other side, which makes them the slopes of one raised scar
 * (within 10 mm). */
static void test_saddle_split(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(400, 300, &m, &skin, &lab);
    for (uint32_t y = 0; y < 300; y++)
        memset(scar__mask_row(&skin, y), 1, 400);
    int32_t la, lb;
    saddle_scene(&m, &lab, 40.0, 30.0f, 25.0f, -1.0f, -1.0f);
    assert_int_equal(saddle_split(&m, &skin, &lab, 40.0, 1, &la, &lb), 2);
    assert_int_equal(la, 1);
    assert_int_equal(lb, 2);
    assert_int_equal(scar__labels_row(&lab, 140)[70], 1); /* rest: with a peak */
    saddle_scene(&m, &lab, 40.0, 8.0f, 8.0f, -1.0f, -1.0f);
    assert_int_equal(saddle_split(&m, &skin, &lab, 40.0, 1, &la, &lb), 1);
    saddle_scene_on(&m, &lab, 40.0, 2.0f, 8.0f, 8.0f, -1.0f, -1.0f);
    assert_int_equal(saddle_split(&m, &skin, &lab, 40.0, 1, &la, &lb), 2);
    assert_true(la != lb);
    /* light toward +x: the shaded part at +x is the wall toward it */
    saddle_scene(&m, &lab, 40.0, 30.0f, 25.0f, 1.0f, -1.0f);
    assert_int_equal(saddle_split(&m, &skin, &lab, 40.0, 1, &la, &lb), 1);
    saddle_scene(&m, &lab, 70.0, 30.0f, 25.0f, 1.0f, -1.0f);
    assert_int_equal(saddle_split(&m, &skin, &lab, 70.0, 1, &la, &lb), 2);
    saddle_scene(&m, &lab, 70.0, 30.0f, 25.0f, 1.0f, -1.0f);
    assert_int_equal(saddle_split(&m, &skin, &lab, 70.0, -1, &la, &lb), 1);
    assert_int_equal(la, lb);
    sig_scene_free(&m, &skin, &lab);
}

/* The halo of an excluded spot (significance.c): a disc of radius 20 px
 * with a* +3 sd is kept; with its middle (radius 12: 36 % of it) left out
 * of the skin mask, as glare is, it is dropped; with a radius-8 hole
 * (16 %) kept. */
static int32_t halo_kept(scar__anomaly_maps *m, scar__mask *skin,
                         scar__labels *lab, double hole)
{
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    uint64_t seed = 7;
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 400; x++) {
            double r = hypot((double)x - 200.0, (double)y - 150.0);
            scar__labels_row(lab, y)[x] = r <= 20.0;
            scar__mask_row(skin, y)[x] = r > hole;
            scar__planef_row(&m->zL, y)[x] = gauss_noise(&seed);
            scar__planef_row(&m->za, y)[x] =
                gauss_noise(&seed) + (r <= 20.0 ? 3.0f : 0.0f);
            scar__planef_row(&m->zb, y)[x] = gauss_noise(&seed);
            scar__planef_row(&m->score, y)[x] = 0.0f;
        }
    int32_t count = 1;
    assert_int_equal(scar__region_significance(m, skin, &p, "t", lab, &count), 0);
    return count;
}

static void test_excluded_halo_dropped(void **state)
{
    (void)state;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(400, 300, &m, &skin, &lab);
    assert_int_equal(halo_kept(&m, &skin, &lab, -1.0), 1);
    assert_int_equal(halo_kept(&m, &skin, &lab, 12.0), 0);
    assert_int_equal(halo_kept(&m, &skin, &lab, 8.0), 1);
    sig_scene_free(&m, &skin, &lab);
}

/* A region along glare (significance.c, HALO_MIN_LIFT): at 10 px/mm a
 * glare spot (r 10 px, not skin) and, hugging its right side, a region
 * (the skin within 14 px of a point 6 px right of the spot's centre: half
 * of its outline on the glare) with zL +4 and a* +3 sd. On skin at zL 0
 * it is lighter than the skin just beyond it: the glare's halo, dropped.
 * When the skin within 1 mm of it is lit as much (zL +4, a* 0), it is a
 * lesion lit like that skin: kept. */
static int32_t beside_glare_kept(int lit_around)
{
    const uint32_t w = 200, h = 120;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0}, glare = {0};
    scar__labels lab = {0};
    glare_scene_alloc(w, h, &m, &skin, &lab, &glare);
    uint64_t seed = 5;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double dg = hypot((double)x - 100.0, (double)y - 60.0);
            double dr = hypot((double)x - 106.0, (double)y - 60.0);
            int in = dg > 10.0 && dr <= 14.0;
            int near = dg > 10.0 && !in && dr <= 24.0;
            float zl = gauss_noise(&seed) +
                       (in || (lit_around && near) ? 4.0f : 0.0f);
            float za = gauss_noise(&seed) + (in ? 3.0f : 0.0f);
            float zb = gauss_noise(&seed);
            scar__mask_row(&glare, y)[x] = dg <= 10.0;
            scene_px(&m, &skin, &lab, x, y, in, dg > 10.0, zl, za, zb, 0.0f);
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1, &glare,
                              NULL, NULL, NULL};
    int32_t count = 1;
    assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab,
                                               &count), 0);
    glare_scene_free(&m, &skin, &lab, &glare);
    return count;
}

static void test_lit_lesion_beside_glare(void **state)
{
    (void)state;
    assert_int_equal(beside_glare_kept(0), 0);
    assert_int_equal(beside_glare_kept(1), 1);
}

/* Skin-edge fraction (lib/segment/skinedge.c), against hand counts on a
 * 10x10 map: region 1 = the 3x3 square x 2..4, y 2..4, with column x = 5
 * excluded from skin: 3 of its 12 boundary edges border excluded pixels
 * (0.25). Region 2 = x 0..2, y 7..9, in the bottom-left corner: 6 edges
 * inside the photo, none excluded, and 6 on its border (3 left, 3
 * bottom): 6 of 12. Region 3 = the single pixel (6, 2), right of the
 * excluded column: its left edge borders it, 1 of 4. */
static void test_skin_edge_fraction(void **state)
{
    (void)state;
    scar__mask skin = {0};
    scar__labels lab = {0};
    assert_int_equal(scar__mask_alloc(10, 10, "t", &skin), 0);
    assert_int_equal(scar__labels_alloc(10, 10, "t", &lab), 0);
    for (uint32_t y = 0; y < 10; y++)
        for (uint32_t x = 0; x < 10; x++) {
            int32_t l = 0;
            if (x >= 2 && x <= 4 && y >= 2 && y <= 4)
                l = 1;
            else if (x <= 2 && y >= 7)
                l = 2;
            else if (x == 6 && y == 2)
                l = 3;
            scar__labels_row(&lab, y)[x] = l;
            scar__mask_row(&skin, y)[x] = x != 5;
        }
    double frac[3] = {-1, -1, -1};
    assert_int_equal(scar__skin_edge_fraction(&lab, &skin, NULL, 3, "t", frac, NULL), 0);
    assert_true(fabs(frac[0] - 0.25) < 1e-12);
    assert_true(fabs(frac[1] - 0.5) < 1e-12);
    assert_true(fabs(frac[2] - 0.25) < 1e-12);
    /* glare given as skin pixels (a halo the cuts were kept out of) left
     * of region 1: its three edges there count as edges along the glare,
     * not as edges against excluded skin */
    scar__mask glare = {0};
    assert_int_equal(scar__mask_alloc(10, 10, "t", &glare), 0);
    for (uint32_t y = 2; y <= 4; y++)
        scar__mask_row(&glare, y)[1] = 1;
    double ng[3] = {-1, -1, -1};
    assert_int_equal(scar__skin_edge_fraction(&lab, &skin, &glare, 3, "t",
                                              frac, ng), 0);
    assert_true(fabs(frac[0] - 0.5) < 1e-12);
    assert_true(fabs(ng[0] - 0.25) < 1e-12);
    assert_true(fabs(frac[1] - 0.5) < 1e-12 && fabs(ng[1] - 0.5) < 1e-12);
    assert_true(fabs(frac[2] - 0.25) < 1e-12 && fabs(ng[2] - 0.25) < 1e-12);
    scar__plane_free(glare.data);
    scar__plane_free(skin.data);
    scar__plane_free(lab.data);
}

/* Two candidate rectangles {x0, x1, y0, y1} (half-open) on white N(0,1)
 * residuals, zL lowered by `contrast` inside both, skin everywhere but the
 * columns [excl_x0, excl_x1): step 6 drops the first and keeps the
 * second. */
static void expect_strip_dropped(const uint32_t drop[4], const uint32_t keep[4],
                                 uint32_t excl_x0, uint32_t excl_x1,
                                 float contrast, uint64_t seed)
{
    const uint32_t w = 400, h = 300;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = 0;
            if (x >= drop[0] && x < drop[1] && y >= drop[2] && y < drop[3])
                l = 1;
            else if (x >= keep[0] && x < keep[1] && y >= keep[2] && y < keep[3])
                l = 2;
            float px_l = gauss_noise(&seed) - (l ? contrast : 0.0f);
            float px_a = gauss_noise(&seed);
            scene_px(&m, &skin, &lab, x, y, l, !(x >= excl_x0 && x < excl_x1), px_l, px_a,
                     gauss_noise(&seed), 0.0f);
        }
    expect_one_kept(&m, &skin, &lab, (drop[0] + drop[1]) / 2,
                    (drop[2] + drop[3]) / 2, (keep[0] + keep[1]) / 2,
                    (keep[2] + keep[3]) / 2);
    sig_scene_free(&m, &skin, &lab);
}

/* Hairs and skin creases (significance.c, DARK_LINE_*): a band 1 mm wide
 * and 20 mm long, 4 sd darker with no change of colour, is dropped, while
 * `keep` (4 sd darker, keep_za sd redder) is kept. White N(0,1) residuals,
 * z unit 1 in each channel. */
static void expect_dark_line_dropped(const uint32_t keep[4], float keep_za,
                                     uint64_t seed)
{
    static const uint32_t line[4] = {60, 70, 50, 250};
    const uint32_t w = 400, h = 300;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    m.sd[0] = m.sd[1] = m.sd[2] = 1.0f;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = 0;
            if (x >= line[0] && x < line[1] && y >= line[2] && y < line[3])
                l = 1;
            else if (x >= keep[0] && x < keep[1] && y >= keep[2] && y < keep[3])
                l = 2;
            float px_l = gauss_noise(&seed) - (l ? 4.0f : 0.0f);
            float px_a = gauss_noise(&seed) + (l == 2 ? keep_za : 0.0f);
            scene_px(&m, &skin, &lab, x, y, l, 1, px_l, px_a,
                     gauss_noise(&seed), 0.0f);
        }
    expect_one_kept(&m, &skin, &lab, (line[0] + line[1]) / 2,
                    (line[2] + line[3]) / 2, (keep[0] + keep[1]) / 2,
                    (keep[2] + keep[3]) / 2);
    sig_scene_free(&m, &skin, &lab);
}

/* The dark neutral line goes; a red band of the same shape (a stria
 * rubra) and a dark neutral square (not a line) stay. */
static void test_dark_line_dropped(void **state)
{
    (void)state;
    static const uint32_t band[4] = {200, 210, 50, 250};
    static const uint32_t square[4] = {200, 240, 130, 170};
    expect_dark_line_dropped(band, 4.0f, 4251);
    expect_dark_line_dropped(square, 0.0f, 4252);
}

/* A strip running along the edge of the skin mask (a face contour, a
 * collar) is dropped whatever its contrast; the same strip with skin on
 * both sides is kept. White N(0,1) residuals, strips 4 sd darker. */
static void test_skin_edge_region_dropped(void **state)
{
    (void)state;
    static const uint32_t edge[4] = {60, 70, 50, 250}, inner[4] = {200, 210, 50, 250};
    expect_strip_dropped(edge, inner, 40, 60, 4.0f, 4242);
}

/* The same two strips with skin everywhere, the first now along the
 * photo's left border (x 0..9): the border is an edge of the skin too,
 * and that strip is dropped. */
static void test_border_region_dropped(void **state)
{
    (void)state;
    static const uint32_t border[4] = {0, 10, 50, 250}, inner[4] = {200, 210, 50, 250};
    expect_strip_dropped(border, inner, 0, 0, 4.0f, 4243);
}

/* A thin line (2 px = 0.2 mm wide, 120 px long: a hair the hair mask
 * missed) is dropped whatever its contrast; a band 10 px = 1 mm wide of
 * the same length and contrast (a stria) is kept. */
static void test_thin_line_dropped(void **state)
{
    (void)state;
    static const uint32_t line[4] = {100, 102, 90, 210}, band[4] = {250, 260, 90, 210};
    expect_strip_dropped(line, band, 0, 0, 6.0f, 4244);
}

/* Regions touching after refinement (touching.c): a dark region and a
 * darker one beside it are one lesion's fragments and join; a lighter
 * region touching them stays apart (joining every touching region put a
 * pit and the lighter skin beside it into one); a region in two separate
 * parts becomes two; a part under min_area is dropped. */
static void test_touching_regions(void **state)
{
    (void)state;
    const uint32_t w = 20, h = 12;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t k = 0;
            float zl = 0.0f;
            if (y >= 1 && y <= 3 && x >= 1 && x <= 3)
                k = 1, zl = -5.0f; /* dark */
            else if (y >= 1 && y <= 3 && x >= 4 && x <= 6)
                k = 2, zl = -3.0f; /* darker than the skin too */
            else if (y >= 4 && y <= 6 && x >= 1 && x <= 6)
                k = 3, zl = 4.0f; /* lighter, touching both */
            else if (y >= 8 && y <= 9 && (x <= 2 || (x >= 10 && x <= 11)))
                k = 4, zl = -2.0f; /* two parts */
            else if (y == 10 && x == 15)
                k = 5, zl = -6.0f; /* 1 px */
            scene_px(&m, &skin, &lab, x, y, k, 1, zl, 0.5f * zl, 0.0f,
                     fabsf(zl));
        }
    int32_t count = 5;
    assert_int_equal(scar__relabel_agreeing(&m, &lab, 4, PPM, "t", &count), 0);
    assert_int_equal(count, 4);
    const int32_t *r2 = scar__labels_row(&lab, 2), *r5 = scar__labels_row(&lab, 5);
    const int32_t *r8 = scar__labels_row(&lab, 8);
    assert_true(r2[2] > 0);
    assert_int_equal(r2[5], r2[2]); /* 1 and 2 joined */
    assert_true(r5[2] > 0);
    assert_int_not_equal(r5[2], r2[2]); /* 3 apart */
    assert_true(r8[1] > 0 && r8[11] > 0);
    assert_int_not_equal(r8[1], r8[11]); /* 4's parts apart */
    assert_int_equal(scar__labels_row(&lab, 10)[15], 0); /* too small */
    sig_scene_free(&m, &skin, &lab);
}

/* A pit (5 x 5 px at 10 px/mm, zL -30, score 30) touching a darker
 * region 10 x 5 px of zL `zl`: kept apart when the pit's mean contrast is
 * over 6 times the region's (zL -4), joined when it is not (zL -10); a
 * dark region as strong but 2.4 mm across (20 x 20 px) is no pit and is
 * joined with the faint one. */
static int32_t pit_touching_count(uint32_t pit_side, float zl)
{
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(40, 30, &m, &skin, &lab);
    for (uint32_t y = 0; y < 30; y++)
        for (uint32_t x = 0; x < 40; x++) {
            int32_t k = 0;
            float z = 0.0f, sc = 0.0f;
            if (x >= 2 && x < 2 + pit_side && y >= 2 && y < 2 + pit_side)
                k = 1, z = -30.0f, sc = 30.0f;
            else if (x >= 2 + pit_side && x < 12 + pit_side && y >= 2 &&
                     y < 7)
                k = 2, z = zl, sc = fabsf(zl);
            scene_px(&m, &skin, &lab, x, y, k, 1, z, 0.5f * z, 0.0f, sc);
        }
    int32_t count = 2;
    assert_int_equal(scar__relabel_agreeing(&m, &lab, 1, PPM, "t", &count), 0);
    sig_scene_free(&m, &skin, &lab);
    return count;
}

static void test_pit_apart_from_faint(void **state)
{
    (void)state;
    assert_int_equal(pit_touching_count(5, -4.0f), 2);
    assert_int_equal(pit_touching_count(5, -10.0f), 1);
    assert_int_equal(pit_touching_count(20, -4.0f), 1);
}

/* Outline closing (outline_close.c), PPM 10: region 1 is a disc of radius
 * 40 px cut by six radial slits 5 px wide and 25 px deep, as a pixel-wise
 * cut on textured skin leaves a faint lesion; the slit at 0 degrees is not
 * skin, and region 2 (6 x 6 px) sits inside the slit at 180 degrees.
 * Region 3 is a ragged C of 1.4 mm (below the 2 mm minimum); region 4, a
 * notched block in the photo's corner, has its window clipped to the map.
 * After the closing region 1 is the disc (Dice >= 0.99; 0.93 before)
 * without the non-skin slit and region 2, which are unchanged, as is
 * region 3; region 4 keeps its pixels and stays in its block. */
static int32_t outline_pixel(double x, double y)
{
    double dx = x - 80.0, dy = y - 100.0, r = hypot(dx, dy);
    if (x >= 50 && x < 56 && y >= 98 && y < 104)
        return 2;
    if (x < 40 && y < 30) /* at the photo's corner, a notch from its top */
        return x >= 18 && x < 22 && y < 15 ? 0 : 4;
    if (r <= 40.0) {
        double a = atan2(dy, dx);
        for (int k = 0; k < 6; k++) {
            double ak = k * PI / 3.0, d = a - ak;
            d = atan2(sin(d), cos(d));
            if (r >= 15.0 && fabs(r * sin(d)) < 2.5 && cos(d) > 0)
                return k == 0 ? -1 : 0; /* -1: the non-skin slit */
        }
        return 1;
    }
    double cr = hypot(x - 230.0, y - 100.0);
    if (cr <= 7.0 && cr >= 3.0 && x < 232.0)
        return 3;
    return 0;
}

static void test_outline_closed(void **state)
{
    (void)state;
    const uint32_t w = 300, h = 200;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    uint64_t n3 = 0, n2 = 0;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = outline_pixel(x, y);
            scar__mask_row(&skin, y)[x] = l >= 0;
            scar__labels_row(&lab, y)[x] = l > 0 ? l : 0;
            n2 += l == 2;
            n3 += l == 3;
        }
    /* Dice of region 1 with the disc less the non-skin slit and region 2 */
    double dice[2];
    for (int pass = 0; pass < 2; pass++) {
        uint64_t both = 0, in1 = 0, truth = 0;
        for (uint32_t y = 0; y < h; y++)
            for (uint32_t x = 0; x < w; x++) {
                int32_t l = outline_pixel(x, y);
                int t = hypot(x - 80.0, y - 100.0) <= 40.0 && l != -1 && l != 2;
                int p = scar__labels_row(&lab, y)[x] == 1;
                both += t && p;
                in1 += p;
                truth += t;
            }
        dice[pass] = 2.0 * (double)both / (double)(in1 + truth);
        if (pass == 0)
            assert_int_equal(scar__close_outlines(&skin, PPM, "t", &lab, 4), 0);
    }
    print_message("outline closing: Dice %.3f before, %.3f after\n", dice[0], dice[1]);
    assert_true(dice[0] < 0.94);
    assert_true(dice[1] >= 0.99);
    uint64_t m2 = 0, m3 = 0, off = 0;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = outline_pixel(x, y), v = scar__labels_row(&lab, y)[x];
            m2 += v == 2;
            m3 += v == 3;
            off += v != 0 && !scar__mask_row(&skin, y)[x];
            if (l == 4 || l == 3 || l == 2)
                assert_int_equal(v, l);
            if (v == 4)
                assert_true(x < 40 && y < 30);
        }
    assert_int_equal(m2, n2);
    assert_int_equal(m3, n3);
    assert_int_equal(off, 0);
    sig_scene_free(&m, &skin, &lab);
}

/* Step 7b (collinear.c): two red pieces of a band 0.8 mm wide on one
 * line, 1.5 mm apart, become one region with the band between them; two
 * red pieces 5 mm apart across the line (28 degrees off it), and a red
 * and a white piece on one line, stay apart. */
static void test_collinear_pieces_joined(void **state)
{
    (void)state;
    const uint32_t w = 400, h = 300;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = 0;
            if (y >= 100 && y < 108)
                l = x >= 40 && x < 120 ? 1 : x >= 135 && x < 215 ? 2 : 0;
            else if (y >= 150 && y < 158)
                l = x >= 240 && x < 300 ? 3 : x >= 315 && x < 375 ? 4 : 0;
            else if (y >= 200 && y < 208 && x >= 40 && x < 120)
                l = 5;
            else if (y >= 250 && y < 258 && x >= 135 && x < 215)
                l = 6;
            float px_l = l == 4 ? 3.0f : 0.0f;
            float px_a = l && l != 4 ? 3.0f : 0.0f;
            scene_px(&m, &skin, &lab, x, y, l, 1, px_l, px_a,
                     0.0f, 0.0f);
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 6;
    assert_int_equal(scar__join_collinear(&m, &skin, &p, "t", &lab, &count, 0), 0);
    assert_int_equal(count, 5);
    int32_t band = scar__labels_row(&lab, 103)[60];
    assert_true(band > 0);
    assert_int_equal(scar__labels_row(&lab, 103)[127], band); /* the gap */
    assert_int_equal(scar__labels_row(&lab, 103)[180], band);
    assert_int_equal(scar__labels_row(&lab, 98)[127], 0); /* not wider */
    assert_true(scar__labels_row(&lab, 153)[270] !=
                scar__labels_row(&lab, 153)[340]);
    assert_int_equal(scar__labels_row(&lab, 153)[307], 0);
    assert_true(scar__labels_row(&lab, 203)[60] !=
                scar__labels_row(&lab, 253)[180]);
    assert_int_equal(scar__labels_row(&lab, 225)[127], 0);
    sig_scene_free(&m, &skin, &lab);
}

/* Step 7b across a wider gap (collinear.c, COL_FAINT_GAP_MM): red pieces of
 * a band 0.8 mm wide, za 3, on four lines 7 mm apart. Joined when the 5 mm
 * gap carries half their colour (za 1.5); kept apart when it carries a
 * sixth (za 0.5, below COL_BAND_FRACTION), when one piece is shorter than
 * the gap (4 mm), or when the gap is 9 mm. */
static void test_collinear_faint_gap(void **state)
{
    (void)state;
    const uint32_t w = 400, h = 300;
    /* per line: first piece x0..x1, second x2..x3, the gap's za */
    static const uint32_t piece[4][4] = {{20, 120, 170, 270},
                                         {20, 120, 170, 270},
                                         {20, 60, 110, 210},
                                         {20, 120, 210, 310}};
    static const float gap_za[4] = {1.5f, 0.5f, 1.5f, 1.5f};
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = 0;
            float za = 0.0f;
            for (int k = 0; k < 4; k++) {
                uint32_t y0 = 40 + 70 * (uint32_t)k;
                if (y < y0 || y >= y0 + 8)
                    continue;
                const uint32_t *q = piece[k];
                if (x >= q[0] && x < q[1])
                    l = 2 * k + 1;
                else if (x >= q[2] && x < q[3])
                    l = 2 * k + 2;
                else if (x >= q[1] && x < q[2])
                    za = gap_za[k];
                if (l)
                    za = 3.0f;
            }
            scene_px(&m, &skin, &lab, x, y, l, 1, 0.0f, za, 0.0f, 0.0f);
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 8;
    assert_int_equal(scar__join_collinear(&m, &skin, &p, "t", &lab, &count, 0), 0);
    assert_int_equal(count, 7);
    const int32_t *a = scar__labels_row(&lab, 44);
    assert_true(a[60] > 0);
    assert_int_equal(a[145], a[60]); /* the gap joins them */
    assert_int_equal(a[220], a[60]);
    for (int k = 1; k < 4; k++) {
        const int32_t *r = scar__labels_row(&lab, 44 + 70 * (uint32_t)k);
        const uint32_t *q = piece[k];
        assert_true(r[q[0]] > 0 && r[q[2]] > 0);
        assert_true(r[q[0]] != r[q[2]]);
        assert_int_equal(r[(q[1] + q[2]) / 2], 0);
    }
    sig_scene_free(&m, &skin, &lab);
}

/* The scene of test_collinear_candidates: on three lines, two pieces 10
 * mm long and 0.8 mm wide, 1.5 mm apart. Line 1 (y 40-47): red (za 3),
 * with a red blob (label 3) below the gap, touching the band between the
 * pieces. Line 2 (y 120-127): dark without colour (zL -3: a hair's
 * pieces). Line 3 (y 200-207): red, the first piece notched (x 90-99, y
 * 200-201 unlabelled, between its centroid and its end). */
static void collinear_candidates_scene(scar__anomaly_maps *m, scar__mask *skin,
                                       scar__labels *lab)
{
    sig_scene_alloc(400, 300, m, skin, lab);
    m->sd[0] = m->sd[1] = m->sd[2] = 1.0f;
    for (uint32_t y = 0; y < 300; y++)
        for (uint32_t x = 0; x < 400; x++) {
            int32_t l = 0;
            int first = x >= 20 && x < 120, second = x >= 135 && x < 235;
            if (y >= 40 && y < 48)
                l = first ? 1 : second ? 2 : 0;
            else if (y >= 48 && y < 56 && x >= 124 && x < 131)
                l = 3;
            else if (y >= 120 && y < 128)
                l = first ? 4 : second ? 5 : 0;
            else if (y >= 200 && y < 208 &&
                     !(y < 202 && x >= 90 && x < 100))
                l = first ? 6 : second ? 7 : 0;
            float zl = l == 4 || l == 5 ? -3.0f : 0.0f;
            float za = l && l != 4 && l != 5 ? 3.0f : 0.0f;
            scene_px(m, skin, lab, x, y, l, 1, zl, za, 0.0f, 0.0f);
        }
}

/* Step 7b before step 6 (collinear.c, `candidates`): the red pieces are
 * joined through the gap only (the notch stays open) and the blob the
 * band touches stays apart; the dark pieces are left to step 6. After
 * step 6 the same scene joins all three pairs, the blob with the first,
 * and fills the notch. */
static void test_collinear_candidates(void **state)
{
    (void)state;
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    for (int candidates = 1; candidates >= 0; candidates--) {
        scar__anomaly_maps m = {0};
        scar__mask skin = {0};
        scar__labels lab = {0};
        collinear_candidates_scene(&m, &skin, &lab);
        int32_t count = 7;
        assert_int_equal(scar__join_collinear(&m, &skin, &p, "t", &lab,
                                              &count, candidates),
                         0);
        const int32_t *r1 = scar__labels_row(&lab, 44);
        const int32_t *b1 = scar__labels_row(&lab, 50);
        const int32_t *r2 = scar__labels_row(&lab, 124);
        const int32_t *r3 = scar__labels_row(&lab, 204);
        const int32_t *n3 = scar__labels_row(&lab, 201);
        assert_true(r1[60] > 0 && r1[127] == r1[60] && r1[180] == r1[60]);
        assert_true(r3[60] > 0 && r3[127] == r3[60] && r3[180] == r3[60]);
        if (candidates) {
            assert_int_equal(count, 5);
            assert_true(b1[127] > 0 && b1[127] != r1[60]);
            assert_true(r2[60] != r2[180]);
            assert_int_equal(r2[127], 0);
            assert_int_equal(n3[94], 0);
        } else {
            assert_int_equal(count, 3);
            assert_int_equal(b1[127], r1[60]);
            assert_true(r2[60] > 0 && r2[127] == r2[60] && r2[180] == r2[60]);
            assert_int_equal(n3[94], r3[60]);
        }
        sig_scene_free(&m, &skin, &lab);
    }
}

/* A faint disc among strong lesions with dark soft tails (a scarred
 * cheek): 12 discs of zL -8 (radius 6 px) whose tails, zL -tail out to
 * 8 px beyond them, are no candidates, and a disc of zL -faint (radius
 * 6 px) in the free middle. Returns 1 when the faint disc is kept. */
static int faint_among_tails(double faint, double tail)
{
    const uint32_t w = 400, h = 300;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    uint64_t seed = 777;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int32_t l = 0;
            double z = 0.0;
            /* strong discs in two rows of six, 100 px or more from the
             * faint one at (200, 150) */
            for (int j = 0; j < 12; j++) {
                double cx = 40.0 + 64.0 * (j % 6), cy = j < 6 ? 50.0 : 250.0;
                double d = hypot((double)x - cx, (double)y - cy);
                if (d <= 6.0) {
                    l = 2;
                    z = -8.0;
                } else if (d <= 14.0 && l == 0) {
                    z = -tail;
                }
            }
            if (hypot((double)x - 200.0, (double)y - 150.0) <= 6.0) {
                l = 1;
                z = -faint;
            }
            float px_l = gauss_noise(&seed) + (float)z;
            float px_a = gauss_noise(&seed);
            scene_px(&m, &skin, &lab, x, y, l, 1, px_l, px_a,
                     gauss_noise(&seed), 0.0f);
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 2;
    assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, &count), 0);
    int kept = scar__labels_row(&lab, 150)[200] != 0;
    sig_scene_free(&m, &skin, &lab);
    return kept;
}

/* The second pass of step 6: among strong lesions whose soft tails
 * (5 % of the skin) widen the null, a faint disc of zL -0.5 is kept, as it
 * is on skin without tails (with one pass it is dropped up to zL -1);
 * one of -0.25, below the level on clean skin too, is still dropped. */
static void test_second_pass_null(void **state)
{
    (void)state;
    assert_int_equal(faint_among_tails(0.5, 0.0), 1);
    assert_int_equal(faint_among_tails(0.5, 1.0), 1);
    assert_int_equal(faint_among_tails(0.5, 2.0), 1);
    assert_int_equal(faint_among_tails(0.25, 2.0), 0);
}

/* Block-grid fraction (lib/segment/blockgrid.c), against exact counts: a
 * 32x32 square with corners on the 16-px grid has all 128 boundary edges
 * on both grids; the same square moved by (+1, +1) has none (17 and 49
 * are not multiples of 8) but all within 1 px of the 16-px grid; a disc of radius 20 centred off the grid has at
 * most a few edges there (a natural outline: about 1/16). */
static void test_block_grid_fraction(void **state)
{
    (void)state;
    scar__labels lab = {0};
    assert_int_equal(scar__labels_alloc(200, 120, "t", &lab), 0);
    for (uint32_t y = 0; y < 120; y++)
        for (uint32_t x = 0; x < 200; x++) {
            int32_t l = 0;
            if (x >= 16 && x < 48 && y >= 16 && y < 48)
                l = 1;
            else if (x >= 65 && x < 97 && y >= 17 && y < 49)
                l = 2;
            else if (hypot((double)x - 150.3, (double)y - 60.7) <= 20.0)
                l = 3;
            scar__labels_row(&lab, y)[x] = l;
        }
    double f8[3], f16[3], n16[3];
    assert_int_equal(scar__block_grid_fraction(&lab, 3, 1, "t", f8, f16, n16), 0);
    assert_true(f8[0] == 1.0 && f16[0] == 1.0 && n16[0] == 1.0);
    assert_true(f8[1] == 0.0 && f16[1] == 0.0 && n16[1] == 1.0);
    assert_true(f8[2] < 0.25 && f16[2] < 0.15 && n16[2] < 0.4);
    scar__plane_free(lab.data);
}

/* Region significance drops a JPEG-block artefact: on white N(0,1)
 * residuals, a disc and a block-aligned 48x48 square both shifted by +1 in
 * za (each ~35 standard errors: significant as colour) — the disc is kept,
 * the square, whose whole outline lies on the 16-px grid, is dropped. Two
 * 52x52 squares with their left and top sides on the 16-px grid (half of
 * the outline: at or above the chroma-grid level, below the luma one):
 * the one shifted in za only is dropped, the one shifted by +1 in zL as
 * well is kept (JPEG codes luma in 8x8 blocks at full resolution: a luma
 * difference is no chroma-block artefact). An 8x8 square on the 8-px grid
 * at zL -20, score 20 (a pit: no JPEG block is that dark) is kept. */
static void test_block_artefact_dropped(void **state)
{
    (void)state;
    const uint32_t w = 400, h = 300;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(w, h, &m, &skin, &lab);
    uint64_t seed = 777;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            double d1 = hypot((double)x - 100.0, (double)y - 150.0);
            int in_sq = y >= 48 && y < 96, in_half = y >= 176 && y < 228;
            int pit = x >= 336 && x < 344 && y >= 48 && y < 56;
            int32_t l = d1 <= 27.0 ? 1
                        : (in_half && x >= 160 && x < 212) ? 2
                        : (in_sq && x >= 256 && x < 304) ? 3
                        : (in_half && x >= 256 && x < 308) ? 4
                        : pit ? 5 : 0;
            float px_l = gauss_noise(&seed) + (l == 2 ? 1.0f : 0.0f);
            float px_a = gauss_noise(&seed) + (l && l != 5 ? 1.0f : 0.0f);
            float px_b = gauss_noise(&seed);
            scene_px(&m, &skin, &lab, x, y, l, 1, pit ? -20.0f : px_l, px_a,
                     px_b, pit ? 20.0f : 0.0f);
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, NULL};
    int32_t count = 5;
    assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, &count), 0);
    assert_int_equal(count, 3);
    assert_int_equal(scar__labels_row(&lab, 150)[100], 1);
    assert_int_equal(scar__labels_row(&lab, 200)[184], 2);
    assert_int_equal(scar__labels_row(&lab, 70)[280], 0);
    assert_int_equal(scar__labels_row(&lab, 200)[280], 0);
    assert_int_equal(scar__labels_row(&lab, 52)[340], 3);
    sig_scene_free(&m, &skin, &lab);
}

/* Glare beside a region (significance.c, skinedge.c): a spot of radius
 * 20 px left out of the skin as glare, a darker disc (zL -3) on its right
 * and a lighter one (zL +3) on its left, each with about a third of its
 * outline on the spot. Counted as the skin's edge (no glare mask) both
 * are dropped; with the glare mask the darker one is kept (glare adds
 * light: no halo of it is darker than the skin), the lighter one is
 * still dropped (it may be the spot's halo). Returns the label at the
 * darker disc's centre and the count. */
static int32_t beside_glare(int with_glare, int32_t *count)
{
    const uint32_t w = 400, h = 300;
    scar__anomaly_maps m = {0};
    scar__mask skin = {0}, glare = {0};
    scar__labels lab = {0};
    glare_scene_alloc(w, h, &m, &skin, &lab, &glare);
    uint64_t seed = 99;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            int spot = hypot((double)x - 200.0, (double)y - 150.0) <= 20.0;
            int dark = !spot && hypot((double)x - 226.0, (double)y - 150.0) <= 22.0;
            int light = !spot && hypot((double)x - 174.0, (double)y - 150.0) <= 22.0;
            scar__mask_row(&skin, y)[x] = !spot;
            scar__mask_row(&glare, y)[x] = spot;
            scar__labels_row(&lab, y)[x] = dark ? 2 : light ? 1 : 0;
            scar__planef_row(&m.zL, y)[x] =
                spot ? NAN : gauss_noise(&seed) + (dark ? -3.0f : light ? 3.0f : 0.0f);
            scar__planef_row(&m.za, y)[x] = spot ? NAN : gauss_noise(&seed);
            scar__planef_row(&m.zb, y)[x] = spot ? NAN : gauss_noise(&seed);
            scar__planef_row(&m.score, y)[x] = 0.0f;
        }
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              with_glare ? &glare : NULL, NULL, NULL, NULL};
    *count = 2;
    assert_int_equal(scar__region_significance(&m, &skin, &p, "t", &lab, count), 0);
    int32_t at_dark = scar__labels_row(&lab, 150)[236];
    assert_int_equal(scar__labels_row(&lab, 150)[164], 0);
    glare_scene_free(&m, &skin, &lab, &glare);
    return at_dark;
}

static void test_darker_beside_glare_kept(void **state)
{
    (void)state;
    int32_t count;
    assert_int_equal(beside_glare(0, &count), 0);
    assert_int_equal(count, 0);
    assert_int_equal(beside_glare(1, &count), 1);
    assert_int_equal(count, 1);
}

/* Loads tests/data/phantom/NAME.jpg and its truth labels and analyses
 * the photo at ppm with default options. */
static void analyse_committed_phantom(const char *name, double ppm,
                                      scar_image **img, scar_image **truth,
                                      scar_result **res)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/phantom/%s.jpg", SCAR_TEST_DATA, name);
    assert_int_equal(scar_image_load(p, NULL, img), SCAR_OK);
    snprintf(p, sizeof p, "%s/phantom/%s_labels.png", SCAR_TEST_DATA, name);
    assert_int_equal(scar_image_load(p, NULL, truth), SCAR_OK);
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = ppm;
    assert_int_equal(scar_analyze(*img, NULL, &o, res), SCAR_OK);
}

static void test_phantom(void **state)
{
    (void)state;
    scar_image *img = NULL, *truth = NULL;
    scar_result *res = NULL;
    analyse_committed_phantom("ph_easy", PHANTOM_EASY_PPM, &img, &truth, &res);
    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    uint64_t inter = 0, a = 0, b = 0;
    uint32_t ntruth = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint16_t *t = scar_image_row(truth, y);
        for (uint32_t x = 0; x < w; x++) {
            int tt = t[x] != 0, pp = lab[y * w + x] != 0;
            if (t[x] > ntruth)
                ntruth = t[x];
            inter += tt && pp;
            a += tt;
            b += pp;
        }
    }
    double dice = 2.0 * inter / (double)(a + b);
    print_message("phantom: dice %.3f, %u regions for %u lesions\n", dice,
                  scar_result_region_count(res), ntruth);
    assert_true(dice >= PHANTOM_EASY_MIN_DICE);
    assert_true(scar_result_region_count(res) >= ntruth);
    assert_true(scar_result_region_count(res) <= ntruth + PHANTOM_EASY_MAX_EXTRA);
    scar_result_free(res);
    scar_image_free(truth);
    scar_image_free(img);
}

/* A crowded acne-scar phantom (tests/data/phantom/ph_cluster, 25 lesions
 * a few mm apart at 10 px/mm): lesions matched at IoU >= 0.25 (each truth
 * lesion against its best-overlapping region). 19 are found; 12 were
 * before the saddle split (saddle.c), whose candidates held several
 * lesions and were cut at the strongest one's half contrast. */
#define PHANTOM_CLUSTER_MIN_MATCHED 16
static void test_phantom_cluster(void **state)
{
    (void)state;
    scar_image *img = NULL, *truth = NULL;
    scar_result *res = NULL;
    analyse_committed_phantom("ph_cluster", 10.0, &img, &truth, &res);
    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    uint32_t np = scar_result_region_count(res);
    enum { MAXT = 64 };
    /* overlap counts truth t x region r, and the areas */
    static uint32_t inter[MAXT + 1][MAXT + 1];
    uint32_t at[MAXT + 1] = {0}, ar[MAXT + 1] = {0};
    memset(inter, 0, sizeof inter);
    assert_true(np <= MAXT);
    uint32_t ntruth = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint16_t *t = scar_image_row(truth, y);
        for (uint32_t x = 0; x < w; x++) {
            uint32_t tt = t[x], rr = (uint32_t)lab[y * w + x];
            assert_true(tt <= MAXT);
            if (tt > ntruth)
                ntruth = tt;
            at[tt]++;
            ar[rr]++;
            inter[tt][rr]++;
        }
    }
    uint32_t matched = 0;
    for (uint32_t t = 1; t <= ntruth; t++) {
        double best = 0;
        for (uint32_t r = 1; r <= np; r++) {
            double iou = (double)inter[t][r] / (double)(at[t] + ar[r] - inter[t][r]);
            if (iou > best)
                best = iou;
        }
        matched += best >= 0.25;
    }
    print_message("cluster phantom: %u of %u lesions matched, %u regions\n",
                  matched, ntruth, np);
    assert_int_equal(ntruth, 25);
    assert_true(matched >= PHANTOM_CLUSTER_MIN_MATCHED);
    scar_result_free(res);
    scar_image_free(truth);
    scar_image_free(img);
}

/* The observer of the segmentation (scar__segment_trace, for
 * bench/segment_trace): on calm skin (z noise of sd 0.1) with a red disc
 * (za +10, score 10) and a disc of score 10 without any colour or
 * shading, every step is shown in order with its label count, the last
 * map shown is the result, step 6 judges the two candidates (the red one
 * kept, the colourless one dropped on its statistic, evidence under 1),
 * and a traced run gives the labels of an untraced one. */
#define TRACE_W 240
#define TRACE_H 160
#define TRACE_STEPS 10
static void trace_scene(scar__anomaly_maps *m, scar__mask *skin)
{
    uint64_t seed = 5;
    for (uint32_t y = 0; y < TRACE_H; y++)
        for (uint32_t x = 0; x < TRACE_W; x++) {
            double dr = hypot(x - 60.0, y - 80.0), dc = hypot(x - 180.0, y - 80.0);
            int red = dr < 15.0, plain = dc < 15.0;
            scar__planef_row(&m->zL, y)[x] = 0.1f * gauss_noise(&seed);
            scar__planef_row(&m->za, y)[x] =
                0.1f * gauss_noise(&seed) + (red ? 10.0f : 0.0f);
            scar__planef_row(&m->zb, y)[x] = 0.1f * gauss_noise(&seed);
            scar__planef_row(&m->score, y)[x] = red || plain ? 10.0f : 0.0f;
            scar__mask_row(skin, y)[x] = 1;
        }
    m->sd[0] = m->sd[1] = m->sd[2] = 1.0f;
    memset(&m->light, 0, sizeof m->light);
}

typedef struct trace_log {
    int steps;
    char names[TRACE_STEPS][24];
    int32_t counts[TRACE_STEPS];
    int32_t last[TRACE_W * TRACE_H];
    int verdicts;
    int32_t vlabel[8], vnew[8];
    scar__sig_verdict v[8];
    double evidence[8];
} trace_log;

static void log_step(void *user, const char *name, const scar__labels *l,
                     int32_t count)
{
    trace_log *t = user;
    assert_true(t->steps < TRACE_STEPS);
    snprintf(t->names[t->steps], sizeof t->names[0], "%s", name);
    t->counts[t->steps] = count;
    int32_t maxl = 0;
    for (uint32_t y = 0; y < l->height; y++) {
        const int32_t *r = scar__labels_row(l, y);
        memcpy(t->last + (size_t)y * TRACE_W, r, TRACE_W * sizeof *r);
        for (uint32_t x = 0; x < l->width; x++)
            maxl = r[x] > maxl ? r[x] : maxl;
    }
    assert_int_equal(maxl, count); /* labels 1..count */
    t->steps++;
}

static void log_verdict(void *user, int32_t label, scar__sig_verdict v,
                        double evidence, int32_t new_label)
{
    trace_log *t = user;
    assert_true(t->verdicts < 8);
    t->vlabel[t->verdicts] = label;
    t->v[t->verdicts] = v;
    t->evidence[t->verdicts] = evidence;
    t->vnew[t->verdicts] = new_label;
    t->verdicts++;
}

static void test_segment_trace(void **state)
{
    (void)state;
    static const char *const order[TRACE_STEPS] = {
        "candidates", "strong_cores", "saddles", "refine",
        "collinear_pieces", "significance", "merge", "collinear", "walls",
        "outlines"};
    scar__anomaly_maps m = {0};
    scar__mask skin = {0};
    scar__labels lab = {0};
    sig_scene_alloc(TRACE_W, TRACE_H, &m, &skin, &lab);
    trace_log *t = calloc(1, sizeof *t);
    assert_non_null(t);
    scar__segment_trace tr = {log_step, log_verdict, t};
    scar__segment_params p = {PPM, 5.0, 3.0, 0.25, 8.0, 0, 1,
                              NULL, NULL, NULL, &tr};
    int32_t count = 0;
    trace_scene(&m, &skin);
    assert_int_equal(scar__segment_regions(&m, &skin, &p, "t", &lab, &count), 0);
    assert_int_equal(t->steps, TRACE_STEPS);
    for (int k = 0; k < TRACE_STEPS; k++)
        assert_string_equal(t->names[k], order[k]);
    assert_int_equal(t->counts[0], 2);
    assert_int_equal(t->counts[TRACE_STEPS - 1], count);
    assert_int_equal(count, 1);
    for (uint32_t y = 0; y < TRACE_H; y++)
        assert_memory_equal(t->last + (size_t)y * TRACE_W,
                            scar__labels_row(&lab, y), TRACE_W * sizeof(int32_t));
    /* step 6 judged the candidates it was given, in label order */
    assert_int_equal(t->verdicts, t->counts[4]);
    int red = 0, plain = 0;
    for (int i = 0; i < t->verdicts; i++) {
        assert_int_equal(t->vlabel[i], i + 1);
        assert_int_equal(t->vnew[i] != 0, t->v[i] == SCAR__SIG_KEPT);
        if (t->v[i] == SCAR__SIG_KEPT) {
            red++;
            assert_true(t->evidence[i] >= 1.0);
        } else {
            plain++;
            assert_int_equal(t->v[i], SCAR__SIG_STATISTIC);
            assert_true(t->evidence[i] < 1.0);
        }
    }
    assert_int_equal(red, 1);
    assert_int_equal(plain, 1);
    /* the red disc is what is left, at (60, 80) */
    assert_int_equal(scar__labels_row(&lab, 80)[60], 1);
    assert_int_equal(scar__labels_row(&lab, 80)[180], 0);
    /* without the observer: the same labels */
    scar__labels lab2 = {0};
    assert_int_equal(scar__labels_alloc(TRACE_W, TRACE_H, "t", &lab2), 0);
    trace_scene(&m, &skin);
    p.trace = NULL;
    int32_t count2 = 0;
    assert_int_equal(scar__segment_regions(&m, &skin, &p, "t", &lab2, &count2), 0);
    assert_int_equal(count2, count);
    for (uint32_t y = 0; y < TRACE_H; y++)
        assert_memory_equal(scar__labels_row(&lab2, y),
                            scar__labels_row(&lab, y), TRACE_W * sizeof(int32_t));
    scar__plane_free(lab2.data);
    free(t);
    sig_scene_free(&m, &skin, &lab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discs_found_with_dice),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_raised_scar_plateau),
        cmocka_unit_test(test_pit_shadow_symmetric),
        cmocka_unit_test(test_fragments_merged),
        cmocka_unit_test(test_pits_not_merged),
        cmocka_unit_test(test_relief_lit_wall),
        cmocka_unit_test(test_small_pit_kept),
        cmocka_unit_test(test_pit_unblurred),
        cmocka_unit_test(test_growth_stops_at_glare_halo),
        cmocka_unit_test(test_ring_placement),
        cmocka_unit_test(test_roi_honoured),
        cmocka_unit_test(test_single_lesion),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_phantom),
        cmocka_unit_test(test_phantom_cluster),
        cmocka_unit_test(test_region_significance),
        cmocka_unit_test(test_ragged_needs_more_evidence),
        cmocka_unit_test(test_blanching_dropped),
        cmocka_unit_test(test_plateau_ratio),
        cmocka_unit_test(test_peaked_pale_dropped),
        cmocka_unit_test(test_joint_colour_relief),
        cmocka_unit_test(test_detection_limits),
        cmocka_unit_test(test_light_sign_from_pores),
        cmocka_unit_test(test_light_side_from_healthy_skin),
        cmocka_unit_test(test_light_sign_from_photo),
        cmocka_unit_test(test_light_side_from_photo_wired),
        cmocka_unit_test(test_darker_beside_glare_kept),
        cmocka_unit_test(test_raised_scar_chroma_outline),
        cmocka_unit_test(test_raised_scar_side_unknown),
        cmocka_unit_test(test_raised_scar_plain_filled),
        cmocka_unit_test(test_boxcar_mirrored_wall),
        cmocka_unit_test(test_crescent_completed),
        cmocka_unit_test(test_shaded_wall_moved),
        cmocka_unit_test(test_notch_closed),
        cmocka_unit_test(test_pale_boxcar),
        cmocka_unit_test(test_split_strong_core),
        cmocka_unit_test(test_split_core_extent),
        cmocka_unit_test(test_split_dark_in_light),
        cmocka_unit_test(test_saddle_split),
        cmocka_unit_test(test_excluded_halo_dropped),
        cmocka_unit_test(test_lit_lesion_beside_glare),
        cmocka_unit_test(test_significance_heavy_tail),
        cmocka_unit_test(test_local_contrast_needed),
        cmocka_unit_test(test_whitened_colour),
        cmocka_unit_test(test_block_grid_fraction),
        cmocka_unit_test(test_skin_edge_fraction),
        cmocka_unit_test(test_skin_edge_region_dropped),
        cmocka_unit_test(test_border_region_dropped),
        cmocka_unit_test(test_second_pass_null),
        cmocka_unit_test(test_thin_line_dropped),
        cmocka_unit_test(test_collinear_pieces_joined),
        cmocka_unit_test(test_collinear_faint_gap),
        cmocka_unit_test(test_collinear_candidates),
        cmocka_unit_test(test_dark_line_dropped),
        cmocka_unit_test(test_band_not_mirrored),
        cmocka_unit_test(test_outline_closed),
        cmocka_unit_test(test_touching_regions),
        cmocka_unit_test(test_pit_apart_from_faint),
        cmocka_unit_test(test_block_artefact_dropped),
        cmocka_unit_test(test_segment_trace),
        cmocka_unit_test(test_pit_blobs),
        cmocka_unit_test(test_split_blob_pit),
    };
    return cmocka_run_group_tests_name("segment", tests, NULL, NULL);
}
