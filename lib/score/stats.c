/* stats.c — medians and robust spread of float samples, numpy's
 * conventions (numpy.median averages the two middle values). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "float_key.h"
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

/* numpy.median by quickselect (the definition the radix path reproduces). */
static double median_quickselect(float *v, size_t n)
{
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

/* Below this many samples quickselect is as fast and needs no histogram. */
#define RADIX_MIN_N 65536u
#define RADIX_BINS 65536u
/* bracket: subsample size and half-width of the interval (3 % of the
 * samples each side, four standard errors of the subsample median) */
#define BRACKET_SUB 4096u
#define BRACKET_HALF 128u
/* key of -0.0f (sign bit only, all bits inverted) */
#define KEY_NEG_ZERO 0x7fffffffu

/* numpy.median of v[0..n-1] by radix selection on the order-preserving
 * key (Knuth, TAOCP vol. 3, 5.2.5; the MSD "radix select" of GPU top-k):
 * one counting pass over the high 16 bits finds the bin of the middle
 * rank(s), a second pass counts the low 16 bits inside that bin. Exact —
 * the same order statistics as quickselect — and v is left untouched.
 * Returns 0 without a result when quickselect must decide instead: no
 * memory, or a zero middle value while -0.0 occurs (quickselect may return
 * either zero; its sign reaches the output). */
static int middle_radix(const float *v, size_t n, float *lower, float *upper,
                        int *negzero_out)
{
    uint32_t *hist = malloc(RADIX_BINS * sizeof *hist);
    if (!hist)
        return 0;
    memset(hist, 0, RADIX_BINS * sizeof *hist);
    int negzero = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t key = scar__float_key(v[i]);
        negzero |= key == KEY_NEG_ZERO;
        hist[key >> 16]++;
    }
    /* upper middle: rank n/2; lower middle (even n): rank n/2 - 1 */
    size_t ku = n / 2, kl = n % 2 ? ku : ku - 1;
    uint32_t bu = scar__rank_bin(hist, &ku), bl = scar__rank_bin(hist, &kl);
    memset(hist, 0, RADIX_BINS * sizeof *hist);
    /* when the lower middle lies in an earlier bin it is that bin's
     * largest key */
    uint32_t lower_max = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t key = scar__float_key(v[i]);
        uint32_t b = key >> 16;
        if (b == bu)
            hist[key & 0xffffu]++;
        else if (b == bl && key > lower_max)
            lower_max = key;
    }
    uint32_t key_u = bu << 16 | scar__rank_bin(hist, &ku);
    uint32_t key_l = bl == bu ? bu << 16 | scar__rank_bin(hist, &kl) : lower_max;
    free(hist);
    *upper = scar__key_float(key_u);
    *lower = scar__key_float(key_l);
    *negzero_out = negzero;
    return 1;
}

static int median_radix(const float *v, size_t n, double *out)
{
    float lower, upper;
    int negzero;
    if (!middle_radix(v, n, &lower, &upper, &negzero))
        return 0;
    if (negzero && (upper == 0.0f || lower == 0.0f))
        return 0;
    *out = n % 2 ? (double)upper : 0.5 * ((double)lower + upper);
    return 1;
}

int scar__score_middle(const float *v, size_t n, float *lower, float *upper)
{
    int negzero;
    return n >= 1 && middle_radix(v, n, lower, upper, &negzero);
}

void scar__score_select_pair(float *v, size_t n, size_t k, float *kth,
                             float *prev)
{
    float u = select_kth(v, n, k), l = u;
    /* after the selection v[0..k-1] <= v[k]: the (k-1)-th is their max */
    if (k >= 1) {
        l = v[0];
        for (size_t i = 1; i < k; i++)
            if (v[i] > l)
                l = v[i];
    }
    *kth = u;
    *prev = l;
}

void scar__score_ita_approx(const float *L, const float *b, size_t n,
                            float *out)
{
    /* A&S 4.4.47 coefficients (Hastings 1955) */
    const float a1 = 0.9998660f, a3 = -0.3302995f, a5 = 0.1801410f,
                a7 = -0.0851330f, a9 = 0.0208351f;
    const float half_pi = 1.57079632679489662f, pi = 3.14159265358979324f;
    const float deg = (float)(180.0 / 3.14159265358979323846);
    for (size_t i = 0; i < n; i++) {
        float y = L[i] - 50.0f, x = b[i];
        float ay = fabsf(y), ax = fabsf(x);
        float mx = ay > ax ? ay : ax, mn = ay > ax ? ax : ay;
        float t = mn / (mx > 0.0f ? mx : 1.0f);
        float t2 = t * t;
        float r = t * (a1 + t2 * (a3 + t2 * (a5 + t2 * (a7 + t2 * a9))));
        r = ay > ax ? half_pi - r : r;
        r = x < 0.0f ? pi - r : r;
        r = y < 0.0f ? -r : r;
        out[i] = r * deg;
    }
}

static int cmp_float(const void *pa, const void *pb)
{
    float a = *(const float *)pa, b = *(const float *)pb;
    return (a > b) - (a < b);
}

