"""scarscore.Image: a scar_image handle whose pixels numpy sees without a
copy, and the loaders."""
import ctypes
import weakref

import numpy as np

from ._lib import LoadOptions, check, fspath_bytes, lib

FORMAT_NAMES = {0: "unknown", 1: "png", 2: "jpeg"}
_UINT16 = np.dtype(np.uint16)


class _ArrayView:
    """Exposes C memory to numpy through __array_interface__ while holding a
    reference to the object owning that memory: numpy keeps this view as the
    array's .base, so the owner lives as long as any array over it."""

    def __init__(self, owner, ptr, shape, typestr, strides, readonly):
        self._owner = owner
        self.__array_interface__ = {
            "version": 3, "shape": tuple(shape), "typestr": typestr,
            "data": (ptr, readonly), "strides": tuple(strides),
        }


class Handle:
    """Owns one C object (image or result) and frees it with `free` when the
    last Python reference goes: the wrapper (Image, Result) and every numpy
    array viewing the object's memory hold the Handle, so memory handed to
    numpy is never freed under it. `keep` holds caller memory a borrowed C
    object points into."""

    __slots__ = ("ptr", "keep", "_finalizer", "__weakref__")

    def __init__(self, ptr, free, keep=None):
        if not ptr:
            raise RuntimeError("scarscore: the library returned success and NULL")
        self.ptr = ptr
        self.keep = keep
        self._finalizer = weakref.finalize(self, free, ptr)


def view(owner, ptr, shape, dtype, strides, readonly):
    """An ndarray over C memory at ptr that keeps `owner` alive."""
    dtype = np.dtype(dtype)
    return np.asarray(_ArrayView(owner, ptr, shape, dtype.str, strides, readonly))


class Image:
    """An image held by the C library: height x width pixels of 1-4
    interleaved channels (gray, gray+alpha, RGB, RGBA), uint8 or uint16,
    colour in sRGB. `.array` (also np.asarray(image)) is a writable
    (height, width, channels) view of the library's pixels, no copy; it
    keeps the Image alive. The C handle is released when the Image and every
    array over it are gone, or at once with close()."""

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, ptr, keep=None):
        # Internal: use load(), load_bytes() or Image.from_array().
        self._handle = Handle(ptr, lib().scar_image_free, keep)

    @classmethod
    def from_array(cls, array, copy=True):
        """An Image from a (h, w) or (h, w, c) uint8/uint16 array, c in 1..4,
        interpreted as gray/gray+alpha/RGB/RGBA sRGB. copy=True (default)
        copies the pixels into the library; copy=False borrows them (the
        Image keeps the array alive; rows must be contiguous)."""
        arr = _as_pixel_array(array, "array")
        if not copy and not (arr.flags.c_contiguous or _rows_packed(arr)):
            raise ValueError("from_array(copy=False) needs each row contiguous")
        arr = arr if _rows_packed(arr) else np.ascontiguousarray(arr)
        h, w, c = arr.shape
        out = ctypes.c_void_p()
        check(lib().scar_image_from_memory(
            arr.ctypes.data, w, h, c, 8 * arr.dtype.itemsize, arr.strides[0],
            0 if copy else 1, ctypes.byref(out)))
        return cls(out.value, None if copy else arr)

    def close(self):
        """Drop this Image's claim on the C image: it is released now unless
        an array from .array still uses it (then when the last one goes).
        The Image is unusable afterwards."""
        self._handle = None

    def _h(self):
        if self._handle is None:
            raise ValueError("the Image is closed")
        return self._handle.ptr

    @property
    def width(self):
        return lib().scar_image_width(self._h())

    @property
    def height(self):
        return lib().scar_image_height(self._h())

    @property
    def channels(self):
        return lib().scar_image_channels(self._h())

    @property
    def bit_depth(self):
        return lib().scar_image_bit_depth(self._h())

    @property
    def stride(self):
        """Bytes between the starts of consecutive rows."""
        return lib().scar_image_stride(self._h())

    @property
    def orientation(self):
        """The EXIF orientation tag found in the file (1-8; 1 if none)."""
        return lib().scar_image_orientation(self._h())

    @property
    def scale_denom(self):
        """The JPEG DCT scale the image was decoded at (1, 2, 4, 8)."""
        return lib().scar_image_scale_denom(self._h())

    @property
    def format(self):
        """'png', 'jpeg' or 'unknown' (made in memory)."""
        return FORMAT_NAMES.get(lib().scar_image_format(self._h()), "unknown")

    @property
    def shape(self):
        return (self.height, self.width, self.channels)

    @property
    def dtype(self):
        return np.dtype(np.uint16 if self.bit_depth == 16 else np.uint8)

    @property
    def array(self):
        """(height, width, channels) ndarray over the library's pixels (no
        copy, strides from scar_image_stride). It keeps this Image alive."""
        h = self._h()
        L = lib()
        dt = self.dtype
        c = L.scar_image_channels(h)
        return view(self._handle, L.scar_image_data(h),
                    (L.scar_image_height(h), L.scar_image_width(h), c), dt,
                    (L.scar_image_stride(h), c * dt.itemsize, dt.itemsize), False)

    def __array__(self, dtype=None, copy=None):
        a = self.array
        if copy:
            a = a.copy()
        return a if dtype is None else a.astype(dtype, copy=False)

    def save_png(self, path):
        """Save losslessly as PNG (atomic replace, see scar_image_save_png)."""
        check(lib().scar_image_save_png(self._h(), fspath_bytes(path)))

    def __repr__(self):
        if self._handle is None:
            return "<scarscore.Image closed>"
        return "<scarscore.Image %dx%d, %d channel%s, %d-bit, %s>" % (
            self.width, self.height, self.channels,
            "" if self.channels == 1 else "s", self.bit_depth, self.format)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _rows_packed(arr):
    return (arr.strides[2] == arr.dtype.itemsize
            and arr.strides[1] == arr.shape[2] * arr.dtype.itemsize
            and arr.strides[0] >= arr.shape[1] * arr.strides[1])


