/* topics.c - relevance of a document to topics the config defines as weighted terms.
 *
 * Each entry of the `topics` option reads
 *     "name: term[=weight], term[=weight], ..."
 * e.g. "politics: election=2, parliament=1.5, prime minister, minist*".
 * A term is one or more words matched case-insensitively on word
 * boundaries (as words.c splits them); a trailing '*' makes the last word
 * a prefix; the weight defaults to 1 and may be negative (a term that
 * argues against the topic). Entries with the same name add up.
 * Relevance: the weighted hits per 100 words, d = 100 * sum(weight *
 * occurrences) / max(words, 100), mapped to [0, 1] as 1 - exp(-d / 2): one
 * weighted hit per 100 words scores 0.39, two 0.63, four 0.86; a negative
 * sum scores 0. Reported as `topic.<name>` for every configured topic.
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"

#define MAX_TERM_WORDS (8)
#define SATURATION (2.0) /* weighted hits per 100 words that score 1 - 1/e */

typedef struct topic_term {
    size_t topic;
    double weight;
    size_t n_words;
    uint64_t words[MAX_TERM_WORDS]; /* hashes of the lower-cased words */
    char prefix[64];                /* lower-cased last word when it ends in '*' */
    size_t prefix_len;              /* 0 = the last word must match whole */
    size_t next;                    /* next term with the same first word, SIZE_MAX = none */
} topic_term;

struct score_topics {
    char **keys; /* "topic.<name>", owned */
    size_t n_topics;
    topic_term *terms;
    size_t n_terms;
    score_hmap first;     /* first-word hash -> first term index (whole first words) */
    size_t *prefix_terms; /* one-word prefix terms, found by scanning */
    size_t n_prefix;
    double *raw; /* scratch: weighted hits per topic */
    score_text scratch;
};

static char *trim(char *s, char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    *end = '\0';
    return s;
}

static int topic_index(score_topics *tp, const char *name, size_t *out)
{
    for (size_t i = 0; i < tp->n_topics; i++) {
        if (strcmp(tp->keys[i] + 6, name) == 0) {
            *out = i;
            return 0;
        }
    }
    char **k = realloc(tp->keys, (tp->n_topics + 1) * sizeof *k);
    if (!k)
        return SIFT_ENOMEM;
    tp->keys = k;
    size_t n = strlen(name) + 7;
    if (!(k[tp->n_topics] = malloc(n)))
        return SIFT_ENOMEM;
    snprintf(k[tp->n_topics], n, "topic.%s", name);
    *out = tp->n_topics++;
    return 0;
}

/* Parse one "term[=weight]" into a new term of topic. */
static int add_term(score_topics *tp, size_t topic, char *spec, char *err, size_t err_len)
{
    double weight = 1.0;
    char *eq = strrchr(spec, '=');
    if (eq) {
        char *end;
        weight = strtod(eq + 1, &end);
        if (end == eq + 1 || *trim(end, end + strlen(end)) || !isfinite(weight))
            return snprintf(err, err_len, "weight of \"%.100s\" is not a number", spec),
                   SIFT_EINVAL;
        *eq = '\0';
    }
    spec = trim(spec, spec + strlen(spec));
    size_t len = strlen(spec);
    int prefix = len > 0 && spec[len - 1] == '*';
    if (prefix)
        spec[--len] = '\0';
    if (score_text_split(&tp->scratch, spec, len) < 0)
        return SIFT_ENOMEM;
    const score_text *t = &tp->scratch;
    if (t->n_words == 0 || t->n_words > MAX_TERM_WORDS)
        return snprintf(err, err_len, "term \"%.100s\" must have 1 to %d words", spec,
                        MAX_TERM_WORDS),
               SIFT_EINVAL;
    topic_term *terms = realloc(tp->terms, (tp->n_terms + 1) * sizeof *terms);
    if (!terms)
        return SIFT_ENOMEM;
    tp->terms = terms;
    topic_term *tt = &terms[tp->n_terms];
    *tt = (topic_term){.topic = topic, .weight = weight, .n_words = t->n_words, .next = SIZE_MAX};
    for (size_t i = 0; i < t->n_words; i++)
        tt->words[i] = t->words[i].hash;
    if (prefix) {
        const score_word *w = &t->words[t->n_words - 1];
        tt->prefix_len = w->llen < sizeof tt->prefix ? w->llen : sizeof tt->prefix - 1;
        memcpy(tt->prefix, t->lower + w->loff, tt->prefix_len);
    }
    tp->n_terms++;
    return 0;
}

