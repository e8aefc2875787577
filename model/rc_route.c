/*
 * rc_route: a route packed into one allocation. Internal references are offsets from the start
 * of the block rather than pointers, so the block is position-independent: a copy is a memcpy,
 * and a cache of a million routes pays one malloc header per route, not one per string.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rc_internal.h"
#include "rc_name.h"
#include "rc_route.h"

struct rc_route_xch {
    uint32_t name_off;   /* offset of the NUL-terminated host name */
    uint32_t addr_first; /* index of its first address in the address offset table */
    uint16_t pref;
    uint16_t naddr;
};

struct rc_route {
    uint32_t size;       /* bytes of this block */
    uint32_t ttl;
    uint32_t domain_off;
    uint32_t addrs_off;  /* offset of the uint32_t address offset table */
    uint16_t nxch;
    uint8_t implicit;
    struct rc_route_xch xch[];
};

static const char *at(const struct rc_route *rt, uint32_t off)
{
    return (const char *)rt + off;
}

static const uint32_t *addr_table(const struct rc_route *rt)
{
    return (const uint32_t *)(const void *)at(rt, rt->addrs_off);
}

enum rc_status rc_route_new(struct rc_route **out, const char *domain, int implicit, uint32_t ttl,
                            const struct rc_route_xspec *xch, size_t nxch)
{
    if (out == NULL)
        return RC_INVAL;
    *out = NULL;
    if (domain == NULL || (nxch > 0 && xch == NULL) || nxch > UINT16_MAX)
        return RC_INVAL;

    /* First pass: sizes, with overflow checks against the 32-bit offsets. */
    size_t naddr_total = 0;
    size_t strbytes = strlen(domain) + 1;
    for (size_t i = 0; i < nxch; i++) {
        if (xch[i].name == NULL || xch[i].naddr > UINT16_MAX || (xch[i].naddr > 0 && xch[i].addrs == NULL))
            return RC_INVAL;
        strbytes += strlen(xch[i].name) + 1;
        for (size_t j = 0; j < xch[i].naddr; j++) {
            if (xch[i].addrs[j] == NULL)
                return RC_INVAL;
            strbytes += strlen(xch[i].addrs[j]) + 1;
        }
        naddr_total += xch[i].naddr;
    }
    size_t head = sizeof(struct rc_route) + nxch * sizeof(struct rc_route_xch);
    size_t total = head + naddr_total * sizeof(uint32_t) + strbytes;
    if (total > UINT32_MAX)
        return RC_INVAL;

    struct rc_route *rt = malloc(total);
    if (rt == NULL)
        return RC_NOMEM;
    rt->size = (uint32_t)total;
    rt->ttl = ttl;
    rt->nxch = (uint16_t)nxch;
    rt->implicit = implicit ? 1 : 0;
    rt->addrs_off = (uint32_t)head;
    uint32_t *table = (uint32_t *)(void *)((char *)rt + head);
    size_t pos = head + naddr_total * sizeof(uint32_t);

#define ROUTE_PUT(str, off_out)                                    \
    do {                                                           \
        size_t n_ = strlen(str) + 1;                               \
        memcpy((char *)rt + pos, (str), n_);                       \
        (off_out) = (uint32_t)pos;                                 \
        pos += n_;                                                 \
    } while (0)

    ROUTE_PUT(domain, rt->domain_off);
    size_t a = 0;
    for (size_t i = 0; i < nxch; i++) {
        rt->xch[i].pref = xch[i].pref;
        rt->xch[i].naddr = (uint16_t)xch[i].naddr;
        rt->xch[i].addr_first = (uint32_t)a;
        ROUTE_PUT(xch[i].name, rt->xch[i].name_off);
        for (size_t j = 0; j < xch[i].naddr; j++, a++)
            ROUTE_PUT(xch[i].addrs[j], table[a]);
    }
#undef ROUTE_PUT
    *out = rt;
    return RC_OK;
}

size_t rc_route_size(const struct rc_route *rt)
{
    return rt == NULL ? 0 : rt->size;
}

const char *rc_route_domain(const struct rc_route *rt)
{
    return rt == NULL ? NULL : at(rt, rt->domain_off);
}

size_t rc_route_count(const struct rc_route *rt)
{
    return rt == NULL ? 0 : rt->nxch;
}

const char *rc_route_name(const struct rc_route *rt, size_t i)
{
    if (rt == NULL || i >= rt->nxch)
        return NULL;
    return at(rt, rt->xch[i].name_off);
}

uint16_t rc_route_pref(const struct rc_route *rt, size_t i)
{
    if (rt == NULL || i >= rt->nxch)
        return 0;
    return rt->xch[i].pref;
}

size_t rc_route_addr_count(const struct rc_route *rt, size_t i)
{
    if (rt == NULL || i >= rt->nxch)
        return 0;
    return rt->xch[i].naddr;
}

