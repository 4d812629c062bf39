/* log.c - the one logger: logfmt lines on stderr, quoted, bounded, rate-limited.
 *
 * Owns the line format (`ts level comp msg`, then the caller's context
 * keys), value quoting and escaping, value truncation, the level threshold
 * (SIFT_LOG_LEVEL, read on first use) and the per-message rate limit. Each
 * line leaves in one write(2), so lines from several processes sharing
 * stderr do not interleave. What to log and when is the callers' business.
 *
 * Rate limit: a (comp, msg) pair may log SIFT_LOG_BURST lines in a window
 * of SIFT_LOG_WINDOW_MS; further lines in that window are counted, not
 * written, and the pair's next written line carries suppressed=N.
 * SPDX-License-Identifier: MIT
 */
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xxhash.h>

#define SIFT_LOG_LINE_MAX (4096) /* bytes in one line, newline included */
#define SIFT_LOG_VALUE_MAX (256) /* bytes of one value kept before "..." */
#define SIFT_LOG_BURST (20)      /* lines of one (comp, msg) per window */
#define SIFT_LOG_WINDOW_MS (1000)
#define SIFT_LOG_SLOTS (64)      /* (comp, msg) pairs tracked at once */
#define SIFT_LOG_PROBE (4)       /* slots searched per pair */
#define SIFT_LOG_CUT_MARK " truncated=true"

/* ---------------------------------------------------------------- output buffer */

/* A bounded buffer that takes whole pieces or nothing: once a piece does
 * not fit, is_cut is set and later pieces are dropped too. */
typedef struct out {
    char *p;
    size_t len, cap; /* cap: bytes usable, not counting a terminator */
    int is_cut;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->is_cut || n > o->cap - o->len) {
        o->is_cut = 1;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void put_str(out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* ---------------------------------------------------------------- values */

/* Escape one byte sequence starting at s[0] (n bytes left) into esc; returns
 * the bytes consumed. Sets *needs_quote when the value must be quoted. */
static size_t escape_one(const unsigned char *s, size_t n, out *esc, int *needs_quote)
{
    char tmp[8];
    unsigned char c = s[0];
    if (c >= 0x80) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)n, &cp);
        if (k > 0 && cp > 0x9f) {
            put(esc, (const char *)s, (size_t)k);
            return (size_t)k;
        }
        *needs_quote = 1;
        if (k > 0) { /* C1 control character */
            snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
            put_str(esc, tmp);
            return (size_t)k;
        }
        snprintf(tmp, sizeof tmp, "\\x%02x", c); /* not UTF-8 */
        put_str(esc, tmp);
        return 1;
    }
    if (c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f)
        *needs_quote = 1;
    if (c == '"' || c == '\\') {
        tmp[0] = '\\', tmp[1] = (char)c, tmp[2] = '\0';
    } else if (c == '\n' || c == '\r' || c == '\t') {
        tmp[0] = '\\', tmp[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't', tmp[2] = '\0';
    } else if (c < ' ' || c == 0x7f) {
        snprintf(tmp, sizeof tmp, "\\u%04x", c);
    } else {
        tmp[0] = (char)c, tmp[1] = '\0';
    }
    put_str(esc, tmp);
    return 1;
}

/* Append s[0..n) as a logfmt value: truncated to SIFT_LOG_VALUE_MAX bytes
 * (on a character boundary, marked "..."), escaped, and quoted when it is
 * empty or holds a space, '=', a quote, a backslash or an escape. */
static void put_value(out *o, const char *s, size_t n, int force_quote)
{
    int is_long = n > SIFT_LOG_VALUE_MAX;
    if (is_long) {
        n = SIFT_LOG_VALUE_MAX;
        for (int back = 0; back < 3 && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; back++)
            n--;
    }
    char buf[SIFT_LOG_VALUE_MAX * 6 + 8];
    out esc = {.p = buf, .cap = sizeof buf};
    int needs_quote = force_quote || n == 0;
    for (size_t i = 0; i < n;)
        i += escape_one((const unsigned char *)s + i, n - i, &esc, &needs_quote);
    if (is_long)
        put_str(&esc, "...");
    if (needs_quote)
        put(o, "\"", 1);
    put(o, esc.p, esc.len);
    if (needs_quote)
        put(o, "\"", 1);
}

