/*
 * st_judge_cache: the caching clauses -- whether a lookup asked DNS when a spec says it must
 * (TTL-2/4/5/6/7/8/10, and after a temporary failure COM-5..7) or must or should not (LEG-1,
 * LEG-6, LEG-7, TTL-1, TTL-11), and what a cached or refetched answer carries (LEG-2, LEG-7,
 * TTL-3, TTL-10). No MUST verdict in TTL mode rests on a cache hit: TTL-1 and TTL-11, the only
 * hit clauses there, are SHOULD.
 */
#include <stdlib.h>
#include <string.h>

#include "st_judge_int.h"

int st_selected(const struct st_obs *o, unsigned sel)
{
    return (o->kind == ST_OBS_LOOKUP && (sel & SEL_LOOKUP)) ||
           (o->kind == ST_OBS_FORWARD && (sel & SEL_FORWARD));
}

/* Whether action i is judged under spec s for reasons in mask; counts it unsure if the step
 * that answered its key's last fetch is not known. */
static int concerns(const struct st_analysis *a, size_t i, int s, unsigned mask, unsigned sel,
                    struct st_ev *e)
{
    const struct st_act *act = &a->acts[i];
    if (!st_selected(&a->p->obs[i], sel))
        return 0;
    enum reason r = act->ex[s].reason;
    if (r == RS_UNKNOWN || r == RS_TARGET_TEMPFAIL || r == RS_STARTUP || r == RS_IN_FLIGHT) {
        e->unsure++;
        e->unsure_span += r == RS_UNKNOWN;
        e->unsure_tempfail += r == RS_TARGET_TEMPFAIL;
        e->unsure_startup += r == RS_STARTUP;
        e->unsure_flight += r == RS_IN_FLIGHT;
        return 0;
    }
    if (!(mask & M(act->ex[s].reason)))
        return 0;
    if (act->ex[s].need == NEED_UNSURE) {
        e->unsure++;
        e->unsure_grain += act->ex[s].grain;
        return 0;
    }
    return 1;
}

void st_judge_must_query(const struct st_analysis *a, int s, unsigned mask, unsigned sel,
                         struct st_ev *e)
{
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct st_act *act = &a->acts[i];
        if (!concerns(a, i, s, mask, sel, e) || act->ex[s].need != NEED_QUERY)
            continue;
        e->judged++;
        char *ql = st_act_queries(a, i);
        if (act->own_queries == 0) {
            e->bad++;
            char *ans = st_act_answer(a, i);
            if (act->ex[s].reason == RS_EXPIRED)
                st_ev_expected(e, "%s t=%.3f s %s: DNS queries (route fetched at %.3f s ran out "
                                  "at %.3f s; a whole-second clock may serve it until %.3f s)",
                               st_an_name(a), o->t, st_act_what(a, i), act->ex[s].fetched,
                               act->ex[s].expires, act->ex[s].expires + ST_TTL_GRAIN);
            else
                st_ev_expected(e, "%s t=%.3f s %s: DNS queries (%s)", st_an_name(a), o->t,
                               st_act_what(a, i), st_reason_text(act->ex[s].reason));
            st_ev_observed(e, "%s t=%.3f s %s: %s; answered %s", st_an_name(a), o->t,
                           st_act_what(a, i), ql ? ql : "", ans ? ans : "");
            free(ans);
        } else if (e->bad == 0) {
            st_ev_met(e, "%s t=%.3f s %s (%s): %s", st_an_name(a), o->t, st_act_what(a, i),
                      st_reason_text(act->ex[s].reason), ql ? ql : "");
        }
        free(ql);
    }
}

/* Actions that spec s says must (or should) not query (reason in mask) but did. */
static void must_not_query(const struct st_analysis *a, int s, unsigned mask, unsigned sel,
                           struct st_ev *e)
{
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct st_act *act = &a->acts[i];
        if (!concerns(a, i, s, mask, sel, e) || act->ex[s].need != NEED_NOQUERY)
            continue;
        e->judged++;
        if (act->own_queries > 0) {
            e->bad++;
            char *ql = st_act_queries(a, i);
            st_ev_expected(e, "%s t=%.3f s %s: no DNS query (%s, fetched at %.3f s%s)",
                           st_an_name(a), o->t, st_act_what(a, i),
                           st_reason_text(act->ex[s].reason), act->ex[s].fetched,
                           s == SPEC_TTL ? ", TTL not run out" : "");
            st_ev_observed(e, "%s t=%.3f s %s: %s", st_an_name(a), o->t, st_act_what(a, i),
                           ql ? ql : "");
            free(ql);
        } else if (e->bad == 0) {
            st_ev_met(e, "%s t=%.3f s %s: no DNS query (%s)", st_an_name(a), o->t,
                      st_act_what(a, i), st_reason_text(act->ex[s].reason));
        }
    }
}

/* Spec s: actions that asked DNS, and actions with a reason in mask that had to, return what
 * DNS said at that time (TTL-3, TTL-10). */
