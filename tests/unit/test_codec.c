/* test_codec.c - the msgpack form of a document (lib/codec.c).
 *
 * The decoder is where untrusted bytes enter sift, so most of this file is
 * rejections: empty input, non-maps, truncation, headers whose lengths or
 * counts lie, nesting and map-size bombs, a wrong type for every key, the
 * limits and the UTF-8 and id rules; each checks the code and that the
 * message names the problem. Then round trips, every prefix of a valid
 * message, and seeded random byte flips (never a crash: ASan builds prove
 * no out-of-bounds read). Messages are built with msgpack-c's packer or,
 * for lying headers, as raw bytes.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <msgpack.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec.h"

/* ---------------------------------------------------------------- helpers */

typedef struct mp {
    msgpack_sbuffer sb;
    msgpack_packer pk;
} mp;

static void mp_init(mp *m)
{
    msgpack_sbuffer_init(&m->sb);
    msgpack_packer_init(&m->pk, &m->sb, msgpack_sbuffer_write);
}

static void mp_str(msgpack_packer *pk, const char *s)
{
    msgpack_pack_str_with_body(pk, s, strlen(s));
}

static void mp_raw(mp *m, const void *p, size_t n)
{
    msgpack_sbuffer_write(&m->sb, p, n);
}

/* Decode buf and expect failure with rc and a message containing want. */
static void expect_reject_mode(const void *buf, size_t len, const sift_codec_limits *lim,
                               int is_producer, int rc, const char *want)
{
    sift_doc *d = NULL;
    sift_err err = {{0}};
    int got = is_producer ? sift_codec_decode_producer(buf, len, lim, &d, &err)
                          : sift_codec_decode(buf, len, lim, &d, &err);
    if (got != rc || !strstr(err.msg, want))
        fail_msg("expected %s with \"%s\", got %s: \"%s\"", sift_err_name(rc), want,
                 sift_err_name(got), err.msg);
    assert_null(d);
}

static void expect_reject(const void *buf, size_t len, int rc, const char *want)
{
    expect_reject_mode(buf, len, NULL, 0, rc, want);
}

static sift_doc *decode_ok(const void *buf, size_t len, int is_producer)
{
    sift_doc *d = NULL;
    sift_err err = {{0}};
    int rc = is_producer ? sift_codec_decode_producer(buf, len, NULL, &d, &err)
                         : sift_codec_decode(buf, len, NULL, &d, &err);
    if (rc != 0)
        fail_msg("decode failed: %s: %s", sift_err_name(rc), err.msg);
    return d;
}

static int value_equal(const sift_value *a, const sift_value *b)
{
    if (a->type != b->type || sift_value_len(a) != sift_value_len(b))
        return 0;
    switch (a->type) {
    case SIFT_T_NIL:
        return 1;
    case SIFT_T_BOOL:
        return a->u.b == b->u.b;
    case SIFT_T_INT:
        return a->u.i == b->u.i;
    case SIFT_T_DOUBLE:
        return a->u.d == b->u.d;
    case SIFT_T_STR:
        return a->u.s.len == b->u.s.len && memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
    case SIFT_T_LIST:
        for (size_t i = 0; i < sift_value_len(a); i++) {
            if (!value_equal(&a->u.list.items[i], &b->u.list.items[i]))
                return 0;
        }
        return 1;
    case SIFT_T_MAP:
        for (size_t i = 0; i < sift_value_len(a); i++) {
            if (strcmp(a->u.map.items[i].key, b->u.map.items[i].key) != 0 ||
                !value_equal(&a->u.map.items[i].val, &b->u.map.items[i].val))
                return 0;
        }
        return 1;
    }
    return 0;
}

static void assert_doc_equal(const sift_doc *a, const sift_doc *b)
{
    assert_int_equal(a->id_len, b->id_len);
    assert_memory_equal(a->id, b->id, a->id_len);
    assert_string_equal(a->source, b->source);
    assert_int_equal(a->text_len, b->text_len);
    assert_memory_equal(a->text, b->text, a->text_len);
    assert_true(value_equal(&a->fields, &b->fields));
    assert_true(value_equal(&a->scores, &b->scores));
    assert_int_equal(a->state, b->state);
    if (a->state != SIFT_DOC_OK) {
        assert_string_equal(a->status_stage, b->status_stage);
        assert_string_equal(a->status_text, b->status_text);
    }
    assert_int_equal(a->n_trace, b->n_trace);
    for (size_t i = 0; i < a->n_trace; i++) {
        assert_string_equal(a->trace[i].stage, b->trace[i].stage);
        assert_string_equal(a->trace[i].version, b->trace[i].version);
        assert_int_equal(a->trace[i].us, b->trace[i].us);
    }
    assert_int_equal(a->attempt, b->attempt);
}

