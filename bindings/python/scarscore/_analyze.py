"""scarscore.analyze and Result (scar_analyze, scar_result_*)."""
import ctypes
import json
import math
import os

import numpy as np

from ._errors import E_NOMEM
from ._image import Handle, Image, _as_pixel_array, load, view
from ._lib import AnalyzeOptions, Region, check, fspath_bytes, lib

_TUNABLES = ("z_high", "z_low", "min_area_mm2", "model_sigma_mm",
             "ring_inner_mm", "ring_outer_mm", "analysis_px_per_mm")


def _as_image(x, what):
    """An Image from an Image, a path or a uint8/uint16 array."""
    if isinstance(x, Image):
        return x
    if isinstance(x, (str, bytes, os.PathLike)):
        return load(x)
    if isinstance(x, np.ndarray):
        return Image.from_array(_as_pixel_array(x, what), copy=False)
    raise TypeError("%s must be a scarscore.Image, a path or a numpy.ndarray, not %s"
                    % (what, type(x).__name__))


def _roi_image(roi):
    if isinstance(roi, np.ndarray) and (roi.dtype == np.bool_ or roi.ndim == 2):
        if roi.dtype != np.bool_ and roi.dtype.kind not in "iu":
            raise TypeError("roi must be bool or integer, not %s" % roi.dtype)
        if roi.ndim != 2:
            raise ValueError("a bool roi must be 2-D, got shape %s" % (roi.shape,))
        roi = np.ascontiguousarray(roi != 0, dtype=np.uint8)
    return _as_image(roi, "roi")


def _number(name, v, lo, hi, lo_open=True):
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise TypeError("%s must be a number, not %s" % (name, type(v).__name__))
    v = float(v)
    ok = math.isfinite(v) and (v > lo if lo_open else v >= lo) and v <= hi
    if not ok:
        raise ValueError("%s must be finite and in %s%g, %g], got %r"
                         % (name, "(" if lo_open else "[", lo, hi, v))
    return v


def _options(fn, px_per_mm, tuning, allowed):
    """scar_analyze_options with the documented defaults, the scale and the
    tuning keywords (each in `allowed`) set; TypeError / ValueError for
    unusable ones."""
    unknown = set(tuning) - set(allowed)
    if unknown:
        raise TypeError("%s() got unexpected keyword argument(s) %s"
                        % (fn, ", ".join(sorted(unknown))))
    o = AnalyzeOptions()
    lib().scar_analyze_options_init(ctypes.byref(o))
    if px_per_mm is not None:
        o.px_per_mm = _number("px_per_mm", px_per_mm, 0.0, 10000.0)
    for k, v in tuning.items():
        setattr(o, k, _number(k, v, 0.0, 1e9, lo_open=False))
    return o


def _same_size(what, other, img):
    if (other.width, other.height) != (img.width, img.height):
        raise ValueError("%s is %dx%d but the image is %dx%d"
                         % (what, other.width, other.height, img.width, img.height))
    return other


def analyze(image, px_per_mm=None, roi=None, single_lesion=False,
            as_photographed=False, **tuning):
    """Find and measure scars and pigment patches (scar_analyze).

    image: a scarscore.Image, a path to a PNG/JPEG, or a (h, w, 3|4)
        uint8/uint16 sRGB array (upright). A path without a roi goes to
        scar_analyze_file: the same result, and a JPEG analysed shrunk is
        never held whole in memory.
    px_per_mm: image scale; None = unknown (10 px/mm assumed, reported in
        summary["scale_assumed"]). Must be in (0, 10000].
    roi: None (automatic skin mask) or a region of interest of the same
        size: a 2-D bool/int array, an Image or a path (first channel
        non-zero = analyse).
    single_lesion: the photo shows one dominant lesion.
    as_photographed: measure L*a*b* as photographed instead of at the
        photo's best-lit exposure (region "exposure_gain", docs/metrics.md).
    tuning: z_high, z_low, min_area_mm2, model_sigma_mm, ring_inner_mm,
        ring_outer_mm, analysis_px_per_mm (0 = full resolution) override
        the defaults of scar_analyze_options_init (docs/segment.md).
    Returns a Result. Raises scarscore.Error when the library fails, and
    TypeError / ValueError for unusable arguments."""
    o = _options("analyze", px_per_mm, tuning, _TUNABLES)
    o.single_lesion = 1 if single_lesion else 0
    o.exposure_normalize = 0 if as_photographed else 1
    out = ctypes.c_void_p()
    if roi is None and isinstance(image, (str, bytes, os.PathLike)):
        # scar_analyze_file: the same result, and a JPEG analysed shrunk is
        # decoded as it is shrunk, never held whole (docs/performance.md)
        check(lib().scar_analyze_file(fspath_bytes(image), None, None,
                                      ctypes.byref(o), ctypes.byref(out)))
        return Result(out.value)
    img = _as_image(image, "image")
    roi_img = None if roi is None else _same_size("roi", _roi_image(roi), img)
    check(lib().scar_analyze(img._h(), roi_img._h() if roi_img is not None else None,
                             ctypes.byref(o), ctypes.byref(out)))
    return Result(out.value)


