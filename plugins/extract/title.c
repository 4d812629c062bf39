/* title.c - find a page's headline and the dateline that opens its body.
 *
 * The headline is the page_meta line of kind "title" when boilerplate gave
 * one, else the first line near the top that reads like a headline (a few
 * words, no final full stop, not a date, byline, menu or number line);
 * quotes wrapping the whole headline are dropped. The dateline is the
 * place in "WASHINGTON:", "Islamabad, Sept 3 (PTI)" or "LONDON (Reuters) -"
 * at the start of the first body paragraphs (or a page_meta "dateline"
 * line), matched with one PCRE2 pattern and then checked: an upper-case
 * place, or a capitalised one that the gazetteer knows, that a news agency
 * follows, or that a state or date and a dash follow. Dates and bylines
 * themselves are found elsewhere (date.c, author.c).
 * SPDX-License-Identifier: MIT
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

#define TITLE_SCAN_LINES 12 /* lines from the top a headline may start */
#define DATELINE_LINES 3    /* body paragraphs a dateline may open */

struct sift_title {
    pcre2_code *re;
    pcre2_match_data *md;
};

/* place, optional ", rest", optional "(agency)", separator. */
static const char dateline_re[] =
    "^(?<place>\\p{Lu}[\\p{L}\\p{M}'’.\\-]*(?:\\s(?:\\p{Lu}[\\p{L}\\p{M}'’.\\-]*|de|da|di|"
    "of|on|upon|am|sur|del|la|el)){0,3})"
    "(?<rest>,\\s*[^,:()—–\\d]{2,30}?|,\\s*[\\p{L}.]{3,9}\\s\\d{1,2}(?:,\\s*\\d{4})?|"
    ",\\s*\\d{1,2}\\s[\\p{L}.]{3,12}(?:\\s\\d{4})?)?"
    "\\s*(?:\\((?<agency>\\p{L}[\\p{L}&.' ]{0,38})\\)\\s*)?"
    "(?<sep>:|—|–|-{1,2}\\s|(?=\\p{Lu})|$)";

static const char *const not_places[] = {
    "UPDATE",
    "UPDATED",
    "BREAKING",
    "BREAKING NEWS",
    "EXCLUSIVE",
    "WATCH",
    "VIDEO",
    "PHOTOS",
    "PHOTO",
    "NOTE",
    "EDITOR'S NOTE",
    "OPINION",
    "ANALYSIS",
    "LIVE",
    "READ",
    "READ MORE",
    "ALSO READ",
    "CORRECTION",
    "WARNING",
    "FILE",
    "SPOILER",
    "ALERT",
    "NEWS",
    "REVIEW",
    "EDITORIAL",
    "COMMENT",
    "INTERVIEW",
    "PODCAST",
    "LISTEN",
    "SOURCE",
    "SOURCES",
    "MORE",
    "RELATED",
    "ADVERTISEMENT",
    "SPONSORED",
    "FACT CHECK",
    "EXPLAINER",
    "ATTENTION",
    "NB",
    "PS",
    "ACHTUNG",
    "HINWEIS",
    "ANZEIGE",
    "EILMELDUNG",
    "ATENÇÃO",
    "ATENCIÓN",
    "AVISO",
    "NOTA",
    "AVIS",
    "ATTENZIONE",
    "LET OP",
    "ВНИМАНИЕ",
    "РЕКЛАМА",
    "ОБНОВЛЕНО",
    "NOTICE",
    "DISCLAIMER",
};

int sift_title_new(sift_title **out)
{
    sift_title *t = calloc(1, sizeof *t);
    if (!t)
        return SIFT_ENOMEM;
    int err;
    PCRE2_SIZE off;
    t->re = pcre2_compile((PCRE2_SPTR)dateline_re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                          &err, &off, NULL);
    if (!t->re)
        goto fail;
    pcre2_jit_compile(t->re, PCRE2_JIT_COMPLETE);
    t->md = pcre2_match_data_create_from_pattern(t->re, NULL);
    if (!t->md)
        goto fail;
    *out = t;
    return SIFT_OK;
fail:
    sift_title_destroy(&t);
    return SIFT_ENOMEM;
}

void sift_title_destroy(sift_title **pp)
{
    if (!pp || !*pp)
        return;
    pcre2_match_data_free((*pp)->md);
    pcre2_code_free((*pp)->re);
    free(*pp);
    *pp = NULL;
}

/* Closing partner of an opening quote, 0 when cp opens none. */
static int32_t closing_quote(int32_t cp)
{
    switch (cp) {
    case '"': return '"';
    case '\'': return '\'';
    case 0x2018: return 0x2019; /* ‘ ’ */
    case 0x201C: return 0x201D; /* “ ” */
    case 0x00AB: return 0x00BB; /* « » */
    case 0x201E: return 0x201C; /* „ “ */
    case 0x300C: return 0x300D; /* 「 」 */
    default: return 0;
    }
}

