/*
 * bench_fx_server: how fast the DNS fixture is, with real dnsmasq on loopback.
 *   start   fx_server_new for a 2,000-domain step (2,000 MX + 2,000 A records), 1 and 10
 *           distinct MX TTLs (one back dnsmasq per MX TTL); target <= 1 s
 *   switch  fx_server_set_time between two 2,000-domain steps (new backs ready, servers file
 *           renamed in, front reloaded and confirmed, old answers drained); target <= 20 ms
 *   qps     MX queries answered through front and back, 1 and 4 client threads, bounded
 *   log     fx_server_queries reading the whole log at once
 *   rounds  what a play does per lookup: fx_server_mark, one query, fx_server_queries (two
 *           barriers, each polling the dump file), with the dump already large; CPU split
 *           into user and system time (the query log was suspected of costing system time)
 *   load    fx_server_load of small two-step scenarios (3 domains, what a generator of cases
 *           makes) on a running server: new content each time (every back started anew), the
 *           same step 0 each time (backs reused), and load + a switch to step 1 (a whole play
 *           on virtual time without the lookups); loads per second
 * Usage: bench_fx_server [DOMAINS] [SWITCHES] [QUERIES], or bench_fx_server load [LOADS];
 * figures go to stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <ldns/ldns.h>
#include "fx_scenario.h"
#include "fx_server.h"

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A scenario of two steps with `domains` MX domains each, MX TTLs spread over `ttls` values. */
static char *make_scenario(int domains, int ttls, size_t *len)
{
    size_t cap = (size_t)domains * 2 * 2 * 64 + 4096, n = 0;
    char *t = malloc(cap);
    if (!t)
        return NULL;
    n += (size_t)snprintf(t + n, cap - n, "scenario bench\ndescription benchmark\nclauses TTL-2\n");
    for (int step = 0; step < 2; step++) {
        n += (size_t)snprintf(t + n, cap - n, "step %d\n", step * 10);
        for (int d = 0; d < domains; d++) {
            int ttl = 300 * (step + 1) + (d % ttls);
            n += (size_t)snprintf(t + n, cap - n,
                                  "d%d.test. %d IN MX 10 mx.d%d.test.\n"
                                  "mx.d%d.test. %d IN A 127.%d.%d.%d\n",
                                  d, ttl, d, d, ttl, 1 + step, (d >> 8) & 255, d & 255);
        }
    }
    n += (size_t)snprintf(t + n, cap - n, "lookup 0 d0.test\n");
    *len = n;
    return t;
}

struct qctx {
    const char *addr;
    uint16_t port;
    int domains, count, answered;
};

static void *query_loop(void *arg)
{
    struct qctx *c = arg;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(c->port)};
    inet_pton(AF_INET, c->addr, &sa.sin_addr);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        return NULL;
    char name[64];
    for (int i = 0; i < c->count; i++) {
        snprintf(name, sizeof name, "d%d.test.", (i * 7919) % c->domains);
        ldns_pkt *q = NULL;
        ldns_pkt_query_new_frm_str(&q, name, LDNS_RR_TYPE_MX, LDNS_RR_CLASS_IN, LDNS_RD);
        ldns_pkt_set_id(q, (uint16_t)i);
        uint8_t *wire = NULL;
        size_t wl = 0;
        ldns_pkt2wire(&wire, q, &wl);
        ldns_pkt_free(q);
        if (send(fd, wire, wl, 0) == (ssize_t)wl) {
            struct pollfd pf = {fd, POLLIN, 0};
            uint8_t buf[2048];
            if (poll(&pf, 1, 1000) == 1 && recv(fd, buf, sizeof buf, 0) > 12 &&
                ((buf[0] << 8) | buf[1]) == (i & 0xffff))
                c->answered++;
        }
        free(wire);
    }
    close(fd);
    return NULL;
}

static int bench_start(const char *text, size_t len, int domains, int ttls, int rounds)
{
    char why[512];
    struct fx_scenario *sc = NULL;
    uint64_t t = now_us();
    if (fx_scenario_parse(&sc, text, len, "bench.scn", why, sizeof why) != FX_OK) {
        fprintf(stderr, "bench: %s\n", why);
        return -1;
    }
    uint64_t parse = now_us() - t;
    uint64_t *v = calloc((size_t)rounds, sizeof *v);
    for (int r = 0; r < rounds; r++) {
        struct fx_server *s = NULL;
        t = now_us();
        enum fx_status st = fx_server_new(&s, NULL, sc, why, sizeof why);
        v[r] = now_us() - t;
        if (st != FX_OK) {
            fprintf(stderr, "bench: fx_server_new: %s: %s\n", fx_status_str(st), why);
            return -1;
        }
        fx_server_free(s);
    }
    qsort(v, (size_t)rounds, sizeof *v, cmp_u64);
    printf("start   %5d domains, %2d MX TTL(s): parse %6.1f ms, fx_server_new median %6.1f ms, "
           "max %6.1f ms (%d runs; target <= 1000 ms)\n", domains, ttls, parse / 1000.0,
           v[rounds / 2] / 1000.0, v[rounds - 1] / 1000.0, rounds);
    free(v);
    fx_scenario_free(sc);
    return 0;
}

