/* dateparse.c - read the dates one line of a page states, with time, zone and label.
 *
 * Tokenises a line (numbers, lower-cased words, CJK characters,
 * punctuation), splits it at "Published"/"Updated" labels, and in each
 * segment finds one absolute date (month names in nine languages, ISO,
 * d.m.Y, d/m/Y or m/d/Y when unambiguous, 2021年9月4日 with eras), the
 * time and zone written near it, or else a relative date resolved against
 * the page's reference time. It does not choose between the dates of a
 * page (date.c) and holds no state.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "extract.h"

enum { T_NUM, T_WORD, T_CJK, T_PUNCT };

typedef struct tok {
    unsigned char kind;
    unsigned char sp;   /* white space before */
    unsigned char ndig; /* digits of a number */
    unsigned char wn;   /* bytes in w */
    unsigned char caps; /* a word written all in capitals */
    unsigned char month; /* 1-12 when the word names a month */
    unsigned char label; /* the word can start a date label */
    int val;            /* number value; code point of CJK and punctuation */
    char w[24];         /* lower-cased word */
} tok;

#define MAX_TOK 96

typedef struct toks {
    tok t[MAX_TOK];
    int n;
} toks;

static void add_tok(toks *k, const tok *t)
{
    if (k->n < MAX_TOK)
        k->t[k->n++] = *t;
}

static void add_number(toks *k, const char *s, size_t b, size_t e, int sp, int before_colon)
{
    size_t n = e - b;
    /* "20197:05": a year glued to a time */
    if ((n == 5 || n == 6) && before_colon && (s[b] == '1' || s[b] == '2')) {
        add_number(k, s, b, b + 4, sp, 0);
        add_number(k, s, b + 4, e, 0, 0);
        return;
    }
    tok t = {.kind = T_NUM, .sp = (unsigned char)sp, .ndig = (unsigned char)(n > 9 ? 9 : n)};
    for (size_t i = b; i < b + (n > 9 ? 9 : n); i++)
        t.val = t.val * 10 + (s[i] - '0');
    add_tok(k, &t);
}

/* A letter run, split where an upper-case run meets a capitalised word
 * ("ESTUpdated"). */
static void word_tok(toks *k, const char *s, size_t b, size_t e, int sp, int caps)
{
    tok t = {.kind = T_WORD, .sp = (unsigned char)sp, .caps = (unsigned char)caps};
    t.wn = (unsigned char)sift_utf8_fold(s + b, e - b, t.w, sizeof t.w - 1);
    add_tok(k, &t);
}

static void add_word(toks *k, const char *s, size_t b, size_t e, int sp)
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

static void tokenise(const char *s, size_t n, toks *k)
{
    size_t i = 0;
    int sp = 0;
    k->n = 0;
    while (i < n && k->n < MAX_TOK) {
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
            tok t = {.kind = T_CJK, .sp = (unsigned char)sp, .val = cp};
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
            tok t = {.kind = T_PUNCT, .sp = (unsigned char)sp, .val = cp};
            add_tok(k, &t);
            sp = 0;
        }
    }
}

static int is_w(const toks *k, int i, const char *w)
{
    return i >= 0 && i < k->n && k->t[i].kind == T_WORD && k->t[i].wn == strlen(w) &&
           memcmp(k->t[i].w, w, k->t[i].wn) == 0;
}

static int is_p(const toks *k, int i, int cp)
{
    return i >= 0 && i < k->n && k->t[i].kind == T_PUNCT && k->t[i].val == cp;
}

static int is_c(const toks *k, int i, int cp)
{
    return i >= 0 && i < k->n && k->t[i].kind == T_CJK && k->t[i].val == cp;
}

static int num(const toks *k, int i, int min_dig, int max_dig)
{
    return i >= 0 && i < k->n && k->t[i].kind == T_NUM && k->t[i].ndig >= min_dig &&
           k->t[i].ndig <= max_dig;
}

static int month_at(const toks *k, int i)
{
    return i < k->n ? k->t[i].month : 0;
}

/* Look every word up once: month number and label start. */
static void classify(const sift_lex *x, toks *k)
{
    for (int i = 0; i < k->n; i++) {
        tok *t = &k->t[i];
        if (t->kind != T_WORD)
            continue;
        sift_lexinfo li = sift_lex_info(x, t->w, t->wn);
        t->month = (unsigned char)li.month;
        t->label = (li.bits & SIFT_L_LABEL) != 0;
    }
}

