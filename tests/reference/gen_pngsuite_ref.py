#!/usr/bin/python3
"""Reference decode of PngSuite for tests/test_png.c.

Run:  /usr/bin/python3 tests/reference/gen_pngsuite_ref.py \
          tests/data/pngsuite > tests/data/pngsuite_ref.txt

The reference must not depend on libpng (which the C code uses), so this
script carries its own small PNG decoder written from the PNG specification
(ISO/IEC 15948:2004 / W3C PNG 2nd ed.): chunk walk with CRC-32 check, zlib
inflate (Python's zlib), the five row filters (sec. 9), Adam7 de-interlacing
(sec. 8.2), sample unpacking, palette and tRNS expansion. Every decode is
then cross-checked against Pillow (an independent implementation): Pillow
keeps only 8 bits, so the comparison uses the high byte of 16-bit samples,
after both are expanded to RGBA.

Output layout, the one scar__png_decode produces (docs/image-png.md):
  gray 1/2/4 bit scaled to 0-255 (v * 255 / (2^d - 1)); palette -> RGB, or
  RGBA with tRNS; gray/RGB + tRNS gain an alpha channel (0 where the stored
  sample equals the tRNS value, else the maximum); 16-bit stays 16-bit.
Canonical buffer hashed: rows tightly packed, top row first, interleaved,
16-bit samples as little-endian byte pairs. Hash: 64-bit FNV-1a.
One line per valid file: name width height channels depth fnv64(hex).
Files whose names start with 'x' are the corrupt ones and are not listed.
"""
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image

SIG = b"\x89PNG\r\n\x1a\n"
SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # per pixel, by colour type
# Adam7 passes: (x0, y0, dx, dy), PNG spec sec. 8.2.
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def chunks(buf):
    if buf[:8] != SIG:
        raise ValueError("bad signature")
    pos = 8
    while pos < len(buf):
        length, = struct.unpack(">I", buf[pos:pos + 4])
        ctype = buf[pos + 4:pos + 8]
        data = buf[pos + 8:pos + 8 + length]
        crc, = struct.unpack(">I", buf[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(ctype + data) != crc:
            raise ValueError("CRC mismatch in %r" % ctype)
        yield ctype, data
        pos += 12 + length
        if ctype == b"IEND":
            return
    raise ValueError("no IEND")


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, pos, rows, rowbytes, bpp):
    """Undo the per-row filters of a w x rows sub-image starting at raw[pos].
    Returns (list of bytearrays, new pos)."""
    out = []
    prev = bytearray(rowbytes)
    for _ in range(rows):
        ftype = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + rowbytes])
        if len(line) != rowbytes:
            raise ValueError("not enough image data")
        pos += 1 + rowbytes
        for i in range(rowbytes):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 0:
                pred = 0
            elif ftype == 1:
                pred = a
            elif ftype == 2:
                pred = b
            elif ftype == 3:
                pred = (a + b) // 2
            elif ftype == 4:
                pred = paeth(a, b, c)
            else:
                raise ValueError("bad filter type %d" % ftype)
            line[i] = (line[i] + pred) & 0xFF
        out.append(line)
        prev = line
    return out, pos


def unpack(line, n, depth):
    """First n samples of a row as integers (big-endian bit/byte order)."""
    a = np.frombuffer(bytes(line), dtype=np.uint8)
    if depth == 16:
        return (a[0::2].astype(np.uint32) << 8 | a[1::2])[:n]
    if depth == 8:
        return a[:n].astype(np.uint32)
    per = 8 // depth
    shifts = np.array([8 - depth * (k + 1) for k in range(per)], dtype=np.uint8)
    s = (a[:, None] >> shifts[None, :]) & ((1 << depth) - 1)
    return s.reshape(-1)[:n].astype(np.uint32)


