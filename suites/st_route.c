/*
 * st_route: the normal form the judges compare routes in, built on the model's rc_route.
 */
#include "st_route.h"

#include <stdlib.h>
#include <string.h>

/* One exchanger of the normal form: borrowed strings of the route. */
struct nx {
    uint16_t pref;
    const char *name;
    const char **addrs;
    size_t naddrs;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_nx(const void *a, const void *b)
{
    const struct nx *x = a, *y = b;
    if (x->pref != y->pref)
        return x->pref < y->pref ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The normal-form exchangers of rt into xs (rc_route_count(rt) of them, addrs arrays
 * allocated); returns how many are kept, or -1 (memory or an address-only route). */
static long collect(const struct rc_route *rt, struct nx *xs)
{
    size_t kept = 0;
    for (size_t i = 0; i < rc_route_count(rt); i++) {
        size_t had = rc_route_addr_count(rt, i), k = 0;
        if (rc_route_name(rt, i)[0] == '\0')
            return -1;
        const char **addrs = malloc((had ? had : 1) * sizeof *addrs);
        if (!addrs)
            return -1;
        for (size_t j = 0; j < had; j++)
            if (!strchr(rc_route_addr(rt, i, j), ':'))
                addrs[k++] = rc_route_addr(rt, i, j);
        if (had > 0 && k == 0) {
            free(addrs);
            continue;
        }
        qsort(addrs, k, sizeof *addrs, cmp_str);
        xs[kept++] = (struct nx){rc_route_pref(rt, i), rc_route_name(rt, i), addrs, k};
    }
    return (long)kept;
}

char *st_route_norm_of(const struct rc_route *rt)
{
    size_t n = rc_route_count(rt);
    struct nx *xs = calloc(n ? n : 1, sizeof *xs);
    if (!xs)
        return NULL;
    long kept = collect(rt, xs);
    struct rc_route_xspec *spec = kept >= 0 ? calloc(n ? n : 1, sizeof *spec) : NULL;
    char *out = NULL;
    if (spec) {
        qsort(xs, (size_t)kept, sizeof *xs, cmp_nx);
        for (long i = 0; i < kept; i++)
            spec[i] = (struct rc_route_xspec){xs[i].name, xs[i].pref, xs[i].naddrs, xs[i].addrs};
        struct rc_route *sorted = NULL;
        if (rc_route_new(&sorted, rc_route_domain(rt), rc_route_implicit(rt), rc_route_ttl(rt),
                         spec, (size_t)kept) == RC_OK)
            out = rc_route_text(sorted);
        rc_route_free(sorted);
    }
    for (size_t i = 0; i < n; i++)
        free(xs[i].addrs);
    free(xs);
    free(spec);
    return out;
}

char *st_route_norm(const char *text)
{
    struct rc_route *rt = NULL;
    char why[160];
    if (rc_route_parse(text ? text : "", "", 0, &rt, why, sizeof why) != RC_OK)
        return NULL;
    char *out = st_route_norm_of(rt);
    rc_route_free(rt);
    return out;
}

int st_route_normalize(const char *text, char *out, size_t outlen)
{
    if (outlen)
        out[0] = '\0';
    char *n = st_route_norm(text);
    if (!n)
        return -1;
    if (outlen) {
        strncpy(out, n, outlen - 1);
        out[outlen - 1] = '\0';
    }
    free(n);
    return 0;
}

int st_route_in_order(const struct rc_route *rt)
{
    for (size_t i = 1; i < rc_route_count(rt); i++)
        if (rc_route_pref(rt, i) < rc_route_pref(rt, i - 1))
            return 0;
    return 1;
}

int st_route_ordered(const char *text)
{
    struct rc_route *rt = NULL;
    char why[160];
    if (rc_route_parse(text ? text : "", "", 0, &rt, why, sizeof why) != RC_OK)
        return -1;
    int ok = st_route_in_order(rt);
    rc_route_free(rt);
    return ok;
}
