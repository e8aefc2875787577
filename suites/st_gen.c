/*
 * st_gen: scenario generator. One splitmix64 stream per (seed, index) decides everything, so a
 * scenario is reproducible from the two numbers alone. A scenario draws a small palette of TTLs
 * (so that its steps need few dnsmasq instances: the fixture runs one per distinct MX TTL and
 * step) and derives its interesting moments from it: each TTL boundary, 1 ms before and after
 * it, the end of the whole second after it (SPEC.md's latitude), sums of two TTLs, twice a TTL,
 * and far beyond (10^6 s, 3*10^9 s). Step switches and
 * lookups are placed on those moments. What the fixture cannot serve faithfully is left out
 * (fixtures/README.md 2.2): TTL 4294967295 only on MX records, never on addresses or CNAMEs.
 */
#include "st_gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "st_clause.h"

void st_gen_config_init(struct st_gen_config *cfg)
{
    cfg->real_time = 0;
    cfg->cases = 32;
}

/* ---- random stream ---- */

struct rng {
    uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(struct rng *r, unsigned n)
{
    return n ? (unsigned)(rnext(r) % n) : 0;
}

static int chance(struct rng *r, unsigned pct)
{
    return below(r, 100) < pct;
}

uint64_t st_gen_fresh_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct rng r = {(uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec ^
                    ((uint64_t)getpid() << 32)};
    return rnext(&r) & 0xffffffffffffull;   /* 12 hex digits: short enough to type */
}

/* ---- text buffer ---- */

struct buf {
    char *p;
    size_t len, cap;
    int oom;
};

__attribute__((format(printf, 2, 3))) static void bput(struct buf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t nc = b->cap ? b->cap * 2 : 1024;
        while (nc < b->len + (size_t)n + 1)
            nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
}

/* ---- what a scenario draws from ---- */

#define MAX_PAL 3
#define MAX_MOM 64
#define MAX_STEPS 4
#define MAX_LOOKUPS 512
#define MAX_NAMES 48
#define FAR_MS 3000000000000ull   /* 3*10^9 s: past 2^31 s */

struct lookup {
    uint64_t t_ms;
    unsigned seq;       /* generation order: equal times keep it */
    int forward;
    char domain[128];
};

struct gen {
    struct rng r;
    const struct st_gen_config *cfg;
    uint64_t pal[MAX_PAL];
    size_t npal;
    uint64_t mom[MAX_MOM];   /* ms, sorted, distinct */
    size_t nmom;
    uint64_t step[MAX_STEPS];
    size_t nsteps;
    int allow_timeout;
    struct lookup *lk;
    size_t nlk;
    /* owners written in the current (case, step), so shared names are written once */
    char names[MAX_NAMES][128];
    size_t nnames;
};

static uint64_t draw_ttl(struct gen *g)
{
    struct rng *r = &g->r;
    if (g->cfg->real_time) {
        static const uint64_t real[] = {0, 1, 1, 2, 2, 3, 3, 4, 2147483647ull, 2147483648ull};
        return real[below(r, sizeof real / sizeof real[0])];
    }
    switch (below(r, 14)) {
    case 0: return 0;
    case 1: case 2: case 3: case 4: return 1 + below(r, 5);
    case 5: case 6: return 10 + below(r, 591);
    case 7: return 3600 + below(r, 82801);
    case 8: return 2147483646ull + below(r, 2);        /* just at 2^31-1 */
    case 9: return 2147483648ull;                      /* just above */
    case 10: return 2147483648ull + below(r, 2147483647u);
    case 11: return 4294967295ull;                     /* the largest (MX only) */
    default: return 30 + below(r, 271);
    }
}

/* A TTL from the palette for a record of this kind (4294967295 is for MX RRsets only). */
static uint64_t pick_ttl(struct gen *g, int mx)
{
    uint64_t t = g->pal[below(&g->r, (unsigned)g->npal)];
    if (!mx && t == 4294967295ull)
        t = 4294967294ull;
    return t;
}

static void add_moment(struct gen *g, uint64_t ms)
{
    uint64_t max = g->cfg->real_time ? (uint64_t)ST_GEN_REAL_MAX_S * 1000 : 9000000000000ull;
    if (ms > max || g->nmom >= MAX_MOM)
        return;
    size_t i = 0;
    while (i < g->nmom && g->mom[i] < ms)
        i++;
    if (i < g->nmom && g->mom[i] == ms)
        return;
    memmove(&g->mom[i + 1], &g->mom[i], (g->nmom - i) * sizeof g->mom[0]);
    g->mom[i] = ms;
    g->nmom++;
}

static void make_moments(struct gen *g)
{
    add_moment(g, 0);
    if (g->cfg->real_time) {
        for (uint64_t t = 500; t <= (uint64_t)ST_GEN_REAL_MAX_S * 1000; t += 500)
            add_moment(g, t);
        return;
    }
    for (size_t i = 0; i < g->npal; i++) {
        uint64_t p = g->pal[i] * 1000;
        if (p >= 1000)
            add_moment(g, p - 1);
        add_moment(g, p);
        add_moment(g, p + 1);
        add_moment(g, p + 500);
        /* the end of the second a cache counting whole seconds may add (SPEC.md): judged
         * from there on */
        add_moment(g, p + 1000);
        add_moment(g, p + 1500);
        add_moment(g, 2 * p);
        for (size_t j = i + 1; j < g->npal; j++) {
            add_moment(g, p + g->pal[j] * 1000 + 1);
            add_moment(g, p + g->pal[j] * 1000 + 1001);
        }
    }
    add_moment(g, 1000000000ull);   /* 10^6 s */
    add_moment(g, FAR_MS);
}

static uint64_t pick_moment(struct gen *g)
{
    /* mostly the early moments: boundaries of small TTLs are where caches differ */
    size_t n = g->nmom;
    size_t i = chance(&g->r, 70) ? below(&g->r, (unsigned)(n < 8 ? n : 8)) : below(&g->r, (unsigned)n);
    return g->mom[i];
}

static void fmt_time(char *out, size_t len, uint64_t ms)
{
    if (ms % 1000)
        snprintf(out, len, "%llu.%03llu", (unsigned long long)(ms / 1000),
                 (unsigned long long)(ms % 1000));
    else
        snprintf(out, len, "%llu", (unsigned long long)(ms / 1000));
}

/* Whether owner was already written in this (case, step); if not, remembers it. */
static int written(struct gen *g, const char *owner)
{
    for (size_t i = 0; i < g->nnames; i++)
        if (strcmp(g->names[i], owner) == 0)
            return 1;
    size_t l = strlen(owner);
    if (g->nnames < MAX_NAMES && l < sizeof g->names[0])
        memcpy(g->names[g->nnames++], owner, l + 1);
    return 0;
}

static void addr_records(struct gen *g, struct buf *b, const char *owner, int want_v4,
                         int want_v6)
{
    uint64_t ttl = pick_ttl(g, 0);
    unsigned n4 = want_v4 ? 1 + (chance(&g->r, 25) ? 1 : 0) : 0;
    unsigned base = 1 + below(&g->r, 250);
    for (unsigned i = 0; i < n4; i++)
        bput(b, "%s. %llu IN A 127.0.%u.%u\n", owner, (unsigned long long)ttl,
             below(&g->r, 4), base + i);
    if (want_v6) {
        uint64_t t6 = chance(&g->r, 50) ? ttl : pick_ttl(g, 0);
        bput(b, "%s. %llu IN AAAA fd00::%x\n", owner, (unsigned long long)t6, base);
    }
}

/* A CNAME target: addresses only. The fixture answers a CNAME from the instance of its owner,
 * which holds the target's address records but not a special name served by another instance
 * (servfail, timeout, malformed): such a chain is answered as the CNAME alone, while a resolver
 * chasing it (the suites' oracle) sees the failure. */
static void cname_target(struct gen *g, struct buf *b, const char *target)
{
    if (written(g, target))
        return;
    int v6 = chance(&g->r, 25);
    addr_records(g, b, target, !v6 || chance(&g->r, 50), v6);
}

/* Content of a host name (an exchanger or the forward host) in one step. */
static void host_content(struct gen *g, struct buf *b, const char *host, int may_alias)
{
    if (written(g, host))
        return;
    unsigned k = below(&g->r, 100);
    if (k < 70) {
        addr_records(g, b, host, 1, chance(&g->r, 10));
    } else if (k < 76) {
        addr_records(g, b, host, 0, 1);
    } else if (k < 84 && may_alias) {
        char target[160];
        int n = snprintf(target, sizeof target, "h.%s", host);
        if (n < 0 || (size_t)n >= sizeof target)
            return;
        bput(b, "%s. %llu IN CNAME %s.\n", host, (unsigned long long)pick_ttl(g, 0), target);
        cname_target(g, b, target);
    } else if (k < 89) {
        bput(b, "servfail %s\n", host);
    } else if (k < 91 && g->allow_timeout) {
        bput(b, "timeout %s\n", host);
    } else if (k < 94) {
        bput(b, "malformed %s\n", host);
    } else if (k < 97) {
        bput(b, "nxdomain %s\n", host);
    } /* else: the name has no records at all in this step (NXDOMAIN) */
}

static const unsigned prefs[] = {0, 5, 10, 10, 10, 20, 20, 30, 65535};

/* An MX route on owner: 1..3 exchangers, own or shared within the case, maybe equal
 * preferences, maybe the owner itself. */
static void mx_route(struct gen *g, struct buf *b, const char *owner, unsigned c)
{
    uint64_t ttl = pick_ttl(g, 1);
    unsigned n = 1 + below(&g->r, 3);
    char xs[3][96];
    int self = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned kind = below(&g->r, 100);
        if (kind < 60)
            snprintf(xs[i], sizeof xs[i], "mx%u.%s", i + 1, owner);
        else if (kind < 92)
            snprintf(xs[i], sizeof xs[i], "mx%u.c%u.test", 1 + below(&g->r, 2), c);
        else {
            snprintf(xs[i], sizeof xs[i], "%s", owner);
            self = 1;
        }
        int dup = 0;
        for (unsigned j = 0; j < i; j++)
            dup |= strcmp(xs[j], xs[i]) == 0;
        if (dup) {   /* the same MX record twice is an error: drop it */
            n = i;
            break;
        }
        unsigned pref = prefs[below(&g->r, sizeof prefs / sizeof prefs[0])];
        bput(b, "%s. %llu IN MX %u %s.\n", owner, (unsigned long long)ttl, pref, xs[i]);
    }
    if (!written(g, owner) && self)   /* the owner is its own exchanger: its address */
        bput(b, "%s. %llu IN A 127.0.0.%u\n", owner, (unsigned long long)pick_ttl(g, 0),
             1 + below(&g->r, 250));
    for (unsigned i = 0; i < n; i++)
        if (strcmp(xs[i], owner) != 0)
            host_content(g, b, xs[i], 1);
}

