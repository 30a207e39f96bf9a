#!/usr/bin/python3
"""Fixture and reference values for `scarscore compare --cohort` (issue 7).

Writes tests/data/cli/cohort_images.csv, an images.csv as `scarscore batch`
makes it (path, subject, visit, scores, status, error), with the cases the
command must handle: visits 0/4/12 that only sort right numerically, a
subject without the last visit, an error row, two photos of one visit
(averaged), a missing value, a text column, tied and zero differences.

Then computes, independently of scarscore with numpy/scipy.stats, the
cohort statistics between visit 0 and visit 12 for every numeric column and
writes tests/data/cli/cohort_ref.csv. Run with Debian's /usr/bin/python3:

    /usr/bin/python3 tests/reference/cli_cohort_stats.py tests/data/cli
"""
import csv
import math
import os
import random
import sys

import numpy as np
from scipy import stats
from scipy.special import gammaln

out_dir = sys.argv[1] if len(sys.argv) > 1 else "tests/data/cli"
rng = random.Random(20090101)  # fixed: the fixture must not change

subjects = [f"S{k:02d}" for k in range(1, 15)]  # 14 subjects
rows = []
for s in subjects:
    base_area = rng.uniform(20, 80)
    base_de = rng.uniform(3, 9)
    base_count = rng.randint(3, 12)
    for visit in ("0", "4", "12"):
        if s == "S07" and visit == "12":
            continue  # lost to follow-up: dropped from the pairs
        f = {"0": 1.0, "4": 0.95, "12": 0.88}[visit]
        area = round(base_area * f * rng.uniform(0.75, 1.3), 4)
        de = round(base_de * f * rng.uniform(0.75, 1.25), 5)
        count = max(0, base_count - {"0": 0, "4": 0, "12": 1}[visit]
                    + rng.randint(-2, 2))
        if s == "S03":
            count = 5  # zero difference: dropped by Wilcoxon and sign test
        rows.append({"path": f"photos/{s}_v{visit}.jpg", "subject": s,
                     "visit": visit, "region_area_mm2": area,
                     "delta_e_mean": de, "region_count": count,
                     "tone": rng.choice(["light", "intermediate", "tan"]),
                     "status": "ok", "error": ""})
# Two photos of S05 at baseline: the command averages them.
rows.append({"path": "photos/S05_v0_b.jpg", "subject": "S05", "visit": "0",
             "region_area_mm2": 61.25, "delta_e_mean": 7.5, "region_count": 9,
             "tone": "tan", "status": "ok", "error": ""})
# A failed image: never enters the statistics.
rows.append({"path": "photos/S09_v12_bad.jpg", "subject": "S09", "visit": "12",
             "region_area_mm2": "", "delta_e_mean": "", "region_count": "",
             "tone": "", "status": "error",
             "error": "scar_image_load: photos/S09_v12_bad.jpg: truncated, \"quoted\""})
# A missing value: S11 drops out of delta_e_mean only.
for r in rows:
    if r["subject"] == "S11" and r["visit"] == "12":
        r["delta_e_mean"] = ""
rows.sort(key=lambda r: r["path"])

cols = ["path", "subject", "visit", "region_area_mm2", "delta_e_mean",
        "region_count", "tone", "status", "error"]
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "cohort_images.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)


def cell_mean(subject, visit, col):
    vals = [float(r[col]) for r in rows
            if r["subject"] == subject and r["visit"] == visit
            and r["status"] == "ok" and r[col] != ""]
    return float(np.mean(vals)) if vals else math.nan


def has_visit(subject, visit):
    return any(r["subject"] == subject and r["visit"] == visit
               and r["status"] == "ok" for r in rows)


paired = [s for s in sorted(subjects) if has_visit(s, "0") and has_visit(s, "12")]
fields = ["score", "n", "mean_before", "mean_after", "mean_diff", "median_diff",
          "sd_diff", "ci95_low", "ci95_high", "t", "p_t", "wilcoxon_w_plus",
          "p_wilcoxon", "wilcoxon_exact", "n_nonzero", "n_positive", "p_sign",
          "cohens_dz", "hedges_gz", "rank_biserial"]
with open(os.path.join(out_dir, "cohort_ref.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(fields)
    for col in ("region_area_mm2", "delta_e_mean", "region_count"):
        b = np.array([cell_mean(s, "0", col) for s in paired])
        a = np.array([cell_mean(s, "12", col) for s in paired])
        keep = ~(np.isnan(a) | np.isnan(b))
        b, a = b[keep], a[keep]
        d = a - b
        n = len(d)
        sd = float(np.std(d, ddof=1))
        se = sd / math.sqrt(n)
        tq = stats.t.ppf(0.975, n - 1)
        tt = stats.ttest_rel(a, b)
        nz = d[d != 0]
        m = len(nz)
        ranks = stats.rankdata(np.abs(nz))
        w_plus = float(ranks[nz > 0].sum())
        w_minus = float(ranks[nz < 0].sum())
        ties = len(np.unique(np.abs(nz))) < m
        exact = (m <= 50) and not ties
        wx = stats.wilcoxon(nz, zero_method="wilcox", correction=False,
                            method="exact" if exact else "approx")
        npos = int((nz > 0).sum())
        p_sign = stats.binomtest(npos, m, 0.5).pvalue
        dz = float(np.mean(d)) / sd
        v = n - 1
        j = math.exp(gammaln(v / 2) - gammaln((v - 1) / 2)) / math.sqrt(v / 2)
        w.writerow([col, n, repr(float(np.mean(b))), repr(float(np.mean(a))),
                    repr(float(np.mean(d))), repr(float(np.median(d))),
                    repr(sd), repr(float(np.mean(d) - tq * se)),
                    repr(float(np.mean(d) + tq * se)), repr(float(tt.statistic)),
                    repr(float(tt.pvalue)), repr(w_plus), repr(float(wx.pvalue)),
                    int(exact), m, npos, repr(float(p_sign)), repr(dz),
                    repr(dz * j), repr((w_plus - w_minus) / (w_plus + w_minus))])
print("wrote", out_dir)
