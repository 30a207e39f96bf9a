/* manifest.c — folder listing and CSV manifest parsing for `batch`. */
#include "manifest.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csv_read.h"

unsigned long long cli_hash64(const char *s)
{
    unsigned long long h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h;
}

int cli_in_shard(const char *path, unsigned k, unsigned n)
{
    return n <= 1 || cli_hash64(path) % n == (unsigned long long)(k - 1);
}

void cli_output_stem(const char *path, char *buf, size_t bufsz)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (len > 48)
        len = 48;
    char name[49];
    for (size_t i = 0; i < len; i++) {
        char c = base[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        name[i] = ok ? c : '_';
    }
    name[len] = '\0';
    snprintf(buf, bufsz, "%s-%016llx", len ? name : "image", cli_hash64(path));
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* dir + "/" + name, or name itself when it is absolute or dir is NULL. */
static char *join_path(const char *dir, const char *name)
{
    if (!dir || name[0] == '/')
        return dupstr(name);
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = malloc(dl + nl + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}

static void free_input(cli_input *e)
{
    free(e->path);
    free(e->file);
    free(e->subject);
    free(e->visit);
    free(e->roi);
    free(e->regions);
}

void cli_inputs_free(cli_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free_input(&in->v[i]);
    free(in->v);
    in->v = NULL;
    in->n = 0;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const cli_input *)a)->path, ((const cli_input *)b)->path);
}

static int has_image_extension(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (!strcasecmp(dot, ".png") || !strcasecmp(dot, ".jpg") ||
                   !strcasecmp(dot, ".jpeg"));
}

static int load_folder(const char *dir, cli_inputs *out, char *err, size_t errsz)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errsz, "%s: cannot open folder: %s", dir, strerror(errno));
        return -1;
    }
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    char *clean = malloc(dl + 1);
    if (!clean) {
        closedir(d);
        snprintf(err, errsz, "%s: out of memory", dir);
        return -1;
    }
    memcpy(clean, dir, dl);
    clean[dl] = '\0';
    size_t cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !has_image_extension(e->d_name))
            continue;
        char *p = join_path(clean, e->d_name);
        struct stat st;
        if (!p || stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            if (!p) {
                rc = -1;
                break;
            }
            continue;
        }
        if (out->n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            cli_input *nv = realloc(out->v, nc * sizeof *nv);
            if (!nv) {
                free(p);
                rc = -1;
                break;
            }
            out->v = nv;
            cap = nc;
        }
        cli_input *in = &out->v[out->n];
        memset(in, 0, sizeof *in);
        in->path = p;
        in->file = dupstr(p);
        out->n++;
        if (!in->file) {
            rc = -1;
            break;
        }
    }
    closedir(d);
    free(clean);
    if (rc) {
        snprintf(err, errsz, "%s: out of memory", dir);
        return -1;
    }
    if (out->n == 0) {
        snprintf(err, errsz, "%s: no .png, .jpg or .jpeg files in this folder",
                 dir);
        return -1;
    }
    return 0;
}

