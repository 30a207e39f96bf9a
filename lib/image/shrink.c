/* shrink.c — block-mean shrinking of an image by an integer factor: output
 * pixel (i, j) is the mean of the input block [i*f, (i+1)*f) x [j*f,
 * (j+1)*f), clipped at the right and bottom edges (a partial last block is
 * the mean of the pixels it holds), so the output is ceil(w/f) x
 * ceil(h/f), the size libjpeg's DCT scaling gives. Blocks start at the
 * origin, so a JPEG's 8x8 (16x16 chroma) block grid maps onto a grid of
 * 8/f (16/f) pixels (docs/segment.md, "Analysis resolution").
 * Sums are exact integers; the mean is rounded half up. With a mask, a
 * block's mean is over its masked pixels (over all of them when it has
 * none): pixels outside a region of interest never enter a kept mean.
 * Rows are read once from the top (image/photo_rows.h), so a JPEG can be
 * shrunk as it is decoded, never held at full size. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "image/image_internal.h"
#include "image/photo_rows.h"
#include "image/shrink.h"

/* vsum[k] += row[k], k < n: the vertical part of a block sum, over whole
 * rows (contiguous, vectorised); one function per sample type. */
static void add_row8(const uint8_t *row, size_t n, uint32_t *vsum)
{
    for (size_t k = 0; k < n; k++)
        vsum[k] += row[k];
}

static void add_row16(const uint8_t *row, size_t n, uint32_t *vsum)
{
    const uint16_t *p = (const uint16_t *)(const void *)row;
    for (size_t k = 0; k < n; k++)
        vsum[k] += p[k];
}

/* vsum[k] += row[k] where the row's mask is set (pixel k / C), and
 * vcnt[k / C] counts those pixels. */
static void add_row_masked(const uint8_t *row, uint32_t depth, uint32_t w,
                           uint32_t C, const uint8_t *m, uint32_t *vsum,
                           uint32_t *vcnt)
{
    for (uint32_t x = 0; x < w; x++) {
        if (!m[x])
            continue;
        vcnt[x]++;
        for (uint32_t c = 0; c < C; c++) {
            size_t k = (size_t)x * C + c;
            vsum[k] += depth == 16 ? ((const uint16_t *)(const void *)row)[k]
                                   : row[k];
        }
    }
}

/* v / d for the block means: the high half of v * recip, recip =
 * floor((2^64 - 1) / d) + 1 for d not a power of two, which is exact
 * while v * d < 2^64 (Granlund & Montgomery 1994); here v < 2^34 and
 * d <= 2^17. Without 128-bit products, a division. */
static inline uint64_t div_by(uint64_t v, uint64_t d, uint64_t recip)
{
#if defined(__SIZEOF_INT128__)
    (void)d;
    return (uint64_t)(((unsigned __int128)v * recip) >> 64);
#else
    (void)recip;
    return v / d;
#endif
}

int scar__image_shrink(const scar_image *in, uint32_t factor, const char *ctx,
                       scar_image **out)
{
    return scar__image_shrink_masked(in, NULL, 0, factor, ctx, out);
}

int scar__image_shrink_masked(const scar_image *in, const uint8_t *mask,
                              size_t mask_stride, uint32_t factor,
                              const char *ctx, scar_image **out)
{
    scar__photo p;
    scar__photo_of_image(in, &p);
    return scar__photo_shrink_masked(&p, mask, mask_stride, factor, ctx, out);
}

