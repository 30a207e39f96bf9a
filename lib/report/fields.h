/* fields.h — internal: the reported fields of the image summary and of a
 * region, described once for the JSON and CSV writers (so both always
 * carry the same numbers). Each field is defined in docs/metrics.md. */
#ifndef SCAR_REPORT_FIELDS_H
#define SCAR_REPORT_FIELDS_H

#include <stddef.h>

#include "report/sbuf.h"
#include "scarscore.h"

/* Schema of the JSON document and of the CSV column sets. */
#define SCAR__SCHEMA_VERSION "0.6"

typedef enum scar__field_kind {
    SCAR__F_NUM,     /* double; NaN -> JSON null / empty CSV field */
    SCAR__F_U32,
    SCAR__F_U64,
    SCAR__F_BOOL,    /* uint32 0/1 -> JSON false/true, CSV 0/1 */
    SCAR__F_CLASS,   /* uint32 scar_pigment_class -> its name */
    SCAR__F_HINT,    /* uint32 scar_morph_hint -> its name */
    SCAR__F_ITACAT   /* uint32 scar_ita_category -> its name */
} scar__field_kind;

/* csv: the CSV column name. json: the JSON key; consecutive entries with
 * the same json key and a non-NULL `sub` form one JSON array (sub == "")
 * or object (sub = member name). */
typedef struct scar__field {
    const char *csv;
    const char *json;
    const char *sub;
    scar__field_kind kind;
    size_t offset;
} scar__field;

extern const scar__field scar__image_fields[];
extern const size_t scar__image_field_count;
extern const scar__field scar__region_fields[];
extern const size_t scar__region_field_count;

/* Append the value of field f of the struct at base: JSON (quoted names,
 * null for NaN, true/false) when json != 0, else CSV. */
void scar__field_put(scar__sbuf *b, const scar__field *f, const void *base,
                     int json);

#endif
