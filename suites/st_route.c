/*
 * st_route: parsing and normalising route texts, with no length limit but the text's own.
 */
#define _GNU_SOURCE
#include "st_route.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void st_route_clear(struct st_route *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        for (size_t j = 0; j < r->x[i].naddrs; j++)
            free(r->x[i].addrs[j]);
        free(r->x[i].addrs);
        free(r->x[i].name);
    }
    free(r->x);
    r->x = NULL;
    r->n = 0;
}

/* Lower case, without a trailing dot (the root stays "."). */
static void name_fold(char *s)
{
    for (char *c = s; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    size_t n = strlen(s);
    if (n > 1 && s[n - 1] == '.')
        s[n - 1] = '\0';
}

/* One "PREF NAME [ADDR,ADDR...]" part (spaces trimmed) into x. 0, -1 parse, -2 memory. */
static int parse_part(char *part, struct st_xch *x)
{
    size_t digits = strspn(part, "0123456789");
    if (digits == 0 || part[digits] != ' ')
        return -1;   /* "127.0.0.10" is an address, not "PREF NAME" */
    errno = 0;
    unsigned long pref = strtoul(part, NULL, 10);
    if (errno != 0 || pref > 65535)
        return -1;
    char *name = part + digits + strspn(part + digits, " ");
    size_t nlen = strcspn(name, " ");
    if (nlen == 0 || (name[0] == '.' && nlen > 1))
        return -1;
    char *rest = name + nlen + strspn(name + nlen, " ");
    name[nlen] = '\0';
    x->pref = (unsigned)pref;
    if (!(x->name = strdup(name)))
        return -2;
    name_fold(x->name);
    if (rest[strcspn(rest, " ")] != '\0')
        return -1;   /* more than "PREF NAME ADDRS" */
    char *save = NULL;
    for (char *ad = strtok_r(rest, ",", &save); ad; ad = strtok_r(NULL, ",", &save)) {
        char **na = realloc(x->addrs, (x->naddrs + 1) * sizeof *na);
        if (!na)
            return -2;
        x->addrs = na;
        if (!(x->addrs[x->naddrs] = strdup(ad)))
            return -2;
        x->naddrs++;
    }
    return 0;
}

int st_route_parse(const char *text, struct st_route *r)
{
    r->x = NULL;
    r->n = 0;
    char *buf = strdup(text ? text : "");
    if (!buf)
        return -2;
    int rc = 0;
    char *save = NULL;
    for (char *part = strtok_r(buf, ";", &save); part && rc == 0;
         part = strtok_r(NULL, ";", &save)) {
        part += strspn(part, " ");
        size_t l = strlen(part);
        while (l > 0 && part[l - 1] == ' ')
            part[--l] = '\0';
        if (!*part)
            continue;
        struct st_xch *nx = realloc(r->x, (r->n + 1) * sizeof *nx);
        if (!nx) {
            rc = -2;
            break;
        }
        r->x = nx;
        memset(&r->x[r->n], 0, sizeof r->x[r->n]);
        r->n++;
        rc = parse_part(part, &r->x[r->n - 1]);
    }
    free(buf);
    if (rc != 0)
        st_route_clear(r);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_xch(const void *a, const void *b)
{
    const struct st_xch *x = a, *y = b;
    if (x->pref != y->pref)
        return x->pref < y->pref ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Leaves out IPv6 addresses, and exchangers that had addresses but only IPv6 ones. */
static void keep_ipv4(struct st_route *r)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->n; i++) {
        struct st_xch *x = &r->x[i];
        size_t had = x->naddrs, k = 0;
        for (size_t j = 0; j < x->naddrs; j++) {
            if (strchr(x->addrs[j], ':'))
                free(x->addrs[j]);
            else
                x->addrs[k++] = x->addrs[j];
        }
        x->naddrs = k;
        if (had > 0 && k == 0) {
            free(x->addrs);
            free(x->name);
            continue;
        }
        r->x[kept++] = *x;
    }
    r->n = kept;
}

char *st_route_norm(const char *text)
{
    struct st_route r;
    if (st_route_parse(text, &r) != 0)
        return NULL;
    keep_ipv4(&r);
    size_t len = 1;
    for (size_t i = 0; i < r.n; i++) {
        qsort(r.x[i].addrs, r.x[i].naddrs, sizeof *r.x[i].addrs, cmp_str);
        len += strlen(r.x[i].name) + 16;
        for (size_t j = 0; j < r.x[i].naddrs; j++)
            len += strlen(r.x[i].addrs[j]) + 1;
    }
    qsort(r.x, r.n, sizeof *r.x, cmp_xch);
    char *out = malloc(len);
    size_t l = 0;
    for (size_t i = 0; out && i < r.n; i++) {
        l += (size_t)snprintf(out + l, len - l, "%s%u %s", i ? "; " : "", r.x[i].pref,
                              r.x[i].name);
        for (size_t j = 0; j < r.x[i].naddrs; j++)
            l += (size_t)snprintf(out + l, len - l, "%c%s", j ? ',' : ' ', r.x[i].addrs[j]);
    }
    if (out)
        out[l] = '\0';
    st_route_clear(&r);
    return out;
}

int st_route_normalize(const char *text, char *out, size_t outlen)
{
    if (outlen)
        out[0] = '\0';
    char *n = st_route_norm(text);
    if (!n)
        return -1;
    if (outlen)
        snprintf(out, outlen, "%s", n);
    free(n);
    return 0;
}

int st_route_ordered(const char *text)
{
    struct st_route r;
    if (st_route_parse(text, &r) != 0)
        return -1;
    int ok = 1;
    for (size_t i = 1; ok && i < r.n; i++)
        if (r.x[i].pref < r.x[i - 1].pref)
            ok = 0;
    st_route_clear(&r);
    return ok;
}
