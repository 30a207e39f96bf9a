/* frame.c — the border lines of a photo that are a frame, not skin; see
 * skin.h and docs/skin.md ("Frame"). */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "segment/robust.h"
#include "skin/skin.h"

/* A side's first FRAME_MAX_LINES lines are looked at; the step between
 * two neighbouring lines is compared with the steps between the lines
 * FRAME_INNER_FIRST .. FRAME_INNER_FIRST + FRAME_INNER_COUNT inside
 * (skin and whatever else the photo shows there). */
#define FRAME_MAX_LINES 4u
#define FRAME_INNER_FIRST 6u
#define FRAME_INNER_COUNT 6u
/* A line is the frame's inner edge when its step to the next line is at
 * least FRAME_STEP_RATIO times the inner lines' median step and at least
 * FRAME_MIN_STEP (|dL*| + |da*| + |db*|, median along the side). On the
 * 26 web-collected acne-scar photos of the test set (not in the
 * repository), framed sides step by 14-90 against inner steps of 0-4.2
 * (docs/skin.md, "Frame"). */
#define FRAME_STEP_RATIO 4.0f
#define FRAME_MIN_STEP 6.0f

/* Pixel (i along the side, k lines in from it) of `side` (0 top, 1 bottom,
 * 2 left, 3 right) as plane coordinates. */
static void side_xy(int side, uint32_t w, uint32_t h, uint32_t i, uint32_t k,
                    uint32_t *x, uint32_t *y)
{
    switch (side) {
    case 0: *x = i; *y = k; break;
    case 1: *x = i; *y = h - 1 - k; break;
    case 2: *x = k; *y = i; break;
    default: *x = w - 1 - k; *y = i; break;
    }
}

static float lab_at(const scar__lab_planes *lab, uint32_t x, uint32_t y,
                    int c)
{
    const scar__planef *p = c == 0 ? &lab->L : c == 1 ? &lab->a : &lab->b;
    return scar__planef_row(p, y)[x];
}

/* Median over the side (corners left out: another side's frame lies
 * there) of the step between lines k and k + 1; `buf` holds n floats. */
static float line_step(const scar__lab_planes *lab, int side, uint32_t k,
                       uint32_t i0, uint32_t n, float *buf)
{
    uint32_t w = lab->L.width, h = lab->L.height;
    size_t m = 0;
    for (uint32_t i = i0; i < i0 + n; i++) {
        uint32_t x0, y0, x1, y1;
        side_xy(side, w, h, i, k, &x0, &y0);
        side_xy(side, w, h, i, k + 1, &x1, &y1);
        float d = 0.0f;
        for (int c = 0; c < 3; c++)
            d += fabsf(lab_at(lab, x0, y0, c) - lab_at(lab, x1, y1, c));
        if (isfinite(d))
            buf[m++] = d;
    }
    return m ? scar__median_inplace(buf, m) : 0.0f;
}

int scar__frame_widths(const scar__lab_planes *lab, const char *ctx,
                       uint32_t width[4])
{
    uint32_t w = lab->L.width, h = lab->L.height;
    for (int s = 0; s < 4; s++)
        width[s] = 0;
    uint32_t need = FRAME_INNER_FIRST + FRAME_INNER_COUNT + 1;
    uint32_t longest = w > h ? w : h;
    float *buf = malloc((size_t)longest * sizeof *buf);
    if (!buf)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory (frame)", ctx);
    for (int s = 0; s < 4; s++) {
        uint32_t along = s < 2 ? w : h, across = s < 2 ? h : w;
        /* too small to tell a frame from its inside */
        if (across < 2 * need || along < 4 * FRAME_MAX_LINES)
            continue;
        uint32_t i0 = FRAME_MAX_LINES, n = along - 2 * FRAME_MAX_LINES;
        float inner[FRAME_INNER_COUNT];
        for (uint32_t j = 0; j < FRAME_INNER_COUNT; j++)
            inner[j] = line_step(lab, s, FRAME_INNER_FIRST + j, i0, n, buf);
        float thr = FRAME_STEP_RATIO *
                    scar__median_inplace(inner, FRAME_INNER_COUNT);
        if (thr < FRAME_MIN_STEP)
            thr = FRAME_MIN_STEP;
        /* the frame ends at its last line that steps to the next: a
         * uniform frame steps only at its inner edge */
        for (uint32_t k = 0; k < FRAME_MAX_LINES; k++)
            if (line_step(lab, s, k, i0, n, buf) >= thr)
                width[s] = k + 1;
    }
    free(buf);
    return SCAR_OK;
}

void scar__frame_clear(const uint32_t width[4], scar__mask *mask)
{
    uint32_t w = mask->width, h = mask->height;
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *m = scar__mask_row(mask, y);
        if (y < width[0] || y >= h - width[1]) {
            for (uint32_t x = 0; x < w; x++)
                m[x] = 0;
            continue;
        }
        for (uint32_t x = 0; x < width[2] && x < w; x++)
            m[x] = 0;
        for (uint32_t x = w - width[3]; x < w; x++)
            m[x] = 0;
    }
}
