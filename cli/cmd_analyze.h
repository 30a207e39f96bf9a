/* cmd_analyze.h — the `analyze` command (cli/cmd_analyze.c). */
#ifndef SCAR_CLI_CMD_ANALYZE_H
#define SCAR_CLI_CMD_ANALYZE_H

/* argv holds the arguments after "analyze". Returns the exit status:
 * 0 success, 1 a file could not be processed, 2 usage error. */
int scar_cli_analyze(int argc, char **argv);

#endif
