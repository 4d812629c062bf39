/* codec.c - a document to and from its msgpack form (the wire and spool format).
 *
 * Owns the msgpack schema of a document (docs/output.md names the keys) and
 * the decoder's defences. Decoding is where untrusted bytes enter sift, so
 * it runs in two passes: precheck() walks the raw headers and proves the
 * structure fits the buffer and the depth limit, then msgpack-c unpacks it
 * and the dec_* functions check every key's type. Sockets, the spool and
 * the JSON form live elsewhere (broker, spool.c, json.c).
 * SPDX-License-Identifier: MIT
 */
#include "codec.h"

#include <math.h>
#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#define ENCODE_SLACK (2048) /* bytes of id, fields, scores, trace beside the text, first guess */
/* The zone's first chunk: small enough for malloc's thread cache, enough
 * for the objects of a typical document (about 24 bytes each). */
#define ZONE_CHUNK (960)

/* msgpack-c's unpacker holds at most this many open containers. */
#ifndef MSGPACK_EMBED_STACK_SIZE
#define MSGPACK_EMBED_STACK_SIZE 32
#endif
#define SIFT_CODEC_DEPTH_CAP (MSGPACK_EMBED_STACK_SIZE)

/* ================================================================ encode */

/* Pack v, a container at nesting depth (the document map is 1). */
static int pack_value(msgpack_packer *pk, const sift_value *v, int depth)
{
    const char *key;
    const sift_value *item;
    size_t n = sift_value_len(v);
    int rc = 0;
    switch (v->type) {
    case SIFT_T_NIL:
        return msgpack_pack_nil(pk) ? SIFT_ENOMEM : 0;
    case SIFT_T_BOOL:
        return (v->u.b ? msgpack_pack_true(pk) : msgpack_pack_false(pk)) ? SIFT_ENOMEM : 0;
    case SIFT_T_INT:
        return msgpack_pack_int64(pk, v->u.i) ? SIFT_ENOMEM : 0;
    case SIFT_T_DOUBLE:
        return msgpack_pack_double(pk, v->u.d) ? SIFT_ENOMEM : 0;
    case SIFT_T_STR:
        return msgpack_pack_str_with_body(pk, v->u.s.p, v->u.s.len) ? SIFT_ENOMEM : 0;
    case SIFT_T_LIST:
    case SIFT_T_MAP:
        break;
    }
    if (depth > SIFT_CODEC_DEPTH_CAP)
        return SIFT_ERANGE; /* the decoder would refuse it */
    if (v->type == SIFT_T_LIST ? msgpack_pack_array(pk, n) : msgpack_pack_map(pk, n))
        return SIFT_ENOMEM;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (v->type == SIFT_T_LIST) {
            sift_value_list_at(v, i, &item);
        } else {
            sift_value_map_at(v, i, &key, &item);
            rc = msgpack_pack_str_with_body(pk, key, strlen(key)) ? SIFT_ENOMEM : 0;
        }
        if (rc == 0)
            rc = pack_value(pk, item, depth + 1);
    }
    return rc;
}

static int pack_cstr(msgpack_packer *pk, const char *s)
{
    return msgpack_pack_str_with_body(pk, s, strlen(s));
}

static int pack_status(msgpack_packer *pk, const sift_doc *d)
{
    int e = msgpack_pack_map(pk, d->state == SIFT_DOC_OK ? 1 : 3);
    e |= pack_cstr(pk, "state") | pack_cstr(pk, sift_doc_state_name(d->state));
    if (d->state != SIFT_DOC_OK) {
        e |= pack_cstr(pk, "stage") | pack_cstr(pk, d->status_stage ? d->status_stage : "");
        e |= pack_cstr(pk, d->state == SIFT_DOC_DROPPED ? "reason" : "error");
        e |= pack_cstr(pk, d->status_text ? d->status_text : "");
    }
    return e;
}

