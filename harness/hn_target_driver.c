/*
 * hn_target_driver: a target that is any program speaking the mxttl driver protocol
 * (harness/PROTOCOL.md) on its stdin and stdout. One driver process per play: it is started in
 * its own process group with a socket pair as stdin/stdout (so a dead driver gives EOF or
 * EPIPE, never SIGPIPE), every read is bounded by the timeout, and whatever goes wrong -- a
 * hung driver, garbage, a line over the limit, an answer to the wrong request, early EOF --
 * ends the play as ERROR naming the protocol line, after which the driver is killed by PID.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fx_proc.h"
#include "hn_proto.h"
#include "rc_clock.h"
#include "hn_target.h"

struct driver {
    char *cmd;
    unsigned timeout_ms;
    pid_t pid;
    int fd;
    char *buf;                 /* bytes read and not yet taken as lines; grows to the line limit */
    size_t len, cap;
    unsigned long next_id;
    unsigned long lines_in;    /* lines received, for messages */
    int virtual_time;
    uint64_t t_sent;           /* last TIME sent */
    int time_sent;
    char errpath[600];         /* driver's stderr, if kept */
};

static uint64_t now_ms(void)
{
    return rc_clock_mono_us() / 1000u;
}

/* Reaps the driver: waits up to wait_ms for it to exit by itself, then ends its process group
 * (SIGTERM, then SIGKILL after 200 ms). Returns its wait status, or -1. */
static int reap(struct driver *d, unsigned wait_ms)
{
    if (d->pid <= 0)
        return -1;
    int status = fx_proc_end(d->pid, wait_ms, 200);
    d->pid = -1;
    return status;
}

static void stop_driver(struct driver *d, int polite)
{
    if (d->fd >= 0 && polite) {
        char line[64];
        int n = snprintf(line, sizeof line, "QUIT %lu\n", d->next_id++);
        (void)!send(d->fd, line, (size_t)n, MSG_NOSIGNAL);
        shutdown(d->fd, SHUT_WR);
    }
    if (d->fd >= 0) {
        if (polite) {
            /* give it a moment to say BYE and exit */
            reap(d, 1000);
        }
        close(d->fd);
        d->fd = -1;
    }
    reap(d, 0);
    free(d->buf);   /* a long line's buffer is not kept between plays */
    d->buf = NULL;
    d->len = d->cap = 0;
}

