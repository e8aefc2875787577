/*
 * test_hn_faults: fault injection against the `mxttl` binary. Each case runs `mxttl run` as a
 * child -- against fault_driver (a driver that breaks on purpose), with the fixture's dnsmasq
 * killed under it, with SIGINT/SIGTERM mid-run, or with hostile scenario files -- and checks
 * what a user must be able to rely on: ERROR (never PASS) for the clauses a fault touched,
 * ordinary verdicts for the others, exit status 3 (2 for bad input, with "FILE:LINE:"), a
 * bounded run time and memory (getrusage of the child), and no process left behind.
 *
 * Leftovers are found by making this process a child subreaper (PR_SET_CHILD_SUBREAPER):
 * whatever mxttl started and did not stop -- a driver in its own process group, a dnsmasq --
 * is re-parented to us when mxttl exits, so it shows up as our child.
 *
 * One CTest test per case: `test_hn_faults CASE` runs only that case (ctest -j runs them side
 * by side; each uses its own temporary directory and the fixture picks free ports).
 * The paths of mxttl, fault_driver and mxttl-model-driver come from CMake.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "hn_results.h"
#include "st_result.h"

#ifndef MXTTL_BIN
#error "MXTTL_BIN (path of mxttl) must be defined by the build"
#endif

/* What one mxttl run did. */
struct run {
    char dir[256];        /* private temporary directory */
    char report[300];     /* --report directory inside it */
    int status;           /* wait status */
    int timed_out;        /* killed by us after the limit */
    double seconds;
    long maxrss_kb;       /* ru_maxrss of mxttl and the descendants it reaped */
    char out[8192];       /* stdout + stderr (first 8 KiB) */
    char leftovers[512];  /* names of processes still alive after mxttl exited */
    struct st_run *results;
};

/* How to run it. */
struct plan {
    const char *const *argv;  /* after "mxttl"; NULL-terminated */
    const char *const *env;   /* "NAME=value" strings added to the environment; NULL-ended */
    unsigned limit_ms;        /* kill and fail after this */
    int signal;               /* send this to mxttl ... */
    unsigned signal_at_ms;    /* ... this long after the start (0: never) */
    int signal_twice;         /* and once more 500 ms later */
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Walks our live (not zombie) children: names them "comm(pid) ..." into out, and with kill_them
 * sends each SIGKILL, by PID. Returns how many there are. */
static int our_children(char *out, size_t outlen, int kill_them)
{
    int n = 0;
    size_t used = 0;
    out[0] = '\0';
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (pid <= 0 || *end != '\0')
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        /* "pid (comm) state ppid ...": comm may hold spaces and ')', so split at the last ')' */
        char *open = strchr(buf, '('), *close = strrchr(buf, ')');
        if (!open || !close || close < open || close[1] != ' ' || close[2] == 'Z')
            continue;
        if (strtol(close + 4, NULL, 10) != (long)getpid())
            continue;
        *close = '\0';
        int w = snprintf(out + used, outlen - used, "%s%s(%ld)", n ? " " : "", open + 1, pid);
        if (w > 0 && (size_t)w < outlen - used)
            used += (size_t)w;
        if (kill_them)
            kill((pid_t)pid, SIGKILL);
        n++;
    }
    closedir(d);
    return n;
}

/* Reaps zombies; waits up to 2 s for re-parented processes to go; kills and names the rest. */
static void check_leftovers(struct run *r)
{
    double end = mono() + 2.0;
    int n;
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        n = our_children(r->leftovers, sizeof r->leftovers, 0);
        if (n == 0 || mono() > end)
            break;
        nap_ms(20);
    }
    if (n == 0)
        return;
    char again[512];
    our_children(again, sizeof again, 1);
    while (waitpid(-1, NULL, 0) > 0)
        ;
}

