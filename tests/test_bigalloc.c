/* test_bigalloc.c — large zeroed blocks (lib/bigalloc.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "bigalloc.h"
#include "plane.h"

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* Below and above the 4 MiB threshold: zeroed, writable; a block reused
 * after free (the allocator hands the same memory back) is zeroed again. */
static void test_zeroed(void **state)
{
    (void)state;
    const size_t sizes[] = {1, 4000, (size_t)4 << 20, ((size_t)5 << 20) + 3};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        for (int round = 0; round < 3; round++) {
            unsigned char *p = scar__big_calloc(sizes[k], 1);
            assert_non_null(p);
            assert_true(all_zero(p, sizes[k]));
            memset(p, 0xA5, sizes[k]);
            assert_false(all_zero(p, sizes[k])); /* the stores stay */
            free(p);
        }
    }
}

/* An application may have large blocks come from the heap (glibc's
 * mallopt M_MMAP_THRESHOLD), where a freed block's dirty memory is handed
 * back: a large block is zeroed all the same. (Fresh mappings are zero
 * anyway, which test_zeroed cannot tell apart.) */
static void test_reused_zeroed(void **state)
{
    (void)state;
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    assert_int_equal(mallopt(M_MMAP_THRESHOLD, 64 << 20), 1);
    assert_int_equal(mallopt(M_TRIM_THRESHOLD, 128 << 20), 1);
    const size_t n = (size_t)5 << 20;
    for (int round = 0; round < 3; round++) {
        unsigned char *p = scar__big_calloc(n, 1);
        assert_non_null(p);
        assert_true(all_zero(p, n));
        memset(p, 0xA5, n);
        assert_false(all_zero(p, n)); /* the stores stay */
        free(p);
    }
#else
    skip();
#endif
}

/* n * elem overflowing size_t is refused, not wrapped. */
static void test_overflow(void **state)
{
    (void)state;
    assert_null(scar__big_calloc(SIZE_MAX / 2, 4));
    assert_null(scar__big_calloc(SIZE_MAX, SIZE_MAX));
}

/* On Linux a large block starts on a 2 MiB page (the huge page advice
 * covers it whole). */
static void test_large_aligned(void **state)
{
    (void)state;
#if defined(__linux__)
    void *p = scar__big_calloc((size_t)3 << 20, 2);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % ((uintptr_t)2 << 20), 0);
    free(p);
#else
    skip();
#endif
}

/* Planes come from it: a 12 MP-sized float plane is zeroed and released
 * with scar__plane_free. */
static void test_plane(void **state)
{
    (void)state;
    scar__planef p = {0};
    assert_int_equal(scar__planef_alloc(1400, 1000, "t", &p), 0);
    for (uint32_t y = 0; y < p.height; y += 97)
        for (uint32_t x = 0; x < p.width; x++)
            assert_true(scar__planef_row(&p, y)[x] == 0.0f);
    scar__planef_row(&p, 999)[1399] = 1.0f;
    scar__plane_free(p.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroed),
        cmocka_unit_test(test_reused_zeroed),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_large_aligned),
        cmocka_unit_test(test_plane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
