/*
 * rc_resolver_stub: the in-process resolver for hermetic unit tests. It answers from zone data
 * parsed by ldns and builds real ldns packets (NOERROR with answers, NODATA, NXDOMAIN, CNAME
 * chains), so the model's answer parser sees the same wire a server would send. Faults give
 * SERVFAIL, silence, truncated garbage or an answer to another question, per name.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ldns/ldns.h>
#include "rc_internal.h"

struct stub_fault {
    char *name;
    enum rc_stub_fault fault;
};

struct stub_logent {
    char *name;
    uint16_t qtype;
};

struct stub {
    struct rc_resolver base;
    ldns_rr_list *rrs;
    ldns_rr **byname;  /* the records of rrs sorted by owner (canonical order), for lookups */
    struct stub_fault *faults;
    size_t nfaults;
    struct stub_logent *log;
    size_t nlog, caplog;
    uint16_t next_id;
};

static void stub_free(struct rc_resolver *r)
{
    struct stub *s = (struct stub *)r;
    ldns_rr_list_deep_free(s->rrs);
    free(s->byname);
    for (size_t i = 0; i < s->nfaults; i++)
        free(s->faults[i].name);
    free(s->faults);
    for (size_t i = 0; i < s->nlog; i++)
        free(s->log[i].name);
    free(s->log);
    free(s);
}

static enum rc_stub_fault fault_for(const struct stub *s, const char *qname)
{
    for (size_t i = 0; i < s->nfaults; i++)
        if (strcasecmp(s->faults[i].name, qname) == 0)
            return s->faults[i].fault;
    return RC_STUB_NONE;
}

static int log_query(struct stub *s, const char *qname, uint16_t qtype)
{
    if (s->nlog == s->caplog) {
        size_t cap = s->caplog ? s->caplog * 2 : 16;
        struct stub_logent *nl = realloc(s->log, cap * sizeof(*nl));
        if (nl == NULL)
            return -1;
        s->log = nl;
        s->caplog = cap;
    }
    s->log[s->nlog].name = strdup(qname);
    if (s->log[s->nlog].name == NULL)
        return -1;
    s->log[s->nlog++].qtype = qtype;
    return 0;
}

static int owner_cmp(const void *x, const void *y)
{
    const ldns_rr *const *a = x, *const *b = y;
    return ldns_dname_compare(ldns_rr_owner(*a), ldns_rr_owner(*b));
}

/* Index of the first record owned by name in s->byname (binary search); nrr if none. */
static size_t first_owned(const struct stub *s, const ldns_rdf *name)
{
    size_t lo = 0, hi = ldns_rr_list_rr_count(s->rrs);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ldns_dname_compare(ldns_rr_owner(s->byname[mid]), name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Adds the zone's answer for (name, qtype) to pkt, following CNAMEs as a server does.
 * Returns 1 if the name (or the end of its CNAME chain) exists, 0 for NXDOMAIN, -1 on error. */
static int add_answers(const struct stub *s, ldns_pkt *pkt, const ldns_rdf *qn, uint16_t qtype)
{
    const ldns_rdf *cur = qn;
    size_t nrr = ldns_rr_list_rr_count(s->rrs);
    for (int depth = 0; depth < 8; depth++) {
        int exists = 0, found = 0;
        const ldns_rr *cname = NULL;
        for (size_t i = first_owned(s, cur); i < nrr; i++) {
            const ldns_rr *rr = s->byname[i];
            if (ldns_dname_compare(ldns_rr_owner(rr), cur) != 0)
                break;
            exists = 1;
            if (ldns_rr_get_type(rr) == qtype) {
                ldns_rr *c = ldns_rr_clone(rr);
                if (c == NULL || !ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, c)) {
                    ldns_rr_free(c);
                    return -1;
                }
                found = 1;
            } else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME) {
                cname = rr;
            }
        }
        if (found || cname == NULL || qtype == LDNS_RR_TYPE_CNAME)
            return exists;
        ldns_rr *c = ldns_rr_clone(cname);
        if (c == NULL || !ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, c)) {
            ldns_rr_free(c);
            return -1;
        }
        cur = ldns_rr_rdf(cname, 0);
    }
    return 1; /* a CNAME loop: NOERROR with the chain so far, as servers do */
}

