/*
 * test_st_suite: proves the suite discriminates, against the real dnsmasq fixture.
 *   - model:legacy meets every legacy and common MUST clause and is classified legacy (it breaks
 *     the TTL spec); model:ttl the reverse.
 *   - each deliberate fault of the model (RC_FAULT_* in model/rc_cache.h), in TTL mode, FAILs the
 *     MUST clause named here, while the faultless model:ttl in the same run PASSes it.
 * The model target comes from the harness (hn_target.h): an integration test of suite plus
 * target. Run one case with its name as argument (CTest runs each case as its own test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_target.h"
#include "rc_cache.h"
#include "st_suite.h"

static struct st_library *lib;

static int setup(void **state)
{
    (void)state;
    char why[512] = "";
    if (st_library_load(&lib, MXTTL_SCENARIOS, why, sizeof why) != ST_OK) {
        fprintf(stderr, "scenario library: %s\n", why);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    st_library_free(lib);
    return 0;
}

/* Runs the named targets (model:...) on the given clauses (all when nc == 0). */
static struct st_run *run(const char *const *names, size_t n, const char *const *clauses,
                          size_t nc)
{
    struct hn_target_desc desc[4];
    struct st_suite_target tg[4];
    char why[512] = "";
    assert_true(n <= 4);
    for (size_t i = 0; i < n; i++) {
        if (hn_target_parse(names[i], &desc[i], why, sizeof why) != 0)
            fail_msg("target %s: %s", names[i], why);
        tg[i] = (struct st_suite_target){desc[i].name, desc[i].legacy ? ST_SPEC_LEGACY
                                                                      : ST_SPEC_TTL,
                                         hn_target_make, &desc[i]};
    }
    struct st_suite_config cfg;
    st_suite_config_init(&cfg);
    cfg.clauses = clauses;
    cfg.nclauses = nc;
    cfg.jobs = 4;
    struct st_run *r = st_run_new();
    assert_non_null(r);
    enum st_status st = st_suite_run(&cfg, lib, tg, n, r, why, sizeof why);
    if (st != ST_OK)
        fail_msg("st_suite_run: got %s (%s), want ok", st_status_str(st), why);
    assert_int_equal(r->ntargets, n);
    return r;
}

static const struct st_clause_result *find(const struct st_target_result *tr, const char *id)
{
    for (size_t i = 0; i < tr->nclauses; i++)
        if (strcmp(tr->clauses[i].clause, id) == 0)
            return &tr->clauses[i];
    return NULL;
}

/* Whether some scenario of the library covers clause id. */
static int library_covers(const char *id)
{
    for (size_t i = 0; i < st_library_count(lib); i++)
        if (st_scenario_covers(st_library_at(lib, i), id))
            return 1;
    return 0;
}

static void expect_conforms(const struct st_target_result *tr, enum st_class want)
{
    for (size_t i = 0; i < tr->nclauses; i++) {
        const struct st_clause_result *c = &tr->clauses[i];
        if (c->verdict == ST_NOTRUN && !library_covers(c->clause))
            continue;   /* not run is what a clause no scenario covers gets */
        if (c->verdict != ST_PASS && c->verdict != ST_INFO)
            fail_msg("%s %s: got %s, want PASS/INFO\n expected: %s\n observed: %s\n note: %s",
                     tr->target, c->clause, st_verdict_str(c->verdict),
                     c->expected ? c->expected : "", c->observed ? c->observed : "",
                     c->note ? c->note : "");
    }
    if (tr->klass != want)
        fail_msg("%s class: got %s (%s), want %s", tr->target, st_class_str(tr->klass),
                 tr->class_reason ? tr->class_reason : "", st_class_str(want));
    assert_true(st_target_conforms(tr));
}

