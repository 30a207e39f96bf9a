"""scarscore: scar and pigment measurement in clinical skin photographs.

ctypes bindings over the C library libscarscore.so.0 (no compiled
extension); numpy arrays in and out. The library is found through
SCARSCORE_LIBRARY (a file), SCARSCORE_BUILD_DIR (a CMake build tree), or
the system's loader. Reference: docs/python.md.

    import scarscore
    res = scarscore.analyze("photo.jpg", px_per_mm=12.5)
    res.summary, res.regions, res.labels, res.skin_mask
"""
from ._analyze import IMAGE_KEYS, REGION_KEYS, Result, analyze, measure
from ._color import delta_e00, image_to_lab, ita, ita_category, lab_to_srgb, srgb_to_lab
from ._errors import Error
from ._image import Image, load, load_bytes
from ._stats import paired_stats, paired_stats_from_differences
from ._texture import GLCM_PROPERTIES, LBP, LBP_BINS, chi2_distance, glcm_features, lbp

__version__ = "0.1.0"


def library_version():
    """The loaded C library's version string, e.g. "0.1.0"."""
    from ._lib import lib
    return lib().scar_version().decode()


def library_path():
    """The path (or soname) the C library was loaded from."""
    from ._lib import lib
    return lib()._scarscore_path


__all__ = [
    "Error", "Image", "load", "load_bytes", "analyze", "measure", "Result", "REGION_KEYS", "IMAGE_KEYS",
    "srgb_to_lab", "lab_to_srgb", "image_to_lab", "delta_e00", "ita", "ita_category",
    "glcm_features", "lbp", "LBP", "LBP_BINS", "GLCM_PROPERTIES", "chi2_distance",
    "paired_stats", "paired_stats_from_differences", "library_version", "library_path",
]
