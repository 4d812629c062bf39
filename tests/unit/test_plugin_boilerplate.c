/* test_plugin_boilerplate.c - the boilerplate stage (plugins/boilerplate/boilerplate.so) through the real loader.
 *
 * Pages built like scraped news (menus, prompts, title, byline, date,
 * captions, related links, footers, comments) in English, Japanese and
 * Russian: the article stays, the rest goes, metadata lines reach
 * fields.page_meta with kind and line number, --explain names the rule of
 * every removed line. The per-source memory learns a recurring line, only
 * for its source, and keeps it across a restart of the stage. Options
 * extend and refuse patterns. The dev-set F1 is a scenario test
 * (tests/scenario/boilerplate-dev-f1.sh), not this file.
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

/* A news page as a scraper dumps it; line numbers noted where tests use them. */
static const char page[] =
    "Home\nWorld\nPolitics\nBusiness\nSport\nCulture\nSearch\n"          /* 1-7 */
    "\n"
    "Log In\n"                                                            /* 9 */
    "\n"
    "City council approves new river bridge after long debate\n"          /* 11: title */
    "\n"
    "By Jane Doe\n"                                                       /* 13 */
    "\n"
    "Published 12 March 2021 10:15\n"                                     /* 15 */
    "\n"
    "Share this article\n"                                                /* 17 */
    "\n"
    "The city council voted on Tuesday to build a new bridge across the river, ending a "
    "debate that has divided residents for more than a decade.\n"        /* 19 */
    "\n"
    "Supporters said the bridge would cut travel times for thousands of commuters and bring "
    "new life to the neighbourhoods on the eastern bank.\n"              /* 21 */
    "\n"
    "Advertisement\n"                                                     /* 23 */
    "\n"
    "Opponents argued that the project was too expensive and that the money should have "
    "been spent on buses and cycle lanes instead.\n"                     /* 25 */
    "\n"
    "The mayor speaking to reporters outside the town hall (Photo: John Smith)\n" /* 27 */
    "\n"
    "Construction is expected to begin next spring, and the council said it hoped the bridge "
    "would open to traffic within three years.\n"                        /* 29 */
    "\n"
    "Residents will be able to comment on the detailed plans at a series of public meetings "
    "that start in April.\n"                                              /* 31 */
    "\n"
    "Related stories\n"
    "Mayor unveils budget plan\n"
    "Council elections set for May\n"
    "New tram line delayed again\n"
    "\n"
    "We use cookies to improve your experience on our website. By continuing you accept "
    "our cookie policy.\n"
    "\n"
    "© 2021 Example News Group. All rights reserved.\n";

static const char *const article[] = {
    "The city council voted on Tuesday to build a new bridge across the river",
    "Supporters said the bridge would cut travel times",
    "Opponents argued that the project was too expensive",
    "Construction is expected to begin next spring",
    "Residents will be able to comment on the detailed plans",
};

