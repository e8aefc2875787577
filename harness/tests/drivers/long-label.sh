#!/bin/sh
# A driver whose routes name an exchanger with a 64-octet label, which DNS cannot carry.
echo "MXTTL-DRIVER 1 time=virtual,real forward=yes capacity=1000 mode=ttl"
read -r kw id rest
echo "OK $id"
label=mx01234567890123456789012345678901234567890123456789012345678901
while read -r kw id rest; do
    case $kw in
    TIME) echo "OK $id" ;;
    QUIT) echo "BYE $id"; exit 0 ;;
    *) echo "ROUTE $id 4 10 $label.example.test 127.0.0.1" ;;
    esac
done
