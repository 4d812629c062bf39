/* input.c - turn `sift run` / `sift push` PATH arguments into documents.
 *
 * Reads files, directories, JSONL and standard input as input.h describes
 * and hands each document to a callback. Parsing of a JSONL line is json.c's;
 * this file only walks paths and lines.
 * SPDX-License-Identifier: MIT
 */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int deliver(const input_opts *o, sift_doc *d)
{
    int rc = o->on_doc(o->ctx, &d);
    sift_doc_destroy(&d);
    return rc;
}

static int text_doc(const char *id, const char *buf, size_t len, const input_opts *o)
{
    sift_err err = {{0}};
    sift_doc *d = NULL;
    char msg[SIFT_ERR_MAX + 64];
    if (o->max_bytes && len > o->max_bytes) {
        snprintf(msg, sizeof msg, "document is %zu bytes, limit %zu", len, o->max_bytes);
        o->on_error(o->ctx, id, msg);
        return 1;
    }
    const char *src = o->source ? o->source : "";
    if (sift_doc_new(&d, id, strlen(id), src, strlen(src), buf, len, &err) < 0) {
        o->on_error(o->ctx, id, err.msg);
        return 1;
    }
    return deliver(o, d);
}

/* Lines of a file descriptor, read in large blocks with read(2) (which,
 * unlike fread, returns what a pipe has instead of waiting for a full
 * block) and handed out in place: a line is neither copied nor scanned
 * more than once to find its end. */
typedef struct line_reader {
    int fd;
    char *buf;
    size_t cap, start, end; /* unread bytes are buf[start..end) */
    int is_eof;
} line_reader;

#define LINE_READ_BLOCK (1u << 17) /* the buffer's first size, doubled while a line does not fit */

/* Read more bytes after end, first making room: move the unread bytes to
 * the front, and double the buffer when they fill it. */
static int fill(line_reader *lr)
{
    if (lr->end == lr->cap && lr->start > 0) {
        memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
        lr->end -= lr->start;
        lr->start = 0;
    }
    if (lr->end == lr->cap) {
        size_t cap = lr->cap ? lr->cap * 2 : LINE_READ_BLOCK;
        char *p = realloc(lr->buf, cap);
        if (!p)
            return SIFT_ENOMEM;
        lr->buf = p;
        lr->cap = cap;
    }
    ssize_t n;
    do
        n = read(lr->fd, lr->buf + lr->end, lr->cap - lr->end);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    lr->end += (size_t)n;
    lr->is_eof = n == 0;
    return 0;
}

/* The next line without its '\n': 1 with *line and *len set, 0 at the end
 * of the input, or a negative code. *line stays valid until the next call. */
static int next_line(line_reader *lr, char **line, size_t *len)
{
    size_t seen = 0; /* bytes after start known to hold no '\n' */
    for (;;) {
        size_t avail = lr->end - lr->start;
        char *nl = avail > seen ? memchr(lr->buf + lr->start + seen, '\n', avail - seen) : NULL;
        if (nl || (lr->is_eof && avail > 0)) {
            *line = lr->buf + lr->start;
            *len = nl ? (size_t)(nl - *line) : avail;
            lr->start += *len + (nl != NULL);
            return 1;
        }
        if (lr->is_eof)
            return 0;
        seen = avail;
        int rc = fill(lr);
        if (rc < 0)
            return rc;
    }
}

/* One document per non-blank line of lr, numbered from 1. */
static int jsonl_stream(line_reader *lr, const char *name, const input_opts *o)
{
    char *line = NULL;
    size_t n = 0;
    int errors = 0, rc = 0, got = 0;
    long lineno = 0;
    while (rc >= 0 && (got = next_line(lr, &line, &n)) > 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0)
            continue;
        char where[PATH_MAX + 32];
        sift_err err = {{0}};
        sift_doc *d = NULL;
        if (sift_json_decode_input(line, n, &d, &err) < 0) {
            snprintf(where, sizeof where, "%s:%ld", name, lineno);
            o->on_error(o->ctx, where, err.msg);
            errors++;
        } else if (o->max_bytes && d->text_len > o->max_bytes) {
            snprintf(where, sizeof where, "%s:%ld", name, lineno);
            snprintf(err.msg, sizeof err.msg, "text is %zu bytes, limit %zu", d->text_len, o->max_bytes);
            o->on_error(o->ctx, where, err.msg);
            sift_doc_destroy(&d);
            errors++;
        } else {
            rc = deliver(o, d);
        }
    }
    if (rc >= 0 && got < 0) {
        o->on_error(o->ctx, name, sift_strerror(got));
        errors++;
    }
    return rc < 0 ? rc : errors;
}

