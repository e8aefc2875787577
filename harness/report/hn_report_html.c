/*
 * hn_report_html: report.html, one self-contained page (inline CSS and SVG, no scripts, no
 * external resources: it opens offline and from a CI artefact store). It shows the run header,
 * one card per target with its classification, the clause x target matrix, the evidence of each
 * clause, and one SVG timeline per scenario and target: step switches, lookups, the DNS queries
 * the fixture saw and the TTL windows of the routes the target received.
 *
 * Every string from the run goes through hn_report_buf_xml; element ids are generated from
 * indexes, never from names, so no target or clause name can break the page's structure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hn_report.h"
#include "hn_report_buf.h"

/* Timeline geometry, in SVG user units (the SVG scales to the page width). */
#define TL_WIDTH 1160.0
#define TL_LEFT 96.0
#define TL_RIGHT 24.0
#define TL_TTL_ROWS 8 /* TTL bars beyond this many overlapping windows share the last row */

static const char css[] =
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;"
    "--pass:#1a7f37;--pass-bg:#dafbe1;--ns:#9a6700;--ns-bg:#fff8c5;--info:#0550ae;"
    "--info-bg:#ddf4ff;--fail:#cf222e;--fail-bg:#ffebe9;--na:#59636e;--na-bg:#eaeef2;"
    "--err:#8250df;--err-bg:#fbefff}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
    "Arial,sans-serif;color:var(--fg);background:#fff}\n"
    "main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;"
    "border-bottom:1px solid var(--line)}h3{font-size:16px;margin:24px 0 8px}\n"
    ".sub{color:var(--muted);margin:0 0 16px}\n"
    "dl.run{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0;"
    "padding:12px 16px;background:var(--bg);border:1px solid var(--line);border-radius:8px}\n"
    "dl.run dt{color:var(--muted)}dl.run dd{margin:0;word-break:break-word}\n"
    ".banner{margin:16px 0;padding:12px 16px;border-radius:8px;font-weight:600;"
    "border:2px solid var(--fail);background:var(--fail-bg);color:var(--fail)}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:14px}\n"
    ".card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;"
    "border-left-width:6px}\n"
    ".card.ok{border-left-color:var(--pass)}.card.bad{border-left-color:var(--fail)}\n"
    ".card .name{font-weight:600;font-size:15px;word-break:break-all}\n"
    ".card .cls{margin:6px 0}.card .cls b{font-weight:600}\n"
    ".chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}\n"
    ".chip{font-size:12px;padding:1px 8px;border-radius:10px;border:1px solid currentColor}\n"
    ".v-PASS{color:var(--pass);background:var(--pass-bg)}"
    ".v-NON-STRICT{color:var(--ns);background:var(--ns-bg)}"
    ".v-INFO{color:var(--info);background:var(--info-bg)}"
    ".v-FAIL{color:var(--fail);background:var(--fail-bg)}"
    ".v-NA{color:var(--na);background:var(--na-bg)}"
    ".v-ERROR{color:var(--err);background:var(--err-bg)}"
    ".v-NOTRUN{color:var(--muted);background:#fff}"
    ".v-none{color:var(--muted);background:#fff}\n"
    ".scroll{overflow-x:auto}\n"
    "table.matrix{border-collapse:separate;border-spacing:0;font-size:13px;width:100%}\n"
    "table.matrix th,table.matrix td{border-bottom:1px solid var(--line);padding:5px 8px}\n"
    "table.matrix thead th{position:sticky;top:0;background:#fff;vertical-align:bottom;"
    "text-align:center;font-weight:600;max-width:140px;overflow-wrap:anywhere;"
    "border-bottom:2px solid var(--line)}\n"
    "table.matrix th.clause{text-align:left;white-space:nowrap;font-weight:600}\n"
    "table.matrix td.sentence{color:var(--muted);min-width:260px}\n"
    "nav{margin:14px 0 0;font-size:13px}nav a{margin-right:14px;color:#0969da;"
    "text-decoration:none}\n"
    "table.matrix td.lvl{font-size:11px;color:var(--muted);text-align:center}\n"
    "table.matrix td.v{text-align:center;font-weight:600;font-size:12px;min-width:92px;"
    "border-left:3px solid #fff}\n"
    "table.matrix td.v a{color:inherit;text-decoration:none;display:block}\n"
    "tr.group th{background:var(--bg);text-align:left;font-size:12px;letter-spacing:.04em;"
    "text-transform:uppercase;color:var(--muted)}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:8px;margin:10px 0;font-size:12px}\n"
    "details{border:1px solid var(--line);border-radius:6px;margin:6px 0;background:#fff}\n"
    "details>summary{cursor:pointer;padding:6px 10px;list-style-position:inside}\n"
    "details>summary .vb{display:inline-block;min-width:92px;text-align:center;"
    "font-size:12px;font-weight:600;border-radius:4px;padding:0 6px;margin-right:8px}\n"
    "details .body{padding:4px 12px 12px}\n"
    ".ev{display:grid;grid-template-columns:1fr 1fr;gap:12px}\n"
    ".ev h4{margin:6px 0 4px;font-size:12px;color:var(--muted);text-transform:uppercase;"
    "letter-spacing:.04em}\n"
    "pre{margin:0;padding:8px 10px;background:var(--bg);border:1px solid var(--line);"
    "border-radius:6px;white-space:pre-wrap;word-break:break-word;font:12px/1.45 ui-monospace,"
    "SFMono-Regular,Menlo,Consolas,monospace;max-height:360px;overflow:auto}\n"
    ".meta{color:var(--muted);font-size:12px;margin:4px 0}\n"
    "figure{margin:18px 0;border:1px solid var(--line);border-radius:8px;padding:10px 12px}\n"
    "figcaption{font-weight:600;margin-bottom:6px;word-break:break-all}\n"
    "figcaption span{font-weight:400;color:var(--muted)}\n"
    "svg.tl{width:100%;height:auto;display:block}\n"
    "svg.tl text{font:11px system-ui,sans-serif;fill:#424a53}\n"
    "svg.tl text.lane{font-weight:600;fill:#59636e}\n"
    "footer{margin-top:40px;color:var(--muted);font-size:12px}\n";

