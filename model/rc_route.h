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

/* Writes a canonical one-line text form, e.g. "10 mx1.a.test 127.0.0.10,127.0.0.11; 20 ...",
 * into buf (always NUL-terminated). Returns the length it needed (like snprintf). */
size_t rc_route_format(const struct rc_route *rt, char *buf, size_t buflen);

/* Deep copy; caller frees with rc_route_free. */
enum rc_status rc_route_dup(const struct rc_route *rt, struct rc_route **out);
void rc_route_free(struct rc_route *rt);   /* NULL is fine */

#endif
