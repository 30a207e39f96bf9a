/* single.c — single-lesion mode (a dermoscopy image, or one patch or mole
 * close up): exactly one connected region without holes, or none; see
 * segment.h and docs/segment.md for the rule.
 *
 * The scale of such photos is seldom known and the lesion may fill most of
 * the frame, so nothing here depends on px_per_mm: lengths are fractions of
 * the shorter image side. A dermoscope's dark surround is removed first
 * (single_field.c). The lesion colour is taken at the centre (where the
 * photographer put it), the skin colour along the frame border (for a
 * pigmented lesion: the brightest 40 % of the field); every
 * pixel is projected on the line between the two (a contrast axis that
 * works for dark naevi, red lesions and white patches alike, where a fixed
 * channel such as blue works only for the first). Otsu's threshold on the
 * projection gives a first mask; the component that covers the centre is
 * kept, its holes filled, and the edge is then moved to a level between
 * the medians inside and just outside: a quarter of the way in for a
 * pigmented lesion (where dermatologists outline it), half way for any
 * other (the convention of the multi-lesion mode). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "filter/filter.h"
#include "morph/morph.h"
#include "segment/robust.h"
#include "segment/segment.h"
#include "segment/single_field.h"

#define SMOOTH_FRAC 0.004      /* Gaussian sigma / shorter side */
#define BORDER_FRAC 0.08       /* skin sample: band along the frame */
#define CENTRE_FRAC 0.10       /* lesion sample: centre square half-side */
#define MIN_AXIS_DE 3.0        /* lesion-skin distance below: fallback axis */
#define CLEAN_FRAC 0.006       /* open/close radius / shorter side */
#define BAND_IN_FRAC 0.015     /* outside band for the edge level */
#define BAND_OUT_FRAC 0.05
#define REFINE_ITER 3
/* Edge level between the outside (0) and inside (1) medians. Dermatologists
 * outline a pigmented lesion where its pigment network ends, well outside
 * the half-contrast contour: on the masked PH2 and HAM10000 photos
 * (bench/accuracy real mode) the mean Jaccard is 0.70 at 0.5, 0.81 at 0.3,
 * 0.82 at 0.2-0.25 and 0.69 at 0.1 (docs/segment.md). A lesion that is
 * not darker than the skin (a white patch, vitiligo) has no network: its
 * edge is the half-contrast level, the convention of the multi-lesion
 * mode and of the phantoms' truth. */
#define EDGE_LEVEL_PIGMENTED 0.25
#define EDGE_LEVEL_HALF 0.5
#define CENTRE_DISK_FRAC 0.25  /* the lesion should cover this disk */
/* Opening radius / shorter side that cuts hairs and other thin dark lines
 * joined to the lesion (a hair is 50-120 um wide, well below 1 % of a
 * dermoscope's 15-25 mm field; PH2: 3-6 px of 570, radius 5 px here).
 * 0.012 also cut vitiligo patches apart (bench/accuracy real: vitiligo
 * mean J 0.42 -> 0.36); 0.009 keeps them (docs/segment.md). */
#define HAIR_OPEN_FRAC 0.009
/* Skin sample of a pigmented lesion: the brightest 40 % of the field (the
 * border band can be mostly lesion when the lesion fills the frame, PH2
 * IMD409). 0.4: the PH2/HAM10000 lesions cover a median 30 % of the
 * frame (docs/segment.md). */
#define BRIGHT_SKIN_FRAC 0.4

static int median_lab(const scar__lab_planes *lab, const scar__mask *sel,
                      const char *ctx, double out[3], size_t *n_out)
{
    const scar__planef *X[3] = {&lab->L, &lab->a, &lab->b};
    for (int c = 0; c < 3; c++) {
        float med, mad;
        int st = scar__median_mad(X[c], sel, scar__stat_step(sel->width, sel->height),
                                  ctx, &med, &mad);
        if (st)
            return st;
        out[c] = med;
    }
    (void)n_out;
    return SCAR_OK;
}

/* Keep the component of `m` that best covers the centre disk (most pixels
 * inside it; ties and no coverage: largest area weighted by distance of its
 * centroid to the centre). Clears m when it is empty. `scratch` (m's size)
 * holds the component labels. */