/* Content of mail domain d (case c) in one step. Returns whether d is named in it. */
static int domain_content(struct gen *g, struct buf *b, const char *d, unsigned c)
{
    unsigned k = below(&g->r, 100);
    if (k < 48) {
        mx_route(g, b, d, c);
    } else if (k < 58) {
        (void)written(g, d);
        int v6 = chance(&g->r, 30);
        addr_records(g, b, d, !v6 || chance(&g->r, 70), v6);
    } else if (k < 64) {
        (void)written(g, d);
        bput(b, "%s. %llu IN MX 0 .\n", d, (unsigned long long)pick_ttl(g, 1));
        if (chance(&g->r, 40))
            bput(b, "%s. %llu IN A 127.0.0.%u\n", d, (unsigned long long)pick_ttl(g, 0),
             1 + below(&g->r, 250));
    } else if (k < 70) {
        bput(b, "nxdomain %s\n", d);
    } else if (k < 73) {
        return 0;   /* nothing: NXDOMAIN by absence */
    } else if (k < 79) {
        bput(b, "servfail %s\n", d);
    } else if (k < 83 && g->allow_timeout) {
        bput(b, "timeout %s\n", d);
    } else if (k < 88) {
        bput(b, "malformed %s\n", d);
    } else {
        /* the domain is an alias of a host with addresses (the implicit MX through a CNAME).
         * Not an alias of a name with MX records: the fixture routes the CNAME owner to the
         * back of the step's most common MX TTL, which lacks the target's MX records when
         * their TTL differs (the answer then holds the CNAME alone). */
        char alias[96];
        snprintf(alias, sizeof alias, "alias.%s", d);
        (void)written(g, d);
        bput(b, "%s. %llu IN CNAME %s.\n", d, (unsigned long long)pick_ttl(g, 0), alias);
        cname_target(g, b, alias);
    }
    return 1;
}

