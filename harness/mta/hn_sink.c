/*
 * hn_sink: the SMTP sink's thread -- a poll loop over the listening socket, a wake-up pipe and
 * up to SINK_CONNS client connections, each a tiny SMTP state machine (greeting, EHLO/HELO,
 * MAIL, RCPT, DATA, RSET, NOOP, QUIT) that answers 250 to every transaction.
 */
#define _GNU_SOURCE
#include "hn_sink.h"
#include "hn_mta_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SINK_CONNS 64
#define SINK_RCPTS 32
#define SINK_LINE 2048

struct conn {
    int fd;
    int data;                    /* inside DATA */
    char local[48];
    char in[SINK_LINE];
    size_t len;
    size_t nrcpt;
    char rcpt[SINK_RCPTS][320];
};

struct hn_sink {
    int lfd;
    struct hn_mta_thread thr;
    pthread_mutex_t lock;
    struct hn_sink_msg *msgs;
    size_t n, cap;
    struct conn conns[SINK_CONNS];
};

static void say(struct conn *c, const char *s)
{
    size_t len = strlen(s), off = 0;
    while (off < len) {
        ssize_t n = send(c->fd, s + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        off += (size_t)n;
    }
}

static void conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

static void record(struct hn_sink *s, struct conn *c)
{
    uint64_t t = hn_mta_now_us();
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < c->nrcpt; i++) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 64;
            struct hn_sink_msg *m = realloc(s->msgs, cap * sizeof *m);
            if (!m)
                break;
            s->msgs = m;
            s->cap = cap;
        }
        struct hn_sink_msg *m = &s->msgs[s->n++];
        m->t_us = t;
        snprintf(m->local_addr, sizeof m->local_addr, "%s", c->local);
        snprintf(m->rcpt, sizeof m->rcpt, "%s", c->rcpt[i]);
    }
    pthread_mutex_unlock(&s->lock);
    c->nrcpt = 0;
}

/* Extracts the address between '<' and '>' (or after the colon). */
static void path_arg(const char *line, char *out, size_t outlen)
{
    const char *p = strchr(line, ':');
    p = p ? p + 1 : line + strlen(line);
    while (*p == ' ')
        p++;
    const char *lt = strchr(p, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt) {
        snprintf(out, outlen, "%.*s", (int)(gt - lt - 1), lt + 1);
    } else {
        size_t n = strcspn(p, " \r\n");
        snprintf(out, outlen, "%.*s", (int)n, p);
    }
}

static int command(struct hn_sink *s, struct conn *c, char *line)
{
    if (c->data) {
        if (!strcmp(line, ".")) {
            c->data = 0;
            record(s, c);
            say(c, "250 2.0.0 OK queued by mxttl-sink\r\n");
        }
        return 0;
    }
    if (!strncasecmp(line, "EHLO", 4)) {
        say(c, "250-mxttl-sink\r\n250-8BITMIME\r\n250 SIZE 10240000\r\n");
    } else if (!strncasecmp(line, "HELO", 4)) {
        say(c, "250 mxttl-sink\r\n");
    } else if (!strncasecmp(line, "MAIL", 4)) {
        c->nrcpt = 0;
        say(c, "250 2.1.0 OK\r\n");
    } else if (!strncasecmp(line, "RCPT", 4)) {
        if (c->nrcpt < SINK_RCPTS) {
            path_arg(line, c->rcpt[c->nrcpt], sizeof c->rcpt[0]);
            c->nrcpt++;
            say(c, "250 2.1.5 OK\r\n");
        } else {
            say(c, "452 4.5.3 too many recipients\r\n");
        }
    } else if (!strncasecmp(line, "DATA", 4)) {
        if (!c->nrcpt) {
            say(c, "554 5.5.1 no valid recipients\r\n");
        } else {
            c->data = 1;
            say(c, "354 end data with <CR><LF>.<CR><LF>\r\n");
        }
    } else if (!strncasecmp(line, "RSET", 4)) {
        c->nrcpt = 0;
        say(c, "250 2.0.0 OK\r\n");
    } else if (!strncasecmp(line, "NOOP", 4)) {
        say(c, "250 2.0.0 OK\r\n");
    } else if (!strncasecmp(line, "QUIT", 4)) {
        say(c, "221 2.0.0 bye\r\n");
        return -1;
    } else {
        say(c, "502 5.5.2 command not recognized\r\n");
    }
    return 0;
}

