/* cmd_merge.c — `scarscore merge OUT SHARD_DIR...`: join the outputs of
 * `batch --shard K/N` runs. Rows are copied byte for byte and ordered by
 * path exactly as a single batch orders them, so merging all shards gives
 * the same images.csv and regions.csv as one run over all inputs. The
 * per-image files (records/, json/, overlays/) are linked or copied, so
 * `report OUT` and `batch --resume` work on the merged folder. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "commands.h"
#include "csv_read.h"
#include "csv_write.h"

static const char merge_usage[] =
    "usage: scarscore merge OUT SHARD_DIR...\n"
    "  joins the images.csv and regions.csv of batch outputs (e.g. one per\n"
    "  --shard K/N) into OUT, ordered by path, and links or copies their\n"
    "  json/, overlays/ and records/ files; a path found in two shards is an\n"
    "  error\n"
    "exit status: 0 success, 1 a file could not be read or written or the\n"
    "             shards do not fit together, 2 usage error\n";

typedef struct merged_row {
    const char *path; /* parsed path field */
    const char *raw;
    size_t raw_len;
    size_t shard, seq; /* for a stable order and messages */
} merged_row;

static int by_path_then_seq(const void *a, const void *b)
{
    const merged_row *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    if (x->shard != y->shard)
        return x->shard < y->shard ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static char *join2(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* Merge one table (images.csv or regions.csv) of every shard into OUT.
 * unique: a path may appear in one row only (images). */
static int merge_table(const char *out, char **shards, size_t n_shards,
                       const char *name, int unique, char *err, size_t errsz)
{
    cli_csv *t = calloc(n_shards, sizeof *t);
    merged_row *rows = NULL;
    size_t n_rows = 0, cap = 0;
    cli_text o = {0};
    int rc = -1;
    if (!t) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    for (size_t s = 0; s < n_shards; s++) {
        char *p = join2(shards[s], name);
        if (!p) {
            snprintf(err, errsz, "out of memory");
            goto done;
        }
        int bad = cli_csv_read_file(p, &t[s], err, errsz);
        if (!bad && (t[s].n_rows == 0 || cli_csv_column(&t[s], "path") != 0)) {
            snprintf(err, errsz, "%s: not a scarscore batch table (its first "
                     "column must be 'path')", p);
            bad = 1;
        }
        if (!bad && s > 0 &&
            (t[s].rows[0].raw_len != t[0].rows[0].raw_len ||
             memcmp(t[s].rows[0].raw, t[0].rows[0].raw, t[0].rows[0].raw_len))) {
            snprintf(err, errsz, "%s: its columns differ from those of %s/%s "
                     "(shards made by different scarscore versions or "
                     "manifests?)", p, shards[0], name);
            bad = 1;
        }
        free(p);
        if (bad)
            goto done;
        for (size_t r = 1; r < t[s].n_rows; r++) {
            if (n_rows == cap) {
                size_t nc = cap ? cap * 2 : 256;
                merged_row *nr = realloc(rows, nc * sizeof *nr);
                if (!nr) {
                    snprintf(err, errsz, "out of memory");
                    goto done;
                }
                rows = nr;
                cap = nc;
            }
            rows[n_rows].path = t[s].rows[r].fields[0];
            rows[n_rows].raw = t[s].rows[r].raw;
            rows[n_rows].raw_len = t[s].rows[r].raw_len;
            rows[n_rows].shard = s;
            rows[n_rows].seq = r;
            n_rows++;
        }
    }
    if (n_rows)
        qsort(rows, n_rows, sizeof *rows, by_path_then_seq);
    cli_text_append(&o, t[0].rows[0].raw, t[0].rows[0].raw_len);
    cli_text_puts(&o, "\n");
    for (size_t r = 0; r < n_rows; r++) {
        if (r > 0 && !strcmp(rows[r].path, rows[r - 1].path) &&
            rows[r].shard != rows[r - 1].shard) {
            snprintf(err, errsz, "path '%s' is in both %s/%s and %s/%s (shards "
                     "overlap: merge the outputs of one --shard K/N series, "
                     "each K once)", rows[r].path, shards[rows[r - 1].shard],
                     name, shards[rows[r].shard], name);
            goto done;
        }
        if (r > 0 && unique && !strcmp(rows[r].path, rows[r - 1].path)) {
            snprintf(err, errsz, "%s/%s: path '%s' appears twice",
                     shards[rows[r].shard], name, rows[r].path);
            goto done;
        }
        cli_text_append(&o, rows[r].raw, rows[r].raw_len);
        cli_text_puts(&o, "\n");
    }
    if (o.failed) {
        snprintf(err, errsz, "out of memory");
        goto done;
    }
    char *dst = join2(out, name);
    if (!dst) {
        snprintf(err, errsz, "out of memory");
        goto done;
    }
    rc = cli_write_atomic(dst, o.p, o.n, err, errsz);
    free(dst);
done:
    for (size_t s = 0; s < n_shards; s++)
        cli_csv_free(&t[s]);
    free(t);
    free(rows);
    cli_text_free(&o);
    return rc;
}

/* Link or copy every file of shard/sub into out/sub. */
static int merge_files(const char *out, const char *shard, const char *sub,
                       char *err, size_t errsz)
{
    char *src_dir = join2(shard, sub), *dst_dir = join2(out, sub);
    int rc = -1;
    if (!src_dir || !dst_dir) {
        snprintf(err, errsz, "out of memory");
        goto done;
    }
    if (cli_mkdir(dst_dir, err, errsz) != 0)
        goto done;
    DIR *d = opendir(src_dir);
    if (!d) {
        if (errno == ENOENT) {
            rc = 0; /* an older or hand-made shard without this folder */
            goto done;
        }
        snprintf(err, errsz, "%s: cannot open folder: %s", src_dir, strerror(errno));
        goto done;
    }
    rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp."))
            continue;
        char *s = join2(src_dir, e->d_name), *t = join2(dst_dir, e->d_name);
        if (!s || !t) {
            snprintf(err, errsz, "out of memory");
            rc = -1;
        } else {
            rc = cli_copy_file(s, t, err, errsz);
        }
        free(s);
        free(t);
    }
    closedir(d);
done:
    free(src_dir);
    free(dst_dir);
    return rc;
}

cli_args_status cli_parse_merge(int argc, char **argv, cli_merge_args *o,
                                cli_args_error *e)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return CLI_ARGS_HELP;
        if (argv[i][0] == '-' && argv[i][1])
            return cli_args_bad(e, 1, "unknown option '%s'", argv[i]);
    }
    if (argc < 2)
        return cli_args_bad(e, 1, "expected OUT and at least one SHARD_DIR");
    o->out = argv[0];
    o->shards = argv + 1;
    o->n_shards = (size_t)argc - 1;
    for (size_t s = 0; s < o->n_shards; s++)
        if (!strcmp(o->shards[s], o->out))
            return cli_args_bad(e, 0, "OUT '%s' is also a SHARD_DIR; merge "
                                "into a new folder", o->out);
    return CLI_ARGS_RUN;
}

int scar_cli_merge(int argc, char **argv)
{
    cli_merge_args args;
    cli_args_error perr;
    cli_args_status pst = cli_parse_merge(argc, argv, &args, &perr);
    if (pst != CLI_ARGS_RUN)
        return cli_args_exit("merge", pst, &perr, merge_usage);
    const char *out = args.out;
    char **shards = args.shards;
    size_t n = args.n_shards;
    char err[2048];
    if (cli_mkdir(out, err, sizeof err) != 0 ||
        merge_table(out, shards, n, CLI_IMAGES_CSV, 1, err, sizeof err) != 0 ||
        merge_table(out, shards, n, CLI_REGIONS_CSV, 0, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore merge: %s\n", err);
        return CLI_EXIT_FILE;
    }
    static const char *const subs[] = {CLI_DIR_RECORDS, CLI_DIR_JSON,
                                       CLI_DIR_OVERLAYS};
    for (size_t s = 0; s < n; s++) {
        for (size_t k = 0; k < 3; k++) {
            if (merge_files(out, shards[s], subs[k], err, sizeof err) != 0) {
                fprintf(stderr, "scarscore merge: %s\n", err);
                return CLI_EXIT_FILE;
            }
        }
    }
    return CLI_EXIT_OK;
}