static void esc(struct hn_report_buf *b, const char *s)
{
    hn_report_buf_xml(b, s ? s : "", 0);
}

static void esc_attr(struct hn_report_buf *b, const char *s)
{
    hn_report_buf_xml(b, s ? s : "", 1);
}

/* Escaped text with a line-break opportunity after '/', ':', '+', ',' and '.', so long target
 * names wrap at their natural joints in narrow matrix headers instead of mid-word. */
static void esc_wrap(struct hn_report_buf *b, const char *s)
{
    const char *p = s ? s : "";
    while (*p) {
        size_t n = strcspn(p, "/:+,.");
        struct hn_report_buf tmp = {0};
        hn_report_buf_put(&tmp, p, n);
        esc(b, tmp.data);
        if (tmp.failed)
            b->failed = 1;
        hn_report_buf_release(&tmp);
        p += n;
        if (*p) {
            char chunk[2] = {*p++, 0};
            esc(b, chunk);
            hn_report_buf_puts(b, "<wbr>");
        }
    }
}

/* CSS class suffix of a verdict: "N/A" is not a valid class name. */
static const char *vclass(enum st_verdict v)
{
    return v == ST_NA ? "NA" : v == ST_NOTRUN ? "NOTRUN" : st_verdict_str(v);
}

static void header(struct hn_report_buf *b, const struct st_run *run)
{
    hn_report_buf_puts(b, "<header><h1>mxttl conformance report</h1>"
                          "<p class=\"sub\">How each target caches DNS routes, judged clause by "
                          "clause against SPEC.md.</p>\n<dl class=\"run\">");
    hn_report_buf_puts(b, "<dt>mxttl version</dt><dd>");
    esc(b, run->mxttl_version ? run->mxttl_version : "-");
    hn_report_buf_puts(b, "</dd><dt>started (UTC)</dt><dd>");
    esc(b, run->started ? run->started : "-");
    hn_report_buf_puts(b, "</dd><dt>duration</dt><dd>");
    hn_report_buf_duration(b, run->seconds);
    hn_report_buf_puts(b, "</dd><dt>time mode</dt><dd>");
    esc(b, run->time_mode ? run->time_mode : "-");
    hn_report_buf_puts(b, "</dd><dt>command</dt><dd><code>");
    esc(b, run->command ? run->command : "-");
    hn_report_buf_printf(b, "</code></dd><dt>targets</dt><dd>%zu</dd><dt>complete</dt><dd>%s</dd>"
                            "</dl></header>\n",
                         run->ntargets, run->incomplete ? "<b>no</b>" : "yes");
    hn_report_buf_puts(b, "<nav><a href=\"#targets\">Targets</a><a href=\"#matrix\">Clause "
                          "matrix</a><a href=\"#evidence\">Evidence</a><a href=\"#timelines\">"
                          "Timelines</a></nav>\n");
    if (run->incomplete)
        hn_report_buf_puts(b, "<div class=\"banner\" role=\"alert\">INCOMPLETE RUN: the run was "
                              "interrupted and not every clause ran. Clauses without a verdict "
                              "are not passes.</div>\n");
}

