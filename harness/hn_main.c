/*
 * mxttl: the command. `mxttl run` plays the scenario library against targets and writes the
 * report; `mxttl explore` is hn_explore.c's; `list`, `report`, `diff` and `fixture serve` are
 * the small companions. The commands are the only code that prints and decides exit statuses,
 * and this file installs the process's one SIGINT/SIGTERM handler (run and explore):
 *   0 every target conforms to the spec it is judged against
 *   1 some target does not conform (a FAIL), or `diff` found something worse
 *   2 usage or input error (the message names the option or file:line)
 *   3 infrastructure error: the fixture or a target broke (an ERROR verdict), or interrupted
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fx_cli.h"
#include "fx_proc.h"
#include "fx_server.h"
#include "hn_diff.h"
#include "hn_explore.h"
#include "hn_paths.h"
#include "hn_report.h"
#include "hn_target.h"
#include "rc_cache.h"
#include "st_clause.h"
#include "st_result.h"
#include "st_suite.h"
#include "rc_clock.h"

#ifndef MXTTL_VERSION
#define MXTTL_VERSION "0"
#endif

enum { EXIT_CONFORMS = 0, EXIT_NONCONFORM = 1, EXIT_USAGE = 2, EXIT_INFRA = 3 };

/* The model targets' wait on an unanswered DNS query in the embedded default run. */
#define HN_DEFAULT_RUN_QUERY_TIMEOUT_MS 150

/* The process's one signal handler (run and explore install it; every library's clean-up is
 * reached through fx_proc, the one owner of children). First SIGINT/SIGTERM: stop the run
 * gracefully (partial report, exit 3). Second: kill every child -- dnsmasq, drivers, MTA
 * commands and daemons -- and remove every network namespace (fx_proc_kill_all), then die by
 * the signal. */
static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    if (stop_flag) {
        fx_proc_kill_all();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_flag = sig;
}

static void install_signal_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* One entry per command: its synopsis and what `mxttl help COMMAND` / `COMMAND --help` adds.
 * The man page (docs/man/mxttl.1.scd) says the same at length. */
struct command_help {
    const char *name;
    const char *synopsis;
    const char *detail;
};

static const struct command_help commands[] = {
    {"run",
     "mxttl run [--target T]... [--spec legacy|ttl] [--clause ID]...\n"
     "                 [--time virtual|real] [--jobs N] [--report DIR]\n"
     "                 [--dnsmasq PATH] [--scenarios DIR] [--query-timeout MS]",
     "Plays the scenario library against each target and writes DIR/report.html, report.md,\n"
     "results.json and junit.xml (default DIR: mxttl-report).\n"
     "  --target T         model:legacy, model:ttl[+FAULT,...], driver:CMD, smtp:FILE, or an\n"
     "                     installed MTA description (postfix, exim, postfix+cache); repeatable;\n"
     "                     default model:legacy and model:ttl\n"
     "  --spec S           judge every target against legacy or ttl (default: the mode each\n"
     "                     target claims)\n"
     "  --clause ID        only this clause (repeatable; see mxttl list clauses)\n"
     "  --time T           virtual (default; model and driver targets) or real\n"
     "  --jobs N           plays at once, 1..64 (default 8)\n"
     "  --report DIR       where the report goes\n"
     "  --dnsmasq PATH     the dnsmasq program (default /usr/sbin/dnsmasq, then PATH)\n"
     "  --scenarios DIR    scenario library (default: the installed one)\n"
     "  --query-timeout MS how long a model target waits for an unanswered DNS query,\n"
     "                     at each of its two attempts, 1..60000 (default 400; 150\n"
     "                     without --target: the embedded default run, on loopback)"},
    {"explore", HN_EXPLORE_SYNOPSIS, HN_EXPLORE_DETAIL},
    {"list", "mxttl list [clauses|scenarios|targets] [--scenarios DIR]",
     "Prints SPEC.md's clauses (default), the scenario library, or the known targets."},
    {"report", "mxttl report [--shards] DIR... [--out DIR]",
     "Merges the results.json of several runs into one side-by-side report (default --out\n"
     "mxttl-report-merged). --shards: the inputs are shards of one run (split by target or\n"
     "by --clause): each target's clauses are put back together into one report."},
    {"diff", "mxttl diff OLD NEW",
     "Prints the verdicts that changed between two reports (directories or results.json\n"
     "files); exit 1 if any got worse or disappeared."},
    {"fixture", "mxttl fixture serve [--listen ADDR] [--port N] [--time virtual|real]\n"
     "                 [--dnsmasq PATH] SCENARIO|FILE.scn\n"
     "       mxttl fixture check FILE.scn...",
     "serve: runs the DNS fixture on one scenario until interrupted, printing each query;\n"
     "check: parses and lints scenario files."},
    {"help", "mxttl help [COMMAND]", "Prints the usage of every command, or of one."},
};

