/*
 * hn_json: results.json writer and reader (see hn_json.h and RESULTS-SCHEMA.md).
 *
 * The reader works in two passes: a bounded recursive-descent parser builds a small tree of
 * nodes that remember where they started, then a schema pass walks the tree into an st_run.
 * Keeping JSON syntax apart from the schema lets every schema error point at the offending
 * value, and keeps the part a fuzzer hammers (the parser) small.
 */
#include "hn_json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hn_report_buf.h"

/* ------------------------------------------------------------------------------------------ */
/* Writer                                                                                     */

static void put_str(struct hn_report_buf *b, const char *s)
{
    if (s == NULL) {
        hn_report_buf_puts(b, "null");
        return;
    }
    hn_report_buf_put(b, "\"", 1);
    hn_report_buf_json(b, s);
    hn_report_buf_put(b, "\"", 1);
}

/* Identity fields are never null in the file: a missing name is written as "". */
static void put_name(struct hn_report_buf *b, const char *s)
{
    put_str(b, s ? s : "");
}

static void put_member_str(struct hn_report_buf *b, const char *indent, const char *key,
                           const char *val, int last)
{
    hn_report_buf_printf(b, "%s\"%s\": ", indent, key);
    put_str(b, val);
    hn_report_buf_puts(b, last ? "\n" : ",\n");
}

static void put_member_num(struct hn_report_buf *b, const char *indent, const char *key,
                           double val, int last)
{
    hn_report_buf_printf(b, "%s\"%s\": ", indent, key);
    hn_report_buf_num(b, val);
    hn_report_buf_puts(b, last ? "\n" : ",\n");
}

static void put_clause(struct hn_report_buf *b, const struct st_clause_result *c, int last)
{
    const char *in = "          ";
    hn_report_buf_puts(b, "        {\n");
    hn_report_buf_printf(b, "%s\"clause\": ", in);
    put_name(b, c->clause);
    hn_report_buf_puts(b, ",\n");
    hn_report_buf_printf(b, "%s\"level\": \"%s\",\n", in, st_level_str(c->level));
    hn_report_buf_printf(b, "%s\"verdict\": \"%s\",\n", in, st_verdict_str(c->verdict));
    put_member_str(b, in, "sentence", c->sentence, 0);
    put_member_str(b, in, "scenario", c->scenario, 0);
    put_member_str(b, in, "expected", c->expected, 0);
    put_member_str(b, in, "observed", c->observed, 0);
    put_member_str(b, in, "note", c->note, 0);
    put_member_num(b, in, "seconds", c->seconds, 1);
    hn_report_buf_puts(b, last ? "        }\n" : "        },\n");
}

static void put_target(struct hn_report_buf *b, const struct st_target_result *t, int last)
{
    const char *in = "      ";
    hn_report_buf_puts(b, "    {\n");
    hn_report_buf_printf(b, "%s\"target\": ", in);
    put_name(b, t->target);
    hn_report_buf_puts(b, ",\n");
    put_member_str(b, in, "spec", t->spec, 0);
    hn_report_buf_printf(b, "%s\"class\": \"%s\",\n", in, st_class_str(t->klass));
    put_member_str(b, in, "class_reason", t->class_reason, 0);
    if (t->nclauses == 0) {
        hn_report_buf_printf(b, "%s\"clauses\": []\n", in);
    } else {
        hn_report_buf_printf(b, "%s\"clauses\": [\n", in);
        for (size_t i = 0; i < t->nclauses; i++)
            put_clause(b, &t->clauses[i], i + 1 == t->nclauses);
        hn_report_buf_printf(b, "%s]\n", in);
    }
    hn_report_buf_puts(b, last ? "    }\n" : "    },\n");
}

/* Events are one line each: timelines hold hundreds of them and stay readable that way. */
static void put_event(struct hn_report_buf *b, const struct st_event *e, int last)
{
    hn_report_buf_printf(b, "        {\"kind\": \"%s\", \"t\": ", st_event_kind_str(e->kind));
    hn_report_buf_num(b, e->t);
    hn_report_buf_puts(b, ", \"t_end\": ");
    hn_report_buf_num(b, e->t_end);
    hn_report_buf_printf(b, ", \"step\": %d, \"text\": ", e->step);
    put_name(b, e->text);
    hn_report_buf_puts(b, ", \"detail\": ");
    put_str(b, e->detail);
    hn_report_buf_puts(b, last ? "}\n" : "},\n");
}

