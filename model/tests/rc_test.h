/*
 * rc_test: helpers shared by the model's CMocka tests -- failure messages in the house form
 * "what: got X, want Y", and a stub-resolver world (stub + virtual clock + cache) that each
 * test builds from zone text.
 */
#ifndef RC_TEST_H
#define RC_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "rc_lookup.h"

#define EXPECT_U(got, want, what)                                                             \
    do {                                                                                      \
        unsigned long long g_ = (unsigned long long)(got), w_ = (unsigned long long)(want);   \
        if (g_ != w_)                                                                         \
            fail_msg("%s: got %llu, want %llu", (what), g_, w_);                              \
    } while (0)

#define EXPECT_S(got, want, what)                                                             \
    do {                                                                                      \
        const char *g_ = (got), *w_ = (want);                                                 \
        if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0)                        \
            fail_msg("%s: got \"%s\", want \"%s\"", (what), g_ ? g_ : "(null)",               \
                     w_ ? w_ : "(null)");                                                     \
    } while (0)

#define EXPECT_ST(got, want, what)                                                            \
    do {                                                                                      \
        enum rc_status g_ = (got), w_ = (want);                                               \
        if (g_ != w_)                                                                         \
            fail_msg("%s: got %s, want %s", (what), rc_status_str(g_), rc_status_str(w_));   \
    } while (0)

/* The records of an answer as text lines -- "pref name" for MX, the data for other types -- in
 * a new string (NULL when there are none) that the caller frees; rrs is emptied. So tests read
 * and compare records at a glance. */
static inline char *rc_test_records_text(struct rc_records *rrs, int is_mx)
{
    char *text = NULL;
    size_t cap = 1;
    for (size_t i = 0; i < rrs->n; i++)
        cap += strlen(rrs->v[i].data) + 8;
    if (rrs->n > 0) {
        text = (char *)calloc(1, cap);
        assert_non_null(text);
    }
    for (size_t i = 0; i < rrs->n; i++) {
        size_t l = strlen(text);
        if (is_mx)
            snprintf(text + l, cap - l, "%u %s\n", (unsigned)rrs->v[i].pref, rrs->v[i].data);
        else
            snprintf(text + l, cap - l, "%s\n", rrs->v[i].data);
    }
    rc_records_clear(rrs);
    return text;
}

#endif
