/* triggers.c - literal word triggers that decide which unanchored patterns a line needs.
 *
 * A pattern that begins with a word boundary and a literal, or a group of
 * alternatives that each begin with a literal ("[[:<:]](getty|ap photo)
 * ..."), can only match where a word starts with one of those literals. The
 * literals (lower case, at least three bytes, up to the first
 * metacharacter or quantified character) are kept in a small hash
 * table keyed by their first three bytes. lines.c probes at every word
 * start while it measures a line, and a probe that hits is verified against
 * the text (ASCII literals without copying, others against the lower-cased
 * text); the line then carries one bit per pattern whose trigger it holds,
 * and patterns.c runs only those. Patterns of any other shape get no
 * triggers and always run.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "boilerplate.h"

#define TRIG_BUCKETS (1024u) /* power of two */
#define TRIG_MAX (32)        /* bytes of one literal, and of a word prefix compared */
#define MAX_ALTS (256)       /* alternatives of one leading group */

struct bp_trigger {
    char lit[TRIG_MAX];
    uint8_t len, ascii;
    uint8_t bit;  /* the pattern's bit in bp_line.trig */
    int32_t next; /* next trigger in the bucket, -1 = end */
};

static int is_word_cp(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_PC;
}

static int decode(const char *s, size_t n, int32_t *cp)
{
    if ((unsigned char)s[0] < 0x80) {
        *cp = (unsigned char)s[0];
        return 1;
    }
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cp);
    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    return (int)k;
}

static int lower_into(int32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        return 1;
    }
    return (int)utf8proc_encode_char(utf8proc_tolower(c), (utf8proc_uint8_t *)out);
}

/* The literal a regex fragment starts with (a word character, then any
 * characters but metacharacters), lower-cased, into out. */
static size_t literal(const char *s, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        if (strchr("\\^$.|?*+()[]{}", s[i]))
            break;
        int32_t c;
        int k = decode(s + i, n - i, &c);
        if (c < 0 || (len == 0 && !is_word_cp(c)) || len + 4 >= TRIG_MAX)
            break;
        if (i + (size_t)k < n && strchr("?*{", s[i + (size_t)k]))
            break; /* an optional character ends the literal before it */
        len += (size_t)lower_into(c, out + len);
        i += (size_t)k;
        if (i < n && s[i] == '+')
            break;
    }
    return len;
}

/* Offset of the ')' closing the group opened at s[0], or 0. */
static size_t group_end(const char *s, size_t n)
{
    int depth = 0, cls = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            i++;
        } else if (cls) {
            cls = s[i] != ']';
        } else if (s[i] == '[') {
            cls = 1;
            if (i + 1 < n && s[i + 1] == ']')
                i++;
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && --depth == 0) {
            return i;
        }
    }
    return 0;
}

/* 1 when s[0, n) has a '|' outside all groups and classes. */
static int top_level_bar(const char *s, size_t n)
{
    int depth = 0, cls = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            i++;
        else if (cls)
            cls = s[i] != ']';
        else if (s[i] == '[')
            cls = 1;
        else if (s[i] == '(')
            depth++;
        else if (s[i] == ')')
            depth--;
        else if (s[i] == '|' && depth == 0)
            return 1;
    }
    return 0;
}

/* Split the group s[1, end) at its own '|' into alternative spans; 0 when
 * it has more than MAX_ALTS of them. */
static size_t alternatives(const char *s, size_t end, size_t *at, size_t *len)
{
    size_t k = 0, a = 1;
    int depth = 0, cls = 0;
    for (size_t i = 1; i <= end; i++) {
        if (i < end && s[i] == '\\') {
            i++;
        } else if (i < end && cls) {
            cls = s[i] != ']';
        } else if (i < end && s[i] == '[') {
            cls = 1;
        } else if (i < end && s[i] == '(') {
            depth++;
        } else if (i < end && s[i] == ')') {
            depth--;
        } else if (i == end || (s[i] == '|' && depth == 0)) {
            if (k == MAX_ALTS)
                return 0;
            at[k] = a;
            len[k++] = i - a;
            a = i + 1;
        }
    }
    return k;
}

static uint32_t key3(const char *w)
{
    return ((unsigned char)w[0] * 961u + (unsigned char)w[1] * 31u + (unsigned char)w[2]) &
           (TRIG_BUCKETS - 1);
}

