/* doc.h - the document model: what flows through a pipeline.
 *
 * A document is id, source, text, fields (a map of typed values), scores (a
 * map of doubles), status (ok; dropped with stage and reason; failed with
 * stage and error) and trace (per stage: name, microseconds, plugin version).
 * This file owns the in-memory form and its invariants; the msgpack form
 * lives in codec.c, the JSON form in json.c, and the plugin-facing access in
 * host.c. The schema is documented in docs/output.md.
 *
 * Invariants:
 *  1. id is 1..SIFT_DOC_MAX_ID bytes of UTF-8 without control characters.
 *  2. fields and scores are always maps (possibly empty); scores hold
 *     doubles only.
 *  3. status is SIFT_DOC_OK unless a stage dropped or failed the document;
 *     then status_stage names that stage and status_text is non-empty.
 *  4. text may hold any bytes (the clean stage makes it UTF-8); len counts
 *     them and text[len] is NUL so it can be printed in debugging.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_DOC_H
#define SIFT_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "value.h"

#define SIFT_DOC_MAX_ID (256)      /* bytes */
#define SIFT_DOC_MAX_SOURCE (1024) /* bytes */

typedef enum sift_doc_state {
    SIFT_DOC_OK = 0,
    SIFT_DOC_DROPPED = 1,
    SIFT_DOC_FAILED = 2
} sift_doc_state;

typedef struct sift_trace {
    char *stage;   /* owned */
    char *version; /* owned */
    int64_t us;    /* wall time spent in the stage's process() */
} sift_trace;

struct sift_doc {
    /* public: read freely inside lib/ and daemon/; change with the functions below */
    char *id;
    size_t id_len;
    char *source; /* "" if none */
    size_t source_len;
    char *text;
    size_t text_len;
    sift_value fields; /* SIFT_T_MAP */
    sift_value scores; /* SIFT_T_MAP of SIFT_T_DOUBLE */
    sift_doc_state state;
    char *status_stage;  /* owned; NULL when ok */
    char *status_text;   /* owned; reason (dropped) or error (failed); NULL when ok */
    sift_trace *trace;   /* owned array */
    size_t n_trace, cap_trace;
    uint32_t attempt;    /* 1 on first delivery; raised on every retry */

    /* private: set by the stage runner (stage.c) around process() */
    size_t max_text_bytes;  /* 0 = no limit */
    const char *cur_stage;  /* borrowed during process() */
    void (*note_fn)(void *ctx, const sift_doc *d, const char *stage, const char *text);
    void *note_ctx;         /* --explain listener, NULL when nobody listens */
};

/* Make a document. id: copied, validated (invariant 1); source may be NULL;
 * text: copied, any bytes. Caller owns *out; free with sift_doc_destroy(). */
int sift_doc_new(sift_doc **out, const char *id, size_t id_len, const char *source,
                 size_t source_len, const char *text, size_t text_len, sift_err *err);
void sift_doc_destroy(sift_doc **pp);

/* 0 if id[0..len) satisfies invariant 1, else SIFT_EINVAL with the reason in err. */
int sift_doc_id_check(const char *id, size_t len, sift_err *err);

/* Replace the text. text: copied. SIFT_ERANGE past max_text_bytes. */
int sift_doc_set_text(sift_doc *d, const char *text, size_t len);
/* Take ownership of buf (malloc'd, len bytes plus a NUL at buf[len]); sets *buf to NULL. */
void sift_doc_take_text(sift_doc *d, char **buf, size_t len);

/* Mark dropped/failed by stage with text (both copied). */
int sift_doc_set_status(sift_doc *d, sift_doc_state state, const char *stage, const char *text);
/* Append a trace entry (copied). */
int sift_doc_add_trace(sift_doc *d, const char *stage, const char *version, int64_t us);

/* "ok", "dropped", "failed"; static. Parse back: -1 when unknown. */
const char *sift_doc_state_name(sift_doc_state s);
int sift_doc_state_parse(const char *s, size_t len);

/* Appended for the decoders (codec.c, json.c) and the broker. */

/* An empty document: id "" (id_len 0, breaking invariant 1 until
 * sift_doc_set_id), no source, empty text, attempt 1. Caller owns *out;
 * free with sift_doc_destroy(). Returns 0 or SIFT_ENOMEM. */
int sift_doc_new_empty(sift_doc **out);

/* Replace the id after checking it as sift_doc_id_check does (SIFT_EINVAL,
 * SIFT_EUTF8 for bytes that are not UTF-8). id: copied. */
int sift_doc_set_id(sift_doc *d, const char *id, size_t len, sift_err *err);

/* Replace the source: UTF-8 without NUL (SIFT_EUTF8), at most
 * SIFT_DOC_MAX_SOURCE bytes (SIFT_ERANGE). source: copied. */
int sift_doc_set_source(sift_doc *d, const char *source, size_t len, sift_err *err);

#endif