def _regions_image(regions):
    """A label Image from a 2-D integer array (values 0..65535), an Image or
    a path (first channel: 0 = no region, each other value one region)."""
    if isinstance(regions, np.ndarray) and regions.ndim == 2:
        if regions.dtype.kind not in "iu":
            raise TypeError("regions must be an integer array, not %s" % regions.dtype)
        if regions.size and (regions.min() < 0 or regions.max() > 65535):
            raise ValueError("regions values must be in 0..65535")
        regions = np.ascontiguousarray(regions, dtype=np.uint16)
    return _as_image(regions, "regions")


def measure(image, regions, px_per_mm=None, roi=None, as_photographed=False,
            **tuning):
    """Measure the caller's regions instead of finding them (scar_measure):
    every measurement of analyze() for given outlines (an expert's, or an
    earlier result's labels edited by hand), at full resolution.

    regions: a 2-D integer array (0 = no region, each other value one
        region), a gray label Image or a path to a gray label PNG, of the image's
        size. Regions are numbered 1..n by increasing value (see
        Result.labels).
    image, px_per_mm, roi, as_photographed: as analyze().
    tuning: ring_inner_mm, ring_outer_mm (the segmentation options do not
        apply).
    Returns a Result with summary["regions_given"] true."""
    o = _options("measure", px_per_mm, tuning, ("ring_inner_mm", "ring_outer_mm"))
    o.exposure_normalize = 0 if as_photographed else 1
    img = _as_image(image, "image")
    reg = _same_size("regions", _regions_image(regions), img)
    roi_img = None if roi is None else _same_size("roi", _roi_image(roi), img)
    out = ctypes.c_void_p()
    check(lib().scar_measure(img._h(), roi_img._h() if roi_img is not None else None,
                             reg._h(), ctypes.byref(o), ctypes.byref(out)))
    return Result(out.value)


_LAB_ARRAYS = {"_inside": "lab_inside", "_ring": "lab_ring",
               "_inside_median": "lab_inside_median", "_ring_median": "lab_ring_median"}

#: Region keys, in order: exactly the columns of the regions CSV table
#: (scar_csv_header(SCAR_CSV_REGIONS), checked by the tests); every value is
#: a plain Python number or string so that pandas.DataFrame(result.regions)
#: gives one column per key. Definitions: docs/metrics.md.
REGION_KEYS = (
    "id", "area_px", "area_mm2", "bbox_x0", "bbox_y0", "bbox_x1", "bbox_y1",
    "centroid_x", "centroid_y", "class", "morph_hint", "mss_color_class",
    "perimeter_px", "perimeter_mm", "equivalent_diameter_px",
    "equivalent_diameter_mm", "major_axis_px", "major_axis_mm", "minor_axis_px",
    "minor_axis_mm", "elongation", "orientation_deg", "solidity", "circularity",
    "ring_area_px", "L_inside", "a_inside", "b_inside", "L_ring", "a_ring",
    "b_ring", "L_inside_median", "a_inside_median", "b_inside_median",
    "L_ring_median", "a_ring_median", "b_ring_median", "ita_inside", "ita_ring",
    "mi_inside", "mi_ring", "ei_inside", "ei_ring", "melanin_inside",
    "melanin_ring", "haemoglobin_inside", "haemoglobin_ring", "delta_L", "delta_a",
    "delta_b", "delta_e00", "delta_e00_sd", "exposure_gain", "delta_e76", "delta_ita", "delta_mi",
    "delta_ei", "delta_melanin", "delta_haemoglobin", "glcm_contrast_inside",
    "glcm_contrast_ring", "glcm_dissimilarity_inside", "glcm_dissimilarity_ring",
    "glcm_homogeneity_inside", "glcm_homogeneity_ring", "glcm_energy_inside",
    "glcm_energy_ring", "glcm_asm_inside", "glcm_asm_ring",
    "glcm_correlation_inside", "glcm_correlation_ring", "glcm_entropy_inside",
    "glcm_entropy_ring", "lbp_chi2", "roughness_inside", "roughness_ring")

#: The image-table CSV columns (scar_csv_header(SCAR_CSV_IMAGES)).
IMAGE_KEYS = (
    "width", "height", "px_per_mm", "scale_assumed", "single_lesion",
    "skin_area_px", "skin_area_mm2", "region_count", "skin_ita_deg",
    "skin_ita_category", "skin_mi_median", "skin_mi_robust_sd", "skin_ei_median",
    "skin_ei_robust_sd", "count_class_iso", "count_class_hypo", "count_class_hyper",
    "count_class_erythema", "count_hint_none", "count_hint_icepick",
    "count_hint_boxcar", "count_hint_rolling", "count_hint_hypertrophic",
    "count_hint_striae", "count_hint_patch", "area_mm2_class_iso",
    "area_mm2_class_hypo", "area_mm2_class_hyper", "area_mm2_class_erythema",
    "area_fraction_class_iso", "area_fraction_class_hypo",
    "area_fraction_class_hyper", "area_fraction_class_erythema", "region_area_mm2",
    "region_area_fraction", "delta_e00_area_weighted", "delta_e00_max",
    "delta_e76_area_weighted", "skin_roughness", "goodman_baron_score",
    "mss_color_class", "mmasi_like", "mmasi_area_score", "mmasi_darkness_score",
    "analysis_px_per_mm", "analysis_shrink", "regions_given",
    "exposure_reference_Y") + tuple(
        "detection_limit_%s_%s" % (c, a) for c in ("dL", "da", "db")
        for a in ("1mm2", "10mm2", "100mm2"))


