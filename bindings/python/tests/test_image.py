"""Loading: pixels equal PIL's decode (when PIL is installed), the numpy
view is the library's memory, and failures raise scarscore.Error with the
library's message."""
import gc

import numpy as np
import pytest

import scarscore
from conftest import DATA

PNGSUITE = sorted((DATA / "pngsuite").glob("*.png"))
EXIF = sorted((DATA / "exif").glob("*.jpg"))


def _pil_reference(path, channels, depth):
    """PIL's decode in our layout, or None when PIL cannot express it."""
    Image = pytest.importorskip("PIL.Image")
    im = Image.open(path)
    im.load()
    if depth == 16 and channels == 1:
        # PIL keeps 16 bits only for single-channel gray.
        if im.mode not in ("I;16", "I;16B", "I"):
            return None
        return np.asarray(im).astype(np.uint16)
    if depth == 16 and im.mode in ("I;16", "I;16B", "I"):
        return None  # 16-bit gray + tRNS: PIL has no 16-bit gray+alpha mode
    mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[channels]
    if im.mode in ("I;16", "I;16B", "I") or "transparency" in im.info and mode in ("L", "LA"):
        return None  # PIL narrows 16-bit or tRNS gray differently
    return np.asarray(im.convert(mode)).reshape(im.height, im.width, channels)


@pytest.mark.parametrize("path", [p for p in PNGSUITE if not p.name.startswith("x")],
                         ids=lambda p: p.name)
def test_pngsuite_matches_pil(path):
    img = scarscore.load(path)
    a = img.array
    assert a.shape == (img.height, img.width, img.channels)
    assert a.dtype == (np.uint16 if img.bit_depth == 16 else np.uint8)
    ref = _pil_reference(path, img.channels, img.bit_depth)
    if ref is None:
        pytest.skip("PIL decodes %s to a different layout" % path.name)
    if img.bit_depth == 16 and img.channels > 1:
        a = a >> 8  # PIL narrows 16-bit colour to its high byte
    np.testing.assert_array_equal(a.reshape(ref.shape), ref)


@pytest.mark.parametrize("path", [p for p in PNGSUITE if p.name.startswith("x")],
                         ids=lambda p: p.name)
def test_pngsuite_corrupt_files_raise(path):
    with pytest.raises(scarscore.Error) as e:
        scarscore.load(path)
    assert e.value.status in (11, 12, 13, 21)
    assert e.value.message.startswith("scar_image_load")
    assert path.name in e.value.message


@pytest.mark.parametrize("path", EXIF, ids=lambda p: p.name)
def test_exif_jpeg_upright_as_pil(path):
    ImageOps = pytest.importorskip("PIL.ImageOps")
    Image = pytest.importorskip("PIL.Image")
    img = scarscore.load(path)
    ref = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGB"))
    assert img.array.shape == ref.shape
    # Same libjpeg-turbo IDCT on Debian; allow 1 level for other builds.
    assert np.abs(img.array.astype(int) - ref).max() <= 1
    raw = scarscore.load(path, apply_orientation=False)
    assert raw.orientation == img.orientation
    if img.orientation in (5, 6, 7, 8):
        assert raw.array.shape[:2] == ref.shape[1::-1]


def test_view_is_library_memory_and_keeps_image_alive():
    img = scarscore.load(DATA / "pngsuite" / "basn2c08.png")
    a = img.array
    assert a.strides == (img.stride, 3, 1)
    a[0, 0] = (1, 2, 3)
    assert tuple(img.array[0, 0]) == (1, 2, 3)  # same memory, no copy
    expected = a.copy()
    del img
    gc.collect()
    np.testing.assert_array_equal(a, expected)  # the view kept it alive


def test_close_with_live_view_is_safe():
    img = scarscore.load(DATA / "pngsuite" / "basn0g08.png")
    a = img.array
    img.close()
    with pytest.raises(ValueError):
        img.width
    assert a.sum() > 0


def test_scale_denom_and_load_bytes():
    path = DATA / "exif" / "Landscape_1.jpg"
    full = scarscore.load(path)
    half = scarscore.load(path, scale_denom=2)
    assert half.scale_denom == 2
    assert half.width == -(-full.width // 2) and half.height == -(-full.height // 2)
    mem = scarscore.load_bytes(path.read_bytes())
    np.testing.assert_array_equal(mem.array, full.array)
    assert mem.format == "jpeg"


def test_from_array_and_png_roundtrip(tmp_path):
    rng = np.random.default_rng(1)
    for dtype, top in ((np.uint8, 256), (np.uint16, 65536)):
        for c in (1, 2, 3, 4):
            a = rng.integers(0, top, (7, 5, c)).astype(dtype)
            img = scarscore.Image.from_array(a)
            np.testing.assert_array_equal(img.array, a)
            p = tmp_path / ("rt_%d_%d.png" % (c, a.dtype.itemsize))
            img.save_png(p)
            np.testing.assert_array_equal(scarscore.load(p).array, a)
    # a strided (non-contiguous) array is copied correctly too
    a = rng.integers(0, 256, (10, 12, 3)).astype(np.uint8)[::2, ::3]
    np.testing.assert_array_equal(scarscore.Image.from_array(a).array, a)


def test_missing_file_raises_io_error(tmp_path):
    p = tmp_path / "nope.jpg"
    with pytest.raises(scarscore.Error) as e:
        scarscore.load(p)
    assert e.value.status == 10
    assert str(p) in str(e.value) and "scar_image_load" in str(e.value)


def test_truncated_jpeg_raises_corrupt(tmp_path):
    data = (DATA / "exif" / "Landscape_1.jpg").read_bytes()
    p = tmp_path / "cut.jpg"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(scarscore.Error) as e:
        scarscore.load(p)
    assert e.value.status == 12
    assert "cut.jpg" in e.value.message


def test_not_an_image_raises_format(tmp_path):
    p = tmp_path / "text.png"
    p.write_text("hello, not a picture")
    with pytest.raises(scarscore.Error) as e:
        scarscore.load(p)
    assert e.value.status == 11
    with pytest.raises(scarscore.Error):
        scarscore.load_bytes(b"")


def test_bad_arguments_raise_before_c():
    with pytest.raises(TypeError):
        scarscore.load(42)
    with pytest.raises(ValueError):
        scarscore.load("a\0b")
    with pytest.raises(ValueError):
        scarscore.load(DATA / "exif" / "Landscape_1.jpg", scale_denom=3)
    with pytest.raises(TypeError):
        scarscore.Image.from_array(np.zeros((4, 4, 3), np.float32))
    with pytest.raises(ValueError):
        scarscore.Image.from_array(np.zeros((4, 4, 5), np.uint8))
    with pytest.raises(TypeError):
        scarscore.Image.from_array([[1, 2], [3, 4]])
