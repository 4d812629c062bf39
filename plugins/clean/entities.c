/* entities.c - decode one HTML character reference: named, decimal or hex.
 *
 * Owns the table of named references and the rules for reading them; it
 * does not decide what the decoded character becomes (scan.c maps &nbsp; to
 * a space like any U+00A0) and never rescans its own output, so "&amp;lt;"
 * gives "&lt;", not "<".
 *
 * Rules, after the HTML standard's tokenizer, made stricter for plain text:
 *  - named: the HTML 4 set plus &apos; and the common HTML 5 names below,
 *    each one code point, case-sensitive, with the semicolon; without it
 *    only &amp &lt &gt &quot &nbsp &copy &reg, and only when no letter or
 *    digit follows ("&amplifier" and "&copy2024" stay as they are);
 *  - numeric: &#8217; or &#x2019; (semicolon optional, as HTML allows);
 *    0, surrogates and values past U+10FFFF give U+FFFD; 0x80..0x9F give
 *    the CP1252 character, as browsers do (&#150; is "–").
 * The table is sorted by byte value (C strcmp order) for bsearch.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "clean.h"

#define NAME_MAX_LEN 31 /* longest HTML 5 name is 31 ("CounterClockwiseContourIntegral") */

typedef struct entity {
    char name[24];
    uint32_t cp;
} entity;

