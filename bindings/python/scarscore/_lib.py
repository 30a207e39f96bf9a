"""Finding and loading libscarscore, and the ctypes declarations of the
public C API (include/scarscore.h). Every structure here mirrors the header
field by field; tests/test_layout.py checks sizes and offsets against a C
compiler and against the sizes the library's *_init functions write.

Lookup order (the first that names something wins):
  1. SCARSCORE_LIBRARY   full path of libscarscore.so(.0)
  2. SCARSCORE_BUILD_DIR a CMake build tree: BUILD/lib/libscarscore.so.0
  3. ctypes.util.find_library("scarscore"), then the soname libscarscore.so.0
"""
import ctypes
import ctypes.util
import glob
import os
import threading

from ._errors import Error

#: The library major version these declarations were written for. The
#: soname carries the major, so a different major is a different ABI.
ABI_MAJOR = 0

c_int, c_uint32, c_uint64, c_int32 = ctypes.c_int, ctypes.c_uint32, ctypes.c_uint64, ctypes.c_int32
c_double, c_size_t, c_void_p, c_char_p = ctypes.c_double, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_char_p
P = ctypes.POINTER


class LoadOptions(ctypes.Structure):
    """struct scar_load_options"""
    _fields_ = [("struct_size", c_uint32), ("max_side", c_uint32),
                ("max_pixels", c_uint64), ("scale_denom", c_uint32),
                ("apply_orientation", c_uint32)]


class ChromophoreOptions(ctypes.Structure):
    """struct scar_chromophore_options"""
    _fields_ = [("struct_size", c_uint32), ("estimate", c_uint32),
                ("melanin", c_double * 3), ("haemoglobin", c_double * 3)]


class GlcmProps(ctypes.Structure):
    """struct scar_glcm_props"""
    _fields_ = [("contrast", c_double), ("dissimilarity", c_double),
                ("homogeneity", c_double), ("energy", c_double),
                ("angular_second_moment", c_double), ("correlation", c_double),
                ("entropy", c_double), ("pairs", c_uint64),
                ("combinations", c_uint32)]


PAIRED_UINT_FIELDS = ("n", "n_dropped", "n_nonzero", "n_positive", "n_negative")
PAIRED_DOUBLE_FIELDS_1 = ("mean_before", "mean_after", "mean_diff", "median_diff",
                          "sd_diff", "se_diff", "ci95_low", "ci95_high", "t", "df",
                          "p_t", "wilcoxon_w_plus", "wilcoxon_w_minus", "wilcoxon_z",
                          "p_wilcoxon")
PAIRED_DOUBLE_FIELDS_2 = ("p_sign", "cohens_dz", "hedges_gz", "rank_biserial")


class PairedStats(ctypes.Structure):
    """struct scar_paired_stats"""
    _fields_ = ([("struct_size", c_uint32)]
                + [(n, c_uint32) for n in PAIRED_UINT_FIELDS]
                + [(n, c_double) for n in PAIRED_DOUBLE_FIELDS_1]
                + [("wilcoxon_exact", c_uint32), ("reserved0", c_uint32)]
                + [(n, c_double) for n in PAIRED_DOUBLE_FIELDS_2])


class AnalyzeOptions(ctypes.Structure):
    """struct scar_analyze_options"""
    _fields_ = [("struct_size", c_uint32), ("single_lesion", c_uint32),
                ("px_per_mm", c_double),
                ("z_high", c_double), ("z_low", c_double),
                ("min_area_mm2", c_double), ("model_sigma_mm", c_double),
                ("ring_inner_mm", c_double), ("ring_outer_mm", c_double),
                ("max_memory_bytes", ctypes.c_uint64),
                ("analysis_px_per_mm", c_double), ("exposure_normalize", c_uint32)]


#: Doubles of scar_region after morph_hint, in header order (split around
#: the two median arrays).
REGION_DOUBLE_FIELDS_1 = (
    "perimeter_px", "perimeter_mm", "equivalent_diameter_px", "equivalent_diameter_mm",
    "major_axis_px", "major_axis_mm", "minor_axis_px", "minor_axis_mm", "elongation",
    "orientation_deg", "solidity", "circularity")
