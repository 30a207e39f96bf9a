/* test_skin.c — lib/skin: skin-colour rule, largest component, holes,
 * glare exclusion and ROI, on synthetic images whose geometry is the truth
 * (tests/synth_skin.h). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scarscore.h"
#include "skin/skin.h"
#include "synth_skin.h"

#define W 200
#define H 150

static const double base_lab[3] = {60.0, 12.0, 18.0};

static void lab_of(const scar_image *img, scar__lab_planes *lab)
{
    assert_int_equal(scar__planef_alloc(W, H, "t", &lab->L), SCAR_OK);
    assert_int_equal(scar__planef_alloc(W, H, "t", &lab->a), SCAR_OK);
    assert_int_equal(scar__planef_alloc(W, H, "t", &lab->b), SCAR_OK);
    assert_int_equal(scar_image_to_lab(img, NULL, 0, lab->L.data, lab->a.data,
                                       lab->b.data, W),
                     SCAR_OK);
}

static void lab_free(scar__lab_planes *lab)
{
    scar__plane_free(lab->L.data);
    scar__plane_free(lab->a.data);
    scar__plane_free(lab->b.data);
}

/* The skin step's exclusions (glare, shadow, hair) on an all-skin mask of
 * img at 10 px/mm; lab and m are the caller's to free. */
static void excluded_at_10(const scar_image *img, scar__lab_planes *lab,
                           scar__mask *m)
{
    lab_of(img, lab);
    assert_int_equal(scar__mask_alloc(W, H, "t", m), SCAR_OK);
    memset(m->data, 1, W * H);
    assert_int_equal(scar__skin_exclude(lab, 10.0, NULL, "t", m, NULL),
                     SCAR_OK);
}

/* Blue background on the left is not skin; a dark-blue "mole" inside the
 * skin (not skin-coloured) is kept by hole filling. */
static void test_candidates(void **state)
{
    (void)state;
    synth_disc mole = {140.0, 75.0, 12.0, {-35.0, -12.0, -50.0}};
    scar_image *img = synth_skin(W, H, base_lab, &mole, 1, 50, 1.0);
    scar__lab_planes lab;
    lab_of(img, &lab);
    scar__mask m = {0};
    assert_int_equal(scar__mask_alloc(W, H, "t", &m), SCAR_OK);
    assert_int_equal(scar__skin_candidates(&lab, "t", &m), SCAR_OK);
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++)
            assert_int_equal(m.data[y * W + x], x >= 50);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

/* Paints columns [x0, x1) x rows [y0, y1) of an 8-bit RGB image. */
static void paint(scar_image *img, uint32_t x0, uint32_t x1, uint32_t y0,
                  uint32_t y1, const uint8_t rgb[3])
{
    for (uint32_t y = y0; y < y1; y++) {
        uint8_t *r = scar_image_row(img, y);
        for (uint32_t x = x0; x < x1; x++)
            memcpy(r + 3 * x, rgb, 3);
    }
}

/* A frame the colour of skin (a lighter 2-px one on the right, a darker
 * 3-px one on top, as exported web photos carry) is not skin; a darker
 * line along 40 % of the left side (a hair, a crease) is no frame, and a
 * photo without a frame loses no line. */
static void test_frame_not_skin(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, NULL, 0, 0, 1.0);
    scar__lab_planes lab;
    uint32_t fw[4];
    lab_of(img, &lab);
    assert_int_equal(scar__frame_widths(&lab, "t", fw), SCAR_OK);
    for (int s = 0; s < 4; s++)
        assert_int_equal(fw[s], 0);
    lab_free(&lab);

    static const uint8_t light[3] = {215, 170, 150}, dark[3] = {95, 60, 45};
    paint(img, W - 2, W, 0, H, light);
    paint(img, 0, W, 0, 3, dark);
    paint(img, 0, 1, 40, 100, dark);
    lab_of(img, &lab);
    assert_int_equal(scar__frame_widths(&lab, "t", fw), SCAR_OK);
    assert_int_equal(fw[0], 3); /* top */
    assert_int_equal(fw[1], 0);
    assert_int_equal(fw[2], 0); /* the partial line is no frame */
    assert_int_equal(fw[3], 2); /* right */
    scar__mask m = {0};
    assert_int_equal(scar__mask_alloc(W, H, "t", &m), SCAR_OK);
    assert_int_equal(scar__skin_candidates(&lab, "t", &m), SCAR_OK);
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++)
            assert_int_equal(m.data[y * W + x], y >= 3 && x < W - 2);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

