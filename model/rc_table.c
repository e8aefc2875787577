/*
 * rc_table: the entries are the hash table. Linear probing over 64-octet entries, deletion by
 * backward shift (no tombstones) with the LRU links of a moved entry repointed, growth by
 * re-inserting in LRU order. See rc_table.h for why it is laid out so.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "rc_table.h"

#define HUGE_PAGE ((size_t)2 << 20)

_Static_assert(sizeof(struct rc_table_entry) == 64, "an entry is one cache line");

struct rc_table {
    size_t limit;
    struct rc_table_entry *ents; /* the table; keylen 0 = empty */
    size_t mask;                 /* slots - 1; slots a power of two */
    size_t max_slots;            /* the most slots limit can need */
    uint32_t head, tail;         /* most and least recently used */
    size_t count;
};

/* Big arrays are aligned to 2 MiB and marked for transparent huge pages: at a million entries
 * the hit path is bound by TLB misses otherwise. malloc'd, so mallinfo2 counts them. */
static struct rc_table_entry *ents_alloc(size_t n)
{
    void *p = NULL;
    size_t bytes = n * sizeof(struct rc_table_entry);
    if (posix_memalign(&p, bytes >= HUGE_PAGE ? HUGE_PAGE : 64, bytes) != 0)
        return NULL;
    if (bytes >= HUGE_PAGE)
        (void)madvise(p, bytes & ~(HUGE_PAGE - 1), MADV_HUGEPAGE); /* a hint; failure is fine */
    memset(p, 0, bytes);
    return p;
}

static struct rc_table_entry *ent(const struct rc_table *t, uint32_t i)
{
    return &t->ents[i];
}

static uint32_t idx(const struct rc_table *t, const struct rc_table_entry *e)
{
    return (uint32_t)(e - t->ents);
}

/* At most 4/5 full: a hit probes about 3 lines at worst (adjacent ones, which the hardware
 * prefetches), and right after doubling the table is 2/5 full, which bounds the index at
 * 64 / 0.4 = 160 octets per entry. */
static int over_load(size_t count, size_t slots)
{
    return count * 5 > slots * 4;
}

const char *rc_table_key(const struct rc_table_entry *e)
{
    return e->keylen < RC_TABLE_INLINE_KEY ? e->key.in : e->key.out;
}

enum rc_status rc_table_new(struct rc_table **out, size_t limit)
{
    if (out == NULL)
        return RC_INVAL;
    *out = NULL;
    if (limit == 0 || limit >= ((size_t)1 << 30))
        return RC_INVAL;
    struct rc_table *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return RC_NOMEM;
    t->limit = limit;
    t->max_slots = 8;
    while (over_load(limit, t->max_slots))
        t->max_slots *= 2;
    size_t slots = t->max_slots < 64 ? t->max_slots : 64;
    t->mask = slots - 1;
    t->head = t->tail = RC_TABLE_NIL;
    t->ents = ents_alloc(slots);
    if (t->ents == NULL) {
        free(t);
        return RC_NOMEM;
    }
    *out = t;
    return RC_OK;
}

static void entry_release(struct rc_table_entry *e)
{
    rc_route_free(e->route);
    if (e->keylen >= RC_TABLE_INLINE_KEY)
        free(e->key.out);
    memset(e, 0, sizeof(*e));
}

void rc_table_clear(struct rc_table *t)
{
    if (t == NULL)
        return;
    for (uint32_t i = t->head, next; i != RC_TABLE_NIL; i = next) {
        next = ent(t, i)->next;
        entry_release(ent(t, i));
    }
    t->head = t->tail = RC_TABLE_NIL;
    t->count = 0;
}

void rc_table_free(struct rc_table *t)
{
    if (t == NULL)
        return;
    rc_table_clear(t);
    free(t->ents);
    free(t);
}

struct rc_table_entry *rc_table_find(const struct rc_table *t, const char *key, size_t len,
                                     uint32_t hash)
{
    if (t == NULL || key == NULL)
        return NULL;
    for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
        struct rc_table_entry *e = &t->ents[i];
        if (e->keylen == 0)
            return NULL;
        if (e->hash == hash && e->keylen == len && memcmp(rc_table_key(e), key, len) == 0)
            return e;
    }
}

static void lru_unlink(struct rc_table *t, struct rc_table_entry *e)
{
    if (e->prev != RC_TABLE_NIL)
        ent(t, e->prev)->next = e->next;
    else
        t->head = e->next;
    if (e->next != RC_TABLE_NIL)
        ent(t, e->next)->prev = e->prev;
    else
        t->tail = e->prev;
}

