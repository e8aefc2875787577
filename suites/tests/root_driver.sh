#!/bin/sh
# A driver (harness/PROTOCOL.md) whose cache mistakes every answer -- a null MX included -- for
# a route to the root: it answers each LOOKUP with "ROUTE id 300 0 .". The suites must judge
# that route (COM-3 FAIL), not refuse it as a protocol error.
echo "MXTTL-DRIVER 1 time=virtual forward=no capacity=0 mode=ttl"
while read -r verb id rest; do
    case "$verb" in
    CONFIG | TIME) echo "OK $id" ;;
    LOOKUP) echo "ROUTE $id 300 0 ." ;;
    FORWARD) echo "TEMPFAIL $id no forward host" ;;
    QUIT)
        echo "BYE $id"
        exit 0
        ;;
    *) echo "ERROR $id unknown request $verb" ;;
    esac
done
