/* test_crashers.c — replays every file under tests/crashers/ (one folder
 * per fuzz target: png, jpeg, roi_analyze, cli_args, manifest; see
 * tests/crashers/README.md) through the loaders, with the library's
 * default limits and with the fuzzers' 1 MP limits. Each load must return
 * a documented status — an image, or an error with a message — and never
 * crash; ASan/UBSan/valgrind runs of this test catch the memory errors
 * the fuzzers found. Files under roi_analyze/ are also used as the ROI of
 * an analysis of a photo of their size, with the default options and with
 * those the fuzz target derives from the file's last byte. Files under known/ are hand-made
 * hostile headers (tests/reference/make_fuzz_seeds.py) that must be
 * refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "hard_analyze.h"
#include "scarscore.h"

static int documented(int st)
{
    return st == SCAR_OK || st == SCAR_E_IO || st == SCAR_E_FORMAT ||
           st == SCAR_E_CORRUPT || st == SCAR_E_UNSUPPORTED ||
           st == SCAR_E_NOMEM || st == SCAR_E_LIMIT;
}

/* Last byte of the file at `path` (0 if it cannot be read). */
static uint8_t last_byte(const char *path)
{
    FILE *f = fopen(path, "rb");
    int c = EOF;
    if (f) {
        if (fseek(f, -1L, SEEK_END) == 0)
            c = fgetc(f);
        fclose(f);
    }
    return c == EOF ? 0 : (uint8_t)c;
}

static void replay(const char *path, int as_roi, int must_fail)
{
    scar_load_options small;
    scar_load_options_init(&small);
    small.max_pixels = 1u << 20;
    const scar_load_options *opts[2] = {NULL, &small};
    for (int k = 0; k < 2; k++) {
        scar_image *img = NULL;
        int st = scar_image_load(path, opts[k], &img);
        if (!documented(st) || (must_fail && st == SCAR_OK))
            fail_msg("%s: status %d (%s)", path, st, scar_last_error());
        if (st != SCAR_OK) {
            assert_null(img);
            assert_true(scar_last_error()[0] != '\0');
            continue;
        }
        uint64_t sum = 0; /* read every byte: sanitizers see bad buffers */
        size_t row = (size_t)scar_image_width(img) * scar_image_channels(img) *
                     (scar_image_bit_depth(img) / 8);
        for (uint32_t y = 0; y < scar_image_height(img); y++) {
            const uint8_t *r = scar_image_row(img, y);
            for (size_t i = 0; i < row; i++)
                sum += r[i];
        }
        (void)sum;
        uint64_t npx = (uint64_t)scar_image_width(img) * scar_image_height(img);
        if (as_roi && npx <= 65536) {
            scar_image *photo =
                hard_skin_photo(scar_image_width(img), scar_image_height(img));
            assert_non_null(photo);
            /* default options, then those the fuzzer chose from the
             * input's last byte */
            scar_analyze_options sel;
            hard_roi_options(last_byte(path), &sel);
            const scar_analyze_options *ao[2] = {NULL, &sel};
            for (int a = 0; a < 2; a++) {
                scar_result *res = NULL;
                st = hard_analyze(photo, img, ao[a], &res);
                if (!documented(st) && st != SCAR_E_INVALID)
                    fail_msg("%s as ROI: status %d (%s)", path, st,
                             scar_last_error());
                scar_result_free(res);
            }
            scar_image_free(photo);
        }
        scar_image_free(img);
    }
}

static unsigned walk(const char *dir, int as_roi, int must_fail)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    unsigned n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        const char *dot = strrchr(e->d_name, '.');
        if (dot && !strcmp(dot, ".md"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            n += walk(path, as_roi || !strcmp(e->d_name, "roi_analyze"),
                      must_fail || !strcmp(e->d_name, "known"));
        } else if (S_ISREG(sb.st_mode)) {
            replay(path, as_roi, must_fail);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void test_replay_crashers(void **state)
{
    (void)state;
    unsigned n = walk(SCAR_TEST_CRASHERS, 0, 0);
    print_message("replayed %u file%s from %s\n", n, n == 1 ? "" : "s",
                  SCAR_TEST_CRASHERS);
    assert_true(n >= 6); /* the known/ files at least: the walk works */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_crashers),
    };
    return cmocka_run_group_tests_name("crashers", tests, NULL, NULL);
}
