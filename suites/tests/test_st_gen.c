/*
 * test_st_gen: the scenario generator. Every generated scenario (several seeds, virtual and
 * real time, 1 to 64 cases) is accepted by the parser and lint that `mxttl fixture check` uses
 * and names only clauses of SPEC.md; the same (seed, index) gives the same text; the scenarios
 * reach every part of the scenario language the generator claims (st_gen.h); real-time ones
 * stay within ST_GEN_REAL_MAX_S and second-scale TTLs; COM-8 bursts (12 repeats and 12 new
 * spellings at one instant) come often enough. Hermetic: nothing is played.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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


/* Whether two spellings name one domain (case and a trailing dot aside). */
static int same_domain(const char *x, const char *y)
{
    size_t lx = strlen(x), ly = strlen(y);
    lx -= lx && x[lx - 1] == '.';
    ly -= ly && y[ly - 1] == '.';
    return lx == ly && strncasecmp(x, y, lx) == 0;
}

/* Instants of scenario sc where a domain is looked up, after its first lookup there, at
 * least ST_GEN_SPELL_REPEATS times in its first spelling and in as many spellings never used
 * before in the scenario -- what COM-8 needs in TTL mode (SPEC.md). */
static size_t spelling_bursts(const struct fx_scenario *sc)
{
    size_t n = fx_scenario_action_count(sc), found = 0;
    for (size_t i = 0; i < n; i++) {
        const struct fx_action *a = fx_scenario_action(sc, i);
        if (a->kind != FX_ACT_LOOKUP)
            continue;
        int opens = 1;   /* the first lookup of its domain at its time */
        const char *first = NULL;
        for (size_t j = 0; j < i && opens; j++) {
            const struct fx_action *b = fx_scenario_action(sc, j);
            if (b->kind == FX_ACT_LOOKUP && same_domain(a->domain, b->domain))
                opens = b->t_ms != a->t_ms;
        }
        for (size_t j = 0; j <= i && !first; j++) {
            const struct fx_action *b = fx_scenario_action(sc, j);
            if (b->kind == FX_ACT_LOOKUP && same_domain(a->domain, b->domain))
                first = b->domain;
        }
        if (!opens)
            continue;
        size_t same = 0, fresh = 0;
        /* the generator writes lookups in time order */
        for (size_t j = i + 1; j < n && fx_scenario_action(sc, j)->t_ms == a->t_ms; j++) {
            const struct fx_action *b = fx_scenario_action(sc, j);
            if (b->kind != FX_ACT_LOOKUP || !same_domain(a->domain, b->domain) ||
                b->t_ms != a->t_ms)
                continue;
            int seen = 0;
            for (size_t k = 0; k < j && !seen; k++) {
                const struct fx_action *c = fx_scenario_action(sc, k);
                seen = c->kind == FX_ACT_LOOKUP && strcmp(c->domain, b->domain) == 0;
            }
            same += strcmp(b->domain, first) == 0;
            fresh += !seen;
        }
        found += same >= ST_GEN_SPELL_REPEATS && fresh >= ST_GEN_SPELL_REPEATS;
    }
    return found;
}

/* COM-8 cases that can reach its TTL-mode bound come often enough for explore to find a
 * case-sensitive cache within its default count: in virtual and in real time. */
static void test_spelling_bursts(void **state)
{
    (void)state;
    struct st_gen_config cfg;
    st_gen_config_init(&cfg);
    for (int real = 0; real < 2; real++) {
        cfg.real_time = real;
        cfg.cases = real ? 4 : 32;
        size_t bursts = 0, with = 0, count = real ? 100 : 20;
        for (uint64_t i = 0; i < count; i++) {
            struct fx_scenario *sc = NULL;
            free(gen_checked(3, i, &cfg, &sc));
            size_t b = spelling_bursts(sc);
            bursts += b;
            with += b > 0;
            fx_scenario_free(sc);
        }
        print_message("%s time: %zu of %zu scenarios hold a COM-8 burst (%zu bursts)\n",
                      real ? "real" : "virtual", with, count, bursts);
        if (with < count / (real ? 10 : 2))
            fail_msg("%s time: %zu of %zu scenarios hold a COM-8 burst (%zu bursts), want at "
                     "least %s", real ? "real" : "virtual", with, count, bursts,
                     real ? "a tenth" : "half");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_everywhere),
        cmocka_unit_test(test_same_seed_same_text),
        cmocka_unit_test(test_reaches_the_language),
        cmocka_unit_test(test_spelling_bursts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