static int pack_trace(msgpack_packer *pk, const sift_doc *d)
{
    int e = msgpack_pack_array(pk, d->n_trace);
    for (size_t i = 0; i < d->n_trace; i++) {
        const sift_trace *t = &d->trace[i];
        e |= msgpack_pack_map(pk, 3);
        e |= pack_cstr(pk, "stage") | pack_cstr(pk, t->stage);
        e |= pack_cstr(pk, "us") | msgpack_pack_int64(pk, t->us);
        e |= pack_cstr(pk, "version") | pack_cstr(pk, t->version);
    }
    return e;
}

/* The document map; text goes as str when it is UTF-8, else as bin, so
 * consumers that decode str strictly (python msgpack) accept every message. */
static int pack_doc(msgpack_packer *pk, const sift_doc *d)
{
    int e = msgpack_pack_map(pk, 8);
    e |= pack_cstr(pk, "id") | msgpack_pack_str_with_body(pk, d->id, d->id_len);
    e |= pack_cstr(pk, "source") | msgpack_pack_str_with_body(pk, d->source, d->source_len);
    e |= pack_cstr(pk, "text");
    if (sift_utf8_valid(d->text, d->text_len))
        e |= msgpack_pack_str_with_body(pk, d->text, d->text_len);
    else
        e |= msgpack_pack_bin_with_body(pk, d->text, d->text_len);
    e |= pack_cstr(pk, "fields");
    if (e)
        return SIFT_ENOMEM;
    int rc = pack_value(pk, &d->fields, 2);
    if (rc < 0)
        return rc;
    e |= pack_cstr(pk, "scores");
    e |= msgpack_pack_map(pk, sift_value_len(&d->scores));
    for (size_t i = 0; i < sift_value_len(&d->scores); i++) {
        const char *key;
        const sift_value *v;
        double x = 0;
        sift_value_map_at(&d->scores, i, &key, &v);
        sift_value_get_double(v, &x);
        e |= pack_cstr(pk, key) | msgpack_pack_double(pk, x);
    }
    e |= pack_cstr(pk, "status") | pack_status(pk, d);
    e |= pack_cstr(pk, "trace") | pack_trace(pk, d);
    e |= pack_cstr(pk, "attempt") | msgpack_pack_uint32(pk, d->attempt);
    return e ? SIFT_ENOMEM : 0;
}

int sift_codec_encode(const sift_doc *d, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (d->text_len > UINT32_MAX)
        return SIFT_ERANGE;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    /* sized for the text and a typical envelope up front: the buffer then
     * grows rarely, and never copies the text twice */
    size_t guess = d->text_len + ENCODE_SLACK;
    if ((sb.data = malloc(guess)) != NULL)
        sb.alloc = guess;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    int rc = pack_doc(&pk, d);
    if (rc < 0) {
        msgpack_sbuffer_destroy(&sb);
        return rc;
    }
    *out_len = sb.size;
    *out = msgpack_sbuffer_release(&sb);
    return 0;
}

/* ================================================================ pre-check
 *
 * Why this exists: msgpack-c trusts the headers it reads. For an array or
 * map it allocates count * sizeof(msgpack_object) from its zone before
 * looking at a single element, so a 6-byte message "map32, 4294967295
 * entries" asks for ~200 GB; a str32/bin32 header claiming gigabytes is
 * caught only when the bytes run out, and nesting past its fixed stack
 * (MSGPACK_EMBED_STACK_SIZE) is reported as "out of memory". precheck()
 * walks the headers alone, without allocating, and refuses the message
 * unless every length and count fits in the bytes that follow it, the
 * nesting stays within the limit and the document ends exactly at the end
 * of the buffer. After it passes, each object msgpack-c creates stands for
 * at least one real byte, so its allocations are bounded by a small
 * multiple of the message size. */

enum { K_SCALAR, K_BYTES, K_ARRAY, K_MAP };

typedef struct hdr {
    const char *name; /* msgpack format name, for messages */
    int kind;
    size_t size;      /* header bytes, type byte included */
    uint64_t len;     /* K_BYTES: payload bytes; K_ARRAY/K_MAP: entries */
} hdr;

/* Formats 0xc4..0xdf: name, kind, bytes of the length field (or of the
 * fixed payload for K_BYTES with lenbytes 0), bytes between length and
 * payload (ext type). */