static int is_ordinal(const toks *k, int i)
{
    static const char *const ords[] = {"st", "nd", "rd", "th", "er", "e", "ème", "o", "º"};
    for (size_t o = 0; o < sizeof ords / sizeof ords[0]; o++)
        if (is_w(k, i, ords[o]) && !k->t[i].sp)
            return 1;
    return is_p(k, i, 0xBA) && !k->t[i].sp;
}

static int year_of(const tok *t)
{
    if (t->ndig == 4)
        return t->val;
    if (t->ndig == 2)
        return t->val >= 90 ? 1900 + t->val : 2000 + t->val;
    return 0;
}

/* "4 September 2021", "4. September 2021", "4th of Sept., 2021",
 * "4 de septiembre de 2021", "1er septembre 2021", "4 сентября 2021". */
static int match_dmy(const toks *k, int i, sift_when *w, int *end)
{
    if (!num(k, i, 1, 2))
        return 0;
    int j = i + 1;
    if (is_p(k, j, '.') && !k->t[j].sp)
        j++;
    if (is_ordinal(k, j))
        j++;
    if (is_w(k, j, "de") || is_w(k, j, "of"))
        j++;
    int m = month_at(k, j);
    if (!m)
        return 0;
    j++;
    if (is_p(k, j, '.'))
        j++;
    if (is_p(k, j, ','))
        j++;
    if (is_w(k, j, "de") || is_w(k, j, "del"))
        j++;
    if (!num(k, j, 4, 4))
        return 0;
    *w = (sift_when){.y = k->t[j].val, .mo = m, .d = k->t[i].val};
    *end = j + 1;
    return 1;
}

/* "September 4th, 2021", "Sept. 4 2021", "Nov 19, 2019". */
static int match_mdy(const toks *k, int i, sift_when *w, int *end)
{
    int m = month_at(k, i);
    if (!m)
        return 0;
    int j = i + 1;
    if (is_p(k, j, '.'))
        j++;
    if (!num(k, j, 1, 2))
        return 0;
    int d = k->t[j].val;
    j++;
    if (is_ordinal(k, j))
        j++;
    if (is_p(k, j, ','))
        j++;
    if (!num(k, j, 4, 4))
        return 0;
    *w = (sift_when){.y = k->t[j].val, .mo = m, .d = d};
    *end = j + 1;
    return 1;
}

/* Numbers joined by one separator without spaces: ISO Y-M-D, Y.M.D,
 * d.m.Y, and d/m/Y or m/d/Y when a part above 12 or the language decides. */
static int match_numeric(const toks *k, int i, int lang_bits, sift_when *w, int *end)
{
    if (!num(k, i, 1, 4) || i + 4 >= k->n)
        return 0;
    const tok *a = &k->t[i], *s1 = &k->t[i + 1], *b = &k->t[i + 2], *s2 = &k->t[i + 3],
              *c = &k->t[i + 4];
    if (s1->kind != T_PUNCT || s2->kind != T_PUNCT || s1->val != s2->val || s1->sp || b->sp ||
        s2->sp || c->sp || b->kind != T_NUM || c->kind != T_NUM)
        return 0;
    int sep = s1->val;
    if (sep != '-' && sep != '/' && sep != '.')
        return 0;
    if (i + 5 < k->n && k->t[i + 5].kind == T_NUM && !k->t[i + 5].sp)
        return 0;
    if (a->ndig == 4 && b->ndig <= 2 && c->ndig <= 2) {
        *w = (sift_when){.y = a->val, .mo = b->val, .d = c->val};
    } else if (a->ndig <= 2 && b->ndig <= 2 && (c->ndig == 4 || (c->ndig == 2 && sep != '-'))) {
        int y = year_of(c), p = a->val, q = b->val;
        int dm = sep == '.' || p > 12 || (lang_bits != SIFT_L_EN && lang_bits != SIFT_L_ALL);
        if (q > 12 && p <= 12 && sep != '.')
            dm = 0;
        else if (!dm && p <= 12 && q <= 12 && p != q)
            return 0; /* 09/04/2021 on an English or unknown page */
        *w = dm ? (sift_when){.y = y, .mo = q, .d = p} : (sift_when){.y = y, .mo = p, .d = q};
    } else {
        return 0;
    }
    *end = i + 5;
    return 1;
}

