/*
 * Tests of rc_cache against the stub resolver on a virtual clock. Each SPEC clause the model
 * implements has a test named after it; most run in both modes (legacy asserts the legacy
 * behaviour, ttl the TTL behaviour) and assert the exact number of DNS queries each lookup
 * caused and the route it returned. Each RC_FAULT_* is shown to change behaviour against the
 * same scenario without the fault. Invalid input must give RC_INVAL and touch nothing.
 */
#include <stdlib.h>
#include "rc_test.h"
#include "rc_cache.h"

static enum rc_mode mode_legacy = RC_MODE_LEGACY, mode_ttl = RC_MODE_TTL;

/* "--inject-fault NAME" adds a deliberate fault to every cache and runs the clause tests only:
 * CTest expects that run to fail (WILL_FAIL), proving the clause tests catch each fault. */
static unsigned injected_faults;

struct world {
    struct rc_resolver *r;
    struct rc_vclock *vc;
    struct rc_cache *c;
    enum rc_mode mode;
};

static const char *zone_a =
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 300 IN A 127.0.0.10\n"
    "mx2.a.test. 300 IN A 127.0.0.20\n";
#define ROUTE_A "10 mx1.a.test 127.0.0.10; 20 mx2.a.test 127.0.0.20"
#define QUERIES_A 3 /* MX a.test, A mx1, A mx2 */

/* Domains d0.test .. d9.test with one exchanger each (2 queries a lookup), and more. */
static const char *zone_many =
    "d0.test. 300 IN MX 10 mx.d0.test.\nmx.d0.test. 300 IN A 127.0.1.0\n"
    "d1.test. 300 IN MX 10 mx.d1.test.\nmx.d1.test. 300 IN A 127.0.1.1\n"
    "d2.test. 300 IN MX 10 mx.d2.test.\nmx.d2.test. 300 IN A 127.0.1.2\n"
    "d3.test. 300 IN MX 10 mx.d3.test.\nmx.d3.test. 300 IN A 127.0.1.3\n"
    "d4.test. 300 IN MX 10 mx.d4.test.\nmx.d4.test. 300 IN A 127.0.1.4\n"
    "d5.test. 300 IN MX 10 mx.d5.test.\nmx.d5.test. 300 IN A 127.0.1.5\n"
    "d6.test. 300 IN MX 10 mx.d6.test.\nmx.d6.test. 300 IN A 127.0.1.6\n";

static struct world *world_new(enum rc_mode mode, const char *zone, unsigned faults, size_t capacity,
                               const char *forward, int want_aaaa)
{
    struct world *w = calloc(1, sizeof(*w));
    char why[256] = "";
    assert_non_null(w);
    w->mode = mode;
    EXPECT_ST(rc_resolver_stub_new(&w->r), RC_OK, "stub");
    EXPECT_ST(rc_resolver_stub_load(w->r, zone, why, sizeof(why)), RC_OK, why);
    EXPECT_ST(rc_vclock_new(&w->vc), RC_OK, "vclock");
    struct rc_cache_config cfg;
    rc_cache_config_init(&cfg);
    cfg.mode = mode;
    cfg.faults = faults | injected_faults;
    cfg.want_aaaa = want_aaaa;
    cfg.forward_host = forward;
    if (capacity > 0)
        cfg.capacity = capacity;
    EXPECT_ST(rc_cache_new(&w->c, &cfg, w->r, rc_vclock_clock(w->vc), why, sizeof(why)), RC_OK, why);
    return w;
}

static void world_free(struct world *w)
{
    rc_cache_free(w->c);
    rc_resolver_free(w->r);
    rc_vclock_free(w->vc);
    free(w);
}

static void load(struct world *w, const char *zone)
{
    char why[256] = "";
    EXPECT_ST(rc_resolver_stub_load(w->r, zone, why, sizeof(why)), RC_OK, why);
}

static void at(struct world *w, uint64_t ms)
{
    rc_vclock_set(w->vc, ms);
}

/* Looks domain up; returns the DNS queries it caused. text (512 octets) gets the route, or
 * "status:<name>" when there is none. Checks the cache counted those queries too. */
static uint64_t look(struct world *w, const char *domain, char *text)
{
    struct rc_counters before, after;
    const struct rc_route *rt = NULL;
    char why[256] = "";
    uint64_t q0 = rc_resolver_queries(w->r);
    rc_cache_counters(w->c, &before);
    enum rc_status st = rc_cache_route(w->c, domain, &rt, why, sizeof(why));
    rc_cache_counters(w->c, &after);
    uint64_t q = rc_resolver_queries(w->r) - q0;
    EXPECT_U(after.queries - before.queries, q, "counters.queries vs resolver");
    EXPECT_U(after.lookups, after.hits + after.misses, "lookups = hits + misses");
    if (st == RC_OK) {
        assert_non_null(rt);
        rc_route_format(rt, text, 512);
    } else {
        assert_null(rt);
        snprintf(text, 512, "status:%s", rc_status_str(st));
    }
    return q;
}

