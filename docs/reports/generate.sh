#!/usr/bin/env bash
# docs/reports/generate.sh: regenerates the MTA behaviour reports in docs/reports/ -- one real-time
# run per shipped MTA target, one with Postfix, postfix+cache and the two reference models side
# by side, and a merged side-by-side report with Exim added. Debian's MTA packages conflict, so
# it installs postfix and unbound, runs their reports, installs exim4-daemon-light (removing
# postfix), runs Exim's, merges, and installs postfix again at the end.
# Needs root (apt-get, network namespaces) and a build (MXTTL=path of the mxttl program,
# default build/default/bin/mxttl). Exit 0 when every report was written, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
mxttl=${MXTTL:-build/default/bin/mxttl}
out=docs/reports
export DEBIAN_FRONTEND=noninteractive

# mxttl exits 1 for a target that does not conform and 3 when a clause is ERROR: both still
# write the report. 2 (usage) or a missing report is a failure.
run() {
    local dir=$1 rc=0
    shift
    rm -rf "$dir"
    "$mxttl" run "$@" --report "$dir" || rc=$?
    if [ "$rc" = 2 ] || [ ! -f "$dir/report.html" ]; then
        echo "generate.sh: no report in $dir (mxttl exit $rc)" >&2
        exit 1
    fi
}

echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get install -y -qq --no-install-recommends postfix unbound >/dev/null
run $out/postfix --target postfix
run $out/postfix+cache --target postfix+cache
run $out/side-by-side/postfix-and-models --target postfix --target postfix+cache \
    --target model:legacy --target model:ttl

apt-get install -y -qq --no-install-recommends exim4-daemon-light >/dev/null
run $out/exim --target exim
rm -rf $out/side-by-side/all
"$mxttl" report $out/side-by-side/postfix-and-models $out/exim --out $out/side-by-side/all

apt-get install -y -qq --no-install-recommends postfix >/dev/null
echo "generate.sh: reports written under $out"
