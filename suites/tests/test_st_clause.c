/*
 * test_st_clause: the clause table in C (suites/st_clause.h) against SPEC.md's clause lines --
 * the table rows "| ID | LEVEL | sentence | ..." -- so that the two cannot drift apart: the same
 * IDs in the same order, the same levels, the same sentences byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_clause.h"

struct spec_clause {
    char id[16], level[16], sentence[1024];
};

/* Reads SPEC.md's clause rows. Returns the count (at most cap). */
static size_t read_spec(const char *path, struct spec_clause *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    regex_t re;
    assert_int_equal(regcomp(&re,
                             "^\\| *((LEG|TTL|COM)-[0-9]+) *\\| *(MUST|SHOULD|INFO) *\\| *"
                             "([^|]*[^| ]) *\\|",
                             REG_EXTENDED),
                     0);
    char line[4096];
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        regmatch_t m[5];
        if (regexec(&re, line, 5, m, 0) != 0)
            continue;
        if (n == cap)
            fail_msg("more than %zu clause rows in %s", cap, path);
        snprintf(out[n].id, sizeof out[n].id, "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
                 line + m[1].rm_so);
        snprintf(out[n].level, sizeof out[n].level, "%.*s", (int)(m[3].rm_eo - m[3].rm_so),
                 line + m[3].rm_so);
        snprintf(out[n].sentence, sizeof out[n].sentence, "%.*s",
                 (int)(m[4].rm_eo - m[4].rm_so), line + m[4].rm_so);
        n++;
    }
    regfree(&re);
    fclose(f);
    return n;
}

static void table_matches_spec(void **state)
{
    (void)state;
    static struct spec_clause sc[128];
    size_t n = read_spec(MXTTL_SPEC, sc, 128);
    if (n != ST_CLAUSE_COUNT)
        fail_msg("SPEC.md clause rows: got %zu, want %d (the C table)", n, ST_CLAUSE_COUNT);
    for (size_t i = 0; i < n; i++) {
        const struct st_clause *c = st_clause_at(i);
        if (strcmp(c->id, sc[i].id) != 0)
            fail_msg("clause #%zu: got %s in SPEC.md, want %s (C table order)", i + 1, sc[i].id,
                     c->id);
        if (strcmp(st_level_str(c->level), sc[i].level) != 0)
            fail_msg("%s level: got %s in SPEC.md, want %s", c->id, sc[i].level,
                     st_level_str(c->level));
        if (strcmp(c->sentence, sc[i].sentence) != 0)
            fail_msg("%s sentence:\n got  \"%s\" (SPEC.md)\n want \"%s\" (C table)", c->id,
                     sc[i].sentence, c->sentence);
    }
}

static void lookup_and_specs(void **state)
{
    (void)state;
    const struct st_clause *c = st_clause_find("TTL-10");
    assert_non_null(c);
    assert_int_equal(c->level, ST_LEVEL_MUST);
    assert_int_equal(c->spec, ST_SPEC_TTL);
    assert_null(st_clause_find("TTL-1 "));
    assert_null(st_clause_find("ttl-1"));
    assert_null(st_clause_at(ST_CLAUSE_COUNT));
    const struct st_clause *com = st_clause_find("COM-3");
    assert_true(st_clause_applies(com, ST_SPEC_LEGACY));
    assert_true(st_clause_applies(com, ST_SPEC_TTL));
    assert_false(st_clause_applies(st_clause_find("LEG-1"), ST_SPEC_TTL));
    assert_false(st_clause_applies(st_clause_find("TTL-2"), ST_SPEC_LEGACY));
    enum st_spec s;
    assert_int_equal(st_spec_from_str("legacy", &s), 0);
    assert_int_equal(s, ST_SPEC_LEGACY);
    assert_int_equal(st_spec_from_str("both", &s), -1);
    assert_string_equal(st_spec_str(ST_SPEC_TTL), "ttl");
    /* every ID is unique and prefixed by its spec */
    for (size_t i = 0; i < ST_CLAUSE_COUNT; i++) {
        const struct st_clause *a = st_clause_at(i);
        const char *want = a->spec == ST_SPEC_LEGACY ? "LEG-" : a->spec == ST_SPEC_TTL ? "TTL-"
                                                                                       : "COM-";
        if (strncmp(a->id, want, 4) != 0)
            fail_msg("%s: got prefix %.4s, want %s", a->id, a->id, want);
        for (size_t j = i + 1; j < ST_CLAUSE_COUNT; j++)
            assert_string_not_equal(a->id, st_clause_at(j)->id);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_matches_spec),
        cmocka_unit_test(lookup_and_specs),
    };
    return cmocka_run_group_tests_name("st_clause", tests, NULL, NULL);
}
