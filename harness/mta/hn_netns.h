/*
 * hn_netns: a network namespace of the harness's own, with the plumbing an MTA needs there --
 * loopback up, a veth pair carrying one /32 from 192.0.2.0/24 (getaddrinfo with AI_ADDRCONFIG
 * sends no A query in a loopback-only namespace), a private /etc (/etc/netns/NAME, bind-mounted
 * over /etc by `ip netns exec`) with resolv.conf naming 127.0.0.1, commands run inside it with
 * a time bound, and sockets created inside it for in-process servers (sinks, DNS relay).
 *
 * Needs root. hn_netns_free stops every process left inside the namespace (by PID, from
 * `ip netns pids`), deletes it and its /etc/netns directory. A SIGINT/SIGTERM cleanup registry
 * (the one piece of process-wide state here, guarded by a mutex) does the same for every live
 * namespace when the program is interrupted.
 */
#ifndef HN_NETNS_H
#define HN_NETNS_H

#include <stddef.h>
#include "hn_mta_status.h"

struct hn_netns;

/* The namespace's non-loopback address. */
#define HN_NETNS_ADDR "192.0.2.2"

/* Creates mxttl-<pid>-<n> with the plumbing above; resolv.conf names `resolver` (an IPv4
 * literal in 127.0.0.0/8) with "options timeout:1 attempts:1". HN_MTA_PERM when not root,
 * HN_MTA_SPAWN when `ip` fails (its output in *why), HN_MTA_IO, HN_MTA_NOMEM. Nothing is left
 * behind on error. Caller frees with hn_netns_free. */
enum hn_mta_status hn_netns_new(struct hn_netns **out, const char *resolver, char *why,
                                size_t whylen);
/* Kills what runs inside (SIGTERM, then SIGKILL after 2 s), deletes the namespace and its
 * /etc/netns directory. NULL is fine. */
void hn_netns_free(struct hn_netns *ns);

const char *hn_netns_name(const struct hn_netns *ns); /* borrowed */
const char *hn_netns_etc(const struct hn_netns *ns);  /* "/etc/netns/NAME", borrowed */

/* Creates a socket (socket(2) arguments) inside the namespace; the caller's thread stays
 * where it is. Returns the descriptor (caller closes) or -1 with *why. */
int hn_netns_socket(struct hn_netns *ns, int domain, int type, char *why, size_t whylen);

/* Runs `/bin/sh -c cmd` inside the namespace (ns NULL: on the host), stdin fed from
 * stdin_text (NULL: /dev/null), stdout and stderr appended to outlog (NULL: discarded).
 * Waits at most timeout_ms; on timeout its process group is killed. HN_MTA_OK with
 * *exit_status (the shell's exit status, or 128+signal) once it exited; HN_MTA_TIMEOUT;
 * HN_MTA_SPAWN if it could not be started. */
enum hn_mta_status hn_netns_run(struct hn_netns *ns, const char *cmd, const char *stdin_text,
                                unsigned timeout_ms, const char *outlog, int *exit_status,
                                char *why, size_t whylen);

/* Removes namespaces left behind by a killed mxttl (names mxttl-PID-N whose process is gone,
 * or with this process's PID but not its own): their processes, the namespace, /etc/netns/NAME.
 * hn_netns_new calls it first; a PID reused by a later run would otherwise collide. */
void hn_netns_reap_stale(void);

/* Number of processes inside the namespace now (from `ip netns pids`), -1 on error. */
int hn_netns_pid_count(struct hn_netns *ns);

/* Removes every live namespace of this process on SIGINT/SIGTERM (then calls the previous
 * handler, or re-raises the signal). For programs; call once, after any other library's
 * signal cleanup so that both run. */
void hn_netns_install_signal_cleanup(void);

#endif
