/* test_analysis_scale.c — analysing at a reduced resolution
 * (scar_analyze_options.analysis_px_per_mm): the block-mean shrink against
 * numpy (tests/reference/gen_shrink_ref.py), the choice of the factor, the
 * JPEG block-grid rule on a shrunk grid, and a shrunk analysis against the
 * known discs and against the full-resolution analysis of the same photo:
 * the result is restated on the input's grid (label map of the input's
 * size, area_px = pixels of the label map). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze/analysis_scale.h"
#include "image/shrink.h"
#include "plane.h"
#include "scarscore.h"
#include "segment/segment.h"
#include "synth_skin.h"

/* ------------------------------------------------------------ shrink -- */

static uint32_t ref_pixel(uint32_t depth, uint64_t x, uint64_t y, uint64_t c)
{
    if (depth == 8)
        return (uint32_t)((7 * x * x + 13 * y + 61 * c + x * y) % 256);
    return (uint32_t)((7919 * x * x + 104729 * y + 613 * c + 31 * x * y) %
                      65536);
}

static scar_image *ref_image(uint32_t depth)
{
    scar_image *img = NULL;
    assert_int_equal(scar_image_new(37, 23, 3, depth, &img), SCAR_OK);
    for (uint32_t y = 0; y < 23; y++) {
        uint8_t *row = scar_image_row(img, y);
        for (uint32_t x = 0; x < 37; x++)
            for (uint32_t c = 0; c < 3; c++) {
                uint32_t v = ref_pixel(depth, x, y, c);
                if (depth == 8)
                    row[3 * x + c] = (uint8_t)v;
                else
                    ((uint16_t *)(void *)row)[3 * x + c] = (uint16_t)v;
            }
    }
    return img;
}

static void test_shrink_matches_numpy(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/shrink_ref.txt", SCAR_TEST_DATA);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    /* the mask of the masked cases: (3x + 5y) mod 7 < 3 and x < 29 */
    uint8_t mask[23 * 37];
    for (uint32_t y = 0; y < 23; y++)
        for (uint32_t x = 0; x < 37; x++)
            mask[y * 37 + x] = (3 * x + 5 * y) % 7 < 3 && x < 29;
    unsigned depth, factor, ow, oh, masked;
    int cases = 0;
    while (fscanf(f, "%u %u %u %u %u", &depth, &factor, &ow, &oh, &masked) ==
           5) {
        scar_image *in = ref_image(depth), *out = NULL;
        int st = masked ? scar__image_shrink_masked(in, mask, 37, factor, "t",
                                                    &out)
                        : scar__image_shrink(in, factor, "t", &out);
        assert_int_equal(st, SCAR_OK);
        assert_int_equal(scar_image_width(out), ow);
        assert_int_equal(scar_image_height(out), oh);
        assert_int_equal(scar_image_bit_depth(out), depth);
        for (uint32_t y = 0; y < oh; y++) {
            const uint8_t *row = scar_image_row(out, y);
            for (uint32_t i = 0; i < ow * 3; i++) {
                unsigned want;
                assert_int_equal(fscanf(f, "%u", &want), 1);
                unsigned got = depth == 8
                                   ? row[i]
                                   : ((const uint16_t *)(const void *)row)[i];
                if (got != want)
                    fail_msg("depth %u factor %u masked %u (%u, %u): %u, "
                             "numpy %u", depth, factor, masked, i / 3, y, got,
                             want);
            }
        }
        scar_image_free(in);
        scar_image_free(out);
        cases++;
    }
    fclose(f);
    assert_int_equal(cases, 20);
    /* factor 1 is a copy; 0 is refused */
    scar_image *in = ref_image(8), *out = NULL;
    assert_int_equal(scar__image_shrink(in, 1, "t", &out), SCAR_OK);
    assert_memory_equal(scar_image_row(out, 22), scar_image_row(in, 22), 37 * 3);
    scar_image_free(out);
    assert_int_equal(scar__image_shrink(in, 0, "t", &out), SCAR_E_INVALID);
    assert_null(out);
    scar_image_free(in);
}

