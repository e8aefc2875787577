/*
 * st_play: plays one scenario against one target. Each play gets its own fixture (its own
 * dnsmasq instances on a free port), so plays run side by side without sharing a query log.
 * Around every action the fixture's log is marked and read back, so each action knows exactly
 * the queries it caused. Virtual time sets the fixture's step and the target's clock to the
 * action's time without waiting; real time lets the fixture switch steps on the wall clock and
 * sleeps until each action is due.
 */
#define _GNU_SOURCE
#include "st_play.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rc_clock.h"

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Sleeps until monotonic time `until_us`, waking every 50 ms to honour the stop flag.
 * Returns 1 if stopped. */
static int sleep_until(uint64_t until_us, const volatile sig_atomic_t *stop)
{
    for (;;) {
        if (stop && *stop)
            return 1;
        uint64_t now = rc_clock_mono_us();
        if (now >= until_us)
            return 0;
        uint64_t d = until_us - now;
        if (d > 50000)
            d = 50000;
        struct timespec ts = {(time_t)(d / 1000000u), (long)(d % 1000000u) * 1000};
        nanosleep(&ts, NULL);
    }
}

static struct st_obs *add_obs(struct st_play *p, enum st_obs_kind kind, const struct fx_action *a)
{
    if (p->nobs == p->obs_cap) {
        size_t cap = p->obs_cap ? 2 * p->obs_cap : 16;
        struct st_obs *n = realloc(p->obs, cap * sizeof *n);
        if (!n)
            return NULL;
        p->obs = n;
        p->obs_cap = cap;
    }
    struct st_obs *o = &p->obs[p->nobs++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->act = a;
    return o;
}

/* Copies the queries since mark into o. 0 ok, -1 with p->why. */
static int take_queries(struct st_play *p, struct fx_server *srv, uint64_t mark, struct st_obs *o)
{
    const struct fx_query *qs = NULL;
    size_t n = 0;
    char why[256] = "";
    enum fx_status fs = fx_server_queries(srv, mark, &qs, &n, why, sizeof why);
    if (fs != FX_OK) {
        snprintf(p->why, sizeof p->why, "fixture query log: %s: %s", fx_status_str(fs), why);
        return -1;
    }
    if (n == 0)
        return 0;
    o->q = malloc(n * sizeof *o->q);
    if (!o->q) {
        snprintf(p->why, sizeof p->why, "out of memory");
        return -1;
    }
    memcpy(o->q, qs, n * sizeof *o->q);
    o->nq = n;
    return 0;
}

void st_play_run(struct st_play *p, const struct fx_scenario *sc, struct st_target *t,
                 int virtual_time, const char *dnsmasq, const volatile sig_atomic_t *stop)
{
    st_play_run_on(p, sc, t, NULL, virtual_time, dnsmasq, stop);
}

void st_play_run_on(struct st_play *p, const struct fx_scenario *sc, struct st_target *t,
                    struct fx_server *shared, int virtual_time, const char *dnsmasq,
                    const volatile sig_atomic_t *stop)
{
    uint64_t wall0 = rc_clock_mono_us();
    p->sc = sc;
    p->virtual_time = virtual_time;
    struct fx_server *srv = shared;
    int opened = 0;
    char why[1024] = "";
    char workdir[] = "/tmp/mxttl-play-XXXXXX";
    int have_workdir = 0;
    const char *tmp = getenv("TMPDIR");
    char wdbuf[512];
    snprintf(wdbuf, sizeof wdbuf, "%s/mxttl-play-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *wd = mkdtemp(wdbuf);
    if (!wd)
        wd = mkdtemp(workdir);
    if (!wd) {
        p->error = 1;
        snprintf(p->why, sizeof p->why, "cannot create a work directory: %s", strerror(errno));
        goto done;
    }
    have_workdir = 1;

    enum fx_status fs;
    if (shared) {
        /* a fixture a previous play used: back to step 0 (virtual time only) */
        fs = virtual_time ? fx_server_set_time(srv, 0, why, sizeof why) : FX_INVAL;
        if (fs != FX_OK) {
            p->error = 1;
            snprintf(p->why, sizeof p->why, "fixture back to step 0 (%s): %s",
                     fx_status_str(fs), virtual_time ? why : "real time cannot share");
            goto done;
        }
    } else {
        struct fx_server_config fcfg;
        fx_server_config_init(&fcfg);
        fcfg.dnsmasq = dnsmasq;
        fs = fx_server_new(&srv, &fcfg, sc, why, sizeof why);
        if (fs != FX_OK) {
            p->error = 1;
            snprintf(p->why, sizeof p->why, "fixture did not start (%s): %s",
                     fx_status_str(fs), why);
            goto done;
        }
    }

    /* Real time starts once the target is open: starting an MTA can take seconds, and the
     * script's times are meant from its first action on. Start-up queries then have
     * negative scenario times. */
    uint64_t t0 = rc_clock_mono_us();

    struct st_env env = {
        .dns_addr = fx_server_addr(srv),
        .dns_port = fx_server_port(srv),
        .forward_host = fx_scenario_forward(sc),
        .capacity = fx_scenario_capacity(sc),
        .virtual_time = virtual_time,
        .scenario = fx_scenario_name(sc),
        .workdir = wd,
    };
    struct st_obs *o = add_obs(p, ST_OBS_OPEN, NULL);
    if (!o) {
        p->error = 1;
        snprintf(p->why, sizeof p->why, "out of memory");
        goto done;
    }
    uint64_t mark = fx_server_mark(srv);
    opened = 1;
    if (t->ops->open(t, &env, &p->caps, why, sizeof why) != 0) {
        p->error = 1;
        snprintf(p->why, sizeof p->why, "target %s did not open: %s", t->name, why);
        goto done;
    }
    if (take_queries(p, srv, mark, o) != 0) {
        p->error = 1;
        goto done;
    }
    if (fx_scenario_capacity(sc) && p->caps.capacity != fx_scenario_capacity(sc)) {
        /* a capacity scenario says nothing about a cache of another (or no declared) size */
        p->na = 1;
        if (p->caps.capacity)
            snprintf(p->why, sizeof p->why, "the target's capacity is %zu; %s is built for %zu",
                     p->caps.capacity, fx_scenario_name(sc), fx_scenario_capacity(sc));
        else
            snprintf(p->why, sizeof p->why, "the target declares no cache capacity");
        goto done;
    }
    if (virtual_time ? !p->caps.virtual_time : !p->caps.real_time) {
        p->na = 1;
        snprintf(p->why, sizeof p->why, "target %s cannot run in %s time", t->name,
                 virtual_time ? "virtual" : "real");
        goto done;
    }

    if (!virtual_time) {
        uint64_t opened_at = t0;
        t0 = rc_clock_mono_us();
        o->t = -(double)(t0 - opened_at) / 1e6;
        fs = fx_server_play(srv, t0, why, sizeof why);
        if (fs != FX_OK) {
            p->error = 1;
            snprintf(p->why, sizeof p->why, "fixture play (%s): %s", fx_status_str(fs), why);
            goto done;
        }
    }
    p->t0_us = t0;

    for (size_t i = 0; i < fx_scenario_action_count(sc); i++) {
        const struct fx_action *a = fx_scenario_action(sc, i);
        if (stop && *stop) {
            p->stopped = 1;
            goto done;
        }
        if (a->kind == FX_ACT_FORWARD && !p->caps.forward_host)
            continue;   /* judged N/A: the target cannot be asked for a forward host */
        if (virtual_time) {
            fs = fx_server_set_time(srv, a->t_ms, why, sizeof why);
            if (fs != FX_OK) {
                p->error = 1;
                snprintf(p->why, sizeof p->why, "fixture at %.3f s (%s): %s",
                         (double)a->t_ms / 1000.0, fx_status_str(fs), why);
                goto done;
            }
        } else if (sleep_until(t0 + a->t_ms * 1000u, stop)) {
            p->stopped = 1;
            goto done;
        }
        o = add_obs(p, a->kind == FX_ACT_LOOKUP ? ST_OBS_LOOKUP : ST_OBS_FORWARD, a);
        if (!o) {
            p->error = 1;
            snprintf(p->why, sizeof p->why, "out of memory");
            goto done;
        }
        mark = fx_server_mark(srv);
        o->t = virtual_time ? (double)a->t_ms / 1000.0 : (double)(rc_clock_mono_us() - t0) / 1e6;
        int r;
        if (a->kind == FX_ACT_LOOKUP)
            r = t->ops->lookup(t, a->domain, a->t_ms, &o->ans, why, sizeof why);
        else
            r = t->ops->forward(t, a->t_ms, &o->ans, why, sizeof why);
        o->t_end = virtual_time ? o->t : (double)(rc_clock_mono_us() - t0) / 1e6;
        if (r != 0) {
            p->error = 1;
            const char *path = fx_scenario_path(sc) ? fx_scenario_path(sc) : "";
            const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
            snprintf(p->why, sizeof p->why, "target broke at %s:%d (%s at %.3f s): %s",
                     *base ? base : fx_scenario_name(sc), a->line,
                     a->kind == FX_ACT_LOOKUP ? a->domain : "forward-lookup",
                     (double)a->t_ms / 1000.0, why);
            st_answer_clear(&o->ans);
            p->nobs--;
            goto done;
        }
        if (take_queries(p, srv, mark, o) != 0) {
            p->error = 1;
            goto done;
        }
    }
    fs = fx_server_check(srv, why, sizeof why);
    if (fs != FX_OK) {
        p->error = 1;
        snprintf(p->why, sizeof p->why, "fixture broke during the play (%s): %s",
                 fx_status_str(fs), why);
    }
done:
    if (opened)
        t->ops->close(t);
    if (!shared)
        fx_server_free(srv);
    if (have_workdir)
        nftw(wd, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    p->seconds = (double)(rc_clock_mono_us() - wall0) / 1e6;
}

void st_play_clear(struct st_play *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nobs; i++) {
        free(p->obs[i].q);
        st_answer_clear(&p->obs[i].ans);
    }
    free(p->obs);
    p->obs = NULL;
    p->nobs = 0;
    p->obs_cap = 0;
}
