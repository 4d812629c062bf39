/* test_plugin_extract.c - the extract stage's page metadata, through the real loader.
 *
 * Table-driven: publication dates in the nine languages the stage reads
 * (month names, ordinals, numeric orders, time and zone, eras, Published
 * against Updated, relative dates with and without fetched_at, copyright
 * years and related-link lists that must give no date); bylines with each
 * prefix, roles and dates stripped, and none when the page names nobody;
 * datelines; headlines from page_meta and from the text; the language of
 * pages in nine languages; refused options; and generated text with odd
 * page_meta. What the text says (entities, quotes, keywords, counts) is
 * tested in test_plugin_extract_text.c. Every input is written for this
 * test. Speed is measured with `sift run`, not here.
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

#include "harness.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static sift_stage *stage;

/* Body paragraphs, one per language, so the language (and with it the
 * reading of 03/04/2021) is known. */
enum { EN, DE, FR, ES, IT, PT, NL, RU, JA };
static const char *const bodies[] = {
    [EN] = "The city council approved a new budget on Tuesday evening after a long debate about "
           "road repairs, school funding and the cost of running the public library for another "
           "year.",
    [DE] = "Der Stadtrat hat am Dienstagabend nach einer langen Debatte über Straßenreparaturen, "
           "die Finanzierung der Schulen und die Kosten der Stadtbibliothek einen neuen Haushalt "
           "für das kommende Jahr beschlossen.",
    [FR] = "Le conseil municipal a adopté mardi soir un nouveau budget après un long débat sur la "
           "réparation des routes, le financement des écoles et le coût de la bibliothèque "
           "publique pour l'année prochaine.",
    [ES] = "El ayuntamiento aprobó el martes por la noche un nuevo presupuesto tras un largo "
           "debate sobre la reparación de las calles, la financiación de las escuelas y el coste "
           "de la biblioteca pública.",
    [IT] = "Il consiglio comunale ha approvato martedì sera un nuovo bilancio dopo un lungo "
           "dibattito sulla riparazione delle strade, il finanziamento delle scuole e il costo "
           "della biblioteca pubblica per il prossimo anno.",
    [PT] = "A câmara municipal aprovou na terça-feira à noite um novo orçamento depois de um longo "
           "debate sobre a reparação das estradas, o financiamento das escolas e o custo da "
           "biblioteca pública no próximo ano.",
    [NL] = "De gemeenteraad heeft dinsdagavond na een lang debat over het herstel van wegen, de "
           "financiering van scholen en de kosten van de openbare bibliotheek een nieuwe "
           "begroting voor volgend jaar goedgekeurd.",
    [RU] = "Городской совет во вторник вечером после долгих споров о ремонте дорог, "
           "финансировании школ и расходах на публичную библиотеку утвердил новый бюджет на "
           "следующий год.",
    [JA] = "市議会は火曜日の夜、道路の補修や学校の予算、公立図書館の運営費について長い議論を行った"
           "後、来年度の新しい予算案を可決しました。",
};

static const char *const headlines[] = {
    [EN] = "City council approves new budget",
    [DE] = "Stadtrat beschließt neuen Haushalt",
    [FR] = "Le conseil municipal adopte un nouveau budget",
    [ES] = "El ayuntamiento aprueba un nuevo presupuesto",
    [IT] = "Il consiglio comunale approva il nuovo bilancio",
    [PT] = "Câmara municipal aprova novo orçamento",
    [NL] = "Gemeenteraad keurt nieuwe begroting goed",
    [RU] = "Городской совет утвердил новый бюджет",
    [JA] = "市議会が新年度予算案を可決",
};

typedef struct meta_line {
    const char *kind, *text;
    int line;
} meta_line;

