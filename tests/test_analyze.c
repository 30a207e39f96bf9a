/* test_analyze.c — the public result API: getters, JSON (fields, null for
 * NaN, '.' decimals), labels PNG round trip, NULL handling, options
 * defaults. */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "scarscore.h"
#include "synth_skin.h"

#define W 200
#define H 160

static const double base_lab[3] = {62.0, 12.0, 17.0};
static const synth_disc disc = {100.0, 80.0, 18.0, {10.0, -2.0, -6.0}};

static scar_result *analyse(void)
{
    scar_image *img = synth_skin(W, H, base_lab, &disc, 1, 0, 1.0);
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = 12.5;
    scar_result *res = NULL;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    scar_image_free(img);
    return res;
}

static void test_defaults(void **state)
{
    (void)state;
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    assert_int_equal(o.struct_size, sizeof o);
    assert_true(o.z_high >= o.z_low && o.z_low > 0);
    assert_true(o.ring_inner_mm == 1.0 && o.ring_outer_mm == 3.0);
    assert_true(o.px_per_mm == 0.0 && o.single_lesion == 0);
    scar_analyze_options_init(NULL); /* no crash */
    assert_string_equal(scar_pigment_class_name(SCAR_CLASS_HYPO), "hypo");
    assert_string_equal(scar_pigment_class_name(SCAR_CLASS_ERYTHEMA), "erythema");
    assert_string_equal(scar_pigment_class_name((scar_pigment_class)77), "unknown");
}

static void test_getters_and_json(void **state)
{
    (void)state;
    scar_result *res = analyse();
    assert_int_equal(scar_result_region_count(res), 1);
    assert_true(scar_result_px_per_mm(res) == 12.5);
    assert_false(scar_result_scale_assumed(res));
    scar_region r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    assert_int_equal(scar_result_region(res, 0, &r), SCAR_OK);
    assert_int_equal(r.id, 1);
    assert_true(fabs(r.area_mm2 - r.area_px / (12.5 * 12.5)) < 1e-9);
    assert_true(fabs(r.centroid_x - 100.0) < 1.5 && fabs(r.centroid_y - 80.0) < 1.5);
    assert_int_equal(r.pigment_class, SCAR_CLASS_HYPO);
    assert_true(r.delta_e00 > 3.0);
    assert_int_equal(scar_result_region(res, 1, &r), SCAR_E_INVALID);
    /* a caller with an older, shorter struct gets only its part */
    scar_region small;
    memset(&small, 0xab, sizeof small);
    small.struct_size = offsetof(scar_region, area_mm2);
    assert_int_equal(scar_result_region(res, 0, &small), SCAR_OK);
    assert_int_equal(small.id, 1);
    assert_int_equal(small.struct_size, offsetof(scar_region, area_mm2));

    /* JSON under a comma-decimal locale when one is installed */
    setlocale(LC_NUMERIC, "de_DE.UTF-8");
    char *js = NULL;
    size_t n = 0;
    assert_int_equal(scar_result_to_json(res, &js, &n), SCAR_OK);
    setlocale(LC_NUMERIC, "C");
    assert_int_equal(strlen(js), n);
    const char *keys[] = {"\"schema\":\"scarscore/0.6\"", "\"schema_version\":\"0.6\"", "\"width\":200",
                          "\"height\":160", "\"px_per_mm\":12.5",
                          "\"scale_assumed\":false", "\"skin_area_px\":",
                          "\"regions\":[{\"id\":1,", "\"area_px\":",
                          "\"area_mm2\":", "\"bbox\":[", "\"centroid\":[",
                          "\"lab_inside\":[", "\"lab_ring\":[", "\"delta_e00\":",
                          "\"ring_area_px\":", "\"class\":\"hypo\"",
                          "\"region_count\":1", "\"skin_ita_deg\":",
                          "\"delta_L\":"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!strstr(js, keys[i]))
            fail_msg("JSON lacks %s: %s", keys[i], js);
    assert_null(strstr(js, "nan"));
    scar_free(js);
    assert_int_equal(scar_result_to_json(NULL, &js, NULL), SCAR_E_INVALID);
    scar_result_free(res);
}

