/*
 * hn_results: results.json, the machine-readable form of an st_run (schema "mxttl-results/1",
 * documented field by field in RESULTS-SCHEMA.md), written and read through Jansson.
 *
 * The reader takes files from other machines and is a fuzz target, so before Jansson parses
 * anything a bounded lexical pass enforces the limits below with the position that crosses
 * them; Jansson then does the JSON (RFC 8259 syntax, UTF-8, escapes, surrogates, duplicate
 * members), and a schema pass turns the tree into an st_run. Errors say
 * "FILE:LINE:COL: problem" for the bytes (LINE and COL 1-based, COL counted in bytes by our
 * limits pass, in characters by Jansson) and "FILE: PATH: problem" for the schema, where PATH
 * names the value (targets[0].clauses[3].verdict). Unknown members, missing members and values
 * of the wrong type are schema errors.
 *
 * Numbers are written and read in the "C" numeric locale (the CLI never calls setlocale).
 */
#ifndef HN_RESULTS_H
#define HN_RESULTS_H

#include <stddef.h>

#include "hn_report.h"

#define HN_RESULTS_SCHEMA "mxttl-results/1"

#define HN_RESULTS_MAX_BYTES 67108864u /* whole input: 64 MiB */
#define HN_RESULTS_MAX_DEPTH 16u        /* nested arrays/objects; the schema needs 5 */
#define HN_RESULTS_MAX_STRING 1048576u  /* one decoded string: 1 MiB */
#define HN_RESULTS_MAX_NUMBER 64u       /* characters of one number */
#define HN_RESULTS_MAX_ITEMS 1000000u   /* elements of one array or members of an object */

/* Renders run as results.json. On HN_REPORT_OK *out is a NUL-terminated string of *len bytes
 * (len may be NULL) the caller frees with free(). The output is deterministic, so writing a run
 * that was read from a file the writer wrote reproduces the file byte for byte. Returns
 * HN_REPORT_OK, HN_REPORT_INVAL (NULL run or out) or HN_REPORT_NOMEM. */
enum hn_report_status hn_results_render(const struct st_run *run, char **out, size_t *len);

/* Parses len bytes of results.json; name is used in error positions ("NAME:LINE:COL: ...").
 * data need not be NUL-terminated. On HN_REPORT_OK *out is a new run the caller frees with
 * st_run_free; otherwise *out is NULL and why holds the problem. Returns HN_REPORT_OK,
 * HN_REPORT_INVAL (NULL argument), HN_REPORT_SYNTAX (not JSON), HN_REPORT_LIMIT (a limit above
 * exceeded), HN_REPORT_SCHEMA (JSON but not mxttl-results/1, including a wrong "schema" or a
 * duplicate member) or HN_REPORT_NOMEM. */
enum hn_report_status hn_results_read_mem(const char *name, const char *data, size_t len,
                                          struct st_run **out, char *why, size_t whylen);

/* hn_results_read_mem on the contents of the file at path. Adds HN_REPORT_IO (cannot open or
 * read; why = "PATH: reason") and HN_REPORT_LIMIT for files over HN_RESULTS_MAX_BYTES. */
enum hn_report_status hn_results_read_file(const char *path, struct st_run **out, char *why,
                                           size_t whylen);

#endif
