#!/usr/bin/python3
"""Which phantom lesions stand out from the healthy skin at all
(docs/accuracy.md, "Which lesions can be found").

A lesion the skin's own texture matches at every scale cannot be found by
any rule on colour, however its pixels are pooled; a scar's relief can
still show as the shading of its walls. This tool measures both with the
truth in hand (an oracle: no segmentation is run), so the benchmark's
misses can be split into those a better rule could find and those it
could not:

  1. the photo is shrunk by block means to about 5 px/mm, as the analysis
     does (texture.py), and converted to CIELAB; the truth labels are
     shrunk with it (a block is lesion k when more than half of it is k,
     healthy when all of it is, else left out);
  2. residual = each channel minus its normalised Gaussian (sigma 8 mm)
     over the truly healthy skin more than 1 mm from any lesion (an
     oracle model: no lesion pulls it);
  3. colour: the residual smoothed over skin by a Gaussian of sigma s
     (s = 0, 0.3, 0.6, 1.0, 1.5, 2.5 mm: pooling a lesion's pixels),
     Mahalanobis distance d under the robust covariance of the healthy
     skin more than 2 mm from any lesion (median centre, then mean and
     covariance of the inner 98 % by distance); a lesion's colour ratio
     at s = the median of d over its pixels / the 99.9th percentile of d
     over that healthy skin. Ratio >= 1 at some s: its colour stands out;
  4. relief: the correlation of the L* residual with the shading the
     lesion's own outline would cast under the renderer's light, the
     directional derivative along the light of the outline's mask blurred
     by a Gaussian of sigma max(0.7 px, 0.15 mm) (the wall width), over
     the norm of that template; its robust z (1.4826 MAD) against the
     same template placed on healthy skin (up to 200 places whose whole
     window is healthy). |z| >= RELIEF_Z: its walls stand out.

Usage:
  detectability.py --phantoms DIR [--lesions LESIONS.csv] [--csv OUT.csv]

--lesions takes accuracy.py's per-lesion CSV (image, id, matched) of the
same phantoms and adds the segmentation's recall among the lesions that
stand out and among those that do not. Needs numpy and PIL.
"""

import argparse
import csv
import glob
import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import texture  # noqa: E402

MODEL_SIGMA_MM = 8.0
HEALTHY_MODEL_MM = 1.0    # the model's skin: this far from any lesion
HEALTHY_REF_MM = 2.0      # the reference skin: this far from any lesion
POOL_MM = (0.0, 0.3, 0.6, 1.0, 1.5, 2.5)
REF_QUANTILE = 99.9
INNER_FRACTION = 0.98
WALL_MM = 0.15
WALL_MIN_PX = 0.7
NULL_PLACES = 200
NULL_MIN = 30
# Two-sided normal tail 5e-6: a Bonferroni level for ~10^4 lesion-sized
# places on a 5 px/mm photo of 12 MP.
RELIEF_Z = 4.56
MAD_TO_SD = texture.MAD_TO_SD


