#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for mxttl and builds it (preset "default").
# Needs root for apt-get (or sudo). Exit status: non-zero if any step failed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libldns-dev ldnsutils libcmocka-dev libpcap-dev
          dnsmasq-base iproute2 procps libxml2-utils clang libclang-rt-14-dev valgrind cppcheck clang-tidy
          scdoc groff-base man-db bash-completion yamllint python3 libjansson-dev dpkg-dev)
if [ "${MXTTL_SKIP_APT:-0}" != 1 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

cmake --preset default >/dev/null
cmake --build --preset default
echo "setup: built build/default (programs in build/default/bin)"
