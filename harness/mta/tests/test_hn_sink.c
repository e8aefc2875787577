/*
 * test_hn_sink: the SMTP sink inside a namespace -- one listener on 0.0.0.0:25 answers at any
 * 127.0.0.0/8 address and records, per recipient, the address the client connected to.
 * Needs root (exit 77 = skipped otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hn_netns.h"
#include "hn_sink.h"

struct fx {
    struct hn_netns *ns;
    struct hn_sink *sink;
};

static int setup(void **state)
{
    static struct fx f;
    char why[512];
    if (hn_netns_new(&f.ns, "127.0.0.1", why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    int fd = hn_netns_socket(f.ns, AF_INET, SOCK_STREAM, why, sizeof why);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(25)};
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 8) ||
        hn_sink_new(&f.sink, fd, why, sizeof why))
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    hn_sink_free(f->sink);
    hn_netns_free(f->ns);
    return 0;
}

/* Reads one reply; checks its code. */
static void expect(int fd, const char *code)
{
    char buf[1024];
    size_t n = 0;
    /* Multi-line replies end with "CODE " at a line start. */
    for (;;) {
        ssize_t r = recv(fd, buf + n, sizeof buf - 1 - n, 0);
        assert_true(r > 0);
        n += (size_t)r;
        buf[n] = '\0';
        char *last = buf, *nl;
        while ((nl = strstr(last, "\r\n")) && nl[2])
            last = nl + 2;
        if (strstr(last, "\r\n") && last[3] == ' ')
            break;
    }
    if (strncmp(buf, code, 3))
        fail_msg("got reply \"%s\", want %s", buf, code);
}

static void say(int fd, const char *s)
{
    assert_int_equal(send(fd, s, strlen(s), 0), (ssize_t)strlen(s));
}

static void send_mail(struct fx *f, const char *addr, const char *rcpt)
{
    char why[256], line[512];
    int fd = hn_netns_socket(f->ns, AF_INET, SOCK_STREAM, why, sizeof why);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(25)};
    inet_pton(AF_INET, addr, &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa))
        fail_msg("got no connection to %s:25, want the sink", addr);
    expect(fd, "220");
    say(fd, "EHLO client.test\r\n");
    expect(fd, "250");
    say(fd, "MAIL FROM:<>\r\n");
    expect(fd, "250");
    snprintf(line, sizeof line, "RCPT TO:<%s>\r\n", rcpt);
    say(fd, line);
    expect(fd, "250");
    say(fd, "DATA\r\n");
    expect(fd, "354");
    say(fd, "Subject: x\r\n\r\n..leading dot\r\n.\r\n");
    expect(fd, "250");
    say(fd, "QUIT\r\n");
    expect(fd, "221");
    close(fd);
}

static void test_records_address(void **state)
{
    struct fx *f = *state;
    send_mail(f, "127.0.0.77", "m-1@a.test");
    send_mail(f, "127.0.0.78", "M-2@B.test");
    struct hn_sink_msg m;
    assert_int_equal(hn_sink_find(f->sink, "m-1@a.test", &m), 1);
    assert_string_equal(m.local_addr, "127.0.0.77");
    assert_int_equal(hn_sink_find(f->sink, "m-2@b.test", &m), 1);
    assert_string_equal(m.local_addr, "127.0.0.78");
    assert_int_equal(hn_sink_find(f->sink, "m-3@a.test", &m), 0);
    assert_int_equal(hn_sink_count(f->sink), 2);
    assert_int_equal(hn_sink_get(f->sink, 2, &m), -1);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: test_hn_sink needs root (it creates network namespaces)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_records_address)};
    return cmocka_run_group_tests_name("hn_sink", tests, setup, teardown);
}
