/*
 * st_judge_int: what the judge modules share -- the analysis of a play (st_analysis.c), the
 * evidence writer (st_evidence.c), and one judge function per clause, named in the clause
 * list's judge column (st_clause.h) and defined in the file of its family:
 *   st_judge_cache.c     whether a lookup asked DNS and what it returned: LEG-1/2/6/7, TTL-1..8,
 *                        TTL-10/11
 *   st_judge_answer.c    what a route is made of: COM-1..7
 *   st_judge_spelling.c  keys and query reports: COM-8, COM-9
 *   st_judge_capacity.c  the cache's bound: LEG-3/4/5, TTL-9
 *   st_judge_spread.c    load spreading: COM-10, COM-11
 * Not a contract outside suites/.
 */
#ifndef ST_JUDGE_INT_H
#define ST_JUDGE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "st_clause.h"
#include "st_oracle.h"
#include "st_play.h"
#include "st_route.h"

/* Actions this close (seconds) to a TTL boundary or step switch are not judged in real time
 * (the scenarios keep 0.5 s away). */
#define ST_TOL_REAL 0.25

/* Whole-second clocks (SPEC.md, TTL mode): DNS TTLs are whole seconds and caches commonly
 * count them on a clock of whole seconds, so a route may be served until less than this long
 * after it runs out. A lookup in that second is not judged; TTL-2 asks for queries from then
 * on (the scenarios put such lookups 1.5 s after the TTL). */
#define ST_TTL_GRAIN 1.0

/* How long the fixture's front may keep a question open that it forwarded to a step where the
 * name times out, attaching the same question asked later to it, also after a switch to a step
 * where the name answers (fixtures/README.md section 6: dnsmasq's forward timeout, ~10 s). */
#define ST_HELD_OPEN 10.0

/* After a lookup that failed temporarily after waiting at least ST_WAIT_MIN s (a timeout), a
 * lookup without a query of its own that waited at least ST_WAIT_SHARE of that long waited on
 * a question in flight (a resolver in front merges identical questions), not on a cache. */
#define ST_WAIT_MIN 0.5
#define ST_WAIT_SHARE 0.75

/* The two expectation passes: legacy and ttl. */
enum { SPEC_LEG = 0, SPEC_TTL = 1 };

/* What a spec requires of an action. */
enum need { NEED_ANY, NEED_QUERY, NEED_NOQUERY, NEED_UNSURE };

/* Why: the state of the action's key when it ran. */
enum reason {
    RS_NONE,
    RS_FIRST,          /* never resolved yet */
    RS_EXPIRED,        /* the route's TTL has run out */
    RS_TTL0,           /* the route's TTL is 0 (also: above 2^31-1) */
    RS_IMPLICIT,       /* implicit-MX route: never cached (ttl) */
    RS_NXDOMAIN,       /* NXDOMAIN: never cached (ttl) */
    RS_TEMPFAIL,       /* SERVFAIL, timeout, malformed: never cached */
    RS_NOROUTE,        /* null MX or no address: the spec says nothing */
    RS_CACHED,         /* legacy: cached route */
    RS_CACHED_IMPLICIT,/* legacy: cached implicit-MX route */
    RS_VALID,          /* ttl: within the route's TTL */
    RS_UNKNOWN,        /* the last answer's step could not be told (see enum unsure_why) */
    RS_FWD_FAILED,     /* the forward host's last resolution failed: nothing to keep */
    RS_TARGET_TEMPFAIL,/* the target answered a temporary failure although DNS gave a route (its
                          resolver gave up waiting): what it keeps, if anything, is unknown */
    RS_STARTUP,        /* legacy, first use of the forward host after start-up: whether the
                          start-up resolution succeeded is not seen (open() has no answer) */
    RS_IN_FLIGHT       /* after a temporary failure, a lookup without a query of its own that
                          may have waited on a question still in flight: the fixture held one
                          open (ST_HELD_OPEN), or it waited as long as the failure before it */
};
#define M(r) (1u << (r))
const char *st_reason_text(enum reason r);

