/* counts.c - size of a page's text: characters, words, sentences, paragraphs.
 *
 * chars counts Unicode code points; words counts runs of letters and
 * digits (one per character in scripts written without spaces); sentences
 * counts full stops, question and exclamation marks (and their CJK forms)
 * that end a sentence, not an abbreviation or initial, plus each line that
 * ends without one (headlines); paragraphs counts non-empty lines, since
 * scraped text puts one paragraph on a line. Written as fields.counts.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "extract.h"

typedef struct tally {
    int64_t chars, words, sentences;
} tally;

/* A period after a one-letter word or a title is no sentence end; w is
 * the word before it (ASCII letters only; otherwise no abbreviation). */
static int abbreviation(const sift_lex *x, const char *s, size_t at)
{
    size_t b = at;
    while (b > 0 && (unsigned char)s[b - 1] < 0x80 &&
           (sift_ascii[(unsigned char)s[b - 1]] & (SIFT_C_LOWER | SIFT_C_UPPER)))
        b--;
    if (b == at || (b > 0 && (unsigned char)s[b - 1] >= 0x80))
        return 0;
    return at - b == 1 || sift_lex_is_title(x, s + b, at - b);
}

/* Length of a sentence mark at s[i] (. ! ? … 。 ！ ？), 0 if none. */
static size_t mark_len(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '.' || c == '!' || c == '?')
        return 1;
    if (i + 3 > n || c < 0xE2)
        return 0;
    if (memcmp(s + i, "…", 3) == 0 || memcmp(s + i, "。", 3) == 0 || memcmp(s + i, "！", 3) == 0 ||
        memcmp(s + i, "？", 3) == 0)
        return 3;
    return 0;
}

/* Past closing quotes and brackets after a mark ("...end.” Next"). */
static size_t skip_closers(const char *s, size_t n, size_t i)
{
    for (;;) {
        if (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == ')'))
            i++;
        else if (i + 3 <= n && (memcmp(s + i, "”", 3) == 0 || memcmp(s + i, "’", 3) == 0))
            i += 3;
        else if (i + 2 <= n && memcmp(s + i, "»", 2) == 0)
            i += 2;
        else
            return i;
    }
}

/* Does the line end with a sentence mark (before closing quotes)? */
static int ends_with_mark(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')'))
        n--;
    while (n >= 3 && (memcmp(s + n - 3, "”", 3) == 0 || memcmp(s + n - 3, "’", 3) == 0))
        n -= 3;
    while (n >= 2 && memcmp(s + n - 2, "»", 2) == 0)
        n -= 2;
    if (n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?'))
        return 1;
    return n >= 3 && mark_len(s, n, n - 3) == 3;
}

/* Sentence ends in s[b..e) of a line s[0..n): runs of marks followed by
 * a space or the end (or written in CJK), not after an abbreviation. */
static int64_t count_marks(const sift_lex *x, const char *s, size_t n, size_t b, size_t e)
{
    int64_t k = 0;
    for (size_t i = b; i < e; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '.' && c != '!' && c != '?' && c < 0xE2)
            continue; /* letters and most else: no mark */
        size_t m = mark_len(s, n, i);
        if (!m)
            continue;
        size_t after = i + m;
        while (after < n && mark_len(s, n, after))
            after += mark_len(s, n, after); /* "?!", "..." */
        size_t past = skip_closers(s, n, after);
        if ((past >= n || s[past] == ' ' || m == 3) &&
            !(m == 1 && c == '.' && abbreviation(x, s, i)))
            k++;
        i = after - 1;
    }
    return k;
}

/* Sentences of one line, plus the line itself when it does not end with
 * a mark (a headline). Only the gaps between the line's tokens that the
 * tokeniser saw a candidate in are read, and the line's tail: a mark never
 * starts inside a token (a period there is followed by a letter, so it
 * ends nothing), and most gaps are a space. */
static int64_t count_sentences(const sift_page *p, const sift_pline *l)
{
    size_t base = (size_t)(l->s - p->text), from = 0;
    int64_t k = 0;
    for (uint32_t ti = l->tok_b; ti < l->tok_e; ti++) {
        const sift_tok *t = &p->toks[ti];
        size_t at = t->off - base;
        if (at > from && (t->flags & SIFT_TOK_GAP_MARK))
            k += count_marks(p->lex, l->s, l->n, from, at);
        if (at + t->len > from)
            from = at + t->len;
    }
    k += count_marks(p->lex, l->s, l->n, from, l->n);
    return k + !ends_with_mark(l->s, l->n);
}

static int put_int(const sift_host *h, sift_value *map, const char *key, int64_t v)
{
    sift_value *slot;
    int rc = h->map_put(map, key, &slot);
    return rc < 0 ? rc : h->val_set_int(slot, v);
}

int sift_counts_write(const sift_host *h, const sift_page *p, sift_value *fields)
{
    tally t = {.chars = (int64_t)sift_utf8_count(p->text, p->len)};
    for (size_t i = 0; i < p->n_lines; i++) {
        t.words += p->lines[i].words;
        t.sentences += count_sentences(p, &p->lines[i]);
    }
    sift_value *map;
    int rc = h->map_put(fields, "counts", &map);
    if (rc == SIFT_OK)
        rc = h->val_set_map(map);
    if (rc == SIFT_OK)
        rc = put_int(h, map, "chars", t.chars);
    if (rc == SIFT_OK)
        rc = put_int(h, map, "words", t.words);
    if (rc == SIFT_OK)
        rc = put_int(h, map, "sentences", t.sentences);
    if (rc == SIFT_OK)
        rc = put_int(h, map, "paragraphs", (int64_t)p->n_lines);
    return rc;
}
