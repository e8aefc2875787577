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
#include <string.h>
#include <cmocka.h>

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

#endif
