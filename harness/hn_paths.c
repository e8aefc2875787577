/*
 * hn_paths: the data directories of the installed or built mxttl (see hn_paths.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hn_paths.h"

/* Set by harness/CMakeLists.txt: the configured install path and the source tree's copy. */
#ifndef MXTTL_INSTALL_DATADIR
#define MXTTL_INSTALL_DATADIR "/usr/local/share/mxttl"
#endif
#ifndef MXTTL_SOURCE_DIR
#define MXTTL_SOURCE_DIR "."
#endif

static int is_dir(const char *p)
{
    struct stat sb;
    return p[0] && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The directory of the running program (from /proc/self/exe), or "" when unknown. */
static void exe_dir(char *out, size_t outlen)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    out[0] = '\0';
    if (n <= 0)
        return;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf)
        return;
    *slash = '\0';
    snprintf(out, outlen, "%s", buf);
}

const char *hn_path_data(enum hn_path_kind kind)
{
    static char found[2][PATH_MAX + 64];
    const char *name = kind == HN_PATH_SCENARIOS ? "scenarios" : "targets";
    const char *source = kind == HN_PATH_SCENARIOS ? MXTTL_SOURCE_DIR "/fixtures/scenarios"
                                                   : MXTTL_SOURCE_DIR "/targets";
    char *out = found[kind == HN_PATH_SCENARIOS ? 0 : 1];
    char dir[PATH_MAX];
    exe_dir(dir, sizeof dir);
    if (dir[0]) {
        char rel[PATH_MAX + 64];
        snprintf(rel, sizeof rel, "%s/../share/mxttl/%s", dir, name);
        /* shown in `mxttl list targets`: /usr/share/..., not /usr/bin/../share/... */
        if (is_dir(rel) && realpath(rel, out))
            return out;
    }
    if (is_dir(source)) {
        snprintf(out, sizeof found[0], "%s", source);
        return out;
    }
    snprintf(out, sizeof found[0], "%s/%s", MXTTL_INSTALL_DATADIR, name);
    return out;
}