static int setup(void **state)
{
    (void)state;
    stage = harness_stage("extract", NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sift_stage_destroy(&stage);
    return 0;
}

/* Run text (with optional page_meta and fetched_at) through st. Caller owns
 * the document; free with sift_doc_destroy(). */
static sift_doc *run_full(sift_stage *st, const char *text, const meta_line *meta, size_t n_meta,
                          const char *fetched_at)
{
    sift_doc *d = harness_doc(text);
    if (n_meta) {
        sift_value *list, *m;
        assert_int_equal(sift_value_map_put(&d->fields, "page_meta", &list), SIFT_OK);
        sift_value_set_list(list);
        for (size_t i = 0; i < n_meta; i++) {
            assert_int_equal(sift_value_list_push(list, &m), SIFT_OK);
            sift_value_set_map(m);
            sift_value_map_set_str(m, "kind", meta[i].kind, strlen(meta[i].kind));
            sift_value_map_set_str(m, "text", meta[i].text, strlen(meta[i].text));
            sift_value_map_set_int(m, "line", meta[i].line);
        }
    }
    if (fetched_at)
        sift_value_map_set_str(&d->fields, "fetched_at", fetched_at, strlen(fetched_at));
    int rc = sift_stage_process(st, d);
    if (rc != SIFT_OK)
        fail_msg("extract failed (%d): %s", rc, d->status_text ? d->status_text : "");
    return d;
}

static sift_doc *run(const char *text)
{
    return run_full(stage, text, NULL, 0, NULL);
}

/* A string field, or NULL when absent. */
static const char *str_or_null(const sift_doc *d, const char *key)
{
    const sift_value *v = harness_field(d, key);
    const char *s = NULL;
    if (v && sift_value_get_str(v, &s, NULL) < 0)
        fail_msg("field %s is not a string", key);
    return s;
}

static void expect_field(const sift_doc *d, const char *key, const char *want, const char *input)
{
    const char *got = str_or_null(d, key);
    if (!want && got)
        fail_msg("%s: got \"%s\", want none, for:\n%s", key, got, input);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("%s: got %s%s%s, want \"%s\", for:\n%s", key, got ? "\"" : "", got ? got : "none",
                 got ? "\"" : "", want, input);
}

/* ---------------------------------------------------------------- dates */

typedef struct date_case {
    int lang;
    const char *lines;      /* between headline and body; may hold several lines */
    const char *after;      /* after the body, or NULL */
    const char *fetched_at; /* NULL = the document carries no reference time */
    const char *want;       /* NULL = no date */
} date_case;

static const date_case date_cases[] = {
    /* English: month names, ordinals, time and zone, numeric, ISO */
    {EN, "Published March 12th, 2022 at 18:05 IST", NULL, NULL, "2022-03-12T18:05+05:30"},
    {EN, "Sept. 3, 2020 4:15 p.m. EDT", NULL, NULL, "2020-09-03T16:15-04:00"},
    {EN, "By Maria Lopez | June 30, 2019, 11:02 AM ET", NULL, NULL, "2019-06-30T11:02-04:00"},
    {EN, "Jan. 14, 2019 8:30 am ET", NULL, NULL, "2019-01-14T08:30-05:00"},
    {EN, "Friday 4 July 2018 21:40, UK", NULL, NULL, "2018-07-04T21:40+01:00"},
    {EN, "4 July 2018", NULL, NULL, "2018-07-04"},
    {EN, "Posted 12/25/2020", NULL, NULL, "2020-12-25"},
    {EN, "Posted 03/04/2021", NULL, NULL, NULL},
    {EN, "2021-02-28T14:30:00Z", NULL, NULL, "2021-02-28T14:30Z"},
    {EN, "Last updated 2021-02-28T14:30:00+01:00", NULL, NULL, "2021-02-28T14:30+01:00"},
    {EN, "Updated 0915 GMT (1715 HKT) May 2, 2022", NULL, NULL, "2022-05-02T09:15Z"},
    /* Published beats Updated, in one line or two */
    {EN, "Published: 10 May 2021 09:00 BST | Updated: 11 May 2021 10:30 BST", NULL, NULL,
     "2021-05-10T09:00+01:00"},
    {EN, "Updated Jan 5, 2022\nPublished Jan 3, 2022", NULL, NULL, "2022-01-03"},
    {EN, "October 2, 2020 | 6:10pm | Updated October 3, 2020 | 9:00am", NULL, NULL,
     "2020-10-02T18:10"},
    /* dates that are not the publication date */
    {EN, "Contact the newsroom", "© 2021 Example Media. All rights reserved.", NULL, NULL},
    {EN, "Copyright 15 March 2020 Example Media", NULL, NULL, NULL},
    {EN,
     "Storm closes harbour\nMarch 2, 2021\nElection count resumes\nMarch 5, 2021\n"
     "Bridge reopens early\nMarch 8, 2021",
     NULL, NULL, NULL},
    {EN, "Share this story", "Comments\nreader42: great piece\nMay 3, 2021 at 7:40 am", NULL, NULL},
    {EN, "Published March 3, 1985", NULL, NULL, NULL},
    {EN, "Events on August 20 and 21", NULL, NULL, NULL},
    /* relative dates need a reference time */
    {EN, "Published 3 hours ago", NULL, "2021-06-10T12:00:00Z", "2021-06-10T09:00Z"},
    {EN, "Published 3 hours ago", NULL, NULL, NULL},
    {EN, "Published yesterday", NULL, "2021-06-10T12:00:00Z", "2021-06-09"},
    {EN, "an hour ago", NULL, "2021-06-10T00:30:00Z", "2021-06-09T23:30Z"},
    /* German */
    {DE, "Veröffentlicht am 04.09.2021 um 07:58 Uhr", NULL, NULL, "2021-09-04T07:58"},
    {DE, "4. September 2021, 18:30 Uhr MESZ", NULL, NULL, "2021-09-04T18:30+02:00"},
    {DE, "Stand: 03/04/2021", NULL, NULL, "2021-04-03"},
    {DE, "Aktualisiert am 05.09.2021 | Veröffentlicht am 04.09.2021", NULL, NULL, "2021-09-04"},
    {DE, "vor 2 Stunden", NULL, "2021-06-10T12:00:00+02:00", "2021-06-10T10:00+02:00"},
    {DE, "vor 2 Stunden", NULL, NULL, NULL},
    /* French */
    {FR, "Publié le 1er mars 2022 à 14h05", NULL, NULL, "2022-03-01T14:05"},
    {FR, "Mis à jour le 2 mars 2022 à 09h00", NULL, NULL, "2022-03-02T09:00"},
    {FR, "Publié le 03/04/2022", NULL, NULL, "2022-04-03"},
    {FR, "il y a 3 jours", NULL, "2022-03-10T08:00:00+01:00", "2022-03-07"},
    /* Spanish */
    {ES, "Publicado el 15 de agosto de 2020 a las 10:45 CEST", NULL, NULL,
     "2020-08-15T10:45+02:00"},
    {ES, "Actualizado: 16/08/2020 08:00", NULL, NULL, "2020-08-16T08:00"},
    {ES, "hace 2 días", NULL, "2020-08-20T10:00:00+02:00", "2020-08-18"},
    /* Italian */
    {IT, "Pubblicato il 12 gennaio 2023 alle 16:20", NULL, NULL, "2023-01-12T16:20"},
    {IT, "3 ore fa", NULL, "2023-01-12T20:00:00+01:00", "2023-01-12T17:00+01:00"},
    /* Portuguese */
    {PT, "Publicado em 7 de novembro de 2019 às 22h10", NULL, NULL, "2019-11-07T22:10"},
    {PT, "há 5 horas", NULL, "2019-11-08T03:00:00-03:00", "2019-11-07T22:00-03:00"},
    /* Dutch */
    {NL, "Gepubliceerd op 21 april 2021 om 08:15", NULL, NULL, "2021-04-21T08:15"},
    {NL, "3 uur geleden", NULL, "2021-04-21T11:00:00+02:00", "2021-04-21T08:00+02:00"},
    /* Russian */
    {RU, "Опубликовано: 4 сентября 2021, 07:58 МСК", NULL, NULL, "2021-09-04T07:58+03:00"},
    {RU, "12.05.2020 в 15:30", NULL, NULL, "2020-05-12T15:30"},
    {RU, "2 часа назад", NULL, "2020-05-12T18:00:00+03:00", "2020-05-12T16:00+03:00"},
    /* Japanese */
    {JA, "2021年9月4日 7時58分", NULL, NULL, "2021-09-04T07:58"},
    {JA, "公開日：令和3年9月4日", NULL, NULL, "2021-09-04"},
    {JA, "2021/09/04 07:58 JST", NULL, NULL, "2021-09-04T07:58+09:00"},
};

static void test_extract_finds_publication_dates(void **state)
{
    (void)state;
    char text[2048];
    for (size_t i = 0; i < N_OF(date_cases); i++) {
        const date_case *c = &date_cases[i];
        snprintf(text, sizeof text, "%s\n\n%s\n\n%s\n\n%s\n", headlines[c->lang], c->lines,
                 bodies[c->lang], c->after ? c->after : "");
        sift_doc *d = run_full(stage, text, NULL, 0, c->fetched_at);
        expect_field(d, "date", c->want, text);
        sift_doc_destroy(&d);
    }
}

static void test_extract_prefers_page_meta_date_lines_near_the_headline(void **state)
{
    (void)state;
    static const meta_line meta[] = {
        {"date", "Monday, 2 March 2020", 3}, /* the site's "today" line, far above */
        {"title", "Harbour reopens after storm", 40},
        {"byline", "By Ines Costa", 42},
        {"date", "28 February 2020 14:10 CET", 43},
        {"date", "1 March 2020", 90}, /* a related story, far below */
    };
    sift_doc *d = run_full(stage, bodies[EN], meta, N_OF(meta), NULL);
    expect_field(d, "date", "2020-02-28T14:10+01:00", "page_meta case");
    expect_field(d, "author", "Ines Costa", "page_meta case");
    expect_field(d, "title", "Harbour reopens after storm", "page_meta case");
    sift_doc_destroy(&d);
}

static void test_extract_ignores_related_lists_in_page_meta(void **state)
{
    (void)state;
    static const meta_line meta[] = {
        {"title", "Harbour reopens after storm", 10},
        {"date", "4 January 2020", 12},
        {"date", "9 February 2020", 14},
        {"date", "17 March 2020", 16},
    };
    sift_doc *d = run_full(stage, bodies[EN], meta, N_OF(meta), NULL);
    expect_field(d, "date", NULL, "related list in page_meta");
    sift_doc_destroy(&d);
}

/* ---------------------------------------------------------------- authors */

typedef struct author_case {
    int lang;
    const char *line;
    const char *want;
} author_case;

static const author_case author_cases[] = {
    {EN, "By Anna Weber", "Anna Weber"},
    {EN, "BY: JAMES O'NEILL AND RITA GOMEZ", "James O'Neill, Rita Gomez"},
    {EN, "By Lia Park and Omar Said", "Lia Park, Omar Said"},
    {EN, "Reported by: Kavya Iyer", "Kavya Iyer"},
    {EN, "WrittenBy:Tomas Berg", "Tomas Berg"},
    {EN, "By Peter Hall, Senior Correspondent", "Peter Hall"},
    {EN, "By Nina Roth - Staff Writer", "Nina Roth"},
    {EN, "By Sam Ortiz, Opinion Columnist", "Sam Ortiz"},
    {EN, "By Ali Hassan | March 3, 2022", "Ali Hassan"},
    {EN, "Posted by Dana Kim on March 3, 2022, 9:15 AM EST", "Dana Kim"},
    {EN, "March 3, 2022 by Ruth Adler", "Ruth Adler"},
    {EN, "By Grace Liu@gliu_news", "Grace Liu"},
    {EN, "By Dr. Helen Park", "Helen Park"},
    {EN, "By Reuters", NULL},
    {EN, "By Staff Reporter", NULL},
    {EN, "By Example Times Staff", NULL},
    {EN, "By choosing to continue you agree to our cookies", NULL},
    {EN, "Share this story", NULL},
    {DE, "Von Lena Hoffmann", "Lena Hoffmann"},
    {FR, "Par Claire Dubois", "Claire Dubois"},
    {ES, "Por Javier Ruiz", "Javier Ruiz"},
    {IT, "Di Marco Bianchi", "Marco Bianchi"},
    {NL, "Door Sanne de Vries", "Sanne de Vries"},
    {RU, "Автор: Ольга Смирнова", "Ольга Смирнова"},
};

static void test_extract_finds_author_names_only(void **state)
{
    (void)state;
    char text[2048];
    for (size_t i = 0; i < N_OF(author_cases); i++) {
        const author_case *c = &author_cases[i];
        snprintf(text, sizeof text, "%s\n\n%s\n\n%s\n", headlines[c->lang], c->line,
                 bodies[c->lang]);
        sift_doc *d = run(text);
        expect_field(d, "author", c->want, text);
        sift_doc_destroy(&d);
    }
}

static void test_extract_reads_byline_from_page_meta_without_prefix(void **state)
{
    (void)state;
    static const meta_line meta[] = {{"title", "Harbour reopens after storm", 1},
                                     {"byline", "Jonas Lind", 2}};
    sift_doc *d = run_full(stage, bodies[EN], meta, N_OF(meta), NULL);
    expect_field(d, "author", "Jonas Lind", "byline in page_meta");
    sift_doc_destroy(&d);
}

static void test_extract_ignores_names_inside_running_text(void **state)
{
    (void)state;
    const char *text = "City council approves new budget\n\nThe report was written by Anna Weber "
                       "and reviewed by the finance committee before the vote on Tuesday.\n";
    sift_doc *d = run(text);
    expect_field(d, "author", NULL, text);
    sift_doc_destroy(&d);
}

/* ---------------------------------------------------------------- datelines and titles */

typedef struct line_case {
    const char *text;
    const char *want;
} line_case;

static const line_case dateline_cases[] = {
    {"Budget vote delayed\n\nBERLIN: The government said on Monday that the vote on the new "
     "budget would be delayed by a week.\n",
     "BERLIN"},
    {"Budget vote delayed\n\nChennai, Jan 9 (PTI) Officials said on Monday that the vote on the "
     "new budget would be delayed.\n",
     "Chennai"},
    {"Shares rise\n\nPARIS (Reuters) - Shares rose on Monday as investors welcomed the new "
     "figures from the central bank.\n",
     "PARIS"},
    {"Museum reopens\n\nNEW YORK, N.Y. — The museum reopened its doors on Monday after a long "
     "renovation of the main hall.\n",
     "NEW YORK"},
    {"Presupuesto aprobado\n\nMadrid: El gobierno anunció el lunes que el presupuesto será "
     "votado la próxima semana en el parlamento.\n",
     "Madrid"},
    {"Results are in\n\nUPDATE: The results were published on Monday after a long count in "
     "every district of the region.\n",
     NULL},
    {"Results are in\n\nNote: this article was corrected on Monday after a long count in every "
     "district of the region.\n",
     NULL},
    {"Rangers win\n\nRangers (2-1) beat the visitors on Monday after a long match in front of a "
     "full stadium.\n",
     NULL},
    {"Budget vote delayed\n\nThe mayor said on Monday that the vote on the new budget would be "
     "delayed by a week.\n",
     NULL},
};

static void test_extract_finds_datelines(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(dateline_cases); i++) {
        sift_doc *d = run(dateline_cases[i].text);
        expect_field(d, "dateline", dateline_cases[i].want, dateline_cases[i].text);
        sift_doc_destroy(&d);
    }
}

