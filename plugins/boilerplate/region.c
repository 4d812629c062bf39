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
 *  3. A comment section (a comment pattern after the start of the best
 *     region and 40 words of article) ends the article. Regions below min_region_share of the best one are
 *     dropped unless they touch a kept one; regions at most region_gap
 *     lines apart form clusters, and a cluster is kept when it carries
 *     far_region_share of the best cluster's mass.
 *  4. Inside the kept regions, lines marked by a pattern, the memory, a
 *     duplicate or a link list go; so does a lone non-sentence between two
 *     paragraphs (a caption), and any text the region would keep twice;
 *     once the lines around the article are matched too, a first line
 *     followed by a byline or date line goes (the standfirst), and so
 *     does a short line right above a picture credit (its caption).
 * Every removed line gets the rule that removed it (bp_rule). Titles and
 * page_meta are meta.c's; the features are lines.c's.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define COMMENT_AFTER_WORDS (40) /* article words before a comment marker counts */
#define NEAR_GAP (1)             /* a small region this close to a kept one stays */
#define CAPTION_MAX_UNITS (40)   /* longest caption above a credit line, in words */

static int strong_mark(const bp_line *l)
{
    return l->pat || l->dup || l->linklist || l->learned;
}

/* The term of a line of u words: a table, as the length of one line says
 * little about the next one's and a chain of branches would guess wrong. */
static float length_term(float u)
{
    static const float term[6] = {-2.0f, -1.2f, -0.4f, 0.3f, 1.0f, 2.0f};
    return term[(u >= 3) + (u >= 6) + (u >= 10) + (u >= 15) + (u >= 25)];
}

/* The line's evidence of being article prose, in log-odds-like units,
 * from what the rounds of bp_region_decide do not change (line_score adds
 * the marks, which they do). */
static float base_score(const bp_line *l)
{
    float u = l->units, sc = length_term(u);
    if (l->flags & BP_F_TERM)
        sc += 1.0f;
    else if (!(l->flags & BP_F_COMMA) && u >= 6)
        sc -= 1.5f;
    if (l->words >= 4 || l->cjk >= 8) {
        float stop = (float)l->stop / (u > 1 ? u : 1);
        static const float share[3] = {-0.8f, 0.0f, 0.6f}; /* below 0.1, to 0.25, above */
        sc += share[(stop >= 0.1f) + (stop >= 0.25f)];
    }
    if (l->words >= 4 && (float)l->caps > 0.6f * (float)l->words)
        sc -= 1.0f; /* Title Case Headline */
    if (l->chars && (float)(l->digits + l->symbols) > 0.2f * (float)l->chars)
        sc -= 1.0f;
    if (l->seps >= 2)
        sc -= 1.5f;
    if (l->block_size == 1)
        sc += 0.5f;
    return sc;
}

/* The score of a line whose base score is sc: a mark (pattern, memory,
 * duplicate, link list) lowers it, a list item keeps a floor. */
static float line_score(const bp_line *l, float sc)
{
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
        grow(&b->spans, (cap / 2 + 2) * sizeof(span)) < 0)
        return SIFT_ENOMEM;
    b->cap = cap;
    return 0;
}

/* Two-state Viterbi (chrome 0, article 1); entering the article costs
 * cost, and so does leaving it before the end. state[i] = 1: article. */
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

/* Runs of article state. */
static size_t collect(const bp_lines *ls, const uint8_t *state, span *sp)
{
    size_t n = ls->n, k = 0;
    for (size_t i = 0; i < n;) {
        if (!state[i]) {
            i++;
            continue;
        }
        size_t j = i;
        double m = 0;
        while (j < n && state[j])
            m += ls->v[j++].emit;
        sp[k++] = (span){(uint32_t)i, (uint32_t)(j - 1), m, 0};
        i = j;
    }
    return k;
}

/* A comment section starts at the first comment marker after the start of
 * the best region and COMMENT_AFTER_WORDS words of article; the regions
 * from there on go. Sets the lines where markers matter in b. */
