/* entities.c - named entities from capitalised spans, titles and the gazetteer.
 *
 * Splits each line into word tokens and joins runs of capitalised tokens
 * (with connectors such as "of", "de", "van", "al" inside) into spans. A
 * stop word opening a sentence is dropped; a lone capitalised word seen
 * only at sentence starts is no entity. Titles ("President", "Dr.",
 * "Ambassador") are cut off and mark the rest as a person; a gazetteer
 * prefix splits "United States Asad Khan" in two. Types come from the
 * gazetteer, titles, common given names, organisation and place words,
 * and acronyms. "Biden" is merged into "Joe Biden" when the longer form
 * appears. The list is sorted by count and capped. Quotes ask this file to
 * expand a speaker's surname (sift_entities_expand).
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

#define MAX_SPAN 8       /* tokens in one span */
#define ENT_TEXT_MAX 160 /* bytes of one entity's text */

enum { F_PERSON = 1, F_INITIAL_ONLY = 2 };

typedef struct etok {
    const char *s;
    uint32_t n;
    unsigned char cap, allcaps, dot, sent, joined, poss;
    unsigned char abbr; /* the period after it does not end the sentence */
    sift_lexinfo li;    /* what the lexicon says about a capitalised token */
} etok;

struct sift_entities {
    sift_wtab *tab; /* count; a = non-initial occurrences; b = F_*; score = first seen */
    etok *toks;
    size_t cap_toks;
    int seq;         /* occurrence counter for "first seen" */
    long line_words; /* words in the line last tokenised, skipped ones too */
    sift_rank *top;  /* reused across documents */
    size_t cap_top;
    int is_german;
};

int sift_entities_new(sift_entities **out)
{
    sift_entities *e = calloc(1, sizeof *e);
    if (!e || sift_wtab_new(&e->tab) < 0) {
        free(e);
        return SIFT_ENOMEM;
    }
    *out = e;
    return SIFT_OK;
}

void sift_entities_destroy(sift_entities **pp)
{
    if (!pp || !*pp)
        return;
    sift_wtab_destroy(&(*pp)->tab);
    free((*pp)->top);
    free((*pp)->toks);
    free(*pp);
    *pp = NULL;
}

/* Lower-case words that may sit inside a name ("Bank of England", "Ludwig
 * van Beethoven"): of de al la du da di le van von der den bin del des for,
 * tested as packed bytes because every short lower-case word asks. */
#define P2(a, b) ((unsigned)(a) << 8 | (unsigned)(b))
#define P3(a, b, c) ((unsigned)(a) << 16 | (unsigned)(b) << 8 | (unsigned)(c))
static int connector_text(const char *s, size_t n)
{
    if (n == 2) {
        switch (P2(s[0], s[1])) {
        case P2('o', 'f'):
        case P2('d', 'e'):
        case P2('a', 'l'):
        case P2('l', 'a'):
        case P2('d', 'u'):
        case P2('d', 'a'):
        case P2('d', 'i'):
        case P2('l', 'e'): return 1;
        default: return 0;
        }
    }
    if (n != 3)
        return 0;
    switch (P3(s[0], s[1], s[2])) {
    case P3('v', 'a', 'n'):
    case P3('v', 'o', 'n'):
    case P3('d', 'e', 'r'):
    case P3('d', 'e', 'n'):
    case P3('b', 'i', 'n'):
    case P3('d', 'e', 'l'):
    case P3('d', 'e', 's'):
    case P3('f', 'o', 'r'): return 1;
    default: return 0;
    }
}

/* Most words are longer than any connector: those are turned away here,
 * inline, before the call. */
static inline int is_connector_text(const char *s, size_t n)
{
    return (n == 2 || n == 3) && connector_text(s, n);
}

static int ends_sentence(const etok *t)
{
    if (!t->dot)
        return 0;
    if (t->n == 1 || (t->n > 1 && t->s[t->n - 1] == '.'))
        return 0;
    return !(t->li.flags & SIFT_W_TITLE);
}

