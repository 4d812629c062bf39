/* test_plugin_clean.c - the clean stage (plugins/clean/clean.so) through the real loader.
 *
 * Table-driven: each repair with the text it must give and the counter it
 * must raise in fields.clean; correct text in several scripts that must come
 * back byte for byte with every counter at zero; idempotence; each option;
 * refusal of bad options; --explain notes; invariants of the output on
 * generated input. Speed is measured with `sift run`, not here.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "harness.h"

typedef struct clean_case {
    const char *in, *out;
    const char *counter; /* fields.clean key the repair raises; NULL = none checked */
    long long n;
    int is_not_idempotent; /* a second clean would decode the decoded text again */
} clean_case;

static const char *const counter_keys[] = {"invalid_utf8", "mojibake", "entities",   "spaces",
                                           "controls",     "zero_width", "newlines", "typography",
                                           "nfc"};
#define N_COUNTERS (sizeof counter_keys / sizeof counter_keys[0])
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const clean_case repairs[] = {
    /* invalid UTF-8: one U+FFFD per maximal invalid subpart */
    {"a\xFF" "b", "a\xEF\xBF\xBD" "b", "invalid_utf8", 1, 0},
    {"caf\xC3", "caf\xEF\xBF\xBD", "invalid_utf8", 1, 0},
    {"\xE2\x80x", "\xEF\xBF\xBDx", "invalid_utf8", 1, 0},
    {"\xF0\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "invalid_utf8", 3, 0},
    {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "invalid_utf8", 3, 0},
    {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", "invalid_utf8", 2, 0},
    {"\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "invalid_utf8", 4, 0},
    /* mojibake: UTF-8 read as CP1252 / Latin-1 */
    {"cafÃ©", "café", "mojibake", 1, 0},
    {"Itâ€™s", "It’s", "mojibake", 1, 0},
    {"â€œquotedâ€\xC2\x9D", "“quoted”", "mojibake", 2, 0},
    {"Ã¼ber StraÃŸe", "über Straße", "mojibake", 2, 0},
    {"Ã‰tat, Ã–sterreich", "État, Österreich", "mojibake", 2, 0},
    {"Â£5 Â© 2024", "£5 © 2024", "mojibake", 2, 0},
    {"il a dÃ» partir", "il a dû partir", "mojibake", 1, 0},
    {"voilÃ\xC2\xA0", "voilà", "mojibake", 1, 0},
    {"Ã\xC2\xA0 Paris", "à Paris", "mojibake", 1, 0},
    {"1920Ã—1080", "1920×1080", "mojibake", 1, 0},
    {"polÃ­tica", "política", "mojibake", 1, 0},
    {"Ã¢â‚¬â„¢", "’", "mojibake", 1, 0},
    {"æ—¥æœ¬", "日本", "mojibake", 2, 0},
    {"ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет", "mojibake", 6, 0},
    {"ðŸ˜€!", "😀!", "mojibake", 1, 0},
    {"ï»¿Hello", "Hello", "mojibake", 1, 0},
    {"5Â\xC2\xA0km", "5 km", "mojibake", 1, 0},
    /* HTML character references */
    {"Tom &amp; Jerry", "Tom & Jerry", "entities", 1, 0},
    {"&lt;b&gt;", "<b>", "entities", 2, 0},
    {"it&rsquo;s &ldquo;x&rdquo; &mdash; &hellip;", "it’s “x” — …", "entities", 5, 0},
    {"&#8217;&#x2019;&#X2019;&#8217", "’’’’", "entities", 4, 0},
    {"&amp;lt;", "&lt;", "entities", 1, 1},
    {"a&nbsp;b", "a b", "entities", 1, 0},
    {"&copy 2024 &reg &amp", "© 2024 ® &", "entities", 3, 0},
    {"&#0;&#xD800;&#x110000;&#99999999999;", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
     "entities", 4, 0},
    {"&#150; &#128;", "– €", "entities", 2, 0},
    {"&AElig;&Aacute;&yuml;&zeta;&CloseCurlyDoubleQuote;&euro;&trade;", "ÆÁÿζ”€™", "entities",
     7, 0},
    {"&amplifier &copy2024 &hellip &foo; AT&T &#; &#x;", NULL, "entities", 0, 0},
    /* space separators */
    {"a  b", "a b", "spaces", 1, 0},
    {"a\xC2\xA0" "b", "a b", "spaces", 1, 0},
    {"a\xE2\x80\x89\xE2\x80\x89" "b", "a b", "spaces", 2, 0},
    {"a\xE3\x80\x80" "b \xE2\x80\xAF" "c", "a b c", "spaces", 2, 0},
    {"  lead", "lead", "spaces", 2, 0},
    {"trail \t ", "trail", "spaces", 3, 0},
    {"a \t b", "a\tb", "spaces", 2, 0},
    {"line  \n   next", "line\nnext", "spaces", 5, 0},
    /* controls */
    {"a\x01" "b\x7F" "c", "abc", "controls", 2, 0},
    {"a\xC2\x80" "b\xC2\x9F" "c", "abc", "controls", 2, 0},
    {"a\xE2\x80\xAE" "b\xE2\x80\x8E" "c\xE2\x81\xA6" "d", "abcd", "controls", 3, 0},
    /* zero-width */
    {"a\xE2\x80\x8B" "b", "ab", "zero_width", 1, 0},
    {"\xEF\xBB\xBFHello", "Hello", "zero_width", 1, 0},
    {"co\xC2\xAD" "op", "coop", "zero_width", 1, 0},
    {"a\xE2\x80\x8D" "b a\xE2\x80\x8C" "b", "ab ab", "zero_width", 2, 0},
    {"a\xE2\x81\xA0" "b \xE2\x80\x8C" "c", "ab c", "zero_width", 2, 0},
    /* line breaks */
    {"a\r\nb", "a\nb", "newlines", 1, 0},
    {"a\rb", "a\nb", "newlines", 1, 0},
    {"a\xE2\x80\xA8" "b\xE2\x80\xA9" "c", "a\nb\nc", "newlines", 2, 0},
    {"a\vb\fc\xC2\x85" "d", "a\nb\nc\nd", "newlines", 3, 0},
    {"a\n\n\n\nb", "a\n\nb", "newlines", 2, 0},
    {"\n\na\n\n", "a", "newlines", 4, 0},
    {"a\r\n\r\n\r\nb", "a\n\nb", "newlines", 3, 0},
    {"a\n \n\t\nb", "a\n\nb", "newlines", 1, 0},
    /* normalisation */
    {"e\xCC\x81t\xC3\xA9", "été", "nfc", 1, 0},
    {"\xE2\x84\xA6", "Ω", "nfc", 1, 0},
    {"\xE1\x84\x80\xE1\x85\xA1 \xEA\xB0\x80\xE1\x86\xA8", "가 각", "nfc", 1, 0},
    {"e\xE2\x80\x8B\xCC\x81", "é", "nfc", 1, 0},
    {"q\xCC\xA3\xCC\x87", "q\xCC\xA3\xCC\x87", "nfc", 0, 0},
    {"q\xCC\x87\xCC\xA3", "q\xCC\xA3\xCC\x87", "nfc", 1, 0},
};

/* Correct text that must come back unchanged, every counter zero. */
static const char *const correct_texts[] = {
    "São Paulo e Brasília: não há ação sem coração. SÃO PAULO, NÃO, IRMÃ.",
    "Ele disse “AMANHÔ e saiu. «IRMÔ, CAPITÃ–FILHA, Ã, Ã é.",
    "L’été à Paris — « Ça va ? » CHÂTEAU, Â, «CAFÉ», L’ÉTÉ… Où êtes-vous ?",
    "„Grüße aus Köln“, sagte er. STRASSE, Straße, ein Gruß“ und ‚SPASS‘.",
    "Ó! Ñ Ö, PELÉ’s, É—, «café…» â€ test, â€ , Â…",
    "日本語のテキスト、東京都。漢字とカタカナ。",
    "Привет, мир! Съешь же ещё этих мягких французских булок.",
    "¿Qué? ¡Olé! España, niño, año 2024.",
    "Καλημέρα κόσμε, ελληνικά.",
    "हिन्दी में नमस्ते, क्\u200Dष",
    "می\u200Cخواهم فارسی",
    "Tiếng Việt có dấu.",
    "👨\u200D👩\u200D👧 family, 🏳️\u200D🌈 flag, 🇫🇷, 1️⃣, 👍🏽",
    "AT&T and R&D; Q&A, 5 < 6 > 4",
    "col1\tcol2\tcol3\nA\tB\tC",
    "Paragraph one.\n\nParagraph two,\nsame paragraph.",
    "\xEF\xBF\xBD stays",
};

static sift_stage *stage;

static int setup(void **state)
{
    (void)state;
    stage = harness_stage("clean", NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sift_stage_destroy(&stage);
    return 0;
}

static void expect_text(const sift_doc *d, const char *want, const char *in)
{
    if (strcmp(harness_text(d), want) != 0)
        fail_msg("clean(\"%s\") = \"%s\", want \"%s\"", in, harness_text(d), want);
}

static void test_clean_repairs_each_kind_and_counts_it(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(repairs); i++) {
        const clean_case *c = &repairs[i];
        sift_doc *d;
        assert_int_equal(harness_run(stage, c->in, &d), SIFT_OK);
        expect_text(d, c->out ? c->out : c->in, c->in);
        char path[64];
        snprintf(path, sizeof path, "clean.%s", c->counter);
        long long got = harness_field_int(d, path);
        if (got != c->n)
            fail_msg("clean(\"%s\"): %s = %lld, want %lld", c->in, path, got, c->n);
        sift_doc_destroy(&d);
    }
}

static void test_clean_leaves_correct_text_alone(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(correct_texts); i++) {
        sift_doc *d = harness_doc(correct_texts[i]);
        const char *before = d->text;
        assert_int_equal(sift_stage_process(stage, d), SIFT_OK);
        expect_text(d, correct_texts[i], correct_texts[i]);
        if (d->text != before) /* doc_set_text copies: an unchanged text is never set */
            fail_msg("clean(\"%s\") set the text although it did not change", correct_texts[i]);
        for (size_t k = 0; k < N_COUNTERS; k++) {
            char path[64];
            snprintf(path, sizeof path, "clean.%s", counter_keys[k]);
            if (harness_field_int(d, path) != 0)
                fail_msg("clean(\"%s\"): %s = %lld", correct_texts[i], path,
                         harness_field_int(d, path));
        }
        sift_doc_destroy(&d);
    }
}

static void test_clean_writes_every_counter_even_when_zero(void **state)
{
    (void)state;
    sift_doc *d;
    assert_int_equal(harness_run(stage, "plain text", &d), SIFT_OK);
    const sift_value *m = harness_field(d, "clean");
    assert_non_null(m);
    assert_int_equal(m->type, SIFT_T_MAP);
    assert_int_equal(sift_value_len(m), N_COUNTERS);
    for (size_t k = 0; k < N_COUNTERS; k++) {
        char path[64];
        snprintf(path, sizeof path, "clean.%s", counter_keys[k]);
        assert_int_equal(harness_field_int(d, path), 0);
    }
    sift_doc_destroy(&d);
}

/* clean(clean(x)) == clean(x) */
static void expect_idempotent(const char *in)
{
    sift_doc *d1, *d2;
    assert_int_equal(harness_run(stage, in, &d1), SIFT_OK);
    assert_int_equal(harness_run(stage, harness_text(d1), &d2), SIFT_OK);
    if (strcmp(harness_text(d1), harness_text(d2)) != 0)
        fail_msg("not idempotent on \"%s\": \"%s\" then \"%s\"", in, harness_text(d1),
                 harness_text(d2));
    sift_doc_destroy(&d1);
    sift_doc_destroy(&d2);
}

static void test_clean_is_idempotent(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(repairs); i++)
        if (!repairs[i].is_not_idempotent)
            expect_idempotent(repairs[i].in);
    for (size_t i = 0; i < N_OF(correct_texts); i++)
        expect_idempotent(correct_texts[i]);
    expect_idempotent("  Title\r\n\r\n\r\nIt\xE2\x80\x99s  a\xC2\xA0test\xE2\x80\x8B.\t\n\n");
}

static void test_clean_removes_nul_bytes(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    sift_err err = {{0}};
    assert_int_equal(sift_doc_new(&d, "t", 1, NULL, 0, "a\0b\0", 4, &err), 0);
    assert_int_equal(sift_stage_process(stage, d), SIFT_OK);
    assert_int_equal(d->text_len, 2);
    assert_string_equal(harness_text(d), "ab");
    assert_int_equal(harness_field_int(d, "clean.controls"), 2);
    sift_doc_destroy(&d);
}

/* Run in through a stage with options conf; compare with want. */
static void expect_with(const char *conf, const char *in, const char *want)
{
    sift_stage *st = harness_stage("clean", conf);
    sift_doc *d;
    assert_int_equal(harness_run(st, in, &d), SIFT_OK);
    if (strcmp(harness_text(d), want) != 0)
        fail_msg("with %s: clean(\"%s\") = \"%s\", want \"%s\"", conf, in, harness_text(d), want);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_clean_options_change_behaviour(void **state)
{
    (void)state;
    expect_with("decode_entities = false;", "Tom &amp; Jerry &#8217; &lt;", "Tom &amp; Jerry &#8217; &lt;");
    expect_with("fix_mojibake = false;", "cafÃ© Itâ€™s", "cafÃ© Itâ€™s");
    expect_with("normalize = \"none\";", "e\xCC\x81", "e\xCC\x81");
    expect_with("normalize = \"nfkc\";", "\xEF\xAC\x81ne \xE2\x91\xA0 x\xC2\xB2", "fine 1 x2");
    expect_with("normalize = \"nfkc\";", "a\xC2\xA8\xC2\xA8 b", "a \xCC\x88 \xCC\x88 b");
    expect_with("max_blank_lines = 0;", "a\n\n\nb", "a\nb");
    expect_with("max_blank_lines = 2;", "a\n\n\n\n\nb\n\nc", "a\n\n\nb\n\nc");
    expect_with("fold_typography = true;", "“Hi” — it’s… ‘ok’ 2−1",
                "\"Hi\" - it's... 'ok' 2-1");
    expect_with(NULL, "“Hi” — it’s…", "“Hi” — it’s…");
}

static void test_clean_counts_typography_when_folding(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("clean", "fold_typography = true;");
    sift_doc *d;
    assert_int_equal(harness_run(st, "“Hi” — it’s…", &d), SIFT_OK);
    assert_int_equal(harness_field_int(d, "clean.typography"), 5);
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void expect_refusal(const char *conf, const char *needle)
{
    sift_stage *st = NULL;
    sift_err err = {{0}};
    assert_true(harness_stage_try(&st, "clean", conf, &err) < 0);
    assert_null(st);
    if (!strstr(err.msg, needle))
        fail_msg("refusal of \"%s\": message \"%s\" lacks \"%s\"", conf, err.msg, needle);
}

static void test_clean_refuses_bad_options(void **state)
{
    (void)state;
    expect_refusal("max_blank_lines = 99;", "max_blank_lines");
    expect_refusal("max_blank_lines = -1;", "max_blank_lines");
    expect_refusal("normalize = \"nfd\";", "normalize");
    expect_refusal("fix_mojibake = 1;", "fix_mojibake");
    expect_refusal("strip_html = true;", "strip_html");
}

typedef struct notes {
    char text[1024];
} notes;

static void collect_note(void *ctx, const sift_doc *d, const char *stage_name, const char *text)
{
    notes *n = ctx;
    (void)d;
    assert_string_equal(stage_name, "clean");
    size_t used = strlen(n->text);
    snprintf(n->text + used, sizeof n->text - used, "%s|", text);
}

static void test_clean_explains_what_it_changed(void **state)
{
    (void)state;
    notes n = {{0}};
    sift_doc *d = harness_doc("caf\xC3\xA9 \xFF  &amp; e\xCC\x81");
    d->note_fn = collect_note;
    d->note_ctx = &n;
    assert_int_equal(sift_stage_process(stage, d), SIFT_OK);
    assert_non_null(strstr(n.text, "replaced 1 invalid UTF-8 sequences"));
    assert_non_null(strstr(n.text, "decoded 1 HTML character references"));
    assert_non_null(strstr(n.text, "space characters"));
    assert_non_null(strstr(n.text, "normalised the text to NFC"));
    assert_null(strstr(n.text, "mojibake"));
    sift_doc_destroy(&d);
}

/* Output invariants on generated text: valid UTF-8, no control characters
 * but tab and LF, no space next to a space or a line break, no blank run
 * past max_blank_lines, nothing blank at either end; and idempotence. */
static void check_invariants(const char *in, const char *t)
{
    size_t n = strlen(t);
    utf8proc_int32_t cp;
    for (size_t i = 0; i < n;) {
        utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
                                                (utf8proc_ssize_t)(n - i), &cp);
        if (len < 1 || (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp < 0xA0))
            fail_msg("bad character at %zu of \"%s\" (from \"%s\")", i, t, in);
        i += (size_t)len;
    }
    if (n && (strchr(" \t\n", t[0]) || strchr(" \t\n", t[n - 1])))
        fail_msg("blank edge in \"%s\" (from \"%s\")", t, in);
    if (strstr(t, "  ") || strstr(t, " \n") || strstr(t, "\n ") || strstr(t, "\t\n") ||
        strstr(t, "\n\t") || strstr(t, "\n\n\n"))
        fail_msg("unfolded white space in \"%s\" (from \"%s\")", t, in);
}

static void test_clean_output_invariants_on_generated_text(void **state)
{
    (void)state;
    static const char *const parts[] = {
        "a", "Z", " ", "  ", "\t", "\n", "\r", "\r\n", "\xC2\xA0", "\xE2\x80\x8B", "\xE2\x80\x8D",
        "\xE2\x80\x8C", "\x01", "\xFF", "\xC3", "\xE2\x80", "\xC3\xA9", "Ã", "©", "â€", "™", "Â",
        "»", "\xCC\x81", "\xE2\x84\xA6", "😀", "日", "&", "amp;", "#8217;", "lt", "\xE2\x80\xA8",
        "\xEF\xBB\xBF", "\xC2\x85", ".",
    };
    char in[256];
    unsigned seed = 12345;
    for (int round = 0; round < 5000; round++) {
        size_t len = 0;
        int n_parts = 1 + (int)(seed % 20);
        for (int j = 0; j < n_parts; j++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = parts[(seed >> 16) % N_OF(parts)];
            size_t pl = strlen(p);
            if (len + pl >= sizeof in)
                break;
            memcpy(in + len, p, pl);
            len += pl;
        }
        in[len] = '\0';
        sift_doc *d;
        assert_int_equal(harness_run(stage, in, &d), SIFT_OK);
        check_invariants(in, harness_text(d));
        /* Known limits: a reference, a removed character between two
         * halves of a mojibake pair, or a letter NFC composes in front of
         * mojibake may leave text that a second clean repairs again. */
        if (!strpbrk(in, "&\x01") && !strstr(in, "\xE2\x80\x8B") && !strstr(in, "\xE2\x80\x8D") &&
            !strstr(in, "\xE2\x80\x8C") && !strstr(in, "\xEF\xBB\xBF") && !strstr(in, "\xCC\x81"))
            expect_idempotent(in);
        sift_doc_destroy(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_repairs_each_kind_and_counts_it),
        cmocka_unit_test(test_clean_leaves_correct_text_alone),
        cmocka_unit_test(test_clean_writes_every_counter_even_when_zero),
        cmocka_unit_test(test_clean_is_idempotent),
        cmocka_unit_test(test_clean_removes_nul_bytes),
        cmocka_unit_test(test_clean_options_change_behaviour),
        cmocka_unit_test(test_clean_counts_typography_when_folding),
        cmocka_unit_test(test_clean_refuses_bad_options),
        cmocka_unit_test(test_clean_explains_what_it_changed),
        cmocka_unit_test(test_clean_output_invariants_on_generated_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
