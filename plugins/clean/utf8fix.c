/* utf8fix.c - strict UTF-8 decoding and repair of UTF-8 read as CP1252 (mojibake).
 *
 * Owns the byte-level view of text: the decoder that reports each maximal
 * invalid subpart as one error (Unicode 3.9 "U+FFFD substitution of maximal
 * subparts", as the WHATWG decoder does), the encoder, the CP1252 table and
 * the mojibake repair. What each character then becomes is scan.c's job;
 * HTML references are entities.c's.
 *
 * Mojibake: UTF-8 bytes decoded as CP1252 (or Latin-1) turn "é" (C3 A9)
 * into "Ã©" and "’" (E2 80 99) into "â€™". scan.c hands over a run of
 * characters that each have a CP1252 byte, starting at a would-be lead
 * (U+00C2..U+00F4). The run is mapped back to bytes; a window is replaced by
 * the character it encodes only when
 *   1. the bytes are one well-formed UTF-8 sequence with a C2..F4 lead
 *      (no overlongs, no surrogates, nothing past U+10FFFF);
 *   2. the character is plausible: not a control, unassigned, private-use
 *      or noncharacter (so "Â…" -> U+0085 stays "Â…");
 *   3. if every continuation byte is a mark that also ends words in correct
 *      text (‘ ’ “ ” » … – — ™ › NBSP SHY), as in "IRMÃ”", "CAFÉ»" or
 *      "Gruß“", the context must vouch for it: a neighbour in the run was
 *      repaired too, or (two-byte only) a lower-case letter follows and no
 *      capital precedes ("Ã–sterreich"), or a lower-case letter precedes a
 *      lead Â or Ã, which correct text only puts in capitals ("dÃ»" ->
 *      "dû"), or "Ã"+NBSP stands alone ("Ã  Paris" -> "à Paris"), or "Ã—"
 *      sits between digits ("1920Ã—1080").
 * Correct text keeps its "Ã" (Portuguese), "Â" (French) and "â€" followed
 * by anything that is not a continuation. Rounds repeat until the run no
 * longer changes, which repairs doubled mojibake ("Ã¢â‚¬â„¢" -> "’") and
 * leaves nothing a second clean would repair in that run. Accepted loss:
 * mojibake of capitals before such a mark ("CÃ”TE") stays.
 * SPDX-License-Identifier: MIT
 */
#include <utf8proc.h>

#include "clean.h"