static void test_labels_png_round_trip(void **state)
{
    (void)state;
    scar_result *res = analyse();
    char path[1024];
    snprintf(path, sizeof path, "%s/analyze_labels.png", SCAR_TEST_TMP);
    assert_int_equal(scar_result_save_labels_png(res, path), SCAR_OK);
    scar_image *img = NULL;
    assert_int_equal(scar_image_load(path, NULL, &img), SCAR_OK);
    assert_int_equal(scar_image_bit_depth(img), 16);
    assert_int_equal(scar_image_channels(img), 1);
    uint32_t w, h;
    const int32_t *lab = scar_result_labels(res, &w, &h);
    assert_int_equal(w, W);
    assert_int_equal(h, H);
    for (uint32_t y = 0; y < h; y++) {
        const uint16_t *row = scar_image_row(img, y);
        for (uint32_t x = 0; x < w; x++)
            assert_int_equal(row[x], lab[y * w + x]);
    }
    scar_image_free(img);
    snprintf(path, sizeof path, "%s/no/such/dir/l.png", SCAR_TEST_TMP);
    assert_int_equal(scar_result_save_labels_png(res, path), SCAR_E_IO);
    scar_result_free(res);
}

/* The memory ceiling refuses before allocating, names the sizes, and an
 * old caller's shorter struct (without the field) keeps the default. */
static void test_memory_ceiling(void **state)
{
    (void)state;
    scar_image *img = synth_skin(W, H, base_lab, &disc, 1, 0, 1.0);
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    assert_true(o.max_memory_bytes == SCAR_DEFAULT_MAX_ANALYZE_MEMORY);
    o.px_per_mm = 12.5;
    o.analysis_px_per_mm = 0.0; /* full resolution: the plain estimate */
    const uint64_t need = (uint64_t)W * H * SCAR_ANALYZE_BYTES_PER_PIXEL;
    scar_result *res = NULL;
    o.max_memory_bytes = need - 1;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_E_LIMIT);
    assert_null(res);
    assert_non_null(strstr(scar_last_error(), "max_memory_bytes"));
    assert_non_null(strstr(scar_last_error(), "200x160"));
    o.max_memory_bytes = need;
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    scar_result_free(res);
    res = NULL;
    o.max_memory_bytes = 0; /* no ceiling */
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    scar_result_free(res);
    res = NULL;
    /* A caller compiled before the field existed: struct_size stops short
     * of it, so the (large) default applies and the analysis runs. */
    o.max_memory_bytes = 1;
    o.struct_size = (uint32_t)offsetof(scar_analyze_options, max_memory_bytes);
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    scar_result_free(res);
    scar_image_free(img);
}

/* VmHWM (peak resident set) of this process in bytes, or 0 if unknown. */
static uint64_t peak_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    uint64_t kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %llu kB", (unsigned long long *)&kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb * 1024;
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SCAR_SANITIZED 1
#else
#define SCAR_SANITIZED 0
#endif

/* The ceiling's estimate is an upper bound: the resident peak that one
 * analysis of a 1000x800 photo adds stays below
 * SCAR_ANALYZE_BYTES_PER_PIXEL x analysed pixels (+ 6 B per input pixel
 * when shrunk) (sanitizer builds add shadow
 * memory and quarantine, so they skip this). Measured in a child process
 * so that earlier tests' peaks do not hide it. */
