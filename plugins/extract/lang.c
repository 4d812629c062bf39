/* lang.c - tell a page's language as an ISO 639-1 code, with libexttextcat and script counts.
 *
 * Pages in Japanese, Korean and Chinese are told by their scripts (kana,
 * Hangul, Han), which n-gram models handle poorly. A stop-word vote settles
 * clear cases of the eight languages with stop lists in a few microseconds
 * (textcat takes a tenth of a millisecond); everything else goes to
 * libexttextcat, loaded once per instance with only the languages the
 * `languages` option lists (each classification compares against every
 * loaded model, so fewer models is faster). The classifier reads a sample
 * of the body, not the menus and headline above it. A code is written only
 * when the sample is long enough and textcat names one language (or
 * several that share a code); otherwise the field stays absent.
 * SPDX-License-Identifier: MIT
 */
#include <libexttextcat/textcat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"

#define SAMPLE_BYTES 512 /* enough for textcat; cost grows with it */
#define MIN_LETTERS 40   /* fewer letters: no language */

struct sift_lang {
    void *tc;
    candidate_t *cands;
};

/* Write a textcat config listing code.lm for each wanted code that has a
 * model in dir. Returns 0, or -1 when no model was found. */
static int write_conf(FILE *f, const sift_host *h, const char *dir, const sift_value *langs)
{
    int found = 0;
    size_t n = h->val_len(langs);
    for (size_t i = 0; i < n; i++) {
        const sift_value *v;
        const char *s;
        size_t len;
        if (h->list_at(langs, i, &v) < 0 || h->val_str(v, &s, &len) < 0 || len == 0 || len > 16)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%.*s.lm", dir, (int)len, s);
        if (access(path, R_OK) != 0)
            continue;
        fprintf(f, "%.*s.lm %.*s\n", (int)len, s, (int)len, s);
        found++;
    }
    return found ? 0 : -1;
}

int sift_lang_new(sift_lang **out, const sift_host *h, const char *dir, const sift_value *langs,
                  char *why, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    char conf[4096];
    snprintf(conf, sizeof conf, "%s/sift-textcat-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(conf);
    if (fd < 0) {
        snprintf(why, cap, "cannot create a textcat config in %s", tmp && *tmp ? tmp : "/tmp");
        return SIFT_ESTATE;
    }
    FILE *f = fdopen(fd, "w");
    int rc = f ? write_conf(f, h, dir, langs) : -1;
    if (f)
        fclose(f);
    else
        close(fd);
    sift_lang *l = calloc(1, sizeof *l);
    if (rc == 0 && l) {
        char prefix[4096];
        snprintf(prefix, sizeof prefix, "%s/", dir);
        l->tc = special_textcat_Init(conf, prefix);
    }
    unlink(conf);
    if (!l || !l->tc) {
        snprintf(why, cap, "no libexttextcat models for the languages option in %s", dir);
        sift_lang_destroy(&l);
        return SIFT_EINVAL;
    }
    textcat_SetProperty(l->tc, TCPROP_UTF8AWARE, TC_TRUE);
    l->cands = textcat_GetClassifyFullOutput(l->tc);
    *out = l;
    return SIFT_OK;
}

void sift_lang_destroy(sift_lang **pp)
{
    if (!pp || !*pp)
        return;
    sift_lang *l = *pp;
    if (l->tc) {
        if (l->cands)
            textcat_ReleaseClassifyFullOutput(l->tc, l->cands);
        textcat_Done(l->tc);
    }
    free(l);
    *pp = NULL;
}

/* The sample: body lines first (up to SAMPLE_BYTES), else whatever text. */
static void sample(const sift_page *p, const char **s, size_t *n)
{
    size_t from = p->body_idx >= 0 ? (size_t)p->body_idx : 0;
    *s = p->n_lines ? p->lines[from].s : p->text;
    size_t avail = (size_t)(p->text + p->len - *s);
    *n = avail < SAMPLE_BYTES ? avail : SAMPLE_BYTES;
    while (*n && *n < avail && ((unsigned char)(*s)[*n] & 0xC0) == 0x80)
        (*n)--; /* end on a code point boundary */
}

/* Script counts decide ja, ko and zh; returns 1 when they did. */
static int by_script(const char *s, size_t n, int *letters, char *out)
{
    int kana = 0, hangul = 0, han = 0, all = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp = sift_utf8_next(s, n, &i);
        if (!sift_utf8_is_letter(cp))
            continue;
        all++;
        if (cp >= 0x3040 && cp <= 0x30FF)
            kana++;
        else if (cp >= 0xAC00 && cp <= 0xD7AF)
            hangul++;
        else if (sift_utf8_is_cjk(cp))
            han++;
    }
    *letters = all;
    if (all < 10)
        return 0;
    if (kana * 10 >= all) {
        strcpy(out, "ja");
        return 1;
    }
    if (hangul * 3 >= all) {
        strcpy(out, "ko");
        return 1;
    }
    if (han * 3 >= all) {
        strcpy(out, "zh");
        return 1;
    }
    return 0;
}

