/*
 * rc_answer: judging one DNS response. Every resolver's reply, from the network or the stub,
 * passes through rc_answer_parse, which is also the fuzz entry point: it must classify any
 * octets whatsoever without crashing. ldns does the wire decoding; this file decides what the
 * reply means for a mail route (records, NODATA, NXDOMAIN or a temporary failure).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ldns/ldns.h>
#include "rc_internal.h"
#include "rc_lookup.h"

/* RFC 2181 section 8: a TTL with the top bit set is treated as zero. */
static uint32_t clamp_ttl(uint32_t ttl)
{
    return ttl > 0x7fffffffu ? 0 : ttl;
}

void rc_records_clear(struct rc_records *rrs)
{
    if (rrs == NULL)
        return;
    for (size_t i = 0; i < rrs->n; i++)
        free(rrs->v[i].data);
    free(rrs->v);
    memset(rrs, 0, sizeof(*rrs));
}

static int add_record(struct rc_records *rrs, uint16_t pref, const char *data)
{
    if (rrs->n == rrs->cap) {
        size_t cap = rrs->cap ? rrs->cap * 2 : 8;
        struct rc_record *nv = realloc(rrs->v, cap * sizeof(*nv));
        if (nv == NULL)
            return -1;
        rrs->v = nv;
        rrs->cap = cap;
    }
    char *d = strdup(data);
    if (d == NULL)
        return -1;
    rrs->v[rrs->n].pref = pref;
    rrs->v[rrs->n].data = d;
    rrs->n++;
    return 0;
}

/* A host name from an rdf as the model writes names: lower case, no trailing dot, "." for the
 * root. 0 on success, -1 if it does not fit or is not a dname. */
static int dname_text(const ldns_rdf *rdf, char *out, size_t outlen)
{
    if (rdf == NULL || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME)
        return -1;
    char *s = ldns_rdf2str(rdf);
    if (s == NULL)
        return -1;
    size_t n = strlen(s);
    if (n > 1 && s[n - 1] == '.')
        s[--n] = '\0';
    if (n >= outlen) {
        free(s);
        return -1;
    }
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
    free(s);
    return 0;
}

/* One record of qtype: its data as text into line, an MX preference into *pref; RC_RETRY if
 * its RDATA is not what the type requires. */
static enum rc_status rr_text(const ldns_rr *rr, uint16_t qtype, uint16_t *pref_out, char *line,
                              size_t linelen)
{
    *pref_out = 0;
    if (qtype == LDNS_RR_TYPE_MX) {
        const ldns_rdf *pref = ldns_rr_rdf(rr, 0), *ex = ldns_rr_rdf(rr, 1);
        if (ldns_rr_rd_count(rr) != 2 || pref == NULL || ldns_rdf_get_type(pref) != LDNS_RDF_TYPE_INT16 ||
            ldns_rdf_size(pref) != 2 || dname_text(ex, line, linelen) != 0)
            return RC_RETRY;
        *pref_out = ldns_rdf2native_int16(pref);
        return RC_OK;
    }
    if (qtype == LDNS_RR_TYPE_A || qtype == LDNS_RR_TYPE_AAAA) {
        const ldns_rdf *a = ldns_rr_rdf(rr, 0);
        int af = qtype == LDNS_RR_TYPE_A ? AF_INET : AF_INET6;
        size_t want = qtype == LDNS_RR_TYPE_A ? 4 : 16;
        if (ldns_rr_rd_count(rr) != 1 || a == NULL || ldns_rdf_size(a) != want ||
            inet_ntop(af, ldns_rdf_data(a), line, (socklen_t)linelen) == NULL)
            return RC_RETRY;
        return RC_OK;
    }
    /* Other types: the presentation form of the first RDATA field, for completeness. */
    char *s = ldns_rr_rd_count(rr) > 0 ? ldns_rdf2str(ldns_rr_rdf(rr, 0)) : NULL;
    if (s == NULL || s[0] == '\0') {
        free(s);
        return RC_RETRY;
    }
    snprintf(line, linelen, "%s", s);
    free(s);
    return RC_OK;
}

