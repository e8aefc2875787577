/*
 * st_route: route comparison for the judges. Routes are the model's rc_route (one text grammar,
 * one parser and one formatter: model/rc_route.h); this module only says when two routes are
 * the same route -- the normal form the judges compare -- and whether one is in preference
 * order. Internal to the suites.
 */
#ifndef ST_ROUTE_H
#define ST_ROUTE_H

#include <stddef.h>
#include "rc_route.h"

/* The normal form of a route: names as rc_name_host writes them, IPv6 addresses left out (the
 * fixture serves IPv4 loopback and the reference routes are built from A records; an exchanger
 * left without an address by that is left out too), each exchanger's addresses sorted, the
 * exchangers sorted by (preference, name) -- so any order among equal preferences compares
 * equal. Caller frees. NULL for an address-only route (an exchanger named "") or no memory. */
char *st_route_norm_of(const struct rc_route *rt);
/* The same from a route text. NULL if it does not parse (rc_route_parse), is address-only, or
 * no memory. Caller frees. */
char *st_route_norm(const char *text);
/* st_route_norm into a caller's buffer (always NUL-terminated, truncated to fit). 0, or -1 if
 * the text does not parse. */
int st_route_normalize(const char *text, char *out, size_t outlen);
/* Whether the exchangers in text appear in non-decreasing preference order: 1 yes, 0 no,
 * -1 does not parse. */
int st_route_ordered(const char *text);
/* The same for a route. */
int st_route_in_order(const struct rc_route *rt);

#endif
