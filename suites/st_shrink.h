/*
 * st_shrink: judging one scenario on one target (the probe `mxttl explore` runs on every
 * generated scenario, with the same clause judges as `mxttl run`), and shrinking a scenario
 * that FAILs a clause to a small one that still FAILs the same clause on the same target.
 *
 * The shrinker works on the scenario's text, line by line (Zeller's ddmin, largest cuts
 * first), after trying each case of a generated scenario alone; then it lowers numbers (TTLs,
 * step and lookup times, the capacity). Every candidate is parsed by the ordinary parser and
 * played through the ordinary play, so the result is a valid .scn that replays with
 * `mxttl run --scenarios DIR`.
 */
#ifndef ST_SHRINK_H
#define ST_SHRINK_H

#include <signal.h>
#include <stddef.h>
#include "fx_scenario.h"
#include "fx_server.h"
#include "st_clause.h"
#include "st_result.h"
#include "st_suite.h"

/* One scenario played on one target and judged on every clause of one spec. */
struct st_probe {
    int error;            /* 1: the fixture or the target broke (why); nothing was judged */
    int stopped;          /* 1: cut short by the stop flag */
    char why[1200];
    /* per clause, in SPEC.md order (st_clause_at); ST_NA for clauses of the other spec and
     * for clauses the scenario gave nothing to judge */
    enum st_verdict verdict[ST_CLAUSE_COUNT];
    struct st_clause_result cr[ST_CLAUSE_COUNT];   /* evidence; owned, freed by clear */
};

/* Plays sc against a fresh instance of t, on `shared` (a fixture started for sc, virtual time
 * only; borrowed) or, when NULL, on a fixture of its own, and judges every clause that applies
 * to spec. A clause the scenario gives nothing to judge is N/A here (its note says so). When
 * tl_run is not NULL, the play's timeline is added to it. Never fails as a call: problems go to
 * pr->error and pr->why. Free the contents with st_probe_clear. sc, t, shared and tl_run are
 * borrowed for the call. */
void st_probe_run(struct st_probe *pr, const struct fx_scenario *sc,
                  const struct st_suite_target *t, enum st_spec spec, int virtual_time,
                  const char *dnsmasq, struct fx_server *shared,
                  const volatile sig_atomic_t *stop, struct st_run *tl_run);
void st_probe_clear(struct st_probe *pr);

/* What must keep failing while shrinking. Borrowed by st_shrink for the call. */
struct st_shrink_goal {
    const struct st_suite_target *target;
    enum st_spec spec;
    const struct st_clause *clause;   /* the clause that FAILed */
    int virtual_time;
    const char *dnsmasq;              /* NULL: dnsmasq from PATH */
    const volatile sig_atomic_t *stop;
    unsigned max_tries;               /* plays at most (0: 600) */
};

struct st_shrink_stats {
    unsigned tries;       /* candidates played */
    unsigned accepted;    /* candidates that still FAILed and were kept */
    unsigned errors;      /* candidates whose play broke (not kept) */
};

/* Shrinks text (a scenario that FAILs goal->clause on goal->target) and returns the smallest
 * text found that still FAILs it, named `name` (its `scenario` line) and listing only that
 * clause; comment lines are dropped. NULL on no memory, or when the renamed text does not FAIL
 * the clause at all (then *stats says why: tries and errors). Caller frees with free. */
char *st_shrink(const char *text, const char *name, const struct st_shrink_goal *goal,
                struct st_shrink_stats *stats);

/* Lines that are neither blank nor comments. */
size_t st_shrink_count_lines(const char *text);

#endif
