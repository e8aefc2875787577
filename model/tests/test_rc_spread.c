/*
 * Tests of how the cache spreads load (RFC 5321 section 5.1: equal-preference exchangers in a
 * random order, at every lookup, cache hits included; an exchanger's addresses too), that the
 * order comes from the cache's own seeded state, that a shuffled hit allocates nothing, and of
 * the conformant variants (early-expiry, requery-always, evict-random).
 *
 * Linked with --wrap=malloc,calloc,realloc (model/CMakeLists.txt): the wrappers below count
 * every allocation the model makes.
 */
#include <stdlib.h>
#include "rc_test.h"
#include "rc_cache.h"
#include "rc_resolver.h"
#include "rc_route.h"

static unsigned long allocations;
void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n)
{
    allocations++;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t k, size_t n)
{
    allocations++;
    return __real_calloc(k, n);
}
void *__wrap_realloc(void *p, size_t n)
{
    allocations++;
    return __real_realloc(p, n);
}

static const char *zone_eq =
    "eq.test. 300 IN MX 10 a.eq.test.\n"
    "eq.test. 300 IN MX 10 b.eq.test.\n"
    "eq.test. 300 IN MX 10 c.eq.test.\n"
    "eq.test. 300 IN MX 20 z.eq.test.\n"
    "a.eq.test. 300 IN A 127.0.0.1\n"
    "a.eq.test. 300 IN A 127.0.0.2\n"
    "b.eq.test. 300 IN A 127.0.0.3\n"
    "c.eq.test. 300 IN A 127.0.0.4\n"
    "z.eq.test. 300 IN A 127.0.0.5\n"
    "smart.test. 300 IN A 127.0.0.98\n"
    "smart.test. 300 IN A 127.0.0.99\n";

struct world {
    struct rc_resolver *r;
    struct rc_vclock *vc;
    struct rc_cache *c;
};

static struct world make(enum rc_mode mode, unsigned variants, uint64_t seed, enum rc_status want)
{
    struct world w = {0};
    char why[256] = "";
    EXPECT_ST(rc_resolver_stub_new(&w.r), RC_OK, "stub");
    EXPECT_ST(rc_resolver_stub_load(w.r, zone_eq, why, sizeof(why)), RC_OK, why);
    EXPECT_ST(rc_vclock_new(&w.vc), RC_OK, "vclock");
    struct rc_cache_config cfg;
    rc_cache_config_init(&cfg);
    cfg.mode = mode;
    cfg.variants = variants;
    cfg.seed = seed;
    cfg.forward_host = "smart.test";
    EXPECT_ST(rc_cache_new(&w.c, &cfg, w.r, rc_vclock_clock(w.vc), why, sizeof(why)), want, why);
    return w;
}

static void unmake(struct world *w)
{
    rc_cache_free(w->c);
    rc_resolver_free(w->r);
    rc_vclock_free(w->vc);
}

/* Looks eq.test up; returns the queries it caused and writes the three preference-10 names'
 * first letters into order (4 octets). Checks that the route is right in any order. */
static uint64_t look(struct world *w, char *order)
{
    const struct rc_route *rt = NULL;
    uint64_t q0 = rc_resolver_queries(w->r);
    EXPECT_ST(rc_cache_route(w->c, "eq.test", &rt, NULL, 0), RC_OK, "lookup");
    EXPECT_U(rc_route_count(rt), 4, "exchangers");
    EXPECT_S(rc_route_name(rt, 3), "z.eq.test", "preference 20 last");
    for (size_t i = 0; i < 3; i++) {
        EXPECT_U(rc_route_pref(rt, i), 10, "preference 10 first");
        order[i] = rc_route_name(rt, i)[0];
    }
    order[3] = '\0';
    return rc_resolver_queries(w->r) - q0;
}

/* Index of an order of "abc" among the six permutations. */
static int perm_index(const char *o)
{
    static const char *const perms[] = {"abc", "acb", "bac", "bca", "cab", "cba"};
    for (int i = 0; i < 6; i++)
        if (strcmp(o, perms[i]) == 0)
            return i;
    fail_msg("order \"%s\": got something else, want a permutation of abc", o);
    return -1;
}

/* Every order appears over 120 lookups, hits included, in both modes; no query after the
 * first; the two addresses of a.eq.test come in both orders. */