#define VOTE_MIN_WORDS 30 /* fewer words in the sample: leave it to textcat */

/* The fast path for the eight languages with stop lists: when one of them
 * has at least a sixth of the sample's words as stop words and leads the
 * next clearly, backed by its marker words (three times the votes and two
 * markers, twice and five, or no rival at all and one), it is the language.
 * Otherwise (other languages, close neighbours, mixed text) textcat
 * decides. Returns 1 when the vote decided. */
static int by_stopwords(const sift_page *p, const char *s, size_t n, char *out)
{
    static const char codes[][3] = {"en", "de", "fr", "es", "it", "pt", "nl", "ru"};
    int votes[8] = {0}, marks[8] = {0}, words = 0;
    for (size_t i = 0; i < n;) {
        size_t b = i;
        int32_t cp = sift_utf8_next(s, n, &i);
        if (!sift_utf8_is_letter(cp))
            continue;
        while (i < n) {
            size_t at = i;
            if (!sift_utf8_is_letter(sift_utf8_next(s, n, &i))) {
                i = at;
                break;
            }
        }
        char low[32];
        size_t k = sift_utf8_fold(s + b, i - b, low, sizeof low);
        int bits = sift_lex_bits(p->lex, low, k);
        words++;
        for (int l = 0; l < 8 && bits; l++) { /* most words are in no list */
            votes[l] += (bits >> l) & 1;
            marks[l] += (bits >> (SIFT_L_MARK_SHIFT + l)) & 1;
        }
    }
    int best = 0, second = -1;
    for (int l = 1; l < 8; l++)
        if (votes[l] > votes[best])
            best = l;
    for (int l = 0; l < 8; l++)
        if (l != best && (second < 0 || votes[l] > votes[second]))
            second = l;
    int lead = votes[best] >= 3 * votes[second] ? 3 : votes[best] >= 2 * votes[second] ? 2 : 0;
    int backed = (lead == 3 && marks[best] >= 2) || (lead >= 2 && marks[best] >= 5) ||
                 (votes[second] == 0 && votes[best] >= 10 && marks[best] >= 1);
    if (words < VOTE_MIN_WORDS || votes[best] * 6 < words || !backed)
        return 0;
    memcpy(out, codes[best], 3);
    return 1;
}

/* "en--utf8", "zh-CN-utf8", "sh" -> the two-letter code, or 0 if none. */
static int iso_code(const char *name, char *out)
{
    size_t k = strcspn(name, "-");
    if (k != 2)
        return 0;
    out[0] = name[0];
    out[1] = name[1];
    out[2] = '\0';
    return 1;
}

void sift_lang_detect(sift_lang *l, const sift_page *p, char *out)
{
    const char *s;
    size_t n;
    int letters;
    out[0] = '\0';
    sample(p, &s, &n);
    if (by_script(s, n, &letters, out) || letters < MIN_LETTERS || by_stopwords(p, s, n, out))
        return;
    int k = textcat_ClassifyFull(l->tc, s, n, l->cands);
    if (k <= 0)
        return;
    char code[8], other[8];
    if (!iso_code(l->cands[0].name, code))
        return;
    for (int i = 1; i < k; i++)
        if (!iso_code(l->cands[i].name, other) || strcmp(code, other) != 0)
            return; /* textcat hesitates between languages */
    strcpy(out, code);
}
