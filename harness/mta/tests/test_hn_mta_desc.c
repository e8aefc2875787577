/*
 * test_hn_mta_desc: the target description parser and placeholder expander -- a complete
 * description, every required directive, errors naming FILE:LINE, placeholders (unknown ones,
 * @RECIPIENT@ where it is not known, regex quoting, @IF_SMARTHOST@ lines), and the shipped
 * description files in targets/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_mta_desc.h"

#ifndef MXTTL_TARGETS_DIR
#define MXTTL_TARGETS_DIR "targets"
#endif

static const char good[] =
    "# comment\n"
    "name demo-mta\n"
    "description A demo\n"
    "forward yes\n"
    "fixture-port 5353\n"
    "deliver-timeout 7\n"
    "check command -v true\n"
    "copy-etc demo\n"
    "file etc/demo/demo.conf\n"
    "# not a comment inside a block\n"
    "spool = @WORKDIR@/spool\n"
    "@IF_SMARTHOST@relay = [@SMARTHOST@]\n"
    "@IF_NO_SMARTHOST@relay = none\n"
    "mail to user@example stays\n"
    "end\n"
    "setup mkdir -p @WORKDIR@/spool\n"
    "start demo start\n"
    "start demo second\n"
    "stop demo stop\n"
    "inject demo-send '@RECIPIENT@'\n"
    "log @WORKDIR@/log\n"
    "outcome nxdomain to=<@RECIPIENT@>.*bounced\n"
    "outcome noroute gone @DOMAIN@\n"
    "outcome retry to=<@RECIPIENT@>.*deferred\n";

static struct hn_mta_desc *parse(const char *text, char *why, size_t whylen,
                                 enum hn_mta_status *st)
{
    struct hn_mta_desc *d = NULL;
    *st = hn_mta_desc_parse(&d, text, strlen(text), "demo.mta", why, whylen);
    return d;
}

static void test_good(void **state)
{
    (void)state;
    char why[256] = "";
    enum hn_mta_status st;
    struct hn_mta_desc *d = parse(good, why, sizeof why, &st);
    if (st != HN_MTA_OK)
        fail_msg("got %s (%s), want ok", hn_mta_status_str(st), why);
    assert_string_equal(hn_mta_desc_name(d), "demo-mta");
    assert_int_equal(hn_mta_desc_forward(d), 1);
    assert_int_equal(hn_mta_desc_fixture_port(d), 5353);
    assert_int_equal(hn_mta_desc_deliver_timeout(d), 7);
    assert_int_equal(hn_mta_desc_start_timeout(d), 30);
    assert_int_equal(hn_mta_desc_cmd_count(d, HN_MTA_CMD_START), 2);
    assert_string_equal(hn_mta_desc_cmd(d, HN_MTA_CMD_START, 1), "demo second");
    assert_int_equal(hn_mta_desc_cmd_count(d, HN_MTA_CMD_FLUSH), 0);
    assert_int_equal(hn_mta_desc_copy_etc_count(d), 1);
    assert_int_equal(hn_mta_desc_file_count(d), 1);
    const struct hn_mta_file *f = hn_mta_desc_file(d, 0);
    assert_string_equal(f->path, "etc/demo/demo.conf");
    assert_non_null(strstr(f->text, "# not a comment inside a block\n"));
    assert_int_equal(hn_mta_desc_outcome_count(d), 3);
    assert_int_equal(hn_mta_desc_outcome(d, 0)->status, RC_NXDOMAIN);
    assert_int_equal(hn_mta_desc_outcome(d, 1)->unspecific, 1);
    assert_int_equal(hn_mta_desc_outcome(d, 2)->status, RC_RETRY);
    assert_int_equal(hn_mta_desc_outcome(d, 2)->line, 24);

    struct hn_mta_vars v = {.workdir = "/w", .smarthost = "relay.test"};
    char *out = NULL;
    assert_int_equal(hn_mta_expand(f->text, &v, 0, &out, why, sizeof why), HN_MTA_OK);
    assert_non_null(strstr(out, "spool = /w/spool\n"));
    assert_non_null(strstr(out, "relay = [relay.test]\n"));
    assert_null(strstr(out, "relay = none"));
    assert_non_null(strstr(out, "mail to user@example stays\n"));
    free(out);
    v.smarthost = NULL;
    assert_int_equal(hn_mta_expand(f->text, &v, 0, &out, why, sizeof why), HN_MTA_OK);
    assert_null(strstr(out, "relay = ["));
    assert_non_null(strstr(out, "relay = none\n"));
    free(out);
    hn_mta_desc_free(d);
}

static void test_regex_quote(void **state)
{
    (void)state;
    char why[128];
    char *out = NULL;
    struct hn_mta_vars v = {.recipient = "m-1@a.b+c.test"};
    assert_int_equal(hn_mta_expand("to=<@RECIPIENT@>", &v, 1, &out, why, sizeof why), HN_MTA_OK);
    assert_string_equal(out, "to=<m-1@a\\.b\\+c\\.test>");
    free(out);
    assert_int_equal(hn_mta_expand("x @NOPE@ y", &v, 0, &out, why, sizeof why), HN_MTA_SYNTAX);
    assert_null(out);
    assert_string_equal(why, "unknown placeholder @NOPE@");
}

/* Each bad input and the FILE:LINE message it must give. */
static const struct {
    const char *text;
    const char *want;
} bad[] = {
    {"name x\nbogus thing\n", "demo.mta:2: unknown directive \"bogus\""},
    {"name x\nname y\n", "demo.mta:2: name given twice"},
    {"name a/b\n", "demo.mta:1: name must be letters"},
    {"name x\nfixture-port 0\n", "demo.mta:2: fixture-port must be 1..65535"},
    {"name x\nkeepalive 0\n", "demo.mta:2: keepalive was removed"},
    {"name x\nforward maybe\n", "demo.mta:2: forward must be yes or no"},
    {"name x\n\nfile etc/../passwd\nend\n", "demo.mta:3: file path must be"},
    {"name x\nfile /etc/passwd\nend\n", "demo.mta:2: file path must be"},
    {"name x\nfile etc/a.conf\nx = 1\n", "demo.mta:2: file block not closed"},
    {"name x\nend\n", "demo.mta:2: end without file"},
    {"name x\nstart\n", "demo.mta:2: start needs a command"},
    {"name x\nstart run @RECIPIENT@\n", "demo.mta:2: @RECIPIENT@ and @DOMAIN@ are only known"},
    {"name x\nstart run @WORKDIRX@\n", "demo.mta:2: unknown placeholder @WORKDIRX@"},
    {"name x\nfile etc/a\nv = @BAD@\nend\n", "demo.mta:2: unknown placeholder @BAD@"},
    {"name x\noutcome gone x\n", "demo.mta:2: outcome status must be"},
    {"name x\noutcome retry\n", "demo.mta:2: outcome needs a regular expression"},
    {"name x\noutcome retry (unclosed\n", "demo.mta:2: bad regular expression"},
    {"name x\ninject a\ninject b\n", "demo.mta:3: inject given twice"},
    {"name x\ncopy-etc ../etc\n", "demo.mta:2: copy-etc needs a directory name"},
    {"name x\nde\x01scription\n", "demo.mta:2: control character in line"},
    {"description d\n", "demo.mta: missing directive \"name\""},
    {"name x\ndescription d\ncheck true\nstart s\nstop s\ninject i\n",
     "demo.mta: missing directive \"log\""},
    {"name x\ndescription d\ncheck true\nstop s\ninject i\nlog l\n",
     "demo.mta: missing directive \"start (or daemon)\""},
    {"name x\nroot var/x\n", "demo.mta:2: root must be an absolute path"},
    {"name x\nroot /a\nroot /b\n", "demo.mta:3: root given twice"},
    {"name x\nprivate /var/../etc\n", "demo.mta:2: private needs an absolute directory path"},
    {"name x\nprivate /var/spool x\n", "demo.mta:2: private needs an absolute directory path"},
    {"name x\nprivate /\n", "demo.mta:2: private needs an absolute directory path"},
    {"name x\nroot-package ok -bad\n", "demo.mta:2: root-package: \"-bad\" is not a package"},
    {"name x\nrelay-only perhaps\n", "demo.mta:2: relay-only must be yes or no"},
    {"name x\nresolver-timeout 0\n", "demo.mta:2: resolver-timeout must be 1..60"},
    {"name x\ndaemon\n", "demo.mta:2: daemon needs a command"},
    {"name x\ndescription d\ncheck true\ndaemon d\nstop s\ninject i\nlog l\nrelay-only yes\n",
     "demo.mta: relay-only yes needs forward yes"},
    {"name x\ndescription d\ncheck true\ndaemon d\nstop s\ninject i\nlog l\n"
     "resolver-timeout 6\n",
     "demo.mta: deliver-timeout (15 s) must be at least 3 times resolver-timeout (6 s)"},
};