/* A document with every kind of field value, scores and trace. */
static sift_doc *rich_doc(void)
{
    sift_doc *d = NULL;
    sift_value *slot, *list, *inner;
    const char *text = "Ministers met on Tuesday.\nCaf\xc3\xa9 owners objected.";
    assert_int_equal(sift_doc_new(&d, "bbc/2025-03-01/42", 17, "feed:bbc", 8, text,
                                  strlen(text), NULL),
                     0);
    sift_value_map_set_str(&d->fields, "title", "Ministers meet", 14);
    sift_value_map_set_int(&d->fields, "words", 1234);
    sift_value_map_set_int(&d->fields, "offset", -42);
    sift_value_map_set_double(&d->fields, "ratio", 0.125);
    sift_value_map_put(&d->fields, "flag", &slot);
    sift_value_set_bool(slot, 1);
    sift_value_map_put(&d->fields, "none", &slot);
    sift_value_map_put(&d->fields, "entities", &list);
    sift_value_set_list(list);
    sift_value_list_push(list, &inner);
    sift_value_set_map(inner);
    sift_value_map_set_str(inner, "name", "Z\xc3\xbcrich", 7);
    sift_value_map_set_str(inner, "kind", "place", 5);
    sift_value_map_set_double(&d->scores, "quality", 0.87);
    sift_value_map_set_double(&d->scores, "gopher.word_count", 1234);
    sift_doc_add_trace(d, "clean", "1.0.0", 120);
    sift_doc_add_trace(d, "extract", "1.2.0", 4500);
    d->attempt = 3;
    return d;
}

static void encode_ok(const sift_doc *d, char **buf, size_t *len)
{
    assert_int_equal(sift_codec_encode(d, buf, len), 0);
    assert_non_null(*buf);
}

/* {"id": "a", "text": "t", key: value()}, minus id or text when key is one. */
static void pack_with(mp *m, const char *key, void (*value)(msgpack_packer *))
{
    int n = 1 + (strcmp(key, "id") != 0) + (strcmp(key, "text") != 0);
    msgpack_pack_map(&m->pk, (size_t)n);
    if (strcmp(key, "id") != 0)
        mp_str(&m->pk, "id"), mp_str(&m->pk, "a");
    if (strcmp(key, "text") != 0)
        mp_str(&m->pk, "text"), mp_str(&m->pk, "t");
    mp_str(&m->pk, key);
    value(&m->pk);
}

/* ---------------------------------------------------------------- structure */

static void test_codec_rejects_empty_input(void **state)
{
    (void)state;
    expect_reject("", 0, SIFT_EINVAL, "empty message");
}

static void test_codec_rejects_top_level_that_is_not_a_map(void **state)
{
    (void)state;
    expect_reject("\x92\x01\x02", 3, SIFT_EINVAL, "not a map (got array)");
    expect_reject("\xa1x", 2, SIFT_EINVAL, "not a map (got str)");
    expect_reject("\x05", 1, SIFT_EINVAL, "not a map (got int)");
    expect_reject("\xc0", 1, SIFT_EINVAL, "not a map (got nil)");
    expect_reject("\xc4\x01x", 3, SIFT_EINVAL, "not a map (got bin)");
}

static void test_codec_rejects_truncated_header(void **state)
{
    (void)state;
    expect_reject("\xde\x00", 2, SIFT_EINVAL, "truncated at byte 2 (map16 header)");
    expect_reject("\x81\xa2id\xdb\x00", 6, SIFT_EINVAL, "truncated at byte 6 (str32 header)");
}

