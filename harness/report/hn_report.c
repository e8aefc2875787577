/*
 * hn_report: the report directory -- creating it, writing each format atomically, loading a
 * run back from one -- and merging several runs into one side-by-side report.
 */
#include "hn_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hn_results.h"
#include "hn_report_buf.h"

static const char *const status_names[] = {
#define HN_REPORT_STATUS_NAME(sym, str, desc) str,
    HN_REPORT_STATUS_LIST(HN_REPORT_STATUS_NAME)
#undef HN_REPORT_STATUS_NAME
};

static const char *const status_descs[] = {
#define HN_REPORT_STATUS_DESC(sym, str, desc) desc,
    HN_REPORT_STATUS_LIST(HN_REPORT_STATUS_DESC)
#undef HN_REPORT_STATUS_DESC
};

const char *hn_report_status_str(enum hn_report_status s)
{
    return (unsigned)s < HN_REPORT_STATUS_COUNT ? status_names[s] : "unknown";
}

const char *hn_report_status_desc(enum hn_report_status s)
{
    return (unsigned)s < HN_REPORT_STATUS_COUNT ? status_descs[s] : "unknown status";
}

const char *hn_report_format_file(enum hn_report_format f)
{
    switch (f) {
    case HN_REPORT_FMT_JSON: return "results.json";
    case HN_REPORT_FMT_JUNIT: return "junit.xml";
    case HN_REPORT_FMT_MD: return "report.md";
    case HN_REPORT_FMT_HTML: return "report.html";
    default: return NULL;
    }
}

static void set_why(char *why, size_t whylen, const char *fmt, const char *a, const char *b)
{
    if (why != NULL && whylen > 0)
        snprintf(why, whylen, fmt, a, b);
}

/* mkdir -p: creates dir and missing parents; 0, or -1 with why naming the path that failed. */
static int make_dirs(const char *dir, char *why, size_t whylen)
{
    char *path = strdup(dir);
    if (path == NULL) {
        set_why(why, whylen, "%s: %s", dir, "out of memory");
        return -1;
    }
    size_t n = strlen(path);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char saved = path[i];
        path[i] = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            set_why(why, whylen, "%s: %s", path, strerror(errno));
            free(path);
            return -1;
        }
        path[i] = saved;
    }
    struct stat sb;
    if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
        set_why(why, whylen, "%s: %s", dir, "exists and is not a directory");
        free(path);
        return -1;
    }
    free(path);
    return 0;
}

enum hn_report_status hn_report_write_dir(const struct st_run *run, const char *dir,
                                          unsigned formats, char *why, size_t whylen)
{
    if (why != NULL && whylen > 0)
        why[0] = '\0';
    else
        whylen = 0;
    if (run == NULL || dir == NULL || dir[0] == '\0' || (formats & HN_REPORT_FMT_ALL) == 0) {
        set_why(why, whylen, "%s%s", "hn_report_write_dir: ",
                "NULL run, empty directory name or no format chosen");
        return HN_REPORT_INVAL;
    }
    if (make_dirs(dir, why, whylen) < 0)
        return HN_REPORT_IO;
    for (unsigned f = 1; f <= HN_REPORT_FMT_HTML; f <<= 1) {
        if ((formats & f) == 0)
            continue;
        char *text = NULL;
        size_t len = 0;
        enum hn_report_status st;
        switch (f) {
        case HN_REPORT_FMT_JSON: st = hn_results_render(run, &text, &len); break;
        case HN_REPORT_FMT_JUNIT: st = hn_report_junit_render(run, &text, &len); break;
        case HN_REPORT_FMT_MD: st = hn_report_md_render(run, &text, &len); break;
        default: st = hn_report_html_render(run, &text, &len); break;
        }
        const char *file = hn_report_format_file((enum hn_report_format)f);
        if (st != HN_REPORT_OK) {
            set_why(why, whylen, "%s: %s", file, hn_report_status_desc(st));
            return st;
        }
        size_t plen = strlen(dir) + strlen(file) + 2;
        char *path = malloc(plen);
        if (path == NULL) {
            free(text);
            set_why(why, whylen, "%s: %s", file, "out of memory");
            return HN_REPORT_NOMEM;
        }
        snprintf(path, plen, "%s/%s", dir, file);
        int rc = hn_report_write_file(path, text, len, why, whylen);
        free(path);
        free(text);
        if (rc < 0)
            return HN_REPORT_IO;
    }
    return HN_REPORT_OK;
}

