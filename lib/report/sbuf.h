/* sbuf.h — internal: a growing NUL-terminated text buffer and
 * locale-independent number formatting, shared by the JSON and CSV writers.
 * An allocation failure sets `failed`; later appends are ignored, so writers
 * check once at the end. */
#ifndef SCAR_REPORT_SBUF_H
#define SCAR_REPORT_SBUF_H

#include <stddef.h>

typedef struct scar__sbuf {
    char *p;
    size_t len, cap;
    int failed;
} scar__sbuf;

void scar__sbuf_put(scar__sbuf *b, const char *s, size_t n);
void scar__sbuf_puts(scar__sbuf *b, const char *s);
void scar__sbuf_put_u64(scar__sbuf *b, unsigned long long v);
void scar__sbuf_put_i64(scar__sbuf *b, long long v);
/* %.12g with '.' as decimal separator whatever the C locale and no "-0".
 * Non-finite values write `nonfinite` ("null" in JSON, "" in CSV). */
void scar__sbuf_put_num(scar__sbuf *b, double v, const char *nonfinite);

#endif
