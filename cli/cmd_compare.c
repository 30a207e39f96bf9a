/* cmd_compare.c — `scarscore compare BEFORE AFTER` (change of every
 * image-level score between two photos of the same site) and
 * `scarscore compare --cohort images.csv` (per-subject change between two
 * visits and paired statistics across subjects, computed by
 * scar_paired_stats_compute; definitions in docs/compare.md, rules for
 * visits, duplicates and missing values in docs/cli.md). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_one.h"
#include "atomic_file.h"
#include "commands.h"
#include "csv_read.h"
#include "csv_write.h"
#include "scarscore.h"

static const char compare_usage[] =
    "usage: scarscore compare BEFORE AFTER [--px-per-mm X] [--roi-before M]\n"
    "                         [--roi-after M] [--analysis-px-per-mm X]\n"
    "                         [--single-lesion] [--as-photographed]\n"
    "                         [--csv FILE|-] [--json FILE|-]\n"
    "       scarscore compare --cohort images.csv [--visits BEFORE,AFTER]\n"
    "                         [--csv FILE|-] [--per-subject FILE|-] [--json FILE|-]\n"
    "  BEFORE AFTER     two photos of the same site: each image-level score\n"
    "                   before, after and the change (after - before)\n"
    "  --cohort CSV     an images.csv with subject and visit columns (from\n"
    "                   'scarscore batch' on a manifest): per-subject change of\n"
    "                   every numeric image-level score between two visits, and\n"
    "                   across subjects the mean change with its 95 % CI, paired\n"
    "                   t-test, Wilcoxon signed-rank (exact p for n <= 50 without\n"
    "                   ties), sign test and effect sizes\n"
    "  --analysis-px-per-mm X  photos only: analyse at about X px/mm (default\n"
    "                   5; 0 = full resolution)\n"
    "  --as-photographed  photos only: region colours as photographed (default:\n"
    "                   each region at the exposure of the photo's best-lit skin)\n"
    "  --visits A,B     the two visits compared (default: the first and last;\n"
    "                   visits are ordered numerically when all are numbers,\n"
    "                   else by byte order)\n"
    "  --csv FILE       the table as CSV ('-' = standard output)\n"
    "  --per-subject F  cohort only: subject,score,before,after,change as CSV\n"
    "  --json FILE      everything as JSON\n"
    "exit status: 0 success, 1 a file could not be read or written, or the\n"
    "             cohort has no usable pairs, 2 usage error\n";

static int emit(const char *path, const cli_text *t, const char *what)
{
    char err[1024];
    if (t->failed) {
        fprintf(stderr, "scarscore compare: out of memory writing %s\n", what);
        return -1;
    }
    if (!strcmp(path, "-")) {
        if (fwrite(t->p, 1, t->n, stdout) != t->n || fflush(stdout) != 0) {
            fprintf(stderr, "scarscore compare: writing %s to standard output "
                    "failed: %s\n", what, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (cli_write_atomic(path, t->p ? t->p : "", t->n, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore compare: %s\n", err);
        return -1;
    }
    return 0;
}

/* Parse a CSV field as a finite number; empty -> NaN (missing). Returns 0
 * when the field is a number or empty, -1 otherwise. */
