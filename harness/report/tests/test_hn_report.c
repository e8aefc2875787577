/*
 * test_hn_report: the report directory -- created with parents, every format written, no
 * temporary files left, errors naming the path -- loading a run back from a directory or a
 * file, run labels, and merging runs side by side.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_results.h"
#include "hn_report.h"
#include "hn_report_test.h"

static void test_status_strings(void **state)
{
    (void)state;
    for (int s = 0; s < HN_REPORT_STATUS_COUNT; s++) {
        assert_string_not_equal(hn_report_status_str((enum hn_report_status)s), "unknown");
        assert_true(strlen(hn_report_status_desc((enum hn_report_status)s)) > 0);
    }
    assert_string_equal(hn_report_status_str(HN_REPORT_SCHEMA), "schema");
    assert_string_equal(hn_report_status_str((enum hn_report_status)99), "unknown");
    assert_string_equal(hn_report_format_file(HN_REPORT_FMT_HTML), "report.html");
    assert_null(hn_report_format_file(HN_REPORT_FMT_ALL));
}

static void test_write_dir(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    char *dir = hn_test_tmpdir();
    char out[4096], why[512];
    snprintf(out, sizeof(out), "%s/a/b/report", dir);
    enum hn_report_status st = hn_report_write_dir(run, out, HN_REPORT_FMT_ALL, why, sizeof(why));
    if (st != HN_REPORT_OK)
        fail_msg("write_dir: got %s (%s), want ok", hn_report_status_str(st), why);
    static const char *const files[] = {"results.json", "junit.xml", "report.md", "report.html"};
    for (size_t i = 0; i < 4; i++) {
        char p[4200];
        snprintf(p, sizeof(p), "%s/%s", out, files[i]);
        size_t len = 0;
        char *d = hn_test_slurp(p, &len);
        if (d == NULL || len == 0)
            fail_msg("%s: got no file, want one", p);
        free(d);
    }
    DIR *dd = opendir(out);
    int n = 0;
    for (struct dirent *e; (e = readdir(dd)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(dd);
    assert_int_equal(n, 4);
    /* Writing again over an existing report replaces it. */
    assert_int_equal(hn_report_write_dir(run, out, HN_REPORT_FMT_ALL, why, sizeof(why)),
                     HN_REPORT_OK);
    /* Loading from the directory and from the file gives the same run. */
    struct st_run *a = NULL, *b = NULL;
    assert_int_equal(hn_report_load(out, &a, why, sizeof(why)), HN_REPORT_OK);
    char p[4200];
    snprintf(p, sizeof(p), "%s/results.json", out);
    assert_int_equal(hn_report_load(p, &b, why, sizeof(why)), HN_REPORT_OK);
    assert_int_equal(a->ntargets, 2);
    assert_string_equal(a->targets[1].target, b->targets[1].target);
    st_run_free(a);
    st_run_free(b);
    hn_test_rmtree(dir);
    free(dir);
    st_run_free(run);
}

