#!/usr/bin/env python3
"""`scarscore analyze` outputs (issue 7): --csv writes the image table and
R_regions.csv with `path` first and the library's stable columns (committed
headers in tests/data), one region row per region of the JSON; --overlay
is a PNG of the photo's size; --labels a 16-bit PNG of that size; bad
arguments exit 2 and a missing photo exits 1 naming the file;
--analysis-px-per-mm sets the analysis resolution (JSON analysis_shrink)
while the label map keeps the photo's size, and its bad values are usage
errors in analyze, batch and compare; --regions measures a given label PNG
(scar_measure): the labels written by one run, given back, give the same
regions, ids and areas, with regions_given true and full resolution.
The overlay's pixels: the photo's own (16-bit samples >> 8) everywhere
but on each region's contour (a region pixel with a 4-neighbour outside
it, widened to a square of side 2t + 1, t = min(w, h) // 300), drawn in
its class's colour, and beside it its id's digits; checked on an 8-bit
RGB PNG (drawn on in place) and a 16-bit one (drawn on a copy)."""
import json
import os

import subprocess

from clitest import (PHANTOM, check, finish, jpeg_size, phantoms, png_size,
                     read_csv, read_png, run, scratch, write_png)

DATA = os.environ["SCAR_TEST_DATA"]
work = scratch("analyze")
photo = os.path.join(work, phantoms(work, [41], width=400, height=300)[0])
csv_path = os.path.join(work, "r.csv")
ov, lab, js = (os.path.join(work, n) for n in ("ov.png", "lab.png", "r.json"))
run("analyze", photo, "--px-per-mm", "12", "--csv", csv_path, "--overlay", ov,
    "--labels", lab, "--json", js, expect=0)

with open(js) as f:
    result = json.load(f)

# an assumed scale is said on stderr (the outputs' scale_assumed says it too);
# a given one is not
_, _, err = run("analyze", photo, "--json", os.path.join(work, "a.json"), expect=0)
check("no --px-per-mm given, 10 px/mm assumed" in err and photo in err,
      "an assumed scale is named on stderr: " + err)
_, _, err = run("analyze", photo, "--px-per-mm", "12", "--json",
                os.path.join(work, "b.json"), expect=0)
check("assumed" not in err, "a given scale: nothing on stderr: " + err)
n_regions = len(result["regions"])

for table, path in (("images", csv_path), ("regions", os.path.join(work, "r_regions.csv"))):
    header, rows = read_csv(path)
    with open(os.path.join(DATA, f"score_csv_header_{table}.txt")) as f:
        expected = f.read().strip().split(",")
    check(header == ["path"] + expected, f"{table} CSV header differs from the library's")
    check(all(r[0] == photo for r in rows), f"{table} CSV: path column")
    check(all(len(r) == len(header) for r in rows), f"{table} CSV: ragged rows")
    if table == "images":
        check(len(rows) == 1, "images CSV: one row")
        rc = header.index("region_count")
        check(int(rows[0][rc]) == n_regions, "images CSV region_count == JSON regions")
    else:
        check(len(rows) == n_regions, "regions CSV: one row per JSON region")
        ids = [int(r[header.index("id")]) for r in rows]
        check(ids == [r["id"] for r in result["regions"]], "regions CSV ids == JSON ids")

size = jpeg_size(photo)
check(png_size(ov) == size, "overlay has the photo's size")
check(png_size(lab) == size, "labels PNG has the photo's size")


# The overlay, pixel by pixel, against the photo and the label map.
CLASS_RGB = {"iso": (255, 230, 0), "hypo": (0, 220, 255),
             "hyper": (255, 0, 200), "erythema": (40, 255, 60)}
subprocess.run([PHANTOM, "--out", os.path.join(work, "clean41"), "--seed",
                "41", "--width", "400", "--height", "300", "--clean"],
               check=True, capture_output=True)
