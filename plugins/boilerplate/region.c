/* region.c - score the lines and decide which region of the page is the article.
 *
 * The decision is made for blocks of lines, not line by line:
 *  1. Each line gets a score, a sum of small evidence terms (length in
 *     words, terminal punctuation, stop-word share, title case, digits and
 *     symbols, separators, standing alone between blank lines) minus a
 *     penalty when a pattern, the per-source memory, a duplicate or a
 *     link-list run marks it. Its emission is score * sqrt(words).
 *  2. A two-state Viterbi pass (page chrome / article) over the emissions,
 *     with switch_cost to enter or leave the article, cuts the page into
 *     regions of article; a run of short menu lines ends a region, a
 *     lone short heading between paragraphs does not.
 *  3. A comment section (a comment pattern after 40 words of article) ends
 *     the article. Regions below min_region_share of the best one are
 *     dropped unless they touch a kept one; regions at most region_gap
 *     lines apart form clusters, and a cluster is kept when it carries
 *     far_region_share of the best cluster's mass.
 *  4. Inside the kept regions, lines marked by a pattern, the memory, a
 *     duplicate or a link list go; so does a lone non-sentence between two
 *     paragraphs (a caption), and any text the region would keep twice.
 * Every removed line gets the rule that removed it (bp_rule). Titles and
 * page_meta are meta.c's; the features are lines.c's.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h> /* DEBUG-REMOVE */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define COMMENT_AFTER_WORDS (40) /* article words before a comment marker counts */
#define NEAR_GAP (1)             /* a small region this close to a kept one stays */

static int strong_mark(const bp_line *l)
{
    return l->pat || l->dup || l->linklist || l->learned;
}

static float length_term(float u)
{
    return u < 3 ? -2.0f : u < 6 ? -1.2f : u < 10 ? -0.4f : u < 15 ? 0.3f : u < 25 ? 1.0f : 2.0f;
}

/* The line's evidence of being article prose, in log-odds-like units. */
static float line_score(const bp_line *l)
{
    float u = l->units, sc = length_term(u);
    if (l->flags & BP_F_TERM)
        sc += 1.0f;
    else if (!(l->flags & BP_F_COMMA) && u >= 6)
        sc -= 1.5f;
    if (l->words >= 4 || l->cjk >= 8) {
        float stop = (float)l->stop / (u > 1 ? u : 1);
        sc += stop >= 0.25f ? 0.6f : stop < 0.1f ? -0.8f : 0.0f;
    }
    if (l->words >= 4 && (float)l->caps > 0.6f * (float)l->words)
        sc -= 1.0f; /* Title Case Headline */
    if (l->chars && (float)(l->digits + l->symbols) > 0.2f * (float)l->chars)
        sc -= 1.0f;
    if (l->seps >= 2)
        sc -= 1.5f;
    if (l->block_size == 1)
        sc += 0.5f;
    if (strong_mark(l))
        sc -= 3.0f;
    else if ((l->flags & BP_F_LISTITEM) && sc < 0.5f)
        sc = 0.5f;
    return sc;
}

typedef struct span {
    uint32_t a, b; /* first and last line index */
    double mass;
    int keep;
} span;

static int grow(void **p, size_t size)
{
    void *q = realloc(*p, size);
    if (!q)
        return SIFT_ENOMEM;
    *p = q;
    return 0;
}

static int reserve(bp_region_buf *b, size_t n)
{
    if (n <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < n)
        cap *= 2;
    if (grow((void **)&b->back, cap * 2) < 0 || grow((void **)&b->state, cap) < 0 ||
        grow(&b->spans, (cap / 2 + 2) * sizeof(span)) < 0 ||
        grow((void **)&b->tmp, cap * sizeof *b->tmp) < 0)
        return SIFT_ENOMEM;
    b->cap = cap;
    return 0;
}

