/*
 * st_suite: the run loop. Plays are (scenario, target) pairs; a pool of worker threads takes
 * them longest first, each play on its own fixture instance, so a real-time run costs about
 * its longest scenario rather than the sum. Judging happens after every play has finished:
 * each target's clauses of its own spec go into the run; both specs' MUST clauses are judged
 * as well, over the same plays, to classify the target as legacy, ttl or neither.
 */
#include "st_suite.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_clock.h"
#include "st_judge.h"
#include "st_play.h"

const char *st_status_str(enum st_status s)
{
    static const char *const names[] = {
#define ST_STATUS_NAME(sym, str, desc) str,
        ST_STATUS_LIST(ST_STATUS_NAME)
#undef ST_STATUS_NAME
    };
    return (unsigned)s < ST_STATUS_COUNT ? names[s] : "unknown";
}

void st_suite_config_init(struct st_suite_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->virtual_time = 1;
    cfg->jobs = 1;
}

/* ---- the play pool ---- */

struct job {
    size_t scenario, target;
    double weight;
    struct st_play play;
    struct st_analysis *an;   /* made by the worker right after the play */
    int ran;
};

/* Consecutive jobs of one scenario: played on the worker's own fixture, kept from unit to
 * unit (share), or a single job whose play starts a fixture of its own. */
struct unit {
    size_t first, n;
    double weight;
    int share;
};

struct pool {
    const struct st_suite_config *cfg;
    const struct st_library *lib;
    const struct st_suite_target *targets;
    struct job *jobs;          /* in scenario, target order (analyses point into it) */
    struct unit *units;        /* what a worker takes at a time */
    size_t *order;             /* indices into units, heaviest first */
    size_t njobs, nunits, next, done;
    double weight_left, started_s;
    pthread_mutex_t mu;
};

/* Scenarios lighter than this (in play_weight units, about 0.4 ms each) share a fixture
 * between targets in virtual time. */
#define SHARE_WEIGHT_MAX 1000.0

static double mono_s(void)
{
    return (double)rc_clock_mono_us() / 1e6;
}

/* Plays job j (on the shared fixture if not NULL), analyses it, and reports progress. */
static void run_job(struct pool *pl, struct job *j, struct fx_server *shared)
{
    const struct st_suite_target *st = &pl->targets[j->target];
    struct st_target *t = NULL;
    char why[512] = "";
    j->play.sc = st_library_at(pl->lib, j->scenario);
    j->play.target = j->target;
    j->play.virtual_time = pl->cfg->virtual_time;
    if (st->make(st->ctx, &t, why, sizeof why) != 0 || !t) {
        j->play.error = 1;
        snprintf(j->play.why, sizeof j->play.why, "target %s could not be created: %s",
                 st->name, why);
    } else {
        st_play_run_on(&j->play, st_library_at(pl->lib, j->scenario), t, shared,
                       pl->cfg->virtual_time, pl->cfg->dnsmasq, pl->cfg->stop);
    }
    if (t)
        t->ops->free(t);
    /* analyse now, in parallel with other plays; judging needs every play anyway */
    if (!j->play.stopped)
        j->an = st_analysis_new(&j->play);
    pthread_mutex_lock(&pl->mu);
    j->ran = 1;
    pl->done++;
    pl->weight_left -= j->weight;
    if (pl->cfg->progress) {
        double left;
        unsigned jobs = pl->cfg->jobs ? pl->cfg->jobs : 1;
        if (pl->cfg->virtual_time) {
            double el = mono_s() - pl->started_s;
            left = pl->done ? el / (double)pl->done * (double)(pl->njobs - pl->done) /
                                  (double)jobs
                            : 0;
        } else {
            left = pl->weight_left / 1000.0 / (double)jobs;
        }
        pl->cfg->progress(pl->cfg->progress_ctx, pl->done, pl->njobs, left);
    }
    pthread_mutex_unlock(&pl->mu);
}

/* The worker's kept fixture, serving sc: the one it has, loaded with sc (the front and any
 * identical instance are reused: fewer dnsmasq start-ups), or a new one. FX_OK with *keep. */
