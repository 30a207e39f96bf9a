/* incbeta.c — ln Gamma and the regularized incomplete beta function, the
 * special functions under the Student-t and binomial distributions.
 *
 * ln Gamma: Stirling's asymptotic series (Abramowitz & Stegun 6.1.40) with
 * the Bernoulli numbers B2..B14, after shifting x up to >= 10 with
 * Gamma(x+1) = x Gamma(x). Written here rather than calling libm's lgamma(),
 * which writes the process-wide `signgam` (a data race across threads).
 *
 * I_x(a, b): the continued fraction of DiDonato & Morris (1992) / Numerical
 * Recipes (Press et al. 2007, eq. 6.4.5), evaluated with the modified Lentz
 * algorithm (Lentz 1976; Thompson & Barnett 1986). It converges fast for
 * x < (a+1)/(a+b+2); otherwise the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) is
 * used. */
#include <math.h>

#include "compare/stats_internal.h"

/* Stirling's correction sum_{k=1..7} B_2k / (2k (2k-1) x^(2k-1)), x >= 10:
 * ln Gamma(x) = (x - 1/2) ln x - x + ln(2 pi)/2 + stirling_series(x). */
static double stirling_series(double x)
{
    double r = 1 / x, r2 = r * r;
    return r * (1.0 / 12 +
                r2 * (-1.0 / 360 +
                      r2 * (1.0 / 1260 +
                            r2 * (-1.0 / 1680 +
                                  r2 * (1.0 / 1188 +
                                        r2 * (-691.0 / 360360 + r2 * (1.0 / 156)))))));
}

double scar__lgamma(double x)
{
    if (!(x > 0))
        return NAN;
    if (isinf(x))
        return INFINITY;
    /* ln of the product x (x+1) ... (x+k-1), k < 10, cannot overflow */
    double prod = 1;
    while (x < 10) {
        prod *= x;
        x += 1;
    }
    const double half_ln_2pi = 0.91893853320467274178032973640562;
    return (x - 0.5) * log(x) - x + half_ln_2pi + stirling_series(x) - log(prod);
}

/* ln B(a, b). For a large argument, ln Gamma(a) - ln Gamma(a + b) is taken
 * from the difference of the two Stirling expansions,
 *   -b ln a - (a + b - 1/2) log1p(b / a) + b + S(a) - S(a + b),
 * which avoids subtracting two numbers of size a ln a (with a = 5e4 that
 * cancellation alone would cost 1e-10 relative in a t-test p-value). */
static double log_beta(double a, double b)
{
    if (a < b) {
        double t = a;
        a = b, b = t;
    }
    if (a < 10)
        return scar__lgamma(a) + scar__lgamma(b) - scar__lgamma(a + b);
    double diff = -b * log(a) - (a + b - 0.5) * log1p(b / a) + b + stirling_series(a) -
                  stirling_series(a + b);
    return scar__lgamma(b) + diff;
}

/* Continued fraction for I_x(a, b) (NR 6.4.5), modified Lentz. Returns the
 * fraction's value or NaN when it did not converge. */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-16;
    /* Convergence takes O(sqrt(max(a, b))) terms; allow plenty. */
    const int max_iter = 100000;
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= max_iter; m++) {
        double m2 = 2.0 * m;
        /* even step */
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        h *= d * c;
        /* odd step */
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < eps)
            return h;
    }
    return NAN;
}

int scar__betainc(double a, double b, double x, double y, double *ix, double *iy)
{
    *ix = *iy = NAN;
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0) || isinf(a) || isinf(b))
        return -1;
    if (x == 0) {
        *ix = 0, *iy = 1;
        return 0;
    }
    if (y == 0) {
        *ix = 1, *iy = 0;
        return 0;
    }
    /* front = x^a y^b / B(a, b), in logs; ln of whichever of x, y is near 1
     * is taken as log1p of minus the other (both are given exactly). */
    double ln_x = x < 0.5 ? log(x) : log1p(-y);
    double ln_y = y < 0.5 ? log(y) : log1p(-x);
    double front = exp(a * ln_x + b * ln_y - log_beta(a, b));
    if (x < (a + 1) / (a + b + 2)) {
        double cf = beta_cf(a, b, x);
        if (isnan(cf))
            return -1;
        *ix = front * cf / a;
        *iy = 1 - *ix;
    } else {
        double cf = beta_cf(b, a, y);
        if (isnan(cf))
            return -1;
        *iy = front * cf / b;
        *ix = 1 - *iy;
    }
    return 0;
}
