/* hn_mta_status: strings of the MTA library's status enum, from the one list in the header. */
#include "hn_mta_status.h"

static const char *const names[] = {
#define HN_MTA_STATUS_NAME(sym, str, desc) str,
    HN_MTA_STATUS_LIST(HN_MTA_STATUS_NAME)
#undef HN_MTA_STATUS_NAME
};
static const char *const descs[] = {
#define HN_MTA_STATUS_DESC(sym, str, desc) desc,
    HN_MTA_STATUS_LIST(HN_MTA_STATUS_DESC)
#undef HN_MTA_STATUS_DESC
};

const char *hn_mta_status_str(enum hn_mta_status s)
{
    return (unsigned)s < HN_MTA_STATUS_COUNT ? names[s] : "unknown";
}

const char *hn_mta_status_desc(enum hn_mta_status s)
{
    return (unsigned)s < HN_MTA_STATUS_COUNT ? descs[s] : "unknown status";
}
