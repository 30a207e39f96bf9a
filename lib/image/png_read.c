/* png_read.c — PNG decoding with libpng 1.6 (classic API), from memory.
 *
 * The classic API is used rather than png_image because it gives exact
 * control of the output: png_set_expand() (gray 1/2/4-bit scaled to 8 bits
 * by bit replication, tRNS -> alpha) and 16-bit samples kept at 16 bits
 * (png_set_swap() for native byte order), with no gamma or colour
 * conversion. Palette images are expanded here, not by libpng, because
 * libpng silently paints indices beyond the PLTE black (its own check runs
 * after expansion, so png_set_expand() disables it). The exact output
 * layout is defined in docs/image-png.md.
 *
 * libpng reports errors by longjmp. All setjmp use is confined to
 * decode_with_libpng(); everything it must release after a longjmp is either
 * created before the setjmp and never reassigned, or volatile. */
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "image_internal.h"

/* The encoded file being read: libpng's io pointer. */
struct png_source {
    const uint8_t *data;
    size_t size;
    size_t pos;
};

/* Error/warning state: libpng's error pointer. It lives in the frame of
 * scar__png_decode, not of the function that calls setjmp, so its fields
 * are well defined after a longjmp. */
struct png_decode_state {
    const char *ctx;
    const scar_load_options *opts;
    png_infop info;     /* to see IHDR as soon as libpng has parsed it */
    int limits_checked; /* 1 once IHDR passed scar__check_limits */
    int status;         /* status recorded by the error handler */
    int reading_pixels; /* 1 while png_read_image runs */
    char warning[128];  /* last ignored warning, to explain a later error */
};

/* Out-of-memory messages from libpng ("Out of memory", "Insufficient
 * memory ...") become SCAR_E_NOMEM; every other error is corrupt data. */
static int status_for_message(const char *msg)
{
    return strstr(msg, "memory") ? SCAR_E_NOMEM : SCAR_E_CORRUPT;
}

static void on_png_error(png_structp png, png_const_charp msg)
{
    struct png_decode_state *st = png_get_error_ptr(png);
    st->status = status_for_message(msg);
    /* libpng explains a bad IHDR in warnings and then fails with just
     * "Invalid IHDR data"; keep the explanation. */
    if (st->warning[0])
        scar__fail(st->status, "%s: %s (%s)", st->ctx, msg, st->warning);
    else
        scar__fail(st->status, "%s: %s", st->ctx, msg);
    png_longjmp(png, 1);
}

/* libpng demotes some problems to warnings. Those that mean the pixels are
 * wrong are errors here: any warning while rows are decoded, and palette
 * indices beyond the PLTE (reported only at png_read_end; libpng would give
 * black for them). Warnings about ancillary chunks (bad iCCP, CRC error in
 * tEXt, extra compressed data after the last row) leave the pixels exact
 * and are ignored: refusing them would refuse many real-world files. */
static void on_png_warning(png_structp png, png_const_charp msg)
{
    struct png_decode_state *st = png_get_error_ptr(png);
    if (st->reading_pixels || strstr(msg, "palette index")) {
        st->status = SCAR_E_CORRUPT;
        scar__fail(st->status, "%s: %s", st->ctx, msg);
        png_longjmp(png, 1);
    }
    snprintf(st->warning, sizeof st->warning, "%s", msg);
}

/* libpng parses IHDR (CRC and value checks included) inside png_read_info,
 * which then goes on to read every chunk before the first IDAT. The first
 * read after IHDR is parsed is where the size limits are checked, so a
 * dimension bomb is refused with SCAR_E_LIMIT whatever follows its header. */
static void check_limits_after_ihdr(png_structp png, struct png_decode_state *st)
{
    /* Width stays 0 until png_set_IHDR has stored a validated header
     * (png_get_IHDR cannot be used: it re-validates the still-empty one). */
    png_uint_32 w = png_get_image_width(png, st->info);
    png_uint_32 h = png_get_image_height(png, st->info);
    if (st->limits_checked || w == 0)
        return;
    st->limits_checked = 1;
    int status = scar__check_limits(st->opts, w, h, st->ctx);
    if (status != SCAR_OK) {
        st->status = status; /* scar__check_limits wrote the message */
        png_longjmp(png, 1);
    }
}

static void read_from_memory(png_structp png, png_bytep dst, size_t n)
{
    struct png_source *src = png_get_io_ptr(png);
    check_limits_after_ihdr(png, png_get_error_ptr(png));
    if (n > src->size - src->pos) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "truncated PNG: the data ends at byte %zu, %zu bytes short "
                 "of the next chunk",
                 src->size, n - (src->size - src->pos));
        png_error(png, msg);
    }
    memcpy(dst, src->data + src->pos, n);
    src->pos += n;
}

