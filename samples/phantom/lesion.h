/* lesion.h — the lesion kinds: their sizes, relief and colour change, where
 * they are placed, and their contrast profile.
 *
 * Every lesion has a normalised distance rho(x, y) from its centre, equal to
 * 1 on its (irregular) outline, and a contrast profile
 *     g(rho) = exp(-ln2 * rho^p)
 * which is 1 at the centre and exactly 1/2 on the outline, so the truth mask
 * "contrast >= half its peak" is rho <= 1. Large p gives a flat floor and
 * steep walls (boxcar), p ~ 2 a soft Gaussian-like undulation (rolling). */
#ifndef PHANTOM_LESION_H
#define PHANTOM_LESION_H

#include "phantom.h"
#include "rng.h"

/* Effective optical-density spectra in the camera's R, G, B bands (blue-
 * normalised for melanin, green-normalised for haemoglobin); docs/phantom.md
 * says where the numbers come from. */
extern const double lesion_eps_melanin[3];
extern const double lesion_eps_hb[3];
extern const double lesion_eps_hb_deoxy[3];

/* Draw kind-specific size, relief, edge sharpness, outline and colour change
 * (not the position). `melanin` is the skin's melanin OD above pale skin;
 * max_len_mm bounds striae length to the frame. */
void lesion_draw(phantom_lesion *l, int kind, double melanin, double px_per_mm,
                 double max_len_mm, prng *r);

/* Try to place `l` in the w x h frame without its tail touching any of the
 * n already placed lesions and with its 3 mm ring inside the frame when
 * possible. Returns 1 when placed (cx, cy set), 0 when no room. */
int lesion_place(phantom_lesion *l, const phantom_lesion *placed, int n,
                 uint32_t w, uint32_t h, double px_per_mm, prng *r);

/* Cluster layout: try to place `l` around (cx0, cy0), Gaussian offsets of
 * sd `spread` px, inside the frame, without its tail touching any of the n
 * already placed lesions (rings may hold neighbours). Returns 1 when
 * placed, 0 when no room. */
int lesion_place_cluster(phantom_lesion *l, const phantom_lesion *placed,
                         int n, uint32_t w, uint32_t h, double cx0,
                         double cy0, double spread, prng *r);

/* rho at pixel centre (x, y) in px. */
double lesion_rho(const phantom_lesion *l, double x, double y);

/* g(rho) = exp(-ln2 rho^p). */
double lesion_profile(const phantom_lesion *l, double rho);

/* True for the scar kinds whose contrast is relief (depth or height). */
int lesion_is_relief(int kind);
int lesion_is_striae(int kind);

#endif
