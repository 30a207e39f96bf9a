"""Paired statistics against scipy (skipped without scipy) and hand values."""
import math

import numpy as np
import pytest

import scarscore


def test_paired_stats_match_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(5)
    before = rng.normal(10, 2, 23)
    after = before + rng.normal(0.8, 1.5, 23)
    s = scarscore.paired_stats(before, after)
    t = stats.ttest_rel(after, before)
    assert s["n"] == 23 and s["n_dropped"] == 0
    assert s["t"] == pytest.approx(t.statistic, rel=1e-10)
    assert s["p_t"] == pytest.approx(t.pvalue, rel=1e-8)
    w = stats.wilcoxon(after - before)
    assert min(s["wilcoxon_w_plus"], s["wilcoxon_w_minus"]) == pytest.approx(w.statistic)
    assert s["wilcoxon_exact"] is True
    assert s["p_wilcoxon"] == pytest.approx(w.pvalue, rel=1e-8)
    d = after - before
    assert s["mean_diff"] == pytest.approx(d.mean(), rel=1e-12)
    assert s["cohens_dz"] == pytest.approx(d.mean() / d.std(ddof=1), rel=1e-12)


def test_paired_stats_nan_dropped_and_differences():
    s = scarscore.paired_stats([1.0, 2.0, float("nan"), 4.0], [2.0, 2.5, 3.0, 6.0])
    assert s["n"] == 3 and s["n_dropped"] == 1
    assert s["mean_diff"] == pytest.approx((1 + 0.5 + 2) / 3)
    d = scarscore.paired_stats_from_differences([1.0, 0.5, 2.0])
    assert d["t"] == pytest.approx(s["t"]) and math.isnan(d["mean_before"])


def test_paired_stats_errors():
    with pytest.raises(scarscore.Error) as e:
        scarscore.paired_stats([1.0, float("inf")], [1.0, 2.0])
    assert e.value.status == 1 and "scar_paired_stats_compute" in e.value.message
    with pytest.raises(ValueError):
        scarscore.paired_stats([1, 2, 3], [1, 2])
    with pytest.raises(TypeError):
        scarscore.paired_stats(["a"], ["b"])
    with pytest.raises(ValueError):
        scarscore.paired_stats(np.zeros((2, 2)), np.zeros((2, 2)))
