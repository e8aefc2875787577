/*
 * st_play: one scenario played against one target on its own fixture instance -- the record
 * of what happened (each action's answer and the DNS queries the fixture saw while it ran).
 * Internal to the suites: st_suite.c schedules plays, st_judge.c judges their records.
 */
#ifndef ST_PLAY_H
#define ST_PLAY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "fx_scenario.h"
#include "fx_server.h"
#include "st_target.h"

enum st_obs_kind { ST_OBS_OPEN, ST_OBS_LOOKUP, ST_OBS_FORWARD };

/* One action of the script, as played. */
struct st_obs {
    enum st_obs_kind kind;
    const struct fx_action *act;  /* borrowed from the scenario; NULL for ST_OBS_OPEN */
    double t;                     /* scenario seconds when the action started */
    double t_end;                 /* ... and when its answer came */
    struct st_answer ans;         /* valid for lookups and forwards */
    struct fx_query *q;           /* every query the fixture saw during the action; owned */
    size_t nq;
};

struct st_play {
    const struct fx_scenario *sc;  /* borrowed */
    size_t target;                 /* index into the run's targets */
    int virtual_time;
    int error;                     /* 1: fixture or target broke (why), verdicts are ERROR */
    int stopped;                   /* 1: cut short by the stop flag */
    int na;                        /* 1: the target lacks the time mode asked for (why) */
    char why[1200];
    struct st_caps caps;           /* what open() reported */
    struct st_obs *obs;            /* the open, then each action played, in order */
    size_t nobs;
    size_t obs_cap;                /* allocated; grows by doubling (ASan copies on realloc) */
    double seconds;                /* wall time of the play */
    double seconds_open;           /* wall time the target took to open */
    uint64_t t0_us;                /* monotonic time of scenario time 0 (real time) */
};

/* Plays sc against t (a fresh target: open, actions, close) on a new fixture. Never fails as a
 * call: problems end up in p->error/p->why. p must be zeroed by the caller; free its contents
 * with st_play_clear. */
void st_play_run(struct st_play *p, const struct fx_scenario *sc, struct st_target *t,
                 int virtual_time, const char *dnsmasq, const volatile sig_atomic_t *stop);
/* The same on a fixture already started for sc (virtual time only; it is set back to step 0
 * first and left running). shared is borrowed. */
void st_play_run_on(struct st_play *p, const struct fx_scenario *sc, struct st_target *t,
                    struct fx_server *shared, int virtual_time, const char *dnsmasq,
                    const volatile sig_atomic_t *stop);
void st_play_clear(struct st_play *p);

#endif
