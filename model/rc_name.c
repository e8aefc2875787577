/*
 * rc_name: the model's one domain-name module -- checking and normalising mail domains (cache
 * keys and query names: letters, digits, '-', '_'), hashing them for the cache index, and
 * checking exchanger host names as routes carry them (any printable octets, the root allowed),
 * also from an ldns name rdf.
 * Nothing is ever truncated: a name that does not fit is refused with a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rc_internal.h"
#include "rc_name.h"

/* Octet map for the normaliser: the octet to write (letters folded to lower case), SEP for the
 * label separator, 0 for an octet that may not appear in a mail domain. */
#define SEP 1
static const unsigned char map_fold[256] = {
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
    ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
    ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
    ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z', ['A'] = 'a', ['B'] = 'b',
    ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i',
    ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p',
    ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w',
    ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z', ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3',
    ['4'] = '4', ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9', ['-'] = '-',
    ['_'] = '_', ['.'] = SEP,
};

/* The finishing step of the name hash, also used every eight octets (a multiply-xorshift mix). */
static uint64_t mix(uint64_t h)
{
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

/* Eight octets of s as one word (fewer at the end, zero-padded, built in a register): loading a word right after the normaliser stored its bytes one by one would stall
 * on store forwarding, so the hash reads the input, not the output. */
static uint64_t word_at(const char *s, size_t k)
{
    uint64_t w = 0;
    if (k >= 8) {
        memcpy(&w, s, 8); /* octet i at bits 8i on the little-endian hosts the fast path runs on */
        return w;
    }
    for (size_t i = 0; i < k; i++)
        w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return w;
}

/* Hash of n octets eight at a time (the fast path below computes the same on the fly). */
static uint32_t hash_words(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < n; i += 8)
        h = mix(h ^ word_at(s + i, n - i));
    return (uint32_t)mix(h ^ n);
}

uint32_t rc_name_hash(const char *s, size_t n)
{
    return hash_words(s, n);
}

/* The fast path of rc_name_key, eight octets at a time: each word of the input is checked
 * for octets outside [A-Za-z0-9._-] and folded to lower case with a few SWAR operations (per
 * octet high bits, no branch per octet), label lengths are checked at the dots only, and the
 * key is written a word at a time. Few stores matter: a hit is otherwise bound by memory, and
 * octet-by-octet stores fill the store buffer that cold LRU writes are already waiting in.
 * Returns 0 if the name is fine, -1 if anything is off -- the careful loop then words it. */
#define H8 0x8080808080808080ull
#define L8 0x0101010101010101ull
/* Per octet high bit: octet >= k (for octets below 0x80, given as x & ~H8). */
#define GE(x7, k) (((x7) + (0x80u - (k)) * L8) & H8)

/* The word tricks below read octet i of a word at bits 8i: true on little-endian hosts (a
 * constant the compiler folds); elsewhere the careful loop does all the work. */
static int little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

static int name_key_fast(const char *in, int keep_case, char *out, size_t outlen, size_t *len,
                         uint32_t *hash)
{
    if (!little_endian())
        return -1;
    size_t n = strnlen(in, 256);
    if (n > 0 && in[n - 1] == '.')
        n--;
    if (n == 0 || n > 253 || n >= outlen || outlen < ((n + 7) & ~(size_t)7))
        return -1;
    uint64_t h = 0x9e3779b97f4a7c15ull;
    size_t label_start = 0;
    for (size_t i = 0; i < n; i += 8) {
        size_t k = n - i < 8 ? n - i : 8;
        uint64_t w = word_at(in + i, k);
        uint64_t live = k == 8 ? H8 : H8 & ((1ull << (8 * k)) - 1);
        uint64_t x7 = w & ~H8;
        uint64_t upper = GE(x7, 'A') & ~GE(x7, 'Z' + 1);
        uint64_t lower = GE(x7, 'a') & ~GE(x7, 'z' + 1);
        uint64_t digit = GE(x7, '0') & ~GE(x7, '9' + 1);
        uint64_t dash = GE(x7, '-') & ~GE(x7, '.');
        uint64_t dot = GE(x7, '.') & ~GE(x7, '/');
        uint64_t under = GE(x7, '_') & ~GE(x7, '`');
        uint64_t ok = (upper | lower | digit | dash | dot | under) & ~w & live;
        if (ok != live)
            return -1;
        if (!keep_case)
            w |= upper >> 2; /* 0x80 >> 2 = 0x20: 'A' -> 'a' */
        for (dot &= live; dot != 0; dot &= dot - 1) {
            size_t pos = i + (size_t)__builtin_ctzll(dot) / 8;
            if (pos == label_start || pos - label_start > 63)
                return -1;
            label_start = pos + 1;
        }
        memcpy(out + i, &w, 8); /* zero-padded past n: the tail word ends the string too */
        h = mix(h ^ w);
    }
    if (n == label_start || n - label_start > 63)
        return -1;
    out[n] = '\0';
    *len = n;
    *hash = (uint32_t)mix(h ^ n);
    return 0;
}

/* Names an octet refused in a mail domain, for messages: the ones that would inject a
 * dnsmasq option or a line (comma, slash, '#', newline, ...) by name, others by value. */