static void strip_quotes(const char **s, size_t *n)
{
    size_t i = 0;
    int32_t open = sift_utf8_next(*s, *n, &i), close = closing_quote(open);
    if (!close || *n < i + 2)
        return;
    size_t j = *n - 1;
    while (j > i && ((unsigned char)(*s)[j] & 0xC0) == 0x80)
        j--;
    size_t k = j;
    int32_t last = sift_utf8_next(*s, *n, &k);
    if (last != close && !(open == 0x201E && last == 0x201D))
        return;
    *s += i;
    *n = j - i;
    while (*n && (*s)[0] == ' ') {
        (*s)++;
        (*n)--;
    }
    while (*n && (*s)[*n - 1] == ' ')
        (*n)--;
}

static int starts_with_word(const char *s, size_t n, const char *const *words, size_t nw)
{
    for (size_t i = 0; i < nw; i++) {
        size_t k = strlen(words[i]);
        if (n > k && memcmp(s, words[i], k) == 0 && (s[k] == ' ' || s[k] == ':'))
            return 1;
    }
    return 0;
}

/* Menu and share lines: a strong word anywhere in a short line, or a weak
 * one in a line of three words or fewer. */
static int is_nav(const char *s, size_t n, int words)
{
    static const char *const strong[] = {"facebook", "twitter",    "whatsapp",  "sign in",
                                         "log in",   "login",      "subscribe", "skip to",
                                         "cookie",   "newsletter", "chevron",   "sharing options"};
    static const char *const weak[] = {"menu",       "search", "home",          "share", "sections",
                                       "navigation", "browse", "advertisement", "more"};
    if (words > 8)
        return 0;
    char low[160];
    size_t k = sift_utf8_fold(s, n, low, sizeof low - 1);
    low[k] = '\0';
    for (size_t i = 0; i < sizeof strong / sizeof strong[0]; i++)
        if (strstr(low, strong[i]))
            return 1;
    for (size_t i = 0; i < sizeof weak / sizeof weak[0] && words <= 3; i++)
        if (strstr(low, weak[i]))
            return 1;
    return 0;
}

/* Image alt text "[...]", or a caption ending in a picture credit
 * ("... Photo: A / B", "... Foto: A"): never a headline. */
static int is_picture_text(const char *s, size_t n)
{
    static const char *const credit[] = {" photo:", " foto:", " picture:", " image:", " bild:"};
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
        return 1;
    char low[320];
    size_t k = sift_utf8_fold(s, n, low, sizeof low - 1);
    low[k] = '\0';
    for (size_t i = 0; i < sizeof credit / sizeof credit[0]; i++)
        if (strstr(low, credit[i]))
            return 1;
    return 0;
}

/* Does this text line read like a headline? */
static int looks_like_title(const sift_page *p, const sift_pline *l)
{
    static const char *const by[] = {"By", "BY",   "by",    "Von",      "Par",     "Por",
                                     "Di", "Door", "Автор", "Reported", "Written", "Posted"};
    if (l->words < 2 || l->words > 30 || l->n > 300 || l->is_body)
        return 0;
    char last = l->s[l->n - 1];
    if (last == '.' || last == ',' || last == ':' || last == ';' || last == '|')
        return 0;
    size_t i = 0;
    int32_t cp = sift_utf8_next(l->s, l->n, &i);
    if (sift_utf8_is_lower(cp) || cp == '*' || cp == '-' || cp == '>' || cp == 0x2022 ||
        cp == 0x2013 || cp == 0x2014 || cp == 0xB7 || cp == 0xBB || cp == '|' || cp == '#')
        return 0; /* lower case, or a bullet: a list item */
    int letters = 0, cjk = 0;
    for (size_t j = 0; j < l->n && letters < 4;) {
        int32_t c = sift_utf8_next(l->s, l->n, &j);
        letters += sift_utf8_is_letter(c);
        cjk += sift_utf8_is_cjk(c);
    }
    if (letters < 4 || (l->words < 3 && !cjk))
        return 0;
    if (starts_with_word(l->s, l->n, by, sizeof by / sizeof by[0]) ||
        is_nav(l->s, l->n, l->words) || is_picture_text(l->s, l->n) ||
        sift_page_is_copyright(l->s, l->n))
        return 0;
    sift_datecand dc[2];
    return !(l->words <= 10 && sift_dateparse_line(p, l->s, l->n, dc, 2) > 0);
}

/* A page_meta title that is a menu, share prompt, picture text or date line is none. */
static int plausible_meta_title(const sift_page *p, const sift_pline *l)
{
    if (is_nav(l->s, l->n, l->words) || is_picture_text(l->s, l->n))
        return 0;
    sift_datecand dc[2];
    int k = sift_dateparse_line(p, l->s, l->n, dc, 2);
    return !(k > 0 && (dc[0].label || l->words <= 10));
}

