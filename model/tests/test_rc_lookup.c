/*
 * Tests of rc_lookup without a cache: name normalisation and its invalid inputs, preference
 * order, null MX, implicit MX, exchangers without addresses, the effective TTL (minimum over
 * MX and address RRsets; RFC 2181 s8 clamp), temporary failures, and the exact queries made.
 */
#include <stdlib.h>
#include "rc_test.h"
#include "rc_cache.h"
#include "rc_lookup.h"

#define T_A 1
#define T_MX 15
#define T_AAAA 28

static struct rc_resolver *stub(const char *zone)
{
    struct rc_resolver *r = NULL;
    char why[200] = "";
    EXPECT_ST(rc_resolver_stub_new(&r), RC_OK, "rc_resolver_stub_new");
    EXPECT_ST(rc_resolver_stub_load(r, zone, why, sizeof(why)), RC_OK, why);
    return r;
}

static void expect_route(const struct rc_route *rt, const char *want, const char *what)
{
    char buf[512];
    rc_route_format(rt, buf, sizeof(buf));
    EXPECT_S(buf, want, what);
}

static void test_normalize(void **state)
{
    (void)state;
    char out[254], why[200];
    EXPECT_ST(rc_name_normalize("Mail.EXAMPLE.test.", out, sizeof(out), why, sizeof(why)), RC_OK, "mixed case");
    EXPECT_S(out, "mail.example.test", "lower case, no trailing dot");
    EXPECT_ST(rc_name_normalize("_x-1.test", out, sizeof(out), why, sizeof(why)), RC_OK, "underscore, digit, hyphen");
    EXPECT_S(out, "_x-1.test", "kept");
}

static void test_normalize_invalid(void **state)
{
    (void)state;
    char out[254], why[200];
    char label64[80], name254[300], name253[300];
    memset(label64, 'a', 64);
    strcpy(label64 + 64, ".test");
    /* 253 octets: 63 + 1 + 63 + 1 + 63 + 1 + 61 */
    memset(name253, 'b', 253);
    name253[63] = name253[127] = name253[191] = '.';
    name253[253] = '\0';
    strcpy(name254, name253);
    strcat(name254, "c");
    const char *bad[] = {"", ".", "a..test", ".a.test", "a.test..", "a b.test", "a\nb.test", "a,b.test",
                         "caf\xc3\xa9.test", "a/b.test", label64, name254};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why[0] = '\0';
        enum rc_status st = rc_name_normalize(bad[i], out, sizeof(out), why, sizeof(why));
        if (st != RC_INVAL)
            fail_msg("rc_name_normalize(case %zu): got %s, want inval", i, rc_status_str(st));
        if (why[0] == '\0')
            fail_msg("rc_name_normalize(case %zu): no reason given", i);
    }
    EXPECT_ST(rc_name_normalize(NULL, out, sizeof(out), why, sizeof(why)), RC_INVAL, "NULL");
    EXPECT_ST(rc_name_normalize("a.test", NULL, 0, why, sizeof(why)), RC_INVAL, "no buffer");
    EXPECT_ST(rc_name_normalize("a.test", out, 4, why, sizeof(why)), RC_INVAL, "buffer too small");
    EXPECT_ST(rc_name_normalize(name253, out, sizeof(out), why, sizeof(why)), RC_OK, "253 octets");
    char dotted[310];
    snprintf(dotted, sizeof(dotted), "%s.", name253);
    EXPECT_ST(rc_name_normalize(dotted, out, sizeof(out), why, sizeof(why)), RC_OK, "253 octets + dot");
}

static const char *zone_abc =
    "a.test. 300 IN MX 20 mx-b.a.test.\n"
    "a.test. 300 IN MX 10 mx-c.a.test.\n"
    "a.test. 300 IN MX 10 mx-a.a.test.\n"
    "mx-a.a.test. 300 IN A 127.0.0.1\n"
    "mx-b.a.test. 300 IN A 127.0.0.2\n"
    "mx-c.a.test. 300 IN A 127.0.0.3\n"
    "mx-c.a.test. 300 IN AAAA ::3\n";

