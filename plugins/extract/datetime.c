/* datetime.c - read the time, zone and relative dates of a date line.
 *
 * Times as "07:58", "7:58 p.m.", "07h58", "9.22am", "15時30分" or "0339"
 * before a zone; zones as "Z", "+05:30", "UTC+2" or an abbreviation from
 * datetab.c (US and EU daylight saving applied on the date's day);
 * relative dates as "3 hours ago", "vor 2 Stunden", "il y a 3 jours",
 * "hace 2 días", "3 ore fa", "há 2 dias", "3 uur geleden", "2 часа назад",
 * "3時間前", "yesterday" and its kin. Absolute dates are dateparse.c's.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "datetok.h"

/* am/pm after a time: "pm", "PM", "p.m.". Returns tokens used, 0 if none;
 * *pm is 1 for pm, 0 for am. */
static int ampm(const sift_dtoks *k, int i, int *pm)
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
static int zone_at(const sift_dtoks *k, int i, int adjacent, int *off, int *rule)
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
            *off = sign *
                   (v * 60 + (is_p(k, j + 2, ':') && num(k, j + 3, 2, 2) ? k->t[j + 3].val : 0));
        return 1;
    }
    if (j >= k->n || k->t[j].kind != SIFT_DT_WORD ||
        !sift_datetab_zone(k->t[j].w, k->t[j].wn, off, rule))
        return 0;
    return k->t[j].wn > 2 || k->t[j].caps; /* "ET", not the French "et" */
}

/* One time at k->t[i]; fills h, mi and the index after it. */
static int time_at(const sift_dtoks *k, int i, int *h, int *mi, int *after)
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
        j = i + 3;                                          /* 9.22am */
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
void sift_datetime_find(const sift_dtoks *k, int from, int to, int db, int de, sift_when *w)
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
        if (is_p(k, j, '(') ||
            (is_p(k, j, ',') && j + 1 < k->n && k->t[j + 1].kind == SIFT_DT_WORD))
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
static int64_t rel_cjk(const sift_dtoks *k, int i)
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

static int64_t rel_at(const sift_dtoks *k, int i)
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
    else if (j < k->n && k->t[j].kind == SIFT_DT_WORD && sift_datetab_is_one(k->t[j].w, k->t[j].wn))
        j++;
    if (j >= k->n || k->t[j].kind != SIFT_DT_WORD)
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

int64_t sift_datetime_relative(const sift_dtoks *k, int from, int to, int lang_bits, int *days_only)
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
            if (sift_datetok_phrase(k, i, dw)) {
                *days_only = 1;
                return (int64_t)back * 1440;
            }
        }
    }
    return -1;
}
