#!/usr/bin/python3
"""How much healthy skin varies, in photos and in phantoms (docs/accuracy.md,
"Skin texture: phantoms against real photos").

The segmentation finds lesions against the spread of the skin around them,
so the phantoms prove something about real photos only if their healthy
skin varies as much as real skin does. This tool measures that spread the
way the analysis sees it:

  1. the photo is shrunk by block means of f x f pixels to about
     5 px/mm (f = the largest integer with px_per_mm / f >= 5, as
     `scarscore analyze` does by default);
  2. sRGB -> CIELAB (D65);
  3. skin = the documented colour rule of lib/skin (8 <= L* <= 99,
     chroma >= 3, hue in [-25, 110] degrees);
  4. residual = channel - its Gaussian mean over skin (normalised
     convolution, sigma 8 mm: the local skin model);
  5. tiles of 8 x 8 mm with >= 80 % skin; in each, the robust sd
     (1.4826 MAD) of the residual of L*, a*, b*;
  6. "calm skin" = the 25th percentile of each over the tiles: the quieter
     quarter of the skin, where lesions, hair and anatomy rarely are.

Usage:
  texture.py IMAGE... [--px-per-mm X]     photos (default scale 10 px/mm,
                                           the analysis' assumption)
  texture.py --manifest DIR/manifest.csv [--kind clinical]
  texture.py --phantoms DIR                every DIR/*_truth.json with its
                                           photo, at its true scale

Prints, per photo and as the median over them, the calm-skin spread of
L*, a*, b* for the residual as is and smoothed at 0.5 and 1.5 mm (the
scale of the variation). Only numpy and PIL.
"""

import argparse
import csv
import glob
import json
import os
import sys

import numpy as np
from PIL import Image, ImageOps

ANALYSIS_PX_PER_MM = 5.0
MODEL_SIGMA_MM = 8.0
TILE_MM = 8.0
TILE_MIN_SKIN = 0.8
CALM_PERCENTILE = 25.0
MAD_TO_SD = 1.482602218505602
# The residual is also smoothed over skin at these sigmas (mm) to see at
# which scale the skin varies: a lesion of 1-3 mm competes with the
# variation at its own scale, not with pixel noise.
SMOOTH_MM = (0.0, 0.5, 1.5)