/* Runs mxttl per plan with --report r->report appended when the argv asks for "REPORT". */
static void run_mxttl(struct run *r, const struct plan *p)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = MXTTL_BIN;
    for (size_t i = 0; p->argv[i] && n < 62; i++)
        argv[n++] = strcmp(p->argv[i], "REPORT") == 0 ? r->report : p->argv[i];
    argv[n] = NULL;

    char outpath[300];
    snprintf(outpath, sizeof outpath, "%s/out.txt", r->dir);
    double t0 = mono();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        int fd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int null = open("/dev/null", O_RDONLY);
        if (fd < 0 || null < 0 || dup2(null, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(126);
        for (size_t i = 0; p->env && p->env[i]; i++)
            putenv((char *)p->env[i]);
        /* work directories of plays and fixtures go under r->dir, which teardown removes:
         * a run killed on purpose cannot remove its own (ctest leaves nothing in /tmp) */
        if (setenv("TMPDIR", r->dir, 1) != 0)
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    setpgid(pid, pid);
    int signals_sent = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        pid_t w = wait4(pid, &r->status, WNOHANG, &ru);
        if (w == pid)
            break;
        double el = mono() - t0;
        if (p->signal && p->signal_at_ms && signals_sent < (p->signal_twice ? 2 : 1) &&
            el * 1000.0 >= p->signal_at_ms + 500.0 * signals_sent) {
            kill(pid, p->signal);
            signals_sent++;
        }
        if (el * 1000.0 > p->limit_ms) {
            r->timed_out = 1;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            wait4(pid, &r->status, 0, &ru);
            break;
        }
        nap_ms(10);
    }
    r->seconds = mono() - t0;
    r->maxrss_kb = ru.ru_maxrss;
    check_leftovers(r);

    FILE *f = fopen(outpath, "r");
    if (f) {
        size_t len = fread(r->out, 1, sizeof r->out - 1, f);
        r->out[len] = '\0';
        fclose(f);
    }
    char json[400], why[512];
    snprintf(json, sizeof json, "%s/results.json", r->report);
    struct stat st;
    if (stat(json, &st) == 0 &&
        hn_results_read_file(json, &r->results, why, sizeof why) != HN_REPORT_OK) {
        print_error("results.json unreadable: %s\n", why);
        r->results = NULL;
    }
}

/* Memory bounds are for plain builds; sanitizer builds (asan preset) multiply them by
 * $MXTTL_FAULTS_RSS_SCALE, which CMake sets for them. */
static long rss_limit_kb(long plain_kb)
{
    const char *e = getenv("MXTTL_FAULTS_RSS_SCALE");
    long scale = e ? strtol(e, NULL, 10) : 1;
    return plain_kb * (scale > 0 ? scale : 1);
}

static int exit_status(const struct run *r)
{
    return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128 + WTERMSIG(r->status);
}

/* The verdict of clause in the first target, or -1 when it is not in the results. */
static int verdict(const struct run *r, const char *clause)
{
    if (!r->results || r->results->ntargets < 1)
        return -1;
    const struct st_target_result *tr = &r->results->targets[0];
    for (size_t i = 0; i < tr->nclauses; i++)
        if (strcmp(tr->clauses[i].clause, clause) == 0)
            return (int)tr->clauses[i].verdict;
    return -1;
}

static const char *vstr(int v)
{
    return v < 0 ? "(missing)" : st_verdict_str((enum st_verdict)v);
}

static void show(const struct run *r)
{
    print_message("mxttl exit %d after %.2f s, max RSS %ld KB%s; output:\n%s\n", exit_status(r),
                  r->seconds, r->maxrss_kb, r->timed_out ? " (KILLED: over the limit)" : "",
                  r->out);
}

/* Common assertions: finished in time, nothing left running. */
static void assert_clean(const struct run *r)
{
    if (r->timed_out || r->leftovers[0]) {
        show(r);
        if (r->timed_out)
            fail_msg("mxttl ran past the limit (%.1f s): got no exit, want one in time",
                     r->seconds);
        fail_msg("processes left after mxttl exited: got %s, want none", r->leftovers);
    }
}

static void assert_exit(const struct run *r, int want)
{
    if (exit_status(r) != want) {
        show(r);
        fail_msg("exit status: got %d, want %d", exit_status(r), want);
    }
}

static void assert_verdict(const struct run *r, const char *clause, enum st_verdict want)
{
    int got = verdict(r, clause);
    if (got != (int)want) {
        show(r);
        fail_msg("%s: got %s, want %s", clause, vstr(got), st_verdict_str(want));
    }
}

