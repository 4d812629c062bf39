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
    size_t n;
    int v;
} named;

/* An entry with its length, so lookups compare lengths before bytes. */
#define N(w, v)                                                                                    \
    {                                                                                              \
        w, sizeof(w) - 1, v                                                                        \
    }

static const named months[] = {
    /* en */
    N("january", 1),
    N("jan", 1),
    N("february", 2),
    N("feb", 2),
    N("march", 3),
    N("mar", 3),
    N("april", 4),
    N("apr", 4),
    N("may", 5),
    N("june", 6),
    N("jun", 6),
    N("july", 7),
    N("jul", 7),
    N("august", 8),
    N("aug", 8),
    N("september", 9),
    N("sep", 9),
    N("sept", 9),
    N("october", 10),
    N("oct", 10),
    N("november", 11),
    N("nov", 11),
    N("december", 12),
    N("dec", 12),
    /* de */
    N("januar", 1),
    N("jänner", 1),
    N("jän", 1),
    N("februar", 2),
    N("märz", 3),
    N("mär", 3),
    N("mai", 5),
    N("juni", 6),
    N("juli", 7),
    N("oktober", 10),
    N("okt", 10),
    N("dezember", 12),
    N("dez", 12),
    /* fr */
    N("janvier", 1),
    N("janv", 1),
    N("février", 2),
    N("févr", 2),
    N("fév", 2),
    N("mars", 3),
    N("avril", 4),
    N("avr", 4),
    N("juin", 6),
    N("juillet", 7),
    N("juil", 7),
    N("août", 8),
    N("septembre", 9),
    N("octobre", 10),
    N("novembre", 11),
    N("décembre", 12),
    N("déc", 12),
    /* es */
    N("enero", 1),
    N("ene", 1),
    N("febrero", 2),
    N("marzo", 3),
    N("abril", 4),
    N("abr", 4),
    N("mayo", 5),
    N("junio", 6),
    N("julio", 7),
    N("agosto", 8),
    N("ago", 8),
    N("septiembre", 9),
    N("setiembre", 9),
    N("octubre", 10),
    N("noviembre", 11),
    N("diciembre", 12),
    N("dic", 12),
    /* it */
    N("gennaio", 1),
    N("gen", 1),
    N("febbraio", 2),
    N("aprile", 4),
    N("maggio", 5),
    N("mag", 5),
    N("giugno", 6),
    N("giu", 6),
    N("luglio", 7),
    N("lug", 7),
    N("settembre", 9),
    N("set", 9),
    N("ottobre", 10),
    N("ott", 10),
    N("dicembre", 12),
    /* pt */
    N("janeiro", 1),
    N("fevereiro", 2),
    N("fev", 2),
    N("março", 3),
    N("maio", 5),
    N("junho", 6),
    N("julho", 7),
    N("setembro", 9),
    N("outubro", 10),
    N("out", 10),
    N("novembro", 11),
    N("dezembro", 12),
    /* nl */
    N("januari", 1),
    N("februari", 2),
    N("maart", 3),
    N("mrt", 3),
    N("mei", 5),
    N("augustus", 8),
    /* ru, nominative and genitive */
    N("январь", 1),
    N("января", 1),
    N("янв", 1),
    N("февраль", 2),
    N("февраля", 2),
    N("фев", 2),
    N("март", 3),
    N("марта", 3),
    N("мар", 3),
    N("апрель", 4),
    N("апреля", 4),
    N("апр", 4),
    N("май", 5),
    N("мая", 5),
    N("июнь", 6),
    N("июня", 6),
    N("июн", 6),
    N("июль", 7),
    N("июля", 7),
    N("июл", 7),
    N("август", 8),
    N("августа", 8),
    N("авг", 8),
    N("сентябрь", 9),
    N("сентября", 9),
    N("сен", 9),
    N("сент", 9),
    N("октябрь", 10),
    N("октября", 10),
    N("окт", 10),
    N("ноябрь", 11),
    N("ноября", 11),
    N("ноя", 11),
    N("нояб", 11),
    N("декабрь", 12),
    N("декабря", 12),
    N("дек", 12),
};

