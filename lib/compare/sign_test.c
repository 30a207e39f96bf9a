/* sign_test.c — the exact binomial sign test (Dixon & Mood 1946): under
 * H0 each non-zero difference is positive with probability 1/2, so the
 * number of positive ones is Binomial(m, 1/2). Two-sided p as
 * scipy.stats.binomtest(k, m, 0.5) (the likelihood-ordering rule, which for
 * the symmetric p = 1/2 is twice the smaller tail, capped at 1). */
#include <math.h>

#include "compare/stats_internal.h"

double scar__binom_half_cdf(uint64_t k, uint64_t m)
{
    if (k >= m)
        return 1;
    if (m <= 1000) {
        /* sum_{i<=k} C(m,i) 2^-m; 2^-1000 is still a normal double and every
         * term is positive, so the relative error stays ~k ulp. */
        double term = ldexp(1.0, -(int)m), sum = term;
        for (uint64_t i = 0; i < k; i++) {
            term = term * (double)(m - i) / (double)(i + 1);
            sum += term;
        }
        return sum;
    }
    /* P(X <= k) = I_{1/2}(m - k, k + 1) (A&S 26.5.24) */
    double ix, iy;
    if (scar__betainc((double)(m - k), (double)k + 1, 0.5, 0.5, &ix, &iy))
        return NAN;
    return ix;
}

double scar__sign_test_p(uint64_t k, uint64_t m)
{
    if (m == 0 || k > m)
        return NAN;
    if (2 * k == m)
        return 1;
    uint64_t lo = k < m - k ? k : m - k;
    double p = 2 * scar__binom_half_cdf(lo, m);
    return p > 1 ? 1 : p;
}
