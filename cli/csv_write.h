/* csv_write.h — writing RFC 4180 fields into a growable text buffer. */
#ifndef SCAR_CLI_CSV_WRITE_H
#define SCAR_CLI_CSV_WRITE_H

#include <stddef.h>

typedef struct cli_text {
    char *p;     /* NUL-terminated once anything was appended */
    size_t n, cap;
    int failed;  /* set when an allocation failed; later appends do nothing */
} cli_text;

/* Append n bytes / a C string / a printf-formatted string. */
void cli_text_append(cli_text *t, const char *s, size_t n);
void cli_text_puts(cli_text *t, const char *s);
void cli_text_printf(cli_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append one CSV field, quoted when it holds ',', '"', CR or LF (or starts
 * or ends with a space), with '"' doubled. */
void cli_text_csv_field(cli_text *t, const char *s);

/* Append a JSON string literal (quotes included, control characters
 * escaped). */
void cli_text_json_string(cli_text *t, const char *s);

/* Append a number with 17 significant digits (round-trips a double);
 * NaN and infinities give an empty string in CSV mode, null in JSON mode. */
void cli_text_number(cli_text *t, double v, int json);

void cli_text_free(cli_text *t);

#endif