/* The sample of a bracket pass: v[i] itself, or |v[i] - m| rounded to
 * float (the deviations of scar__score_robust_sd). */
static inline float sample_at(const float *v, size_t i, int absdev, double m)
{
    return absdev ? (float)fabs((double)v[i] - m) : v[i];
}

/* numpy.median of the n samples sample_at(v, i) by bracketing (Floyd &
 * Rivest 1975, "Expected time bounds for selection", the sampling step):
 * the middle ranks of a regular subsample give a value interval [lo, hi]
 * that almost surely holds the true middle; one pass counts the samples
 * below lo and copies those inside, and quickselect on that copy gives the
 * middle order statistics exactly. v is not modified. Returns 0 (caller
 * falls back) when the interval missed the middle ranks, held too many
 * samples, memory ran out, or a zero middle value meets a -0.0 (see
 * median_radix). */
static int median_bracket(const float *v, size_t n, int absdev, double m,
                          double *out)
{
    size_t stride = n / BRACKET_SUB;
    float sub[BRACKET_SUB];
    for (size_t j = 0; j < BRACKET_SUB; j++)
        sub[j] = sample_at(v, j * stride, absdev, m);
    qsort(sub, BRACKET_SUB, sizeof *sub, cmp_float);
    size_t ku = n / 2, kl = n % 2 ? ku : ku - 1;
    size_t p = (size_t)((double)ku * BRACKET_SUB / (double)n);
    float lo = p < BRACKET_HALF ? -INFINITY : sub[p - BRACKET_HALF];
    float hi = p + BRACKET_HALF >= BRACKET_SUB ? INFINITY
                                               : sub[p + BRACKET_HALF];
    size_t cap = n / 8 + BRACKET_SUB;
    float *buf = malloc(cap * sizeof *buf);
    if (!buf)
        return 0;
    size_t below = 0, c = 0;
    uint32_t negzero = 0;
    int ok = 1;
    /* branch-free: the samples come in no order, so "below / inside"
     * branches would be mispredicted half the time; each sample is written
     * at buf[c] and kept by advancing c */
    for (size_t i = 0; i < n && ok; i++) {
        float x = sample_at(v, i, absdev, m);
        uint32_t bits;
        memcpy(&bits, &x, sizeof bits);
        size_t in = (x >= lo) & (x <= hi);
        below += x < lo;
        negzero |= (uint32_t)in & (bits == 0x80000000u);
        buf[c] = x;
        c += in;
        ok = c < cap;
    }
    /* every sample below lo ranks under the middle, every one above hi
     * over it: then the middle ranks are ranks of the copy */
    if (ok && kl >= below && ku < below + c) {
        size_t k = ku - below;
        float upper = select_kth(buf, c, k), lower = upper;
        if (n % 2 == 0) {
            /* after the selection buf[0..k-1] <= buf[k]; k >= 1 here */
            lower = buf[0];
            for (size_t i = 1; i < k; i++)
                if (buf[i] > lower)
                    lower = buf[i];
        }
        if (negzero && (upper == 0.0f || lower == 0.0f))
            ok = 0;
        else
            *out = n % 2 ? (double)upper : 0.5 * ((double)lower + upper);
    } else {
        ok = 0;
    }
    free(buf);
    return ok;
}

int scar__score_bracket(const float *v, size_t n, double *lo, double *hi)
{
    if (n < RADIX_MIN_N)
        return 0;
    size_t stride = n / BRACKET_SUB;
    float sub[BRACKET_SUB];
    for (size_t j = 0; j < BRACKET_SUB; j++)
        sub[j] = v[j * stride];
    qsort(sub, BRACKET_SUB, sizeof *sub, cmp_float);
    size_t p = (size_t)((double)(n / 2) * BRACKET_SUB / (double)n);
    *lo = p < BRACKET_HALF ? -INFINITY : (double)sub[p - BRACKET_HALF];
    *hi = p + BRACKET_HALF >= BRACKET_SUB ? INFINITY
                                          : (double)sub[p + BRACKET_HALF];
    return 1;
}

double scar__score_median(float *v, size_t n)
{
    if (n == 0)
        return NAN;
    double m;
    if (n >= RADIX_MIN_N &&
        (median_bracket(v, n, 0, 0.0, &m) || median_radix(v, n, &m)))
        return m;
    return median_quickselect(v, n);
}

double scar__score_robust_sd(float *v, size_t n, double *median)
{
    double m = scar__score_median(v, n);
    if (median)
        *median = m;
    if (n == 0)
        return NAN;
    /* |v - m| in double, stored as float: the spread of L*, MI, EI values
     * (|v| < 1000) keeps 7 significant digits. Large n: the deviations are
     * formed on the fly by the bracket pass. */
    double mad;
    if (n >= RADIX_MIN_N && median_bracket(v, n, 1, m, &mad))
        return 1.4826 * mad;
    for (size_t i = 0; i < n; i++)
        v[i] = (float)fabs((double)v[i] - m);
    return 1.4826 * scar__score_median(v, n);
}
