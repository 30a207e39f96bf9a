/* scene.c — the skin surface as it is: relief, pigment, lesions, hairs, seen
 * under even light. This "clean render" is where the truth is measured. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "lesion.h"
#include "noise.h"

#define LN10 2.302585092994046
#define TWO_PI 6.283185307179586

/* Micro-relief: fBm of skin furrows and plateaus, 0.15-2 mm wavelengths,
 * a few tens of micrometres high (skin surface profilometry: Ra ~ 10-30 um,
 * Lagarde et al., Skin Res Technol 2001). */
static int relief(phantom *ph, scene *sc)
{
    uint32_t w = ph->p.width, h = ph->p.height;
    double ppm = ph->p.px_per_mm;
    prng r;
    prng_init(&r, ph->p.seed, STREAM_RELIEF);
    double amp = prng_range(&r, 0.008, 0.020);
    noise_fbm f;
    if (noise_fbm_init(&f, &r, w, h, 2.0 * ppm, 0.15 * ppm, 0.6))
        return -1;
    for (uint32_t y = 0; y < h; y++) {
        float *row = sc->height + (size_t)y * w;
        noise_fbm_row(&f, y, 0, w, row);
        for (uint32_t x = 0; x < w; x++)
            row[x] *= (float)amp;
    }
    noise_fbm_free(&f);
    return 0;
}

/* Pores: Poisson-distributed pits, 0.1-0.3 mm across, 15-40 um deep
 * (facial pore density ~0.3-1 per mm^2). A pit of half-depth radius a is a
 * Gaussian of sigma = a / sqrt(2 ln 2). */
static void pores(phantom *ph, scene *sc)
{
    uint32_t w = ph->p.width, h = ph->p.height;
    double ppm = ph->p.px_per_mm;
    prng r;
    prng_init(&r, ph->p.seed, STREAM_PORES);
    double density = prng_range(&r, 0.3, 1.0);
    double area = (double)w * h / (ppm * ppm);
    long n = (long)(density * area);
    for (long i = 0; i < n; i++) {
        double cx = prng_range(&r, 0.0, w), cy = prng_range(&r, 0.0, h);
        double a = prng_range(&r, 0.05, 0.15) * ppm;
        double depth = prng_range(&r, 0.015, 0.04);
        double sig = a / 1.1774100225154747;
        double inv = 1.0 / (2.0 * sig * sig);
        int rad = (int)ceil(3.0 * sig);
        int x0 = (int)cx - rad, x1 = (int)cx + rad, y0 = (int)cy - rad, y1 = (int)cy + rad;
        if (x0 < 0) x0 = 0;
        if (y0 < 0) y0 = 0;
        if (x1 >= (int)w) x1 = (int)w - 1;
        if (y1 >= (int)h) y1 = (int)h - 1;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                sc->height[(size_t)y * w + x] -= (float)(depth * exp(-(dx * dx + dy * dy) * inv));
            }
    }
}

