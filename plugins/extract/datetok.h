/* datetok.h - the date parser's tokens, shared by datetok.c, datetime.c and dateparse.c.
 *
 * A date line is cut into numbers, lower-cased words (with month number
 * and label mark looked up once), single CJK characters and punctuation,
 * each knowing whether white space came before it. This header holds the
 * token types, the small predicates every date pattern uses, and the
 * entries of the tokeniser (datetok.c) and of the time, zone and relative
 * date readers (datetime.c). Not part of the SDK: internal to the plugin.
 * SPDX-License-Identifier: MIT
 */
#ifndef SIFT_DATETOK_H
#define SIFT_DATETOK_H

#include <string.h>

#include "extract.h"

enum { SIFT_DT_NUM, SIFT_DT_WORD, SIFT_DT_CJK, SIFT_DT_PUNCT };

typedef struct sift_dtok {
    unsigned char kind;
    unsigned char sp;    /* white space before */
    unsigned char ndig;  /* digits of a number */
    unsigned char wn;    /* bytes in w */
    unsigned char caps;  /* a word written all in capitals */
    unsigned char month; /* 1-12 when the word names a month */
    unsigned char label; /* the word can start a date label */
    int val;             /* number value; code point of CJK and punctuation */
    char w[24];          /* lower-cased word */
} sift_dtok;

#define SIFT_DT_MAX 96

typedef struct sift_dtoks {
    sift_dtok t[SIFT_DT_MAX];
    int n;
} sift_dtoks;

static inline int is_w(const sift_dtoks *k, int i, const char *w)
{
    return i >= 0 && i < k->n && k->t[i].kind == SIFT_DT_WORD && k->t[i].wn == strlen(w) &&
           memcmp(k->t[i].w, w, k->t[i].wn) == 0;
}

static inline int is_p(const sift_dtoks *k, int i, int cp)
{
    return i >= 0 && i < k->n && k->t[i].kind == SIFT_DT_PUNCT && k->t[i].val == cp;
}

static inline int is_c(const sift_dtoks *k, int i, int cp)
{
    return i >= 0 && i < k->n && k->t[i].kind == SIFT_DT_CJK && k->t[i].val == cp;
}

static inline int num(const sift_dtoks *k, int i, int min_dig, int max_dig)
{
    return i >= 0 && i < k->n && k->t[i].kind == SIFT_DT_NUM && k->t[i].ndig >= min_dig &&
           k->t[i].ndig <= max_dig;
}

/* Tokenise s[0..n) into k, looking every word up in the lexicon once. */
void sift_datetok_split(const sift_lex *x, const char *s, size_t n, sift_dtoks *k);
/* Tokens matched at i by a label or phrase written as space-separated
 * tokens ("mis à jour", "公開日"); 0 when it does not match. */
int sift_datetok_phrase(const sift_dtoks *k, int i, const char *phrase);

/* datetime.c: the time (with am/pm and zone) in [from, to) outside the
 * date's tokens [db, de), written into w when found. */
void sift_datetime_find(const sift_dtoks *k, int from, int to, int db, int de, sift_when *w);
/* Minutes back of the first relative date in [from, to) ("3 hours ago",
 * "gestern"), -1 when none; *days_only when it is only good to the day. */
int64_t sift_datetime_relative(const sift_dtoks *k, int from, int to, int lang_bits,
                               int *days_only);

#endif
