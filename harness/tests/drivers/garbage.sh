#!/bin/sh
# A driver that greets with garbage.
echo "HELLO THERE"
cat >/dev/null
