/* json.c — scar_result_to_json: the result as JSON, schema "scarscore/0.1"
 * (docs/json-schema.md). Numbers are written independently of the C
 * locale: printf's decimal separator is replaced by '.', and non-finite
 * values become null (JSON has no NaN). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/result_internal.h"
#include "error.h"

static const char FN[] = "scar_result_to_json";

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int failed;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 1024;
        while (b->len + n + 1 > nc)
            nc *= 2;
        char *q = realloc(b->p, nc);
        if (!q) {
            b->failed = 1;
            return;
        }
        b->p = q;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s) { put(b, s, strlen(s)); }

static void put_u64(sbuf *b, unsigned long long v)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%llu", v);
    put(b, t, (size_t)n);
}

/* A double with 12 significant digits; '.' whatever the locale. */
static void put_num(sbuf *b, double v)
{
    if (!isfinite(v)) {
        puts_(b, "null");
        return;
    }
    if (v == 0.0)
        v = 0.0; /* no "-0" */
    char t[64];
    int n = snprintf(t, sizeof t, "%.12g", v);
    if (n < 0 || (size_t)n >= sizeof t) {
        puts_(b, "null");
        return;
    }
    /* the locale's decimal separator (possibly multi-byte) -> '.' */
    char o[64];
    size_t k = 0;
    int dot = 0;
    for (int i = 0; i < n; i++) {
        char c = t[i];
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' ||
            c == 'E') {
            o[k++] = c;
        } else if (!dot) {
            o[k++] = '.';
            dot = 1;
        }
    }
    put(b, o, k);
}

static void put_key(sbuf *b, const char *k)
{
    puts_(b, "\"");
    puts_(b, k);
    puts_(b, "\":");
}

static void put_arr3(sbuf *b, const double v[3])
{
    puts_(b, "[");
    for (int i = 0; i < 3; i++) {
        if (i)
            puts_(b, ",");
        put_num(b, v[i]);
    }
    puts_(b, "]");
}

int scar_result_to_json(const scar_result *res, char **out_json,
                        size_t *out_size)
{
    if (out_json)
        *out_json = NULL;
    if (out_size)
        *out_size = 0;
    if (!res || !out_json)
        return scar__fail(SCAR_E_INVALID, "%s: NULL %s", FN,
                          res ? "out_json" : "result");
    sbuf b = {0};
    double ppm2 = res->px_per_mm * res->px_per_mm;
    puts_(&b, "{\"schema\":\"scarscore/0.1\",\"image\":{");
    put_key(&b, "width");
    put_u64(&b, res->width);
    puts_(&b, ",");
    put_key(&b, "height");
    put_u64(&b, res->height);
    puts_(&b, ",");
    put_key(&b, "px_per_mm");
    put_num(&b, res->px_per_mm);
    puts_(&b, ",");
    put_key(&b, "scale_assumed");
    puts_(&b, res->scale_assumed ? "true" : "false");
    puts_(&b, ",");
    put_key(&b, "single_lesion");
    puts_(&b, res->single_lesion ? "true" : "false");
    puts_(&b, ",");
    put_key(&b, "skin_area_px");
    put_u64(&b, res->skin_area_px);
    puts_(&b, ",");
    put_key(&b, "skin_area_mm2");
    put_num(&b, (double)res->skin_area_px / ppm2);
    puts_(&b, ",");
    put_key(&b, "region_count");
    put_u64(&b, res->n_regions);
    puts_(&b, "},\"regions\":[");
    for (uint32_t i = 0; i < res->n_regions; i++) {
        const scar_region *r = &res->regions[i];
        if (i)
            puts_(&b, ",");
        puts_(&b, "{");
        put_key(&b, "id");
        put_u64(&b, r->id);
        puts_(&b, ",");
        put_key(&b, "area_px");
        put_num(&b, r->area_px);
        puts_(&b, ",");
        put_key(&b, "area_mm2");
        put_num(&b, r->area_mm2);
        puts_(&b, ",");
        put_key(&b, "bbox");
        puts_(&b, "[");
        put_u64(&b, r->bbox_x0);
        puts_(&b, ",");
        put_u64(&b, r->bbox_y0);
        puts_(&b, ",");
        put_u64(&b, r->bbox_x1);
        puts_(&b, ",");
        put_u64(&b, r->bbox_y1);
        puts_(&b, "],");
        put_key(&b, "centroid");
        puts_(&b, "[");
        put_num(&b, r->centroid_x);
        puts_(&b, ",");
        put_num(&b, r->centroid_y);
        puts_(&b, "],");
        put_key(&b, "lab_inside");
        put_arr3(&b, r->lab_inside);
        puts_(&b, ",");
        put_key(&b, "lab_ring");
        put_arr3(&b, r->lab_ring);
        puts_(&b, ",");
        put_key(&b, "delta_e00");
        put_num(&b, r->delta_e00);
        puts_(&b, ",");
        put_key(&b, "ring_area_px");
        put_num(&b, r->ring_area_px);
        puts_(&b, ",");
        put_key(&b, "pigment_class");
        puts_(&b, "\"");
        puts_(&b, scar_pigment_class_name((scar_pigment_class)r->pigment_class));
        puts_(&b, "\"}");
    }
    puts_(&b, "]}\n");
    if (b.failed) {
        free(b.p);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", FN);
    }
    *out_json = b.p;
    if (out_size)
        *out_size = b.len;
    return SCAR_OK;
}
