/* cmd_batch.c — `scarscore batch INPUT -o OUTDIR [-j N] [--resume]
 * [--shard K/N]`: score every photo of a folder or manifest on worker
 * threads.
 *
 * Crash safety (docs/cli.md): each image's result is committed as one
 * record file OUTDIR/records/STEM.rec written atomically (temporary file +
 * rename) after its JSON and overlay; the records are the source of truth
 * and images.csv / regions.csv are rebuilt from them, in path order, at the
 * end. A batch killed at any moment therefore leaves every image either
 * complete or absent, and --resume redoes only the absent (and failed)
 * ones. An output file that cannot be written (full disk, ...) stops the
 * batch with exit 1 and the same guarantee (docs/cli.md "Write
 * failures"). Argument parsing is cli_parse_batch(), a pure function. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze_one.h"
#include "atomic_file.h"
#include "commands.h"
#include "csv_read.h"
#include "csv_write.h"
#include "manifest.h"
#include "progress.h"
#include "scarscore.h"

static const char batch_usage[] =
    "usage: scarscore batch INPUT -o OUTDIR [-j N] [--resume] [--shard K/N]\n"
    "                       [--px-per-mm X] [--analysis-px-per-mm X]\n"
    "                       [--single-lesion] [--as-photographed] [--quiet]\n"
    "  INPUT            a folder (its .png/.jpg/.jpeg files) or a CSV manifest\n"
    "                   with columns path; optional subject, visit, px_per_mm, roi\n"
    "  -o OUTDIR        writes images.csv, regions.csv, json/, overlays/, records/\n"
    "  -j N             worker threads (default: number of CPUs)\n"
    "  --resume         keep the images OUTDIR already holds (failed ones are\n"
    "                   retried); safe after a crash or kill at any moment\n"
    "  --shard K/N      score only shard K of N (1 <= K <= N), chosen by a hash\n"
    "                   of each path; join shard outputs with 'scarscore merge'\n"
    "  --px-per-mm X    scale for rows whose manifest gives none\n"
    "  --analysis-px-per-mm X  analyse at about X px/mm (default 5;\n"
    "                   0 = full resolution); outputs keep each photo's size\n"
    "  --single-lesion  every photo shows one dominant lesion\n"
    "  --as-photographed  colours as photographed (default: each region and\n"
    "                   its ring at the exposure of the best-lit skin)\n"
    "  --quiet          no progress output\n"
    "exit status: 0 all images scored, 3 some images failed (error rows),\n"
    "             1 an input or output file could not be read or written,\n"
    "             2 usage error\n";

#define RECORD_MAGIC "scarscore-record"

/* After a write failure (full disk, quota, file size limit, I/O error):
 * what is kept and what to do. */
#define RESUME_ADVICE                                                        \
    "scarscore batch: the photos finished so far are kept in %s/records;\n"   \
    "  free some space (or fix the reason above) and rerun the same command\n" \
    "  with --resume to score the rest and write images.csv and regions.csv\n"

typedef struct batch {
    const cli_inputs *in;
    const char *outdir;
    int resume, single_lesion, as_photographed;
    double px_per_mm;
    double analysis_px_per_mm;      /* resolved: never the "default" sentinel */
    unsigned long long fingerprint; /* schema of the rows (see batch_run) */
    size_t n_image_cols;            /* columns of scar_csv_header(IMAGES) */
    size_t *todo;                   /* indices into in->v for this shard */
    size_t n_todo;
    size_t next;                    /* next todo index to claim */
    pthread_mutex_t lock;
    cli_progress progress;
    int write_failed;               /* a record could not be written */
    char write_err[1024];
} batch;

static unsigned long long hash_more(unsigned long long h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : "\x01");
         *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    h ^= 0xff; /* separator, so ("ab","c") != ("a","bc") */
    h *= 1099511628211ull;
    return h;
}

/* The fingerprint of one input's record: the schema plus every manifest
 * field and option that ends up in (or changes) its rows. The analysis
 * resolution is the value actually passed to the library (the default
 * resolved at start), so `--analysis-px-per-mm 5` and no flag share
 * records while any other value redoes the photo. */
