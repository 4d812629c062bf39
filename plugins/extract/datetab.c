/* datetab.c - the words dates are written with, in the nine languages the extract stage reads.
 *
 * Plain tables and their lookups: month names (full, abbreviated, Russian
 * genitive), time-zone abbreviations with their offsets and daylight-saving
 * rule, the "Published"/"Updated" labels, and the units and words of
 * relative dates ("3 hours ago", "vor 2 Stunden", "вчера"). Words are
 * matched lower-cased. Tokenising and parsing live in dateparse.c, the
 * choice of the publication date in date.c.
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "extract.h"

typedef struct named {
    const char *w;
    int v;
} named;

static const named months[] = {
    /* en */
    {"january", 1}, {"jan", 1}, {"february", 2}, {"feb", 2}, {"march", 3}, {"mar", 3},
    {"april", 4}, {"apr", 4}, {"may", 5}, {"june", 6}, {"jun", 6}, {"july", 7}, {"jul", 7},
    {"august", 8}, {"aug", 8}, {"september", 9}, {"sep", 9}, {"sept", 9}, {"october", 10},
    {"oct", 10}, {"november", 11}, {"nov", 11}, {"december", 12}, {"dec", 12},
    /* de */
    {"januar", 1}, {"jänner", 1}, {"jän", 1}, {"februar", 2}, {"märz", 3}, {"mär", 3},
    {"mai", 5}, {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"okt", 10}, {"dezember", 12},
    {"dez", 12},
    /* fr */
    {"janvier", 1}, {"janv", 1}, {"février", 2}, {"févr", 2}, {"fév", 2}, {"mars", 3},
    {"avril", 4}, {"avr", 4}, {"juin", 6}, {"juillet", 7}, {"juil", 7}, {"août", 8},
    {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"décembre", 12}, {"déc", 12},
    /* es */
    {"enero", 1}, {"ene", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"abr", 4},
    {"mayo", 5}, {"junio", 6}, {"julio", 7}, {"agosto", 8}, {"ago", 8}, {"septiembre", 9},
    {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12}, {"dic", 12},
    /* it */
    {"gennaio", 1}, {"gen", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"mag", 5},
    {"giugno", 6}, {"giu", 6}, {"luglio", 7}, {"lug", 7}, {"settembre", 9}, {"set", 9},
    {"ottobre", 10}, {"ott", 10}, {"dicembre", 12},
    /* pt */
    {"janeiro", 1}, {"fevereiro", 2}, {"fev", 2}, {"março", 3}, {"maio", 5}, {"junho", 6},
    {"julho", 7}, {"setembro", 9}, {"outubro", 10}, {"out", 10}, {"novembro", 11},
    {"dezembro", 12},
    /* nl */
    {"januari", 1}, {"februari", 2}, {"maart", 3}, {"mrt", 3}, {"mei", 5}, {"augustus", 8},
    /* ru, nominative and genitive */
    {"январь", 1}, {"января", 1}, {"янв", 1}, {"февраль", 2}, {"февраля", 2}, {"фев", 2},
    {"март", 3}, {"марта", 3}, {"мар", 3}, {"апрель", 4}, {"апреля", 4}, {"апр", 4},
    {"май", 5}, {"мая", 5}, {"июнь", 6}, {"июня", 6}, {"июн", 6}, {"июль", 7}, {"июля", 7},
    {"июл", 7}, {"август", 8}, {"августа", 8}, {"авг", 8}, {"сентябрь", 9},
    {"сентября", 9}, {"сен", 9}, {"сент", 9}, {"октябрь", 10}, {"октября", 10}, {"окт", 10},
    {"ноябрь", 11}, {"ноября", 11}, {"ноя", 11}, {"нояб", 11}, {"декабрь", 12},
    {"декабря", 12}, {"дек", 12},
};

/* rule: 0 fixed; 1 US daylight saving on top of the standard offset; 2 EU. */
typedef struct zone {
    const char *w;
    int off, rule;
} zone;