/* A bright, grey specular spot is excluded; the skin around it is not. */
static void test_glare_excluded(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, NULL, 0, 0, 1.0);
    for (uint32_t y = 70; y < 80; y++) {
        uint8_t *r = scar_image_row(img, y);
        for (uint32_t x = 100; x < 110; x++)
            r[3 * x] = r[3 * x + 1] = r[3 * x + 2] = 250;
    }
    scar__lab_planes lab;
    lab_of(img, &lab);
    scar__mask m = {0};
    assert_int_equal(scar__mask_alloc(W, H, "t", &m), SCAR_OK);
    assert_int_equal(scar__skin_candidates(&lab, "t", &m), SCAR_OK);
    assert_int_equal(scar__skin_exclude(&lab, 10.0, NULL, "t", &m, NULL),
                     SCAR_OK);
    for (uint32_t y = 70; y < 80; y++)
        for (uint32_t x = 100; x < 110; x++)
            assert_int_equal(m.data[y * W + x], 0);
    /* far from the spot everything is skin */
    uint64_t off = 0;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++)
            if (fabs((double)x - 105) > 8 || fabs((double)y - 75) > 8)
                off += !m.data[y * W + x];
    assert_int_equal(off, 0);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

/* Adds inc[c] * f to the linear RGB of pixel x of an 8-bit sRGB row. */
static void add_linear(uint8_t *row, uint32_t x, const double inc[3], double f)
{
    for (int c = 0; c < 3; c++) {
        double v = row[3 * x + c] / 255.0;
        v = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
        v += inc[c] * f;
        v = v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
        row[3 * x + c] = (uint8_t)lround(v < 0 ? 0 : v > 1 ? 255 : v * 255.0);
    }
}

/* The scenes of the two glare tests below, at 10 px/mm: a specular lobe,
 * a grey addition of Gaussian profile (sigma 1 mm) centred at (lx, ly),
 * and hypopigmented patches (radius 1.5 mm, flat top, edge profile
 * exp(-ln2 rho^8)) at (px[i], py[i]) whose increase, `gain` times
 * {0.10, 0.11, 0.12}, is nearly grey (whiteness 0.83) and exactly grey in a
 * 0.4 mm core. */
static void paint_glare_scene(scar_image *img, double lx, double ly,
                              const double *px, const double *py, int n,
                              double gain)
{
    static const double grey[3] = {0.12, 0.12, 0.12};
    static const double pale[3] = {0.10, 0.11, 0.12};
    for (uint32_t y = 0; y < H; y++) {
        uint8_t *r = scar_image_row(img, y);
        for (uint32_t x = 0; x < W; x++) {
            double d = hypot((double)x - lx, (double)y - ly);
            if (d < 40.0)
                add_linear(r, x, grey, 2.0 * exp(-d * d / 200.0));
            for (int i = 0; i < n; i++) {
                d = hypot((double)x - px[i], (double)y - py[i]);
                if (d < 30.0)
                    add_linear(r, x, d <= 4.0 ? grey : pale,
                               gain * exp(-log(2.0) * pow(d / 15.0, 8.0)));
            }
        }
    }
}

/* Pixels of the disc (cx, cy, radius) that the skin step excluded. */
static uint32_t excluded_in_disc(const scar__mask *m, double cx, double cy,
                                 double radius)
{
    uint32_t n = 0;
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++)
            n += hypot((double)x - cx, (double)y - cy) <= radius &&
                 !m->data[y * W + x];
    return n;
}

/* Glare vs a pale patch (glare.c, GLARE_PLATEAU): the lobe is glare; the
 * patch's core seeds the glare test and the fringe test takes the whole
 * patch, but its bright part is a plateau and mostly not white, so it
 * stays skin. */
static void test_pale_patch_not_glare(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, NULL, 0, 0, 0.5);
    const double px = 140.0, py = 75.0;
    paint_glare_scene(img, 50.0, 75.0, &px, &py, 1, 1.0);
    scar__lab_planes lab;
    scar__mask m = {0};
    excluded_at_10(img, &lab, &m);
    assert_int_equal(m.data[75 * W + 50], 0);   /* the lobe's centre */
    assert_int_equal(excluded_in_disc(&m, px, py, 12.0), 0);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

/* The pale patch of test_pale_patch_not_glare, fainter (0.7 of its
 * increase) and on skin with 2.5 L* of pixel noise (glare.c, GLARE_PALE_*):
 * the texture raises the fringe threshold above the patch's 1/4 level,
 * where the plateau test cannot see it (without the rule 441 of its
 * pixels are excluded), yet the patch stands at more than twice the
 * threshold and is hardly white, so it stays skin. The same patch at the
 * photo's top edge stays glare (a bright out-of-focus edge looks the
 * same), and so does the specular lobe on the left. */
