#!/usr/bin/python3
"""Reference values for tests/test_texture.c (lib/texture), written to
tests/data/texture/. Run with Debian's /usr/bin/python3 (numpy, scikit-image
0.19):  /usr/bin/python3 tests/reference/gen_texture_ref.py

Independent implementations:
  glcm_ref.txt      unmasked patches: skimage.feature.graycomatrix(symmetric,
                    normed) + graycoprops, averaged over distances and the
                    4 angles; entropy -sum p log2 p from skimage's matrices.
                    Masked patches: pairs counted here with numpy (a pair
                    counts only if both pixels are selected), then the same
                    graycoprops. Offsets are probed from skimage itself.
  quantize_ref.txt  numpy floor((v - lo) / (hi - lo) * levels), clipped.
  lbp_ref.txt       skimage.feature.local_binary_pattern(img, 8, 1,
                    'uniform'); masked histograms and chi2 with numpy.
  roughness_ref.txt numpy.fft (float64) of the documented definition.
All text, one number per token, so the C test needs no parser library.
"""
import os
import numpy as np
from skimage.feature import graycomatrix, graycoprops, local_binary_pattern

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data',
                   'texture')
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20240611)
ANGLES = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]
PROPS = ['contrast', 'dissimilarity', 'homogeneity', 'energy', 'ASM',
         'correlation']


def probe_offset(angle, d):
    """(dy, dx) that skimage pairs pixel i with, found with an impulse."""
    n = 2 * d + 3
    for dy in range(-d - 1, d + 2):
        for dx in range(-d - 1, d + 2):
            if dy == 0 and dx == 0:
                continue
            im = np.zeros((n, n), np.uint8)
            c = n // 2
            im[c, c] = 1
            im[c + dy, c + dx] = 2
            g = graycomatrix(im, [d], [angle], levels=3)[:, :, 0, 0]
            if g[1, 2] == 1:
                return dy, dx
    raise RuntimeError('no offset')


def entropy_of(P):
    """mean over (d, a) of -sum p log2 p of normalised matrices."""
    out = []
    for di in range(P.shape[2]):
        for ai in range(P.shape[3]):
            p = P[:, :, di, ai]
            p = p[p > 0]
            out.append(-np.sum(p * np.log2(p)))
    return float(np.mean(out))


def masked_glcm(img, mask, dists, levels):
    """Symmetric normalised GLCM counting only pairs with both ends valid;
    also returns the ordered pair count and per-(d,a) emptiness."""
    h, w = img.shape
    P = np.zeros((levels, levels, len(dists), 4), np.float64)
    pairs = 0
    for di, d in enumerate(dists):
        for ai, a in enumerate(ANGLES):
            dy, dx = probe_offset(a, d)
            y0, y1 = max(0, -dy), min(h, h - dy)
            x0, x1 = max(0, -dx), min(w, w - dx)
            A = img[y0:y1, x0:x1]
            B = img[y0 + dy:y1 + dy, x0 + dx:x1 + dx]
            ok = mask[y0:y1, x0:x1] & mask[y0 + dy:y1 + dy, x0 + dx:x1 + dx]
            C = np.zeros((levels, levels), np.float64)
            np.add.at(C, (A[ok], B[ok]), 1)
            pairs += int(ok.sum())
            S = C + C.T
            if S.sum() > 0:
                S /= S.sum()
            P[:, :, di, ai] = S
    return P, pairs


def props_line(P, pairs):
    vals = [float(graycoprops(P, p).mean()) for p in PROPS]
    vals.append(entropy_of(P))
    return ' '.join('%.17g' % v for v in vals) + ' %d %d' % (
        pairs, P.shape[2] * 4)


