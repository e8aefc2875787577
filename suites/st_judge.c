/*
 * st_judge: turns a play's record into verdicts.
 *
 * What DNS said at a moment is recomputed from the scenario itself: each step's records are
 * loaded into the model's stub resolver (with the step's servfail/timeout/malformed names) and
 * the route is resolved without any cache (rc_lookup_route), which gives the fresh route and
 * its effective TTL under the spec's rules (minimum over all records, TTLs above 2^31-1 as 0).
 * Which step answered an action is read from the fixture's query log, so real-time plays are
 * judged against the content the target really saw. Each action's queries are the fixture's
 * queries during the action whose name is the domain, one of its exchangers, or the forward
 * host (case-insensitive).
 *
 * Two expectation passes run over every play, one per spec: legacy (first route kept, never
 * re-asked) and ttl (re-asked at or after expiry, uncacheable answers asked every time). The
 * clause judges read the pass of the spec they are judged under. In real time, actions within
 * TOL_REAL of a TTL boundary or a step switch are not judged (the scenarios keep 0.5 s away).
 */
#define _GNU_SOURCE
#include "st_judge.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_lookup.h"
#include "rc_resolver.h"
#include "rc_route.h"

#define TOL_REAL 0.25
#define MAX_LINES 12
#define ROUTE_MAX 1024

enum need { NEED_ANY, NEED_QUERY, NEED_NOQUERY, NEED_UNSURE };
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
    RS_VALID           /* ttl: within the route's TTL */
};
#define M(r) (1u << (r))

static const char *reason_text(enum reason r)
{
    switch (r) {
    case RS_FIRST: return "first lookup";
    case RS_EXPIRED: return "the route's TTL has run out";
    case RS_TTL0: return "the route's effective TTL is 0";
    case RS_IMPLICIT: return "implicit-MX routes are never cached";
    case RS_NXDOMAIN: return "NXDOMAIN is never cached";
    case RS_TEMPFAIL: return "a temporary failure is never cached";
    case RS_NOROUTE: return "no route";
    case RS_CACHED: return "the route is cached";
    case RS_CACHED_IMPLICIT: return "the implicit-MX route is cached";
    case RS_VALID: return "within the route's TTL";
    case RS_NONE: break;
    }
    return "";
}

enum { SPEC_LEG = 0, SPEC_TTL = 1 };

struct ref {
    enum rc_status status;
    char text[ROUTE_MAX];
    char norm[ROUTE_MAX];
    uint32_t ttl;
    int implicit;
};

struct keystate {
    int fetched;
    int cached;          /* legacy: holds a route */
    enum reason last;    /* ttl: what the last fetch allows */
    double t_fetch, expires;
    int first_ok;
    char first_norm[ROUTE_MAX];
    char first_text[ROUTE_MAX];
};

struct key {
    char name[256];      /* normalised domain or forward host */
    int fwd;
    char **names;        /* names whose queries belong to this key */
    size_t nnames;
    struct ref *refs;    /* per step */
    struct keystate st[2];
};

struct expect {
    enum need need;
    enum reason reason;
    double fetched, expires;
};

struct oinfo {
    int key;             /* -1: an open without a forward host */
    size_t nrel;
    double t_fetch;
    size_t step;
    int sure;            /* the step is known (real time: not near a switch) */
    const struct ref *ref;
    struct expect ex[2];
    int anorm_ok;
    char anorm[ROUTE_MAX];
};

struct window {
    double t, t_end;
    int key;
    uint32_t ttl;
};

struct st_analysis {
    const struct st_play *p;
    const struct fx_scenario *sc;
    struct key *keys;
    size_t nkeys;
    size_t keys_cap;   /* allocated; grows by doubling (a capacity play has 1,000+ keys) */
    struct oinfo *oi;
    size_t nsteps;
    struct window *win;
    size_t nwin;
    double tol;
};

/* ---- routes ---- */

