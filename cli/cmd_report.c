/* cmd_report.c — `scarscore report OUTDIR -o report.html`: one
 * self-contained HTML file from a batch output folder. Nothing is fetched
 * or linked: thumbnails of the overlays are inline base64 PNG (RFC 4648
 * data: URIs, RFC 2397) and the per-subject plots are inline SVG, so the
 * file can be mailed or archived alone. Layout and element ids (which the
 * end-to-end test checks) are in docs/cli.md. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "commands.h"
#include "csv_read.h"
#include "csv_write.h"
#include "manifest.h"
#include "scarscore.h"

static const char report_usage[] =
    "usage: scarscore report OUTDIR -o report.html [--title TEXT]\n"
    "  OUTDIR      a 'scarscore batch' (or merge) output folder\n"
    "  -o FILE     the HTML file to write: summary table, overlay thumbnails\n"
    "              and, when images.csv has subject and visit columns, one\n"
    "              before/after plot per score (inline SVG); self-contained\n"
    "  --title T   the page title (default \"scarscore report\")\n"
    "exit status: 0 success, 1 a file could not be read or written,\n"
    "             2 usage error\n";

#define THUMB_MAX 320u

static void html_escape(cli_text *t, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': cli_text_puts(t, "&lt;"); break;
        case '>': cli_text_puts(t, "&gt;"); break;
        case '&': cli_text_puts(t, "&amp;"); break;
        case '"': cli_text_puts(t, "&quot;"); break;
        case '\'': cli_text_puts(t, "&#39;"); break;
        default: cli_text_append(t, s, 1);
        }
    }
}

static void base64(cli_text *t, const unsigned char *p, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        q[0] = tab[v >> 18 & 63];
        q[1] = tab[v >> 12 & 63];
        q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        q[3] = i + 2 < n ? tab[v & 63] : '=';
        cli_text_append(t, q, 4);
    }
}

/* A thumbnail of the overlay PNG at most THUMB_MAX wide and high (box
 * average by an integer factor), appended as a data: URI. Returns 0, or -1
 * when the overlay is missing or unreadable (the figure is then left out). */
static int thumbnail_uri(cli_text *t, const char *png_path)
{
    scar_image *img = NULL, *th = NULL;
    if (scar_image_load(png_path, NULL, &img) != SCAR_OK)
        return -1;
    uint32_t w = scar_image_width(img), h = scar_image_height(img);
    uint32_t ch = scar_image_channels(img);
    uint32_t big = w > h ? w : h;
    uint32_t f = (big + THUMB_MAX - 1) / THUMB_MAX;
    if (f < 1)
        f = 1;
    uint32_t tw = (w + f - 1) / f, thh = (h + f - 1) / f;
    int rc = -1;
    if (scar_image_bit_depth(img) != 8 || ch < 3 ||
        scar_image_new(tw, thh, 3, 8, &th) != SCAR_OK)
        goto done;
    for (uint32_t y = 0; y < thh; y++) {
        unsigned char *o = scar_image_row(th, y);
        for (uint32_t x = 0; x < tw; x++) {
            unsigned sum[3] = {0, 0, 0}, n = 0;
            for (uint32_t yy = y * f; yy < (y + 1) * f && yy < h; yy++) {
                const unsigned char *s = scar_image_row(img, yy);
                for (uint32_t xx = x * f; xx < (x + 1) * f && xx < w; xx++) {
                    for (int c = 0; c < 3; c++)
                        sum[c] += s[xx * ch + (uint32_t)c];
                    n++;
                }
            }
            for (int c = 0; c < 3; c++)
                o[3 * x + (uint32_t)c] = (unsigned char)((sum[c] + n / 2) / n);
        }
    }
    void *png = NULL;
    size_t png_n = 0;
    if (scar_image_encode_png(th, &png, &png_n) != SCAR_OK)
        goto done;
    cli_text_printf(t, "<img width=\"%u\" height=\"%u\" src=\"data:image/png;base64,",
                    tw, thh);
    base64(t, png, png_n);
    cli_text_puts(t, "\"");
    scar_free(png);
    rc = 0;
done:
    scar_image_free(th);
    scar_image_free(img);
    return rc;
}

