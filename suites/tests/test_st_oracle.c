/*
 * test_st_oracle: the suites' own oracle. It agrees with the reference model (stub resolver and
 * rc_lookup_route, no cache) on every step and name of the whole scenario library, and it
 * applies SPEC.md's rules where they are easy to get wrong: the least TTL over every record
 * used (CNAMEs included), TTLs above 2^31-1 as 0, exchangers without address left out, a
 * SERVFAIL exchanger making a temporary failure only when no other has an address, null MX,
 * the implicit MX, NXDOMAIN. Hermetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "st_oracle.h"
#include "st_suite.h"

static void model_and_oracle_agree_on_library(void **state)
{
    (void)state;
    struct st_library *lib = NULL;
    char why[1024] = "";
    assert_int_equal(st_library_load(&lib, MXTTL_SCENARIOS, why, sizeof why), ST_OK);
    for (size_t i = 0; i < st_library_count(lib); i++) {
        int rc = st_oracle_check_model(st_library_at(lib, i), why, sizeof why);
        if (rc != 0)
            fail_msg("%s: got %s (%s), want the model and the oracle to agree",
                     fx_scenario_name(st_library_at(lib, i)), rc > 0 ? "a difference" : "an error",
                     why);
    }
    st_library_free(lib);
}

static const char rules_scn[] =
    "scenario rules\n"
    "description x\n"
    "clauses COM-1\n"
    "step 0\n"
    "alias.rules.test. 50 IN CNAME real.rules.test.\n"
    "real.rules.test. 300 IN MX 20 b.rules.test.\n"
    "real.rules.test. 300 IN MX 10 a.rules.test.\n"
    "real.rules.test. 300 IN MX 10 noaddr.rules.test.\n"
    "a.rules.test. 100 IN A 127.0.0.2\n"
    "a.rules.test. 100 IN A 127.0.0.1\n"
    "b.rules.test. 2147483648 IN A 127.0.0.3\n"
    "noaddr.rules.test. 300 IN AAAA ::1\n"
    "sf.rules.test. 300 IN MX 10 broken.rules.test.\n"
    "null.rules.test. 300 IN MX 0 .\n"
    "implicit.rules.test. 30 IN A 127.0.0.4\n"
    "servfail broken.rules.test\n"
    "nxdomain missing.rules.test\n"
    "lookup 0 alias.rules.test\n"
    "lookup 0 sf.rules.test\n"
    "lookup 0 null.rules.test\n"
    "lookup 0 implicit.rules.test\n"
    "lookup 0 missing.rules.test\n"
    "lookup 0 real.rules.test\n";

static void expect(const struct st_oracle *o, const char *name, enum rc_status st,
                   const char *text, uint32_t ttl, int implicit)
{
    struct st_oracle_answer ans;
    assert_int_equal(st_oracle_resolve(o, 0, name, 0, &ans), 0);
    if (ans.status != st || (st == RC_OK && (strcmp(ans.text, text) != 0 || ans.ttl != ttl ||
                                             ans.implicit != implicit)))
        fail_msg("%s: got %s \"%s\" TTL %u%s (%s), want %s \"%s\" TTL %u%s", name,
                 rc_status_str(ans.status), ans.text ? ans.text : "", ans.ttl,
                 ans.implicit ? " implicit" : "", ans.why, rc_status_str(st), text ? text : "",
                 ttl, implicit ? " implicit" : "");
    st_oracle_answer_clear(&ans);
}

static void oracle_applies_the_rules(void **state)
{
    (void)state;
    struct fx_scenario *sc = NULL;
    char why[512] = "";
    if (fx_scenario_parse(&sc, rules_scn, strlen(rules_scn), "rules.scn", why, sizeof why) !=
        FX_OK)
        fail_msg("scenario: %s", why);
    struct st_oracle *o = NULL;
    assert_int_equal(st_oracle_new(&o, sc, why, sizeof why), 0);
    /* through the CNAME (TTL 50); b's TTL above 2^31-1 counts as 0 and is the least */
    expect(o, "Alias.Rules.Test.", RC_OK,
           "10 a.rules.test 127.0.0.1,127.0.0.2; 20 b.rules.test 127.0.0.3", 0, 0);
    expect(o, "real.rules.test", RC_OK,
           "10 a.rules.test 127.0.0.1,127.0.0.2; 20 b.rules.test 127.0.0.3", 0, 0);
    expect(o, "sf.rules.test", RC_RETRY, NULL, 0, 0);
    expect(o, "null.rules.test", RC_NULLMX, NULL, 0, 0);
    expect(o, "implicit.rules.test", RC_OK, "0 implicit.rules.test 127.0.0.4", 30, 1);
    expect(o, "missing.rules.test", RC_NXDOMAIN, NULL, 0, 0);
    /* the model agrees on all of it */
    if (st_oracle_check_model(sc, why, sizeof why) != 0)
        fail_msg("model and oracle differ: %s", why);
    st_oracle_free(o);
    fx_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_and_oracle_agree_on_library),
        cmocka_unit_test(oracle_applies_the_rules),
    };
    return cmocka_run_group_tests_name("st_oracle", tests, NULL, NULL);
}
