/*
 * hn_proto: the mxttl driver protocol, version 1 (harness/PROTOCOL.md) -- parsing and
 * formatting of its lines, shared by the harness side (hn_target_driver.c) and the driver
 * side (drivers/mxttl-model-driver.c) so that both read the grammar the same way.
 * Pure functions: no I/O, never print.
 */
#ifndef HN_PROTO_H
#define HN_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include "st_target.h"

#define HN_PROTO_VERSION 1
/* Octets per line, LF included: requests from the harness and the greeting and OK lines. */
#define HN_PROTO_REQ_MAX 4096
/* Octets per reply line from a driver (ROUTE can be long: a route of any size DNS carries in
 * practice, see PROTOCOL.md); the harness grows its buffer up to this bound. */
#define HN_PROTO_LINE_MAX ((size_t)16 * 1024 * 1024)

/* Parses a greeting "MXTTL-DRIVER 1 key=value ..." into caps (zeroed first). Unknown keys are
 * ignored. 0, or -1 with *why naming the problem. */
int hn_proto_parse_greeting(const char *line, struct st_caps *caps, char *why, size_t whylen);
/* Formats a greeting from caps into buf (no LF). */
void hn_proto_format_greeting(const struct st_caps *caps, char *buf, size_t buflen);

enum hn_req_kind { HN_REQ_CONFIG, HN_REQ_TIME, HN_REQ_LOOKUP, HN_REQ_FORWARD, HN_REQ_QUIT };
struct hn_request {
    enum hn_req_kind kind;
    unsigned long id;
    /* CONFIG */
    char dns[64];
    uint16_t port;
    int virtual_time;
    size_t capacity;
    char forward[256];     /* "" when none */
    char scenario[256];
    /* TIME */
    uint64_t t_ms;
    /* LOOKUP */
    char domain[256];
};
/* Parses one request line (no LF). 0, or -1 with *why. */
int hn_proto_parse_request(const char *line, struct hn_request *req, char *why, size_t whylen);

/* The reply to request `id` carrying an answer of this kind: ROUTE (route borrowed, its TTL
 * and rc_route_format's text) / NOROUTE / TEMPFAIL (also for a refusal: version 1 has no word
 * for it) with the reason text (NULL: none). Without LF, in a new string the caller frees with free(); NULL when out of
 * memory. */
char *hn_proto_format_answer(unsigned long id, enum rc_reply_kind kind,
                             const struct rc_route *route, const char *reason);
/* Parses a reply line (up to HN_PROTO_LINE_MAX octets) to request `id` into ans (zeroed first;
 * on 0 the caller frees it with st_answer_clear). The route is read by rc_route_parse, so "0 ."
 * (the root as exchanger) is a route to judge. Returns 0 for ROUTE/NOROUTE/TEMPFAIL, 1 for an
 * "ERROR id text" reply (the driver could not answer; text in *why), or -1 for a protocol
 * violation (wrong id, unknown keyword, bad syntax, a name DNS cannot carry) with *why; ans is
 * empty then. */
int hn_proto_parse_answer(const char *line, unsigned long id, struct st_answer *ans, char *why,
                          size_t whylen);
/* Parses "OK id [key=value...]" to request id; *capacity set from "capacity=N" if given.
 * 0 ok, 1 for "ERROR id text" (why = text), -1 violation with *why. */
int hn_proto_parse_ok(const char *line, unsigned long id, size_t *capacity, char *why,
                      size_t whylen);

#endif
