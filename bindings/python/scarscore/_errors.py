"""scarscore.Error: a failed library call, with the library's status code
and its detailed message (scar_last_error)."""


class Error(Exception):
    """A scarscore library call failed.

    .status   the scar_status code (e.g. 10 = SCAR_E_IO, 12 = SCAR_E_CORRUPT)
    .message  the library's detailed message, naming the function and reason
    .reason   the static description of the status (scar_strerror)
    """

    def __init__(self, status, message, reason=""):
        super().__init__(message or reason or "scarscore error %d" % status)
        self.status = status
        self.message = message
        self.reason = reason


# Status codes of include/scarscore.h (values fixed forever).
OK = 0
E_INVALID = 1
E_VERSION = 2
E_IO = 10
E_FORMAT = 11
E_CORRUPT = 12
E_UNSUPPORTED = 13
E_NOMEM = 20
E_LIMIT = 21
E_INTERNAL = 99
