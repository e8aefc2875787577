/*
 * bench_rc_cache: speed and memory of the reference route cache's hit path.
 *
 * For each N (default 1000, 100000, 1000000) it fills a cache of capacity N with N domains
 * resolved through the stub resolver (real ldns wire, on a virtual clock that never moves, so
 * every later lookup is a hit), then times hit lookups on one thread with CLOCK_MONOTONIC for
 * at least one second in three orders: uniformly random (every lookup another domain: the
 * worst case, one cold cache line per lookup), Zipf-distributed with s = 1 (a few domains take
 * most lookups, as in real mail traffic) and fill order. Memory is what the cache holds by mallinfo2(): heap in use with the
 * full cache minus heap in use after rc_cache_free, split into route data (rc_route_size of
 * every cached route) and overhead (hash table, entries, keys, LRU links, malloc headers).
 *
 * Usage: bench_rc_cache [--mode ttl|legacy] [--spread] [N ...]   prints a table; exit 0, 2 on
 *        bad usage. --spread: two equal-preference exchangers with two addresses each per
 *        domain, so that every hit shuffles its route (RFC 5321 5.1).
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rc_cache.h"

#define SLOT 32 /* bytes per precomputed domain name */

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static void name_of(size_t i, char *out)
{
    snprintf(out, SLOT, "d%zu.bench.test", i);
}

/* Zone with one MX and one A record per domain, TTL one day; with spread, two MX of equal
 * preference with two addresses each (every hit then shuffles the route). Caller frees. */
static char *make_zone(size_t n, int spread)
{
    size_t cap = n * (spread ? 300 : 110) + 1, len = 0;
    char *z = malloc(cap);
    if (z == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t a = (i >> 16) & 255, b = (i >> 8) & 255, c = i & 255;
        len += (size_t)snprintf(z + len, cap - len,
                                "d%zu.bench.test. 86400 IN MX 10 mx.d%zu.bench.test.\n"
                                "mx.d%zu.bench.test. 86400 IN A 10.%zu.%zu.%zu\n",
                                i, i, i, a, b, c);
        if (spread)
            len += (size_t)snprintf(z + len, cap - len,
                                    "d%zu.bench.test. 86400 IN MX 10 mx2.d%zu.bench.test.\n"
                                    "mx.d%zu.bench.test. 86400 IN A 11.%zu.%zu.%zu\n"
                                    "mx2.d%zu.bench.test. 86400 IN A 12.%zu.%zu.%zu\n",
                                    i, i, i, a, b, c, i, a, b, c);
    }
    return z;
}

static int spread_routes; /* --spread */

/* Lookups of names (n slots) in a loop until at least one second has passed; lookups/s by
 * CLOCK_MONOTONIC, and in *cpu_rate by the thread's CPU time (the same figure on an idle
 * machine; higher when other processes share the core). */
static double time_hits(struct rc_cache *c, const char *names, size_t n, uint64_t *done,
                        double *cpu_rate)
{
    const struct rc_route *rt;
    uint64_t count = 0;
    size_t sink = 0;
    double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    double t0 = now_s(), t1;
    do {
        for (size_t i = 0; i < n; i++) {
            if (rc_cache_route(c, names + i * SLOT, &rt, NULL, 0) != RC_OK) {
                fprintf(stderr, "bench: lookup of %s was not a hit\n", names + i * SLOT);
                exit(1);
            }
            sink += rt != NULL; /* the pointer only: reading the route is the caller's cost */
        }
        count += n;
        t1 = now_s();
    } while (t1 - t0 < 1.0);
    if (sink != count) {
        fprintf(stderr, "bench: a hit returned no route\n");
        exit(1);
    }
    *done = count;
    *cpu_rate = (double)count / (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0);
    return (double)count / (t1 - t0);
}

static uint64_t xorshift(uint64_t *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    return *seed;
}

/* n lookups drawn from a Zipf(1) distribution over the ranks of `ranked` (rank r has weight
 * 1/(r+1)), written out as names so the timed loop only reads them in order. */
static char *zipf_names(const char *ranked, size_t n, uint64_t *seed)
{
    double *cdf = malloc(n * sizeof(*cdf));
    char *out = malloc(n * SLOT);
    if (cdf == NULL || out == NULL) {
        free(cdf);
        free(out);
        return NULL;
    }
    double sum = 0;
    for (size_t r = 0; r < n; r++)
        cdf[r] = sum += 1.0 / (double)(r + 1);
    for (size_t i = 0; i < n; i++) {
        double u = (double)(xorshift(seed) >> 11) / 9007199254740992.0 * sum;
        size_t lo = 0, hi = n - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cdf[mid] < u)
                lo = mid + 1;
            else
                hi = mid;
        }
        memcpy(out + i * SLOT, ranked + lo * SLOT, SLOT);
    }
    free(cdf);
    return out;
}

