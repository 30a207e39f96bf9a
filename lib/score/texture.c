/* texture.c — texture of L* inside a region vs in its ring (docs/metrics.md,
 * formulas in docs/texture.md): masked GLCM on L* quantized over [0, 100],
 * uniform LBP histograms and their chi-square distance, FFT spectral
 * roughness. Everything runs on the region's window: its bbox grown by
 * ceil(ring_outer_px) + 1 px and clipped to the image, which holds the
 * whole ring plus the 1-px margin LBP needs, so LBP codes there equal the
 * whole-image codes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "score/score.h"
#include "texture/texture.h"

static const double glcm_dist_mm[SCAR__SCORE_GLCM_N_DIST] = {0.1, 0.25, 0.5};

uint32_t scar__score_glcm_distances(double px_per_mm,
                                    uint32_t dist[SCAR__SCORE_GLCM_N_DIST])
{
    uint32_t n = 0;
    for (int k = 0; k < SCAR__SCORE_GLCM_N_DIST; k++) {
        double d = floor(glcm_dist_mm[k] * px_per_mm + 0.5);
        uint32_t di = d < 1.0 ? 1u : d > 65535.0 ? 65535u : (uint32_t)d;
        if (n == 0 || dist[n - 1] != di) /* increasing: only neighbours repeat */
            dist[n++] = di;
    }
    return n;
}

typedef struct side {
    scar_glcm_props glcm;
    double hist[SCAR__LBP_BINS];
    uint64_t n;
    double roughness;
} side;

static void set_glcm(const side *s, double *contrast, double *dissim,
                     double *homog, double *energy, double *asm_,
                     double *corr, double *entropy)
{
    *contrast = s->glcm.contrast;
    *dissim = s->glcm.dissimilarity;
    *homog = s->glcm.homogeneity;
    *energy = s->glcm.energy;
    *asm_ = s->glcm.angular_second_moment;
    *corr = s->glcm.correlation;
    *entropy = s->glcm.entropy;
}

static int measure_side(const scar__score_input *in, const scar__planef *Lw,
                        const scar__labels *q, const scar__mask *codes,
                        const scar__mask *m, const uint32_t *dist, uint32_t nd,
                        side *out)
{
    int st = scar__glcm_features(q, m, SCAR__SCORE_GLCM_LEVELS, dist, nd,
                                 &out->glcm);
    if (!st)
        st = scar__lbp_histogram(codes, m, out->hist, &out->n);
    if (st)
        return st;
    out->roughness = NAN;
    /* the roughness needs >= 16 valid pixels and an 8 x 8 patch; FFT sizes
     * are bounded (docs/texture.md) */
    if (out->n >= 16 && Lw->width >= 8 && Lw->height >= 8 &&
        Lw->width <= SCAR__TEX_FFT_MAX_SIDE &&
        Lw->height <= SCAR__TEX_FFT_MAX_SIDE &&
        (uint64_t)Lw->width * Lw->height <= SCAR__TEX_FFT_MAX_PIXELS) {
        scar__roughness_band band;
        scar__roughness_band_default(in->px_per_mm, &band);
        st = scar__spectral_roughness(Lw, m, &band, &out->roughness);
    }
    return st;
}

