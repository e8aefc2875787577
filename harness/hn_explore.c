/*
 * hn_explore: the `mxttl explore` command. Worker threads take scenario indices in order,
 * generate each scenario from (seed, index) and play it against every target, each play on a
 * fixture of its own, judging every clause of the target's spec with the judges of
 * `mxttl run`. For each (target, clause)
 * the FAIL of the lowest index is kept, so that the findings do not depend on --jobs; when
 * generating ends, each is shrunk, written to DIR/minimal/, and replayed once more for the
 * report's evidence and timeline.
 */
#define _GNU_SOURCE
#include "hn_explore.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fx_server.h"
#include "hn_report.h"
#include "hn_target.h"
#include "st_clause.h"
#include "st_gen.h"
#include "st_result.h"
#include "st_shrink.h"
#include "rc_clock.h"

#ifndef MXTTL_VERSION
#define MXTTL_VERSION "0"
#endif

enum { XS_OK = 0, XS_FAIL = 1, XS_USAGE = 2, XS_INFRA = 3 };
#define DEFAULT_COUNT 500

struct xtarget {
    struct hn_target_desc desc;
    struct st_suite_target st;
    enum st_verdict agg[ST_CLAUSE_COUNT];   /* worst verdict other than FAIL/ERROR */
    size_t judged[ST_CLAUSE_COUNT];         /* scenarios that judged the clause */
    size_t fails[ST_CLAUSE_COUNT];          /* scenarios that FAILed it */
    uint64_t first[ST_CLAUSE_COUNT];        /* lowest index that FAILed it */
    char *text[ST_CLAUSE_COUNT];            /* ... its scenario text */
    char *min[ST_CLAUSE_COUNT];             /* ... shrunk (NULL: lost) */
    struct st_shrink_stats ss[ST_CLAUSE_COUNT];
};

struct explore {
    struct xtarget *t;
    size_t nt;
    uint64_t seed;
    uint64_t count;        /* 0: until the deadline */
    double deadline;       /* monotonic seconds; 0: none */
    int virtual_time;
    const char *dnsmasq;
    const char *emit;      /* --emit DIR: write the scenarios there, play nothing */
    int only;              /* --clause given: judge only the clauses marked in on[] */
    unsigned char on[ST_CLAUSE_COUNT];
    struct st_gen_config gcfg;
    pthread_mutex_t mu;
    uint64_t next, done, cases, errors, judge_errors, found, flaky;
    char first_flaky[400];
    size_t shrink_next;    /* next (target, clause) pair to shrink, as t * COUNT + c */
    char first_error[1400];
    const volatile sig_atomic_t *stop; /* set by mxttl's signal handler: wind down */
};

static double mono(void)
{
    return (double)rc_clock_mono_us() / 1e6;
}

static int worse(enum st_verdict a, enum st_verdict b)
{
    static const int rank[ST_VERDICT_COUNT] = {[ST_NA] = 0, [ST_PASS] = 1, [ST_INFO] = 1,
                                               [ST_NONSTRICT] = 2, [ST_FAIL] = 3,
                                               [ST_ERROR] = 4};
    return rank[b] > rank[a];
}

/* Cases in a generated scenario (for the rate): the capacity scenarios hold one. */
static unsigned cases_of(const struct fx_scenario *sc, unsigned cases)
{
    return fx_scenario_capacity(sc) ? 1 : cases;
}

static void note_error(struct explore *x, const char *what, const char *why)
{
    pthread_mutex_lock(&x->mu);
    x->errors++;
    if (!x->first_error[0])
        snprintf(x->first_error, sizeof x->first_error, "%.200s: %.1000s", what, why);
    pthread_mutex_unlock(&x->mu);
}

/* Records what one probe of scenario idx judged. */
static void record(struct explore *x, struct xtarget *t, uint64_t idx, const char *text,
                   const struct st_probe *pr)
{
    pthread_mutex_lock(&x->mu);
    for (size_t c = 0; c < ST_CLAUSE_COUNT; c++) {
        enum st_verdict v = pr->verdict[c];
        if (v == ST_NA || (x->only && !x->on[c]))
            continue;
        t->judged[c]++;
        if (v == ST_ERROR) {
            x->judge_errors++;
            if (!x->first_error[0])
                snprintf(x->first_error, sizeof x->first_error,
                         "%s, generated scenario %llu: %s ERROR: %s", t->desc.name,
                         (unsigned long long)idx, st_clause_at(c)->id,
                         pr->cr[c].note ? pr->cr[c].note : "");
        } else if (v == ST_FAIL) {
            if (!t->fails[c])
                x->found++;
            t->fails[c]++;
            if (!t->text[c] || idx < t->first[c]) {
                char *copy = strdup(text);
                if (copy) {
                    free(t->text[c]);
                    t->text[c] = copy;
                    t->first[c] = idx;
                }
            }
        } else if (worse(t->agg[c], v)) {
            t->agg[c] = v;
        }
    }
    pthread_mutex_unlock(&x->mu);
}

