/*
 * st_judge: a clause's verdict over the plays that cover it. The judge of each clause comes
 * from the judge column of the clause list (st_clause.h); this file turns what the judges found
 * in each play into one verdict with its evidence, the worst over the plays.
 */
#include "st_judge.h"

#include <stdlib.h>
#include <string.h>

#include "st_judge_int.h"

static st_judge_fn *const judges[ST_CLAUSE_COUNT] = {
#define ST_JUDGE_ROW(sym, id, level, spec, judge, rule, sentence) [ST_CL_##sym] = judge,
    ST_CLAUSE_LIST(ST_JUDGE_ROW)
#undef ST_JUDGE_ROW
};

/* Whether name is an item of the ", "-separated list. */
static int name_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
            return 1;
    return 0;
}

static enum st_verdict worst(enum st_verdict a, enum st_verdict b)
{
    static const int rank[ST_VERDICT_COUNT] = {
        [ST_NOTRUN] = 0, [ST_NA] = 1, [ST_PASS] = 2, [ST_INFO] = 2, [ST_NONSTRICT] = 3,
        [ST_FAIL] = 4, [ST_ERROR] = 5};
    return rank[b] > rank[a] ? b : a;
}

/* The verdict of one play from what its judge found (notes added to e). */
static enum st_verdict play_verdict(const struct st_clause *cl, const struct st_analysis *a,
                                    struct st_ev *e)
{
    const char *name = st_an_name(a);
    if (e->unsure_span)
        st_ev_note(e, "%s: %zu action(s) not judged: a lookup's queries spanned a step switch "
                      "and its answer does not tell which step answered it", name,
                   e->unsure_span);
    if (e->unsure_tempfail)
        st_ev_note(e, "%s: %zu action(s) not judged: the lookup of that domain before them was "
                      "answered with a temporary failure although DNS gave a route (the target's "
                      "resolver gave up waiting), so what it kept is not known", name,
                   e->unsure_tempfail);
    if (e->unsure_startup)
        st_ev_note(e, "%s: the first use of the forward host after start-up not judged: whether "
                      "the start-up resolution worked is not seen", name);
    if (e->unsure_flight)
        st_ev_note(e, "%s: %zu lookup(s) after a temporary failure not judged: no query of "
                      "their own, while a question of that domain was still in flight (the "
                      "fixture held one open past its step, fixtures/README.md section 6, or the "
                      "lookup waited about as long as the timed-out one before it): a resolver "
                      "merging identical questions waits on it, which is no caching", name,
                   e->unsure_flight);
    if (e->unsure_grain)
        st_ev_note(e, "%s: %zu action(s) less than %.0f s after a route ran out not judged: a "
                      "cache counting whole seconds may still serve it", name, e->unsure_grain,
                   ST_TTL_GRAIN);
    size_t other = e->unsure - e->unsure_span - e->unsure_tempfail - e->unsure_startup -
                   e->unsure_grain - e->unsure_flight;
    if (other)
        st_ev_note(e, "%s: %zu action(s) within %.2f s of a TTL boundary or step switch not "
                      "judged", name, other, a->tol);
    if (e->error)
        return ST_ERROR;
    if (e->na)
        return ST_NA;
    if (e->bad)
        return cl->level == ST_LEVEL_MUST ? ST_FAIL : ST_NONSTRICT;
    if (e->judged) {
        if (e->unseen)
            st_ev_note(e, "%s: %zu lookup(s) not judged: the target did not show how they ended",
                       name, e->unseen);
        return cl->level == ST_LEVEL_INFO ? ST_INFO : ST_PASS;
    }
    if (e->unseen) {
        st_ev_note(e, "%s: no verdict: the target did not show how %zu lookup(s) ended (no "
                      "delivery, and no outcome it reports)", name, e->unseen);
        return ST_NA;
    }
    if (e->unsure) {
        /* the target's timing put every relevant action where the step or the TTL boundary
         * cannot be told: no verdict either way, and nothing broke */
        st_ev_note(e, "%s: no verdict: every relevant action was unsure", name);
        return ST_NA;
    }
    st_ev_note(e, "%s: not run: nothing in this play exercises %s", name, cl->id);
    return ST_NOTRUN;
}

/* Judges one play: what broke, what was N/A, or what the clause's judge found. */
static enum st_verdict judge_play(const struct st_clause *cl, enum st_spec spec,
                                  const struct st_analysis *a, struct st_ev *e)
{
    e->judged = e->bad = e->unsure = e->unsure_span = e->unsure_tempfail = e->unseen = 0;
    e->unsure_startup = e->unsure_grain = e->unsure_flight = 0;
    e->na = e->error = 0;
    if (a->p->error) {
        st_ev_note(e, "%s: %s", st_an_name(a), a->p->why);
        return ST_ERROR;
    }
    if (a->error) {
        st_ev_note(e, "%s: the suites' oracle cannot read the scenario: %s", st_an_name(a),
                   a->error);
        return ST_ERROR;
    }
    if (a->p->na) {
        st_ev_note(e, "%s: %s", st_an_name(a), a->p->why);
        return ST_NA;
    }
    if (a->p->caps.relay_only && cl->sym != ST_CL_LEG7 && cl->sym != ST_CL_TTL10 &&
        cl->sym != ST_CL_TTL11 && cl->sym != ST_CL_COM9) {
        st_ev_note(e, "%s: the target relays every message to a forward host and never looks "
                      "up a domain's MX", st_an_name(a));
        return ST_NA;
    }
    judges[cl->sym](a, spec, e);
    return play_verdict(cl, a, e);
}

void st_judge_clause(const struct st_clause *cl, enum st_spec spec,
                     struct st_analysis *const *an, size_t n, struct st_clause_result *cr)
{
    struct st_ev e;
    st_ev_open(&e);
    enum st_verdict v = ST_NOTRUN;
    size_t total = 0;
    if (n == 0)
        st_ev_note(&e, "not run: no scenario played covers %s", cl->id);
    for (size_t j = 0; j < n; j++) {
        const char *name = st_an_name(an[j]);
        if (!cr->scenario)
            st_set_str(&cr->scenario, name);
        else if (!name_listed(cr->scenario, name))
            st_set_fmt(&cr->scenario, "%s, %s", cr->scenario, name);
        enum st_verdict pv = judge_play(cl, spec, an[j], &e);
        total += e.judged;
        v = j == 0 ? pv : worst(v, pv);
    }
    cr->verdict = v;
    if (e.exp && e.exp_lines == 0 && n > 0)
        st_ev_expected(&e, "%s (%zu action(s) judged)", cl->rule, total);
    st_ev_close(&e, cr);
}
