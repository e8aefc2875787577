/*
 * The model against real dnsmasq: every model-relevant SPEC clause shown with the fixture
 * (fixtures/fx_server.h) serving the records. The model resolves through rc_resolver_ldns to
 * the fixture's address and port; time is virtual on both sides (rc_vclock for the cache,
 * fx_server_set_time for the DNS content). Each lookup asserts the exact queries the fixture
 * logged (names, types, order), that the model's counters saw the same number, and the route.
 * Each test starts its own dnsmasq on 127.0.0.1 with a port picked at run time.
 */
#include <stdlib.h>
#include "rc_test.h"
#include "fx_scenario.h"
#include "fx_server.h"
#include "rc_cache.h"

static enum rc_mode mode_legacy = RC_MODE_LEGACY, mode_ttl = RC_MODE_TTL;

struct dw {
    struct fx_scenario *sc;
    struct fx_server *s;
    struct rc_resolver *r;
    struct rc_vclock *vc;
    struct rc_cache *c;
    enum rc_mode mode;
};

/* Starts dnsmasq serving the scenario text `body` (steps and script after the header) and a
 * cache in `mode` resolving through it. */
static struct dw *dw_new(enum rc_mode mode, const char *name, const char *clauses, const char *body,
                         unsigned faults, size_t capacity, const char *forward)
{
    struct dw *w = calloc(1, sizeof(*w));
    char why[512] = "", text[8192], file[128];
    assert_non_null(w);
    w->mode = mode;
    snprintf(text, sizeof(text), "scenario %s\ndescription model against dnsmasq\nclauses %s\n%s", name,
             clauses, body);
    snprintf(file, sizeof(file), "%s.scn", name);
    enum fx_status fs = fx_scenario_parse(&w->sc, text, strlen(text), file, why, sizeof(why));
    if (fs != FX_OK)
        fail_msg("fx_scenario_parse: got %s (%s), want ok", fx_status_str(fs), why);
    struct fx_server_config fcfg;
    fx_server_config_init(&fcfg);
    fcfg.listen_addr = "127.0.0.1";
    fcfg.port = 0;
    fs = fx_server_new(&w->s, &fcfg, w->sc, why, sizeof(why));
    if (fs != FX_OK)
        fail_msg("fx_server_new: got %s (%s), want ok", fx_status_str(fs), why);
    /* A timed-out query costs 400 ms and is not retried, so the fixture logs it once. */
    EXPECT_ST(rc_resolver_ldns_new(&w->r, fx_server_addr(w->s), fx_server_port(w->s), 400, 0, why, sizeof(why)),
              RC_OK, why);
    EXPECT_ST(rc_vclock_new(&w->vc), RC_OK, "vclock");
    struct rc_cache_config cfg;
    rc_cache_config_init(&cfg);
    cfg.mode = mode;
    cfg.faults = faults;
    cfg.forward_host = forward;
    if (capacity)
        cfg.capacity = capacity;
    EXPECT_ST(rc_cache_new(&w->c, &cfg, w->r, rc_vclock_clock(w->vc), why, sizeof(why)), RC_OK, why);
    return w;
}

static void dw_free(struct dw *w)
{
    rc_cache_free(w->c);
    rc_resolver_free(w->r);
    rc_vclock_free(w->vc);
    fx_server_free(w->s);
    fx_scenario_free(w->sc);
    free(w);
}

static int legacy(const struct dw *w)
{
    return w->mode == RC_MODE_LEGACY;
}

/* Scenario time t_ms for both the cache and the DNS content. */
static void at(struct dw *w, uint64_t t_ms)
{
    char why[512] = "";
    rc_vclock_set(w->vc, t_ms);
    enum fx_status fs = fx_server_set_time(w->s, t_ms, why, sizeof(why));
    if (fs != FX_OK)
        fail_msg("fx_server_set_time(%llu): got %s (%s), want ok", (unsigned long long)t_ms,
                 fx_status_str(fs), why);
}

/* The fixture's queries since mark as "MX a.test, A mx1.a.test" ("" for none); their number in
 * *n. */