static unsigned long long input_fingerprint(const batch *b, const cli_input *e)
{
    char scale[96];
    snprintf(scale, sizeof scale, "%.17g/%d/%.17g/%d",
             e->px_per_mm ? e->px_per_mm : b->px_per_mm, b->single_lesion,
             b->analysis_px_per_mm, b->as_photographed);
    unsigned long long h = b->fingerprint;
    h = hash_more(h, e->path);
    h = hash_more(h, e->subject);
    h = hash_more(h, e->visit);
    h = hash_more(h, e->roi);
    h = hash_more(h, e->regions);
    return hash_more(h, scale);
}

static char *out_path(const char *outdir, const char *sub, const char *stem,
                      const char *ext)
{
    size_t n = strlen(outdir) + strlen(sub) + strlen(stem) + strlen(ext) + 4;
    char *p = malloc(n);
    if (p && sub[0])
        snprintf(p, n, "%s/%s/%s%s", outdir, sub, stem, ext);
    else if (p)
        snprintf(p, n, "%s/%s%s", outdir, stem, ext);
    return p;
}

/* Key columns: path, then subject and visit when the input has them. */
static void key_fields(cli_text *t, const cli_inputs *in, const cli_input *e)
{
    cli_text_csv_field(t, e->path);
    if (in->has_subject) {
        cli_text_puts(t, ",");
        cli_text_csv_field(t, e->subject ? e->subject : "");
    }
    if (in->has_visit) {
        cli_text_puts(t, ",");
        cli_text_csv_field(t, e->visit ? e->visit : "");
    }
}

/* Messages go into one CSV field: keep them on one line. */
static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

/* Record layout: a header line
 *   scarscore-record 1 FINGERPRINT STATUS IMAGE_BYTES REGION_BYTES
 * then the images.csv row (IMAGE_BYTES) and the regions.csv rows. */
static int write_record(const batch *b, const cli_input *e, const char *path,
                        int ok, const cli_text *img_row, const cli_text *reg_rows,
                        char *err, size_t errsz)
{
    cli_text t = {0};
    cli_text_printf(&t, RECORD_MAGIC " 1 %016llx %s %zu %zu\n",
                    input_fingerprint(b, e), ok ? "ok" : "error", img_row->n,
                    reg_rows->n);
    cli_text_append(&t, img_row->p ? img_row->p : "", img_row->n);
    cli_text_append(&t, reg_rows->p ? reg_rows->p : "", reg_rows->n);
    int rc;
    if (t.failed) {
        snprintf(err, errsz, "%s: out of memory", path);
        rc = -1;
    } else {
        rc = cli_write_atomic(path, t.p, t.n, err, errsz);
    }
    cli_text_free(&t);
    return rc;
}

/* Read a record; returns 1 when it exists, is complete, matches the
 * fingerprint (and sets *ok, and the two row blocks when wanted), else 0. */
static int read_record(const char *path, unsigned long long fp, int *ok,
                       char **img_row, size_t *img_n, char **reg_rows,
                       size_t *reg_n, char **data_out)
{
    char *data = NULL;
    size_t n = 0;
    if (cli_read_whole_file(path, &data, &n) != 0)
        return 0;
    unsigned long long got = 0;
    char status[16];
    size_t ni = 0, nr = 0;
    int hdr = 0;
    if (sscanf(data, RECORD_MAGIC " 1 %llx %15s %zu %zu%n", &got, status, &ni,
               &nr, &hdr) != 4 || (size_t)hdr >= n || data[hdr] != '\n' ||
        got != fp || (size_t)hdr + 1 + ni + nr != n ||
        (strcmp(status, "ok") && strcmp(status, "error"))) {
        free(data);
        return 0;
    }
    *ok = !strcmp(status, "ok");
    if (data_out) {
        *img_row = data + hdr + 1;
        *img_n = ni;
        *reg_rows = data + hdr + 1 + ni;
        *reg_n = nr;
        *data_out = data;
    } else {
        free(data);
    }
    return 1;
}

/* Record the first write failure; the workers then stop claiming photos. */
static void stop_batch(batch *b, const char *why)
{
    pthread_mutex_lock(&b->lock);
    if (!b->write_failed)
        snprintf(b->write_err, sizeof b->write_err, "%s", why);
    b->write_failed = 1;
    pthread_mutex_unlock(&b->lock);
}

/* Score one input and commit its record. Returns 1 ok, 0 image failed (or
 * the batch must stop: an output file could not be written, which is the
 * output folder's fault, not the photo's, so no record claims the photo
 * failed and --resume retries it). */