static void legacy_model_is_legacy(void **state)
{
    (void)state;
    const char *names[] = {"model:legacy"};
    struct st_run *r = run(names, 1, NULL, 0);
    const struct st_target_result *tr = &r->targets[0];
    assert_string_equal(tr->spec, "legacy");
    assert_int_equal(tr->nclauses, 7 + 12);  /* LEG-1..7 and COM-1..12 */
    expect_conforms(tr, ST_CLASS_LEGACY);
    /* it breaks the TTL spec where legacy and ttl disagree */
    if (!strstr(tr->class_reason, "TTL-2") || !strstr(tr->class_reason, "TTL-5"))
        fail_msg("class reason: got \"%s\", want it to name TTL-2 and TTL-5", tr->class_reason);
    assert_false(r->incomplete);
    assert_true(r->ntimelines >= 14);
    /* the timeline of mx-ttl-expiry: 3 steps, 5 lookups, the first lookup's MX and A queries,
     * and the TTL window [0, 2) of the route received */
    const struct st_timeline *tl = NULL;
    for (size_t i = 0; i < r->ntimelines; i++)
        if (strcmp(r->timelines[i].scenario, "mx-ttl-expiry") == 0)
            tl = &r->timelines[i];
    assert_non_null(tl);
    assert_string_equal(tl->target, "model:legacy");
    assert_string_equal(tl->time_mode, "virtual");
    size_t n[5] = {0};
    int window = 0;
    for (size_t i = 0; i < tl->nevents; i++) {
        n[tl->events[i].kind]++;
        if (tl->events[i].kind == ST_EV_TTL && tl->events[i].t == 0.0 &&
            tl->events[i].t_end == 2.0)
            window = 1;
    }
    if (n[ST_EV_STEP] != 3 || n[ST_EV_LOOKUP] != 5 || n[ST_EV_QUERY] != 2 || !window)
        fail_msg("mx-ttl-expiry timeline: got %zu steps, %zu lookups, %zu queries, TTL window "
                 "[0,2) %s; want 3, 5, 2, yes", n[ST_EV_STEP], n[ST_EV_LOOKUP], n[ST_EV_QUERY],
                 window ? "yes" : "no");
    st_run_free(r);
}

static void ttl_model_is_ttl(void **state)
{
    (void)state;
    const char *names[] = {"model:ttl"};
    struct st_run *r = run(names, 1, NULL, 0);
    const struct st_target_result *tr = &r->targets[0];
    assert_string_equal(tr->spec, "ttl");
    assert_int_equal(tr->nclauses, 11 + 12); /* TTL-1..11 and COM-1..12 */
    expect_conforms(tr, ST_CLASS_TTL);
    if (!strstr(tr->class_reason, "LEG-1") || !strstr(tr->class_reason, "LEG-7"))
        fail_msg("class reason: got \"%s\", want it to name LEG-1 and LEG-7", tr->class_reason);
    st_run_free(r);
}

/* The faulty model FAILs `clause` (with evidence) while the faultless one PASSes it. */
static void fault_caught(const char *fault, const char *clause)
{
    char faulty[64];
    snprintf(faulty, sizeof faulty, "model:ttl+%s", fault);
    const char *names[] = {"model:ttl", faulty};
    const char *clauses[] = {clause};
    struct st_run *r = run(names, 2, clauses, 1);
    const struct st_clause_result *good = find(&r->targets[0], clause);
    const struct st_clause_result *bad = find(&r->targets[1], clause);
    assert_non_null(good);
    assert_non_null(bad);
    if (good->verdict != ST_PASS)
        fail_msg("model:ttl %s: got %s, want PASS (note: %s; observed: %s)", clause,
                 st_verdict_str(good->verdict), good->note ? good->note : "",
                 good->observed ? good->observed : "");
    if (bad->verdict != ST_FAIL)
        fail_msg("%s %s: got %s, want FAIL (note: %s; observed: %s)", faulty, clause,
                 st_verdict_str(bad->verdict), bad->note ? bad->note : "",
                 bad->observed ? bad->observed : "");
    assert_non_null(bad->expected);
    assert_non_null(bad->observed);
    assert_false(st_target_conforms(&r->targets[1]));
    st_run_free(r);
}

