/*
 * rc_table: the route cache's index -- the model's internal store, not a public contract.
 *
 * A bounded map from normalised domain to cached route, in LRU order. Built for the hit path
 * of a million-entry cache: the entries themselves, one 64-octet cache line each, are the
 * open-addressing hash table (linear probing, at most 4/5 full), linked into the LRU list by
 * index, in one array that gets transparent huge pages when large. A hit reads one line
 * (rarely the next) and writes its two LRU neighbours; keys up to 31 octets live in the entry.
 */
#ifndef RC_TABLE_H
#define RC_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "rc_route.h"
#include "rc_status.h"

#define RC_TABLE_NIL UINT32_MAX
#define RC_TABLE_INLINE_KEY 32

struct rc_table_entry {
    uint32_t prev, next;        /* LRU neighbours (RC_TABLE_NIL at the ends) */
    uint32_t hash;
    uint8_t keylen;             /* 1..253; 0 marks an empty slot */
    uint8_t spread;             /* rc_route_spreads(route): a hit must shuffle it (kept here so
                                   that a hit on a route with nothing to shuffle stays one line) */
    uint8_t pad[2];
    uint64_t expires_ms;        /* the entry is valid while now < expires_ms */
    struct rc_route *route;     /* owned; NULL for a cached temporary failure */
    union {
        char in[RC_TABLE_INLINE_KEY]; /* keylen < RC_TABLE_INLINE_KEY: the key, NUL-terminated */
        char *out;                    /* longer keys: malloc'd copy */
    } key;
};

struct rc_table;

/* A table holding at most limit (>= 1, < 2^31) entries. RC_INVAL, RC_NOMEM. Caller frees with
 * rc_table_free. */
enum rc_status rc_table_new(struct rc_table **out, size_t limit);
/* Frees every entry with its route; NULL is fine. */
void rc_table_free(struct rc_table *t);
/* Drops every entry (routes freed); memory is kept for reuse. */
void rc_table_clear(struct rc_table *t);

/* The entry for key (len octets, hash from rc_name_key), or NULL. Borrowed until the next
 * insert or remove (entries move). Never allocates. */
struct rc_table_entry *rc_table_find(const struct rc_table *t, const char *key, size_t len,
                                     uint32_t hash);
/* Makes e the most recently used entry. */
void rc_table_touch(struct rc_table *t, struct rc_table_entry *e);
/* Removes e and frees its route. */
void rc_table_remove(struct rc_table *t, struct rc_table_entry *e);
/* Adds a new key (not present) with route (owned by t from RC_OK on) and expiry, first
 * evicting least recently used entries while the table is full; *evicted (if given) gets how
 * many. RC_NOMEM leaves the route to the caller and the table as it was, evictions aside. */
enum rc_status rc_table_insert(struct rc_table *t, const char *key, size_t len, uint32_t hash,
                               struct rc_route *route, uint64_t expires_ms, size_t *evicted);

size_t rc_table_count(const struct rc_table *t);
/* The least recently used entry, or NULL when empty (for tests). */
const struct rc_table_entry *rc_table_lru(const struct rc_table *t);
/* The entry's key; borrowed while the entry lives. */
const char *rc_table_key(const struct rc_table_entry *e);

#endif
