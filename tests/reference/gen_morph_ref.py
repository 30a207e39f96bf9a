#!/usr/bin/python3
"""Reference outputs for tests/test_morph.c, computed with scipy.ndimage and
scikit-image (Debian 12: scipy 1.10, skimage 0.19, numpy 1.24).

Run:  /usr/bin/python3 tests/reference/gen_morph_ref.py
Writes tests/data/morph/*.bin. Each file is a sequence of arrays, each one
    char type ('B' bit-packed bool, 'I' int32, 'S' int16, 'U' uint32,
    'H' uint16, 'F' float32, 'D' float64), 3 zero bytes, uint32 rows, uint32 cols, then the data
    (little-endian, row-major; 'B' is numpy.packbits of the flattened array,
    most significant bit first, padded to a byte).
The C test reads them in the order written here.
"""
import os
import struct
import warnings

import numpy as np
import scipy.ndimage as ndi
from skimage.filters import apply_hysteresis_threshold, threshold_otsu
from skimage.measure import label, regionprops
from skimage.morphology import disk

warnings.filterwarnings("ignore")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "morph")
rng = np.random.default_rng(20240504)


class Writer:
    def __init__(self, name):
        self.f = open(os.path.join(OUT, name), "wb")

    def arr(self, a, t):
        a = np.asarray(a)
        if a.ndim == 1:
            a = a.reshape(1, -1)
        if a.ndim == 0:  # pragma: no cover
            a = a.reshape(1, 1)
        rows, cols = a.shape
        self.f.write(struct.pack("<c3xII", t.encode(), rows, cols))
        if t == "B":
            self.f.write(np.packbits(a.astype(bool).ravel()).tobytes())
        else:
            dt = {"I": "<i4", "S": "<i2", "U": "<u4", "H": "<u2", "F": "<f4", "D": "<f8"}[t]
            self.f.write(np.ascontiguousarray(a, dtype=dt).tobytes())

    def close(self):
        self.f.close()


def blobs(h, w, n, rmax):
    m = np.zeros((h, w), bool)
    yy, xx = np.mgrid[:h, :w]
    for _ in range(n):
        cy, cx = rng.uniform(-3, h + 3), rng.uniform(-3, w + 3)
        ry, rx = rng.uniform(1, rmax), rng.uniform(1, rmax)
        t = rng.uniform(0, np.pi)
        u = (xx - cx) * np.cos(t) + (yy - cy) * np.sin(t)
        v = -(xx - cx) * np.sin(t) + (yy - cy) * np.cos(t)
        m |= (u / rx) ** 2 + (v / ry) ** 2 <= 1
    return m


def rings(h, w):
    m = np.zeros((h, w), bool)
    yy, xx = np.mgrid[:h, :w]
    for cy, cx, r0, r1 in [(h / 2, w / 3, 4, 8), (h / 3, 3 * w / 4, 2, 4.5),
                           (h - 2, w - 2, 3, 6)]:
        d = np.hypot(yy - cy, xx - cx)
        m |= (d >= r0) & (d <= r1)
    m[2:9, 2:12] = True
    m[4:7, 4:10] = False      # rectangular hole
    m[5, 6] = True            # island inside the hole
    return m


