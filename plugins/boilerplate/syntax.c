/* syntax.c - read a pattern's text for what any line it matches must hold.
 *
 * Two facts let patterns.c skip a pattern on most lines without running it:
 *  - trigger literals: in each top-level branch, the first literal, or
 *    group of alternatives that each begin with a literal, that follows a
 *    word boundary ("[[:<:]]"), the line start, or an atom matching only
 *    non-word characters (" ", "[[:space:]]+", "[(]") must start a word of
 *    the line: "[[:<:]](getty|ap photo)", ".{0,40} (says|wrote):$". An
 *    optional group of literals there adds its literals and lets the next
 *    atom start the word instead ("[,|-] *(staff|senior)? ?(writer|editor)");
 *  - last bytes: a branch that ends in "$" after a literal, a class of
 *    literals or a group of such ("[›»>]$", "(writer|editor)s?$") can only
 *    match lines that end in one of their characters;
 *  - characters outside ASCII: a branch with a literal such as "年" that it
 *    cannot skip only matches lines that hold a character starting with
 *    the same byte (any character outside ASCII, for a letter with case).
 * This reads PCRE2 syntax only as far as it must, and answers "nothing
 * known" for anything it does not understand (\Q quoting, the x option,
 * POSIX classes in a final class, escapes other than punctuation and \s):
 * an answer that is too wide costs time, never a match. Literals are lower
 * case and compared lower-cased (triggers.c); case-insensitive matching of
 * the last characters is allowed for by taking every case of a letter.
 * Which patterns use which fact is patterns.c's choice.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "boilerplate.h"

#define MAX_ATOMS (128) /* atoms of one branch that the line-end reading follows */

static int is_word_cp(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_PC;
}

static int decode(const char *s, size_t n, int32_t *cp)
{
    return bp_utf8_decode((const uint8_t *)s, n, cp);
}

/* The literal a regex fragment starts with (a word character, then any
 * characters but metacharacters), lower-cased, into out. */
static size_t literal(const char *s, size_t n, char *out)
{
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        if (strchr("\\^$.|?*+()[]{}", s[i]))
            break;
        int32_t c;
        int k = decode(s + i, n - i, &c);
        if (c < 0 || (len == 0 && !is_word_cp(c)) || len + 4 >= BP_LIT_MAX)
            break;
        if (i + (size_t)k < n && strchr("?*{", s[i + (size_t)k]))
            break; /* an optional character ends the literal before it */
        len += (size_t)bp_utf8_lower(c, out + len);
        i += (size_t)k;
        if (i < n && s[i] == '+')
            break;
    }
    return len;
}

/* Length of the character class opening at s[0] ('['), POSIX names such as
 * [:space:] inside it included; 0 when it does not close. */
static size_t class_len(const char *s, size_t n)
{
    size_t i = 1;
    if (i < n && s[i] == '^')
        i++;
    if (i < n && s[i] == ']')
        i++; /* a leading ']' is a literal */
    for (; i < n; i++) {
        if (s[i] == '\\') {
            i++;
        } else if (s[i] == '[' && i + 1 < n && s[i + 1] == ':') {
            size_t e = i + 2;
            while (e + 1 < n && !(s[e] == ':' && s[e + 1] == ']'))
                e++;
            if (e + 1 >= n)
                return 0;
            i = e + 1;
        } else if (s[i] == ']') {
            return i + 1;
        }
    }
    return 0;
}

/* Length of the group opening at s[0] ('('), its ')' included; 0 when it
 * does not close. */