static int run(size_t n, enum rc_mode mode)
{
    char why[256] = "";
    struct rc_resolver *res = NULL;
    struct rc_vclock *vc = NULL;
    struct rc_cache *c = NULL;
    char *zone = make_zone(n, spread_routes);
    char *order = malloc(n * SLOT), *shuffled = malloc(n * SLOT);
    if (zone == NULL || order == NULL || shuffled == NULL || rc_resolver_stub_new(&res) != RC_OK ||
        rc_vclock_new(&vc) != RC_OK) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    if (rc_resolver_stub_load(res, zone, why, sizeof(why)) != RC_OK) {
        fprintf(stderr, "bench: zone: %s\n", why);
        return 1;
    }
    free(zone);
    for (size_t i = 0; i < n; i++)
        name_of(i, order + i * SLOT);
    /* A fixed-seed Fisher-Yates shuffle: random cache access, but the same every run. */
    memcpy(shuffled, order, n * SLOT);
    uint64_t seed = 88172645463325252ull;
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)(xorshift(&seed) % (i + 1));
        char tmp[SLOT];
        memcpy(tmp, shuffled + i * SLOT, SLOT);
        memcpy(shuffled + i * SLOT, shuffled + j * SLOT, SLOT);
        memcpy(shuffled + j * SLOT, tmp, SLOT);
    }

    /* Popularity ranks follow the shuffled order, so popular domains are spread over the table. */
    char *zipf = zipf_names(shuffled, n, &seed);
    if (zipf == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }

    struct rc_cache_config cfg;
    rc_cache_config_init(&cfg);
    cfg.mode = mode;
    cfg.capacity = n;
    if (rc_cache_new(&c, &cfg, res, rc_vclock_clock(vc), why, sizeof(why)) != RC_OK) {
        fprintf(stderr, "bench: cache: %s\n", why);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        const struct rc_route *rt;
        if (rc_cache_route(c, order + i * SLOT, &rt, why, sizeof(why)) != RC_OK) {
            fprintf(stderr, "bench: fill %s: %s\n", order + i * SLOT, why);
            return 1;
        }
    }
    struct rc_counters k;
    rc_cache_counters(c, &k);
    size_t qper = spread_routes ? 3 : 2; /* MX, then A of each exchanger */
    if (k.entries != n || k.queries != qper * n) {
        fprintf(stderr, "bench: after fill: %llu entries, %llu queries; want %zu, %zu\n",
                (unsigned long long)k.entries, (unsigned long long)k.queries, n, qper * n);
        return 1;
    }

    uint64_t done_r, done_z, done_s;
    double cpu_r, cpu_z, cpu_s;
    double rate_r = time_hits(c, shuffled, n, &done_r, &cpu_r);
    double rate_z = time_hits(c, zipf, n, &done_z, &cpu_z);
    double rate_s = time_hits(c, order, n, &done_s, &cpu_s);
    rc_cache_counters(c, &k);
    if (k.queries != qper * n || k.hits != done_r + done_z + done_s) {
        fprintf(stderr, "bench: timed lookups were not all hits\n");
        return 1;
    }

    size_t route_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rc_route *rt;
        (void)rc_cache_route(c, order + i * SLOT, &rt, NULL, 0);
        route_bytes += rc_route_size(rt);
    }
    malloc_trim(0);
    size_t with = heap_in_use();
    rc_cache_free(c);
    size_t without = heap_in_use();
    double per = (double)(with - without) / (double)n;
    double rdata = (double)route_bytes / (double)n;
    printf("| %9zu | %-6s | %6.2f (%6.2f) | %6.2f (%6.2f) | %6.2f (%6.2f) | %6.1f | %6.1f | %6.1f |\n",
           n, spread_routes ? (mode == RC_MODE_TTL ? "ttl+sp" : "leg+sp") : rc_mode_str(mode), rate_r / 1e6, cpu_r / 1e6, rate_z / 1e6, cpu_z / 1e6, rate_s / 1e6,
           cpu_s / 1e6, per, rdata, per - rdata);
    fflush(stdout);
    rc_resolver_free(res);
    rc_vclock_free(vc);
    free(order);
    free(shuffled);
    free(zipf);
    return 0;
}

int main(int argc, char **argv)
{
    enum rc_mode mode = RC_MODE_TTL;
    size_t ns[16], nn = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
            if (rc_mode_from_str(argv[++i], &mode) != 0) {
                fprintf(stderr, "bench_rc_cache: --mode: \"%s\" is not ttl or legacy\n", argv[i]);
                return 2;
            }
            continue;
        }
        if (strcmp(argv[i], "--spread") == 0) {
            spread_routes = 1;
            continue;
        }
        unsigned long long v = strtoull(argv[i], &end, 10);
        if (*end != '\0' || v == 0 || v > 50000000ull || nn == 16) {
            fprintf(stderr, "usage: bench_rc_cache [--mode ttl|legacy] [--spread] [N ...]  (1 <= N <= 5e7, at most 16)\n");
            return 2;
        }
        ns[nn++] = (size_t)v;
    }
    if (nn == 0) {
        ns[0] = 1000, ns[1] = 100000, ns[2] = 1000000;
        nn = 3;
    }
    printf("| domains   | mode   | M hits/s random | M hits/s Zipf   | M hits/s order  | B/dom  | route  | overh. |\n");
    printf("|-----------|--------|-----------------|-----------------|-----------------|--------|--------|--------|\n");
    for (size_t i = 0; i < nn; i++)
        if (run(ns[i], mode) != 0)
            return 1;
    printf("Millions of hit lookups/s on one thread by CLOCK_MONOTONIC over >= 1 s (in brackets: by the\n"
           "thread's CPU time). Random: each lookup another domain, uniformly shuffled; Zipf: s = 1 over\n"
           "the domains; order: fill order. B/dom: heap the full cache holds (mallinfo2 before and after\n"
           "rc_cache_free) per domain; route: rc_route_size per route; overh.: the rest (index, entries,\n"
           "malloc headers).\n");
    return 0;
}
