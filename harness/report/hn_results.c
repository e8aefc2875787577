/*
 * hn_results: results.json through Jansson (see hn_results.h and RESULTS-SCHEMA.md).
 *
 * Why Jansson (libjansson, Debian main): a strict RFC 8259 decoder that validates UTF-8 and
 * surrogates, refuses \u0000 and duplicate members on request, reports errors with line and
 * column, keeps member order when writing, and is small, maintained and used widely in C
 * network software. Its one gap for untrusted input is that its limits (depth 2048, any string
 * length) are not ours, so limits_pass() enforces ours first, with positions.
 */
#include "hn_results.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hn_report_buf.h"

/* ------------------------------------------------------------------------------------------ */
/* Writer                                                                                     */

/* A string as Jansson stores it: valid UTF-8 (invalid sequences become U+FFFD, as the
 * RESULTS-SCHEMA.md promises), NULL as null. NULL return: out of memory. */
static json_t *str_value(const char *s)
{
    if (s == NULL)
        return json_null();
    size_t n = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t l = u[i] < 0x80 ? 1 : hn_report_utf8_len(u + i, n - i);
        if (l == 0)
            break;
        i += l;
    }
    if (i == n)
        return json_stringn(s, n);
    char *fixed = malloc(n * 3 + 1); /* each bad byte becomes 3 bytes at most */
    if (fixed == NULL)
        return NULL;
    size_t o = 0;
    for (i = 0; i < n;) {
        size_t l = u[i] < 0x80 ? 1 : hn_report_utf8_len(u + i, n - i);
        if (l == 0) {
            fixed[o++] = (char)0xEF; /* U+FFFD */
            fixed[o++] = (char)0xBF;
            fixed[o++] = (char)0xBD;
            i++;
        } else {
            memcpy(fixed + o, s + i, l);
            o += l;
            i += l;
        }
    }
    json_t *v = json_stringn(fixed, o);
    free(fixed);
    return v;
}

/* Identity fields are never null in the file: a missing name is written as "". */
static json_t *name_value(const char *s)
{
    return str_value(s ? s : "");
}

/* Integral values as JSON integers ("150", not "150.0"), others as reals, non-finite as null;
 * the reader takes both kinds back as the same double. */
static json_t *num_value(double v)
{
    if (!isfinite(v))
        return json_null();
    if (v == floor(v) && fabs(v) < 9007199254740992.0 && !(v == 0 && signbit(v)))
        return json_integer((json_int_t)v);
    return json_real(v);
}

/* Sets key to v (stolen); a NULL v (out of memory) or a failed set marks *ok 0. */
static void put(json_t *obj, const char *key, json_t *v, int *ok)
{
    if (v == NULL || json_object_set_new(obj, key, v) != 0)
        *ok = 0;
}

/* Appends v (stolen) to arr; see put. */
static void append(json_t *arr, json_t *v, int *ok)
{
    if (v == NULL || json_array_append_new(arr, v) != 0)
        *ok = 0;
}

static json_t *clause_value(const struct st_clause_result *c, int *ok)
{
    json_t *o = json_object();
    if (o == NULL) {
        *ok = 0;
        return NULL;
    }
    put(o, "clause", name_value(c->clause), ok);
    put(o, "level", json_string(st_level_str(c->level)), ok);
    put(o, "verdict", json_string(st_verdict_str(c->verdict)), ok);
    put(o, "sentence", str_value(c->sentence), ok);
    put(o, "scenario", str_value(c->scenario), ok);
    put(o, "expected", str_value(c->expected), ok);
    put(o, "observed", str_value(c->observed), ok);
    put(o, "note", str_value(c->note), ok);
    put(o, "seconds", num_value(c->seconds), ok);
    return o;
}