static size_t group_len(const char *s, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            i++;
        } else if (s[i] == '[') {
            size_t c = class_len(s + i, n - i);
            if (!c)
                return 0;
            i += c - 1;
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* Length of the atom at s[0, n): a class, a group, an escape or one
 * character; 0 when malformed. */
static size_t atom_len(const char *s, size_t n)
{
    if (s[0] == '[')
        return class_len(s, n);
    if (s[0] == '(')
        return group_len(s, n);
    if (s[0] == '\\')
        return n >= 2 ? 2 : 0;
    int32_t c;
    return (size_t)decode(s, n, &c);
}

/* Length of the quantifier at s[0, n), 0 when there is none; *may_skip: it
 * allows zero repeats. A lazy or possessive suffix belongs to it. */
static size_t quant_len(const char *s, size_t n, int *may_skip)
{
    size_t q = 0;
    *may_skip = 0;
    if (n && (s[0] == '?' || s[0] == '*' || s[0] == '+')) {
        *may_skip = s[0] != '+';
        q = 1;
    } else if (n >= 2 && s[0] == '{' && s[1] >= '0' && s[1] <= '9') {
        const char *e = memchr(s, '}', n);
        if (!e)
            return 0; /* a literal brace */
        *may_skip = atoi(s + 1) == 0;
        q = (size_t)(e - s) + 1;
    }
    if (q && q < n && (s[q] == '?' || s[q] == '+'))
        q++;
    return q;
}

/* 1 when the atom s[0, n) matches only characters that are not word
 * characters, so that a word starts right after it: white space, one
 * punctuation character, or a class of those ("[[:space:]]", "[(]",
 * "[.!?]", "\s"). */
static int nonword_atom(const char *s, size_t n)
{
    int32_t c;
    if (s[0] == '\\')
        return n == 2 && (s[1] == 's' || ((unsigned char)s[1] < 0x80 && !is_word_cp(s[1])));
    if (s[0] != '[') {
        decode(s, n, &c);
        return c >= 0 && !strchr("^$.|?*+()[]{}", s[0]) && !is_word_cp(c);
    }
    static const char space[] = "[:space:]";
    const size_t sl = sizeof space - 1;
    if (n < 3 || s[1] == '^')
        return 0;
    for (size_t i = 1; i + 1 < n;) {
        if (n - 1 - i >= sl && memcmp(s + i, space, sl) == 0) {
            i += sl;
            continue;
        }
        int k = decode(s + i, n - 1 - i, &c);
        int range = s[i] == '-' && i != 1 && i + 2 != n; /* a '-' first or last is literal */
        if (c < 0 || is_word_cp(c) || s[i] == '\\' || s[i] == '[' || range)
            return 0; /* a word character, an escape, another POSIX class or a range */
        i += (size_t)k;
    }
    return 1;
}

static int lookaround(const char *s, size_t a)
{
    return a > 3 && s[0] == '(' && s[1] == '?' &&
           (s[2] == '=' || s[2] == '!' || (s[2] == '<' && (s[3] == '=' || s[3] == '!')));
}

static size_t alternatives(const char *s, size_t n, size_t *at, size_t *len);

/* 1 when whatever the atom s[0, a) matches ends in a non-word character:
 * a non-word atom, or a group whose every alternative ends in one that it
 * cannot skip ("(de[[:space:]]+)"). */
static int ends_nonword(const char *s, size_t a)
{
    size_t at[BP_LITS_MAX], len[BP_LITS_MAX], k, open = s[1] == '?' ? 3 : 1;
    if (s[0] != '(')
        return nonword_atom(s, a);
    if ((s[1] == '?' && s[2] != ':') || a < open + 1 ||
        (k = alternatives(s + open, a - 1 - open, at, len)) == 0)
        return 0;
    for (size_t i = 0; i < k; i++) {
        const char *b = s + open + at[i];
        size_t last = 0, last_len = 0;
        int skip = 1;
        for (size_t j = 0; j < len[i];) { /* the alternative's last atom */
            size_t l = atom_len(b + j, len[i] - j);
            if (!l)
                return 0;
            last = j;
            last_len = l;
            j += l;
            j += quant_len(b + j, len[i] - j, &skip);
        }
        if (!last_len || skip || !ends_nonword(b + last, last_len))
            return 0;
    }
    return 1;
}

/* Split s[0, n) at its top-level '|' into spans; 0 when it has more than
 * BP_LITS_MAX of them or a group or class does not close. */
static size_t alternatives(const char *s, size_t n, size_t *at, size_t *len)
{
    size_t k = 0, a = 0;
    for (size_t i = 0; i <= n;) {
        if (i == n || s[i] == '|') {
            if (k == BP_LITS_MAX)
                return 0;
            at[k] = a;
            len[k++] = i - a;
            a = ++i;
            continue;
        }
        size_t l = atom_len(s + i, n - i);
        if (!l)
            return 0;
        i += l;
    }
    return k;
}

/* The literals one of which the atom at s[0, n) starts with when it
 * matches something: one literal, or a group of alternatives that each
 * start with a literal. *may_skip: the atom may match nothing. Returns how
 * many (at most room), 0 when the atom is neither or a literal is shorter
 * than three bytes. */
static size_t atom_literals(const char *s, size_t n, char (*lit)[BP_LIT_MAX], size_t *ll,
                            size_t room, int *may_skip)
{
    size_t at[BP_LITS_MAX], len[BP_LITS_MAX], k = 1;
    *may_skip = 0;
    if (s[0] == '(') {
        size_t g = group_len(s, n), open = 1;
        if (!g || (s[1] == '?' && s[2] != ':'))
            return 0; /* a lookaround, a named group or an option setting */
        quant_len(s + g, n - g, may_skip);
        open += s[1] == '?' ? 2 : 0;
        k = alternatives(s + open, g - 1 - open, at, len);
        for (size_t i = 0; i < k; i++)
            at[i] += open;
    } else {
        at[0] = 0;
        len[0] = n;
    }
    if (k == 0 || k > room)
        return 0;
    for (size_t i = 0; i < k; i++)
        if ((ll[i] = literal(s + at[i], len[i], lit[i])) < 3)
            return 0;
    return k;
}

/* The literals of the branch s[0, n) (no top-level '|'); see the top of
 * the file. Returns how many, 0 when none; *at_start: they start the
 * branch, so that a match starts where one of them does. */
static size_t branch_literals(const char *s, size_t n, int line_start, char (*lit)[BP_LIT_MAX],
                              size_t *ll, size_t room, int *at_start)
{
    static const char wb[] = "[[:<:]]";
    const size_t wl = sizeof wb - 1;
    int boundary = 0;
    size_t got = 0; /* literals of optional groups at word starts so far */
    *at_start = 1;
    for (size_t i = 0; i < n;) {
        if (s[i] == '^' || (n - i >= wl && memcmp(s + i, wb, wl) == 0)) {
            boundary = s[i] == '^' ? line_start : 1;
            i += s[i] == '^' ? 1 : wl;
            continue;
        }
        size_t a = atom_len(s + i, n - i), k = 0;
        int may_skip;
        if (!a)
            return 0;
        if (boundary)
            k = atom_literals(s + i, n - i, lit + got, ll + got, room - got, &may_skip);
        if (k && !may_skip)
            return got + k;
        size_t q = quant_len(s + i + a, n - i - a, &may_skip);
        if (k) { /* where the group matches, one of its literals starts the word; */
            got += k; /* where it matches nothing, the walk goes on to find another */
        } else if (!lookaround(s + i, a)) { /* which leaves the boundary as it is */
            boundary = ends_nonword(s + i, a) && (!may_skip || boundary);
            *at_start = 0;
        }
        i += a + q;
    }
    return 0;
}

/* 1 when the pattern quotes (\Q) or sets the x option, which change what
 * its characters mean. */
static int unusual_syntax(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '\\' && s[i + 1] == 'Q')
            return 1;
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] == '(' && s[i + 1] == '?')
            for (size_t j = i + 2; j < n && strchr("abcdefghijklmnopqrstuvwxyz^-", s[j]); j++)
                if (s[j] == 'x')
                    return 1;
    }
    return 0;
}