static void test_COM_1_preference_order(void **state)
{
    (void)state;
    struct rc_resolver *r = stub(zone_abc);
    struct rc_route *rt = NULL;
    EXPECT_ST(rc_lookup_route(r, "A.test.", 0, 0, &rt, NULL, 0), RC_OK, "lookup");
    expect_route(rt, "10 mx-a.a.test 127.0.0.1; 10 mx-c.a.test 127.0.0.3; 20 mx-b.a.test 127.0.0.2",
                 "preference order, ties by name");
    EXPECT_S(rc_route_domain(rt), "a.test", "domain normalised");
    EXPECT_U(rc_resolver_queries(r), 4, "queries: MX + 3 A");
    rc_route_free(rt);
    rc_resolver_free(r);
}

static void test_COM_9_query_order(void **state)
{
    (void)state;
    struct rc_resolver *r = stub(zone_abc);
    struct rc_route *rt = NULL;
    EXPECT_ST(rc_lookup_route(r, "a.test", 1, 0, &rt, NULL, 0), RC_OK, "lookup with AAAA");
    static const struct {
        const char *name;
        uint16_t type;
    } want[] = {{"a.test", T_MX},         {"mx-a.a.test", T_A}, {"mx-a.a.test", T_AAAA}, {"mx-c.a.test", T_A},
                {"mx-c.a.test", T_AAAA}, {"mx-b.a.test", T_A}, {"mx-b.a.test", T_AAAA}};
    EXPECT_U(rc_resolver_stub_log_count(r), 7, "queries");
    for (size_t i = 0; i < 7; i++) {
        uint16_t type = 0;
        EXPECT_S(rc_resolver_stub_log(r, i, &type), want[i].name, "query name");
        EXPECT_U(type, want[i].type, "query type");
    }
    expect_route(rt, "10 mx-a.a.test 127.0.0.1; 10 mx-c.a.test 127.0.0.3,::3; 20 mx-b.a.test 127.0.0.2",
                 "AAAA added");
    rc_route_free(rt);
    rc_resolver_free(r);
}

static void test_COM_2_implicit_mx(void **state)
{
    (void)state;
    struct rc_resolver *r = stub("imp.test. 120 IN A 127.0.0.5\n");
    struct rc_route *rt = NULL;
    EXPECT_ST(rc_lookup_route(r, "imp.test", 0, 0, &rt, NULL, 0), RC_OK, "implicit MX");
    expect_route(rt, "0 imp.test 127.0.0.5", "route to the domain itself");
    EXPECT_U(rc_route_implicit(rt), 1, "implicit flag");
    EXPECT_U(rc_route_ttl(rt), 120, "TTL of the address");
    EXPECT_U(rc_resolver_queries(r), 2, "queries: MX + A");
    rc_route_free(rt);
    rc_resolver_free(r);
}

static void test_COM_3_null_mx(void **state)
{
    (void)state;
    struct rc_resolver *r = stub("null.test. 300 IN MX 0 .\nnull.test. 300 IN A 127.0.0.9\n");
    struct rc_route *rt = NULL;
    char why[200] = "";
    EXPECT_ST(rc_lookup_route(r, "null.test", 0, 0, &rt, why, sizeof(why)), RC_NULLMX, "null MX");
    assert_null(rt);
    assert_non_null(strstr(why, "null MX"));
    EXPECT_U(rc_resolver_queries(r), 1, "queries: MX only");
    rc_resolver_free(r);
}

static void test_COM_4_nxdomain_and_noaddr(void **state)
{
    (void)state;
    struct rc_resolver *r = stub("nomx.test. 300 IN TXT \"no mail\"\n"
                                 "dead.test. 300 IN MX 10 gone.test.\n"
                                 "half.test. 300 IN MX 10 gone.test.\nhalf.test. 300 IN MX 20 ok.test.\n"
                                 "ok.test. 300 IN A 127.0.0.7\n");
    struct rc_route *rt = NULL;
    EXPECT_ST(rc_lookup_route(r, "nx.test", 0, 0, &rt, NULL, 0), RC_NXDOMAIN, "NXDOMAIN");
    EXPECT_U(rc_resolver_queries(r), 1, "queries after NXDOMAIN");
    EXPECT_ST(rc_lookup_route(r, "nomx.test", 0, 0, &rt, NULL, 0), RC_NOADDR, "no MX, no address");
    EXPECT_U(rc_resolver_queries(r), 3, "queries after no MX/no address: MX + A");
    EXPECT_ST(rc_lookup_route(r, "dead.test", 0, 0, &rt, NULL, 0), RC_NOADDR, "no exchanger has an address");
    EXPECT_U(rc_resolver_queries(r), 5, "queries after dead.test");
    EXPECT_ST(rc_lookup_route(r, "half.test", 0, 0, &rt, NULL, 0), RC_OK, "one exchanger has an address");
    expect_route(rt, "20 ok.test 127.0.0.7", "exchanger without address skipped");
    rc_route_free(rt);
    rc_resolver_free(r);
}