static void conn_read(struct hn_sink *s, struct conn *c)
{
    ssize_t n = recv(c->fd, c->in + c->len, sizeof c->in - 1 - c->len, 0);
    if (n <= 0) {
        if (n < 0 && errno == EINTR)
            return;
        conn_close(c);
        return;
    }
    c->len += (size_t)n;
    c->in[c->len] = '\0';
    char *start = c->in;
    char *nl;
    while ((nl = memchr(start, '\n', c->len - (size_t)(start - c->in)))) {
        *nl = '\0';
        if (nl > start && nl[-1] == '\r')
            nl[-1] = '\0';
        if (command(s, c, start) < 0) {
            conn_close(c);
            return;
        }
        start = nl + 1;
    }
    size_t rest = c->len - (size_t)(start - c->in);
    memmove(c->in, start, rest);
    c->len = rest;
    if (c->len == sizeof c->in - 1) /* an over-long line: drop it (message bodies only) */
        c->len = 0;
}

static void *sink_thread(void *arg)
{
    struct hn_sink *s = arg;
    for (;;) {
        struct pollfd pfd[SINK_CONNS + 2];
        int map[SINK_CONNS + 2];
        nfds_t n = 0;
        pfd[n] = (struct pollfd){s->thr.wake[0], POLLIN, 0};
        map[n++] = -2;
        pfd[n] = (struct pollfd){s->lfd, POLLIN, 0};
        map[n++] = -1;
        for (int i = 0; i < SINK_CONNS; i++)
            if (s->conns[i].fd >= 0) {
                pfd[n] = (struct pollfd){s->conns[i].fd, POLLIN, 0};
                map[n++] = i;
            }
        if (poll(pfd, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        if (pfd[0].revents)
            return NULL;
        for (nfds_t k = 2; k < n; k++)
            if (pfd[k].revents)
                conn_read(s, &s->conns[map[k]]);
        if (pfd[1].revents & POLLIN) {
            int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            struct conn *c = NULL;
            for (int i = 0; i < SINK_CONNS && !c; i++)
                if (s->conns[i].fd < 0)
                    c = &s->conns[i];
            if (!c) {
                close(fd);
                continue;
            }
            c->fd = fd;
            struct sockaddr_storage ss;
            socklen_t sl = sizeof ss;
            if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
                if (ss.ss_family == AF_INET)
                    inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, c->local,
                              sizeof c->local);
                else if (ss.ss_family == AF_INET6)
                    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, c->local,
                              sizeof c->local);
            }
            say(c, "220 mxttl-sink ESMTP\r\n");
        }
    }
}

enum hn_mta_status hn_sink_new(struct hn_sink **out, int listen_fd, char *why, size_t whylen)
{
    *out = NULL;
    struct hn_sink *s = calloc(1, sizeof *s);
    if (!s) {
        close(listen_fd);
        hn_mta_why(why, whylen, "out of memory");
        return HN_MTA_NOMEM;
    }
    s->lfd = listen_fd;
    hn_mta_thread_init(&s->thr);
    pthread_mutex_init(&s->lock, NULL);
    for (int i = 0; i < SINK_CONNS; i++)
        s->conns[i].fd = -1;
    if (hn_mta_thread_start(&s->thr, sink_thread, s, why, whylen)) {
        hn_sink_free(s);
        return HN_MTA_IO;
    }
    *out = s;
    return HN_MTA_OK;
}

void hn_sink_free(struct hn_sink *s)
{
    if (!s)
        return;
    hn_mta_thread_stop(&s->thr);
    for (int i = 0; i < SINK_CONNS; i++)
        if (s->conns[i].fd >= 0)
            close(s->conns[i].fd);
    if (s->lfd >= 0)
        close(s->lfd);
    pthread_mutex_destroy(&s->lock);
    free(s->msgs);
    free(s);
}

int hn_sink_find(struct hn_sink *s, const char *rcpt, struct hn_sink_msg *msg)
{
    int found = 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n && !found; i++)
        if (!strcasecmp(s->msgs[i].rcpt, rcpt)) {
            *msg = s->msgs[i];
            found = 1;
        }
    pthread_mutex_unlock(&s->lock);
    return found;
}

size_t hn_sink_count(struct hn_sink *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->n;
    pthread_mutex_unlock(&s->lock);
    return n;
}

int hn_sink_get(struct hn_sink *s, size_t i, struct hn_sink_msg *msg)
{
    int rc = -1;
    pthread_mutex_lock(&s->lock);
    if (i < s->n) {
        *msg = s->msgs[i];
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}
