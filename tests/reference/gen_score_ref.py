#!/usr/bin/python3
"""Reference values for tests/test_score.c, from independent
implementations: scikit-image regionprops / graycomatrix / graycoprops /
local_binary_pattern, scipy's distance transform for the ring, and numpy
for the masked GLCM of the ring, the medians and the spectral roughness.

Writes tests/data/score_ref_planes.bin (L* as float32 then labels as int32,
row-major, 64 x 64, little endian) and tests/data/score_ref.txt
("name value" lines). Run: /usr/bin/python3 tests/reference/gen_score_ref.py
"""
import os

import numpy as np
from scipy import ndimage
from skimage.feature import graycomatrix, graycoprops, local_binary_pattern
from skimage.measure import regionprops

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
W = H = 64
PPM = 10.0                 # px per mm
RING_IN, RING_OUT = 3.0, 10.0  # px (0.3 .. 1.0 mm)
LEVELS = 64
DIST = [1, 3, 5]           # round(0.1, 0.25, 0.5 mm * 10 px/mm), half up

rng = np.random.default_rng(20240611)
L = rng.uniform(40.0, 70.0, (H, W)).astype(np.float32)
# smooth stripes so the roughness is not pure noise
yy, xx = np.mgrid[0:H, 0:W]
L = (L * 0.5 + 27.0 + 6.0 * np.sin(2 * np.pi * xx / 7.0)).astype(np.float32)
lab = np.zeros((H, W), np.int32)
lab[20:36, 10:30] = 1                                   # rectangle 16 x 20
# ellipse whose major axis rises 30 degrees to the right (as displayed)
c30, s30 = np.cos(np.pi / 6), np.sin(np.pi / 6)
u = (xx - 47) * c30 - (yy - 44) * s30
v = (xx - 47) * s30 + (yy - 44) * c30
lab[(u / 12.0) ** 2 + (v / 6.0) ** 2 <= 1.0] = 2
with open(os.path.join(DATA, "score_ref_planes.bin"), "wb") as f:
    f.write(L.astype("<f4").tobytes())
    f.write(lab.astype("<i4").tobytes())

out = []


def put(name, v):
    out.append("%s %.17g" % (name, float(v)))


def ring_mask(k):
    d = ndimage.distance_transform_edt(lab != k)
    return (d >= RING_IN) & (d <= RING_OUT) & (lab == 0)


def glcm_masked(q, m, levels, dists):
    """Masked symmetric normalised GLCM properties averaged over the
    (distance, angle) combinations with at least one pair (numpy only)."""
    props = {k: [] for k in ("contrast", "dissimilarity", "homogeneity",
                             "energy", "ASM", "correlation", "entropy")}
    for d in dists:
        r = int(np.floor(d / np.sqrt(2) + 0.5))
        for dx, dy in ((d, 0), (r, r), (0, d), (-r, r)):
            P = np.zeros((levels, levels))
            for y in range(H):
                for x in range(W):
                    y2, x2 = y + dy, x + dx
                    if not (0 <= y2 < H and 0 <= x2 < W):
                        continue
                    if m[y, x] and m[y2, x2]:
                        P[q[y, x], q[y2, x2]] += 1
            if P.sum() == 0:
                continue
            P = P + P.T
            p = P / P.sum()
            i, j = np.mgrid[0:levels, 0:levels]
            props["contrast"].append((p * (i - j) ** 2).sum())
            props["dissimilarity"].append((p * abs(i - j)).sum())
            props["homogeneity"].append((p / (1 + (i - j) ** 2)).sum())
            asm = (p ** 2).sum()
            props["ASM"].append(asm)
            props["energy"].append(np.sqrt(asm))
            mu = (i * p).sum()
            sd = np.sqrt((p * (i - mu) ** 2).sum())
            props["correlation"].append(1.0 if sd < 1e-15 else
                                        (p * (i - mu) * (j - mu)).sum() / sd ** 2)
            nz = p[p > 0]
            props["entropy"].append(-(nz * np.log2(nz)).sum())
    return {k: np.mean(v) for k, v in props.items()}


