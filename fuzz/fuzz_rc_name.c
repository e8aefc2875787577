/*
 * fuzz_rc_name: differential libFuzzer target for the model's domain-name normaliser
 * (rc_name_normalize), whose hot path reads names eight octets at a time. Every cache key and
 * every query name passes through it, so it must agree exactly with its documented contract,
 * which this file implements the slow, obvious way: strip one trailing dot; reject an empty
 * name, one over 253 octets, a label over 63 octets, an empty label, or any octet that is not
 * a letter, digit, '-' or '_'; otherwise lower-case it.
 *
 * The input (up to its first NUL) is the name, copied to an allocation of exactly its length
 * plus the NUL, so ASan reports any word read past the end. Output buffers of the documented
 * 254 octets and more must give exactly the reference's verdict; smaller ones (below the
 * contract) may refuse, but never truncate. A canary follows every buffer.
 *
 * What must hold: the reference's verdict and octets; RC_INVAL with a reason otherwise;
 * nothing written past outlen.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rc_lookup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The contract, octet by octet. Returns the normalised length, or -1 if invalid. */
static int reference(const char *in, char *out)
{
    size_t n = strlen(in);
    if (n > 0 && in[n - 1] == '.')
        n--;
    if (n == 0 || n > 253)
        return -1;
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '.') {
            if (label == 0)
                return -1;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
            label++;
        } else if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c - 'A' + 'a');
            label++;
        } else {
            return -1;
        }
        if (label > 63)
            return -1;
        out[i] = (char)c;
    }
    if (label == 0)
        return -1;
    out[n] = '\0';
    return (int)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t n = nul ? (size_t)(nul - data) : size;
    char *in = malloc(n + 1);
    if (in == NULL)
        return 0;
    memcpy(in, data, n);
    in[n] = '\0';

    char want[512];
    int wlen = reference(in, want);
    static const size_t outlens[] = {254, 300, 253, 200, 64, 9, 8, 7, 1};
    for (size_t k = 0; k < sizeof outlens / sizeof outlens[0]; k++) {
        size_t outlen = outlens[k];
        char *out = malloc(outlen + 8);
        if (out == NULL)
            break;
        memset(out, 0x5a, outlen + 8);
        char why[128] = "";
        enum rc_status st = rc_name_normalize(in, out, outlen, why, sizeof why);
        for (size_t i = outlen; i < outlen + 8; i++)
            if (out[i] != 0x5a)
                abort(); /* wrote past outlen */
        if (st == RC_OK) {
            if (wlen < 0 || strcmp(out, want) != 0)
                abort(); /* accepted an invalid name, or normalised it differently */
        } else if (st != RC_INVAL || why[0] == '\0' || (outlen >= 254 && wlen >= 0)) {
            /* only RC_INVAL, with a reason, and never for a valid name in a buffer of the
             * documented 254 octets */
            abort();
        }
        free(out);
    }
    free(in);
    return 0;
}