static void queries_since(struct dw *w, uint64_t mark, char *out, size_t outlen, size_t *n)
{
    const struct fx_query *q = NULL;
    char why[512] = "";
    enum fx_status fs = fx_server_queries(w->s, mark, &q, n, why, sizeof(why));
    if (fs != FX_OK)
        fail_msg("fx_server_queries: got %s (%s), want ok", fx_status_str(fs), why);
    out[0] = '\0';
    for (size_t i = 0; i < *n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, outlen - len, "%s%s %s", i ? ", " : "", fx_qtype_str(q[i].qtype), q[i].name);
    }
}

/* One lookup: the fixture must have seen exactly want_q (in order), the model's counters the
 * same number, and the result must read want_route ("status:NAME" when there is no route). */
static void look(struct dw *w, const char *domain, const char *want_q, const char *want_route, const char *what)
{
    struct rc_counters k0, k1;
    const struct rc_route *rt = NULL;
    char why[512] = "", got[2048], route[512];
    size_t n;
    rc_cache_counters(w->c, &k0);
    uint64_t mark = fx_server_mark(w->s);
    enum rc_status st = rc_cache_route(w->c, domain, &rt, why, sizeof(why));
    if (st == RC_OK)
        rc_route_format(rt, route, sizeof(route));
    else
        snprintf(route, sizeof(route), "status:%s", rc_status_str(st));
    queries_since(w, mark, got, sizeof(got), &n);
    rc_cache_counters(w->c, &k1);
    char label[256];
    snprintf(label, sizeof(label), "%s: %s: queries seen by dnsmasq", what, domain);
    EXPECT_S(got, want_q, label);
    snprintf(label, sizeof(label), "%s: %s: model counted queries", what, domain);
    EXPECT_U(k1.queries - k0.queries, n, label);
    snprintf(label, sizeof(label), "%s: %s: route", what, domain);
    EXPECT_S(route, want_route, label);
}

static void fwd(struct dw *w, const char *want_q, const char *want_route, const char *what)
{
    const struct rc_route *rt = NULL;
    char got[2048], route[512];
    size_t n;
    uint64_t mark = fx_server_mark(w->s);
    enum rc_status st = rc_cache_forward(w->c, &rt, NULL, 0);
    if (st == RC_OK)
        rc_route_format(rt, route, sizeof(route));
    else
        snprintf(route, sizeof(route), "status:%s", rc_status_str(st));
    queries_since(w, mark, got, sizeof(got), &n);
    EXPECT_S(got, want_q, what);
    EXPECT_S(route, want_route, what);
}

static enum rc_mode mode_of(void **state)
{
    return *(enum rc_mode *)*state;
}

#define Q_A "MX a.test, A mx1.a.test, A mx2.a.test"
#define R_A "10 mx1.a.test 127.0.0.10; 20 mx2.a.test 127.0.0.20"
#define R_A2 "10 mx1.a.test 127.0.0.11; 20 mx2.a.test 127.0.0.20"
static const char *body_a =
    "step 0\n"
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 300 IN A 127.0.0.10\n"
    "mx2.a.test. 300 IN A 127.0.0.20\n"
    "step 100\n"
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 300 IN A 127.0.0.11\n"
    "mx2.a.test. 300 IN A 127.0.0.20\n"
    "lookup 0 a.test\n";

static void test_LEG_1_TTL_1_TTL_2_expiry(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-expiry", "LEG-1 TTL-1 TTL-2", body_a, 0, 0, NULL);
    look(w, "a.test", Q_A, R_A, "t=0");
    at(w, 50000);
    look(w, "a.test", "", R_A, "t=50s, within TTL");
    at(w, 299999);
    look(w, "a.test", "", R_A, "1 ms before the TTL");
    at(w, 300000);
    /* Step 1 (from 100 s) serves mx1 at .11: TTL mode sees it (TTL-3), legacy keeps .10 (LEG-2). */
    look(w, "a.test", legacy(w) ? "" : Q_A, legacy(w) ? R_A : R_A2, "at the TTL");
    at(w, 86400000);
    look(w, "a.test", legacy(w) ? "" : Q_A, legacy(w) ? R_A : R_A2, "a day later");
    dw_free(w);
}

static void test_LEG_2_TTL_3_data_change(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-change", "LEG-2 TTL-3", body_a, 0, 0, NULL);
    look(w, "a.test", Q_A, R_A, "t=0");
    at(w, 100000);
    look(w, "a.test", "", R_A, "after the change, within TTL");
    at(w, 400000);
    look(w, "a.test", legacy(w) ? "" : Q_A, legacy(w) ? R_A : R_A2, "after the TTL");
    dw_free(w);
}

