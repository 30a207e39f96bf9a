/* csv_write.c — text buffer, CSV field quoting (RFC 4180) and JSON string
 * escaping (RFC 8259) for the command's outputs. */
#include "csv_write.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(cli_text *t, size_t extra)
{
    if (t->failed)
        return -1;
    if (t->n + extra + 1 <= t->cap)
        return 0;
    size_t nc = t->cap ? t->cap : 256;
    while (nc < t->n + extra + 1)
        nc *= 2;
    char *np = realloc(t->p, nc);
    if (!np) {
        t->failed = 1;
        return -1;
    }
    t->p = np;
    t->cap = nc;
    return 0;
}

void cli_text_append(cli_text *t, const char *s, size_t n)
{
    if (reserve(t, n))
        return;
    if (n)
        memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

void cli_text_puts(cli_text *t, const char *s)
{
    cli_text_append(t, s, strlen(s));
}

void cli_text_printf(cli_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || reserve(t, (size_t)len)) {
        va_end(ap2);
        t->failed = 1;
        return;
    }
    vsnprintf(t->p + t->n, (size_t)len + 1, fmt, ap2);
    va_end(ap2);
    t->n += (size_t)len;
}

void cli_text_csv_field(cli_text *t, const char *s)
{
    size_t len = strlen(s);
    int quote = len && (s[0] == ' ' || s[len - 1] == ' ');
    for (const char *c = s; *c && !quote; c++)
        quote = *c == ',' || *c == '"' || *c == '\r' || *c == '\n';
    if (!quote) {
        cli_text_append(t, s, len);
        return;
    }
    cli_text_append(t, "\"", 1);
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            cli_text_append(t, "\"", 1);
        cli_text_append(t, c, 1);
    }
    cli_text_append(t, "\"", 1);
}

void cli_text_json_string(cli_text *t, const char *s)
{
    cli_text_append(t, "\"", 1);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '"': cli_text_append(t, "\\\"", 2); break;
        case '\\': cli_text_append(t, "\\\\", 2); break;
        case '\n': cli_text_append(t, "\\n", 2); break;
        case '\r': cli_text_append(t, "\\r", 2); break;
        case '\t': cli_text_append(t, "\\t", 2); break;
        default:
            if (*c < 0x20)
                cli_text_printf(t, "\\u%04x", *c);
            else
                cli_text_append(t, (const char *)c, 1);
        }
    }
    cli_text_append(t, "\"", 1);
}

void cli_text_number(cli_text *t, double v, int json)
{
    if (!isfinite(v)) {
        if (json)
            cli_text_puts(t, "null");
        return;
    }
    cli_text_printf(t, "%.17g", v);
}

void cli_text_free(cli_text *t)
{
    free(t->p);
    t->p = NULL;
    t->n = t->cap = 0;
    t->failed = 0;
}
