/* meta.c - what the boilerplate stage hands on: kept text, page_meta, counters, explain notes.
 *
 * After region.c has decided every line, this file picks the headline
 * among the removed lines just above the article (rule "title"), builds
 * the kept text (blank lines between the input's blocks), and writes
 * fields.page_meta: the removed lines that carry metadata (title, byline,
 * date, dateline, caption, credit) within meta_window lines of the
 * article, in page order, as {kind, text, line}; and fields.boilerplate
 * with the line counts. When --explain listens, every removed line is
 * noted with the rule that removed it. Decisions are region.c's.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define TITLE_LOOKBACK (12) /* lines above the article searched for its headline */
#define NOTE_BYTES (60)     /* bytes of a removed line shown by --explain */

static const char *const rule_names[BP_RULE_COUNT] = {
    [BP_KEEP] = "keep",         [BP_OUTSIDE] = "outside",
    [BP_LINKLIST] = "linklist", [BP_DUP] = "duplicate",
    [BP_REPEAT] = "repeat",     [BP_LEARNED] = "learned",
    [BP_COMMENTS] = "comments", [BP_CAPTION_SHAPE] = "caption-shape",
    [BP_STANDFIRST] = "standfirst",
    [BP_TITLE] = "title",       [BP_PROMPT] = "prompt",
    [BP_CAPTION] = "caption",   [BP_BYLINE] = "byline",
    [BP_CREDIT] = "credit",     [BP_DATE] = "date",
    [BP_SITE] = "site",         [BP_COMMENT] = "comment",
};

const char *bp_rule_name(bp_rule r)
{
    return r < BP_RULE_COUNT ? rule_names[r] : "?";
}

static int first_kept(const bp_lines *ls, size_t *at)
{
    for (size_t i = 0; i < ls->n; i++)
        if (ls->v[i].rule == BP_KEEP) {
            *at = i;
            return 1;
        }
    return 0;
}

/* A removed line that may be the headline: 3-30 words (or 6+ CJK
 * characters), no final . : , and neither bracketed alt text nor a menu
 * path ("News › Local"). */
static int title_candidate(const bp_line *l, const char *text)
{
    if ((l->rule != BP_OUTSIDE && l->rule != BP_DUP) || l->units > 30 ||
        (l->units < 3 && l->cjk < 6) || (l->flags & BP_F_BADUTF8) || l->seps >= 2)
        return 0;
    const char *s = text + l->off;
    char last = s[l->len - 1];
    if (last == '.' || last == ':' || last == ',')
        return 0;
    return !(s[0] == '[' && last == ']');
}

/* How much a candidate dist lines above the article looks like its headline. */
static float title_score(const bp_line *l, size_t dist)
{
    float sc = 1.0f - 0.05f * (float)dist;
    if (l->words >= 3 && 2 * l->caps >= l->words)
        sc += 0.5f;
    if (l->dup)
        sc += 0.5f;
    return sc;
}

/* The headline stands right above the first byline or date line that has a
 * candidate above it, or above the standfirst there (a longer line of 10+
 * words under a headline of 4+). Returns its index or lim when none does. */
static size_t title_above_byline(const bp_lines *ls, size_t lo, size_t lim, const char *text)
{
    for (size_t a = lo + 1; a < lim; a++) {
        if (ls->v[a].rule != BP_BYLINE && ls->v[a].rule != BP_DATE)
            continue;
        size_t j = a - 1;
        if (ls->v[j].rule == BP_STANDFIRST && j > lo)
            j--;
        if (!title_candidate(&ls->v[j], text))
            continue;
        const bp_line *up = j > lo ? &ls->v[j - 1] : NULL, *l = &ls->v[j];
        if (up && title_candidate(up, text) && up->words >= 4 && l->units >= 10 &&
            l->units > up->units)
            j--;
        return j;
    }
    return lim;
}

void bp_meta_title(bp_lines *ls, const char *text)
{
    size_t first;
    if (!first_kept(ls, &first))
        return;
    size_t lo = first > TITLE_LOOKBACK ? first - TITLE_LOOKBACK : 0;
    size_t best = title_above_byline(ls, lo, first, text);
    if (best < first) {
        ls->v[best].rule = BP_TITLE;
        return;
    }
    float best_sc = 0; /* else the nearest candidate, with bonuses */
    for (size_t i = lo; i < first; i++) {
        float sc = title_candidate(&ls->v[i], text) ? title_score(&ls->v[i], first - i) : -1;
        if (sc > best_sc) {
            best_sc = sc;
            best = i;
        }
    }
    if (best < first)
        ls->v[best].rule = BP_TITLE;
}

/* A stand-alone place line in capitals: "WASHINGTON:" or "BAAR, SWITZERLAND". */
static int dateline_shaped(const bp_line *l, const char *text)
{
    if (!(l->flags & BP_F_ALLCAPS) || l->units > 4 || l->digits)
        return 0;
    return (l->flags & BP_F_COLON) || memchr(text + l->off, ',', l->len) != NULL;
}