static void spread(enum rc_mode mode)
{
    struct world w = make(mode, 0, 7, RC_OK);
    unsigned seen[6] = {0}, a1_first = 0;
    char order[4];
    for (int k = 0; k < 120; k++) {
        EXPECT_U(look(&w, order), k == 0 ? 5 : 0, k == 0 ? "resolved" : "a cache hit");
        seen[perm_index(order)]++;
        const struct rc_route *rt = NULL;
        EXPECT_ST(rc_cache_route(w.c, "EQ.test.", &rt, NULL, 0), RC_OK, "again");
        for (size_t i = 0; i < 3; i++)
            if (strcmp(rc_route_name(rt, i), "a.eq.test") == 0)
                a1_first += strcmp(rc_route_addr(rt, i, 0), "127.0.0.1") == 0;
    }
    for (int i = 0; i < 6; i++)
        if (seen[i] < 5) /* 20 expected; P(below 5) < 1e-5 per order, and the seed is fixed */
            fail_msg("permutation %d: got %u of 120 lookups, want about 20", i, seen[i]);
    if (a1_first < 30 || a1_first > 90)
        fail_msg("127.0.0.1 first: got %u of 120, want about 60", a1_first);
    unmake(&w);
}

static void test_spread_legacy(void **state)
{
    (void)state;
    spread(RC_MODE_LEGACY);
}

static void test_spread_ttl(void **state)
{
    (void)state;
    spread(RC_MODE_TTL);
}

/* The same seed gives the same orders; another seed other orders. */
static void test_spread_seeded(void **state)
{
    (void)state;
    struct world w1 = make(RC_MODE_TTL, 0, 11, RC_OK), w2 = make(RC_MODE_TTL, 0, 11, RC_OK),
                 w3 = make(RC_MODE_TTL, 0, 12, RC_OK);
    int differ = 0;
    for (int k = 0; k < 20; k++) {
        char o1[4], o2[4], o3[4];
        look(&w1, o1);
        look(&w2, o2);
        look(&w3, o3);
        EXPECT_S(o1, o2, "same seed, same order");
        differ |= strcmp(o1, o3) != 0;
    }
    assert_true(differ);
    unmake(&w1);
    unmake(&w2);
    unmake(&w3);
}

/* A shuffled hit allocates nothing (nor does a forward-host hit). */
static void test_hit_allocates_nothing(void **state)
{
    (void)state;
    struct world w = make(RC_MODE_TTL, 0, 3, RC_OK);
    char order[4];
    unsigned long first = allocations;
    look(&w, order);
    assert_true(allocations > first); /* the counting works: a miss allocates */
    const struct rc_route *rt = NULL;
    EXPECT_ST(rc_cache_forward(w.c, &rt, NULL, 0), RC_OK, "forward");
    unsigned long before = allocations;
    for (int k = 0; k < 1000; k++) {
        look(&w, order);
        EXPECT_ST(rc_cache_forward(w.c, &rt, NULL, 0), RC_OK, "forward hit");
    }
    EXPECT_U(allocations - before, 0, "allocations in 2000 hits");
    unmake(&w);
}

/* early-expiry: a 300 s route is asked again from 150 s on; the forward host too. */
static void test_variant_early_expiry(void **state)
{
    (void)state;
    struct world w = make(RC_MODE_TTL, RC_VARIANT_EARLY_EXPIRY, 1, RC_OK);
    char order[4];
    EXPECT_U(look(&w, order), 5, "resolved");
    rc_vclock_set(w.vc, 149999);
    EXPECT_U(look(&w, order), 0, "a hit before half the TTL");
    rc_vclock_set(w.vc, 150000);
    EXPECT_U(look(&w, order), 5, "asked again at half the TTL");
    unmake(&w);
}

/* whole-seconds: a 300 s route fetched at 0.4 s serves until 301 s (the end of the second in
 * which it ran out, 300.4 s), never longer; the forward host too. */