static const struct command_help *command_find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void usage(FILE *f)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "%s %s\n", i ? "      " : "usage:", commands[i].synopsis);
    fprintf(f,
            "       mxttl --version\n"
            "targets: model:legacy, model:ttl[+FAULT,...], driver:CMD, smtp:FILE\n"
            "defaults: model:legacy and model:ttl, virtual time, --jobs 8, --report "
            "mxttl-report\n"
            "environment: MXTTL_SCENARIOS (scenario directory), MXTTL_DRIVER_TIMEOUT "
            "(seconds per driver reply, default 10), NO_COLOR (no colour)\n"
            "exit: 0 conforms, 1 does not conform, 2 usage/input error, 3 infrastructure "
            "error\n"
            "mxttl help COMMAND, mxttl COMMAND --help: one command; man mxttl: everything\n");
}

static void command_usage(const struct command_help *h, FILE *f)
{
    fprintf(f, "usage: %s\n\n%s\n", h->synopsis, h->detail);
}

/* `mxttl help [COMMAND]`: usage on stdout, exit 0; an unknown command is a usage error. */
static int cmd_help(int argc, char **argv)
{
    if (argc < 3) {
        usage(stdout);
        return 0;
    }
    const struct command_help *h = command_find(argv[2]);
    if (!h) {
        fprintf(stderr, "mxttl help: unknown command \"%s\"\n", argv[2]);
        usage(stderr);
        return EXIT_USAGE;
    }
    command_usage(h, stdout);
    return 0;
}

/* Verdict words in colour only on a terminal, never with NO_COLOR set (no-color.org) or
 * TERM=dumb. */
static int use_colour;

