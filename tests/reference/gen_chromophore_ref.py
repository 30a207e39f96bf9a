#!/usr/bin/python3
"""Independent reference for tests/test_segment.c (test_blanching_dropped):
how much a change of blood alone, or of melanin alone, moves L* against the
chroma, in the phantom generator's optics, on every base skin tone it draws.

    /usr/bin/python3 tests/reference/gen_chromophore_ref.py

Optics (samples/phantom, docs/phantom.md): a pixel's linear sRGB is the base
skin's times 10^-(dOD), dOD = d * eps per channel, with the generator's
absorption spectra eps_melanin (0.62, 0.82, 1.00) and eps_haemoglobin
(0.10, 1.00, 0.55) (lesion.c). Base skin (phantom.c, skin_base): ITA from
-50 to 60 degrees, a* 6..16, b* 14..22, L* = 50 + b* tan(ITA) kept within
25..82 (b* giving way at the extremes). For each base on a grid of those
ranges and each chromophore, the change is a decrease of d = 0.05 OD (a
blanching or a loss of pigment: L* rises); CIELAB by scikit-image (D65,
2 degrees). The ratio is |dL*| / sqrt(da*^2 + db*^2).

Writes tests/data/chromophore_ratios.csv (one row per base and chromophore:
chromophore, ita, L, a, b, dL, da, db, ratio) and prints each chromophore's
range of ratios. docs/segment.md ("Bound 2") quotes these ranges; the test
probes the blanching rule at the largest blood ratio (must be dropped) and
the smallest melanin ratio in the blanching octant (must be kept).
"""
import csv
import math
import os

import numpy as np
from skimage import color

EPS = {"blood": np.array([0.10, 1.00, 0.55]),
       "melanin": np.array([0.62, 0.82, 1.00])}
D_OD = 0.05


def base_lab(ita, a, b):
    """phantom.c skin_base, without the random draws."""
    t = math.tan(math.radians(ita))
    L = 50.0 + b * t
    if L > 82.0 or L < 25.0:
        L = 82.0 if L > 82.0 else 25.0
        b = (L - 50.0) / t
    return np.array([L, a, b])


def lab_to_linear(lab):
    s = color.lab2rgb(lab.reshape(1, 1, 3))[0, 0]
    return np.where(s <= 0.04045, s / 12.92, ((s + 0.055) / 1.055) ** 2.4)


def linear_to_lab(lin):
    s = np.where(lin <= 0.0031308, 12.92 * lin,
                 1.055 * np.power(np.maximum(lin, 0.0), 1 / 2.4) - 0.055)
    return color.rgb2lab(s.reshape(1, 1, 3))[0, 0]


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data",
                       "chromophore_ratios.csv")
    rows = []
    for ita in range(-50, 61, 10):
        for a in (6.0, 11.0, 16.0):
            for b in (14.0, 18.0, 22.0):
                lab0 = base_lab(float(ita), a, b)
                lin0 = lab_to_linear(lab0)
                ref = linear_to_lab(lin0)  # the base after the round trip
                for name, eps in EPS.items():
                    d = linear_to_lab(lin0 * 10.0 ** (D_OD * eps)) - ref
                    ratio = abs(d[0]) / math.hypot(d[1], d[2])
                    rows.append([name, ita, *np.round(lab0, 4), *np.round(d, 5),
                                 round(ratio, 5)])
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["chromophore", "ita", "L", "a", "b", "dL", "da", "db", "ratio"])
        w.writerows(rows)
    for name in EPS:
        r = [row[-1] for row in rows if row[0] == name]
        octant = [row[-1] for row in rows
                  if row[0] == name and row[5] > 0 and row[6] < 0 and row[7] > 0]
        print(f"{name}: ratio {min(r):.3f} .. {max(r):.3f}"
              + (f"; in the blanching octant {min(octant):.3f} .. {max(octant):.3f}"
                 f" ({len(octant)} of {len(r)})" if octant else
                 "; never in the blanching octant"))
    print("wrote", os.path.normpath(out))


if __name__ == "__main__":
    main()
