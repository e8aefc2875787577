/*
 * Tests of rc_clock: the virtual clock starts at 0, moves only forward, and its clock view
 * reads it; the monotonic clock does not go backwards.
 */
#include "rc_test.h"
#include "rc_clock.h"

static void test_vclock_moves_forward_only(void **state)
{
    (void)state;
    struct rc_vclock *vc = NULL;
    EXPECT_U(rc_vclock_new(&vc), RC_OK, "rc_vclock_new");
    struct rc_clock c = rc_vclock_clock(vc);
    EXPECT_U(c.now_ms(c.ctx), 0, "start");
    rc_vclock_advance(vc, 1500);
    EXPECT_U(c.now_ms(c.ctx), 1500, "after advance");
    rc_vclock_set(vc, 1000);
    EXPECT_U(rc_vclock_now(vc), 1500, "set backwards is ignored");
    rc_vclock_set(vc, 300000);
    EXPECT_U(rc_vclock_now(vc), 300000, "after set");
    rc_vclock_advance(vc, UINT64_MAX);
    EXPECT_U(rc_vclock_now(vc), UINT64_MAX, "advance saturates");
    rc_vclock_free(vc);
    rc_vclock_free(NULL);
}

static void test_monotonic(void **state)
{
    (void)state;
    struct rc_clock c = rc_clock_monotonic();
    uint64_t a = c.now_ms(c.ctx), b = c.now_ms(c.ctx);
    if (b < a)
        fail_msg("monotonic clock: got %llu after %llu, want >=", (unsigned long long)b,
                 (unsigned long long)a);
    assert_true(a > 0);
}

static void test_mono_us_agrees_with_ms(void **state)
{
    (void)state;
    struct rc_clock c = rc_clock_monotonic();
    uint64_t u0 = rc_clock_mono_us(), m = c.now_ms(c.ctx), u1 = rc_clock_mono_us();
    if (u1 < u0)
        fail_msg("mono_us went back: %llu after %llu", (unsigned long long)u1,
                 (unsigned long long)u0);
    /* the millisecond clock is the microsecond one truncated: read between them, it lies
     * within [u0/1000, u1/1000] */
    if (m < u0 / 1000u || m > u1 / 1000u)
        fail_msg("ms clock %llu outside [%llu, %llu]", (unsigned long long)m,
                 (unsigned long long)(u0 / 1000u), (unsigned long long)(u1 / 1000u));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vclock_moves_forward_only),
        cmocka_unit_test(test_monotonic),
        cmocka_unit_test(test_mono_us_agrees_with_ms),
    };
    return cmocka_run_group_tests_name("rc_clock", tests, NULL, NULL);
}
