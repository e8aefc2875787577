/*
 * st_judge: judging plays. An analysis works out, for each action of a play, what DNS said
 * (the reference route from the scenario's step content, resolved by the model's stub
 * resolver), which of the fixture's queries the action caused, and what each spec expected of
 * it (must query, must or should not query); the clause judges then compare. Internal to the
 * suites.
 */
#ifndef ST_JUDGE_H
#define ST_JUDGE_H

#include <stddef.h>
#include "st_clause.h"
#include "st_play.h"
#include "st_result.h"

struct st_analysis;

/* Analyses a finished play (borrowed; must outlive the analysis). NULL only on no memory. */
struct st_analysis *st_analysis_new(const struct st_play *p);
void st_analysis_free(struct st_analysis *a);   /* NULL is fine */

/* Judges clause cl for a target judged against spec, from the analyses of the plays that cover
 * the clause (n may be 0: ERROR, no scenario covers it). Fills cr's verdict and evidence. */
void st_judge_clause(const struct st_clause *cl, enum st_spec spec,
                     struct st_analysis *const *an, size_t n, struct st_clause_result *cr);

/* Adds the play's timeline (steps, actions, queries, TTL windows) to tl. 0 or -1 (memory). */
int st_analysis_timeline(const struct st_analysis *a, struct st_timeline *tl);

/* Normalises a route text ("10 b.x 127.0.0.2,127.0.0.1; 5 a.x 127.0.0.3") for comparison:
 * lower case, no trailing dots, addresses sorted, exchangers sorted by (preference, name).
 * Writes into out (always NUL-terminated). Returns 0, or -1 if the text does not parse. */
int st_route_normalize(const char *text, char *out, size_t outlen);
/* Whether the exchangers in text appear in non-decreasing preference order: 1 yes, 0 no,
 * -1 does not parse. */
int st_route_ordered(const char *text);

#endif