static enum fx_status fixture_for(const struct pool *pl, struct fx_server **keep,
                                  const struct fx_scenario *sc, char *why, size_t whylen)
{
    if (*keep && fx_server_load(*keep, sc, why, whylen) == FX_OK)
        return FX_OK;
    fx_server_free(*keep);   /* a failed load leaves a fixture that serves nothing reliable */
    *keep = NULL;
    struct fx_server_config fcfg;
    fx_server_config_init(&fcfg);
    fcfg.dnsmasq = pl->cfg->dnsmasq;
    return fx_server_new(keep, &fcfg, sc, why, whylen);
}

/* Every job of unit u ends as ERROR: its fixture did not start. */
static void unit_error(struct pool *pl, const struct unit *u, enum fx_status fs, const char *why)
{
    for (size_t k = 0; k < u->n; k++) {
        struct job *j = &pl->jobs[u->first + k];
        j->play.sc = st_library_at(pl->lib, j->scenario);
        j->play.error = 1;
        snprintf(j->play.why, sizeof j->play.why, "fixture did not start (%s): %s",
                 fx_status_str(fs), why);
        j->an = st_analysis_new(&j->play);
        pthread_mutex_lock(&pl->mu);
        j->ran = 1;
        pl->done++;
        pthread_mutex_unlock(&pl->mu);
    }
}

/* Takes units (heaviest first) until none is left or the run is stopped. A shared unit plays
 * its scenario for each target in turn on the fixture this worker keeps from unit to unit. */
static void *worker(void *arg)
{
    struct pool *pl = arg;
    struct fx_server *keep = NULL;
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        int stop = pl->cfg->stop && *pl->cfg->stop;
        size_t i = pl->next;
        if (!stop && i < pl->nunits)
            pl->next++;
        pthread_mutex_unlock(&pl->mu);
        if (stop || i >= pl->nunits)
            break;
        const struct unit *u = &pl->units[pl->order[i]];
        struct fx_server *srv = NULL;
        if (u->share) {
            char why[512] = "";
            enum fx_status fs = fixture_for(pl, &keep,
                                            st_library_at(pl->lib, pl->jobs[u->first].scenario),
                                            why, sizeof why);
            if (fs != FX_OK) {
                unit_error(pl, u, fs, why);
                continue;
            }
            srv = keep;
        }
        for (size_t k = 0; k < u->n; k++) {
            if (pl->cfg->stop && *pl->cfg->stop)
                break;
            run_job(pl, &pl->jobs[u->first + k], srv);
        }
    }
    fx_server_free(keep);
    return NULL;
}

/* Expected cost of a play, for scheduling the longest first. Real time: the scenario's length
 * (ms). Virtual time, in units of about one lookup (0.4 ms): each action, a step switch (about
 * 0.1 s), and each lookup of a name that times out (the target's resolver timeout). */
static double play_weight(const struct fx_scenario *sc, int virtual_time)
{
    if (!virtual_time)
        return (double)fx_scenario_end(sc) + (double)fx_scenario_action_count(sc);
    double w = (double)fx_scenario_action_count(sc) + 250.0 * (double)fx_scenario_step_count(sc);
    for (size_t i = 0; i < fx_scenario_action_count(sc); i++) {
        const struct fx_action *a = fx_scenario_action(sc, i);
        if (a->kind == FX_ACT_LOOKUP &&
            fx_scenario_name_kind(sc, fx_scenario_step_at(sc, a->t_ms), a->domain) ==
                FX_NAME_TIMEOUT)
            w += 750.0;
    }
    return w;
}

/* Heaviest first; ties in job order. qsort_r is not C11, so the order is sorted by insertion
 * (a few dozen jobs). */
static void sort_order(struct pool *pl)
{
    for (size_t i = 0; i < pl->nunits; i++)
        pl->order[i] = i;
    for (size_t i = 1; i < pl->nunits; i++) {
        size_t v = pl->order[i], k = i;
        while (k > 0 && pl->units[pl->order[k - 1]].weight < pl->units[v].weight) {
            pl->order[k] = pl->order[k - 1];
            k--;
        }
        pl->order[k] = v;
    }
}

/* Judges clause cl for target ti under spec over the finished plays. *stopped set if a play
 * that covers it was cut short (the clause is then left out). */