def lines(h, w):
    m = np.zeros((h, w), bool)
    m[3, :] = True                               # full-width line
    m[:, w - 4] = True                           # full-height line
    idx = np.arange(min(h, w) - 2)
    m[idx + 1, idx] = True                       # diagonal: 8- but not 4-conn.
    m[h - 6, 2:w // 2] = True
    m[h - 4, 5] = True                           # single pixels
    m[h - 1, 0] = True
    m[0, w // 2] = True
    return m


def spiral(h, w):
    m = np.zeros((h, w), bool)
    t, l, b, r = 1, 1, h - 2, w - 2
    while t + 2 <= b and l + 2 <= r:
        m[t, l:r + 1] = True
        m[t:b + 1, r] = True
        m[b, l:r + 1] = True
        m[t + 2:b + 1, l] = True
        t, l, b, r = t + 2, l + 2, b - 2, r - 2
    m[h // 2, w // 2] = True
    return m


def masks():
    cases = [
        rng.random((23, 37)) < 0.5,
        rng.random((40, 31)) < 0.15,
        rng.random((30, 30)) < 0.8,
        blobs(48, 64, 12, 9),
        blobs(61, 45, 25, 5),
        rings(40, 50),
        lines(33, 41),
        spiral(29, 35),
        np.zeros((9, 13), bool),
        np.ones((7, 5), bool),
        np.array([[True]]),
        rng.random((1, 40)) < 0.5,
        rng.random((35, 1)) < 0.5,
        np.pad(np.ones((5, 6), bool), 4),        # a rectangle
        np.eye(12, 15, dtype=bool) | np.eye(12, 15, 3, dtype=bool),
    ]
    chk = np.indices((16, 18)).sum(axis=0) % 2 == 0  # checkerboard
    cases.append(chk)
    return [np.ascontiguousarray(c) for c in cases]


def main():
    os.makedirs(OUT, exist_ok=True)
    ms = masks()
    w = Writer("masks.bin")
    w.arr(np.array([len(ms)]), "I")
    for m in ms:
        w.arr(m, "B")
    w.close()

    # distance transform: squared distances to the nearest 0 / non-zero
    # pixel; UINT32_MAX where no target exists (scipy's value is undefined)
    w = Writer("edt.bin")
    for m in ms:
        for target_nonzero in (0, 1):
            src = m if not target_nonzero else ~m
            if src.all():
                sq = np.full(m.shape, 0xFFFFFFFF, np.uint64)
            else:
                # exact: the indices give the nearest target pixel
                _, ind = ndi.distance_transform_edt(src, return_indices=True)
                yy, xx = np.indices(m.shape)
                sq = (ind[0] - yy) ** 2 + (ind[1] - xx) ** 2
                d = ndi.distance_transform_edt(src)
                assert np.allclose(np.sqrt(sq), d)
            sq = np.minimum(sq, 0xFFFF)  # all cases are small; 0xFFFF = none
            w.arr(sq.astype(np.uint16), "H")
    w.close()

    # disk morphology, scipy border_value=0 (default); r = 0..15
    w = Writer("disk.bin")
    for m in ms:
        for r in range(16):
            se = disk(r).astype(bool)
            w.arr(ndi.binary_dilation(m, se), "B")
            w.arr(ndi.binary_erosion(m, se), "B")
            w.arr(ndi.binary_opening(m, se), "B")
            w.arr(ndi.binary_closing(m, se), "B")
    w.close()

    w = Writer("fill.bin")
    for m in ms:
        w.arr(ndi.binary_fill_holes(m), "B")
    w.close()

    # labels (8- and 4-connectivity) and region properties
    w = Writer("label.bin")
    for m in ms:
        l8 = label(m, connectivity=2)
        w.arr(l8, "S")
        w.arr(label(m, connectivity=1), "S")
        rows = []
        for p in regionprops(l8):
            mu = p.moments_central
            rows.append([p.label, p.area, *p.bbox, *p.centroid,
                         mu[2, 0], mu[1, 1], mu[0, 2],
                         p.axis_major_length, p.axis_minor_length,
                         p.eccentricity, p.orientation, p.perimeter,
                         p.area_convex, p.solidity,
                         p.equivalent_diameter_area])
        w.arr(np.array(rows, np.float64).reshape(-1, 19), "D")
    w.close()

    # Otsu: float32 images, optional mask, NaN skipped; and histograms
    w = Writer("otsu.bin")
    imgs = [
        rng.random((31, 47)).astype(np.float32),
        np.concatenate([rng.normal(0.2, 0.05, 600), rng.normal(0.7, 0.1, 900)])
        .astype(np.float32).reshape(30, 50),
        (rng.normal(50, 20, (64, 64)) ** 2).astype(np.float32),
        rng.integers(0, 5, (20, 25)).astype(np.float32),
        np.full((4, 6), 0.25, np.float32),
        (rng.random((40, 40)) * 1e-3 - 7.5).astype(np.float32),
    ]
    w.arr(np.array([len(imgs)]), "I")
    for img in imgs:
        mask = rng.random(img.shape) < 0.7
        nanimg = img.copy()
        nanimg[rng.random(img.shape) < 0.05] = np.nan
        w.arr(img, "F")
        w.arr(mask, "B")
        w.arr(nanimg, "F")
        for nbins in (256, 17):
            t_all = threshold_otsu(img, nbins=nbins)
            t_mask = threshold_otsu(img[mask], nbins=nbins)
            t_nan = threshold_otsu(nanimg[np.isfinite(nanimg)], nbins=nbins)
            w.arr(np.array([nbins, t_all, t_mask, t_nan], np.float64), "D")
    hists = [
        np.array([0, 0, 5, 9, 3, 0, 1, 12, 20, 4, 0, 0], np.float64),
        rng.integers(0, 100, 256).astype(np.float64),
        np.array([0, 7, 0, 3, 0], np.float64),
    ]
    w.arr(np.array([len(hists)]), "I")
    for h in hists:
        centers = np.linspace(-1.5, 2.0, h.size)
        w.arr(h, "D")
        w.arr(centers, "D")
        w.arr(np.array([threshold_otsu(hist=h.astype(np.int64)),
                        threshold_otsu(hist=(h.astype(np.int64), centers))],
                       np.float64), "D")
    w.close()

    # hysteresis on smooth random fields
    w = Writer("hyst.bin")
    cases = []
    for shape, s in [((40, 52), 2.0), ((33, 33), 1.0), ((25, 60), 3.0)]:
        img = ndi.gaussian_filter(rng.normal(size=shape), s).astype(np.float32)
        img /= np.abs(img).max()
        cases.append((img, 0.2, 0.6))
        cases.append((img, 0.0, 0.3))
        cases.append((img, 0.7, 0.4))  # low > high: low clipped to high
    w.arr(np.array([len(cases)]), "I")
    for img, lo, hi in cases:
        w.arr(img, "F")
        w.arr(np.array([lo, hi], np.float32), "F")
        w.arr(apply_hysteresis_threshold(img, np.float32(lo), np.float32(hi)),
              "B")
    w.close()


if __name__ == "__main__":
    main()
