/* roughness.c — FFT spectral roughness of an L* patch: the share of the
 * patch's spatial power spectrum that lies at fine scales (short periods).
 * Periodogram estimate (Welch-style windowing of a single segment):
 *   1. remove the least-squares plane a + b x + c y fitted over the valid
 *      pixels (illumination gradients and the mean would otherwise put
 *      power at the lowest frequencies, dwarfing texture);
 *   2. set invalid pixels to 0 (= the plane), multiply by a separable Hann
 *      window sin^2(pi (n + 1/2) / N) to suppress edge leakage;
 *   3. r2c FFT (FFTW); power |X|^2, each non-self-conjugate half-spectrum
 *      bin counted twice;
 *   4. ratio = power at frequencies in [1/split_mm, 1/lo_mm] cycles/mm over
 *      power in [1/hi_mm, 1/lo_mm] (radial frequency, both bounds closed).
 * FFTW planning happens under scar__fftw_lock(); execution uses the
 * new-array interface on this call's own buffers, so calls run in
 * parallel. */
#include "texture/texture.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

#include "error.h"

void scar__roughness_band_default(double px_per_mm, scar__roughness_band *b)
{
    b->px_per_mm = px_per_mm;
    b->lo_mm = 0.2;
    b->split_mm = 1.0;
    b->hi_mm = 5.0;
}

static int check_band(const scar__roughness_band *b, const char *fn)
{
    if (!b)
        return scar__fail(SCAR_E_INVALID, "%s: band is NULL", fn);
    if (!(isfinite(b->px_per_mm) && b->px_per_mm > 0 &&
          b->px_per_mm <= 1e5))
        return scar__fail(SCAR_E_INVALID,
                          "%s: px_per_mm %g must be finite and in (0, 1e5]",
                          fn, b->px_per_mm);
    if (!(isfinite(b->lo_mm) && isfinite(b->split_mm) &&
          isfinite(b->hi_mm) && b->lo_mm > 0 && b->lo_mm < b->split_mm &&
          b->split_mm < b->hi_mm))
        return scar__fail(SCAR_E_INVALID,
                          "%s: band periods %g, %g, %g mm must be finite "
                          "with 0 < lo < split < hi", fn, b->lo_mm,
                          b->split_mm, b->hi_mm);
    return SCAR_OK;
}

/* Least-squares plane over the valid pixels, coordinates centred for
 * conditioning. Falls back to the mean when the valid pixels are
 * (nearly) collinear. coef = {a, b, c}: value ~ a + b xc + c yc. */
static void fit_plane(const scar__planef *L, const scar__mask *mask,
                      double cx, double cy, double coef[3], uint64_t *nvalid)
{
    double s[3][3] = {{0}}, r[3] = {0};
    uint64_t n = 0;
    for (uint32_t y = 0; y < L->height; y++) {
        const float *row = scar__planef_row(L, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        double yc = (double)y - cy;
        for (uint32_t x = 0; x < L->width; x++) {
            if ((m && !m[x]) || !isfinite(row[x]))
                continue;
            double xc = (double)x - cx, v = row[x];
            s[0][1] += xc;
            s[0][2] += yc;
            s[1][1] += xc * xc;
            s[1][2] += xc * yc;
            s[2][2] += yc * yc;
            r[0] += v;
            r[1] += xc * v;
            r[2] += yc * v;
            n++;
        }
    }
    *nvalid = n;
    coef[0] = coef[1] = coef[2] = 0;
    if (n == 0)
        return;
    s[0][0] = (double)n;
    s[1][0] = s[0][1];
    s[2][0] = s[0][2];
    s[2][1] = s[1][2];
    double det = s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1]) -
                 s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0]) +
                 s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]);
    double scale = s[0][0] * s[1][1] * s[2][2];
    if (!(scale > 0) || fabs(det) <= 1e-9 * scale) {
        coef[0] = r[0] / (double)n;
        return;
    }
    /* Cramer's rule: 3x3, well conditioned after centring. */
    for (int k = 0; k < 3; k++) {
        double m[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                m[i][j] = j == k ? r[i] : s[i][j];
        coef[k] = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                   m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                   m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])) /
                  det;
    }
}