/* One page token as an entity token: "U.S." keeps its final period, a
 * possessive "'s" goes, the lexicon is asked about capitalised words. */
static etok make_etok(const sift_lex *x, const sift_page *p, const sift_tok *st)
{
    etok t = {.s = p->text + st->off, .n = st->len};
    const char *end = p->text + p->len;
    if (t.s + t.n < end && t.s[t.n] == '.' && (st->flags & SIFT_TOK_DOT))
        t.n++; /* "U.S." */
    t.cap = (st->flags & SIFT_TOK_CAP) != 0;
    t.allcaps = (st->flags & SIFT_TOK_ALLCAPS) != 0;
    t.dot = t.s + t.n < end && t.s[t.n] == '.';
    if (t.n > 3 && t.s[t.n - 2] == '\'' && t.s[t.n - 1] == 's') {
        t.n -= 2;
        t.poss = 1;
    } else if (t.n > 5 && memcmp(t.s + t.n - 4, "’s", 4) == 0) {
        t.n -= 4;
        t.poss = 1;
    }
    t.li = t.cap ? sift_lex_info(x, t.s, t.n) : (sift_lexinfo){0};
    return t;
}

/* The line's capitalised tokens and connectors, with sentence starts and
 * joins; other words only break spans. After an abbreviation ("Mr.") the
 * ". " neither ends the sentence nor breaks the name. Returns the count or
 * a negative code. */
static long tokenise_line(sift_entities *e, const sift_lex *x, const sift_page *p,
                          const sift_pline *l)
{
    size_t nt = 0;
    int broken = 1, prev_abbr = 0;
    e->line_words = (long)(l->tok_e - l->tok_b);
    if (sift_grow_items((void **)&e->toks, &e->cap_toks, l->tok_e - l->tok_b, sizeof *e->toks,
                        256) < 0)
        return SIFT_ENOMEM;
    for (uint32_t ti = l->tok_b; ti < l->tok_e; ti++) {
        const sift_tok *st = &p->toks[ti];
        const char *s = p->text + st->off;
        if (!(st->flags & SIFT_TOK_CAP) && !is_connector_text(s, st->len)) {
            broken = 1;
            prev_abbr = 0;
            continue;
        }
        int after_abbr = prev_abbr && st->off >= 2 && memcmp(s - 2, ". ", 2) == 0;
        etok t = make_etok(x, p, st);
        t.sent = (unsigned char)(st->sent && !after_abbr);
        t.joined = !broken && (st->before == SIFT_GAP_SPACE || after_abbr);
        t.abbr = t.dot && !ends_sentence(&t);
        e->toks[nt++] = t;
        broken = 0;
        prev_abbr = t.abbr || t.s[t.n - 1] == '.'; /* "Mr." or "U.S." */
    }
    return (long)nt;
}

static int span_type(const sift_lex *x, const char *s, size_t n, int ntok, int person)
{
    int g = sift_lex_gaz(x, s, n);
    if (g >= 0)
        return g;
    const char *dash = memchr(s, '-', n);
    if (dash && (g = sift_lex_gaz(x, s, (size_t)(dash - s))) == SIFT_ENT_ORG)
        return g; /* "ISIS-K" */
    if (person)
        return SIFT_ENT_PERSON;
    const char *sp = memchr(s, ' ', n);
    size_t first_n = sp ? (size_t)(sp - s) : n;
    const char *last = s + n;
    while (last > s && last[-1] != ' ')
        last--;
    size_t last_n = (size_t)(s + n - last);
    int lf = sift_lex_info(x, last, last_n).flags;
    if ((lf & SIFT_W_ORG_WORD) || (ntok > 1 && (lf & SIFT_W_ORG)))
        return SIFT_ENT_ORG;
    if (ntok > 1 && (lf & SIFT_W_PLACE_WORD))
        return SIFT_ENT_PLACE;
    if (ntok >= 2 && ntok <= 4 && sift_lex_is_given(x, s, first_n))
        return SIFT_ENT_PERSON;
    int caps = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            caps = 0;
    return caps && ntok == 1 && n >= 2 && n <= 6 ? SIFT_ENT_ORG : SIFT_ENT_OTHER;
}

