/* normalize.c - NFC or NFKC through utf8proc, only where it can change something.
 *
 * Owns the quick check and the normaliser's buffers. A character is "safe"
 * when it is a normalisation boundary the mode leaves alone: combining class
 * 0, not the second half of any composition (utf8proc's comb_index, plus the
 * Hangul V and T jamo utf8proc composes by rule), and mapped to itself by
 * the mode. Text made of safe characters is already normalised, so ASCII and
 * most letters cost one cached lookup in scan.c. Around each unsafe
 * character norm_apply takes the segment from the safe character before it
 * to the next safe character, normalises it with utf8proc (decompose +
 * reencode, what utf8proc_map does, without its allocation) and splices it
 * in only if it differs. Safe-or-not is cached, two bits a code point, for
 * the BMP and the SMP; the rest is computed each time.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "clean.h"

#define CACHE_CPS 0x20000u /* code points with a cached answer */
enum { QC_UNKNOWN = 0, QC_SAFE = 1, QC_UNSAFE = 2 };

struct norm {
    clean_norm mode;
    utf8proc_option_t flags; /* STABLE | COMPOSE [| COMPAT] */
    uint8_t *qc;             /* 2 bits per code point below CACHE_CPS */
    utf8proc_int32_t *u32;   /* decomposed segment, then its UTF-8 */
    size_t u32_cap;          /* in code points */
    char *out;               /* the normalised text */
    size_t out_cap;
};

int norm_new(norm **out, clean_norm mode)
{
    norm *nm = calloc(1, sizeof *nm);
    if (!nm)
        return SIFT_ENOMEM;
    nm->mode = mode;
    nm->flags = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    if (mode == CLEAN_NORM_NFKC)
        nm->flags |= UTF8PROC_COMPAT;
    nm->qc = calloc(CACHE_CPS / 4, 1);
    if (!nm->qc) {
        free(nm);
        return SIFT_ENOMEM;
    }
    *out = nm;
    return SIFT_OK;
}

void norm_destroy(norm **pp)
{
    if (!pp || !*pp)
        return;
    free((*pp)->qc);
    free((*pp)->u32);
    free((*pp)->out);
    free(*pp);
    *pp = NULL;
}

void norm_trim(norm *nm, size_t keep_bytes)
{
    if (nm->out_cap > keep_bytes) {
        free(nm->out);
        nm->out = NULL;
        nm->out_cap = 0;
    }
    if (nm->u32_cap * sizeof *nm->u32 > keep_bytes) {
        free(nm->u32);
        nm->u32 = NULL;
        nm->u32_cap = 0;
    }
}

static int compute_safe(const norm *nm, uint32_t cp)
{
    const utf8proc_property_t *pr = utf8proc_get_property((utf8proc_int32_t)cp);
    utf8proc_int32_t buf[32];
    int boundclass = 0;

    if (pr->combining_class != 0)
        return 0;
    if (pr->comb_index != UINT16_MAX && pr->comb_index >= 0x8000)
        return 0; /* composes with what precedes it */
    if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2))
        return 0; /* Hangul V and T jamo */
    if (pr->decomp_seqindex == UINT16_MAX)
        return 1;
    if (pr->decomp_type != 0 && nm->mode == CLEAN_NORM_NFC)
        return 1; /* compatibility mapping only */
    utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)cp, buf, 32, nm->flags,
                                                 &boundclass);
    if (k < 1 || k > 32)
        return 0;
    k = utf8proc_normalize_utf32(buf, k, nm->flags);
    return k == 1 && buf[0] == (utf8proc_int32_t)cp;
}

int norm_is_safe(norm *nm, uint32_t cp)
{
    if (cp < 0x300 && nm->mode == CLEAN_NORM_NFC)
        return 1;
    if (cp >= CACHE_CPS)
        return compute_safe(nm, cp);
    unsigned shift = (cp & 3u) * 2;
    unsigned v = (nm->qc[cp >> 2] >> shift) & 3u;
    if (v == QC_UNKNOWN) {
        v = compute_safe(nm, cp) ? QC_SAFE : QC_UNSAFE;
        nm->qc[cp >> 2] = (uint8_t)(nm->qc[cp >> 2] | (v << shift));
    }
    return v == QC_SAFE;
}

