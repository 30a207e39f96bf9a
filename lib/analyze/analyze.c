/* analyze.c — scar_analyze: the pipeline of DESIGN.md steps 2-7 (colour,
 * skin mask, local skin model and anomaly map, regions, perilesional rings,
 * colour measurements). Algorithms: docs/skin.md, docs/segment.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analysis_scale.h"
#include "analyze/given_regions.h"
#include "analyze/analyze_internal.h"
#include "analyze/analyze_timing.h"
#include "analyze/result_internal.h"
#include "error.h"
#include "morph/morph.h"
#include "score/score.h"
#include "segment/segment.h"
#include "skin/large_patches.h"
#include "skin/skin.h"

static const char FN[] = "scar_analyze";

typedef struct work {
    scar__lab_planes lab;
    scar__mask skin;
    scar__mask glare; /* what the skin step excluded as glare */
    scar__large_patches large; /* lesions too large for the local models */
    scar__anomaly_maps maps;
    scar__labels labels;
    scar__rings rings;
    scar__index_rows indices;
} work;

static void work_free(work *w)
{
    scar__plane_free(w->lab.L.data);
    scar__plane_free(w->lab.a.data);
    scar__plane_free(w->lab.b.data);
    scar__plane_free(w->skin.data);
    scar__plane_free(w->glare.data);
    scar__large_patches_free(&w->large);
    scar__plane_free(w->maps.zL.data);
    scar__plane_free(w->maps.za.data);
    scar__plane_free(w->maps.zb.data);
    scar__plane_free(w->maps.score.data);
    scar__plane_free(w->labels.data);
    scar__rings_free(&w->rings);
    scar__index_rows_free(&w->indices);
}

static int lab_alloc(uint32_t W, uint32_t H, scar__lab_planes *lab)
{
    int st = scar__planef_alloc(W, H, FN, &lab->L);
    if (!st) st = scar__planef_alloc(W, H, FN, &lab->a);
    if (!st) st = scar__planef_alloc(W, H, FN, &lab->b);
    return st;
}

/* Fills w->lab with the L*a*b* of the image (again: the same bits). */
static int lab_refill(const scar_image *img, work *w)
{
    scar__planef *const out[3] = {&w->lab.L, &w->lab.a, &w->lab.b};
    return scar__lab_restore(img, out, FN);
}

/* L*a*b* planes of the image (released by scar__anomaly in the default
 * mode and by scar__segment_single, and filled again for the
 * measurements). */
static int lab_compute(const scar_image *img, work *w)
{
    int st = lab_alloc(scar_image_width(img), scar_image_height(img),
                       &w->lab);
    return st ? st : lab_refill(img, w);
}

static int check_image(const scar__photo *img, const char *fn)
{
    uint32_t ch = img->channels;
    if (ch == 1 || ch == 2)
        return scar__fail(SCAR_E_UNSUPPORTED,
                          "%s: the image is grayscale (%u channel%s); colour "
                          "measurements need an RGB photo", fn, ch,
                          ch == 1 ? "" : "s");
    if (ch != 3 && ch != 4)
        return scar__fail(SCAR_E_INVALID, "%s: unsupported channel count %u",
                          fn, ch);
    uint64_t npx = (uint64_t)img->width * img->height;
    if (npx == 0)
        return scar__fail(SCAR_E_INVALID, "%s: empty image", fn);
    if (npx > SCAR_DEFAULT_MAX_PIXELS)
        return scar__fail(SCAR_E_LIMIT, "%s: %llu pixels exceed the limit of "
                          "%u", fn, (unsigned long long)npx,
                          SCAR_DEFAULT_MAX_PIXELS);
    return SCAR_OK;
}

/* Step 7: the measurements of lib/score. The melanin/erythema indices and
 * the Tsumura densities (default vectors) are read from the image pixel by
 * pixel or per row span (no whole-image planes; L*, a*, b* are planes,
 * texture reads windows of L*); every per-region measurement reads only
 * its bbox and ring. */
