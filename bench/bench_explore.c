/*
 * bench_explore: how many generated scenarios `mxttl explore` plays and judges per second, on
 * virtual time, against (1) both reference models in process and (2) the reference driver
 * (mxttl-model-driver over harness/PROTOCOL.md). Each configuration is one explore run with a
 * fixed seed; explore itself prints the figure of its generating phase ("N scenarios (M cases)
 * in T s: R scenarios/s, C cases/s"), which excludes the shrinking of any finding.
 *
 *   bench_explore [COUNT] [JOBS] [SEED]      (defaults 300 2 1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hn_explore.h"

#ifndef MXTTL_MODEL_DRIVER
#define MXTTL_MODEL_DRIVER "mxttl-model-driver"
#endif

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(const char *title, char **argv, int argc)
{
    printf("\n== %s\n", title);
    fflush(stdout);
    double t0 = mono();
    int rc = hn_explore_main(argc, argv, NULL);
    fflush(stdout);
    printf("   exit %d, %.1f s wall in all (generating, judging, shrinking, report)\n", rc,
           mono() - t0);
    return rc;
}

int main(int argc, char **argv)
{
    const char *count = argc > 1 ? argv[1] : "300";
    const char *jobs = argc > 2 ? argv[2] : "2";
    const char *seed = argc > 3 ? argv[3] : "1";
    char dir[] = "/tmp/mxttl-bench-explore-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char rep1[64], rep2[64], drv[1100];
    snprintf(rep1, sizeof rep1, "%s/models", dir);
    snprintf(rep2, sizeof rep2, "%s/driver", dir);
    snprintf(drv, sizeof drv, "driver:%s", MXTTL_MODEL_DRIVER);
    char *a1[] = {"mxttl", "explore", "--seed", (char *)seed, "--count", (char *)count,
                  "--jobs", (char *)jobs, "--report", rep1, NULL};
    char *a2[] = {"mxttl", "explore", "--target", drv, "--seed", (char *)seed, "--count",
                  (char *)count, "--jobs", (char *)jobs, "--report", rep2, NULL};
    printf("bench_explore: %s scenarios, --jobs %s, seed %s, virtual time\n", count, jobs, seed);
    int r1 = run("model:legacy and model:ttl (target >= 50 scenarios/s, aim 200)", a1, 10);
    int r2 = run("driver:mxttl-model-driver (target >= 20 scenarios/s)", a2, 12);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_explore: could not remove %s\n", dir);
    return r1 > 1 || r2 > 1 ? 1 : 0;
}