static const struct fmt {
    const char *name;
    uint8_t kind, lenbytes, fixed, extra;
} fmts[] = {
    {"bin8", K_BYTES, 1, 0, 0},   {"bin16", K_BYTES, 2, 0, 0},    {"bin32", K_BYTES, 4, 0, 0},
    {"ext8", K_BYTES, 1, 0, 1},   {"ext16", K_BYTES, 2, 0, 1},    {"ext32", K_BYTES, 4, 0, 1},
    {"float32", K_BYTES, 0, 4, 0}, {"float64", K_BYTES, 0, 8, 0}, {"uint8", K_BYTES, 0, 1, 0},
    {"uint16", K_BYTES, 0, 2, 0}, {"uint32", K_BYTES, 0, 4, 0},   {"uint64", K_BYTES, 0, 8, 0},
    {"int8", K_BYTES, 0, 1, 0},   {"int16", K_BYTES, 0, 2, 0},    {"int32", K_BYTES, 0, 4, 0},
    {"int64", K_BYTES, 0, 8, 0},  {"fixext1", K_BYTES, 0, 2, 0},  {"fixext2", K_BYTES, 0, 3, 0},
    {"fixext4", K_BYTES, 0, 5, 0}, {"fixext8", K_BYTES, 0, 9, 0}, {"fixext16", K_BYTES, 0, 17, 0},
    {"str8", K_BYTES, 1, 0, 0},   {"str16", K_BYTES, 2, 0, 0},    {"str32", K_BYTES, 4, 0, 0},
    {"array16", K_ARRAY, 2, 0, 0}, {"array32", K_ARRAY, 4, 0, 0}, {"map16", K_MAP, 2, 0, 0},
    {"map32", K_MAP, 4, 0, 0},
};

static uint64_t read_be(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Decode the header at p (avail bytes). Returns 0, -1 when the header
 * itself is cut off, -2 for the never-used byte 0xc1. */
static int read_header(const unsigned char *p, size_t avail, hdr *h)
{
    unsigned char b = p[0];
    *h = (hdr){.name = "scalar", .kind = K_SCALAR, .size = 1};
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
        return 0;
    if (b <= 0x8f || (b >= 0x90 && b <= 0x9f)) {
        *h = (hdr){.name = b <= 0x8f ? "fixmap" : "fixarray", .kind = b <= 0x8f ? K_MAP : K_ARRAY,
                   .size = 1, .len = b & 0x0f};
        return 0;
    }
    if (b <= 0xbf) {
        *h = (hdr){.name = "fixstr", .kind = K_BYTES, .size = 1, .len = b & 0x1f};
        return 0;
    }
    if (b == 0xc1)
        return -2;
    const struct fmt *f = &fmts[b - 0xc4];
    *h = (hdr){.name = f->name, .kind = f->kind, .size = 1u + f->lenbytes + f->extra,
               .len = f->fixed};
    if (avail < h->size)
        return -1;
    if (f->lenbytes)
        h->len = read_be(p + 1, f->lenbytes);
    return 0;
}

static int precheck(const unsigned char *p, size_t len, int max_depth, sift_err *err)
{
    uint64_t rem[SIFT_CODEC_DEPTH_CAP + 1]; /* objects still due per open container */
    int d = 0;
    size_t pos = 0;
    hdr h;
    rem[0] = 1;
    for (;;) {
        while (d >= 0 && rem[d] == 0)
            d--;
        if (d < 0)
            break;
        if (pos >= len)
            return sift_err_set(err, SIFT_EINVAL, "truncated at byte %zu", len);
        rem[d]--;
        size_t at = pos;
        int r = read_header(p + pos, len - pos, &h);
        if (r == -2)
            return sift_err_set(err, SIFT_EINVAL, "invalid byte 0xc1 at byte %zu", at);
        if (r == -1)
            return sift_err_set(err, SIFT_EINVAL, "truncated at byte %zu (%s header)", len,
                                h.name);
        pos += h.size;
        uint64_t need = h.kind == K_MAP ? 2 * h.len : h.len;
        if (need > len - pos)
            return sift_err_set(err, SIFT_EINVAL,
                                "truncated at byte %zu: %s at byte %zu declares %llu %s, "
                                "%zu bytes remain",
                                len, h.name, at, (unsigned long long)h.len,
                                h.kind == K_BYTES ? "bytes" : "entries", len - pos);
        if (h.kind == K_BYTES)
            pos += h.len;
        if (h.kind == K_ARRAY || h.kind == K_MAP) {
            if (d + 1 > max_depth)
                return sift_err_set(err, SIFT_ERANGE, "nesting deeper than %d at byte %zu",
                                    max_depth, at);
            if (need)
                rem[++d] = need;
        }
    }
    if (pos != len)
        return sift_err_set(err, SIFT_EINVAL, "trailing data after the document at byte %zu",
                            pos);
    return 0;
}

int sift_codec_check(const char *buf, size_t len, int max_depth, sift_err *err)
{
    if (max_depth < 1 || max_depth > SIFT_CODEC_DEPTH_CAP)
        max_depth = SIFT_CODEC_DEPTH_CAP;
    return precheck((const unsigned char *)buf, len, max_depth, err);
}

/* ================================================================ decode */

typedef struct dec {
    sift_doc *d;
    sift_err *err;
    size_t max_text;  /* 0 = no limit */
    unsigned seen;    /* bit per entry of keys[] */
} dec;

static const char *obj_type(const msgpack_object *o)
{
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return "nil";
    case MSGPACK_OBJECT_BOOLEAN:
        return "bool";
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return "int";
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return "float";
    case MSGPACK_OBJECT_STR:
        return "str";
    case MSGPACK_OBJECT_ARRAY:
        return "array";
    case MSGPACK_OBJECT_MAP:
        return "map";
    case MSGPACK_OBJECT_BIN:
        return "bin";
    default:
        return "ext";
    }
}

