/* summary.c — image-level measurements: skin tone and chromophore spread
 * of healthy skin (skin mask minus regions), counts and areas by class and
 * hint, colour-difference summaries, whole-skin roughness, and the
 * clinical-scale estimates (docs/metrics.md states their limits). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "score/score.h"
#include "texture/texture.h"

/* Goodman & Baron (2006) quantitative grading: points per scar of each
 * category times a multiplier from the number of scars of that category
 * (1-10: x1, 11-20: x2, > 20: x3). Hints map to: A macular (1 point) =
 * patch; B moderate atrophic (2) = boxcar + rolling; C severe / punched
 * out (3) = icepick; D hyperplastic papular (2) = hypertrophic. Striae and
 * "none" are not acne scars and score 0. */
static double gb_multiplier(uint32_t n)
{
    return n == 0 ? 0.0 : n <= 10 ? 1.0 : n <= 20 ? 2.0 : 3.0;
}

double scar__score_goodman_baron(const uint32_t c[SCAR_HINT_COUNT])
{
    return 1.0 * gb_multiplier(c[SCAR_HINT_PATCH]) +
           2.0 * gb_multiplier(c[SCAR_HINT_BOXCAR] + c[SCAR_HINT_ROLLING]) +
           3.0 * gb_multiplier(c[SCAR_HINT_ICEPICK]) +
           2.0 * gb_multiplier(c[SCAR_HINT_HYPERTROPHIC]);
}

/* mMASI area score (Pandya et al. 2011): 0 none, 1 < 10 %, 2 10-29 %,
 * 3 30-49 %, 4 50-69 %, 5 70-89 %, 6 90-100 %. */
uint32_t scar__score_mmasi_area(double f)
{
    if (!(f > 0.0))
        return 0;
    if (f < 0.10) return 1;
    if (f < 0.30) return 2;
    if (f < 0.50) return 3;
    if (f < 0.70) return 4;
    if (f < 0.90) return 5;
    return 6;
}

/* Darkness 0-4 from the area-weighted L* drop of hyperpigmented regions
 * (our bands, docs/metrics.md): 0 none, 1 |dL*| < 3, 2 < 6, 3 < 10,
 * 4 >= 10. */
uint32_t scar__score_mmasi_darkness(double dL)
{
    if (!isfinite(dL) || dL >= 0.0)
        return 0;
    double d = -dL;
    if (d < 3.0) return 1;
    if (d < 6.0) return 2;
    if (d < 10.0) return 3;
    return 4;
}

/* Healthy skin: analysed skin outside every region. */
static inline int healthy_at(const uint8_t *k, const int32_t *l, uint32_t x)
{
    return k[x] && !l[x];
}

/* numpy.median of (float)scar_ita(L*, b*) over healthy skin, exactly,
 * without an atan2 per sample (docs/performance.md): the approximate
 * angles a_i (|a_i - ITA_i| <= eps) of all samples give their middle order
 * statistics A_l <= A_u; those of the exact values lie within eps of them
 * (order statistics move by at most the largest pointwise change), so a
 * sample with a_i < A_l - 2 eps ranks below both middles and one with
 * a_i > A_u + 2 eps above them. Only the samples in between get the exact
 * ITA, and selection among them (offset by the count below) gives the
 * exact middle values. v holds n_max floats. Returns 0 when it cannot
 * decide (a non-finite L* or b*, no memory): the caller takes the direct
 * path. */
