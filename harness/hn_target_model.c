/*
 * hn_target_model: the reference model (model/rc_cache) as a target, in process. Virtual time
 * runs the cache on an rc_vclock set to each action's time; real time on the monotonic clock.
 * The resolver is the model's ldns resolver pointed at the fixture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_target.h"
#include "rc_cache.h"
#include "rc_lookup.h"
#include "rc_reply.h"
#include "rc_resolver.h"
#include "rc_route.h"


struct model {
    int legacy;
    unsigned faults;
    unsigned variants;
    unsigned timeout_ms;        /* the resolver's wait for an answer */
    int virtual_time;
    struct rc_vclock *vc;
    struct rc_resolver *res;
    struct rc_cache *cache;
};

static void model_close(struct st_target *t)
{
    struct model *m = t->impl;
    rc_cache_free(m->cache);
    rc_resolver_free(m->res);
    rc_vclock_free(m->vc);
    m->cache = NULL;
    m->res = NULL;
    m->vc = NULL;
}

static int model_open(struct st_target *t, const struct st_env *env, struct st_caps *caps,
                      char *why, size_t whylen)
{
    struct model *m = t->impl;
    model_close(t);
    m->virtual_time = env->virtual_time;
    /* one retry, as a stub resolver with resolv.conf's defaults would: an answer delayed past
     * the wait on a loaded host then still arrives, instead of becoming a temporary failure
     * that the judges must hold against the target */
    enum rc_status st = rc_resolver_ldns_new(&m->res, env->dns_addr, env->dns_port,
                                             m->timeout_ms, HN_MODEL_RETRIES, why, whylen);
    if (st != RC_OK)
        return -1;
    struct rc_clock clock = rc_clock_monotonic();
    if (env->virtual_time) {
        if (rc_vclock_new(&m->vc) != RC_OK) {
            snprintf(why, whylen, "out of memory");
            return -1;
        }
        clock = rc_vclock_clock(m->vc);
    }
    struct rc_cache_config cfg;
    rc_cache_config_init(&cfg);
    cfg.mode = m->legacy ? RC_MODE_LEGACY : RC_MODE_TTL;
    if (env->capacity)
        cfg.capacity = env->capacity;
    cfg.forward_host = env->forward_host;
    cfg.faults = m->faults;
    cfg.variants = m->variants;
    cfg.seed = 1; /* the same orders in every run: reports can be compared */
    if (rc_cache_new(&m->cache, &cfg, m->res, clock, why, whylen) != RC_OK)
        return -1;
    if (env->forward_host) {
        char w[256];
        (void)rc_cache_start(m->cache, w, sizeof w);   /* retried at first use */
    }
    memset(caps, 0, sizeof *caps);
    caps->virtual_time = 1;
    caps->real_time = 1;
    caps->forward_host = 1;
    caps->noroute_visible = 1;
    caps->route_visible = 1;
    caps->capacity = cfg.capacity;
    snprintf(caps->mode_hint, sizeof caps->mode_hint, "%s", m->legacy ? "legacy" : "ttl");
    return 0;
}

/* The cache's answer as a typed answer (the route copied: the cache's is borrowed). 0, or -1
 * with *why when out of memory. */
static int fill(struct st_answer *ans, enum rc_status st, const struct rc_route *rt,
                const char *reason, char *why, size_t whylen)
{
    memset(ans, 0, sizeof *ans);
    ans->kind = rc_reply_from_status(st);
    if (st == RC_OK && rc_route_dup(rt, &ans->route) != RC_OK) {
        snprintf(why, whylen, "model: out of memory");
        return -1;
    }
    if (st != RC_OK)
        snprintf(ans->why, sizeof ans->why, "%s", reason);
    return 0;
}

static int model_lookup(struct st_target *t, const char *domain, uint64_t t_ms,
                        struct st_answer *ans, char *why, size_t whylen)
{
    struct model *m = t->impl;
    if (!m->cache) {
        snprintf(why, whylen, "not open");
        return -1;
    }
    if (m->vc)
        rc_vclock_set(m->vc, t_ms);
    const struct rc_route *rt = NULL;
    char w[256] = "";
    enum rc_status st = rc_cache_route(m->cache, domain, &rt, w, sizeof w);
    if (st == RC_NOMEM || st == RC_INVAL) {
        snprintf(why, whylen, "model: %s: %s", rc_status_str(st), w);
        return -1;
    }
    return fill(ans, st, rt, w, why, whylen);
}

static int model_forward(struct st_target *t, uint64_t t_ms, struct st_answer *ans, char *why,
                         size_t whylen)
{
    struct model *m = t->impl;
    if (!m->cache) {
        snprintf(why, whylen, "not open");
        return -1;
    }
    if (m->vc)
        rc_vclock_set(m->vc, t_ms);
    const struct rc_route *rt = NULL;
    char w[256] = "";
    enum rc_status st = rc_cache_forward(m->cache, &rt, w, sizeof w);
    if (st == RC_NOMEM || st == RC_INVAL) {
        snprintf(why, whylen, "model: %s: %s", rc_status_str(st), w);
        return -1;
    }
    return fill(ans, st, rt, w, why, whylen);
}

static void model_free(struct st_target *t)
{
    if (!t)
        return;
    if (t->impl)
        model_close(t);
    free(t->impl);
    free(t->name);
    free(t);
}

static const struct st_target_ops model_ops = {
    .kind = "model",
    .open = model_open,
    .lookup = model_lookup,
    .forward = model_forward,
    .close = model_close,
    .free = model_free,
};

int hn_model_target_new(struct st_target **out, const char *name, int legacy, unsigned faults,
                        unsigned variants, unsigned query_timeout_ms, char *why,
                        size_t whylen)
{
    *out = NULL;
    struct st_target *t = calloc(1, sizeof *t);
    struct model *m = calloc(1, sizeof *m);
    if (!t || !m || !(t->name = strdup(name))) {
        free(t ? t->name : NULL);
        free(t);
        free(m);
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    m->legacy = legacy;
    m->faults = faults;
    m->variants = variants;
    m->timeout_ms = query_timeout_ms ? query_timeout_ms : HN_MODEL_TIMEOUT_MS;
    t->ops = &model_ops;
    t->impl = m;
    *out = t;
    return 0;
}
