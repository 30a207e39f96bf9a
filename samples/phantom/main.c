/* scarscore-phantom — render a synthetic clinical skin photo with known
 * truth (docs/phantom.md). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phantom.h"

static const char usage[] =
    "usage: scarscore-phantom --out PREFIX [--seed N] [--width W] [--height H]\n"
    "         [--px-per-mm X] [--ita DEG] [--quality Q] [--lesions N]\n"
    "         [--kinds K1,K2,...] [--hairs N] [--layout L] [--texture T]\n"
    "         [--clean]\n"
    "\n"
    "Writes PREFIX.jpg (the photo), PREFIX_labels.png (16-bit: 0 = no lesion,\n"
    "k = lesion k), PREFIX_truth.json and, with --clean, PREFIX_clean.png\n"
    "(16-bit sRGB render under even light, no camera effects).\n"
    "Defaults: seed 1, 800 x 600; px/mm (8-25), ITA (-50..60), quality (70-95),\n"
    "lesion count (3-12) and hairs are drawn from the seed.\n"
    "Layouts: scattered (default: lesions of all kinds, each with a clean\n"
    "         3 mm ring) or cluster (an acne-scarred cheek: 30-60 icepick,\n"
    "         boxcar and rolling scars and post-acne marks around one centre)\n"
    "Textures of the healthy skin: clean (default: the calm mottling of the\n"
    "         benchmark so far) or real (as varied as real acne-scar photos)\n"
    "Kinds: icepick boxcar rolling hypertrophic hypopigmented hyperpigmented\n"
    "       erythema striae_alba striae_rubra\n"
    "exit status: 0 success, 1 rendering or writing failed, 2 usage error\n";

static int parse_double(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v)) {
        fprintf(stderr, "scarscore-phantom: %s expects a number, got '%s'\n", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_uint(const char *opt, const char *s, unsigned long long max,
                      unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v > max) {
        fprintf(stderr, "scarscore-phantom: %s expects an integer 0..%llu, got '%s'\n",
                opt, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_kinds(const char *s, uint32_t *mask)
{
    char buf[512];
    if (strlen(s) >= sizeof buf) {
        fprintf(stderr, "scarscore-phantom: --kinds list too long\n");
        return -1;
    }
    strcpy(buf, s);
    *mask = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int k = phantom_kind_parse(tok);
        if (k < 0) {
            fprintf(stderr, "scarscore-phantom: unknown lesion kind '%s'\n%s", tok, usage);
            return -1;
        }
        *mask |= 1u << k;
    }
    return *mask ? 0 : -1;
}

int main(int argc, char **argv)
{
    phantom_params p;
    phantom_params_init(&p);
    p.seed = 1;
    const char *out = NULL;
    int clean = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--clean")) {
            clean = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "scarscore-phantom: unknown option or missing value: %s\n%s", a, usage);
            return 2;
        }
        const char *v = argv[++i];
        unsigned long long u;
        double d;
        if (!strcmp(a, "--out")) {
            out = v;
        } else if (!strcmp(a, "--seed")) {
            if (parse_uint(a, v, ~0ull, &u)) return 2;
            p.seed = u;
        } else if (!strcmp(a, "--width")) {
            if (parse_uint(a, v, 20000, &u)) return 2;
            p.width = (uint32_t)u;
        } else if (!strcmp(a, "--height")) {
            if (parse_uint(a, v, 20000, &u)) return 2;
            p.height = (uint32_t)u;
        } else if (!strcmp(a, "--px-per-mm")) {
            if (parse_double(a, v, &d)) return 2;
            p.px_per_mm = d;
        } else if (!strcmp(a, "--ita")) {
            if (parse_double(a, v, &d)) return 2;
            p.ita = d;
        } else if (!strcmp(a, "--quality")) {
            if (parse_uint(a, v, 100, &u) || u < 1) return 2;
            p.quality = (int)u;
        } else if (!strcmp(a, "--lesions")) {
            if (parse_uint(a, v, PHANTOM_MAX_LESIONS, &u)) return 2;
            p.lesions = (int)u;
        } else if (!strcmp(a, "--hairs")) {
            if (parse_uint(a, v, 1000, &u)) return 2;
            p.hairs = (int)u;
        } else if (!strcmp(a, "--layout")) {
            int l = phantom_layout_parse(v);
            if (l < 0) {
                fprintf(stderr, "scarscore-phantom: --layout %s: use scattered or cluster\n", v);
                return 2;
            }
            p.layout = l;
        } else if (!strcmp(a, "--texture")) {
            int t = phantom_texture_parse(v);
            if (t < 0) {
                fprintf(stderr, "scarscore-phantom: --texture %s: use clean or real\n", v);
                return 2;
            }
            p.texture = t;
        } else if (!strcmp(a, "--kinds")) {
            if (parse_kinds(v, &p.kinds_mask)) return 2;
        } else {
            fprintf(stderr, "scarscore-phantom: unknown option %s\n%s", a, usage);
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "scarscore-phantom: --out PREFIX is required\n%s", usage);
        return 2;
    }
    phantom ph;
    char err[512];
    if (phantom_generate(&p, &ph, err, sizeof err)) {
        fprintf(stderr, "scarscore-phantom: %s\n", err);
        return 1;
    }
    if (phantom_write(&ph, out, clean, err, sizeof err)) {
        fprintf(stderr, "scarscore-phantom: %s\n", err);
        phantom_free(&ph);
        return 1;
    }
    printf("%s.jpg: %ux%u, %.2f px/mm, ITA %.1f (%s), quality %d, %d lesions\n", out,
           ph.p.width, ph.p.height, ph.p.px_per_mm, ph.p.ita,
           phantom_ita_category(ph.p.ita), ph.p.quality, ph.n_lesions);
    phantom_free(&ph);
    return 0;
}