static int parse_entry(score_topics *tp, char *entry, char *err, size_t err_len)
{
    char *colon = strchr(entry, ':');
    if (!colon)
        return snprintf(err, err_len, "missing ':' after the topic name"), SIFT_EINVAL;
    char *name = trim(entry, colon);
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_')
            return snprintf(err, err_len, "topic name \"%.100s\": use letters, digits, '_'", name),
                   SIFT_EINVAL;
    if (!*name)
        return snprintf(err, err_len, "empty topic name"), SIFT_EINVAL;
    size_t topic;
    if (topic_index(tp, name, &topic) < 0)
        return SIFT_ENOMEM;
    for (char *spec = colon + 1, *comma; spec; spec = comma ? comma + 1 : NULL) {
        comma = strchr(spec, ',');
        char *end = comma ? comma : spec + strlen(spec);
        char *term = trim(spec, end);
        if (!*term)
            continue;
        int rc = add_term(tp, topic, term, err, err_len);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Chain terms by first word; one-word prefixes go to their own list. */
static int link_terms(score_topics *tp)
{
    tp->raw = calloc(tp->n_topics + 1, sizeof *tp->raw);
    tp->prefix_terms = calloc(tp->n_terms + 1, sizeof *tp->prefix_terms);
    if (!tp->raw || !tp->prefix_terms)
        return SIFT_ENOMEM;
    for (size_t i = tp->n_terms; i-- > 0;) {
        topic_term *tt = &tp->terms[i];
        if (tt->n_words == 1 && tt->prefix_len) {
            tp->prefix_terms[tp->n_prefix++] = i;
            continue;
        }
        uint64_t *head;
        int is_new;
        if (score_hmap_put(&tp->first, tt->words[0], &head, &is_new) < 0)
            return SIFT_ENOMEM;
        tt->next = is_new ? SIZE_MAX : (size_t)*head;
        *head = i;
    }
    return 0;
}

int score_topics_new(score_topics **out, const sift_host *h, const sift_value *list, char *err,
                     size_t err_len)
{
    score_topics *tp = calloc(1, sizeof *tp);
    if (!tp || score_hmap_init(&tp->first, 64) < 0) {
        free(tp);
        return SIFT_ENOMEM;
    }
    int rc = 0;
    size_t n = list ? h->val_len(list) : 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const sift_value *v;
        const char *s;
        size_t len;
        rc = h->list_at(list, i, &v) < 0 || h->val_str(v, &s, &len) < 0 ? SIFT_ETYPE : 0;
        char *copy = rc ? NULL : strndup(s, len);
        if (!rc && !copy)
            rc = SIFT_ENOMEM;
        if (!rc)
            rc = parse_entry(tp, copy, err, err_len);
        free(copy);
        if (rc == SIFT_EINVAL) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", err);
            snprintf(err, err_len, "topics[%zu]: %s", i, msg);
        }
    }
    if (rc == 0)
        rc = link_terms(tp);
    if (rc < 0) {
        score_topics_destroy(&tp);
        return rc;
    }
    *out = tp;
    return 0;
}

void score_topics_destroy(score_topics **pp)
{
    score_topics *tp = pp ? *pp : NULL;
    if (!tp)
        return;
    for (size_t i = 0; i < tp->n_topics; i++)
        free(tp->keys[i]);
    free(tp->keys);
    free(tp->terms);
    free(tp->prefix_terms);
    free(tp->raw);
    score_hmap_fini(&tp->first);
    score_text_fini(&tp->scratch);
    free(tp);
    *pp = NULL;
}

/* 1 if term tt matches the words of t starting at i. */
static int matches(const topic_term *tt, const score_text *t, size_t i)
{
    if (i + tt->n_words > t->n_words)
        return 0;
    size_t last = tt->n_words - 1;
    for (size_t k = 0; k < last; k++)
        if (t->words[i + k].hash != tt->words[k])
            return 0;
    const score_word *w = &t->words[i + last];
    if (!tt->prefix_len)
        return w->hash == tt->words[last];
    return w->llen >= tt->prefix_len && memcmp(t->lower + w->loff, tt->prefix, tt->prefix_len) == 0;
}

void score_topics_report(score_topics *tp, const score_text *t, score_out *o)
{
    if (!tp || !tp->n_topics)
        return;
    double *raw = tp->raw;
    memset(raw, 0, tp->n_topics * sizeof *raw);
    for (size_t i = 0; i < t->n_words; i++) {
        const uint64_t *head = score_hmap_get(&tp->first, t->words[i].hash);
        for (size_t k = head ? (size_t)*head : SIZE_MAX; k != SIZE_MAX; k = tp->terms[k].next)
            if (matches(&tp->terms[k], t, i))
                raw[tp->terms[k].topic] += tp->terms[k].weight;
        for (size_t k = 0; k < tp->n_prefix; k++) {
            const topic_term *tt = &tp->terms[tp->prefix_terms[k]];
            if (matches(tt, t, i))
                raw[tt->topic] += tt->weight;
        }
    }
    double words = t->n_words > 100 ? (double)t->n_words : 100.0;
    for (size_t i = 0; i < tp->n_topics; i++) {
        double d = raw[i] > 0 ? 100.0 * raw[i] / words : 0.0;
        score_out_set(o, tp->keys[i], 1.0 - exp(-d / SATURATION));
    }
}
