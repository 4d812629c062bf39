/* value.c - the typed value tree behind document fields and stage options.
 *
 * Owns the memory of every value: strings are NUL-terminated copies, lists
 * and maps are arrays grown by doubling, maps keep insertion order and are
 * searched linearly (documents carry tens of fields). Setters validate
 * before they touch the old value, so a failed set leaves it as it was.
 * Encoding lives in codec.c and json.c, option validation in options.c.
 * SPDX-License-Identifier: MIT
 */
#include "value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---------------------------------------------------------------- UTF-8 */

/* Length of the run of ASCII bytes other than NUL at the start of s: eight
 * bytes a step while no byte has its high bit set or is zero. */
static size_t ascii_prefix(const unsigned char *s, size_t len)
{
    const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
    size_t i = 0;
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof(w));
        if ((w & high) || ((w - ones) & ~w & high))
            break;
        i += 8;
    }
    while (i < len && s[i] != 0 && s[i] < 0x80)
        i++;
    return i;
}

int sift_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        i += ascii_prefix(p + i, len - i);
        if (i == len)
            return 1;
        if (p[i] == 0)
            return 0;
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

/* ---------------------------------------------------------------- lifecycle */

void sift_value_init(sift_value *v)
{
    memset(v, 0, sizeof(*v));
    v->type = SIFT_T_NIL;
}

void sift_value_fini(sift_value *v)
{
    if (!v)
        return;
    switch (v->type) {
    case SIFT_T_STR:
        free(v->u.s.p);
        break;
    case SIFT_T_LIST:
        for (size_t i = 0; i < v->u.list.n; i++)
            sift_value_fini(&v->u.list.items[i]);
        free(v->u.list.items);
        break;
    case SIFT_T_MAP:
        for (size_t i = 0; i < v->u.map.n; i++) {
            free(v->u.map.items[i].key);
            sift_value_fini(&v->u.map.items[i].val);
        }
        free(v->u.map.items);
        break;
    default:
        break;
    }
    sift_value_init(v);
}

int sift_value_new(sift_value **out, sift_type type)
{
    *out = NULL;
    if (type != SIFT_T_NIL && type != SIFT_T_LIST && type != SIFT_T_MAP)
        return SIFT_EINVAL;
    sift_value *v = malloc(sizeof(*v));
    if (!v)
        return SIFT_ENOMEM;
    sift_value_init(v);
    v->type = type;
    *out = v;
    return 0;
}

void sift_value_destroy(sift_value **pp)
{
    if (!pp || !*pp)
        return;
    sift_value_fini(*pp);
    free(*pp);
    *pp = NULL;
}

