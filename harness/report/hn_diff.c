/*
 * hn_diff: comparing the verdicts of two runs (see hn_diff.h). Pairs are matched by exact
 * target name and clause ID; both runs are flattened and sorted, then walked side by side, so
 * the output comes out sorted (two diffs of the same runs are byte-identical) and the cost stays
 * O(n log n) for any input.
 */
#include "hn_diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_report_buf.h"

/* One (target, clause) verdict of a run, flattened so both runs can be sorted and walked
 * together: O(n log n) even for a hostile results.json with a million clauses. */
struct item {
    const char *target, *clause;
    size_t order; /* position in the run: the first of duplicate pairs wins */
    enum st_verdict verdict;
};

static const char *const change_names[] = {"WORSE", "GONE", "BETTER", "CHANGED", "NEW"};

int hn_diff_rank(enum st_verdict v)
{
    switch (v) {
    case ST_PASS:
    case ST_INFO:
    case ST_NA:
    case ST_NOTRUN:
        return 0;
    case ST_NONSTRICT:
        return 1;
    default:
        return 2;
    }
}

static int key_cmp(const struct item *x, const struct item *y)
{
    int c = strcmp(x->target, y->target);
    return c != 0 ? c : hn_report_clause_cmp(x->clause, y->clause);
}

static int item_cmp(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    int c = key_cmp(x, y);
    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* All pairs of run, sorted, duplicates dropped; NULL only on no memory (*n = 0 for none). */
static struct item *flatten(const struct st_run *run, size_t *n)
{
    size_t total = 0;
    for (size_t i = 0; i < run->ntargets; i++)
        total += run->targets[i].nclauses;
    struct item *it = calloc(total ? total : 1, sizeof(*it));
    if (it == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < run->ntargets; i++) {
        const struct st_target_result *t = &run->targets[i];
        for (size_t c = 0; c < t->nclauses; c++, k++) {
            it[k].target = t->target ? t->target : "";
            it[k].clause = t->clauses[c].clause ? t->clauses[c].clause : "";
            it[k].order = k;
            it[k].verdict = t->clauses[c].verdict;
        }
    }
    qsort(it, total, sizeof(*it), item_cmp);
    size_t w = 0;
    for (size_t r = 0; r < total; r++)
        if (w == 0 || key_cmp(&it[w - 1], &it[r]) != 0)
            it[w++] = it[r];
    *n = w;
    return it;
}

static void line(struct hn_report_buf *b, enum hn_diff_change ch, const struct item *key,
                 const struct item *o, const struct item *nw)
{
    hn_report_buf_printf(b, "%-7s ", change_names[ch]);
    hn_report_buf_line(b, key->target);
    hn_report_buf_puts(b, " ");
    hn_report_buf_line(b, key->clause);
    hn_report_buf_printf(b, ": %s -> %s\n", o ? st_verdict_str(o->verdict) : "(missing)",
                         nw ? st_verdict_str(nw->verdict) : "(missing)");
}

enum hn_report_status hn_diff_runs(const struct st_run *old_run, const struct st_run *new_run,
                                   char **text, int *worse)
{
    if (text != NULL)
        *text = NULL;
    if (old_run == NULL || new_run == NULL || text == NULL || worse == NULL)
        return HN_REPORT_INVAL;
    *worse = 0;
    size_t no = 0, nn = 0;
    struct item *o = flatten(old_run, &no);
    struct item *nw = flatten(new_run, &nn);
    if (o == NULL || nw == NULL) {
        free(o);
        free(nw);
        return HN_REPORT_NOMEM;
    }
    size_t per[5] = {0}, unchanged = 0, i = 0, j = 0;
    struct hn_report_buf b = {0};
    while (i < no || j < nn) {
        int c = i == no ? 1 : j == nn ? -1 : key_cmp(&o[i], &nw[j]);
        enum hn_diff_change ch;
        if (c < 0) {
            ch = HN_DIFF_GONE;
            line(&b, ch, &o[i], &o[i], NULL);
            i++;
        } else if (c > 0) {
            ch = HN_DIFF_NEW;
            line(&b, ch, &nw[j], NULL, &nw[j]);
            j++;
        } else {
            int ro = hn_diff_rank(o[i].verdict), rn = hn_diff_rank(nw[j].verdict);
            if (o[i].verdict == nw[j].verdict) {
                unchanged++;
                i++;
                j++;
                continue;
            }
            ch = rn > ro ? HN_DIFF_WORSE : rn < ro ? HN_DIFF_BETTER : HN_DIFF_CHANGED;
            line(&b, ch, &o[i], &o[i], &nw[j]);
            i++;
            j++;
        }
        per[ch]++;
    }
    size_t changed = per[0] + per[1] + per[2] + per[3] + per[4];
    *worse = per[HN_DIFF_WORSE] + per[HN_DIFF_GONE] > 0;
    hn_report_buf_printf(&b,
                         "diff: %zu changed (%zu worse, %zu gone, %zu better, %zu changed at the "
                         "same rank, %zu new), %zu unchanged%s%s\n",
                         changed, per[HN_DIFF_WORSE], per[HN_DIFF_GONE], per[HN_DIFF_BETTER],
                         per[HN_DIFF_CHANGED], per[HN_DIFF_NEW], unchanged,
                         old_run->incomplete ? "; OLD run incomplete" : "",
                         new_run->incomplete ? "; NEW run incomplete" : "");
    free(o);
    free(nw);
    return hn_report_buf_finish(&b, text, NULL) == 0 ? HN_REPORT_OK : HN_REPORT_NOMEM;
}

enum hn_report_status hn_diff_paths(const char *old_path, const char *new_path, char **text,
                                    int *worse, char *why, size_t whylen)
{
    if (text != NULL)
        *text = NULL;
    if (old_path == NULL || new_path == NULL || text == NULL || worse == NULL) {
        if (why != NULL && whylen > 0)
            snprintf(why, whylen, "hn_diff_paths: NULL argument");
        return HN_REPORT_INVAL;
    }
    struct st_run *o = NULL, *nw = NULL;
    enum hn_report_status st = hn_report_load(old_path, &o, why, whylen);
    if (st == HN_REPORT_OK)
        st = hn_report_load(new_path, &nw, why, whylen);
    if (st == HN_REPORT_OK) {
        st = hn_diff_runs(o, nw, text, worse);
        if (st != HN_REPORT_OK && why != NULL && whylen > 0)
            snprintf(why, whylen, "diff: %s", hn_report_status_desc(st));
    }
    st_run_free(o);
    st_run_free(nw);
    return st;
}
