/*
 * hn_report_buf: growable output buffer, format escapes, number formatting and the atomic file
 * write shared by the report writers (see hn_report_buf.h).
 */
#include "hn_report_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

void hn_report_buf_put(struct hn_report_buf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 4096;
        while (ncap < b->len + n + 1) {
            if (ncap > SIZE_MAX / 2) {
                b->failed = 1;
                return;
            }
            ncap *= 2;
        }
        char *p = realloc(b->data, ncap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = ncap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void hn_report_buf_puts(struct hn_report_buf *b, const char *s)
{
    if (s != NULL)
        hn_report_buf_put(b, s, strlen(s));
}

void hn_report_buf_printf(struct hn_report_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): see below */
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
    } else if ((size_t)n < sizeof(small)) {
        hn_report_buf_put(b, small, (size_t)n);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big == NULL) {
            b->failed = 1;
        } else {
            /* clang-tidy 14 misreads va_list here when it checks several files in one run. */
            /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
            vsnprintf(big, (size_t)n + 1, fmt, again);
            hn_report_buf_put(b, big, (size_t)n);
            free(big);
        }
    }
    va_end(again);
}

int hn_report_buf_finish(struct hn_report_buf *b, char **out, size_t *len)
{
    if (b->data == NULL && !b->failed) {
        b->data = calloc(1, 1);
        b->failed = b->data == NULL;
    }
    if (b->failed) {
        hn_report_buf_release(b);
        *out = NULL;
        return -1;
    }
    *out = b->data;
    if (len != NULL)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return 0;
}

void hn_report_buf_release(struct hn_report_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

size_t hn_report_utf8_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Calls the per-format emitter for each ASCII byte, and copies valid multi-byte sequences
 * (or U+FFFD for invalid bytes) unchanged: every escaper shares the UTF-8 walk. */
typedef void (*ascii_fn)(struct hn_report_buf *b, unsigned char c);

static void walk(struct hn_report_buf *b, const char *s, ascii_fn fn)
{
    if (s == NULL)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            fn(b, p[i]);
            i++;
            continue;
        }
        size_t l = hn_report_utf8_len(p + i, n - i);
        if (l == 0) {
            hn_report_buf_put(b, replacement, 3);
            i++;
        } else {
            hn_report_buf_put(b, (const char *)p + i, l);
            i += l;
        }
    }
}

static void xml_common(struct hn_report_buf *b, unsigned char c, int attr)
{
    char ch = (char)c;
    switch (c) {
    case '&': hn_report_buf_put(b, "&amp;", 5); return;
    case '<': hn_report_buf_put(b, "&lt;", 4); return;
    case '>': hn_report_buf_put(b, "&gt;", 4); return;
    case '"': hn_report_buf_put(b, "&quot;", 6); return;
    case '\'': hn_report_buf_put(b, "&#39;", 5); return;
    case '\t': if (attr) { hn_report_buf_put(b, "&#9;", 4); return; } break;
    case '\n': if (attr) { hn_report_buf_put(b, "&#10;", 5); return; } break;
    case '\r': hn_report_buf_put(b, "&#13;", 5); return;
    default:
        if (c < 0x20 || c == 0x7F) {
            hn_report_buf_put(b, replacement, 3);
            return;
        }
    }
    hn_report_buf_put(b, &ch, 1);
}

static void xml_text_ascii(struct hn_report_buf *b, unsigned char c) { xml_common(b, c, 0); }
static void xml_attr_ascii(struct hn_report_buf *b, unsigned char c) { xml_common(b, c, 1); }

void hn_report_buf_xml(struct hn_report_buf *b, const char *s, int attr)
{
    walk(b, s, attr ? xml_attr_ascii : xml_text_ascii);
}

static void md_ascii(struct hn_report_buf *b, unsigned char c)
{
    char ch = (char)c;
    switch (c) {
    case '&': hn_report_buf_put(b, "&amp;", 5); return;
    case '<': hn_report_buf_put(b, "&lt;", 4); return;
    case '>': hn_report_buf_put(b, "&gt;", 4); return;
    case '\n': hn_report_buf_put(b, "<br>", 4); return;
    case '\t': hn_report_buf_put(b, " ", 1); return;
    case '\r': return;
    default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
        hn_report_buf_put(b, replacement, 3);
        return;
    }
    /* Only characters that start markup inside a line: our escaped text never begins a line
     * (it follows "| " or a heading marker), so list and heading markers need no escape. */
    if (strchr("\\`*_[]|~", ch) != NULL)
        hn_report_buf_put(b, "\\", 1);
    hn_report_buf_put(b, &ch, 1);
}

void hn_report_buf_md(struct hn_report_buf *b, const char *s)
{
    walk(b, s, md_ascii);
}

static void text_ascii(struct hn_report_buf *b, unsigned char c)
{
    char ch = (char)c;
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
        hn_report_buf_put(b, replacement, 3);
    else
        hn_report_buf_put(b, &ch, 1);
}

void hn_report_buf_text(struct hn_report_buf *b, const char *s)
{
    walk(b, s, text_ascii);
}