size_t bp_syntax_literals(const char *pat, size_t n, int line_start, char (*lit)[BP_LIT_MAX],
                          size_t *len, int *at_start)
{
    size_t at[BP_LITS_MAX], blen[BP_LITS_MAX], k, total = 0;
    int first;
    *at_start = 1;
    if (unusual_syntax(pat, n) || (k = alternatives(pat, n, at, blen)) == 0)
        return 0;
    for (size_t b = 0; b < k; b++) {
        size_t got = branch_literals(pat + at[b], blen[b], line_start, lit + total, len + total,
                                     BP_LITS_MAX - total, &first);
        if (!got)
            return 0; /* a branch that needs no literal */
        total += got;
        *at_start &= first;
    }
    return total;
}

/* The first bytes (as bits of BP_LEADS) of c in every case, so that a
 * line matching c holds one of them; 0 when one form of c is in ASCII (the
 * Kelvin sign, the long s and the dotted and dotless i are such). A letter
 * with case counts as any character outside ASCII, as Unicode folds some
 * letters with forms that start with other bytes (the Angstrom sign). */
static uint64_t leads_of(int32_t c)
{
    int32_t lower = utf8proc_tolower(c), upper = utf8proc_toupper(c);
    uint8_t b[4];
    if (c < 0x80 || lower < 0x80 || upper < 0x80)
        return 0;
    if (lower != c || upper != c)
        return ~(uint64_t)0;
    utf8proc_encode_char(c, b);
    return BP_LEAD(b[0]);
}

