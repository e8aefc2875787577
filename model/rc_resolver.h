/*
 * rc_resolver: the narrow resolver interface the model resolves through.
 *
 * A resolver sends one question and hands back the raw DNS response in wire format; the model
 * parses and judges it (rc_answer_parse in rc_lookup.h) so every implementation -- ldns over the network, or the
 * in-process stub used by unit tests -- goes through the same answer handling.
 */
#ifndef RC_RESOLVER_H
#define RC_RESOLVER_H

#include <stddef.h>
#include <stdint.h>
#include "rc_status.h"

struct rc_resolver;

/* Sends a query for (qname, qtype, class IN). On RC_OK *wire is a malloc'd response of *len
 * octets that the caller frees with free(). RC_RETRY on timeout or transport error; RC_INVAL on
 * a bad qname; RC_NOMEM. On error *why (if why != NULL) gets a one-line reason. */
enum rc_status rc_resolver_query(struct rc_resolver *r, const char *qname, uint16_t qtype,
                                 uint8_t **wire, size_t *len, char *why, size_t whylen);

/* Number of queries sent so far (every call to rc_resolver_query that reached the transport). */
uint64_t rc_resolver_queries(const struct rc_resolver *r);

/* Frees the resolver; NULL is fine. */
void rc_resolver_free(struct rc_resolver *r);

/* The ldns resolver: UDP to addr:port, a truncated (TC) answer asked again over TCP, each
 * attempt bounded by
 * timeout_ms, `retries` extra UDP attempts. addr is an IPv4 or IPv6 literal. Questions go out
 * with RD set and nothing else (no EDNS, no DO bit, no search list); /etc/resolv.conf is never
 * read. A reply ldns cannot decode is RC_RETRY. RC_INVAL with *why on a bad address, timeout_ms
 * 0 or retries above 254; RC_NOMEM. Caller frees with rc_resolver_free. */
enum rc_status rc_resolver_ldns_new(struct rc_resolver **out, const char *addr, uint16_t port,
                                    unsigned timeout_ms, unsigned retries, char *why,
                                    size_t whylen);
/* Makes an ldns resolver ask every question over TCP only (like resolv.conf `options use-vc`).
 * RC_INVAL if r is not one made by rc_resolver_ldns_new. */
enum rc_status rc_resolver_ldns_use_tcp(struct rc_resolver *r);

/* The stub resolver for hermetic unit tests: answers from zone data given in RFC 1035 master
 * file syntax (parsed by ldns). Special per-name behaviour is set with rc_resolver_stub_fault.
 * Caller frees with rc_resolver_free. */
enum rc_status rc_resolver_stub_new(struct rc_resolver **out);
/* Replaces the stub's content with the records in `zone` (master-file text, TTL on each
 * record). RC_INVAL with *why "line N: ..." on a syntax error; content is unchanged then. */
enum rc_status rc_resolver_stub_load(struct rc_resolver *r, const char *zone, char *why,
                                     size_t whylen);

enum rc_stub_fault {
    RC_STUB_NONE,     /* answer from the zone data */
    RC_STUB_SERVFAIL, /* rcode SERVFAIL */
    RC_STUB_TIMEOUT,  /* no answer: rc_resolver_query returns RC_RETRY */
    RC_STUB_MALFORMED,/* truncated garbage response */
    RC_STUB_MISMATCH  /* a well-formed answer to a different question */
};
/* Sets a fault for every query whose qname equals name (case-insensitive). name is copied. */
enum rc_status rc_resolver_stub_fault(struct rc_resolver *r, const char *name,
                                      enum rc_stub_fault fault);

/* The stub's query log, for tests that check which queries a lookup made (COM-9): the number
 * of queries received, and query i's name (as asked, borrowed until the stub is freed) with its
 * type in *qtype. NULL when r is not a stub or i is out of range. */
size_t rc_resolver_stub_log_count(const struct rc_resolver *r);
const char *rc_resolver_stub_log(const struct rc_resolver *r, size_t i, uint16_t *qtype);

#endif
