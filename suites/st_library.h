/*
 * st_library: the scenario library a run plays (st_suite.h): the *.scn files of one directory.
 */
#ifndef ST_LIBRARY_H
#define ST_LIBRARY_H

#include <stddef.h>
#include "fx_scenario.h"
#include "st_status.h"

/* The scenario library: every *.scn file of a directory, sorted by name. */
struct st_library;

/* Loads and lints every *.scn in dir: each must load (fx_scenario_load) and name only clauses
 * of the table. ST_SCENARIO with *why "FILE:LINE: problem" or "DIR: problem" (also when dir
 * holds no scenario); ST_NOMEM. Caller frees with st_library_free. */
enum st_status st_library_load(struct st_library **out, const char *dir, char *why,
                               size_t whylen);
void st_library_free(struct st_library *lib);   /* NULL is fine; frees every scenario */
size_t st_library_count(const struct st_library *lib);
/* Borrowed, valid while lib lives. */
const struct fx_scenario *st_library_at(const struct st_library *lib, size_t i);
const struct fx_scenario *st_library_find(const struct st_library *lib, const char *name);
/* Whether scenario sc lists clause id. */
int st_scenario_covers(const struct fx_scenario *sc, const char *id);

#endif
