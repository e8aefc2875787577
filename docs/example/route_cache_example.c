/*
 * An example of using the installed mxttl reference model (libmxttl-model, mxttl-model.pc) in a
 * project's own test: the model in TTL mode on a virtual clock, answering from stub zone data.
 * It checks what SPEC.md's TTL-2 says: a route is reused within its TTL and asked again after.
 *
 *   cc route_cache_example.c $(pkg-config --cflags --libs mxttl-model) -o route_cache_example
 *
 * Exit status 0 when the model behaves as described, 1 otherwise.
 */
#include <stdio.h>

#include <rc_cache.h>
#include <rc_clock.h>
#include <rc_resolver.h>
#include <rc_route.h>

static const char zone[] =
    "example.test. 60 IN MX 10 mx1.example.test.\n"
    "mx1.example.test. 300 IN A 192.0.2.1\n";

int main(void)
{
    struct rc_resolver *res = NULL;
    struct rc_vclock *vc = NULL;
    struct rc_cache *cache = NULL;
    char why[256] = "";
    int ok = 0;
    if (rc_resolver_stub_new(&res) != RC_OK || rc_resolver_stub_load(res, zone, why, sizeof why)
            != RC_OK || rc_vclock_new(&vc) != RC_OK) {
        fprintf(stderr, "example: set-up failed: %s\n", why);
        goto out;
    }
    struct rc_cache_config cfg;
    rc_cache_config_init(&cfg);   /* TTL mode */
    if (rc_cache_new(&cache, &cfg, res, rc_vclock_clock(vc), why, sizeof why) != RC_OK) {
        fprintf(stderr, "example: rc_cache_new: %s\n", why);
        goto out;
    }
    const struct rc_route *rt;
    uint64_t asked[3];
    for (int i = 0; i < 3; i++) {
        if (rc_cache_route(cache, "Example.TEST.", &rt, why, sizeof why) != RC_OK) {
            fprintf(stderr, "example: lookup %d: %s\n", i, why);
            goto out;
        }
        asked[i] = rc_resolver_queries(res);
        printf("t=%3llu s  route %s via %s (TTL %u s), queries so far %llu\n",
               (unsigned long long)(rc_vclock_now(vc) / 1000), rc_route_domain(rt),
               rc_route_name(rt, 0), (unsigned)rc_route_ttl(rt), (unsigned long long)asked[i]);
        rc_vclock_advance(vc, i == 0 ? 30000 : 31000);   /* 30 s, then past the 60 s TTL */
    }
    /* within the TTL: no new query; after it: asked again */
    ok = asked[1] == asked[0] && asked[2] > asked[1];
    printf("%s\n", ok ? "TTL-2 holds: reused within the TTL, asked again after it"
                      : "TTL-2 does not hold");
out:
    rc_cache_free(cache);
    rc_vclock_free(vc);
    rc_resolver_free(res);
    return ok ? 0 : 1;
}