static const char *body_cap =
    "step 0\n"
    "d1.test. 300 IN MX 10 mx.d1.test.\nmx.d1.test. 300 IN A 127.0.1.1\n"
    "d2.test. 300 IN MX 10 mx.d2.test.\nmx.d2.test. 300 IN A 127.0.1.2\n"
    "d3.test. 300 IN MX 10 mx.d3.test.\nmx.d3.test. 300 IN A 127.0.1.3\n"
    "d4.test. 300 IN MX 10 mx.d4.test.\nmx.d4.test. 300 IN A 127.0.1.4\n"
    "lookup 0 d1.test\n";

static void test_LEG_3_LEG_4_LEG_5_TTL_9_capacity(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-capacity", "LEG-3 LEG-4 LEG-5 TTL-9", body_cap, 0, 3, NULL);
    look(w, "d1.test", "MX d1.test, A mx.d1.test", "10 mx.d1.test 127.0.1.1", "fill");
    look(w, "d2.test", "MX d2.test, A mx.d2.test", "10 mx.d2.test 127.0.1.2", "fill");
    look(w, "d3.test", "MX d3.test, A mx.d3.test", "10 mx.d3.test 127.0.1.3", "fill");
    at(w, 1000);
    look(w, "d3.test", "", "10 mx.d3.test 127.0.1.3", "LEG-3: C domains served again");
    look(w, "d2.test", "", "10 mx.d2.test 127.0.1.2", "LEG-3: C domains served again");
    look(w, "d1.test", "", "10 mx.d1.test 127.0.1.1", "LEG-3: C domains served again");
    look(w, "d4.test", "MX d4.test, A mx.d4.test", "10 mx.d4.test 127.0.1.4", "C+1st domain");
    /* d3 was least recently used (LEG-5), so it is the one that needs DNS again (LEG-4, TTL-9). */
    look(w, "d1.test", "", "10 mx.d1.test 127.0.1.1", "recently used stays");
    look(w, "d3.test", "MX d3.test, A mx.d3.test", "10 mx.d3.test 127.0.1.3", "LRU dropped, needs DNS");
    dw_free(w);
}

static const char *body_imp =
    "step 0\n"
    "imp.test. 300 IN A 127.0.0.5\n"
    "lookup 0 imp.test\n";

static void test_LEG_6_TTL_5_COM_2_implicit_mx(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-implicit", "LEG-6 TTL-5 COM-2", body_imp, 0, 0, NULL);
    look(w, "imp.test", "MX imp.test, A imp.test", "0 imp.test 127.0.0.5", "NODATA for MX, then A");
    at(w, 1000);
    look(w, "imp.test", legacy(w) ? "" : "MX imp.test, A imp.test", "0 imp.test 127.0.0.5", "again");
    look(w, "imp.test", legacy(w) ? "" : "MX imp.test, A imp.test", "0 imp.test 127.0.0.5", "and again");
    dw_free(w);
}

static const char *body_fwd =
    "forward smart.test\n"
    "step 0\n"
    "smart.test. 60 IN A 127.0.0.99\n"
    "step 30\n"
    "smart.test. 60 IN A 127.0.0.100\n"
    "forward-lookup 0\n";

static void test_LEG_7_TTL_10_TTL_11_forward_host(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-forward", "LEG-7 TTL-10 TTL-11", body_fwd, 0, 0, "smart.test");
    uint64_t mark = fx_server_mark(w->s);
    EXPECT_ST(rc_cache_start(w->c, NULL, 0), RC_OK, "start");
    char got[512];
    size_t n;
    queries_since(w, mark, got, sizeof(got), &n);
    EXPECT_S(got, "A smart.test", "start resolves the forward host");
    at(w, 30000);
    fwd(w, "", "0 smart.test 127.0.0.99", "TTL-11: within its TTL, no DNS");
    at(w, 59999);
    fwd(w, "", "0 smart.test 127.0.0.99", "TTL-11: 1 ms before its TTL");
    at(w, 60000);
    fwd(w, legacy(w) ? "" : "A smart.test", legacy(w) ? "0 smart.test 127.0.0.99" : "0 smart.test 127.0.0.100",
        "at its TTL (LEG-7 / TTL-10)");
    at(w, 86400000);
    fwd(w, legacy(w) ? "" : "A smart.test", legacy(w) ? "0 smart.test 127.0.0.99" : "0 smart.test 127.0.0.100",
        "a day later");
    dw_free(w);
}