static void judge(const struct job *jobs, size_t njobs, struct st_analysis **an, size_t ti,
                  const struct st_clause *cl, enum st_spec spec, struct st_clause_result *cr,
                  int *stopped, struct st_analysis **buf)
{
    size_t n = 0;
    *stopped = 0;
    for (size_t j = 0; j < njobs; j++) {
        if (jobs[j].target != ti || !st_scenario_covers(jobs[j].play.sc, cl->id))
            continue;
        if (!jobs[j].ran || jobs[j].play.stopped) {
            *stopped = 1;
            continue;
        }
        if (an[j])
            buf[n++] = an[j];
    }
    st_judge_clause(cl, spec, buf, n, cr);
}

static void classify(struct st_target_result *tr, const struct job *jobs, size_t njobs,
                     struct st_analysis **an, size_t ti, const int *sel,
                     struct st_analysis **buf)
{
    int fails[2] = {0, 0}, judged[2] = {0, 0}, unjudged[2] = {0, 0}, errors = 0;
    char broke[2][512] = {"", ""};
    for (size_t c = 0; c < ST_CLAUSE_COUNT; c++) {
        const struct st_clause *cl = st_clause_at(c);
        if (!sel[c] || cl->level != ST_LEVEL_MUST)
            continue;
        for (int s = 0; s < 2; s++) {
            enum st_spec spec = s == 0 ? ST_SPEC_LEGACY : ST_SPEC_TTL;
            if (!st_clause_applies(cl, spec))
                continue;
            struct st_clause_result cr = {0};
            int stopped;
            judge(jobs, njobs, an, ti, cl, spec, &cr, &stopped, buf);
            if (!stopped) {
                if (cr.verdict == ST_FAIL) {
                    fails[s]++;
                    size_t l = strlen(broke[s]);
                    snprintf(broke[s] + l, sizeof broke[s] - l, "%s%s", l ? ", " : "", cl->id);
                } else if (cr.verdict == ST_ERROR) {
                    errors++;
                    unjudged[s]++;
                } else if (cr.verdict == ST_NA) {
                    unjudged[s]++;
                } else if (cr.verdict == ST_PASS) {
                    judged[s]++;
                }
            }
            st_clause_result_clear(&cr);
        }
    }
    if (!fails[0] && fails[1] && judged[0]) {
        tr->klass = ST_CLASS_LEGACY;
        st_set_fmt(&tr->class_reason, "met every legacy MUST clause %s; broke %s",
                   unjudged[0] ? "judged (others N/A or ERROR)" : "run", broke[1]);
    } else if (fails[0] && !fails[1] && judged[1]) {
        tr->klass = ST_CLASS_TTL;
        st_set_fmt(&tr->class_reason, "met every ttl MUST clause %s; broke %s",
                   unjudged[1] ? "judged (others N/A or ERROR)" : "run", broke[0]);
    } else if (fails[0] && fails[1]) {
        tr->klass = ST_CLASS_NEITHER;
        st_set_fmt(&tr->class_reason, "broke %s (legacy) and %s (ttl)", broke[0], broke[1]);
    } else {
        tr->klass = ST_CLASS_UNKNOWN;
        st_set_fmt(&tr->class_reason, "%s",
                   errors ? "errors kept clauses from being judged"
                          : "the clauses run do not tell legacy from ttl");
    }
}

/* Which clauses to judge (sel[sym]) and whether the targets can be judged. ST_OK or ST_USAGE
 * with *why. */
static enum st_status check_config(const struct st_suite_config *cfg,
                                   const struct st_suite_target *targets, size_t ntargets,
                                   int *sel, char *why, size_t whylen)
{
    for (size_t c = 0; c < ST_CLAUSE_COUNT; c++)
        sel[c] = cfg->nclauses == 0;
    for (size_t i = 0; i < cfg->nclauses; i++) {
        const struct st_clause *cl = st_clause_find(cfg->clauses[i]);
        if (!cl) {
            snprintf(why, whylen, "unknown clause %s", cfg->clauses[i]);
            return ST_USAGE;
        }
        sel[cl->sym] = 1;
    }
    if (ntargets == 0) {
        snprintf(why, whylen, "no target");
        return ST_USAGE;
    }
    for (size_t t = 0; t < ntargets; t++)
        if (targets[t].spec != ST_SPEC_LEGACY && targets[t].spec != ST_SPEC_TTL) {
            snprintf(why, whylen, "target %s: spec must be legacy or ttl", targets[t].name);
            return ST_USAGE;
        }
    return ST_OK;
}