static const entity entity_table[] = {
    {"AElig", 0x00C6}, {"AMP", 0x0026}, {"Aacute", 0x00C1}, {"Acirc", 0x00C2}, {"Agrave", 0x00C0},
    {"Alpha", 0x0391}, {"Aring", 0x00C5}, {"Atilde", 0x00C3}, {"Auml", 0x00C4}, {"Beta", 0x0392},
    {"COPY", 0x00A9}, {"Ccedil", 0x00C7}, {"CenterDot", 0x00B7}, {"Chi", 0x03A7},
    {"CloseCurlyDoubleQuote", 0x201D}, {"CloseCurlyQuote", 0x2019}, {"Dagger", 0x2021},
    {"Delta", 0x0394}, {"DiacriticalTilde", 0x02DC}, {"ETH", 0x00D0}, {"Eacute", 0x00C9},
    {"Ecirc", 0x00CA}, {"Egrave", 0x00C8}, {"Epsilon", 0x0395}, {"Eta", 0x0397}, {"Euml", 0x00CB},
    {"GT", 0x003E}, {"Gamma", 0x0393}, {"Hat", 0x005E}, {"Iacute", 0x00CD}, {"Icirc", 0x00CE},
    {"Igrave", 0x00CC}, {"Iota", 0x0399}, {"Iuml", 0x00CF}, {"Kappa", 0x039A}, {"LT", 0x003C},
    {"Lambda", 0x039B}, {"LeftArrow", 0x2190}, {"MediumSpace", 0x205F}, {"Mu", 0x039C},
    {"NewLine", 0x000A}, {"NoBreak", 0x2060}, {"NonBreakingSpace", 0x00A0}, {"Ntilde", 0x00D1},
    {"Nu", 0x039D}, {"OElig", 0x0152}, {"Oacute", 0x00D3}, {"Ocirc", 0x00D4}, {"Ograve", 0x00D2},
    {"Omega", 0x03A9}, {"Omicron", 0x039F}, {"OpenCurlyDoubleQuote", 0x201C},
    {"OpenCurlyQuote", 0x2018}, {"Oslash", 0x00D8}, {"Otilde", 0x00D5}, {"Ouml", 0x00D6},
    {"Phi", 0x03A6}, {"Pi", 0x03A0}, {"Prime", 0x2033}, {"Psi", 0x03A8}, {"QUOT", 0x0022},
    {"REG", 0x00AE}, {"Rho", 0x03A1}, {"RightArrow", 0x2192}, {"Scaron", 0x0160},
    {"Sigma", 0x03A3}, {"THORN", 0x00DE}, {"TRADE", 0x2122}, {"Tab", 0x0009}, {"Tau", 0x03A4},
    {"Theta", 0x0398}, {"ThinSpace", 0x2009}, {"Uacute", 0x00DA}, {"Ucirc", 0x00DB},
    {"Ugrave", 0x00D9}, {"UnderBar", 0x005F}, {"Upsilon", 0x03A5}, {"Uuml", 0x00DC},
    {"VerticalLine", 0x007C}, {"VeryThinSpace", 0x200A}, {"Xi", 0x039E}, {"Yacute", 0x00DD},
    {"Yuml", 0x0178}, {"ZeroWidthSpace", 0x200B}, {"Zeta", 0x0396}, {"aacute", 0x00E1},
    {"acirc", 0x00E2}, {"acute", 0x00B4}, {"aelig", 0x00E6}, {"agrave", 0x00E0},
    {"alefsym", 0x2135}, {"alpha", 0x03B1}, {"amp", 0x0026}, {"and", 0x2227}, {"ang", 0x2220},
    {"angst", 0x00C5}, {"ap", 0x2248}, {"apos", 0x0027}, {"approx", 0x2248}, {"aring", 0x00E5},
    {"ast", 0x002A}, {"asymp", 0x2248}, {"atilde", 0x00E3}, {"auml", 0x00E4}, {"bdquo", 0x201E},
    {"beta", 0x03B2}, {"bigstar", 0x2605}, {"bprime", 0x2035}, {"brvbar", 0x00A6},
    {"bsol", 0x005C}, {"bull", 0x2022}, {"bullet", 0x2022}, {"cap", 0x2229}, {"caret", 0x2041},
    {"ccedil", 0x00E7}, {"cedil", 0x00B8}, {"cent", 0x00A2}, {"centerdot", 0x00B7},
    {"check", 0x2713}, {"checkmark", 0x2713}, {"chi", 0x03C7}, {"circ", 0x02C6}, {"clubs", 0x2663},
    {"clubsuit", 0x2663}, {"colon", 0x003A}, {"comma", 0x002C}, {"commat", 0x0040},
    {"cong", 0x2245}, {"copy", 0x00A9}, {"copysr", 0x2117}, {"crarr", 0x21B5}, {"cross", 0x2717},
    {"cup", 0x222A}, {"curren", 0x00A4}, {"dArr", 0x21D3}, {"dagger", 0x2020}, {"darr", 0x2193},
    {"dash", 0x2010}, {"ddagger", 0x2021}, {"deg", 0x00B0}, {"delta", 0x03B4},
    {"diamondsuit", 0x2666}, {"diams", 0x2666}, {"div", 0x00F7}, {"divide", 0x00F7},
    {"dollar", 0x0024}, {"downarrow", 0x2193}, {"eacute", 0x00E9}, {"ecirc", 0x00EA},
    {"egrave", 0x00E8}, {"ell", 0x2113}, {"empty", 0x2205}, {"emsp", 0x2003}, {"emsp13", 0x2004},
    {"emsp14", 0x2005}, {"ensp", 0x2002}, {"epsilon", 0x03B5}, {"equals", 0x003D},
    {"equiv", 0x2261}, {"eta", 0x03B7}, {"eth", 0x00F0}, {"euml", 0x00EB}, {"euro", 0x20AC},
    {"excl", 0x0021}, {"exist", 0x2203}, {"female", 0x2640}, {"flat", 0x266D}, {"fnof", 0x0192},
    {"forall", 0x2200}, {"frac12", 0x00BD}, {"frac13", 0x2153}, {"frac14", 0x00BC},
    {"frac15", 0x2155}, {"frac16", 0x2159}, {"frac18", 0x215B}, {"frac23", 0x2154},
    {"frac25", 0x2156}, {"frac34", 0x00BE}, {"frac35", 0x2157}, {"frac38", 0x215C},
    {"frac45", 0x2158}, {"frac56", 0x215A}, {"frac58", 0x215D}, {"frac78", 0x215E},
    {"frasl", 0x2044}, {"gamma", 0x03B3}, {"ge", 0x2265}, {"grave", 0x0060}, {"gt", 0x003E},
    {"hArr", 0x21D4}, {"hairsp", 0x200A}, {"half", 0x00BD}, {"harr", 0x2194}, {"hearts", 0x2665},
    {"heartsuit", 0x2665}, {"hellip", 0x2026}, {"horbar", 0x2015}, {"hyphen", 0x2010},
    {"iacute", 0x00ED}, {"icirc", 0x00EE}, {"iexcl", 0x00A1}, {"igrave", 0x00EC},
    {"image", 0x2111}, {"incare", 0x2105}, {"infin", 0x221E}, {"int", 0x222B}, {"iota", 0x03B9},
    {"iquest", 0x00BF}, {"isin", 0x2208}, {"iuml", 0x00EF}, {"kappa", 0x03BA}, {"lArr", 0x21D0},
    {"lambda", 0x03BB}, {"lang", 0x2329}, {"laquo", 0x00AB}, {"larr", 0x2190}, {"lbrace", 0x007B},
    {"lbrack", 0x005B}, {"lceil", 0x2308}, {"lcub", 0x007B}, {"ldquo", 0x201C}, {"ldquor", 0x201E},
    {"le", 0x2264}, {"leftarrow", 0x2190}, {"leftrightarrow", 0x2194}, {"lfloor", 0x230A},
    {"lowast", 0x2217}, {"lowbar", 0x005F}, {"loz", 0x25CA}, {"lpar", 0x0028}, {"lrm", 0x200E},
    {"lsaquo", 0x2039}, {"lsqb", 0x005B}, {"lsquo", 0x2018}, {"lsquor", 0x201A}, {"lt", 0x003C},
    {"macr", 0x00AF}, {"male", 0x2642}, {"mdash", 0x2014}, {"micro", 0x00B5}, {"middot", 0x00B7},
    {"minus", 0x2212}, {"minusb", 0x229F}, {"mldr", 0x2026}, {"mnplus", 0x2213}, {"mu", 0x03BC},
    {"nabla", 0x2207}, {"natural", 0x266E}, {"nbsp", 0x00A0}, {"ndash", 0x2013}, {"ne", 0x2260},
    {"ni", 0x220B}, {"nldr", 0x2025}, {"not", 0x00AC}, {"notin", 0x2209}, {"nsub", 0x2284},
    {"ntilde", 0x00F1}, {"nu", 0x03BD}, {"num", 0x0023}, {"numero", 0x2116}, {"numsp", 0x2007},
    {"oacute", 0x00F3}, {"ocirc", 0x00F4}, {"oelig", 0x0153}, {"ograve", 0x00F2}, {"ohm", 0x03A9},
    {"oline", 0x203E}, {"omega", 0x03C9}, {"omicron", 0x03BF}, {"oplus", 0x2295}, {"or", 0x2228},
    {"ordf", 0x00AA}, {"ordm", 0x00BA}, {"oslash", 0x00F8}, {"otilde", 0x00F5}, {"otimes", 0x2297},
    {"ouml", 0x00F6}, {"para", 0x00B6}, {"part", 0x2202}, {"percnt", 0x0025}, {"period", 0x002E},
    {"permil", 0x2030}, {"perp", 0x22A5}, {"phi", 0x03C6}, {"phone", 0x260E}, {"pi", 0x03C0},
    {"piv", 0x03D6}, {"plus", 0x002B}, {"plusb", 0x229E}, {"plusmn", 0x00B1}, {"pm", 0x00B1},
    {"pound", 0x00A3}, {"prime", 0x2032}, {"prod", 0x220F}, {"prop", 0x221D}, {"psi", 0x03C8},
    {"puncsp", 0x2008}, {"quest", 0x003F}, {"quot", 0x0022}, {"rArr", 0x21D2}, {"radic", 0x221A},
    {"rang", 0x232A}, {"raquo", 0x00BB}, {"rarr", 0x2192}, {"rbrace", 0x007D}, {"rbrack", 0x005D},
    {"rceil", 0x2309}, {"rcub", 0x007D}, {"rdquo", 0x201D}, {"rdquor", 0x201D}, {"real", 0x211C},
    {"reg", 0x00AE}, {"rfloor", 0x230B}, {"rho", 0x03C1}, {"rightarrow", 0x2192}, {"rlm", 0x200F},
    {"rpar", 0x0029}, {"rsaquo", 0x203A}, {"rsqb", 0x005D}, {"rsquo", 0x2019}, {"rsquor", 0x2019},
    {"sbquo", 0x201A}, {"scaron", 0x0161}, {"sdot", 0x22C5}, {"sect", 0x00A7}, {"semi", 0x003B},
    {"sharp", 0x266F}, {"shy", 0x00AD}, {"sigma", 0x03C3}, {"sigmaf", 0x03C2}, {"sim", 0x223C},
    {"sol", 0x002F}, {"spades", 0x2660}, {"spadesuit", 0x2660}, {"star", 0x2606},
    {"starf", 0x2605}, {"sub", 0x2282}, {"sube", 0x2286}, {"sum", 0x2211}, {"sung", 0x266A},
    {"sup", 0x2283}, {"sup1", 0x00B9}, {"sup2", 0x00B2}, {"sup3", 0x00B3}, {"supe", 0x2287},
    {"szlig", 0x00DF}, {"tau", 0x03C4}, {"there4", 0x2234}, {"theta", 0x03B8},
    {"thetasym", 0x03D1}, {"thinsp", 0x2009}, {"thorn", 0x00FE}, {"tilde", 0x02DC},
    {"times", 0x00D7}, {"timesb", 0x22A0}, {"trade", 0x2122}, {"uArr", 0x21D1}, {"uacute", 0x00FA},
    {"uarr", 0x2191}, {"ucirc", 0x00FB}, {"ugrave", 0x00F9}, {"uml", 0x00A8}, {"uparrow", 0x2191},
    {"upsih", 0x03D2}, {"upsilon", 0x03C5}, {"uuml", 0x00FC}, {"verbar", 0x007C}, {"vert", 0x007C},
    {"weierp", 0x2118}, {"xi", 0x03BE}, {"yacute", 0x00FD}, {"yen", 0x00A5}, {"yuml", 0x00FF},
    {"zeta", 0x03B6}, {"zwj", 0x200D}, {"zwnj", 0x200C},
};