static int load_manifest(const char *file, cli_inputs *out, char *err,
                         size_t errsz)
{
    cli_csv csv;
    if (cli_csv_read_file(file, &csv, err, errsz) != 0)
        return -1;
    int rc = -1;
    char *dir = NULL;
    if (csv.n_rows == 0) {
        snprintf(err, errsz, "%s: empty manifest (expected a header line "
                 "with a 'path' column)", file);
        goto done;
    }
    long c_path = cli_csv_column(&csv, "path");
    long c_subject = cli_csv_column(&csv, "subject");
    long c_visit = cli_csv_column(&csv, "visit");
    long c_scale = cli_csv_column(&csv, "px_per_mm");
    long c_roi = cli_csv_column(&csv, "roi");
    long c_regions = cli_csv_column(&csv, "regions");
    if (c_path < 0) {
        snprintf(err, errsz, "%s: line %zu: the header has no 'path' column "
                 "(columns: path; optional subject, visit, px_per_mm, roi, "
                 "regions)",
                 file, csv.rows[0].line);
        goto done;
    }
    out->has_subject = c_subject >= 0;
    out->has_visit = c_visit >= 0;
    const char *slash = strrchr(file, '/');
    if (slash) {
        size_t dl = (size_t)(slash - file);
        dir = malloc(dl + 2);
        if (!dir)
            goto nomem;
        memcpy(dir, file, dl ? dl : 1);
        dir[dl ? dl : 1] = '\0';
    }
    size_t ncols = csv.rows[0].n_fields;
    if (csv.n_rows < 2) {
        snprintf(err, errsz, "%s: no rows after the header", file);
        goto done;
    }
    out->v = calloc(csv.n_rows - 1, sizeof *out->v);
    if (!out->v)
        goto nomem;
    for (size_t r = 1; r < csv.n_rows; r++) {
        const cli_csv_row *row = &csv.rows[r];
        if (row->n_fields != ncols) {
            snprintf(err, errsz, "%s: line %zu: %zu field%s but the header "
                     "has %zu columns (a missing or extra ',', or an "
                     "unquoted ',' inside a value)", file, row->line,
                     row->n_fields, row->n_fields == 1 ? "" : "s", ncols);
            goto done;
        }
        const char *p = row->fields[c_path];
        if (!p[0]) {
            snprintf(err, errsz, "%s: line %zu: empty path", file, row->line);
            goto done;
        }
        cli_input *in = &out->v[out->n++];
        in->line = row->line;
        in->path = dupstr(p);
        in->file = join_path(dir, p);
        if (!in->path || !in->file)
            goto nomem;
        if (c_subject >= 0 && !(in->subject = dupstr(row->fields[c_subject])))
            goto nomem;
        if (c_visit >= 0 && !(in->visit = dupstr(row->fields[c_visit])))
            goto nomem;
        if (c_roi >= 0 && row->fields[c_roi][0] &&
            !(in->roi = join_path(dir, row->fields[c_roi])))
            goto nomem;
        if (c_regions >= 0 && row->fields[c_regions][0] &&
            !(in->regions = join_path(dir, row->fields[c_regions])))
            goto nomem;
        if (c_scale >= 0 && row->fields[c_scale][0]) {
            const char *s = row->fields[c_scale];
            char *end = NULL;
            errno = 0;
            double v = strtod(s, &end);
            if (errno || end == s || *end || !isfinite(v) || !(v > 0.0) ||
                v > 10000.0) {
                snprintf(err, errsz, "%s: line %zu: px_per_mm '%s' is not a "
                         "number in (0, 10000]", file, row->line, s);
                goto done;
            }
            in->px_per_mm = v;
        }
    }
    qsort(out->v, out->n, sizeof *out->v, by_path);
    for (size_t i = 1; i < out->n; i++) {
        if (!strcmp(out->v[i].path, out->v[i - 1].path)) {
            size_t a = out->v[i - 1].line, b = out->v[i].line;
            snprintf(err, errsz, "%s: lines %zu and %zu: the same path '%s' "
                     "twice (each photo once; results are keyed by path)",
                     file, a < b ? a : b, a < b ? b : a, out->v[i].path);
            goto done;
        }
    }
    rc = 0;
    goto done;
nomem:
    snprintf(err, errsz, "%s: out of memory", file);
done:
    free(dir);
    cli_csv_free(&csv);
    if (rc)
        cli_inputs_free(out);
    return rc;
}

int cli_inputs_load(const char *input, cli_inputs *out, char *err, size_t errsz)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(input, &st) != 0) {
        snprintf(err, errsz, "%s: %s", input, strerror(errno));
        return -1;
    }
    int rc = S_ISDIR(st.st_mode) ? load_folder(input, out, err, errsz)
                                 : load_manifest(input, out, err, errsz);
    if (rc == 0 && !S_ISDIR(st.st_mode))
        return 0;
    if (rc == 0)
        qsort(out->v, out->n, sizeof *out->v, by_path);
    else
        cli_inputs_free(out);
    return rc;
}