/* ------------------------------------------------------------ factor -- */

static void test_shrink_factor(void **state)
{
    (void)state;
    /* largest integer f <= 16 with ppm / f >= analysis resolution */
    assert_int_equal(scar__analysis_shrink(15.0, 7.5, 4000, 3000), 2);
    assert_int_equal(scar__analysis_shrink(14.99, 7.5, 4000, 3000), 1);
    assert_int_equal(scar__analysis_shrink(22.5, 7.5, 4000, 3000), 3);
    assert_int_equal(scar__analysis_shrink(22.49, 7.5, 4000, 3000), 2);
    assert_int_equal(scar__analysis_shrink(30.0, 7.5, 4000, 3000), 4);
    assert_int_equal(scar__analysis_shrink(29.9, 7.5, 4000, 3000), 3);
    assert_int_equal(scar__analysis_shrink(1000.0, 7.5, 40000, 30000), 16);
    assert_int_equal(scar__analysis_shrink(25.0, 0.0, 4000, 3000), 1);
    /* the default: 10 px/mm (also assumed for an unknown scale) is halved,
     * the bench's 15 px/mm divided by 3 */
    assert_int_equal(scar__analysis_shrink(10.0, SCAR_DEFAULT_ANALYSIS_PX_PER_MM,
                                           4000, 3000), 2);
    assert_int_equal(scar__analysis_shrink(9.99, SCAR_DEFAULT_ANALYSIS_PX_PER_MM,
                                           4000, 3000), 1);
    assert_int_equal(scar__analysis_shrink(15.0, SCAR_DEFAULT_ANALYSIS_PX_PER_MM,
                                           4000, 3000), 3);
    /* the shrunk photo keeps >= 32 px a side */
    assert_int_equal(scar__analysis_shrink(100.0, 7.5, 64, 400), 2);
    assert_int_equal(scar__analysis_shrink(100.0, 7.5, 96, 400), 3);
    assert_int_equal(scar__analysis_shrink(100.0, 7.5, 63, 400), 1);
}

/* ---------------------------------------------------------- grid rule -- */

/* A 40 x 40 label map with two squares: region 1 = [a, b)^2 and region
 * 2 = [c, d)^2; the caller frees it. */
static scar__labels two_squares(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    scar__labels lab = {0};
    assert_int_equal(scar__labels_alloc(40, 40, "t", &lab), SCAR_OK);
    for (uint32_t y = 0; y < 40; y++)
        for (uint32_t x = 0; x < 40; x++)
            scar__labels_row(&lab, y)[x] =
                x >= a && x < b && y >= a && y < b ? 1
                : x >= c && x < d && y >= c && y < d ? 2 : 0;
    return lab;
}

/* A 16x16 square on the 16-px grid: with shrink 2 it is an 8x8 square on
 * the analysed grid, all of whose outline lies on the (now 8-px) chroma
 * grid; the 4-px luma grid is tested too; with shrink 4 the luma grid
 * (2 px) is not tested (fraction 0). A square off the grid by one
 * analysed px has no edge on the 8-px grid. */
static void test_grid_on_shrunk_photo(void **state)
{
    (void)state;
    scar__labels lab = two_squares(8, 16, 21, 29);
    double f8[2], f16[2], n16[2];
    assert_int_equal(scar__block_grid_fraction(&lab, 2, 2, "t", f8, f16, n16),
                     SCAR_OK);
    assert_true(f16[0] == 1.0 && f8[0] == 1.0);
    assert_true(f16[1] == 0.0 && f8[1] == 0.0);
    assert_true(n16[0] == 0.0 && n16[1] == 0.0); /* band: full resolution only */
    assert_int_equal(scar__block_grid_fraction(&lab, 2, 4, "t", f8, f16, n16),
                     SCAR_OK);
    assert_true(f8[0] == 0.0 && f16[0] == 1.0); /* 4-px chroma grid */
    /* shrink 5: the chroma grid's chance would be 5/16, not tested */
    assert_int_equal(scar__block_grid_fraction(&lab, 2, 5, "t", f8, f16, n16),
                     SCAR_OK);
    assert_true(f8[0] == 0.0 && f16[0] == 0.0 && f16[1] == 0.0);
    assert_int_equal(scar__block_grid_fraction(&lab, 2, 17, "t", f8, f16, n16),
                     SCAR_E_INVALID);
    assert_int_equal(scar__block_grid_fraction(&lab, 2, 0, "t", f8, f16, n16),
                     SCAR_E_INVALID);
    scar__plane_free(lab.data);
}

