#!/bin/sh
# A driver whose CONFIG reply is a line over the 4096-octet limit.
echo "MXTTL-DRIVER 1 time=virtual,real forward=yes capacity=1000 mode=ttl"
read -r line
printf 'OK 1 '
i=0
while [ $i -lt 600 ]; do printf 'xxxxxxxxxx'; i=$((i + 1)); done
echo
cat >/dev/null
