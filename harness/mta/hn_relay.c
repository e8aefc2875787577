/*
 * hn_relay: the relay's thread -- one poll loop over the namespace-side UDP and TCP sockets,
 * one host-side socket per UDP query in flight (so answers find their client without parsing
 * anything) and socket pairs for TCP connections.
 */
#define _GNU_SOURCE
#include "hn_relay.h"
#include "hn_mta_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RELAY_UDP 128
#define RELAY_TCP 16
#define RELAY_UDP_TTL_MS 15000

struct udp_q {
    int fd;                        /* host side, connected to upstream; -1 free */
    struct sockaddr_storage client;
    socklen_t clen;
    uint64_t expires_ms;
};

struct tcp_pair {
    int a, b;                      /* a: client in namespace, b: upstream; -1 free */
};

struct hn_relay {
    int ufd, tfd;
    struct hn_mta_thread thr;
    struct sockaddr_storage up;
    socklen_t uplen;
    struct udp_q udp[RELAY_UDP];
    struct tcp_pair tcp[RELAY_TCP];
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t last_ms; /* hn_mta_now_ms() of the last query relayed */
};

static int upstream_socket(struct hn_relay *r, int type)
{
    int fd = socket(r->up.ss_family, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&r->up, r->uplen) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void udp_query(struct hn_relay *r)
{
    unsigned char buf[65536];
    struct sockaddr_storage cl;
    socklen_t cl_len = sizeof cl;
    ssize_t n = recvfrom(r->ufd, buf, sizeof buf, 0, (struct sockaddr *)&cl, &cl_len);
    if (n <= 0)
        return;
    struct udp_q *q = NULL;
    uint64_t now = hn_mta_now_ms();
    for (int i = 0; i < RELAY_UDP && !q; i++)
        if (r->udp[i].fd < 0)
            q = &r->udp[i];
    if (!q) /* all slots busy: a resolver retries, as with a lost datagram */
        return;
    q->fd = upstream_socket(r, SOCK_DGRAM);
    if (q->fd < 0)
        return;
    q->client = cl;
    q->clen = cl_len;
    q->expires_ms = now + RELAY_UDP_TTL_MS;
    atomic_fetch_add(&r->count, 1);
    atomic_store(&r->last_ms, hn_mta_now_ms());
    if (send(q->fd, buf, (size_t)n, 0) < 0) {
        close(q->fd);
        q->fd = -1;
    }
}

static void udp_answer(struct hn_relay *r, struct udp_q *q)
{
    unsigned char buf[65536];
    ssize_t n = recv(q->fd, buf, sizeof buf, 0);
    if (n > 0)
        sendto(r->ufd, buf, (size_t)n, 0, (struct sockaddr *)&q->client, q->clen);
    /* An error (ICMP port unreachable while the fixture restarts) is passed on as silence:
     * the resolver times out, the same as it would have seen a refused port as failure. */
    close(q->fd);
    q->fd = -1;
}

static void tcp_close(struct tcp_pair *p)
{
    if (p->a >= 0)
        close(p->a);
    if (p->b >= 0)
        close(p->b);
    p->a = p->b = -1;
}

static void tcp_accept(struct hn_relay *r)
{
    int a = accept4(r->tfd, NULL, NULL, SOCK_CLOEXEC);
    if (a < 0)
        return;
    struct tcp_pair *p = NULL;
    for (int i = 0; i < RELAY_TCP && !p; i++)
        if (r->tcp[i].a < 0)
            p = &r->tcp[i];
    int b = p ? upstream_socket(r, SOCK_STREAM) : -1;
    if (b < 0) {
        close(a);
        return;
    }
    atomic_fetch_add(&r->count, 1);
    atomic_store(&r->last_ms, hn_mta_now_ms());
    p->a = a;
    p->b = b;
}

static void tcp_pass(struct tcp_pair *p, int from, int to)
{
    unsigned char buf[16384];
    ssize_t n = recv(from, buf, sizeof buf, 0);
    if (n <= 0) {
        tcp_close(p);
        return;
    }
    ssize_t off = 0;
    while (off < n) {
        ssize_t w = send(to, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            tcp_close(p);
            return;
        }
        off += w;
    }
}

static void *relay_thread(void *arg)
{
    struct hn_relay *r = arg;
    enum { K_WAKE, K_UDP, K_TCP, K_Q, K_A, K_B };
    for (;;) {
        struct pollfd pfd[3 + RELAY_UDP + 2 * RELAY_TCP];
        int kind[3 + RELAY_UDP + 2 * RELAY_TCP], idx[3 + RELAY_UDP + 2 * RELAY_TCP];
        nfds_t n = 0;
        uint64_t now = hn_mta_now_ms();
#define ADD(fd_, k_, i_)                                  \
    do {                                                  \
        pfd[n] = (struct pollfd){(fd_), POLLIN, 0};       \
        kind[n] = (k_);                                   \
        idx[n] = (i_);                                    \
        n++;                                              \
    } while (0)
        ADD(r->thr.wake[0], K_WAKE, 0);
        ADD(r->ufd, K_UDP, 0);
        ADD(r->tfd, K_TCP, 0);
        for (int i = 0; i < RELAY_UDP; i++)
            if (r->udp[i].fd >= 0) {
                if (r->udp[i].expires_ms <= now) {
                    close(r->udp[i].fd);
                    r->udp[i].fd = -1;
                    continue;
                }
                ADD(r->udp[i].fd, K_Q, i);
            }
        for (int i = 0; i < RELAY_TCP; i++)
            if (r->tcp[i].a >= 0) {
                ADD(r->tcp[i].a, K_A, i);
                ADD(r->tcp[i].b, K_B, i);
            }
#undef ADD
        if (poll(pfd, n, 1000) < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        if (pfd[0].revents)
            return NULL;
        for (nfds_t k = 1; k < n; k++) {
            if (!pfd[k].revents)
                continue;
            switch (kind[k]) {
            case K_UDP: udp_query(r); break;
            case K_TCP: tcp_accept(r); break;
            case K_Q:
                if (r->udp[idx[k]].fd == pfd[k].fd)
                    udp_answer(r, &r->udp[idx[k]]);
                break;
            case K_A:
                if (r->tcp[idx[k]].a == pfd[k].fd)
                    tcp_pass(&r->tcp[idx[k]], r->tcp[idx[k]].a, r->tcp[idx[k]].b);
                break;
            case K_B:
                if (r->tcp[idx[k]].b == pfd[k].fd)
                    tcp_pass(&r->tcp[idx[k]], r->tcp[idx[k]].b, r->tcp[idx[k]].a);
                break;
            }
        }
    }
}

enum hn_mta_status hn_relay_new(struct hn_relay **out, int udp_fd, int tcp_fd,
                                const char *upstream_addr, uint16_t upstream_port, char *why,
                                size_t whylen)
{
    *out = NULL;
    struct hn_relay *r = calloc(1, sizeof *r);
    if (!r) {
        close(udp_fd);
        close(tcp_fd);
        hn_mta_why(why, whylen, "out of memory");
        return HN_MTA_NOMEM;
    }
    r->ufd = udp_fd;
    r->tfd = tcp_fd;
    hn_mta_thread_init(&r->thr);
    for (int i = 0; i < RELAY_UDP; i++)
        r->udp[i].fd = -1;
    for (int i = 0; i < RELAY_TCP; i++)
        r->tcp[i].a = r->tcp[i].b = -1;
    struct sockaddr_in *s4 = (struct sockaddr_in *)&r->up;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&r->up;
    if (inet_pton(AF_INET, upstream_addr, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons(upstream_port);
        r->uplen = sizeof *s4;
    } else if (inet_pton(AF_INET6, upstream_addr, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(upstream_port);
        r->uplen = sizeof *s6;
    } else {
        hn_mta_why(why, whylen, "fixture address \"%s\" is not an IP literal", upstream_addr);
        hn_relay_free(r);
        return HN_MTA_IO;
    }
    if (hn_mta_thread_start(&r->thr, relay_thread, r, why, whylen)) {
        hn_relay_free(r);
        return HN_MTA_IO;
    }
    *out = r;
    return HN_MTA_OK;
}

void hn_relay_free(struct hn_relay *r)
{
    if (!r)
        return;
    hn_mta_thread_stop(&r->thr);
    for (int i = 0; i < RELAY_UDP; i++)
        if (r->udp[i].fd >= 0)
            close(r->udp[i].fd);
    for (int i = 0; i < RELAY_TCP; i++)
        tcp_close(&r->tcp[i]);
    if (r->ufd >= 0)
        close(r->ufd);
    if (r->tfd >= 0)
        close(r->tfd);
    free(r);
}

uint64_t hn_relay_count(struct hn_relay *r)
{
    return atomic_load(&r->count);
}

uint64_t hn_relay_last_ms(struct hn_relay *r)
{
    return (uint64_t)atomic_load(&r->last_ms);
}