struct xch {
    unsigned pref;
    char name[256];
    char addrs[ROUTE_MAX];
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_xch(const void *a, const void *b)
{
    const struct xch *x = a, *y = b;
    if (x->pref != y->pref)
        return x->pref < y->pref ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void lower_nodot(char *s)
{
    for (char *c = s; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    size_t n = strlen(s);
    if (n > 1 && s[n - 1] == '.')
        s[n - 1] = '\0';
}

/* Parses "pref name a,b; pref name a" into xs (at most cap). Returns count or -1. */
static int route_parse(const char *text, struct xch *xs, size_t cap)
{
    char buf[ROUTE_MAX];
    snprintf(buf, sizeof buf, "%s", text);
    size_t n = 0;
    char *save = NULL;
    for (char *part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        while (*part == ' ')
            part++;
        if (!*part)
            continue;
        if (n == cap)
            return -1;
        char name[256] = "", addrs[ROUTE_MAX] = "";
        size_t digits = strspn(part, "0123456789");
        if (digits == 0 || part[digits] != ' ')
            return -1;   /* "127.0.0.10" is an address, not "PREF NAME" */
        char *end;
        errno = 0;
        unsigned long pref = strtoul(part, &end, 10);
        if (errno != 0 || pref > 65535)
            return -1;
        int got = sscanf(end, "%255s %1023s", name, addrs);
        if (got < 1 || name[0] == '.')
            return -1;
        xs[n].pref = (unsigned)pref;
        snprintf(xs[n].name, sizeof xs[n].name, "%s", name);
        lower_nodot(xs[n].name);
        /* sort the addresses */
        char *list[64];
        size_t na = 0;
        char *s2 = NULL;
        for (char *ad = strtok_r(addrs, ",", &s2); ad && na < 64; ad = strtok_r(NULL, ",", &s2))
            list[na++] = ad;
        qsort(list, na, sizeof list[0], cmp_str);
        xs[n].addrs[0] = '\0';
        for (size_t i = 0; i < na; i++) {
            size_t l = strlen(xs[n].addrs);
            snprintf(xs[n].addrs + l, sizeof xs[n].addrs - l, "%s%s", i ? "," : "", list[i]);
        }
        n++;
    }
    return (int)n;
}

int st_route_normalize(const char *text, char *out, size_t outlen)
{
    static const size_t cap = 32;
    struct xch *xs = calloc(cap, sizeof *xs);
    if (outlen)
        out[0] = '\0';
    if (!xs)
        return -1;
    int n = route_parse(text, xs, cap);
    if (n < 0) {
        free(xs);
        return -1;
    }
    qsort(xs, (size_t)n, sizeof *xs, cmp_xch);
    size_t l = 0;
    for (int i = 0; i < n && l < outlen; i++)
        l += (size_t)snprintf(out + l, outlen - l, "%s%u %s%s%s", i ? "; " : "", xs[i].pref,
                              xs[i].name, xs[i].addrs[0] ? " " : "", xs[i].addrs);
    free(xs);
    return 0;
}

int st_route_ordered(const char *text)
{
    static const size_t cap = 32;
    struct xch *xs = calloc(cap, sizeof *xs);
    if (!xs)
        return -1;
    int n = route_parse(text, xs, cap);
    int ok = n >= 0;
    for (int i = 1; ok && i < n; i++)
        if (xs[i].pref < xs[i - 1].pref)
            ok = 0;
    free(xs);
    return n < 0 ? -1 : ok;
}

/* ---- analysis ---- */

static enum rc_stub_fault stub_fault(enum fx_name_kind k)
{
    switch (k) {
    case FX_NAME_SERVFAIL: return RC_STUB_SERVFAIL;
    case FX_NAME_TIMEOUT: return RC_STUB_TIMEOUT;
    case FX_NAME_MALFORMED: return RC_STUB_MALFORMED;
    default: return RC_STUB_NONE;
    }
}

static int add_name(struct key *k, const char *name)
{
    char n[256];
    snprintf(n, sizeof n, "%s", name);
    lower_nodot(n);
    for (size_t i = 0; i < k->nnames; i++)
        if (strcmp(k->names[i], n) == 0)
            return 0;
    char **nn = realloc(k->names, (k->nnames + 1) * sizeof *nn);
    if (!nn)
        return -1;
    k->names = nn;
    if (!(k->names[k->nnames] = strdup(n)))
        return -1;
    k->nnames++;
    return 0;
}

static int find_key(struct st_analysis *a, const char *name, int fwd)
{
    for (size_t i = 0; i < a->nkeys; i++)
        if (a->keys[i].fwd == fwd && strcmp(a->keys[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int get_key(struct st_analysis *a, const char *raw, int fwd)
{
    char name[256], why[128];
    if (rc_name_normalize(raw, name, sizeof name, why, sizeof why) != RC_OK) {
        snprintf(name, sizeof name, "%s", raw);
        lower_nodot(name);
    }
    int k = find_key(a, name, fwd);
    if (k >= 0)
        return k;
    if (a->nkeys == a->keys_cap) {
        size_t cap = a->keys_cap ? 2 * a->keys_cap : 16;
        struct key *nk = realloc(a->keys, cap * sizeof *nk);
        if (!nk)
            return -1;
        a->keys = nk;
        a->keys_cap = cap;
    }
    struct key *key = &a->keys[a->nkeys];
    memset(key, 0, sizeof *key);
    snprintf(key->name, sizeof key->name, "%s", name);
    key->fwd = fwd;
    key->refs = calloc(a->nsteps, sizeof *key->refs);
    if (!key->refs || add_name(key, name) != 0) {
        a->nkeys++;
        return -1;
    }
    a->nkeys++;
    return (int)(a->nkeys - 1);
}

/* Resolves every key at every step through one stub resolver per step. 0 or -1. */
static int compute_refs(struct st_analysis *a)
{
    for (size_t s = 0; s < a->nsteps; s++) {
        struct rc_resolver *stub = NULL;
        char why[256] = "";
        if (rc_resolver_stub_new(&stub) != RC_OK)
            return -1;
        if (rc_resolver_stub_load(stub, fx_scenario_step_zone(a->sc, s), why, sizeof why) !=
            RC_OK) {
            /* The fixture loaded this zone already; a stub that cannot is a model bug. Every
             * reference is then a temporary failure, which the judges will show. */
        }
        for (size_t k = 0; k < a->nkeys; k++) {
            enum rc_stub_fault f = stub_fault(fx_scenario_name_kind(a->sc, s, a->keys[k].name));
            if (f != RC_STUB_NONE)
                rc_resolver_stub_fault(stub, a->keys[k].name, f);
        }
        for (size_t k = 0; k < a->nkeys; k++) {
            struct key *key = &a->keys[k];
            struct ref *r = &key->refs[s];
            struct rc_route *rt = NULL;
            r->status = key->fwd ? rc_lookup_host(stub, key->name, 0, &rt, why, sizeof why)
                                 : rc_lookup_route(stub, key->name, 0, 0, &rt, why, sizeof why);
            if (r->status == RC_OK && rt) {
                rc_route_format(rt, r->text, sizeof r->text);
                st_route_normalize(r->text, r->norm, sizeof r->norm);
                r->ttl = rc_route_ttl(rt);
                r->implicit = rc_route_implicit(rt);
                for (size_t i = 0; i < rc_route_count(rt); i++)
                    if (add_name(key, rc_route_name(rt, i)) != 0) {
                        rc_route_free(rt);
                        rc_resolver_free(stub);
                        return -1;
                    }
            }
            rc_route_free(rt);
        }
        rc_resolver_free(stub);
    }
    return 0;
}

static double q_time(const struct st_analysis *a, const struct st_obs *o, const struct fx_query *q)
{
    if (a->p->virtual_time)
        return o->t;
    return ((double)q->t_us - (double)a->p->t0_us) / 1e6;
}

static int q_matches(const struct key *k, const struct fx_query *q)
{
    char n[256];
    snprintf(n, sizeof n, "%s", q->name);
    lower_nodot(n);
    for (size_t i = 0; i < k->nnames; i++)
        if (strcmp(k->names[i], n) == 0)
            return 1;
    return 0;
}

/* The expectation of spec `s` for an action of key k at time t, from k's state. */
static struct expect expect_of(const struct st_analysis *a, const struct key *k, int s, double t)
{
    const struct keystate *st = &k->st[s];
    struct expect e = {NEED_ANY, RS_NONE, st->t_fetch, st->expires};
    if (!st->fetched) {
        e.need = NEED_QUERY;
        e.reason = RS_FIRST;
    } else if (s == SPEC_LEG) {
        if (st->cached) {
            e.need = NEED_NOQUERY;
            e.reason = st->last == RS_IMPLICIT ? RS_CACHED_IMPLICIT : RS_CACHED;
        } else if (st->last == RS_TEMPFAIL) {
            e.need = NEED_QUERY;
            e.reason = RS_TEMPFAIL;
        } else {
            e.reason = st->last;
        }
    } else {
        switch (st->last) {
        case RS_VALID:
            if (t >= st->expires + a->tol) {
                e.need = NEED_QUERY;
                e.reason = RS_EXPIRED;
            } else if (t < st->expires - a->tol) {
                e.need = NEED_NOQUERY;
                e.reason = RS_VALID;
            } else {
                e.need = NEED_UNSURE;
                e.reason = RS_EXPIRED;
            }
            break;
        case RS_TTL0:
        case RS_IMPLICIT:
        case RS_NXDOMAIN:
        case RS_TEMPFAIL:
            e.need = NEED_QUERY;
            e.reason = st->last;
            break;
        default:
            e.reason = st->last;
            break;
        }
    }
    return e;
}

/* Updates key state after an action that asked DNS (queried) with reference ref. */
static void fetch(struct st_analysis *a, struct key *k, const struct ref *ref, double t_fetch,
                  int key_index)
{
    enum reason r;
    switch (ref->status) {
    case RC_OK:
        r = ref->implicit ? RS_IMPLICIT : ref->ttl == 0 ? RS_TTL0 : RS_VALID;
        break;
    case RC_RETRY: r = RS_TEMPFAIL; break;
    case RC_NXDOMAIN: r = RS_NXDOMAIN; break;
    default: r = RS_NOROUTE; break;
    }
    /* legacy: the first route is kept for good */
    struct keystate *lg = &k->st[SPEC_LEG];
    if (!lg->cached) {
        lg->fetched = 1;
        lg->t_fetch = t_fetch;
        lg->last = r == RS_IMPLICIT ? RS_IMPLICIT : r == RS_TEMPFAIL ? RS_TEMPFAIL
                                                  : ref->status == RC_OK ? RS_CACHED : RS_NOROUTE;
        if (ref->status == RC_OK) {
            lg->cached = 1;
            lg->first_ok = 1;
            snprintf(lg->first_norm, sizeof lg->first_norm, "%s", ref->norm);
            snprintf(lg->first_text, sizeof lg->first_text, "%s", ref->text);
        }
    }
    struct keystate *tt = &k->st[SPEC_TTL];
    tt->fetched = 1;
    tt->t_fetch = t_fetch;
    tt->last = r;
    tt->expires = r == RS_VALID ? t_fetch + ref->ttl : t_fetch;
    if (r == RS_VALID) {
        struct window *nw = realloc(a->win, (a->nwin + 1) * sizeof *nw);
        if (nw) {
            a->win = nw;
            a->win[a->nwin++] = (struct window){t_fetch, t_fetch + ref->ttl, key_index, ref->ttl};
        }
    }
}

void st_analysis_free(struct st_analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nkeys; i++) {
        for (size_t j = 0; j < a->keys[i].nnames; j++)
            free(a->keys[i].names[j]);
        free(a->keys[i].names);
        free(a->keys[i].refs);
    }
    free(a->keys);
    free(a->oi);
    free(a->win);
    free(a);
}

struct st_analysis *st_analysis_new(const struct st_play *p)
{
    struct st_analysis *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->p = p;
    a->sc = p->sc;
    a->nsteps = fx_scenario_step_count(p->sc);
    a->tol = p->virtual_time ? 0.0 : TOL_REAL;
    a->oi = calloc(p->nobs ? p->nobs : 1, sizeof *a->oi);
    if (!a->oi)
        goto fail;
    const char *fwd = fx_scenario_forward(p->sc);
    for (size_t i = 0; i < p->nobs; i++) {
        const struct st_obs *o = &p->obs[i];
        int k = -1;
        if (o->kind == ST_OBS_LOOKUP)
            k = get_key(a, o->act->domain, 0);
        else if (fwd)
            k = get_key(a, fwd, 1);
        if (k < 0 && (o->kind == ST_OBS_LOOKUP || fwd))
            goto fail;
        a->oi[i].key = k;
    }
    if (compute_refs(a) != 0)
        goto fail;

    for (size_t i = 0; i < p->nobs; i++) {
        const struct st_obs *o = &p->obs[i];
        struct oinfo *oi = &a->oi[i];
        if (oi->key < 0)
            continue;
        struct key *k = &a->keys[oi->key];
        int smin = -1, smax = -1;
        oi->t_fetch = o->t;
        for (size_t j = 0; j < o->nq; j++) {
            if (!q_matches(k, &o->q[j]))
                continue;
            if (oi->nrel == 0)
                oi->t_fetch = q_time(a, o, &o->q[j]);
            oi->nrel++;
            int st = o->q[j].step;
            if (smin < 0 || st < smin)
                smin = st;
            if (st > smax)
                smax = st;
        }
        if (oi->nrel > 0 && smin >= 0 && (size_t)smin < a->nsteps) {
            oi->step = (size_t)smin;
            oi->sure = smin == smax;
        } else {
            uint64_t tms = o->t <= 0 ? 0 : (uint64_t)(o->t * 1000.0 + 0.5);
            oi->step = fx_scenario_step_at(a->sc, tms);
            oi->sure = 1;
            for (size_t s = 1; s < a->nsteps && a->tol > 0; s++) {
                double ts = (double)fx_scenario_step_time(a->sc, s) / 1000.0;
                if (o->t > ts - a->tol && o->t < ts + a->tol)
                    oi->sure = 0;
            }
        }
        oi->ref = &k->refs[oi->step];
        if (o->kind != ST_OBS_OPEN) {
            oi->ex[SPEC_LEG] = expect_of(a, k, SPEC_LEG, o->t);
            oi->ex[SPEC_TTL] = expect_of(a, k, SPEC_TTL, o->t);
            char text[ROUTE_MAX];
            if (o->ans.kind == RC_REPLY_ROUTE &&
                rc_route_format(o->ans.route, text, sizeof text) < sizeof text)
                oi->anorm_ok = st_route_normalize(text, oi->anorm, sizeof oi->anorm) == 0;
        }
        if (oi->nrel > 0)
            fetch(a, k, oi->ref, oi->t_fetch, oi->key);
    }
    return a;
fail:
    st_analysis_free(a);
    return NULL;
}

/* ---- evidence ---- */

struct ev {
    FILE *exp, *obs, *ok, *note;   /* obs: violations; ok: what met the clause */
    char *exp_s, *obs_s, *ok_s, *note_s;
    size_t exp_len, obs_len, ok_len, note_len;
    unsigned exp_lines, obs_lines, ok_lines, exp_more, obs_more, ok_more;
    size_t judged, bad, unsure, unseen;
    int na, error;
};

/* An answer the target could not show (st_answer.unseen): counted, never judged. */
static int skip_unseen(const struct st_obs *o, struct ev *e)
{
    if (!o->ans.unseen)
        return 0;
    e->unseen++;
    return 1;
}

static void ev_open(struct ev *e)
{
    memset(e, 0, sizeof *e);
    e->exp = open_memstream(&e->exp_s, &e->exp_len);
    e->obs = open_memstream(&e->obs_s, &e->obs_len);
    e->ok = open_memstream(&e->ok_s, &e->ok_len);
    e->note = open_memstream(&e->note_s, &e->note_len);
}

static void vline(FILE *f, unsigned *lines, unsigned *more, const char *fmt, va_list ap)
{
    if (!f)
        return;
    if (*lines >= MAX_LINES) {
        (*more)++;
        return;
    }
    if (*lines)
        fputc('\n', f);
    vfprintf(f, fmt, ap);
    (*lines)++;
}

__attribute__((format(printf, 2, 3))) static void exp_line(struct ev *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(e->exp, &e->exp_lines, &e->exp_more, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void obs_line(struct ev *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(e->obs, &e->obs_lines, &e->obs_more, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void ok_line(struct ev *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vline(e->ok, &e->ok_lines, &e->ok_more, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void note(struct ev *e, const char *fmt, ...)
{
    if (!e->note)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (e->note_len || ftell(e->note) > 0)
        fputs("; ", e->note);
    vfprintf(e->note, fmt, ap);
    va_end(ap);
    fflush(e->note);
}

static void ev_close(struct ev *e, struct st_clause_result *cr)
{
    if (e->exp && e->exp_more)
        fprintf(e->exp, "\n... and %u more", e->exp_more);
    if (e->obs && e->obs_more)
        fprintf(e->obs, "\n... and %u more", e->obs_more);
    if (e->ok && e->ok_more)
        fprintf(e->ok, "\n... and %u more", e->ok_more);
    if (e->exp)
        fclose(e->exp);
    if (e->obs)
        fclose(e->obs);
    if (e->ok)
        fclose(e->ok);
    if (e->note)
        fclose(e->note);
    if (e->exp_s && *e->exp_s)
        st_set_str(&cr->expected, e->exp_s);
    /* the violations if any, else what met the clause */
    if (e->obs_s && *e->obs_s)
        st_set_str(&cr->observed, e->obs_s);
    else if (e->ok_s && *e->ok_s)
        st_set_str(&cr->observed, e->ok_s);
    if (e->note_s && *e->note_s)
        st_set_str(&cr->note, e->note_s);
    free(e->exp_s);
    free(e->obs_s);
    free(e->ok_s);
    free(e->note_s);
}

/* "MX a.test, A mx.a.test" -- the action's queries (all of them; foreign ones marked). */
static void qlist(const struct st_analysis *a, size_t i, char *buf, size_t len)
{
    const struct st_obs *o = &a->p->obs[i];
    const struct oinfo *oi = &a->oi[i];
    size_t l = 0;
    buf[0] = '\0';
    if (o->nq == 0) {
        snprintf(buf, len, "no DNS query");
        return;
    }
    for (size_t j = 0; j < o->nq && l < len; j++) {
        int rel = oi->key >= 0 && q_matches(&a->keys[oi->key], &o->q[j]);
        l += (size_t)snprintf(buf + l, len - l, "%s%s %s%s", j ? ", " : "",
                              fx_qtype_str(o->q[j].qtype), o->q[j].name,
                              rel ? "" : " (other name)");
    }
}

static const char *what(const struct st_analysis *a, size_t i)
{
    const struct st_obs *o = &a->p->obs[i];
    if (o->kind == ST_OBS_LOOKUP)
        return o->act->domain;
    if (o->kind == ST_OBS_FORWARD)
        return "forward host";
    return "start-up";
}

static void answer_text(const struct st_obs *o, char *buf, size_t len)
{
    if (o->ans.kind == RC_REPLY_ROUTE) {
        char text[ROUTE_MAX];
        rc_route_format(o->ans.route, text, sizeof text);
        snprintf(buf, len, "ok \"%s\"", text);
    } else {
        snprintf(buf, len, "%s%s%s", rc_reply_str(o->ans.kind),
                 o->ans.why[0] ? ": " : "", o->ans.why);
    }
}

static void ref_text(const struct ref *r, char *buf, size_t len)
{
    if (r->status == RC_OK)
        snprintf(buf, len, "ok \"%s\" (TTL %u s%s)", r->text, r->ttl,
                 r->implicit ? ", implicit MX" : "");
    else
        snprintf(buf, len, "%s", rc_status_str(r->status));
}

enum sel { SEL_LOOKUP = 1, SEL_FORWARD = 2 };

static int selected(const struct st_obs *o, unsigned sel)
{
    return (o->kind == ST_OBS_LOOKUP && (sel & SEL_LOOKUP)) ||
           (o->kind == ST_OBS_FORWARD && (sel & SEL_FORWARD));
}

/* Actions that spec s says must query (reason in mask) but did not. */
static void j_query(const struct st_analysis *a, int s, unsigned mask, unsigned sel, struct ev *e)
{
    char ql[512];
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct oinfo *oi = &a->oi[i];
        if (!selected(o, sel) || !(mask & M(oi->ex[s].reason)))
            continue;
        if (oi->ex[s].need == NEED_UNSURE) {
            e->unsure++;
            continue;
        }
        if (oi->ex[s].need != NEED_QUERY)
            continue;
        e->judged++;
        qlist(a, i, ql, sizeof ql);
        if (oi->nrel == 0) {
            e->bad++;
            char ans[1200];
            answer_text(o, ans, sizeof ans);
            if (oi->ex[s].reason == RS_EXPIRED)
                exp_line(e, "%s t=%.3f s %s: DNS queries (route fetched at %.3f s ran out at "
                            "%.3f s)", fx_scenario_name(a->sc), o->t, what(a, i),
                         oi->ex[s].fetched, oi->ex[s].expires);
            else
                exp_line(e, "%s t=%.3f s %s: DNS queries (%s)", fx_scenario_name(a->sc), o->t,
                         what(a, i), reason_text(oi->ex[s].reason));
            obs_line(e, "%s t=%.3f s %s: %s; answered %s", fx_scenario_name(a->sc), o->t,
                     what(a, i), ql, ans);
        } else if (e->bad == 0) {
            ok_line(e, "%s t=%.3f s %s (%s): %s", fx_scenario_name(a->sc), o->t, what(a, i),
                     reason_text(oi->ex[s].reason), ql);
        }
    }
}

/* Actions that spec s says must (or should) not query (reason in mask) but did. */
static void j_noquery(const struct st_analysis *a, int s, unsigned mask, unsigned sel,
                      struct ev *e)
{
    char ql[512];
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct oinfo *oi = &a->oi[i];
        if (!selected(o, sel) || !(mask & M(oi->ex[s].reason)))
            continue;
        if (oi->ex[s].need == NEED_UNSURE) {
            e->unsure++;
            continue;
        }
        if (oi->ex[s].need != NEED_NOQUERY)
            continue;
        e->judged++;
        if (oi->nrel > 0) {
            e->bad++;
            qlist(a, i, ql, sizeof ql);
            exp_line(e, "%s t=%.3f s %s: no DNS query (%s, fetched at %.3f s%s)",
                     fx_scenario_name(a->sc), o->t, what(a, i), reason_text(oi->ex[s].reason),
                     oi->ex[s].fetched, s == SPEC_TTL ? ", TTL not run out" : "");
            obs_line(e, "%s t=%.3f s %s: %s", fx_scenario_name(a->sc), o->t, what(a, i), ql);
        } else if (e->bad == 0) {
            ok_line(e, "%s t=%.3f s %s: no DNS query (%s)", fx_scenario_name(a->sc), o->t,
                     what(a, i), reason_text(oi->ex[s].reason));
        }
    }
}

static int need_route(const struct st_analysis *a, struct ev *e)
{
    if (!a->p->caps.route_visible) {
        e->na = 1;
        note(e, "target %s does not report the routes it uses", fx_scenario_name(a->sc));
        return 0;
    }
    return 1;
}

/* For targets that only show the address they used (st_caps.route_addr_only): whether addr is
 * an address of a most preferred exchanger of the (normalised) route. */
static int addr_in_best(const char *route_norm, const char *addr)
{
    static const size_t cap = 32;
    struct xch *xs = calloc(cap, sizeof *xs);
    if (!xs)
        return 0;
    int n = route_parse(route_norm, xs, cap), found = 0;
    for (int i = 0; i < n && !found; i++) {
        if (xs[i].pref != xs[0].pref)   /* normalised: sorted by preference */
            break;
        char list[ROUTE_MAX + 2]; /* the addresses with a comma on each side */
        snprintf(list, sizeof list, ",%s,", xs[i].addrs);
        char want[300];
        snprintf(want, sizeof want, ",%s,", addr);
        found = strstr(list, want) != NULL;
    }
    free(xs);
    return found;
}

/* Whether answer o (of a target with the play's caps) carries route_norm. */
static int route_equal(const struct st_play *p, const struct oinfo *oi, const struct st_obs *o,
                       const char *route_norm)
{
    if (o->ans.kind != RC_REPLY_ROUTE)
        return 0;
    if (p->caps.route_addr_only)
        return addr_in_best(route_norm, rc_route_addr(o->ans.route, 0, 0));
    return oi->anorm_ok && strcmp(oi->anorm, route_norm) == 0;
}

/* Whether the answer equals the reference (status and, for routes, normalised route). */
static int answer_matches(const struct st_play *p, const struct oinfo *oi,
                          const struct st_obs *o)
{
    if (oi->ref->status == RC_OK)
        return route_equal(p, oi, o, oi->ref->norm);
    if (rc_status_is_noroute(oi->ref->status))
        return rc_reply_is_noroute(o->ans.kind);
    return o->ans.kind == rc_reply_from_status(oi->ref->status);
}

static void mismatch(const struct st_analysis *a, size_t i, const char *ctx, struct ev *e,
                     const char *want_text)
{
    const struct st_obs *o = &a->p->obs[i];
    char ans[1200], ref[1200], ql[512];
    answer_text(o, ans, sizeof ans);
    if (want_text)
        snprintf(ref, sizeof ref, "ok \"%s\"", want_text);
    else
        ref_text(a->oi[i].ref, ref, sizeof ref);
    qlist(a, i, ql, sizeof ql);
    exp_line(e, "%s t=%.3f s %s: %s (%s)", fx_scenario_name(a->sc), o->t, what(a, i), ref, ctx);
    obs_line(e, "%s t=%.3f s %s: %s [%s]", fx_scenario_name(a->sc), o->t, what(a, i), ans, ql);
}

/* Spec s: actions that queried DNS, and actions with a reason in mask that had to, return
 * what DNS said at that time (TTL-3, TTL-10). */
static void j_fresh(const struct st_analysis *a, int s, unsigned mask, unsigned sel,
                    struct ev *e)
{
    if (!need_route(a, e))
        return;
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct oinfo *oi = &a->oi[i];
        int must = (mask & M(oi->ex[s].reason)) && oi->ex[s].need == NEED_QUERY;
        if (!selected(o, sel) || (!must && oi->nrel == 0) || skip_unseen(o, e))
            continue;
        if (!oi->sure) {
            e->unsure++;
            continue;
        }
        e->judged++;
        if (!answer_matches(a->p, oi, o)) {
            e->bad++;
            mismatch(a, i, "what DNS said at that time", e, NULL);
        } else if (e->bad == 0) {
            char ans[1200];
            answer_text(o, ans, sizeof ans);
            ok_line(e, "%s t=%.3f s %s: %s, as DNS said then", fx_scenario_name(a->sc), o->t,
                     what(a, i), ans);
        }
    }
}

/* Legacy: every action after the first route returns that first route (LEG-2, LEG-7). */
static void j_first_route(const struct st_analysis *a, unsigned sel, struct ev *e)
{
    if (!need_route(a, e))
        return;
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct oinfo *oi = &a->oi[i];
        if (!selected(o, sel) || oi->ex[SPEC_LEG].need != NEED_NOQUERY || skip_unseen(o, e))
            continue;
        const struct keystate *st = &a->keys[oi->key].st[SPEC_LEG];
        e->judged++;
        int ok = route_equal(a->p, oi, o, st->first_norm);
        if (!ok) {
            e->bad++;
            mismatch(a, i, "the route first resolved", e, st->first_text);
        } else if (e->bad == 0 && oi->ref->status == RC_OK &&
                   strcmp(oi->ref->norm, st->first_norm) != 0) {
            char text[ROUTE_MAX];
            rc_route_format(o->ans.route, text, sizeof text);
            ok_line(e, "%s t=%.3f s %s: still \"%s\" while DNS says \"%s\"",
                     fx_scenario_name(a->sc), o->t, what(a, i), text, oi->ref->text);
        }
    }
}

/* Lookups whose reference has status in `want` (a predicate) must answer accordingly. */
static void j_status(const struct st_analysis *a, int (*refsel)(const struct ref *),
                     int (*ok)(const struct st_analysis *, const struct st_obs *,
                               const struct oinfo *),
                     const char *rule, struct ev *e)
{
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct oinfo *oi = &a->oi[i];
        if (o->kind != ST_OBS_LOOKUP || !refsel(oi->ref) || skip_unseen(o, e))
            continue;
        if (!oi->sure) {
            e->unsure++;
            continue;
        }
        e->judged++;
        if (!ok(a, o, oi)) {
            e->bad++;
            mismatch(a, i, rule, e, NULL);
        } else if (e->bad == 0) {
            char ans[1200];
            answer_text(o, ans, sizeof ans);
            ok_line(e, "%s t=%.3f s %s: %s", fx_scenario_name(a->sc), o->t, what(a, i), ans);
        }
    }
}

static int ref_tempfail(const struct ref *r) { return r->status == RC_RETRY; }
static int ref_noroute(const struct ref *r) { return rc_status_is_noroute(r->status); }
static int ref_ok(const struct ref *r) { return r->status == RC_OK; }
static int ref_implicit(const struct ref *r) { return r->status == RC_OK && r->implicit; }

static int ok_tempfail(const struct st_analysis *a, const struct st_obs *o, const struct oinfo *oi)
{
    (void)oi;
    if (a->p->caps.noroute_visible)
        return o->ans.kind == RC_REPLY_TEMPFAIL;
    return o->ans.kind != RC_REPLY_ROUTE;
}

static int ok_noroute(const struct st_analysis *a, const struct st_obs *o, const struct oinfo *oi)
{
    (void)oi;
    if (a->p->caps.noroute_visible)
        return rc_reply_is_noroute(o->ans.kind);
    return o->ans.kind != RC_REPLY_ROUTE;
}

static int ok_route(const struct st_analysis *a, const struct st_obs *o, const struct oinfo *oi)
{
    return answer_matches(a->p, oi, o);
}

/* Whether a route's exchangers come in preference order. */
static int route_ordered(const struct rc_route *rt)
{
    for (size_t i = 1; i < rc_route_count(rt); i++)
        if (rc_route_pref(rt, i) < rc_route_pref(rt, i - 1))
            return 0;
    return 1;
}

static int ok_ordered(const struct st_analysis *a, const struct st_obs *o, const struct oinfo *oi)
{
    /* an address-only target shows order by using a most preferred exchanger */
    return answer_matches(a->p, oi, o) &&
           (a->p->caps.route_addr_only || route_ordered(o->ans.route));
}

/* COM-3: a null MX's exchanger "." is never looked up. */
static void j_no_root_address(const struct st_analysis *a, struct ev *e)
{
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        for (size_t j = 0; j < o->nq; j++) {
            const struct fx_query *q = &o->q[j];
            if ((q->qtype == 1 || q->qtype == 28) && (!q->name[0] || strcmp(q->name, ".") == 0)) {
                e->bad++;
                exp_line(e, "%s t=%.3f s %s: no address query for \".\"",
                         fx_scenario_name(a->sc), o->t, what(a, i));
                obs_line(e, "%s t=%.3f s %s: %s query for \".\"", fx_scenario_name(a->sc),
                         o->t, what(a, i), fx_qtype_str(q->qtype));
            }
        }
    }
}

/* COM-8: spellings that differ only in case or a trailing dot cause no more queries than an
 * identical repeat of the first spelling. */
static void j_case(const struct st_analysis *a, struct ev *e)
{
    size_t refused = 0, judged0 = e->judged;
    for (size_t k = 0; k < a->nkeys; k++) {
        const char *first = NULL;
        size_t baseline = 0;
        int have_repeat = 0;
        for (size_t i = 0; i < a->p->nobs; i++) {
            const struct st_obs *o = &a->p->obs[i];
            if (o->kind != ST_OBS_LOOKUP || a->oi[i].key != (int)k)
                continue;
            if (!first) {
                first = o->act->domain;
            } else if (strcmp(o->act->domain, first) == 0) {
                have_repeat = 1;
                if (a->oi[i].nrel > baseline)
                    baseline = a->oi[i].nrel;
            }
        }
        if (!first)
            continue;
        if (!have_repeat) {
            note(e, "%s: no identical repeat of %s to compare with", fx_scenario_name(a->sc),
                 first);
            continue;
        }
        for (size_t i = 0; i < a->p->nobs; i++) {
            const struct st_obs *o = &a->p->obs[i];
            if (o->kind != ST_OBS_LOOKUP || a->oi[i].key != (int)k ||
                strcmp(o->act->domain, first) == 0)
                continue;
            if (o->ans.kind == RC_REPLY_REFUSED) {
                /* the target could not be asked this spelling (an MTA refusing "user@d.") */
                refused++;
                note(e, "%s t=%.3f s \"%s\": not judged, the target refused this spelling: %s",
                     fx_scenario_name(a->sc), o->t, o->act->domain, o->ans.why);
                continue;
            }
            e->judged++;
            char ql[512];
            qlist(a, i, ql, sizeof ql);
            if (a->oi[i].nrel > baseline) {
                e->bad++;
                exp_line(e, "%s t=%.3f s \"%s\": at most %zu DNS queries (as an identical "
                            "repeat of \"%s\")", fx_scenario_name(a->sc), o->t, o->act->domain,
                         baseline, first);
                obs_line(e, "%s t=%.3f s \"%s\": %zu queries: %s", fx_scenario_name(a->sc), o->t,
                         o->act->domain, a->oi[i].nrel, ql);
            } else if (e->bad == 0) {
                ok_line(e, "%s t=%.3f s \"%s\": %zu queries (identical repeat: %zu)",
                         fx_scenario_name(a->sc), o->t, o->act->domain, a->oi[i].nrel, baseline);
            }
        }
    }
    if (refused && e->judged == judged0)
        e->na = 1; /* every other spelling was refused: nothing could be asked */
}

/* COM-9: the queries each lookup caused, reported. */
static void j_queries(const struct st_analysis *a, struct ev *e)
{
    char ql[512];
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        if (o->kind == ST_OBS_OPEN && o->nq == 0)
            continue;
        e->judged++;
        qlist(a, i, ql, sizeof ql);
        ok_line(e, "%s t=%.3f s %s: %s", fx_scenario_name(a->sc), o->t, what(a, i), ql);
    }
}

/* Capacity clauses: LEG-3 (C domains served again), LEG-4/TTL-9 (C+1 forces DNS), LEG-5. */
static void j_capacity(const struct st_analysis *a, enum st_clause_sym sym, struct ev *e)
{
    size_t cap = fx_scenario_capacity(a->sc);
    size_t tcap = a->p->caps.capacity;
    if (cap == 0) {
        note(e, "%s declares no capacity", fx_scenario_name(a->sc));
        e->error = 1;
        return;
    }
    if (tcap == 0) {
        e->na = 1;
        note(e, "the target declares no cache capacity");
        return;
    }
    if (tcap != cap) {
        e->na = 1;
        note(e, "the target's capacity is %zu; %s is built for %zu", tcap,
             fx_scenario_name(a->sc), cap);
        return;
    }
    /* last use of each key, and the number of distinct keys so far */
    size_t *last = calloc(a->nkeys ? a->nkeys : 1, sizeof *last);
    char *seen = calloc(a->nkeys ? a->nkeys : 1, 1);
    if (!last || !seen) {
        free(last);
        free(seen);
        e->error = 1;
        note(e, "out of memory");
        return;
    }
    size_t distinct = 0, clock = 0, over = 0, needed = 0;
    int lru = -1;
    char ql[512];
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct oinfo *oi = &a->oi[i];
        if (o->kind != ST_OBS_LOOKUP)
            continue;
        int k = oi->key;
        clock++;
        if (!seen[k]) {
            if (distinct == cap && lru < 0) {
                /* the C+1st distinct domain: remember who was least recently used */
                size_t best = SIZE_MAX;
                for (size_t j = 0; j < a->nkeys; j++)
                    if (seen[j] && last[j] < best) {
                        best = last[j];
                        lru = (int)j;
                    }
            }
            seen[k] = 1;
            distinct++;
            last[k] = clock;
            continue;
        }
        last[k] = clock;
        if (distinct <= cap) {
            if (sym == ST_CL_LEG3) {
                e->judged++;
                if (oi->nrel > 0) {
                    e->bad++;
                    qlist(a, i, ql, sizeof ql);
                    exp_line(e, "t=%.3f s %s: no DNS query (%zu distinct domains so far, "
                                "capacity %zu)", o->t, o->act->domain, distinct, cap);
                    obs_line(e, "t=%.3f s %s: %s", o->t, o->act->domain, ql);
                }
            }
        } else {
            over++;
            if (oi->nrel > 0) {
                needed++;
                if (sym != ST_CL_LEG3)
                    ok_line(e, "t=%.3f s %s needed DNS again (repeat lookup #%zu once %zu "
                                "distinct domains were looked up)", o->t, o->act->domain, over,
                             cap + 1);
            }
        }
    }
    if (sym == ST_CL_LEG3) {
        if (e->bad == 0 && e->judged)
            ok_line(e, "all %zu repeat lookups of the first %zu domains were served without "
                        "DNS", e->judged, cap);
        exp_line(e, "repeat lookups while at most %zu distinct domains were looked up: no DNS",
                 cap);
    } else {
        exp_line(e, "after %zu distinct domains, at least one of the %zu repeat lookups needs "
                    "DNS", cap + 1, over);
        if (over > 0)
            e->judged++;
        if (over > 0 && needed == 0) {
            e->bad++;
            obs_line(e, "none of the %zu repeat lookups once %zu distinct domains were looked up "
                        "queried DNS: the cache held more than %zu domains", over, cap + 1, cap);
        } else if (sym == ST_CL_LEG5) {
            note(e, "%zu of %zu repeat lookups needed DNS; the least recently used domain when "
                    "the cache overflowed was %s", needed, over,
                 lru >= 0 ? a->keys[lru].name : "(none)");
        }
    }
    free(last);
    free(seen);
}

/* What each judge checks, for the evidence of verdicts without violation lines. */
static const char *rule_of(enum st_clause_sym sym)
{
    switch (sym) {
    case ST_CL_LEG1: return "no DNS query at any lookup after the first route was resolved";
    case ST_CL_LEG2: return "every later lookup returns the route first resolved";
    case ST_CL_LEG3: return "a second pass over the first C domains causes no DNS query";
    case ST_CL_LEG4:
    case ST_CL_TTL9: return "once C+1 distinct domains were looked up, a repeat lookup needs DNS";
    case ST_CL_LEG5: return "reported: which repeat lookups needed DNS once the cache overflowed";
    case ST_CL_LEG6: return "no DNS query at later lookups of an implicit-MX domain";
    case ST_CL_LEG7: return "no DNS query for the forward host after its first resolution, and "
                            "its first address kept";
    case ST_CL_TTL1: return "no DNS query at lookups within the route's TTL (SHOULD)";
    case ST_CL_TTL2: return "DNS queries at the first lookup at or after the route's TTL ran out";
    case ST_CL_TTL3: return "the route returned after the TTL ran out is what DNS said then";
    case ST_CL_TTL4: return "DNS queries at the first lookup after the shortest record TTL ran out";
    case ST_CL_TTL5: return "DNS queries at every lookup of an implicit-MX domain";
    case ST_CL_TTL6: return "DNS queries at every lookup of an NXDOMAIN domain";
    case ST_CL_TTL7: return "DNS queries at every lookup of a route with a TTL-0 record";
    case ST_CL_TTL8: return "DNS queries at every lookup of a route with a TTL above 2^31-1";
    case ST_CL_TTL10: return "DNS queries for the forward host at its first use after its TTL, "
                             "and the new address returned";
    case ST_CL_TTL11: return "no DNS query for the forward host within its TTL (SHOULD)";
    case ST_CL_COM1: return "the route lists the exchangers by preference, lowest first";
    case ST_CL_COM2: return "the route is the domain itself at its address";
    case ST_CL_COM3: return "no route, and no address query for \".\"";
    case ST_CL_COM4: return "no route (not a temporary failure)";
    case ST_CL_COM5:
    case ST_CL_COM6:
    case ST_CL_COM7: return "a temporary failure, and DNS queries at the next lookup";
    case ST_CL_COM8: return "no more DNS queries than an identical repeat lookup";
    case ST_CL_COM9: return "reported: the DNS queries of each lookup";
    case ST_CLAUSE_COUNT: break;
    }
    return "";
}

/* Whether name is an item of the ", "-separated list. */
static int name_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
            return 1;
    return 0;
}

static enum st_verdict worst(enum st_verdict a, enum st_verdict b)
{
    static const int rank[ST_VERDICT_COUNT] = {
        [ST_PASS] = 1, [ST_INFO] = 1, [ST_NA] = 0, [ST_NONSTRICT] = 2, [ST_FAIL] = 3,
        [ST_ERROR] = 4};
    return rank[b] > rank[a] ? b : a;
}

void st_judge_clause(const struct st_clause *cl, enum st_spec spec,
                     struct st_analysis *const *an, size_t n, struct st_clause_result *cr)
{
    struct ev e;
    ev_open(&e);
    int s = spec == ST_SPEC_LEGACY ? SPEC_LEG : SPEC_TTL;
    enum st_verdict v = ST_NA;
    int any = 0;
    size_t total_judged = 0;
    if (n == 0) {
        cr->verdict = ST_ERROR;
        note(&e, "no scenario in the library covers %s", cl->id);
        ev_close(&e, cr);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        const struct st_analysis *a = an[j];
        struct ev pe;   /* per play counters, shared text */
        pe = e;
        pe.judged = pe.bad = pe.unsure = pe.unseen = 0;
        pe.na = pe.error = 0;
        /* every scenario that decided it, once each */
        if (!cr->scenario)
            st_set_str(&cr->scenario, fx_scenario_name(a->sc));
        else if (!name_listed(cr->scenario, fx_scenario_name(a->sc)))
            st_set_fmt(&cr->scenario, "%s, %s", cr->scenario, fx_scenario_name(a->sc));
        if (a->p->error) {
            pe.error = 1;
            note(&pe, "%s: %s", fx_scenario_name(a->sc), a->p->why);
        } else if (a->p->na) {
            pe.na = 1;
            note(&pe, "%s: %s", fx_scenario_name(a->sc), a->p->why);
        } else if (a->p->caps.relay_only && cl->sym != ST_CL_LEG7 && cl->sym != ST_CL_TTL10 &&
                   cl->sym != ST_CL_TTL11 && cl->sym != ST_CL_COM9) {
            pe.na = 1;
            note(&pe, "%s: the target relays every message to a forward host and never looks "
                      "up a domain's MX", fx_scenario_name(a->sc));
        } else {
            switch (cl->sym) {
            case ST_CL_LEG1: j_noquery(a, SPEC_LEG, M(RS_CACHED), SEL_LOOKUP, &pe); break;
            case ST_CL_LEG2: j_first_route(a, SEL_LOOKUP, &pe); break;
            case ST_CL_LEG6:
                j_noquery(a, SPEC_LEG, M(RS_CACHED_IMPLICIT), SEL_LOOKUP, &pe);
                break;
            case ST_CL_LEG7:
            case ST_CL_TTL10:
            case ST_CL_TTL11:
                if (!a->p->caps.forward_host) {
                    pe.na = 1;
                    note(&pe, "the target cannot be configured with a forward host");
                } else if (cl->sym == ST_CL_LEG7) {
                    j_noquery(a, SPEC_LEG, M(RS_CACHED), SEL_FORWARD, &pe);
                    if (!pe.na)
                        j_first_route(a, SEL_FORWARD, &pe);
                } else if (cl->sym == ST_CL_TTL10) {
                    j_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_EXPIRED), SEL_FORWARD, &pe);
                    size_t b = pe.bad;
                    j_fresh(a, SPEC_TTL, M(RS_EXPIRED), SEL_FORWARD, &pe);
                    if (pe.na && b) /* the missing re-query alone decides it */
                        pe.na = 0;
                } else {
                    j_noquery(a, SPEC_TTL, M(RS_VALID), SEL_FORWARD, &pe);
                }
                break;
            case ST_CL_LEG3:
            case ST_CL_LEG4:
            case ST_CL_LEG5:
            case ST_CL_TTL9: j_capacity(a, cl->sym, &pe); break;
            case ST_CL_TTL1: j_noquery(a, SPEC_TTL, M(RS_VALID), SEL_LOOKUP, &pe); break;
            case ST_CL_TTL2:
            case ST_CL_TTL4:
                j_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_EXPIRED), SEL_LOOKUP, &pe);
                break;
            case ST_CL_TTL3: j_fresh(a, SPEC_TTL, M(RS_EXPIRED), SEL_LOOKUP, &pe); break;
            case ST_CL_TTL5:
                j_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_IMPLICIT), SEL_LOOKUP, &pe);
                break;
            case ST_CL_TTL6:
                j_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_NXDOMAIN), SEL_LOOKUP, &pe);
                break;
            case ST_CL_TTL7:
            case ST_CL_TTL8:
                j_query(a, SPEC_TTL, M(RS_FIRST) | M(RS_TTL0), SEL_LOOKUP, &pe);
                break;
            case ST_CL_COM1:
                if (need_route(a, &pe))
                    j_status(a, ref_ok, ok_ordered, "exchangers by preference, lowest first",
                             &pe);
                break;
            case ST_CL_COM2:
                if (need_route(a, &pe))
                    j_status(a, ref_implicit, ok_route, "the implicit MX: the domain itself",
                             &pe);
                break;
            case ST_CL_COM3:
            case ST_CL_COM4:
                if (!a->p->caps.noroute_visible && !a->p->caps.route_visible) {
                    pe.na = 1;
                    note(&pe, "the target reports neither routes nor no-route answers");
                } else {
                    j_status(a, ref_noroute, ok_noroute, "no route", &pe);
                    if (cl->sym == ST_CL_COM3)
                        j_no_root_address(a, &pe);
                }
                break;
            case ST_CL_COM5:
            case ST_CL_COM6:
            case ST_CL_COM7:
                j_status(a, ref_tempfail, ok_tempfail, "a temporary failure", &pe);
                j_query(a, s, M(RS_TEMPFAIL), SEL_LOOKUP, &pe);
                break;
            case ST_CL_COM8: j_case(a, &pe); break;
            case ST_CL_COM9: j_queries(a, &pe); break;
            case ST_CLAUSE_COUNT: break;
            }
        }
        enum st_verdict pv;
        if (pe.error)
            pv = ST_ERROR;
        else if (pe.na)
            pv = ST_NA;
        else if (cl->level == ST_LEVEL_INFO)
            pv = pe.judged ? ST_INFO : ST_NA;
        else if (pe.bad)
            pv = cl->level == ST_LEVEL_MUST ? ST_FAIL : ST_NONSTRICT;
        else if (pe.judged)
            pv = ST_PASS;
        else if (pe.unseen) {
            pv = ST_NA;
            note(&pe, "%s: no verdict: the target did not show how %zu lookup(s) ended "
                      "(no delivery, and no outcome it reports)", fx_scenario_name(a->sc),
                 pe.unseen);
        } else if (pe.unsure) {
            /* real time, and the target's own timing put every action on a boundary: no
             * verdict either way, and nothing broke */
            pv = ST_NA;
            note(&pe, "%s: no verdict: every relevant action was too close to a TTL boundary "
                      "or step switch", fx_scenario_name(a->sc));
        } else {
            pv = ST_ERROR;
            note(&pe, "%s: nothing to judge (the scenario does not exercise this clause)",
                 fx_scenario_name(a->sc));
        }
        if (pe.unsure)
            note(&pe, "%s: %zu action(s) within %.2f s of a TTL boundary or step switch not "
                      "judged", fx_scenario_name(a->sc), pe.unsure, a->tol);
        if (pe.unseen && pe.judged)
            note(&pe, "%s: %zu lookup(s) not judged: the target did not show how they ended",
                 fx_scenario_name(a->sc), pe.unseen);
        total_judged += pe.judged;
        /* carry the text streams back */
        e.exp_lines = pe.exp_lines;
        e.obs_lines = pe.obs_lines;
        e.ok_lines = pe.ok_lines;
        e.ok_more = pe.ok_more;
        e.exp_more = pe.exp_more;
        e.obs_more = pe.obs_more;
        v = any ? worst(v, pv) : pv;
        any = 1;
    }
    cr->verdict = v;
    if (e.exp && e.exp_lines == 0)
        exp_line(&e, "%s (%zu action(s) judged)", rule_of(cl->sym), total_judged);
    ev_close(&e, cr);
}