/* A conformant variant (the TTL is an upper bound: early expiry, asking every time, random
 * eviction) gets no FAIL and no ERROR on any clause of the library; COM-8, which once FAILed
 * an early-expiring cache, PASSes. */
static void variant_conforms(const char *variant)
{
    char name[64];
    snprintf(name, sizeof name, "model:ttl+%s", variant);
    const char *names[] = {name};
    struct st_run *r = run(names, 1, NULL, 0);
    const struct st_target_result *tr = &r->targets[0];
    for (size_t i = 0; i < tr->nclauses; i++) {
        const struct st_clause_result *c = &tr->clauses[i];
        if (c->verdict == ST_FAIL || c->verdict == ST_ERROR)
            fail_msg("%s %s: got %s, want no FAIL or ERROR\n expected: %s\n observed: %s\n "
                     "note: %s", name, c->clause, st_verdict_str(c->verdict),
                     c->expected ? c->expected : "", c->observed ? c->observed : "",
                     c->note ? c->note : "");
    }
    const struct st_clause_result *com8 = find(tr, "COM-8");
    assert_non_null(com8);
    if (com8->verdict != ST_PASS)
        fail_msg("%s COM-8: got %s, want PASS", name, st_verdict_str(com8->verdict));
    assert_true(st_target_conforms(tr));
    st_run_free(r);
}

static void variant_early_expiry(void **s) { (void)s; variant_conforms("early-expiry"); }
static void variant_requery_always(void **s) { (void)s; variant_conforms("requery-always"); }
static void variant_evict_random(void **s) { (void)s; variant_conforms("evict-random"); }
static void variant_whole_seconds(void **s) { (void)s; variant_conforms("whole-seconds"); }

/* A legacy cache that starts afresh once a day of scenario time has passed since it opened --
 * "forever" that is really a day. Every short scenario passes it; the long horizon
 * (legacy-horizon.scn) must FAIL it on LEG-1 and LEG-7. Wraps model:legacy. */
struct daily {
    struct st_target *inner;
    struct st_env env;     /* strings copied below */
    char *dns, *fwd, *scn, *wd;
    uint64_t opened_ms;
};

static int daily_open(struct st_target *t, const struct st_env *env, struct st_caps *caps,
                      char *why, size_t whylen)
{
    struct daily *d = t->impl;
    free(d->dns);
    free(d->fwd);
    free(d->scn);
    free(d->wd);
    d->env = *env;
    d->env.dns_addr = d->dns = strdup(env->dns_addr);
    d->env.forward_host = d->fwd = env->forward_host ? strdup(env->forward_host) : NULL;
    d->env.scenario = d->scn = strdup(env->scenario);
    d->env.workdir = d->wd = strdup(env->workdir);
    d->opened_ms = 0;
    return d->inner->ops->open(d->inner, &d->env, caps, why, whylen);
}

/* Forgets everything when a day has passed since the last (re)open. */
static int daily_age(struct daily *d, uint64_t t_ms, char *why, size_t whylen)
{
    if (t_ms - d->opened_ms < 86400u * 1000u)
        return 0;
    struct st_caps caps;
    d->inner->ops->close(d->inner);
    d->opened_ms = t_ms;
    return d->inner->ops->open(d->inner, &d->env, &caps, why, whylen);
}

static int daily_lookup(struct st_target *t, const char *domain, uint64_t t_ms,
                        struct st_answer *ans, char *why, size_t whylen)
{
    struct daily *d = t->impl;
    if (daily_age(d, t_ms, why, whylen) != 0)
        return -1;
    return d->inner->ops->lookup(d->inner, domain, t_ms, ans, why, whylen);
}

static int daily_forward(struct st_target *t, uint64_t t_ms, struct st_answer *ans, char *why,
                         size_t whylen)
{
    struct daily *d = t->impl;
    if (daily_age(d, t_ms, why, whylen) != 0)
        return -1;
    return d->inner->ops->forward(d->inner, t_ms, ans, why, whylen);
}

