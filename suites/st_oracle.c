/*
 * st_oracle: SPEC.md's route rules applied to a scenario's records, independently of the
 * model. Records are read with ldns (the fixture's own record syntax) into one table per step,
 * sorted by owner; a resolution walks that table the way the fixture's answers let a resolver
 * walk DNS.
 */
#define _GNU_SOURCE
#include "st_oracle.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ldns/ldns.h>

#include "rc_route.h"

#define CHAIN_MAX 8   /* CNAMEs followed before a chain counts as a loop (NODATA) */

struct rec {
    char *owner;      /* lower case, no trailing dot */
    uint16_t type;
    uint32_t ttl;     /* as written */
    unsigned pref;    /* MX */
    char *data;       /* MX exchanger or CNAME target (folded; "." the root), or an address */
};

struct step_recs {
    struct rec *v;
    size_t n;
};

struct st_oracle {
    const struct fx_scenario *sc;
    struct step_recs *steps;
    size_t nsteps;
};

static void fold(char *s)
{
    for (char *c = s; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    size_t n = strlen(s);
    if (n > 1 && s[n - 1] == '.')
        s[n - 1] = '\0';
}

static char *rdf_text(const ldns_rdf *rdf, int name)
{
    char *s = rdf ? ldns_rdf2str(rdf) : NULL;
    if (s && name)
        fold(s);
    return s;
}

static int cmp_rec(const void *a, const void *b)
{
    return strcmp(((const struct rec *)a)->owner, ((const struct rec *)b)->owner);
}

void st_oracle_free(struct st_oracle *o)
{
    if (!o)
        return;
    for (size_t s = 0; o->steps && s < o->nsteps; s++) {
        for (size_t i = 0; i < o->steps[s].n; i++) {
            free(o->steps[s].v[i].owner);
            free(o->steps[s].v[i].data);
        }
        free(o->steps[s].v);
    }
    free(o->steps);
    free(o);
}

/* One master-file line into r. 0, -1 does not parse (*why), -2 memory. */
static int read_rec(const char *line, struct rec *r, char *why, size_t whylen)
{
    ldns_rr *rr = NULL;
    ldns_status ls = ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL);
    if (ls != LDNS_STATUS_OK) {
        snprintf(why, whylen, "\"%s\": %s", line, ldns_get_errorstr_by_id(ls));
        return -1;
    }
    int rc = 0;
    r->type = (uint16_t)ldns_rr_get_type(rr);
    r->ttl = ldns_rr_ttl(rr);
    r->owner = rdf_text(ldns_rr_owner(rr), 1);
    switch (r->type) {
    case LDNS_RR_TYPE_MX:
        r->pref = ldns_rr_rd_count(rr) == 2 ? ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)) : 0;
        r->data = rdf_text(ldns_rr_rdf(rr, 1), 1);
        break;
    case LDNS_RR_TYPE_CNAME: r->data = rdf_text(ldns_rr_rdf(rr, 0), 1); break;
    default: r->data = rdf_text(ldns_rr_rdf(rr, 0), 0); break;
    }
    if (!r->owner || !r->data)
        rc = -2;
    ldns_rr_free(rr);
    return rc;
}

static int load_step(struct step_recs *sr, const char *zone, char *why, size_t whylen)
{
    for (const char *p = zone; p && *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *line = strndup(p, len);
        p = eol ? eol + 1 : p + len;
        if (!line)
            return -2;
        if (line[strspn(line, " \t\r")] == '\0') {
            free(line);
            continue;
        }
        struct rec *nv = realloc(sr->v, (sr->n + 1) * sizeof *nv);
        if (!nv) {
            free(line);
            return -2;
        }
        sr->v = nv;
        memset(&sr->v[sr->n], 0, sizeof sr->v[sr->n]);
        int rc = read_rec(line, &sr->v[sr->n++], why, whylen);
        free(line);
        if (rc != 0)
            return rc;
    }
    if (sr->n > 1)
        qsort(sr->v, sr->n, sizeof *sr->v, cmp_rec);
    return 0;
}

