/*
 * hn_mta_status: the one status enum of the MTA target library (harness/mta), generated with
 * its strings from one list. The smtp target turns every non-OK status into an ERROR answer
 * with the detail in the caller's `why` buffer.
 */
#ifndef HN_MTA_STATUS_H
#define HN_MTA_STATUS_H

#define HN_MTA_STATUS_LIST(X)                                                      \
    X(HN_MTA_OK, "ok", "success")                                                  \
    X(HN_MTA_SYNTAX, "syntax", "target description file error")                    \
    X(HN_MTA_IO, "io", "file or system error")                                     \
    X(HN_MTA_PERM, "perm", "needs root (network namespaces)")                      \
    X(HN_MTA_MISSING, "missing", "the MTA is not installed (check command failed)") \
    X(HN_MTA_SPAWN, "spawn", "a command failed or could not be started")           \
    X(HN_MTA_TIMEOUT, "timeout", "a command or delivery did not finish in time")   \
    X(HN_MTA_NOMEM, "nomem", "out of memory")

enum hn_mta_status {
#define HN_MTA_STATUS_ENUM(sym, str, desc) sym,
    HN_MTA_STATUS_LIST(HN_MTA_STATUS_ENUM)
#undef HN_MTA_STATUS_ENUM
    HN_MTA_STATUS_COUNT
};

const char *hn_mta_status_str(enum hn_mta_status s);  /* static, never NULL */
const char *hn_mta_status_desc(enum hn_mta_status s); /* static, never NULL */

#endif
