/*
 * st_analysis: what a play's record means. For each action: which key (domain or forward
 * host) it concerns, which of the fixture's queries it caused, which step answered it, what
 * DNS said then (the suites' own oracle, st_oracle.c), and what each spec expected of it given
 * what the target had fetched before. The judges (st_judge_*.c) compare.
 *
 * Which step answered is read from the queries: a lookup whose queries all fall in one step was
 * answered by it. One whose queries span a step switch (a resolver that retried after a
 * timeout) is matched by its answer against what each of those steps said; if none or several
 * steps with different content fit, the step is not known, and what depends on it is unsure.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rc_name.h"
#include "st_judge.h"
#include "st_judge_int.h"
#include "st_route.h"

static int key_add_name(struct key *k, const char *name)
{
    if (st_key_owns(k, name))
        return 0;
    char **nn = realloc(k->names, (k->nnames + 1) * sizeof *nn);
    if (!nn)
        return -1;
    k->names = nn;
    if (!(k->names[k->nnames] = strdup(name)))
        return -1;
    k->nnames++;
    return 0;
}

/* The key of a domain or the forward host, made on first use. Index, or -1 (memory). */
static int key_get(struct st_analysis *a, const char *raw, int fwd)
{
    char norm[256], why[128];
    /* a name the model refuses is judged as written */
    char *name = strdup(rc_name_normalize(raw, norm, sizeof norm, why, sizeof why) == RC_OK
                            ? norm
                            : raw);
    if (!name)
        return -1;
    for (size_t i = 0; i < a->nkeys; i++)
        if (a->keys[i].fwd == fwd && strcmp(a->keys[i].name, name) == 0) {
            free(name);
            return (int)i;
        }
    if (a->nkeys == a->keys_cap) {
        size_t cap = a->keys_cap ? 2 * a->keys_cap : 16;
        struct key *nk = realloc(a->keys, cap * sizeof *nk);
        if (!nk) {
            free(name);
            return -1;
        }
        a->keys = nk;
        a->keys_cap = cap;
    }
    struct key *key = &a->keys[a->nkeys++];
    memset(key, 0, sizeof *key);
    key->name = name;
    key->fwd = fwd;
    key->refs = calloc(a->nsteps, sizeof *key->refs);
    if (!key->refs || key_add_name(key, name) != 0)
        return -1;
    return (int)(a->nkeys - 1);
}

/* What DNS said for every key in every step, by the oracle. 0, -1 (a->error or memory). */
static int compute_refs(struct st_analysis *a)
{
    struct st_oracle *o = NULL;
    char why[512] = "";
    if (st_oracle_new(&o, a->sc, why, sizeof why) != 0) {
        a->error = strdup(why);
        return -1;
    }
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < a->nkeys; k++) {
        struct key *key = &a->keys[k];
        for (size_t s = 0; rc == 0 && s < a->nsteps; s++) {
            struct st_oracle_answer ans;
            struct ref *r = &key->refs[s];
            if (st_oracle_resolve(o, s, key->name, key->fwd, &ans) != 0) {
                rc = -1;
                break;
            }
            r->status = ans.status;
            r->ttl = ans.ttl;
            r->implicit = ans.implicit;
            if (ans.status == RC_OK) {
                r->text = ans.text;
                ans.text = NULL;
                r->norm = st_route_norm(r->text);
                if (!r->norm)
                    rc = -1;
            }
            for (size_t i = 0; rc == 0 && i < ans.nnames; i++)
                rc = key_add_name(key, ans.names[i]);
            st_oracle_answer_clear(&ans);
        }
    }
    st_oracle_free(o);
    return rc;
}

static double q_time(const struct st_analysis *a, const struct st_obs *o, const struct fx_query *q)
{
    if (a->p->virtual_time)
        return o->t;
    return ((double)q->t_us - (double)a->p->t0_us) / 1e6;
}

/* The expectation of spec s for an action of key k at time t, from k's state; waited: how
 * long the action took if it caused no query of its own, else 0. */
