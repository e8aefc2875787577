/*
 * rc_lookup: resolving one mail route without a cache (RFC 5321 section 5.1): the MX query,
 * null MX (RFC 7505), the implicit MX, the exchangers' addresses in preference order, and the
 * route's lifetime. Names are checked and normalised by rc_name.c.
 */
#include <stdlib.h>
#include <string.h>
#include "rc_cache.h"
#include "rc_internal.h"
#include "rc_lookup.h"

#define QTYPE_A 1
#define QTYPE_MX 15
#define QTYPE_AAAA 28

/* Growing list of address strings for the exchanger being resolved. */
struct addrs {
    char **v;
    size_t n, cap;
};

static void addrs_clear(struct addrs *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->n = a->cap = 0;
}

/* Moves the records' data (addresses) into a; rrs is emptied. -1 when out of memory. */
static int addrs_take(struct addrs *a, struct rc_records *rrs)
{
    int bad = 0;
    for (size_t i = 0; i < rrs->n && !bad; i++) {
        if (a->n == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 4;
            char **nv = realloc(a->v, cap * sizeof(*nv));
            if (nv == NULL) {
                bad = 1;
                break;
            }
            a->v = nv;
            a->cap = cap;
        }
        a->v[a->n++] = rrs->v[i].data;
        rrs->v[i].data = NULL;
    }
    rc_records_clear(rrs);
    return bad ? -1 : 0;
}

/* One query through r, judged by rc_answer_parse. */
static enum rc_status ask(struct rc_resolver *r, const char *name, uint16_t qtype,
                          struct rc_records *rrs, uint32_t *ttl, char *why, size_t whylen)
{
    uint8_t *wire = NULL;
    size_t len = 0;
    memset(rrs, 0, sizeof(*rrs));
    enum rc_status st = rc_resolver_query(r, name, qtype, &wire, &len, why, whylen);
    if (st != RC_OK)
        return st == RC_INVAL || st == RC_NOMEM ? st : RC_RETRY;
    st = rc_answer_parse(wire, len, name, qtype, rrs, ttl, why, whylen);
    free(wire);
    return st;
}

/* A and (want_aaaa) AAAA of host into a; *ttl lowered to each address RRset's TTL.
 * RC_OK if any address was found; else RC_RETRY if a query failed temporarily, RC_NXDOMAIN if
 * the host does not exist, RC_NOADDR otherwise; RC_NOMEM/RC_INVAL passed through. */
static enum rc_status host_addrs(struct rc_resolver *r, const char *host, int want_aaaa,
                                 struct addrs *a, uint32_t *ttl, char *why, size_t whylen)
{
    const uint16_t types[2] = {QTYPE_A, QTYPE_AAAA};
    int retry = 0, nx = 0;
    for (int i = 0; i < (want_aaaa ? 2 : 1); i++) {
        struct rc_records rrs;
        uint32_t t = 0;
        enum rc_status st = ask(r, host, types[i], &rrs, &t, why, whylen);
        if (st == RC_OK) {
            if (addrs_take(a, &rrs) != 0)
                return RC_NOMEM;
            *ttl = t < *ttl ? t : *ttl;
        } else if (st == RC_NOMEM || st == RC_INVAL) {
            return st;
        } else if (st == RC_RETRY) {
            retry = 1;
        } else if (st == RC_NXDOMAIN) {
            nx = 1;
        }
    }
    if (a->n > 0)
        return RC_OK;
    if (retry)
        return RC_RETRY;
    rc_why(why, whylen, "%s: %s", host, nx ? "host does not exist" : "no address records");
    return nx ? RC_NXDOMAIN : RC_NOADDR;
}

struct mx {
    uint16_t pref;
    size_t order; /* position in the answer, for a deterministic sort */
    char name[254];
    struct addrs addrs;
};

static int mx_cmp(const void *x, const void *y)
{
    const struct mx *a = x, *b = y;
    if (a->pref != b->pref)
        return a->pref < b->pref ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c != 0)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* The MX records into mx[] (names normalised; names that are not mail host names, and the
 * root, kept with an empty name so the null MX can be told and then skipped). */
static void parse_mx(const struct rc_records *rrs, struct mx *mx)
{
    for (size_t i = 0; i < rrs->n; i++) {
        mx[i].pref = rrs->v[i].pref;
        mx[i].order = i;
        if (strcmp(rrs->v[i].data, ".") == 0)
            strcpy(mx[i].name, ".");
        else if (rc_name_normalize(rrs->v[i].data, mx[i].name, sizeof(mx[i].name), NULL, 0) != RC_OK)
            mx[i].name[0] = '\0'; /* not a host name: skipped */
    }
}

/* The route from the n exchangers (those with an address, in mx[]'s order). */
static enum rc_status build(struct mx *mx, size_t n, const char *domain, int implicit,
                            uint32_t ttl, struct rc_route **out)
{
    struct rc_route_xspec *spec = calloc(n ? n : 1, sizeof(*spec));
    if (spec == NULL)
        return RC_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (mx[i].addrs.n == 0)
            continue;
        spec[k].name = mx[i].name;
        spec[k].pref = mx[i].pref;
        spec[k].naddr = mx[i].addrs.n;
        spec[k].addrs = (const char *const *)mx[i].addrs.v;
        k++;
    }
    enum rc_status st = rc_route_new(out, domain, implicit, ttl, spec, k);
    free(spec);
    return st;
}

