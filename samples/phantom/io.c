/* io.c — writing the phantom: JPEG through the libjpeg API (4:2:0 chroma,
 * as cameras store it), 16-bit PNG through libpng, truth as JSON. */
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "internal.h"

typedef struct jerr_mgr {
    struct jpeg_error_mgr pub;
    jmp_buf jmp;
} jerr_mgr;

static void jerr_exit(j_common_ptr cinfo)
{
    jerr_mgr *e = (jerr_mgr *)cinfo->err;
    longjmp(e->jmp, 1);
}

static void set_err(char *err, size_t n, const char *fmt, const char *a, const char *b)
{
    if (err && n)
        snprintf(err, n, fmt, a, b);
}

int io_write_jpeg(const char *path, const uint8_t *rgb, uint32_t w, uint32_t h,
                  int quality, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        set_err(err, errlen, "phantom: cannot create %s: %s", path, "check the directory exists and is writable");
        return -1;
    }
    struct jpeg_compress_struct ci;
    jerr_mgr je;
    ci.err = jpeg_std_error(&je.pub);
    je.pub.error_exit = jerr_exit;
    if (setjmp(je.jmp)) {
        char msg[JMSG_LENGTH_MAX];
        je.pub.format_message((j_common_ptr)&ci, msg);
        jpeg_destroy_compress(&ci);
        fclose(fp);
        set_err(err, errlen, "phantom: writing %s: libjpeg: %s", path, msg);
        return -1;
    }
    jpeg_create_compress(&ci);
    jpeg_stdio_dest(&ci, fp);
    ci.image_width = w;
    ci.image_height = h;
    ci.input_components = 3;
    ci.in_color_space = JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    /* 2x2 luma, 1x1 chroma: 4:2:0, the cameras' default. */
    ci.comp_info[0].h_samp_factor = 2;
    ci.comp_info[0].v_samp_factor = 2;
    ci.comp_info[1].h_samp_factor = ci.comp_info[1].v_samp_factor = 1;
    ci.comp_info[2].h_samp_factor = ci.comp_info[2].v_samp_factor = 1;
    ci.dct_method = JDCT_ISLOW;
    ci.optimize_coding = TRUE;
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < h) {
        JSAMPROW row = (JSAMPROW)(rgb + (size_t)ci.next_scanline * w * 3);
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    if (fclose(fp)) {
        set_err(err, errlen, "phantom: writing %s: %s", path, "disk full?");
        return -1;
    }
    return 0;
}