static struct expect expect_of(const struct st_analysis *a, const struct key *k, int s, double t,
                               double waited)
{
    const struct keystate *st = &k->st[s];
    struct expect e = {NEED_ANY, RS_NONE, st->t_first, st->exp_last, 0};
    if (!st->fetched) {
        e.need = NEED_QUERY;
        e.reason = RS_FIRST;
    } else if (st->last == RS_UNKNOWN || st->last == RS_TARGET_TEMPFAIL) {
        e.need = NEED_UNSURE;
        e.reason = st->last;
    } else if (st->last == RS_TEMPFAIL &&
               (t < k->held_until ||
                (k->fail_wait >= ST_WAIT_MIN && waited >= ST_WAIT_SHARE * k->fail_wait))) {
        /* a question of the key is still in flight -- the fixture holds one open, or this
         * lookup waited about as long as the one that timed out, which a cached failure does
         * not -- and the target (a resolver merging identical questions) may be waiting on it:
         * asking again is not seen as a query, and that is no caching */
        e.need = NEED_UNSURE;
        e.reason = RS_IN_FLIGHT;
    } else if (k->fwd && (s == SPEC_LEG ? !st->cached
                                        : st->last == RS_TEMPFAIL || st->last == RS_NXDOMAIN ||
                                              st->last == RS_NOROUTE)) {
        /* a failed resolution of the forward host resolved nothing (COM-12) */
        e.need = NEED_QUERY;
        e.reason = RS_FWD_FAILED;
    } else if (s == SPEC_LEG) {
        if (st->cached && st->at_startup) {
            /* open() answers nothing: a start-up resolution that timed out looks like one
             * that worked, so the first use may ask again */
            e.need = NEED_UNSURE;
            e.reason = RS_STARTUP;
        } else if (st->cached) {
            e.need = NEED_NOQUERY;
            e.reason = st->last == RS_IMPLICIT ? RS_CACHED_IMPLICIT : RS_CACHED;
        } else if (st->last == RS_TEMPFAIL) {
            e.need = NEED_QUERY;
            e.reason = RS_TEMPFAIL;
        } else {
            e.reason = st->last;
        }
    } else if (st->last == RS_VALID) {
        /* the route ran out somewhere between exp_first and exp_last (a fetch that took a
         * while): must query once a whole-second clock has passed the later too, should not
         * before the earlier */
        double must = st->exp_last + ST_TTL_GRAIN + a->tol;
        e.reason = t >= must ? RS_EXPIRED : RS_VALID;
        e.need = t >= must                    ? NEED_QUERY
                 : t < st->exp_first - a->tol ? NEED_NOQUERY
                                              : NEED_UNSURE;
        if (e.need == NEED_UNSURE) {
            e.reason = RS_EXPIRED;
            e.grain = t >= st->exp_last + a->tol;
        }
    } else if (st->last == RS_TTL0 || st->last == RS_IMPLICIT || st->last == RS_NXDOMAIN ||
               st->last == RS_TEMPFAIL) {
        e.need = NEED_QUERY;
        e.reason = st->last;
    } else {
        e.reason = st->last;
    }
    return e;
}

static enum reason reason_of(const struct ref *ref)
{
    switch (ref->status) {
    case RC_OK: return ref->implicit ? RS_IMPLICIT : ref->ttl == 0 ? RS_TTL0 : RS_VALID;
    case RC_RETRY: return RS_TEMPFAIL;
    case RC_NXDOMAIN: return RS_NXDOMAIN;
    default: return RS_NOROUTE;
    }
}

static void add_window(struct st_analysis *a, double t, const struct ref *ref, int key)
{
    struct window *nw = realloc(a->win, (a->nwin + 1) * sizeof *nw);
    if (nw) {
        a->win = nw;
        a->win[a->nwin++] = (struct window){t, t + ref->ttl, key, ref->ttl};
    }
}

/* Real time: a query of the key logged under a step that had already ended when it came was
 * attached by the fixture's front to a question still open from that step (a timeout: README
 * section 6), and stays unanswered for a while. */
