#!/bin/sh
# conventions_test.sh MXTTL: the command-line conventions of mxttl(1). --version and
# `help [COMMAND]` and COMMAND --help print on stdout (nothing on stderr) and exit 0; an unknown
# command or option exits 2 and names it; verdicts are coloured on a terminal only, never with
# NO_COLOR set or into a pipe. Runs in a private directory it removes.
set -u
mxttl=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-conv-XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
bad=0
check() { # want-status stdout-regex stderr-must-be-empty(1/0) cmd...
    want=$1 re=$2 quiet=$3
    shift 3
    "$@" >out 2>err
    got=$?
    if [ "$got" != "$want" ]; then echo "FAIL '$*': exit got $got, want $want"; bad=1; fi
    if ! grep -Eq -- "$re" out; then echo "FAIL '$*': stdout got '$(head -c 200 out)', want /$re/"; bad=1; fi
    if [ "$quiet" = 1 ] && [ -s err ]; then echo "FAIL '$*': stderr got '$(cat err)', want nothing"; bad=1; fi
}
check 0 '^mxttl [0-9]+\.[0-9]+\.[0-9]+$' 1 "$mxttl" --version
check 0 '^usage: mxttl run' 1 "$mxttl" help
check 0 '^usage: mxttl run' 1 "$mxttl" --help
for c in run explore list report diff fixture help; do
    check 0 "^usage: mxttl $c" 1 "$mxttl" help "$c"
    check 0 "^usage: mxttl $c" 1 "$mxttl" "$c" --help
    check 0 "^usage: mxttl $c" 1 "$mxttl" "$c" -h
done
check 0 '^usage: mxttl fixture' 1 "$mxttl" fixture serve --help
check 0 '^usage: mxttl run' 1 "$mxttl" run --target model:ttl --help
# usage errors: exit 2, the culprit named on stderr
for args in "help frob:frob" "frob:frob" "run --bogus:--bogus" "list clauses --bogus:--bogus" \
            "report --bogus:--bogus" "diff a:want OLD NEW"; do
    name=${args#*:}
    # shellcheck disable=SC2086
    "$mxttl" ${args%%:*} >out 2>err
    got=$?
    [ "$got" = 2 ] || { echo "FAIL 'mxttl ${args%%:*}': exit got $got, want 2"; bad=1; }
    grep -q -- "$name" err || { echo "FAIL 'mxttl ${args%%:*}': stderr does not name '$name'"; bad=1; }
done
# colour: on a terminal (script(1) gives one) yes; with NO_COLOR, or into a file, no
esc=$(printf '\033')
run="$mxttl run --target model:ttl --clause COM-8 --report r"
script -qec "$run" /dev/null >tty.out 2>&1
grep -q "${esc}\[32mPASS" tty.out || { echo "FAIL: no colour on a terminal"; bad=1; }
NO_COLOR=1 script -qec "$run" /dev/null >nocolor.out 2>&1
grep -q "$esc" nocolor.out && { echo "FAIL: colour with NO_COLOR set"; bad=1; }
grep -q "PASS" nocolor.out || { echo "FAIL: no verdicts with NO_COLOR: $(cat nocolor.out)"; bad=1; }
$run >pipe.out 2>&1
grep -q "$esc" pipe.out && { echo "FAIL: colour into a file"; bad=1; }
[ $bad = 0 ] && echo "conventions_test: ok"
exit $bad
