/*
 * rc_cache: the reference route cache -- the caching policy of both modes. The store (index
 * keyed by the normalised domain, hashed while it is normalised; LRU order) is rc_table, each
 * route one allocation; the hit path allocates nothing.
 *
 * Legacy mode keeps every route until LRU eviction and the forward host from its first
 * resolution; TTL mode keeps a route until resolved_at + TTL and re-resolves the forward host
 * when its address TTL has run out. RC_FAULT_* bits turn on the deliberate faults.
 */
#include <stdlib.h>
#include <string.h>
#include "rc_cache.h"
#include "rc_internal.h"
#include "rc_lookup.h"
#include "rc_table.h"

#define FOREVER UINT64_MAX
#define RETRY_HOLD_MS 60000u /* RC_FAULT_CACHE_SERVFAIL keeps a failure this long */
/* RC_FAULT_EXPIRY_LATE serves a route this long past its TTL: more than the second SPEC.md lets
 * a cache counting whole seconds add, so the suites can tell it. */
#define RC_LATE_MS 2000u

struct rc_cache {
    struct rc_cache_config cfg;
    char *forward_host;
    struct rc_resolver *res;
    struct rc_clock clock;
    size_t limit;               /* entries held at most (capacity, or capacity+1 as a fault) */

    struct rc_table *table;

    struct rc_route *last;      /* an uncached result, kept until the next call */
    struct rc_route *fwd;       /* the forward host's route */
    uint64_t fwd_expires;

    uint64_t rng;               /* rc_route_shuffle's state, from cfg.seed */
    struct rc_counters ctr;
};

const char *rc_mode_str(enum rc_mode m)
{
    return m == RC_MODE_LEGACY ? "legacy" : m == RC_MODE_TTL ? "ttl" : "unknown";
}

int rc_mode_from_str(const char *s, enum rc_mode *out)
{
    if (s == NULL || out == NULL)
        return -1;
    if (strcmp(s, "legacy") == 0)
        *out = RC_MODE_LEGACY;
    else if (strcmp(s, "ttl") == 0)
        *out = RC_MODE_TTL;
    else
        return -1;
    return 0;
}

/* The run-time options, faults and conformant variants, as tables from their X-macro lists. */
struct option_row {
    unsigned bit;
    const char *name, *desc;
};
static const struct option_row fault_table[] = {
#define RC_FAULT_ROW(sym, bit, name, desc) {bit, name, desc},
    RC_FAULT_LIST(RC_FAULT_ROW)
#undef RC_FAULT_ROW
    {0, NULL, NULL}};
static const struct option_row variant_table[] = {
#define RC_VARIANT_ROW(sym, bit, name, desc) {bit, name, desc},
    RC_VARIANT_LIST(RC_VARIANT_ROW)
#undef RC_VARIANT_ROW
    {0, NULL, NULL}};

static unsigned all_bits(const struct option_row *t)
{
    unsigned all = 0;
    for (; t->name != NULL; t++)
        all |= t->bit;
    return all;
}

static int bit_from_str(const struct option_row *t, const char *name, unsigned *bit)
{
    for (; name != NULL && bit != NULL && t->name != NULL; t++) {
        if (strcmp(name, t->name) == 0) {
            *bit = t->bit;
            return 0;
        }
    }
    return -1;
}

/* The row of exactly this bit, or the end row (whose name and desc are NULL). */
static const struct option_row *row_of(const struct option_row *t, unsigned bit)
{
    while (t->name != NULL && t->bit != bit)
        t++;
    return t;
}

int rc_fault_from_str(const char *name, unsigned *bit)
{
    return bit_from_str(fault_table, name, bit);
}

const char *rc_fault_str(unsigned bit)
{
    const char *s = row_of(fault_table, bit)->name;
    return s != NULL ? s : "unknown";
}

const char *rc_fault_desc(unsigned bit)
{
    const char *s = row_of(fault_table, bit)->desc;
    return s != NULL ? s : "unknown fault";
}