/* A response packet to (qname, qtype) with the question only. */
static ldns_pkt *response_new(struct stub *s, const char *qname, uint16_t qtype)
{
    char abs[256];
    snprintf(abs, sizeof(abs), "%s.", qname);
    ldns_rdf *qn = ldns_dname_new_frm_str(abs);
    if (qn == NULL)
        return NULL;
    ldns_pkt *pkt = ldns_pkt_query_new(qn, qtype, LDNS_RR_CLASS_IN, LDNS_RD);
    if (pkt == NULL) {
        ldns_rdf_deep_free(qn);
        return NULL;
    }
    ldns_pkt_set_id(pkt, s->next_id++);
    ldns_pkt_set_qr(pkt, true);
    ldns_pkt_set_aa(pkt, true);
    ldns_pkt_set_ra(pkt, true);
    return pkt;
}

static int push_str(ldns_pkt *pkt, const char *rrtext)
{
    ldns_rr *rr = NULL;
    if (ldns_rr_new_frm_str(&rr, rrtext, 300, NULL, NULL) != LDNS_STATUS_OK)
        return -1;
    if (!ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr)) {
        ldns_rr_free(rr);
        return -1;
    }
    return 0;
}

static enum rc_status stub_query(struct rc_resolver *r, const char *qname, uint16_t qtype,
                                 uint8_t **wire, size_t *len, char *why, size_t whylen)
{
    struct stub *s = (struct stub *)r;
    if (log_query(s, qname, qtype) != 0)
        return RC_NOMEM;
    enum rc_stub_fault fault = fault_for(s, qname);
    if (fault == RC_STUB_TIMEOUT) {
        rc_why(why, whylen, "%s: no answer (stub timeout)", qname);
        return RC_RETRY;
    }

    ldns_pkt *pkt = response_new(s, fault == RC_STUB_MISMATCH ? "mismatch.invalid" : qname, qtype);
    if (pkt == NULL)
        return RC_NOMEM;
    int ok = 0;
    if (fault == RC_STUB_SERVFAIL) {
        ldns_pkt_set_rcode(pkt, LDNS_RCODE_SERVFAIL);
        ok = 1;
    } else if (fault == RC_STUB_MISMATCH) {
        ok = push_str(pkt, qtype == LDNS_RR_TYPE_MX ? "mismatch.invalid. 300 IN MX 10 mx.mismatch.invalid."
                                                    : "mismatch.invalid. 300 IN A 192.0.2.1") == 0;
    } else if (fault == RC_STUB_MALFORMED) {
        /* A record whose end is cut off below, so the header promises more than there is. */
        char text[300];
        snprintf(text, sizeof(text), "%s. 300 IN MX 10 mx.%s.", qname, qname);
        ok = push_str(pkt, text) == 0;
    } else {
        ldns_rdf *qn = ldns_pkt_question(pkt) ? ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(pkt), 0)) : NULL;
        int exists = qn ? add_answers(s, pkt, qn, qtype) : -1;
        if (exists == 0)
            ldns_pkt_set_rcode(pkt, LDNS_RCODE_NXDOMAIN);
        ok = exists >= 0;
    }
    if (!ok) {
        ldns_pkt_free(pkt);
        return RC_NOMEM;
    }
    ldns_status ls = ldns_pkt2wire(wire, pkt, len);
    ldns_pkt_free(pkt);
    if (ls != LDNS_STATUS_OK) {
        rc_why(why, whylen, "%s: cannot build answer: %s", qname, ldns_get_errorstr_by_id(ls));
        return RC_NOMEM;
    }
    if (fault == RC_STUB_MALFORMED && *len > 14)
        *len -= 5;
    return RC_OK;
}

static const struct rc_resolver_ops stub_ops = {stub_query, stub_free};

static struct stub *as_stub(const struct rc_resolver *r)
{
    return r != NULL && r->ops == &stub_ops ? (struct stub *)(uintptr_t)r : NULL;
}

enum rc_status rc_resolver_stub_new(struct rc_resolver **out)
{
    if (out == NULL)
        return RC_INVAL;
    struct stub *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return RC_NOMEM;
    s->base.ops = &stub_ops;
    s->next_id = 1;
    s->rrs = ldns_rr_list_new();
    if (s->rrs == NULL) {
        stub_free(&s->base);
        return RC_NOMEM;
    }
    *out = &s->base;
    return RC_OK;
}

