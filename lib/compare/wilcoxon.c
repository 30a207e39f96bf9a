/* wilcoxon.c — Wilcoxon (1945) signed-rank test with the 'wilcox' zero
 * method (zero differences are dropped before ranking, as scipy's default).
 *
 * Exact null distribution: with m distinct ranks 1..m each carrying an
 * independent fair sign, W+ is the sum of a uniformly random subset of
 * {1..m}. The number of subsets with each sum s follows the knapsack
 * recurrence c_k(s) = c_{k-1}(s) + c_{k-1}(s - k) (counted in place, s
 * descending). Every count, and every partial sum of counts, is an integer
 * <= 2^m <= 2^50, so uint64 holds them exactly and the p-value
 * 2 * count / 2^m is an exactly representable double (a division by a
 * power of two): the exact p is exact to the last bit.
 *
 * Normal approximation (ties, or m > 50): mean m(m+1)/4, variance
 * [m(m+1)(2m+1) - (1/2) sum_g t_g (t_g^2 - 1)] / 24 over tie groups g of
 * size t_g (Lehmann 1975, eq. 3.26), no continuity correction — the
 * defaults of scipy.stats.wilcoxon (correction=False). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare/stats_internal.h"

double scar__wilcoxon_exact_p(uint64_t w_plus, unsigned m)
{
    enum { SMAX = SCAR__WILCOXON_EXACT_MAX * (SCAR__WILCOXON_EXACT_MAX + 1) / 2 };
    if (m == 0 || m > SCAR__WILCOXON_EXACT_MAX)
        return NAN;
    uint64_t total = (uint64_t)m * (m + 1) / 2;
    if (w_plus > total)
        return NAN;
    if (w_plus == total / 2)
        return 1; /* the centre of the (symmetric) distribution */
    uint64_t c[SMAX + 1];
    memset(c, 0, sizeof c);
    c[0] = 1;
    for (unsigned k = 1; k <= m; k++) {
        uint64_t top = (uint64_t)k * (k + 1) / 2;
        for (uint64_t s = top; s >= k; s--)
            c[s] += c[s - k];
    }
    uint64_t below = 0, above = 0; /* P(W <= w), P(W >= w) as counts */
    for (uint64_t s = 0; s <= total; s++) {
        if (s <= w_plus)
            below += c[s];
        if (s >= w_plus)
            above += c[s];
    }
    uint64_t tail = below < above ? below : above;
    double p = ldexp((double)tail, 1 - (int)m); /* exact: tail < 2^53 */
    return p > 1 ? 1 : p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void scar__wilcoxon_test(const double *d, size_t m, double *scratch, scar__wilcoxon *out)
{
    out->w_plus = out->w_minus = 0;
    out->z = out->p = NAN;
    out->exact = out->ties = 0;
    if (m == 0)
        return;
    /* Sorted |d|; the mid-rank of a value is the mean of the positions its
     * tie group occupies, looked up by binary search below. */
    for (size_t i = 0; i < m; i++)
        scratch[i] = fabs(d[i]);
    qsort(scratch, m, sizeof *scratch, cmp_double);
    double tie_term = 0; /* sum t (t^2 - 1) over tie groups */
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && scratch[j] == scratch[i])
            j++;
        double t = (double)(j - i);
        if (j - i > 1) {
            out->ties = 1;
            tie_term += t * (t * t - 1);
        }
        i = j;
    }
    for (size_t i = 0; i < m; i++) {
        double a = fabs(d[i]);
        /* first index with scratch[k] >= a, and first with scratch[k] > a */
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (scratch[mid] < a)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t first = lo;
        hi = m;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (scratch[mid] <= a)
                lo = mid + 1;
            else
                hi = mid;
        }
        /* positions first+1 .. lo (1-based): mean (first + 1 + lo) / 2,
         * a multiple of 1/2, so the sums below are exact */
        double rank = ((double)first + 1 + (double)lo) / 2;
        if (d[i] > 0)
            out->w_plus += rank;
        else
            out->w_minus += rank;
    }
    double md = (double)m;
    if (!out->ties && m <= SCAR__WILCOXON_EXACT_MAX) {
        out->exact = 1;
        out->p = scar__wilcoxon_exact_p((uint64_t)out->w_plus, (unsigned)m);
        return;
    }
    double mean = md * (md + 1) / 4;
    double var = (md * (md + 1) * (2 * md + 1) - 0.5 * tie_term) / 24;
    out->z = (out->w_plus - mean) / sqrt(var);
    /* two-sided normal tail 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2) */
    out->p = erfc(fabs(out->z) / sqrt(2.0));
}