/* Count one span of tokens [b, e). */
static int record(sift_entities *en, const sift_lex *x, const etok *t, int b, int e, int person,
                  int initial)
{
    char buf[ENT_TEXT_MAX];
    size_t o = 0;
    for (int i = b; i < e; i++) {
        if (o + t[i].n + 1 >= sizeof buf)
            return SIFT_OK;
        if (i > b)
            buf[o++] = ' ';
        memcpy(buf + o, t[i].s, t[i].n);
        o += t[i].n;
    }
    int single = e - b == 1;
    if (single &&
        (t[b].n < 2 || (en->is_german && !person && !t[b].allcaps && sift_lex_gaz(x, buf, o) < 0)))
        return SIFT_OK;
    sift_wentry *w = sift_wtab_get(en->tab, buf, o, 1);
    if (!w)
        return SIFT_ENOMEM;
    if (!w->count)
        w->score = en->seq;
    en->seq++;
    w->count++;
    w->a += !(initial && single);
    w->b |= person ? F_PERSON : 0;
    return SIFT_OK;
}

static int is_title_tok(const etok *t)
{
    return (t->li.flags & SIFT_W_TITLE) != 0;
}

static int is_connector(const etok *t)
{
    return !t->cap && is_connector_text(t->s, t->n);
}

/* Tokens in the longest gazetteer name that starts [b, e); 0 if none. */
static int gaz_prefix(const sift_lex *x, const etok *t, int b, int e)
{
    for (int k = e; k > b; k--) {
        size_t len = (size_t)(t[k - 1].s + t[k - 1].n - t[b].s);
        if (sift_lex_gaz(x, t[b].s, len) >= 0)
            return k - b;
    }
    return 0;
}

/* "US President Joe Biden": keep a gazetteer name before the titles, drop
 * other modifiers ("Pakistani Foreign Minister"), skip a complement
 * ("Secretary of State"), and record the rest as a person. */
static int emit_titled(sift_entities *en, const sift_lex *x, const etok *t, int b, int te, int e)
{
    int j = te;
    while (j > b && is_title_tok(&t[j - 1]))
        j--;
    int g = gaz_prefix(x, t, b, j);
    int rc = g ? record(en, x, t, b, b + g, 0, t[b].sent) : SIFT_OK;
    int r = te + 1;
    if (r < e && is_connector(&t[r]))
        r += 2;
    if (rc < 0 || r >= e)
        return rc;
    return record(en, x, t, r, e, 1, 0);
}

/* Split a span [b, e) at titles and gazetteer prefixes, then record. */
static int emit_span(sift_entities *en, const sift_lex *x, const etok *t, int b, int e)
{
    int initial = t[b].sent;
    if (initial && (t[b].li.bits & SIFT_L_ALL)) {
        b++;
        initial = 0;
    }
    if (b >= e)
        return SIFT_OK;
    int title_end = -1;
    for (int i = b; i < e; i++)
        if (is_title_tok(&t[i]))
            title_end = i;
    if (title_end >= b)
        return emit_titled(en, x, t, b, title_end, e);
    int g = e - b >= 3 ? gaz_prefix(x, t, b, e) : 0;
    if (g && e - (b + g) >= 2) { /* "United States Asad Khan" */
        int rc = record(en, x, t, b, b + g, 0, initial);
        return rc < 0 ? rc : record(en, x, t, b + g, e, 0, 0);
    }
    return record(en, x, t, b, e, 0, initial);
}

