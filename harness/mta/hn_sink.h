/*
 * hn_sink: a small SMTP sink that accepts every message and records, per recipient, when it
 * arrived and at which local address the MTA connected. One sink listening on 0.0.0.0:25
 * inside the namespace serves every exchanger address of 127.0.0.0/8 at once (Linux routes the
 * whole block to lo): the address the MTA chose is getsockname() of the accepted connection,
 * so the route needs no list of exchangers in advance.
 */
#ifndef HN_SINK_H
#define HN_SINK_H

#include <stddef.h>
#include <stdint.h>
#include "hn_mta_status.h"

struct hn_sink;

struct hn_sink_msg {
    uint64_t t_us;        /* CLOCK_MONOTONIC microseconds at the end of DATA */
    char local_addr[48];  /* address the MTA connected to (the exchanger's address) */
    char rcpt[320];       /* envelope recipient as sent (without angle brackets) */
};

/* Serves listen_fd (bound and listening; ownership taken, closed by hn_sink_free, also on
 * error) from a thread of its own. HN_MTA_IO or HN_MTA_NOMEM with *why. Caller frees with
 * hn_sink_free. */
enum hn_mta_status hn_sink_new(struct hn_sink **out, int listen_fd, char *why, size_t whylen);
/* Stops the thread, closes every connection. NULL is fine. */
void hn_sink_free(struct hn_sink *s);

/* Copies the first message for rcpt (compared case-insensitively) into *msg: 1 found, 0 not. */
int hn_sink_find(struct hn_sink *s, const char *rcpt, struct hn_sink_msg *msg);
/* Messages recorded so far (one per recipient). */
size_t hn_sink_count(struct hn_sink *s);
/* Copies message i into *msg; 0, or -1 if i is out of range. */
int hn_sink_get(struct hn_sink *s, size_t i, struct hn_sink_msg *msg);

#endif