static void daily_close(struct st_target *t)
{
    struct daily *d = t->impl;
    d->inner->ops->close(d->inner);
}

static void daily_free(struct st_target *t)
{
    struct daily *d = t->impl;
    d->inner->ops->free(d->inner);
    free(d->dns);
    free(d->fwd);
    free(d->scn);
    free(d->wd);
    free(d);
    free(t->name);
    free(t);
}

static const struct st_target_ops daily_ops = {"test", daily_open, daily_lookup, daily_forward,
                                               daily_close, daily_free};

static int daily_make(void *ctx, struct st_target **out, char *why, size_t whylen)
{
    (void)ctx;
    struct st_target *t = calloc(1, sizeof *t);
    struct daily *d = calloc(1, sizeof *d);
    assert_non_null(t);
    assert_non_null(d);
    if (hn_model_target_new(&d->inner, "model:legacy", 1, 0, 0, 0, why, whylen) != 0)
        return -1;
    t->ops = &daily_ops;
    t->impl = d;
    t->name = strdup("test:legacy-for-a-day");
    *out = t;
    return 0;
}

static void legacy_for_a_day_fails_long_horizon(void **state)
{
    (void)state;
    struct st_suite_target tg = {"test:legacy-for-a-day", ST_SPEC_LEGACY, daily_make, NULL};
    const char *clauses[] = {"LEG-1", "LEG-7"};
    struct st_suite_config cfg;
    st_suite_config_init(&cfg);
    cfg.clauses = clauses;
    cfg.nclauses = 2;
    cfg.jobs = 4;
    struct st_run *r = st_run_new();
    assert_non_null(r);
    char why[512] = "";
    assert_int_equal(st_suite_run(&cfg, lib, &tg, 1, r, why, sizeof why), ST_OK);
    for (size_t i = 0; i < 2; i++) {
        const struct st_clause_result *c = find(&r->targets[0], clauses[i]);
        assert_non_null(c);
        if (c->verdict != ST_FAIL || !c->observed || !strstr(c->observed, "legacy-horizon"))
            fail_msg("%s: got %s (observed: %s), want FAIL from legacy-horizon", clauses[i],
                     st_verdict_str(c->verdict), c->observed ? c->observed : "");
    }
    st_run_free(r);
}

static void fault_expiry_late(void **s) { (void)s; fault_caught("expiry-late", "TTL-2"); }
static void fault_ignore_addr_ttl(void **s) { (void)s; fault_caught("ignore-addr-ttl", "TTL-4"); }
static void fault_cache_nodata(void **s) { (void)s; fault_caught("cache-nodata", "TTL-5"); }
static void fault_cache_servfail(void **s) { (void)s; fault_caught("cache-servfail", "COM-5"); }
static void fault_capacity_plus1(void **s) { (void)s; fault_caught("capacity-plus1", "TTL-9"); }
static void fault_forward_once(void **s) { (void)s; fault_caught("forward-once", "TTL-10"); }
static void fault_case_sensitive(void **s) { (void)s; fault_caught("case-sensitive", "COM-8"); }

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(legacy_model_is_legacy),
        cmocka_unit_test(ttl_model_is_ttl),
        cmocka_unit_test(fault_expiry_late),
        cmocka_unit_test(fault_ignore_addr_ttl),
        cmocka_unit_test(fault_cache_nodata),
        cmocka_unit_test(fault_cache_servfail),
        cmocka_unit_test(fault_capacity_plus1),
        cmocka_unit_test(fault_forward_once),
        cmocka_unit_test(fault_case_sensitive),
        cmocka_unit_test(legacy_for_a_day_fails_long_horizon),
        cmocka_unit_test(variant_early_expiry),
        cmocka_unit_test(variant_requery_always),
        cmocka_unit_test(variant_evict_random),
        cmocka_unit_test(variant_whole_seconds),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests_name("st_suite", tests, setup, teardown);
}