static int keep_central(scar__mask *m, const char *ctx, const scar__mask *prev,
                        scar__labels *scratch)
{
    uint32_t w = m->width, h = m->height;
    scar__labels lab = *scratch;
    int32_t n = 0;
    scar__region *props = NULL;
    double *score = NULL;
    int st = scar__label(m, NULL, 8, &lab, &n);
    if (st || n == 0)
        goto done;
    st = scar__regionprops(&lab, n, 0, &props);
    if (!st) {
        score = calloc((size_t)n + 1, sizeof *score);
        if (!score)
            st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (single lesion)", ctx);
    }
    if (st)
        goto done;
    double cx = 0.5 * (w - 1), cy = 0.5 * (h - 1);
    double side = w < h ? w : h, r = CENTRE_DISK_FRAC * side;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(&lab, y);
        const uint8_t *pv = prev ? scar__mask_row(prev, y) : NULL;
        for (uint32_t x = 0; x < w; x++) {
            if (!l[x])
                continue;
            if (pv) {
                if (pv[x])
                    score[l[x]] += 1.0;
            } else if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                score[l[x]] += 1.0;
            }
        }
    }
    int32_t best = 0;
    double bs = 0.0;
    for (int32_t i = 1; i <= n; i++)
        if (score[i] > bs) {
            bs = score[i];
            best = i;
        }
    if (best == 0) {
        for (int32_t i = 1; i <= n; i++) {
            const scar__region *g = &props[i - 1];
            double d = hypot(g->centroid_x - cx, g->centroid_y - cy) / side;
            double s = (double)g->area * exp(-4.0 * d * d);
            if (s > bs) {
                bs = s;
                best = i;
            }
        }
    }
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(&lab, y);
        uint8_t *o = scar__mask_row(m, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = best && l[x] == best;
    }
done:
    free(score);
    scar__regionprops_free(props);
    return st;
}

/* Skin colour of a pigmented lesion. The lesion is taken as pigmented
 * (*pigmented = 1) when its centre colour is darker (L*) than the border
 * sample, or when a dermoscope field was found and the centre is darker
 * than the field's median L* (a lesion filling the frame makes the border
 * sample lesion too). Then skin_lab = per-channel median over the field
 * pixels whose L* is at or above the (1 - BRIGHT_SKIN_FRAC) quantile of
 * the field's L*; otherwise (white patches: vitiligo) skin_lab is left as
 * the border sample. `sel` is scratch. */
