/*
 * test_hn_diff: verdict changes between runs -- worse, better, same-rank, gone and new, the
 * ranking, the stable sorted output, and diffing from files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_diff.h"
#include "hn_report_test.h"

static void test_rank(void **state)
{
    (void)state;
    assert_int_equal(hn_diff_rank(ST_PASS), 0);
    assert_int_equal(hn_diff_rank(ST_INFO), 0);
    assert_int_equal(hn_diff_rank(ST_NA), 0);
    assert_int_equal(hn_diff_rank(ST_NONSTRICT), 1);
    assert_int_equal(hn_diff_rank(ST_FAIL), 2);
    assert_int_equal(hn_diff_rank(ST_ERROR), 2);
}

static char *diff(const struct st_run *o, const struct st_run *n, int *worse)
{
    char *text = NULL;
    assert_int_equal(hn_diff_runs(o, n, &text, worse), HN_REPORT_OK);
    assert_non_null(text);
    return text;
}

static void test_unchanged(void **state)
{
    (void)state;
    struct st_run *a = hn_test_run(0), *b = hn_test_run(0);
    int worse = -1;
    char *t = diff(a, b, &worse);
    assert_int_equal(worse, 0);
    assert_string_equal(t, "diff: 0 changed (0 worse, 0 gone, 0 better, 0 changed at the same "
                           "rank, 0 new), 9 unchanged\n");
    free(t);
    st_run_free(a);
    st_run_free(b);
}

static void test_all_kinds_sorted(void **state)
{
    (void)state;
    static const char *const ids_old[] = {"TTL-10", "TTL-2", "COM-1", "LEG-5", "TTL-3", "TTL-4"};
    const enum st_verdict vo[] = {ST_PASS, ST_FAIL, ST_PASS, ST_INFO, ST_PASS, ST_NONSTRICT};
    static const char *const ids_new[] = {"TTL-2", "TTL-10", "COM-1", "LEG-5", "TTL-4", "COM-9"};
    const enum st_verdict vn[] = {ST_PASS, ST_NONSTRICT, ST_PASS, ST_NA, ST_ERROR, ST_INFO};
    struct st_run *o = hn_test_small_run("model:ttl", ids_old, vo, 6);
    struct st_run *n = hn_test_small_run("model:ttl", ids_new, vn, 6);
    int worse = 0;
    char *t = diff(o, n, &worse);
    assert_int_equal(worse, 1);
    const char *want = "CHANGED model:ttl LEG-5: INFO -> N/A\n"
                       "BETTER  model:ttl TTL-2: FAIL -> PASS\n"
                       "GONE    model:ttl TTL-3: PASS -> (missing)\n"
                       "WORSE   model:ttl TTL-4: NON-STRICT -> ERROR\n"
                       "WORSE   model:ttl TTL-10: PASS -> NON-STRICT\n"
                       "NEW     model:ttl COM-9: (missing) -> INFO\n"
                       "diff: 6 changed (2 worse, 1 gone, 1 better, 1 changed at the same rank, "
                       "1 new), 1 unchanged\n";
    if (strcmp(t, want) != 0)
        fail_msg("diff:\ngot:\n%s\nwant:\n%s", t, want);
    /* Same inputs, same bytes. */
    char *t2 = diff(o, n, &worse);
    assert_string_equal(t, t2);
    free(t2);
    free(t);
    /* The other direction. */
    t = diff(n, o, &worse);
    assert_int_equal(worse, 1); /* TTL-2 PASS -> FAIL, COM-9 gone */
    assert_non_null(strstr(t, "GONE    model:ttl COM-9: INFO -> (missing)\n"));
    free(t);
    st_run_free(o);
    st_run_free(n);
}

static void test_better_only_and_target_gone(void **state)
{
    (void)state;
    static const char *const ids[] = {"TTL-1", "TTL-2"};
    const enum st_verdict vo[] = {ST_NONSTRICT, ST_FAIL}, vn[] = {ST_PASS, ST_PASS};
    struct st_run *o = hn_test_small_run("a", ids, vo, 2);
    struct st_run *n = hn_test_small_run("a", ids, vn, 2);
    int worse = 1;
    char *t = diff(o, n, &worse);
    if (worse != 0)
        fail_msg("better only: got worse=%d, want 0\n%s", worse, t);
    assert_int_equal(hn_test_count(t, "BETTER  "), 2);
    free(t);
    /* A whole target missing from NEW: every clause is GONE and that is worse. */
    st_run_add_target(o, "b\nsecond line", "ttl");
    st_target_add_clause(&o->targets[1], "COM-1", ST_LEVEL_MUST, ST_PASS, NULL);
    n->incomplete = 1;
    t = diff(o, n, &worse);
    assert_int_equal(worse, 1);
    assert_non_null(strstr(t, "GONE    b second line COM-1: PASS -> (missing)\n"));
    assert_non_null(strstr(t, "; NEW run incomplete\n"));
    free(t);
    st_run_free(o);
    st_run_free(n);
}

static void test_paths(void **state)
{
    (void)state;
    struct st_run *a = hn_test_run(0), *b = hn_test_run(0);
    b->targets[0].clauses[2].verdict = ST_FAIL; /* TTL-3 PASS -> FAIL */
    char *dir = hn_test_tmpdir();
    char pa[4096], pb[4096], why[512];
    snprintf(pa, sizeof(pa), "%s/old", dir);
    snprintf(pb, sizeof(pb), "%s/new", dir);
    assert_int_equal(hn_report_write_dir(a, pa, HN_REPORT_FMT_JSON, why, sizeof(why)),
                     HN_REPORT_OK);
    assert_int_equal(hn_report_write_dir(b, pb, HN_REPORT_FMT_JSON, why, sizeof(why)),
                     HN_REPORT_OK);
    char *t = NULL;
    int worse = 0;
    assert_int_equal(hn_diff_paths(pa, pb, &t, &worse, why, sizeof(why)), HN_REPORT_OK);
    assert_int_equal(worse, 1);
    assert_non_null(strstr(t, "WORSE   model:ttl TTL-3: PASS -> FAIL\n"));
    free(t);
    char missing[4200];
    snprintf(missing, sizeof(missing), "%s/nothing", dir);
    assert_int_equal(hn_diff_paths(pa, missing, &t, &worse, why, sizeof(why)), HN_REPORT_IO);
    assert_null(t);
    assert_non_null(strstr(why, missing));
    assert_int_equal(hn_diff_runs(NULL, b, &t, &worse), HN_REPORT_INVAL);
    hn_test_rmtree(dir);
    free(dir);
    st_run_free(a);
    st_run_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_unchanged),
        cmocka_unit_test(test_all_kinds_sorted),
        cmocka_unit_test(test_better_only_and_target_gone),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests_name("hn_diff", tests, NULL, NULL);
}