/* 2021年9月4日, 令和3年9月4日, 平成元年, 2021년 9월 4일. */
static int match_cjk(const toks *k, int i, sift_when *w, int *end)
{
    int j = i, base = 0, y;
    if (is_c(k, j, 0x4EE4) && is_c(k, j + 1, 0x548C)) /* 令和 */
        base = 2018;
    else if (is_c(k, j, 0x5E73) && is_c(k, j + 1, 0x6210)) /* 平成 */
        base = 1988;
    if (base) {
        j += 2;
        if (is_c(k, j, 0x5143)) /* 元 */
            y = base + 1;
        else if (num(k, j, 1, 2))
            y = base + k->t[j].val;
        else
            return 0;
        j++;
    } else if (num(k, j, 4, 4)) {
        y = k->t[j++].val;
    } else {
        return 0;
    }
    int yc = is_c(k, j, 0x5E74) ? 0x5E74 : 0xB144; /* 年 or 년 */
    int mc = yc == 0x5E74 ? 0x6708 : 0xC6D4;       /* 月 or 월 */
    int dc = yc == 0x5E74 ? 0x65E5 : 0xC77C;       /* 日 or 일 */
    if (!is_c(k, j, yc) || !num(k, j + 1, 1, 2) || !is_c(k, j + 2, mc) || !num(k, j + 3, 1, 2) ||
        !is_c(k, j + 4, dc))
        return 0;
    *w = (sift_when){.y = y, .mo = k->t[j + 1].val, .d = k->t[j + 3].val};
    *end = j + 5;
    return 1;
}

static int find_absolute(const toks *k, int from, int to, int lang_bits, sift_when *w,
                         int *b, int *e)
{
    for (int i = from; i < to; i++) {
        int ok = match_cjk(k, i, w, e) || match_numeric(k, i, lang_bits, w, e) ||
                 match_dmy(k, i, w, e) || match_mdy(k, i, w, e);
        if (ok && *e <= to && w->y >= 1990 && w->y <= 2100 && sift_date_valid(w->y, w->mo, w->d)) {
            *b = i;
            return 1;
        }
    }
    return 0;
}

/* am/pm after a time: "pm", "PM", "p.m.". Returns tokens used, 0 if none;
 * *pm is 1 for pm, 0 for am. */
static int ampm(const toks *k, int i, int *pm)
{
    if (is_w(k, i, "am") || is_w(k, i, "pm")) {
        *pm = k->t[i].w[0] == 'p';
        return 1;
    }
    if ((is_w(k, i, "a") || is_w(k, i, "p")) && is_p(k, i + 1, '.') && is_w(k, i + 2, "m")) {
        *pm = k->t[i].w[0] == 'p';
        return is_p(k, i + 3, '.') ? 4 : 3;
    }
    return 0;
}

/* Zone after a time, at k->t[i]: "Z", "+05:30", "+0530", "UTC+2", "IST". */
static int zone_at(const toks *k, int i, int adjacent, int *off, int *rule)
{
    *rule = 0;
    if (adjacent && is_w(k, i, "z") && !k->t[i].sp) {
        *off = 0;
        return 1;
    }
    int j = i;
    if (is_w(k, j, "utc") || is_w(k, j, "gmt")) {
        if ((is_p(k, j + 1, '+') || is_p(k, j + 1, '-')) && num(k, j + 2, 1, 2)) {
            int sign = k->t[j + 1].val == '+' ? 1 : -1, mi = 0;
            if (is_p(k, j + 3, ':') && num(k, j + 4, 2, 2))
                mi = k->t[j + 4].val;
            *off = sign * (k->t[j + 2].val * 60 + mi);
            return 1;
        }
        *off = 0;
        return 1;
    }
    if ((is_p(k, j, '+') || is_p(k, j, '-')) && adjacent && !k->t[j].sp && num(k, j + 1, 2, 4)) {
        int sign = k->t[j].val == '+' ? 1 : -1, v = k->t[j + 1].val;
        if (k->t[j + 1].ndig == 4)
            *off = sign * ((v / 100) * 60 + v % 100);
        else
            *off = sign * (v * 60 + (is_p(k, j + 2, ':') && num(k, j + 3, 2, 2) ? k->t[j + 3].val : 0));
        return 1;
    }
    if (j >= k->n || k->t[j].kind != T_WORD || !sift_datetab_zone(k->t[j].w, k->t[j].wn, off, rule))
        return 0;
    return k->t[j].wn > 2 || k->t[j].caps; /* "ET", not the French "et" */
}

