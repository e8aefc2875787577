#!/bin/sh
# man_test.sh MANDIR: every generated page renders with man(1) and with groff's warnings all on
# (`groff -ww -z`) without a single diagnostic, and the pages name what they must.
set -u
dir=$1
bad=0
for page in mxttl.1 mxttl-scenario.5 mxttl-target.5 mxttl-driver.7; do
    f=$dir/$page
    [ -s "$f" ] || { echo "FAIL: $f missing or empty"; bad=1; continue; }
    w=$(groff -ww -z -man "$f" 2>&1)
    [ -z "$w" ] || { echo "FAIL: groff -ww on $page: $w"; bad=1; }
    w=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$f" 2>&1 >/dev/null)
    [ -z "$w" ] || { echo "FAIL: man -l $page: $w"; bad=1; }
done
# mxttl(1) documents every command, every run option, every exit status and variable
text=$(MANWIDTH=200 LC_ALL=C.UTF-8 man -l "$dir/mxttl.1" 2>/dev/null)
for word in run explore --seed --emit list report diff fixture help --version --target --spec --clause --time \
            --jobs --report --dnsmasq --scenarios --query-timeout --out MXTTL_SCENARIOS MXTTL_DRIVER_TIMEOUT \
            NO_COLOR EXAMPLES "EXIT STATUS"; do
    echo "$text" | grep -q -- "$word" || { echo "FAIL: mxttl(1) does not mention $word"; bad=1; }
done
[ $bad = 0 ] && echo "man_test: ok"
exit $bad
