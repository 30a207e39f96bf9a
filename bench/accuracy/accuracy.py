#!/usr/bin/python3
"""scarscore accuracy benchmark (docs/accuracy.md).

Three modes:

  accuracy.py phantoms [options]
      Renders >= 60 phantoms with scarscore-phantom (every ITA skin-tone
      category and every lesion kind, 400x300 up to 4000x3000), runs
      `scarscore analyze IMG --px-per-mm X --labels L.png --json R.json` on
      each and compares with the truth: median Dice of the lesion union,
      lesion recall and precision (match = IoU >= 0.25, one-to-one, greedy by
      IoU), dE00 mean absolute error on matched lesions, median relative area
      error -- overall, by lesion kind and by ITA category -- as a table and
      a CSV, each target marked met or not. With --true-outline, each
      phantom's true outlines are also measured (`scarscore analyze IMG
      --regions TRUTH_LABELS.png`, i.e. scar_measure): the dE00 error left
      by a perfect segmentation (camera blur, noise, JPEG against the
      truth's clean render), over every lesion, per kind and ITA category.
      Each overall figure comes with a 95 % bootstrap interval over the
      phantoms (uncertainty.py).

  accuracy.py compare A.csv B.csv
      Two phantom runs on the same phantoms (their --csv outputs): each
      overall figure of both, the change and its 95 % interval over paired
      resamples of the phantoms, and whether it is better, worse or within
      noise.

  accuracy.py real --data DIR [options]
      For the images of DIR/manifest.csv that have a mask, runs
      `scarscore analyze IMG --single-lesion --labels L.png --json R.json`
      and reports the mean Jaccard index and the ISIC 2018 thresholded
      Jaccard (per image J, 0 when J < 0.65; masks binarised at > 128).

Only numpy and PIL are needed (run with /usr/bin/python3 on Debian).
"""

import argparse
import collections
import csv
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import time

import numpy as np
from PIL import Image, ImageOps

import uncertainty

KINDS = ["icepick", "boxcar", "rolling", "hypertrophic", "hypopigmented",
         "hyperpigmented", "erythema", "striae_alba", "striae_rubra"]
# ITA° categories (Chardon et al. 1991; Del Bino et al. 2006), the bounds
# the phantoms are drawn from, and the Fitzpatrick type they stand for.
ITA_CATS = [("very_light", 55.0, 60.0), ("light", 41.0, 55.0),
            ("intermediate", 28.0, 41.0), ("tan", 10.0, 28.0),
            ("brown", -30.0, 10.0), ("dark", -50.0, -30.0)]
SIZES = [(400, 300), (640, 480), (800, 600), (1024, 768), (1280, 960),
         (1600, 1200), (2048, 1536), (3000, 2250), (4000, 3000)]

MATCH_IOU = 0.25
TARGETS_PHANTOM = {
    "median_dice": (">=", 0.90),
    "recall": (">=", 0.95),
    "precision": (">=", 0.95),
    "de00_mae": ("<=", 0.40),
    "median_area_err": ("<=", 0.08),
    "dice_gap_ita": ("<=", 0.05),
}
TARGETS_REAL = {"mean_jaccard": (">=", 0.90), "thresholded_jaccard": (">=", 0.88)}
ISIC_THRESHOLD = 0.65


def die(msg):
    sys.stderr.write("accuracy.py: %s\n" % msg)
    sys.exit(2)


def find_tool(name, given):
    if given:
        if not (os.path.isfile(given) and os.access(given, os.X_OK)):
            die("%s is not an executable file" % given)
        return os.path.abspath(given)
    p = shutil.which(name)
    if p:
        return p
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    for b in sorted(os.listdir(root)):
        for sub in ("cli", os.path.join("samples", "phantom")):
            c = os.path.join(root, b, sub, name)
            if b.startswith("build") and os.path.isfile(c) and os.access(c, os.X_OK):
                return c
    die("cannot find %s: build it and put it on PATH, or pass its path" % name)


def read_labels(path):
    a = np.array(Image.open(path))
    if a.ndim != 2:
        raise ValueError("%s: labels must be a single-channel image" % path)
    return a.astype(np.int64)


def run(cmd, timeout):
    t0 = time.time()
    try:
        r = subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, "timeout after %d s" % timeout, time.time() - t0
    return r.returncode, (r.stderr or "").strip(), time.time() - t0


# ----------------------------------------------------------------------
# Matching and metrics
# ----------------------------------------------------------------------

def dice(a, b):
    sa, sb = int(a.sum()), int(b.sum())
    if sa + sb == 0:
        return 1.0
    return 2.0 * int(np.logical_and(a, b).sum()) / (sa + sb)


def match_regions(truth, pred):
    """One-to-one greedy matching by IoU (highest first), IoU >= MATCH_IOU.
    Returns ({truth_id: (pred_id, iou)}, truth areas, pred areas)."""
    t_area = np.bincount(truth.ravel())
    p_area = np.bincount(pred.ravel())
    both = (truth > 0) & (pred > 0)
    pairs = {}
    if both.any():
        key = truth[both] * (int(pred.max()) + 1) + pred[both]
        keys, counts = np.unique(key, return_counts=True)
        pm = int(pred.max()) + 1
        for k, c in zip(keys.tolist(), counts.tolist()):
            t, p = divmod(k, pm)
            union = t_area[t] + p_area[p] - c
            pairs[(t, p)] = c / union
    used_t, used_p, out = set(), set(), {}
    for (t, p), iou in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        if iou < MATCH_IOU:
            break
        if t in used_t or p in used_p:
            continue
        used_t.add(t)
        used_p.add(p)
        out[t] = (p, iou)
    return out, t_area, p_area