/* One job per (scenario that covers a selected clause, target). -1 on no memory. */
static int make_jobs(struct pool *pl, const int *sel, size_t ntargets)
{
    const struct st_suite_config *cfg = pl->cfg;
    for (size_t s = 0; s < st_library_count(pl->lib); s++) {
        const struct fx_scenario *sc = st_library_at(pl->lib, s);
        int wanted = 0;
        if (!cfg->virtual_time && fx_scenario_end(sc) > ST_REAL_TIME_MAX_MS)
            continue;   /* a long horizon costs nothing on virtual time, days on the wall clock */
        for (size_t c = 0; c < ST_CLAUSE_COUNT; c++)
            if (sel[c] && st_scenario_covers(sc, st_clause_at(c)->id))
                wanted = 1;
        for (size_t t = 0; wanted && t < ntargets; t++) {
            struct job *nj = realloc(pl->jobs, (pl->njobs + 1) * sizeof *nj);
            if (!nj)
                return -1;
            pl->jobs = nj;
            struct job *j = &pl->jobs[pl->njobs++];
            memset(j, 0, sizeof *j);
            j->scenario = s;
            j->target = t;
            /* set now, not only when a worker starts it: judging reads it for every job, also
             * for those a stop (SIGINT/SIGTERM) kept from starting */
            j->play.sc = sc;
            j->weight = play_weight(sc, cfg->virtual_time);
            pl->weight_left += j->weight;
        }
    }
    return 0;
}

/* Units: in virtual time a light single-step scenario plays every target on the worker's kept
 * fixture (no step switch to undo; the front and identical instances reused from the scenario
 * before); anything else gets a fixture per play so that heavy plays run side by side. -1 on
 * no memory. */
static int make_units(struct pool *pl)
{
    pl->units = calloc(pl->njobs ? pl->njobs : 1, sizeof *pl->units);
    pl->order = calloc(pl->njobs ? pl->njobs : 1, sizeof *pl->order);
    if (!pl->units || !pl->order)
        return -1;
    for (size_t j = 0; j < pl->njobs;) {
        int share = pl->cfg->virtual_time && pl->jobs[j].weight < SHARE_WEIGHT_MAX;
        struct unit *u = &pl->units[pl->nunits++];
        u->first = j;
        u->n = 0;
        u->weight = 0;
        u->share = share;
        do {
            u->weight += pl->jobs[j].weight;
            u->n++;
            j++;
        } while (share && j < pl->njobs && pl->jobs[j].scenario == pl->jobs[u->first].scenario);
    }
    sort_order(pl);
    return 0;
}

