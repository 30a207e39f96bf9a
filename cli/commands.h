/* commands.h — the batch-side commands (cli/cmd_batch.c, cmd_merge.c,
 * cmd_compare.c, cmd_report.c). argv holds the arguments after the command
 * name; each returns the exit status documented in cli/scarscore.1:
 * 0 success, 1 a file could not be read or written, 2 usage error,
 * 3 (batch) finished but some images failed. */
#ifndef SCAR_CLI_COMMANDS_H
#define SCAR_CLI_COMMANDS_H

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

#endif
