/* sift/plugin.h - the whole SDK for writing a sift stage plugin.
 *
 * A sift stage is a shared object that exports exactly one symbol,
 * sift_plugin_entry(), which returns the address of a static const
 * sift_plugin descriptor. The host (siftd's workers, or `sift run`) checks
 * the descriptor's fixed header before running any plugin code, validates
 * the stage's options against the descriptor's option table, then calls:
 *
 *     init(stage, host, &state)    once per instance, after validation
 *     process(state, doc)          once per document, never concurrently
 *     flush(state)                 optional: persist state (idle, shutdown)
 *     stats(state, map)            optional: report counters into a map
 *     fini(state)                  once, only after a successful init
 *
 * Everything a plugin needs from the host comes through the sift_host
 * function table handed to init: document access, typed values, options,
 * logging and errors. A plugin therefore links against nothing of sift's
 * and builds out of tree with this header alone:
 *
 *     #include <sift/plugin.h>
 *     static const sift_host *H;
 *     static int upper_process(void *state, sift_doc *doc) {
 *         const char *t; size_t n;
 *         H->doc_text(doc, &t, &n);              // borrowed until process returns
 *         ...                                    // build a new buffer
 *         return H->doc_set_text(doc, buf, n);   // copied by the host
 *     }
 *     static int upper_init(sift_stage *st, const sift_host *h, void **state) {
 *         (void)st; H = h; *state = NULL; return SIFT_OK;
 *     }
 *     static const sift_plugin upper = {
 *         SIFT_PLUGIN_HEADER, .name = "upper", .version = "1.0.0",
 *         .description = "upper-cases the text",
 *         .init = upper_init, .process = upper_process,
 *     };
 *     SIFT_EXPORT const sift_plugin *sift_plugin_entry(void) { return &upper; }
 *
 * Ownership, one rule for the whole SDK: everything the host hands a plugin
 * is BORROWED (document data until process() returns or that value is set
 * again; options, the stage and the host table until fini() returns), and
 * everything a plugin hands the host is COPIED. Neither side frees the
 * other's memory; the plugin frees its own state in fini().
 *
 * Concurrency: an instance is never called concurrently, and every call
 * happens on the thread that called init. A plugin starts no threads that
 * call the host, does no network I/O, and may be killed at any instruction
 * (the supervisor retries the document elsewhere).
 *
 * ABI policy: same major = compatible. A minor bump only appends: a member
 * at the end of a struct, a function at the end of sift_host, a value to an
 * enum or to SIFT_ERRNO_MAP. The host accepts a plugin whose major equals
 * its own and whose minor is not newer than its own; it reads descriptor
 * members below struct_size only, and a plugin tests host members added
 * after 1.0 with SIFT_HOST_HAS(host, member) before calling them.
 *
 * This header includes only <stddef.h>, <stdint.h> and <stdarg.h>.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_PLUGIN_H
#define SIFT_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIFT_PLUGIN_MAGIC 0x53494654u /* "SIFT" */
#define SIFT_ABI_MAJOR 1
#define SIFT_ABI_MINOR 0

/* Marks the one symbol a plugin exports; plugins build with
 * -fvisibility=hidden so nothing else leaks into the dynamic table. */
#if defined(__GNUC__) || defined(__clang__)
#define SIFT_EXPORT __attribute__((visibility("default")))
/* printf-style checking of log and error formats (GCC and clang). */
#define SIFT_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define SIFT_EXPORT
#define SIFT_PRINTF(fmt_index, first_arg)
#endif

/* ---------------------------------------------------------------- results
 * process() returns SIFT_OK, SIFT_DROP (positive, via host->doc_drop), or a
 * negative code. SIFT_RETRY (== SIFT_EAGAIN) asks for the document to be
 * tried again later, up to the pipeline's attempt limit; any other negative
 * code fails the document (status "failed", error name plus the text given
 * to host->error). The list is append-only; values are never renumbered. */
