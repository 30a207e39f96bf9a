/* morph.h — internal: binary morphology with disks, hole filling, exact
 * Euclidean distance transform, connected components, region properties and
 * thresholds (Otsu, hysteresis). Never installed.
 *
 * Conventions shared by every function here (see docs/morph.md):
 *  - Planes are views with strides (lib/plane.h). A mask pixel is "set" when
 *    its byte is non-zero; output masks hold exactly 0 or 1.
 *  - Coordinates: x = column, y = row, origin at the top-left pixel centre.
 *    skimage's (row, col) order maps to (y, x).
 *  - Every output plane must have the same width and height as the input.
 *    Unless a function says otherwise, `out` may be the same view as `in`
 *    (same data pointer and stride) but must not partially overlap it.
 *  - Bad arguments -> SCAR_E_INVALID, allocation failure -> SCAR_E_NOMEM,
 *    both via scar__fail with a message that starts with the function name.
 *    On failure the output content is unspecified.
 *  - No global mutable state: all scratch memory is allocated per call, so
 *    every function may run concurrently on different outputs.
 */
#ifndef SCAR_MORPH_H
#define SCAR_MORPH_H

#include <stddef.h>
#include <stdint.h>

#include "plane.h"

/* ---------------------------------------------------------------- disks --
 * Structuring element: the disk of radius r px,
 *   D_r = {(dx, dy) integer : dx^2 + dy^2 <= r^2}
 * identical to skimage.morphology.disk(r) (r = 0 is the single pixel).
 * Cost is O(width * height) whatever r (the disk is decomposed into its
 * horizontal chords, driven by the capped vertical distance to the nearest
 * set pixel; exact, not an approximation).
 *
 * Image border, as scipy.ndimage.binary_dilation / binary_erosion with
 * border_value=0: pixels outside the image are 0. Hence dilation is
 * unaffected by the border, while erosion clears every pixel within r of the
 * border (the outside counts as background). open = dilate(erode(A)),
 * close = erode(dilate(A)), exactly scipy.ndimage.binary_opening /
 * binary_closing (border_value=0) — so close() can clear pixels within r of
 * the border too; pad the mask first if that is not wanted.
 * radius must be <= 32767. */
int scar__dilate_disk(const scar__mask *in, uint32_t radius, scar__mask *out);
int scar__erode_disk(const scar__mask *in, uint32_t radius, scar__mask *out);
int scar__open_disk(const scar__mask *in, uint32_t radius, scar__mask *out);
int scar__close_disk(const scar__mask *in, uint32_t radius, scar__mask *out);
/* scar__open_disk / scar__close_disk with the caller's scratch of at least
 * width * height uint16_t (its contents are overwritten), so that the
 * per-pixel run-length buffer is not allocated; NULL: allocate it. */
int scar__open_disk_scratch(const scar__mask *in, uint32_t radius,
                            scar__mask *out, uint16_t *scratch);
int scar__close_disk_scratch(const scar__mask *in, uint32_t radius,
                             scar__mask *out, uint16_t *scratch);

/* out = the pixels whose centres lie inside or on the convex hull of the
 * pixel squares of `in` (same size; out may not alias in): the region
 * without its bays; *area = the hull's area (px^2, so that solidity =
 * pixel count / *area), (*cx, *cy) = its centroid, in the coordinates of
 * pixel centres. Empty in gives an empty out and zeros. SCAR_E_NOMEM.
 * hull.c. */
int scar__convex_fill(const scar__mask *in, scar__mask *out, double *area,
                      double *cx, double *cy, const char *ctx);

/* Fill holes, = scipy.ndimage.binary_fill_holes(in) with its default
 * structure: background pixels that are not 4-connected (through background)
 * to the image border become 1; everything else is copied. */
int scar__fill_holes(const scar__mask *in, scar__mask *out);