/* Shrunk by 3, the input's 16-px chroma lines at 16, 32 fall inside
 * analysed pixels 5 (input 15-17) and 10 (30-32); each takes the colour of
 * the block holding 2 of its 3 input px, so a block outline runs along
 * analysed edges 5 and 11 (input 15 and 33, one px from the lines). A
 * square on those edges is wholly on the grid; one shifted by an analysed
 * pixel (edges 6 and 12: input 18 and 36) has no edge on it. The luma grid
 * (8/3 px, chance 3/8) is not tested. */
static void test_grid_shrunk_by_three(void **state)
{
    (void)state;
    scar__labels lab = two_squares(5, 11, 22, 28);
    double f8[2], f16[2], n16[2];
    assert_int_equal(scar__block_grid_fraction(&lab, 2, 3, "t", f8, f16, n16),
                     SCAR_OK);
    assert_true(f16[0] == 1.0 && f8[0] == 0.0 && n16[0] == 0.0);
    /* region 2: edges 22 and 28 are input 66 and 84; lines 64 and 80 take
     * edges 21 and 27 */
    assert_true(f16[1] == 0.0);
    scar__plane_free(lab.data);
}

/* ---------------------------------------------------------- analysis -- */

#define SW 400
#define SH 320
#define PPM 12.5 /* default analysis resolution 5: shrink 2 (6.25 px/mm) */

static const double base_lab[3] = {60.0, 13.0, 16.0};
static const synth_disc discs[3] = {{110.0, 100.0, 30.0, {-12.0, 3.0, 6.0}},
                                    {290.0, 110.0, 22.0, {9.0, -3.0, -6.0}},
                                    {200.0, 240.0, 40.0, {-4.0, 9.0, 2.0}}};

static scar_result *run(const scar_image *img, const scar_image *roi,
                        double analysis)
{
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    assert_true(o.analysis_px_per_mm == SCAR_DEFAULT_ANALYSIS_PX_PER_MM);
    o.px_per_mm = PPM;
    if (analysis >= 0.0)
        o.analysis_px_per_mm = analysis;
    scar_result *res = NULL;
    assert_int_equal(scar_analyze(img, roi, &o, &res), SCAR_OK);
    return res;
}

static double dice(const int32_t *a, int32_t ka, const int32_t *b, int32_t kb)
{
    double both = 0, na = 0, nb = 0;
    for (size_t i = 0; i < (size_t)SW * SH; i++) {
        na += a[i] == ka;
        nb += b[i] == kb;
        both += a[i] == ka && b[i] == kb;
    }
    return 2.0 * both / (na + nb);
}

/* Region of `labels` at the centre of disc d (0 if none). */
static int32_t region_at(const int32_t *labels, const synth_disc *d)
{
    return labels[(size_t)lround(d->cy) * SW + (size_t)lround(d->cx)];
}

