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
#include <stdarg.h>
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

/* Marks the play broken with a reason. Returns -1. */
static int play_fail(struct st_play *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int play_fail(struct st_play *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->why, sizeof p->why, fmt, ap);
    va_end(ap);
    p->error = 1;
    return -1;
}

/* The play's fixture: the shared one set back to step 0 (virtual time only), or a new one. */
static int play_fixture(struct st_play *p, struct fx_server *shared, const char *dnsmasq,
                        struct fx_server **srv)
{
    char why[1024] = "";
    enum fx_status fs;
    *srv = shared;
    if (shared) {
        fs = p->virtual_time ? fx_server_set_time(shared, 0, why, sizeof why) : FX_INVAL;
        if (fs != FX_OK)
            return play_fail(p, "fixture back to step 0 (%s): %s", fx_status_str(fs),
                             p->virtual_time ? why : "real time cannot share");
        return 0;
    }
    struct fx_server_config fcfg;
    fx_server_config_init(&fcfg);
    fcfg.dnsmasq = dnsmasq;
    fs = fx_server_new(srv, &fcfg, p->sc, why, sizeof why);
    if (fs != FX_OK)
        return play_fail(p, "fixture did not start (%s): %s", fx_status_str(fs), why);
    return 0;
}

/* Opens the target (its start-up queries are the open's), then checks that it can play the
 * scenario at all. 0 go on; 1 N/A (p->na); -1 broken. *opened once open() was called. */
static int play_open(struct st_play *p, struct st_target *t, struct fx_server *srv,
                     const char *wd, int *opened)
{
    const struct fx_scenario *sc = p->sc;
    struct st_env env = {
        .dns_addr = fx_server_addr(srv),
        .dns_port = fx_server_port(srv),
        .forward_host = fx_scenario_forward(sc),
        .capacity = fx_scenario_capacity(sc),
        .virtual_time = p->virtual_time,
        .scenario = fx_scenario_name(sc),
        .workdir = wd,
    };
    struct st_obs *o = add_obs(p, ST_OBS_OPEN, NULL);
    if (!o)
        return play_fail(p, "out of memory");
    char why[1024] = "";
    uint64_t mark = fx_server_mark(srv);
    *opened = 1;
    if (t->ops->open(t, &env, &p->caps, why, sizeof why) != 0)
        return play_fail(p, "target %s did not open: %s", t->name, why);
    if (take_queries(p, srv, mark, o) != 0) {
        p->error = 1;   /* take_queries wrote p->why */
        return -1;
    }
    if (fx_scenario_capacity(sc) && p->caps.capacity != fx_scenario_capacity(sc)) {
        /* a capacity scenario says nothing about a cache of another (or no declared) size */
        p->na = 1;
        if (p->caps.capacity)
            snprintf(p->why, sizeof p->why, "the target's capacity is %zu; %s is built for %zu",
                     p->caps.capacity, fx_scenario_name(sc), fx_scenario_capacity(sc));
        else
            snprintf(p->why, sizeof p->why, "the target declares no cache capacity");
        return 1;
    }
    if (p->virtual_time ? !p->caps.virtual_time : !p->caps.real_time) {
        p->na = 1;
        snprintf(p->why, sizeof p->why, "target %s cannot run in %s time", t->name,
                 p->virtual_time ? "virtual" : "real");
        return 1;
    }
    return 0;
}

/* Plays one action at its time (t0: monotonic time of scenario time 0). 0 done; 1 stopped;
 * -1 broken. */
