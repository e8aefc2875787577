/*
 * st_evidence: how the judges word what they found -- bounded lists of expected, observed and
 * met lines, notes, descriptions of actions and answers -- and the answer comparisons every
 * family of judges uses.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "st_judge_int.h"
#include "st_route.h"

/* Whether qname (a trailing dot allowed) is one of k's names, case-insensitively. Here, below
 * st_analysis.c, which uses it too: the evidence needs it, and nothing of the analysis. */
int st_key_owns(const struct key *k, const char *qname)
{
    size_t ql = strlen(qname);
    if (ql > 1 && qname[ql - 1] == '.')
        ql--;
    for (size_t i = 0; i < k->nnames; i++)
        if (strlen(k->names[i]) == ql && strncasecmp(k->names[i], qname, ql) == 0)
            return 1;
    return 0;
}

#define MAX_LINES 12

void st_ev_open(struct st_ev *e)
{
    memset(e, 0, sizeof *e);
    e->exp = open_memstream(&e->exp_s, &e->exp_len);
    e->obs = open_memstream(&e->obs_s, &e->obs_len);
    e->ok = open_memstream(&e->ok_s, &e->ok_len);
    e->note = open_memstream(&e->note_s, &e->note_len);
}

static void vline(FILE *f, unsigned *lines, unsigned *more, const char *fmt, va_list ap)
{
    if (!f)
        return;
    if (*lines >= MAX_LINES) {
        (*more)++;
        return;
    }
    if (*lines)
        fputc('\n', f);
    vfprintf(f, fmt, ap);
    (*lines)++;
}

void st_ev_expected(struct st_ev *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(e->exp, &e->exp_lines, &e->exp_more, fmt, ap);
    va_end(ap);
}

void st_ev_observed(struct st_ev *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(e->obs, &e->obs_lines, &e->obs_more, fmt, ap);
    va_end(ap);
}

void st_ev_met(struct st_ev *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(e->ok, &e->ok_lines, &e->ok_more, fmt, ap);
    va_end(ap);
}

void st_ev_note(struct st_ev *e, const char *fmt, ...)
{
    if (!e->note)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (ftell(e->note) > 0)
        fputs("; ", e->note);
    vfprintf(e->note, fmt, ap);
    va_end(ap);
    fflush(e->note);
}

int st_ev_unseen(struct st_ev *e, const struct st_obs *o)
{
    if (!o->ans.unseen)
        return 0;
    e->unseen++;
    return 1;
}

void st_ev_unsure(struct st_ev *e, const struct st_act *act)
{
    e->unsure++;
    if (act && act->unsure == UNSURE_SPAN)
        e->unsure_span++;
}

void st_ev_close(struct st_ev *e, struct st_clause_result *cr)
{
    FILE *const f[3] = {e->exp, e->obs, e->ok};
    const unsigned more[3] = {e->exp_more, e->obs_more, e->ok_more};
    for (int i = 0; i < 3; i++)
        if (f[i] && more[i])
            fprintf(f[i], "\n... and %u more", more[i]);
    for (int i = 0; i < 3; i++)
        if (f[i])
            fclose(f[i]);
    if (e->note)
        fclose(e->note);
    if (e->exp_s && *e->exp_s)
        st_set_str(&cr->expected, e->exp_s);
    /* the violations if any, else what met the clause */
    if (e->obs_s && *e->obs_s)
        st_set_str(&cr->observed, e->obs_s);
    else if (e->ok_s && *e->ok_s)
        st_set_str(&cr->observed, e->ok_s);
    if (e->note_s && *e->note_s)
        st_set_str(&cr->note, e->note_s);
    free(e->exp_s);
    free(e->obs_s);
    free(e->ok_s);
    free(e->note_s);
}

const char *st_reason_text(enum reason r)
{
    switch (r) {
    case RS_FIRST: return "first lookup";
    case RS_EXPIRED: return "the route's TTL has run out";
    case RS_TTL0: return "the route's effective TTL is 0";
    case RS_IMPLICIT: return "implicit-MX routes are never cached";
    case RS_NXDOMAIN: return "NXDOMAIN is never cached";
    case RS_TEMPFAIL: return "a temporary failure is never cached";
    case RS_NOROUTE: return "no route";
    case RS_CACHED: return "the route is cached";
    case RS_CACHED_IMPLICIT: return "the implicit-MX route is cached";
    case RS_VALID: return "within the route's TTL";
    case RS_UNKNOWN: return "the step that answered the last lookup is not known";
    case RS_FWD_FAILED: return "the forward host's last resolution failed";
    case RS_STARTUP: return "the start-up resolution's outcome is not seen";
    case RS_IN_FLIGHT: return "a question of it was still in flight";
    case RS_TARGET_TEMPFAIL:
        return "the target answered a temporary failure although DNS gave a route";
    case RS_NONE: break;
    }
    return "";
}