/* The character at text[i] (valid UTF-8, i < n); *len gets its length. */
static uint32_t char_at(const char *text, size_t n, size_t i, size_t *len)
{
    int32_t cp;
    *len = utf8fix_decode((const uint8_t *)text + i, (const uint8_t *)text + n, &cp);
    return cp < 0 ? 0xFFFD : (uint32_t)cp;
}

/* Offset of the first unsafe character at or after i, or n. */
static size_t next_unsafe(norm *nm, const char *text, size_t n, size_t i)
{
    while (i < n) {
        if ((unsigned char)text[i] < 0x80) {
            i++;
            continue;
        }
        size_t len;
        if (!norm_is_safe(nm, char_at(text, n, i, &len)))
            return i;
        i += len;
    }
    return n;
}

static int reserve(void **buf, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return SIFT_OK;
    size_t cap2 = *cap ? *cap : 256;
    while (cap2 < need)
        cap2 *= 2;
    void *p = realloc(*buf, cap2 * elem);
    if (!p)
        return SIFT_ENOMEM;
    *buf = p;
    *cap = cap2;
    return SIFT_OK;
}

/* Normalise seg[0..n) into nm->u32 as UTF-8; *len gets its length. */
static int normalize_segment(norm *nm, const char *seg, size_t n, size_t *len)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)seg;
    utf8proc_ssize_t k = utf8proc_decompose(s, (utf8proc_ssize_t)n, nm->u32,
                                            (utf8proc_ssize_t)nm->u32_cap, nm->flags);
    if (k >= 0 && (size_t)k >= nm->u32_cap) { /* reencode needs one spare byte */
        if (reserve((void **)&nm->u32, &nm->u32_cap, (size_t)k + 1, sizeof *nm->u32) < 0)
            return SIFT_ENOMEM;
        k = utf8proc_decompose(s, (utf8proc_ssize_t)n, nm->u32, (utf8proc_ssize_t)nm->u32_cap,
                               nm->flags);
    }
    if (k < 0)
        return SIFT_EINVAL; /* not reached: scan.c emits valid UTF-8 */
    k = utf8proc_reencode(nm->u32, k, nm->flags);
    if (k < 0)
        return SIFT_EINVAL;
    *len = (size_t)k;
    return SIFT_OK;
}

/* Append text[0..n) to nm->out at *at. */
static int out_append(norm *nm, size_t *at, const char *text, size_t n)
{
    if (reserve((void **)&nm->out, &nm->out_cap, *at + n + 1, 1) < 0)
        return SIFT_ENOMEM;
    memcpy(nm->out + *at, text, n);
    *at += n;
    return SIFT_OK;
}

int norm_apply(norm *nm, const char *text, size_t n, size_t from, const char **out,
               size_t *out_len)
{
    size_t done = 0, at = 0, pos = from, len;
    int rc, is_changed = 0;

    if (reserve((void **)&nm->u32, &nm->u32_cap, 64, sizeof *nm->u32) < 0)
        return SIFT_ENOMEM;
    while ((pos = next_unsafe(nm, text, n, pos)) < n) {
        size_t start = pos; /* back to the safe character before, if any */
        if (start > done) {
            start--;
            while (start > done && ((unsigned char)text[start] & 0xC0) == 0x80)
                start--;
        }
        size_t end = pos;
        char_at(text, n, end, &len);
        for (end += len; end < n && !norm_is_safe(nm, char_at(text, n, end, &len)); end += len)
            ;
        if ((rc = normalize_segment(nm, text + start, end - start, &len)) < 0)
            return rc;
        if (len != end - start || memcmp(nm->u32, text + start, len) != 0) {
            if ((rc = out_append(nm, &at, text + done, start - done)) < 0 ||
                (rc = out_append(nm, &at, (const char *)nm->u32, len)) < 0)
                return rc;
            done = end;
            is_changed = 1;
        }
        pos = end;
    }
    if (!is_changed)
        return 0;
    if ((rc = out_append(nm, &at, text + done, n - done)) < 0)
        return rc;
    *out = nm->out;
    *out_len = at;
    return 1;
}
