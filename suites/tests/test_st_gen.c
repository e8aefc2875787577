/*
 * test_st_gen: the scenario generator. Every generated scenario (several seeds, virtual and
 * real time, 1 to 64 cases) is accepted by the parser and lint that `mxttl fixture check` uses
 * and names only clauses of SPEC.md; the same (seed, index) gives the same text; the scenarios
 * reach every part of the scenario language the generator claims (st_gen.h); real-time ones
 * stay within ST_GEN_REAL_MAX_S and second-scale TTLs. Hermetic: nothing is played.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fx_scenario.h"
#include "st_clause.h"
#include "st_gen.h"

/* Parses scenario (seed, i) and checks it; returns the text (caller frees). */
static char *gen_checked(uint64_t seed, uint64_t i, const struct st_gen_config *cfg,
                         struct fx_scenario **out)
{
    char name[64], fname[80], why[512] = "";
    snprintf(name, sizeof name, "gen-%llu", (unsigned long long)i);
    snprintf(fname, sizeof fname, "%s.scn", name);
    char *text = st_gen_scenario(seed, i, cfg, name);
    assert_non_null(text);
    struct fx_scenario *sc = NULL;
    enum fx_status st = fx_scenario_parse(&sc, text, strlen(text), fname, why, sizeof why);
    if (st != FX_OK)
        fail_msg("seed %llu scenario %llu: got %s (%s), want ok; text:\n%s",
                 (unsigned long long)seed, (unsigned long long)i, fx_status_str(st), why, text);
    for (size_t c = 0; c < fx_scenario_clause_count(sc); c++)
        if (!st_clause_find(fx_scenario_clause(sc, c)))
            fail_msg("scenario %llu names clause %s, not in SPEC.md", (unsigned long long)i,
                     fx_scenario_clause(sc, c));
    if (out)
        *out = sc;
    else
        fx_scenario_free(sc);
    return text;
}

static void test_valid_everywhere(void **state)
{
    (void)state;
    static const unsigned cases[] = {1, 8, 64};
    for (uint64_t seed = 1; seed <= 4; seed++)
        for (int real = 0; real <= 1; real++)
            for (size_t k = 0; k < 3; k++) {
                struct st_gen_config cfg;
                st_gen_config_init(&cfg);
                cfg.real_time = real;
                cfg.cases = cases[k];
                unsigned n = cases[k] == 64 ? 40 : 250;
                for (uint64_t i = 0; i < n; i++) {
                    struct fx_scenario *sc = NULL;
                    free(gen_checked(seed * 7919, i, &cfg, &sc));
                    if (real && fx_scenario_end(sc) > (uint64_t)ST_GEN_REAL_MAX_S * 1000)
                        fail_msg("real-time scenario %llu ends at %llu ms, want <= %u s",
                                 (unsigned long long)i,
                                 (unsigned long long)fx_scenario_end(sc), ST_GEN_REAL_MAX_S);
                    fx_scenario_free(sc);
                }
            }
}

static void test_same_seed_same_text(void **state)
{
    (void)state;
    struct st_gen_config cfg;
    st_gen_config_init(&cfg);
    for (uint64_t i = 0; i < 50; i++) {
        char *a = st_gen_scenario(42, i, &cfg, "x");
        char *b = st_gen_scenario(42, i, &cfg, "x");
        char *c = st_gen_scenario(42, i + 1, &cfg, "x");
        char *d = st_gen_scenario(43, i, &cfg, "x");
        assert_non_null(a);
        assert_non_null(b);
        assert_non_null(c);
        assert_non_null(d);
        assert_string_equal(a, b);
        assert_string_not_equal(a, c);
        assert_string_not_equal(a, d);
        free(a);
        free(b);
        free(c);
        free(d);
    }
}

/* Each part of the language, as a piece of text some scenario must contain. */
static void test_reaches_the_language(void **state)
{
    (void)state;
    static const char *const want[] = {
        " IN MX 0 .\n",            /* null MX */
        " IN MX 65535 ",           /* the largest preference */
        " IN CNAME alias.",        /* domain CNAME */
        " IN CNAME h.",            /* exchanger CNAME */
        " IN CNAME fwd.",          /* forward host CNAME */
        " IN AAAA ",
        "\nservfail d",            /* on domains */
        "\nservfail mx",           /* on exchangers */
        "\nservfail relay.",       /* on the forward host */
        "\ntimeout d", "\ntimeout mx", "\nmalformed d", "\nmalformed mx", "\nnxdomain d",
        "\nnxdomain mx", "\nnxdomain relay.",
        ". 0 IN ",                 /* TTL 0 */
        ". 2147483647 IN ",        /* 2^31-1 */
        ". 2147483648 IN ",        /* 2^31 */
        ". 4294967295 IN MX ",     /* 2^32-1 */
        "\ncapacity ", "\nforward relay.c0.test\n", "\nforward-lookup ",
        "\nlookup 3000000000 ",    /* far beyond any TTL */
        "\nstep 0\n", "\nstep 1",  /* a step switch */
        ".test.\n",                /* a lookup with a trailing dot */
        ".TEST",                   /* upper case */
    };
    size_t n = sizeof want / sizeof want[0];
    int *seen = calloc(n, sizeof *seen);
    assert_non_null(seen);
    struct st_gen_config cfg;
    st_gen_config_init(&cfg);
    for (uint64_t i = 0; i < 1500; i++) {
        char *t = gen_checked(1, i, &cfg, NULL);
        for (size_t k = 0; k < n; k++)
            seen[k] |= strstr(t, want[k]) != NULL;
        free(t);
    }
    for (size_t k = 0; k < n; k++)
        if (!seen[k])
            fail_msg("no scenario of 1500 contains \"%s\"", want[k]);
    free(seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_everywhere),
        cmocka_unit_test(test_same_seed_same_text),
        cmocka_unit_test(test_reaches_the_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
