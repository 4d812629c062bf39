/* scan.c - the one pass over a document: what each character becomes, and white space.
 *
 * Reads the raw bytes once and writes the cleaned text once, into a buffer
 * the caller sized with SCAN_OUT_MAX (only an invalid byte grows: 1 byte ->
 * U+FFFD's 3; references, mojibake, folding and trimming only shrink).
 * Printable ASCII is copied a run at a time through a byte-class table;
 * everything else is decoded and routed:
 *   invalid UTF-8        one U+FFFD per maximal invalid subpart (utf8fix.c)
 *   "&..."               a character reference, when enabled (entities.c)
 *   U+00C2..U+00F4       start of a possible mojibake run (utf8fix.c)
 *   spaces (Zs), tab     pending horizontal white space
 *   CR, CRLF, VT, FF, NEL, U+2028, U+2029, LF   pending line break (LF)
 *   C0 (not tab/LF), DEL, C1, bidi controls U+061C U+200E U+200F
 *     U+202A..U+202E U+2066..U+206F, U+FFF9..U+FFFB       removed (controls)
 *   U+00AD U+180E U+200B U+2060..U+2064 U+FEFF            removed (zero_width)
 *   U+200C ZWNJ, U+200D ZWJ   kept only between two letters, marks or
 *     symbols (So, Sk) of which one is not ASCII: Persian and Indic joins,
 *     emoji sequences; dropped elsewhere (zero_width)
 *   anything else        content (curly quotes, dashes and "…" folded to
 *                        ASCII when fold_typography is on)
 * Pending white space is settled when content follows: a run of spaces
 * becomes one space, a run holding tabs keeps its tabs only, runs at line
 * starts and ends and at the text's edges vanish, and line breaks are
 * folded to at most max_blank_lines blank lines. U+3000 is a space like the
 * other Zs. Every content character that normalize.c cannot vouch for is
 * noted, so normalisation runs only on texts (and segments) that need it.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include <utf8proc.h>

#include "clean.h"

enum { B_PLAIN, B_SPACE, B_TAB, B_LF, B_CR, B_BREAK, B_CTRL, B_AMP, B_HIGH };

#define P B_PLAIN
#define C B_CTRL
#define H B_HIGH
static const uint8_t byte_class[256] = {
    C, C, C, C, C, C, C, C, C, B_TAB, B_LF, B_BREAK, B_BREAK, B_CR, C, C, /* 0x00 */
    C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C,                      /* 0x10 */
    B_SPACE, P, P, P, P, P, B_AMP, P, P, P, P, P, P, P, P, P,            /* 0x20 */
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,                      /* 0x30 */
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,                      /* 0x40 */
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,                      /* 0x50 */
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,                      /* 0x60 */
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, C,                      /* 0x70 */
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
};
#undef P
#undef C
#undef H

/* What a non-ASCII character becomes. */
enum { K_CONTENT, K_SPACE, K_BREAK, K_CONTROL, K_ZERO_WIDTH, K_JOINER };

typedef struct emitter {
    char *out;
    size_t len;
    const scan_cfg *cfg;
    clean_counts *k;
    size_t first_unsafe;
    uint32_t last;                   /* last content character written; 0 = none yet */
    uint32_t joiner;                 /* pending U+200C or U+200D; 0 = none */
    size_t ws_n, ws_tabs, ws_conv;   /* pending horizontal space: all, tabs, non-ASCII */
    size_t nl_n, nl_conv;            /* pending line breaks: all, other than LF */
} emitter;

static int classify(uint32_t cp)
{
    if (cp < 0xA0)
        return cp == 0x85 ? K_BREAK : K_CONTROL;
    if (cp < 0x2000) {
        switch (cp) {
        case 0xA0: case 0x1680: return K_SPACE;
        case 0xAD: case 0x180E: return K_ZERO_WIDTH;
        case 0x61C: return K_CONTROL;
        default: return K_CONTENT;
        }
    }
    if (cp <= 0x206F) {
        switch (cp) {
        case 0x200B: return K_ZERO_WIDTH;
        case 0x200C: case 0x200D: return K_JOINER;
        case 0x200E: case 0x200F: return K_CONTROL;
        case 0x2028: case 0x2029: return K_BREAK;
        case 0x202F: case 0x205F: return K_SPACE;
        default: break;
        }
        if (cp <= 0x200A)
            return K_SPACE;
        if (cp >= 0x202A && cp <= 0x202E)
            return K_CONTROL;
        if (cp >= 0x2060 && cp <= 0x2064)
            return K_ZERO_WIDTH;
        return cp >= 0x2066 ? K_CONTROL : K_CONTENT;
    }
    if (cp == 0x3000)
        return K_SPACE;
    if (cp == 0xFEFF)
        return K_ZERO_WIDTH;
    return cp >= 0xFFF9 && cp <= 0xFFFB ? K_CONTROL : K_CONTENT;
}

