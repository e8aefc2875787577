/*
 * st_gen: the scenario generator of `mxttl explore`. From a seed and an index it writes one
 * scenario, as .scn text in the ordinary format (fixtures/README.md), drawn from the whole
 * scenario language: MX, A, AAAA and CNAME records and the special names (nxdomain, servfail,
 * timeout, malformed) on domains, exchangers, CNAME targets and the forward host, in any step;
 * TTLs from 0 through ordinary values to 2^31-1 and above; step switches and lookups before, at
 * and just after TTL boundaries and far beyond; case and trailing-dot spellings; capacity
 * pressure with varied access orders. The same seed, index and configuration always give the
 * same text.
 *
 * A scenario holds several independent cases (one per parent name cK.test, no names shared
 * between cases) played by one target instance at once, so that one fixture start serves many
 * cases; a capacity case is always alone (the capacity is the whole cache's). Every line of a
 * case names cK.test, which lets the shrinker cut a scenario down to one case first.
 */
#ifndef ST_GEN_H
#define ST_GEN_H

#include <stddef.h>
#include <stdint.h>

/* Real-time scenarios: TTLs of 0..4 s (and the huge values), times on a 0.5 s grid, at most
 * this long (seconds). */
#define ST_GEN_REAL_MAX_S 8

/* A COM-8 case: this many identical repeats and as many new variant spellings of a domain at
 * one instant, in a random order (12 + 12 can show a chance of 1/C(24,12) = 3.7e-7, below
 * SPEC.md's 10^-6 bound for COM-8 in TTL mode). */
#define ST_GEN_SPELL_REPEATS 12

struct st_gen_config {
    int real_time;    /* 1: second-scale TTLs and at most ST_GEN_REAL_MAX_S s of scenario */
    unsigned cases;   /* independent cases per scenario (1..64); capacity cases come alone */
};
void st_gen_config_init(struct st_gen_config *cfg);   /* virtual time, 32 cases */

/* Writes scenario `index` of `seed` as .scn text, named `name` (must match [a-z0-9-]+; the
 * caller saves it as name.scn). Returns the text (caller frees with free) or NULL on no
 * memory. The scenario lists every clause of SPEC.md. */
char *st_gen_scenario(uint64_t seed, uint64_t index, const struct st_gen_config *cfg,
                      const char *name);

/* One seed from the clock and the process id, for a run without --seed. */
uint64_t st_gen_fresh_seed(void);

#endif