/* Lesions: contrast profile g, labels where g >= 1/2 (rho <= 1), relief. */
static int lesions(phantom *ph, scene *sc)
{
    uint32_t w = ph->p.width, h = ph->p.height;
    double ppm = ph->p.px_per_mm;
    prng r;
    prng_init(&r, ph->p.seed, STREAM_LESION_MOD);
    noise_fbm mod;
    /* Patches are not uniform inside: mottled at 0.5-3 mm. */
    if (noise_fbm_init(&mod, &r, w, h, 3.0 * ppm, 0.5 * ppm, 0.6))
        return -1;
    for (int i = 0; i < ph->n_lesions; i++) {
        const phantom_lesion *l = &ph->les[i];
        double t = l->tail_px;
        int x0 = (int)floor(l->cx - t), x1 = (int)ceil(l->cx + t);
        int y0 = (int)floor(l->cy - t), y1 = (int)ceil(l->cy + t);
        if (x0 < 0) x0 = 0;
        if (y0 < 0) y0 = 0;
        if (x1 >= (int)w) x1 = (int)w - 1;
        if (y1 >= (int)h) y1 = (int)h - 1;
        int relief_kind = lesion_is_relief(l->kind);
        int striae = lesion_is_striae(l->kind);
        double c = cos(l->rot), s = sin(l->rot);
        double period = (0.3 + 0.5 * l->harm_ph[3] / TWO_PI) * ppm;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5, py = y + 0.5;
                double rho = lesion_rho(l, px, py);
                double g = lesion_profile(l, rho);
                if (g < 0.002)
                    continue;
                size_t k = (size_t)y * w + x;
                sc->lesion_ix[k] = (uint8_t)(i + 1);
                if (rho <= 1.0)
                    ph->labels[k] = (uint16_t)l->id;
                /* Inner mottling fades out before the outline so the edge
                 * profile (and thus the truth outline) is exactly g. */
                double s_in = rho < 0.7 ? 1.0 : rho > 0.9 ? 0.0 : (0.9 - rho) / 0.2;
                double m01 = 0.5 + 0.5 * noise_fbm_at(&mod, px, py);
                m01 = m01 < 0.0 ? 0.0 : m01 > 1.0 ? 1.0 : m01;
                sc->lesion_g[k] = (float)(g * (1.0 - 0.25 * m01 * s_in));
                float *hp = &sc->height[k];
                if (relief_kind) {
                    /* Scar tissue has no pores and a flatter surface. */
                    *hp = (float)(*hp * (1.0 - 0.7 * g) - l->depth_mm * g);
                } else if (striae) {
                    /* Slightly depressed band with fine transverse wrinkles. */
                    double u = c * (px - l->cx) + s * (py - l->cy);
                    double wr = 0.05 * l->depth_mm * sin(TWO_PI * u / period);
                    *hp = (float)(*hp * (1.0 - 0.5 * g) - (l->depth_mm + wr) * g);
                }
            }
    }
    noise_fbm_free(&mod);
    return 0;
}

static double dist_to_segment(double px, double py, double ax, double ay,
                              double bx, double by)
{
    double vx = bx - ax, vy = by - ay, wx = px - ax, wy = py - ay;
    double l2 = vx * vx + vy * vy;
    double t = l2 > 0 ? (wx * vx + wy * vy) / l2 : 0.0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double dx = wx - t * vx, dy = wy - t * vy;
    return sqrt(dx * dx + dy * dy);
}

/* Fine hairs: curved strands 3-15 mm long, 30-80 um thick, antialiased by
 * coverage. Pixels more than a quarter covered are excluded from truth. */
static void hairs(phantom *ph, scene *sc)
{
    uint32_t w = ph->p.width, h = ph->p.height;
    double ppm = ph->p.px_per_mm;
    prng r;
    prng_init(&r, ph->p.seed, STREAM_HAIRS);
    for (int i = 0; i < ph->p.hairs; i++) {
        enum { SEG = 16 };
        double pxs[SEG + 1], pys[SEG + 1];
        double len = prng_range(&r, 3.0, 15.0) * ppm;
        double ang = prng_range(&r, 0.0, TWO_PI), curv = prng_range(&r, -1.5, 1.5) / len;
        double hw = 0.5 * prng_range(&r, 0.03, 0.08) * ppm;
        pxs[0] = prng_range(&r, 0.0, w);
        pys[0] = prng_range(&r, 0.0, h);
        double minx = pxs[0], maxx = pxs[0], miny = pys[0], maxy = pys[0];
        for (int k = 1; k <= SEG; k++) {
            ang += curv * len / SEG;
            pxs[k] = pxs[k - 1] + cos(ang) * len / SEG;
            pys[k] = pys[k - 1] + sin(ang) * len / SEG;
            minx = fmin(minx, pxs[k]), maxx = fmax(maxx, pxs[k]);
            miny = fmin(miny, pys[k]), maxy = fmax(maxy, pys[k]);
        }
        int x0 = (int)floor(minx - hw - 2), x1 = (int)ceil(maxx + hw + 2);
        int y0 = (int)floor(miny - hw - 2), y1 = (int)ceil(maxy + hw + 2);
        if (x0 < 0) x0 = 0;
        if (y0 < 0) y0 = 0;
        if (x1 >= (int)w) x1 = (int)w - 1;
        if (y1 >= (int)h) y1 = (int)h - 1;
        /* Coverage of a pixel by a strand of half-width hw at distance d:
         * a box-filtered line, at most 2 hw for strands thinner than 1 px. */
        double peak = fmin(1.0, 2.0 * hw);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                double d = 1e30;
                for (int k = 0; k < SEG; k++)
                    d = fmin(d, dist_to_segment(x + 0.5, y + 0.5, pxs[k], pys[k],
                                                pxs[k + 1], pys[k + 1]));
                double a = (fmax(hw, 0.5) + 0.5 - d);
                a = a < 0 ? 0 : a > 1 ? 1 : a;
                a *= peak;
                size_t k = (size_t)y * w + x;
                if (a > sc->hair_alpha[k])
                    sc->hair_alpha[k] = (float)a;
                if (a > 0.25)
                    ph->excluded[k] = 1;
            }
    }
}

