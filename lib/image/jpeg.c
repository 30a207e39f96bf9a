/* jpeg.c — JPEG decoding with libjpeg-turbo's libjpeg API (2.1.5 on Debian
 * 12 has no tj3 API).
 *
 * libjpeg reports fatal errors through error_exit, which must not return, so
 * the one setjmp of this file (in protected_decode) turns them into a status
 * — the pattern of TurboJPEG's internal error manager. Corrupt-data
 * warnings ("Premature end of JPEG file", "Corrupt JPEG data: ...") are
 * treated exactly like errors: libjpeg would otherwise fill the missing part
 * of the photo with gray and carry on, and a half-gray photo must never be
 * scored. Nothing is ever printed (output_message is replaced).
 *
 * Output: 8-bit, 1 channel for grayscale files, 3 channel sRGB for YCbCr
 * and RGB files; CMYK/YCCK is refused. The decode uses libjpeg's defaults
 * (accurate integer IDCT, fancy upsampling), the same as PIL and libvips. */
#include <limits.h>
#include <setjmp.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t declared first */
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "../error.h"
#include "image_internal.h"

/* A progressive JPEG may declare any number of scans, each of which makes
 * libjpeg walk the whole coefficient buffer; a crafted file with thousands
 * of tiny scans is a well-known way to burn CPU (libjpeg-turbo's fuzzers and
 * TurboJPEG's TJFLAG_LIMITSCANS use the same bound). Real encoders write
 * about 10. */
#define MAX_SCANS 500

/* Rows handed to jpeg_read_scanlines per call: at least the largest
 * rec_outbuf_height (4 for h2v2 merged upsampling at 1/1), so libjpeg can
 * write straight into the image without an intermediate row buffer. */
#define ROWS_PER_CALL 16

struct error_mgr {
    struct jpeg_error_mgr pub; /* first member: libjpeg casts to it */
    jmp_buf jump;
    int status;                /* scarscore status to return after longjmp */
    char msg[JMSG_LENGTH_MAX];
};

/* Everything the decode allocates, kept outside protected_decode's stack
 * frame so the cleanup after a longjmp sees current values without any
 * volatile qualifiers. */
struct decoder {
    struct jpeg_decompress_struct cinfo;
    struct error_mgr err;
    struct jpeg_progress_mgr progress;
    int created;       /* jpeg_create_decompress done */
    scar_image *img;   /* the output, owned until handed to the caller */
};

/* libjpeg's message codes are what tells an unsupported-but-valid file or a
 * resource problem apart from damaged data. */
static int status_of_error(int code)
{
    switch (code) {
    case JERR_OUT_OF_MEMORY:
        return SCAR_E_NOMEM;
    case JERR_IMAGE_TOO_BIG:
    case JERR_WIDTH_OVERFLOW:
        return SCAR_E_LIMIT;
    case JERR_BAD_PRECISION:   /* 12- and 16-bit JPEG */
    case JERR_SOF_UNSUPPORTED: /* lossless, hierarchical */
    case JERR_NOT_COMPILED:
    case JERR_ARITH_NOTIMPL:
        return SCAR_E_UNSUPPORTED;
    default:
        return SCAR_E_CORRUPT;
    }
}

static void fail_jump(j_common_ptr cinfo, int status)
{
    struct error_mgr *err = (struct error_mgr *)cinfo->err;
    err->status = status;
    (*cinfo->err->format_message)(cinfo, err->msg);
    longjmp(err->jump, 1);
}

static void on_error_exit(j_common_ptr cinfo)
{
    fail_jump(cinfo, status_of_error(cinfo->err->msg_code));
}

/* msg_level -1 is a warning: in libjpeg every warning reports damaged or
 * non-conforming data (truncation, bad Huffman code, junk between markers,
 * inconsistent progression, ...), after which libjpeg substitutes gray or
 * skips data. Levels >= 0 are informational trace messages: ignored. */