size_t sift_log_append_kv(char *buf, size_t len, size_t cap, const char *key, const char *value)
{
    if (!buf || cap == 0 || len >= cap)
        return len;
    out o = {.p = buf, .len = len, .cap = cap - 1};
    if (len > 0 && buf[len - 1] != ' ')
        put(&o, " ", 1);
    put_str(&o, key);
    put(&o, "=", 1);
    put_value(&o, value ? value : "", value ? strlen(value) : 0, 0);
    if (o.is_cut)
        o.len = len; /* all or nothing */
    buf[o.len] = '\0';
    return o.len;
}

/* ---------------------------------------------------------------- kvfmt */

/* One conversion of kvfmt, parsed. */
typedef struct conv {
    char flags[8];
    char length[3]; /* "", "hh", "h", "l", "ll", "z", "j", "t", "L" */
    char type;      /* conversion character */
    int width, prec; /* -1 when not given */
} conv;

/* Parse the conversion after '%' at *pp; reads '*' arguments from ap. */
static void conv_parse(const char **pp, conv *c, va_list *ap)
{
    const char *p = *pp;
    size_t nf = 0;
    memset(c, 0, sizeof(*c));
    c->width = c->prec = -1;
    while (*p && strchr("-+ #0", *p) && nf < sizeof(c->flags) - 1)
        c->flags[nf++] = *p++;
    if (*p == '*') {
        c->width = va_arg(*ap, int), p++;
    } else if (*p >= '0' && *p <= '9') {
        for (c->width = 0; *p >= '0' && *p <= '9'; p++)
            c->width = c->width * 10 + (*p - '0');
    }
    if (*p == '.') {
        p++;
        if (*p == '*') {
            c->prec = va_arg(*ap, int), p++;
        } else {
            for (c->prec = 0; *p >= '0' && *p <= '9'; p++)
                c->prec = c->prec * 10 + (*p - '0');
        }
    }
    size_t nl = 0;
    while (*p && strchr("hlzjtL", *p) && nl < sizeof(c->length) - 1)
        c->length[nl++] = *p++;
    c->type = *p ? *p++ : '\0';
    *pp = p;
}

/* Format an integer conversion with the argument type its length names. */
static int fmt_int(char *buf, size_t cap, const char *spec, const conv *c, va_list *ap)
{
    int is_signed = c->type == 'd' || c->type == 'i';
    const char *l = c->length;
    int w = c->width < 0 ? 0 : c->width, p = c->prec;
    if (!strcmp(l, "ll"))
        return is_signed ? snprintf(buf, cap, spec, w, p, va_arg(*ap, long long))
                         : snprintf(buf, cap, spec, w, p, va_arg(*ap, unsigned long long));
    if (!strcmp(l, "l"))
        return is_signed ? snprintf(buf, cap, spec, w, p, va_arg(*ap, long))
                         : snprintf(buf, cap, spec, w, p, va_arg(*ap, unsigned long));
    if (!strcmp(l, "z"))
        return is_signed ? snprintf(buf, cap, spec, w, p, va_arg(*ap, ssize_t))
                         : snprintf(buf, cap, spec, w, p, va_arg(*ap, size_t));
    if (!strcmp(l, "j"))
        return is_signed ? snprintf(buf, cap, spec, w, p, va_arg(*ap, intmax_t))
                         : snprintf(buf, cap, spec, w, p, va_arg(*ap, uintmax_t));
    if (!strcmp(l, "t"))
        return snprintf(buf, cap, spec, w, p, va_arg(*ap, ptrdiff_t));
    /* "", "h", "hh": promoted to int */
    return is_signed ? snprintf(buf, cap, spec, w, p, va_arg(*ap, int))
                     : snprintf(buf, cap, spec, w, p, va_arg(*ap, unsigned));
}

