"""How much the accuracy benchmark's figures move with the choice of
phantoms or photos (docs/accuracy.md, "How sure the figures are").

The unit of the benchmark is the phantom: its lesions share one skin, one
light and one JPEG, so they are not independent, and neither are a
phantom's false regions. The intervals here resample whole phantoms with
replacement (the nonparametric bootstrap, Efron & Tibshirani 1993, ch. 13:
percentile intervals) and recompute every overall figure from the
resampled set exactly as the report does. Two runs on the same phantoms
are compared by resampling the same phantoms for both (paired), so the
interval is that of the difference, not of each figure. The real mode's
per-photo Jaccard indices are resampled the same way (mean_interval,
paired_means).

Only numpy is needed. Resampling is seeded: the same inputs give the same
intervals."""

import numpy as np

# the overall figures of the report, and which way is better
METRICS = (("median_dice", +1), ("recall", +1), ("precision", +1),
           ("de00_mae", -1), ("median_area_err", -1), ("dice_gap_ita", -1))
N_BOOT = 2000
SEED = 0
LEVEL = 0.95


class Units:
    """The per-phantom sums the overall figures are made of, as arrays
    indexed by phantom (images in the report's order)."""

    def __init__(self, images, lesions, categories):
        names = [im["name"] for im in images]
        index = {n: k for k, n in enumerate(names)}
        n = len(images)
        self.dice = np.array([im["dice"] for im in images], float)
        self.n_pred = np.array([im["n_pred"] for im in images], float)
        self.n_tp = np.array([im["n_matched"] for im in images], float)
        self.cat = np.array([categories.index(im["ita_category"]) for im in images])
        self.n_cat = len(categories)
        self.n_truth = np.zeros(n)
        self.n_found = np.zeros(n)
        # per lesion kind: truth and found lesions per phantom
        self.kinds = sorted({les["kind"] for les in lesions if les.get("kind")})
        self.kind_truth = {k: np.zeros(n) for k in self.kinds}
        self.kind_found = {k: np.zeros(n) for k in self.kinds}
        self.de_sum = np.zeros(n)
        self.de_n = np.zeros(n)
        area = [[] for _ in range(n)]
        for les in lesions:
            k = index[les["image"]]
            self.n_truth[k] += 1
            if les.get("kind"):
                self.kind_truth[les["kind"]][k] += 1
                self.kind_found[les["kind"]][k] += bool(les["matched"])
            if not les["matched"]:
                continue
            self.n_found[k] += 1
            if les["de_pred"] is not None and les["de_true"] is not None:
                self.de_sum[k] += abs(les["de_pred"] - les["de_true"])
                self.de_n[k] += 1
            area[k].append(abs(les["area_pred"] - les["area_true"]) / les["area_true"])
        self.area = [np.array(a, float) for a in area]

    def tone(self, cat, idx):
        """Recall and precision over the phantoms idx of ITA category
        number cat."""
        sel = idx[self.cat[idx] == cat]
        t, p = self.n_truth[sel].sum(), self.n_pred[sel].sum()
        return (self.n_found[sel].sum() / t if t else float("nan"),
                self.n_tp[sel].sum() / p if p else float("nan"))

    def kind_recall(self, kind, idx):
        """Recall of one lesion kind over the phantoms idx."""
        t = self.kind_truth[kind][idx].sum()
        return self.kind_found[kind][idx].sum() / t if t else float("nan")

    def figures(self, idx):
        """The overall figures of the phantoms idx (repeats allowed), as
        summarise() and the ITA gap of the report define them."""
        nan = float("nan")
        truth, pred, de_n = self.n_truth[idx].sum(), self.n_pred[idx].sum(), self.de_n[idx].sum()
        area = np.concatenate([self.area[k] for k in idx]) if len(idx) else np.array([])
        medians = [np.median(self.dice[idx][self.cat[idx] == c])
                   for c in range(self.n_cat) if np.any(self.cat[idx] == c)]
        return {
            "median_dice": float(np.median(self.dice[idx])) if len(idx) else nan,
            "recall": self.n_found[idx].sum() / truth if truth else nan,
            "precision": self.n_tp[idx].sum() / pred if pred else (nan if not len(idx) else 0.0),
            "de00_mae": self.de_sum[idx].sum() / de_n if de_n else nan,
            "median_area_err": float(np.median(area)) if area.size else nan,
            "dice_gap_ita": float(max(medians) - min(medians)) if medians else nan,
        }


