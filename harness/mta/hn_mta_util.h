/*
 * hn_mta_util: small helpers shared inside harness/mta (not part of its interface) -- the
 * caller's `why` buffer, monotonic time, and the server thread the sink and the DNS relay run
 * (a poll loop woken for shutdown through a pipe).
 */
#ifndef HN_MTA_UTIL_H
#define HN_MTA_UTIL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "hn_mta_status.h"

/* printf into why (NULL or whylen 0: nothing). */
void hn_mta_why(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes "$TMPDIR/PREFIX-XXXXXX" into buf, a template for mkdtemp/mkstemp: /tmp when TMPDIR
 * is unset, empty, or has characters other than letters, digits and "/._+-". -1 (errno
 * ENAMETOOLONG) when it does not fit in buflen. */
int hn_mta_tmp_template(char *buf, size_t buflen, const char *prefix);

uint64_t hn_mta_now_us(void); /* CLOCK_MONOTONIC microseconds */
uint64_t hn_mta_now_ms(void); /* CLOCK_MONOTONIC milliseconds */

/* A server thread: fn(arg) polls wake[0] with its sockets and returns when it becomes readable. */
struct hn_mta_thread {
    int wake[2];
    pthread_t th;
    int started;
};
void hn_mta_thread_init(struct hn_mta_thread *t); /* before start, so that stop is always safe */
/* Creates the wake pipe and starts fn(arg). HN_MTA_IO with *why. */
enum hn_mta_status hn_mta_thread_start(struct hn_mta_thread *t, void *(*fn)(void *), void *arg,
                                       char *why, size_t whylen);
/* Wakes the thread, joins it, closes the pipe. Safe after init, also when never started. */
void hn_mta_thread_stop(struct hn_mta_thread *t);

#endif
