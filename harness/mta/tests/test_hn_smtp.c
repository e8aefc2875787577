/*
 * test_hn_smtp: the smtp target through its st_target operations against the real fixture.
 *
 *   test_hn_smtp FILE requery|cached|reuse -- a shipped MTA: routes, DNS traffic per message,
 *                                          no-route and temporary failure from its log
 *   test_hn_smtp --robustness          -- an MTA that does not start, one that never delivers
 *   test_hn_smtp --rejects FILE OLD NEW WANT -- FILE with OLD replaced by NEW must not open,
 *                                          and the reason must quote WANT (the MTA's complaint)
 *
 * "requery": the MTA asks DNS for every message (Postfix, Exim); "cached": something in front
 * of it keeps records past their TTL (postfix+cache); "reuse": it reuses an idle SMTP session
 * and the route behind it (OpenSMTPD), which these lookups seconds apart see as a cache. Every case also checks that nothing is
 * left behind: no namespace of this process, no /etc/netns directory. Exit 77 (skipped) when
 * not root or when the MTA is not installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fx_proc.h"
#include "fx_scenario.h"
#include "fx_server.h"
#include "hn_mta_desc.h"
#include "hn_mta_util.h"
#include "hn_netns.h"
#include "hn_smtp.h"

static const char *desc_file;
static int cached;

static const char scenario[] =
    "scenario mta-target\n"
    "description routes, failures and a change at 3 s\n"
    "clauses TTL-2\n"
    "step 0\n"
    "a.mta-target.test. 1 IN MX 10 mx1.a.mta-target.test.\n"
    "mx1.a.mta-target.test. 1 IN A 127.0.0.61\n"
    "imp.mta-target.test. 1 IN A 127.0.0.62\n"
    "pref.mta-target.test. 1 IN MX 20 mx9.pref.mta-target.test.\n"
    "pref.mta-target.test. 1 IN MX 5 mx3.pref.mta-target.test.\n"
    "mx9.pref.mta-target.test. 1 IN A 127.0.0.69\n"
    "mx3.pref.mta-target.test. 1 IN A 127.0.0.63\n"
    "nxdomain gone.mta-target.test\n"
    "servfail sf.mta-target.test\n"
    "step 3\n"
    "a.mta-target.test. 1 IN MX 10 mx2.a.mta-target.test.\n"
    "mx2.a.mta-target.test. 1 IN A 127.0.0.64\n"
    /* the same answers as before for the other names: on a busy machine their lookups may
     * come after 3 s */
    "imp.mta-target.test. 1 IN A 127.0.0.62\n"
    "pref.mta-target.test. 1 IN MX 20 mx9.pref.mta-target.test.\n"
    "pref.mta-target.test. 1 IN MX 5 mx3.pref.mta-target.test.\n"
    "mx9.pref.mta-target.test. 1 IN A 127.0.0.69\n"
    "mx3.pref.mta-target.test. 1 IN A 127.0.0.63\n"
    "nxdomain gone.mta-target.test\n"
    "servfail sf.mta-target.test\n"
    "lookup 0 a.mta-target.test\n"
    "lookup 0 imp.mta-target.test\n"
    "lookup 0 pref.mta-target.test\n"
    "lookup 0 gone.mta-target.test\n"
    "lookup 0 sf.mta-target.test\n";

/* Namespaces of this process still present (names mxttl-PID-N), plus /etc/netns leftovers. */
static int leftovers(void)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "mxttl-%ld-", (long)getpid());
    int n = 0;
    const char *dirs[] = {"/run/netns", "/etc/netns"};
    for (int i = 0; i < 2; i++) {
        DIR *d = opendir(dirs[i]);
        struct dirent *de;
        while (d && (de = readdir(d)))
            if (!strncmp(de->d_name, prefix, strlen(prefix)))
                n++;
        if (d)
            closedir(d);
    }
    return n;
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static size_t count_type(const struct fx_query *q, size_t n, const char *name, uint16_t type)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (q[i].qtype == type && !strcasecmp(q[i].name, name))
            c++;
    return c;
}

struct play {
    struct fx_scenario *sc;
    struct fx_server *srv;
    struct st_target *t;
    uint64_t t0;
};

/* One lookup; returns the MX queries the fixture saw for domain meanwhile. */
static size_t lookup(struct play *p, const char *domain, struct st_answer *ans)
{
    char why[1024];
    st_answer_clear(ans); /* the previous lookup's */
    uint64_t mark = fx_server_mark(p->srv);
    if (p->t->ops->lookup(p->t, domain, (now_us() - p->t0) / 1000u, ans, why, sizeof why))
        fail_msg("lookup %s: got ERROR (%s), want an answer", domain, why);
    const struct fx_query *q;
    size_t n;
    assert_int_equal(fx_server_queries(p->srv, mark, &q, &n, why, sizeof why), FX_OK);
    return count_type(q, n, domain, 15);
}

