/* bench_color.c — speed of the colour module's whole-image functions on a
 * generated 12 MP (4000 x 3000) photo-sized image.
 *
 *   cmake --build <build> --target bench_color && <build>/bench/bench_color
 *
 * Per function: one warm-up call, then at least 7 timed calls and >= 1 s in
 * total; prints the median time and megapixels per second (single thread).
 * The output is verified once against the double-precision reference. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "scarscore.h"

#define W 4000u
#define H 3000u

typedef int (*run_fn)(const scar_image *img, float *p0, float *p1, float *p2);

static int run_lab(const scar_image *img, float *p0, float *p1, float *p2)
{
    return scar_image_to_lab(img, NULL, 0, p0, p1, p2, W);
}
static int run_ita(const scar_image *img, float *p0, float *p1, float *p2)
{
    (void)p1;
    (void)p2;
    return scar_image_to_ita(img, NULL, 0, p0, W);
}
static int run_miei(const scar_image *img, float *p0, float *p1, float *p2)
{
    (void)p2;
    return scar_image_to_mi_ei(img, NULL, 0, p0, p1, W);
}
static int run_chromo(const scar_image *img, float *p0, float *p1, float *p2)
{
    (void)p2;
    return scar_image_to_chromophores(img, NULL, 0, NULL, p0, p1, W);
}

struct color_job {
    run_fn fn;
    const scar_image *img;
    float *p0, *p1, *p2;
};

static int run_job(void *arg)
{
    struct color_job *j = arg;
    return j->fn(j->img, j->p0, j->p1, j->p2);
}

static int bench(const char *name, run_fn fn, const scar_image *img,
                 float *p0, float *p1, float *p2)
{
    struct color_job j = {fn, img, p0, p1, p2};
    if (run_job(&j) != SCAR_OK) {
        fprintf(stderr, "bench_color: %s: %s\n", name, scar_last_error());
        return 1;
    }
    bench_report(name, bench_median(run_job, &j, 7, 1.0), (double)W * H / 1e6);
    return 0;
}

int main(void)
{
    scar_image *img8 = NULL, *img16 = NULL;
    if (scar_image_new(W, H, 3, 8, &img8) || scar_image_new(W, H, 3, 16, &img16)) {
        fprintf(stderr, "bench_color: %s\n", scar_last_error());
        return 1;
    }
    /* Every code value occurs (xorshift noise), so table lookups are not
     * all cache hits on one line. */
    uint32_t s = 2463534242u;
    for (uint32_t y = 0; y < H; y++) {
        uint8_t *r8 = scar_image_row(img8, y);
        uint16_t *r16 = scar_image_row(img16, y);
        for (uint32_t i = 0; i < 3 * W; i++) {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            r8[i] = (uint8_t)(s >> 24);
            r16[i] = (uint16_t)(s >> 16);
        }
    }
    float *p0 = malloc((size_t)W * H * sizeof(float));
    float *p1 = malloc((size_t)W * H * sizeof(float));
    float *p2 = malloc((size_t)W * H * sizeof(float));
    if (!p0 || !p1 || !p2)
        return 1;
    int rc = 0;
    rc |= bench("8-bit sRGB -> Lab (L,a,b planes)", run_lab, img8, p0, p1, p2);
    /* Verify once: worst dE76 against the reference over the first rows. */
    double worst = 0;
    const uint8_t *px = scar_image_row(img8, 0);
    for (uint32_t i = 0; i < 100000; i++) {
        double rgb[3] = {px[3 * i] / 255.0, px[3 * i + 1] / 255.0,
                         px[3 * i + 2] / 255.0}, lab[3];
        scar_srgb_to_lab(rgb, lab);
        double f[3] = {p0[i], p1[i], p2[i]};
        double d = scar_delta_e76(lab, f);
        worst = d > worst ? d : worst;
    }
    printf("  verify: max dE76 vs double path on 100000 pixels = %.2g\n", worst);
    if (worst > 0.01)
        rc = 1;
    rc |= bench("16-bit sRGB -> Lab (L,a,b planes)", run_lab, img16, p0, p1, p2);
    rc |= bench("8-bit ITA plane", run_ita, img8, p0, p1, p2);
    rc |= bench("8-bit MI + EI planes", run_miei, img8, p0, p1, p2);
    rc |= bench("8-bit melanin + haemoglobin maps", run_chromo, img8, p0, p1, p2);
    free(p0);
    free(p1);
    free(p2);
    scar_image_free(img8);
    scar_image_free(img16);
    return rc;
}
