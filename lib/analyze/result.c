/* result.c — the scar_result getters and the pigment-class rule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analysis_scale.h"
#include "analyze/analyze_internal.h"
#include "analyze/result_internal.h"
#include "error.h"

const char *scar_pigment_class_name(scar_pigment_class c)
{
    switch (c) {
    case SCAR_CLASS_ISO: return "iso";
    case SCAR_CLASS_HYPO: return "hypo";
    case SCAR_CLASS_HYPER: return "hyper";
    case SCAR_CLASS_ERYTHEMA: return "erythema";
    default: return "unknown";
    }
}

scar_pigment_class scar__pigment_class(const double in[3], const double ring[3],
                                       double de00)
{
    if (!isfinite(de00) || de00 < SCAR__CLASS_ISO_DE00)
        return SCAR_CLASS_ISO;
    double dL = in[0] - ring[0], da = in[1] - ring[1];
    if (da >= SCAR__CLASS_ERYTHEMA_DA && da > 0.5 * fabs(dL))
        return SCAR_CLASS_ERYTHEMA;
    return dL >= 0.0 ? SCAR_CLASS_HYPO : SCAR_CLASS_HYPER;
}

void scar_result_free(scar_result *res)
{
    if (!res)
        return;
    free(res->labels);
    free(res->skin);
    free(res->grid_labels);
    free(res->grid_skin);
    free(res->regions);
    free(res);
}

uint32_t scar_result_region_count(const scar_result *res)
{
    return res ? res->n_regions : 0;
}

int scar_result_region(const scar_result *res, uint32_t index, scar_region *out)
{
    if (!res || !out)
        return scar__fail(SCAR_E_INVALID, "scar_result_region: NULL %s",
                          res ? "output" : "result");
    if (out->struct_size == 0)
        return scar__fail(SCAR_E_INVALID, "scar_result_region: out->struct_size "
                          "is 0; set it to sizeof(scar_region)");
    if (index >= res->n_regions)
        return scar__fail(SCAR_E_INVALID, "scar_result_region: index %u out of "
                          "range (%u regions)", index, res->n_regions);
    size_t n = out->struct_size < sizeof(scar_region) ? out->struct_size
                                                      : sizeof(scar_region);
    uint32_t keep = out->struct_size;
    memcpy(out, &res->regions[index], n);
    out->struct_size = keep;
    return SCAR_OK;
}

int scar_result_summary(const scar_result *res, scar_summary *out)
{
    if (!res || !out)
        return scar__fail(SCAR_E_INVALID, "scar_result_summary: NULL %s",
                          res ? "output" : "result");
    if (out->struct_size == 0)
        return scar__fail(SCAR_E_INVALID, "scar_result_summary: "
                          "out->struct_size is 0; set it to "
                          "sizeof(scar_summary)");
    size_t n = out->struct_size < sizeof(scar_summary) ? out->struct_size
                                                       : sizeof(scar_summary);
    uint32_t keep = out->struct_size;
    memcpy(out, &res->summary, n);
    out->struct_size = keep;
    return SCAR_OK;
}

const int32_t *scar_result_labels(const scar_result *res, uint32_t *width,
                                  uint32_t *height)
{
    if (width)
        *width = res ? res->width : 0;
    if (height)
        *height = res ? res->height : 0;
    if (!res || scar__result_input_maps(res, "scar_result_labels"))
        return NULL;
    return res->labels;
}

int scar_result_label_row(const scar_result *res, uint32_t y, int32_t *out)
{
    static const char FN[] = "scar_result_label_row";
    if (!res || !out)
        return scar__fail(SCAR_E_INVALID, "%s: NULL %s", FN,
                          res ? "out" : "result");
    if (y >= res->height)
        return scar__fail(SCAR_E_INVALID, "%s: row %u of a map %u rows "
                          "high", FN, y, res->height);
    scar__result_label_row(res, y, out);
    return SCAR_OK;
}

const uint8_t *scar_result_skin_mask(const scar_result *res, uint32_t *width,
                                     uint32_t *height)
{
    if (width)
        *width = res ? res->width : 0;
    if (height)
        *height = res ? res->height : 0;
    if (!res || scar__result_input_maps(res, "scar_result_skin_mask"))
        return NULL;
    return res->skin;
}

double scar_result_px_per_mm(const scar_result *res)
{
    return res ? res->px_per_mm : 0.0;
}

int scar_result_scale_assumed(const scar_result *res)
{
    return res ? res->scale_assumed : 0;
}