#define SIFT_ERRNO_MAP(X)                                                                          \
    X(EINVAL, -1000, "invalid argument")                                                           \
    X(ENOMEM, -1001, "out of memory")                                                              \
    X(ENOENT, -1002, "no such field or option")                                                    \
    X(ETYPE, -1003, "value has another type")                                                      \
    X(EAGAIN, -1004, "transient failure, retry later")                                             \
    X(EDOC, -1005, "document cannot be processed")                                                 \
    X(ENOSYS, -1006, "host function not available")                                               \
    X(ERANGE, -1007, "value or size out of range")                                                 \
    X(EUTF8, -1008, "string is not valid UTF-8")                                                   \
    X(ESTATE, -1009, "plugin state unusable")

enum {
    SIFT_OK = 0,
    SIFT_DROP = 1,
#define SIFT_ERRNO_ENUM_(name, value, text) SIFT_##name = (value),
    SIFT_ERRNO_MAP(SIFT_ERRNO_ENUM_)
#undef SIFT_ERRNO_ENUM_
        SIFT_RETRY = SIFT_EAGAIN
};

/* Log levels for host->log. */
enum { SIFT_LOG_DEBUG = 0, SIFT_LOG_INFO = 1, SIFT_LOG_WARN = 2, SIFT_LOG_ERROR = 3 };

/* ---------------------------------------------------------------- handles */
typedef struct sift_doc sift_doc;     /* one document; borrowed until process() returns */
typedef struct sift_stage sift_stage; /* one configured instance; borrowed until fini() */
typedef struct sift_value sift_value; /* a field value inside a document or an option */

/* Types of a sift_value. A document's fields form a tree of these: the root
 * (host->doc_fields) is a map; keys are UTF-8 strings. */
typedef enum sift_type {
    SIFT_T_NIL = 0,
    SIFT_T_BOOL = 1,
    SIFT_T_INT = 2,    /* int64_t */
    SIFT_T_DOUBLE = 3, /* finite double */
    SIFT_T_STR = 4,    /* UTF-8, length-counted, no NUL inside */
    SIFT_T_LIST = 5,
    SIFT_T_MAP = 6 /* ordered by first insertion; keys unique */
} sift_type;

/* ---------------------------------------------------------------- options
 * A plugin declares its options; the host validates the stage's config
 * group against the table (unknown key, wrong type, out of bounds, missing
 * required) before init, so the opt_* getters cannot fail on a declared
 * name of the declared type. */
typedef enum sift_opt_type {
    SIFT_OPT_BOOL = 1,    /* read with opt_bool */
    SIFT_OPT_INT = 2,     /* read with opt_int; bounds min..max inclusive */
    SIFT_OPT_DOUBLE = 3,  /* read with opt_double; an integer in the config is accepted */
    SIFT_OPT_STRING = 4,  /* read with opt_str */
    SIFT_OPT_ENUM = 5,    /* read with opt_str; one of choices */
    SIFT_OPT_STRLIST = 6  /* read with opt_list: a SIFT_T_LIST of SIFT_T_STR */
} sift_opt_type;

typedef struct sift_option {
    const char *name;            /* static: key in the stage's options group, [a-z][a-z0-9_]* */
    sift_opt_type type;
    const char *def;             /* static: default as config text ("3", "true", "\"x\"",
                                    "[\"a\", \"b\"]"); NULL = required */
    int64_t min, max;            /* SIFT_OPT_INT bounds, inclusive; both 0 = unbounded */
    const char *const *choices;  /* static: SIFT_OPT_ENUM values, NULL-terminated */
    const char *help;            /* static: one line, shown by `sift check --plugins` */
} sift_option;