static void test_shrunk_analysis(void **state)
{
    (void)state;
    scar_image *img = synth_skin(SW, SH, base_lab, discs, 3, 0, 1.0);
    scar_result *full = run(img, NULL, 0.0), *small = run(img, NULL, -1.0);

    scar_summary sf, ss;
    sf.struct_size = ss.struct_size = sizeof sf;
    assert_int_equal(scar_result_summary(full, &sf), SCAR_OK);
    assert_int_equal(scar_result_summary(small, &ss), SCAR_OK);
    assert_int_equal(sf.analysis_shrink, 1);
    assert_true(sf.analysis_px_per_mm == PPM);
    assert_int_equal(ss.analysis_shrink, 2);
    assert_true(ss.analysis_px_per_mm == PPM / 2);
    assert_true(ss.px_per_mm == PPM && scar_result_px_per_mm(small) == PPM);
    assert_int_equal(ss.width, SW);
    assert_int_equal(ss.height, SH);

    uint32_t w = 0, h = 0;
    const int32_t *lf = scar_result_labels(full, NULL, NULL);
    const int32_t *ls = scar_result_labels(small, &w, &h);
    const uint8_t *skin = scar_result_skin_mask(small, NULL, NULL);
    assert_int_equal(w, SW);
    assert_int_equal(h, SH);
    uint32_t n = scar_result_region_count(small);
    assert_int_equal(n, 3);
    assert_int_equal(scar_result_region_count(full), 3);

    /* every analysed pixel is a 2x2 block of the label map and mask */
    uint64_t skin_px = 0;
    double *count = calloc(n + 1, sizeof *count);
    for (uint32_t y = 0; y < SH; y++)
        for (uint32_t x = 0; x < SW; x++) {
            size_t i = (size_t)y * SW + x, b = (size_t)(y & ~1u) * SW + (x & ~1u);
            assert_int_equal(ls[i], ls[b]);
            assert_int_equal(skin[i], skin[b]);
            skin_px += skin[i] != 0;
            assert_true(ls[i] >= 0 && (uint32_t)ls[i] <= n);
            count[ls[i]]++;
        }
    assert_true(ss.skin_area_px == skin_px);
    assert_true(fabs(ss.skin_area_mm2 - skin_px / (PPM * PPM)) < 1e-9);

    double area_sum = 0.0;
    for (int d = 0; d < 3; d++) {
        int32_t ks = region_at(ls, &discs[d]), kf = region_at(lf, &discs[d]);
        assert_true(ks > 0 && kf > 0);
        scar_region rs, rf;
        rs.struct_size = rf.struct_size = sizeof rs;
        assert_int_equal(scar_result_region(small, (uint32_t)ks - 1, &rs), SCAR_OK);
        assert_int_equal(scar_result_region(full, (uint32_t)kf - 1, &rf), SCAR_OK);
        /* geometry on the input grid: the label map's own pixels */
        assert_true(rs.area_px == count[ks]);
        assert_true(fabs(rs.area_mm2 - count[ks] / (PPM * PPM)) < 1e-9);
        assert_true(rs.bbox_x1 <= SW && rs.bbox_y1 <= SH);
        assert_true(rs.bbox_x0 <= discs[d].cx && discs[d].cx < rs.bbox_x1);
        /* against the truth: the disc's area and centre */
        double truth = 3.14159265358979 * discs[d].r * discs[d].r;
        if (fabs(rs.area_px / truth - 1.0) > 0.08)
            fail_msg("disc %d: area %.0f px, truth %.0f", d, rs.area_px, truth);
        assert_true(fabs(rs.centroid_x - discs[d].cx) < 1.5);
        assert_true(fabs(rs.centroid_y - discs[d].cy) < 1.5);
        /* against the full-resolution analysis of the same photo */
        double dc = dice(ls, ks, lf, kf);
        if (dc < 0.95)
            fail_msg("disc %d: Dice vs full resolution %.3f", d, dc);
        if (fabs(rs.delta_e00 - rf.delta_e00) > 0.25)
            fail_msg("disc %d: dE00 %.3f shrunk, %.3f full", d, rs.delta_e00,
                     rf.delta_e00);
        assert_int_equal(rs.pigment_class, rf.pigment_class);
        assert_true(rs.ring_area_px > 0 &&
                    fabs(rs.ring_area_px / rf.ring_area_px - 1.0) < 0.1);
        area_sum += rs.area_mm2;
    }
    assert_true(fabs(ss.region_area_mm2 - area_sum) < 1e-9);
    free(count);
    scar_result_free(full);
    scar_result_free(small);
    scar_image_free(img);
}

/* A ROI of the left half: shrunk by block majority, nothing of the right
 * half enters the analysis. */
