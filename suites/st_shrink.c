/*
 * st_shrink: the probe (play + the clause judges of st_judge.c) and the shrinker. The shrinker
 * holds the scenario as lines with a keep mask; each candidate is the kept lines joined, parsed
 * by fx_scenario_parse and played like any scenario. Passes, largest cut first: one generated
 * case alone (lines naming cK.test), then ddmin over the removable lines, then smaller numbers
 * (TTLs, times, capacity), repeated while anything still shrinks and plays are left.
 */
#define _GNU_SOURCE
#include "st_shrink.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_judge.h"
#include "st_play.h"

/* ---- the probe ---- */

void st_probe_clear(struct st_probe *pr)
{
    for (size_t i = 0; i < ST_CLAUSE_COUNT; i++)
        st_clause_result_clear(&pr->cr[i]);
}

/* Judges clause `only` (or every clause of spec when NULL). */
static void probe(struct st_probe *pr, const struct fx_scenario *sc,
                  const struct st_suite_target *t, enum st_spec spec, int virtual_time,
                  const char *dnsmasq, struct fx_server *shared,
                  const volatile sig_atomic_t *stop, struct st_run *tl_run,
                  const struct st_clause *only)
{
    memset(pr, 0, sizeof *pr);
    for (size_t i = 0; i < ST_CLAUSE_COUNT; i++)
        pr->verdict[i] = ST_NA;
    struct st_target *tg = NULL;
    char why[512] = "";
    if (t->make(t->ctx, &tg, why, sizeof why) != 0 || !tg) {
        pr->error = 1;
        snprintf(pr->why, sizeof pr->why, "target %s could not be created: %s", t->name, why);
        return;
    }
    struct st_play p;
    memset(&p, 0, sizeof p);
    p.sc = sc;
    p.virtual_time = virtual_time;
    if (shared)
        st_play_run_on(&p, sc, tg, shared, virtual_time, dnsmasq, stop);
    else
        st_play_run(&p, sc, tg, virtual_time, dnsmasq, stop);
    tg->ops->free(tg);
    pr->stopped = p.stopped;
    if (p.error || p.stopped) {
        pr->error = p.error;
        snprintf(pr->why, sizeof pr->why, "%s", p.stopped ? "stopped" : p.why);
        st_play_clear(&p);
        return;
    }
    struct st_analysis *an = st_analysis_new(&p);
    if (!an) {
        pr->error = 1;
        snprintf(pr->why, sizeof pr->why, "out of memory");
        st_play_clear(&p);
        return;
    }
    for (size_t i = 0; i < ST_CLAUSE_COUNT; i++) {
        const struct st_clause *cl = st_clause_at(i);
        if (!st_clause_applies(cl, spec) || (only && only != cl) ||
            !st_scenario_covers(sc, cl->id))
            continue;
        struct st_clause_result *cr = &pr->cr[i];
        st_set_str(&cr->clause, cl->id);
        cr->level = cl->level;
        st_judge_clause(cl, spec, &an, 1, cr);
        /* a clause this scenario does not exercise is not judged here, not broken */
        if (cr->verdict == ST_ERROR && cr->note && strstr(cr->note, "nothing to judge"))
            cr->verdict = ST_NA;
        switch (cr->verdict) {
        case ST_PASS: case ST_NONSTRICT: case ST_INFO: case ST_FAIL: case ST_ERROR:
            pr->verdict[i] = cr->verdict;
            break;
        default:   /* N/A, or not run */
            pr->verdict[i] = ST_NA;
        }
    }
    if (tl_run) {
        struct st_timeline *tl = st_run_add_timeline(tl_run, fx_scenario_name(sc), t->name,
                                                     virtual_time ? "virtual" : "real");
        if (tl)
            (void)st_analysis_timeline(an, tl);
    }
    st_analysis_free(an);
    st_play_clear(&p);
}

void st_probe_run(struct st_probe *pr, const struct fx_scenario *sc,
                  const struct st_suite_target *t, enum st_spec spec, int virtual_time,
                  const char *dnsmasq, struct fx_server *shared,
                  const volatile sig_atomic_t *stop, struct st_run *tl_run)
{
    probe(pr, sc, t, spec, virtual_time, dnsmasq, shared, stop, tl_run, NULL);
}

/* ---- lines ---- */

struct shr {
    const struct st_shrink_goal *goal;
    struct st_shrink_stats *stats;
    unsigned max;
    char fname[160];
    char **line;
    size_t n;
    unsigned char *keep;
    unsigned char *fixed;   /* scenario / description / clauses: never removed */
};

size_t st_shrink_count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        size_t i = 0;
        while (i < l && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
            i++;
        if (i < l && p[i] != '#')
            n++;
        p += l + (e ? 1 : 0);
    }
    return n;
}

