/*
 * Tests of rc_answer_parse, the judge of every DNS reply and the fuzz entry point: answers,
 * NODATA, NXDOMAIN, SERVFAIL/REFUSED, answers to other questions, CNAME chains, TTL clamping
 * (RFC 2181 s8), and malformed wire -- every truncation of a real answer and random mutations
 * must give RC_RETRY or another status, never a crash or a route out of garbage.
 */
#include <stdlib.h>
#include <ldns/ldns.h>
#include "rc_test.h"
#include "rc_lookup.h"

/* A response to (qname, qtype) with the given rcode and answer records (master-file lines). */
static uint8_t *make_wire(const char *qname, uint16_t qtype, uint8_t rcode, int qr, int tc,
                          const char *const *answers, size_t *len)
{
    ldns_pkt *pkt = ldns_pkt_query_new(ldns_dname_new_frm_str(qname), qtype, LDNS_RR_CLASS_IN, LDNS_RD);
    assert_non_null(pkt);
    ldns_pkt_set_id(pkt, 4242);
    ldns_pkt_set_qr(pkt, qr);
    ldns_pkt_set_tc(pkt, tc);
    ldns_pkt_set_rcode(pkt, rcode);
    for (size_t i = 0; answers != NULL && answers[i] != NULL; i++) {
        ldns_rr *rr = NULL;
        if (ldns_rr_new_frm_str(&rr, answers[i], 0, NULL, NULL) != LDNS_STATUS_OK)
            fail_msg("test zone line \"%s\" does not parse", answers[i]);
        assert_true(ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr));
    }
    uint8_t *wire = NULL;
    assert_int_equal(ldns_pkt2wire(&wire, pkt, len), LDNS_STATUS_OK);
    ldns_pkt_free(pkt);
    return wire;
}

/* rc_answer_parse, with the records as text lines (rc_test_records_text) in *rrs. */
static enum rc_status parse(const uint8_t *wire, size_t len, const char *qname, uint16_t qtype,
                            char **rrs, uint32_t *ttl)
{
    char why[256] = "";
    struct rc_records recs;
    enum rc_status st = rc_answer_parse(wire, len, qname, qtype, &recs, ttl, why, sizeof(why));
    if (st != RC_OK && why[0] == '\0')
        fail_msg("status %s without a reason", rc_status_str(st));
    if (st != RC_OK && recs.n != 0)
        fail_msg("status %s with %zu records, want none", rc_status_str(st), recs.n);
    *rrs = rc_test_records_text(&recs, qtype == LDNS_RR_TYPE_MX);
    return st;
}

static const char *const two_mx[] = {"a.test. 300 IN MX 20 MX2.a.test.", "a.test. 100 IN MX 10 mx1.a.test.", NULL};

