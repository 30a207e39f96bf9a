/* fftw_lock.c — the library's one global: a mutex around FFTW planning.
 * FFTW's planner keeps process-wide state (wisdom, the plan cache) and is
 * not thread-safe; only fftw_execute* is (FFTW 3.3 manual, section 5.4
 * "Thread safety"). libvips fwfft.c guards its planner the same way.
 * Statically initialised, so there is no init call and no race creating it.
 * If another module starts using FFTW it must take this same lock. */
#include "texture/texture.h"

#include <pthread.h>

static pthread_mutex_t scar__fftw_planner_mutex = PTHREAD_MUTEX_INITIALIZER;

void scar__fftw_lock(void)
{
    pthread_mutex_lock(&scar__fftw_planner_mutex);
}

void scar__fftw_unlock(void)
{
    pthread_mutex_unlock(&scar__fftw_planner_mutex);
}
