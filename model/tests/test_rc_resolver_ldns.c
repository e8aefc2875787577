/*
 * Tests of the ldns resolver against a scripted server on 127.0.0.1 (a thread with one UDP
 * and one TCP socket on a port picked at run time): the question goes out plain (RD set, no
 * EDNS/DO, name and type as asked), a truncated UDP reply makes it ask again over TCP, a
 * silent server costs exactly 1 + retries datagrams, a server that timed out is asked again
 * next time, and bad server addresses are refused.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <ldns/ldns.h>
#include "rc_test.h"
#include "rc_lookup.h"
#include "rc_resolver.h"

enum behaviour { ANSWER, TRUNCATE_THEN_TCP, SILENT };

struct server {
    int udp, tcp;
    uint16_t port;
    enum behaviour how;
    int listen_ms;            /* SILENT: how long to count datagrams */
    /* what the server saw */
    int udp_queries, tcp_queries;
    uint8_t first[512];
    size_t first_len;
    pthread_t thread;
};

/* The answer to a query: same id and question, QR set, two A records (or TC and none). */
static uint8_t *reply_to(const uint8_t *q, size_t qlen, int truncated, size_t *len)
{
    ldns_pkt *p = NULL;
    if (ldns_wire2pkt(&p, q, qlen) != LDNS_STATUS_OK)
        return NULL;
    ldns_pkt_set_qr(p, true);
    ldns_pkt_set_ra(p, true);
    if (truncated) {
        ldns_pkt_set_tc(p, true);
    } else {
        const ldns_rr *qr = ldns_rr_list_rr(ldns_pkt_question(p), 0);
        char *owner = ldns_rdf2str(ldns_rr_owner(qr));
        for (int i = 1; i <= 2; i++) {
            char line[300];
            ldns_rr *rr = NULL;
            snprintf(line, sizeof(line), "%s 300 IN A 127.0.0.%d", owner, i);
            if (ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) == LDNS_STATUS_OK)
                ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
        }
        free(owner);
    }
    uint8_t *w = NULL;
    ldns_status st = ldns_pkt2wire(&w, p, len);
    ldns_pkt_free(p);
    return st == LDNS_STATUS_OK ? w : NULL;
}

static void *serve(void *arg)
{
    struct server *s = arg;
    uint8_t buf[512];
    struct sockaddr_in from;
    socklen_t fl = sizeof(from);
    struct pollfd pfd = {s->udp, POLLIN, 0};
    int wait_ms = s->how == SILENT ? s->listen_ms : 5000;
    while (poll(&pfd, 1, wait_ms) == 1) {
        ssize_t n = recvfrom(s->udp, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
        if (n <= 0)
            break;
        if (s->udp_queries++ == 0) {
            memcpy(s->first, buf, (size_t)n);
            s->first_len = (size_t)n;
        }
        if (s->how == SILENT)
            continue;
        size_t rlen;
        uint8_t *r = reply_to(buf, (size_t)n, s->how == TRUNCATE_THEN_TCP, &rlen);
        if (r != NULL)
            (void)sendto(s->udp, r, rlen, 0, (struct sockaddr *)&from, fl);
        free(r);
        break;
    }
    if (s->how == TRUNCATE_THEN_TCP) {
        struct pollfd tp = {s->tcp, POLLIN, 0};
        if (poll(&tp, 1, 5000) == 1) {
            int c = accept(s->tcp, NULL, NULL);
            uint8_t lenb[2];
            if (c >= 0 && recv(c, lenb, 2, MSG_WAITALL) == 2) {
                size_t qlen = (size_t)lenb[0] << 8 | lenb[1];
                if (qlen <= sizeof(buf) && recv(c, buf, qlen, MSG_WAITALL) == (ssize_t)qlen) {
                    s->tcp_queries++;
                    size_t rlen;
                    uint8_t *r = reply_to(buf, qlen, 0, &rlen);
                    if (r != NULL) {
                        uint8_t hdr[2] = {(uint8_t)(rlen >> 8), (uint8_t)rlen};
                        (void)send(c, hdr, 2, 0);
                        (void)send(c, r, rlen, 0);
                    }
                    free(r);
                }
            }
            if (c >= 0)
                close(c);
        }
    }
    return NULL;
}

/* UDP and TCP sockets on one free loopback port. */
static void server_start(struct server *s, enum behaviour how)
{
    memset(s, 0, sizeof(*s));
    s->how = how;
    s->listen_ms = 600;
    for (int attempt = 0; attempt < 20; attempt++) {
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t al = sizeof(a);
        s->udp = socket(AF_INET, SOCK_DGRAM, 0);
        assert_true(s->udp >= 0);
        assert_int_equal(bind(s->udp, (struct sockaddr *)&a, sizeof(a)), 0);
        assert_int_equal(getsockname(s->udp, (struct sockaddr *)&a, &al), 0);
        s->tcp = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(s->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(s->tcp, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(s->tcp, 4) == 0) {
            s->port = ntohs(a.sin_port);
            assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
            return;
        }
        close(s->udp);
        close(s->tcp);
    }
    fail_msg("no free loopback port for UDP and TCP");
}

static void server_join(struct server *s)
{
    pthread_join(s->thread, NULL);
    close(s->udp);
    close(s->tcp);
}

static struct rc_resolver *resolver(const struct server *s, unsigned timeout_ms, unsigned retries)
{
    struct rc_resolver *r = NULL;
    char why[256] = "";
    EXPECT_ST(rc_resolver_ldns_new(&r, "127.0.0.1", s->port, timeout_ms, retries, why, sizeof(why)), RC_OK, why);
    return r;
}

static void test_query_is_plain(void **state)
{
    (void)state;
    struct server s;
    server_start(&s, ANSWER);
    struct rc_resolver *r = resolver(&s, 2000, 0);
    uint8_t *wire = NULL;
    size_t len = 0;
    EXPECT_ST(rc_resolver_query(r, "Mx1.A.test", 1, &wire, &len, NULL, 0), RC_OK, "query");
    server_join(&s);
    struct rc_records recs;
    uint32_t ttl;
    EXPECT_ST(rc_answer_parse(wire, len, "mx1.a.test", 1, &recs, &ttl, NULL, 0), RC_OK, "answer parses");
    char *rrs = rc_test_records_text(&recs, 0);
    EXPECT_S(rrs, "127.0.0.1\n127.0.0.2\n", "addresses");
    free(rrs);
    free(wire);

    ldns_pkt *q = NULL;
    assert_int_equal(ldns_wire2pkt(&q, s.first, s.first_len), LDNS_STATUS_OK);
    EXPECT_U(ldns_pkt_rd(q), 1, "RD bit");
    EXPECT_U(ldns_pkt_cd(q), 0, "CD bit");
    EXPECT_U(ldns_pkt_ad(q), 0, "AD bit");
    EXPECT_U(ldns_pkt_arcount(q), 0, "additional records (no OPT, so no DO bit)");
    EXPECT_U(ldns_pkt_edns(q), 0, "EDNS");
    EXPECT_U(ldns_pkt_qdcount(q), 1, "questions");
    char *qname = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
    EXPECT_S(qname, "Mx1.A.test.", "name as asked");
    free(qname);
    EXPECT_U(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(q), 0)), 1, "type");
    ldns_pkt_free(q);
    EXPECT_U(rc_resolver_queries(r), 1, "queries");
    EXPECT_U(s.udp_queries, 1, "datagrams the server saw");
    rc_resolver_free(r);
}