static const char *meta_kind(const bp_line *l, const char *text)
{
    switch (l->rule) {
    case BP_TITLE: return "title";
    case BP_BYLINE: return "byline";
    case BP_DATE: return "date";
    case BP_CAPTION:
    case BP_CAPTION_SHAPE: return "caption";
    case BP_CREDIT: return "credit";
    case BP_OUTSIDE: return dateline_shaped(l, text) ? "dateline" : NULL;
    default: return NULL;
    }
}

static int put_str(const sift_host *h, sift_value *map, const char *key, const char *s, size_t n)
{
    sift_value *v;
    int rc = h->map_put(map, key, &v);
    return rc < 0 ? rc : h->val_set_str(v, s, n);
}

static int put_int(const sift_host *h, sift_value *map, const char *key, int64_t i)
{
    sift_value *v;
    int rc = h->map_put(map, key, &v);
    return rc < 0 ? rc : h->val_set_int(v, i);
}

static int write_page_meta(const sift_host *h, sift_value *root, const bp_lines *ls,
                           const char *text, int64_t max_meta, int64_t window, int64_t *n_meta)
{
    size_t first = 0, last = ls->n ? ls->n - 1 : 0;
    if (first_kept(ls, &first))
        for (size_t i = ls->n; i-- > 0;)
            if (ls->v[i].rule == BP_KEEP) {
                last = i;
                break;
            }
    sift_value *list, *item;
    int rc = h->map_put(root, "page_meta", &list);
    if (rc < 0 || (rc = h->val_set_list(list)) < 0)
        return rc;
    for (size_t i = 0; i < ls->n && *n_meta < max_meta; i++) {
        const bp_line *l = &ls->v[i];
        const char *kind = meta_kind(l, text);
        int near = (int64_t)i + window >= (int64_t)first && (int64_t)i <= (int64_t)last + window;
        if (!kind || (l->flags & BP_F_BADUTF8) || (!near && l->rule != BP_TITLE))
            continue;
        if ((rc = h->list_push(list, &item)) < 0 || (rc = h->val_set_map(item)) < 0 ||
            (rc = put_str(h, item, "kind", kind, strlen(kind))) < 0 ||
            (rc = put_str(h, item, "text", text + l->off, l->len)) < 0 ||
            (rc = put_int(h, item, "line", l->lineno)) < 0)
            return rc;
        (*n_meta)++;
    }
    return 0;
}

/* Bytes of s[0, n) to show: at most NOTE_BYTES, ending on a character boundary. */
static int note_len(const char *s, size_t n)
{
    if (n <= NOTE_BYTES)
        return (int)n;
    size_t k = NOTE_BYTES;
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    return (int)k;
}

static void explain(const sift_host *h, sift_doc *doc, const bp_lines *ls, const char *text)
{
    for (size_t i = 0; i < ls->n; i++) {
        const bp_line *l = &ls->v[i];
        if (l->rule == BP_KEEP)
            continue;
        const char *s = text + l->off;
        h->doc_note(doc, "removed line %u (%s): %.*s", (unsigned)l->lineno,
                    bp_rule_name((bp_rule)l->rule), note_len(s, l->len), s);
    }
}

int bp_meta_write(const sift_host *h, sift_doc *doc, const bp_lines *ls, const char *text,
                  const bp_meta_opts *o)
{
    sift_value *root = h->doc_fields(doc), *bp;
    int64_t kept = 0, learned = 0, n_meta = 0;
    for (size_t i = 0; i < ls->n; i++) {
        kept += ls->v[i].rule == BP_KEEP;
        learned += ls->v[i].rule == BP_LEARNED;
    }
    int rc = 0;
    if (o->with_meta)
        rc = write_page_meta(h, root, ls, text, o->max_meta, o->window, &n_meta);
    if (rc < 0 || (rc = h->map_put(root, "boilerplate", &bp)) < 0 ||
        (rc = h->val_set_map(bp)) < 0 || (rc = put_int(h, bp, "lines_in", (int64_t)ls->n)) < 0 ||
        (rc = put_int(h, bp, "lines_kept", kept)) < 0 ||
        (rc = put_int(h, bp, "lines_removed", (int64_t)ls->n - kept)) < 0 ||
        (rc = put_int(h, bp, "lines_learned", learned)) < 0 ||
        (rc = put_int(h, bp, "page_meta", n_meta)) < 0)
        return rc;
    if (h->doc_explaining(doc))
        explain(h, doc, ls, text);
    return 0;
}

int bp_meta_kept_text(const bp_lines *ls, const char *text, size_t len, char **out,
                      size_t *out_len)
{
    char *buf = malloc(len + 2);
    if (!buf)
        return SIFT_ENOMEM;
    size_t n = 0;
    const bp_line *prev = NULL;
    for (size_t i = 0; i < ls->n; i++) {
        const bp_line *l = &ls->v[i];
        if (l->rule != BP_KEEP)
            continue;
        if (prev) {
            buf[n++] = '\n';
            if (prev->block != l->block)
                buf[n++] = '\n';
        }
        memcpy(buf + n, text + l->off, l->len);
        n += l->len;
        prev = l;
    }
    if (n)
        buf[n++] = '\n';
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return 0;
}