/* A merge sort keeps records of one owner in zone order (qsort is not stable). */
static void merge_sort(ldns_rr **v, ldns_rr **tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(v, tmp, h);
    merge_sort(v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = owner_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
}

enum rc_status rc_resolver_stub_load(struct rc_resolver *r, const char *zone, char *why,
                                     size_t whylen)
{
    struct stub *s = as_stub(r);
    if (s == NULL || zone == NULL) {
        rc_why(why, whylen, "rc_resolver_stub_load: not a stub resolver or NULL zone");
        return RC_INVAL;
    }
    ldns_rr_list *rrs = ldns_rr_list_new();
    if (rrs == NULL)
        return RC_NOMEM;
    const char *p = zone;
    for (int lineno = 1; *p != '\0'; lineno++) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        char line[1024];
        if (n >= sizeof(line)) {
            rc_why(why, whylen, "line %d: longer than %zu octets", lineno, sizeof(line) - 1);
            ldns_rr_list_deep_free(rrs);
            return RC_INVAL;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        p = eol ? eol + 1 : p + n;
        size_t k = strspn(line, " \t\r");
        if (line[k] == '\0' || line[k] == ';' || line[k] == '#')
            continue;
        ldns_rr *rr = NULL;
        ldns_status ls = ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL);
        if (ls != LDNS_STATUS_OK) {
            rc_why(why, whylen, "line %d: %s: %s", lineno, ldns_get_errorstr_by_id(ls), line + k);
            ldns_rr_list_deep_free(rrs);
            return RC_INVAL;
        }
        if (!ldns_rr_list_push_rr(rrs, rr)) {
            ldns_rr_free(rr);
            ldns_rr_list_deep_free(rrs);
            return RC_NOMEM;
        }
    }
    /* Sorted by owner, stable within an owner so answers keep the zone's record order. */
    size_t nrr = ldns_rr_list_rr_count(rrs);
    ldns_rr **byname = malloc((nrr ? nrr : 1) * sizeof(*byname));
    ldns_rr **tmp = malloc((nrr ? nrr : 1) * sizeof(*tmp));
    if (byname == NULL || tmp == NULL) {
        free(byname);
        free(tmp);
        ldns_rr_list_deep_free(rrs);
        return RC_NOMEM;
    }
    for (size_t i = 0; i < nrr; i++)
        byname[i] = ldns_rr_list_rr(rrs, i);
    merge_sort(byname, tmp, nrr);
    free(tmp);
    ldns_rr_list_deep_free(s->rrs);
    free(s->byname);
    s->rrs = rrs;
    s->byname = byname;
    return RC_OK;
}

enum rc_status rc_resolver_stub_fault(struct rc_resolver *r, const char *name,
                                      enum rc_stub_fault fault)
{
    struct stub *s = as_stub(r);
    if (s == NULL || name == NULL || (unsigned)fault > RC_STUB_MISMATCH)
        return RC_INVAL;
    char *copy = strdup(name);
    if (copy == NULL)
        return RC_NOMEM;
    size_t n = strlen(copy);
    if (n > 0 && copy[n - 1] == '.')
        copy[n - 1] = '\0'; /* queries are matched without the trailing dot */
    for (size_t i = 0; i < s->nfaults; i++) {
        if (strcasecmp(s->faults[i].name, copy) == 0) {
            s->faults[i].fault = fault;
            free(copy);
            return RC_OK;
        }
    }
    struct stub_fault *nf = realloc(s->faults, (s->nfaults + 1) * sizeof(*nf));
    if (nf == NULL) {
        free(copy);
        return RC_NOMEM;
    }
    s->faults = nf;
    s->faults[s->nfaults].name = copy;
    s->faults[s->nfaults++].fault = fault;
    return RC_OK;
}

size_t rc_resolver_stub_log_count(const struct rc_resolver *r)
{
    const struct stub *s = as_stub(r);
    return s == NULL ? 0 : s->nlog;
}

const char *rc_resolver_stub_log(const struct rc_resolver *r, size_t i, uint16_t *qtype)
{
    const struct stub *s = as_stub(r);
    if (s == NULL || i >= s->nlog)
        return NULL;
    if (qtype != NULL)
        *qtype = s->log[i].qtype;
    return s->log[i].name;
}
