/* hn_mta_util: the helpers of hn_mta_util.h. */
#define _GNU_SOURCE
#include "hn_mta_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "rc_clock.h"

void hn_mta_why(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    if (!why || !whylen)
        return;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

int hn_mta_tmp_template(char *buf, size_t buflen, const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    /* The path lands in shell commands and mount scripts unquoted (@WORKDIR@): a TMPDIR with
     * other characters than these is not used. */
    if (!tmp || !*tmp || tmp[strspn(tmp, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789/._+-")])
        tmp = "/tmp";
    int n = snprintf(buf, buflen, "%s/%s-XXXXXX", tmp, prefix);
    if (n < 0 || (size_t)n >= buflen) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

uint64_t hn_mta_now_us(void)
{
    return rc_clock_mono_us();
}

uint64_t hn_mta_now_ms(void)
{
    return hn_mta_now_us() / 1000u;
}

void hn_mta_thread_init(struct hn_mta_thread *t)
{
    t->wake[0] = t->wake[1] = -1;
    t->started = 0;
}

enum hn_mta_status hn_mta_thread_start(struct hn_mta_thread *t, void *(*fn)(void *), void *arg,
                                       char *why, size_t whylen)
{
    if (pipe2(t->wake, O_CLOEXEC) < 0) {
        hn_mta_why(why, whylen, "pipe: %s", strerror(errno));
        return HN_MTA_IO;
    }
    int e = pthread_create(&t->th, NULL, fn, arg);
    if (e) {
        hn_mta_why(why, whylen, "pthread_create: %s", strerror(e));
        return HN_MTA_IO;
    }
    t->started = 1;
    return HN_MTA_OK;
}

void hn_mta_thread_stop(struct hn_mta_thread *t)
{
    if (t->started) {
        ssize_t w = write(t->wake[1], "x", 1);
        (void)w;
        pthread_join(t->th, NULL);
        t->started = 0;
    }
    for (int i = 0; i < 2; i++)
        if (t->wake[i] >= 0) {
            close(t->wake[i]);
            t->wake[i] = -1;
        }
}
