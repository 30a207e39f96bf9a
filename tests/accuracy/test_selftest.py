#!/usr/bin/env python3
"""bench/accuracy in its oracle mode (--self-test: the truth is handed in as
the analysis), for both phantom layouts: the harness must then report Dice,
recall and precision 1 and no error, and the cluster layout must render
crowded acne scenes (at least 20 lesions per phantom, only the scarred-cheek
kinds); --true-outline then reports 0 too; --texture real reaches the
generator and is not mixed with clean phantoms under --reuse. With the CLI (SCARSCORE_CLI),
--true-outline measures every lesion on its true outline (analyze
--regions): a finite value for each. The real mode's overlays outline each
region on all four sides. The lesions' contrast against each photo's
detection limits, the Dice and recall of outlining exactly the lesions at
or above them, and the bootstrap intervals of the overall figures
(single runs, two runs compared, the real mode's mean over photos and
two real runs compared), are checked by hand; a run compared
with itself moves no figure. Every mode's --help prints. Needs numpy and PIL
(scripts/install-deps.sh --python)."""
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ACCURACY = os.path.join(HERE, "..", "..", "bench", "accuracy", "accuracy.py")
PHANTOM = os.environ["SCARSCORE_PHANTOM"]
ACNE_KINDS = {"icepick", "boxcar", "rolling", "erythema", "hyperpigmented"}