/* ---------------------------------------------------------------- host table */
typedef struct sift_host {
    uint32_t struct_size; /* sizeof(sift_host) as the host was built */
    uint16_t abi_major, abi_minor;

    /* ABI 1.0 ----------------------------------------------------------- */

    /* Log one line at level; the host adds comp=plugin, stage= and doc=.
     * fmt and its result: copied. Never fails. */
    void (*log)(sift_stage *st, int level, const char *fmt, ...) SIFT_PRINTF(3, 4);

    /* Record the text of an error for the call in progress (init or process)
     * and return rc unchanged, so `return host->error(st, SIFT_EDOC, "...")`
     * fails the document with that text. fmt and its result: copied. */
    int (*error)(sift_stage *st, int rc, const char *fmt, ...) SIFT_PRINTF(3, 4);

    /* Options, typed. The name must be declared in the plugin's option table
     * with the matching type, else SIFT_ENOENT or SIFT_ETYPE. Outputs are
     * borrowed until fini() returns. */
    int (*opt_bool)(sift_stage *st, const char *name, int *out);
    int (*opt_int)(sift_stage *st, const char *name, int64_t *out);
    int (*opt_double)(sift_stage *st, const char *name, double *out);
    int (*opt_str)(sift_stage *st, const char *name, const char **out); /* STRING, ENUM */
    int (*opt_list)(sift_stage *st, const char *name, const sift_value **out); /* STRLIST */

    /* The stage's instance name (the config's stage name), borrowed until
     * fini(); and a directory the plugin may keep persistent state in
     * (created by the host, borrowed until fini()), or NULL if none. */
    const char *(*stage_name)(sift_stage *st);
    const char *(*stage_state_dir)(sift_stage *st);

    /* Document identity and text. Outputs are borrowed until process()
     * returns or the text is set again. The text is UTF-8 once the clean
     * stage has run; before that it may hold any bytes. Never NULL. */
    int (*doc_id)(const sift_doc *d, const char **id, size_t *len);
    int (*doc_source)(const sift_doc *d, const char **source, size_t *len); /* "" if none */
    int (*doc_text)(const sift_doc *d, const char **text, size_t *len);

    /* Replace the text. text: copied. Returns SIFT_OK, SIFT_ERANGE past the
     * pipeline's size limit, or SIFT_ENOMEM. */
    int (*doc_set_text)(sift_doc *d, const char *text, size_t len);

    /* The root map of the document's fields; borrowed until process()
     * returns. Read and write it with the value functions below. */
    sift_value *(*doc_fields)(sift_doc *d);

    /* Set or read a score (a finite double) by name. Names are flat and may
     * use dots as namespaces ("gopher.word_count", "topic.politics").
     * key: copied. SIFT_EINVAL for a non-finite value or an empty key;
     * doc_score_get returns SIFT_ENOENT when unset. */
    int (*doc_score_set)(sift_doc *d, const char *key, double value);
    int (*doc_score_get)(const sift_doc *d, const char *key, double *out);

    /* Mark the document dropped by this stage with a reason naming the
     * signal and its value ("words=12 below min_words=50"). reason: copied.
     * Returns SIFT_DROP, so `return host->doc_drop(doc, "...")`. */
    int (*doc_drop)(sift_doc *d, const char *reason);

    /* Explain one change for `sift run --explain` ("removed line 3: share
     * prompt"). Costs one branch when nobody is listening; check
     * doc_explaining first if building the text is dear. fmt: copied. */
    int (*doc_explaining)(const sift_doc *d);
    void (*doc_note)(sift_doc *d, const char *fmt, ...) SIFT_PRINTF(2, 3);

    /* Reading values. val_type never fails (NULL reads as SIFT_T_NIL).
     * Scalar getters return SIFT_ETYPE on another type; an INT reads as a
     * double too. Strings are borrowed until process() returns or the
     * value is changed. val_len is the count of a list or map, else 0. */
    sift_type (*val_type)(const sift_value *v);
    int (*val_bool)(const sift_value *v, int *out);
    int (*val_int)(const sift_value *v, int64_t *out);
    int (*val_double)(const sift_value *v, double *out);
    int (*val_str)(const sift_value *v, const char **s, size_t *len);
    size_t (*val_len)(const sift_value *v);
    /* i-th item of a list; SIFT_ERANGE past the end, SIFT_ETYPE if not a list. */
    int (*list_at)(const sift_value *list, size_t i, const sift_value **out);
    /* i-th entry of a map in insertion order. */
    int (*map_at)(const sift_value *map, size_t i, const char **key, const sift_value **out);
    /* Entry by key; SIFT_ENOENT when absent. */
    int (*map_get)(const sift_value *map, const char *key, const sift_value **out);

    /* Writing values. map_put sets key (copied) to a fresh NIL value, replacing
     * any earlier value under that key, and hands it back in *slot (borrowed
     * until process() returns); list_push appends a fresh NIL value. Then one
     * val_set_* gives the slot its value. val_set_str copies s and returns
     * SIFT_EUTF8 for invalid UTF-8 or a NUL byte; val_set_double returns
     * SIFT_EINVAL for NaN or infinity; val_set_list / val_set_map turn the
     * slot into an empty container. Sizes past the host's limits give
     * SIFT_ERANGE. Setting a value invalidates earlier borrows of it. */
    int (*map_put)(sift_value *map, const char *key, sift_value **slot);
    int (*map_del)(sift_value *map, const char *key); /* SIFT_ENOENT when absent */
    int (*list_push)(sift_value *list, sift_value **slot);
    int (*val_set_bool)(sift_value *v, int b);
    int (*val_set_int)(sift_value *v, int64_t i);
    int (*val_set_double)(sift_value *v, double d);
    int (*val_set_str)(sift_value *v, const char *s, size_t len);
    int (*val_set_list)(sift_value *v);
    int (*val_set_map)(sift_value *v);

    /* Name ("EINVAL") and text of a SIFT_ code; static. */
    const char *(*err_name)(int rc);
    const char *(*strerror)(int rc);

    /* ABI 1.1 members go below this line, never above. */
} sift_host;

