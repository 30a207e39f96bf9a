/* delta_e.c — colour differences: CIE 1976 (Euclidean) and CIEDE2000
 * (CIE 142-2001), following the step-by-step form and test data of
 * G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 color-difference formula:
 * implementation notes, supplementary test data, and mathematical
 * observations", Color Res. Appl. 30(1):21-30, 2005. Equation numbers below
 * are Sharma's. */
#include <math.h>

#include "color_internal.h"

#define DEG (180.0 / 3.14159265358979323846)
#define RAD (3.14159265358979323846 / 180.0)

double scar_delta_e76(const double lab1[3], const double lab2[3])
{
    double dl = lab1[0] - lab2[0], da = lab1[1] - lab2[1],
           db = lab1[2] - lab2[2];
    return sqrt(dl * dl + da * da + db * db);
}

/* Hue angle in [0, 360) degrees (eq. 4); 0 for the achromatic a'=b'=0. */
static double hue_deg(double b, double ap)
{
    if (ap == 0.0 && b == 0.0)
        return 0.0;
    double h = atan2(b, ap) * DEG;
    return h < 0.0 ? h + 360.0 : h;
}

/* Hue differences this close to 180° are treated as exactly 180°: the
 * inputs are then antipodal up to atan2's rounding, and Sharma's
 * "|h1'-h2'| <= 180" must not be decided by that rounding (pair 10). */
#define HUE_TIE 1e-9

double scar_delta_e00_k(const double lab1[3], const double lab2[3], double kL,
                        double kC, double kH)
{
    if (!(kL > 0.0) || !(kC > 0.0) || !(kH > 0.0))
        return NAN;
    double L1 = lab1[0], a1 = lab1[1], b1 = lab1[2];
    double L2 = lab2[0], a2 = lab2[1], b2 = lab2[2];

    /* eq. 2-5: G correction of a*, C', h'. */
    double C1 = hypot(a1, b1), C2 = hypot(a2, b2);
    double Cm = 0.5 * (C1 + C2);
    double Cm7 = pow(Cm, 7.0);
    double G = 0.5 * (1.0 - sqrt(Cm7 / (Cm7 + 6103515625.0))); /* 25^7 */
    double a1p = (1.0 + G) * a1, a2p = (1.0 + G) * a2;
    double C1p = hypot(a1p, b1), C2p = hypot(a2p, b2);
    double h1p = hue_deg(b1, a1p), h2p = hue_deg(b2, a2p);

    /* eq. 8-10: differences. */
    double dLp = L2 - L1;
    double dCp = C2p - C1p;
    double dhp = 0.0;
    double adh = fabs(h2p - h1p);
    int within = adh <= 180.0 + HUE_TIE; /* the "<= 180" branch */
    if (C1p * C2p != 0.0) {
        dhp = h2p - h1p;
        if (!within)
            dhp += dhp > 0.0 ? -360.0 : 360.0;
    }
    double dHp = 2.0 * sqrt(C1p * C2p) * sin(0.5 * dhp * RAD);

    /* eq. 12-14: means. */
    double Lpm = 0.5 * (L1 + L2);
    double Cpm = 0.5 * (C1p + C2p);
    double hpm;
    if (C1p * C2p == 0.0)
        hpm = h1p + h2p;
    else if (within)
        hpm = 0.5 * (h1p + h2p);
    else if (h1p + h2p < 360.0)
        hpm = 0.5 * (h1p + h2p + 360.0);
    else
        hpm = 0.5 * (h1p + h2p - 360.0);

    /* eq. 15-21: weighting functions and rotation term. */
    double T = 1.0 - 0.17 * cos((hpm - 30.0) * RAD) +
               0.24 * cos(2.0 * hpm * RAD) +
               0.32 * cos((3.0 * hpm + 6.0) * RAD) -
               0.20 * cos((4.0 * hpm - 63.0) * RAD);
    double dtheta = 30.0 * exp(-((hpm - 275.0) / 25.0) * ((hpm - 275.0) / 25.0));
    double Cpm7 = pow(Cpm, 7.0);
    double RC = 2.0 * sqrt(Cpm7 / (Cpm7 + 6103515625.0));
    double l50 = (Lpm - 50.0) * (Lpm - 50.0);
    double SL = 1.0 + 0.015 * l50 / sqrt(20.0 + l50);
    double SC = 1.0 + 0.045 * Cpm;
    double SH = 1.0 + 0.015 * Cpm * T;
    double RT = -sin(2.0 * dtheta * RAD) * RC;

    /* eq. 22 */
    double tl = dLp / (kL * SL), tc = dCp / (kC * SC), th = dHp / (kH * SH);
    return sqrt(tl * tl + tc * tc + th * th + RT * tc * th);
}

double scar_delta_e00(const double lab1[3], const double lab2[3])
{
    return scar_delta_e00_k(lab1, lab2, 1.0, 1.0, 1.0);
}