static void put_timeline(struct hn_report_buf *b, const struct st_timeline *tl, int last)
{
    const char *in = "      ";
    hn_report_buf_puts(b, "    {\n");
    hn_report_buf_printf(b, "%s\"scenario\": ", in);
    put_name(b, tl->scenario);
    hn_report_buf_printf(b, ",\n%s\"target\": ", in);
    put_name(b, tl->target);
    hn_report_buf_puts(b, ",\n");
    put_member_str(b, in, "time_mode", tl->time_mode, 0);
    if (tl->nevents == 0) {
        hn_report_buf_printf(b, "%s\"events\": []\n", in);
    } else {
        hn_report_buf_printf(b, "%s\"events\": [\n", in);
        for (size_t i = 0; i < tl->nevents; i++)
            put_event(b, &tl->events[i], i + 1 == tl->nevents);
        hn_report_buf_printf(b, "%s]\n", in);
    }
    hn_report_buf_puts(b, last ? "    }\n" : "    },\n");
}

enum hn_report_status hn_json_render(const struct st_run *run, char **out, size_t *len)
{
    if (out != NULL)
        *out = NULL;
    if (run == NULL || out == NULL)
        return HN_REPORT_INVAL;
    struct hn_report_buf b = {0};
    const char *in = "  ";
    hn_report_buf_puts(&b, "{\n  \"schema\": \"" HN_JSON_SCHEMA "\",\n");
    put_member_str(&b, in, "mxttl_version", run->mxttl_version, 0);
    put_member_str(&b, in, "started", run->started, 0);
    put_member_num(&b, in, "seconds", run->seconds, 0);
    put_member_str(&b, in, "time_mode", run->time_mode, 0);
    put_member_str(&b, in, "command", run->command, 0);
    hn_report_buf_printf(&b, "  \"incomplete\": %s,\n", run->incomplete ? "true" : "false");
    if (run->ntargets == 0) {
        hn_report_buf_puts(&b, "  \"targets\": [],\n");
    } else {
        hn_report_buf_puts(&b, "  \"targets\": [\n");
        for (size_t i = 0; i < run->ntargets; i++)
            put_target(&b, &run->targets[i], i + 1 == run->ntargets);
        hn_report_buf_puts(&b, "  ],\n");
    }
    if (run->ntimelines == 0) {
        hn_report_buf_puts(&b, "  \"timelines\": []\n");
    } else {
        hn_report_buf_puts(&b, "  \"timelines\": [\n");
        for (size_t i = 0; i < run->ntimelines; i++)
            put_timeline(&b, &run->timelines[i], i + 1 == run->ntimelines);
        hn_report_buf_puts(&b, "  ]\n");
    }
    hn_report_buf_puts(&b, "}\n");
    return hn_report_buf_finish(&b, out, len) == 0 ? HN_REPORT_OK : HN_REPORT_NOMEM;
}

/* ------------------------------------------------------------------------------------------ */
/* Parser                                                                                     */

enum jtype { JT_NULL, JT_BOOL, JT_NUM, JT_STR, JT_ARR, JT_OBJ };

struct jnode {
    enum jtype type;
    unsigned line, col;
    int boolean;
    double num;
    char *str;            /* JT_STR: decoded, NUL-terminated (no NUL inside: \u0000 refused) */
    size_t n;             /* JT_ARR / JT_OBJ: element count */
    struct jnode *items;  /* JT_ARR elements, JT_OBJ values */
    struct jnode *keys;   /* JT_OBJ keys (JT_STR nodes, with their positions) */
};

struct parser {
    const char *name;
    const unsigned char *p;
    size_t len, pos;
    unsigned line;
    size_t line_start;
    char *why;
    size_t whylen;
    enum hn_report_status st;
};

static void node_free(struct jnode *nd)
{
    if (nd == NULL)
        return;
    free(nd->str);
    for (size_t i = 0; i < nd->n; i++) {
        if (nd->items)
            node_free(&nd->items[i]);
        if (nd->keys)
            node_free(&nd->keys[i]);
    }
    free(nd->items);
    free(nd->keys);
    memset(nd, 0, sizeof(*nd));
}

static unsigned col_of(const struct parser *ps, size_t pos)
{
    return (unsigned)(pos - ps->line_start + 1);
}

/* Records the first error only: later ones are consequences. */
static int set_error(struct parser *ps, enum hn_report_status st, unsigned line, unsigned col,
                     const char *msg)
{
    if (ps->st != HN_REPORT_OK)
        return -1;
    ps->st = st;
    if (ps->whylen > 0)
        snprintf(ps->why, ps->whylen, "%s:%u:%u: %s", ps->name, line, col, msg);
    return -1;
}

