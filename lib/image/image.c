/* image.c — the image type: construction, accessors, limits, and the
 * format-detecting load entry points that dispatch to png.c / jpeg.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../error.h"
#include "image_internal.h"

static int valid_layout(uint32_t channels, uint32_t bit_depth)
{
    return channels >= 1 && channels <= 4 && (bit_depth == 8 || bit_depth == 16);
}

int scar__image_alloc(uint32_t width, uint32_t height, uint32_t channels,
                      uint32_t bit_depth, const char *ctx, scar_image **out)
{
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", ctx);
    *out = NULL;
    if (width == 0 || height == 0 || !valid_layout(channels, bit_depth))
        return scar__fail(SCAR_E_INVALID,
                          "%s: bad image layout %ux%u, %u channels, %u-bit "
                          "(need sizes >= 1, 1-4 channels, 8 or 16 bits)",
                          ctx, width, height, channels, bit_depth);
    uint64_t stride = (uint64_t)width * channels * (bit_depth / 8);
    uint64_t bytes = stride * height; /* < 2^32 * 8 * 2^32: no u64 overflow */
    if (bytes > (uint64_t)SIZE_MAX || bytes / height != stride)
        return scar__fail(SCAR_E_LIMIT, "%s: %ux%u image does not fit in memory",
                          ctx, width, height);
    scar_image *img = calloc(1, sizeof *img);
    if (!img)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", ctx);
    img->data = calloc((size_t)bytes, 1);
    if (!img->data) {
        free(img);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for %ux%u image",
                          ctx, width, height);
    }
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->bit_depth = bit_depth;
    img->stride = (size_t)stride;
    img->owns_data = 1;
    img->orientation = 1;
    img->scale_denom = 1;
    img->format = SCAR_FORMAT_UNKNOWN;
    *out = img;
    return SCAR_OK;
}

int scar_image_new(uint32_t width, uint32_t height, uint32_t channels,
                   uint32_t bit_depth, scar_image **out)
{
    return scar__image_alloc(width, height, channels, bit_depth,
                             "scar_image_new", out);
}

int scar_image_from_memory(const void *pixels, uint32_t width, uint32_t height,
                           uint32_t channels, uint32_t bit_depth, size_t stride,
                           uint32_t flags, scar_image **out)
{
    static const char ctx[] = "scar_image_from_memory";
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", ctx);
    *out = NULL;
    if (!pixels)
        return scar__fail(SCAR_E_INVALID, "%s: pixels is NULL", ctx);
    if (flags != SCAR_IMAGE_COPY && flags != SCAR_IMAGE_BORROW)
        return scar__fail(SCAR_E_INVALID, "%s: unknown flags %u", ctx, flags);
    if (width == 0 || height == 0 || !valid_layout(channels, bit_depth))
        return scar__fail(SCAR_E_INVALID,
                          "%s: bad image layout %ux%u, %u channels, %u-bit",
                          ctx, width, height, channels, bit_depth);
    uint64_t row = (uint64_t)width * channels * (bit_depth / 8);
    if (stride < row)
        return scar__fail(SCAR_E_INVALID,
                          "%s: stride %zu is smaller than a row (%llu bytes)",
                          ctx, stride, (unsigned long long)row);
    if (bit_depth == 16 && ((stride % 2) != 0 || ((uintptr_t)pixels % 2) != 0))
        return scar__fail(SCAR_E_INVALID,
                          "%s: 16-bit pixels need an even stride and 2-byte "
                          "alignment", ctx);
    if ((uint64_t)stride * (height - 1) + row > (uint64_t)SIZE_MAX)
        return scar__fail(SCAR_E_LIMIT, "%s: image spans more than the address "
                          "space", ctx);
    if (flags == SCAR_IMAGE_BORROW) {
        scar_image *img = calloc(1, sizeof *img);
        if (!img)
            return scar__fail(SCAR_E_NOMEM, "%s: out of memory", ctx);
        img->data = (uint8_t *)(uintptr_t)pixels;
        img->width = width;
        img->height = height;
        img->channels = channels;
        img->bit_depth = bit_depth;
        img->stride = stride;
        img->owns_data = 0;
        img->orientation = 1;
        img->scale_denom = 1;
        *out = img;
        return SCAR_OK;
    }
    scar_image *img;
    int st = scar__image_alloc(width, height, channels, bit_depth, ctx, &img);
    if (st != SCAR_OK)
        return st;
    for (uint32_t y = 0; y < height; y++)
        memcpy(img->data + (size_t)y * img->stride,
               (const uint8_t *)pixels + (size_t)y * stride, (size_t)row);
    *out = img;
    return SCAR_OK;
}