static int play_action(struct st_play *p, struct st_target *t, struct fx_server *srv,
                       const struct fx_action *a, uint64_t t0, const volatile sig_atomic_t *stop)
{
    char why[1024] = "";
    if (p->virtual_time) {
        enum fx_status fs = fx_server_set_time(srv, a->t_ms, why, sizeof why);
        if (fs != FX_OK)
            return play_fail(p, "fixture at %.3f s (%s): %s", (double)a->t_ms / 1000.0,
                             fx_status_str(fs), why);
    } else if (sleep_until(t0 + a->t_ms * 1000u, stop)) {
        return 1;
    }
    struct st_obs *o = add_obs(p, a->kind == FX_ACT_LOOKUP ? ST_OBS_LOOKUP : ST_OBS_FORWARD, a);
    if (!o)
        return play_fail(p, "out of memory");
    uint64_t mark = fx_server_mark(srv);
    o->t = p->virtual_time ? (double)a->t_ms / 1000.0
                           : (double)(rc_clock_mono_us() - t0) / 1e6;
    int r = a->kind == FX_ACT_LOOKUP
                ? t->ops->lookup(t, a->domain, a->t_ms, &o->ans, why, sizeof why)
                : t->ops->forward(t, a->t_ms, &o->ans, why, sizeof why);
    o->t_end = p->virtual_time ? o->t : (double)(rc_clock_mono_us() - t0) / 1e6;
    if (r != 0) {
        const char *path = fx_scenario_path(p->sc) ? fx_scenario_path(p->sc) : "";
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        st_answer_clear(&o->ans);
        p->nobs--;
        return play_fail(p, "target broke at %s:%d (%s at %.3f s): %s",
                         *base ? base : fx_scenario_name(p->sc), a->line,
                         a->kind == FX_ACT_LOOKUP ? a->domain : "forward-lookup",
                         (double)a->t_ms / 1000.0, why);
    }
    if (take_queries(p, srv, mark, o) != 0) {
        p->error = 1;   /* take_queries wrote p->why */
        return -1;
    }
    return 0;
}

/* The script, after a successful open: real time starts the fixture's player now. */
static void play_script(struct st_play *p, struct st_target *t, struct fx_server *srv,
                        const volatile sig_atomic_t *stop)
{
    /* Real time starts once the target is open: starting an MTA can take seconds, and the
     * script's times are meant from its first action on. Start-up queries then have negative
     * scenario times. */
    uint64_t t0 = rc_clock_mono_us();
    if (!p->virtual_time) {
        char why[1024] = "";
        p->obs[0].t = -(p->seconds_open);
        enum fx_status fs = fx_server_play(srv, t0, why, sizeof why);
        if (fs != FX_OK) {
            play_fail(p, "fixture play (%s): %s", fx_status_str(fs), why);
            return;
        }
    }
    p->t0_us = t0;
    for (size_t i = 0; i < fx_scenario_action_count(p->sc); i++) {
        const struct fx_action *a = fx_scenario_action(p->sc, i);
        if (stop && *stop) {
            p->stopped = 1;
            return;
        }
        if (a->kind == FX_ACT_FORWARD && !p->caps.forward_host)
            continue;   /* judged N/A: the target cannot be asked for a forward host */
        if (a->kind == FX_ACT_LOOKUP && p->caps.relay_only)
            continue;   /* judged N/A: the target never looks up a domain's route */
        int r = play_action(p, t, srv, a, t0, stop);
        if (r != 0) {
            p->stopped = r > 0;
            return;
        }
    }
    char why[1024] = "";
    enum fx_status fs = fx_server_check(srv, why, sizeof why);
    if (fs != FX_OK)
        play_fail(p, "fixture broke during the play (%s): %s", fx_status_str(fs), why);
}

void st_play_run_on(struct st_play *p, const struct fx_scenario *sc, struct st_target *t,
                    struct fx_server *shared, int virtual_time, const char *dnsmasq,
                    const volatile sig_atomic_t *stop)
{
    uint64_t wall0 = rc_clock_mono_us();
    p->sc = sc;
    p->virtual_time = virtual_time;
    struct fx_server *srv = NULL;
    int opened = 0;
    const char *tmp = fx_tmp_base();
    char wdbuf[512];
    snprintf(wdbuf, sizeof wdbuf, "%s/mxttl-play-XXXXXX", tmp);
    char *wd = mkdtemp(wdbuf);
    if (!wd) {   /* TMPDIR unusable: /tmp */
        snprintf(wdbuf, sizeof wdbuf, "/tmp/mxttl-play-XXXXXX");
        wd = mkdtemp(wdbuf);
    }
    if (!wd) {
        play_fail(p, "cannot create a work directory in %s: %s", tmp,
                  strerror(errno));
    } else if (play_fixture(p, shared, dnsmasq, &srv) == 0) {
        uint64_t open0 = rc_clock_mono_us();
        if (play_open(p, t, srv, wd, &opened) == 0) {
            p->seconds_open = (double)(rc_clock_mono_us() - open0) / 1e6;
            play_script(p, t, srv, stop);
        }
    }
    if (opened)
        t->ops->close(t);
    if (!shared)
        fx_server_free(srv);
    if (wd)
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