static void play_one(struct explore *x, uint64_t idx)
{
    char name[64], fname[80], why[1024] = "";
    snprintf(name, sizeof name, "explore-%llu", (unsigned long long)idx);
    snprintf(fname, sizeof fname, "%s.scn", name);
    char *text = st_gen_scenario(x->seed, idx, &x->gcfg, name);
    if (!text) {
        note_error(x, name, "out of memory");
        return;
    }
    if (x->emit) {
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/%s", x->emit, fname);
        FILE *f = n > 0 && (size_t)n < sizeof path ? fopen(path, "w") : NULL;
        if (!f || fputs(text, f) == EOF || fclose(f) != 0)
            note_error(x, x->emit, "cannot write a scenario file there");
        pthread_mutex_lock(&x->mu);
        x->done++;
        pthread_mutex_unlock(&x->mu);
        free(text);
        return;
    }
    struct fx_scenario *sc = NULL;
    if (fx_scenario_parse(&sc, text, strlen(text), fname, why, sizeof why) != FX_OK) {
        /* a generator bug: say so loudly, with the text's place */
        note_error(x, "generator produced an invalid scenario", why);
        free(text);
        return;
    }
    /* Each play on a fixture of its own: a fixture shared between the targets' plays of a
     * multi-step scenario (or reused for the next scenario with fx_server_load) gave FAILs
     * that did not reproduce on a fresh fixture (model:ttl TTL-3, COM-1, COM-3, COM-4, COM-8;
     * model:legacy COM-3, COM-4; seed 20261207), so plays are kept independent. */
    for (size_t i = 0; i < x->nt && !*x->stop; i++) {
        struct xtarget *t = &x->t[i];
        struct st_probe pr;
        st_probe_run(&pr, sc, &t->st, t->st.spec, x->virtual_time, x->dnsmasq, NULL,
                     x->stop, NULL);
        /* again on a fixture of its own: on a busy host a fixture start can fail (a picked
         * port taken by someone else's TCP connection) */
        for (int again = 0; again < 3 && pr.error && !*x->stop; again++) {
            st_probe_clear(&pr);
            struct timespec ts = {0, (again + 1) * 100L * 1000 * 1000};
            nanosleep(&ts, NULL);
            st_probe_run(&pr, sc, &t->st, t->st.spec, x->virtual_time, x->dnsmasq, NULL,
                         x->stop, NULL);
        }
        /* A FAIL counts only if it comes back when the scenario is played again: on a
         * loaded host a target's DNS timeout (the model waits 400 ms) can turn a late answer
         * into a temporary failure once. One that does not come back is counted as flaky. */
        int any_fail = 0;
        for (size_t c = 0; !pr.error && !pr.stopped && c < ST_CLAUSE_COUNT; c++)
            any_fail |= pr.verdict[c] == ST_FAIL && (!x->only || x->on[c]);
        if (any_fail && !*x->stop) {
            struct st_probe again;
            st_probe_run(&again, sc, &t->st, t->st.spec, x->virtual_time, x->dnsmasq, NULL,
                         x->stop, NULL);
            for (size_t c = 0; !again.error && !again.stopped && c < ST_CLAUSE_COUNT; c++)
                if (pr.verdict[c] == ST_FAIL && again.verdict[c] != ST_FAIL) {
                    pr.verdict[c] = ST_PASS;
                    pthread_mutex_lock(&x->mu);
                    x->flaky++;
                    if (!x->first_flaky[0])
                        snprintf(x->first_flaky, sizeof x->first_flaky,
                                 "%.300s %s in generated scenario %llu", t->desc.name,
                                 st_clause_at(c)->id, (unsigned long long)idx);
                    pthread_mutex_unlock(&x->mu);
                }
            st_probe_clear(&again);
        }
        if (pr.error)
            note_error(x, t->desc.name, pr.why);
        else if (!pr.stopped)
            record(x, t, idx, text, &pr);
        st_probe_clear(&pr);
    }
    pthread_mutex_lock(&x->mu);
    if (!*x->stop) {
        x->done++;
        x->cases += cases_of(sc, x->gcfg.cases);
    }
    pthread_mutex_unlock(&x->mu);
    fx_scenario_free(sc);
    free(text);
}