static void test_mx_answer(void **state)
{
    (void)state;
    size_t len;
    uint8_t *w = make_wire("a.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, 1, 0, two_mx, &len);
    char *rrs = NULL;
    uint32_t ttl = 0;
    EXPECT_ST(parse(w, len, "A.Test.", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_OK, "MX answer");
    EXPECT_S(rrs, "20 mx2.a.test\n10 mx1.a.test\n", "records (answer order, lower case)");
    EXPECT_U(ttl, 100, "minimum TTL");
    free(rrs);
    free(w);
}

static void test_address_answers(void **state)
{
    (void)state;
    static const char *const a[] = {"h.test. 60 IN A 127.0.0.1", "h.test. 60 IN A 127.0.0.2", NULL};
    static const char *const aaaa[] = {"h.test. 30 IN AAAA ::1", NULL};
    size_t len;
    char *rrs = NULL;
    uint32_t ttl;
    uint8_t *w = make_wire("h.test.", LDNS_RR_TYPE_A, 0, 1, 0, a, &len);
    EXPECT_ST(parse(w, len, "h.test", LDNS_RR_TYPE_A, &rrs, &ttl), RC_OK, "A answer");
    EXPECT_S(rrs, "127.0.0.1\n127.0.0.2\n", "A records");
    EXPECT_U(ttl, 60, "A TTL");
    free(rrs);
    free(w);
    w = make_wire("h.test.", LDNS_RR_TYPE_AAAA, 0, 1, 0, aaaa, &len);
    EXPECT_ST(parse(w, len, "h.test", LDNS_RR_TYPE_AAAA, &rrs, &ttl), RC_OK, "AAAA answer");
    EXPECT_S(rrs, "::1\n", "AAAA records");
    EXPECT_U(ttl, 30, "AAAA TTL");
    free(rrs);
    free(w);
}

static void test_COM_4_nxdomain(void **state)
{
    (void)state;
    size_t len;
    char *rrs = NULL;
    uint32_t ttl;
    uint8_t *w = make_wire("nx.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NXDOMAIN, 1, 0, NULL, &len);
    EXPECT_ST(parse(w, len, "nx.test", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_NXDOMAIN, "NXDOMAIN");
    assert_null(rrs);
    free(w);
}

static void test_COM_2_nodata_is_noaddr(void **state)
{
    (void)state;
    static const char *const other[] = {"imp.test. 300 IN A 127.0.0.5", NULL};
    size_t len;
    char *rrs = NULL;
    uint32_t ttl;
    /* NOERROR, no MX (an A record of the name in the answer does not count as MX). */
    uint8_t *w = make_wire("imp.test.", LDNS_RR_TYPE_MX, 0, 1, 0, other, &len);
    EXPECT_ST(parse(w, len, "imp.test", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_NOADDR, "NODATA");
    assert_null(rrs);
    free(w);
}

static void test_COM_5_servfail_refused_retry(void **state)
{
    (void)state;
    const uint8_t rcodes[] = {LDNS_RCODE_SERVFAIL, LDNS_RCODE_REFUSED, LDNS_RCODE_FORMERR, LDNS_RCODE_NOTIMPL};
    for (size_t i = 0; i < sizeof(rcodes); i++) {
        size_t len;
        char *rrs = NULL;
        uint32_t ttl;
        uint8_t *w = make_wire("a.test.", LDNS_RR_TYPE_MX, rcodes[i], 1, 0, two_mx, &len);
        EXPECT_ST(parse(w, len, "a.test", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_RETRY, "error rcode");
        assert_null(rrs);
        free(w);
    }
}

static void test_COM_7_mismatched_question_retry(void **state)
{
    (void)state;
    size_t len;
    char *rrs = NULL;
    uint32_t ttl;
    uint8_t *w = make_wire("a.test.", LDNS_RR_TYPE_MX, 0, 1, 0, two_mx, &len);
    EXPECT_ST(parse(w, len, "b.test", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_RETRY, "other name");
    EXPECT_ST(parse(w, len, "a.test", LDNS_RR_TYPE_A, &rrs, &ttl), RC_RETRY, "other type");
    free(w);
    w = make_wire("a.test.", LDNS_RR_TYPE_MX, 0, 0, 0, two_mx, &len);
    EXPECT_ST(parse(w, len, "a.test", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_RETRY, "QR bit clear");
    free(w);
    w = make_wire("a.test.", LDNS_RR_TYPE_MX, 0, 1, 1, two_mx, &len);
    EXPECT_ST(parse(w, len, "a.test", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_RETRY, "TC bit set");
    free(w);
}

static void test_cname_followed(void **state)
{
    (void)state;
    static const char *const chain[] = {"alias.test. 50 IN CNAME mid.test.", "mid.test. 500 IN CNAME real.test.",
                                        "real.test. 300 IN MX 10 mx.real.test.", NULL};
    static const char *const loop[] = {"l1.test. 50 IN CNAME l2.test.", "l2.test. 50 IN CNAME l1.test.", NULL};
    size_t len;
    char *rrs = NULL;
    uint32_t ttl;
    uint8_t *w = make_wire("alias.test.", LDNS_RR_TYPE_MX, 0, 1, 0, chain, &len);
    EXPECT_ST(parse(w, len, "alias.test", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_OK, "CNAME chain");
    EXPECT_S(rrs, "10 mx.real.test\n", "records at the end of the chain");
    EXPECT_U(ttl, 50, "TTL includes the CNAMEs");
    free(rrs);
    free(w);
    w = make_wire("l1.test.", LDNS_RR_TYPE_MX, 0, 1, 0, loop, &len);
    EXPECT_ST(parse(w, len, "l1.test", LDNS_RR_TYPE_MX, &rrs, &ttl), RC_NOADDR, "CNAME loop");
    free(w);
}

static void test_TTL_8_ttl_above_2_31_is_zero(void **state)
{
    (void)state;
    static const struct {
        const char *ttl;
        uint32_t want;
    } cases[] = {{"2147483647", 2147483647u}, {"2147483648", 0}, {"4294967295", 0}, {"0", 0}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char line[128];
        snprintf(line, sizeof(line), "t.test. %s IN A 127.0.0.1", cases[i].ttl);
        const char *const ans[] = {line, NULL};
        size_t len;
        char *rrs = NULL;
        uint32_t ttl = 12345;
        uint8_t *w = make_wire("t.test.", LDNS_RR_TYPE_A, 0, 1, 0, ans, &len);
        EXPECT_ST(parse(w, len, "t.test", LDNS_RR_TYPE_A, &rrs, &ttl), RC_OK, line);
        EXPECT_U(ttl, cases[i].want, line);
        free(rrs);
        free(w);
    }
}

static void test_COM_7_malformed_every_truncation(void **state)
{
    (void)state;
    size_t len;
    uint8_t *w = make_wire("a.test.", LDNS_RR_TYPE_MX, 0, 1, 0, two_mx, &len);
    for (size_t cut = 0; cut < len; cut++) {
        char *rrs = NULL;
        uint32_t ttl;
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, w, cut);
        enum rc_status st = parse(copy, cut, "a.test", LDNS_RR_TYPE_MX, &rrs, &ttl);
        if (st != RC_RETRY)
            fail_msg("answer cut to %zu of %zu octets: got %s, want retry", cut, len, rc_status_str(st));
        assert_null(rrs);
        free(copy);
    }
    free(w);
}

static void test_COM_7_malformed_rdata(void **state)
{
    (void)state;
    static const char *const a[] = {"h.test. 60 IN A 127.0.0.1", NULL};
    size_t len;
    char *rrs = NULL;
    uint32_t ttl;
    uint8_t *w = make_wire("h.test.", LDNS_RR_TYPE_A, 0, 1, 0, a, &len);
    /* The A record ends with RDLENGTH (2) and 4 octets of address: claim 3 and drop one. */
    w[len - 5] = 3;
    EXPECT_ST(parse(w, len - 1, "h.test", LDNS_RR_TYPE_A, &rrs, &ttl), RC_RETRY, "A with 3-octet RDATA");
    assert_null(rrs);
    free(w);
    static const uint8_t junk[] = {0xde, 0xad, 0xbe, 0xef};
    EXPECT_ST(parse(junk, sizeof(junk), "h.test", LDNS_RR_TYPE_A, &rrs, &ttl), RC_RETRY, "4 octets of junk");
    EXPECT_ST(parse(junk, 0, "h.test", LDNS_RR_TYPE_A, &rrs, &ttl), RC_RETRY, "empty");
}

/* Random mutations of a real answer: the parser must return a known status, and a route's worth
 * of records only with RC_OK. Deterministic (fixed seed) so a failure repeats. */
static void test_fuzz_mutations(void **state)
{
    (void)state;
    size_t len;
    uint8_t *w = make_wire("a.test.", LDNS_RR_TYPE_MX, 0, 1, 0, two_mx, &len);
    uint8_t *m = calloc(1, len + 16); /* the 16 octets past len are read when mlen > len */
    uint32_t seed = 12345;
    size_t ok = 0, retry = 0;
    for (int it = 0; it < 20000; it++) {
        memcpy(m, w, len);
        size_t mlen = len;
        int flips = 1 + (int)(seed % 4);
        for (int f = 0; f < flips; f++) {
            seed = seed * 1103515245u + 12345u;
            m[(seed >> 8) % len] = (uint8_t)(seed >> 16);
        }
        if (seed % 5 == 0)
            mlen = (seed >> 4) % (len + 16);
        struct rc_records rrs;
        uint32_t ttl;
        enum rc_status st = rc_answer_parse(m, mlen, "a.test", LDNS_RR_TYPE_MX, &rrs, &ttl, NULL, 0);
        if ((unsigned)st >= RC_STATUS_COUNT || st == RC_INVAL || st == RC_NULLMX)
            fail_msg("mutation %d: got status %d, want ok/nxdomain/noaddr/retry/nomem", it, (int)st);
        if ((st == RC_OK) != (rrs.n > 0))
            fail_msg("mutation %d: status %s with %zu records", it, rc_status_str(st), rrs.n);
        ok += st == RC_OK;
        retry += st == RC_RETRY;
        rc_records_clear(&rrs);
    }
    /* Both outcomes occur, so the loop really explored broken and intact answers. */
    assert_true(ok > 0);
    assert_true(retry > 0);
    free(m);
    free(w);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    size_t len;
    struct rc_records rrs;
    uint32_t ttl;
    uint8_t *w = make_wire("a.test.", LDNS_RR_TYPE_MX, 0, 1, 0, two_mx, &len);
    EXPECT_ST(rc_answer_parse(w, len, NULL, LDNS_RR_TYPE_MX, &rrs, &ttl, NULL, 0), RC_INVAL, "NULL qname");
    EXPECT_ST(rc_answer_parse(w, len, "a..test", LDNS_RR_TYPE_MX, &rrs, &ttl, NULL, 0), RC_INVAL, "empty label");
    EXPECT_ST(rc_answer_parse(w, len, "a.test", LDNS_RR_TYPE_MX, NULL, &ttl, NULL, 0), RC_INVAL, "NULL rrs");
    EXPECT_ST(rc_answer_parse(NULL, 5, "a.test", LDNS_RR_TYPE_MX, &rrs, &ttl, NULL, 0), RC_INVAL, "NULL wire");
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mx_answer),
        cmocka_unit_test(test_address_answers),
        cmocka_unit_test(test_COM_4_nxdomain),
        cmocka_unit_test(test_COM_2_nodata_is_noaddr),
        cmocka_unit_test(test_COM_5_servfail_refused_retry),
        cmocka_unit_test(test_COM_7_mismatched_question_retry),
        cmocka_unit_test(test_cname_followed),
        cmocka_unit_test(test_TTL_8_ttl_above_2_31_is_zero),
        cmocka_unit_test(test_COM_7_malformed_every_truncation),
        cmocka_unit_test(test_COM_7_malformed_rdata),
        cmocka_unit_test(test_fuzz_mutations),
        cmocka_unit_test(test_invalid_arguments),
    };
    return cmocka_run_group_tests_name("rc_answer", tests, NULL, NULL);
}