char *sift_value_bytes_dup(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* Deep copy src into dst, which is nil on entry; on failure dst is nil. */
static int copy_into(sift_value *dst, const sift_value *src)
{
    size_t n = sift_value_len(src);
    int rc = 0;
    if (src->type == SIFT_T_STR)
        return sift_value_set_str_unchecked(dst, src->u.s.p, src->u.s.len);
    if (src->type != SIFT_T_LIST && src->type != SIFT_T_MAP) {
        *dst = *src;
        return 0;
    }
    if (src->type == SIFT_T_LIST)
        sift_value_set_list(dst);
    else
        sift_value_set_map(dst);
    for (size_t i = 0; i < n && rc == 0; i++) {
        sift_value *slot;
        if (src->type == SIFT_T_LIST) {
            rc = sift_value_list_push(dst, &slot);
            if (rc == 0)
                rc = copy_into(slot, &src->u.list.items[i]);
        } else {
            rc = sift_value_map_put(dst, src->u.map.items[i].key, &slot);
            if (rc == 0)
                rc = copy_into(slot, &src->u.map.items[i].val);
        }
    }
    if (rc < 0)
        sift_value_fini(dst);
    return rc;
}

int sift_value_copy(sift_value *dst, const sift_value *src)
{
    /* Copy aside first, so src may live inside dst. */
    sift_value tmp;
    sift_value_init(&tmp);
    int rc = copy_into(&tmp, src);
    if (rc < 0)
        return rc;
    sift_value_fini(dst);
    *dst = tmp;
    return 0;
}

/* ---------------------------------------------------------------- setters */

void sift_value_set_bool(sift_value *v, int b)
{
    sift_value_fini(v);
    v->type = SIFT_T_BOOL;
    v->u.b = b ? 1 : 0;
}

void sift_value_set_int(sift_value *v, int64_t i)
{
    sift_value_fini(v);
    v->type = SIFT_T_INT;
    v->u.i = i;
}

int sift_value_set_double(sift_value *v, double d)
{
    if (!isfinite(d))
        return SIFT_EINVAL;
    sift_value_fini(v);
    v->type = SIFT_T_DOUBLE;
    v->u.d = d;
    return 0;
}

int sift_value_set_str(sift_value *v, const char *s, size_t len)
{
    if (!sift_utf8_valid(s, len))
        return SIFT_EUTF8;
    return sift_value_set_str_unchecked(v, s, len);
}

int sift_value_set_str_unchecked(sift_value *v, const char *s, size_t len)
{
    char *p = sift_value_bytes_dup(s, len); /* before fini: s may point into v */
    if (!p)
        return SIFT_ENOMEM;
    sift_value_fini(v);
    v->type = SIFT_T_STR;
    v->u.s.p = p;
    v->u.s.len = len;
    return 0;
}

void sift_value_set_list(sift_value *v)
{
    sift_value_fini(v);
    v->type = SIFT_T_LIST;
}

void sift_value_set_map(sift_value *v)
{
    sift_value_fini(v);
    v->type = SIFT_T_MAP;
}

/* ---------------------------------------------------------------- getters */

int sift_value_get_bool(const sift_value *v, int *out)
{
    if (!v || v->type != SIFT_T_BOOL)
        return SIFT_ETYPE;
    *out = v->u.b;
    return 0;
}

int sift_value_get_int(const sift_value *v, int64_t *out)
{
    if (!v || v->type != SIFT_T_INT)
        return SIFT_ETYPE;
    *out = v->u.i;
    return 0;
}

int sift_value_get_double(const sift_value *v, double *out)
{
    if (v && v->type == SIFT_T_DOUBLE) {
        *out = v->u.d;
        return 0;
    }
    if (v && v->type == SIFT_T_INT) {
        *out = (double)v->u.i;
        return 0;
    }
    return SIFT_ETYPE;
}

int sift_value_get_str(const sift_value *v, const char **s, size_t *len)
{
    if (!v || v->type != SIFT_T_STR)
        return SIFT_ETYPE;
    *s = v->u.s.p;
    if (len)
        *len = v->u.s.len;
    return 0;
}

size_t sift_value_len(const sift_value *v)
{
    if (v && v->type == SIFT_T_LIST)
        return v->u.list.n;
    if (v && v->type == SIFT_T_MAP)
        return v->u.map.n;
    return 0;
}

/* ---------------------------------------------------------------- containers */

/* Make room for one more element of size elem in *items (n used, *cap
 * allocated), up to SIFT_VALUE_MAX_ITEMS. */
static int grow(void **items, size_t n, size_t *cap, size_t elem)
{
    if (n >= SIFT_VALUE_MAX_ITEMS)
        return SIFT_ERANGE;
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 4;
    if (ncap > SIFT_VALUE_MAX_ITEMS)
        ncap = SIFT_VALUE_MAX_ITEMS;
    void *p = realloc(*items, ncap * elem);
    if (!p)
        return SIFT_ENOMEM;
    *items = p;
    *cap = ncap;
    return 0;
}

static sift_kv *map_find(const sift_value *map, const char *key, size_t key_len)
{
    for (size_t i = 0; i < map->u.map.n; i++) {
        sift_kv *kv = &map->u.map.items[i];
        if (kv->key_len == key_len && memcmp(kv->key, key, key_len) == 0)
            return kv;
    }
    return NULL;
}

int sift_value_map_put_n(sift_value *map, const char *key, size_t key_len, sift_value **slot)
{
    if (!map || map->type != SIFT_T_MAP)
        return SIFT_ETYPE;
    if (key_len == 0)
        return SIFT_EINVAL;
    if (key_len > SIFT_VALUE_MAX_KEY)
        return SIFT_ERANGE;
    if (!sift_utf8_valid(key, key_len))
        return SIFT_EUTF8;
    sift_kv *kv = map_find(map, key, key_len);
    if (kv) {
        sift_value_fini(&kv->val);
        *slot = &kv->val;
        return 0;
    }
    int rc = grow((void **)&map->u.map.items, map->u.map.n, &map->u.map.cap, sizeof(sift_kv));
    if (rc < 0)
        return rc;
    char *k = sift_value_bytes_dup(key, key_len);
    if (!k)
        return SIFT_ENOMEM;
    kv = &map->u.map.items[map->u.map.n++];
    kv->key = k;
    kv->key_len = key_len;
    sift_value_init(&kv->val);
    *slot = &kv->val;
    return 0;
}

int sift_value_map_put(sift_value *map, const char *key, sift_value **slot)
{
    return sift_value_map_put_n(map, key, strlen(key), slot);
}

int sift_value_map_del(sift_value *map, const char *key)
{
    if (!map || map->type != SIFT_T_MAP)
        return SIFT_ETYPE;
    sift_kv *kv = map_find(map, key, strlen(key));
    if (!kv)
        return SIFT_ENOENT;
    free(kv->key);
    sift_value_fini(&kv->val);
    size_t i = (size_t)(kv - map->u.map.items);
    memmove(kv, kv + 1, (map->u.map.n - i - 1) * sizeof(*kv));
    map->u.map.n--;
    return 0;
}

sift_value *sift_value_map_get(const sift_value *map, const char *key)
{
    if (!map || map->type != SIFT_T_MAP)
        return NULL;
    sift_kv *kv = map_find(map, key, strlen(key));
    return kv ? &kv->val : NULL;
}

int sift_value_map_at(const sift_value *map, size_t i, const char **key, const sift_value **out)
{
    if (!map || map->type != SIFT_T_MAP)
        return SIFT_ETYPE;
    if (i >= map->u.map.n)
        return SIFT_ERANGE;
    if (key)
        *key = map->u.map.items[i].key;
    if (out)
        *out = &map->u.map.items[i].val;
    return 0;
}

int sift_value_list_push(sift_value *list, sift_value **slot)
{
    if (!list || list->type != SIFT_T_LIST)
        return SIFT_ETYPE;
    int rc = grow((void **)&list->u.list.items, list->u.list.n, &list->u.list.cap,
                  sizeof(sift_value));
    if (rc < 0)
        return rc;
    sift_value *v = &list->u.list.items[list->u.list.n++];
    sift_value_init(v);
    *slot = v;
    return 0;
}

int sift_value_list_at(const sift_value *list, size_t i, const sift_value **out)
{
    if (!list || list->type != SIFT_T_LIST)
        return SIFT_ETYPE;
    if (i >= list->u.list.n)
        return SIFT_ERANGE;
    *out = &list->u.list.items[i];
    return 0;
}

/* ---------------------------------------------------------------- convenience */

int sift_value_map_set_str(sift_value *map, const char *key, const char *s, size_t len)
{
    if (!sift_utf8_valid(s, len))
        return SIFT_EUTF8;
    char *p = sift_value_bytes_dup(s, len); /* s may point into the value being replaced */
    if (!p)
        return SIFT_ENOMEM;
    sift_value *slot;
    int rc = sift_value_map_put(map, key, &slot);
    if (rc < 0) {
        free(p);
        return rc;
    }
    slot->type = SIFT_T_STR;
    slot->u.s.p = p;
    slot->u.s.len = len;
    return 0;
}

int sift_value_map_set_int(sift_value *map, const char *key, int64_t i)
{
    sift_value *slot;
    int rc = sift_value_map_put(map, key, &slot);
    if (rc == 0)
        sift_value_set_int(slot, i);
    return rc;
}

int sift_value_map_set_double(sift_value *map, const char *key, double d)
{
    if (!isfinite(d))
        return SIFT_EINVAL;
    sift_value *slot;
    int rc = sift_value_map_put(map, key, &slot);
    if (rc == 0)
        rc = sift_value_set_double(slot, d);
    return rc;
}

int sift_value_depth(const sift_value *v)
{
    int max = 0;
    if (!v)
        return 0;
    if (v->type == SIFT_T_LIST) {
        for (size_t i = 0; i < v->u.list.n; i++) {
            int d = sift_value_depth(&v->u.list.items[i]);
            max = d > max ? d : max;
        }
        return max + 1;
    }
    if (v->type == SIFT_T_MAP) {
        for (size_t i = 0; i < v->u.map.n; i++) {
            int d = sift_value_depth(&v->u.map.items[i].val);
            max = d > max ? d : max;
        }
        return max + 1;
    }
    return 0;
}
