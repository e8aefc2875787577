/*
 * st_status: how a call of the suites went -- one status list for st_library and st_suite,
 * with a string per value (st_status_str, in st_suite.c).
 */
#ifndef ST_STATUS_H
#define ST_STATUS_H

#define ST_STATUS_LIST(X)                                                         \
    X(ST_OK, "ok", "success")                                                     \
    X(ST_USAGE, "usage", "invalid argument: unknown clause, no target, bad option") \
    X(ST_SCENARIO, "scenario", "a scenario file is unreadable or invalid")        \
    X(ST_NOMEM, "nomem", "out of memory")                                         \
    X(ST_STOPPED, "stopped", "the run was stopped before every scenario was played")

enum st_status {
#define ST_STATUS_ENUM(sym, str, desc) sym,
    ST_STATUS_LIST(ST_STATUS_ENUM)
#undef ST_STATUS_ENUM
    ST_STATUS_COUNT
};
const char *st_status_str(enum st_status s);   /* static, never NULL */

#endif
