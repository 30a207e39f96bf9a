#!/usr/bin/env python3
"""`scarscore analyze` outputs (issue 7): --csv writes the image table and
R_regions.csv with `path` first and the library's stable columns (committed
headers in tests/data), one region row per region of the JSON; --overlay
is a PNG of the photo's size; --labels a 16-bit PNG of that size; bad
arguments exit 2 and a missing photo exits 1 naming the file."""
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
finish()