static void *worker(void *arg)
{
    struct explore *x = arg;
    for (;;) {
        pthread_mutex_lock(&x->mu);
        int more = !*x->stop && (x->count ? x->next < x->count : mono() < x->deadline);
        uint64_t idx = x->next;
        if (more)
            x->next++;
        pthread_mutex_unlock(&x->mu);
        if (!more)
            return NULL;
        play_one(x, idx);
    }
}

/* "30", "30s", "10m", "2h" -> seconds; -1 if not a duration. */
static double parse_duration(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v <= 0)
        return -1;
    if (*end == '\0' || strcmp(end, "s") == 0)
        return v;
    if (strcmp(end, "m") == 0)
        return v * 60;
    if (strcmp(end, "h") == 0)
        return v * 3600;
    return -1;
}

/* A target name as a file name: lower case, [a-z0-9] kept, runs of anything else one '-'. */
static void safe_name(char *out, size_t len, const char *target, const char *clause)
{
    size_t k = 0;
    int dash = 0;
    for (const char *p = target; *p && k + 1 < len && k < 80; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out[k++] = c;
            dash = 0;
        } else if (!dash && k > 0) {
            out[k++] = '-';
            dash = 1;
        }
    }
    if (k > 0 && out[k - 1] == '-')
        k--;
    out[k] = '\0';
    char cl[16];
    size_t j = 0;
    for (; clause[j] && j + 1 < sizeof cl; j++)
        cl[j] = (char)(clause[j] >= 'A' && clause[j] <= 'Z' ? clause[j] - 'A' + 'a' : clause[j]);
    cl[j] = '\0';
    snprintf(out + k, len - k, "%s%s", k ? "-" : "", cl);
}

/* The target as one shell word. */
static void shell_word(char *out, size_t len, const char *s)
{
    if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:+,./_-=") ==
        strlen(s)) {
        snprintf(out, len, "%s", s);
        return;
    }
    size_t k = 0;
    out[k++] = '\'';
    for (; *s && k + 6 < len; s++) {
        if (*s == '\'') {
            memcpy(out + k, "'\\''", 4);
            k += 4;
        } else {
            out[k++] = *s;
        }
    }
    out[k++] = '\'';
    out[k] = '\0';
}

static int mkdir_p(const char *dir)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Old minimal scenarios would be replayed with the new ones: remove them (only *.scn). */
static void clear_minimal(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char path[4096];
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".scn") == 0) {
            int n = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            if (n > 0 && (size_t)n < sizeof path)
                unlink(path);
        }
    }
    closedir(d);
}

/* Shrinks the findings, --jobs at a time: each (target, clause) with a FAIL. */
static void *shrinker(void *arg)
{
    struct explore *x = arg;
    for (;;) {
        pthread_mutex_lock(&x->mu);
        size_t k = x->shrink_next++;
        pthread_mutex_unlock(&x->mu);
        if (k >= x->nt * ST_CLAUSE_COUNT || *x->stop)
            return NULL;
        struct xtarget *t = &x->t[k / ST_CLAUSE_COUNT];
        size_t c = k % ST_CLAUSE_COUNT;
        if (!t->fails[c])
            continue;
        const struct st_clause *cl = st_clause_at(c);
        char base[128];
        safe_name(base, sizeof base, t->desc.name, cl->id);
        struct st_shrink_goal goal = {.target = &t->st,
                                      .spec = t->st.spec,
                                      .clause = cl,
                                      .virtual_time = x->virtual_time,
                                      .dnsmasq = x->dnsmasq,
                                      .stop = x->stop,
                                      .max_tries = x->virtual_time ? 600 : 60};
        t->min[c] = st_shrink(t->text[c], base, &goal, &t->ss[c]);
    }
}

/* Writes and replays one shrunk finding; fills its clause result cr. 0, or -1 (the shrinker
 * lost the FAIL or the file could not be written: *why). */
