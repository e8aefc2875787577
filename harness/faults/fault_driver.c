/*
 * fault_driver: a driver program that misbehaves on purpose, for the fault-injection tests in
 * harness/faults. It speaks the driver protocol (harness/PROTOCOL.md) by relaying every line
 * between the harness and a real driver (normally mxttl-model-driver, run as its child), and
 * injects one fault at the first LOOKUP of one scenario, so that the clauses that scenario
 * decides must come out ERROR while every other clause is judged as usual.
 *
 *   fault_driver MODE SCENARIO REAL-DRIVER [ARG...]
 *
 * SCENARIO is matched against the scenario= item of CONFIG; "*" matches every scenario.
 * MODE (what happens at the first LOOKUP of SCENARIO, unless said otherwise):
 *   crash         dies by SIGSEGV (no core file)
 *   hang          stops answering and sleeps for good
 *   garbage       answers with binary garbage instead of the real answer
 *   out-of-order  answers with the id of another request
 *   slow          answers right, but after MXTTL_FAULT_SLOW_MS (default 30000) ms
 *   close-stdout  closes its stdout, then keeps reading its input until EOF
 *   huge-line     answers with a line over the protocol's 16 MiB limit (16 MiB + 1 KiB)
 *   long-name     answers ROUTE with an exchanger name of 300 octets and a label of 70
 *   non-ascii     answers ROUTE with a non-ASCII (UTF-8) exchanger name
 *   kill-dnsmasq  SIGKILLs every dnsmasq descended from the harness (its parent), then relays
 *   bad-greeting  greets with a non-ASCII, unparseable greeting (before any request)
 *   no-greeting   never greets: sleeps for good at start-up
 *   root-route    (every LOOKUP of SCENARIO) a null MX answer becomes "ROUTE ID 300 0 .": a
 *                 cache that takes a null MX for a route to the root, reported honestly
 *   root-route-addr  the same with an address: "ROUTE ID 300 0 . 192.0.2.1"
 *   long-route    (every LOOKUP of SCENARIO) each ROUTE gets 3,000 more exchangers of 253
 *                 octets at preference 65535, with an address each (a line of ~0.8 MB)
 *   none          relays only (the control case)
 * Exit status: 0 at end of input, 2 on a usage error, 3 when the real driver cannot be run.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static FILE *to_real, *from_real;
static pid_t real_pid = -1;

static int start_real(char **argv)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* The real driver must not outlive us, whatever way we die. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0)
            _exit(127);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execv(argv[0], argv);
        fprintf(stderr, "fault_driver: %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_real = fdopen(in[1], "w");
    from_real = fdopen(out[0], "r");
    real_pid = pid;
    return to_real && from_real ? 0 : -1;
}

static void stop_real(void)
{
    if (to_real)
        fclose(to_real);
    to_real = NULL;
    if (real_pid > 0)
        waitpid(real_pid, NULL, 0);
    real_pid = -1;
}

/* One line from f, LF removed; NULL at EOF. Caller frees. */
static char *get_line(FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

static void put_line(const char *line)
{
    fputs(line, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

/* Sends a request to the real driver and returns its one-line answer (caller frees), or NULL
 * when it has gone. */
static char *relay(const char *request)
{
    if (fprintf(to_real, "%s\n", request) < 0 || fflush(to_real) != 0)
        return NULL;
    return get_line(from_real);
}

static void sleep_for_good(void)
{
    for (;;)
        pause();
}

/* The parent of pid from /proc/PID/stat, or -1. The command name may hold spaces and ')'. */
static pid_t parent_of(pid_t pid, char *comm, size_t commlen)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    if (!open || !close || close < open)
        return -1;
    if (comm) {
        size_t len = (size_t)(close - open - 1);
        if (len >= commlen)
            len = commlen - 1;
        memcpy(comm, open + 1, len);
        comm[len] = '\0';
    }
    int ppid = -1;
    char state;
    if (sscanf(close + 1, " %c %d", &state, &ppid) != 2)
        return -1;
    return (pid_t)ppid;
}

/* SIGKILLs every process named dnsmasq that descends from ancestor. Returns how many. */
static int kill_dnsmasq_under(pid_t ancestor)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    int killed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        char comm[64];
        pid_t up = parent_of(pid, comm, sizeof comm);
        if (strcmp(comm, "dnsmasq") != 0)
            continue;
        for (int depth = 0; up > 1 && depth < 64; depth++) {
            if (up == ancestor) {
                if (kill(pid, SIGKILL) == 0)
                    killed++;
                break;
            }
            up = parent_of(up, NULL, 0);
        }
    }
    closedir(d);
    return killed;
}