/* One lookup with its expected query count and result text. */
#define LOOK(w, domain, want_q, want_text, what)                   \
    do {                                                           \
        char t_[512];                                              \
        EXPECT_U(look((w), (domain), t_), (want_q), what " (queries)"); \
        EXPECT_S(t_, (want_text), what " (route)");                \
    } while (0)

static uint64_t fwd(struct world *w, char *text)
{
    const struct rc_route *rt = NULL;
    uint64_t q0 = rc_resolver_queries(w->r);
    enum rc_status st = rc_cache_forward(w->c, &rt, NULL, 0);
    if (st == RC_OK)
        rc_route_format(rt, text, 512);
    else
        snprintf(text, 512, "status:%s", rc_status_str(st));
    return rc_resolver_queries(w->r) - q0;
}

#define FWD(w, want_q, want_text, what)                            \
    do {                                                           \
        char t_[512];                                              \
        EXPECT_U(fwd((w), t_), (want_q), what " (queries)");       \
        EXPECT_S(t_, (want_text), what " (route)");                \
    } while (0)

static int legacy(const struct world *w)
{
    return w->mode == RC_MODE_LEGACY;
}

static enum rc_mode mode_of(void **state)
{
    return *(enum rc_mode *)*state;
}

/* ---- legacy-mode clauses (in TTL mode the same script shows the TTL behaviour) ---- */

static void test_LEG_1_no_dns_while_cached(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup");
    at(w, 299999);
    LOOK(w, "a.test", 0, ROUTE_A, "just before the TTL");
    at(w, 300000);
    LOOK(w, "a.test", legacy(w) ? 0 : QUERIES_A, ROUTE_A, "at the TTL");
    at(w, 86400000);
    LOOK(w, "a.test", legacy(w) ? 0 : QUERIES_A, ROUTE_A, "a day later");
    struct rc_counters k;
    rc_cache_counters(w->c, &k);
    EXPECT_U(k.hits, legacy(w) ? 3 : 1, "hits");
    EXPECT_U(k.misses, legacy(w) ? 1 : 3, "misses");
    world_free(w);
}

static const char *zone_a2 =
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 300 IN A 127.0.0.11\n"
    "mx2.a.test. 300 IN A 127.0.0.20\n";
#define ROUTE_A2 "10 mx1.a.test 127.0.0.11; 20 mx2.a.test 127.0.0.20"

static void test_LEG_2_keeps_first_route(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup");
    load(w, zone_a2);
    at(w, 10000);
    LOOK(w, "a.test", 0, ROUTE_A, "after the change, within TTL");
    at(w, 3600000);
    if (legacy(w))
        LOOK(w, "a.test", 0, ROUTE_A, "legacy: an hour later, still the first route");
    else
        LOOK(w, "a.test", QUERIES_A, ROUTE_A2, "ttl: an hour later, the new route");
    world_free(w);
}

static void test_LEG_3_capacity_all_served(void **state)
{
    struct world *w = world_new(mode_of(state), zone_many, 0, 5, NULL, 0);
    char name[32], t[512];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "d%d.test", i);
        EXPECT_U(look(w, name, t), 2, "first round");
    }
    at(w, 100000);
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "d%d.test", i);
        EXPECT_U(look(w, name, t), 0, "second round, all C cached");
    }
    struct rc_counters k;
    rc_cache_counters(w->c, &k);
    EXPECT_U(k.entries, 5, "entries");
    EXPECT_U(k.evictions, 0, "evictions");
    world_free(w);
}

/* C+1 domains: the first one looked up is gone (LEG-4 in legacy mode, TTL-9 in TTL mode). */
static void bounded(void **state)
{
    struct world *w = world_new(mode_of(state), zone_many, 0, 5, NULL, 0);
    char name[32], t[512];
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof(name), "d%d.test", i);
        EXPECT_U(look(w, name, t), 2, "C+1 distinct domains");
    }
    struct rc_counters k;
    rc_cache_counters(w->c, &k);
    EXPECT_U(k.entries, 5, "entries");
    EXPECT_U(k.evictions, 1, "evictions");
    assert_false(rc_cache_contains(w->c, "d0.test"));
    LOOK(w, "d0.test", 2, "10 mx.d0.test 127.0.1.0", "the dropped domain needs DNS");
    world_free(w);
}

static void test_LEG_4_bounded(void **state)
{
    bounded(state);
}

static void test_TTL_9_bounded(void **state)
{
    bounded(state);
}

