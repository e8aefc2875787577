#!/bin/sh
# A driver that greets and then never answers (the harness must kill it by PID).
echo "MXTTL-DRIVER 1 time=virtual,real forward=yes capacity=1000 mode=ttl"
exec sleep 60
