"""Colour science over the library: sRGB -> CIELAB, CIEDE2000, ITA.
Formulas and sources: docs/color.md. All conversions are the library's;
numpy only shapes the arrays and loops over colours."""
import math

import numpy as np

from ._image import Image, _as_pixel_array
from ._lib import D3, PF, PU8, check, lib

_SCALE = {np.dtype(np.uint8): 255.0, np.dtype(np.uint16): 65535.0}


def _mask_array(mask, h, w, what="mask"):
    """A (h, w) selection mask as C-contiguous uint8 (non-zero = selected),
    or None."""
    if mask is None:
        return None
    if isinstance(mask, Image):
        mask = mask.array[:, :, 0]
    if not isinstance(mask, np.ndarray):
        raise TypeError("%s must be a numpy.ndarray or None, not %s" % (what, type(mask).__name__))
    if mask.dtype != np.bool_ and mask.dtype.kind not in "iu":
        raise TypeError("%s must be bool or integer, not %s" % (what, mask.dtype))
    if mask.shape != (h, w):
        raise ValueError("%s has shape %s but the image is %s" % (what, mask.shape, (h, w)))
    return np.ascontiguousarray(mask != 0, dtype=np.uint8)


def _u8p(a):
    return None if a is None else a.ctypes.data_as(PU8)


def srgb_to_lab(rgb, fast=False):
    """sRGB colours -> CIELAB (D65, 2 degree observer; docs/color.md).

    rgb: array-like of shape (..., 3). uint8 is divided by 255, uint16 by
    65535, floats are taken as non-linear sRGB in [0, 1] (values outside are
    converted by the same formulas, not clipped). Returns float64 (..., 3).

    fast=False (default): the double-precision reference path
    scar_srgb_to_lab, once per distinct colour. fast=True (uint8/uint16
    only): the library's whole-image path scar_image_to_lab, single
    precision, within 0.01 dE76 of the reference for 8-bit input."""
    a = np.asarray(rgb)
    if a.ndim < 1 or a.shape[-1] != 3:
        raise ValueError("srgb_to_lab expects shape (..., 3), got %s" % (a.shape,))
    if a.dtype in _SCALE:
        scale = _SCALE[a.dtype]
    elif a.dtype.kind == "f":
        if fast:
            raise TypeError("srgb_to_lab(fast=True) needs uint8 or uint16 input, not %s" % a.dtype)
        scale = 1.0
    else:
        raise TypeError("srgb_to_lab expects uint8, uint16 or float colours, not %s "
                        "(convert 8-bit values with .astype(np.uint8))" % a.dtype)
    shape = a.shape
    flat = a.reshape(-1, 3)
    if flat.shape[0] == 0:
        return np.zeros(shape, dtype=np.float64)
    if fast:
        return _srgb_to_lab_fast(flat).reshape(shape)
    colours, inverse = np.unique(flat, axis=0, return_inverse=True)
    out = np.empty((colours.shape[0], 3), dtype=np.float64)
    f = lib().scar_srgb_to_lab
    src, dst = D3(), D3()
    for i, c in enumerate(colours.astype(np.float64) / scale):
        src[0], src[1], src[2] = c
        f(src, dst)
        out[i] = dst[:]
    return out[inverse.reshape(-1)].reshape(shape)


