/* csv.c — scar_csv_header, scar_result_to_csv: the two tidy tables (one
 * row per image, one row per region). The columns are the field tables of
 * fields.c; the header lines below are their names as literals (a static
 * string needs no lazy building), and test_score checks they agree with
 * the tables and with the committed expected headers. Numbers as in JSON
 * (12 significant digits, '.' whatever the locale), NaN as an empty field,
 * booleans as 0/1, classes and hints by name. */
#include <stdlib.h>
#include <string.h>

#include "analyze/result_internal.h"
#include "error.h"
#include "report/csv_internal.h"
#include "report/fields.h"
#include "report/sbuf.h"

static const char FN[] = "scar_result_to_csv";

static const char image_header[] =
    "width,height,px_per_mm,scale_assumed,single_lesion,skin_area_px,"
    "skin_area_mm2,region_count,skin_ita_deg,skin_ita_category,"
    "skin_mi_median,skin_mi_robust_sd,skin_ei_median,skin_ei_robust_sd,"
    "count_class_iso,count_class_hypo,count_class_hyper,"
    "count_class_erythema,count_hint_none,count_hint_icepick,"
    "count_hint_boxcar,count_hint_rolling,count_hint_hypertrophic,"
    "count_hint_striae,count_hint_patch,area_mm2_class_iso,"
    "area_mm2_class_hypo,area_mm2_class_hyper,area_mm2_class_erythema,"
    "area_fraction_class_iso,area_fraction_class_hypo,"
    "area_fraction_class_hyper,area_fraction_class_erythema,"
    "region_area_mm2,region_area_fraction,delta_e00_area_weighted,"
    "delta_e00_max,delta_e76_area_weighted,skin_roughness,"
    "goodman_baron_score,mss_color_class,mmasi_like,mmasi_area_score,"
    "mmasi_darkness_score,analysis_px_per_mm,analysis_shrink,regions_given,"
    "exposure_reference_Y,detection_limit_dL_1mm2,detection_limit_dL_10mm2,"
    "detection_limit_dL_100mm2,detection_limit_da_1mm2,"
    "detection_limit_da_10mm2,detection_limit_da_100mm2,"
    "detection_limit_db_1mm2,detection_limit_db_10mm2,"
    "detection_limit_db_100mm2\n";
static const char region_header[] =
    "id,area_px,area_mm2,bbox_x0,bbox_y0,bbox_x1,bbox_y1,centroid_x,"
    "centroid_y,class,morph_hint,mss_color_class,perimeter_px,"
    "perimeter_mm,equivalent_diameter_px,equivalent_diameter_mm,"
    "major_axis_px,major_axis_mm,minor_axis_px,minor_axis_mm,elongation,"
    "orientation_deg,solidity,circularity,ring_area_px,L_inside,a_inside,"
    "b_inside,L_ring,a_ring,b_ring,L_inside_median,a_inside_median,"
    "b_inside_median,L_ring_median,a_ring_median,b_ring_median,"
    "ita_inside,ita_ring,mi_inside,mi_ring,ei_inside,ei_ring,"
    "melanin_inside,melanin_ring,haemoglobin_inside,haemoglobin_ring,"
    "delta_L,delta_a,delta_b,delta_e00,delta_e00_sd,exposure_gain,"
    "delta_e76,delta_ita,delta_mi,delta_ei,delta_melanin,delta_haemoglobin,"
    "glcm_contrast_inside,glcm_contrast_ring,glcm_dissimilarity_inside,"
    "glcm_dissimilarity_ring,glcm_homogeneity_inside,"
    "glcm_homogeneity_ring,glcm_energy_inside,glcm_energy_ring,"
    "glcm_asm_inside,glcm_asm_ring,glcm_correlation_inside,"
    "glcm_correlation_ring,glcm_entropy_inside,glcm_entropy_ring,"
    "lbp_chi2,roughness_inside,roughness_ring\n";

const char *scar_csv_header(scar_csv_table table)
{
    switch (table) {
    case SCAR_CSV_IMAGES: return image_header;
    case SCAR_CSV_REGIONS: return region_header;
    default: return NULL;
    }
}

const char *scar__csv_column_name(scar_csv_table table, size_t k)
{
    if (table == SCAR_CSV_IMAGES)
        return k < scar__image_field_count ? scar__image_fields[k].csv : NULL;
    if (table == SCAR_CSV_REGIONS)
        return k < scar__region_field_count ? scar__region_fields[k].csv : NULL;
    return NULL;
}

static void put_row(scar__sbuf *b, const scar__field *f, size_t n,
                    const void *base)
{
    for (size_t k = 0; k < n; k++) {
        if (k)
            scar__sbuf_put(b, ",", 1);
        scar__field_put(b, &f[k], base, 0);
    }
    scar__sbuf_put(b, "\n", 1);
}

int scar_result_to_csv(const scar_result *res, scar_csv_table table,
                       char **out_csv, size_t *out_size)
{
    if (out_csv)
        *out_csv = NULL;
    if (out_size)
        *out_size = 0;
    if (!res || !out_csv)
        return scar__fail(SCAR_E_INVALID, "%s: NULL %s", FN,
                          res ? "out_csv" : "result");
    if (table != SCAR_CSV_IMAGES && table != SCAR_CSV_REGIONS)
        return scar__fail(SCAR_E_INVALID, "%s: unknown table %d; use "
                          "SCAR_CSV_IMAGES or SCAR_CSV_REGIONS", FN, (int)table);
    scar__sbuf b = {0};
    scar__sbuf_put(&b, "", 0); /* an empty table is "", not NULL */
    if (table == SCAR_CSV_IMAGES) {
        put_row(&b, scar__image_fields, scar__image_field_count, &res->summary);
    } else {
        for (uint32_t i = 0; i < res->n_regions; i++)
            put_row(&b, scar__region_fields, scar__region_field_count,
                    &res->regions[i]);
    }
    if (b.failed) {
        free(b.p);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", FN);
    }
    *out_csv = b.p;
    if (out_size)
        *out_size = b.len;
    return SCAR_OK;
}
