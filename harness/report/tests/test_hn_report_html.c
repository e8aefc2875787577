/*
 * test_hn_report_html: report.html -- self-contained (no scripts, no external resources),
 * every tag one the writer emits (so no run string became markup), the matrix, classifications,
 * evidence, one SVG timeline per scenario run with its marks, and the incomplete banner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hn_report.h"
#include "hn_report_test.h"

/* Renders into the caller's variable: *out stays valid until the caller frees it. */
static void render(const struct st_run *run, char **out)
{
    assert_int_equal(hn_report_html_render(run, out, NULL), HN_REPORT_OK);
    assert_non_null(*out);
}

/* Every "<name" in the page must be a tag the writer uses: a hostile string that escaped would
 * show up as an unknown tag (script, b, img...). */
static void check_tags(const char *h)
{
    static const char *const allowed[] = {
        "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "main", "header", "h1",
        "h2", "h3", "h4", "p", "dl", "dt", "dd", "code", "div", "span", "b", "table", "thead",
        "tbody", "tr", "th", "td", "a", "nav", "wbr", "details", "summary", "pre", "figure", "figcaption",
        "svg", "rect", "line", "text", "g", "circle", "path", "footer"};
    for (const char *p = h; (p = strchr(p, '<')) != NULL; p++) {
        const char *name = p + 1 + (p[1] == '/');
        size_t n = strcspn(name, " >\n/");
        size_t i;
        for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
            if (strlen(allowed[i]) == n && strncmp(allowed[i], name, n) == 0)
                break;
        if (i == sizeof(allowed) / sizeof(allowed[0]))
            fail_msg("tag: got <%.*s>, want only the writer's own tags", (int)(n < 30 ? n : 30),
                     name);
    }
}

static void test_self_contained_and_escaped(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    char *h = NULL;
    render(run, &h);
    check_tags(h);
    /* The <b> tags the writer emits are the two classification lines and "complete"; a hostile
     * "<b>" in a target name must not add one. */
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "driver:<b>"));
    assert_non_null(strstr(h, "driver:&lt;b&gt;&amp;amp;&quot;x&#39;"));
    assert_null(strstr(h, "<link"));
    assert_null(strstr(h, "src="));
    assert_null(strstr(h, "url("));
    assert_null(strstr(h, "@import"));
    /* The only URL is the SVG namespace name, which is never fetched. */
    size_t urls = hn_test_count(h, "http://") + hn_test_count(h, "https://");
    size_t ns = hn_test_count(h, "xmlns=\"http://www.w3.org/2000/svg\"");
    if (urls != ns)
        fail_msg("URLs: got %zu, want only the %zu SVG namespace names", urls, ns);
    assert_non_null(strstr(h, "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;"));
    assert_null(strchr(h, '\x1b'));
    assert_null(strstr(h, "\xff"));
    free(h);
    st_run_free(run);
}

