"""Helpers for the end-to-end tests of the scarscore command (tests/cli).

Standard library only, so any python3 runs them. Environment (set by
tests/CMakeLists.txt): SCARSCORE_CLI, SCARSCORE_PHANTOM (the two
executables), SCAR_TEST_DATA (tests/data), SCAR_TEST_TMP (scratch folder).
"""
import csv
import io
import os
import shutil
import struct
import subprocess
import sys
import zlib

CLI = os.environ.get("SCARSCORE_CLI", "scarscore")
PHANTOM = os.environ.get("SCARSCORE_PHANTOM", "scarscore-phantom")
DATA = os.environ.get("SCAR_TEST_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))
TMP = os.environ.get("SCAR_TEST_TMP", "/tmp")

failures = []


def check(cond, msg):
    """Record a failed expectation (the test goes on and fails at the end)."""
    if not cond:
        failures.append(msg)
        print("FAIL:", msg, file=sys.stderr)


def finish():
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("all checks passed")


def scratch(name):
    d = os.path.join(TMP, "cli-" + name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def run(*args, expect=None, **kw):
    """Run the CLI; returns (returncode, stdout, stderr)."""
    p = subprocess.run([CLI, *args], capture_output=True, text=True, **kw)
    if expect is not None:
        check(p.returncode == expect,
              f"scarscore {' '.join(args)}: exit {p.returncode}, expected "
              f"{expect}; stderr: {p.stderr.strip()[-500:]}")
    return p.returncode, p.stdout, p.stderr


def phantoms(folder, seeds, width=400, height=300):
    """Render phantom photos SEED.jpg (scale from the seed, as a clinic's
    photos vary) into folder; returns their file names."""
    names = []
    for s in seeds:
        prefix = os.path.join(folder, f"ph{s:03d}")
        subprocess.run([PHANTOM, "--out", prefix, "--seed", str(s), "--width",
                        str(width), "--height", str(height)], check=True,
                       capture_output=True)
        for extra in ("_labels.png", "_truth.json"):
            os.remove(prefix + extra)  # keep only the photo
        names.append(f"ph{s:03d}.jpg")
    return names


def read_csv(path):
    """(header, rows) with rows as lists of strings."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def png_size(path):
    """(width, height) from a PNG's IHDR chunk."""
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path + " is not a PNG"
    return struct.unpack(">II", head[16:24])


def jpeg_size(path):
    """(width, height) from a JPEG's SOF marker."""
    data = read_bytes(path)
    i = 2
    while i < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        seglen = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + seglen
    raise ValueError(path + ": no SOF marker")




def read_png(path):
    """(width, height, channels, depth, rows) of a non-interlaced gray or
    RGB PNG of depth 8 or 16 (PNG spec: the five row filters undone);
    rows[y] is a list of width * channels sample values."""
    data = read_bytes(path)
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path + " is not a PNG"
    i, idat = 8, b""
    while i < len(data):
        n, kind = struct.unpack(">I4s", data[i:i + 8])
        body = data[i + 8:i + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        i += 12 + n
    assert ctype in (0, 2) and depth in (8, 16) and not interlace, path
    ch = 1 if ctype == 0 else 3
    bpp = ch * depth // 8
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        prev = line
        if depth == 8:
            rows.append(list(line))
        else:
            rows.append(list(struct.unpack(">%dH" % (w * ch), bytes(line))))
    return w, h, ch, depth, rows


def write_png(path, w, h, ch, depth, rows):
    """A non-interlaced gray (ch 1) or RGB (ch 3) PNG, filter 0."""
    fmt = "B" if depth == 8 else "H"
    raw = b"".join(b"\0" + struct.pack(">%d%s" % (w * ch, fmt), *r) for r in rows)

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", w, h, depth, 0 if ch == 1 else 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
