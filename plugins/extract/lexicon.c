/* lexicon.c - the extract stage's word lists as hash tables, built once per instance.
 *
 * Splits the static lists of stopwords.c and gazetteer.c into sift_wtab
 * tables at init and answers membership questions from every finder. It
 * owns no list content (the data files do) and never changes after init,
 * so finders share one const instance.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"

struct sift_lex {
    sift_wtab *stop;  /* a = language bits */
    sift_wtab *gaz;   /* a = SIFT_ENT_* */
    sift_wtab *title;
    sift_wtab *given;
    sift_wtab *role;
};

/* Add every sep-separated item of the chunks; OR bits into a (or set a to
 * val when set_val). Returns 0 or SIFT_ENOMEM. */
static int add_list(sift_wtab *t, const char *const *chunks, char sep, int val, int set_val)
{
    for (size_t c = 0; chunks[c]; c++) {
        const char *s = chunks[c];
        while (*s) {
            const char *e = strchr(s, sep);
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (n) {
                sift_wentry *w = sift_wtab_get(t, s, n, 1);
                if (!w)
                    return SIFT_ENOMEM;
                if (set_val)
                    w->a = val;
                else
                    w->a |= val;
            }
            s += n;
            if (*s)
                s++;
        }
    }
    return SIFT_OK;
}

static int build(sift_lex *x)
{
    int rc = SIFT_OK;
    for (size_t i = 0; sift_stop_lists[i] && rc == SIFT_OK; i++) {
        const char *one[2] = {sift_stop_lists[i], NULL};
        rc = add_list(x->stop, one, ' ', 1 << i, 0);
    }
    if (rc == SIFT_OK)
        rc = add_list(x->gaz, sift_gaz_places, '|', SIFT_ENT_PLACE, 1);
    if (rc == SIFT_OK)
        rc = add_list(x->gaz, sift_gaz_orgs, '|', SIFT_ENT_ORG, 1);
    if (rc == SIFT_OK)
        rc = add_list(x->title, sift_gaz_titles, '|', 1, 1);
    if (rc == SIFT_OK)
        rc = add_list(x->given, sift_gaz_given, ' ', 1, 1);
    if (rc == SIFT_OK)
        rc = add_list(x->role, sift_gaz_roles, ' ', 1, 1);
    return rc;
}

int sift_lex_new(sift_lex **out)
{
    sift_lex *x = calloc(1, sizeof *x);
    if (!x)
        return SIFT_ENOMEM;
    int rc = SIFT_ENOMEM;
    if (sift_wtab_new(&x->stop) < 0 || sift_wtab_new(&x->gaz) < 0 ||
        sift_wtab_new(&x->title) < 0 || sift_wtab_new(&x->given) < 0 ||
        sift_wtab_new(&x->role) < 0)
        goto fail;
    rc = build(x);
    if (rc < 0)
        goto fail;
    *out = x;
    return SIFT_OK;
fail:
    sift_lex_destroy(&x);
    return rc;
}

void sift_lex_destroy(sift_lex **pp)
{
    if (!pp || !*pp)
        return;
    sift_lex *x = *pp;
    sift_wtab_destroy(&x->stop);
    sift_wtab_destroy(&x->gaz);
    sift_wtab_destroy(&x->title);
    sift_wtab_destroy(&x->given);
    sift_wtab_destroy(&x->role);
    free(x);
    *pp = NULL;
}

int sift_lex_stop(const sift_lex *x, const char *w, size_t n)
{
    const sift_wentry *e = sift_wtab_find(x->stop, w, n);
    return e ? e->a : 0;
}

int sift_lex_gaz(const sift_lex *x, const char *s, size_t n)
{
    const sift_wentry *e = sift_wtab_find(x->gaz, s, n);
    return e ? e->a : -1;
}

int sift_lex_is_title(const sift_lex *x, const char *s, size_t n)
{
    return sift_wtab_find(x->title, s, n) != NULL;
}

int sift_lex_is_given(const sift_lex *x, const char *s, size_t n)
{
    return sift_wtab_find(x->given, s, n) != NULL;
}

int sift_lex_is_role(const sift_lex *x, const char *w, size_t n)
{
    return sift_wtab_find(x->role, w, n) != NULL;
}

int sift_lex_lang_bit(const char *code)
{
    static const char *const codes[] = {"en", "de", "fr", "es", "it", "pt", "nl", "ru"};
    for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(code, codes[i]) == 0)
            return 1 << i;
    return SIFT_L_ALL;
}
