#!/usr/bin/python3
"""Reference values for tests/test_compare.c, computed with scipy.stats
(Debian 12: scipy 1.10.1, numpy 1.24; mpmath 1.2 for the t quantile) — an implementation independent of
lib/compare. Writes tests/data/compare/paired_ref.txt and special_ref.txt.

Run:  /usr/bin/python3 tests/reference/gen_compare_ref.py
Floats are written with repr() (shortest round-trip), so the C test reads
exactly the doubles scipy saw. The datasets come from a fixed seed.

paired_ref.txt, one block per dataset:
  data NAME N KIND          KIND = paired | diff
  b v1 ... vN               before values (paired only; 'nan' = missing)
  a v1 ... vN               after values, or the differences (diff)
  k KEY VALUE               expected field of scar_paired_stats
  end
special_ref.txt, one case per line:
  betainc a b x I_x(a,b)            scipy.special.betainc
  tp2 t df p                        2 * scipy.stats.t.sf(|t|, df)
  tcdf t df p                       scipy.stats.t.cdf
  tppf p df q                       mpmath, 40 digits (see t_ppf)
  sign k m p                        scipy.stats.binomtest(k, m, 0.5).pvalue
  wexact wplus m p                  scipy.stats.wilcoxon(method='exact')
"""
import math
import os
import warnings

import mpmath
import numpy as np
from scipy import special, stats

warnings.simplefilter("ignore")
mpmath.mp.dps = 40


def t_ppf(p, df):
    """Student-t quantile to 40 digits with mpmath. scipy 1.10's
    stats.t.ppf (cephes stdtri) is only good to ~1e-9 relative — e.g.
    t.ppf(0.975, 39) = 2.022690911734728 against the true 2.02269092003676 —
    too coarse for a 1e-10 reference, so the CI uses this instead."""
    p = mpmath.mpf(p)
    def cdf(t):
        x = df / (df + t * t)
        tail = mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, x,
                              regularized=True) / 2
        return 1 - tail if t >= 0 else tail
    q = mpmath.findroot(lambda t: cdf(t) - p, mpmath.mpf(stats.t.ppf(float(p), df)))
    return float(q)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "compare")
rng = np.random.default_rng(20240607)


