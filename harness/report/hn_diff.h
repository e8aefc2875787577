/*
 * hn_diff: `mxttl diff OLD NEW` -- which verdicts changed between two runs, per (target,
 * clause), and whether any got worse. Verdicts rank PASS = INFO = N/A (best) < NON-STRICT <
 * FAIL = ERROR (worst); a clause present in OLD and missing from NEW counts as worse (a run
 * that silently stops testing something must not look like an improvement).
 */
#ifndef HN_DIFF_H
#define HN_DIFF_H

#include <stddef.h>

#include "hn_report.h"

/* What happened to one (target, clause). */
enum hn_diff_change {
    HN_DIFF_WORSE,   /* verdict rank went up, e.g. PASS -> FAIL */
    HN_DIFF_GONE,    /* in OLD, missing from NEW (counts as worse) */
    HN_DIFF_BETTER,  /* rank went down, e.g. FAIL -> PASS */
    HN_DIFF_CHANGED, /* another verdict of the same rank, e.g. PASS -> N/A */
    HN_DIFF_NEW      /* missing from OLD, in NEW */
};

/* Rank of a verdict: 0 PASS, INFO, N/A; 1 NON-STRICT; 2 FAIL, ERROR (and unknown values). */
int hn_diff_rank(enum st_verdict v);

/* Compares two runs. On HN_REPORT_OK *text holds the report (caller frees with free()): one
 * line per changed (target, clause), sorted by target name then clause ID, each
 *   "WORSE|GONE|BETTER|CHANGED|NEW <target> <clause>: <old> -> <new>"
 * with "(missing)" for an absent side, then one summary line starting "diff: ". Names are
 * flattened to one line. *worse is 1 when any line is WORSE or GONE, else 0. Unchanged pairs
 * are only counted. Returns HN_REPORT_OK, HN_REPORT_INVAL (NULL argument) or HN_REPORT_NOMEM.
 * The runs are only read. */
enum hn_report_status hn_diff_runs(const struct st_run *old_run, const struct st_run *new_run,
                                   char **text, int *worse);

/* hn_diff_runs on two runs loaded with hn_report_load (each a report directory or a
 * results.json). Adds the load statuses (HN_REPORT_IO, _SYNTAX, _SCHEMA, _LIMIT) with why
 * naming the file. */
enum hn_report_status hn_diff_paths(const char *old_path, const char *new_path, char **text,
                                    int *worse, char *why, size_t whylen);

#endif
