/* cmd_analyze.c — `scarscore analyze IMAGE [--px-per-mm X]
 * [--analysis-px-per-mm X] [--single-lesion] [--as-photographed]
 * [--roi MASK.png]
 * [--regions L.png] [--labels L.png] [--json R.json|-] [--csv R.csv]
 * [--overlay O.png]`. Thin: parses the arguments, analyses through
 * analyze_one.c, writes what was asked; with no output named, prints a
 * short summary. Every error names the file and reason. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_one.h"
#include "atomic_file.h"
#include "cmd_analyze.h"
#include "commands.h"
#include "csv_write.h"
#include "scarscore.h"

static const char analyze_usage[] =
    "usage: scarscore analyze IMAGE [--px-per-mm X] [--analysis-px-per-mm X]\n"
    "                         [--single-lesion] [--as-photographed]\n"
    "                         [--roi MASK.png] [--regions L.png]\n"
    "                         [--labels L.png] [--json R.json|-] [--csv R.csv]\n"
    "                         [--overlay O.png]\n"
    "  --px-per-mm X    image scale (default: unknown, 10 px/mm assumed)\n"
    "  --analysis-px-per-mm X  analyse at about X px/mm (default 5;\n"
    "                   0 = full resolution); outputs keep the photo's size\n"
    "  --single-lesion  the photo shows one dominant lesion (dermoscopy)\n"
    "  --as-photographed  colours as photographed (default: each region and\n"
    "                   its ring at the exposure of the best-lit skin)\n"
    "  --roi MASK.png   analyse only where MASK is non-zero (same size)\n"
    "  --regions L.png  measure these regions instead of finding them: a\n"
    "                   label PNG (0 = none, each value one region; same\n"
    "                   size), measured at full resolution\n"
    "  --labels L.png   16-bit label map: 0 = none, k = region k\n"
    "  --json R.json    results as JSON ('-' = standard output)\n"
    "  --csv R.csv      image-level scores (one row, first column path);\n"
    "                   regions go to R_regions.csv beside it\n"
    "  --overlay O.png  the photo with region contours coloured by class\n";

static int write_file(const char *path, const char *data, size_t n)
{
    if (!strcmp(path, "-")) {
        if (fwrite(data, 1, n, stdout) != n || fflush(stdout) != 0) {
            fprintf(stderr, "scarscore analyze: writing JSON to standard "
                            "output failed: %s\n", strerror(errno));
            return 1;
        }
        return 0;
    }
    /* Atomically, like every other output: a full disk never leaves a
     * truncated R.json behind. */
    char err[1024];
    if (cli_write_atomic(path, data, n, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore analyze: %s\n", err);
        return 1;
    }
    return 0;
}

/* One table of the tidy CSV: header and rows, with `path` prepended. */
static int csv_table(cli_text *t, const char *image, const scar_result *res,
                     scar_csv_table table)
{
    char *rows = NULL;
    if (scar_result_to_csv(res, table, &rows, NULL) != SCAR_OK)
        return -1;
    cli_text_puts(t, "path,");
    cli_text_puts(t, scar_csv_header(table));
    for (char *line = rows; *line;) {
        char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
        cli_text_csv_field(t, image);
        cli_text_puts(t, ",");
        cli_text_append(t, line, n);
        line += n;
    }
    scar_free(rows);
    return t->failed ? -1 : 0;
}

/* --csv R.csv: the image row to R.csv, the region rows to R_regions.csv. */
static int write_csv(const char *path, const char *image, const scar_result *res)
{
    size_t len = strlen(path);
    size_t stem = len > 4 && !strcmp(path + len - 4, ".csv") ? len - 4 : len;
    char *regions_path = malloc(stem + sizeof "_regions.csv");
    if (!regions_path) {
        fprintf(stderr, "scarscore analyze: out of memory\n");
        return 1;
    }
    memcpy(regions_path, path, stem);
    strcpy(regions_path + stem, "_regions.csv");
    const char *paths[2] = {path, regions_path};
    const scar_csv_table tables[2] = {SCAR_CSV_IMAGES, SCAR_CSV_REGIONS};
    int bad = 0;
    for (int i = 0; i < 2 && !bad; i++) {
        cli_text t = {0};
        char err[512];
        if (csv_table(&t, image, res, tables[i]) != 0) {
            fprintf(stderr, "scarscore analyze: %s: %s\n", paths[i],
                    t.failed ? "out of memory" : scar_last_error());
            bad = 1;
        } else if (cli_write_atomic(paths[i], t.p, t.n, err, sizeof err) != 0) {
            fprintf(stderr, "scarscore analyze: %s\n", err);
            bad = 1;
        }
        cli_text_free(&t);
    }
    free(regions_path);
    return bad;
}

static void summary(const char *path, const scar_result *res)
{
    uint32_t n = scar_result_region_count(res);
    scar_summary sm;
    memset(&sm, 0, sizeof sm);
    sm.struct_size = sizeof sm;
    char analysed[64] = "";
    if (scar_result_summary(res, &sm) == SCAR_OK && sm.analysis_shrink > 1)
        snprintf(analysed, sizeof analysed, ", analysed at %g px/mm",
                 sm.analysis_px_per_mm);
    else if (sm.regions_given)
        snprintf(analysed, sizeof analysed, ", regions given");
    printf("%s: %u region%s (scale %g px/mm%s%s)\n", path, n,
           n == 1 ? "" : "s", scar_result_px_per_mm(res),
           scar_result_scale_assumed(res) ? ", assumed" : "", analysed);
    for (uint32_t i = 0; i < n; i++) {
        scar_region r;
        r.struct_size = sizeof r;
        if (scar_result_region(res, i, &r) != SCAR_OK)
            break;
        printf("  %3u  %8.2f mm2  at (%.0f, %.0f)  dE00 %5.2f  %s\n", r.id,
               r.area_mm2, r.centroid_x, r.centroid_y, r.delta_e00,
               scar_pigment_class_name((scar_pigment_class)r.pigment_class));
    }
    /* what the photo hides: docs/segment.md, "Detection limits" */
    if (isfinite(sm.detection_limit_dL[1]) && isfinite(sm.detection_limit_da[1]) &&
        isfinite(sm.detection_limit_db[1]))
        printf("  a uniform 10 mm2 patch is found from |dL*| %.1f, |da*| %.1f "
               "or |db*| %.1f (detection limits)\n",
               sm.detection_limit_dL[1], sm.detection_limit_da[1],
               sm.detection_limit_db[1]);
}

