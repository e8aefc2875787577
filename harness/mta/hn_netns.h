/*
 * hn_netns: a network namespace of the harness's own, with the plumbing an MTA needs there --
 * loopback up, a veth pair carrying one /32 from 192.0.2.0/24 (getaddrinfo with AI_ADDRCONFIG
 * sends no A query in a loopback-only namespace), a private /etc (/etc/netns/NAME, bind-mounted
 * over /etc by `ip netns exec`) with resolv.conf naming 127.0.0.1, commands run inside it with
 * a time bound, and sockets created inside it for in-process servers (sinks, DNS relay).
 *
 * Needs root. hn_netns_free stops every process left inside the namespace (by PID, from
 * `ip netns pids`), deletes it and its /etc/netns directory. Every command and daemon is a
 * child of fx_proc (fixtures/fx_proc.h), and every live namespace registers its removal there
 * as a clean-up command, so fx_proc_kill_all (mxttl's second SIGINT/SIGTERM) removes them.
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

/* Gives the namespace a mount namespace of its own for the rest of its life (a holder process,
 * `sleep`, started with `ip netns exec` so that /etc/netns/NAME is bound over /etc there) and
 * makes every later hn_netns_run and hn_netns_spawn enter it (nsenter), chrooted into root when
 * root is not NULL. Mounts made there are seen by every command of this namespace and by no
 * other process:
 *   - root (an absolute path, a Debian root filesystem): /proc, a private tmpfs on /dev (with
 *     the host's null, zero, full, random, urandom, tty and pts), /run and /tmp, workdir at
 *     the same path, /etc/netns/NAME's entries over root/etc/ENTRY;
 *   - privs[i] (absolute paths, in root when given): an empty directory
 *     workdir/private/PATH (owner and mode copied from the original) bound over PATH.
 * Paths must be made of letters, digits, '/', '+', '.', '_', '-'. Call once, before any
 * command runs. HN_MTA_SPAWN with the mount commands' output in *why, HN_MTA_IO. */
enum hn_mta_status hn_netns_mounts(struct hn_netns *ns, const char *root, const char *workdir,
                                   const char *const *privs, size_t nprivs, char *why,
                                   size_t whylen);

/* Starts `/bin/sh -c cmd` inside the namespace in the background (stdin /dev/null, output
 * appended to outlog) and returns its PID in *pid: a daemon that stays in the foreground. The
 * caller stops it with hn_netns_stop_pid. HN_MTA_SPAWN, HN_MTA_IO. */
enum hn_mta_status hn_netns_spawn(struct hn_netns *ns, const char *cmd, const char *outlog,
                                  int *pid, char *why, size_t whylen);
/* Whether a process started by hn_netns_spawn still runs: 1, or 0 with *exit_status (reaped). */
int hn_netns_pid_running(int pid, int *exit_status);
/* SIGTERM to pid, SIGKILL after grace_ms, reaped. */
void hn_netns_stop_pid(int pid, unsigned grace_ms);

/* Removes namespaces left behind by a killed mxttl (names mxttl-PID-N whose process is gone,
 * or with this process's PID but not its own): their processes, the namespace, /etc/netns/NAME.
 * hn_netns_new calls it first; a PID reused by a later run would otherwise collide. */
void hn_netns_reap_stale(void);

/* Number of processes inside the namespace now (from `ip netns pids`), -1 on error. */
int hn_netns_pid_count(struct hn_netns *ns);

#endif
