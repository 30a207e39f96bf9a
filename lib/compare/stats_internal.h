/* stats_internal.h — internal: special functions and the rank/sign tests
 * behind scar_paired_stats_compute() (lib/compare). Never installed.
 *
 * Every function is pure (no global or static mutable state; lgamma() from
 * libm is deliberately not used because glibc's writes the global `signgam`),
 * so all of them may run concurrently. Definitions and sources:
 * docs/compare.md. */
#ifndef SCAR_COMPARE_STATS_INTERNAL_H
#define SCAR_COMPARE_STATS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* ln Gamma(x) for x > 0: upward recurrence to x >= 10, then the Stirling
 * series with Bernoulli terms up to B14 (truncation error < 3e-17 / x^15).
 * NaN for x <= 0 or NaN. */
double scar__lgamma(double x);

/* Regularized incomplete beta I_x(a, b) for a, b > 0 and x in [0, 1], with
 * y = 1 - x supplied by the caller (so that x close to 1 loses nothing).
 * *ix = I_x(a, b) and *iy = 1 - I_x(a, b) = I_y(b, a); the smaller of the two
 * is computed directly by the continued fraction (modified Lentz), the other
 * as its complement, so both tails are accurate to relative ~1e-14 for
 * moderate a, b. Returns 0, or -1 when the fraction did not converge (outputs
 * NaN then). */
int scar__betainc(double a, double b, double x, double y, double *ix, double *iy);

/* Two-sided Student-t p-value P(|T_df| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2).
 * t = +-inf -> 0; NaN t or df <= 0 -> NaN. */
double scar__t_p2(double t, double df);

/* Student-t CDF P(T_df <= t). */
double scar__t_cdf(double t, double df);

/* Student-t quantile: the q with P(T_df <= q) = p, 0 < p < 1, df > 0
 * (safeguarded Newton on the CDF, bracket kept, relative tolerance 4 ulp).
 * NaN for arguments out of range. */
double scar__t_quantile(double p, double df);

/* Binomial(m, 1/2) lower tail P(X <= k) (k <= m). Exact summation of the
 * pmf for m <= 1000, incomplete beta I_{1/2}(m - k, k + 1) above. */
double scar__binom_half_cdf(uint64_t k, uint64_t m);

/* Two-sided exact sign-test p-value for k successes in m trials under
 * p = 1/2, as scipy.stats.binomtest(k, m, 0.5).pvalue: 1 when 2k = m,
 * otherwise min(1, 2 P(X <= min(k, m - k))). NaN when m = 0. */
double scar__sign_test_p(uint64_t k, uint64_t m);

/* Largest number of non-zero differences for which the exact Wilcoxon null
 * distribution is used (the counts stay below 2^50, exact in uint64). */
#define SCAR__WILCOXON_EXACT_MAX 50

/* Wilcoxon signed-rank test of non-zero differences d[0..m-1] ('wilcox'
 * zero method: the caller has dropped zeros). Ranks of |d| with mid-ranks
 * for ties. Exact two-sided p when m <= SCAR__WILCOXON_EXACT_MAX and no two
 * |d| are equal, else the normal approximation with tie correction and no
 * continuity correction (scipy.stats.wilcoxon defaults). `scratch` holds m
 * doubles. m = 0 -> sums 0, z and p NaN, exact 0. */
typedef struct scar__wilcoxon {
    double w_plus, w_minus; /* rank sums of positive / negative differences */
    double z;               /* (w_plus - m(m+1)/4) / se; NaN when exact */
    double p;               /* two-sided */
    int exact;              /* 1: exact null distribution used */
    int ties;               /* 1: some |d| are equal */
} scar__wilcoxon;

void scar__wilcoxon_test(const double *d, size_t m, double *scratch, scar__wilcoxon *out);

/* Exact two-sided p of the signed-rank test for integer W+ = w_plus and m
 * distinct ranks 1..m, m <= SCAR__WILCOXON_EXACT_MAX, as scipy 1.10
 * (method='exact'): 1 when W+ = floor(M/2), M = m(m+1)/2, else
 * min(1, 2 min(P(W <= W+), P(W >= W+))). */
double scar__wilcoxon_exact_p(uint64_t w_plus, unsigned m);

#endif
