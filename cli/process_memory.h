/* process_memory.h — how the command asks the C library's malloc to keep
 * freed memory (an application's choice: lib/ never sets process-wide
 * state). Header-only, so bench/bench_analyze's fresh-process row runs
 * the analysis under the same settings as `scarscore analyze`.
 *
 * An analysis allocates and frees a few dozen planes of 1-11 MB. glibc
 * serves blocks above its mmap threshold (128 KB, raised at run time
 * toward 32 MB as blocks are freed) with fresh mappings and gives freed
 * heap tops back to the kernel above its trim threshold, so many planes
 * land on pages the process has never touched, and every first touch of
 * a page is a page fault. Keeping planes up to 32 MB (glibc's largest
 * threshold on 64-bit systems) on the heap and trimming only beyond 128 MB
 * lets later planes reuse the pages of earlier ones. Measured on a 12 MP
 * photo (docs/performance.md, session 28): minor faults 19 720 -> 13 180,
 * wall time 0.70 -> 0.60 s, peak RSS +2 MB. Both settings are needed:
 * setting either one alone turns off glibc's adjustment of the other, and
 * alone each made the run slower. */
#ifndef SCAR_CLI_PROCESS_MEMORY_H
#define SCAR_CLI_PROCESS_MEMORY_H

#include <stdlib.h> /* defines __GLIBC__ on glibc */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define CLI_MMAP_THRESHOLD (32 << 20)
#define CLI_TRIM_THRESHOLD (128 << 20)

/* Call once, first thing in main(), before any thread starts. Other C
 * libraries: nothing. The environment (GLIBC_TUNABLES, MALLOC_*_) is read
 * by glibc before main and is overridden here for these two settings. */
static inline void cli_keep_freed_memory(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, CLI_MMAP_THRESHOLD);
    mallopt(M_TRIM_THRESHOLD, CLI_TRIM_THRESHOLD);
#endif
}

#endif
