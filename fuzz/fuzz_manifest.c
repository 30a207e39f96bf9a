/* fuzz_manifest.c — batch manifest parsing (cli/manifest.c over
 * cli/csv_read.c): the input is a manifest file's bytes. Each input goes
 * twice through the CSV reader, from memory (cli_csv_parse) and as a file
 * (cli_inputs_load on sandbox/manifest.csv, the path `scarscore batch`
 * takes), and every accepted manifest is checked against docs/cli.md:
 * rows sorted by path in byte order with no duplicates, non-empty paths,
 * px_per_mm 0 or in (0, 10000], subject/visit present exactly when their
 * column is, and output stems of at most 48 + 17 bytes of [A-Za-z0-9._-].
 * A rejected manifest must come with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_read.h"
#include "fuzz_common.h"
#include "manifest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static char sandbox[] = "/tmp/scarscore-fuzz-manifest-XXXXXX";
static char manifest_path[sizeof sandbox + 16];

static void remove_sandbox(void)
{
    (void)unlink(manifest_path);
    (void)rmdir(sandbox);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(sandbox)) {
        perror("fuzz_manifest: cannot create a temporary directory");
        abort();
    }
    snprintf(manifest_path, sizeof manifest_path, "%s/manifest.csv", sandbox);
    atexit(remove_sandbox);
    return 0;
}

static int stem_ok(const char *stem)
{
    size_t n = strlen(stem);
    if (n < 18 || n > 48 + 17)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = stem[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static void check_csv(const uint8_t *data, size_t size)
{
    cli_csv csv;
    char err[512];
    err[0] = '\0';
    if (cli_csv_parse((const char *)data, size, "fuzz.csv", &csv, err,
                      sizeof err) != 0) {
        if (!err[0] || !memchr(err, '\0', sizeof err))
            abort();
        return;
    }
    size_t last_line = 0;
    for (size_t r = 0; r < csv.n_rows; r++) {
        const cli_csv_row *row = &csv.rows[r];
        if (row->line < 1 || row->line < last_line || row->n_fields < 1)
            abort();
        last_line = row->line;
        for (size_t f = 0; f < row->n_fields; f++)
            if (strlen(row->fields[f]) > size) /* reads every field */
                abort();
    }
    cli_csv_free(&csv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    check_csv(data, size);

    FILE *f = fopen(manifest_path, "wb");
    if (!f)
        abort();
    if (fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    cli_inputs in;
    char err[512];
    err[0] = '\0';
    if (cli_inputs_load(manifest_path, &in, err, sizeof err) != 0) {
        if (!err[0] || !memchr(err, '\0', sizeof err) || in.n != 0 || in.v)
            abort();
        return 0;
    }
    if (in.n == 0)
        abort();
    for (size_t i = 0; i < in.n; i++) {
        const cli_input *e = &in.v[i];
        if (!e->path || !e->path[0] || !e->file ||
            (i > 0 && strcmp(in.v[i - 1].path, e->path) >= 0) ||
            !(e->px_per_mm == 0.0 || (e->px_per_mm > 0.0 && e->px_per_mm <= 10000.0)) ||
            (in.has_subject != (e->subject != NULL)) ||
            (in.has_visit != (e->visit != NULL)) || (e->roi && !e->roi[0]))
            abort();
        char stem[80];
        cli_output_stem(e->path, stem, sizeof stem);
        if (!stem_ok(stem))
            abort();
    }
    cli_inputs_free(&in);
    return 0;
}