int io_write_png16(const char *path, const uint16_t *px, uint32_t w, uint32_t h,
                   int channels, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        set_err(err, errlen, "phantom: cannot create %s: %s", path, "check the directory exists and is writable");
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    uint8_t *row = malloc((size_t)w * channels * 2);
    if (!png || !info || !row) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(fp);
        set_err(err, errlen, "phantom: writing %s: %s", path, "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        fclose(fp);
        set_err(err, errlen, "phantom: writing %s: %s", path, "libpng error (disk full?)");
        return -1;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, w, h, 16,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (channels == 3)
        png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
    png_write_info(png, info);
    for (uint32_t y = 0; y < h; y++) {
        const uint16_t *s = px + (size_t)y * w * channels;
        for (size_t i = 0; i < (size_t)w * channels; i++) {
            row[2 * i] = (uint8_t)(s[i] >> 8); /* PNG is big-endian */
            row[2 * i + 1] = (uint8_t)(s[i] & 0xff);
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    if (fclose(fp)) {
        set_err(err, errlen, "phantom: writing %s: %s", path, "disk full?");
        return -1;
    }
    return 0;
}

/* JSON numbers: NaN (no ring, empty lesion) becomes null. */
static void jnum(FILE *f, double v, int prec)
{
    if (isfinite(v))
        fprintf(f, "%.*f", prec, v);
    else
        fputs("null", f);
}

static void jlab(FILE *f, const double lab[3])
{
    fputc('[', f);
    for (int c = 0; c < 3; c++) {
        jnum(f, lab[c], 4);
        if (c < 2)
            fputs(", ", f);
    }
    fputc(']', f);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int io_write_truth_json(const char *path, const phantom *ph, const char *prefix,
                        char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        set_err(err, errlen, "phantom: cannot create %s: %s", path, "check the directory exists and is writable");
        return -1;
    }
    const phantom_params *p = &ph->p;
    const char *b = base_name(prefix);
    fprintf(f, "{\n  \"generator\": \"scarscore-phantom\",\n  \"truth_version\": 1,\n");
    fprintf(f, "  \"seed\": %llu,\n", (unsigned long long)p->seed);
    fprintf(f, "  \"image\": \"%s.jpg\",\n  \"labels\": \"%s_labels.png\",\n", b, b);
    fprintf(f, "  \"width\": %u,\n  \"height\": %u,\n", p->width, p->height);
    fprintf(f, "  \"px_per_mm\": %.6f,\n", p->px_per_mm);
    fprintf(f, "  \"quality\": %d,\n", p->quality);
    fprintf(f, "  \"ita\": %.4f,\n", p->ita);
    fprintf(f, "  \"ita_category\": \"%s\",\n", phantom_ita_category(p->ita));
    fprintf(f, "  \"fitzpatrick\": %d,\n", phantom_ita_fitzpatrick(p->ita));
    fprintf(f, "  \"skin_base_lab\": ");
    jlab(f, ph->base_lab);
    fprintf(f, ",\n  \"melanin_od\": %.4f,\n", ph->melanin);
    fprintf(f, "  \"light\": {\"elevation_deg\": %.3f, \"azimuth_deg\": %.3f, \"ambient\": %.4f, "
               "\"illum_min\": %.4f, \"illum_max\": %.4f, \"vignette\": %.4f, "
               "\"glare_spots\": %d, \"full_well\": %.1f},\n",
            ph->light_elev_deg, ph->light_azim_deg, ph->ambient, ph->illum_min,
            ph->illum_max, ph->vignette, ph->glare_spots, ph->full_well);
    fprintf(f, "  \"hairs\": %d,\n", p->hairs);
    fprintf(f, "  \"layout\": \"%s\",\n", phantom_layout_name(p->layout));
    fprintf(f, "  \"texture\": \"%s\",\n", phantom_texture_name(p->texture));
    fprintf(f, "  \"ring_mm\": [1.0, 3.0],\n");
    fprintf(f, "  \"lesions\": [");
    for (int i = 0; i < ph->n_lesions; i++) {
        const phantom_lesion *l = &ph->les[i];
        fprintf(f, "%s\n    {\"id\": %d, \"kind\": \"%s\", ", i ? "," : "", l->id,
                phantom_kind_name(l->kind));
        fprintf(f, "\"centre_px\": [%.2f, %.2f], ", l->cx, l->cy);
        fprintf(f, "\"size_mm\": %.4f, \"length_mm\": %.4f, \"depth_mm\": %.4f, ",
                l->size_mm, l->length_mm, l->depth_mm);
        fprintf(f, "\"edge_power\": %.3f, \"dod\": [%.5f, %.5f, %.5f], ", l->edge_power,
                l->dod[0], l->dod[1], l->dod[2]);
        fprintf(f, "\"area_px\": %llu, \"area_mm2\": %.5f, ",
                (unsigned long long)l->area_px, l->area_mm2);
        fprintf(f, "\"bbox\": [%u, %u, %u, %u], ", l->bbox[0], l->bbox[1], l->bbox[2], l->bbox[3]);
        fprintf(f, "\"lab_inside\": ");
        jlab(f, l->lab_in);
        fprintf(f, ", \"lab_ring\": ");
        jlab(f, l->lab_ring);
        fprintf(f, ", \"ring_px\": %llu, \"delta_e00\": ", (unsigned long long)l->ring_px);
        jnum(f, l->delta_e00, 4);
        fputc('}', f);
    }
    fprintf(f, "\n  ]\n}\n");
    if (fclose(f)) {
        set_err(err, errlen, "phantom: writing %s: %s", path, "disk full?");
        return -1;
    }
    return 0;
}

int phantom_write(const phantom *ph, const char *prefix, int write_clean,
                  char *err, size_t errlen)
{
    size_t n = strlen(prefix) + 32;
    char *path = malloc(n);
    if (!path) {
        set_err(err, errlen, "phantom: %s%s", "out of memory", "");
        return -1;
    }
    uint32_t w = ph->p.width, h = ph->p.height;
    int rc = 0;
    snprintf(path, n, "%s.jpg", prefix);
    rc = io_write_jpeg(path, ph->photo, w, h, ph->p.quality, err, errlen);
    if (!rc) {
        snprintf(path, n, "%s_labels.png", prefix);
        rc = io_write_png16(path, ph->labels, w, h, 1, err, errlen);
    }
    if (!rc && write_clean) {
        snprintf(path, n, "%s_clean.png", prefix);
        rc = io_write_png16(path, ph->clean, w, h, 3, err, errlen);
    }
    if (!rc) {
        snprintf(path, n, "%s_truth.json", prefix);
        rc = io_write_truth_json(path, ph, prefix, err, errlen);
    }
    free(path);
    return rc;
}
