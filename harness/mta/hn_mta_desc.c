/*
 * hn_mta_desc: parser of target description files and the placeholder expander. Line based:
 * one directive a line, '#' comment lines, blank lines ignored; `file PATH` ... `end` blocks
 * carry configuration templates verbatim. Every error names FILE:LINE.
 */
#include "hn_mta_desc.h"
#include "hn_mta_util.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct strv {
    char **v;
    int *lines;
    size_t n, cap;
};

struct hn_mta_desc {
    char *path;
    char *name;
    char *description;
    char *caches;
    char *log;
    char *root;
    int forward, relay_only;
    unsigned fixture_port, resolver_timeout, deliver_timeout, start_timeout;
    struct strv root_packages, privs;
    struct strv cmds[HN_MTA_CMD_COUNT];
    struct strv copy_etc;
    struct hn_mta_file *files;
    size_t nfiles, fcap;
    struct hn_mta_outcome *outcomes;
    size_t noutcomes, ocap;
};

static const char *const cmd_names[] = {
#define HN_MTA_CMD_NAME(sym, str) str,
    HN_MTA_CMD_LIST(HN_MTA_CMD_NAME)
#undef HN_MTA_CMD_NAME
};

const char *hn_mta_cmd_str(enum hn_mta_cmd c)
{
    return (unsigned)c < HN_MTA_CMD_COUNT ? cmd_names[c] : "unknown";
}

static int strv_add(struct strv *s, const char *text, int line)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        int *l = realloc(s->lines, cap * sizeof *l);
        if (!l)
            return -1;
        s->lines = l;
        s->cap = cap;
    }
    char *c = strdup(text);
    if (!c)
        return -1;
    s->v[s->n] = c;
    s->lines[s->n] = line;
    s->n++;
    return 0;
}

static void strv_free(struct strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    free(s->lines);
}

void hn_mta_desc_free(struct hn_mta_desc *d)
{
    if (!d)
        return;
    free(d->path);
    free(d->name);
    free(d->description);
    free(d->caches);
    free(d->log);
    free(d->root);
    strv_free(&d->root_packages);
    strv_free(&d->privs);
    for (int i = 0; i < HN_MTA_CMD_COUNT; i++)
        strv_free(&d->cmds[i]);
    strv_free(&d->copy_etc);
    for (size_t i = 0; i < d->nfiles; i++) {
        free((char *)d->files[i].path);
        free((char *)d->files[i].text);
    }
    free(d->files);
    for (size_t i = 0; i < d->noutcomes; i++)
        free((char *)d->outcomes[i].regex);
    free(d->outcomes);
    free(d);
}

/* ---- placeholders ---- */

enum ph { PH_WORKDIR, PH_NETNS, PH_ETC, PH_HOSTNAME, PH_RESOLVER, PH_FIXTURE_ADDR,
          PH_FIXTURE_PORT, PH_SMARTHOST, PH_SINK_PORT, PH_NSADDR, PH_RECIPIENT, PH_DOMAIN, PH_COUNT };
static const char *const ph_names[PH_COUNT] = {
    "WORKDIR", "NETNS", "ETC", "HOSTNAME", "RESOLVER", "FIXTURE_ADDR",
    "FIXTURE_PORT", "SMARTHOST", "SINK_PORT", "NSADDR", "RECIPIENT", "DOMAIN"};

static const char *ph_value(const struct hn_mta_vars *v, int ph)
{
    const char *s = NULL;
    switch (ph) {
    case PH_WORKDIR: s = v->workdir; break;
    case PH_NETNS: s = v->netns; break;
    case PH_ETC: s = v->etc; break;
    case PH_HOSTNAME: s = v->hostname; break;
    case PH_RESOLVER: s = v->resolver; break;
    case PH_FIXTURE_ADDR: s = v->fixture_addr; break;
    case PH_FIXTURE_PORT: s = v->fixture_port; break;
    case PH_SMARTHOST: s = v->smarthost; break;
    case PH_SINK_PORT: s = v->sink_port; break;
    case PH_NSADDR: s = v->nsaddr; break;
    case PH_RECIPIENT: s = v->recipient; break;
    case PH_DOMAIN: s = v->domain; break;
    }
    return s ? s : "";
}