static void test_shrunk_roi(void **state)
{
    (void)state;
    scar_image *img = synth_skin(SW, SH, base_lab, discs, 3, 0, 1.0);
    scar_image *roi = NULL;
    assert_int_equal(scar_image_new(SW, SH, 1, 8, &roi), SCAR_OK);
    for (uint32_t y = 0; y < SH; y++)
        memset(scar_image_row(roi, y), 255, SW / 2 + 1); /* 201 columns */
    scar_result *res = run(img, roi, -1.0);
    scar_summary s;
    s.struct_size = sizeof s;
    assert_int_equal(scar_result_summary(res, &s), SCAR_OK);
    assert_int_equal(s.analysis_shrink, 2);
    const uint8_t *skin = scar_result_skin_mask(res, NULL, NULL);
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    /* columns 200 (in the ROI) and 201 (outside) share an analysed pixel,
     * which is half in the ROI and so analysed; the mask still never
     * reports column 201 */
    uint64_t n = 0;
    for (uint32_t y = 0; y < SH; y++)
        for (uint32_t x = 0; x < SW; x++) {
            uint8_t k = skin[(size_t)y * SW + x];
            n += k != 0;
            if (x > SW / 2)
                assert_int_equal(k, 0);
        }
    assert_true(s.skin_area_px == n);
    assert_true(region_at(lab, &discs[0]) > 0);
    assert_int_equal(region_at(lab, &discs[1]), 0);
    scar_result_free(res);
    scar_image_free(roi);
    scar_image_free(img);
}

/* Shrunk by 3 with partial blocks at the right and bottom (401 x 322 at
 * 16 px/mm): the input-size maps are made on first use. The measurements
 * (counted on the analysis grid, the geometry on windows expanded from
 * it) must agree with the maps made afterwards, and making them must not
 * change the JSON; the labels PNG makes them itself. */