static void expect_route(const struct st_answer *a, const char *domain, const char *addr)
{
    const char *got = rc_route_addr(a->route, 0, 0);
    if (a->kind != RC_REPLY_ROUTE || rc_route_count(a->route) != 1 || !got || strcmp(got, addr))
        fail_msg("%s: got %s \"%s\" (%s), want route \"%s\"", domain, rc_reply_str(a->kind),
                 got ? got : "", a->why, addr);
}

/* Group teardown: runs also when an assertion ended the test early, so that a failing test
 * leaves no MTA and no namespace behind. */
static struct play the_play;

static int teardown(void **state)
{
    (void)state;
    struct play *p = &the_play;
    if (p->t) {
        p->t->ops->close(p->t);
        p->t->ops->free(p->t);
    }
    fx_server_free(p->srv);
    fx_scenario_free(p->sc);
    memset(p, 0, sizeof *p);
    return 0;
}

static void test_mta(void **state)
{
    (void)state;
    struct play *pp = &the_play;
#define p (*pp)
    char why[1024];
    assert_int_equal(fx_scenario_parse(&p.sc, scenario, strlen(scenario), "mta-target.scn", why,
                                       sizeof why), FX_OK);
    struct fx_server_config cfg;
    fx_server_config_init(&cfg);
    if (fx_server_new(&p.srv, &cfg, p.sc, why, sizeof why) != FX_OK)
        fail_msg("fixture: %s", why);
    if (hn_smtp_target_new(&p.t, desc_file, why, sizeof why))
        fail_msg("%s", why);
    struct st_env env = {.dns_addr = fx_server_addr(p.srv), .dns_port = fx_server_port(p.srv),
                         .scenario = "mta-target"};
    struct st_caps caps;
    if (p.t->ops->open(p.t, &env, &caps, why, sizeof why))
        fail_msg("open: got ERROR (%s), want the MTA running", why);
    /* The scenario's clock starts once the MTA runs (as in a play): a slow start on a busy
     * machine must not eat into the 3 s before the change. */
    p.t0 = now_us();
    assert_int_equal(fx_server_play(p.srv, p.t0, why, sizeof why), FX_OK);
    assert_int_equal(caps.real_time, 1);
    assert_int_equal(caps.virtual_time, 0);
    assert_int_equal(caps.route_addr_only, 1);
    assert_int_equal(caps.noroute_visible, 1);

    struct st_answer a = {0};
    size_t mx = lookup(&p, "a.mta-target.test", &a);
    expect_route(&a, "a.mta-target.test", "127.0.0.61");
    if (mx < 1) /* Sendmail asks twice: canonifying the address, then routing it */
        fail_msg("a.mta-target.test first: got %zu MX queries, want at least 1", mx);
    lookup(&p, "imp.mta-target.test", &a);
    expect_route(&a, "imp.mta-target.test (implicit MX)", "127.0.0.62");
    lookup(&p, "pref.mta-target.test", &a);
    expect_route(&a, "pref.mta-target.test (lowest preference first)", "127.0.0.63");
    lookup(&p, "gone.mta-target.test", &a);
    if (!rc_reply_is_noroute(a.kind))
        fail_msg("gone.mta-target.test: got %s (%s), want no route", rc_reply_str(a.kind), a.why);
    lookup(&p, "sf.mta-target.test", &a);
    if (a.kind != RC_REPLY_TEMPFAIL)
        fail_msg("sf.mta-target.test: got %s (%s), want tempfail", rc_reply_str(a.kind), a.why);
    /* After the 1 s TTL, and again after the change at 3 s. */
    while (now_us() - p.t0 < 1600000u)
        usleep(20000);
    mx = lookup(&p, "a.mta-target.test", &a);
    expect_route(&a, "a.mta-target.test at 1.6 s", "127.0.0.61");
    if (!cached && mx < 1)
        fail_msg("a.mta-target.test after its TTL: got %zu MX queries, want 1 or more (no cache)",
                 mx);
    if (cached && mx != 0)
        fail_msg("a.mta-target.test after its TTL: got %zu MX queries, want 0 (cached)", mx);
    while (now_us() - p.t0 < 3600000u)
        usleep(20000);
    mx = lookup(&p, "a.mta-target.test", &a);
    expect_route(&a, "a.mta-target.test after the change", cached ? "127.0.0.61" : "127.0.0.64");

    p.t->ops->close(p.t);
    if (leftovers())
        fail_msg("got %d namespace leftovers after close, want 0", leftovers());
#undef p
}