static void test_codec_rejects_truncated_at_several_points(void **state)
{
    (void)state;
    /* {"id": "abc", "text": "hello"} = 19 bytes */
    static const char msg[] = "\x82\xa2id\xa3" "abc\xa4text\xa5hello";
    assert_int_equal(sizeof msg - 1, 19);
    expect_reject(msg, 1, SIFT_EINVAL, "truncated at byte 1");
    expect_reject(msg, 5, SIFT_EINVAL, "truncated at byte 5: fixstr at byte 4 declares 3 bytes");
    expect_reject(msg, 7, SIFT_EINVAL, "truncated at byte 7: fixstr at byte 4");
    expect_reject(msg, 8, SIFT_EINVAL, "truncated at byte 8");
    expect_reject(msg, 13, SIFT_EINVAL, "truncated at byte 13");
    expect_reject(msg, 17, SIFT_EINVAL, "truncated at byte 17: fixstr at byte 13");
    sift_doc *d = decode_ok(msg, 19, 0);
    assert_string_equal(d->text, "hello");
    sift_doc_destroy(&d);
}

static void test_codec_rejects_str32_length_beyond_buffer(void **state)
{
    (void)state;
    static const char msg[] = "\x81\xa2id\xdb\xff\xff\xff\xf0" "abc";
    expect_reject(msg, sizeof msg - 1, SIFT_EINVAL,
                  "str32 at byte 4 declares 4294967280 bytes, 3 bytes remain");
}

static void test_codec_rejects_bin32_length_beyond_buffer(void **state)
{
    (void)state;
    static const char msg[] = "\x81\xa4text\xc6\xff\xff\xff\xff" "x";
    expect_reject(msg, sizeof msg - 1, SIFT_EINVAL, "bin32 at byte 6 declares 4294967295 bytes");
}

static void test_codec_rejects_array32_count_beyond_buffer(void **state)
{
    (void)state;
    static const char msg[] = "\x81\xa5trace\xdd\xff\xff\xff\xff\xc0\xc0";
    expect_reject(msg, sizeof msg - 1, SIFT_EINVAL,
                  "array32 at byte 7 declares 4294967295 entries, 2 bytes remain");
}

static void test_codec_rejects_map32_count_beyond_buffer(void **state)
{
    (void)state;
    /* the 6-byte map-size bomb: would ask msgpack-c for ~200 GB */
    expect_reject("\xdf\xff\xff\xff\xff\xc0", 6, SIFT_EINVAL,
                  "map32 at byte 0 declares 4294967295 entries, 1 bytes remain");
    expect_reject("\xde\xff\xff", 3, SIFT_EINVAL, "map16 at byte 0 declares 65535 entries");
}

static void test_codec_rejects_nested_map_size_bomb(void **state)
{
    (void)state;
    /* map32 of 2^31 entries has room for 2^32 objects: twice what is left counts */
    static const char msg[] = "\x82\xa4text\xa1t\xa6" "fields\xdf\x7f\xff\xff\xff\xc0\xc0\xc0";
    expect_reject(msg, sizeof msg - 1, SIFT_EINVAL, "map32 at byte 15 declares 2147483647 entries");
    /* two entries need four objects; three bytes remain */
    static const char msg2[] = "\x82\xa4text\xa1t\xa6" "fields\x82\xc0\xc0\xc0";
    expect_reject(msg2, sizeof msg2 - 1, SIFT_EINVAL, "fixmap at byte 15 declares 2 entries");
}

static void test_codec_rejects_nesting_bomb_of_depth_1000(void **state)
{
    (void)state;
    mp m;
    mp_init(&m);
    mp_raw(&m, "\x82\xa4text\xa1t\xa6" "fields\x81\xa1x", 18);
    for (int i = 0; i < 1000; i++)
        mp_raw(&m, "\x91", 1);
    mp_raw(&m, "\xc0", 1);
    expect_reject(m.sb.data, m.sb.size, SIFT_ERANGE, "nesting deeper than 32");
    msgpack_sbuffer_destroy(&m.sb);

    mp_init(&m); /* maps only, from the top */
    for (int i = 0; i < 1000; i++)
        mp_raw(&m, "\x81\xa1k", 3);
    mp_raw(&m, "\xc0", 1);
    expect_reject(m.sb.data, m.sb.size, SIFT_ERANGE, "nesting deeper than 32");
    msgpack_sbuffer_destroy(&m.sb);
}

