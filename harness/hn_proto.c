/*
 * hn_proto: the driver protocol's grammar (harness/PROTOCOL.md) in one place. Lines are split
 * on single spaces; numbers are decimal without sign; every keyword is upper case.
 */
#include "hn_proto.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_name.h"
#include "rc_reply.h"
#include "rc_route.h"
#include "rc_status.h"

/* Parses a decimal unsigned number that fills the token. 0 ok, -1 not a number. */
static int num(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return 0;
    return 1;
}

/* Copies line into buf (HN_PROTO_REQ_MAX octets) for tokenising. 0 ok; -1 with *why naming
 * `what` if it is too long or (when need_printable) not printable ASCII. */
static int copy_line(const char *line, char *buf, int need_printable, const char *what,
                     char *why, size_t whylen)
{
    if (strlen(line) >= HN_PROTO_REQ_MAX || (need_printable && !printable(line))) {
        snprintf(why, whylen, "%s", what);
        return -1;
    }
    snprintf(buf, HN_PROTO_REQ_MAX, "%s", line);
    return 0;
}

int hn_proto_parse_greeting(const char *line, struct st_caps *caps, char *why, size_t whylen)
{
    memset(caps, 0, sizeof *caps);
    char buf[HN_PROTO_REQ_MAX];
    if (copy_line(line, buf, 1, "greeting is not one line of printable ASCII", why, whylen) != 0)
        return -1;
    char *save = NULL;
    char *tok = strtok_r(buf, " ", &save);
    if (!tok || strcmp(tok, "MXTTL-DRIVER") != 0) {
        snprintf(why, whylen, "expected a greeting \"MXTTL-DRIVER 1 ...\"");
        return -1;
    }
    tok = strtok_r(NULL, " ", &save);
    unsigned long long v;
    if (!tok || num(tok, 1000000, &v) != 0) {
        snprintf(why, whylen, "greeting without a protocol version");
        return -1;
    }
    if (v != HN_PROTO_VERSION) {
        snprintf(why, whylen, "protocol version %llu not supported (this harness speaks %d)", v,
                 HN_PROTO_VERSION);
        return -1;
    }
    caps->route_visible = 1;
    caps->noroute_visible = 1;
    while ((tok = strtok_r(NULL, " ", &save))) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            snprintf(why, whylen, "greeting item \"%s\" is not key=value", tok);
            return -1;
        }
        *eq = '\0';
        const char *k = tok, *val = eq + 1;
        int yes = strcmp(val, "yes") == 0, no = strcmp(val, "no") == 0;
        if (strcmp(k, "time") == 0) {
            char tb[64];
            snprintf(tb, sizeof tb, "%s", val);
            char *s2 = NULL;
            for (char *m = strtok_r(tb, ",", &s2); m; m = strtok_r(NULL, ",", &s2)) {
                if (strcmp(m, "virtual") == 0)
                    caps->virtual_time = 1;
                else if (strcmp(m, "real") == 0)
                    caps->real_time = 1;
                else {
                    snprintf(why, whylen, "greeting time=%s: want virtual, real or both", val);
                    return -1;
                }
            }
        } else if (strcmp(k, "routes") == 0 && strcmp(val, "addr") == 0) {
            caps->route_visible = 1;   /* only the address it used, as an MTA shows it */
            caps->route_addr_only = 1;
        } else if (strcmp(k, "forward") == 0 || strcmp(k, "routes") == 0 ||
                   strcmp(k, "noroute") == 0) {
            if (!yes && !no) {
                snprintf(why, whylen, "greeting %s=%s: want yes or no%s", k, val,
                     k[0] == 'r' ? " (or addr)" : "");
                return -1;
            }
            if (k[0] == 'f')
                caps->forward_host = yes;
            else if (k[0] == 'r') {
                caps->route_visible = yes;
                caps->route_addr_only = 0;
            }
            else
                caps->noroute_visible = yes;
        } else if (strcmp(k, "capacity") == 0) {
            if (num(val, 100000000, &v) != 0) {
                snprintf(why, whylen, "greeting capacity=%s: want a number", val);
                return -1;
            }
            caps->capacity = (size_t)v;
        } else if (strcmp(k, "mode") == 0) {
            if (strcmp(val, "legacy") != 0 && strcmp(val, "ttl") != 0 &&
                strcmp(val, "none") != 0) {
                snprintf(why, whylen, "greeting mode=%s: want legacy, ttl or none", val);
                return -1;
            }
            snprintf(caps->mode_hint, sizeof caps->mode_hint, "%s",
                     strcmp(val, "none") != 0 ? val : "");
        }
        /* other keys: ignored, for later versions */
    }
    if (!caps->virtual_time && !caps->real_time) {
        snprintf(why, whylen, "greeting lacks time=virtual|real");
        return -1;
    }
    return 0;
}