static const zone zones[] = {
    {"utc", 0, 0},      {"gmt", 0, 0},     {"ist", 330, 0},   {"pkt", 300, 0},
    {"bst", 60, 0},     {"cet", 60, 0},    {"cest", 120, 0},  {"mez", 60, 0},
    {"mesz", 120, 0},   {"wet", 0, 0},     {"west", 60, 0},   {"eet", 120, 0},
    {"eest", 180, 0},   {"msk", 180, 0},   {"мск", 180, 0},   {"est", -300, 0},
    {"edt", -240, 0},   {"cst", -360, 0},  {"cdt", -300, 0},  {"mst", -420, 0},
    {"mdt", -360, 0},   {"pst", -480, 0},  {"pdt", -420, 0},  {"akst", -540, 0},
    {"akdt", -480, 0},  {"hst", -600, 0},  {"et", -300, 1},   {"ct", -360, 1},
    {"mt", -420, 1},    {"pt", -480, 1},   {"uk", 0, 2},      {"jst", 540, 0},
    {"kst", 540, 0},    {"hkt", 480, 0},   {"sgt", 480, 0},   {"pht", 480, 0},
    {"awst", 480, 0},   {"acst", 570, 0},  {"aest", 600, 0},  {"aedt", 660, 0},
    {"nzst", 720, 0},   {"nzdt", 780, 0},  {"wib", 420, 0},   {"ict", 420, 0},
    {"npt", 345, 0},    {"gst", 240, 0},   {"eat", 180, 0},   {"cat", 120, 0},
    {"wat", 60, 0},     {"sast", 120, 0},  {"art", -180, 0},  {"brt", -180, 0},
    {"trt", 180, 0},    {"irst", 210, 0},  {"aft", 270, 0},   {"bdt", 360, 0},
};

/* Labels, as space-separated tokens (punctuation is a token of its own;
 * CJK characters are one token each, written without spaces). Longest
 * first within a kind does not matter: the matcher tries every entry and
 * keeps the longest match. */
static const char *const published[] = {
    "published", "published on", "first published", "originally published", "posted",
    "posted on", "original", "publication date", "date published", "publish date",
    "released", "veröffentlicht", "veröffentlicht am", "erstveröffentlichung", "erschienen",
    "erschienen am", "publiziert", "publiziert am", "publié", "publié le", "paru le",
    "publicado", "publicado el", "publicado em", "publicada", "publicada em", "pubblicato",
    "pubblicato il", "pubblicata", "gepubliceerd", "gepubliceerd op", "geplaatst",
    "geplaatst op", "опубликовано", "опубликован", "дата публикации", "公開日", "公開",
    "投稿日", "掲載日", "配信日", "配信", "作成日", "发布时间", "發布", "发布",
};

static const char *const updated[] = {
    "updated", "last updated", "updated on", "modified", "last modified", "aktualisiert",
    "aktualisiert am", "zuletzt aktualisiert", "stand", "mis à jour", "mis à jour le",
    "modifié", "modifié le", "actualisé", "actualisé le", "actualizado", "actualizado el",
    "actualizada", "atualizado", "atualizado em", "atualizada", "aggiornato",
    "aggiornato il", "ultimo aggiornamento", "bijgewerkt", "laatst bijgewerkt",
    "gewijzigd", "обновлено", "обновлен", "изменено", "更新日", "更新", "最終更新",
};

