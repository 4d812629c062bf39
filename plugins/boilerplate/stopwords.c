/* stopwords.c - small stop-word lists of eight languages, as a set of word hashes.
 *
 * The share of stop words tells running prose from menus, headlines and
 * link lists in any of English, German, French, Spanish, Italian,
 * Portuguese, Dutch and Russian; the lists hold each language's commonest
 * function words only (a few dozen), lower-cased. Words are looked up by
 * the XXH3_64bits hash lines.c computes of the lower-cased word, so a
 * lookup costs one probe. Japanese particles are counted in lines.c by
 * code point; nothing here splits text.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

static const char *const stop_words[] = {
    /* en */
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with", "as",
    "by", "at", "from", "be", "are", "this", "an", "have", "has", "not", "but", "or", "they",
    "his", "her", "their", "said", "he", "she", "we", "you", "who", "which", "will", "would",
    "been", "were", "its", "one", "about", "also", "after", "than", "when", "there", "can",
    "into", "all", "over", "new", "i", "our", "if", "more", "had", "what", "so", "no",
    /* de */
    "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "von", "mit",
    "sich", "des", "auf", "für", "im", "dem", "auch", "es", "als", "werden", "aus", "er",
    "hat", "dass", "sie", "nach", "bei", "um", "am", "sind", "noch", "wie", "einem", "über",
    "einen", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur", "bis", "mehr",
    "durch", "man", "wird", "wurde",
    /* fr */
    "le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "est", "pour", "que", "qui",
    "dans", "par", "sur", "pas", "au", "plus", "ne", "se", "ce", "il", "elle", "sont", "avec",
    "ont", "son", "sa", "ses", "mais", "ou", "aux", "été", "cette", "comme", "nous", "vous",
    /* es */
    "el", "los", "las", "del", "y", "por", "con", "para", "no", "al", "lo", "como", "más",
    "pero", "sus", "su", "ha", "este", "está", "fue", "son", "entre", "una", "uno",
    /* it */
    "il", "di", "che", "e", "per", "non", "sono", "della", "si", "da", "gli", "nel", "anche",
    "alla", "come", "più", "ma", "dei", "questo", "è",
    /* pt */
    "o", "os", "as", "do", "da", "dos", "das", "em", "um", "uma", "não", "na", "mais", "ao",
    "mas", "foi", "ele", "ela", "são", "seu", "sua", "pelo", "pela",
    /* nl */
    "het", "een", "van", "dat", "op", "te", "zijn", "met", "voor", "niet", "aan", "er", "ook",
    "als", "bij", "door", "maar", "dan", "naar", "heeft", "zo", "wordt", "werd",
    /* ru */
    "и", "в", "не", "на", "что", "с", "по", "к", "как", "это", "из", "но", "за", "от", "он",
    "она", "они", "у", "же", "так", "для", "то", "о", "все", "его", "ее", "её", "был",
    "была", "было", "были", "мы", "вы", "бы", "уже", "или", "при", "только", "до", "а",
};

#define STOP_SLOTS (2048u) /* power of two, more than twice the list */

static void put(bp_stopset *s, uint64_t h)
{
    if (!h)
        h = 1;
    size_t i = (size_t)h & s->mask;
    while (s->slots[i] && s->slots[i] != h)
        i = (i + 1) & s->mask;
    s->slots[i] = h;
}

uint64_t bp_word_hash(const char *w, size_t n)
{
    uint64_t h = BP_FNV_OFFSET;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)w[i]) * BP_FNV_PRIME;
    return h;
}

int bp_stopset_init(bp_stopset *s)
{
    s->mask = STOP_SLOTS - 1;
    s->slots = calloc(STOP_SLOTS, sizeof *s->slots);
    if (!s->slots)
        return SIFT_ENOMEM;
    for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++)
        put(s, bp_word_hash(stop_words[i], strlen(stop_words[i])));
    return 0;
}

void bp_stopset_fini(bp_stopset *s)
{
    free(s->slots);
    s->slots = NULL;
}

int bp_stopset_has(const bp_stopset *s, uint64_t h)
{
    if (!h)
        h = 1;
    size_t i = (size_t)h & s->mask;
    while (s->slots[i]) {
        if (s->slots[i] == h)
            return 1;
        i = (i + 1) & s->mask;
    }
    return 0;
}
