/*
 * fuzz_rc_answer: libFuzzer target for the model's DNS answer handling (rc_answer_parse),
 * the one place where bytes from a DNS server -- possibly hostile -- reach the model.
 *
 * Input layout: one selector octet, then the DNS response in wire format. The selector picks
 * the question the response is judged against (bits 0-1: qtype MX, A, AAAA, MX; bits 2-3: one
 * of four query names, including a mixed-case one with a trailing dot), so that the fuzzer can
 * reach the deep paths, which need the response to match the question. The seeds in
 * fuzz/corpus/rc_answer/ are real responses made with ldns by fuzz_seed_rc_answer.
 *
 * What must hold: no crash, leak or sanitizer report; a status from the documented set;
 * records (and only records) with RC_OK, each line non-empty; a reason with every failure.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rc_lookup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t qtypes[4] = {15 /* MX */, 1 /* A */, 28 /* AAAA */, 15};
static const char *const qnames[4] = {"a.test", "mx1.a.test", "B.Test.", "x.y.test"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint16_t qtype = qtypes[data[0] & 3];
    const char *qname = qnames[(data[0] >> 2) & 3];
    const uint8_t *wire = data + 1;
    size_t len = size - 1;

    struct rc_records rrs;
    uint32_t ttl = 0xdeadbeef;
    char why[256];
    why[0] = '\0';
    enum rc_status st = rc_answer_parse(wire, len, qname, qtype, &rrs, &ttl, why, sizeof why);
    switch (st) {
    case RC_OK:
        /* Records were found: at least one, none empty. */
        if (rrs.n == 0)
            abort();
        for (size_t i = 0; i < rrs.n; i++)
            if (rrs.v[i].data == NULL || rrs.v[i].data[0] == '\0')
                abort();
        break;
    case RC_NXDOMAIN:
    case RC_NOADDR:
    case RC_RETRY:
    case RC_NULLMX:
        if (why[0] == '\0' && st == RC_RETRY)
            abort();
        break;
    case RC_NOMEM:
        break;
    default:
        /* RC_INVAL cannot come from bytes alone: the question is valid. */
        abort();
    }
    if (st != RC_OK && (rrs.n != 0 || rrs.v != NULL))
        abort();
    rc_records_clear(&rrs);
    return 0;
}