static void spell(struct gen *g, const char *d, char *out, size_t len)
{
    snprintf(out, len, "%s", d);
    if (chance(&g->r, 70))
        for (char *p = out; *p; p++)
            if (*p >= 'a' && *p <= 'z' && chance(&g->r, 50))
                *p = (char)(*p - 'a' + 'A');
    if (chance(&g->r, 50)) {
        size_t l = strlen(out);
        if (l + 1 < len) {
            out[l] = '.';
            out[l + 1] = '\0';
        }
    }
}

static void add_lookup(struct gen *g, uint64_t t, int forward, const char *domain)
{
    if (g->nlk >= MAX_LOOKUPS)
        return;
    struct lookup *l = &g->lk[g->nlk];
    l->t_ms = t;
    l->seq = (unsigned)g->nlk;
    l->forward = forward;
    snprintf(l->domain, sizeof l->domain, "%s", domain ? domain : "");
    g->nlk++;
}

static uint64_t lookup_time(struct gen *g)
{
    /* a step switch, or 1 ms around it, now and then; otherwise a moment */
    if (g->nsteps > 1 && chance(&g->r, 25)) {
        uint64_t s = g->step[1 + below(&g->r, (unsigned)(g->nsteps - 1))];
        unsigned k = below(&g->r, 3);
        uint64_t t = k == 0 ? s - 1 : k == 1 ? s : s + 1;
        return g->cfg->real_time && t > (uint64_t)ST_GEN_REAL_MAX_S * 1000 ? s : t;
    }
    return pick_moment(g);
}

