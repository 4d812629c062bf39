/* batch.c - write and read the one-frame JOB and DONE batches (batch.h says why).
 *
 * Writing packs entries with msgpack-c into a buffer sized up front, handed
 * to ZeroMQ without a copy. Reading checks the structure with the codec's
 * pre-check, unpacks with msgpack-c (strings and bins point into the
 * frame) and checks each entry's shape and types.
 * SPDX-License-Identifier: MIT
 */
#include "batch.h"

#include <msgpack.h>
#include <stdlib.h>
#include <zmq.h>

#include "codec.h"
#include "proto.h"

#define ENTRY_SLACK (48) /* bytes of headers, ids and numbers per entry */
#define ZONE_CHUNK (4096) /* the objects of a 16-entry batch, about 24 bytes each */

struct sift_batch {
    msgpack_sbuffer sb;
    msgpack_packer pk;
    int kind;
    int err;         /* sticky: the first failure since begin */
    size_t n, n_put; /* entries promised by begin, and put so far */
};

int sift_batch_new(sift_batch **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : SIFT_ENOMEM;
}

void sift_batch_destroy(sift_batch **b)
{
    if (!*b)
        return;
    msgpack_sbuffer_destroy(&(*b)->sb);
    free(*b);
    *b = NULL;
}

int sift_batch_begin(sift_batch *b, int kind, size_t n, size_t bytes)
{
    size_t guess = bytes + n * ENTRY_SLACK + 16;
    msgpack_sbuffer_destroy(&b->sb);
    msgpack_sbuffer_init(&b->sb);
    msgpack_packer_init(&b->pk, &b->sb, msgpack_sbuffer_write);
    b->kind = kind;
    b->n = n;
    b->n_put = 0;
    b->err = 0;
    if ((b->sb.data = malloc(guess)) != NULL)
        b->sb.alloc = guess;
    if (!b->sb.data || msgpack_pack_array(&b->pk, n) != 0)
        b->err = SIFT_ENOMEM;
    return b->err;
}

static int pack_entry(sift_batch *b, const sift_batch_entry *e)
{
    msgpack_packer *pk = &b->pk;
    /* one statement a field: the packing order is the wire order */
    if (msgpack_pack_array(pk, (size_t)b->kind) != 0 || msgpack_pack_uint64(pk, e->id) != 0)
        return SIFT_ENOMEM;
    if ((b->kind == SIFT_BATCH_JOB ? msgpack_pack_uint64(pk, (uint64_t)e->num)
                                   : msgpack_pack_int64(pk, e->num)) != 0)
        return SIFT_ENOMEM;
    if (msgpack_pack_bin_with_body(pk, e->doc ? e->doc : "", e->doc_len) != 0)
        return SIFT_ENOMEM;
    if (b->kind == SIFT_BATCH_DONE &&
        msgpack_pack_str_with_body(pk, e->info ? e->info : "", e->info_len) != 0)
        return SIFT_ENOMEM;
    return 0;
}

int sift_batch_put(sift_batch *b, const sift_batch_entry *e)
{
    if (b->err == 0 && b->n_put >= b->n)
        b->err = SIFT_EINVAL; /* more than begin promised: the array header would lie */
    if (b->err == 0 && (b->err = pack_entry(b, e)) == 0)
        b->n_put++;
    return b->err;
}

int sift_batch_finish(sift_batch *b, void *msg)
{
    if (b->err == 0 && b->n_put != b->n)
        b->err = SIFT_EINVAL; /* fewer than begin promised */
    if (b->err) {
        msgpack_sbuffer_destroy(&b->sb);
        msgpack_sbuffer_init(&b->sb);
        zmq_msg_init(msg);
        return b->err;
    }
    size_t len = b->sb.size;
    char *buf = msgpack_sbuffer_release(&b->sb);
    return sift_msg_own(msg, buf, len) == 0 ? 0 : SIFT_ENOMEM;
}

/* ================================================================ read */

static int read_uint(const msgpack_object *o, uint64_t *v)
{
    if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
        return -1;
    *v = o->via.u64;
    return 0;
}

static int read_int(const msgpack_object *o, int64_t *v)
{
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        *v = o->via.i64;
    else if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX)
        *v = (int64_t)o->via.u64;
    else
        return -1;
    return 0;
}

/* Entry o, of kind's shape, into e. Returns 0, or -1 when its shape or a type is wrong. */
static int read_entry(const msgpack_object *o, int kind, sift_batch_entry *e)
{
    uint64_t num;
    *e = (sift_batch_entry){0};
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != (uint32_t)kind)
        return -1;
    const msgpack_object *f = o->via.array.ptr;
    if (read_uint(&f[0], &e->id) < 0 || f[2].type != MSGPACK_OBJECT_BIN)
        return -1;
    if (kind == SIFT_BATCH_JOB ? read_uint(&f[1], &num) < 0 || num > INT64_MAX
                               : read_int(&f[1], &e->num) < 0)
        return -1;
    if (kind == SIFT_BATCH_JOB)
        e->num = (int64_t)num;
    e->doc = f[2].via.bin.ptr;
    e->doc_len = f[2].via.bin.size;
    if (kind == SIFT_BATCH_DONE) {
        if (f[3].type != MSGPACK_OBJECT_STR)
            return -1;
        e->info = f[3].via.str.ptr;
        e->info_len = f[3].via.str.size;
    }
    return 0;
}

static int read_entries(const msgpack_object *root, int kind, sift_batch_entry *e, size_t max,
                        sift_err *err)
{
    if (root->type != MSGPACK_OBJECT_ARRAY)
        return sift_err_set(err, SIFT_EINVAL, "batch is not an array");
    if (root->via.array.size > max)
        return sift_err_set(err, SIFT_ERANGE, "batch of %u entries, at most %zu",
                            root->via.array.size, max);
    for (uint32_t i = 0; i < root->via.array.size; i++)
        if (read_entry(&root->via.array.ptr[i], kind, &e[i]) < 0)
            return sift_err_set(err, SIFT_EINVAL, "entry %u is not [%s]", i,
                                kind == SIFT_BATCH_JOB ? "uint id, uint attempt, bin document"
                                                       : "uint id, int rc, bin document, str info");
    return (int)root->via.array.size;
}

int sift_batch_read(const void *buf, size_t len, int kind, sift_batch_entry *e, size_t max,
                    sift_err *err)
{
    if (len == 0)
        return sift_err_set(err, SIFT_EINVAL, "empty batch");
    int rc = sift_codec_check(buf, len, 2, err);
    if (rc < 0)
        return rc;
    msgpack_zone zone;
    msgpack_object root;
    size_t off = 0;
    if (!msgpack_zone_init(&zone, ZONE_CHUNK))
        return sift_err_set(err, SIFT_ENOMEM, "out of memory");
    msgpack_unpack_return r = msgpack_unpack(buf, len, &off, &zone, &root);
    if (r == MSGPACK_UNPACK_SUCCESS && off == len)
        rc = read_entries(&root, kind, e, max, err);
    else
        rc = r == MSGPACK_UNPACK_NOMEM_ERROR ? sift_err_set(err, SIFT_ENOMEM, "out of memory")
                                             : sift_err_set(err, SIFT_EINVAL, "malformed msgpack");
    msgpack_zone_destroy(&zone); /* the objects go; e points into buf, not into them */
    return rc;
}