def summarise(images, lesions):
    """images: dicts with dice, n_pred, n_matched_pred; lesions: dicts."""
    n_truth = len(lesions)
    matched = [l for l in lesions if l["matched"]]
    n_pred = sum(i["n_pred"] for i in images)
    n_tp = sum(i["n_matched"] for i in images)
    de = [abs(l["de_pred"] - l["de_true"]) for l in matched
          if l["de_pred"] is not None and l["de_true"] is not None]
    de_outline = [abs(l["de_true_outline"] - l["de_true"]) for l in lesions
                  if l.get("de_true_outline") is not None and l["de_true"] is not None]
    ae = [abs(l["area_pred"] - l["area_true"]) / l["area_true"] for l in matched]
    return {
        "n_images": len(images),
        "n_truth": n_truth,
        "n_pred": n_pred,
        "median_dice": float(np.median([i["dice"] for i in images])) if images else float("nan"),
        "recall": len(matched) / n_truth if n_truth else float("nan"),
        "precision": n_tp / n_pred if n_pred else (float("nan") if not images else 0.0),
        "de00_mae": float(np.mean(de)) if de else float("nan"),
        "de00_mae_true_outline": float(np.mean(de_outline)) if de_outline else float("nan"),
        "median_area_err": float(np.median(ae)) if ae else float("nan"),
    }


LIMIT_AREAS_MM2 = (1.0, 10.0, 100.0)
LIMIT_KEYS = ("1mm2", "10mm2", "100mm2")


def photo_limits(image_json):
    """The photo's detection limits from scarscore's JSON "image" section
    (docs/segment.md, "Detection limits"): [[dL], [da], [db]] at the three
    areas, or None when absent or not finite."""
    out = []
    for c in ("dL", "da", "db"):
        d = image_json.get("detection_limit_" + c)
        if not isinstance(d, dict):
            return None
        v = [d.get(k) for k in LIMIT_KEYS]
        if any(x is None or not x > 0 for x in v):
            return None
        out.append([float(x) for x in v])
    return out


def limit_at(values, area_mm2):
    """A limit at any area: linear in log(area) and log(limit) between the
    three areas, the end segments extended."""
    la = [math.log(a) for a in LIMIT_AREAS_MM2]
    lv = [math.log(v) for v in values]
    x = math.log(area_mm2)
    k = 0 if x < la[1] else 1
    return math.exp(lv[k] + (lv[k + 1] - lv[k]) * (x - la[k]) / (la[k + 1] - la[k]))


def contrast_to_limit(lab_inside, lab_ring, area_mm2, limits):
    """How far a lesion's true contrast (inside - ring, per channel) is above
    the photo's limits at its area: sqrt(sum_c (d_c / limit_c)^2), the
    region test's chi(3) norm in units of its level (>= 1: the test would
    keep a uniform patch of that contrast). None without limits."""
    if limits is None or not area_mm2 or area_mm2 <= 0:
        return None
    return math.sqrt(sum(((lab_inside[c] - lab_ring[c]) / limit_at(limits[c], area_mm2)) ** 2
                         for c in range(3)))


def limit_ceiling(lesions):
    """What a segmenter would score that outlined exactly the lesions at or
    above their photo's detection limits (contrast_to_limit >= 1), their
    true outlines, and nothing else: (median over the phantoms of the
    lesion-union Dice, recall). Truth lesions do not overlap, so a
    phantom's union is the sum of its lesions' areas and its Dice is
    2 A_above / (A_all + A_above) (1 for a phantom without lesions). A
    phantom with an unrated lesion (no limits in its JSON) is left out;
    None when none is left."""
    per, unrated = {}, set()
    for l in lesions:
        if l["contrast_to_limit"] is None:
            unrated.add(l["image"])
            continue
        t = per.setdefault(l["image"], [0.0, 0.0, 0, 0])
        above = l["contrast_to_limit"] >= 1.0
        t[0] += l["area_true"]
        t[1] += l["area_true"] if above else 0.0
        t[2] += 1
        t[3] += above
    rows = [t for name, t in per.items() if name not in unrated]
    if not rows:
        return None
    dice = [2.0 * a / (total + a) if total > 0 else 1.0 for total, a, _, _ in rows]
    return float(np.median(dice)), sum(t[3] for t in rows) / sum(t[2] for t in rows)


def met(value, target):
    op, t = target
    if value != value:  # NaN
        return "not met"
    return "met" if (value >= t if op == ">=" else value <= t) else "not met"


def fmt(v, pct=False):
    if v is None or v != v:
        return "-"
    return "%.1f%%" % (100 * v) if pct else "%.3f" % v


# ----------------------------------------------------------------------
# Phantom mode
# ----------------------------------------------------------------------