static int first_word(const char *l, const char *w)
{
    size_t n = strlen(w);
    return l && strncmp(l, w, n) == 0 && (l[n] == ' ' || l[n] == '\t' || l[n] == '\0');
}

/* The kept lines (with keep overridden by mask when not NULL), one blank line before each step
 * and before the script. Caller frees. */
static char *join(const struct shr *s, const unsigned char *mask)
{
    size_t len = 1;
    for (size_t i = 0; i < s->n; i++)
        len += (s->line[i] ? strlen(s->line[i]) : 0) + 2;
    char *t = malloc(len), *p = t;
    if (!t)
        return NULL;
    int script = 0;
    for (size_t i = 0; i < s->n; i++) {
        const char *l = s->line[i];
        if (!(mask ? mask[i] : s->keep[i]) || !l)
            continue;
        int is_act = first_word(l, "lookup") || first_word(l, "forward-lookup");
        if (first_word(l, "step") || (is_act && !script))
            *p++ = '\n';
        script |= is_act;
        size_t k = strlen(l);
        memcpy(p, l, k);
        p += k;
        *p++ = '\n';
    }
    *p = '\0';
    return t;
}

/* 1: the candidate (the kept lines under mask) still FAILs the goal's clause. */
static int fails_mask(struct shr *s, const unsigned char *mask)
{
    const struct st_shrink_goal *g = s->goal;
    if ((g->stop && *g->stop) || s->stats->tries >= s->max)
        return 0;
    char *text = join(s, mask);
    if (!text)
        return 0;
    struct fx_scenario *sc = NULL;
    char why[512];
    int r = 0;
    if (fx_scenario_parse(&sc, text, strlen(text), s->fname, why, sizeof why) == FX_OK) {
        struct st_probe pr;
        s->stats->tries++;
        probe(&pr, sc, g->target, g->spec, g->virtual_time, g->dnsmasq, NULL, g->stop, NULL,
              g->clause);
        /* a play that broke says nothing about the candidate: once more (a busy host) */
        if (pr.error) {
            s->stats->errors++;
            st_probe_clear(&pr);
            probe(&pr, sc, g->target, g->spec, g->virtual_time, g->dnsmasq, NULL, g->stop,
                  NULL, g->clause);
        }
        r = !pr.error && !pr.stopped && pr.verdict[g->clause->sym] == ST_FAIL;
        st_probe_clear(&pr);
    }
    fx_scenario_free(sc);
    free(text);
    return r;
}

/* Tries replacing line i by repl; keeps it when the candidate still FAILs. */
static int try_line(struct shr *s, size_t i, const char *repl)
{
    char *old = s->line[i], *nl = strdup(repl);
    if (!nl)
        return 0;
    s->line[i] = nl;
    if (fails_mask(s, NULL)) {
        free(old);
        s->stats->accepted++;
        return 1;
    }
    s->line[i] = old;
    free(nl);
    return 0;
}

/* The case tag of a line ("c12" of d1.c12.test), or -1. */
static long case_tag(const char *line)
{
    char l[1100];
    size_t k = 0;
    for (; line[k] && k + 1 < sizeof l; k++)
        l[k] = (char)tolower((unsigned char)line[k]);
    l[k] = '\0';
    for (const char *p = l; (p = strstr(p, ".c")) != NULL; p++) {
        const char *q = p + 2;
        if (!isdigit((unsigned char)*q))
            continue;
        char *end;
        long v = strtol(q, &end, 10);
        if (strncmp(end, ".test", 5) == 0 && (end[5] == '.' || end[5] == ' ' || !end[5]))
            return v;
    }
    return -1;   /* generated names always have a label before .cK.test */
}

static int pass_cases(struct shr *s)
{
    long tags[64];
    size_t nt = 0;
    for (size_t i = 0; i < s->n; i++) {
        long t = s->keep[i] ? case_tag(s->line[i]) : -1;
        int seen = 0;
        for (size_t k = 0; k < nt; k++)
            seen |= tags[k] == t;
        if (t >= 0 && !seen && nt < 64)
            tags[nt++] = t;
    }
    if (nt < 2)
        return 0;
    unsigned char *mask = malloc(s->n);
    if (!mask)
        return 0;
    int done = 0;
    for (size_t k = 0; k < nt && !done; k++) {
        for (size_t i = 0; i < s->n; i++) {
            long t = case_tag(s->line[i]);
            mask[i] = s->keep[i] && (t < 0 || t == tags[k]);
        }
        if (fails_mask(s, mask)) {
            memcpy(s->keep, mask, s->n);
            s->stats->accepted++;
            done = 1;
        }
    }
    free(mask);
    return done;
}

