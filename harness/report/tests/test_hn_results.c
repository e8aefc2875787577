/*
 * test_hn_results: results.json writer and reader -- byte-identical round trips, hostile strings,
 * every class of reader error with its FILE:LINE:COL position, limits, and a robustness sweep
 * over every truncation and many corruptions of a real document (never a crash).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_results.h"
#include "hn_report_test.h"

static char *render(const struct st_run *run, size_t *len)
{
    char *out = NULL;
    enum hn_report_status st = hn_results_render(run, &out, len);
    if (st != HN_REPORT_OK)
        fail_msg("hn_results_render: got %s, want ok", hn_report_status_str(st));
    return out;
}

/* Parses text; checks status and (when want_why is not NULL) that why contains it. */
static void expect_error(const char *text, enum hn_report_status want, const char *want_why)
{
    struct st_run *run = (struct st_run *)1;
    char why[512];
    enum hn_report_status st = hn_results_read_mem("in.json", text, strlen(text), &run, why,
                                                sizeof(why));
    if (st != want)
        fail_msg("parse of %.60s: got %s (%s), want %s", text, hn_report_status_str(st), why,
                 hn_report_status_str(want));
    assert_null(run);
    if (want_why != NULL && strstr(why, want_why) == NULL)
        fail_msg("why: got \"%s\", want it to contain \"%s\"", why, want_why);
}

static void test_round_trip_identical(void **state)
{
    (void)state;
    for (int inc = 0; inc <= 1; inc++) {
        struct st_run *run = hn_test_run(inc);
        size_t l1, l2;
        char *a = render(run, &l1);
        struct st_run *back = NULL;
        char why[512];
        enum hn_report_status st = hn_results_read_mem("a.json", a, l1, &back, why, sizeof(why));
        if (st != HN_REPORT_OK)
            fail_msg("read back: got %s (%s), want ok", hn_report_status_str(st), why);
        char *b = render(back, &l2);
        if (l1 != l2 || memcmp(a, b, l1) != 0)
            fail_msg("round trip: got %zu bytes differing, want identical %zu bytes", l2, l1);
        assert_int_equal(back->incomplete, inc);
        st_run_free(back);
        st_run_free(run);
        free(a);
        free(b);
    }
}

static void test_values_survive(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    /* 0.1 + 0.2 needs 17 significant digits to read back exactly. */
    run->timelines[0].events[1].t = run->timelines[0].events[1].t_end = 0.1 + 0.2;
    run->targets[0].clauses[0].seconds = NAN;
    char *a = render(run, NULL);
    struct st_run *back = NULL;
    char why[512];
    assert_int_equal(hn_results_read_mem("a.json", a, strlen(a), &back, why, sizeof(why)),
                     HN_REPORT_OK);
    assert_int_equal(back->ntargets, run->ntargets);
    assert_int_equal(back->ntimelines, run->ntimelines);
    assert_string_equal(back->command, run->command);
    assert_string_equal(back->targets[1].target, run->targets[1].target);
    assert_int_equal(back->targets[0].klass, ST_CLASS_NEITHER);
    assert_string_equal(back->targets[0].class_reason, "broke TTL-2, TTL-5");
    for (size_t k = 0; k < run->targets[0].nclauses; k++) {
        const struct st_clause_result *x = &run->targets[0].clauses[k], *y =
                                                                            &back->targets[0].clauses[k];
        assert_string_equal(y->clause, x->clause);
        assert_int_equal(y->verdict, x->verdict);
        assert_int_equal(y->level, x->level);
        if (x->observed == NULL)
            assert_null(y->observed);
        else
            assert_string_equal(y->observed, x->observed); /* control chars, non-ASCII */
    }
    assert_true(isnan(back->targets[0].clauses[0].seconds));
    assert_true(back->timelines[0].events[1].t == 0.1 + 0.2);
    assert_non_null(strstr(a, "\"t\": 0.30000000000000004,"));
    /* Invalid UTF-8 in a note is written as U+FFFD: the file stays valid UTF-8. */
    const char *note = back->targets[0].clauses[4].note;
    assert_non_null(note);
    assert_non_null(strstr(note, "\xef\xbf\xbd"));
    assert_int_equal(strlen(back->timelines[1].events[0].detail), 10240);
    assert_null(back->timelines[2].time_mode);
    assert_int_equal(back->timelines[2].nevents, 0);
    st_run_free(back);
    st_run_free(run);
    free(a);
}

