/* stats.c — medians and robust spread of float samples, numpy's
 * conventions (numpy.median averages the two middle values). */
#include <math.h>
#include <stddef.h>

#include "score/score.h"

/* k-th smallest of v[0..n-1] (0-based), reordering v: Hoare's quickselect
 * with a median-of-three pivot, deterministic. */
static float select_kth(float *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        float a = v[lo], b = v[mid], c = v[hi];
        float pivot = (a < b) ? ((b < c) ? b : (a < c ? c : a))
                              : ((a < c) ? a : (b < c ? c : b));
        size_t i = lo, j = hi;
        for (;;) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i >= j)
                break;
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
            i++;
            j--;
        }
        /* v[lo..j] <= pivot <= v[j+1..hi] */
        if (k <= j)
            hi = j;
        else
            lo = j + 1;
    }
    return v[k];
}

double scar__score_median(float *v, size_t n)
{
    if (n == 0)
        return NAN;
    size_t k = n / 2;
    double upper = select_kth(v, n, k);
    if (n % 2)
        return upper;
    /* after the selection v[0..k-1] <= v[k]: the lower middle is their max */
    float lower = v[0];
    for (size_t i = 1; i < k; i++)
        if (v[i] > lower)
            lower = v[i];
    return 0.5 * ((double)lower + upper);
}

double scar__score_robust_sd(float *v, size_t n, double *median)
{
    double m = scar__score_median(v, n);
    if (median)
        *median = m;
    if (n == 0)
        return NAN;
    /* |v - m| in double, stored as float: the spread of L*, MI, EI values
     * (|v| < 1000) keeps 7 significant digits. */
    for (size_t i = 0; i < n; i++)
        v[i] = (float)fabs((double)v[i] - m);
    return 1.4826 * scar__score_median(v, n);
}
