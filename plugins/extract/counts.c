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

static int terminal(int32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x3002 || cp == 0xFF01 ||
           cp == 0xFF1F;
}

/* A period after a one-letter word or a title is no sentence end. */
static int abbreviation(const sift_lex *x, const char *s, size_t wb, size_t we)
{
    if (we - wb == 1)
        return 1;
    char buf[16];
    if (we - wb + 1 >= sizeof buf)
        return 0;
    memcpy(buf, s + wb, we - wb);
    buf[we - wb] = '.';
    return sift_lex_is_title(x, buf, we - wb + 1);
}

static void count_line(const sift_lex *x, const char *s, size_t n, tally *t)
{
    int in_word = 0, ended = 0;
    size_t i = 0, wb = 0, we = 0;
    while (i < n) {
        size_t at = i;
        int32_t cp = sift_utf8_next(s, n, &i);
        if (sift_utf8_is_cjk(cp)) {
            t->words++;
            in_word = 0;
            ended = 0;
        } else if (sift_utf8_is_letter(cp) || sift_utf8_is_digit(cp)) {
            if (!in_word) {
                t->words++;
                wb = at;
            }
            in_word = 1;
            we = i;
            ended = 0;
        } else {
            if (terminal(cp) && !ended) {
                int next_space = i >= n || s[i] == ' ' || cp >= 0x3000;
                if (next_space && !(cp == '.' && in_word && abbreviation(x, s, wb, we))) {
                    t->sentences++;
                    ended = 1;
                }
            }
            in_word = 0;
        }
    }
    if (!ended && n)
        t->sentences++;
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
    for (size_t i = 0; i < p->n_lines; i++)
        count_line(p->lex, p->lines[i].s, p->lines[i].n, &t);
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