/* Relative units in minutes; a day and more is kept to the day. */
static const named units[] = {
    {"minute", 1},    {"minutes", 1},   {"min", 1},       {"mins", 1},      {"minuten", 1},
    {"minuto", 1},    {"minuti", 1},    {"minutos", 1},   {"minuut", 1},    {"минуту", 1},
    {"минуты", 1},    {"минут", 1},     {"мин", 1},       {"hour", 60},     {"hours", 60},
    {"hr", 60},       {"hrs", 60},      {"h", 60},        {"std", 60},      {"stunde", 60},
    {"stunden", 60},  {"heure", 60},    {"heures", 60},   {"hora", 60},     {"horas", 60},
    {"ora", 60},      {"ore", 60},      {"uur", 60},      {"час", 60},      {"часа", 60},
    {"часов", 60},    {"day", 1440},    {"days", 1440},   {"tag", 1440},    {"tage", 1440},
    {"tagen", 1440},  {"jour", 1440},   {"jours", 1440},  {"día", 1440},    {"días", 1440},
    {"dia", 1440},    {"dias", 1440},   {"giorno", 1440}, {"giorni", 1440}, {"dag", 1440},
    {"dagen", 1440},  {"день", 1440},   {"дня", 1440},    {"дней", 1440},   {"week", 10080},
    {"weeks", 10080}, {"woche", 10080}, {"wochen", 10080}, {"semaine", 10080},
    {"semaines", 10080}, {"semana", 10080}, {"semanas", 10080}, {"settimana", 10080},
    {"settimane", 10080}, {"weken", 10080}, {"неделю", 10080}, {"недели", 10080},
    {"недель", 10080},
};

static const char *const weekdays[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "montag", "dienstag",
    "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes", "miércoles", "jueves",
    "viernes", "sábado", "domingo", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì",
    "sabato", "segunda", "terça", "quarta", "quinta", "sexta", "maandag", "dinsdag", "woensdag",
    "donderdag", "vrijdag", "zaterdag", "zondag", "понедельник", "вторник", "среда", "четверг",
    "пятница", "суббота", "воскресенье",
};

/* Words for one: "an hour ago", "vor einer Stunde", "il y a une heure". */
static const char *const ones[] = {"a", "an", "one", "ein", "eine", "einer", "einem", "un",
                                   "une", "una", "uno", "um", "uma", "een"};

/* Days back: yesterday 1, today 0. */
static const named day_words[] = {
    {"yesterday", 1}, {"gestern", 1}, {"ayer", 1},  {"ieri", 1},   {"ontem", 1},
    {"gisteren", 1},  {"вчера", 1},   {"昨日", 1},  {"today", 0},  {"heute", 0},
    {"hoy", 0},       {"oggi", 0},    {"hoje", 0},  {"vandaag", 0}, {"сегодня", 0},
    {"今日", 0},      {"hier", 1},    {"aujourd ' hui", 0},
};

static int find_named(const named *t, size_t n, const char *w, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(t[i].w) == len && memcmp(t[i].w, w, len) == 0)
            return t[i].v;
    return -1;
}

int sift_datetab_month(const char *w, size_t n)
{
    int v = find_named(months, sizeof months / sizeof months[0], w, n);
    return v < 0 ? 0 : v;
}

int sift_datetab_zone(const char *w, size_t n, int *off_min, int *rule)
{
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strlen(zones[i].w) == n && memcmp(zones[i].w, w, n) == 0) {
            *off_min = zones[i].off;
            *rule = zones[i].rule;
            return 1;
        }
    return 0;
}

int sift_datetab_unit(const char *w, size_t n)
{
    return find_named(units, sizeof units / sizeof units[0], w, n);
}

int sift_datetab_is_one(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof ones / sizeof ones[0]; i++)
        if (strlen(ones[i]) == n && memcmp(ones[i], w, n) == 0)
            return 1;
    return 0;
}

int sift_datetab_weekday(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof weekdays / sizeof weekdays[0]; i++)
        if (strlen(weekdays[i]) == n && memcmp(weekdays[i], w, n) == 0)
            return 1;
    return 0;
}

const char *sift_datetab_label(int kind, size_t i)
{
    if (kind == 1)
        return i < sizeof published / sizeof published[0] ? published[i] : NULL;
    return i < sizeof updated / sizeof updated[0] ? updated[i] : NULL;
}

const char *sift_datetab_day_word(size_t i, int *days_back)
{
    if (i >= sizeof day_words / sizeof day_words[0])
        return NULL;
    *days_back = day_words[i].v;
    return day_words[i].w;
}