/* The id of a request line "KEYWORD ID ..." (0 if none). */
static unsigned long request_id(const char *line)
{
    const char *sp = strchr(line, ' ');
    return sp ? strtoul(sp + 1, NULL, 10) : 0;
}

/* Whether CONFIG line names scenario want ("*" matches all). */
static int config_matches(const char *line, const char *want)
{
    if (strcmp(want, "*") == 0)
        return 1;
    const char *p = strstr(line, " scenario=");
    if (!p)
        return 0;
    p += strlen(" scenario=");
    size_t n = strcspn(p, " ");
    return n == strlen(want) && strncmp(p, want, n) == 0;
}

/* Does the fault at a LOOKUP; returns 1 if the lookup was answered (or never will be). */
static int inject(const char *mode, const char *request)
{
    unsigned long id = request_id(request);
    char *real;
    if (strcmp(mode, "crash") == 0) {
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);
        sigset_t segv;
        sigemptyset(&segv);
        sigaddset(&segv, SIGSEGV);
        sigprocmask(SIG_UNBLOCK, &segv, NULL); /* a blocked mask is inherited through exec */
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    if (strcmp(mode, "hang") == 0)
        sleep_for_good();
    if (strcmp(mode, "close-stdout") == 0) {
        fclose(stdout);
        close(1);
        char *line;
        while ((line = get_line(stdin)) != NULL)
            free(line);
        stop_real();
        exit(0);
    }
    if (strcmp(mode, "kill-dnsmasq") == 0) {
        int n = kill_dnsmasq_under(getppid());
        fprintf(stderr, "fault_driver: killed %d dnsmasq\n", n);
        return 0;
    }
    if (strcmp(mode, "huge-line") == 0) {
        size_t n = (16u << 20) + 1024u;
        char *big = malloc(n + 1);
        if (!big)
            exit(3);
        memset(big, 'R', n);
        big[n] = '\0';
        put_line(big);
        free(big);
        free(relay(request)); /* keep the real driver in step */
        return 1;
    }
    if (strcmp(mode, "long-name") == 0 || strcmp(mode, "non-ascii") == 0) {
        free(relay(request));
        char name[400];
        if (mode[0] == 'l')
            snprintf(name, sizeof name, "%0*d.%0*d.test", 70, 0, 226, 0); /* 70 + 226 + 7 */
        else
            snprintf(name, sizeof name, "m\xc3\xa4il.test");
        printf("ROUTE %lu 300 10 %s 127.0.0.10\n", id, name);
        fflush(stdout);
        return 1;
    }
    real = relay(request);
    if (!real)
        exit(3);
    if (strcmp(mode, "garbage") == 0) {
        static const unsigned char junk[] = {0x00, 0xff, 0xfe, 0x1b, '[', '2', 'J', 0x80, 0x7f,
                                             'R', 'O', 'U', 'T', 'E', 0x00, 0x01, 0xc0};
        fwrite(junk, 1, sizeof junk, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    } else if (strcmp(mode, "out-of-order") == 0) {
        const char *sp = strchr(real, ' ');
        const char *rest = sp ? strchr(sp + 1, ' ') : NULL;
        size_t kw = sp ? (size_t)(sp - real) : strlen(real);
        printf("%.*s %lu%s\n", (int)kw, real, id + 1, rest ? rest : "");
        fflush(stdout);
    } else if (strcmp(mode, "slow") == 0) {
        const char *e = getenv("MXTTL_FAULT_SLOW_MS");
        unsigned long ms = e ? strtoul(e, NULL, 10) : 30000;
        usleep((useconds_t)(ms % 1000) * 1000);
        sleep((unsigned)(ms / 1000));
        put_line(real);
    } else {
        put_line(real);
    }
    free(real);
    return 1;
}

/* The rewriting modes: the real driver's reply to a LOOKUP, changed (a new string), or NULL to
 * pass it on as it is. */
static char *rewrite(const char *mode, const char *real)
{
    unsigned long id = request_id(real);
    if (strncmp(mode, "root-route", 10) == 0) {
        if (strncmp(real, "NOROUTE ", 8) != 0 || !strstr(real, " nullmx"))
            return NULL;
        char *out = malloc(80);
        if (out)
            snprintf(out, 80, "ROUTE %lu 300 0 .%s", id, mode[10] ? " 192.0.2.1" : "");
        return out;
    }
    if (strcmp(mode, "long-route") != 0 || strncmp(real, "ROUTE ", 6) != 0)
        return NULL;
    size_t n = 3000, len = strlen(real), cap = len + n * 300 + 1;
    char *out = malloc(cap), *p = out;
    if (!out)
        return NULL;
    memcpy(p, real, len);
    p += len;
    for (size_t i = 0; i < n; i++) {
        p += sprintf(p, "; 65535 x%04zu", i); /* 5 + 4 * 62 = 253 octets */
        for (int k = 0; k < 4; k++) {
            memset(p, 'a' + k, 62);
            p[0] = '.';
            p += 62;
        }
        p += sprintf(p, " 192.0.2.%zu", i % 250 + 1);
    }
    *p = '\0';
    return out;
}

static const char *const modes[] = {
    "crash", "hang", "garbage", "out-of-order", "slow", "close-stdout", "huge-line",
    "long-name", "non-ascii", "kill-dnsmasq", "bad-greeting", "no-greeting", "root-route",
    "root-route-addr", "long-route", "none"};

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: fault_driver MODE SCENARIO REAL-DRIVER [ARG...]\n");
        return 2;
    }
    const char *mode = argv[1], *scenario = argv[2];
    int known = 0;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        known |= strcmp(mode, modes[i]) == 0;
    if (!known) {
        fprintf(stderr, "fault_driver: unknown mode %s\n", mode);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (strcmp(mode, "no-greeting") == 0)
        sleep_for_good();
    if (start_real(argv + 3) != 0) {
        fprintf(stderr, "fault_driver: cannot start %s\n", argv[3]);
        return 3;
    }
    char *greeting = get_line(from_real);
    if (!greeting) {
        fprintf(stderr, "fault_driver: %s did not greet\n", argv[3]);
        return 3;
    }
    if (strcmp(mode, "bad-greeting") == 0)
        put_line("MXTTL-DRIVER 1 time=v\xc3\xafrtual \x01");
    else
        put_line(greeting);
    free(greeting);

    int armed = 0, fired = 0;
    char *line;
    while ((line = get_line(stdin)) != NULL) {
        if (strncmp(line, "CONFIG ", 7) == 0)
            armed = config_matches(line, scenario);
        int done = 0;
        int rewriting = strstr(mode, "-route") != NULL;
        if (armed && !fired && !rewriting && strncmp(line, "LOOKUP ", 7) == 0) {
            fired = 1;
            done = inject(mode, line);
        }
        if (!done) {
            char *real = relay(line);
            if (!real) {
                free(line);
                break;
            }
            char *changed = armed && rewriting && strncmp(line, "LOOKUP ", 7) == 0
                                ? rewrite(mode, real)
                                : NULL;
            put_line(changed ? changed : real);
            free(changed);
            free(real);
        }
        free(line);
    }
    stop_real();
    return 0;
}