static int pigmented_skin(const scar__lab_planes *sm, const scar__mask *field,
                          int have_field, const double les_lab[3],
                          double skin_lab[3], const char *ctx, scar__mask *sel,
                          int *pigmented)
{
    uint32_t w = field->width, h = field->height;
    *pigmented = 0;
    uint32_t step = scar__stat_step(w, h);
    size_t n = 0;
    float *v = malloc(sizeof(float) * ((size_t)(w / step + 1) * (h / step + 1)));
    if (!v)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (single lesion)", ctx);
    for (uint32_t y = 0; y < h; y += step) {
        const float *L = scar__planef_row(&sm->L, y);
        const uint8_t *f = scar__mask_row(field, y);
        for (uint32_t x = 0; x < w; x += step)
            if (f[x] && isfinite(L[x]))
                v[n++] = L[x];
    }
    int st = SCAR_OK;
    if (n < 16)
        goto done;
    float med = scar__select_kth(v, n, (n - 1) / 2);
    if (!(les_lab[0] < skin_lab[0] || (have_field && les_lab[0] < med)))
        goto done;
    *pigmented = 1;
    float t = scar__select_kth(v, n,
                               (size_t)floor((1.0 - BRIGHT_SKIN_FRAC) * (double)(n - 1)));
    for (uint32_t y = 0; y < h; y++) {
        const float *L = scar__planef_row(&sm->L, y);
        const uint8_t *f = scar__mask_row(field, y);
        uint8_t *o = scar__mask_row(sel, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = f[x] && L[x] >= t;
    }
    if (scar__mask_count(sel) >= 16)
        st = median_lab(sm, sel, ctx, skin_lab, NULL);
done:
    free(v);
    return st;
}

int scar__segment_single(scar__lab_planes *lab, const scar__mask *skin,
                         const scar__segment_params *p, const char *ctx,
                         scar__labels *labels, int32_t *count)
{
    (void)p;
    uint32_t w = lab->L.width, h = lab->L.height;
    double side = w < h ? w : h;
    /* Plane lifetimes (peak memory, docs/performance.md): the caller's
     * L*a*b* is smoothed in place (sm); sm.L then becomes the projection t
     * (each pixel's L*, a*, b* are read before its t is written), sm.a the
     * distance map, whose memory also serves as the opening/closing's
     * run-length scratch before each distance transform, and sm.b the
     * buffer of the medians. The output label map is the masked blur's
     * weight plane and the component labels until the result is written. */
    scar__lab_planes sm = *lab;
    scar__planef *t = &sm.L, *dist = &sm.a;
    float *vals = sm.b.data;
    scar__planef lent = {(float *)(void *)labels->data, w, h, labels->stride};
    scar__mask sel = {0}, m = {0}, prev = {0}, field = {0};
    memset(lab, 0, sizeof *lab);
    *count = 0;
    int st = scar__mask_alloc(w, h, ctx, &sel);
    if (!st) st = scar__mask_alloc(w, h, ctx, &m);
    if (!st) st = scar__mask_alloc(w, h, ctx, &prev);
    if (!st) st = scar__mask_alloc(w, h, ctx, &field);
    if (st)
        goto done;
    /* the dermoscope's dark surround is neither skin nor lesion: from here
     * on `skin` means the skin inside the field (found on the unsmoothed
     * L*, before it is smoothed in place) */
    int have_field = 0;
    st = scar__dermoscope_field(&sm.L, skin, ctx, &field, &have_field);
    if (st)
        goto done;
    double sigma = fmax(1.0, SMOOTH_FRAC * side);
    {
        scar__planef *const io[3] = {&sm.L, &sm.a, &sm.b};
        st = scar__gaussian_masked_n_scratch((const scar__planef *const *)io,
                                             io, 3, skin, sigma, NAN, &lent,
                                             ctx);
    }
    if (st)
        goto done;
    skin = &field;
    /* skin colour along the border, lesion colour at the centre */
    double band = BORDER_FRAC * side, half = CENTRE_FRAC * side;
    double skin_lab[3], les_lab[3];
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *s = scar__mask_row(skin, y);
        uint8_t *o = scar__mask_row(&sel, y);
        for (uint32_t x = 0; x < w; x++) {
            double ex = fmin(x, w - 1 - x), ey = fmin(y, h - 1 - y);
            o[x] = s[x] && fmin(ex, ey) < band;
        }
    }
    if (scar__mask_count(&sel) < 16)
        for (uint32_t y = 0; y < h; y++)
            memcpy(scar__mask_row(&sel, y), scar__mask_row(skin, y), w);
    st = median_lab(&sm, &sel, ctx, skin_lab, NULL);
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *s = scar__mask_row(skin, y);
        uint8_t *o = scar__mask_row(&sel, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = s[x] && fabs(x - 0.5 * (w - 1)) <= half &&
                   fabs(y - 0.5 * (h - 1)) <= half;
    }
    if (scar__mask_count(&sel) < 16)
        goto done; /* no skin at the centre: no lesion */
    st = median_lab(&sm, &sel, ctx, les_lab, NULL);
    if (st)
        goto done;
    int pigmented = 0;
    st = pigmented_skin(&sm, skin, have_field, les_lab, skin_lab, ctx, &sel,
                        &pigmented);
    if (st)
        goto done;
    double u[3] = {les_lab[0] - skin_lab[0], les_lab[1] - skin_lab[1],
                   les_lab[2] - skin_lab[2]};
    double un = sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
    if (un < MIN_AXIS_DE) {
        /* centre looks like the border: take "darker" as the axis */
        u[0] = -1.0;
        u[1] = u[2] = 0.0;
        un = 1.0;
        pigmented = 1;
    }
    const float edge_level =
        (float)(pigmented ? EDGE_LEVEL_PIGMENTED : EDGE_LEVEL_HALF);
    for (int c = 0; c < 3; c++)
        u[c] /= un;
    for (uint32_t y = 0; y < h; y++) {
        const float *L = scar__planef_row(&sm.L, y), *A = scar__planef_row(&sm.a, y),
                    *B = scar__planef_row(&sm.b, y);
        const uint8_t *s = scar__mask_row(skin, y);
        float *o = scar__planef_row(t, y); /* == L: read before written */
        for (uint32_t x = 0; x < w; x++)
            o[x] = s[x] ? (float)(u[0] * (L[x] - skin_lab[0]) +
                                  u[1] * (A[x] - skin_lab[1]) +
                                  u[2] * (B[x] - skin_lab[2]))
                        : NAN;
    }
    float thr;
    st = scar__otsu_threshold(t, skin, 256, &thr);
    if (st)
        goto done;
    uint32_t rclean = (uint32_t)lround(CLEAN_FRAC * side);
    uint32_t ropen = (uint32_t)lround(HAIR_OPEN_FRAC * side);
    if (ropen < rclean)
        ropen = rclean;
    for (int it = 0; it <= REFINE_ITER; it++) {
        for (uint32_t y = 0; y < h; y++) {
            const float *tv = scar__planef_row(t, y);
            uint8_t *o = scar__mask_row(&m, y);
            for (uint32_t x = 0; x < w; x++)
                o[x] = tv[x] > thr;
        }
        if (ropen > 0) {
            uint16_t *runs = (uint16_t *)(void *)dist->data;
            st = scar__open_disk_scratch(&m, ropen, &m, runs);
            if (!st)
                st = scar__close_disk_scratch(&m, rclean, &m, runs);
            if (st)
                goto done;
        }
        st = keep_central(&m, ctx, it ? &prev : NULL, labels);
        if (!st)
            st = scar__fill_holes(&m, &m);
        if (st)
            goto done;
        if (scar__mask_count(&m) == 0)
            break;
        memcpy(prev.data, m.data, (size_t)w * h);
        if (it == REFINE_ITER)
            break;
        /* the edge level between inside and the band just outside */
        st = scar__edt(&m, 1, dist);
        if (st)
            goto done;
        size_t ni = 0, no = 0;
        double bi = BAND_IN_FRAC * side, bo = BAND_OUT_FRAC * side;
        for (uint32_t y = 0; y < h; y++) {
            const float *tv = scar__planef_row(t, y);
            const uint8_t *mm = scar__mask_row(&m, y);
            for (uint32_t x = 0; x < w; x++)
                if (mm[x] && isfinite(tv[x]))
                    vals[ni++] = tv[x];
        }
        if (ni == 0)
            break;
        float med_in = scar__median_inplace(vals, ni);
        for (uint32_t y = 0; y < h; y++) {
            const float *tv = scar__planef_row(t, y);
            const float *d = scar__planef_row(dist, y);
            for (uint32_t x = 0; x < w; x++)
                if (d[x] >= bi && d[x] <= bo && isfinite(tv[x]))
                    vals[no++] = tv[x];
        }
        if (no == 0)
            break;
        float med_out = scar__median_inplace(vals, no);
        thr = med_out + edge_level * (med_in - med_out);
    }
    if (scar__mask_count(&prev) > 0) {
        for (uint32_t y = 0; y < h; y++) {
            const uint8_t *mm = scar__mask_row(&prev, y);
            int32_t *l = scar__labels_row(labels, y);
            for (uint32_t x = 0; x < w; x++)
                l[x] = mm[x] ? 1 : 0;
        }
        *count = 1;
    }
done:
    if (*count == 0) /* the label map was scratch */
        for (uint32_t y = 0; y < h; y++)
            memset(scar__labels_row(labels, y), 0, sizeof(int32_t) * w);
    scar__plane_free(sm.L.data);
    scar__plane_free(sm.a.data);
    scar__plane_free(sm.b.data);
    scar__plane_free(sel.data);
    scar__plane_free(m.data);
    scar__plane_free(prev.data);
    scar__plane_free(field.data);
    return st;
}
