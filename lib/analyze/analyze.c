/* analyze.c — scar_analyze: the pipeline of DESIGN.md steps 2-7 (colour,
 * skin mask, local skin model and anomaly map, regions, perilesional rings,
 * colour measurements). Algorithms: docs/skin.md, docs/segment.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_internal.h"
#include "analyze/result_internal.h"
#include "error.h"
#include "morph/morph.h"
#include "segment/segment.h"
#include "skin/skin.h"

static const char FN[] = "scar_analyze";

typedef struct work {
    scar__lab_planes lab;
    scar__mask skin;
    scar__anomaly_maps maps;
    scar__labels labels;
    scar__rings rings;
} work;

static void work_free(work *w)
{
    scar__plane_free(w->lab.L.data);
    scar__plane_free(w->lab.a.data);
    scar__plane_free(w->lab.b.data);
    scar__plane_free(w->skin.data);
    scar__plane_free(w->maps.zL.data);
    scar__plane_free(w->maps.za.data);
    scar__plane_free(w->maps.zb.data);
    scar__plane_free(w->maps.score.data);
    scar__plane_free(w->labels.data);
    scar__rings_free(&w->rings);
}

static int check_image(const scar_image *img)
{
    if (!img)
        return scar__fail(SCAR_E_INVALID, "%s: image is NULL", FN);
    uint32_t ch = scar_image_channels(img);
    if (ch == 1 || ch == 2)
        return scar__fail(SCAR_E_UNSUPPORTED,
                          "%s: the image is grayscale (%u channel%s); colour "
                          "measurements need an RGB photo", FN, ch,
                          ch == 1 ? "" : "s");
    if (ch != 3 && ch != 4)
        return scar__fail(SCAR_E_INVALID, "%s: unsupported channel count %u",
                          FN, ch);
    uint64_t npx = (uint64_t)scar_image_width(img) * scar_image_height(img);
    if (npx == 0)
        return scar__fail(SCAR_E_INVALID, "%s: empty image", FN);
    if (npx > SCAR_DEFAULT_MAX_PIXELS)
        return scar__fail(SCAR_E_LIMIT, "%s: %llu pixels exceed the limit of "
                          "%u", FN, (unsigned long long)npx,
                          SCAR_DEFAULT_MAX_PIXELS);
    return SCAR_OK;
}

/* Mean L*a*b* inside each region (skin pixels only) and in its ring. */
static int measure(const work *w, scar_result *res)
{
    uint32_t n = res->n_regions;
    if (n == 0)
        return SCAR_OK;
    res->regions = calloc(n, sizeof *res->regions);
    double *acc = calloc((size_t)n * 4, sizeof *acc);
    scar__region *props = NULL;
    int st = (!res->regions || !acc)
                 ? scar__fail(SCAR_E_NOMEM, "%s: out of memory (regions)", FN)
                 : scar__regionprops(&w->labels, (int32_t)n, 0, &props);
    if (st) {
        free(acc);
        return st;
    }
    uint32_t W = res->width, H = res->height;
    for (uint32_t y = 0; y < H; y++) {
        const int32_t *l = scar__labels_row(&w->labels, y);
        const uint8_t *s = scar__mask_row(&w->skin, y);
        const float *L = scar__planef_row(&w->lab.L, y);
        const float *A = scar__planef_row(&w->lab.a, y);
        const float *B = scar__planef_row(&w->lab.b, y);
        for (uint32_t x = 0; x < W; x++) {
            if (!l[x] || !s[x])
                continue;
            double *q = acc + (size_t)(l[x] - 1) * 4;
            q[0] += L[x];
            q[1] += A[x];
            q[2] += B[x];
            q[3] += 1.0;
        }
    }
    double ppm2 = res->px_per_mm * res->px_per_mm;
    for (uint32_t i = 0; i < n; i++) {
        scar_region *r = &res->regions[i];
        const scar__region *p = &props[i];
        const double *q = acc + (size_t)i * 4;
        r->struct_size = (uint32_t)sizeof *r;
        r->id = i + 1;
        r->area_px = (double)p->area;
        r->area_mm2 = (double)p->area / ppm2;
        r->bbox_x0 = p->x0;
        r->bbox_y0 = p->y0;
        r->bbox_x1 = p->x1;
        r->bbox_y1 = p->y1;
        r->centroid_x = p->centroid_x;
        r->centroid_y = p->centroid_y;
        for (int c = 0; c < 3; c++)
            r->lab_inside[c] = q[3] > 0 ? q[c] / q[3] : NAN;
        double ring[3] = {0, 0, 0};
        size_t a = w->rings.off[i], b = w->rings.off[i + 1];
        for (size_t j = a; j < b; j++) {
            uint32_t idx = w->rings.idx[j];
            uint32_t y = idx / W, x = idx % W;
            ring[0] += scar__planef_row(&w->lab.L, y)[x];
            ring[1] += scar__planef_row(&w->lab.a, y)[x];
            ring[2] += scar__planef_row(&w->lab.b, y)[x];
        }
        r->ring_area_px = (double)(b - a);
        for (int c = 0; c < 3; c++)
            r->lab_ring[c] = b > a ? ring[c] / (double)(b - a) : NAN;
        r->delta_e00 = scar_delta_e00(r->lab_inside, r->lab_ring);
        r->pigment_class =
            (uint32_t)scar__pigment_class(r->lab_inside, r->lab_ring, r->delta_e00);
    }
    scar__regionprops_free(props);
    free(acc);
    return SCAR_OK;
}

