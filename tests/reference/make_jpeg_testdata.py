#!/usr/bin/python3
"""Generate the JPEG test data of tests/test_jpeg.c (run with Debian's
/usr/bin/python3, which has PIL linked against the system libjpeg-turbo).

    /usr/bin/python3 tests/reference/make_jpeg_testdata.py EXIF_SUITE_DIR

EXIF_SUITE_DIR is the folder of the EXIF orientation example photos
(recurser/exif-orientation-examples, MIT). Outputs, all committed:

tests/data/exif/{Landscape,Portrait}_{0..8}.jpg
    1/10-size copies of the suite's photos. The STORED pixels are resized
    (orientation is NOT applied) and the original EXIF APP1 bytes are written
    back unchanged, so each file still needs its orientation to look upright.
    The script re-reads every copy and checks the tag survived.
tests/data/exif/LICENSE
    The suite's licence.
tests/data/jpeg/
    odd_baseline.jpg      101x67 RGB, 4:2:0, baseline (a crop of Landscape_1)
    odd_progressive.jpg   same pixels, progressive
    odd_gray.jpg          same pixels as 8-bit grayscale
    cmyk.jpg              same pixels as Adobe CMYK (transform 0)
    ycck.jpg              cmyk.jpg with the Adobe transform byte set to 2,
                          which libjpeg reads as YCCK
    exif_ii_6.jpg         odd_baseline pixels with a little-endian ("II")
                          EXIF block holding Orientation = 6
    pil_odd_baseline_d{1,2,4,8}.ppm   PIL's decode of odd_baseline.jpg at full
                          size and with draft() DCT scaling 1/2, 1/4, 1/8
    pil_odd_progressive.ppm           PIL's decode of odd_progressive.jpg
    pil_odd_gray.pgm                  PIL's decode of odd_gray.jpg
The PIL decodes are the independent reference the C test compares against.
"""
import io
import os
import shutil
import sys

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
if len(sys.argv) != 2:
    sys.exit("usage: make_jpeg_testdata.py EXIF_SUITE_DIR  (the folder holding "
             "Landscape_N.jpg / Portrait_N.jpg of the EXIF orientation suite)")
SUITE = sys.argv[1]
ORIENTATION = 0x0112


def exif_copies():
    out_dir = os.path.join(DATA, "exif")
    os.makedirs(out_dir, exist_ok=True)
    shutil.copyfile(os.path.join(SUITE, "LICENSE"),
                    os.path.join(out_dir, "LICENSE"))
    for kind in ("Landscape", "Portrait"):
        for n in range(9):
            name = "%s_%d.jpg" % (kind, n)
            src = Image.open(os.path.join(SUITE, name))
            exif = src.info["exif"]          # raw APP1 payload, "Exif\0\0..."
            assert exif.startswith(b"Exif\x00\x00")
            w, h = src.size                  # stored size, orientation ignored
            small = src.convert("RGB").resize((w // 10, h // 10),
                                              Image.Resampling.BOX)
            dst = os.path.join(out_dir, name)
            # 4:4:4 and high quality: re-encoding noise (the copies are not
            # block-aligned once mirrored) stays well under the 4-level bound.
            small.save(dst, "JPEG", quality=95, subsampling=0, exif=exif)
            back = Image.open(dst)
            assert back.info["exif"] == exif, name
            assert back.getexif().get(ORIENTATION) == n, name
            assert back.size == (w // 10, h // 10)


def little_endian_exif(orientation):
    """A hand-built "II" (little-endian) EXIF block, as many cameras write:
    IFD0 = Make (ASCII, stored at an offset), Orientation (SHORT, inline),
    XResolution (RATIONAL, at an offset). PIL itself writes "MM"."""
    import struct
    entries = 3
    data_at = 8 + 2 + 12 * entries + 4           # after IFD0 and next-IFD
    make = b"Canon\x00"
    ifd = struct.pack("<H", entries)
    ifd += struct.pack("<HHII", 0x010F, 2, len(make), data_at)
    ifd += struct.pack("<HHIHH", ORIENTATION, 3, 1, orientation, 0)
    ifd += struct.pack("<HHII", 0x011A, 5, 1, data_at + len(make))
    ifd += struct.pack("<I", 0)
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd + make + \
        struct.pack("<II", 72, 1)
    return b"Exif\x00\x00" + tiff


def write_pnm(path, im):
    magic = {"L": b"P5", "RGB": b"P6"}[im.mode]
    with open(path, "wb") as f:
        f.write(b"%s\n%d %d\n255\n" % (magic, im.size[0], im.size[1]))
        f.write(im.tobytes())


def generated():
    out_dir = os.path.join(DATA, "jpeg")
    os.makedirs(out_dir, exist_ok=True)
    src = Image.open(os.path.join(SUITE, "Landscape_1.jpg")).convert("RGB")
    # An odd-sized crop (101x67: no dimension divisible by 2, 4 or 8) of real
    # photo content, downscaled so edges and texture survive.
    crop = src.crop((300, 200, 300 + 505, 200 + 335)).resize(
        (101, 67), Image.Resampling.BOX)
    p = lambda n: os.path.join(out_dir, n)
    crop.save(p("odd_baseline.jpg"), "JPEG", quality=90, subsampling=2)
    crop.save(p("odd_progressive.jpg"), "JPEG", quality=90, subsampling=2,
              progressive=True)
    crop.convert("L").save(p("odd_gray.jpg"), "JPEG", quality=90)
    crop.convert("CMYK").save(p("cmyk.jpg"), "JPEG", quality=90)
    assert Image.open(p("odd_progressive.jpg")).info.get("progressive")
    assert Image.open(p("cmyk.jpg")).mode == "CMYK"

    # YCCK: flip the Adobe APP14 transform byte (offset 11 of its payload:
    # "Adobe" version(2) flags0(2) flags1(2) transform(1)) from 0 to 2.
    data = bytearray(open(p("cmyk.jpg"), "rb").read())
    i = data.find(b"\xff\xee")
    assert i > 0 and data[i + 4:i + 9] == b"Adobe"
    t = i + 4 + 11
    assert data[t] == 0
    data[t] = 2
    open(p("ycck.jpg"), "wb").write(bytes(data))

    blob = little_endian_exif(6)
    crop.save(p("exif_ii_6.jpg"), "JPEG", quality=90, subsampling=2,
              exif=blob)
    back = Image.open(p("exif_ii_6.jpg"))
    assert back.info["exif"][6:8] == b"II", back.info["exif"][:16]
    assert back.getexif().get(ORIENTATION) == 6

    # Reference decodes by PIL (same libjpeg-turbo, default islow IDCT and
    # fancy upsampling, the library defaults scarscore also uses).
    w, h = crop.size
    for d in (1, 2, 4, 8):
        im = Image.open(p("odd_baseline.jpg"))
        if d > 1:
            im.draft("RGB", (w // d, h // d))
            assert im.size == (-(-w // d), -(-h // d)), (d, im.size)
        write_pnm(p("pil_odd_baseline_d%d.ppm" % d), im.convert("RGB"))
    write_pnm(p("pil_odd_progressive.ppm"), Image.open(p("odd_progressive.jpg")))
    gray = Image.open(p("odd_gray.jpg"))
    assert gray.mode == "L"
    write_pnm(p("pil_odd_gray.pgm"), gray)


if __name__ == "__main__":
    exif_copies()
    generated()
    print("ok")
