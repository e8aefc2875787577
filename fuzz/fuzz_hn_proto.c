/*
 * fuzz_hn_proto: libFuzzer target for the driver-protocol line parsers on the harness side
 * (harness/hn_proto.h): what a driver program -- any program a user points `--target driver:`
 * at -- writes to the harness.
 *
 * Input layout: one selector octet, then the line (up to the first NUL; the harness reads lines
 * without their LF). Selector bits 0-1: greeting, request, answer or OK reply; bits 2-7: the
 * request id the reply must carry. Each accepted line is formatted back and parsed again where
 * the protocol has a formatter (greeting, answer), and must give the same result: the two
 * sides of the protocol share this grammar, so it must be its own inverse.
 *
 * What must hold: no crash or sanitizer report; a documented return value; a reason with
 * every rejection; NUL-terminated strings in every struct filled; the round trips above.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hn_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

static void greeting(const char *line)
{
    struct st_caps caps, again;
    char why[256] = "", buf[HN_PROTO_REQ_MAX];
    int rc = hn_proto_parse_greeting(line, &caps, why, sizeof why);
    if (rc != 0) {
        if (rc != -1 || why[0] == '\0')
            abort();
        return;
    }
    if (!TERMINATED(caps.mode_hint) || (!caps.virtual_time && !caps.real_time))
        abort();
    hn_proto_format_greeting(&caps, buf, sizeof buf);
    /* member by member: the struct has padding, which memcmp would compare too */
    if (hn_proto_parse_greeting(buf, &again, why, sizeof why) != 0 ||
        caps.virtual_time != again.virtual_time || caps.real_time != again.real_time ||
        caps.forward_host != again.forward_host || caps.noroute_visible != again.noroute_visible ||
        caps.route_visible != again.route_visible ||
        caps.route_addr_only != again.route_addr_only || caps.relay_only != again.relay_only ||
        caps.capacity != again.capacity || strcmp(caps.mode_hint, again.mode_hint) != 0)
        abort();
}

static void request(const char *line)
{
    struct hn_request req;
    char why[256] = "";
    int rc = hn_proto_parse_request(line, &req, why, sizeof why);
    if (rc != 0) {
        if (rc != -1 || why[0] == '\0')
            abort();
        return;
    }
    if (!TERMINATED(req.dns) || !TERMINATED(req.forward) || !TERMINATED(req.scenario) ||
        !TERMINATED(req.domain) || (unsigned)req.kind > HN_REQ_QUIT)
        abort();
}

static void answer(const char *line, unsigned long id)
{
    struct st_answer ans, again;
    char why[256] = "";
    memset(&ans, 0, sizeof ans);
    int rc = hn_proto_parse_answer(line, id, &ans, why, sizeof why);
    if (rc != 0) {
        if ((rc != 1 && rc != -1) || (rc == -1 && why[0] == '\0') || !TERMINATED(why) ||
            ans.route != NULL)
            abort();
        return;
    }
    if (!TERMINATED(ans.why) || (unsigned)ans.kind >= RC_REPLY_COUNT ||
        (ans.kind == RC_REPLY_ROUTE) != (ans.route != NULL))
        abort();
    /* formatting and parsing again gives the same answer (the route text is canonical then) */
    char *buf = hn_proto_format_answer(id, ans.kind, ans.route, ans.why);
    if (buf == NULL)
        abort();
    memset(&again, 0, sizeof again);
    char *t1 = ans.route ? rc_route_text(ans.route) : NULL;
    char *t2 = NULL;
    if (hn_proto_parse_answer(buf, id, &again, why, sizeof why) != 0 || again.kind != ans.kind ||
        rc_route_ttl(again.route) != rc_route_ttl(ans.route) ||
        (ans.route && (!(t2 = rc_route_text(again.route)) || !t1 || strcmp(t1, t2) != 0)))
        abort();
    free(t1);
    free(t2);
    free(buf);
    st_answer_clear(&ans);
    st_answer_clear(&again);
}

static void ok_reply(const char *line, unsigned long id)
{
    size_t capacity = 0;
    char why[256] = "";
    int rc = hn_proto_parse_ok(line, id, &capacity, why, sizeof why);
    if (rc != 0 && rc != 1 && rc != -1)
        abort();
    if (rc == -1 && why[0] == '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *line = malloc(size);
    if (line == NULL)
        return 0;
    memcpy(line, data + 1, size - 1);
    line[size - 1] = '\0';
    unsigned long id = data[0] >> 2;
    switch (data[0] & 3) {
    case 0:
        greeting(line);
        break;
    case 1:
        request(line);
        break;
    case 2:
        answer(line, id);
        break;
    default:
        ok_reply(line, id);
        break;
    }
    free(line);
    return 0;
}
