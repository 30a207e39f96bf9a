/* plane.h — internal: the single-channel planes that filter, morph, skin,
 * segment and score pass between them. Views, not owners: a plane points
 * into memory somebody else allocated (scar__planef_alloc gives owned ones).
 * Strides are in elements, so row y starts at data + y * stride. */
#ifndef SCAR_PLANE_H
#define SCAR_PLANE_H

#include <stddef.h>
#include <stdint.h>

typedef struct scar__planef {  /* float samples (L*, residuals, z-scores) */
    float *data;
    uint32_t width, height;
    size_t stride;             /* floats between row starts, >= width */
} scar__planef;

typedef struct scar__mask {    /* binary mask: non-zero = inside/valid */
    uint8_t *data;
    uint32_t width, height;
    size_t stride;             /* bytes between row starts, >= width */
} scar__mask;

typedef struct scar__labels {  /* region labels: 0 = background, 1..n */
    int32_t *data;
    uint32_t width, height;
    size_t stride;             /* int32 elements between row starts */
} scar__labels;

/* Owned, tightly packed planes (stride == width), zero-filled, released with
 * scar__plane_free(p.data). Return SCAR_OK, SCAR_E_INVALID (zero size) or
 * SCAR_E_NOMEM, with the message prefixed by ctx. */
int scar__planef_alloc(uint32_t width, uint32_t height, const char *ctx,
                       scar__planef *out);
int scar__mask_alloc(uint32_t width, uint32_t height, const char *ctx,
                     scar__mask *out);
int scar__labels_alloc(uint32_t width, uint32_t height, const char *ctx,
                       scar__labels *out);
void scar__plane_free(void *data);

/* Argument checks shared by every module that takes planes: SCAR_OK, or
 * SCAR_E_INVALID with a message "fn: what ..." saying what to pass. */
int scar__check_mask(const scar__mask *m, const char *fn, const char *what);
int scar__check_planef(const scar__planef *p, const char *fn, const char *what);
int scar__check_same_size(uint32_t w, uint32_t h, uint32_t w2, uint32_t h2,
                          const char *fn, const char *what);

/* The number of non-zero pixels of m. */
uint64_t scar__mask_count(const scar__mask *m);

/* Row pointers. */
static inline float *scar__planef_row(const scar__planef *p, uint32_t y)
{
    return p->data + (size_t)y * p->stride;
}
static inline uint8_t *scar__mask_row(const scar__mask *m, uint32_t y)
{
    return m->data + (size_t)y * m->stride;
}
static inline int32_t *scar__labels_row(const scar__labels *l, uint32_t y)
{
    return l->data + (size_t)y * l->stride;
}

#endif