int rc_variant_from_str(const char *name, unsigned *bit)
{
    return bit_from_str(variant_table, name, bit);
}

const char *rc_variant_str(unsigned bit)
{
    const char *s = row_of(variant_table, bit)->name;
    return s != NULL ? s : "unknown";
}

const char *rc_variant_desc(unsigned bit)
{
    const char *s = row_of(variant_table, bit)->desc;
    return s != NULL ? s : "unknown variant";
}

void rc_cache_config_init(struct rc_cache_config *cfg)
{
    if (cfg == NULL)
        return;
    cfg->mode = RC_MODE_TTL;
    cfg->capacity = 1000;
    cfg->want_aaaa = 0;
    cfg->forward_host = NULL;
    cfg->faults = 0;
    cfg->variants = 0;
    cfg->seed = 1;
}

static int fault(const struct rc_cache *c, unsigned bit)
{
    return (c->cfg.faults & bit) != 0;
}

static int variant(const struct rc_cache *c, unsigned bit)
{
    return (c->cfg.variants & bit) != 0;
}

enum rc_status rc_cache_new(struct rc_cache **out, const struct rc_cache_config *cfg,
                            struct rc_resolver *res, struct rc_clock clock, char *why,
                            size_t whylen)
{
    if (out == NULL)
        return RC_INVAL;
    *out = NULL;
    if (cfg == NULL || res == NULL || clock.now_ms == NULL) {
        rc_why(why, whylen, "rc_cache_new: NULL config, resolver or clock");
        return RC_INVAL;
    }
    if (cfg->mode != RC_MODE_LEGACY && cfg->mode != RC_MODE_TTL) {
        rc_why(why, whylen, "unknown cache mode %d", (int)cfg->mode);
        return RC_INVAL;
    }
    if (cfg->capacity == 0 || cfg->capacity > RC_CACHE_MAX_CAPACITY) {
        rc_why(why, whylen, "capacity %zu is out of range (1 .. %zu)", cfg->capacity,
               (size_t)RC_CACHE_MAX_CAPACITY);
        return RC_INVAL;
    }
    if (cfg->faults & ~all_bits(fault_table)) {
        rc_why(why, whylen, "unknown fault bits 0x%x", cfg->faults & ~all_bits(fault_table));
        return RC_INVAL;
    }
    if (cfg->variants & ~all_bits(variant_table)) {
        rc_why(why, whylen, "unknown variant bits 0x%x", cfg->variants & ~all_bits(variant_table));
        return RC_INVAL;
    }
    if (cfg->variants != 0 && cfg->mode == RC_MODE_LEGACY) {
        rc_why(why, whylen, "the conformant variants are for TTL mode (legacy keeps routes)");
        return RC_INVAL;
    }
    char fwd[254];
    if (cfg->forward_host != NULL) {
        char reason[200];
        if (rc_name_normalize(cfg->forward_host, fwd, sizeof(fwd), reason, sizeof(reason)) != RC_OK) {
            rc_why(why, whylen, "forward host: %s", reason);
            return RC_INVAL;
        }
    }
    struct rc_cache *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return RC_NOMEM;
    c->cfg = *cfg;
    c->res = res;
    c->clock = clock;
    c->rng = cfg->seed;
    c->limit = cfg->capacity + (cfg->faults & RC_FAULT_CAPACITY_PLUS1 ? 1 : 0);
    enum rc_status st = rc_table_new(&c->table, c->limit); /* limit is in the table's range */
    if (cfg->forward_host != NULL)
        c->forward_host = strdup(fwd);
    c->cfg.forward_host = c->forward_host;
    if (st != RC_OK || (cfg->forward_host != NULL && c->forward_host == NULL)) {
        rc_cache_free(c);
        return RC_NOMEM;
    }
    *out = c;
    return RC_OK;
}

