/* date.c - choose a page's publication date among the dates it states, and write it as ISO 8601.
 *
 * Every metadata line handed over by boilerplate (page_meta kinds date,
 * byline, dateline) and every short text line near the headline is read
 * by dateparse.c; each date found is scored by its label (Published beats
 * no label beats Updated), the kind of line it sits in, and its distance
 * from the headline, so related-article lists, comment times and the
 * site's "today" line lose to the article's own date. Copyright lines and
 * dates inside running text are never candidates. When the two best
 * candidates disagree and score alike there is no date: no value beats a
 * wrong one. Also the calendar arithmetic (days, daylight-saving rules)
 * and the ISO 8601 reader for fields.fetched_at and writer for fields.date.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "extract.h"

#define MAX_CANDS 64
#define ZONE_BEFORE 8 /* lines before the headline a date may sit */
#define ZONE_AFTER 30 /* lines after it */
#define MAX_WORDS 16  /* an unlabelled date in a longer line is running text */
#define AMBIGUOUS 1.0 /* score gap under which two different dates mean "no date" */

/* Days since 1970-01-01, and back. */
static int64_t days_of(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_of(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int sift_date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* 0 = Sunday. */
static int weekday(int64_t days)
{
    int w = (int)((days + 4) % 7);
    return w < 0 ? w + 7 : w;
}

int sift_date_zone_offset(int std_off, int rule, int y, int m, int d)
{
    int64_t t = days_of(y, m, d), from, to;
    if (rule == 1) { /* US: second Sunday of March to first Sunday of November */
        int64_t mar1 = days_of(y, 3, 1), nov1 = days_of(y, 11, 1);
        from = mar1 + (7 - weekday(mar1)) % 7 + 7;
        to = nov1 + (7 - weekday(nov1)) % 7;
    } else if (rule == 2) { /* EU: last Sunday of March to last Sunday of October */
        int64_t mar31 = days_of(y, 3, 31), oct31 = days_of(y, 10, 31);
        from = mar31 - weekday(mar31);
        to = oct31 - weekday(oct31);
    } else {
        return std_off;
    }
    return t >= from && t < to ? std_off + 60 : std_off;
}

void sift_date_back(sift_when *w, int64_t minutes)
{
    int64_t days = days_of(w->y, w->mo, w->d);
    if (w->has_time) {
        int64_t t = days * 1440 + w->h * 60 + w->mi - minutes;
        days = t >= 0 ? t / 1440 : (t - 1439) / 1440;
        int64_t rem = t - days * 1440;
        w->h = (int)(rem / 60);
        w->mi = (int)(rem % 60);
    } else {
        days -= minutes / 1440;
    }
    civil_of(days, &w->y, &w->mo, &w->d);
}

static int digits(const char *s, size_t n, size_t at, size_t k, int *out)
{
    if (at + k > n)
        return 0;
    *out = 0;
    for (size_t i = at; i < at + k; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *out = *out * 10 + (s[i] - '0');
    }
    return 1;
}

static int iso_zone(const char *s, size_t n, size_t i, sift_when *w)
{
    if (i >= n)
        return 1;
    if (s[i] == 'Z' || s[i] == 'z') {
        w->has_zone = 1;
        return 1;
    }
    int zh, zm = 0, sign = s[i] == '-' ? -1 : 1;
    if ((s[i] != '+' && s[i] != '-') || !digits(s, n, i + 1, 2, &zh))
        return 0;
    size_t j = i + 3;
    if (j < n && s[j] == ':')
        j++;
    if (j < n && !digits(s, n, j, 2, &zm))
        return 0;
    w->has_zone = 1;
    w->zone_min = sign * (zh * 60 + zm);
    return 1;
}

int sift_date_parse_iso(const char *s, size_t n, sift_when *out)
{
    sift_when w = {0};
    if (!digits(s, n, 0, 4, &w.y) || n < 10 || s[4] != '-' || !digits(s, n, 5, 2, &w.mo) ||
        s[7] != '-' || !digits(s, n, 8, 2, &w.d) || !sift_date_valid(w.y, w.mo, w.d))
        return 0;
    size_t i = 10;
    if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        if (!digits(s, n, i + 1, 2, &w.h) || i + 3 >= n || s[i + 3] != ':' ||
            !digits(s, n, i + 4, 2, &w.mi) || w.h > 23 || w.mi > 59)
            return 0;
        w.has_time = 1;
        i += 6;
        if (i < n && s[i] == ':')
            i += 3;
        while (i < n && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
            i++;
        if (!iso_zone(s, n, i, &w))
            return 0;
    }
    *out = w;
    return 1;
}

size_t sift_date_format(const sift_when *w, char *buf, size_t cap)
{
    int k;
    if (!w->has_time)
        k = snprintf(buf, cap, "%04d-%02d-%02d", w->y, w->mo, w->d);
    else if (!w->has_zone)
        k = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d", w->y, w->mo, w->d, w->h, w->mi);
    else if (w->zone_min == 0)
        k = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02dZ", w->y, w->mo, w->d, w->h, w->mi);
    else {
        int z = w->zone_min < 0 ? -w->zone_min : w->zone_min;
        k = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d%c%02d:%02d", w->y, w->mo, w->d, w->h,
                     w->mi, w->zone_min < 0 ? '-' : '+', z / 60, z % 60);
    }
    return k < 0 ? 0 : (size_t)k >= cap ? cap - 1 : (size_t)k;
}

/* ---------------------------------------------------------------- choosing */

typedef struct cand {
    sift_when w;
    double score;
    int far;   /* a Published line away from the headline: used only when nothing is near */
    int plain; /* unlabelled and not in a byline: a list of these is a list of links */
} cand;

#define LIST_SPAN 40 /* lines around the headline searched for lists of dates */

typedef struct pick {
    cand c[MAX_CANDS];
    int n;
    sift_when plain_days[3]; /* distinct unlabelled dates around the headline */
    int n_plain_days;
} pick;

static int same_day(const sift_when *a, const sift_when *b)
{
    return a->y == b->y && a->mo == b->mo && a->d == b->d;
}

static void note_plain(pick *pk, const sift_when *w)
{
    for (int j = 0; j < pk->n_plain_days; j++)
        if (same_day(&pk->plain_days[j], w))
            return;
    if (pk->n_plain_days < 3)
        pk->plain_days[pk->n_plain_days++] = *w;
}

static int after_ref(const sift_page *p, const sift_when *w)
{
    if (!p->has_ref)
        return 0;
    return days_of(w->y, w->mo, w->d) > days_of(p->ref.y, p->ref.mo, p->ref.d) + 1;
}

/* Read one line's dates into the pick. dist: lines after the headline
 * (negative before it); near: inside the headline's zone. A headline line
 * counts only with a label ("Published ..." taken for a headline). */
static void consider(const sift_page *p, const sift_pline *l, int dist, int near, pick *pk)
{
    int labelled_only = l->kind == SIFT_META_TITLE;
    sift_datecand dc[4];
    int k = sift_dateparse_line(p, l->s, l->n, dc, 4);
    if (k && sift_page_is_copyright(l->s, l->n))
        return;
    for (int i = 0; i < k && pk->n < MAX_CANDS; i++) {
        int label = dc[i].label;
        if (!label && l->kind != SIFT_META_BYLINE && l->words <= MAX_WORDS && dist >= -LIST_SPAN &&
            dist <= LIST_SPAN)
            note_plain(pk, &dc[i].w);
        if ((!label && (l->words > MAX_WORDS || !near || labelled_only)) || after_ref(p, &dc[i].w))
            continue;
        if (!near && label != SIFT_DLABEL_PUBLISHED)
            continue;
        cand *c = &pk->c[pk->n++];
        c->w = dc[i].w;
        c->far = !near;
        c->plain = !label && l->kind != SIFT_META_BYLINE;
        c->score = label == SIFT_DLABEL_PUBLISHED ? 30 : label == SIFT_DLABEL_UPDATED ? 16 : 22;
        if (l->kind == SIFT_META_DATE || l->kind == SIFT_META_BYLINE)
            c->score += 4;
        else if (l->kind == SIFT_META_NONE && l->words <= 8)
            c->score += 2;
        c->score -= dist >= 0 ? 0.4 * dist : -1.0 * dist;
        c->score += c->w.has_time ? 0.5 : 0;
        c->score -= dc[i].is_relative ? 3 : 0;
    }
}

static void gather_meta(const sift_page *p, pick *pk)
{
    int anchor = p->title_meta;
    if (!anchor && p->n_meta)
        anchor = p->meta[0].pos - 1;
    for (size_t i = 0; i < p->n_meta; i++) {
        const sift_pline *l = &p->meta[i];
        if (l->kind == SIFT_META_CAPTION || l->kind == SIFT_META_CREDIT)
            continue;
        int dist = l->pos - anchor;
        consider(p, l, dist, dist >= -ZONE_BEFORE && dist <= ZONE_AFTER, pk);
    }
}

static void gather_text(const sift_page *p, pick *pk)
{
    if (!p->n_lines)
        return;
    int anchor = p->title_idx >= 0 ? p->lines[p->title_idx].pos : p->lines[0].pos - 1;
    /* unlabelled dates only before the running text starts (and one line into it) */
    int last_near = p->body_idx >= 0 ? p->body_idx + 1 : 14;
    for (size_t i = 0; i < p->n_lines; i++) {
        const sift_pline *l = &p->lines[i];
        if ((int)i == p->title_idx)
            continue;
        int dist = l->pos - anchor;
        int near = (int)i <= last_near && dist >= -ZONE_BEFORE && dist <= ZONE_AFTER;
        if (!near && l->words > MAX_WORDS)
            continue;
        consider(p, l, dist, near, pk);
    }
}

/* The far candidates count only when they all agree. */
static int choose_far(const pick *pk, sift_when *out)
{
    const cand *first = NULL;
    for (int i = 0; i < pk->n; i++) {
        if (!first)
            first = &pk->c[i];
        else if (!same_day(&first->w, &pk->c[i].w))
            return 0;
    }
    if (!first)
        return 0;
    *out = first->w;
    return 1;
}

/* Three or more different plain dates near the headline are a list of
 * related links or comments: none of them is the page's date. */
static void drop_lists(pick *pk)
{
    if (pk->n_plain_days < 3)
        return;
    int k = 0;
    for (int i = 0; i < pk->n; i++)
        if (!pk->c[i].plain)
            pk->c[k++] = pk->c[i];
    pk->n = k;
}

int sift_date_find(const sift_page *p, sift_when *out)
{
    pick pk = {.n = 0};
    gather_meta(p, &pk);
    gather_text(p, &pk);
    drop_lists(&pk);
    const cand *best = NULL, *second = NULL;
    for (int i = 0; i < pk.n; i++) {
        const cand *c = &pk.c[i];
        if (c->far)
            continue;
        if (!best || c->score > best->score) {
            if (best && !same_day(&best->w, &c->w))
                second = best;
            best = c;
        } else if (!same_day(&best->w, &c->w) && (!second || c->score > second->score)) {
            second = c;
        }
    }
    if (!best)
        return choose_far(&pk, out);
    if (second && best->score - second->score < AMBIGUOUS)
        return 0;
    *out = best->w;
    return 1;
}
