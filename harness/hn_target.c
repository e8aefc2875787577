/*
 * hn_target: target names to targets. The smtp kind is delegated to hn_target_smtp.c, which is
 * built against the MTA library when it is part of the tree (or a stand-in that says it is not).
 */
#include "hn_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc_cache.h"

/* hn_target_smtp.c */
int hn_target_smtp_resolve(const char *arg, char *file, size_t filelen, char *why,
                           size_t whylen);
int hn_target_smtp_new(struct st_target **out, const char *file, char *why, size_t whylen);

static unsigned driver_timeout_ms(void)
{
    const char *e = getenv("MXTTL_DRIVER_TIMEOUT");
    if (e && *e) {
        char *end;
        double s = strtod(e, &end);
        if (*end == '\0' && s > 0 && s < 3600)
            return (unsigned)(s * 1000.0);
    }
    return 10000;
}

int hn_target_parse(const char *arg, struct hn_target_desc *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    if (!arg || !*arg) {
        snprintf(why, whylen, "empty target name");
        return -1;
    }
    if (strlen(arg) >= sizeof out->name) {
        snprintf(why, whylen, "target name too long");
        return -1;
    }
    snprintf(out->name, sizeof out->name, "%s", arg);
    if (strncmp(arg, "model:", 6) == 0) {
        out->kind = HN_TARGET_MODEL;
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", arg + 6);
        char *plus = strchr(buf, '+');
        if (plus)
            *plus++ = '\0';
        if (strcmp(buf, "legacy") == 0)
            out->legacy = 1;
        else if (strcmp(buf, "ttl") != 0) {
            snprintf(why, whylen, "target %s: mode \"%s\": want model:legacy or model:ttl", arg,
                     buf);
            return -1;
        }
        if (plus) {
            char *save = NULL;
            for (char *f = strtok_r(plus, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
                unsigned bit;
                if (rc_fault_from_str(f, &bit) == 0) {
                    out->faults |= bit;
                } else if (rc_variant_from_str(f, &bit) == 0 && !out->legacy) {
                    out->variants |= bit;
                } else {
                    snprintf(why, whylen, "target %s: unknown fault \"%s\"%s", arg, f,
                             rc_variant_from_str(f, &bit) == 0
                                 ? " (a conformant variant of TTL mode: model:ttl+NAME)"
                                 : "");
                    return -1;
                }
            }
            if (!out->faults && !out->variants) {
                snprintf(why, whylen, "target %s: '+' without a fault or variant", arg);
                return -1;
            }
        }
        return 0;
    }
    if (strncmp(arg, "driver:", 7) == 0) {
        out->kind = HN_TARGET_DRIVER;
        if (!arg[7]) {
            snprintf(why, whylen, "target %s: driver: needs a command", arg);
            return -1;
        }
        snprintf(out->arg, sizeof out->arg, "%s", arg + 7);
        out->timeout_ms = driver_timeout_ms();
        return 0;
    }
    out->kind = HN_TARGET_SMTP;
    if (hn_target_smtp_resolve(arg, out->arg, sizeof out->arg, why, whylen) != 0)
        return -1;
    return 0;
}

int hn_target_make(void *ctx, struct st_target **out, char *why, size_t whylen)
{
    const struct hn_target_desc *d = ctx;
    switch (d->kind) {
    case HN_TARGET_MODEL:
        return hn_model_target_new(out, d->name, d->legacy, d->faults, d->variants,
                                   d->query_timeout_ms, why, whylen);
    case HN_TARGET_DRIVER:
        return hn_driver_target_new(out, d->name, d->arg, d->timeout_ms, why, whylen);
    case HN_TARGET_SMTP:
        return hn_target_smtp_new(out, d->arg, why, whylen);
    }
    snprintf(why, whylen, "unknown target kind");
    return -1;
}

int hn_target_default_spec(const struct hn_target_desc *d, enum st_spec *out, char *why,
                           size_t whylen)
{
    *out = ST_SPEC_TTL;
    if (d->kind == HN_TARGET_MODEL) {
        *out = d->legacy ? ST_SPEC_LEGACY : ST_SPEC_TTL;
        return 0;
    }
    if (d->kind == HN_TARGET_DRIVER) {
        struct st_caps caps;
        if (hn_driver_probe(d->arg, d->timeout_ms, &caps, why, whylen) != 0)
            return -1;
        if (strcmp(caps.mode_hint, "legacy") == 0)
            *out = ST_SPEC_LEGACY;
    }
    return 0;
}
