/* chromophore.c — melanin / haemoglobin decomposition in optical-density
 * space, after N. Tsumura, H. Haneishi, Y. Miyake, "Independent-component
 * analysis of skin color image", JOSA A 16(9):2169-2176, 1999, and
 * N. Tsumura et al., "Image-based skin color and texture analysis/synthesis
 * by extracting hemoglobin and melanin information in the skin", ACM Trans.
 * Graph. 22(3) (SIGGRAPH 2003):770-779.
 *
 * Model: od = -ln(linear RGB) = m*melanin + h*haemoglobin + s*(1,1,1) (+ a
 * constant); the shading s is the component along (1,1,1) (Tsumura 2003,
 * section 3), so solving the 3x3 system for (m, h, s) and dropping s removes
 * it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "color_internal.h"
#include "error.h"

/* Default absorbance vectors, unit length (derivation in docs/color.md):
 * melanin: mu_a ~ lambda^-3.33 (S. L. Jacques, "Skin optics", OMLC News
 * 1998) at 600, 540, 450 nm, typical peak sensitivities of camera R, G, B;
 * haemoglobin: oxy-haemoglobin molar extinction 3200, 53236, 62816 cm^-1/M
 * at the same wavelengths (S. Prahl, OMLC tabulation of Gratzer & Kollias
 * data, 1999). */
static const double default_melanin[3] = {0.31926475141245964,
                                          0.4534437458578002,
                                          0.8321410865039577};
static const double default_haemoglobin[3] = {0.038833803141733396,
                                              0.6460488575166622,
                                              0.7623075556722265};

void scar_chromophore_options_init(scar_chromophore_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->struct_size = sizeof *opts;
    memcpy(opts->melanin, default_melanin, sizeof default_melanin);
    memcpy(opts->haemoglobin, default_haemoglobin, sizeof default_haemoglobin);
}

/* Accept NULL (defaults) or a struct whose struct_size covers all fields we
 * read (this version has no later optional fields). */
static int resolve_options(const char *fn, const scar_chromophore_options *in,
                           scar_chromophore_options *out)
{
    scar_chromophore_options_init(out);
    if (!in)
        return SCAR_OK;
    if (in->struct_size != sizeof *in)
        return scar__fail(SCAR_E_VERSION,
                          "%s: opts->struct_size is %u, expected %zu; "
                          "initialise options with "
                          "scar_chromophore_options_init()",
                          fn, in->struct_size, sizeof *in);
    *out = *in;
    return SCAR_OK;
}

