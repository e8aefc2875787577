/*
 * Tests of rc_route: a route built from exchangers reads back exactly, formats canonically,
 * copies as one block, and rejects NULL strings instead of crashing.
 */
#include <stdlib.h>
#include "rc_test.h"
#include "rc_route.h"

static struct rc_route *two_mx(void)
{
    static const char *const a1[] = {"127.0.0.10", "127.0.0.11"};
    static const char *const a2[] = {"::1"};
    struct rc_route_xspec x[] = {{"mx1.a.test", 10, 2, a1}, {"mx2.a.test", 20, 1, a2}};
    struct rc_route *rt = NULL;
    EXPECT_U(rc_route_new(&rt, "a.test", 0, 300, x, 2), RC_OK, "rc_route_new");
    return rt;
}

static void test_accessors(void **state)
{
    (void)state;
    struct rc_route *rt = two_mx();
    EXPECT_S(rc_route_domain(rt), "a.test", "domain");
    EXPECT_U(rc_route_count(rt), 2, "count");
    EXPECT_S(rc_route_name(rt, 1), "mx2.a.test", "name 1");
    EXPECT_U(rc_route_pref(rt, 0), 10, "pref 0");
    EXPECT_U(rc_route_addr_count(rt, 0), 2, "addr count 0");
    EXPECT_S(rc_route_addr(rt, 0, 1), "127.0.0.11", "addr 0.1");
    EXPECT_S(rc_route_addr(rt, 1, 0), "::1", "addr 1.0");
    EXPECT_U(rc_route_ttl(rt), 300, "ttl");
    EXPECT_U(rc_route_implicit(rt), 0, "implicit");
    /* Out of range reads are NULL / 0, not memory beyond the block. */
    assert_null(rc_route_name(rt, 2));
    assert_null(rc_route_addr(rt, 1, 1));
    EXPECT_U(rc_route_addr_count(rt, 9), 0, "addr count 9");
    assert_true(rc_route_size(rt) > sizeof(uint32_t) * 4);
    rc_route_free(rt);
}

static void test_format(void **state)
{
    (void)state;
    struct rc_route *rt = two_mx();
    char buf[128];
    const char *want = "10 mx1.a.test 127.0.0.10,127.0.0.11; 20 mx2.a.test ::1";
    size_t n = rc_route_format(rt, buf, sizeof(buf));
    EXPECT_S(buf, want, "format");
    EXPECT_U(n, strlen(want), "format length");
    char small[8];
    n = rc_route_format(rt, small, sizeof(small));
    EXPECT_U(n, strlen(want), "needed length with small buffer");
    EXPECT_S(small, "10 mx1.", "truncated");
    rc_route_free(rt);
}

static void test_dup_is_independent(void **state)
{
    (void)state;
    struct rc_route *rt = two_mx(), *copy = NULL;
    EXPECT_U(rc_route_dup(rt, &copy), RC_OK, "rc_route_dup");
    rc_route_free(rt);
    EXPECT_S(rc_route_addr(copy, 0, 0), "127.0.0.10", "copy addr after original freed");
    EXPECT_S(rc_route_domain(copy), "a.test", "copy domain");
    rc_route_free(copy);
    rc_route_free(NULL);
}

static void test_invalid(void **state)
{
    (void)state;
    struct rc_route *rt = NULL;
    struct rc_route_xspec bad = {NULL, 10, 0, NULL};
    EXPECT_U(rc_route_new(&rt, "a.test", 0, 1, &bad, 1), RC_INVAL, "NULL exchanger name");
    assert_null(rt);
    EXPECT_U(rc_route_new(&rt, NULL, 0, 1, NULL, 0), RC_INVAL, "NULL domain");
    EXPECT_U(rc_route_dup(NULL, &rt), RC_INVAL, "dup NULL");
    assert_null(rc_route_domain(NULL));
    char buf[16];
    rc_route_format(NULL, buf, sizeof(buf));
    EXPECT_S(buf, "(none)", "format NULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_dup_is_independent),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests_name("rc_route", tests, NULL, NULL);
}
