/*
 * Tests of the stub resolver: zone text parsed by ldns (errors name the line), answers as real
 * DNS wire (NOERROR, NODATA, NXDOMAIN, CNAME), the per-name faults, the query count and log.
 */
#include <stdlib.h>
#include "rc_test.h"
#include "rc_lookup.h"
#include "rc_resolver.h"

#define T_A 1
#define T_MX 15

static const char *zone =
    "; comment line\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "\n"
    "mx1.a.test. 60 IN A 127.0.0.10\n"
    "alias.test. 30 IN CNAME a.test.\n";

static struct rc_resolver *stub(void)
{
    struct rc_resolver *r = NULL;
    char why[200] = "";
    EXPECT_ST(rc_resolver_stub_new(&r), RC_OK, "rc_resolver_stub_new");
    EXPECT_ST(rc_resolver_stub_load(r, zone, why, sizeof(why)), RC_OK, why);
    return r;
}

/* Asks (name, type) and judges the answer as the model does. */
static enum rc_status ask(struct rc_resolver *r, const char *name, uint16_t type, char **rrs, uint32_t *ttl)
{
    uint8_t *wire = NULL;
    size_t len = 0;
    *rrs = NULL;
    enum rc_status st = rc_resolver_query(r, name, type, &wire, &len, NULL, 0);
    if (st != RC_OK)
        return st;
    struct rc_records recs;
    st = rc_answer_parse(wire, len, name, type, &recs, ttl, NULL, 0);
    free(wire);
    *rrs = rc_test_records_text(&recs, type == 15);
    return st;
}

static void test_answers_from_zone(void **state)
{
    (void)state;
    struct rc_resolver *r = stub();
    char *rrs;
    uint32_t ttl;
    EXPECT_ST(ask(r, "a.test", T_MX, &rrs, &ttl), RC_OK, "MX a.test");
    EXPECT_S(rrs, "10 mx1.a.test\n", "MX a.test");
    EXPECT_U(ttl, 300, "MX TTL");
    free(rrs);
    EXPECT_ST(ask(r, "MX1.A.TEST", T_A, &rrs, &ttl), RC_OK, "A, other case");
    EXPECT_S(rrs, "127.0.0.10\n", "A mx1.a.test");
    free(rrs);
    EXPECT_ST(ask(r, "alias.test", T_MX, &rrs, &ttl), RC_OK, "MX through CNAME");
    EXPECT_U(ttl, 30, "CNAME TTL counts");
    free(rrs);
    EXPECT_ST(ask(r, "a.test", T_A, &rrs, &ttl), RC_NOADDR, "NODATA");
    EXPECT_ST(ask(r, "nope.test", T_MX, &rrs, &ttl), RC_NXDOMAIN, "NXDOMAIN");
    EXPECT_U(rc_resolver_queries(r), 5, "queries");
    rc_resolver_free(r);
}

static void test_faults(void **state)
{
    (void)state;
    struct rc_resolver *r = stub();
    char *rrs;
    uint32_t ttl;
    EXPECT_ST(rc_resolver_stub_fault(r, "A.test.", RC_STUB_SERVFAIL), RC_OK, "set fault");
    EXPECT_ST(ask(r, "a.test", T_MX, &rrs, &ttl), RC_RETRY, "SERVFAIL");
    EXPECT_ST(rc_resolver_stub_fault(r, "a.test", RC_STUB_TIMEOUT), RC_OK, "replace fault");
    uint8_t *wire = (uint8_t *)1;
    size_t len = 7;
    EXPECT_ST(rc_resolver_query(r, "a.test", T_MX, &wire, &len, NULL, 0), RC_RETRY, "timeout");
    assert_null(wire);
    EXPECT_ST(rc_resolver_stub_fault(r, "a.test", RC_STUB_MALFORMED), RC_OK, "set fault");
    EXPECT_ST(ask(r, "a.test", T_MX, &rrs, &ttl), RC_RETRY, "malformed");
    EXPECT_ST(rc_resolver_stub_fault(r, "a.test", RC_STUB_MISMATCH), RC_OK, "set fault");
    EXPECT_ST(ask(r, "a.test", T_MX, &rrs, &ttl), RC_RETRY, "mismatch");
    EXPECT_ST(rc_resolver_stub_fault(r, "a.test", RC_STUB_NONE), RC_OK, "clear fault");
    EXPECT_ST(ask(r, "a.test", T_MX, &rrs, &ttl), RC_OK, "fault cleared");
    free(rrs);
    /* Every query counts, the silent one too. */
    EXPECT_U(rc_resolver_queries(r), 5, "queries");
    EXPECT_ST(rc_resolver_stub_fault(r, "a.test", (enum rc_stub_fault)99), RC_INVAL, "bad fault");
    rc_resolver_free(r);
}