int scar_analyze(const scar_image *img, const scar_analyze_options *opts,
                 scar_result **out)
{
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", FN);
    *out = NULL;
    int st = check_image(img);
    if (st)
        return st;
    scar_analyze_options o;
    st = scar__analyze_resolve_options(opts, &o, FN);
    if (st)
        return st;
    uint32_t W = scar_image_width(img), H = scar_image_height(img);
    if (o.roi && (scar_image_width(o.roi) != W || scar_image_height(o.roi) != H))
        return scar__fail(SCAR_E_INVALID, "%s: ROI is %ux%u but the image is "
                          "%ux%u; give a mask of the image's (upright) size",
                          FN, scar_image_width(o.roi), scar_image_height(o.roi),
                          W, H);

    work w;
    memset(&w, 0, sizeof w);
    scar_result *res = calloc(1, sizeof *res);
    if (!res)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", FN);
    res->width = W;
    res->height = H;
    res->scale_assumed = o.px_per_mm == 0.0;
    res->px_per_mm = res->scale_assumed ? SCAR_DEFAULT_PX_PER_MM : o.px_per_mm;
    res->single_lesion = o.single_lesion != 0;

    st = scar__planef_alloc(W, H, FN, &w.lab.L);
    if (!st) st = scar__planef_alloc(W, H, FN, &w.lab.a);
    if (!st) st = scar__planef_alloc(W, H, FN, &w.lab.b);
    if (!st) st = scar__mask_alloc(W, H, FN, &w.skin);
    if (!st) st = scar__labels_alloc(W, H, FN, &w.labels);
    if (!st)
        st = scar_image_to_lab(img, NULL, 0, w.lab.L.data, w.lab.a.data,
                               w.lab.b.data, W);
    if (st)
        goto fail;

    /* step 3: skin / ROI mask */
    if (o.roi)
        st = scar__skin_from_roi(o.roi, W, H, FN, &w.skin);
    else
        st = scar__skin_candidates(&w.lab, FN, &w.skin);
    if (!st)
        st = scar__skin_exclude(&w.lab, res->px_per_mm, FN, &w.skin);
    if (st)
        goto fail;
    for (uint32_t y = 0; y < H; y++) {
        const uint8_t *s = scar__mask_row(&w.skin, y);
        for (uint32_t x = 0; x < W; x++)
            res->skin_area_px += s[x] != 0;
    }

    /* steps 4-5: model, anomaly, regions */
    scar__segment_params sp = {res->px_per_mm, o.z_high, o.z_low,
                               o.min_area_mm2, o.model_sigma_mm,
                               o.single_lesion != 0};
    int32_t count = 0;
    if (res->skin_area_px == 0) {
        count = 0;
    } else if (o.single_lesion) {
        st = scar__segment_single(&w.lab, &w.skin, &sp, FN, &w.labels, &count);
    } else {
        st = scar__planef_alloc(W, H, FN, &w.maps.zL);
        if (!st) st = scar__planef_alloc(W, H, FN, &w.maps.za);
        if (!st) st = scar__planef_alloc(W, H, FN, &w.maps.zb);
        if (!st) st = scar__planef_alloc(W, H, FN, &w.maps.score);
        if (!st) st = scar__anomaly(&w.lab, &w.skin, &sp, FN, &w.maps);
        if (!st)
            st = scar__segment_regions(&w.maps, &w.skin, &sp, FN, &w.labels,
                                       &count);
    }
    if (st)
        goto fail;
    res->n_regions = (uint32_t)count;

    /* step 6: perilesional rings; step 7 (colour part): measurements */
    st = scar__rings_compute(&w.labels, count, &w.skin,
                             o.ring_inner_mm * res->px_per_mm,
                             o.ring_outer_mm * res->px_per_mm, FN, &w.rings);
    if (!st)
        st = measure(&w, res);
    if (st)
        goto fail;

    /* hand over the label map and skin mask */
    res->labels = w.labels.data;
    w.labels.data = NULL;
    res->skin = w.skin.data;
    w.skin.data = NULL;
    work_free(&w);
    *out = res;
    return SCAR_OK;
fail:
    work_free(&w);
    scar_result_free(res);
    return st;
}
