/* png_write.c — lossless PNG encoding with libpng 1.6 into memory, and an
 * atomic save (temporary file beside the target, fsync, rename) so that a
 * reader never sees a partial file. Format details: docs/image-png.md. */
#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../error.h"
#include "image_internal.h"

/* The growing output buffer: libpng's io pointer. */
struct png_sink {
    uint8_t *data;
    size_t size;
    size_t capacity;
};

/* Error state: libpng's error pointer, owned by the caller of the function
 * that calls setjmp, so it is well defined after a longjmp. */
struct png_encode_state {
    const char *ctx;
    int status;
};

static void on_png_error(png_structp png, png_const_charp msg)
{
    struct png_encode_state *st = png_get_error_ptr(png);
    /* The image is valid by construction, so libpng can only fail for lack
     * of memory; anything else is a scarscore bug. */
    st->status = strstr(msg, "memory") ? SCAR_E_NOMEM : SCAR_E_INTERNAL;
    scar__fail(st->status, "%s: %s", st->ctx, msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png; /* the library never prints; nothing written is lost */
    (void)msg;
}

static void write_to_memory(png_structp png, png_bytep src, size_t n)
{
    struct png_sink *sink = png_get_io_ptr(png);
    if (n > sink->capacity - sink->size) {
        if (n > SIZE_MAX - sink->size)
            png_error(png, "encoded PNG would exceed the address space "
                           "(out of memory)");
        size_t need = sink->size + n;
        size_t cap = sink->capacity ? sink->capacity : 4096;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        uint8_t *grown = realloc(sink->data, cap);
        if (!grown)
            png_error(png, "out of memory for the encoded PNG");
        sink->data = grown;
        sink->capacity = cap;
    }
    memcpy(sink->data + sink->size, src, n);
    sink->size += n;
}

static void flush_memory(png_structp png)
{
    (void)png;
}

static int host_is_little_endian(void)
{
    const uint16_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* The only function that calls setjmp. png and info are set before it and
 * never reassigned, so they are valid after a longjmp. */
static int encode_with_libpng(const scar_image *img, struct png_encode_state *st,
                              struct png_sink *sink)
{
    static const int color_types[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                       PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, st, on_png_error, on_png_warning);
    if (!png)
        return scar__fail(SCAR_E_NOMEM,
                          "%s: cannot create the libpng "
                          "encoder (out of memory or libpng mismatch)",
                          st->ctx);
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", st->ctx);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return st->status;
    }
    png_set_write_fn(png, sink, write_to_memory, flush_memory);
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    /* zlib level 1 (Z_BEST_SPEED): on a noisy 6 MP RGB photo it encodes at
     * ~21 MP/s against ~3 MP/s for the default level 6, for an 18% larger
     * file (docs/image-png.md). Every row with the Up filter (PNG spec,
     * 9.2): libpng's adaptive choice tries all five per row, and at level
     * 1 Up alone was both faster and smaller: a 12 MP overlay 1.58-1.61 ->
     * 1.31-1.36 s for the whole `scarscore analyze --overlay`, 8.28 ->
     * 7.83 MB; a 10 MP photo's 8.95 -> 8.24 MB. */
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_IHDR(png, info, img->width, img->height, (int)img->bit_depth,
                 color_types[img->channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    /* PNG stores 16-bit samples big-endian; ours are native. libpng copies
     * each row before transforming it, so the caller's pixels are not
     * touched. */
    if (img->bit_depth == 16 && host_is_little_endian())
        png_set_swap(png);
    for (uint32_t y = 0; y < img->height; y++)
        png_write_row(png, img->data + (size_t)y * img->stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return SCAR_OK;
}

int scar__png_encode(const scar_image *img, const char *ctx, uint8_t **out,
                     size_t *out_size)
{
    *out = NULL;
    *out_size = 0;
    if (!img)
        return scar__fail(SCAR_E_INVALID, "%s: img is NULL", ctx);
    if (img->channels < 1 || img->channels > 4 ||
        (img->bit_depth != 8 && img->bit_depth != 16) || !img->data)
        return scar__fail(SCAR_E_INVALID,
                          "%s: image has %u channels of %u "
                          "bits; PNG output needs 1-4 channels of 8 or 16",
                          ctx, img->channels, img->bit_depth);
    if (img->width > PNG_UINT_31_MAX || img->height > PNG_UINT_31_MAX)
        return scar__fail(SCAR_E_INVALID,
                          "%s: %ux%u exceeds PNG's limit of "
                          "2^31-1 px per side",
                          ctx, img->width, img->height);
    struct png_sink sink = {NULL, 0, 0};
    struct png_encode_state st = {ctx, SCAR_E_INTERNAL};
    int status = encode_with_libpng(img, &st, &sink);
    if (status != SCAR_OK) {
        free(sink.data);
        return status;
    }
    *out = sink.data;
    *out_size = sink.size;
    return SCAR_OK;
}

int scar_image_encode_png(const scar_image *img, void **out_data, size_t *out_size)
{
    static const char ctx[] = "scar_image_encode_png";
    if (out_data)
        *out_data = NULL;
    if (out_size)
        *out_size = 0;
    if (!out_data || !out_size)
        return scar__fail(SCAR_E_INVALID, "%s: out_data or out_size is NULL", ctx);
    uint8_t *data;
    size_t size;
    int status = scar__png_encode(img, ctx, &data, &size);
    if (status != SCAR_OK)
        return status;
    *out_data = data;
    *out_size = size;
    return SCAR_OK;
}

/* ---- atomic save ------------------------------------------------------ */

/* Thread-safe strerror (XSI strerror_r under _POSIX_C_SOURCE=200809L). */
static const char *errno_text(int err, char *buf, size_t n)
{
    if (strerror_r(err, buf, n) != 0)
        snprintf(buf, n, "error %d", err);
    return buf;
}

/* The mode a new file would get from open(path, O_CREAT, 0666): mkstemp
 * creates 0600 files, which would surprise anyone sharing the output. The
 * umask is read from /proc/self/status (Linux >= 4.7) because umask(2)
 * can only be read by changing it, which is process-wide and racy.
 * An existing target keeps its permission bits. */
static mode_t mode_for_new_file(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        return sb.st_mode & 0777;
    mode_t mask = 022;
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        unsigned int m;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "Umask: %o", &m) == 1) {
                mask = (mode_t)(m & 0777);
                break;
            }
        fclose(f);
    }
    return 0666 & ~mask;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Make the rename durable: fsync the directory holding `path`. Best effort;
 * the file's own data was already synced. */
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

int scar_image_save_png(const scar_image *img, const char *path)
{
    if (!path || !*path)
        return scar__fail(SCAR_E_INVALID, "scar_image_save_png: path is NULL or empty");
    char ctx[320]; /* long paths are cut in messages only */
    snprintf(ctx, sizeof ctx, "scar_image_save_png: %.290s", path);
    if (!img)
        return scar__fail(SCAR_E_INVALID, "%s: img is NULL", ctx);

    uint8_t *png;
    size_t size;
    int status = scar__png_encode(img, ctx, &png, &size);
    if (status != SCAR_OK)
        return status;

    static const char suffix[] = ".tmp.XXXXXX"; /* mkstemp fills the Xs */
    size_t path_len = strlen(path);
    char *tmp =
        path_len > SIZE_MAX - sizeof suffix ? NULL : malloc(path_len + sizeof suffix);
    if (!tmp) {
        free(png);
        return scar__fail(SCAR_E_NOMEM, "%s: out of memory", ctx);
    }
    memcpy(tmp, path, path_len);
    memcpy(tmp + path_len, suffix, sizeof suffix);

    char why[128];
    const char *step;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int err = errno;
        free(tmp);
        free(png);
        return scar__fail(SCAR_E_IO,
                          "%s: cannot create a temporary file "
                          "beside it: %s; check that the directory exists "
                          "and is writable",
                          ctx, errno_text(err, why, sizeof why));
    }
    (void)fchmod(fd, mode_for_new_file(path)); /* cosmetic: never fails save */
    if (write_all(fd, png, size) != 0)
        step = "writing the temporary file";
    else if (fsync(fd) != 0)
        step = "syncing the temporary file";
    else
        step = NULL;
    int err = errno;
    if (close(fd) != 0 && !step) {
        step = "closing the temporary file";
        err = errno;
    }
    if (!step && rename(tmp, path) != 0) {
        step = "renaming the temporary file onto it";
        err = errno;
    }
    free(png);
    if (step) {
        unlink(tmp);
        free(tmp);
        return scar__fail(SCAR_E_IO, "%s: %s failed: %s", ctx, step,
                          errno_text(err, why, sizeof why));
    }
    free(tmp);
    sync_parent_dir(path);
    return SCAR_OK;
}
