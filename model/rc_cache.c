/*
 * rc_cache: the reference route cache. A chained hash table keyed by the normalised domain
 * (hashed while it is normalised), an intrusive doubly-linked LRU list, and one allocation per
 * entry plus one per route. The hit path allocates nothing and touches the bucket, the entry
 * and its LRU neighbours.
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

#define FOREVER UINT64_MAX
#define RETRY_HOLD_MS 60000u /* RC_FAULT_CACHE_SERVFAIL keeps a failure this long */

struct entry {
    struct entry *hnext;        /* hash chain */
    struct entry *prev, *next;  /* LRU list; c->head is the most recently used */
    struct rc_route *route;     /* owned; NULL for a cached temporary failure */
    uint64_t expires_ms;        /* valid while now < expires_ms */
    uint32_t hash;
    uint8_t keylen;             /* <= 253 */
    char key[];                 /* normalised domain, NUL-terminated */
};

struct rc_cache {
    struct rc_cache_config cfg;
    char *forward_host;
    struct rc_resolver *res;
    struct rc_clock clock;
    size_t limit;               /* entries held at most (capacity, or capacity+1 as a fault) */

    struct entry **buckets;
    size_t mask;                /* nbuckets - 1, nbuckets a power of two */
    size_t count;
    struct entry *head, *tail;