static int setup(void **state)
{
    struct run *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(r->dir, sizeof r->dir, "%s/mxttl-faults-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(r->dir)) {
        free(r);
        return -1;
    }
    snprintf(r->report, sizeof r->report, "%s/report", r->dir);
    *state = r;
    return 0;
}

static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        if (d)
            closedir(d);
        return rmdir(path);
    }
    return unlink(path);
}

static int teardown(void **state)
{
    struct run *r = *state;
    st_run_free(r->results);
    remove_tree(r->dir);
    free(r);
    return 0;
}

/* ---- misbehaving drivers ---------------------------------------------------------------- */

/* The faulty scenario is nxdomain (it decides COM-4); null-mx (COM-3) is the control. */
#define FAULT_SCENARIO "nxdomain"

static void run_fault(struct run *r, const char *mode, unsigned limit_ms)
{
    char target[1024];
    snprintf(target, sizeof target, "driver:%s %s %s %s --mode ttl", FAULT_DRIVER_BIN, mode,
             FAULT_SCENARIO, MODEL_DRIVER_BIN);
    const char *argv[] = {"run", "--target", target, "--spec", "ttl", "--clause", "COM-4",
                          "--clause", "COM-3", "--report", "REPORT", NULL};
    /* 4 s per protocol read (a hung driver costs 4 s, and a loaded machine running ctest -j
     * under ASan still answers in time); the slow driver answers after 10 s. */
    const char *env[] = {"MXTTL_DRIVER_TIMEOUT=4", "MXTTL_FAULT_SLOW_MS=10000", NULL};
    struct plan p = {argv, env, limit_ms, 0, 0, 0};
    run_mxttl(r, &p);
}

/* The fault touches only the faulty scenario's clauses: ERROR there, PASS elsewhere, exit 3. */
static void check_fault(void **state, const char *mode, unsigned limit_ms)
{
    struct run *r = *state;
    run_fault(r, mode, limit_ms);
    assert_clean(r);
    assert_verdict(r, "COM-4", ST_ERROR);
    assert_verdict(r, "COM-3", ST_PASS);
    assert_exit(r, 3);
}

/* Control: relaying alone changes nothing, so the ERRORs below come from the faults. */
static void test_driver_none(void **state)
{
    struct run *r = *state;
    run_fault(r, "none", 30000);
    assert_clean(r);
    assert_verdict(r, "COM-4", ST_PASS);
    assert_verdict(r, "COM-3", ST_PASS);
    assert_exit(r, 0);
}

static void test_driver_crash(void **state) { check_fault(state, "crash", 30000); }
static void test_driver_hang(void **state) { check_fault(state, "hang", 30000); }
static void test_driver_garbage(void **state) { check_fault(state, "garbage", 30000); }
static void test_driver_out_of_order(void **state) { check_fault(state, "out-of-order", 30000); }
static void test_driver_slow(void **state) { check_fault(state, "slow", 30000); }
static void test_driver_close_stdout(void **state) { check_fault(state, "close-stdout", 30000); }
static void test_driver_non_ascii(void **state) { check_fault(state, "non-ascii", 30000); }

/* A 1 MiB protocol line: ERROR, and mxttl does not buffer it (RSS stays small). */
static void test_driver_huge_line(void **state)
{
    check_fault(state, "huge-line", 30000);
    struct run *r = *state;
    if (r->maxrss_kb > rss_limit_kb(64 * 1024)) {
        show(r);
        fail_msg("max RSS: got %ld KB, want at most %ld KB", r->maxrss_kb,
                 rss_limit_kb(64 * 1024));
    }
}

/* An exchanger name of 302 octets with a 70-octet label is never a PASS. */
static void test_driver_long_name(void **state)
{
    struct run *r = *state;
    run_fault(r, "long-name", 30000);
    assert_clean(r);
    int v = verdict(r, "COM-4");
    if (v != ST_ERROR && v != ST_FAIL) {
        show(r);
        fail_msg("COM-4: got %s, want ERROR or FAIL", vstr(v));
    }
    assert_verdict(r, "COM-3", ST_PASS);
    if (exit_status(r) != 1 && exit_status(r) != 3) {
        show(r);
        fail_msg("exit status: got %d, want 1 or 3", exit_status(r));
    }
}

