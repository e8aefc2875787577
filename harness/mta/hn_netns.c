/*
 * hn_netns: network namespaces for MTA targets -- creation with `ip`, commands run inside with
 * `ip netns exec`, sockets created inside by a short-lived thread that enters the namespace
 * with setns(2), and clean-up by PID. See hn_netns.h.
 */
#define _GNU_SOURCE
#include "hn_netns.h"
#include "hn_mta_util.h"
#include "fx_proc.h"
#include "rc_clock.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct hn_netns {
    char name[64];
    char etc[128];
    char ip[64];      /* path of the ip program */
    int fd;           /* /run/netns/NAME, for setns */
    dev_t dev;
    ino_t ino;
    int created;      /* `ip netns add` succeeded */
    int reg;          /* slot of its fx_proc clean-up command, -1 none */
    int holder;       /* PID keeping the namespace's own mount namespace, 0 none */
    char holder_s[16];
    char root[256];   /* chroot of every command, "" none */
};

/* Live namespaces are removed on a second SIGINT/SIGTERM, or a SIGKILLed run's by the next
 * run (hn_netns_reap_stale): each registers its removal as an fx_proc clean-up command. */
static atomic_uint ns_counter;

/* The shell command that removes namespace name with its processes and /etc/netns entry. */
static void cleanup_cmd(char *buf, size_t len, const char *name)
{
    snprintf(buf, len,
             "for p in $(ip netns pids %.63s 2>/dev/null); do kill -9 $p; done; "
             "ip netns del %.63s 2>/dev/null; rm -rf /etc/netns/%.63s",
             name, name, name);
}

/* Whether a namespace name is one of this process's live ones. */
static int reg_has(const char *name)
{
    char cmd[FX_PROC_CLEANUP_MAX];
    cleanup_cmd(cmd, sizeof cmd, name);
    return fx_proc_cleanup_find(cmd) >= 0;
}

/* ---- running programs (children of fx_proc, each in a process group of its own) ---- */

/* Starts argv as a process group with output appended to outlog (NULL: discarded) and stdin
 * from in_fd (-1: /dev/null). */
static enum hn_mta_status start_argv(char *const argv[], int in_fd, const char *outlog,
                                     pid_t *pid, char *why, size_t whylen)
{
    struct fx_proc_opts o = FX_PROC_OPTS_INIT;
    o.outpath = outlog;
    o.append = 1;
    o.in_fd = in_fd;
    o.group = 1;
    char w[512];
    enum fx_status st = fx_proc_start(pid, &o, argv, w, sizeof w);
    if (st == FX_OK)
        return HN_MTA_OK;
    hn_mta_why(why, whylen, "%s", w);
    return st == FX_IO ? HN_MTA_IO : st == FX_NOMEM ? HN_MTA_NOMEM : HN_MTA_SPAWN;
}

/* Runs argv with stdin text and output appended to outlog; see hn_netns_run. */
static enum hn_mta_status run_argv(char *const argv[], const char *stdin_text, unsigned timeout_ms,
                                   const char *outlog, int *exit_status, char *why, size_t whylen)
{
    int in[2] = {-1, -1};
    if (pipe2(in, O_CLOEXEC) < 0) {
        hn_mta_why(why, whylen, "pipe: %s", strerror(errno));
        return HN_MTA_IO;
    }
    pid_t pid;
    enum hn_mta_status st = start_argv(argv, in[0], outlog, &pid, why, whylen);
    close(in[0]);
    if (st != HN_MTA_OK) {
        close(in[1]);
        return st;
    }
    if (stdin_text) {
        /* A child that exits early must not kill us with SIGPIPE. */
        size_t len = strlen(stdin_text), off = 0;
        while (off < len) {
            ssize_t n = send(in[1], stdin_text + off, len - off, MSG_NOSIGNAL);
            if (n < 0 && errno == ENOTSOCK)
                n = write(in[1], stdin_text + off, len - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            off += (size_t)n;
        }
    }
    close(in[1]);
    int status = 0;
    int r = fx_proc_wait(pid, rc_clock_mono_us() + (uint64_t)timeout_ms * 1000u, &status);
    if (r < 0) {
        hn_mta_why(why, whylen, "waitpid: %s", strerror(ECHILD));
        return HN_MTA_SPAWN;
    }
    if (r == 0) {
        fx_proc_stop(pid);
        hn_mta_why(why, whylen, "still running after %u ms, killed", timeout_ms);
        return HN_MTA_TIMEOUT;
    }
    /* 127: exec failure or "command not found" in the shell; the caller reports the output */
    *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return HN_MTA_OK;
}

/* The first len-1 bytes of a file into buf ("" if unreadable). */
static void read_head(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f) {
        size_t k = fread(buf, 1, len - 1, f);
        buf[k] = '\0';
        fclose(f);
    }
}

