/* fuzz_cli_args.c — the argument parsers of every `scarscore` command
 * (cli_parse_analyze, _batch, _compare, _merge, _report in cli/cmd_*.c,
 * declared in cli/commands.h). They read argv only — no I/O, no exit — so
 * the target calls them directly, with nothing on disk to protect.
 *
 * Input: arguments separated by NUL bytes (at most 32). When the first is
 * a command name, as in `scarscore COMMAND ARGS...`, only that command's
 * parser gets the rest (what main() does); otherwise every parser gets the
 * whole list.
 *
 * Oracle beyond "no crash, no sanitizer report":
 *   - the status is RUN, HELP or BAD; HELP only when some argument is
 *     --help or -h; BAD carries a non-empty message;
 *   - RUN results satisfy the rules commands.h states (required arguments
 *     present, numbers in range, compare's two modes exclusive, merge's OUT
 *     not a shard), and every string points at one of the arguments;
 *   - parsing the same arguments twice gives the same result (no state). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fuzz_common.h"

#define MAX_ARGS 32

static int argc_g;
static char **argv_g;

/* NULL, or exactly one of the arguments (not a copy, not a suffix). */
static void check_arg(const char *p)
{
    if (!p)
        return;
    for (int i = 0; i < argc_g; i++)
        if (p == argv_g[i])
            return;
    abort();
}

/* A scale is 0 (not given) or in (0, 10000]. */
static void check_scale(double d)
{
    if (!(d == 0.0 || (d > 0.0 && d <= 10000.0)))
        abort();
}

/* An analysis resolution is CLI_ANALYSIS_DEFAULT (not given), +0 (full
 * resolution; never -0) or in (0, 10000]. */
static void check_analysis_scale(double d)
{
    if (d == CLI_ANALYSIS_DEFAULT || (d == 0.0 && !signbit(d)))
        return;
    if (!(d > 0.0 && d <= 10000.0))
        abort();
}

static void check_common(cli_args_status st, const cli_args_error *e)
{
    if (st == CLI_ARGS_HELP) {
        for (int i = 0; i < argc_g; i++)
            if (!strcmp(argv_g[i], "--help") || !strcmp(argv_g[i], "-h"))
                return;
        abort();
    }
    if (st == CLI_ARGS_BAD) {
        size_t n = strnlen(e->msg, sizeof e->msg);
        if (n == 0 || n == sizeof e->msg || (e->show_usage != 0 && e->show_usage != 1))
            abort();
        return;
    }
    if (st != CLI_ARGS_RUN)
        abort();
}

/* Run a parser twice on fresh structs; both results must agree. */
#define PARSE_TWICE(fn, type, argc, argv, out, st)                            \
    do {                                                                      \
        type other_;                                                          \
        cli_args_error e1_, e2_;                                              \
        memset(out, 0xA5, sizeof *out);                                       \
        memset(&other_, 0x5A, sizeof other_);                                 \
        st = fn(argc, argv, out, &e1_);                                       \
        cli_args_status st2_ = fn(argc, argv, &other_, &e2_);                 \
        check_common(st, &e1_);                                               \
        if (st2_ != st)                                                       \
            abort();                                                          \
        if (st == CLI_ARGS_BAD &&                                             \
            (strcmp(e1_.msg, e2_.msg) || e1_.show_usage != e2_.show_usage))   \
            abort();                                                          \
        if (st == CLI_ARGS_RUN && memcmp(out, &other_, sizeof other_))        \
            abort();                                                          \
    } while (0)

static void fuzz_analyze(int argc, char **argv)
{
    cli_analyze_args o;
    cli_args_status st;
    PARSE_TWICE(cli_parse_analyze, cli_analyze_args, argc, argv, &o, st);
    if (st != CLI_ARGS_RUN)
        return;
    if (!o.image)
        abort();
    check_arg(o.image), check_arg(o.roi), check_arg(o.labels);
    check_arg(o.json), check_arg(o.csv), check_arg(o.overlay);
    check_scale(o.px_per_mm);
    check_analysis_scale(o.analysis_px_per_mm);
    if (o.single_lesion != 0 && o.single_lesion != 1)
        abort();
}