static void test_pale_patch_on_texture(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, NULL, 0, 0, 2.5);
    const double px[2] = {120.0, 120.0}, py[2] = {90.0, 12.0};
    paint_glare_scene(img, 40.0, 75.0, px, py, 2, 0.7);
    scar__lab_planes lab;
    scar__mask m = {0};
    excluded_at_10(img, &lab, &m);
    assert_true(excluded_in_disc(&m, 40.0, 75.0, 5.0) >= 70); /* the lobe */
    assert_int_equal(excluded_in_disc(&m, 120.0, 90.0, 12.0), 0);
    /* the patch cut by the top edge (its pixels inside the photo) */
    assert_true(excluded_in_disc(&m, 120.0, 12.0, 12.0) >= 300);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

/* A thin dark line (hair) is excluded; a dark blob of the same darkness
 * (a pit or pore) is kept. */
static void test_hair_not_blob(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, NULL, 0, 0, 0.5);
    for (uint32_t x = 20; x < 180; x++) {
        uint8_t *r = scar_image_row(img, 40);
        r[3 * x] = 90, r[3 * x + 1] = 60, r[3 * x + 2] = 50;
    }
    for (uint32_t y = 95; y < 111; y++) { /* a 1.5 mm pit at 10 px/mm */
        uint8_t *r = scar_image_row(img, y);
        for (uint32_t x = 95; x < 111; x++)
            if ((x - 103.0) * (x - 103.0) + (y - 103.0) * (y - 103.0) <= 56.0)
                r[3 * x] = 90, r[3 * x + 1] = 60, r[3 * x + 2] = 50;
    }
    scar__lab_planes lab;
    scar__mask m = {0};
    excluded_at_10(img, &lab, &m);
    for (uint32_t x = 30; x < 170; x++)
        assert_int_equal(m.data[40 * W + x], 0);
    for (uint32_t y = 95; y < 111; y++)
        for (uint32_t x = 95; x < 111; x++)
            assert_int_equal(m.data[y * W + x], 1);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

/* The shaded wall of a scar is a dark line with skin on one side and the
 * darker floor on the other: an edge, not a hair, so it stays in the mask
 * (docs/skin.md, "Hair"). A hair as dark, on plain skin, is excluded, and
 * so is the border of a dark mass. */
static void test_scar_wall_not_hair(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, NULL, 0, 0, 0.5);
    const double wall[3] = {38.0, 12.0, 18.0}, floor_[3] = {48.0, 12.0, 18.0};
    for (uint32_t y = 40; y < 58; y++) {
        uint8_t *r = scar_image_row(img, y);
        for (uint32_t x = 40; x < 160; x++)
            synth_put_lab(r, x, y < 43 ? wall : floor_);
    }
    uint8_t *r = scar_image_row(img, 110);
    for (uint32_t x = 20; x < 180; x++)
        synth_put_lab(r, x, wall);
    /* a dark mass (an eyebrow): its border is a line whose dark side keeps
     * falling, and stays hair */
    const double mass[3] = {25.0, 8.0, 12.0};
    for (uint32_t y = 125; y < 145; y++)
        for (uint32_t x = 40; x < 160; x++)
            synth_put_lab(scar_image_row(img, y), x, mass);
    scar__lab_planes lab;
    scar__mask m = {0};
    excluded_at_10(img, &lab, &m);
    for (uint32_t y = 38; y < 60; y++)
        for (uint32_t x = 38; x < 162; x++)
            assert_int_equal(m.data[y * W + x], 1);
    for (uint32_t x = 30; x < 170; x++)
        assert_int_equal(m.data[110 * W + x], 0);
    uint32_t border = 0;
    for (uint32_t x = 50; x < 150; x++)
        border += !m.data[125 * W + x];
    assert_true(border >= 90);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

/* A dark line `len` px long at row y from column x0 (1 px wide) whose
 * floor (paler than the line, darker than the skin; 6 rows) lies on one
 * side of it under its first `floor_px` columns only: a boxcar's shaded
 * wall as the analysis grid shows it. */
static void short_wall(scar_image *img, uint32_t y, uint32_t x0,
                       uint32_t len, uint32_t floor_px)
{
    const double wall[3] = {38.0, 12.0, 18.0}, floor_[3] = {52.0, 12.0, 18.0};
    for (uint32_t x = x0; x < x0 + len; x++)
        synth_put_lab(scar_image_row(img, y), x, wall);
    for (uint32_t yy = y + 1; yy < y + 7; yy++)
        for (uint32_t x = x0; x < x0 + floor_px; x++)
            synth_put_lab(scar_image_row(img, yy), x, floor_);
}

/* A short line with its floor beside it in places, and no other hair near
 * it, is a boxcar's wall and stays skin; the same line with skin on both
 * sides (stubble), beside another hair, or 3 mm long stays hair
 * (docs/skin.md, "Hair"). At 10 px/mm. */