static void test_LEG_5_lru_dropped_first(void **state)
{
    struct world *w = world_new(mode_of(state), zone_many, 0, 5, NULL, 0);
    char name[32], t[512];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof(name), "d%d.test", i);
        EXPECT_U(look(w, name, t), 2, "fill");
    }
    LOOK(w, "d0.test", 0, "10 mx.d0.test 127.0.1.0", "touch d0");
    LOOK(w, "d5.test", 2, "10 mx.d5.test 127.0.1.5", "one more");
    assert_true(rc_cache_contains(w->c, "d0.test"));
    assert_false(rc_cache_contains(w->c, "d1.test"));
    LOOK(w, "d1.test", 2, "10 mx.d1.test 127.0.1.1", "least recently used was dropped");
    LOOK(w, "d0.test", 0, "10 mx.d0.test 127.0.1.0", "recently used survived");
    world_free(w);
}

static const char *zone_imp = "imp.test. 300 IN A 127.0.0.5\n";

/* Implicit MX: cached in legacy mode (LEG-6), never in TTL mode (TTL-5). */
static void implicit(void **state)
{
    struct world *w = world_new(mode_of(state), zone_imp, 0, 0, NULL, 0);
    LOOK(w, "imp.test", 2, "0 imp.test 127.0.0.5", "first lookup: MX (NODATA) + A");
    at(w, 1000);
    LOOK(w, "imp.test", legacy(w) ? 0 : 2, "0 imp.test 127.0.0.5", "second lookup");
    LOOK(w, "imp.test", legacy(w) ? 0 : 2, "0 imp.test 127.0.0.5", "third lookup");
    struct rc_counters k;
    rc_cache_counters(w->c, &k);
    EXPECT_U(k.entries, legacy(w) ? 1 : 0, "entries");
    world_free(w);
}

static void test_LEG_6_implicit_mx_cached(void **state)
{
    implicit(state);
}

static void test_TTL_5_implicit_mx_never_cached(void **state)
{
    implicit(state);
}

static const char *zone_fwd = "smart.test. 60 IN A 127.0.0.99\n";
static const char *zone_fwd2 = "smart.test. 60 IN A 127.0.0.100\n";
#define FWD1 "0 smart.test 127.0.0.99"
#define FWD2 "0 smart.test 127.0.0.100"

/* The forward host: legacy resolves it once (LEG-7); TTL mode reuses it within its TTL (TTL-11)
 * and re-resolves it at the first use after (TTL-10). */
static void forward(void **state)
{
    struct world *w = world_new(mode_of(state), zone_fwd, 0, 0, "Smart.test.", 0);
    EXPECT_ST(rc_cache_start(w->c, NULL, 0), RC_OK, "start");
    EXPECT_U(rc_resolver_queries(w->r), 1, "start resolves the forward host: one A query");
    at(w, 30000);
    FWD(w, 0, FWD1, "within TTL");
    load(w, zone_fwd2);
    at(w, 59999);
    FWD(w, 0, FWD1, "just before the TTL");
    at(w, 60000);
    FWD(w, legacy(w) ? 0 : 1, legacy(w) ? FWD1 : FWD2, "at the TTL");
    at(w, 86400000);
    FWD(w, legacy(w) ? 0 : 1, legacy(w) ? FWD1 : FWD2, "a day later");
    world_free(w);
}

static void test_LEG_7_forward_resolved_once(void **state)
{
    forward(state);
}

static void test_TTL_10_forward_requeried_after_ttl(void **state)
{
    forward(state);
}

static void test_TTL_11_forward_reused_within_ttl(void **state)
{
    forward(state);
}

static void test_LEG_7_forward_start_failure_retried(void **state)
{
    struct world *w = world_new(mode_of(state), zone_fwd, 0, 0, "smart.test", 0);
    EXPECT_ST(rc_resolver_stub_fault(w->r, "smart.test", RC_STUB_SERVFAIL), RC_OK, "fault");
    EXPECT_ST(rc_cache_start(w->c, NULL, 0), RC_RETRY, "start with SERVFAIL");
    EXPECT_ST(rc_resolver_stub_fault(w->r, "smart.test", RC_STUB_NONE), RC_OK, "fault");
    at(w, 1000);
    FWD(w, 1, FWD1, "first use after a failed start resolves");
    load(w, zone_fwd2);
    at(w, 100000);
    FWD(w, legacy(w) ? 0 : 1, legacy(w) ? FWD1 : FWD2, "later use");
    world_free(w);
}

/* ---- TTL-mode clauses (legacy runs the same script and must ignore the TTL) ---- */

static void test_TTL_1_no_dns_within_ttl(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup");
    for (uint64_t t = 1000; t < 300000; t += 49000) {
        at(w, t);
        LOOK(w, "a.test", 0, ROUTE_A, "within TTL");
    }
    world_free(w);
}

