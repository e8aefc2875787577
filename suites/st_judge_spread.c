/*
 * st_judge_spread: how a target spreads load (RFC 5321 §5.1: with several exchangers of one
 * preference "the sender-SMTP MUST randomize them to spread the load").
 *
 * COM-10 looks, for each domain and route DNS gave, at the exchanger each lookup tries first
 * among the most preferred ones (a route's first exchanger; for a target that shows only the
 * address it used, the exchanger that address belongs to -- for an MTA, the SMTP sink that
 * received the message). Over N >= ST_SPREAD_MIN_LOOKUPS such lookups the first one must not
 * always be the same: a uniformly random order of k exchangers gives one first exchanger at
 * all N lookups with probability k^(1-N) <= 2^-20 < 10^-6, so a conformant target fails with
 * less than that. A cache that stores one order and returns it until the route runs out makes
 * every lookup in that time try the same exchanger first: it FAILs, as the spec says (the
 * clause is about lookups, and caching a route must not freeze its load spreading). COM-11
 * reports which address of an exchanger with several is tried first (INFO).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "st_judge_int.h"
#include "st_route.h"

#define ST_SPREAD_MIN_LOOKUPS 21

/* The exchangers of a normalised route at its lowest preference (indices 0..*n-1 of r). */
static size_t best_count(const struct st_route *r)
{
    size_t n = 0;
    while (n < r->n && r->x[n].pref == r->x[0].pref)
        n++;
    return n;
}

/* Index in best (its first nbest exchangers) of the exchanger lookup i tried first, or -1. */
static int first_tried(const struct st_analysis *a, size_t i, const struct st_route *best,
                       size_t nbest)
{
    const char *text = a->acts[i].answer_text;
    if (a->p->caps.route_addr_only) {
        for (size_t x = 0; x < nbest; x++)
            for (size_t j = 0; j < best->x[x].naddrs; j++)
                if (strcmp(best->x[x].addrs[j], text) == 0)
                    return (int)x;
        return -1;
    }
    struct st_route got;
    if (st_route_parse(text, &got) != 0)
        return -1;
    int found = -1;
    for (size_t x = 0; got.n > 0 && x < nbest; x++)
        if (strcmp(got.x[0].name, best->x[x].name) == 0)
            found = (int)x;
    st_route_clear(&got);
    return found;
}

/* Whether lookup i is one of key k's lookups answered from a route whose normal form is norm. */
static int in_group(const struct st_analysis *a, size_t i, int k, const char *norm)
{
    const struct st_obs *o = &a->p->obs[i];
    const struct st_act *act = &a->acts[i];
    return o->kind == ST_OBS_LOOKUP && act->key == k && act->step_known &&
           act->answer == ANS_ROUTE && act->ref->status == RC_OK &&
           strcmp(act->ref->norm, norm) == 0;
}

/* COM-10 for the lookups of key k answered from route norm (the first step that said it). */
static void spread_group(const struct st_analysis *a, int k, const char *norm, struct st_ev *e)
{
    struct st_route best;
    if (st_route_parse(norm, &best) != 0)
        return;
    size_t nbest = best_count(&best), n = 0, *firsts = calloc(nbest, sizeof *firsts);
    if (nbest < 2 || !firsts) {
        free(firsts);
        st_route_clear(&best);
        return;
    }
    for (size_t i = 0; i < a->p->nobs; i++) {
        int x = in_group(a, i, k, norm) ? first_tried(a, i, &best, nbest) : -1;
        if (x >= 0) {
            firsts[x]++;
            n++;
        }
    }
    const char *dom = a->keys[k].name;
    double p = pow((double)nbest, 1.0 - (double)n);
    if (n < ST_SPREAD_MIN_LOOKUPS) {
        st_ev_note(e, "%s %s: %zu lookup(s) tried one of %zu exchangers of preference %u "
                      "first; at least %d are needed to judge", st_an_name(a), dom, n, nbest,
                   best.x[0].pref, ST_SPREAD_MIN_LOOKUPS);
    } else {
        e->judged++;
        size_t used = 0, top = 0;
        for (size_t x = 0; x < nbest; x++) {
            used += firsts[x] > 0;
            top = firsts[x] > firsts[top] ? x : top;
        }
        st_ev_expected(e, "%s %s: over %zu lookups, more than one of the %zu exchangers of "
                          "preference %u tried first (a random order fails this with "
                          "probability %.1e)", st_an_name(a), dom, n, nbest, best.x[0].pref, p);
        if (used < 2) {
            e->bad++;
            st_ev_observed(e, "%s %s: %s tried first at all %zu lookups", st_an_name(a), dom,
                           best.x[top].name, n);
        } else {
            for (size_t x = 0; x < nbest; x++)
                st_ev_met(e, "%s %s: %s tried first at %zu of %zu lookups", st_an_name(a), dom,
                          best.x[x].name, firsts[x], n);
        }
    }
    free(firsts);
    st_route_clear(&best);
}

