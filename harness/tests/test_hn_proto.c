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
#include <stdlib.h>
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
    /* a forward host too long for the request is refused, never cut to another name */
    char line[600], name[300];
    memset(name, 'f', 299);
    name[299] = '\0';
    snprintf(line, sizeof line, "CONFIG 1 dns=127.0.0.1 port=53 time=real forward=%s", name);
    assert_int_equal(hn_proto_parse_request(line, &rq, why, sizeof why), -1);
    assert_non_null(strstr(why, "forward= of 299 octets"));
}

/* Parses line as a reply to request id; fails the test unless that gives want (0, 1, -1).
 * Returns the answer (the caller clears it). */
static struct st_answer parse(const char *line, unsigned long id, int want, char *why,
                              size_t whylen)
{
    struct st_answer back;
    int got = hn_proto_parse_answer(line, id, &back, why, whylen);
    if (got != want)
        fail_msg("reply \"%.80s\": got %d (%s), want %d", line, got, why, want);
    return back;
}

static void answers(void **state)
{
    (void)state;
    char why[256];
    struct rc_route *rt = NULL;
    const char *text = "10 mx1.a.test 127.0.0.10,127.0.0.11; 20 mx2.a.test 127.0.0.12";
    assert_int_equal(rc_route_parse(text, "a.test", 2, &rt, why, sizeof why), RC_OK);
    char *line = hn_proto_format_answer(7, RC_REPLY_ROUTE, rt, NULL);
    assert_non_null(line);
    assert_string_equal(line, "ROUTE 7 2 10 mx1.a.test 127.0.0.10,127.0.0.11; 20 mx2.a.test "
                              "127.0.0.12");
    struct st_answer back = parse(line, 7, 0, why, sizeof why);
    assert_int_equal(back.kind, RC_REPLY_ROUTE);
    assert_int_equal(rc_route_ttl(back.route), 2);
    assert_int_equal(rc_route_count(back.route), 2);
    assert_string_equal(rc_route_name(back.route, 1), "mx2.a.test");
    assert_string_equal(rc_route_addr(back.route, 0, 1), "127.0.0.11");
    st_answer_clear(&back);
    free(line);
    rc_route_free(rt);

    back = parse("NOROUTE 8 nullmx null MX", 8, 0, why, sizeof why);
    assert_int_equal(back.kind, RC_REPLY_NULLMX);
    assert_string_equal(back.why, "null MX");
    back = parse("TEMPFAIL 9 SERVFAIL", 9, 0, why, sizeof why);
    assert_int_equal(back.kind, RC_REPLY_TEMPFAIL);
    /* an address-only route (what an MTA shows) */
    back = parse("ROUTE 10 0 127.0.0.10", 10, 0, why, sizeof why);
    assert_int_equal(rc_route_count(back.route), 1);
    assert_string_equal(rc_route_name(back.route, 0), "");
    assert_string_equal(rc_route_addr(back.route, 0, 0), "127.0.0.10");
    st_answer_clear(&back);
    parse("ERROR 11 resolver gone", 11, 1, why, sizeof why);
    assert_non_null(strstr(why, "resolver gone"));
    /* out of order, unknown, malformed */
    parse("ROUTE 12 2 10 a.t 1.2.3.4", 13, -1, why, sizeof why);
    assert_non_null(strstr(why, "out of order"));
    static const char *bad[] = {"ROUTE", "ROUTE 14", "ROUTE 14 x 10 a.t", "ROUTE 14 2",
                                "ROUTE 14 2 mx.a.test", "NOROUTE 14 retry", "NOROUTE 14",
                                "MAYBE 14", "OK 14"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        back = parse(bad[i], 14, -1, why, sizeof why);
        assert_null(back.route);
    }
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
    char why[256] = "", buf[1400];
    snprintf(buf, sizeof buf, is_name ? "ROUTE 1 5 10 %s 127.0.0.10" : "%s", text);
    struct st_answer back = parse(buf, 1, want, why, sizeof why);
    if (why_has && !strstr(why, why_has))
        fail_msg("reply \"%.80s\": got why \"%s\", want it to contain \"%s\"", buf, why, why_has);
    st_answer_clear(&back);
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
        "ROUTE 1 5 10 mx.a.test..",           "ROUTE 1 5 10 a.t 1.2.3.4,",
        "ROUTE 1 5 10 a.t; 20 x..t",          "ROUTE 1 5 65536 a.t",
        "ROUTE 1 5 10 a.t;20 b.t",            "ROUTE 1 5 10 a.t; 20",
        "ROUTE 1 5 10 a.t ",                  "ROUTE 1 5 10 a.t 1.2.3.4 5.6.7.8",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_route(bad[i], 0, -1, NULL);
    expect_route("ROUTE 1 5 65535 a.t; 0 b.t.", 0, 0, NULL);
}