static int is_blank(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

/* Read until lr holds a non-blank byte or the input ends. */
static int skip_blanks(line_reader *lr)
{
    for (;;) {
        while (lr->start < lr->end && is_blank(lr->buf[lr->start]))
            lr->start++;
        if (lr->start < lr->end || lr->is_eof)
            return 0;
        int rc = fill(lr);
        if (rc < 0)
            return rc;
    }
}

static int read_rest(line_reader *lr)
{
    int rc = 0;
    while (rc == 0 && !lr->is_eof)
        rc = fill(lr);
    return rc;
}

static int read_file(const char *path, const input_opts *o)
{
    line_reader lr = {.fd = open(path, O_RDONLY | O_CLOEXEC)};
    if (lr.fd < 0) {
        o->on_error(o->ctx, path, strerror(errno));
        return 1;
    }
    int rc;
    if (ends_with(path, ".jsonl")) {
        rc = jsonl_stream(&lr, path, o);
    } else if ((rc = read_rest(&lr)) < 0) {
        o->on_error(o->ctx, path, sift_strerror(rc));
        rc = 1;
    } else {
        const char *base = strrchr(path, '/');
        rc = text_doc(base ? base + 1 : path, lr.buf, lr.end, o);
    }
    free(lr.buf);
    close(lr.fd);
    return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_entry(const struct dirent *e) { return e->d_name[0] != '.'; }

static int read_dir(const char *path, const input_opts *o)
{
    struct dirent **list;
    int n = scandir(path, &list, skip_entry, by_name);
    if (n < 0) {
        o->on_error(o->ctx, path, strerror(errno));
        return 1;
    }
    int rc = 0, errors = 0;
    for (int i = 0; i < n; i++) {
        char file[PATH_MAX];
        struct stat st;
        snprintf(file, sizeof file, "%s/%s", path, list[i]->d_name);
        if (rc >= 0 && stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
            rc = read_file(file, o);
            if (rc > 0)
                errors += rc;
        }
        free(list[i]);
    }
    free(list);
    return rc < 0 ? rc : errors;
}

/* Standard input, read only with read(2), never through stdio: JSONL when
 * its first non-blank byte is '{' (lines numbered from that byte's line),
 * else one text document from that byte on. */
static int read_stdin(const input_opts *o)
{
    line_reader lr = {.fd = STDIN_FILENO};
    int rc = 0, got = skip_blanks(&lr);
    if (got == 0 && lr.start < lr.end && lr.buf[lr.start] == '{')
        rc = jsonl_stream(&lr, "stdin", o);
    else if (got == 0 && lr.start < lr.end && (got = read_rest(&lr)) == 0)
        rc = text_doc("stdin", lr.buf + lr.start, lr.end - lr.start, o);
    if (got < 0) {
        o->on_error(o->ctx, "stdin", sift_strerror(got));
        rc = 1;
    }
    free(lr.buf);
    return rc;
}

int input_read(const char *path, const input_opts *o)
{
    if (strcmp(path, "-") == 0)
        return read_stdin(o);
    struct stat st;
    if (stat(path, &st) != 0) {
        o->on_error(o->ctx, path, strerror(errno));
        return 1;
    }
    return S_ISDIR(st.st_mode) ? read_dir(path, o) : read_file(path, o);
}

/* Non-blank lines of a .jsonl file (what jsonl_stream would read). */
static long count_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1; /* read_file will report it */
    long n = 0;
    int c, is_blank = 1;
    while ((c = getc(f)) != EOF) {
        if (c == '\n') {
            n += !is_blank;
            is_blank = 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            is_blank = 0;
        }
    }
    fclose(f);
    return n + !is_blank;
}

static long count_file(const char *path)
{
    return ends_with(path, ".jsonl") ? count_lines(path) : 1;
}

long input_count(const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return count_file(path);
    struct dirent **list;
    int n = scandir(path, &list, skip_entry, by_name);
    if (n < 0)
        return -1;
    long total = 0;
    for (int i = 0; i < n; i++) {
        char file[PATH_MAX];
        snprintf(file, sizeof file, "%s/%s", path, list[i]->d_name);
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
            total += count_file(file);
        free(list[i]);
    }
    free(list);
    return total;
}