/* ------------------------------------------------- distance transform --
 * Exact Euclidean distance transform (Meijster, Roerdink & Hesselink 2000,
 * the integer form of the lower-envelope method of Felzenszwalb &
 * Huttenlocher 2012), unit pixel spacing.
 *
 * to_nonzero == 0: for each pixel, the distance to the nearest pixel whose
 *   mask value is 0 (0 on such pixels) — scipy.ndimage.distance_transform_edt
 *   (in).
 * to_nonzero != 0: the distance to the nearest non-zero pixel (0 on them) —
 *   distance_transform_edt(in == 0); e.g. "how far from the region".
 * If no target pixel exists the result is "infinite": UINT32_MAX for the
 * squared form, INFINITY for the float form (scipy returns meaningless
 * finite values there).
 *
 * scar__edt_sq writes exact integer squared distances into the caller's
 * uint32 array `sq` (width x height, row stride `sq_stride` elements).
 * scar__edt writes sqrt(squared distance) rounded to float into `dist`.
 * Neither output may alias `in`. */
int scar__edt_sq(const scar__mask *in, int to_nonzero, uint32_t *sq,
                 size_t sq_stride);
int scar__edt(const scar__mask *in, int to_nonzero, scar__planef *dist);

/* ------------------------------------------------------- union-find --
 * Over indices 0..n-1 in `parent` (parent[i] == i: a root). The root of i
 * (path compression on the way), and the union of the sets of a and b
 * that keeps the smaller root: a set's root is its smallest index. */
static inline int32_t scar__uf_root(int32_t *parent, int32_t i)
{
    int32_t root = i;
    while (parent[root] != root)
        root = parent[root];
    while (parent[i] != root) {
        int32_t next = parent[i];
        parent[i] = root;
        i = next;
    }
    return root;
}

