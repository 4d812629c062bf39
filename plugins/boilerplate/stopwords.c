/* stopwords.c - small stop-word lists of eight languages, as a set of word hashes.
 *
 * The share of stop words tells running prose from menus, headlines and
 * link lists in any of English, German, French, Spanish, Italian,
 * Portuguese, Dutch and Russian; the lists hold each language's commonest
 * function words only (a few dozen), lower-cased. Words are looked up by
 * bp_word_hash of the lower-cased word (up to BP_WORD_MAX bytes, the
 * longest a stop word can be), in a table of 32-bit fingerprints small
 * enough to stay in the first-level cache, so a lookup costs one hash and
 * mostly one probe (bp_stopset_has in boilerplate.h, inlined in lines.c's
 * loop). Japanese particles are counted in lines.c by code point; nothing
 * here splits text.
 * SPDX-License-Identifier: MIT
 */
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

static void put(bp_stopset *s, uint64_t h)
{
    const uint32_t mask = (1u << BP_STOP_BITS) - 1, fp = (uint32_t)(h >> 22) | 1u;
    uint32_t i = (uint32_t)(h >> (64 - BP_STOP_BITS));
    while (s->slots[i] && s->slots[i] != fp)
        i = (i + 1) & mask;
    s->slots[i] = fp;
}

void bp_stopset_init(bp_stopset *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++) {
        char w[BP_WORD_MAX] = {0};
        size_t n = strlen(stop_words[i]);
        memcpy(w, stop_words[i], n < BP_WORD_MAX ? n : BP_WORD_MAX);
        put(s, bp_word_hash(w, n));
    }
}
