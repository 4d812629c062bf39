/* page.c - the page model the extract stage's finders read: lines, page_meta, reference time.
 *
 * Splits the cleaned text into its non-empty lines (tokenised by tokens.c,
 * with word counts and a "running text" mark), reads the metadata lines the boilerplate stage
 * handed over in fields.page_meta ({kind, text, line}) and the reference
 * time fields.fetched_at. It decides nothing about titles, dates or names
 * (title.c, date.c, author.c); it only gives them one view of the page.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

static const char *const kind_names[] = {"title",    "byline",  "date",
                                         "dateline", "caption", "credit"};

/* The kind of a page_meta "kind" string; SIFT_META_OTHER when unknown. */
static int page_kind(const char *s, size_t n)
{
    for (int i = 0; i < (int)(sizeof kind_names / sizeof kind_names[0]); i++)
        if (strlen(kind_names[i]) == n && memcmp(kind_names[i], s, n) == 0)
            return i;
    return SIFT_META_OTHER;
}

int sift_page_is_copyright(const char *s, size_t n)
{
    static const char *const marks[] = {"©",
                                        "(c)",
                                        "(C)",
                                        "Copyright",
                                        "copyright",
                                        "COPYRIGHT",
                                        "All rights reserved",
                                        "All Rights Reserved"};
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
        size_t k = strlen(marks[m]);
        for (size_t i = 0; i + k <= n; i++)
            if (s[i] == marks[m][0] && memcmp(s + i, marks[m], k) == 0)
                return 1;
    }
    return 0;
}

/* Words: white-space separated tokens, plus one per CJK character. */
static int count_words(const char *s, size_t n)
{
    int w = 0, in = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            if (c == ' ' || c == '\t')
                in = 0;
            else if (!in)
                w++, in = 1;
            continue;
        }
        int32_t cp = sift_utf8_next_multi(s, n, &i);
        if (cp == 0xA0 || cp == 0x3000) {
            in = 0;
        } else if (sift_utf8_is_cjk(cp)) {
            w++;
            in = 0;
        } else if (!in) {
            w++;
            in = 1;
        }
    }
    return w;
}

static int ends_sentence(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' '))
        n--;
    if (!n)
        return 0;
    unsigned char c = (unsigned char)s[n - 1];
    if (c == '.' || c == '!' || c == '?' || c == '"' || c == ')' || c == '\'')
        return 1;
    /* ” ’ 。 ！ ？ » */
    static const char *const tails[] = {"”", "’", "。", "！", "？", "»", "…"};
    for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
        size_t k = strlen(tails[t]);
        if (n >= k && memcmp(s + n - k, tails[t], k) == 0)
            return 1;
    }
    return 0;
}

static int push(sift_pline **arr, size_t *n, size_t *cap, const sift_pline *l)
{
    if (sift_grow_items((void **)arr, cap, *n + 1, sizeof **arr, 64) < 0)
        return SIFT_ENOMEM;
    (*arr)[(*n)++] = *l;
    return SIFT_OK;
}

static int split_lines(sift_page *p)
{
    const char *t = p->text;
    size_t i = 0;
    int pos = 0;
    while (i < p->len) {
        const char *nl = memchr(t + i, '\n', p->len - i);
        size_t e = nl ? (size_t)(nl - t) : p->len;
        pos++;
        size_t b = i, f = e;
        while (b < f && (t[b] == ' ' || t[b] == '\t' || t[b] == '\r'))
            b++;
        while (f > b && (t[f - 1] == ' ' || t[f - 1] == '\t' || t[f - 1] == '\r'))
            f--;
        if (f > b) {
            sift_pline l = {.s = t + b, .n = f - b, .pos = pos, .kind = SIFT_META_NONE};
            if (push(&p->lines, &p->n_lines, &p->cap_lines, &l) < 0)
                return SIFT_ENOMEM;
        }
        i = e + 1;
    }
    return SIFT_OK;
}

/* Running text: a dozen words ending a sentence, or two dozen in any case. */
static void mark_body(sift_page *p)
{
    for (size_t i = 0; i < p->n_lines; i++) {
        sift_pline *l = &p->lines[i];
        l->is_body = (l->words >= 12 && ends_sentence(l->s, l->n)) || l->words >= 25;
        if (l->is_body && p->body_idx < 0)
            p->body_idx = (int)i;
    }
}

static int read_str(const sift_host *h, const sift_value *map, const char *key, const char **s,
                    size_t *n)
{
    const sift_value *v = NULL;
    if (h->map_get(map, key, &v) < 0)
        return -1;
    return h->val_str(v, s, n) < 0 ? -1 : 0;
}

static int read_meta(sift_page *p, const sift_host *h, const sift_value *fields)
{
    const sift_value *list = NULL;
    if (h->map_get(fields, "page_meta", &list) < 0 || h->val_type(list) != SIFT_T_LIST)
        return SIFT_OK;
    size_t n = h->val_len(list);
    for (size_t i = 0; i < n; i++) {
        const sift_value *m = NULL, *lv = NULL;
        const char *kind, *text;
        size_t kn, tn;
        int64_t line = 0;
        if (h->list_at(list, i, &m) < 0 || h->val_type(m) != SIFT_T_MAP)
            continue;
        if (read_str(h, m, "kind", &kind, &kn) < 0 || read_str(h, m, "text", &text, &tn) < 0)
            continue;
        if (h->map_get(m, "line", &lv) == SIFT_OK)
            h->val_int(lv, &line);
        while (tn && (*text == ' ' || *text == '\t')) {
            text++;
            tn--;
        }
        while (tn && (text[tn - 1] == ' ' || text[tn - 1] == '\t'))
            tn--;
        if (!tn)
            continue;
        sift_pline l = {.s = text,
                        .n = tn,
                        .pos = line > 0 && line < 1 << 30 ? (int)line : 0,
                        .kind = page_kind(kind, kn)};
        l.words = count_words(text, tn);
        if (push(&p->meta, &p->n_meta, &p->cap_meta, &l) < 0)
            return SIFT_ENOMEM;
    }
    return SIFT_OK;
}

int sift_page_load(sift_page *p, const sift_host *h, const char *text, size_t len,
                   const sift_value *fields)
{
    p->text = text;
    p->len = len;
    p->n_lines = p->n_meta = p->n_toks = 0;
    p->body_idx = p->title_idx = -1;
    p->title_meta = 0;
    p->title = NULL;
    p->title_n = 0;
    p->lang[0] = '\0';
    p->lang_bits = SIFT_L_ALL;
    p->has_ref = 0;
    int rc = split_lines(p);
    if (rc == SIFT_OK)
        rc = sift_tokens_build(p);
    if (rc < 0)
        return rc;
    mark_body(p);
    if (!fields)
        return SIFT_OK;
    rc = read_meta(p, h, fields);
    const char *ref;
    size_t rn;
    if (rc == SIFT_OK && read_str(h, fields, "fetched_at", &ref, &rn) == 0)
        p->has_ref = sift_date_parse_iso(ref, rn, &p->ref);
    return rc;
}

void sift_page_fini(sift_page *p)
{
    free(p->lines);
    free(p->meta);
    free(p->toks);
    p->lines = p->meta = NULL;
    p->toks = NULL;
    p->n_lines = p->cap_lines = p->n_meta = p->cap_meta = p->n_toks = p->cap_toks = 0;
}