static void test_TTL_2_requery_at_expiry(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    at(w, 5000);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup at 5 s");
    at(w, 304999);
    LOOK(w, "a.test", 0, ROUTE_A, "1 ms before expiry");
    at(w, 305000);
    LOOK(w, "a.test", legacy(w) ? 0 : QUERIES_A, ROUTE_A, "exactly at expiry");
    LOOK(w, "a.test", 0, ROUTE_A, "right after the new query");
    world_free(w);
}

static void test_TTL_3_new_data_after_requery(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup");
    load(w, zone_a2);
    at(w, 300000);
    LOOK(w, "a.test", legacy(w) ? 0 : QUERIES_A, legacy(w) ? ROUTE_A : ROUTE_A2, "after expiry");
    world_free(w);
}

static const char *zone_short_a =
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 600 IN A 127.0.0.10\n"
    "mx2.a.test. 30 IN A 127.0.0.20\n";

static void test_TTL_4_lifetime_is_minimum_ttl(void **state)
{
    struct world *w = world_new(mode_of(state), zone_short_a, 0, 0, NULL, 0);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup");
    at(w, 29999);
    LOOK(w, "a.test", 0, ROUTE_A, "before the shortest TTL (A, 30 s)");
    at(w, 30000);
    LOOK(w, "a.test", legacy(w) ? 0 : QUERIES_A, ROUTE_A, "at the shortest TTL");
    world_free(w);
}

static void nxdomain(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    LOOK(w, "nx.test", 1, "status:nxdomain", "first lookup");
    LOOK(w, "nx.test", 1, "status:nxdomain", "second lookup, same time");
    at(w, 1000);
    LOOK(w, "nx.test", 1, "status:nxdomain", "third lookup");
    struct rc_counters k;
    rc_cache_counters(w->c, &k);
    EXPECT_U(k.entries, 0, "entries");
    world_free(w);
}

static void test_TTL_6_nxdomain_never_cached(void **state)
{
    nxdomain(state);
}

static void test_COM_4_nxdomain_no_route(void **state)
{
    nxdomain(state);
}

static const char *zone_ttl0 =
    "a.test. 300 IN MX 20 mx2.a.test.\n"
    "a.test. 300 IN MX 10 mx1.a.test.\n"
    "mx1.a.test. 0 IN A 127.0.0.10\n"
    "mx2.a.test. 300 IN A 127.0.0.20\n";

static void test_TTL_7_zero_ttl_not_reused(void **state)
{
    struct world *w = world_new(mode_of(state), zone_ttl0, 0, 0, NULL, 0);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup");
    LOOK(w, "a.test", legacy(w) ? 0 : QUERIES_A, ROUTE_A, "same instant");
    world_free(w);
}

static void test_TTL_8_ttl_over_2_31_is_zero(void **state)
{
    struct world *w = world_new(mode_of(state),
                                "a.test. 4294967295 IN MX 10 mx1.a.test.\nmx1.a.test. 300 IN A 127.0.0.10\n"
                                "b.test. 2147483648 IN MX 10 mx1.a.test.\n"
                                "c.test. 2147483647 IN MX 10 mx.c.test.\nmx.c.test. 2147483647 IN A 127.0.0.30\n",
                                0, 0, NULL, 0);
    LOOK(w, "a.test", 2, "10 mx1.a.test 127.0.0.10", "first lookup, TTL 2^32-1");
    LOOK(w, "a.test", legacy(w) ? 0 : 2, "10 mx1.a.test 127.0.0.10", "second lookup, TTL 2^32-1");
    LOOK(w, "b.test", 2, "10 mx1.a.test 127.0.0.10", "first lookup, TTL 2^31");
    LOOK(w, "b.test", legacy(w) ? 0 : 2, "10 mx1.a.test 127.0.0.10", "second lookup, TTL 2^31");
    LOOK(w, "c.test", 2, "10 mx.c.test 127.0.0.30", "first lookup, TTL 2^31-1");
    at(w, 86400000);
    LOOK(w, "c.test", 0, "10 mx.c.test 127.0.0.30", "a day later, TTL 2^31-1 is valid");
    world_free(w);
}

/* ---- both modes ---- */

static void test_COM_1_preference_order(void **state)
{
    struct world *w = world_new(mode_of(state),
                                "p.test. 300 IN MX 30 z.p.test.\np.test. 300 IN MX 5 y.p.test.\n"
                                "p.test. 300 IN MX 30 b.p.test.\n"
                                "z.p.test. 300 IN A 127.0.0.1\ny.p.test. 300 IN A 127.0.0.2\n"
                                "b.p.test. 300 IN A 127.0.0.3\n",
                                0, 0, NULL, 0);
    /* equal preferences come in either order (the cache shuffles them at every lookup) */
    const char *want = "5 y.p.test 127.0.0.2; 30 b.p.test 127.0.0.3; 30 z.p.test 127.0.0.1";
    const char *also = "5 y.p.test 127.0.0.2; 30 z.p.test 127.0.0.1; 30 b.p.test 127.0.0.3";
    for (int i = 0; i < 4; i++) {
        char t[512];
        EXPECT_U(look(w, "p.test", t), i == 0 ? 4 : 0, i == 0 ? "resolved" : "from the cache");
        if (strcmp(t, also) != 0)
            EXPECT_S(t, want, "preference order");
    }
    world_free(w);
}