struct buf {
    char *p;
    size_t n, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static int buf_add_quoted(struct buf *b, const char *s, int regex_quote)
{
    for (; *s; s++) {
        if (regex_quote && strchr("\\^$.[]|()*+?{}", *s) && buf_add(b, "\\", 1))
            return -1;
        if (buf_add(b, s, 1))
            return -1;
    }
    return 0;
}

enum hn_mta_status hn_mta_expand(const char *tmpl, const struct hn_mta_vars *v, int regex_quote,
                                 char **out, char *why, size_t whylen)
{
    static const char if_sh[] = "@IF_SMARTHOST@", if_nosh[] = "@IF_NO_SMARTHOST@";
    struct buf b = {0};
    *out = NULL;
    if (buf_add(&b, "", 0))
        return HN_MTA_NOMEM;
    const char *line = tmpl;
    while (*line) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) + 1 : strlen(line);
        const char *p = line, *end = line + len;
        if (!strncmp(p, if_sh, sizeof if_sh - 1)) {
            p += sizeof if_sh - 1;
            if (!v->smarthost)
                p = end;
        } else if (!strncmp(p, if_nosh, sizeof if_nosh - 1)) {
            p += sizeof if_nosh - 1;
            if (v->smarthost)
                p = end;
        }
        while (p < end) {
            const char *at = memchr(p, '@', (size_t)(end - p));
            if (!at) {
                if (buf_add(&b, p, (size_t)(end - p)))
                    goto nomem;
                break;
            }
            if (buf_add(&b, p, (size_t)(at - p)))
                goto nomem;
            const char *close = memchr(at + 1, '@', (size_t)(end - at - 1));
            size_t nl = close ? (size_t)(close - at - 1) : 0;
            int ph = -1;
            /* Only @UPPER_CASE@ words are placeholders: e-mail addresses and "@" in
             * configuration syntax stay as written. */
            int word = close && nl > 0;
            for (size_t k = 0; word && k < nl; k++)
                if (!isupper((unsigned char)at[1 + k]) && at[1 + k] != '_')
                    word = 0;
            if (word) {
                for (int k = 0; k < PH_COUNT; k++)
                    if (strlen(ph_names[k]) == nl && !strncmp(at + 1, ph_names[k], nl))
                        ph = k;
                if (ph < 0) {
                    hn_mta_why(why, whylen, "unknown placeholder @%.*s@", (int)nl, at + 1);
                    free(b.p);
                    return HN_MTA_SYNTAX;
                }
                if (buf_add_quoted(&b, ph_value(v, ph), regex_quote))
                    goto nomem;
                p = close + 1;
            } else {
                if (buf_add(&b, "@", 1))
                    goto nomem;
                p = at + 1;
            }
        }
        line += len;
    }
    *out = b.p;
    return HN_MTA_OK;
nomem:
    free(b.p);
    hn_mta_why(why, whylen, "out of memory");
    return HN_MTA_NOMEM;
}

/* ---- parser ---- */

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*s))
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int safe_name(const char *s)
{
    if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("+._-", *s))
            return 0;
    return 1;
}

/* An absolute path made of safe components (it goes into the mount script unquoted). */
static int plain_abs_path(const char *p)
{
    if (p[0] != '/' || strlen(p) > 200)
        return 0;
    char tmp[256];
    strcpy(tmp, p + 1);
    for (char *save = NULL, *c = strtok_r(tmp, "/", &save); c; c = strtok_r(NULL, "/", &save))
        if (!safe_name(c))
            return 0;
    return 1;
}

/* "etc/REL" or "work/REL", REL made of safe components. */
static int safe_file_path(const char *p)
{
    const char *rel;
    if (!strncmp(p, "etc/", 4))
        rel = p + 4;
    else if (!strncmp(p, "work/", 5))
        rel = p + 5;
    else
        return 0;
    char tmp[512];
    if (strlen(rel) >= sizeof tmp || !*rel)
        return 0;
    strcpy(tmp, rel);
    for (char *save = NULL, *c = strtok_r(tmp, "/", &save); c; c = strtok_r(NULL, "/", &save))
        if (!safe_name(c))
            return 0;
    return rel[strlen(rel) - 1] != '/';
}

