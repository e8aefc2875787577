/*
 * hn_smtp: the smtp target's operations. open() builds the instance (work directory,
 * namespace, DNS relay, sink, configuration files from the description's templates, setup and
 * start commands, readiness polling); lookup()/forward() inject one message each and wait for
 * the sink or an outcome line in the MTA's log; close() stops the MTA and removes everything.
 * Every failure becomes -1 with the reason and an excerpt of the MTA's log in `why`.
 */
#define _GNU_SOURCE
#include "hn_smtp.h"
#include "hn_mta_util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hn_mta_desc.h"
#include "hn_netns.h"
#include "hn_relay.h"
#include "hn_sink.h"

#define SMTP_HOSTNAME "mxttl-mta.invalid"
#define SMTP_FORWARD_DOMAIN "forward.mxttl.invalid"
#define SMTP_CMD_TIMEOUT_MS 20000u

struct smtp_impl {
    struct hn_mta_desc *desc;
    /* one open instance */
    int is_open;
    struct hn_netns *ns;
    struct hn_relay *relay;
    struct hn_sink *sink;
    char workdir[512];
    char cmdlog[600];
    char *logpath;          /* expanded log path */
    char keepdir[512];      /* env->workdir: where the MTA log is kept after close */
    char smarthost[256];
    char fixture_port[8];
    struct hn_mta_vars vars;
    unsigned seq;
    int daemons[8];         /* PIDs of the daemon commands, 0 none */
    size_t ndaemons;
    long log_from;          /* offset of the MTA log when the current message was injected */
};

#define SMTP_MAX_DAEMONS 8