static int finish_finding(struct explore *x, struct xtarget *t, size_t c, const char *mindir,
                          const char *report, struct st_run *run, struct st_clause_result *cr,
                          char *why, size_t whylen)
{
    const struct st_clause *cl = st_clause_at(c);
    char base[128], path[4096], tword[2200];
    safe_name(base, sizeof base, t->desc.name, cl->id);
    int pn = snprintf(path, sizeof path, "%s/%s.scn", mindir, base);
    if (pn < 0 || (size_t)pn >= sizeof path) {
        snprintf(why, whylen, "--report: directory name too long");
        return -1;
    }
    shell_word(tword, sizeof tword, t->desc.name);
    if (t->desc.kind == HN_TARGET_MODEL && t->desc.query_timeout_ms) {
        /* the replay waits for DNS as the play that found it did */
        size_t tl = strlen(tword);
        snprintf(tword + tl, sizeof tword - tl, " --query-timeout %u", t->desc.query_timeout_ms);
    }
    const struct st_shrink_stats ss = t->ss[c];
    const char *min = t->min[c];
    if (!min) {
        snprintf(why, whylen, "%s %s: the FAIL of generated scenario %llu did not reproduce "
                              "when shrinking (%u plays, %u broke)", t->desc.name, cl->id,
                 (unsigned long long)t->first[c], ss.tries, ss.errors);
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(why, whylen, "%.1000s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "# Found by mxttl explore --seed %llu (generated scenario %llu, %s time); "
               "shrunk in %u plays.\n# Replay: mxttl run --scenarios %s --target %s\n%s",
            (unsigned long long)x->seed, (unsigned long long)t->first[c],
            x->virtual_time ? "virtual" : "real", ss.tries, mindir, tword, min);
    int bad = fclose(f) != 0;
    if (bad) {
        snprintf(why, whylen, "%.1000s: cannot write", path);
        return -1;
    }
    /* replay the file itself: what a user will replay */
    struct fx_scenario *sc = NULL;
    char pwhy[512] = "";
    struct st_probe pr;
    memset(&pr, 0, sizeof pr);
    if (fx_scenario_load(&sc, path, pwhy, sizeof pwhy) == FX_OK) {
        st_probe_run(&pr, sc, &t->st, t->st.spec, x->virtual_time, x->dnsmasq, NULL,
                     x->stop, run);
        for (int again = 0; again < 3 && pr.error && !*x->stop; again++) {
            st_probe_clear(&pr);
            st_probe_run(&pr, sc, &t->st, t->st.spec, x->virtual_time, x->dnsmasq, NULL,
                         x->stop, run);
        }
    } else
        snprintf(pr.why, sizeof pr.why, "%s", pwhy), pr.error = 1;
    fx_scenario_free(sc);
    size_t lines = st_shrink_count_lines(min);
    cr->verdict = pr.error ? ST_ERROR : pr.verdict[c];
    st_set_str(&cr->scenario, base);
    if (!pr.error && pr.cr[c].expected)
        st_set_str(&cr->expected, pr.cr[c].expected);
    if (!pr.error && pr.cr[c].observed)
        st_set_str(&cr->observed, pr.cr[c].observed);
    st_set_fmt(&cr->note,
               "explore --seed %llu: FAILed in %zu of %zu generated scenarios judging it "
               "(first: scenario %llu); minimal scenario %s (%zu lines, %u plays to shrink); "
               "replay: mxttl run --scenarios %s --target %s%s%s",
               (unsigned long long)x->seed, t->fails[c], t->judged[c],
               (unsigned long long)t->first[c], path, lines, ss.tries, mindir, tword,
               pr.error ? "; the replay broke: " : "", pr.error ? pr.why : "");
    (void)report;
    st_probe_clear(&pr);
    return 0;
}

static void progress(struct explore *x, double t0, int final)
{
    pthread_mutex_lock(&x->mu);
    double el = mono() - t0;
    fprintf(stderr, "\rmxttl explore: %llu scenarios (%llu cases), %llu FAIL%s found, "
                    "%.1f scenarios/s   %s",
            (unsigned long long)x->done, (unsigned long long)x->cases,
            (unsigned long long)x->found, x->found == 1 ? "" : "s",
            el > 0 ? (double)x->done / el : 0.0, final ? "\n" : "");
    pthread_mutex_unlock(&x->mu);
    fflush(stderr);
}

static int usage_error(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "mxttl explore: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\nusage: " HN_EXPLORE_SYNOPSIS "\n");
    return XS_USAGE;
}