/* Two-state Viterbi; state[i] (in back[2n..]) is 1 for article lines. */
static void viterbi(bp_region_buf *b, const bp_lines *ls, double cost, uint8_t *state)
{
    size_t n = ls->n;
    double s0 = 0.0, s1 = -cost;
    for (size_t i = 0; i < n; i++) {
        double stay0 = s0, from1 = s1 - cost, stay1 = s1, from0 = s0 - cost;
        b->back[2 * i] = stay0 >= from1 ? 0 : 1;
        b->back[2 * i + 1] = stay1 >= from0 ? 1 : 0;
        s0 = stay0 >= from1 ? stay0 : from1;
        s1 = (stay1 >= from0 ? stay1 : from0) + ls->v[i].emit;
    }
    uint8_t st = s0 >= s1 ? 0 : 1;
    for (size_t i = n; i-- > 0;) {
        state[i] = st;
        st = b->back[2 * i + st];
    }
}

/* Collect runs of article state, cut at the start of a comment section. */
static size_t collect(const bp_lines *ls, const uint8_t *state, span *sp, size_t *cut)
{
    size_t n = ls->n, k = 0;
    float words = 0;
    *cut = n;
    for (size_t i = 0; i < n; i++) {
        const bp_line *l = &ls->v[i];
        if (state[i])
            words += l->units;
        if (words >= COMMENT_AFTER_WORDS && l->pat == BP_COMMENT) {
            *cut = i;
            break;
        }
    }
    for (size_t i = 0; i < *cut;) {
        if (!state[i]) {
            i++;
            continue;
        }
        size_t j = i;
        double m = 0;
        while (j < *cut && state[j])
            m += ls->v[j++].emit;
        sp[k++] = (span){(uint32_t)i, (uint32_t)(j - 1), m, 0};
        i = j;
    }
    return k;
}

static void choose(span *sp, size_t k, const bp_region_opts *o)
{
    double best = 0;
    for (size_t i = 0; i < k; i++)
        best = sp[i].mass > best ? sp[i].mass : best;
    double floor = o->min_region_share * best;
    for (size_t i = 0; i < k; i++) {
        int big = sp[i].mass >= floor;
        int near = (i > 0 && sp[i].a - sp[i - 1].b - 1 <= NEAR_GAP && sp[i - 1].mass >= floor) ||
                   (i + 1 < k && sp[i + 1].a - sp[i].b - 1 <= NEAR_GAP && sp[i + 1].mass >= floor);
        sp[i].keep = big || near;
    }
    /* clusters of surviving regions; keep those near the best cluster's mass */
    double cbest = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < k;) {
            if (!sp[i].keep) {
                i++;
                continue;
            }
            size_t j = i + 1, last = i;
            double m = sp[i].mass;
            while (j < k && (!sp[j].keep || (int64_t)(sp[j].a - sp[last].b) - 1 <= o->region_gap)) {
                if (sp[j].keep) {
                    m += sp[j].mass;
                    last = j;
                }
                j++;
            }
            if (pass == 0)
                cbest = m > cbest ? m : cbest;
            else
                for (size_t t = i; t <= last; t++)
                    sp[t].keep = sp[t].keep && m >= o->far_region_share * cbest;
            i = last + 1;
        }
    }
}

/* Which rule removes a line of the article's region (BP_KEEP: none). */
static uint8_t inner_rule(const bp_line *l)
{
    if (l->learned)
        return BP_LEARNED;
    if (l->pat)
        return l->pat;
    if (l->linklist)
        return BP_LINKLIST;
    if (l->dup)
        return BP_DUP;
    return BP_KEEP;
}

static int paragraph(const bp_line *l)
{
    return (l->flags & BP_F_TERM) && l->units >= 10;
}