static int process_one(batch *b, const cli_input *e, const char *rec_path,
                       const char *stem)
{
    char err[2048] = "";
    char werr[1024] = "";
    int out_failed = 0;
    cli_text img_row = {0}, reg_rows = {0};
    scar_image *img = NULL;
    scar_result *res = NULL;
    int ok = 0;
    double scale = e->px_per_mm ? e->px_per_mm : b->px_per_mm;
    unsigned flags = (b->single_lesion ? CLI_ANALYZE_SINGLE_LESION : 0u) |
                     (b->as_photographed ? CLI_ANALYZE_AS_PHOTOGRAPHED : 0u);
    if (cli_analyze_file(e->file, e->roi, e->regions, scale, b->analysis_px_per_mm,
                         flags, &img, &res, err, sizeof err) == 0) {
        char *json = NULL, *irow = NULL, *rrows = NULL;
        size_t jn = 0, in = 0, rn = 0;
        char *jpath = out_path(b->outdir, CLI_DIR_JSON, stem, ".json");
        char *opath = out_path(b->outdir, CLI_DIR_OVERLAYS, stem, ".png");
        if (!jpath || !opath) {
            snprintf(err, sizeof err, "%s: out of memory", e->file);
        } else if (scar_result_to_json(res, &json, &jn) != SCAR_OK ||
                   scar_result_to_csv(res, SCAR_CSV_IMAGES, &irow, &in) != SCAR_OK ||
                   scar_result_to_csv(res, SCAR_CSV_REGIONS, &rrows, &rn) != SCAR_OK) {
            snprintf(err, sizeof err, "%s: %s", e->file, scar_last_error());
        } else if (cli_write_atomic(jpath, json, jn, werr, sizeof werr) != 0 ||
                   cli_overlay_save(img, res, opath, werr, sizeof werr) != 0) {
            out_failed = 1;
        } else {
            ok = 1;
            key_fields(&img_row, b->in, e);
            cli_text_puts(&img_row, ",");
            /* The library's row ends in "\n": drop it, add status,error. */
            cli_text_append(&img_row, irow, in && irow[in - 1] == '\n' ? in - 1 : in);
            cli_text_puts(&img_row, ",ok,\n");
            /* One line per region (fields are numbers and class names, so a
             * line break always ends a row); prefix each with the path. */
            for (const char *p = rrows; p && *p;) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);
                cli_text_csv_field(&reg_rows, e->path);
                cli_text_puts(&reg_rows, ",");
                cli_text_append(&reg_rows, p, len);
                cli_text_puts(&reg_rows, "\n");
                p += len + (nl ? 1 : 0);
            }
        }
        scar_free(json);
        scar_free(irow);
        scar_free(rrows);
        free(jpath);
        free(opath);
    }
    if (out_failed) {
        scar_result_free(res);
        scar_image_free(img);
        stop_batch(b, werr);
        return 0;
    }
    if (!ok) {
        one_line(err);
        cli_text_free(&img_row);
        cli_text_free(&reg_rows);
        key_fields(&img_row, b->in, e);
        for (size_t i = 0; i < b->n_image_cols; i++)
            cli_text_puts(&img_row, ",");
        cli_text_puts(&img_row, ",error,");
        cli_text_csv_field(&img_row, err[0] ? err : "unknown error");
        cli_text_puts(&img_row, "\n");
    }
    scar_result_free(res);
    scar_image_free(img);
    if (img_row.failed || reg_rows.failed) {
        snprintf(werr, sizeof werr, "%s: out of memory", rec_path);
        ok = -1;
    } else if (write_record(b, e, rec_path, ok, &img_row, &reg_rows, werr,
                            sizeof werr) != 0) {
        ok = -1;
    }
    cli_text_free(&img_row);
    cli_text_free(&reg_rows);
    if (ok < 0) {
        stop_batch(b, werr);
        return 0;
    }
    return ok;
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t k = b->next < b->n_todo ? b->next++ : b->n_todo;
        int stop = b->write_failed;
        pthread_mutex_unlock(&b->lock);
        if (k >= b->n_todo || stop)
            break;
        const cli_input *e = &b->in->v[b->todo[k]];
        char stem[96];
        cli_output_stem(e->path, stem, sizeof stem);
        char *rec = out_path(b->outdir, CLI_DIR_RECORDS, stem, ".rec");
        int ok = 0, resumed = 0;
        if (rec && b->resume &&
            read_record(rec, input_fingerprint(b, e), &ok, NULL, NULL, NULL,
                        NULL, NULL) && ok)
            resumed = 1;
        else if (rec)
            ok = process_one(b, e, rec, stem);
        free(rec);
        pthread_mutex_lock(&b->lock);
        cli_progress_step(&b->progress, e->path, ok, resumed);
        pthread_mutex_unlock(&b->lock);
    }
    return NULL;
}