int scar__spectral_roughness(const scar__planef *L, const scar__mask *mask,
                             const scar__roughness_band *band, double *ratio)
{
    static const char fn[] = "scar__spectral_roughness";
    if (!ratio)
        return scar__fail(SCAR_E_INVALID, "%s: ratio is NULL", fn);
    *ratio = NAN;
    int st = scar__tex_check_planef(L, fn, "L* patch");
    if (st)
        return st;
    if ((st = scar__tex_check_mask(mask, L->width, L->height, fn, "mask")))
        return st;
    if ((st = check_band(band, fn)))
        return st;
    uint32_t w = L->width, h = L->height;
    if (w < 8 || h < 8)
        return scar__fail(SCAR_E_INVALID,
                          "%s: patch %ux%u is too small; need at least 8x8",
                          fn, w, h);
    if (w > SCAR__TEX_FFT_MAX_SIDE || h > SCAR__TEX_FFT_MAX_SIDE ||
        (uint64_t)w * h > SCAR__TEX_FFT_MAX_PIXELS)
        return scar__fail(SCAR_E_LIMIT,
                          "%s: patch %ux%u exceeds the FFT limit (side %u, "
                          "%llu pixels); measure a smaller patch",
                          fn, w, h, SCAR__TEX_FFT_MAX_SIDE,
                          (unsigned long long)SCAR__TEX_FFT_MAX_PIXELS);

    double cx = 0.5 * (double)(w - 1), cy = 0.5 * (double)(h - 1);
    double coef[3];
    uint64_t nvalid;
    fit_plane(L, mask, cx, cy, coef, &nvalid);
    if (nvalid < 16)
        return scar__fail(SCAR_E_INVALID,
                          "%s: only %llu valid pixels; need at least 16", fn,
                          (unsigned long long)nvalid);

    size_t wc = (size_t)w / 2 + 1;
    float *in = fftwf_malloc((size_t)w * h * sizeof *in);
    fftwf_complex *out = fftwf_malloc(wc * h * sizeof *out);
    double *win_x = malloc((size_t)w * sizeof *win_x);
    double *win_y = malloc((size_t)h * sizeof *win_y);
    if (!in || !out || !win_x || !win_y) {
        fftwf_free(in);
        fftwf_free(out);
        free(win_x);
        free(win_y);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for a %ux%u FFT",
                          fn, w, h);
    }

    scar__fftw_lock();
    fftwf_plan plan = fftwf_plan_dft_r2c_2d((int)h, (int)w, in, out,
                                            FFTW_ESTIMATE);
    scar__fftw_unlock();
    if (!plan) {
        fftwf_free(in);
        fftwf_free(out);
        free(win_x);
        free(win_y);
        return scar__fail(SCAR_E_INTERNAL,
                          "%s: FFTW could not plan a %ux%u transform", fn, w,
                          h);
    }

    const double pi = 3.14159265358979323846;
    for (uint32_t x = 0; x < w; x++) {
        double s = sin(pi * ((double)x + 0.5) / (double)w);
        win_x[x] = s * s;
    }
    for (uint32_t y = 0; y < h; y++) {
        double s = sin(pi * ((double)y + 0.5) / (double)h);
        win_y[y] = s * s;
    }
    for (uint32_t y = 0; y < h; y++) {
        const float *row = scar__planef_row(L, y);
        const uint8_t *m = mask ? scar__mask_row(mask, y) : NULL;
        float *dst = in + (size_t)y * w;
        double yc = (double)y - cy;
        for (uint32_t x = 0; x < w; x++) {
            if ((m && !m[x]) || !isfinite(row[x])) {
                dst[x] = 0.0f;
                continue;
            }
            double res = (double)row[x] - coef[0] -
                         coef[1] * ((double)x - cx) - coef[2] * yc;
            dst[x] = (float)(res * win_x[x] * win_y[y]);
        }
    }
    fftwf_execute_dft_r2c(plan, in, out);

    double fmin = 1.0 / band->hi_mm, fmax = 1.0 / band->lo_mm;
    double fsplit = 1.0 / band->split_mm;
    double p_total = 0, p_high = 0;
    for (uint32_t ky = 0; ky < h; ky++) {
        double fy = (double)(ky <= h / 2 ? (long)ky : (long)ky - (long)h) /
                    (double)h;
        const fftwf_complex *row = out + (size_t)ky * wc;
        for (size_t kx = 0; kx < wc; kx++) {
            double fx = (double)kx / (double)w;
            double f = sqrt(fx * fx + fy * fy) * band->px_per_mm;
            if (f < fmin || f > fmax)
                continue;
            /* kx = 0 and (even w) kx = w/2 are their own conjugates. */
            double mult = (kx == 0 || (w % 2 == 0 && kx == w / 2)) ? 1 : 2;
            double re = row[kx][0], im = row[kx][1];
            double p = mult * (re * re + im * im);
            p_total += p;
            if (f >= fsplit)
                p_high += p;
        }
    }

    scar__fftw_lock();
    fftwf_destroy_plan(plan);
    scar__fftw_unlock();
    fftwf_free(in);
    fftwf_free(out);
    free(win_x);
    free(win_y);
    *ratio = p_total > 0 ? p_high / p_total : NAN;
    return SCAR_OK;
}
