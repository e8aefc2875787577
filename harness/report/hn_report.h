/*
 * hn_report: turns an st_run (suites/st_result.h) into the report directory of `mxttl run` --
 * results.json, junit.xml, report.md and report.html -- and merges several runs into one
 * side-by-side report (`mxttl report DIR...`). The JSON format and its reader are in hn_results.h,
 * run comparison (`mxttl diff`) in hn_diff.h; all three share this status enum.
 *
 * Library code: nothing here prints or exits. Errors come back as a status plus a one-line
 * reason in the caller's `why` buffer (always NUL-terminated when whylen > 0), naming the file
 * and, for results.json input, "FILE:LINE:COL".
 */
#ifndef HN_REPORT_H
#define HN_REPORT_H

#include <stddef.h>

#include "st_result.h"

#define HN_REPORT_STATUS_LIST(X)                                                 \
    X(HN_REPORT_OK, "ok", "success")                                             \
    X(HN_REPORT_INVAL, "inval", "invalid argument")                              \
    X(HN_REPORT_IO, "io", "file or system error")                                \
    X(HN_REPORT_SYNTAX, "syntax", "results.json is not well-formed JSON")        \
    X(HN_REPORT_SCHEMA, "schema", "results.json does not follow mxttl-results/1") \
    X(HN_REPORT_LIMIT, "limit", "input exceeds a size or nesting limit")         \
    X(HN_REPORT_NOMEM, "nomem", "out of memory")

enum hn_report_status {
#define HN_REPORT_STATUS_ENUM(sym, str, desc) sym,
    HN_REPORT_STATUS_LIST(HN_REPORT_STATUS_ENUM)
#undef HN_REPORT_STATUS_ENUM
    HN_REPORT_STATUS_COUNT
};

/* Short stable name ("ok", "io", ...); static, never NULL ("unknown" when out of range). */
const char *hn_report_status_str(enum hn_report_status s);
/* One-line description for people; static, never NULL. */
const char *hn_report_status_desc(enum hn_report_status s);

/* The files of a report directory, as bits for hn_report_write_dir. */
enum hn_report_format {
    HN_REPORT_FMT_JSON = 1,  /* results.json */
    HN_REPORT_FMT_JUNIT = 2, /* junit.xml */
    HN_REPORT_FMT_MD = 4,    /* report.md */
    HN_REPORT_FMT_HTML = 8,  /* report.html */
    HN_REPORT_FMT_ALL = 15
};

/* File name of one format ("results.json", ...); static; NULL for anything but a single bit. */
const char *hn_report_format_file(enum hn_report_format f);

/* Renderers: the whole file in memory. On HN_REPORT_OK *out is a NUL-terminated string of *len
 * bytes (len may be NULL) that the caller frees with free(). Returns HN_REPORT_OK,
 * HN_REPORT_INVAL (NULL run or out) or HN_REPORT_NOMEM; *out is NULL on failure. */
enum hn_report_status hn_report_junit_render(const struct st_run *run, char **out, size_t *len);
enum hn_report_status hn_report_md_render(const struct st_run *run, char **out, size_t *len);
enum hn_report_status hn_report_html_render(const struct st_run *run, char **out, size_t *len);

/* Writes the chosen formats (a mask of enum hn_report_format) of run into dir, creating dir and
 * its parents if missing. Each file is written atomically (temporary file + rename), so a
 * reader sees the old file or the new one, never half of one. Returns HN_REPORT_OK,
 * HN_REPORT_INVAL (NULL argument, empty dir, empty mask), HN_REPORT_IO (why = "PATH: reason";
 * files written before the failure stay) or HN_REPORT_NOMEM. Nothing is retained. */
enum hn_report_status hn_report_write_dir(const struct st_run *run, const char *dir,
                                          unsigned formats, char *why, size_t whylen);

/* Reads a run from a report directory (its results.json) or from a results.json path.
 * On HN_REPORT_OK *out is a new run the caller frees with st_run_free. Returns what
 * hn_results_read_file returns (see hn_results.h); *out is NULL on failure. */
enum hn_report_status hn_report_load(const char *path, struct st_run **out, char *why,
                                     size_t whylen);

/* Label for a run loaded from path, for merged reports: the report directory's name (for
 * ".../results.json", its parent's name). Written into out (truncated to outlen). */
void hn_report_label(const char *path, char *out, size_t outlen);

/* Merges n runs into one: every target of runs[i] becomes a target named "labels[i]/target"
 * (so targets of different runs are columns side by side), timelines likewise. The merged run
 * is incomplete if any input is; its time_mode is the common one or "mixed"; started is the
 * earliest; seconds the sum; command lists the labels. Inputs are only read. On HN_REPORT_OK
 * *out is a new run the caller frees with st_run_free. Returns HN_REPORT_OK, HN_REPORT_INVAL
 * (n == 0, NULL argument) or HN_REPORT_NOMEM. */
enum hn_report_status hn_report_merge_runs(const struct st_run *const *runs,
                                           const char *const *labels, size_t n,
                                           struct st_run **out, char *why, size_t whylen);

/* Puts the shards of one run back together (`mxttl report --shards`): targets of the same
 * name and spec become one, with the clauses of every shard in clause order, and a class
 * combined from the shards' (an "unknown" shard gives way; shards that disagree make
 * "neither"); timelines are kept once per scenario and target; seconds is the longest shard's.
 * On HN_REPORT_OK *out is a new run the caller frees with st_run_free. Returns HN_REPORT_OK,
 * HN_REPORT_INVAL (n == 0, NULL argument), HN_REPORT_SCHEMA (a clause of one target in two
 * shards; why names it) or HN_REPORT_NOMEM. */
enum hn_report_status hn_report_union_runs(const struct st_run *const *runs, size_t n,
                                           struct st_run **out, char *why, size_t whylen);

/* `mxttl report [--shards] DIR... --out OUT`: loads each input (report directory or
 * results.json), labels it with hn_report_label (a label already used gets "#2", "#3", ...),
 * merges (side by side, or with shards set as hn_report_union_runs) and writes all four
 * formats into outdir. Returns any status of hn_report_load (why names the input),
 * hn_report_merge_runs / hn_report_union_runs or hn_report_write_dir. */
enum hn_report_status hn_report_merge(const char *const *inputs, size_t n, const char *outdir,
                                      int shards, char *why, size_t whylen);

#endif
