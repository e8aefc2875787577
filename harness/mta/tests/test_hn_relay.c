/*
 * test_hn_relay: the DNS relay carries datagrams and TCP streams from inside a namespace to a
 * server on the host's loopback and back, byte for byte, and says nothing when the server says
 * nothing. The "server" is an echo on an ephemeral port (the relay never parses DNS). Needs
 * root (exit 77 = skipped otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hn_netns.h"
#include "hn_relay.h"

struct fx {
    struct hn_netns *ns;
    struct hn_relay *relay;
    int echo_u, echo_t;
    uint16_t port;
    pthread_t th;
};

/* Echoes UDP datagrams (except "drop") and one TCP connection at a time. */
static void *echo_thread(void *arg)
{
    struct fx *f = arg;
    for (;;) {
        struct pollfd p[2] = {{f->echo_u, POLLIN, 0}, {f->echo_t, POLLIN, 0}};
        if (poll(p, 2, -1) < 0)
            return NULL;
        char buf[512];
        if (p[0].revents & POLLIN) {
            struct sockaddr_in cl;
            socklen_t cl_len = sizeof cl;
            ssize_t n = recvfrom(f->echo_u, buf, sizeof buf, 0, (struct sockaddr *)&cl, &cl_len);
            if (n == 4 && !memcmp(buf, "quit", 4))
                return NULL;
            if (n > 0 && !(n == 4 && !memcmp(buf, "drop", 4)))
                sendto(f->echo_u, buf, (size_t)n, 0, (struct sockaddr *)&cl, cl_len);
        }
        if (p[1].revents & POLLIN) {
            int c = accept(f->echo_t, NULL, NULL);
            ssize_t n = c >= 0 ? recv(c, buf, sizeof buf, 0) : -1;
            if (n > 0)
                send(c, buf, (size_t)n, 0);
            if (c >= 0)
                close(c);
        }
    }
}

static int setup(void **state)
{
    static struct fx f;
    char why[512];
    struct sockaddr_in sa = {.sin_family = AF_INET};
    int bound = 0;
    /* A UDP port the kernel picks, and the same number for TCP: on a busy host that number
     * may be taken for TCP, so another pair is tried. */
    for (int tries = 0; tries < 50 && !bound; tries++) {
        sa.sin_port = 0;
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
        f.echo_u = socket(AF_INET, SOCK_DGRAM, 0);
        if (bind(f.echo_u, (struct sockaddr *)&sa, sizeof sa))
            return -1;
        socklen_t sl = sizeof sa;
        getsockname(f.echo_u, (struct sockaddr *)&sa, &sl);
        f.port = ntohs(sa.sin_port);
        f.echo_t = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(f.echo_t, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        bound = !bind(f.echo_t, (struct sockaddr *)&sa, sizeof sa) && !listen(f.echo_t, 4);
        if (!bound) {
            close(f.echo_u);
            close(f.echo_t);
        }
    }
    if (!bound)
        return -1;
    pthread_create(&f.th, NULL, echo_thread, &f);
    if (hn_netns_new(&f.ns, "127.0.0.1", why, sizeof why))
        return -1;
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(53)};
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    int u = hn_netns_socket(f.ns, AF_INET, SOCK_DGRAM, why, sizeof why);
    int t = hn_netns_socket(f.ns, AF_INET, SOCK_STREAM, why, sizeof why);
    if (u < 0 || t < 0 || bind(u, (struct sockaddr *)&in, sizeof in) ||
        bind(t, (struct sockaddr *)&in, sizeof in) || listen(t, 4))
        return -1;
    if (hn_relay_new(&f.relay, u, t, "127.0.0.1", f.port, why, sizeof why))
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (!f) /* setup failed before the fixture existed */
        return 0;
    hn_relay_free(f->relay);
    hn_netns_free(f->ns);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(f->port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    sendto(f->echo_u, "quit", 4, 0, (struct sockaddr *)&sa, sizeof sa);
    pthread_join(f->th, NULL);
    close(f->echo_u);
    close(f->echo_t);
    return 0;
}

static int ns_client(struct fx *f, int type)
{
    char why[256];
    int fd = hn_netns_socket(f->ns, AF_INET, type, why, sizeof why);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(53)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    struct timeval tv = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static void test_udp(void **state)
{
    struct fx *f = *state;
    int fd = ns_client(f, SOCK_DGRAM);
    char buf[64];
    assert_int_equal(send(fd, "\x12\x34query", 7, 0), 7);
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n != 7 || memcmp(buf, "\x12\x34query", 7))
        fail_msg("got %zd bytes back, want the 7 sent", n);
    /* Silence stays silence: the client times out. */
    assert_int_equal(send(fd, "drop", 4, 0), 4);
    assert_true(recv(fd, buf, sizeof buf, 0) < 0);
    close(fd);
    assert_true(hn_relay_count(f->relay) >= 2);
}

static void test_tcp(void **state)
{
    struct fx *f = *state;
    int fd = ns_client(f, SOCK_STREAM);
    char buf[64];
    assert_int_equal(send(fd, "\x00\x05hello", 7, 0), 7);
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n != 7 || memcmp(buf, "\x00\x05hello", 7))
        fail_msg("got %zd bytes back over TCP, want the 7 sent", n);
    close(fd);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: test_hn_relay needs root (it creates network namespaces)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_udp), cmocka_unit_test(test_tcp)};
    return cmocka_run_group_tests_name("hn_relay", tests, setup, teardown);
}
