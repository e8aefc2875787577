#!/usr/bin/env bash
# ci/mta-stacks.sh: the resolver stacks -- Postfix behind each caching resolver Debian ships
# (targets/postfix+RESOLVER*.mta, see targets/README.md). Installs unbound, knot-resolver,
# pdns-recursor and bind9 (dnsmasq-base comes with ci/setup.sh) without letting their services
# start, then runs the `mta_stack_*` CTest tests (label mta) side by side, and prints the wall
# time of each part.
#
# ci/mta.sh calls it in its Postfix phase (Postfix must be installed; these tests skip
# otherwise). Needs root. Exit: 0 all passed, 1 a test failed, 2 not root.
# MXTTL_BUILD names another build directory; MXTTL_STACK_JOBS how many tests run at once
# (default 3: each runs its own real-time plays).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
    echo "ci/mta-stacks.sh: needs root (apt-get and network namespaces)" >&2
    exit 2
fi
build=${MXTTL_BUILD:-build/default}
jobs=${MXTTL_STACK_JOBS:-3}
export DEBIAN_FRONTEND=noninteractive

seconds() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# Each play runs a private resolver in its own namespace: the packages' own services must not
# start on the host (they would take port 53 and query the Internet). A policy-rc.d that
# denies every start is put in place unless one is there already, and removed afterwards.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# ci/mta-stacks.sh: no service starts while resolvers are installed\nexit 101\n' \
        >"$policy"
    chmod 755 "$policy"
    own_policy=1
fi
cleanup() {
    if [ "$own_policy" = 1 ]; then
        rm -f "$policy"
    fi
}
trap cleanup EXIT

start=$(date +%s.%N)
apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
    unbound knot-resolver pdns-recursor bind9 >/dev/null
echo "ci/mta-stacks.sh: resolvers installed in $(seconds "$start") s"
cleanup
own_policy=0

start=$(date +%s.%N)
rc=0
ctest --test-dir "$build" -L mta -R '^mta_stack_' -j "$jobs" --output-on-failure || rc=1
echo "ci/mta-stacks.sh: stack tests: exit $rc, $(seconds "$start") s wall"
exit "$rc"