    struct rc_route *last;      /* an uncached result, kept until the next call */
    struct rc_route *fwd;       /* the forward host's route */
    uint64_t fwd_expires;

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

static const struct {
    unsigned bit;
    const char *name, *desc;
} fault_table[] = {
#define RC_FAULT_ROW(sym, bit, name, desc) {bit, name, desc},
    RC_FAULT_LIST(RC_FAULT_ROW)
#undef RC_FAULT_ROW
};
#define NFAULTS (sizeof(fault_table) / sizeof(fault_table[0]))

static unsigned all_faults(void)
{
    unsigned all = 0;
    for (size_t i = 0; i < NFAULTS; i++)
        all |= fault_table[i].bit;
    return all;
}

int rc_fault_from_str(const char *name, unsigned *bit)
{
    if (name == NULL || bit == NULL)
        return -1;
    for (size_t i = 0; i < NFAULTS; i++) {
        if (strcmp(name, fault_table[i].name) == 0) {
            *bit = fault_table[i].bit;
            return 0;
        }
    }
    return -1;
}

const char *rc_fault_str(unsigned bit)
{
    for (size_t i = 0; i < NFAULTS; i++)
        if (fault_table[i].bit == bit)
            return fault_table[i].name;
    return "unknown";
}

const char *rc_fault_desc(unsigned bit)
{
    for (size_t i = 0; i < NFAULTS; i++)
        if (fault_table[i].bit == bit)
            return fault_table[i].desc;
    return "unknown fault";
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
}

static int fault(const struct rc_cache *c, unsigned bit)
{
    return (c->cfg.faults & bit) != 0;
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
    if (cfg->capacity == 0 || cfg->capacity >= SIZE_MAX / 2) {
        rc_why(why, whylen, "capacity %zu is out of range (1 .. %zu)", cfg->capacity, SIZE_MAX / 2 - 1);
        return RC_INVAL;
    }
    if (cfg->faults & ~all_faults()) {
        rc_why(why, whylen, "unknown fault bits 0x%x", cfg->faults & ~all_faults());
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
    c->limit = cfg->capacity + (cfg->faults & RC_FAULT_CAPACITY_PLUS1 ? 1 : 0);
    c->mask = 63;
    c->buckets = calloc(c->mask + 1, sizeof(*c->buckets));
    if (cfg->forward_host != NULL)
        c->forward_host = strdup(fwd);
    c->cfg.forward_host = c->forward_host;
    if (c->buckets == NULL || (cfg->forward_host != NULL && c->forward_host == NULL)) {
        rc_cache_free(c);
        return RC_NOMEM;
    }
    *out = c;
    return RC_OK;
}

static void entry_free(struct entry *e)
{
    rc_route_free(e->route);
    free(e);
}

void rc_cache_flush(struct rc_cache *c)
{
    if (c == NULL)
        return;
    for (struct entry *e = c->head, *next; e != NULL; e = next) {
        next = e->next;
        entry_free(e);
    }
    memset(c->buckets, 0, (c->mask + 1) * sizeof(*c->buckets));
    c->head = c->tail = NULL;
    c->count = 0;
    c->ctr.entries = 0;
}

void rc_cache_free(struct rc_cache *c)
{
    if (c == NULL)
        return;
    if (c->buckets != NULL)
        rc_cache_flush(c);
    free(c->buckets);
    rc_route_free(c->last);
    rc_route_free(c->fwd);
    free(c->forward_host);
    free(c);
}

static struct entry *find(const struct rc_cache *c, const char *key, size_t len, uint32_t hash)
{
    for (struct entry *e = c->buckets[hash & c->mask]; e != NULL; e = e->hnext)
        if (e->hash == hash && e->keylen == len && memcmp(e->key, key, len) == 0)
            return e;
    return NULL;
}

static void lru_unlink(struct rc_cache *c, struct entry *e)
{
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
}

static void lru_push_front(struct rc_cache *c, struct entry *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head != NULL)
        c->head->prev = e;
    c->head = e;
    if (c->tail == NULL)
        c->tail = e;
}

static void remove_entry(struct rc_cache *c, struct entry *e)
{
    struct entry **pp = &c->buckets[e->hash & c->mask];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(c, e);
    c->count--;
    entry_free(e);
}

/* Doubles the bucket array when the table is fuller than one entry per bucket. Failure to grow
 * is harmless: chains just get longer. */
static void maybe_grow(struct rc_cache *c)
{
    if (c->count <= c->mask + 1)
        return;
    size_t nb = (c->mask + 1) * 2;
    struct entry **b = calloc(nb, sizeof(*b));
    if (b == NULL)
        return;
    for (size_t i = 0; i <= c->mask; i++) {
        for (struct entry *e = c->buckets[i], *next; e != NULL; e = next) {
            next = e->hnext;
            e->hnext = b[e->hash & (nb - 1)];
            b[e->hash & (nb - 1)] = e;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->mask = nb - 1;
}

/* Stores route (owned from now on; NULL for a cached failure). RC_NOMEM leaves route to the
 * caller. */
static enum rc_status insert(struct rc_cache *c, const char *key, size_t len, uint32_t hash,
                             struct rc_route *route, uint64_t expires)
{
    struct entry *e = malloc(sizeof(*e) + len + 1);
    if (e == NULL)
        return RC_NOMEM;
    while (c->count >= c->limit && c->tail != NULL) {
        remove_entry(c, c->tail);
        c->ctr.evictions++;
    }
    e->route = route;
    e->expires_ms = expires;
    e->hash = hash;
    e->keylen = (uint8_t)len;
    memcpy(e->key, key, len + 1);
    e->hnext = c->buckets[hash & c->mask];
    c->buckets[hash & c->mask] = e;
    lru_push_front(c, e);
    c->count++;
    maybe_grow(c);
    return RC_OK;
}

/* When a route resolved at now stops being valid; 0 if it must not be cached at all. */
static uint64_t route_expiry(const struct rc_cache *c, const struct rc_route *rt, uint64_t now)
{
    if (c->cfg.mode == RC_MODE_LEGACY)
        return FOREVER;
    uint32_t ttl = rc_route_ttl(rt);
    if (ttl == 0 || (rc_route_implicit(rt) && !fault(c, RC_FAULT_CACHE_NODATA)))
        return 0;
    return now + (uint64_t)ttl * 1000u + (fault(c, RC_FAULT_EXPIRY_LATE) ? 1000u : 0u);
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

    struct entry *e = find(c, key, len, hash);
    if (e != NULL && now < e->expires_ms) {
        c->ctr.hits++;
        if (c->head != e) {
            lru_unlink(c, e);
            lru_push_front(c, e);
        }
        if (e->route == NULL) {
            rc_why(why, whylen, "%s: cached temporary failure", key);
            return RC_RETRY;
        }
        *out = e->route;
        return RC_OK;
    }
    if (e != NULL)
        remove_entry(c, e); /* expired */

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
        *out = rt;
    }
    c->ctr.entries = c->count;
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
        c->fwd_expires = now + (uint64_t)rc_route_ttl(rt) * 1000u +
                         (fault(c, RC_FAULT_EXPIRY_LATE) ? 1000u : 0u);
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
    int keep = c->cfg.mode == RC_MODE_LEGACY || fault(c, RC_FAULT_FORWARD_ONCE) || now < c->fwd_expires;
    if (c->fwd != NULL && keep) {
        c->ctr.hits++;
        *out = c->fwd;
        return RC_OK;
    }
    c->ctr.misses++;
    rc_route_free(c->fwd);
    c->fwd = NULL;
    enum rc_status st = rc_cache_start(c, why, whylen);
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
    out->entries = c->count;
}

int rc_cache_contains(const struct rc_cache *c, const char *domain)
{
    char key[256];
    size_t len;
    uint32_t hash;
    if (c == NULL || rc_name_key(domain, fault(c, RC_FAULT_CASE_SENSITIVE), key, sizeof(key), &len,
                                 &hash, NULL, 0) != RC_OK)
        return 0;
    const struct entry *e = find(c, key, len, hash);
    return e != NULL && c->clock.now_ms(c->clock.ctx) < e->expires_ms;
}