void hn_proto_format_greeting(const struct st_caps *caps, char *buf, size_t buflen)
{
    snprintf(buf, buflen, "MXTTL-DRIVER %d time=%s%s%s forward=%s capacity=%zu mode=%s "
                          "routes=%s noroute=%s",
             HN_PROTO_VERSION, caps->virtual_time ? "virtual" : "",
             caps->virtual_time && caps->real_time ? "," : "", caps->real_time ? "real" : "",
             caps->forward_host ? "yes" : "no", caps->capacity,
             caps->mode_hint[0] ? caps->mode_hint : "none",
             caps->route_addr_only ? "addr" : caps->route_visible ? "yes" : "no",
             caps->noroute_visible ? "yes" : "no");
}

int hn_proto_parse_request(const char *line, struct hn_request *req, char *why, size_t whylen)
{
    memset(req, 0, sizeof *req);
    char buf[HN_PROTO_REQ_MAX];
    if (copy_line(line, buf, 1, "request is not one line of printable ASCII", why, whylen) != 0)
        return -1;
    char *save = NULL;
    char *kw = strtok_r(buf, " ", &save);
    char *idt = kw ? strtok_r(NULL, " ", &save) : NULL;
    unsigned long long v;
    if (!kw || !idt || num(idt, 0xffffffffUL, &v) != 0) {
        snprintf(why, whylen, "expected KEYWORD ID ...");
        return -1;
    }
    req->id = (unsigned long)v;
    char *arg = strtok_r(NULL, " ", &save);
    if (strcmp(kw, "CONFIG") == 0) {
        req->kind = HN_REQ_CONFIG;
        int have_dns = 0, have_port = 0, have_time = 0;
        for (; arg; arg = strtok_r(NULL, " ", &save)) {
            char *eq = strchr(arg, '=');
            if (!eq) {
                snprintf(why, whylen, "CONFIG item \"%s\" is not key=value", arg);
                return -1;
            }
            *eq = '\0';
            const char *val = eq + 1;
            if ((strcmp(arg, "dns") == 0 && strlen(val) >= sizeof req->dns) ||
                (strcmp(arg, "forward") == 0 && strlen(val) >= sizeof req->forward) ||
                (strcmp(arg, "scenario") == 0 && strlen(val) >= sizeof req->scenario)) {
                snprintf(why, whylen, "CONFIG %s= of %zu octets is too long", arg, strlen(val));
                return -1; /* never cut short: a truncated name would be another name */
            }
            if (strcmp(arg, "dns") == 0) {
                snprintf(req->dns, sizeof req->dns, "%s", val);
                have_dns = 1;
            } else if (strcmp(arg, "port") == 0) {
                if (num(val, 65535, &v) != 0 || v == 0) {
                    snprintf(why, whylen, "CONFIG port=%s: want 1..65535", val);
                    return -1;
                }
                req->port = (uint16_t)v;
                have_port = 1;
            } else if (strcmp(arg, "time") == 0) {
                if (strcmp(val, "virtual") != 0 && strcmp(val, "real") != 0) {
                    snprintf(why, whylen, "CONFIG time=%s: want virtual or real", val);
                    return -1;
                }
                req->virtual_time = strcmp(val, "virtual") == 0;
                have_time = 1;
            } else if (strcmp(arg, "capacity") == 0) {
                if (num(val, 100000000, &v) != 0) {
                    snprintf(why, whylen, "CONFIG capacity=%s: want a number", val);
                    return -1;
                }
                req->capacity = (size_t)v;
            } else if (strcmp(arg, "forward") == 0) {
                snprintf(req->forward, sizeof req->forward, "%s", val);
            } else if (strcmp(arg, "scenario") == 0) {
                snprintf(req->scenario, sizeof req->scenario, "%s", val);
            }
        }
        if (!have_dns || !have_port || !have_time) {
            snprintf(why, whylen, "CONFIG needs dns=, port= and time=");
            return -1;
        }
        return 0;
    }
    if (strcmp(kw, "TIME") == 0) {
        req->kind = HN_REQ_TIME;
        if (!arg || num(arg, UINT64_MAX / 2, &v) != 0) {
            snprintf(why, whylen, "TIME needs milliseconds");
            return -1;
        }
        req->t_ms = v;
        arg = strtok_r(NULL, " ", &save);
    } else if (strcmp(kw, "LOOKUP") == 0) {
        req->kind = HN_REQ_LOOKUP;
        if (!arg || strlen(arg) >= sizeof req->domain) {
            snprintf(why, whylen, "LOOKUP needs a domain");
            return -1;
        }
        snprintf(req->domain, sizeof req->domain, "%s", arg);
        arg = strtok_r(NULL, " ", &save);
    } else if (strcmp(kw, "FORWARD") == 0) {
        req->kind = HN_REQ_FORWARD;
    } else if (strcmp(kw, "QUIT") == 0) {
        req->kind = HN_REQ_QUIT;
    } else {
        snprintf(why, whylen, "unknown request \"%s\"", kw);
        return -1;
    }
    if (arg) {
        snprintf(why, whylen, "%s: unexpected \"%s\"", kw, arg);
        return -1;
    }
    return 0;
}

