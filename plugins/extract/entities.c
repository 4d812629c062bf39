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

#define MAX_SPAN 8        /* tokens in one span */
#define ENT_TEXT_MAX 160  /* bytes of one entity's text */

enum { F_PERSON = 1, F_INITIAL_ONLY = 2 };

typedef struct etok {
    const char *s;
    uint32_t n;
    unsigned char cap, allcaps, dot, sent, joined, poss;
    unsigned char abbr; /* the period after it does not end the sentence */
} etok;

struct sift_entities {
    sift_wtab *tab;   /* count; a = non-initial occurrences; b = F_*; score = first seen */
    etok *toks;
    size_t cap_toks;
    int seq;          /* occurrence counter for "first seen" */
    int is_german;
};

static const char *const org_words[] = {
    "Inc", "Corp", "Ltd", "LLC", "Group", "Company", "Co", "Party", "Department", "Ministry",
    "Agency", "Council", "Committee", "Commission", "University", "College", "Institute",
    "Bank", "Army", "Navy", "Police", "Court", "Parliament", "Association", "Foundation",
    "Organisation", "Organization", "Union", "Network", "Times", "Post", "Fund", "Office",
    "Embassy", "Forces", "Force", "Corps", "Senate", "Assembly", "Federation", "League",
    "Club", "Church", "Hospital", "School", "Authority", "Board", "Service", "Services",
    "Bureau", "Administration", "Airlines", "Airways", "Motors", "Technologies", "Systems",
    "Holdings", "News", "Press", "Media", "Mission", "Ministerium", "Partei", "Ministère",
    "Ministerio", "Ministero", "Universität", "Université", "Universidad", "Università"};

static const char *const place_words[] = {
    "City", "County", "Province", "Island", "Islands", "River", "Mountains", "Valley",
    "Street", "Avenue", "Square", "Airport", "Bay", "Lake", "Sea", "Ocean", "Region",
    "District", "Republic", "Kingdom", "Strait", "Peninsula", "Desert", "Coast"};

static const char *const connectors[] = {"of", "de", "van", "von", "der", "den", "al", "bin",
                                         "la", "du", "del", "da", "di", "des", "le", "for"};

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
    free((*pp)->toks);
    free(*pp);
    *pp = NULL;
}