/* Three passes of a running box filter of radius rad approximate a Gaussian
 * of sigma ~ rad (Wells, IEEE PAMI 1986). Edges are clamped. */
static int box_blur3(const float *src, float *dst, uint32_t w, uint32_t h, int rad)
{
    size_t m = w > h ? w : h;
    double *line = malloc(m * sizeof(double));
    double *tmp = malloc(m * sizeof(double));
    if (!line || !tmp) {
        free(line);
        free(tmp);
        return -1;
    }
    memcpy(dst, src, (size_t)w * h * sizeof(float));
    for (int dir = 0; dir < 2; dir++) {
        uint32_t n = dir ? h : w, lines = dir ? w : h;
        size_t step = dir ? w : 1, lstep = dir ? 1 : w;
        for (uint32_t j = 0; j < lines; j++) {
            float *p = dst + j * lstep;
            for (uint32_t i = 0; i < n; i++)
                line[i] = p[i * step];
            for (int pass = 0; pass < 3; pass++) {
                double acc = 0.0;
                for (int i = -rad; i <= rad; i++)
                    acc += line[i < 0 ? 0 : (uint32_t)i >= n ? n - 1 : (uint32_t)i];
                for (uint32_t i = 0; i < n; i++) {
                    tmp[i] = acc / (2 * rad + 1);
                    long out = (long)i - rad, in = (long)i + rad + 1;
                    acc += line[in >= (long)n ? n - 1 : (size_t)in] -
                           line[out < 0 ? 0 : (size_t)out];
                }
                memcpy(line, tmp, n * sizeof(double));
            }
            for (uint32_t i = 0; i < n; i++)
                p[i * step] = (float)line[i];
        }
    }
    free(line);
    free(tmp);
    return 0;
}

/* The REAL texture (phantom_texture): real skin photographed varies more
 * than the mottling above, and mostly at finer scales. Measured with
 * bench/accuracy/texture.py (calm-skin robust sd of the residual at the
 * analysis' 5 px/mm, as is / smoothed 0.5 mm / 1.5 mm), the 26 acne-scar
 * photos give L* 2.55 / 1.54 / 1.00, a* 1.24 / 0.83 / 0.50, b* 1.36 /
 * 0.83 / 0.44, the CLEAN phantoms 0.96 / 0.69 / 0.43, 0.30 / 0.37 / 0.29,
 * 0.16 / 0.15 / 0.10 (docs/accuracy.md). REAL multiplies the mottling and
 * the blush and adds three fields, set on 12 phantoms (seeds
 * 1000-1011, 800 x 600) to L* 2.53 / 1.60 / 0.96, a* 1.27 / 0.88 / 0.51,
 * b* 1.28 / 0.91 / 0.43:
 * - fine pigment (freckle dots, follicular pigment) and fine blood
 *   (capillary dots): melanin and haemoglobin OD fields, 0.6 -> 0.1 mm;
 * - a yellow absorber (eps 0, 0.1, 1: carotenoid-like, absorbing blue),
 *   2.5 -> 0.1 mm: in the real photos b* varies on its own (its
 *   correlation with a* is 0.10, its slope on L* -0.13), which neither
 *   melanin nor blood does. */
