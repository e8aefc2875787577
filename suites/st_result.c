/*
 * st_result: building and freeing the run-results structure (st_result.h), and the string forms
 * of its enums. The suites append to it while a run goes on; the report writers and the
 * results.json reader (harness/report) use the same functions, so a run read back from disk is
 * built exactly like one filled live.
 *
 * Appenders keep the structure valid on every failure: an element is counted only once all of
 * its strings are copied, so st_run_free never sees a half-built element.
 */
#include "st_result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const verdict_names[] = {
#define ST_VERDICT_NAME(sym, str, desc) str,
    ST_VERDICT_LIST(ST_VERDICT_NAME)
#undef ST_VERDICT_NAME
};

static const char *const level_names[] = {"MUST", "SHOULD", "INFO"};
static const char *const class_names[] = {"legacy", "ttl", "neither", "unknown"};
static const char *const event_names[] = {"step", "lookup", "forward", "query", "ttl"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Index of s in names, or -1; NULL s is never a name. */
static int name_index(const char *const *names, size_t n, const char *s)
{
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

const char *st_verdict_str(enum st_verdict v)
{
    return (unsigned)v < NELEM(verdict_names) ? verdict_names[v] : "unknown";
}

int st_verdict_from_str(const char *s, enum st_verdict *out)
{
    int i = name_index(verdict_names, NELEM(verdict_names), s);
    if (i < 0 || out == NULL)
        return -1;
    *out = (enum st_verdict)i;
    return 0;
}

const char *st_level_str(enum st_level l)
{
    return (unsigned)l < NELEM(level_names) ? level_names[l] : "unknown";
}

int st_level_from_str(const char *s, enum st_level *out)
{
    int i = name_index(level_names, NELEM(level_names), s);
    if (i < 0 || out == NULL)
        return -1;
    *out = (enum st_level)i;
    return 0;
}

const char *st_class_str(enum st_class c)
{
    return (unsigned)c < NELEM(class_names) ? class_names[c] : "unknown";
}

int st_class_from_str(const char *s, enum st_class *out)
{
    int i = name_index(class_names, NELEM(class_names), s);
    if (i < 0 || out == NULL)
        return -1;
    *out = (enum st_class)i;
    return 0;
}

const char *st_event_kind_str(enum st_event_kind k)
{
    return (unsigned)k < NELEM(event_names) ? event_names[k] : "unknown";
}

int st_event_kind_from_str(const char *s, enum st_event_kind *out)
{
    int i = name_index(event_names, NELEM(event_names), s);
    if (i < 0 || out == NULL)
        return -1;
    *out = (enum st_event_kind)i;
    return 0;
}

/* Copy of s, or NULL for NULL; *ok becomes 0 when the copy needed memory it could not get. */
static char *dup_or_null(const char *s, int *ok)
{
    if (s == NULL)
        return NULL;
    char *c = strdup(s);
    if (c == NULL)
        *ok = 0;
    return c;
}

/* Makes room for one more element of size elem in *arr; 0 or -1 (array unchanged). */
static int grow(void **arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    if (ncap > SIZE_MAX / elem)
        return -1;
    void *p = realloc(*arr, ncap * elem);
    if (p == NULL)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

void st_clause_result_clear(struct st_clause_result *c)
{
    free(c->clause);
    free(c->sentence);
    free(c->scenario);
    free(c->expected);
    free(c->observed);
    free(c->note);
    memset(c, 0, sizeof *c);
}

static void target_free_contents(struct st_target_result *t)
{
    free(t->target);
    free(t->spec);
    free(t->class_reason);
    for (size_t i = 0; i < t->nclauses; i++)
        st_clause_result_clear(&t->clauses[i]);
    free(t->clauses);
}

static void timeline_free_contents(struct st_timeline *tl)
{
    free(tl->scenario);
    free(tl->target);
    free(tl->time_mode);
    for (size_t i = 0; i < tl->nevents; i++) {
        free(tl->events[i].text);
        free(tl->events[i].detail);
    }
    free(tl->events);
}

struct st_run *st_run_new(void)
{
    return calloc(1, sizeof(struct st_run));
}

void st_run_free(struct st_run *run)
{
    if (run == NULL)
        return;
    free(run->mxttl_version);
    free(run->started);
    free(run->time_mode);
    free(run->command);
    for (size_t i = 0; i < run->ntargets; i++)
        target_free_contents(&run->targets[i]);
    free(run->targets);
    for (size_t i = 0; i < run->ntimelines; i++)
        timeline_free_contents(&run->timelines[i]);
    free(run->timelines);
    free(run);
}

struct st_target_result *st_run_add_target(struct st_run *run, const char *target,
                                           const char *spec)
{
    if (run == NULL)
        return NULL;
    if (grow((void **)&run->targets, run->ntargets, &run->tcap, sizeof(*run->targets)) < 0)
        return NULL;
    struct st_target_result *t = &run->targets[run->ntargets];
    memset(t, 0, sizeof(*t));
    t->klass = ST_CLASS_UNKNOWN;
    int ok = 1;
    t->target = dup_or_null(target, &ok);
    t->spec = dup_or_null(spec, &ok);
    if (!ok) {
        target_free_contents(t);
        memset(t, 0, sizeof(*t));
        return NULL;
    }
    run->ntargets++;
    return t;
}

struct st_clause_result *st_target_add_clause(struct st_target_result *tr, const char *clause,
                                              enum st_level level, enum st_verdict verdict,
                                              const char *sentence)
{
    if (tr == NULL)
        return NULL;
    if (grow((void **)&tr->clauses, tr->nclauses, &tr->cap, sizeof(*tr->clauses)) < 0)
        return NULL;
    struct st_clause_result *c = &tr->clauses[tr->nclauses];
    memset(c, 0, sizeof(*c));
    c->level = level;
    c->verdict = verdict;
    int ok = 1;
    c->clause = dup_or_null(clause, &ok);
    c->sentence = dup_or_null(sentence, &ok);
    if (!ok) {
        st_clause_result_clear(c);
        return NULL;
    }
    tr->nclauses++;
    return c;
}

struct st_timeline *st_run_add_timeline(struct st_run *run, const char *scenario,
                                        const char *target, const char *time_mode)
{
    if (run == NULL)
        return NULL;
    if (grow((void **)&run->timelines, run->ntimelines, &run->lcap, sizeof(*run->timelines)) < 0)
        return NULL;
    struct st_timeline *tl = &run->timelines[run->ntimelines];
    memset(tl, 0, sizeof(*tl));
    int ok = 1;
    tl->scenario = dup_or_null(scenario, &ok);
    tl->target = dup_or_null(target, &ok);
    tl->time_mode = dup_or_null(time_mode, &ok);
    if (!ok) {
        timeline_free_contents(tl);
        memset(tl, 0, sizeof(*tl));
        return NULL;
    }
    run->ntimelines++;
    return tl;
}

int st_timeline_add(struct st_timeline *tl, enum st_event_kind kind, double t, double t_end,
                    int step, const char *text, const char *detail)
{
    if (tl == NULL)
        return -1;
    if (grow((void **)&tl->events, tl->nevents, &tl->cap, sizeof(*tl->events)) < 0)
        return -1;
    struct st_event *e = &tl->events[tl->nevents];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->t = t;
    e->t_end = kind == ST_EV_TTL ? t_end : t;
    e->step = step;
    int ok = 1;
    e->text = dup_or_null(text ? text : "", &ok);
    e->detail = dup_or_null(detail, &ok);
    if (!ok) {
        free(e->text);
        free(e->detail);
        memset(e, 0, sizeof(*e));
        return -1;
    }
    tl->nevents++;
    return 0;
}

int st_set_str(char **field, const char *value)
{
    if (field == NULL)
        return -1;
    char *c = NULL;
    if (value != NULL && (c = strdup(value)) == NULL)
        return -1;
    free(*field);
    *field = c;
    return 0;
}

int st_set_fmt(char **field, const char *fmt, ...)
{
    if (field == NULL || fmt == NULL)
        return -1;
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): see below */
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *c = n < 0 ? NULL : malloc((size_t)n + 1);
    if (c != NULL)
        /* clang-tidy 14 misreads va_list here when it checks several files in one run. */
        /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
        vsnprintf(c, (size_t)n + 1, fmt, again);
    va_end(again);
    if (c == NULL)
        return -1;
    free(*field);
    *field = c;
    return 0;
}

void st_target_counts(const struct st_target_result *tr, size_t counts[ST_VERDICT_COUNT])
{
    for (size_t v = 0; v < ST_VERDICT_COUNT; v++)
        counts[v] = 0;
    if (tr == NULL)
        return;
    for (size_t i = 0; i < tr->nclauses; i++)
        if ((unsigned)tr->clauses[i].verdict < ST_VERDICT_COUNT)
            counts[tr->clauses[i].verdict]++;
}

int st_target_conforms(const struct st_target_result *tr)
{
    if (tr == NULL)
        return 0;
    for (size_t i = 0; i < tr->nclauses; i++)
        if (tr->clauses[i].verdict == ST_FAIL || tr->clauses[i].verdict == ST_ERROR)
            return 0;
    return 1;
}
