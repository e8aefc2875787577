/*
 * fuzz_seed_rc_answer: writes the seed corpus of fuzz_rc_answer -- real DNS responses built
 * with ldns (never by hand), each prefixed with the selector octet that fuzz_rc_answer reads.
 * The corpus in fuzz/corpus/rc_answer/ was made with it; run it again after changing the list:
 *     fuzz_seed_rc_answer fuzz/corpus/rc_answer
 * Exit status: 0 on success, 1 if a record does not parse or a file cannot be written.
 */
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Selector octet: qtype index (0 MX, 1 A, 2 AAAA) | qname index << 2 (0 a.test,
 * 1 mx1.a.test, 2 B.Test., 3 x.y.test), as in fuzz_rc_answer.c. */
#define SEL(qt, qn) ((uint8_t)((qt) | ((qn) << 2)))

struct seed {
    const char *file;
    uint8_t sel;
    ldns_pkt_rcode rcode;
    int tc;
    size_t cut;                /* octets dropped from the end: a malformed response */
    const char *question;      /* "NAME CLASS TYPE" */
    const char *answer[6];     /* master-file RR lines, NULL-terminated */
    const char *authority[2];
    const char *additional[4];
};

static const struct seed seeds[] = {
    {"mx-two", SEL(0, 0), LDNS_RCODE_NOERROR, 0, 0, "a.test. IN MX",
     {"a.test. 300 IN MX 20 mx2.a.test.", "a.test. 300 IN MX 10 mx1.a.test.", NULL},
     {NULL},
     {"mx1.a.test. 60 IN A 127.0.0.10", "mx2.a.test. 60 IN A 127.0.0.11", NULL}},
    {"mx-two-cut", SEL(0, 0), LDNS_RCODE_NOERROR, 0, 30, "a.test. IN MX",
     {"a.test. 300 IN MX 20 mx2.a.test.", "a.test. 300 IN MX 10 mx1.a.test.", NULL},
     {NULL},
     {"mx1.a.test. 60 IN A 127.0.0.10", "mx2.a.test. 60 IN A 127.0.0.11", NULL}},
    {"mx-null", SEL(0, 0), LDNS_RCODE_NOERROR, 0, 0, "a.test. IN MX",
     {"a.test. 3600 IN MX 0 .", NULL}, {NULL}, {NULL}},
    {"mx-ttl0", SEL(0, 0), LDNS_RCODE_NOERROR, 0, 0, "a.test. IN MX",
     {"a.test. 0 IN MX 10 mx1.a.test.", NULL}, {NULL}, {NULL}},
    {"mx-ttl-huge", SEL(0, 0), LDNS_RCODE_NOERROR, 0, 0, "a.test. IN MX",
     {"a.test. 4294967295 IN MX 10 mx1.a.test.", "a.test. 2147483648 IN MX 20 mx2.a.test.",
      NULL},
     {NULL}, {NULL}},
    {"mx-cname", SEL(0, 3), LDNS_RCODE_NOERROR, 0, 0, "x.y.test. IN MX",
     {"x.y.test. 100 IN CNAME a.test.", "a.test. 200 IN MX 5 mx1.a.test.", NULL}, {NULL},
     {NULL}},
    {"mx-cname-loop", SEL(0, 3), LDNS_RCODE_NOERROR, 0, 0, "x.y.test. IN MX",
     {"x.y.test. 100 IN CNAME a.test.", "a.test. 100 IN CNAME x.y.test.", NULL}, {NULL},
     {NULL}},
    {"mx-case", SEL(0, 2), LDNS_RCODE_NOERROR, 0, 0, "b.TEST. IN MX",
     {"B.test. 30 IN MX 10 MX1.b.test.", NULL}, {NULL}, {NULL}},
    {"nxdomain", SEL(0, 0), LDNS_RCODE_NXDOMAIN, 0, 0, "a.test. IN MX", {NULL}, {NULL}, {NULL}},
    {"nxdomain-soa", SEL(0, 0), LDNS_RCODE_NXDOMAIN, 0, 0, "a.test. IN MX", {NULL},
     {"test. 60 IN SOA ns.test. host.test. 1 3600 600 86400 60", NULL}, {NULL}},
    {"nodata", SEL(0, 0), LDNS_RCODE_NOERROR, 0, 0, "a.test. IN MX", {NULL}, {NULL}, {NULL}},
    {"nodata-other-type", SEL(0, 0), LDNS_RCODE_NOERROR, 0, 0, "a.test. IN MX",
     {"a.test. 60 IN A 127.0.0.5", NULL}, {NULL}, {NULL}},
    {"servfail", SEL(0, 0), LDNS_RCODE_SERVFAIL, 0, 0, "a.test. IN MX", {NULL}, {NULL}, {NULL}},
    {"refused", SEL(1, 1), LDNS_RCODE_REFUSED, 0, 0, "mx1.a.test. IN A", {NULL}, {NULL}, {NULL}},
    {"truncated", SEL(0, 0), LDNS_RCODE_NOERROR, 1, 0, "a.test. IN MX", {NULL}, {NULL}, {NULL}},
    {"other-question", SEL(0, 0), LDNS_RCODE_NOERROR, 0, 0, "b.test. IN MX",
     {"b.test. 300 IN MX 10 mx1.b.test.", NULL}, {NULL}, {NULL}},
    {"a-two", SEL(1, 1), LDNS_RCODE_NOERROR, 0, 0, "mx1.a.test. IN A",
     {"mx1.a.test. 60 IN A 127.0.0.10", "mx1.a.test. 30 IN A 127.0.0.12", NULL}, {NULL},
     {NULL}},
    {"a-cname", SEL(1, 1), LDNS_RCODE_NOERROR, 0, 0, "mx1.a.test. IN A",
     {"mx1.a.test. 60 IN CNAME host.a.test.", "host.a.test. 60 IN A 127.0.0.13", NULL},
     {NULL}, {NULL}},
    {"aaaa", SEL(2, 1), LDNS_RCODE_NOERROR, 0, 0, "mx1.a.test. IN AAAA",
     {"mx1.a.test. 60 IN AAAA ::1", "mx1.a.test. 60 IN AAAA 2001:db8::25", NULL}, {NULL},
     {NULL}},
    {"a-for-aaaa", SEL(2, 1), LDNS_RCODE_NOERROR, 0, 0, "mx1.a.test. IN AAAA",
     {"mx1.a.test. 60 IN A 127.0.0.10", NULL}, {NULL}, {NULL}},
};

