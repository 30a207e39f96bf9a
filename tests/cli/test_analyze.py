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
regions, ids and areas, with regions_given true and full resolution."""
import json
import os

from clitest import (check, finish, jpeg_size, phantoms, png_size, read_csv,
                     run, scratch)

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
