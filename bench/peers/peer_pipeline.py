#!/usr/bin/python3
"""The work of `scarscore analyze`, written the careful way with OpenCV or
with scikit-image, to time scarscore against (bench/README.md).

    /usr/bin/python3 bench/peers/peer_pipeline.py {opencv|skimage} PHOTO.jpg \
        [--px-per-mm 15] [--runs 3]

Steps, as in docs/segment.md: decode; sRGB -> CIELAB; skin mask (L* and a*
range); local skin model = masked Gaussian of L*a*b* (sigma 4 mm) computed
at 1/4 resolution and upsampled; residual; robust z (median/MAD over skin);
hysteresis (5 / 3); open/close with disks of 0.2 / 0.3 mm; fill holes;
drop regions < 0.25 mm^2; per region, a 1-3 mm ring by distance transform
in its bounding box; mean L*a*b* inside and in the ring; CIEDE2000.
Prints the median wall time of the whole pipeline as JSON. Uses only
Debian's python3-opencv / python3-skimage / python3-scipy / numpy.
"""
import argparse
import json
import sys
import time

import numpy as np
from scipy import ndimage as ndi


def ciede2000(lab1, lab2):
    from skimage.color import deltaE_ciede2000
    return deltaE_ciede2000(lab1, lab2)


def pipeline_opencv(path, ppm):
    import cv2
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    lab = cv2.cvtColor(bgr.astype(np.float32) / 255.0, cv2.COLOR_BGR2Lab)
    skin = ((lab[..., 0] > 15) & (lab[..., 0] < 95) & (lab[..., 1] > -5)).astype(np.float32)
    h, w = skin.shape
    small = (w // 4, h // 4)
    sig = 4.0 * ppm / 4
    ms = cv2.GaussianBlur(cv2.resize(skin, small, interpolation=cv2.INTER_AREA), (0, 0), sig)
    z2 = np.zeros((h, w), np.float32)
    for c in range(3):
        ch = lab[..., c]
        num = cv2.GaussianBlur(cv2.resize(ch * skin, small, interpolation=cv2.INTER_AREA), (0, 0), sig)
        model = cv2.resize(num / np.maximum(ms, 1e-6), (w, h), interpolation=cv2.INTER_LINEAR)
        res = ch - model
        vals = res[skin > 0]
        med = np.median(vals)
        mad = np.median(np.abs(vals - med)) * 1.4826 + 1e-6
        z2 += ((res - med) / mad) ** 2
    z = np.sqrt(z2) * (skin > 0)
    return finish(z, lab, skin > 0, ppm, cv2)


def pipeline_skimage(path, ppm):
    from skimage import io, color, filters, transform
    rgb = io.imread(path)
    lab = color.rgb2lab(rgb)
    skin = (lab[..., 0] > 15) & (lab[..., 0] < 95) & (lab[..., 1] > -5)
    h, w = skin.shape
    sig = 4.0 * ppm / 4
    sm = transform.downscale_local_mean(skin.astype(float), (4, 4))
    ms = filters.gaussian(sm, sig)
    z2 = np.zeros((h, w))
    for c in range(3):
        ch = lab[..., c]
        num = filters.gaussian(transform.downscale_local_mean(ch * skin, (4, 4)), sig)
        model = transform.resize(num / np.maximum(ms, 1e-6), (h, w), order=1)
        res = ch - model
        vals = res[skin]
        med = np.median(vals)
        mad = np.median(np.abs(vals - med)) * 1.4826 + 1e-6
        z2 += ((res - med) / mad) ** 2
    z = np.sqrt(z2) * skin
    return finish(z, lab, skin, ppm, None)


def finish(z, lab, skin, ppm, cv2):
    from skimage import filters, morphology, measure
    mask = filters.apply_hysteresis_threshold(z, 3.0, 5.0)
    r_open, r_close = max(1, round(0.2 * ppm)), max(1, round(0.3 * ppm))
    if cv2 is not None:
        k_o = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r_open + 1,) * 2)
        k_c = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r_close + 1,) * 2)
        m = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, k_o)
        m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, k_c) > 0
    else:
        m = morphology.binary_closing(morphology.binary_opening(mask, morphology.disk(r_open)),
                                      morphology.disk(r_close))
    m = ndi.binary_fill_holes(m)
    labels = measure.label(m, connectivity=2)
    min_px = 0.25 * ppm * ppm
    out = []
    d1, d2 = 1.0 * ppm, 3.0 * ppm
    pad = int(np.ceil(d2)) + 1
    for rp in measure.regionprops(labels):
        if rp.area < min_px:
            continue
        y0, x0, y1, x1 = rp.bbox
        y0, x0 = max(0, y0 - pad), max(0, x0 - pad)
        y1, x1 = min(labels.shape[0], y1 + pad), min(labels.shape[1], x1 + pad)
        sub = labels[y0:y1, x0:x1]
        inside = sub == rp.label
        dist = ndi.distance_transform_edt(~inside)
        ring = (dist >= d1) & (dist <= d2) & (sub == 0) & skin[y0:y1, x0:x1]
        if not ring.any():
            continue
        sl = lab[y0:y1, x0:x1]
        li = sl[inside].mean(axis=0)
        lr = sl[ring].mean(axis=0)
        out.append(float(ciede2000(li[None], lr[None])[0]))
    return len(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("impl", choices=["opencv", "skimage"])
    ap.add_argument("photo")
    ap.add_argument("--px-per-mm", type=float, default=15.0)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    fn = pipeline_opencv if a.impl == "opencv" else pipeline_skimage
    times, n = [], 0
    for _ in range(a.runs):
        t0 = time.perf_counter()
        n = fn(a.photo, a.px_per_mm)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({"impl": a.impl, "photo": a.photo, "runs": a.runs,
                      "median_s": times[len(times) // 2], "regions": n}))


if __name__ == "__main__":
    sys.exit(main())
