#!/usr/bin/python3
"""Where the benchmark's missed lesions are lost in the segmentation
(docs/accuracy.md, "Where the misses are lost").

For every phantom of an `accuracy.py phantoms` run, bench/segment_trace
writes the label map after each step of the multi-lesion segmentation and
step 6's verdict on each candidate. Each truth lesion is then followed
through the steps: its best IoU with one region at each step (the
analysis grid's labels repeated f x f onto the photo's grid), and the
share of it inside any region. A lesion the run missed is filed under the
step that lost it: the one after the last step at which a region held it
(IoU >= 0.25), or, when none ever did, how far it got:

  below_hysteresis  never held, and under a quarter of it is in any
                    candidate of step 1 (hysteresis and clean-up): no
                    pixel, or too few, stands out per pixel;
  never_own_region  never held, though it is in candidates: it stays
                    inside a larger candidate (or a piece of one) all
                    the way;
  cut_by_refine     held after step 1, 2 or 3 (candidates, strong cores,
                    saddles), not after the edge refinement (step 4) and
                    the stria pieces joined before step 6;
  step6:VERDICT     held before step 6, which dropped that region:
                    VERDICT is the first test it failed (statistic,
                    ragged, blanching, dark_line, luma_grid, chroma_grid,
                    skin_edge, excluded, thin, peaked);
  after_step6       held after step 6, not after the merge, stria joins,
                    wall shift and outline closing;
  not_matched       held at the end, but the benchmark's one-to-one
                    matching gave that region to another lesion (or the
                    lesions CSV comes from another build).

Usage:
  where_lost.py --phantoms DIR --lesions LESIONS.csv [--trace BIN]
                [--scratch DIR] [--csv OUT.csv] [--all]

DIR holds the phantoms (NAME.jpg, NAME_labels.png, NAME_truth.json) and
LESIONS.csv is the per-lesion CSV accuracy.py wrote for them (columns
image, id, kind, matched, contrast_to_limit). The table counts the missed
lesions by kind and place, at or above their photo's detection limits
and below them. --all also follows the found lesions (the CSV's rows).
Needs numpy and PIL.
"""

import argparse
import collections
import csv
import glob
import json
import os
import subprocess
import sys

import numpy as np
from PIL import Image

MATCH_IOU = 0.25       # accuracy.py's match
CANDIDATE_SHARE = 0.25  # below it: the lesion never reached the hysteresis
# the steps bench/segment_trace names (scar__segment_trace), by role
BEFORE_REFINE = ("candidates", "strong_cores", "saddles")
BEFORE_STEP6 = "collinear_pieces"
STEP6 = "significance"
FINAL = "outlines"
PLACES = ["below_hysteresis", "never_own_region", "cut_by_refine",
          "step6:statistic", "step6:ragged", "step6:blanching",
          "step6:dark_line", "step6:luma_grid", "step6:chroma_grid",
          "step6:skin_edge", "step6:excluded", "step6:thin",
          "step6:peaked", "after_step6", "not_matched"]


def read_lbl(path):
    """A label map segment_trace wrote: (height, width) int32."""
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:8] != b"SCARLBL1" or len(data) < 16:
        raise ValueError("%s: not a segment_trace label map" % path)
    w, h = np.frombuffer(data[8:16], np.uint32)
    a = np.frombuffer(data[16:], np.int32)
    if a.size != int(w) * int(h):
        raise ValueError("%s: %d labels for %dx%d" % (path, a.size, w, h))
    return a.reshape(int(h), int(w))


def read_trace(folder):
    """{step name: grid labels}, shrink f, {label: (verdict, new label)}."""
    steps, f = {}, 1
    with open(os.path.join(folder, "steps.txt")) as fh:
        for line in fh:
            p = line.split()
            if p and p[0] == "step":
                k, name = int(p[1]), p[2]
                steps[name] = read_lbl(os.path.join(folder, "%02d_%s.lbl" % (k, name)))
            elif p and p[0] == "shrink":
                f = int(p[1])
    verdicts = {}
    with open(os.path.join(folder, "verdicts.csv")) as fh:
        for r in csv.DictReader(fh):
            verdicts[int(r["label"])] = (r["verdict"], int(r["new_label"]))
    return steps, f, verdicts


def on_photo_grid(grid, f, shape):
    """Grid labels repeated f x f and cropped to the photo's shape."""
    if f > 1:
        grid = np.repeat(np.repeat(grid, f, axis=0), f, axis=1)
    return grid[:shape[0], :shape[1]]


def best_region(lab, areas, mask):
    """(IoU, label) of the region of `lab` that best overlaps `mask`, and
    the share of `mask` inside any region."""
    inside = lab[mask]
    a = int(mask.sum())
    hit = inside[inside > 0]
    share = hit.size / a if a else 0.0
    if hit.size == 0:
        return 0.0, 0, share
    labels, counts = np.unique(hit, return_counts=True)
    ious = counts / (a + areas[labels] - counts)
    j = int(np.argmax(ious))
    return float(ious[j]), int(labels[j]), share


def classify(ious, shares, matched, verdict_of):
    """The place a lesion was lost (None when matched). ious / shares:
    {step: (IoU, label) / share}; verdict_of(label) -> step 6's verdict on
    that label before step 6."""
    if matched:
        return None
    held = {s for s, (iou, _) in ious.items() if iou >= MATCH_IOU}
    if FINAL in held:
        return "not_matched"
    if STEP6 in held:
        return "after_step6"
    if BEFORE_STEP6 in held:
        return "step6:" + verdict_of(ious[BEFORE_STEP6][1])
    if held & set(BEFORE_REFINE):
        return "cut_by_refine"
    if shares["candidates"] < CANDIDATE_SHARE:
        return "below_hysteresis"
    return "never_own_region"


