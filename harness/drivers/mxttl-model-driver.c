/*
 * mxttl-model-driver: the reference model (model/rc_cache) behind the mxttl driver protocol
 * (harness/PROTOCOL.md), on stdin/stdout -- the protocol's reference implementation and an
 * example for anyone wrapping their own mail server's route cache.
 *
 *   mxttl-model-driver [--mode legacy|ttl] [--faults F,F...] [--variants V,V...] [--capacity N]
 *                      [--timeout-ms MS] [--tcp] [--seed N]
 *
 * Faults and variants are the model's (`mxttl list targets`); variants are TTL mode only.
 * --seed seeds the cache's random state (the order of equal preferences, evict-random's
 * drops); default 1, as the in-process model:.
 * DNS goes over UDP, a truncated answer asked again over TCP; --tcp asks everything over TCP.
 *
 * Exit status: 0 after QUIT or end of input, 2 on bad options or a protocol error (after an
 * ERROR line naming it).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_proto.h"
#include "rc_cache.h"
#include "rc_resolver.h"
#include "rc_reply.h"
#include "rc_route.h"

struct state {
    enum rc_mode mode;
    unsigned faults;
    unsigned variants;
    size_t capacity;
    unsigned timeout_ms;
    int tcp_only;
    uint64_t seed;
    struct rc_vclock *vc;
    struct rc_resolver *res;
    struct rc_cache *cache;
};

static void reply(const char *line)
{
    fputs(line, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

/* Replies to request id with the cache's answer (an invalid name or no memory: ERROR). */
static void answer(unsigned long id, enum rc_status st, const struct rc_route *rt,
                   const char *w)
{
    char *line = NULL;
    if (st != RC_INVAL && st != RC_NOMEM)
        line = hn_proto_format_answer(id, rc_reply_from_status(st), rt, w);
    if (line == NULL) {
        char err[400];
        snprintf(err, sizeof err, "ERROR %lu %s: %s", id, rc_status_str(st == RC_OK ? RC_NOMEM : st), w);
        for (char *c = err; *c; c++)
            if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
                *c = ' ';
        reply(err);
        return;
    }
    reply(line);
    free(line);
}

static int configure(struct state *s, const struct hn_request *rq, char *why, size_t whylen)
{
    if (s->cache) {
        snprintf(why, whylen, "CONFIG given twice");
        return -1;
    }
    if (rc_resolver_ldns_new(&s->res, rq->dns, rq->port, s->timeout_ms, 0, why, whylen) != RC_OK)
        return -1;
    if (s->tcp_only && rc_resolver_ldns_use_tcp(s->res) != RC_OK) {
        snprintf(why, whylen, "cannot switch the resolver to TCP");
        return -1;
    }
    struct rc_clock clock = rc_clock_monotonic();
    if (rq->virtual_time) {
        if (rc_vclock_new(&s->vc) != RC_OK) {
            snprintf(why, whylen, "out of memory");
            return -1;
        }
        clock = rc_vclock_clock(s->vc);
    }
    struct rc_cache_config cfg;
    rc_cache_config_init(&cfg);
    cfg.mode = s->mode;
    cfg.faults = s->faults;
    cfg.variants = s->variants;
    cfg.seed = s->seed;
    cfg.capacity = rq->capacity ? rq->capacity : s->capacity;
    cfg.forward_host = rq->forward[0] ? rq->forward : NULL;
    if (rc_cache_new(&s->cache, &cfg, s->res, clock, why, whylen) != RC_OK)
        return -1;
    s->capacity = cfg.capacity;
    if (cfg.forward_host) {
        char w[256];
        (void)rc_cache_start(s->cache, w, sizeof w);
    }
    return 0;
}

/* A positive decimal option value up to max, digits only: "12abc", "-1", "0" and out-of-range
 * values are refused (0 with *out set, -1). */
