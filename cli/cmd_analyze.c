/* cmd_analyze.c — `scarscore analyze IMAGE [--px-per-mm X] [--single-lesion]
 * [--roi MASK.png] [--labels L.png] [--json R.json|-]`. Thin: parses the
 * arguments, calls scar_analyze, writes what was asked; with no output
 * named, prints a short summary. Every error names the file and reason. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_analyze.h"
#include "scarscore.h"

static const char analyze_usage[] =
    "usage: scarscore analyze IMAGE [--px-per-mm X] [--single-lesion]\n"
    "                         [--roi MASK.png] [--labels L.png] [--json R.json|-]\n"
    "  --px-per-mm X    image scale (default: unknown, 10 px/mm assumed)\n"
    "  --single-lesion  the photo shows one dominant lesion (dermoscopy)\n"
    "  --roi MASK.png   analyse only where MASK is non-zero (same size)\n"
    "  --labels L.png   16-bit label map: 0 = none, k = region k\n"
    "  --json R.json    results as JSON ('-' = standard output)\n";

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
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "scarscore analyze: %s: cannot create: %s\n", path,
                strerror(errno));
        return 1;
    }
    size_t w = fwrite(data, 1, n, f);
    int bad = w != n || ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    if (bad) {
        fprintf(stderr, "scarscore analyze: %s: write failed: %s\n", path,
                strerror(errno));
        return 1;
    }
    return 0;
}

static void summary(const char *path, const scar_result *res)
{
    uint32_t n = scar_result_region_count(res);
    printf("%s: %u region%s (scale %g px/mm%s)\n", path, n, n == 1 ? "" : "s",
           scar_result_px_per_mm(res),
           scar_result_scale_assumed(res) ? ", assumed" : "");
    for (uint32_t i = 0; i < n; i++) {
        scar_region r;
        r.struct_size = sizeof r;
        if (scar_result_region(res, i, &r) != SCAR_OK)
            break;
        printf("  %3u  %8.2f mm2  at (%.0f, %.0f)  dE00 %5.2f  %s\n", r.id,
               r.area_mm2, r.centroid_x, r.centroid_y, r.delta_e00,
               scar_pigment_class_name((scar_pigment_class)r.pigment_class));
    }
}

int scar_cli_analyze(int argc, char **argv)
{
    const char *image = NULL, *roi_path = NULL, *labels = NULL, *json = NULL;
    scar_analyze_options o;
    scar_analyze_options_init(&o);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--single-lesion")) {
            o.single_lesion = 1;
        } else if (!strcmp(a, "--px-per-mm") || !strcmp(a, "--roi") ||
                   !strcmp(a, "--labels") || !strcmp(a, "--json")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "scarscore analyze: %s needs a value\n%s", a,
                        analyze_usage);
                return 2;
            }
            const char *v = argv[++i];
            if (!strcmp(a, "--px-per-mm")) {
                char *end = NULL;
                errno = 0;
                double d = strtod(v, &end);
                if (errno || !end || *end || end == v || !(d > 0.0) ||
                    d > 10000.0) {
                    fprintf(stderr, "scarscore analyze: --px-per-mm '%s': "
                                    "expected a number in (0, 10000]\n", v);
                    return 2;
                }
                o.px_per_mm = d;
            } else if (!strcmp(a, "--roi")) {
                roi_path = v;
            } else if (!strcmp(a, "--labels")) {
                labels = v;
            } else {
                json = v;
            }
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(analyze_usage, stdout);
            return 0;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "scarscore analyze: unknown option '%s'\n%s", a,
                    analyze_usage);
            return 2;
        } else if (!image) {
            image = a;
        } else {
            fprintf(stderr, "scarscore analyze: more than one IMAGE ('%s', "
                            "'%s')\n%s", image, a, analyze_usage);
            return 2;
        }
    }
    if (!image) {
        fprintf(stderr, "scarscore analyze: expected an IMAGE\n%s", analyze_usage);
        return 2;
    }
    scar_image *img = NULL, *roi = NULL;
    scar_result *res = NULL;
    int rc = 1;
    if (scar_image_load(image, NULL, &img) != SCAR_OK) {
        fprintf(stderr, "scarscore analyze: %s\n", scar_last_error());
        goto done;
    }
    if (roi_path) {
        if (scar_image_load(roi_path, NULL, &roi) != SCAR_OK) {
            fprintf(stderr, "scarscore analyze: ROI: %s\n", scar_last_error());
            goto done;
        }
    }
    if (scar_analyze(img, roi, &o, &res) != SCAR_OK) {
        fprintf(stderr, "scarscore analyze: %s: %s\n", image, scar_last_error());
        goto done;
    }
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
    if (!labels && !json)
        summary(image, res);
    rc = 0;
done:
    scar_result_free(res);
    scar_image_free(roi);
    scar_image_free(img);
    return rc;
}
