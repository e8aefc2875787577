/*
 * test_hn_netns: namespaces of the harness -- created with loopback, the veth address and a
 * private resolv.conf; commands run inside with a time bound; everything started inside is
 * gone after hn_netns_free, as are the namespace and its /etc/netns directory. Needs root
 * (exit 77 = skipped otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hn_mta_util.h"
#include "hn_netns.h"

static char *slurp(const char *path)
{
    static char buf[8192];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int pid_alive(pid_t pid)
{
    char path[64], *s;
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    if (!(s = slurp(path)))
        return 0;
    /* A zombie whose parent has not reaped it yet is gone for our purposes. */
    char *st = strstr(s, "State:");
    return st && !strstr(st, "State:\tZ");
}

static void test_lifecycle(void **state)
{
    (void)state;
    char why[512] = "", out[512];
    assert_int_equal(hn_mta_tmp_template(out, sizeof out, "mxttl-test-netns"), 0);
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    struct hn_netns *ns = NULL;
    enum hn_mta_status st = hn_netns_new(&ns, "127.0.0.1", why, sizeof why);
    if (st != HN_MTA_OK)
        fail_msg("got %s (%s), want ok", hn_mta_status_str(st), why);
    char name[64], etc[128], path[256];
    snprintf(name, sizeof name, "%s", hn_netns_name(ns));
    snprintf(etc, sizeof etc, "%s", hn_netns_etc(ns));
    assert_int_equal(strncmp(name, "mxttl-", 6), 0);
    snprintf(path, sizeof path, "/run/netns/%s", name);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);

    int es = -1;
    st = hn_netns_run(ns, "cat /etc/resolv.conf; ip -4 -o addr show; "
                          "sleep 300 >/dev/null 2>&1 & echo PID=$!",
                      NULL, 5000, out, &es, why, sizeof why);
    assert_int_equal(st, HN_MTA_OK);
    assert_int_equal(es, 0);
    char *text = slurp(out);
    assert_non_null(text);
    if (!strstr(text, "nameserver 127.0.0.1") || !strstr(text, "options timeout:1 attempts:1"))
        fail_msg("got resolv.conf \"%s\", want nameserver 127.0.0.1 and timeout:1", text);
    if (!strstr(text, HN_NETNS_ADDR "/32") || !strstr(text, "127.0.0.1/8"))
        fail_msg("got addresses \"%s\", want " HN_NETNS_ADDR "/32 and lo up", text);
    char *p = strstr(text, "PID=");
    assert_non_null(p);
    pid_t sleeper = (pid_t)atol(p + 4);
    assert_true(sleeper > 0);
    assert_true(pid_alive(sleeper));
    assert_true(hn_netns_pid_count(ns) >= 1);

    /* stdin reaches the command; a non-zero exit comes back as such. */
    st = hn_netns_run(ns, "read x; test \"$x\" = hello && exit 7", "hello\n", 5000, NULL, &es,
                      why, sizeof why);
    assert_int_equal(st, HN_MTA_OK);
    assert_int_equal(es, 7);

    hn_netns_free(ns);
    if (pid_alive(sleeper))
        fail_msg("got process %ld alive after free, want it killed", (long)sleeper);
    if (stat(path, &sb) == 0)
        fail_msg("got %s after free, want it deleted", path);
    if (stat(etc, &sb) == 0)
        fail_msg("got %s after free, want it removed", etc);
    unlink(out);
}

static void test_run_timeout(void **state)
{
    (void)state;
    char why[256] = "";
    int es = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    enum hn_mta_status st = hn_netns_run(NULL, "sleep 5", NULL, 200, NULL, &es, why, sizeof why);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    if (st != HN_MTA_TIMEOUT)
        fail_msg("got %s, want timeout", hn_mta_status_str(st));
    if (s > 2.0)
        fail_msg("got %.2f s, want the command killed after 0.2 s", s);
    assert_non_null(strstr(why, "killed"));
}

/* A namespace left by a killed run (its creator's PID is gone) is removed, with what runs in
 * it, by the next run. */
static void test_reap_stale(void **state)
{
    (void)state;
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    assert_true(dead > 0);
    waitpid(dead, NULL, 0);
    char name[64], cmd[1024], out[512];
    snprintf(name, sizeof name, "mxttl-%ld-7", (long)dead);
    assert_int_equal(hn_mta_tmp_template(out, sizeof out, "mxttl-test-stale"), 0);
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    snprintf(cmd, sizeof cmd,
             "ip netns add %s && mkdir -p /etc/netns/%s && "
             "(ip netns exec %s sleep 300 >/dev/null 2>&1 & echo $! > %s)",
             name, name, name, out);
    assert_int_equal(system(cmd), 0);
    usleep(200000);
    char *text = slurp(out);
    assert_non_null(text);
    pid_t sleeper = (pid_t)atol(text);
    char path[128];
    struct stat sb;
    /* Under ctest -j2 another mta test's start-up may reap this namespace first (it is stale on
     * purpose); then it must already be gone, and the checks below still hold. */
    snprintf(path, sizeof path, "/run/netns/%s", name);
    if (!pid_alive(sleeper) && stat(path, &sb) == 0)
        fail_msg("got sleeper %ld dead while %s still exists, want it running", (long)sleeper,
                 path);
    hn_netns_reap_stale();
    snprintf(path, sizeof path, "/run/netns/%s", name);
    if (stat(path, &sb) == 0)
        fail_msg("got %s after reaping, want it deleted", path);
    snprintf(path, sizeof path, "/etc/netns/%s", name);
    if (stat(path, &sb) == 0)
        fail_msg("got %s after reaping, want it removed", path);
    waitpid(sleeper, NULL, WNOHANG); /* our grandchild's parent (ip) exec'd sleep: reap */
    if (pid_alive(sleeper))
        fail_msg("got process %ld alive after reaping, want it killed", (long)sleeper);
    unlink(out);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: test_hn_netns needs root (it creates network namespaces)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_run_timeout),
        cmocka_unit_test(test_reap_stale),
    };
    return cmocka_run_group_tests_name("hn_netns", tests, NULL, NULL);
}
