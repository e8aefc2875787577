/*
 * hn_report_test: fixtures shared by the report tests (see hn_report_test.h).
 */
#define _XOPEN_SOURCE 700 /* nftw's FTW_DEPTH and FTW_PHYS */
#include "hn_report_test.h"

#include <errno.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void need(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "test fixture: %s failed\n", what);
        abort();
    }
}

struct st_run *hn_test_run(int incomplete)
{
    struct st_run *run = st_run_new();
    need(run != NULL, "st_run_new");
    need(st_set_str(&run->mxttl_version, "0.1.0") == 0, "version");
    need(st_set_str(&run->started, "2026-11-29T04:00:00Z") == 0, "started");
    need(st_set_str(&run->time_mode, "virtual") == 0, "time_mode");
    need(st_set_str(&run->command, "mxttl run --target model:ttl " HN_TEST_EVIL) == 0, "cmd");
    run->seconds = 12.375;
    run->incomplete = incomplete;

    struct st_target_result *t = st_run_add_target(run, "model:ttl", "ttl");
    need(t != NULL, "add target");
    t->klass = ST_CLASS_NEITHER;
    need(st_set_str(&t->class_reason, "broke TTL-2, TTL-5") == 0, "reason");
    static const struct {
        const char *id;
        enum st_level level;
        enum st_verdict v;
        const char *sentence;
    } cl[] = {
        {"TTL-1", ST_LEVEL_SHOULD, ST_NONSTRICT, "Lookups made while the route's TTL has not run "
                                                 "out are served without DNS."},
        {"TTL-2", ST_LEVEL_MUST, ST_FAIL, "The first lookup at or after the route's TTL has run "
                                          "out queries DNS again."},
        {"TTL-3", ST_LEVEL_MUST, ST_PASS, "After such a new query the route returned reflects "
                                          "the DNS data in force at that time."},
        {"TTL-9", ST_LEVEL_MUST, ST_NA, "The cache stays bounded (N/A without a declared "
                                        "capacity)."},
        {"TTL-10", ST_LEVEL_MUST, ST_ERROR, "The forward host is resolved again after its TTL."},
        {"COM-9", ST_LEVEL_INFO, ST_INFO, "The DNS queries each lookup causes."},
    };
    for (size_t i = 0; i < sizeof(cl) / sizeof(cl[0]); i++) {
        struct st_clause_result *c =
            st_target_add_clause(t, cl[i].id, cl[i].level, cl[i].v, cl[i].sentence);
        need(c != NULL, "add clause");
        c->seconds = 0.25 * (double)(i + 1);
        need(st_set_str(&c->scenario, "ttl_expiry") == 0, "scenario");
        need(st_set_fmt(&c->expected, "a DNS query at t=300 s for %s", cl[i].id) == 0, "exp");
        need(st_set_fmt(&c->observed, "no query; route served from cache " HN_TEST_EVIL
                                      " " HN_TEST_NONASCII " " HN_TEST_CTRL) == 0,
             "obs");
        if (cl[i].v == ST_ERROR)
            need(st_set_str(&c->note, "driver died: exit 139 \xff\xfe invalid utf8") == 0, "n");
        if (cl[i].v == ST_PASS)
            need(st_set_str(&c->observed, NULL) == 0, "null observed");
        if (cl[i].v == ST_NONSTRICT) {
            /* A 10 KB log excerpt of hostile text, as a broken driver could produce. */
            char *log = malloc(10241);
            need(log != NULL, "log");
            for (size_t k = 0; k < 10240; k++)
                log[k] = "<td>&|~`\"'*\n"[k % 12];
            log[10240] = '\0';
            need(st_set_str(&c->note, log) == 0, "log note");
            free(log);
        }
    }

    struct st_target_result *u = st_run_add_target(run, "driver:<b>&amp;\"x'" HN_TEST_NONASCII,
                                                   "legacy");
    need(u != NULL, "add target 2");
    u->klass = ST_CLASS_LEGACY;
    need(st_target_add_clause(u, "LEG-1", ST_LEVEL_MUST, ST_PASS,
                              "Once resolved, every later lookup is answered without DNS.") != NULL,
         "leg1");
    need(st_target_add_clause(u, "LEG-5", ST_LEVEL_INFO, ST_INFO, HN_TEST_EVIL) != NULL, "leg5");
    need(st_target_add_clause(u, "COM-1", ST_LEVEL_MUST, ST_PASS, NULL) != NULL, "com1");

