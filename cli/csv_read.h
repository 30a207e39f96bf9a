/* csv_read.h — an RFC 4180 CSV reader for the command's inputs (manifests,
 * images.csv). The whole file is read into memory: these tables have one
 * row per photo, so they stay small. */
#ifndef SCAR_CLI_CSV_READ_H
#define SCAR_CLI_CSV_READ_H

#include <stddef.h>

typedef struct cli_csv_row {
    char **fields;   /* n_fields NUL-terminated strings, unquoted */
    size_t n_fields;
    size_t line;     /* 1-based line of the file where the record starts */
    const char *raw; /* the record's bytes as in the file, without its line */
    size_t raw_len;  /* terminator (points into the parsed text) */
} cli_csv_row;

typedef struct cli_csv {
    cli_csv_row *rows; /* rows[0] is the header when the file has one */
    size_t n_rows;
    char *owned_text; /* the file's text when read by cli_csv_read_file */
} cli_csv;

/* Parse `text` (n bytes): a UTF-8 byte-order mark is skipped, records end in
 * LF, CRLF or CR, fields are separated by ',', a field starting with '"' is
 * quoted ("" stands for one '"'; commas and line breaks are kept). Blank
 * lines are skipped. Rows' raw pointers point into `text`, which must outlive
 * them. Returns 0, or -1 with a message naming `name` and the
 * line in err (size errsz): unterminated quote, text after a closing quote,
 * NUL byte, out of memory. */
int cli_csv_parse(const char *text, size_t n, const char *name, cli_csv *out,
                  char *err, size_t errsz);

/* Read the file at `path` and parse it as above (err names the file and the
 * system's reason when it cannot be read). */
int cli_csv_read_file(const char *path, cli_csv *out, char *err, size_t errsz);

/* Index of the header column named `name` in rows[0] (exact match), or -1. */
long cli_csv_column(const cli_csv *csv, const char *name);

/* Release everything; the struct is left empty. */
void cli_csv_free(cli_csv *csv);

/* Read a whole file into a NUL-terminated buffer (freed with free()).
 * Returns 0, or -1 with errno set. */
int cli_read_whole_file(const char *path, char **data, size_t *size);

#endif
