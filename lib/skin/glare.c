/* glare.c — specular glare as an ADDITIVE, grey change of linear RGB.
 *
 * Dichromatic reflection model (Shafer 1985): the light reflected at the
 * skin surface (lipid film) has the illuminant's colour and ADDS to the body
 * reflection, so a highlight raises linear R, G and B by the same amount
 * (times the local illumination). A change of pigment (hypo-/hyper-
 * pigmentation, erythema) MULTIPLIES the body reflectance per channel, so
 * its change is proportional to the skin's own R > G > B. The test below
 * uses the smallest channel increase (what a grey addition must have in
 * every channel) and how equal the three increases are. Parameters and
 * measured effect: docs/skin.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "color/color_rows.h"
#include "error.h"
#include "filter/filter.h"
#include "morph/morph.h"
#include "scarscore.h"
#include "segment/robust.h"
#include "skin/large_patches.h"
#include "skin/skin.h"

#define GLARE_MODEL_SIGMA_MM 6.0  /* local skin level: the illumination only */
#define GLARE_SMOOTH_MM 0.1       /* noise; the smallest spot is ~0.5 mm */
#define GLARE_SEED_REL 0.12f      /* core: grey increase >= 12 % of skin level */
#define GLARE_SEED_WHITENESS 0.92f /* core: min/max channel increase */
#define GLARE_SEED_OPEN_MM 0.15   /* a core is a blob, not a noisy pixel */
#define GLARE_Z_LOW 2.5f          /* fringe: robust sd of the grey increase */
#define GLARE_WHITENESS 0.6f      /* fringe: min/max channel increase */
/* A specular lobe is peaked and grey: the area at >= 1/2 of its peak
 * increase is ln 2 / ln 4 = 0.5 of the area at >= 1/4 for a Gaussian lobe,
 * and most of it is white. A pigment patch (melanin loss multiplies the
 * body reflectance, which can look grey) is a plateau with a sharp edge
 * (0.7-0.9 for edges of profile exp(-ln2 rho^p), p 4-10) whose increase
 * is grey only in places. A glare component is released (skin again) when
 * its area at 1/2 of the peak is >= GLARE_PLATEAU of its area at 1/4 and
 * less than GLARE_PLATEAU_WHITE of it is white, provided its 1/4 level is
 * inside it (above the fringe threshold: a faint spot cut by the fringe
 * threshold looks flat) and it has >= GLARE_PLATEAU_MIN_PX pixels there
 * (docs/skin.md). */
#define GLARE_PLATEAU 0.55
#define GLARE_PLATEAU_WHITE 0.35
#define GLARE_PLATEAU_MIN_PX 12
/* On textured skin the fringe threshold (robust sd of the increase) rises
 * to 0.16-0.25 of the skin level and a pale patch's 1/4 level falls below
 * it, so the rule above cannot see its plateau. Such a component is
 * released all the same when it stands well clear of the fringe (peak >=
 * GLARE_PALE_PEAK x the threshold), is hardly white (under
 * GLARE_PALE_WHITE of its area at 1/2 of the peak) and does not touch the
 * photo's border, where a bright out-of-focus edge looks the same
 * (docs/skin.md, "Pale patches on textured skin"). */
#define GLARE_PALE_PEAK 2.0
#define GLARE_PALE_WHITE 0.2

/* Bits of the per-pixel whiteness tests kept between the passes (the
 * float whiteness itself is not stored). */
#define WHITE_SEED 1u
#define WHITE_FRINGE 2u

/* Removes from `glare` its 4-connected components that are pigment
 * plateaus, not specular lobes (GLARE_PLATEAU, GLARE_PLATEAU_WHITE): rel
 * is the smallest channel increase over the skin level, `white` marks the
 * pixels whose increase is grey (whiteness >= GLARE_SEED_WHITENESS), and
 * `comp` is scratch for the component labels. A component's peak is the
 * 95th percentile of its rel (a histogram of rel / max in
 * PLATEAU_BINS bins: the speckle of a lobe makes its max noisy). */
