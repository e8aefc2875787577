/*
 * hn_explore: `mxttl explore` -- generated scenarios (suites/st_gen.h) played on the real
 * dnsmasq fixture against each target, judged by the clause judges of `mxttl run`; every
 * (target, clause) that FAILs is shrunk (suites/st_shrink.h) to a minimal scenario written to
 * DIR/minimal/, and the report (harness/report) lists each with its evidence and the command
 * that replays it.
 */
#ifndef HN_EXPLORE_H
#define HN_EXPLORE_H

#include <signal.h>

/* Synopsis and option help, for mxttl's usage text and `mxttl help explore`. */
/* A model target's wait for an unanswered query in virtual time (mxttl run's embedded
 * default run waits as long). */
#define HN_EXPLORE_QUERY_TIMEOUT_MS 400

#define HN_EXPLORE_SYNOPSIS                                                                  \
    "mxttl explore [--target T]... [--spec legacy|ttl] [--seed N]\n"                          \
    "                 [--count N | --for DURATION] [--time virtual|real] [--jobs N]\n"       \
    "                 [--report DIR] [--clause ID]... [--cases N] [--dnsmasq PATH]\n"        \
    "                 [--emit DIR] [--query-timeout MS]"
#define HN_EXPLORE_DETAIL                                                                     \
    "Generates scenarios from a seed, plays them on the dnsmasq fixture against each target,\n" \
    "judges them with the clauses of mxttl run, and shrinks every FAIL to a minimal scenario\n" \
    "in DIR/minimal/ (replay: mxttl run --scenarios DIR/minimal --target T).\n"                 \
    "  --target T         as for mxttl run; default model:legacy and model:ttl\n"              \
    "  --spec S           judge every target against legacy or ttl\n"                          \
    "  --seed N           the seed (decimal or 0x hex; default: a fresh one, printed)\n"       \
    "  --count N          generated scenarios (default 500) ...\n"                             \
    "  --for DURATION     ... or generate for this long (60s, 10m, 1h)\n"                      \
    "  --time T           virtual (default) or real (second-scale TTLs, scenarios <= 8 s)\n"  \
    "  --jobs N           scenarios at once, 1..64 (default 8)\n"                \
    "  --report DIR       where the report and minimal/ go (default mxttl-explore)\n"         \
    "  --clause ID        judge and shrink only this clause (repeatable)\n"                   \
    "  --cases N          independent cases per generated scenario, 1..64 (default 32;\n"     \
    "                     real time 4)\n"                                                     \
    "  --dnsmasq PATH     the dnsmasq program\n"                                              \
    "  --emit DIR         write the generated scenarios to DIR, play nothing\n"              \
    "  --query-timeout MS as for mxttl run (default 400)       \n"       \
    "Exit: 0 no FAIL found, 1 a FAIL found and shrunk, 2 usage error, 3 infrastructure error."

/* Runs the command; argv[1] is "explore". Prints progress (on a terminal), the seed, findings
 * and the report path. stop (borrowed; NULL: never) is the caller's signal flag: once set, no
 * more scenarios start and a partial report is written. Returns the exit status: 0 no FAIL
 * found, 1 a FAIL found and shrunk, 2 usage or input error (the message names the option),
 * 3 infrastructure error or interrupted. */
int hn_explore_main(int argc, char **argv, const volatile sig_atomic_t *stop);

#endif