static const char *find_ip(void)
{
    static const char *const cands[] = {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++)
        if (access(cands[i], X_OK) == 0)
            return cands[i];
    return NULL;
}

static const char *find_prog(const char *const *cands)
{
    for (; *cands; cands++)
        if (access(*cands, X_OK) == 0)
            return *cands;
    return cands[-1];
}

/* argv (16 slots) running `/bin/sh -c cmd` in the namespace: `ip netns exec`, or, once it has
 * a mount namespace of its own, nsenter into the holder's (and chroot). */
static void ns_argv(struct hn_netns *ns, const char *cmd, char **argv)
{
    static const char *const nsenter[] = {"/usr/bin/nsenter", "/bin/nsenter", NULL};
    static const char *const chroot_[] = {"/usr/sbin/chroot", "/sbin/chroot", NULL};
    int n = 0;
    if (ns->holder) {
        argv[n++] = (char *)find_prog(nsenter);
        argv[n++] = "-t";
        argv[n++] = ns->holder_s;
        argv[n++] = "-m";
        argv[n++] = "-n";
        if (ns->root[0]) {
            argv[n++] = (char *)find_prog(chroot_);
            argv[n++] = ns->root;
        }
    } else {
        argv[n++] = ns->ip;
        argv[n++] = "netns";
        argv[n++] = "exec";
        argv[n++] = ns->name;
    }
    argv[n++] = "/bin/sh";
    argv[n++] = "-c";
    argv[n++] = (char *)cmd;
    argv[n] = NULL;
}

enum hn_mta_status hn_netns_run(struct hn_netns *ns, const char *cmd, const char *stdin_text,
                                unsigned timeout_ms, const char *outlog, int *exit_status,
                                char *why, size_t whylen)
{
    if (!ns) {
        char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
        return run_argv(argv, stdin_text, timeout_ms, outlog, exit_status, why, whylen);
    }
    char *argv[16];
    ns_argv(ns, cmd, argv);
    return run_argv(argv, stdin_text, timeout_ms, outlog, exit_status, why, whylen);
}

enum hn_mta_status hn_netns_spawn(struct hn_netns *ns, const char *cmd, const char *outlog,
                                  int *pid, char *why, size_t whylen)
{
    char *argv[16];
    ns_argv(ns, cmd, argv);
    pid_t p;
    enum hn_mta_status st = start_argv(argv, -1, outlog, &p, why, whylen);
    if (!st)
        *pid = (int)p;
    return st;
}

int hn_netns_pid_running(int pid, int *exit_status)
{
    int status = 0;
    int r = fx_proc_wait((pid_t)pid, 0, &status);
    if (r == 0)
        return 1;
    if (r < 0)
        *exit_status = -1; /* not our child (any more) */
    else
        *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return 0;
}

void hn_netns_stop_pid(int pid, unsigned grace_ms)
{
    if (pid > 0)
        fx_proc_end((pid_t)pid, 0, grace_ms);
}