/* ddmin over the removable kept lines, chunks from half of them down to one. */
static int pass_ddmin(struct shr *s)
{
    size_t *idx = malloc(s->n * sizeof *idx);
    unsigned char *mask = malloc(s->n);
    int any = 0;
    if (!idx || !mask) {
        free(idx);
        free(mask);
        return 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->keep[i] && !s->fixed[i])
            m++;
    for (size_t chunk = m / 2 ? m / 2 : 1; chunk >= 1; chunk /= 2) {
        int changed;
        do {
            changed = 0;
            m = 0;
            for (size_t i = 0; i < s->n; i++)
                if (s->keep[i] && !s->fixed[i])
                    idx[m++] = i;
            for (size_t start = 0; start < m;) {
                memcpy(mask, s->keep, s->n);
                size_t end = start + chunk < m ? start + chunk : m;
                for (size_t k = start; k < end; k++)
                    mask[idx[k]] = 0;
                if (fails_mask(s, mask)) {
                    memcpy(s->keep, mask, s->n);
                    s->stats->accepted++;
                    changed = any = 1;
                    /* the lines after the cut move down: rebuild the index */
                    size_t mm = 0;
                    for (size_t i = 0; i < s->n; i++)
                        if (s->keep[i] && !s->fixed[i])
                            idx[mm++] = i;
                    m = mm;
                } else {
                    start = end;
                }
                if (s->stats->tries >= s->max || (s->goal->stop && *s->goal->stop))
                    break;
            }
        } while (changed && chunk == 1 && s->stats->tries < s->max);
        if (chunk == 1)
            break;
    }
    free(idx);
    free(mask);
    return any;
}

static int parse_ms(const char *t, unsigned long long *ms)
{
    char *end;
    unsigned long long w = strtoull(t, &end, 10), f = 0;
    int fd = 0;
    if (end == t)
        return -1;
    if (*end == '.') {
        for (end++; isdigit((unsigned char)*end) && fd < 3; end++, fd++)
            f = f * 10 + (unsigned long long)(*end - '0');
    }
    while (fd++ < 3)
        f *= 10;
    *ms = w * 1000 + f;
    return 0;
}

static void fmt_ms(char *out, size_t len, unsigned long long ms)
{
    if (ms % 1000)
        snprintf(out, len, "%llu.%03llu", ms / 1000, ms % 1000);
    else
        snprintf(out, len, "%llu", ms / 1000);
}

/* The numeric field of a line: 1 record TTL, 2 time (step/lookup/forward-lookup),
 * 3 capacity; 0 none. *at and *len locate it. */
static int num_field(const char *l, size_t *at, size_t *len)
{
    const char *p = l;
    size_t w0 = strcspn(p, " \t");
    int kind = 0;
    if (first_word(l, "step") || first_word(l, "lookup") || first_word(l, "forward-lookup"))
        kind = 2;
    else if (first_word(l, "capacity"))
        kind = 3;
    else if (w0 > 1 && p[w0 - 1] == '.')
        kind = 1;
    if (!kind)
        return 0;
    p += w0;
    p += strspn(p, " \t");
    *at = (size_t)(p - l);
    *len = strcspn(p, " \t");
    return *len ? kind : 0;
}

/* Values a number may shrink to, smallest first (distinct, below v). */
static size_t candidates(const struct shr *s, int kind, unsigned long long v,
                         unsigned long long *out, size_t max)
{
    size_t n = 0;
    unsigned long long base[4];
    size_t nb = 0;
    if (kind == 3) {
        base[nb++] = 1;
        base[nb++] = v / 2;
    } else if (kind == 1) {
        base[nb++] = 0;
        base[nb++] = 1;
        base[nb++] = 2;
        base[nb++] = v / 2;
    } else {   /* times: whole seconds, then the largest power of ten below */
        base[nb++] = 0;
        base[nb++] = v / 1000 * 1000;
        unsigned long long p = 1000;
        while (p * 10 < v)
            p *= 10;
        base[nb++] = p;
    }
    for (size_t i = 0; i < nb && n < max; i++)
        if (base[i] < v)
            out[n++] = base[i];
    /* the other values of the same kind in the scenario: moments that already matter */
    for (size_t i = 0; i < s->n && n < max; i++) {
        size_t at, len;
        if (!s->keep[i] || num_field(s->line[i], &at, &len) != kind)
            continue;
        char tok[32];
        snprintf(tok, sizeof tok, "%.*s", (int)(len < 31 ? len : 31), s->line[i] + at);
        unsigned long long w;
        if (kind == 2 ? parse_ms(tok, &w) != 0 : (w = strtoull(tok, NULL, 10), 0))
            continue;
        if (w < v) {
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= out[k] == w;
            if (!dup)
                out[n++] = w;
        }
    }
    /* smallest first */
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && out[k - 1] > out[k]; k--) {
            unsigned long long t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
        }
    return n;
}