REGION_DOUBLE_FIELDS_2 = (
    "ita_inside", "ita_ring", "mi_inside", "mi_ring", "ei_inside", "ei_ring",
    "melanin_inside", "melanin_ring", "haemoglobin_inside", "haemoglobin_ring",
    "delta_L", "delta_a", "delta_b", "delta_ita", "delta_mi", "delta_ei",
    "delta_melanin", "delta_haemoglobin", "delta_e76", "delta_e00_sd",
    "glcm_contrast_inside", "glcm_contrast_ring",
    "glcm_dissimilarity_inside", "glcm_dissimilarity_ring",
    "glcm_homogeneity_inside", "glcm_homogeneity_ring",
    "glcm_energy_inside", "glcm_energy_ring", "glcm_asm_inside", "glcm_asm_ring",
    "glcm_correlation_inside", "glcm_correlation_ring",
    "glcm_entropy_inside", "glcm_entropy_ring", "lbp_chi2",
    "roughness_inside", "roughness_ring")
SUMMARY_DOUBLE_FIELDS = (
    "region_area_mm2", "region_area_fraction", "delta_e00_area_weighted",
    "delta_e00_max", "delta_e76_area_weighted", "skin_roughness",
    "goodman_baron_score", "mmasi_like")


class Region(ctypes.Structure):
    """struct scar_region"""
    _fields_ = ([("struct_size", c_uint32), ("id", c_uint32),
                ("area_px", c_double), ("area_mm2", c_double),
                ("bbox_x0", c_uint32), ("bbox_y0", c_uint32),
                ("bbox_x1", c_uint32), ("bbox_y1", c_uint32),
                ("centroid_x", c_double), ("centroid_y", c_double),
                ("lab_inside", c_double * 3), ("lab_ring", c_double * 3),
                ("delta_e00", c_double), ("ring_area_px", c_double),
                ("pigment_class", c_uint32), ("morph_hint", c_uint32)]
               + [(n, c_double) for n in REGION_DOUBLE_FIELDS_1]
               + [("lab_inside_median", c_double * 3), ("lab_ring_median", c_double * 3)]
               + [(n, c_double) for n in REGION_DOUBLE_FIELDS_2]
               + [("mss_color_class", c_uint32), ("reserved0", c_uint32),
                  ("exposure_gain", c_double)])


class Summary(ctypes.Structure):
    """struct scar_summary"""
    _fields_ = ([("struct_size", c_uint32), ("width", c_uint32), ("height", c_uint32),
                 ("scale_assumed", c_uint32), ("single_lesion", c_uint32),
                 ("region_count", c_uint32), ("px_per_mm", c_double),
                 ("skin_area_px", ctypes.c_uint64), ("skin_area_mm2", c_double),
                 ("skin_ita_deg", c_double), ("skin_ita_category", c_uint32),
                 ("reserved0", c_uint32)]
                + [(n, c_double) for n in ("skin_mi_median", "skin_mi_robust_sd",
                                           "skin_ei_median", "skin_ei_robust_sd")]
                + [("count_by_class", c_uint32 * 4), ("count_by_hint", c_uint32 * 7),
                   ("reserved1", c_uint32),
                   ("area_mm2_by_class", c_double * 4),
                   ("area_fraction_by_class", c_double * 4)]
                + [(n, c_double) for n in SUMMARY_DOUBLE_FIELDS]
                + [("mmasi_area_score", c_uint32), ("mmasi_darkness_score", c_uint32),
                   ("mss_color_class", c_uint32), ("reserved2", c_uint32),
                   ("analysis_px_per_mm", c_double), ("analysis_shrink", c_uint32),
                   ("regions_given", c_uint32),
                   ("exposure_reference_Y", c_double),
                   ("detection_limit_dL", c_double * 3),
                   ("detection_limit_da", c_double * 3),
                   ("detection_limit_db", c_double * 3)])