/* A driver that cannot even greet breaks every play: all ERROR, exit 3. */
static void check_greeting_fault(void **state, const char *mode)
{
    struct run *r = *state;
    run_fault(r, mode, 30000);
    assert_clean(r);
    assert_verdict(r, "COM-4", ST_ERROR);
    assert_verdict(r, "COM-3", ST_ERROR);
    assert_exit(r, 3);
}

static void test_driver_bad_greeting(void **state) { check_greeting_fault(state, "bad-greeting"); }
static void test_driver_no_greeting(void **state) { check_greeting_fault(state, "no-greeting"); }

/* The fixture's dnsmasq killed in the middle of a play: ERROR, never PASS; exit 3. */
static void test_dnsmasq_killed(void **state)
{
    struct run *r = *state;
    run_fault(r, "kill-dnsmasq", 30000);
    assert_clean(r);
    assert_verdict(r, "COM-4", ST_ERROR);
    assert_exit(r, 3);
    if (!strstr(r->out, "ERROR")) {
        show(r);
        fail_msg("output: got no ERROR line, want the broken fixture reported");
    }
}

/* ---- signals ---------------------------------------------------------------------------- */

/* Every play's driver answers only after 30 s (slow) or never (hang); the run is interrupted
 * after 1.5 s. mxttl must stop within the driver timeout plus a margin, write a partial report
 * marked incomplete, exit 3, and leave no driver or dnsmasq behind. */
static void run_interrupted(struct run *r, const char *mode, int sig, int twice)
{
    char target[1024];
    snprintf(target, sizeof target, "driver:%s %s * %s --mode ttl", FAULT_DRIVER_BIN, mode,
             MODEL_DRIVER_BIN);
    const char *argv[] = {"run", "--target", target, "--spec", "ttl", "--jobs", "2",
                          "--report", "REPORT", NULL};
    const char *env[] = {"MXTTL_DRIVER_TIMEOUT=5", "MXTTL_FAULT_SLOW_MS=30000", NULL};
    struct plan p = {argv, env, 20000, sig, 1500, twice};
    run_mxttl(r, &p);
}

static void check_interrupted(void **state, int sig)
{
    struct run *r = *state;
    run_interrupted(r, "slow", sig, 0);
    assert_clean(r);
    assert_exit(r, 3);
    if (!r->results || !r->results->incomplete) {
        show(r);
        fail_msg("results.json: got %s, want a report marked incomplete",
                 r->results ? "a complete report" : "no report");
    }
    for (size_t i = 0; r->results && i < r->results->ntargets; i++)
        for (size_t j = 0; j < r->results->targets[i].nclauses; j++)
            if (r->results->targets[i].clauses[j].verdict == ST_PASS) {
                show(r);
                fail_msg("%s: got PASS, want no PASS from a driver that never answered",
                         r->results->targets[i].clauses[j].clause);
            }
}

static void test_sigint(void **state) { check_interrupted(state, SIGINT); }
static void test_sigterm(void **state) { check_interrupted(state, SIGTERM); }

/* A second signal means "stop now": mxttl may die by it, but nothing it started survives.
 * The drivers hang, so the first signal cannot end the run before the second arrives. */
static void test_sigterm_twice(void **state)
{
    struct run *r = *state;
    run_interrupted(r, "hang", SIGTERM, 1);
    assert_clean(r);
}

/* ---- hostile input ---------------------------------------------------------------------- */

/* Writes DIR/NAME.scn: a minimal scenario whose lookup line names `domain`. */
static void write_scenario(const char *dir, const char *name, const char *rr, const char *domain)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s.scn", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "scenario %s\ndescription hostile input\nclauses COM-4\nstep 0\n%s\nlookup 0 %s\n",
            name, rr, domain);
    assert_int_equal(fclose(f), 0);
}

static void expect_input_error(struct run *r, const char *scen_dir, const char *file,
                               const char *what)
{
    const char *argv[] = {"run", "--target", "model:ttl", "--scenarios", scen_dir, "--clause",
                          "COM-4", "--report", "REPORT", NULL};
    struct plan p = {argv, NULL, 60000, 0, 0, 0};
    run_mxttl(r, &p);
    assert_clean(r);
    char where[700];
    snprintf(where, sizeof where, "%s:", file);
    if (exit_status(r) != 2 || !strstr(r->out, where)) {
        show(r);
        fail_msg("%s: got exit %d, want 2 with an error naming %s:LINE", what, exit_status(r),
                 file);
    }
    if (r->maxrss_kb > rss_limit_kb(256 * 1024)) {
        show(r);
        fail_msg("%s: max RSS got %ld KB, want at most %ld KB", what, r->maxrss_kb,
                 rss_limit_kb(256 * 1024));
    }
    st_run_free(r->results);
    r->results = NULL;
}