/* `cmd` as a shell word: single quotes, each ' written '\''. Caller frees. */
static char *sh_quote(const char *cmd)
{
    size_t n = 3;
    for (const char *p = cmd; *p; p++)
        n += *p == '\'' ? 4 : 1;
    char *q = malloc(n), *o = q;
    if (!q)
        return NULL;
    *o++ = '\'';
    for (const char *p = cmd; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return q;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Last `lines` lines of a file joined by " | ", into buf. */
static void tail_file(const char *path, int lines, char *buf, size_t buflen)
{
    buf[0] = '\0';
    if (!path)
        return;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char tail[4096];
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    long from = size > (long)sizeof tail - 1 ? size - (long)sizeof tail + 1 : 0;
    fseek(f, from, SEEK_SET);
    size_t n = fread(tail, 1, sizeof tail - 1, f);
    fclose(f);
    tail[n] = '\0';
    while (n && (tail[n - 1] == '\n' || tail[n - 1] == '\r'))
        tail[--n] = '\0';
    char *start = tail + n;
    int seen = 0;
    while (start > tail && seen < lines) {
        start--;
        if (*start == '\n' && ++seen == lines) {
            start++;
            break;
        }
    }
    size_t out = 0;
    for (char *p = start; *p && out + 4 < buflen; p++) {
        if (*p == '\n') {
            out += (size_t)snprintf(buf + out, buflen - out, " | ");
        } else {
            buf[out++] = (*p == '\t') ? ' ' : *p;
            buf[out] = '\0';
        }
    }
    if (out >= buflen)
        buf[buflen - 1] = '\0';
}

/* "why" for a broken MTA: the reason, then the last lines of the command output and of the
 * MTA's log. */
static void why_with_logs(struct smtp_impl *im, char *why, size_t whylen, const char *reason)
{
    char cmd[600], mlog[900];
    tail_file(im->cmdlog, 2, cmd, sizeof cmd);
    tail_file(im->logpath, 3, mlog, sizeof mlog);
    hn_mta_why(why, whylen, "%s%s%s%s%s", reason, cmd[0] ? "; output: " : "", cmd,
            mlog[0] ? "; MTA log: " : "", mlog);
}

static int run_cmds(struct smtp_impl *im, enum hn_mta_cmd kind, const char *stdin_text,
                    unsigned timeout_ms, char *why, size_t whylen)
{
    for (size_t i = 0; i < hn_mta_desc_cmd_count(im->desc, kind); i++) {
        char *cmd = NULL, w[256];
        if (hn_mta_expand(hn_mta_desc_cmd(im->desc, kind, i), &im->vars, 0, &cmd, w, sizeof w)) {
            hn_mta_why(why, whylen, "%s: %s", hn_mta_cmd_str(kind), w);
            return -1;
        }
        int es = 0;
        const char *root = hn_mta_desc_root(im->desc);
        if (kind == HN_MTA_CMD_CHECK && root) {
            /* The check looks at the MTA's root filesystem, not at the host. */
            char *q = sh_quote(cmd);
            size_t len = q ? strlen(q) + strlen(root) + 64 : 0;
            char *wrapped = q ? malloc(len) : NULL;
            if (wrapped)
                snprintf(wrapped, len, "exec chroot %s /bin/sh -c %s", root, q);
            free(q);
            free(cmd);
            if (!wrapped) {
                hn_mta_why(why, whylen, "out of memory");
                return -1;
            }
            cmd = wrapped;
        }
        enum hn_mta_status st = hn_netns_run(kind == HN_MTA_CMD_CHECK ? NULL : im->ns, cmd,
                                             stdin_text, timeout_ms,
                                             im->cmdlog[0] ? im->cmdlog : NULL, &es, w, sizeof w);
        if (st || es) {
            char reason[700];
            snprintf(reason, sizeof reason, "%s command `%.300s` %s", hn_mta_cmd_str(kind), cmd,
                     st ? w : "failed");
            if (!st)
                snprintf(reason + strlen(reason), sizeof reason - strlen(reason),
                         " (exit %d)", es);
            why_with_logs(im, why, whylen, reason);
            free(cmd);
            return -1;
        }
        free(cmd);
    }
    return 0;
}

static int mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return 0;
}

static int write_files(struct smtp_impl *im, char *why, size_t whylen)
{
    for (size_t i = 0; i < hn_mta_desc_file_count(im->desc); i++) {
        const struct hn_mta_file *f = hn_mta_desc_file(im->desc, i);
        char path[1024], w[256];
        if (!strncmp(f->path, "etc/", 4))
            snprintf(path, sizeof path, "%s/%s", hn_netns_etc(im->ns), f->path + 4);
        else
            snprintf(path, sizeof path, "%s/%s", im->workdir, f->path + 5);
        char *text = NULL;
        if (hn_mta_expand(f->text, &im->vars, 0, &text, w, sizeof w)) {
            hn_mta_why(why, whylen, "%s:%d: %s", hn_mta_desc_path(im->desc), f->line, w);
            return -1;
        }
        FILE *fp = NULL;
        if (mkdirs(path) < 0 || !(fp = fopen(path, "w"))) {
            hn_mta_why(why, whylen, "%s: %s", path, strerror(errno));
            free(text);
            return -1;
        }
        fputs(text, fp);
        free(text);
        if (fclose(fp)) {
            hn_mta_why(why, whylen, "%s: write error", path);
            return -1;
        }
        /* Dated a minute back: `postfix start` sleeps up to 2 s while main.cf is younger than
         * a few seconds (it waits out editors still writing it). */
        struct timespec ts[2];
        clock_gettime(CLOCK_REALTIME, &ts[0]);
        ts[0].tv_sec -= 60;
        ts[1] = ts[0];
        utimensat(AT_FDCWD, path, ts, 0);
    }
    return 0;
}

/* A socket inside the namespace, bound to addr:port (and listening for TCP). */
static int ns_listen(struct smtp_impl *im, int type, const char *addr, uint16_t port, char *why,
                     size_t whylen)
{
    int fd = hn_netns_socket(im->ns, AF_INET, type, why, whylen);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    inet_pton(AF_INET, addr, &sa.sin_addr);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
        (type == SOCK_STREAM && listen(fd, 64) < 0)) {
        hn_mta_why(why, whylen, "bind %s:%u in namespace: %s", addr, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Domains go into shell commands and addresses: only host-name characters. */
static int domain_ok(const char *d)
{
    if (!*d || strlen(d) > 253)
        return 0;
    for (; *d; d++)
        if (!isalnum((unsigned char)*d) && *d != '-' && *d != '.' && *d != '_')
            return 0;
    return 1;
}

/* 1 with *why (the daemon's command line, its exit status, the logs) if a daemon command of
 * the description is no longer running; 0 while all run. */
static int daemon_died(struct st_target *t, char *why, size_t whylen)
{
    struct smtp_impl *im = t->impl;
    for (size_t i = 0; i < im->ndaemons; i++) {
        int es = 0;
        if (hn_netns_pid_running(im->daemons[i], &es))
            continue;
        char reason[500];
        snprintf(reason, sizeof reason, "%s: daemon `%.300s` exited (status %d)", t->name,
                 hn_mta_desc_cmd(im->desc, HN_MTA_CMD_DAEMON, i), es);
        im->daemons[i] = 0;
        why_with_logs(im, why, whylen, reason);
        return 1;
    }
    return 0;
}

static void smtp_close(struct st_target *t)
{
    struct smtp_impl *im = t->impl;
    if (!im->is_open)
        return;
    char w[256];
    if (im->ns)
        run_cmds(im, HN_MTA_CMD_STOP, NULL, 10000, w, sizeof w);
    /* Foreground daemons: SIGTERM, then SIGKILL after 5 s (an MTA may flush its queue). */
    for (size_t i = 0; i < im->ndaemons; i++)
        hn_netns_stop_pid(im->daemons[i], 5000);
    im->ndaemons = 0;
    if (im->keepdir[0] && im->logpath) {
        /* Keep the MTA's log for whoever reads the run's work directory (no shell: the
         * directory name is the caller's). */
        char dst[700];
        snprintf(dst, sizeof dst, "%s/mta-%s.log", im->keepdir, hn_mta_desc_name(im->desc));
        FILE *out = fopen(dst, "w");
        const char *srcs[2] = {im->cmdlog, im->logpath};
        for (int i = 0; out && i < 2; i++) {
            FILE *in = fopen(srcs[i], "r");
            char buf[8192];
            size_t n;
            while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
                fwrite(buf, 1, n, out);
            if (in)
                fclose(in);
        }
        if (out)
            fclose(out);
    }
    hn_netns_free(im->ns); /* kills whatever the stop commands left */
    im->ns = NULL;
    hn_relay_free(im->relay);
    im->relay = NULL;
    hn_sink_free(im->sink);
    im->sink = NULL;
    if (im->workdir[0]) {
        char cmd[600];
        int es;
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", im->workdir);
        hn_netns_run(NULL, cmd, NULL, 20000, NULL, &es, w, sizeof w);
        im->workdir[0] = '\0';
    }
    free(im->logpath);
    im->logpath = NULL;
    im->cmdlog[0] = '\0';
    im->is_open = 0;
}

/* What the target can show, from the description and the scenario. Returns 1 when there is
 * nothing to start: a relay-only MTA without a forward host has nowhere to send mail (its
 * lookups are not asked: N/A), and in virtual time caps say real time only (N/A, not ERROR). */
static int open_caps(struct smtp_impl *im, const struct st_env *env, struct st_caps *caps)
{
    memset(caps, 0, sizeof *caps);
    caps->real_time = 1;
    caps->forward_host = hn_mta_desc_forward(im->desc);
    caps->noroute_visible = hn_mta_desc_outcome_count(im->desc) > 0;
    caps->route_visible = 1;
    caps->route_addr_only = 1;
    caps->relay_only = hn_mta_desc_relay_only(im->desc);
    return (caps->relay_only && !env->forward_host) || env->virtual_time;
}

/* What must hold before anything is made: a usable forward host, root. */
static int open_preconditions(struct st_target *t, const struct st_env *env, char *why,
                              size_t whylen)
{
    if (env->forward_host && !domain_ok(env->forward_host)) {
        hn_mta_why(why, whylen, "%s: forward host \"%.100s\" is not a plain host name", t->name,
                   env->forward_host);
        return -1;
    }
    if (geteuid() != 0) {
        hn_mta_why(why, whylen, "%s needs root: the harness runs the MTA in a network namespace "
                   "of its own (ip netns add)", t->name);
        return -1;
    }
    return 0;
}

/* The instance's work directory (under $TMPDIR), a built root, the check commands. */
static int open_workdir(struct st_target *t, const struct st_env *env, char *why, size_t whylen)
{
    struct smtp_impl *im = t->impl;
    char w[512];
    snprintf(im->keepdir, sizeof im->keepdir, "%s", env->workdir ? env->workdir : "");
    if (hn_mta_tmp_template(im->workdir, sizeof im->workdir, "mxttl-mta") ||
        !mkdtemp(im->workdir)) {
        hn_mta_why(why, whylen, "mkdtemp %s: %s", im->workdir, strerror(errno));
        im->workdir[0] = '\0';
        return -1;
    }
    /* The MTA's unprivileged users must reach their queue below this directory. */
    chmod(im->workdir, 0755);
    snprintf(im->cmdlog, sizeof im->cmdlog, "%s/commands.log", im->workdir);
    const char *root = hn_mta_desc_root(im->desc);
    if (root) {
        char sh[300];
        snprintf(sh, sizeof sh, "%s/bin/sh", root);
        if (access(sh, X_OK) != 0) {
            hn_mta_why(why, whylen, "%s: root filesystem %s is not built (%s: %s); build it "
                       "with targets/mkroot.sh %s", t->name, root, sh, strerror(errno),
                       hn_mta_desc_path(im->desc));
            return -1;
        }
    }
    if (run_cmds(im, HN_MTA_CMD_CHECK, NULL, SMTP_CMD_TIMEOUT_MS, w, sizeof w)) {
        hn_mta_why(why, whylen, "%s: not installed or not usable: %s", t->name, w);
        return -1;
    }
    return 0;
}

/* The namespace, the DNS relay to the fixture inside it, and the SMTP sink on port 25. */
static int open_network(struct st_target *t, const struct st_env *env, char *why, size_t whylen)
{
    struct smtp_impl *im = t->impl;
    char w[512];
    if (hn_netns_new(&im->ns, "127.0.0.1", w, sizeof w)) {
        hn_mta_why(why, whylen, "%s: %s", t->name, w);
        return -1;
    }
    unsigned fport = hn_mta_desc_fixture_port(im->desc);
    int ufd = ns_listen(im, SOCK_DGRAM, "127.0.0.1", (uint16_t)fport, w, sizeof w);
    int tfd = ufd < 0 ? -1 : ns_listen(im, SOCK_STREAM, "127.0.0.1", (uint16_t)fport, w, sizeof w);
    if (ufd < 0 || tfd < 0) {
        if (ufd >= 0)
            close(ufd);
        hn_mta_why(why, whylen, "%s: DNS relay: %s", t->name, w);
        return -1;
    }
    if (hn_relay_new(&im->relay, ufd, tfd, env->dns_addr, env->dns_port, w, sizeof w)) {
        hn_mta_why(why, whylen, "%s: DNS relay: %s", t->name, w);
        return -1;
    }
    int sfd = ns_listen(im, SOCK_STREAM, "0.0.0.0", 25, w, sizeof w);
    if (sfd < 0 || hn_sink_new(&im->sink, sfd, w, sizeof w)) {
        hn_mta_why(why, whylen, "%s: SMTP sink: %s", t->name, w);
        return -1;
    }
    snprintf(im->fixture_port, sizeof im->fixture_port, "%u", fport);
    return 0;
}

/* The placeholders' values, the log path, the private /etc and work files, the mounts. */
static int open_files(struct st_target *t, const struct st_env *env, char *why, size_t whylen)
{
    struct smtp_impl *im = t->impl;
    char w[512];
    const char *root = hn_mta_desc_root(im->desc);
    /* Without `forward yes` the MTA runs without a forward host: caps say so, and the suite
     * asks it nothing that needs one (those clauses are N/A). */
    const char *fwd = hn_mta_desc_forward(im->desc) ? env->forward_host : NULL;
    snprintf(im->smarthost, sizeof im->smarthost, "%s", fwd ? fwd : "");
    im->vars = (struct hn_mta_vars){
        .workdir = im->workdir, .netns = hn_netns_name(im->ns), .etc = hn_netns_etc(im->ns),
        .hostname = SMTP_HOSTNAME, .resolver = "127.0.0.1", .fixture_addr = "127.0.0.1",
        .fixture_port = im->fixture_port, .smarthost = fwd ? im->smarthost : NULL,
        .sink_port = "25", .nsaddr = HN_NETNS_ADDR, .recipient = NULL};
    if (hn_mta_expand(hn_mta_desc_log(im->desc), &im->vars, 0, &im->logpath, w, sizeof w)) {
        hn_mta_why(why, whylen, "%s: log: %s", t->name, w);
        return -1;
    }
    for (size_t i = 0; i < hn_mta_desc_copy_etc_count(im->desc); i++) {
        char cmd[600];
        int es = 0;
        const char *dir = hn_mta_desc_copy_etc(im->desc, i);
        snprintf(cmd, sizeof cmd, "cp -a '%s/etc/%s' '%s/'", root ? root : "", dir,
                 hn_netns_etc(im->ns));
        if (hn_netns_run(NULL, cmd, NULL, SMTP_CMD_TIMEOUT_MS, im->cmdlog, &es, w, sizeof w) || es) {
            why_with_logs(im, why, whylen, "copy-etc failed");
            return -1;
        }
    }
    if (write_files(im, w, sizeof w)) {
        hn_mta_why(why, whylen, "%s: %s", t->name, w);
        return -1;
    }
    size_t nprivs = hn_mta_desc_private_count(im->desc);
    if (root || nprivs) {
        const char *privs[64];
        if (nprivs > 64)
            nprivs = 64;
        for (size_t i = 0; i < nprivs; i++)
            privs[i] = hn_mta_desc_private(im->desc, i);
        if (hn_netns_mounts(im->ns, root, im->workdir, privs, nprivs, w, sizeof w)) {
            hn_mta_why(why, whylen, "%s: %s", t->name, w);
            return -1;
        }
    }
    return 0;
}

/* Starts each daemon command (exec: the PID kept is the daemon's own, not a shell's). */
static int start_daemons(struct st_target *t, char *why, size_t whylen)
{
    struct smtp_impl *im = t->impl;
    char w[512];
    for (size_t i = 0; i < hn_mta_desc_cmd_count(im->desc, HN_MTA_CMD_DAEMON); i++) {
        char *cmd = NULL;
        if (i >= SMTP_MAX_DAEMONS) {
            hn_mta_why(why, whylen, "%s: more than %d daemon commands", t->name,
                       SMTP_MAX_DAEMONS);
            return -1;
        }
        if (hn_mta_expand(hn_mta_desc_cmd(im->desc, HN_MTA_CMD_DAEMON, i), &im->vars, 0, &cmd, w,
                          sizeof w)) {
            hn_mta_why(why, whylen, "daemon: %s", w);
            return -1;
        }
        int pid = 0;
        size_t len = strlen(cmd) + 8;
        char *ecmd = malloc(len);
        if (ecmd)
            snprintf(ecmd, len, "exec %s", cmd);
        enum hn_mta_status st = ecmd ? hn_netns_spawn(im->ns, ecmd, im->cmdlog, &pid, w, sizeof w)
                                     : HN_MTA_NOMEM;
        free(ecmd);
        free(cmd);
        if (st) {
            hn_mta_why(why, whylen, "%s: daemon: %s", t->name,
                       st == HN_MTA_NOMEM ? "out of memory" : w);
            return -1;
        }
        im->daemons[im->ndaemons++] = pid;
    }
    return 0;
}

/* Readiness: every ready command must succeed once, polled until deadline_ms; a daemon that
 * exits meanwhile ends the wait. */
static int wait_ready(struct st_target *t, uint64_t deadline_ms, char *why, size_t whylen)
{
    struct smtp_impl *im = t->impl;
    char w[512];
    for (size_t i = 0; i < hn_mta_desc_cmd_count(im->desc, HN_MTA_CMD_READY); i++) {
        char *cmd = NULL;
        if (hn_mta_expand(hn_mta_desc_cmd(im->desc, HN_MTA_CMD_READY, i), &im->vars, 0, &cmd, w,
                          sizeof w)) {
            hn_mta_why(why, whylen, "ready: %s", w);
            return -1;
        }
        int es = 1;
        while (hn_mta_now_ms() < deadline_ms) {
            if (!hn_netns_run(im->ns, cmd, NULL, 5000, im->cmdlog, &es, w, sizeof w) && !es)
                break;
            if (daemon_died(t, why, whylen)) {
                free(cmd);
                return -1;
            }
            sleep_ms(50);
        }
        if (es) {
            char reason[600];
            snprintf(reason, sizeof reason, "%s: not ready within %u s (`%.300s`)", t->name,
                     hn_mta_desc_start_timeout(im->desc), cmd);
            free(cmd);
            why_with_logs(im, why, whylen, reason);
            return -1;
        }
        free(cmd);
    }
    return daemon_died(t, why, whylen) ? -1 : 0;
}

static int smtp_open(struct st_target *t, const struct st_env *env, struct st_caps *caps,
                     char *why, size_t whylen)
{
    struct smtp_impl *im = t->impl;
    smtp_close(t);
    if (open_caps(im, env, caps))
        return 0;
    if (open_preconditions(t, env, why, whylen))
        return -1;
    im->is_open = 1;
    im->seq = 0;
    unsigned start_ms = hn_mta_desc_start_timeout(im->desc) * 1000u;
    if (open_workdir(t, env, why, whylen) || open_network(t, env, why, whylen) ||
        open_files(t, env, why, whylen) ||
        run_cmds(im, HN_MTA_CMD_SETUP, NULL, start_ms, why, whylen) ||
        run_cmds(im, HN_MTA_CMD_START, NULL, start_ms, why, whylen) ||
        start_daemons(t, why, whylen) ||
        wait_ready(t, hn_mta_now_ms() + start_ms, why, whylen)) {
        smtp_close(t);
        return -1;
    }
    return 0;
}

/* Same recipient, ignoring case and a trailing dot on the domain. */
/* The sink's recipient is the injected one when their local parts agree: "mxttl-N" is unique
 * within an instance (seq), and the MTA may rewrite the domain -- RFC 1123 §5.2.2 has a sender
 * put a CNAME's canonical name in RCPT (Sendmail does), a trailing dot may go or stay. */
static int same_rcpt(const char *a, const char *b)
{
    const char *at_a = strrchr(a, '@'), *at_b = strrchr(b, '@');
    size_t la = at_a ? (size_t)(at_a - a) : strlen(a), lb = at_b ? (size_t)(at_b - b) : strlen(b);
    return la == lb && !strncasecmp(a, b, la);
}

/* Scans the MTA log for an outcome line of rcpt: 1 with *status, 0 none, -1 error. */
static int scan_log(struct smtp_impl *im, const char *rcpt, enum rc_status *status,
                    int *unspecific, char *line_out, size_t line_len)
{
    size_t no = hn_mta_desc_outcome_count(im->desc);
    if (!no || !im->logpath)
        return 0;
    FILE *f = fopen(im->logpath, "r");
    if (!f)
        return 0;
    /* Only lines written after this message was injected: an earlier message's line can
     * never match a pattern that names the domain or the exchanger only. */
    if (fseek(f, 0, SEEK_END) == 0 && ftell(f) >= im->log_from)
        fseek(f, im->log_from, SEEK_SET);
    else
        rewind(f);
    regex_t *res = calloc(2 * no, sizeof *res);
    int *ok = calloc(2 * no, sizeof *ok);
    /* The MTA may log the domain with or without the trailing dot it was given. */
    char rc_nodot[400];
    snprintf(rc_nodot, sizeof rc_nodot, "%s", rcpt);
    size_t l = strlen(rc_nodot);
    if (l && rc_nodot[l - 1] == '.')
        rc_nodot[l - 1] = '\0';
    const char *forms[2] = {rc_nodot, rcpt};
    for (size_t i = 0; res && ok && i < no; i++)
        for (int k = 0; k < 2; k++) {
            struct hn_mta_vars v = im->vars;
            v.recipient = forms[k];
            v.domain = strchr(forms[k], '@') + 1;
            char *re = NULL, w[128];
            if (!hn_mta_expand(hn_mta_desc_outcome(im->desc, i)->regex, &v, 1, &re, w, sizeof w))
                ok[2 * i + k] = !regcomp(&res[2 * i + k], re, REG_EXTENDED | REG_ICASE | REG_NOSUB);
            free(re);
        }
    int found = 0;
    char buf[4096];
    while (!found && res && ok && fgets(buf, sizeof buf, f)) {
        for (size_t i = 0; i < no && !found; i++)
            for (int k = 0; k < 2 && !found; k++)
                if (ok[2 * i + k] && !regexec(&res[2 * i + k], buf, 0, NULL, 0)) {
                    *status = hn_mta_desc_outcome(im->desc, i)->status;
                    *unspecific = hn_mta_desc_outcome(im->desc, i)->unspecific;
                    buf[strcspn(buf, "\n")] = '\0';
                    size_t cut = strlen(buf) < line_len ? strlen(buf) : line_len - 1;
                    memcpy(line_out, buf, cut);
                    line_out[cut] = 0;
                    found = 1;
                }
    }
    fclose(f);
    for (size_t i = 0; res && ok && i < 2 * no; i++)
        if (ok[i])
            regfree(&res[i]);
    free(res);
    free(ok);
    return found;
}

/* An MTA whose own resolver ignores resolv.conf's timeout (resolver-timeout N) may still
 * retry a query the fixture left unanswered after the outcome is logged: the lookup stays
 * open until N s (+0.5) passed without a relayed query, so that the retry counts for the
 * lookup that caused it, not for the next one. Bounded by N + deliver-timeout. */
static void settle_dns(struct smtp_impl *im)
{
    unsigned n = hn_mta_desc_resolver_timeout(im->desc);
    if (!n)
        return;
    uint64_t quiet = (uint64_t)n * 1000u + 500u;
    uint64_t end = hn_mta_now_ms() + quiet + (uint64_t)hn_mta_desc_deliver_timeout(im->desc) * 1000u;
    for (;;) {
        uint64_t now = hn_mta_now_ms(), last = hn_relay_last_ms(im->relay);
        if (now >= end || now >= last + quiet)
            return;
        sleep_ms(50);
    }
}

/* Sends one message to rcpt and waits for its fate. */
static int deliver(struct st_target *t, const char *rcpt, struct st_answer *ans, char *why,
                   size_t whylen)
{
    struct smtp_impl *im = t->impl;
    memset(ans, 0, sizeof *ans);
    if (!im->is_open) {
        hn_mta_why(why, whylen, "%s: not open", t->name);
        return -1;
    }
    char msg[1024];
    snprintf(msg, sizeof msg,
             "From: mxttl <mxttl@" SMTP_FORWARD_DOMAIN ">\nTo: <%s>\n"
             "Subject: mxttl probe %s\n\nOne lookup of the mxttl conformance suite.\n",
             rcpt, rcpt);
    struct hn_mta_vars v = im->vars;
    v.recipient = rcpt;
    v.domain = strchr(rcpt, '@') + 1;
    char *cmd = NULL, w[256];
    struct stat lsb;
    im->log_from = im->logpath && stat(im->logpath, &lsb) == 0 ? (long)lsb.st_size : 0;
    if (hn_mta_expand(hn_mta_desc_cmd(im->desc, HN_MTA_CMD_INJECT, 0), &v, 0, &cmd, w, sizeof w)) {
        hn_mta_why(why, whylen, "inject: %s", w);
        return -1;
    }
    int es = 0;
    enum hn_mta_status st = hn_netns_run(im->ns, cmd, msg, SMTP_CMD_TIMEOUT_MS, im->cmdlog, &es, w,
                                         sizeof w);
    free(cmd);
    size_t dlen = strlen(v.domain);
    if (!st && es && dlen > 0 && v.domain[dlen - 1] == '.') {
        /* "user@domain." is not RFC 5321 syntax, so an MTA may refuse it at injection: the
         * target cannot be asked about that spelling (a refusal), which is not a breakage. */
        ans->kind = RC_REPLY_REFUSED;
        char reason[400];
        snprintf(reason, sizeof reason, "the MTA refused the recipient %s at injection", rcpt);
        why_with_logs(im, ans->why, sizeof ans->why, reason);
        return 0;
    }
    if (st || es) {
        char reason[400];
        snprintf(reason, sizeof reason, "%s: injecting to %s failed: %s", t->name, rcpt,
                 st ? w : "inject command exited non-zero");
        why_with_logs(im, why, whylen, reason);
        return -1;
    }
    uint64_t deadline = hn_mta_now_ms() + (uint64_t)hn_mta_desc_deliver_timeout(im->desc) * 1000u;
    unsigned polls = 0;
    for (;;) {
        struct hn_sink_msg m;
        size_t n = hn_sink_count(im->sink);
        for (size_t i = 0; i < n; i++)
            if (!hn_sink_get(im->sink, i, &m) && same_rcpt(m.rcpt, rcpt)) {
                /* the address the MTA delivered to: an address-only route */
                if (rc_route_parse(m.local_addr, "", 0, &ans->route, w, sizeof w) != RC_OK) {
                    hn_mta_why(why, whylen, "%s: sink address \"%s\": %s", t->name, m.local_addr,
                               w);
                    return -1;
                }
                ans->kind = RC_REPLY_ROUTE;
                return 0;
            }
        enum rc_status rs;
        int unspecific = 0;
        char line[512];
        /* The log is read less often than the sink: a delivery is the common case. */
        if ((polls++ % 5) == 4 && scan_log(im, rcpt, &rs, &unspecific, line, sizeof line) == 1) {
            ans->kind = rc_reply_from_status(rs);
            snprintf(ans->why, sizeof ans->why, "%s%.200s",
                     unspecific ? "no route (the MTA does not tell which kind): " : "", line);
            if (rs == RC_RETRY)
                settle_dns(im);
            /* The message must not come back later and add DNS traffic to another lookup,
             * and a destination marked down must not block the next lookup. */
            char w2[256];
            run_cmds(im, HN_MTA_CMD_PURGE, NULL, SMTP_CMD_TIMEOUT_MS, w2, sizeof w2);
            run_cmds(im, HN_MTA_CMD_CLEAR_RETRY, NULL, SMTP_CMD_TIMEOUT_MS, w2, sizeof w2);
            run_cmds(im, HN_MTA_CMD_FLUSH, NULL, SMTP_CMD_TIMEOUT_MS, w2, sizeof w2);
            return 0;
        }
        if (hn_mta_now_ms() >= deadline)
            break;
        if ((polls % 20) == 19 && daemon_died(t, why, whylen))
            return -1;
        sleep_ms(10);
    }
    if (!hn_mta_desc_outcome_count(im->desc)) {
        /* The description reads no outcome from the log (noroute_visible = 0): how the message
         * ended is not visible, so it is not judged -- never guessed, never an ERROR. */
        ans->kind = RC_REPLY_TEMPFAIL;
        ans->unseen = 1;
        snprintf(ans->why, sizeof ans->why,
                 "not delivered within %u s; the description reads no outcome from the MTA's log",
                 hn_mta_desc_deliver_timeout(im->desc));
        char w2[256];
        run_cmds(im, HN_MTA_CMD_PURGE, NULL, SMTP_CMD_TIMEOUT_MS, w2, sizeof w2);
        run_cmds(im, HN_MTA_CMD_CLEAR_RETRY, NULL, SMTP_CMD_TIMEOUT_MS, w2, sizeof w2);
        return 0;
    }
    char reason[400];
    snprintf(reason, sizeof reason,
             "%s: message to %s neither delivered nor bounced nor deferred within %u s", t->name,
             rcpt, hn_mta_desc_deliver_timeout(im->desc));
    why_with_logs(im, why, whylen, reason);
    char w2[256];
    run_cmds(im, HN_MTA_CMD_PURGE, NULL, SMTP_CMD_TIMEOUT_MS, w2, sizeof w2);
    return -1;
}

static int smtp_lookup(struct st_target *t, const char *domain, uint64_t t_ms,
                       struct st_answer *ans, char *why, size_t whylen)
{
    struct smtp_impl *im = t->impl;
    (void)t_ms; /* wall clock: the caller schedules */
    if (!domain_ok(domain)) {
        hn_mta_why(why, whylen, "%s: domain \"%s\" is not a plain host name", t->name, domain);
        return -1;
    }
    char rcpt[320];
    snprintf(rcpt, sizeof rcpt, "mxttl-%u@%s", ++im->seq, domain);
    return deliver(t, rcpt, ans, why, whylen);
}

static int smtp_forward(struct st_target *t, uint64_t t_ms, struct st_answer *ans, char *why,
                        size_t whylen)
{
    struct smtp_impl *im = t->impl;
    (void)t_ms;
    if (!im->vars.smarthost) {
        hn_mta_why(why, whylen, "%s: opened without a forward host", t->name);
        return -1;
    }
    char rcpt[320];
    snprintf(rcpt, sizeof rcpt, "mxttl-%u@" SMTP_FORWARD_DOMAIN, ++im->seq);
    return deliver(t, rcpt, ans, why, whylen);
}

static void smtp_free(struct st_target *t)
{
    if (!t)
        return;
    if (t->impl) {
        smtp_close(t);
        hn_mta_desc_free(((struct smtp_impl *)t->impl)->desc);
        free(t->impl);
    }
    free(t->name);
    free(t);
}

static const struct st_target_ops smtp_ops = {
    .kind = "smtp",
    .open = smtp_open,
    .lookup = smtp_lookup,
    .forward = smtp_forward,
    .close = smtp_close,
    .free = smtp_free,
};

int hn_smtp_target_new(struct st_target **out, const char *file, char *why, size_t whylen)
{
    *out = NULL;
    struct st_target *t = calloc(1, sizeof *t);
    struct smtp_impl *im = calloc(1, sizeof *im);
    if (!t || !im) {
        free(t);
        free(im);
        hn_mta_why(why, whylen, "out of memory");
        return -1;
    }
    t->ops = &smtp_ops;
    t->impl = im;
    if (hn_mta_desc_load(&im->desc, file, why, whylen)) {
        smtp_free(t);
        return -1;
    }
    size_t len = strlen(file) + 6;
    if (!(t->name = malloc(len))) {
        smtp_free(t);
        hn_mta_why(why, whylen, "out of memory");
        return -1;
    }
    snprintf(t->name, len, "smtp:%s", file);
    *out = t;
    return 0;
}

int hn_smtp_installed(const char *file, char *why, size_t whylen)
{
    struct st_target *t;
    if (hn_smtp_target_new(&t, file, why, whylen))
        return -1;
    struct smtp_impl *im = t->impl;
    int rc = 0;
    const char *root = hn_mta_desc_root(im->desc);
    char sh[300];
    snprintf(sh, sizeof sh, "%s/bin/sh", root ? root : "");
    if (root && access(sh, X_OK) != 0) {
        hn_mta_why(why, whylen, "root filesystem %s is not built (targets/mkroot.sh %s)", root,
                   file);
        rc = 1;
    } else if (run_cmds(im, HN_MTA_CMD_CHECK, NULL, SMTP_CMD_TIMEOUT_MS, why, whylen)) {
        rc = 1;
    }
    smtp_free(t);
    return rc;
}

int hn_smtp_resolve(const char *arg, const char *targets_dir, char *buf, size_t buflen, char *why,
                    size_t whylen)
{
    if (!strncmp(arg, "smtp:", 5)) {
        if (!arg[5]) {
            hn_mta_why(why, whylen, "smtp: needs a description file (smtp:FILE)");
            return -1;
        }
        snprintf(buf, buflen, "%s", arg + 5);
        return 0;
    }
    for (const char *p = arg; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("+-_", *p)) {
            hn_mta_why(why, whylen, "\"%s\" is not an MTA shortcut", arg);
            return -1;
        }
    snprintf(buf, buflen, "%s/%s.mta", targets_dir, arg);
    if (access(buf, R_OK) != 0) {
        hn_mta_why(why, whylen, "no MTA shortcut \"%s\" (%s: %s)", arg, buf, strerror(errno));
        return -1;
    }
    return 0;
}
