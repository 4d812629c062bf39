/* clean.h - what the files of the clean plugin share: options, counters, helpers.
 *
 * The clean stage is split by concern: clean.c (descriptor, options, the
 * process() driver, fields and notes), scan.c (the one pass over the input
 * that decides what every character becomes and folds white space),
 * utf8fix.c (strict UTF-8 decoding, CP1252 table, mojibake repair),
 * entities.c (HTML character references) and normalize.c (NFC/NFKC via
 * utf8proc, only where a quick check says it may matter). This header is
 * private to the plugin; nothing here is exported from clean.so.
 * SPDX-License-Identifier: MIT
 */
#ifndef CLEAN_H
#define CLEAN_H

#include <stddef.h>
#include <stdint.h>

#include <sift/plugin.h>

typedef enum clean_norm { CLEAN_NORM_NONE = 0, CLEAN_NORM_NFC = 1, CLEAN_NORM_NFKC = 2 } clean_norm;

/* Validated options of one instance. */
typedef struct clean_opts {
    int fix_mojibake;    /* repair UTF-8 read as CP1252/Latin-1 */
    int decode_entities; /* decode HTML character references */
    int fold_typography; /* curly quotes, dashes, ellipsis to ASCII */
    int max_blank_lines; /* 0..10 */
    clean_norm norm;
} clean_opts;

/* Repairs of one document, written to fields.clean. */
typedef struct clean_counts {
    int64_t invalid_utf8; /* maximal invalid subsequences replaced by U+FFFD */
    int64_t mojibake;     /* characters restored from mojibake */
    int64_t entities;     /* character references decoded */
    int64_t spaces;       /* space characters converted, folded or trimmed */
    int64_t controls;     /* control and bidi format characters removed */
    int64_t zero_width;   /* zero-width characters removed */
    int64_t newlines;     /* line breaks converted, folded or trimmed */
    int64_t typography;   /* characters folded by fold_typography */
    int64_t nfc;          /* 1 when normalisation changed the text */
} clean_counts;

/* ---------------------------------------------------------------- utf8fix.c */

#define UTF8FIX_INVALID (-1)

/* Decode the character at p (p < end; both borrowed for the call). Returns
 * the bytes consumed (>= 1) and sets *cp to the code point, or to
 * UTF8FIX_INVALID for one maximal invalid subpart (the caller writes one
 * U+FFFD for it). */
size_t utf8fix_decode(const uint8_t *p, const uint8_t *end, int32_t *cp);

/* Write cp (a valid scalar value) as UTF-8 at out (borrowed for the call,
 * room for 4 bytes); returns 1..4. */
size_t utf8fix_encode(uint32_t cp, char *out);

/* The CP1252 byte (0x80..0xFF) a character came from when UTF-8 was read as
 * CP1252 or Latin-1, or -1 if it has none. */
int utf8fix_cp1252_byte(uint32_t cp);

/* The character CP1252 gives byte b (0x80..0x9F); the C1 control itself for
 * the five bytes CP1252 leaves undefined. */
uint32_t utf8fix_cp1252_char(uint8_t b);

/* Longest run utf8fix_repair_run accepts, in characters. */
#define UTF8FIX_RUN_MAX 64

/* Repair mojibake in cp[0..n) (n <= UTF8FIX_RUN_MAX) in place; fixed[i] is
 * set to 1 for each character restored (both arrays borrowed for the call).
 * prev and next are the characters around the run (0 at the text's edges).
 * Returns the new length. */
size_t utf8fix_repair_run(uint32_t *cp, uint8_t *fixed, size_t n, uint32_t prev, uint32_t next);

/* Character-class helpers on utf8proc categories (ASCII without a lookup). */
int utf8fix_is_lower(uint32_t cp);
int utf8fix_is_upper(uint32_t cp);
int utf8fix_is_letter(uint32_t cp);
int utf8fix_is_digit(uint32_t cp);

/* ---------------------------------------------------------------- entities.c */

/* Decode the character reference starting at p (*p == '&'; p and end
 * borrowed for the call). Returns the bytes it spans and sets *cp, or
 * returns 0 when p does not start one. */
size_t entities_decode(const uint8_t *p, const uint8_t *end, uint32_t *cp);

/* ---------------------------------------------------------------- normalize.c */

typedef struct norm norm;

/* Make a normaliser for mode (not CLEAN_NORM_NONE). Caller owns *out; free
 * with norm_destroy(). Returns 0 or SIFT_ENOMEM. */
int norm_new(norm **out, clean_norm mode);
void norm_destroy(norm **pp);

/* 1 if cp is a normalisation boundary that the mode leaves unchanged (so
 * text made only of such characters is already normalised), else 0. */
int norm_is_safe(norm *nm, uint32_t cp);

/* Normalise text[0..n) (valid UTF-8, borrowed for the call), whose first
 * unsafe character starts at byte from. Returns 1 with *out (borrowed until
 * the next norm_apply, norm_trim or norm_destroy) and *out_len when the
 * text changed, 0 when it did not, or SIFT_ENOMEM. */
int norm_apply(norm *nm, const char *text, size_t n, size_t from, const char **out,
               size_t *out_len);

/* Free buffers past keep_bytes that one large document left behind. */
void norm_trim(norm *nm, size_t keep_bytes);

/* ---------------------------------------------------------------- scan.c */

/* What one scan may do beyond mapping characters and folding white space. */
typedef struct scan_cfg {
    const clean_opts *opts; /* borrowed for the call */
    int entities;           /* decode character references */
    int mojibake;           /* repair mojibake */
    norm *nm;               /* borrowed for the call; NULL = no quick check */
} scan_cfg;

/* Bytes scan_run may write for n input bytes (invalid bytes triple). */
#define SCAN_OUT_MAX(n) (3 * (n) + 16)

/* Clean in[0..n) (any bytes) into out (SCAN_OUT_MAX(n) bytes), adding to k;
 * cfg, in, out and k are borrowed for the call. Returns the output length;
 * *first_unsafe is the offset of the first character norm_is_safe refused,
 * or SIZE_MAX. Never fails. */
size_t scan_run(const scan_cfg *cfg, const uint8_t *in, size_t n, char *out, clean_counts *k,
                size_t *first_unsafe);

#endif