static int ita_median_bracketed(const scar__score_input *in, float *v,
                                double *out)
{
    uint32_t W = in->labels->width, H = in->labels->height;
    float *row = malloc(2 * (size_t)W * sizeof *row); /* ITA~, b* */
    if (!row)
        return 0;
    float *B = row + W;
    size_t m = 0;
    for (uint32_t y = 0; y < H; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *k = scar__mask_row(in->skin, y);
        const float *L = scar__planef_row(&in->lab->L, y);
        scar__score_ab(in, 0, y, W, NULL, B);
        scar__score_ita_approx(L, B, W, row);
        for (uint32_t x = 0; x < W; x++) {
            if (!healthy_at(k, l, x))
                continue;
            if (!isfinite(L[x]) || !isfinite(B[x])) {
                free(row);
                return 0;
            }
            /* scar_ita's NaN (no angle): not a sample */
            if ((double)L[x] - 50.0 == 0.0 && B[x] == 0.0f)
                continue;
            v[m++] = row[x];
        }
    }
    free(row);
    if (m == 0) {
        *out = NAN;
        return 1;
    }
    const double eps = (double)SCAR__SCORE_ITA_APPROX_EPS;
    size_t ku = m / 2, kl = m % 2 ? ku : ku - 1;
    double lo, hi;
    int proven = 0; /* band from the exact approximate middles */
    if (!scar__score_bracket(v, m, &lo, &hi)) {
        float al, au;
        if (!scar__score_middle(v, m, &al, &au))
            return 0;
        lo = (double)al - 2.0 * eps;
        hi = (double)au + 2.0 * eps;
        proven = 1;
    }
    /* second pass in the same order: v[j] is this sample's a_i; the exact
     * values of the band are compacted into v[0..c) (c <= j: in place) */
    size_t j = 0, below = 0, c = 0;
    int negzero = 0;
    float *Bs = malloc((size_t)W * sizeof *Bs); /* b* of one row */
    if (!Bs)
        return 0;
    for (uint32_t y = 0; y < H; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *k = scar__mask_row(in->skin, y);
        const float *L = scar__planef_row(&in->lab->L, y);
        scar__score_ab(in, 0, y, W, NULL, Bs);
        for (uint32_t x = 0; x < W; x++) {
            if (!healthy_at(k, l, x) ||
                ((double)L[x] - 50.0 == 0.0 && Bs[x] == 0.0f))
                continue;
            double a = v[j++];
            if (a < lo) {
                below++;
            } else if (a <= hi) {
                float t = (float)scar_ita(L[x], Bs[x]);
                negzero |= t == 0.0f && signbit(t);
                v[c++] = t;
            }
        }
    }
    free(Bs);
    if (negzero || kl < below || ku >= below + c)
        return 0;
    float upper, lower;
    scar__score_select_pair(v, c, ku - below, &upper, &lower);
    if (m % 2)
        lower = upper;
    /* A band from a subsample is only trusted when both middle values lie
     * eps inside it: every sample left below (a_i < lo) then has an exact
     * value < lo + eps <= lower and every one above a value > hi - eps >=
     * upper, so the middle ranks are those inside the band. */
    if (!proven && !((double)lower >= lo + eps && (double)upper <= hi - eps))
        return 0;
    *out = m % 2 ? (double)upper : 0.5 * ((double)lower + upper);
    return 1;
}

void scar__score_indices_row(const scar__score_indices *s, int k, uint32_t y,
                             float *out)
{
    if (s->rows) {
        uint32_t W = scar_image_width(s->rows->img);
        scar__index_rows_get(s->rows, 0, y, W, k == 0 ? out : NULL,
                             k == 1 ? out : NULL, k == 2 ? out : NULL,
                             k == 3 ? out : NULL);
        return;
    }
    memcpy(out, scar__planef_row(s->planes[k], y),
           s->planes[k]->width * sizeof *out);
}

/* Median ITA and the MI/EI medians and robust SDs over healthy skin. */
static int skin_tone(const scar__score_input *in, scar_summary *s,
                     const char *ctx)
{
    uint32_t W = in->labels->width, H = in->labels->height;
    size_t n = 0;
    for (uint32_t y = 0; y < H; y++) {
        const int32_t *l = scar__labels_row(in->labels, y);
        const uint8_t *k = scar__mask_row(in->skin, y);
        for (uint32_t x = 0; x < W; x++)
            n += k[x] && !l[x];
    }
    s->skin_ita_deg = s->skin_mi_median = s->skin_mi_robust_sd = NAN;
    s->skin_ei_median = s->skin_ei_robust_sd = NAN;
    if (n == 0)
        return SCAR_OK;
    float *v = malloc(n * sizeof *v);
    float *p = malloc((size_t)W * sizeof *p); /* b*, MI or EI of a row */
    if (!v || !p) {
        free(v);
        free(p);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (skin tone)", ctx);
    }
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 0 && ita_median_bracketed(in, v, &s->skin_ita_deg))
            continue;
        size_t m = 0;
        for (uint32_t y = 0; y < H; y++) {
            const int32_t *l = scar__labels_row(in->labels, y);
            const uint8_t *k = scar__mask_row(in->skin, y);
            const float *L = scar__planef_row(&in->lab->L, y);
            const float *B = p; /* pass 0 */
            if (pass)
                scar__score_indices_row(&in->indices, pass - 1, y, p);
            else
                scar__score_ab(in, 0, y, W, NULL, p);
            for (uint32_t x = 0; x < W; x++) {
                if (!k[x] || l[x])
                    continue;
                double t = pass == 0 ? scar_ita(L[x], B[x]) : p[x];
                if (isfinite(t))
                    v[m++] = (float)t;
            }
        }
        if (pass == 0)
            s->skin_ita_deg = scar__score_median(v, m);
        else if (pass == 1)
            s->skin_mi_robust_sd = scar__score_robust_sd(v, m, &s->skin_mi_median);
        else
            s->skin_ei_robust_sd = scar__score_robust_sd(v, m, &s->skin_ei_median);
    }
    free(v);
    free(p);
    s->skin_ita_category = (uint32_t)scar_ita_category_of(s->skin_ita_deg);
    return SCAR_OK;
}