/* Calls fn once per (key, distinct route DNS gave for it). */
static void each_route(const struct st_analysis *a, struct st_ev *e,
                       void (*fn)(const struct st_analysis *, int, const char *, struct st_ev *))
{
    for (size_t k = 0; k < a->nkeys; k++) {
        const struct key *key = &a->keys[k];
        if (key->fwd)
            continue;
        for (size_t s = 0; s < a->nsteps; s++) {
            const struct ref *r = &key->refs[s];
            int seen = r->status != RC_OK;
            for (size_t t = 0; !seen && t < s; t++)
                seen = key->refs[t].status == RC_OK && strcmp(key->refs[t].norm, r->norm) == 0;
            if (!seen)
                fn(a, (int)k, r->norm, e);
        }
    }
}

void st_judge_com10(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    if (!st_need_route(a, e))
        return;
    each_route(a, e, spread_group);
}

/* The address lookup i tried first for exchanger x (its index in the answer's exchanger), or
 * NULL: the first address listed, or the address used. Borrowed from got or the answer. */
static const char *first_address(const struct st_analysis *a, size_t i, const struct st_xch *x,
                                 const struct st_route *got)
{
    const char *used = a->acts[i].answer_text;
    if (a->p->caps.route_addr_only) {
        for (size_t j = 0; j < x->naddrs; j++)
            if (strcmp(x->addrs[j], used) == 0)
                return x->addrs[j];
        return NULL;
    }
    for (size_t g = 0; g < got->n; g++)
        if (strcmp(got->x[g].name, x->name) == 0 && got->x[g].naddrs > 0)
            return got->x[g].addrs[0];
    return NULL;
}

/* COM-11 for exchanger x of route norm of key k. */
static void addresses_of(const struct st_analysis *a, int k, const char *norm,
                         const struct st_xch *x, struct st_ev *e)
{
    size_t *count = calloc(x->naddrs, sizeof *count), n = 0;
    if (!count)
        return;
    for (size_t i = 0; i < a->p->nobs; i++) {
        struct st_route got = {0};
        if (!in_group(a, i, k, norm) ||
            (!a->p->caps.route_addr_only && st_route_parse(a->acts[i].answer_text, &got)))
            continue;
        const char *first = first_address(a, i, x, &got);
        for (size_t j = 0; first && j < x->naddrs; j++)
            if (strcmp(x->addrs[j], first) == 0) {
                count[j]++;
                n++;
            }
        st_route_clear(&got);
    }
    if (n > 0) {
        e->judged++;
        for (size_t j = 0; j < x->naddrs; j++)
            st_ev_met(e, "%s %s: %s tried first at %zu of %zu lookups", st_an_name(a), x->name,
                      x->addrs[j], count[j], n);
    }
    free(count);
}

static void address_spread(const struct st_analysis *a, int k, const char *norm,
                           struct st_ev *e)
{
    struct st_route r;
    if (st_route_parse(norm, &r) != 0)
        return;
    for (size_t x = 0; x < r.n; x++)
        if (r.x[x].naddrs > 1)
            addresses_of(a, k, norm, &r.x[x], e);
    st_route_clear(&r);
}

void st_judge_com11(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    if (!st_need_route(a, e))
        return;
    each_route(a, e, address_spread);
}
