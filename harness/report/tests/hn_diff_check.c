/*
 * hn_diff_check: the exit-status contract of `mxttl diff`, end to end through files -- writes
 * an OLD and a NEW report directory, diffs them with hn_diff_paths, prints the diff and exits
 * 1 when something got worse, 0 otherwise, 2 on error. CTest runs the "worse" and "gone" cases
 * with WILL_FAIL, so the suite proves that a regression fails a build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_diff.h"
#include "hn_report.h"
#include "hn_report_test.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: hn_diff_check same|better|worse|gone\n");
        return 2;
    }
    static const char *const ids[] = {"TTL-1", "TTL-2", "TTL-3"};
    enum st_verdict old_v[] = {ST_PASS, ST_FAIL, ST_PASS};
    enum st_verdict new_v[] = {ST_PASS, ST_FAIL, ST_PASS};
    size_t new_n = 3;
    if (strcmp(argv[1], "better") == 0)
        new_v[1] = ST_PASS;
    else if (strcmp(argv[1], "worse") == 0)
        new_v[2] = ST_FAIL;
    else if (strcmp(argv[1], "gone") == 0)
        new_n = 2;
    else if (strcmp(argv[1], "same") != 0) {
        fprintf(stderr, "hn_diff_check: unknown case '%s'\n", argv[1]);
        return 2;
    }
    struct st_run *o = hn_test_small_run("model:ttl", ids, old_v, 3);
    struct st_run *n = hn_test_small_run("model:ttl", ids, new_v, new_n);
    char *dir = hn_test_tmpdir();
    char od[4096], nd[4096], why[512];
    snprintf(od, sizeof(od), "%s/old", dir);
    snprintf(nd, sizeof(nd), "%s/new", dir);
    int rc = 2;
    enum hn_report_status st = hn_report_write_dir(o, od, HN_REPORT_FMT_JSON, why, sizeof(why));
    if (st == HN_REPORT_OK)
        st = hn_report_write_dir(n, nd, HN_REPORT_FMT_JSON, why, sizeof(why));
    char *text = NULL;
    int worse = 0;
    if (st == HN_REPORT_OK)
        st = hn_diff_paths(od, nd, &text, &worse, why, sizeof(why));
    if (st != HN_REPORT_OK) {
        fprintf(stderr, "hn_diff_check: %s: %s\n", hn_report_status_str(st), why);
    } else {
        fputs(text, stdout);
        rc = worse ? 1 : 0;
    }
    free(text);
    st_run_free(o);
    st_run_free(n);
    hn_test_rmtree(dir);
    free(dir);
    return rc;
}