#define REAL_MELANIN_GAIN 2.2
#define REAL_BLOOD_GAIN 1.8
#define FINE_MELANIN_OD 0.04
#define FINE_BLOOD_OD 0.016
#define YELLOW_OD 0.025
static const double eps_yellow[3] = {0.0, 0.1, 1.0};

typedef struct real_texture {
    int on;
    uint32_t w;
    noise_fbm mel, hb, yel;
    float *rm, *rh, *ry; /* the current row of each */
} real_texture;

static void real_texture_free(real_texture *t)
{
    if (!t->on)
        return;
    noise_fbm_free(&t->mel);
    noise_fbm_free(&t->hb);
    noise_fbm_free(&t->yel);
    free(t->rm);
    free(t->rh);
    free(t->ry);
    t->on = 0;
}

/* Sets up the REAL texture's fields from their own stream (so CLEAN
 * phantoms are rendered exactly as before); t->on = 0 for CLEAN. */
static int real_texture_init(const phantom *ph, real_texture *t)
{
    memset(t, 0, sizeof *t);
    if (ph->p.texture != PHANTOM_TEXTURE_REAL)
        return 0;
    uint32_t w = ph->p.width, h = ph->p.height;
    double ppm = ph->p.px_per_mm;
    prng r;
    prng_init(&r, ph->p.seed, STREAM_TEXTURE);
    if (noise_fbm_init(&t->mel, &r, w, h, 0.6 * ppm, 0.1 * ppm, 0.8))
        return -1;
    if (noise_fbm_init(&t->hb, &r, w, h, 0.6 * ppm, 0.1 * ppm, 0.8)) {
        noise_fbm_free(&t->mel);
        return -1;
    }
    if (noise_fbm_init(&t->yel, &r, w, h, 2.5 * ppm, 0.1 * ppm, 0.8)) {
        noise_fbm_free(&t->mel);
        noise_fbm_free(&t->hb);
        return -1;
    }
    t->on = 1;
    t->w = w;
    t->rm = malloc(w * sizeof(float));
    t->rh = malloc(w * sizeof(float));
    t->ry = malloc(w * sizeof(float));
    if (!t->rm || !t->rh || !t->ry) {
        real_texture_free(t);
        return -1;
    }
    return 0;
}

static void real_texture_row(real_texture *t, uint32_t y)
{
    if (!t->on)
        return;
    uint32_t w = t->w;
    noise_fbm_row(&t->mel, y, 0, w, t->rm);
    noise_fbm_row(&t->hb, y, 0, w, t->rh);
    noise_fbm_row(&t->yel, y, 0, w, t->ry);
}

/* The fields' optical density at column x of the current row, channel c. */
static double real_texture_od(const real_texture *t, uint32_t x, int c)
{
    return FINE_MELANIN_OD * t->rm[x] * lesion_eps_melanin[c] +
           FINE_BLOOD_OD * t->rh[x] * lesion_eps_hb[c] +
           YELLOW_OD * t->ry[x] * eps_yellow[c];
}