static int measure(work *w, const scar_image *img, double ring_outer_px,
                   int exposure_normalize, scar_result *res)
{
    uint32_t W = res->width, H = res->height;
    /* a* and b* stay planes: the summary and the colour of each ring read
     * them instead of converting the image again (below the segmentation's
     * memory peak) */
    int st = w->lab.L.data ? SCAR_OK : lab_compute(img, w);
    if (!st)
        st = scar__index_rows_init(img, FN, &w->indices);
    if (st)
        return st;
    if (res->n_regions) {
        res->regions = calloc(res->n_regions, sizeof *res->regions);
        if (!res->regions)
            return scar__fail(SCAR_E_NOMEM, "%s: out of memory (regions)", FN);
    }
    scar__score_input in = {&w->lab, {&w->indices, {NULL}}, &w->skin,
                            &w->labels, (int32_t)res->n_regions, &w->rings,
                            res->px_per_mm, ring_outer_px, 0.0};
    if (exposure_normalize) {
        st = scar__score_exposure_reference(&in, FN, &in.exposure_ref);
        if (st)
            return st;
    }
    st = scar__score_regions(&in, FN, res->regions);
    if (st)
        return st;
    scar_summary *s = &res->summary;
    memset(s, 0, sizeof *s);
    s->struct_size = (uint32_t)sizeof *s;
    s->width = W;
    s->height = H;
    s->scale_assumed = res->scale_assumed != 0;
    s->single_lesion = res->single_lesion != 0;
    s->px_per_mm = res->px_per_mm;
    s->skin_area_px = res->skin_area_px;
    s->skin_area_mm2 = (double)res->skin_area_px /
                       (res->px_per_mm * res->px_per_mm);
    s->exposure_reference_Y = in.exposure_ref > 0.0 ? in.exposure_ref
                                                             : NAN;
    return scar__score_summary(&in, res->regions, FN, s);
}

/* CPU seconds of this thread, for the optional stage timing. */
static double thread_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Adds the time since *t0 to stage `s` and restarts the clock. */
static void stage_done(scar__analyze_timing *t, scar__stage s, double *t0)
{
    if (!t)
        return;
    double now = thread_seconds();
    t->seconds[s] += now - *t0;
    *t0 = now;
}

/* The shrink factor of the analysis of a W x H photo (1: full
 * resolution) under resolved options `o`; `regions`: scar_measure. */
static uint32_t shrink_factor(const scar_analyze_options *o, int regions,
                              uint32_t W, uint32_t H)
{
    double ppm_in = o->px_per_mm == 0.0 ? SCAR_DEFAULT_PX_PER_MM
                                        : o->px_per_mm;
    /* the single-lesion mode works in fractions of the frame, not in mm:
     * it always sees the full resolution (docs/segment.md) */
    return o->single_lesion || regions
               ? 1
               : scar__analysis_shrink(ppm_in, o->analysis_px_per_mm, W, H);
}

/* scar_analyze, and scar_measure when `regions` is not NULL (then at full
 * resolution, the regions read from it instead of segmented); fn names
 * the public function in messages. The photo `in` is a decoded image, or
 * (scar_analyze_memory) a JPEG analysed shrunk, decoded as it is shrunk:
 * the full-size photo is read only row by row, from the top. */