/* Why an action's step, or what it was answered from, is not known for sure. */
enum unsure_why {
    UNSURE_NO,
    UNSURE_NEAR_SWITCH,  /* real time, no query, within ST_TOL_REAL of a step switch */
    UNSURE_SPAN          /* its queries span steps and its answer fits none or several */
};

/* What DNS said for a key in one step (the oracle's answer, kept for judging). */
struct ref {
    enum rc_status status;
    char *text;          /* RC_OK: route text; owned */
    char *norm;          /* RC_OK: st_route_norm(text); owned */
    uint32_t ttl;
    int implicit;
};

/* A key's state in one spec's pass. Times are scenario seconds; a fetch that took a while has
 * its first and last query times, and the expiry is taken from either end as it favours the
 * target (the spec cannot tell which the target stamped). */
struct keystate {
    int fetched;
    int cached;              /* legacy: holds a route */
    enum reason last;        /* what the last fetch allows */
    double t_first, t_last;  /* the last fetch's first and last query */
    double exp_first, exp_last;
    const struct ref *first; /* legacy: the route first resolved (borrowed from the key) */
    int at_startup;          /* legacy: resolved during open() and not used since */
    size_t step;             /* the step whose data the last fetch got, when step_known */
    int step_known;
};

/* A domain (or the forward host) and every name whose queries belong to it. */
struct key {
    char *name;          /* normalised */
    int fwd;
    char **names;
    size_t nnames;
    struct ref *refs;    /* per step */
    struct keystate st[2];
    double held_until;   /* real time: the fixture held a question of the key open after its
                            step had ended (a timeout step), so until then a lookup without a
                            query of its own may be waiting on it; 0 if never */
    double fail_wait;    /* how long the last lookup that failed temporarily took (real time) */
};

struct expect {
    enum need need;
    enum reason reason;
    double fetched, expires;
    int grain;           /* NEED_UNSURE only because of the whole-second latitude */
};

/* What a target answered, as the judges read it (st_analysis.c read_answer is the one place
 * that reads a target's st_answer). */
enum ans_kind { ANS_NONE, ANS_ROUTE, ANS_NOROUTE, ANS_TEMPFAIL, ANS_REFUSED };

/* The analysis of one action (st_play obs of the same index). */
struct st_act {
    int key;                 /* -1: an open without a forward host */
    size_t own_queries;      /* queries for the key's names during the action */
    double t_first, t_last;  /* first and last of them (scenario seconds) */
    size_t step;             /* the step that answered */
    int step_known;          /* 0: see unsure */
    enum unsure_why unsure;
    size_t step_lo, step_hi; /* steps of the own queries (UNSURE_SPAN) */
    const struct ref *ref;   /* refs[step] of the key (a guess when !step_known) */
    size_t fetch_step;       /* the step its queries fetched: step, unless from_cache */
    int from_cache;          /* its answer is the key's last fetch, still within its TTL, and
                                not what its queries got: they refreshed the cache after it
                                answered (a resolver's prefetch) */
    struct expect ex[2];
    enum ans_kind answer;    /* ANS_NONE for the open */
    const char *answer_status; /* the answer's status word ("ok", "nxdomain", ...) */
    const struct rc_route *answer_route; /* ANS_ROUTE: the route reported (borrowed from the
                                play); address-only: one exchanger named "" */
    char *answer_text;       /* ANS_ROUTE: the route text (or the address used, for an
                                address-only target); owned */
    char *answer_norm;       /* normalised answer route, NULL if none or it does not parse */
};

/* A TTL window of a route the target received, for the timeline. */
struct window {
    double t, t_end;
    int key;
    uint32_t ttl;
};

struct st_analysis {
    const struct st_play *p;
    const struct fx_scenario *sc;
    struct key *keys;
    size_t nkeys, keys_cap;
    struct st_act *acts;     /* one per p->obs */
    size_t nsteps;
    struct window *win;
    size_t nwin;
    double tol;
    char *error;             /* the oracle could not read the scenario: every verdict ERROR */
};

