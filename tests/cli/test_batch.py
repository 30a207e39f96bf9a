#!/usr/bin/env python3
"""End to end: `scarscore batch` on phantom photos from a CSV manifest (BOM,
CRLF, quotes, subject/visit/px_per_mm columns) with one corrupt file, then
the outputs are checked against each other and against the inputs; the
same batch with one thread must give byte-identical tables; manifest errors
must name the line; every subcommand has --help; --resume redoes a photo
whose --analysis-px-per-mm changed and skips it otherwise; a 'regions'
column measures given label maps (regions_given 1, the label's regions),
and with --single-lesion it is a usage error naming the line."""
import json
import os

from clitest import (check, finish, jpeg_size, phantoms, png_size, read_bytes,
                     read_csv, run, scratch)

work = scratch("batch")
photos = os.path.join(work, "photos")
os.makedirs(photos)
names = phantoms(photos, [11, 12, 13, 14, 15, 16, 17])
# A truncated JPEG: must become an error row naming the file and the reason.
data = read_bytes(os.path.join(photos, names[0]))
with open(os.path.join(photos, "broken.jpg"), "wb") as f:
    f.write(data[: len(data) // 3])
# Manifest as a spreadsheet saves it: BOM, CRLF, a quoted field with a comma.
subjects = ["S1", "S1", "S2", "S2", "S3, left", "S3, left", "S4"]
lines = ["path,visit,subject,px_per_mm,notes"]
for i, n in enumerate(names):
    scale = "12.5" if i == 2 else ""
    subj = f'"{subjects[i]}"' if "," in subjects[i] else subjects[i]
    lines.append(f"photos/{n},{i % 2},{subj},{scale},note {i}")
lines.append('"photos/broken.jpg",0,S9,,"a ""quoted"" note"')
manifest = os.path.join(work, "manifest.csv")
with open(manifest, "wb") as f:
    f.write(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")

out = os.path.join(work, "out")
rc, _, err = run("batch", manifest, "-o", out, "-j", "2", expect=3)
check("1 of 8 images failed" in err, "summary line names the failure count: " + err[-300:])

header, rows = read_csv(os.path.join(out, "images.csv"))
check(header[:3] == ["path", "subject", "visit"], f"key columns first: {header[:3]}")
check(header[-2:] == ["status", "error"], f"status,error last: {header[-2:]}")
check("region_count" in header, "images.csv has the library's region_count")
check(len(rows) == 8, f"one row per input: {len(rows)}")
paths = [r[0] for r in rows]
check(paths == sorted(paths), "rows in path order")
check(len(set(paths)) == len(paths), "each path once")
by_path = {r[0]: dict(zip(header, r)) for r in rows}
bad = by_path["photos/broken.jpg"]
check(bad["status"] == "error", "corrupt JPEG is an error row")
check("broken.jpg" in bad["error"] and ("truncat" in bad["error"] or "corrupt" in bad["error"]
                                         or "premature" in bad["error"].lower()),
      "error names the file and the reason: " + bad["error"])
check(bad["subject"] == "S9", "error row keeps its subject")
check(all(bad[c] == "" for c in header[3:-2]), "error row has empty scores")
check(by_path["photos/" + names[4]]["subject"] == "S3, left", "quoted subject survives")
check(float(by_path["photos/" + names[2]]["px_per_mm"]) == 12.5, "manifest px_per_mm used")
check(float(by_path["photos/" + names[0]]["px_per_mm"]) == 10.0, "default scale when none given")
# 6 of the 7 analysed photos have no scale (names[2] has one; broken.jpg failed)
check("6 of 7 photos had no scale" in err and "10 px/mm was assumed" in err
      and "scale_assumed" in err, "note on the photos analysed at the assumed scale: " + err[-400:])
check(sum(by_path["photos/" + n]["scale_assumed"] in ("1", "true") for n in names) == 6,
      "scale_assumed set on those 6 rows: " + str([by_path["photos/" + n]["scale_assumed"] for n in names]))

rheader, rrows = read_csv(os.path.join(out, "regions.csv"))
check(rheader[0] == "path" and rheader[1] == "id", f"regions keyed by path, id: {rheader[:2]}")
per_path = {}
for r in rrows:
    per_path.setdefault(r[0], []).append(int(r[1]))
for n in names:
    p = "photos/" + n
    row = by_path[p]
    check(row["status"] == "ok", f"{p} scored: {row['error']}")
    count = int(row["region_count"])
    ids = per_path.get(p, [])
    check(ids == list(range(1, count + 1)), f"{p}: regions.csv ids 1..{count}: {ids}")
    stem = None
    for f in os.listdir(os.path.join(out, "json")):
        if f.startswith(n[:-4] + "-"):
            stem = f[:-5]
    check(stem is not None, f"{p}: a JSON file")
    if stem is None:
        continue
    with open(os.path.join(out, "json", stem + ".json")) as f:
        js = json.load(f)
    check(len(js["regions"]) == count, f"{p}: JSON and CSV agree on the region count")
    check(js["image"]["width"] == int(row["width"]), f"{p}: JSON width")
    ov = os.path.join(out, "overlays", stem + ".png")
    check(os.path.exists(ov) and png_size(ov) == jpeg_size(os.path.join(photos, n)),
          f"{p}: overlay PNG the size of the photo")

# Same inputs, one thread: identical bytes (deterministic order and values).
out1 = os.path.join(work, "out1")
run("batch", manifest, "-o", out1, "-j", "1", "--quiet", expect=3)
for t in ("images.csv", "regions.csv"):
    check(read_bytes(os.path.join(out, t)) == read_bytes(os.path.join(out1, t)),
          f"{t}: -j 2 and -j 1 give the same bytes")

# A folder as INPUT: every image file, path = FOLDER/name.
outf = os.path.join(work, "outf")
run("batch", photos, "-o", outf, "-q", expect=3)
h, r = read_csv(os.path.join(outf, "images.csv"))
check(h[1] != "subject" and len(r) == 8, "folder input: no subject column, 8 rows")

# Manifest errors name the file, the line and the reason.
def manifest_error(text, needle, what):
    m = os.path.join(work, "bad_manifest.csv")
    with open(m, "w") as f:
        f.write(text)
    rc, _, err = run("batch", m, "-o", os.path.join(work, "x"))
    check(rc == 1, f"{what}: exit 1, got {rc}")
    check("bad_manifest.csv" in err and needle in err, f"{what}: message {err!r}")

manifest_error("path,subject\nphotos/a.jpg,S1\nphotos/b.jpg\n", "line 3", "missing field")
manifest_error("file,subject\na.jpg,S1\n", "'path'", "no path column")
manifest_error("path\na.jpg\nb.jpg\na.jpg\n", "lines 2 and 4", "duplicate path")
manifest_error('path\n"a.jpg\n', "line 2", "unterminated quote")
manifest_error("path,px_per_mm\na.jpg,abc\n", "line 2", "bad scale")

# Conventions: --help for each subcommand, --version, usage errors exit 2.
for cmd in ("analyze", "batch", "merge", "compare", "report"):
    rc, so, _ = run(cmd, "--help", expect=0)
    check(so.startswith("usage: scarscore " + cmd), f"{cmd} --help prints its usage")
rc, so, _ = run("--version", expect=0)
check(so.startswith("scarscore "), "--version")
run("batch", manifest, expect=2)
run("batch", manifest, "-o", out, "--shard", "4/3", expect=2)
run("batch", manifest, "-o", out, "--bogus", expect=2)

# --resume and the analysis resolution: a record made at another
# --analysis-px-per-mm must be redone, one made at the same resolution
# (given explicitly or as the library default, 5) skipped. At 20 px/mm the
# default shrinks the photo by 4, 0 keeps it whole (JSON
# image.analysis_shrink).
res_photos = os.path.join(work, "res_photos")
os.makedirs(res_photos)
res_name = phantoms(res_photos, [18])[0]
outr = os.path.join(work, "outr")


def resolution_run(*flag):
    """Batch the folder at 20 px/mm with --resume; returns (exit code,
    'resumed' or 'ok' from the progress line, JSON analysis_shrink,
    images.csv analysis_shrink, (inode, mtime) of the JSON)."""
    rc, _, err = run("batch", res_photos, "-o", outr, "-j", "1", "--resume",
                     "--px-per-mm", "20", *flag)
    state = "resumed" if " resumed " in err else "ok" if " ok " in err else err
    jdir = os.path.join(outr, "json")
    jfiles = [f for f in os.listdir(jdir) if f.startswith(res_name[:-4] + "-")]
    if len(jfiles) != 1:
        return rc, state, None, None, None
    jpath = os.path.join(jdir, jfiles[0])
    with open(jpath) as f:
        shrink = json.load(f)["image"].get("analysis_shrink")
    h, r = read_csv(os.path.join(outr, "images.csv"))
    col = r[0][h.index("analysis_shrink")] if "analysis_shrink" in h and r else None
    st = os.stat(jpath)
    return rc, state, shrink, col, (st.st_ino, st.st_mtime_ns)


steps = [  # (flags, expected progress word, expected analysis_shrink)
    ((), "ok", 4),                                  # first run: default
    ((), "resumed", 4),                             # same options: skipped
    (("--analysis-px-per-mm", "5"), "resumed", 4),  # the default, named
    (("--analysis-px-per-mm", "0"), "ok", 1),       # other resolution: redone
    (("--analysis-px-per-mm", "0"), "resumed", 1),  # same again: skipped
    ((), "ok", 4),                                  # back to the default: redone
]
prev_stat = None
for flags, word, shrink in steps:
    what = "batch --resume " + (" ".join(flags) or "(default resolution)")
    rc, state, js_shrink, csv_shrink, stat = resolution_run(*flags)
    check(rc == 0, f"{what}: exit {rc}")
    check(state == word, f"{what}: photo {word!r} expected, got {state!r}")
    check(js_shrink == shrink, f"{what}: JSON analysis_shrink {js_shrink}, expected {shrink}")
    check(csv_shrink == str(shrink),
          f"{what}: images.csv analysis_shrink {csv_shrink!r}, expected {shrink}")
    if prev_stat is not None:
        check((stat == prev_stat) == (word == "resumed"),
              f"{what}: JSON {'kept' if word == 'resumed' else 'rewritten'}")
    prev_stat = stat
# A 'regions' column: the labels of an analysis given back are measured as
# they are (scar_measure); an empty cell is analysed as usual.
given = os.path.join(work, "given")
os.makedirs(given)
lab = os.path.join(given, "l.png")
run("analyze", os.path.join(photos, names[1]), "--px-per-mm", "12", "--labels", lab,
    "--json", os.path.join(given, "a.json"), expect=0)
with open(os.path.join(given, "a.json")) as f:
    expect_n = json.load(f)["image"]["region_count"]
man = os.path.join(given, "m.csv")
with open(man, "w") as f:
    f.write("path,px_per_mm,regions\n"
            f"../photos/{names[1]},12,l.png\n../photos/{names[2]},12,\n")
outg = os.path.join(given, "out")
run("batch", man, "-o", outg, "-j", "1", "--quiet", expect=0)
h, r = read_csv(os.path.join(outg, "images.csv"))
by = {row[0]: row for row in r}
g, a = by[f"../photos/{names[1]}"], by[f"../photos/{names[2]}"]
check(g[h.index("regions_given")] == "1" and a[h.index("regions_given")] == "0",
      "batch regions column: regions_given 1 where given, 0 where found")
check(int(g[h.index("region_count")]) == expect_n,
      f"batch regions column: the label's {expect_n} regions measured")
rc, _, err = run("batch", man, "-o", os.path.join(given, "never"), "--single-lesion",
                 expect=2)
check("line 2" in err and "--single-lesion" in err and "regions" in err,
      "batch: regions with --single-lesion is a usage error naming the line: " + err)
finish()