p16 = os.path.join(work, "clean41_clean.png")
w16, h16, ch16, d16, rows16 = read_png(p16)
check((ch16, d16) == (3, 16), "the phantom's clean render is 16-bit RGB")
p8 = os.path.join(work, "clean41_8bit.png")
write_png(p8, w16, h16, 3, 8, [[v >> 8 for v in r] for r in rows16])
for name, png_photo in (("16-bit", p16), ("8-bit", p8)):
    ovp, labp, jsp = (os.path.join(work, f"{name}_{n}") for n in
                      ("ov.png", "lab.png", "r.json"))
    run("analyze", png_photo, "--px-per-mm", "12", "--overlay", ovp,
        "--labels", labp, "--json", jsp, expect=0)
    w, h, _, depth, photo_rows = read_png(png_photo)
    shift = 8 if depth == 16 else 0
    _, _, och, odepth, ov_rows = read_png(ovp)
    _, _, _, _, lab_rows = read_png(labp)
    with open(jsp) as f:
        regions = json.load(f)["regions"]
    check(och == 3 and odepth == 8, f"{name}: overlay is 8-bit RGB")
    check(len(regions) > 0, f"{name}: the phantom's lesions give regions")
    colour = {r["id"]: CLASS_RGB[r["class"]] for r in regions}
    t = min(w, h) // 300
    cell = min(w, h) // 250 + 1
    digits = set()  # generous boxes around each id's digits
    for r in regions:
        x1, y0 = r["bbox"][2], r["bbox"][1]
        for y in range(max(0, y0 - 2 * cell), min(h, y0 + 8 * cell)):
            for x in range(max(0, x1 + t + 2 - 2 * cell),
                           min(w, x1 + t + 2 + (4 * len(str(r["id"])) + 2) * cell)):
                digits.add((x, y))
    edge = {}
    for y in range(h):
        for x in range(w):
            k = lab_rows[y][x]
            if k and (x in (0, w - 1) or y in (0, h - 1) or
                      lab_rows[y][x - 1] != k or lab_rows[y][x + 1] != k or
                      lab_rows[y - 1][x] != k or lab_rows[y + 1][x] != k):
                for yy in range(max(0, y - t), min(h, y + t + 1)):
                    for xx in range(max(0, x - t), min(w, x + t + 1)):
                        edge[(xx, yy)] = k
    same = drawn = wrong = 0
    for y in range(h):
        for x in range(w):
            if (x, y) in digits:
                continue
            px = tuple(ov_rows[y][3 * x:3 * x + 3])
            if (x, y) in edge:
                drawn += 1
                wrong += px not in CLASS_RGB.values()
            else:
                same += px == tuple(v >> shift for v in photo_rows[y][3 * x:3 * x + 3])
    outside = w * h - len(digits) - drawn
    check(drawn > 0 and wrong == 0,
          f"{name} overlay: {wrong} of {drawn} contour pixels not in a class colour")
    check(same == outside,
          f"{name} overlay: {outside - same} of {outside} pixels off the contours "
          "differ from the photo")
    # every region's own contour carries its class's colour somewhere
    for r in regions:
        k = r["id"]
        check(any(v == k and (x, y) not in digits and
                  tuple(ov_rows[y][3 * x:3 * x + 3]) == colour[k]
                  for (x, y), v in edge.items()),
              f"{name} overlay: region {k} has no contour in its colour")

run("analyze", photo, "--csv", expect=2)
run("analyze", photo, "--px-per-mm", "-3", expect=2)
code, _, err = run("analyze", os.path.join(work, "missing.jpg"), expect=1)
check("missing.jpg" in err, "error names the missing file")

# --analysis-px-per-mm (scar_analyze_options.analysis_px_per_mm): at 20 px/mm
# the library default (5) shrinks the photo by 4 (20/4 = 5 >= 5, 20/8 <
# 5), 0 keeps full resolution, 7.5 halves it (20/4 < 7.5); the label map
# comes back at the photo's size every time.
for flag, shrink, at in (([], 4, 5.0), (["--analysis-px-per-mm", "0"], 1, 20.0),
                         (["--analysis-px-per-mm", "7.5"], 2, 10.0)):
    what = "analysis " + (" ".join(flag) or "default")
    js_a, lab_a = (os.path.join(work, f"a{shrink}{ext}") for ext in (".json", ".png"))
    run("analyze", photo, "--px-per-mm", "20", *flag, "--json", js_a,
        "--labels", lab_a, expect=0)
    with open(js_a) as f:
        image = json.load(f)["image"]
    check(image.get("analysis_shrink") == shrink,
          f"{what}: analysis_shrink {image.get('analysis_shrink')}, expected {shrink}")
    check(image.get("analysis_px_per_mm") == at,
          f"{what}: analysis_px_per_mm {image.get('analysis_px_per_mm')}, expected {at}")
    check(png_size(lab_a) == size, f"{what}: labels PNG has the photo's size")
rc, so, _ = run("analyze", photo, "--px-per-mm", "20", expect=0)
check("analysed at 5 px/mm" in so, "summary names the analysis resolution: " + so)
with open(os.path.join(work, "a4.json")) as f:
    lim = json.load(f)["image"]["detection_limit_dL"]["10mm2"]
check(f"a uniform 10 mm2 patch is found from |dL*| {lim:.1f}," in so,
      "summary gives the detection limits of the JSON: " + so)
