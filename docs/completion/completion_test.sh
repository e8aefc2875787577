#!/bin/bash
# completion_test.sh MXTTL COMPLETION_FILE: drives the bash completion function as bash would
# (COMP_WORDS/COMP_CWORD) and checks commands, options, clause IDs, scenario names and built-in
# targets are offered.
set -u
mxttl=$1
# shellcheck source=/dev/null
source "$2"
bad=0
complete_line() { # words... (the last one is the word being completed)
    COMP_WORDS=("$mxttl" "$@")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    _mxttl
    printf '%s\n' "${COMPREPLY[@]}"
}
expect() { # want words...
    local want=$1
    shift
    if ! complete_line "$@" | grep -qx -- "$want"; then
        echo "FAIL: completing '$*': got [$(complete_line "$@" | tr '\n' ' ')], want '$want'"
        bad=1
    fi
}
expect run ""
expect --version --ver
expect report rep
expect --clause run --cl
expect TTL-2 run --clause TTL-
expect COM-8 run --target model:ttl --clause C
expect mx-ttl-expiry fixture serve mx-ttl
expect model:ttl+expiry-late run --target model:ttl+exp
expect model:legacy run --target model:l
expect postfix run --target postf
expect virtual run --time v
expect scenarios list sc
expect diff help di
expect explore exp
expect --seed explore --se
[ $bad = 0 ] && echo "completion_test: ok"
exit $bad
