/* photo_rows.c — the rows of a photo from a decoded image or from a JPEG
 * decoded as it is read; see photo_rows.h. */
#include <string.h>

#include "error.h"
#include "image/photo_rows.h"

void scar__photo_of_image(const scar_image *img, scar__photo *p)
{
    memset(p, 0, sizeof *p);
    p->img = img;
    p->width = img->width;
    p->height = img->height;
    p->channels = img->channels;
    p->bit_depth = img->bit_depth;
    p->format = img->format;
}

int scar__photo_of_jpeg(const uint8_t *data, size_t size,
                        const scar_load_options *load, const char *ctx,
                        scar__photo *p, uint32_t *orientation)
{
    memset(p, 0, sizeof *p);
    scar__jpeg_stream *js = NULL;
    int st = scar__jpeg_stream_open(data, size, load, ctx, &js);
    if (st)
        return st;
    scar__jpeg_stream_info(js, &p->width, &p->height, &p->channels,
                           orientation);
    scar__jpeg_stream_close(js);
    p->jpeg = data;
    p->size = size;
    p->load = *load;
    p->ctx = ctx;
    p->bit_depth = 8;
    p->format = SCAR_FORMAT_JPEG;
    return SCAR_OK;
}

int scar__photo_rows_open(const scar__photo *p, scar__photo_rows *r)
{
    memset(r, 0, sizeof *r);
    r->photo = p;
    if (p->img)
        return SCAR_OK;
    int st = scar__jpeg_stream_open(p->jpeg, p->size, &p->load, p->ctx, &r->js);
    if (st)
        return st;
    uint32_t w, h, ch, orientation;
    scar__jpeg_stream_info(r->js, &w, &h, &ch, &orientation);
    if (w != p->width || h != p->height || ch != p->channels) {
        scar__photo_rows_close(r);
        return scar__fail(SCAR_E_INTERNAL, "%s: the JPEG decodes to %ux%u "
                          "with %u channels, not %ux%u with %u", p->ctx, w, h,
                          ch, p->width, p->height, p->channels);
    }
    return SCAR_OK;
}

int scar__photo_rows_next(scar__photo_rows *r, const uint8_t **row)
{
    const scar__photo *p = r->photo;
    *row = NULL;
    if (r->y >= p->height)
        return scar__fail(SCAR_E_INTERNAL, "%s: row %u of a %u-row photo "
                          "asked for", p->ctx ? p->ctx : "photo", r->y,
                          p->height);
    int st = SCAR_OK;
    if (p->img)
        *row = p->img->data + (size_t)r->y * p->img->stride;
    else
        st = scar__jpeg_stream_row(r->js, row);
    r->y++;
    return st;
}

void scar__photo_rows_close(scar__photo_rows *r)
{
    scar__jpeg_stream_close(r->js);
    r->js = NULL;
}
