/* atomic_file.c — temporary file + fsync + rename (POSIX rename is atomic
 * within a file system), so a SIGKILL at any moment leaves either no file or
 * a complete one. */
#include "atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

#include "csv_read.h"

/* umask() both reads and sets the process mask, so read it once (workers
 * call cli_write_atomic concurrently and must never see it changed). */
static pthread_once_t mode_once = PTHREAD_ONCE_INIT;
static mode_t new_file_mode = 0644;

static void read_umask(void)
{
    mode_t um = umask(0);
    umask(um);
    new_file_mode = 0666 & ~um;
}

/* Make a rename durable: fsync the folder holding `path` (best effort; the
 * file's own data is already on disk, and some file systems refuse fsync
 * on a folder). */
static void sync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = NULL;
    if (!slash)
        dir = strdup(".");
    else if (slash == path)
        dir = strdup("/");
    else if ((dir = malloc((size_t)(slash - path) + 1)) != NULL) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    }
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Every step that can report a full disk or an I/O error is checked:
 * write (ENOSPC, EFBIG, EDQUOT, EIO), fsync (delayed allocation and NFS
 * report ENOSPC only here), close (NFS again), rename. */
int cli_write_atomic(const char *path, const void *data, size_t n, char *err,
                     size_t errsz)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp) {
        snprintf(err, errsz, "%s: out of memory", path);
        return -1;
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errsz, "%s: cannot create a temporary file beside it: "
                 "%s", path, strerror(e));
        free(tmp);
        return -1;
    }
    /* mkstemp makes 0600; results are ordinary files. Cosmetic: a failure
     * leaves a private file, never a wrong one. */
    pthread_once(&mode_once, read_umask);
    (void)fchmod(fd, new_file_mode);
    const char *step = NULL;
    int e = 0;
    const char *p = data;
    size_t left = n;
    while (left && !step) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            /* write() returning 0 for a non-zero count cannot progress. */
            e = w < 0 ? errno : EIO;
            step = "writing";
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!step && fsync(fd) != 0) {
        e = errno;
        step = "syncing";
    }
    if (close(fd) != 0 && !step) {
        e = errno;
        step = "closing";
    }
    if (!step && rename(tmp, path) != 0) {
        e = errno;
        step = "renaming the temporary file onto it";
    }
    if (step) {
        snprintf(err, errsz, "%s: write failed (%s): %s", path, step,
                 strerror(e));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    sync_parent_dir(path);
    return 0;
}

int cli_mkdir(const char *path, char *err, size_t errsz)
{
    if (mkdir(path, 0777) == 0)
        return 0;
    int e = errno;
    struct stat st;
    if (e == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    const char *hint =
        e == EEXIST   ? "it is a file, not a folder; remove it or choose "
                        "another folder"
        : e == ENOTDIR ? "a part of the path is a file, not a folder; choose "
                         "another folder"
        : e == ENOENT  ? "check that its parent folder exists and can hold "
                         "folders"
        : e == EACCES || e == EPERM || e == EROFS
                       ? "choose a folder you can write to"
                       : "choose another folder";
    snprintf(err, errsz, "%s: cannot create directory: %s (%s)", path,
             e == EEXIST ? "File exists" : strerror(e), hint);
    return -1;
}

void cli_remove_stale_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    size_t dl = strlen(dir);
    while ((e = readdir(d)) != NULL) {
        if (!strstr(e->d_name, ".tmp."))
            continue;
        size_t nl = strlen(e->d_name);
        char *p = malloc(dl + nl + 2);
        if (!p)
            break;
        memcpy(p, dir, dl);
        p[dl] = '/';
        memcpy(p + dl + 1, e->d_name, nl + 1);
        unlink(p);
        free(p);
    }
    closedir(d);
}

int cli_copy_file(const char *src, const char *dst, char *err, size_t errsz)
{
    unlink(dst);
    if (link(src, dst) == 0)
        return 0;
    char *data = NULL;
    size_t n = 0;
    if (cli_read_whole_file(src, &data, &n) != 0) {
        snprintf(err, errsz, "%s: cannot read: %s", src, strerror(errno));
        return -1;
    }
    int rc = cli_write_atomic(dst, data, n, err, errsz);
    free(data);
    return rc;
}
