"""Paired cohort statistics over the library (scar_paired_stats_*;
definitions in docs/compare.md)."""
import ctypes

import numpy as np

from ._lib import (PAIRED_DOUBLE_FIELDS_1, PAIRED_DOUBLE_FIELDS_2,
                   PAIRED_UINT_FIELDS, PD, PairedStats, check, lib)


def _vector(x, what):
    a = np.asarray(x)
    if a.dtype == np.bool_ or a.dtype.kind not in "fiu":
        raise TypeError("%s must be numeric, not %s" % (what, a.dtype))
    if a.ndim != 1:
        raise ValueError("%s must be 1-D, got shape %s" % (what, a.shape))
    return np.ascontiguousarray(a, dtype=np.float64)


def _as_dict(s):
    out = {k: getattr(s, k) for k in PAIRED_UINT_FIELDS}
    out.update({k: getattr(s, k) for k in PAIRED_DOUBLE_FIELDS_1})
    out["wilcoxon_exact"] = bool(s.wilcoxon_exact)
    out.update({k: getattr(s, k) for k in PAIRED_DOUBLE_FIELDS_2})
    return out


def paired_stats(before, after):
    """Paired statistics of after - before (t-test, Wilcoxon signed-rank,
    sign test, effect sizes) as a dict of the scar_paired_stats fields.
    Pairs with a NaN are dropped (n_dropped); infinities raise Error."""
    b = _vector(before, "before")
    a = _vector(after, "after")
    if a.shape != b.shape:
        raise ValueError("before and after differ in length (%d, %d)" % (b.size, a.size))
    s = PairedStats()
    s.struct_size = ctypes.sizeof(PairedStats)
    check(lib().scar_paired_stats_compute(b.ctypes.data_as(PD), a.ctypes.data_as(PD),
                                          b.size, ctypes.byref(s)))
    return _as_dict(s)


def paired_stats_from_differences(d):
    """The same statistics from the differences directly (mean_before and
    mean_after are NaN)."""
    x = _vector(d, "d")
    s = PairedStats()
    s.struct_size = ctypes.sizeof(PairedStats)
    check(lib().scar_paired_stats_from_differences(x.ctypes.data_as(PD), x.size,
                                                   ctypes.byref(s)))
    return _as_dict(s)