/* The step in force at scenario time t (*step); 0 if t is within the real-time tolerance of
 * a step switch (the step is then a guess), else 1. */
int st_step_in_force(const struct st_analysis *a, double t, size_t *step);

/* Whether a query for qname (any case, optional trailing dot) belongs to key k. */
int st_key_owns(const struct key *k, const char *qname);

/* ---- evidence: bounded lines of expected / observed / met, and notes ---- */
struct st_ev {
    FILE *exp, *obs, *ok, *note;   /* obs: violations; ok: what met the clause */
    char *exp_s, *obs_s, *ok_s, *note_s;
    size_t exp_len, obs_len, ok_len, note_len;
    unsigned exp_lines, obs_lines, ok_lines, exp_more, obs_more, ok_more;
    size_t judged, bad, unsure, unsure_span, unsure_tempfail, unsure_startup, unsure_grain,
        unsure_flight;
    size_t unseen;                 /* answers the target could not show (st_answer.unseen) */
    int na, error;
};
void st_ev_open(struct st_ev *e);
/* Moves the text into cr (expected, observed or met, note) and closes the streams. */
void st_ev_close(struct st_ev *e, struct st_clause_result *cr);
void st_ev_expected(struct st_ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void st_ev_observed(struct st_ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void st_ev_met(struct st_ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void st_ev_note(struct st_ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 (and counted) when lookup o's answer is unseen -- the target did not show how it ended --
 * so that a judge of answers skips it; 0 otherwise. */
int st_ev_unseen(struct st_ev *e, const struct st_obs *o);
/* An action the judge skipped because its step is not known; counted for the note. */
void st_ev_unsure(struct st_ev *e, const struct st_act *act);

/* ---- descriptions of actions, for evidence (malloc'd strings; caller frees) ---- */
char *st_act_queries(const struct st_analysis *a, size_t i);  /* "MX a.test, A mx.a.test" */
char *st_act_answer(const struct st_analysis *a, size_t i);  /* "ok \"...\"" or a status */
char *st_ref_describe(const struct ref *r);                   /* the reference, with TTL */
const char *st_act_what(const struct st_analysis *a, size_t i); /* domain, "forward host" */
const char *st_an_name(const struct st_analysis *a);          /* the scenario's name */

/* ---- comparisons ---- */
/* Whether o's answer carries the normalised route norm (address-only targets: an address of a
 * most preferred exchanger of it). */
int st_route_equal(const struct st_play *p, const struct st_act *act, const struct st_obs *o,
                   const char *norm);
/* Whether o's answer is what ref says (status and, for routes, the normalised route). */
int st_answer_matches(const struct st_play *p, const struct st_act *act,
                      const struct st_obs *o, const struct ref *ref);
/* Evidence of an answer that is not what was wanted: want_text, or the action's reference. */
void st_ev_mismatch(const struct st_analysis *a, size_t i, const char *ctx, struct st_ev *e,
                    const char *want_text);
/* Whether the play reports routes; else N/A with a note. */
int st_need_route(const struct st_analysis *a, struct st_ev *e);

/* ---- judges shared by several clauses (st_judge_cache.c) ---- */
enum sel { SEL_LOOKUP = 1, SEL_FORWARD = 2 };
int st_selected(const struct st_obs *o, unsigned sel);
/* Actions that spec s says must query (reason in mask) but did not. */
void st_judge_must_query(const struct st_analysis *a, int s, unsigned mask, unsigned sel,
                         struct st_ev *e);

/* The judge of one clause: adds to e what the play a shows about it. */
typedef void st_judge_fn(const struct st_analysis *a, enum st_spec spec, struct st_ev *e);
#define ST_JUDGE_DECL(sym, id, level, spec, judge, rule, sentence) st_judge_fn judge;
ST_CLAUSE_LIST(ST_JUDGE_DECL)
#undef ST_JUDGE_DECL

#endif
