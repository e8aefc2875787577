/*
 * rc_route: a mail route -- the ordered exchangers of a domain with their addresses, and the
 * route's lifetime (minimum TTL of every record it was built from).
 */
#ifndef RC_ROUTE_H
#define RC_ROUTE_H

#include <stddef.h>
#include <stdint.h>
#include "rc_status.h"

struct rc_route;

/* Accessors. All strings are borrowed, valid while the route lives. */
const char *rc_route_domain(const struct rc_route *rt);   /* lower case, no trailing dot */
size_t rc_route_count(const struct rc_route *rt);          /* exchangers, preference order */
const char *rc_route_name(const struct rc_route *rt, size_t i); /* exchanger host name */
uint16_t rc_route_pref(const struct rc_route *rt, size_t i);
size_t rc_route_addr_count(const struct rc_route *rt, size_t i);
const char *rc_route_addr(const struct rc_route *rt, size_t i, size_t j); /* text form */
int rc_route_implicit(const struct rc_route *rt);  /* 1 if built from the implicit MX */
uint32_t rc_route_ttl(const struct rc_route *rt);  /* effective TTL in seconds (0: uncacheable) */

/* The route text grammar -- the one formatter and the one parser, used by the model, the
 * driver protocol (harness/PROTOCOL.md) and the judges:
 *     route    = exchanger *("; " exchanger) / iplist
 *     exchanger = PREF SP NAME [SP addrlist]      PREF 0..65535, NAME as rc_name_host allows
 *     addrlist = ADDR *("," ADDR)                 ADDR: printable, no space, ',' or ';'
 *     iplist   = IP *("," IP)                     IPv4 or IPv6 literals only
 * e.g. "10 mx1.a.test 127.0.0.10,127.0.0.11; 20 mx2.a.test 127.0.0.12", "0 ." (the root as
 * exchanger) or "127.0.0.10" (an address-only route: what an MTA shows, one exchanger whose
 * name is ""). No length limit: a route of any size DNS can carry has a text form. */

/* Writes the text form into buf (always NUL-terminated when buflen > 0; buf may be NULL with
 * buflen 0). Returns the length it needed without the NUL (like snprintf). */
size_t rc_route_format(const struct rc_route *rt, char *buf, size_t buflen);
/* The text form in a new string; caller frees with free(). NULL when out of memory. */
char *rc_route_text(const struct rc_route *rt);
/* Parses a text form into a new route with this domain (copied; "" is fine) and TTL. Names are
 * normalised (rc_name_host: lower case, no trailing dot, "." for the root); addresses are kept
 * as written; the order is kept. RC_INVAL with *why naming the problem; RC_NOMEM. Caller frees
 * *out with rc_route_free. */
enum rc_status rc_route_parse(const char *text, const char *domain, uint32_t ttl,
                              struct rc_route **out, char *why, size_t whylen);

/* Spreads load as RFC 5321 section 5.1 asks: permutes, in place, the exchangers within each run
 * of equal preference (the route must be in preference order) and each exchanger's addresses,
 * drawing from *state (a splitmix64 state the caller owns, so that tests can seed it). Never
 * allocates. */
void rc_route_shuffle(struct rc_route *rt, uint64_t *state);
/* 1 if rc_route_shuffle can change rt (two exchangers of one preference, or an exchanger with
 * two addresses), else 0: the cache then skips the shuffle and the route's memory on a hit. */
int rc_route_spreads(const struct rc_route *rt);
/* A uniform draw below n (1 <= n < 2^32) from the same generator; advances *state. */
size_t rc_route_random(uint64_t *state, size_t n);

/* Deep copy; caller frees with rc_route_free. */
enum rc_status rc_route_dup(const struct rc_route *rt, struct rc_route **out);
void rc_route_free(struct rc_route *rt);   /* NULL is fine */

/* One exchanger's data for rc_route_new: name, preference and naddr address strings. */
struct rc_route_xspec {
    const char *name;
    uint16_t pref;
    size_t naddr;
    const char *const *addrs;
};

/* Builds a route in ONE allocation (header, exchangers, address table and strings), so a cache
 * entry costs one malloc for its route and rc_route_dup is a copy. Exchangers are kept in the
 * order given (callers sort). Every string is copied. RC_INVAL if a string is NULL or the route
 * would exceed 4 GiB or 65535 exchangers; RC_NOMEM. Caller frees *out with rc_route_free. */
enum rc_status rc_route_new(struct rc_route **out, const char *domain, int implicit, uint32_t ttl,
                            const struct rc_route_xspec *xch, size_t nxch);

/* Bytes of the route's one allocation (what its data costs, without malloc's own overhead). */
size_t rc_route_size(const struct rc_route *rt);

#endif
