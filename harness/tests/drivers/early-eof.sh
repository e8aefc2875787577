#!/bin/sh
# A driver that exits right after CONFIG without answering.
echo "MXTTL-DRIVER 1 time=virtual,real forward=yes capacity=1000 mode=ttl"
read -r line
exit 7