def roughness(Lw, m, ppm):
    """docs/texture.md: plane removal over valid pixels, Hann window, band
    power ratio periods [0.2, 1] / [0.2, 5] mm (numpy float64 FFT)."""
    h, w = Lw.shape
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    ys, xs = np.nonzero(m)
    A = np.c_[np.ones(len(xs)), xs - cx, ys - cy]
    coef = np.linalg.lstsq(A, Lw[ys, xs].astype(np.float64), rcond=None)[0]
    Y, X = np.mgrid[0:h, 0:w]
    res = Lw - (coef[0] + coef[1] * (X - cx) + coef[2] * (Y - cy))
    res[~m] = 0
    wx = np.sin(np.pi * (np.arange(w) + 0.5) / w) ** 2
    wy = np.sin(np.pi * (np.arange(h) + 0.5) / h) ** 2
    F = np.fft.fft2(res * wy[:, None] * wx[None, :])
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    f = np.sqrt(fx ** 2 + fy ** 2) * ppm
    pw = np.abs(F) ** 2
    tot = pw[(f >= 0.2) & (f <= 5.0)].sum()
    hi = pw[(f >= 1.0) & (f <= 5.0)].sum()
    return hi / tot


q = np.clip(np.floor(L.astype(np.float64) / 100.0 * LEVELS), 0, LEVELS - 1).astype(np.int64)
codes = local_binary_pattern(L.astype(np.float64), 8, 1, "uniform")
margin = int(np.ceil(RING_OUT)) + 1
for rp in regionprops(lab):
    k = rp.label
    put("r%d.area" % k, rp.area)
    put("r%d.perimeter" % k, rp.perimeter)
    put("r%d.equivalent_diameter" % k, rp.equivalent_diameter)
    put("r%d.major_axis" % k, rp.major_axis_length)
    put("r%d.minor_axis" % k, rp.minor_axis_length)
    put("r%d.solidity" % k, rp.solidity)
    # skimage: angle between the row axis and the major axis; ours: from +x,
    # counter-clockwise as displayed = skimage's angle - 90 deg, in (-90, 90]
    deg = np.degrees(rp.orientation) - 90.0
    deg = deg + 180.0 if deg <= -90.0 else deg
    put("r%d.orientation_deg" % k, deg)
    inside = lab == k
    ring = ring_mask(k)
    put("r%d.ring_px" % k, ring.sum())
    put("r%d.L_inside_median" % k, np.median(L[inside]))
    put("r%d.L_ring_median" % k, np.median(L[ring]))
    if k == 1:  # the rectangle: the masked GLCM equals skimage on the crop
        crop = q[20:36, 10:30].astype(np.uint8)
        P = graycomatrix(crop, DIST, [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4],
                         LEVELS, symmetric=True, normed=True)
        for prop in ("contrast", "dissimilarity", "homogeneity", "energy",
                     "ASM", "correlation"):
            put("r1.glcm_%s_inside" % prop.lower(), graycoprops(P, prop).mean())
    g = glcm_masked(q, ring, LEVELS, DIST)
    for prop, v in g.items():
        put("r%d.glcm_%s_ring" % (k, prop.lower()), v)
    hi = np.bincount(codes[inside].astype(int), minlength=10) / inside.sum()
    hr = np.bincount(codes[ring].astype(int), minlength=10) / ring.sum()
    s = hi + hr
    nz = s > 0
    put("r%d.lbp_chi2" % k, 0.5 * (((hi - hr) ** 2)[nz] / s[nz]).sum())
    y0, x0 = max(rp.bbox[0] - margin, 0), max(rp.bbox[1] - margin, 0)
    y1, x1 = min(rp.bbox[2] + margin, H), min(rp.bbox[3] + margin, W)
    Lw = L[y0:y1, x0:x1].astype(np.float64)
    put("r%d.roughness_inside" % k, roughness(Lw, inside[y0:y1, x0:x1], PPM))
    put("r%d.roughness_ring" % k, roughness(Lw, ring[y0:y1, x0:x1], PPM))
healthy = lab == 0
put("skin.L_median", np.median(L[healthy]))
mad = np.median(np.abs(L[healthy].astype(np.float64) - np.median(L[healthy])))
put("skin.L_robust_sd", 1.4826 * mad)

with open(os.path.join(DATA, "score_ref.txt"), "w") as f:
    f.write("# generated by tests/reference/gen_score_ref.py; do not edit\n")
    f.write("\n".join(out) + "\n")
