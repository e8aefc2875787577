#!/bin/sh
# sigint.sh MXTTL: an interrupted run leaves nothing behind. Starts `mxttl run --target postfix`
# in real time, notes the processes inside its namespaces (ip netns pids), sends SIGINT, and
# checks that the namespaces (ip netns list, /etc/netns) and every one of those processes are
# gone. Exit 77 (skipped) when not root or without Postfix.
set -u
mxttl=$1
if [ "$(id -u)" != 0 ]; then
    echo "SKIP: smtp targets need root (network namespaces)"
    exit 77
fi
command -v postfix >/dev/null 2>&1 || { echo "SKIP: postfix is not installed"; exit 77; }
"$mxttl" run --target postfix --time real --spec ttl --jobs 4 --clause TTL-2 --clause COM-5 \
    > /dev/null 2>&1 &
pid=$!
pids=""
i=0
while [ $i -lt 100 ]; do
    sleep 0.1
    for ns in $(ip netns list | awk -v p="mxttl-$pid-" 'index($1, p) == 1 { print $1 }'); do
        pids="$pids $(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')"
    done
    [ -n "$(echo "$pids" | tr -d ' ')" ] && [ $i -ge 20 ] && break
    i=$((i + 1))
done
if [ -z "$(echo "$pids" | tr -d ' ')" ]; then
    echo "got no process inside an mxttl-$pid-* namespace within 10 s, want a running MTA"
    kill -INT $pid; wait $pid
    exit 1
fi
pids=$(echo $pids | tr ' ' '\n' | sort -un | tr '\n' ' ')
kill -INT $pid
wait $pid
echo "mxttl exited with $? after SIGINT"
fail=0
left=$(ip netns list | awk -v p="mxttl-$pid-" 'index($1, p) == 1 { print $1 }')
if [ -n "$left" ]; then
    echo "got namespaces $left after SIGINT, want none"
    fail=1
fi
if ls /etc/netns 2>/dev/null | grep -q "^mxttl-$pid-"; then
    echo "got /etc/netns/mxttl-$pid-* after SIGINT, want none"
    fail=1
fi
for p in $pids; do
    if [ -d /proc/$p ] && ! grep -q '^State:.Z' /proc/$p/status 2>/dev/null; then
        echo "got process $p ($(tr '\0' ' ' < /proc/$p/cmdline)) alive after SIGINT, want it gone"
        fail=1
    fi
done
[ $fail = 0 ] && echo "namespaces and their processes (${pids% }) are gone"
exit $fail
