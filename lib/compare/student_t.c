/* student_t.c — Student-t distribution: two-sided p-value, CDF and quantile
 * through the regularized incomplete beta function:
 *   P(|T_v| >= |t|) = I_{v/(v+t^2)}(v/2, 1/2)        (A&S 26.7.1, 26.5.27)
 * The quantile inverts the CDF by Newton's method on the density
 *   f(t) = Gamma((v+1)/2) / (sqrt(v pi) Gamma(v/2)) (1 + t^2/v)^(-(v+1)/2),
 * kept inside a bracket that is bisected whenever a step leaves it, so it
 * cannot diverge; it stops when the step falls under 4 ulp. */
#include <float.h>
#include <math.h>

#include "compare/stats_internal.h"

double scar__t_p2(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return NAN;
    if (isinf(t))
        return 0;
    double t2 = t * t;
    double ix, iy;
    /* x = v/(v+t^2) and 1-x = t^2/(v+t^2), both formed without cancellation */
    if (scar__betainc(df / 2, 0.5, df / (df + t2), t2 / (df + t2), &ix, &iy))
        return NAN;
    return ix;
}

double scar__t_cdf(double t, double df)
{
    double p2 = scar__t_p2(t, df);
    if (isnan(p2))
        return NAN;
    /* the tail beyond |t| has probability p2/2 on each side */
    if (t < 0)
        return p2 / 2;
    if (t == 0)
        return 0.5;
    double t2 = t * t, ix, iy;
    if (isinf(t))
        return 1;
    scar__betainc(df / 2, 0.5, df / (df + t2), t2 / (df + t2), &ix, &iy);
    return 0.5 + iy / 2;
}

static double t_density(double t, double df, double log_norm)
{
    return exp(log_norm - (df + 1) / 2 * log1p(t * t / df));
}

double scar__t_quantile(double p, double df)
{
    if (!(p > 0 && p < 1) || !(df > 0) || isinf(df))
        return NAN;
    if (p == 0.5)
        return 0;
    /* Solve for the upper tail q = min(p, 1-p) and use symmetry. */
    int upper = p > 0.5;
    double tail = upper ? 1 - p : p; /* P(T >= x) = tail, x > 0 */
    double log_norm = scar__lgamma((df + 1) / 2) - scar__lgamma(df / 2) -
                      0.5 * log(df * 3.14159265358979323846);
    /* Bracket [lo, hi] with sf(lo) >= tail >= sf(hi). */
    double lo = 0, hi = 1;
    while (scar__t_p2(hi, df) / 2 > tail) {
        lo = hi;
        hi *= 2;
        if (hi > 1e300)
            return upper ? INFINITY : -INFINITY;
    }
    double x = (lo + hi) / 2;
    for (int it = 0; it < 400; it++) {
        double g = scar__t_p2(x, df) / 2 - tail; /* decreasing in x */
        if (g > 0)
            lo = x;
        else if (g < 0)
            hi = x;
        else
            break;
        double step = g / t_density(x, df, log_norm); /* x_new = x + g/f */
        double xn = x + step;
        if (!(xn > lo && xn < hi))
            xn = (lo + hi) / 2;
        if (fabs(xn - x) <= 4 * DBL_EPSILON * fabs(xn) ||
            hi - lo <= 4 * DBL_EPSILON * hi) {
            x = xn;
            break;
        }
        x = xn;
    }
    return upper ? x : -x;
}