static void test_extract_reads_dateline_from_page_meta(void **state)
{
    (void)state;
    static const meta_line meta[] = {{"dateline", "KYIV (AP) —", 5}};
    sift_doc *d = run_full(stage, bodies[EN], meta, N_OF(meta), NULL);
    expect_field(d, "dateline", "KYIV", "dateline in page_meta");
    sift_doc_destroy(&d);
}

static const line_case title_cases[] = {
    {"0\n12\n\nFloods close schools across the valley\n\nThe regional government closed every "
     "school in the valley on Monday after heavy rain flooded roads and bridges.\n",
     "Floods close schools across the valley"},
    {"Updated May 2, 2022 at 10:00 EDT\n\n“Floods close schools across the valley”\n\nThe "
     "regional government closed every school in the valley on Monday after heavy rain.\n",
     "Floods close schools across the valley"},
    {"The regional government closed every school in the valley on Monday after heavy rain "
     "flooded roads and bridges.\n",
     NULL},
    /* alt text and a caption with its credit are no headlines */
    {"[Children wading through a flooded lane]\n\nA flooded lane near the school on Monday "
     "Photo: Ana Ruiz / Valley Times\n\nFloods close schools across the valley\n\nThe "
     "regional government closed every school in the valley on Monday after heavy rain.\n",
     "Floods close schools across the valley"},
};

