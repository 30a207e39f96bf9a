"""Texture over the library: masked GLCM (Haralick 1973), uniform LBP
(Ojala et al. 2002), chi-square histogram distance. Definitions:
docs/texture.md."""
import ctypes
from collections import namedtuple

import numpy as np

from ._color import _mask_array, _u8p
from ._lib import PD, PF, PU8, GlcmProps, check, lib

GLCM_PROPERTIES = ("contrast", "dissimilarity", "homogeneity", "energy",
                   "angular_second_moment", "correlation", "entropy")
LBP_BINS = 10

LBP = namedtuple("LBP", ["codes", "histogram"])


def _plane(image, what):
    a = np.asarray(image)
    if a.ndim != 2:
        raise ValueError("%s must be 2-D (height, width), got shape %s" % (what, a.shape))
    if a.shape[0] < 1 or a.shape[1] < 1:
        raise ValueError("%s is empty (shape %s)" % (what, a.shape))
    return a


def glcm_features(image, mask=None, levels=32, distances=(1, 2, 3)):
    """Haralick texture of a quantized patch (scar_glcm_features).

    image: 2-D integer array of grey levels 0..levels-1 (quantize first,
    e.g. np.floor(L / 100 * levels)). mask: None or 2-D bool/int of the same
    shape; only pairs with both pixels selected count. levels: 2..256.
    distances: 1..64 pixel distances (1..65535). Angles 0, 45, 90, 135 deg.

    Returns a dict: contrast, dissimilarity, homogeneity, energy,
    angular_second_moment, correlation, entropy (bits), averaged over the
    (distance, angle) combinations holding a pair; pairs and combinations
    (0 combinations: every property NaN)."""
    a = _plane(image, "image")
    if a.dtype == np.bool_ or a.dtype.kind not in "iu":
        raise TypeError("image must hold integer grey levels, not %s "
                        "(quantize floats first)" % a.dtype)
    if isinstance(levels, bool) or not isinstance(levels, (int, np.integer)):
        raise TypeError("levels must be an int, not %s" % type(levels).__name__)
    if not 2 <= levels <= 256:
        raise ValueError("levels must be in 2..256, got %d" % levels)
    if a.dtype != np.uint8:
        if a.size and (a.min() < 0 or a.max() > 255):
            raise ValueError("image grey levels must be in 0..levels-1 (<= 255)")
        a = a.astype(np.uint8)
    a = np.ascontiguousarray(a)
    h, w = a.shape
    try:
        d = [int(x) for x in distances]
    except TypeError:
        raise TypeError("distances must be a sequence of ints") from None
    if any(float(x) != float(y) for x, y in zip(d, distances)):
        raise TypeError("distances must be integers")
    if not 1 <= len(d) <= 64 or any(not 1 <= x <= 65535 for x in d):
        raise ValueError("distances must be 1..64 values in 1..65535, got %r" % (distances,))
    m = _mask_array(mask, h, w)
    dist = (ctypes.c_uint32 * len(d))(*d)
    p = GlcmProps()
    check(lib().scar_glcm_features(a.ctypes.data_as(PU8), w, w, h, _u8p(m), w,
                                   levels, dist, len(d), ctypes.byref(p)))
    out = {k: getattr(p, k) for k in GLCM_PROPERTIES}
    out["pairs"] = p.pairs
    out["combinations"] = p.combinations
    return out


def lbp(image, mask=None):
    """Uniform rotation-invariant LBP, P = 8, R = 1 (scar_lbp_uniform; as
    skimage local_binary_pattern(image, 8, 1, 'uniform')).

    image: 2-D real array (any scale, e.g. L*). mask: None or 2-D of the
    same shape. Returns LBP(codes, histogram): codes a (h, w) uint8 array of
    codes 0..9, histogram the 10 normalised bins of the selected pixels
    (all zero when none is selected)."""
    a = _plane(image, "image")
    if a.dtype == np.bool_ or a.dtype.kind not in "fiu":
        raise TypeError("image must be real-valued, not %s" % a.dtype)
    a = np.ascontiguousarray(a, dtype=np.float32)
    h, w = a.shape
    m = _mask_array(mask, h, w)
    codes = np.empty((h, w), dtype=np.uint8)
    hist = np.zeros(LBP_BINS, dtype=np.float64)
    check(lib().scar_lbp_uniform(a.ctypes.data_as(PF), w, w, h, _u8p(m), w,
                                 codes.ctypes.data_as(PU8), w, hist.ctypes.data_as(PD)))
    return LBP(codes, hist)


def chi2_distance(h1, h2):
    """1/2 sum (h1 - h2)^2 / (h1 + h2) over bins with h1 + h2 != 0
    (scar_chi2_distance)."""
    a = np.ascontiguousarray(h1, dtype=np.float64)
    b = np.ascontiguousarray(h2, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError("h1 and h2 must be 1-D of the same length, got %s and %s"
                         % (a.shape, b.shape))
    return lib().scar_chi2_distance(a.ctypes.data_as(PD), b.ctypes.data_as(PD), a.shape[0])