/* What the command line said beyond struct explore's fields. */
struct xopts {
    const char *spec_opt;   /* --spec, NULL: each target's own */
    const char *report;     /* --report DIR */
    int seed_given, time_given, cases_given;
    double dur;             /* --for, seconds; 0: --count */
    unsigned jobs;          /* --jobs, 0: the default for the time mode */
    unsigned query_timeout; /* --query-timeout MS, 0: the default for the time mode */
};

/* Reads one option o with its value v into x and xo. 0, or XS_USAGE (printed). */
static int parse_option(struct explore *x, struct xopts *xo, const char *o, const char *v)
{
    char *end;
    if (strcmp(o, "--target") == 0) {
        char why[1400] = "";
        if (hn_target_parse(v, &x->t[x->nt].desc, why, sizeof why) != 0)
            return usage_error("--target: %s%s", why, "");
        x->nt++;
    } else if (strcmp(o, "--spec") == 0) {
        enum st_spec s;
        if (st_spec_from_str(v, &s) != 0)
            return usage_error("--spec %s: want legacy or ttl%s", v, "");
        xo->spec_opt = v;
    } else if (strcmp(o, "--seed") == 0) {
        errno = 0;
        x->seed = strtoull(v, &end, 0);
        if (errno || *end || v[0] == '-' || !v[0])
            return usage_error("--seed %s: want a number (decimal or 0x hex)%s", v, "");
        xo->seed_given = 1;
    } else if (strcmp(o, "--count") == 0) {
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (errno || *end || v[0] == '-' || n < 1 || n > 1000000000ull)
            return usage_error("--count %s: want 1..1000000000%s", v, "");
        x->count = n;
    } else if (strcmp(o, "--for") == 0) {
        xo->dur = parse_duration(v);
        if (xo->dur <= 0)
            return usage_error("--for %s: want a duration such as 60s, 10m or 1h%s", v, "");
    } else if (strcmp(o, "--time") == 0) {
        xo->time_given = 1;
        if (strcmp(v, "virtual") != 0 && strcmp(v, "real") != 0)
            return usage_error("--time %s: want virtual or real%s", v, "");
        x->virtual_time = strcmp(v, "virtual") == 0;
    } else if (strcmp(o, "--jobs") == 0 || strcmp(o, "--cases") == 0) {
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 64)
            return usage_error("%s %s: want 1..64", o, v);
        if (o[2] == 'j') {
            xo->jobs = (unsigned)n;
        } else {
            x->gcfg.cases = (unsigned)n;
            xo->cases_given = 1;
        }
    } else if (strcmp(o, "--query-timeout") == 0) {
        long n = strtol(v, &end, 10);
        if (*end || n < 1 || n > 60000)
            return usage_error("--query-timeout %s: want 1..60000 (ms)%s", v, "");
        xo->query_timeout = (unsigned)n;
    } else if (strcmp(o, "--clause") == 0) {
        const struct st_clause *cl = st_clause_find(v);
        if (!cl)
            return usage_error("--clause %s: unknown clause (see mxttl list clauses)%s", v, "");
        x->on[cl->sym] = 1;
        x->only = 1;
    } else if (strcmp(o, "--report") == 0) {
        xo->report = v;
    } else if (strcmp(o, "--emit") == 0) {
        if (mkdir_p(v) != 0)
            return usage_error("--emit %s: cannot create the directory%s", v, "");
        x->emit = v;
    } else {
        if (access(v, X_OK) != 0)
            return usage_error("--dnsmasq %s: not an executable file%s", v, "");
        x->dnsmasq = v;
    }
    return 0;
}

/* Reads argv[2..] into x and xo. 0, or XS_USAGE (printed). */
static int parse_options(struct explore *x, struct xopts *xo, int argc, char **argv)
{
    static const char *const takes[] = {"--target", "--spec",   "--seed",    "--count",
                                        "--for",    "--time",   "--jobs",    "--report",
                                        "--dnsmasq", "--cases", "--emit",    "--clause",
                                        "--query-timeout"};
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int known = 0;
        for (size_t k = 0; k < sizeof takes / sizeof takes[0]; k++)
            known |= strcmp(o, takes[k]) == 0;
        if (!known)
            return usage_error("unknown option \"%s\"%s", o, "");
        if (!v)
            return usage_error("%s needs a value%s", o, "");
        i++;
        int rc = parse_option(x, xo, o, v);
        if (rc != 0)
            return rc;
    }
    if (x->count && xo->dur > 0)
        return usage_error("--count and --for exclude each other%s%s", "", "");
    return 0;
}

