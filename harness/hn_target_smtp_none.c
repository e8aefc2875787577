/*
 * hn_target_smtp_none: stands in for hn_target_smtp.c when the MTA library is not built, so
 * that an smtp target name gets a clear message instead of a link error.
 */
#include <stdio.h>

#include "st_target.h"

int hn_target_smtp_resolve(const char *arg, char *file, size_t filelen, char *why,
                           size_t whylen);
int hn_target_smtp_new(struct st_target **out, const char *file, char *why, size_t whylen);
void hn_target_smtp_install_signal_cleanup(void);

int hn_target_smtp_resolve(const char *arg, char *file, size_t filelen, char *why, size_t whylen)
{
    (void)file;
    (void)filelen;
    snprintf(why, whylen, "target %s: want model:legacy, model:ttl[+FAULT,...] or driver:CMD "
                          "(smtp targets are not built in)", arg);
    return -1;
}

int hn_target_smtp_new(struct st_target **out, const char *file, char *why, size_t whylen)
{
    *out = NULL;
    snprintf(why, whylen, "smtp:%s: smtp targets are not built in", file);
    return -1;
}

void hn_target_smtp_install_signal_cleanup(void)
{
}