static int in_words(const char *const *list, size_t nl, const char *s, size_t n)
{
    for (size_t i = 0; i < nl; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return 1;
    return 0;
}

static int word_char(int32_t cp)
{
    return sift_utf8_is_letter(cp) || sift_utf8_is_digit(cp) || (cp >= 0x300 && cp <= 0x36F);
}

/* Scan one word token at s[*i]; sets its extent and flags. */
static void scan_token(const char *s, size_t n, size_t *i, etok *t)
{
    size_t b = *i, e = *i;
    int letters = 0, uppers = 0, lowers = 0;
    while (e < n) {
        size_t nx = e;
        int32_t cp = sift_utf8_next(s, n, &nx);
        if (!word_char(cp)) {
            if (cp != '\'' && cp != 0x2019 && cp != '-' && cp != '.')
                break;
            size_t nn = nx;
            if (nn >= n || !word_char(sift_utf8_next(s, n, &nn)))
                break;
        } else if (sift_utf8_is_letter(cp)) {
            letters++;
            uppers += sift_utf8_is_upper(cp);
            lowers += sift_utf8_is_lower(cp);
        }
        e = nx;
    }
    if (e < n && s[e] == '.' && memchr(s + b, '.', e - b))
        e++; /* "U.S." keeps its final period */
    t->s = s + b;
    t->n = (uint32_t)(e - b);
    size_t f = 0;
    t->cap = sift_utf8_is_upper(sift_utf8_next(t->s, t->n, &f));
    t->allcaps = letters >= 2 && lowers == 0 && uppers >= 2;
    t->dot = e < n && s[e] == '.';
    t->abbr = 0;
    t->poss = 0;
    if (t->n > 3 && (memcmp(t->s + t->n - 2, "'s", 2) == 0 ||
                     (t->n > 4 && memcmp(t->s + t->n - 4, "’s", 4) == 0))) {
        t->n -= t->s[t->n - 2] == '\'' ? 2 : 4;
        t->poss = 1;
    }
    *i = e;
}

/* Does a period after this token end a sentence? Not after a title, an
 * initial or an abbreviation with inner periods ("U.S."). */
static int ends_sentence(const sift_lex *x, const etok *t)
{
    if (!t->dot)
        return 0;
    if (t->n == 1 || (t->n > 1 && t->s[t->n - 1] == '.'))
        return 0;
    char buf[40];
    if (t->n + 1 < sizeof buf) {
        memcpy(buf, t->s, t->n);
        buf[t->n] = '.';
        if (sift_lex_is_title(x, buf, t->n + 1))
            return 0;
    }
    return 1;
}

static int push_tok(sift_entities *e, size_t *nt, const etok *t)
{
    if (*nt == e->cap_toks) {
        size_t nc = e->cap_toks ? e->cap_toks * 2 : 256;
        etok *na = realloc(e->toks, nc * sizeof *na);
        if (!na)
            return SIFT_ENOMEM;
        e->toks = na;
        e->cap_toks = nc;
    }
    e->toks[(*nt)++] = *t;
    return SIFT_OK;
}

/* Tokenise one line into e->toks; returns the count or a negative code. */
static long tokenise_line(sift_entities *e, const sift_lex *x, const char *s, size_t n)
{
    size_t nt = 0, i = 0;
    int sent = 1, gap = 0, gap_space = 0; /* characters since the last token, and were they " " */
    while (i < n) {
        size_t at = i;
        int32_t cp = sift_utf8_next(s, n, &i);
        if (!word_char(cp)) {
            if (cp == '!' || cp == '?' || cp == ':' || cp == 0x3002)
                sent = 1;
            gap++;
            gap_space = cp == ' ';
            continue;
        }
        i = at;
        etok t;
        scan_token(s, n, &i, &t);
        t.sent = (unsigned char)sent;
        t.joined = nt > 0 && gap == 1 && gap_space;
        if (push_tok(e, &nt, &t) < 0)
            return SIFT_ENOMEM;
        sent = ends_sentence(x, &t);
        t.abbr = t.dot && !sent;
        e->toks[nt - 1].abbr = t.abbr;
        if (t.abbr)
            i++; /* the period of "Mr." is part of the name's gap, not a break */
        gap = 0;
    }
    return (long)nt;
}

/* Entity type of a span text from its words. */
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
    if (in_words(org_words, sizeof org_words / sizeof org_words[0], last, last_n) ||
        (ntok > 1 && sift_lex_gaz(x, last, last_n) == SIFT_ENT_ORG))
        return SIFT_ENT_ORG;
    if (ntok > 1 && in_words(place_words, sizeof place_words / sizeof place_words[0], last, last_n))
        return SIFT_ENT_PLACE;
    if (ntok >= 2 && ntok <= 4 && sift_lex_is_given(x, s, first_n))
        return SIFT_ENT_PERSON;
    int caps = 1;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            caps = 0;
    return caps && ntok == 1 && n >= 2 && n <= 6 ? SIFT_ENT_ORG : SIFT_ENT_OTHER;
}

