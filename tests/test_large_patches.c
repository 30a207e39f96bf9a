/* test_large_patches.c — lib/skin/large_patches.c and the analysis of
 * patches too large for the local skin model, on synthetic photos whose
 * geometry is the truth: skin with mottling, noise and a light gradient,
 * 120 x 90 mm at 5 px/mm, with a 30 mm pale (vitiligo-like) patch, a
 * patch under the size limit, or a change of light of the same size. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scarscore.h"
#include "skin/large_patches.h"

#define W 600
#define H 450
#define PPM 5.0
#define CX 330.0
#define CY 215.0

typedef enum scene_kind { PALE_PATCH, SMALL_PATCH, LIGHT_BUMP } scene_kind;

/* Patch weight at distance d (px) from the centre: a logistic edge of
 * scale `edge` px at radius r px (1/2 at the edge). */
static double weight(double d, double r, double edge)
{
    return 1.0 / (1.0 + exp((d - r) / edge));
}

/* The Lab of skin at (x, y): base colour, mottling (a few incommensurate
 * waves of 4-12 mm), per-pixel noise, under light that falls by 20 %
 * from left to right, and the scene's patch or light bump. */
static void scene_lab(scene_kind k, uint32_t x, uint32_t y, uint64_t *s,
                      double lab[3])
{
    double mott = sin(x * 0.071 + 0.4 * sin(y * 0.05)) +
                  0.7 * sin(y * 0.093 + 0.3 * sin(x * 0.041)) +
                  0.5 * sin((x + y) * 0.127);
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    double noise = (double)(*s >> 11) / 4503599627370496.0 - 1.0;
    lab[0] = 58.0 + 1.2 * mott + 0.8 * noise;
    lab[1] = 14.0 + 0.4 * mott;
    lab[2] = 20.0 + 0.8 * mott;
    double d = hypot(x - CX, y - CY);
    if (k == PALE_PATCH || k == SMALL_PATCH) {
        /* melanin lost: lighter and less yellow */
        double wgt = weight(d, k == PALE_PATCH ? 75.0 : 30.0, 2.0);
        lab[0] += 14.0 * wgt;
        lab[1] -= 3.0 * wgt;
        lab[2] -= 7.0 * wgt;
    }
    /* light: a gain on linear RGB scales L* + 16, a*, b* by its cube
     * root (docs/segment.md, "Large patches") */
    double gain = 1.0 - 0.2 * x / W;
    if (k == LIGHT_BUMP)
        gain *= 1.0 + 0.6 * weight(d, 75.0, 10.0);
    double g3 = cbrt(gain);
    lab[0] = (lab[0] + 16.0) * g3 - 16.0;
    lab[1] *= g3;
    lab[2] *= g3;
}

static scar_image *scene(scene_kind k)
{
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(W, H, 3, 8, &img), SCAR_OK);
    uint64_t s = 2024;
    for (uint32_t y = 0; y < H; y++) {
        uint8_t *row = scar_image_row(img, y);
        for (uint32_t x = 0; x < W; x++) {
            double lab[3], rgb[3];
            scene_lab(k, x, y, &s, lab);
            scar_lab_to_srgb(lab, rgb);
            for (int c = 0; c < 3; c++) {
                double v = rgb[c] < 0 ? 0 : rgb[c] > 1 ? 1 : rgb[c];
                row[3 * x + c] = (uint8_t)lround(v * 255.0);
            }
        }
    }
    return img;
}

