/* quotes.c - quoted speech and who said it.
 *
 * Finds quoted spans of at least a few words inside one line: “...”,
 * "...", «...», „...“, 「...」 and 『...』. The speaker comes from the
 * words right after the closing mark ("..., said X", "X added", "according
 * to X") or before the opening one ("X said: ..."), matched with PCRE2 in
 * the nine languages; pronouns and common nouns give no speaker (null).
 * The pattern for a speaker before the quote is only tried on a context
 * that holds one of its verbs where the pattern needs it (has_verb_tail).
 * A lone surname is expanded to the full name the entities list holds.
 * SPDX-License-Identifier: MIT
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

#define MIN_WORDS 4 /* shorter quoted spans are scare quotes or titles */
#define MIN_CJK_CHARS 8
#define MAX_QUOTES 50
#define MAX_QUOTE_BYTES 2000
#define CONTEXT_BYTES 160 /* how far from the quote a speaker is looked for */

#define MAX_VERBS 64 /* literals of VERBS the prefilter holds */

/* The literals of VERBS by first byte, for the prefilter of before_re
 * (has_verb_tail): verb[by_first[c] .. by_first[c + 1]) start with c. */
typedef struct verb_set {
    const char *verb[MAX_VERBS];
    uint8_t len[MAX_VERBS];
    uint8_t by_first[257];
    int ok; /* 0: VERBS has more literals than MAX_VERBS; no prefilter */
} verb_set;

struct sift_quotes {
    pcre2_code *after, *before;
    pcre2_match_data *md;
    verb_set verbs;
};

/* clang-format off */
#define TOKEN \
    "(?:\\p{Lu}\\.|(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|St)\\.|\\p{Lu}[\\p{L}\\p{M}'’\\-]*)"
#define NAME TOKEN "(?:\\s+(?:(?:van|von|de|der|al|bin|da|del|la|le)\\s+)?" TOKEN "){0,4}"
#define VERBS \
    "said|says|added|told|explained|noted|stated|wrote|asked|replied|insisted|" \
    "argued|warned|continued|recalled|declared|reported|claimed|observed|sagte|sagt|" \
    "erklärte|betonte|a déclaré|a dit|a affirmé|a ajouté|explique|déclare|dijo|" \
    "afirmó|añadió|explicó|señaló|ha detto|ha dichiarato|ha aggiunto|disse|afirmou|" \
    "acrescentou|zei|zegt|сказал|сказала|заявил|заявила|отметил|отметила|добавил|" \
    "добавила"
#define AFTER_WORDS "according to|so|selon|según|secondo|segundo|aldus|volgens|по словам"
/* clang-format on */

static const char after_re[] =
    "^[,.]?\\s*(?:(?:" VERBS "|" AFTER_WORDS ")\\s+(?:the\\s+|der\\s+|die\\s+|le\\s+|la\\s+|"
    "el\\s+|il\\s+)?(?<n1>" NAME ")|(?<n2>" NAME ")\\s+(?:has\\s+|had\\s+)?(?:" VERBS "))";

static const char before_re[] =
    "(?:^|[\\s(])(?<n>" NAME ")\\s+(?:\\p{Ll}+\\s+){0,2}(?:" VERBS ")[^.!?“”\"«»]{0,60}?"
    "\\s*[:,]?\\s*$";

static const char verbs_text[] = VERBS;

static const char *const pronouns[] = {"He",  "She", "It",  "They", "We",  "I",  "You",  "Er",
                                       "Sie", "Es",  "Il",  "Elle", "Ils", "Él", "Ella", "Lui",
                                       "Lei", "Ele", "Ela", "Hij",  "Zij", "Он", "Она",  "Они"};

static pcre2_code *compile(const char *re)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                                  &err, &off, NULL);
    if (c)
        pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    return c;
}

/* Split VERBS at '|' into v, sorted by first byte (a counting sort). */
static void verbs_init(verb_set *v)
{
    const char *lit[MAX_VERBS];
    size_t len[MAX_VERBS], n = 0, count[256] = {0};
    for (const char *s = verbs_text; *s;) {
        size_t k = strcspn(s, "|");
        if (n == MAX_VERBS || k == 0 || k > UINT8_MAX)
            return; /* v->ok stays 0 */
        lit[n] = s;
        len[n++] = k;
        count[(unsigned char)s[0]]++;
        s += k + (s[k] == '|');
    }
    size_t at = 0;
    for (size_t c = 0; c < 256; c++) {
        v->by_first[c] = (uint8_t)at;
        at += count[c];
    }
    v->by_first[256] = (uint8_t)at;
    size_t fill[256];
    for (size_t c = 0; c < 256; c++)
        fill[c] = v->by_first[c];
    for (size_t i = 0; i < n; i++) {
        size_t j = fill[(unsigned char)lit[i][0]]++;
        v->verb[j] = lit[i];
        v->len[j] = (uint8_t)len[i];
    }
    v->ok = 1;
}

