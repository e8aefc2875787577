/*
 * rc_status: strings of the model's status enum and of the reply kinds (rc_reply.h), each
 * generated from its one X-macro list so that no value can lack a name; and rc_why, the one
 * way every module words a reason.
 */
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include "rc_internal.h"
#include "rc_reply.h"
#include "rc_status.h"

static const char *const status_names[] = {
#define RC_STATUS_NAME(sym, str, desc) str,
    RC_STATUS_LIST(RC_STATUS_NAME)
#undef RC_STATUS_NAME
};

static const char *const status_descs[] = {
#define RC_STATUS_DESC(sym, str, desc) desc,
    RC_STATUS_LIST(RC_STATUS_DESC)
#undef RC_STATUS_DESC
};

const char *rc_status_str(enum rc_status s)
{
    /* The cast catches negative values an int may carry into the enum. */
    if ((unsigned)s >= RC_STATUS_COUNT)
        return "unknown";
    return status_names[s];
}

const char *rc_status_desc(enum rc_status s)
{
    if ((unsigned)s >= RC_STATUS_COUNT)
        return "unknown status";
    return status_descs[s];
}

int rc_status_from_str(const char *name, enum rc_status *out)
{
    if (name == NULL || out == NULL)
        return -1;
    for (unsigned i = 0; i < RC_STATUS_COUNT; i++) {
        if (strcmp(name, status_names[i]) == 0) {
            *out = (enum rc_status)i;
            return 0;
        }
    }
    return -1;
}

int rc_status_is_noroute(enum rc_status s)
{
    return s == RC_NXDOMAIN || s == RC_NULLMX || s == RC_NOADDR;
}

void rc_why(char *why, size_t whylen, const char *fmt, ...)
{
    if (why == NULL || whylen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

static const char *const reply_names[] = {
#define RC_REPLY_NAME(sym, str, desc) str,
    RC_REPLY_LIST(RC_REPLY_NAME)
#undef RC_REPLY_NAME
};

const char *rc_reply_str(enum rc_reply_kind k)
{
    return (unsigned)k < RC_REPLY_COUNT ? reply_names[k] : "unknown";
}

int rc_reply_from_str(const char *name, enum rc_reply_kind *out)
{
    for (unsigned k = 0; name != NULL && out != NULL && k < RC_REPLY_COUNT; k++) {
        if (strcmp(name, reply_names[k]) == 0) {
            *out = (enum rc_reply_kind)k;
            return 0;
        }
    }
    return -1;
}

int rc_reply_is_noroute(enum rc_reply_kind k)
{
    return k == RC_REPLY_NXDOMAIN || k == RC_REPLY_NULLMX || k == RC_REPLY_NOADDR;
}

enum rc_reply_kind rc_reply_from_status(enum rc_status st)
{
    switch (st) {
    case RC_OK: return RC_REPLY_ROUTE;
    case RC_NXDOMAIN: return RC_REPLY_NXDOMAIN;
    case RC_NULLMX: return RC_REPLY_NULLMX;
    case RC_NOADDR: return RC_REPLY_NOADDR;
    case RC_INVAL: return RC_REPLY_REFUSED;
    default: return RC_REPLY_TEMPFAIL;
    }
}