static int pass_numbers(struct shr *s)
{
    int any = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t at, len;
        int kind;
        if (!s->keep[i] || !(kind = num_field(s->line[i], &at, &len)))
            continue;
        char tok[32];
        snprintf(tok, sizeof tok, "%.*s", (int)(len < 31 ? len : 31), s->line[i] + at);
        unsigned long long v;
        if (kind == 2 ? parse_ms(tok, &v) != 0 : (v = strtoull(tok, NULL, 10), 0))
            continue;
        unsigned long long c[16];
        size_t nc = candidates(s, kind, v, c, 16);
        for (size_t k = 0; k < nc; k++) {
            if (s->stats->tries >= s->max || (s->goal->stop && *s->goal->stop))
                return any;
            char num[32], *repl;
            if (kind == 2)
                fmt_ms(num, sizeof num, c[k]);
            else
                snprintf(num, sizeof num, "%llu", c[k]);
            if (asprintf(&repl, "%.*s%s%s", (int)at, s->line[i], num,
                         s->line[i] + at + len) < 0)
                return any;
            int ok = try_line(s, i, repl);
            free(repl);
            if (ok) {
                any = 1;
                break;
            }
        }
    }
    return any;
}

static int split(struct shr *s, const char *text)
{
    size_t cap = 64;
    s->line = calloc(cap, sizeof *s->line);
    if (!s->line)
        return -1;
    for (const char *p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        const char *q = p;
        size_t k = l;
        while (k && (*q == ' ' || *q == '\t')) {
            q++;
            k--;
        }
        while (k && (q[k - 1] == '\r' || q[k - 1] == ' ' || q[k - 1] == '\t'))
            k--;
        p += l + (e ? 1 : 0);
        if (k == 0 || *q == '#')
            continue;
        if (s->n == cap) {
            char **nl = realloc(s->line, 2 * cap * sizeof *nl);
            if (!nl)
                return -1;
            memset(nl + cap, 0, cap * sizeof *nl);
            s->line = nl;
            cap *= 2;
        }
        if (!(s->line[s->n] = strndup(q, k)))
            return -1;
        s->n++;
    }
    s->keep = malloc(s->n ? s->n : 1);
    s->fixed = calloc(s->n ? s->n : 1, 1);
    if (!s->keep || !s->fixed)
        return -1;
    memset(s->keep, 1, s->n);
    return 0;
}

/* Printable ASCII only (a target name may hold anything). */
static void ascii(char *out, size_t len, const char *in)
{
    size_t k = 0;
    for (; *in && k + 1 < len; in++)
        out[k++] = (*in >= 0x20 && *in < 0x7f) ? *in : '?';
    out[k] = '\0';
}

char *st_shrink(const char *text, const char *name, const struct st_shrink_goal *goal,
                struct st_shrink_stats *stats)
{
    struct shr s;
    memset(&s, 0, sizeof s);
    memset(stats, 0, sizeof *stats);
    s.goal = goal;
    s.stats = stats;
    s.max = goal->max_tries ? goal->max_tries : 600;
    snprintf(s.fname, sizeof s.fname, "%s.scn", name);
    char *out = NULL;
    if (split(&s, text) != 0)
        goto done;
    char tname[200];
    ascii(tname, sizeof tname, goal->target->name);
    for (size_t i = 0; i < s.n; i++) {
        char *repl = NULL;
        if (first_word(s.line[i], "scenario")) {
            if (asprintf(&repl, "scenario %s", name) < 0)
                goto done;
        } else if (first_word(s.line[i], "description")) {
            if (asprintf(&repl, "description shrunk by mxttl explore: %s FAILs on %s",
                         goal->clause->id, tname) < 0)
                goto done;
        } else if (first_word(s.line[i], "clauses")) {
            if (asprintf(&repl, "clauses %s", goal->clause->id) < 0)
                goto done;
        } else {
            continue;
        }
        free(s.line[i]);
        s.line[i] = repl;
        s.fixed[i] = 1;
    }
    if (!fails_mask(&s, NULL))
        goto done;
    stats->accepted++;
    pass_cases(&s);
    for (int round = 0; round < 4; round++) {
        int any = pass_ddmin(&s);
        any |= pass_numbers(&s);
        if (!any || stats->tries >= s.max || (goal->stop && *goal->stop))
            break;
    }
    out = join(&s, NULL);
done:
    for (size_t i = 0; i < s.n; i++)
        free(s.line[i]);
    free(s.line);
    free(s.keep);
    free(s.fixed);
    return out;
}