/* Checks a template expands with dummy values; recipient_ok: @RECIPIENT@ allowed. */
static enum hn_mta_status check_template(const char *tmpl, int recipient_ok, int regex,
                                         const char *file, int line, char *why, size_t whylen)
{
    struct hn_mta_vars v = {"/w", "ns", "/e", "h", "127.0.0.1", "127.0.0.1", "53", "fwd.test",
                            "25", "192.0.2.2", NULL, NULL};
    char *out = NULL, w[200];
    if (!recipient_ok && (strstr(tmpl, "@RECIPIENT@") || strstr(tmpl, "@DOMAIN@"))) {
        hn_mta_why(why, whylen, "%s:%d: @RECIPIENT@ and @DOMAIN@ are only known in inject and outcome",
                file, line);
        return HN_MTA_SYNTAX;
    }
    v.recipient = "r1@a.test";
    v.domain = "a.test";
    enum hn_mta_status st = hn_mta_expand(tmpl, &v, regex, &out, w, sizeof w);
    if (st == HN_MTA_SYNTAX)
        hn_mta_why(why, whylen, "%s:%d: %s", file, line, w);
    else if (st)
        hn_mta_why(why, whylen, "%s", w);
    if (!st && regex) {
        regex_t re;
        int rc = regcomp(&re, out, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            regerror(rc, &re, w, sizeof w);
            hn_mta_why(why, whylen, "%s:%d: bad regular expression: %s", file, line, w);
            st = HN_MTA_SYNTAX;
        } else {
            regfree(&re);
        }
    }
    free(out);
    return st;
}

/* The parser's state while it walks a file: the description being built, where it is (for
 * FILE:LINE), and the file block it is inside, if any. */
struct parser {
    struct hn_mta_desc *d;
    const char *filename;
    int lineno;
    char *why;
    size_t whylen;
    int seen_forward, seen_relay;
    struct hn_mta_file *cur; /* inside a file block */
    struct buf body;
};

