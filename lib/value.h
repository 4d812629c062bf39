/* value.h - the typed value tree behind document fields and stage options.
 *
 * A sift_value is nil, bool, int64, double, UTF-8 string, list or map (keys
 * unique, insertion order kept). The SDK sees it through host-table
 * functions (host.c); lib/ code uses these functions directly. Maps are
 * small arrays searched linearly: documents carry tens of fields, not
 * thousands. This file does not encode (codec.c, json.c) or validate
 * options (options.c).
 *
 * Ownership: a container owns its children; a value handed out by
 * sift_value_map_put or sift_value_list_push is borrowed until the
 * container changes shape or is destroyed.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_VALUE_H
#define SIFT_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <sift/plugin.h>

/* Limits that keep a hostile plugin or message from growing a document
 * without bound. Parenthesised; bytes and counts. */
#define SIFT_VALUE_MAX_DEPTH (32)        /* nesting of lists and maps */
#define SIFT_VALUE_MAX_ITEMS (1u << 20)  /* entries in one list or map */
#define SIFT_VALUE_MAX_KEY (256)         /* bytes in one map key */

typedef struct sift_kv sift_kv;

struct sift_value {
    /* private: use the functions below */
    sift_type type;
    union {
        int b;
        int64_t i;
        double d;
        struct { char *p; size_t len; } s;          /* NUL-terminated copy */
        struct { sift_value *items; size_t n, cap; } list;
        struct { sift_kv *items; size_t n, cap; } map;
    } u;
};

struct sift_kv {
    char *key;      /* owned, NUL-terminated */
    size_t key_len; /* strlen(key): lookups compare lengths before bytes */
    sift_value val;
};

/* Initialise caller storage as nil / release what v owns (v becomes nil). */
void sift_value_init(sift_value *v);
void sift_value_fini(sift_value *v);

/* Heap value: caller owns; free with sift_value_destroy(). */
int sift_value_new(sift_value **out, sift_type type); /* SIFT_T_MAP or SIFT_T_LIST or NIL */
void sift_value_destroy(sift_value **pp);

/* Deep copy src into dst (dst is finied first). */
int sift_value_copy(sift_value *dst, const sift_value *src);

/* Setters: fini v, then give it the new value. str: copied; returns
 * SIFT_EUTF8 on invalid UTF-8 or an embedded NUL. double: SIFT_EINVAL if
 * not finite. */
void sift_value_set_bool(sift_value *v, int b);
void sift_value_set_int(sift_value *v, int64_t i);
int sift_value_set_double(sift_value *v, double d);
int sift_value_set_str(sift_value *v, const char *s, size_t len);
/* Like set_str but without the UTF-8 check: for bytes already checked. */
int sift_value_set_str_unchecked(sift_value *v, const char *s, size_t len);
void sift_value_set_list(sift_value *v);
void sift_value_set_map(sift_value *v);

/* Getters: SIFT_ETYPE on another type; an int reads as double too. */
int sift_value_get_bool(const sift_value *v, int *out);
int sift_value_get_int(const sift_value *v, int64_t *out);
int sift_value_get_double(const sift_value *v, double *out);
int sift_value_get_str(const sift_value *v, const char **s, size_t *len);
size_t sift_value_len(const sift_value *v);

/* Containers. map_put replaces an existing key's value with nil (keeping
 * its position) or appends; key copied; SIFT_ERANGE past the limits. */
int sift_value_map_put(sift_value *map, const char *key, sift_value **slot);
int sift_value_map_put_n(sift_value *map, const char *key, size_t key_len, sift_value **slot);
int sift_value_map_del(sift_value *map, const char *key);
sift_value *sift_value_map_get(const sift_value *map, const char *key); /* NULL = absent */
int sift_value_map_at(const sift_value *map, size_t i, const char **key, const sift_value **out);
int sift_value_list_push(sift_value *list, sift_value **slot);
int sift_value_list_at(const sift_value *list, size_t i, const sift_value **out);

/* Convenience for lib/ callers: map_put then set. */
int sift_value_map_set_str(sift_value *map, const char *key, const char *s, size_t len);
int sift_value_map_set_int(sift_value *map, const char *key, int64_t i);
int sift_value_map_set_double(sift_value *map, const char *key, double d);

/* Depth of nesting (0 for a scalar). */
int sift_value_depth(const sift_value *v);

/* A NUL-terminated copy of s[0..len), which may hold NULs. Caller owns the
 * result; free(). NULL when out of memory. */
char *sift_value_bytes_dup(const char *s, size_t len);

/* 1 if s[0..len) is valid UTF-8 with no NUL byte. */
int sift_utf8_valid(const char *s, size_t len);

#endif
