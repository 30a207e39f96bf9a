#!/usr/bin/env python3
"""`scarscore compare --cohort` against scipy.stats (issue 7): the committed
fixture tests/data/cli/cohort_images.csv and the values computed from it
with numpy/scipy by tests/reference/cli_cohort_stats.py
(tests/data/cli/cohort_ref.csv). Also checks the visit order (0 < 4 < 12
numerically), dropped subjects, averaged duplicate photos, and the
two-photo mode against a batch of the same photos, with
--analysis-px-per-mm passed to both analyses."""
import json
import math
import os

from clitest import DATA, check, finish, phantoms, read_csv, run, scratch

work = scratch("compare")
fixture = os.path.join(DATA, "cli", "cohort_images.csv")
ref_h, ref_rows = read_csv(os.path.join(DATA, "cli", "cohort_ref.csv"))

out_csv = os.path.join(work, "stats.csv")
subj_csv = os.path.join(work, "subjects.csv")
out_json = os.path.join(work, "stats.json")
run("compare", "--cohort", fixture, "--csv", out_csv, "--per-subject", subj_csv,
    "--json", out_json, expect=0)
h, rows = read_csv(out_csv)
got = {r[0]: dict(zip(h, r)) for r in rows}
check(set(got) == {r[0] for r in ref_rows},
      f"numeric columns only (tone is text, path/subject/visit are keys): {sorted(got)}")


def close(a, b, rel=1e-9, abs_=1e-12):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= abs_ + rel * abs(b)


for rr in ref_rows:
    ref = dict(zip(ref_h, rr))
    g = got.get(ref["score"])
    if g is None:
        continue
    for k, v in ref.items():
        if k == "score":
            continue
        gv = float(g[k]) if g[k] != "" else math.nan
        check(close(gv, float(v)), f"{ref['score']}.{k}: {gv!r} vs scipy {v}")

with open(out_json) as f:
    js = json.load(f)
check(js["visit_before"] == "0" and js["visit_after"] == "12",
      f"visits ordered numerically: {js['visit_before']}..{js['visit_after']}")
check(js["subjects_unpaired"] == ["S07"], f"S07 lacks visit 12: {js['subjects_unpaired']}")

# S05 has two baseline photos: the per-subject value is their mean.
_, fx = read_csv(fixture)
s05 = [float(r[3]) for r in fx if r[1] == "S05" and r[2] == "0"]
_, sub = read_csv(subj_csv)
row = [r for r in sub if r[0] == "S05" and r[1] == "region_area_mm2"]
check(len(s05) == 2 and row and close(float(row[0][2]), sum(s05) / 2),
      "two photos of one visit are averaged")

# --visits picks other visits; unknown visits and bad files are errors.
rc, so, _ = run("compare", "--cohort", fixture, "--visits", "0,4", "--csv", "-", expect=0)
check(so.startswith("score,n,"), "--csv - writes to standard output")
rc, _, err = run("compare", "--cohort", fixture, "--visits", "0,99", expect=1)
check("'99'" in err, "unknown visit named: " + err)
rc, _, err = run("compare", "--cohort", os.path.join(work, "missing.csv"), expect=1)
check("missing.csv" in err, "missing file named: " + err)

# A cohort whose visits were analysed at different resolutions: a note
# names how many subjects, and the statistics are still computed.
mixed = os.path.join(work, "mixed.csv")
with open(mixed, "w") as f:
    f.write("path,subject,visit,region_count,analysis_shrink,status,error\n"
            "a0.jpg,S1,0,3,2,ok,\na1.jpg,S1,1,4,4,ok,\n"
            "b0.jpg,S2,0,2,2,ok,\nb1.jpg,S2,1,2,2,ok,\n"
            "c0.jpg,S3,0,5,2,ok,\nc1.jpg,S3,1,1,2,ok,\n")
rc, so, err = run("compare", "--cohort", mixed, "--csv", "-", expect=0)
check("1 of 3 subjects" in err and "analysis_shrink" in err,
      "mixed resolutions noted: " + err)
check(so.startswith("score,n,"), "mixed resolutions: statistics still written")
rc, so, err = run("compare", "--cohort", fixture, "--csv", "-", expect=0)
check("analysed at different resolutions" not in err,
      "no note without an analysis_shrink difference: " + err)

# Two photos: before/after equal what batch measures for the same photos.
photos = os.path.join(work, "photos")
os.makedirs(photos)
a, b = phantoms(photos, [71, 72])
run("batch", photos, "-o", os.path.join(work, "b"), "-q", expect=0)
bh, brows = read_csv(os.path.join(work, "b", "images.csv"))
rec = {r[0].rsplit("/", 1)[1]: dict(zip(bh, r)) for r in brows}
two = os.path.join(work, "two.csv")
run("compare", os.path.join(photos, a), os.path.join(photos, b), "--csv", two, expect=0)
th, trows = read_csv(two)
check(th == ["score", "before", "after", "change"], f"two-photo header {th}")
check(any(r[0] == "region_count" for r in trows), "region_count compared")
for r in trows:
    vb, va, d = float(r[1]), float(r[2]), float(r[3])
    check(close(vb, float(rec[a][r[0]])) and close(va, float(rec[b][r[0]])),
          f"{r[0]}: before/after equal the batch's values")
    check(d == va - vb, f"{r[0]}: change = after - before")
rc, so, _ = run("compare", os.path.join(photos, a), os.path.join(photos, b), expect=0)
check("region_count" in so, "human table on standard output")
run("compare", os.path.join(photos, a), expect=2)

# --analysis-px-per-mm reaches both analyses: at 20 px/mm the default
# resolution (5) shrinks each photo by 4, 7.5 by 2, 0 keeps them whole.
for flag, shrink in (([], 4), (["--analysis-px-per-mm", "7.5"], 2),
                     (["--analysis-px-per-mm", "0"], 1)):
    rc, so, _ = run("compare", os.path.join(photos, a), os.path.join(photos, b),
                    "--px-per-mm", "20", *flag, "--csv", "-", expect=0)
    row = [r for r in so.splitlines() if r.startswith("analysis_shrink,")]
    check(row == [f"analysis_shrink,{shrink},{shrink},0"],
          f"compare {' '.join(flag) or '(default)'}: analysis_shrink row {row}")
finish()