static int type_error(dec *c, const char *key, const char *want, const msgpack_object *o)
{
    return sift_err_set(c->err, SIFT_EINVAL, "key \"%s\": expected %s, got %s", key, want,
                        obj_type(o));
}

/* A NUL-terminated copy of a str object without NUL bytes inside, or NULL
 * (err set) when o is not one. */
static char *obj_cstr(dec *c, const char *key, const msgpack_object *o, int *rc)
{
    if (o->type != MSGPACK_OBJECT_STR) {
        *rc = type_error(c, key, "str", o);
        return NULL;
    }
    const char *s = o->via.str.ptr;
    size_t n = o->via.str.size;
    if (memchr(s, '\0', n)) {
        *rc = sift_err_set(c->err, SIFT_EINVAL, "key \"%s\": NUL byte inside", key);
        return NULL;
    }
    char *p = malloc(n + 1);
    if (!p) {
        *rc = sift_err_set(c->err, SIFT_ENOMEM, "out of memory");
        return NULL;
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Extend path with ".key" or "[i]" for messages about nested values. */
static void path_push(char *path, size_t cap, const char *key, size_t key_len, size_t index)
{
    size_t n = strlen(path);
    if (key)
        snprintf(path + n, cap - n, ".%.*s", (int)(key_len > 64 ? 64 : key_len), key);
    else
        snprintf(path + n, cap - n, "[%zu]", index);
}

static int obj_to_value(dec *c, const msgpack_object *o, sift_value *v, char *path, size_t cap);

/* Put map key k (entry i of the map at path) into map and extend path with
 * it; refuses a key that is not a UTF-8 str, too long, or repeated. */
static int put_key(dec *c, sift_value *map, const msgpack_object *k, uint32_t i, char *path,
                   size_t cap, sift_value **slot)
{
    if (k->type != MSGPACK_OBJECT_STR)
        return sift_err_set(c->err, SIFT_EINVAL, "key \"%s\": map key %u: expected str, got %s",
                            path, i, obj_type(k));
    size_t before = sift_value_len(map);
    int rc = sift_value_map_put_n(map, k->via.str.ptr, k->via.str.size, slot);
    if (rc == SIFT_EUTF8)
        return sift_err_set(c->err, rc, "key \"%s\": map key %u is not valid UTF-8", path, i);
    if (rc == SIFT_ERANGE && k->via.str.size > SIFT_VALUE_MAX_KEY)
        return sift_err_set(c->err, rc, "key \"%s\": map key %u is %u bytes, limit %d", path, i,
                            k->via.str.size, SIFT_VALUE_MAX_KEY);
    if (rc < 0)
        return sift_err_set(c->err, rc, "key \"%s\": map key %u: %s", path, i,
                            rc == SIFT_EINVAL ? "empty" : sift_strerror(rc));
    path_push(path, cap, k->via.str.ptr, k->via.str.size, 0);
    if (sift_value_len(map) == before)
        return sift_err_set(c->err, SIFT_EINVAL, "key \"%s\": duplicate key", path);
    return 0;
}

static int map_to_value(dec *c, const msgpack_object *o, sift_value *v, char *path, size_t cap)
{
    size_t n = strlen(path);
    sift_value_set_map(v);
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        sift_value *slot;
        path[n] = '\0';
        int rc = put_key(c, v, &o->via.map.ptr[i].key, i, path, cap, &slot);
        if (rc == 0)
            rc = obj_to_value(c, &o->via.map.ptr[i].val, slot, path, cap);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int array_to_value(dec *c, const msgpack_object *o, sift_value *v, char *path, size_t cap)
{
    size_t n = strlen(path);
    sift_value_set_list(v);
    for (uint32_t i = 0; i < o->via.array.size; i++) {
        sift_value *slot;
        path[n] = '\0';
        int rc = sift_value_list_push(v, &slot);
        if (rc < 0)
            return sift_err_set(c->err, rc, "key \"%s\": %s", path, sift_strerror(rc));
        path_push(path, cap, NULL, 0, i);
        rc = obj_to_value(c, &o->via.array.ptr[i], slot, path, cap);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Convert one msgpack object into a value; path names it in messages. */
static int obj_to_value(dec *c, const msgpack_object *o, sift_value *v, char *path, size_t cap)
{
    int rc = 0;
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return 0;
    case MSGPACK_OBJECT_BOOLEAN:
        sift_value_set_bool(v, o->via.boolean);
        return 0;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        if (o->via.u64 > INT64_MAX)
            return sift_err_set(c->err, SIFT_ERANGE, "key \"%s\": integer %llu out of range",
                                path, (unsigned long long)o->via.u64);
        sift_value_set_int(v, (int64_t)o->via.u64);
        return 0;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        sift_value_set_int(v, o->via.i64);
        return 0;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        rc = sift_value_set_double(v, o->via.f64);
        return rc < 0 ? sift_err_set(c->err, rc, "key \"%s\": not a finite number", path) : 0;
    case MSGPACK_OBJECT_STR:
        rc = sift_value_set_str(v, o->via.str.ptr, o->via.str.size);
        return rc < 0 ? sift_err_set(c->err, rc, "key \"%s\": %s", path, sift_strerror(rc)) : 0;
    case MSGPACK_OBJECT_ARRAY:
        return array_to_value(c, o, v, path, cap);
    case MSGPACK_OBJECT_MAP:
        return map_to_value(c, o, v, path, cap);
    default:
        return type_error(c, path, "nil, bool, int, float, str, array or map", o);
    }
}

/* ---------------------------------------------------------------- keys */

static int dec_id(dec *c, const msgpack_object *o)
{
    if (o->type != MSGPACK_OBJECT_STR)
        return type_error(c, "id", "str", o);
    int rc = sift_doc_set_id(c->d, o->via.str.ptr, o->via.str.size, c->err);
    if (rc < 0)
        sift_err_prefix(c->err, "key \"id\"");
    return rc;
}

static int dec_source(dec *c, const msgpack_object *o)
{
    if (o->type != MSGPACK_OBJECT_STR)
        return type_error(c, "source", "str", o);
    int rc = sift_doc_set_source(c->d, o->via.str.ptr, o->via.str.size, c->err);
    if (rc < 0)
        sift_err_prefix(c->err, "key \"source\"");
    return rc;
}

static int dec_text(dec *c, const msgpack_object *o)
{
    if (o->type != MSGPACK_OBJECT_STR && o->type != MSGPACK_OBJECT_BIN)
        return type_error(c, "text", "str or bin", o);
    /* str and bin share one layout in msgpack_object */
    size_t n = o->type == MSGPACK_OBJECT_STR ? o->via.str.size : o->via.bin.size;
    const char *p = o->type == MSGPACK_OBJECT_STR ? o->via.str.ptr : o->via.bin.ptr;
    if (c->max_text && n > c->max_text)
        return sift_err_set(c->err, SIFT_ERANGE, "text is %zu bytes, limit %zu", n, c->max_text);
    int rc = sift_doc_set_text(c->d, p, n);
    return rc < 0 ? sift_err_set(c->err, rc, "key \"text\": %s", sift_strerror(rc)) : 0;
}

static int dec_fields(dec *c, const msgpack_object *o)
{
    char path[256] = "fields";
    if (o->type != MSGPACK_OBJECT_MAP)
        return type_error(c, "fields", "map", o);
    return map_to_value(c, o, &c->d->fields, path, sizeof path);
}

static int dec_scores(dec *c, const msgpack_object *o)
{
    char path[256] = "scores";
    if (o->type != MSGPACK_OBJECT_MAP)
        return type_error(c, "scores", "map", o);
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object *v = &o->via.map.ptr[i].val;
        sift_value *slot;
        double x;
        path[6] = '\0';
        int rc = put_key(c, &c->d->scores, &o->via.map.ptr[i].key, i, path, sizeof path, &slot);
        if (rc < 0)
            return rc;
        if (v->type == MSGPACK_OBJECT_FLOAT32 || v->type == MSGPACK_OBJECT_FLOAT64)
            x = v->via.f64;
        else if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            x = (double)v->via.u64;
        else if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
            x = (double)v->via.i64;
        else
            return type_error(c, path, "float or int", v);
        if (sift_value_set_double(slot, x) < 0)
            return sift_err_set(c->err, SIFT_EINVAL, "key \"%s\": not a finite number", path);
    }
    return 0;
}

static int dec_attempt(dec *c, const msgpack_object *o)
{
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return type_error(c, "attempt", "positive int", o);
    if (o->via.u64 < 1 || o->via.u64 > UINT32_MAX)
        return sift_err_set(c->err, SIFT_ERANGE, "key \"attempt\": %llu out of range 1..%u",
                            (unsigned long long)o->via.u64, UINT32_MAX);
    c->d->attempt = (uint32_t)o->via.u64;
    return 0;
}

/* The value under key in map m, or NULL. */
static const msgpack_object *obj_get(const msgpack_object *m, const char *key)
{
    size_t n = strlen(key);
    for (uint32_t i = 0; i < m->via.map.size; i++) {
        const msgpack_object *k = &m->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
            memcmp(k->via.str.ptr, key, n) == 0)
            return &m->via.map.ptr[i].val;
    }
    return NULL;
}

static int dec_status(dec *c, const msgpack_object *o)
{
    if (o->type != MSGPACK_OBJECT_MAP)
        return type_error(c, "status", "map", o);
    const msgpack_object *st = obj_get(o, "state");
    if (!st)
        return sift_err_set(c->err, SIFT_EINVAL, "missing key \"status.state\"");
    if (st->type != MSGPACK_OBJECT_STR)
        return type_error(c, "status.state", "str", st);
    int state = sift_doc_state_parse(st->via.str.ptr, st->via.str.size);
    if (state < 0)
        return sift_err_set(c->err, SIFT_EINVAL,
                            "key \"status.state\": unknown state \"%.*s\" (expected ok, dropped "
                            "or failed)",
                            (int)(st->via.str.size > 32 ? 32 : st->via.str.size), st->via.str.ptr);
    if (state == SIFT_DOC_OK)
        return sift_doc_set_status(c->d, SIFT_DOC_OK, NULL, NULL);
    const char *text_key = state == SIFT_DOC_DROPPED ? "status.reason" : "status.error";
    const msgpack_object *stage = obj_get(o, "stage"), *text = obj_get(o, text_key + 7);
    if (!stage || !text)
        return sift_err_set(c->err, SIFT_EINVAL, "missing key \"%s\" for state %s",
                            stage ? text_key : "status.stage", sift_doc_state_name(state));
    int rc = 0;
    char *s = obj_cstr(c, "status.stage", stage, &rc);
    char *t = s ? obj_cstr(c, text_key, text, &rc) : NULL;
    if (s && t) {
        rc = sift_doc_set_status(c->d, (sift_doc_state)state, s, t);
        if (rc == SIFT_EINVAL)
            sift_err_set(c->err, rc, "key \"status.stage\": empty");
    }
    free(s);
    free(t);
    return rc;
}

static int dec_trace_entry(dec *c, const msgpack_object *o, uint32_t i)
{
    char key[48];
    snprintf(key, sizeof key, "trace[%u]", i);
    if (o->type != MSGPACK_OBJECT_MAP)
        return type_error(c, key, "map", o);
    const msgpack_object *stage = obj_get(o, "stage"), *us = obj_get(o, "us");
    const msgpack_object *version = obj_get(o, "version");
    if (!stage || !us)
        return sift_err_set(c->err, SIFT_EINVAL, "missing key \"%s.%s\"", key,
                            stage ? "us" : "stage");
    if (us->type != MSGPACK_OBJECT_POSITIVE_INTEGER || us->via.u64 > INT64_MAX) {
        snprintf(key + strlen(key), sizeof key - strlen(key), ".us");
        return type_error(c, key, "non-negative int", us);
    }
    int rc = 0;
    char *s = obj_cstr(c, "trace.stage", stage, &rc);
    char *v = !s ? NULL : version ? obj_cstr(c, "trace.version", version, &rc) : calloc(1, 1);
    if (s && v) {
        rc = sift_doc_add_trace(c->d, s, v, (int64_t)us->via.u64);
        if (rc < 0)
            sift_err_set(c->err, rc, "out of memory");
    } else if (rc == 0) {
        rc = sift_err_set(c->err, SIFT_ENOMEM, "out of memory");
    }
    free(s);
    free(v);
    return rc;
}

static int dec_trace(dec *c, const msgpack_object *o)
{
    if (o->type != MSGPACK_OBJECT_ARRAY)
        return type_error(c, "trace", "array", o);
    for (uint32_t i = 0; i < o->via.array.size; i++) {
        int rc = dec_trace_entry(c, &o->via.array.ptr[i], i);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---------------------------------------------------------------- document */

typedef int (*dec_fn)(dec *c, const msgpack_object *o);

static const struct key_rule {
    const char *name;
    dec_fn fn;
    int is_producer; /* taken from a producer's document too */
} keys[] = {
    {"id", dec_id, 1},         {"source", dec_source, 1}, {"text", dec_text, 1},
    {"fields", dec_fields, 1}, {"scores", dec_scores, 0}, {"status", dec_status, 0},
    {"trace", dec_trace, 0},   {"attempt", dec_attempt, 0},
};

static const struct key_rule *key_rule_of(const msgpack_object *k)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strlen(keys[i].name) == k->via.str.size &&
            memcmp(keys[i].name, k->via.str.ptr, k->via.str.size) == 0)
            return &keys[i];
    }
    return NULL;
}

static int decode_map(dec *c, const msgpack_object *root, int is_producer)
{
    for (uint32_t i = 0; i < root->via.map.size; i++) {
        const msgpack_object *k = &root->via.map.ptr[i].key;
        if (k->type != MSGPACK_OBJECT_STR)
            return sift_err_set(c->err, SIFT_EINVAL, "map key %u: expected str, got %s", i,
                                obj_type(k));
        if (!sift_utf8_valid(k->via.str.ptr, k->via.str.size))
            return sift_err_set(c->err, SIFT_EUTF8, "map key %u is not valid UTF-8", i);
        const struct key_rule *r = key_rule_of(k);
        if (!r || (is_producer && !r->is_producer))
            continue; /* unknown keys: room for later versions */
        unsigned bit = 1u << (r - keys);
        if (c->seen & bit)
            return sift_err_set(c->err, SIFT_EINVAL, "duplicate key \"%s\"", r->name);
        c->seen |= bit;
        int rc = r->fn(c, &root->via.map.ptr[i].val);
        if (rc < 0)
            return rc;
    }
    if (!(c->seen & (1u << 2)))
        return sift_err_set(c->err, SIFT_EINVAL, "missing key \"text\"");
    if (!is_producer && !(c->seen & 1u))
        return sift_err_set(c->err, SIFT_EINVAL, "missing key \"id\"");
    return 0;
}

/* What the first byte of a message says it is, for "not a map" messages. */
static const char *byte_type(unsigned char b)
{
    if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3))
        return "int";
    if (b <= 0x8f || b == 0xde || b == 0xdf)
        return "map";
    if (b <= 0x9f || b == 0xdc || b == 0xdd)
        return "array";
    if (b <= 0xbf || (b >= 0xd9 && b <= 0xdb))
        return "str";
    if (b == 0xc0)
        return "nil";
    if (b == 0xc2 || b == 0xc3)
        return "bool";
    if (b >= 0xc4 && b <= 0xc6)
        return "bin";
    if (b == 0xca || b == 0xcb)
        return "float";
    return b == 0xc1 ? "invalid byte 0xc1" : "ext";
}