/* Whether a lookup of d (any spelling) is already at time t. */
static int domain_at(const struct gen *g, const char *d, uint64_t t)
{
    size_t l = strlen(d);
    for (size_t i = 0; i < g->nlk; i++)
        if (g->lk[i].t_ms == t && strncasecmp(g->lk[i].domain, d, l) == 0 &&
            (g->lk[i].domain[l] == '\0' || strcmp(g->lk[i].domain + l, ".") == 0))
            return 1;
    return 0;
}

/* Whether spelling v is one of d's lookups so far. */
static int spelled(const struct gen *g, const char *v)
{
    for (size_t i = 0; i < g->nlk; i++)
        if (strcmp(g->lk[i].domain, v) == 0)
            return 1;
    return 0;
}

/* COM-8 in TTL mode is judged over many lookups at one instant (SPEC.md): d, then
 * ST_GEN_SPELL_REPEATS identical repeats and as many new variant spellings in a random order,
 * at a time no other lookup of d uses. */
static void spelling_burst(struct gen *g, const char *d)
{
    uint64_t t = lookup_time(g);
    if (domain_at(g, d, t) || g->nlk + 1 + (size_t)2 * ST_GEN_SPELL_REPEATS > MAX_LOOKUPS)
        return;
    char v[ST_GEN_SPELL_REPEATS][100];
    size_t nv = 0;
    for (unsigned tries = 0; nv < ST_GEN_SPELL_REPEATS && tries < 200; tries++) {
        spell(g, d, v[nv], sizeof v[nv]);
        int dup = strcmp(v[nv], d) == 0 || spelled(g, v[nv]);
        for (size_t j = 0; j < nv; j++)
            dup |= strcmp(v[j], v[nv]) == 0;
        nv += !dup;
    }
    unsigned char slot[2 * ST_GEN_SPELL_REPEATS];   /* 1: a variant */
    size_t ns = ST_GEN_SPELL_REPEATS + nv;
    for (size_t i = 0; i < ns; i++)
        slot[i] = i >= ST_GEN_SPELL_REPEATS;
    for (size_t i = ns - 1; i > 0; i--) {
        unsigned j = below(&g->r, (unsigned)i + 1);
        unsigned char x = slot[i];
        slot[i] = slot[j];
        slot[j] = x;
    }
    add_lookup(g, t, 0, d);
    for (size_t i = 0, k = 0; i < ns; i++)
        add_lookup(g, t, 0, slot[i] ? v[k++] : d);
}