class Result:
    """The result of analyze(). Attributes:
    summary    dict: the "image" section of the JSON (width, height,
               px_per_mm, scale_assumed, single_lesion, skin_area_px,
               skin_area_mm2, region_count)
    regions    list of flat dicts, one per region (REGION_KEYS), full
               double precision; NaN where the JSON has null
    labels     (h, w) int32 label map, 0 = none, k = region id k
    skin_mask  (h, w) uint8, 1 = skin that entered the statistics
    labels and skin_mask are read-only views of the library's memory that
    keep the result alive. close() releases the result early."""

    __slots__ = ("_handle", "_summary", "_regions", "__weakref__")

    def __init__(self, ptr):
        self._handle = Handle(ptr, lib().scar_result_free)
        self._summary = None
        self._regions = None

    def _h(self):
        if self._handle is None:
            raise ValueError("the Result is closed")
        return self._handle.ptr

    def close(self):
        self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def to_csv(self, table="regions", header=True):
        """One CSV table as text (scar_result_to_csv): table "images" (one
        row) or "regions" (one row per region), with the header line
        unless header=False."""
        t = {"images": 0, "regions": 1}[table]
        L = lib()
        p = ctypes.c_void_p()
        n = ctypes.c_size_t()
        check(L.scar_result_to_csv(self._h(), t, ctypes.byref(p), ctypes.byref(n)))
        try:
            body = ctypes.string_at(p.value, n.value).decode("utf-8")
        finally:
            L.scar_free(p)
        return (L.scar_csv_header(t).decode() if header else "") + body

    def to_json(self):
        """The result as JSON text (scar_result_to_json, schema in
        docs/json-schema.md), identical to `scarscore analyze --json`."""
        L = lib()
        p = ctypes.c_void_p()
        n = ctypes.c_size_t()
        check(L.scar_result_to_json(self._h(), ctypes.byref(p), ctypes.byref(n)))
        try:
            return ctypes.string_at(p.value, n.value).decode("utf-8")
        finally:
            L.scar_free(p)

    @property
    def summary(self):
        if self._summary is None:
            self._summary = json.loads(self.to_json())["image"]
        return dict(self._summary)

    @property
    def px_per_mm(self):
        return lib().scar_result_px_per_mm(self._h())

    @property
    def scale_assumed(self):
        return bool(lib().scar_result_scale_assumed(self._h()))

    def __len__(self):
        return lib().scar_result_region_count(self._h())

    @property
    def regions(self):
        if self._regions is None:
            L = lib()
            h = self._h()
            out = []
            r = Region()
            for i in range(L.scar_result_region_count(h)):
                r.struct_size = ctypes.sizeof(Region)
                check(L.scar_result_region(h, i, ctypes.byref(r)))
                out.append(_region_dict(r, L))
            self._regions = out
        return [dict(r) for r in self._regions]

    def _plane(self, getter, dtype):
        L = lib()
        h = self._h()
        w = ctypes.c_uint32()
        ht = ctypes.c_uint32()
        p = getattr(L, getter)(h, ctypes.byref(w), ctypes.byref(ht))
        ptr = ctypes.cast(p, ctypes.c_void_p).value
        if not ptr:
            # the maps of a shrunk analysis are made on first use: NULL means
            # that allocation failed (SCAR_E_NOMEM, message set)
            check(E_NOMEM)
        item = np.dtype(dtype).itemsize
        return view(self._handle, ptr, (ht.value, w.value), dtype,
                    (w.value * item, item), True)

    @property
    def labels(self):
        return self._plane("scar_result_labels", np.int32)

    @property
    def skin_mask(self):
        return self._plane("scar_result_skin_mask", np.uint8)

    def save_labels_png(self, path):
        """The label map as a 16-bit gray PNG (scar_result_save_labels_png)."""
        check(lib().scar_result_save_labels_png(self._h(), fspath_bytes(path)))

    def __repr__(self):
        if self._handle is None:
            return "<scarscore.Result closed>"
        return "<scarscore.Result %d region(s), %g px/mm%s>" % (
            len(self), self.px_per_mm, " (assumed)" if self.scale_assumed else "")


def _region_value(r, key, L):
    if key == "class":
        return L.scar_pigment_class_name(r.pigment_class).decode()
    if key == "morph_hint":
        return L.scar_morph_hint_name(r.morph_hint).decode()
    if key[:1] in "Lab" and key[1:] in _LAB_ARRAYS:
        return getattr(r, _LAB_ARRAYS[key[1:]])["Lab".index(key[0])]
    return getattr(r, key)


def _region_dict(r, L):
    return {k: _region_value(r, k, L) for k in REGION_KEYS}