static void on_emit_message(j_common_ptr cinfo, int msg_level)
{
    if (msg_level < 0)
        fail_jump(cinfo, SCAR_E_CORRUPT);
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void on_progress(j_common_ptr cinfo)
{
    if (!cinfo->is_decompressor)
        return;
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->progressive_mode && d->input_scan_number > MAX_SCANS) {
        struct error_mgr *err = (struct error_mgr *)cinfo->err;
        err->status = SCAR_E_CORRUPT;
        snprintf(err->msg, sizeof err->msg,
                 "progressive JPEG with more than %d scans (real encoders "
                 "write about 10); refusing it as malformed", MAX_SCANS);
        longjmp(err->jump, 1);
    }
}

/* The first APP1 marker that carries EXIF ("Exif\0\0"), or 1 if none. */
static uint32_t find_orientation(j_decompress_ptr cinfo)
{
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next)
        if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 &&
            memcmp(m->data, "Exif\0\0", 6) == 0)
            return scar__exif_orientation(m->data, m->data_length);
    return 1;
}

/* Everything up to the output size: create, read the header (and the
 * EXIF markers), check the limits, choose the output colour space and
 * scale. Runs under a setjmp of the caller (libjpeg may longjmp). */
static int header_steps(struct decoder *dec, const uint8_t *data, size_t size,
                        const scar_load_options *opts, const char *ctx)
{
    j_decompress_ptr cinfo = &dec->cinfo;
    dec->created = 1; /* destroying a half-created (zeroed) cinfo is safe */
    jpeg_create_decompress(cinfo);
    dec->progress.progress_monitor = on_progress;
    cinfo->progress = &dec->progress;
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(cinfo, TRUE);

    /* Full-size dimensions as declared by SOF, before anything is sized by
     * them (a progressive file's coefficient buffer is full size even when
     * the output is scaled). */
    int st = scar__check_limits(opts, cinfo->image_width, cinfo->image_height,
                                ctx);
    if (st != SCAR_OK)
        return st;

    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
        cinfo->out_color_space = JCS_GRAYSCALE;
        break;
    case JCS_YCbCr:
    case JCS_RGB:
        cinfo->out_color_space = JCS_RGB;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        return scar__fail(SCAR_E_UNSUPPORTED,
                          "%s: CMYK/YCCK JPEG (print separation) is not "
                          "supported; convert it to an sRGB JPEG or PNG first "
                          "(e.g. with ImageMagick: convert in.jpg "
                          "-colorspace sRGB out.jpg)", ctx);
    default:
        return scar__fail(SCAR_E_UNSUPPORTED,
                          "%s: JPEG with %d colour components in an unknown "
                          "colour space; scarscore reads grayscale, YCbCr and "
                          "RGB JPEG", ctx, cinfo->num_components);
    }

    cinfo->scale_num = 1;
    cinfo->scale_denom = opts->scale_denom;
    jpeg_calc_output_dimensions(cinfo);
    st = scar__check_limits(opts, cinfo->output_width, cinfo->output_height,
                            ctx);
    if (st != SCAR_OK)
        return st;
    if (cinfo->output_components != 1 && cinfo->output_components != 3)
        return scar__fail(SCAR_E_INTERNAL, "%s: libjpeg produced %d output "
                          "components", ctx, cinfo->output_components);
    return SCAR_OK;
}

/* jpeg_start_decompress, and the check that rows can be read
 * ROWS_PER_CALL at a time. Under the caller's setjmp. */
static int start_steps(struct decoder *dec, const char *ctx)
{
    jpeg_start_decompress(&dec->cinfo);
    if (dec->cinfo.rec_outbuf_height > ROWS_PER_CALL)
        return scar__fail(SCAR_E_INTERNAL, "%s: libjpeg wants %d rows per "
                          "call", ctx, dec->cinfo.rec_outbuf_height);
    return SCAR_OK;
}

/* The next rows (at most ROWS_PER_CALL, ending at the last one) into
 * rows[]; at the last row also reads through EOI, so damage after the
 * last row is still caught. Under the caller's setjmp. */