/* scar__large_patches_find on the scene's L*a*b*, all of it skin. */
static void find(scene_kind k, scar__large_patches *lp)
{
    scar_image *img = scene(k);
    scar__planef P[3];
    for (int c = 0; c < 3; c++)
        assert_int_equal(scar__planef_alloc(W, H, "t", &P[c]), SCAR_OK);
    assert_int_equal(scar_image_to_lab(img, NULL, 0, P[0].data, P[1].data,
                                       P[2].data, W),
                     SCAR_OK);
    scar__mask skin;
    assert_int_equal(scar__mask_alloc(W, H, "t", &skin), SCAR_OK);
    memset(skin.data, 1, (size_t)W * H);
    const scar__planef *const X[3] = {&P[0], &P[1], &P[2]};
    assert_int_equal(scar__large_patches_find(X, &skin, PPM, 8.0, "t", lp),
                     SCAR_OK);
    for (int c = 0; c < 3; c++)
        scar__plane_free(P[c].data);
    scar__plane_free(skin.data);
    scar_image_free(img);
}

/* A 30 mm pale patch: one patch, its cells cover the disc and little
 * more (one 2 mm cell of margin and the cells its edge crosses: the 15 mm
 * radius grown by about 2-3 mm, (18 / 15)^2 = 1.44). */
static void test_pale_patch_found(void **state)
{
    (void)state;
    scar__large_patches lp;
    find(PALE_PATCH, &lp);
    assert_int_equal(lp.count, 1);
    assert_int_equal(lp.factor, 10); /* 2 mm at 5 px/mm */
    uint32_t f = lp.factor;
    size_t in_disc = 0, disc = 0, cells = 0;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            int c = scar__mask_row(&lp.cells, y / f)[x / f] != 0;
            int d = hypot(x - CX, y - CY) <= 75.0;
            disc += d;
            cells += c;
            in_disc += c && d;
        }
    assert_true(in_disc >= 0.97 * disc);
    assert_true(cells <= 1.5 * disc);
    /* the healthy level under the patch is the skin's, not the patch's:
     * at the centre L* 58 under the light there (gain 0.89: L* 54.1) */
    uint32_t cx = (uint32_t)(CX / f), cy = (uint32_t)(CY / f);
    float L = scar__planef_row(&lp.level[0], cy)[cx];
    assert_true(fabsf(L - 54.1f) < 1.5f);
    scar__large_patches_free(&lp);
}

/* A 12 mm patch (113 mm^2, under pi 8^2 = 201 mm^2) is left to the local
 * model. */
static void test_small_patch_left(void **state)
{
    (void)state;
    scar__large_patches lp;
    find(SMALL_PATCH, &lp);
    assert_int_equal(lp.count, 0);
    scar__large_patches_free(&lp);
}

/* Light 60 % brighter over a 30 mm disc with a soft edge changes L*, a*
 * and b* as light does: not a patch. */
static void test_light_bump_not_a_patch(void **state)
{
    (void)state;
    scar__large_patches lp;
    find(LIGHT_BUMP, &lp);
    assert_int_equal(lp.count, 0);
    scar__large_patches_free(&lp);
}

/* End to end: scar_analyze outlines the 30 mm patch as one region (the
 * local model alone, 8 mm, found nothing there: Jaccard 0). */
static void test_analyze_outlines_pale_patch(void **state)
{
    (void)state;
    scar_image *img = scene(PALE_PATCH);
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = PPM;
    scar_result *res = NULL;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    uint32_t lw, lh;
    const int32_t *lab = scar_result_labels(res, &lw, &lh);
    assert_int_equal(lw, W);
    assert_int_equal(lh, H);
    /* the region that holds the centre */
    int32_t k = lab[(size_t)CY * W + (size_t)CX];
    assert_true(k > 0);
    size_t inter = 0, uni = 0;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++) {
            int p = lab[(size_t)y * W + x] == k;
            int t = hypot(x - CX, y - CY) <= 75.0;
            inter += p && t;
            uni += p || t;
        }
    double j = (double)inter / (double)uni;
    print_message("pale patch: Jaccard %.3f\n", j);
    assert_true(j >= 0.9);
    scar_result_free(res);
    scar_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pale_patch_found),
        cmocka_unit_test(test_small_patch_left),
        cmocka_unit_test(test_light_bump_not_a_patch),
        cmocka_unit_test(test_analyze_outlines_pale_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
