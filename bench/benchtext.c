/* benchtext.c - English-looking text for sift-bench's documents.
 *
 * Sentences of common English words (capitalised, a comma now and then,
 * 3 to 6 sentences a paragraph), drawn from a splitmix64 generator seeded
 * by (seed, document number): every document differs, the same pair
 * always gives the same text, and it costs a few microseconds for 4 KB.
 * No word list here is taken from sift's evaluation data. Pushing the text
 * to siftd is siftbench.c's job.
 * SPDX-License-Identifier: MIT
 */
#include "benchtext.h"

#include <string.h>

/* Fixed 16-byte slots, so a word is one fixed-size copy. */
typedef struct word {
    char s[16];
    size_t len;
} word;
#define W(x) {x, sizeof x - 1}
static const word words[] = {
    W("the"), W("of"), W("and"), W("to"), W("a"), W("in"), W("that"), W("is"), W("was"), W("for"),
    W("on"), W("with"), W("as"), W("by"), W("at"), W("from"), W("his"), W("her"), W("their"),
    W("it"), W("an"), W("be"), W("have"), W("has"), W("had"), W("not"), W("but"), W("which"),
    W("this"), W("after"), W("before"), W("over"), W("more"), W("than"), W("new"), W("said"),
    W("would"), W("could"), W("people"), W("year"), W("years"), W("government"), W("city"),
    W("week"), W("report"), W("officials"), W("council"), W("plan"), W("money"), W("market"),
    W("prices"), W("company"), W("workers"), W("school"), W("children"), W("police"), W("water"),
    W("road"), W("village"), W("river"), W("hospital"), W("minister"), W("court"), W("judge"),
    W("election"), W("party"), W("vote"), W("team"), W("season"), W("game"), W("players"),
    W("coach"), W("match"), W("win"), W("lost"), W("record"), W("first"), W("last"), W("second"),
    W("three"), W("four"), W("million"), W("percent"), W("since"), W("during"), W("while"),
    W("because"), W("although"), W("until"), W("about"), W("against"), W("between"), W("under"),
    W("local"), W("national"), W("public"), W("private"), W("small"), W("large"), W("early"),
    W("late"), W("long"), W("short"), W("important"), W("recent"), W("open"), W("closed"),
    W("higher"), W("lower"), W("expected"), W("announced"), W("reported"), W("described"),
    W("decided"), W("agreed"), W("refused"), W("began"), W("ended"), W("continued"), W("building"),
    W("project"), W("budget"), W("tax"), W("energy"), W("health"), W("study"), W("research"),
    W("data"), W("results"), W("board"), W("members"), W("residents"), W("families"), W("summer"),
    W("winter"), W("morning"), W("evening"), W("statement"), W("interview"), W("meeting"),
    W("rules"), W("changes"), W("support"), W("questions"), W("Monday"), W("Tuesday"), W("Friday"),
    W("March"), W("October"), W("northern"), W("southern"), W("central"),
};
#undef W
#define N_WORDS (sizeof words / sizeof words[0])

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Append one sentence of 6..23 words; returns the new length. */
static size_t put_sentence(char *buf, size_t len, size_t cap, uint64_t *rng)
{
    int n = 6 + (int)(rng_next(rng) % 18);
    for (int i = 0; i < n; i++) {
        uint64_t r = rng_next(rng);
        const word *w = &words[((r & 0xffffffffu) * N_WORDS) >> 32];
        if (len + sizeof w->s + 2 > cap)
            break;
        memcpy(buf + len, w->s, sizeof w->s); /* the slot's padding is overwritten next */
        if (i == 0 && buf[len] >= 'a' && buf[len] <= 'z')
            buf[len] = (char)(buf[len] - 'a' + 'A');
        len += w->len;
        if (i + 1 < n && (r >> 32) % 11 == 0)
            buf[len++] = ',';
        buf[len++] = i + 1 < n ? ' ' : '.';
    }
    return len;
}

size_t sift_benchtext_fill(char *buf, size_t size, uint64_t seed, uint64_t n)
{
    uint64_t rng = seed * 0x100000001b3ull ^ n;
    size_t len = 0;
    int left = 3;
    while (len + 32 < size) {
        len = put_sentence(buf, len, size, &rng);
        if (--left == 0 && len + 2 < size) {
            buf[len++] = '\n', buf[len++] = '\n';
            left = 3 + (int)(rng_next(&rng) % 4);
        } else if (len + 1 < size) {
            buf[len++] = ' ';
        }
    }
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\n'))
        len--;
    return len;
}
