/*
 * rc_reply: what a target answered to one lookup, typed -- a route, one of the three kinds of
 * "no route", a temporary failure, or a refusal of the domain's spelling (an MTA that will not
 * take user@domain. at injection). Apart from rc_status on purpose: a status says how a call
 * went, a reply kind says what a cache answered, and neither borrows the other's meaning.
 * Kinds and their names come from one X-macro list.
 */
#ifndef RC_REPLY_H
#define RC_REPLY_H

#include "rc_status.h"

#define RC_REPLY_LIST(X)                                                              \
    X(RC_REPLY_ROUTE, "route", "a route: exchangers with addresses")                  \
    X(RC_REPLY_NXDOMAIN, "nxdomain", "no route: the domain does not exist")           \
    X(RC_REPLY_NULLMX, "nullmx", "no route: the domain publishes a null MX")          \
    X(RC_REPLY_NOADDR, "noaddr", "no route: no exchanger has an address")             \
    X(RC_REPLY_TEMPFAIL, "tempfail", "temporary failure")                             \
    X(RC_REPLY_REFUSED, "refused", "the target refused this spelling of the domain")

enum rc_reply_kind {
#define RC_REPLY_ENUM(sym, str, desc) sym,
    RC_REPLY_LIST(RC_REPLY_ENUM)
#undef RC_REPLY_ENUM
    RC_REPLY_COUNT
};

/* Short stable name ("route", "tempfail", ...); static, "unknown" out of range. */
const char *rc_reply_str(enum rc_reply_kind k);
/* Name back to kind: 0 and *out set, -1 if unknown. */
int rc_reply_from_str(const char *name, enum rc_reply_kind *out);
/* 1 for the three "no route" kinds (nxdomain, nullmx, noaddr). */
int rc_reply_is_noroute(enum rc_reply_kind k);
/* The reply a lookup status stands for: RC_OK a route, the no-route statuses their kinds,
 * RC_RETRY a temporary failure, RC_INVAL a refusal; RC_NOMEM (no answer at all) a temporary
 * failure. */
enum rc_reply_kind rc_reply_from_status(enum rc_status st);

#endif