#: Every mirrored structure, by its C name (used by the layout test).
STRUCTS = {
    "scar_load_options": LoadOptions,
    "scar_chromophore_options": ChromophoreOptions,
    "scar_glcm_props": GlcmProps,
    "scar_paired_stats": PairedStats,
    "scar_analyze_options": AnalyzeOptions,
    "scar_region": Region,
    "scar_summary": Summary,
}

D3 = c_double * 3
PD = P(c_double)
PU8 = P(ctypes.c_uint8)
PF = P(ctypes.c_float)

# name: (restype, argtypes). Pointers to images/results are opaque c_void_p.
_PROTOTYPES = {
    "scar_version": (c_char_p, []),
    "scar_version_number": (c_int32, []),
    "scar_strerror": (c_char_p, [c_int]),
    "scar_last_error": (c_char_p, []),
    # images
    "scar_image_new": (c_int, [c_uint32, c_uint32, c_uint32, c_uint32, P(c_void_p)]),
    "scar_image_from_memory": (c_int, [c_void_p, c_uint32, c_uint32, c_uint32,
                                       c_uint32, c_size_t, c_uint32, P(c_void_p)]),
    "scar_image_free": (None, [c_void_p]),
    "scar_image_width": (c_uint32, [c_void_p]),
    "scar_image_height": (c_uint32, [c_void_p]),
    "scar_image_channels": (c_uint32, [c_void_p]),
    "scar_image_bit_depth": (c_uint32, [c_void_p]),
    "scar_image_stride": (c_size_t, [c_void_p]),
    "scar_image_data": (c_void_p, [c_void_p]),
    "scar_image_orientation": (c_uint32, [c_void_p]),
    "scar_image_scale_denom": (c_uint32, [c_void_p]),
    "scar_image_format": (c_int, [c_void_p]),
    "scar_load_options_init": (None, [P(LoadOptions)]),
    "scar_image_load": (c_int, [c_char_p, P(LoadOptions), P(c_void_p)]),
    "scar_image_load_memory": (c_int, [c_void_p, c_size_t, P(LoadOptions), P(c_void_p)]),
    "scar_image_save_png": (c_int, [c_void_p, c_char_p]),
    "scar_free": (None, [c_void_p]),
    # colour
    "scar_srgb_to_lab": (None, [D3, D3]),
    "scar_lab_to_srgb": (None, [D3, D3]),
    "scar_delta_e00_k": (c_double, [D3, D3, c_double, c_double, c_double]),
    "scar_ita": (c_double, [c_double, c_double]),
    "scar_ita_category_of": (c_int, [c_double]),
    "scar_ita_category_name": (c_char_p, [c_int]),
    "scar_image_to_lab": (c_int, [c_void_p, PU8, c_size_t, PF, PF, PF, c_size_t]),
    "scar_chromophore_options_init": (None, [P(ChromophoreOptions)]),
    # texture
    "scar_glcm_features": (c_int, [PU8, c_size_t, c_uint32, c_uint32, PU8, c_size_t,
                                   c_uint32, P(c_uint32), c_uint32, P(GlcmProps)]),
    "scar_lbp_uniform": (c_int, [PF, c_size_t, c_uint32, c_uint32, PU8, c_size_t,
                                 PU8, c_size_t, PD]),
    "scar_chi2_distance": (c_double, [PD, PD, c_uint32]),
    # paired statistics
    "scar_paired_stats_compute": (c_int, [PD, PD, c_size_t, P(PairedStats)]),
    "scar_paired_stats_from_differences": (c_int, [PD, c_size_t, P(PairedStats)]),
    # analysis
    "scar_analyze_options_init": (None, [P(AnalyzeOptions)]),
    "scar_analyze": (c_int, [c_void_p, c_void_p, P(AnalyzeOptions), P(c_void_p)]),
    "scar_analyze_file": (c_int, [c_char_p, P(LoadOptions), c_void_p, P(AnalyzeOptions),
                                  P(c_void_p)]),
    "scar_measure": (c_int, [c_void_p, c_void_p, c_void_p, P(AnalyzeOptions), P(c_void_p)]),
    "scar_result_free": (None, [c_void_p]),
    "scar_result_region_count": (c_uint32, [c_void_p]),
    "scar_result_region": (c_int, [c_void_p, c_uint32, P(Region)]),
    "scar_result_summary": (c_int, [c_void_p, P(Summary)]),
    "scar_morph_hint_name": (c_char_p, [c_uint32]),
    "scar_csv_header": (c_char_p, [c_int]),
    "scar_result_to_csv": (c_int, [c_void_p, c_int, P(c_void_p), P(c_size_t)]),
    "scar_result_labels": (P(c_int32), [c_void_p, P(c_uint32), P(c_uint32)]),
    "scar_result_skin_mask": (PU8, [c_void_p, P(c_uint32), P(c_uint32)]),
    "scar_result_px_per_mm": (c_double, [c_void_p]),
    "scar_result_scale_assumed": (c_int, [c_void_p]),
    "scar_result_to_json": (c_int, [c_void_p, P(c_void_p), P(c_size_t)]),
    "scar_result_save_labels_png": (c_int, [c_void_p, c_char_p]),
    "scar_pigment_class_name": (c_char_p, [c_int]),
}