static void cards(struct hn_report_buf *b, const struct st_run *run)
{
    hn_report_buf_puts(b, "<h2 id=\"targets\">Targets</h2>\n");
    if (run->ntargets == 0) {
        hn_report_buf_puts(b, "<p>No targets were run.</p>\n");
        return;
    }
    hn_report_buf_puts(b, "<div class=\"cards\">\n");
    for (size_t i = 0; i < run->ntargets; i++) {
        const struct st_target_result *t = &run->targets[i];
        size_t counts[ST_VERDICT_COUNT];
        st_target_counts(t, counts);
        int ok = st_target_conforms(t);
        hn_report_buf_printf(b, "<div class=\"card %s\"><div class=\"name\">", ok ? "ok" : "bad");
        esc(b, t->target);
        hn_report_buf_puts(b, "</div><div class=\"meta\">judged against the ");
        esc(b, t->spec ? t->spec : "(unknown)");
        hn_report_buf_printf(b, " spec &middot; %s</div><div class=\"cls\"><b>",
                             ok ? "conforms" : "does not conform");
        struct hn_report_buf tmp = {0};
        hn_report_class_text(&tmp, t);
        if (tmp.failed)
            b->failed = 1;
        esc(b, tmp.data);
        hn_report_buf_release(&tmp);
        hn_report_buf_puts(b, "</b></div><div class=\"chips\">");
        for (int v = 0; v < ST_VERDICT_COUNT; v++)
            if (counts[v] > 0)
                hn_report_buf_printf(b, "<span class=\"chip v-%s\">%zu %s</span>",
                                     vclass((enum st_verdict)v), counts[v],
                                     st_verdict_str((enum st_verdict)v));
        hn_report_buf_puts(b, "</div></div>\n");
    }
    hn_report_buf_puts(b, "</div>\n");
}

/* One row of the matrix: a clause ID with the first sentence and level found for it. Also
 * used, one array per target, as that target's sorted clause index (order = position). */
struct row {
    const char *clause, *sentence;
    enum st_level level;
    size_t order;
};

static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c = hn_report_clause_cmp(x->clause, y->clause);
    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Clause IDs over all targets, each once, in spec order (sorting keeps this O(n log n) for a
 * hostile results.json). NULL (with *n = 0) if there are none or memory ran out (then
 * b->failed is set). */
static struct row *collect_rows(struct hn_report_buf *b, const struct st_run *run, size_t *n)
{
    size_t cap = 0, k = 0;
    *n = 0;
    for (size_t i = 0; i < run->ntargets; i++)
        cap += run->targets[i].nclauses;
    if (cap == 0)
        return NULL;
    struct row *rows = calloc(cap, sizeof(*rows));
    if (rows == NULL) {
        b->failed = 1;
        return NULL;
    }
    for (size_t i = 0; i < run->ntargets; i++)
        for (size_t c = 0; c < run->targets[i].nclauses; c++, k++) {
            const struct st_clause_result *cr = &run->targets[i].clauses[c];
            rows[k].clause = cr->clause ? cr->clause : "";
            rows[k].sentence = cr->sentence;
            rows[k].level = cr->level;
            rows[k].order = k;
        }
    qsort(rows, cap, sizeof(*rows), row_cmp);
    size_t w = 0;
    for (size_t r = 0; r < cap; r++) {
        if (w > 0 && strcmp(rows[w - 1].clause, rows[r].clause) == 0) {
            if (rows[w - 1].sentence == NULL)
                rows[w - 1].sentence = rows[r].sentence;
            continue;
        }
        rows[w++] = rows[r];
    }
    *n = w;
    return rows;
}

/* A target's clauses sorted by ID (first occurrence first); NULL if it has none or on no
 * memory (b->failed set). */
static struct row *target_index(struct hn_report_buf *b, const struct st_target_result *t)
{
    if (t->nclauses == 0)
        return NULL;
    struct row *ix = calloc(t->nclauses, sizeof(*ix));
    if (ix == NULL) {
        b->failed = 1;
        return NULL;
    }
    for (size_t k = 0; k < t->nclauses; k++) {
        ix[k].clause = t->clauses[k].clause ? t->clauses[k].clause : "";
        ix[k].order = k;
    }
    qsort(ix, t->nclauses, sizeof(*ix), row_cmp);
    return ix;
}