static void test_COM_2_implicit_mx_route(void **state)
{
    struct world *w = world_new(mode_of(state), zone_imp, 0, 0, NULL, 0);
    const struct rc_route *rt = NULL;
    EXPECT_ST(rc_cache_route(w->c, "IMP.test", &rt, NULL, 0), RC_OK, "lookup");
    EXPECT_U(rc_route_count(rt), 1, "one exchanger");
    EXPECT_S(rc_route_name(rt, 0), "imp.test", "the domain itself");
    EXPECT_S(rc_route_addr(rt, 0, 0), "127.0.0.5", "its address");
    EXPECT_U(rc_route_implicit(rt), 1, "implicit");
    world_free(w);
}

static void test_COM_3_null_mx_no_route(void **state)
{
    struct world *w = world_new(mode_of(state), "null.test. 300 IN MX 0 .\nnull.test. 300 IN A 127.0.0.1\n", 0, 0,
                                NULL, 0);
    LOOK(w, "null.test", 1, "status:nullmx", "first lookup: MX only");
    LOOK(w, "null.test", 1, "status:nullmx", "not cached");
    world_free(w);
}

static void test_COM_4_no_address_no_route(void **state)
{
    struct world *w = world_new(mode_of(state), "dead.test. 300 IN MX 10 gone.test.\n", 0, 0, NULL, 0);
    LOOK(w, "dead.test", 2, "status:noaddr", "first lookup: MX + A");
    LOOK(w, "dead.test", 2, "status:noaddr", "not cached");
    world_free(w);
}

static void temporary(void **state, enum rc_stub_fault f)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    EXPECT_ST(rc_resolver_stub_fault(w->r, "a.test", f), RC_OK, "fault");
    LOOK(w, "a.test", 1, "status:retry", "first lookup");
    LOOK(w, "a.test", 1, "status:retry", "second lookup queries again");
    EXPECT_ST(rc_resolver_stub_fault(w->r, "a.test", RC_STUB_NONE), RC_OK, "fault");
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "after recovery");
    LOOK(w, "a.test", 0, ROUTE_A, "then cached");
    world_free(w);
}

static void test_COM_5_servfail_not_cached(void **state)
{
    temporary(state, RC_STUB_SERVFAIL);
}

static void test_COM_6_timeout_not_cached(void **state)
{
    temporary(state, RC_STUB_TIMEOUT);
}

static void test_COM_7_malformed_not_cached(void **state)
{
    temporary(state, RC_STUB_MALFORMED);
}

static void test_COM_7_mismatched_answer_not_cached(void **state)
{
    temporary(state, RC_STUB_MISMATCH);
}

static void test_COM_8_case_and_trailing_dot(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup");
    LOOK(w, "A.TEST.", 0, ROUTE_A, "upper case with trailing dot");
    LOOK(w, "a.Test", 0, ROUTE_A, "mixed case");
    LOOK(w, "a.test.", 0, ROUTE_A, "trailing dot");
    struct rc_counters k;
    rc_cache_counters(w->c, &k);
    EXPECT_U(k.entries, 1, "one entry");
    world_free(w);
}

static void test_COM_9_queries_per_lookup(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 1);
    LOOK(w, "a.test", 5, ROUTE_A, "lookup with AAAA");
    static const struct {
        const char *name;
        uint16_t type;
    } want[] = {{"a.test", 15}, {"mx1.a.test", 1}, {"mx1.a.test", 28}, {"mx2.a.test", 1}, {"mx2.a.test", 28}};
    EXPECT_U(rc_resolver_stub_log_count(w->r), 5, "log entries");
    for (size_t i = 0; i < 5; i++) {
        uint16_t type = 0;
        EXPECT_S(rc_resolver_stub_log(w->r, i, &type), want[i].name, "query name, in order");
        EXPECT_U(type, want[i].type, "query type, in order");
    }
    LOOK(w, "a.test", 0, ROUTE_A, "second lookup");
    EXPECT_U(rc_resolver_stub_log_count(w->r), 5, "no queries for a hit");
    world_free(w);
}

/* ---- each deliberate fault changes behaviour ---- */

/* Queries of a lookup of a.test at `t2` ms after one at 0, in TTL mode. */
static uint64_t requery_at(const char *zone, unsigned faults, uint64_t t2)
{
    struct world *w = world_new(RC_MODE_TTL, zone, faults, 0, NULL, 0);
    char t[512];
    (void)look(w, "a.test", t);
    at(w, t2);
    uint64_t q = look(w, "a.test", t);
    world_free(w);
    return q;
}