/* Months, weekdays and time zones are capitalised but name nothing. */
static int calendar_word(const char *s, size_t n)
{
    char low[32];
    int off, rule;
    size_t k = sift_utf8_fold(s, n, low, sizeof low);
    return sift_datetab_month(low, k) || sift_datetab_weekday(low, k) ||
           (k >= 3 && sift_datetab_zone(low, k, &off, &rule));
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
    if (single && (t[b].n < 2 ||
                   (en->is_german && !person && !t[b].allcaps && sift_lex_gaz(x, buf, o) < 0)))
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

static int is_title_tok(const sift_lex *x, const etok *t)
{
    char buf[40];
    if (sift_lex_is_title(x, t->s, t->n))
        return 1;
    if (!t->dot || t->n + 1 >= sizeof buf)
        return 0;
    memcpy(buf, t->s, t->n);
    buf[t->n] = '.';
    return sift_lex_is_title(x, buf, t->n + 1);
}

static int is_connector(const etok *t)
{
    return !t->cap && in_words(connectors, sizeof connectors / sizeof connectors[0], t->s, t->n);
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
    while (j > b && is_title_tok(x, &t[j - 1]))
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
    char low[64];
    size_t ln = sift_utf8_fold(t[b].s, t[b].n, low, sizeof low);
    if (initial && sift_lex_stop(x, low, ln)) {
        b++;
        initial = 0;
    }
    if (b >= e)
        return SIFT_OK;
    int title_end = -1;
    for (int i = b; i < e; i++)
        if (is_title_tok(x, &t[i]))
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
    return j - b == 1 ||
           in_words(org_words, sizeof org_words / sizeof org_words[0], prev->s, prev->n) ||
           in_words(place_words, sizeof place_words / sizeof place_words[0], prev->s, prev->n);
}

/* Capitalised and not a month, weekday or zone. */
static int cap_tok(const etok *t)
{
    return t->cap && !calendar_word(t->s, t->n);
}

static int scan_line(sift_entities *en, const sift_lex *x, const char *s, size_t n)
{
    long nt = tokenise_line(en, x, s, n);
    if (nt < 0)
        return (int)nt;
    const etok *t = en->toks;
    long caps = 0, capitalised = 0;
    for (long i = 0; i < nt; i++) {
        caps += t[i].allcaps;
        capitalised += t[i].cap;
    }
    if (nt >= 4 && (caps * 10 >= nt * 6 || capitalised * 4 >= nt * 3))
        return SIFT_OK; /* a line in capitals, or a headline in title case */
    for (long i = 0; i < nt;) {
        if (!cap_tok(&t[i])) {
            i++;
            continue;
        }
        long j = i + 1;
        while (j < nt && j - i < MAX_SPAN && t[j].joined && !t[j - 1].poss &&
               (!t[j - 1].dot || t[j - 1].abbr)) {
            if (cap_tok(&t[j]))
                j++;
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

/* Does the multi-word name s end or start with the single word w? */
static int has_edge_word(const char *s, size_t n, const char *w, size_t wn)
{
    if (n <= wn + 1)
        return 0;
    if (memcmp(s + n - wn, w, wn) == 0 && s[n - wn - 1] == ' ')
        return 1;
    return memcmp(s, w, wn) == 0 && s[wn] == ' ';
}

/* Merge single words into the most frequent longer name that ends or
 * starts with them ("Biden" into "Joe Biden"). */
static void merge(const sift_lex *x, sift_wentry *ents, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sift_wentry *s = &ents[i];
        if (!s->count || memchr(s->key, ' ', s->len) || sift_lex_gaz(x, s->key, s->len) >= 0)
            continue;
        sift_wentry *best = NULL;
        for (size_t j = 0; j < n; j++) {
            sift_wentry *l = &ents[j];
            if (j == i || !l->count || !has_edge_word(l->key, l->len, s->key, s->len))
                continue;
            int ty = span_type(x, l->key, l->len, n_tokens(l->key, l->len), l->b & F_PERSON);
            if (ty != SIFT_ENT_PERSON && !(ty == SIFT_ENT_OTHER && (s->b & F_PERSON)))
                continue;
            if (!best || l->count > best->count)
                best = l;
        }
        if (best) {
            best->count += s->count;
            best->a += s->a;
            best->b |= s->b;
            s->count = 0;
        }
    }
}

typedef struct order {
    int32_t count;
    double first;
    uint32_t idx;
} order;

static int by_count(const void *a, const void *b)
{
    const order *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return x->first < y->first ? -1 : x->first > y->first;
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
    size_t n;
    sift_wentry *ents = sift_wtab_entries(en->tab, &n);
    order *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return SIFT_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (ents[i].count && (ents[i].a || sift_lex_gaz(x, ents[i].key, ents[i].len) >= 0))
            idx[k++] = (order){.count = ents[i].count, .first = ents[i].score, .idx = (uint32_t)i};
    qsort(idx, k, sizeof *idx, by_count);
    int rc = SIFT_OK;
    if (k) {
        sift_value *list;
        rc = h->map_put(fields, "entities", &list);
        if (rc == SIFT_OK)
            rc = h->val_set_list(list);
        for (size_t i = 0; i < k && (int64_t)i < max && rc == SIFT_OK; i++)
            rc = write_one(h, list, x, &ents[idx[i].idx]);
    }
    free(idx);
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
        int rc = scan_line(en, p->lex, p->lines[i].s, p->lines[i].n);
        if (rc < 0)
            return rc;
    }
    size_t n;
    sift_wentry *ents = sift_wtab_entries(en->tab, &n);
    merge(p->lex, ents, n);
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
