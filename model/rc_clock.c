/*
 * rc_clock: the virtual clock used by tests and scripted runs, and the real monotonic clock.
 * A virtual clock never moves backwards, so cache expiry logic can rely on monotonic time.
 */
#include <stdlib.h>
#include <time.h>
#include "rc_clock.h"

struct rc_vclock {
    uint64_t now_ms;
};

enum rc_status rc_vclock_new(struct rc_vclock **out)
{
    if (out == NULL)
        return RC_INVAL;
    *out = calloc(1, sizeof(**out));
    return *out == NULL ? RC_NOMEM : RC_OK;
}

void rc_vclock_free(struct rc_vclock *vc)
{
    free(vc);
}

void rc_vclock_set(struct rc_vclock *vc, uint64_t now_ms)
{
    if (vc != NULL && now_ms > vc->now_ms)
        vc->now_ms = now_ms;
}

void rc_vclock_advance(struct rc_vclock *vc, uint64_t delta_ms)
{
    if (vc == NULL)
        return;
    /* Saturate rather than wrap: a wrapped clock would move backwards. */
    vc->now_ms = delta_ms > UINT64_MAX - vc->now_ms ? UINT64_MAX : vc->now_ms + delta_ms;
}

uint64_t rc_vclock_now(const struct rc_vclock *vc)
{
    return vc == NULL ? 0 : vc->now_ms;
}

static uint64_t vclock_now_ms(void *ctx)
{
    return rc_vclock_now(ctx);
}

struct rc_clock rc_vclock_clock(struct rc_vclock *vc)
{
    struct rc_clock c = {vclock_now_ms, vc};
    return c;
}

uint64_t rc_clock_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t monotonic_now_ms(void *ctx)
{
    (void)ctx;
    return rc_clock_mono_us() / 1000u;
}

struct rc_clock rc_clock_monotonic(void)
{
    struct rc_clock c = {monotonic_now_ms, NULL};
    return c;
}
