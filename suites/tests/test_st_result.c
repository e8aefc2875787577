/*
 * test_st_result: the run-results structure (suites/st_result.c) -- enum strings both ways,
 * appenders copying their strings, st_set_str/st_set_fmt, counts and conformance. Lives with
 * the report tests because mxttl_results is built here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "st_result.h"

static void test_enum_strings_round_trip(void **state)
{
    (void)state;
    for (int v = 0; v < ST_VERDICT_COUNT; v++) {
        enum st_verdict back;
        assert_int_equal(st_verdict_from_str(st_verdict_str((enum st_verdict)v), &back), 0);
        assert_int_equal(back, v);
    }
    assert_string_equal(st_verdict_str(ST_NA), "N/A");
    assert_string_equal(st_verdict_str(ST_NONSTRICT), "NON-STRICT");
    assert_string_equal(st_verdict_str((enum st_verdict)99), "unknown");
    enum st_verdict v;
    assert_int_equal(st_verdict_from_str("pass", &v), -1); /* exact, case-sensitive */
    assert_int_equal(st_verdict_from_str(NULL, &v), -1);
    for (int l = ST_LEVEL_MUST; l <= ST_LEVEL_INFO; l++) {
        enum st_level back;
        assert_int_equal(st_level_from_str(st_level_str((enum st_level)l), &back), 0);
        assert_int_equal(back, l);
    }
    for (int c = ST_CLASS_LEGACY; c <= ST_CLASS_UNKNOWN; c++) {
        enum st_class back;
        assert_int_equal(st_class_from_str(st_class_str((enum st_class)c), &back), 0);
        assert_int_equal(back, c);
    }
    assert_string_equal(st_class_str(ST_CLASS_TTL), "ttl");
    for (int k = ST_EV_STEP; k <= ST_EV_TTL; k++) {
        enum st_event_kind back;
        assert_int_equal(st_event_kind_from_str(st_event_kind_str((enum st_event_kind)k), &back),
                         0);
        assert_int_equal(back, k);
    }
    enum st_event_kind k;
    assert_int_equal(st_event_kind_from_str("STEP", &k), -1);
    assert_string_equal(st_level_str((enum st_level)7), "unknown");
}

static void test_appenders_copy(void **state)
{
    (void)state;
    st_run_free(NULL);
    struct st_run *run = st_run_new();
    assert_non_null(run);
    char name[] = "model:ttl";
    struct st_target_result *t = st_run_add_target(run, name, "ttl");
    assert_non_null(t);
    name[0] = 'X';
    assert_string_equal(t->target, "model:ttl"); /* a copy, not the caller's buffer */
    assert_string_not_equal(t->target, name);
    assert_int_equal(t->klass, ST_CLASS_UNKNOWN);
    /* Growth past the first capacity keeps earlier elements intact. */
    for (int i = 0; i < 40; i++) {
        struct st_clause_result *c =
            st_target_add_clause(t, "TTL-2", ST_LEVEL_MUST, i % 2 ? ST_FAIL : ST_PASS, "s");
        assert_non_null(c);
        assert_int_equal(st_set_fmt(&c->observed, "lookup %d", i), 0);
    }
    assert_int_equal(t->nclauses, 40);
    assert_string_equal(t->clauses[39].observed, "lookup 39");
    assert_null(t->clauses[0].note);
    struct st_timeline *tl = st_run_add_timeline(run, "s", "model:ttl", NULL);
    assert_non_null(tl);
    assert_null(tl->time_mode);
    assert_int_equal(st_timeline_add(tl, ST_EV_LOOKUP, 1.5, 99.0, 2, NULL, NULL), 0);
    assert_int_equal(st_timeline_add(tl, ST_EV_TTL, 1.5, 99.0, 2, "w", "d"), 0);
    assert_true(tl->events[0].t_end == 1.5); /* t_end only kept for TTL windows */
    assert_string_equal(tl->events[0].text, "");
    assert_true(tl->events[1].t_end == 99.0);
    assert_string_equal(tl->events[1].detail, "d");
    assert_int_equal(st_timeline_add(NULL, ST_EV_STEP, 0, 0, 0, "x", NULL), -1);
    assert_null(st_run_add_target(NULL, "x", "y"));
    assert_null(st_target_add_clause(NULL, "x", ST_LEVEL_MUST, ST_PASS, NULL));
    st_run_free(run);
}

static void test_set_str_and_fmt(void **state)
{
    (void)state;
    char *f = NULL;
    assert_int_equal(st_set_str(&f, "a"), 0);
    assert_string_equal(f, "a");
    assert_int_equal(st_set_fmt(&f, "%s-%d", f, 7), 0); /* may format from the old value */
    assert_string_equal(f, "a-7");
    assert_int_equal(st_set_str(&f, NULL), 0);
    assert_null(f);
    assert_int_equal(st_set_str(NULL, "x"), -1);
    char big[5000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(st_set_fmt(&f, "<%s>", big), 0);
    assert_int_equal(strlen(f), sizeof(big) + 1);
    free(f);
}

static void test_counts_and_conforms(void **state)
{
    (void)state;
    struct st_run *run = st_run_new();
    struct st_target_result *t = st_run_add_target(run, "t", "ttl");
    size_t counts[ST_VERDICT_COUNT];
    st_target_counts(t, counts);
    for (int v = 0; v < ST_VERDICT_COUNT; v++)
        assert_int_equal(counts[v], 0);
    assert_true(st_target_conforms(t));
    const enum st_verdict vs[] = {ST_PASS, ST_PASS, ST_NONSTRICT, ST_INFO, ST_NA};
    for (size_t i = 0; i < 5; i++)
        st_target_add_clause(t, "C-1", ST_LEVEL_MUST, vs[i], NULL);
    st_target_counts(t, counts);
    assert_int_equal(counts[ST_PASS], 2);
    assert_int_equal(counts[ST_NONSTRICT], 1);
    assert_int_equal(counts[ST_FAIL], 0);
    if (!st_target_conforms(t))
        fail_msg("conforms with NON-STRICT/INFO/N/A: got 0, want 1");
    st_target_add_clause(t, "C-2", ST_LEVEL_MUST, ST_ERROR, NULL);
    assert_false(st_target_conforms(t));
    t->clauses[5].verdict = ST_FAIL;
    assert_false(st_target_conforms(t));
    st_target_counts(t, counts);
    assert_int_equal(counts[ST_FAIL], 1);
    assert_int_equal(counts[ST_ERROR], 0);
    assert_false(st_target_conforms(NULL));
    st_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enum_strings_round_trip),
        cmocka_unit_test(test_appenders_copy),
        cmocka_unit_test(test_set_str_and_fmt),
        cmocka_unit_test(test_counts_and_conforms),
    };
    return cmocka_run_group_tests_name("st_result", tests, NULL, NULL);
}