/* Rebuild images.csv and regions.csv from the records, in path order. */
static int assemble(batch *b, size_t *n_failed, size_t *n_assumed, char *err,
                    size_t errsz)
{
    cli_text im = {0}, rg = {0};
    cli_text_puts(&im, "path,");
    if (b->in->has_subject)
        cli_text_puts(&im, "subject,");
    if (b->in->has_visit)
        cli_text_puts(&im, "visit,");
    const char *ih = scar_csv_header(SCAR_CSV_IMAGES);
    cli_text_append(&im, ih, strlen(ih) - 1);
    cli_text_puts(&im, ",status,error\n");
    cli_text_puts(&rg, "path,");
    cli_text_puts(&rg, scar_csv_header(SCAR_CSV_REGIONS));
    *n_failed = *n_assumed = 0;
    for (size_t k = 0; k < b->n_todo; k++) {
        const cli_input *e = &b->in->v[b->todo[k]];
        char stem[96];
        cli_output_stem(e->path, stem, sizeof stem);
        char *rec = out_path(b->outdir, CLI_DIR_RECORDS, stem, ".rec");
        char *data = NULL, *irow = NULL, *rrows = NULL;
        size_t in = 0, rn = 0;
        int ok = 0;
        if (rec && read_record(rec, input_fingerprint(b, e), &ok, &irow, &in,
                               &rrows, &rn, &data)) {
            cli_text_append(&im, irow, in);
            cli_text_append(&rg, rrows, rn);
        } else {
            /* Only when a record could not be written (reported already). */
            ok = 0;
            key_fields(&im, b->in, e);
            for (size_t i = 0; i < b->n_image_cols; i++)
                cli_text_puts(&im, ",");
            cli_text_puts(&im, ",error,");
            cli_text_csv_field(&im, "no result: the batch stopped before "
                                    "this image (rerun with --resume)");
            cli_text_puts(&im, "\n");
        }
        if (!ok)
            (*n_failed)++;
        else if (!(e->px_per_mm ? e->px_per_mm : b->px_per_mm))
            (*n_assumed)++; /* the library assumed its default scale */
        free(data);
        free(rec);
    }
    int rc = 0;
    char *ip = out_path(b->outdir, "", CLI_IMAGES_CSV, "");
    char *rp = out_path(b->outdir, "", CLI_REGIONS_CSV, "");
    if (im.failed || rg.failed || !ip || !rp) {
        snprintf(err, errsz, "%s: out of memory", b->outdir);
        rc = -1;
    } else if (cli_write_atomic(rp, rg.p, rg.n, err, errsz) != 0 ||
               cli_write_atomic(ip, im.p, im.n, err, errsz) != 0) {
        /* Never leave a new regions.csv beside an older images.csv (or the
         * reverse): after a failure neither table is there, the records
         * are, and --resume rebuilds both. */
        unlink(ip);
        unlink(rp);
        rc = -1;
    }
    free(ip);
    free(rp);
    cli_text_free(&im);
    cli_text_free(&rg);
    return rc;
}

static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
    char *end = NULL;
    errno = 0;
    unsigned long a = strtoul(s, &end, 10);
    if (errno || end == s || *end != '/' || s[0] == '-')
        return -1;
    const char *t = end + 1;
    unsigned long c = strtoul(t, &end, 10);
    if (errno || end == t || *end || t[0] == '-' || c < 1 || c > 1000000 ||
        a < 1 || a > c)
        return -1;
    *k = (unsigned)a;
    *n = (unsigned)c;
    return 0;
}