static void fuzz_batch(int argc, char **argv)
{
    cli_batch_args o;
    cli_args_status st;
    PARSE_TWICE(cli_parse_batch, cli_batch_args, argc, argv, &o, st);
    if (st != CLI_ARGS_RUN)
        return;
    if (!o.input || !o.outdir)
        abort();
    check_arg(o.input), check_arg(o.outdir);
    if (o.jobs < 0 || o.jobs > 1024)
        abort();
    if (o.shard_k < 1 || o.shard_k > o.shard_n || o.shard_n > 1000000)
        abort();
    check_scale(o.px_per_mm);
    check_analysis_scale(o.analysis_px_per_mm);
    if ((o.resume | o.quiet | o.single_lesion) & ~1)
        abort();
}

static void fuzz_compare(int argc, char **argv)
{
    cli_compare_args o;
    cli_args_status st;
    PARSE_TWICE(cli_parse_compare, cli_compare_args, argc, argv, &o, st);
    if (st != CLI_ARGS_RUN)
        return;
    check_arg(o.before), check_arg(o.after), check_arg(o.cohort);
    check_arg(o.visits), check_arg(o.csv), check_arg(o.json);
    check_arg(o.per_subject), check_arg(o.roi_before), check_arg(o.roi_after);
    check_scale(o.px_per_mm);
    check_analysis_scale(o.analysis_px_per_mm);
    if (o.cohort) {
        if (o.before || o.after || o.roi_before || o.roi_after ||
            o.px_per_mm != 0.0 ||
            o.analysis_px_per_mm != CLI_ANALYSIS_DEFAULT || o.single_lesion)
            abort();
    } else if (!o.before || !o.after || o.visits || o.per_subject) {
        abort();
    }
}

static void fuzz_merge(int argc, char **argv)
{
    cli_merge_args o;
    cli_args_status st;
    PARSE_TWICE(cli_parse_merge, cli_merge_args, argc, argv, &o, st);
    if (st != CLI_ARGS_RUN)
        return;
    if (o.out != argv[0] || o.shards != argv + 1 || o.n_shards < 1 ||
        o.n_shards != (size_t)argc - 1)
        abort();
    for (size_t s = 0; s < o.n_shards; s++)
        if (!strcmp(o.shards[s], o.out))
            abort();
}

static void fuzz_report(int argc, char **argv)
{
    cli_report_args o;
    cli_args_status st;
    PARSE_TWICE(cli_parse_report, cli_report_args, argc, argv, &o, st);
    if (st != CLI_ARGS_RUN)
        return;
    if (!o.outdir || !o.html || !o.title)
        abort();
    check_arg(o.outdir), check_arg(o.html);
    if (strcmp(o.title, "scarscore report"))
        check_arg(o.title);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *args[MAX_ARGS + 1];
    int argc = 0;
    for (size_t i = 0; i < size && argc < MAX_ARGS;) {
        args[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    args[argc] = NULL;
    static const struct {
        const char *name;
        void (*fn)(int, char **);
    } cmds[] = {{"analyze", fuzz_analyze}, {"batch", fuzz_batch},
                {"compare", fuzz_compare}, {"merge", fuzz_merge},
                {"report", fuzz_report}};
    size_t ncmd = sizeof cmds / sizeof cmds[0], c = 0;
    while (argc > 0 && c < ncmd && strcmp(args[0], cmds[c].name))
        c++;
    if (c < ncmd) {
        argc_g = argc - 1;
        argv_g = args + 1;
        cmds[c].fn(argc_g, argv_g);
    } else {
        argc_g = argc;
        argv_g = args;
        for (c = 0; c < ncmd; c++)
            cmds[c].fn(argc, args);
    }
    free(buf);
    return 0;
}