def _as_pixel_array(array, what):
    """Validate a pixel array: (h, w) or (h, w, c), c 1..4, uint8/uint16.
    Returns a native-endian 3-D array (no copy when possible)."""
    if isinstance(array, Image):
        return array.array
    if not isinstance(array, np.ndarray):
        raise TypeError("%s must be a numpy.ndarray, not %s" % (what, type(array).__name__))
    if array.dtype not in (np.uint8, np.uint16):
        raise TypeError("%s must have dtype uint8 or uint16, not %s" % (what, array.dtype))
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3 or not 1 <= array.shape[2] <= 4:
        raise ValueError("%s must have shape (h, w) or (h, w, c) with c in 1..4, got %s"
                         % (what, array.shape))
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise ValueError("%s is empty (shape %s)" % (what, array.shape))
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    if min(array.strides) < 0:
        array = np.ascontiguousarray(array)
    return array


def _load_options(scale_denom, apply_orientation, max_side, max_pixels):
    o = LoadOptions()
    lib().scar_load_options_init(ctypes.byref(o))
    if scale_denom not in (1, 2, 4, 8):
        raise ValueError("scale_denom must be 1, 2, 4 or 8, not %r" % (scale_denom,))
    o.scale_denom = scale_denom
    o.apply_orientation = 1 if apply_orientation else 0
    if max_side is not None:
        if not isinstance(max_side, int) or not 1 <= max_side <= 0xFFFFFFFF:
            raise ValueError("max_side must be an int in [1, 2^32)")
        o.max_side = max_side
    if max_pixels is not None:
        if not isinstance(max_pixels, int) or not 1 <= max_pixels < 2 ** 64:
            raise ValueError("max_pixels must be an int in [1, 2^64)")
        o.max_pixels = max_pixels
    return o


def load(path, scale_denom=1, apply_orientation=True, max_side=None, max_pixels=None):
    """Load a PNG or JPEG file (format from its magic bytes) as an Image.
    PNG keeps 16-bit samples; JPEG is 8-bit, upright per EXIF unless
    apply_orientation=False; scale_denom 2/4/8 decodes a JPEG at reduced
    size. max_side / max_pixels override the untrusted-input limits.
    Raises scarscore.Error (missing file: status 10, corrupt: 12, ...)."""
    p = fspath_bytes(path)
    o = _load_options(scale_denom, apply_orientation, max_side, max_pixels)
    out = ctypes.c_void_p()
    check(lib().scar_image_load(p, ctypes.byref(o), ctypes.byref(out)))
    return Image(out.value)


def load_bytes(data, scale_denom=1, apply_orientation=True, max_side=None, max_pixels=None):
    """As load(), from the bytes of an encoded PNG/JPEG file."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("data must be bytes-like, not %s" % type(data).__name__)
    buf = bytes(data)
    o = _load_options(scale_denom, apply_orientation, max_side, max_pixels)
    out = ctypes.c_void_p()
    check(lib().scar_image_load_memory(buf, len(buf), ctypes.byref(o), ctypes.byref(out)))
    return Image(out.value)