def expected(before, after, kind):
    b = np.asarray(before, float)
    a = np.asarray(after, float)
    d_all = a - b if kind == "paired" else a
    keep = ~np.isnan(d_all)
    d = d_all[keep]
    n = len(d)
    e = {"n": n, "n_dropped": len(d_all) - n}
    nz = d[d != 0]
    m = len(nz)
    e["n_nonzero"] = m
    e["n_positive"] = int(np.sum(d > 0))
    e["n_negative"] = int(np.sum(d < 0))
    nan = float("nan")
    if kind == "paired" and n > 0:
        e["mean_before"] = float(np.mean(b[keep]))
        e["mean_after"] = float(np.mean(a[keep]))
    else:
        e["mean_before"] = e["mean_after"] = nan
    e["mean_diff"] = float(np.mean(d)) if n else nan
    e["median_diff"] = float(np.median(d)) if n else nan
    if n >= 2:
        sd = float(np.std(d, ddof=1))
        se = sd / math.sqrt(n)
        e["sd_diff"], e["se_diff"], e["df"] = sd, se, n - 1
        q = t_ppf(0.975, n - 1)
        e["ci95_low"] = e["mean_diff"] - q * se
        e["ci95_high"] = e["mean_diff"] + q * se
        if kind == "paired":
            r = stats.ttest_rel(a[keep], b[keep])
        else:
            r = stats.ttest_1samp(d, 0.0)
        e["t"], e["p_t"] = float(r.statistic), float(r.pvalue)
        e["cohens_dz"] = e["mean_diff"] / sd if sd > 0 else math.copysign(math.inf, e["mean_diff"]) if e["mean_diff"] != 0 else nan
        v = n - 1
        if n >= 3:
            j = math.exp(special.gammaln(v / 2) - special.gammaln((v - 1) / 2)) / math.sqrt(v / 2)
            e["hedges_gz"] = e["cohens_dz"] * j
        else:
            e["hedges_gz"] = nan
    else:
        for k in ("sd_diff", "se_diff", "df", "ci95_low", "ci95_high", "t", "p_t",
                  "cohens_dz", "hedges_gz"):
            e[k] = nan
    if m > 0:
        ranks = stats.rankdata(np.abs(nz))
        wp = float(np.sum(ranks[nz > 0]))
        wm = float(np.sum(ranks[nz < 0]))
        ties = len(np.unique(np.abs(nz))) < m
        exact = (m <= 50) and not ties
        if exact:
            r = stats.wilcoxon(nz, method="exact")
            z = nan
        else:
            r = stats.wilcoxon(nz, method="approx", correction=False)
            z = float(r.zstatistic) * (1 if wp <= wm else -1)
        assert float(r.statistic) == min(wp, wm)
        e["wilcoxon_w_plus"], e["wilcoxon_w_minus"] = wp, wm
        e["wilcoxon_z"], e["p_wilcoxon"] = z, float(r.pvalue)
        e["wilcoxon_exact"] = int(exact)
        e["p_sign"] = float(stats.binomtest(e["n_positive"], m, 0.5).pvalue)
        e["rank_biserial"] = (wp - wm) / (wp + wm)
    else:
        e["wilcoxon_w_plus"] = e["wilcoxon_w_minus"] = 0.0
        e["wilcoxon_z"] = e["p_wilcoxon"] = e["p_sign"] = e["rank_biserial"] = nan
        e["wilcoxon_exact"] = 0
    return e


def datasets():
    def cont(n, shift, sd=5.0, base=40.0, dec=None):
        b = rng.normal(base, 8.0, n)
        a = b + rng.normal(shift, sd, n)
        if dec is not None:
            b, a = np.round(b, dec), np.round(a, dec)
        return b, a

    yield "n2", *cont(2, 1.0)
    yield "n3", *cont(3, -2.0)
    yield "n5", *cont(5, 3.0)
    yield "n10", *cont(10, -1.5)
    yield "n15_ties", *cont(15, -2.0, dec=0)
    b, a = cont(20, 1.0, dec=1)
    a[[2, 7, 11]] = b[[2, 7, 11]]          # zeros
    yield "n20_zeros", b, a
    yield "n25", *cont(25, 0.5)
    b, a = cont(30, -1.0, sd=2.0, dec=0)    # ties and zeros
    yield "n30_ties_zeros", b, a
    # Fabbrocini-like: 32 patients, a scar score at baseline and after two
    # needling sessions (lower = better), two decimals.
    yield "fabbrocini32", *cont(32, -4.0, sd=6.0, base=35.0, dec=2)
    yield "n40", *cont(40, 1.2)
    yield "n50_exact", *cont(50, -1.0)
    yield "n51_approx", *cont(51, -1.0)
    yield "n60", *cont(60, 0.7)
    yield "n60_int_ties", *cont(60, -1.0, sd=3.0, dec=0)
    b = np.round(rng.normal(40, 8, 8), 1)
    yield "all_equal_diff", b, b + 2.5
    b = rng.normal(40, 8, 6)
    yield "all_zero", b, b.copy()
    b, a = cont(12, -3.0)
    b[[1, 5]] = np.nan
    a[[5, 9]] = np.nan
    yield "nan_pairs", b, a
    b, a = cont(3, 1.0)
    a[0] = np.nan
    b[2] = np.nan
    yield "nan_leaves_one", b, a
    b, a = cont(45, 20.0, sd=2.0)           # every difference positive
    yield "n45_all_positive", b, a
    b, a = cont(55, -1.0)
    a[:7] = b[:7]                            # 48 non-zero: exact on them
    yield "n55_zeros_exact", b, a
    b, a = cont(20, 0.001, sd=0.01, base=1e6)  # large offset, tiny changes
    yield "offset_1e6", b, a


