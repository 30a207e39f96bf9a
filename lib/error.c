/* error.c — status strings, version, and the per-thread detailed message. */
#include "error.h"

#include <stdio.h>

#include "scarscore.h"

static _Thread_local char last_message[SCAR__ERRMSG_MAX];

const char *scar_version(void) { return SCAR_VERSION_STRING; }

int32_t scar_version_number(void) { return SCAR_VERSION_NUMBER; }

const char *scar_strerror(int status)
{
    switch (status) {
    case SCAR_OK: return "success";
    case SCAR_E_INVALID: return "invalid argument";
    case SCAR_E_VERSION: return "options struct from an incompatible version";
    case SCAR_E_IO: return "file could not be opened, read or written";
    case SCAR_E_FORMAT: return "not a PNG or JPEG file";
    case SCAR_E_CORRUPT: return "corrupt or truncated data";
    case SCAR_E_UNSUPPORTED: return "unsupported feature";
    case SCAR_E_NOMEM: return "out of memory";
    case SCAR_E_LIMIT: return "size limit exceeded";
    case SCAR_E_INTERNAL: return "internal error (please report)";
    default: return "unknown status";
    }
}

const char *scar_last_error(void) { return last_message; }

int scar__vfail(int status, const char *fmt, va_list ap)
{
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    return status;
}

int scar__fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    scar__vfail(status, fmt, ap);
    va_end(ap);
    return status;
}
