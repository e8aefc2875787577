/*
 * st_route: the route text the judges compare ("10 b.x 127.0.0.2,127.0.0.1; 5 a.x 127.0.0.3",
 * the canonical form of harness/PROTOCOL.md): parsed into exchangers of any number and length,
 * normalised for comparison, checked for preference order. "." (the root) is accepted as an
 * exchanger name, so a cache that reports a null MX as a route to the root is judged (COM-3)
 * rather than refused. Internal to the suites.
 */
#ifndef ST_ROUTE_H
#define ST_ROUTE_H

#include <stddef.h>

struct st_xch {
    unsigned pref;
    char *name;          /* lower case, no trailing dot ("." for the root); owned */
    char **addrs;        /* as written, in the order given; owned */
    size_t naddrs;
};

struct st_route {
    struct st_xch *x;    /* in the order given; owned */
    size_t n;
};

/* Parses text into r (zeroed by the caller or cleared). 0 ok; -1 the text does not parse
 * (r is then empty); -2 no memory. Free the contents with st_route_clear. */
int st_route_parse(const char *text, struct st_route *r);
void st_route_clear(struct st_route *r);   /* safe on a zeroed or cleared route */

/* The normalised text of a route text: lower case, no trailing dots, IPv6 addresses left out
 * (the fixture serves IPv4 loopback, and the reference routes are built from A records; an
 * exchanger left without an address by that is left out too), addresses sorted, exchangers
 * sorted by (preference, name). Caller frees. NULL if the text does not parse or no memory. */
char *st_route_norm(const char *text);

/* st_route_norm into a caller's buffer (always NUL-terminated, truncated to fit). 0, or -1 if
 * the text does not parse. */
int st_route_normalize(const char *text, char *out, size_t outlen);
/* Whether the exchangers in text appear in non-decreasing preference order: 1 yes, 0 no,
 * -1 does not parse. */
int st_route_ordered(const char *text);

#endif
