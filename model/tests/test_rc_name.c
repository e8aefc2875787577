/*
 * Tests of rc_name's exchanger host names (rc_name_host): lengths as DNS carries them, the root
 * kept, case folded, one trailing dot dropped, in place, never truncated -- also from an ldns
 * name rdf (rc_name_rdf). (rc_name_normalize
 * is tested in test_rc_lookup.c and fuzzed against its contract by fuzz_rc_name.)
 */
#include <stdlib.h>
#include "rc_test.h"
#include "rc_name.h"

static void host(const char *in, enum rc_status want, const char *want_out)
{
    char out[300], why[200] = "";
    enum rc_status st = rc_name_host(in, strlen(in), out, sizeof(out), why, sizeof(why));
    if (st != want)
        fail_msg("host \"%.80s\": got %s (%s), want %s", in, rc_status_str(st), why,
                 rc_status_str(want));
    if (want == RC_OK)
        EXPECT_S(out, want_out, in);
    else if (why[0] == '\0')
        fail_msg("host \"%.80s\": got no reason, want one", in);
}

static void test_host(void **state)
{
    (void)state;
    host("MX.Example.TEST.", RC_OK, "mx.example.test");
    host(".", RC_OK, ".");
    host("a", RC_OK, "a");
    host("x_y-z*.test", RC_OK, "x_y-z*.test");
    static const char *const bad[] = {"", "..", "a..b", ".a", "a.b..", "a b", "a;b", "m\xc3\xa4il"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        host(bad[i], RC_INVAL, NULL);
    char name[300];
    memset(name, 'a', 253);
    name[63] = name[127] = name[191] = '.';
    name[253] = '\0';
    host(name, RC_OK, name);
    char dotted[320];
    snprintf(dotted, sizeof(dotted), "%s.", name); /* the trailing dot is not counted */
    host(dotted, RC_OK, name);
    name[253] = 'a';
    name[254] = '\0';
    host(name, RC_INVAL, NULL); /* 254 octets */
    memset(name, 'b', 64);
    strcpy(name + 64, ".test");
    host(name, RC_INVAL, NULL); /* a label of 64 */
}

/* A name that does not fit the output is refused, never cut; in place works. */
static void test_host_no_truncation(void **state)
{
    (void)state;
    char out[8], why[100] = "";
    EXPECT_ST(rc_name_host("mail.example.test", 17, out, sizeof(out), why, sizeof(why)), RC_INVAL,
              "too small");
    char in_place[] = "MX.A.Test.";
    EXPECT_ST(rc_name_host(in_place, strlen(in_place), in_place, sizeof(in_place), NULL, 0),
              RC_OK, "in place");
    EXPECT_S(in_place, "mx.a.test", "in place");
    EXPECT_ST(rc_name_host(NULL, 0, out, sizeof(out), NULL, 0), RC_INVAL, "NULL");
}

/* A name rdf from ldns: its text checked and normalised as rc_name_host does; a rdf that is
 * not a name is refused. */
static void test_rdf(void **state)
{
    (void)state;
    char out[256], why[200] = "";
    ldns_rdf *r = ldns_dname_new_frm_str("MX1.Example.TEST.");
    assert_non_null(r);
    EXPECT_ST(rc_name_rdf(r, out, sizeof(out), why, sizeof(why)), RC_OK, "MX1.Example.TEST.");
    EXPECT_S(out, "mx1.example.test", "MX1.Example.TEST.");
    ldns_rdf_deep_free(r);
    r = ldns_dname_new_frm_str(".");
    assert_non_null(r);
    EXPECT_ST(rc_name_rdf(r, out, sizeof(out), why, sizeof(why)), RC_OK, "root");
    EXPECT_S(out, ".", "root");
    EXPECT_ST(rc_name_rdf(r, out, 1, why, sizeof(why)), RC_INVAL, "no room");
    EXPECT_S(out, "", "no room");
    ldns_rdf_deep_free(r);
    r = ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 10);
    assert_non_null(r);
    EXPECT_ST(rc_name_rdf(r, out, sizeof(out), why, sizeof(why)), RC_INVAL, "an int16 rdf");
    ldns_rdf_deep_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_host_no_truncation),
        cmocka_unit_test(test_rdf),
    };
    return cmocka_run_group_tests_name("rc_name", tests, NULL, NULL);
}