static const char *body_min =
    "step 0\n"
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 600 IN A 127.0.0.10\n"
    "mx2.a.test. 30 IN A 127.0.0.20\n"
    "lookup 0 a.test\n";

static void test_TTL_4_minimum_ttl(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-min-ttl", "TTL-4", body_min, 0, 0, NULL);
    look(w, "a.test", Q_A, R_A, "t=0");
    at(w, 29999);
    look(w, "a.test", "", R_A, "before the 30 s address TTL");
    at(w, 30000);
    look(w, "a.test", legacy(w) ? "" : Q_A, R_A, "at the 30 s address TTL");
    dw_free(w);
}

static const char *body_nx =
    "step 0\n"
    "nxdomain nx.test\n"
    "a.test. 300 IN A 127.0.0.1\n"
    "lookup 0 nx.test\n";

static void test_TTL_6_COM_4_nxdomain(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-nxdomain", "TTL-6 COM-4", body_nx, 0, 0, NULL);
    look(w, "nx.test", "MX nx.test", "status:nxdomain", "first");
    look(w, "nx.test", "MX nx.test", "status:nxdomain", "second: never cached");
    at(w, 1000);
    look(w, "nx.test", "MX nx.test", "status:nxdomain", "third");
    dw_free(w);
}

static const char *body_zero =
    "step 0\n"
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 0 IN A 127.0.0.10\n"
    "mx2.a.test. 300 IN A 127.0.0.20\n"
    "lookup 0 a.test\n";

static void test_TTL_7_zero_ttl(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-ttl-zero", "TTL-7", body_zero, 0, 0, NULL);
    look(w, "a.test", Q_A, R_A, "first");
    look(w, "a.test", legacy(w) ? "" : Q_A, R_A, "second, same instant");
    dw_free(w);
}

static const char *body_huge =
    "step 0\n"
    "h.test. 4294967295 IN MX 10 mx.h.test.\n"
    "mx.h.test. 300 IN A 127.0.0.60\n"
    "g.test. 300 IN MX 10 mx.g.test.\n"
    "mx.g.test. 2147483648 IN A 127.0.0.61\n"
    "lookup 0 h.test\n"
    "lookup 0 g.test\n";

static void test_TTL_8_huge_ttl(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-ttl-huge", "TTL-8", body_huge, 0, 0, NULL);
    look(w, "h.test", "MX h.test, A mx.h.test", "10 mx.h.test 127.0.0.60", "MX TTL 2^32-1");
    look(w, "h.test", legacy(w) ? "" : "MX h.test, A mx.h.test", "10 mx.h.test 127.0.0.60", "again");
    look(w, "g.test", "MX g.test, A mx.g.test", "10 mx.g.test 127.0.0.61", "A TTL 2^31");
    look(w, "g.test", legacy(w) ? "" : "MX g.test, A mx.g.test", "10 mx.g.test 127.0.0.61", "again");
    dw_free(w);
}

static const char *body_order =
    "step 0\n"
    "p.test. 300 IN MX 30 z.p.test.\n"
    "p.test. 300 IN MX 5 y.p.test.\n"
    "p.test. 300 IN MX 30 b.p.test.\n"
    "z.p.test. 300 IN A 127.0.0.1\n"
    "y.p.test. 300 IN A 127.0.0.2\n"
    "b.p.test. 300 IN A 127.0.0.3\n"
    "lookup 0 p.test\n";

static void test_COM_1_COM_9_order(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-order", "COM-1 COM-9", body_order, 0, 0, NULL);
    const char *r = "5 y.p.test 127.0.0.2; 30 b.p.test 127.0.0.3; 30 z.p.test 127.0.0.1";
    look(w, "p.test", "MX p.test, A y.p.test, A b.p.test, A z.p.test", r, "preference order, queries in order");
    look(w, "p.test", "", r, "from the cache");
    dw_free(w);
}

static const char *body_null =
    "step 0\n"
    "null.test. 300 IN MX 0 .\n"
    "null.test. 300 IN A 127.0.0.1\n"
    "lookup 0 null.test\n";

static void test_COM_3_null_mx(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-null-mx", "COM-3", body_null, 0, 0, NULL);
    look(w, "null.test", "MX null.test", "status:nullmx", "first");
    look(w, "null.test", "MX null.test", "status:nullmx", "second");
    dw_free(w);
}