/* Position in the target of its first clause with this ID, or (size_t)-1. */
static size_t find_clause(const struct row *ix, size_t n, const char *id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (hn_report_clause_cmp(ix[mid].clause, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(ix[lo].clause, id) == 0 ? ix[lo].order : (size_t)-1;
}

static const char *group_of(const char *id)
{
    if (strncmp(id, "LEG-", 4) == 0)
        return "Legacy mode (EnableTTL=0)";
    if (strncmp(id, "TTL-", 4) == 0)
        return "TTL mode (EnableTTL=1)";
    if (strncmp(id, "COM-", 4) == 0)
        return "Both modes";
    return "Other";
}

static void matrix(struct hn_report_buf *b, const struct st_run *run, const struct row *rows,
                   size_t nrows)
{
    hn_report_buf_puts(b, "<h2 id=\"matrix\">Clause matrix</h2>\n");
    if (nrows == 0) {
        hn_report_buf_puts(b, "<p>No clause results.</p>\n");
        return;
    }
    hn_report_buf_puts(b, "<div class=\"legend\">");
    for (int v = 0; v < ST_VERDICT_COUNT; v++) {
        static const char *const desc[] = {
#define HN_VERDICT_DESC(sym, str, d) d,
            ST_VERDICT_LIST(HN_VERDICT_DESC)
#undef HN_VERDICT_DESC
        };
        hn_report_buf_printf(b, "<span class=\"chip v-%s\">%s: %s</span>",
                             vclass((enum st_verdict)v), st_verdict_str((enum st_verdict)v),
                             desc[v]);
    }
    hn_report_buf_puts(b, "</div>\n<div class=\"scroll\"><table class=\"matrix\"><thead><tr>"
                          "<th>Clause</th><th>Level</th><th>Sentence</th>");
    for (size_t i = 0; i < run->ntargets; i++) {
        hn_report_buf_puts(b, "<th title=\"");
        esc_attr(b, run->targets[i].target);
        hn_report_buf_puts(b, "\">");
        esc_wrap(b, run->targets[i].target);
        hn_report_buf_puts(b, "</th>");
    }
    hn_report_buf_puts(b, "</tr></thead><tbody>\n");
    struct row **index = calloc(run->ntargets, sizeof(*index));
    if (index == NULL) {
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < run->ntargets; i++)
        index[i] = target_index(b, &run->targets[i]);
    const char *group = NULL;
    for (size_t r = 0; r < nrows; r++) {
        const char *g = group_of(rows[r].clause);
        if (group == NULL || strcmp(g, group) != 0) {
            group = g;
            hn_report_buf_printf(b, "<tr class=\"group\"><th colspan=\"%zu\">%s</th></tr>\n",
                                 run->ntargets + 3, g);
        }
        char shortened[260];
        hn_report_shorten(rows[r].sentence ? rows[r].sentence : "", 240, shortened,
                          sizeof(shortened));
        hn_report_buf_puts(b, "<tr><th class=\"clause\" title=\"");
        esc_attr(b, rows[r].sentence);
        hn_report_buf_puts(b, "\">");
        esc(b, rows[r].clause);
        hn_report_buf_printf(b, "</th><td class=\"lvl\">%s</td><td class=\"sentence\" title=\"",
                             st_level_str(rows[r].level));
        esc_attr(b, rows[r].sentence);
        hn_report_buf_puts(b, "\">");
        esc(b, shortened);
        hn_report_buf_puts(b, "</td>");
        for (size_t i = 0; i < run->ntargets; i++) {
            const struct st_target_result *t = &run->targets[i];
            size_t k = index[i] ? find_clause(index[i], t->nclauses, rows[r].clause) : (size_t)-1;
            if (k == (size_t)-1) {
                hn_report_buf_puts(b, "<td class=\"v v-none\" title=\"not run\">&ndash;</td>");
                continue;
            }
            const struct st_clause_result *c = &t->clauses[k];
            hn_report_buf_printf(b, "<td class=\"v v-%s\" title=\"", vclass(c->verdict));
            esc_attr(b, rows[r].clause);
            hn_report_buf_puts(b, ": ");
            esc_attr(b, c->sentence ? c->sentence : rows[r].sentence);
            hn_report_buf_printf(b, "&#10;%s on ", st_verdict_str(c->verdict));
            esc_attr(b, t->target);
            if (c->observed) {
                char obs[220];
                hn_report_shorten(c->observed, 200, obs, sizeof(obs));
                hn_report_buf_puts(b, "&#10;observed: ");
                esc_attr(b, obs);
            }
            hn_report_buf_printf(b, "\"><a href=\"#ev-%zu-%zu\">%s</a></td>", i, k,
                                 st_verdict_str(c->verdict));
        }
        hn_report_buf_puts(b, "</tr>\n");
    }
    for (size_t i = 0; i < run->ntargets; i++)
        free(index[i]);
    free(index);
    hn_report_buf_puts(b, "</tbody></table></div>\n");
}

static void pre_block(struct hn_report_buf *b, const char *title, const char *text)
{
    hn_report_buf_printf(b, "<div><h4>%s</h4><pre>", title);
    if (text != NULL)
        esc(b, text);
    else
        hn_report_buf_puts(b, "(not recorded)");
    hn_report_buf_puts(b, "</pre></div>");
}

static void evidence(struct hn_report_buf *b, const struct st_run *run)
{
    hn_report_buf_puts(b, "<h2 id=\"evidence\">Evidence</h2>\n<p class=\"sub\">FAIL, ERROR and "
                          "NON-STRICT verdicts are open; click any other clause to see what was "
                          "expected and observed.</p>\n");
    for (size_t i = 0; i < run->ntargets; i++) {
        const struct st_target_result *t = &run->targets[i];
        hn_report_buf_puts(b, "<h3>");
        esc(b, t->target);
        hn_report_buf_puts(b, "</h3>\n");
        if (t->nclauses == 0)
            hn_report_buf_puts(b, "<p>No clause results.</p>\n");
        for (size_t k = 0; k < t->nclauses; k++) {
            const struct st_clause_result *c = &t->clauses[k];
            int loud = c->verdict == ST_FAIL || c->verdict == ST_ERROR ||
                       c->verdict == ST_NONSTRICT;
            hn_report_buf_printf(b, "<details id=\"ev-%zu-%zu\"%s><summary><span class=\"vb v-%s\">"
                                    "%s</span><b>",
                                 i, k, loud ? " open" : "", vclass(c->verdict),
                                 st_verdict_str(c->verdict));
            esc(b, c->clause);
            hn_report_buf_printf(b, "</b> <span class=\"meta\">%s</span> ",
                                 st_level_str(c->level));
            esc(b, c->sentence);
            hn_report_buf_puts(b, "</summary><div class=\"body\"><div class=\"meta\">scenario: ");
            esc(b, c->scenario ? c->scenario : "-");
            hn_report_buf_puts(b, " &middot; took ");
            hn_report_buf_duration(b, c->seconds);
            hn_report_buf_puts(b, "</div>");
            if (c->expected != NULL || c->observed != NULL) {
                hn_report_buf_puts(b, "<div class=\"ev\">");
                pre_block(b, "Expected", c->expected);
                pre_block(b, "Observed", c->observed);
                hn_report_buf_puts(b, "</div>");
            } else {
                hn_report_buf_puts(b, "<div class=\"meta\">No expected or observed evidence "
                                      "was recorded.</div>");
            }
            if (c->note != NULL) {
                hn_report_buf_puts(b, "<h4 class=\"meta\">Note</h4><pre>");
                esc(b, c->note);
                hn_report_buf_puts(b, "</pre>");
            }
            hn_report_buf_puts(b, "</div></details>\n");
        }
    }
}

/* A "nice" tick spacing (1, 2 or 5 times a power of ten) giving about 10 ticks over span. */
static double tick_step(double span)
{
    double raw = span / 10.0;
    double p = pow(10.0, floor(log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* Lookup marker colour from the result text after "->": temporary failures amber, no-route
 * results grey, routes blue. */
static const char *lookup_colour(const char *text)
{
    const char *r = text ? strstr(text, "->") : NULL;
    if (r == NULL)
        return "#0969da";
    if (strstr(r, "retry") || strstr(r, "RETRY") || strstr(r, "temp") || strstr(r, "ERROR") ||
        strstr(r, "error"))
        return "#bf8700";
    if (strstr(r, "nxdomain") || strstr(r, "nullmx") || strstr(r, "noaddr") ||
        strstr(r, "no route") || strstr(r, "NXDOMAIN"))
        return "#6e7781";
    return "#0969da";
}

static const char *qtype_colour(const char *type)
{
    if (strcmp(type, "MX") == 0)
        return "#1a7f37";
    if (strcmp(type, "A") == 0)
        return "#0969da";
    if (strcmp(type, "AAAA") == 0)
        return "#8250df";
    return "#6e7781";
}

static void svg_title(struct hn_report_buf *b, const struct st_event *e)
{
    hn_report_buf_puts(b, "<title>");
    if (e->kind == ST_EV_TTL)
        hn_report_buf_printf(b, "TTL window %.3f s - %.3f s: ", e->t, e->t_end);
    else
        hn_report_buf_printf(b, "t=%.3f s, step %d: ", e->t, e->step);
    esc(b, e->text);
    if (e->detail != NULL) {
        hn_report_buf_puts(b, "\n");
        esc(b, e->detail);
    }
    hn_report_buf_puts(b, "</title>");
}

/* Lanes of a timeline, y coordinates in the SVG. */
#define TL_Y_STEPS 18.0
#define TL_Y_LOOK 46.0
#define TL_Y_DNS 96.0
#define TL_Y_TTL 136.0
#define TL_TTL_ROW_H 16.0

/* Where a timeline's events go: the time axis, the TTL rows, the lanes' extent. */
struct tl_layout {
    double tmin, tmax, span, step;  /* seconds; step between ticks */
    double plot_w;                  /* width of the plot, pixels */
    double y_axis, height;
    size_t usable, skipped;         /* events with and without a finite time */
    int drawable;                   /* 0: times too far apart for one axis */
    int *row_of;                    /* TTL event i's row; caller frees */
};

static double tl_x(const struct tl_layout *g, double tv)
{
    return TL_LEFT + (tv - g->tmin) / g->span * g->plot_w;
}

/* The time axis: from the earliest to the latest finite event, ending on a tick. */
static void tl_scale(const struct st_timeline *tl, struct tl_layout *g)
{
    double tmin = 0, tmax = 0;
    g->drawable = 1;
    for (size_t i = 0; i < tl->nevents; i++) {
        const struct st_event *e = &tl->events[i];
        if (!isfinite(e->t) || (e->kind == ST_EV_TTL && !isfinite(e->t_end))) {
            g->skipped++;
            continue;
        }
        g->usable++;
        double end = e->kind == ST_EV_TTL && e->t_end > e->t ? e->t_end : e->t;
        if (e->t < tmin)
            tmin = e->t;
        if (end > tmax)
            tmax = end;
    }
    if (!isfinite(tmax - tmin)) {
        /* Times too far apart to draw on one axis (only a damaged file has them). */
        tmin = 0;
        tmax = 1;
        g->skipped += g->usable;
        g->usable = 0;
        g->drawable = 0;
    }
    if (tmax - tmin < 1e-9 * fabs(tmin) || tmax - tmin < 1e-9)
        tmax = tmin + (fabs(tmin) > 1 ? fabs(tmin) * 1e-6 : 1);
    /* A little room after the last event so its mark is not cut by the frame. */
    tmax += (tmax - tmin) * 0.02;
    g->step = tick_step(tmax - tmin);
    /* Axis ends on a tick so the last label is never clipped. */
    g->tmin = tmin;
    g->tmax = tmin + ceil((tmax - tmin) / g->step - 1e-9) * g->step;
    g->span = g->tmax - g->tmin;
    g->plot_w = TL_WIDTH - TL_LEFT - TL_RIGHT;
}

/* TTL rows: greedy first-fit so overlapping windows stack instead of hiding each other; then
 * the axis below them. -1 when out of memory. */
static int tl_rows(const struct st_timeline *tl, struct tl_layout *g)
{
    double row_end[TL_TTL_ROWS];
    int rows_used = 0;
    for (int r = 0; r < TL_TTL_ROWS; r++)
        row_end[r] = -INFINITY;
    g->row_of = calloc(tl->nevents ? tl->nevents : 1, sizeof(int));
    if (g->row_of == NULL)
        return -1;
    for (size_t i = 0; i < tl->nevents; i++) {
        const struct st_event *e = &tl->events[i];
        if (!g->drawable || e->kind != ST_EV_TTL || !isfinite(e->t) || !isfinite(e->t_end))
            continue;
        int r;
        for (r = 0; r < TL_TTL_ROWS - 1; r++)
            if (row_end[r] <= e->t)
                break;
        g->row_of[i] = r;
        double end = e->t_end > e->t ? e->t_end : e->t;
        if (end > row_end[r])
            row_end[r] = end;
        if (r + 1 > rows_used)
            rows_used = r + 1;
    }
    g->y_axis = TL_Y_TTL + (rows_used > 0 ? rows_used : 1) * TL_TTL_ROW_H + 10;
    g->height = g->y_axis + 30;
    return 0;
}

/* The figure's caption: scenario, target, time mode, and the events by kind. */
static void tl_caption(struct hn_report_buf *b, const struct st_timeline *tl,
                       const struct tl_layout *g, size_t idx)
{
    hn_report_buf_printf(b, "<figure id=\"tl-%zu\"><figcaption>", idx);
    esc(b, tl->scenario);
    hn_report_buf_puts(b, " &middot; ");
    esc(b, tl->target);
    hn_report_buf_puts(b, " <span>(");
    esc(b, tl->time_mode ? tl->time_mode : "unknown");
    size_t per_kind[5] = {0};
    for (size_t i = 0; i < tl->nevents; i++)
        if ((unsigned)tl->events[i].kind < 5)
            per_kind[tl->events[i].kind]++;
    hn_report_buf_printf(b, " time, %zu events: %zu lookups, %zu forward-host uses, %zu DNS "
                            "queries, %zu TTL windows, %zu step switches",
                         g->usable, per_kind[ST_EV_LOOKUP], per_kind[ST_EV_FORWARD],
                         per_kind[ST_EV_QUERY], per_kind[ST_EV_TTL], per_kind[ST_EV_STEP]);
    if (g->skipped > 0)
        hn_report_buf_printf(b, "; %zu without a finite time not drawn", g->skipped);
    hn_report_buf_puts(b, ")</span></figcaption>\n");
}

/* The SVG's start: lane backgrounds and labels, the axis with its ticks. */
static void tl_frame(struct hn_report_buf *b, const struct tl_layout *g)
{
    hn_report_buf_printf(b,
                         "<svg class=\"tl\" xmlns=\"http://www.w3.org/2000/svg\" "
                         "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"timeline\">\n",
                         TL_WIDTH, g->height);
    const struct {
        const char *name;
        double y0, y1;
    } lanes[] = {{"lookups", TL_Y_LOOK - 16, TL_Y_LOOK + 16},
                 {"DNS queries", TL_Y_DNS - 22, TL_Y_DNS + 16},
                 {"TTL windows", TL_Y_TTL - 6, g->y_axis - 6}};
    for (size_t l = 0; l < 3; l++) {
        hn_report_buf_printf(b,
                             "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                             "fill=\"%s\"/>"
                             "<text class=\"lane\" x=\"8\" y=\"%.1f\">%s</text>\n",
                             TL_LEFT, lanes[l].y0, g->plot_w, lanes[l].y1 - lanes[l].y0,
                             l % 2 ? "#ffffff" : "#f6f8fa", (lanes[l].y0 + lanes[l].y1) / 2 + 4,
                             lanes[l].name);
    }
    hn_report_buf_printf(b,
                         "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                         "stroke=\"#8c959f\"/>\n",
                         TL_LEFT, g->y_axis, TL_LEFT + g->plot_w, g->y_axis);
    /* Counted loop: with a tiny step far from zero, tv += step could stand still. */
    double first = ceil(g->tmin / g->step) * g->step;
    for (int k = 0; k <= 40 && isfinite(first); k++) {
        double tv = first + k * g->step;
        if (tv > g->tmax + g->step * 1e-6)
            break;
        double x = tl_x(g, tv);
        hn_report_buf_printf(b,
                             "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                             "stroke=\"#8c959f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                             "y2=\"%.1f\" stroke=\"#eaeef2\"/>"
                             "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g s</text>\n",
                             x, g->y_axis, x, g->y_axis + 5, x, TL_Y_LOOK - 16, x, g->y_axis, x,
                             g->y_axis + 18, fabs(tv) < g->step * 1e-9 ? 0.0 : tv);
    }
    if (g->usable == 0)
        hn_report_buf_printf(b,
                             "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no events "
                             "to draw</text>\n",
                             TL_LEFT + g->plot_w / 2, TL_Y_DNS + 4);
}

/* Step switches: dashed lines across every lane. */
static void tl_step(struct hn_report_buf *b, const struct tl_layout *g, const struct st_event *e)
{
    double x = tl_x(g, e->t);
    hn_report_buf_printf(b,
                         "<g><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                         "stroke=\"#cf222e\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>"
                         "<text x=\"%.1f\" y=\"%.1f\" fill=\"#cf222e\">step %d</text>",
                         x, TL_Y_STEPS - 4, x, g->y_axis, x + 3, TL_Y_STEPS + 2, e->step);
}

/* A TTL window: a bar in its row, labelled where there is room. */
static void tl_ttl(struct hn_report_buf *b, const struct tl_layout *g, const struct st_event *e,
                   int row)
{
    double x0 = tl_x(g, e->t), x1 = tl_x(g, e->t_end > e->t ? e->t_end : e->t);
    double w = x1 - x0 < 2 ? 2 : x1 - x0;
    double y = TL_Y_TTL + row * TL_TTL_ROW_H;
    hn_report_buf_printf(b,
                         "<g><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" rx=\"3\" "
                         "fill=\"#54aeff\" fill-opacity=\"0.35\" stroke=\"#0969da\"/>",
                         x0, y, w);
    if (w > 70) {
        char label[64];
        hn_report_shorten(e->text, (size_t)(w / 6.5), label, sizeof(label));
        hn_report_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">", x0 + 4, y + 10);
        esc(b, label);
        hn_report_buf_puts(b, "</text>");
    }
}

/* A DNS query: a tick, labelled with its type unless the last label is too close. */
static void tl_query(struct hn_report_buf *b, const struct tl_layout *g, const struct st_event *e,
                     double *last_label)
{
    char type[12];
    size_t tn = 0;
    const char *p = e->text ? e->text : "";
    while (p[tn] && p[tn] != ' ' && tn < sizeof(type) - 1)
        tn++;
    memcpy(type, p, tn);
    type[tn] = '\0';
    double x = tl_x(g, e->t);
    hn_report_buf_printf(b,
                         "<g><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                         "stroke=\"%s\" stroke-width=\"2\"/>",
                         x, TL_Y_DNS - 6, x, TL_Y_DNS + 12, qtype_colour(type));
    if (x - *last_label >= 26 && tn > 0) {
        hn_report_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                                "fill=\"%s\">",
                             x, TL_Y_DNS - 10, qtype_colour(type));
        esc(b, type);
        hn_report_buf_puts(b, "</text>");
        *last_label = x;
    }
}

/* A lookup (a circle coloured by its result) or a forward-host use (a diamond). */
static void tl_lookup(struct hn_report_buf *b, const struct tl_layout *g, const struct st_event *e)
{
    double x = tl_x(g, e->t);
    if (e->kind == ST_EV_LOOKUP)
        hn_report_buf_printf(b,
                             "<g><circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\" "
                             "stroke=\"#fff\" stroke-width=\"1.5\"/>",
                             x, TL_Y_LOOK, lookup_colour(e->text));
    else
        hn_report_buf_printf(b,
                             "<g><path d=\"M%.1f %.1fl7 7l-7 7l-7 -7z\" fill=\"#8250df\" "
                             "stroke=\"#fff\" stroke-width=\"1.5\"/>",
                             x, TL_Y_LOOK - 7);
}

/* Whether event e is drawn in the pass for kind (lookups and forward uses share one). */
static int tl_in_pass(const struct tl_layout *g, const struct st_event *e, enum st_event_kind kind)
{
    if (!g->drawable || !isfinite(e->t) || (e->kind == ST_EV_TTL && !isfinite(e->t_end)))
        return 0;
    return kind == ST_EV_LOOKUP ? e->kind == ST_EV_LOOKUP || e->kind == ST_EV_FORWARD
                                : e->kind == kind;
}

/* One scenario's timeline as an SVG figure: step switches, TTL windows, DNS queries, then
 * lookups on top, each with its details as a tooltip. */
static void timeline(struct hn_report_buf *b, const struct st_timeline *tl, size_t idx)
{
    struct tl_layout g = {0};
    tl_scale(tl, &g);
    if (tl_rows(tl, &g) != 0) {
        b->failed = 1;
        return;
    }
    tl_caption(b, tl, &g, idx);
    tl_frame(b, &g);
    static const enum st_event_kind passes[] = {ST_EV_STEP, ST_EV_TTL, ST_EV_QUERY,
                                                ST_EV_LOOKUP};
    double last_label = -1e9;
    for (size_t p = 0; p < sizeof passes / sizeof passes[0]; p++)
        for (size_t i = 0; i < tl->nevents; i++) {
            const struct st_event *e = &tl->events[i];
            if (!tl_in_pass(&g, e, passes[p]))
                continue;
            if (passes[p] == ST_EV_STEP)
                tl_step(b, &g, e);
            else if (passes[p] == ST_EV_TTL)
                tl_ttl(b, &g, e, g.row_of[i]);
            else if (passes[p] == ST_EV_QUERY)
                tl_query(b, &g, e, &last_label);
            else
                tl_lookup(b, &g, e);
            svg_title(b, e);
            hn_report_buf_puts(b, "</g>\n");
        }
    hn_report_buf_puts(b, "</svg>\n</figure>\n");
    free(g.row_of);
}

static void timelines(struct hn_report_buf *b, const struct st_run *run)
{
    hn_report_buf_puts(b, "<h2 id=\"timelines\">Timelines</h2>\n");
    if (run->ntimelines == 0) {
        hn_report_buf_puts(b, "<p>No timelines were recorded.</p>\n");
        return;
    }
    hn_report_buf_puts(b,
                       "<div class=\"legend\"><span><svg width=\"14\" height=\"14\"><circle "
                       "cx=\"7\" cy=\"7\" r=\"5\" fill=\"#0969da\"/></svg> lookup with a route"
                       "</span><span><svg width=\"14\" height=\"14\"><circle cx=\"7\" cy=\"7\" "
                       "r=\"5\" fill=\"#6e7781\"/></svg> lookup, no route</span><span><svg "
                       "width=\"14\" height=\"14\"><circle cx=\"7\" cy=\"7\" r=\"5\" "
                       "fill=\"#bf8700\"/></svg> temporary failure</span><span><svg width=\"14\" "
                       "height=\"14\"><path d=\"M7 0l7 7l-7 7l-7 -7z\" fill=\"#8250df\"/></svg> "
                       "forward host</span><span><svg width=\"14\" height=\"14\"><line x1=\"7\" "
                       "y1=\"0\" x2=\"7\" y2=\"14\" stroke=\"#1a7f37\" stroke-width=\"2\"/></svg> "
                       "DNS query (MX green, A blue, AAAA violet)</span><span><svg width=\"22\" "
                       "height=\"14\"><rect x=\"1\" y=\"2\" width=\"20\" height=\"10\" rx=\"3\" "
                       "fill=\"#54aeff\" fill-opacity=\"0.35\" stroke=\"#0969da\"/></svg> TTL "
                       "window</span><span><svg width=\"14\" height=\"14\"><line x1=\"7\" "
                       "y1=\"0\" x2=\"7\" y2=\"14\" stroke=\"#cf222e\" stroke-dasharray=\"3 2\" "
                       "stroke-width=\"1.5\"/></svg> step switch</span></div>\n"
                       "<p class=\"sub\">Hover a mark for its time, text and detail.</p>\n");
    for (size_t i = 0; i < run->ntimelines; i++)
        timeline(b, &run->timelines[i], i);
}

enum hn_report_status hn_report_html_render(const struct st_run *run, char **out, size_t *len)
{
    if (out != NULL)
        *out = NULL;
    if (run == NULL || out == NULL)
        return HN_REPORT_INVAL;
    struct hn_report_buf b = {0};
    hn_report_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                           "<title>");
    if (run->incomplete)
        hn_report_buf_puts(&b, "INCOMPLETE - ");
    hn_report_buf_puts(&b, "mxttl conformance report</title>\n<style>\n");
    hn_report_buf_puts(&b, css);
    hn_report_buf_puts(&b, "</style></head>\n<body><main>\n");
    header(&b, run);
    cards(&b, run);
    size_t nrows = 0;
    struct row *rows = collect_rows(&b, run, &nrows);
    matrix(&b, run, rows, nrows);
    free(rows);
    evidence(&b, run);
    timelines(&b, run);
    hn_report_buf_puts(&b, "<footer>Generated by mxttl ");
    esc(&b, run->mxttl_version ? run->mxttl_version : "");
    hn_report_buf_puts(&b, " from a run in results.json (schema mxttl-results/1). This page "
                           "needs no network and no scripts.</footer>\n</main></body></html>\n");
    return hn_report_buf_finish(&b, out, len) == 0 ? HN_REPORT_OK : HN_REPORT_NOMEM;
}