def fmt(x):
    return repr(float(x)) if isinstance(x, (float, np.floating)) else str(x)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "paired_ref.txt"), "w") as f:
        f.write("# generated by tests/reference/gen_compare_ref.py (scipy %s)\n"
                % __import__("scipy").__version__)
        for item in datasets():
            name, b, a = item
            n = len(b)
            f.write("data %s %d paired\n" % (name, n))
            f.write("b " + " ".join(repr(float(v)) for v in b) + "\n")
            f.write("a " + " ".join(repr(float(v)) for v in a) + "\n")
            for k, v in expected(b, a, "paired").items():
                f.write("k %s %s\n" % (k, fmt(v)))
            f.write("end\n")
        # one-sample form on differences
        d = np.round(rng.normal(-1.0, 3.0, 24), 1)
        d[4] = np.nan
        d[10] = 0.0
        f.write("data diff24 %d diff\n" % len(d))
        f.write("a " + " ".join(repr(float(v)) for v in d) + "\n")
        for k, v in expected(np.zeros(len(d)), d, "diff").items():
            f.write("k %s %s\n" % (k, fmt(v)))
        f.write("end\n")

    with open(os.path.join(OUT, "special_ref.txt"), "w") as f:
        for a_ in (0.5, 1.0, 2.5, 15.0, 30.0, 200.0):
            for b_ in (0.5, 1.0, 3.0, 29.5):
                for x in (1e-6, 0.01, 0.3, 0.5, 0.77, 0.99, 0.999999):
                    f.write("betainc %r %r %r %r\n" % (a_, b_, x, float(special.betainc(a_, b_, x))))
        for df in (1, 2, 3, 4, 5, 7, 10, 19, 31, 49, 59, 100, 1000, 1e5):
            for t in (0.0, 1e-8, 0.1, 0.7, 1.5, 2.0, 3.7, 8.0, 40.0, 1e3):
                f.write("tp2 %r %r %r\n" % (t, float(df), float(2 * stats.t.sf(t, df))))
            for t in (-30.0, -2.5, -0.3, 0.3, 2.5, 30.0):
                f.write("tcdf %r %r %r\n" % (t, float(df), float(stats.t.cdf(t, df))))
            for p in (1e-12, 1e-6, 0.001, 0.025, 0.3, 0.6, 0.9, 0.975, 0.995, 0.999999):
                f.write("tppf %r %r %r\n" % (p, float(df), t_ppf(p, df)))
        for m in (1, 2, 3, 7, 10, 25, 32, 60, 200, 999, 1000, 1001, 3000):
            for k in sorted({0, 1, m // 4, m // 2 - 1, m // 2, (m + 1) // 2, m - 3, m}):
                if 0 <= k <= m:
                    f.write("sign %d %d %r\n" % (k, m, float(stats.binomtest(k, m, 0.5).pvalue)))
        for m in list(range(1, 11)) + [15, 20, 26, 33, 41, 49, 50]:
            total = m * (m + 1) // 2
            ws = range(total + 1) if m <= 10 else sorted(
                {0, 1, 2, 5, total // 10, total // 4, total // 3, total // 2 - 1,
                 total // 2, total // 2 + 1, total - 7, total})
            for w in ws:
                # a sign pattern on ranks 1..m whose positive ranks sum to w
                pos, rest = set(), w
                for r in range(m, 0, -1):
                    if r <= rest:
                        pos.add(r)
                        rest -= r
                assert rest == 0
                d = [float(r) if r in pos else -float(r) for r in range(1, m + 1)]
                p = float(stats.wilcoxon(d, method="exact").pvalue)
                f.write("wexact %d %d %r\n" % (w, m, p))


if __name__ == "__main__":
    main()
