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

/* The one parser reads what the one formatter writes, normalising names (case, one trailing
 * dot) and keeping the root, addresses and order. */
static void test_parse(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"10 mx1.a.test 127.0.0.10,127.0.0.11; 20 mx2.a.test ::1",
         "10 mx1.a.test 127.0.0.10,127.0.0.11; 20 mx2.a.test ::1"},
        {"20 MX.A.Test. 1.2.3.4; 10 b.test", "20 mx.a.test 1.2.3.4; 10 b.test"},
        {"0 .", "0 ."},
        {"0 . 127.0.0.1", "0 . 127.0.0.1"},
        {"127.0.0.10", "127.0.0.10"},
        {"65535 x_y-z.test", "65535 x_y-z.test"},
    };
    char why[200];
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct rc_route *rt = NULL;
        EXPECT_U(rc_route_parse(ok[i].in, "d.test", 7, &rt, why, sizeof(why)), RC_OK, ok[i].in);
        char *text = rc_route_text(rt);
        EXPECT_S(text, ok[i].out, ok[i].in);
        EXPECT_U(rc_route_ttl(rt), 7, "ttl");
        EXPECT_S(rc_route_domain(rt), "d.test", "domain");
        free(text);
        rc_route_free(rt);
    }
    static const char *const bad[] = {
        "", "10", "10 ", "10 a..b", "10 .a", "x a.test", "65536 a.test", "10 a.test;20 b.test",
        "10 a.test 1.2.3.4 5.6.7.8", "10 a.test 1.2.3.4,", "10 a.test; ", ",", "1.2.3.4,,5",
        "10 a.test\t1.2.3.4", "123456 a.test",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct rc_route *rt = NULL;
        why[0] = '\0';
        if (rc_route_parse(bad[i], "", 0, &rt, why, sizeof(why)) != RC_INVAL || rt != NULL ||
            why[0] == '\0')
            fail_msg("route \"%s\": got accepted or no reason, want RC_INVAL with a reason",
                     bad[i]);
    }
    struct rc_route *rt = NULL;
    EXPECT_U(rc_route_parse(NULL, "", 0, &rt, NULL, 0), RC_INVAL, "NULL text");
}

/* Equal preferences are permuted among themselves only; addresses within their exchanger. */
static void test_shuffle(void **state)
{
    (void)state;
    struct rc_route *rt = NULL;
    EXPECT_U(rc_route_parse("5 a.t 1.1.1.1,1.1.1.2; 10 b.t 2.2.2.2; 10 c.t 3.3.3.3; 10 d.t; 20 e.t",
                            "", 0, &rt, NULL, 0),
             RC_OK, "parse");
    uint64_t seed = 42;
    unsigned seen_first[3] = {0, 0, 0}, a_first = 0;
    for (int k = 0; k < 300; k++) {
        rc_route_shuffle(rt, &seed);
        EXPECT_S(rc_route_name(rt, 0), "a.t", "preference 5 stays first");
        EXPECT_S(rc_route_name(rt, 4), "e.t", "preference 20 stays last");
        for (size_t i = 1; i < 4; i++) {
            EXPECT_U(rc_route_pref(rt, i), 10, "the 10s in the middle");
            const char *n = rc_route_name(rt, i);
            EXPECT_U(rc_route_addr_count(rt, i), n[0] == 'd' ? 0 : 1, "addresses stay with it");
        }
        seen_first[rc_route_name(rt, 1)[0] - 'b']++;
        a_first += strcmp(rc_route_addr(rt, 0, 0), "1.1.1.1") == 0;
    }
    for (int i = 0; i < 3; i++)
        if (seen_first[i] < 60) /* 100 expected of 300; a fixed seed makes this exact anyway */
            fail_msg("exchanger %c first among equals: got %u of 300, want about 100", 'b' + i,
                     seen_first[i]);
    if (a_first < 100 || a_first > 200)
        fail_msg("address 1.1.1.1 first: got %u of 300, want about 150", a_first);
    rc_route_free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_dup_is_independent),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_shuffle),
    };
    return cmocka_run_group_tests_name("rc_route", tests, NULL, NULL);
}