void scar_image_free(scar_image *img)
{
    if (!img)
        return;
    if (img->owns_data)
        free(img->data);
    free(img);
}

void scar_free(void *ptr) { free(ptr); }

uint32_t scar_image_width(const scar_image *img) { return img ? img->width : 0; }
uint32_t scar_image_height(const scar_image *img) { return img ? img->height : 0; }
uint32_t scar_image_channels(const scar_image *img) { return img ? img->channels : 0; }
uint32_t scar_image_bit_depth(const scar_image *img) { return img ? img->bit_depth : 0; }
size_t scar_image_stride(const scar_image *img) { return img ? img->stride : 0; }
uint32_t scar_image_orientation(const scar_image *img) { return img ? img->orientation : 0; }
uint32_t scar_image_scale_denom(const scar_image *img) { return img ? img->scale_denom : 0; }
scar_format scar_image_format(const scar_image *img)
{
    return img ? img->format : SCAR_FORMAT_UNKNOWN;
}

void *scar_image_row(const scar_image *img, uint32_t y)
{
    if (!img || y >= img->height)
        return NULL;
    return img->data + (size_t)y * img->stride;
}

void *scar_image_data(const scar_image *img) { return scar_image_row(img, 0); }

scar_format scar_detect_format(const void *data, size_t size)
{
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const uint8_t *p = data;
    if (!p)
        return SCAR_FORMAT_UNKNOWN;
    if (size >= 8 && memcmp(p, png_sig, 8) == 0)
        return SCAR_FORMAT_PNG;
    if (size >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return SCAR_FORMAT_JPEG;
    return SCAR_FORMAT_UNKNOWN;
}

void scar_load_options_init(scar_load_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->struct_size = (uint32_t)sizeof *opts;
    opts->max_side = SCAR_DEFAULT_MAX_SIDE;
    opts->max_pixels = SCAR_DEFAULT_MAX_PIXELS;
    opts->scale_denom = 1;
    opts->apply_orientation = 1;
}

/* Merge caller options onto defaults, honouring struct_size so callers
 * compiled against an older, shorter struct keep defaults for new fields. */
int scar__load_resolve_options(const scar_load_options *in,
                               scar_load_options *out, const char *ctx)
{
    scar_load_options_init(out);
    if (!in)
        return SCAR_OK;
    size_t first_version = offsetof(scar_load_options, apply_orientation) +
                           sizeof in->apply_orientation;
    if (in->struct_size < first_version || in->struct_size > sizeof *out)
        return scar__fail(SCAR_E_VERSION,
                          "%s: scar_load_options.struct_size is %u; call "
                          "scar_load_options_init() before setting fields",
                          ctx, in->struct_size);
    memcpy(out, in, in->struct_size);
    out->struct_size = (uint32_t)sizeof *out;
    if (out->scale_denom != 1 && out->scale_denom != 2 &&
        out->scale_denom != 4 && out->scale_denom != 8)
        return scar__fail(SCAR_E_INVALID,
                          "%s: scale_denom is %u; use 1, 2, 4 or 8", ctx,
                          out->scale_denom);
    if (out->max_side == 0 || out->max_pixels == 0)
        return scar__fail(SCAR_E_INVALID, "%s: max_side and max_pixels must be "
                          "positive", ctx);
    return SCAR_OK;
}

int scar__check_limits(const scar_load_options *opts, uint64_t width,
                       uint64_t height, const char *ctx)
{
    if (width == 0 || height == 0)
        return scar__fail(SCAR_E_CORRUPT, "%s: header declares a %llux%llu "
                          "image", ctx, (unsigned long long)width,
                          (unsigned long long)height);
    if (width > opts->max_side || height > opts->max_side)
        return scar__fail(SCAR_E_LIMIT,
                          "%s: %llux%llu exceeds the limit of %u px per side; "
                          "raise scar_load_options.max_side to accept it",
                          ctx, (unsigned long long)width,
                          (unsigned long long)height, opts->max_side);
    if (width * height > opts->max_pixels) /* both <= 2^32: no overflow */
        return scar__fail(SCAR_E_LIMIT,
                          "%s: %llux%llu exceeds the limit of %llu pixels; "
                          "raise scar_load_options.max_pixels to accept it",
                          ctx, (unsigned long long)width,
                          (unsigned long long)height,
                          (unsigned long long)opts->max_pixels);
    return SCAR_OK;
}

int scar__image_decode(const uint8_t *data, size_t size,
                       const scar_load_options *o, const char *ctx,
                       scar_image **out)
{
    scar_image *img = NULL;
    int st;
    if (size == 0)
        return scar__fail(SCAR_E_FORMAT, "%s: empty file", ctx);
    switch (scar_detect_format(data, size)) {
    case SCAR_FORMAT_PNG: st = scar__png_decode(data, size, o, ctx, &img); break;
    case SCAR_FORMAT_JPEG: st = scar__jpeg_decode(data, size, o, ctx, &img); break;
    default:
        return scar__fail(SCAR_E_FORMAT,
                          "%s: not a PNG or JPEG file (unrecognised first "
                          "bytes); scarscore reads PNG and JPEG", ctx);
    }
    if (st != SCAR_OK)
        return st;
    if (o->apply_orientation && img->orientation != 1) {
        st = scar__image_apply_orientation(&img, img->orientation, ctx);
        if (st != SCAR_OK) {
            scar_image_free(img);
            return st;
        }
    }
    *out = img;
    return SCAR_OK;
}

int scar_image_load_memory(const void *data, size_t size,
                           const scar_load_options *opts, scar_image **out)
{
    static const char ctx[] = "scar_image_load_memory";
    if (!out)
        return scar__fail(SCAR_E_INVALID, "%s: out is NULL", ctx);
    *out = NULL;
    if (!data && size)
        return scar__fail(SCAR_E_INVALID, "%s: data is NULL", ctx);
    scar_load_options o;
    int st = scar__load_resolve_options(opts, &o, ctx);
    if (st != SCAR_OK)
        return st;
    return scar__image_decode(data, size, &o, ctx, out);
}

/* Read a whole regular file. Photos are at most tens of MB, and decoding
 * from memory gives one code path for files and buffers. */
int scar__read_file(const char *path, const char *ctx, uint8_t **out,
                    size_t *out_size)
{
    *out = NULL;
    *out_size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        char why[128] = "unknown reason";
        strerror_r(errno, why, sizeof why); /* strerror() is not thread-safe */
        return scar__fail(SCAR_E_IO, "%s: cannot open: %s", ctx, why);
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return scar__fail(SCAR_E_IO, "%s: not a regular file (a directory?)", ctx);
    }
    if ((uint64_t)sb.st_size > (uint64_t)SIZE_MAX - 1) {
        fclose(f);
        return scar__fail(SCAR_E_LIMIT, "%s: file too large", ctx);
    }
    size_t size = (size_t)sb.st_size;
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        fclose(f);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory reading %zu bytes",
                          ctx, size);
    }
    size_t got = size ? fread(buf, 1, size, f) : 0;
    int err = ferror(f);
    fclose(f);
    if (got != size || err) {
        free(buf);
        return scar__fail(SCAR_E_IO, "%s: read error after %zu of %zu bytes",
                          ctx, got, size);
    }
    *out = buf;
    *out_size = size;
    return SCAR_OK;
}

int scar_image_load(const char *path, const scar_load_options *opts,
                    scar_image **out)
{
    if (!out)
        return scar__fail(SCAR_E_INVALID, "scar_image_load: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return scar__fail(SCAR_E_INVALID, "scar_image_load: path is NULL or empty");
    /* Long paths are cut in messages, never in the open() call. */
    char ctx[320];
    snprintf(ctx, sizeof ctx, "scar_image_load: %.290s", path);
    scar_load_options o;
    int st = scar__load_resolve_options(opts, &o, ctx);
    if (st != SCAR_OK)
        return st;
    uint8_t *data;
    size_t size;
    st = scar__read_file(path, ctx, &data, &size);
    if (st != SCAR_OK)
        return st;
    st = scar__image_decode(data, size, &o, ctx, out);
    free(data);
    return st;
}