static int decode(const char *buf, size_t len, const sift_codec_limits *lim, int is_producer,
                  sift_doc **out, sift_err *err)
{
    static const sift_codec_limits none = {0};
    *out = NULL;
    lim = lim ? lim : &none;
    int depth = lim->max_depth > 0 ? lim->max_depth : SIFT_VALUE_MAX_DEPTH;
    depth = depth > SIFT_CODEC_DEPTH_CAP ? SIFT_CODEC_DEPTH_CAP : depth;
    if (len == 0)
        return sift_err_set(err, SIFT_EINVAL, "empty message");
    if (lim->max_bytes && len > lim->max_bytes)
        return sift_err_set(err, SIFT_ERANGE, "message is %zu bytes, limit %zu", len,
                            lim->max_bytes);
    const char *what = byte_type((unsigned char)buf[0]);
    if (strcmp(what, "map") != 0)
        return sift_err_set(err, SIFT_EINVAL, "not a map (got %s)", what);
    int rc = precheck((const unsigned char *)buf, len, depth, err);
    if (rc < 0)
        return rc;

    msgpack_zone zone;
    msgpack_object root;
    size_t off = 0;
    sift_doc *d = NULL;
    if (!msgpack_zone_init(&zone, ZONE_CHUNK))
        return sift_err_set(err, SIFT_ENOMEM, "out of memory");
    msgpack_unpack_return r = msgpack_unpack(buf, len, &off, &zone, &root);
    if (r != MSGPACK_UNPACK_SUCCESS || off != len)
        rc = r == MSGPACK_UNPACK_NOMEM_ERROR ? sift_err_set(err, SIFT_ENOMEM, "out of memory")
                                             : sift_err_set(err, SIFT_EINVAL, "malformed msgpack");
    else if ((rc = sift_doc_new_empty(&d)) < 0)
        sift_err_set(err, rc, "out of memory");
    if (rc == 0) {
        dec c = {.d = d, .err = err, .max_text = lim->max_text};
        rc = decode_map(&c, &root, is_producer);
    }
    msgpack_zone_destroy(&zone);
    if (rc < 0) {
        sift_doc_destroy(&d);
        return rc;
    }
    *out = d;
    return 0;
}

int sift_codec_decode(const char *buf, size_t len, const sift_codec_limits *lim, sift_doc **out,
                      sift_err *err)
{
    return decode(buf, len, lim, 0, out, err);
}

int sift_codec_decode_producer(const char *buf, size_t len, const sift_codec_limits *lim,
                               sift_doc **out, sift_err *err)
{
    return decode(buf, len, lim, 1, out, err);
}
