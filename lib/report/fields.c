/* fields.c — the field tables of fields.h and the writer of one value.
 * Table order = CSV column order = JSON key order. A change here goes with
 * docs/metrics.md, the literal headers in csv.c and
 * tests/data/score_csv_header_{images,regions}.txt (test_score checks all
 * four agree). */
#include "report/fields.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

void scar__field_put(scar__sbuf *b, const scar__field *f, const void *base,
                     int json)
{
    const unsigned char *p = (const unsigned char *)base + f->offset;
    uint32_t u = 0;
    if (f->kind != SCAR__F_NUM && f->kind != SCAR__F_U64)
        memcpy(&u, p, sizeof u);
    const char *name = NULL;
    switch (f->kind) {
    case SCAR__F_NUM: {
        double v;
        memcpy(&v, p, sizeof v);
        scar__sbuf_put_num(b, v, json ? "null" : "");
        return;
    }
    case SCAR__F_U64: {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        scar__sbuf_put_u64(b, (unsigned long long)v);
        return;
    }
    case SCAR__F_U32:
        scar__sbuf_put_u64(b, u);
        return;
    case SCAR__F_BOOL:
        scar__sbuf_puts(b, json ? (u ? "true" : "false") : (u ? "1" : "0"));
        return;
    case SCAR__F_CLASS:
        name = scar_pigment_class_name((scar_pigment_class)u);
        break;
    case SCAR__F_HINT:
        name = scar_morph_hint_name((scar_morph_hint)u);
        break;
    case SCAR__F_ITACAT:
        name = scar_ita_category_name((scar_ita_category)u);
        break;
    }
    /* names are lower-case words and spaces: no CSV quoting or JSON
     * escaping needed */
    if (json)
        scar__sbuf_put(b, "\"", 1);
    scar__sbuf_puts(b, name);
    if (json)
        scar__sbuf_put(b, "\"", 1);
}

