/*
 * st_suite: a conformance run. Loads the scenario library, plays every scenario that covers a
 * chosen clause against every target (each play on its own fixture instance, several plays at
 * once), judges each clause only from the fixture's query log and the target's answers, and
 * fills an st_run (st_result.h) with verdicts, evidence, timelines and each target's class.
 */
#ifndef ST_SUITE_H
#define ST_SUITE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "fx_scenario.h"
#include "st_clause.h"
#include "st_library.h"
#include "st_status.h"
#include "st_result.h"
#include "st_target.h"

/* A target taking part in a run. make() creates a fresh st_target for one play (plays run
 * concurrently, so each gets its own); the suite calls ops->free on it afterwards. make returns
 * 0, or -1 with *why (every clause of that play is then ERROR). */
struct st_suite_target {
    const char *name;          /* "model:ttl", ...; borrowed for the run */
    enum st_spec spec;         /* judged against: ST_SPEC_LEGACY or ST_SPEC_TTL */
    int (*make)(void *ctx, struct st_target **out, char *why, size_t whylen);
    void *ctx;
};

/* In real time, scenarios longer than this (scenario time, ms) are not played: long-horizon
 * scenarios (days to years of scenario time) are for virtual time. A clause covered only by
 * them is NOT-RUN in a real-time run. */
#define ST_REAL_TIME_MAX_MS UINT64_C(300000)

struct st_suite_config {
    const char *dnsmasq;        /* dnsmasq program; NULL: from PATH */
    int virtual_time;           /* 1 virtual (default), 0 real time */
    const char *const *clauses; /* judge only these clause IDs ...                    */
    size_t nclauses;            /* ... or every clause when 0                          */
    unsigned jobs;              /* plays at once; 0 or 1 = one at a time              */
    /* When non-NULL and set (e.g. by a signal handler): start no more plays, cut running plays
     * short; their clauses are left out and the run is marked incomplete. */
    const volatile sig_atomic_t *stop;
    /* Called (from worker threads, serialised) after each play: plays done, plays in all,
     * estimated seconds left. May be NULL. */
    void (*progress)(void *ctx, size_t done, size_t total, double seconds_left);
    void *progress_ctx;
};
void st_suite_config_init(struct st_suite_config *cfg);

/* Plays and judges. Appends one st_target_result per target (its spec's clauses, LEG-n or TTL-n
 * plus COM-n, restricted to cfg->clauses), and one timeline per play, to run; sets
 * run->time_mode and run->incomplete. A broken target or fixture never fails the call: it
 * becomes ERROR verdicts with the reason in their note. Returns ST_OK, ST_USAGE (unknown clause
 * ID, no targets, a spec other than legacy/ttl; *why names it), ST_STOPPED (cfg->stop was set;
 * run holds what was judged) or ST_NOMEM. lib and targets are borrowed for the call. */
enum st_status st_suite_run(const struct st_suite_config *cfg, const struct st_library *lib,
                            const struct st_suite_target *targets, size_t ntargets,
                            struct st_run *run, char *why, size_t whylen);

#endif