static void test_lone_short_wall_not_hair(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, NULL, 0, 0, 0.5);
    const double dark[3] = {38.0, 12.0, 18.0};
    short_wall(img, 30, 40, 20, 7);          /* the lone wall */
    for (uint32_t x = 40; x < 60; x++)       /* stubble: no floor */
        synth_put_lab(scar_image_row(img, 75), x, dark);
    short_wall(img, 110, 40, 20, 7);         /* a wall ... */
    for (uint32_t x = 30; x < 90; x++)       /* ... beside a hair */
        synth_put_lab(scar_image_row(img, 104), x, dark);
    short_wall(img, 30, 120, 30, 10);        /* 3 mm long */
    scar__lab_planes lab;
    scar__mask m = {0};
    excluded_at_10(img, &lab, &m);
    uint32_t lone = 0, stubble = 0, beside = 0, longer = 0;
    for (uint32_t x = 42; x < 58; x++) {
        lone += m.data[30 * W + x];
        stubble += !m.data[75 * W + x];
        beside += !m.data[110 * W + x];
    }
    for (uint32_t x = 122; x < 148; x++)
        longer += !m.data[30 * W + x];
    assert_int_equal(lone, 16);
    assert_int_equal(stubble, 16);
    assert_int_equal(beside, 16);
    assert_int_equal(longer, 26);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

/* Deep shadow: a 5 x 5 mm black patch (a cast shadow, a nostril) leaves
 * the mask; a black pit 1.5 mm across (an icepick scar's core) is the
 * lesion itself and stays (docs/skin.md, "Deep shadow"). */
static void test_shadow_not_pit(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, NULL, 0, 0, 0.5);
    for (uint32_t y = 50; y < 100; y++) {
        uint8_t *r = scar_image_row(img, y);
        for (uint32_t x = 20; x < 70; x++)
            r[3 * x] = 12, r[3 * x + 1] = 9, r[3 * x + 2] = 8;
    }
    for (uint32_t y = 65; y < 86; y++) { /* 1.5 mm at 10 px/mm */
        uint8_t *r = scar_image_row(img, y);
        for (uint32_t x = 140; x < 161; x++)
            if ((x - 150.0) * (x - 150.0) + (y - 75.0) * (y - 75.0) <= 56.0)
                r[3 * x] = 12, r[3 * x + 1] = 9, r[3 * x + 2] = 8;
    }
    scar__lab_planes lab;
    scar__mask m = {0};
    excluded_at_10(img, &lab, &m);
    assert_true(lab.L.data[75 * W + 150] < 20.0f); /* as dark as a shadow */
    for (uint32_t y = 52; y < 98; y++)
        for (uint32_t x = 22; x < 68; x++)
            assert_int_equal(m.data[y * W + x], 0);
    for (uint32_t y = 65; y < 86; y++)
        for (uint32_t x = 140; x < 161; x++)
            assert_int_equal(m.data[y * W + x], 1);
    scar__plane_free(m.data);
    lab_free(&lab);
    scar_image_free(img);
}

static void test_roi(void **state)
{
    (void)state;
    scar_image *roi = NULL;
    assert_int_equal(scar_image_new(W, H, 2, 16, &roi), SCAR_OK);
    for (uint32_t y = 0; y < H; y++) {
        uint16_t *r = scar_image_row(roi, y);
        for (uint32_t x = 0; x < W; x++) {
            r[2 * x] = (x + y) % 3 == 0 ? 1 : 0; /* first channel decides */
            r[2 * x + 1] = 65535;
        }
    }
    scar__mask m = {0};
    assert_int_equal(scar__mask_alloc(W, H, "t", &m), SCAR_OK);
    assert_int_equal(scar__skin_from_roi(roi, W, H, "t", &m), SCAR_OK);
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++)
            assert_int_equal(m.data[y * W + x], (x + y) % 3 == 0);
    assert_int_equal(scar__skin_from_roi(roi, W + 1, H, "t", &m), SCAR_E_INVALID);
    scar__plane_free(m.data);
    scar_image_free(roi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_frame_not_skin),
        cmocka_unit_test(test_glare_excluded),
        cmocka_unit_test(test_pale_patch_not_glare),
        cmocka_unit_test(test_pale_patch_on_texture),
        cmocka_unit_test(test_hair_not_blob),
        cmocka_unit_test(test_scar_wall_not_hair),
        cmocka_unit_test(test_lone_short_wall_not_hair),
        cmocka_unit_test(test_shadow_not_pit),
        cmocka_unit_test(test_roi),
    };
    return cmocka_run_group_tests_name("skin", tests, NULL, NULL);
}