/* {"id": "a", "text": "t", "fields": {"x": [[...[nil]...]]}} with n arrays */
static void pack_nested(mp *m, int n_arrays)
{
    mp_init(m);
    mp_raw(m, "\x83\xa2id\xa1" "a\xa4text\xa1t\xa6" "fields\x81\xa1x", 23);
    for (int i = 0; i < n_arrays; i++)
        mp_raw(m, "\x91", 1);
    mp_raw(m, "\xc0", 1);
}

static void test_codec_accepts_nesting_at_the_limit_and_not_past_it(void **state)
{
    (void)state;
    mp m;
    pack_nested(&m, 30); /* document 1 + fields 2 + arrays 3..32 */
    sift_doc *d = decode_ok(m.sb.data, m.sb.size, 0);
    assert_int_equal(sift_value_depth(&d->fields), 31);
    sift_doc_destroy(&d);
    msgpack_sbuffer_destroy(&m.sb);
    pack_nested(&m, 31);
    expect_reject(m.sb.data, m.sb.size, SIFT_ERANGE, "nesting deeper than 32");
    sift_codec_limits lim = {.max_depth = 8};
    expect_reject_mode(m.sb.data, m.sb.size, &lim, 0, SIFT_ERANGE, "nesting deeper than 8");
    msgpack_sbuffer_destroy(&m.sb);
}

static void test_codec_rejects_trailing_bytes(void **state)
{
    (void)state;
    static const char msg[] = "\x82\xa2id\xa1" "a\xa4text\xa1t\xc0";
    expect_reject(msg, sizeof msg - 1, SIFT_EINVAL, "trailing data after the document at byte 13");
}

static void test_codec_rejects_never_used_byte_c1(void **state)
{
    (void)state;
    expect_reject("\x81\xa2id\xc1", 5, SIFT_EINVAL, "invalid byte 0xc1 at byte 4");
}

/* ---------------------------------------------------------------- key types */

static void v_int(msgpack_packer *pk) { msgpack_pack_int(pk, 5); }
static void v_nil(msgpack_packer *pk) { msgpack_pack_nil(pk); }
static void v_str(msgpack_packer *pk) { mp_str(pk, "x"); }
static void v_empty_array(msgpack_packer *pk) { msgpack_pack_array(pk, 0); }
static void v_empty_map(msgpack_packer *pk) { msgpack_pack_map(pk, 0); }
static void v_score_str(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 1), mp_str(pk, "q"), mp_str(pk, "high");
}
static void v_state_int(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 1), mp_str(pk, "state"), msgpack_pack_int(pk, 1);
}
static void v_trace_int(msgpack_packer *pk)
{
    msgpack_pack_array(pk, 1), msgpack_pack_int(pk, 1);
}
static void v_trace_negative_us(msgpack_packer *pk)
{
    msgpack_pack_array(pk, 1), msgpack_pack_map(pk, 2);
    mp_str(pk, "stage"), mp_str(pk, "clean"), mp_str(pk, "us"), msgpack_pack_int(pk, -1);
}
static void v_fields_bin(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 1), mp_str(pk, "b"), msgpack_pack_bin_with_body(pk, "\x01", 1);
}
static void v_fields_int_key(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 1), mp_str(pk, "m"), msgpack_pack_map(pk, 1);
    msgpack_pack_int(pk, 1), msgpack_pack_int(pk, 2);
}
static void v_fields_deep_ext(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 1), mp_str(pk, "l"), msgpack_pack_array(pk, 2);
    msgpack_pack_nil(pk), msgpack_pack_ext_with_body(pk, "ab", 2, 7);
}

static void test_codec_rejects_wrong_type_for_each_key(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        void (*value)(msgpack_packer *);
        const char *want;
    } cases[] = {
        {"id", v_int, "key \"id\": expected str, got int"},
        {"source", v_empty_array, "key \"source\": expected str, got array"},
        {"text", v_int, "key \"text\": expected str or bin, got int"},
        {"fields", v_empty_array, "key \"fields\": expected map, got array"},
        {"scores", v_str, "key \"scores\": expected map, got str"},
        {"status", v_nil, "key \"status\": expected map, got nil"},
        {"trace", v_empty_map, "key \"trace\": expected array, got map"},
        {"attempt", v_str, "key \"attempt\": expected positive int, got str"},
        {"scores", v_score_str, "key \"scores.q\": expected float or int, got str"},
        {"status", v_state_int, "key \"status.state\": expected str, got int"},
        {"trace", v_trace_int, "key \"trace[0]\": expected map, got int"},
        {"trace", v_trace_negative_us, "key \"trace[0].us\": expected non-negative int, got int"},
        {"fields", v_fields_bin,
         "key \"fields.b\": expected nil, bool, int, float, str, array or map, got bin"},
        {"fields", v_fields_int_key, "key \"fields.m\": map key 0: expected str, got int"},
        {"fields", v_fields_deep_ext, "key \"fields.l[1]\": expected nil, bool, int, float, "
                                      "str, array or map, got ext"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mp m;
        mp_init(&m);
        pack_with(&m, cases[i].key, cases[i].value);
        expect_reject(m.sb.data, m.sb.size, SIFT_EINVAL, cases[i].want);
        msgpack_sbuffer_destroy(&m.sb);
    }
}