static int parse_num(const char *s, double *v)
{
    if (!s[0])
        return 1; /* empty: missing */
    char *end = NULL;
    errno = 0;
    double d = strtod(s, &end);
    if (end == s || *end || !isfinite(d))
        return -1;
    *v = d;
    return 0;
}

typedef struct visit_ord {
    const char *name;
    double num;
} visit_ord;

static int visits_numeric;

static int cmp_visit(const void *x, const void *y)
{
    const visit_ord *a = x, *b = y;
    if (visits_numeric && a->num != b->num)
        return a->num < b->num ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* One SVG per score: x = visits in order, one polyline per subject through
 * its per-visit means (several photos of a visit are averaged, as in
 * `compare --cohort`). */
static void subject_plot(cli_text *t, const cli_csv *csv, const size_t *ok_rows,
                         size_t n_ok, long c_subj, long c_vis, size_t col,
                         const char **subj, size_t n_subj,
                         const visit_ord *vis, size_t n_vis)
{
    size_t cells = n_subj * n_vis;
    double *sum = calloc(cells, sizeof *sum);
    unsigned *cnt = calloc(cells, sizeof *cnt);
    if (!sum || !cnt) {
        t->failed = 1;
        free(sum);
        free(cnt);
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n_ok; i++) {
        const cli_csv_row *r = &csv->rows[ok_rows[i]];
        double v;
        if (parse_num(r->fields[col], &v) != 0)
            continue;
        const char *const *sp = bsearch(&r->fields[c_subj], subj, n_subj,
                                        sizeof *subj, cmp_str);
        size_t k = 0;
        while (k < n_vis && strcmp(vis[k].name, r->fields[c_vis]))
            k++;
        if (!sp || k == n_vis)
            continue;
        size_t idx = (size_t)(sp - subj) * n_vis + k;
        sum[idx] += v;
        cnt[idx]++;
    }
    for (size_t i = 0; i < cells; i++) {
        if (!cnt[i])
            continue;
        double m = sum[i] / cnt[i];
        lo = m < lo ? m : lo;
        hi = m > hi ? m : hi;
    }
    const char *name = csv->rows[0].fields[col];
    enum { W = 360, H = 230, L = 60, R = 20, T = 28, B = 36 };
    if (!(hi > lo)) {
        hi = lo + 1.0;
        lo -= 1.0;
    }
    cli_text_puts(t, "<figure class=\"subject-plot\"><svg xmlns=\"http://www.w3.org/2000/svg\" ");
    cli_text_printf(t, "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                    "aria-label=\"", W, H, W, H);
    html_escape(t, name);
    cli_text_puts(t, " per subject\">");
    cli_text_printf(t, "<text x=\"%d\" y=\"18\" class=\"plot-title\">", W / 2);
    html_escape(t, name);
    cli_text_puts(t, "</text>");
    cli_text_printf(t, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                    L, H - B, W - R, H - B);
    cli_text_printf(t, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                    L, T, L, H - B);
    cli_text_printf(t, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%.4g</text>",
                    L - 4, H - B, lo);
    cli_text_printf(t, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%.4g</text>",
                    L - 4, T + 8, hi);
    double xs = n_vis > 1 ? (double)(W - L - R - 20) / (double)(n_vis - 1) : 0.0;
    for (size_t k = 0; k < n_vis; k++) {
        cli_text_printf(t, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" "
                        "text-anchor=\"middle\">", L + 10 + xs * (double)k, H - B + 16);
        html_escape(t, vis[k].name);
        cli_text_puts(t, "</text>");
    }
    cli_text_printf(t, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">"
                    "visit</text>", (W + L) / 2, H - 4);
    for (size_t s = 0; s < n_subj; s++) {
        cli_text_puts(t, "<g class=\"subject\"><title>");
        html_escape(t, subj[s]);
        cli_text_puts(t, "</title><polyline points=\"");
        for (size_t k = 0; k < n_vis; k++) {
            size_t idx = s * n_vis + k;
            if (!cnt[idx])
                continue;
            double y = (double)(H - B) - (sum[idx] / cnt[idx] - lo) / (hi - lo) *
                                             (double)(H - B - T);
            cli_text_printf(t, "%.1f,%.1f ", L + 10 + xs * (double)k, y);
        }
        cli_text_puts(t, "\"/>");
        for (size_t k = 0; k < n_vis; k++) {
            size_t idx = s * n_vis + k;
            if (!cnt[idx])
                continue;
            double y = (double)(H - B) - (sum[idx] / cnt[idx] - lo) / (hi - lo) *
                                             (double)(H - B - T);
            cli_text_printf(t, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
                            L + 10 + xs * (double)k, y);
        }
        cli_text_puts(t, "</g>");
    }
    cli_text_puts(t, "</svg><figcaption>");
    html_escape(t, name);
    cli_text_puts(t, ": one line per subject, mean of its photos at each visit"
                     "</figcaption></figure>\n");
    free(sum);
    free(cnt);
}

static const char style[] =
    "body{font-family:sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;font-size:12px}"
    "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
    "td:first-child,th:first-child{text-align:left}"
    "tr.failed td{background:#fde2e2}"
    ".scroll{overflow-x:auto}"
    "figure{display:inline-block;margin:6px;vertical-align:top}"
    "figcaption{font-size:11px;max-width:320px;overflow-wrap:anywhere}"
    ".subject polyline{fill:none;stroke:#3465a4;stroke-opacity:.6}"
    ".subject circle{fill:#3465a4}"
    ".axis{stroke:#444}.tick{font-size:10px}"
    ".plot-title{font-size:12px;text-anchor:middle;font-weight:bold}";

cli_args_status cli_parse_report(int argc, char **argv, cli_report_args *o,
                                 cli_args_error *e)
{
    memset(o, 0, sizeof *o);
    o->title = "scarscore report";
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "-o") || !strcmp(a, "--title")) && i + 1 >= argc)
            return cli_args_bad(e, 1, "%s needs a value", a);
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return CLI_ARGS_HELP;
        else if (!strcmp(a, "-o"))
            o->html = argv[++i];
        else if (!strcmp(a, "--title"))
            o->title = argv[++i];
        else if (a[0] == '-' && a[1])
            return cli_args_bad(e, 1, "unknown option '%s'", a);
        else if (!o->outdir)
            o->outdir = a;
        else
            return cli_args_bad(e, 1, "more than one OUTDIR");
    }
    if (!o->outdir || !o->html)
        return cli_args_bad(e, 1, "expected OUTDIR and -o report.html");
    return CLI_ARGS_RUN;
}