static int analyze_core(const scar__photo *in, const scar_image *roi,
                        const scar_image *regions,
                        const scar_analyze_options *opts, scar_result **out,
                        scar__analyze_timing *timing,
                        const scar__segment_trace *trace, const char *fn)
{
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", fn);
    *out = NULL;
    int st = check_image(in, fn);
    if (st)
        return st;
    scar_analyze_options o;
    st = scar__analyze_resolve_options(opts, &o, fn);
    if (st)
        return st;
    const scar_image *img = in->img;
    uint32_t W = in->width, H = in->height;
    if (roi && (scar_image_width(roi) != W || scar_image_height(roi) != H))
        return scar__fail(SCAR_E_INVALID, "%s: ROI is %ux%u but the image is "
                          "%ux%u; give a mask of the image's (upright) size",
                          fn, scar_image_width(roi), scar_image_height(roi),
                          W, H);
    if (regions && (scar_image_width(regions) != W ||
                    scar_image_height(regions) != H))
        return scar__fail(SCAR_E_INVALID, "%s: the regions image is %ux%u but "
                          "the image is %ux%u; give a label map of the "
                          "image's (upright) size", fn,
                          scar_image_width(regions), scar_image_height(regions),
                          W, H);
    if (regions && scar_image_channels(regions) > 2)
        return scar__fail(SCAR_E_INVALID, "%s: the regions image has %u "
                          "channels; give a gray label map (0 = none, each "
                          "other value one region), not colours", fn,
                          scar_image_channels(regions));
    if (regions)
        o.single_lesion = 0; /* the regions are given, not searched for */
    int scale_assumed = o.px_per_mm == 0.0;
    double ppm_in = scale_assumed ? SCAR_DEFAULT_PX_PER_MM : o.px_per_mm;
    uint32_t f = shrink_factor(&o, regions != NULL, W, H);
    if (!img && f == 1)
        return scar__fail(SCAR_E_INTERNAL, "%s: a photo analysed at full "
                          "resolution must be decoded", fn);
    uint64_t sw = W / f + (W % f != 0), sh = H / f + (H % f != 0);
    /* the analysis of the shrunk photo, plus the input-size label map and
     * skin mask (5 B/px) and with a ROI its 0/255 copy (1 B/px) */
    uint64_t need = sw * sh * SCAR_ANALYZE_BYTES_PER_PIXEL +
                    (f > 1 ? (uint64_t)W * H * 6 : 0);
    if (o.max_memory_bytes && need > o.max_memory_bytes)
        return scar__fail(SCAR_E_LIMIT,
                          "%s: a %ux%u image needs about %llu MiB, above the "
                          "ceiling of %llu MiB (max_memory_bytes); load it at "
                          "1/2 or 1/4 scale or raise the ceiling", fn, W, H,
                          (unsigned long long)(need >> 20),
                          (unsigned long long)(o.max_memory_bytes >> 20));

    double t0 = 0.0;
    if (timing) {
        memset(timing, 0, sizeof *timing);
        t0 = thread_seconds();
    }
    work w;
    memset(&w, 0, sizeof w);
    scar_image *small_img = NULL, *small_roi = NULL;
    scar_result *res = calloc(1, sizeof *res);
    if (!res)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", fn);
    /* the analysis runs on the photo shrunk by f (docs/segment.md,
     * "Analysis resolution"); the result is restated on the input's grid
     * at the end */
    uint32_t W_in = W, H_in = H;
    const scar_image *roi_in = roi;
    if (f > 1) {
        st = scar__analysis_shrink_inputs(in, roi, f, fn, &small_img,
                                          &small_roi);
        if (st)
            goto fail;
        img = small_img;
        roi = small_roi;
        W = scar_image_width(img);
        H = scar_image_height(img);
    }
    res->width = W;
    res->height = H;
    res->scale_assumed = scale_assumed;
    res->px_per_mm = ppm_in / f;
    res->single_lesion = o.single_lesion != 0;

    st = scar__mask_alloc(W, H, fn, &w.skin);
    if (!st)
        st = lab_compute(img, &w);
    if (st)
        goto fail;
    stage_done(timing, SCAR__STAGE_COLOUR, &t0);

    /* step 3: skin / ROI mask */
    if (roi)
        st = scar__skin_from_roi(roi, W, H, fn, &w.skin);
    else
        st = scar__skin_candidates(&w.lab, fn, &w.skin);
    /* lesions too large for the local skin levels and model: found on
     * the skin's colour before the exclusions, which they would fool
     * (a vitiligo patch as glare, a brown one as shadow) */
    if (!st && !regions && !o.single_lesion) {
        const scar__planef *const X[3] = {&w.lab.L, &w.lab.a, &w.lab.b};
        st = scar__large_patches_find(X, &w.skin, res->px_per_mm,
                                      o.model_sigma_mm, fn, &w.large);
    }
    if (!st)
        st = scar__skin_exclude(&w.lab, res->px_per_mm, &w.large, fn,
                                &w.skin, &w.glare);
    /* the skin step used a* and b* as scratch: L*a*b* again (the same
     * bits) */
    if (!st)
        st = lab_refill(img, &w);
    if (st)
        goto fail;
    for (uint32_t y = 0; y < H; y++) {
        const uint8_t *s = scar__mask_row(&w.skin, y);
        for (uint32_t x = 0; x < W; x++)
            res->skin_area_px += s[x] != 0;
    }
    stage_done(timing, SCAR__STAGE_SKIN, &t0);

    /* steps 4-5: model, anomaly, regions */
    scar__segment_params sp = {res->px_per_mm, o.z_high, o.z_low,
                               o.min_area_mm2, o.model_sigma_mm,
                               o.single_lesion != 0, f,
                               w.glare.data ? &w.glare : NULL,
                               f > 1 ? in : NULL,
                               w.large.count ? &w.large : NULL, trace};
    int32_t count = 0;
    _Static_assert(sizeof res->summary.detection_limit_dL ==
                       SCAR__LIMIT_AREAS * sizeof(double),
                   "one detection limit per area of SCAR__LIMIT_AREA_MM2");
    double limits[SCAR__LIMIT_AREAS][3]; /* NaN unless segmented */
    for (int j = 0; j < SCAR__LIMIT_AREAS; j++)
        limits[j][0] = limits[j][1] = limits[j][2] = NAN;
    /* The label map is allocated as late as possible: after the skin step,
     * and in the default mode after the anomaly maps, whose scratch planes
     * are the memory peak (docs/performance.md). */
    if (regions) {
        st = scar__labels_alloc(W, H, fn, &w.labels);
        if (!st)
            st = scar__labels_from_image(regions, fn, &w.labels, &count);
    } else if (res->skin_area_px == 0) {
        st = scar__labels_alloc(W, H, fn, &w.labels);
    } else if (o.single_lesion) {
        /* scar__segment_single takes over L*a*b* (its planes become the
         * smoothed colour, projection and distance map); measure()
         * computes it again */
        st = scar__labels_alloc(W, H, fn, &w.labels);
        if (!st)
            st = scar__segment_single(&w.lab, &w.skin, &sp, fn, &w.labels,
                                      &count);
    } else {
        /* scar__anomaly takes over L*a*b* (its planes become the z maps);
         * measure() computes it again */
        st = scar__planef_alloc(W, H, fn, &w.maps.score);
        if (!st) st = scar__anomaly(img, &w.lab, &w.skin, &sp, fn, &w.maps);
        if (!st) st = scar__labels_alloc(W, H, fn, &w.labels);
        if (!st)
            st = scar__segment_regions(&w.maps, &w.skin, &sp, fn, &w.labels,
                                       &count);
        if (!st)
            memcpy(limits, w.maps.limit, sizeof limits);
    }
    /* the anomaly maps are not needed past segmentation: free them before
     * the measurement planes are allocated (peak memory) */
    scar__planef *maps[4] = {&w.maps.zL, &w.maps.za, &w.maps.zb,
                             &w.maps.score};
    for (int k = 0; k < 4; k++) {
        scar__plane_free(maps[k]->data);
        maps[k]->data = NULL;
    }
    if (st)
        goto fail;
    res->n_regions = (uint32_t)count;
    stage_done(timing, SCAR__STAGE_SEGMENT, &t0);

    /* step 6: perilesional rings; step 7 (colour part): measurements */
    st = scar__rings_compute(&w.labels, count, &w.skin,
                             o.ring_inner_mm * res->px_per_mm,
                             o.ring_outer_mm * res->px_per_mm, fn, &w.rings);
    stage_done(timing, SCAR__STAGE_RINGS, &t0);
    if (!st)
        st = measure(&w, img, o.ring_outer_mm * res->px_per_mm,
                     o.exposure_normalize != 0, res);
    if (st)
        goto fail;

    /* hand over the label map and skin mask */
    res->labels = w.labels.data;
    w.labels.data = NULL;
    res->skin = w.skin.data;
    w.skin.data = NULL;
    work_free(&w);
    scar_image_free(small_img);
    scar_image_free(small_roi);
    small_img = small_roi = NULL;
    res->summary.analysis_px_per_mm = res->px_per_mm;
    res->summary.analysis_shrink = f;
    res->summary.regions_given = regions != NULL;
    for (int j = 0; j < SCAR__LIMIT_AREAS; j++) {
        res->summary.detection_limit_dL[j] = limits[j][0];
        res->summary.detection_limit_da[j] = limits[j][1];
        res->summary.detection_limit_db[j] = limits[j][2];
    }
    if (f > 1) {
        st = scar__analysis_to_input_grid(res, roi_in, f, W_in, H_in, ppm_in,
                                          fn);
        if (st)
            goto fail;
    }
    stage_done(timing, SCAR__STAGE_MEASURE, &t0);
    *out = res;
    return SCAR_OK;
fail:
    work_free(&w);
    scar_image_free(small_img);
    scar_image_free(small_roi);
    scar_result_free(res);
    return st;
}