enum hn_report_status hn_report_load(const char *path, struct st_run **out, char *why,
                                     size_t whylen)
{
    if (out != NULL)
        *out = NULL;
    if (path == NULL || out == NULL) {
        set_why(why, whylen, "%s%s", "hn_report_load: ", "NULL argument");
        return HN_REPORT_INVAL;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t plen = strlen(path) + sizeof("/results.json");
        char *p = malloc(plen);
        if (p == NULL) {
            set_why(why, whylen, "%s: %s", path, "out of memory");
            return HN_REPORT_NOMEM;
        }
        snprintf(p, plen, "%s/results.json", path);
        enum hn_report_status st = hn_results_read_file(p, out, why, whylen);
        free(p);
        return st;
    }
    return hn_results_read_file(path, out, why, whylen);
}

void hn_report_label(const char *path, char *out, size_t outlen)
{
    if (outlen == 0)
        return;
    out[0] = '\0';
    if (path == NULL)
        return;
    /* Work on a copy with trailing slashes and a final "results.json" component removed. */
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *file = "results.json";
    size_t fl = strlen(file);
    if (n >= fl && strncmp(path + n - fl, file, fl) == 0 &&
        (n == fl || path[n - fl - 1] == '/')) {
        n -= fl;
        while (n > 1 && path[n - 1] == '/')
            n--;
        if (n == 0) {
            snprintf(out, outlen, ".");
            return;
        }
    }
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    size_t l = n - start;
    if (l == 0) {
        snprintf(out, outlen, "%.*s", (int)(n > 0 ? n : 1), n > 0 ? path : ".");
        return;
    }
    snprintf(out, outlen, "%.*s", (int)l, path + start);
}

static int copy_clause(struct st_target_result *dst, const struct st_clause_result *c)
{
    struct st_clause_result *d =
        st_target_add_clause(dst, c->clause, c->level, c->verdict, c->sentence);
    if (d == NULL)
        return -1;
    d->seconds = c->seconds;
    if (st_set_str(&d->scenario, c->scenario) < 0 || st_set_str(&d->expected, c->expected) < 0 ||
        st_set_str(&d->observed, c->observed) < 0 || st_set_str(&d->note, c->note) < 0)
        return -1;
    return 0;
}

static int copy_events(struct st_timeline *d, const struct st_timeline *tl)
{
    for (size_t k = 0; k < tl->nevents; k++) {
        const struct st_event *e = &tl->events[k];
        if (st_timeline_add(d, e->kind, e->t, e->t_end, e->step, e->text, e->detail) < 0)
            return -1;
    }
    return 0;
}

static int merge_one(struct st_run *m, const struct st_run *r, const char *label)
{
    for (size_t i = 0; i < r->ntargets; i++) {
        const struct st_target_result *t = &r->targets[i];
        struct st_target_result *d = st_run_add_target(m, NULL, t->spec);
        if (d == NULL || st_set_fmt(&d->target, "%s/%s", label, t->target ? t->target : "") < 0)
            return -1;
        d->klass = t->klass;
        if (st_set_str(&d->class_reason, t->class_reason) < 0)
            return -1;
        for (size_t k = 0; k < t->nclauses; k++)
            if (copy_clause(d, &t->clauses[k]) < 0)
                return -1;
    }
    for (size_t i = 0; i < r->ntimelines; i++) {
        const struct st_timeline *tl = &r->timelines[i];
        struct st_timeline *d = st_run_add_timeline(m, tl->scenario, NULL, tl->time_mode);
        if (d == NULL || st_set_fmt(&d->target, "%s/%s", label, tl->target ? tl->target : "") < 0 ||
            copy_events(d, tl) < 0)
            return -1;
    }
    return 0;
}

enum hn_report_status hn_report_merge_runs(const struct st_run *const *runs,
                                           const char *const *labels, size_t n,
                                           struct st_run **out, char *why, size_t whylen)
{
    if (out != NULL)
        *out = NULL;
    if (runs == NULL || labels == NULL || n == 0 || out == NULL) {
        set_why(why, whylen, "%s%s", "hn_report_merge_runs: ", "no runs or NULL argument");
        return HN_REPORT_INVAL;
    }
    for (size_t i = 0; i < n; i++)
        if (runs[i] == NULL || labels[i] == NULL) {
            set_why(why, whylen, "%s%s", "hn_report_merge_runs: ", "NULL run or label");
            return HN_REPORT_INVAL;
        }
    struct st_run *m = st_run_new();
    if (m == NULL)
        goto nomem;
    m->seconds = 0;
    const char *mode = runs[0]->time_mode;
    const char *started = runs[0]->started;
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        const struct st_run *r = runs[i];
        m->seconds += r->seconds;
        m->incomplete |= r->incomplete;
        if ((mode == NULL) != (r->time_mode == NULL) ||
            (mode != NULL && strcmp(mode, r->time_mode) != 0))
            ok = 0;
        /* ISO 8601 UTC strings of one format compare as text. */
        if (r->started != NULL && (started == NULL || strcmp(r->started, started) < 0))
            started = r->started;
        if (merge_one(m, r, labels[i]) < 0)
            goto nomem;
    }
    if (st_set_str(&m->mxttl_version, runs[0]->mxttl_version) < 0 ||
        st_set_str(&m->started, started) < 0 || st_set_str(&m->time_mode, ok ? mode : "mixed") < 0)
        goto nomem;
    if (st_set_str(&m->command, "mxttl report") < 0)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        if (st_set_fmt(&m->command, "%s %s", m->command, labels[i]) < 0)
            goto nomem;
    *out = m;
    return HN_REPORT_OK;