static const char *const legacy_names[] = {"amp", "lt", "gt", "quot", "nbsp", "copy", "reg"};

static int is_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Value of digit c in base 10 or 16, or -1. */
static int digit_value(uint8_t c, int base)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return base == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int entity_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const entity *)elem)->name);
}

/* &#...; after the '&': p points at '#'. */
static size_t decode_numeric(const uint8_t *p, const uint8_t *end, uint32_t *cp)
{
    const uint8_t *q = p + 1;
    int base = 10;
    uint32_t v = 0;

    if (q < end && (*q | 0x20) == 'x') {
        base = 16;
        q++;
    }
    const uint8_t *digits = q;
    for (int d; q < end && (d = digit_value(*q, base)) >= 0; q++)
        v = v > 0x10FFFF ? v : v * (uint32_t)base + (uint32_t)d; /* saturates */
    if (q == digits)
        return 0;
    if (q < end && *q == ';')
        q++;
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        v = 0xFFFD;
    else if (v >= 0x80 && v <= 0x9F)
        v = utf8fix_cp1252_char((uint8_t)v);
    *cp = v;
    return (size_t)(q - p) + 1;
}

/* &name; after the '&': p points at the name's first byte. */
static size_t decode_named(const uint8_t *p, const uint8_t *end, uint32_t *cp)
{
    char name[NAME_MAX_LEN + 1];
    size_t n = 0;

    while (p + n < end && is_alnum(p[n])) {
        if (n == NAME_MAX_LEN)
            return 0;
        name[n] = (char)p[n];
        n++;
    }
    if (n == 0)
        return 0;
    name[n] = '\0';
    int has_semicolon = p + n < end && p[n] == ';';
    if (!has_semicolon) {
        size_t i = 0, n_legacy = sizeof legacy_names / sizeof legacy_names[0];
        while (i < n_legacy && strcmp(name, legacy_names[i]) != 0)
            i++;
        if (i == n_legacy)
            return 0;
    }
    const entity *e = bsearch(name, entity_table, sizeof entity_table / sizeof entity_table[0],
                              sizeof entity_table[0], entity_cmp);
    if (!e)
        return 0;
    *cp = e->cp;
    return n + 1 + (size_t)has_semicolon;
}

size_t entities_decode(const uint8_t *p, const uint8_t *end, uint32_t *cp)
{
    if (p + 1 >= end)
        return 0;
    if (p[1] == '#')
        return decode_numeric(p + 1, end, cp);
    return decode_named(p + 1, end, cp);
}
