#!/usr/bin/env python3
"""bench/accuracy/texture.py against values known without it:
- the sRGB -> CIELAB conversion on white, mid grey and pure red (the
  published values of the IEC 61966-2-1 / CIE 1976 formulas);
- the block-mean shrink on a hand-computed 3 x 2 example with a partial
  block;
- the calm-skin spread of a skin-coloured L*a*b* field with independent
  Gaussian noise of known sd per channel: the spread is that sd, and after
  smoothing by a Gaussian of sigma s px it is sd / (2 sqrt(pi) s), the sd of
  white noise through that filter;
- a photo with half its skin noisy and half calm reports the calm half.
Needs numpy and PIL (scripts/install-deps.sh --python)."""
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "accuracy"))
import texture  # noqa: E402


def check(cond, msg):
    if not cond:
        sys.exit("test_texture: " + msg)


def test_lab():
    lab = texture.srgb8_to_lab(np.array([[[255.0, 255, 255], [128, 128, 128],
                                          [255, 0, 0]]]))[0]
    # white: L* 100; grey 128: L* 53.585 (Y = 0.21586); red: 53.24, 80.09, 67.20
    want = [(100.0, 0.0, 0.0), (53.585, 0.0, 0.0), (53.24, 80.09, 67.20)]
    for got, w in zip(lab, want):
        check(np.allclose(got, w, atol=0.02), "Lab %s, want %s" % (got, w))


def test_shrink():
    rgb = np.zeros((2, 3, 3))
    rgb[..., 0] = [[1, 2, 3], [4, 5, 6]]
    got = texture.shrink(rgb, 2)[..., 0]
    # blocks {1,2,4,5} and the partial {3,6}
    check(np.allclose(got, [[3.0, 4.5]]), "shrink %s" % got)


def noisy_skin(rng, h, w, sd):
    lab = np.empty((h, w, 3))
    for c, base in enumerate((60.0, 15.0, 18.0)):
        lab[..., c] = base + rng.normal(0.0, sd[c], (h, w))
    return lab


def test_white_noise():
    rng = np.random.default_rng(5)
    sd = (2.0, 1.0, 0.5)
    ppm = 5.0
    lab = noisy_skin(rng, 400, 400, sd)
    got, tiles = texture.calm_texture_lab(lab, ppm, (0.0,))
    check(tiles >= 100, "%d tiles" % tiles)
    for c in range(3):
        check(abs(got[c, 0] / sd[c] - 1.0) < 0.05,
              "channel %d: spread %.3f, want %.3f" % (c, got[c, 0], sd[c]))
    # smoothed, a tile holds ~20 independent samples: its sd estimate
    # scatters ~15 %, so the lower quartile over tiles sits below the true
    # sd; the median over tiles does not
    quartile = texture.CALM_PERCENTILE
    texture.CALM_PERCENTILE = 50.0
    try:
        got, _ = texture.calm_texture_lab(lab, ppm, (0.5,))
    finally:
        texture.CALM_PERCENTILE = quartile
    s = 0.5 * ppm
    for c in range(3):
        want = sd[c] / (2.0 * np.sqrt(np.pi) * s)
        check(abs(got[c, 0] / want - 1.0) < 0.05,
              "channel %d smoothed: %.4f, want %.4f" % (c, got[c, 0], want))


def test_calm_half():
    rng = np.random.default_rng(7)
    lab = noisy_skin(rng, 400, 400, (1.0, 1.0, 1.0))
    lab[:, 200:, 0] = 60.0 + rng.normal(0.0, 4.0, (400, 200))
    got, _ = texture.calm_texture_lab(lab, 5.0, (0.0,))
    check(abs(got[0, 0] - 1.0) < 0.1, "L* spread %.3f, want the calm 1.0" % got[0, 0])


def main():
    test_lab()
    test_shrink()
    test_white_noise()
    test_calm_half()
    print("test_texture: ok")


if __name__ == "__main__":
    main()