/* ---- timeline ---- */

int st_analysis_timeline(const struct st_analysis *a, struct st_timeline *tl)
{
    enum { CAP = 400 };
    size_t added = 0, dropped = 0;
    double end = (double)fx_scenario_end(a->sc) / 1000.0;
    for (size_t s = 0; s < a->nsteps; s++) {
        double t = (double)fx_scenario_step_time(a->sc, s) / 1000.0;
        char text[64];
        snprintf(text, sizeof text, "step %zu", s);
        if (t > end + 1e-9)
            break;
        if (st_timeline_add(tl, ST_EV_STEP, t, t, (int)s, text, fx_scenario_step_zone(a->sc, s)))
            return -1;
        added++;
    }
    for (size_t i = 0; i < a->p->nobs; i++) {
        const struct st_obs *o = &a->p->obs[i];
        const struct oinfo *oi = &a->oi[i];
        if (added + 1 + o->nq > CAP) {
            dropped += 1 + o->nq;
            continue;
        }
        if (o->kind != ST_OBS_OPEN) {
            char ans[1200], text[1400], detail[640], ql[512];
            answer_text(o, ans, sizeof ans);
            qlist(a, i, ql, sizeof ql);
            snprintf(text, sizeof text, "%s -> %s", what(a, i), ans);
            snprintf(detail, sizeof detail, "%s", ql);
            if (st_timeline_add(tl, o->kind == ST_OBS_LOOKUP ? ST_EV_LOOKUP : ST_EV_FORWARD,
                                o->t, o->t, (int)oi->step, text, detail))
                return -1;
            added++;
        }
        for (size_t j = 0; j < o->nq; j++) {
            char text[300], detail[80];
            snprintf(text, sizeof text, "%s %s", fx_qtype_str(o->q[j].qtype), o->q[j].name);
            snprintf(detail, sizeof detail, "client %s", o->q[j].client);
            double t = q_time(a, o, &o->q[j]);
            if (st_timeline_add(tl, ST_EV_QUERY, t, t, o->q[j].step, text, detail))
                return -1;
            added++;
        }
    }
    for (size_t w = 0; w < a->nwin; w++) {
        if (added + 1 > CAP + 50) {
            dropped++;
            continue;
        }
        char text[400];
        snprintf(text, sizeof text, "%s %s: TTL %u s", a->keys[a->win[w].key].fwd ? "forward host"
                                                                                   : "route of",
                 a->keys[a->win[w].key].name, a->win[w].ttl);
        if (st_timeline_add(tl, ST_EV_TTL, a->win[w].t, a->win[w].t_end, -1, text, NULL))
            return -1;
        added++;
    }
    if (dropped) {
        char text[128];
        snprintf(text, sizeof text, "(%zu more events not shown)", dropped);
        if (st_timeline_add(tl, ST_EV_LOOKUP, end, end, -1, text, NULL))
            return -1;
    }
    if (a->p->error || a->p->na) {
        if (st_timeline_add(tl, ST_EV_LOOKUP, end, end, -1, a->p->error ? "ERROR" : "N/A",
                            a->p->why))
            return -1;
    }
    return 0;
}