static void colour_init(void)
{
    const char *nc = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    use_colour = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

static const char *verdict_colour(enum st_verdict v)
{
    if (!use_colour)
        return "";
    switch (v) {
    case ST_PASS: return "\033[32m";
    case ST_FAIL: return "\033[31m";
    case ST_ERROR: return "\033[1;31m";
    case ST_NONSTRICT: return "\033[33m";
    default: return "";
    }
}

static int is_dir(const char *p)
{
    struct stat sb;
    return p && *p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* --scenarios, then $MXTTL_SCENARIOS, then the installed library, then the source tree. */
static const char *scenario_dir(const char *opt)
{
    if (opt)
        return opt;
    const char *e = getenv("MXTTL_SCENARIOS");
    if (e && *e)
        return e;
    return hn_path_data(HN_PATH_SCENARIOS);
}

static int load_library(const char *dir, struct st_library **lib)
{
    char why[1024] = "";
    enum st_status st = st_library_load(lib, dir, why, sizeof why);
    if (st != ST_OK) {
        fprintf(stderr, "mxttl: %s\n", why);
        return -1;
    }
    return 0;
}

static int cmd_list(int argc, char **argv)
{
    const char *what = argc > 2 ? argv[2] : "clauses";
    const char *dir = NULL;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--scenarios") == 0 && i + 1 < argc)
            dir = argv[++i];
        else {
            fprintf(stderr, "mxttl list: unknown option %s\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (strcmp(what, "clauses") == 0) {
        for (size_t i = 0; i < ST_CLAUSE_COUNT; i++) {
            const struct st_clause *c = st_clause_at(i);
            printf("%-7s %-6s %-6s %s\n", c->id, st_level_str(c->level), st_spec_str(c->spec),
                   c->sentence);
        }
        return 0;
    }
    if (strcmp(what, "scenarios") == 0) {
        struct st_library *lib;
        if (load_library(scenario_dir(dir), &lib) != 0)
            return EXIT_USAGE;
        for (size_t i = 0; i < st_library_count(lib); i++) {
            const struct fx_scenario *sc = st_library_at(lib, i);
            printf("%-18s %6.1f s  ", fx_scenario_name(sc), (double)fx_scenario_end(sc) / 1000.0);
            for (size_t c = 0; c < fx_scenario_clause_count(sc); c++)
                printf("%s%s", c ? "," : "", fx_scenario_clause(sc, c));
            printf("  %s\n", fx_scenario_description(sc));
        }
        st_library_free(lib);
        return 0;
    }
    if (strcmp(what, "targets") == 0) {
        printf("model:legacy    the reference model, legacy mode (Exchange 5.5 IMS, EnableTTL=0)\n");
        printf("model:ttl       the reference model, TTL mode (EnableTTL=1)\n");
#define HN_LIST_FAULT(sym, bit, name, desc) \
    printf("model:ttl+%-16s deliberate fault: %s\n", name, desc);
        RC_FAULT_LIST(HN_LIST_FAULT)
#undef HN_LIST_FAULT
#define HN_LIST_VARIANT(sym, bit, name, desc) \
    printf("model:ttl+%-16s conformant variant (not a fault): %s\n", name, desc);
        RC_VARIANT_LIST(HN_LIST_VARIANT)
#undef HN_LIST_VARIANT
        printf("driver:CMD      any program speaking harness/PROTOCOL.md, e.g. "
               "driver:mxttl-model-driver\n");
        const char *tdir = hn_path_data(HN_PATH_TARGETS);
        DIR *d = opendir(tdir);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (l > 4 && strcmp(de->d_name + l - 4, ".mta") == 0)
                    printf("smtp:%s/%s\n", tdir, de->d_name);
            }
            closedir(d);
        }
        return 0;
    }
    fprintf(stderr, "mxttl list: unknown list \"%s\" (want clauses, scenarios or targets)\n",
            what);
    return EXIT_USAGE;
}

static int cmd_report(int argc, char **argv)
{
    const char *out = "mxttl-report-merged";
    int shards = 0;
    const char **in = calloc((size_t)argc, sizeof *in);
    size_t n = 0;
    if (!in)
        return EXIT_INFRA;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "mxttl report: --out needs a directory\n");
                free(in);
                return EXIT_USAGE;
            }
            out = argv[++i];
        } else if (strcmp(argv[i], "--shards") == 0) {
            shards = 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "mxttl report: unknown option %s\n", argv[i]);
            free(in);
            return EXIT_USAGE;
        } else {
            in[n++] = argv[i];
        }
    }
    if (n == 0) {
        fprintf(stderr, "mxttl report: name at least one report directory\n");
        free(in);
        return EXIT_USAGE;
    }
    char why[1024] = "";
    enum hn_report_status st = hn_report_merge(in, n, out, shards, why, sizeof why);
    free(in);
    if (st != HN_REPORT_OK) {
        fprintf(stderr, "mxttl report: %s\n", why[0] ? why : hn_report_status_desc(st));
        return st == HN_REPORT_IO || st == HN_REPORT_NOMEM ? EXIT_INFRA : EXIT_USAGE;
    }
    printf("report: %s/report.html\n", out);
    return 0;
}

static int cmd_diff(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "mxttl diff: want OLD NEW (report directories or results.json)\n");
        return EXIT_USAGE;
    }
    char *text = NULL, why[1024] = "";
    int worse = 0;
    enum hn_report_status st = hn_diff_paths(argv[2], argv[3], &text, &worse, why, sizeof why);
    if (st != HN_REPORT_OK) {
        fprintf(stderr, "mxttl diff: %s\n", why[0] ? why : hn_report_status_desc(st));
        return st == HN_REPORT_NOMEM ? EXIT_INFRA : EXIT_USAGE;
    }
    fputs(text, stdout);
    free(text);
    return worse ? EXIT_NONCONFORM : 0;
}