void rc_cache_flush(struct rc_cache *c)
{
    if (c != NULL)
        rc_table_clear(c->table);
}

void rc_cache_free(struct rc_cache *c)
{
    if (c == NULL)
        return;
    rc_table_free(c->table);
    rc_route_free(c->last);
    rc_route_free(c->fwd);
    free(c->forward_host);
    free(c);
}

/* Stores route (owned by the table from RC_OK on; NULL for a cached failure). */
static enum rc_status insert(struct rc_cache *c, const char *key, size_t len, uint32_t hash,
                             struct rc_route *route, uint64_t expires)
{
    size_t evicted = 0;
    enum rc_status st = rc_table_insert(c->table, key, len, hash, route, expires, &evicted);
    c->ctr.evictions += evicted;
    return st;
}

/* When data fetched at now with this TTL (TTL mode) stops being valid: valid while now < it. */
static uint64_t ttl_end(const struct rc_cache *c, uint64_t now, uint32_t ttl)
{
    if (variant(c, RC_VARIANT_EARLY_EXPIRY))
        return now + (uint64_t)ttl * 500u; /* half the TTL: well before it runs out */
    if (variant(c, RC_VARIANT_WHOLE_SECONDS) && ttl > 0)
        /* as a resolver keeping time() seconds: valid through the second in which it ends */
        return (now / 1000u + ttl + 1u) * 1000u;
    return now + (uint64_t)ttl * 1000u + (fault(c, RC_FAULT_EXPIRY_LATE) ? RC_LATE_MS : 0u);
}

/* When a route resolved at now stops being valid; 0 if it must not be cached at all. */
static uint64_t route_expiry(const struct rc_cache *c, const struct rc_route *rt, uint64_t now)
{
    if (c->cfg.mode == RC_MODE_LEGACY)
        return FOREVER;
    uint32_t ttl = rc_route_ttl(rt);
    if (ttl == 0 || (rc_route_implicit(rt) && !fault(c, RC_FAULT_CACHE_NODATA)) ||
        variant(c, RC_VARIANT_REQUERY_ALWAYS))
        return 0;
    return ttl_end(c, now, ttl);
}

static void drop_last(struct rc_cache *c)
{
    rc_route_free(c->last);
    c->last = NULL;
}

enum rc_status rc_cache_route(struct rc_cache *c, const char *domain,
                              const struct rc_route **out, char *why, size_t whylen)
{
    if (out != NULL)
        *out = NULL;
    if (c == NULL || out == NULL) {
        rc_why(why, whylen, "rc_cache_route: NULL argument");
        return RC_INVAL;
    }
    char key[256];
    size_t len;
    uint32_t hash;
    enum rc_status st = rc_name_key(domain, fault(c, RC_FAULT_CASE_SENSITIVE), key, sizeof(key),
                                    &len, &hash, why, whylen);
    if (st != RC_OK)
        return st;
    if (c->last != NULL)
        drop_last(c);
    c->ctr.lookups++;
    uint64_t now = c->clock.now_ms(c->clock.ctx);

    struct rc_table_entry *e = rc_table_find(c->table, key, len, hash);
    /* evict-random: the entry is dropped now, as if at some random moment since it was stored */
    int drop = e != NULL && variant(c, RC_VARIANT_EVICT_RANDOM) && rc_route_random(&c->rng, 3) == 0;
    if (e != NULL && now < e->expires_ms && !drop) {
        c->ctr.hits++;
        rc_table_touch(c->table, e);
        if (e->route == NULL) {
            rc_why(why, whylen, "%s: cached temporary failure", key);
            return RC_RETRY;
        }
        if (e->spread)
            rc_route_shuffle(e->route, &c->rng);
        *out = e->route;
        return RC_OK;
    }
    if (e != NULL)
        rc_table_remove(c->table, e); /* expired (or dropped by evict-random) */

    c->ctr.misses++;
    uint64_t q0 = rc_resolver_queries(c->res);
    struct rc_route *rt = NULL;
    st = rc_lookup_route(c->res, key, c->cfg.want_aaaa, c->cfg.faults, &rt, why, whylen);
    c->ctr.queries += rc_resolver_queries(c->res) - q0;

    if (st == RC_RETRY && fault(c, RC_FAULT_CACHE_SERVFAIL))
        (void)insert(c, key, len, hash, NULL, now + RETRY_HOLD_MS);
    if (st == RC_OK) {
        uint64_t exp = route_expiry(c, rt, now);
        if (exp == 0 || insert(c, key, len, hash, rt, exp) != RC_OK)
            c->last = rt; /* handed out uncached; freed at the next call */
        rc_route_shuffle(rt, &c->rng);
        *out = rt;
    }
    return st;
}