/* Paths that go into the mount script unquoted: a conservative character set. */
static int plain_path(const char *p)
{
    if (p[0] != '/' || strstr(p, "/..") || strlen(p) > 200)
        return 0;
    for (; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/+._-", *p))
            return 0;
    return 1;
}

enum hn_mta_status hn_netns_mounts(struct hn_netns *ns, const char *root, const char *workdir,
                                   const char *const *privs, size_t nprivs, char *why,
                                   size_t whylen)
{
    if (ns->holder) {
        hn_mta_why(why, whylen, "namespace %s already has its mounts", ns->name);
        return HN_MTA_SPAWN;
    }
    if ((root && !plain_path(root)) || !plain_path(workdir)) {
        hn_mta_why(why, whylen, "path \"%s\" has characters the mount script does not take",
                   root && !plain_path(root) ? root : workdir);
        return HN_MTA_SPAWN;
    }
    for (size_t i = 0; i < nprivs; i++)
        if (!plain_path(privs[i]) || !strcmp(privs[i], "/")) {
            hn_mta_why(why, whylen, "private path \"%s\" is not a plain absolute path", privs[i]);
            return HN_MTA_SPAWN;
        }
    const char *R = root ? root : "";
    size_t cap = 4096 + nprivs * 1024;
    char *sc = malloc(cap);
    if (!sc) {
        hn_mta_why(why, whylen, "out of memory");
        return HN_MTA_NOMEM;
    }
    /* The script runs in the mount namespace `ip netns exec` made for it (/ is a slave of the
     * host's: nothing mounted here shows outside); it ends as the holder, `sleep`. */
    int n = snprintf(sc, cap, "set -e; W=%s; R=%s; ", workdir, R);
    if (root)
        n += snprintf(sc + (size_t)n, cap - (size_t)n,
                      "mount -t proc proc $R/proc; "
                      /* a /dev of the instance's own: the host's device nodes, and room for
                       * what a program of the root makes there (a syslog daemon's /dev/log) */
                      "mount -t tmpfs -o mode=0755 tmpfs $R/dev; "
                      "for d in null zero full random urandom tty; do : > $R/dev/$d; "
                      "mount --bind /dev/$d $R/dev/$d; done; "
                      "mkdir $R/dev/pts $R/dev/shm; mount --rbind /dev/pts $R/dev/pts; "
                      "mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm; "
                      "ln -s /proc/self/fd $R/dev/fd; ln -s /proc/self/fd/0 $R/dev/stdin; "
                      "ln -s /proc/self/fd/1 $R/dev/stdout; ln -s /proc/self/fd/2 $R/dev/stderr; "
                      "mount -t tmpfs -o mode=0755 tmpfs $R/run; "
                      "mount -t tmpfs -o mode=1777 tmpfs $R/tmp; "
                      "mkdir -p $R$W; mount --bind $W $R$W; "
                      "for e in %s/*; do [ -e \"$e\" ] || continue; b=${e##*/}; "
                      "if [ -d \"$e\" ]; then mkdir -p $R/etc/$b; "
                      "elif [ ! -e $R/etc/$b ]; then : > $R/etc/$b; fi; "
                      "mount --bind \"$e\" $R/etc/$b; done; ",
                      ns->etc);
    for (size_t i = 0; i < nprivs; i++)
        n += snprintf(sc + (size_t)n, cap - (size_t)n,
                      "p=%s; mkdir -p $W/private$p $R$p; chown --reference=$R$p $W/private$p; "
                      "chmod --reference=$R$p $W/private$p; mount --bind $W/private$p $R$p; ",
                      privs[i]);
    snprintf(sc + (size_t)n, cap - (size_t)n,
             ": > $W/.mxttl-mounted; exec sleep 2147483647");
    char log[300], marker[300];
    snprintf(log, sizeof log, "%s/.mxttl-mounts.log", workdir);
    snprintf(marker, sizeof marker, "%s/.mxttl-mounted", workdir);
    char *argv[] = {ns->ip, "netns", "exec", ns->name, "/bin/sh", "-c", sc, NULL};
    /* the plain `ip netns exec` argv: no holder yet */
    pid_t p;
    enum hn_mta_status st = start_argv(argv, -1, log, &p, why, whylen);
    free(sc);
    if (st)
        return st;
    int es = 0;
    uint64_t deadline = hn_mta_now_ms() + 30000; /* a bound for a loaded machine */
    while (access(marker, F_OK) != 0) {
        if (!hn_netns_pid_running((int)p, &es) || hn_mta_now_ms() >= deadline) {
            hn_netns_stop_pid((int)p, 0);
            char text[300];
            read_head(log, text, sizeof text);
            for (char *c = text; *c; c++)
                if (*c == '\n')
                    *c = ' ';
            hn_mta_why(why, whylen, "mounts of namespace %s failed (exit %d): %s", ns->name, es,
                       text);
            return HN_MTA_SPAWN;
        }
        struct timespec ts = {0, 5L * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    ns->holder = (int)p;
    snprintf(ns->holder_s, sizeof ns->holder_s, "%d", ns->holder);
    snprintf(ns->root, sizeof ns->root, "%s", root ? root : "");
    return HN_MTA_OK;
}

/* Runs `ip ARGS...` on the host; output goes to a temporary file quoted in *why on failure. */
static enum hn_mta_status ip_cmd(struct hn_netns *ns, char *why, size_t whylen, ...)
{
    char *argv[16];
    int n = 0;
    argv[n++] = ns->ip;
    va_list ap;
    va_start(ap, whylen);
    const char *a;
    while (n < 15 && (a = va_arg(ap, const char *)))
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    char log[512];
    int fd = hn_mta_tmp_template(log, sizeof log, "mxttl-ip") ? -1 : mkstemp(log);
    if (fd < 0) {
        hn_mta_why(why, whylen, "mkstemp %s: %s", log, strerror(errno));
        return HN_MTA_IO;
    }
    close(fd);
    int es = 0;
    /* A bound, not an expectation: on a loaded machine `ip netns add` (a mount propagated
     * into every mount namespace) took over 10 s (ci/mta.sh, load average 20). */
    enum hn_mta_status st = run_argv(argv, NULL, 30000, log, &es, why, whylen);
    if (!st && es) {
        char out[200];
        read_head(log, out, sizeof out);
        char *nl = strchr(out, '\n');
        if (nl)
            *nl = '\0';
        char line[160] = "";
        for (int i = 0; i < n && strlen(line) < 120; i++) {
            strncat(line, argv[i], sizeof line - strlen(line) - 2);
            strcat(line, " ");
        }
        hn_mta_why(why, whylen, "%sfailed (exit %d): %s", line, es, out);
        st = HN_MTA_SPAWN;
    }
    unlink(log);
    return st;
}

/* Removes one stale namespace by name: its processes (by PID), the name, its /etc/netns. */
static void remove_stale(const char *ip, const char *name)
{
    struct hn_netns tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.reg = -1;
    snprintf(tmp.ip, sizeof tmp.ip, "%.63s", ip);
    snprintf(tmp.name, sizeof tmp.name, "%.63s", name);
    snprintf(tmp.etc, sizeof tmp.etc, "/etc/netns/%.63s", name);
    char path[128];
    snprintf(path, sizeof path, "/run/netns/%.63s", name);
    struct stat sb;
    tmp.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (tmp.fd >= 0 && fstat(tmp.fd, &sb) == 0) {
        tmp.dev = sb.st_dev;
        tmp.ino = sb.st_ino;
    } else if (tmp.fd >= 0) {
        close(tmp.fd);
        tmp.fd = -1;
    }
    tmp.created = 1;
    /* hn_netns_free frees its argument: hand it a heap copy. */
    struct hn_netns *ns = malloc(sizeof *ns);
    if (ns) {
        *ns = tmp;
        hn_netns_free(ns);
    } else if (tmp.fd >= 0) {
        close(tmp.fd);
    }
}

/* Reads the creator's PID from a name of ours, "mxttl-PID-K" (both decimal, nothing after):
 * 0 with *pid > 0, or -1 for any other name. */
static int stale_name_pid(const char *name, long *pid)
{
    static const char prefix[] = "mxttl-";
    if (strncmp(name, prefix, sizeof prefix - 1) != 0)
        return -1;
    const char *p = name + sizeof prefix - 1;
    if (!isdigit((unsigned char)*p))
        return -1;
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (errno != 0 || v <= 0 || *end != '-' || !isdigit((unsigned char)end[1]))
        return -1;
    p = end + 1;
    errno = 0;
    unsigned long k = strtoul(p, &end, 10);
    if (errno != 0 || *end != '\0' || k > UINT_MAX)
        return -1;
    *pid = v;
    return 0;
}

void hn_netns_reap_stale(void)
{
    const char *ip = find_ip();
    DIR *d = opendir("/run/netns");
    if (!ip || !d) {
        if (d)
            closedir(d);
        return;
    }
    char names[64][64];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 64) {
        long pid;
        if (stale_name_pid(de->d_name, &pid) != 0)
            continue;
        /* Stale: its creator is gone, or it has our PID (reused) but is not one of ours. */
        int stale = pid == (long)getpid() ? !reg_has(de->d_name)
                                          : (kill((pid_t)pid, 0) < 0 && errno == ESRCH);
        if (stale)
            snprintf(names[n++], sizeof names[0], "%.63s", de->d_name);
    }
    closedir(d);
    for (size_t i = 0; i < n; i++)
        remove_stale(ip, names[i]);
}

enum hn_mta_status hn_netns_new(struct hn_netns **out, const char *resolver, char *why,
                                size_t whylen)
{
    *out = NULL;
    if (geteuid() != 0) {
        hn_mta_why(why, whylen, "smtp targets need root: the harness creates a network namespace "
                             "(ip netns add) for the MTA; run as root or skip smtp targets");
        return HN_MTA_PERM;
    }
    struct hn_netns *ns = calloc(1, sizeof *ns);
    if (!ns) {
        hn_mta_why(why, whylen, "out of memory");
        return HN_MTA_NOMEM;
    }
    ns->fd = -1;
    ns->reg = -1;
    const char *ip = find_ip();
    if (!ip) {
        free(ns);
        hn_mta_why(why, whylen, "the ip program (iproute2) is not installed");
        return HN_MTA_SPAWN;
    }
    snprintf(ns->ip, sizeof ns->ip, "%s", ip);
    hn_netns_reap_stale();
    snprintf(ns->name, sizeof ns->name, "mxttl-%ld-%u", (long)getpid(),
             atomic_fetch_add(&ns_counter, 1));
    snprintf(ns->etc, sizeof ns->etc, "/etc/netns/%s", ns->name);
    /* Registered before creation so that an interrupt in between still cleans up. */
    char cmd[FX_PROC_CLEANUP_MAX];
    cleanup_cmd(cmd, sizeof cmd, ns->name);
    ns->reg = fx_proc_cleanup_add(cmd);
    enum hn_mta_status st;
    if ((st = ip_cmd(ns, why, whylen, "netns", "add", ns->name, (char *)NULL)))
        goto fail;
    ns->created = 1;
    if ((st = ip_cmd(ns, why, whylen, "-n", ns->name, "link", "set", "lo", "up", (char *)NULL)) ||
        (st = ip_cmd(ns, why, whylen, "-n", ns->name, "link", "add", "mxttl0", "type", "veth",
                     "peer", "name", "mxttl1", (char *)NULL)) ||
        (st = ip_cmd(ns, why, whylen, "-n", ns->name, "link", "set", "mxttl0", "up",
                     (char *)NULL)) ||
        (st = ip_cmd(ns, why, whylen, "-n", ns->name, "link", "set", "mxttl1", "up",
                     (char *)NULL)) ||
        (st = ip_cmd(ns, why, whylen, "-n", ns->name, "addr", "add", HN_NETNS_ADDR "/32", "dev",
                     "mxttl0", (char *)NULL)))
        goto fail;
    char path[256];
    snprintf(path, sizeof path, "/run/netns/%s", ns->name);
    ns->fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (ns->fd < 0 || fstat(ns->fd, &sb) < 0) {
        hn_mta_why(why, whylen, "%s: %s", path, strerror(errno));
        st = HN_MTA_IO;
        goto fail;
    }
    ns->dev = sb.st_dev;
    ns->ino = sb.st_ino;
    if ((mkdir("/etc/netns", 0755) < 0 && errno != EEXIST) ||
        (mkdir(ns->etc, 0755) < 0 && errno != EEXIST)) {
        hn_mta_why(why, whylen, "%s: %s", ns->etc, strerror(errno));
        st = HN_MTA_IO;
        goto fail;
    }
    snprintf(path, sizeof path, "%s/resolv.conf", ns->etc);
    FILE *f = fopen(path, "w");
    if (!f) {
        hn_mta_why(why, whylen, "%s: %s", path, strerror(errno));
        st = HN_MTA_IO;
        goto fail;
    }
    fprintf(f, "# written by mxttl for namespace %s\nnameserver %s\n"
               "options timeout:1 attempts:1\n", ns->name, resolver);
    if (fclose(f)) {
        hn_mta_why(why, whylen, "%s: write error", path);
        st = HN_MTA_IO;
        goto fail;
    }
    *out = ns;
    return HN_MTA_OK;
fail:
    hn_netns_free(ns);
    return st;
}

const char *hn_netns_name(const struct hn_netns *ns) { return ns->name; }
const char *hn_netns_etc(const struct hn_netns *ns) { return ns->etc; }

/* PIDs of processes in the namespace: those whose /proc/PID/ns/net is our namespace. */
static size_t ns_pids(struct hn_netns *ns, pid_t *pids, size_t max)
{
    size_t n = 0;
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < max) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        char path[64];
        struct stat sb;
        snprintf(path, sizeof path, "/proc/%ld/ns/net", pid);
        if (stat(path, &sb) == 0 && sb.st_ino == ns->ino && sb.st_dev == ns->dev)
            pids[n++] = (pid_t)pid;
    }
    closedir(d);
    return n;
}