static int fail_at(struct parser *ps, enum hn_report_status st, unsigned line, unsigned col,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail_at(struct parser *ps, enum hn_report_status st, unsigned line, unsigned col,
                   const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    /* clang-tidy 14 misreads va_list here when it checks several files in one run. */
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return set_error(ps, st, line, col, msg);
}

#define FAIL_HERE(ps, st, ...) fail_at((ps), (st), (ps)->line, col_of((ps), (ps)->pos), __VA_ARGS__)

static void skip_ws(struct parser *ps)
{
    while (ps->pos < ps->len) {
        unsigned char c = ps->p[ps->pos];
        if (c == '\n') {
            ps->pos++;
            ps->line++;
            ps->line_start = ps->pos;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            ps->pos++;
        } else {
            break;
        }
    }
}

/* Describes the byte at pos for error messages. */
static void describe(const struct parser *ps, char *out, size_t outlen)
{
    if (ps->pos >= ps->len) {
        snprintf(out, outlen, "end of input");
        return;
    }
    unsigned char c = ps->p[ps->pos];
    if (c >= 0x21 && c < 0x7F)
        snprintf(out, outlen, "'%c'", c);
    else
        snprintf(out, outlen, "byte 0x%02x", c);
}

static int parse_value(struct parser *ps, struct jnode *out, unsigned depth);

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

/* Reads 4 hex digits at ps->pos; -1 on error (reported). */
static long read_hex4(struct parser *ps)
{
    if (ps->len - ps->pos < 4)
        return FAIL_HERE(ps, HN_REPORT_SYNTAX, "truncated \\u escape");
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(ps->p[ps->pos]);
        if (h < 0)
            return FAIL_HERE(ps, HN_REPORT_SYNTAX, "bad hex digit in \\u escape");
        v = v * 16 + h;
        ps->pos++;
    }
    return v;
}