/* Small scenario number i: 3 domains, 2 steps; `vary` gives every i its own MX TTLs. */
static struct fx_scenario *small_scenario(int i, int vary)
{
    char text[2048];
    int n = snprintf(text, sizeof text, "scenario s\ndescription small\nclauses TTL-2\n");
    for (int step = 0; step < 2; step++) {
        n += snprintf(text + n, sizeof text - (size_t)n, "step %d\n", step * 5);
        for (int d = 0; d < 3; d++) {
            int ttl = (vary ? 60 + i % 1000 : 60) + step * 100 + d;
            n += snprintf(text + n, sizeof text - (size_t)n,
                          "d%d.test. %d IN MX 10 mx.d%d.test.\nmx.d%d.test. %d IN A 127.0.%d.%d\n",
                          d, ttl, d, d, ttl, step + 1, d + 1);
        }
    }
    n += snprintf(text + n, sizeof text - (size_t)n, "lookup 0 d0.test\n");
    struct fx_scenario *sc = NULL;
    char why[512];
    if (fx_scenario_parse(&sc, text, (size_t)n, "s", why, sizeof why) != FX_OK) {
        fprintf(stderr, "bench: %s\n", why);
        return NULL;
    }
    return sc;
}

/* mode 0: new content per load; 1: same step 0 (reuse); 2: new content, load + set_time 5 s. */
static int bench_load(int loads, int mode)
{
    static const char *const what[] = {"new content ", "same step 0 ", "load+switch "};
    struct fx_scenario **sc = calloc((size_t)loads + 1, sizeof *sc);
    uint64_t *v = calloc((size_t)loads, sizeof *v);
    if (!sc || !v)
        return -1;
    for (int i = 0; i <= loads; i++)
        if (!(sc[i] = small_scenario(i, mode != 1)))
            return -1;
    struct fx_server *s = NULL;
    char why[512];
    if (fx_server_new(&s, NULL, sc[0], why, sizeof why) != FX_OK) {
        fprintf(stderr, "bench: fx_server_new: %s\n", why);
        return -1;
    }
    uint64_t t_all = now_us();
    for (int i = 0; i < loads; i++) {
        uint64_t t = now_us();
        enum fx_status st = fx_server_load(s, sc[i + 1], why, sizeof why);
        if (st == FX_OK && mode == 2)
            st = fx_server_set_time(s, 5000, why, sizeof why);
        v[i] = now_us() - t;
        if (st != FX_OK) {
            fprintf(stderr, "bench: load %d: %s: %s\n", i, fx_status_str(st), why);
            return -1;
        }
    }
    double secs = (now_us() - t_all) / 1e6;
    qsort(v, (size_t)loads, sizeof *v, cmp_u64);
    printf("load    %s %d loads: %.1f loads/s, median %.1f ms, p95 %.1f ms, max %.1f ms\n",
           what[mode], loads, loads / secs, v[loads / 2] / 1000.0, v[loads * 95 / 100] / 1000.0,
           v[loads - 1] / 1000.0);
    fx_server_free(s);
    for (int i = 0; i <= loads; i++)
        fx_scenario_free(sc[i]);
    free(sc);
    free(v);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "load") == 0) {
        int loads = argc > 2 ? atoi(argv[2]) : 200;
        if (loads < 1) {
            fprintf(stderr, "usage: %s load [LOADS]\n", argv[0]);
            return 2;
        }
        for (int mode = 0; mode < 3; mode++)
            if (bench_load(loads, mode) != 0)
                return 1;
        return 0;
    }
    int domains = argc > 1 ? atoi(argv[1]) : 2000;
    int switches = argc > 2 ? atoi(argv[2]) : 100;
    int queries = argc > 3 ? atoi(argv[3]) : 20000;
    if (domains < 1 || switches < 2 || queries < 1) {
        fprintf(stderr, "usage: %s [DOMAINS] [SWITCHES] [QUERIES]\n", argv[0]);
        return 2;
    }
    char why[512];
    size_t len;
    char *text;
    int ttl_counts[] = {1, 10};
    for (size_t k = 0; k < 2; k++) {
        text = make_scenario(domains, ttl_counts[k], &len);
        if (!text || bench_start(text, len, domains, ttl_counts[k], 5) != 0)
            return 1;
        free(text);
    }

    text = make_scenario(domains, 1, &len);
    struct fx_scenario *sc = NULL;
    if (fx_scenario_parse(&sc, text, len, "bench.scn", why, sizeof why) != FX_OK) {
        fprintf(stderr, "bench: %s\n", why);
        return 1;
    }
    struct fx_server *s = NULL;
    enum fx_status st = fx_server_new(&s, NULL, sc, why, sizeof why);
    if (st != FX_OK) {
        fprintf(stderr, "bench: fx_server_new: %s: %s\n", fx_status_str(st), why);
        return 1;
    }
    /* Switches: the first one to step 1 waits for its backs; later ones find them running. */
    uint64_t *v = calloc((size_t)switches, sizeof *v);
    for (int i = 0; i < switches; i++) {
        uint64_t t = now_us();
        st = fx_server_set_time(s, (i % 2 == 0) ? 10000 : 0, why, sizeof why);
        v[i] = now_us() - t;
        if (st != FX_OK) {
            fprintf(stderr, "bench: switch %d: %s: %s\n", i, fx_status_str(st), why);
            return 1;
        }
    }
    uint64_t first = v[0];
    qsort(v + 1, (size_t)switches - 1, sizeof *v, cmp_u64);
    int m = switches - 1;
    printf("switch  %5d domains: first %6.2f ms; then median %6.2f ms, p95 %6.2f ms, "
           "max %6.2f ms (%d switches; target <= 20 ms)\n", domains, first / 1000.0,
           v[1 + m / 2] / 1000.0, v[1 + (m * 95) / 100 - (m * 95 % 100 == 0)] / 1000.0,
           v[switches - 1] / 1000.0, m);
    free(v);

    for (int threads = 1; threads <= 4; threads *= 4) {
        pthread_t th[4];
        struct qctx c[4];
        uint64_t t = now_us();
        for (int i = 0; i < threads; i++) {
            c[i] = (struct qctx){fx_server_addr(s), fx_server_port(s), domains,
                                 queries / threads, 0};
            pthread_create(&th[i], NULL, query_loop, &c[i]);
        }
        int answered = 0;
        for (int i = 0; i < threads; i++) {
            pthread_join(th[i], NULL);
            answered += c[i].answered;
        }
        double secs = (now_us() - t) / 1e6;
        printf("qps     %d client thread(s): %d of %d MX queries answered in %.2f s: %.0f "
               "queries/s\n", threads, answered, queries, secs, answered / secs);
    }
    const struct fx_query *q;
    size_t nq;
    uint64_t t = now_us();
    st = fx_server_queries(s, 0, &q, &nq, why, sizeof why);
    printf("log     fx_server_queries over %zu logged queries: %.1f ms (%s)\n", nq,
           (now_us() - t) / 1000.0, fx_status_str(st));

    size_t logged = nq;
    int rounds = 3000;
    uint64_t *r = calloc((size_t)rounds, sizeof *r);
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    uint64_t t_all = now_us();
    for (int i = 0; i < rounds && r; i++) {
        uint64_t t1 = now_us();
        uint64_t mark = fx_server_mark(s);
        struct qctx c1 = {fx_server_addr(s), fx_server_port(s), domains, 1, 0};
        query_loop(&c1);
        st = fx_server_queries(s, mark, &q, &nq, why, sizeof why);
        r[i] = now_us() - t1;
        if (st != FX_OK || nq != 1) {
            fprintf(stderr, "bench: round %d: %s, %zu queries (want 1): %s\n", i,
                    fx_status_str(st), nq, why);
            return 1;
        }
    }
    double wall = (now_us() - t_all) / 1e6;
    getrusage(RUSAGE_SELF, &ru1);
    if (r) {
        double usr = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) +
                     (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6;
        double sys = (double)(ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
                     (double)(ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
        qsort(r, (size_t)rounds, sizeof *r, cmp_u64);
        printf("rounds  %d x (mark, 1 query, fx_server_queries) after %zu logged queries: "
               "%.2f s, median %.0f us, p95 %.0f us; CPU user %.2f s, system %.2f s\n", rounds,
               logged, wall, r[rounds / 2] / 1.0, r[rounds * 95 / 100] / 1.0, usr, sys);
    }
    free(r);
    fx_server_free(s);
    fx_scenario_free(sc);
    free(text);
    for (int mode = 0; mode < 3; mode++)
        if (bench_load(200, mode) != 0)
            return 1;
    return 0;
}