static int read_steps(struct decoder *dec, JSAMPROW *rows, JDIMENSION n,
                      const char *ctx)
{
    j_decompress_ptr cinfo = &dec->cinfo;
    JDIMENSION y = cinfo->output_scanline;
    if (jpeg_read_scanlines(cinfo, rows, n) == 0)
        return scar__fail(SCAR_E_CORRUPT, "%s: JPEG decoder stopped at "
                          "row %u of %u", ctx, y, cinfo->output_height);
    if (cinfo->output_scanline == cinfo->output_height)
        jpeg_finish_decompress(cinfo);
    return SCAR_OK;
}

/* Rows left to read, at most ROWS_PER_CALL. */
static JDIMENSION rows_next_call(const struct decoder *dec)
{
    JDIMENSION n = dec->cinfo.output_height - dec->cinfo.output_scanline;
    return n > ROWS_PER_CALL ? ROWS_PER_CALL : n;
}

/* The decode proper. Runs under protected_decode's setjmp: any libjpeg call
 * may longjmp out of it; everything it allocates is recorded in *dec. */
static int decode_steps(struct decoder *dec, const uint8_t *data, size_t size,
                        const scar_load_options *opts, const char *ctx)
{
    int st = header_steps(dec, data, size, opts, ctx);
    if (st != SCAR_OK)
        return st;
    j_decompress_ptr cinfo = &dec->cinfo;
    st = scar__image_alloc(cinfo->output_width, cinfo->output_height,
                           (uint32_t)cinfo->output_components, 8, ctx,
                           &dec->img);
    if (st != SCAR_OK)
        return st;
    dec->img->format = SCAR_FORMAT_JPEG;
    dec->img->scale_denom = opts->scale_denom;
    dec->img->orientation = find_orientation(cinfo);

    st = start_steps(dec, ctx);
    JSAMPROW rows[ROWS_PER_CALL];
    while (st == SCAR_OK && cinfo->output_scanline < cinfo->output_height) {
        JDIMENSION y = cinfo->output_scanline, n = rows_next_call(dec);
        for (JDIMENSION i = 0; i < n; i++)
            rows[i] = dec->img->data + (size_t)(y + i) * dec->img->stride;
        st = read_steps(dec, rows, n, ctx);
    }
    return st;
}

/* The only setjmp of the whole-image decode: a longjmp from libjpeg lands
 * here with the frames of decode_steps gone but *dec intact. */
static int protected_decode(struct decoder *dec, const uint8_t *data,
                            size_t size, const scar_load_options *opts,
                            const char *ctx)
{
    if (setjmp(dec->err.jump))
        return scar__fail(dec->err.status, "%s: %s", ctx, dec->err.msg);
    return decode_steps(dec, data, size, opts, ctx);
}

/* A decoder with scarscore's error manager (nothing printed, warnings
 * are errors); NULL when out of memory. */
static struct decoder *decoder_new(void)
{
    struct decoder *dec = calloc(1, sizeof *dec);
    if (!dec)
        return NULL;
    dec->cinfo.err = jpeg_std_error(&dec->err.pub);
    dec->err.pub.error_exit = on_error_exit;
    dec->err.pub.emit_message = on_emit_message;
    dec->err.pub.output_message = on_output_message;
    return dec;
}

static void decoder_free(struct decoder *dec)
{
    if (!dec)
        return;
    if (dec->created)
        jpeg_destroy_decompress(&dec->cinfo);
    scar_image_free(dec->img);
    free(dec);
}

int scar__jpeg_decode(const uint8_t *data, size_t size,
                      const scar_load_options *opts, const char *ctx,
                      scar_image **out)
{
    *out = NULL;
    if (size > ULONG_MAX) /* jpeg_mem_src takes an unsigned long */
        return scar__fail(SCAR_E_LIMIT, "%s: %zu-byte JPEG is larger than "
                          "libjpeg can read from memory", ctx, size);
    struct decoder *dec = decoder_new();
    if (!dec)
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", ctx);
    int st = protected_decode(dec, data, size, opts, ctx);
    if (st == SCAR_OK) {
        *out = dec->img;
        dec->img = NULL;
    }
    decoder_free(dec);
    return st;
}

/* A JPEG decoded row by row (image_internal.h). */
struct scar__jpeg_stream {
    struct decoder *dec;
    const char *ctx;
    uint32_t width, height, channels, orientation;
    int started;
    uint8_t *strip;    /* ROWS_PER_CALL rows of the output */
    JDIMENSION strip_y, strip_n; /* first row held, rows held */
    uint32_t next_y;   /* the row the next call returns */
};

