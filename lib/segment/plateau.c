/* plateau.c — whether a pale region's lightness profile is a patch's
 * plateau or a mottle's peaked bump; see segment.h and docs/segment.md
 * (step 6, "Peaked pale regions").
 *
 * A patch of pigment change (hypopigmentation, striae, a white scar) has
 * a plateau with a defined edge: most of what stands above a quarter of
 * its contrast also stands above half of it. A bump of the healthy skin's
 * own mottling is peaked: for a Gaussian profile the area above half the
 * peak is ln 2 / ln 4 = 0.5 of the area above a quarter, and the skin
 * around it, whose mottles join at a quarter of the contrast, makes the
 * ratio smaller still. The same lobe-or-plateau test as glare.c's, on
 * the L* residual. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/robust.h"
#include "segment/segment.h"

/* The window around a region: its bounding box grown by this much, so
 * that the component at a quarter of the contrast is seen whole unless it
 * is larger (a truncated one only raises the ratio: the test errs toward
 * keeping the region). */
#define PLATEAU_WINDOW_MM 4.0
#define PLATEAU_PEAK_PERCENTILE 0.95

/* Pixels of the 4-connected components of {skin, zL >= level} in the
 * window that hold a pixel of region k; `seen` and `queue` are window-sized
 * scratch. */
static uint64_t area_at(const scar__planef *zL, const scar__mask *skin,
                        const scar__labels *labels, int32_t k, uint32_t x0,
                        uint32_t y0, uint32_t ww, uint32_t wh, float level,
                        uint8_t *seen, uint32_t *queue)
{
    memset(seen, 0, (size_t)ww * wh);
    size_t head = 0, tail = 0;
    for (uint32_t y = 0; y < wh; y++) {
        const int32_t *l = scar__labels_row(labels, y0 + y) + x0;
        const float *z = scar__planef_row(zL, y0 + y) + x0;
        const uint8_t *s = scar__mask_row(skin, y0 + y) + x0;
        for (uint32_t x = 0; x < ww; x++)
            if (l[x] == k && s[x] && z[x] >= level) {
                seen[(size_t)y * ww + x] = 1;
                queue[tail++] = y * ww + x;
            }
    }
    while (head < tail) {
        uint32_t i = queue[head++], x = i % ww, y = i / ww;
        const uint32_t nx[4] = {x - 1, x + 1, x, x};
        const uint32_t ny[4] = {y, y, y - 1, y + 1};
        for (int d = 0; d < 4; d++) {
            /* unsigned wrap: x - 1 at 0 is out of range */
            if (nx[d] >= ww || ny[d] >= wh)
                continue;
            size_t j = (size_t)ny[d] * ww + nx[d];
            if (seen[j] || !scar__mask_row(skin, y0 + ny[d])[x0 + nx[d]] ||
                !(scar__planef_row(zL, y0 + ny[d])[x0 + nx[d]] >= level))
                continue;
            seen[j] = 1;
            queue[tail++] = (uint32_t)j;
        }
    }
    return tail;
}

int scar__plateau_ratio(const scar__planef *zL, const scar__mask *skin,
                        const scar__labels *labels, const scar__region *props,
                        int32_t n, const double *baseline, const uint8_t *want,
                        double ppm, const char *ctx, double *ratio)
{
    uint32_t w = zL->width, h = zL->height;
    uint32_t pad = (uint32_t)ceil(PLATEAU_WINDOW_MM * ppm);
    size_t cap = 0;
    uint8_t *seen = NULL;
    uint32_t *queue = NULL;
    float *vals = NULL;
    size_t vcap = 0;
    int st = SCAR_OK;
    for (int32_t i = 0; i < n; i++) {
        ratio[i] = NAN;
        if (!want[i] || !isfinite(baseline[i]))
            continue;
        const scar__region *r = &props[i];
        uint32_t x0 = r->x0 > pad ? r->x0 - pad : 0;
        uint32_t y0 = r->y0 > pad ? r->y0 - pad : 0;
        uint32_t x1 = r->x1 + pad < w ? r->x1 + pad : w;
        uint32_t y1 = r->y1 + pad < h ? r->y1 + pad : h;
        uint32_t ww = x1 - x0, wh = y1 - y0;
        size_t need = (size_t)ww * wh;
        if (need > cap) {
            free(seen);
            free(queue);
            seen = malloc(need);
            queue = malloc(need * sizeof *queue);
            cap = need;
            if (!seen || !queue) {
                st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (plateau "
                                "test)", ctx);
                break;
            }
        }
        if (r->area > vcap) {
            free(vals);
            vcap = r->area;
            vals = malloc(vcap * sizeof *vals);
            if (!vals) {
                st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (plateau "
                                "test)", ctx);
                break;
            }
        }
        /* the peak: a high percentile of the region's own values */
        size_t nv = 0;
        for (uint32_t y = r->y0; y < r->y1; y++) {
            const int32_t *l = scar__labels_row(labels, y);
            const float *z = scar__planef_row(zL, y);
            const uint8_t *s = scar__mask_row(skin, y);
            for (uint32_t x = r->x0; x < r->x1; x++)
                if (l[x] == r->label && s[x] && isfinite(z[x]))
                    vals[nv++] = z[x];
        }
        if (nv == 0)
            continue;
        float peak = scar__select_kth(
            vals, nv, (size_t)(PLATEAU_PEAK_PERCENTILE * (double)(nv - 1)));
        double base = baseline[i];
        if (!(peak > base))
            continue;
        uint64_t half = area_at(zL, skin, labels, r->label, x0, y0, ww, wh,
                                (float)(base + 0.5 * (peak - base)), seen,
                                queue);
        uint64_t quarter = area_at(zL, skin, labels, r->label, x0, y0, ww, wh,
                                   (float)(base + 0.25 * (peak - base)), seen,
                                   queue);
        if (quarter > 0)
            ratio[i] = (double)half / (double)quarter;
    }
    free(seen);
    free(queue);
    free(vals);
    return st;
}