static void test_fault_expiry_late(void **state)
{
    (void)state;
    EXPECT_U(requery_at(zone_a, 0, 300000), QUERIES_A, "no fault: queries at the TTL");
    EXPECT_U(requery_at(zone_a, RC_FAULT_EXPIRY_LATE, 300000), 0, "expiry-late: cached at the TTL");
    EXPECT_U(requery_at(zone_a, RC_FAULT_EXPIRY_LATE, 301999), 0, "expiry-late: cached 1999 ms after");
    EXPECT_U(requery_at(zone_a, RC_FAULT_EXPIRY_LATE, 302000), QUERIES_A, "expiry-late: queries 2 s after");
}

static void test_fault_ignore_addr_ttl(void **state)
{
    (void)state;
    EXPECT_U(requery_at(zone_short_a, 0, 30000), QUERIES_A, "no fault: address TTL 30 s counts");
    EXPECT_U(requery_at(zone_short_a, RC_FAULT_IGNORE_ADDR_TTL, 30000), 0, "ignore-addr-ttl: cached at 30 s");
    EXPECT_U(requery_at(zone_short_a, RC_FAULT_IGNORE_ADDR_TTL, 300000), QUERIES_A, "ignore-addr-ttl: MX TTL");
}

static void test_fault_cache_nodata(void **state)
{
    (void)state;
    struct world *w = world_new(RC_MODE_TTL, zone_imp, RC_FAULT_CACHE_NODATA, 0, NULL, 0);
    LOOK(w, "imp.test", 2, "0 imp.test 127.0.0.5", "first lookup");
    LOOK(w, "imp.test", 0, "0 imp.test 127.0.0.5", "cache-nodata: implicit route cached");
    at(w, 300000);
    LOOK(w, "imp.test", 2, "0 imp.test 127.0.0.5", "cache-nodata: until its TTL");
    world_free(w);
}

static void test_fault_cache_servfail(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, RC_FAULT_CACHE_SERVFAIL, 0, NULL, 0);
    EXPECT_ST(rc_resolver_stub_fault(w->r, "a.test", RC_STUB_SERVFAIL), RC_OK, "fault");
    LOOK(w, "a.test", 1, "status:retry", "first lookup");
    EXPECT_ST(rc_resolver_stub_fault(w->r, "a.test", RC_STUB_NONE), RC_OK, "fault");
    at(w, 59999);
    LOOK(w, "a.test", 0, "status:retry", "cache-servfail: failure served from the cache");
    at(w, 60000);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "cache-servfail: for 60 s");
    world_free(w);
}

static void capacity_plus1(void **state, unsigned faults, uint64_t want_q)
{
    struct world *w = world_new(mode_of(state), zone_many, faults, 5, NULL, 0);
    char name[32], t[512];
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof(name), "d%d.test", i);
        (void)look(w, name, t);
    }
    EXPECT_U(look(w, "d0.test", t), want_q, "d0 after C+1 domains");
    world_free(w);
}

static void test_fault_capacity_plus1(void **state)
{
    capacity_plus1(state, 0, 2);
    capacity_plus1(state, RC_FAULT_CAPACITY_PLUS1, 0);
}

static void test_fault_forward_once(void **state)
{
    (void)state;
    struct world *w = world_new(RC_MODE_TTL, zone_fwd, RC_FAULT_FORWARD_ONCE, 0, "smart.test", 0);
    EXPECT_ST(rc_cache_start(w->c, NULL, 0), RC_OK, "start");
    load(w, zone_fwd2);
    at(w, 86400000);
    FWD(w, 0, FWD1, "forward-once: never re-resolved in TTL mode");
    world_free(w);
}

static void test_fault_case_sensitive(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, RC_FAULT_CASE_SENSITIVE, 0, NULL, 0);
    LOOK(w, "a.test", QUERIES_A, ROUTE_A, "first lookup");
    LOOK(w, "A.test", QUERIES_A, ROUTE_A, "case-sensitive: other case is another entry");
    LOOK(w, "a.test.", 0, ROUTE_A, "trailing dot still the same entry");
    world_free(w);
}

static void test_fault_names(void **state)
{
    (void)state;
    const unsigned bits[] = {RC_FAULT_EXPIRY_LATE, RC_FAULT_IGNORE_ADDR_TTL, RC_FAULT_CACHE_NODATA,
                             RC_FAULT_CACHE_SERVFAIL, RC_FAULT_CAPACITY_PLUS1, RC_FAULT_FORWARD_ONCE,
                             RC_FAULT_CASE_SENSITIVE};
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
        unsigned back = 0;
        assert_int_equal(rc_fault_from_str(rc_fault_str(bits[i]), &back), 0);
        EXPECT_U(back, bits[i], rc_fault_str(bits[i]));
        assert_true(strlen(rc_fault_desc(bits[i])) > 0);
    }
    EXPECT_S(rc_fault_str(RC_FAULT_EXPIRY_LATE | RC_FAULT_CACHE_NODATA), "unknown", "two bits");
    unsigned b;
    assert_int_equal(rc_fault_from_str("no-such-fault", &b), -1);
    enum rc_mode m;
    assert_int_equal(rc_mode_from_str("legacy", &m), 0);
    EXPECT_U(m, RC_MODE_LEGACY, "legacy");
    EXPECT_S(rc_mode_str(RC_MODE_TTL), "ttl", "ttl");
    assert_int_equal(rc_mode_from_str("TTL", &m), -1);
}

