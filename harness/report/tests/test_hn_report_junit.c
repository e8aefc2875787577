/*
 * test_hn_report_junit: junit.xml -- one suite per target, one case per clause, the element
 * for each verdict, counts, the incomplete marker, and well-formed XML whatever the strings
 * (checked by a small checker here and by xmllint when it is installed).
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

/* Minimal XML well-formedness check: balanced tags, quoted attributes without '<', entities
 * from the known set, no stray '<' or '>' in text. Returns NULL or a static problem text. */
static const char *xml_check(const char *x)
{
    static char problem[200];
    const char *stack[64];
    size_t slen[64], depth = 0;
    const char *p = x;
    if (strncmp(p, "<?xml ", 6) == 0) {
        p = strstr(p, "?>");
        if (p == NULL)
            return "unterminated declaration";
        p += 2;
    }
    int seen_root = 0;
    while (*p) {
        if (*p == '&') {
            static const char *const ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;",
                                               "&#9;", "&#10;", "&#13;"};
            size_t i;
            for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
                if (strncmp(p, ents[i], strlen(ents[i])) == 0)
                    break;
            if (i == sizeof(ents) / sizeof(ents[0])) {
                snprintf(problem, sizeof(problem), "bad entity at %.20s", p);
                return problem;
            }
            p += strlen(ents[i]);
            continue;
        }
        if (*p == '>')
            return "stray '>' in text";
        if (*p != '<') {
            p++;
            continue;
        }
        if (strncmp(p, "<!--", 4) == 0) {
            const char *e = strstr(p + 4, "-->");
            if (e == NULL)
                return "unterminated comment";
            p = e + 3;
            continue;
        }
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t n = strcspn(name, " \t\n/>");
        if (n == 0)
            return "empty tag name";
        const char *q = name + n;
        /* Attributes. */
        while (*q && *q != '>' && !(*q == '/' && q[1] == '>')) {
            if (*q == '"') {
                const char *e = strchr(q + 1, '"');
                if (e == NULL)
                    return "unterminated attribute";
                if (memchr(q + 1, '<', (size_t)(e - q - 1)) != NULL)
                    return "'<' inside an attribute value";
                q = e + 1;
                continue;
            }
            if (*q == '<')
                return "'<' inside a tag";
            q++;
        }
        if (*q == '\0')
            return "unterminated tag";
        int self = *q == '/';
        if (closing) {
            if (depth == 0 || slen[depth - 1] != n || strncmp(stack[depth - 1], name, n) != 0) {
                snprintf(problem, sizeof(problem), "mismatched </%.*s>", (int)n, name);
                return problem;
            }
            depth--;
        } else if (!self) {
            if (depth == 0 && seen_root)
                return "two root elements";
            if (depth == 64)
                return "too deep";
            stack[depth] = name;
            slen[depth++] = n;
            seen_root = 1;
        }
        p = q + (self ? 2 : 1);
    }
    return depth == 0 ? NULL : "unclosed element";
}

/* Renders into the caller's variable: *out stays valid until the caller frees it. */
static void render(const struct st_run *run, char **out)
{
    assert_int_equal(hn_report_junit_render(run, out, NULL), HN_REPORT_OK);
    assert_non_null(*out);
}

static void test_structure(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    char *x = NULL;
    render(run, &x);
    const char *problem = xml_check(x);
    if (problem != NULL)
        fail_msg("junit.xml: got \"%s\", want well-formed XML", problem);
    assert_int_equal(hn_test_count(x, "<testsuite "), 2);
    assert_int_equal(hn_test_count(x, "<testcase "), 9);
    assert_int_equal(hn_test_count(x, "<failure "), 1);
    assert_int_equal(hn_test_count(x, "<error "), 1);
    assert_int_equal(hn_test_count(x, "<skipped "), 1);
    assert_int_equal(hn_test_count(x, "<system-out>"), 3); /* NON-STRICT, INFO, INFO */
    assert_non_null(strstr(x, "tests=\"9\" failures=\"1\" errors=\"1\" skipped=\"1\""));
    assert_non_null(strstr(x, "<testsuite name=\"model:ttl\" tests=\"6\" failures=\"1\""));
    assert_non_null(strstr(x, "name=\"TTL-2 The first lookup at or after the route&#39;s TTL"));
    assert_non_null(strstr(x, "classname=\"model:ttl\""));
    assert_non_null(strstr(x, "<property name=\"classification\" value=\"neither\"/>"));
    assert_null(strstr(x, "INCOMPLETE"));
    /* The failure carries its evidence. */
    const char *f = strstr(x, "<failure ");
    assert_non_null(f);
    assert_non_null(strstr(f, "expected: a DNS query at t=300 s for TTL-2"));
    free(x);
    st_run_free(run);
}

static void test_hostile_strings_escaped(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    char *x = NULL;
    render(run, &x);
    assert_null(strstr(x, "<script"));
    assert_null(strstr(x, "<b>"));
    assert_non_null(strstr(x, "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;"));
    assert_non_null(strstr(x, "classname=\"driver:&lt;b&gt;&amp;amp;&quot;x&#39;caf\xc3\xa9"));
    assert_null(strchr(x, '\x1b'));
    assert_null(strchr(x, '\a'));
    assert_null(strstr(x, "\xff"));
    free(x);
    st_run_free(run);
}

static void test_xmllint(void **state)
{
    (void)state;
    char *version[] = {"xmllint", "--version", NULL};
    if (hn_test_spawn(version) != 0)
        skip(); /* xmllint (Debian libxml2-utils) not installed: the checker above still ran */
    struct st_run *run = hn_test_run(1);
    char *dir = hn_test_tmpdir();
    char why[512], path[4200];
    assert_int_equal(hn_report_write_dir(run, dir, HN_REPORT_FMT_JUNIT, why, sizeof(why)),
                     HN_REPORT_OK);
    snprintf(path, sizeof(path), "%s/junit.xml", dir);
    char *check[] = {"xmllint", "--noout", path, NULL};
    int rc = hn_test_spawn(check);
    if (rc != 0)
        fail_msg("xmllint: got exit status %d, want 0", rc);
    hn_test_rmtree(dir);
    free(dir);
    st_run_free(run);
}

static void test_incomplete_marked(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(1);
    char *x = NULL;
    render(run, &x);
    assert_null(xml_check(x));
    assert_non_null(strstr(x, "<!-- INCOMPLETE RUN"));
    assert_int_equal(hn_test_count(x, "name=\"run incomplete\""), 2);
    assert_non_null(strstr(x, "<property name=\"incomplete\" value=\"true\"/>"));
    assert_non_null(strstr(x, "errors=\"3\""));
    free(x);
    st_run_free(run);
    /* An interrupted run before any target still shows up as an error. */
    struct st_run *empty = st_run_new();
    empty->incomplete = 1;
    render(empty, &x);
    assert_null(xml_check(x));
    assert_int_equal(hn_test_count(x, "<error "), 1);
    free(x);
    st_run_free(empty);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    char *out = (char *)1;
    assert_int_equal(hn_report_junit_render(NULL, &out, NULL), HN_REPORT_INVAL);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_hostile_strings_escaped),
        cmocka_unit_test(test_xmllint),
        cmocka_unit_test(test_incomplete_marked),
        cmocka_unit_test(test_invalid_arguments),
    };
    return cmocka_run_group_tests_name("hn_report_junit", tests, NULL, NULL);
}
