/* single_field.c — the circular field of view of a dermoscope (see
 * single_field.h). A contact dermoscope images a bright disc; the frame
 * outside it is near-black or strongly vignetted (PH2: corner L* 13-32
 * against skin L* 60-92). Those corners are not skin, yet they are darker
 * than skin just like a pigmented lesion, so left in they bias the skin
 * sample and join the lesion region.
 *
 * Rule (docs/segment.md, single-lesion mode): with r the distance to the
 * image centre in whole pixels, P90(r) is the 90th percentile of L* on the
 * ring r (the bright, skin part of the ring: a lesion rarely covers 90 % of
 * a full ring). ref = max P90(r) over r < 0.3 s (s the shorter side: the
 * inner field). The field ends at the first ring R >= 0.3 s with
 * P90(R) < 0.6 ref. Outside = pixels with r >= R that are not skin or have
 * L* < 0.6 ref, kept only where 8-connected to the frame; the field is
 * found only when each of the four corner squares (side 0.05 s) is at
 * least half outside — a dermoscope's disc leaves all four corners dark,
 * a dark background on one side of a clinical photo does not. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scarscore.h"
#include "error.h"
#include "morph/morph.h"
#include "segment/single_field.h"

#define INNER_FRAC 0.3     /* rings inside this radius / s: the field */
#define DARK_RATIO 0.6     /* ring P90 and pixel L* below this x ref: dark */
#define RING_QUANTILE 0.9  /* per-ring quantile of L* */
#define CORNER_FRAC 0.05   /* corner square side / s */
#define L_BINS 101         /* 1-unit L* bins, 0..100 */

static double ring_radius(uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
    double dx = x - 0.5 * (w - 1), dy = y - 0.5 * (h - 1);
    return sqrt(dx * dx + dy * dy);
}

static int l_bin(float v)
{
    if (!(v > 0.0f))
        return 0;
    if (v >= 100.0f)
        return L_BINS - 1;
    return (int)v;
}

/* Dark level 0.6 ref and first dark ring R (< 0 when none). */
static int find_field_edge(const scar__planef *L, const char *ctx,
                           double *dark_level, int64_t *edge)
{
    uint32_t w = L->width, h = L->height;
    double side = w < h ? w : h;
    size_t nr = (size_t)ring_radius(0, 0, w, h) + 2;
    uint32_t *hist = calloc(nr * L_BINS, sizeof *hist);
    uint64_t *n = calloc(nr, sizeof *n);
    double *p = malloc(nr * sizeof *p);
    if (!hist || !n || !p) {
        free(hist);
        free(n);
        free(p);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (dermoscope field)",
                          ctx);
    }
    for (uint32_t y = 0; y < h; y++) {
        const float *l = scar__planef_row(L, y);
        for (uint32_t x = 0; x < w; x++) {
            if (!isfinite(l[x]))
                continue;
            size_t r = (size_t)ring_radius(x, y, w, h);
            hist[r * L_BINS + (size_t)l_bin(l[x])]++;
            n[r]++;
        }
    }
    double ref = 0.0;
    for (size_t r = 0; r < nr; r++) {
        p[r] = NAN;
        if (n[r] == 0)
            continue;
        uint64_t need = (uint64_t)ceil(RING_QUANTILE * (double)n[r]), cum = 0;
        int b = 0;
        for (; b < L_BINS - 1; b++) {
            cum += hist[r * L_BINS + (size_t)b];
            if (cum >= need)
                break;
        }
        p[r] = b + 0.5;
        if ((double)r < INNER_FRAC * side && p[r] > ref)
            ref = p[r];
    }
    *dark_level = DARK_RATIO * ref;
    *edge = -1;
    for (size_t r = (size_t)ceil(INNER_FRAC * side); r < nr; r++)
        if (isfinite(p[r]) && p[r] < *dark_level) {
            *edge = (int64_t)r;
            break;
        }
    free(hist);
    free(n);
    free(p);
    return SCAR_OK;
}

static double corner_fraction(const scar__mask *out, uint32_t x0, uint32_t y0,
                              uint32_t k)
{
    uint64_t c = 0;
    for (uint32_t y = y0; y < y0 + k; y++) {
        const uint8_t *o = scar__mask_row(out, y);
        for (uint32_t x = x0; x < x0 + k; x++)
            c += o[x] != 0;
    }
    return (double)c / ((double)k * k);
}

int scar__dermoscope_field(const scar__planef *L, const scar__mask *skin,
                           const char *ctx, scar__mask *field, int *found)
{
    uint32_t w = L->width, h = L->height;
    double side = w < h ? w : h;
    scar__mask out = {0};
    scar__labels lab = {0};
    uint8_t *touch = NULL;
    *found = 0;
    for (uint32_t y = 0; y < h; y++)
        memcpy(scar__mask_row(field, y), scar__mask_row(skin, y), w);
    double dark;
    int64_t edge;
    int st = find_field_edge(L, ctx, &dark, &edge);
    if (st || edge < 0)
        return st;
    st = scar__mask_alloc(w, h, ctx, &out);
    if (!st)
        st = scar__labels_alloc(w, h, ctx, &lab);
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        const float *l = scar__planef_row(L, y);
        const uint8_t *s = scar__mask_row(skin, y);
        uint8_t *o = scar__mask_row(&out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = ring_radius(x, y, w, h) >= (double)edge &&
                   (!s[x] || !(l[x] >= dark));
    }
    int32_t n = 0;
    st = scar__label(&out, NULL, 8, &lab, &n);
    if (st || n == 0)
        goto done;
    touch = calloc((size_t)n + 1, 1);
    if (!touch) {
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (dermoscope field)", ctx);
        goto done;
    }
    for (uint32_t x = 0; x < w; x++) {
        touch[scar__labels_row(&lab, 0)[x]] = 1;
        touch[scar__labels_row(&lab, h - 1)[x]] = 1;
    }
    for (uint32_t y = 0; y < h; y++) {
        touch[scar__labels_row(&lab, y)[0]] = 1;
        touch[scar__labels_row(&lab, y)[w - 1]] = 1;
    }
    touch[0] = 0;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(&lab, y);
        uint8_t *o = scar__mask_row(&out, y);
        for (uint32_t x = 0; x < w; x++)
            o[x] = touch[l[x]];
    }
    uint32_t k = (uint32_t)fmax(2.0, floor(CORNER_FRAC * side));
    if (k > w || k > h)
        goto done;
    if (corner_fraction(&out, 0, 0, k) < 0.5 ||
        corner_fraction(&out, w - k, 0, k) < 0.5 ||
        corner_fraction(&out, 0, h - k, k) < 0.5 ||
        corner_fraction(&out, w - k, h - k, k) < 0.5)
        goto done;
    *found = 1;
    for (uint32_t y = 0; y < h; y++) {
        const uint8_t *o = scar__mask_row(&out, y);
        uint8_t *f = scar__mask_row(field, y);
        for (uint32_t x = 0; x < w; x++)
            f[x] = f[x] && !o[x];
    }
done:
    free(touch);
    scar__plane_free(lab.data);
    scar__plane_free(out.data);
    return st;
}