/* May the connector at j join the span [b, j)? "of" and "for" only after
 * one word or an organisation or place word ("Bank of", "Ministry of"). */
static int connector_ok(const etok *t, int b, int j)
{
    const etok *c = &t[j], *prev = &t[j - 1];
    if (!((c->n == 2 && memcmp(c->s, "of", 2) == 0) || (c->n == 3 && memcmp(c->s, "for", 3) == 0)))
        return 1;
    return j - b == 1 || (prev->li.flags & (SIFT_W_ORG_WORD | SIFT_W_PLACE_WORD));
}

/* Capitalised and not a month, weekday or zone. */
static int cap_tok(const etok *t)
{
    return t->cap && !(t->li.bits & SIFT_L_CAL);
}

static int scan_line(sift_entities *en, const sift_lex *x, const sift_page *p, const sift_pline *l)
{
    long nt = tokenise_line(en, x, p, l);
    if (nt < 0)
        return (int)nt;
    const etok *t = en->toks;
    long caps = 0, capitalised = 0;
    for (long i = 0; i < nt; i++) {
        caps += t[i].allcaps;
        capitalised += t[i].cap;
    }
    long words = en->line_words;
    if (words >= 4 && (caps * 10 >= words * 6 || capitalised * 4 >= words * 3))
        return SIFT_OK; /* a line in capitals, or a headline in title case */
    for (long i = 0; i < nt;) {
        if (!cap_tok(&t[i])) {
            i++;
            continue;
        }
        long j = i + 1;
        while (j < nt && j - i < MAX_SPAN && t[j].joined && !t[j - 1].poss &&
               (!t[j - 1].dot || t[j - 1].abbr)) {
            if (cap_tok(&t[j]) || (t[j].cap && (t[i].li.flags & SIFT_W_GIVEN)))
                j++; /* "Theresa May" */
            else if (is_connector(&t[j]) && j + 1 < nt && cap_tok(&t[j + 1]) && t[j + 1].joined &&
                     connector_ok(t, (int)i, (int)j))
                j += 2;
            else
                break;
        }
        int rc = emit_span(en, x, t, (int)i, (int)j);
        if (rc < 0)
            return rc;
        i = j;
    }
    return SIFT_OK;
}

/* ---------------------------------------------------------------- merge and write */

static int n_tokens(const char *s, size_t n)
{
    int k = 1;
    for (size_t i = 0; i < n; i++)
        k += s[i] == ' ';
    return k;
}

/* Offer the multi-word entry l (index li) to the single word w ending or
 * starting it: w's c field keeps the best offer (index + 1). */
static void offer(sift_entities *en, const sift_lex *x, sift_wentry *ents, size_t li, int ty,
                  const char *w, size_t wn)
{
    sift_wentry *s = sift_wtab_get(en->tab, w, wn, 0);
    if (!s || !s->count || sift_lex_gaz(x, s->key, s->len) >= 0)
        return;
    if (ty != SIFT_ENT_PERSON && !(ty == SIFT_ENT_OTHER && (s->b & F_PERSON)))
        return;
    if (!s->c || ents[s->c - 1].count < ents[li].count)
        s->c = (int32_t)li + 1;
}

/* Merge single words into the most frequent longer name that ends or
 * starts with them ("Biden" into "Joe Biden"): one offer per edge word of
 * each longer name, then one merge per single word. */