/* quick: no name of the case times out. A burst's 25 lookups of a name that times out would
 * each wait the target's whole resolver timeout (20 s for the model) and teach nothing more
 * about spelling than a burst on a name that answers. */
static void case_lookups(struct gen *g, const char *d, int quick)
{
    unsigned n = 1 + below(&g->r, 4);
    if (chance(&g->r, 60))
        add_lookup(g, 0, 0, d);
    for (unsigned i = 0; i < n; i++) {
        uint64_t t = lookup_time(g);
        if (chance(&g->r, 25)) {   /* an identical repeat, then a variant spelling, at once */
            char v[100];
            spell(g, d, v, sizeof v);
            add_lookup(g, t, 0, d);
            add_lookup(g, t, 0, v);
        } else if (chance(&g->r, 20)) {
            char v[100];
            spell(g, d, v, sizeof v);
            add_lookup(g, t, 0, v);
        } else {
            add_lookup(g, t, 0, d);
        }
    }
    if (quick && chance(&g->r, g->cfg->real_time ? 5 : 12))
        spelling_burst(g, d);
}

static int cmp_lookup(const void *a, const void *b)
{
    const struct lookup *x = a, *y = b;
    if (x->t_ms != y->t_ms)
        return x->t_ms < y->t_ms ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The clauses line names what the scenario can exercise: the capacity clauses only where
 * there is a capacity, and there not the clauses about what stays cached (LEG-1/2/6, TTL-1):
 * they hold "while it is cached", and a full cache evicts. */
static void header(struct gen *g, struct buf *b, uint64_t seed, uint64_t index,
                   const char *name, const char *what, int capacity)
{
    bput(b, "# generated by mxttl explore (seed %llu, scenario %llu, %s time)\n",
         (unsigned long long)seed, (unsigned long long)index,
         g->cfg->real_time ? "real" : "virtual");
    bput(b, "scenario %s\ndescription generated: %s\nclauses", name, what);
    for (size_t i = 0; i < ST_CLAUSE_COUNT; i++) {
        const struct st_clause *cl = st_clause_at(i);
        int cap = cl->sym == ST_CL_LEG3 || cl->sym == ST_CL_LEG4 || cl->sym == ST_CL_LEG5 ||
                  cl->sym == ST_CL_TTL9;
        int cached = cl->sym == ST_CL_LEG1 || cl->sym == ST_CL_LEG2 || cl->sym == ST_CL_LEG6 ||
                     cl->sym == ST_CL_TTL1;
        if (capacity ? !cached : !cap)
            bput(b, " %s", cl->id);
    }
    bput(b, "\n");
}

static void write_lookups(struct gen *g, struct buf *b)
{
    qsort(g->lk, g->nlk, sizeof *g->lk, cmp_lookup);
    bput(b, "\n");
    for (size_t i = 0; i < g->nlk; i++) {
        char t[32];
        fmt_time(t, sizeof t, g->lk[i].t_ms);
        if (g->lk[i].forward)
            bput(b, "forward-lookup %s\n", t);
        else
            bput(b, "lookup %s %s\n", t, g->lk[i].domain);
    }
}

/* Capacity pressure: C (1..4) routes that never change and C+1..C+3 domains, a first pass with
 * repeats in any order, then a second pass over every domain in another order. */
static void capacity_case(struct gen *g, struct buf *b)
{
    size_t cap = 1 + below(&g->r, 4);
    size_t nd = cap + 1 + below(&g->r, 3);   /* at most 7: order[] below holds 8 */
    uint64_t ttl = chance(&g->r, 75) ? (chance(&g->r, 50) ? 86400 : 2147483647ull)
                                     : (g->cfg->real_time ? 4 : 1 + below(&g->r, 5));
    bput(b, "capacity %zu\n\nstep 0\nmx.c0.test. %llu IN A 127.0.0.%u\n", cap,
         (unsigned long long)ttl, 1 + below(&g->r, 250));
    for (size_t i = 0; i < nd; i++)
        bput(b, "d%zu.c0.test. %llu IN MX 10 mx.c0.test.\n", i + 1, (unsigned long long)ttl);
    unsigned order[8] = {0};
    char d[32];
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < nd; i++)
            order[i] = i;
        for (size_t i = nd - 1; i > 0; i--) {
            unsigned j = below(&g->r, (unsigned)i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        uint64_t t = pass == 0 ? 0 : (g->cfg->real_time ? 1000 : pick_moment(g) + 1);
        for (size_t i = 0; i < nd; i++) {
            snprintf(d, sizeof d, "d%u.c0.test", order[i] + 1);
            add_lookup(g, t, 0, d);
            if (chance(&g->r, 30)) {   /* a repeat of one already seen */
                snprintf(d, sizeof d, "d%u.c0.test", order[below(&g->r, (unsigned)i + 1)] + 1);
                add_lookup(g, t, 0, d);
            }
        }
    }
}

static void forward_content(struct gen *g, struct buf *b, int first)
{
    const char *h = "relay.c0.test";
    unsigned k = below(&g->r, 100);
    if (first || k < 72) {
        (void)written(g, h);
        bput(b, "%s. %llu IN A 127.0.1.%u\n", h, (unsigned long long)pick_ttl(g, 0),
             1 + below(&g->r, 250));
    } else if (k < 80) {
        (void)written(g, h);
        bput(b, "%s. %llu IN CNAME fwd.c0.test.\n", h, (unsigned long long)pick_ttl(g, 0));
        cname_target(g, b, "fwd.c0.test");
    } else if (k < 86) {
        bput(b, "servfail %s\n", h);
    } else if (k < 88 && g->allow_timeout) {
        bput(b, "timeout %s\n", h);
    } else if (k < 94) {
        bput(b, "nxdomain %s\n", h);
    } else {
        (void)written(g, h);
        addr_records(g, b, h, 0, 1);
    }
}

char *st_gen_scenario(uint64_t seed, uint64_t index, const struct st_gen_config *cfg,
                      const char *name)
{
    struct gen g;
    memset(&g, 0, sizeof g);
    g.r.s = seed ^ (index * 0xd1342543de82ef95ull) ^ 0x6a09e667f3bcc909ull;
    (void)rnext(&g.r);
    g.cfg = cfg;
    g.lk = calloc(MAX_LOOKUPS, sizeof *g.lk);
    struct buf b = {0};
    struct buf *cs = NULL;   /* content per (case, step) */
    unsigned ncases = cfg->cases < 1 ? 1 : cfg->cases > 64 ? 64 : cfg->cases;
    if (!g.lk)
        return NULL;
    g.npal = 1 + below(&g.r, MAX_PAL);
    for (size_t i = 0; i < g.npal; i++)
        g.pal[i] = draw_ttl(&g);
    make_moments(&g);
    /* a timeout costs the target's resolver timeout per lookup (0.4 s for the model): rare */
    g.allow_timeout = chance(&g.r, cfg->real_time ? 10 : 3);
    char what[160];

    if (chance(&g.r, 8)) {
        snprintf(what, sizeof what, "capacity pressure, seed %llu scenario %llu",
                 (unsigned long long)seed, (unsigned long long)index);
        header(&g, &b, seed, index, name, what, 1);
        capacity_case(&g, &b);
        write_lookups(&g, &b);
        goto done;
    }

    g.nsteps = 1;
    unsigned extra = below(&g.r, cfg->real_time ? 3 : MAX_STEPS);
    for (unsigned i = 0; i < extra && g.nmom > 1; i++) {
        uint64_t t = g.mom[1 + below(&g.r, (unsigned)(g.nmom - 1))];
        int dup = 0;
        for (size_t j = 0; j < g.nsteps; j++)
            dup |= g.step[j] == t;
        if (!dup)
            g.step[g.nsteps++] = t;
    }
    for (size_t i = 1; i < g.nsteps; i++)   /* sort */
        for (size_t j = i; j > 0 && g.step[j - 1] > g.step[j]; j--) {
            uint64_t t = g.step[j];
            g.step[j] = g.step[j - 1];
            g.step[j - 1] = t;
        }
    int forward = chance(&g.r, 30);
    snprintf(what, sizeof what, "%u case(s), %zu step(s)%s, seed %llu scenario %llu", ncases,
             g.nsteps, forward ? ", a forward host" : "", (unsigned long long)seed,
             (unsigned long long)index);
    header(&g, &b, seed, index, name, what, 0);
    if (forward)
        bput(&b, "forward relay.c0.test\n");

    cs = calloc((size_t)ncases * g.nsteps, sizeof *cs);
    if (!cs) {
        b.oom = 1;
        goto done;
    }
    for (unsigned c = 0; c < ncases; c++) {
        unsigned nd = 1 + (chance(&g.r, 35) ? 1 : 0) + (chance(&g.r, 10) ? 1 : 0);
        for (size_t s = 0; s < g.nsteps; s++) {
            struct buf *cb = &cs[c * g.nsteps + s];
            if (s > 0 && chance(&g.r, 40)) {   /* unchanged in this step */
                bput(cb, "%s", cs[c * g.nsteps + s - 1].p ? cs[c * g.nsteps + s - 1].p : "");
                continue;
            }
            g.nnames = 0;
            if (c == 0 && forward)
                forward_content(&g, cb, s == 0);
            for (unsigned i = 0; i < nd; i++) {
                char d[48];
                snprintf(d, sizeof d, "d%u.c%u.test", i + 1, c);
                /* lint: a looked-up domain must appear in some step */
                if (!domain_content(&g, cb, d, c) && s == 0)
                    bput(cb, "nxdomain %s\n", d);
            }
            if (!cb->p)
                bput(cb, "%s", "");
        }
        int quick = 1;
        for (size_t s = 0; s < g.nsteps; s++)
            quick &= !cs[c * g.nsteps + s].p || !strstr(cs[c * g.nsteps + s].p, "timeout ");
        for (unsigned i = 0; i < nd; i++) {
            char d[48];
            snprintf(d, sizeof d, "d%u.c%u.test", i + 1, c);
            case_lookups(&g, d, quick);
        }
        if (c == 0 && forward) {
            unsigned n = 1 + below(&g.r, 4);
            for (unsigned i = 0; i < n; i++)
                add_lookup(&g, i == 0 && chance(&g.r, 60) ? 0 : lookup_time(&g), 1, NULL);
        }
    }
    for (size_t s = 0; s < g.nsteps; s++) {
        char t[32];
        fmt_time(t, sizeof t, g.step[s]);
        bput(&b, "\nstep %s\n", t);
        for (unsigned c = 0; c < ncases; c++) {
            struct buf *cb = &cs[c * g.nsteps + s];
            b.oom |= cb->oom;
            bput(&b, "%s", cb->p ? cb->p : "");
        }
    }
    write_lookups(&g, &b);
done:
    for (size_t i = 0; cs && i < (size_t)ncases * g.nsteps; i++)
        free(cs[i].p);
    free(cs);
    free(g.lk);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
