/*
 * test_hn_proto: the driver protocol's line grammar (harness/hn_proto.c) -- greetings,
 * requests and replies, in both directions, and the violations the harness must refuse.
 * Hermetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "hn_proto.h"
#include "rc_status.h"

static void greeting_round_trip(void **state)
{
    (void)state;
    struct st_caps caps, back;
    char why[256], line[512];
    assert_int_equal(hn_proto_parse_greeting("MXTTL-DRIVER 1 time=virtual,real forward=yes "
                                             "capacity=1000 mode=legacy future=thing",
                                             &caps, why, sizeof why),
                     0);
    assert_true(caps.virtual_time && caps.real_time && caps.forward_host);
    assert_int_equal(caps.capacity, 1000);
    assert_string_equal(caps.mode_hint, "legacy");
    assert_true(caps.route_visible && caps.noroute_visible);   /* defaults */
    hn_proto_format_greeting(&caps, line, sizeof line);
    assert_int_equal(hn_proto_parse_greeting(line, &back, why, sizeof why), 0);
    assert_memory_equal(&caps, &back, sizeof caps);

    assert_int_equal(hn_proto_parse_greeting("MXTTL-DRIVER 1 time=real routes=addr noroute=no",
                                             &caps, why, sizeof why),
                     0);
    assert_true(caps.route_addr_only && caps.route_visible && !caps.noroute_visible);
    assert_false(caps.virtual_time);
    hn_proto_format_greeting(&caps, line, sizeof line);
    if (!strstr(line, "routes=addr"))
        fail_msg("formatted greeting: got \"%s\", want routes=addr in it", line);
}

