#!/usr/bin/python3
"""Reference outputs for tests/test_filter.c, from scipy.ndimage,
scikit-image and OpenCV — implementations independent of scarscore.

Run with Debian's interpreter (numpy, python3-scipy, python3-skimage,
python3-opencv):
    /usr/bin/python3 tests/reference/gen_filter_ref.py tests/data/filter

Every array is written as its own file NAME.f32:
    bytes 0-3   magic "SF32"
    bytes 4-7   width  (uint32 little endian)
    bytes 8-11  height (uint32 little endian)
    then width*height float32 little endian, row-major, top row first.
Masks are stored the same way (1.0 = valid, 0.0 = masked out); NaN marks
"fill" in masked references. Inputs are stored too, so the C test needs no
random generator of its own. Seeds are fixed: the output is reproducible.

Cases (what the C test compares, and the tolerance it uses):
  gauss_<img>_in, gauss_<img>_s<sigma>:
      scipy.ndimage.gaussian_filter(in, sigma, mode='nearest', truncate=4.0),
      computed in float64 from the float32 input.
      img = rand (37x29 uniform [0,1)), shapes (64x48: step edges, disc,
      ramp, checker in [0,1]) for sigma 0.8, 2, 5, 20; big (120x90, integer
      values 0..255: shapes + noise) for sigma 20, 40, 80.
  masked_in, masked_mask, masked_s<sigma> (80x48, left 30 columns excluded):
      numpy/scipy normalized convolution
          gaussian_filter(x*m) / gaussian_filter(m)   (mode='nearest')
      with NaN where gaussian_filter(m) < 1e-2 (SCAR__GAUSS_MASKED_MIN_WEIGHT);
      sigma 2 and 6; masked_w_s<sigma> holds the weight gaussian_filter(m).
      Where that weight lies within 30% of the threshold the fill decision is
      implementation-dependent (the recursive filter's weights differ by up
      to ~1e-3), so the C test accepts either fill or the value there.
  down_in (37x29), down_f<k>: numpy block means over k x k blocks, partial
      blocks at the right/bottom edges averaging the pixels that exist;
      k = 1, 2, 3, 4, 8.
  down_mask, downm_f<k>, downm_valid_f<k>: mean over valid pixels (NaN where
      none) and valid fraction (valid / existing pixels); k = 3, 8.
  up_<name>_in, up_<name>_out: skimage.transform.resize(order=1, mode='edge',
      anti_aliasing=False, preserve_range=True), cross-checked here against
      cv2.resize(INTER_LINEAR) (must agree within 1e-5):
      a 5x4 -> 23x17, b 10x8 -> 80x64, c 37x29 -> 11x7 (shrink).
"""
import os
import struct
import sys

import cv2
import numpy as np
import scipy
import scipy.ndimage as ndi
import skimage
from skimage.transform import resize

MIN_WEIGHT = 1e-2


def save(outdir, name, a):
    a = np.ascontiguousarray(a, dtype="<f4")
    h, w = a.shape
    with open(os.path.join(outdir, name + ".f32"), "wb") as f:
        f.write(b"SF32" + struct.pack("<II", w, h) + a.tobytes())


def gauss(x, s):
    return ndi.gaussian_filter(x.astype(np.float64), s, mode="nearest", truncate=4.0)