def shrink_labels(lab, f):
    """Majority block labels: k when > half of the f x f block is k, 0 when
    all of it is 0, -1 otherwise (partial blocks at the edges as whole)."""
    if f <= 1:
        return lab.astype(np.int64)
    h, w = lab.shape
    H, W = -(-h // f), -(-w // f)
    pad = np.full((H * f, W * f), -1, np.int64)
    pad[:h, :w] = lab
    blocks = pad.reshape(H, f, W, f).transpose(0, 2, 1, 3).reshape(H, W, f * f)
    n = (blocks >= 0).sum(-1)
    out = np.full((H, W), -1, np.int64)
    out[((blocks == 0) | (blocks < 0)).all(-1) & (n > 0)] = 0
    for k in np.unique(blocks[blocks > 0]):
        out[(blocks == k).sum(-1) * 2 > n] = k
    return out


def near(mask, r):
    """Pixels within r px (Euclidean) of a True pixel of mask: the union of
    the mask shifted by every offset of the disc of radius r."""
    h, w = mask.shape
    R = int(np.floor(r))
    out = mask.copy()
    for dy in range(-R, R + 1):
        for dx in range(-R, R + 1):
            if dy * dy + dx * dx > r * r or (dy == 0 and dx == 0):
                continue
            out[max(0, dy):h + min(0, dy), max(0, dx):w + min(0, dx)] |= \
                mask[max(0, -dy):h - max(0, dy), max(0, -dx):w - max(0, dx)]
    return out


def robust_mahalanobis(v, ref):
    """Mahalanobis distance of the rows of v under the robust location and
    covariance of the rows of ref (median centre, inner INNER_FRACTION)."""
    mu = np.median(ref, 0)
    dv = ref - mu
    ci = np.linalg.inv(np.cov(dv.T))
    m = np.einsum("ij,jk,ik->i", dv, ci, dv)
    keep = m <= np.quantile(m, INNER_FRACTION)
    mu = ref[keep].mean(0)
    ci = np.linalg.inv(np.cov(ref[keep].T))
    d = v - mu
    return np.sqrt(np.einsum("ij,jk,ik->i", d, ci, d))


def colour_ratios(lab, labels, skin, ppm, pool_mm=POOL_MM):
    """{lesion id: [ratio at each pooling scale]} (step 3 of the docstring)."""
    lesion = labels != 0
    model_w = skin & ~near(lesion, HEALTHY_MODEL_MM * ppm)
    ref = skin & ~near(lesion, HEALTHY_REF_MM * ppm)
    sg = MODEL_SIGMA_MM * ppm
    wm = texture.gauss(model_w.astype(np.float64), sg)
    res = np.stack([lab[..., c] - texture.masked_gauss(lab[..., c], model_w, sg, wm)
                    for c in range(3)], -1)
    ids = [k for k in np.unique(labels) if k > 0]
    out = {k: [] for k in ids}
    for s in pool_mm:
        if s > 0:
            ws = texture.gauss(skin.astype(np.float64), s * ppm)
            r = np.stack([texture.masked_gauss(res[..., c], skin, s * ppm, ws)
                          for c in range(3)], -1)
        else:
            r = res
        d = np.full(skin.shape, np.nan)
        d[skin] = robust_mahalanobis(r[skin], r[ref])
        level = np.percentile(d[ref], REF_QUANTILE)
        for k in ids:
            m = (labels == k) & skin
            out[k].append(float(np.median(d[m]) / level) if m.any() else float("nan"))
    return out, res[..., 0], ref


def wall_template(mask, sigma, ux, uy):
    """Directional derivative along (ux, uy) (x = column, y = row) of the
    mask blurred by a Gaussian of sigma px, over its norm."""
    g = texture.gauss(mask.astype(np.float64), sigma)
    gy, gx = np.gradient(g)
    t = ux * gx + uy * gy
    n = np.sqrt((t * t).sum())
    return t / n if n > 0 else None


def relief_z(res_l, labels, ref, ppm, ux, uy, seed):
    """{lesion id: robust z of its wall template} (step 4 of the docstring)."""
    sigma = max(WALL_MIN_PX, WALL_MM * ppm)
    pad = int(np.ceil(3 * sigma)) + 2
    H, W = labels.shape
    rng = np.random.default_rng(seed)
    # places whose whole window is reference skin: a summed-area table of
    # the reference mask gives each window's count
    sat = np.pad(ref.astype(np.int64).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    out = {}
    for k in [k for k in np.unique(labels) if k > 0]:
        ys, xs = np.nonzero(labels == k)
        y0, y1 = ys.min() - pad, ys.max() + pad + 1
        x0, x1 = xs.min() - pad, xs.max() + pad + 1
        if y0 < 0 or x0 < 0 or y1 > H or x1 > W:
            out[k] = float("nan")
            continue
        t = wall_template(labels[y0:y1, x0:x1] == k, sigma, ux, uy)
        if t is None:
            out[k] = float("nan")
            continue
        hh, ww = t.shape
        s0 = float((t * res_l[y0:y1, x0:x1]).sum())
        cnt = sat[hh:, ww:] - sat[:-hh, ww:] - sat[hh:, :-ww] + sat[:-hh, :-ww]
        oy, ox = np.nonzero(cnt == hh * ww)
        if len(oy) < NULL_MIN:
            out[k] = float("nan")
            continue
        pick = rng.choice(len(oy), size=min(NULL_PLACES, len(oy)), replace=False)
        null = np.array([(t * res_l[oy[j]:oy[j] + hh, ox[j]:ox[j] + ww]).sum()
                         for j in pick])
        med = np.median(null)
        sd = MAD_TO_SD * np.median(np.abs(null - med))
        out[k] = float((s0 - med) / sd) if sd > 0 else float("nan")
    return out


def analyse(photo, truth):
    """Per lesion of one phantom: (id, kind, colour ratios, relief z)."""
    t = json.load(open(truth))
    rgb = texture.load_rgb(photo)
    lab_full = np.asarray(Image.open(os.path.join(os.path.dirname(truth), t["labels"])))
    f = max(1, int(t["px_per_mm"] // texture.ANALYSIS_PX_PER_MM))
    ppm = t["px_per_mm"] / f
    lab = texture.srgb8_to_lab(texture.shrink(rgb, f))
    labels = shrink_labels(lab_full.astype(np.int64), f)
    skin = texture.skin_rule(lab) & (labels >= 0)
    ratios, res_l, ref = colour_ratios(lab, labels, skin, ppm)
    az = np.radians(t["light"]["azimuth_deg"])
    zs = relief_z(np.where(skin, res_l, 0.0), labels, ref, ppm, np.cos(az), np.sin(az),
                  t.get("seed", 0))
    kinds = {les["id"]: les["kind"] for les in t["lesions"]}
    return [(k, kinds.get(k, "?"), ratios[k], zs.get(k, float("nan")))
            for k in sorted(ratios)]


def stands_out(ratios, z):
    colour = any(r >= 1.0 for r in ratios if np.isfinite(r))
    relief = np.isfinite(z) and abs(z) >= RELIEF_Z
    return colour, relief


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--phantoms", required=True, help="folder of phantoms (*_truth.json)")
    ap.add_argument("--lesions", help="accuracy.py's per-lesion CSV of the same phantoms")
    ap.add_argument("--csv", help="write one row per lesion here")
    args = ap.parse_args(argv)
    found = {}
    if args.lesions:
        for row in csv.DictReader(open(args.lesions, newline="")):
            found[(row["image"], int(row["id"]))] = row["matched"] == "True"
    rows = []
    for tj in sorted(glob.glob(os.path.join(args.phantoms, "*_truth.json"))):
        t = json.load(open(tj))
        photo = os.path.join(args.phantoms, t["image"])
        try:
            per = analyse(photo, tj)
        except (OSError, ValueError, np.linalg.LinAlgError) as e:
            sys.stderr.write("detectability.py: %s: %s; skipped\n" % (photo, e))
            continue
        for k, kind, ratios, z in per:
            rows.append((t["image"], k, kind, ratios, z, found.get((t["image"], k))))
    if not rows:
        sys.stderr.write("detectability.py: no phantom in %s\n" % args.phantoms)
        return 1
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            wr = csv.writer(fh)
            wr.writerow(["image", "id", "kind"] + ["colour_ratio_%gmm" % s for s in POOL_MM]
                        + ["relief_z", "colour_out", "relief_out", "matched"])
            for img, k, kind, ratios, z, m in rows:
                c, r = stands_out(ratios, z)
                wr.writerow([img, k, kind] + ["%.4f" % v for v in ratios]
                            + ["%.3f" % z, int(c), int(r), "" if m is None else m])
    print("%-15s %6s %8s %8s %8s %8s" % ("kind", "lesions", "colour", "relief",
                                          "either", "pooled"))
    groups = sorted({r[2] for r in rows}) + ["all"]
    for g in groups:
        sel = [r for r in rows if g in ("all", r[2])]
        co = [stands_out(r[3], r[4]) for r in sel]
        # the colour out at some pooling scale but not per pixel (s = 0)
        pooled = [any(v >= 1 for v in r[3][1:]) and not r[3][0] >= 1 for r in sel]
        print("%-15s %6d %8.2f %8.2f %8.2f %8.2f" % (
            g, len(sel), np.mean([c for c, _ in co]), np.mean([r for _, r in co]),
            np.mean([c or r for c, r in co]), np.mean(pooled)))
    if found:
        known = [r for r in rows if r[5] is not None]
        out = [r for r in known if any(stands_out(r[3], r[4]))]
        rest = [r for r in known if not any(stands_out(r[3], r[4]))]
        print("recall among the lesions that stand out: %.3f (%d of %d)" % (
            np.mean([r[5] for r in out]) if out else float("nan"),
            sum(r[5] for r in out), len(out)))
        print("recall among the others:                 %.3f (%d of %d)" % (
            np.mean([r[5] for r in rest]) if rest else float("nan"),
            sum(r[5] for r in rest), len(rest)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