/* A lone line that is no sentence, between two paragraphs: a caption. */
static int caption_shaped(const bp_lines *ls, size_t i)
{
    const bp_line *l = &ls->v[i];
    if (i == 0 || i + 1 >= ls->n || l->block_size != 1 || l->units < 6 || l->units > 20)
        return 0;
    if (l->flags & (BP_F_TERM | BP_F_COMMA | BP_F_COLON | BP_F_NUMBERED | BP_F_QUOTE |
                    BP_F_LISTITEM))
        return 0;
    if ((float)l->cjk > 0.3f * (float)l->chars)
        return 0;
    return paragraph(&ls->v[i - 1]) && paragraph(&ls->v[i + 1]);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Text the region would keep twice (a teaser and its copy) goes entirely. */
static void drop_repeats(bp_lines *ls, uint64_t *tmp)
{
    size_t m = 0;
    for (size_t i = 0; i < ls->n; i++)
        if (ls->v[i].rule == BP_KEEP)
            tmp[m++] = ls->v[i].hash;
    qsort(tmp, m, sizeof *tmp, cmp_u64);
    for (size_t i = 0; i < ls->n; i++) {
        bp_line *l = &ls->v[i];
        if (l->rule != BP_KEEP)
            continue;
        uint64_t *hit = bsearch(&l->hash, tmp, m, sizeof *tmp, cmp_u64);
        if ((hit > tmp && hit[-1] == l->hash) || (hit && hit + 1 < tmp + m && hit[1] == l->hash))
            l->rule = BP_REPEAT;
    }
}

static void apply(bp_lines *ls, const span *sp, size_t k, size_t cut)
{
    for (size_t i = 0; i < ls->n; i++) {
        bp_line *l = &ls->v[i];
        uint8_t r = inner_rule(l);
        l->rule = r != BP_KEEP ? r : i >= cut ? BP_COMMENTS : BP_OUTSIDE;
    }
    for (size_t s = 0; s < k; s++) {
        if (!sp[s].keep)
            continue;
        for (size_t i = sp[s].a; i <= sp[s].b; i++) {
            bp_line *l = &ls->v[i];
            l->flags |= BP_F_REGION;
            if (l->rule == BP_OUTSIDE)
                l->rule = caption_shaped(ls, i) ? BP_CAPTION_SHAPE : BP_KEEP;
        }
    }
}

int bp_region_decide(bp_region_buf *b, bp_lines *ls, const bp_region_opts *o)
{
    if (reserve(b, ls->n + 1) < 0)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < ls->n; i++) {
        bp_line *l = &ls->v[i];
        l->score = line_score(l);
        l->emit = l->score * sqrtf(l->units > 1 ? l->units : 1);
    }
    viterbi(b, ls, o->switch_cost, b->state);
    span *sp = b->spans;
    size_t cut, k = collect(ls, b->state, sp, &cut);
    choose(sp, k, o);
    if (getenv("BP_DEBUG")) { /* DEBUG-REMOVE */
        for (size_t i = 0; i < ls->n; i++)
            fprintf(stderr, "%u st=%d sc=%.2f em=%.2f u=%.1f w=%u stop=%u caps=%u fl=%x pat=%d dup=%d ll=%d\n", ls->v[i].lineno, b->state[i], ls->v[i].score, ls->v[i].emit, ls->v[i].units, ls->v[i].words, ls->v[i].stop, ls->v[i].caps, ls->v[i].flags, ls->v[i].pat, ls->v[i].dup, ls->v[i].linklist);
        for (size_t i = 0; i < k; i++)
            fprintf(stderr, "span %u-%u mass %.1f keep %d\n", ls->v[sp[i].a].lineno, ls->v[sp[i].b].lineno, sp[i].mass, sp[i].keep);
    }
    apply(ls, sp, k, cut);
    drop_repeats(ls, b->tmp);
    return 0;
}

void bp_region_fini(bp_region_buf *b)
{
    free(b->back);
    free(b->state);
    free(b->spans);
    free(b->tmp);
    memset(b, 0, sizeof *b);
}