static void fresh_answer(const struct st_analysis *a, int s, unsigned mask, unsigned sel,
                         struct st_ev *e)
{
    if (!st_need_route(a, e))
        return;
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct st_act *act = &a->acts[i];
        int must = (mask & M(act->ex[s].reason)) && act->ex[s].need == NEED_QUERY;
        /* an answer from a route still within its TTL need not show newer DNS data, even if
         * the target refreshed it while answering */
        if (!st_selected(o, sel) || (!must && (act->own_queries == 0 || act->from_cache)) ||
            st_ev_unseen(e, o))
            continue;
        /* one that had to ask and did not is held to the DNS data in force at its time, not
         * to what it fetched last */
        const struct ref *want = act->ref;
        size_t now;
        int known = act->step_known;
        if (act->own_queries == 0) {
            known = st_step_in_force(a, o->t, &now);
            want = &a->keys[act->key].refs[now];
        }
        if (!known) {
            st_ev_unsure(e, act);
            continue;
        }
        e->judged++;
        if (!st_answer_matches(a->p, act, o, want)) {
            e->bad++;
            st_ev_mismatch(a, i, "what DNS said at that time", e,
                           want->status == RC_OK ? want->text : NULL);
        } else if (e->bad == 0) {
            char *ans = st_act_answer(a, i);
            st_ev_met(e, "%s t=%.3f s %s: %s, as DNS said then", st_an_name(a), o->t,
                      st_act_what(a, i), ans ? ans : "");
            free(ans);
        }
    }
}

/* Legacy: every action after the first route returns that first route (LEG-2, LEG-7). */
static void first_route_kept(const struct st_analysis *a, unsigned sel, struct st_ev *e)
{
    if (!st_need_route(a, e))
        return;
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct st_act *act = &a->acts[i];
        if (!concerns(a, i, SPEC_LEG, M(RS_CACHED) | M(RS_CACHED_IMPLICIT), sel, e) ||
            act->ex[SPEC_LEG].need != NEED_NOQUERY || st_ev_unseen(e, o))
            continue;
        const struct ref *first = a->keys[act->key].st[SPEC_LEG].first;
        if (!first) {
            e->unsure++;
            e->unsure_span++;
            continue;
        }
        e->judged++;
        if (!st_route_equal(a->p, act, o, first->norm)) {
            e->bad++;
            st_ev_mismatch(a, i, "the route first resolved", e, first->text);
        } else if (e->bad == 0 && act->ref->status == RC_OK &&
                   strcmp(act->ref->norm, first->norm) != 0) {
            st_ev_met(e, "%s t=%.3f s %s: still \"%s\" while DNS says \"%s\"", st_an_name(a),
                      o->t, st_act_what(a, i), act->answer_text, act->ref->text);
        }
    }
}

static int forward_capable(const struct st_analysis *a, struct st_ev *e)
{
    if (a->p->caps.forward_host)
        return 1;
    e->na = 1;
    st_ev_note(e, "the target cannot be configured with a forward host");
    return 0;
}

void st_judge_leg1(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    must_not_query(a, SPEC_LEG, M(RS_CACHED), SEL_LOOKUP, e);
}

void st_judge_leg2(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    first_route_kept(a, SEL_LOOKUP, e);
}

void st_judge_leg6(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    must_not_query(a, SPEC_LEG, M(RS_CACHED_IMPLICIT), SEL_LOOKUP, e);
}

void st_judge_leg7(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    if (!forward_capable(a, e))
        return;
    must_not_query(a, SPEC_LEG, M(RS_CACHED), SEL_FORWARD, e);
    if (!e->na)
        first_route_kept(a, SEL_FORWARD, e);
}

void st_judge_ttl1(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    must_not_query(a, SPEC_TTL, M(RS_VALID), SEL_LOOKUP, e);
}

void st_judge_ttl2(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    st_judge_must_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_EXPIRED), SEL_LOOKUP, e);
}

void st_judge_ttl3(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    fresh_answer(a, SPEC_TTL, M(RS_EXPIRED), SEL_LOOKUP, e);
}

void st_judge_ttl4(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    st_judge_ttl2(a, spec, e);
}

void st_judge_ttl5(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    st_judge_must_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_IMPLICIT), SEL_LOOKUP, e);
}

void st_judge_ttl6(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    st_judge_must_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_NXDOMAIN), SEL_LOOKUP, e);
}

void st_judge_ttl7(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    st_judge_must_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_TTL0), SEL_LOOKUP, e);
}

void st_judge_ttl8(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    st_judge_ttl7(a, spec, e);
}

void st_judge_ttl10(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    if (!forward_capable(a, e))
        return;
    st_judge_must_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_EXPIRED), SEL_FORWARD, e);
    size_t missing = e->bad;
    fresh_answer(a, SPEC_TTL, M(RS_EXPIRED), SEL_FORWARD, e);
    if (e->na && missing) /* the missing re-query alone decides it */
        e->na = 0;
}

void st_judge_com12(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    if (forward_capable(a, e))
        st_judge_must_query(a, spec == ST_SPEC_LEGACY ? SPEC_LEG : SPEC_TTL, M(RS_FWD_FAILED),
                            SEL_FORWARD, e);
}

void st_judge_ttl11(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    if (forward_capable(a, e))
        must_not_query(a, SPEC_TTL, M(RS_VALID), SEL_FORWARD, e);
}