static int push(bp_triggers *t, const char *lit, size_t len, unsigned bit)
{
    bp_trigger *v = realloc(t->t, (t->n + 1) * sizeof *v);
    if (!v)
        return SIFT_ENOMEM;
    t->t = v;
    bp_trigger *g = &t->t[t->n];
    memcpy(g->lit, lit, len);
    g->len = (uint8_t)len;
    g->bit = (uint8_t)bit;
    g->ascii = 1;
    for (size_t i = 0; i < len; i++)
        g->ascii &= (unsigned char)lit[i] < 0x80;
    uint32_t b = key3(lit);
    unsigned f = bp_triggers_first3(lit);
    t->first3[f >> 3] |= (uint8_t)(1u << (f & 7));
    g->next = t->bucket[b];
    t->bucket[b] = (int32_t)t->n++;
    return 0;
}

int bp_triggers_add(bp_triggers *t, const char *pat, size_t n, unsigned bit)
{
    static const char wb[] = "[[:<:]]";
    size_t w = sizeof wb - 1;
    if (!t->bucket || !t->first3 || n <= w || memcmp(pat, wb, w) != 0 || top_level_bar(pat, n))
        return 0;
    const char *s = pat + w;
    size_t m = n - w, at[MAX_ALTS], len[MAX_ALTS], k = 1;
    char lit[MAX_ALTS][TRIG_MAX];
    size_t ll[MAX_ALTS];
    if (s[0] == '(') {
        size_t end = group_end(s, m);
        if (s[1] == '?' || end == 0 || (end + 1 < m && strchr("?*{", s[end + 1])))
            return 0;
        if ((k = alternatives(s, end, at, len)) == 0)
            return 0;
    } else {
        at[0] = 0;
        len[0] = m;
    }
    for (size_t i = 0; i < k; i++)
        if ((ll[i] = literal(s + at[i], len[i], lit[i])) < 3)
            return 0;
    for (size_t i = 0; i < k; i++)
        if (push(t, lit[i], ll[i], bit) < 0)
            return SIFT_ENOMEM;
    return 1;
}

/* The lower-cased text from a word start, at least max bytes of it when
 * the text has them. */
static size_t lower_prefix(const char *s, size_t n, char *w, size_t max)
{
    size_t wl = 0;
    for (size_t i = 0; i < n && wl < max;) {
        int32_t c;
        int k = decode(s + i, n - i, &c);
        if (c < 0)
            break;
        wl += (size_t)lower_into(c, w + wl);
        i += (size_t)k;
    }
    return wl;
}

static int ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* The text at s[0, n) starts with the ASCII literal g, ignoring case. */
static int ascii_starts(const char *s, size_t n, const bp_trigger *g)
{
    if (g->len > n)
        return 0;
    for (size_t i = 0; i < g->len; i++)
        if (ascii_lower((unsigned char)s[i]) != (unsigned char)g->lit[i])
            return 0;
    return 1;
}

uint64_t bp_triggers_probe(const bp_triggers *t, const char *s, size_t n)
{
    char w[TRIG_MAX + 4];
    size_t wl = 0;
    uint64_t bits = 0;
    if (n >= 3 && (unsigned char)(s[0] | s[1] | s[2]) < 0x80) { /* no decoding */
        for (int i = 0; i < 3; i++)
            w[i] = (char)ascii_lower((unsigned char)s[i]);
    } else if (lower_prefix(s, n, w, 3) < 3) {
        return 0;
    }
    for (int32_t g = t->bucket[key3(w)]; g >= 0; g = t->t[g].next) {
        const bp_trigger *tg = &t->t[g];
        int hit;
        if (tg->ascii) {
            hit = ascii_starts(s, n, tg);
        } else {
            if (!wl)
                wl = lower_prefix(s, n, w, TRIG_MAX);
            hit = tg->len <= wl && memcmp(tg->lit, w, tg->len) == 0;
        }
        if (hit)
            bits |= (uint64_t)1 << tg->bit;
    }
    return bits;
}

void bp_triggers_init(bp_triggers *t)
{
    memset(t, 0, sizeof *t);
    t->bucket = malloc(TRIG_BUCKETS * sizeof *t->bucket);
    t->first3 = calloc(65536 / 8, 1);
    if (t->bucket)
        memset(t->bucket, 0xff, TRIG_BUCKETS * sizeof *t->bucket);
}

void bp_triggers_fini(bp_triggers *t)
{
    free(t->t);
    free(t->bucket);
    free(t->first3);
    memset(t, 0, sizeof *t);
}