/* The any-MTA directives: a root, private paths, a foreground daemon, relay-only. */
static void test_any_mta(void **state)
{
    (void)state;
    static const char text[] =
        "name relay\ndescription d\nforward yes\nrelay-only yes\nresolver-timeout 5\n"
        "root /var/cache/mxttl/roots/x\nroot-package opensmtpd ca-certificates\n"
        "root-build npm install -g x@1.2.3\n"
        "root-build-host npm install --prefix \"$MXTTL_ROOT/opt/x\" x@1.2.3\nprivate /var/spool/smtpd\nprivate /run/x\n"
        "check test -x /usr/sbin/smtpd\ndaemon smtpd -d -f @WORKDIR@/smtpd.conf\n"
        "stop true\ninject sendmail -f '' '@RECIPIENT@'\nlog @WORKDIR@/log\n";
    char why[256] = "";
    enum hn_mta_status st;
    struct hn_mta_desc *d = parse(text, why, sizeof why, &st);
    if (!d)
        fail_msg("got %s: %s", hn_mta_status_str(st), why);
    assert_string_equal(hn_mta_desc_root(d), "/var/cache/mxttl/roots/x");
    assert_int_equal(hn_mta_desc_root_package_count(d), 2);
    assert_string_equal(hn_mta_desc_root_package(d, 1), "ca-certificates");
    assert_int_equal(hn_mta_desc_private_count(d), 2);
    assert_string_equal(hn_mta_desc_private(d, 0), "/var/spool/smtpd");
    assert_int_equal(hn_mta_desc_cmd_count(d, HN_MTA_CMD_DAEMON), 1);
    assert_int_equal(hn_mta_desc_cmd_count(d, HN_MTA_CMD_START), 0);
    assert_int_equal(hn_mta_desc_cmd_count(d, HN_MTA_CMD_ROOT_BUILD), 1);
    assert_int_equal(hn_mta_desc_cmd_count(d, HN_MTA_CMD_ROOT_BUILD_HOST), 1);
    assert_int_equal(hn_mta_desc_relay_only(d), 1);
    assert_int_equal(hn_mta_desc_resolver_timeout(d), 5);
    hn_mta_desc_free(d);
}

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char why[256] = "";
        enum hn_mta_status st;
        struct hn_mta_desc *d = parse(bad[i].text, why, sizeof why, &st);
        if (st != HN_MTA_SYNTAX || d)
            fail_msg("case %zu: got %s, want syntax", i, hn_mta_status_str(st));
        if (strncmp(why, bad[i].want, strlen(bad[i].want)))
            fail_msg("case %zu: got \"%s\", want \"%s...\"", i, why, bad[i].want);
    }
}