const char *rc_route_addr(const struct rc_route *rt, size_t i, size_t j)
{
    if (rt == NULL || i >= rt->nxch || j >= rt->xch[i].naddr)
        return NULL;
    return at(rt, addr_table(rt)[rt->xch[i].addr_first + j]);
}

int rc_route_implicit(const struct rc_route *rt)
{
    return rt != NULL && rt->implicit;
}

uint32_t rc_route_ttl(const struct rc_route *rt)
{
    return rt == NULL ? 0 : rt->ttl;
}

/* Appends like snprintf but keeps counting past the end of buf, for the needed length. */
static void put(char *buf, size_t buflen, size_t *n, const char *s)
{
    size_t len = strlen(s);
    if (*n < buflen) {
        size_t room = buflen - *n - 1;
        memcpy(buf + *n, s, len < room ? len : room);
    }
    *n += len;
}

/* An address-only route (what an MTA shows): one exchanger without a name. */
static int addr_only(const struct rc_route *rt)
{
    return rt->nxch == 1 && at(rt, rt->xch[0].name_off)[0] == '\0';
}

size_t rc_route_format(const struct rc_route *rt, char *buf, size_t buflen)
{
    size_t n = 0;
    if (rt == NULL) {
        put(buf, buflen, &n, "(none)");
    } else {
        int bare = addr_only(rt);
        for (size_t i = 0; i < rt->nxch; i++) {
            if (i > 0)
                put(buf, buflen, &n, "; ");
            if (!bare) {
                char num[8];
                snprintf(num, sizeof(num), "%u", (unsigned)rt->xch[i].pref);
                put(buf, buflen, &n, num);
                put(buf, buflen, &n, " ");
                put(buf, buflen, &n, rc_route_name(rt, i));
            }
            for (size_t j = 0; j < rt->xch[i].naddr; j++) {
                put(buf, buflen, &n, j == 0 ? (bare ? "" : " ") : ",");
                put(buf, buflen, &n, rc_route_addr(rt, i, j));
            }
        }
    }
    if (buflen > 0)
        buf[n < buflen ? n : buflen - 1] = '\0';
    return n;
}

char *rc_route_text(const struct rc_route *rt)
{
    size_t need = rc_route_format(rt, NULL, 0);
    char *s = malloc(need + 1);
    if (s != NULL)
        rc_route_format(rt, s, need + 1);
    return s;
}

/* A token of an address: printable, no space, ',' or ';'. Returns its length. */
static size_t addr_len(const char *p)
{
    size_t k = 0;
    while (p[k] > 0x20 && p[k] < 0x7f && p[k] != ',' && p[k] != ';')
        k++;
    return k;
}

/* Splits "A,B,C" at *p (in place) into addrs; *p points past the list and *stop gets the
 * octet that ended it (NUL, ' ' or ';'). -1 if an address is empty. */
static int parse_addrs(char **p, const char **addrs, size_t *na, char *stop)
{
    for (;;) {
        size_t k = addr_len(*p);
        if (k == 0)
            return -1;
        addrs[(*na)++] = *p;
        char c = (*p)[k];
        (*p)[k] = '\0';
        *p += k + (c != '\0');
        if (c != ',') {
            *stop = c;
            return 0;
        }
    }
}

/* One "PREF NAME[ ADDR,...]" at *p (in place, the name normalised where it stands); *p points
 * past it and *stop gets the octet that ended it. */
static enum rc_status parse_xch(char **p, struct rc_route_xspec *x, const char **addrs, size_t *na,
                                char *stop, const char *text, char *why, size_t whylen)
{
    char *s = *p;
    size_t dl = strspn(s, "0123456789");
    if (dl == 0 || s[dl] != ' ') {
        rc_why(why, whylen, "route \"%.60s\" is not \"PREF NAME ADDR,...; ...\" or an address",
               text);
        return RC_INVAL;
    }
    unsigned long pref = dl <= 5 ? strtoul(s, NULL, 10) : 65536;
    if (pref > 65535) {
        rc_why(why, whylen, "route preference %.*s: want 0..65535", (int)(dl < 12 ? dl : 12), s);
        return RC_INVAL;
    }
    char *name = s + dl + 1;
    size_t nl = strcspn(name, " ;");
    *stop = name[nl];
    name[nl] = '\0';
    enum rc_status st = rc_name_host(name, nl, name, nl + 1, why, whylen);
    if (st != RC_OK)
        return st;
    x->name = name;
    x->pref = (uint16_t)pref;
    x->addrs = addrs + *na;
    size_t first = *na;
    *p = name + nl + (*stop != '\0');
    if (*stop == ' ' && parse_addrs(p, addrs, na, stop) != 0) {
        rc_why(why, whylen, "route \"%.60s\": an empty address after exchanger %s", text, name);
        return RC_INVAL;
    }
    x->naddr = *na - first;
    return RC_OK;
}