static void test_extract_finds_headlines(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(title_cases); i++) {
        sift_doc *d = run(title_cases[i].text);
        expect_field(d, "title", title_cases[i].want, title_cases[i].text);
        sift_doc_destroy(&d);
    }
    static const meta_line meta[] = {{"title", "'Floods close schools'", 1}};
    sift_doc *d = run_full(stage, bodies[EN], meta, N_OF(meta), NULL);
    expect_field(d, "title", "Floods close schools", "title in page_meta");
    sift_doc_destroy(&d);
    static const meta_line alt[] = {{"title", "[Children wading through a flooded lane]", 1}};
    d = run_full(stage, bodies[EN], alt, N_OF(alt), NULL);
    assert_null(harness_field(d, "title"));
    sift_doc_destroy(&d);
}

/* ---------------------------------------------------------------- language */

static void test_extract_tells_language(void **state)
{
    (void)state;
    static const struct {
        int lang;
        const char *code;
    } cases[] = {{EN, "en"}, {DE, "de"}, {FR, "fr"}, {ES, "es"}, {IT, "it"},
                 {PT, "pt"}, {NL, "nl"}, {RU, "ru"}, {JA, "ja"}};
    for (size_t i = 0; i < N_OF(cases); i++) {
        sift_doc *d = run(bodies[cases[i].lang]);
        expect_field(d, "language", cases[i].code, bodies[cases[i].lang]);
        sift_doc_destroy(&d);
    }
    sift_doc *d = run("Ok.");
    expect_field(d, "language", NULL, "Ok.");
    sift_doc_destroy(&d);
}

