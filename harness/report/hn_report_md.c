/*
 * hn_report_md: report.md, the report people read in a terminal, a merge request or a wiki --
 * run header, a summary table (target, spec, classification, counts), a clause table per target
 * and the evidence of every FAIL, ERROR and NON-STRICT verdict.
 *
 * Everything from the run is escaped: table cells through hn_report_buf_md (no raw HTML or
 * Markdown markup gets through) and evidence in fenced blocks whose fence is longer than any
 * run of '~' inside, so no observed text can close its block early.
 */
#include <stdio.h>
#include <string.h>

#include "hn_report.h"
#include "hn_report_buf.h"

static void cell(struct hn_report_buf *b, const char *s)
{
    hn_report_buf_puts(b, " ");
    hn_report_buf_md(b, s ? s : "");
    hn_report_buf_puts(b, " |");
}

static void fenced(struct hn_report_buf *b, const char *label, const char *text)
{
    if (text == NULL)
        return;
    size_t longest = 0, run = 0;
    for (const char *p = text; *p; p++) {
        run = *p == '~' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest >= 3 ? longest + 1 : 3;
    hn_report_buf_printf(b, "%s:\n\n", label);
    for (size_t i = 0; i < fence; i++)
        hn_report_buf_put(b, "~", 1);
    hn_report_buf_puts(b, "text\n");
    hn_report_buf_text(b, text);
    if (text[0] == '\0' || text[strlen(text) - 1] != '\n')
        hn_report_buf_puts(b, "\n");
    for (size_t i = 0; i < fence; i++)
        hn_report_buf_put(b, "~", 1);
    hn_report_buf_puts(b, "\n\n");
}

static void class_cell(struct hn_report_buf *b, const struct st_target_result *t)
{
    struct hn_report_buf tmp = {0};
    hn_report_class_text(&tmp, t);
    if (tmp.failed)
        b->failed = 1;
    cell(b, tmp.data);
    hn_report_buf_release(&tmp);
}

static void verdict_cell(struct hn_report_buf *b, enum st_verdict v)
{
    /* Bold marks the verdicts a reader must look at. */
    int loud = v == ST_FAIL || v == ST_ERROR || v == ST_NONSTRICT;
    hn_report_buf_printf(b, " %s", loud ? "**" : "");
    hn_report_buf_md(b, st_verdict_str(v));
    hn_report_buf_printf(b, "%s |", loud ? "**" : "");
}

static void target_section(struct hn_report_buf *b, const struct st_target_result *t)
{
    hn_report_buf_puts(b, "## Target ");
    hn_report_buf_md(b, t->target ? t->target : "");
    hn_report_buf_puts(b, "\n\nJudged against the ");
    hn_report_buf_md(b, t->spec ? t->spec : "(unknown)");
    hn_report_buf_puts(b, " spec. Classification: **");
    struct hn_report_buf tmp = {0};
    hn_report_class_text(&tmp, t);
    hn_report_buf_md(b, tmp.data ? tmp.data : "");
    if (tmp.failed)
        b->failed = 1;
    hn_report_buf_release(&tmp);
    hn_report_buf_puts(b, "**.\n\n");
    if (t->nclauses == 0) {
        hn_report_buf_puts(b, "No clause results.\n\n");
        return;
    }
    hn_report_buf_puts(b, "| Clause | Level | Verdict | Sentence | Scenario |\n"
                          "|---|---|---|---|---|\n");
    for (size_t i = 0; i < t->nclauses; i++) {
        const struct st_clause_result *c = &t->clauses[i];
        hn_report_buf_puts(b, "|");
        cell(b, c->clause);
        cell(b, st_level_str(c->level));
        verdict_cell(b, c->verdict);
        cell(b, c->sentence);
        cell(b, c->scenario ? c->scenario : "-");
        hn_report_buf_puts(b, "\n");
    }
    hn_report_buf_puts(b, "\n");
    int any = 0;
    for (size_t i = 0; i < t->nclauses; i++) {
        const struct st_clause_result *c = &t->clauses[i];
        if (c->verdict != ST_FAIL && c->verdict != ST_ERROR && c->verdict != ST_NONSTRICT)
            continue;
        if (!any)
            hn_report_buf_puts(b, "### Evidence\n\n");
        any = 1;
        hn_report_buf_puts(b, "#### ");
        hn_report_buf_md(b, c->clause ? c->clause : "?");
        hn_report_buf_printf(b, ": %s\n\n", st_verdict_str(c->verdict));
        if (c->sentence) {
            hn_report_buf_puts(b, "Clause: ");
            hn_report_buf_md(b, c->sentence);
            hn_report_buf_puts(b, "\n\n");
        }
        if (c->scenario) {
            hn_report_buf_puts(b, "Scenario: ");
            hn_report_buf_md(b, c->scenario);
            hn_report_buf_puts(b, "\n\n");
        }
        fenced(b, "Expected", c->expected);
        fenced(b, "Observed", c->observed);
        fenced(b, "Note", c->note);
        if (!c->expected && !c->observed && !c->note)
            hn_report_buf_puts(b, "No evidence was recorded.\n\n");
    }
}

enum hn_report_status hn_report_md_render(const struct st_run *run, char **out, size_t *len)
{
    if (out != NULL)
        *out = NULL;
    if (run == NULL || out == NULL)
        return HN_REPORT_INVAL;
    struct hn_report_buf b = {0};
    hn_report_buf_puts(&b, "# mxttl conformance report\n\n");
    if (run->incomplete)
        hn_report_buf_puts(&b, "> **INCOMPLETE RUN**: the run was interrupted and not every "
                               "clause ran. Missing clauses are not passes.\n\n");
    hn_report_buf_puts(&b, "| Run | |\n|---|---|\n| mxttl version |");
    cell(&b, run->mxttl_version ? run->mxttl_version : "-");
    hn_report_buf_puts(&b, "\n| started (UTC) |");
    cell(&b, run->started ? run->started : "-");
    hn_report_buf_puts(&b, "\n| duration | ");
    hn_report_buf_duration(&b, run->seconds);
    hn_report_buf_puts(&b, " |\n| time mode |");
    cell(&b, run->time_mode ? run->time_mode : "-");
    hn_report_buf_puts(&b, "\n| command |");
    cell(&b, run->command ? run->command : "-");
    hn_report_buf_printf(&b, "\n| complete | %s |\n\n", run->incomplete ? "**no**" : "yes");

    hn_report_buf_puts(&b, "## Summary\n\n");
    if (run->ntargets == 0) {
        hn_report_buf_puts(&b, "No targets were run.\n\n");
    } else {
        hn_report_buf_puts(&b, "| Target | Spec | Classification | Conforms |");
        for (int v = 0; v < ST_VERDICT_COUNT; v++)
            hn_report_buf_printf(&b, " %s |", st_verdict_str((enum st_verdict)v));
        hn_report_buf_puts(&b, "\n|---|---|---|---|");
        for (int v = 0; v < ST_VERDICT_COUNT; v++)
            hn_report_buf_puts(&b, "--:|");
        hn_report_buf_puts(&b, "\n");
        for (size_t i = 0; i < run->ntargets; i++) {
            const struct st_target_result *t = &run->targets[i];
            size_t counts[ST_VERDICT_COUNT];
            st_target_counts(t, counts);
            hn_report_buf_puts(&b, "|");
            cell(&b, t->target);
            cell(&b, t->spec ? t->spec : "-");
            class_cell(&b, t);
            hn_report_buf_printf(&b, " %s |", st_target_conforms(t) ? "yes" : "**no**");
            for (int v = 0; v < ST_VERDICT_COUNT; v++)
                hn_report_buf_printf(&b, " %zu |", counts[v]);
            hn_report_buf_puts(&b, "\n");
        }
        hn_report_buf_puts(&b, "\n");
    }
    for (size_t i = 0; i < run->ntargets; i++)
        target_section(&b, &run->targets[i]);
    if (run->ntimelines > 0)
        hn_report_buf_printf(&b, "Timelines of %zu scenario runs are drawn in report.html.\n",
                             run->ntimelines);
    return hn_report_buf_finish(&b, out, len) == 0 ? HN_REPORT_OK : HN_REPORT_NOMEM;
}
