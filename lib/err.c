/* err.c - names and texts of error codes, and the sift_err message buffer.
 *
 * Owns the mapping from a code to "EINVAL" and to "invalid argument" for
 * both ranges sift uses: the SDK's SIFT_ERRNO_MAP (<= -1000) and -errno
 * from syscalls and libraries (ZeroMQ's own errno values included). The
 * codes themselves are defined in sdk/include/sift/plugin.h; this file
 * adds none. Logging a failure is log.c's job.
 * SPDX-License-Identifier: MIT
 */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

/* Names of the errno values sift is likely to meet: file, socket, memory
 * and ZeroMQ failures. Anything else is named "E?" but still gets its text
 * from strerror(). */
#define SIFT_ERRNO_NAMES(X)                                                                        \
    X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) X(EBADF)              \
    X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV)        \
    X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) X(ENOTTY) X(EFBIG) X(ENOSPC) X(ESPIPE)      \
    X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK)             \
    X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) X(EIDRM) X(ENODATA) X(ETIME) X(EPROTO)               \
    X(EBADMSG) X(EOVERFLOW) X(EILSEQ) X(ENOTSOCK) X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE)        \
    X(ENOPROTOOPT) X(EPROTONOSUPPORT) X(ENOTSUP) X(EAFNOSUPPORT) X(EADDRINUSE)                     \
    X(EADDRNOTAVAIL) X(ENETDOWN) X(ENETUNREACH) X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS)           \
    X(EISCONN) X(ENOTCONN) X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTUNREACH) X(EALREADY)                \
    X(EINPROGRESS) X(ESTALE) X(EDQUOT) X(ECANCELED) X(EOWNERDEAD) X(ENOTRECOVERABLE)               \
    X(EFSM) X(ENOCOMPATPROTO) X(ETERM) X(EMTHREAD)

typedef struct errno_name {
    int value;
    const char *name;
} errno_name;

static const errno_name errno_names[] = {
#define SIFT_ERRNO_ROW_(e) {.value = (e), .name = #e},
    SIFT_ERRNO_NAMES(SIFT_ERRNO_ROW_)
#undef SIFT_ERRNO_ROW_
};

/* EWOULDBLOCK == EAGAIN and EOPNOTSUPP == ENOTSUP on Linux: the first row
 * with a value wins, so the table's order settles the name. */
static const char *errno_name_of(int e)
{
    for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
        if (errno_names[i].value == e)
            return errno_names[i].name;
    }
    return NULL;
}

/* True for -errno: the system's range below SIFT's, or ZeroMQ's own. */
static int is_errno(int rc)
{
    if (rc >= 0)
        return 0;
    return rc > -1000 || (-rc > ZMQ_HAUSNUMERO && -rc < ZMQ_HAUSNUMERO + 1000);
}

const char *sift_err_name(int rc)
{
    switch (rc) {
    case SIFT_OK:
        return "OK";
    case SIFT_DROP:
        return "DROP";
#define SIFT_ERR_NAME_CASE_(name, value, text)                                                     \
    case (value):                                                                                  \
        return #name;
        SIFT_ERRNO_MAP(SIFT_ERR_NAME_CASE_)
#undef SIFT_ERR_NAME_CASE_
    default:
        break;
    }
    const char *name = is_errno(rc) ? errno_name_of(-rc) : NULL;
    return name ? name : "E?";
}

const char *sift_strerror(int rc)
{
    switch (rc) {
    case SIFT_OK:
        return "success";
    case SIFT_DROP:
        return "document dropped";
#define SIFT_ERR_TEXT_CASE_(name, value, text)                                                     \
    case (value):                                                                                  \
        return text;
        SIFT_ERRNO_MAP(SIFT_ERR_TEXT_CASE_)
#undef SIFT_ERR_TEXT_CASE_
    default:
        break;
    }
    /* zmq_strerror() is strerror() plus ZeroMQ's range above ZMQ_HAUSNUMERO. */
    return is_errno(rc) ? zmq_strerror(-rc) : "unknown error";
}

int sift_err_set(sift_err *err, int rc, const char *fmt, ...)
{
    if (!err)
        return rc;
    /* Format into a scratch buffer first: callers may pass err->msg itself
     * as an argument ("%s: ...", err->msg). */
    char tmp[SIFT_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    memcpy(err->msg, tmp, sizeof(tmp));
    return rc;
}

void sift_err_prefix(sift_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char tmp[SIFT_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1;
    /* Then ": " and the old text, as much of both as fits. */
    const char *parts[2] = {err->msg[0] ? ": " : "", err->msg};
    for (int i = 0; i < 2; i++) {
        size_t k = strlen(parts[i]);
        if (k > sizeof(tmp) - 1 - len)
            k = sizeof(tmp) - 1 - len;
        memcpy(tmp + len, parts[i], k);
        len += k;
    }
    tmp[len] = '\0';
    memcpy(err->msg, tmp, len + 1);
}
