#!/bin/sh
# verdicts.sh MXTTL TARGET SPEC "PROGRAMS" CLAUSE=VERDICT[|VERDICT]...
# Runs `mxttl run` on one smtp target in real time with just the clauses named and checks each
# clause got the verdict its documented behaviour implies ("got X, want Y" otherwise); where
# the behaviour depends on timing the test cannot fix, several verdicts may be allowed.
# Exit 77 (skipped) when not root or when one of PROGRAMS (the MTA) is not installed.
set -u
mxttl=$1 target=$2 spec=$3 programs=$4
shift 4
if [ "$(id -u)" != 0 ]; then
    echo "SKIP: smtp targets need root (network namespaces)"
    exit 77
fi
for p in $programs; do
    if ! command -v "$p" >/dev/null 2>&1; then
        echo "SKIP: $p is not installed (ci/mta.sh installs the MTAs one at a time)"
        exit 77
    fi
done
args=""
for cv in "$@"; do
    args="$args --clause ${cv%%=*}"
done
# shellcheck disable=SC2086 # one word per clause option
out=$("$mxttl" run --target "$target" --time real --spec "$spec" --jobs 8 $args 2>&1)
echo "$out"
fail=0
for cv in "$@"; do
    c=${cv%%=*}
    v=${cv#*=}
    got=$(printf '%s\n' "$out" | awk -v c="$c" '$1 == c { print $3; exit }')
    case "|$v|" in
    *"|$got|"*) ;;
    *)
        echo "$target $c: got ${got:-no verdict}, want $v"
        fail=1
        ;;
    esac
done
exit $fail
