/* geometry.c — region geometry from the lib/morph region properties
 * (skimage.measure.regionprops definitions, docs/morph.md), in px and mm.
 * Circularity 4 pi A / P^2 (the isoperimetric quotient; 1 for a disc in
 * the continuum) and elongation major/minor: docs/metrics.md. */
#include <math.h>

#include "morph/morph.h"
#include "score/score.h"

void scar__score_geometry(const scar__region *p, double px_per_mm,
                          scar_region *r)
{
    const double pi = 3.14159265358979323846;
    double A = (double)p->area;
    r->area_px = A;
    r->area_mm2 = A / (px_per_mm * px_per_mm);
    r->bbox_x0 = p->x0;
    r->bbox_y0 = p->y0;
    r->bbox_x1 = p->x1;
    r->bbox_y1 = p->y1;
    r->centroid_x = p->centroid_x;
    r->centroid_y = p->centroid_y;
    r->perimeter_px = p->perimeter;
    r->perimeter_mm = p->perimeter / px_per_mm;
    r->equivalent_diameter_px = p->equivalent_diameter;
    r->equivalent_diameter_mm = p->equivalent_diameter / px_per_mm;
    r->major_axis_px = p->major_axis_length;
    r->major_axis_mm = p->major_axis_length / px_per_mm;
    r->minor_axis_px = p->minor_axis_length;
    r->minor_axis_mm = p->minor_axis_length / px_per_mm;
    r->elongation = p->minor_axis_length > 0.0
                        ? p->major_axis_length / p->minor_axis_length
                        : NAN;
    /* Major-axis angle from +x, counter-clockwise as displayed (rows grow
     * downwards, hence -mu_xy): half the angle of the second-moment
     * "vector" (mu_xx - mu_yy, -2 mu_xy). */
    double deg = 0.5 * atan2(-2.0 * p->mu_xy, p->mu_xx - p->mu_yy) * 180.0 / pi;
    if (deg <= -90.0)
        deg += 180.0;
    r->orientation_deg = deg == 0.0 ? 0.0 : deg;
    r->solidity = p->convex_area > 0 ? A / (double)p->convex_area : NAN;
    r->circularity = p->perimeter > 0.0
                         ? 4.0 * pi * A / (p->perimeter * p->perimeter)
                         : NAN;
}