/* Fills in what the options left open: count, targets, time mode, cases, jobs, seed, and each
 * target's spec (a driver is started to read its greeting). 0, or XS_INFRA (printed). */
static int settle(struct explore *x, struct xopts *xo)
{
    char why[1400] = "";
    if (!x->count && xo->dur <= 0)
        x->count = DEFAULT_COUNT;
    if (x->nt == 0) {
        hn_target_parse("model:legacy", &x->t[x->nt++].desc, why, sizeof why);
        hn_target_parse("model:ttl", &x->t[x->nt++].desc, why, sizeof why);
    }
    for (size_t i = 0; i < x->nt && !xo->time_given; i++)
        if (x->t[i].desc.kind == HN_TARGET_SMTP) {
            x->virtual_time = 0;
            fprintf(stderr, "mxttl explore: %s runs on the wall clock: real time\n",
                    x->t[i].desc.name);
            break;
        }
    x->gcfg.real_time = !x->virtual_time;
    if (!xo->cases_given)
        x->gcfg.cases = x->virtual_time ? 32 : 4;
    if (!xo->jobs)   /* virtual time too: plays wait for timeouts as much as they compute */
        xo->jobs = 8;
    if (!xo->seed_given)
        x->seed = st_gen_fresh_seed();
    /* 400 ms, not the embedded run's 150: with 8 plays at once on a small machine a 150 ms wait
     * let late answers through as FAILs that the shrinker then could not reproduce (ERROR,
     * exit 3; seen twice in 10,000 scenarios and once in a 60 s run). */
    if (!xo->query_timeout && x->virtual_time)
        xo->query_timeout = HN_EXPLORE_QUERY_TIMEOUT_MS;
    for (size_t i = 0; i < x->nt; i++) {
        struct xtarget *t = &x->t[i];
        if (t->desc.kind == HN_TARGET_MODEL && xo->query_timeout)
            t->desc.query_timeout_ms = xo->query_timeout;
        t->st.name = t->desc.name;
        t->st.make = hn_target_make;
        t->st.ctx = &t->desc;
        if (xo->spec_opt) {
            st_spec_from_str(xo->spec_opt, &t->st.spec);
        } else if (hn_target_default_spec(&t->desc, &t->st.spec, why, sizeof why) != 0) {
            fprintf(stderr, "mxttl explore: target %s: %s\n", t->desc.name, why);
            return XS_INFRA;
        }
    }
    return 0;
}

/* Runs fn on x in `jobs` threads and waits for them; while they run, shows progress on a
 * terminal (generating) until the count, the deadline or the stop flag ends it. -1 when no
 * thread could be made. */
