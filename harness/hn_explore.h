/*
 * hn_explore: `mxttl explore` -- generated scenarios (suites/st_gen.h) played on the real
 * dnsmasq fixture against each target, judged by the clause judges of `mxttl run`; every
 * (target, clause) that FAILs is shrunk (suites/st_shrink.h) to a minimal scenario written to
 * DIR/minimal/, and the report (harness/report) lists each with its evidence and the command
 * that replays it.
 */
#ifndef HN_EXPLORE_H
#define HN_EXPLORE_H

/* The usage lines of the command (for mxttl's usage text). */
#define HN_EXPLORE_USAGE                                                                   \
    "       mxttl explore [--target T]... [--spec legacy|ttl] [--seed N]\n"               \
    "                     [--count N | --for DURATION] [--time virtual|real] [--jobs N]\n" \
    "                     [--report DIR] [--clause ID]... [--dnsmasq PATH] [--cases N]\n" \
    "                     [--emit DIR]\n"

/* Runs the command; argv[1] is "explore". Prints progress (on a terminal), the seed, findings
 * and the report path. Returns the exit status: 0 no FAIL found, 1 a FAIL found and shrunk,
 * 2 usage or input error (the message names the option), 3 infrastructure error or
 * interrupted. */
int hn_explore_main(int argc, char **argv);

#endif
