/*
 * st_target: the one interface every target implements -- the reference model in process, a
 * driver program speaking harness/PROTOCOL.md, or a real MTA behind SMTP sinks. The suites only
 * ever talk to a target through this interface; implementations live in harness/.
 */
#ifndef ST_TARGET_H
#define ST_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include "rc_status.h"

/* What the target can do; filled by open(). A clause needing a missing capability is N/A. */
struct st_caps {
    int virtual_time;     /* accepts advance(): scripted time without waiting */
    int real_time;        /* can run on the wall clock */
    int forward_host;     /* can be configured with a forward host and asked for it */
    int noroute_visible;  /* reports "no route" apart from temporary failure */
    int route_visible;    /* reports the route it used (exchanger names and/or addresses) */
    int route_addr_only;  /* route_text is only the address the target used (an MTA target:
                             the SMTP sink address it delivered to), e.g. "127.0.0.10" */
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

/* Result of one lookup. route_text is the canonical form of rc_route_format ("10 mx1.a.test
 * 127.0.0.10; 20 ..."), empty unless status == RC_OK. */
struct st_answer {
    enum rc_status status;     /* RC_OK, a no-route status, or RC_RETRY */
    char route_text[1024];
    uint32_t ttl;              /* TTL the target reports for the route, 0 if unknown */
    char why[256];             /* target's reason text for failures */
    int unseen;                /* 1: the target does not show how this lookup ended (an MTA
                                  without outcome lines that did not deliver): the answer is
                                  not judged (status is RC_RETRY, meaningless); its DNS
                                  queries are */
};

struct st_target;

struct st_target_ops {
    const char *kind;          /* "model", "driver", "smtp" */
    /* Starts a fresh instance for one scenario (a clean cache). 0 ok; -1 with *why = ERROR. */
    int (*open)(struct st_target *t, const struct st_env *env, struct st_caps *caps, char *why,
                size_t whylen);
    /* Looks up a domain's route at scenario time t_ms (virtual: the target's clock is set to
     * t_ms first). 0 = an answer (any status) in *ans; -1 with *why = the target broke (ERROR). */
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