int scar__chromophore_solver(const char *fn, const double mel[3],
                             const double hb[3], double inv[2][3])
{
    /* Columns of the system matrix: melanin, haemoglobin, (1,1,1). The two
     * needed rows of its inverse are cofactors / determinant. */
    double m[3][3] = {{mel[0], hb[0], 1.0}, {mel[1], hb[1], 1.0},
                      {mel[2], hb[2], 1.0}};
    double c00 = m[1][1] * m[2][2] - m[1][2] * m[2][1];
    double c10 = m[0][2] * m[2][1] - m[0][1] * m[2][2];
    double c20 = m[0][1] * m[1][2] - m[0][2] * m[1][1];
    double det = m[0][0] * c00 + m[1][0] * c10 + m[2][0] * c20;
    double scale = (fabs(mel[0]) + fabs(mel[1]) + fabs(mel[2])) *
                   (fabs(hb[0]) + fabs(hb[1]) + fabs(hb[2]));
    if (!(fabs(det) > 1e-9 * scale) || !isfinite(det))
        return scar__fail(SCAR_E_INVALID,
                          "%s: the melanin and haemoglobin vectors are "
                          "degenerate (parallel to each other or to (1,1,1), "
                          "or not finite); pass two independent vectors",
                          fn);
    inv[0][0] = c00 / det;
    inv[0][1] = c10 / det;
    inv[0][2] = c20 / det;
    inv[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det;
    inv[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det;
    inv[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det;
    return SCAR_OK;
}

static double od_of(double lin)
{
    return -log(lin < SCAR_REFLECTANCE_FLOOR ? SCAR_REFLECTANCE_FLOOR : lin);
}

int scar_chromophores(const double linear_rgb[3],
                      const scar_chromophore_options *opts, double *melanin,
                      double *haemoglobin)
{
    static const char fn[] = "scar_chromophores";
    if (!linear_rgb)
        return scar__fail(SCAR_E_INVALID, "%s: linear_rgb is NULL", fn);
    scar_chromophore_options o;
    int st = resolve_options(fn, opts, &o);
    double inv[2][3];
    if (st || (st = scar__chromophore_solver(fn, o.melanin, o.haemoglobin, inv)))
        return st;
    double od[3] = {od_of(linear_rgb[0]), od_of(linear_rgb[1]),
                    od_of(linear_rgb[2])};
    if (melanin)
        *melanin = inv[0][0] * od[0] + inv[0][1] * od[1] + inv[0][2] * od[2];
    if (haemoglobin)
        *haemoglobin = inv[1][0] * od[0] + inv[1][1] * od[1] + inv[1][2] * od[2];
    return SCAR_OK;
}

/* Per-call code -> optical density table (2^depth floats). */
float *scar__od_table(uint32_t depth)
{
    size_t n = (size_t)1 << depth;
    float *t = malloc(n * sizeof *t);
    if (t)
        for (size_t i = 0; i < n; i++)
            t[i] = (float)od_of(scar_srgb_to_linear((double)i / (double)(n - 1)));
    return t;
}

/* Orthonormal basis of the plane orthogonal to (1,1,1), the "skin colour
 * plane" once shading is projected out. */
#define S2 0.70710678118654752440
#define S6 0.40824829046386301637
static void to_plane(const double v[3], double p[2])
{
    p[0] = (v[0] - v[1]) * S2;
    p[1] = (v[0] + v[1] - 2.0 * v[2]) * S6;
}

/* Sum of |excess kurtosis| of the two whitened components rotated by t,
 * from the fourth-order moments of the whitened data (so each angle costs
 * O(1)). mom = E[z1^4], E[z1^3 z2], E[z1^2 z2^2], E[z1 z2^3], E[z2^4]. */
static double kurtosis_contrast(const double mom[5], double t)
{
    double c = cos(t), s = sin(t);
    double k1 = c * c * c * c * mom[0] + 4 * c * c * c * s * mom[1] +
                6 * c * c * s * s * mom[2] + 4 * c * s * s * s * mom[3] +
                s * s * s * s * mom[4] - 3.0;
    /* second component: rotation by t + 90° (c -> -s, s -> c) */
    double k2 = s * s * s * s * mom[0] - 4 * s * s * s * c * mom[1] +
                6 * s * s * c * c * mom[2] - 4 * s * c * c * c * mom[3] +
                c * c * c * c * mom[4] - 3.0;
    return fabs(k1) + fabs(k2);
}

#define EST_MAX_SAMPLES 65536u
#define EST_MIN_SAMPLES 64u

int scar_chromophore_estimate(const scar_image *img, const uint8_t *mask,
                              size_t mask_stride,
                              const scar_chromophore_options *opts,
                              double melanin_out[3], double haemoglobin_out[3])
{
    static const char fn[] = "scar_chromophore_estimate";
    if (!melanin_out || !haemoglobin_out)
        return scar__fail(SCAR_E_INVALID, "%s: output vector is NULL", fn);
    int st = scar__color_check_image(fn, img, mask, mask_stride,
                                     img ? scar_image_width(img) : 0);
    if (st)
        return st;
    scar_chromophore_options o;
    double inv[2][3];
    if ((st = resolve_options(fn, opts, &o)) ||
        (st = scar__chromophore_solver(fn, o.melanin, o.haemoglobin, inv)))
        return st;

    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    uint32_t ch = scar_image_channels(img), depth = scar_image_bit_depth(img);
    size_t pb = (size_t)ch * (depth / 8);
    /* Regular grid: the smallest step keeping at most EST_MAX_SAMPLES
     * pixels, so the result is deterministic. */
    uint32_t step = 1;
    while ((uint64_t)((w + step - 1) / step) * ((h + step - 1) / step) >
           EST_MAX_SAMPLES)
        step++;
    float *t = scar__od_table(depth);
    double *pts = malloc(2 * EST_MAX_SAMPLES * sizeof *pts);
    if (!t || !pts) {
        free(t);
        free(pts);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for samples", fn);
    }
    size_t n = 0;
    for (uint32_t y = 0; y < h; y += step) {
        const uint8_t *row = scar_image_row(img, y);
        for (uint32_t x = 0; x < w; x += step) {
            if (mask && !mask[(size_t)y * mask_stride + x])
                continue;
            uint32_t cr[SCAR__COLOR_BLOCK], cg[SCAR__COLOR_BLOCK],
                cb[SCAR__COLOR_BLOCK];
            scar__gather_codes(row + (size_t)x * pb, ch, depth, 1, cr, cg, cb);
            double od[3] = {t[cr[0]], t[cg[0]], t[cb[0]]};
            to_plane(od, pts + 2 * n);
            n++;
        }
    }
    free(t);
    if (n < EST_MIN_SAMPLES) {
        free(pts);
        return scar__fail(SCAR_E_INVALID,
                          "%s: only %zu pixels selected (sampling step %u); "
                          "need at least %u: use a larger mask or image",
                          fn, n, step, EST_MIN_SAMPLES);
    }
    /* Centre and whiten (PCA of the 2x2 covariance). */
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += pts[2 * i];
        my += pts[2 * i + 1];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, sxy = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = pts[2 * i] - mx, dy = pts[2 * i + 1] - my;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    sxx /= (double)n;
    sxy /= (double)n;
    syy /= (double)n;
    double tr = sxx + syy, dt = sxx * syy - sxy * sxy;
    double disc = sqrt(fmax(0.25 * tr * tr - dt, 0.0));
    double l1 = 0.5 * tr + disc, l2 = 0.5 * tr - disc;
    if (!(l2 > 1e-12 * (l1 > 0 ? l1 : 1.0)) || !(l2 > 1e-14)) {
        free(pts);
        return scar__fail(SCAR_E_INVALID,
                          "%s: the selected pixels have no spread in two "
                          "directions of the skin-colour plane (uniform or "
                          "one-dimensional colours); use the default vectors",
                          fn);
    }
    /* Eigenvector of l1: (sxy, l1 - sxx) or (l1 - syy, sxy). */
    double e1x = l1 - syy, e1y = sxy;
    if (hypot(e1x, e1y) < 1e-300) {
        e1x = 1.0;
        e1y = 0.0;
    }
    double en = hypot(e1x, e1y);
    e1x /= en;
    e1y /= en;
    double e2x = -e1y, e2y = e1x;
    double s1 = sqrt(l1), s2 = sqrt(l2);
    double mom[5] = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        double dx = pts[2 * i] - mx, dy = pts[2 * i + 1] - my;
        double z1 = (e1x * dx + e1y * dy) / s1, z2 = (e2x * dx + e2y * dy) / s2;
        double z12 = z1 * z1, z22 = z2 * z2;
        mom[0] += z12 * z12;
        mom[1] += z12 * z1 * z2;
        mom[2] += z12 * z22;
        mom[3] += z1 * z2 * z22;
        mom[4] += z22 * z22;
    }
    free(pts);
    for (int k = 0; k < 5; k++)
        mom[k] /= (double)n;
    /* Rotations repeat every 90°: coarse search at 0.5°, refine to 0.005°. */
    const double deg = 3.14159265358979323846 / 180.0;
    double best = 0.0, bestv = -1.0;
    for (int k = 0; k < 180; k++) {
        double v = kurtosis_contrast(mom, k * 0.5 * deg);
        if (v > bestv) {
            bestv = v;
            best = k * 0.5 * deg;
        }
    }
    double c0 = best;
    for (int k = -100; k <= 100; k++) {
        double a = c0 + k * 0.005 * deg;
        double v = kurtosis_contrast(mom, a);
        if (v > bestv) {
            bestv = v;
            best = a;
        }
    }
    /* Source directions in the plane: columns of the mixing matrix
     * E * diag(s1, s2) * R(best)^T. */
    double c = cos(best), s = sin(best);
    double d[2][2];
    d[0][0] = e1x * s1 * c + e2x * s2 * s;
    d[0][1] = e1y * s1 * c + e2y * s2 * s;
    d[1][0] = -e1x * s1 * s + e2x * s2 * c;
    d[1][1] = -e1y * s1 * s + e2y * s2 * c;
    for (int k = 0; k < 2; k++) {
        double nn = hypot(d[k][0], d[k][1]);
        d[k][0] /= nn;
        d[k][1] /= nn;
    }
    /* Match to the given vectors by |cos| of the in-plane angles. */
    double pm[2], ph[2];
    to_plane(o.melanin, pm);
    to_plane(o.haemoglobin, ph);
    double nm = hypot(pm[0], pm[1]), nh = hypot(ph[0], ph[1]);
    double cm0 = (d[0][0] * pm[0] + d[0][1] * pm[1]) / nm;
    double ch1 = (d[1][0] * ph[0] + d[1][1] * ph[1]) / nh;
    double cm1 = (d[1][0] * pm[0] + d[1][1] * pm[1]) / nm;
    double ch0 = (d[0][0] * ph[0] + d[0][1] * ph[1]) / nh;
    int im = 0, ih = 1;
    if (fabs(cm1) + fabs(ch0) > fabs(cm0) + fabs(ch1)) {
        im = 1;
        ih = 0;
    }
    double sm = (d[im][0] * pm[0] + d[im][1] * pm[1]) < 0 ? -nm : nm;
    double sh = (d[ih][0] * ph[0] + d[ih][1] * ph[1]) < 0 ? -nh : nh;
    /* Back to RGB: in-plane part + the given vector's (1,1,1) part. */
    double mmean = (o.melanin[0] + o.melanin[1] + o.melanin[2]) / 3.0;
    double hmean = (o.haemoglobin[0] + o.haemoglobin[1] + o.haemoglobin[2]) / 3.0;
    double u[2] = {d[im][0] * sm, d[im][1] * sm};
    double v[2] = {d[ih][0] * sh, d[ih][1] * sh};
    melanin_out[0] = mmean + u[0] * S2 + u[1] * S6;
    melanin_out[1] = mmean - u[0] * S2 + u[1] * S6;
    melanin_out[2] = mmean - 2.0 * u[1] * S6;
    haemoglobin_out[0] = hmean + v[0] * S2 + v[1] * S6;
    haemoglobin_out[1] = hmean - v[0] * S2 + v[1] * S6;
    haemoglobin_out[2] = hmean - 2.0 * v[1] * S6;
    return SCAR_OK;
}

int scar_image_to_chromophores(const scar_image *img, const uint8_t *mask,
                               size_t mask_stride,
                               const scar_chromophore_options *opts,
                               float *melanin, float *haemoglobin,
                               size_t stride)
{
    static const char fn[] = "scar_image_to_chromophores";
    if (!melanin && !haemoglobin)
        return scar__fail(SCAR_E_INVALID,
                          "%s: both output planes are NULL; pass melanin or "
                          "haemoglobin",
                          fn);
    int st = scar__color_check_image(fn, img, mask, mask_stride, stride);
    if (st)
        return st;
    scar_chromophore_options o;
    if ((st = resolve_options(fn, opts, &o)))
        return st;
    if (o.estimate) {
        double em[3], eh[3];
        st = scar_chromophore_estimate(img, mask, mask_stride, &o, em, eh);
        if (st)
            return st;
        memcpy(o.melanin, em, sizeof em);
        memcpy(o.haemoglobin, eh, sizeof eh);
    }
    double inv[2][3];
    if ((st = scar__chromophore_solver(fn, o.melanin, o.haemoglobin, inv)))
        return st;
    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    uint32_t ch = scar_image_channels(img), depth = scar_image_bit_depth(img);
    size_t pb = (size_t)ch * (depth / 8);
    float *t = scar__od_table(depth);
    if (!t)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for the OD table",
                          fn);
    const float m0 = (float)inv[0][0], m1 = (float)inv[0][1],
                m2 = (float)inv[0][2];
    const float h0 = (float)inv[1][0], h1 = (float)inv[1][1],
                h2 = (float)inv[1][2];
    uint32_t cr[SCAR__COLOR_BLOCK], cg[SCAR__COLOR_BLOCK], cb[SCAR__COLOR_BLOCK];
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *row = scar_image_row(img, y);
        const uint8_t *mrow = mask ? mask + (size_t)y * mask_stride : NULL;
        float *mo = melanin ? melanin + (size_t)y * stride : NULL;
        float *ho = haemoglobin ? haemoglobin + (size_t)y * stride : NULL;
        for (uint32_t x0 = 0; x0 < w; x0 += SCAR__COLOR_BLOCK) {
            size_t n = w - x0 < SCAR__COLOR_BLOCK ? w - x0 : SCAR__COLOR_BLOCK;
            scar__gather_codes(row + (size_t)x0 * pb, ch, depth, n, cr, cg, cb);
            for (size_t i = 0; i < n; i++) {
                int sel = !mrow || mrow[x0 + i];
                float r = t[cr[i]], g = t[cg[i]], b = t[cb[i]];
                if (mo)
                    mo[x0 + i] = sel ? m0 * r + m1 * g + m2 * b : NAN;
                if (ho)
                    ho[x0 + i] = sel ? h0 * r + h1 * g + h2 * b : NAN;
            }
        }
    }
    free(t);
    return SCAR_OK;
}
