/*
 * rc_resolver_ldns: the network resolver, built on ldns_resolver. One configured server
 * (the fixture's dnsmasq), UDP with a TCP retry on truncation (or TCP only), bounded timeout
 * and retries.
 * Queries ask plain questions: no DO bit, no EDNS, no search list; /etc/resolv.conf is never
 * read. The reply goes back as wire (ldns_pkt2wire) so the model judges it in one place.
 */
#include <stdlib.h>
#include <string.h>
#include <ldns/ldns.h>
#include "rc_internal.h"

struct ldns_res {
    struct rc_resolver base;
    ldns_resolver *res;
    int tcp_only;
};

static void ldns_res_free(struct rc_resolver *r)
{
    struct ldns_res *l = (struct ldns_res *)r;
    if (l->res != NULL)
        ldns_resolver_deep_free(l->res);
    free(l);
}

static enum rc_status ldns_res_query(struct rc_resolver *r, const char *qname, uint16_t qtype,
                                     uint8_t **wire, size_t *len, char *why, size_t whylen)
{
    struct ldns_res *l = (struct ldns_res *)r;
    char abs[256];
    snprintf(abs, sizeof(abs), "%s.", qname);
    ldns_rdf *qn = ldns_dname_new_frm_str(abs);
    if (qn == NULL) {
        rc_why(why, whylen, "%s: not a domain name", qname);
        return RC_INVAL;
    }
    /* ldns marks a server that timed out as unreachable and then refuses to send to it at all;
     * every question of ours must reach the server, so its state is reset each time. */
    ldns_resolver_set_nameserver_rtt(l->res, 0, LDNS_RESOLV_RTT_MIN);
    ldns_pkt *pkt = NULL;
    ldns_resolver_set_usevc(l->res, l->tcp_only);
    ldns_status ls = ldns_resolver_send(&pkt, l->res, qn, (ldns_rr_type)qtype, LDNS_RR_CLASS_IN,
                                        LDNS_RD);
    if (ls == LDNS_STATUS_OK && pkt != NULL && ldns_pkt_tc(pkt) && !l->tcp_only) {
        /* Truncated: the same question over TCP (RFC 7766), as a stub resolver does. ldns's
         * own fallback first retries over UDP with EDNS, which we never send. */
        ldns_pkt_free(pkt);
        pkt = NULL;
        ldns_resolver_set_usevc(l->res, true);
        ldns_resolver_set_nameserver_rtt(l->res, 0, LDNS_RESOLV_RTT_MIN);
        ls = ldns_resolver_send(&pkt, l->res, qn, (ldns_rr_type)qtype, LDNS_RR_CLASS_IN, LDNS_RD);
    }
    ldns_rdf_deep_free(qn);
    if (ls != LDNS_STATUS_OK || pkt == NULL) {
        /* Timeouts, refused connections and replies ldns cannot parse all land here. */
        rc_why(why, whylen, "%s: no usable answer: %s", qname,
               ls != LDNS_STATUS_OK ? ldns_get_errorstr_by_id(ls) : "empty reply");
        ldns_pkt_free(pkt);
        return RC_RETRY;
    }
    ls = ldns_pkt2wire(wire, pkt, len);
    ldns_pkt_free(pkt);
    if (ls != LDNS_STATUS_OK) {
        rc_why(why, whylen, "%s: cannot re-encode answer: %s", qname, ldns_get_errorstr_by_id(ls));
        return RC_RETRY;
    }
    return RC_OK;
}

static const struct rc_resolver_ops ldns_res_ops = {ldns_res_query, ldns_res_free};

enum rc_status rc_resolver_ldns_use_tcp(struct rc_resolver *r)
{
    if (r == NULL || r->ops != &ldns_res_ops)
        return RC_INVAL;
    ((struct ldns_res *)r)->tcp_only = 1;
    return RC_OK;
}

enum rc_status rc_resolver_ldns_new(struct rc_resolver **out, const char *addr, uint16_t port,
                                    unsigned timeout_ms, unsigned retries, char *why,
                                    size_t whylen)
{
    if (out == NULL)
        return RC_INVAL;
    *out = NULL;
    if (addr == NULL) {
        rc_why(why, whylen, "resolver address is NULL");
        return RC_INVAL;
    }
    if (timeout_ms == 0 || retries > 254) {
        rc_why(why, whylen, "timeout must be > 0 ms and retries <= 254 (got %u ms, %u)",
               timeout_ms, retries);
        return RC_INVAL;
    }
    ldns_rdf *ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, addr);
    if (ns == NULL)
        ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_AAAA, addr);
    if (ns == NULL) {
        rc_why(why, whylen, "resolver address \"%s\" is not an IPv4 or IPv6 literal", addr);
        return RC_INVAL;
    }
    struct ldns_res *l = calloc(1, sizeof(*l));
    if (l == NULL) {
        ldns_rdf_deep_free(ns);
        return RC_NOMEM;
    }
    l->base.ops = &ldns_res_ops;
    l->res = ldns_resolver_new();
    if (l->res == NULL || ldns_resolver_push_nameserver(l->res, ns) != LDNS_STATUS_OK) {
        ldns_rdf_deep_free(ns);
        ldns_res_free(&l->base);
        return RC_NOMEM;
    }
    ldns_rdf_deep_free(ns); /* push_nameserver keeps its own copy */

    struct timeval tv = {(time_t)(timeout_ms / 1000), (suseconds_t)(timeout_ms % 1000) * 1000};
    ldns_resolver_set_port(l->res, port);
    ldns_resolver_set_timeout(l->res, tv);
    ldns_resolver_set_retry(l->res, (uint8_t)(retries + 1)); /* ldns counts attempts */
    ldns_resolver_set_retrans(l->res, 0);
    ldns_resolver_set_fallback(l->res, false);   /* the TCP retry is ours (ldns_res_query) */
    ldns_resolver_set_usevc(l->res, false);
    ldns_resolver_set_igntc(l->res, false);
    ldns_resolver_set_recursive(l->res, true);
    ldns_resolver_set_dnssec(l->res, false);
    ldns_resolver_set_dnssec_cd(l->res, false);
    ldns_resolver_set_edns_udp_size(l->res, 0);
    ldns_resolver_set_defnames(l->res, false);
    ldns_resolver_set_dnsrch(l->res, false);
    ldns_resolver_set_random(l->res, false);
    *out = &l->base;
    return RC_OK;
}
