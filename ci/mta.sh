#!/usr/bin/env bash
# ci/mta.sh: validates the shipped MTA targets (targets/*.mta) on a Debian 12 machine, one MTA
# after another -- Debian's MTA packages conflict: installing exim4-daemon-light removes postfix.
#
#   1. installs postfix and unbound, runs the `mta` CTest tests of the namespace plumbing,
#      postfix and postfix+cache, then a full real-time mxttl run of each (wall time printed)
#   2. installs exim4-daemon-light (removing postfix), runs the exim tests and a full run
#   3. "roots": MTAs that run in a Debian root filesystem of their own (targets/*.mta with a
#      `root` line: OpenSMTPD, Sendmail, Courier, chasquid, Haraka) -- installs mmdebstrap (and npm
#      when the host has none: Haraka's root is filled by the host's npm), builds or reuses each root with
#      targets/mkroot.sh (cached in /var/cache/mxttl/roots; build time printed), runs their
#      tests and a full run of each. Nothing is installed on the host for them.
#
# Full runs write reports to $MXTTL_MTA_OUT/<target>/ (default build/default/mta-reports); their
# verdicts are asserted by the mta_*_verdicts tests, so a non-conforming MTA (mxttl exit 1) or
# an ERROR clause (exit 3) is reported, not failed, there.
# Needs root (apt-get, network namespaces). Exit: 0 all passed, 1 a test or run failed, 2 not
# root. MXTTL_MTA_ONLY=postfix|exim|roots does one part; MXTTL_BUILD names another build
# directory. apt-get waits (up to 15 min) for a package lock another apt-get holds.
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
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "$@" >/dev/null
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
if [ -z "$only" ] || [ "$only" = roots ]; then
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends mmdebstrap >/dev/null
    # root-build-host lines (targets/mkroot.sh) run the host's npm.
    if grep -q '^root-build-host[[:space:]]\{1,\}npm ' targets/*.mta && ! command -v npm >/dev/null; then
        apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends npm >/dev/null
    fi
    rooted=$(grep -l '^root[[:space:]]' targets/*.mta)
    start=$(date +%s)
    # shellcheck disable=SC2086 # one word per description file
    targets/mkroot.sh $rooted || fail=1
    echo "ci/mta.sh: root filesystems ready in $(( $(date +%s) - start )) s"
    names=$(for f in $rooted; do basename "$f" .mta; done | paste -sd'|' -)
    ctest --test-dir "$build" -L mta -R "mta_core_hn_smtp|mta_(${names})_" --output-on-failure ||
        fail=1
    for f in $rooted; do
        full_run "$(basename "$f" .mta)"
    done
fi
if [ "$fail" = 0 ]; then
    echo "ci/mta.sh: all MTA tests passed (reports in $out)"
else
    echo "ci/mta.sh: FAILED (see above)"
fi
exit "$fail"