/* ---- invalid input ---- */

static void test_invalid_config(void **state)
{
    (void)state;
    struct rc_resolver *r = NULL;
    struct rc_vclock *vc = NULL;
    struct rc_cache *c = (struct rc_cache *)1;
    char why[256];
    EXPECT_ST(rc_resolver_stub_new(&r), RC_OK, "stub");
    EXPECT_ST(rc_vclock_new(&vc), RC_OK, "vclock");
    struct rc_cache_config cfg;
    rc_cache_config_init(&cfg);
    EXPECT_U(cfg.capacity, 1000, "default capacity");
    EXPECT_U(cfg.mode, RC_MODE_TTL, "default mode");
    cfg.capacity = 0;
    EXPECT_ST(rc_cache_new(&c, &cfg, r, rc_vclock_clock(vc), why, sizeof(why)), RC_INVAL, "capacity 0");
    assert_null(c);
    cfg.capacity = RC_CACHE_MAX_CAPACITY + 1;
    EXPECT_ST(rc_cache_new(&c, &cfg, r, rc_vclock_clock(vc), why, sizeof(why)), RC_INVAL, "capacity too big");
    cfg.capacity = SIZE_MAX;
    EXPECT_ST(rc_cache_new(&c, &cfg, r, rc_vclock_clock(vc), why, sizeof(why)), RC_INVAL, "capacity SIZE_MAX");
    rc_cache_config_init(&cfg);
    cfg.forward_host = "bad host";
    EXPECT_ST(rc_cache_new(&c, &cfg, r, rc_vclock_clock(vc), why, sizeof(why)), RC_INVAL, "bad forward host");
    rc_cache_config_init(&cfg);
    cfg.faults = 0x1000;
    EXPECT_ST(rc_cache_new(&c, &cfg, r, rc_vclock_clock(vc), why, sizeof(why)), RC_INVAL, "unknown fault");
    rc_cache_config_init(&cfg);
    cfg.mode = (enum rc_mode)7;
    EXPECT_ST(rc_cache_new(&c, &cfg, r, rc_vclock_clock(vc), why, sizeof(why)), RC_INVAL, "bad mode");
    rc_cache_config_init(&cfg);
    EXPECT_ST(rc_cache_new(&c, &cfg, NULL, rc_vclock_clock(vc), why, sizeof(why)), RC_INVAL, "NULL resolver");
    EXPECT_ST(rc_cache_new(&c, NULL, r, rc_vclock_clock(vc), why, sizeof(why)), RC_INVAL, "NULL config");
    rc_cache_free(NULL);
    rc_resolver_free(r);
    rc_vclock_free(vc);
}

static void test_invalid_lookups(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, NULL, 0);
    char longname[300], label64[80], why[256];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    for (int i = 50; i < 290; i += 50)
        longname[i] = '.';
    memset(label64, 'x', 64);
    strcpy(label64 + 64, ".test");
    const char *bad[] = {"", ".", "a..test", "a b.test", "a.test\n", "x,y.test", label64, longname, "\xff.test"};
    const struct rc_route *rt = (const struct rc_route *)1;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why[0] = '\0';
        EXPECT_ST(rc_cache_route(w->c, bad[i], &rt, why, sizeof(why)), RC_INVAL, "bad domain");
        assert_null(rt);
        assert_true(why[0] != '\0');
    }
    EXPECT_ST(rc_cache_route(w->c, NULL, &rt, why, sizeof(why)), RC_INVAL, "NULL domain");
    EXPECT_ST(rc_cache_route(w->c, "a.test", NULL, why, sizeof(why)), RC_INVAL, "NULL out");
    EXPECT_ST(rc_cache_route(NULL, "a.test", &rt, why, sizeof(why)), RC_INVAL, "NULL cache");
    EXPECT_ST(rc_cache_forward(w->c, &rt, why, sizeof(why)), RC_INVAL, "no forward host configured");
    EXPECT_ST(rc_cache_start(w->c, why, sizeof(why)), RC_OK, "start without forward host");
    assert_false(rc_cache_contains(w->c, NULL));
    assert_false(rc_cache_contains(NULL, "a.test"));
    struct rc_counters k;
    rc_cache_counters(w->c, &k);
    EXPECT_U(k.queries, 0, "no queries for invalid input");
    EXPECT_U(rc_resolver_queries(w->r), 0, "resolver untouched");
    world_free(w);
}