/* Append one parsed conversion's value. Returns 0, or -1 for a conversion
 * this logger does not know (the walk must stop: the argument types after
 * it are unknowable). */
static int put_conv(out *o, const conv *c, va_list *ap)
{
    char spec[24], num[128];
    int n = -1;
    snprintf(spec, sizeof spec, "%%%s*.*%s%c", c->flags, c->length, c->type);
    switch (c->type) {
    case 's': {
        const char *s = va_arg(*ap, const char *);
        size_t len = !s ? 0 : c->prec >= 0 ? strnlen(s, (size_t)c->prec) : strlen(s);
        put_value(o, s ? s : "", len, 0);
        return 0;
    }
    case 'c': {
        char ch = (char)va_arg(*ap, int);
        put_value(o, &ch, 1, 0);
        return 0;
    }
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
        n = fmt_int(num, sizeof num, spec, c, ap);
        break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
        n = !strcmp(c->length, "L")
                ? snprintf(num, sizeof num, spec, c->width < 0 ? 0 : c->width, c->prec,
                           va_arg(*ap, long double))
                : snprintf(num, sizeof num, spec, c->width < 0 ? 0 : c->width, c->prec,
                           va_arg(*ap, double));
        break;
    case 'p':
        n = snprintf(num, sizeof num, "%p", va_arg(*ap, void *));
        break;
    default:
        put_str(o, "%!");
        return -1;
    }
    if (n > 0)
        put(o, num, (size_t)n < sizeof num ? (size_t)n : sizeof num - 1);
    return 0;
}

/* Walk kvfmt: literal text (the keys) is copied, each conversion formatted. */
static void put_kv(out *o, const char *kvfmt, va_list *ap)
{
    const char *p = kvfmt;
    while (*p) {
        const char *lit = strchr(p, '%');
        size_t n = lit ? (size_t)(lit - p) : strlen(p);
        put(o, p, n);
        p += n;
        if (!*p)
            break;
        if (p[1] == '%') {
            put(o, "%", 1);
            p += 2;
            continue;
        }
        conv c;
        p++;
        conv_parse(&p, &c, ap);
        if (put_conv(o, &c, ap) < 0)
            break;
    }
}

/* ---------------------------------------------------------------- level */

static atomic_int log_level = SIFT_LOG_INFO;
static pthread_once_t level_once = PTHREAD_ONCE_INIT;

static void level_from_env(void)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    const char *env = getenv("SIFT_LOG_LEVEL");
    if (!env)
        return;
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(env, names[i]) == 0)
            atomic_store(&log_level, SIFT_LOG_DEBUG + i);
    }
}

void sift_log_set_level(int level)
{
    pthread_once(&level_once, level_from_env);
    if (level < SIFT_LOG_DEBUG)
        level = SIFT_LOG_DEBUG;
    if (level > SIFT_LOG_ERROR)
        level = SIFT_LOG_ERROR;
    atomic_store(&log_level, level);
}

int sift_log_level(void)
{
    pthread_once(&level_once, level_from_env);
    return atomic_load(&log_level);
}

static const char *level_name(int level)
{
    switch (level) {
    case SIFT_LOG_DEBUG:
        return "debug";
    case SIFT_LOG_WARN:
        return "warn";
    case SIFT_LOG_ERROR:
        return "error";
    default:
        return "info";
    }
}

/* ---------------------------------------------------------------- rate limit */

typedef struct rate_slot {
    uint64_t key;       /* hash of (comp, msg); 0 = free */
    uint64_t start_ms;  /* start of the current window */
    uint32_t n_window;  /* lines of this pair in the window, written or not */
    uint32_t n_suppressed;
} rate_slot;

static pthread_mutex_t rate_mu = PTHREAD_MUTEX_INITIALIZER;
static rate_slot rate_slots[SIFT_LOG_SLOTS];

static uint64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t (*rate_clock)(void) = monotonic_ms;

