/* scarscore — the command-line tool. Thin: parses arguments, calls the
 * library, prints. Every message names the file and the reason. */
#include <stdio.h>
#include <string.h>

#include "cmd_analyze.h"
#include "commands.h"
#include "process_memory.h"
#include "scarscore.h"

static const char usage[] =
    "usage: scarscore [--version] [--help] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  info IMAGE     print width, height, channels, bit depth, format and\n"
    "                 the EXIF orientation applied to make IMAGE upright\n"
    "  analyze IMAGE  find scars and pigment patches; see\n"
    "                 'scarscore analyze --help'\n"
    "  batch INPUT -o OUTDIR   score a folder or CSV manifest of photos\n"
    "  merge OUT SHARD_DIR...  join the outputs of 'batch --shard K/N'\n"
    "  compare BEFORE AFTER    change of every score between two photos\n"
    "  compare --cohort images.csv   paired statistics across subjects\n"
    "  report OUTDIR -o report.html  one self-contained HTML report\n"
    "'scarscore COMMAND --help' describes each; 'man scarscore' all.\n"
    "\n"
    "exit status: 0 success, 1 a file could not be processed, 2 usage error,\n"
    "             3 batch finished but some images failed\n";

static const char *format_name(scar_format f)
{
    switch (f) {
    case SCAR_FORMAT_PNG: return "PNG";
    case SCAR_FORMAT_JPEG: return "JPEG";
    default: return "unknown";
    }
}

static int cmd_info(int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "scarscore info: expected one IMAGE argument\n%s", usage);
        return 2;
    }
    scar_image *img = NULL;
    int st = scar_image_load(argv[0], NULL, &img);
    if (st != SCAR_OK) {
        fprintf(stderr, "scarscore: %s\n", scar_last_error());
        return 1;
    }
    printf("file:        %s\n", argv[0]);
    printf("format:      %s\n", format_name(scar_image_format(img)));
    printf("width:       %u\n", scar_image_width(img));
    printf("height:      %u\n", scar_image_height(img));
    printf("channels:    %u\n", scar_image_channels(img));
    printf("bit depth:   %u\n", scar_image_bit_depth(img));
    printf("orientation: %u (applied: pixels are upright)\n",
           scar_image_orientation(img));
    scar_image_free(img);
    return 0;
}

int main(int argc, char **argv)
{
    cli_keep_freed_memory();
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("scarscore %s\n", scar_version());
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "info"))
        return cmd_info(argc - 2, argv + 2);
    if (!strcmp(cmd, "analyze"))
        return scar_cli_analyze(argc - 2, argv + 2);
    if (!strcmp(cmd, "batch"))
        return scar_cli_batch(argc - 2, argv + 2);
    if (!strcmp(cmd, "merge"))
        return scar_cli_merge(argc - 2, argv + 2);
    if (!strcmp(cmd, "compare"))
        return scar_cli_compare(argc - 2, argv + 2);
    if (!strcmp(cmd, "report"))
        return scar_cli_report(argc - 2, argv + 2);
    fprintf(stderr, "scarscore: unknown command '%s'\n%s", cmd, usage);
    return 2;
}
