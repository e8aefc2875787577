/*
 * rc_status: strings of the model's status enum, generated from the one X-macro list in
 * rc_status.h so that no status can lack a name or a description.
 */
#include <string.h>
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
