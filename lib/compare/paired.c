/* paired.c — scar_paired_stats_compute(): cohort statistics of paired
 * measurements (mean change with a Student-t 95 % CI, paired t-test,
 * Wilcoxon signed-rank, sign test, effect sizes). Definitions in
 * docs/compare.md; every number is checked against scipy.stats in
 * tests/test_compare.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare/stats_internal.h"
#include "error.h"
#include "scarscore.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Hedges (1981) small-sample factor J(v) = Gamma(v/2) / (sqrt(v/2)
 * Gamma((v-1)/2)), v > 1. */
static double hedges_j(double v)
{
    return exp(scar__lgamma(v / 2) - scar__lgamma((v - 1) / 2)) / sqrt(v / 2);
}

/* The statistics of the n differences d (NaN already removed; d is
 * reordered). scratch: n doubles. */
static void stats_of_differences(double *d, size_t n, double *scratch,
                                 scar_paired_stats *s)
{
    double nd = (double)n;
    s->n = (uint32_t)n;
    s->mean_diff = s->median_diff = s->sd_diff = s->se_diff = NAN;
    s->ci95_low = s->ci95_high = s->t = s->df = s->p_t = NAN;
    s->cohens_dz = s->hedges_gz = s->rank_biserial = NAN;
    s->p_sign = NAN;
    if (n > 0) {
        /* two-pass mean and variance (Chan, Golub & LeVeque 1983) */
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += d[i];
        s->mean_diff = sum / nd;
    }
    if (n >= 2) {
        double ss = 0, c = 0;
        for (size_t i = 0; i < n; i++) {
            double e = d[i] - s->mean_diff;
            ss += e * e;
            c += e;
        }
        /* corrected two-pass: subtract the rounding residue of the mean */
        double var = (ss - c * c / nd) / (nd - 1);
        s->sd_diff = sqrt(var > 0 ? var : 0);
        s->se_diff = s->sd_diff / sqrt(nd);
        s->df = nd - 1;
        double q = scar__t_quantile(0.975, s->df);
        s->ci95_low = s->mean_diff - q * s->se_diff;
        s->ci95_high = s->mean_diff + q * s->se_diff;
        s->t = s->mean_diff / s->se_diff; /* +-inf or NaN when sd = 0 */
        s->p_t = scar__t_p2(s->t, s->df);
        s->cohens_dz = s->mean_diff / s->sd_diff;
        if (n >= 3)
            s->hedges_gz = s->cohens_dz * hedges_j(s->df);
    }

    /* signs, and the non-zero differences packed to the front of scratch */
    size_t m = 0, pos = 0, neg = 0;
    for (size_t i = 0; i < n; i++) {
        if (d[i] > 0)
            pos++;
        else if (d[i] < 0)
            neg++;
        else
            continue;
        scratch[m++] = d[i];
    }
    s->n_nonzero = (uint32_t)m;
    s->n_positive = (uint32_t)pos;
    s->n_negative = (uint32_t)neg;
    s->p_sign = scar__sign_test_p(pos, m);

    /* Wilcoxon: its rank scratch reuses d, which is free after the mean and
     * variance (the median below is taken first). */
    if (n > 0) {
        qsort(d, n, sizeof *d, cmp_double);
        s->median_diff = n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
    }
    scar__wilcoxon w;
    scar__wilcoxon_test(scratch, m, d, &w);
    s->wilcoxon_w_plus = w.w_plus;
    s->wilcoxon_w_minus = w.w_minus;
    s->wilcoxon_z = w.z;
    s->p_wilcoxon = w.p;
    s->wilcoxon_exact = (uint32_t)w.exact;
    if (m > 0)
        s->rank_biserial = (w.w_plus - w.w_minus) / (w.w_plus + w.w_minus);
}

/* Shared driver; paired = 0: `after` already holds the differences and
 * `before` is unused. */
static int compute(const char *fn, int paired, const double *before, const double *after,
                   size_t n, scar_paired_stats *out)
{
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", fn);
    if (out->struct_size == 0)
        return scar__fail(SCAR_E_INVALID,
                          "%s: out->struct_size is 0; set it to "
                          "sizeof(scar_paired_stats)",
                          fn);
    if (n > 0 && (!after || (paired && !before)))
        return scar__fail(SCAR_E_INVALID, "%s: NULL data array with n = %zu", fn, n);
    if (n > UINT32_MAX)
        return scar__fail(SCAR_E_LIMIT, "%s: n = %zu exceeds UINT32_MAX pairs", fn, n);
    if (!paired)
        before = NULL;
    for (size_t i = 0; i < n; i++) {
        if (isinf(after[i]) || (before && isinf(before[i])))
            return scar__fail(SCAR_E_INVALID,
                              "%s: value %zu is infinite; pass finite values "
                              "(NaN marks a missing value)",
                              fn, i);
    }
    double *d = malloc((n ? n : 1) * 2 * sizeof *d);
    if (!d)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for %zu pairs", fn, n);
    double *scratch = d + (n ? n : 1);

    scar_paired_stats s;
    memset(&s, 0, sizeof s);
    s.mean_before = s.mean_after = NAN;
    size_t used = 0;
    double sum_b = 0, sum_a = 0;
    for (size_t i = 0; i < n; i++) {
        double b = before ? before[i] : 0, a = after[i];
        double di = before ? a - b : a;
        if (isnan(di))
            continue;
        d[used++] = di;
        sum_b += b, sum_a += a;
    }
    if (before && used > 0) {
        s.mean_before = sum_b / (double)used;
        s.mean_after = sum_a / (double)used;
    }
    s.n_dropped = (uint32_t)(n - used);
    stats_of_differences(d, used, scratch, &s);
    free(d);

    uint32_t size = out->struct_size;
    s.struct_size = size;
    memcpy(out, &s, size < sizeof s ? size : sizeof s);
    return SCAR_OK;
}

int scar_paired_stats_compute(const double *before, const double *after, size_t n,
                              scar_paired_stats *out)
{
    return compute("scar_paired_stats_compute", 1, before, after, n, out);
}

int scar_paired_stats_from_differences(const double *d, size_t n, scar_paired_stats *out)
{
    return compute("scar_paired_stats_from_differences", 0, NULL, d, n, out);
}
