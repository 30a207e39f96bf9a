#!/usr/bin/env python3
"""bench/accuracy/false_regions.py on two hand-made phantoms whose false
regions are known by construction:
- phantom a (dark skin): lesion 1 (6 x 4 px) is found twice, by region 1
  (its top 4 rows, IoU 16/24) and region 4 (its bottom 2 rows, IoU
  8/24 >= 0.25); one-to-one matching gives it to region 1, so region 4
  is false with best IoU 1/3. Lesion 2 is found by region 3 (IoU 1/2);
  region 2 touches no lesion.
- phantom b (brown skin): both regions miss its one lesion.
So 6 regions, 4 false: 2 on dark and 2 on brown skin, classes as written
in the JSON; the CSV holds exactly regions a/2, a/4, b/1, b/2. A folder
without analysed phantoms is refused with a message that names it.
Needs numpy and PIL (scripts/install-deps.sh --python)."""
import contextlib
import csv
import io
import json
import os
import shutil
import sys
import tempfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "accuracy"))
import false_regions as fr  # noqa: E402


def check(cond, msg):
    if not cond:
        sys.exit("test_false_regions: " + msg)


def region(rid, cls, area, dl, da, db, de):
    return {"id": rid, "class": cls, "morph_hint": "patch", "area_mm2": area,
            "delta_L": dl, "delta_a": da, "delta_b": db, "delta_e00": de,
            "elongation": 1.5, "solidity": 0.9}


def write_phantom(folder, name, ita, truth, pred, regions):
    prefix = os.path.join(folder, name)
    Image.fromarray(truth.astype(np.uint16)).save(prefix + "_labels.png")
    Image.fromarray(pred.astype(np.uint16)).save(prefix + "_out_labels.png")
    with open(prefix + "_truth.json", "w") as fh:
        json.dump({"ita_category": ita, "quality": 80, "width": truth.shape[1],
                   "height": truth.shape[0], "px_per_mm": 10.0}, fh)
    with open(prefix + "_out.json", "w") as fh:
        json.dump({"regions": regions}, fh)


def make(folder):
    t = np.zeros((10, 20), np.int64)
    t[2:8, 2:6] = 1
    t[2:6, 12:16] = 2
    p = np.zeros_like(t)
    p[2:6, 2:6] = 1      # lesion 1, IoU 16/24
    p[8:10, 12:18] = 2   # nothing
    p[2:6, 12:14] = 3    # lesion 2, IoU 8/16
    p[6:8, 2:6] = 4      # lesion 1 again, IoU 8/24: taken by region 1
    write_phantom(folder, "a", "dark", t, p, [
        region(1, "hyper", 0.16, -5, 1, 1, 4),
        region(2, "erythema", 0.12, -1, 3, -2, 3.5),
        region(3, "hypo", 0.08, 6, -1, 0, 5),
        region(4, "hyper", 0.08, -2, 0.5, 0.5, 1.5)])
    t = np.zeros((10, 20), np.int64)
    t[1:4, 1:4] = 1
    p = np.zeros_like(t)
    p[5:9, 5:9] = 1
    p[5:7, 12:15] = 2
    write_phantom(folder, "b", "brown", t, p, [
        region(1, "erythema", 0.16, 0, 2, -3, 3),
        region(2, "hypo", 0.06, 8, -2, 1, 7)])


def main():
    tmp = tempfile.mkdtemp(prefix="scar_false_regions_")
    try:
        make(tmp)
        out = io.StringIO()
        csv_path = os.path.join(tmp, "false.csv")
        with contextlib.redirect_stdout(out):
            fr.main(["--phantoms", tmp, "--csv", csv_path])
        text = out.getvalue()
        check("2 photos, 6 regions, 4 of them false" in text, text)
        check("by ITA category: brown 2, dark 2" in text, text)
        check("by class: erythema 2, hyper 1, hypo 1" in text, text)
        check("the 2 photos with the most hold 4 (100 %)" in text, text)
        with open(csv_path) as fh:
            rows = list(csv.DictReader(fh))
        got = sorted((r["image"], int(r["id"])) for r in rows)
        check(got == [("a.jpg", 2), ("a.jpg", 4), ("b.jpg", 1), ("b.jpg", 2)],
              "false regions %s" % got)
        iou = {(r["image"], int(r["id"])): float(r["best_iou"]) for r in rows}
        check(abs(iou[("a.jpg", 4)] - 1.0 / 3.0) < 1e-9,
              "best IoU of a/4: %s" % iou[("a.jpg", 4)])
        check(iou[("a.jpg", 2)] == 0.0 and iou[("b.jpg", 1)] == 0.0,
              "regions touching no lesion: %s" % iou)
        check({r["ita_category"] for r in rows if r["image"] == "b.jpg"}
              == {"brown"}, "ITA category of b")
        empty = os.path.join(tmp, "empty")
        os.makedirs(empty)
        try:
            fr.main(["--phantoms", empty])
            check(False, "an empty folder was accepted")
        except SystemExit as e:
            check(empty in str(e.code), "message: %s" % e.code)
    finally:
        shutil.rmtree(tmp)
    print("test_false_regions: ok")


if __name__ == "__main__":
    main()
