"""Colour: against scikit-image's rgb2lab table and Sharma et al.'s
CIEDE2000 test pairs (both committed in tests/data), plus argument checks."""
import math

import numpy as np
import pytest

import scarscore
from conftest import DATA

# Definition difference of the white point/matrix vs skimage: <= 0.025 dE76
# (docs/color.md); the fast path adds <= 0.01.
SKIMAGE_TOL = 0.03


def _skimage_table():
    rows = np.loadtxt(DATA / "srgb_lab_skimage.csv", delimiter=",", comments="#")
    return rows[:, 0].astype(int), rows[:, 1:4], rows[:, 4:7]


def test_srgb_to_lab_matches_skimage_exact_path():
    bits, rgb, lab = _skimage_table()
    for depth, dtype in ((8, np.uint8), (16, np.uint16)):
        sel = bits == depth
        ours = scarscore.srgb_to_lab(rgb[sel].astype(dtype))
        assert ours.shape == lab[sel].shape and ours.dtype == np.float64
        assert np.linalg.norm(ours - lab[sel], axis=1).max() <= SKIMAGE_TOL
        # float input in [0, 1] gives the same numbers
        fl = scarscore.srgb_to_lab(rgb[sel] / (255.0 if depth == 8 else 65535.0))
        np.testing.assert_allclose(fl, ours, atol=1e-12)


def test_srgb_to_lab_fast_path_and_shapes():
    bits, rgb, lab = _skimage_table()
    sel = bits == 8
    a = rgb[sel].astype(np.uint8)
    fast = scarscore.srgb_to_lab(a, fast=True)
    assert np.linalg.norm(fast - lab[sel], axis=1).max() <= SKIMAGE_TOL + 0.01
    assert np.linalg.norm(fast - scarscore.srgb_to_lab(a), axis=1).max() <= 0.01
    img = a[:30].reshape(5, 6, 3)
    out = scarscore.srgb_to_lab(img)
    assert out.shape == (5, 6, 3)
    np.testing.assert_allclose(out.reshape(-1, 3), scarscore.srgb_to_lab(a[:30]))
    planes = scarscore.image_to_lab(img)
    assert planes.shape == (5, 6, 3) and planes.dtype == np.float32
    np.testing.assert_allclose(planes, out, atol=0.01)
    mask = np.zeros((5, 6), bool)
    mask[1, 2] = True
    masked = scarscore.image_to_lab(img, mask)
    assert np.isnan(masked[0, 0]).all() and not np.isnan(masked[1, 2]).any()


def test_lab_to_srgb_inverts():
    rgb = np.random.default_rng(2).random((50, 3))
    np.testing.assert_allclose(scarscore.lab_to_srgb(scarscore.srgb_to_lab(rgb)), rgb, atol=1e-12)


def test_delta_e00_sharma_pairs():
    t = np.loadtxt(DATA / "ciede2000_sharma2005.csv", delimiter=",", skiprows=1)
    d = scarscore.delta_e00(t[:, 0:3], t[:, 3:6])
    assert d.shape == (t.shape[0],)
    # Sharma's table is printed to 4 decimals.
    np.testing.assert_allclose(d, t[:, 6], atol=5e-5)
    # symmetric, scalar for single colours, broadcasting one against many
    np.testing.assert_allclose(scarscore.delta_e00(t[:, 3:6], t[:, 0:3]), d, atol=1e-12)
    one = scarscore.delta_e00(t[0, :3], t[0, 3:6])
    assert isinstance(one, float) and abs(one - t[0, 6]) < 5e-5
    many = scarscore.delta_e00(t[:, 0:3], [50.0, 0.0, 0.0])
    assert many.shape == (t.shape[0],)
    assert abs(many[3] - scarscore.delta_e00(t[3, :3], [50.0, 0.0, 0.0])) < 1e-15


def test_delta_e00_parametric_kL():
    # Equal chroma and hue: dE00 = |dL'| / (kL SL), so doubling kL halves it.
    a, b = [60.0, 10.0, 10.0], [50.0, 10.0, 10.0]  # mean L' 55
    assert abs(scarscore.delta_e00(a, b, kL=2) - scarscore.delta_e00(a, b) / 2) < 1e-12
    sl = 1 + 0.015 * 25 / math.sqrt(20 + 25)
    assert abs(scarscore.delta_e00(a, b) - 10 / sl) < 1e-12


def test_ita():
    assert scarscore.ita(60, 10) == pytest.approx(45.0)
    assert scarscore.ita(40, 0) == pytest.approx(-90.0)
    assert math.isnan(scarscore.ita(50, 0))
    L = np.array([[70.0, 30.0], [50.0, 60.0]])
    out = scarscore.ita(L, 20.0)
    np.testing.assert_allclose(out, np.degrees(np.arctan2(L - 50, 20.0)), atol=1e-12)
    assert scarscore.ita_category(56) == "very light"
    assert scarscore.ita_category(55) == "light"
    assert scarscore.ita_category(-30) == "dark"
    assert scarscore.ita_category(float("nan")) == "undefined"


def test_bad_colour_arguments():
    with pytest.raises(ValueError):
        scarscore.srgb_to_lab(np.zeros((4, 4), np.uint8))
    with pytest.raises(TypeError):
        scarscore.srgb_to_lab(np.zeros((4, 3), np.int64))
    with pytest.raises(TypeError):
        scarscore.srgb_to_lab(np.zeros((4, 3)), fast=True)
    with pytest.raises(ValueError):
        scarscore.delta_e00([1, 2, 3], [1, 2, 3], kL=0)
    with pytest.raises(TypeError):
        scarscore.delta_e00([1, 2, 3], [1, 2, 3], kC="1")
    with pytest.raises(ValueError):
        scarscore.delta_e00(np.zeros((4, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError):
        scarscore.delta_e00([1, 2], [1, 2])
    with pytest.raises(TypeError):
        scarscore.ita("50", 3)
    with pytest.raises(ValueError):
        scarscore.image_to_lab(np.zeros((4, 4, 3), np.uint8), mask=np.ones((3, 4), bool))