static enum hn_mta_status perr(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static enum hn_mta_status perr(struct parser *ps, const char *fmt, ...)
{
    char m[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    hn_mta_why(ps->why, ps->whylen, "%s:%d: %s", ps->filename, ps->lineno, m);
    return HN_MTA_SYNTAX;
}

static enum hn_mta_status ptemplate(struct parser *ps, const char *tmpl, int recipient_ok, int regex)
{
    return check_template(tmpl, recipient_ok, regex, ps->filename, ps->lineno, ps->why, ps->whylen);
}

static int dup_once(char **field, const char *val)
{
    free(*field);
    *field = strdup(val);
    return *field ? 0 : -1;
}

/* yes|no directives given at most once. */
static enum hn_mta_status parse_yes_no(struct parser *ps, const char *kw, const char *arg,
                                       int *seen, int *out)
{
    if ((*seen)++)
        return perr(ps, "%s given twice", kw);
    if (!strcmp(arg, "yes"))
        *out = 1;
    else if (strcmp(arg, "no") != 0)
        return perr(ps, "%s must be yes or no, not \"%s\"", kw, arg);
    return HN_MTA_OK;
}

/* A command directive (check, setup, start, daemon, ..., root-build). */
static enum hn_mta_status parse_cmd(struct parser *ps, int cmd, const char *kw, const char *arg)
{
    if (!*arg)
        return perr(ps, "%s needs a command", kw);
    enum hn_mta_status st = ptemplate(ps, arg, cmd == HN_MTA_CMD_INJECT, 0);
    if (st)
        return st;
    if (cmd == HN_MTA_CMD_INJECT && ps->d->cmds[cmd].n)
        return perr(ps, "inject given twice");
    return strv_add(&ps->d->cmds[cmd], arg, ps->lineno) ? HN_MTA_NOMEM : HN_MTA_OK;
}

/* name, description, caches, log: text given once. */
static enum hn_mta_status parse_text(struct parser *ps, const char *kw, const char *arg)
{
    struct hn_mta_desc *d = ps->d;
    char **f = !strcmp(kw, "name") ? &d->name
             : !strcmp(kw, "description") ? &d->description
             : !strcmp(kw, "caches") ? &d->caches : &d->log;
    if (*f)
        return perr(ps, "%s given twice", kw);
    if (f == &d->name && !safe_name(arg))
        return perr(ps, "name must be letters, digits, '+', '.', '_' or '-': \"%s\"", arg);
    if (!*arg)
        return perr(ps, "%s needs %s", kw, f == &d->log ? "a path" : "text");
    if (f == &d->log) {
        enum hn_mta_status st = ptemplate(ps, arg, 0, 0);
        if (st)
            return st;
    }
    return dup_once(f, arg) ? HN_MTA_NOMEM : HN_MTA_OK;
}

/* Numbers with a range: ports and timeouts. Returns 1 when kw is not one of them. */
static int parse_number(struct parser *ps, const char *kw, const char *arg, enum hn_mta_status *st)
{
    static const struct {
        const char *kw, *what;
        unsigned lo, hi;
        size_t off;
    } nums[] = {
        {"fixture-port", "", 1, 65535, offsetof(struct hn_mta_desc, fixture_port)},
        {"resolver-timeout", " seconds", 1, 60, offsetof(struct hn_mta_desc, resolver_timeout)},
        {"deliver-timeout", " seconds", 1, 600, offsetof(struct hn_mta_desc, deliver_timeout)},
        {"start-timeout", " seconds", 1, 600, offsetof(struct hn_mta_desc, start_timeout)},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        if (strcmp(kw, nums[i].kw) != 0)
            continue;
        unsigned *v = (unsigned *)((char *)ps->d + nums[i].off);
        *st = parse_uint(arg, nums[i].lo, nums[i].hi, v)
                  ? perr(ps, "%s must be %u..%u%s, not \"%s\"", kw, nums[i].lo, nums[i].hi,
                         nums[i].what, arg)
                  : HN_MTA_OK;
        return 0;
    }
    return 1;
}

/* root, root-package, private, copy-etc: where the MTA's files live. Returns 1 when kw is
 * not one of them. */
static int parse_place(struct parser *ps, const char *kw, char *arg, enum hn_mta_status *st)
{
    struct hn_mta_desc *d = ps->d;
    *st = HN_MTA_OK;
    if (!strcmp(kw, "root")) {
        if (d->root)
            *st = perr(ps, "root given twice");
        else if (!plain_abs_path(arg) || !strcmp(arg, "/"))
            *st = perr(ps, "root must be an absolute path (letters, digits, '/', '+', '.', '_', "
                       "'-'), not \"%s\"", arg);
        else if (dup_once(&d->root, arg))
            *st = HN_MTA_NOMEM;
    } else if (!strcmp(kw, "root-package")) {
        if (!*arg)
            *st = perr(ps, "root-package needs package names");
        for (char *sv = NULL, *pk = strtok_r(arg, " \t", &sv); pk && !*st;
             pk = strtok_r(NULL, " \t", &sv)) {
            if (!safe_name(pk) || !isalnum((unsigned char)pk[0]))
                *st = perr(ps, "root-package: \"%s\" is not a package name", pk);
            else if (strv_add(&d->root_packages, pk, ps->lineno))
                *st = HN_MTA_NOMEM;
        }
    } else if (!strcmp(kw, "private")) {
        if (!plain_abs_path(arg) || !strcmp(arg, "/"))
            *st = perr(ps, "private needs an absolute directory path (letters, digits, '/', '+', "
                       "'.', '_', '-'; no '..'), not \"%s\"", arg);
        else if (strv_add(&d->privs, arg, ps->lineno))
            *st = HN_MTA_NOMEM;
    } else if (!strcmp(kw, "copy-etc")) {
        if (!safe_name(arg))
            *st = perr(ps, "copy-etc needs a directory name under /etc, not \"%s\"", arg);
        else if (strv_add(&d->copy_etc, arg, ps->lineno))
            *st = HN_MTA_NOMEM;
    } else {
        return 1;
    }
    return 0;
}

/* Grows an array of n elements of size sz to hold one more. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 4;
    void *p = realloc(*arr, c * sz);
    if (!p)
        return -1;
    *arr = p;
    *cap = c;
    return 0;
}

/* outcome STATUS REGEX */
static enum hn_mta_status parse_outcome(struct parser *ps, char *arg)
{
    struct hn_mta_desc *d = ps->d;
    char *re = arg;
    while (*re && *re != ' ' && *re != '\t')
        re++;
    if (*re) {
        *re++ = '\0';
        while (*re == ' ' || *re == '\t')
            re++;
    }
    enum rc_status rs = RC_NOADDR;
    int unspecific = !strcmp(arg, "noroute");
    if (!unspecific &&
        (rc_status_from_str(arg, &rs) ||
         (rs != RC_NXDOMAIN && rs != RC_NULLMX && rs != RC_NOADDR && rs != RC_RETRY)))
        return perr(ps, "outcome status must be nxdomain, nullmx, noaddr, noroute or retry, "
                    "not \"%s\"", arg);
    if (!*re)
        return perr(ps, "outcome needs a regular expression");
    enum hn_mta_status st = ptemplate(ps, re, 1, 1);
    if (st)
        return st;
    if (grow((void **)&d->outcomes, &d->ocap, d->noutcomes, sizeof *d->outcomes))
        return HN_MTA_NOMEM;
    struct hn_mta_outcome *o = &d->outcomes[d->noutcomes];
    o->status = rs;
    o->unspecific = unspecific;
    o->line = ps->lineno;
    if (!(o->regex = strdup(re)))
        return HN_MTA_NOMEM;
    d->noutcomes++;
    return HN_MTA_OK;
}

/* file PATH: opens a file block. */
static enum hn_mta_status parse_file_start(struct parser *ps, const char *arg)
{
    struct hn_mta_desc *d = ps->d;
    if (!safe_file_path(arg))
        return perr(ps, "file path must be etc/REL or work/REL without '..': \"%s\"", arg);
    if (grow((void **)&d->files, &d->fcap, d->nfiles, sizeof *d->files))
        return HN_MTA_NOMEM;
    ps->cur = &d->files[d->nfiles];
    memset(ps->cur, 0, sizeof *ps->cur);
    ps->cur->line = ps->lineno;
    if (!(ps->cur->path = strdup(arg)))
        return HN_MTA_NOMEM;
    d->nfiles++;
    return HN_MTA_OK;
}

/* A line inside a file block: content, or the "end" that closes it. */
static enum hn_mta_status parse_file_line(struct parser *ps, const char *line, size_t ll)
{
    if (strcmp(line, "end") != 0)
        return buf_add(&ps->body, line, ll) || buf_add(&ps->body, "\n", 1) ? HN_MTA_NOMEM
                                                                           : HN_MTA_OK;
    if (buf_add(&ps->body, "", 0))
        return HN_MTA_NOMEM;
    ps->cur->text = ps->body.p;
    ps->body = (struct buf){0};
    enum hn_mta_status st = check_template(ps->cur->text, 0, 0, ps->filename, ps->cur->line,
                                           ps->why, ps->whylen);
    ps->cur = NULL;
    return st;
}

/* One directive line (leading blanks already skipped): keyword, blanks, argument. */
static enum hn_mta_status parse_directive(struct parser *ps, char *line)
{
    char *kw = line, *arg = line;
    while (*arg && *arg != ' ' && *arg != '\t')
        arg++;
    if (*arg) {
        *arg++ = '\0';
        while (*arg == ' ' || *arg == '\t')
            arg++;
    }
    char *e = arg + strlen(arg);
    while (e > arg && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    enum hn_mta_status st = HN_MTA_OK;
    for (int k = 0; k < HN_MTA_CMD_COUNT; k++)
        if (!strcmp(kw, cmd_names[k]))
            return parse_cmd(ps, k, kw, arg);
    if (!strcmp(kw, "name") || !strcmp(kw, "description") || !strcmp(kw, "caches") ||
        !strcmp(kw, "log"))
        return parse_text(ps, kw, arg);
    if (!strcmp(kw, "forward"))
        return parse_yes_no(ps, kw, arg, &ps->seen_forward, &ps->d->forward);
    if (!strcmp(kw, "relay-only"))
        return parse_yes_no(ps, kw, arg, &ps->seen_relay, &ps->d->relay_only);
    if (!parse_number(ps, kw, arg, &st) || !parse_place(ps, kw, arg, &st))
        return st;
    if (!strcmp(kw, "outcome"))
        return parse_outcome(ps, arg);
    if (!strcmp(kw, "file"))
        return parse_file_start(ps, arg);
    if (!strcmp(kw, "keepalive"))
        return perr(ps, "keepalive was removed: mxttl never used it (a reused SMTP session "
                    "shows in the steady-stream scenario's verdicts); delete the line");
    if (!strcmp(kw, "end"))
        return perr(ps, "end without file");
    return perr(ps, "unknown directive \"%s\"", kw);
}

/* One line of the file (NUL-terminated, its newline removed). */
static enum hn_mta_status parse_line(struct parser *ps, char *line)
{
    size_t ll = strlen(line);
    if (ll && line[ll - 1] == '\r')
        line[--ll] = '\0';
    for (size_t k = 0; k < ll; k++)
        if ((unsigned char)line[k] < 0x20 && line[k] != '\t')
            return perr(ps, "control character in line");
    if (ps->cur)
        return parse_file_line(ps, line, ll);
    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line || *line == '#')
        return HN_MTA_OK;
    return parse_directive(ps, line);
}

/* After the last line: required directives and the ones that depend on each other. */
static enum hn_mta_status parse_finish(struct parser *ps)
{
    const struct hn_mta_desc *d = ps->d;
    if (ps->cur) {
        ps->lineno = ps->cur->line;
        return perr(ps, "file block not closed by \"end\"");
    }
    const char *missing = !d->name ? "name"
                        : !d->description ? "description"
                        : !d->cmds[HN_MTA_CMD_CHECK].n ? "check"
                        : !d->cmds[HN_MTA_CMD_START].n && !d->cmds[HN_MTA_CMD_DAEMON].n
                              ? "start (or daemon)"
                        : !d->cmds[HN_MTA_CMD_STOP].n ? "stop"
                        : !d->cmds[HN_MTA_CMD_INJECT].n ? "inject"
                        : !d->log ? "log" : NULL;
    if (missing)
        hn_mta_why(ps->why, ps->whylen, "%s: missing directive \"%s\"", ps->filename, missing);
    else if (d->relay_only && !d->forward)
        hn_mta_why(ps->why, ps->whylen, "%s: relay-only yes needs forward yes (the relay host "
                   "is the scenario's forward host)", ps->filename);
    else if (d->resolver_timeout && d->deliver_timeout < 3 * d->resolver_timeout)
        hn_mta_why(ps->why, ps->whylen, "%s: deliver-timeout (%u s) must be at least 3 times "
                   "resolver-timeout (%u s): an unanswered query is retried", ps->filename,
                   d->deliver_timeout, d->resolver_timeout);
    else
        return HN_MTA_OK;
    return HN_MTA_SYNTAX;
}

enum hn_mta_status hn_mta_desc_parse(struct hn_mta_desc **out, const char *text, size_t len,
                                     const char *filename, char *why, size_t whylen)
{
    struct parser ps = {.filename = filename, .why = why, .whylen = whylen};
    enum hn_mta_status st = HN_MTA_NOMEM;
    char *copy = NULL;
    *out = NULL;
    if (!(ps.d = calloc(1, sizeof *ps.d)) || !(copy = malloc(len + 1)) ||
        !(ps.d->path = strdup(filename)))
        goto done;
    memcpy(copy, text, len);
    copy[len] = '\0';
    ps.d->fixture_port = 53;
    ps.d->deliver_timeout = 15;
    ps.d->start_timeout = 30;
    st = HN_MTA_OK;
    if (memchr(text, '\0', len)) {
        ps.lineno = 1;
        st = perr(&ps, "NUL byte in file");
    }
    for (char *p = copy; !st && p && *p;) {
        char *line = p;
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        p = nl ? nl + 1 : NULL;
        ps.lineno++;
        st = parse_line(&ps, line);
    }
    if (!st)
        st = parse_finish(&ps);
done:
    free(copy);
    free(ps.body.p);
    if (st == HN_MTA_NOMEM)
        hn_mta_why(why, whylen, "out of memory");
    if (st) {
        hn_mta_desc_free(ps.d);
        return st;
    }
    *out = ps.d;
    return HN_MTA_OK;
}

enum hn_mta_status hn_mta_desc_load(struct hn_mta_desc **out, const char *path, char *why,
                                    size_t whylen)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        hn_mta_why(why, whylen, "%s: %s", path, strerror(errno));
        return HN_MTA_IO;
    }
    struct buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_add(&b, chunk, n)) {
            fclose(f);
            free(b.p);
            hn_mta_why(why, whylen, "out of memory");
            return HN_MTA_NOMEM;
        }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(b.p);
        hn_mta_why(why, whylen, "%s: read error", path);
        return HN_MTA_IO;
    }
    enum hn_mta_status st = hn_mta_desc_parse(out, b.p ? b.p : "", b.n, path, why, whylen);
    free(b.p);
    return st;
}

