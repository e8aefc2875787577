/*
 * hn_target_smtp: the smtp kind of target, delegated to the MTA library (harness/mta).
 */
#include <stdio.h>
#include <string.h>

#include "hn_paths.h"
#include "hn_smtp.h"

int hn_target_smtp_resolve(const char *arg, char *file, size_t filelen, char *why,
                           size_t whylen);
int hn_target_smtp_new(struct st_target **out, const char *file, char *why, size_t whylen);

/* Resolves the name and loads the description once, so that a description-file error is a
 * usage error (exit 2, FILE:LINE) when the argument is read, not an ERROR on every clause. */
int hn_target_smtp_resolve(const char *arg, char *file, size_t filelen, char *why, size_t whylen)
{
    char w[512] = "";
    if (hn_smtp_resolve(arg, hn_path_data(HN_PATH_TARGETS), file, filelen, w, sizeof w) != 0) {
        snprintf(why, whylen, "target %s: want model:legacy, model:ttl[+FAULT,...], driver:CMD "
                              "or smtp:FILE (%s)", arg, w);
        return -1;
    }
    struct st_target *t = NULL;
    if (hn_smtp_target_new(&t, file, w, sizeof w) != 0) {
        snprintf(why, whylen, "target %s: %s", arg, w);
        return -1;
    }
    t->ops->free(t);
    return 0;
}

int hn_target_smtp_new(struct st_target **out, const char *file, char *why, size_t whylen)
{
    return hn_smtp_target_new(out, file, why, whylen);
}
