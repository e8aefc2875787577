/*
 * st_judge_answer: what a lookup's answer is made of, against what DNS said in the step that
 * answered it -- preference order (COM-1: any order among equal preferences conforms), the
 * implicit MX (COM-2), no route for a null MX (COM-3; a route to "." is a route, and FAILs) or
 * NXDOMAIN (COM-4), and temporary failures that are never cached (COM-5..7).
 */
#include <stdlib.h>
#include <string.h>

#include "st_judge_int.h"
#include "st_route.h"

typedef int ref_pred(const struct ref *r);
typedef int answer_pred(const struct st_analysis *a, const struct st_obs *o,
                        const struct st_act *act);

/* Lookups whose reference satisfies refsel must answer as ok says. */
static void answers(const struct st_analysis *a, ref_pred *refsel, answer_pred *ok,
                    const char *rule, struct st_ev *e)
{
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct st_act *act = &a->acts[i];
        if (o->kind != ST_OBS_LOOKUP || !refsel(act->ref) || st_ev_unseen(e, o))
            continue;
        if (!act->step_known) {
            st_ev_unsure(e, act);
            continue;
        }
        e->judged++;
        if (!ok(a, o, act)) {
            e->bad++;
            st_ev_mismatch(a, i, rule, e, NULL);
        } else if (e->bad == 0) {
            char *ans = st_act_answer(a, i);
            st_ev_met(e, "%s t=%.3f s %s: %s", st_an_name(a), o->t, st_act_what(a, i),
                      ans ? ans : "");
            free(ans);
        }
    }
}

static int ref_tempfail(const struct ref *r) { return r->status == RC_RETRY; }
static int ref_noroute(const struct ref *r) { return rc_status_is_noroute(r->status); }
static int ref_route(const struct ref *r) { return r->status == RC_OK; }
static int ref_implicit(const struct ref *r) { return r->status == RC_OK && r->implicit; }

static int ok_tempfail(const struct st_analysis *a, const struct st_obs *o,
                       const struct st_act *act)
{
    (void)o;
    if (a->p->caps.noroute_visible)
        return act->answer == ANS_TEMPFAIL;
    return act->answer != ANS_ROUTE;
}

static int ok_noroute(const struct st_analysis *a, const struct st_obs *o,
                      const struct st_act *act)
{
    (void)o;
    if (a->p->caps.noroute_visible)
        return act->answer == ANS_NOROUTE;
    return act->answer != ANS_ROUTE;
}

static int ok_route(const struct st_analysis *a, const struct st_obs *o, const struct st_act *act)
{
    return st_answer_matches(a->p, act, o, act->ref);
}

static int ok_ordered(const struct st_analysis *a, const struct st_obs *o,
                      const struct st_act *act)
{
    /* an address-only target shows order by using a most preferred exchanger */
    return st_answer_matches(a->p, act, o, act->ref) &&
           (a->p->caps.route_addr_only || st_route_in_order(act->answer_route));
}

/* COM-3: a null MX's exchanger "." is never looked up. */
static void no_root_address(const struct st_analysis *a, struct st_ev *e)
{
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        for (size_t j = 0; j < o->nq; j++) {
            const struct fx_query *q = &o->q[j];
            if ((q->qtype == 1 || q->qtype == 28) && (!q->name[0] || strcmp(q->name, ".") == 0)) {
                e->bad++;
                st_ev_expected(e, "%s t=%.3f s %s: no address query for \".\"", st_an_name(a),
                               o->t, st_act_what(a, i));
                st_ev_observed(e, "%s t=%.3f s %s: %s query for \".\"", st_an_name(a), o->t,
                               st_act_what(a, i), fx_qtype_str(q->qtype));
            }
        }
    }
}

void st_judge_com1(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    if (st_need_route(a, e))
        answers(a, ref_route, ok_ordered, "exchangers by preference, lowest first", e);
}

void st_judge_com2(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    if (st_need_route(a, e))
        answers(a, ref_implicit, ok_route, "the implicit MX: the domain itself", e);
}

static void no_route(const struct st_analysis *a, struct st_ev *e)
{
    if (!a->p->caps.noroute_visible && !a->p->caps.route_visible) {
        e->na = 1;
        st_ev_note(e, "the target reports neither routes nor no-route answers");
        return;
    }
    answers(a, ref_noroute, ok_noroute, "no route", e);
}

void st_judge_com3(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    no_route(a, e);
    if (!e->na)
        no_root_address(a, e);
}

void st_judge_com4(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    (void)spec;
    no_route(a, e);
}

/* COM-5..7: the answer is a temporary failure, and the next lookup asks DNS again. */
static void tempfail(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    answers(a, ref_tempfail, ok_tempfail, "a temporary failure", e);
    st_judge_must_query(a, spec == ST_SPEC_LEGACY ? SPEC_LEG : SPEC_TTL, M(RS_TEMPFAIL),
                        SEL_LOOKUP, e);
}

void st_judge_com5(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    tempfail(a, spec, e);
}

void st_judge_com6(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    tempfail(a, spec, e);
}

void st_judge_com7(const struct st_analysis *a, enum st_spec spec, struct st_ev *e)
{
    tempfail(a, spec, e);
}
