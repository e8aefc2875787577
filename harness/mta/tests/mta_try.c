/*
 * mta_try: runs an smtp target by hand against a DNS server on the host's loopback --
 * `mta_try FILE DNS_ADDR DNS_PORT [-f FORWARD_HOST] ITEM...` where ITEM is a domain to look
 * up, "forward" to resolve the forward host, or "sleep:SECONDS". Prints one line per answer
 * and whether the namespace was gone after close. A tool for people writing description
 * files (targets/README.md); exit 0 if every item got an answer, 1 if not, 2 on bad usage.
 * MXTTL_KEEP=DIR (an existing directory) keeps the commands' output and the MTA's log there
 * after close (mta-NAME.log).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fx_proc.h"
#include "hn_netns.h"
#include "hn_smtp.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s FILE DNS_ADDR DNS_PORT [-f FORWARD_HOST] ITEM...\n", argv[0]);
        return 2;
    }
    fx_proc_install_signal_cleanup();
    const char *fwd = NULL;
    int first = 4;
    if (!strcmp(argv[4], "-f") && argc > 6) {
        fwd = argv[5];
        first = 6;
    }
    char why[1024];
    struct st_target *t;
    if (hn_smtp_target_new(&t, argv[1], why, sizeof why)) {
        fprintf(stderr, "%s\n", why);
        return 2;
    }
    struct st_env env = {.dns_addr = argv[2], .dns_port = (uint16_t)atoi(argv[3]),
                         .forward_host = fwd, .scenario = "mta_try",
                         .workdir = getenv("MXTTL_KEEP")};
    struct st_caps caps;
    double t0 = now_s();
    if (t->ops->open(t, &env, &caps, why, sizeof why)) {
        fprintf(stderr, "open: %s\n", why);
        t->ops->free(t);
        return 1;
    }
    printf("open %.3f s\n", now_s() - t0);
    int rc = 0;
    for (int i = first; i < argc; i++) {
        if (!strncmp(argv[i], "sleep:", 6)) {
            usleep((useconds_t)(atof(argv[i] + 6) * 1e6));
            continue;
        }
        struct st_answer ans;
        double t1 = now_s();
        int r = !strcmp(argv[i], "forward")
                    ? t->ops->forward(t, 0, &ans, why, sizeof why)
                    : t->ops->lookup(t, argv[i], 0, &ans, why, sizeof why);
        if (r) {
            printf("%s ERROR %.3f s: %s\n", argv[i], now_s() - t1, why);
            rc = 1;
        } else {
            char *text = ans.route ? rc_route_text(ans.route) : NULL;
            printf("%s %s %s %.3f s %s\n", argv[i], rc_reply_str(ans.kind), text ? text : "",
                   now_s() - t1, ans.why);
            free(text);
            st_answer_clear(&ans);
        }
    }
    double t2 = now_s();
    t->ops->close(t);
    printf("close %.3f s\n", now_s() - t2);
    t->ops->free(t);
    return rc;
}
