/* merge.c — fragments of one lesion joined; see segment.h and
 * docs/segment.md ("Fragments").
 *
 * A long or mottled lesion (a stria whose colour dips along its length, a
 * raised scar split into plateau and shaded foot) can leave hysteresis as
 * several regions a fraction of a millimetre apart. Regions that a closing
 * of MERGE_GAP_MM joins into one component, and whose mean residual
 * colours point the same way (cosine >= MERGE_MIN_COSINE), become one
 * region with the closing's skin pixels between them, unless one of them
 * is a pit (small, with a dark core of score >= SCAR__PIT_Z): icepick
 * scars of an acne-scarred cheek lie that close to each other and to the
 * boxcars and marks around them, and each is a scar of its own. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"

/* Gap bridged (mm) and agreement of the mean residual directions. On the
 * 60 benchmark phantoms (whose lesions are >= 3 mm apart core to core):
 * gap 0.6 mm: 507 regions; 1 mm: 499, precision 0.598 -> 0.619, recall
 * 0.688 -> 0.690, Dice and dE00 unchanged; 2 mm: 490, precision 0.637,
 * but real scars can cluster closer than that (docs/segment.md). A
 * cosine of 0.5 or 0.7 gave the same regions. */
#define MERGE_GAP_MM 1.0
#define MERGE_MIN_COSINE 0.7
/* A pit is at most SCAR__PIT_MAX_MM wide (equivalent diameter). Two pits
 * kept apart: on the cluster-layout phantoms 4 icepicks more are found; a
 * pit kept apart from any neighbour (session 24): 5 more on cluster
 * `real`, none lost; the fragments of the scattered layout and of
 * test_fragments_merged (3 mm patches) are joined as before
 * (docs/segment.md). */

int scar__merge_fragments(scar__anomaly_maps *maps, const scar__mask *skin,
                          const scar__segment_params *p, const char *ctx,
                          scar__labels *labels, int32_t *count)
{
    int32_t n = *count;
    if (n < 2)
        return SCAR_OK;
    uint32_t w = labels->width, h = labels->height;
    scar__mask m = {0};
    /* the spent score map (4 B/px, packed) serves as the closing's
     * run-length scratch, then as the component labels: no plane of their
     * own at the memory peak (docs/performance.md) */
    scar__labels comp = {(int32_t *)(void *)maps->score.data, w, h,
                         maps->score.stride};
    /* per region: sums of zL, za, zb, skin pixel count */
    double *sum = calloc((size_t)n * 4, sizeof *sum);
    int32_t *cid = calloc((size_t)n + 1, sizeof *cid);
    uint8_t *pit = calloc((size_t)n + 1, 1);
    int32_t ncomp = 0;
    int st = sum && cid && pit
                 ? SCAR_OK
                 : scar__fail(SCAR_E_NOMEM, "%s: out of memory (merge)", ctx);
    if (!st)
        st = scar__mask_alloc(w, h, ctx, &m);
    if (st)
        goto done;
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        uint8_t *o = scar__mask_row(&m, y);
        const float *zl = scar__planef_row(&maps->zL, y);
        const float *za = scar__planef_row(&maps->za, y);
        const float *zb = scar__planef_row(&maps->zb, y);
        const float *sc = scar__planef_row(&maps->score, y);
        for (uint32_t x = 0; x < w; x++) {
            o[x] = l[x] != 0;
            if (l[x] && isfinite(zl[x]) && isfinite(za[x]) && isfinite(zb[x])) {
                double *s = sum + (size_t)(l[x] - 1) * 4;
                s[0] += zl[x], s[1] += za[x], s[2] += zb[x], s[3] += 1;
                if (zl[x] < 0.0f && sc[x] >= SCAR__PIT_Z)
                    pit[l[x]] = 1;
            }
        }
    }
    uint32_t r = (uint32_t)lround(0.5 * MERGE_GAP_MM * p->px_per_mm);
    if (r < 1)
        r = 1;
    st = scar__close_disk_scratch(&m, r, &m, (uint16_t *)(void *)comp.data);
    if (!st)
        st = scar__label(&m, NULL, 8, &comp, &ncomp);
    if (st)
        goto done;
    /* each region's component; a component merges when all of its regions
     * point the same way as its first one and none of them is a pit */
    for (uint32_t y = 0; y < h; y++) {
        const int32_t *l = scar__labels_row(labels, y);
        const int32_t *c = scar__labels_row(&comp, y);
        for (uint32_t x = 0; x < w; x++)
            if (l[x] && !cid[l[x]])
                cid[l[x]] = c[x];
    }
    int32_t *first = calloc((size_t)ncomp + 1, sizeof *first);
    uint8_t *bad = calloc((size_t)ncomp + 1, 1);
    int32_t *members = calloc((size_t)ncomp + 1, sizeof *members);
    int32_t *pits = calloc((size_t)ncomp + 1, sizeof *pits);
    if (!first || !bad || !members || !pits) {
        free(first), free(bad), free(members), free(pits);
        st = scar__fail(SCAR_E_NOMEM, "%s: out of memory (merge)", ctx);
        goto done;
    }
    double pit_r = 0.5 * SCAR__PIT_MAX_MM * p->px_per_mm;
    double pit_px = 3.14159265358979323846 * pit_r * pit_r;
    for (int32_t k = 1; k <= n; k++)
        pit[k] = pit[k] && sum[(size_t)(k - 1) * 4 + 3] <= pit_px;
    for (int32_t k = 1; k <= n; k++) {
        int32_t c = cid[k];
        members[c]++;
        pits[c] += pit[k];
        if (pits[c] > 0 && members[c] >= 2)
            bad[c] = 1;
        if (!first[c]) {
            first[c] = k;
            continue;
        }
        const double *a = sum + (size_t)(first[c] - 1) * 4;
        const double *b = sum + (size_t)(k - 1) * 4;
        double na = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        double nb = sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
        double cs = na > 0 && nb > 0
                        ? (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (na * nb)
                        : -1.0;
        if (cs < MERGE_MIN_COSINE)
            bad[c] = 1;
    }
    /* merged components: all their skin pixels of the closing join the
     * first region's label */
    for (uint32_t y = 0; y < h; y++) {
        int32_t *l = scar__labels_row(labels, y);
        const int32_t *c = scar__labels_row(&comp, y);
        const uint8_t *s = scar__mask_row(skin, y);
        for (uint32_t x = 0; x < w; x++) {
            int32_t q = c[x];
            if (!q || bad[q] || members[q] < 2)
                continue;
            if (l[x] || s[x])
                l[x] = first[q];
        }
    }
    free(first), free(bad), free(members), free(pits);
    /* each connected part of one label is a region: regions that touch
     * but were not merged above (a pit, opposed colours) stay apart */
    int32_t parts = 0;
    st = scar__label_values(labels, 8, labels, &parts);
    if (!st)
        st = scar__drop_small_labels(labels, parts, 1, ctx, count);
done:
    free(sum);
    free(cid);
    free(pit);
    scar__plane_free(m.data);
    return st;
}