static void test_content(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    char *h = NULL;
    render(run, &h);
    assert_non_null(strstr(h, "neither: broke TTL-2, TTL-5"));
    assert_non_null(strstr(h, "follows the legacy spec"));
    /* Matrix: clauses of both targets, each once, in spec order, cells coloured by verdict. */
    const char *leg1 = strstr(h, "<th class=\"clause\" title=\"Once resolved");
    const char *ttl2 = strstr(h, ">TTL-2</th>");
    const char *com9 = strstr(h, ">COM-9</th>");
    assert_non_null(leg1);
    assert_non_null(ttl2);
    assert_non_null(com9);
    assert_true(leg1 < ttl2 && ttl2 < com9);
    assert_int_equal(hn_test_count(h, "<th class=\"clause\""), 9);
    assert_non_null(strstr(h, "class=\"v v-FAIL\""));
    assert_non_null(strstr(h, "class=\"v v-NA\""));
    assert_non_null(strstr(h, "class=\"v v-ERROR\""));
    /* A clause only one target ran is "not run" for the other. */
    assert_int_equal(hn_test_count(h, "title=\"not run\""), 9);
    /* Evidence: one details element per clause result, the bad ones open. */
    assert_int_equal(hn_test_count(h, "<details id=\"ev-"), 9);
    assert_int_equal(hn_test_count(h, "\" open><summary>"), 3);
    assert_non_null(strstr(h, "a DNS query at t=300 s for TTL-2"));
    /* Timelines: one SVG each, with step lines, lookup marks, query ticks and TTL bars. */
    assert_int_equal(hn_test_count(h, "<svg class=\"tl\""), 3);
    assert_non_null(strstr(h, ">step 2</text>"));
    assert_non_null(strstr(h, "fill=\"#cf222e\">step 1</text>"));
    assert_int_equal(hn_test_count(h, "<circle cx="), 6 + 3); /* 6 lookups + 3 in the legend */
    assert_non_null(strstr(h, ">MX</text>"));
    assert_non_null(strstr(h, "<title>t=302.000 s, step 2: a.test -&gt; 10 mx2.a.test"));
    assert_non_null(strstr(h, "<title>TTL window 1.000 s - 301.000 s: a.test ttl 300"));
    assert_null(strstr(h, "No timelines"));
    assert_null(strstr(h, "INCOMPLETE"));
    free(h);
    st_run_free(run);
}

static void test_incomplete_banner(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(1);
    char *h = NULL;
    render(run, &h);
    assert_non_null(strstr(h, "<title>INCOMPLETE - mxttl"));
    assert_non_null(strstr(h, "<div class=\"banner\" role=\"alert\">INCOMPLETE RUN"));
    free(h);
    st_run_free(run);
}

static void test_degenerate_timelines(void **state)
{
    (void)state;
    struct st_run *run = st_run_new();
    struct st_timeline *tl = st_run_add_timeline(run, "odd", "t", "real");
    /* Non-finite and far-apart times, a tiny span far from zero: drawn or skipped, never a
     * hang, and no "nan" coordinates. */
    st_timeline_add(tl, ST_EV_LOOKUP, 1e15, 1e15, 0, "a -> b", NULL);
    st_timeline_add(tl, ST_EV_QUERY, 1e15 + 0.001, 0, 0, "MX a", NULL);
    st_timeline_add(tl, ST_EV_STEP, NAN, 0, 1, "nan", NULL);
    st_timeline_add(tl, ST_EV_TTL, 5, INFINITY, 1, "inf window", NULL);
    for (int i = 0; i < 30; i++)
        st_timeline_add(tl, ST_EV_TTL, 1e15 + i * 1e-4, 1e15 + 1, 1, "overlap", NULL);
    char *h = NULL;
    render(run, &h);
    assert_null(strstr(h, "nan"));
    assert_null(strstr(h, "inf\""));
    assert_non_null(strstr(h, "2 without a finite time not drawn"));
    /* Times too far apart for one axis: nothing drawn, said so, no "inf" coordinates. */
    struct st_timeline *far = st_run_add_timeline(run, "far", "t", "real");
    st_timeline_add(far, ST_EV_LOOKUP, -1e308, 0, 0, "a -> b", NULL);
    st_timeline_add(far, ST_EV_LOOKUP, 1e308, 0, 0, "a -> b", NULL);
    free(h);
    render(run, &h);
    assert_null(strstr(h, "=\"inf"));
    assert_null(strstr(h, "=\"-inf"));
    assert_null(strstr(h, "nan"));
    assert_non_null(strstr(h, "0 events: 2 lookups, 0 forward-host uses, 0 DNS queries, 0 TTL "
                              "windows, 0 step switches; 2 without a finite time not drawn"));
    assert_non_null(strstr(h, "No clause results."));
    free(h);
    st_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_contained_and_escaped),
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_incomplete_banner),
        cmocka_unit_test(test_degenerate_timelines),
    };
    return cmocka_run_group_tests_name("hn_report_html", tests, NULL, NULL);
}