enum rc_status rc_cache_start(struct rc_cache *c, char *why, size_t whylen)
{
    if (c == NULL) {
        rc_why(why, whylen, "rc_cache_start: NULL cache");
        return RC_INVAL;
    }
    if (c->forward_host == NULL)
        return RC_OK;
    uint64_t now = c->clock.now_ms(c->clock.ctx);
    uint64_t q0 = rc_resolver_queries(c->res);
    struct rc_route *rt = NULL;
    enum rc_status st = rc_lookup_host(c->res, c->forward_host, c->cfg.want_aaaa, &rt, why, whylen);
    c->ctr.queries += rc_resolver_queries(c->res) - q0;
    if (st == RC_OK) {
        rc_route_free(c->fwd);
        c->fwd = rt;
        c->fwd_expires = ttl_end(c, now, rc_route_ttl(rt));
    }
    return st;
}

enum rc_status rc_cache_forward(struct rc_cache *c, const struct rc_route **out, char *why,
                                size_t whylen)
{
    if (out != NULL)
        *out = NULL;
    if (c == NULL || out == NULL) {
        rc_why(why, whylen, "rc_cache_forward: NULL argument");
        return RC_INVAL;
    }
    if (c->forward_host == NULL) {
        rc_why(why, whylen, "no forward host configured");
        return RC_INVAL;
    }
    if (c->last != NULL)
        drop_last(c);
    c->ctr.lookups++;
    uint64_t now = c->clock.now_ms(c->clock.ctx);
    /* Legacy keeps the forward host's first addresses for ever; so does the forward-once fault. */
    int keep = c->cfg.mode == RC_MODE_LEGACY || fault(c, RC_FAULT_FORWARD_ONCE) ||
               (now < c->fwd_expires && !variant(c, RC_VARIANT_REQUERY_ALWAYS));
    if (c->fwd != NULL && keep) {
        c->ctr.hits++;
        rc_route_shuffle(c->fwd, &c->rng);
        *out = c->fwd;
        return RC_OK;
    }
    c->ctr.misses++;
    rc_route_free(c->fwd);
    c->fwd = NULL;
    enum rc_status st = rc_cache_start(c, why, whylen);
    rc_route_shuffle(c->fwd, &c->rng);
    *out = c->fwd;
    return st;
}

void rc_cache_counters(const struct rc_cache *c, struct rc_counters *out)
{
    if (out == NULL)
        return;
    if (c == NULL) {
        memset(out, 0, sizeof(*out));
        return;
    }
    *out = c->ctr;
    out->entries = rc_table_count(c->table);
}

int rc_cache_contains(const struct rc_cache *c, const char *domain)
{
    char key[256];
    size_t len;
    uint32_t hash;
    if (c == NULL || rc_name_key(domain, fault(c, RC_FAULT_CASE_SENSITIVE), key, sizeof(key), &len,
                                 &hash, NULL, 0) != RC_OK)
        return 0;
    const struct rc_table_entry *e = rc_table_find(c->table, key, len, hash);
    return e != NULL && c->clock.now_ms(c->clock.ctx) < e->expires_ms;
}
