#!/usr/bin/env python3
"""bench/accuracy in its oracle mode (--self-test: the truth is handed in as
the analysis), for both phantom layouts: the harness must then report Dice,
recall and precision 1 and no error, and the cluster layout must render
crowded acne scenes (at least 20 lesions per phantom, only the scarred-cheek
kinds). Needs numpy and PIL (scripts/install-deps.sh --python)."""
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ACCURACY = os.path.join(HERE, "..", "..", "bench", "accuracy", "accuracy.py")
PHANTOM = os.environ["SCARSCORE_PHANTOM"]
ACNE_KINDS = {"icepick", "boxcar", "rolling", "erythema", "hyperpigmented"}


def run(layout, tmp):
    out = os.path.join(tmp, layout + ".csv")
    cmd = [sys.executable, ACCURACY, "phantoms", "--self-test", "--n", "6",
           "--layout", layout, "--phantom", PHANTOM,
           "--scratch", os.path.join(tmp, layout), "--csv", out]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit("%s layout: exit %d\n%s%s" % (layout, r.returncode, r.stdout, r.stderr))
    rows = list(csv.DictReader(open(out)))
    overall = [x for x in rows if x["group"] == "overall"][0]
    for key in ("median_dice", "recall", "precision"):
        if abs(float(overall[key]) - 1.0) > 1e-12:
            sys.exit("%s layout: %s = %s, want 1" % (layout, key, overall[key]))
    if float(overall["de00_mae"]) != 0.0 or float(overall["median_area_err"]) != 0.0:
        sys.exit("%s layout: errors %s %s, want 0" % (layout, overall["de00_mae"],
                                                    overall["median_area_err"]))
    kinds = {x["name"]: int(x["n_truth"]) for x in rows if x["group"] == "kind"}
    return int(overall["n_truth"]), kinds


def main():
    with tempfile.TemporaryDirectory(dir=os.environ.get("SCAR_TEST_TMP")) as tmp:
        n, kinds = run("scattered", tmp)
        if not 6 * 3 <= n <= 6 * 12:
            sys.exit("scattered layout: %d lesions in 6 phantoms" % n)
        n, kinds = run("cluster", tmp)
        if n < 6 * 20:
            sys.exit("cluster layout: only %d lesions in 6 phantoms" % n)
        present = {k for k, c in kinds.items() if c > 0}
        if not present or not present <= ACNE_KINDS:
            sys.exit("cluster layout: kinds %s" % sorted(present))
    print("ok")


if __name__ == "__main__":
    main()
