/* bigalloc.c — large blocks on transparent huge pages (see bigalloc.h).
 *
 * Why: the analysis writes tens of MB of fresh planes, and each first
 * touch of a 4 KiB page is a page fault. On the bench machine, a virtual
 * machine, a fault costs 14-25 us, and a 12 MP analysis took 16 000 of
 * them (a fifth of its time). With 2 MiB pages the same memory faults
 * 512 times less often. Linux only maps huge pages into a range advised
 * with MADV_HUGEPAGE when transparent huge pages are in "madvise" mode
 * (Debian's default); in "always" mode the advice changes nothing and in
 * "never" mode it is ignored, so the blocks are correct everywhere. */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#endif
#include "bigalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__linux__) && defined(MADV_HUGEPAGE)
/* Smaller blocks stay with calloc: rounded up to whole huge pages they
 * cost more resident memory than their faults cost time (on a 12 MP
 * analysis, a 1 MiB threshold raised the peak from 51 to 82 MB and the
 * faults from 5 900 to 7 500; 2 MiB, with the images and FFT buffers
 * too, raised the peak to 57-69 MB for no fewer faults). */
#define BIG_MIN ((size_t)4 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static void *huge_block(size_t bytes)
{
    if (bytes > SIZE_MAX - HUGE_PAGE)
        return NULL;
    /* whole huge pages, so that the advice covers this block alone and
     * its last part is no run of 4 KiB pages */
    size_t whole = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, whole) != 0)
        return NULL;
    (void)madvise(p, whole, MADV_HUGEPAGE);
    return p;
}
#endif

void *scar__big_calloc(size_t n, size_t elem)
{
    if (elem && n > SIZE_MAX / elem)
        return NULL;
    size_t bytes = n * elem;
#ifdef BIG_MIN
    if (bytes >= BIG_MIN) {
        void *p = huge_block(bytes);
        if (p)
            memset(p, 0, bytes);
        return p;
    }
#endif
    return calloc(n, elem);
}