static void test_codec_rejects_non_str_document_key(void **state)
{
    (void)state;
    expect_reject("\x81\x01\xa1x", 4, SIFT_EINVAL, "map key 0: expected str, got int");
}

static void test_codec_rejects_duplicate_keys(void **state)
{
    (void)state;
    static const char msg[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa2id\xa1" "b";
    expect_reject(msg, sizeof msg - 1, SIFT_EINVAL, "duplicate key \"id\"");
    static const char msg2[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa6" "fields\x82\xa1k\x01\xa1k\x02";
    expect_reject(msg2, sizeof msg2 - 1, SIFT_EINVAL, "key \"fields.k\": duplicate key");
}

static void test_codec_rejects_missing_required_keys(void **state)
{
    (void)state;
    expect_reject("\x81\xa2id\xa1" "a", 6, SIFT_EINVAL, "missing key \"text\"");
    expect_reject("\x81\xa4text\xa1t", 8, SIFT_EINVAL, "missing key \"id\"");
    expect_reject_mode("\x81\xa2id\xa1" "a", 6, NULL, 1, SIFT_EINVAL, "missing key \"text\"");
}

static void test_codec_rejects_bad_status(void **state)
{
    (void)state;
    mp m;
    mp_init(&m);
    msgpack_pack_map(&m.pk, 3);
    mp_str(&m.pk, "id"), mp_str(&m.pk, "a"), mp_str(&m.pk, "text"), mp_str(&m.pk, "t");
    mp_str(&m.pk, "status"), msgpack_pack_map(&m.pk, 1);
    mp_str(&m.pk, "state"), mp_str(&m.pk, "weird");
    expect_reject(m.sb.data, m.sb.size, SIFT_EINVAL, "unknown state \"weird\"");
    msgpack_sbuffer_destroy(&m.sb);

    mp_init(&m);
    msgpack_pack_map(&m.pk, 3);
    mp_str(&m.pk, "id"), mp_str(&m.pk, "a"), mp_str(&m.pk, "text"), mp_str(&m.pk, "t");
    mp_str(&m.pk, "status"), msgpack_pack_map(&m.pk, 2);
    mp_str(&m.pk, "state"), mp_str(&m.pk, "dropped"), mp_str(&m.pk, "stage"), mp_str(&m.pk, "x");
    expect_reject(m.sb.data, m.sb.size, SIFT_EINVAL,
                  "missing key \"status.reason\" for state dropped");
    msgpack_sbuffer_destroy(&m.sb);
}

/* ---------------------------------------------------------------- limits and UTF-8 */

static void test_codec_rejects_text_over_limit(void **state)
{
    (void)state;
    size_t n = 5000000;
    char *text = malloc(n), *buf;
    size_t len;
    sift_doc *d = NULL;
    memset(text, 'a', n);
    assert_int_equal(sift_doc_new(&d, "big", 3, NULL, 0, text, n, NULL), 0);
    encode_ok(d, &buf, &len);
    sift_codec_limits lim = {.max_text = 4194304};
    expect_reject_mode(buf, len, &lim, 0, SIFT_ERANGE, "text is 5000000 bytes, limit 4194304");
    expect_reject_mode(buf, len, &lim, 1, SIFT_ERANGE, "text is 5000000 bytes, limit 4194304");
    lim = (sift_codec_limits){.max_bytes = 1 << 20};
    expect_reject_mode(buf, len, &lim, 0, SIFT_ERANGE, "limit 1048576");
    sift_doc_destroy(&d);
    free(buf);
    free(text);
}

static void test_codec_rejects_invalid_utf8_id(void **state)
{
    (void)state;
    static const char msg[] = "\x82\xa2id\xa2\xc3(\xa4text\xa1t";
    expect_reject(msg, sizeof msg - 1, SIFT_EUTF8, "key \"id\": id is not valid UTF-8");
    expect_reject_mode(msg, sizeof msg - 1, NULL, 1, SIFT_EUTF8, "not valid UTF-8");
}

static void test_codec_rejects_id_with_control_chars(void **state)
{
    (void)state;
    static const char msg[] = "\x82\xa2id\xa3" "a\nb\xa4text\xa1t";
    expect_reject(msg, sizeof msg - 1, SIFT_EINVAL,
                  "key \"id\": id has a control character at byte 1");
    static const char empty[] = "\x82\xa2id\xa0\xa4text\xa1t";
    expect_reject(empty, sizeof empty - 1, SIFT_EINVAL, "key \"id\": id is empty");
}

static void test_codec_rejects_id_over_256_bytes(void **state)
{
    (void)state;
    mp m;
    char id[257];
    memset(id, 'i', sizeof id);
    mp_init(&m);
    msgpack_pack_map(&m.pk, 2);
    mp_str(&m.pk, "id"), msgpack_pack_str_with_body(&m.pk, id, sizeof id);
    mp_str(&m.pk, "text"), mp_str(&m.pk, "t");
    expect_reject(m.sb.data, m.sb.size, SIFT_ERANGE, "id is 257 bytes, limit 256");
    msgpack_sbuffer_destroy(&m.sb);
}

static void test_codec_rejects_invalid_utf8_in_keys_source_and_strings(void **state)
{
    (void)state;
    static const char key[] = "\x82\xa2\xff\xfe\x01\xa4text\xa1t";
    expect_reject(key, sizeof key - 1, SIFT_EUTF8, "map key 0 is not valid UTF-8");
    static const char src[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa6source\xa1\xe9";
    expect_reject(src, sizeof src - 1, SIFT_EUTF8, "key \"source\": source is not valid UTF-8");
    static const char fkey[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa6" "fields\x81\xa1\xe9\x01";
    expect_reject(fkey, sizeof fkey - 1, SIFT_EUTF8, "key \"fields\": map key 0 is not valid");
    static const char fval[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa6" "fields\x81\xa1k\xa1\xe9";
    expect_reject(fval, sizeof fval - 1, SIFT_EUTF8, "key \"fields.k\": string is not valid");
}

static void test_codec_rejects_numbers_out_of_range(void **state)
{
    (void)state;
    static const char big[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa6"
                              "fields\x81\xa1n\xcf\xff\xff\xff\xff\xff\xff\xff\xff";
    expect_reject(big, sizeof big - 1, SIFT_ERANGE,
                  "key \"fields.n\": integer 18446744073709551615 out of range");
    static const char zero[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa7" "attempt\x00";
    expect_reject(zero, sizeof zero - 1, SIFT_ERANGE, "key \"attempt\": 0 out of range");
    static const char nan[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa6scores\x81\xa1q"
                              "\xcb\x7f\xf8\x00\x00\x00\x00\x00\x00";
    expect_reject(nan, sizeof nan - 1, SIFT_EINVAL, "key \"scores.q\": not a finite number");
}

/* ---------------------------------------------------------------- modes */

static void test_codec_producer_allows_missing_id_and_ignores_full_keys(void **state)
{
    (void)state;
    /* {"text": "t", "status": 5, "scores": "x", "source": "s"}: status and
     * scores are not a producer's to send, so even wrong types are ignored */
    static const char msg[] = "\x84\xa4text\xa1t\xa6status\x05\xa6scores\xa1x\xa6source\xa1s";
    sift_doc *d = decode_ok(msg, sizeof msg - 1, 1);
    assert_int_equal(d->id_len, 0);
    assert_string_equal(d->id, "");
    assert_string_equal(d->source, "s");
    assert_int_equal(d->state, SIFT_DOC_OK);
    sift_doc_destroy(&d);
    expect_reject(msg, sizeof msg - 1, SIFT_EINVAL, "key \"status\": expected map, got int");
}

static void test_codec_ignores_unknown_keys(void **state)
{
    (void)state;
    static const char msg[] = "\x83\xa2id\xa1" "a\xa4text\xa1t\xa5later\x92\x01\x02";
    sift_doc *d = decode_ok(msg, sizeof msg - 1, 0);
    assert_string_equal(d->id, "a");
    sift_doc_destroy(&d);
    d = decode_ok(msg, sizeof msg - 1, 1);
    sift_doc_destroy(&d);
}

static void test_codec_text_may_be_bin_with_nul_and_invalid_utf8(void **state)
{
    (void)state;
    static const char msg[] = "\x82\xa2id\xa1" "a\xa4text\xc4\x04" "a\x00\xff" "b";
    sift_doc *d = decode_ok(msg, sizeof msg - 1, 0);
    assert_int_equal(d->text_len, 4);
    assert_memory_equal(d->text, "a\0\xff" "b", 4);
    assert_int_equal(d->text[4], '\0');
    sift_doc_destroy(&d);
}

/* ---------------------------------------------------------------- round trips */

static void round_trip(const sift_doc *d)
{
    char *buf;
    size_t len;
    encode_ok(d, &buf, &len);
    sift_doc *back = decode_ok(buf, len, 0);
    assert_doc_equal(d, back);
    sift_doc_destroy(&back);
    free(buf);
}

static void test_codec_round_trips_nested_fields_scores_and_trace(void **state)
{
    (void)state;
    sift_doc *d = rich_doc();
    round_trip(d);
    sift_doc_destroy(&d);
}

static void test_codec_round_trips_dropped_and_failed_status(void **state)
{
    (void)state;
    sift_doc *d = rich_doc();
    sift_doc_set_status(d, SIFT_DOC_DROPPED, "score", "words=12 below min_words=50");
    round_trip(d);
    sift_doc_set_status(d, SIFT_DOC_FAILED, "extract", "EDOC: date out of range");
    round_trip(d);
    sift_doc_destroy(&d);
}

static void test_codec_encodes_invalid_utf8_text_as_bin(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    char *buf;
    size_t len;
    assert_int_equal(sift_doc_new(&d, "a", 1, NULL, 0, "x\xff\0y", 4, NULL), 0);
    encode_ok(d, &buf, &len);
    size_t at = 0;
    while (at + 6 <= len && memcmp(buf + at, "\xa4text", 5) != 0)
        at++;
    assert_true(at + 6 <= len);
    assert_int_equal((unsigned char)buf[at + 5], 0xc4); /* bin8 */
    round_trip(d);
    sift_doc_destroy(&d);
    free(buf);
}

static void test_codec_encode_refuses_fields_the_decoder_would_refuse(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    sift_value *v;
    char *buf = NULL;
    size_t len;
    assert_int_equal(sift_doc_new(&d, "a", 1, NULL, 0, "t", 1, NULL), 0);
    sift_value_map_put(&d->fields, "x", &v);
    for (int i = 0; i < 30; i++) { /* fields depth 31: fits */
        sift_value_set_list(v);
        sift_value_list_push(v, &v);
    }
    round_trip(d);
    sift_value_set_list(v); /* one more level */
    assert_int_equal(sift_codec_encode(d, &buf, &len), SIFT_ERANGE);
    assert_null(buf);
    sift_doc_destroy(&d);
}

/* ---------------------------------------------------------------- hostile bytes */

static void test_codec_every_prefix_of_a_valid_message_fails_cleanly(void **state)
{
    (void)state;
    sift_doc *d = rich_doc();
    char *buf;
    size_t len;
    sift_doc_set_status(d, SIFT_DOC_DROPPED, "score", "too short");
    encode_ok(d, &buf, &len);
    for (size_t n = 0; n < len; n++) {
        for (int mode = 0; mode < 2; mode++) {
            sift_doc *out = NULL;
            sift_err err = {{0}};
            /* a copy of exactly n bytes, so ASan sees any read past the end */
            char *cut = malloc(n ? n : 1);
            memcpy(cut, buf, n);
            int rc = mode ? sift_codec_decode_producer(cut, n, NULL, &out, &err)
                          : sift_codec_decode(cut, n, NULL, &out, &err);
            if (rc >= 0)
                fail_msg("prefix of %zu/%zu bytes decoded", n, len);
            assert_null(out);
            assert_true(err.msg[0] != '\0');
            free(cut);
        }
    }
    sift_doc_destroy(&d);
    free(buf);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_codec_random_byte_flips_never_crash(void **state)
{
    (void)state;
    sift_doc *d = rich_doc();
    char *buf;
    size_t len;
    uint64_t seed = 0x5eed5eed12345678ull;
    int n_ok = 0, n_fail = 0;
    encode_ok(d, &buf, &len);
    for (int iter = 0; iter < 20000; iter++) {
        char *m = malloc(len);
        memcpy(m, buf, len);
        int flips = 1 + (int)(xorshift(&seed) % 4);
        for (int f = 0; f < flips; f++)
            m[xorshift(&seed) % len] = (char)(xorshift(&seed) & 0xff);
        size_t n = iter % 5 == 0 ? (size_t)(xorshift(&seed) % len) : len;
        sift_doc *out = NULL;
        sift_err err = {{0}};
        int rc = iter % 2 ? sift_codec_decode_producer(m, n, NULL, &out, &err)
                          : sift_codec_decode(m, n, NULL, &out, &err);
        if (rc == 0) {
            char *again;
            size_t again_len;
            assert_int_equal(sift_codec_encode(out, &again, &again_len), 0);
            free(again);
            sift_doc_destroy(&out);
            n_ok++;
        } else {
            assert_null(out);
            assert_true(err.msg[0] != '\0');
            n_fail++;
        }
        free(m);
    }
    assert_true(n_fail > 0);
    assert_true(n_ok > 0); /* flips inside text bytes still decode */
    sift_doc_destroy(&d);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codec_rejects_empty_input),
        cmocka_unit_test(test_codec_rejects_top_level_that_is_not_a_map),
        cmocka_unit_test(test_codec_rejects_truncated_header),
        cmocka_unit_test(test_codec_rejects_truncated_at_several_points),
        cmocka_unit_test(test_codec_rejects_str32_length_beyond_buffer),
        cmocka_unit_test(test_codec_rejects_bin32_length_beyond_buffer),
        cmocka_unit_test(test_codec_rejects_array32_count_beyond_buffer),
        cmocka_unit_test(test_codec_rejects_map32_count_beyond_buffer),
        cmocka_unit_test(test_codec_rejects_nested_map_size_bomb),
        cmocka_unit_test(test_codec_rejects_nesting_bomb_of_depth_1000),
        cmocka_unit_test(test_codec_accepts_nesting_at_the_limit_and_not_past_it),
        cmocka_unit_test(test_codec_rejects_trailing_bytes),
        cmocka_unit_test(test_codec_rejects_never_used_byte_c1),
        cmocka_unit_test(test_codec_rejects_wrong_type_for_each_key),
        cmocka_unit_test(test_codec_rejects_non_str_document_key),
        cmocka_unit_test(test_codec_rejects_duplicate_keys),
        cmocka_unit_test(test_codec_rejects_missing_required_keys),
        cmocka_unit_test(test_codec_rejects_bad_status),
        cmocka_unit_test(test_codec_rejects_text_over_limit),
        cmocka_unit_test(test_codec_rejects_invalid_utf8_id),
        cmocka_unit_test(test_codec_rejects_id_with_control_chars),
        cmocka_unit_test(test_codec_rejects_id_over_256_bytes),
        cmocka_unit_test(test_codec_rejects_invalid_utf8_in_keys_source_and_strings),
        cmocka_unit_test(test_codec_rejects_numbers_out_of_range),
        cmocka_unit_test(test_codec_producer_allows_missing_id_and_ignores_full_keys),
        cmocka_unit_test(test_codec_ignores_unknown_keys),
        cmocka_unit_test(test_codec_text_may_be_bin_with_nul_and_invalid_utf8),
        cmocka_unit_test(test_codec_round_trips_nested_fields_scores_and_trace),
        cmocka_unit_test(test_codec_round_trips_dropped_and_failed_status),
        cmocka_unit_test(test_codec_encodes_invalid_utf8_text_as_bin),
        cmocka_unit_test(test_codec_encode_refuses_fields_the_decoder_would_refuse),
        cmocka_unit_test(test_codec_every_prefix_of_a_valid_message_fails_cleanly),
        cmocka_unit_test(test_codec_random_byte_flips_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