def follow(trace_dir, truth_labels, lesion_ids):
    """{lesion id: ({step: (IoU, label)}, {step: share})} and the verdicts."""
    steps, f, verdicts = read_trace(trace_dir)
    out = {i: ({}, {}) for i in lesion_ids}
    # each lesion as a mask over its bounding box (a whole-photo mask per
    # lesion would hold tens of 12 MP masks at once); the regions' areas
    # come from the whole map, so the IoU is the same
    ys, xs = np.nonzero(np.isin(truth_labels, lesion_ids))
    vals = truth_labels[ys, xs]
    boxes = {}
    for i in lesion_ids:
        sel = vals == i
        if not sel.any():
            boxes[i] = (slice(0, 0), slice(0, 0))
            continue
        boxes[i] = (slice(ys[sel].min(), ys[sel].max() + 1),
                    slice(xs[sel].min(), xs[sel].max() + 1))
    masks = {i: truth_labels[boxes[i]] == i for i in lesion_ids}
    for name, grid in steps.items():
        lab = on_photo_grid(grid, f, truth_labels.shape)
        areas = np.bincount(lab.ravel().clip(0))
        for i in lesion_ids:
            iou, k, share = best_region(lab[boxes[i]], areas, masks[i])
            out[i][0][name] = (iou, k)
            out[i][1][name] = share
    return out, verdicts


def trace_binary(given):
    if given:
        return given
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    for b in sorted(glob.glob(os.path.join(root, "build*", "bench", "segment_trace"))):
        if os.access(b, os.X_OK):
            return b
    sys.exit("where_lost: segment_trace not found; build the project "
             "(cmake --build build) or pass --trace BIN")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--phantoms", required=True, help="folder of the phantoms")
    ap.add_argument("--lesions", required=True, help="accuracy.py's per-lesion CSV")
    ap.add_argument("--trace", help="path of bench/segment_trace")
    ap.add_argument("--scratch", default="/tmp/scarscore-where-lost",
                    help="folder for the traces (default %(default)s)")
    ap.add_argument("--csv", help="also write one row per lesion here")
    ap.add_argument("--all", action="store_true", help="also follow the found lesions")
    args = ap.parse_args(argv)
    binary = trace_binary(args.trace)
    with open(args.lesions) as fh:
        rows = list(csv.DictReader(fh))
    by_image = collections.OrderedDict()
    for r in rows:
        if args.all or r["matched"] != "True":
            by_image.setdefault(r["image"], []).append(r)
    table = collections.Counter()
    kinds = []
    out_rows = []
    for image, les in by_image.items():
        name = os.path.splitext(image)[0]
        prefix = os.path.join(args.phantoms, name)
        truth = json.load(open(prefix + "_truth.json"))
        tdir = os.path.join(args.scratch, name)
        os.makedirs(tdir, exist_ok=True)
        cmd = [binary, prefix + ".jpg", tdir, "--px-per-mm", repr(truth["px_per_mm"])]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("where_lost: %s failed: %s" % (" ".join(cmd), r.stderr.strip()))
        tl = np.array(Image.open(prefix + "_labels.png")).astype(np.int64)
        ids = [int(x["id"]) for x in les]
        followed, verdicts = follow(tdir, tl, ids)
        for x in les:
            ious, shares = followed[int(x["id"])]
            place = classify(ious, shares, x["matched"] == "True",
                             lambda k: verdicts.get(k, ("unknown", 0))[0])
            above = x["contrast_to_limit"] not in ("", "None") and \
                float(x["contrast_to_limit"]) >= 1.0
            if x["kind"] not in kinds:
                kinds.append(x["kind"])
            if place:
                table[(x["kind"], above, place)] += 1
            out_rows.append({"image": image, "id": x["id"], "kind": x["kind"],
                             "above_limit": above, "place": place or "found",
                             **{"iou_" + s: "%.3f" % ious[s][0] for s in ious}})
    print_table(table, kinds)
    if args.csv:
        keys = list(out_rows[0].keys()) if out_rows else ["image"]
        with open(args.csv, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=keys)
            w.writeheader()
            w.writerows(out_rows)
        print("wrote %s" % args.csv)
    return 0


def print_table(table, kinds):
    """Missed lesions by kind and place: 'a/b' = at or above / below their
    photo's detection limits; places nobody reached are left out."""
    used = [p for p in PLACES if any(table[(k, a, p)] for k in kinds for a in (True, False))]
    print("missed lesions by the place they were lost (at or above / below "
          "their photo's detection limits)")
    print("%-15s" % "kind" + "".join("%18s" % p for p in used) + "%12s" % "all")
    for k in kinds + ["all"]:
        ks = kinds if k == "all" else [k]
        cells, ta, tb = [], 0, 0
        for p in used:
            a = sum(table[(x, True, p)] for x in ks)
            b = sum(table[(x, False, p)] for x in ks)
            ta, tb = ta + a, tb + b
            cells.append("%18s" % ("%d/%d" % (a, b)))
        print("%-15s" % k + "".join(cells) + "%12s" % ("%d/%d" % (ta, tb)))


if __name__ == "__main__":
    sys.exit(main())
