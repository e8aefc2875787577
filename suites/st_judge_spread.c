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

#define ST_SPREAD_MIN_LOOKUPS 21

/* A normal-form route text as a route; NULL if it does not parse or no memory. */
static struct rc_route *route_of(const char *norm)
{
    struct rc_route *r = NULL;
    char why[160];
    return rc_route_parse(norm, "", 0, &r, why, sizeof why) == RC_OK ? r : NULL;
}

/* How many exchangers share the lowest preference of a normal-form route (they come first). */
static size_t best_count(const struct rc_route *r)
{
    size_t n = 0;
    while (n < rc_route_count(r) && rc_route_pref(r, n) == rc_route_pref(r, 0))
        n++;
    return n;
}

/* Index among best's first nbest exchangers of the one lookup i tried first, or -1. */
static int first_tried(const struct st_analysis *a, size_t i, const struct rc_route *best,
                       size_t nbest)
{
    const struct st_act *act = &a->acts[i];
    for (size_t x = 0; x < nbest; x++) {
        if (!a->p->caps.route_addr_only) {
            if (rc_route_count(act->answer_route) > 0 &&
                strcmp(rc_route_name(act->answer_route, 0), rc_route_name(best, x)) == 0)
                return (int)x;
            continue;
        }
        for (size_t j = 0; j < rc_route_addr_count(best, x); j++)
            if (strcmp(rc_route_addr(best, x, j), act->answer_text) == 0)
                return (int)x;
    }
    return -1;
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

/* The verdict lines of COM-10 for one domain and route: firsts[x] lookups tried x first. */
static void spread_verdict(const struct st_analysis *a, const char *dom,
                           const struct rc_route *best, const size_t *firsts, size_t nbest,
                           size_t n, struct st_ev *e)
{
    unsigned pref = rc_route_pref(best, 0);
    if (n < ST_SPREAD_MIN_LOOKUPS) {
        st_ev_note(e, "%s %s: %zu lookup(s) tried one of %zu exchangers of preference %u "
                      "first; at least %d are needed to judge", st_an_name(a), dom, n, nbest,
                   pref, ST_SPREAD_MIN_LOOKUPS);
        return;
    }
    e->judged++;
    size_t used = 0, top = 0;
    for (size_t x = 0; x < nbest; x++) {
        used += firsts[x] > 0;
        top = firsts[x] > firsts[top] ? x : top;
    }
    st_ev_expected(e, "%s %s: over %zu lookups, more than one of the %zu exchangers of "
                      "preference %u tried first (a random order fails this with probability "
                      "%.1e)", st_an_name(a), dom, n, nbest, pref,
                   pow((double)nbest, 1.0 - (double)n));
    if (used < 2) {
        e->bad++;
        st_ev_observed(e, "%s %s: %s tried first at all %zu lookups", st_an_name(a), dom,
                       rc_route_name(best, top), n);
        return;
    }
    for (size_t x = 0; x < nbest; x++)
        st_ev_met(e, "%s %s: %s tried first at %zu of %zu lookups", st_an_name(a), dom,
                  rc_route_name(best, x), firsts[x], n);
}

/* COM-10 for the lookups of key k answered from route norm. */
static void spread_group(const struct st_analysis *a, int k, const char *norm, struct st_ev *e)
{
    struct rc_route *best = route_of(norm);
    size_t nbest = best ? best_count(best) : 0, n = 0;
    size_t *firsts = nbest >= 2 ? calloc(nbest, sizeof *firsts) : NULL;
    for (size_t i = 0; firsts && i < a->p->nobs; i++) {
        int x = in_group(a, i, k, norm) ? first_tried(a, i, best, nbest) : -1;
        if (x >= 0) {
            firsts[x]++;
            n++;
        }
    }
    if (firsts)
        spread_verdict(a, a->keys[k].name, best, firsts, nbest, n, e);
    free(firsts);
    rc_route_free(best);
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
    if (st_need_route(a, e))
        each_route(a, e, spread_group);
}

/* The address lookup i tried first for exchanger x of route r (the first address the answer
 * lists for it, or the address used), as an index into x's addresses, or -1. */
static int first_address(const struct st_analysis *a, size_t i, const struct rc_route *r,
                         size_t x)
{
    const struct st_act *act = &a->acts[i];
    const char *first = NULL;
    if (a->p->caps.route_addr_only)
        first = act->answer_text;
    for (size_t g = 0; !first && g < rc_route_count(act->answer_route); g++)
        if (strcmp(rc_route_name(act->answer_route, g), rc_route_name(r, x)) == 0 &&
            rc_route_addr_count(act->answer_route, g) > 0)
            first = rc_route_addr(act->answer_route, g, 0);
    for (size_t j = 0; first && j < rc_route_addr_count(r, x); j++)
        if (strcmp(rc_route_addr(r, x, j), first) == 0)
            return (int)j;
    return -1;
}

/* COM-11 for exchanger x of route norm (parsed: r) of key k. */
static void addresses_of(const struct st_analysis *a, int k, const char *norm,
                         const struct rc_route *r, size_t x, struct st_ev *e)
{
    size_t na = rc_route_addr_count(r, x), n = 0;
    size_t *count = calloc(na, sizeof *count);
    if (!count)
        return;
    for (size_t i = 0; i < a->p->nobs; i++) {
        int j = in_group(a, i, k, norm) ? first_address(a, i, r, x) : -1;
        if (j >= 0) {
            count[j]++;
            n++;
        }
    }
    if (n > 0) {
        e->judged++;
        for (size_t j = 0; j < na; j++)
            st_ev_met(e, "%s %s: %s tried first at %zu of %zu lookups", st_an_name(a),
                      rc_route_name(r, x), rc_route_addr(r, x, j), count[j], n);
    }
    free(count);
}

static void address_spread(const struct st_analysis *a, int k, const char *norm,
                           struct st_ev *e)
{
    struct rc_route *r = route_of(norm);
    for (size_t x = 0; r && x < rc_route_count(r); x++)
        if (rc_route_addr_count(r, x) > 1)
            addresses_of(a, k, norm, r, x, e);
    rc_route_free(r);
}

void st_judge_com11(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    if (st_need_route(a, e))
        each_route(a, e, address_spread);
}
