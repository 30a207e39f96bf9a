/* shrink.c — block-mean shrinking of an image by an integer factor: output
 * pixel (i, j) is the mean of the input block [i*f, (i+1)*f) x [j*f,
 * (j+1)*f), clipped at the right and bottom edges (a partial last block is
 * the mean of the pixels it holds), so the output is ceil(w/f) x
 * ceil(h/f), the size libjpeg's DCT scaling gives. Blocks start at the
 * origin, so a JPEG's 8x8 (16x16 chroma) block grid maps onto a grid of
 * 8/f (16/f) pixels (docs/segment.md, "Analysis resolution").
 * Sums are exact integers (at most 2^32 samples of 16 bits per block fits
 * a uint64); the mean is rounded half up. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "image/image_internal.h"
#include "image/shrink.h"

static inline uint32_t sample(const uint8_t *row, size_t k, uint32_t depth)
{
    return depth == 16 ? ((const uint16_t *)(const void *)row)[k] : row[k];
}

int scar__image_shrink(const scar_image *in, uint32_t factor, const char *ctx,
                       scar_image **out)
{
    *out = NULL;
    if (factor == 0 || factor > 256)
        return scar__fail(SCAR_E_INVALID, "%s: shrink factor %u (need 1-256)",
                          ctx, factor);
    uint32_t ow = in->width / factor + (in->width % factor != 0);
    uint32_t oh = in->height / factor + (in->height % factor != 0);
    scar_image *o = NULL;
    int st = scar__image_alloc(ow, oh, in->channels, in->bit_depth, ctx, &o);
    if (st)
        return st;
    uint32_t C = in->channels, depth = in->bit_depth;
    size_t row_n = (size_t)ow * C;
    uint64_t *acc = malloc(row_n * sizeof *acc);
    if (!acc) {
        scar_image_free(o);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (shrinking)", ctx);
    }
    for (uint32_t j = 0; j < oh; j++) {
        uint32_t y0 = j * factor;
        uint32_t y1 = y0 + factor < in->height ? y0 + factor : in->height;
        memset(acc, 0, row_n * sizeof *acc);
        for (uint32_t y = y0; y < y1; y++) {
            const uint8_t *p = in->data + (size_t)y * in->stride;
            for (uint32_t i = 0; i < ow; i++) {
                uint32_t x0 = i * factor;
                uint32_t x1 = x0 + factor < in->width ? x0 + factor : in->width;
                for (uint32_t c = 0; c < C; c++) {
                    uint64_t s = 0;
                    for (uint32_t x = x0; x < x1; x++)
                        s += sample(p, (size_t)x * C + c, depth);
                    acc[(size_t)i * C + c] += s;
                }
            }
        }
        uint8_t *q = o->data + (size_t)j * o->stride;
        for (uint32_t i = 0; i < ow; i++) {
            uint32_t x0 = i * factor;
            uint32_t x1 = x0 + factor < in->width ? x0 + factor : in->width;
            uint64_t n = (uint64_t)(x1 - x0) * (y1 - y0);
            for (uint32_t c = 0; c < C; c++) {
                uint64_t m = (acc[(size_t)i * C + c] * 2 + n) / (2 * n);
                if (depth == 16)
                    ((uint16_t *)(void *)q)[(size_t)i * C + c] = (uint16_t)m;
                else
                    q[(size_t)i * C + c] = (uint8_t)m;
            }
        }
    }
    free(acc);
    o->format = in->format;
    *out = o;
    return SCAR_OK;
}
