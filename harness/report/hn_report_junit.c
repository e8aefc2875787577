/*
 * hn_report_junit: junit.xml for CI systems -- one <testsuite> per target, one <testcase> per
 * clause. FAIL is a <failure>, ERROR an <error>, N/A <skipped>; INFO and NON-STRICT pass with
 * their evidence in <system-out>, so a CI page shows them without turning red. An interrupted
 * run adds one <error> test case per suite ("run incomplete") so CI cannot mistake it for a
 * complete green run.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hn_report.h"
#include "hn_report_buf.h"

#define JUNIT_NAME_MAX 72 /* sentence part of a test case name */

static double secs(double v)
{
    return isfinite(v) && v >= 0 ? v : 0.0;
}

static void attr(struct hn_report_buf *b, const char *name, const char *val)
{
    hn_report_buf_printf(b, " %s=\"", name);
    hn_report_buf_xml(b, val ? val : "", 1);
    hn_report_buf_put(b, "\"", 1);
}

/* The evidence of one clause as plain lines, XML-escaped as element text. */
static void evidence(struct hn_report_buf *b, const struct st_clause_result *c)
{
    struct hn_report_buf tmp = {0};
    hn_report_buf_printf(&tmp, "%s %s: %s\n", c->clause ? c->clause : "?", st_level_str(c->level),
                         st_verdict_str(c->verdict));
    const struct {
        const char *label, *val;
    } rows[] = {{"clause", c->sentence}, {"scenario", c->scenario}, {"expected", c->expected},
                {"observed", c->observed}, {"note", c->note}};
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        if (rows[i].val != NULL)
            hn_report_buf_printf(&tmp, "%s: %s\n", rows[i].label, rows[i].val);
    if (tmp.failed)
        b->failed = 1;
    else
        hn_report_buf_xml(b, tmp.data, 0);
    hn_report_buf_release(&tmp);
}

static void testcase(struct hn_report_buf *b, const struct st_target_result *t,
                     const struct st_clause_result *c)
{
    char shortened[JUNIT_NAME_MAX + 8];
    hn_report_shorten(c->sentence ? c->sentence : "", JUNIT_NAME_MAX, shortened,
                      sizeof(shortened));
    struct hn_report_buf name = {0};
    hn_report_buf_printf(&name, "%s%s%s", c->clause ? c->clause : "?", shortened[0] ? " " : "",
                         shortened);
    hn_report_buf_puts(b, "    <testcase");
    attr(b, "name", name.failed ? "" : name.data);
    if (name.failed)
        b->failed = 1;
    hn_report_buf_release(&name);
    attr(b, "classname", t->target);
    hn_report_buf_printf(b, " time=\"%.3f\"", secs(c->seconds));
    if (c->verdict == ST_PASS) {
        hn_report_buf_puts(b, "/>\n");
        return;
    }
    hn_report_buf_puts(b, ">\n");
    char msg[160];
    const char *src = c->observed ? c->observed : c->note;
    hn_report_shorten(src ? src : st_verdict_str(c->verdict), 120, msg, sizeof(msg));
    switch (c->verdict) {
    case ST_FAIL:
    case ST_ERROR:
        hn_report_buf_puts(b, c->verdict == ST_FAIL ? "      <failure" : "      <error");
        attr(b, "message", msg);
        attr(b, "type", st_verdict_str(c->verdict));
        hn_report_buf_puts(b, ">");
        evidence(b, c);
        hn_report_buf_puts(b, c->verdict == ST_FAIL ? "</failure>\n" : "</error>\n");
        break;
    case ST_NA:
    case ST_NOTRUN:
        hn_report_buf_puts(b, "      <skipped");
        attr(b, "message", msg);
        hn_report_buf_puts(b, "/>\n");
        break;
    default: /* INFO, NON-STRICT: a pass with its evidence shown */
        hn_report_buf_puts(b, "      <system-out>");
        evidence(b, c);
        hn_report_buf_puts(b, "</system-out>\n");
        break;
    }
    hn_report_buf_puts(b, "    </testcase>\n");
}

