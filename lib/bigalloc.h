/* bigalloc.h — large zeroed blocks (the planes) on transparent huge pages
 * where the system offers them; internal. */
#ifndef SCARSCORE_BIGALLOC_H
#define SCARSCORE_BIGALLOC_H

#include <stddef.h>

/* As calloc(n, elem): NULL when out of memory or when n * elem
 * overflows; release with free(). Blocks of at least 4 MiB are aligned to
 * 2 MiB, rounded up to whole 2 MiB pages and advised as huge pages on
 * Linux; a fresh block's first touch then faults 2 MiB at a time instead
 * of 4 KiB (docs/performance.md, session 26). Smaller blocks are plain
 * calloc. */
void *scar__big_calloc(size_t n, size_t elem);

#endif