def gen_glcm():
    cases = []
    dists = [1, 2, 3]
    for levels in (8, 16, 32, 64):
        h, w = 23 + levels % 7, 29 + levels % 5
        cases.append(('random', rng.integers(0, levels, (h, w)), levels,
                      dists, None))
        yy, xx = np.mgrid[0:h, 0:w]
        stripes = ((np.sin(xx * 0.9 + yy * 0.4) + 1) * 0.5 * (levels - 1))
        cases.append(('stripes', np.round(stripes).astype(int), levels, dists,
                      None))
    h, w = 20, 26
    cases.append(('checker', ((np.indices((h, w)).sum(0) % 2) * 7), 8, [1, 2],
                  None))
    cases.append(('constant', np.full((h, w), 5), 16, [1, 3], None))
    cases.append(('gradient', (np.indices((h, w))[1] * 31 // (w - 1)), 32,
                  [1, 2, 3], None))
    # masked: the excluded area holds extreme values that would dominate.
    for levels in (16, 32):
        h, w = 30, 34
        img = rng.integers(levels // 4, levels // 2, (h, w))
        mask = np.ones((h, w), bool)
        mask[5:17, 8:20] = False
        mask[rng.random((h, w)) < 0.1] = False
        img[~mask] = levels - 1
        img[5:17, 8:12] = 0
        cases.append(('masked', img, levels, [1, 2, 3], mask))
    lines = ['%d' % len(cases)]
    for name, img, levels, ds, mask in cases:
        img = img.astype(np.uint8)
        h, w = img.shape
        if mask is None:
            P = graycomatrix(img, ds, ANGLES, levels=levels, symmetric=True,
                             normed=True)
            raw = graycomatrix(img, ds, ANGLES, levels=levels)
            pairs = int(raw.sum())
            # the independent numpy count must agree with skimage here
            P2, pairs2 = masked_glcm(img, np.ones_like(img, bool), ds, levels)
            assert pairs2 == pairs and np.allclose(P, P2, atol=1e-15)
        else:
            P, pairs = masked_glcm(img, mask, ds, levels)
        lines.append('%s %d %d %d %d %s %d' % (
            name, w, h, levels, len(ds), ' '.join(map(str, ds)),
            0 if mask is None else 1))
        lines.append(' '.join(map(str, img.ravel())))
        if mask is not None:
            lines.append(' '.join(map(str, mask.astype(int).ravel())))
        lines.append(props_line(P, pairs))
    with open(os.path.join(OUT, 'glcm_ref.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def gen_quantize():
    v = rng.uniform(-10, 110, 200).astype(np.float32)
    v[:8] = np.array([0, 100, 50, 6.25, 99.99999, -0.0, 12.5, 37.5],
                     np.float32)
    lines = ['%d' % len(v), ' '.join('%.9g' % x for x in v)]
    cases = [(0.0, 100.0, 16), (0.0, 100.0, 64), (20.0, 80.0, 8),
             (-5.5, 93.25, 256)]
    lines.append('%d' % len(cases))
    for lo, hi, levels in cases:
        q = np.floor((v.astype(np.float64) - lo) / (hi - lo) * levels)
        q = np.clip(q, 0, levels - 1).astype(int)
        lines.append('%.17g %.17g %d' % (lo, hi, levels))
        lines.append(' '.join(map(str, q)))
    with open(os.path.join(OUT, 'quantize_ref.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def gen_lbp():
    imgs = []
    h, w = 29, 31
    imgs.append(('ties', (np.round(rng.random((h, w)) * 4) * 12.5)))
    yy, xx = np.mgrid[0:h, 0:w]
    imgs.append(('smooth', 40 + 0.3 * xx + 0.2 * yy +
                 rng.normal(0, 0.8, (h, w))))
    imgs.append(('random', rng.uniform(0, 100, (h, w))))
    imgs.append(('flat', np.full((h, w), 63.7)))
    lines = ['%d' % len(imgs)]
    mask_a = np.zeros((h, w), bool)
    mask_a[3:20, 4:25] = True
    mask_b = ~mask_a
    mask_b[:1, :] = False
    for name, img in imgs:
        img32 = img.astype(np.float32)
        codes = local_binary_pattern(img32.astype(np.float64), 8, 1,
                                     'uniform').astype(int)
        ha = np.bincount(codes[mask_a], minlength=10) / mask_a.sum()
        hb = np.bincount(codes[mask_b], minlength=10) / mask_b.sum()
        s = ha + hb
        nz = s > 0
        chi2 = 0.5 * np.sum((ha[nz] - hb[nz]) ** 2 / s[nz])
        lines.append('%s %d %d' % (name, w, h))
        lines.append(' '.join('%.9g' % x for x in img32.ravel()))
        lines.append(' '.join(map(str, codes.ravel())))
        lines.append(' '.join('%.17g' % x for x in ha))
        lines.append(' '.join('%.17g' % x for x in hb))
        lines.append('%.17g' % chi2)
    lines.append(' '.join(map(str, mask_a.astype(int).ravel())))
    lines.append(' '.join(map(str, mask_b.astype(int).ravel())))
    with open(os.path.join(OUT, 'lbp_ref.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def roughness(img, mask, px_per_mm, lo=0.2, split=1.0, hi=5.0):
    h, w = img.shape
    valid = mask & np.isfinite(img)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    xc, yc = xx - (w - 1) / 2, yy - (h - 1) / 2
    A = np.stack([np.ones(valid.sum()), xc[valid], yc[valid]], 1)
    coef, *_ = np.linalg.lstsq(A, img[valid].astype(np.float64), rcond=None)
    res = img - (coef[0] + coef[1] * xc + coef[2] * yc)
    res[~valid] = 0
    wx = np.sin(np.pi * (np.arange(w) + 0.5) / w) ** 2
    wy = np.sin(np.pi * (np.arange(h) + 0.5) / h) ** 2
    F = np.fft.fft2(res * wy[:, None] * wx[None, :])   # full spectrum
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    f = np.sqrt(fx ** 2 + fy ** 2) * px_per_mm
    P = np.abs(F) ** 2
    tot = P[(f >= 1 / hi) & (f <= 1 / lo)].sum()
    high = P[(f >= 1 / split) & (f <= 1 / lo)].sum()
    return high / tot


def gen_roughness():
    h, w = 48, 64
    yy, xx = np.mgrid[0:h, 0:w]
    img = (55 + 0.2 * xx - 0.1 * yy + 2 * np.sin(2 * np.pi * xx / 7.0) +
           1.5 * np.sin(2 * np.pi * (xx + yy) / 31.0) +
           rng.normal(0, 0.7, (h, w))).astype(np.float32)
    mask = np.ones((h, w), bool)
    mask[10:20, 30:45] = False
    img[12:18, 32:40] = 300  # excluded: must not matter
    cases = [(10.0, mask), (25.0, np.ones((h, w), bool))]
    lines = ['%d %d' % (w, h), ' '.join('%.9g' % x for x in img.ravel()),
             ' '.join(map(str, mask.astype(int).ravel())), '%d' % len(cases)]
    for ppm, m in cases:
        lines.append('%.17g %d %.17g' % (ppm, 0 if m.all() else 1,
                                         roughness(img.astype(np.float64), m,
                                                   ppm)))
    with open(os.path.join(OUT, 'roughness_ref.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


gen_glcm()
gen_quantize()
gen_lbp()
gen_roughness()