static void incomplete_case(struct hn_report_buf *b, const char *classname)
{
    hn_report_buf_puts(b, "    <testcase name=\"run incomplete\"");
    attr(b, "classname", classname);
    hn_report_buf_puts(b, " time=\"0.000\">\n      <error message=\"the run was interrupted: "
                          "not every clause ran\" type=\"INCOMPLETE\"/>\n    </testcase>\n");
}

enum hn_report_status hn_report_junit_render(const struct st_run *run, char **out, size_t *len)
{
    if (out != NULL)
        *out = NULL;
    if (run == NULL || out == NULL)
        return HN_REPORT_INVAL;
    struct hn_report_buf b = {0};
    size_t tests = 0, fails = 0, errors = 0, skipped = 0;
    for (size_t i = 0; i < run->ntargets; i++) {
        size_t counts[ST_VERDICT_COUNT];
        st_target_counts(&run->targets[i], counts);
        tests += run->targets[i].nclauses + (run->incomplete ? 1 : 0);
        fails += counts[ST_FAIL];
        errors += counts[ST_ERROR] + (run->incomplete ? 1 : 0);
        skipped += counts[ST_NA] + counts[ST_NOTRUN];
    }
    int lone_incomplete = run->incomplete && run->ntargets == 0;
    if (lone_incomplete) {
        tests++;
        errors++;
    }
    hn_report_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (run->incomplete)
        hn_report_buf_puts(&b, "<!-- INCOMPLETE RUN: interrupted, not every clause ran -->\n");
    hn_report_buf_printf(&b,
                         "<testsuites name=\"mxttl\" tests=\"%zu\" failures=\"%zu\" "
                         "errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\"",
                         tests, fails, errors, skipped, secs(run->seconds));
    attr(&b, "timestamp", run->started);
    hn_report_buf_puts(&b, ">\n");
    for (size_t i = 0; i < run->ntargets; i++) {
        const struct st_target_result *t = &run->targets[i];
        size_t counts[ST_VERDICT_COUNT];
        st_target_counts(t, counts);
        double total = 0;
        for (size_t k = 0; k < t->nclauses; k++)
            total += secs(t->clauses[k].seconds);
        hn_report_buf_puts(&b, "  <testsuite");
        attr(&b, "name", t->target);
        hn_report_buf_printf(&b,
                             " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
                             "time=\"%.3f\"",
                             t->nclauses + (run->incomplete ? 1 : 0), counts[ST_FAIL],
                             counts[ST_ERROR] + (run->incomplete ? 1 : 0),
                             counts[ST_NA] + counts[ST_NOTRUN], total);
        attr(&b, "timestamp", run->started);
        hn_report_buf_puts(&b, ">\n    <properties>\n");
        const struct {
            const char *name, *val;
        } props[] = {{"spec", t->spec},
                     {"classification", st_class_str(t->klass)},
                     {"classification_reason", t->class_reason},
                     {"mxttl_version", run->mxttl_version},
                     {"time_mode", run->time_mode},
                     {"incomplete", run->incomplete ? "true" : "false"}};
        for (size_t k = 0; k < sizeof(props) / sizeof(props[0]); k++) {
            if (props[k].val == NULL)
                continue;
            hn_report_buf_puts(&b, "      <property");
            attr(&b, "name", props[k].name);
            attr(&b, "value", props[k].val);
            hn_report_buf_puts(&b, "/>\n");
        }
        hn_report_buf_puts(&b, "    </properties>\n");
        for (size_t k = 0; k < t->nclauses; k++)
            testcase(&b, t, &t->clauses[k]);
        if (run->incomplete)
            incomplete_case(&b, t->target);
        hn_report_buf_puts(&b, "  </testsuite>\n");
    }
    if (lone_incomplete) {
        hn_report_buf_puts(&b, "  <testsuite name=\"mxttl\" tests=\"1\" failures=\"0\" "
                               "errors=\"1\" skipped=\"0\" time=\"0.000\">\n");
        incomplete_case(&b, "mxttl");
        hn_report_buf_puts(&b, "  </testsuite>\n");
    }
    hn_report_buf_puts(&b, "</testsuites>\n");
    return hn_report_buf_finish(&b, out, len) == 0 ? HN_REPORT_OK : HN_REPORT_NOMEM;
}
