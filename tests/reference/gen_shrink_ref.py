#!/usr/bin/python3
"""Reference output for tests/test_analysis_scale.c: block means of an
image shrunk by an integer factor, computed with numpy (padding + reshape),
independently of lib/image/shrink.c.

    /usr/bin/python3 tests/reference/gen_shrink_ref.py > tests/data/shrink_ref.txt

Input images are given by formula (the C test computes the same):
  8-bit:  v(x, y, c) = (7 x^2 + 13 y + 61 c + x y) mod 256
  16-bit: v(x, y, c) = (7919 x^2 + 104729 y + 613 c + 31 x y) mod 65536
size 37x23, 3 channels. For each depth and factor f in 2, 3, 4, 5, 8 the
output is ceil(37/f) x ceil(23/f); a block at the right or bottom edge
holds fewer pixels and is the mean of those. The mean is rounded half up:
floor(mean + 1/2), computed exactly as (2 sum + n) // (2 n).
Masked cases (scar__image_shrink_masked): mask(x, y) = (3 x + 5 y) mod 7 < 3
and x < 29; a block's mean is over its masked pixels, or over all of them
when it has none (the blocks right of x = 29).

Format: per case a line "depth f out_w out_h masked" (masked 0/1), then
out_h lines of out_w*3 integers (row-major, channels interleaved)."""
import numpy as np

W, H, C = 37, 23, 3


def image(depth):
    y, x, c = np.meshgrid(np.arange(H, dtype=np.int64), np.arange(W, dtype=np.int64),
                          np.arange(C, dtype=np.int64), indexing="ij")
    if depth == 8:
        return (7 * x * x + 13 * y + 61 * c + x * y) % 256
    return (7919 * x * x + 104729 * y + 613 * c + 31 * x * y) % 65536


def mask():
    y, x = np.meshgrid(np.arange(H), np.arange(W), indexing="ij")
    return ((3 * x + 5 * y) % 7 < 3) & (x < 29)


def block_sums(img, m, f):
    ow, oh = -(-W // f), -(-H // f)
    pad = np.zeros((oh * f, ow * f, C), np.int64)
    cnt = np.zeros((oh * f, ow * f), np.int64)
    pad[:H, :W] = img * m[..., None]
    cnt[:H, :W] = m
    s = pad.reshape(oh, f, ow, f, C).sum(axis=(1, 3))
    n = cnt.reshape(oh, f, ow, f).sum(axis=(1, 3))[..., None]
    return s, n, ow, oh


def shrink(img, f, masked):
    s, n, ow, oh = block_sums(img, np.ones((H, W), bool), f)
    if masked:
        sm, nm, _, _ = block_sums(img, mask(), f)
        s = np.where(nm > 0, sm, s)
        n = np.where(nm > 0, nm, n)
    return (2 * s + n) // (2 * n), ow, oh


for masked in (0, 1):
  for depth in (8, 16):
    img = image(depth)
    for f in (2, 3, 4, 5, 8):
        out, ow, oh = shrink(img, f, masked)
        print(depth, f, ow, oh, masked)
        for row in out:
            print(" ".join(str(int(v)) for v in row.reshape(-1)))