static void note_held(struct st_analysis *a, size_t i)
{
    const struct st_obs *o = &a->p->obs[i];
    struct key *k = &a->keys[a->acts[i].key];
    for (size_t j = 0; j < o->nq && a->tol > 0; j++) {
        int st = o->q[j].step;
        if (!st_key_owns(k, o->q[j].name) || st < 0 || (size_t)st + 1 >= a->nsteps)
            continue;
        double t = q_time(a, o, &o->q[j]);
        double end = (double)fx_scenario_step_time(a->sc, (size_t)st + 1) / 1000.0;
        if (t > end + a->tol && t + ST_HELD_OPEN > k->held_until)
            k->held_until = t + ST_HELD_OPEN;
    }
}

/* Updates k's state after action act asked DNS. */
static void fetch(struct st_analysis *a, struct key *k, const struct st_act *act, int at_open)
{
    size_t i = (size_t)(act - a->acts);
    const struct st_obs *o = &a->p->obs[i];
    const struct ref *ref = &k->refs[act->fetch_step];
    enum reason r = act->step_known ? reason_of(ref) : RS_UNKNOWN;
    /* judged from the answer it produced: a target that gave up waiting for a route DNS gave
     * holds nothing known (a temporary failure for a negative answer keeps what DNS said) */
    if (act->answer == ANS_TEMPFAIL && act->step_known && ref->status == RC_OK)
        r = RS_TARGET_TEMPFAIL;
    struct keystate *lg = &k->st[SPEC_LEG];
    if (!lg->cached) {   /* legacy: the first route is kept for good */
        lg->fetched = 1;
        lg->t_first = act->t_first;
        lg->t_last = act->t_last;
        if (r == RS_TARGET_TEMPFAIL) {
            lg->last = r;
            lg->cached = 0;
        } else if (r == RS_UNKNOWN) {
            lg->last = RS_UNKNOWN;
            lg->cached = act->answer == ANS_ROUTE;   /* kept, but which route is not known */
        } else {
            lg->last = r == RS_IMPLICIT || r == RS_TEMPFAIL ? r
                       : ref->status == RC_OK               ? RS_CACHED
                                                            : RS_NOROUTE;
            lg->cached = ref->status == RC_OK;
            lg->first = lg->cached ? ref : NULL;
            lg->at_startup = at_open && lg->cached;
        }
    }
    struct keystate *tt = &k->st[SPEC_TTL];
    tt->step = act->fetch_step;
    tt->step_known = act->step_known;
    tt->fetched = 1;
    tt->t_first = act->t_first;
    tt->t_last = act->t_last;
    tt->last = r;
    tt->exp_first = r == RS_VALID ? act->t_first + ref->ttl : act->t_first;
    tt->exp_last = r == RS_VALID ? act->t_last + ref->ttl : act->t_last;
    if (r == RS_VALID)
        add_window(a, act->t_first, ref, act->key);
    if (r == RS_TEMPFAIL)
        k->fail_wait = o->t_end - o->t;
    note_held(a, i);
}

/* Whether action i, whose queries fell in steps lo..hi, was answered from the cache: its
 * answer is the key's last fetch, which TTL mode still lets the target serve, and none of
 * those steps' data. A resolver that refreshes a record after answering from it (Knot
 * Resolver's predict, unbound's and BIND's prefetch) asks DNS during such a lookup. */
static int answered_from_cache(const struct st_analysis *a, size_t i, int lo, int hi)
{
    const struct st_obs *o = &a->p->obs[i];
    const struct st_act *act = &a->acts[i];
    const struct key *k = &a->keys[act->key];
    const struct keystate *tt = &k->st[SPEC_TTL];
    if (o->kind == ST_OBS_OPEN || !tt->fetched || !tt->step_known || tt->last != RS_VALID ||
        act->ex[SPEC_TTL].need == NEED_QUERY || act->answer != ANS_ROUTE ||
        !st_answer_matches(a->p, act, o, &k->refs[tt->step]))
        return 0;
    for (int s = lo; s <= hi; s++)
        if (st_answer_matches(a->p, act, o, &k->refs[s]))
            return 0;
    return 1;
}