void sift_log_set_clock(uint64_t (*now_ms)(void))
{
    pthread_mutex_lock(&rate_mu);
    rate_clock = now_ms ? now_ms : monotonic_ms;
    memset(rate_slots, 0, sizeof(rate_slots));
    pthread_mutex_unlock(&rate_mu);
}

/* The slot of key: its own, else a free one, else the one whose window
 * started longest ago (its suppressed count is lost). */
static rate_slot *rate_slot_of(uint64_t key)
{
    rate_slot *pick = NULL;
    for (size_t i = 0; i < SIFT_LOG_PROBE; i++) {
        rate_slot *s = &rate_slots[(key + i) % SIFT_LOG_SLOTS];
        if (s->key == key)
            return s;
        if (!pick || (pick->key != 0 && (s->key == 0 || s->start_ms < pick->start_ms)))
            pick = s;
    }
    *pick = (rate_slot){.key = key};
    return pick;
}

/* 1 if this line may be written; then *suppressed holds the count of
 * lines of the same pair left out since the last written one. */
static int rate_admit(const char *comp, const char *msg, uint32_t *suppressed)
{
    uint64_t key = XXH64(msg, strlen(msg), XXH64(comp, strlen(comp), 0));
    key = key ? key : 1;
    int ok = 1;
    pthread_mutex_lock(&rate_mu);
    uint64_t now = rate_clock();
    rate_slot *s = rate_slot_of(key);
    if (s->n_window == 0 || now - s->start_ms >= SIFT_LOG_WINDOW_MS) {
        s->start_ms = now;
        s->n_window = 0;
    }
    if (++s->n_window > SIFT_LOG_BURST) {
        s->n_suppressed++;
        ok = 0;
    } else {
        *suppressed = s->n_suppressed;
        s->n_suppressed = 0;
    }
    pthread_mutex_unlock(&rate_mu);
    return ok;
}

/* ---------------------------------------------------------------- lines */

static void put_timestamp(out *o)
{
    struct timespec ts;
    struct tm tm;
    char buf[40];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, sizeof buf, "ts=%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, sizeof buf - n, ".%03ldZ", ts.tv_nsec / 1000000L);
    put_str(o, buf);
}

static void write_line(const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* stderr gone: nowhere left to report it */
        p += n;
        len -= (size_t)n;
    }
}

void sift_logv(int level, const char *comp, const char *msg, const char *kvfmt, va_list ap)
{
    uint32_t suppressed = 0;
    if (level < sift_log_level())
        return;
    comp = comp ? comp : "";
    msg = msg ? msg : "";
    if (!rate_admit(comp, msg, &suppressed))
        return;

    char buf[SIFT_LOG_LINE_MAX];
    /* Keep room for the cut mark and the newline, whatever happens before. */
    out o = {.p = buf, .cap = sizeof buf - sizeof(SIFT_LOG_CUT_MARK) - 1};
    put_timestamp(&o);
    put_str(&o, " level=");
    put_str(&o, level_name(level));
    put_str(&o, " comp=");
    put_value(&o, comp, strlen(comp), 0);
    put_str(&o, " msg=");
    put_value(&o, msg, strlen(msg), 1);
    if (kvfmt && *kvfmt) {
        va_list aq;
        va_copy(aq, ap);
        put(&o, " ", 1);
        put_kv(&o, kvfmt, &aq);
        va_end(aq);
    }
    if (suppressed) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, " suppressed=%u", (unsigned)suppressed);
        put_str(&o, tmp);
    }
    if (o.is_cut) {
        memcpy(buf + o.len, SIFT_LOG_CUT_MARK, sizeof(SIFT_LOG_CUT_MARK) - 1);
        o.len += sizeof(SIFT_LOG_CUT_MARK) - 1;
    }
    buf[o.len++] = '\n';
    write_line(buf, o.len);
}

void sift_log(int level, const char *comp, const char *msg, const char *kvfmt, ...)
{
    va_list ap;
    va_start(ap, kvfmt);
    sift_logv(level, comp, msg, kvfmt, ap);
    va_end(ap);
}
