/* test_log.c - logfmt lines, quoting, limits and rate limiting (lib/log.c).
 *
 * stderr is redirected to a temp file around each call, and the captured
 * lines are compared exactly (after the timestamp, which is matched by
 * pattern). The rate limiter runs on a fake clock, so no test sleeps. The
 * SIFT_LOG_LEVEL test re-runs this binary with the variable set, because
 * the logger reads it once per process.
 * SPDX-License-Identifier: MIT
 */
#include <regex.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/* How to run this binary again: argv[0] when it is a path (it is under
 * ctest, and stays right under valgrind, unlike /proc/self/exe). */
static const char *self_path = "/proc/self/exe";

/* ---------------------------------------------------------------- capture */

static char capture_path[64];
static int saved_stderr = -1;

static void capture_begin(void)
{
    snprintf(capture_path, sizeof capture_path, "/tmp/sift-test-log-XXXXXX");
    int fd = mkstemp(capture_path);
    assert_true(fd >= 0);
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);
    close(fd);
}

/* What was written since capture_begin; caller frees. */
static char *capture_end(void)
{
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    FILE *f = fopen(capture_path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    unlink(capture_path);
    return buf;
}

/* The part of a single captured line after "ts=... ", newline stripped. */
static char *after_ts(char *line)
{
    char *sp = strchr(line, ' ');
    assert_non_null(sp);
    char *nl = strchr(sp, '\n');
    assert_non_null(nl);
    assert_int_equal(nl[1], '\0'); /* exactly one line */
    *nl = '\0';
    return sp + 1;
}

#define EXPECT_LOG(want, ...)                                                                      \
    do {                                                                                           \
        capture_begin();                                                                           \
        sift_log(__VA_ARGS__);                                                                     \
        char *got_ = capture_end();                                                                \
        assert_string_equal(after_ts(got_), want);                                                 \
        free(got_);                                                                                \
    } while (0)

static int count_lines(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static uint64_t fake_now = 5000;
static uint64_t fake_clock(void)
{
    return fake_now;
}

static int reset_logger(void **state)
{
    (void)state;
    sift_log_set_level(SIFT_LOG_DEBUG);
    sift_log_set_clock(fake_clock);
    return 0;
}

/* ---------------------------------------------------------------- lines */

static void test_log_line_has_ts_level_comp_and_quoted_msg(void **state)
{
    (void)state;
    regex_t re;
    capture_begin();
    sift_log(SIFT_LOG_INFO, "loader", "plugin loaded", "file=%s", "plugins/clean.so");
    char *got = capture_end();
    static const char pattern[] = "^ts=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                                  "\\.[0-9]{3}Z level=info comp=loader msg=\"plugin loaded\" "
                                  "file=plugins/clean.so\n$";
    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    if (regexec(&re, got, 0, NULL, 0) != 0)
        fail_msg("unexpected line: %s", got);
    regfree(&re);
    free(got);
}

static void test_log_writes_each_level_name(void **state)
{
    (void)state;
    EXPECT_LOG("level=debug comp=x msg=\"m\"", SIFT_LOG_DEBUG, "x", "m", NULL);
    EXPECT_LOG("level=warn comp=x msg=\"m\"", SIFT_LOG_WARN, "x", "m", NULL);
    EXPECT_LOG("level=error comp=x msg=\"m\" rc=EAGAIN", SIFT_LOG_ERROR, "x", "m", "rc=%s",
               "EAGAIN");
}

static void test_log_quotes_values_with_space_equals_quote_or_empty(void **state)
{
    (void)state;
    EXPECT_LOG("level=info comp=t msg=\"q\" a=\"x y\" b=\"k=v\" c=\"say \\\"hi\\\"\" d=\"\" "
               "e=\"back\\\\slash\" f=plain",
               SIFT_LOG_INFO, "t", "q", "a=%s b=%s c=%s d=%s e=%s f=%s", "x y", "k=v",
               "say \"hi\"", "", "back\\slash", "plain");
}

static void test_log_escapes_control_characters_and_invalid_utf8(void **state)
{
    (void)state;
    EXPECT_LOG("level=info comp=t msg=\"q\" v=\"l1\\nl2\\ttab\\r\\u0001\\u007f\\xff\" "
               "w=caf\xc3\xa9 c1=\"\\u0085\"",
               SIFT_LOG_INFO, "t", "q", "v=%s w=%s c1=%s", "l1\nl2\ttab\r\x01\x7f\xff",
               "caf\xc3\xa9", "\xc2\x85");
}

static void test_log_escapes_msg_and_comp(void **state)
{
    (void)state;
    EXPECT_LOG("level=info comp=\"a b\" msg=\"say \\\"x\\\"\\n\"", SIFT_LOG_INFO, "a b",
               "say \"x\"\n", NULL);
}

static void test_log_truncates_long_values_on_a_character_boundary(void **state)
{
    (void)state;
    char ascii[301], utf8[402], want[600];
    memset(ascii, 'a', 300);
    ascii[300] = '\0';
    capture_begin();
    sift_log(SIFT_LOG_INFO, "t", "q", "v=%s", ascii);
    char *got = capture_end();
    snprintf(want, sizeof want, "level=info comp=t msg=\"q\" v=%.256s...", ascii);
    assert_string_equal(after_ts(got), want);
    free(got);

    utf8[0] = 'a'; /* then 200 x e-acute: byte 256 falls inside a character */
    for (int i = 0; i < 200; i++)
        memcpy(utf8 + 1 + 2 * i, "\xc3\xa9", 2);
    utf8[401] = '\0';
    capture_begin();
    sift_log(SIFT_LOG_INFO, "t", "q", "v=%s", utf8);
    got = capture_end();
    snprintf(want, sizeof want, "level=info comp=t msg=\"q\" v=%.255s...", utf8);
    assert_string_equal(after_ts(got), want);
    free(got);
}

static void test_log_formats_numeric_conversions(void **state)
{
    (void)state;
    EXPECT_LOG("level=info comp=t msg=\"n\" d=-3 i=4 u=5 ld=-6 lu=7 lld=-8 llu=9 zu=10 zd=-11 "
               "x=ff f=3.14 g=0.5 c=z c2=\" \" pct=% w=007",
               SIFT_LOG_INFO, "t", "n",
               "d=%d i=%i u=%u ld=%ld lu=%lu lld=%lld llu=%llu zu=%zu zd=%zd x=%x f=%.2f g=%g "
               "c=%c c2=%c pct=%% w=%03d",
               -3, 4, 5u, -6L, 7UL, -8LL, 9ULL, (size_t)10, (ssize_t)-11, 255u, 3.14159, 0.5,
               'z', ' ', 7);
}

static void test_log_precision_bounds_a_string(void **state)
{
    (void)state;
    EXPECT_LOG("level=info comp=t msg=\"q\" doc=abc", SIFT_LOG_INFO, "t", "q", "doc=%.*s", 3,
               "abcdef");
    EXPECT_LOG("level=info comp=t msg=\"q\" doc=ab", SIFT_LOG_INFO, "t", "q", "doc=%.2s",
               "abcdef");
}

static void test_log_null_string_is_written_empty(void **state)
{
    (void)state;
    const char *volatile none = NULL;
    EXPECT_LOG("level=info comp=t msg=\"q\" v=\"\"", SIFT_LOG_INFO, "t", "q", "v=%s", none);
}

static void test_log_cuts_an_overlong_line_and_marks_it(void **state)
{
    (void)state;
    char v[257];
    memset(v, '"', 256); /* each escapes to two bytes */
    v[256] = '\0';
    capture_begin();
    sift_log(SIFT_LOG_INFO, "t", "q", "a=%s b=%s c=%s d=%s e=%s f=%s g=%s h=%s i=%s", v, v, v,
             v, v, v, v, v, v);
    char *got = capture_end();
    size_t len = strlen(got);
    assert_true(len <= 4096);
    assert_int_equal(count_lines(got, "\n"), 1);
    assert_non_null(strstr(got, " truncated=true\n"));
    free(got);
}

/* ---------------------------------------------------------------- level */

static void test_log_skips_lines_below_the_level(void **state)
{
    (void)state;
    sift_log_set_level(SIFT_LOG_WARN);
    assert_int_equal(sift_log_level(), SIFT_LOG_WARN);
    capture_begin();
    sift_log(SIFT_LOG_INFO, "t", "hidden", NULL);
    sift_log(SIFT_LOG_DEBUG, "t", "hidden", NULL);
    sift_log(SIFT_LOG_ERROR, "t", "shown", NULL);
    char *got = capture_end();
    assert_null(strstr(got, "hidden"));
    assert_int_equal(count_lines(got, "msg=\"shown\""), 1);
    free(got);
}

/* Run this binary as `--print-level` with SIFT_LOG_LEVEL=value (NULL:
 * unset); its exit status is the level it read. */
static int level_in_child(const char *value)
{
    char env_var[64];
    char *argv[] = {"test_log", "--print-level", NULL};
    char *envp[] = {env_var, NULL};
    pid_t pid;
    int status;
    snprintf(env_var, sizeof env_var, "SIFT_LOG_LEVEL=%s", value ? value : "");
    if (!value)
        envp[0] = NULL;
    assert_int_equal(posix_spawn(&pid, self_path, NULL, NULL, argv, envp), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_log_reads_sift_log_level_from_the_environment(void **state)
{
    (void)state;
    assert_int_equal(level_in_child("error"), SIFT_LOG_ERROR);
    assert_int_equal(level_in_child("warn"), SIFT_LOG_WARN);
    assert_int_equal(level_in_child("DEBUG"), SIFT_LOG_DEBUG);
    assert_int_equal(level_in_child("bogus"), SIFT_LOG_INFO);
    assert_int_equal(level_in_child(NULL), SIFT_LOG_INFO);
}

/* ---------------------------------------------------------------- rate limit */

static void test_log_rate_limits_repeats_and_reports_suppressed(void **state)
{
    (void)state;
    capture_begin();
    for (int i = 0; i < 25; i++)
        sift_log(SIFT_LOG_WARN, "sink", "write failed", "n=%d", i);
    sift_log(SIFT_LOG_WARN, "sink", "other message", NULL); /* another pair: not limited */
    sift_log(SIFT_LOG_WARN, "spool", "write failed", NULL); /* another comp: not limited */
    fake_now += 1000;
    sift_log(SIFT_LOG_WARN, "sink", "write failed", "n=%d", 99);
    sift_log(SIFT_LOG_WARN, "sink", "write failed", "n=%d", 100);
    char *got = capture_end();
    assert_int_equal(count_lines(got, "comp=sink msg=\"write failed\""), 22);
    assert_non_null(strstr(got, "n=19\n"));
    assert_null(strstr(got, "n=20"));
    assert_non_null(strstr(got, "msg=\"other message\""));
    assert_non_null(strstr(got, "comp=spool"));
    assert_non_null(strstr(got, "n=99 suppressed=5\n"));
    assert_non_null(strstr(got, "n=100\n"));
    free(got);
}

static void test_log_rate_window_is_one_second(void **state)
{
    (void)state;
    capture_begin();
    for (int i = 0; i < 21; i++)
        sift_log(SIFT_LOG_INFO, "t", "tick", NULL);
    fake_now += 999;
    sift_log(SIFT_LOG_INFO, "t", "tick", "at=%d", 999);
    fake_now += 1;
    sift_log(SIFT_LOG_INFO, "t", "tick", "at=%d", 1000);
    char *got = capture_end();
    assert_int_equal(count_lines(got, "msg=\"tick\""), 21);
    assert_null(strstr(got, "at=999"));
    assert_non_null(strstr(got, "at=1000 suppressed=2\n"));
    free(got);
}

/* ---------------------------------------------------------------- append_kv */

static void test_log_append_kv_quotes_and_separates(void **state)
{
    (void)state;
    char buf[64] = "";
    size_t len = sift_log_append_kv(buf, 0, sizeof buf, "file", "a b.so");
    assert_string_equal(buf, "file=\"a b.so\"");
    len = sift_log_append_kv(buf, len, sizeof buf, "n", "3");
    assert_string_equal(buf, "file=\"a b.so\" n=3");
    assert_int_equal(len, strlen(buf));
}

static void test_log_append_kv_adds_nothing_that_does_not_fit(void **state)
{
    (void)state;
    char buf[16] = "";
    size_t len = sift_log_append_kv(buf, 0, sizeof buf, "k", "v");
    len = sift_log_append_kv(buf, len, sizeof buf, "long", "value that will not fit");
    assert_string_equal(buf, "k=v");
    assert_int_equal(len, 3);
    assert_int_equal(sift_log_append_kv(buf, len, 0, "k", "v"), 3);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--print-level") == 0)
        return sift_log_level();
    if (argc > 0 && strchr(argv[0], '/'))
        self_path = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_log_line_has_ts_level_comp_and_quoted_msg, reset_logger),
        cmocka_unit_test_setup(test_log_writes_each_level_name, reset_logger),
        cmocka_unit_test_setup(test_log_quotes_values_with_space_equals_quote_or_empty,
                               reset_logger),
        cmocka_unit_test_setup(test_log_escapes_control_characters_and_invalid_utf8,
                               reset_logger),
        cmocka_unit_test_setup(test_log_escapes_msg_and_comp, reset_logger),
        cmocka_unit_test_setup(test_log_truncates_long_values_on_a_character_boundary,
                               reset_logger),
        cmocka_unit_test_setup(test_log_formats_numeric_conversions, reset_logger),
        cmocka_unit_test_setup(test_log_precision_bounds_a_string, reset_logger),
        cmocka_unit_test_setup(test_log_null_string_is_written_empty, reset_logger),
        cmocka_unit_test_setup(test_log_cuts_an_overlong_line_and_marks_it, reset_logger),
        cmocka_unit_test_setup(test_log_skips_lines_below_the_level, reset_logger),
        cmocka_unit_test_setup(test_log_reads_sift_log_level_from_the_environment, reset_logger),
        cmocka_unit_test_setup(test_log_rate_limits_repeats_and_reports_suppressed, reset_logger),
        cmocka_unit_test_setup(test_log_rate_window_is_one_second, reset_logger),
        cmocka_unit_test_setup(test_log_append_kv_quotes_and_separates, reset_logger),
        cmocka_unit_test_setup(test_log_append_kv_adds_nothing_that_does_not_fit, reset_logger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
