/*
 * rc_status: the one status enum of the route-cache model.
 *
 * The list is close to what a mail server sees (Postfix DNS_OK, DNS_RETRY, DNS_NULLMX, ...).
 * Enum and strings come from one X-macro list so no value can lack a string.
 */
#ifndef RC_STATUS_H
#define RC_STATUS_H

#define RC_STATUS_LIST(X)                                                       \
    X(RC_OK, "ok", "route found")                                               \
    X(RC_NXDOMAIN, "nxdomain", "no route: the domain does not exist")           \
    X(RC_NULLMX, "nullmx", "no route: the domain publishes a null MX (RFC 7505)") \
    X(RC_NOADDR, "noaddr", "no route: no MX and no address, or no exchanger has an address") \
    X(RC_RETRY, "retry", "temporary failure: SERVFAIL, timeout or malformed answer") \
    X(RC_INVAL, "inval", "invalid input")                                       \
    X(RC_NOMEM, "nomem", "out of memory")

enum rc_status {
#define RC_STATUS_ENUM(sym, str, desc) sym,
    RC_STATUS_LIST(RC_STATUS_ENUM)
#undef RC_STATUS_ENUM
    RC_STATUS_COUNT
};

/* Short stable name ("ok", "retry", ...); never NULL, "unknown" for out-of-range values.
 * Returns a static string (never freed). */
const char *rc_status_str(enum rc_status s);

/* One-line description for people; static string, never NULL. */
const char *rc_status_desc(enum rc_status s);

/* Parse a short name back; returns 0 and sets *out on success, -1 if unknown. */
int rc_status_from_str(const char *name, enum rc_status *out);

/* Whether the status means "no route" (a definitive negative answer). */
int rc_status_is_noroute(enum rc_status s);

#endif