def _interval(values):
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if not v.size:
        return (float("nan"), float("nan"))
    a = 100.0 * (1.0 - LEVEL) / 2.0
    return (float(np.percentile(v, a)), float(np.percentile(v, 100.0 - a)))


def intervals(units, n_boot=N_BOOT, seed=SEED):
    """{metric: (low, high)}: LEVEL percentile intervals of the overall
    figures over n_boot resamples of the phantoms."""
    n = len(units.dice)
    rng = np.random.default_rng(seed)
    draws = {m: [] for m, _ in METRICS}
    for _ in range(n_boot):
        f = units.figures(rng.integers(0, n, n))
        for m, _ in METRICS:
            draws[m].append(f[m])
    return {m: _interval(draws[m]) for m, _ in METRICS}


def mean_interval(values, n_boot=N_BOOT, seed=SEED):
    """LEVEL percentile interval of the mean of per-image values (the real
    mode's Jaccard indices) over n_boot resamples of the images."""
    v = np.asarray(values, float)
    if not v.size:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    return _interval(v[rng.integers(0, v.size, (n_boot, v.size))].mean(axis=1))


def paired_means(a, b, n_boot=N_BOOT, seed=SEED):
    """Per-image values of two runs on the same images, in the same order
    (the real mode's Jaccard indices): (mean a, mean b, difference, low,
    high, verdict) of the mean of b - a over paired resamples of the
    images; higher is better."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = b - a
    if not d.size:
        nan = float("nan")
        return (nan, nan, nan, nan, nan, "within noise")
    lo, hi = _interval(d[np.random.default_rng(seed).integers(0, d.size, (n_boot, d.size))]
                       .mean(axis=1))
    return (float(a.mean()), float(b.mean()), float(d.mean()), lo, hi, _verdict(lo, hi, +1))


def _verdict(lo, hi, sign):
    if lo > 0 or hi < 0:
        return "better" if (lo > 0) == (sign > 0) else "worse"
    return "within noise"


def paired(a, b, n_boot=N_BOOT, seed=SEED):
    """Run b against run a on the same phantoms (units in the same order):
    {figure: (a, b, b - a, low, high, verdict)} for each overall figure,
    as "recall KIND" each lesion kind's recall, and as "recall toneC" and
    "precision toneC" those of the phantoms of ITA category number C (the
    order of the categories given to Units); the interval is that
    of b - a over paired resamples (the same phantoms drawn for both), the
    verdict "better" / "worse" when it excludes 0, else "within noise"."""
    n = len(a.dice)
    every = np.arange(n)
    kinds = [k for k in a.kinds if k in b.kinds]
    tones = [c for c in range(a.n_cat) if np.any(a.cat == c)]
    def figures(u, idx):
        f = u.figures(idx)
        for k in kinds:
            f["recall " + k] = u.kind_recall(k, idx)
        for c in tones:
            f["recall tone%d" % c], f["precision tone%d" % c] = u.tone(c, idx)
        return f
    signs = dict(METRICS, **{"recall " + k: +1 for k in kinds})
    for c in tones:
        signs["recall tone%d" % c] = signs["precision tone%d" % c] = +1
    rng = np.random.default_rng(seed)
    diffs = {m: [] for m in signs}
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        ga, gb = figures(a, idx), figures(b, idx)
        for m in signs:
            diffs[m].append(gb[m] - ga[m])
    fa, fb = figures(a, every), figures(b, every)
    out = {}
    for m, sign in signs.items():
        lo, hi = _interval(diffs[m])
        out[m] = (fa[m], fb[m], fb[m] - fa[m], lo, hi, _verdict(lo, hi, sign))
    return out
