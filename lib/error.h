/* error.h — internal: recording a failure's detailed message.
 *
 * The message is kept per thread (C11 _Thread_local), so concurrent calls on
 * different objects never overwrite each other's message and there is no
 * process-wide mutable state. */
#ifndef SCAR_ERROR_H
#define SCAR_ERROR_H

#include <stdarg.h>

/* Maximum length of a detailed message, including the terminator. */
#define SCAR__ERRMSG_MAX 1024

/* Record `status` with a printf-style message on this thread and return
 * `status`, so callers can write `return scar__fail(SCAR_E_IO, ...)`.
 * By convention messages start with the public function's name. */
int scar__fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* va_list form of scar__fail. */
int scar__vfail(int status, const char *fmt, va_list ap);

#endif
