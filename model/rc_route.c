/*
 * rc_route: a route packed into one allocation. Internal references are offsets from the start
 * of the block rather than pointers, so the block is position-independent: a copy is a memcpy,
 * and a cache of a million routes pays one malloc header per route, not one per string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

size_t rc_route_format(const struct rc_route *rt, char *buf, size_t buflen)
{
    size_t n = 0;
    if (rt == NULL) {
        put(buf, buflen, &n, "(none)");
    } else {
        for (size_t i = 0; i < rt->nxch; i++) {
            if (i > 0)
                put(buf, buflen, &n, "; ");
            char num[8];
            snprintf(num, sizeof(num), "%u", (unsigned)rt->xch[i].pref);
            put(buf, buflen, &n, num);
            put(buf, buflen, &n, " ");
            put(buf, buflen, &n, rc_route_name(rt, i));
            for (size_t j = 0; j < rt->xch[i].naddr; j++) {
                put(buf, buflen, &n, j == 0 ? " " : ",");
                put(buf, buflen, &n, rc_route_addr(rt, i, j));
            }
        }
    }
    if (buflen > 0)
        buf[n < buflen ? n : buflen - 1] = '\0';
    return n;
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
