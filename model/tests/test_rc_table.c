/*
 * Tests of rc_table, the cache's index: find/insert/remove under forced hash collisions
 * (probe runs wrap around the table end), backward-shift deletion checked against a simple
 * reference over thousands of random operations, LRU order across growth, eviction at the
 * limit, and keys too long to live inside an entry.
 */
#include <stdlib.h>
#include "rc_test.h"
#include "rc_internal.h"
#include "rc_table.h"

static struct rc_route *route_for(const char *name)
{
    struct rc_route *rt = NULL;
    EXPECT_U(rc_route_new(&rt, name, 0, 60, NULL, 0), RC_OK, "rc_route_new");
    return rt;
}

static void insert(struct rc_table *t, const char *key, uint32_t hash, size_t *evicted)
{
    EXPECT_ST(rc_table_insert(t, key, strlen(key), hash, route_for(key), 1000, evicted), RC_OK, key);
}

static void expect_found(struct rc_table *t, const char *key, uint32_t hash, int want)
{
    struct rc_table_entry *e = rc_table_find(t, key, strlen(key), hash);
    if ((e != NULL) != want)
        fail_msg("find(%s): got %s, want %s", key, e ? "found" : "missing", want ? "found" : "missing");
    if (e != NULL)
        EXPECT_S(rc_route_domain(e->route), key, "route of the entry");
}

static void test_collisions_and_wraparound(void **state)
{
    (void)state;
    struct rc_table *t = NULL;
    EXPECT_ST(rc_table_new(&t, 40), RC_OK, "new");
    /* Hash 63 is the last slot of the first table (64 slots): the run wraps to slot 0. */
    char key[16];
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        insert(t, key, 63, NULL);
    }
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        expect_found(t, key, 63, 1);
    }
    /* Remove every other key; the rest must stay reachable across the shifted run. */
    for (int i = 0; i < 20; i += 2) {
        snprintf(key, sizeof(key), "k%d", i);
        rc_table_remove(t, rc_table_find(t, key, strlen(key), 63));
    }
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        expect_found(t, key, 63, i % 2);
    }
    EXPECT_U(rc_table_count(t), 10, "count");
    expect_found(t, "k1", 62, 0); /* same key, other hash: not found */
    rc_table_free(t);
}

static void test_random_ops_against_reference(void **state)
{
    (void)state;
    enum { KEYS = 300, OPS = 20000 };
    struct rc_table *t = NULL;
    EXPECT_ST(rc_table_new(&t, KEYS), RC_OK, "new");
    int present[KEYS] = {0};
    size_t count = 0;
    uint32_t seed = 7;
    char key[32];
    for (int op = 0; op < OPS; op++) {
        seed = seed * 1664525u + 1013904223u;
        int k = (int)((seed >> 8) % KEYS);
        uint32_t hash = (uint32_t)(k % 37) * 2654435761u; /* many collisions, spread homes */
        snprintf(key, sizeof(key), "key-%d.test", k);
        struct rc_table_entry *e = rc_table_find(t, key, strlen(key), hash);
        if ((e != NULL) != present[k])
            fail_msg("op %d: find(%s): got %d, want %d", op, key, e != NULL, present[k]);
        if (e != NULL && (seed & 0x10000)) {
            rc_table_remove(t, e);
            present[k] = 0;
            count--;
        } else if (e == NULL) {
            insert(t, key, hash, NULL);
            present[k] = 1;
            count++;
        } else {
            rc_table_touch(t, e);
        }
        EXPECT_U(rc_table_count(t), count, "count");
    }
    for (int k = 0; k < KEYS; k++) {
        snprintf(key, sizeof(key), "key-%d.test", k);
        expect_found(t, key, (uint32_t)(k % 37) * 2654435761u, present[k]);
    }
    rc_table_free(t);
}

static void test_lru_survives_growth(void **state)
{
    (void)state;
    struct rc_table *t = NULL;
    EXPECT_ST(rc_table_new(&t, 1000), RC_OK, "new");
    char key[32];
    for (int i = 0; i < 500; i++) { /* grows 64 -> 1024 slots on the way */
        snprintf(key, sizeof(key), "d%d.test", i);
        insert(t, key, rc_name_hash(key, strlen(key)), NULL);
        if (i == 10)
            rc_table_touch(t, rc_table_find(t, "d0.test", 7, rc_name_hash("d0.test", 7)));
    }
    EXPECT_S(rc_table_key(rc_table_lru(t)), "d1.test", "least recently used after growth");
    rc_table_free(t);
}

static void test_eviction_at_limit(void **state)
{
    (void)state;
    struct rc_table *t = NULL;
    size_t evicted = 99;
    EXPECT_ST(rc_table_new(&t, 3), RC_OK, "new");
    insert(t, "a.test", 1, &evicted);
    insert(t, "b.test", 2, &evicted);
    insert(t, "c.test", 3, &evicted);
    EXPECT_U(evicted, 0, "no eviction below the limit");
    rc_table_touch(t, rc_table_find(t, "a.test", 6, 1));
    insert(t, "d.test", 4, &evicted);
    EXPECT_U(evicted, 1, "one eviction at the limit");
    expect_found(t, "b.test", 2, 0);
    expect_found(t, "a.test", 1, 1);
    EXPECT_U(rc_table_count(t), 3, "count");
    struct rc_table *t2 = NULL;
    EXPECT_ST(rc_table_new(&t2, 0), RC_INVAL, "limit 0");
    assert_null(t2);
    rc_table_free(NULL);
    assert_null(rc_table_find(NULL, "x", 1, 1));
    EXPECT_ST(rc_table_new(&t2, 3), RC_OK, "new");
    EXPECT_ST(rc_table_insert(t2, "", 0, 1, NULL, 1, NULL), RC_INVAL, "empty key");
    rc_table_free(t2);
    rc_table_free(t);
}

static void test_long_keys(void **state)
{
    (void)state;
    struct rc_table *t = NULL;
    EXPECT_ST(rc_table_new(&t, 10), RC_OK, "new");
    const char *lk = "a-rather-long-label-for-a-mail-domain.example-subdomain.test";
    insert(t, lk, 5, NULL);
    insert(t, "short.test", 5, NULL);
    expect_found(t, lk, 5, 1);
    EXPECT_S(rc_table_key(rc_table_find(t, lk, strlen(lk), 5)), lk, "long key kept");
    rc_table_clear(t);
    EXPECT_U(rc_table_count(t), 0, "cleared");
    expect_found(t, lk, 5, 0);
    insert(t, lk, 5, NULL); /* reusable after clear */
    expect_found(t, lk, 5, 1);
    rc_table_free(t);
}

static void test_hash_matches_normaliser(void **state)
{
    (void)state;
    const char *names[] = {"a.test", "Mail.Example.TEST.", "exactly8", "sixteen-octets.t", "x"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char out[254];
        size_t len;
        uint32_t h;
        EXPECT_ST(rc_name_key(names[i], 0, out, sizeof(out), &len, &h, NULL, 0), RC_OK, names[i]);
        EXPECT_U(h, rc_name_hash(out, len), names[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collisions_and_wraparound),
        cmocka_unit_test(test_random_ops_against_reference),
        cmocka_unit_test(test_lru_survives_growth),
        cmocka_unit_test(test_eviction_at_limit),
        cmocka_unit_test(test_long_keys),
        cmocka_unit_test(test_hash_matches_normaliser),
    };
    return cmocka_run_group_tests_name("rc_table", tests, NULL, NULL);
}