/* The exchangers of text (a copy, tokenised in place) into xs/addrs. */
static enum rc_status parse_all(char *p, const char *text, struct rc_route_xspec *xs, size_t *nx,
                                const char **addrs, char *why, size_t whylen)
{
    size_t na = 0;
    char stop = '\0';
    if (strspn(text, "0123456789abcdefABCDEF.:,") == strlen(text)) {
        /* an address-only route, e.g. "127.0.0.10" (what an MTA shows): no exchanger name */
        xs[0].name = "";
        xs[0].addrs = addrs;
        *nx = 1;
        int bad = parse_addrs(&p, addrs, &na, &stop) != 0 || stop != '\0';
        for (size_t i = 0; i < na && !bad; i++) {
            unsigned char a[16];
            bad = inet_pton(AF_INET, addrs[i], a) != 1 && inet_pton(AF_INET6, addrs[i], a) != 1;
        }
        if (bad) {
            rc_why(why, whylen, "route \"%.60s\" is neither \"PREF NAME ADDR,...; ...\" nor "
                                "IP addresses", text);
            return RC_INVAL;
        }
        xs[0].naddr = na;
        return RC_OK;
    }
    for (;;) {
        enum rc_status st = parse_xch(&p, &xs[(*nx)++], addrs, &na, &stop, text, why, whylen);
        if (st != RC_OK || stop == '\0')
            return st;
        if (stop != ';' || *p != ' ') {
            rc_why(why, whylen, "route \"%.60s\": want \"; \" between exchangers", text);
            return RC_INVAL;
        }
        p++;
    }
}

enum rc_status rc_route_parse(const char *text, const char *domain, uint32_t ttl,
                              struct rc_route **out, char *why, size_t whylen)
{
    if (out != NULL)
        *out = NULL;
    if (text == NULL || domain == NULL || out == NULL) {
        rc_why(why, whylen, "rc_route_parse: NULL argument");
        return RC_INVAL;
    }
    size_t len = strlen(text), nsemi = 0;
    if (len == 0) {
        rc_why(why, whylen, "empty route");
        return RC_INVAL;
    }
    for (size_t i = 0; i < len; i++)
        nsemi += text[i] == ';';
    /* Every exchanger after the first takes a ';', every address but the last a separator. */
    char *copy = strdup(text);
    struct rc_route_xspec *xs = calloc(nsemi + 1, sizeof(*xs));
    const char **addrs = calloc(len / 2 + 1, sizeof(*addrs));
    enum rc_status st = copy && xs && addrs ? RC_OK : RC_NOMEM;
    size_t nx = 0;
    if (st == RC_OK)
        st = parse_all(copy, text, xs, &nx, addrs, why, whylen);
    if (st == RC_OK) {
        st = rc_route_new(out, domain, 0, ttl, xs, nx);
        if (st == RC_INVAL)
            rc_why(why, whylen, "route \"%.60s\": over 65535 exchangers or addresses", text);
    }
    free(addrs);
    free(xs);
    free(copy);
    return st;
}

enum rc_status rc_route_dup(const struct rc_route *rt, struct rc_route **out)
{
    if (out == NULL)
        return RC_INVAL;
    *out = NULL;
    if (rt == NULL)
        return RC_INVAL;
    *out = malloc(rt->size);
    if (*out == NULL)
        return RC_NOMEM;
    memcpy(*out, rt, rt->size);
    return RC_OK;
}

void rc_route_free(struct rc_route *rt)
{
    free(rt);
}

/* splitmix64: a small, fast generator with 64 bits of state, plenty for spreading load. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

size_t rc_route_random(uint64_t *state, size_t n)
{
    return (size_t)(((next_random(state) >> 32) * (uint64_t)n) >> 32);
}

int rc_route_spreads(const struct rc_route *rt)
{
    for (size_t i = 0; rt != NULL && i < rt->nxch; i++)
        if (rt->xch[i].naddr > 1 || (i > 0 && rt->xch[i].pref == rt->xch[i - 1].pref))
            return 1;
    return 0;
}

void rc_route_shuffle(struct rc_route *rt, uint64_t *state)
{
    if (rt == NULL || state == NULL)
        return;
    uint32_t *table = (uint32_t *)(void *)((char *)rt + rt->addrs_off);
    for (size_t i = 0; i < rt->nxch;) {
        size_t run = 1;
        while (i + run < rt->nxch && rt->xch[i + run].pref == rt->xch[i].pref)
            run++;
        for (size_t k = run - 1; k > 0; k--) { /* Fisher-Yates over the equal-preference run */
            size_t j = rc_route_random(state, k + 1);
            struct rc_route_xch tmp = rt->xch[i + k];
            rt->xch[i + k] = rt->xch[i + j];
            rt->xch[i + j] = tmp;
        }
        i += run;
    }
    for (size_t i = 0; i < rt->nxch; i++) {
        uint32_t *a = table + rt->xch[i].addr_first;
        for (size_t k = rt->xch[i].naddr; k > 1; k--) {
            size_t j = rc_route_random(state, k);
            uint32_t tmp = a[k - 1];
            a[k - 1] = a[j];
            a[j] = tmp;
        }
    }
}