static int build(const struct seed *s, uint8_t **wire, size_t *len)
{
    ldns_pkt *p = ldns_pkt_new();
    ldns_rr *rr = NULL;
    int ok = p != NULL;
    if (ok) {
        ldns_pkt_set_id(p, 0x4d58);
        ldns_pkt_set_qr(p, true);
        ldns_pkt_set_aa(p, true);
        ldns_pkt_set_rd(p, true);
        ldns_pkt_set_ra(p, true);
        ldns_pkt_set_tc(p, s->tc != 0);
        ldns_pkt_set_rcode(p, (uint8_t)s->rcode);
        ok = ldns_rr_new_question_frm_str(&rr, s->question, NULL, NULL) == LDNS_STATUS_OK &&
             ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, rr);
    }
    const char *const *lists[3] = {s->answer, s->authority, s->additional};
    const ldns_pkt_section secs[3] = {LDNS_SECTION_ANSWER, LDNS_SECTION_AUTHORITY,
                                      LDNS_SECTION_ADDITIONAL};
    for (int k = 0; ok && k < 3; k++) {
        for (const char *const *line = lists[k]; ok && *line != NULL; line++) {
            rr = NULL;
            ok = ldns_rr_new_frm_str(&rr, *line, 0, NULL, NULL) == LDNS_STATUS_OK &&
                 ldns_pkt_push_rr(p, secs[k], rr);
            if (!ok)
                fprintf(stderr, "%s: cannot use record '%s'\n", s->file, *line);
        }
    }
    ok = ok && ldns_pkt2wire(wire, p, len) == LDNS_STATUS_OK;
    ldns_pkt_free(p);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 1;
    }
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        uint8_t *wire = NULL;
        size_t len = 0;
        if (build(&seeds[i], &wire, &len) != 0) {
            fprintf(stderr, "%s: cannot build the response\n", seeds[i].file);
            return 1;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], seeds[i].file);
        FILE *f = fopen(path, "wb");
        if (seeds[i].cut < len)
            len -= seeds[i].cut;
        int ok = f != NULL && fwrite(&seeds[i].sel, 1, 1, f) == 1 &&
                 fwrite(wire, 1, len, f) == len;
        if (f != NULL && fclose(f) != 0)
            ok = 0;
        free(wire);
        if (!ok) {
            fprintf(stderr, "%s: cannot write\n", path);
            return 1;
        }
    }
    printf("wrote %zu seeds to %s\n", sizeof seeds / sizeof seeds[0], argv[1]);
    return 0;
}
