#!/usr/bin/python3
"""Which found regions match no phantom lesion, and where they are.

  false_regions.py --phantoms DIR [--csv F] [--photos N]

DIR is the folder `accuracy.py phantoms --scratch DIR` leaves behind: per
phantom PREFIX.jpg, PREFIX_labels.png and PREFIX_truth.json (the truth)
and PREFIX_out_labels.png and PREFIX_out.json (scarscore's output). A
region is false when the benchmark's own matching (accuracy.py
`match_regions`: one-to-one, greedy by IoU, IoU >= 0.25) pairs it with no
lesion, so the count is the one behind the benchmark's precision.

Printed: the false regions by ITA category and by class (the JSON's
`class`), the photos that hold the most and the share of all false
regions that they hold, and, per class, the median and range of each
false region's contrast with its ring (delta L*, a*, b*, dE00) and area.
With --csv, one row per false region (photo, region id, ITA category,
JPEG quality, size, px/mm, class, morphology hint, area in mm2, delta
L*a*b*, dE00, elongation, solidity, and its best IoU with any lesion).

Only numpy and PIL (and accuracy.py beside this file) are needed."""

import argparse
import collections
import csv
import glob
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import accuracy  # noqa: E402

FIELDS = ["image", "id", "ita_category", "quality", "width", "height",
          "px_per_mm", "class", "morph_hint", "area_mm2", "delta_L",
          "delta_a", "delta_b", "delta_e00", "elongation", "solidity",
          "best_iou"]


def best_iou(truth, pred, pid, t_area, p_area):
    """The largest IoU of predicted region pid with any truth lesion."""
    m = pred == pid
    ts = np.bincount(truth[m], minlength=len(t_area))
    best = 0.0
    for t in np.nonzero(ts)[0].tolist():
        if t == 0:
            continue
        best = max(best, ts[t] / (t_area[t] + p_area[pid] - ts[t]))
    return best


def false_in_photo(prefix):
    """The false regions of one phantom, as rows of FIELDS."""
    truth_json = json.load(open(prefix + "_truth.json"))
    out = json.load(open(prefix + "_out.json"))
    truth = accuracy.read_labels(prefix + "_labels.png")
    pred = accuracy.read_labels(prefix + "_out_labels.png")
    if truth.shape != pred.shape:
        raise ValueError("%s: truth and output label maps differ in size"
                         % prefix)
    matched, t_area, p_area = accuracy.match_regions(truth, pred)
    taken = {p for p, _ in matched.values()}
    rows = []
    for r in out["regions"]:
        pid = int(r["id"])
        if pid in taken:
            continue
        rows.append({
            "image": os.path.basename(prefix) + ".jpg", "id": pid,
            "ita_category": truth_json.get("ita_category", ""),
            "quality": truth_json.get("quality", ""),
            "width": truth_json.get("width", ""),
            "height": truth_json.get("height", ""),
            "px_per_mm": truth_json.get("px_per_mm", ""),
            "class": r.get("class", ""), "morph_hint": r.get("morph_hint", ""),
            "area_mm2": r["area_mm2"], "delta_L": r["delta_L"],
            "delta_a": r["delta_a"], "delta_b": r["delta_b"],
            "delta_e00": r["delta_e00"], "elongation": r.get("elongation", ""),
            "solidity": r.get("solidity", ""),
            "best_iou": (best_iou(truth, pred, pid, t_area, p_area)
                         if pid < len(p_area) and p_area[pid] else 0.0)})
    return rows, len(out["regions"])


def summary(rows, n_regions, n_photos, top):
    """The printed report (a list of lines)."""
    lines = ["%d photos, %d regions, %d of them false (match no lesion)"
             % (n_photos, n_regions, len(rows))]
    for key, title in (("ita_category", "ITA category"), ("class", "class")):
        c = collections.Counter(r[key] for r in rows)
        lines.append("by %s: " % title + ", ".join(
            "%s %d" % (k, c[k]) for k in sorted(c)))
    per_photo = collections.Counter(r["image"] for r in rows)
    ranked = sorted(per_photo.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    held = sum(n for _, n in ranked)
    share = held / len(rows) if rows else 0.0
    lines.append("the %d photos with the most hold %d (%.0f %%):"
                 % (len(ranked), held, 100.0 * share))
    for image, n in ranked:
        r0 = next(r for r in rows if r["image"] == image)
        lines.append("  %-12s %3d  %s, q%s, %sx%s, %.1f px/mm"
                     % (image, n, r0["ita_category"], r0["quality"],
                        r0["width"], r0["height"], float(r0["px_per_mm"])))
    lines.append("per class, median [min, max]:")
    for cls in sorted({r["class"] for r in rows}):
        rs = [r for r in rows if r["class"] == cls]
        cells = []
        for key, name in (("delta_L", "dL"), ("delta_a", "da"),
                          ("delta_b", "db"), ("delta_e00", "dE00"),
                          ("area_mm2", "mm2")):
            v = np.array([float(r[key]) for r in rs])
            cells.append("%s %.1f [%.1f, %.1f]" % (name, np.median(v),
                                                    v.min(), v.max()))
        lines.append("  %-10s %3d  %s" % (cls, len(rs), "  ".join(cells)))
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phantoms", required=True,
                    help="accuracy.py's scratch folder of a phantom run")
    ap.add_argument("--csv", help="also write one row per false region here")
    ap.add_argument("--photos", type=int, default=5,
                    help="how many photos to list (default %(default)s)")
    args = ap.parse_args(argv)
    prefixes = sorted(p[:-len("_truth.json")] for p in
                      glob.glob(os.path.join(args.phantoms, "*_truth.json")))
    prefixes = [p for p in prefixes if os.path.exists(p + "_out.json")]
    if not prefixes:
        sys.exit("false_regions: %s holds no analysed phantom (PREFIX_truth.json "
                 "with PREFIX_out.json); give the --scratch folder of an "
                 "accuracy.py phantoms run" % args.phantoms)
    rows, n_regions = [], 0
    for p in prefixes:
        r, n = false_in_photo(p)
        rows += r
        n_regions += n
    print("\n".join(summary(rows, n_regions, len(prefixes), args.photos)))
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=FIELDS)
            w.writeheader()
            w.writerows(rows)
        print("wrote %s" % args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
