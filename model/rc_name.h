/*
 * rc_name: domain names in the model -- the one place that says what a mail domain and an
 * exchanger host name may be and how they are normalised (lower case, no trailing dot). Other
 * layers use it instead of rules of their own. Names are never truncated: too long is RC_INVAL.
 */
#ifndef RC_NAME_H
#define RC_NAME_H

#include <stddef.h>
#include <ldns/ldns.h>
#include "rc_status.h"

/* Normalises a mail domain: lower case, no trailing dot. RC_INVAL with *why (out "") for
 * empty names, names over 253 octets (255 in wire form), labels over 63 octets, empty labels,
 * or characters other than letters, digits, '-' and '_' (the reason names the octet and its
 * offset; the fixture relies on this check to keep a name from injecting a line or an option
 * into a dnsmasq configuration). out must hold 254 octets (less: RC_INVAL for names that do
 * not fit, never a truncated name). Copies into out; nothing to free. */
enum rc_status rc_name_normalize(const char *in, char *out, size_t outlen, char *why,
                                 size_t whylen);

/* Checks an exchanger host name as a route carries it -- the len octets at s, any printable
 * ASCII except space and ';' (a DNS name in presentation form) -- and writes it normalised to
 * out: ASCII letters lower case, one trailing dot dropped, "." (the root, what a null MX names)
 * kept as ".". RC_INVAL with *why for an empty name, over 253 octets, a label over 63 or empty,
 * a forbidden octet, or a name that does not fit outlen (254 always fits); out is then
 * undefined. out may be s (normalising in place). */
enum rc_status rc_name_host(const char *s, size_t len, char *out, size_t outlen, char *why,
                            size_t whylen);

/* An ldns domain-name rdf (a record's MX exchanger or CNAME target, a query name) in the form
 * of rc_name_host: its presentation text, checked and normalised into out. RC_INVAL with *why
 * (out "") when rdf is not a name or rc_name_host refuses its text; RC_NOMEM. rdf borrowed;
 * nothing to free. */
enum rc_status rc_name_rdf(const ldns_rdf *rdf, char *out, size_t outlen, char *why,
                           size_t whylen);

#endif