static void test_log(void **state)
{
    (void)state;
    struct rc_resolver *r = stub();
    char *rrs;
    uint32_t ttl;
    uint16_t type = 0;
    (void)ask(r, "a.test", T_MX, &rrs, &ttl);
    free(rrs);
    (void)ask(r, "Mx1.a.test", T_A, &rrs, &ttl);
    free(rrs);
    EXPECT_U(rc_resolver_stub_log_count(r), 2, "log count");
    EXPECT_S(rc_resolver_stub_log(r, 1, &type), "Mx1.a.test", "log name keeps case");
    EXPECT_U(type, T_A, "log type");
    assert_null(rc_resolver_stub_log(r, 2, &type));
    rc_resolver_free(r);
}

static void test_load_errors_name_the_line(void **state)
{
    (void)state;
    struct rc_resolver *r = stub();
    char why[200] = "";
    EXPECT_ST(rc_resolver_stub_load(r, "a.test. 300 IN MX 10 b.test.\nb.test. 300 IN A 300.1.1.1\n", why,
                                    sizeof(why)),
              RC_INVAL, "bad address");
    if (strncmp(why, "line 2:", 7) != 0)
        fail_msg("reason: got \"%s\", want it to start with \"line 2:\"", why);
    /* The old content stays. */
    char *rrs;
    uint32_t ttl;
    EXPECT_ST(ask(r, "mx1.a.test", T_A, &rrs, &ttl), RC_OK, "old content after failed load");
    free(rrs);
    EXPECT_ST(rc_resolver_stub_load(r, NULL, why, sizeof(why)), RC_INVAL, "NULL zone");
    rc_resolver_free(r);
}

static void test_invalid_queries(void **state)
{
    (void)state;
    struct rc_resolver *r = stub();
    uint8_t *wire;
    size_t len;
    char why[200];
    char longname[300];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    EXPECT_ST(rc_resolver_query(r, NULL, T_A, &wire, &len, why, sizeof(why)), RC_INVAL, "NULL name");
    EXPECT_ST(rc_resolver_query(r, "", T_A, &wire, &len, why, sizeof(why)), RC_INVAL, "empty name");
    EXPECT_ST(rc_resolver_query(r, longname, T_A, &wire, &len, why, sizeof(why)), RC_INVAL, "long name");
    EXPECT_ST(rc_resolver_query(r, "a b.test", T_A, &wire, &len, why, sizeof(why)), RC_INVAL, "space");
    EXPECT_ST(rc_resolver_query(NULL, "a.test", T_A, &wire, &len, why, sizeof(why)), RC_INVAL, "NULL resolver");
    EXPECT_U(rc_resolver_queries(r), 0, "invalid questions are not sent");
    /* Stub-only calls on something that is not a stub. */
    EXPECT_U(rc_resolver_stub_log_count(NULL), 0, "log of NULL");
    EXPECT_ST(rc_resolver_stub_load(NULL, zone, why, sizeof(why)), RC_INVAL, "load NULL");
    rc_resolver_free(r);
    rc_resolver_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers_from_zone),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_log),
        cmocka_unit_test(test_load_errors_name_the_line),
        cmocka_unit_test(test_invalid_queries),
    };
    return cmocka_run_group_tests_name("rc_resolver_stub", tests, NULL, NULL);
}