/* A route with one exchanger, the (normalised) host itself at preference 0, from its address
 * records: the implicit MX (implicit = 1) and the forward host. Statuses as host_addrs. */
static enum rc_status host_route(struct rc_resolver *r, const char *name, int want_aaaa,
                                 int implicit, struct rc_route **out, char *why, size_t whylen)
{
    struct mx *self = calloc(1, sizeof(*self));
    if (self == NULL)
        return RC_NOMEM;
    strcpy(self->name, name);
    uint32_t ttl = UINT32_MAX;
    enum rc_status st = host_addrs(r, name, want_aaaa, &self->addrs, &ttl, why, whylen);
    if (st == RC_OK)
        st = build(self, 1, name, implicit, ttl, out);
    addrs_clear(&self->addrs);
    free(self);
    return st;
}

enum rc_status rc_lookup_route(struct rc_resolver *r, const char *domain, int want_aaaa,
                               unsigned faults, struct rc_route **out, char *why, size_t whylen)
{
    char name[254];
    if (out != NULL)
        *out = NULL;
    if (r == NULL || out == NULL) {
        rc_why(why, whylen, "rc_lookup_route: NULL argument");
        return RC_INVAL;
    }
    enum rc_status st = rc_name_normalize(domain, name, sizeof(name), why, whylen);
    if (st != RC_OK)
        return st;

    struct rc_records rrs;
    uint32_t mx_ttl = 0;
    st = ask(r, name, QTYPE_MX, &rrs, &mx_ttl, why, whylen);
    if (st == RC_NOADDR) {
        /* NODATA for MX: the implicit MX, the domain itself as its only exchanger. */
        st = host_route(r, name, want_aaaa, 1, out, why, whylen);
        if (st == RC_NXDOMAIN)
            st = RC_NOADDR; /* NODATA then NXDOMAIN: a server changing its mind; no route */
        if (st == RC_NOADDR)
            rc_why(why, whylen, "%s: no MX records and no address", name);
        return st;
    }
    if (st != RC_OK)
        return st;

    /* Every exchanger the answer holds (a 64 KiB answer: about 3,600 at most), no cap. */
    size_t n = rrs.n;
    struct mx *mx = calloc(n, sizeof(*mx));
    if (mx == NULL) {
        rc_records_clear(&rrs);
        return RC_NOMEM;
    }
    parse_mx(&rrs, mx);
    rc_records_clear(&rrs);
    if (n == 1 && mx[0].pref == 0 && strcmp(mx[0].name, ".") == 0) {
        free(mx);
        rc_why(why, whylen, "%s: null MX (RFC 7505)", name);
        return RC_NULLMX;
    }
    qsort(mx, n, sizeof(*mx), mx_cmp);

    uint32_t ttl = mx_ttl, addr_ttl = UINT32_MAX;
    int retry = 0;
    size_t usable = 0;
    st = RC_OK;
    for (size_t i = 0; i < n && st != RC_NOMEM && st != RC_INVAL; i++) {
        if (mx[i].name[0] == '\0' || strcmp(mx[i].name, ".") == 0)
            continue;
        uint32_t t = UINT32_MAX;
        st = host_addrs(r, mx[i].name, want_aaaa, &mx[i].addrs, &t, why, whylen);
        if (st == RC_OK) {
            usable++;
            addr_ttl = t < addr_ttl ? t : addr_ttl;
        } else if (st == RC_RETRY) {
            retry = 1;
        }
    }
    if (st == RC_NOMEM || st == RC_INVAL) {
        /* keep st */
    } else if (usable == 0) {
        st = retry ? RC_RETRY : RC_NOADDR;
        rc_why(why, whylen, "%s: no exchanger has an address%s", name,
               retry ? " (some lookups failed temporarily)" : "");
    } else {
        if (!(faults & RC_FAULT_IGNORE_ADDR_TTL))
            ttl = addr_ttl < ttl ? addr_ttl : ttl;
        st = build(mx, n, name, 0, ttl, out);
    }
    for (size_t i = 0; i < n; i++)
        addrs_clear(&mx[i].addrs);
    free(mx);
    return st;
}

enum rc_status rc_lookup_host(struct rc_resolver *r, const char *host, int want_aaaa,
                              struct rc_route **out, char *why, size_t whylen)
{
    char name[254];
    if (out != NULL)
        *out = NULL;
    if (r == NULL || out == NULL) {
        rc_why(why, whylen, "rc_lookup_host: NULL argument");
        return RC_INVAL;
    }
    enum rc_status st = rc_name_normalize(host, name, sizeof(name), why, whylen);
    if (st != RC_OK)
        return st;
    return host_route(r, name, want_aaaa, 0, out, why, whylen);
}