/* Appends code point cp as UTF-8 at d + *dl. */
static void put_utf8(char *d, size_t *dl, long cp)
{
    if (cp < 0x80) {
        d[(*dl)++] = (char)cp;
    } else if (cp < 0x800) {
        d[(*dl)++] = (char)(0xC0 | (cp >> 6));
        d[(*dl)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        d[(*dl)++] = (char)(0xE0 | (cp >> 12));
        d[(*dl)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[(*dl)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        d[(*dl)++] = (char)(0xF0 | (cp >> 18));
        d[(*dl)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        d[(*dl)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[(*dl)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Strings are decoded into one exact-size allocation: a first pass finds the closing quote (the
 * decoded text is never longer than the raw text: escapes only shrink), so a file of many short
 * strings costs bytes, not pages, and an oversized string is refused before it is decoded. */
static int parse_string(struct parser *ps, struct jnode *out)
{
    out->type = JT_STR;
    out->line = ps->line;
    out->col = col_of(ps, ps->pos);
    ps->pos++; /* opening quote */
    size_t end = ps->pos;
    while (end < ps->len && ps->p[end] != '"')
        end += ps->p[end] == '\\' ? 2 : 1;
    if (end >= ps->len)
        return fail_at(ps, HN_REPORT_SYNTAX, out->line, out->col, "unterminated string");
    size_t raw = end - ps->pos;
    /* \uXXXX (6 bytes) decodes to at most 3: beyond this even escapes cannot fit the limit. */
    if (raw / 2 > HN_JSON_MAX_STRING)
        return fail_at(ps, HN_REPORT_LIMIT, out->line, out->col, "string longer than %u bytes",
                       HN_JSON_MAX_STRING);
    char *d = malloc(raw + 1);
    if (d == NULL)
        return fail_at(ps, HN_REPORT_NOMEM, out->line, out->col, "out of memory");
    size_t dl = 0;
    while (ps->pos < end) {
        unsigned char c = ps->p[ps->pos];
        if (c < 0x20) {
            FAIL_HERE(ps, HN_REPORT_SYNTAX, "control character 0x%02x in string (escape it)", c);
            goto fail;
        }
        if (c >= 0x80) {
            size_t l = hn_report_utf8_len(ps->p + ps->pos, end - ps->pos);
            if (l == 0) {
                FAIL_HERE(ps, HN_REPORT_SYNTAX, "invalid UTF-8 in string");
                goto fail;
            }
            memcpy(d + dl, ps->p + ps->pos, l);
            dl += l;
            ps->pos += l;
            continue;
        }
        if (c != '\\') {
            d[dl++] = (char)c;
            ps->pos++;
            continue;
        }
        size_t esc_pos = ps->pos;
        ps->pos++;
        char e = (char)ps->p[ps->pos++]; /* exists: the first pass skipped it with the '\\' */
        const char *simple = NULL;
        switch (e) {
        case '"': simple = "\""; break;
        case '\\': simple = "\\"; break;
        case '/': simple = "/"; break;
        case 'b': simple = "\b"; break;
        case 'f': simple = "\f"; break;
        case 'n': simple = "\n"; break;
        case 'r': simple = "\r"; break;
        case 't': simple = "\t"; break;
        case 'u': break;
        default:
            ps->pos = esc_pos;
            FAIL_HERE(ps, HN_REPORT_SYNTAX, "bad escape '\\%c'",
                      (e >= 0x21 && e < 0x7F) ? e : '?');
            goto fail;
        }
        if (simple != NULL) {
            d[dl++] = simple[0];
            continue;
        }
        /* Hex digits are read up to `end` only: a quote ends the string, never an escape. */
        size_t save_len = ps->len;
        ps->len = end;
        long cp = read_hex4(ps);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (ps->len - ps->pos < 2 || ps->p[ps->pos] != '\\' || ps->p[ps->pos + 1] != 'u') {
                ps->len = save_len;
                ps->pos = esc_pos;
                FAIL_HERE(ps, HN_REPORT_SYNTAX, "high surrogate \\u%04lx without low surrogate",
                          cp);
                goto fail;
            }
            ps->pos += 2;
            long lo = read_hex4(ps);
            if (lo >= 0 && (lo < 0xDC00 || lo > 0xDFFF)) {
                ps->len = save_len;
                ps->pos = esc_pos;
                FAIL_HERE(ps, HN_REPORT_SYNTAX, "high surrogate \\u%04lx without low surrogate",
                          cp);
                goto fail;
            }
            cp = lo < 0 ? -1 : 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        ps->len = save_len;
        if (cp < 0)
            goto fail;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            ps->pos = esc_pos;
            FAIL_HERE(ps, HN_REPORT_SYNTAX, "lone low surrogate \\u%04lx", cp);
            goto fail;
        }
        if (cp == 0) {
            ps->pos = esc_pos;
            FAIL_HERE(ps, HN_REPORT_SYNTAX, "\\u0000 is not allowed in strings");
            goto fail;
        }
        put_utf8(d, &dl, cp);
    }
    ps->pos = end + 1; /* closing quote */
    if (dl > HN_JSON_MAX_STRING) {
        fail_at(ps, HN_REPORT_LIMIT, out->line, out->col, "string longer than %u bytes",
                HN_JSON_MAX_STRING);
        goto fail;
    }
    d[dl] = '\0';
    out->str = d;
    return 0;
fail:
    free(d);
    return -1;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int parse_number(struct parser *ps, struct jnode *out)
{
    out->type = JT_NUM;
    out->line = ps->line;
    out->col = col_of(ps, ps->pos);
    size_t start = ps->pos, i = ps->pos;
    const unsigned char *p = ps->p;
    if (i < ps->len && p[i] == '-')
        i++;
    if (i >= ps->len || !is_digit(p[i])) {
        ps->pos = i;
        return FAIL_HERE(ps, HN_REPORT_SYNTAX, "bad number: digit expected");
    }
    if (p[i] == '0') {
        i++;
        if (i < ps->len && is_digit(p[i])) {
            ps->pos = i;
            return FAIL_HERE(ps, HN_REPORT_SYNTAX, "bad number: leading zero");
        }
    } else {
        while (i < ps->len && is_digit(p[i]))
            i++;
    }
    if (i < ps->len && p[i] == '.') {
        i++;
        if (i >= ps->len || !is_digit(p[i])) {
            ps->pos = i;
            return FAIL_HERE(ps, HN_REPORT_SYNTAX, "bad number: digit expected after '.'");
        }
        while (i < ps->len && is_digit(p[i]))
            i++;
    }
    if (i < ps->len && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < ps->len && (p[i] == '+' || p[i] == '-'))
            i++;
        if (i >= ps->len || !is_digit(p[i])) {
            ps->pos = i;
            return FAIL_HERE(ps, HN_REPORT_SYNTAX, "bad number: digit expected in exponent");
        }
        while (i < ps->len && is_digit(p[i]))
            i++;
    }
    if (i - start > HN_JSON_MAX_NUMBER)
        return fail_at(ps, HN_REPORT_LIMIT, out->line, out->col,
                       "number longer than %u characters", HN_JSON_MAX_NUMBER);
    char tmp[HN_JSON_MAX_NUMBER + 1];
    memcpy(tmp, p + start, i - start);
    tmp[i - start] = '\0';
    errno = 0;
    double v = strtod(tmp, NULL);
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return fail_at(ps, HN_REPORT_LIMIT, out->line, out->col, "number %s out of range", tmp);
    out->num = v;
    ps->pos = i;
    return 0;
}

static int parse_literal(struct parser *ps, struct jnode *out, const char *word, enum jtype t,
                         int boolean)
{
    size_t n = strlen(word);
    out->line = ps->line;
    out->col = col_of(ps, ps->pos);
    if (ps->len - ps->pos < n || memcmp(ps->p + ps->pos, word, n) != 0)
        return FAIL_HERE(ps, HN_REPORT_SYNTAX, "unexpected token (expected %s)", word);
    out->type = t;
    out->boolean = boolean;
    ps->pos += n;
    return 0;
}

/* Appends a zeroed slot to *arr (capacity *cap); NULL on no memory or limit (reported). */
static struct jnode *push(struct parser *ps, struct jnode **arr, size_t n, size_t *cap,
                          const struct jnode *owner)
{
    if (n >= HN_JSON_MAX_ITEMS) {
        fail_at(ps, HN_REPORT_LIMIT, owner->line, owner->col, "more than %u elements",
                HN_JSON_MAX_ITEMS);
        return NULL;
    }
    if (n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        struct jnode *q = realloc(*arr, nc * sizeof(**arr));
        if (q == NULL) {
            fail_at(ps, HN_REPORT_NOMEM, owner->line, owner->col, "out of memory");
            return NULL;
        }
        *arr = q;
        *cap = nc;
    }
    memset(&(*arr)[n], 0, sizeof(**arr));
    return &(*arr)[n];
}

static int parse_array(struct parser *ps, struct jnode *out, unsigned depth)
{
    out->type = JT_ARR;
    out->line = ps->line;
    out->col = col_of(ps, ps->pos);
    ps->pos++;
    size_t cap = 0;
    skip_ws(ps);
    if (ps->pos < ps->len && ps->p[ps->pos] == ']') {
        ps->pos++;
        return 0;
    }
    for (;;) {
        struct jnode *slot = push(ps, &out->items, out->n, &cap, out);
        if (slot == NULL)
            return -1;
        out->n++; /* counted before filling: node_free copes with a zeroed or partial node */
        skip_ws(ps);
        if (parse_value(ps, slot, depth + 1) < 0)
            return -1;
        skip_ws(ps);
        if (ps->pos < ps->len && ps->p[ps->pos] == ',') {
            ps->pos++;
            continue;
        }
        if (ps->pos < ps->len && ps->p[ps->pos] == ']') {
            ps->pos++;
            return 0;
        }
        char what[32];
        describe(ps, what, sizeof(what));
        return FAIL_HERE(ps, HN_REPORT_SYNTAX, "expected ',' or ']' in array, found %s", what);
    }
}

static int parse_object(struct parser *ps, struct jnode *out, unsigned depth)
{
    out->type = JT_OBJ;
    out->line = ps->line;
    out->col = col_of(ps, ps->pos);
    ps->pos++;
    size_t cap = 0, kcap = 0;
    skip_ws(ps);
    if (ps->pos < ps->len && ps->p[ps->pos] == '}') {
        ps->pos++;
        return 0;
    }
    for (;;) {
        skip_ws(ps);
        if (ps->pos >= ps->len || ps->p[ps->pos] != '"') {
            char what[32];
            describe(ps, what, sizeof(what));
            return FAIL_HERE(ps, HN_REPORT_SYNTAX, "expected member name string, found %s",
                             what);
        }
        struct jnode *k = push(ps, &out->keys, out->n, &kcap, out);
        if (k == NULL)
            return -1;
        struct jnode *v = push(ps, &out->items, out->n, &cap, out);
        if (v == NULL)
            return -1;
        out->n++;
        if (parse_string(ps, k) < 0)
            return -1;
        skip_ws(ps);
        if (ps->pos >= ps->len || ps->p[ps->pos] != ':') {
            char what[32];
            describe(ps, what, sizeof(what));
            return FAIL_HERE(ps, HN_REPORT_SYNTAX, "expected ':' after member name, found %s",
                             what);
        }
        ps->pos++;
        skip_ws(ps);
        if (parse_value(ps, v, depth + 1) < 0)
            return -1;
        skip_ws(ps);
        if (ps->pos < ps->len && ps->p[ps->pos] == ',') {
            ps->pos++;
            continue;
        }
        if (ps->pos < ps->len && ps->p[ps->pos] == '}') {
            ps->pos++;
            return 0;
        }
        char what[32];
        describe(ps, what, sizeof(what));
        return FAIL_HERE(ps, HN_REPORT_SYNTAX, "expected ',' or '}' in object, found %s", what);
    }
}

static int parse_value(struct parser *ps, struct jnode *out, unsigned depth)
{
    if (ps->pos >= ps->len)
        return FAIL_HERE(ps, HN_REPORT_SYNTAX, "unexpected end of input (value expected)");
    unsigned char c = ps->p[ps->pos];
    if ((c == '[' || c == '{') && depth >= HN_JSON_MAX_DEPTH)
        return FAIL_HERE(ps, HN_REPORT_LIMIT, "nesting deeper than %u levels", HN_JSON_MAX_DEPTH);
    switch (c) {
    case '{': return parse_object(ps, out, depth);
    case '[': return parse_array(ps, out, depth);
    case '"': return parse_string(ps, out);
    case 't': return parse_literal(ps, out, "true", JT_BOOL, 1);
    case 'f': return parse_literal(ps, out, "false", JT_BOOL, 0);
    case 'n': return parse_literal(ps, out, "null", JT_NULL, 0);
    default:
        if (c == '-' || is_digit(c))
            return parse_number(ps, out);
        {
            char what[32];
            describe(ps, what, sizeof(what));
            return FAIL_HERE(ps, HN_REPORT_SYNTAX, "unexpected %s (value expected)", what);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Schema: tree -> st_run                                                                     */

static const char *type_name(enum jtype t)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array",
                                        "object"};
    return names[t];
}

static int schema_err(struct parser *ps, const struct jnode *nd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int schema_err(struct parser *ps, const struct jnode *nd, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    /* clang-tidy 14 misreads va_list here when it checks several files in one run. */
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return set_error(ps, HN_REPORT_SCHEMA, nd->line, nd->col, msg);
}

/* Checks that obj is an object whose member names are exactly `names` (n of them), each once,
 * and fills vals[i] with the value of names[i]. */
static int members(struct parser *ps, const struct jnode *obj, const char *what,
                   const char *const *names, size_t n, const struct jnode **vals)
{
    if (obj->type != JT_OBJ)
        return schema_err(ps, obj, "%s must be an object, not %s", what, type_name(obj->type));
    for (size_t i = 0; i < n; i++)
        vals[i] = NULL;
    for (size_t k = 0; k < obj->n; k++) {
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(obj->keys[k].str, names[i]) == 0)
                break;
        if (i == n) {
            char shown[64];
            hn_report_shorten(obj->keys[k].str, 40, shown, sizeof(shown));
            return schema_err(ps, &obj->keys[k], "unknown member \"%s\" in %s", shown, what);
        }
        if (vals[i] != NULL)
            return schema_err(ps, &obj->keys[k], "duplicate member \"%s\" in %s", names[i],
                              what);
        vals[i] = &obj->items[k];
    }
    for (size_t i = 0; i < n; i++)
        if (vals[i] == NULL)
            return schema_err(ps, obj, "%s lacks member \"%s\"", what, names[i]);
    return 0;
}

/* String member into *field (copied); nullable allows null (field stays NULL). */
static int get_str(struct parser *ps, const struct jnode *v, const char *key, int nullable,
                   char **field)
{
    if (v->type == JT_NULL && nullable)
        return 0;
    if (v->type != JT_STR)
        return schema_err(ps, v, "\"%s\" must be a string%s, not %s", key,
                          nullable ? " or null" : "", type_name(v->type));
    if (st_set_str(field, v->str) < 0)
        return fail_at(ps, HN_REPORT_NOMEM, v->line, v->col, "out of memory");
    return 0;
}

/* Number member; null means "not a finite number" (the writer writes NaN and infinities as
 * null), read back as NAN so that writing again gives null again. */
static int get_num(struct parser *ps, const struct jnode *v, const char *key, double *out)
{
    if (v->type == JT_NULL) {
        *out = NAN;
        return 0;
    }
    if (v->type != JT_NUM)
        return schema_err(ps, v, "\"%s\" must be a number or null, not %s", key,
                          type_name(v->type));
    *out = v->num;
    return 0;
}

static int get_enum(struct parser *ps, const struct jnode *v, const char *key,
                    int (*conv)(const char *, void *), void *out, const char *allowed)
{
    if (v->type != JT_STR)
        return schema_err(ps, v, "\"%s\" must be a string, not %s", key, type_name(v->type));
    if (conv(v->str, out) < 0) {
        char shown[48];
        hn_report_shorten(v->str, 32, shown, sizeof(shown));
        return schema_err(ps, v, "\"%s\" is \"%s\", want one of %s", key, shown, allowed);
    }
    return 0;
}

/* Adapters so the enum parsers share get_enum. */
static int conv_level(const char *s, void *o) { return st_level_from_str(s, o); }
static int conv_verdict(const char *s, void *o) { return st_verdict_from_str(s, o); }
static int conv_class(const char *s, void *o) { return st_class_from_str(s, o); }
static int conv_kind(const char *s, void *o) { return st_event_kind_from_str(s, o); }

static int nomem(struct parser *ps, const struct jnode *nd)
{
    return fail_at(ps, HN_REPORT_NOMEM, nd->line, nd->col, "out of memory");
}

static int read_clause(struct parser *ps, const struct jnode *obj, struct st_target_result *tr)
{
    static const char *const names[] = {"clause",   "level",    "verdict", "sentence",
                                        "scenario", "expected", "observed", "note",
                                        "seconds"};
    const struct jnode *v[9];
    if (members(ps, obj, "clause result", names, 9, v) < 0)
        return -1;
    enum st_level level = ST_LEVEL_MUST;
    enum st_verdict verdict = ST_PASS;
    if (v[0]->type != JT_STR)
        return schema_err(ps, v[0], "\"clause\" must be a string, not %s", type_name(v[0]->type));
    if (get_enum(ps, v[1], "level", conv_level, &level, "MUST, SHOULD, INFO") < 0 ||
        get_enum(ps, v[2], "verdict", conv_verdict, &verdict,
                 "PASS, NON-STRICT, INFO, FAIL, N/A, ERROR") < 0)
        return -1;
    struct st_clause_result *c = st_target_add_clause(tr, v[0]->str, level, verdict, NULL);
    if (c == NULL)
        return nomem(ps, obj);
    if (get_str(ps, v[3], "sentence", 1, &c->sentence) < 0 ||
        get_str(ps, v[4], "scenario", 1, &c->scenario) < 0 ||
        get_str(ps, v[5], "expected", 1, &c->expected) < 0 ||
        get_str(ps, v[6], "observed", 1, &c->observed) < 0 ||
        get_str(ps, v[7], "note", 1, &c->note) < 0 ||
        get_num(ps, v[8], "seconds", &c->seconds) < 0)
        return -1;
    return 0;
}

static int read_target(struct parser *ps, const struct jnode *obj, struct st_run *run)
{
    static const char *const names[] = {"target", "spec", "class", "class_reason", "clauses"};
    const struct jnode *v[5];
    if (members(ps, obj, "target result", names, 5, v) < 0)
        return -1;
    if (v[0]->type != JT_STR)
        return schema_err(ps, v[0], "\"target\" must be a string, not %s", type_name(v[0]->type));
    struct st_target_result *tr = st_run_add_target(run, v[0]->str, NULL);
    if (tr == NULL)
        return nomem(ps, obj);
    if (get_str(ps, v[1], "spec", 1, &tr->spec) < 0 ||
        get_enum(ps, v[2], "class", conv_class, &tr->klass, "legacy, ttl, neither, unknown") < 0 ||
        get_str(ps, v[3], "class_reason", 1, &tr->class_reason) < 0)
        return -1;
    if (v[4]->type != JT_ARR)
        return schema_err(ps, v[4], "\"clauses\" must be an array, not %s",
                          type_name(v[4]->type));
    for (size_t i = 0; i < v[4]->n; i++)
        if (read_clause(ps, &v[4]->items[i], tr) < 0)
            return -1;
    return 0;
}

static int read_event(struct parser *ps, const struct jnode *obj, struct st_timeline *tl)
{
    static const char *const names[] = {"kind", "t", "t_end", "step", "text", "detail"};
    const struct jnode *v[6];
    if (members(ps, obj, "event", names, 6, v) < 0)
        return -1;
    enum st_event_kind kind = ST_EV_STEP;
    double t = 0, t_end = 0;
    if (get_enum(ps, v[0], "kind", conv_kind, &kind, "step, lookup, forward, query, ttl") < 0 ||
        get_num(ps, v[1], "t", &t) < 0 || get_num(ps, v[2], "t_end", &t_end) < 0)
        return -1;
    if (v[3]->type != JT_NUM || v[3]->num != floor(v[3]->num) || v[3]->num < -2147483648.0 ||
        v[3]->num > 2147483647.0)
        return schema_err(ps, v[3], "\"step\" must be an integer in int range");
    if (v[4]->type != JT_STR)
        return schema_err(ps, v[4], "\"text\" must be a string, not %s", type_name(v[4]->type));
    if (v[5]->type != JT_STR && v[5]->type != JT_NULL)
        return schema_err(ps, v[5], "\"detail\" must be a string or null, not %s",
                          type_name(v[5]->type));
    if (st_timeline_add(tl, kind, t, t_end, (int)v[3]->num, v[4]->str,
                        v[5]->type == JT_STR ? v[5]->str : NULL) < 0)
        return nomem(ps, obj);
    /* st_timeline_add sets t_end = t for all but TTL windows; the file must agree, or writing
     * it again would not reproduce it. */
    struct st_event *e = &tl->events[tl->nevents - 1];
    int same = (e->t_end == t_end && signbit(e->t_end) == signbit(t_end)) ||
               (isnan(e->t_end) && isnan(t_end));
    if (!same)
        return schema_err(ps, v[2], "\"t_end\" must equal \"t\" for a %s event",
                          st_event_kind_str(kind));
    return 0;
}

static int read_timeline(struct parser *ps, const struct jnode *obj, struct st_run *run)
{
    static const char *const names[] = {"scenario", "target", "time_mode", "events"};
    const struct jnode *v[4];
    if (members(ps, obj, "timeline", names, 4, v) < 0)
        return -1;
    if (v[0]->type != JT_STR)
        return schema_err(ps, v[0], "\"scenario\" must be a string, not %s",
                          type_name(v[0]->type));
    if (v[1]->type != JT_STR)
        return schema_err(ps, v[1], "\"target\" must be a string, not %s", type_name(v[1]->type));
    struct st_timeline *tl = st_run_add_timeline(run, v[0]->str, v[1]->str, NULL);
    if (tl == NULL)
        return nomem(ps, obj);
    if (get_str(ps, v[2], "time_mode", 1, &tl->time_mode) < 0)
        return -1;
    if (v[3]->type != JT_ARR)
        return schema_err(ps, v[3], "\"events\" must be an array, not %s", type_name(v[3]->type));
    for (size_t i = 0; i < v[3]->n; i++)
        if (read_event(ps, &v[3]->items[i], tl) < 0)
            return -1;
    return 0;
}

static int read_run(struct parser *ps, const struct jnode *root, struct st_run *run)
{
    if (root->type != JT_OBJ)
        return schema_err(ps, root, "top level must be an object, not %s",
                          type_name(root->type));
    /* The version decides how to read the rest, so it is checked before anything else. */
    const struct jnode *schema = NULL;
    for (size_t k = 0; k < root->n; k++)
        if (strcmp(root->keys[k].str, "schema") == 0)
            schema = &root->items[k];
    if (schema == NULL)
        return schema_err(ps, root, "no \"schema\" member (want \"%s\")", HN_JSON_SCHEMA);
    if (schema->type != JT_STR || strcmp(schema->str, HN_JSON_SCHEMA) != 0) {
        char shown[48] = "non-string";
        if (schema->type == JT_STR)
            hn_report_shorten(schema->str, 32, shown, sizeof(shown));
        return schema_err(ps, schema, "unsupported schema \"%s\" (want \"%s\")", shown,
                          HN_JSON_SCHEMA);
    }
    static const char *const names[] = {"schema",   "mxttl_version", "started",
                                        "seconds",  "time_mode",     "command",
                                        "incomplete", "targets",     "timelines"};
    const struct jnode *v[9];
    if (members(ps, root, "run", names, 9, v) < 0)
        return -1;
    if (get_str(ps, v[1], "mxttl_version", 1, &run->mxttl_version) < 0 ||
        get_str(ps, v[2], "started", 1, &run->started) < 0 ||
        get_num(ps, v[3], "seconds", &run->seconds) < 0 ||
        get_str(ps, v[4], "time_mode", 1, &run->time_mode) < 0 ||
        get_str(ps, v[5], "command", 1, &run->command) < 0)
        return -1;
    if (v[6]->type != JT_BOOL)
        return schema_err(ps, v[6], "\"incomplete\" must be true or false, not %s",
                          type_name(v[6]->type));
    run->incomplete = v[6]->boolean;
    if (v[7]->type != JT_ARR)
        return schema_err(ps, v[7], "\"targets\" must be an array, not %s", type_name(v[7]->type));
    if (v[8]->type != JT_ARR)
        return schema_err(ps, v[8], "\"timelines\" must be an array, not %s",
                          type_name(v[8]->type));
    for (size_t i = 0; i < v[7]->n; i++)
        if (read_target(ps, &v[7]->items[i], run) < 0)
            return -1;
    for (size_t i = 0; i < v[8]->n; i++)
        if (read_timeline(ps, &v[8]->items[i], run) < 0)
            return -1;
    return 0;
}

enum hn_report_status hn_json_read_mem(const char *name, const char *data, size_t len,
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
            snprintf(why, whylen, "hn_json_read_mem: NULL argument");
        return HN_REPORT_INVAL;
    }
    struct parser ps = {.name = name, .p = (const unsigned char *)data, .len = len,
                        .line = 1, .why = why, .whylen = whylen, .st = HN_REPORT_OK};
    if (len > HN_JSON_MAX_BYTES) {
        fail_at(&ps, HN_REPORT_LIMIT, 1, 1, "input larger than %u bytes", HN_JSON_MAX_BYTES);
        return ps.st;
    }
    struct jnode root = {0};
    skip_ws(&ps);
    if (ps.pos >= ps.len) {
        FAIL_HERE(&ps, HN_REPORT_SYNTAX, "empty input (a results.json object expected)");
        return ps.st;
    }
    if (parse_value(&ps, &root, 0) == 0) {
        skip_ws(&ps);
        if (ps.pos < ps.len) {
            char what[32];
            describe(&ps, what, sizeof(what));
            FAIL_HERE(&ps, HN_REPORT_SYNTAX, "trailing %s after the JSON value", what);
        }
    }
    if (ps.st == HN_REPORT_OK) {
        struct st_run *run = st_run_new();
        if (run == NULL) {
            fail_at(&ps, HN_REPORT_NOMEM, 1, 1, "out of memory");
        } else if (read_run(&ps, &root, run) < 0) {
            st_run_free(run);
        } else {
            *out = run;
        }
    }
    node_free(&root);
    return ps.st;
}

enum hn_report_status hn_json_read_file(const char *path, struct st_run **out, char *why,
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
            snprintf(why, whylen, "hn_json_read_file: NULL argument");
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
            if (cap > HN_JSON_MAX_BYTES) {
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
    if (st == HN_REPORT_LIMIT || (st == HN_REPORT_OK && len > HN_JSON_MAX_BYTES)) {
        st = HN_REPORT_LIMIT;
        if (whylen > 0)
            snprintf(why, whylen, "%s:1:1: file larger than %u bytes", path, HN_JSON_MAX_BYTES);
    }
    if (st == HN_REPORT_OK)
        st = hn_json_read_mem(path, data, len, out, why, whylen);
    free(data);
    return st;
}
