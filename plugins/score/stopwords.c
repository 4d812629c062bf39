/* stopwords.c - the function words of the languages sift reads, as a hash set.
 *
 * Function words carry no topic: story.c leaves them out of a document's
 * content terms, quality.c counts Gopher's eight English ones and uses the
 * English share to decide whether a text is English enough for a Flesch
 * score. Lists: English, German, French, Spanish, Italian, Portuguese,
 * Dutch and Russian, the most frequent closed-class words of each (general
 * language, not taken from any document). Words are stored by the same
 * XXH3_64bits hash words.c gives a lower-cased word, so a lookup costs one
 * probe (none for most content words: score.h's filter), done once per
 * word (score_stopwords_mark) for every reader.
 * Frequency-based weighting (idf, story.c) handles the rest.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>
#include <xxhash.h>

#include "score.h"

/* clang-format off */
static const char *const english[] = {
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
    "does", "doesn't", "doing", "don't", "down", "during", "each", "even", "ever", "every", "few",
    "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he",
    "he'd", "he's", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however",
    "i", "i'd", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself",
    "just", "let's", "may", "me", "might", "more", "most", "much", "must", "my", "myself", "no",
    "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "ought", "our",
    "ours", "ourselves", "out", "over", "own", "per", "same", "shall", "she", "she's", "should",
    "shouldn't", "since", "so", "some", "still", "such", "than", "that", "that's", "the", "their",
    "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they're",
    "this", "those", "though", "through", "thus", "to", "too", "under", "until", "up", "upon",
    "us", "very", "was", "wasn't", "we", "we're", "were", "weren't", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "won't", "would", "wouldn't", "yet", "you", "you're", "your", "yours", "yourself",
    "said", "says", "say", "told", "according", "many", "like", "new", "two", "three", "well",
    "get", "got", "made", "make", "mr", "mrs", "ms", "dr", "another", "among", "around", "across",
};

static const char *const others[] = {
    /* German */
    "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "einem", "einer", "den",
    "dem", "des", "mit", "auf", "für", "von", "zu", "sich", "auch", "es", "im", "sie", "er", "wir",
    "ich", "wie", "aber", "oder", "wird", "werden", "hat", "haben", "sind", "war", "noch", "nach",
    "bei", "aus", "als", "um", "nur", "so", "dass", "über", "vor", "kann", "zum", "zur", "am",
    /* French */
    "le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "en", "que", "qui", "dans",
    "pour", "pas", "sur", "au", "aux", "avec", "par", "il", "elle", "ils", "nous", "vous", "ce",
    "cette", "ces", "son", "sa", "ses", "leur", "mais", "ou", "plus", "ont", "été", "être", "sont",
    "a", "l'", "d'", "qu'", "n'", "s'", "c'est",
    /* Spanish */
    "el", "los", "las", "y", "es", "que", "del", "por", "con", "para", "una", "uno", "su", "sus",
    "se", "lo", "como", "pero", "más", "fue", "ha", "han", "este", "esta", "estos", "esa", "ese",
    "al", "sin", "sobre", "entre", "también", "muy", "ya", "o",
    /* Italian */
    "il", "lo", "gli", "di", "da", "che", "non", "per", "con", "un", "uno", "della", "delle",
    "dei", "degli", "nel", "nella", "sono", "è", "ha", "hanno", "anche", "come", "ma", "più",
    "questo", "questa", "alla", "alle", "al", "ai", "si", "ed",
    /* Portuguese */
    "o", "os", "as", "um", "uma", "do", "dos", "da", "das", "em", "no", "na", "nos", "nas", "com",
    "não", "para", "por", "é", "foi", "ao", "aos", "à", "se", "mais", "mas", "como", "seu", "sua",
    "pelo", "pela", "ser", "são", "também", "já",
    /* Dutch */
    "de", "het", "een", "en", "van", "ik", "te", "dat", "die", "in", "is", "niet", "zijn", "op",
    "aan", "met", "als", "voor", "er", "maar", "om", "ook", "bij", "door", "naar", "werd", "wordt",
    "heeft", "hij", "zij", "ze", "dit", "uit", "worden", "nog", "tot", "over",
    /* Russian */
    "и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так",
    "его", "но", "да", "ты", "к", "у", "же", "вы", "за", "бы", "по", "только", "ее", "её", "мне",
    "было", "вот", "от", "меня", "еще", "ещё", "нет", "о", "из", "ему", "теперь", "когда", "уже",
    "для", "при", "это", "этот", "эта", "были", "был", "была", "они", "их", "также", "или",
};

static const char *const gopher[] = {"the", "be", "to", "of", "and", "that", "have", "with"};
/* clang-format on */

static int add(score_stopset *s, const char *const *list, size_t n, unsigned flag)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t *v, hash = XXH3_64bits(list[i], strlen(list[i]));
        uint64_t bit = hash >> (64 - SCORE_SW_FILTER_BITS);
        if (score_hmap_put(&s->map, hash, &v, NULL) < 0)
            return SIFT_ENOMEM;
        *v |= flag;
        s->filter[bit / 64] |= 1ull << (bit % 64);
    }
    return 0;
}

int score_stopwords_build(score_stopset *s)
{
    memset(s, 0, sizeof *s);
    if (score_hmap_init(&s->map, 1024) < 0 ||
        add(s, english, sizeof english / sizeof *english, SCORE_SW_ENGLISH) < 0 ||
        add(s, others, sizeof others / sizeof *others, SCORE_SW_OTHER) < 0 ||
        add(s, gopher, sizeof gopher / sizeof *gopher, SCORE_SW_GOPHER) < 0)
        return SIFT_ENOMEM;
    return 0;
}

void score_stopwords_fini(score_stopset *s)
{
    score_hmap_fini(&s->map);
}

void score_stopwords_mark(score_text *t, const score_stopset *s)
{
    for (size_t i = 0; i < t->n_words; i++) {
        unsigned sw = score_stopword(s, t->words[i].hash);
        if (!sw)
            continue;
        t->words[i].flags |= SCORE_W_STOP | (sw & SCORE_SW_ENGLISH ? SCORE_W_STOP_EN : 0) |
                             (sw & SCORE_SW_GOPHER ? SCORE_W_GOPHER : 0);
    }
}
