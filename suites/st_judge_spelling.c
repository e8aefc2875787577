/*
 * st_judge_spelling: domain keys (COM-8) and the per-lookup query report (COM-9).
 *
 * COM-8 compares lookups made at the same instant (the same scenario time: nothing in DNS can
 * change in between) that differ only in spelling: the domain's first spelling (identical
 * repeats) against other spellings (case, a trailing dot). How depends on the mode:
 *
 * - TTL mode: a target may drop any entry at any moment and ask DNS again (SPEC.md), so no
 *   single pair decides. The judge pools every instant: in each, the first lookup is left out
 *   (the route may have run out: it may have to ask), and of the rest it counts the identical
 *   repeats and the variant spellings the target has not been asked before in the play (a
 *   case-sensitive cache would hold a repeated variant under its own key). If asking DNS does
 *   not depend on the spelling, which lookups asked is independent of which were variants --
 *   the scenario places the variants among the repeats in an order drawn at random -- so, given
 *   how many lookups asked at each instant, the number of variants among them is a sum of
 *   independent hypergeometric counts. FAIL when the chance of as many or more is below
 *   ST_SPELLING_BOUND; a play whose lookups cannot show so small a chance even when only the
 *   variants ask is not judged (a note says how many are needed), as COM-10 does.
 * - Legacy mode: nothing is dropped except to make room for another domain (LEG-3/4), and
 *   between lookups of one domain at one instant nothing else is looked up, so each variant is
 *   held to the identical lookup before it: no more DNS queries than that one caused.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "st_judge_int.h"

/* A conformant target FAILs COM-8 in TTL mode with less than this probability. */
#define ST_SPELLING_BOUND 1e-6

/* ---- legacy: each variant against the identical lookup before it ---- */

/* The latest lookup before action i spelled `first`, if only lookups of the same key at the
 * same scenario time lie between (nothing else looked up, nothing to make room for): its
 * index, or -1. */
static long same_instant_baseline(const struct st_analysis *a, size_t i, const char *first)
{
    const struct st_obs *o = &a->p->obs[i];
    for (size_t j = i; j-- > 0;) {
        const struct st_obs *b = &a->p->obs[j];
        if (b->kind == ST_OBS_OPEN)
            continue;
        if (b->kind != ST_OBS_LOOKUP || a->acts[j].key != a->acts[i].key ||
            b->act->t_ms != o->act->t_ms)
            return -1;
        if (strcmp(b->act->domain, first) == 0)
            return (long)j;
    }
    return -1;
}

/* Judges the variant spelling at action i against its baseline. */
static void judge_variant(const struct st_analysis *a, size_t i, const char *first,
                          struct st_ev *e)
{
    const struct st_obs *o = &a->p->obs[i];
    long b = same_instant_baseline(a, i, first);
    if (b < 0) {
        st_ev_note(e, "%s t=%.3f s \"%s\": not judged, no lookup of \"%s\" before it at "
                      "the same time", st_an_name(a), o->t, o->act->domain, first);
        return;
    }
    size_t baseline = a->acts[b].own_queries, got = a->acts[i].own_queries;
    e->judged++;
    char *ql = st_act_queries(a, i);
    if (got > baseline) {
        e->bad++;
        st_ev_expected(e, "%s t=%.3f s \"%s\": at most %zu DNS queries (as \"%s\" before "
                          "it)", st_an_name(a), o->t, o->act->domain, baseline, first);
        st_ev_observed(e, "%s t=%.3f s \"%s\": %zu queries: %s", st_an_name(a), o->t,
                       o->act->domain, got, ql ? ql : "");
    } else if (e->bad == 0) {
        st_ev_met(e, "%s t=%.3f s \"%s\": %zu queries (\"%s\" before it: %zu)",
                  st_an_name(a), o->t, o->act->domain, got, first, baseline);
    }
    free(ql);
}

/* The first spelling of key k in the play, or NULL. */
static const char *first_spelling(const struct st_analysis *a, int k)
{
    for (size_t i = 0; i < a->p->nobs; i++)
        if (a->p->obs[i].kind == ST_OBS_LOOKUP && a->acts[i].key == k)
            return a->p->obs[i].act->domain;
    return NULL;
}

/* Whether a lookup of key k before action i was spelled exactly like it. */
static int spelled_before(const struct st_analysis *a, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (a->p->obs[j].kind == ST_OBS_LOOKUP && a->acts[j].key == a->acts[i].key &&
            strcmp(a->p->obs[j].act->domain, a->p->obs[i].act->domain) == 0)
            return 1;
    return 0;
}