cli_args_status cli_parse_batch(int argc, char **argv, cli_batch_args *o,
                                cli_args_error *e)
{
    memset(o, 0, sizeof *o);
    o->shard_k = o->shard_n = 1;
    o->analysis_px_per_mm = CLI_ANALYSIS_DEFAULT;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has_value = !strcmp(a, "-o") || !strcmp(a, "-j") ||
                        !strcmp(a, "--shard") || !strcmp(a, "--px-per-mm") ||
                        !strcmp(a, "--analysis-px-per-mm");
        if (has_value && i + 1 >= argc)
            return cli_args_bad(e, 1, "%s needs a value", a);
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return CLI_ARGS_HELP;
        } else if (!strcmp(a, "-o")) {
            o->outdir = argv[++i];
        } else if (!strncmp(a, "-j", 2) || !strcmp(a, "--jobs")) {
            /* -j N, -jN and --jobs N, as make and GNU parallel accept. */
            char *end = NULL;
            if (!strcmp(a, "--jobs") && i + 1 >= argc)
                return cli_args_bad(e, 0, "--jobs needs a value");
            const char *v = a[1] == 'j' && a[2] ? a + 2 : argv[++i];
            errno = 0;
            long jobs = strtol(v, &end, 10);
            if (errno || end == v || *end || jobs < 1 || jobs > 1024)
                return cli_args_bad(e, 0, "-j '%s': expected a thread count "
                                    "1..1024", v);
            o->jobs = jobs;
        } else if (!strcmp(a, "--shard")) {
            if (parse_shard(argv[++i], &o->shard_k, &o->shard_n))
                return cli_args_bad(e, 0, "--shard '%s': expected K/N with "
                                    "1 <= K <= N (e.g. 3/8)", argv[i]);
        } else if (!strcmp(a, "--px-per-mm")) {
            if (cli_parse_scale(argv[++i], &o->px_per_mm))
                return cli_args_bad(e, 0, "--px-per-mm '%s': expected a number "
                                    "in (0, 10000]", argv[i]);
        } else if (!strcmp(a, "--analysis-px-per-mm")) {
            if (cli_parse_analysis_scale(argv[++i], &o->analysis_px_per_mm))
                return cli_args_bad(e, 0, CLI_ANALYSIS_BAD_MSG, argv[i]);
        } else if (!strcmp(a, "--resume")) {
            o->resume = 1;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--single-lesion")) {
            o->single_lesion = 1;
        } else if (!strcmp(a, "--as-photographed")) {
            o->as_photographed = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_args_bad(e, 1, "unknown option '%s'", a);
        } else if (!o->input) {
            o->input = a;
        } else {
            return cli_args_bad(e, 1, "more than one INPUT ('%s', '%s')",
                                o->input, a);
        }
    }
    if (!o->input || !o->outdir)
        return cli_args_bad(e, 1, "expected INPUT and -o OUTDIR");
    return CLI_ARGS_RUN;
}