rc, so, _ = run("analyze", photo, "--px-per-mm", "20", "--analysis-px-per-mm",
                "0", expect=0)
check("analysed at" not in so, "full resolution: summary says nothing more: " + so)

# Bad values are usage errors (exit 2) naming the flag and the value, in
# every command that takes the flag; cohort mode refuses it like
# --px-per-mm.
for cmd in (["analyze", photo], ["batch", work, "-o", os.path.join(work, "never")],
            ["compare", photo, photo]):
    for bad in ("nan", "inf", "-1", "-0", "abc", "7.5x", "", "10001", "1e999"):
        rc, _, err = run(*cmd, "--analysis-px-per-mm", bad, expect=2)
        check(f"--analysis-px-per-mm '{bad}'" in err,
              f"{cmd[0]} --analysis-px-per-mm {bad!r}: message names the flag: {err!r}")
    rc, _, err = run(*cmd, "--analysis-px-per-mm", expect=2)
    check("--analysis-px-per-mm needs a value" in err,
          f"{cmd[0]}: missing value named: {err!r}")
    rc, so, _ = run(cmd[0], "--help", expect=0)
    check("--analysis-px-per-mm X" in so, f"{cmd[0]} --help lists the flag")
check(not os.path.exists(os.path.join(work, "never")), "a usage error writes nothing")
rc, _, err = run("compare", "--cohort", os.path.join(work, "r.csv"),
                 "--analysis-px-per-mm", "0", expect=2)
check("--analysis-px-per-mm" in err, "compare --cohort refuses the flag: " + err)

# --regions: the label PNG written above, given back, is measured as it is
js_m, lab_m = os.path.join(work, "m.json"), os.path.join(work, "m.png")
run("analyze", photo, "--px-per-mm", "12", "--regions", lab, "--json", js_m,
    "--labels", lab_m, expect=0)
with open(js_m) as f:
    given = json.load(f)
check(given["image"]["regions_given"] is True, "--regions: regions_given true")
check(result["image"]["regions_given"] is False, "analysis: regions_given false")
check(given["image"]["analysis_shrink"] == 1, "--regions: full resolution")
check([(r["id"], r["area_px"]) for r in given["regions"]] ==
      [(r["id"], r["area_px"]) for r in result["regions"]],
      "--regions: the same regions, ids and areas")
with open(lab, "rb") as a, open(lab_m, "rb") as b:
    check(a.read() == b.read(), "--regions: the label PNG comes back unchanged")
# --as-photographed: every gain 1 and no reference; by default some gain
# is not 1 (the phantom's light is uneven) and the reference is set
js_p = os.path.join(work, "p.json")
run("analyze", photo, "--px-per-mm", "12", "--regions", lab, "--as-photographed",
    "--json", js_p, expect=0)
with open(js_p) as f:
    flat = json.load(f)
check(flat["image"]["exposure_reference_Y"] is None and
      {r["exposure_gain"] for r in flat["regions"]} == {1},
      "--as-photographed: gains 1, no reference")
check(given["image"]["exposure_reference_Y"] > 0 and
      any(r["exposure_gain"] != 1 for r in given["regions"]),
      "default: exposure normalised")
check([r["area_px"] for r in flat["regions"]] == [r["area_px"] for r in given["regions"]],
      "--as-photographed: the same regions")
rc, _, err = run("compare", "--cohort", os.path.join(work, "r.csv"),
                 "--as-photographed", expect=2)
check("--as-photographed" in err, "compare --cohort refuses --as-photographed: " + err)
rc, so, _ = run("analyze", photo, "--px-per-mm", "12", "--regions", lab, expect=0)
check(f"{n_regions} region" in so and "regions given" in so,
      "--regions: the summary says the regions were given: " + so)
rc, _, err = run("analyze", photo, "--regions", lab, "--single-lesion", expect=2)
check("--regions" in err and "--single-lesion" in err,
      "--regions with --single-lesion: usage error naming both: " + err)
small_photo = os.path.join(work, phantoms(work, [42], width=200, height=150)[0])
small = os.path.join(work, "small_labels.png")
run("analyze", small_photo, "--labels", small, expect=0)
rc, _, err = run("analyze", photo, "--regions", small, expect=1)
check("regions image is" in err and photo in err,
      "--regions of another size: exit 1 naming the photo and the sizes: " + err)
rc, _, err = run("analyze", photo, "--regions", os.path.join(work, "none.png"), expect=1)
check("none.png" in err, "--regions: a missing file is named: " + err)
rc, so, _ = run("analyze", "--help", expect=0)
check("--regions L.png" in so, "analyze --help lists --regions")
finish()
