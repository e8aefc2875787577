/*
 * rc_internal: declarations shared between the model's own files and nowhere else -- the
 * resolver vtable that each implementation fills (rc_resolver*.c), the one-pass name normaliser
 * that also hashes, which the cache uses on its hit path (rc_name.c), and rc_why (rc_status.c).
 * Not part of the public contract.
 */
#ifndef RC_INTERNAL_H
#define RC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "rc_resolver.h"
#include "rc_status.h"

struct rc_resolver_ops {
    /* qname has been checked and normalised already; the query is counted already. */
    enum rc_status (*query)(struct rc_resolver *r, const char *qname, uint16_t qtype,
                            uint8_t **wire, size_t *len, char *why, size_t whylen);
    void (*free)(struct rc_resolver *r);
};

/* The first member of every resolver implementation. */
struct rc_resolver {
    const struct rc_resolver_ops *ops;
    uint64_t queries;
};

/* rc_name_normalize with a choice: keep_case leaves letters as given (the case-sensitive-keys
 * fault). Writes the name without trailing dot to out (>= 254 octets), its length to *len and
 * rc_name_hash of the written octets to *hash. Statuses as rc_name_normalize. */
enum rc_status rc_name_key(const char *in, int keep_case, char *out, size_t outlen, size_t *len,
                           uint32_t *hash, char *why, size_t whylen);

/* Hash of n octets for the cache index (not for security: names come from our own lookups). */
uint32_t rc_name_hash(const char *s, size_t n);

/* snprintf into why if why is given; a helper so every module words reasons alike. */
void rc_why(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
