/* analyze_file.c — scar_analyze_memory and scar_analyze_file: load +
 * scar_analyze in one call, with the same result bit for bit. A JPEG
 * that the analysis shrinks (the usual case: a 12 MP photo at 15 px/mm is
 * analysed at 5 px/mm) is decoded and shrunk in one pass, a strip of rows
 * at a time, and never held at full size: 3 bytes per input pixel less
 * memory, fresh pages the kernel never has to fault in, and no second
 * pass over them (docs/performance.md, session 25). Other photos (PNG,
 * JPEG analysed at full resolution or stored rotated by EXIF) are loaded
 * whole, as scar_image_load does. */
#include <stdio.h>
#include <stdlib.h>

#include "analyze/analyze_internal.h"
#include "analyze/analyze_timing.h"
#include "error.h"
#include "image/image_internal.h"
#include "image/photo_rows.h"

/* The JPEG as a photo of rows (*streamed = 1) when its rows come upright
 * from the file and the analysis shrinks it; *streamed = 0 otherwise, or
 * a status when the header cannot be read. */
static int jpeg_photo(const uint8_t *data, size_t size,
                      const scar_load_options *lo,
                      const scar_analyze_options *opts, const char *ctx,
                      scar__photo *p, int *streamed)
{
    uint32_t orientation;
    int st = scar__photo_of_jpeg(data, size, lo, ctx, p, &orientation);
    /* a rotated photo's upright rows are not the file's rows */
    *streamed = !st && !(lo->apply_orientation && orientation != 1) &&
                scar__analyze_shrink_factor(opts, p->width, p->height) >= 2;
    return st;
}

static int analyze_bytes(const uint8_t *data, size_t size,
                         const scar_load_options *load, const scar_image *roi,
                         const scar_analyze_options *opts, scar_result **out,
                         scar__analyze_timing *timing, const char *ctx)
{
    scar_load_options lo;
    int st = scar__load_resolve_options(load, &lo, ctx);
    if (st)
        return st;
    if (size && scar_detect_format(data, size) == SCAR_FORMAT_JPEG) {
        scar__photo p = {0};
        int streamed = 0;
        st = jpeg_photo(data, size, &lo, opts, ctx, &p, &streamed);
        if (st)
            return st;
        if (streamed)
            return scar__analyze_photo(&p, roi, opts, out, timing, ctx);
    }
    scar_image *img = NULL;
    st = scar__image_decode(data, size, &lo, ctx, &img);
    if (st)
        return st;
    scar__photo p;
    scar__photo_of_image(img, &p);
    st = scar__analyze_photo(&p, roi, opts, out, timing, ctx);
    scar_image_free(img);
    return st;
}

int scar_analyze_memory(const void *data, size_t size,
                        const scar_load_options *load, const scar_image *roi,
                        const scar_analyze_options *opts, scar_result **out)
{
    static const char ctx[] = "scar_analyze_memory";
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", ctx);
    *out = NULL;
    if (!data && size)
        return scar__fail(SCAR_E_INVALID, "%s: data is NULL", ctx);
    return analyze_bytes(data, size, load, roi, opts, out, NULL, ctx);
}

int scar__analyze_memory_timed(const void *data, size_t size,
                               const scar_analyze_options *opts,
                               scar_result **out,
                               scar__analyze_timing *timing)
{
    static const char ctx[] = "scar_analyze_memory";
    *out = NULL;
    return analyze_bytes(data, size, NULL, NULL, opts, out, timing, ctx);
}

int scar_analyze_file(const char *path, const scar_load_options *load,
                      const scar_image *roi, const scar_analyze_options *opts,
                      scar_result **out)
{
    if (!out)
        return scar__fail(SCAR_E_INVALID, "scar_analyze_file: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return scar__fail(SCAR_E_INVALID,
                          "scar_analyze_file: path is NULL or empty");
    /* long paths are cut in messages, never in the open() call */
    char ctx[320];
    snprintf(ctx, sizeof ctx, "scar_analyze_file: %.290s", path);
    uint8_t *data = NULL;
    size_t size = 0;
    int st = scar__read_file(path, ctx, &data, &size);
    if (!st)
        st = analyze_bytes(data, size, load, roi, opts, out, NULL, ctx);
    free(data);
    return st;
}
