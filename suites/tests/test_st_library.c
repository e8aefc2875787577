/*
 * test_st_library: the scenario library as a whole -- it loads, every clause of the table is
 * covered by some scenario, every action keeps 0.5 s from every step switch (so real-time runs
 * judge robustly), the committed capacity scenario is exactly what gen-capacity.sh writes, and
 * broken libraries are refused with the file named. Hermetic (no dnsmasq).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "st_suite.h"

static void every_clause_covered(void **state)
{
    (void)state;
    struct st_library *lib = NULL;
    char why[512] = "";
    enum st_status st = st_library_load(&lib, MXTTL_SCENARIOS, why, sizeof why);
    if (st != ST_OK)
        fail_msg("loading %s: got %s (%s), want ok", MXTTL_SCENARIOS, st_status_str(st), why);
    assert_true(st_library_count(lib) >= 14);
    for (size_t c = 0; c < ST_CLAUSE_COUNT; c++) {
        const char *id = st_clause_at(c)->id;
        size_t n = 0;
        for (size_t i = 0; i < st_library_count(lib); i++)
            n += (size_t)st_scenario_covers(st_library_at(lib, i), id);
        if (n == 0)
            fail_msg("%s: got no scenario covering it, want at least one", id);
    }
    assert_non_null(st_library_find(lib, "capacity-1001"));
    assert_null(st_library_find(lib, "no-such-scenario"));
    st_library_free(lib);
}

static void actions_keep_margin_from_steps(void **state)
{
    (void)state;
    struct st_library *lib = NULL;
    char why[512] = "";
    assert_int_equal(st_library_load(&lib, MXTTL_SCENARIOS, why, sizeof why), ST_OK);
    for (size_t i = 0; i < st_library_count(lib); i++) {
        const struct fx_scenario *sc = st_library_at(lib, i);
        for (size_t a = 0; a < fx_scenario_action_count(sc); a++) {
            const struct fx_action *act = fx_scenario_action(sc, a);
            for (size_t s = 1; s < fx_scenario_step_count(sc); s++) {
                uint64_t ts = fx_scenario_step_time(sc, s);
                uint64_t d = act->t_ms > ts ? act->t_ms - ts : ts - act->t_ms;
                if (d < 500)
                    fail_msg("%s line %d: action at %llu ms is %llu ms from step %zu, want >= "
                             "500 ms", fx_scenario_name(sc), act->line,
                             (unsigned long long)act->t_ms, (unsigned long long)d, s);
            }
        }
    }
    st_library_free(lib);
}

static void capacity_file_is_generated(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh '%s/gen-capacity.sh'", MXTTL_SCENARIOS);
    FILE *gen = popen(cmd, "r");
    assert_non_null(gen);
    char path[1024];
    snprintf(path, sizeof path, "%s/capacity-1001.scn", MXTTL_SCENARIOS);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char a[512], b[512];
    int line = 0;
    for (;;) {
        char *x = fgets(a, sizeof a, gen), *y = fgets(b, sizeof b, f);
        line++;
        if (!x && !y)
            break;
        if (!x || !y || strcmp(a, b) != 0)
            fail_msg("capacity-1001.scn line %d: got \"%s\", want gen-capacity.sh's \"%s\"",
                     line, y ? y : "(end)", x ? x : "(end)");
    }
    assert_int_equal(pclose(gen), 0);
    fclose(f);
}

static int rm_entry(const char *p, const struct stat *sb, int fl, struct FTW *ftw)
{
    (void)sb;
    (void)fl;
    (void)ftw;
    return remove(p);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void broken_libraries_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_st_library-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct st_library *lib = NULL;
    char why[512] = "";
    assert_int_equal(st_library_load(&lib, dir, why, sizeof why), ST_SCENARIO);
    assert_non_null(strstr(why, "no scenario files"));
    assert_null(lib);

    write_file(dir, "bad-clause.scn",
               "scenario bad-clause\ndescription x\nclauses ABC-1\nstep 0\n"
               "a.bad-clause.test. 5 IN A 127.0.0.1\nlookup 0 a.bad-clause.test\n");
    assert_int_equal(st_library_load(&lib, dir, why, sizeof why), ST_SCENARIO);
    if (!strstr(why, "unknown clause ABC-1") || !strstr(why, "bad-clause.scn"))
        fail_msg("got \"%s\", want the file and \"unknown clause ABC-1\"", why);
    write_file(dir, "bad-clause.scn",
               "scenario bad-clause\ndescription x\nclauses TTL-2\nstep 0\n"
               "a.bad-clause.test. IN A\nlookup 0 a.bad-clause.test\n");
    assert_int_equal(st_library_load(&lib, dir, why, sizeof why), ST_SCENARIO);
    if (!strstr(why, "bad-clause.scn:5"))
        fail_msg("got \"%s\", want it to name bad-clause.scn:5", why);
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_clause_covered),
        cmocka_unit_test(actions_keep_margin_from_steps),
        cmocka_unit_test(capacity_file_is_generated),
        cmocka_unit_test(broken_libraries_refused),
    };
    return cmocka_run_group_tests_name("st_library", tests, NULL, NULL);
}
