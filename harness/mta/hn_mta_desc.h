/*
 * hn_mta_desc: target description files (targets/NAME.mta) -- how to configure, start, feed,
 * flush and stop one MTA inside the harness's network namespace, and how to read its log.
 * The format is documented in targets/README.md. A user validates an MTA mxttl does not ship
 * by writing such a file; everything MTA-specific lives there, nothing in C.
 */
#ifndef HN_MTA_DESC_H
#define HN_MTA_DESC_H

#include <stddef.h>
#include "hn_mta_status.h"
#include "rc_status.h"

struct hn_mta_desc;

/* Command lists of a description, run with /bin/sh -c. CHECK runs on the host (chrooted into
 * the root filesystem when there is one), the others inside the namespace. DAEMON commands stay
 * in the foreground: the harness starts them after START, keeps their PIDs and stops them after
 * STOP. ROOT_BUILD (chrooted) and ROOT_BUILD_HOST (on the host) are run by targets/mkroot.sh
 * only, never by the harness. Every kind may be
 * given several times; they run in file order. */
#define HN_MTA_CMD_LIST(X)                                     \
    X(HN_MTA_CMD_CHECK, "check")                               \
    X(HN_MTA_CMD_SETUP, "setup")                               \
    X(HN_MTA_CMD_START, "start")                               \
    X(HN_MTA_CMD_DAEMON, "daemon")                             \
    X(HN_MTA_CMD_READY, "ready")                               \
    X(HN_MTA_CMD_STOP, "stop")                                 \
    X(HN_MTA_CMD_INJECT, "inject")                             \
    X(HN_MTA_CMD_FLUSH, "flush")                               \
    X(HN_MTA_CMD_PURGE, "purge")                               \
    X(HN_MTA_CMD_CLEAR_RETRY, "clear-retry")                   \
    X(HN_MTA_CMD_ROOT_BUILD, "root-build")                     \
    X(HN_MTA_CMD_ROOT_BUILD_HOST, "root-build-host")

enum hn_mta_cmd {
#define HN_MTA_CMD_ENUM(sym, str) sym,
    HN_MTA_CMD_LIST(HN_MTA_CMD_ENUM)
#undef HN_MTA_CMD_ENUM
    HN_MTA_CMD_COUNT
};
const char *hn_mta_cmd_str(enum hn_mta_cmd c); /* directive name; static */

/* A configuration file the harness writes before setup: path is "etc/REL" (the namespace's
 * private /etc, bind-mounted by `ip netns exec`) or "work/REL" (the instance's work
 * directory); text is the template (placeholders unexpanded). */
struct hn_mta_file {
    const char *path;
    const char *text;
    int line;
};

/* One log pattern: a log line that matches regex (POSIX extended, @RECIPIENT@ expanded with
 * the message's recipient, regex-quoted) means the message ended with status. */
struct hn_mta_outcome {
    enum rc_status status; /* RC_NXDOMAIN, RC_NULLMX, RC_NOADDR or RC_RETRY */
    int unspecific;        /* "noroute": no route of a kind the MTA does not tell (status is
                              RC_NOADDR, the answer's why says so) */
    const char *regex;
    int line;
};

/* Values the placeholders expand to. NULL strings expand to "". */
struct hn_mta_vars {
    const char *workdir;      /* @WORKDIR@ */
    const char *netns;        /* @NETNS@ */
    const char *etc;          /* @ETC@: the private /etc on the host side (/etc/netns/NAME) */
    const char *hostname;     /* @HOSTNAME@ */
    const char *resolver;     /* @RESOLVER@: what resolv.conf names */
    const char *fixture_addr; /* @FIXTURE_ADDR@ */
    const char *fixture_port; /* @FIXTURE_PORT@ */
    const char *smarthost;    /* @SMARTHOST@; NULL: @IF_SMARTHOST@ lines dropped */
    const char *sink_port;    /* @SINK_PORT@ */
    const char *nsaddr;       /* @NSADDR@: the namespace's non-loopback address */
    const char *recipient;    /* @RECIPIENT@ (inject, outcome only) */
    const char *domain;       /* @DOMAIN@: the recipient's domain (inject, outcome only) */
};

