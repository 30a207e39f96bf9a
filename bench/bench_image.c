/* bench_image.c — decode and encode speed: JPEG (libjpeg-turbo through
 * scar_image_load_memory, at DCT scales 1, 1/2, 1/4, 1/8) and PNG.
 * Generates its input (a 4000x3000 skin-like photo encoded at quality 90,
 * 4:2:0 as cameras do): large inputs are never committed.
 * Usage: bench_image [WIDTH HEIGHT]   (one thread; median after warm-up) */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "bench_util.h"
#include "scarscore.h"

/* Smooth shading plus deterministic noise: compresses like a real photo. */
static uint8_t *make_rgb(uint32_t w, uint32_t h)
{
    uint8_t *px = malloc((size_t)w * h * 3);
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            double shade = 0.7 + 0.3 * sin(x * 0.002) * cos(y * 0.0015);
            int n = (int)(s % 9) - 4;
            uint8_t *p = px + ((size_t)y * w + x) * 3;
            p[0] = (uint8_t)fmin(255, 200 * shade + n);
            p[1] = (uint8_t)fmin(255, 150 * shade + n);
            p[2] = (uint8_t)fmin(255, 125 * shade + n);
        }
    return px;
}

static unsigned char *encode_jpeg(const uint8_t *rgb, uint32_t w, uint32_t h,
                                  int quality, unsigned long *size)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    unsigned char *buf = NULL;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, size);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < h) {
        JSAMPROW row = (JSAMPROW)(rgb + (size_t)c.next_scanline * w * 3);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return buf;
}

struct decode_job {
    const void *data;
    size_t size;
    uint32_t scale;
};

static int run_decode(void *arg)
{
    struct decode_job *j = arg;
    scar_load_options o;
    scar_load_options_init(&o);
    o.scale_denom = j->scale;
    scar_image *img = NULL;
    int st = scar_image_load_memory(j->data, j->size, &o, &img);
    scar_image_free(img);
    return st;
}

struct encode_job {
    const scar_image *img;
};

static int run_png_encode(void *arg)
{
    struct encode_job *j = arg;
    void *out = NULL;
    size_t n = 0;
    int st = scar_image_encode_png(j->img, &out, &n);
    scar_free(out);
    return st;
}

int main(int argc, char **argv)
{
    uint32_t w = argc > 2 ? (uint32_t)atoi(argv[1]) : 4000;
    uint32_t h = argc > 2 ? (uint32_t)atoi(argv[2]) : 3000;
    double mp = (double)w * h / 1e6;
    uint8_t *rgb = make_rgb(w, h);
    unsigned long jsize = 0;
    unsigned char *jpg = encode_jpeg(rgb, w, h, 90, &jsize);
    printf("bench_image: %ux%u (%.1f MP), JPEG q90 %.2f MB, one thread\n", w, h, mp,
           jsize / 1e6);

    for (uint32_t scale = 1; scale <= 8; scale *= 2) {
        struct decode_job j = {jpg, jsize, scale};
        char name[64];
        snprintf(name, sizeof name, "jpeg decode 1/%u", scale);
        bench_report(name, bench_median(run_decode, &j, 7, 1.0), mp);
    }

    scar_image *img = NULL;
    if (scar_image_from_memory(rgb, w, h, 3, 8, (size_t)w * 3, SCAR_IMAGE_BORROW, &img)) {
        fprintf(stderr, "bench_image: %s\n", scar_last_error());
        return 1;
    }
    struct encode_job e = {img};
    bench_report("png encode (RGB8)", bench_median(run_png_encode, &e, 5, 1.0), mp);
    void *png = NULL;
    size_t psize = 0;
    if (scar_image_encode_png(img, &png, &psize)) {
        fprintf(stderr, "bench_image: %s\n", scar_last_error());
        return 1;
    }
    struct decode_job p = {png, psize, 1};
    bench_report("png decode (RGB8)", bench_median(run_decode, &p, 5, 1.0), mp);
    scar_free(png);
    scar_image_free(img);
    free(jpg);
    free(rgb);
    return 0;
}