const scar__field scar__image_fields[] = {
    {"width", "width", NULL, SCAR__F_U32, offsetof(scar_summary, width)},
    {"height", "height", NULL, SCAR__F_U32, offsetof(scar_summary, height)},
    {"px_per_mm", "px_per_mm", NULL, SCAR__F_NUM, offsetof(scar_summary, px_per_mm)},
    {"scale_assumed", "scale_assumed", NULL, SCAR__F_BOOL, offsetof(scar_summary, scale_assumed)},
    {"single_lesion", "single_lesion", NULL, SCAR__F_BOOL, offsetof(scar_summary, single_lesion)},
    {"skin_area_px", "skin_area_px", NULL, SCAR__F_U64, offsetof(scar_summary, skin_area_px)},
    {"skin_area_mm2", "skin_area_mm2", NULL, SCAR__F_NUM, offsetof(scar_summary, skin_area_mm2)},
    {"region_count", "region_count", NULL, SCAR__F_U32, offsetof(scar_summary, region_count)},
    {"skin_ita_deg", "skin_ita_deg", NULL, SCAR__F_NUM, offsetof(scar_summary, skin_ita_deg)},
    {"skin_ita_category", "skin_ita_category", NULL, SCAR__F_ITACAT, offsetof(scar_summary, skin_ita_category)},
    {"skin_mi_median", "skin_mi_median", NULL, SCAR__F_NUM, offsetof(scar_summary, skin_mi_median)},
    {"skin_mi_robust_sd", "skin_mi_robust_sd", NULL, SCAR__F_NUM, offsetof(scar_summary, skin_mi_robust_sd)},
    {"skin_ei_median", "skin_ei_median", NULL, SCAR__F_NUM, offsetof(scar_summary, skin_ei_median)},
    {"skin_ei_robust_sd", "skin_ei_robust_sd", NULL, SCAR__F_NUM, offsetof(scar_summary, skin_ei_robust_sd)},
    {"count_class_iso", "count_by_class", "iso", SCAR__F_U32, offsetof(scar_summary, count_by_class) + 0 * sizeof(uint32_t)},
    {"count_class_hypo", "count_by_class", "hypo", SCAR__F_U32, offsetof(scar_summary, count_by_class) + 1 * sizeof(uint32_t)},
    {"count_class_hyper", "count_by_class", "hyper", SCAR__F_U32, offsetof(scar_summary, count_by_class) + 2 * sizeof(uint32_t)},
    {"count_class_erythema", "count_by_class", "erythema", SCAR__F_U32, offsetof(scar_summary, count_by_class) + 3 * sizeof(uint32_t)},
    {"count_hint_none", "count_by_hint", "none", SCAR__F_U32, offsetof(scar_summary, count_by_hint) + 0 * sizeof(uint32_t)},
    {"count_hint_icepick", "count_by_hint", "icepick", SCAR__F_U32, offsetof(scar_summary, count_by_hint) + 1 * sizeof(uint32_t)},
    {"count_hint_boxcar", "count_by_hint", "boxcar", SCAR__F_U32, offsetof(scar_summary, count_by_hint) + 2 * sizeof(uint32_t)},
    {"count_hint_rolling", "count_by_hint", "rolling", SCAR__F_U32, offsetof(scar_summary, count_by_hint) + 3 * sizeof(uint32_t)},
    {"count_hint_hypertrophic", "count_by_hint", "hypertrophic", SCAR__F_U32, offsetof(scar_summary, count_by_hint) + 4 * sizeof(uint32_t)},
    {"count_hint_striae", "count_by_hint", "striae", SCAR__F_U32, offsetof(scar_summary, count_by_hint) + 5 * sizeof(uint32_t)},
    {"count_hint_patch", "count_by_hint", "patch", SCAR__F_U32, offsetof(scar_summary, count_by_hint) + 6 * sizeof(uint32_t)},
    {"area_mm2_class_iso", "area_mm2_by_class", "iso", SCAR__F_NUM, offsetof(scar_summary, area_mm2_by_class) + 0 * sizeof(double)},
    {"area_mm2_class_hypo", "area_mm2_by_class", "hypo", SCAR__F_NUM, offsetof(scar_summary, area_mm2_by_class) + 1 * sizeof(double)},
    {"area_mm2_class_hyper", "area_mm2_by_class", "hyper", SCAR__F_NUM, offsetof(scar_summary, area_mm2_by_class) + 2 * sizeof(double)},
    {"area_mm2_class_erythema", "area_mm2_by_class", "erythema", SCAR__F_NUM, offsetof(scar_summary, area_mm2_by_class) + 3 * sizeof(double)},
    {"area_fraction_class_iso", "area_fraction_by_class", "iso", SCAR__F_NUM, offsetof(scar_summary, area_fraction_by_class) + 0 * sizeof(double)},
    {"area_fraction_class_hypo", "area_fraction_by_class", "hypo", SCAR__F_NUM, offsetof(scar_summary, area_fraction_by_class) + 1 * sizeof(double)},
    {"area_fraction_class_hyper", "area_fraction_by_class", "hyper", SCAR__F_NUM, offsetof(scar_summary, area_fraction_by_class) + 2 * sizeof(double)},
    {"area_fraction_class_erythema", "area_fraction_by_class", "erythema", SCAR__F_NUM, offsetof(scar_summary, area_fraction_by_class) + 3 * sizeof(double)},
    {"region_area_mm2", "region_area_mm2", NULL, SCAR__F_NUM, offsetof(scar_summary, region_area_mm2)},
    {"region_area_fraction", "region_area_fraction", NULL, SCAR__F_NUM, offsetof(scar_summary, region_area_fraction)},
    {"delta_e00_area_weighted", "delta_e00_area_weighted", NULL, SCAR__F_NUM, offsetof(scar_summary, delta_e00_area_weighted)},
    {"delta_e00_max", "delta_e00_max", NULL, SCAR__F_NUM, offsetof(scar_summary, delta_e00_max)},
    {"delta_e76_area_weighted", "delta_e76_area_weighted", NULL, SCAR__F_NUM, offsetof(scar_summary, delta_e76_area_weighted)},
    {"skin_roughness", "skin_roughness", NULL, SCAR__F_NUM, offsetof(scar_summary, skin_roughness)},
    {"goodman_baron_score", "goodman_baron_score", NULL, SCAR__F_NUM, offsetof(scar_summary, goodman_baron_score)},
    {"mss_color_class", "mss_color_class", NULL, SCAR__F_U32, offsetof(scar_summary, mss_color_class)},
    {"mmasi_like", "mmasi_like", NULL, SCAR__F_NUM, offsetof(scar_summary, mmasi_like)},
    {"mmasi_area_score", "mmasi_area_score", NULL, SCAR__F_U32, offsetof(scar_summary, mmasi_area_score)},
    {"mmasi_darkness_score", "mmasi_darkness_score", NULL, SCAR__F_U32, offsetof(scar_summary, mmasi_darkness_score)},
    {"analysis_px_per_mm", "analysis_px_per_mm", NULL, SCAR__F_NUM, offsetof(scar_summary, analysis_px_per_mm)},
    {"analysis_shrink", "analysis_shrink", NULL, SCAR__F_U32, offsetof(scar_summary, analysis_shrink)},
    {"regions_given", "regions_given", NULL, SCAR__F_BOOL, offsetof(scar_summary, regions_given)},
    {"exposure_reference_Y", "exposure_reference_Y", NULL, SCAR__F_NUM, offsetof(scar_summary, exposure_reference_Y)},
    {"detection_limit_dL_1mm2", "detection_limit_dL", "1mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_dL) + 0 * sizeof(double)},
    {"detection_limit_dL_10mm2", "detection_limit_dL", "10mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_dL) + 1 * sizeof(double)},
    {"detection_limit_dL_100mm2", "detection_limit_dL", "100mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_dL) + 2 * sizeof(double)},
    {"detection_limit_da_1mm2", "detection_limit_da", "1mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_da) + 0 * sizeof(double)},
    {"detection_limit_da_10mm2", "detection_limit_da", "10mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_da) + 1 * sizeof(double)},
    {"detection_limit_da_100mm2", "detection_limit_da", "100mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_da) + 2 * sizeof(double)},
    {"detection_limit_db_1mm2", "detection_limit_db", "1mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_db) + 0 * sizeof(double)},
    {"detection_limit_db_10mm2", "detection_limit_db", "10mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_db) + 1 * sizeof(double)},
    {"detection_limit_db_100mm2", "detection_limit_db", "100mm2", SCAR__F_NUM, offsetof(scar_summary, detection_limit_db) + 2 * sizeof(double)},
};
const size_t scar__image_field_count = sizeof scar__image_fields / sizeof scar__image_fields[0];

const scar__field scar__region_fields[] = {
    {"id", "id", NULL, SCAR__F_U32, offsetof(scar_region, id)},
    {"area_px", "area_px", NULL, SCAR__F_NUM, offsetof(scar_region, area_px)},
    {"area_mm2", "area_mm2", NULL, SCAR__F_NUM, offsetof(scar_region, area_mm2)},
    {"bbox_x0", "bbox", "", SCAR__F_U32, offsetof(scar_region, bbox_x0)},
    {"bbox_y0", "bbox", "", SCAR__F_U32, offsetof(scar_region, bbox_y0)},
    {"bbox_x1", "bbox", "", SCAR__F_U32, offsetof(scar_region, bbox_x1)},
    {"bbox_y1", "bbox", "", SCAR__F_U32, offsetof(scar_region, bbox_y1)},
    {"centroid_x", "centroid", "", SCAR__F_NUM, offsetof(scar_region, centroid_x)},
    {"centroid_y", "centroid", "", SCAR__F_NUM, offsetof(scar_region, centroid_y)},
    {"class", "class", NULL, SCAR__F_CLASS, offsetof(scar_region, pigment_class)},
    {"morph_hint", "morph_hint", NULL, SCAR__F_HINT, offsetof(scar_region, morph_hint)},
    {"mss_color_class", "mss_color_class", NULL, SCAR__F_U32, offsetof(scar_region, mss_color_class)},
    {"perimeter_px", "perimeter_px", NULL, SCAR__F_NUM, offsetof(scar_region, perimeter_px)},
    {"perimeter_mm", "perimeter_mm", NULL, SCAR__F_NUM, offsetof(scar_region, perimeter_mm)},
    {"equivalent_diameter_px", "equivalent_diameter_px", NULL, SCAR__F_NUM, offsetof(scar_region, equivalent_diameter_px)},
    {"equivalent_diameter_mm", "equivalent_diameter_mm", NULL, SCAR__F_NUM, offsetof(scar_region, equivalent_diameter_mm)},
    {"major_axis_px", "major_axis_px", NULL, SCAR__F_NUM, offsetof(scar_region, major_axis_px)},
    {"major_axis_mm", "major_axis_mm", NULL, SCAR__F_NUM, offsetof(scar_region, major_axis_mm)},
    {"minor_axis_px", "minor_axis_px", NULL, SCAR__F_NUM, offsetof(scar_region, minor_axis_px)},
    {"minor_axis_mm", "minor_axis_mm", NULL, SCAR__F_NUM, offsetof(scar_region, minor_axis_mm)},
    {"elongation", "elongation", NULL, SCAR__F_NUM, offsetof(scar_region, elongation)},
    {"orientation_deg", "orientation_deg", NULL, SCAR__F_NUM, offsetof(scar_region, orientation_deg)},
    {"solidity", "solidity", NULL, SCAR__F_NUM, offsetof(scar_region, solidity)},
    {"circularity", "circularity", NULL, SCAR__F_NUM, offsetof(scar_region, circularity)},
    {"ring_area_px", "ring_area_px", NULL, SCAR__F_NUM, offsetof(scar_region, ring_area_px)},
    {"L_inside", "lab_inside", "", SCAR__F_NUM, offsetof(scar_region, lab_inside) + 0 * sizeof(double)},
    {"a_inside", "lab_inside", "", SCAR__F_NUM, offsetof(scar_region, lab_inside) + 1 * sizeof(double)},
    {"b_inside", "lab_inside", "", SCAR__F_NUM, offsetof(scar_region, lab_inside) + 2 * sizeof(double)},
    {"L_ring", "lab_ring", "", SCAR__F_NUM, offsetof(scar_region, lab_ring) + 0 * sizeof(double)},
    {"a_ring", "lab_ring", "", SCAR__F_NUM, offsetof(scar_region, lab_ring) + 1 * sizeof(double)},
    {"b_ring", "lab_ring", "", SCAR__F_NUM, offsetof(scar_region, lab_ring) + 2 * sizeof(double)},
    {"L_inside_median", "lab_inside_median", "", SCAR__F_NUM, offsetof(scar_region, lab_inside_median) + 0 * sizeof(double)},
    {"a_inside_median", "lab_inside_median", "", SCAR__F_NUM, offsetof(scar_region, lab_inside_median) + 1 * sizeof(double)},
    {"b_inside_median", "lab_inside_median", "", SCAR__F_NUM, offsetof(scar_region, lab_inside_median) + 2 * sizeof(double)},
    {"L_ring_median", "lab_ring_median", "", SCAR__F_NUM, offsetof(scar_region, lab_ring_median) + 0 * sizeof(double)},
    {"a_ring_median", "lab_ring_median", "", SCAR__F_NUM, offsetof(scar_region, lab_ring_median) + 1 * sizeof(double)},
    {"b_ring_median", "lab_ring_median", "", SCAR__F_NUM, offsetof(scar_region, lab_ring_median) + 2 * sizeof(double)},
    {"ita_inside", "ita_inside", NULL, SCAR__F_NUM, offsetof(scar_region, ita_inside)},
    {"ita_ring", "ita_ring", NULL, SCAR__F_NUM, offsetof(scar_region, ita_ring)},
    {"mi_inside", "mi_inside", NULL, SCAR__F_NUM, offsetof(scar_region, mi_inside)},
    {"mi_ring", "mi_ring", NULL, SCAR__F_NUM, offsetof(scar_region, mi_ring)},
    {"ei_inside", "ei_inside", NULL, SCAR__F_NUM, offsetof(scar_region, ei_inside)},
    {"ei_ring", "ei_ring", NULL, SCAR__F_NUM, offsetof(scar_region, ei_ring)},
    {"melanin_inside", "melanin_inside", NULL, SCAR__F_NUM, offsetof(scar_region, melanin_inside)},
    {"melanin_ring", "melanin_ring", NULL, SCAR__F_NUM, offsetof(scar_region, melanin_ring)},
    {"haemoglobin_inside", "haemoglobin_inside", NULL, SCAR__F_NUM, offsetof(scar_region, haemoglobin_inside)},
    {"haemoglobin_ring", "haemoglobin_ring", NULL, SCAR__F_NUM, offsetof(scar_region, haemoglobin_ring)},
    {"delta_L", "delta_L", NULL, SCAR__F_NUM, offsetof(scar_region, delta_L)},
    {"delta_a", "delta_a", NULL, SCAR__F_NUM, offsetof(scar_region, delta_a)},
    {"delta_b", "delta_b", NULL, SCAR__F_NUM, offsetof(scar_region, delta_b)},
    {"delta_e00", "delta_e00", NULL, SCAR__F_NUM, offsetof(scar_region, delta_e00)},
    {"delta_e00_sd", "delta_e00_sd", NULL, SCAR__F_NUM, offsetof(scar_region, delta_e00_sd)},
    {"exposure_gain", "exposure_gain", NULL, SCAR__F_NUM, offsetof(scar_region, exposure_gain)},
    {"delta_e76", "delta_e76", NULL, SCAR__F_NUM, offsetof(scar_region, delta_e76)},
    {"delta_ita", "delta_ita", NULL, SCAR__F_NUM, offsetof(scar_region, delta_ita)},
    {"delta_mi", "delta_mi", NULL, SCAR__F_NUM, offsetof(scar_region, delta_mi)},
    {"delta_ei", "delta_ei", NULL, SCAR__F_NUM, offsetof(scar_region, delta_ei)},
    {"delta_melanin", "delta_melanin", NULL, SCAR__F_NUM, offsetof(scar_region, delta_melanin)},
    {"delta_haemoglobin", "delta_haemoglobin", NULL, SCAR__F_NUM, offsetof(scar_region, delta_haemoglobin)},
    {"glcm_contrast_inside", "glcm_contrast_inside", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_contrast_inside)},
    {"glcm_contrast_ring", "glcm_contrast_ring", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_contrast_ring)},
    {"glcm_dissimilarity_inside", "glcm_dissimilarity_inside", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_dissimilarity_inside)},
    {"glcm_dissimilarity_ring", "glcm_dissimilarity_ring", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_dissimilarity_ring)},
    {"glcm_homogeneity_inside", "glcm_homogeneity_inside", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_homogeneity_inside)},
    {"glcm_homogeneity_ring", "glcm_homogeneity_ring", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_homogeneity_ring)},
    {"glcm_energy_inside", "glcm_energy_inside", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_energy_inside)},
    {"glcm_energy_ring", "glcm_energy_ring", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_energy_ring)},
    {"glcm_asm_inside", "glcm_asm_inside", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_asm_inside)},
    {"glcm_asm_ring", "glcm_asm_ring", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_asm_ring)},
    {"glcm_correlation_inside", "glcm_correlation_inside", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_correlation_inside)},
    {"glcm_correlation_ring", "glcm_correlation_ring", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_correlation_ring)},
    {"glcm_entropy_inside", "glcm_entropy_inside", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_entropy_inside)},
    {"glcm_entropy_ring", "glcm_entropy_ring", NULL, SCAR__F_NUM, offsetof(scar_region, glcm_entropy_ring)},
    {"lbp_chi2", "lbp_chi2", NULL, SCAR__F_NUM, offsetof(scar_region, lbp_chi2)},
    {"roughness_inside", "roughness_inside", NULL, SCAR__F_NUM, offsetof(scar_region, roughness_inside)},
    {"roughness_ring", "roughness_ring", NULL, SCAR__F_NUM, offsetof(scar_region, roughness_ring)},
};
const size_t scar__region_field_count = sizeof scar__region_fields / sizeof scar__region_fields[0];