/* A spelling the target refused (an MTA refusing "user@d."): noted, never judged. */
static int refused(const struct st_analysis *a, size_t i, struct st_ev *e)
{
    const struct st_obs *o = &a->p->obs[i];
    if (a->acts[i].answer != ANS_REFUSED)
        return 0;
    st_ev_note(e, "%s t=%.3f s \"%s\": not judged, the target refused this spelling: %s",
               st_an_name(a), o->t, o->act->domain, o->ans.why);
    return 1;
}

static void com8_legacy(const struct st_analysis *a, struct st_ev *e, size_t *nrefused)
{
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        if (o->kind != ST_OBS_LOOKUP)
            continue;
        const char *first = first_spelling(a, a->acts[i].key);
        if (strcmp(o->act->domain, first) == 0)
            continue;
        if (refused(a, i, e))
            (*nrefused)++;
        else
            judge_variant(a, i, first, e);
    }
}

/* ---- TTL mode: variants against identical repeats, over every instant ---- */

/* The lookups of one domain at one instant after the first: identical repeats and new
 * variant spellings, and how many of each asked DNS. */
struct instant {
    size_t n, nvar, asked, var_asked;
};

struct tally {
    struct instant *in;
    size_t nin, cap;
    size_t nid, nvar, id_asked, var_asked, repeated, refused;
    int oom;
};

static void tally_lookup(struct tally *t, const struct st_analysis *a, size_t i, int variant)
{
    if (t->nin == 0)
        return;
    struct instant *in = &t->in[t->nin - 1];
    int asked = a->acts[i].own_queries > 0;
    in->n++;
    in->asked += (size_t)asked;
    if (variant) {
        in->nvar++;
        in->var_asked += (size_t)asked;
        t->nvar++;
        t->var_asked += (size_t)asked;
    } else {
        t->nid++;
        t->id_asked += (size_t)asked;
    }
}

/* Starts an instant (the lookup that opens it is left out). 0, or -1 on no memory. */
static int tally_open(struct tally *t)
{
    if (t->nin == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        struct instant *n = realloc(t->in, cap * sizeof *n);
        if (!n)
            return -1;
        t->in = n;
        t->cap = cap;
    }
    t->in[t->nin++] = (struct instant){0, 0, 0, 0};
    return 0;
}

/* Tallies key k's lookups, instant by instant. */
static void tally_key(struct tally *t, const struct st_analysis *a, int k, struct st_ev *e)
{
    const char *first = first_spelling(a, k);
    uint64_t cur = 0;
    int open = 0;
    for (size_t i = 0; first && !t->oom && i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        if (o->kind != ST_OBS_LOOKUP || a->acts[i].key != k)
            continue;
        if (!open || o->act->t_ms != cur) {
            open = 1;
            cur = o->act->t_ms;
            t->oom = tally_open(t) != 0;
            continue;
        }
        if (strcmp(o->act->domain, first) == 0)
            tally_lookup(t, a, i, 0);
        else if (refused(a, i, e))
            t->refused++;
        else if (spelled_before(a, i))
            t->repeated++;
        else
            tally_lookup(t, a, i, 1);
    }
}