const char *st_an_name(const struct st_analysis *a)
{
    return fx_scenario_name(a->sc);
}

/* A growing string for the descriptions below. */
static char *cat(char *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *cat(char *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *add = NULL;
    int n = vasprintf(&add, fmt, ap);
    va_end(ap);
    if (n < 0)
        return s;
    if (!s)
        return add;
    char *both = NULL;
    if (asprintf(&both, "%s%s", s, add) < 0)
        both = NULL;
    free(s);
    free(add);
    return both;
}

char *st_act_queries(const struct st_analysis *a, size_t i)
{
    const struct st_obs *o = &a->p->obs[i];
    const struct st_act *act = &a->acts[i];
    if (o->nq == 0)
        return strdup("no DNS query");
    char *s = NULL;
    const struct key *k = act->key >= 0 ? &a->keys[act->key] : NULL;
    for (size_t j = 0; j < o->nq; j++) {
        int own = k && st_key_owns(k, o->q[j].name);
        s = cat(s, "%s%s %s%s%s", j ? ", " : "", fx_qtype_str(o->q[j].qtype), o->q[j].name,
                o->q[j].transport == FX_TRANSPORT_TCP ? " over TCP" : "",
                own ? "" : " (other name)");
    }
    return s;
}

char *st_act_answer(const struct st_analysis *a, size_t i)
{
    const struct st_act *act = &a->acts[i];
    const char *why = a->p->obs[i].ans.why;
    if (act->answer == ANS_ROUTE)
        return cat(NULL, "ok \"%s\"", act->answer_text);
    return cat(NULL, "%s%s%s", act->answer_status ? act->answer_status : "", why[0] ? ": " : "",
               why);
}

char *st_ref_describe(const struct ref *r)
{
    if (r->status == RC_OK)
        return cat(NULL, "ok \"%s\" (TTL %u s%s)", r->text, r->ttl,
                   r->implicit ? ", implicit MX" : "");
    return cat(NULL, "%s", rc_status_str(r->status));
}

const char *st_act_what(const struct st_analysis *a, size_t i)
{
    const struct st_obs *o = &a->p->obs[i];
    if (o->kind == ST_OBS_LOOKUP)
        return o->act->domain;
    if (o->kind == ST_OBS_FORWARD)
        return "forward host";
    return "start-up";
}

int st_need_route(const struct st_analysis *a, struct st_ev *e)
{
    if (!a->p->caps.route_visible) {
        e->na = 1;
        st_ev_note(e, "the target does not report the routes it uses (%s)", st_an_name(a));
        return 0;
    }
    return 1;
}

/* For targets that only show the address they used (st_caps.route_addr_only): whether addr is
 * an address of a most preferred exchanger of the normalised route. */
static int addr_in_best(const char *norm, const char *addr)
{
    struct rc_route *r = NULL;
    char why[160];
    if (rc_route_parse(norm, "", 0, &r, why, sizeof why) != RC_OK)
        return 0;
    int found = 0;
    size_t n = rc_route_count(r);
    for (size_t i = 0; i < n && !found && rc_route_pref(r, i) == rc_route_pref(r, 0); i++)
        for (size_t j = 0; j < rc_route_addr_count(r, i) && !found; j++)
            found = strcmp(rc_route_addr(r, i, j), addr) == 0;
    rc_route_free(r);
    return found;
}

int st_route_equal(const struct st_play *p, const struct st_act *act, const struct st_obs *o,
                   const char *norm)
{
    (void)o;
    if (act->answer != ANS_ROUTE || !norm)
        return 0;
    if (p->caps.route_addr_only)
        return addr_in_best(norm, act->answer_text);
    return act->answer_norm && strcmp(act->answer_norm, norm) == 0;
}

int st_answer_matches(const struct st_play *p, const struct st_act *act,
                      const struct st_obs *o, const struct ref *ref)
{
    if (ref->status == RC_OK)
        return st_route_equal(p, act, o, ref->norm);
    if (rc_status_is_noroute(ref->status))
        return act->answer == ANS_NOROUTE;
    return ref->status == RC_RETRY && act->answer == ANS_TEMPFAIL;
}

void st_ev_mismatch(const struct st_analysis *a, size_t i, const char *ctx, struct st_ev *e,
                    const char *want_text)
{
    const struct st_obs *o = &a->p->obs[i];
    char *ans = st_act_answer(a, i), *ql = st_act_queries(a, i);
    char *ref = want_text ? cat(NULL, "ok \"%s\"", want_text) : st_ref_describe(a->acts[i].ref);
    st_ev_expected(e, "%s t=%.3f s %s: %s (%s)", st_an_name(a), o->t, st_act_what(a, i),
                   ref ? ref : "", ctx);
    st_ev_observed(e, "%s t=%.3f s %s: %s [%s]", st_an_name(a), o->t, st_act_what(a, i),
                   ans ? ans : "", ql ? ql : "");
    free(ans);
    free(ql);
    free(ref);
}
