/* convert.c — the double-precision reference path:
 * sRGB (IEC 61966-2-1) <-> linear <-> XYZ (D65, 2°) <-> CIELAB (CIE 15:2004).
 * The fast image path (fast.c) is tested against these functions. */
#include <math.h>

#include "color_internal.h"

/* Exact inverse of the IEC matrix, computed in double by numpy
 * (np.linalg.inv) and printed to 17 significant digits; test_color.c
 * checks M * M^-1 = I. (The standard's own 4-decimal inverse would limit
 * round trips to ~1e-4.) */
static const double xyz_to_rgb[3][3] = {
    {3.240625477320054, -1.5372079722103185, -0.4986285986982478},
    {-0.9689307147293196, 1.8757560608852413, 0.04151752384295395},
    {0.05571012044551063, -0.20402105059848671, 1.0569959422543882},
};

double scar_srgb_to_linear(double v)
{
    /* IEC 61966-2-1 section 5.2; odd extension below 0 so that out-of-gamut
     * colours from scar_lab_to_srgb() come back unchanged. */
    double a = fabs(v);
    double l = a <= 0.04045 ? a / 12.92 : pow((a + 0.055) / 1.055, 2.4);
    return v < 0 ? -l : l;
}

double scar_linear_to_srgb(double l)
{
    double a = fabs(l);
    double v = a <= 0.0031308 ? 12.92 * a : 1.055 * pow(a, 1.0 / 2.4) - 0.055;
    return l < 0 ? -v : v;
}

void scar_linear_rgb_to_xyz(const double rgb[3], double xyz[3])
{
    double r = rgb[0], g = rgb[1], b = rgb[2];
    xyz[0] = SCAR__M00 * r + SCAR__M01 * g + SCAR__M02 * b;
    xyz[1] = SCAR__M10 * r + SCAR__M11 * g + SCAR__M12 * b;
    xyz[2] = SCAR__M20 * r + SCAR__M21 * g + SCAR__M22 * b;
}

void scar_xyz_to_linear_rgb(const double xyz[3], double rgb[3])
{
    double x = xyz[0], y = xyz[1], z = xyz[2];
    for (int i = 0; i < 3; i++)
        rgb[i] = xyz_to_rgb[i][0] * x + xyz_to_rgb[i][1] * y +
                 xyz_to_rgb[i][2] * z;
}

/* CIE 15:2004 eq. 8.3: cube root above (6/29)^3, linear segment below. */
static double lab_f(double t)
{
    return t > SCAR__LAB_EPS ? cbrt(t) : t * SCAR__LAB_SLOPE + SCAR__LAB_OFFSET;
}

static double lab_f_inv(double f)
{
    return f > SCAR__LAB_DELTA ? f * f * f
                               : (f - SCAR__LAB_OFFSET) / SCAR__LAB_SLOPE;
}

void scar_xyz_to_lab(const double xyz[3], double lab[3])
{
    double fx = lab_f(xyz[0] / SCAR__WX);
    double fy = lab_f(xyz[1] / SCAR__WY);
    double fz = lab_f(xyz[2] / SCAR__WZ);
    lab[0] = 116.0 * fy - 16.0;
    lab[1] = 500.0 * (fx - fy);
    lab[2] = 200.0 * (fy - fz);
}

void scar_lab_to_xyz(const double lab[3], double xyz[3])
{
    double fy = (lab[0] + 16.0) / 116.0;
    double fx = fy + lab[1] / 500.0;
    double fz = fy - lab[2] / 200.0;
    xyz[0] = SCAR__WX * lab_f_inv(fx);
    xyz[1] = SCAR__WY * lab_f_inv(fy);
    xyz[2] = SCAR__WZ * lab_f_inv(fz);
}

void scar_srgb_to_lab(const double rgb[3], double lab[3])
{
    double lin[3] = {scar_srgb_to_linear(rgb[0]), scar_srgb_to_linear(rgb[1]),
                     scar_srgb_to_linear(rgb[2])};
    double xyz[3];
    scar_linear_rgb_to_xyz(lin, xyz);
    scar_xyz_to_lab(xyz, lab);
}

void scar_lab_to_srgb(const double lab[3], double rgb[3])
{
    double xyz[3], lin[3];
    scar_lab_to_xyz(lab, xyz);
    scar_xyz_to_linear_rgb(xyz, lin);
    for (int i = 0; i < 3; i++)
        rgb[i] = scar_linear_to_srgb(lin[i]);
}

void scar__lab_to_linear_rgb_row(const float *L, const float *a,
                                 const float *b, size_t n, float *r, float *g,
                                 float *bl)
{
    /* The expressions of scar_lab_to_xyz then scar_xyz_to_linear_rgb, in
     * the same order, inlined: the same bits without two calls per pixel. */
    for (size_t i = 0; i < n; i++) {
        double l = L[i], u = a[i], v = b[i];
        if (!isfinite(l) || !isfinite(u) || !isfinite(v))
            l = u = v = 0.0;
        double fy = (l + 16.0) / 116.0;
        double fx = fy + u / 500.0;
        double fz = fy - v / 200.0;
        double x = SCAR__WX * lab_f_inv(fx);
        double y = SCAR__WY * lab_f_inv(fy);
        double z = SCAR__WZ * lab_f_inv(fz);
        r[i] = (float)(xyz_to_rgb[0][0] * x + xyz_to_rgb[0][1] * y +
                       xyz_to_rgb[0][2] * z);
        g[i] = (float)(xyz_to_rgb[1][0] * x + xyz_to_rgb[1][1] * y +
                       xyz_to_rgb[1][2] * z);
        bl[i] = (float)(xyz_to_rgb[2][0] * x + xyz_to_rgb[2][1] * y +
                        xyz_to_rgb[2][2] * z);
    }
}
