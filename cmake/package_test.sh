#!/bin/sh
# package_test.sh BUILD_DIR: builds the .deb with CPack, installs it on this machine with apt
# (which pulls the declared dependencies), runs `mxttl run` from / with no environment
# variable and checks exit 0, then removes the package and what it left. Installing a package
# changes the machine, so it runs only as root and only on CI (CI=true) or with
# MXTTL_PACKAGE_TEST=1; otherwise it exits 77 (skipped).
set -eu
build=$1
if [ "$(id -u)" != 0 ] || { [ "${CI:-}" != true ] && [ "${MXTTL_PACKAGE_TEST:-0}" != 1 ]; }; then
    echo "package_test: skipped (needs root and CI=true or MXTTL_PACKAGE_TEST=1)"
    exit 77
fi
if dpkg-query -W -f '${Status}' mxttl 2>/dev/null | grep -q 'install ok installed'; then
    echo "package_test: an mxttl package is already installed; not touching it" >&2
    exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-package-test.XXXXXX")
installed=0
cleanup() {
    [ "$installed" = 0 ] || apt-get -o DPkg::Lock::Timeout=900 purge -y -qq mxttl >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >cpack.log 2>&1) || {
    cat "$work/cpack.log"; echo "package_test: cpack failed" >&2; exit 1; }
deb=$(ls "$work"/mxttl_*.deb)
echo "package_test: built $(basename "$deb")"
dpkg-deb -f "$deb" Depends
dpkg-deb -f "$deb" Depends | grep -q 'dnsmasq-base' || { echo "package_test: no dnsmasq-base dependency" >&2; exit 1; }
for dep in libldns3 libpcap0.8 libjansson4; do
    dpkg-deb -f "$deb" Depends | grep -q "$dep" || { echo "package_test: no $dep dependency" >&2; exit 1; }
done

installed=1
(cd "$work" && DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq "./$(basename "$deb")") >"$work/apt.log" 2>&1 || {
    cat "$work/apt.log"; echo "package_test: apt-get install failed" >&2; exit 1; }
for f in /usr/bin/mxttl /usr/bin/mxttl-model-driver /usr/share/mxttl/scenarios/timeout.scn \
         /usr/share/mxttl/targets/postfix.mta /usr/share/man/man1/mxttl.1 \
         /usr/share/man/man7/mxttl-driver.7 /usr/share/bash-completion/completions/mxttl \
         /usr/include/mxttl/rc_cache.h; do
    [ -e "$f" ] || [ -e "$f.gz" ] || { echo "package_test: $f not installed" >&2; exit 1; }
done
pkg-config --exists mxttl-model 2>/dev/null || [ -e /usr/lib/pkgconfig/mxttl-model.pc ] ||
    { echo "package_test: mxttl-model.pc not installed" >&2; exit 1; }

# From /, as a new user would: no MXTTL_* variable, the report in a directory of our own.
rc=0
(cd / && env -u MXTTL_SCENARIOS mxttl run --report "$work/report") >"$work/run.log" 2>&1 || rc=$?
tail -n 3 "$work/run.log"
[ "$rc" = 0 ] || { cat "$work/run.log"; echo "package_test: mxttl run from / exited $rc" >&2; exit 1; }
[ -s "$work/report/results.json" ] || { echo "package_test: no results.json" >&2; exit 1; }
mxttl --version | grep -q '^mxttl ' || { echo "package_test: mxttl --version" >&2; exit 1; }

apt-get -o DPkg::Lock::Timeout=900 purge -y -qq mxttl >/dev/null
installed=0
[ ! -e /usr/bin/mxttl ] || { echo "package_test: /usr/bin/mxttl left after purge" >&2; exit 1; }
echo "package_test: ok"
