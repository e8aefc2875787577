/*
 * st_result: what a conformance run found -- verdicts per clause and target, the evidence behind
 * each, and the timeline of every scenario played. The suites fill it; the harness's report
 * writers (JSON, JUnit XML, Markdown, HTML) and results.json reader only read and write it.
 *
 * Plain structs with growable arrays: a run is built once and then read. All strings are owned
 * by the struct that holds them and freed by st_run_free.
 */
#ifndef ST_RESULT_H
#define ST_RESULT_H

#include <stddef.h>
#include <stdint.h>

#define ST_VERDICT_LIST(X)                                                     \
    X(ST_PASS, "PASS", "clause met")                                           \
    X(ST_NONSTRICT, "NON-STRICT", "a SHOULD clause not met; still conformant") \
    X(ST_INFO, "INFO", "observed and reported, never judged")                  \
    X(ST_FAIL, "FAIL", "a MUST clause not met")                                \
    X(ST_NA, "N/A", "the target lacks a capability the clause needs")          \
    X(ST_ERROR, "ERROR", "the target or the fixture broke; no verdict")                \
    X(ST_NOTRUN, "NOT-RUN", "no scenario played exercises the clause")

enum st_verdict {
#define ST_VERDICT_ENUM(sym, str, desc) sym,
    ST_VERDICT_LIST(ST_VERDICT_ENUM)
#undef ST_VERDICT_ENUM
    ST_VERDICT_COUNT
};
const char *st_verdict_str(enum st_verdict v);            /* "PASS", ...; static */
int st_verdict_from_str(const char *s, enum st_verdict *out); /* 0 ok, -1 unknown */

enum st_level { ST_LEVEL_MUST, ST_LEVEL_SHOULD, ST_LEVEL_INFO };
const char *st_level_str(enum st_level l);                /* "MUST", "SHOULD", "INFO" */
int st_level_from_str(const char *s, enum st_level *out);

/* How a target was classified after its run. */
enum st_class { ST_CLASS_LEGACY, ST_CLASS_TTL, ST_CLASS_NEITHER, ST_CLASS_UNKNOWN };
const char *st_class_str(enum st_class c);                /* "legacy", "ttl", "neither", "unknown" */
int st_class_from_str(const char *s, enum st_class *out);

/* One item on a scenario's timeline. Times are seconds of scenario time (virtual or real). */
enum st_event_kind {
    ST_EV_STEP,     /* the fixture switched to step `step` */
    ST_EV_LOOKUP,   /* the target was asked for a domain's route; text: "domain -> result" */
    ST_EV_FORWARD,  /* the target was asked for its forward host */
    ST_EV_QUERY,    /* the fixture saw a query; text: "MX example.test" ; client in detail */
    ST_EV_TTL       /* a TTL window [t, t_end) of a route the target received */
};
const char *st_event_kind_str(enum st_event_kind k);     /* "step", "lookup", ... */
int st_event_kind_from_str(const char *s, enum st_event_kind *out);

struct st_event {
    enum st_event_kind kind;
    double t;
    double t_end;     /* ST_EV_TTL only; otherwise equal to t */
    int step;         /* step in force (or switched to) */
    char *text;       /* one line, owned */
    char *detail;     /* optional (may be NULL), owned */
};

struct st_timeline {
    char *scenario;   /* scenario name */
    char *target;     /* target name */
    char *time_mode;  /* "virtual" or "real" */
    struct st_event *events;
    size_t nevents, cap;
};

struct st_clause_result {
    char *clause;     /* "TTL-2" */
    enum st_level level;
    enum st_verdict verdict;
    char *sentence;   /* the clause's sentence from SPEC.md */
    char *scenario;   /* scenario that decided it, or NULL */
    char *expected;   /* evidence: what the spec expected (may be NULL) */
    char *observed;   /* evidence: what the fixture and the target showed (may be NULL) */
    char *note;       /* free text: why N/A or ERROR, log excerpts (may be NULL) */
    double seconds;   /* wall time the clause took */
};

struct st_target_result {
    char *target;     /* "model:ttl", "driver:./x", "smtp:postfix.mta" */
    char *spec;       /* judged against: "legacy" or "ttl" */
    enum st_class klass;
    char *class_reason; /* e.g. "broke TTL-2, TTL-4" (may be NULL) */
    struct st_clause_result *clauses;
    size_t nclauses, cap;
};

struct st_run {
    char *mxttl_version;
    char *started;     /* ISO 8601 UTC */
    double seconds;    /* wall time of the run */
    char *time_mode;   /* "virtual" / "real" / "mixed" */
    char *command;     /* the command line that produced it (may be NULL) */
    int incomplete;    /* interrupted: not every clause ran */
    struct st_target_result *targets;
    size_t ntargets, tcap;
    struct st_timeline *timelines;
    size_t ntimelines, lcap;
};

/* Constructors and appenders. Strings passed in are copied. Return 0, or -1 on no memory
 * (the run is then still valid and freeable). Returned pointers are borrowed, valid until the
 * next append to the same array. */
struct st_run *st_run_new(void);                  /* caller frees with st_run_free */
void st_run_free(struct st_run *run);             /* frees everything in it; NULL is fine */
struct st_target_result *st_run_add_target(struct st_run *run, const char *target,
                                           const char *spec);
struct st_clause_result *st_target_add_clause(struct st_target_result *tr, const char *clause,
                                              enum st_level level, enum st_verdict verdict,
                                              const char *sentence);
struct st_timeline *st_run_add_timeline(struct st_run *run, const char *scenario,
                                        const char *target, const char *time_mode);
int st_timeline_add(struct st_timeline *tl, enum st_event_kind kind, double t, double t_end,
                    int step, const char *text, const char *detail);
/* Frees a clause result's strings and zeroes it (it stays reusable); the struct itself is the
 * caller's. */
void st_clause_result_clear(struct st_clause_result *c);
/* Replaces *field (one of the char * members above) by a copy of value; 0 or -1. */
int st_set_str(char **field, const char *value);
/* printf-style st_set_str. */
int st_set_fmt(char **field, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Worst verdict counts: fills counts[ST_VERDICT_COUNT] for one target. */
void st_target_counts(const struct st_target_result *tr, size_t counts[ST_VERDICT_COUNT]);
/* Whether a target conforms to its spec: no FAIL and no ERROR. */
int st_target_conforms(const struct st_target_result *tr);

#endif