/* CP1252 0x80..0x9F; the five undefined bytes map to their C1 control, as
 * Latin-1 and WHATWG's numeric-reference table leave them. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

size_t utf8fix_decode(const uint8_t *p, const uint8_t *end, int32_t *cp)
{
    uint32_t b0 = p[0], c;
    uint8_t lo = 0x80, hi = 0xBF;
    size_t need;

    if (b0 < 0x80) {
        *cp = (int32_t)b0;
        return 1;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        c = b0 & 0x0F;
        lo = b0 == 0xE0 ? 0xA0 : 0x80; /* no overlongs */
        hi = b0 == 0xED ? 0x9F : 0xBF; /* no surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        c = b0 & 0x07;
        lo = b0 == 0xF0 ? 0x90 : 0x80; /* no overlongs */
        hi = b0 == 0xF4 ? 0x8F : 0xBF; /* nothing past U+10FFFF */
    } else {
        *cp = UTF8FIX_INVALID;
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if (p + i >= end || p[i] < lo || p[i] > hi) {
            *cp = UTF8FIX_INVALID;
            return i;
        }
        c = (c << 6) | (p[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = (int32_t)c;
    return need + 1;
}

size_t utf8fix_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

uint32_t utf8fix_cp1252_char(uint8_t b)
{
    return b >= 0x80 && b <= 0x9F ? cp1252_high[b - 0x80] : b;
}

int utf8fix_cp1252_byte(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0xFF)
        return (int)cp;
    if (cp < 0x152 || cp > 0x2122)
        return -1;
    for (int i = 0; i < 32; i++)
        if (cp1252_high[i] == cp)
            return 0x80 + i;
    return -1;
}

/* ---------------------------------------------------------------- classes */

static int category(uint32_t cp)
{
    return utf8proc_category((utf8proc_int32_t)cp);
}

int utf8fix_is_lower(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return category(cp) == UTF8PROC_CATEGORY_LL;
}

int utf8fix_is_upper(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    int c = category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int utf8fix_is_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    int c = category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int utf8fix_is_digit(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    return category(cp) == UTF8PROC_CATEGORY_ND;
}

/* ---------------------------------------------------------------- mojibake */

/* One window of the run that decodes as a UTF-8 sequence. */
typedef struct cand {
    uint8_t start, len;
    uint8_t is_ambiguous, is_ok;
    uint8_t lead, cont; /* first and second byte */
    uint32_t cp;
} cand;

/* Bytes that end words in correct text as well as continue UTF-8 sequences. */
static int is_word_final(uint8_t b)
{
    switch (b) {
    case 0x85: case 0x91: case 0x92: case 0x93: case 0x94: /* … ‘ ’ “ ” (German closes with “ ‘) */
    case 0x96: case 0x97: case 0x99: case 0x9B:             /* – — ™ › */
    case 0xA0: case 0xAD: case 0xBB:                        /* NBSP SHY » */
        return 1;
    default:
        return 0;
    }
}

static int is_plausible(uint32_t cp)
{
    switch (category(cp)) {
    case UTF8PROC_CATEGORY_CN: /* unassigned, noncharacters */
    case UTF8PROC_CATEGORY_CO: /* private use */
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CC: /* C1 controls */
        return 0;
    default:
        return 1;
    }
}

/* Find the windows of b[0..n) that decode, left to right, without overlap. */
static size_t find_cands(const uint8_t *b, size_t n, cand *c)
{
    size_t nc = 0;

    for (size_t i = 0; i + 1 < n;) {
        int32_t cp = UTF8FIX_INVALID;
        size_t len = 0;
        if (b[i] >= 0xC2 && b[i] <= 0xF4)
            len = utf8fix_decode(b + i, b + n, &cp);
        if (len < 2 || cp == UTF8FIX_INVALID || !is_plausible((uint32_t)cp)) {
            i++;
            continue;
        }
        int is_amb = 1;
        for (size_t j = 1; j < len; j++)
            is_amb &= is_word_final(b[i + j]);
        c[nc++] = (cand){.start = (uint8_t)i, .len = (uint8_t)len, .is_ambiguous = (uint8_t)is_amb,
                         .is_ok = (uint8_t)!is_amb, .lead = b[i], .cont = b[i + 1],
                         .cp = (uint32_t)cp};
        i += len;
    }
    return nc;
}

/* Rule 3 of the header for candidate c[k], neighbours taken after repair. */
static int context_vouches(const cand *c, size_t nc, size_t k, const uint32_t *cp,
                           const uint8_t *fixed, size_t n, uint32_t prev, uint32_t next)
{
    const cand *x = &c[k];
    size_t end = (size_t)x->start + x->len;
    int prev_fixed = 0, next_fixed = 0;

    if (x->start > 0) {
        prev = cp[x->start - 1];
        prev_fixed = fixed[x->start - 1];
        if (k > 0 && c[k - 1].start + c[k - 1].len == x->start && c[k - 1].is_ok) {
            prev = c[k - 1].cp;
            prev_fixed = 1;
        }
    }
    if (end < n) {
        next = cp[end];
        next_fixed = fixed[end];
        if (k + 1 < nc && c[k + 1].start == end && c[k + 1].is_ok) {
            next = c[k + 1].cp;
            next_fixed = 1;
        }
    }
    if (prev_fixed || next_fixed)
        return 1;
    if (x->len != 2)
        return 0;
    if (utf8fix_is_lower(next) && !utf8fix_is_upper(prev))
        return 1;
    if ((x->lead == 0xC2 || x->lead == 0xC3) && utf8fix_is_lower(prev))
        return 1;
    if (x->lead == 0xC3 && x->cont == 0xA0 && !utf8fix_is_letter(prev))
        return 1;
    return x->lead == 0xC3 && x->cont == 0x97 && utf8fix_is_digit(prev) && utf8fix_is_digit(next);
}

/* One round of repair; returns the new length (n when nothing changed). */
static size_t repair_once(uint32_t *cp, uint8_t *fixed, size_t n, uint32_t prev, uint32_t next)
{
    uint8_t b[UTF8FIX_RUN_MAX];
    cand c[UTF8FIX_RUN_MAX / 2];

    for (size_t i = 0; i < n; i++) {
        int v = utf8fix_cp1252_byte(cp[i]);
        b[i] = (uint8_t)(v < 0 ? 0 : v);
    }
    size_t nc = find_cands(b, n, c);
    if (nc == 0)
        return n;
    for (size_t k = 0; k < nc; k++)
        if (c[k].is_ambiguous)
            c[k].is_ok = (uint8_t)context_vouches(c, nc, k, cp, fixed, n, prev, next);

    size_t w = 0, k = 0;
    for (size_t i = 0; i < n;) {
        while (k < nc && c[k].start < i)
            k++;
        if (k < nc && c[k].start == i && c[k].is_ok) {
            cp[w] = c[k].cp;
            fixed[w++] = 1;
            i += c[k].len;
        } else {
            cp[w] = cp[i];
            fixed[w++] = fixed[i];
            i++;
        }
    }
    return w;
}

size_t utf8fix_repair_run(uint32_t *cp, uint8_t *fixed, size_t n, uint32_t prev, uint32_t next)
{
    if (n > UTF8FIX_RUN_MAX)
        n = UTF8FIX_RUN_MAX;
    /* Rounds until nothing changes (each shortens the run): doubled
     * mojibake needs two, and the result is what a second clean would
     * leave alone. */
    for (size_t m; (m = repair_once(cp, fixed, n, prev, next)) != n;)
        n = m;
    return n;
}