/* One time at k->t[i]; fills h, mi and the index after it. */
static int time_at(const toks *k, int i, int *h, int *mi, int *after)
{
    int j;
    if (num(k, i, 1, 2) && is_p(k, i + 1, ':') && num(k, i + 2, 2, 2) && !k->t[i + 2].sp) {
        j = i + 3;
        if (is_p(k, j, ':') && num(k, j + 1, 2, 2))
            j += 2;
        if (is_p(k, j, '.') && num(k, j + 1, 1, 6) && !k->t[j + 1].sp)
            j += 2; /* fractions of a second */
    } else if (num(k, i, 1, 2) && is_w(k, i + 1, "h") && num(k, i + 2, 2, 2)) {
        j = i + 3; /* 07h58, 7 h 58 */
    } else if (num(k, i, 1, 2) && is_p(k, i + 1, '.') && num(k, i + 2, 2, 2) &&
               (is_w(k, i + 3, "am") || is_w(k, i + 3, "pm"))) {
        j = i + 3; /* 9.22am */
    } else if (num(k, i, 1, 2) && is_c(k, i + 1, 0x6642)) { /* 時 */
        *h = k->t[i].val;
        *mi = num(k, i + 2, 1, 2) && is_c(k, i + 3, 0x5206) ? k->t[i + 2].val : 0; /* 分 */
        *after = *mi || is_c(k, i + 3, 0x5206) ? i + 4 : i + 2;
        return *h <= 24;
    } else {
        return 0;
    }
    *h = k->t[i].val;
    *mi = k->t[i + 2].val;
    *after = j;
    return *h <= 24 && *mi <= 59;
}

/* Find a time (with am/pm and zone) in [from, to) outside [db, de). */
static void find_time(const toks *k, int from, int to, int db, int de, sift_when *w)
{
    int zr = 0, zoff = 0;
    for (int i = from; i < to; i++) {
        if (i >= db && i < de)
            continue;
        int h, mi, j, pm;
        if (!time_at(k, i, &h, &mi, &j)) {
            /* "0339 GMT": four digits only with a zone right after */
            if (!(num(k, i, 4, 4) && k->t[i].val / 100 <= 23 && k->t[i].val % 100 <= 59 &&
                  zone_at(k, i + 1, 0, &zoff, &zr)))
                continue;
            h = k->t[i].val / 100;
            mi = k->t[i].val % 100;
            j = i + 1;
        }
        int used = ampm(k, j, &pm);
        if (used) {
            if (h > 12 || h == 0)
                used = 0, pm = 0; /* "13:42pm": the 24-hour reading wins */
            else
                h = (h % 12) + (pm ? 12 : 0);
            j += used;
        }
        if (is_w(k, j, "uhr") || is_w(k, j, "hrs") || is_w(k, j, "h"))
            j++;
        if (is_p(k, j, '(') || (is_p(k, j, ',') && j + 1 < k->n && k->t[j + 1].kind == T_WORD))
            j++; /* "11:42, UK", "0339 GMT (1139 HKT)" */
        w->h = h == 24 ? 0 : h;
        w->mi = mi;
        w->has_time = 1;
        if (zone_at(k, j, 1, &zoff, &zr)) {
            w->has_zone = 1;
            w->zone_min = zr ? sift_date_zone_offset(zoff, zr, w->y, w->mo, w->d) : zoff;
        }
        return;
    }
}

/* "3 hours ago", "vor 2 Stunden", "il y a 3 jours", "hace 2 días", "3 ore fa",
 * "há 2 dias", "3 uur geleden", "2 часа назад", "3時間前": minutes back. */
static int64_t rel_cjk(const toks *k, int i)
{
    if (!num(k, i, 1, 3))
        return -1;
    int64_t n = k->t[i].val;
    if (is_c(k, i + 1, 0x5206) && is_c(k, i + 2, 0x524D)) /* 分前 */
        return n;
    if (is_c(k, i + 1, 0x6642) && is_c(k, i + 2, 0x9593) && is_c(k, i + 3, 0x524D)) /* 時間前 */
        return n * 60;
    if (is_c(k, i + 1, 0x65E5) && is_c(k, i + 2, 0x524D)) /* 日前 */
        return n * 1440;
    return -1;
}

static int64_t rel_at(const toks *k, int i)
{
    int64_t m = rel_cjk(k, i);
    if (m >= 0)
        return m;
    int j = i, lead = 0;
    if (is_w(k, j, "vor") || is_w(k, j, "hace") || is_w(k, j, "há")) {
        lead = 1;
        j++;
    } else if (is_w(k, j, "il") && is_w(k, j + 1, "y") && is_w(k, j + 2, "a")) {
        lead = 1;
        j += 3;
    }
    int64_t n = 1;
    if (num(k, j, 1, 3))
        n = k->t[j++].val;
    else if (j < k->n && k->t[j].kind == T_WORD && sift_datetab_is_one(k->t[j].w, k->t[j].wn))
        j++;
    if (j >= k->n || k->t[j].kind != T_WORD)
        return -1;
    int unit = sift_datetab_unit(k->t[j].w, k->t[j].wn);
    if (unit < 0)
        return -1;
    j++;
    int tail = is_w(k, j, "ago") || is_w(k, j, "fa") || is_w(k, j, "geleden") ||
               is_w(k, j, "назад") || is_w(k, j, "atrás");
    if (lead == tail)
        return -1;
    return n * unit;
}