static void test_hostile_names(void **state)
{
    struct run *r = *state;
    static const struct {
        const char *what, *rr, *domain;
    } cases[] = {
        {"name of 260 octets", "x.test. 60 IN A 127.0.0.1",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test"},
        {"label of 64 octets", "x.test. 60 IN A 127.0.0.1",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test"},
        {"non-ASCII name", "x.test. 60 IN A 127.0.0.1", "m\xc3\xa4il.test"},
        {"empty name", "x.test. 60 IN A 127.0.0.1", ""},
        {"empty label", "x.test. 60 IN A 127.0.0.1", "a..test"},
        {"owner of 260 octets",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test. 60 IN A 127.0.0.1",
         "x.test"},
        {"comma (dnsmasq option injection)", "x.test. 60 IN A 127.0.0.1", "x.test,127.0.0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[400], file[500];
        snprintf(dir, sizeof dir, "%s/names-%zu", r->dir, i);
        assert_int_equal(mkdir(dir, 0700), 0);
        write_scenario(dir, "hostile", cases[i].rr, cases[i].domain);
        snprintf(file, sizeof file, "%s/hostile.scn", dir);
        expect_input_error(r, dir, file, cases[i].what);
    }
}

/* Writes a 100 MiB scenario file: a valid head, then `fill` repeated. */
static void write_big(const char *dir, const char *head, const char *fill, int newline)
{
    char path[600];
    snprintf(path, sizeof path, "%s/big.scn", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(head, f);
    size_t flen = strlen(fill);
    for (size_t done = 0; done < (100u << 20); done += flen + (size_t)newline) {
        fputs(fill, f);
        if (newline)
            fputc('\n', f);
    }
    fputc('\n', f);
    assert_int_equal(fclose(f), 0);
}

#define BIG_HEAD "scenario big\ndescription big\nclauses COM-4\nstep 0\nx.test. 60 IN A 127.0.0.1\n"

/* One 100 MiB line: rejected at that line, in bounded memory. */
static void test_scenario_long_line(void **state)
{
    struct run *r = *state;
    char dir[400], file[500];
    snprintf(dir, sizeof dir, "%s/long-line", r->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    static char fill[1 << 16];
    memset(fill, 'a', sizeof fill - 1);
    write_big(dir, BIG_HEAD "lookup 0 ", fill, 0);
    snprintf(file, sizeof file, "%s/big.scn", dir);
    expect_input_error(r, dir, file, "100 MiB line");
}

/* 100 MiB of well-formed lines (6.5 million lookups): rejected as too large, in bounded memory
 * and time, rather than played. */
static void test_scenario_100mb(void **state)
{
    struct run *r = *state;
    char dir[400], file[500];
    snprintf(dir, sizeof dir, "%s/big", r->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    write_big(dir, BIG_HEAD, "lookup 0 x.test", 1);
    snprintf(file, sizeof file, "%s/big.scn", dir);
    expect_input_error(r, dir, file, "100 MiB scenario");
}

int main(int argc, char **argv)
{
    /* Orphans of mxttl come to us, so a leak shows up as our child. */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        perror("prctl(PR_SET_CHILD_SUBREAPER)");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_driver_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_hang, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_out_of_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_slow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_close_stdout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_huge_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_long_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_non_ascii, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_bad_greeting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_driver_no_greeting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dnsmasq_killed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigterm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigterm_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scenario_long_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scenario_100mb, setup, teardown),
    };
    /* `test_hn_faults CASE` runs one case (CASE without the test_ prefix). */
    if (argc > 1) {
        static char filter[128]; /* cmocka keeps the pointer */
        snprintf(filter, sizeof filter, "test_%s", argv[1]);
        cmocka_set_test_filter(filter);
    }
    return cmocka_run_group_tests_name("hn_faults", tests, NULL, NULL);
}