static void test_extract_refuses_missing_language_models(void **state)
{
    (void)state;
    sift_stage *st = NULL;
    sift_err err = {{0}};
    assert_true(harness_stage_try(&st, "extract", "languages = [\"xx\"];", &err) < 0);
    assert_non_null(strstr(err.msg, "languages"));
    assert_true(harness_stage_try(&st, "extract", "textcat_dir = \"/nonexistent\";", &err) < 0);
    assert_true(harness_stage_try(&st, "extract", "max_entities = -1;", &err) < 0);
    assert_null(st);
}

/* Generated text from pieces that trip parsers (digits, marks, quotes,
 * scripts), with odd page_meta and a bad fetched_at: the stage must
 * succeed, count code points exactly, and write valid field types. */
static void test_extract_survives_generated_text(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "By ",  "Published ", "2021", "-",   "09",   "/",           "13",         ":",    "07",
        " ",    "\n",         ".",    "“",   "”",    "\"",          "«",          "»",    "„",
        "「",   "」",         "年",   "月",  "日",   "令和",        "元",         "ago ", "vor ",
        "UTC+", "IST",        " ET",  "Mr.", "U.S.", "’s",          "Ж",          "日本", "é",
        "—",    "(",          ")",    "|",   "@",    "WASHINGTON:", "President ", "Joe ", "said ",
        "of ",  "9999999999", "0",    "PM",  "p.m.", "Z",           "+05:30"};
    static const meta_line meta[] = {{"date", "Updated 2021-13-45", -5},
                                     {"byline", "By", 1 << 30},
                                     {"title", "“", 0},
                                     {"nonsense", "x", 3}};
    unsigned seed = 12345;
    char text[4096];
    for (int round = 0; round < 300; round++) {
        size_t n = 0;
        int pieces_n = (int)(seed % 200);
        for (int k = 0; k < pieces_n; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % N_OF(pieces)];
            size_t len = strlen(p);
            if (n + len >= sizeof text)
                break;
            memcpy(text + n, p, len);
            n += len;
        }
        text[n] = '\0';
        sift_doc *d = run_full(stage, text, meta, (size_t)(round % 5), round % 2 ? "bad" : NULL);
        size_t cps = 0;
        for (size_t i = 0; i < n; i++)
            cps += ((unsigned char)text[i] & 0xC0) != 0x80;
        assert_int_equal(harness_field_int(d, "counts.chars"), (long long)cps);
        const sift_value *date = harness_field(d, "date");
        assert_true(!date || date->type == SIFT_T_STR);
        sift_doc_destroy(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_finds_publication_dates),
        cmocka_unit_test(test_extract_prefers_page_meta_date_lines_near_the_headline),
        cmocka_unit_test(test_extract_ignores_related_lists_in_page_meta),
        cmocka_unit_test(test_extract_finds_author_names_only),
        cmocka_unit_test(test_extract_reads_byline_from_page_meta_without_prefix),
        cmocka_unit_test(test_extract_ignores_names_inside_running_text),
        cmocka_unit_test(test_extract_finds_datelines),
        cmocka_unit_test(test_extract_reads_dateline_from_page_meta),
        cmocka_unit_test(test_extract_finds_headlines),
        cmocka_unit_test(test_extract_tells_language),
        cmocka_unit_test(test_extract_refuses_missing_language_models),
        cmocka_unit_test(test_extract_survives_generated_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