/* Spectral roughness of L* over the skin mask, on the mask's bounding box
 * (NaN beyond the FFT size limits or with too few pixels). */
static int skin_roughness(const scar__score_input *in, double *out)
{
    uint32_t W = in->labels->width, H = in->labels->height;
    uint32_t x0 = W, y0 = H, x1 = 0, y1 = 0;
    uint64_t n = 0;
    for (uint32_t y = 0; y < H; y++) {
        const uint8_t *k = scar__mask_row(in->skin, y);
        for (uint32_t x = 0; x < W; x++) {
            if (!k[x])
                continue;
            n++;
            if (x < x0) x0 = x;
            if (x >= x1) x1 = x + 1;
            if (y < y0) y0 = y;
            y1 = y + 1;
        }
    }
    *out = NAN;
    if (n < 16)
        return SCAR_OK;
    uint32_t w = x1 - x0, h = y1 - y0;
    if (w < 8 || h < 8 || w > SCAR__TEX_FFT_MAX_SIDE ||
        h > SCAR__TEX_FFT_MAX_SIDE ||
        (uint64_t)w * h > SCAR__TEX_FFT_MAX_PIXELS)
        return SCAR_OK;
    scar__planef Lw = {scar__planef_row(&in->lab->L, y0) + x0, w, h,
                       in->lab->L.stride};
    scar__mask mw = {scar__mask_row(in->skin, y0) + x0, w, h, in->skin->stride};
    scar__roughness_band band;
    scar__roughness_band_default(in->px_per_mm, &band);
    return scar__spectral_roughness(&Lw, &mw, &band, out);
}

void scar__score_summary_regions(const scar_region *regions, uint32_t n,
                                 double px_per_mm, scar_summary *s)
{
    double ppm2 = px_per_mm * px_per_mm;
    double skin_mm2 = s->skin_area_mm2;
    s->region_count = n;
    memset(s->count_by_class, 0, sizeof s->count_by_class);
    memset(s->count_by_hint, 0, sizeof s->count_by_hint);
    memset(s->area_mm2_by_class, 0, sizeof s->area_mm2_by_class);
    double de_w = 0.0, de76_w = 0.0, w_sum = 0.0, de_max = NAN;
    double hyper_area = 0.0, hyper_dl = 0.0, total = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        const scar_region *r = &regions[i];
        uint32_t c = r->pigment_class < SCAR_CLASS_COUNT ? r->pigment_class : 0;
        uint32_t h = r->morph_hint < SCAR_HINT_COUNT ? r->morph_hint : 0;
        s->count_by_class[c]++;
        s->count_by_hint[h]++;
        s->area_mm2_by_class[c] += r->area_px / ppm2;
        total += r->area_px / ppm2;
        if (isfinite(r->delta_e00)) {
            de_w += r->area_px * r->delta_e00;
            de76_w += r->area_px * r->delta_e76;
            w_sum += r->area_px;
            if (!(r->delta_e00 <= de_max))
                de_max = r->delta_e00;
        }
        if (c == SCAR_CLASS_HYPER && isfinite(r->delta_L)) {
            hyper_area += r->area_px;
            hyper_dl += r->area_px * r->delta_L;
        }
    }
    for (int c = 0; c < SCAR_CLASS_COUNT; c++)
        s->area_fraction_by_class[c] =
            skin_mm2 > 0.0 ? s->area_mm2_by_class[c] / skin_mm2 : NAN;
    s->region_area_mm2 = total;
    s->region_area_fraction = skin_mm2 > 0.0 ? total / skin_mm2 : NAN;
    s->delta_e00_area_weighted = w_sum > 0.0 ? de_w / w_sum : NAN;
    s->delta_e76_area_weighted = w_sum > 0.0 ? de76_w / w_sum : NAN;
    s->delta_e00_max = de_max;
    s->mss_color_class = scar__score_mss_class(s->delta_e76_area_weighted);
    s->goodman_baron_score = scar__score_goodman_baron(s->count_by_hint);
    s->mmasi_area_score =
        scar__score_mmasi_area(s->area_fraction_by_class[SCAR_CLASS_HYPER]);
    s->mmasi_darkness_score = scar__score_mmasi_darkness(
        hyper_area > 0.0 ? hyper_dl / hyper_area : NAN);
    s->mmasi_like = (double)s->mmasi_area_score * s->mmasi_darkness_score;
}

int scar__score_summary(const scar__score_input *in, const scar_region *regions,
                        const char *ctx, scar_summary *s)
{
    int st = skin_tone(in, s, ctx);
    if (!st)
        st = skin_roughness(in, &s->skin_roughness);
    if (st)
        return st;
    scar__score_summary_regions(regions, in->count > 0 ? (uint32_t)in->count : 0,
                                in->px_per_mm, s);
    return SCAR_OK;
}