int st_oracle_new(struct st_oracle **out, const struct fx_scenario *sc, char *why,
                  size_t whylen)
{
    *out = NULL;
    struct st_oracle *o = calloc(1, sizeof *o);
    if (o) {
        o->sc = sc;
        o->nsteps = fx_scenario_step_count(sc);
        o->steps = calloc(o->nsteps ? o->nsteps : 1, sizeof *o->steps);
    }
    if (!o || !o->steps) {
        st_oracle_free(o);
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    for (size_t s = 0; s < o->nsteps; s++) {
        char rwhy[512] = "";
        int rc = load_step(&o->steps[s], fx_scenario_step_zone(sc, s), rwhy, sizeof rwhy);
        if (rc != 0) {
            if (rc == -2)
                snprintf(why, whylen, "out of memory");
            else
                snprintf(why, whylen, "%s step %zu: record %s", fx_scenario_name(sc), s, rwhy);
            st_oracle_free(o);
            return -1;
        }
    }
    *out = o;
    return 0;
}

/* ---- resolving ---- */

static uint32_t clamp(uint32_t ttl) { return ttl > 0x7fffffffu ? 0 : ttl; }

/* The records of (owner) in a step: index of the first and the count. */
static size_t owned(const struct step_recs *sr, const char *owner, size_t *first)
{
    size_t lo = 0, hi = sr->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(sr->v[mid].owner, owner) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < sr->n && strcmp(sr->v[lo + n].owner, owner) == 0)
        n++;
    *first = lo;
    return n;
}

static int add_name(struct st_oracle_answer *ans, const char *name)
{
    for (size_t i = 0; i < ans->nnames; i++)
        if (strcmp(ans->names[i], name) == 0)
            return 0;
    char **nn = realloc(ans->names, (ans->nnames + 1) * sizeof *nn);
    if (!nn)
        return -1;
    ans->names = nn;
    if (!(ans->names[ans->nnames] = strdup(name)))
        return -1;
    ans->nnames++;
    return 0;
}

enum got { GOT_RECORDS, GOT_NODATA, GOT_NXDOMAIN, GOT_RETRY, GOT_NOMEM };

/* One question as a resolver would see it: the records of qtype at the end of name's CNAME
 * chain (*first, *count in step s's table), the least TTL along the way in *ttl. Every name on
 * the chain is added to ans->names; *why says what ended a chain without records. */
static enum got ask(const struct st_oracle *o, size_t s, const char *name, uint16_t qtype,
                    size_t *first, size_t *count, uint32_t *ttl, struct st_oracle_answer *ans,
                    char *why, size_t whylen)
{
    const struct step_recs *sr = &o->steps[s];
    const char *cur = name;
    *ttl = UINT32_MAX;
    *count = 0;
    for (int depth = 0; depth <= CHAIN_MAX; depth++) {
        if (add_name(ans, cur) != 0)
            return GOT_NOMEM;
        switch (fx_scenario_name_kind(o->sc, s, cur)) {
        case FX_NAME_SERVFAIL:
            snprintf(why, whylen, "%s: SERVFAIL", cur);
            return GOT_RETRY;
        case FX_NAME_TIMEOUT:
            snprintf(why, whylen, "%s: no answer (timeout)", cur);
            return GOT_RETRY;
        case FX_NAME_MALFORMED:
            snprintf(why, whylen, "%s: %s", cur, qtype == LDNS_RR_TYPE_MX
                                                     ? "malformed MX answer"
                                                     : "NXDOMAIN (malformed name, not MX)");
            return qtype == LDNS_RR_TYPE_MX ? GOT_RETRY : GOT_NXDOMAIN;
        case FX_NAME_NXDOMAIN:
            snprintf(why, whylen, "%s: NXDOMAIN", cur);
            return GOT_NXDOMAIN;
        case FX_NAME_RECORDS: break;
        }
        size_t f, n = owned(sr, cur, &f), k = 0;
        const struct rec *cname = NULL;
        uint32_t least = UINT32_MAX;
        for (size_t i = f; i < f + n; i++) {
            if (sr->v[i].type == qtype) {
                k++;
                least = clamp(sr->v[i].ttl) < least ? clamp(sr->v[i].ttl) : least;
            } else if (sr->v[i].type == LDNS_RR_TYPE_CNAME) {
                cname = &sr->v[i];
            }
        }
        if (k > 0) {
            *first = f;
            *count = n;
            *ttl = least < *ttl ? least : *ttl;
            return GOT_RECORDS;
        }
        if (!cname || n == 0) {
            snprintf(why, whylen, "%s: no %s records (NODATA)", cur,
                     ldns_rr_descript(qtype) ? ldns_rr_descript(qtype)->_name : "such");
            return n == 0 ? GOT_NXDOMAIN : GOT_NODATA;
        }
        *ttl = clamp(cname->ttl) < *ttl ? clamp(cname->ttl) : *ttl;
        cur = cname->data;
    }
    snprintf(why, whylen, "%s: CNAME chain longer than %d", name, CHAIN_MAX);
    return GOT_NODATA;
}

