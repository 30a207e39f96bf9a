/* fuzz_cli_args.c — the argument parser of `scarscore analyze`
 * (cli/cmd_analyze.c, scar_cli_analyze(argc, argv)), the one CLI command
 * whose parser can be called as a function today. The input is split at
 * NUL bytes into at most 32 arguments.
 *
 * Sandboxing: the target runs in a fresh empty temporary directory, and
 * inputs with an absolute path, a "..", or the standard-output name "-"
 * are skipped, so the fuzzer can never name an existing image nor write
 * outside that directory; an analysis that reaches the library therefore
 * fails to open its (non-existent) image, while every parse path —
 * unknown options, missing values, bad numbers, duplicate IMAGE — runs.
 * The exit status must be 0 (only for --help), 1 or 2, never anything
 * else. Run with -close_fd_mask=3 (fuzz/run.sh does) to silence the usage
 * text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_analyze.h"
#include "fuzz_common.h"

#define MAX_ARGS 32

int LLVMFuzzerInitialize(int *argc, char ***argv);

static char sandbox[] = "/tmp/scarscore-fuzz-cli-XXXXXX";

static void remove_sandbox(void) { (void)rmdir(sandbox); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(sandbox) || chdir(sandbox) != 0) {
        perror("fuzz_cli_args: cannot enter an empty temporary directory");
        abort();
    }
    atexit(remove_sandbox); /* empty: nothing can be written into it */
    return 0;
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
    for (size_t i = 0; i <= size && argc < MAX_ARGS;) {
        char *a = buf + i;
        size_t len = strlen(a);
        if (a[0] == '/' || strstr(a, "..") || strcmp(a, "-") == 0) {
            free(buf);
            return 0;
        }
        args[argc++] = a;
        i += len + 1;
    }
    args[argc] = NULL;
    int rc = scar_cli_analyze(argc, args);
    if (rc != 0 && rc != 1 && rc != 2)
        abort();
    free(buf);
    return 0;
}
