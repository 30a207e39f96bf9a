/* progress.h — progress of a batch on standard error: on a terminal a bar
 * redrawn in place with count, rate and ETA; otherwise one plain line per
 * finished image (for logs of Slurm jobs and GNU parallel). Not thread-safe:
 * the caller serialises calls (the batch holds its mutex). */
#ifndef SCAR_CLI_PROGRESS_H
#define SCAR_CLI_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

typedef struct cli_progress {
    FILE *out;
    int tty, quiet;
    size_t total, done, failed, resumed;
    double t0, last_draw;
} cli_progress;

/* Start counting `total` images; quiet = print nothing. */
void cli_progress_start(cli_progress *p, size_t total, int quiet);

/* One image finished: ok (1) or failed (0); resumed (1) when its result
 * came from an earlier run (does not count towards the rate). */
void cli_progress_step(cli_progress *p, const char *path, int ok, int resumed);

/* Final summary line. */
void cli_progress_finish(cli_progress *p);

/* Monotonic seconds. */
double cli_now(void);

#endif
