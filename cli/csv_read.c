/* csv_read.c — RFC 4180 CSV parsing (see csv_read.h). Accepts what
 * spreadsheet programs write: BOM, CRLF, quoted fields with embedded commas,
 * quotes and line breaks. */
#include "csv_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

int cli_read_whole_file(const char *path, char **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return -1;
    }
    for (;;) {
        if (cap - n < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        free(buf);
        errno = saved ? saved : EIO;
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *size = n;
    return 0;
}

/* A growable byte buffer for the field being read. */
typedef struct strbuf {
    char *p;
    size_t n, cap;
} strbuf;

static int sb_put(strbuf *b, char c)
{
    if (b->n + 1 >= b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 64;
        char *np = realloc(b->p, nc);
        if (!np)
            return -1;
        b->p = np;
        b->cap = nc;
    }
    b->p[b->n++] = c;
    return 0;
}

static int push_field(cli_csv_row *row, size_t *cap, strbuf *b)
{
    if (row->n_fields == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        char **nf = realloc(row->fields, nc * sizeof *nf);
        if (!nf)
            return -1;
        row->fields = nf;
        *cap = nc;
    }
    char *s = malloc(b->n + 1);
    if (!s)
        return -1;
    if (b->n)
        memcpy(s, b->p, b->n);
    s[b->n] = '\0';
    row->fields[row->n_fields++] = s;
    b->n = 0;
    return 0;
}

static void free_row(cli_csv_row *row)
{
    for (size_t i = 0; i < row->n_fields; i++)
        free(row->fields[i]);
    free(row->fields);
    row->fields = NULL;
    row->n_fields = 0;
}

static int push_row(cli_csv *csv, size_t *cap, cli_csv_row *row)
{
    if (csv->n_rows == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        cli_csv_row *nr = realloc(csv->rows, nc * sizeof *nr);
        if (!nr)
            return -1;
        csv->rows = nr;
        *cap = nc;
    }
    csv->rows[csv->n_rows++] = *row;
    row->fields = NULL;
    row->n_fields = 0;
    return 0;
}

int cli_csv_parse(const char *text, size_t n, const char *name, cli_csv *out,
                  char *err, size_t errsz)
{
    out->rows = NULL;
    out->n_rows = 0;
    out->owned_text = NULL;
    size_t i = 0, line = 1, rows_cap = 0, fields_cap = 0;
    if (n >= 3 && (unsigned char)text[0] == 0xEF &&
        (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF)
        i = 3;
    strbuf b = {0};
    cli_csv_row row = {0};
    int field_quoted = 0, field_started = 0;
    size_t rec_start = i;
    row.line = line;
    while (i <= n) {
        int at_end = i == n;
        char c = at_end ? '\n' : text[i];
        if (!at_end && c == '\0') {
            set_err(err, errsz, "%s: line %zu: NUL byte (not a text CSV file?)",
                    name, line);
            goto fail;
        }
        if (!field_started && c == '"') {
            /* Quoted field: read to the closing quote. */
            size_t start_line = line;
            field_quoted = 1;
            field_started = 1;
            i++;
            for (;;) {
                if (i >= n) {
                    set_err(err, errsz, "%s: line %zu: quoted field never "
                            "closed (a '\"' is missing)", name, start_line);
                    goto fail;
                }
                char q = text[i];
                if (q == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        if (sb_put(&b, '"'))
                            goto nomem;
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (q == '\n' || (q == '\r' && !(i + 1 < n && text[i + 1] == '\n')))
                    line++;
                if (q == '\0') {
                    set_err(err, errsz, "%s: line %zu: NUL byte", name, line);
                    goto fail;
                }
                if (sb_put(&b, q))
                    goto nomem;
                i++;
            }
            /* After the closing quote only a separator or line end. */
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                set_err(err, errsz, "%s: line %zu: unexpected text after a "
                        "closing quote (write \"\" for a quote inside a "
                        "quoted field)", name, line);
                goto fail;
            }
            continue;
        }
        if (c == ',') {
            if (push_field(&row, &fields_cap, &b))
                goto nomem;
            field_quoted = 0;
            field_started = 0;
            i++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            int blank = row.n_fields == 0 && b.n == 0 && !field_quoted;
            if (!blank) {
                row.raw = text + rec_start;
                row.raw_len = (at_end ? n : i) - rec_start;
                if (push_field(&row, &fields_cap, &b) ||
                    push_row(out, &rows_cap, &row))
                    goto nomem;
                fields_cap = 0;
            }
            field_quoted = 0;
            field_started = 0;
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n')
                i++;
            i++;
            line++;
            row.line = line;
            rec_start = i;
            continue;
        }
        if (sb_put(&b, c))
            goto nomem;
        field_started = 1;
        i++;
    }
    free(b.p);
    return 0;
nomem:
    set_err(err, errsz, "%s: out of memory at line %zu", name, line);
fail:
    free(b.p);
    free_row(&row);
    cli_csv_free(out);
    return -1;
}

int cli_csv_read_file(const char *path, cli_csv *out, char *err, size_t errsz)
{
    char *text = NULL;
    size_t n = 0;
    out->rows = NULL;
    out->n_rows = 0;
    out->owned_text = NULL;
    if (cli_read_whole_file(path, &text, &n) != 0) {
        set_err(err, errsz, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    int rc = cli_csv_parse(text, n, path, out, err, errsz);
    if (rc == 0)
        out->owned_text = text;
    else
        free(text);
    return rc;
}

long cli_csv_column(const cli_csv *csv, const char *name)
{
    if (!csv->n_rows)
        return -1;
    const cli_csv_row *h = &csv->rows[0];
    for (size_t i = 0; i < h->n_fields; i++)
        if (!strcmp(h->fields[i], name))
            return (long)i;
    return -1;
}

void cli_csv_free(cli_csv *csv)
{
    for (size_t r = 0; r < csv->n_rows; r++)
        free_row(&csv->rows[r]);
    free(csv->rows);
    free(csv->owned_text);
    csv->rows = NULL;
    csv->n_rows = 0;
    csv->owned_text = NULL;
}