static inline void scar__uf_unite(int32_t *parent, int32_t a, int32_t b)
{
    a = scar__uf_root(parent, a);
    b = scar__uf_root(parent, b);
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* ------------------------------------------------ connected components --
 * Label the connected components of the set pixels of `in` (restricted to
 * pixels where `valid` is non-zero when `valid` is not NULL; valid must have
 * in's size). connectivity is 8 (= skimage.measure.label(connectivity=2))
 * or 4 (= connectivity=1, = scipy.ndimage.label default). Labels are 1..n
 * numbered in raster order (row by row, left to right) of each component's
 * first pixel — exactly skimage.measure.label; background is 0. `out`
 * receives the labels (all of it is written) and *count the number n.
 * Run-based two-pass labelling with union-find over runs. */
int scar__label(const scar__mask *in, const scar__mask *valid,
                int connectivity, scar__labels *out, int32_t *count);
/* The same for a label map: a component is a connected set of pixels of
 * one non-zero value (neighbours of different values are not joined; a
 * value in two separate places gives two components). Numbered like
 * scar__label. `out` may be `in` itself (labelled in place). */
int scar__label_values(const scar__labels *in, int connectivity,
                       scar__labels *out, int32_t *count);

/* ------------------------------------------------ region properties --
 * One entry per label 1..count (entry i describes label i + 1), computed in
 * two passes over the labels whatever their number. Definitions follow
 * skimage.measure.regionprops (0.19); see docs/morph.md for each formula.
 * A label in 1..count that does not occur has area 0 and all other fields 0.
 */
typedef struct scar__region {
    int32_t label;          /* 1..count */
    uint64_t area;          /* pixel count */
    /* bounding box, half-open like skimage's bbox:
     * rows y0 <= y < y1, columns x0 <= x < x1 */
    uint32_t y0, x0, y1, x1;
    double centroid_y, centroid_x;  /* mean row / column of the pixels */
    /* central moments: mu_yy = sum (y - cy)^2, mu_xy = sum (y - cy)(x - cx),
     * mu_xx = sum (x - cx)^2 (skimage mu[2,0], mu[1,1], mu[0,2]) */
    double mu_yy, mu_xy, mu_xx;
    /* inertia tensor eigenvalues l1 >= l2 >= 0 of
     * [[mu_xx, -mu_xy], [-mu_xy, mu_yy]] / area */
    double major_axis_length;  /* 4 sqrt(l1) */
    double minor_axis_length;  /* 4 sqrt(l2) */
    double eccentricity;       /* sqrt(1 - l2 / l1), 0 when l1 == 0 */
    /* angle (radians, in [-pi/2, pi/2]) between the row axis and the major
     * axis, skimage convention: 0.5 atan2(2 mu_xy, mu_yy - mu_xx) written as
     * in skimage; +-pi/4 when the tensor diagonal is equal */
    double orientation;
    /* skimage.measure.perimeter(region, neighborhood=4): weighted count
     * of the region's 4-connected border pixels (weights 1, sqrt 2,
     * (1 + sqrt 2) / 2 from their 8-neighbourhood pattern) */
    double perimeter;
    /* convex_area: number of pixel centres inside or on the convex hull of
     * the region's pixel-edge midpoints (skimage convex_hull_image with
     * offset_coordinates=True); solidity = area / convex_area */
    uint64_t convex_area;
    double solidity;
    double equivalent_diameter;  /* sqrt(4 area / pi) */
} scar__region;

/* Compute the properties of labels 1..count of `labels` (values must be in
 * 0..count, else SCAR_E_INVALID). On success *out is a new array of `count`
 * entries owned by the caller, released with scar__regionprops_free
 * (count == 0 gives *out == NULL). with_convex == 0 skips the convex hull
 * (convex_area and solidity are then 0), which saves the second pass. */
int scar__regionprops(const scar__labels *labels, int32_t count,
                      int with_convex, scar__region **out);
/* The same for a window of a larger label map whose top-left pixel is
 * (ox, oy) of that map: coordinates (bbox, centroid) are the map's, and
 * every property of a label lying wholly inside the window is the one a
 * pass over the whole map gives, bit for bit (a label cut by the window's
 * edge is measured as the part inside). */
int scar__regionprops_at(const scar__labels *labels, uint32_t ox, uint32_t oy,
                         int32_t count, int with_convex, scar__region **out);
void scar__regionprops_free(scar__region *regions);  /* NULL: no-op */

/* Elongation of a point set from its raw sums (n points; sums of x, y,
 * x^2, y^2, xy): sqrt(l1 / l2) for the eigenvalues l1 >= l2 of its
 * covariance, the ratio of the major to the minor axis length of
 * scar__region. 1 for an empty set or a single point, INFINITY for points
 * on one line. */
double scar__elongation(double n, double sx, double sy, double sxx,
                        double syy, double sxy);

/* ---------------------------------------------------------- thresholds --
 * Otsu's threshold, = skimage.filters.threshold_otsu(values, nbins) for a
 * float32 array `values` of the pixels of `img` where `mask` (optional) is
 * non-zero; non-finite values are skipped. The histogram has `nbins` equal
 * bins from min to max (numpy.histogram's edges in float32 arithmetic, as
 * numpy does for float32 input); the result is a bin centre, the one
 * maximising the between-class variance (first one on ties). If all values
 * are equal that value is returned. No value at all -> SCAR_E_INVALID.
 * nbins must be >= 2. */
int scar__otsu_threshold(const scar__planef *img, const scar__mask *mask,
                         uint32_t nbins, float *threshold);

/* Otsu from a histogram, = threshold_otsu(hist=(counts, centers)), or
 * hist=counts with centres 0..nbins-1 when centers is NULL. Leading and
 * trailing empty bins are trimmed first as skimage does. At least one
 * count must be positive. */
int scar__otsu_threshold_hist(const double *counts, const double *centers,
                              uint32_t nbins, double *threshold);

/* Hysteresis threshold, = skimage.filters.apply_hysteresis_threshold(img,
 * low, high): out = 1 on the pixels with value > low that are 4-connected
 * (skimage uses scipy.ndimage.label's default structure) through such
 * pixels to at least one pixel with value > high; low is first clipped to
 * high. Pixels where `valid` (optional) is 0, and NaN pixels, are never set
 * and never connect. `out` must not alias anything. */
int scar__hysteresis_threshold(const scar__planef *img,
                               const scar__mask *valid, float low, float high,
                               scar__mask *out);

/* scar__hysteresis_threshold with the caller's label map as the component
 * scratch (same size as img; its contents are overwritten and unspecified
 * on return), so that no label map is allocated. NULL: allocate one. */
int scar__hysteresis_threshold_scratch(const scar__planef *img,
                                       const scar__mask *valid, float low,
                                       float high, scar__labels *scratch,
                                       scar__mask *out);

/* Argument checks: scar__check_mask / _planef / _same_size in plane.h. */

#endif