/* Numbers read back to the same double through the writer (integers as integers, others
 * with 17 digits), and non-finite ones as null, read back as NaN. */
static void test_numbers_round_trip(void **state)
{
    (void)state;
    const double vals[] = {0, -0.0, 1, 150, 0.1, 1.0 / 3, 12.375, 1e300, -2.5e-300, 300.001,
                           9007199254740993.0, -4e20};
    struct st_run *run = st_run_new();
    assert_non_null(run);
    struct st_target_result *tr = st_run_add_target(run, "t", NULL);
    assert_non_null(tr);
    size_t n = sizeof vals / sizeof vals[0];
    for (size_t i = 0; i < n + 1; i++) {
        struct st_clause_result *c = st_target_add_clause(tr, "TTL-1", ST_LEVEL_MUST, ST_PASS,
                                                          NULL);
        assert_non_null(c);
        c->seconds = i < n ? vals[i] : NAN;
    }
    char *a = render(run, NULL), why[512];
    assert_non_null(strstr(a, "\"seconds\": 150\n"));
    assert_non_null(strstr(a, "\"seconds\": 0.10000000000000001\n"));
    assert_non_null(strstr(a, "\"seconds\": null"));
    struct st_run *back = NULL;
    assert_int_equal(hn_results_read_mem("n.json", a, strlen(a), &back, why, sizeof why),
                     HN_REPORT_OK);
    for (size_t i = 0; i < n; i++)
        if (back->targets[0].clauses[i].seconds != vals[i])
            fail_msg("number %zu: got %.17g back, want %.17g", i,
                     back->targets[0].clauses[i].seconds, vals[i]);
    assert_true(isnan(back->targets[0].clauses[n].seconds));
    free(a);
    st_run_free(back);
    st_run_free(run);
}

static void test_empty_run(void **state)
{
    (void)state;
    struct st_run *run = st_run_new();
    assert_non_null(run);
    char *a = render(run, NULL);
    assert_non_null(strstr(a, "\"targets\": []"));
    assert_non_null(strstr(a, "\"command\": null"));
    struct st_run *back = NULL;
    char why[256];
    assert_int_equal(hn_results_read_mem("e.json", a, strlen(a), &back, why, sizeof(why)),
                     HN_REPORT_OK);
    char *b = render(back, NULL);
    assert_string_equal(a, b);
    free(a);
    free(b);
    st_run_free(back);
    st_run_free(run);
}

static const char minimal_head[] = "{\"schema\": \"mxttl-results/1\", \"mxttl_version\": null, "
                                   "\"started\": null, \"seconds\": 0, \"time_mode\": null, "
                                   "\"command\": null, \"incomplete\": false, ";

static void test_minimal_with_whitespace(void **state)
{
    (void)state;
    const char *doc = "\r\n\t {\"timelines\":[],\"targets\":[{\"target\":\"x\",\"spec\":null,"
                      "\"class\":\"ttl\",\"class_reason\":null,\"clauses\":[]}],\"incomplete\":"
                      "true,\"command\":\"a\\u00e9\\ud83d\\udce7\\/\",\"time_mode\":null,"
                      "\"seconds\":-1.5e2,\"started\":null,\"mxttl_version\":null,"
                      "\"schema\":\"mxttl-results/1\"}  \n";
    struct st_run *run = NULL;
    char why[256];
    enum hn_report_status st = hn_results_read_mem("m.json", doc, strlen(doc), &run, why,
                                                sizeof(why));
    if (st != HN_REPORT_OK)
        fail_msg("got %s (%s), want ok", hn_report_status_str(st), why);
    assert_string_equal(run->command, "a\xc3\xa9\xf0\x9f\x93\xa7/");
    assert_true(run->seconds == -150.0);
    assert_int_equal(run->incomplete, 1);
    assert_int_equal(run->targets[0].klass, ST_CLASS_TTL);
    st_run_free(run);
}

