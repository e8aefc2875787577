/*
 * st_oracle_model: the agreement check between the suites' oracle and the reference model.
 * Each step's records go into the model's stub resolver, with the step's servfail and timeout
 * names as stub faults (a malformed name only where it is asked for MX, as the fixture does),
 * and the model resolves every scripted name without a cache; the oracle resolves the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rc_lookup.h"
#include "rc_resolver.h"
#include "rc_route.h"
#include "st_oracle.h"
#include "st_route.h"

/* The model's answer for one name, as the oracle's fields. text is malloc'd or NULL. */
static enum rc_status model_resolve(struct rc_resolver *stub, const char *name, int forward,
                                    char **text, uint32_t *ttl, int *implicit)
{
    struct rc_route *rt = NULL;
    char why[256];
    enum rc_status st = forward ? rc_lookup_host(stub, name, 0, &rt, why, sizeof why)
                                : rc_lookup_route(stub, name, 0, 0, &rt, why, sizeof why);
    *text = NULL;
    if (st == RC_OK && rt) {
        *text = st_route_norm_of(rt);
        *ttl = rc_route_ttl(rt);
        *implicit = rc_route_implicit(rt);
    }
    rc_route_free(rt);
    return st;
}

static enum rc_stub_fault fault_of(enum fx_name_kind k)
{
    switch (k) {
    case FX_NAME_SERVFAIL: return RC_STUB_SERVFAIL;
    case FX_NAME_TIMEOUT: return RC_STUB_TIMEOUT;
    default: return RC_STUB_NONE;
    }
}

/* Compares one name in step s, on stub (the step loaded; faults are added here as names are
 * met). 0 agree, 1 differ (*why), -1 error. */
static int compare(const struct fx_scenario *sc, const struct st_oracle *o, size_t s,
                   struct rc_resolver *stub, const char *name, int forward, char *why,
                   size_t whylen)
{
    struct st_oracle_answer oa;
    if (st_oracle_resolve(o, s, name, forward, &oa) != 0) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < oa.nnames; i++) {
        enum fx_name_kind k = fx_scenario_name_kind(sc, s, oa.names[i]);
        if (fault_of(k) != RC_STUB_NONE)
            rc_resolver_stub_fault(stub, oa.names[i], fault_of(k));
        else if (k == FX_NAME_MALFORMED && i == 0 && !forward)
            rc_resolver_stub_fault(stub, oa.names[i], RC_STUB_MALFORMED);
    }
    char *mtext = NULL;
    uint32_t mttl = 0;
    int mimpl = 0;
    enum rc_status mst = model_resolve(stub, name, forward, &mtext, &mttl, &mimpl);
    char *otext = oa.status == RC_OK ? st_route_norm(oa.text) : NULL;
    int rc = 0;
    if (mst != oa.status ||
        (mst == RC_OK && (mttl != oa.ttl || mimpl != oa.implicit || !mtext || !otext ||
                          strcmp(mtext, otext) != 0))) {
        rc = 1;
        snprintf(why, whylen, "%s step %zu %s %s: model %s \"%s\" TTL %u%s; oracle %s \"%s\" "
                 "TTL %u%s (%s)", fx_scenario_name(sc), s, forward ? "forward host" : "domain",
                 name, rc_status_str(mst), mtext ? mtext : "", mttl, mimpl ? " implicit" : "",
                 rc_status_str(oa.status), otext ? otext : "", oa.ttl,
                 oa.implicit ? " implicit" : "", oa.why);
    }
    free(mtext);
    free(otext);
    st_oracle_answer_clear(&oa);
    return rc;
}

/* Whether action i's domain was already asked by an earlier action (any spelling). */
static int asked_before(const struct fx_scenario *sc, size_t i)
{
    const char *d = fx_scenario_action(sc, i)->domain;
    size_t dl = strlen(d) - (d[0] && d[strlen(d) - 1] == '.');
    for (size_t j = 0; j < i; j++) {
        const struct fx_action *b = fx_scenario_action(sc, j);
        if (b->kind != FX_ACT_LOOKUP)
            continue;
        size_t bl = strlen(b->domain) - (b->domain[0] && b->domain[strlen(b->domain) - 1] == '.');
        if (bl == dl && strncasecmp(b->domain, d, dl) == 0)
            return 1;
    }
    return 0;
}

/* One step: a stub with its records, then every scripted name. */
static int check_step(const struct fx_scenario *sc, const struct st_oracle *o, size_t s,
                      char *why, size_t whylen)
{
    struct rc_resolver *stub = NULL;
    char lwhy[256] = "";
    if (rc_resolver_stub_new(&stub) != RC_OK ||
        rc_resolver_stub_load(stub, fx_scenario_step_zone(sc, s), lwhy, sizeof lwhy) != RC_OK) {
        snprintf(why, whylen, "%s step %zu: the model's stub cannot load the step: %s",
                 fx_scenario_name(sc), s, lwhy);
        rc_resolver_free(stub);
        return -1;
    }
    const char *fwd = fx_scenario_forward(sc);
    int rc = fwd ? compare(sc, o, s, stub, fwd, 1, why, whylen) : 0;
    for (size_t i = 0; rc == 0 && i < fx_scenario_action_count(sc); i++) {
        const struct fx_action *a = fx_scenario_action(sc, i);
        if (a->kind == FX_ACT_LOOKUP && !asked_before(sc, i))
            rc = compare(sc, o, s, stub, a->domain, 0, why, whylen);
    }
    rc_resolver_free(stub);
    return rc;
}

int st_oracle_check_model(const struct fx_scenario *sc, char *why, size_t whylen)
{
    struct st_oracle *o = NULL;
    if (st_oracle_new(&o, sc, why, whylen) != 0)
        return -1;
    int rc = 0;
    for (size_t s = 0; rc == 0 && s < fx_scenario_step_count(sc); s++)
        rc = check_step(sc, o, s, why, whylen);
    st_oracle_free(o);
    return rc;
}