static int cmd_fixture(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "mxttl fixture: want serve SCENARIO (or check FILE...)\n");
        return EXIT_USAGE;
    }
    char **av = calloc((size_t)argc, sizeof *av);
    if (!av)
        return EXIT_INFRA;
    av[0] = "mxttl fixture";
    char path[4096];
    for (int i = 2; i < argc; i++) {
        av[i - 1] = argv[i];
        /* a bare scenario name ("mx-ttl-expiry") means that scenario of the library */
        if (i > 2 && argv[i][0] != '-' && strspn(argv[i], "abcdefghijklmnopqrstuvwxyz0123456789-") ==
                                               strlen(argv[i]) &&
            access(argv[i], F_OK) != 0) {
            snprintf(path, sizeof path, "%s/%s.scn", scenario_dir(NULL), argv[i]);
            if (access(path, R_OK) == 0)
                av[i - 1] = path;
        }
    }
    int rc = fx_cli_main(argc - 1, av, stdout, stderr);
    free(av);
    return rc;
}

struct progress {
    int on;
};

static double mono(void)
{
    return (double)rc_clock_mono_us() / 1e6;
}

static void on_progress(void *ctx, size_t done, size_t total, double left)
{
    struct progress *p = ctx;
    if (!p->on)
        return;
    fprintf(stderr, "\rmxttl: %zu/%zu plays, about %.0f s left   ", done, total, left);
    fflush(stderr);
}

static void print_target(const struct st_target_result *tr)
{
    size_t counts[ST_VERDICT_COUNT];
    st_target_counts(tr, counts);
    printf("\n%s -- judged against %s: %s; class %s (%s)\n", tr->target, tr->spec,
           st_target_conforms(tr) ? "conforms" : "does NOT conform", st_class_str(tr->klass),
           tr->class_reason ? tr->class_reason : "");
    for (size_t i = 0; i < tr->nclauses; i++) {
        const struct st_clause_result *c = &tr->clauses[i];
        const char *col = verdict_colour(c->verdict);
        printf("  %-7s %-6s %s%-10s%s %s\n", c->clause, st_level_str(c->level), col,
               st_verdict_str(c->verdict), *col ? "\033[0m" : "", c->scenario ? c->scenario : "");
        /* the first line of evidence for what needs attention; the report has the rest */
        const char *why = c->verdict == ST_ERROR || c->verdict == ST_NA ||
                                  c->verdict == ST_NOTRUN
                              ? c->note
                          : c->verdict == ST_FAIL || c->verdict == ST_NONSTRICT ? c->observed
                                                                                 : NULL;
        if (why && *why) {
            int len = (int)strcspn(why, "\n");
            printf("          %.*s%s\n", len > 600 ? 600 : len, why,
                   len > 600 || why[len] ? " ..." : "");
        }
    }
    printf("  totals:");
    for (int v = 0; v < ST_VERDICT_COUNT; v++)
        if (counts[v])
            printf(" %zu %s", counts[v], st_verdict_str((enum st_verdict)v));
    printf("\n");
}

/* A target other than the in-process model may ask over TCP: without the loopback capture
 * (no CAP_NET_RAW) those queries would be missing from the log, so say so before the run. */
static void warn_tcp_gap(const char *cmd, const struct hn_target_desc *descs, size_t nt)
{
    char why[300] = "";
    for (size_t t = 0; t < nt; t++)
        if (descs[t].kind != HN_TARGET_MODEL) {
            if (!fx_server_tcp_loggable(why, sizeof why))
                fprintf(stderr,
                        "%s: warning: DNS queries over TCP will not be in the query log (%s): "
                        "what %s asks over TCP would be judged as never asked; run as root\n",
                        cmd, why, descs[t].name);
            return;
        }
}