static void find_in_text(sift_page *p)
{
    for (size_t i = 0; i < p->n_lines && i < 30; i++) {
        const char *s = p->lines[i].s;
        size_t n = p->lines[i].n;
        strip_quotes(&s, &n);
        if (n == p->title_n && memcmp(s, p->title, n) == 0) {
            p->title_idx = (int)i;
            return;
        }
    }
}

void sift_title_find(sift_title *t, sift_page *p)
{
    (void)t;
    for (size_t i = 0; i < p->n_meta; i++) {
        if (p->meta[i].kind != SIFT_META_TITLE || !plausible_meta_title(p, &p->meta[i]))
            continue;
        p->title = p->meta[i].s;
        p->title_n = p->meta[i].n;
        p->title_meta = p->meta[i].pos ? p->meta[i].pos : 1;
        strip_quotes(&p->title, &p->title_n);
        find_in_text(p);
        return;
    }
    size_t stop = p->body_idx >= 0 ? (size_t)p->body_idx : p->n_lines;
    for (size_t i = 0; i < stop && i < TITLE_SCAN_LINES; i++) {
        if (!looks_like_title(p, &p->lines[i]))
            continue;
        p->title = p->lines[i].s;
        p->title_n = p->lines[i].n;
        p->title_idx = (int)i;
        strip_quotes(&p->title, &p->title_n);
        return;
    }
}

/* ---------------------------------------------------------------- dateline */

static int in_list(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof not_places / sizeof not_places[0]; i++)
        if (strlen(not_places[i]) == n && memcmp(not_places[i], s, n) == 0)
            return 1;
    return 0;
}

static int has_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n;)
        if (sift_utf8_is_lower(sift_utf8_next(s, n, &i)))
            return 1;
    return 0;
}

/* "(PTI)", "(AP)", "(Reuters)", "(CNN Business)": capitals, or an
 * organisation the gazetteer knows (as a whole or its first word). */
static int agency_ok(const sift_page *p, const char *s, size_t n)
{
    if (!has_lower(s, n) || sift_lex_gaz(p->lex, s, n) == SIFT_ENT_ORG)
        return 1;
    const char *sp = memchr(s, ' ', n);
    return sp && sift_lex_gaz(p->lex, s, (size_t)(sp - s)) == SIFT_ENT_ORG;
}

/* Match one line; on success copy the place into buf. */
static size_t match_line(sift_title *t, const sift_page *p, const char *s, size_t n, char *buf,
                         size_t cap)
{
    if (pcre2_match(t->re, (PCRE2_SPTR)s, n, 0, 0, t->md, NULL) < 0)
        return 0;
    PCRE2_SIZE pb, pe, rb, re_, ab, ae, sb, se;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->md);
    pb = ov[2], pe = ov[3], rb = ov[4], re_ = ov[5], ab = ov[6], ae = ov[7], sb = ov[8], se = ov[9];
    int has_rest = rb != PCRE2_UNSET && re_ > rb, has_agency = ab != PCRE2_UNSET && ae > ab;
    int dash = se > sb && s[sb] != ':' && s[sb] != '-';
    const char *place = s + pb;
    size_t pn = pe - pb;
    while (pn && (place[pn - 1] == '.' || place[pn - 1] == ' '))
        pn--;
    if (pn < 2 || pn >= cap || in_list(place, pn) || sift_utf8_count(place, pn) < 3)
        return 0;
    int caps = !has_lower(place, pn);
    if (has_agency && !agency_ok(p, s + ab, ae - ab))
        return 0;
    int ok;
    if (caps)
        ok = se > sb || has_agency || (has_rest && !has_lower(s + rb, re_ - rb));
    else
        ok = has_agency || (se > sb && sift_lex_gaz(p->lex, place, pn) == SIFT_ENT_PLACE) ||
             (has_rest && dash);
    if (!ok)
        return 0;
    memcpy(buf, place, pn);
    buf[pn] = '\0';
    return pn;
}

size_t sift_title_dateline(sift_title *t, const sift_page *p, char *buf, size_t cap)
{
    for (size_t i = 0; i < p->n_meta; i++) {
        if (p->meta[i].kind != SIFT_META_DATELINE)
            continue;
        size_t n = match_line(t, p, p->meta[i].s, p->meta[i].n, buf, cap);
        if (n)
            return n;
    }
    size_t from = p->title_idx >= 0 ? (size_t)p->title_idx + 1 : 0;
    int seen = 0;
    for (size_t i = from; i < p->n_lines && seen < DATELINE_LINES; i++) {
        if (p->lines[i].words < 6)
            continue;
        seen++;
        size_t n = match_line(t, p, p->lines[i].s, p->lines[i].n, buf, cap);
        if (n)
            return n;
    }
    return 0;
}