nomem:
    st_run_free(m);
    set_why(why, whylen, "%s%s", "hn_report_merge_runs: ", "out of memory");
    return HN_REPORT_NOMEM;
}

/* ------------------------------------------------------------------------------------------ */
/* Shards: one run cut into pieces (by target, by clause family) and put back together.      */

static struct st_target_result *find_target(struct st_run *m, const struct st_target_result *t)
{
    for (size_t i = 0; i < m->ntargets; i++) {
        const struct st_target_result *d = &m->targets[i];
        if (strcmp(d->target ? d->target : "", t->target ? t->target : "") == 0 &&
            strcmp(d->spec ? d->spec : "", t->spec ? t->spec : "") == 0)
            return &m->targets[i];
    }
    return NULL;
}

static int has_timeline(const struct st_run *m, const struct st_timeline *tl)
{
    for (size_t i = 0; i < m->ntimelines; i++)
        if (strcmp(m->timelines[i].scenario ? m->timelines[i].scenario : "",
                   tl->scenario ? tl->scenario : "") == 0 &&
            strcmp(m->timelines[i].target ? m->timelines[i].target : "",
                   tl->target ? tl->target : "") == 0)
            return 1;
    return 0;
}

static int clause_result_cmp(const void *a, const void *b)
{
    const struct st_clause_result *x = a, *y = b;
    return hn_report_clause_cmp(x->clause ? x->clause : "", y->clause ? y->clause : "");
}

/* A shard classifies its target from its own clauses only; put together, "unknown" gives way
 * to what another shard could tell, and shards that tell different classes make "neither". */
static int combine_class(struct st_target_result *d, const struct st_target_result *t)
{
    if (t->klass == ST_CLASS_UNKNOWN || t->klass == d->klass)
        return 0;
    if (d->klass == ST_CLASS_UNKNOWN) {
        d->klass = t->klass;
        return st_set_str(&d->class_reason, t->class_reason);
    }
    d->klass = ST_CLASS_NEITHER;
    return st_set_fmt(&d->class_reason, "%s; %s", d->class_reason ? d->class_reason : "",
                      t->class_reason ? t->class_reason : "");
}

/* Adds r's targets, clauses and timelines to m, joining targets of the same name and spec.
 * 0, -1 out of memory, -2 with *dup set: a clause of one target is in two shards. */
static int union_one(struct st_run *m, const struct st_run *r, const char **dup_target,
                     const char **dup_clause)
{
    for (size_t i = 0; i < r->ntargets; i++) {
        const struct st_target_result *t = &r->targets[i];
        struct st_target_result *d = find_target(m, t);
        if (d == NULL) {
            d = st_run_add_target(m, t->target ? t->target : "", t->spec);
            if (d == NULL)
                return -1;
            d->klass = t->klass;
            if (st_set_str(&d->class_reason, t->class_reason) < 0)
                return -1;
        } else if (combine_class(d, t) < 0) {
            return -1;
        }
        for (size_t k = 0; k < t->nclauses; k++) {
            for (size_t j = 0; j < d->nclauses; j++)
                if (strcmp(d->clauses[j].clause, t->clauses[k].clause) == 0) {
                    *dup_target = t->target;
                    *dup_clause = t->clauses[k].clause;
                    return -2;
                }
            if (copy_clause(d, &t->clauses[k]) < 0)
                return -1;
        }
    }
    for (size_t i = 0; i < r->ntimelines; i++) {
        const struct st_timeline *tl = &r->timelines[i];
        if (has_timeline(m, tl)) /* a scenario that serves clauses of two shards */
            continue;
        struct st_timeline *d = st_run_add_timeline(m, tl->scenario, tl->target, tl->time_mode);
        if (d == NULL || copy_events(d, tl) < 0)
            return -1;
    }
    return 0;
}

