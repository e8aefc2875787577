/*
 * Tests of rc_status: every status has a distinct name and a description, names parse back,
 * and out-of-range values are named "unknown" instead of reading past the table.
 */
#include "rc_test.h"
#include "rc_status.h"

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < RC_STATUS_COUNT; i++) {
        enum rc_status back;
        const char *name = rc_status_str((enum rc_status)i);
        if (rc_status_from_str(name, &back) != 0)
            fail_msg("rc_status_from_str(\"%s\"): got -1, want 0", name);
        EXPECT_U(back, i, name);
        assert_true(strlen(rc_status_desc((enum rc_status)i)) > 0);
        for (int j = 0; j < i; j++)
            if (strcmp(name, rc_status_str((enum rc_status)j)) == 0)
                fail_msg("status %d and %d share the name \"%s\"", i, j, name);
    }
}

static void test_known_names(void **state)
{
    (void)state;
    EXPECT_S(rc_status_str(RC_OK), "ok", "RC_OK");
    EXPECT_S(rc_status_str(RC_RETRY), "retry", "RC_RETRY");
    EXPECT_S(rc_status_str(RC_NULLMX), "nullmx", "RC_NULLMX");
}

static void test_out_of_range(void **state)
{
    (void)state;
    enum rc_status s;
    EXPECT_S(rc_status_str(RC_STATUS_COUNT), "unknown", "RC_STATUS_COUNT");
    EXPECT_S(rc_status_str((enum rc_status)-1), "unknown", "-1");
    assert_non_null(rc_status_desc((enum rc_status)999));
    assert_int_equal(rc_status_from_str("no-such-status", &s), -1);
    assert_int_equal(rc_status_from_str(NULL, &s), -1);
}

static void test_noroute(void **state)
{
    (void)state;
    assert_true(rc_status_is_noroute(RC_NXDOMAIN));
    assert_true(rc_status_is_noroute(RC_NULLMX));
    assert_true(rc_status_is_noroute(RC_NOADDR));
    assert_false(rc_status_is_noroute(RC_OK));
    assert_false(rc_status_is_noroute(RC_RETRY));
    assert_false(rc_status_is_noroute(RC_INVAL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_known_names),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_noroute),
    };
    return cmocka_run_group_tests_name("rc_status", tests, NULL, NULL);
}