static void octet_word(unsigned char c, char *buf, size_t len)
{
    static const struct {
        unsigned char c;
        const char *word;
    } words[] = {{'\n', "newline"}, {'\r', "carriage return"}, {',', "comma"},
                 {'/', "slash"},    {'#', "'#'"},             {' ', "space"},
                 {'\t', "tab"},     {'=', "'='"},             {'"', "quote"},
                 {'\'', "quote"},   {';', "semicolon"},       {'\\', "backslash"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (words[i].c == c) {
            snprintf(buf, len, "%s", words[i].word);
            return;
        }
    snprintf(buf, len, c >= 0x80 ? "non-ASCII byte 0x%02x" : "character 0x%02x", c);
}

enum rc_status rc_name_key(const char *in, int keep_case, char *out, size_t outlen, size_t *len,
                           uint32_t *hash, char *why, size_t whylen)
{
    if (in == NULL || out == NULL || len == NULL || hash == NULL || outlen == 0) {
        rc_why(why, whylen, "domain name is NULL");
        return RC_INVAL;
    }
    if (name_key_fast(in, keep_case, out, outlen, len, hash) == 0)
        return RC_OK;
    /* Something is off: this careful loop finds and words the problem. */
    size_t max = outlen - 1 < 253 ? outlen - 1 : 253;
    size_t n = 0, label_start = 0;
    for (const unsigned char *p = (const unsigned char *)in;; p++) {
        unsigned char ch = map_fold[*p];
        if (ch > SEP && keep_case)
            ch = *p;
        if (ch > SEP) { /* the common case: a letter, digit, '-' or '_' */
            if (n >= max) {
                rc_why(why, whylen, "domain \"%.80s...\": longer than %zu octets", in, max);
                return RC_INVAL;
            }
            out[n++] = (char)ch;
            continue;
        }
        int end = *p == '\0' || (ch == SEP && p[1] == '\0'); /* one trailing dot: same name */
        if (ch == 0 && *p != '\0') {
            char what[40];
            octet_word(*p, what, sizeof what);
            rc_why(why, whylen, "domain \"%.80s\": %s at offset %zu not allowed", in, what,
                   (size_t)(p - (const unsigned char *)in));
            return RC_INVAL;
        }
        if (n == label_start) {
            rc_why(why, whylen, n == 0 && *p == '\0' ? "domain name is empty"
                                                      : "domain \"%.80s\": empty label", in);
            return RC_INVAL;
        }
        if (n - label_start > 63) {
            rc_why(why, whylen, "domain \"%.80s\": label longer than 63 octets", in);
            return RC_INVAL;
        }
        if (end)
            break;
        if (n >= max) {
            rc_why(why, whylen, "domain \"%.80s...\": longer than %zu octets", in, max);
            return RC_INVAL;
        }
        out[n++] = '.';
        label_start = n;
    }
    out[n] = '\0';
    *len = n;
    *hash = hash_words(out, n);
    return RC_OK;
}

enum rc_status rc_name_normalize(const char *in, char *out, size_t outlen, char *why,
                                 size_t whylen)
{
    size_t n;
    uint32_t h;
    if (out == NULL || outlen == 0) {
        rc_why(why, whylen, "rc_name_normalize: no output buffer");
        return RC_INVAL;
    }
    enum rc_status st = rc_name_key(in, 0, out, outlen, &n, &h, why, whylen);
    if (st != RC_OK)
        out[0] = '\0';
    return st;
}


enum rc_status rc_name_host(const char *s, size_t len, char *out, size_t outlen, char *why,
                            size_t whylen)
{
    if (s == NULL || out == NULL || outlen == 0) {
        rc_why(why, whylen, "host name is NULL");
        return RC_INVAL;
    }
    size_t n = len; /* out may be s itself: nothing is written before it is read */
    if (n > 1 && s[n - 1] == '.')
        n--; /* one trailing dot: the same name; "." alone is the root */
    if (n == 0 || n > 253) {
        rc_why(why, whylen, "host name of %zu octets: want 1..253", n);
        return RC_INVAL;
    }
    if (n >= outlen) {
        rc_why(why, whylen, "host name of %zu octets does not fit %zu", n, outlen);
        return RC_INVAL;
    }
    int root = len == 1 && s[0] == '.'; /* ".." is not the root */
    size_t lab = 0;
    for (size_t i = 0; i <= n; i++) {
        unsigned char ch = i < n ? (unsigned char)s[i] : '.';
        if (i < n && (ch <= 0x20 || ch > 0x7e || ch == ';')) {
            rc_why(why, whylen, "host name \"%.60s\": octet 0x%02x not allowed", s, ch);
            return RC_INVAL;
        }
        if (ch != '.') {
            out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
            lab++;
            continue;
        }
        if (i < n)
            out[i] = '.';
        if (!root && (lab == 0 || lab > 63)) {
            rc_why(why, whylen, "host name \"%.60s%s\" has a label of %zu octets: want 1..63", s,
                   len > 60 ? "..." : "", lab);
            return RC_INVAL;
        }
        lab = 0;
    }
    out[n] = '\0';
    return RC_OK;
}

enum rc_status rc_name_rdf(const ldns_rdf *rdf, char *out, size_t outlen, char *why,
                           size_t whylen)
{
    if (out == NULL || outlen == 0) {
        rc_why(why, whylen, "rc_name_rdf: no output buffer");
        return RC_INVAL;
    }
    out[0] = '\0';
    if (rdf == NULL || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME) {
        rc_why(why, whylen, "not a domain name");
        return RC_INVAL;
    }
    char *s = ldns_rdf2str(rdf);
    if (s == NULL) {
        rc_why(why, whylen, "out of memory");
        return RC_NOMEM;
    }
    enum rc_status st = rc_name_host(s, strlen(s), out, outlen, why, whylen);
    free(s);
    if (st != RC_OK)
        out[0] = '\0';
    return st;
}
