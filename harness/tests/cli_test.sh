#!/bin/sh
# cli_test.sh STATUS REGEX COMMAND [ARG...]
# Runs COMMAND in a fresh temporary directory (so its ./mxttl-report is private) and passes
# when it exits with STATUS and its output (stdout and stderr) matches the extended REGEX.
set -u
want=$1
regex=$2
shift 2
dir=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-cli-XXXXXX") || exit 1
out="$dir/output"
(cd "$dir" && "$@") >"$out" 2>&1
got=$?
cat "$out"
status=0
if [ "$got" -ne "$want" ]; then
    echo "cli_test: exit status: got $got, want $want"
    status=1
fi
if ! grep -Eq -- "$regex" "$out"; then
    echo "cli_test: output: got no line matching /$regex/, want one"
    status=1
fi
rm -rf "$dir"
exit $status
