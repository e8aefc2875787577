/*
 * st_judge_capacity: the cache's bound, from a scenario built for a capacity C -- the first C
 * distinct domains served again without DNS (LEG-3), and once C+1 were looked up at least one
 * repeat needs DNS (LEG-4, TTL-9), with the domain dropped first reported (LEG-5).
 */
#include <stdint.h>
#include <stdlib.h>

#include "st_judge_int.h"

/* What a pass over the play's lookups found. */
struct tally {
    size_t cap;
    size_t distinct, over, needed;
    int lru;               /* least recently used key when the C+1st domain came, or -1 */
};

/* Whether the play can be judged on capacity at all (else N/A or ERROR noted). */
static int capacity_known(const struct st_analysis *a, struct st_ev *e)
{
    size_t cap = fx_scenario_capacity(a->sc), tcap = a->p->caps.capacity;
    if (cap == 0) {
        st_ev_note(e, "%s declares no capacity", st_an_name(a));
        e->error = 1;
    } else if (tcap == 0) {
        e->na = 1;
        st_ev_note(e, "the target declares no cache capacity");
    } else if (tcap != cap) {
        e->na = 1;
        st_ev_note(e, "the target's capacity is %zu; %s is built for %zu", tcap, st_an_name(a),
                   cap);
    }
    return !e->error && !e->na;
}

static int least_recent(const struct st_analysis *a, const char *seen, const size_t *last)
{
    size_t best = SIZE_MAX;
    int lru = -1;
    for (size_t j = 0; j < a->nkeys; j++)
        if (seen[j] && last[j] < best) {
            best = last[j];
            lru = (int)j;
        }
    return lru;
}

/* One repeat lookup (action i) while at most C domains were seen: LEG-3 wants no DNS. */
static void repeat_within(const struct st_analysis *a, size_t i, const struct tally *t,
                          int leg3, struct st_ev *e)
{
    const struct st_obs *o = &a->p->obs[i];
    if (!leg3)
        return;
    if (a->acts[i].ex[SPEC_LEG].need != NEED_NOQUERY) {
        /* the first lookup did not leave a known route cached (the target answered a
         * temporary failure, or DNS gave no route): nothing to serve again */
        if (a->acts[i].ex[SPEC_LEG].reason == RS_TARGET_TEMPFAIL) {
            e->unsure++;
            e->unsure_tempfail++;
        }
        return;
    }
    e->judged++;
    if (a->acts[i].own_queries == 0)
        return;
    e->bad++;
    char *ql = st_act_queries(a, i);
    st_ev_expected(e, "t=%.3f s %s: no DNS query (%zu distinct domains so far, capacity %zu)",
                   o->t, o->act->domain, t->distinct, t->cap);
    st_ev_observed(e, "t=%.3f s %s: %s", o->t, o->act->domain, ql ? ql : "");
    free(ql);
}

/* Walks the lookups in order. -1 on no memory. */
static int walk(const struct st_analysis *a, struct tally *t, int leg3, struct st_ev *e)
{
    size_t *last = calloc(a->nkeys ? a->nkeys : 1, sizeof *last);
    char *seen = calloc(a->nkeys ? a->nkeys : 1, 1);
    if (!last || !seen) {
        free(last);
        free(seen);
        return -1;
    }
    size_t clock = 0;
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        if (o->kind != ST_OBS_LOOKUP)
            continue;
        int k = a->acts[i].key;
        clock++;
        if (!seen[k]) {
            if (t->distinct == t->cap && t->lru < 0)
                t->lru = least_recent(a, seen, last);
            seen[k] = 1;
            t->distinct++;
        } else if (t->distinct <= t->cap) {
            repeat_within(a, i, t, leg3, e);
        } else {
            t->over++;
            if (a->acts[i].own_queries > 0) {
                t->needed++;
                if (!leg3)
                    st_ev_met(e, "t=%.3f s %s needed DNS again (repeat lookup #%zu once %zu "
                                 "distinct domains were looked up)", o->t, o->act->domain,
                              t->over, t->cap + 1);
            }
        }
        last[k] = clock;
    }
    free(last);
    free(seen);
    return 0;
}

static void capacity(const struct st_analysis *a, enum st_clause_sym sym, struct st_ev *e)
{
    if (!capacity_known(a, e))
        return;
    struct tally t = {fx_scenario_capacity(a->sc), 0, 0, 0, -1};
    int leg3 = sym == ST_CL_LEG3;
    if (walk(a, &t, leg3, e) != 0) {
        e->error = 1;
        st_ev_note(e, "out of memory");
        return;
    }
    if (leg3) {
        if (e->bad == 0 && e->judged)
            st_ev_met(e, "all %zu repeat lookups of the first %zu domains were served without "
                         "DNS", e->judged, t.cap);
        st_ev_expected(e, "repeat lookups while at most %zu distinct domains were looked up: "
                          "no DNS", t.cap);
        return;
    }
    st_ev_expected(e, "after %zu distinct domains, at least one of the %zu repeat lookups "
                      "needs DNS", t.cap + 1, t.over);
    if (t.over > 0)
        e->judged++;
    if (t.over > 0 && t.needed == 0) {
        e->bad++;
        st_ev_observed(e, "none of the %zu repeat lookups once %zu distinct domains were "
                          "looked up queried DNS: the cache held more than %zu domains", t.over,
                       t.cap + 1, t.cap);
    } else if (sym == ST_CL_LEG5) {
        st_ev_note(e, "%zu of %zu repeat lookups needed DNS; the least recently used domain "
                      "when the cache overflowed was %s", t.needed, t.over,
                   t.lru >= 0 ? a->keys[t.lru].name : "(none)");
    }
}

void st_judge_leg3(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    capacity(a, ST_CL_LEG3, e);
}

void st_judge_leg4(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    capacity(a, ST_CL_LEG4, e);
}

void st_judge_leg5(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    capacity(a, ST_CL_LEG5, e);
}

void st_judge_ttl9(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    capacity(a, ST_CL_TTL9, e);
}