static json_t *target_value(const struct st_target_result *t, int *ok)
{
    json_t *o = json_object(), *arr = json_array();
    if (o == NULL || arr == NULL) {
        json_decref(o);
        json_decref(arr);
        *ok = 0;
        return NULL;
    }
    put(o, "target", name_value(t->target), ok);
    put(o, "spec", str_value(t->spec), ok);
    put(o, "class", json_string(st_class_str(t->klass)), ok);
    put(o, "class_reason", str_value(t->class_reason), ok);
    for (size_t i = 0; i < t->nclauses; i++)
        append(arr, clause_value(&t->clauses[i], ok), ok);
    put(o, "clauses", arr, ok);
    return o;
}

static json_t *timeline_value(const struct st_timeline *tl, int *ok)
{
    json_t *o = json_object(), *arr = json_array();
    if (o == NULL || arr == NULL) {
        json_decref(o);
        json_decref(arr);
        *ok = 0;
        return NULL;
    }
    put(o, "scenario", name_value(tl->scenario), ok);
    put(o, "target", name_value(tl->target), ok);
    put(o, "time_mode", str_value(tl->time_mode), ok);
    for (size_t i = 0; i < tl->nevents; i++) {
        const struct st_event *e = &tl->events[i];
        json_t *ev = json_object();
        if (ev == NULL) {
            *ok = 0;
            break;
        }
        put(ev, "kind", json_string(st_event_kind_str(e->kind)), ok);
        put(ev, "t", num_value(e->t), ok);
        put(ev, "t_end", num_value(e->t_end), ok);
        put(ev, "step", json_integer(e->step), ok);
        put(ev, "text", name_value(e->text), ok);
        put(ev, "detail", str_value(e->detail), ok);
        append(arr, ev, ok);
    }
    put(o, "events", arr, ok);
    return o;
}

enum hn_report_status hn_results_render(const struct st_run *run, char **out, size_t *len)
{
    if (out != NULL)
        *out = NULL;
    if (run == NULL || out == NULL)
        return HN_REPORT_INVAL;
    int ok = 1;
    json_t *root = json_object(), *targets = json_array(), *timelines = json_array();
    if (root == NULL || targets == NULL || timelines == NULL) {
        json_decref(root);
        json_decref(targets);
        json_decref(timelines);
        return HN_REPORT_NOMEM;
    }
    put(root, "schema", json_string(HN_RESULTS_SCHEMA), &ok);
    put(root, "mxttl_version", str_value(run->mxttl_version), &ok);
    put(root, "started", str_value(run->started), &ok);
    put(root, "seconds", num_value(run->seconds), &ok);
    put(root, "time_mode", str_value(run->time_mode), &ok);
    put(root, "command", str_value(run->command), &ok);
    put(root, "incomplete", json_boolean(run->incomplete), &ok);
    for (size_t i = 0; i < run->ntargets; i++)
        append(targets, target_value(&run->targets[i], &ok), &ok);
    put(root, "targets", targets, &ok);
    for (size_t i = 0; i < run->ntimelines; i++)
        append(timelines, timeline_value(&run->timelines[i], &ok), &ok);
    put(root, "timelines", timelines, &ok);
    /* Key order as inserted, two-space indentation, 17 significant digits: a double always
     * reads back to itself, so a rewrite reproduces the file. */
    char *text = ok ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                       JSON_REAL_PRECISION(17))
                    : NULL;
    json_decref(root);
    if (text == NULL)
        return HN_REPORT_NOMEM;
    size_t n = strlen(text);
    char *res = malloc(n + 2);
    if (res == NULL) {
        free(text);
        return HN_REPORT_NOMEM;
    }
    memcpy(res, text, n);
    res[n] = '\n'; /* a text file ends in a newline */
    res[n + 1] = '\0';
    free(text);
    *out = res;
    if (len != NULL)
        *len = n + 1;
    return HN_REPORT_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Reader: errors                                                                             */

struct reader {
    const char *name;
    char *why;
    size_t whylen;
    enum hn_report_status st;
};

