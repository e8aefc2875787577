/*
 * rc_cache: the reference route cache, in legacy mode (Exchange 5.5 IMS without EnableTTL:
 * routes kept regardless of TTL, forward host resolved once) or TTL mode (EnableTTL=1: routes
 * kept at most their TTL, routes without MX never cached). See SPEC.md for the clauses.
 *
 * Pure logic over the resolver and clock interfaces; no global state, never prints.
 */
#ifndef RC_CACHE_H
#define RC_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include "rc_clock.h"
#include "rc_resolver.h"
#include "rc_route.h"
#include "rc_status.h"

struct rc_cache;

enum rc_mode { RC_MODE_LEGACY, RC_MODE_TTL };
const char *rc_mode_str(enum rc_mode m);                 /* "legacy" / "ttl"; static */
int rc_mode_from_str(const char *s, enum rc_mode *out);  /* 0 ok, -1 unknown */

/* Deliberate faults, for proving that the suites discriminate (SPEC.md clauses must catch each).
 * Chosen at run time so tests reach every branch. */
#define RC_FAULT_LIST(X)                                                         \
    X(RC_FAULT_EXPIRY_LATE, 0x01, "expiry-late", "routes expire two seconds after their TTL") \
    X(RC_FAULT_IGNORE_ADDR_TTL, 0x02, "ignore-addr-ttl", "route lifetime uses the MX TTL only") \
    X(RC_FAULT_CACHE_NODATA, 0x04, "cache-nodata", "implicit-MX routes are cached in TTL mode") \
    X(RC_FAULT_CACHE_SERVFAIL, 0x08, "cache-servfail", "temporary failures are cached")  \
    X(RC_FAULT_CAPACITY_PLUS1, 0x10, "capacity-plus1", "holds one domain more than its capacity") \
    X(RC_FAULT_FORWARD_ONCE, 0x20, "forward-once", "forward host never re-resolved in TTL mode") \
    X(RC_FAULT_CASE_SENSITIVE, 0x40, "case-sensitive", "cache keys are case-sensitive")

enum rc_fault {
#define RC_FAULT_ENUM(sym, bit, name, desc) sym = bit,
    RC_FAULT_LIST(RC_FAULT_ENUM)
#undef RC_FAULT_ENUM
};
/* Conformant variants: run-time options, chosen like the faults, that change behaviour within
 * the spec's latitude (SPEC.md: a TTL-mode cache may query DNS again at any time and drop any
 * entry before it runs out, and may count TTLs in whole seconds). The suites must NOT fail them; each exists to prove that. TTL mode
 * only: rc_cache_new refuses them in legacy mode, where keeping routes is the spec. */
#define RC_VARIANT_LIST(X)                                                                \
    X(RC_VARIANT_EARLY_EXPIRY, 0x01, "early-expiry", "routes dropped at half their TTL")  \
    X(RC_VARIANT_REQUERY_ALWAYS, 0x02, "requery-always", "never answers from the cache")  \
    X(RC_VARIANT_EVICT_RANDOM, 0x04, "evict-random", "a cached route is dropped at one lookup in three, at random") \
    X(RC_VARIANT_WHOLE_SECONDS, 0x08, "whole-seconds", "TTLs counted in whole seconds: a route serves until the end of the second it runs out in")

enum rc_variant {
#define RC_VARIANT_ENUM(sym, bit, name, desc) sym = bit,
    RC_VARIANT_LIST(RC_VARIANT_ENUM)
#undef RC_VARIANT_ENUM
};
/* Variant name to bit; 0 ok, -1 unknown. rc_variant_str/desc as rc_fault_str/desc. */
int rc_variant_from_str(const char *name, unsigned *bit);
const char *rc_variant_str(unsigned bit);
const char *rc_variant_desc(unsigned bit);

/* Fault name ("expiry-late") to bit; 0 ok, -1 unknown. */
int rc_fault_from_str(const char *name, unsigned *bit);
const char *rc_fault_str(unsigned bit);   /* static; "unknown" if not exactly one known bit */
const char *rc_fault_desc(unsigned bit);  /* static */

/* The largest capacity rc_cache_new accepts (the index addresses entries with 32-bit indices;
 * one more for RC_FAULT_CAPACITY_PLUS1). */