#define PLATEAU_BINS 64
static int drop_plateaus(const scar__planef *rel, const scar__mask *white,
                         float fringe, scar__labels *comp, const char *ctx,
                         scar__mask *glare)
{
    int32_t n = 0;
    int st = scar__label(glare, NULL, 4, comp, &n);
    if (st || n == 0)
        return st;
    float *peak = malloc((size_t)n * sizeof *peak);
    uint32_t *hist = calloc((size_t)n * PLATEAU_BINS, sizeof *hist);
    uint32_t *cnt = calloc((size_t)n * 3, sizeof *cnt);
    uint8_t *border = calloc((size_t)n, 1); /* touches the photo's edge */
    if (!peak || !hist || !cnt || !border) {
        free(peak);
        free(hist);
        free(cnt);
        free(border);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (glare shapes)",
                          ctx);
    }
    uint32_t w = glare->width, h = glare->height;
    for (int32_t k = 0; k < n; k++)
        peak[k] = 0.0f;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(comp, y);
        const float *r = scar__planef_row(rel, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x] > 0 && r[x] > peak[l[x] - 1])
                peak[l[x] - 1] = r[x];
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(comp, y);
        const float *r = scar__planef_row(rel, y);
        for (uint32_t x = 0; x < w; x++) {
            if (l[x] <= 0 || !(r[x] > 0.0f))
                continue;
            int32_t k = l[x] - 1;
            int b = (int)(r[x] / peak[k] * PLATEAU_BINS);
            if (b >= PLATEAU_BINS)
                b = PLATEAU_BINS - 1;
            hist[(size_t)k * PLATEAU_BINS + (size_t)b]++;
            cnt[3 * k]++;
        }
    }
    for (int32_t k = 0; k < n; k++) {
        /* upper edge of the bin holding the 95th percentile */
        const uint32_t *hk = hist + (size_t)k * PLATEAU_BINS;
        uint32_t above = 0, lim = cnt[3 * k] / 20;
        int b = PLATEAU_BINS - 1;
        while (b > 0 && above + hk[b] <= lim)
            above += hk[b--];
        peak[k] *= (float)(b + 1) / PLATEAU_BINS;
        cnt[3 * k] = 0;
    }
    /* per component: pixels at >= 1/2 and >= 1/4 of the peak, and the
     * white ones among the first */
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(comp, y);
        const float *r = scar__planef_row(rel, y);
        const uint8_t *wt = scar__mask_row(white, y);
        for (uint32_t x = 0; x < w; x++) {
            if (l[x] <= 0)
                continue;
            uint32_t *c = cnt + 3 * (l[x] - 1);
            float pk = peak[l[x] - 1];
            int hi = r[x] >= 0.5f * pk;
            c[0] += (uint32_t)hi;
            c[1] += r[x] >= 0.25f * pk;
            c[2] += (uint32_t)(hi && wt[x]);
            if (x == 0 || y == 0 || x + 1 == w || y + 1 == h)
                border[l[x] - 1] = 1;
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(comp, y);
        uint8_t *g = scar__mask_row(glare, y);
        for (uint32_t x = 0; x < w; x++) {
            if (l[x] <= 0)
                continue;
            const int32_t k = l[x] - 1;
            const uint32_t *c = cnt + 3 * k;
            /* the 1/4 level inside the component, or a pale patch whose
             * 1/4 level the texture hides (GLARE_PALE_*) */
            int seen = 0.25f * peak[k] > fringe ||
                       (peak[k] >= GLARE_PALE_PEAK * fringe && !border[k] &&
                        (double)c[2] < GLARE_PALE_WHITE * (double)c[0]);
            if (c[1] >= GLARE_PLATEAU_MIN_PX && seen &&
                (double)c[0] >= GLARE_PLATEAU * (double)c[1] &&
                (double)c[2] < GLARE_PLATEAU_WHITE * (double)c[0])
                g[x] = 0;
        }
    }
    free(peak);
    free(hist);
    free(cnt);
    free(border);
    return SCAR_OK;
}