/* Which step answered action i (queries in force, or its answer among the spanned steps). */
static void find_step(struct st_analysis *a, size_t i)
{
    const struct st_obs *o = &a->p->obs[i];
    struct st_act *act = &a->acts[i];
    const struct key *k = &a->keys[act->key];
    int lo = -1, hi = -1;
    for (size_t j = 0; j < o->nq; j++) {
        int st = o->q[j].step;
        if (!st_key_owns(k, o->q[j].name) || st < 0 || (size_t)st >= a->nsteps)
            continue;
        lo = lo < 0 || st < lo ? st : lo;
        hi = st > hi ? st : hi;
    }
    act->step_known = 1;
    if (lo >= 0 && answered_from_cache(a, i, lo, hi)) {
        act->step = k->st[SPEC_TTL].step;
        act->fetch_step = (size_t)hi;
        act->from_cache = 1;
        act->ref = &k->refs[act->step];
        return;
    }
    if (lo >= 0 && lo == hi) {
        act->step = (size_t)lo;
    } else if (lo >= 0) {
        /* the steps whose content the answer shows; several only if they said the same */
        int found = -1, ambiguous = 0;
        for (int s = lo; s <= hi && o->kind != ST_OBS_OPEN; s++) {
            const struct ref *r = &k->refs[s];
            if (!st_answer_matches(a->p, act, o, r))
                continue;
            if (found >= 0 && (r->status != k->refs[found].status || r->ttl != k->refs[found].ttl ||
                               r->implicit != k->refs[found].implicit ||
                               (r->norm && strcmp(r->norm, k->refs[found].norm) != 0)))
                ambiguous = 1;
            if (found < 0)
                found = s;
        }
        act->step = found >= 0 ? (size_t)found : (size_t)hi;
        act->step_lo = (size_t)lo;
        act->step_hi = (size_t)hi;
        if (found < 0 || ambiguous) {
            act->step_known = 0;
            act->unsure = UNSURE_SPAN;
        }
    } else {
        /* No query: the target answered from its cache, so the answer shows what DNS said when
         * it last fetched the key (legacy: the first route, for ever; ttl: a route within its
         * TTL), not the step in force now. Only a key never fetched is judged by that step. */
        for (size_t j = i; j-- > 0;) {
            const struct st_act *prev = &a->acts[j];
            if (prev->key != act->key || prev->own_queries == 0)
                continue;
            act->step = prev->fetch_step;   /* a refreshed cache holds what it fetched */
            act->step_known = prev->step_known;
            act->unsure = prev->unsure;
            act->ref = &k->refs[act->step];
            return;
        }
        if (!st_step_in_force(a, o->t, &act->step)) {
            act->step_known = 0;
            act->unsure = UNSURE_NEAR_SWITCH;
        }
    }
    act->ref = &k->refs[act->step];
}

int st_step_in_force(const struct st_analysis *a, double t, size_t *step)
{
    uint64_t tms = t <= 0 ? 0 : (uint64_t)(t * 1000.0 + 0.5);
    *step = fx_scenario_step_at(a->sc, tms);
    for (size_t s = 1; s < a->nsteps && a->tol > 0; s++) {
        double ts = (double)fx_scenario_step_time(a->sc, s) / 1000.0;
        if (t > ts - a->tol && t < ts + a->tol)
            return 0;
    }
    return 1;
}

/* The own queries of action i: count, and first and last time (of the answering step's
 * queries when it is known: step_only, called again once the step is found). */
static void own_queries(struct st_analysis *a, size_t i, int step_only)
{
    const struct st_obs *o = &a->p->obs[i];
    struct st_act *act = &a->acts[i];
    const struct key *k = &a->keys[act->key];
    size_t n = 0;
    if (!step_only)
        act->own_queries = 0;
    for (size_t j = 0; j < o->nq; j++) {
        if (!st_key_owns(k, o->q[j].name))
            continue;
        if (!step_only)
            act->own_queries++;
        if (step_only && (o->q[j].step < 0 || (size_t)o->q[j].step != act->fetch_step))
            continue;
        double t = q_time(a, o, &o->q[j]);
        act->t_first = n == 0 || t < act->t_first ? t : act->t_first;
        act->t_last = n == 0 || t > act->t_last ? t : act->t_last;
        n++;
    }
    if (n == 0)
        act->t_first = act->t_last = o->t;
}