static int host_is_little_endian(void)
{
    const uint16_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* Each row holds `width` palette indices at its start (as libpng wrote
 * them); replace them in place by RGB, or RGBA with alpha from tRNS
 * (entries beyond tRNS are opaque, PNG sec. 11.3.2.1). Walking right to
 * left never overwrites an index not yet read, since 3x >= x. An index
 * beyond the PLTE is an error (PNG sec. 11.2.3), never a black pixel. */
static int expand_palette(scar_image *img, png_const_colorp plte, int plte_len,
                          png_const_bytep trns, int trns_len, const char *ctx)
{
    const uint32_t c = img->channels;
    for (uint32_t y = 0; y < img->height; y++) {
        uint8_t *row = img->data + (size_t)y * img->stride;
        for (uint32_t x = img->width; x-- > 0;) {
            uint8_t i = row[x];
            if (i >= plte_len)
                return scar__fail(SCAR_E_CORRUPT,
                                  "%s: palette index %u at pixel (%u, %u) is "
                                  "beyond the %d-entry PLTE",
                                  ctx, i, x, y, plte_len);
            uint8_t *p = row + (size_t)x * c;
            p[0] = plte[i].red;
            p[1] = plte[i].green;
            p[2] = plte[i].blue;
            if (c == 4)
                p[3] = i < trns_len ? trns[i] : 255;
        }
    }
    return SCAR_OK;
}

/* The only function that calls setjmp. */
static int decode_with_libpng(struct png_source *src, struct png_decode_state *st,
                              const scar_load_options *opts, scar_image **out)
{
    const char *ctx = st->ctx;
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, st, on_png_error, on_png_warning);
    if (!png)
        return scar__fail(SCAR_E_NOMEM,
                          "%s: cannot create the libpng "
                          "decoder (out of memory or libpng mismatch)",
                          ctx);
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", ctx);
    }
    st->info = info;
    scar_image *volatile img = NULL;
    png_bytep *volatile rows = NULL;

    if (setjmp(png_jmpbuf(png))) {
        /* on_png_error/on_png_warning recorded status and message. */
        free(rows);
        scar_image_free(img);
        png_destroy_read_struct(&png, &info, NULL);
        return st->status;
    }

    png_set_read_fn(png, src, read_from_memory);
    /* scarscore's own limits (scar__check_limits) decide, with a clear
     * SCAR_E_LIMIT, instead of libpng's 1 000 000 px default. */
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    /* Ancillary chunks scarscore never reads are skipped as they stream
     * past, never stored: libpng 1.6.39 allocates an sPLT chunk's declared
     * length (up to 2 GiB) before reading it, so a 103-byte file made it
     * allocate and touch 2 GB (found by fuzz_png). The pixels do not depend
     * on them: no gamma or colour transform is applied. */
    static const png_byte skipped[] = "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0"
                                      "iTXt\0oFFs\0pCAL\0pHYs\0sBIT\0sCAL\0"
                                      "sPLT\0sRGB\0tEXt\0tIME\0zTXt\0";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, skipped,
                                (int)(sizeof skipped / 5));
    png_read_info(png, info);

    png_uint_32 width, height;
    int depth, color_type, interlace;
    png_get_IHDR(png, info, &width, &height, &depth, &color_type, &interlace, NULL, NULL);
    int status =
        st->limits_checked ? SCAR_OK : scar__check_limits(opts, width, height, ctx);
    if (status != SCAR_OK) {
        png_destroy_read_struct(&png, &info, NULL);
        return status;
    }

    const int palette = color_type == PNG_COLOR_TYPE_PALETTE;
    if (palette)
        png_set_packing(png); /* one index per byte, values unchanged */
    else
        png_set_expand(png);
    if (depth == 16 && host_is_little_endian())
        png_set_swap(png);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);

    uint32_t decoded_channels = png_get_channels(png, info);
    uint32_t out_depth = png_get_bit_depth(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    png_colorp plte = NULL;
    int plte_len = 0;
    png_bytep trns = NULL;
    int trns_len = 0;
    uint32_t channels = decoded_channels;
    if (palette) {
        png_get_PLTE(png, info, &plte, &plte_len); /* libpng requires it */
        if (png_get_valid(png, info, PNG_INFO_tRNS))
            png_get_tRNS(png, info, &trns, &trns_len, NULL);
        channels = trns ? 4 : 3;
    }
    if (decoded_channels < 1 || decoded_channels > 4 ||
        (out_depth != 8 && out_depth != 16) || (palette && !plte) ||
        (palette && decoded_channels != 1) ||
        rowbytes != (uint64_t)width * decoded_channels * (out_depth / 8)) {
        png_destroy_read_struct(&png, &info, NULL);
        return scar__fail(SCAR_E_INTERNAL,
                          "%s: libpng produced %u channels of %u bits, %zu "
                          "bytes per row for colour type %d, depth %d",
                          ctx, decoded_channels, out_depth, rowbytes, color_type, depth);
    }

    scar_image *new_img;
    status = scar__image_alloc(width, height, channels, out_depth, ctx, &new_img);
    if (status != SCAR_OK) {
        png_destroy_read_struct(&png, &info, NULL);
        return status;
    }
    img = new_img;
    size_t nrows = height;
    if (nrows > SIZE_MAX / sizeof(png_bytep) ||
        !(rows = malloc(nrows * sizeof(png_bytep)))) {
        scar_image_free(img);
        png_destroy_read_struct(&png, &info, NULL);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory for row pointers", ctx);
    }
    for (uint32_t y = 0; y < height; y++)
        rows[y] = new_img->data + (size_t)y * new_img->stride;

    st->reading_pixels = 1;
    png_read_image(png, rows);
    st->reading_pixels = 0;
    /* Reads up to IEND: checks the last IDAT's CRC and the trailing chunks,
     * so a file cut anywhere before its end is refused. */
    png_read_end(png, NULL);

    if (palette)
        status = expand_palette(new_img, plte, plte_len, trns, trns_len, ctx);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    if (status != SCAR_OK) {
        scar_image_free(new_img);
        return status;
    }
    new_img->format = SCAR_FORMAT_PNG;
    *out = new_img;
    return SCAR_OK;
}

int scar__png_decode(const uint8_t *data, size_t size, const scar_load_options *opts,
                     const char *ctx, scar_image **out)
{
    *out = NULL;
    if (!data || size < 8 || png_sig_cmp(data, 0, 8) != 0)
        return scar__fail(SCAR_E_FORMAT, "%s: not a PNG file (bad signature)", ctx);
    struct png_source src = {data, size, 0};
    struct png_decode_state st = {ctx, opts, NULL, 0, SCAR_E_CORRUPT, 0, ""};
    return decode_with_libpng(&src, &st, opts, out);
}