static void line_ascii(struct hn_report_buf *b, unsigned char c)
{
    char ch = (char)((c < 0x20 || c == 0x7F) ? ' ' : c);
    hn_report_buf_put(b, &ch, 1);
}

void hn_report_buf_line(struct hn_report_buf *b, const char *s)
{
    walk(b, s, line_ascii);
}


int hn_report_write_file(const char *path, const char *data, size_t len, char *why,
                         size_t whylen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL) {
        snprintf(why, whylen, "%s: out of memory", path);
        return -1;
    }
    /* The temporary file sits beside the target so that rename() stays within one filesystem;
     * its leading dot keeps half-written files out of a plain `ls`. */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    memcpy(tmp, path, dirlen);
    snprintf(tmp + dirlen, plen + 16 - dirlen, ".%s.XXXXXX", path + dirlen);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(why, whylen, "%s: cannot create temporary file: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    const char *p = data;
    size_t left = len;
    int err = 0;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (err == 0 && fchmod(fd, 0644) < 0)
        err = errno;
    if (err == 0 && fsync(fd) < 0)
        err = errno;
    if (close(fd) < 0 && err == 0)
        err = errno;
    if (err == 0 && rename(tmp, path) < 0)
        err = errno;
    if (err != 0) {
        unlink(tmp);
        snprintf(why, whylen, "%s: %s", path, strerror(err));
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

void hn_report_shorten(const char *s, size_t max, char *out, size_t outlen)
{
    if (outlen == 0)
        return;
    out[0] = '\0';
    if (s == NULL)
        return;
    size_t n = strlen(s);
    size_t cut = n;
    int cutting = 0;
    if (n > max) {
        cutting = 1;
        cut = max;
        /* Never split a UTF-8 sequence; prefer the last space. */
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        size_t sp = cut;
        while (sp > max / 2 && s[sp] != ' ')
            sp--;
        if (s[sp] == ' ')
            cut = sp;
    }
    const char *ell = cutting ? "..." : "";
    size_t need = cut + strlen(ell);
    if (need + 1 > outlen) {
        cut = outlen - 1 > strlen(ell) ? outlen - 1 - strlen(ell) : 0;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
    }
    memcpy(out, s, cut);
    snprintf(out + cut, outlen - cut, "%s", ell);
    /* Newlines would break one-line contexts (JUnit names, table cells). */
    for (char *q = out; *q; q++)
        if (*q == '\n' || *q == '\r' || *q == '\t')
            *q = ' ';
}

static int prefix_rank(const char *id, size_t plen)
{
    if (plen == 3 && strncmp(id, "LEG", 3) == 0)
        return 0;
    if (plen == 3 && strncmp(id, "TTL", 3) == 0)
        return 1;
    if (plen == 3 && strncmp(id, "COM", 3) == 0)
        return 2;
    return 3;
}

int hn_report_clause_cmp(const char *a, const char *b)
{
    const char *da = strchr(a, '-'), *db = strchr(b, '-');
    size_t pa = da ? (size_t)(da - a) : strlen(a);
    size_t pb = db ? (size_t)(db - b) : strlen(b);
    int ra = prefix_rank(a, pa), rb = prefix_rank(b, pb);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra == 3) {
        size_t m = pa < pb ? pa : pb;
        int c = strncmp(a, b, m);
        if (c != 0 || pa != pb)
            return c != 0 ? c : (pa < pb ? -1 : 1);
    }
    if (da && db) {
        char *ea, *eb;
        unsigned long na = strtoul(da + 1, &ea, 10), nb = strtoul(db + 1, &eb, 10);
        if (ea != da + 1 && eb != db + 1 && na != nb)
            return na < nb ? -1 : 1;
    }
    return strcmp(a, b);
}

void hn_report_class_text(struct hn_report_buf *b, const struct st_target_result *t)
{
    const char *reason = t->class_reason && t->class_reason[0] ? t->class_reason : NULL;
    switch (t->klass) {
    case ST_CLASS_LEGACY:
        hn_report_buf_puts(b, "follows the legacy spec");
        break;
    case ST_CLASS_TTL:
        hn_report_buf_puts(b, "follows the TTL spec");
        break;
    case ST_CLASS_NEITHER:
        hn_report_buf_puts(b, "neither");
        if (reason != NULL) {
            hn_report_buf_puts(b, ": ");
            hn_report_buf_puts(b, reason);
        }
        return;
    default:
        hn_report_buf_puts(b, "unclassified");
        break;
    }
    if (reason != NULL) {
        hn_report_buf_puts(b, " (");
        hn_report_buf_puts(b, reason);
        hn_report_buf_puts(b, ")");
    }
}

void hn_report_buf_duration(struct hn_report_buf *b, double s)
{
    if (!isfinite(s)) {
        hn_report_buf_puts(b, "-");
        return;
    }
    if (s < 10)
        hn_report_buf_printf(b, "%.3f s", s);
    else if (s < 120)
        hn_report_buf_printf(b, "%.1f s", s);
    else
        hn_report_buf_printf(b, "%.0f min %.0f s", floor(s / 60), fmod(s, 60));
}