uint32_t scar__analyze_shrink_factor(const scar_analyze_options *opts,
                                     uint32_t width, uint32_t height)
{
    scar_analyze_options o;
    if (scar__analyze_resolve_options(opts, &o, FN))
        return 1;
    return shrink_factor(&o, 0, width, height);
}

int scar__analyze_photo(const scar__photo *photo, const scar_image *roi,
                        const scar_analyze_options *opts, scar_result **out,
                        scar__analyze_timing *timing, const char *fn)
{
    return analyze_core(photo, roi, NULL, opts, out, timing, NULL, fn);
}

/* analyze_core on a decoded image. */
static int analyze_image(const scar_image *img, const scar_image *roi,
                         const scar_image *regions,
                         const scar_analyze_options *opts, scar_result **out,
                         scar__analyze_timing *timing,
                         const scar__segment_trace *trace, const char *fn)
{
    if (out)
        *out = NULL;
    if (!img)
        return scar__fail(SCAR_E_INVALID, "%s: image is NULL", fn);
    scar__photo p;
    scar__photo_of_image(img, &p);
    return analyze_core(&p, roi, regions, opts, out, timing, trace, fn);
}

int scar_analyze(const scar_image *img, const scar_image *roi,
                 const scar_analyze_options *opts, scar_result **out)
{
    return analyze_image(img, roi, NULL, opts, out, NULL, NULL, FN);
}

int scar__analyze_timed(const scar_image *img, const scar_image *roi,
                        const scar_analyze_options *opts, scar_result **out,
                        scar__analyze_timing *timing)
{
    return analyze_image(img, roi, NULL, opts, out, timing, NULL, FN);
}

int scar__analyze_traced(const scar_image *img, const scar_image *roi,
                         const scar_analyze_options *opts,
                         const scar__segment_trace *trace, scar_result **out)
{
    return analyze_image(img, roi, NULL, opts, out, NULL, trace, FN);
}

int scar_measure(const scar_image *img, const scar_image *roi,
                 const scar_image *regions, const scar_analyze_options *opts,
                 scar_result **out)
{
    static const char fn[] = "scar_measure";
    if (out)
        *out = NULL;
    if (!regions)
        return scar__fail(SCAR_E_INVALID, "%s: regions is NULL; give a label "
                          "image (0 = none, k = region k)", fn);
    return analyze_image(img, roi, regions, opts, out, NULL, NULL, fn);
}