/* What `mxttl run`'s command line says. */
struct run_opts {
    struct hn_target_desc *descs;   /* nt of them */
    struct st_suite_target *targets;
    const char **clauses;           /* --clause, nc of them (borrowed from argv) */
    size_t nt, nc;
    const char *spec_opt, *report, *dnsmasq, *sdir;
    int virtual_time, time_given;
    unsigned query_timeout;         /* model targets' default unless --query-timeout */
    unsigned jobs;
};

/* Reads one option o with its value v into ro. 0, or -1 (printed: a usage error). */
static int run_option(struct run_opts *ro, const char *o, const char *v)
{
    char *end;
    if (strcmp(o, "--target") == 0) {
        char why[1024] = "";
        if (hn_target_parse(v, &ro->descs[ro->nt], why, sizeof why) != 0) {
            fprintf(stderr, "mxttl run: --target: %s\n", why);
            return -1;
        }
        ro->nt++;
    } else if (strcmp(o, "--spec") == 0) {
        enum st_spec s;
        if (st_spec_from_str(v, &s) != 0) {
            fprintf(stderr, "mxttl run: --spec %s: want legacy or ttl\n", v);
            return -1;
        }
        ro->spec_opt = v;
    } else if (strcmp(o, "--clause") == 0) {
        if (!st_clause_find(v)) {
            fprintf(stderr, "mxttl run: --clause %s: unknown clause (see mxttl list clauses)\n",
                    v);
            return -1;
        }
        ro->clauses[ro->nc++] = v;
    } else if (strcmp(o, "--time") == 0) {
        ro->time_given = 1;
        if (strcmp(v, "virtual") != 0 && strcmp(v, "real") != 0) {
            fprintf(stderr, "mxttl run: --time %s: want virtual or real\n", v);
            return -1;
        }
        ro->virtual_time = strcmp(v, "virtual") == 0;
    } else if (strcmp(o, "--jobs") == 0) {
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 64) {
            fprintf(stderr, "mxttl run: --jobs %s: want 1..64\n", v);
            return -1;
        }
        ro->jobs = (unsigned)n;
    } else if (strcmp(o, "--query-timeout") == 0) {
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 60000) {
            fprintf(stderr, "mxttl run: --query-timeout %s: want 1..60000 (ms)\n", v);
            return -1;
        }
        ro->query_timeout = (unsigned)n;
    } else if (strcmp(o, "--report") == 0) {
        ro->report = v;
    } else if (strcmp(o, "--dnsmasq") == 0) {
        if (access(v, X_OK) != 0) {
            fprintf(stderr, "mxttl run: --dnsmasq %s: not an executable file\n", v);
            return -1;
        }
        ro->dnsmasq = v;
    } else {
        if (!is_dir(v)) {
            fprintf(stderr, "mxttl run: --scenarios %s: not a directory\n", v);
            return -1;
        }
        ro->sdir = v;
    }
    return 0;
}

/* Reads argv[2..] into ro, then fills in the defaults: both models (with the embedded run's
 * query timeout), real time for MTAs. 0, or -1 (printed: a usage error). */
static int run_parse(struct run_opts *ro, int argc, char **argv)
{
    static const char *const takes[] = {"--target", "--spec",    "--clause",
                                        "--time",   "--jobs",    "--report",
                                        "--dnsmasq", "--scenarios", "--query-timeout"};
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int known = 0;
        for (size_t k = 0; k < sizeof takes / sizeof takes[0]; k++)
            known |= strcmp(o, takes[k]) == 0;
        if (!known) {
            fprintf(stderr, "mxttl run: unknown option \"%s\"\n", o);
            usage(stderr);
            return -1;
        }
        if (!v) {
            fprintf(stderr, "mxttl run: %s needs a value\n", o);
            return -1;
        }
        i++;
        if (run_option(ro, o, v) != 0)
            return -1;
    }
    if (ro->nt == 0) {
        char why[1024];
        hn_target_parse("model:legacy", &ro->descs[ro->nt++], why, sizeof why);
        hn_target_parse("model:ttl", &ro->descs[ro->nt++], why, sizeof why);
        /* the embedded default's fixture is on loopback: an unanswered query is known sooner
         * than the model's default allows for (the timeout scenario waits on one twice) */
        if (ro->query_timeout == 0)
            ro->query_timeout = HN_DEFAULT_RUN_QUERY_TIMEOUT_MS;
    }
    for (size_t t = 0; t < ro->nt; t++)
        ro->descs[t].query_timeout_ms = ro->query_timeout;
    /* MTAs run on the wall clock only: without --time, a run with one is a real-time run */
    for (size_t t = 0; t < ro->nt && !ro->time_given; t++)
        if (ro->descs[t].kind == HN_TARGET_SMTP) {
            ro->virtual_time = 0;
            fprintf(stderr, "mxttl run: %s runs on the wall clock: real time\n",
                    ro->descs[t].name);
            break;
        }
    return 0;
}