static const char *zone_ttl =
    "t.test. 300 IN MX 10 mx1.t.test.\n"
    "t.test. 300 IN MX 20 mx2.t.test.\n"
    "mx1.t.test. 600 IN A 127.0.0.1\n"
    "mx2.t.test. 30 IN A 127.0.0.2\n";

static void test_TTL_4_minimum_ttl(void **state)
{
    (void)state;
    struct rc_resolver *r = stub(zone_ttl);
    struct rc_route *rt = NULL;
    EXPECT_ST(rc_lookup_route(r, "t.test", 0, 0, &rt, NULL, 0), RC_OK, "lookup");
    EXPECT_U(rc_route_ttl(rt), 30, "minimum of MX 300, A 600, A 30");
    rc_route_free(rt);
    /* The deliberate fault uses the MX TTL only. */
    EXPECT_ST(rc_lookup_route(r, "t.test", 0, RC_FAULT_IGNORE_ADDR_TTL, &rt, NULL, 0), RC_OK, "lookup");
    EXPECT_U(rc_route_ttl(rt), 300, "ignore-addr-ttl: MX TTL");
    rc_route_free(rt);
    rc_resolver_free(r);
}

static void test_TTL_8_huge_ttl_counts_as_zero(void **state)
{
    (void)state;
    struct rc_resolver *r = stub("h.test. 4294967295 IN MX 10 mx.h.test.\nmx.h.test. 300 IN A 127.0.0.1\n"
                                 "g.test. 2147483647 IN MX 10 mx.g.test.\nmx.g.test. 2147483648 IN A 127.0.0.1\n");
    struct rc_route *rt = NULL;
    EXPECT_ST(rc_lookup_route(r, "h.test", 0, 0, &rt, NULL, 0), RC_OK, "lookup h");
    EXPECT_U(rc_route_ttl(rt), 0, "MX TTL 2^32-1 counts as 0");
    rc_route_free(rt);
    EXPECT_ST(rc_lookup_route(r, "g.test", 0, 0, &rt, NULL, 0), RC_OK, "lookup g");
    EXPECT_U(rc_route_ttl(rt), 0, "A TTL 2^31 counts as 0");
    rc_route_free(rt);
    rc_resolver_free(r);
}

static void test_COM_5_6_7_temporary_failures(void **state)
{
    (void)state;
    static const enum rc_stub_fault faults[] = {RC_STUB_SERVFAIL, RC_STUB_TIMEOUT, RC_STUB_MALFORMED,
                                                RC_STUB_MISMATCH};
    for (size_t i = 0; i < 4; i++) {
        struct rc_resolver *r = stub(zone_ttl);
        struct rc_route *rt = NULL;
        /* On the MX query, and on the only address queries. */
        EXPECT_ST(rc_resolver_stub_fault(r, "t.test", faults[i]), RC_OK, "fault");
        EXPECT_ST(rc_lookup_route(r, "t.test", 0, 0, &rt, NULL, 0), RC_RETRY, "MX query failed");
        assert_null(rt);
        EXPECT_U(rc_resolver_queries(r), 1, "queries");
        EXPECT_ST(rc_resolver_stub_fault(r, "t.test", RC_STUB_NONE), RC_OK, "fault");
        EXPECT_ST(rc_resolver_stub_fault(r, "mx1.t.test", faults[i]), RC_OK, "fault");
        EXPECT_ST(rc_resolver_stub_fault(r, "mx2.t.test", faults[i]), RC_OK, "fault");
        EXPECT_ST(rc_lookup_route(r, "t.test", 0, 0, &rt, NULL, 0), RC_RETRY, "every A query failed");
        EXPECT_ST(rc_resolver_stub_fault(r, "mx2.t.test", RC_STUB_NONE), RC_OK, "fault");
        EXPECT_ST(rc_lookup_route(r, "t.test", 0, 0, &rt, NULL, 0), RC_OK, "one A query failed");
        expect_route(rt, "20 mx2.t.test 127.0.0.2", "the exchanger that answered");
        rc_route_free(rt);
        rc_resolver_free(r);
    }
}

