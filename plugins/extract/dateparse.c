/* dateparse.c - read the dates one line of a page states, with time, zone and label.
 *
 * Splits a tokenised line (datetok.c) at "Published"/"Updated" labels,
 * and in each segment finds one absolute date (month names in nine
 * languages, ISO, d.m.Y, d/m/Y or m/d/Y when unambiguous, 2021年9月4日 with
 * eras), then the time and zone written near it, or else a relative date
 * resolved against the page's reference time (both datetime.c). It does
 * not choose between the dates of a page (date.c) and holds no state.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "datetok.h"

static int month_at(const sift_dtoks *k, int i)
{
    return i < k->n ? k->t[i].month : 0;
}

static int is_ordinal(const sift_dtoks *k, int i)
{
    static const char *const ords[] = {"st", "nd", "rd", "th", "er", "e", "ème", "o", "º"};
    for (size_t o = 0; o < sizeof ords / sizeof ords[0]; o++)
        if (is_w(k, i, ords[o]) && !k->t[i].sp)
            return 1;
    return is_p(k, i, 0xBA) && !k->t[i].sp;
}

static int year_of(const sift_dtok *t)
{
    if (t->ndig == 4)
        return t->val;
    if (t->ndig == 2)
        return t->val >= 90 ? 1900 + t->val : 2000 + t->val;
    return 0;
}

/* "4 September 2021", "4. September 2021", "4th of Sept., 2021",
 * "4 de septiembre de 2021", "1er septembre 2021", "4 сентября 2021". */
static int match_dmy(const sift_dtoks *k, int i, sift_when *w, int *end)
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
static int match_mdy(const sift_dtoks *k, int i, sift_when *w, int *end)
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
static int match_numeric(const sift_dtoks *k, int i, int lang_bits, sift_when *w, int *end)
{
    if (!num(k, i, 1, 4) || i + 4 >= k->n)
        return 0;
    const sift_dtok *a = &k->t[i], *s1 = &k->t[i + 1], *b = &k->t[i + 2], *s2 = &k->t[i + 3],
                    *c = &k->t[i + 4];
    if (s1->kind != SIFT_DT_PUNCT || s2->kind != SIFT_DT_PUNCT || s1->val != s2->val || s1->sp ||
        b->sp || s2->sp || c->sp || b->kind != SIFT_DT_NUM || c->kind != SIFT_DT_NUM)
        return 0;
    int sep = s1->val;
    if (sep != '-' && sep != '/' && sep != '.')
        return 0;
    if (i + 5 < k->n && k->t[i + 5].kind == SIFT_DT_NUM && !k->t[i + 5].sp)
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
static int match_cjk(const sift_dtoks *k, int i, sift_when *w, int *end)
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

static int find_absolute(const sift_dtoks *k, int from, int to, int lang_bits, sift_when *w, int *b,
                         int *e)
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

/* The longest label at i: returns tokens used and sets *kind. */
static int label_at(const sift_dtoks *k, int i, int *kind)
{
    int best = 0;
    static const int32_t cjk_starts[] = {0x516C, 0x6295, 0x63B2, 0x914D, 0x4F5C,
                                         0x53D1, 0x767C, 0x66F4, 0x6700}; /* 公投掲配作发發更最 */
    const sift_dtok *t = &k->t[i];
    if (t->kind == SIFT_DT_PUNCT || t->kind == SIFT_DT_NUM ||
        (t->kind == SIFT_DT_WORD && !t->label))
        return 0;
    int cjk_ok = t->kind != SIFT_DT_CJK;
    for (size_t c = 0; c < sizeof cjk_starts / sizeof cjk_starts[0] && !cjk_ok; c++)
        cjk_ok = t->val == cjk_starts[c];
    if (!cjk_ok)
        return 0;
    for (int kd = SIFT_DLABEL_PUBLISHED; kd <= SIFT_DLABEL_UPDATED; kd++) {
        const char *l;
        for (size_t x = 0; (l = sift_datetab_label(kd, x)); x++) {
            int used = sift_datetok_phrase(k, i, l);
            if (used > best) {
                best = used;
                *kind = kd;
            }
        }
    }
    return best;
}

static int parse_segment(const sift_page *p, const sift_dtoks *k, int from, int to,
                         sift_datecand *c)
{
    int b, e;
    memset(c, 0, sizeof *c);
    if (find_absolute(k, from, to, p->lang_bits, &c->w, &b, &e)) {
        sift_datetime_find(k, from, to, b, e, &c->w);
        return 1;
    }
    if (!p->has_ref)
        return 0;
    int days_only = 0;
    int64_t back = sift_datetime_relative(k, from, to, p->lang_bits, &days_only);
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

/* Could s hold an absolute date? It needs a year: four digits (or more,
 * glued to a time), two digits after a day and a month ("04.09.21"), or a
 * CJK year or era mark. Cheap, so most lines never get tokenised. */
static int may_hold_date(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            if ((unsigned char)s[i] == 0xE5 && i + 2 < n && (unsigned char)s[i + 1] == 0xB9 &&
                (unsigned char)s[i + 2] == 0xB4)
                return 1; /* 年 */
            continue;
        }
        size_t b = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i - b >= 4 || (i - b == 2 && b >= 2 && (s[b - 1] == '.' || s[b - 1] == '/') &&
                           s[b - 2] >= '0' && s[b - 2] <= '9'))
            return 1;
        i--; /* look at the byte after the run too */
    }
    return 0;
}

int sift_dateparse_line(const sift_page *p, const char *s, size_t n, sift_datecand *out, int max)
{
    if (!p->has_ref && !may_hold_date(s, n))
        return 0; /* and no relative date could be resolved */
    sift_dtoks k;
    sift_datetok_split(p->lex, s, n, &k);
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