/* True when the host table has member m (appended after 1.0). */
#define SIFT_HOST_HAS(h, m) (offsetof(sift_host, m) + sizeof((h)->m) <= (h)->struct_size)

/* ---------------------------------------------------------------- descriptor */

/* flags */
#define SIFT_PLUGIN_SINGLETON 0x1u  /* stateful across documents: run as one worker */
#define SIFT_PLUGIN_THREADSAFE 0x2u /* one instance may be called from several threads */

typedef struct sift_plugin {
    /* Fixed header, plain data, checked before any plugin code runs. */
    uint32_t magic; /* SIFT_PLUGIN_MAGIC */
    uint16_t abi_major, abi_minor;
    uint32_t struct_size; /* sizeof(sift_plugin) as the plugin was built */
    uint32_t option_size; /* sizeof(sift_option): stride of options[] */

    /* ABI 1.0 */
    uint32_t flags;            /* SIFT_PLUGIN_* */
    const char *name;          /* static: [a-z][a-z0-9_]{0,31} */
    const char *version;       /* static: e.g. "1.2.0" */
    const char *description;   /* static: one line */
    const sift_option *options; /* static: ends with a zeroed entry; may be NULL */

    /* Create an instance. Validated options are readable through host.
     * Set *state (may stay NULL). On failure free what was allocated and
     * return a negative code, text via host->error. Optional. */
    int (*init)(sift_stage *st, const sift_host *host, void **state);
    /* Process one document: SIFT_OK, SIFT_DROP, SIFT_RETRY or a negative
     * code. Required. */
    int (*process)(void *state, sift_doc *doc);
    /* Destroy the instance and free state. Optional. */
    void (*fini)(void *state);
    /* Make state durable (the host calls it when idle and before fini).
     * Returns SIFT_OK or a negative code. Optional. */
    int (*flush)(void *state);
    /* Report counters into map (a SIFT_T_MAP owned by the host, borrowed
     * for the call) with map_put/val_set_*. Optional. */
    void (*stats)(void *state, sift_value *map);

    /* ABI 1.1 members go here. */
} sift_plugin;

/* Fills the fixed header of a descriptor: use it first in the initialiser. */
#define SIFT_PLUGIN_HEADER                                                                         \
    .magic = SIFT_PLUGIN_MAGIC, .abi_major = SIFT_ABI_MAJOR, .abi_minor = SIFT_ABI_MINOR,          \
    .struct_size = (uint32_t)sizeof(sift_plugin), .option_size = (uint32_t)sizeof(sift_option)

/* The entry a plugin exports. Returns a static descriptor; allocates and
 * logs nothing (`sift check` calls it without init). */
typedef const sift_plugin *(*sift_plugin_entry_fn)(void);
#define SIFT_PLUGIN_ENTRY "sift_plugin_entry"
SIFT_EXPORT const sift_plugin *sift_plugin_entry(void);

#ifdef __cplusplus
}
#endif
#endif /* SIFT_PLUGIN_H */