def _srgb_to_lab_fast(flat):
    # Lay the colours out as one image row of width <= 4096 (padded).
    n = flat.shape[0]
    w = min(n, 4096)
    h = -(-n // w)
    pix = np.zeros((h * w, 3), dtype=flat.dtype)
    pix[:n] = flat
    lab = image_to_lab(Image.from_array(pix.reshape(h, w, 3), copy=False))
    return lab.reshape(-1, 3)[:n].astype(np.float64)


def image_to_lab(image, mask=None):
    """An Image or (h, w[, c]) uint8/uint16 array -> (h, w, 3) float32
    L*, a*, b* (scar_image_to_lab, the fast path; unselected mask pixels
    are NaN). Gray images are used as R = G = B; alpha is ignored."""
    img = image if isinstance(image, Image) else Image.from_array(
        _as_pixel_array(image, "image"), copy=False)
    h, w = img.height, img.width
    m = _mask_array(mask, h, w)
    planes = np.empty((3, h, w), dtype=np.float32)
    check(lib().scar_image_to_lab(
        img._h(), _u8p(m), w, planes[0].ctypes.data_as(PF),
        planes[1].ctypes.data_as(PF), planes[2].ctypes.data_as(PF), w))
    return np.moveaxis(planes, 0, -1)


def lab_to_srgb(lab):
    """CIELAB (..., 3) -> non-linear sRGB floats (..., 3), NOT clipped
    (scar_lab_to_srgb)."""
    a = _float_lab(lab, "lab")
    out = np.empty(a.shape, dtype=np.float64)
    f = lib().scar_lab_to_srgb
    src, dst = D3(), D3()
    for idx in np.ndindex(a.shape[:-1]):
        src[0], src[1], src[2] = a[idx]
        f(src, dst)
        out[idx] = dst[:]
    return out


def _float_lab(x, what):
    a = np.asarray(x)
    if a.dtype.kind not in "fiu" or a.dtype == np.bool_:
        raise TypeError("%s must be numeric, not %s" % (what, a.dtype))
    if a.ndim < 1 or a.shape[-1] != 3:
        raise ValueError("%s must have shape (..., 3), got %s" % (what, a.shape))
    return a.astype(np.float64, copy=False)


def _scalar_or_array(out):
    return out[()] if out.ndim == 0 else out


def delta_e00(lab1, lab2, kL=1.0, kC=1.0, kH=1.0):
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005) between CIELAB
    colours of shapes (..., 3) that broadcast together. kL, kC, kH are the
    parametric factors (> 0). Returns a float for single colours, else an
    array of the broadcast shape without the last axis."""
    for name, k in (("kL", kL), ("kC", kC), ("kH", kH)):
        if isinstance(k, bool) or not isinstance(k, (int, float, np.integer, np.floating)):
            raise TypeError("%s must be a number, not %s" % (name, type(k).__name__))
        if not (math.isfinite(k) and k > 0):
            raise ValueError("%s must be finite and > 0, got %r" % (name, k))
    a = _float_lab(lab1, "lab1")
    b = _float_lab(lab2, "lab2")
    try:
        a, b = np.broadcast_arrays(a, b)
    except ValueError:
        raise ValueError("lab1 %s and lab2 %s do not broadcast" % (a.shape, b.shape)) from None
    out = np.empty(a.shape[:-1], dtype=np.float64)
    f = lib().scar_delta_e00_k
    p, q = D3(), D3()
    kL, kC, kH = float(kL), float(kC), float(kH)
    for idx in np.ndindex(out.shape):
        p[0], p[1], p[2] = a[idx]
        q[0], q[1], q[2] = b[idx]
        out[idx] = f(p, q, kL, kC, kH)
    return _scalar_or_array(out)


def ita(L, b):
    """Individual Typology Angle in degrees, atan2(L* - 50, b*) * 180/pi
    (Chardon et al. 1991; scar_ita), element-wise over broadcast L and b.
    NaN where L* = 50 and b* = 0."""
    La = np.asarray(L)
    ba = np.asarray(b)
    for name, x in (("L", La), ("b", ba)):
        if x.dtype.kind not in "fiu" or x.dtype == np.bool_:
            raise TypeError("%s must be numeric, not %s" % (name, x.dtype))
    La, ba = np.broadcast_arrays(La.astype(np.float64), ba.astype(np.float64))
    out = np.empty(La.shape, dtype=np.float64)
    f = lib().scar_ita
    for idx in np.ndindex(out.shape):
        out[idx] = f(La[idx], ba[idx])
    return _scalar_or_array(out)


def ita_category(angle):
    """Del Bino et al. (2006) skin-tone category name of an ITA angle
    ("very light" ... "dark"; "undefined" for NaN)."""
    if isinstance(angle, bool) or not isinstance(angle, (int, float, np.integer, np.floating)):
        raise TypeError("angle must be a number, not %s" % type(angle).__name__)
    L = lib()
    return L.scar_ita_category_name(L.scar_ita_category_of(float(angle))).decode()


__all__ = ["srgb_to_lab", "lab_to_srgb", "image_to_lab", "delta_e00", "ita", "ita_category"]
