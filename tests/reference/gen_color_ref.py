#!/usr/bin/python3
"""Generate tests/data/srgb_lab_skimage.csv: sRGB -> CIELAB (D65, 2 deg) from
scikit-image, an implementation independent of scarscore, for test_color.c.

Run with Debian's interpreter (it has numpy + python3-skimage):
    /usr/bin/python3 tests/reference/gen_color_ref.py > tests/data/srgb_lab_skimage.csv

Rows: bits,R,G,B,L,a,b with R,G,B integer codes (8- or 16-bit) and Lab from
skimage.color.rgb2lab(codes / (2**bits - 1)) with illuminant D65, observer 2.
Colours: an 11-level grid of every channel (1331 colours) plus 700 seeded
random ones at 8 bits; 1200 seeded random ones plus the 8 cube corners at 16
bits. The seed is fixed, so the output is reproducible byte for byte for a
given scikit-image version (the header line records it).
"""
import itertools
import sys

import numpy as np
import skimage
from skimage.color import rgb2lab


def rows(bits, codes):
    top = float(2 ** bits - 1)
    lab = rgb2lab((codes / top)[None, :, :], illuminant="D65", observer="2")[0]
    for c, l in zip(codes, lab):
        yield "%d,%d,%d,%d,%.6f,%.6f,%.6f" % (bits, c[0], c[1], c[2], l[0], l[1], l[2])


def main():
    rng = np.random.default_rng(20240603)
    levels = np.round(np.linspace(0, 255, 11)).astype(np.int64)
    grid8 = np.array(list(itertools.product(levels, repeat=3)), dtype=np.int64)
    rand8 = rng.integers(0, 256, size=(700, 3))
    corners16 = np.array(list(itertools.product([0, 65535], repeat=3)), dtype=np.int64)
    rand16 = rng.integers(0, 65536, size=(1200, 3))
    out = sys.stdout
    out.write("# scikit-image %s rgb2lab D65/2; bits,R,G,B,L,a,b\n" % skimage.__version__)
    for r in rows(8, np.concatenate([grid8, rand8])):
        out.write(r + "\n")
    for r in rows(16, np.concatenate([corners16, rand16])):
        out.write(r + "\n")


if __name__ == "__main__":
    main()