def shapes(w, h, scale):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    a = np.zeros((h, w))
    a[:, w // 3:] += 0.3                                      # vertical step
    a[(xx - 0.65 * w) ** 2 + (yy - 0.4 * h) ** 2 < (0.2 * h) ** 2] += 0.4  # disc
    a += 0.2 * yy / (h - 1)                                   # ramp
    a[(h * 3) // 4:, : w // 4] += 0.1 * (((xx[(h * 3) // 4:, : w // 4] // 2) +
                                          (yy[(h * 3) // 4:, : w // 4] // 2)) % 2)
    return a * scale


def block_mean(x, k, m=None):
    h, w = x.shape
    oh, ow = -(-h // k), -(-w // k)
    out = np.full((oh, ow), np.nan)
    frac = np.zeros((oh, ow))
    for Y in range(oh):
        for X in range(ow):
            b = x[Y * k:(Y + 1) * k, X * k:(X + 1) * k].astype(np.float64)
            if m is None:
                out[Y, X] = b.mean()
            else:
                bm = m[Y * k:(Y + 1) * k, X * k:(X + 1) * k] > 0
                frac[Y, X] = bm.sum() / bm.size
                if bm.any():
                    out[Y, X] = b[bm].mean()
    return out, frac


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else "tests/data/filter"
    os.makedirs(outdir, exist_ok=True)
    rng = np.random.default_rng(20240604)

    # Gaussian blur.
    imgs = {
        "rand": (rng.random((29, 37)).astype(np.float32), [0.8, 2, 5, 20]),
        "shapes": (shapes(64, 48, 1.0).astype(np.float32), [0.8, 2, 5, 20]),
        "big": (np.clip(np.round(shapes(120, 90, 200.0) +
                                 rng.normal(0, 20, (90, 120))), 0, 255)
                .astype(np.float32), [20, 40, 80]),
    }
    for name, (x, sigmas) in imgs.items():
        save(outdir, "gauss_%s_in" % name, x)
        for s in sigmas:
            save(outdir, "gauss_%s_s%g" % (name, s), gauss(x, s))

    # Normalized convolution.
    h, w = 48, 80
    x = (shapes(w, h, 100.0) + rng.normal(0, 5, (h, w))).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    m = np.ones((h, w), bool)
    m[:, :30] = False                                  # large excluded area
    m[(xx - 55) ** 2 + (yy - 20) ** 2 < 36] = False    # a hole (glare)
    m &= rng.random((h, w)) > 0.1                      # scattered hair pixels
    mf = m.astype(np.float32)
    save(outdir, "masked_in", x)
    save(outdir, "masked_mask", mf)
    for s in [2, 6]:
        num = gauss(x * mf, s)
        den = gauss(mf, s)
        near = np.abs(den / MIN_WEIGHT - 1.0) < 0.3
        assert near.mean() < 0.05, "too many weights near the threshold"
        ref = np.where(den >= MIN_WEIGHT, num / np.where(den > 0, den, 1), np.nan)
        assert np.isnan(ref).any() and np.isfinite(ref).any()
        save(outdir, "masked_s%g" % s, ref)
        save(outdir, "masked_w_s%g" % s, den)

    # Area downsampling.
    x = rng.random((29, 37)).astype(np.float32)
    save(outdir, "down_in", x)
    for k in [1, 2, 3, 4, 8]:
        save(outdir, "down_f%d" % k, block_mean(x, k)[0])
    dm = (rng.random((29, 37)) > 0.4)
    dm[:10, :10] = False                               # a block with no valid pixel
    save(outdir, "down_mask", dm.astype(np.float32))
    for k in [3, 8]:
        mean, frac = block_mean(x, k, dm)
        assert np.isnan(mean).any()
        save(outdir, "downm_f%d" % k, mean)
        save(outdir, "downm_valid_f%d" % k, frac)

    # Bilinear resampling.
    for name, (iw, ih, ow, oh) in {"a": (5, 4, 23, 17), "b": (10, 8, 80, 64),
                                    "c": (37, 29, 11, 7)}.items():
        x = (rng.random((ih, iw)) * 100).astype(np.float32)
        ref = resize(x.astype(np.float64), (oh, ow), order=1, mode="edge",
                     anti_aliasing=False, preserve_range=True)
        cv = cv2.resize(x, (ow, oh), interpolation=cv2.INTER_LINEAR)
        assert np.abs(ref - cv).max() < 1e-5 * 100, (name, np.abs(ref - cv).max())
        save(outdir, "up_%s_in" % name, x)
        save(outdir, "up_%s_out" % name, ref)

    print("scipy %s, skimage %s, cv2 %s, numpy %s -> %s" %
          (scipy.__version__, skimage.__version__, cv2.__version__,
           np.__version__, outdir), file=sys.stderr)


if __name__ == "__main__":
    main()