int hn_netns_pid_count(struct hn_netns *ns)
{
    pid_t pids[512];
    if (!ns || ns->fd < 0)
        return -1;
    return (int)ns_pids(ns, pids, 512);
}

static int rm_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) < 0)
        return errno == ENOENT ? 0 : -1;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        if (!d)
            return -1;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
            rm_tree(sub);
        }
        closedir(d);
        return rmdir(path);
    }
    return unlink(path);
}

void hn_netns_free(struct hn_netns *ns)
{
    if (!ns)
        return;
    if (ns->fd >= 0) {
        pid_t pids[512];
        size_t n = ns_pids(ns, pids, 512);
        for (size_t i = 0; i < n; i++)
            kill(pids[i], SIGTERM);
        uint64_t deadline = hn_mta_now_ms() + 2000;
        while (n && hn_mta_now_ms() < deadline) {
            struct timespec ts = {0, 20L * 1000 * 1000};
            nanosleep(&ts, NULL);
            n = ns_pids(ns, pids, 512);
        }
        for (size_t i = 0; i < n; i++)
            kill(pids[i], SIGKILL);
        for (int k = 0; k < 100 && ns_pids(ns, pids, 512); k++) {
            struct timespec ts = {0, 10L * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        close(ns->fd);
    }
    if (ns->holder)
        hn_netns_stop_pid(ns->holder, 0); /* killed above with the rest: reaped here */
    if (ns->created) {
        char why[256];
        ip_cmd(ns, why, sizeof why, "netns", "del", ns->name, (char *)NULL);
    }
    if (ns->etc[0])
        rm_tree(ns->etc);
    fx_proc_cleanup_remove(ns->reg);
    free(ns);
}

/* ---- sockets inside the namespace ---- */

struct sock_req {
    int nsfd, domain, type;
    int fd, err;
};

static void *sock_thread(void *arg)
{
    struct sock_req *r = arg;
    /* This thread enters the namespace and ends; the socket keeps the namespace. */
    if (setns(r->nsfd, CLONE_NEWNET) < 0) {
        r->err = errno;
        return NULL;
    }
    r->fd = socket(r->domain, r->type | SOCK_CLOEXEC, 0);
    if (r->fd < 0)
        r->err = errno;
    return NULL;
}

int hn_netns_socket(struct hn_netns *ns, int domain, int type, char *why, size_t whylen)
{
    struct sock_req r = {ns->fd, domain, type, -1, 0};
    pthread_t th;
    int e = pthread_create(&th, NULL, sock_thread, &r);
    if (e) {
        hn_mta_why(why, whylen, "pthread_create: %s", strerror(e));
        return -1;
    }
    pthread_join(th, NULL);
    if (r.fd < 0)
        hn_mta_why(why, whylen, "socket in namespace %s: %s", ns->name, strerror(r.err));
    return r.fd;
}