static void test_flush_and_counters(void **state)
{
    struct world *w = world_new(mode_of(state), zone_a, 0, 0, "smart.test", 0);
    load(w, "a.test. 300 IN MX 10 mx1.a.test.\nmx1.a.test. 300 IN A 127.0.0.10\nsmart.test. 300 IN A 127.0.0.99\n");
    EXPECT_ST(rc_cache_start(w->c, NULL, 0), RC_OK, "start");
    LOOK(w, "a.test", 2, "10 mx1.a.test 127.0.0.10", "first lookup");
    assert_true(rc_cache_contains(w->c, "A.test."));
    rc_cache_flush(w->c);
    assert_false(rc_cache_contains(w->c, "a.test"));
    FWD(w, 0, "0 smart.test 127.0.0.99", "flush keeps the forward host");
    LOOK(w, "a.test", 2, "10 mx1.a.test 127.0.0.10", "after flush");
    struct rc_counters k;
    rc_cache_counters(w->c, &k);
    EXPECT_U(k.lookups, 3, "lookups (route + forward)");
    EXPECT_U(k.hits, 1, "hits");
    EXPECT_U(k.misses, 2, "misses");
    EXPECT_U(k.queries, 5, "queries (start included)");
    EXPECT_U(k.entries, 1, "entries");
    world_free(w);
}

#define BOTH(f)                                                         \
    {#f "_legacy", f, NULL, NULL, &mode_legacy}, {#f "_ttl", f, NULL, NULL, &mode_ttl}
#define ONE(f, m) {#f, f, NULL, NULL, &(m)}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--inject-fault") == 0) {
        if (rc_fault_from_str(argv[2], &injected_faults) != 0) {
            fprintf(stderr, "test_rc_cache: --inject-fault: unknown fault \"%s\"\n", argv[2]);
            return 2;
        }
        cmocka_set_test_filter("test_???_*"); /* test_LEG_*, test_TTL_*, test_COM_* */
    } else if (argc != 1) {
        fprintf(stderr, "usage: test_rc_cache [--inject-fault NAME]\n");
        return 2;
    }
    const struct CMUnitTest tests[] = {
        BOTH(test_LEG_1_no_dns_while_cached),
        BOTH(test_LEG_2_keeps_first_route),
        BOTH(test_LEG_3_capacity_all_served),
        BOTH(test_LEG_4_bounded),
        BOTH(test_LEG_5_lru_dropped_first),
        BOTH(test_LEG_6_implicit_mx_cached),
        BOTH(test_LEG_7_forward_resolved_once),
        BOTH(test_LEG_7_forward_start_failure_retried),
        BOTH(test_TTL_1_no_dns_within_ttl),
        BOTH(test_TTL_2_requery_at_expiry),
        BOTH(test_TTL_3_new_data_after_requery),
        BOTH(test_TTL_4_lifetime_is_minimum_ttl),
        BOTH(test_TTL_5_implicit_mx_never_cached),
        BOTH(test_TTL_6_nxdomain_never_cached),
        BOTH(test_TTL_7_zero_ttl_not_reused),
        BOTH(test_TTL_8_ttl_over_2_31_is_zero),
        BOTH(test_TTL_9_bounded),
        BOTH(test_TTL_10_forward_requeried_after_ttl),
        BOTH(test_TTL_11_forward_reused_within_ttl),
        BOTH(test_COM_1_preference_order),
        BOTH(test_COM_2_implicit_mx_route),
        BOTH(test_COM_3_null_mx_no_route),
        BOTH(test_COM_4_nxdomain_no_route),
        BOTH(test_COM_4_no_address_no_route),
        BOTH(test_COM_5_servfail_not_cached),
        BOTH(test_COM_6_timeout_not_cached),
        BOTH(test_COM_7_malformed_not_cached),
        BOTH(test_COM_7_mismatched_answer_not_cached),
        BOTH(test_COM_8_case_and_trailing_dot),
        BOTH(test_COM_9_queries_per_lookup),
        ONE(test_fault_expiry_late, mode_ttl),
        ONE(test_fault_ignore_addr_ttl, mode_ttl),
        ONE(test_fault_cache_nodata, mode_ttl),
        BOTH(test_fault_cache_servfail),
        BOTH(test_fault_capacity_plus1),
        ONE(test_fault_forward_once, mode_ttl),
        BOTH(test_fault_case_sensitive),
        ONE(test_fault_names, mode_ttl),
        ONE(test_invalid_config, mode_ttl),
        BOTH(test_invalid_lookups),
        BOTH(test_flush_and_counters),
    };
    return cmocka_run_group_tests_name("rc_cache", tests, NULL, NULL);
}
