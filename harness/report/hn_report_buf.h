/*
 * hn_report_buf: the growable byte buffer every report writer renders into, with the escapes
 * each output format needs. Internal to mxttl_report (not installed, not for the CLI).
 *
 * A buffer remembers the first allocation failure (`failed`) instead of making every append
 * check, so a writer renders the whole file and checks once at the end. All text that came from
 * a run passes through one of the escapers, which also turn bytes that are not valid UTF-8 into
 * U+FFFD: every file we write is valid UTF-8 whatever a target or a log put into the run.
 */
#ifndef HN_REPORT_BUF_H
#define HN_REPORT_BUF_H

#include <stddef.h>

#include "st_result.h"

struct hn_report_buf {
    char *data;     /* NUL-terminated once anything was appended; owned */
    size_t len, cap;
    int failed;     /* an append ran out of memory; data holds a prefix */
};

/* Appends; on failure sets b->failed and leaves b as it was. */
void hn_report_buf_put(struct hn_report_buf *b, const char *s, size_t n);
void hn_report_buf_puts(struct hn_report_buf *b, const char *s);
void hn_report_buf_printf(struct hn_report_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the rendered text to the caller: 0 with *out = the data (caller frees with free()) and
 * *len its length (len may be NULL), or -1 after an allocation failure (contents freed). An
 * empty buffer gives an empty string. */
int hn_report_buf_finish(struct hn_report_buf *b, char **out, size_t *len);
/* Frees the contents; the struct itself is the caller's. */
void hn_report_buf_release(struct hn_report_buf *b);

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if s[0] does not start one (overlong,
 * surrogate, above U+10FFFF, truncated). */
size_t hn_report_utf8_len(const unsigned char *s, size_t n);

/* Escapers: s may be NULL (appends nothing). Invalid UTF-8 becomes U+FFFD. */
/* XML / HTML text and attribute values: & < > " ' as entities; tab, newline and carriage return
 * as character references when attr is set (so attribute values keep them); other control
 * characters (not allowed in XML 1.0) become U+FFFD. */
void hn_report_buf_xml(struct hn_report_buf *b, const char *s, int attr);
/* Markdown table cell or inline text (never the start of a line): \ ` * _ [ ] | ~
 * backslash-escaped, < > & as entities (raw HTML is never interpreted), newlines as <br>. */
void hn_report_buf_md(struct hn_report_buf *b, const char *s);
/* Raw UTF-8-sanitised copy (for fenced code blocks); control characters other than tab and
 * newline become U+FFFD. */
void hn_report_buf_text(struct hn_report_buf *b, const char *s);

/* One line of plain text: newlines, tabs and other control characters become spaces, so a
 * hostile name cannot start a line of its own. */
void hn_report_buf_line(struct hn_report_buf *b, const char *s);

/* Writes data to path atomically: a temporary file in the same directory, fsync, rename.
 * 0 on success; -1 with why = "PATH: reason" (nothing is left behind). */
int hn_report_write_file(const char *path, const char *data, size_t len, char *why,
                         size_t whylen);

/* First `max` bytes of s cut at a word boundary (UTF-8 safe), with "..." when cut, into out
 * (always NUL-terminated, truncated to outlen). */
void hn_report_shorten(const char *s, size_t max, char *out, size_t outlen);

/* Order of clause IDs for tables: LEG, TTL, COM, then others by name; numbers numerically. */
int hn_report_clause_cmp(const char *a, const char *b);

/* A target's classification as people read it, unescaped: "follows the legacy spec",
 * "follows the TTL spec", "neither: broke TTL-2, TTL-5" (the reason), "unclassified". */
void hn_report_class_text(struct hn_report_buf *b, const struct st_target_result *t);

/* Seconds as a short human figure ("0.012 s", "3.4 s", "2 min 5 s"); "-" for non-finite. */
void hn_report_buf_duration(struct hn_report_buf *b, double seconds);

#endif
