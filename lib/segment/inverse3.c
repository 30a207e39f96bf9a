/* inverse3.c — inverse of a symmetric 3x3 matrix (the covariances of
 * L*, a*, b* residuals); see segment.h. */
#include <math.h>

#include "segment/segment.h"

int scar__inv3(const double c[3][3], double o[3][3])
{
    double det = c[0][0] * (c[1][1] * c[2][2] - c[1][2] * c[2][1]) -
                 c[0][1] * (c[1][0] * c[2][2] - c[1][2] * c[2][0]) +
                 c[0][2] * (c[1][0] * c[2][1] - c[1][1] * c[2][0]);
    if (!(fabs(det) > 1e-12))
        return 0;
    o[0][0] = (c[1][1] * c[2][2] - c[1][2] * c[2][1]) / det;
    o[0][1] = (c[0][2] * c[2][1] - c[0][1] * c[2][2]) / det;
    o[0][2] = (c[0][1] * c[1][2] - c[0][2] * c[1][1]) / det;
    o[1][0] = o[0][1];
    o[1][1] = (c[0][0] * c[2][2] - c[0][2] * c[2][0]) / det;
    o[1][2] = (c[0][2] * c[1][0] - c[0][0] * c[1][2]) / det;
    o[2][0] = o[0][2];
    o[2][1] = o[1][2];
    o[2][2] = (c[0][0] * c[1][1] - c[0][1] * c[1][0]) / det;
    return 1;
}