int sift_quotes_new(sift_quotes **out)
{
    sift_quotes *q = calloc(1, sizeof *q);
    if (!q)
        return SIFT_ENOMEM;
    q->after = compile(after_re);
    q->before = compile(before_re);
    if (q->after && q->before)
        q->md = pcre2_match_data_create(8, NULL);
    verbs_init(&q->verbs);
    if (!q->md) {
        sift_quotes_destroy(&q);
        return SIFT_ENOMEM;
    }
    *out = q;
    return SIFT_OK;
}

void sift_quotes_destroy(sift_quotes **pp)
{
    if (!pp || !*pp)
        return;
    pcre2_match_data_free((*pp)->md);
    pcre2_code_free((*pp)->after);
    pcre2_code_free((*pp)->before);
    free(*pp);
    *pp = NULL;
}

static int32_t closer_of(int32_t cp)
{
    switch (cp) {
    case 0x201C: return 0x201D; /* “ ” */
    case 0x201E: return 0x201C; /* „ “ */
    case 0x00AB: return 0x00BB; /* « » */
    case 0x300C: return 0x300D; /* 「 」 */
    case 0x300E: return 0x300F; /* 『 』 */
    case '"': return '"';
    default: return 0;
    }
}

/* Speaker text from a named group, or none. */
static int group(pcre2_match_data *md, const pcre2_code *re, const char *name, size_t *b, size_t *e)
{
    int k = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);
    if (k < 0)
        return 0;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    if (ov[2 * k] == PCRE2_UNSET || ov[2 * k + 1] <= ov[2 * k])
        return 0;
    *b = ov[2 * k];
    *e = ov[2 * k + 1];
    return 1;
}

/* Clean a speaker: drop leading stop words and titles, refuse pronouns. */
static int clean_speaker(const sift_lex *x, const char **s, size_t *n)
{
    for (;;) {
        const char *sp = memchr(*s, ' ', *n);
        size_t w = sp ? (size_t)(sp - *s) : *n;
        char low[64];
        size_t ln = sift_utf8_fold(*s, w, low, sizeof low);
        int drop = sift_lex_stop(x, low, ln) || sift_lex_is_title(x, *s, w);
        for (size_t i = 0; i < sizeof pronouns / sizeof pronouns[0] && !drop; i++)
            drop = strlen(pronouns[i]) == w && memcmp(pronouns[i], *s, w) == 0;
        if (!drop)
            break;
        if (!sp)
            return 0;
        *n -= w + 1;
        *s = sp + 1;
    }
    while (*n && ((*s)[*n - 1] == '.' || (*s)[*n - 1] == ','))
        (*n)--;
    return *n > 1;
}

/* Does a literal of v start at s[i] (of n bytes)? */
static int verb_at(const verb_set *v, const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    for (size_t k = v->by_first[c]; k < v->by_first[c + 1]; k++)
        if (v->len[k] <= n - i && memcmp(s + i, v->verb[k], v->len[k]) == 0)
            return 1;
    return 0;
}

/* Where the tail of s[0..n) after its last . ! ? " “ ” « or » starts. */
static size_t tail_start(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = n; i > 0; i--) {
        unsigned char c = u[i - 1];
        if (c == '.' || c == '!' || c == '?' || c == '"' ||
            ((c == 0x9C || c == 0x9D) && i >= 3 && u[i - 3] == 0xE2 && u[i - 2] == 0x80) ||
            ((c == 0xAB || c == 0xBB) && i >= 2 && u[i - 2] == 0xC2))
            return i;
    }
    return 0;
}

/* Could before_re match s[0..n)? Its verb (a literal of VERBS) is followed
 * only by characters other than . ! ? " “ ” « » up to the end, so it lies
 * in the tail after the last of those: without a verb there, the pattern
 * cannot match, and the match (an unanchored search of a name, with
 * backtracking, across the whole context) is not tried. Most contexts
 * before a quote are the end of the previous sentence. */
static int has_verb_tail(const verb_set *v, const char *s, size_t n)
{
    if (!v->ok)
        return 1;
    for (size_t i = tail_start(s, n); i < n; i++)
        if (verb_at(v, s, n, i))
            return 1;
    return 0;
}

static int find_speaker(sift_quotes *q, const sift_lex *x, const char *line, size_t qb, size_t qe,
                        size_t n, const char **sp, size_t *spn)
{
    size_t an = n - qe < CONTEXT_BYTES ? n - qe : CONTEXT_BYTES, b, e;
    if (pcre2_match(q->after, (PCRE2_SPTR)line + qe, an, 0, 0, q->md, NULL) >= 0 &&
        (group(q->md, q->after, "n1", &b, &e) || group(q->md, q->after, "n2", &b, &e))) {
        *sp = line + qe + b;
        *spn = e - b;
        if (clean_speaker(x, sp, spn))
            return 1;
    }
    size_t from = qb > CONTEXT_BYTES ? qb - CONTEXT_BYTES : 0;
    while (from > 0 && ((unsigned char)line[from] & 0xC0) == 0x80)
        from--;
    if (has_verb_tail(&q->verbs, line + from, qb - from) &&
        pcre2_match(q->before, (PCRE2_SPTR)line + from, qb - from, 0, 0, q->md, NULL) >= 0 &&
        group(q->md, q->before, "n", &b, &e)) {
        *sp = line + from + b;
        *spn = e - b;
        return clean_speaker(x, sp, spn);
    }
    return 0;
}

