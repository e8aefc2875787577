/*
 * hn_target: the targets of the `mxttl` command behind st_target (suites/st_target.h), and the
 * parsing of their command-line names:
 *   model:legacy | model:ttl [+name,name...]     the reference model in process, with
 *                                                deliberate faults and conformant variants
 *   driver:CMD                                    a program speaking harness/PROTOCOL.md
 *   smtp:FILE (or a shortcut name)               a real MTA (harness/mta)
 */
#ifndef HN_TARGET_H
#define HN_TARGET_H

#include <stddef.h>
#include "st_clause.h"
#include "st_target.h"

enum hn_target_kind { HN_TARGET_MODEL, HN_TARGET_DRIVER, HN_TARGET_SMTP };

struct hn_target_desc {
    enum hn_target_kind kind;
    char name[1024];       /* as given: "model:ttl+expiry-late" */
    int legacy;            /* model: legacy mode */
    unsigned faults;       /* model: RC_FAULT_* bits */
    unsigned variants;     /* model: RC_VARIANT_* bits (conformant variants, TTL mode) */
    char arg[1024];        /* driver: the command; smtp: the description file */
    unsigned timeout_ms;   /* driver: bound on every read (default 10000) */
    unsigned query_timeout_ms; /* model: how long a DNS query may go unanswered; 0 = the
                                  model target's default (HN_MODEL_TIMEOUT_MS) */
};

/* The model target's wait for a DNS answer: long enough for a loaded machine. */
#define HN_MODEL_TIMEOUT_MS 400
/* Further attempts after an unanswered query (each waits the timeout again). */
#define HN_MODEL_RETRIES 1

/* Parses a target name. 0, or -1 with *why ("unknown fault \"x\" in model:ttl+x", ...).
 * smtp names are resolved (and their description loaded) with the MTA library. */
int hn_target_parse(const char *arg, struct hn_target_desc *out, char *why, size_t whylen);

/* Creates a fresh target for one play from a desc (an st_suite_target.make callback; ctx is a
 * const struct hn_target_desc *). 0 or -1 with *why. Caller frees with t->ops->free(t). */
int hn_target_make(void *ctx, struct st_target **out, char *why, size_t whylen);

/* The spec a target is judged against by default: model:legacy -> legacy; a driver's greeting
 * mode=legacy -> legacy (the driver is started once to read it); everything else ttl.
 * 0, or -1 with *why when the driver could not be started or greeted badly. */
int hn_target_default_spec(const struct hn_target_desc *d, enum st_spec *out, char *why,
                           size_t whylen);

/* The individual targets. Each returns 0 or -1 with *why; caller frees with t->ops->free. */
int hn_model_target_new(struct st_target **out, const char *name, int legacy, unsigned faults,
                        unsigned variants, unsigned query_timeout_ms, char *why,
                        size_t whylen);
int hn_driver_target_new(struct st_target **out, const char *name, const char *cmd,
                         unsigned timeout_ms, char *why, size_t whylen);
/* Starts the driver, reads its greeting into caps, and stops it (QUIT, then by PID). */
int hn_driver_probe(const char *cmd, unsigned timeout_ms, struct st_caps *caps, char *why,
                    size_t whylen);

#endif