enum hn_report_status hn_report_union_runs(const struct st_run *const *runs, size_t n,
                                           struct st_run **out, char *why, size_t whylen)
{
    if (out != NULL)
        *out = NULL;
    if (runs == NULL || n == 0 || out == NULL) {
        set_why(why, whylen, "%s%s", "hn_report_union_runs: ", "no runs or NULL argument");
        return HN_REPORT_INVAL;
    }
    struct st_run *m = st_run_new();
    if (m == NULL)
        goto nomem;
    const char *mode = runs[0]->time_mode, *started = runs[0]->started;
    int same_mode = 1;
    for (size_t i = 0; i < n; i++) {
        const struct st_run *r = runs[i];
        const char *dt = NULL, *dc = NULL;
        m->seconds = r->seconds > m->seconds ? r->seconds : m->seconds; /* shards run at once */
        m->incomplete |= r->incomplete;
        if ((mode == NULL) != (r->time_mode == NULL) ||
            (mode != NULL && strcmp(mode, r->time_mode) != 0))
            same_mode = 0;
        if (r->started != NULL && (started == NULL || strcmp(r->started, started) < 0))
            started = r->started;
        int rc = union_one(m, r, &dt, &dc);
        if (rc == -2) {
            char what[300];
            snprintf(what, sizeof what, "clause %s of target %s is in two shards", dc,
                     dt ? dt : "");
            set_why(why, whylen, "%s%s", "mxttl report --shards: ", what);
            st_run_free(m);
            return HN_REPORT_SCHEMA;
        }
        if (rc < 0)
            goto nomem;
    }
    for (size_t i = 0; i < m->ntargets; i++)
        qsort(m->targets[i].clauses, m->targets[i].nclauses, sizeof m->targets[i].clauses[0],
              clause_result_cmp);
    if (st_set_str(&m->mxttl_version, runs[0]->mxttl_version) < 0 ||
        st_set_str(&m->started, started) < 0 ||
        st_set_str(&m->time_mode, same_mode ? mode : "mixed") < 0 ||
        st_set_fmt(&m->command, "mxttl report --shards (%zu shards)", n) < 0)
        goto nomem;
    *out = m;
    return HN_REPORT_OK;
nomem:
    st_run_free(m);
    set_why(why, whylen, "%s%s", "hn_report_union_runs: ", "out of memory");
    return HN_REPORT_NOMEM;
}

enum hn_report_status hn_report_merge(const char *const *inputs, size_t n, const char *outdir,
                                      int shards, char *why, size_t whylen)
{
    if (inputs == NULL || n == 0 || outdir == NULL) {
        set_why(why, whylen, "%s%s", "hn_report_merge: ", "no inputs or no output directory");
        return HN_REPORT_INVAL;
    }
    struct st_run **runs = calloc(n, sizeof(*runs));
    char **labels = calloc(n, sizeof(*labels));
    enum hn_report_status st = HN_REPORT_OK;
    if (runs == NULL || labels == NULL) {
        set_why(why, whylen, "%s%s", "hn_report_merge: ", "out of memory");
        st = HN_REPORT_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n && st == HN_REPORT_OK; i++) {
        st = hn_report_load(inputs[i], &runs[i], why, whylen);
        if (st != HN_REPORT_OK)
            break;
        char base[200];
        hn_report_label(inputs[i], base, sizeof(base));
        /* Two inputs named alike ("a/run" and "b/run") must still be told apart. */
        int dup = 1;
        for (size_t k = 0; k < i; k++)
            if (strncmp(labels[k], base, strlen(base)) == 0 &&
                (labels[k][strlen(base)] == '\0' || labels[k][strlen(base)] == '#'))
                dup++;
        labels[i] = malloc(strlen(base) + 16);
        if (labels[i] == NULL) {
            set_why(why, whylen, "%s%s", "hn_report_merge: ", "out of memory");
            st = HN_REPORT_NOMEM;
            break;
        }
        if (dup > 1)
            snprintf(labels[i], strlen(base) + 16, "%s#%d", base, dup);
        else
            snprintf(labels[i], strlen(base) + 16, "%s", base);
    }
    if (st == HN_REPORT_OK) {
        struct st_run *merged = NULL;
        st = shards ? hn_report_union_runs((const struct st_run *const *)runs, n, &merged, why,
                                           whylen)
                    : hn_report_merge_runs((const struct st_run *const *)runs,
                                           (const char *const *)labels, n, &merged, why,
                                           whylen);
        if (st == HN_REPORT_OK)
            st = hn_report_write_dir(merged, outdir, HN_REPORT_FMT_ALL, why, whylen);
        st_run_free(merged);
    }
out:
    for (size_t i = 0; runs != NULL && labels != NULL && i < n; i++) {
        st_run_free(runs[i]);
        free(labels[i]);
    }
    free(runs);
    free(labels);
    return st;
}