static int protected_open(scar__jpeg_stream *js, const uint8_t *data,
                          size_t size, const scar_load_options *opts)
{
    if (setjmp(js->dec->err.jump))
        return scar__fail(js->dec->err.status, "%s: %s", js->ctx,
                          js->dec->err.msg);
    int st = header_steps(js->dec, data, size, opts, js->ctx);
    if (st != SCAR_OK)
        return st;
    j_decompress_ptr cinfo = &js->dec->cinfo;
    js->width = cinfo->output_width;
    js->height = cinfo->output_height;
    js->channels = (uint32_t)cinfo->output_components;
    js->orientation = find_orientation(cinfo);
    return SCAR_OK;
}

int scar__jpeg_stream_open(const uint8_t *data, size_t size,
                           const scar_load_options *opts, const char *ctx,
                           scar__jpeg_stream **out)
{
    *out = NULL;
    if (size > ULONG_MAX)
        return scar__fail(SCAR_E_LIMIT, "%s: %zu-byte JPEG is larger than "
                          "libjpeg can read from memory", ctx, size);
    scar__jpeg_stream *js = calloc(1, sizeof *js);
    if (js)
        js->dec = decoder_new();
    if (!js || !js->dec) {
        free(js);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", ctx);
    }
    js->ctx = ctx;
    int st = protected_open(js, data, size, opts);
    if (st == SCAR_OK) {
        js->strip = malloc((size_t)ROWS_PER_CALL * js->width * js->channels);
        if (!js->strip)
            st = scar__fail(SCAR_E_NOMEM, "%s: out of memory", ctx);
    }
    if (st != SCAR_OK) {
        scar__jpeg_stream_close(js);
        return st;
    }
    *out = js;
    return SCAR_OK;
}

void scar__jpeg_stream_info(const scar__jpeg_stream *js, uint32_t *width,
                            uint32_t *height, uint32_t *channels,
                            uint32_t *orientation)
{
    *width = js->width;
    *height = js->height;
    *channels = js->channels;
    *orientation = js->orientation;
}

/* The next strip of rows into js->strip, under this call's setjmp. */
static int protected_strip(scar__jpeg_stream *js)
{
    struct decoder *dec = js->dec;
    if (setjmp(dec->err.jump))
        return scar__fail(dec->err.status, "%s: %s", js->ctx, dec->err.msg);
    int st = SCAR_OK;
    if (!js->started) {
        js->started = 1;
        st = start_steps(dec, js->ctx);
    }
    if (st != SCAR_OK)
        return st;
    JSAMPROW rows[ROWS_PER_CALL];
    JDIMENSION n = rows_next_call(dec);
    size_t row_bytes = (size_t)js->width * js->channels;
    for (JDIMENSION i = 0; i < n; i++)
        rows[i] = js->strip + i * row_bytes;
    js->strip_y = dec->cinfo.output_scanline;
    /* a call may return fewer rows than asked: the strip holds what came */
    st = read_steps(dec, rows, n, js->ctx);
    js->strip_n = dec->cinfo.output_scanline - js->strip_y;
    return st;
}

int scar__jpeg_stream_row(scar__jpeg_stream *js, const uint8_t **row)
{
    *row = NULL;
    if (js->next_y >= js->height)
        return scar__fail(SCAR_E_INTERNAL, "%s: row %u of a %u-row JPEG "
                          "asked for", js->ctx, js->next_y, js->height);
    if (js->next_y >= js->strip_y + js->strip_n) {
        int st = protected_strip(js);
        if (st != SCAR_OK)
            return st;
    }
    *row = js->strip +
           (size_t)(js->next_y - js->strip_y) * js->width * js->channels;
    js->next_y++;
    return SCAR_OK;
}

void scar__jpeg_stream_close(scar__jpeg_stream *js)
{
    if (!js)
        return;
    decoder_free(js->dec); /* jpeg_destroy_decompress also aborts */
    free(js->strip);
    free(js);
}