static void test_memory_estimate_holds(void **state)
{
    (void)state;
    if (SCAR_SANITIZED || peak_rss_bytes() == 0) {
        skip();
        return;
    }
    const uint32_t w = 1000, h = 800;
    const synth_disc discs[3] = {{300.0, 300.0, 40.0, {-12.0, 3.0, 5.0}},
                                 {700.0, 500.0, 25.0, {8.0, -2.0, -6.0}},
                                 {500.0, 150.0, 15.0, {-6.0, 6.0, 2.0}}};
    scar_image *img = synth_skin(w, h, base_lab, discs, 3, 0, 1.0);
    /* at full resolution, and shrunk by 2 (analysis resolution): then the
     * estimate is that of the shrunk photo plus the input-size label map
     * and mask (scar_analyze) */
    const double ppm[2] = {12.0, 12.0}, analysis[2] = {0.0, 5.0};
    const uint64_t bound[2] = {
        (uint64_t)w * h * SCAR_ANALYZE_BYTES_PER_PIXEL,
        (uint64_t)(w / 2) * (h / 2) * SCAR_ANALYZE_BYTES_PER_PIXEL +
            (uint64_t)w * h * 6};
    for (int k = 0; k < 2; k++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            uint64_t before = peak_rss_bytes();
            scar_analyze_options o;
            scar_analyze_options_init(&o);
            o.px_per_mm = ppm[k];
            o.analysis_px_per_mm = analysis[k];
            scar_result *res = NULL;
            int st = scar_analyze(img, NULL, &o, &res);
            uint64_t grown = peak_rss_bytes() - before;
            scar_summary s;
            s.struct_size = sizeof s;
            int shrink_ok = st == SCAR_OK &&
                            scar_result_summary(res, &s) == SCAR_OK &&
                            s.analysis_shrink == (k ? 2u : 1u);
            scar_result_free(res);
            _exit(st != SCAR_OK ? 2 : !shrink_ok ? 4 : grown > bound[k] ? 3 : 0);
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    scar_image_free(img);
}

/* scar_measure: the caller's regions, measured as given. A flat photo of
 * skin with two uniform squares; their labels 7 and 3 become regions 2
 * and 1. Each square's colour against its ring (flat skin) is the Lab of
 * the 8-bit colours painted, so delta_e00 is scar_delta_e00 of the two.
 * At 10 px/mm scar_analyze would analyse at 5 px/mm; the regions are
 * measured at full resolution. */
static void paint(scar_image *img, uint32_t x0, uint32_t y0, uint32_t nx,
                  uint32_t ny, const double lab[3], double painted[3])
{
    double rgb[3];
    scar_lab_to_srgb(lab, rgb);
    uint8_t px[3];
    for (int c = 0; c < 3; c++) {
        double v = rgb[c] < 0 ? 0 : rgb[c] > 1 ? 1 : rgb[c];
        px[c] = (uint8_t)lround(v * 255.0);
        rgb[c] = px[c] / 255.0;
    }
    scar_srgb_to_lab(rgb, painted);
    for (uint32_t y = y0; y < y0 + ny; y++)
        for (uint32_t x = x0; x < x0 + nx; x++)
            memcpy((uint8_t *)scar_image_row(img, y) + 3 * x, px, 3);
}

static void test_measure_given_regions(void **state)
{
    (void)state;
    const uint32_t w = 240, h = 160;
    const double red[3] = {50.0, 22.0, 16.0}, brown[3] = {55.0, 6.0, 25.0};
    double skin_lab[3], red_lab[3], brown_lab[3];
    scar_image *img = NULL, *reg = NULL;
    assert_int_equal(scar_image_new(w, h, 3, 8, &img), SCAR_OK);
    assert_int_equal(scar_image_new(w, h, 1, 16, &reg), SCAR_OK);
    paint(img, 0, 0, w, h, base_lab, skin_lab);
    paint(img, 40, 60, 40, 40, red, red_lab);
    paint(img, 160, 70, 30, 30, brown, brown_lab);
    for (uint32_t y = 0; y < h; y++) {
        uint16_t *r = scar_image_row(reg, y);
        for (uint32_t x = 0; x < w; x++)
            r[x] = (x >= 40 && x < 80 && y >= 60 && y < 100)     ? 7
                   : (x >= 160 && x < 190 && y >= 70 && y < 100) ? 3
                                                                  : 0;
    }
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    o.px_per_mm = 10.0;
    scar_result *res = NULL;
    assert_int_equal(scar_measure(img, NULL, reg, &o, &res), SCAR_OK);
    assert_int_equal(scar_result_region_count(res), 2);
    const int32_t *lab = scar_result_labels(res, NULL, NULL);
    assert_int_equal(lab[80 * w + 60], 2);
    assert_int_equal(lab[85 * w + 175], 1);
    assert_int_equal(lab[20 * w + 20], 0);
    const double *expect[2] = {brown_lab, red_lab};
    const uint64_t area[2] = {900, 1600};
    for (uint32_t i = 0; i < 2; i++) {
        scar_region r;
        r.struct_size = sizeof r;
        assert_int_equal(scar_result_region(res, i, &r), SCAR_OK);
        assert_int_equal(r.area_px, area[i]);
        for (int c = 0; c < 3; c++) {
            assert_true(fabs(r.lab_inside[c] - expect[i][c]) < 1e-3);
            assert_true(fabs(r.lab_ring[c] - skin_lab[c]) < 1e-3);
        }
        double de = scar_delta_e00(expect[i], skin_lab);
        print_message("region %u: dE00 %.6f, expected %.6f\n", i + 1,
                      r.delta_e00, de);
        assert_true(fabs(r.delta_e00 - de) < 1e-3);
    }
    scar_summary sm;
    memset(&sm, 0, sizeof sm);
    sm.struct_size = sizeof sm;
    assert_int_equal(scar_result_summary(res, &sm), SCAR_OK);
    assert_int_equal(sm.regions_given, 1);
    assert_int_equal(sm.analysis_shrink, 1);
    /* given regions: no region test, no detection limits */
    for (int j = 0; j < 3; j++)
        assert_true(isnan(sm.detection_limit_dL[j]) &&
                    isnan(sm.detection_limit_da[j]) &&
                    isnan(sm.detection_limit_db[j]));
    scar_result_free(res);
    /* scar_analyze on the same photo: shrunk, regions_given 0; the
     * detection limits are positive and fall with the patch's area */
    assert_int_equal(scar_analyze(img, NULL, &o, &res), SCAR_OK);
    assert_int_equal(scar_result_summary(res, &sm), SCAR_OK);
    assert_int_equal(sm.regions_given, 0);
    assert_int_equal(sm.analysis_shrink, 2);
    for (int j = 0; j < 3; j++)
        assert_true(sm.detection_limit_dL[j] > 0.0 &&
                    sm.detection_limit_da[j] > 0.0 &&
                    sm.detection_limit_db[j] > 0.0);
    assert_true(sm.detection_limit_dL[0] > sm.detection_limit_dL[1]);
    scar_result_free(res);
    /* single-lesion mode: no region test either */
    scar_analyze_options o1 = o;
    o1.single_lesion = 1;
    assert_int_equal(scar_analyze(img, NULL, &o1, &res), SCAR_OK);
    assert_int_equal(scar_result_summary(res, &sm), SCAR_OK);
    assert_true(isnan(sm.detection_limit_dL[1]) && isnan(sm.detection_limit_db[2]));
    scar_result_free(res);
    /* no regions, regions of another size */
    res = (scar_result *)&o; /* must be reset to NULL */
    assert_int_equal(scar_measure(img, NULL, NULL, &o, &res), SCAR_E_INVALID);
    assert_null(res);
    scar_image *small = NULL;
    assert_int_equal(scar_image_new(w / 2, h, 1, 8, &small), SCAR_OK);
    assert_int_equal(scar_measure(img, NULL, small, &o, &res), SCAR_E_INVALID);
    assert_non_null(strstr(scar_last_error(), "regions image is 120x160"));
    scar_image_free(small);
    /* colour-coded masks are not labels */
    assert_int_equal(scar_measure(img, NULL, img, &o, &res), SCAR_E_INVALID);
    assert_non_null(strstr(scar_last_error(), "has 3 channels"));
    scar_image_free(reg);
    scar_image_free(img);
}

/* Exposure normalisation (docs/metrics.md): a 16-bit photo whose left half
 * is lit at 0.5 and whose right half's 5 mm blocks are lit at 0.80..0.84
 * (one level per block), with one dark disc on the left. At 4 px/mm the
 * blocks are 20 px: 25 left blocks at the left luminance, 25 right ones
 * increasing, so the 95th percentile (position 0.95 x 49 = 46.55) lies
 * 0.55 of the way from the 22nd to the 23rd right block. The disc and its
 * ring are measured at gain reference / left luminance: their L*a*b* are
 * those of the painted linear colours times that gain, computed here with
 * the double-precision conversions. With `sheet`, the top row of right
 * blocks is a bright grey sheet (not the skin's chromaticity): it would
 * set the 95th percentile, but only skin-coloured blocks count, so the
 * reference lies 0.8 of the way from the 22nd to the 23rd right block
 * (position 0.95 x 44 = 41.8 of 25 left + 20 right blocks). */
static double lin_of_code(uint16_t c) { return scar_srgb_to_linear(c / 65535.0); }

static uint16_t code_of_lin(double l)
{
    return (uint16_t)lround(scar_linear_to_srgb(l) * 65535.0);
}

/* Linear sRGB of the codes of colour v lit at `level`; returns its Y. */
static double lit(const double v[3], double level, uint16_t code[3],
                  double lin[3])
{
    for (int c = 0; c < 3; c++) {
        code[c] = code_of_lin(v[c] * level);
        lin[c] = lin_of_code(code[c]);
    }
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

static void lab_at_gain(const double lin[3], double g, double lab[3])
{
    double rgb[3] = {lin[0] * g, lin[1] * g, lin[2] * g}, xyz[3];
    scar_linear_rgb_to_xyz(rgb, xyz);
    scar_xyz_to_lab(xyz, lab);
}

static void check_exposure(int sheet)
{
    const uint32_t w = 200, h = 100, bs = 20;
    const double grey[3] = {0.6, 0.6, 0.6};
    const double skin[3] = {0.40, 0.28, 0.20}, dark[3] = {0.25, 0.15, 0.12};
    scar_image *img = NULL, *reg = NULL, *roi = NULL;
    assert_int_equal(scar_image_new(w, h, 3, 16, &img), SCAR_OK);
    assert_int_equal(scar_image_new(w, h, 1, 16, &reg), SCAR_OK);
    assert_int_equal(scar_image_new(w, h, 1, 8, &roi), SCAR_OK);
    uint16_t code[3];
    double skin_lin[3], dark_lin[3], y_right[25];
    double y_left = lit(skin, 0.5, code, skin_lin);
    lit(dark, 0.5, code, dark_lin);
    for (int k = 0; k < 25; k++) {
        double scratch[3];
        y_right[k] = lit(skin, 0.80 + 0.01 * k, code, scratch);
    }
    for (uint32_t y = 0; y < h; y++) {
        uint16_t *p = scar_image_row(img, y), *r = scar_image_row(reg, y);
        memset(scar_image_row(roi, y), 255, w);
        for (uint32_t x = 0; x < w; x++) {
            int in = (x - 50.0) * (x - 50.0) + (y - 50.0) * (y - 50.0) <= 36.0;
            double level = x < w / 2 ? 0.5
                                     : 0.80 + 0.01 * ((y / bs) * 5 +
                                                      (x - w / 2) / bs);
            double scratch[3];
            int grey_block = sheet && x >= w / 2 && y < bs;
            lit(in ? dark : grey_block ? grey : skin,
                grey_block ? 1.0 : level, p + 3 * x, scratch);
            r[x] = (uint16_t)in;
        }
    }
    double y_ref = sheet ? y_right[21] + 0.8 * (y_right[22] - y_right[21])
                         : y_right[21] + 0.55 * (y_right[22] - y_right[21]);
    double g = y_ref / y_left;
    double in_lab[3], ring_lab[3], photo_in[3], photo_ring[3];
    lab_at_gain(dark_lin, g, in_lab);
    lab_at_gain(skin_lin, g, ring_lab);
    lab_at_gain(dark_lin, 1.0, photo_in);
    lab_at_gain(skin_lin, 1.0, photo_ring);

    scar_analyze_options o;
    scar_analyze_options_init(&o);
    assert_int_equal(o.exposure_normalize, 1);
    o.px_per_mm = 4.0;
    double de[2];
    for (int as_photographed = 0; as_photographed < 2; as_photographed++) {
        o.exposure_normalize = as_photographed ? 0u : 1u;
        scar_result *res = NULL;
        assert_int_equal(scar_measure(img, roi, reg, &o, &res), SCAR_OK);
        assert_int_equal(scar_result_region_count(res), 1);
        scar_region r;
        r.struct_size = sizeof r;
        assert_int_equal(scar_result_region(res, 0, &r), SCAR_OK);
        scar_summary sm;
        memset(&sm, 0, sizeof sm);
        sm.struct_size = sizeof sm;
        assert_int_equal(scar_result_summary(res, &sm), SCAR_OK);
        const double *ei = as_photographed ? photo_in : in_lab;
        const double *er = as_photographed ? photo_ring : ring_lab;
        double eg = as_photographed ? 1.0 : g;
        print_message("gain %.6f (expected %.6f), reference Y %.6f (%.6f), "
                      "dE00 %.4f\n", r.exposure_gain, eg,
                      sm.exposure_reference_Y, y_ref, r.delta_e00);
        assert_true(fabs(r.exposure_gain - eg) < 1e-5 * eg);
        if (as_photographed)
            assert_true(isnan(sm.exposure_reference_Y));
        else
            assert_true(fabs(sm.exposure_reference_Y - y_ref) < 1e-6);
        for (int c = 0; c < 3; c++) {
            assert_true(fabs(r.lab_inside[c] - ei[c]) < 2e-3);
            assert_true(fabs(r.lab_ring[c] - er[c]) < 2e-3);
            assert_true(fabs(r.lab_inside_median[c] - ei[c]) < 2e-3);
        }
        de[as_photographed] = r.delta_e00;
        assert_true(fabs(r.delta_e00 - scar_delta_e00(ei, er)) < 2e-3);
        scar_result_free(res);
    }
    /* the normalisation matters here: the shade lowers dE00 */
    assert_true(de[0] - de[1] > 1.0);
    scar_image_free(roi);
    scar_image_free(reg);
    scar_image_free(img);
}

static void test_exposure_normalisation(void **state)
{
    (void)state;
    check_exposure(0);
    check_exposure(1);
}

static void test_null(void **state)
{
    (void)state;
    scar_result_free(NULL);
    assert_int_equal(scar_result_region_count(NULL), 0);
    uint32_t w = 7, h = 7;
    assert_null(scar_result_labels(NULL, &w, &h));
    assert_int_equal(w, 0);
    assert_null(scar_result_skin_mask(NULL, NULL, NULL));
    assert_true(scar_result_px_per_mm(NULL) == 0.0);
    scar_region r;
    r.struct_size = sizeof r;
    assert_int_equal(scar_result_region(NULL, 0, &r), SCAR_E_INVALID);
    assert_int_equal(scar_result_save_labels_png(NULL, "x.png"), SCAR_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_getters_and_json),
        cmocka_unit_test(test_labels_png_round_trip),
        cmocka_unit_test(test_memory_ceiling),
        cmocka_unit_test(test_memory_estimate_holds),
        cmocka_unit_test(test_measure_given_regions),
        cmocka_unit_test(test_exposure_normalisation),
        cmocka_unit_test(test_null),
    };
    return cmocka_run_group_tests_name("analyze", tests, NULL, NULL);
}