static const char *const chrome[] = {
    "Home", "Politics", "Log In", "By Jane Doe", "Published 12 March 2021", "Share this",
    "Advertisement", "Photo: John Smith", "Related stories", "Mayor unveils budget plan",
    "We use cookies", "All rights reserved",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static sift_stage *stage;

static int setup(void **state)
{
    (void)state;
    stage = harness_stage("boilerplate", NULL);
    return stage ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sift_stage_destroy(&stage);
    return 0;
}

static sift_doc *doc_of(const char *id, const char *source, const char *text)
{
    sift_doc *d = NULL;
    sift_err err = {{0}};
    if (sift_doc_new(&d, id, strlen(id), source, source ? strlen(source) : 0, text,
                     strlen(text), &err) < 0)
        fail_msg("cannot create document: %s", err.msg);
    return d;
}

static void test_boilerplate_keeps_the_article_and_removes_the_chrome(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    assert_int_equal(harness_run(stage, page, &d), SIFT_OK);
    const char *t = harness_text(d);
    for (size_t i = 0; i < N_OF(article); i++)
        if (!strstr(t, article[i]))
            fail_msg("article sentence lost: %s\n--- text:\n%s", article[i], t);
    for (size_t i = 0; i < N_OF(chrome); i++)
        if (strstr(t, chrome[i]))
            fail_msg("boilerplate kept: %s\n--- text:\n%s", chrome[i], t);
    long long in = harness_field_int(d, "boilerplate.lines_in");
    long long kept = harness_field_int(d, "boilerplate.lines_kept");
    assert_int_equal(kept, (long long)N_OF(article));
    assert_int_equal(in, kept + harness_field_int(d, "boilerplate.lines_removed"));
    assert_non_null(strstr(t, "decade.\n\nSupporters")); /* paragraphs stay apart */
    sift_doc_destroy(&d);
}

/* The page_meta entry of kind at index, checked for text and line. */
static void expect_meta(const sift_value *list, const char *kind, const char *text, int64_t line)
{
    for (size_t i = 0; i < sift_value_len(list); i++) {
        const sift_value *m = NULL;
        assert_int_equal(sift_value_list_at(list, i, &m), 0);
        const char *k = NULL, *s = NULL;
        int64_t n = 0;
        sift_value_get_str(sift_value_map_get(m, "kind"), &k, NULL);
        sift_value_get_str(sift_value_map_get(m, "text"), &s, NULL);
        sift_value_get_int(sift_value_map_get(m, "line"), &n);
        if (k && s && strcmp(k, kind) == 0 && strcmp(s, text) == 0) {
            assert_int_equal(n, line);
            return;
        }
    }
    fail_msg("page_meta has no %s \"%s\"", kind, text);
}

static void test_boilerplate_hands_metadata_lines_to_page_meta(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    assert_int_equal(harness_run(stage, page, &d), SIFT_OK);
    const sift_value *meta = harness_field(d, "page_meta");
    assert_non_null(meta);
    expect_meta(meta, "title", "City council approves new river bridge after long debate", 11);
    expect_meta(meta, "byline", "By Jane Doe", 13);
    expect_meta(meta, "date", "Published 12 March 2021 10:15", 15);
    expect_meta(meta, "caption",
                "The mayor speaking to reporters outside the town hall (Photo: John Smith)", 27);
    int64_t prev = 0; /* page order */
    for (size_t i = 0; i < sift_value_len(meta); i++) {
        const sift_value *m = NULL;
        int64_t n = 0;
        assert_int_equal(sift_value_list_at(meta, i, &m), 0);
        sift_value_get_int(sift_value_map_get(m, "line"), &n);
        assert_true(n > prev);
        prev = n;
    }
    sift_doc_destroy(&d);
}

/* A headline with a standfirst under it, a share bar, alt text and two
 * pictures: one caption with its credit on the next line, one inline. */
static const char head_page[] =
    "The Lakeside Ledger\n\nHome   News   Sport   Weather\n\nNews › County\n\n" /* 1-5 */
    "Volunteers restore the old mill pond before the summer\n"                   /* 7 */
    "\n"
    "A dozen neighbours spent three weekends clearing reeds and silt from the pond that "
    "feeds the restored water wheel\n"                                            /* 9 */
    "\n"
    "By Odile Marchetti\nPublished May 2, 2024 08:30\n"                          /* 11-12 */
    "\n"
    "Facebook  Twitter  WhatsApp  Email\n"                                       /* 14 */
    "\n"
    "[Volunteers wading in the mill pond]\n"                                     /* 16 */
    "Two volunteers lift a rusted trolley out of the shallows on Saturday.\n"    /* 17 */
    "Photo: Kees Brandt / Lakeside Ledger\n"                                     /* 18 */
    "\n"
    "The mill pond at the edge of the village is full again after volunteers removed more "
    "than forty tonnes of silt, reeds and rubbish over three weekends in April.\n"
    "\n"
    "The pond has fed the water wheel of the old corn mill since the eighteenth century, "
    "but it had slowly filled up since the last miller retired forty years ago.\n"
    "\n"
    "The wheel turns again on open days. Picture: Lena Park / Lakeside Ledger\n" /* 24 */
    "\n"
    "The parish council paid for the skip hire and the village shop gave the volunteers "
    "lunch on every working day, the organisers said on Sunday afternoon.\n"
    "\n"
    "The first open day of the season is planned for the second weekend of June, when the "
    "mill will grind flour for the first time in a generation.\n";

static void test_boilerplate_finds_the_headline_above_byline_and_drops_captions(void **state)
{
    (void)state;
    sift_doc *d = NULL;
    assert_int_equal(harness_run(stage, head_page, &d), SIFT_OK);
    const sift_value *meta = harness_field(d, "page_meta");
    assert_non_null(meta);
    /* above the standfirst, not the share bar or the alt text nearer the article */
    expect_meta(meta, "title", "Volunteers restore the old mill pond before the summer", 7);
    expect_meta(meta, "caption",
                "Two volunteers lift a rusted trolley out of the shallows on Saturday.", 17);
    expect_meta(meta, "credit", "Photo: Kees Brandt / Lakeside Ledger", 18);
    expect_meta(meta, "caption",
                "The wheel turns again on open days. Picture: Lena Park / Lakeside Ledger", 24);
    const char *t = harness_text(d);
    assert_null(strstr(t, "rusted trolley"));
    assert_null(strstr(t, "The wheel turns again"));
    assert_null(strstr(t, "WhatsApp"));
    assert_non_null(strstr(t, "The mill pond at the edge of the village"));
    assert_non_null(strstr(t, "The parish council paid"));
    sift_doc_destroy(&d);
}

static void test_boilerplate_works_without_spaces_in_japanese(void **state)
{
    (void)state;
    const char *text =
        "ホーム\nニュース\n経済\nスポーツ\n検索\n\n"
        "新しい橋の建設が決まる\n\n"
        "2021年3月12日\n\n"
        "市議会は火曜日、川に新しい橋を建設することを決めた。十年以上にわたって住民の意見が分かれていた問題に決着がついた。\n\n"
        "賛成派は、橋ができれば多くの通勤者の移動時間が短くなり、東岸の地域に新しい活気が生まれると話している。\n\n"
        "広告\n\n"
        "反対派は、計画の費用が高すぎるとして、バスや自転車道の整備にお金を使うべきだったと主張している。\n\n"
        "工事は来年の春に始まる予定で、市は三年以内に橋を開通させたいとしている。\n\n"
        "関連記事\n市長が予算案を発表\n議会選挙は五月に\n";
    sift_doc *d = NULL;
    assert_int_equal(harness_run(stage, text, &d), SIFT_OK);
    const char *t = harness_text(d);
    assert_non_null(strstr(t, "市議会は火曜日"));
    assert_non_null(strstr(t, "賛成派は"));
    assert_non_null(strstr(t, "反対派は"));
    assert_non_null(strstr(t, "工事は来年の春"));
    assert_null(strstr(t, "ホーム"));
    assert_null(strstr(t, "広告"));
    assert_null(strstr(t, "関連記事"));
    assert_null(strstr(t, "市長が予算案を発表"));
    sift_doc_destroy(&d);
}

static void test_boilerplate_works_in_cyrillic(void **state)
{
    (void)state;
    const char *text =
        "Главная\nНовости\nПолитика\nЭкономика\nСпорт\n\n"
        "Городской совет одобрил строительство нового моста\n\n"
        "Поделиться\n\n"
        "Городской совет во вторник проголосовал за строительство нового моста через реку, и "
        "этим завершился спор, который делил жителей больше десяти лет.\n\n"
        "Сторонники проекта говорят, что мост сократит время в пути для тысяч людей и оживит "
        "районы на восточном берегу.\n\n"
        "Реклама\n\n"
        "Противники считают, что проект слишком дорогой и что деньги лучше было потратить на "
        "автобусы и велосипедные дорожки.\n\n"
        "Читайте также: Мэр представил проект бюджета\n\n"
        "Все права защищены.\n";
    sift_doc *d = NULL;
    assert_int_equal(harness_run(stage, text, &d), SIFT_OK);
    const char *t = harness_text(d);
    assert_non_null(strstr(t, "Городской совет во вторник"));
    assert_non_null(strstr(t, "Сторонники проекта"));
    assert_non_null(strstr(t, "Противники считают"));
    assert_null(strstr(t, "Главная"));
    assert_null(strstr(t, "Поделиться"));
    assert_null(strstr(t, "Реклама"));
    assert_null(strstr(t, "Читайте также"));
    assert_null(strstr(t, "Все права защищены"));
    sift_doc_destroy(&d);
}

/* Notes from --explain, collected as "text|text|...". */
typedef struct notes {
    char text[8192];
} notes;

static void collect_note(void *ctx, const sift_doc *d, const char *stage_name, const char *text)
{
    notes *n = ctx;
    (void)d;
    assert_string_equal(stage_name, "boilerplate");
    size_t used = strlen(n->text);
    snprintf(n->text + used, sizeof n->text - used, "%s|", text);
}

static void test_boilerplate_explains_each_removed_line_with_its_rule(void **state)
{
    (void)state;
    notes n = {{0}};
    sift_doc *d = harness_doc(page);
    d->note_fn = collect_note;
    d->note_ctx = &n;
    assert_int_equal(sift_stage_process(stage, d), SIFT_OK);
    assert_non_null(strstr(n.text, "removed line 1 (prompt): Home|"));
    assert_non_null(strstr(n.text, "removed line 2 (linklist): World|"));
    assert_non_null(strstr(n.text, "removed line 11 (title): City council approves"));
    assert_non_null(strstr(n.text, "removed line 13 (byline): By Jane Doe|"));
    assert_non_null(strstr(n.text, "removed line 15 (date): Published 12 March 2021 10:15|"));
    assert_non_null(strstr(n.text, "removed line 17 (prompt): Share this article|"));
    assert_non_null(strstr(n.text, "removed line 23 (prompt): Advertisement|"));
    assert_non_null(strstr(n.text, "removed line 27 (caption): The mayor"));
    assert_null(strstr(n.text, "line 19 ")); /* kept lines are not noted */
    sift_doc_destroy(&d);
}

static void test_boilerplate_cuts_the_comment_section(void **state)
{
    (void)state;
    char text[8192];
    snprintf(text, sizeof text, "%.*s\n\n34 responses to \"City council approves new bridge\"\n\n"
             "1. riverfan says:\n\nMarch 12, 2021 at 11:02 am\n\n"
             "This bridge is a terrible waste of money and nobody asked the people who live "
             "near the river what they think about it.\n\n"
             "2. commuter77 says:\n\nMarch 12, 2021 at 11:40 am\n\n"
             "Finally some good news for everyone who spends an hour in traffic every single "
             "morning on the way to work.\n",
             (int)(strstr(page, "Related stories") - page), page);
    sift_doc *d = NULL;
    assert_int_equal(harness_run(stage, text, &d), SIFT_OK);
    const char *t = harness_text(d);
    assert_non_null(strstr(t, article[4]));
    assert_null(strstr(t, "terrible waste of money"));
    assert_null(strstr(t, "good news for everyone"));
    sift_doc_destroy(&d);
}

/* An article of three distinct paragraphs (by seed) ending with footer. */
static void learn_page(char *buf, size_t cap, int seed, const char *footer)
{
    static const char *const topics[] = {"harbour", "library", "stadium", "market", "school"};
    const char *w = topics[seed % 5];
    snprintf(buf, cap,
             "Menu\nNews\nSport\n\nNews about the %s\n\n"
             "Officials said on Monday that the %s would reopen next month after repairs that "
             "took far longer than anyone had expected.\n\n"
             "Local businesses near the %s welcomed the news, saying that the closure had cost "
             "them customers during the busiest part of the year.\n\n"
             "The repairs to the %s were paid for by a regional fund, and the final bill was "
             "lower than the first estimate, officials added.\n\n%s\n",
             w, w, w, w, footer);
}

static const char footer[] =
    "The Valley Courier is an independent newspaper that has served the region since 1901.";

static int run_learn(sift_stage *st, const char *id, const char *source, int seed,
                     const char **text_out, sift_doc **keep)
{
    char buf[4096];
    learn_page(buf, sizeof buf, seed, footer);
    sift_doc *d = doc_of(id, source, buf);
    int rc = sift_stage_process(st, d);
    *text_out = harness_text(d);
    *keep = d;
    return rc;
}

static void test_boilerplate_learns_a_recurring_line_per_source(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("boilerplate", "learn_min_docs = 3;");
    const char *t;
    sift_doc *d;
    char id[16];
    for (int i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "a%d", i);
        assert_int_equal(run_learn(st, id, "courier", i, &t, &d), SIFT_OK);
        assert_non_null(strstr(t, footer)); /* not learnt yet: it looks like prose */
        sift_doc_destroy(&d);
    }
    assert_int_equal(run_learn(st, "a3", "courier", 3, &t, &d), SIFT_OK);
    assert_null(strstr(t, footer));
    assert_non_null(strstr(t, "Officials said on Monday that the market"));
    assert_true(harness_field_int(d, "boilerplate.lines_learned") >= 1); /* the menu too */
    sift_doc_destroy(&d);
    assert_int_equal(run_learn(st, "b0", "other-site", 4, &t, &d), SIFT_OK);
    assert_non_null(strstr(t, footer)); /* another source learns on its own */
    sift_doc_destroy(&d);
    assert_int_equal(run_learn(st, "a3", "courier", 3, &t, &d), SIFT_OK);
    assert_null(strstr(t, footer)); /* a retried document does not count twice, still learnt */
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_boilerplate_does_not_empty_a_repeated_document(void **state)
{
    (void)state;
    sift_stage *st = harness_stage("boilerplate", NULL);
    const char *t;
    sift_doc *d;
    char id[16];
    for (int i = 0; i < 5; i++) { /* the same page again and again, new ids */
        snprintf(id, sizeof id, "same%d", i);
        assert_int_equal(run_learn(st, id, "courier", 7, &t, &d), SIFT_OK);
        assert_non_null(strstr(t, "Officials said on Monday that the stadium"));
        sift_doc_destroy(&d);
    }
    sift_stage_destroy(&st);
}

static void test_boilerplate_learning_survives_a_restart(void **state)
{
    (void)state;
    char dir[] = "/tmp/sift-bp-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    sift_stage *st = harness_stage_state("boilerplate", NULL, dir);
    const char *t;
    sift_doc *d;
    char id[16];
    for (int i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "r%d", i);
        assert_int_equal(run_learn(st, id, "courier", i, &t, &d), SIFT_OK);
        sift_doc_destroy(&d);
    }
    assert_int_equal(sift_stage_flush(st), SIFT_OK);
    sift_stage_destroy(&st);
    st = harness_stage_state("boilerplate", NULL, dir);
    assert_int_equal(run_learn(st, "r3", "courier", 3, &t, &d), SIFT_OK);
    assert_null(strstr(t, footer));
    sift_doc_destroy(&d);
    sift_stage_destroy(&st); /* fini flushes too */
    st = harness_stage_state("boilerplate", "learn = false;", dir);
    assert_int_equal(run_learn(st, "r4", "courier", 4, &t, &d), SIFT_OK);
    assert_non_null(strstr(t, footer)); /* learning off: the memory is not used */
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_boilerplate_extra_patterns_extend_the_lists(void **state)
{
    (void)state;
    char text[8192];
    const char *cut = strstr(page, "Opponents argued");
    snprintf(text, sizeof text, "%.*sZorblax widget of the week\n\n%s", (int)(cut - page), page,
             cut);
    sift_doc *d = NULL;
    assert_int_equal(harness_run(stage, text, &d), SIFT_OK);
    assert_non_null(strstr(harness_text(d), "Zorblax widget")); /* a short line inside */
    sift_doc_destroy(&d);
    sift_stage *st = harness_stage("boilerplate",
                                   "extra_patterns = [\"prompt=^zorblax widget[[:>:]]\"];");
    assert_int_equal(harness_run(st, text, &d), SIFT_OK);
    assert_null(strstr(harness_text(d), "Zorblax widget"));
    assert_non_null(strstr(harness_text(d), article[2]));
    sift_doc_destroy(&d);
    sift_stage_destroy(&st);
}

static void test_boilerplate_refuses_bad_patterns_and_options(void **state)
{
    (void)state;
    static const struct {
        const char *conf, *why;
    } bad[] = {
        {"extra_patterns = [\"nokind=abc\"];", "must start with a kind"},
        {"prompt_patterns = [\"(unclosed\"];", "prompt pattern \"(unclosed\""},
        {"extra_patterns = [\"date=[0-9\"];", "date pattern"},
        {"switch_cost = 0.0;", "switch_cost"},
        {"min_region_share = 2.0;", "min_region_share"},
        {"learn_min_docs = 1;", "learn_min_docs"},
    };
    for (size_t i = 0; i < N_OF(bad); i++) {
        sift_stage *st = NULL;
        sift_err err = {{0}};
        assert_true(harness_stage_try(&st, "boilerplate", bad[i].conf, &err) < 0);
        if (!strstr(err.msg, bad[i].why))
            fail_msg("%s: error \"%s\" does not say \"%s\"", bad[i].conf, err.msg, bad[i].why);
        assert_null(st);
    }
}

static void test_boilerplate_survives_empty_blank_and_invalid_text(void **state)
{
    (void)state;
    static const char *const texts[] = {"", "\n\n\n", "   \n \t \n", "\xFF\xFE broken \xC3\n",
                                        "one line without end"};
    for (size_t i = 0; i < N_OF(texts); i++) {
        sift_doc *d = NULL;
        assert_int_equal(harness_run(stage, texts[i], &d), SIFT_OK);
        assert_int_equal(harness_field_int(d, "boilerplate.lines_in"),
                         harness_field_int(d, "boilerplate.lines_kept") +
                             harness_field_int(d, "boilerplate.lines_removed"));
        sift_doc_destroy(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boilerplate_keeps_the_article_and_removes_the_chrome),
        cmocka_unit_test(test_boilerplate_hands_metadata_lines_to_page_meta),
        cmocka_unit_test(test_boilerplate_finds_the_headline_above_byline_and_drops_captions),
        cmocka_unit_test(test_boilerplate_works_without_spaces_in_japanese),
        cmocka_unit_test(test_boilerplate_works_in_cyrillic),
        cmocka_unit_test(test_boilerplate_explains_each_removed_line_with_its_rule),
        cmocka_unit_test(test_boilerplate_cuts_the_comment_section),
        cmocka_unit_test(test_boilerplate_learns_a_recurring_line_per_source),
        cmocka_unit_test(test_boilerplate_does_not_empty_a_repeated_document),
        cmocka_unit_test(test_boilerplate_learning_survives_a_restart),
        cmocka_unit_test(test_boilerplate_extra_patterns_extend_the_lists),
        cmocka_unit_test(test_boilerplate_refuses_bad_patterns_and_options),
        cmocka_unit_test(test_boilerplate_survives_empty_blank_and_invalid_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