/* Runs the workers until every unit is played (or the run is stopped). -1 on no memory. */
static int run_pool(struct pool *pl)
{
    unsigned nthreads = pl->cfg->jobs ? pl->cfg->jobs : 1;
    if (nthreads > pl->nunits)
        nthreads = pl->nunits ? (unsigned)pl->nunits : 1;
    pthread_t *th = calloc(nthreads, sizeof *th);
    if (!th)
        return -1;
    size_t started = 0;
    for (unsigned i = 0; i < nthreads; i++) {
        if (pthread_create(&th[i], NULL, worker, pl) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(pl);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    return 0;
}

/* Takes each finished play's analysis into an[j] (NULL for plays cut short or never started).
 * Returns whether the run is incomplete. */
static int collect(struct pool *pl, struct st_analysis **an)
{
    int incomplete = 0;
    for (size_t j = 0; j < pl->njobs; j++) {
        struct job *jb = &pl->jobs[j];
        if (!jb->ran || jb->play.stopped) {
            incomplete = 1;
            st_analysis_free(jb->an);
            jb->an = NULL;
            continue;
        }
        an[j] = jb->an;
        jb->an = NULL;
        if (!an[j])
            jb->play.error = 1;
    }
    return incomplete;
}

/* Judges every selected clause of target t into run. -1 on no memory; *incomplete set when a
 * clause was left out because a play covering it was cut short. */
static int judge_target(const struct pool *pl, struct st_analysis **an, struct st_analysis **buf,
                        size_t t, const int *sel, struct st_run *run, int *incomplete)
{
    const struct st_suite_target *tg = &pl->targets[t];
    struct st_target_result *tr = st_run_add_target(run, tg->name, st_spec_str(tg->spec));
    if (!tr)
        return -1;
    for (size_t c = 0; c < ST_CLAUSE_COUNT; c++) {
        const struct st_clause *cl = st_clause_at(c);
        if (!sel[c] || !st_clause_applies(cl, tg->spec))
            continue;
        struct st_clause_result tmp = {0};
        int stopped;
        double t0 = mono_s();
        judge(pl->jobs, pl->njobs, an, t, cl, tg->spec, &tmp, &stopped, buf);
        if (stopped) {
            st_clause_result_clear(&tmp);
            *incomplete = 1;
            continue;
        }
        struct st_clause_result *cr =
            st_target_add_clause(tr, cl->id, cl->level, tmp.verdict, cl->sentence);
        if (!cr) {
            st_clause_result_clear(&tmp);
            return -1;
        }
        /* move the evidence over */
        cr->scenario = tmp.scenario;
        cr->expected = tmp.expected;
        cr->observed = tmp.observed;
        cr->note = tmp.note;
        free(tmp.clause);
        free(tmp.sentence);
        double play_s = 0;
        for (size_t j = 0; j < pl->njobs; j++)
            if (pl->jobs[j].target == t && st_scenario_covers(pl->jobs[j].play.sc, cl->id))
                play_s += pl->jobs[j].play.seconds;
        cr->seconds = play_s + (mono_s() - t0);
    }
    classify(tr, pl->jobs, pl->njobs, an, t, sel, buf);
    return 0;
}

/* One timeline per analysed play. -1 on no memory. */
static int add_timelines(const struct pool *pl, struct st_analysis **an, struct st_run *run)
{
    for (size_t j = 0; j < pl->njobs; j++) {
        if (!an[j])
            continue;
        struct st_timeline *tl =
            st_run_add_timeline(run, fx_scenario_name(pl->jobs[j].play.sc),
                                pl->targets[pl->jobs[j].target].name,
                                pl->cfg->virtual_time ? "virtual" : "real");
        if (!tl || st_analysis_timeline(an[j], tl) != 0)
            return -1;
    }
    return 0;
}

static void pool_clear(struct pool *pl, struct st_analysis **an)
{
    for (size_t j = 0; j < pl->njobs; j++) {
        if (an)
            st_analysis_free(an[j]);
        st_analysis_free(pl->jobs[j].an);
        st_play_clear(&pl->jobs[j].play);
    }
    free(pl->jobs);
    free(pl->units);
    free(pl->order);
    pthread_mutex_destroy(&pl->mu);
}

enum st_status st_suite_run(const struct st_suite_config *cfg, const struct st_library *lib,
                            const struct st_suite_target *targets, size_t ntargets,
                            struct st_run *run, char *why, size_t whylen)
{
    int sel[ST_CLAUSE_COUNT];
    enum st_status st = check_config(cfg, targets, ntargets, sel, why, whylen);
    if (st != ST_OK)
        return st;
    st_set_str(&run->time_mode, cfg->virtual_time ? "virtual" : "real");
    struct pool pl = {.cfg = cfg, .lib = lib, .targets = targets, .started_s = mono_s()};
    pthread_mutex_init(&pl.mu, NULL);
    struct st_analysis **an = NULL, **buf = NULL;
    int ok = make_jobs(&pl, sel, ntargets) == 0 && make_units(&pl) == 0 && run_pool(&pl) == 0;
    if (ok) {
        an = calloc(pl.njobs ? pl.njobs : 1, sizeof *an);
        buf = calloc(pl.njobs ? pl.njobs : 1, sizeof *buf);
        ok = an && buf;
    }
    int incomplete = ok ? collect(&pl, an) : 0;
    for (size_t t = 0; ok && t < ntargets; t++)
        ok = judge_target(&pl, an, buf, t, sel, run, &incomplete) == 0;
    ok = ok && add_timelines(&pl, an, run) == 0;
    run->incomplete = incomplete;
    pool_clear(&pl, an);
    free(an);
    free(buf);
    if (!ok) {
        snprintf(why, whylen, "out of memory");
        return ST_NOMEM;
    }
    return incomplete && cfg->stop && *cfg->stop ? ST_STOPPED : ST_OK;
}
