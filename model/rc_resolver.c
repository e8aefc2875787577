/*
 * rc_resolver: the interface's dispatch. Checks the question once for every implementation,
 * counts every query that reaches a transport, and leaves the sending to the implementation.
 */
#include "rc_internal.h"

enum rc_status rc_resolver_query(struct rc_resolver *r, const char *qname, uint16_t qtype,
                                 uint8_t **wire, size_t *len, char *why, size_t whylen)
{
    char name[254];
    size_t n;
    uint32_t h;
    if (wire != NULL)
        *wire = NULL;
    if (len != NULL)
        *len = 0;
    if (r == NULL || wire == NULL || len == NULL) {
        rc_why(why, whylen, "rc_resolver_query: NULL argument");
        return RC_INVAL;
    }
    /* Case is kept: a resolver asks exactly the name it is given. */
    enum rc_status st = rc_name_key(qname, 1, name, sizeof(name), &n, &h, why, whylen);
    if (st != RC_OK)
        return st;
    r->queries++;
    return r->ops->query(r, name, qtype, wire, len, why, whylen);
}

uint64_t rc_resolver_queries(const struct rc_resolver *r)
{
    return r == NULL ? 0 : r->queries;
}

void rc_resolver_free(struct rc_resolver *r)
{
    if (r != NULL)
        r->ops->free(r);
}
