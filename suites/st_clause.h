/*
 * st_clause: the clause table of SPEC.md -- ID, level, which spec it belongs to, the judge that
 * decides it, and its sentence -- generated from the one X-macro list below. A CTest
 * (suites/tests/test_st_clause.c) compares this table with SPEC.md's clause lines so that the
 * two cannot drift apart; change both together.
 */
#ifndef ST_CLAUSE_H
#define ST_CLAUSE_H

#include <stddef.h>
#include "st_result.h"

/* Which spec a clause belongs to: LEG-n legacy, TTL-n ttl, COM-n both. */
enum st_spec { ST_SPEC_LEGACY, ST_SPEC_TTL, ST_SPEC_BOTH };
const char *st_spec_str(enum st_spec s);                  /* "legacy", "ttl", "both"; static */
/* "legacy" or "ttl" (not "both": a target is judged against one spec). 0 ok, -1 unknown. */
int st_spec_from_str(const char *s, enum st_spec *out);

/* X(symbol, id, level, spec, sentence) -- sentences are SPEC.md's, word for word (UTF-8: TTL-8
 * has SPEC.md's minus sign U+2212). */
#define ST_CLAUSE_LIST(X)                                                                       \
    X(LEG1, "LEG-1", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                              \
      "Once a domain's route is resolved, every later lookup of it while it is cached is "      \
      "answered without DNS queries, regardless of TTL and elapsed time.")                      \
    X(LEG2, "LEG-2", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                              \
      "After the DNS data of a cached domain changes, lookups keep returning the route first "  \
      "resolved.")                                                                               \
    X(LEG3, "LEG-3", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                              \
      "With C distinct domains looked up, all C are served again without DNS.")                 \
    X(LEG4, "LEG-4", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                              \
      "After C+1 distinct domains have been looked up, at least one of them needs DNS again "   \
      "(the cache is bounded).")                                                                 \
    X(LEG5, "LEG-5", ST_LEVEL_INFO, ST_SPEC_LEGACY,                                              \
      "Which domain is dropped first when the cache is full (the reference model drops the "    \
      "least recently used).")                                                                   \
    X(LEG6, "LEG-6", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                              \
      "A route built from the implicit MX (no MX records, address fallback) is cached like "    \
      "any other route.")                                                                        \
    X(LEG7, "LEG-7", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                              \
      "The forward host is resolved once and never again, whatever its TTL.")                  \
    X(TTL1, "TTL-1", ST_LEVEL_SHOULD, ST_SPEC_TTL,                                               \
      "Lookups made while the route's TTL has not run out are served without DNS (a target "    \
      "that queries every time is still TTL-safe).")                                             \
    X(TTL2, "TTL-2", ST_LEVEL_MUST, ST_SPEC_TTL,                                                 \
      "The first lookup at or after the route's TTL has run out queries DNS again.")            \
    X(TTL3, "TTL-3", ST_LEVEL_MUST, ST_SPEC_TTL,                                                 \
      "After such a new query the route returned reflects the DNS data in force at that "       \
      "time.")                                                                                   \
    X(TTL4, "TTL-4", ST_LEVEL_MUST, ST_SPEC_TTL,                                                 \
      "A route's lifetime is at most the minimum TTL of every record it was built from (the "   \
      "MX RRset and the exchangers' address records).")                                          \
    X(TTL5, "TTL-5", ST_LEVEL_MUST, ST_SPEC_TTL,                                                 \
      "A domain without MX records whose route comes from the implicit MX (NODATA, address "    \
      "fallback) is never cached: every lookup queries DNS.")                                   \
    X(TTL6, "TTL-6", ST_LEVEL_MUST, ST_SPEC_TTL,                                                 \
      "A domain that does not exist (NXDOMAIN, no SOA in the answer) is never cached: every "   \
      "lookup queries DNS.")                                                                     \
    X(TTL7, "TTL-7", ST_LEVEL_MUST, ST_SPEC_TTL,                                                 \
      "A route with a TTL of 0 on any record it was built from is not reused.")                 \
    X(TTL8, "TTL-8", ST_LEVEL_MUST, ST_SPEC_TTL,                                                 \
      "A TTL above 2^31−1 is treated as 0 (RFC 2181 section 8).")                               \
    X(TTL9, "TTL-9", ST_LEVEL_MUST, ST_SPEC_TTL,                                                 \
      "The cache stays bounded: after C+1 distinct domains at least one needs DNS again (N/A "  \
      "without a declared capacity).")                                                           \
    X(TTL10, "TTL-10", ST_LEVEL_MUST, ST_SPEC_TTL,                                               \
      "The forward host is resolved again at the first use at or after its address TTL has "    \
      "run out, and the new address is used.")                                                  \
    X(TTL11, "TTL-11", ST_LEVEL_SHOULD, ST_SPEC_TTL,                                             \
      "Within its address TTL, the forward host is reused without DNS.")                        \
    X(COM1, "COM-1", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                \
      "Exchangers are ordered by MX preference, lowest first.")                                 \
    X(COM2, "COM-2", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                \
      "A domain with no MX records but an address record gets the implicit MX: a route to the " \
      "domain itself at that address.")                                                          \
    X(COM3, "COM-3", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                \
      "A null MX (RFC 7505: a single MX with preference 0 and exchanger \".\") means no "       \
      "route.")                                                                                  \
    X(COM4, "COM-4", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                \
      "A domain that does not exist (NXDOMAIN) has no route.")                                  \
    X(COM5, "COM-5", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                \
      "A SERVFAIL answer is a temporary failure and is never cached: the next lookup queries "  \
      "DNS again.")                                                                              \
    X(COM6, "COM-6", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                \
      "No answer at all (timeout) is a temporary failure and is never cached.")                 \
    X(COM7, "COM-7", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                \
      "A malformed answer is a temporary failure, never a route, and is never cached.")         \
    X(COM8, "COM-8", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                \
      "Domain keys are case-insensitive and a trailing dot does not make a second entry: a "    \
      "lookup differing only in case or a trailing dot causes no more DNS queries than an "     \
      "identical repeat would.")                                                                 \
    X(COM9, "COM-9", ST_LEVEL_INFO, ST_SPEC_BOTH,                                                \
      "The DNS queries each lookup causes (types and order: MX, A, AAAA), reported per "        \
      "lookup.")

enum st_clause_sym {
#define ST_CLAUSE_ENUM(sym, id, level, spec, sentence) ST_CL_##sym,
    ST_CLAUSE_LIST(ST_CLAUSE_ENUM)
#undef ST_CLAUSE_ENUM
    ST_CLAUSE_COUNT
};

struct st_clause {
    enum st_clause_sym sym;
    const char *id;         /* "TTL-2" */
    enum st_level level;
    enum st_spec spec;
    const char *sentence;
};

/* The i-th clause in SPEC.md order (i < ST_CLAUSE_COUNT), or NULL. Static; never freed. */
const struct st_clause *st_clause_at(size_t i);
/* The clause with this ID (exact, e.g. "COM-8"), or NULL. Static. */
const struct st_clause *st_clause_find(const char *id);
/* Whether a target judged against `judged` (legacy or ttl) is judged on clause c. */
int st_clause_applies(const struct st_clause *c, enum st_spec judged);

#endif