static void test_input_maps_on_demand(void **state)
{
    (void)state;
    const uint32_t w = 401, h = 322, f = 3;
    scar_image *img = synth_skin(w, h, base_lab, discs, 3, 0, 1.0);
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = 16.0;
    scar_result *res = NULL, *res2 = NULL;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    assert_int_equal(scar_analyze(img, NULL, &o, &res2), SCAR_OK);
    scar_summary s;
    s.struct_size = sizeof s;
    assert_int_equal(scar_result_summary(res, &s), SCAR_OK);
    assert_int_equal(s.analysis_shrink, f);

    char *before = NULL, *after = NULL;
    assert_int_equal(scar_result_to_json(res, &before, NULL), SCAR_OK);
    /* rows read before the maps exist (expanded from the analysis grid),
     * then compared with the maps and read again from them */
    int32_t *rows = malloc((size_t)w * h * sizeof *rows);
    assert_non_null(rows);
    for (uint32_t y = 0; y < h; y++)
        assert_int_equal(scar_result_label_row(res, y, rows + (size_t)y * w),
                         SCAR_OK);
    int32_t probe = 0;
    assert_int_equal(scar_result_label_row(res, h, &probe), SCAR_E_INVALID);
    assert_int_equal(scar_result_label_row(NULL, 0, &probe), SCAR_E_INVALID);
    assert_int_equal(scar_result_label_row(res, 0, NULL), SCAR_E_INVALID);
    /* the PNG next: it reads the rows the same way */
    char path[512];
    snprintf(path, sizeof path, "%s/maps_on_demand.png", SCAR_TEST_TMP);
    assert_int_equal(scar_result_save_labels_png(res, path), SCAR_OK);
    uint32_t lw = 0, lh = 0;
    const int32_t *lab = scar_result_labels(res, &lw, &lh);
    const uint8_t *skin = scar_result_skin_mask(res, NULL, NULL);
    assert_non_null(lab);
    assert_non_null(skin);
    assert_int_equal(lw, w);
    assert_int_equal(lh, h);
    assert_memory_equal(rows, lab, (size_t)w * h * sizeof *rows);
    for (uint32_t y = 0; y < h; y += h - 1) {
        assert_int_equal(scar_result_label_row(res, y, rows), SCAR_OK);
        assert_memory_equal(rows, lab + (size_t)y * w, w * sizeof *rows);
    }
    free(rows);
    assert_int_equal(scar_result_to_json(res, &after, NULL), SCAR_OK);
    assert_string_equal(before, after);

    scar_image *png = NULL;
    assert_int_equal(scar_image_load(path, NULL, &png), SCAR_OK);
    assert_int_equal(scar_image_width(png), w);
    assert_int_equal(scar_image_height(png), h);
    uint32_t n = scar_result_region_count(res);
    assert_true(n >= 3);
    double *cnt = calloc(n + 1, sizeof *cnt);
    uint32_t *box = malloc(4 * (size_t)(n + 1) * sizeof *box);
    for (uint32_t k = 0; k <= n; k++)
        box[4 * k] = box[4 * k + 1] = UINT32_MAX, box[4 * k + 2] =
                                                      box[4 * k + 3] = 0;
    uint64_t skin_px = 0;
    for (uint32_t y = 0; y < h; y++) {
        const uint16_t *pr = scar_image_row(png, y);
        for (uint32_t x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            /* every pixel repeats its block's first one */
            size_t b = (size_t)(y - y % f) * w + (x - x % f);
            assert_int_equal(lab[i], lab[b]);
            assert_int_equal(skin[i], skin[b]);
            assert_int_equal(pr[x], lab[i]);
            assert_true(lab[i] >= 0 && (uint32_t)lab[i] <= n);
            skin_px += skin[i] != 0;
            uint32_t *bb = box + 4 * lab[i];
            cnt[lab[i]]++;
            if (x < bb[0]) bb[0] = x;
            if (y < bb[1]) bb[1] = y;
            if (x + 1 > bb[2]) bb[2] = x + 1;
            if (y + 1 > bb[3]) bb[3] = y + 1;
        }
    }
    assert_true(s.skin_area_px == skin_px);
    for (uint32_t k = 1; k <= n; k++) {
        scar_region r;
        r.struct_size = sizeof r;
        assert_int_equal(scar_result_region(res, k - 1, &r), SCAR_OK);
        assert_true(r.area_px == cnt[k]);
        assert_int_equal(r.bbox_x0, box[4 * k]);
        assert_int_equal(r.bbox_y0, box[4 * k + 1]);
        assert_int_equal(r.bbox_x1, box[4 * k + 2]);
        assert_int_equal(r.bbox_y1, box[4 * k + 3]);
    }
    /* a twin result whose maps are never made measures the same */
    char *twin = NULL;
    assert_int_equal(scar_result_to_json(res2, &twin, NULL), SCAR_OK);
    assert_string_equal(before, twin);
    scar_free(before);
    scar_free(after);
    scar_free(twin);
    free(cnt);
    free(box);
    remove(path);
    scar_image_free(png);
    scar_result_free(res);
    scar_result_free(res2);
    scar_image_free(img);
}

static void test_bad_option(void **state)
{
    (void)state;
    scar_image *img = synth_skin(64, 64, base_lab, NULL, 0, 0, 1.0);
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    scar_result *res = NULL;
    const double bad[] = {-1.0, NAN, INFINITY};
    for (size_t i = 0; i < 3; i++) {
        o.analysis_px_per_mm = bad[i];
        assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_E_INVALID);
        assert_null(res);
        assert_non_null(strstr(scar_last_error(), "analysis_px_per_mm"));
    }
    scar_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shrink_matches_numpy),
        cmocka_unit_test(test_shrink_factor),
        cmocka_unit_test(test_grid_on_shrunk_photo),
        cmocka_unit_test(test_grid_shrunk_by_three),
        cmocka_unit_test(test_shrunk_analysis),
        cmocka_unit_test(test_shrunk_roi),
        cmocka_unit_test(test_input_maps_on_demand),
        cmocka_unit_test(test_bad_option),
    };
    return cmocka_run_group_tests_name("analysis_scale", tests, NULL, NULL);
}