static int spawn(struct driver *d, const char *workdir, char *why, size_t whylen)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(why, whylen, "socketpair: %s", strerror(errno));
        return -1;
    }
    /* CMD is split at blanks and run without a shell: no globbing, quoting or variables that
     * could turn a target name into something else (a script can do those). */
    char words[1100];
    char *argv[64];
    size_t argc = 0;
    snprintf(words, sizeof words, "%s", d->cmd);
    char *save = NULL;
    for (char *w = strtok_r(words, " \t", &save); w && argc < 63; w = strtok_r(NULL, " \t", &save))
        argv[argc++] = w;
    argv[argc] = NULL;
    if (argc == 0) {
        snprintf(why, whylen, "driver: empty command");
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    d->errpath[0] = '\0';
    if (workdir)
        snprintf(d->errpath, sizeof d->errpath, "%s/driver.stderr", workdir);
    /* Its own process group (so that whatever it starts is stopped with it), dying with the
     * play's thread, which always stops it first. */
    struct fx_proc_opts o = FX_PROC_OPTS_INIT;
    o.outpath = d->errpath[0] ? d->errpath : NULL;
    o.in_fd = sv[1];
    o.out_fd = sv[1];
    o.group = 1;
    o.die_with_parent = 1;
    pid_t pid;
    char w[512];
    if (fx_proc_start(&pid, &o, argv, w, sizeof w) != FX_OK) {
        snprintf(why, whylen, "driver:%s: %s", d->cmd, w);
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    close(sv[1]);
    d->fd = sv[0];
    d->pid = pid;
    d->len = 0;
    d->lines_in = 0;
    d->next_id = 1;
    d->time_sent = 0;
    return 0;
}

/* Appends the tail of the driver's stderr to why, for context. */
static void err_tail(const struct driver *d, char *why, size_t whylen)
{
    if (!d->errpath[0])
        return;
    FILE *f = fopen(d->errpath, "r");
    if (!f)
        return;
    char tail[161];
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, sz > 160 ? sz - 160 : 0, SEEK_SET);
    size_t n = fread(tail, 1, 160, f);
    fclose(f);
    tail[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (tail[i] == '\n' || tail[i] == '\r')
            tail[i] = ' ';
    if (n) {
        size_t l = strlen(why);
        snprintf(why + l, whylen - l, " [driver stderr: ...%s]", tail);
    }
}

/* Makes room to read more: doubles d->buf up to the line limit (plus a little, so that a line
 * one octet over it is seen as such). -1 with *why when out of memory. */
static int grow(struct driver *d, char *why, size_t whylen)
{
    if (d->cap - d->len >= 4096 || d->cap >= HN_PROTO_LINE_MAX + 4096)
        return 0;
    size_t cap = d->cap ? 2 * d->cap : 8192;
    if (cap > HN_PROTO_LINE_MAX + 4096)
        cap = HN_PROTO_LINE_MAX + 4096;
    char *nb = realloc(d->buf, cap);
    if (!nb) {
        snprintf(why, whylen, "out of memory for a line of %zu octets", d->len);
        return -1;
    }
    d->buf = nb;
    d->cap = cap;
    return 0;
}

/* Reads one line (without LF, CR stripped) within the timeout into *line, a string the caller
 * frees with free(). 0 ok; -1 with *why. */
static int read_line(struct driver *d, char **line, char *why, size_t whylen)
{
    uint64_t deadline = now_ms() + d->timeout_ms;
    *line = NULL;
    for (;;) {
        char *lf = d->len ? memchr(d->buf, '\n', d->len) : NULL;
        if (lf) {
            size_t n = (size_t)(lf - d->buf);
            d->lines_in++;
            if (n + 1 > HN_PROTO_LINE_MAX) {
                snprintf(why, whylen, "line %lu from the driver is over %zu octets",
                         d->lines_in, HN_PROTO_LINE_MAX);
                return -1;
            }
            *line = strndup(d->buf, n);
            if (!*line) {
                snprintf(why, whylen, "out of memory for line %lu", d->lines_in);
                return -1;
            }
            /* a NUL in the line ends the copy early (strndup): look at what was copied */
            size_t got = strlen(*line);
            if (got && (*line)[got - 1] == '\r')
                (*line)[got - 1] = '\0';
            memmove(d->buf, lf + 1, d->len - n - 1);
            d->len -= n + 1;
            return 0;
        }
        if (d->len >= HN_PROTO_LINE_MAX) {
            snprintf(why, whylen, "line %lu from the driver is over %zu octets", d->lines_in + 1,
                     HN_PROTO_LINE_MAX);
            return -1;
        }
        if (grow(d, why, whylen) != 0)
            return -1;
        uint64_t now = now_ms();
        if (now >= deadline) {
            snprintf(why, whylen, "no answer within %.1f s (line %lu from the driver expected)",
                     d->timeout_ms / 1000.0, d->lines_in + 1);
            return -1;
        }
        struct pollfd pf = {d->fd, POLLIN, 0};
        int r = poll(&pf, 1, (int)(deadline - now));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t got = recv(d->fd, d->buf + d->len, d->cap - d->len, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            /* EOF usually means it is exiting: give it 200 ms to say how */
            int status = -1;
            if (fx_proc_wait(d->pid, rc_clock_mono_us() + 200000, &status) == 1) {
                kill(-d->pid, SIGKILL);   /* whatever it left in its process group */
                d->pid = -1;
                snprintf(why, whylen, "driver closed its output before line %lu (%s %d%s)",
                         d->lines_in + 1, WIFEXITED(status) ? "exit status" : "signal",
                         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                         WIFEXITED(status) && WEXITSTATUS(status) == 127
                             ? ": command not found or not executable"
                             : "");
            } else {
                snprintf(why, whylen, "driver closed its output before line %lu",
                         d->lines_in + 1);
            }
            return -1;
        }
        d->len += (size_t)got;
    }
}

static int send_line(struct driver *d, const char *line, char *why, size_t whylen)
{
    char buf[HN_PROTO_REQ_MAX + 2];
    int len = snprintf(buf, sizeof buf, "%s\n", line);
    if (len < 0 || (size_t)len > HN_PROTO_REQ_MAX) {
        snprintf(why, whylen, "request of %zu octets is over the protocol's %d", strlen(line),
                 HN_PROTO_REQ_MAX);
        return -1;
    }
    size_t n = (size_t)len;
    size_t off = 0;
    while (off < n) {
        ssize_t w = send(d->fd, buf + off, n - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(why, whylen, "cannot write to the driver: %s", strerror(errno));
            return -1;
        }
        off += (size_t)w;
    }
    return 0;
}

/* Wraps a protocol failure: names the driver, the line, and what was received. */
static void proto_fail(struct driver *d, const char *got, const char *problem, char *why,
                       size_t whylen)
{
    if (got)
        snprintf(why, whylen, "driver:%s: protocol line %lu \"%.80s\": %s", d->cmd, d->lines_in,
                 got, problem);
    else
        snprintf(why, whylen, "driver:%s: %s", d->cmd, problem);
    err_tail(d, why, whylen);
}

static int greet(struct driver *d, struct st_caps *caps, char *why, size_t whylen)
{
    char *line = NULL, w[512];
    if (read_line(d, &line, w, sizeof w) != 0) {
        proto_fail(d, NULL, w, why, whylen);
        return -1;
    }
    int r = hn_proto_parse_greeting(line, caps, w, sizeof w);
    if (r != 0)
        proto_fail(d, line, w, why, whylen);
    free(line);
    return r != 0 ? -1 : 0;
}

static int drv_open(struct st_target *t, const struct st_env *env, struct st_caps *caps,
                    char *why, size_t whylen)
{
    struct driver *d = t->impl;
    stop_driver(d, 0);
    if (spawn(d, env->workdir, why, whylen) != 0)
        return -1;
    if (greet(d, caps, why, whylen) != 0) {
        stop_driver(d, 0);
        return -1;
    }
    d->virtual_time = env->virtual_time;
    char line[HN_PROTO_REQ_MAX], w[512], *reply = NULL;
    unsigned long id = d->next_id++;
    int n = snprintf(line, sizeof line, "CONFIG %lu dns=%s port=%u time=%s capacity=%zu", id,
                     env->dns_addr, (unsigned)env->dns_port, env->virtual_time ? "virtual" : "real",
                     env->capacity);
    if (env->forward_host)
        n += snprintf(line + n, sizeof line - (size_t)n, " forward=%s", env->forward_host);
    if (env->scenario)
        snprintf(line + n, sizeof line - (size_t)n, " scenario=%s", env->scenario);
    if (send_line(d, line, w, sizeof w) != 0 || read_line(d, &reply, w, sizeof w) != 0) {
        proto_fail(d, NULL, w, why, whylen);
        stop_driver(d, 0);
        return -1;
    }
    size_t cap = caps->capacity;
    int r = hn_proto_parse_ok(reply, id, &cap, w, sizeof w);
    if (r != 0)
        proto_fail(d, reply, w, why, whylen);
    free(reply);
    if (r != 0) {
        stop_driver(d, 0);
        return -1;
    }
    caps->capacity = cap;
    return 0;
}

static int set_time(struct driver *d, uint64_t t_ms, char *why, size_t whylen)
{
    if (!d->virtual_time || (d->time_sent && d->t_sent == t_ms))
        return 0;
    char line[HN_PROTO_REQ_MAX], w[512], *reply = NULL;
    unsigned long id = d->next_id++;
    snprintf(line, sizeof line, "TIME %lu %llu", id, (unsigned long long)t_ms);
    if (send_line(d, line, w, sizeof w) != 0 || read_line(d, &reply, w, sizeof w) != 0) {
        proto_fail(d, NULL, w, why, whylen);
        return -1;
    }
    int r = hn_proto_parse_ok(reply, id, NULL, w, sizeof w);
    if (r != 0)
        proto_fail(d, reply, w, why, whylen);
    free(reply);
    if (r != 0)
        return -1;
    d->t_sent = t_ms;
    d->time_sent = 1;
    return 0;
}

static int ask(struct driver *d, const char *req, struct st_answer *ans, char *why, size_t whylen)
{
    char line[HN_PROTO_REQ_MAX], w[512], *reply = NULL;
    unsigned long id = d->next_id++;
    snprintf(line, sizeof line, "%s %lu%s%s", req[0] == 'L' ? "LOOKUP" : "FORWARD", id,
             req[0] == 'L' ? " " : "", req[0] == 'L' ? req + 7 : "");
    if (send_line(d, line, w, sizeof w) != 0 || read_line(d, &reply, w, sizeof w) != 0) {
        proto_fail(d, NULL, w, why, whylen);
        return -1;
    }
    int r = hn_proto_parse_answer(reply, id, ans, w, sizeof w);
    if (r != 0)
        proto_fail(d, reply, w, why, whylen);
    free(reply);
    return r != 0 ? -1 : 0;
}

static int drv_lookup(struct st_target *t, const char *domain, uint64_t t_ms,
                      struct st_answer *ans, char *why, size_t whylen)
{
    struct driver *d = t->impl;
    if (d->fd < 0) {
        snprintf(why, whylen, "driver:%s: not running", d->cmd);
        return -1;
    }
    if (strlen(domain) > 255 || strpbrk(domain, " \t\r\n")) {
        snprintf(why, whylen, "domain \"%.60s\" cannot be sent in the protocol", domain);
        return -1;
    }
    if (set_time(d, t_ms, why, whylen) != 0)
        return -1;
    char req[300];
    snprintf(req, sizeof req, "LOOKUP %s", domain);
    return ask(d, req, ans, why, whylen);
}

static int drv_forward(struct st_target *t, uint64_t t_ms, struct st_answer *ans, char *why,
                       size_t whylen)
{
    struct driver *d = t->impl;
    if (d->fd < 0) {
        snprintf(why, whylen, "driver:%s: not running", d->cmd);
        return -1;
    }
    if (set_time(d, t_ms, why, whylen) != 0)
        return -1;
    return ask(d, "FORWARD", ans, why, whylen);
}

static void drv_close(struct st_target *t)
{
    struct driver *d = t->impl;
    if (d->fd >= 0 || d->pid > 0)
        stop_driver(d, 1);
}

static void drv_free(struct st_target *t)
{
    if (!t)
        return;
    struct driver *d = t->impl;
    if (d) {
        stop_driver(d, 0);
        free(d->cmd);
    }
    free(d);
    free(t->name);
    free(t);
}

static const struct st_target_ops driver_ops = {
    .kind = "driver",
    .open = drv_open,
    .lookup = drv_lookup,
    .forward = drv_forward,
    .close = drv_close,
    .free = drv_free,
};

int hn_driver_target_new(struct st_target **out, const char *name, const char *cmd,
                         unsigned timeout_ms, char *why, size_t whylen)
{
    *out = NULL;
    struct st_target *t = calloc(1, sizeof *t);
    struct driver *d = calloc(1, sizeof *d);
    if (!t || !d || !(t->name = strdup(name)) || !(d->cmd = strdup(cmd))) {
        if (t)
            free(t->name);
        free(t);
        if (d)
            free(d->cmd);
        free(d);
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    d->fd = -1;
    d->pid = -1;
    d->timeout_ms = timeout_ms ? timeout_ms : 10000;
    t->ops = &driver_ops;
    t->impl = d;
    *out = t;
    return 0;
}

int hn_driver_probe(const char *cmd, unsigned timeout_ms, struct st_caps *caps, char *why,
                    size_t whylen)
{
    struct driver d;
    memset(&d, 0, sizeof d);
    d.fd = -1;
    d.pid = -1;
    d.cmd = (char *)cmd;
    d.timeout_ms = timeout_ms ? timeout_ms : 10000;
    if (spawn(&d, NULL, why, whylen) != 0)
        return -1;
    int r = greet(&d, caps, why, whylen);
    stop_driver(&d, r == 0);
    return r;
}
