#!/bin/sh
# report_diff_test.sh MXTTL: `mxttl report` merges two runs side by side and `mxttl diff`
# tells an unchanged run (exit 0) from a worse one (exit 1), through the reports library.
set -u
mxttl=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-rep-XXXXXX") || exit 1
cd "$dir" || exit 1
fail() { echo "report_diff_test: $*"; cd / && rm -rf "$dir"; exit 1; }
"$mxttl" run --target model:ttl --clause TTL-2 --clause COM-8 --report a >/dev/null 2>&1
[ $? -eq 0 ] || fail "run a: got exit $?, want 0"
"$mxttl" run --target model:ttl+expiry-late --spec ttl --clause TTL-2 --clause COM-8 \
    --report b >/dev/null 2>&1
st=$?
[ $st -eq 1 ] || fail "run b: got exit $st, want 1"
"$mxttl" diff a a >out 2>&1
st=$?
[ $st -eq 0 ] || { cat out; fail "diff a a: got exit $st, want 0"; }
"$mxttl" diff a b >out 2>&1
st=$?
[ $st -eq 1 ] || { cat out; fail "diff a b: got exit $st, want 1"; }
grep -Eq "GONE +model:ttl TTL-2" out || { cat out; fail "diff a b: got no \"GONE model:ttl TTL-2\""; }
"$mxttl" report a b --out merged >out 2>&1
st=$?
[ $st -eq 0 ] || { cat out; fail "report: got exit $st, want 0"; }
[ -s merged/report.html ] || fail "merged/report.html: got nothing, want a report"
grep -q 'model:ttl+expiry-late' merged/results.json || fail "merged/results.json lacks run b"
"$mxttl" diff a nonexistent >out 2>&1
st=$?
[ $st -eq 2 ] || { cat out; fail "diff a nonexistent: got exit $st, want 2"; }
cd / && rm -rf "$dir"
echo "report_diff_test: ok"