def phantom_plan(n, seed_base, layout="scattered"):
    """n phantoms: ITA categories in turn, sizes cycled independently, so every
    category sees small and large images; lesion kinds are cycled inside each
    phantom by the generator."""
    rng = np.random.default_rng(seed_base)
    plan = []
    for i in range(n):
        cat, lo, hi = ITA_CATS[i % len(ITA_CATS)]
        w, h = SIZES[(i * 5 + i // len(ITA_CATS)) % len(SIZES)]
        plan.append({
            "seed": seed_base + i,
            "ita": float(rng.uniform(lo, hi)),
            "width": w, "height": h,
            "lesions": int(rng.integers(4, 13)),
        })
        if layout == "cluster":  # the generator draws 30-60 crowded lesions
            plan[-1]["lesions"] = None
            plan[-1]["layout"] = layout
    return plan


def oracle(truth_labels, truth_json, out_labels, out_json):
    """Harness self-check: report the truth as the analysis (must give Dice 1,
    recall 1, precision 1, zero errors). Never a result of scarscore."""
    shutil.copyfile(truth_labels, out_labels)
    t = json.load(open(truth_json))
    regions = [{"id": l["id"], "area_px": l["area_px"], "area_mm2": l["area_mm2"],
                "delta_e00": l["delta_e00"]} for l in t["lesions"]]
    json.dump({"regions": regions}, open(out_json, "w"))


def true_outline_oracle(truth_labels, truth_json, out_json):
    """Harness self-check of --true-outline: what scar_measure would return
    if it measured the truth exactly (regions numbered by increasing label
    value, as scar_measure does). Never a result of scarscore."""
    values = sorted(int(v) for v in np.unique(read_labels(truth_labels)) if v > 0)
    de = {l["id"]: l["delta_e00"] for l in json.load(open(truth_json))["lesions"]}
    json.dump({"regions": [{"id": k + 1, "delta_e00": de.get(v)}
                           for k, v in enumerate(values)]}, open(out_json, "w"))


def true_outline_de(truth_labels_arr, out_json):
    """{truth label value: delta_e00} from a scar_measure JSON of the truth
    label map (its region k is the k-th smallest non-zero value)."""
    values = sorted(int(v) for v in np.unique(truth_labels_arr) if v > 0)
    out = {}
    for r in json.load(open(out_json)).get("regions", []):
        k = int(r["id"])
        if 1 <= k <= len(values):
            out[values[k - 1]] = r.get("delta_e00")
    return out


def analyse_phantoms(args):
    phantom_bin = find_tool("scarscore-phantom", args.phantom)
    if args.true_outline and args.analyzer:
        die("--true-outline measures with scarscore (analyze --regions); it cannot "
            "be combined with --analyzer")
    scarscore = None if (args.self_test or args.analyzer) else find_tool("scarscore", args.scarscore)
    os.makedirs(args.scratch, exist_ok=True)
    plan = phantom_plan(args.n, args.seed_base, args.layout)
    images, lesions, failures = [], [], []
    t_gen = t_an = 0.0
    for k, ph in enumerate(plan):
        prefix = os.path.join(args.scratch,
                              ("cl%03d" if args.layout == "cluster" else "ph%03d") % k)
        truth_json = prefix + "_truth.json"
        if not (args.reuse and os.path.exists(truth_json)):
            cmd = [phantom_bin, "--seed", str(ph["seed"]), "--width", str(ph["width"]),
                   "--height", str(ph["height"]), "--ita", "%.4f" % ph["ita"],
                   "--out", prefix]
            if ph["lesions"] is not None:
                cmd += ["--lesions", str(ph["lesions"])]
            if "layout" in ph:
                cmd += ["--layout", ph["layout"]]
            if args.texture != "clean":
                cmd += ["--texture", args.texture]
            rc, err, dt = run(cmd, args.timeout)
            t_gen += dt
            if rc != 0:
                die("scarscore-phantom failed (%d): %s" % (rc, err))
        truth = json.load(open(truth_json))
        if truth.get("texture", "clean") != args.texture:
            die("%s: rendered with --texture %s, not %s: use another --scratch "
                "or leave out --reuse" % (truth_json, truth.get("texture", "clean"),
                                          args.texture))
        img = prefix + ".jpg"
        out_labels, out_json = prefix + "_out_labels.png", prefix + "_out.json"
        for f in (out_labels, out_json):
            if os.path.exists(f):
                os.remove(f)
        ppm = "%.6f" % truth["px_per_mm"]
        if args.self_test:
            oracle(prefix + "_labels.png", truth_json, out_labels, out_json)
            rc, err, dt = 0, "", 0.0
        elif args.analyzer:
            cmd = args.analyzer.format(
                image=shlex.quote(img), px_per_mm=ppm, labels=shlex.quote(out_labels),
                json=shlex.quote(out_json), truth_labels=shlex.quote(prefix + "_labels.png"),
                truth_json=shlex.quote(truth_json))
            rc, err, dt = run(cmd, args.timeout)
        else:
            cmd = [scarscore, "analyze", img, "--px-per-mm", ppm,
                   "--labels", out_labels, "--json", out_json]
            rc, err, dt = run(cmd, args.timeout)
        t_an += dt
        tl = read_labels(prefix + "_labels.png")
        outline_de = {}
        if args.true_outline:
            true_json = prefix + "_true_outline.json"
            if os.path.exists(true_json):
                os.remove(true_json)
            if args.self_test:
                true_outline_oracle(prefix + "_labels.png", truth_json, true_json)
                rc2, err2 = 0, ""
            else:
                rc2, err2, _ = run([scarscore, "analyze", img, "--px-per-mm", ppm,
                                    "--regions", prefix + "_labels.png",
                                    "--json", true_json], args.timeout)
            if rc2 != 0 or not os.path.exists(true_json):
                failures.append((img + " (--regions truth)", rc2, err2))
            else:
                outline_de = true_outline_de(tl, true_json)
        pred, regions, limits = None, {}, None
        if rc == 0 and os.path.exists(out_labels) and os.path.exists(out_json):
            try:
                pred = read_labels(out_labels)
                if pred.shape != tl.shape:
                    raise ValueError("labels are %s, image is %s" % (pred.shape, tl.shape))
                doc = json.load(open(out_json))
                for r in doc.get("regions", []):
                    regions[int(r["id"])] = r
                limits = photo_limits(doc.get("image", {}))
            except Exception as e:  # a broken output is a failed analysis
                rc, err, pred = 1, str(e), None
        if pred is None:
            failures.append((img, rc, err))
            pred = np.zeros_like(tl)
        matches, t_area, p_area = match_regions(tl, pred)
        pred_ids = [int(i) for i in np.nonzero(p_area)[0] if i > 0]
        cat = truth["ita_category"]
        im = {"name": os.path.basename(img), "ita_category": cat,
              "width": truth["width"], "height": truth["height"],
              "dice": dice(tl > 0, pred > 0), "n_pred": len(pred_ids),
              "n_matched": len(matches), "seconds": dt}
        images.append(im)
        for l in truth["lesions"]:
            if not l["area_px"] or l["delta_e00"] is None:
                continue  # nothing to find (cannot happen with sane params)
            m = matches.get(l["id"])
            rec = {"image": im["name"], "id": l["id"], "kind": l["kind"],
                   "ita_category": cat, "matched": m is not None,
                   "iou": m[1] if m else 0.0, "pred_id": m[0] if m else "",
                   "de_true": l["delta_e00"], "de_pred": None,
                   "de_true_outline": outline_de.get(l["id"]),
                   "area_true": l["area_px"], "area_pred": None,
                   "contrast_to_limit": contrast_to_limit(
                       l["lab_inside"], l["lab_ring"], l["area_mm2"], limits)}
            if m:
                r = regions.get(m[0], {})
                rec["de_pred"] = r.get("delta_e00")
                rec["area_pred"] = r.get("area_px", int(p_area[m[0]]))
            lesions.append(rec)
        if args.verbose:
            print("%-10s %9s %5dx%-5d dice %.3f  truth %2d pred %2d matched %2d  %.1f s"
                  % (im["name"], cat, im["width"], im["height"], im["dice"],
                     len(truth["lesions"]), im["n_pred"], im["n_matched"], dt))

    rows = [("overall", "all", summarise(images, lesions))]
    for kind in KINDS:
        ls = [l for l in lesions if l["kind"] == kind]
        s = summarise([], ls)
        s["n_images"] = len({l["image"] for l in ls})
        s["median_dice"] = s["precision"] = float("nan")  # per image / per prediction only
        s["n_pred"] = float("nan")
        rows.append(("kind", kind, s))
    for cat, _, _ in ITA_CATS:
        ims = [i for i in images if i["ita_category"] == cat]
        rows.append(("ita", cat, summarise(ims, [l for l in lesions if l["ita_category"] == cat])))
    dices = [s["median_dice"] for g, _, s in rows if g == "ita" and s["n_images"]]
    gap = (max(dices) - min(dices)) if dices else float("nan")
    overall = rows[0][2]
    verdict = {k: met(overall[k] if k != "dice_gap_ita" else gap, t)
               for k, t in TARGETS_PHANTOM.items()}

    cols = ["median_dice", "recall", "precision", "de00_mae", "median_area_err",
            "de00_mae_true_outline"]
    extra = " %9s" % "dE00 true" if args.true_outline else ""
    head = "%-9s %-15s %6s %6s %6s %8s %8s %8s %8s %9s" % (
        "group", "name", "images", "truth", "pred", "dice", "recall", "precis.", "dE00MAE",
        "area err") + extra
    print(head)
    print("-" * len(head))
    for g, name, s in rows:
        print("%-9s %-15s %6s %6s %6s %8s %8s %8s %8s %9s" % (
            g, name, s["n_images"], s["n_truth"],
            "-" if s["n_pred"] != s["n_pred"] else s["n_pred"],
            fmt(s["median_dice"]), fmt(s["recall"]), fmt(s["precision"]),
            fmt(s["de00_mae"]), fmt(s["median_area_err"], pct=True)) +
            (" %9s" % fmt(s["de00_mae_true_outline"]) if args.true_outline else ""))
    if args.true_outline:
        print("(dE00 true: mean |dE00 - truth| of every lesion measured on its true "
              "outline, scarscore analyze --regions: the error a perfect segmentation "
              "would leave)")
    print()
    print("targets (overall):")
    labels = {"median_dice": "median Dice >= 0.90", "recall": "recall >= 0.95",
              "precision": "precision >= 0.95", "de00_mae": "dE00 MAE <= 0.4",
              "median_area_err": "median area error <= 8 %",
              "dice_gap_ita": "ITA categories within 0.05 Dice of the best"}
    for k in TARGETS_PHANTOM:
        v = gap if k == "dice_gap_ita" else overall[k]
        print("  %-46s %-9s %s" % (labels[k], fmt(v, pct=(k == "median_area_err")), verdict[k]))
    ci = None
    if args.bootstrap > 0 and images:
        ci = uncertainty.intervals(uncertainty.Units(images, lesions, [c for c, _, _ in ITA_CATS]),
                                   args.bootstrap)
        print("\n%d %% intervals over the phantoms (%d bootstrap resamples of whole phantoms; "
              "docs/accuracy.md):" % (round(100 * uncertainty.LEVEL), args.bootstrap))
        for k, _ in uncertainty.METRICS:
            pct = k == "median_area_err"
            print("  %-22s %-9s [%s, %s]" % (k, fmt(gap if k == "dice_gap_ita" else overall[k], pct),
                                              fmt(ci[k][0], pct), fmt(ci[k][1], pct)))
    rated = [l for l in lesions if l["contrast_to_limit"] is not None]
    if rated:
        above = [l for l in rated if l["contrast_to_limit"] >= 1.0]
        below = [l for l in rated if l["contrast_to_limit"] < 1.0]
        rec = lambda ls: fmt(sum(l["matched"] for l in ls) / len(ls)) if ls else "-"
        print("\nagainst each photo's own detection limits (JSON detection_limit_*):"
              "\n  %d of %d lesions at or above them, recall %s; %d below, recall %s"
              % (len(above), len(rated), rec(above), len(below), rec(below)))
        ceiling = limit_ceiling(lesions)
        if ceiling:
            print("  outlining exactly the lesions at or above them, and nothing else, "
                  "would give\n  median Dice %s, recall %s (docs/accuracy.md, "
                  "\"The ceiling of the detection limits\")" % (fmt(ceiling[0]), fmt(ceiling[1])))
    print("\n%d phantoms (%s layout, %s skin texture), %d lesions; generation %.1f s, "
          "analysis %.1f s; %d analysis failures"
          % (len(images), args.layout, args.texture, len(lesions), t_gen, t_an, len(failures)))
    for f in failures[:10]:
        print("  failed: %s (exit %d): %s" % (f[0], f[1], f[2][:300]))

    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["group", "name", "n_images", "n_truth", "n_pred"] + cols + ["target_met"])
            for g, name, s in rows:
                w.writerow([g, name, s["n_images"], s["n_truth"],
                            "" if s["n_pred"] != s["n_pred"] else s["n_pred"]] +
                           ["" if s[c] != s[c] else "%.6f" % s[c] for c in cols] + [""])
            for bound in range(2 if ci else 0):
                w.writerow(["ci95_" + ("low", "high")[bound], "all", "", "", ""] +
                           ["" if c not in ci or ci[c][bound] != ci[c][bound]
                            else "%.6f" % ci[c][bound] for c in cols] + [""])
            for k in TARGETS_PHANTOM:
                v = gap if k == "dice_gap_ita" else overall[k]
                interval = (" (95 %% interval %.6f to %.6f)" % ci[k]) if ci else ""
                w.writerow(["target", k] + [""] * (3 + len(cols)) + ["%s %s %.6f: %s%s" % (
                    TARGETS_PHANTOM[k][0], TARGETS_PHANTOM[k][1], v, verdict[k], interval)])
        det = os.path.splitext(args.csv)[0] + "_lesions.csv"
        with open(det, "w", newline="") as fh:
            keys = ["image", "id", "kind", "ita_category", "matched", "iou", "pred_id",
                    "de_true", "de_pred", "de_true_outline", "area_true", "area_pred",
                    "contrast_to_limit"]
            w = csv.DictWriter(fh, fieldnames=keys)
            w.writeheader()
            for l in lesions:
                w.writerow({k: l[k] for k in keys})
        per_image = os.path.splitext(args.csv)[0] + "_images.csv"
        with open(per_image, "w", newline="") as fh:
            keys = ["name", "ita_category", "width", "height", "dice", "n_pred", "n_matched"]
            w = csv.DictWriter(fh, fieldnames=keys)
            w.writeheader()
            for im in images:
                w.writerow({k: im[k] for k in keys})
        print("wrote %s, %s and %s" % (args.csv, det, per_image))
    return 0 if not failures else 1


def load_run(summary_csv):
    """The phantoms and lesions of a run, from the CSVs `phantoms --csv
    X.csv` wrote beside X.csv (X_images.csv, X_lesions.csv)."""
    base = os.path.splitext(summary_csv)[0]
    paths = (base + "_images.csv", base + "_lesions.csv")
    for path in paths:
        if not os.path.exists(path):
            die("%s: not found; `accuracy.py phantoms --csv %s` writes it" % (path, summary_csv))
    num = lambda v: float(v) if v not in ("", None) else None
    images = [{"name": r["name"], "ita_category": r["ita_category"], "dice": float(r["dice"]),
               "n_pred": int(r["n_pred"]), "n_matched": int(r["n_matched"])}
              for r in csv.DictReader(open(paths[0], newline=""))]
    lesions = [{"image": r["image"], "kind": r["kind"], "matched": r["matched"] == "True",
                "de_true": num(r["de_true"]), "de_pred": num(r["de_pred"]),
                "area_true": num(r["area_true"]), "area_pred": num(r["area_pred"])}
               for r in csv.DictReader(open(paths[1], newline=""))]
    known = {im["name"] for im in images}
    stray = sorted({l["image"] for l in lesions} - known)
    if stray:
        die("%s: lesions of phantoms %s are not in %s" % (paths[1], ", ".join(stray[:3]), paths[0]))
    return images, lesions


def compare_real(args, path_a, path_b):
    """Two real-mode runs (their X_images.csv): each set's mean and
    thresholded Jaccard, the change and its paired 95 % interval."""
    ra = list(csv.DictReader(open(path_a, newline="")))
    rb = {r["image"]: r for r in csv.DictReader(open(path_b, newline=""))}
    if sorted(rb) != sorted(r["image"] for r in ra):
        die("%s and %s are not runs on the same photos" % (args.a, args.b))
    print("%-26s %9s %9s %9s   %-21s %s" % ("figure", "A", "B", "B - A",
                                           "95 % interval of B - A", "verdict"))
    sets = ["all"] + sorted({r["set"] for r in ra})
    for name in sets:
        rows = [r for r in ra if name == "all" or r["set"] == name]
        for key, label in (("jaccard", "mean J"), ("thresholded", "thresholded J")):
            a = [float(r[key]) for r in rows]
            b = [float(rb[r["image"]][key]) for r in rows]
            ma, mb, d, lo, hi, verdict = uncertainty.paired_means(a, b, args.bootstrap)
            print("%-26s %9.3f %9.3f %9.3f   [%8.3f, %8.3f]   %s"
                  % ("%s %s" % (label, name), ma, mb, d + 0.0, lo, hi, verdict))
    print("\nA = %s, B = %s: %d photos; %d paired bootstrap resamples of the photos "
          "(docs/accuracy.md)" % (args.a, args.b, len(ra), args.bootstrap))
    return 0


def compare_runs(args):
    """Run B against run A on the same phantoms (or, for two runs of the
    real mode, the same photos), each overall figure with the 95 %
    interval of B - A over paired resamples."""
    real = [os.path.splitext(p)[0] + "_images.csv" for p in (args.a, args.b)]
    if all(os.path.exists(p) for p in real):
        with open(real[0], newline="") as fh:
            if "jaccard" in (csv.DictReader(fh).fieldnames or []):
                return compare_real(args, *real)
    cats = [c for c, _, _ in ITA_CATS]
    (ia, la), (ib, lb) = load_run(args.a), load_run(args.b)
    order = {im["name"]: k for k, im in enumerate(ia)}
    lesions_per_phantom = lambda ls: collections.Counter(l["image"] for l in ls)
    if set(order) != {im["name"] for im in ib} or \
            lesions_per_phantom(la) != lesions_per_phantom(lb):
        die("%s and %s are not runs on the same phantoms (the phantoms or their lesions "
            "differ); render both with the same --n, --seed-base, --layout and --texture"
            % (args.a, args.b))
    ib = sorted(ib, key=lambda im: order[im["name"]])
    res = uncertainty.paired(uncertainty.Units(ia, la, cats), uncertainty.Units(ib, lb, cats),
                             args.bootstrap)
    print("%-22s %9s %9s %9s   %-21s %s" % ("figure", "A", "B", "B - A",
                                           "95 % interval of B - A", "verdict"))
    kinds = [k for k in res if k.startswith("recall ") and "tone" not in k]
    tones = [(k, k.split(" ")[0] + " " + cats[int(k.split("tone")[1])])
             for k in res if " tone" in k]
    rows = [(m, m) for m, _ in uncertainty.METRICS] + [(k, k) for k in kinds] + tones
    for k, label in rows:
        if kinds and k == kinds[0]:
            print("by lesion kind:")
        if tones and k == tones[0][0]:
            print("by skin tone (ITA category):")
        a, b, d, lo, hi, verdict = res[k]
        pct = k == "median_area_err"
        d += 0.0  # no "-0.000"
        print("%-22s %9s %9s %9s   [%8s, %8s]   %s" % (label, fmt(a, pct), fmt(b, pct),
                                                    fmt(d, pct), fmt(lo, pct), fmt(hi, pct),
                                                    verdict))
    print("\nA = %s, B = %s: %d phantoms, %d lesions; %d paired bootstrap resamples of whole "
          "phantoms (docs/accuracy.md)" % (args.a, args.b, len(ia), len(la), args.bootstrap))
    return 0


# ----------------------------------------------------------------------
# Real-photo mode
# ----------------------------------------------------------------------

def overlay(img_path, labels, out_path):
    """The photo with region outlines in green (truth, if any, is not drawn)."""
    im = np.array(ImageOps.exif_transpose(Image.open(img_path)).convert("RGB"))
    if labels.shape != im.shape[:2]:
        return
    im[outline_pixels(labels)] = (0, 255, 0)
    Image.fromarray(im).save(out_path)


def outline_pixels(lab):
    """Pixels of a region (label > 0) with a 4-neighbour of another label,
    or on the image's edge: the region's whole closed outline (marking only
    the first pixel of each differing pair drew the bottom and right sides
    alone)."""
    pad = np.pad(lab, 1, mode="constant", constant_values=-1)
    c = pad[1:-1, 1:-1]
    edge = ((pad[:-2, 1:-1] != c) | (pad[2:, 1:-1] != c) |
            (pad[1:-1, :-2] != c) | (pad[1:-1, 2:] != c))
    return edge & (lab > 0)


def analyse_real(args):
    scarscore = None if args.analyzer else find_tool("scarscore", args.scarscore)
    manifest = args.manifest or os.path.join(args.data, "manifest.csv")
    if not os.path.exists(manifest):
        die("%s: no manifest.csv (columns image, mask, kind, condition, licence)" % manifest)
    os.makedirs(args.scratch, exist_ok=True)
    if args.overlays:
        os.makedirs(args.overlays, exist_ok=True)
    rows = list(csv.DictReader(open(manifest, newline="")))
    results, failures, unmasked = [], [], []
    for k, row in enumerate(rows):
        masked = bool(row.get("mask", "").strip())
        if not masked and not args.overlays:
            continue
        img = os.path.join(args.data, row["image"])
        out_labels = os.path.join(args.scratch, "real%03d_labels.png" % k)
        out_json = os.path.join(args.scratch, "real%03d.json" % k)
        for f in (out_labels, out_json):
            if os.path.exists(f):
                os.remove(f)
        single = masked  # masked sets are one dominant lesion per photo
        if args.analyzer:
            cmd = args.analyzer.format(
                image=shlex.quote(img), labels=shlex.quote(out_labels), json=shlex.quote(out_json),
                mask=shlex.quote(os.path.join(args.data, row["mask"])) if masked else "''",
                single_lesion="--single-lesion" if single else "")
        else:
            cmd = [scarscore, "analyze", img] + (["--single-lesion"] if single else []) + \
                  ["--labels", out_labels, "--json", out_json]
        rc, err, dt = run(cmd, args.timeout)
        pred = None
        if rc == 0 and os.path.exists(out_labels):
            try:
                pred = read_labels(out_labels)
            except Exception as e:
                rc, err = 1, str(e)
        if args.overlays and pred is not None:
            overlay(img, pred, os.path.join(args.overlays, os.path.basename(
                os.path.splitext(row["image"])[0]) + "_overlay.png"))
        if not masked:
            if pred is not None:  # the photos users bring: how many regions
                lim = None
                try:
                    lim = photo_limits(json.load(open(out_json)).get("image", {}))
                except (OSError, ValueError):
                    pass
                unmasked.append((row["image"], int(len(np.unique(pred))) - int((pred == 0).any()),
                                 [l[1] for l in lim] if lim else None))
                if args.verbose:
                    print("%-40s %d regions (no mask)%s" % (
                        unmasked[-1][0], unmasked[-1][1],
                        "; 10 mm2 limits dL %.1f da %.1f db %.1f" % tuple(unmasked[-1][2])
                        if unmasked[-1][2] else ""))
            continue
        truth = np.array(ImageOps.exif_transpose(
            Image.open(os.path.join(args.data, row["mask"]))).convert("L")) > 128
        if pred is None or pred.shape != truth.shape:
            failures.append((img, rc, err if pred is None else "labels size differs from mask"))
            pred = np.zeros(truth.shape, np.int64)
        p = pred > 0
        union = int(np.logical_or(p, truth).sum())
        j = int(np.logical_and(p, truth).sum()) / union if union else 1.0
        results.append({"image": row["image"], "set": row["image"].split("/")[0],
                        "condition": row.get("condition", ""), "jaccard": j,
                        "thresholded": j if j >= ISIC_THRESHOLD else 0.0,
                        "dice": 2 * j / (1 + j), "seconds": dt})
        if args.verbose:
            print("%-40s J %.3f  %.1f s" % (row["image"], j, dt))
    if not results:
        die("no masked images in %s" % manifest)
    groups = [("all", results)] + [(s, [r for r in results if r["set"] == s])
                                   for s in sorted({r["set"] for r in results})]
    print("%-12s %6s %10s %12s %10s   %-16s %s" % ("set", "images", "mean J", "thresh. J",
                                                   "mean Dice", "95 % mean J", "95 % thresh. J"))
    summary = {}
    for name, rs in groups:
        mj = float(np.mean([r["jaccard"] for r in rs]))
        tj = float(np.mean([r["thresholded"] for r in rs]))
        md = float(np.mean([r["dice"] for r in rs]))
        cj = uncertainty.mean_interval([r["jaccard"] for r in rs])
        ct = uncertainty.mean_interval([r["thresholded"] for r in rs])
        summary[name] = (len(rs), mj, tj, md, cj, ct)
        print("%-12s %6d %10.3f %12.3f %10.3f   [%.3f, %.3f]   [%.3f, %.3f]"
              % ((name, len(rs), mj, tj, md) + cj + ct))
    print("(95 %% intervals: %d bootstrap resamples of the set's images)" % uncertainty.N_BOOT)
    n, mj, tj = summary["all"][:3]
    v1 = met(mj, TARGETS_REAL["mean_jaccard"])
    v2 = met(tj, TARGETS_REAL["thresholded_jaccard"])
    print("\ntargets:\n  %-34s %.3f %s\n  %-34s %.3f %s" % (
        "mean Jaccard >= 0.90", mj, v1, "thresholded Jaccard >= 0.88", tj, v2))
    if unmasked:
        print("unmasked photos (--overlays): %d, %d regions in all" % (
            len(unmasked), sum(u[1] for u in unmasked)))
        lims = [u[2] for u in unmasked if u[2]]
        if lims:
            med = np.median(np.array(lims), axis=0)
            print("  their median detection limits for a 10 mm2 patch (no scale given: "
                  "10 px/mm assumed): dL %.1f, da %.1f, db %.1f (%d photos)"
                  % (med[0], med[1], med[2], len(lims)))
    print("%d analysis failures" % len(failures))
    for f in failures[:10]:
        print("  failed: %s (exit %d): %s" % (f[0], f[1], f[2][:300]))
    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["set", "n_images", "mean_jaccard", "thresholded_jaccard", "mean_dice",
                        "mean_jaccard_ci95_low", "mean_jaccard_ci95_high",
                        "thresholded_jaccard_ci95_low", "thresholded_jaccard_ci95_high"])
            for name, (cnt, a, b, c, cj, ct) in summary.items():
                w.writerow([name, cnt] + ["%.6f" % v for v in (a, b, c) + cj + ct])
            w.writerow(["target mean_jaccard >= 0.90", "", "%.6f" % mj, "", v1])
            w.writerow(["target thresholded_jaccard >= 0.88", "", "", "%.6f" % tj, v2])
        det = os.path.splitext(args.csv)[0] + "_images.csv"
        with open(det, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(results[0].keys()))
            w.writeheader()
            w.writerows(results)
        print("wrote %s and %s" % (args.csv, det))
    return 0 if not failures else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--scarscore", help="path of the scarscore CLI (default: PATH, then build*/cli)")
    common.add_argument("--scratch", default="/tmp/scarscore-accuracy",
                        help="folder for generated images and outputs (default %(default)s)")
    common.add_argument("--csv", help="write the summary table here (and a per-lesion / per-image CSV beside it)")
    common.add_argument("--timeout", type=int, default=900, help="seconds per command")
    common.add_argument("-v", "--verbose", action="store_true", help="one line per image")
    p = sub.add_parser("phantoms", parents=[common], help="synthetic phantoms with known truth")
    p.add_argument("--n", type=int, default=60, help="number of phantoms (default 60, at least 60 for the report)")
    p.add_argument("--seed-base", type=int, default=1000, help="first seed (default %(default)s)")
    p.add_argument("--layout", choices=("scattered", "cluster"), default="scattered",
                   help="scattered lesions with clean rings (default), or crowded acne "
                        "scars and marks as on a scarred cheek (docs/phantom.md)")
    p.add_argument("--texture", choices=("clean", "real"), default="real",
                   help="healthy skin as varied as real acne-scar photos (default; "
                        "docs/accuracy.md, \"Skin texture\"), or as calm as the "
                        "benchmark's up to session 15")
    p.add_argument("--phantom", help="path of scarscore-phantom (default: PATH, then build*/samples/phantom)")
    p.add_argument("--reuse", action="store_true", help="keep phantoms already in --scratch")
    p.add_argument("--analyzer", help="analyse with this shell command instead of scarscore; "
                   "placeholders {image} {px_per_mm} {labels} {json} (and, for harness checks only, "
                   "{truth_labels} {truth_json})")
    p.add_argument("--true-outline", action="store_true",
                   help="also measure each phantom's true outlines (scarscore analyze --regions): "
                        "the dE00 error left by a perfect segmentation, column 'dE00 true'")
    p.add_argument("--bootstrap", type=int, default=uncertainty.N_BOOT,
                   help="resamples of whole phantoms for the 95 %% intervals of the overall "
                        "figures (default %(default)s; 0: none)")
    p.add_argument("--self-test", action="store_true",
                   help="check the harness itself: report the truth as the analysis (must give 1, 1, 1, 0, 0)")
    r = sub.add_parser("real", parents=[common], help="real photos with expert masks")
    r.add_argument("--data", required=True, help="folder of real photos with manifest.csv (columns image, mask, kind, condition, licence)")
    r.add_argument("--manifest", help="manifest path (default DATA/manifest.csv)")
    r.add_argument("--overlays", help="also analyse unmasked photos and write outline overlays here")
    r.add_argument("--analyzer", help="shell command instead of scarscore; placeholders {image} "
                   "{labels} {json} {single_lesion} (and {mask} for harness checks only)")
    c = sub.add_parser("compare", help="two runs on the same phantoms (or real photos): each "
                       "figure's change with its 95 %% interval")
    c.add_argument("a", metavar="A.csv", help="summary CSV of the first run (phantoms or real --csv)")
    c.add_argument("b", metavar="B.csv", help="summary CSV of the second run, same phantoms or photos")
    c.add_argument("--bootstrap", type=int, default=uncertainty.N_BOOT,
                   help="paired resamples of the phantoms or photos (default %(default)s)")
    args = ap.parse_args()
    if args.mode == "compare":
        if args.bootstrap < 1:
            die("--bootstrap must be >= 1")
        return compare_runs(args)
    if args.mode == "phantoms":
        if args.n < 1:
            die("--n must be >= 1")
        return analyse_phantoms(args)
    return analyse_real(args)


if __name__ == "__main__":
    sys.exit(main())