static void merge(sift_entities *en, const sift_lex *x)
{
    size_t n;
    sift_wentry *ents = sift_wtab_entries(en->tab, &n);
    for (size_t i = 0; i < n; i++) {
        const sift_wentry *l = &ents[i];
        const char *sp = memchr(l->key, ' ', l->len);
        if (!sp || !l->count)
            continue;
        const char *last = l->key + l->len;
        while (last[-1] != ' ')
            last--;
        int ty = span_type(x, l->key, l->len, n_tokens(l->key, l->len), l->b & F_PERSON);
        offer(en, x, ents, i, ty, l->key, (size_t)(sp - l->key));
        offer(en, x, ents, i, ty, last, (size_t)(l->key + l->len - last));
    }
    for (size_t i = 0; i < n; i++) {
        sift_wentry *s = &ents[i];
        if (!s->c || !s->count)
            continue;
        sift_wentry *best = &ents[s->c - 1];
        best->count += s->count;
        best->a += s->a;
        best->b |= s->b;
        s->count = 0;
    }
}

static int write_one(const sift_host *h, sift_value *list, const sift_lex *x, const sift_wentry *w)
{
    static const char *const names[] = {"other", "person", "place", "organisation"};
    sift_value *item, *v;
    int ty = span_type(x, w->key, w->len, n_tokens(w->key, w->len), w->b & F_PERSON);
    int rc = h->list_push(list, &item);
    if (rc == SIFT_OK)
        rc = h->val_set_map(item);
    if (rc == SIFT_OK && (rc = h->map_put(item, "text", &v)) == SIFT_OK)
        rc = h->val_set_str(v, w->key, w->len);
    if (rc == SIFT_OK && (rc = h->map_put(item, "type", &v)) == SIFT_OK)
        rc = h->val_set_str(v, names[ty], strlen(names[ty]));
    if (rc == SIFT_OK && (rc = h->map_put(item, "count", &v)) == SIFT_OK)
        rc = h->val_set_int(v, w->count);
    return rc;
}

static int write_list(sift_entities *en, const sift_host *h, const sift_lex *x, sift_value *fields,
                      int64_t max)
{
    size_t n, k = 0, cap = (size_t)max;
    sift_wentry *ents = sift_wtab_entries(en->tab, &n);
    if (sift_grow_items((void **)&en->top, &en->cap_top, cap, sizeof *en->top, cap) < 0)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (ents[i].count && (ents[i].a || sift_lex_gaz(x, ents[i].key, ents[i].len) >= 0))
            sift_rank_keep(
                en->top, &k, cap,
                (sift_rank){.key1 = ents[i].count, .key2 = ents[i].score, .idx = (uint32_t)i});
    int rc = SIFT_OK;
    if (k) {
        sift_value *list;
        rc = h->map_put(fields, "entities", &list);
        if (rc == SIFT_OK)
            rc = h->val_set_list(list);
        for (size_t i = 0; i < k && rc == SIFT_OK; i++)
            rc = write_one(h, list, x, &ents[en->top[i].idx]);
    }
    return rc;
}

int sift_entities_write(sift_entities *en, const sift_host *h, const sift_page *p,
                        sift_value *fields, int64_t max_entities)
{
    sift_wtab_clear(en->tab);
    en->seq = 0;
    en->is_german = p->lang_bits == SIFT_L_DE;
    if (!strcmp(p->lang, "ja") || !strcmp(p->lang, "zh") || !strcmp(p->lang, "ko"))
        return SIFT_OK;
    for (size_t i = 0; i < p->n_lines; i++) {
        int rc = scan_line(en, p->lex, p, &p->lines[i]);
        if (rc < 0)
            return rc;
    }
    merge(en, p->lex);
    return write_list(en, h, p->lex, fields, max_entities);
}

const char *sift_entities_expand(sift_entities *en, const char *w, size_t n, size_t *len)
{
    size_t ne;
    const sift_wentry *ents = sift_wtab_entries(en->tab, &ne), *best = NULL;
    for (size_t i = 0; i < ne; i++) {
        const sift_wentry *l = &ents[i];
        if (l->count && l->len > n + 1 && memcmp(l->key + l->len - n, w, n) == 0 &&
            l->key[l->len - n - 1] == ' ' && (!best || l->count > best->count))
            best = l;
    }
    if (!best)
        return NULL;
    *len = best->len;
    return best->key;
}
