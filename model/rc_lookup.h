/*
 * rc_lookup: resolving a route without any cache -- MX query, preference order, null MX,
 * implicit MX, exchangers' addresses, and the effective TTL (minimum over all records used;
 * TTLs above 2^31-1 count as 0, RFC 2181 section 8).
 */
#ifndef RC_LOOKUP_H
#define RC_LOOKUP_H

#include <stddef.h>
#include <stdint.h>
#include "rc_name.h" /* rc_name_normalize, for the callers that found it here */
#include "rc_resolver.h"
#include "rc_route.h"
#include "rc_status.h"

/* The records of one answer, in answer order: for MX the preference and the exchanger's name
 * (lower case, no trailing dot, "." for the root), for A/AAAA the address in text form (pref 0),
 * for other types the presentation form of the first RDATA field. */
struct rc_record {
    uint16_t pref;
    char *data;      /* owned by the rc_records */
};
struct rc_records {
    struct rc_record *v;
    size_t n, cap;
};
/* Frees the records' contents and empties them (the struct itself is the caller's). */
void rc_records_clear(struct rc_records *rrs);

/* Parses one DNS response (wire) to the question (qname, qtype). Fuzz entry point.
 * RC_OK: records of qtype were found; *ttl_out is their minimum TTL and *rrs holds them (the
 * caller empties it with rc_records_clear). RC_NXDOMAIN, RC_NOADDR (NOERROR with no records of
 * qtype, i.e. NODATA), RC_RETRY (SERVFAIL, REFUSED, other rcodes, malformed or not an answer to
 * this question), RC_NOMEM; *rrs is empty then. CNAMEs in the answer are followed within the
 * response. */
enum rc_status rc_answer_parse(const uint8_t *wire, size_t len, const char *qname, uint16_t qtype,
                               struct rc_records *rrs, uint32_t *ttl_out, char *why,
                               size_t whylen);

/* Resolves a mail domain's route through r (RFC 5321 section 5.1). want_aaaa adds AAAA queries.
 * faults: RC_FAULT_* bits that change route building (RC_FAULT_IGNORE_ADDR_TTL).
 * RC_OK: *out is new, caller frees with rc_route_free. Otherwise no route or RC_RETRY with *why. */
enum rc_status rc_lookup_route(struct rc_resolver *r, const char *domain, int want_aaaa,
                               unsigned faults, struct rc_route **out, char *why, size_t whylen);

/* Resolves a host's addresses only (the forward host): a route with one exchanger, the host.
 * RC_OK: *out new, caller frees with rc_route_free. */
enum rc_status rc_lookup_host(struct rc_resolver *r, const char *host, int want_aaaa,
                              struct rc_route **out, char *why, size_t whylen);

#endif