static double lchoose(size_t n, size_t k)
{
    return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

/* P(X >= observed) where X sums, over the instants with both kinds, the variants among the
 * lookups that asked when those are drawn at random (hypergeometric). -1 on no memory. */
static double tail_chance(const struct tally *t)
{
    double *dist = calloc(t->nvar + 1, sizeof *dist), *next = calloc(t->nvar + 1, sizeof *next);
    double p = -1;
    if (!dist || !next)
        goto out;
    dist[0] = 1;
    size_t top = 0, observed = 0;
    for (size_t s = 0; s < t->nin; s++) {
        const struct instant *in = &t->in[s];
        if (in->nvar == 0 || in->nvar == in->n)
            continue;
        observed += in->var_asked;
        memset(next, 0, (t->nvar + 1) * sizeof *next);
        size_t lo = in->asked + in->nvar > in->n ? in->asked + in->nvar - in->n : 0;
        size_t hi = in->asked < in->nvar ? in->asked : in->nvar;
        for (size_t y = lo; y <= hi; y++) {
            double h = exp(lchoose(in->asked, y) + lchoose(in->n - in->asked, in->nvar - y) -
                           lchoose(in->n, in->nvar));
            for (size_t x = 0; x <= top; x++)
                next[x + y] += dist[x] * h;
        }
        top += hi;
        double *sw = dist;
        dist = next;
        next = sw;
    }
    p = 0;
    for (size_t x = observed; x <= top; x++)
        p += dist[x];
out:
    free(dist);
    free(next);
    return p;
}

/* The least chance the play's lookups can show: only the variants asked, at every instant. */
static double least_chance(const struct tally *t)
{
    double l = 0;
    for (size_t s = 0; s < t->nin; s++)
        if (t->in[s].nvar > 0 && t->in[s].nvar < t->in[s].n)
            l += lchoose(t->in[s].n, t->in[s].nvar);
    return exp(-l);
}

/* Evidence: the new variant spellings that asked DNS (the evidence keeps the first few). */
static void variants_that_asked(const struct st_analysis *a, struct st_ev *e)
{
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        if (o->kind != ST_OBS_LOOKUP || a->acts[i].own_queries == 0 ||
            a->acts[i].answer == ANS_REFUSED || spelled_before(a, i))
            continue;
        const char *first = first_spelling(a, a->acts[i].key);
        /* a new spelling after a lookup of the domain at the same time */
        int after = 0;
        for (size_t j = 0; j < i && !after; j++)
            after = a->p->obs[j].kind == ST_OBS_LOOKUP && a->acts[j].key == a->acts[i].key &&
                    a->p->obs[j].act->t_ms == o->act->t_ms;
        if (!after || strcmp(o->act->domain, first) == 0)
            continue;
        char *ql = st_act_queries(a, i);
        st_ev_observed(e, "%s t=%.3f s \"%s\" (first spelled \"%s\"): %zu queries: %s",
                       st_an_name(a), o->t, o->act->domain, first, a->acts[i].own_queries,
                       ql ? ql : "");
        free(ql);
    }
}

static void com8_ttl(const struct st_analysis *a, struct st_ev *e, size_t *nrefused)
{
    struct tally t;
    memset(&t, 0, sizeof t);
    for (size_t k = 0; k < a->nkeys; k++)
        if (!a->keys[k].fwd)
            tally_key(&t, a, (int)k, e);
    *nrefused = t.refused;
    const char *name = st_an_name(a);
    double least = t.oom ? 1 : least_chance(&t);
    double p = least < ST_SPELLING_BOUND ? tail_chance(&t) : 1;
    if (t.oom || p < 0) {
        st_ev_note(e, "%s: out of memory judging COM-8", name);
        e->error = 1;
    } else if (t.repeated)
        st_ev_note(e, "%s: %zu lookup(s) of a variant spelling asked before not counted (a "
                      "case-sensitive cache may hold it under its own key)", name, t.repeated);
    if (t.oom || p < 0 || t.nvar == 0) {
        free(t.in);
        return;
    }
    if (least >= ST_SPELLING_BOUND) {
        st_ev_note(e, "%s: %zu identical repeat(s) and %zu new variant spelling(s) after the "
                      "first lookup at the same time: even if only the variants asked DNS, "
                      "the chance would be %.1e, not below %.0e; not judged (12 of each at "
                      "one time are enough: 3.7e-07)", name, t.nid, t.nvar, least,
                   ST_SPELLING_BOUND);
        free(t.in);
        return;
    }
    e->judged++;
    st_ev_expected(e, "%s: new variant spellings ask DNS no more often than identical repeats "
                      "at the same times (FAIL if the chance of as many asking, were the "
                      "spelling of no account, is below %.0e)", name, ST_SPELLING_BOUND);
    if (p < ST_SPELLING_BOUND) {
        e->bad++;
        st_ev_observed(e, "%s: %zu of %zu new variant spellings asked DNS, %zu of %zu "
                          "identical repeats: chance %.1e", name, t.var_asked, t.nvar,
                       t.id_asked, t.nid, p);
        variants_that_asked(a, e);
    } else {
        st_ev_met(e, "%s: %zu of %zu new variant spellings asked DNS, %zu of %zu identical "
                     "repeats (chance of as many: %.2g)", name, t.var_asked, t.nvar, t.id_asked,
                  t.nid, p);
    }
    free(t.in);
}

void st_judge_com8(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    size_t nrefused = 0, judged0 = e->judged;
    if (spec == ST_SPEC_LEGACY)
        com8_legacy(a, e, &nrefused);
    else
        com8_ttl(a, e, &nrefused);
    if (nrefused && e->judged == judged0 && !e->error)
        e->na = 1; /* every other spelling was refused: nothing could be asked */
}
void st_judge_com9(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        if (o->kind == ST_OBS_OPEN && o->nq == 0)
            continue;
        e->judged++;
        char *ql = st_act_queries(a, i);
        st_ev_met(e, "%s t=%.3f s %s: %s", st_an_name(a), o->t, st_act_what(a, i),
                  ql ? ql : "");
        free(ql);
    }
}