static uint64_t branch_leads(const char *s, size_t n);

/* The first bytes one of which every match of the atom s[0, a), a literal
 * or a group, holds; 0 when there is none such. */
static uint64_t atom_leads(const char *s, size_t a)
{
    size_t at[BP_LITS_MAX], len[BP_LITS_MAX], k, open = s[1] == '?' ? 3 : 1;
    uint64_t leads = 0, one;
    int32_t c;
    if (s[0] != '(')
        return !strchr("\\^$.|?*+()[]{}", s[0]) && decode(s, a, &c) > 1 ? leads_of(c) : 0;
    if ((s[1] == '?' && s[2] != ':') || a < open + 1 ||
        (k = alternatives(s + open, a - 1 - open, at, len)) == 0)
        return 0;
    for (size_t i = 0; i < k; i++) {
        if (!(one = branch_leads(s + open + at[i], len[i])))
            return 0;
        leads |= one;
    }
    return leads;
}

/* The same for the branch s[0, n), by the first atom it cannot skip that
 * has them. */
static uint64_t branch_leads(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t a = atom_len(s + i, n - i);
        int may_skip;
        uint64_t leads;
        if (!a)
            return 0;
        size_t q = quant_len(s + i + a, n - i - a, &may_skip);
        if (!may_skip && (leads = atom_leads(s + i, a)))
            return leads;
        i += a + q;
    }
    return 0;
}

uint64_t bp_syntax_leads(const char *pat, size_t n)
{
    size_t at[BP_LITS_MAX], len[BP_LITS_MAX], k;
    uint64_t leads = 0, one;
    if (unusual_syntax(pat, n) || (k = alternatives(pat, n, at, len)) == 0)
        return 0;
    for (size_t b = 0; b < k; b++) {
        if (!(one = branch_leads(pat + at[b], len[b])))
            return 0;
        leads |= one;
    }
    return leads;
}

static void add_byte(uint64_t *set, unsigned b)
{
    set[b >> 6] |= (uint64_t)1 << (b & 63);
}

/* Add the last byte of character c in every case to set: c, its lower
 * and upper case, both cases of an ASCII letter among them, and, as
 * Unicode folds some letters with characters of other lengths (k with the
 * Kelvin sign, s with the long s, ß with ẞ), for k, s and any character
 * outside ASCII but punctuation and spaces every byte that can end a UTF-8
 * character. */
static void add_last_of(uint64_t *set, int32_t c)
{
    int32_t forms[3] = {c, utf8proc_tolower(c), utf8proc_toupper(c)};
    for (int i = 0; i < 3; i++) {
        uint8_t b[4];
        utf8proc_ssize_t k = utf8proc_encode_char(forms[i], b);
        if (k > 0)
            add_byte(set, b[k - 1]);
        if ((forms[i] | 32) >= 'a' && (forms[i] | 32) <= 'z') {
            add_byte(set, (unsigned)forms[i] | 32);
            add_byte(set, (unsigned)forms[i] & ~32u);
        }
    }
    utf8proc_category_t cat = utf8proc_category(c);
    int caseless_punct = (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO) ||
                         (cat >= UTF8PROC_CATEGORY_ZS && cat <= UTF8PROC_CATEGORY_ZP);
    if ((c >= 0x80 && !caseless_punct) || (c | 32) == 'k' || (c | 32) == 's')
        for (unsigned b = 0x80; b < 0xc0; b++)
            add_byte(set, b);
}