int scar__photo_shrink_masked(const scar__photo *in, const uint8_t *mask,
                              size_t mask_stride, uint32_t factor,
                              const char *ctx, scar_image **out)
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
    scar__photo_rows rows;
    st = scar__photo_rows_open(in, &rows);
    if (st) {
        scar_image_free(o);
        return st;
    }
    uint32_t C = in->channels, depth = in->bit_depth;
    size_t row_n = (size_t)ow * C, in_n = (size_t)in->width * C;
    /* a block sum is at most 256 * 256 * 65535 < 2^32; with a mask, the
     * masked sums and counts come too */
    size_t n_buf = row_n + in_n + (mask ? in_n + in->width + ow : 0);
    uint32_t *acc = malloc(n_buf * sizeof *acc);
    if (!acc) {
        scar__photo_rows_close(&rows);
        scar_image_free(o);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (shrinking)", ctx);
    }
    uint32_t *vsum = acc + row_n; /* column sums of the block's rows */
    uint32_t *msum = mask ? vsum + in_n : NULL;  /* ... of masked pixels */
    uint32_t *vcnt = mask ? msum + in_n : NULL;  /* masked pixels per column */
    uint32_t *bcnt = mask ? vcnt + in->width : NULL; /* ... per block */
    for (uint32_t j = 0; j < oh; j++) {
        uint32_t y0 = j * factor;
        uint32_t y1 = y0 + factor < in->height ? y0 + factor : in->height;
        memset(vsum, 0, in_n * sizeof *vsum);
        if (mask) {
            memset(msum, 0, in_n * sizeof *msum);
            memset(vcnt, 0, in->width * sizeof *vcnt);
        }
        for (uint32_t y = y0; y < y1; y++) {
            const uint8_t *p;
            st = scar__photo_rows_next(&rows, &p);
            if (st)
                goto fail;
            if (depth == 16)
                add_row16(p, in_n, vsum);
            else
                add_row8(p, in_n, vsum);
            if (mask)
                add_row_masked(p, depth, in->width, C,
                               mask + (size_t)y * mask_stride, msum, vcnt);
        }
        for (uint32_t i = 0; i < ow; i++) {
            uint32_t x0 = i * factor;
            uint32_t x1 = x0 + factor < in->width ? x0 + factor : in->width;
            uint32_t nm = 0;
            if (mask)
                for (uint32_t x = x0; x < x1; x++)
                    nm += vcnt[x];
            /* with a mask, the block's masked pixels when it has any */
            const uint32_t *src = nm ? msum : vsum;
            for (uint32_t c = 0; c < C; c++) {
                uint32_t sum = 0;
                for (uint32_t x = x0; x < x1; x++)
                    sum += src[(size_t)x * C + c];
                acc[(size_t)i * C + c] = sum;
            }
            if (mask)
                bcnt[i] = nm;
        }
        uint8_t *q = o->data + (size_t)j * o->stride;
        uint64_t last_n = 0, recip = 0;
        int sh = 0;
        for (uint32_t i = 0; i < ow; i++) {
            uint32_t x0 = i * factor;
            uint32_t x1 = x0 + factor < in->width ? x0 + factor : in->width;
            uint64_t n = (uint64_t)(x1 - x0) * (y1 - y0);
            if (mask && bcnt[i])
                n = bcnt[i];
            if (n != last_n) {
                /* power-of-two blocks: a shift; others: div_by */
                last_n = n;
                sh = (n & (n - 1)) == 0 ? __builtin_ctzll(2 * n) : -1;
                recip = sh >= 0 ? 0 : UINT64_MAX / (2 * n) + 1;
            }
            for (uint32_t c = 0; c < C; c++) {
                uint64_t v = (uint64_t)acc[(size_t)i * C + c] * 2 + n;
                uint64_t m = sh >= 0 ? v >> sh : div_by(v, 2 * n, recip);
                if (depth == 16)
                    ((uint16_t *)(void *)q)[(size_t)i * C + c] = (uint16_t)m;
                else
                    q[(size_t)i * C + c] = (uint8_t)m;
            }
        }
    }
    free(acc);
    scar__photo_rows_close(&rows);
    o->format = in->format;
    *out = o;
    return SCAR_OK;
fail:
    free(acc);
    scar__photo_rows_close(&rows);
    scar_image_free(o);
    return st;
}
