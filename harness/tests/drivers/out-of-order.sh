#!/bin/sh
# A driver that answers every request after CONFIG with the wrong id.
echo "MXTTL-DRIVER 1 time=virtual,real forward=yes capacity=1000 mode=ttl"
read -r kw id rest
echo "OK $id"
while read -r kw id rest; do
    echo "ROUTE $((id + 1)) 4 10 mx.example.test 127.0.0.1"
done