def run(layout, tmp, texture="clean"):
    name = layout + ("" if texture == "clean" else "_" + texture)
    out = os.path.join(tmp, name + ".csv")
    cmd = [sys.executable, ACCURACY, "phantoms", "--self-test", "--true-outline", "--n", "6",
           "--layout", layout, "--texture", texture, "--phantom", PHANTOM,
           "--scratch", os.path.join(tmp, name), "--csv", out]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit("%s layout: exit %d\n%s%s" % (layout, r.returncode, r.stdout, r.stderr))
    rows = list(csv.DictReader(open(out)))
    overall = [x for x in rows if x["group"] == "overall"][0]
    low = [x for x in rows if x["group"] == "ci95_low"][0]
    high = [x for x in rows if x["group"] == "ci95_high"][0]
    for key in ("median_dice", "recall", "precision"):
        for row in (overall, low, high):
            if abs(float(row[key]) - 1.0) > 1e-12:
                sys.exit("%s layout: %s %s = %s, want 1" % (layout, row["group"], key, row[key]))
    # the run against itself: no figure moves
    r = subprocess.run([sys.executable, ACCURACY, "compare", out, out, "--bootstrap", "50"],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0 or r.stdout.count("within noise") < 6 or \
            "better" in r.stdout or "worse" in r.stdout:
        sys.exit("%s layout: compare with itself: exit %d\n%s%s"
                 % (layout, r.returncode, r.stdout, r.stderr))
    for key in ("de00_mae", "median_area_err", "de00_mae_true_outline"):
        if float(overall[key]) != 0.0:
            sys.exit("%s layout: %s = %s, want 0" % (layout, key, overall[key]))
    kinds = {x["name"]: int(x["n_truth"]) for x in rows if x["group"] == "kind"}
    return int(overall["n_truth"]), kinds


def true_outline_with_cli(tmp):
    """Two phantoms analysed and measured on their true outlines by the CLI:
    every lesion gets a finite dE00 on its true outline."""
    out = os.path.join(tmp, "cli.csv")
    cmd = [sys.executable, ACCURACY, "phantoms", "--true-outline", "--n", "2",
           "--phantom", PHANTOM, "--scarscore", os.environ["SCARSCORE_CLI"],
           "--scratch", os.path.join(tmp, "cli"), "--csv", out]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit("--true-outline with the CLI: exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
    les = list(csv.DictReader(open(os.path.join(tmp, "cli_lesions.csv"))))
    bad = [l["id"] for l in les if not l["de_true_outline"] or
           not 0.0 <= float(l["de_true_outline"]) < 200.0]
    if not les or bad:
        sys.exit("--true-outline with the CLI: lesions without a value: %s" % bad)


def overlay_outlines():
    """A 3x3 region in the middle of a 5x5 label map, and a second region
    touching the image's right edge: the outline is every pixel of each
    that has a 4-neighbour outside it (the 3x3's ring of 8, all of the
    1-pixel-wide edge column), on all four sides."""
    sys.path.insert(0, os.path.dirname(ACCURACY))
    import numpy as np
    import accuracy
    lab = np.zeros((5, 6), np.int64)
    lab[1:4, 1:4] = 1
    lab[:, 5] = 2
    want = np.zeros(lab.shape, bool)
    want[1:4, 1:4] = True
    want[2, 2] = False
    want[:, 5] = True
    got = accuracy.outline_pixels(lab)
    if not np.array_equal(got, want):
        sys.exit("overlay outline:\n%s\nwant\n%s" % (got.astype(int), want.astype(int)))


def limits_by_hand():
    """Limits (dL, da, db) at 1, 10, 100 mm^2 of (4, 2, 1), (2, 1, 0.5),
    (1, 1, 1): at 10 mm^2 exactly the middle values; at sqrt(10) mm^2 the
    geometric mean of 4 and 2 (linear in log-log); at 1000 mm^2 the last
    segment extended (0.5); a lesion 2 L* and 1 a* off at 10 mm^2 is
    sqrt((2/2)^2 + (1/1)^2) = sqrt 2 limits out; a null limit gives none."""
    sys.path.insert(0, os.path.dirname(ACCURACY))
    import accuracy
    img = {"detection_limit_dL": {"1mm2": 4.0, "10mm2": 2.0, "100mm2": 1.0},
           "detection_limit_da": {"1mm2": 2.0, "10mm2": 1.0, "100mm2": 0.5},
           "detection_limit_db": {"1mm2": 1.0, "10mm2": 1.0, "100mm2": 1.0}}
    lim = accuracy.photo_limits(img)
    checks = [
        (accuracy.limit_at(lim[0], 10.0), 2.0),
        (accuracy.limit_at(lim[0], 10.0 ** 0.5), 8.0 ** 0.5),
        (accuracy.limit_at(lim[0], 1000.0), 0.5),
        (accuracy.contrast_to_limit([52.0, 11.0, 7.0], [50.0, 10.0, 7.0], 10.0, lim), 2.0 ** 0.5),
    ]
    for got, want in checks:
        if abs(got - want) > 1e-12:
            sys.exit("detection limits: %r, want %r" % (got, want))
    img["detection_limit_db"]["100mm2"] = None
    if accuracy.photo_limits(img) is not None:
        sys.exit("detection limits: a null limit was used")


def ceiling_by_hand():
    """Phantom A: lesions of 100 px at 2 limits and 300 px at 0.5: Dice
    2 * 100 / (400 + 100) = 0.4; phantom B: 50 px at exactly 1 limit: Dice
    1; phantom C has an unrated lesion and is left out. Median Dice 0.7,
    recall 2 / 3; nothing rated: None."""
    sys.path.insert(0, os.path.dirname(ACCURACY))
    import accuracy
    les = [{"image": "A", "area_true": 100.0, "contrast_to_limit": 2.0},
           {"image": "A", "area_true": 300.0, "contrast_to_limit": 0.5},
           {"image": "B", "area_true": 50.0, "contrast_to_limit": 1.0},
           {"image": "C", "area_true": 10.0, "contrast_to_limit": 3.0},
           {"image": "C", "area_true": 10.0, "contrast_to_limit": None}]
    got = accuracy.limit_ceiling(les)
    if got is None or abs(got[0] - 0.7) > 1e-12 or abs(got[1] - 2.0 / 3.0) > 1e-12:
        sys.exit("detection-limit ceiling: %r, want (0.7, 0.667)" % (got,))
    if accuracy.limit_ceiling(les[4:]) is not None:
        sys.exit("detection-limit ceiling without a rated lesion: not None")


def bootstrap_by_hand():
    """Phantom P: 2 lesions, both found, Dice 1, 2 regions; phantom Q: 2
    lesions, none found, Dice 0, no region. The figures of both are those
    of the report's summarise(); a resample of the two is PP, PQ, QP or QQ,
    so recall is 1, 0.5 or 0 with probabilities 1/4, 1/2, 1/4 and its 95 %
    interval is [0, 1]; precision is 1 whenever P is drawn and 0 (no
    region at all) for QQ. Ten copies of P: every interval is a point.
    Paired: a run B that finds one lesion of Q more than A (its one region
    matched) changes recall by 0 (PP), 1/4 (PQ, QP: 3/4 against 1/2) or
    1/2 (QQ): the change's interval is [0, 0.5], which does not exclude 0,
    so the verdict is "within noise"; by kind, the icepick that B finds
    takes icepick recall from 1/2 to 1 and boxcars do not move; by skin
    tone, the dark phantom Q's recall rises from 0 to 1/2 in every resample
    that holds it ("better"), the light one's does not move; B against B
    itself is 0 everywhere."""
    sys.path.insert(0, os.path.dirname(ACCURACY))
    import numpy as np
    import accuracy
    import uncertainty
    cats = [c for c, _, _ in accuracy.ITA_CATS]
    def run_of(found_q):
        images = [{"name": "P", "ita_category": "light", "dice": 1.0, "n_pred": 2, "n_matched": 2},
                  {"name": "Q", "ita_category": "dark", "dice": 0.0,
                   "n_pred": found_q, "n_matched": found_q}]
        lesions = [{"image": "P", "kind": "icepick", "matched": True, "de_true": 5.0,
                    "de_pred": 5.5, "area_true": 100, "area_pred": 110},
                   {"image": "P", "kind": "boxcar", "matched": True, "de_true": 3.0,
                    "de_pred": 2.0, "area_true": 50, "area_pred": 40},
                   {"image": "Q", "kind": "icepick", "matched": found_q > 0, "de_true": 4.0,
                    "de_pred": 4.0 if found_q else None, "area_true": 80,
                    "area_pred": 80 if found_q else None},
                   {"image": "Q", "kind": "boxcar", "matched": False, "de_true": 4.0,
                    "de_pred": None, "area_true": 80, "area_pred": None}]
        return images, lesions
    images, lesions = run_of(0)
    units = uncertainty.Units(images, lesions, cats)
    every = units.figures(np.arange(2))
    report = accuracy.summarise(images, lesions)
    for k in ("median_dice", "recall", "precision", "de00_mae", "median_area_err"):
        if abs(every[k] - report[k]) > 1e-12:
            sys.exit("bootstrap: %s %r, the report says %r" % (k, every[k], report[k]))
    if abs(every["dice_gap_ita"] - 1.0) > 1e-12:
        sys.exit("bootstrap: ITA gap %r, want 1" % every["dice_gap_ita"])
    got = uncertainty._interval(range(100))  # numpy's linear percentiles: 2.475, 96.525
    if abs(got[0] - 2.475) > 1e-9 or abs(got[1] - 96.525) > 1e-9:
        sys.exit("bootstrap: 95 %% interval of 0..99 is %r" % (got,))
    ci = uncertainty.intervals(units, 2000)
    if ci["recall"] != (0.0, 1.0) or ci["precision"] != (0.0, 1.0):
        sys.exit("bootstrap: recall %r, precision %r, want (0, 1)" % (ci["recall"], ci["precision"]))
    ten = uncertainty.Units([dict(images[0], name="P%d" % k) for k in range(10)],
                            [dict(l, image="P%d" % k) for k in range(10) for l in lesions[:2]],
                            cats)
    for k, (lo, hi) in uncertainty.intervals(ten, 200).items():
        if k != "dice_gap_ita" and not lo == hi == ten.figures(np.arange(10))[k]:
            sys.exit("bootstrap: %s interval (%r, %r) of identical phantoms" % (k, lo, hi))
    # the real mode's mean over photos: two photos J 0 and 1 resample to a
    # mean of 0, 1/2 or 1 (interval [0, 1]); five equal ones to a point
    if uncertainty.mean_interval([0.0, 1.0]) != (0.0, 1.0) or \
            uncertainty.mean_interval([0.7] * 5) != (0.7, 0.7):
        sys.exit("bootstrap: mean intervals %r %r" % (uncertainty.mean_interval([0.0, 1.0]),
                                                     uncertainty.mean_interval([0.7] * 5)))
    a, b = uncertainty.Units(*run_of(0), cats), uncertainty.Units(*run_of(1), cats)
    res = uncertainty.paired(a, b, 2000)
    fa, fb, d, lo, hi, verdict = res["recall"]
    if (fa, fb, d, lo, hi, verdict) != (0.5, 0.75, 0.25, 0.0, 0.5, "within noise"):
        sys.exit("paired: recall %r" % (res["recall"],))
    # by kind: Q's icepick is the one found: icepick recall 1/2 -> 1, a
    # change of 0, 1/2 or 1 (interval [0, 1]); boxcars do not change
    if res["recall icepick"] != (0.5, 1.0, 0.5, 0.0, 1.0, "within noise") or \
            res["recall boxcar"] != (0.5, 0.5, 0.0, 0.0, 0.0, "within noise"):
        sys.exit("paired: by kind %r %r" % (res["recall icepick"], res["recall boxcar"]))
    # by skin tone: Q (dark, index 5) gains its icepick in every resample
    # that holds it, recall 0 -> 1/2, a sure change; P (light) none
    if res["recall tone5"] != (0.0, 0.5, 0.5, 0.5, 0.5, "better") or \
            res["recall tone1"][2:] != (0.0, 0.0, 0.0, "within noise"):
        sys.exit("paired: by tone %r %r" % (res["recall tone5"], res["recall tone1"]))
    same = uncertainty.paired(b, b, 200)
    if any(v[2:] != (0.0, 0.0, 0.0, "within noise") for v in same.values() if v[2] == v[2]):
        sys.exit("paired: a run against itself %r" % same)


def help_texts():
    """Every mode's --help prints (argparse formats help strings with %)."""
    for mode in ([], ["phantoms"], ["real"], ["compare"]):
        r = subprocess.run([sys.executable, ACCURACY] + mode + ["--help"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0 or "usage:" not in r.stdout:
            sys.exit("accuracy.py %s --help: exit %d\n%s" % (" ".join(mode), r.returncode, r.stderr))


def compare_real_by_hand(tmp):
    """Two real-mode runs on photos u, v: A's Jaccard 0.5 and 0.7, B's 0.6
    and 0.7: the mean changes by 0.05; resamples give 0, 0.05 or 0.1, so
    the interval is [0, 0.1], within noise. With B at 0.6 and 0.8 the
    change is 0.1 in every resample: better."""
    def write(name, js):
        with open(os.path.join(tmp, name + "_images.csv"), "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["image", "set", "condition", "jaccard", "thresholded", "dice", "seconds"])
            for img, j in zip(("ph2/u.png", "ph2/v.png"), js):
                w.writerow([img, "ph2", "", j, j if j >= 0.65 else 0.0, 2 * j / (1 + j), 0.1])
        open(os.path.join(tmp, name + ".csv"), "w").close()
        return os.path.join(tmp, name + ".csv")
    a, b, c = write("ra", (0.5, 0.7)), write("rb", (0.6, 0.7)), write("rc", (0.6, 0.8))
    for other, want in ((b, "0.050   [   0.000,    0.100]   within noise"),
                        (c, "0.100   [   0.100,    0.100]   better")):
        r = subprocess.run([sys.executable, ACCURACY, "compare", a, other],
                           capture_output=True, text=True, timeout=60)
        line = [l for l in r.stdout.splitlines() if l.startswith("mean J all")]
        if r.returncode != 0 or not line or not line[0].endswith(want):
            sys.exit("compare (real): exit %d, %r, want ...%s\n%s"
                     % (r.returncode, line, want, r.stderr))


def main():
    help_texts()
    overlay_outlines()
    limits_by_hand()
    ceiling_by_hand()
    bootstrap_by_hand()
    with tempfile.TemporaryDirectory(dir=os.environ.get("SCAR_TEST_TMP")) as tmp:
        compare_real_by_hand(tmp)
        if os.environ.get("SCARSCORE_CLI"):
            true_outline_with_cli(tmp)
        n, kinds = run("scattered", tmp)
        if not 6 * 3 <= n <= 6 * 12:
            sys.exit("scattered layout: %d lesions in 6 phantoms" % n)
        n, kinds = run("cluster", tmp)
        if n < 6 * 20:
            sys.exit("cluster layout: only %d lesions in 6 phantoms" % n)
        present = {k for k, c in kinds.items() if c > 0}
        if not present or not present <= ACNE_KINDS:
            sys.exit("cluster layout: kinds %s" % sorted(present))
        # --texture real reaches the generator, and phantoms of the other
        # texture are not reused for it
        run("scattered", tmp, "real")
        for k in range(6):
            t = json.load(open(os.path.join(tmp, "scattered_real", "ph%03d_truth.json" % k)))
            if t.get("texture") != "real":
                sys.exit("--texture real: ph%03d rendered as %s" % (k, t.get("texture")))
        r = subprocess.run([sys.executable, ACCURACY, "phantoms", "--self-test", "--n", "6",
                            "--reuse", "--texture", "clean", "--phantom", PHANTOM,
                            "--scratch", os.path.join(tmp, "scattered_real")],
                           capture_output=True, text=True, timeout=600)
        if r.returncode == 0 or "rendered with --texture real" not in r.stderr:
            sys.exit("--reuse across textures was not refused: exit %d\n%s"
                     % (r.returncode, r.stderr))
    print("ok")


if __name__ == "__main__":
    main()