def shrink(rgb, f):
    """Block means of f x f (a partial block at the right/bottom edge is
    the mean of its pixels), as lib/image/shrink.c."""
    if f <= 1:
        return rgb.astype(np.float64)
    h, w, _ = rgb.shape
    H, W = -(-h // f), -(-w // f)
    pad = np.zeros((H * f, W * f, 3))
    cnt = np.zeros((H * f, W * f, 1))
    pad[:h, :w] = rgb
    cnt[:h, :w] = 1
    s = pad.reshape(H, f, W, f, 3).sum((1, 3))
    n = cnt.reshape(H, f, W, f, 1).sum((1, 3))
    return s / n


def srgb8_to_lab(rgb):
    """sRGB (0..255 floats) to CIELAB, D65 white (IEC 61966-2-1 matrix)."""
    c = rgb / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = lin @ m.T
    white = np.array([0.95047, 1.0, 1.08883])
    t = xyz / white
    d = 6.0 / 29.0
    ft = np.where(t > d ** 3, np.cbrt(t), t / (3 * d * d) + 4.0 / 29.0)
    L = 116.0 * ft[..., 1] - 16.0
    a = 500.0 * (ft[..., 0] - ft[..., 1])
    b = 200.0 * (ft[..., 1] - ft[..., 2])
    return np.stack([L, a, b], -1)


def skin_rule(lab):
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    hue = np.degrees(np.arctan2(b, a))
    return (L >= 8) & (L <= 99) & (np.hypot(a, b) >= 3) & (hue >= -25) & (hue <= 110)


def gauss1d(x, sigma, axis):
    r = int(np.ceil(3.0 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    # zero outside the photo: the normalised convolution divides by the
    # skin weights blurred the same way
    return np.apply_along_axis(lambda v: np.convolve(v, k)[r:r + len(v)], axis, x)


def gauss(x, sigma):
    return gauss1d(gauss1d(x, sigma, 0), sigma, 1)


def tile_spread(res, skin, t):
    """CALM_PERCENTILE of the per-tile robust sd of `res` over t x t tiles
    with >= TILE_MIN_SKIN skin; (value, number of tiles)."""
    H, W = skin.shape
    sds = []
    for y0 in range(0, H - t + 1, t):
        for x0 in range(0, W - t + 1, t):
            m = skin[y0:y0 + t, x0:x0 + t]
            if m.mean() < TILE_MIN_SKIN:
                continue
            v = res[y0:y0 + t, x0:x0 + t][m]
            sds.append(MAD_TO_SD * np.median(np.abs(v - np.median(v))))
    if not sds:
        return float("nan"), 0
    return float(np.percentile(sds, CALM_PERCENTILE)), len(sds)


def masked_gauss(x, skin, sigma, w):
    """Normalised convolution of x over skin (Knutsson & Westin 1993);
    w = gauss(skin, sigma), shared by the channels."""
    return gauss(np.where(skin, x, 0.0), sigma) / np.maximum(w, 1e-9)


def calm_texture_lab(lab, ppm, smooth_mm=SMOOTH_MM):
    """Calm-skin spread of an L*a*b* photo at ppm px/mm: a 3 x len(smooth_mm)
    array (rows L*, a*, b*; columns: the residual smoothed over skin with a
    Gaussian of each sigma in mm, 0 = as is) and the number of tiles."""
    skin = skin_rule(lab)
    t = max(4, int(round(TILE_MM * ppm)))
    out = np.full((3, len(smooth_mm)), np.nan)
    ntiles = 0
    sigmas = [MODEL_SIGMA_MM * ppm] + [s * ppm for s in smooth_mm if s > 0]
    weights = {sg: gauss(skin.astype(np.float64), sg) for sg in sigmas}
    for c in range(3):
        sg = MODEL_SIGMA_MM * ppm
        res = lab[..., c] - masked_gauss(lab[..., c], skin, sg, weights[sg])
        for j, s in enumerate(smooth_mm):
            r = res if s <= 0 else masked_gauss(res, skin, s * ppm, weights[s * ppm])
            out[c, j], ntiles = tile_spread(r, skin, t)
    return out, ntiles


def calm_texture(rgb, px_per_mm, smooth_mm=SMOOTH_MM):
    """calm_texture_lab of an RGB uint8 photo taken at px_per_mm, after the
    analysis' shrink to about ANALYSIS_PX_PER_MM."""
    f = max(1, int(px_per_mm // ANALYSIS_PX_PER_MM))
    return calm_texture_lab(srgb8_to_lab(shrink(rgb, f)), px_per_mm / f, smooth_mm)


def load_rgb(path):
    im = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    return np.asarray(im)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("images", nargs="*", help="photos")
    ap.add_argument("--px-per-mm", type=float, default=10.0,
                    help="scale of the photos given (default 10, as analyze)")
    ap.add_argument("--manifest", help="a manifest.csv (column image)")
    ap.add_argument("--kind", help="only manifest rows of this kind")
    ap.add_argument("--phantoms", help="folder of phantoms (*_truth.json)")
    args = ap.parse_args(argv)
    items = [(p, args.px_per_mm) for p in args.images]
    if args.manifest:
        root = os.path.dirname(os.path.abspath(args.manifest))
        for row in csv.DictReader(open(args.manifest, newline="")):
            if args.kind and row.get("kind") != args.kind:
                continue
            items.append((os.path.join(root, row["image"]), args.px_per_mm))
    if args.phantoms:
        for tj in sorted(glob.glob(os.path.join(args.phantoms, "*_truth.json"))):
            t = json.load(open(tj))
            items.append((os.path.join(args.phantoms, t["image"]), t["px_per_mm"]))
    if not items:
        ap.error("no photos: give images, --manifest or --phantoms")
    rows = []
    for path, ppm in items:
        try:
            rgb = load_rgb(path)
        except (OSError, ValueError) as e:
            sys.stderr.write("texture.py: %s: cannot read (%s); skipped\n" % (path, e))
            continue
        sd, ntiles = calm_texture(rgb, ppm)
        rows.append(sd)
        print("%-32s %s  (%d tiles)" % (os.path.basename(path)[:32], fmt(sd), ntiles))
    if not rows:
        sys.stderr.write("texture.py: no photo could be read\n")
        return 1
    print("median of %d: %s" % (len(rows), fmt(np.nanmedian(np.array(rows), axis=0))))
    return 0


def fmt(sd):
    """'L* a / b / c  a* ...' with one value per smoothing scale."""
    return "  ".join("%s %s" % (ch, " / ".join("%5.2f" % v for v in sd[c]))
                     for c, ch in enumerate(("L*", "a*", "b*")))


if __name__ == "__main__":
    sys.exit(main())