static void test_syntax_errors_with_positions(void **state)
{
    (void)state;
    /* Syntax is Jansson's: its message, with our "FILE:LINE:COL: " in front. */
    expect_error("", HN_REPORT_SYNTAX, "in.json:1:1: empty input");
    expect_error(" \n\t", HN_REPORT_SYNTAX, "in.json:2:2: empty input");
    expect_error("{\"schema\": \"mxttl-results/1\"", HN_REPORT_SYNTAX,
                 "in.json:1:28: '}' expected near end of file");
    expect_error("{\n  \"schema\": \"mxttl-res", HN_REPORT_SYNTAX,
                 "in.json:2:22: premature end of input");
    expect_error("{\n\"a\": \"\\q\"}", HN_REPORT_SYNTAX, "in.json:2:8: invalid escape");
    expect_error("{\"a\": \"\\u12G4\"}", HN_REPORT_SYNTAX, "invalid escape");
    expect_error("{\"a\": \"\\ud800\"}", HN_REPORT_SYNTAX, "invalid Unicode '\\uD800'");
    expect_error("{\"a\": \"\\udc00\"}", HN_REPORT_SYNTAX, "invalid Unicode '\\uDC00'");
    expect_error("{\"a\": \"\\u0000\"}", HN_REPORT_SYNTAX,
                 "in.json:1:14: \\u0000 is not allowed in strings");
    expect_error("{\"a\": \"x\ny\"}", HN_REPORT_SYNTAX, "in.json:1:8: unexpected newline");
    expect_error("{\"a\": \"\x01\"}", HN_REPORT_SYNTAX, "control character 0x1");
    expect_error("{\"a\": \"\xc3\x28\"}", HN_REPORT_SYNTAX,
                 "in.json:1:7: unable to decode byte 0xc3");
    expect_error("{\"a\": \"\xed\xa0\x80\"}", HN_REPORT_SYNTAX, "byte 0xed"); /* surrogate */
    expect_error("{\"a\": 01}", HN_REPORT_SYNTAX, "in.json:1:7: invalid token near '0'");
    expect_error("{\"a\": 1.}", HN_REPORT_SYNTAX, "invalid token near '1.'");
    expect_error("{\"a\": -}", HN_REPORT_SYNTAX, "invalid token near '-'");
    expect_error("{\"a\": 1e}", HN_REPORT_SYNTAX, "invalid token near '1e'");
    expect_error("{\"a\": tru}", HN_REPORT_SYNTAX, "invalid token near 'tru'");
    expect_error("{\"a\": 1,}", HN_REPORT_SYNTAX, "string or '}' expected");
    expect_error("{\"a\" 1}", HN_REPORT_SYNTAX, "in.json:1:6: ':' expected");
    expect_error("[1 2]", HN_REPORT_SYNTAX, "in.json:1:4: ']' expected");
    expect_error("{} x", HN_REPORT_SYNTAX, "in.json:1:4: end of file expected near 'x'");
    expect_error("\xef\xbb\xbf{}", HN_REPORT_SYNTAX, "in.json:1:1: invalid token");
    expect_error("{'a': 1}", HN_REPORT_SYNTAX, "in.json:1:2: string or '}' expected near '''");
}

static void test_limits(void **state)
{
    (void)state;
    /* Deep nesting: far past the limit, but refused at the limit, not by the stack. */
    size_t depth = 100000;
    char *deep = malloc(depth * 2 + 1);
    assert_non_null(deep);
    for (size_t i = 0; i < depth; i++) {
        deep[i] = '[';
        deep[depth + i] = ']';
    }
    deep[2 * depth] = '\0';
    expect_error(deep, HN_REPORT_LIMIT, "in.json:1:17: nesting deeper than 16 levels");
    free(deep);
    expect_error("{\"a\": 1e999}", HN_REPORT_LIMIT,
                 "in.json:1:11: number out of range: real number overflow near '1e999'");
    expect_error("{\"a\": -1e400}", HN_REPORT_LIMIT, "out of range");
    char num[200] = "{\"a\": 1";
    memset(num + 7, '0', 120);
    snprintf(num + 127, sizeof(num) - 127, "}");
    expect_error(num, HN_REPORT_LIMIT, "longer than 64 characters");
    /* A string over the limit. */
    size_t big = HN_RESULTS_MAX_STRING + 10;
    char *s = malloc(big + 16);
    assert_non_null(s);
    s[0] = '[';
    s[1] = '"';
    memset(s + 2, 'x', big);
    memcpy(s + 2 + big, "\"]", 3);
    expect_error(s, HN_REPORT_LIMIT, "in.json:1:2: string longer than");
    free(s);
    /* Tiny exponents underflow to 0 and are fine as JSON (then a schema error here). */
    expect_error("{\"a\": 1e-400}", HN_REPORT_SCHEMA, "no \"schema\" member");
}