int scar__glare_mask(scar__lab_planes *lab, const scar__mask *skin,
                     const scar__large_patches *large, double px_per_mm,
                     const char *ctx, scar__mask *out)
{
    const scar__large_patches *lp = large && large->count ? large : NULL;
    scar__planef cells[3] = {{0}}; /* healthy linear RGB of lp's cells */
    uint32_t w = lab->L.width, h = lab->L.height;
    /* Linear RGB, smoothed. G and B are formed in place of a* and b* (each
     * pixel's a*, b* are read before its G, B are written) and R in a new
     * plane that later becomes the score plane: 8 + 4 B/px less at the
     * peak (docs/performance.md, round 4). */
    scar__planef sm[3] = {{0}, lab->a, lab->b};
    scar__smooth_model model[3];
    memset(model, 0, sizeof model);
    scar__planef score = {0};
    scar__mask grey = {0}, seed = {0}, is_white = {0};
    float *mrow = NULL;          /* one row of each model */
    int st = scar__planef_alloc(w, h, ctx, &sm[0]);
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        const float *L = scar__planef_row(&lab->L, y);
        const float *A = scar__planef_row(&lab->a, y);
        const float *B = scar__planef_row(&lab->b, y);
        float *r = scar__planef_row(&sm[0], y);
        float *g = scar__planef_row(&sm[1], y);
        float *b = scar__planef_row(&sm[2], y);
        /* scar_lab_to_xyz + scar_xyz_to_linear_rgb, non-finite -> black */
        scar__lab_to_linear_rgb_row(L, A, B, w, r, g, b);
    }
    double sig_s = fmax(0.7, GLARE_SMOOTH_MM * px_per_mm);
    double sig_m = GLARE_MODEL_SIGMA_MM * px_per_mm;
    {
        /* one blur of the mask serves the three channels */
        const scar__planef *in3[3] = {&sm[0], &sm[1], &sm[2]};
        scar__planef *out3[3] = {&sm[0], &sm[1], &sm[2]};
        st = scar__gaussian_masked_n(in3, out3, 3, skin, sig_s, 0.0f, ctx);
    }
    /* the local skin level stays at reduced resolution (read row by row) */
    if (!st && lp)
        st = scar__large_patches_linear_rgb(lp, ctx, cells);
    for (int c = 0; c < 3 && !st; c++)
        st = scar__large_patches_model(lp, &cells[c], &sm[c], skin, skin,
                                       sig_m, ctx, &model[c]);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &seed);
    if (!st) {
        mrow = malloc((size_t)3 * w * sizeof *mrow);
        if (!mrow)
            st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (glare rows)", ctx);
    }
    if (st)
        goto done;
    /* rel = smallest channel increase relative to the skin level (score,
     * written over smoothed R: each pixel's R is read before its score is
     * written); whiteness = smallest / largest increase (1: grey) */
    score = sm[0];
    sm[0].data = NULL;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *s = scar__mask_row(skin, y);
        float *o = scar__planef_row(&score, y);
        uint8_t *wt = scar__mask_row(&seed, y);
        const float *smr[3], *mr[3];
        for (int c = 0; c < 3; c++) {
            scar__smooth_model_row(&model[c], y, mrow + (size_t)c * w);
            mr[c] = mrow + (size_t)c * w;
            smr[c] = scar__planef_row(c ? &sm[c] : &score, y);
        }
        for (uint32_t x = 0; x < w; x++) {
            float d[3], level = 0.0f;
            for (int c = 0; c < 3; c++) {
                float m = mr[c][x];
                d[c] = smr[c][x] - m;
                level += m / 3.0f;
            }
            float lo = fminf(d[0], fminf(d[1], d[2]));
            float hi = fmaxf(d[0], fmaxf(d[1], d[2]));
            float rel = level > 0.0f ? lo / level : 0.0f;
            o[x] = s[x] ? rel : NAN;
            float white = hi > 0.0f ? lo / hi : 0.0f;
            wt[x] = (uint8_t)((white >= GLARE_SEED_WHITENESS ? WHITE_SEED : 0u) |
                              (white >= GLARE_WHITENESS ? WHITE_FRINGE : 0u));
        }
    }
    for (int c = 0; c < 3; c++)
        scar__smooth_model_free(&model[c]);
    free(mrow);
    mrow = NULL;
    float med = 0.0f, mad = 0.0f;
    st = scar__median_mad(&score, skin, scar__stat_step(w, h), ctx, &med, &mad);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &grey);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &is_white);
    if (st)
        goto done;
    float sd = fmaxf((float)SCAR__MAD_TO_SIGMA * mad, 1e-4f);
    /* seeds: the spot's core, nearly white; fringe: a significant grey
     * increase connected to a core */
    for (uint32_t y = 0; y < h; y++) {
        float *o = scar__planef_row(&score, y);
        const uint8_t *s = scar__mask_row(skin, y);
        uint8_t *sd8 = scar__mask_row(&seed, y);  /* whiteness bits -> seed */
        uint8_t *gr = scar__mask_row(&grey, y);
        uint8_t *wh = scar__mask_row(&is_white, y);
        for (uint32_t x = 0; x < w; x++) {
            float rel = o[x];
            uint8_t bits = sd8[x];
            wh[x] = (bits & WHITE_SEED) != 0;
            sd8[x] = s[x] && rel >= GLARE_SEED_REL && (bits & WHITE_SEED);
            gr[x] = s[x] && (rel - med) / sd >= GLARE_Z_LOW &&
                    (bits & WHITE_FRINGE);
        }
    }
    uint32_t r_open = (uint32_t)fmax(1.0, lround(GLARE_SEED_OPEN_MM * px_per_mm));
    st = scar__open_disk(&seed, r_open, &seed);
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        float *o = scar__planef_row(&score, y);
        uint8_t *gr = scar__mask_row(&grey, y);
        const uint8_t *sd8 = scar__mask_row(&seed, y);
        float *keep = scar__planef_row(&sm[2], y);  /* dead smoothed B */
        for (uint32_t x = 0; x < w; x++) {
            gr[x] |= sd8[x];
            keep[x] = o[x];
            o[x] = sd8[x] ? 2.0f : gr[x] ? 1.0f : 0.0f;
        }
    }
    {
        /* the caller's a* plane (smoothed G, dead since the score pass)
         * holds the hysteresis' component labels: no label map of its own
         * (int32 and float are both 4 bytes; the caller recomputes a*) */
        scar__labels comp = {(int32_t *)(void *)sm[1].data, w, h, sm[1].stride};
        st = scar__hysteresis_threshold_scratch(&score, &grey, 0.5f, 1.5f,
                                                &comp, out);
        if (!st)
            st = drop_plateaus(&sm[2], &is_white, med + GLARE_Z_LOW * sd, &comp,
                               ctx, out);
    }
done:
    for (int c = 0; c < 3; c++)
        scar__plane_free(cells[c].data);
    scar__plane_free(sm[0].data);  /* sm[1], sm[2] are the caller's a*, b* */
    for (int c = 0; c < 3; c++)
        scar__smooth_model_free(&model[c]);
    free(mrow);
    scar__plane_free(score.data);
    scar__plane_free(grey.data);
    scar__plane_free(seed.data);
    scar__plane_free(is_white.data);
    return st;
}
