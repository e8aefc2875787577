#!/bin/sh
# run_expect.sh STATUS PATTERN MXTTL ARGS... : runs MXTTL ARGS with a report directory of its
# own (removed afterwards) and passes when it exits with STATUS and its output matches the
# extended regular expression PATTERN. An argument ending in /FEW is replaced by a directory
# holding copies of two scenarios of that library (a library of one's own that covers a few
# clauses).
want=$1 pattern=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-suite-test-XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cmd=$1
shift
for a in "$@"; do
    case "$a" in
    */FEW)
        mkdir "$tmp/few"
        cp "${a%/FEW}/mx-ttl-expiry.scn" "${a%/FEW}/null-mx.scn" "$tmp/few/"
        a="$tmp/few"
        ;;
    esac
    set -- "$@" "$a"
    shift
done
"$cmd" "$@" --report "$tmp/report" >"$tmp/out" 2>&1
got=$?
cat "$tmp/out"
if [ "$got" -ne "$want" ]; then
    echo "exit status: got $got, want $want"
    exit 1
fi
if ! grep -Eq -- "$pattern" "$tmp/out"; then
    echo "output: got no line matching \"$pattern\", want one"
    exit 1
fi
