#!/bin/sh
# install_test.sh BUILD_DIR SOURCE_DIR: `cmake --install` into a private prefix, then checks what
# a user gets -- bin/mxttl finds its scenarios and targets from another working directory with
# no environment variable, the man pages are there, and docs/example builds and runs against the
# installed model library through pkg-config. Removes its directory at the end.
set -eu
build=$1
src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
fail() { echo "install_test: $*" >&2; exit 1; }
for f in bin/mxttl bin/mxttl-model-driver share/mxttl/scenarios/mx-ttl-expiry.scn \
         share/man/man1/mxttl.1 share/man/man5/mxttl-scenario.5 share/man/man7/mxttl-driver.7 \
         share/bash-completion/completions/mxttl \
         share/mxttl/targets/postfix.mta include/mxttl/rc_cache.h; do
    [ -e "$prefix/$f" ] || fail "missing $prefix/$f"
done
pc=$(find "$prefix" -name mxttl-model.pc | head -n 1)
[ -n "$pc" ] || fail "no mxttl-model.pc installed"
lib=$(find "$prefix" -name libmxttl-model.a | head -n 1)
[ -n "$lib" ] || fail "no libmxttl-model.a installed"

# From an unrelated directory, no MXTTL_* variable: the installed copies are used.
mkdir "$work/elsewhere"
cd "$work/elsewhere"
unset MXTTL_SCENARIOS
out=$("$prefix/bin/mxttl" list scenarios) || fail "mxttl list scenarios failed"
echo "$out" | grep -q '^mx-ttl-expiry ' || fail "list scenarios: no mx-ttl-expiry in: $out"
out=$("$prefix/bin/mxttl" list targets) || fail "mxttl list targets failed"
echo "$out" | grep -q "smtp:$prefix/share/mxttl/targets/postfix.mta" ||
    fail "list targets does not name the installed postfix.mta: $out"
"$prefix/bin/mxttl" run --target model:ttl --clause TTL-2 --report "$work/report" >"$work/run.log" ||
    fail "mxttl run from $work/elsewhere failed: $(cat "$work/run.log")"

# The example, built the way its comment says, against the installed library only.
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
# shellcheck disable=SC2086 # CFLAGS: the build's flags, several words
${CC:-cc} ${CFLAGS:-} -std=c11 -Wall -Werror "$src/docs/example/route_cache_example.c" \
   $(pkg-config --cflags --libs mxttl-model) -o "$work/example" || fail "example did not build"
"$work/example" || fail "example ran but failed"

# Every installed header stands on its own (includes only installed headers).
for h in "$prefix"/include/mxttl/*.h; do
    printf '#include <%s>\nint main(void) { return 0; }\n' "$(basename "$h")" >"$work/h.c"
    # shellcheck disable=SC2046,SC2086
    ${CC:-cc} ${CFLAGS:-} -std=c11 -Wall -Werror -c "$work/h.c" -o "$work/h.o" \
        $(pkg-config --cflags mxttl-model) || fail "installed header $(basename "$h") does not compile alone"
done
echo "install_test: ok ($prefix)"