/* rule: 0 fixed; 1 US daylight saving on top of the standard offset; 2 EU. */
typedef struct zone {
    const char *w;
    int off, rule;
} zone;

static const zone zones[] = {
    {"utc", 0, 0},    {"gmt", 0, 0},    {"ist", 330, 0},  {"pkt", 300, 0},   {"bst", 60, 0},
    {"cet", 60, 0},   {"cest", 120, 0}, {"mez", 60, 0},   {"mesz", 120, 0},  {"wet", 0, 0},
    {"west", 60, 0},  {"eet", 120, 0},  {"eest", 180, 0}, {"msk", 180, 0},   {"мск", 180, 0},
    {"est", -300, 0}, {"edt", -240, 0}, {"cst", -360, 0}, {"cdt", -300, 0},  {"mst", -420, 0},
    {"mdt", -360, 0}, {"pst", -480, 0}, {"pdt", -420, 0}, {"akst", -540, 0}, {"akdt", -480, 0},
    {"hst", -600, 0}, {"et", -300, 1},  {"ct", -360, 1},  {"mt", -420, 1},   {"pt", -480, 1},
    {"uk", 0, 2},     {"jst", 540, 0},  {"kst", 540, 0},  {"hkt", 480, 0},   {"sgt", 480, 0},
    {"pht", 480, 0},  {"awst", 480, 0}, {"acst", 570, 0}, {"aest", 600, 0},  {"aedt", 660, 0},
    {"nzst", 720, 0}, {"nzdt", 780, 0}, {"wib", 420, 0},  {"ict", 420, 0},   {"npt", 345, 0},
    {"gst", 240, 0},  {"eat", 180, 0},  {"cat", 120, 0},  {"wat", 60, 0},    {"sast", 120, 0},
    {"art", -180, 0}, {"brt", -180, 0}, {"trt", 180, 0},  {"irst", 210, 0},  {"aft", 270, 0},
    {"bdt", 360, 0},
};

/* Labels, as space-separated tokens (punctuation is a token of its own;
 * CJK characters are one token each, written without spaces). Longest
 * first within a kind does not matter: the matcher tries every entry and
 * keeps the longest match. */
static const char *const published[] = {
    "published",
    "published on",
    "first published",
    "originally published",
    "posted",
    "posted on",
    "original",
    "publication date",
    "date published",
    "publish date",
    "released",
    "veröffentlicht",
    "veröffentlicht am",
    "erstveröffentlichung",
    "erschienen",
    "erschienen am",
    "publiziert",
    "publiziert am",
    "publié",
    "publié le",
    "paru le",
    "publicado",
    "publicado el",
    "publicado em",
    "publicada",
    "publicada em",
    "pubblicato",
    "pubblicato il",
    "pubblicata",
    "gepubliceerd",
    "gepubliceerd op",
    "geplaatst",
    "geplaatst op",
    "опубликовано",
    "опубликован",
    "дата публикации",
    "公開日",
    "公開",
    "投稿日",
    "掲載日",
    "配信日",
    "配信",
    "作成日",
    "发布时间",
    "發布",
    "发布",
};

static const char *const updated[] = {
    "updated",        "last updated",      "updated on",      "modified",
    "last modified",  "aktualisiert",      "aktualisiert am", "zuletzt aktualisiert",
    "stand",          "mis à jour",        "mis à jour le",   "modifié",
    "modifié le",     "actualisé",         "actualisé le",    "actualizado",
    "actualizado el", "actualizada",       "atualizado",      "atualizado em",
    "atualizada",     "aggiornato",        "aggiornato il",   "ultimo aggiornamento",
    "bijgewerkt",     "laatst bijgewerkt", "gewijzigd",       "обновлено",
    "обновлен",       "изменено",          "更新日",          "更新",
    "最終更新",
};