static void test_load_missing(void **state)
{
    (void)state;
    char why[256];
    struct hn_mta_desc *d = (struct hn_mta_desc *)1;
    assert_int_equal(hn_mta_desc_load(&d, "/nonexistent/x.mta", why, sizeof why), HN_MTA_IO);
    assert_null(d);
    assert_non_null(strstr(why, "/nonexistent/x.mta: "));
    hn_mta_desc_free(NULL);
}

static void test_shipped(void **state)
{
    (void)state;
    static const char *const files[] = {"postfix.mta", "exim.mta", "postfix+cache.mta",
                                        "opensmtpd.mta", "sendmail.mta"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024], why[256] = "";
        snprintf(path, sizeof path, "%s/%s", MXTTL_TARGETS_DIR, files[i]);
        struct hn_mta_desc *d = NULL;
        enum hn_mta_status st = hn_mta_desc_load(&d, path, why, sizeof why);
        if (st != HN_MTA_OK)
            fail_msg("%s: got %s (%s), want ok", files[i], hn_mta_status_str(st), why);
        assert_int_equal(hn_mta_desc_forward(d), 1);
        assert_true(hn_mta_desc_outcome_count(d) >= 2);
        hn_mta_desc_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),       cmocka_unit_test(test_regex_quote),
        cmocka_unit_test(test_errors),     cmocka_unit_test(test_load_missing),
        cmocka_unit_test(test_shipped),    cmocka_unit_test(test_any_mta),
    };
    return cmocka_run_group_tests_name("hn_mta_desc", tests, NULL, NULL);
}
