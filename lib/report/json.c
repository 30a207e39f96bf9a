/* json.c — scar_result_to_json: the result as JSON, schema
 * "scarscore/" SCAR__SCHEMA_VERSION (docs/json-schema.md). The keys and
 * values are the field tables of fields.c, the same as the CSV columns;
 * numbers are written independently of the C locale and non-finite values
 * become null (JSON has no NaN). */
#include <stdlib.h>
#include <string.h>

#include "analyze/result_internal.h"
#include "error.h"
#include "report/fields.h"
#include "report/sbuf.h"

static const char FN[] = "scar_result_to_json";

static int same_group(const scar__field *a, const scar__field *b)
{
    return a->sub && b->sub && !strcmp(a->json, b->json);
}

/* One JSON object from a field table; runs of fields sharing a json key
 * become an array (sub "") or an object (sub = member name). */
static void put_object(scar__sbuf *b, const scar__field *f, size_t n,
                       const void *base)
{
    scar__sbuf_put(b, "{", 1);
    for (size_t k = 0; k < n; k++) {
        int cont = k > 0 && same_group(&f[k - 1], &f[k]);
        int is_obj = f[k].sub && f[k].sub[0];
        if (k)
            scar__sbuf_put(b, ",", 1);
        if (!cont) {
            scar__sbuf_put(b, "\"", 1);
            scar__sbuf_puts(b, f[k].json);
            scar__sbuf_put(b, "\":", 2);
            if (f[k].sub)
                scar__sbuf_put(b, is_obj ? "{" : "[", 1);
        }
        if (is_obj) {
            scar__sbuf_put(b, "\"", 1);
            scar__sbuf_puts(b, f[k].sub);
            scar__sbuf_put(b, "\":", 2);
        }
        scar__field_put(b, &f[k], base, 1);
        if (f[k].sub && !(k + 1 < n && same_group(&f[k], &f[k + 1])))
            scar__sbuf_put(b, is_obj ? "}" : "]", 1);
    }
    scar__sbuf_put(b, "}", 1);
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
    scar__sbuf b = {0};
    scar__sbuf_puts(&b, "{\"schema\":\"scarscore/" SCAR__SCHEMA_VERSION
                        "\",\"schema_version\":\"" SCAR__SCHEMA_VERSION
                        "\",\"image\":");
    put_object(&b, scar__image_fields, scar__image_field_count, &res->summary);
    scar__sbuf_puts(&b, ",\"regions\":[");
    for (uint32_t i = 0; i < res->n_regions; i++) {
        if (i)
            scar__sbuf_put(&b, ",", 1);
        put_object(&b, scar__region_fields, scar__region_field_count,
                   &res->regions[i]);
    }
    scar__sbuf_puts(&b, "]}\n");
    if (b.failed) {
        free(b.p);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", FN);
    }
    *out_json = b.p;
    if (out_size)
        *out_size = b.len;
    return SCAR_OK;
}