/* Relative units in minutes; a day and more is kept to the day. */
static const named units[] = {
    N("minute", 1),        N("minutes", 1),       N("min", 1),
    N("mins", 1),          N("minuten", 1),       N("minuto", 1),
    N("minuti", 1),        N("minutos", 1),       N("minuut", 1),
    N("минуту", 1),        N("минуты", 1),        N("минут", 1),
    N("мин", 1),           N("hour", 60),         N("hours", 60),
    N("hr", 60),           N("hrs", 60),          N("h", 60),
    N("std", 60),          N("stunde", 60),       N("stunden", 60),
    N("heure", 60),        N("heures", 60),       N("hora", 60),
    N("horas", 60),        N("ora", 60),          N("ore", 60),
    N("uur", 60),          N("час", 60),          N("часа", 60),
    N("часов", 60),        N("day", 1440),        N("days", 1440),
    N("tag", 1440),        N("tage", 1440),       N("tagen", 1440),
    N("jour", 1440),       N("jours", 1440),      N("día", 1440),
    N("días", 1440),       N("dia", 1440),        N("dias", 1440),
    N("giorno", 1440),     N("giorni", 1440),     N("dag", 1440),
    N("dagen", 1440),      N("день", 1440),       N("дня", 1440),
    N("дней", 1440),       N("week", 10080),      N("weeks", 10080),
    N("woche", 10080),     N("wochen", 10080),    N("semaine", 10080),
    N("semaines", 10080),  N("semana", 10080),    N("semanas", 10080),
    N("settimana", 10080), N("settimane", 10080), N("weken", 10080),
    N("неделю", 10080),    N("недели", 10080),    N("недель", 10080),
};

static const char *const weekdays[] = {
    "monday",      "tuesday", "wednesday", "thursday",  "friday",   "saturday",  "sunday",
    "mon",         "tue",     "tues",      "wed",       "thu",      "thur",      "thurs",
    "fri",         "sat",     "sun",       "montag",    "dienstag", "mittwoch",  "donnerstag",
    "freitag",     "samstag", "sonntag",   "lundi",     "mardi",    "mercredi",  "jeudi",
    "vendredi",    "samedi",  "dimanche",  "lunes",     "martes",   "miércoles", "jueves",
    "viernes",     "sábado",  "domingo",   "lunedì",    "martedì",  "mercoledì", "giovedì",
    "venerdì",     "sabato",  "segunda",   "terça",     "quarta",   "quinta",    "sexta",
    "maandag",     "dinsdag", "woensdag",  "donderdag", "vrijdag",  "zaterdag",  "zondag",
    "понедельник", "вторник", "среда",     "четверг",   "пятница",  "суббота",   "воскресенье",
};

/* Words for one: "an hour ago", "vor einer Stunde", "il y a une heure". */
static const char *const ones[] = {"a",  "an",  "one", "ein", "eine", "einer", "einem",
                                   "un", "une", "una", "uno", "um",   "uma",   "een"};

/* Days back: yesterday 1, today 0. */
static const named day_words[] = {
    N("yesterday", 1), N("gestern", 1), N("ayer", 1),          N("ieri", 1),    N("ontem", 1),
    N("gisteren", 1),  N("вчера", 1),   N("昨日", 1),          N("today", 0),   N("heute", 0),
    N("hoy", 0),       N("oggi", 0),    N("hoje", 0),          N("vandaag", 0), N("сегодня", 0),
    N("今日", 0),      N("hier", 1),    N("aujourd ' hui", 0),
};

static int find_named(const named *t, size_t n, const char *w, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].n == len && memcmp(t[i].w, w, len) == 0)
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

const char *sift_datetab_label(int kind, size_t i)
{
    if (kind == 1)
        return i < sizeof published / sizeof published[0] ? published[i] : NULL;
    return i < sizeof updated / sizeof updated[0] ? updated[i] : NULL;
}

const char *sift_datetab_calendar_word(size_t i)
{
    size_t nm = sizeof months / sizeof months[0], nw = sizeof weekdays / sizeof weekdays[0];
    if (i < nm)
        return months[i].w;
    if (i - nm < nw)
        return weekdays[i - nm];
    i -= nm + nw;
    return i < sizeof zones / sizeof zones[0] ? zones[i].w : NULL;
}

const char *sift_datetab_day_word(size_t i, int *days_back)
{
    if (i >= sizeof day_words / sizeof day_words[0])
        return NULL;
    *days_back = day_words[i].v;
    return day_words[i].w;
}