/* An exchanger of the route being built. */
struct xb {
    unsigned pref;
    const char *name;     /* borrowed from the records or the caller */
    char **addrs;         /* borrowed from the records */
    size_t naddrs;
};

static int cmp_addr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_xb(const void *a, const void *b)
{
    const struct xb *x = a, *y = b;
    if (x->pref != y->pref)
        return x->pref < y->pref ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The A records of host into x (borrowed pointers). Statuses as ask(). */
static enum got host_addrs(const struct st_oracle *o, size_t s, const char *host, struct xb *x,
                           uint32_t *ttl, struct st_oracle_answer *ans, char *why,
                           size_t whylen)
{
    size_t first, count;
    enum got g = ask(o, s, host, LDNS_RR_TYPE_A, &first, &count, ttl, ans, why, whylen);
    if (g != GOT_RECORDS)
        return g;
    const struct step_recs *sr = &o->steps[s];
    x->addrs = malloc(count * sizeof *x->addrs);
    if (!x->addrs)
        return GOT_NOMEM;
    x->naddrs = 0;
    for (size_t i = first; i < first + count; i++)
        if (sr->v[i].type == LDNS_RR_TYPE_A)
            x->addrs[x->naddrs++] = sr->v[i].data;
    qsort(x->addrs, x->naddrs, sizeof *x->addrs, cmp_addr);
    return GOT_RECORDS;
}

/* The route text of xs (those with addresses), sorted by (preference, name), written by the
 * model's one route formatter. -1 on no memory. */
static int route_text(struct xb *xs, size_t n, const char *domain, int implicit, uint32_t ttl,
                      struct st_oracle_answer *ans)
{
    qsort(xs, n, sizeof *xs, cmp_xb);
    struct rc_route_xspec *spec = calloc(n ? n : 1, sizeof *spec);
    if (!spec)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (xs[i].naddrs > 0)
            spec[k++] = (struct rc_route_xspec){xs[i].name, (uint16_t)xs[i].pref, xs[i].naddrs,
                                                (const char *const *)xs[i].addrs};
    struct rc_route *rt = NULL;
    if (rc_route_new(&rt, domain, implicit, ttl, spec, k) == RC_OK)
        ans->text = rc_route_text(rt);
    rc_route_free(rt);
    free(spec);
    return ans->text ? 0 : -1;
}

static enum rc_status status_of(enum got g)
{
    switch (g) {
    case GOT_RETRY: return RC_RETRY;
    case GOT_NXDOMAIN: return RC_NXDOMAIN;
    case GOT_NOMEM: return RC_NOMEM;
    default: return RC_NOADDR;
    }
}

/* A route of one exchanger, host itself, from its A records: the implicit MX and the forward
 * host. NXDOMAIN after an MX NODATA is no route (the server changed its mind mid-lookup). */
static int self_route(const struct st_oracle *o, size_t s, const char *host, int implicit,
                      struct st_oracle_answer *ans)
{
    struct xb x = {0, host, NULL, 0};
    uint32_t ttl;
    enum got g = host_addrs(o, s, host, &x, &ttl, ans, ans->why, sizeof ans->why);
    if (g == GOT_RECORDS) {
        ans->status = RC_OK;
        ans->implicit = implicit;
        ans->ttl = ttl;
        int rc = route_text(&x, 1, host, implicit, ttl, ans);
        free(x.addrs);
        return rc;
    }
    ans->status = status_of(g);
    if (implicit && ans->status == RC_NXDOMAIN)
        ans->status = RC_NOADDR;
    if (implicit && ans->status == RC_NOADDR)
        snprintf(ans->why, sizeof ans->why, "%s: no MX records and no address", host);
    return ans->status == RC_NOMEM ? -1 : 0;
}

/* The exchangers of the MX RRset at records [first, first+count) of step s. */
static int mx_route(const struct st_oracle *o, size_t s, const char *domain, size_t first,
                    size_t count, uint32_t mx_ttl, struct st_oracle_answer *ans)
{
    const struct step_recs *sr = &o->steps[s];
    struct xb *xs = calloc(count, sizeof *xs);
    if (!xs)
        return -1;
    size_t n = 0;
    for (size_t i = first; i < first + count; i++)
        if (sr->v[i].type == LDNS_RR_TYPE_MX)
            xs[n++] = (struct xb){sr->v[i].pref, sr->v[i].data, NULL, 0};
    if (n == 1 && xs[0].pref == 0 && strcmp(xs[0].name, ".") == 0) {
        free(xs);
        ans->status = RC_NULLMX;
        snprintf(ans->why, sizeof ans->why, "%s: null MX (RFC 7505)", domain);
        return 0;
    }
    uint32_t ttl = mx_ttl;
    size_t usable = 0;
    int retry = 0, rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (strcmp(xs[i].name, ".") == 0)
            continue;
        uint32_t t;
        char why[200];
        enum got g = host_addrs(o, s, xs[i].name, &xs[i], &t, ans, why, sizeof why);
        if (g == GOT_RECORDS) {
            usable++;
            ttl = t < ttl ? t : ttl;
        } else if (g == GOT_RETRY) {
            retry = 1;
        } else if (g == GOT_NOMEM) {
            rc = -1;
        }
    }
    if (rc == 0 && usable == 0) {
        ans->status = retry ? RC_RETRY : RC_NOADDR;
        snprintf(ans->why, sizeof ans->why, "%s: no exchanger has an address%s", domain,
                 retry ? " (some lookups failed temporarily)" : "");
    } else if (rc == 0) {
        ans->status = RC_OK;
        ans->ttl = ttl;
        rc = route_text(xs, n, domain, 0, ttl, ans);
    }
    for (size_t i = 0; i < n; i++)
        free(xs[i].addrs);
    free(xs);
    return rc;
}