static void test_tcp_fallback_on_truncation(void **state)
{
    (void)state;
    struct server s;
    server_start(&s, TRUNCATE_THEN_TCP);
    struct rc_resolver *r = resolver(&s, 2000, 0);
    uint8_t *wire = NULL;
    size_t len = 0;
    EXPECT_ST(rc_resolver_query(r, "big.test", 1, &wire, &len, NULL, 0), RC_OK, "query");
    server_join(&s);
    EXPECT_U(s.udp_queries, 1, "UDP queries");
    EXPECT_U(s.tcp_queries, 1, "TCP queries after TC");
    struct rc_records recs;
    uint32_t ttl;
    EXPECT_ST(rc_answer_parse(wire, len, "big.test", 1, &recs, &ttl, NULL, 0), RC_OK, "full answer");
    char *rrs = rc_test_records_text(&recs, 0);
    EXPECT_S(rrs, "127.0.0.1\n127.0.0.2\n", "addresses from the TCP answer");
    free(rrs);
    free(wire);
    rc_resolver_free(r);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_timeout_retries_and_next_query(void **state)
{
    (void)state;
    struct server s;
    server_start(&s, SILENT);
    struct rc_resolver *r = resolver(&s, 150, 2);
    uint8_t *wire = (uint8_t *)1;
    size_t len = 9;
    char why[256] = "";
    double t0 = now_s();
    EXPECT_ST(rc_resolver_query(r, "slow.test", 15, &wire, &len, why, sizeof(why)), RC_RETRY, "silent server");
    double took = now_s() - t0;
    assert_null(wire);
    EXPECT_U(len, 0, "length");
    assert_true(why[0] != '\0');
    /* The same resolver must ask again (ldns would otherwise mark the server unreachable). */
    EXPECT_ST(rc_resolver_query(r, "slow.test", 15, &wire, &len, why, sizeof(why)), RC_RETRY, "again");
    server_join(&s);
    EXPECT_U(s.udp_queries, 6, "datagrams: (1 + 2 retries) for each of two queries");
    EXPECT_U(rc_resolver_queries(r), 2, "queries counted");
    if (took > 1.4)
        fail_msg("a silent server took %.2f s with 3 x 150 ms attempts, want < 1.4 s", took);
    rc_resolver_free(r);
}

static void test_bad_server_address(void **state)
{
    (void)state;
    struct rc_resolver *r = NULL;
    char why[256];
    const char *bad[] = {"300.1.1.1", "localhost", "", "127.0.0.1:53", "::g"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why[0] = '\0';
        EXPECT_ST(rc_resolver_ldns_new(&r, bad[i], 53, 1000, 0, why, sizeof(why)), RC_INVAL, bad[i]);
        assert_null(r);
        assert_non_null(strstr(why, "literal"));
    }
    EXPECT_ST(rc_resolver_ldns_new(&r, NULL, 53, 1000, 0, why, sizeof(why)), RC_INVAL, "NULL");
    EXPECT_ST(rc_resolver_ldns_new(&r, "127.0.0.1", 53, 0, 0, why, sizeof(why)), RC_INVAL, "timeout 0");
    EXPECT_ST(rc_resolver_ldns_new(&r, "::1", 53, 1000, 0, why, sizeof(why)), RC_OK, "IPv6 literal");
    rc_resolver_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_is_plain),
        cmocka_unit_test(test_tcp_fallback_on_truncation),
        cmocka_unit_test(test_timeout_retries_and_next_query),
        cmocka_unit_test(test_bad_server_address),
    };
    return cmocka_run_group_tests_name("rc_resolver_ldns", tests, NULL, NULL);
}