static int match_label_text(const toks *k, int i, const char *label)
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
        } else if (!(j < k->n && k->t[j].kind == T_WORD && k->t[j].wn == n &&
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

/* The longest label at i: returns tokens used and sets *kind. */
static int label_at(const toks *k, int i, int *kind)
{
    int best = 0;
    static const int32_t cjk_starts[] = {0x516C, 0x6295, 0x63B2, 0x914D, 0x4F5C, 0x53D1,
                                         0x767C, 0x66F4, 0x6700}; /* 公投掲配作发發更最 */
    const tok *t = &k->t[i];
    if (t->kind == T_PUNCT || t->kind == T_NUM || (t->kind == T_WORD && !t->label))
        return 0;
    int cjk_ok = t->kind != T_CJK;
    for (size_t c = 0; c < sizeof cjk_starts / sizeof cjk_starts[0] && !cjk_ok; c++)
        cjk_ok = t->val == cjk_starts[c];
    if (!cjk_ok)
        return 0;
    for (int kd = SIFT_DLABEL_PUBLISHED; kd <= SIFT_DLABEL_UPDATED; kd++) {
        const char *l;
        for (size_t x = 0; (l = sift_datetab_label(kd, x)); x++) {
            int used = match_label_text(k, i, l);
            if (used > best) {
                best = used;
                *kind = kd;
            }
        }
    }
    return best;
}

static int64_t find_relative(const toks *k, int from, int to, int lang_bits, int *days_only)
{
    for (int i = from; i < to; i++) {
        int64_t m = rel_at(k, i);
        if (m >= 0) {
            *days_only = m >= 1440;
            return m;
        }
        const char *dw;
        int back;
        for (size_t x = 0; (dw = sift_datetab_day_word(x, &back)); x++) {
            if (strcmp(dw, "hier") == 0 && lang_bits != SIFT_L_FR)
                continue;
            if (match_label_text(k, i, dw)) {
                *days_only = 1;
                return (int64_t)back * 1440;
            }
        }
    }
    return -1;
}

static int parse_segment(const sift_page *p, const toks *k, int from, int to, sift_datecand *c)
{
    int b, e;
    memset(c, 0, sizeof *c);
    if (find_absolute(k, from, to, p->lang_bits, &c->w, &b, &e)) {
        find_time(k, from, to, b, e, &c->w);
        return 1;
    }
    if (!p->has_ref)
        return 0;
    int days_only = 0;
    int64_t back = find_relative(k, from, to, p->lang_bits, &days_only);
    if (back < 0 || back > 60 * 24 * 60)
        return 0;
    c->w = p->ref;
    if (days_only) {
        c->w.has_time = c->w.has_zone = 0;
        back = back / 1440 * 1440;
    } else if (!p->ref.has_time) {
        return 0;
    }
    sift_date_back(&c->w, back);
    c->is_relative = 1;
    return 1;
}

int sift_dateparse_line(const sift_page *p, const char *s, size_t n, sift_datecand *out, int max)
{
    if (!p->has_ref && !memchr(s, '0', n) && !memchr(s, '1', n) && !memchr(s, '2', n) &&
        !memchr(s, '3', n) && !memchr(s, '4', n) && !memchr(s, '5', n) && !memchr(s, '6', n) &&
        !memchr(s, '7', n) && !memchr(s, '8', n) && !memchr(s, '9', n))
        return 0; /* no digit: only a relative date could be here, and none can be resolved */
    toks k;
    tokenise(s, n, &k);
    classify(p->lex, &k);
    int got = 0, seg_from = 0, seg_label = SIFT_DLABEL_NONE;
    for (int i = 0; i <= k.n && got < max; i++) {
        int kind = 0, used = i < k.n ? label_at(&k, i, &kind) : 0;
        if (!used && i < k.n)
            continue;
        if (i > seg_from && parse_segment(p, &k, seg_from, i, &out[got])) {
            out[got].label = seg_label;
            got++;
        }
        seg_label = kind;
        seg_from = i + used;
        i += used ? used - 1 : 0;
    }
    return got;
}
