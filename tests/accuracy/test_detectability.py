#!/usr/bin/env python3
"""bench/accuracy/detectability.py against values known without it:
- the majority shrink of labels on a hand-computed 4 x 4 example;
- `near` against the Euclidean distance computed point by point;
- colour: on skin with independent Gaussian noise (sd 1 per channel) the
  Mahalanobis distance is chi(3), whose median over its 99.9th percentile
  is 1.5382 / 4.0332 = 0.381 (scipy chi.ppf(0.5, 3), chi.ppf(0.999, 3));
  a disc without colour gets that ratio, one shifted by 8 sd in L* stands
  out; a disc shifted by 0.8 sd does not per pixel but does once pooled
  over 1 mm (white noise smoothed by a Gaussian of sigma s px has
  sd / (2 sqrt(pi) s), so the shift is then ~7 of its sds);
- relief: a disc whose walls are shaded along x (the derivative along x
  of the blurred disc, built here) gives |z| above RELIEF_Z when the
  light is along x (z = 1 / max|template| when the walls are shaded by at
  most one noise sd) and stays below it when the light is along y, as
  does a disc without shading.
Needs numpy and PIL (scripts/install-deps.sh --python)."""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "accuracy"))
import detectability as det  # noqa: E402


def check(cond, msg):
    if not cond:
        sys.exit("test_detectability: " + msg)


def test_shrink_labels():
    lab = np.array([[1, 1, 0, 0],
                    [1, 2, 0, 0],
                    [2, 2, 3, 0],
                    [2, 2, 0, 0]])
    got = det.shrink_labels(lab, 2)
    # block (0,0): three 1 of four -> 1; (0,1): all 0 -> 0;
    # (1,0): all 2 -> 2; (1,1): one 3 of four -> mixed -> -1
    check((got == [[1, 0], [2, -1]]).all(), "shrink_labels %s" % got.tolist())


def test_near():
    rng = np.random.default_rng(1)
    m = rng.random((40, 50)) < 0.01
    r = 3.5
    got = det.near(m, r)
    ys, xs = np.nonzero(m)
    gy, gx = np.mgrid[0:40, 0:50]
    d2 = ((gy[..., None] - ys) ** 2 + (gx[..., None] - xs) ** 2).min(-1)
    check((got == (d2 <= r * r)).all(), "near differs from the distance rule")


def skin_with_discs(rng, shifts, ppm):
    """Skin-coloured L*a*b* with unit noise per channel and a disc of radius
    1.5 mm per L* shift, spaced along a row; labels 1..n."""
    h, w = 160, 80 + 60 * len(shifts)
    lab = np.empty((h, w, 3))
    for c, base in enumerate((60.0, 15.0, 18.0)):
        lab[..., c] = base + rng.normal(0.0, 1.0, (h, w))
    labels = np.zeros((h, w), np.int64)
    gy, gx = np.mgrid[0:h, 0:w]
    for i, s in enumerate(shifts):
        m = (gy - h / 2) ** 2 + (gx - 70 - 60 * i) ** 2 <= (1.5 * ppm) ** 2
        labels[m] = i + 1
        lab[..., 0][m] += s
    return lab, labels


def test_colour():
    rng = np.random.default_rng(7)
    ppm = 5.0
    lab, labels = skin_with_discs(rng, (0.0, 8.0, 0.8), ppm)
    skin = np.ones(labels.shape, bool)
    ratios, _, _ = det.colour_ratios(lab, labels, skin, ppm, (0.0, 1.0))
    chi3 = 1.5382 / 4.0332
    check(abs(ratios[1][0] - chi3) < 0.12, "no-colour disc ratio %.3f, want ~%.3f"
          % (ratios[1][0], chi3))
    check(ratios[2][0] > 1.5, "8 sd disc ratio %.3f" % ratios[2][0])
    check(ratios[3][0] < 1.0, "0.8 sd disc per pixel %.3f" % ratios[3][0])
    check(ratios[3][1] > 1.0, "0.8 sd disc pooled over 1 mm %.3f" % ratios[3][1])


def test_relief():
    rng = np.random.default_rng(11)
    ppm = 5.0
    h, w = 200, 260
    res = rng.normal(0.0, 1.0, (h, w))
    labels = np.zeros((h, w), np.int64)
    gy, gx = np.mgrid[0:h, 0:w]
    shaded = (gy - 100) ** 2 + (gx - 70) ** 2 <= 36
    plain = (gy - 100) ** 2 + (gx - 190) ** 2 <= 36
    labels[shaded] = 1
    labels[plain] = 2
    sigma = max(det.WALL_MIN_PX, det.WALL_MM * ppm)
    # the template relief_z builds for label 1: its window, padded as there
    pad = int(np.ceil(3 * sigma)) + 2
    win = shaded[94 - pad:107 + pad, 64 - pad:77 + pad].astype(float)
    # the shading a light along +x casts on the walls: d/dx of the blurred
    # disc (columns are x), normalised as the template is
    t = np.gradient(det.texture.gauss(win, sigma), axis=1)
    t /= np.sqrt((t * t).sum())
    # walls shaded at most 1 noise sd: S = sum t * t / max|t| = 1 / max|t|
    # (t has unit norm) against a null of sd 1 (white noise, unit norm)
    y0, x0 = 100 - t.shape[0] // 2, 70 - t.shape[1] // 2
    full = np.zeros((h, w))
    full[y0:y0 + t.shape[0], x0:x0 + t.shape[1]] = t
    res = res + full / np.abs(t).max()
    want = 1.0 / np.abs(t).max()
    ref = ~det.near(labels != 0, 2.0 * ppm)
    zx = det.relief_z(res, labels, ref, ppm, 1.0, 0.0, 3)
    check(abs(zx[1] / want - 1.0) < 0.3, "shaded disc z %.2f, want ~%.2f" % (zx[1], want))
    zy = det.relief_z(res, labels, ref, ppm, 0.0, 1.0, 3)
    check(abs(zx[1]) >= det.RELIEF_Z, "shaded disc, light along x: z %.2f" % zx[1])
    check(abs(zy[1]) < det.RELIEF_Z, "shaded disc, light along y: z %.2f" % zy[1])
    check(abs(zx[2]) < det.RELIEF_Z, "plain disc: z %.2f" % zx[2])


if __name__ == "__main__":
    test_shrink_labels()
    test_near()
    test_colour()
    test_relief()
    print("test_detectability: ok")