def decode(buf):
    ihdr = plte = trns = None
    idat = b""
    for ctype, data in chunks(buf):
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", data)
        elif ctype == b"PLTE":
            plte = data
        elif ctype == b"tRNS":
            trns = data
        elif ctype == b"IDAT":
            idat += data
    w, h, depth, ctype, _comp, _filt, interlace = ihdr
    spp = SAMPLES[ctype]
    raw = zlib.decompress(idat)
    bpp = max(1, spp * depth // 8)
    samples = np.zeros((h, w, spp), dtype=np.uint32)
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    pos = 0
    for x0, y0, dx, dy in passes:
        pw = (w - x0 + dx - 1) // dx if w > x0 else 0
        ph = (h - y0 + dy - 1) // dy if h > y0 else 0
        if pw == 0 or ph == 0:
            continue  # empty passes have no filter bytes (sec. 8.2)
        rowbytes = (pw * spp * depth + 7) // 8
        lines, pos = unfilter(raw, pos, ph, rowbytes, bpp)
        for j, line in enumerate(lines):
            v = unpack(line, pw * spp, depth).reshape(pw, spp)
            samples[y0 + j * dy, x0::dx][:pw] = v

    maxv = (1 << depth) - 1
    if ctype == 3:
        pal = np.frombuffer(plte, dtype=np.uint8).reshape(-1, 3)
        idx = samples[:, :, 0]
        rgb = pal[idx].astype(np.uint32)
        if trns is not None:
            alpha = np.full(256, 255, dtype=np.uint32)
            alpha[:len(trns)] = np.frombuffer(trns, dtype=np.uint8)
            out = np.concatenate([rgb, alpha[idx][:, :, None]], axis=2)
        else:
            out = rgb
        return out, 8

    out_depth = 16 if depth == 16 else 8
    out = samples
    if trns is not None and ctype in (0, 2):
        key = np.array(struct.unpack(">%dH" % spp, trns[:2 * spp]),
                       dtype=np.uint32)
        transparent = np.all(samples == key[None, None, :], axis=2)
        alpha = np.where(transparent, 0, (1 << out_depth) - 1)
        out = np.concatenate([samples, alpha[:, :, None].astype(np.uint32)],
                             axis=2)
    if depth < 8:  # only gray (0) and gray+tRNS reach here below 8 bits
        scaled = out.copy()
        scaled[:, :, 0] = out[:, :, 0] * 255 // maxv
        out = scaled
    return out, out_depth


def canonical(out, depth):
    if depth == 16:
        return out.astype("<u2").tobytes()
    return out.astype(np.uint8).tobytes()


def to_rgba8(out, depth):
    a = out >> 8 if depth == 16 else out
    c = a.shape[2]
    if c == 1:
        a = np.concatenate([a, a, a, np.full_like(a, 255)], axis=2)
    elif c == 2:
        a = np.concatenate([a[:, :, :1]] * 3 + [a[:, :, 1:]], axis=2)
    elif c == 3:
        a = np.concatenate([a, np.full_like(a[:, :, :1], 255)], axis=2)
    return a.astype(np.uint8)


def pil_rgba8(path):
    im = Image.open(path)
    im.load()
    if im.mode in ("I", "I;16", "I;16B"):
        # 16-bit gray: Pillow keeps 16 bits; reduce to the high byte.
        g = (np.array(im).astype(np.uint32) >> 8).astype(np.uint8)
        rgba = np.stack([g, g, g, np.full_like(g, 255)], axis=2)
        if "transparency" in im.info:
            rgba[:, :, 3] = np.where(np.array(im) == im.info["transparency"],
                                     0, 255)
        return rgba
    if im.mode == "L" and "transparency" in im.info:
        # Pillow keeps a 1/2/4-bit file's tRNS gray in the file's bit depth
        # but compares it with the samples scaled to 8 bits, so it never
        # matches (seen on tbbn0g04). Scale the key the way the spec
        # defines the sample (PNG sec. 11.3.2.1: key is in the image depth).
        with open(path, "rb") as f:
            depth = f.read(25)[24]
        key = im.info["transparency"] * 255 // ((1 << depth) - 1)
        g = np.array(im)
        return np.stack([g, g, g, np.where(g == key, 0, 255).astype(np.uint8)],
                        axis=2)
    return np.array(im.convert("RGBA"))


def main():
    d = sys.argv[1]
    names = sorted(n for n in os.listdir(d)
                   if n.endswith(".png") and not n.startswith("x"))
    print("# PngSuite reference decode; generated by "
          "tests/reference/gen_pngsuite_ref.py (do not edit).")
    print("# name width height channels depth fnv1a64(canonical buffer)")
    mismatches = 0
    for n in names:
        path = os.path.join(d, n)
        with open(path, "rb") as f:
            buf = f.read()
        out, depth = decode(buf)
        h, w, c = out.shape
        ours = to_rgba8(out, depth)
        theirs = pil_rgba8(path)
        if theirs.shape != ours.shape or not np.array_equal(ours, theirs):
            mismatches += 1
            diff = (np.abs(ours.astype(int) - theirs.astype(int)).max()
                    if theirs.shape == ours.shape else "shape")
            print("PIL disagrees on %s (max diff %s)" % (n, diff),
                  file=sys.stderr)
        print("%s %d %d %d %d %016x" % (n, w, h, c, depth,
                                        fnv1a64(canonical(out, depth))))
    # The corrupt files must be refused by this decoder too.
    for n in sorted(x for x in os.listdir(d) if x.startswith("x")
                    and x.endswith(".png")):
        try:
            with open(os.path.join(d, n), "rb") as f:
                decode(f.read())
            print("reference decoder accepted corrupt %s" % n,
                  file=sys.stderr)
        except Exception:
            pass
    print("%d files, %d PIL disagreements" % (len(names), mismatches),
          file=sys.stderr)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
