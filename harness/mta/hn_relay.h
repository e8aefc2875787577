/*
 * hn_relay: a DNS relay from inside the MTA's namespace to the fixture outside it. The
 * fixture (fx_server) runs on the host's loopback like for every other target; the relay
 * listens on UDP and TCP sockets created inside the namespace (the address resolv.conf names)
 * and passes each query, byte for byte, to the fixture and each answer back. It never looks
 * into a message, so everything the fixture logs is exactly what the MTA asked, and a query
 * the fixture leaves unanswered stays unanswered.
 */
#ifndef HN_RELAY_H
#define HN_RELAY_H

#include <stdint.h>
#include <stddef.h>
#include "hn_mta_status.h"

struct hn_relay;

/* Relays udp_fd (bound UDP socket) and tcp_fd (bound, listening TCP socket) -- both owned
 * from now on, closed by hn_relay_free, also on error -- to upstream_addr:upstream_port (an
 * IPv4 or IPv6 literal). HN_MTA_IO, HN_MTA_NOMEM with *why. Caller frees with hn_relay_free. */
enum hn_mta_status hn_relay_new(struct hn_relay **out, int udp_fd, int tcp_fd,
                                const char *upstream_addr, uint16_t upstream_port, char *why,
                                size_t whylen);
void hn_relay_free(struct hn_relay *r); /* stops the thread; NULL is fine */

/* Queries relayed so far (UDP datagrams plus TCP connections). */
uint64_t hn_relay_count(struct hn_relay *r);
/* hn_mta_now_ms() when the last query was relayed, 0 before the first. */
uint64_t hn_relay_last_ms(struct hn_relay *r);

#endif
