/* segment_trace.c — the label map after each step of the multi-lesion
 * segmentation, and step 6's verdict on every candidate, for one photo:
 * the raw material of bench/accuracy/where_lost.py (docs/accuracy.md,
 * "Where the misses are lost").
 *
 * Usage: segment_trace IMAGE OUTDIR [--px-per-mm X] [--analysis-px-per-mm X]
 *
 * Writes into OUTDIR (which must exist):
 *   steps.txt     one line per step, "step K NAME COUNT" (K from 1, the
 *                 order of scar__segment_trace), then "shrink F", "grid W
 *                 H" and "px_per_mm X" (the analysis grid's);
 *   K_NAME.lbl    the label map that step left: the 8 bytes "SCARLBL1",
 *                 width and height (uint32), then width * height int32
 *                 labels, row by row (host byte order, little-endian on
 *                 every machine the project builds on);
 *   verdicts.csv  label,verdict,evidence,new_label: step 6's verdict on
 *                 each candidate (label before the step; evidence empty
 *                 when it was not computed; new_label 0 when dropped).
 * The analysis is scar_analyze's (same options and result). Exit status:
 * 0 success, 1 failure (message on stderr), 2 usage error. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_timing.h"
#include "scarscore.h"

/* Names of scar__sig_verdict, in its order. */
static const char *const VERDICT_NAMES[SCAR__SIG_VERDICTS] = {
    "kept",       "statistic",   "ragged",    "blanching", "dark_line",
    "luma_grid",  "chroma_grid", "skin_edge", "excluded",  "thin",
    "peaked"};

typedef struct tracer {
    const char *dir;
    FILE *steps, *verdicts;
    int n_steps;
    int failed; /* a write failed: reported once, at the end */
} tracer;

static void on_step(void *user, const char *name, const scar__labels *labels,
                    int32_t count)
{
    tracer *t = user;
    char path[4096];
    int k = ++t->n_steps;
    snprintf(path, sizeof path, "%s/%02d_%s.lbl", t->dir, k, name);
    FILE *f = fopen(path, "wb");
    uint32_t wh[2] = {labels->width, labels->height};
    int ok = f && fwrite("SCARLBL1", 1, 8, f) == 8 &&
             fwrite(wh, sizeof wh[0], 2, f) == 2;
    for (uint32_t y = 0; ok && y < labels->height; y++)
        ok = fwrite(scar__labels_row(labels, y), sizeof(int32_t),
                    labels->width, f) == labels->width;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "segment_trace: cannot write %s: %s\n", path,
                strerror(errno));
        t->failed = 1;
    }
    fprintf(t->steps, "step %d %s %d\n", k, name, (int)count);
}

static void on_verdict(void *user, int32_t label, scar__sig_verdict verdict,
                       double evidence, int32_t new_label)
{
    tracer *t = user;
    const char *name = (unsigned)verdict < SCAR__SIG_VERDICTS
                           ? VERDICT_NAMES[verdict]
                           : "unknown";
    if (isfinite(evidence))
        fprintf(t->verdicts, "%d,%s,%.6g,%d\n", (int)label, name, evidence,
                (int)new_label);
    else
        fprintf(t->verdicts, "%d,%s,,%d\n", (int)label, name, (int)new_label);
}

static int usage(void)
{
    fprintf(stderr, "usage: segment_trace IMAGE OUTDIR [--px-per-mm X] "
                    "[--analysis-px-per-mm X]\n");
    return 2;
}

static FILE *open_in(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "segment_trace: cannot write %s: %s (does the "
                        "folder exist?)\n", path, strerror(errno));
    return f;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *image = argv[1], *dir = argv[2];
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    for (int i = 3; i < argc; i++) {
        char *end = NULL;
        if (i + 1 >= argc)
            return usage();
        double v = strtod(argv[i + 1], &end);
        if (!end || *end || !isfinite(v) || v < 0)
            return usage();
        if (strcmp(argv[i], "--px-per-mm") == 0)
            o.px_per_mm = v;
        else if (strcmp(argv[i], "--analysis-px-per-mm") == 0)
            o.analysis_px_per_mm = v;
        else
            return usage();
        i++;
    }
    scar_load_options lo;
    scar_load_options_init(&lo);
    scar_image *img = NULL;
    int st = scar_image_load(image, &lo, &img);
    if (st) {
        fprintf(stderr, "segment_trace: %s\n", scar_last_error());
        return 1;
    }
    tracer t = {dir, open_in(dir, "steps.txt"), open_in(dir, "verdicts.csv"),
                0, 0};
    if (!t.steps || !t.verdicts) {
        if (t.steps)
            fclose(t.steps);
        if (t.verdicts)
            fclose(t.verdicts);
        scar_image_free(img);
        return 1;
    }
    fprintf(t.verdicts, "label,verdict,evidence,new_label\n");
    scar__segment_trace tr = {on_step, on_verdict, &t};
    scar_result *res = NULL;
    st = scar__analyze_traced(img, NULL, &o, &tr, &res);
    scar_image_free(img);
    if (st) {
        fprintf(stderr, "segment_trace: %s\n", scar_last_error());
        fclose(t.steps);
        fclose(t.verdicts);
        return 1;
    }
    scar_summary s;
    memset(&s, 0, sizeof s);
    s.struct_size = (uint32_t)sizeof s;
    st = scar_result_summary(res, &s);
    scar_result_free(res);
    if (!st) {
        uint32_t f = s.analysis_shrink ? s.analysis_shrink : 1;
        fprintf(t.steps, "shrink %u\ngrid %u %u\npx_per_mm %.9g\n", f,
                (s.width + f - 1) / f, (s.height + f - 1) / f,
                s.analysis_px_per_mm);
    }
    int bad = fclose(t.steps) != 0;
    bad |= fclose(t.verdicts) != 0;
    if (st || bad || t.failed) {
        fprintf(stderr, "segment_trace: %s\n",
                st ? scar_last_error() : "a file could not be written");
        return 1;
    }
    return 0;
}
