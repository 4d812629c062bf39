/* diag.c - collect validation problems so a check reports all of them.
 *
 * Config and option validation call sift_diag_add once per problem; the
 * collector keeps the first text (for callers that stop there) and hands
 * each one to an optional report callback (`sift check` prints them all).
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

void sift_diag_add(sift_diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    char msg[SIFT_ERR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (d->n++ == 0)
        snprintf(d->first.msg, sizeof d->first.msg, "%s", msg);
    if (d->report)
        d->report(d->ctx, msg);
}