static void lru_push_front(struct rc_table *t, struct rc_table_entry *e)
{
    uint32_t i = idx(t, e);
    e->prev = RC_TABLE_NIL;
    e->next = t->head;
    if (t->head != RC_TABLE_NIL)
        ent(t, t->head)->prev = i;
    t->head = i;
    if (t->tail == RC_TABLE_NIL)
        t->tail = i;
}

void rc_table_touch(struct rc_table *t, struct rc_table_entry *e)
{
    if (t == NULL || e == NULL || t->head == idx(t, e))
        return;
    lru_unlink(t, e);
    lru_push_front(t, e);
}

/* Moves the entry in slot from to the empty slot to, repointing its LRU neighbours. */
static void move_entry(struct rc_table *t, uint32_t from, uint32_t to)
{
    struct rc_table_entry *e = ent(t, to);
    *e = *ent(t, from);
    memset(ent(t, from), 0, sizeof(*e));
    if (e->prev != RC_TABLE_NIL)
        ent(t, e->prev)->next = to;
    else
        t->head = to;
    if (e->next != RC_TABLE_NIL)
        ent(t, e->next)->prev = to;
    else
        t->tail = to;
}

void rc_table_remove(struct rc_table *t, struct rc_table_entry *e)
{
    if (t == NULL || e == NULL)
        return;
    lru_unlink(t, e);
    entry_release(e);
    t->count--;
    /* Backward shift: pull later members of the probe run into the hole unless their home
     * slot lies cyclically in (hole, j]. */
    size_t i = idx(t, e), j = i;
    for (;;) {
        j = (j + 1) & t->mask;
        struct rc_table_entry *f = ent(t, (uint32_t)j);
        if (f->keylen == 0)
            break;
        size_t home = f->hash & t->mask;
        int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            move_entry(t, (uint32_t)j, (uint32_t)i);
            i = j;
        }
    }
}

/* Puts a copy of src (links ignored) into its probe run in t and at the LRU front. */
static struct rc_table_entry *place(struct rc_table *t, const struct rc_table_entry *src)
{
    size_t i = src->hash & t->mask;
    while (t->ents[i].keylen != 0)
        i = (i + 1) & t->mask;
    struct rc_table_entry *e = &t->ents[i];
    *e = *src;
    lru_push_front(t, e);
    return e;
}

/* Doubles the table (up to what limit needs), re-inserting from the LRU tail to the head so the
 * order survives. */
static int grow(struct rc_table *t)
{
    size_t slots = t->mask + 1;
    if (!over_load(t->count + 1, slots) || slots >= t->max_slots)
        return 0;
    struct rc_table_entry *old = t->ents;
    uint32_t tail = t->tail;
    t->ents = ents_alloc(slots * 2);
    if (t->ents == NULL) {
        t->ents = old;
        return -1;
    }
    t->mask = slots * 2 - 1;
    t->head = t->tail = RC_TABLE_NIL;
    for (uint32_t i = tail; i != RC_TABLE_NIL; i = old[i].prev)
        place(t, &old[i]);
    free(old);
    return 0;
}

enum rc_status rc_table_insert(struct rc_table *t, const char *key, size_t len, uint32_t hash,
                               struct rc_route *route, uint64_t expires_ms, size_t *evicted)
{
    if (evicted != NULL)
        *evicted = 0;
    if (t == NULL || key == NULL || len == 0 || len > 253)
        return RC_INVAL;
    while (t->count >= t->limit && t->tail != RC_TABLE_NIL) {
        rc_table_remove(t, ent(t, t->tail));
        if (evicted != NULL)
            (*evicted)++;
    }
    struct rc_table_entry e;
    memset(&e, 0, sizeof(e));
    if (len >= RC_TABLE_INLINE_KEY) {
        if ((e.key.out = malloc(len + 1)) == NULL)
            return RC_NOMEM;
        memcpy(e.key.out, key, len);
        e.key.out[len] = '\0';
    } else {
        memcpy(e.key.in, key, len);
    }
    if (grow(t) != 0) {
        if (len >= RC_TABLE_INLINE_KEY)
            free(e.key.out);
        return RC_NOMEM;
    }
    e.hash = hash;
    e.keylen = (uint8_t)len;
    e.expires_ms = expires_ms;
    e.route = route;
    e.spread = (uint8_t)(route != NULL && rc_route_spreads(route));
    place(t, &e);
    t->count++;
    return RC_OK;
}

size_t rc_table_count(const struct rc_table *t)
{
    return t == NULL ? 0 : t->count;
}

const struct rc_table_entry *rc_table_lru(const struct rc_table *t)
{
    return t == NULL || t->tail == RC_TABLE_NIL ? NULL : ent(t, t->tail);
}