    struct st_timeline *tl = st_run_add_timeline(run, "ttl_expiry", "model:ttl", "virtual");
    need(tl != NULL, "timeline");
    need(st_timeline_add(tl, ST_EV_STEP, 0, 0, 1, "step 1", NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_LOOKUP, 1, 1, 1, "a.test -> 10 mx1.a.test 127.0.0.10",
                         "cache miss") == 0, "ev");
    need(st_timeline_add(tl, ST_EV_QUERY, 1.001, 1.001, 1, "MX a.test", "client 127.0.0.1") == 0,
         "ev");
    need(st_timeline_add(tl, ST_EV_QUERY, 1.002, 1.002, 1, "A mx1.a.test", NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_QUERY, 1.003, 1.003, 1, "AAAA mx1.a.test", NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_TTL, 1, 301, 1, "a.test ttl 300", NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_LOOKUP, 120, 120, 1, "a.test -> 10 mx1.a.test 127.0.0.10",
                         "from cache") == 0, "ev");
    need(st_timeline_add(tl, ST_EV_STEP, 200, 200, 2, "step 2", "MX changed") == 0, "ev");
    need(st_timeline_add(tl, ST_EV_LOOKUP, 302, 302, 2, "a.test -> 10 mx2.a.test 127.0.0.11",
                         NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_QUERY, 302.001, 302.001, 2, "MX a.test", NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_TTL, 302, 602, 2, "a.test ttl 300", NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_LOOKUP, 400, 400, 2, "nx.test -> nxdomain", NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_LOOKUP, 450, 450, 2, "sf.test -> retry", NULL) == 0, "ev");
    need(st_timeline_add(tl, ST_EV_FORWARD, 500, 500, 2, "forward -> 127.0.0.25", NULL) == 0,
         "ev");

    struct st_timeline *t2 = st_run_add_timeline(run, "hostile " HN_TEST_EVIL,
                                                 "driver:<b>&amp;\"x'", "real");
    need(t2 != NULL, "timeline 2");
    char *big = malloc(10241);
    need(big != NULL, "big");
    for (size_t i = 0; i < 10240; i++)
        big[i] = "<&>\"' abc\n"[i % 10];
    big[10240] = '\0';
    need(st_timeline_add(t2, ST_EV_LOOKUP, 0.5, 0.5, 0, HN_TEST_EVIL, big) == 0, "big ev");
    need(st_timeline_add(t2, ST_EV_QUERY, 0.6, 0.6, 0, "MX " HN_TEST_NONASCII, HN_TEST_CTRL) == 0,
         "ev");
    need(st_timeline_add(t2, ST_EV_TTL, 0.5, 0.5, 0, "zero ttl", NULL) == 0, "ev");
    free(big);
    need(st_run_add_timeline(run, "empty", "model:ttl", NULL) != NULL, "timeline 3");
    return run;
}

struct st_run *hn_test_small_run(const char *target, const char *const *ids,
                                 const enum st_verdict *v, size_t n)
{
    struct st_run *run = st_run_new();
    need(run != NULL, "st_run_new");
    need(st_set_str(&run->started, "2026-11-29T05:00:00Z") == 0, "started");
    need(st_set_str(&run->time_mode, "virtual") == 0, "mode");
    struct st_target_result *t = st_run_add_target(run, target, "ttl");
    need(t != NULL, "target");
    for (size_t i = 0; i < n; i++)
        need(st_target_add_clause(t, ids[i], ST_LEVEL_MUST, v[i], "sentence") != NULL, "clause");
    return run;
}

char *hn_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    size_t n = strlen(base) + 32;
    char *p = malloc(n);
    need(p != NULL, "malloc");
    snprintf(p, n, "%s/hn-report-test.XXXXXX", base);
    need(mkdtemp(p) != NULL, "mkdtemp");
    return p;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

void hn_test_rmtree(const char *dir)
{
    /* Only trees this file made: a wrong path must never cost more than a leftover. */
    if (dir == NULL || strstr(dir, "/hn-report-test.") == NULL)
        return;
    if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int hn_test_spawn(char *const argv[])
{
    pid_t pid;
    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
        return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    /* posix_spawnp may report a missing program only as exit status 127 of the child. */
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
        return -1;
    return WEXITSTATUS(status);
}

char *hn_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *d = malloc(cap);
    if (d == NULL) {
        fclose(f);
        return NULL;
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *q = realloc(d, cap * 2);
            if (q == NULL) {
                free(d);
                fclose(f);
                return NULL;
            }
            d = q;
            cap *= 2;
        }
        size_t r = fread(d + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    d[n] = '\0';
    if (len)
        *len = n;
    return d;
}

size_t hn_test_count(const char *hay, const char *needle)
{
    size_t c = 0, nl = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += nl)
        c++;
    return c;
}
