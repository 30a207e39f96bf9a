/* manifest.h — the list of photos a batch scores: every PNG/JPEG file of a
 * folder, or the rows of a CSV manifest (columns: path; optional subject,
 * visit, px_per_mm, roi, regions). Format and rules: docs/cli.md. */
#ifndef SCAR_CLI_MANIFEST_H
#define SCAR_CLI_MANIFEST_H

#include <stddef.h>

typedef struct cli_input {
    char *path;       /* the key, as written in the manifest (or DIR/name) */
    char *file;       /* the file to open: path resolved against the
                         manifest's folder when relative */
    char *subject;    /* NULL when the manifest has no subject column */
    char *visit;      /* NULL when the manifest has no visit column */
    char *roi;        /* ROI mask file to open, NULL when none */
    char *regions;    /* label PNG whose regions are measured (not
                         found), NULL when none */
    double px_per_mm; /* 0 = not given */
    size_t line;      /* manifest line (0 for a folder) */
} cli_input;

typedef struct cli_inputs {
    cli_input *v;     /* sorted by path (byte order), paths unique */
    size_t n;
    int has_subject, has_visit;
} cli_inputs;

/* Load INPUT: a folder (its *.png, *.jpg, *.jpeg files, any case, not
 * recursive, hidden files skipped) or a CSV manifest. Returns 0, or -1 with
 * a message naming the file, the line and the reason in err. */
int cli_inputs_load(const char *input, cli_inputs *out, char *err, size_t errsz);

void cli_inputs_free(cli_inputs *in);

/* FNV-1a 64-bit hash of a string (Fowler, Noll, Vo): stable across runs and
 * machines, used for shard assignment and output file names. */
unsigned long long cli_hash64(const char *s);

/* Shard membership: 1-based shard k of n takes the inputs whose
 * cli_hash64(path) % n == k - 1, independent of input order. */
int cli_in_shard(const char *path, unsigned k, unsigned n);

/* The output stem of a path: its base name without extension, characters
 * other than [A-Za-z0-9._-] replaced by '_', at most 48 bytes, then '-' and
 * the 16 hex digits of cli_hash64(path) (unique per path). Writes into buf
 * (at least 72 bytes). */
void cli_output_stem(const char *path, char *buf, size_t bufsz);

#endif