/* The one place that reads what a target answered. 0, or -1 on no memory. */
static int read_answer(struct st_act *act, const struct st_answer *ans, int addr_only)
{
    act->answer_status = rc_reply_str(ans->kind);
    switch (ans->kind) {
    case RC_REPLY_ROUTE: act->answer = ans->route ? ANS_ROUTE : ANS_NONE; break;
    case RC_REPLY_TEMPFAIL: act->answer = ANS_TEMPFAIL; break;
    case RC_REPLY_REFUSED: act->answer = ANS_REFUSED; break;
    default: act->answer = rc_reply_is_noroute(ans->kind) ? ANS_NOROUTE : ANS_NONE; break;
    }
    if (act->answer != ANS_ROUTE)
        return 0;
    act->answer_route = ans->route;
    if (addr_only)
        act->answer_text = strdup(rc_route_count(ans->route) && rc_route_addr_count(ans->route, 0)
                                      ? rc_route_addr(ans->route, 0, 0)
                                      : "");
    else
        act->answer_text = rc_route_text(ans->route);
    if (!act->answer_text)
        return -1;
    act->answer_norm = addr_only ? NULL : st_route_norm_of(ans->route);
    return 0;
}

void st_analysis_free(struct st_analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nkeys; i++) {
        for (size_t j = 0; j < a->keys[i].nnames; j++)
            free(a->keys[i].names[j]);
        free(a->keys[i].names);
        for (size_t s = 0; a->keys[i].refs && s < a->nsteps; s++) {
            free(a->keys[i].refs[s].text);
            free(a->keys[i].refs[s].norm);
        }
        free(a->keys[i].refs);
        free(a->keys[i].name);
    }
    for (size_t i = 0; a->acts && i < a->p->nobs; i++) {
        free(a->acts[i].answer_text);
        free(a->acts[i].answer_norm);
    }
    free(a->keys);
    free(a->acts);
    free(a->win);
    free(a->error);
    free(a);
}

/* Keys for every action; -1 on no memory. */
static int make_keys(struct st_analysis *a)
{
    const char *fwd = fx_scenario_forward(a->sc);
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        int k = -1;
        if (o->kind == ST_OBS_LOOKUP)
            k = key_get(a, o->act->domain, 0);
        else if (fwd)
            k = key_get(a, fwd, 1);
        if (k < 0 && (o->kind == ST_OBS_LOOKUP || fwd))
            return -1;
        a->acts[i].key = k;
    }
    return 0;
}

struct st_analysis *st_analysis_new(const struct st_play *p)
{
    struct st_analysis *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->p = p;
    a->sc = p->sc;
    a->nsteps = fx_scenario_step_count(p->sc);
    a->tol = p->virtual_time ? 0.0 : ST_TOL_REAL;
    a->acts = calloc(p->nobs ? p->nobs : 1, sizeof *a->acts);
    if (!a->acts || make_keys(a) != 0)
        goto fail;
    if (compute_refs(a) != 0)
        return a->error ? a : (st_analysis_free(a), NULL);
    for (size_t i = 0; i < p->nobs; i++) {
        const struct st_obs *o = &p->obs[i];
        struct st_act *act = &a->acts[i];
        if (act->key < 0)
            continue;
        struct key *k = &a->keys[act->key];
        if (o->kind != ST_OBS_OPEN && read_answer(act, &o->ans, p->caps.route_addr_only) != 0)
            goto fail;
        own_queries(a, i, 0);
        if (o->kind != ST_OBS_OPEN) {
            double waited = act->own_queries ? 0.0 : o->t_end - o->t;
            act->ex[SPEC_LEG] = expect_of(a, k, SPEC_LEG, o->t, waited);
            act->ex[SPEC_TTL] = expect_of(a, k, SPEC_TTL, o->t, waited);
        }
        find_step(a, i);
        if (!act->from_cache)
            act->fetch_step = act->step;
        if (act->step_known)
            own_queries(a, i, 1);
        if (o->kind != ST_OBS_OPEN)
            k->st[SPEC_LEG].at_startup = 0;
        if (act->own_queries > 0)
            fetch(a, k, act, o->kind == ST_OBS_OPEN);
    }
    return a;
fail:
    st_analysis_free(a);
    return NULL;
}