static void test_lookup_host(void **state)
{
    (void)state;
    struct rc_resolver *r = stub("smart.test. 60 IN A 127.0.0.99\nsmart.test. 60 IN MX 10 other.test.\n");
    struct rc_route *rt = NULL;
    EXPECT_ST(rc_lookup_host(r, "Smart.test.", 0, &rt, NULL, 0), RC_OK, "forward host");
    expect_route(rt, "0 smart.test 127.0.0.99", "host route");
    EXPECT_U(rc_route_ttl(rt), 60, "address TTL");
    EXPECT_U(rc_resolver_queries(r), 1, "queries: A only, never MX");
    rc_route_free(rt);
    EXPECT_ST(rc_lookup_host(r, "nohost.test", 0, &rt, NULL, 0), RC_NXDOMAIN, "unknown host");
    rc_resolver_free(r);
}

static void test_invalid_input(void **state)
{
    (void)state;
    struct rc_resolver *r = stub(zone_ttl);
    struct rc_route *rt = (struct rc_route *)1;
    EXPECT_ST(rc_lookup_route(r, NULL, 0, 0, &rt, NULL, 0), RC_INVAL, "NULL domain");
    assert_null(rt);
    EXPECT_ST(rc_lookup_route(r, "bad name.test", 0, 0, &rt, NULL, 0), RC_INVAL, "space");
    EXPECT_ST(rc_lookup_route(NULL, "t.test", 0, 0, &rt, NULL, 0), RC_INVAL, "NULL resolver");
    EXPECT_ST(rc_lookup_route(r, "t.test", 0, 0, NULL, NULL, 0), RC_INVAL, "NULL out");
    EXPECT_ST(rc_lookup_host(r, "", 0, &rt, NULL, 0), RC_INVAL, "empty host");
    EXPECT_U(rc_resolver_queries(r), 0, "no query for invalid input");
    rc_resolver_free(r);
}

/* No cap on exchangers: 200 MX records (the model once used the first 64), in preference
 * order, each with its address. */
static void test_many_exchangers(void **state)
{
    (void)state;
    size_t n = 200, cap = n * 80 + 1;
    char *zone = calloc(1, cap);
    assert_non_null(zone);
    for (size_t i = 0, l = 0; i < n; i++, l = strlen(zone))
        snprintf(zone + l, cap - l, "many.test. 300 IN MX %zu mx%zu.many.test.\n"
                                    "mx%zu.many.test. 300 IN A 127.0.%zu.%zu\n",
                 n - i, i, i, i / 250, i % 250 + 1);
    struct rc_resolver *r = stub(zone);
    struct rc_route *rt = NULL;
    EXPECT_ST(rc_lookup_route(r, "many.test", 0, 0, &rt, NULL, 0), RC_OK, "lookup");
    EXPECT_U(rc_route_count(rt), n, "exchangers");
    EXPECT_U(rc_route_pref(rt, 0), 1, "lowest preference first");
    EXPECT_S(rc_route_name(rt, n - 1), "mx0.many.test", "highest preference last");
    EXPECT_U(rc_resolver_queries(r), n + 1, "one MX and one A query per exchanger");
    rc_route_free(rt);
    rc_resolver_free(r);
    free(zone);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_normalize_invalid),
        cmocka_unit_test(test_COM_1_preference_order),
        cmocka_unit_test(test_COM_9_query_order),
        cmocka_unit_test(test_COM_2_implicit_mx),
        cmocka_unit_test(test_COM_3_null_mx),
        cmocka_unit_test(test_COM_4_nxdomain_and_noaddr),
        cmocka_unit_test(test_TTL_4_minimum_ttl),
        cmocka_unit_test(test_TTL_8_huge_ttl_counts_as_zero),
        cmocka_unit_test(test_COM_5_6_7_temporary_failures),
        cmocka_unit_test(test_lookup_host),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_many_exchangers),
    };
    return cmocka_run_group_tests_name("rc_lookup", tests, NULL, NULL);
}
