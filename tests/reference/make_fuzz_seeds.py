"""Generate the small synthetic seed files of fuzz/corpus/ (jpeg, roi_analyze,
cli_args) and the hand-made hostile files of tests/crashers/known/ (the
fuzzers' findings go next to them). PngSuite seeds are copied from
tests/data/pngsuite by hand.

Run with Debian's interpreter: /usr/bin/python3 tests/reference/make_fuzz_seeds.py
Deterministic: the same files every run (fixed seeds, PIL's encoder)."""
import io
import os
import struct

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def exif_orientation(value, big_endian):
    """A minimal EXIF APP1 payload holding IFD0 with one Orientation SHORT."""
    e = ">" if big_endian else "<"
    tiff = (b"MM" if big_endian else b"II") + struct.pack(e + "HI", 42, 8)
    tiff += struct.pack(e + "H", 1) + struct.pack(e + "HHIHH", 0x0112, 3, 1, value, 0)
    tiff += struct.pack(e + "I", 0)
    return b"Exif\0\0" + tiff


def skin(w, h, seed):
    rng = np.random.default_rng(seed)
    img = np.zeros((h, w, 3), np.uint8)
    img[...] = (205, 160, 140)
    yy, xx = np.mgrid[0:h, 0:w]
    disc = (xx - w / 2) ** 2 + (yy - h / 2) ** 2 <= (min(w, h) / 5) ** 2
    img[disc] = (150, 100, 85)
    noise = rng.integers(-4, 4, size=img.shape)
    return np.clip(img.astype(int) + noise, 0, 255).astype(np.uint8)


def save(path, data):
    with open(path, "wb") as f:
        f.write(data)


def jpeg_bytes(arr, **kw):
    b = io.BytesIO()
    Image.fromarray(arr).save(b, "JPEG", **kw)
    return b.getvalue()


def main():
    j = os.path.join(CORPUS, "jpeg")
    os.makedirs(j, exist_ok=True)
    a = skin(24, 16, 1)
    save(os.path.join(j, "s444_q90.jpg"), jpeg_bytes(a, quality=90, subsampling=0))
    save(os.path.join(j, "s422_q50.jpg"), jpeg_bytes(a, quality=50, subsampling=1))
    save(os.path.join(j, "s420_prog.jpg"), jpeg_bytes(a, quality=75, progressive=True))
    save(os.path.join(j, "exif_mm_8.jpg"), jpeg_bytes(a, quality=60, exif=exif_orientation(8, True)))
    save(os.path.join(j, "exif_ii_3.jpg"), jpeg_bytes(a, quality=60, exif=exif_orientation(3, False)))
    g = a[..., 1].copy()
    save(os.path.join(j, "gray_prog.jpg"), jpeg_bytes(g, quality=70, progressive=True))
    b = io.BytesIO()
    Image.fromarray(a).convert("CMYK").save(b, "JPEG", quality=50)
    save(os.path.join(j, "cmyk.jpg"), b.getvalue())

    r = os.path.join(CORPUS, "roi_analyze")
    os.makedirs(r, exist_ok=True)
    # Each ROI file ends with one byte after IEND/EOI: the target's option
    # selector (bits 0-2 px/mm index, bit 3 single lesion, 0x30 size mismatch,
    # bit 6 default analysis resolution instead of full).
    h, w = 40, 48
    yy, xx = np.mgrid[0:h, 0:w]
    disc = ((xx - 24) ** 2 + (yy - 20) ** 2 <= 18 ** 2).astype(np.uint8) * 255

    def png(arr, mode=None):
        bb = io.BytesIO()
        Image.fromarray(arr, mode).save(bb, "PNG")
        return bb.getvalue()

    save(os.path.join(r, "disc_gray8.png"), png(disc) + b"\x04")
    save(os.path.join(r, "all_on.png"), png(np.full((h, w), 1, np.uint8)) + b"\x02")
    save(os.path.join(r, "all_off.png"), png(np.zeros((h, w), np.uint8)) + b"\x00")
    save(os.path.join(r, "disc_single.png"), png(disc) + b"\x0c")
    save(os.path.join(r, "disc_mismatch.png"), png(disc) + b"\x34")
    save(os.path.join(r, "disc_gray16.png"), png(disc.astype(np.uint16) * 257, "I;16") + b"\x05")
    rgba = np.dstack([disc, disc, disc, np.full_like(disc, 255)])
    save(os.path.join(r, "disc_rgba.png"), png(rgba) + b"\x01")
    save(os.path.join(r, "disc_gray.jpg"), jpeg_bytes(disc, quality=80) + b"\x04")
    # bit 6: the default analysis resolution; at 10 px/mm (index 4) a photo
    # with sides >= 64 px (the target's 4096-pixel limit allows 64x64) is
    # shrunk by 2 together with its ROI
    yy, xx = np.mgrid[0:64, 0:64]
    big = ((xx - 31) ** 2 + (yy - 33) ** 2 <= 27 ** 2).astype(np.uint8) * 255
    save(os.path.join(r, "disc_shrunk.png"), png(big) + b"\x44")

    c = os.path.join(CORPUS, "cli_args")
    os.makedirs(c, exist_ok=True)
    args = {
        "image_only": ["photo.jpg"],
        "all_options": ["photo.jpg", "--px-per-mm", "12.5", "--single-lesion",
                        "--roi", "mask.png", "--labels", "l.png", "--json", "r.json"],
        "bad_number": ["photo.jpg", "--px-per-mm", "1e999"],
        "missing_value": ["photo.jpg", "--roi"],
        "two_images": ["a.jpg", "b.png"],
        "unknown_option": ["--frobnicate", "x.jpg"],
        "help": ["--help"],
        "nan_scale": ["photo.jpg", "--px-per-mm", "nan"],
    }
    for name, argv in args.items():
        save(os.path.join(c, name), b"\0".join(s.encode() for s in argv))


def hostile():
    """Header surgery on tiny valid files, CRCs recomputed (zlib.crc32 is
    the PNG CRC), so only the declared sizes are hostile."""
    import zlib
    k = os.path.join(ROOT, "tests", "crashers", "known")
    os.makedirs(k, exist_ok=True)
    b = io.BytesIO()
    Image.fromarray(skin(4, 4, 2)).save(b, "PNG")
    png = bytearray(b.getvalue())
    for name, w, h in (("png_ihdr_2g_x_2g.png", 0x7FFFFFFF, 0x7FFFFFFF),
                       ("png_ihdr_65535_x_65535.png", 65535, 65535),
                       ("png_ihdr_1_x_200000000.png", 1, 200000000)):
        p = bytearray(png)
        p[16:24] = struct.pack(">II", w, h)
        p[29:33] = struct.pack(">I", zlib.crc32(bytes(p[12:29])))
        save(os.path.join(k, name), bytes(p))
    save(os.path.join(k, "png_cut_in_idat.png"), bytes(png[: len(png) - 20]))
    jpg = bytearray(jpeg_bytes(skin(16, 16, 3), quality=80))
    i = jpg.index(b"\xff\xc0")
    p = bytearray(jpg)
    p[i + 5:i + 9] = struct.pack(">HH", 65535, 65535)
    save(os.path.join(k, "jpeg_sof_65535_x_65535.jpg"), bytes(p))
    save(os.path.join(k, "jpeg_cut_in_scan.jpg"), bytes(jpg[: len(jpg) - 40]))


if __name__ == "__main__":
    main()
    hostile()