static void greeting_refused(void **state)
{
    (void)state;
    struct st_caps caps;
    char why[256];
    static const char *bad[] = {
        "HELLO", "MXTTL-DRIVER", "MXTTL-DRIVER 2 time=real", "MXTTL-DRIVER 1",
        "MXTTL-DRIVER 1 time=sometimes", "MXTTL-DRIVER 1 time=real forward=maybe",
        "MXTTL-DRIVER 1 time=real capacity=-1", "MXTTL-DRIVER 1 time=real mode=exchange",
        "MXTTL-DRIVER 1 time=real junk", "MXTTL-DRIVER 1 time=real \x01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (hn_proto_parse_greeting(bad[i], &caps, why, sizeof why) != -1)
            fail_msg("greeting \"%s\": got accepted, want refused", bad[i]);
    assert_int_equal(hn_proto_parse_greeting("MXTTL-DRIVER 2 time=real", &caps, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "version 2 not supported"));
}

static void requests(void **state)
{
    (void)state;
    struct hn_request rq;
    char why[256];
    assert_int_equal(hn_proto_parse_request("CONFIG 1 dns=127.0.0.1 port=5353 time=virtual "
                                            "capacity=1000 forward=relay.x.test scenario=s",
                                            &rq, why, sizeof why),
                     0);
    assert_int_equal(rq.kind, HN_REQ_CONFIG);
    assert_string_equal(rq.dns, "127.0.0.1");
    assert_int_equal(rq.port, 5353);
    assert_true(rq.virtual_time);
    assert_int_equal(rq.capacity, 1000);
    assert_string_equal(rq.forward, "relay.x.test");
    assert_int_equal(hn_proto_parse_request("TIME 2 2500", &rq, why, sizeof why), 0);
    assert_int_equal(rq.t_ms, 2500);
    assert_int_equal(hn_proto_parse_request("LOOKUP 3 MAIL.Example.TEST.", &rq, why, sizeof why),
                     0);
    assert_string_equal(rq.domain, "MAIL.Example.TEST.");
    assert_int_equal(hn_proto_parse_request("FORWARD 4", &rq, why, sizeof why), 0);
    assert_int_equal(rq.kind, HN_REQ_FORWARD);
    assert_int_equal(hn_proto_parse_request("QUIT 5", &rq, why, sizeof why), 0);
    static const char *bad[] = {"", "LOOKUP", "LOOKUP x a.test", "LOOKUP 3", "LOOKUP 3 a b",
                                "TIME 2", "TIME 2 -1", "CONFIG 1 dns=127.0.0.1 port=0 time=real",
                                "CONFIG 1 port=53 time=real", "FORWARD 4 now", "HELLO 1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (hn_proto_parse_request(bad[i], &rq, why, sizeof why) != -1)
            fail_msg("request \"%s\": got accepted, want refused", bad[i]);
}

static void answers(void **state)
{
    (void)state;
    struct st_answer ans, back;
    char why[256], line[1400];
    memset(&ans, 0, sizeof ans);
    ans.status = RC_OK;
    ans.ttl = 2;
    strcpy(ans.route_text, "10 mx1.a.test 127.0.0.10,127.0.0.11; 20 mx2.a.test 127.0.0.12");
    hn_proto_format_answer(7, &ans, line, sizeof line);
    assert_string_equal(line, "ROUTE 7 2 10 mx1.a.test 127.0.0.10,127.0.0.11; 20 mx2.a.test "
                              "127.0.0.12");
    assert_int_equal(hn_proto_parse_answer(line, 7, &back, why, sizeof why), 0);
    assert_int_equal(back.status, RC_OK);
    assert_int_equal(back.ttl, 2);
    assert_string_equal(back.route_text, ans.route_text);

    assert_int_equal(hn_proto_parse_answer("NOROUTE 8 nullmx null MX", 8, &back, why, sizeof why),
                     0);
    assert_int_equal(back.status, RC_NULLMX);
    assert_int_equal(hn_proto_parse_answer("TEMPFAIL 9 SERVFAIL", 9, &back, why, sizeof why), 0);
    assert_int_equal(back.status, RC_RETRY);
    assert_int_equal(hn_proto_parse_answer("ROUTE 10 0 127.0.0.10", 10, &back, why, sizeof why),
                     0);
    assert_int_equal(hn_proto_parse_answer("ERROR 11 resolver gone", 11, &back, why, sizeof why),
                     1);
    assert_non_null(strstr(why, "resolver gone"));
    /* out of order, unknown, malformed */
    assert_int_equal(hn_proto_parse_answer("ROUTE 12 2 10 a.t 1.2.3.4", 13, &back, why,
                                           sizeof why),
                     -1);
    assert_non_null(strstr(why, "out of order"));
    static const char *bad[] = {"ROUTE", "ROUTE 14", "ROUTE 14 x 10 a.t", "ROUTE 14 2",
                                "ROUTE 14 2 mx.a.test", "NOROUTE 14 retry", "NOROUTE 14",
                                "MAYBE 14", "OK 14"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (hn_proto_parse_answer(bad[i], 14, &back, why, sizeof why) != -1)
            fail_msg("reply \"%s\": got accepted, want refused", bad[i]);
    size_t cap = 0;
    assert_int_equal(hn_proto_parse_ok("OK 1 capacity=500", 1, &cap, why, sizeof why), 0);
    assert_int_equal(cap, 500);
    assert_int_equal(hn_proto_parse_ok("OK 2", 1, &cap, why, sizeof why), -1);
    assert_int_equal(hn_proto_parse_ok("ROUTE 1 2 10 a.t", 1, &cap, why, sizeof why), -1);
    assert_int_equal(hn_proto_parse_ok("ERROR 1 no", 1, &cap, why, sizeof why), 1);
}

/* Parses text as a reply, or with is_name the reply "ROUTE 1 5 10 TEXT 127.0.0.10"; fails the
 * test unless the result is want and, when given, why contains why_has. */
static void expect_route(const char *text, int is_name, int want, const char *why_has)
{
    struct st_answer back;
    char why[256] = "", buf[1400];
    snprintf(buf, sizeof buf, is_name ? "ROUTE 1 5 10 %s 127.0.0.10" : "%s", text);
    int got = hn_proto_parse_answer(buf, 1, &back, why, sizeof why);
    if (got != want)
        fail_msg("reply \"%.80s\": got %d (%s), want %d", buf, got, why, want);
    if (why_has && !strstr(why, why_has))
        fail_msg("reply \"%.80s\": got why \"%s\", want it to contain \"%s\"", buf, why, why_has);
}

/* ROUTE exchanger names DNS cannot carry are protocol errors, not routes to judge. */
static void route_names(void **state)
{
    (void)state;
    char name[300], dotted[sizeof name + 8];
    /* 253 octets: 3 labels of 63 plus one of 61, joined by dots */
    memset(name, 'a', 253);
    name[63] = name[127] = name[191] = '.';
    name[253] = '\0';
    expect_route(name, 1, 0, NULL);
    snprintf(dotted, sizeof dotted, "%s.", name);   /* the root dot is not counted */
    expect_route(dotted, 1, 0, NULL);
    name[253] = 'a';
    name[254] = '\0';
    expect_route(name, 1, -1, "254 octets");
    /* a 63-octet label is fine, a 64-octet one is not, also in a later exchanger */
    memset(name, 'b', 64);
    name[63] = '\0';
    snprintf(dotted, sizeof dotted, "%s.test", name);
    expect_route(dotted, 1, 0, NULL);
    name[63] = 'b';
    name[64] = '\0';
    char line[400];
    snprintf(line, sizeof line, "ROUTE 1 5 10 mx.a.test 127.0.0.10; 20 %s.test 127.0.0.11", name);
    expect_route(line, 0, -1, "label of 64 octets");
    static const char *bad[] = {
        "ROUTE 1 5 10 mx..a.test 127.0.0.10", "ROUTE 1 5 10 .mx.a.test",
        "ROUTE 1 5 10 mx.a.test..",           "ROUTE 1 5 10 . 127.0.0.10",
        "ROUTE 1 5 10 a.t; 20 x..t",          "ROUTE 1 5 65536 a.t",
        "ROUTE 1 5 10 a.t;20 b.t",            "ROUTE 1 5 10 a.t; 20",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_route(bad[i], 0, -1, NULL);
    expect_route("ROUTE 1 5 65535 a.t; 0 b.t.", 0, 0, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(greeting_round_trip),
        cmocka_unit_test(greeting_refused),
        cmocka_unit_test(requests),
        cmocka_unit_test(answers),
        cmocka_unit_test(route_names),
    };
    return cmocka_run_group_tests_name("hn_proto", tests, NULL, NULL);
}
