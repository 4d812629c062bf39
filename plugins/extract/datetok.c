/* datetok.c - cut a date line into tokens for the date parser.
 *
 * Numbers (a year glued to a time, "20197:05", is split), words (split
 * where capitals meet a capitalised word, "ESTUpdated", and lower-cased),
 * single CJK characters and punctuation, each marked when white space
 * precedes it; words get their month number and label mark from the
 * lexicon in one lookup. Also the phrase matcher labels and relative-day
 * words use. Patterns live in dateparse.c and datetime.c.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "datetok.h"

static void add_tok(sift_dtoks *k, const sift_dtok *t)
{
    if (k->n < SIFT_DT_MAX)
        k->t[k->n++] = *t;
}

static void add_number(sift_dtoks *k, const char *s, size_t b, size_t e, int sp, int before_colon)
{
    size_t n = e - b;
    /* "20197:05": a year glued to a time */
    if ((n == 5 || n == 6) && before_colon && (s[b] == '1' || s[b] == '2')) {
        add_number(k, s, b, b + 4, sp, 0);
        add_number(k, s, b + 4, e, 0, 0);
        return;
    }
    sift_dtok t = {
        .kind = SIFT_DT_NUM, .sp = (unsigned char)sp, .ndig = (unsigned char)(n > 9 ? 9 : n)};
    for (size_t i = b; i < b + (n > 9 ? 9 : n); i++)
        t.val = t.val * 10 + (s[i] - '0');
    add_tok(k, &t);
}

/* A letter run, split where an upper-case run meets a capitalised word
 * ("ESTUpdated"). */
static void word_tok(sift_dtoks *k, const char *s, size_t b, size_t e, int sp, int caps)
{
    sift_dtok t = {.kind = SIFT_DT_WORD, .sp = (unsigned char)sp, .caps = (unsigned char)caps};
    t.wn = (unsigned char)sift_utf8_fold(s + b, e - b, t.w, sizeof t.w - 1);
    add_tok(k, &t);
}

static void add_word(sift_dtoks *k, const char *s, size_t b, size_t e, int sp)
{
    size_t i = b, start = b;
    int32_t prev2 = 0, prev = 0;
    size_t prev_at = b;
    int caps = 1;
    while (i < e) {
        size_t at = i;
        int32_t cp = sift_utf8_next(s, e, &i);
        if (sift_utf8_is_lower(cp) && sift_utf8_is_upper(prev) && sift_utf8_is_upper(prev2) &&
            prev_at > start) {
            word_tok(k, s, start, prev_at, sp, 1);
            start = prev_at;
            sp = 0;
        }
        if (sift_utf8_is_lower(cp))
            caps = 0;
        prev2 = prev;
        prev = cp;
        prev_at = at;
    }
    word_tok(k, s, start, e, sp, caps);
}

static void tokenise(const char *s, size_t n, sift_dtoks *k)
{
    size_t i = 0;
    int sp = 0;
    k->n = 0;
    while (i < n && k->n < SIFT_DT_MAX) {
        size_t at = i;
        int32_t cp = sift_utf8_next(s, n, &i);
        if (cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x3000) {
            sp = 1;
        } else if (sift_utf8_is_digit(cp)) {
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
            add_number(k, s, at, i, sp, i < n && s[i] == ':');
            sp = 0;
        } else if (sift_utf8_is_cjk(cp)) {
            sift_dtok t = {.kind = SIFT_DT_CJK, .sp = (unsigned char)sp, .val = cp};
            add_tok(k, &t);
            sp = 0;
        } else if (sift_utf8_is_letter(cp)) {
            size_t e = i;
            while (e < n) {
                size_t nx = e;
                int32_t c2 = sift_utf8_next(s, n, &nx);
                if (!sift_utf8_is_letter(c2) || sift_utf8_is_cjk(c2))
                    break;
                e = nx;
            }
            add_word(k, s, at, e, sp);
            i = e;
            sp = 0;
        } else {
            sift_dtok t = {.kind = SIFT_DT_PUNCT, .sp = (unsigned char)sp, .val = cp};
            add_tok(k, &t);
            sp = 0;
        }
    }
}

/* Look every word up once: month number and label start. */
static void classify(const sift_lex *x, sift_dtoks *k)
{
    for (int i = 0; i < k->n; i++) {
        sift_dtok *t = &k->t[i];
        if (t->kind != SIFT_DT_WORD)
            continue;
        sift_lexinfo li = sift_lex_info(x, t->w, t->wn);
        t->month = (unsigned char)li.month;
        t->label = (li.bits & SIFT_L_LABEL) != 0;
    }
}

void sift_datetok_split(const sift_lex *x, const char *s, size_t n, sift_dtoks *k)
{
    tokenise(s, n, k);
    classify(x, k);
}

int sift_datetok_phrase(const sift_dtoks *k, int i, const char *label)
{
    int j = i;
    const char *s = label;
    while (*s) {
        const char *e = strchr(s, ' ');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        size_t at = 0;
        int32_t cp = sift_utf8_next(s, n, &at);
        if (sift_utf8_is_cjk(cp)) {
            for (size_t q = 0; q < n; q++) {
                size_t a0 = q;
                int32_t c = sift_utf8_next(s, n, &a0);
                if (!is_c(k, j++, c))
                    return 0;
                q = a0 - 1;
            }
        } else if (n == 1 && !sift_utf8_is_letter(cp)) {
            if (!is_p(k, j++, cp))
                return 0;
        } else if (!(j < k->n && k->t[j].kind == SIFT_DT_WORD && k->t[j].wn == n &&
                     memcmp(k->t[j].w, s, n) == 0)) {
            return 0;
        } else {
            j++;
        }
        s += n;
        while (*s == ' ')
            s++;
    }
    return j - i;
}