int scar__score_texture(const scar__score_input *in, int32_t id,
                        scar_region *r, const char *ctx)
{
    uint32_t W = in->labels->width, H = in->labels->height;
    double mg = ceil(in->ring_outer_px) + 1.0;
    uint32_t m = mg > (double)(W > H ? W : H) ? (W > H ? W : H) : (uint32_t)mg;
    uint32_t x0 = r->bbox_x0 > m ? r->bbox_x0 - m : 0;
    uint32_t y0 = r->bbox_y0 > m ? r->bbox_y0 - m : 0;
    uint32_t x1 = W - r->bbox_x1 > m ? r->bbox_x1 + m : W;
    uint32_t y1 = H - r->bbox_y1 > m ? r->bbox_y1 + m : H;
    uint32_t w = x1 - x0, h = y1 - y0;
    size_t npx = (size_t)w * h;

    /* nothing to compare: leave every texture field NaN */
    double *f[] = {&r->glcm_contrast_inside, &r->glcm_contrast_ring,
                   &r->glcm_dissimilarity_inside, &r->glcm_dissimilarity_ring,
                   &r->glcm_homogeneity_inside, &r->glcm_homogeneity_ring,
                   &r->glcm_energy_inside, &r->glcm_energy_ring,
                   &r->glcm_asm_inside, &r->glcm_asm_ring,
                   &r->glcm_correlation_inside, &r->glcm_correlation_ring,
                   &r->glcm_entropy_inside, &r->glcm_entropy_ring,
                   &r->lbp_chi2, &r->roughness_inside, &r->roughness_ring};
    for (size_t k = 0; k < sizeof f / sizeof *f; k++)
        *f[k] = NAN;
    if ((uint64_t)npx > SCAR__TEX_MAX_PIXELS)
        return SCAR_OK; /* documented: texture of huge regions is NaN */

    scar__mask mi = {0}, mr = {0}, codes = {0};
    scar__labels q = {0};
    int st = scar__mask_alloc(w, h, ctx, &mi);
    if (!st) st = scar__mask_alloc(w, h, ctx, &mr);
    if (!st) st = scar__mask_alloc(w, h, ctx, &codes);
    if (!st) st = scar__labels_alloc(w, h, ctx, &q);
    if (st)
        goto done;
    for (uint32_t y = r->bbox_y0; y < r->bbox_y1; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *s = scar__mask_row(in->skin, y);
        uint8_t *o = scar__mask_row(&mi, y - y0);
        for (uint32_t x = r->bbox_x0; x < r->bbox_x1; x++)
            o[x - x0] = l[x] == id && s[x];
    }
    for (size_t j = in->rings->off[id - 1]; j < in->rings->off[id]; j++) {
        uint32_t idx = in->rings->idx[j];
        scar__mask_row(&mr, idx / W - y0)[idx % W - x0] = 1;
    }
    scar__planef Lw = {scar__planef_row(&in->lab->L, y0) + x0, w, h,
                       in->lab->L.stride};
    uint32_t dist[SCAR__SCORE_GLCM_N_DIST];
    uint32_t nd = scar__score_glcm_distances(in->px_per_mm, dist);
    side si, sr;
    st = scar__quantize_lstar(&Lw, NULL, SCAR__SCORE_GLCM_LEVELS, &q);
    if (!st) st = scar__lbp_uniform(&Lw, &codes);
    if (!st) st = measure_side(in, &Lw, &q, &codes, &mi, dist, nd, &si);
    if (!st) st = measure_side(in, &Lw, &q, &codes, &mr, dist, nd, &sr);
    if (st)
        goto done;
    set_glcm(&si, &r->glcm_contrast_inside, &r->glcm_dissimilarity_inside,
             &r->glcm_homogeneity_inside, &r->glcm_energy_inside,
             &r->glcm_asm_inside, &r->glcm_correlation_inside,
             &r->glcm_entropy_inside);
    set_glcm(&sr, &r->glcm_contrast_ring, &r->glcm_dissimilarity_ring,
             &r->glcm_homogeneity_ring, &r->glcm_energy_ring,
             &r->glcm_asm_ring, &r->glcm_correlation_ring,
             &r->glcm_entropy_ring);
    r->lbp_chi2 = si.n && sr.n
                      ? scar__chi2_distance(si.hist, sr.hist, SCAR__LBP_BINS)
                      : NAN;
    r->roughness_inside = si.roughness;
    r->roughness_ring = sr.roughness;
done:
    scar__plane_free(mi.data);
    scar__plane_free(mr.data);
    scar__plane_free(codes.data);
    scar__plane_free(q.data);
    return st;
}