int st_oracle_resolve(const struct st_oracle *o, size_t step, const char *name, int forward,
                      struct st_oracle_answer *ans)
{
    memset(ans, 0, sizeof *ans);
    char *key = strdup(name);
    if (!key)
        return -1;
    fold(key);
    int rc;
    if (step >= o->nsteps) {
        ans->status = RC_INVAL;
        snprintf(ans->why, sizeof ans->why, "no step %zu", step);
        rc = 0;
    } else if (forward) {
        rc = self_route(o, step, key, 0, ans);
    } else {
        size_t first, count;
        uint32_t ttl;
        enum got g = ask(o, step, key, LDNS_RR_TYPE_MX, &first, &count, &ttl, ans, ans->why,
                         sizeof ans->why);
        if (g == GOT_NODATA)
            rc = self_route(o, step, key, 1, ans);
        else if (g == GOT_RECORDS)
            rc = mx_route(o, step, key, first, count, ttl, ans);
        else {
            ans->status = status_of(g);
            rc = g == GOT_NOMEM ? -1 : 0;
        }
    }
    free(key);
    return rc;
}

void st_oracle_answer_clear(struct st_oracle_answer *ans)
{
    if (!ans)
        return;
    for (size_t i = 0; i < ans->nnames; i++)
        free(ans->names[i]);
    free(ans->names);
    free(ans->text);
    memset(ans, 0, sizeof *ans);
}