static const char *body_servfail =
    "step 0\n"
    "servfail a.test\n"
    "mx1.a.test. 300 IN A 127.0.0.10\n"
    "mx2.a.test. 300 IN A 127.0.0.20\n"
    "step 10\n"
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 300 IN A 127.0.0.10\n"
    "mx2.a.test. 300 IN A 127.0.0.20\n"
    "lookup 0 a.test\n";

/* A temporary failure of kind (servfail, timeout, malformed) at step 0, records from 10 s.
 * With recovers = 0 the script stops before the records come: after a query the front dnsmasq
 * forwarded into silence, it answers the same question from new content only once its own
 * forwarding record has timed out (seconds of real time), which virtual time cannot skip. */
static void temporary(void **state, const char *name, const char *kind, const char *clause, unsigned faults,
                      int recovers)
{
    char body[2048];
    snprintf(body, sizeof(body), "%s", body_servfail);
    char *p = strstr(body, "servfail a.test");
    assert_non_null(p);
    char tail[2048];
    snprintf(tail, sizeof(tail), "%s", p + strlen("servfail a.test"));
    snprintf(p, sizeof(body) - (size_t)(p - body), "%s a.test%s", kind, tail);
    struct dw *w = dw_new(mode_of(state), name, clause, body, faults, 0, NULL);
    look(w, "a.test", "MX a.test", "status:retry", "first");
    at(w, 1000);
    look(w, "a.test", faults ? "" : "MX a.test", "status:retry",
         faults ? "cache-servfail fault: failure served from the cache" : "second: never cached");
    if (!recovers) {
        dw_free(w);
        return;
    }
    at(w, 10000);
    look(w, "a.test", faults ? "" : Q_A, faults ? "status:retry" : R_A, "after recovery");
    at(w, 61000);
    look(w, "a.test", faults ? Q_A : "", R_A, "later");
    dw_free(w);
}

static void test_COM_5_servfail(void **state)
{
    temporary(state, "model-servfail", "servfail", "COM-5", 0, 1);
}

static void test_COM_6_timeout(void **state)
{
    temporary(state, "model-timeout", "timeout", "COM-6", 0, 0);
}

static void test_COM_7_malformed(void **state)
{
    temporary(state, "model-malformed", "malformed", "COM-7", 0, 1);
}

static void test_fault_cache_servfail_dnsmasq(void **state)
{
    temporary(state, "model-servfail-fault", "servfail", "COM-5", RC_FAULT_CACHE_SERVFAIL, 1);
}

static void test_COM_8_case_and_dot(void **state)
{
    struct dw *w = dw_new(mode_of(state), "model-case", "COM-8", body_a, 0, 0, NULL);
    look(w, "a.test", Q_A, R_A, "first");
    look(w, "A.TEST.", "", R_A, "upper case, trailing dot");
    look(w, "a.Test", "", R_A, "mixed case");
    dw_free(w);
}

#define BOTH(f) {#f "_legacy", f, NULL, NULL, &mode_legacy}, {#f "_ttl", f, NULL, NULL, &mode_ttl}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(test_LEG_1_TTL_1_TTL_2_expiry),
        BOTH(test_LEG_2_TTL_3_data_change),
        BOTH(test_LEG_3_LEG_4_LEG_5_TTL_9_capacity),
        BOTH(test_LEG_6_TTL_5_COM_2_implicit_mx),
        BOTH(test_LEG_7_TTL_10_TTL_11_forward_host),
        BOTH(test_TTL_4_minimum_ttl),
        BOTH(test_TTL_6_COM_4_nxdomain),
        BOTH(test_TTL_7_zero_ttl),
        BOTH(test_TTL_8_huge_ttl),
        BOTH(test_COM_1_COM_9_order),
        BOTH(test_COM_3_null_mx),
        BOTH(test_COM_5_servfail),
        BOTH(test_COM_6_timeout),
        BOTH(test_COM_7_malformed),
        BOTH(test_COM_8_case_and_dot),
        {"test_fault_cache_servfail_dnsmasq_ttl", test_fault_cache_servfail_dnsmasq, NULL, NULL, &mode_ttl},
    };
    return cmocka_run_group_tests_name("rc_dnsmasq", tests, NULL, NULL);
}