static size_t cut_comments(bp_region_buf *b, const bp_lines *ls, span *sp, size_t k,
                           size_t *cut)
{
    size_t best = 0;
    for (size_t i = 1; i < k; i++)
        best = sp[i].mass > sp[best].mass ? i : best;
    *cut = ls->n;
    b->comment_from = k ? sp[best].a : 0;
    b->comment_to = k ? sp[k - 1].b : 0;
    float words = 0;
    for (size_t i = b->comment_from; k && i <= b->comment_to; i++) {
        const bp_line *l = &ls->v[i];
        if (b->state[i])
            words += l->units;
        if (words >= COMMENT_AFTER_WORDS && (l->flags & BP_F_COMMENTS)) {
            *cut = i;
            break;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < k && sp[i].a < *cut; i++) {
        sp[kept] = sp[i];
        if (sp[kept].b >= *cut) { /* the region runs into the comments: end it there */
            sp[kept].b = (uint32_t)(*cut - 1);
            sp[kept].mass = 0;
            for (size_t j = sp[kept].a; j <= sp[kept].b; j++)
                sp[kept].mass += ls->v[j].emit;
        }
        kept++;
    }
    return kept;
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

/* Text the region would keep twice (a teaser and its copy) goes entirely. */
static void drop_repeats(bp_lines *ls, bp_hcount *kept)
{
    for (size_t i = 0; i < ls->n; i++)
        if (ls->v[i].rule == BP_KEEP)
            bp_hcount_add(kept, ls->v[i].hash);
    for (size_t i = 0; i < ls->n; i++) {
        bp_line *l = &ls->v[i];
        if (l->rule == BP_KEEP && bp_hcount_get(kept, l->hash) > 1)
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
    if (reserve(b, ls->n + 1) < 0 || bp_hcount_reset(&b->kept, ls->n) < 0)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < ls->n; i++) {
        bp_line *l = &ls->v[i];
        if (!(l->flags & BP_F_BASED)) { /* once a document: up to MAX_ROUNDS decide again */
            l->base = base_score(l);
            l->root = sqrtf(l->units > 1 ? l->units : 1);
            l->flags |= BP_F_BASED;
        }
        l->score = line_score(l, l->base);
        l->emit = l->score * l->root;
    }
    viterbi(b, ls, o->switch_cost, b->state);
    span *sp = b->spans;
    size_t cut, k = cut_comments(b, ls, sp, collect(ls, b->state, sp), &cut);
    choose(sp, k, o);
    apply(ls, sp, k, cut);
    drop_repeats(ls, &b->kept);
    return 0;
}

void bp_region_relabel(bp_lines *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        bp_line *l = &ls->v[i];
        int weaker = l->rule == BP_OUTSIDE || l->rule == BP_COMMENTS ||
                     l->rule == BP_LINKLIST || l->rule == BP_DUP;
        if (weaker && l->pat)
            l->rule = l->pat;
    }
}

/* A first kept line followed by a byline or date before the next kept line
 * is the standfirst under the headline, not the article's first paragraph. */
void bp_region_standfirst(bp_lines *ls)
{
    size_t i = 0;
    while (i < ls->n && ls->v[i].rule != BP_KEEP)
        i++;
    for (size_t j = i + 1; j < ls->n && ls->v[j].rule != BP_KEEP; j++)
        if (ls->v[j].rule == BP_BYLINE || ls->v[j].rule == BP_DATE) {
            ls->v[i].rule = BP_STANDFIRST;
            return;
        }
}

/* A short line right above a picture credit, in the same block, is the
 * picture's caption ("Crowds at the gate on Monday." / "Photo: A / B"). */
void bp_region_captions(bp_lines *ls)
{
    for (size_t i = 0; i + 1 < ls->n; i++) {
        bp_line *l = &ls->v[i];
        const bp_line *next = &ls->v[i + 1];
        int open = l->rule == BP_KEEP || l->rule == BP_OUTSIDE || l->rule == BP_CAPTION_SHAPE;
        if (open && next->rule == BP_CREDIT && next->block == l->block &&
            l->units <= CAPTION_MAX_UNITS && !(l->flags & BP_F_COLON))
            l->rule = BP_CAPTION;
    }
}

void bp_region_fini(bp_region_buf *b)
{
    free(b->back);
    free(b->state);
    free(b->spans);
    bp_hcount_fini(&b->kept);
    memset(b, 0, sizeof *b);
}