const char *hn_mta_desc_name(const struct hn_mta_desc *d) { return d->name; }
const char *hn_mta_desc_description(const struct hn_mta_desc *d) { return d->description; }
const char *hn_mta_desc_path(const struct hn_mta_desc *d) { return d->path; }
const char *hn_mta_desc_caches(const struct hn_mta_desc *d) { return d->caches; }
size_t hn_mta_desc_cmd_count(const struct hn_mta_desc *d, enum hn_mta_cmd c)
{
    return (unsigned)c < HN_MTA_CMD_COUNT ? d->cmds[c].n : 0;
}
const char *hn_mta_desc_cmd(const struct hn_mta_desc *d, enum hn_mta_cmd c, size_t i)
{
    return (unsigned)c < HN_MTA_CMD_COUNT && i < d->cmds[c].n ? d->cmds[c].v[i] : NULL;
}
size_t hn_mta_desc_file_count(const struct hn_mta_desc *d) { return d->nfiles; }
const struct hn_mta_file *hn_mta_desc_file(const struct hn_mta_desc *d, size_t i)
{
    return i < d->nfiles ? &d->files[i] : NULL;
}
size_t hn_mta_desc_copy_etc_count(const struct hn_mta_desc *d) { return d->copy_etc.n; }
const char *hn_mta_desc_copy_etc(const struct hn_mta_desc *d, size_t i)
{
    return i < d->copy_etc.n ? d->copy_etc.v[i] : NULL;
}
size_t hn_mta_desc_outcome_count(const struct hn_mta_desc *d) { return d->noutcomes; }
const struct hn_mta_outcome *hn_mta_desc_outcome(const struct hn_mta_desc *d, size_t i)
{
    return i < d->noutcomes ? &d->outcomes[i] : NULL;
}
const char *hn_mta_desc_log(const struct hn_mta_desc *d) { return d->log; }
int hn_mta_desc_forward(const struct hn_mta_desc *d) { return d->forward; }
unsigned hn_mta_desc_fixture_port(const struct hn_mta_desc *d) { return d->fixture_port; }
unsigned hn_mta_desc_resolver_timeout(const struct hn_mta_desc *d)
{
    return d->resolver_timeout;
}
const char *hn_mta_desc_root(const struct hn_mta_desc *d) { return d->root; }
size_t hn_mta_desc_root_package_count(const struct hn_mta_desc *d) { return d->root_packages.n; }
const char *hn_mta_desc_root_package(const struct hn_mta_desc *d, size_t i)
{
    return i < d->root_packages.n ? d->root_packages.v[i] : NULL;
}
size_t hn_mta_desc_private_count(const struct hn_mta_desc *d) { return d->privs.n; }
const char *hn_mta_desc_private(const struct hn_mta_desc *d, size_t i)
{
    return i < d->privs.n ? d->privs.v[i] : NULL;
}
int hn_mta_desc_relay_only(const struct hn_mta_desc *d) { return d->relay_only; }
unsigned hn_mta_desc_deliver_timeout(const struct hn_mta_desc *d) { return d->deliver_timeout; }
unsigned hn_mta_desc_start_timeout(const struct hn_mta_desc *d) { return d->start_timeout; }