static void test_write_dir_errors(void **state)
{
    (void)state;
    struct st_run *run = hn_test_run(0);
    char *dir = hn_test_tmpdir();
    char file[4096], out[4200], why[512];
    snprintf(file, sizeof(file), "%s/plainfile", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(out, sizeof(out), "%s/sub", file);
    assert_int_equal(hn_report_write_dir(run, out, HN_REPORT_FMT_ALL, why, sizeof(why)),
                     HN_REPORT_IO);
    if (strstr(why, file) == NULL)
        fail_msg("why: got \"%s\", want it to name %s", why, file);
    assert_int_equal(hn_report_write_dir(run, file, HN_REPORT_FMT_ALL, why, sizeof(why)),
                     HN_REPORT_IO);
    assert_non_null(strstr(why, "not a directory"));
    assert_int_equal(hn_report_write_dir(run, "", HN_REPORT_FMT_ALL, why, sizeof(why)),
                     HN_REPORT_INVAL);
    assert_int_equal(hn_report_write_dir(run, dir, 0, why, sizeof(why)), HN_REPORT_INVAL);
    assert_int_equal(hn_report_write_dir(NULL, dir, HN_REPORT_FMT_ALL, NULL, 0), HN_REPORT_INVAL);
    struct st_run *r = NULL;
    snprintf(out, sizeof(out), "%s/none", dir);
    assert_int_equal(hn_report_load(out, &r, why, sizeof(why)), HN_REPORT_IO);
    assert_non_null(strstr(why, out));
    assert_int_equal(hn_report_load(dir, &r, why, sizeof(why)), HN_REPORT_IO);
    assert_non_null(strstr(why, "results.json"));
    hn_test_rmtree(dir);
    free(dir);
    st_run_free(run);
}

static void test_labels(void **state)
{
    (void)state;
    char l[64];
    hn_report_label("runs/2026-11-29", l, sizeof(l));
    assert_string_equal(l, "2026-11-29");
    hn_report_label("runs/old/", l, sizeof(l));
    assert_string_equal(l, "old");
    hn_report_label("runs/new/results.json", l, sizeof(l));
    assert_string_equal(l, "new");
    hn_report_label("results.json", l, sizeof(l));
    assert_string_equal(l, ".");
    hn_report_label("mine.json", l, sizeof(l));
    assert_string_equal(l, "mine.json");
}

static void test_merge_runs(void **state)
{
    (void)state;
    static const char *const ids[] = {"TTL-1", "TTL-2"};
    const enum st_verdict va[] = {ST_PASS, ST_FAIL}, vb[] = {ST_PASS, ST_PASS};
    struct st_run *a = hn_test_small_run("model:ttl", ids, va, 2);
    struct st_run *b = hn_test_small_run("model:ttl", ids, vb, 2);
    st_set_str(&b->started, "2026-11-28T23:00:00Z");
    st_set_str(&b->time_mode, "real");
    b->incomplete = 1;
    a->seconds = 1.5;
    b->seconds = 2.0;
    struct st_timeline *tl = st_run_add_timeline(b, "s", "model:ttl", "real");
    st_timeline_add(tl, ST_EV_STEP, 0, 0, 1, "step 1", NULL);
    const struct st_run *runs[] = {a, b};
    const char *labels[] = {"before", "after"};
    struct st_run *m = NULL;
    char why[256];
    assert_int_equal(hn_report_merge_runs(runs, labels, 2, &m, why, sizeof(why)), HN_REPORT_OK);
    assert_int_equal(m->ntargets, 2);
    assert_string_equal(m->targets[0].target, "before/model:ttl");
    assert_string_equal(m->targets[1].target, "after/model:ttl");
    assert_int_equal(m->targets[0].clauses[1].verdict, ST_FAIL);
    assert_int_equal(m->targets[1].clauses[1].verdict, ST_PASS);
    assert_int_equal(m->incomplete, 1);
    assert_string_equal(m->time_mode, "mixed");
    assert_string_equal(m->started, "2026-11-28T23:00:00Z");
    assert_true(m->seconds == 3.5);
    assert_string_equal(m->command, "mxttl report before after");
    assert_int_equal(m->ntimelines, 1);
    assert_string_equal(m->timelines[0].target, "after/model:ttl");
    /* Side by side: the matrix has one column per run's target. */
    char *h = NULL;
    assert_int_equal(hn_report_html_render(m, &h, NULL), HN_REPORT_OK);
    assert_non_null(strstr(h, "<th title=\"before/model:ttl\">before/<wbr>model:<wbr>ttl</th>"
                              "<th title=\"after/model:ttl\">after/<wbr>model:<wbr>ttl</th>"));
    assert_int_equal(hn_test_count(h, "<th class=\"clause\""), 2);
    free(h);
    st_run_free(m);
    assert_int_equal(hn_report_merge_runs(runs, labels, 0, &m, why, sizeof(why)),
                     HN_REPORT_INVAL);
    assert_null(m);
    st_run_free(a);
    st_run_free(b);
}

/* One shard of a run: target t (ttl) with the given clauses and a timeline per scenario. */
static struct st_run *shard(const char *const *clauses, size_t n, enum st_class klass,
                            const char *const *scenarios, size_t ns)
{
    struct st_run *r = st_run_new();
    assert_non_null(r);
    struct st_target_result *t = st_run_add_target(r, "t", "ttl");
    assert_non_null(t);
    t->klass = klass;
    for (size_t i = 0; i < n; i++)
        assert_non_null(st_target_add_clause(t, clauses[i], ST_LEVEL_MUST,
                                             i % 2 ? ST_FAIL : ST_PASS, NULL));
    for (size_t i = 0; i < ns; i++)
        assert_non_null(st_run_add_timeline(r, scenarios[i], "t", "virtual"));
    return r;
}

static void test_union_shards(void **state)
{
    (void)state;
    const char *c1[] = {"TTL-2", "TTL-10"}, *c2[] = {"COM-1"}, *c3[] = {"TTL-2"};
    const char *s1[] = {"mx-ttl-expiry"}, *s2[] = {"mx-ttl-expiry", "null-mx"};
    struct st_run *a = shard(c1, 2, ST_CLASS_TTL, s1, 1);
    struct st_run *b = shard(c2, 1, ST_CLASS_UNKNOWN, s2, 2);
    struct st_run *c = shard(c3, 1, ST_CLASS_TTL, s1, 1);
    const struct st_run *ab[] = {b, a}, *ac[] = {a, c};
    struct st_run *m = NULL;
    char why[512];
    assert_int_equal(hn_report_union_runs(ab, 2, &m, why, sizeof why), HN_REPORT_OK);
    assert_int_equal(m->ntargets, 1);
    assert_string_equal(m->targets[0].target, "t");
    assert_int_equal(m->targets[0].nclauses, 3);
    /* clause order, whatever the shards' order: TTL-2, TTL-10, COM-1 */
    assert_string_equal(m->targets[0].clauses[0].clause, "TTL-2");
    assert_string_equal(m->targets[0].clauses[1].clause, "TTL-10");
    assert_string_equal(m->targets[0].clauses[2].clause, "COM-1");
    assert_int_equal(m->targets[0].clauses[1].verdict, ST_FAIL);
    assert_int_equal(m->targets[0].klass, ST_CLASS_TTL); /* unknown gave way */
    assert_int_equal(m->ntimelines, 2);                  /* mx-ttl-expiry once */
    st_run_free(m);
    assert_int_equal(hn_report_union_runs(ac, 2, &m, why, sizeof why), HN_REPORT_SCHEMA);
    assert_null(m);
    if (strstr(why, "clause TTL-2 of target t is in two shards") == NULL)
        fail_msg("why: got \"%s\", want the clause in two shards", why);
    st_run_free(a);
    st_run_free(b);
    st_run_free(c);
}

static void test_merge_dirs(void **state)
{
    (void)state;
    struct st_run *a = hn_test_run(0);
    struct st_run *b = hn_test_run(1);
    char *dir = hn_test_tmpdir();
    char pa[4096], pb[4096], pc[4200], out[4096], why[512];
    snprintf(pa, sizeof(pa), "%s/x/run", dir);
    snprintf(pb, sizeof(pb), "%s/y/run", dir);
    snprintf(out, sizeof(out), "%s/merged", dir);
    assert_int_equal(hn_report_write_dir(a, pa, HN_REPORT_FMT_JSON, why, sizeof(why)),
                     HN_REPORT_OK);
    assert_int_equal(hn_report_write_dir(b, pb, HN_REPORT_FMT_JSON, why, sizeof(why)),
                     HN_REPORT_OK);
    snprintf(pc, sizeof(pc), "%s/results.json", pb);
    const char *inputs[] = {pa, pc};
    enum hn_report_status st = hn_report_merge(inputs, 2, out, 0, why, sizeof(why));
    if (st != HN_REPORT_OK)
        fail_msg("merge: got %s (%s), want ok", hn_report_status_str(st), why);
    struct st_run *m = NULL;
    assert_int_equal(hn_report_load(out, &m, why, sizeof(why)), HN_REPORT_OK);
    assert_int_equal(m->ntargets, 4);
    assert_string_equal(m->targets[0].target, "run/model:ttl");
    assert_string_equal(m->targets[2].target, "run#2/model:ttl"); /* same label made unique */
    assert_int_equal(m->incomplete, 1);
    char p[4200];
    snprintf(p, sizeof(p), "%s/report.md", out);
    char *md = hn_test_slurp(p, NULL);
    assert_non_null(md);
    assert_non_null(strstr(md, "INCOMPLETE RUN"));
    assert_non_null(strstr(md, "| run#2/model:ttl |"));
    free(md);
    st_run_free(m);
    /* A broken input is named. */
    snprintf(p, sizeof(p), "%s/broken.json", dir);
    FILE *f = fopen(p, "w");
    fputs("{\"schema\": ", f);
    fclose(f);
    const char *bad[] = {pa, p};
    assert_int_equal(hn_report_merge(bad, 2, out, 0, why, sizeof(why)), HN_REPORT_SYNTAX);
    if (strstr(why, "broken.json:1:11: unexpected token near end of file") == NULL)
        fail_msg("why: got \"%s\", want broken.json:1:11: unexpected token...", why);
    hn_test_rmtree(dir);
    free(dir);
    st_run_free(a);
    st_run_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_write_dir),
        cmocka_unit_test(test_write_dir_errors),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_merge_runs),
        cmocka_unit_test(test_union_shards),
        cmocka_unit_test(test_merge_dirs),
    };
    return cmocka_run_group_tests_name("hn_report", tests, NULL, NULL);
}
