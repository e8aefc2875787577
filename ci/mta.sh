#!/usr/bin/env bash
# ci/mta.sh: validates the shipped MTA targets (targets/*.mta) on a Debian 12 machine, one MTA
# after another -- Debian's MTA packages conflict: installing exim4-daemon-light removes postfix.
#
#   1. installs postfix and unbound, runs the `mta` CTest tests of the namespace plumbing,
#      postfix and postfix+cache, then a full real-time mxttl run of each (wall time printed)
#   2. installs exim4-daemon-light (removing postfix), runs the exim tests and a full run
#
# Full runs write reports to $MXTTL_MTA_OUT/<target>/ (default build/default/mta-reports); their
# verdicts are asserted by the mta_*_verdicts tests, so a non-conforming MTA (mxttl exit 1) or
# an ERROR clause (exit 3) is reported, not failed, there.
# Needs root (apt-get, network namespaces). Exit: 0 all passed, 1 a test or run failed, 2 not
# root. MXTTL_MTA_ONLY=postfix|exim does one half; MXTTL_BUILD names another build directory.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
    echo "ci/mta.sh: needs root (apt-get and network namespaces)" >&2
    exit 2
fi
build=${MXTTL_BUILD:-build/default}
out=${MXTTL_MTA_OUT:-$build/mta-reports}
only=${MXTTL_MTA_ONLY:-}
if [ ! -x "$build/bin/mxttl" ]; then
    cmake --preset default >/dev/null
    cmake --build --preset default
fi
mkdir -p "$out"
export DEBIAN_FRONTEND=noninteractive

install() {
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    # The packages' own services are not used (each play runs a private instance in a
    # namespace); stop them where an init system started them.
    for s in postfix exim4 unbound; do
        if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$s" 2>/dev/null; then
            systemctl stop "$s" || true
        fi
    done
}

fail=0
full_run() {
    local target=$1 start end rc=0
    start=$(date +%s.%N)
    "$build/bin/mxttl" run --target "$target" --report "$out/$target" || rc=$?
    end=$(date +%s.%N)
    echo "ci/mta.sh: full run of $target: exit $rc," \
         "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s wall"
    # 1 = does not conform (expected), 3 = some clause is ERROR (listed in the report; the
    # verdict tests say whether that is a regression), 2 = bad usage: a broken script.
    if [ "$rc" = 2 ]; then
        fail=1
    fi
}

if [ -z "$only" ] || [ "$only" = postfix ]; then
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    install postfix unbound
    ctest --test-dir "$build" -L mta -R 'mta_core|hn_mta|mta_postfix' --output-on-failure || fail=1
    full_run postfix
    full_run postfix+cache
    ci/mta-stacks.sh || fail=1
fi
if [ -z "$only" ] || [ "$only" = exim ]; then
    install exim4-daemon-light
    ctest --test-dir "$build" -L mta -R 'mta_core|mta_exim' --output-on-failure || fail=1
    full_run exim
fi
if [ "$fail" = 0 ]; then
    echo "ci/mta.sh: all MTA tests passed (reports in $out)"
else
    echo "ci/mta.sh: FAILED (see above)"
fi
exit "$fail"
