/*
 * st_clause: the clause table of SPEC.md -- ID, level, which spec it belongs to, the judge that
 * decides it, the rule that judge checks, and its sentence -- generated from the one X-macro
 * list below. A CTest
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

/* X(symbol, id, level, spec, judge, rule, sentence): judge is the function that decides the
 * clause (st_judge_int.h; defined in the st_judge_*.c file of its family), rule what it checks
 * (the evidence of a verdict without violations), and sentence SPEC.md's, word for word (UTF-8:
 * TTL-8 has SPEC.md's minus sign U+2212). */
#define ST_CLAUSE_LIST(X)                                                                         \
    X(LEG1, "LEG-1", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                               \
      st_judge_leg1,                                                                              \
      "no DNS query at any lookup after the first route was resolved",                            \
      "Once a domain's route is resolved, every later lookup of it while it is cached is "        \
      "answered without DNS queries, regardless of TTL and elapsed time.")                        \
    X(LEG2, "LEG-2", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                               \
      st_judge_leg2,                                                                              \
      "every later lookup returns the route first resolved",                                      \
      "After the DNS data of a cached domain changes, lookups keep returning the route first "    \
      "resolved.")                                                                                \
    X(LEG3, "LEG-3", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                               \
      st_judge_leg3,                                                                              \
      "a second pass over the first C domains causes no DNS query",                               \
      "With C distinct domains looked up, all C are served again without DNS.")                   \
    X(LEG4, "LEG-4", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                               \
      st_judge_leg4,                                                                              \
      "once C+1 distinct domains were looked up, a repeat lookup needs DNS",                      \
      "After C+1 distinct domains have been looked up, at least one of them needs DNS again "     \
      "(the cache is bounded).")                                                                  \
    X(LEG5, "LEG-5", ST_LEVEL_INFO, ST_SPEC_LEGACY,                                               \
      st_judge_leg5,                                                                              \
      "reported: which repeat lookups needed DNS once the cache overflowed",                      \
      "Which domain is dropped first when the cache is full (the reference model drops the "      \
      "least recently used).")                                                                    \
    X(LEG6, "LEG-6", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                               \
      st_judge_leg6,                                                                              \
      "no DNS query at later lookups of an implicit-MX domain",                                   \
      "A route built from the implicit MX (no MX records, address fallback) is cached like "      \
      "any other route.")                                                                         \
    X(LEG7, "LEG-7", ST_LEVEL_MUST, ST_SPEC_LEGACY,                                               \
      st_judge_leg7,                                                                              \
      "no DNS query for the forward host after its first resolution, and its first address kept", \
      "The forward host is resolved once and never again, whatever its TTL.")                     \
    X(TTL1, "TTL-1", ST_LEVEL_SHOULD, ST_SPEC_TTL,                                                \
      st_judge_ttl1,                                                                              \
      "no DNS query at lookups within the route's TTL (SHOULD)",                                  \
      "Lookups made while the route's TTL has not run out are served without DNS (a target "      \
      "that queries every time is still TTL-safe).")                                              \
    X(TTL2, "TTL-2", ST_LEVEL_MUST, ST_SPEC_TTL,                                                  \
      st_judge_ttl2,                                                                              \
      "DNS queries at the first lookup at or after the route's TTL ran out",                      \
      "The first lookup at or after the route's TTL has run out queries DNS again.")              \
    X(TTL3, "TTL-3", ST_LEVEL_MUST, ST_SPEC_TTL,                                                  \
      st_judge_ttl3,                                                                              \
      "the route returned after the TTL ran out is what DNS said then",                           \
      "After such a new query the route returned reflects the DNS data in force at that "         \
      "time.")                                                                                    \
    X(TTL4, "TTL-4", ST_LEVEL_MUST, ST_SPEC_TTL,                                                  \
      st_judge_ttl4,                                                                              \
      "DNS queries at the first lookup after the shortest record TTL ran out",                    \
      "A route's lifetime is at most the minimum TTL of every record it was built from (the "     \
      "MX RRset and the exchangers' address records).")                                           \
    X(TTL5, "TTL-5", ST_LEVEL_MUST, ST_SPEC_TTL,                                                  \
      st_judge_ttl5,                                                                              \
      "DNS queries at every lookup of an implicit-MX domain",                                     \
      "A domain without MX records whose route comes from the implicit MX (NODATA, address "      \
      "fallback) is never cached: every lookup queries DNS.")                                     \
    X(TTL6, "TTL-6", ST_LEVEL_MUST, ST_SPEC_TTL,                                                  \
      st_judge_ttl6,                                                                              \
      "DNS queries at every lookup of an NXDOMAIN domain",                                        \
      "A domain that does not exist (NXDOMAIN, no SOA in the answer) is never cached: every "     \
      "lookup queries DNS.")                                                                      \
    X(TTL7, "TTL-7", ST_LEVEL_MUST, ST_SPEC_TTL,                                                  \
      st_judge_ttl7,                                                                              \
      "DNS queries at every lookup of a route with a TTL-0 record",                               \
      "A route with a TTL of 0 on any record it was built from is not reused.")                   \
    X(TTL8, "TTL-8", ST_LEVEL_MUST, ST_SPEC_TTL,                                                  \
      st_judge_ttl8,                                                                              \
      "DNS queries at every lookup of a route with a TTL above 2^31-1",                           \
      "A TTL above 2^31−1 is treated as 0 (RFC 2181 section 8).")                                 \
    X(TTL9, "TTL-9", ST_LEVEL_MUST, ST_SPEC_TTL,                                                  \
      st_judge_ttl9,                                                                              \
      "once C+1 distinct domains were looked up, a repeat lookup needs DNS",                      \
      "The cache stays bounded: after C+1 distinct domains at least one needs DNS again (N/A "    \
      "without a declared capacity).")                                                            \
    X(TTL10, "TTL-10", ST_LEVEL_MUST, ST_SPEC_TTL,                                                \
      st_judge_ttl10,                                                                             \
      "DNS queries for the forward host at its first use after its TTL, and the new address "     \
      "returned",                                                                                 \
      "The forward host is resolved again at the first use at or after its address TTL has "      \
      "run out, and the new address is used.")                                                    \
    X(TTL11, "TTL-11", ST_LEVEL_SHOULD, ST_SPEC_TTL,                                              \
      st_judge_ttl11,                                                                             \
      "no DNS query for the forward host within its TTL (SHOULD)",                                \
      "Within its address TTL, the forward host is reused without DNS.")                          \
    X(COM1, "COM-1", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                 \
      st_judge_com1,                                                                              \
      "the route lists the exchangers by preference, lowest first",                               \
      "Exchangers are ordered by MX preference, lowest first.")                                   \
    X(COM2, "COM-2", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                 \
      st_judge_com2,                                                                              \
      "the route is the domain itself at its address",                                            \
      "A domain with no MX records but an address record gets the implicit MX: a route to the "   \
      "domain itself at that address.")                                                           \
    X(COM3, "COM-3", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                 \
      st_judge_com3,                                                                              \
      "no route, and no address query for \".\"",                                                 \
      "A null MX (RFC 7505: a single MX with preference 0 and exchanger \".\") means no "         \
      "route.")                                                                                   \
    X(COM4, "COM-4", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                 \
      st_judge_com4,                                                                              \
      "no route (not a temporary failure)",                                                       \
      "A domain that does not exist (NXDOMAIN) has no route.")                                    \
    X(COM5, "COM-5", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                 \
      st_judge_com5,                                                                              \
      "a temporary failure, and DNS queries at the next lookup",                                  \
      "A SERVFAIL answer is a temporary failure and is never cached: the next lookup queries "    \
      "DNS again.")                                                                               \
    X(COM6, "COM-6", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                 \
      st_judge_com6,                                                                              \
      "a temporary failure, and DNS queries at the next lookup",                                  \
      "No answer at all (timeout) is a temporary failure and is never cached.")                   \
    X(COM7, "COM-7", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                 \
      st_judge_com7,                                                                              \
      "a temporary failure, and DNS queries at the next lookup",                                  \
      "A malformed answer is a temporary failure, never a route, and is never cached.")           \
    X(COM8, "COM-8", ST_LEVEL_MUST, ST_SPEC_BOTH,                                                 \
      st_judge_com8,                                                                              \
      "legacy: no more DNS queries than the identical spelling before, at the same time; ttl: "   \
      "new spellings ask DNS no more often than identical repeats at the same times",             \
      "Domain keys are case-insensitive and a trailing dot does not make a second entry: a "      \
      "lookup differing only in case or a trailing dot causes no more DNS queries than an "       \
      "identical repeat would.")                                                                  \
    X(COM9, "COM-9", ST_LEVEL_INFO, ST_SPEC_BOTH,                                                 \
      st_judge_com9,                                                                              \
      "reported: the DNS queries of each lookup",                                                 \
      "The DNS queries each lookup causes (types and order: MX, A, AAAA), reported per "          \
      "lookup.")                                                                                  \
    X(COM10, "COM-10", ST_LEVEL_MUST, ST_SPEC_BOTH,                                               \
      st_judge_com10,                                                                             \
      "over at least 21 lookups, the exchanger tried first among the most preferred is not "      \
      "always the same",                                                                          \
      "Exchangers of equal preference are tried in an order that varies from lookup to lookup, "  \
      "so that the load spreads over them.")                                                      \
    X(COM11, "COM-11", ST_LEVEL_INFO, ST_SPEC_BOTH,                                               \
      st_judge_com11,                                                                             \
      "reported: which address of each exchanger is tried first, per lookup",                     \
      "How lookups spread over the addresses of an exchanger that has several, reported per "     \
      "exchanger.")                                                                               \
    X(COM12, "COM-12", ST_LEVEL_MUST, ST_SPEC_BOTH,                                               \
      st_judge_com12,                                                                             \
      "DNS queries for the forward host at the use after a failed resolution",                    \
      "A forward host whose resolution failed (temporary failure, NXDOMAIN or no address) is "    \
      "resolved again at its next use.")

enum st_clause_sym {
#define ST_CLAUSE_ENUM(sym, id, level, spec, judge, rule, sentence) ST_CL_##sym,
    ST_CLAUSE_LIST(ST_CLAUSE_ENUM)
#undef ST_CLAUSE_ENUM
    ST_CLAUSE_COUNT
};

struct st_clause {
    enum st_clause_sym sym;
    const char *id;         /* "TTL-2" */
    enum st_level level;
    enum st_spec spec;
    const char *rule;       /* what its judge checks, one line */
    const char *sentence;
};

/* The i-th clause in SPEC.md order (i < ST_CLAUSE_COUNT), or NULL. Static; never freed. */
const struct st_clause *st_clause_at(size_t i);
/* The clause with this ID (exact, e.g. "COM-8"), or NULL. Static. */
const struct st_clause *st_clause_find(const char *id);
/* Whether a target judged against `judged` (legacy or ttl) is judged on clause c. */
int st_clause_applies(const struct st_clause *c, enum st_spec judged);

#endif