/* ASCII replacement under fold_typography, or NULL. */
static const char *typography(uint32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
        return "\"";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
        return "-";
    case 0x2026:
        return "...";
    default:
        return NULL;
    }
}

static int is_joinable(uint32_t cp)
{
    int c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
           c == UTF8PROC_CATEGORY_SO || c == UTF8PROC_CATEGORY_SK;
}

static void drop_joiner(emitter *e)
{
    if (e->joiner) {
        e->joiner = 0;
        e->k->zero_width++;
    }
}

/* Write the pending joiner before next, or drop it. */
static void settle_joiner(emitter *e, uint32_t next)
{
    if (is_joinable(e->last) && is_joinable(next) && (e->last >= 0x80 || next >= 0x80)) {
        e->len += utf8fix_encode(e->joiner, e->out + e->len);
        e->joiner = 0;
    } else {
        drop_joiner(e);
    }
}

/* Write the pending white space as content follows, counting what changed. */
static void settle_white(emitter *e)
{
    clean_counts *k = e->k;

    if (e->nl_n) {
        if (e->last) {
            size_t keep = (size_t)e->cfg->opts->max_blank_lines + 1;
            keep = e->nl_n < keep ? e->nl_n : keep;
            memset(e->out + e->len, '\n', keep);
            e->len += keep;
            size_t dropped = e->nl_n - keep;
            k->newlines += (int64_t)(dropped > e->nl_conv ? dropped : e->nl_conv);
        } else {
            k->newlines += (int64_t)e->nl_n;
        }
        k->spaces += (int64_t)e->ws_n; /* the line's leading space */
    } else if (!e->last) {
        k->spaces += (int64_t)e->ws_n;
    } else if (e->ws_tabs) {
        memset(e->out + e->len, '\t', e->ws_tabs);
        e->len += e->ws_tabs;
        k->spaces += (int64_t)(e->ws_n - e->ws_tabs);
    } else {
        e->out[e->len++] = ' ';
        k->spaces += (int64_t)(e->ws_n - 1 + (e->ws_conv == e->ws_n));
    }
    e->ws_n = e->ws_tabs = e->ws_conv = e->nl_n = e->nl_conv = 0;
}

static void add_space(emitter *e, int is_tab, int is_converted)
{
    drop_joiner(e);
    e->ws_n++;
    e->ws_tabs += (size_t)is_tab;
    e->ws_conv += (size_t)is_converted;
}

static void add_newline(emitter *e, int is_converted)
{
    drop_joiner(e);
    e->k->spaces += (int64_t)e->ws_n; /* the line's trailing space */
    e->ws_n = e->ws_tabs = e->ws_conv = 0;
    e->nl_n++;
    e->nl_conv += (size_t)is_converted;
}

static void put_joiner(emitter *e, uint32_t cp)
{
    if (!e->last || e->ws_n || e->nl_n) {
        e->k->zero_width++;
        return;
    }
    drop_joiner(e);
    e->joiner = cp;
}

static void put_content(emitter *e, uint32_t cp)
{
    if (e->joiner)
        settle_joiner(e, cp);
    if (e->ws_n | e->nl_n)
        settle_white(e);
    if (cp < 0x80) {
        e->out[e->len++] = (char)cp;
    } else {
        if (e->cfg->nm && e->first_unsafe == SIZE_MAX && !norm_is_safe(e->cfg->nm, cp))
            e->first_unsafe = e->len;
        e->len += utf8fix_encode(cp, e->out + e->len);
    }
    e->last = cp;
}

static void put_ascii(emitter *e, uint32_t c)
{
    switch (byte_class[c]) {
    case B_SPACE: add_space(e, 0, 0); break;
    case B_TAB: add_space(e, 1, 0); break;
    case B_LF: add_newline(e, 0); break;
    case B_CR: /* fall through */
    case B_BREAK: add_newline(e, 1); break;
    case B_CTRL: e->k->controls++; break;
    default: put_content(e, c); break;
    }
}

