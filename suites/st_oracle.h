/*
 * st_oracle: what DNS says, worked out by SPEC.md's rules straight from a scenario's records --
 * the suites' own oracle, written apart from the reference model so that a mistake in the
 * model's route or TTL rules cannot become the judges' expectation. For a mail domain: the MX
 * RRset (following CNAMEs), a null MX (RFC 7505), the implicit MX (RFC 5321 §5.1), the
 * exchangers' A records in preference order, and the route TTL (the minimum over every record
 * used, a TTL above 2^31-1 counting as 0: RFC 2181 §5.2, §8). For the forward host: its A
 * records. servfail/timeout/malformed names are what the fixture makes of them
 * (fixtures/README.md 2.1). Internal to the suites; st_oracle_check_model is also the test
 * entry point for generated scenarios.
 */
#ifndef ST_ORACLE_H
#define ST_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include "fx_scenario.h"
#include "rc_status.h"

struct st_oracle;

/* Reads every step's records of sc (borrowed; must outlive the oracle). 0, or -1 with *why
 * (a record line that does not parse, or no memory). Caller frees with st_oracle_free. */
int st_oracle_new(struct st_oracle **out, const struct fx_scenario *sc, char *why,
                  size_t whylen);
void st_oracle_free(struct st_oracle *o);   /* NULL is fine */

/* What DNS says for one name in one step. */
struct st_oracle_answer {
    enum rc_status status;  /* RC_OK, RC_NXDOMAIN, RC_NULLMX, RC_NOADDR (no route), RC_RETRY */
    int implicit;           /* RC_OK from the implicit MX */
    uint32_t ttl;           /* RC_OK: the route TTL, TTLs above 2^31-1 counted as 0 */
    char *text;             /* RC_OK: "PREF NAME ADDR,...; ..." by (preference, name); owned */
    char **names;           /* every name whose queries belong to this lookup; owned */
    size_t nnames;
    char why[200];          /* what decided a status other than RC_OK */
};

/* Resolves domain's mail route (forward = 0) or the forward host's address (forward = 1) in
 * step `step` into *ans (zeroed by the caller). 0, or -1 on no memory. Free the contents with
 * st_oracle_answer_clear. */
int st_oracle_resolve(const struct st_oracle *o, size_t step, const char *name, int forward,
                      struct st_oracle_answer *ans);
void st_oracle_answer_clear(struct st_oracle_answer *ans);

/* Whether the reference model (its stub resolver and rc_lookup_route/rc_lookup_host, no cache)
 * and the oracle agree -- status, route, TTL, implicit flag -- for every step and every domain
 * and forward host the script of sc names. 0 they agree; 1 they differ (*why names the step,
 * name and both answers); -1 an error (*why). */
int st_oracle_check_model(const struct fx_scenario *sc, char *why, size_t whylen);

#endif