static void flatten(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            *s = ' ';
}

char *hn_proto_format_answer(unsigned long id, enum rc_reply_kind kind,
                             const struct rc_route *route, const char *reason)
{
    char why[256];
    snprintf(why, sizeof why, "%s", reason ? reason : "");
    flatten(why);
    char first[400], *out = NULL;
    if (kind == RC_REPLY_ROUTE && route != NULL) {
        size_t n = rc_route_format(route, NULL, 0);
        int h = snprintf(first, sizeof first, "ROUTE %lu %u ", id, rc_route_ttl(route));
        out = malloc((size_t)h + n + 1);
        if (out != NULL) {
            memcpy(out, first, (size_t)h);
            rc_route_format(route, out + h, n + 1);
        }
        return out;
    }
    if (rc_reply_is_noroute(kind))
        snprintf(first, sizeof first, "NOROUTE %lu %s%s%s", id, rc_reply_str(kind),
                 why[0] ? " " : "", why);
    else
        snprintf(first, sizeof first, "TEMPFAIL %lu%s%s", id, why[0] ? " " : "", why);
    return strdup(first);
}

/* Splits "KW ID rest": returns 0 with kw/rest set, -1 with why. Checks the id. */
static int head(char *buf, unsigned long id, char **kw, char **rest, char *why, size_t whylen)
{
    if (!printable(buf)) {
        snprintf(why, whylen, "reply is not printable ASCII");
        return -1;
    }
    char *sp = strchr(buf, ' ');
    if (!sp) {
        snprintf(why, whylen, "reply without an id");
        return -1;
    }
    *sp = '\0';
    *kw = buf;
    char *idt = sp + 1;
    char *sp2 = strchr(idt, ' ');
    *rest = sp2 ? sp2 + 1 : idt + strlen(idt);
    if (sp2)
        *sp2 = '\0';
    unsigned long long v;
    if (num(idt, 0xffffffffUL, &v) != 0) {
        snprintf(why, whylen, "reply id \"%s\" is not a number", idt);
        return -1;
    }
    if (v != id) {
        snprintf(why, whylen, "reply to request %llu while request %lu is pending (out of order)",
                 v, id);
        return -1;
    }
    return 0;
}