cli_args_status cli_parse_analyze(int argc, char **argv, cli_analyze_args *o,
                                  cli_args_error *e)
{
    memset(o, 0, sizeof *o);
    o->analysis_px_per_mm = CLI_ANALYSIS_DEFAULT;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--single-lesion")) {
            o->single_lesion = 1;
        } else if (!strcmp(a, "--as-photographed")) {
            o->as_photographed = 1;
        } else if (!strcmp(a, "--px-per-mm") ||
                   !strcmp(a, "--analysis-px-per-mm") || !strcmp(a, "--roi") ||
                   !strcmp(a, "--regions") ||
                   !strcmp(a, "--labels") || !strcmp(a, "--json") ||
                   !strcmp(a, "--csv") || !strcmp(a, "--overlay")) {
            if (i + 1 >= argc)
                return cli_args_bad(e, 1, "%s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--px-per-mm")) {
                if (cli_parse_scale(v, &o->px_per_mm))
                    return cli_args_bad(e, 0, "--px-per-mm '%s': expected a "
                                        "number in (0, 10000]", v);
            } else if (!strcmp(a, "--analysis-px-per-mm")) {
                if (cli_parse_analysis_scale(v, &o->analysis_px_per_mm))
                    return cli_args_bad(e, 0, CLI_ANALYSIS_BAD_MSG, v);
            } else if (!strcmp(a, "--roi")) {
                o->roi = v;
            } else if (!strcmp(a, "--regions")) {
                o->regions = v;
            } else if (!strcmp(a, "--labels")) {
                o->labels = v;
            } else if (!strcmp(a, "--csv")) {
                o->csv = v;
            } else if (!strcmp(a, "--overlay")) {
                o->overlay = v;
            } else {
                o->json = v;
            }
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            return CLI_ARGS_HELP;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_args_bad(e, 1, "unknown option '%s'", a);
        } else if (!o->image) {
            o->image = a;
        } else {
            return cli_args_bad(e, 1, "more than one IMAGE ('%s', '%s')",
                                o->image, a);
        }
    }
    if (!o->image)
        return cli_args_bad(e, 1, "expected an IMAGE");
    if (o->regions && o->single_lesion)
        return cli_args_bad(e, 0, "--regions gives the regions; "
                            "--single-lesion searches for one: use one of them");
    return CLI_ARGS_RUN;
}

int scar_cli_analyze(int argc, char **argv)
{
    cli_analyze_args args;
    cli_args_error perr;
    cli_args_status pst = cli_parse_analyze(argc, argv, &args, &perr);
    if (pst != CLI_ARGS_RUN)
        return cli_args_exit("analyze", pst, &perr, analyze_usage);
    const char *image = args.image, *roi_path = args.roi;
    const char *labels = args.labels, *json = args.json, *csv = args.csv;
    const char *overlay = args.overlay;
    double px_per_mm = args.px_per_mm;
    int single_lesion = args.single_lesion;
    scar_image *img = NULL;
    scar_result *res = NULL;
    int rc = 1;
    char err[1024];
    if (cli_analyze_file(image, roi_path, args.regions, px_per_mm,
                         args.analysis_px_per_mm,
                         (single_lesion ? CLI_ANALYZE_SINGLE_LESION : 0u) |
                             (args.as_photographed ? CLI_ANALYZE_AS_PHOTOGRAPHED
                                                   : 0u),
                         overlay ? &img : NULL, &res, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore analyze: %s\n", err);
        goto done;
    }
    if (scar_result_scale_assumed(res))
        fprintf(stderr,
                "scarscore analyze: %s: no --px-per-mm given, %g px/mm "
                "assumed: %s rest on it (measure a ruler in the photo and "
                "pass --px-per-mm)\n",
                image, scar_result_px_per_mm(res),
                single_lesion || args.regions ? "areas and lengths in mm"
                              : "what is found and every size in mm");
    if (labels && scar_result_save_labels_png(res, labels) != SCAR_OK) {
        fprintf(stderr, "scarscore analyze: %s\n", scar_last_error());
        goto done;
    }
    if (json) {
        char *text = NULL;
        size_t n = 0;
        if (scar_result_to_json(res, &text, &n) != SCAR_OK) {
            fprintf(stderr, "scarscore analyze: %s: %s\n", image,
                    scar_last_error());
            goto done;
        }
        int bad = write_file(json, text, n);
        scar_free(text);
        if (bad)
            goto done;
    }
    if (csv && write_csv(csv, image, res) != 0)
        goto done;
    if (overlay && cli_overlay_save(img, res, overlay, err, sizeof err) != 0) {
        fprintf(stderr, "scarscore analyze: %s\n", err);
        goto done;
    }
    if (!labels && !json && !csv && !overlay)
        summary(image, res);
    rc = 0;
done:
    scar_result_free(res);
    scar_image_free(img);
    return rc;
}
