/*
 * fuzz_hn_results: libFuzzer target for the results.json reader behind `mxttl report` and
 * `mxttl diff` (hn_results_read_mem), which reads files from other machines: our limits pass,
 * our use of Jansson (flags, error mapping) and the schema pass over Jansson's tree.
 *
 * A run that was read is rendered again in all four formats, so that whatever the reader
 * accepts is also safe for the writers and escapers. And the JSON writer and reader must agree:
 * the rendering of an accepted run must itself be accepted and render to the same bytes
 * (render(read(render(read(x)))) == render(read(x)); hn_results.h promises that writing what was
 * read reproduces the file).
 *
 * What must hold: no crash, leak or sanitizer report; a documented status; no run and a reason
 * on failure; the round trip above.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hn_results.h"
#include "hn_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef enum hn_report_status (*renderer_fn)(const struct st_run *, char **, size_t *);
static const renderer_fn renderers[] = {hn_report_junit_render, hn_report_md_render,
                                        hn_report_html_render};

static void render_all(const struct st_run *run)
{
    for (size_t i = 0; i < sizeof renderers / sizeof renderers[0]; i++) {
        char *out = NULL;
        size_t len = 0;
        enum hn_report_status st = renderers[i](run, &out, &len);
        if (st == HN_REPORT_OK && (out == NULL || strlen(out) != len))
            abort();
        if (st != HN_REPORT_OK && st != HN_REPORT_NOMEM)
            abort();
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct st_run *run = NULL;
    char why[512];
    why[0] = '\0';
    enum hn_report_status st = hn_results_read_mem("fuzz.json", (const char *)data, size, &run, why,
                                                sizeof why);
    switch (st) {
    case HN_REPORT_OK:
        break;
    case HN_REPORT_SYNTAX:
    case HN_REPORT_SCHEMA:
    case HN_REPORT_LIMIT:
    case HN_REPORT_NOMEM:
        if (run != NULL || why[0] == '\0')
            abort();
        return 0;
    default:
        abort(); /* HN_REPORT_INVAL/IO cannot come from bytes in memory */
    }
    if (run == NULL)
        abort();
    render_all(run);

    char *first = NULL, *second = NULL;
    size_t flen = 0, slen = 0;
    struct st_run *again = NULL;
    if (hn_results_render(run, &first, &flen) == HN_REPORT_OK) {
        st = hn_results_read_mem("render.json", first, flen, &again, why, sizeof why);
        if (st == HN_REPORT_SYNTAX || st == HN_REPORT_SCHEMA || st == HN_REPORT_LIMIT)
            abort(); /* the writer produced something its own reader rejects */
        if (st == HN_REPORT_OK && hn_results_render(again, &second, &slen) == HN_REPORT_OK &&
            (slen != flen || memcmp(first, second, flen) != 0))
            abort(); /* not a fixed point: reading lost or changed something */
    }
    free(first);
    free(second);
    st_run_free(again);
    st_run_free(run);
    return 0;
}
