/*
 * st_judge: judging plays. An analysis (st_analysis.c) works out, for each action of a play,
 * what DNS said (the suites' own oracle, st_oracle.h, applied to the scenario's step content),
 * which of the fixture's queries the action caused, which step answered it, and what each spec
 * expected of it (must query, must or should not query); the clause judges (st_judge_*.c, one
 * file per clause family) compare. Internal to the suites.
 */
#ifndef ST_JUDGE_H
#define ST_JUDGE_H

#include <stddef.h>
#include "st_clause.h"
#include "st_play.h"
#include "st_result.h"
#include "st_route.h"

struct st_analysis;

/* Analyses a finished play (borrowed; must outlive the analysis). NULL only on no memory; an
 * analysis whose oracle could not read the scenario is returned and judges every clause
 * ERROR. Caller frees with st_analysis_free. */
struct st_analysis *st_analysis_new(const struct st_play *p);
void st_analysis_free(struct st_analysis *a);   /* NULL is fine */

/* Judges clause cl for a target judged against spec, from the analyses of the plays that cover
 * the clause. n == 0, or plays with nothing for the clause: NOT-RUN (with a note), never ERROR.
 * Fills cr's verdict and evidence (strings owned by cr). */
void st_judge_clause(const struct st_clause *cl, enum st_spec spec,
                     struct st_analysis *const *an, size_t n, struct st_clause_result *cr);

/* Adds the play's timeline (steps, actions, queries, TTL windows) to tl. 0 or -1 (memory). */
int st_analysis_timeline(const struct st_analysis *a, struct st_timeline *tl);

#endif