int scar_cli_batch(int argc, char **argv)
{
    cli_batch_args args;
    cli_args_error perr;
    cli_args_status pst = cli_parse_batch(argc, argv, &args, &perr);
    if (pst != CLI_ARGS_RUN)
        return cli_args_exit("batch", pst, &perr, batch_usage);
    const char *input = args.input, *outdir = args.outdir;
    long jobs = args.jobs;
    unsigned shard_k = args.shard_k, shard_n = args.shard_n;
    int resume = args.resume, quiet = args.quiet, single = args.single_lesion;
    double scale = args.px_per_mm;
    if (!scar_csv_header(SCAR_CSV_IMAGES) || !scar_csv_header(SCAR_CSV_REGIONS)) {
        fprintf(stderr, "scarscore batch: the library has no CSV tables\n");
        return CLI_EXIT_FILE;
    }
    if (jobs == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = c >= 1 ? (c > 64 ? 64 : c) : 1;
    }
    char err[2048];
    cli_inputs in;
    if (cli_inputs_load(input, &in, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore batch: %s\n", err);
        return CLI_EXIT_FILE;
    }
    for (size_t i = 0; single && i < in.n; i++)
        if (in.v[i].regions) {
            fprintf(stderr, "scarscore batch: %s: line %zu gives regions "
                    "(column 'regions'), which --single-lesion would search "
                    "for: drop one of them\n", input, in.v[i].line);
            cli_inputs_free(&in);
            return CLI_EXIT_USAGE;
        }
    batch b;
    memset(&b, 0, sizeof b);
    b.in = &in;
    b.outdir = outdir;
    b.resume = resume;
    b.single_lesion = single;
    b.as_photographed = args.as_photographed;
    b.px_per_mm = scale;
    b.analysis_px_per_mm = args.analysis_px_per_mm;
    if (b.analysis_px_per_mm < 0.0) {
        /* Not given: the library's default, read at run time so the
         * fingerprint names what the library will really use. */
        scar_analyze_options dflt;
        scar_analyze_options_init(&dflt);
        b.analysis_px_per_mm = dflt.analysis_px_per_mm;
    }
    const char *ih = scar_csv_header(SCAR_CSV_IMAGES);
    b.n_image_cols = 1;
    for (const char *p = ih; *p; p++)
        b.n_image_cols += *p == ',';
    unsigned long long fp = 14695981039346656037ull;
    fp = hash_more(fp, scar_version());
    fp = hash_more(fp, ih);
    fp = hash_more(fp, scar_csv_header(SCAR_CSV_REGIONS));
    fp = hash_more(fp, in.has_subject ? "subject" : "-");
    b.fingerprint = hash_more(fp, in.has_visit ? "visit" : "-");
    b.todo = malloc((in.n ? in.n : 1) * sizeof *b.todo);
    int rc = CLI_EXIT_FILE;
    if (!b.todo) {
        fprintf(stderr, "scarscore batch: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < in.n; i++)
        if (cli_in_shard(in.v[i].path, shard_k, shard_n))
            b.todo[b.n_todo++] = i;
    static const char *const subdirs[] = {CLI_DIR_RECORDS, CLI_DIR_JSON,
                                          CLI_DIR_OVERLAYS};
    if (cli_mkdir(outdir, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore batch: %s\n", err);
        goto done;
    }
    cli_remove_stale_temps(outdir);
    for (size_t s = 0; s < 3; s++) {
        char *d = out_path(outdir, "", subdirs[s], "");
        if (!d) {
            fprintf(stderr, "scarscore batch: out of memory\n");
            goto done;
        }
        int bad = cli_mkdir(d, err, sizeof err) != 0;
        if (!bad)
            cli_remove_stale_temps(d);
        free(d);
        if (bad) {
            fprintf(stderr, "scarscore batch: %s\n", err);
            goto done;
        }
    }
    pthread_mutex_init(&b.lock, NULL);
    cli_progress_start(&b.progress, b.n_todo, quiet);
    size_t nthreads = (size_t)jobs < b.n_todo ? (size_t)jobs : b.n_todo;
    pthread_t *th = calloc(nthreads ? nthreads : 1, sizeof *th);
    size_t started = 0;
    if (th) {
        for (; started < nthreads; started++)
            if (pthread_create(&th[started], NULL, worker, &b) != 0)
                break;
    }
    if (started == 0 && b.n_todo)
        worker(&b); /* no thread could start: work on this one */
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(th);
    cli_progress_finish(&b.progress);
    pthread_mutex_destroy(&b.lock);
    if (b.write_failed) {
        fprintf(stderr, "scarscore batch: stopped: %s\n" RESUME_ADVICE,
                b.write_err, outdir);
        goto done;
    }
    size_t failed = 0, assumed = 0;
    if (assemble(&b, &failed, &assumed, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore batch: %s\n" RESUME_ADVICE, err, outdir);
        goto done;
    }
    if (assumed)
        fprintf(stderr,
                "scarscore batch: %zu of %zu photo%s had no scale (no "
                "px_per_mm in the manifest, no --px-per-mm): %g px/mm was "
                "assumed and %s rest on it (column scale_assumed of "
                "%s/" CLI_IMAGES_CSV ")\n",
                assumed, b.n_todo - failed, b.n_todo - failed == 1 ? "" : "s",
                SCAR_DEFAULT_PX_PER_MM,
                b.single_lesion ? "areas and lengths in mm"
                                : "what is found and every size in mm",
                outdir);
    if (failed) {
        fprintf(stderr, "scarscore batch: %zu of %zu image%s failed; see the "
                "status and error columns of %s/" CLI_IMAGES_CSV "\n", failed,
                b.n_todo, b.n_todo == 1 ? "" : "s", outdir);
        rc = CLI_EXIT_SOME_FAILED;
    } else {
        rc = CLI_EXIT_OK;
    }
done:
    free(b.todo);
    cli_inputs_free(&in);
    return rc;
}