static int positive(const char *s, unsigned long max, unsigned long *out)
{
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v == 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

/* A comma-separated list of names into bits (from: rc_fault_from_str or rc_variant_from_str).
 * 0, or -1 after naming the unknown one on stderr. */
static int names(const char *v, int (*from)(const char *, unsigned *), unsigned *bits,
                 const char *opt, const char *what)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    char *save = NULL;
    for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        unsigned bit;
        if (from(f, &bit) != 0) {
            fprintf(stderr, "mxttl-model-driver: %s: unknown %s \"%s\"\n", opt, what, f);
            return -1;
        }
        *bits |= bit;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct state s = {.mode = RC_MODE_TTL, .capacity = 1000, .timeout_ms = 400, .seed = 1};
    for (int i = 1; i < argc && argv[i]; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (strcmp(argv[i], "--mode") == 0 && v) {
            if (rc_mode_from_str(v, &s.mode) != 0) {
                fprintf(stderr, "mxttl-model-driver: --mode %s: want legacy or ttl\n", v);
                return 2;
            }
            i++;
        } else if (strcmp(argv[i], "--faults") == 0 && v) {
            if (names(v, rc_fault_from_str, &s.faults, "--faults", "fault") != 0)
                return 2;
            i++;
        } else if (strcmp(argv[i], "--variants") == 0 && v) {
            if (names(v, rc_variant_from_str, &s.variants, "--variants", "variant") != 0)
                return 2;
            i++;
        } else if (strcmp(argv[i], "--capacity") == 0 && v && positive(v, SIZE_MAX, &n) == 0) {
            s.capacity = (size_t)n;
            i++;
        } else if (strcmp(argv[i], "--timeout-ms") == 0 && v &&
                   positive(v, UINT_MAX, &n) == 0) {
            s.timeout_ms = (unsigned)n;
            i++;
        } else if (strcmp(argv[i], "--seed") == 0 && v && positive(v, ULONG_MAX, &n) == 0) {
            s.seed = n;
            i++;
        } else if (strcmp(argv[i], "--tcp") == 0) {
            s.tcp_only = 1;
        } else {
            fprintf(stderr, "usage: mxttl-model-driver [--mode legacy|ttl] [--faults F,...] [--variants V,...] "
                            "[--capacity N] [--timeout-ms MS] [--tcp] [--seed N]\n");
            return 2;
        }
    }
    if (s.variants && s.mode == RC_MODE_LEGACY) {
        fprintf(stderr, "mxttl-model-driver: --variants: the conformant variants are for TTL "
                        "mode\n");
        return 2;
    }
    struct st_caps caps = {.virtual_time = 1, .real_time = 1, .forward_host = 1,
                           .noroute_visible = 1, .route_visible = 1, .capacity = s.capacity};
    snprintf(caps.mode_hint, sizeof caps.mode_hint, "%s", rc_mode_str(s.mode));
    char line[HN_PROTO_REQ_MAX + 2];
    hn_proto_format_greeting(&caps, line, sizeof line);
    reply(line);

    int rc = 0;
    unsigned long lineno = 0;
    while (fgets(line, sizeof line, stdin)) {
        lineno++;
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        else if (!feof(stdin)) {
            fprintf(stderr, "mxttl-model-driver: line %lu: over %d octets\n", lineno,
                    HN_PROTO_REQ_MAX);
            reply("ERROR 0 line too long");
            rc = 2;
            break;
        }
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        struct hn_request rq;
        char why[512] = "";
        if (hn_proto_parse_request(line, &rq, why, sizeof why) != 0) {
            char out[700];
            snprintf(out, sizeof out, "ERROR 0 line %lu: %s", lineno, why);
            fprintf(stderr, "mxttl-model-driver: line %lu: %s\n", lineno, why);
            reply(out);
            rc = 2;
            break;
        }
        char out[HN_PROTO_REQ_MAX];
        if (rq.kind == HN_REQ_QUIT) {
            snprintf(out, sizeof out, "BYE %lu", rq.id);
            reply(out);
            break;
        }
        if (rq.kind == HN_REQ_CONFIG) {
            if (configure(&s, &rq, why, sizeof why) != 0) {
                snprintf(out, sizeof out, "ERROR %lu %s", rq.id, why);
                reply(out);
                continue;
            }
            snprintf(out, sizeof out, "OK %lu capacity=%zu", rq.id, s.capacity);
            reply(out);
            continue;
        }
        if (!s.cache) {
            snprintf(out, sizeof out, "ERROR %lu CONFIG first", rq.id);
            reply(out);
            continue;
        }
        if (rq.kind == HN_REQ_TIME) {
            if (!s.vc) {
                snprintf(out, sizeof out, "ERROR %lu TIME in real time", rq.id);
            } else {
                rc_vclock_set(s.vc, rq.t_ms);
                snprintf(out, sizeof out, "OK %lu", rq.id);
            }
            reply(out);
            continue;
        }
        const struct rc_route *rt = NULL;
        enum rc_status st = rq.kind == HN_REQ_LOOKUP
                                ? rc_cache_route(s.cache, rq.domain, &rt, why, sizeof why)
                                : rc_cache_forward(s.cache, &rt, why, sizeof why);
        answer(rq.id, st, rt, why);
    }
    rc_cache_free(s.cache);
    rc_resolver_free(s.res);
    rc_vclock_free(s.vc);
    return rc;
}
