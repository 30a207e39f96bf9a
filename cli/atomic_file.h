/* atomic_file.h — write a file so that readers (and a later --resume) see
 * either the old content or the complete new one, never a partial file:
 * write PATH.tmp.XXXXXX in the same directory, fsync, rename over PATH. */
#ifndef SCAR_CLI_ATOMIC_FILE_H
#define SCAR_CLI_ATOMIC_FILE_H

#include <stddef.h>

/* Returns 0, or -1 with a message naming the path, the step that failed
 * (creating, writing, syncing, closing, renaming) and the system's reason
 * (e.g. "No space left on device") in err (size errsz); the temporary file
 * is removed on failure, so PATH is untouched. */
int cli_write_atomic(const char *path, const void *data, size_t n, char *err,
                     size_t errsz);

/* Create a directory (one level); an existing directory is fine. On
 * failure -1 with "PATH: cannot create directory: REASON (what to do)". */
int cli_mkdir(const char *path, char *err, size_t errsz);

/* Remove files in `dir` whose names contain ".tmp." (left behind by a
 * process killed between creating and renaming a temporary file). */
void cli_remove_stale_temps(const char *dir);

/* Copy `src` to `dst` atomically (hard link when possible, else a copy
 * through a temporary file). */
int cli_copy_file(const char *src, const char *dst, char *err, size_t errsz);

#endif
