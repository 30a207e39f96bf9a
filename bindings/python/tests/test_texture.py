"""Texture against scikit-image (skipped when skimage is not installed) and
the header's documented invariants."""
import numpy as np
import pytest

import scarscore


def test_glcm_matches_skimage():
    feature = pytest.importorskip("skimage.feature")
    rng = np.random.default_rng(3)
    img = rng.integers(0, 16, (40, 37)).astype(np.uint8)
    d = (1, 2, 3)
    ours = scarscore.glcm_features(img, levels=16, distances=d)
    angles = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]
    P = feature.graycomatrix(img, d, angles, levels=16, symmetric=True, normed=True)
    for prop, key in (("contrast", "contrast"), ("dissimilarity", "dissimilarity"),
                      ("homogeneity", "homogeneity"), ("energy", "energy"),
                      ("ASM", "angular_second_moment"), ("correlation", "correlation")):
        assert ours[key] == pytest.approx(feature.graycoprops(P, prop).mean(), abs=1e-9), key
    ent = [-(p[p > 0] * np.log2(p[p > 0])).sum() for p in
           (P[:, :, i, j] for i in range(3) for j in range(4))]
    assert ours["entropy"] == pytest.approx(np.mean(ent), abs=1e-9)
    assert ours["combinations"] == 12


def test_glcm_mask_and_empty_selection():
    img = np.tile(np.arange(8, dtype=np.uint8), (8, 1))
    full = scarscore.glcm_features(img, levels=8, distances=[1])
    mask = np.zeros((8, 8), bool)
    none = scarscore.glcm_features(img, mask, levels=8, distances=[1])
    assert none["combinations"] == 0 and np.isnan(none["contrast"])
    mask[:, :4] = True
    half = scarscore.glcm_features(img, mask, levels=8, distances=[1])
    assert 0 < half["pairs"] < full["pairs"]
    # grey level >= levels inside the mask is the library's error
    with pytest.raises(scarscore.Error) as e:
        scarscore.glcm_features(img, levels=4, distances=[1])
    assert e.value.status == 1 and "scar_glcm_features" in e.value.message


def test_lbp_matches_skimage():
    feature = pytest.importorskip("skimage.feature")
    rng = np.random.default_rng(4)
    img = rng.normal(60, 5, (33, 41)).astype(np.float32)
    codes, hist = scarscore.lbp(img)
    ref = feature.local_binary_pattern(img.astype(np.float64), 8, 1, "uniform")
    np.testing.assert_array_equal(codes, ref.astype(np.uint8))
    np.testing.assert_allclose(hist, np.bincount(codes.ravel(), minlength=10) / codes.size)
    assert scarscore.chi2_distance(hist, hist) == 0.0


def test_chi2_distance_disjoint_is_one():
    assert scarscore.chi2_distance([1, 0, 0], [0, 0.5, 0.5]) == pytest.approx(1.0)


def test_bad_texture_arguments():
    with pytest.raises(TypeError):
        scarscore.glcm_features(np.zeros((4, 4), np.float32))
    with pytest.raises(ValueError):
        scarscore.glcm_features(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError):
        scarscore.glcm_features(np.zeros((4, 4), np.uint8), levels=1)
    with pytest.raises(ValueError):
        scarscore.glcm_features(np.zeros((4, 4), np.uint8), distances=[0])
    with pytest.raises(ValueError):
        scarscore.glcm_features(np.zeros((4, 4), np.uint8), mask=np.ones((4, 5), bool))
    with pytest.raises(ValueError):
        scarscore.lbp(np.zeros(10))
    with pytest.raises(ValueError):
        scarscore.chi2_distance([1, 2], [1, 2, 3])
