/*
 * st_target: the one interface every target implements -- the reference model in process, a
 * driver program speaking harness/PROTOCOL.md, or a real MTA behind SMTP sinks. The suites only
 * ever talk to a target through this interface; implementations live in harness/.
 */
#ifndef ST_TARGET_H
#define ST_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "rc_reply.h"
#include "rc_route.h"
#include "rc_status.h"

/* What the target can do; filled by open(). A clause needing a missing capability is N/A. */
struct st_caps {
    int virtual_time;     /* accepts advance(): scripted time without waiting */
    int real_time;        /* can run on the wall clock */
    int forward_host;     /* can be configured with a forward host and asked for it */
    int noroute_visible;  /* reports "no route" apart from temporary failure */
    int route_visible;    /* reports the route it used (exchanger names and/or addresses) */
    int route_addr_only;  /* a route is only the address the target used (an MTA target: the
                             SMTP sink address it delivered to), e.g. "127.0.0.10" */
    int relay_only;       /* hands every message to a forward host and never looks up a
                             domain's MX: lookups are not asked, their clauses are N/A */
    size_t capacity;      /* declared route-cache capacity, 0 = none declared */
    char mode_hint[16];   /* "legacy", "ttl" or "" : the spec the target claims */
};

/* Everything a target needs to know to run one scenario. Strings borrowed for the call. */
struct st_env {
    const char *dns_addr;      /* the fixture's address (resolver to use) */
    uint16_t dns_port;
    const char *forward_host;  /* configure this forward host, or NULL */
    size_t capacity;           /* capacity the scenario is built for, 0 = default */
    int virtual_time;          /* 1: virtual time (advance() drives it), 0: wall clock */
    const char *scenario;      /* scenario name, for logs */
    const char *workdir;       /* a private directory for this target instance */
};

/* Result of one lookup, typed (model/rc_reply.h): a route with its exchangers parsed, a kind of
 * "no route", a temporary failure, or a refusal of the domain's spelling. Text appears only at
 * the edges (the driver protocol, reports), written and read by rc_route_format/rc_route_parse. */
struct st_answer {
    enum rc_reply_kind kind;
    struct rc_route *route;    /* kind RC_REPLY_ROUTE: the route the target reported, its TTL
                                  (rc_route_ttl, 0 if unknown) included; for a route_addr_only
                                  target one exchanger named "" with the address it used. Owned:
                                  st_answer_clear frees it. NULL for every other kind. */
    char why[256];             /* target's reason text for failures */
    int unseen;                /* 1: the target does not show how this lookup ended (an MTA
                                  without outcome lines that did not deliver): the answer is
                                  not judged (kind is RC_REPLY_TEMPFAIL, meaningless); its
                                  DNS queries are */
};

/* Frees ans->route and zeroes ans (a zeroed answer is a valid empty one). NULL is fine. */
static inline void st_answer_clear(struct st_answer *ans)
{
    if (ans == NULL)
        return;
    rc_route_free(ans->route);
    memset(ans, 0, sizeof *ans);
}

struct st_target;

struct st_target_ops {
    const char *kind;          /* "model", "driver", "smtp" */
    /* Starts a fresh instance for one scenario (a clean cache). 0 ok; -1 with *why = ERROR. */
    int (*open)(struct st_target *t, const struct st_env *env, struct st_caps *caps, char *why,
                size_t whylen);
    /* Looks up a domain's route at scenario time t_ms (virtual: the target's clock is set to
     * t_ms first). *ans is zeroed on entry; 0 = an answer (any kind) in *ans, which the caller
     * frees with st_answer_clear; -1 with *why = the target broke (ERROR), *ans left empty. */
    int (*lookup)(struct st_target *t, const char *domain, uint64_t t_ms, struct st_answer *ans,
                  char *why, size_t whylen);
    /* Resolves the forward host at t_ms. Same conventions as lookup. */
    int (*forward)(struct st_target *t, uint64_t t_ms, struct st_answer *ans, char *why,
                   size_t whylen);
    /* Ends the instance (stops processes). Always safe after open, even a failed one. */
    void (*close)(struct st_target *t);
    /* Frees the target itself. */
    void (*free)(struct st_target *t);
};

struct st_target {
    const struct st_target_ops *ops;
    char *name;                /* "model:ttl", "driver:./prog", "smtp:targets/postfix.mta" */
    void *impl;                /* implementation state */
};

#endif