/* Loads a description file. HN_MTA_SYNTAX with *why "FILE:LINE: problem" on any error,
 * HN_MTA_IO if unreadable, HN_MTA_NOMEM. Caller frees with hn_mta_desc_free. */
enum hn_mta_status hn_mta_desc_load(struct hn_mta_desc **out, const char *path, char *why,
                                    size_t whylen);
/* The same from memory; filename is used in messages only. */
enum hn_mta_status hn_mta_desc_parse(struct hn_mta_desc **out, const char *text, size_t len,
                                     const char *filename, char *why, size_t whylen);
void hn_mta_desc_free(struct hn_mta_desc *d); /* NULL is fine */

/* Accessors; strings borrowed, valid while d lives. */
const char *hn_mta_desc_name(const struct hn_mta_desc *d);
const char *hn_mta_desc_description(const struct hn_mta_desc *d);
const char *hn_mta_desc_path(const struct hn_mta_desc *d);
size_t hn_mta_desc_cmd_count(const struct hn_mta_desc *d, enum hn_mta_cmd c);
const char *hn_mta_desc_cmd(const struct hn_mta_desc *d, enum hn_mta_cmd c, size_t i);
size_t hn_mta_desc_file_count(const struct hn_mta_desc *d);
const struct hn_mta_file *hn_mta_desc_file(const struct hn_mta_desc *d, size_t i);
size_t hn_mta_desc_copy_etc_count(const struct hn_mta_desc *d);
const char *hn_mta_desc_copy_etc(const struct hn_mta_desc *d, size_t i); /* "postfix" */
size_t hn_mta_desc_outcome_count(const struct hn_mta_desc *d);
const struct hn_mta_outcome *hn_mta_desc_outcome(const struct hn_mta_desc *d, size_t i);
const char *hn_mta_desc_log(const struct hn_mta_desc *d);   /* template, or NULL */
int hn_mta_desc_forward(const struct hn_mta_desc *d);       /* 1: supports a smarthost */
unsigned hn_mta_desc_fixture_port(const struct hn_mta_desc *d);   /* default 53 */
unsigned hn_mta_desc_deliver_timeout(const struct hn_mta_desc *d); /* seconds, default 15 */
unsigned hn_mta_desc_start_timeout(const struct hn_mta_desc *d);   /* seconds, default 30 */
const char *hn_mta_desc_caches(const struct hn_mta_desc *d); /* "caches" text or NULL */
const char *hn_mta_desc_root(const struct hn_mta_desc *d);   /* root filesystem or NULL */
size_t hn_mta_desc_root_package_count(const struct hn_mta_desc *d);
const char *hn_mta_desc_root_package(const struct hn_mta_desc *d, size_t i);
size_t hn_mta_desc_private_count(const struct hn_mta_desc *d);
const char *hn_mta_desc_private(const struct hn_mta_desc *d, size_t i); /* "/var/spool/x" */
int hn_mta_desc_relay_only(const struct hn_mta_desc *d);    /* 1: every message to the forward
                                                               host, no MX lookup ever */
unsigned hn_mta_desc_resolver_timeout(const struct hn_mta_desc *d); /* seconds, default 0 */

/* Expands placeholders of tmpl into a new string (*out, caller frees with free()). Lines
 * starting with @IF_SMARTHOST@ are kept (marker removed) only when v->smarthost is set, lines
 * starting with @IF_NO_SMARTHOST@ only when it is not. regex_quote: values are quoted for a
 * POSIX extended regex. HN_MTA_SYNTAX on an unknown placeholder, HN_MTA_NOMEM. */
enum hn_mta_status hn_mta_expand(const char *tmpl, const struct hn_mta_vars *v, int regex_quote,
                                 char **out, char *why, size_t whylen);

#endif