static void test_variant_whole_seconds(void **state)
{
    (void)state;
    struct world w = make(RC_MODE_TTL, RC_VARIANT_WHOLE_SECONDS, 1, RC_OK);
    char order[4];
    const struct rc_route *rt = NULL;
    rc_vclock_set(w.vc, 400);
    EXPECT_U(look(&w, order), 5, "resolved");
    EXPECT_ST(rc_cache_forward(w.c, &rt, NULL, 0), RC_OK, "forward resolved");
    rc_vclock_set(w.vc, 300999);
    EXPECT_U(look(&w, order), 0, "a hit in the second the TTL ran out in");
    uint64_t q0 = rc_resolver_queries(w.r);
    EXPECT_ST(rc_cache_forward(w.c, &rt, NULL, 0), RC_OK, "forward");
    EXPECT_U(rc_resolver_queries(w.r) - q0, 0, "forward host: a hit in that second");
    rc_vclock_set(w.vc, 301000);
    EXPECT_U(look(&w, order), 5, "asked again once that second is over");
    q0 = rc_resolver_queries(w.r);
    EXPECT_ST(rc_cache_forward(w.c, &rt, NULL, 0), RC_OK, "forward");
    EXPECT_U(rc_resolver_queries(w.r) - q0, 1, "forward host asked again");
    unmake(&w);
}

/* requery-always: every lookup and every forward-host use asks DNS. */
static void test_variant_requery_always(void **state)
{
    (void)state;
    struct world w = make(RC_MODE_TTL, RC_VARIANT_REQUERY_ALWAYS, 1, RC_OK);
    char order[4];
    for (int k = 0; k < 3; k++)
        EXPECT_U(look(&w, order), 5, "every lookup resolves");
    const struct rc_route *rt = NULL;
    uint64_t q0 = rc_resolver_queries(w.r);
    EXPECT_ST(rc_cache_forward(w.c, &rt, NULL, 0), RC_OK, "forward");
    EXPECT_ST(rc_cache_forward(w.c, &rt, NULL, 0), RC_OK, "forward");
    EXPECT_U(rc_resolver_queries(w.r) - q0, 2, "forward host resolved each time");
    struct rc_counters k;
    rc_cache_counters(w.c, &k);
    EXPECT_U(k.hits, 0, "hits");
    unmake(&w);
}

/* evict-random: at one instant, some lookups hit and some resolve again; all are right. */
static void test_variant_evict_random(void **state)
{
    (void)state;
    struct world w = make(RC_MODE_TTL, RC_VARIANT_EVICT_RANDOM, 5, RC_OK);
    unsigned hits = 0, misses = 0;
    char order[4];
    for (int k = 0; k < 300; k++) {
        uint64_t q = look(&w, order);
        if (q != 0 && q != 5)
            fail_msg("lookup %d: got %llu queries, want 0 or 5", k, (unsigned long long)q);
        if (q == 0)
            hits++;
        else
            misses++;
    }
    if (hits < 100 || misses < 50)
        fail_msg("got %u hits and %u misses of 300, want both (about 2 in 3 hits)", hits, misses);
    unmake(&w);
}

/* Variants are TTL-mode only; unknown variant bits are refused. */
static void test_variant_config(void **state)
{
    (void)state;
    struct world w = make(RC_MODE_LEGACY, RC_VARIANT_EARLY_EXPIRY, 1, RC_INVAL);
    assert_null(w.c);
    unmake(&w);
    w = make(RC_MODE_TTL, 0x80000000u, 1, RC_INVAL);
    unmake(&w);
    unsigned bit = 0;
    assert_int_equal(rc_variant_from_str("evict-random", &bit), 0);
    EXPECT_U(bit, RC_VARIANT_EVICT_RANDOM, "evict-random");
    EXPECT_S(rc_variant_str(RC_VARIANT_REQUERY_ALWAYS), "requery-always", "name");
    assert_int_equal(rc_variant_from_str("expiry-late", &bit), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spread_legacy),
        cmocka_unit_test(test_spread_ttl),
        cmocka_unit_test(test_spread_seeded),
        cmocka_unit_test(test_hit_allocates_nothing),
        cmocka_unit_test(test_variant_early_expiry),
        cmocka_unit_test(test_variant_whole_seconds),
        cmocka_unit_test(test_variant_requery_always),
        cmocka_unit_test(test_variant_evict_random),
        cmocka_unit_test(test_variant_config),
    };
    return cmocka_run_group_tests_name("rc_spread", tests, NULL, NULL);
}
