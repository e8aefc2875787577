/*
 * st_clause: the clause table, expanded from ST_CLAUSE_LIST in st_clause.h.
 */
#include "st_clause.h"

#include <string.h>

static const struct st_clause clauses[ST_CLAUSE_COUNT] = {
#define ST_CLAUSE_ROW(sym, id, level, spec, judge, rule, sentence)                            \
    {ST_CL_##sym, id, level, spec, rule, sentence},
    ST_CLAUSE_LIST(ST_CLAUSE_ROW)
#undef ST_CLAUSE_ROW
};

const char *st_spec_str(enum st_spec s)
{
    switch (s) {
    case ST_SPEC_LEGACY: return "legacy";
    case ST_SPEC_TTL: return "ttl";
    case ST_SPEC_BOTH: return "both";
    }
    return "unknown";
}

int st_spec_from_str(const char *s, enum st_spec *out)
{
    if (s && strcmp(s, "legacy") == 0) {
        *out = ST_SPEC_LEGACY;
        return 0;
    }
    if (s && strcmp(s, "ttl") == 0) {
        *out = ST_SPEC_TTL;
        return 0;
    }
    return -1;
}

const struct st_clause *st_clause_at(size_t i)
{
    return i < ST_CLAUSE_COUNT ? &clauses[i] : NULL;
}

const struct st_clause *st_clause_find(const char *id)
{
    for (size_t i = 0; id && i < ST_CLAUSE_COUNT; i++)
        if (strcmp(clauses[i].id, id) == 0)
            return &clauses[i];
    return NULL;
}

int st_clause_applies(const struct st_clause *c, enum st_spec judged)
{
    return c->spec == ST_SPEC_BOTH || c->spec == judged;
}