static enum rc_status judge(const ldns_pkt *pkt, const ldns_rdf *qn, const char *qname, uint16_t qtype,
                            struct rc_records *rrs, uint32_t *ttl_out, char *why, size_t whylen)
{
    if (!ldns_pkt_qr(pkt) || ldns_pkt_get_opcode(pkt) != LDNS_PACKET_QUERY) {
        rc_why(why, whylen, "%s: reply is not a query response", qname);
        return RC_RETRY;
    }
    if (ldns_pkt_tc(pkt)) {
        rc_why(why, whylen, "%s: reply is truncated", qname);
        return RC_RETRY;
    }
    const ldns_rr_list *qs = ldns_pkt_question(pkt);
    const ldns_rr *q = ldns_rr_list_rr_count(qs) == 1 ? ldns_rr_list_rr(qs, 0) : NULL;
    if (q == NULL || ldns_dname_compare(ldns_rr_owner(q), qn) != 0 ||
        ldns_rr_get_type(q) != qtype || ldns_rr_get_class(q) != LDNS_RR_CLASS_IN) {
        rc_why(why, whylen, "%s: reply answers another question", qname);
        return RC_RETRY;
    }
    ldns_pkt_rcode rcode = ldns_pkt_get_rcode(pkt);
    if (rcode == LDNS_RCODE_NXDOMAIN) {
        rc_why(why, whylen, "%s: NXDOMAIN", qname);
        return RC_NXDOMAIN;
    }
    if (rcode != LDNS_RCODE_NOERROR) {
        rc_why(why, whylen, "%s: server answered rcode %u", qname, (unsigned)rcode);
        return RC_RETRY;
    }

    /* Follow CNAMEs inside the answer section; a chain longer than 16 is treated as a loop. */
    const ldns_rr_list *ans = ldns_pkt_answer(pkt);
    size_t nans = ldns_rr_list_rr_count(ans);
    const ldns_rdf *cur = qn;
    uint32_t minttl = UINT32_MAX;
    size_t found = 0;
    for (int depth = 0; depth < 16 && found == 0; depth++) {
        const ldns_rr *cname = NULL;
        for (size_t i = 0; i < nans; i++) {
            const ldns_rr *rr = ldns_rr_list_rr(ans, i);
            if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN || ldns_dname_compare(ldns_rr_owner(rr), cur) != 0)
                continue;
            if (ldns_rr_get_type(rr) == qtype) {
                char line[1100];
                uint16_t pref = 0;
                enum rc_status st = rr_text(rr, qtype, &pref, line, sizeof(line));
                if (st != RC_OK) {
                    rc_why(why, whylen, "%s: malformed record data in the answer", qname);
                    return st;
                }
                if (add_record(rrs, pref, line) != 0)
                    return RC_NOMEM;
                uint32_t t = clamp_ttl(ldns_rr_ttl(rr));
                minttl = t < minttl ? t : minttl;
                found++;
            } else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && cname == NULL) {
                cname = rr;
            }
        }
        if (found > 0 || cname == NULL)
            break;
        const ldns_rdf *target = ldns_rr_rdf(cname, 0);
        if (ldns_rr_rd_count(cname) != 1 || target == NULL || ldns_rdf_get_type(target) != LDNS_RDF_TYPE_DNAME) {
            rc_why(why, whylen, "%s: malformed CNAME in the answer", qname);
            return RC_RETRY;
        }
        uint32_t t = clamp_ttl(ldns_rr_ttl(cname));
        minttl = t < minttl ? t : minttl; /* the route was built from the alias too */
        cur = target;
    }
    if (found == 0) {
        rc_why(why, whylen, "%s: no records of type %u (NODATA)", qname, (unsigned)qtype);
        return RC_NOADDR;
    }
    *ttl_out = minttl;
    return RC_OK;
}

enum rc_status rc_answer_parse(const uint8_t *wire, size_t len, const char *qname, uint16_t qtype,
                               struct rc_records *rrs, uint32_t *ttl_out, char *why,
                               size_t whylen)
{
    if (rrs != NULL)
        memset(rrs, 0, sizeof(*rrs));
    if (ttl_out != NULL)
        *ttl_out = 0;
    if (rrs == NULL || ttl_out == NULL || (wire == NULL && len > 0)) {
        rc_why(why, whylen, "rc_answer_parse: NULL argument");
        return RC_INVAL;
    }
    char name[256];
    size_t n;
    uint32_t h;
    enum rc_status st = rc_name_key(qname, 1, name, sizeof(name) - 1, &n, &h, why, whylen);
    if (st != RC_OK)
        return st;
    name[n] = '.';
    name[n + 1] = '\0';

    ldns_pkt *pkt = NULL;
    if (wire == NULL || ldns_wire2pkt(&pkt, wire, len) != LDNS_STATUS_OK || pkt == NULL) {
        name[n] = '\0';
        rc_why(why, whylen, "%s: malformed answer (%zu octets)", name, len);
        return RC_RETRY;
    }
    ldns_rdf *qn = ldns_dname_new_frm_str(name);
    name[n] = '\0';
    if (qn == NULL) {
        ldns_pkt_free(pkt);
        return RC_NOMEM;
    }
    st = judge(pkt, qn, name, qtype, rrs, ttl_out, why, whylen);
    ldns_rdf_deep_free(qn);
    ldns_pkt_free(pkt);
    if (st != RC_OK)
        rc_records_clear(rrs);
    return st;
}
