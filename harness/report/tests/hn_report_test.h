/*
 * hn_report_test: shared fixtures of the report tests -- a hand-built run holding every verdict,
 * every event kind and hostile strings, and private temporary directories.
 */
#ifndef HN_REPORT_TEST_H
#define HN_REPORT_TEST_H

#include <stddef.h>

#include "st_result.h"

/* Strings a target or a log could put into a run. */
#define HN_TEST_EVIL "<script>alert('x&y')</script> \"quoted\" | pipe ~~~~ `tick` *star* _u_"
#define HN_TEST_NONASCII "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x93\xa7 \xe6\x97\xa5\xe6\x9c\xac"
#define HN_TEST_CTRL "bell\a esc\x1b[31m nl\nline2\r\ttab"

/* Two targets: "model:ttl" with one clause of every verdict, and a target with a hostile name;
 * three timelines with every event kind, one with a 10 KB detail. incomplete as given.
 * Caller frees with st_run_free. Never NULL (aborts the test on no memory). */
struct st_run *hn_test_run(int incomplete);

/* A run with one target `target` and clauses ids[i] with verdicts v[i]. Caller frees. */
struct st_run *hn_test_small_run(const char *target, const char *const *ids,
                                 const enum st_verdict *v, size_t n);

/* A fresh private directory under $TMPDIR (or /tmp); caller frees the string and removes the
 * directory with hn_test_rmtree (which only removes directories made by hn_test_tmpdir). */
char *hn_test_tmpdir(void);
void hn_test_rmtree(const char *dir);

/* Runs argv[0] (searched in PATH) with stdout and stderr to the test's, no shell. Returns its
 * exit status, or -1 when it cannot be run (not installed) or did not exit normally. */
int hn_test_spawn(char *const argv[]);

/* Contents of a file (NUL-terminated) or NULL; caller frees. */
char *hn_test_slurp(const char *path, size_t *len);

/* Number of non-overlapping occurrences of needle in hay. */
size_t hn_test_count(const char *hay, const char *needle);

#endif
