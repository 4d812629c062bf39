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
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Read all of f into a malloc'd buffer. */
static int slurp(FILE *f, char **out, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return SIFT_ENOMEM;
    for (;;) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (ferror(f)) {
            free(buf);
            return -errno;
        }
        if (feof(f))
            break;
        char *bigger = n + 1 >= cap ? realloc(buf, cap *= 2) : buf;
        if (!bigger) {
            free(buf);
            return SIFT_ENOMEM;
        }
        buf = bigger;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
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

static int jsonl_stream(FILE *f, const char *name, const input_opts *o)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int errors = 0, rc = 0;
    for (long lineno = 1; rc >= 0 && (n = getline(&line, &cap, f)) >= 0; lineno++) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        char where[PATH_MAX + 32];
        snprintf(where, sizeof where, "%s:%ld", name, lineno);
        sift_err err = {{0}};
        sift_doc *d = NULL;
        if (sift_json_decode_input(line, (size_t)n, &d, &err) < 0) {
            o->on_error(o->ctx, where, err.msg);
            errors++;
        } else if (o->max_bytes && d->text_len > o->max_bytes) {
            snprintf(err.msg, sizeof err.msg, "text is %zu bytes, limit %zu", d->text_len, o->max_bytes);
            o->on_error(o->ctx, where, err.msg);
            sift_doc_destroy(&d);
            errors++;
        } else {
            rc = deliver(o, d);
        }
    }
    free(line);
    return rc < 0 ? rc : errors;
}

static int read_file(const char *path, const input_opts *o)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        o->on_error(o->ctx, path, strerror(errno));
        return 1;
    }
    int rc;
    if (ends_with(path, ".jsonl")) {
        rc = jsonl_stream(f, path, o);
    } else {
        char *buf;
        size_t len;
        rc = slurp(f, &buf, &len);
        if (rc < 0) {
            o->on_error(o->ctx, path, sift_strerror(rc));
            rc = 1;
        } else {
            const char *base = strrchr(path, '/');
            rc = text_doc(base ? base + 1 : path, buf, len, o);
            free(buf);
        }
    }
    fclose(f);
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

static int read_stdin(const input_opts *o)
{
    int c;
    while ((c = getchar()) != EOF && (c == ' ' || c == '\n' || c == '\t' || c == '\r'))
        ;
    if (c == EOF)
        return 0;
    ungetc(c, stdin);
    if (c == '{')
        return jsonl_stream(stdin, "stdin", o);
    char *buf;
    size_t len;
    int rc = slurp(stdin, &buf, &len);
    if (rc < 0) {
        o->on_error(o->ctx, "stdin", sift_strerror(rc));
        return 1;
    }
    rc = text_doc("stdin", buf, len, o);
    free(buf);
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
