/* filter_internal.h — private to lib/filter: argument checks shared by the
 * filter functions and the two 1-D Gaussian engines. Not used outside
 * lib/filter (others include filter.h). */
#ifndef SCAR_FILTER_INTERNAL_H
#define SCAR_FILTER_INTERNAL_H

#include <stdint.h>

#include "plane.h"

/* ctx for messages when the caller passed NULL. */
#define SCAR__FILTER_CTX(ctx) ((ctx) ? (ctx) : "scar_filter")

/* SCAR_OK if p is a usable plane (non-NULL, data non-NULL, non-zero size,
 * stride >= width), else SCAR_E_INVALID with a message naming `op` and
 * `name` ("scar_analyze: gaussian: plane 'out' is NULL"). */
int scar__filter_check_planef(const scar__planef *p, const char *ctx,
                              const char *op, const char *name);
int scar__filter_check_mask(const scar__mask *m, const char *ctx,
                            const char *op, const char *name);

/* SCAR_OK if a (w x h) equals b (w x h), else SCAR_E_INVALID naming both. */
int scar__filter_check_same_size(uint32_t aw, uint32_t ah, uint32_t bw,
                                 uint32_t bh, const char *ctx, const char *op,
                                 const char *a, const char *b);

/* The engines behind scar__gaussian_ex. Arguments are already checked
 * (same size, sigma > 0 finite); in == out allowed. */
int scar__gauss_exact_run(const scar__planef *in, scar__planef *out,
                          double sigma, const char *ctx);
int scar__gauss_deriche_run(const scar__planef *in, scar__planef *out,
                            double sigma, const char *ctx);

/* Bilinear sampling along one axis (filter.h, scar__upsample_bilinear):
 * for n_out positions over n_in samples, i0, i1 and the weight f of i1
 * (the weight of i0 is 1 - f). */
void scar__bilinear_axis(uint32_t n_in, uint32_t n_out, uint32_t *i0,
                         uint32_t *i1, float *f);

#endif
