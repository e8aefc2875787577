/*
 * fuzz_fx_scenario: libFuzzer target for the scenario-file parser (fx_scenario_parse). The
 * input is the file's bytes. A parse that succeeds is walked through every accessor, so that
 * what the parser accepted is also safe to use: the step zones, each lookup domain's kind in
 * every step, and the step search at each action time.
 *
 * What must hold: no crash, leak or sanitizer report; a failed parse yields no object and a
 * non-empty reason; a successful one satisfies the documented invariants (step 0 at time 0,
 * steps strictly increasing, at least one clause and one action).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fx_scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fx_scenario *sc = NULL;
    char why[512];
    why[0] = '\0';
    enum fx_status st = fx_scenario_parse(&sc, (const char *)data, size, "fuzz.scn", why,
                                          sizeof why);
    if (st != FX_OK) {
        /* Contract: no object on failure, and a reason for people. */
        if (sc != NULL || why[0] == '\0')
            abort();
        return 0;
    }
    if (sc == NULL)
        abort();

    size_t nsteps = fx_scenario_step_count(sc);
    if (nsteps < 1 || fx_scenario_step_time(sc, 0) != 0)
        abort();
    for (size_t i = 1; i < nsteps; i++)
        if (fx_scenario_step_time(sc, i) <= fx_scenario_step_time(sc, i - 1))
            abort();
    if (fx_scenario_clause_count(sc) < 1 || fx_scenario_action_count(sc) < 1)
        abort();

    size_t total = strlen(fx_scenario_name(sc)) + strlen(fx_scenario_description(sc));
    for (size_t i = 0; i < fx_scenario_clause_count(sc); i++)
        total += strlen(fx_scenario_clause(sc, i));
    if (fx_scenario_forward(sc) != NULL)
        total += strlen(fx_scenario_forward(sc));
    for (size_t s = 0; s < nsteps; s++)
        total += strlen(fx_scenario_step_zone(sc, s));

    uint64_t end = fx_scenario_end(sc);
    for (size_t i = 0; i < fx_scenario_action_count(sc); i++) {
        const struct fx_action *a = fx_scenario_action(sc, i);
        if (a == NULL || a->t_ms > end)
            abort();
        size_t s = fx_scenario_step_at(sc, a->t_ms);
        if (s >= nsteps || fx_scenario_step_time(sc, s) > a->t_ms)
            abort();
        if (a->kind == FX_ACT_LOOKUP) {
            if (a->domain == NULL)
                abort();
            for (size_t k = 0; k < nsteps; k++)
                total += (size_t)fx_scenario_name_kind(sc, k, a->domain);
        }
    }
    /* Keep the walk from being optimised away. */
    if (total == SIZE_MAX)
        abort();
    fx_scenario_free(sc);
    return 0;
}