int scar_cli_report(int argc, char **argv)
{
    cli_report_args args;
    cli_args_error perr;
    cli_args_status pst = cli_parse_report(argc, argv, &args, &perr);
    if (pst != CLI_ARGS_RUN)
        return cli_args_exit("report", pst, &perr, report_usage);
    const char *outdir = args.outdir, *html = args.html, *title = args.title;
    char err[2048];
    size_t plen = strlen(outdir) + 64;
    char *ipath = malloc(plen);
    if (!ipath)
        return CLI_EXIT_FILE;
    snprintf(ipath, plen, "%s/" CLI_IMAGES_CSV, outdir);
    cli_csv csv;
    int rc = cli_csv_read_file(ipath, &csv, err, sizeof err);
    free(ipath);
    if (rc != 0) {
        fprintf(stderr, "scarscore report: %s (is %s a 'scarscore batch' "
                "output folder?)\n", err, outdir);
        return CLI_EXIT_FILE;
    }
    rc = CLI_EXIT_FILE;
    cli_text t = {0};
    size_t *ok_rows = NULL;
    const char **subj = NULL;
    visit_ord *vis = NULL;
    long c_path = cli_csv_column(&csv, "path");
    long c_status = cli_csv_column(&csv, "status");
    long c_subj = cli_csv_column(&csv, "subject");
    long c_vis = cli_csv_column(&csv, "visit");
    if (csv.n_rows == 0 || c_path != 0) {
        fprintf(stderr, "scarscore report: %s/" CLI_IMAGES_CSV ": not a batch "
                "table (first column must be 'path')\n", outdir);
        goto done;
    }
    size_t ncols = csv.rows[0].n_fields, nrows = csv.n_rows - 1;
    ok_rows = malloc((nrows ? nrows : 1) * sizeof *ok_rows);
    subj = malloc((nrows ? nrows : 1) * sizeof *subj);
    vis = malloc((nrows ? nrows : 1) * sizeof *vis);
    if (!ok_rows || !subj || !vis)
        goto nomem;
    size_t n_ok = 0;
    for (size_t r = 1; r < csv.n_rows; r++) {
        if (csv.rows[r].n_fields != ncols) {
            fprintf(stderr, "scarscore report: %s/" CLI_IMAGES_CSV ": line %zu: "
                    "%zu fields but the header has %zu\n", outdir,
                    csv.rows[r].line, csv.rows[r].n_fields, ncols);
            goto done;
        }
        if (c_status < 0 || !strcmp(csv.rows[r].fields[c_status], "ok"))
            ok_rows[n_ok++] = r;
    }
    cli_text_puts(&t, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"generator\" content=\"scarscore ");
    cli_text_puts(&t, scar_version());
    cli_text_puts(&t, "\"><title>");
    html_escape(&t, title);
    cli_text_printf(&t, "</title><style>%s</style></head><body>\n<h1>", style);
    html_escape(&t, title);
    cli_text_printf(&t, "</h1>\n<p id=\"counts\">%zu image%s, %zu scored, %zu "
                    "failed; scarscore %s. Every column is defined in "
                    "docs/metrics.md.</p>\n", nrows, nrows == 1 ? "" : "s", n_ok,
                    nrows - n_ok, scar_version());
    /* Summary table: images.csv as it is. */
    cli_text_puts(&t, "<section id=\"summary\"><h2>Images</h2><div class=\"scroll\">"
                      "<table id=\"summary-table\"><thead><tr>");
    for (size_t c = 0; c < ncols; c++) {
        cli_text_puts(&t, "<th>");
        html_escape(&t, csv.rows[0].fields[c]);
        cli_text_puts(&t, "</th>");
    }
    cli_text_puts(&t, "</tr></thead><tbody>\n");
    for (size_t r = 1; r < csv.n_rows; r++) {
        int failed = c_status >= 0 && strcmp(csv.rows[r].fields[c_status], "ok");
        cli_text_puts(&t, failed ? "<tr class=\"failed\">" : "<tr>");
        for (size_t c = 0; c < ncols; c++) {
            cli_text_puts(&t, "<td>");
            html_escape(&t, csv.rows[r].fields[c]);
            cli_text_puts(&t, "</td>");
        }
        cli_text_puts(&t, "</tr>\n");
    }
    cli_text_puts(&t, "</tbody></table></div></section>\n");
    /* Overlay thumbnails. */
    cli_text_puts(&t, "<section id=\"overlays\"><h2>Overlays</h2><p>Region "
                      "contours by class: yellow iso, cyan hypo, magenta hyper, "
                      "green erythema.</p>\n");
    for (size_t i = 0; i < n_ok; i++) {
        const char *path = csv.rows[ok_rows[i]].fields[c_path];
        char stem[96];
        cli_output_stem(path, stem, sizeof stem);
        size_t n = strlen(outdir) + strlen(stem) + 32;
        char *png = malloc(n);
        if (!png)
            goto nomem;
        snprintf(png, n, "%s/" CLI_DIR_OVERLAYS "/%s.png", outdir, stem);
        size_t mark = t.n;
        cli_text_puts(&t, "<figure class=\"overlay\">");
        if (thumbnail_uri(&t, png) == 0) {
            cli_text_puts(&t, " alt=\"overlay of ");
            html_escape(&t, path);
            cli_text_puts(&t, "\"><figcaption>");
            html_escape(&t, path);
            cli_text_puts(&t, "</figcaption></figure>\n");
        } else {
            t.n = mark; /* no overlay file: leave the figure out */
            if (t.p)
                t.p[t.n] = '\0';
            fprintf(stderr, "scarscore report: %s: no overlay (%s); "
                    "thumbnail skipped\n", path, png);
        }
        free(png);
    }
    cli_text_puts(&t, "</section>\n");
    /* Per-subject before/after plots. */
    if (c_subj >= 0 && c_vis >= 0 && n_ok) {
        size_t n_subj = 0, n_vis = 0;
        for (size_t i = 0; i < n_ok; i++) {
            subj[n_subj++] = csv.rows[ok_rows[i]].fields[c_subj];
            vis[n_vis].name = csv.rows[ok_rows[i]].fields[c_vis];
            n_vis++;
        }
        qsort(subj, n_subj, sizeof *subj, cmp_str);
        size_t u = 0;
        for (size_t i = 0; i < n_subj; i++)
            if (!u || strcmp(subj[u - 1], subj[i]))
                subj[u++] = subj[i];
        n_subj = u;
        visits_numeric = 1;
        for (size_t i = 0; i < n_vis; i++) {
            double v = NAN;
            if (parse_num(vis[i].name, &v) != 0)
                visits_numeric = 0;
            vis[i].num = v;
        }
        qsort(vis, n_vis, sizeof *vis, cmp_visit);
        u = 0;
        for (size_t i = 0; i < n_vis; i++)
            if (!u || strcmp(vis[u - 1].name, vis[i].name))
                vis[u++] = vis[i];
        n_vis = u;
        cli_text_puts(&t, "<section id=\"subjects\"><h2>Per subject, by visit"
                          "</h2>\n");
        for (size_t c = 0; c < ncols; c++) {
            const char *name = csv.rows[0].fields[c];
            if ((long)c == c_path || (long)c == c_subj || (long)c == c_vis ||
                (long)c == c_status || !strcmp(name, "error"))
                continue;
            /* Plot numeric columns that vary (width/height rarely do). */
            int numeric = 1, any = 0, varies = 0;
            double first = NAN;
            for (size_t i = 0; numeric && i < n_ok; i++) {
                double v;
                int p = parse_num(csv.rows[ok_rows[i]].fields[c], &v);
                if (p < 0)
                    numeric = 0;
                else if (p == 0) {
                    if (any && v != first)
                        varies = 1;
                    if (!any)
                        first = v;
                    any = 1;
                }
            }
            if (numeric && any && varies)
                subject_plot(&t, &csv, ok_rows, n_ok, c_subj, c_vis, c, subj,
                             n_subj, vis, n_vis);
        }
        cli_text_puts(&t, "</section>\n");
    }
    cli_text_puts(&t, "</body></html>\n");
    if (t.failed)
        goto nomem;
    if (cli_write_atomic(html, t.p, t.n, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore report: %s\n", err);
        goto done;
    }
    rc = CLI_EXIT_OK;
    goto done;
nomem:
    fprintf(stderr, "scarscore report: out of memory\n");
done:
    cli_text_free(&t);
    free(ok_rows);
    free(subj);
    free(vis);
    cli_csv_free(&csv);
    return rc;
}