def _candidates():
    """Library paths to try, in order, with where each came from."""
    explicit = os.environ.get("SCARSCORE_LIBRARY")
    if explicit:
        return [(explicit, "SCARSCORE_LIBRARY")]
    build = os.environ.get("SCARSCORE_BUILD_DIR")
    if build:
        # The soname first: the name a linked program would load.
        names = [os.path.join(build, "lib", "libscarscore.so.%d" % ABI_MAJOR)]
        names += sorted(glob.glob(os.path.join(build, "lib", "libscarscore.so.*")))
        names.append(os.path.join(build, "lib", "libscarscore.so"))
        found = [n for n in names if os.path.exists(n)]
        return [(found[0] if found else names[0], "SCARSCORE_BUILD_DIR")]
    out = []
    name = ctypes.util.find_library("scarscore")
    if name:
        out.append((name, "ctypes.util.find_library"))
    out.append(("libscarscore.so.%d" % ABI_MAJOR, "the dynamic loader's search path"))
    return out


def _open():
    tried = []
    for path, origin in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (from %s): %s" % (path, origin, e))
            continue
        major = lib.scar_version_number() // 1000000
        if major != ABI_MAJOR:
            raise OSError("scarscore: %s is version %d.x but these bindings need %d.x; "
                          "point SCARSCORE_LIBRARY at a matching build"
                          % (path, major, ABI_MAJOR))
        for fname, (res, args) in _PROTOTYPES.items():
            f = getattr(lib, fname)
            f.restype = res
            f.argtypes = args
        lib._scarscore_path = path
        return lib
    raise OSError("scarscore: cannot load the C library libscarscore.so.%d; tried:\n  %s\n"
                  "Set SCARSCORE_LIBRARY=/path/to/libscarscore.so.%d or "
                  "SCARSCORE_BUILD_DIR=/path/to/cmake/build, or install the library."
                  % (ABI_MAJOR, "\n  ".join(tried), ABI_MAJOR))


_lock = threading.Lock()
_lib = None


def lib():
    """The loaded library (opened on first use, so that importing scarscore
    never fails just because the library is elsewhere)."""
    global _lib
    if _lib is None:
        with _lock:
            if _lib is None:
                _lib = _open()
    return _lib


def check(status):
    """Turn a non-zero status into scarscore.Error with the library's
    message. scar_last_error() is thread-local in C, and a Python thread is
    one OS thread, so the message read here is this call's."""
    if status != 0:
        L = lib()
        raise Error(status, L.scar_last_error().decode("utf-8", "replace"),
                    L.scar_strerror(status).decode("utf-8", "replace"))
    return status


def fspath_bytes(path, what="path"):
    """A str/bytes/os.PathLike as bytes for a char* argument."""
    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError("%s must be str, bytes or os.PathLike, not %s"
                        % (what, type(path).__name__))
    b = os.fsencode(path)
    if b"\0" in b:
        raise ValueError("%s contains a NUL byte" % what)
    return b