/* The characters a class of literal characters and ASCII ranges holds;
 * 0 for other classes. */
static int class_last(const char *s, size_t n, uint64_t *set)
{
    if (s[1] == '^')
        return 0;
    for (size_t i = 1; i + 1 < n;) {
        int32_t c, hi;
        if (s[i] == '[' || s[i] == '\\')
            return 0;
        size_t k = (size_t)decode(s + i, n - 1 - i, &c);
        if (c < 0)
            return 0;
        if (s[i + k] == '-' && i + k + 2 < n) { /* a range */
            size_t k2 = (size_t)decode(s + i + k + 1, n - 2 - i - k, &hi);
            if (c >= 0x80 || hi >= 0x80 || hi < c)
                return 0;
            for (int32_t x = c; x <= hi; x++)
                add_last_of(set, x);
            i += k + 1 + k2;
            continue;
        }
        add_last_of(set, c);
        i += k;
    }
    return 1;
}

static int branch_last(const char *s, size_t n, uint64_t *set);

/* The characters the atom s[0, a) can end with; 0 when it cannot tell. */
static int atom_last(const char *s, size_t a, uint64_t *set)
{
    int32_t c;
    if (s[0] == '[')
        return class_last(s, a, set);
    if (s[0] == '\\') {
        if ((unsigned char)s[1] >= 0x80 || is_word_cp(s[1]))
            return 0; /* \d, \w, \b, \x{...}: not a literal */
        add_last_of(set, s[1]);
        return 1;
    }
    if (s[0] == '(') {
        size_t at[BP_LITS_MAX], len[BP_LITS_MAX], open = s[1] == '?' ? 3 : 1, k;
        if (a < 2 || (s[1] == '?' && s[2] != ':') || a < open + 1)
            return 0;
        k = alternatives(s + open, a - 1 - open, at, len);
        for (size_t i = 0; i < k; i++)
            if (!branch_last(s + open + at[i], len[i], set))
                return 0;
        return k > 0;
    }
    if (strchr("^$.|?*+()[]{}", s[0]) || decode(s, a, &c) < 1 || c < 0)
        return 0;
    add_last_of(set, c);
    return 1;
}

/* The characters a match of the branch s[0, n) (no top-level '|') can end
 * with: those of its last atom, and of the atoms before it as long as they
 * may match nothing. 0 when it cannot tell. */
static int branch_last(const char *s, size_t n, uint64_t *set)
{
    size_t at[MAX_ATOMS], len[MAX_ATOMS], k = 0;
    int skip[MAX_ATOMS];
    for (size_t i = 0; i < n; k++) {
        if (k == MAX_ATOMS || !(len[k] = atom_len(s + i, n - i)))
            return 0;
        at[k] = i;
        i += len[k];
        i += quant_len(s + i, n - i, &skip[k]);
    }
    while (k-- > 0) {
        if (!atom_last(s + at[k], len[k], set))
            return 0;
        if (!skip[k])
            return 1;
    }
    return 0; /* the branch may match nothing */
}

int bp_syntax_last_bytes(const char *pat, size_t n, uint64_t *set)
{
    size_t at[BP_LITS_MAX], len[BP_LITS_MAX], k;
    memset(set, 0, 4 * sizeof *set);
    int known = !unusual_syntax(pat, n) && (k = alternatives(pat, n, at, len)) > 0;
    for (size_t b = 0; known && b < k; b++) {
        const char *s = pat + at[b];
        size_t m = len[b];
        known = m >= 2 && s[m - 1] == '$' && s[m - 2] != '\\' &&
                branch_last(s, m - 1, set); /* the atoms before the final '$' */
    }
    if (!known)
        memset(set, 0xff, 4 * sizeof *set);
    return known;
}