/* Each target's suite entry and spec (a driver is started to read its greeting), and a check
 * that some --clause applies to each. 0, or the exit status when one fails (printed). */
static int run_targets(struct run_opts *ro)
{
    char why[1024];
    for (size_t t = 0; t < ro->nt; t++) {
        struct st_suite_target *st = &ro->targets[t];
        st->name = ro->descs[t].name;
        st->make = hn_target_make;
        st->ctx = &ro->descs[t];
        if (ro->spec_opt) {
            st_spec_from_str(ro->spec_opt, &st->spec);
        } else if (hn_target_default_spec(&ro->descs[t], &st->spec, why, sizeof why) != 0) {
            fprintf(stderr, "mxttl run: target %s: %s\n", ro->descs[t].name, why);
            return EXIT_INFRA;
        }
    }
    for (size_t t = 0; t < ro->nt && ro->nc > 0; t++) {
        size_t applies = 0;
        for (size_t c = 0; c < ro->nc; c++)
            applies += (size_t)st_clause_applies(st_clause_find(ro->clauses[c]),
                                                 ro->targets[t].spec);
        if (applies == 0) {
            fprintf(stderr, "mxttl run: no --clause given applies to %s, judged against %s "
                            "(choose the spec with --spec)\n", ro->descs[t].name,
                    st_spec_str(ro->targets[t].spec));
            return EXIT_USAGE;
        }
    }
    return 0;
}

/* The report's run: start time, version and the command line. NULL when out of memory.
 * Caller frees with st_run_free. */
static struct st_run *run_new(int argc, char **argv)
{
    struct st_run *run = st_run_new();
    if (!run)
        return NULL;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    st_set_str(&run->started, stamp);
    st_set_str(&run->mxttl_version, MXTTL_VERSION);
    char cmd[2048] = "mxttl";
    for (int i = 1; i < argc; i++) {
        size_t l = strlen(cmd);
        snprintf(cmd + l, sizeof cmd - l, " %s", argv[i]);
    }
    st_set_str(&run->command, cmd);
    return run;
}

/* After the plays: writes the report, prints each target's verdicts, and returns the exit
 * status. */
static int run_report(const struct run_opts *ro, struct st_run *run)
{
    char why[1024] = "";
    if (stop_flag)
        run->incomplete = 1;
    enum hn_report_status rs = hn_report_write_dir(run, ro->report, HN_REPORT_FMT_ALL, why,
                                                   sizeof why);
    int any_error = 0, any_fail = 0;
    for (size_t t = 0; t < run->ntargets; t++) {
        print_target(&run->targets[t]);
        size_t counts[ST_VERDICT_COUNT];
        st_target_counts(&run->targets[t], counts);
        any_error |= counts[ST_ERROR] > 0;
        any_fail |= counts[ST_FAIL] > 0;
    }
    printf("\n%s time, %.2f s%s\n", ro->virtual_time ? "virtual" : "real", run->seconds,
           run->incomplete ? ", INCOMPLETE (interrupted)" : "");
    if (rs != HN_REPORT_OK) {
        fprintf(stderr, "mxttl run: report not written: %s\n", why);
        return EXIT_INFRA;
    }
    printf("report: %s/report.html (also results.json, junit.xml, report.md)\n", ro->report);
    if (stop_flag) {
        fprintf(stderr, "mxttl run: interrupted; partial report written\n");
        return EXIT_INFRA;
    }
    if (any_error)
        return EXIT_INFRA;
    return any_fail ? EXIT_NONCONFORM : EXIT_CONFORMS;
}