static int long_enough(const char *s, size_t n)
{
    int words = 0, in = 0, cjk = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp = sift_utf8_next(s, n, &i);
        if (sift_utf8_is_cjk(cp))
            cjk++;
        if (cp == ' ')
            in = 0;
        else if (!in)
            words++, in = 1;
    }
    return words >= MIN_WORDS || cjk >= MIN_CJK_CHARS;
}

static int write_quote(const sift_host *h, sift_value *list, const char *t, size_t tn,
                       const char *sp, size_t spn)
{
    sift_value *item, *v;
    int rc = h->list_push(list, &item);
    if (rc == SIFT_OK)
        rc = h->val_set_map(item);
    if (rc == SIFT_OK && (rc = h->map_put(item, "text", &v)) == SIFT_OK)
        rc = h->val_set_str(v, t, tn);
    if (rc == SIFT_OK && (rc = h->map_put(item, "speaker", &v)) == SIFT_OK && sp)
        rc = h->val_set_str(v, sp, spn);
    return rc;
}

typedef struct qctx {
    sift_quotes *q;
    const sift_host *h;
    const sift_page *p;
    sift_entities *ents;
    sift_value *fields;
    sift_value *list; /* NULL until the first quote */
    int n;
} qctx;

static int add_quote(qctx *c, const char *line, size_t n, size_t qb, size_t ib, size_t ie,
                     size_t qe)
{
    const char *t = line + ib;
    size_t tn = ie - ib;
    while (tn && (t[tn - 1] == ' ' || t[tn - 1] == ','))
        tn--;
    while (tn && t[0] == ' ')
        t++, tn--;
    if (!tn || tn > MAX_QUOTE_BYTES || !long_enough(t, tn) || c->n >= MAX_QUOTES)
        return SIFT_OK;
    const char *sp = NULL;
    size_t spn = 0;
    if (!find_speaker(c->q, c->p->lex, line, qb, qe, n, &sp, &spn)) {
        sp = NULL;
    } else if (!memchr(sp, ' ', spn)) {
        size_t full;
        const char *x = sift_entities_expand(c->ents, sp, spn, &full);
        if (x)
            sp = x, spn = full;
    }
    if (!c->list) {
        int rc = c->h->map_put(c->fields, "quotes", &c->list);
        if (rc == SIFT_OK)
            rc = c->h->val_set_list(c->list);
        if (rc < 0)
            return rc;
    }
    c->n++;
    return write_quote(c->h, c->list, t, tn, sp, spn);
}

static int scan_line(qctx *c, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t qb = i;
        int32_t cp = sift_utf8_next(s, n, &i), close = closer_of(cp);
        if (!close)
            continue;
        size_t ib = i, j = i;
        while (j < n) {
            size_t at = j;
            int32_t c2 = sift_utf8_next(s, n, &j);
            if (c2 == close || (cp == 0x201E && c2 == 0x201D)) {
                int rc = add_quote(c, s, n, qb, ib, at, j);
                if (rc < 0)
                    return rc;
                break;
            }
        }
        i = j;
    }
    return SIFT_OK;
}

/* Any opening quotation mark in the line? " and the UTF-8 of “ „ « 「 『. */
static int has_quote_mark(const char *s, size_t n)
{
    if (memchr(s, '"', n))
        return 1;
    for (const char *p = s; (p = memchr(p, 0xE2, (size_t)(s + n - p))) && p + 2 < s + n; p++)
        if ((unsigned char)p[1] == 0x80 &&
            ((unsigned char)p[2] == 0x9C || (unsigned char)p[2] == 0x9E))
            return 1; /* “ „ */
    for (const char *p = s; (p = memchr(p, 0xC2, (size_t)(s + n - p))) && p + 1 < s + n; p++)
        if ((unsigned char)p[1] == 0xAB)
            return 1; /* « */
    for (const char *p = s; (p = memchr(p, 0xE3, (size_t)(s + n - p))) && p + 2 < s + n; p++)
        if ((unsigned char)p[1] == 0x80 &&
            ((unsigned char)p[2] == 0x8C || (unsigned char)p[2] == 0x8E))
            return 1; /* 「 『 */
    return 0;
}

int sift_quotes_write(sift_quotes *q, const sift_host *h, const sift_page *p, sift_value *fields,
                      sift_entities *ents)
{
    qctx c = {.q = q, .h = h, .p = p, .ents = ents, .fields = fields};
    for (size_t i = 0; i < p->n_lines; i++) {
        if (!has_quote_mark(p->lines[i].s, p->lines[i].n))
            continue;
        int rc = scan_line(&c, p->lines[i].s, p->lines[i].n);
        if (rc < 0)
            return rc;
    }
    return SIFT_OK;
}
