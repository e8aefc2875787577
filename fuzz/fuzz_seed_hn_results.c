/*
 * fuzz_seed_hn_results: writes the seed corpus of fuzz_hn_results -- results.json files made by
 * the real writer (hn_results_render) from runs built here, so the seeds follow the schema exactly
 * and change with it:
 *     fuzz_seed_hn_results fuzz/corpus/hn_results
 * Exit status: 0 on success, 1 when building, rendering or writing fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include "hn_results.h"

/* A run with every verdict, level, class and event kind, and strings that need escaping. */
static struct st_run *full_run(void)
{
    struct st_run *run = st_run_new();
    if (run == NULL)
        return NULL;
    int bad = st_set_str(&run->mxttl_version, "0.1.0") |
              st_set_str(&run->started, "2026-11-29T04:00:00Z") |
              st_set_str(&run->time_mode, "virtual") |
              st_set_str(&run->command, "mxttl run --target model:ttl --target \"driver:./a b\"");
    run->seconds = 12.5;
    static const char *const clauses[] = {"LEG-1", "TTL-2", "TTL-1", "COM-9", "TTL-9", "COM-6"};
    struct st_target_result *tr = st_run_add_target(run, "model:ttl", "ttl");
    for (int v = 0; tr != NULL && v < ST_VERDICT_COUNT; v++) {
        struct st_clause_result *c = st_target_add_clause(
            tr, clauses[v], (enum st_level)(v % 3), (enum st_verdict)v,
            "The first lookup at or after the route's TTL has run out queries DNS again.");
        if (c == NULL) {
            bad = 1;
            break;
        }
        bad |= st_set_str(&c->scenario, "mx-ttl-expiry") |
               st_set_str(&c->expected, "MX a.test at t=60") |
               st_set_fmt(&c->observed, "queries: %d <tab>\t\"quoted\" \\ \xc3\xa9 \x01", v) |
               (v == ST_ERROR ? st_set_str(&c->note, "driver died: signal 11\nlast line: <x&y>")
                              : 0);
        c->seconds = 0.25 * v;
    }
    if (tr != NULL) {
        tr->klass = ST_CLASS_TTL;
        bad |= st_set_str(&tr->class_reason, "met TTL-2, TTL-4");
    } else {
        bad = 1;
    }
    struct st_target_result *tr2 = st_run_add_target(run, "driver:./legacy", "legacy");
    if (tr2 == NULL || st_target_add_clause(tr2, "LEG-3", ST_LEVEL_MUST, ST_FAIL, "x") == NULL)
        bad = 1;
    else
        tr2->klass = ST_CLASS_NEITHER;
    struct st_timeline *tl = st_run_add_timeline(run, "mx-ttl-expiry", "model:ttl", "virtual");
    bad |= tl == NULL;
    for (int k = 0; tl != NULL && k <= ST_EV_TTL; k++)
        bad |= st_timeline_add(tl, (enum st_event_kind)k, k * 1.5, k == ST_EV_TTL ? 60 : k * 1.5,
                               k / 2, "MX a.test", k % 2 ? "client 127.0.0.1#5353" : NULL);
    if (bad) {
        st_run_free(run);
        return NULL;
    }
    return run;
}

static int write_seed(const char *dir, const char *name, const struct st_run *run)
{
    char *json = NULL;
    size_t len = 0;
    if (hn_results_render(run, &json, &len) != HN_REPORT_OK)
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(json, 1, len, f) == len;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    free(json);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 1;
    }
    struct st_run *full = full_run();
    struct st_run *empty = st_run_new();
    int rc = 0;
    if (full == NULL || empty == NULL) {
        rc = 1;
    } else {
        if (write_seed(argv[1], "full.json", full) != 0)
            rc = 1;
        full->incomplete = 1;
        if (write_seed(argv[1], "incomplete.json", full) != 0)
            rc = 1;
        if (write_seed(argv[1], "empty.json", empty) != 0)
            rc = 1;
    }
    st_run_free(full);
    st_run_free(empty);
    if (rc != 0)
        fprintf(stderr, "%s: could not build or write the seeds\n", argv[1]);
    return rc;
}