int scene_render(phantom *ph, scene *sc)
{
    uint32_t w = ph->p.width, h = ph->p.height;
    double ppm = ph->p.px_per_mm;
    if (relief(ph, sc))
        return -1;
    pores(ph, sc);
    if (lesions(ph, sc))
        return -1;
    hairs(ph, sc);

    prng lr;
    prng_init(&lr, ph->p.seed, STREAM_LIGHT);
    ph->light_elev_deg = prng_range(&lr, 30.0, 60.0);
    ph->light_azim_deg = prng_range(&lr, 0.0, 360.0);
    ph->ambient = prng_range(&lr, 0.25, 0.45);
    double el = ph->light_elev_deg * TWO_PI / 360.0, az = ph->light_azim_deg * TWO_PI / 360.0;
    double lx = cos(el) * cos(az), ly = cos(el) * sin(az), lz = sin(el);

    /* Pigment: melanin mottling (more on darker skin) and vascular blush. */
    prng pr;
    prng_init(&pr, ph->p.seed, STREAM_PIGMENT);
    noise_fbm mel, hb;
    if (noise_fbm_init(&mel, &pr, w, h, 8.0 * ppm, 0.3 * ppm, 0.65))
        return -1;
    if (noise_fbm_init(&hb, &pr, w, h, 6.0 * ppm, 0.8 * ppm, 0.6)) {
        noise_fbm_free(&mel);
        return -1;
    }
    double mel_amp = 0.01 + 0.03 * ph->melanin, hb_amp = 0.012;
    real_texture rt;
    if (real_texture_init(ph, &rt)) {
        noise_fbm_free(&mel);
        noise_fbm_free(&hb);
        return -1;
    }
    if (rt.on) {
        mel_amp *= REAL_MELANIN_GAIN;
        hb_amp *= REAL_BLOOD_GAIN;
    }
    double hair_lin[3];
    double hair_dark = prng_range(&pr, 1.0, 3.0);
    hair_lin[0] = 0.020 * hair_dark, hair_lin[1] = 0.014 * hair_dark, hair_lin[2] = 0.010 * hair_dark;

    /* Ambient occlusion: a pit sees less of the diffuse light, darkening it
     * in proportion to its depth below the surrounding surface (a
     * height-field approximation of ambient occlusion, cf. Bavoil & Sainz
     * 2008); kappa = 2 per mm. */
    float *blur = malloc((size_t)w * h * sizeof(float));
    float *rm = malloc(w * sizeof(float)), *rh = malloc(w * sizeof(float));
    srgb_lut *lut = malloc(sizeof *lut);
    int rc = -1;
    if (!blur || !rm || !rh || !lut)
        goto out;
    srgb_lut_init(lut);
    int rad = (int)lround(0.75 * ppm);
    if (rad < 1) rad = 1;
    if (box_blur3(sc->height, blur, w, h, rad))
        goto out;

    for (uint32_t y = 0; y < h; y++) {
        noise_fbm_row(&mel, y, 0, w, rm);
        noise_fbm_row(&hb, y, 0, w, rh);
        real_texture_row(&rt, y);
        const float *H = sc->height + (size_t)y * w;
        const float *Hu = y > 0 ? H - w : H, *Hd = y + 1 < h ? H + w : H;
        double yspan = (y > 0 && y + 1 < h) ? 2.0 : 1.0;
        for (uint32_t x = 0; x < w; x++) {
            size_t k = (size_t)y * w + x;
            double od[3];
            int li = sc->lesion_ix[k];
            for (int c = 0; c < 3; c++) {
                od[c] = sc->od_base[c] + mel_amp * rm[x] * lesion_eps_melanin[c] +
                        hb_amp * rh[x] * lesion_eps_hb[c];
                if (rt.on)
                    od[c] += real_texture_od(&rt, x, c);
                if (li)
                    od[c] += sc->lesion_g[k] * ph->les[li - 1].dod[c];
            }
            /* Lambertian shading of the relief, normalised so flat skin is 1;
             * ambient keeps shadowed walls from going black. */
            uint32_t xl = x > 0 ? x - 1 : x, xr = x + 1 < w ? x + 1 : x;
            double hx = (H[xr] - H[xl]) / (double)(xr - xl) * ppm;
            double hy = (Hd[x] - Hu[x]) / yspan * ppm;
            double ndotl = (-hx * lx - hy * ly + lz) / sqrt(1.0 + hx * hx + hy * hy);
            double shade = ph->ambient + (1.0 - ph->ambient) * fmax(0.0, ndotl) / lz;
            double ao = exp(-2.0 * fmax(0.0, blur[k] - H[x]));
            double a = sc->hair_alpha[k];
            for (int c = 0; c < 3; c++) {
                double refl = exp(-LN10 * od[c]);
                refl = refl * (1.0 - a) + hair_lin[c] * a;
                double v = refl * shade * ao;
                sc->clean_lin[3 * k + c] = (float)v;
                double e = srgb_lut_encode(lut, v);
                ph->clean[3 * k + c] = (uint16_t)lround(e * 65535.0);
            }
        }
    }
    rc = 0;
out:
    free(lut);
    free(blur);
    free(rm);
    free(rh);
    noise_fbm_free(&mel);
    noise_fbm_free(&hb);
    real_texture_free(&rt);
    return rc;
}