/* ---- timeline ---- */

static int timeline_steps(const struct st_analysis *a, struct st_timeline *tl, size_t *added)
{
    double end = (double)fx_scenario_end(a->sc) / 1000.0;
    for (size_t s = 0; s < a->nsteps; s++) {
        double t = (double)fx_scenario_step_time(a->sc, s) / 1000.0;
        char text[64];
        snprintf(text, sizeof text, "step %zu", s);
        if (t > end + 1e-9)
            break;
        if (st_timeline_add(tl, ST_EV_STEP, t, t, (int)s, text, fx_scenario_step_zone(a->sc, s)))
            return -1;
        (*added)++;
    }
    return 0;
}

/* One action and its queries. */
static int timeline_action(const struct st_analysis *a, size_t i, struct st_timeline *tl,
                           size_t *added)
{
    const struct st_obs *o = &a->p->obs[i];
    if (o->kind != ST_OBS_OPEN) {
        char *ans = st_act_answer(a, i), *ql = st_act_queries(a, i), *text = NULL;
        if (asprintf(&text, "%s -> %s", st_act_what(a, i), ans ? ans : "") < 0)
            text = NULL;
        int rc = text ? st_timeline_add(tl, o->kind == ST_OBS_LOOKUP ? ST_EV_LOOKUP
                                                                     : ST_EV_FORWARD,
                                        o->t, o->t, (int)a->acts[i].step, text, ql)
                      : -1;
        free(ans);
        free(ql);
        free(text);
        if (rc)
            return -1;
        (*added)++;
    }
    for (size_t j = 0; j < o->nq; j++) {
        char text[300], detail[80];
        snprintf(text, sizeof text, "%s %s", fx_qtype_str(o->q[j].qtype), o->q[j].name);
        snprintf(detail, sizeof detail, "client %s, %s", o->q[j].client,
                 fx_transport_str(o->q[j].transport));
        double t = q_time(a, o, &o->q[j]);
        if (st_timeline_add(tl, ST_EV_QUERY, t, t, o->q[j].step, text, detail))
            return -1;
        (*added)++;
    }
    return 0;
}

int st_analysis_timeline(const struct st_analysis *a, struct st_timeline *tl)
{
    enum { CAP = 400 };
    size_t added = 0, dropped = 0;
    double end = (double)fx_scenario_end(a->sc) / 1000.0;
    if (timeline_steps(a, tl, &added))
        return -1;
    for (size_t i = 0; i < a->p->nobs; i++) {
        if (added + 1 + a->p->obs[i].nq > CAP)
            dropped += 1 + a->p->obs[i].nq;
        else if (timeline_action(a, i, tl, &added))
            return -1;
    }
    for (size_t w = 0; w < a->nwin; w++) {
        if (added + 1 > CAP + 50) {
            dropped++;
            continue;
        }
        const struct key *k = &a->keys[a->win[w].key];
        char *text = NULL;
        if (asprintf(&text, "%s %s: TTL %u s", k->fwd ? "forward host" : "route of", k->name,
                     a->win[w].ttl) < 0)
            return -1;
        int rc = st_timeline_add(tl, ST_EV_TTL, a->win[w].t, a->win[w].t_end, -1, text, NULL);
        free(text);
        if (rc)
            return -1;
        added++;
    }
    if (dropped) {
        char text[128];
        snprintf(text, sizeof text, "(%zu more events not shown)", dropped);
        if (st_timeline_add(tl, ST_EV_LOOKUP, end, end, -1, text, NULL))
            return -1;
    }
    if (a->p->error || a->p->na || a->error) {
        const char *why = a->p->error || a->p->na ? a->p->why : a->error;
        if (st_timeline_add(tl, ST_EV_LOOKUP, end, end, -1, a->p->na ? "N/A" : "ERROR", why))
            return -1;
    }
    return 0;
}
