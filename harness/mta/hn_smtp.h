/*
 * hn_smtp: the `smtp:FILE` target -- any SMTP-speaking MTA described by a target description
 * file (targets/README.md), run in a network namespace of its own with the fixture reachable
 * through a DNS relay and one SMTP sink recording where each message went. A lookup is one
 * message to a recipient in the domain: its route is the address the sink saw, its DNS traffic
 * what the fixture logged meanwhile. No route and temporary failure come only from the MTA's
 * log (the description's outcome patterns); nothing is guessed.
 */
#ifndef HN_SMTP_H
#define HN_SMTP_H

#include <stddef.h>
#include "st_target.h"

/* Creates an smtp target from a description file (parsed now: errors "FILE:LINE: problem").
 * 0, or -1 with *why. The target's name is "smtp:FILE". Caller frees with t->ops->free(t).
 * open() needs root; without it open() fails with a message saying so. Asked for virtual
 * time, open() starts nothing and returns 0 with caps saying real time only (the caller judges
 * N/A). Each open() builds a private instance (namespace, MTA, sink, relay), so targets made
 * by separate hn_smtp_target_new calls may be played concurrently from different threads. */
int hn_smtp_target_new(struct st_target **out, const char *file, char *why, size_t whylen);

/* Whether the MTA of a description is installed: its root filesystem (if it names one) is
 * built and its check commands succeed. 0 yes; 1 no, -1 bad description, both with *why. */
int hn_smtp_installed(const char *file, char *why, size_t whylen);

/* Maps a target argument to a description file: "smtp:FILE" -> FILE; a shortcut NAME
 * ("postfix", "exim", "postfix+cache") -> TARGETS_DIR/NAME.mta. Writes the path into buf.
 * 0, or -1 (not an smtp target, or no such shortcut file) with *why. */
int hn_smtp_resolve(const char *arg, const char *targets_dir, char *buf, size_t buflen, char *why,
                    size_t whylen);

#endif
