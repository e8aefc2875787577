/*
 * st_judge_spelling: domain keys (COM-8) and the per-lookup query report (COM-9).
 *
 * COM-8 compares lookups made at the same instant: a spelling that differs from a domain's
 * first spelling only in case or a trailing dot, against the lookup of the first spelling made
 * immediately before it at the same scenario time. Nothing may change between the two, so a
 * cache keyed case-insensitively answers both alike, while a target that drops entries early
 * or asks DNS every time is never held to a hit it does not owe.
 */
#include <stdlib.h>
#include <string.h>

#include "st_judge_int.h"

/* The lookup just before action i, if it is of the same key, at the same scenario time, and
 * spelled as `first`: its index, or -1. */
static long same_instant_baseline(const struct st_analysis *a, size_t i, const char *first)
{
    const struct st_obs *o = &a->p->obs[i];
    for (size_t j = i; j-- > 0;) {
        const struct st_obs *b = &a->p->obs[j];
        if (b->kind != ST_OBS_LOOKUP)
            continue;
        if (a->acts[j].key != a->acts[i].key || b->act->t_ms != o->act->t_ms ||
            strcmp(b->act->domain, first) != 0)
            return -1;
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
        st_ev_note(e, "%s t=%.3f s \"%s\": not judged, no lookup of \"%s\" just before it at "
                      "the same time", st_an_name(a), o->t, o->act->domain, first);
        return;
    }
    size_t baseline = a->acts[b].own_queries, got = a->acts[i].own_queries;
    e->judged++;
    char *ql = st_act_queries(a, i);
    if (got > baseline) {
        e->bad++;
        st_ev_expected(e, "%s t=%.3f s \"%s\": at most %zu DNS queries (as \"%s\" just before "
                          "it)", st_an_name(a), o->t, o->act->domain, baseline, first);
        st_ev_observed(e, "%s t=%.3f s \"%s\": %zu queries: %s", st_an_name(a), o->t,
                       o->act->domain, got, ql ? ql : "");
    } else if (e->bad == 0) {
        st_ev_met(e, "%s t=%.3f s \"%s\": %zu queries (\"%s\" just before: %zu)",
                  st_an_name(a), o->t, o->act->domain, got, first, baseline);
    }
    free(ql);
}

void st_judge_com8(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    size_t refused = 0, judged0 = e->judged;
    for (size_t k = 0; k < a->nkeys; k++) {
        const char *first = NULL;
        for (size_t i = 0; i < a->p->nobs; i++) {
            const struct st_obs *o = &a->p->obs[i];
            if (o->kind != ST_OBS_LOOKUP || a->acts[i].key != (int)k)
                continue;
            if (!first) {
                first = o->act->domain;
            } else if (strcmp(o->act->domain, first) == 0) {
                continue;
            } else if (a->acts[i].answer == ANS_REFUSED) {
                /* the target could not be asked this spelling (an MTA refusing "user@d.") */
                refused++;
                st_ev_note(e, "%s t=%.3f s \"%s\": not judged, the target refused this "
                              "spelling: %s", st_an_name(a), o->t, o->act->domain, o->ans.why);
            } else {
                judge_variant(a, i, first, e);
            }
        }
    }
    if (refused && e->judged == judged0)
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