/* Writes a description into a temporary file; returns its path (static buffer). */
static const char *write_desc(const char *text)
{
    static char path[512];
    assert_int_equal(hn_mta_tmp_template(path, sizeof path, "mxttl-test-desc"), 0);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

/* Closes t (opened from the description at path) and checks nothing is left behind. */
static void close_checked(struct st_target *t, const char *path)
{
    t->ops->close(t);
    if (leftovers())
        fail_msg("got %d namespace leftovers after close, want 0", leftovers());
    unlink(path);
}

/* One lookup that must give an answer (not ERROR). */
static void lookup_ok(struct st_target *t, const char *domain, struct st_answer *a)
{
    char why[1024] = "";
    if (t->ops->lookup(t, domain, 0, a, why, sizeof why))
        fail_msg("lookup %s: got ERROR (%s), want an answer", domain, why);
}

static struct st_target *robust_t;
static int robust_teardown(void **state)
{
    (void)state;
    if (robust_t) {
        robust_t->ops->close(robust_t);
        robust_t->ops->free(robust_t);
        robust_t = NULL;
    }
    return 0;
}

static void test_start_fails(void **state)
{
    (void)state;
    const char *path = write_desc("name broken\ndescription fails to start\ncheck true\n"
                                  "file work/log\nstarting\nend\n"
                                  "start echo boom: config rejected >&2; exit 3\n"
                                  "stop true\ninject cat\nlog @WORKDIR@/log\n");
    char why[1024] = "";
    struct st_target *t;
    assert_int_equal(hn_smtp_target_new(&t, path, why, sizeof why), 0);
    robust_t = t;
    struct st_env env = {.dns_addr = "127.0.0.1", .dns_port = 9, .scenario = "x"};
    struct st_caps caps;
    assert_int_equal(t->ops->open(t, &env, &caps, why, sizeof why), -1);
    if (!strstr(why, "boom: config rejected") || !strstr(why, "exit 3") || !strstr(why, "starting"))
        fail_msg("got why \"%s\", want the command, its output, exit status and log", why);
    if (leftovers())
        fail_msg("got %d namespace leftovers after a failed open, want 0", leftovers());
    unlink(path);
}

static void test_never_delivers(void **state)
{
    (void)state;
    const char *path = write_desc("name silent\ndescription swallows mail\ncheck true\n"
                                  "deliver-timeout 1\nstart true\nstop true\n"
                                  "inject cat >/dev/null\nlog @WORKDIR@/nolog\n"
                                  "outcome retry never @RECIPIENT@\n");
    char why[1024] = "";
    struct st_target *t;
    assert_int_equal(hn_smtp_target_new(&t, path, why, sizeof why), 0);
    robust_t = t;
    struct st_env env = {.dns_addr = "127.0.0.1", .dns_port = 9, .scenario = "x"};
    struct st_caps caps;
    if (t->ops->open(t, &env, &caps, why, sizeof why))
        fail_msg("open: %s", why);
    struct st_answer a;
    uint64_t t0 = now_us();
    assert_int_equal(t->ops->lookup(t, "a.test", 0, &a, why, sizeof why), -1);
    double s = (double)(now_us() - t0) / 1e6;
    if (s < 0.9 || s > 3.0)
        fail_msg("got %.2f s, want the 1 s delivery bound", s);
    assert_non_null(strstr(why, "neither delivered nor bounced nor deferred within 1 s"));
    /* A domain that cannot go into a command line is refused before anything runs. */
    assert_int_equal(t->ops->lookup(t, "a.test;reboot", 0, &a, why, sizeof why), -1);
    assert_non_null(strstr(why, "not a plain host name"));
    /* Without a forward host, forward() is an error, not a guess. */
    assert_int_equal(t->ops->forward(t, 0, &a, why, sizeof why), -1);
    close_checked(t, path);
}

/* Opens a description written from text (no forward host); fails the test on ERROR. */
static struct st_target *open_desc(const char *text, const char **path_out)
{
    const char *path = write_desc(text);
    char why[1024] = "";
    struct st_target *t;
    if (hn_smtp_target_new(&t, path, why, sizeof why))
        fail_msg("%s", why);
    robust_t = t;
    struct st_env env = {.dns_addr = "127.0.0.1", .dns_port = 9, .scenario = "x"};
    struct st_caps caps;
    if (t->ops->open(t, &env, &caps, why, sizeof why))
        fail_msg("open: got ERROR (%s), want it running", why);
    *path_out = path;
    return t;
}

/* A daemon the harness keeps: a lookup notices when it is gone (ERROR naming it), and close
 * stops a running one. The daemon here ends when the injected message asks it to. */
static void test_daemon(void **state)
{
    (void)state;
    const char *path;
    struct st_target *t = open_desc(
        "name fg\ndescription a foreground daemon\ncheck true\n"
        "daemon sh -c 'while [ ! -e @WORKDIR@/quit ]; do sleep 0.05; done; exit 4'\n"
        "ready test -d /proc/self\nstop true\ndeliver-timeout 10\n"
        "inject cat >/dev/null; touch @WORKDIR@/quit\nlog @WORKDIR@/log\n"
        "outcome retry never @RECIPIENT@\n", &path);
    struct st_answer a;
    char why[1024] = "";
    uint64_t t0 = now_us();
    assert_int_equal(t->ops->lookup(t, "a.test", 0, &a, why, sizeof why), -1);
    if (!strstr(why, "daemon `sh -c 'while") || !strstr(why, "exited (status 4)"))
        fail_msg("got why \"%s\", want the daemon's command and exit status", why);
    if (now_us() - t0 > 8000000u)
        fail_msg("the daemon's end was noticed only at the delivery bound");
    close_checked(t, path);
}

/* A private path: the instance's own empty directory over a system path, seen by every
 * command of the instance and by nothing outside it. */
static void test_private(void **state)
{
    (void)state;
    struct stat before;
    assert_int_equal(stat("/srv", &before), 0); /* an existing directory: nothing created */
    const char *path;
    struct st_target *t = open_desc(
        "name priv\ndescription private /srv\ncheck true\nprivate /srv\n"
        "setup test -z \"$(ls -A /srv)\" && echo mine > /srv/mxttl-private-test\n"
        "start true\nready test -s /srv/mxttl-private-test\nstop true\n"
        "deliver-timeout 2\n"
        "inject cat >/dev/null; cat /srv/mxttl-private-test >> @WORKDIR@/log\n"
        "log @WORKDIR@/log\noutcome retry ^mine\n", &path);
    if (access("/srv/mxttl-private-test", F_OK) == 0)
        fail_msg("got /srv/mxttl-private-test on the host, want it only inside the instance");
    struct st_answer a;
    lookup_ok(t, "a.test", &a);
    assert_int_equal(a.kind, RC_REPLY_TEMPFAIL); /* a later command saw the setup's file */
    close_checked(t, path);
}

/* Outcomes come only from lines written after the message's injection: an older line that
 * matches the same domain pattern is not this message's. */
static void test_log_window(void **state)
{
    (void)state;
    const char *path;
    struct st_target *t = open_desc(
        "name win\ndescription per-message log lines\ncheck true\n"
        "file work/log\nhost mx.a.test: domain a.test does not exist\nend\n"
        "start true\nstop true\ndeliver-timeout 5\n"
        "inject cat >/dev/null; echo 'host mx.@DOMAIN@: try again later' >> @WORKDIR@/log\n"
        "log @WORKDIR@/log\n"
        "outcome nxdomain domain @DOMAIN@ does not exist\n"
        "outcome retry host [^ ]*@DOMAIN@: try again\n", &path);
    struct st_answer a;
    lookup_ok(t, "a.test", &a);
    if (a.kind != RC_REPLY_TEMPFAIL)
        fail_msg("got %s (%s), want tempfail: the nxdomain line was there before the message",
                 rc_reply_str(a.kind), a.why);
    close_checked(t, path);
}

/* No outcome lines: a message that is not delivered is not judged (unseen), not an ERROR. */
static void test_unseen(void **state)
{
    (void)state;
    const char *path;
    struct st_target *t = open_desc(
        "name blind\ndescription no outcome lines\ncheck true\nstart true\nstop true\n"
        "deliver-timeout 1\ninject cat >/dev/null\nlog @WORKDIR@/log\n", &path);
    struct st_answer a;
    lookup_ok(t, "a.test", &a);
    assert_int_equal(a.unseen, 1);
    assert_non_null(strstr(a.why, "reads no outcome"));
    close_checked(t, path);
}

/* relay-only: the caps say so, and without a forward host nothing is started at all. */
static void test_relay_only(void **state)
{
    (void)state;
    const char *path = write_desc("name relay\ndescription relay only\nforward yes\n"
                                  "relay-only yes\ncheck false\nstart false\nstop true\n"
                                  "inject cat\nlog @WORKDIR@/log\n");
    char why[1024] = "";
    struct st_target *t;
    assert_int_equal(hn_smtp_target_new(&t, path, why, sizeof why), 0);
    robust_t = t;
    struct st_env env = {.dns_addr = "127.0.0.1", .dns_port = 9, .scenario = "x"};
    struct st_caps caps;
    if (t->ops->open(t, &env, &caps, why, sizeof why))
        fail_msg("open without a forward host: got ERROR (%s), want nothing started", why);
    assert_int_equal(caps.relay_only, 1);
    unlink(path);
}

/* --rejects: the shipped description with one whole line replaced must fail to open,
 * with the MTA's own complaint in the reason, and leave nothing behind. */
static const char *rej_old, *rej_new, *rej_want;

static void test_rejects(void **state)
{
    (void)state;
    FILE *f = fopen(desc_file, "r");
    assert_non_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    /* A whole line (comments often quote the same setting). */
    char *at = text;
    size_t ol = strlen(rej_old);
    while ((at = strstr(at, rej_old)) && !((at == text || at[-1] == '\n') && at[ol] == '\n'))
        at += ol;
    if (!at)
        fail_msg("got no \"%s\" in %s, want the line to break", rej_old, desc_file);
    static char broken[65536 + 256];
    snprintf(broken, sizeof broken, "%.*s%s%s", (int)(at - text), text, rej_new,
             at + strlen(rej_old));
    const char *path = write_desc(broken);
    char why[1024] = "";
    struct st_target *t;
    if (hn_smtp_target_new(&t, path, why, sizeof why))
        fail_msg("%s", why);
    robust_t = t;
    struct st_env env = {.dns_addr = "127.0.0.1", .dns_port = 9, .scenario = "x"};
    struct st_caps caps;
    assert_int_equal(t->ops->open(t, &env, &caps, why, sizeof why), -1);
    if (!strstr(why, rej_want))
        fail_msg("got why \"%s\", want it to quote \"%s\"", why, rej_want);
    if (leftovers())
        fail_msg("got %d namespace leftovers after a rejected configuration, want 0", leftovers());
    unlink(path);
}

/* 0 when the MTA is installed (root filesystem built, check commands succeed). */
static int mta_installed(const char *file)
{
    char why[512] = "";
    int rc = hn_smtp_installed(file, why, sizeof why);
    if (rc)
        fprintf(stderr, "%s\n", why);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "--robustness") && argc < 3) ||
        (!strcmp(argv[1], "--rejects") && argc < 6)) {
        fprintf(stderr, "usage: %s FILE requery|cached | --robustness | "
                        "--rejects FILE OLD NEW WANT\n", argv[0]);
        return 2;
    }
    if (geteuid() != 0) {
        printf("SKIP: test_hn_smtp needs root (network namespaces)\n");
        return 77;
    }
    fx_proc_install_signal_cleanup();
    if (!strcmp(argv[1], "--robustness")) {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_teardown(test_start_fails, robust_teardown),
            cmocka_unit_test_teardown(test_never_delivers, robust_teardown),
            cmocka_unit_test_teardown(test_daemon, robust_teardown),
            cmocka_unit_test_teardown(test_private, robust_teardown),
            cmocka_unit_test_teardown(test_log_window, robust_teardown),
            cmocka_unit_test_teardown(test_unseen, robust_teardown),
            cmocka_unit_test_teardown(test_relay_only, robust_teardown)};
        return cmocka_run_group_tests_name("hn_smtp_robustness", tests, NULL, NULL);
    }
    int rejects = !strcmp(argv[1], "--rejects");
    desc_file = argv[rejects ? 2 : 1];
    /* "reuse": an MTA that keeps the SMTP session (and its route) for the next message looks
     * like a cache to these lookups, all within seconds of each other (OpenSMTPD). */
    cached = !rejects && (!strcmp(argv[2], "cached") || !strcmp(argv[2], "reuse"));
    /* Skip when the MTA is not installed: its own check command decides. */
    int inst = mta_installed(desc_file);
    if (inst < 0)
        return 2;
    if (inst) {
        printf("SKIP: %s: the MTA is not installed (its check command failed)\n", desc_file);
        return 77;
    }
    if (rejects) {
        rej_old = argv[3];
        rej_new = argv[4];
        rej_want = argv[5];
        const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(test_rejects,
                                                                     robust_teardown)};
        return cmocka_run_group_tests_name("hn_smtp_rejects", tests, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(test_mta, teardown)};
    return cmocka_run_group_tests_name("hn_smtp", tests, NULL, NULL);
}
