/* config_snapshot.c - a config file's text frozen for the processes siftd starts.
 *
 * siftd's workers load the config themselves. Had each read the file, a
 * worker restarted after an edit that was not yet reloaded (no SIGHUP)
 * would run the edited config beside a broker still on the old one. So the
 * broker copies the file once per (re)load into an unlinked temporary file
 * and parses that copy; workers get the descriptor (inherited across
 * exec) and parse the very same bytes. pread keeps readers from sharing a
 * file offset.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#define SNAPSHOT_MAX (16 * 1024 * 1024) /* a config this large is a mistake */

/* The whole of fd from offset 0, NUL-terminated. Caller frees. */
static char *read_fd(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size < 0 || st.st_size > SNAPSHOT_MAX)
        return NULL;
    size_t n = (size_t)st.st_size, got = 0;
    char *text = malloc(n + 1);
    while (text && got < n) {
        ssize_t k = pread(fd, text + got, n - got, (off_t)got);
        if (k <= 0) {
            free(text);
            return NULL;
        }
        got += (size_t)k;
    }
    if (text)
        text[n] = '\0';
    *len = n;
    return text;
}

int sift_config_snapshot(const char *file, int *fd, sift_diag *diag)
{
    *fd = -1;
    FILE *in = fopen(file, "rb"), *out = in ? tmpfile() : NULL;
    char buf[8192];
    size_t n, total = 0;
    int rc = 0;
    if (!in) {
        sift_diag_add(diag, "%s: cannot open: %s", file, strerror(errno));
        return SIFT_ENOENT;
    }
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0 && total <= SNAPSHOT_MAX) {
        total += n;
        if (fwrite(buf, 1, n, out) != n)
            break;
    }
    if (!out || ferror(in) || ferror(out) || fflush(out) != 0 || total > SNAPSHOT_MAX ||
        (*fd = dup(fileno(out))) < 0) {
        sift_diag_add(diag, "%s: cannot copy it for the workers: %s", file,
                      total > SNAPSHOT_MAX ? "larger than 16 MiB" : strerror(errno));
        rc = SIFT_EINVAL;
    }
    fclose(in);
    if (out)
        fclose(out); /* the dup keeps the unlinked file alive */
    return rc;
}

int sift_config_load_fd(sift_config **out, int fd, const char *name, sift_diag *diag)
{
    size_t len = 0;
    char *text = read_fd(fd, &len);
    *out = NULL;
    if (!text) {
        sift_diag_add(diag, "%s: cannot read its snapshot (fd %d): %s", name, fd, strerror(errno));
        return SIFT_ENOENT;
    }
    int rc = strlen(text) == len ? sift_config_load_string(out, text, name, diag) : SIFT_EINVAL;
    if (strlen(text) != len)
        sift_diag_add(diag, "%s: holds a NUL byte", name);
    free(text);
    return rc;
}