static void test_schema_errors(void **state)
{
    (void)state;
    /* Schema errors name the value by its path (Jansson keeps no positions in the tree). */
    expect_error("[]", HN_REPORT_SCHEMA, "in.json: top level must be an object, not array");
    expect_error("{\"schema\": \"mxttl-results/2\"}", HN_REPORT_SCHEMA,
                 "in.json: unsupported schema \"mxttl-results/2\" (want \"mxttl-results/1\")");
    expect_error("{\"schema\": 1}", HN_REPORT_SCHEMA, "unsupported schema");
    char doc[2048];
    snprintf(doc, sizeof(doc), "%s\"targets\": [], \"timelines\": [], \"extra\": 1}", minimal_head);
    expect_error(doc, HN_REPORT_SCHEMA, "unknown member \"extra\" in run");
    snprintf(doc, sizeof(doc), "%s\"targets\": []}", minimal_head);
    expect_error(doc, HN_REPORT_SCHEMA, "in.json: run lacks member \"timelines\"");
    snprintf(doc, sizeof(doc), "%s\"targets\": [], \"targets\": [], \"timelines\": []}",
             minimal_head);
    expect_error(doc, HN_REPORT_SCHEMA,
                 "in.json:1:165: duplicate member: duplicate object key near '\"targets\"'");
    snprintf(doc, sizeof(doc), "%s\"targets\": {}, \"timelines\": []}", minimal_head);
    expect_error(doc, HN_REPORT_SCHEMA, "\"targets\" must be an array, not object");
    snprintf(doc, sizeof(doc),
             "%s\"targets\": [{\"target\": \"t\", \"spec\": null, \"class\": \"ttl\", "
             "\"class_reason\": null, \"clauses\": [{\"clause\": \"TTL-1\", \"level\": \"MUST\", "
             "\"verdict\": \"OK\", \"sentence\": null, \"scenario\": null, \"expected\": null, "
             "\"observed\": null, \"note\": null, \"seconds\": 0}]}], \"timelines\": []}",
             minimal_head);
    expect_error(doc, HN_REPORT_SCHEMA,
                 "in.json: targets[0].clauses[0]: \"verdict\" is \"OK\", want one of PASS");
    snprintf(doc, sizeof(doc),
             "%s\"targets\": [], \"timelines\": [{\"scenario\": \"s\", \"target\": \"t\", "
             "\"time_mode\": null, \"events\": [{\"kind\": \"step\", \"t\": 1, \"t_end\": 2, "
             "\"step\": 1, \"text\": \"x\", \"detail\": null}]}]}",
             minimal_head);
    expect_error(doc, HN_REPORT_SCHEMA,
                 "in.json: timelines[0].events[0]: \"t_end\" must equal \"t\" for a step event");
    snprintf(doc, sizeof(doc),
             "%s\"targets\": [], \"timelines\": [{\"scenario\": \"s\", \"target\": \"t\", "
             "\"time_mode\": null, \"events\": [{\"kind\": \"ttl\", \"t\": 1, \"t_end\": 2, "
             "\"step\": 1.5, \"text\": \"x\", \"detail\": null}]}]}",
             minimal_head);
    expect_error(doc, HN_REPORT_SCHEMA, "\"step\" must be an integer");
    snprintf(doc, sizeof(doc), "%s\"incomplete\": 0, \"targets\": [], \"timelines\": []}",
             "{\"schema\": \"mxttl-results/1\", \"mxttl_version\": null, \"started\": null, "
             "\"seconds\": 0, \"time_mode\": null, \"command\": null, ");
    expect_error(doc, HN_REPORT_SCHEMA, "\"incomplete\" must be true or false, not number");
}

/* Every prefix of a real document is an error (never ok, never a crash), and so are corrupted
 * copies; run under ASan this is a small deterministic fuzz pass. */
