/*
 * test_hn_report_md: report.md -- summary table, a clause table per target, evidence for
 * exactly the FAIL, ERROR and NON-STRICT verdicts, escaping, fences and the incomplete marker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_report.h"
#include "hn_report_test.h"

/* Renders into the caller's variable: *out stays valid until the caller frees it. */
static void render(const struct st_run *run, char **out)
{
    assert_int_equal(hn_report_md_render(run, out, NULL), HN_REPORT_OK);
    assert_non_null(*out);
}

static void test_sections(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    char *m = NULL;
    render(run, &m);
    assert_non_null(strstr(m, "| Target | Spec | Classification | Conforms | PASS | NON-STRICT |"
                              " INFO | FAIL | N/A | ERROR |"));
    assert_non_null(strstr(m, "| model:ttl | ttl | neither: broke TTL-2, TTL-5 | **no** |"
                              " 1 | 1 | 1 | 1 | 1 | 1 |"));
    assert_non_null(strstr(m, "| follows the legacy spec | yes |"));
    assert_int_equal(hn_test_count(m, "## Target "), 2);
    assert_non_null(strstr(m, "| TTL-2 | MUST | **FAIL** |"));
    /* Evidence for FAIL, ERROR, NON-STRICT only. */
    assert_int_equal(hn_test_count(m, "#### "), 3);
    assert_non_null(strstr(m, "#### TTL-2: FAIL"));
    assert_non_null(strstr(m, "#### TTL-10: ERROR"));
    assert_non_null(strstr(m, "#### TTL-1: NON-STRICT"));
    assert_null(strstr(m, "#### TTL-3"));
    assert_null(strstr(m, "INCOMPLETE"));
    free(m);
    st_run_free(run);
}

static void test_escaping(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    char *m = NULL;
    render(run, &m);
    /* Outside fenced blocks (where text is literal) no raw markup may appear. */
    char *outside = strdup(m);
    assert_non_null(outside);
    for (char *f; (f = strstr(outside, "\n~~~")) != NULL;) {
        size_t flen = strspn(f + 1, "~");
        char fence[32];
        snprintf(fence, sizeof(fence), "\n%.*s\n", (int)flen, f + 1);
        char *end = strstr(f + 1 + flen, fence);
        assert_non_null(end);
        memmove(f, end + strlen(fence), strlen(end + strlen(fence)) + 1);
    }
    assert_null(strstr(outside, "<script"));
    assert_null(strstr(outside, "<b>"));
    assert_non_null(strstr(m, "<script")); /* it was there, inside a fence */
    free(outside);
    assert_null(strchr(m, '\x1b'));
    /* Table rows stay one line each: hostile sentence is escaped, pipe included. */
    assert_non_null(strstr(m, "&lt;script&gt;alert('x&amp;y')&lt;/script&gt; \"quoted\" \\| pipe"));
    /* The observed text holds "~~~~", so its fence must be longer. */
    assert_non_null(strstr(m, "~~~~~text\n"));
    /* Every line of a table starts with '|' (no row was split by a newline). */
    const char *p = strstr(m, "| Clause | Level |");
    assert_non_null(p);
    for (const char *line = p; *line == '|';) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        line = nl + 1;
        if (*line != '|' && *line != '\n')
            fail_msg("table line: got \"%.30s\", want a row or a blank line", line);
    }
    free(m);
    st_run_free(run);
}

static void test_incomplete_and_empty(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(1);
    char *m = NULL;
    render(run, &m);
    assert_non_null(strstr(m, "> **INCOMPLETE RUN**"));
    assert_non_null(strstr(m, "| complete | **no** |"));
    free(m);
    st_run_free(run);
    struct st_run *empty = st_run_new();
    render(empty, &m);
    assert_non_null(strstr(m, "No targets were run."));
    free(m);
    st_run_free(empty);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_incomplete_and_empty),
    };
    return cmocka_run_group_tests_name("hn_report_md", tests, NULL, NULL);
}
