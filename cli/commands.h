/* commands.h — the commands after `analyze` (cli/cmd_batch.c, cmd_merge.c,
 * cmd_compare.c, cmd_report.c) and the argument parser of every command.
 * argv holds the arguments after the command name; each scar_cli_X returns
 * the exit status documented in cli/scarscore.1: 0 success, 1 a file could
 * not be read or written, 2 usage error, 3 (batch) finished but some images
 * failed. */
#ifndef SCAR_CLI_COMMANDS_H
#define SCAR_CLI_COMMANDS_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FILE = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_SOME_FAILED = 3
};

int scar_cli_batch(int argc, char **argv);
int scar_cli_merge(int argc, char **argv);
int scar_cli_compare(int argc, char **argv);
int scar_cli_report(int argc, char **argv);

/* Shared by batch, merge and report: the OUTDIR layout. */
#define CLI_DIR_RECORDS "records"
#define CLI_DIR_JSON "json"
#define CLI_DIR_OVERLAYS "overlays"
#define CLI_IMAGES_CSV "images.csv"
#define CLI_REGIONS_CSV "regions.csv"

/* ---- Argument parsing, split from running (fuzz/fuzz_cli_args.c) ----
 * Each cli_parse_X(argc, argv, &opts, &err) reads argv only: no I/O, no
 * exit, no global state (errno aside), so a fuzzer can call it with any
 * strings. It returns
 *   CLI_ARGS_RUN   opts is filled (strings point into argv; unset = NULL
 *                  or 0) and satisfies the command's rules below;
 *   CLI_ARGS_HELP  --help or -h came before any error;
 *   CLI_ARGS_BAD   err.msg says why (without the "scarscore X: " prefix,
 *                  cut to fit), err.show_usage whether the usage text
 *                  follows it.
 * Arguments are read left to right and the first error or --help wins. */
typedef enum {
    CLI_ARGS_RUN = 0,
    CLI_ARGS_HELP = 1,
    CLI_ARGS_BAD = 2
} cli_args_status;

typedef struct cli_args_error {
    char msg[2048];
    int show_usage;
} cli_args_error;

/* --analysis-px-per-mm X (scar_analyze_options.analysis_px_per_mm):
 * CLI_ANALYSIS_DEFAULT when not given (the library's default is used),
 * else 0 (always full resolution) or a number in (0, 10000]. */
#define CLI_ANALYSIS_DEFAULT (-1.0)

/* analyze IMAGE: image set; px_per_mm 0 (unknown) or in (0, 10000];
 * analysis_px_per_mm as above. */
typedef struct cli_analyze_args {
    const char *image, *roi, *regions, *labels, *json, *csv, *overlay;
    double px_per_mm;
    double analysis_px_per_mm;
    int single_lesion, as_photographed;
} cli_analyze_args;

/* batch INPUT -o OUTDIR: input and outdir set; jobs 0 (= CPUs) or
 * 1..1024; 1 <= shard_k <= shard_n <= 1000000; px_per_mm and
 * analysis_px_per_mm as analyze. */
typedef struct cli_batch_args {
    const char *input, *outdir;
    long jobs;
    unsigned shard_k, shard_n;
    double px_per_mm;
    double analysis_px_per_mm;
    int resume, quiet, single_lesion, as_photographed;
} cli_batch_args;

/* compare: either cohort set (and no photos, roi_*, px_per_mm,
 * analysis_px_per_mm (stays CLI_ANALYSIS_DEFAULT) or single_lesion), or
 * before and after set (and no visits, per_subject); px_per_mm and
 * analysis_px_per_mm as analyze. */
typedef struct cli_compare_args {
    const char *before, *after;
    const char *cohort, *visits, *csv, *json, *per_subject;
    const char *roi_before, *roi_after;
    double px_per_mm;
    double analysis_px_per_mm;
    int single_lesion, as_photographed;
} cli_compare_args;

/* merge OUT SHARD_DIR...: n_shards >= 1, no shard equal to out. */
typedef struct cli_merge_args {
    const char *out;
    char **shards;
    size_t n_shards;
} cli_merge_args;

/* report OUTDIR -o FILE: outdir and html set; title defaults to
 * "scarscore report". */
typedef struct cli_report_args {
    const char *outdir, *html, *title;
} cli_report_args;

cli_args_status cli_parse_analyze(int argc, char **argv, cli_analyze_args *o,
                                  cli_args_error *e);
cli_args_status cli_parse_batch(int argc, char **argv, cli_batch_args *o,
                                cli_args_error *e);
cli_args_status cli_parse_compare(int argc, char **argv, cli_compare_args *o,
                                  cli_args_error *e);
cli_args_status cli_parse_merge(int argc, char **argv, cli_merge_args *o,
                                cli_args_error *e);
cli_args_status cli_parse_report(int argc, char **argv, cli_report_args *o,
                                 cli_args_error *e);

/* What every command does with a parse that is not CLI_ARGS_RUN: --help
 * prints the usage to standard output (exit 0); an error prints
 * "scarscore CMD: MSG" and, when asked, the usage to standard error
 * (exit 2). */
static inline int cli_args_exit(const char *cmd, cli_args_status st,
                                const cli_args_error *e, const char *usage)
{
    if (st == CLI_ARGS_HELP) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    fprintf(stderr, "scarscore %s: %s\n%s", cmd, e->msg,
            e->show_usage ? usage : "");
    return CLI_EXIT_USAGE;
}

/* Fill e and return CLI_ARGS_BAD (printf-style message). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline cli_args_status cli_args_bad(cli_args_error *e, int show_usage,
                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->show_usage = show_usage;
    return CLI_ARGS_BAD;
}

/* A scale argument: 0 with *out set when v is a number in (0, 10000],
 * else -1 (*out may have changed). */
static inline int cli_parse_scale(const char *v, double *out)
{
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    *out = d;
    if (errno || end == v || *end || !(d > 0.0) || d > 10000.0)
        return -1;
    return 0;
}

/* An --analysis-px-per-mm argument: 0 with *out set when v is a number
 * that is 0 (stored as +0) or in (0, 10000], else -1 (*out may have
 * changed). As strict as cli_parse_scale: no NaN, inf, junk or sign. */
static inline int cli_parse_analysis_scale(const char *v, double *out)
{
    const char *sign = v;
    while (*sign == ' ' || (*sign >= '\t' && *sign <= '\r'))
        sign++; /* strtod skips this white space too */
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (!errno && end != v && !*end && d == 0.0 && *sign != '-') {
        *out = 0.0;
        return 0;
    }
    return cli_parse_scale(v, out);
}

/* The message for a bad --analysis-px-per-mm value (one place, so the
 * three commands say the same). */
#define CLI_ANALYSIS_BAD_MSG                                                  \
    "--analysis-px-per-mm '%s': expected 0 (full resolution) or a number "  \
    "in (0, 10000]"

#endif