/* ROUTE's "TTL ROUTE" after the id: the route read by the model's one parser. */
static int parse_route(char *rest, struct st_answer *ans, char *why, size_t whylen)
{
    char *sp = strchr(rest, ' ');
    unsigned long long ttl;
    if (!sp) {
        snprintf(why, whylen, "ROUTE needs a TTL and a route");
        return -1;
    }
    *sp = '\0';
    if (num(rest, 0xffffffffUL, &ttl) != 0) {
        snprintf(why, whylen, "ROUTE TTL \"%s\" is not a number", rest);
        return -1;
    }
    char w[256];
    enum rc_status st = rc_route_parse(sp + 1, "", (uint32_t)ttl, &ans->route, w, sizeof w);
    if (st != RC_OK) {
        snprintf(why, whylen, "ROUTE %s", st == RC_NOMEM ? "out of memory" : w);
        return -1;
    }
    ans->kind = RC_REPLY_ROUTE;
    return 0;
}

int hn_proto_parse_answer(const char *line, unsigned long id, struct st_answer *ans, char *why,
                          size_t whylen)
{
    memset(ans, 0, sizeof *ans);
    if (strlen(line) >= HN_PROTO_LINE_MAX) {
        snprintf(why, whylen, "reply over %zu octets", HN_PROTO_LINE_MAX);
        return -1;
    }
    char *buf = strdup(line);
    if (buf == NULL) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    char *kw, *rest;
    int rc = -1;
    if (head(buf, id, &kw, &rest, why, whylen) != 0) {
        rc = -1;
    } else if (strcmp(kw, "ROUTE") == 0) {
        rc = parse_route(rest, ans, why, whylen);
    } else if (strcmp(kw, "NOROUTE") == 0) {
        char *sp = strchr(rest, ' ');
        if (sp)
            *sp = '\0';
        enum rc_reply_kind k;
        if (rc_reply_from_str(rest, &k) != 0 || !rc_reply_is_noroute(k)) {
            snprintf(why, whylen, "NOROUTE reason \"%s\": want nxdomain, nullmx or noaddr", rest);
        } else {
            ans->kind = k;
            snprintf(ans->why, sizeof ans->why, "%s", sp ? sp + 1 : "");
            rc = 0;
        }
    } else if (strcmp(kw, "TEMPFAIL") == 0) {
        ans->kind = RC_REPLY_TEMPFAIL;
        snprintf(ans->why, sizeof ans->why, "%s", rest);
        rc = 0;
    } else if (strcmp(kw, "ERROR") == 0) {
        snprintf(why, whylen, "driver error: %s", rest);
        rc = 1;
    } else {
        snprintf(why, whylen, "unknown reply \"%.40s\"", kw);
    }
    free(buf);
    return rc;
}

int hn_proto_parse_ok(const char *line, unsigned long id, size_t *capacity, char *why,
                      size_t whylen)
{
    char buf[HN_PROTO_REQ_MAX];
    if (copy_line(line, buf, 0, "reply over 4096 octets (only ROUTE may be longer)", why, whylen) != 0)
        return -1;
    char *kw, *rest;
    if (head(buf, id, &kw, &rest, why, whylen) != 0)
        return -1;
    if (strcmp(kw, "ERROR") == 0) {
        snprintf(why, whylen, "driver error: %s", rest);
        return 1;
    }
    if (strcmp(kw, "OK") != 0) {
        snprintf(why, whylen, "expected OK, got \"%.40s\"", kw);
        return -1;
    }
    char *save = NULL;
    for (char *t = strtok_r(rest, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        unsigned long long v;
        if (strncmp(t, "capacity=", 9) == 0) {
            if (num(t + 9, 100000000, &v) != 0) {
                snprintf(why, whylen, "OK capacity=%s: want a number", t + 9);
                return -1;
            }
            if (capacity)
                *capacity = (size_t)v;
        }
    }
    return 0;
}