#define RC_CACHE_MAX_CAPACITY ((size_t)1 << 29)

struct rc_cache_config {
    enum rc_mode mode;
    size_t capacity;           /* domains held at most; default 1000; 1..RC_CACHE_MAX_CAPACITY */
    int want_aaaa;             /* also resolve exchangers' AAAA; default 0 */
    const char *forward_host;  /* smart host, or NULL; copied by rc_cache_new */
    unsigned faults;           /* RC_FAULT_* bits; default 0 */
    unsigned variants;         /* RC_VARIANT_* bits (TTL mode only); default 0 */
    uint64_t seed;             /* seeds the cache's own random state (the order of equal-
                                  preference exchangers and of addresses, evict-random); the
                                  same seed gives the same orders; default 1 */
};

/* Fills cfg with the defaults (TTL mode, capacity 1000, A only, no forward host, no faults or
 * variants, seed 1). */
void rc_cache_config_init(struct rc_cache_config *cfg);

/* Creates a cache. res and clock are borrowed and must outlive the cache. RC_INVAL with *why on
 * a bad config (capacity 0 or above RC_CACHE_MAX_CAPACITY, unknown mode, fault or variant bits, a
 * variant in legacy mode, bad
 * forward host name, NULL resolver or clock); RC_NOMEM. Caller frees with rc_cache_free. */
enum rc_status rc_cache_new(struct rc_cache **out, const struct rc_cache_config *cfg,
                            struct rc_resolver *res, struct rc_clock clock, char *why,
                            size_t whylen);
void rc_cache_free(struct rc_cache *c);   /* NULL is fine; frees every cached route */

/* Start-up: resolves the forward host (if any) now, as the legacy IMS did. RC_OK also when no
 * forward host is configured. A failure (RC_NXDOMAIN, RC_NOADDR, RC_RETRY, with *why) is
 * returned but not fatal: later rc_cache_forward calls try again. Its queries count in
 * rc_counters.queries; it is not a lookup. */
enum rc_status rc_cache_start(struct rc_cache *c, char *why, size_t whylen);

/* The route for a mail domain (any case, optional trailing dot). RC_OK: *out is borrowed, valid
 * until the next call on c; at every lookup, hit or miss, exchangers of equal preference and
 * each exchanger's addresses come in a fresh random order (rc_route_shuffle, RFC 5321 5.1). Other statuses: RC_NXDOMAIN, RC_NULLMX, RC_NOADDR (no route, never
 * cached), RC_RETRY (temporary failure, never cached unless RC_FAULT_CACHE_SERVFAIL), RC_NOMEM,
 * each with *why; RC_INVAL for a NULL argument or an invalid name, which is not counted as a
 * lookup and sends nothing. In TTL mode implicit-MX routes and TTL-0 routes are not cached. */
enum rc_status rc_cache_route(struct rc_cache *c, const char *domain,
                              const struct rc_route **out, char *why, size_t whylen);

/* The forward host's route (one exchanger: the host and its addresses). Legacy: the addresses
 * from start-up forever. TTL: re-resolved once its address TTL has run out. RC_INVAL when no
 * forward host is configured. *out borrowed until the next call on c. */
enum rc_status rc_cache_forward(struct rc_cache *c, const struct rc_route **out, char *why,
                                size_t whylen);

struct rc_counters {
    uint64_t lookups;    /* rc_cache_route + rc_cache_forward calls with valid input; = hits + misses */
    uint64_t hits;       /* answered from the cache */
    uint64_t misses;     /* needed DNS */
    uint64_t queries;    /* DNS queries sent */
    uint64_t evictions;  /* entries dropped for capacity */
    uint64_t entries;    /* domains cached now (an expired entry counts until it is looked up
                            again or evicted) */
};
void rc_cache_counters(const struct rc_cache *c, struct rc_counters *out);

/* Whether domain is cached and still valid now (no DNS, no counter change, no LRU change). A
 * cached temporary failure (RC_FAULT_CACHE_SERVFAIL) counts as cached. 0 for invalid input. */
int rc_cache_contains(const struct rc_cache *c, const char *domain);

/* Drops every cached route (not the forward host). */
void rc_cache_flush(struct rc_cache *c);

#endif