/* Records the first error only: later ones are consequences. Always returns -1. */
static int fail(struct reader *rd, enum hn_report_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct reader *rd, enum hn_report_status st, const char *fmt, ...)
{
    if (rd->st != HN_REPORT_OK)
        return -1;
    rd->st = st;
    if (rd->whylen > 0) {
        va_list ap;
        va_start(ap, fmt);
        /* clang-tidy 14 misreads va_list here when it checks several files in one run. */
        /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
        vsnprintf(rd->why, rd->whylen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Reader: our limits, before Jansson sees the bytes                                          */

struct scan {
    const unsigned char *p;
    size_t len, pos, line_start;
    unsigned line;
};

static unsigned scan_col(const struct scan *sc, size_t pos)
{
    return (unsigned)(pos - sc->line_start + 1);
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Skips the string starting at sc->pos (its opening quote) and returns its decoded length in
 * bytes; malformed escapes count as written (Jansson reports them). Leaves pos after the
 * closing quote, or at the end of input. */
static size_t scan_string(struct scan *sc)
{
    size_t n = 0, i = sc->pos + 1;
    while (i < sc->len && sc->p[i] != '"') {
        if (sc->p[i] == '\n') { /* not allowed in strings: Jansson says so; keep lines right */
            sc->line++;
            sc->line_start = i + 1;
        }
        if (sc->p[i] != '\\') {
            n++;
            i++;
            continue;
        }
        if (i + 1 < sc->len && sc->p[i + 1] == 'u' && i + 5 < sc->len) {
            long cp = 0;
            int ok = 1;
            for (size_t k = i + 2; k < i + 6; k++) {
                int h = hexval(sc->p[k]);
                ok &= h >= 0;
                cp = cp * 16 + (h < 0 ? 0 : h);
            }
            /* a surrogate pair is 12 bytes for 4 of UTF-8: count 2 per half */
            n += !ok ? 6 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : (cp >= 0xD800 && cp <= 0xDFFF) ? 2 : 3;
            i += 6;
        } else {
            n++;
            i += 2;
        }
    }
    sc->pos = i < sc->len ? i + 1 : sc->len;
    return n;
}

/* The limits of hn_results.h, with the position that crosses each. Also refuses empty input.
 * Syntax is Jansson's business: this pass only has to stay bounded on any bytes. */
static int limits_pass(struct reader *rd, const char *data, size_t len)
{
    struct scan sc = {.p = (const unsigned char *)data, .len = len, .line = 1};
    /* per open container: its position and its commas so far (elements - 1) */
    struct {
        unsigned line, col;
        size_t commas;
    } open[HN_RESULTS_MAX_DEPTH];
    unsigned depth = 0;
    int any = 0;
    while (sc.pos < sc.len) {
        unsigned char c = sc.p[sc.pos];
        unsigned line = sc.line, col = scan_col(&sc, sc.pos);
        if (c == '\n') {
            sc.pos++;
            sc.line++;
            sc.line_start = sc.pos;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            sc.pos++;
            continue;
        }
        any = 1;
        if (c == '[' || c == '{') {
            if (depth >= HN_RESULTS_MAX_DEPTH)
                return fail(rd, HN_REPORT_LIMIT, "%s:%u:%u: nesting deeper than %u levels",
                            rd->name, line, col, HN_RESULTS_MAX_DEPTH);
            open[depth].line = line;
            open[depth].col = col;
            open[depth].commas = 0;
            depth++;
            sc.pos++;
        } else if (c == ']' || c == '}') {
            depth -= depth > 0;
            sc.pos++;
        } else if (c == ',') {
            if (depth > 0 && ++open[depth - 1].commas >= HN_RESULTS_MAX_ITEMS)
                return fail(rd, HN_REPORT_LIMIT, "%s:%u:%u: more than %u elements", rd->name,
                            open[depth - 1].line, open[depth - 1].col, HN_RESULTS_MAX_ITEMS);
            sc.pos++;
        } else if (c == '"') {
            if (scan_string(&sc) > HN_RESULTS_MAX_STRING)
                return fail(rd, HN_REPORT_LIMIT, "%s:%u:%u: string longer than %u bytes",
                            rd->name, line, col, HN_RESULTS_MAX_STRING);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = sc.pos;
            while (sc.pos < sc.len && strchr("0123456789+-.eE", sc.p[sc.pos]) != NULL &&
                   sc.p[sc.pos] != '\0')
                sc.pos++;
            if (sc.pos - start > HN_RESULTS_MAX_NUMBER)
                return fail(rd, HN_REPORT_LIMIT, "%s:%u:%u: number longer than %u characters",
                            rd->name, line, col, HN_RESULTS_MAX_NUMBER);
        } else {
            sc.pos++;
        }
    }
    if (!any)
        return fail(rd, HN_REPORT_SYNTAX, "%s:%u:%u: empty input (a results.json object "
                    "expected)", rd->name, sc.line, scan_col(&sc, sc.pos));
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Reader: schema, tree -> st_run                                                             */

/* Where a value is, for messages: "targets[0].clauses[3]". */
struct path {
    char text[160];
};

/* out = in followed by tail (cut at the buffer's end: the depth is bounded, so never in
 * practice). */
static void path_add(struct path *out, const struct path *in, const char *tail)
{
    size_t a = strnlen(in->text, sizeof in->text - 1), b = strlen(tail);
    if (a + b >= sizeof out->text)
        b = sizeof out->text - 1 - a;
    memmove(out->text, in->text, a);
    memmove(out->text + a, tail, b);
    out->text[a + b] = '\0';
}

/* out = in "[index]" of the array member `member`: "targets[0]". */
static void path_item(struct path *out, const struct path *in, const char *member, size_t index)
{
    char tail[64];
    snprintf(tail, sizeof tail, "%s%s[%zu]", in->text[0] ? "." : "", member, index);
    path_add(out, in, tail);
}

static int schema_err(struct reader *rd, const struct path *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int schema_err(struct reader *rd, const struct path *at, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return fail(rd, HN_REPORT_SCHEMA, "%s: %s%s%s", rd->name, at->text, at->text[0] ? ": " : "",
                msg);
}

static const char *type_name(const json_t *v)
{
    if (v == NULL) /* members() never hands one out; the analyser cannot see that */
        return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER:
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

static int nomem(struct reader *rd)
{
    return fail(rd, HN_REPORT_NOMEM, "%s: out of memory", rd->name);
}

/* Checks that obj is an object whose member names are exactly `names` (n of them) and fills
 * vals[i] with the value of names[i] (duplicates were refused by Jansson). */
static int members(struct reader *rd, const json_t *obj, const struct path *at, const char *what,
                   const char *const *names, size_t n, json_t **vals)
{
    if (!json_is_object(obj))
        return schema_err(rd, at, "%s must be an object, not %s", what, type_name(obj));
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)obj, key, val) {
        size_t i = 0;
        while (i < n && strcmp(key, names[i]) != 0)
            i++;
        if (i == n) {
            char shown[64];
            hn_report_shorten(key, 40, shown, sizeof shown);
            return schema_err(rd, at, "unknown member \"%s\" in %s", shown, what);
        }
    }
    for (size_t i = 0; i < n; i++) {
        vals[i] = json_object_get(obj, names[i]);  /* a borrowed reference */
        if (vals[i] == NULL)
            return schema_err(rd, at, "%s lacks member \"%s\"", what, names[i]);
    }
    return 0;
}

/* String member into *field (copied); nullable allows null (field stays NULL). */
static int get_str(struct reader *rd, const json_t *v, const struct path *at, const char *key,
                   int nullable, char **field)
{
    if (json_is_null(v) && nullable)
        return 0;
    if (!json_is_string(v))
        return schema_err(rd, at, "\"%s\" must be a string%s, not %s", key,
                          nullable ? " or null" : "", type_name(v));
    if (st_set_str(field, json_string_value(v)) < 0)
        return nomem(rd);
    return 0;
}

/* Number member; null means "not a finite number" (the writer writes NaN and infinities as
 * null), read back as NAN so that writing again gives null again. */
static int get_num(struct reader *rd, const json_t *v, const struct path *at, const char *key,
                   double *out)
{
    if (json_is_null(v)) {
        *out = NAN;
        return 0;
    }
    if (!json_is_number(v))
        return schema_err(rd, at, "\"%s\" must be a number or null, not %s", key, type_name(v));
    *out = json_number_value(v);
    return 0;
}

static int get_enum(struct reader *rd, const json_t *v, const struct path *at, const char *key,
                    int (*conv)(const char *, void *), void *out, const char *allowed)
{
    if (!json_is_string(v))
        return schema_err(rd, at, "\"%s\" must be a string, not %s", key, type_name(v));
    if (conv(json_string_value(v), out) < 0) {
        char shown[48];
        hn_report_shorten(json_string_value(v), 32, shown, sizeof shown);
        return schema_err(rd, at, "\"%s\" is \"%s\", want one of %s", key, shown, allowed);
    }
    return 0;
}

/* Adapters so the enum parsers share get_enum. */
static int conv_level(const char *s, void *o) { return st_level_from_str(s, o); }
static int conv_verdict(const char *s, void *o) { return st_verdict_from_str(s, o); }
static int conv_class(const char *s, void *o) { return st_class_from_str(s, o); }
static int conv_kind(const char *s, void *o) { return st_event_kind_from_str(s, o); }

static int get_array(struct reader *rd, const json_t *v, const struct path *at, const char *key)
{
    if (!json_is_array(v))
        return schema_err(rd, at, "\"%s\" must be an array, not %s", key, type_name(v));
    return 0;
}

static int read_clause(struct reader *rd, const json_t *obj, const struct path *at,
                       struct st_target_result *tr)
{
    static const char *const names[] = {"clause",   "level",    "verdict", "sentence",
                                        "scenario", "expected", "observed", "note",
                                        "seconds"};
    json_t *v[9] = {0};
    if (members(rd, obj, at, "clause result", names, 9, v) < 0)
        return -1;
    enum st_level level = ST_LEVEL_MUST;
    enum st_verdict verdict = ST_PASS;
    if (!json_is_string(v[0]))
        return schema_err(rd, at, "\"clause\" must be a string, not %s", type_name(v[0]));
    if (get_enum(rd, v[1], at, "level", conv_level, &level, "MUST, SHOULD, INFO") < 0 ||
        get_enum(rd, v[2], at, "verdict", conv_verdict, &verdict,
                 "PASS, NON-STRICT, INFO, FAIL, N/A, ERROR") < 0)
        return -1;
    struct st_clause_result *c =
        st_target_add_clause(tr, json_string_value(v[0]), level, verdict, NULL);
    if (c == NULL)
        return nomem(rd);
    if (get_str(rd, v[3], at, "sentence", 1, &c->sentence) < 0 ||
        get_str(rd, v[4], at, "scenario", 1, &c->scenario) < 0 ||
        get_str(rd, v[5], at, "expected", 1, &c->expected) < 0 ||
        get_str(rd, v[6], at, "observed", 1, &c->observed) < 0 ||
        get_str(rd, v[7], at, "note", 1, &c->note) < 0 ||
        get_num(rd, v[8], at, "seconds", &c->seconds) < 0)
        return -1;
    return 0;
}

static int read_target(struct reader *rd, const json_t *obj, const struct path *at,
                       struct st_run *run)
{
    static const char *const names[] = {"target", "spec", "class", "class_reason", "clauses"};
    json_t *v[5] = {0};
    if (members(rd, obj, at, "target result", names, 5, v) < 0)
        return -1;
    if (!json_is_string(v[0]))
        return schema_err(rd, at, "\"target\" must be a string, not %s", type_name(v[0]));
    struct st_target_result *tr = st_run_add_target(run, json_string_value(v[0]), NULL);
    if (tr == NULL)
        return nomem(rd);
    if (get_str(rd, v[1], at, "spec", 1, &tr->spec) < 0 ||
        get_enum(rd, v[2], at, "class", conv_class, &tr->klass,
                 "legacy, ttl, neither, unknown") < 0 ||
        get_str(rd, v[3], at, "class_reason", 1, &tr->class_reason) < 0 ||
        get_array(rd, v[4], at, "clauses") < 0)
        return -1;
    struct path sub;
    for (size_t i = 0; i < json_array_size(v[4]); i++) {
        path_item(&sub, at, "clauses", i);
        if (read_clause(rd, json_array_get(v[4], i), &sub, tr) < 0)
            return -1;
    }
    return 0;
}

static int read_event(struct reader *rd, const json_t *obj, const struct path *at,
                      struct st_timeline *tl)
{
    static const char *const names[] = {"kind", "t", "t_end", "step", "text", "detail"};
    json_t *v[6] = {0};
    if (members(rd, obj, at, "event", names, 6, v) < 0)
        return -1;
    enum st_event_kind kind = ST_EV_STEP;
    double t = 0, t_end = 0;
    if (get_enum(rd, v[0], at, "kind", conv_kind, &kind, "step, lookup, forward, query, ttl") < 0 ||
        get_num(rd, v[1], at, "t", &t) < 0 || get_num(rd, v[2], at, "t_end", &t_end) < 0)
        return -1;
    double step = json_is_number(v[3]) ? json_number_value(v[3]) : 0.5;
    if (step != floor(step) || step < -2147483648.0 || step > 2147483647.0)
        return schema_err(rd, at, "\"step\" must be an integer in int range");
    if (!json_is_string(v[4]))
        return schema_err(rd, at, "\"text\" must be a string, not %s", type_name(v[4]));
    if (!json_is_string(v[5]) && !json_is_null(v[5]))
        return schema_err(rd, at, "\"detail\" must be a string or null, not %s",
                          type_name(v[5]));
    if (st_timeline_add(tl, kind, t, t_end, (int)step, json_string_value(v[4]),
                        json_is_string(v[5]) ? json_string_value(v[5]) : NULL) < 0)
        return nomem(rd);
    /* st_timeline_add sets t_end = t for all but TTL windows; the file must agree, or writing
     * it again would not reproduce it. */
    const struct st_event *e = &tl->events[tl->nevents - 1];
    int same = (e->t_end == t_end && signbit(e->t_end) == signbit(t_end)) ||
               (isnan(e->t_end) && isnan(t_end));
    if (!same)
        return schema_err(rd, at, "\"t_end\" must equal \"t\" for a %s event",
                          st_event_kind_str(kind));
    return 0;
}

static int read_timeline(struct reader *rd, const json_t *obj, const struct path *at,
                         struct st_run *run)
{
    static const char *const names[] = {"scenario", "target", "time_mode", "events"};
    json_t *v[4] = {0};
    if (members(rd, obj, at, "timeline", names, 4, v) < 0)
        return -1;
    if (!json_is_string(v[0]))
        return schema_err(rd, at, "\"scenario\" must be a string, not %s", type_name(v[0]));
    if (!json_is_string(v[1]))
        return schema_err(rd, at, "\"target\" must be a string, not %s", type_name(v[1]));
    struct st_timeline *tl =
        st_run_add_timeline(run, json_string_value(v[0]), json_string_value(v[1]), NULL);
    if (tl == NULL)
        return nomem(rd);
    if (get_str(rd, v[2], at, "time_mode", 1, &tl->time_mode) < 0 ||
        get_array(rd, v[3], at, "events") < 0)
        return -1;
    for (size_t i = 0; i < json_array_size(v[3]); i++) {
        struct path sub;
        path_item(&sub, at, "events", i);
        if (read_event(rd, json_array_get(v[3], i), &sub, tl) < 0)
            return -1;
    }
    return 0;
}

static int read_run(struct reader *rd, const json_t *root, struct st_run *run)
{
    struct path top = {""};
    if (!json_is_object(root))
        return schema_err(rd, &top, "top level must be an object, not %s", type_name(root));
    /* The version decides how to read the rest, so it is checked before anything else. */
    const json_t *schema = json_object_get(root, "schema");
    if (schema == NULL)
        return schema_err(rd, &top, "no \"schema\" member (want \"%s\")", HN_RESULTS_SCHEMA);
    if (!json_is_string(schema) || strcmp(json_string_value(schema), HN_RESULTS_SCHEMA) != 0) {
        char shown[48] = "non-string";
        if (json_is_string(schema))
            hn_report_shorten(json_string_value(schema), 32, shown, sizeof shown);
        return schema_err(rd, &top, "unsupported schema \"%s\" (want \"%s\")", shown,
                          HN_RESULTS_SCHEMA);
    }
    static const char *const names[] = {"schema",   "mxttl_version", "started",
                                        "seconds",  "time_mode",     "command",
                                        "incomplete", "targets",     "timelines"};
    json_t *v[9] = {0};
    if (members(rd, root, &top, "run", names, 9, v) < 0)
        return -1;
    if (get_str(rd, v[1], &top, "mxttl_version", 1, &run->mxttl_version) < 0 ||
        get_str(rd, v[2], &top, "started", 1, &run->started) < 0 ||
        get_num(rd, v[3], &top, "seconds", &run->seconds) < 0 ||
        get_str(rd, v[4], &top, "time_mode", 1, &run->time_mode) < 0 ||
        get_str(rd, v[5], &top, "command", 1, &run->command) < 0)
        return -1;
    if (!json_is_boolean(v[6]))
        return schema_err(rd, &top, "\"incomplete\" must be true or false, not %s",
                          type_name(v[6]));
    run->incomplete = json_is_true(v[6]);
    if (get_array(rd, v[7], &top, "targets") < 0 || get_array(rd, v[8], &top, "timelines") < 0)
        return -1;
    for (size_t i = 0; i < json_array_size(v[7]); i++) {
        struct path sub;
        path_item(&sub, &top, "targets", i);
        if (read_target(rd, json_array_get(v[7], i), &sub, run) < 0)
            return -1;
    }
    for (size_t i = 0; i < json_array_size(v[8]); i++) {
        struct path sub;
        path_item(&sub, &top, "timelines", i);
        if (read_timeline(rd, json_array_get(v[8], i), &sub, run) < 0)
            return -1;
    }
    return 0;
}

/* Jansson's error, as ours: numbers out of range are a limit, a duplicate member a schema
 * error, everything else syntax. */
static void jansson_error(struct reader *rd, const json_error_t *err)
{
    enum hn_report_status st = HN_REPORT_SYNTAX;
    const char *what = "";
    switch (json_error_code(err)) {
    case json_error_out_of_memory: st = HN_REPORT_NOMEM; break;
    case json_error_stack_overflow: st = HN_REPORT_LIMIT; break;
    case json_error_numeric_overflow:
        st = HN_REPORT_LIMIT;
        what = "number out of range: ";
        break;
    case json_error_duplicate_key:
        st = HN_REPORT_SCHEMA;
        what = "duplicate member: ";
        break;
    default: break;
    }
    if (strstr(err->text, "JSON_ALLOW_NUL") != NULL) {
        /* Jansson's text names its flag; say what is wrong instead */
        fail(rd, st, "%s:%d:%d: \\u0000 is not allowed in strings", rd->name, err->line,
             err->column);
        return;
    }
    fail(rd, st, "%s:%d:%d: %s%s", rd->name, err->line < 1 ? 1 : err->line,
         err->column < 1 ? 1 : err->column, what, err->text);
}

enum hn_report_status hn_results_read_mem(const char *name, const char *data, size_t len,
                                          struct st_run **out, char *why, size_t whylen)
{
    if (why != NULL && whylen > 0)
        why[0] = '\0';
    else
        whylen = 0;
    if (out != NULL)
        *out = NULL;
    if (name == NULL || (data == NULL && len > 0) || out == NULL) {
        if (whylen > 0)
            snprintf(why, whylen, "hn_results_read_mem: NULL argument");
        return HN_REPORT_INVAL;
    }
    struct reader rd = {.name = name, .why = why, .whylen = whylen, .st = HN_REPORT_OK};
    if (len > HN_RESULTS_MAX_BYTES) {
        fail(&rd, HN_REPORT_LIMIT, "%s:1:1: input larger than %u bytes", name,
             HN_RESULTS_MAX_BYTES);
        return rd.st;
    }
    if (limits_pass(&rd, data ? data : "", len) < 0)
        return rd.st;
    /* Any top-level value (so that "[]" is a schema error, not a syntax one); integers as
     * doubles, as the schema's numbers are; duplicate members refused; \u0000 refused. */
    json_error_t err;
    json_t *root = json_loadb(data, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL |
                                             JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        jansson_error(&rd, &err);
        return rd.st;
    }
    struct st_run *run = st_run_new();
    if (run == NULL)
        nomem(&rd);
    else if (read_run(&rd, root, run) < 0)
        st_run_free(run);
    else
        *out = run;
    json_decref(root);
    return rd.st;
}

enum hn_report_status hn_results_read_file(const char *path, struct st_run **out, char *why,
                                           size_t whylen)
{
    if (why != NULL && whylen > 0)
        why[0] = '\0';
    else
        whylen = 0;
    if (out != NULL)
        *out = NULL;
    if (path == NULL || out == NULL) {
        if (whylen > 0)
            snprintf(why, whylen, "hn_results_read_file: NULL argument");
        return HN_REPORT_INVAL;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        if (whylen > 0)
            snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return HN_REPORT_IO;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        if (whylen > 0)
            snprintf(why, whylen, "%s: is a directory", path);
        return HN_REPORT_IO;
    }
    /* Read at most one buffer past the limit: a larger file is refused without reading it all. */
    size_t cap = 65536, len = 0;
    char *data = malloc(cap);
    enum hn_report_status st = data == NULL ? HN_REPORT_NOMEM : HN_REPORT_OK;
    int err = 0;
    while (st == HN_REPORT_OK) {
        if (len == cap) {
            if (cap > HN_RESULTS_MAX_BYTES) {
                st = HN_REPORT_LIMIT;
                break;
            }
            char *q = realloc(data, cap * 2);
            if (q == NULL) {
                st = HN_REPORT_NOMEM;
                break;
            }
            data = q;
            cap *= 2;
        }
        size_t r = fread(data + len, 1, cap - len, f);
        len += r;
        if (r == 0) {
            if (ferror(f)) {
                err = errno;
                st = HN_REPORT_IO;
            }
            break;
        }
    }
    fclose(f);
    if (whylen > 0 && st == HN_REPORT_NOMEM)
        snprintf(why, whylen, "%s: out of memory", path);
    if (whylen > 0 && st == HN_REPORT_IO)
        snprintf(why, whylen, "%s: read error: %s", path, strerror(err));
    if (st == HN_REPORT_LIMIT || (st == HN_REPORT_OK && len > HN_RESULTS_MAX_BYTES)) {
        st = HN_REPORT_LIMIT;
        if (whylen > 0)
            snprintf(why, whylen, "%s:1:1: file larger than %u bytes", path,
                     HN_RESULTS_MAX_BYTES);
    }
    if (st == HN_REPORT_OK)
        st = hn_results_read_mem(path, data, len, out, why, whylen);
    free(data);
    return st;
}