/* The root as exchanger -- what a cache that mistakes a null MX for a route reports -- is a
 * route to judge (COM-3), with or without addresses, not a protocol error. */
static void route_to_root(void **state)
{
    (void)state;
    char why[256];
    static const char *lines[] = {"ROUTE 1 300 0 .", "ROUTE 1 300 0 . 127.0.0.1",
                                  "ROUTE 1 300 0 .; 10 mx.a.test 127.0.0.2"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct st_answer back = parse(lines[i], 1, 0, why, sizeof why);
        assert_int_equal(back.kind, RC_REPLY_ROUTE);
        assert_string_equal(rc_route_name(back.route, 0), ".");
        assert_int_equal(rc_route_pref(back.route, 0), 0);
        char *again = hn_proto_format_answer(1, back.kind, back.route, NULL);
        assert_string_equal(again, lines[i]);
        free(again);
        st_answer_clear(&back);
    }
}

/* A route longer than the old 1,024-octet buffer and 4,096-octet line: 3,000 exchangers of 253
 * octets with two addresses each (about 800 KB; a 64 KiB MX answer with compressed names can
 * carry about 3,600), round trip through format and parse. */
static void long_route(void **state)
{
    (void)state;
    size_t n = 3000, cap = n * 300 + 64;
    char *text = malloc(cap), *p = text;
    assert_non_null(text);
    for (size_t i = 0; i < n; i++) {
        char label[64];
        snprintf(label, sizeof label, "x%04zu", i);
        p += sprintf(p, "%s%zu %s", i ? "; " : "", i % 7, label);
        for (size_t k = 0; k < 4; k++) { /* 5 + 4 * 62 = 253 octets */
            memset(p, 'a' + (char)k, 62);
            p[0] = '.';
            p += 62;
        }
        p += sprintf(p, " 127.0.%zu.%zu,::%zx", i / 250, i % 250, i);
    }
    struct rc_route *rt = NULL;
    char why[256];
    assert_int_equal(rc_route_parse(text, "", 60, &rt, why, sizeof why), RC_OK);
    assert_int_equal(rc_route_count(rt), n);
    assert_int_equal(strlen(rc_route_name(rt, 0)), 253);
    char *line = hn_proto_format_answer(5, RC_REPLY_ROUTE, rt, NULL);
    assert_non_null(line);
    assert_true(strlen(line) > 700000);
    struct st_answer back = parse(line, 5, 0, why, sizeof why);
    assert_int_equal(rc_route_count(back.route), n);
    assert_string_equal(rc_route_addr(back.route, n - 1, 1), "::bb7");
    char *again = rc_route_text(back.route);
    assert_string_equal(again, text);
    free(again);
    st_answer_clear(&back);
    free(line);
    rc_route_free(rt);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(greeting_round_trip),
        cmocka_unit_test(greeting_refused),
        cmocka_unit_test(requests),
        cmocka_unit_test(answers),
        cmocka_unit_test(route_names),
        cmocka_unit_test(route_to_root),
        cmocka_unit_test(long_route),
    };
    return cmocka_run_group_tests_name("hn_proto", tests, NULL, NULL);
}
