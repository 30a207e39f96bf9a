/* progress.c — count, rate (images/s over the images processed in this run)
 * and ETA = remaining / rate. */
#include "progress.h"

#include <time.h>
#include <unistd.h>

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress_start(cli_progress *p, size_t total, int quiet)
{
    p->out = stderr;
    p->tty = isatty(fileno(stderr));
    p->quiet = quiet;
    p->total = total;
    p->done = p->failed = p->resumed = 0;
    p->t0 = cli_now();
    p->last_draw = 0.0;
}

static void format_eta(double s, char *buf, size_t n)
{
    if (!(s >= 0.0) || s > 359999.0) {
        snprintf(buf, n, "--:--");
        return;
    }
    unsigned long t = (unsigned long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%lu:%02lu", t / 60, t % 60);
}

static void rate_eta(const cli_progress *p, double now, double *rate,
                     char *eta, size_t n)
{
    size_t processed = p->done - p->resumed;
    double el = now - p->t0;
    *rate = el > 0.0 && processed ? (double)processed / el : 0.0;
    double left = (double)(p->total - p->done);
    format_eta(*rate > 0.0 ? left / *rate : -1.0, eta, n);
}

void cli_progress_step(cli_progress *p, const char *path, int ok, int resumed)
{
    p->done++;
    if (!ok)
        p->failed++;
    if (resumed)
        p->resumed++;
    if (p->quiet)
        return;
    double now = cli_now(), rate;
    char eta[32];
    rate_eta(p, now, &rate, eta, sizeof eta);
    if (!p->tty) {
        fprintf(p->out, "scarscore batch: %zu/%zu %s %s (%.2f img/s, ETA %s)\n",
                p->done, p->total, resumed ? "resumed" : ok ? "ok" : "FAILED",
                path, rate, eta);
        return;
    }
    if (p->done != p->total && now - p->last_draw < 0.1)
        return;
    p->last_draw = now;
    enum { width = 30 };
    char bar[width + 1];
    size_t fill = p->total ? p->done * width / p->total : width;
    for (size_t i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(p->out, "\r[%s] %zu/%zu  %.2f img/s  ETA %s  failed %zu\033[K",
            bar, p->done, p->total, rate, eta, p->failed);
    fflush(p->out);
}

void cli_progress_finish(cli_progress *p)
{
    if (p->quiet)
        return;
    double el = cli_now() - p->t0;
    if (p->tty && p->total)
        fputc('\n', p->out);
    fprintf(p->out, "scarscore batch: %zu image%s, %zu failed, %zu from an "
            "earlier run, %.1f s\n", p->done, p->done == 1 ? "" : "s",
            p->failed, p->resumed, el);
}