/* Route one decoded character (from the input, a reference or a repair). */
static void put_char(emitter *e, uint32_t cp)
{
    if (cp < 0x80) {
        put_ascii(e, cp);
        return;
    }
    switch (classify(cp)) {
    case K_SPACE: add_space(e, 0, 1); return;
    case K_BREAK: add_newline(e, 1); return;
    case K_CONTROL: e->k->controls++; return;
    case K_ZERO_WIDTH: e->k->zero_width++; return;
    case K_JOINER: put_joiner(e, cp); return;
    default: break;
    }
    const char *ascii = NULL;
    if (e->cfg->opts->fold_typography && cp >= 0x2010 && cp <= 0x2212)
        ascii = typography(cp);
    if (!ascii) {
        put_content(e, cp);
        return;
    }
    e->k->typography++;
    while (*ascii)
        put_content(e, (uint8_t)*ascii++);
}

static const uint8_t *put_plain_run(emitter *e, const uint8_t *p, const uint8_t *end)
{
    const uint8_t *q = p + 1;

    while (q < end && byte_class[*q] == B_PLAIN)
        q++;
    if (e->joiner)
        settle_joiner(e, *p);
    if (e->ws_n | e->nl_n)
        settle_white(e);
    memcpy(e->out + e->len, p, (size_t)(q - p));
    e->len += (size_t)(q - p);
    e->last = q[-1];
    return q;
}

static const uint8_t *put_amp(emitter *e, const uint8_t *p, const uint8_t *end)
{
    uint32_t cp;
    size_t len = e->cfg->entities ? entities_decode(p, end, &cp) : 0;

    if (len == 0) {
        put_content(e, '&');
        return p + 1;
    }
    e->k->entities++;
    put_char(e, cp);
    return p + len;
}

/* p starts a possible mojibake lead: gather the run, repair, emit. */
static const uint8_t *put_mojibake_run(emitter *e, const uint8_t *p, const uint8_t *end)
{
    uint32_t cp[UTF8FIX_RUN_MAX];
    uint8_t fixed[UTF8FIX_RUN_MAX];
    size_t n = 0;
    int32_t c;

    while (p < end && n < UTF8FIX_RUN_MAX) {
        size_t len = utf8fix_decode(p, end, &c);
        if (c < 0x80 || utf8fix_cp1252_byte((uint32_t)c) < 0)
            break;
        cp[n] = (uint32_t)c;
        fixed[n++] = 0;
        p += len;
    }
    if (n >= 2) {
        uint32_t prev = e->nl_n ? '\n' : e->ws_n ? ' ' : e->last, next = 0;
        if (p < end) {
            utf8fix_decode(p, end, &c);
            next = c >= 0 ? (uint32_t)c : 0xFFFD;
        }
        n = utf8fix_repair_run(cp, fixed, n, prev, next);
    }
    for (size_t i = 0; i < n; i++) {
        e->k->mojibake += fixed[i];
        put_char(e, cp[i]);
    }
    return p;
}

static const uint8_t *put_high(emitter *e, const uint8_t *p, const uint8_t *end)
{
    int32_t cp;
    size_t len = utf8fix_decode(p, end, &cp);

    if (cp == UTF8FIX_INVALID) {
        e->k->invalid_utf8++;
        put_content(e, 0xFFFD);
        return p + len;
    }
    if (e->cfg->mojibake && cp >= 0xC2 && cp <= 0xF4)
        return put_mojibake_run(e, p, end);
    put_char(e, (uint32_t)cp);
    return p + len;
}

size_t scan_run(const scan_cfg *cfg, const uint8_t *in, size_t n, char *out, clean_counts *k,
                size_t *first_unsafe)
{
    emitter e = {.out = out, .cfg = cfg, .k = k, .first_unsafe = SIZE_MAX};
    const uint8_t *p = in, *end = in + n;

    while (p < end) {
        switch (byte_class[*p]) {
        case B_PLAIN: p = put_plain_run(&e, p, end); break;
        case B_SPACE: add_space(&e, 0, 0); p++; break;
        case B_TAB: add_space(&e, 1, 0); p++; break;
        case B_LF: add_newline(&e, 0); p++; break;
        case B_CR: add_newline(&e, 1); p += (p + 1 < end && p[1] == '\n') ? 2 : 1; break;
        case B_BREAK: add_newline(&e, 1); p++; break;
        case B_CTRL: k->controls++; p++; break;
        case B_AMP: p = put_amp(&e, p, end); break;
        default: p = put_high(&e, p, end); break;
        }
    }
    drop_joiner(&e);
    k->spaces += (int64_t)e.ws_n;
    k->newlines += (int64_t)e.nl_n;
    *first_unsafe = e.first_unsafe;
    return e.len;
}
