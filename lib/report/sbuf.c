/* sbuf.c — the growing text buffer of the report writers (sbuf.h). */
#include "report/sbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void scar__sbuf_put(scar__sbuf *b, const char *s, size_t n)
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

void scar__sbuf_puts(scar__sbuf *b, const char *s)
{
    scar__sbuf_put(b, s, strlen(s));
}

void scar__sbuf_put_u64(scar__sbuf *b, unsigned long long v)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%llu", v);
    scar__sbuf_put(b, t, (size_t)n);
}

void scar__sbuf_put_i64(scar__sbuf *b, long long v)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%lld", v);
    scar__sbuf_put(b, t, (size_t)n);
}

void scar__sbuf_put_num(scar__sbuf *b, double v, const char *nonfinite)
{
    if (!isfinite(v)) {
        scar__sbuf_puts(b, nonfinite);
        return;
    }
    if (v == 0.0)
        v = 0.0; /* no "-0" */
    char t[64];
    int n = snprintf(t, sizeof t, "%.12g", v);
    if (n < 0 || (size_t)n >= sizeof t) {
        scar__sbuf_puts(b, nonfinite);
        return;
    }
    /* The locale's decimal separator (possibly multi-byte) becomes '.'; the
     * digits, sign and exponent are the same in every locale. */
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
    scar__sbuf_put(b, o, k);
}