static int run_threads(struct explore *x, void *(*fn)(void *), unsigned jobs, double t0,
                       int show)
{
    pthread_t *th = calloc(jobs, sizeof *th);
    if (!th)
        return -1;
    unsigned started = 0;
    for (unsigned j = 0; j < jobs; j++)
        if (pthread_create(&th[j], NULL, fn, x) == 0)
            started++;
    for (;;) {
        pthread_mutex_lock(&x->mu);
        int over = !show || *x->stop || (x->count ? x->next >= x->count : mono() >= x->deadline);
        pthread_mutex_unlock(&x->mu);
        if (over)
            break;
        progress(x, t0, 0);
        struct timespec ts = {0, 250L * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    for (unsigned j = 0; j < started; j++)
        pthread_join(th[j], NULL);
    free(th);
    return started ? 0 : -1;
}

/* The report's run: start time, version, the command that replays it (with the seed). NULL
 * when out of memory. Caller frees with st_run_free. */
static struct st_run *new_run(const struct explore *x, int argc, char **argv)
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
    char cmd[4096];
    int n = snprintf(cmd, sizeof cmd, "mxttl explore --seed %llu", (unsigned long long)x->seed);
    for (int i = 2; i < argc && n > 0 && (size_t)n < sizeof cmd; i++) {
        if (strcmp(argv[i], "--seed") == 0) {
            i++;
            continue;
        }
        n += snprintf(cmd + n, sizeof cmd - (size_t)n, " %s", argv[i]);
    }
    st_set_str(&run->command, cmd);
    st_set_str(&run->time_mode, x->virtual_time ? "virtual" : "real");
    return run;
}

/* One clause result per (target, applicable clause): a shrunk, written and replayed finding,
 * or the worst other verdict over the generated scenarios. 0, or -1 out of memory; *any_fail
 * and *lost (a finding the shrinker could not reproduce or write) set when so. */
static int add_results(struct explore *x, struct st_run *run, const char *mindir,
                       const char *report, int *any_fail, int *lost)
{
    for (size_t i = 0; i < x->nt; i++) {
        struct xtarget *t = &x->t[i];
        struct st_target_result *tr =
            st_run_add_target(run, t->desc.name, st_spec_str(t->st.spec));
        if (!tr)
            return -1;
        for (size_t c = 0; c < ST_CLAUSE_COUNT; c++) {
            const struct st_clause *cl = st_clause_at(c);
            if (!st_clause_applies(cl, t->st.spec) || (x->only && !x->on[c]))
                continue;
            struct st_clause_result *cr =
                st_target_add_clause(tr, cl->id, cl->level, ST_NA, cl->sentence);
            if (!cr)
                return -1;
            double c0 = mono();
            if (t->fails[c] && !*x->stop) {
                char fwhy[1400] = "";
                if (finish_finding(x, t, c, mindir, report, run, cr, fwhy, sizeof fwhy) != 0) {
                    cr->verdict = ST_ERROR;
                    st_set_str(&cr->note, fwhy);
                    *lost = 1;
                } else if (cr->verdict == ST_FAIL) {
                    *any_fail = 1;
                }
            } else {
                cr->verdict = t->judged[c] ? t->agg[c] : ST_NA;
                st_set_fmt(&cr->scenario, "generated (%llu scenarios)",
                           (unsigned long long)x->done);
                st_set_fmt(&cr->note, "explore --seed %llu: judged in %zu of %llu generated "
                                      "scenarios, no FAIL%s",
                           (unsigned long long)x->seed, t->judged[c],
                           (unsigned long long)x->done,
                           t->judged[c] ? "" : " (no generated scenario exercised it)");
            }
            cr->seconds = mono() - c0;
        }
    }
    return 0;
}

/* The findings on stdout (each target's FAILs and ERRORs with a line of evidence), flaky
 * FAILs and broken plays on stderr. */
static void print_findings(const struct explore *x, const struct st_run *run, double gen_s)
{
    printf("mxttl explore: %llu scenarios (%llu cases) in %.1f s: %.1f scenarios/s, %.1f "
           "cases/s\n",
           (unsigned long long)x->done, (unsigned long long)x->cases, gen_s,
           gen_s > 0 ? (double)x->done / gen_s : 0.0,
           gen_s > 0 ? (double)x->cases / gen_s : 0.0);
    for (size_t i = 0; i < run->ntargets; i++) {
        const struct st_target_result *tr = &run->targets[i];
        size_t nf = 0;
        for (size_t c = 0; c < tr->nclauses; c++)
            nf += tr->clauses[c].verdict == ST_FAIL || tr->clauses[c].verdict == ST_ERROR;
        printf("%s -- judged against %s: %s\n", tr->target, tr->spec,
               nf ? "FAILs found" : "no FAIL found");
        for (size_t c = 0; c < tr->nclauses; c++) {
            const struct st_clause_result *cr = &tr->clauses[c];
            if (cr->verdict != ST_FAIL && cr->verdict != ST_ERROR)
                continue;
            printf("  %-7s %-6s %s\n", cr->clause, st_verdict_str(cr->verdict),
                   cr->note ? cr->note : "");
            if (cr->observed) {
                int len = (int)strcspn(cr->observed, "\n");
                printf("          %.*s\n", len > 400 ? 400 : len, cr->observed);
            }
        }
    }
    if (x->flaky)
        fprintf(stderr, "mxttl explore: %llu FAIL verdict(s) did not come back when the "
                        "scenario was played again (not counted; first: %s); replay with "
                        "--seed %llu\n",
                (unsigned long long)x->flaky, x->first_flaky, (unsigned long long)x->seed);
    if (x->errors || x->judge_errors)
        fprintf(stderr, "mxttl explore: %llu broken plays, %llu ERROR verdicts; first: %s\n",
                (unsigned long long)x->errors, (unsigned long long)x->judge_errors,
                x->first_error);
}

/* After generating (and shrinking): writes the report of the findings and prints them.
 * Returns the exit status. */
static int report_findings(struct explore *x, int argc, char **argv, const char *report,
                           const char *mindir, double t0, double gen_s)
{
    char why[1400] = "";
    int any_fail = 0, lost = 0;
    struct st_run *run = new_run(x, argc, argv);
    if (!run || add_results(x, run, mindir, report, &any_fail, &lost) != 0) {
        st_run_free(run);
        return XS_INFRA;
    }
    run->seconds = mono() - t0;
    run->incomplete = *x->stop != 0;
    enum hn_report_status rs = hn_report_write_dir(run, report, HN_REPORT_FMT_ALL, why,
                                                   sizeof why);
    print_findings(x, run, gen_s);
    st_run_free(run);
    if (rs != HN_REPORT_OK) {
        fprintf(stderr, "mxttl explore: report not written: %s\n", why);
        return XS_INFRA;
    }
    printf("report: %s/report.html; minimal scenarios in %s\n", report, mindir);
    if (*x->stop) {
        fprintf(stderr, "mxttl explore: interrupted; partial report written\n");
        return XS_INFRA;
    }
    if (x->errors || x->judge_errors || lost)
        return XS_INFRA;
    return any_fail ? XS_FAIL : XS_OK;
}

/* Generates and plays the scenarios, shrinks what FAILed, and reports. Returns the exit
 * status. */
static int explore_run(struct explore *x, const struct xopts *xo, int argc, char **argv)
{
    char mindir[4096];
    snprintf(mindir, sizeof mindir, "%s/minimal", xo->report);
    if (mkdir_p(mindir) != 0) {
        fprintf(stderr, "mxttl explore: --report %s: cannot create %s: %s\n", xo->report,
                mindir, strerror(errno));
        return XS_USAGE;
    }
    clear_minimal(mindir);
    printf("mxttl explore: seed %llu (replay with --seed %llu), %s time, %u case(s) per "
           "scenario, ",
           (unsigned long long)x->seed, (unsigned long long)x->seed,
           x->virtual_time ? "virtual" : "real", x->gcfg.cases);
    if (x->count)
        printf("%llu scenarios\n", (unsigned long long)x->count);
    else
        printf("for %.0f s\n", xo->dur);
    fflush(stdout);
    double t0 = mono();
    x->deadline = xo->dur > 0 ? t0 + xo->dur : 0;
    int tty = isatty(2);
    if (run_threads(x, worker, xo->jobs, t0, tty) != 0)
        return XS_INFRA;
    double gen_s = mono() - t0;
    if (tty)
        progress(x, t0, 1);
    if (x->found && !x->emit && !*x->stop) {
        if (tty)
            fprintf(stderr, "mxttl explore: shrinking %llu finding(s) ...\n",
                    (unsigned long long)x->found);
        run_threads(x, shrinker, xo->jobs, t0, 0);
    }
    if (x->emit) {
        printf("mxttl explore: %llu scenarios written to %s\n", (unsigned long long)x->done,
               x->emit);
        if (x->errors)
            fprintf(stderr, "mxttl explore: %s\n", x->first_error);
        return x->errors ? XS_INFRA : XS_OK;
    }
    return report_findings(x, argc, argv, xo->report, mindir, t0, gen_s);
}

int hn_explore_main(int argc, char **argv, const volatile sig_atomic_t *stop)
{
    static const volatile sig_atomic_t never;
    struct explore x;
    memset(&x, 0, sizeof x);
    x.stop = stop ? stop : &never;
    st_gen_config_init(&x.gcfg);
    x.virtual_time = 1;
    x.t = calloc((size_t)argc + 2, sizeof *x.t);
    if (!x.t)
        return XS_INFRA;
    pthread_mutex_init(&x.mu, NULL);
    struct xopts xo = {.report = "mxttl-explore"};
    int rc = parse_options(&x, &xo, argc, argv);
    if (rc == 0)
        rc = settle(&x, &xo);
    if (rc == 0)
        rc = explore_run(&x, &xo, argc, argv);
    for (size_t i = 0; i < x.nt; i++)
        for (size_t c = 0; c < ST_CLAUSE_COUNT; c++) {
            free(x.t[i].text[c]);
            free(x.t[i].min[c]);
        }
    free(x.t);
    pthread_mutex_destroy(&x.mu);
    return rc;
}
