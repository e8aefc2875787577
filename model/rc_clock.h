/*
 * rc_clock: the clock interface. Cache logic never reads the system time itself; time enters
 * through this interface so that scripted hours of TTL run in milliseconds on a virtual clock.
 */
#ifndef RC_CLOCK_H
#define RC_CLOCK_H

#include <stdint.h>
#include "rc_status.h"

struct rc_clock {
    /* Current time in milliseconds on this clock's own time line (monotonic). */
    uint64_t (*now_ms)(void *ctx);
    void *ctx;
};

/* A virtual clock: starts at 0 and moves only by rc_vclock_set/advance. */
struct rc_vclock;

/* Creates a virtual clock at time 0. RC_OK or RC_NOMEM. Caller frees with rc_vclock_free. */
enum rc_status rc_vclock_new(struct rc_vclock **out);
void rc_vclock_free(struct rc_vclock *vc);           /* NULL is fine */
void rc_vclock_set(struct rc_vclock *vc, uint64_t now_ms); /* never moves backwards */
void rc_vclock_advance(struct rc_vclock *vc, uint64_t delta_ms);
uint64_t rc_vclock_now(const struct rc_vclock *vc);
/* A clock view of vc; borrowed, valid while vc lives. */
struct rc_clock rc_vclock_clock(struct rc_vclock *vc);

/* The real monotonic clock (CLOCK_MONOTONIC), milliseconds. A static object; never freed. */
struct rc_clock rc_clock_monotonic(void);

/* CLOCK_MONOTONIC now, in microseconds: the one time base every layer (fixture query log,
 * plays, targets, reports) stamps events with, so that their timestamps compare. */
uint64_t rc_clock_mono_us(void);

#endif