static void test_truncations_and_corruptions(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(1);
    size_t len;
    char *a = render(run, &len);
    char why[512];
    for (size_t n = 0; n < len; n += (n < 2000 ? 1 : 7)) {
        struct st_run *back = NULL;
        enum hn_report_status st = hn_results_read_mem("p.json", a, n, &back, why, sizeof(why));
        /* Only a cut inside the final whitespace leaves a complete document. */
        if (st == HN_REPORT_OK && n < len - 1)
            fail_msg("prefix of %zu/%zu bytes: got ok, want an error", n, len);
        if (st != HN_REPORT_OK && strncmp(why, "p.json:", 7) != 0)
            fail_msg("prefix %zu: why \"%s\" lacks the position", n, why);
        st_run_free(back);
    }
    if (len == 0) {
        fail_msg("rendered run: got 0 bytes, want a document");
        return;
    }
    char *c = malloc(len + 1);
    assert_non_null(c);
    static const char junk[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', 'x', '\0', '\n',
                                (char)0xff, (char)0xc3, '-', 'e'};
    uint32_t seed = 12345;
    for (int i = 0; i < 3000; i++) {
        memcpy(c, a, len);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            c[pos] = junk[(seed >> 8) % sizeof(junk)];
        }
        struct st_run *back = NULL;
        enum hn_report_status st = hn_results_read_mem("c.json", c, len, &back, why, sizeof(why));
        assert_true(st == HN_REPORT_OK || strncmp(why, "c.json:", 7) == 0);
        if (st == HN_REPORT_OK) {
            /* Whatever was accepted must render and read back again. */
            char *again = render(back, NULL);
            struct st_run *b2 = NULL;
            assert_int_equal(hn_results_read_mem("r.json", again, strlen(again), &b2, why,
                                              sizeof(why)),
                             HN_REPORT_OK);
            st_run_free(b2);
            free(again);
        }
        st_run_free(back);
    }
    free(c);
    free(a);
    st_run_free(run);
}

static void test_read_file(void **state)
{
    (void)state;
    char *dir = hn_test_tmpdir();
    char path[4096], why[512];
    struct st_run *run = NULL;
    snprintf(path, sizeof(path), "%s/missing.json", dir);
    assert_int_equal(hn_results_read_file(path, &run, why, sizeof(why)), HN_REPORT_IO);
    assert_non_null(strstr(why, path));
    assert_int_equal(hn_results_read_file(dir, &run, why, sizeof(why)), HN_REPORT_IO);
    assert_non_null(strstr(why, "is a directory"));
    snprintf(path, sizeof(path), "%s/bad.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\n\n   \"schema\": \"mxttl-results/0\"}", f);
    fclose(f);
    assert_int_equal(hn_results_read_file(path, &run, why, sizeof(why)), HN_REPORT_SCHEMA);
    char want[4200];
    snprintf(want, sizeof(want), "%s: unsupported schema", path);
    if (strstr(why, want) == NULL)
        fail_msg("why: got \"%s\", want \"%s...\"", why, want);
    assert_null(run);
    assert_int_equal(hn_results_read_file(NULL, &run, why, sizeof(why)), HN_REPORT_INVAL);
    assert_int_equal(hn_results_read_mem("x", "{}", 2, NULL, why, sizeof(why)), HN_REPORT_INVAL);
    /* A zero-length why buffer is allowed. */
    assert_int_equal(hn_results_read_mem("x", "[", 1, &run, NULL, 0), HN_REPORT_SYNTAX);
    hn_test_rmtree(dir);
    free(dir);
}

/* The example in RESULTS-SCHEMA.md is a valid file: the document cannot drift from the reader. */
static void test_schema_doc_example(void **state)
{
    (void)state;
    char *doc = hn_test_slurp(HN_REPORT_SCHEMA_DOC, NULL);
    if (doc == NULL) {
        fail_msg("got no %s, want the schema document", HN_REPORT_SCHEMA_DOC);
        return;
    }
    char *start = strstr(doc, "```json\n");
    assert_non_null(start);
    start += 8;
    char *end = strstr(start, "\n```");
    assert_non_null(end);
    struct st_run *run = NULL;
    char why[512];
    enum hn_report_status st = hn_results_read_mem("RESULTS-SCHEMA.md example", start,
                                                (size_t)(end - start), &run, why, sizeof(why));
    if (st != HN_REPORT_OK)
        fail_msg("example: got %s (%s), want ok", hn_report_status_str(st), why);
    assert_int_equal(run->targets[0].clauses[0].verdict, ST_FAIL);
    assert_int_equal(run->timelines[0].nevents, 4);
    st_run_free(run);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_identical),
        cmocka_unit_test(test_values_survive),
        cmocka_unit_test(test_numbers_round_trip),
        cmocka_unit_test(test_empty_run),
        cmocka_unit_test(test_minimal_with_whitespace),
        cmocka_unit_test(test_syntax_errors_with_positions),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_schema_errors),
        cmocka_unit_test(test_truncations_and_corruptions),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_schema_doc_example),
    };
    return cmocka_run_group_tests_name("hn_results", tests, NULL, NULL);
}
