#!/bin/sh
# interrupt_test.sh MXTTL DRIVER: SIGINT during a real-time run stops every child (drivers and
# dnsmasq), writes a partial report marked incomplete, and exits 3. Everything runs under a
# fresh directory (TMPDIR, and a copy of the driver) so that leftovers can be found by path.
set -u
mxttl=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-int-XXXXXX") || exit 1
cp "$2" "$dir/driver" || exit 1
cd "$dir" || exit 1
TMPDIR=$dir "$mxttl" run --time real --jobs 4 --target "driver:$dir/driver" --clause TTL-4 \
    --clause TTL-10 --report rep >out 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
got=$?
cat out
status=0
[ "$got" -eq 3 ] || { echo "interrupt_test: exit status: got $got, want 3"; status=1; }
grep -q '"incomplete": *true' rep/results.json 2>/dev/null ||
    { echo "interrupt_test: rep/results.json: got no \"incomplete\": true, want it"; status=1; }
sleep 0.2
left=$(pgrep -f "$dir" || true)
[ -z "$left" ] || { echo "interrupt_test: processes left running: $left"; ps -fp $left; status=1; }
cd / && rm -rf "$dir"
exit $status