static int parse_value(const char *s, double *v)
{
    if (!s[0]) {
        *v = NAN;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(s, &end);
    if (errno == ERANGE && isfinite(d))
        errno = 0; /* underflow to a subnormal is still a number */
    if (errno || end == s || *end || !isfinite(d))
        return -1;
    *v = d;
    return 0;
}

static void print_number(double v)
{
    if (isnan(v))
        printf(" %11s", "-");
    else
        printf(" %11.5g", v);
}

/* A p-value or effect size in `width` columns with 3 digits; '-' when it
 * cannot be computed (NaN). */
static void print_short(double v, int width, const char *suffix)
{
    if (isnan(v))
        printf(" %*s%s", width, "-", suffix);
    else
        printf(" %*.3g%s", width, v, suffix);
}

/* ------------------------------------------------------------------ */
/* Two photos                                                         */
/* ------------------------------------------------------------------ */

/* The image-level row of one photo as (header, values). */
static int image_scores(const char *file, const char *roi, double scale,
                        double analysis, unsigned flags, cli_csv *csv,
                        char *text_out[1])
{
    char err[2048];
    scar_result *res = NULL;
    if (cli_analyze_file(file, roi, NULL, scale, analysis, flags, NULL, &res,
                         err, sizeof err)) {
        fprintf(stderr, "scarscore compare: %s\n", err);
        return -1;
    }
    char *row = NULL;
    size_t n = 0;
    int st = scar_result_to_csv(res, SCAR_CSV_IMAGES, &row, &n);
    scar_result_free(res);
    if (st != SCAR_OK) {
        fprintf(stderr, "scarscore compare: %s: %s\n", file, scar_last_error());
        return -1;
    }
    cli_text t = {0};
    cli_text_puts(&t, scar_csv_header(SCAR_CSV_IMAGES));
    cli_text_append(&t, row, n);
    scar_free(row);
    if (t.failed || cli_csv_parse(t.p, t.n, file, csv, err, sizeof err) ||
        csv->n_rows != 2 || csv->rows[1].n_fields != csv->rows[0].n_fields) {
        if (!t.failed)
            cli_csv_free(csv);
        fprintf(stderr, "scarscore compare: %s: unexpected CSV from the "
                "library\n", file);
        cli_text_free(&t);
        return -1;
    }
    text_out[0] = t.p; /* rows point into it */
    return 0;
}

static int compare_two(const char *before, const char *after, double scale,
                       double analysis, const char *roi_b, const char *roi_a,
                       unsigned flags, const char *csv_out,
                       const char *json_out)
{
    cli_csv b = {0}, a = {0};
    char *tb = NULL, *ta = NULL;
    int rc = CLI_EXIT_FILE;
    if (image_scores(before, roi_b, scale, analysis, flags, &b, &tb) ||
        image_scores(after, roi_a, scale, analysis, flags, &a, &ta))
        goto done;
    cli_text csv = {0}, js = {0};
    cli_text_puts(&csv, "score,before,after,change\n");
    cli_text_puts(&js, "{\"before\":");
    cli_text_json_string(&js, before);
    cli_text_puts(&js, ",\"after\":");
    cli_text_json_string(&js, after);
    cli_text_puts(&js, ",\"scores\":[");
    if (!csv_out && !json_out)
        printf("%-20s %11s %11s %11s\n", "score", "before", "after", "change");
    size_t k = 0;
    for (size_t c = 0; c < b.rows[0].n_fields; c++) {
        double vb, va;
        if (parse_value(b.rows[1].fields[c], &vb) ||
            parse_value(a.rows[1].fields[c], &va))
            continue; /* not a numeric score */
        const char *name = b.rows[0].fields[c];
        double d = va - vb;
        if (!csv_out && !json_out) {
            printf("%-20s", name);
            print_number(vb);
            print_number(va);
            print_number(d);
            putchar('\n');
        }
        cli_text_csv_field(&csv, name);
        cli_text_puts(&csv, ",");
        cli_text_number(&csv, vb, 0);
        cli_text_puts(&csv, ",");
        cli_text_number(&csv, va, 0);
        cli_text_puts(&csv, ",");
        cli_text_number(&csv, d, 0);
        cli_text_puts(&csv, "\n");
        cli_text_puts(&js, k++ ? ",{\"name\":" : "{\"name\":");
        cli_text_json_string(&js, name);
        cli_text_puts(&js, ",\"before\":");
        cli_text_number(&js, vb, 1);
        cli_text_puts(&js, ",\"after\":");
        cli_text_number(&js, va, 1);
        cli_text_puts(&js, ",\"change\":");
        cli_text_number(&js, d, 1);
        cli_text_puts(&js, "}");
    }
    cli_text_puts(&js, "]}\n");
    rc = CLI_EXIT_OK;
    if ((csv_out && emit(csv_out, &csv, "the CSV")) ||
        (json_out && emit(json_out, &js, "the JSON")))
        rc = CLI_EXIT_FILE;
    cli_text_free(&csv);
    cli_text_free(&js);
done:
    cli_csv_free(&b);
    cli_csv_free(&a);
    free(tb);
    free(ta);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Cohort                                                             */
/* ------------------------------------------------------------------ */

typedef struct visit_label {
    const char *name;
    double num;
} visit_label;

static int all_numeric;

static int cmp_visit(const void *x, const void *y)
{
    const visit_label *a = x, *b = y;
    if (all_numeric && a->num != b->num)
        return a->num < b->num ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static long find_str(const char **v, size_t n, const char *s)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(v[mid], s);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static void stats_csv_header(cli_text *t)
{
    cli_text_puts(t, "score,n,n_dropped,mean_before,mean_after,mean_diff,"
                     "median_diff,sd_diff,se_diff,ci95_low,ci95_high,t,df,p_t,"
                     "wilcoxon_w_plus,wilcoxon_w_minus,wilcoxon_z,p_wilcoxon,"
                     "wilcoxon_exact,n_nonzero,n_positive,n_negative,p_sign,"
                     "cohens_dz,hedges_gz,rank_biserial\n");
}

static void stats_fields(cli_text *t, const scar_paired_stats *s, int json)
{
    const double v[] = {s->mean_before, s->mean_after, s->mean_diff,
                        s->median_diff, s->sd_diff, s->se_diff, s->ci95_low,
                        s->ci95_high, s->t, s->df, s->p_t, s->wilcoxon_w_plus,
                        s->wilcoxon_w_minus, s->wilcoxon_z, s->p_wilcoxon};
    static const char *const names[] = {
        "mean_before", "mean_after", "mean_diff", "median_diff", "sd_diff",
        "se_diff", "ci95_low", "ci95_high", "t", "df", "p_t",
        "wilcoxon_w_plus", "wilcoxon_w_minus", "wilcoxon_z", "p_wilcoxon"};
    const double w[] = {s->p_sign, s->cohens_dz, s->hedges_gz, s->rank_biserial};
    static const char *const wnames[] = {"p_sign", "cohens_dz", "hedges_gz",
                                         "rank_biserial"};
    if (json)
        cli_text_printf(t, ",\"n\":%u,\"n_dropped\":%u", s->n, s->n_dropped);
    else
        cli_text_printf(t, ",%u,%u", s->n, s->n_dropped);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (json)
            cli_text_printf(t, ",\"%s\":", names[i]);
        else
            cli_text_puts(t, ",");
        cli_text_number(t, v[i], json);
    }
    if (json)
        cli_text_printf(t, ",\"wilcoxon_exact\":%s,\"n_nonzero\":%u,"
                        "\"n_positive\":%u,\"n_negative\":%u",
                        s->wilcoxon_exact ? "true" : "false", s->n_nonzero,
                        s->n_positive, s->n_negative);
    else
        cli_text_printf(t, ",%u,%u,%u,%u", s->wilcoxon_exact, s->n_nonzero,
                        s->n_positive, s->n_negative);
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (json)
            cli_text_printf(t, ",\"%s\":", wnames[i]);
        else
            cli_text_puts(t, ",");
        cli_text_number(t, w[i], json);
    }
}

static int compare_cohort(const char *file, const char *visits_opt,
                          const char *csv_out, const char *subj_out,
                          const char *json_out)
{
    char err[2048];
    cli_csv t;
    if (cli_csv_read_file(file, &t, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore compare: %s\n", err);
        return CLI_EXIT_FILE;
    }
    int rc = CLI_EXIT_FILE;
    const char **subjects = NULL;
    visit_label *visits = NULL;
    size_t *score_cols = NULL, *row_ok = NULL;
    double *sum = NULL, *before = NULL, *after = NULL;
    unsigned *cnt = NULL;
    char *vis_copy = NULL;
    cli_text out_csv = {0}, out_subj = {0}, js = {0};
    long c_subject = cli_csv_column(&t, "subject");
    long c_visit = cli_csv_column(&t, "visit");
    long c_status = cli_csv_column(&t, "status");
    if (t.n_rows == 0 || c_subject < 0 || c_visit < 0) {
        fprintf(stderr, "scarscore compare: %s: needs 'subject' and 'visit' "
                "columns (run 'scarscore batch' on a manifest that has them)\n",
                file);
        goto done;
    }
    size_t ncols = t.rows[0].n_fields, nrows = t.n_rows - 1;
    row_ok = calloc(nrows ? nrows : 1, sizeof *row_ok);
    score_cols = malloc(ncols * sizeof *score_cols);
    subjects = malloc((nrows ? nrows : 1) * sizeof *subjects);
    visits = malloc((nrows ? nrows : 1) * sizeof *visits);
    if (!row_ok || !score_cols || !subjects || !visits)
        goto nomem;
    /* Rows used: status ok (when there is a status column). */
    size_t n_used = 0, n_sub = 0, n_vis = 0;
    for (size_t r = 0; r < nrows; r++) {
        const cli_csv_row *row = &t.rows[r + 1];
        if (row->n_fields != ncols) {
            fprintf(stderr, "scarscore compare: %s: line %zu: %zu fields but "
                    "the header has %zu columns\n", file, row->line,
                    row->n_fields, ncols);
            goto done;
        }
        if (c_status >= 0 && strcmp(row->fields[c_status], "ok"))
            continue;
        if (!row->fields[c_subject][0] || !row->fields[c_visit][0]) {
            fprintf(stderr, "scarscore compare: %s: line %zu: empty %s\n", file,
                    row->line, row->fields[c_subject][0] ? "visit" : "subject");
            goto done;
        }
        row_ok[n_used++] = r + 1;
        subjects[n_sub++] = row->fields[c_subject];
        visits[n_vis].name = row->fields[c_visit];
        n_vis++;
    }
    if (n_used == 0) {
        fprintf(stderr, "scarscore compare: %s: no rows with status ok\n", file);
        goto done;
    }
    /* Distinct subjects (byte order) and visits (numeric or byte order). */
    qsort(subjects, n_sub, sizeof *subjects, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < n_sub; i++)
        if (!u || strcmp(subjects[u - 1], subjects[i]))
            subjects[u++] = subjects[i];
    n_sub = u;
    all_numeric = 1;
    for (size_t i = 0; i < n_vis; i++) {
        double v = NAN;
        if (parse_value(visits[i].name, &v) != 0)
            all_numeric = 0;
        visits[i].num = v;
    }
    qsort(visits, n_vis, sizeof *visits, cmp_visit);
    u = 0;
    for (size_t i = 0; i < n_vis; i++)
        if (!u || strcmp(visits[u - 1].name, visits[i].name))
            visits[u++] = visits[i];
    n_vis = u;
    const char *vb = visits[0].name, *va = visits[n_vis - 1].name;
    if (visits_opt) {
        size_t len = strlen(visits_opt);
        vis_copy = malloc(len + 1);
        if (!vis_copy)
            goto nomem;
        memcpy(vis_copy, visits_opt, len + 1);
        char *comma = strchr(vis_copy, ',');
        if (!comma || strchr(comma + 1, ',')) {
            fprintf(stderr, "scarscore compare: --visits '%s': expected "
                    "BEFORE,AFTER\n", visits_opt);
            rc = CLI_EXIT_USAGE;
            goto done;
        }
        *comma = '\0';
        vb = vis_copy;
        va = comma + 1;
        for (int k = 0; k < 2; k++) {
            const char *want = k ? va : vb;
            size_t i = 0;
            while (i < n_vis && strcmp(visits[i].name, want))
                i++;
            if (i == n_vis) {
                fprintf(stderr, "scarscore compare: %s: --visits: no image "
                        "with status ok has visit '%s'\n", file, want);
                goto done;
            }
        }
    }
    if (n_vis < 2 || !strcmp(vb, va)) {
        fprintf(stderr, "scarscore compare: %s: needs two different visits "
                "(found %zu: '%s'%s)\n", file, n_vis, vb,
                n_vis > 1 ? ", ..." : "");
        goto done;
    }
    /* Numeric score columns: every used value a number or empty, at least
     * one number, and not a key, status or error column. */
    size_t n_scores = 0;
    for (size_t c = 0; c < ncols; c++) {
        const char *name = t.rows[0].fields[c];
        int key = (long)c == c_subject || (long)c == c_visit ||
                  (long)c == c_status || !strcmp(name, "path") ||
                  !strcmp(name, "error");
        int ok = !key, any = 0;
        for (size_t i = 0; ok && i < n_used; i++) {
            double v;
            if (parse_value(t.rows[row_ok[i]].fields[c], &v) != 0)
                ok = 0;
            else if (!isnan(v))
                any = 1;
        }
        if (ok && any)
            score_cols[n_scores++] = c;
    }
    if (n_scores == 0) {
        fprintf(stderr, "scarscore compare: %s: no numeric score columns\n", file);
        goto done;
    }
    /* Per subject, visit (0 before, 1 after) and score: mean of the images'
     * non-missing values (several photos of one visit are averaged). */
    size_t cells = n_sub * 2 * n_scores;
    sum = calloc(cells, sizeof *sum);
    cnt = calloc(cells, sizeof *cnt);
    unsigned *n_img = calloc(n_sub * 2, sizeof *n_img);
    if (!sum || !cnt || !n_img) {
        free(n_img);
        goto nomem;
    }
    for (size_t i = 0; i < n_used; i++) {
        const cli_csv_row *row = &t.rows[row_ok[i]];
        const char *v = row->fields[c_visit];
        int which = !strcmp(v, vb) ? 0 : !strcmp(v, va) ? 1 : -1;
        if (which < 0)
            continue;
        size_t s = (size_t)find_str(subjects, n_sub, row->fields[c_subject]);
        n_img[s * 2 + (size_t)which]++;
        for (size_t k = 0; k < n_scores; k++) {
            double x = NAN;
            parse_value(row->fields[score_cols[k]], &x);
            if (isnan(x))
                continue;
            size_t idx = (s * 2 + (size_t)which) * n_scores + k;
            sum[idx] += x;
            cnt[idx]++;
        }
    }
    /* Subjects with images at both visits, in subject order. */
    size_t n_pairs = 0;
    size_t *pair_subj = malloc(n_sub * sizeof *pair_subj);
    if (!pair_subj) {
        free(n_img);
        goto nomem;
    }
    for (size_t s = 0; s < n_sub; s++)
        if (n_img[s * 2] && n_img[s * 2 + 1])
            pair_subj[n_pairs++] = s;
    before = malloc((n_pairs ? n_pairs : 1) * sizeof *before);
    after = malloc((n_pairs ? n_pairs : 1) * sizeof *after);
    if (!before || !after) {
        free(n_img);
        free(pair_subj);
        goto nomem;
    }
    if (n_pairs == 0) {
        fprintf(stderr, "scarscore compare: %s: no subject has images at both "
                "visit '%s' and visit '%s'\n", file, vb, va);
        free(n_img);
        free(pair_subj);
        goto done;
    }
    /* Photos analysed at different resolutions (scar_analyze_options.
     * analysis_px_per_mm: an integer shrink chosen per photo from its
     * scale) do not have comparable outlines and texture: say so. */
    for (size_t k = 0; k < n_scores; k++) {
        if (strcmp(t.rows[0].fields[score_cols[k]], "analysis_shrink"))
            continue;
        size_t differ = 0;
        for (size_t i = 0; i < n_pairs; i++) {
            size_t s0 = pair_subj[i] * 2 * n_scores + k;
            size_t s1 = (pair_subj[i] * 2 + 1) * n_scores + k;
            if (cnt[s0] && cnt[s1] &&
                sum[s0] / cnt[s0] != sum[s1] / cnt[s1])
                differ++;
        }
        if (differ)
            fprintf(stderr, "scarscore compare: %s: note: %zu of %zu subjects "
                    "have photos analysed at different resolutions between "
                    "the visits (analysis_shrink differs), so their outline "
                    "and texture scores are not comparable; rerun batch with "
                    "one --analysis-px-per-mm for all photos (docs/cli.md)\n",
                    file, differ, n_pairs);
    }
    int human = !csv_out && !json_out && !subj_out;
    if (human) {
        printf("visits: before '%s', after '%s'; %zu subject%s paired, %zu "
               "without both visits\n", vb, va, n_pairs, n_pairs == 1 ? "" : "s",
               n_sub - n_pairs);
        printf("%-20s %4s %11s %11s %11s %23s %10s %10s %10s %8s\n", "score",
               "n", "before", "after", "change", "95% CI", "p (t)",
               "p (Wilc.)", "p (sign)", "d_z");
    }
    stats_csv_header(&out_csv);
    cli_text_puts(&out_subj, "subject,score,before,after,change\n");
    cli_text_puts(&js, "{\"cohort\":");
    cli_text_json_string(&js, file);
    cli_text_puts(&js, ",\"visit_before\":");
    cli_text_json_string(&js, vb);
    cli_text_puts(&js, ",\"visit_after\":");
    cli_text_json_string(&js, va);
    cli_text_printf(&js, ",\"subjects_paired\":%zu,\"subjects_unpaired\":[",
                    n_pairs);
    for (size_t s = 0, k = 0; s < n_sub; s++) {
        if (n_img[s * 2] && n_img[s * 2 + 1])
            continue;
        if (k++)
            cli_text_puts(&js, ",");
        cli_text_json_string(&js, subjects[s]);
    }
    cli_text_puts(&js, "],\"scores\":[");
    for (size_t k = 0; k < n_scores; k++) {
        const char *name = t.rows[0].fields[score_cols[k]];
        for (size_t p = 0; p < n_pairs; p++) {
            size_t s = pair_subj[p];
            size_t ib = (s * 2) * n_scores + k, ia = (s * 2 + 1) * n_scores + k;
            before[p] = cnt[ib] ? sum[ib] / cnt[ib] : NAN;
            after[p] = cnt[ia] ? sum[ia] / cnt[ia] : NAN;
            cli_text_csv_field(&out_subj, subjects[s]);
            cli_text_puts(&out_subj, ",");
            cli_text_csv_field(&out_subj, name);
            cli_text_puts(&out_subj, ",");
            cli_text_number(&out_subj, before[p], 0);
            cli_text_puts(&out_subj, ",");
            cli_text_number(&out_subj, after[p], 0);
            cli_text_puts(&out_subj, ",");
            cli_text_number(&out_subj, after[p] - before[p], 0);
            cli_text_puts(&out_subj, "\n");
        }
        scar_paired_stats st;
        memset(&st, 0, sizeof st);
        st.struct_size = sizeof st;
        if (scar_paired_stats_compute(before, after, n_pairs, &st) != SCAR_OK) {
            fprintf(stderr, "scarscore compare: %s: column '%s': %s\n", file,
                    name, scar_last_error());
            free(n_img);
            free(pair_subj);
            goto done;
        }
        cli_text_csv_field(&out_csv, name);
        stats_fields(&out_csv, &st, 0);
        cli_text_puts(&out_csv, "\n");
        cli_text_puts(&js, k ? ",{\"name\":" : "{\"name\":");
        cli_text_json_string(&js, name);
        stats_fields(&js, &st, 1);
        cli_text_puts(&js, ",\"per_subject\":[");
        for (size_t p = 0; p < n_pairs; p++) {
            cli_text_puts(&js, p ? ",{\"subject\":" : "{\"subject\":");
            cli_text_json_string(&js, subjects[pair_subj[p]]);
            cli_text_puts(&js, ",\"before\":");
            cli_text_number(&js, before[p], 1);
            cli_text_puts(&js, ",\"after\":");
            cli_text_number(&js, after[p], 1);
            cli_text_puts(&js, "}");
        }
        cli_text_puts(&js, "]}");
        if (human) {
            char ci[64];
            if (isnan(st.ci95_low))
                snprintf(ci, sizeof ci, "-");
            else
                snprintf(ci, sizeof ci, "[%.4g, %.4g]", st.ci95_low, st.ci95_high);
            printf("%-20s %4u", name, st.n);
            print_number(st.mean_before);
            print_number(st.mean_after);
            print_number(st.mean_diff);
            printf(" %23s", ci);
            print_short(st.p_t, 10, "");
            print_short(st.p_wilcoxon, 9, st.wilcoxon_exact ? "e" : " ");
            print_short(st.p_sign, 10, "");
            print_short(st.cohens_dz, 8, "");
            putchar('\n');
        }
    }
    cli_text_puts(&js, "]}\n");
    free(n_img);
    free(pair_subj);
    if (human)
        printf("(p: two-sided; 'e' = exact Wilcoxon p; change = after - before; "
               "docs/compare.md)\n");
    rc = CLI_EXIT_OK;
    if ((csv_out && emit(csv_out, &out_csv, "the statistics CSV")) ||
        (subj_out && emit(subj_out, &out_subj, "the per-subject CSV")) ||
        (json_out && emit(json_out, &js, "the JSON")))
        rc = CLI_EXIT_FILE;
    goto done;
nomem:
    fprintf(stderr, "scarscore compare: %s: out of memory\n", file);
done:
    cli_text_free(&out_csv);
    cli_text_free(&out_subj);
    cli_text_free(&js);
    free(vis_copy);
    free(before);
    free(after);
    free(sum);
    free(cnt);
    free(row_ok);
    free(score_cols);
    free(subjects);
    free(visits);
    cli_csv_free(&t);
    return rc;
}

cli_args_status cli_parse_compare(int argc, char **argv, cli_compare_args *o,
                                  cli_args_error *e)
{
    memset(o, 0, sizeof *o);
    o->analysis_px_per_mm = CLI_ANALYSIS_DEFAULT;
    int npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        static const char *const with_value[] = {
            "--cohort", "--visits", "--csv", "--json", "--per-subject",
            "--roi-before", "--roi-after", "--px-per-mm",
            "--analysis-px-per-mm"};
        const char **slot[] = {&o->cohort, &o->visits, &o->csv, &o->json,
                               &o->per_subject, &o->roi_before, &o->roi_after,
                               NULL, NULL};
        const size_t n_with_value = sizeof with_value / sizeof with_value[0];
        size_t w = 0;
        while (w < n_with_value && strcmp(a, with_value[w]))
            w++;
        if (w < n_with_value) {
            if (i + 1 >= argc)
                return cli_args_bad(e, 1, "%s needs a value", a);
            const char *v = argv[++i];
            if (slot[w]) {
                *slot[w] = v;
            } else if (!strcmp(a, "--px-per-mm")) {
                if (cli_parse_scale(v, &o->px_per_mm))
                    return cli_args_bad(e, 0, "--px-per-mm '%s': expected a "
                                        "number in (0, 10000]", v);
            } else if (cli_parse_analysis_scale(v, &o->analysis_px_per_mm)) {
                return cli_args_bad(e, 0, CLI_ANALYSIS_BAD_MSG, v);
            }
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return CLI_ARGS_HELP;
        } else if (!strcmp(a, "--single-lesion")) {
            o->single_lesion = 1;
        } else if (!strcmp(a, "--as-photographed")) {
            o->as_photographed = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_args_bad(e, 1, "unknown option '%s'", a);
        } else if (npos < 2) {
            *(npos++ ? &o->after : &o->before) = a;
        } else {
            return cli_args_bad(e, 1, "too many arguments ('%s')", a);
        }
    }
    if (o->cohort) {
        if (npos || o->roi_before || o->roi_after || o->px_per_mm > 0.0 ||
            o->analysis_px_per_mm != CLI_ANALYSIS_DEFAULT || o->single_lesion ||
            o->as_photographed)
            return cli_args_bad(e, 1, "--cohort takes no photos, --roi-*, "
                                "--px-per-mm, --analysis-px-per-mm, "
                                "--single-lesion or --as-photographed (the "
                                "images.csv holds the scores)");
        return CLI_ARGS_RUN;
    }
    if (npos != 2 || o->visits || o->per_subject)
        return cli_args_bad(e, 1, "expected BEFORE AFTER (two photos) or "
                            "--cohort images.csv");
    return CLI_ARGS_RUN;
}

int scar_cli_compare(int argc, char **argv)
{
    cli_compare_args o;
    cli_args_error perr;
    cli_args_status pst = cli_parse_compare(argc, argv, &o, &perr);
    if (pst != CLI_ARGS_RUN)
        return cli_args_exit("compare", pst, &perr, compare_usage);
    if (o.cohort)
        return compare_cohort(o.cohort, o.visits, o.csv, o.per_subject, o.json);
    return compare_two(o.before, o.after, o.px_per_mm, o.analysis_px_per_mm,
                       o.roi_before, o.roi_after,
                       (o.single_lesion ? CLI_ANALYZE_SINGLE_LESION : 0u) |
                           (o.as_photographed ? CLI_ANALYZE_AS_PHOTOGRAPHED
                                              : 0u),
                       o.csv, o.json);
}