/* Plays the library against ro's targets into a new run, then reports. Returns the exit
 * status. */
static int run_play(const struct run_opts *ro, const struct st_library *lib, int argc,
                    char **argv)
{
    char why[1024] = "";
    struct st_run *run = run_new(argc, argv);
    if (!run)
        return EXIT_INFRA;
    struct progress pr = {.on = !ro->virtual_time && isatty(2)};
    struct st_suite_config cfg;
    st_suite_config_init(&cfg);
    cfg.dnsmasq = ro->dnsmasq;
    cfg.virtual_time = ro->virtual_time;
    cfg.clauses = ro->clauses;
    cfg.nclauses = ro->nc;
    cfg.jobs = ro->jobs;
    cfg.stop = &stop_flag;
    cfg.progress = on_progress;
    cfg.progress_ctx = &pr;
    double t0 = mono();
    enum st_status st = st_suite_run(&cfg, lib, ro->targets, ro->nt, run, why, sizeof why);
    run->seconds = mono() - t0;
    if (pr.on)
        fprintf(stderr, "\r%60s\r", "");
    int rc;
    if (st == ST_USAGE || st == ST_NOMEM) {
        fprintf(stderr, "mxttl run: %s\n", why);
        rc = st == ST_USAGE ? EXIT_USAGE : EXIT_INFRA;
    } else {
        rc = run_report(ro, run);
    }
    st_run_free(run);
    return rc;
}

static int cmd_run(int argc, char **argv)
{
    struct run_opts ro = {
        .descs = calloc((size_t)argc + 2, sizeof *ro.descs),
        .targets = calloc((size_t)argc + 2, sizeof *ro.targets),
        .clauses = calloc((size_t)argc, sizeof *ro.clauses),
        .report = "mxttl-report",
        .virtual_time = 1,
        .jobs = 8,   /* plays mostly wait on dnsmasq and the network */
    };
    struct st_library *lib = NULL;
    int rc = EXIT_USAGE;
    if (!ro.descs || !ro.clauses || !ro.targets) {
        rc = EXIT_INFRA;
    } else if (run_parse(&ro, argc, argv) == 0 &&
               load_library(scenario_dir(ro.sdir), &lib) == 0) {
        warn_tcp_gap("mxttl run", ro.descs, ro.nt);
        rc = run_targets(&ro);
        if (rc == 0) {
            install_signal_handler();
            rc = run_play(&ro, lib, argc, argv);
        }
    }
    st_library_free(lib);
    free(ro.descs);
    free(ro.clauses);
    free(ro.targets);
    return rc;
}

int main(int argc, char **argv)
{
    /* A reader that goes away (mxttl run | head) must not kill us before the clean-up of
     * plays, fixtures and namespaces: writes fail with EPIPE instead. fx_proc gives children
     * the default back. */
    signal(SIGPIPE, SIG_IGN);
    colour_init();
    if (argc < 2) {
        /* the embedded default: both model modes, virtual time, ./mxttl-report */
        char *av[] = {argv[0], "run", NULL};
        return cmd_run(2, av);
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("mxttl %s\n", MXTTL_VERSION);
        return 0;
    }
    /* COMMAND --help (or -h) anywhere among its arguments: that command's usage, exit 0 */
    const struct command_help *h = command_find(cmd);
    for (int i = 2; h && i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            command_usage(h, stdout);
            return 0;
        }
    if (strcmp(cmd, "help") == 0)
        return cmd_help(argc, argv);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc, argv);
    if (strcmp(cmd, "explore") == 0) {
        install_signal_handler();
        return hn_explore_main(argc, argv, &stop_flag);
    }
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc, argv);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc, argv);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(argc, argv);
    if (strcmp(cmd, "fixture") == 0)
        return cmd_fixture(argc, argv);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "mxttl: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
