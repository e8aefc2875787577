/*
 * st_library: the scenario library -- every *.scn file of a directory, loaded, linted (each
 * names only clauses of the table) and sorted by name.
 */
#include "st_library.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "st_clause.h"

struct st_library {
    struct fx_scenario **sc;
    size_t n;
};

void st_library_free(struct st_library *lib)
{
    if (!lib)
        return;
    for (size_t i = 0; i < lib->n; i++)
        fx_scenario_free(lib->sc[i]);
    free(lib->sc);
    free(lib);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum st_status st_library_load(struct st_library **out, const char *dir, char *why, size_t whylen)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, whylen, "%s: cannot open the scenario directory", dir);
        return ST_SCENARIO;
    }
    char **names = NULL;
    size_t n = 0;
    enum st_status rc = ST_OK;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l <= 4 || strcmp(de->d_name + l - 4, ".scn") != 0 || de->d_name[0] == '.')
            continue;
        char **nn = realloc(names, (n + 1) * sizeof *nn);
        if (!nn || !(nn[n] = strdup(de->d_name))) {
            names = nn ? nn : names;
            rc = ST_NOMEM;
            break;
        }
        names = nn;
        n++;
    }
    closedir(d);
    struct st_library *lib = calloc(1, sizeof *lib);
    if (rc == ST_OK && (!lib || !(lib->sc = calloc(n ? n : 1, sizeof *lib->sc))))
        rc = ST_NOMEM;
    if (rc == ST_OK && n == 0) {
        snprintf(why, whylen, "%s: no scenario files (*.scn)", dir);
        rc = ST_SCENARIO;
    }
    if (rc == ST_OK)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; rc == ST_OK && i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char fwhy[512] = "";
        enum fx_status fs = fx_scenario_load(&lib->sc[lib->n], path, fwhy, sizeof fwhy);
        if (fs == FX_NOMEM) {
            rc = ST_NOMEM;
            break;
        }
        if (fs != FX_OK) {
            snprintf(why, whylen, "%s", fwhy[0] ? fwhy : path);
            rc = ST_SCENARIO;
            break;
        }
        const struct fx_scenario *sc = lib->sc[lib->n++];
        for (size_t c = 0; c < fx_scenario_clause_count(sc); c++)
            if (!st_clause_find(fx_scenario_clause(sc, c))) {
                snprintf(why, whylen, "%s: unknown clause %s (not in SPEC.md)", path,
                         fx_scenario_clause(sc, c));
                rc = ST_SCENARIO;
            }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc != ST_OK) {
        st_library_free(lib);
        return rc;
    }
    *out = lib;
    return ST_OK;
}

size_t st_library_count(const struct st_library *lib) { return lib ? lib->n : 0; }

const struct fx_scenario *st_library_at(const struct st_library *lib, size_t i)
{
    return lib && i < lib->n ? lib->sc[i] : NULL;
}

const struct fx_scenario *st_library_find(const struct st_library *lib, const char *name)
{
    for (size_t i = 0; lib && name && i < lib->n; i++)
        if (strcmp(fx_scenario_name(lib->sc[i]), name) == 0)
            return lib->sc[i];
    return NULL;
}

int st_scenario_covers(const struct fx_scenario *sc, const char *id)
{
    for (size_t c = 0; c < fx_scenario_clause_count(sc); c++)
        if (strcmp(fx_scenario_clause(sc, c), id) == 0)
            return 1;
    return 0;
}

