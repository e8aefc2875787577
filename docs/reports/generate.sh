#!/usr/bin/env bash
# docs/reports/generate.sh: regenerates docs/reports/ -- one full real-time run of every shipped
# target (every targets/*.mta, as `mxttl list targets` names them), one run of the two reference
# models, all of them merged into one side-by-side report (side-by-side/), and the page
# docs/reports/README.md: the verdict matrix (target x clause), the versions, which run each row
# comes from, and a sentence per row (written by docs/reports/page.sh from the reports and
# docs/reports/rows.txt).
#
# Debian's MTA packages conflict, so the targets run in two groups: first every target whose
# `check` commands pass once Postfix and the resolvers are installed (and the root filesystems
# of MTAs that have one are built, targets/mkroot.sh), then, after installing Exim
# (exim4-daemon-light, which removes Postfix), the targets whose check failed before; Postfix
# is installed again at the end. A target whose check fails in both groups keeps its committed
# report (the page says so and names its date) or, without one, is listed as not run.
#
# Needs root (apt-get, network namespaces) and a build (MXTTL=path of the mxttl program,
# default build/default/bin/mxttl). MXTTL_REPORT_JOBS: targets run at once (default 2; each
# run has its own --jobs 8 plays). MXTTL_REPORT_NO_EXIM=1 skips the Exim group (its targets
# keep their committed reports). Exit 0 when the page was written, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
mxttl=${MXTTL:-build/default/bin/mxttl}
out=docs/reports
jobs=${MXTTL_REPORT_JOBS:-2}
if [ "$(id -u)" != 0 ]; then
    echo "generate.sh: needs root (apt-get and network namespaces)" >&2
    exit 1
fi
if [ ! -x "$mxttl" ]; then
    echo "generate.sh: $mxttl is not built: cmake --preset default && cmake --build --preset default" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt_install() {
    apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "$@" >/dev/null
}
work=$(mktemp -d /tmp/mxttl-generate-XXXXXX)
policy=/usr/sbin/policy-rc.d
own_policy=0
cleanup() {
    rm -rf "$work"
    if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi
}
trap cleanup EXIT

# The packages' own services must not start on the host (the plays run private instances).
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
fi

# NAME of each shipped description, and its file.
"$mxttl" list targets | sed -n 's|^smtp:\(.*/\)\{0,1\}\([^/]*\)\.mta$|\2|p' | sort >"$work/all"
file_of() { echo "targets/$1.mta"; }
# A description's check commands, run as the harness runs them (chrooted with `root DIR`);
# their output (versions, for the shipped files) goes to stdout.
check() {
    local f root cmd
    f=$(file_of "$1")
    root=$(sed -n 's/^root[[:space:]]\{1,\}//p' "$f")
    while IFS= read -r cmd; do
        if [ -n "$root" ]; then
            [ -d "$root" ] && chroot "$root" /bin/sh -c "$cmd" 2>&1 || return 1
        else
            /bin/sh -c "$cmd" 2>&1 || return 1
        fi
    done < <(sed -n 's/^check[[:space:]]\{1,\}//p' "$f")
}
# versions NAME: what the check commands print (the shipped descriptions print versions), and,
# for an MTA in a root filesystem, the Debian versions of its root-package lines there.
versions() {
    local f root
    f=$(file_of "$1")
    root=$(sed -n 's/^root[[:space:]]\{1,\}//p' "$f")
    check "$1" || true
    if [ -n "$root" ]; then
        local pkgs
        pkgs=$(sed -n 's/^root-package[[:space:]]\{1,\}//p' "$f")
        # shellcheck disable=SC2016,SC2086 # dpkg-query's own format; one word per package
        chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' $pkgs 2>/dev/null || true
    fi
}
# run NAME: a full real-time run of one target into $out/NAME; its wall time, exit status and
# the check output (versions) are kept for the page.
run() {
    local name=$1 start end rc=0
    rm -rf "${out:?}/$name"
    start=$(date +%s.%N)
    "$mxttl" run --target "$name" --report "$out/$name" >"$work/$name.log" 2>&1 || rc=$?
    end=$(date +%s.%N)
    if [ ! -f "$out/$name/report.md" ]; then
        echo "generate.sh: $name: no report (mxttl exit $rc); its output:" >&2
        cat "$work/$name.log" >&2
        return 0
    fi
    # Beside the report: the wall time, the exit status and the check output (versions).
    {
        awk -v a="$start" -v b="$end" 'BEGIN { printf "wall %.1f\n", b - a }'
        echo "exit $rc"
        versions "$name" | tr '\n' ';' | sed 's/;$//; s/;/; /g; s/^/versions /'
        echo
    } >"$out/$name/run.txt"
    echo "generate.sh: $name: exit $rc, $(sed -n 's/^wall //p' "$out/$name/run.txt") s"
}
# run_group LIST: every target of LIST whose check passes now, MXTTL_REPORT_JOBS at a time;
# the others are appended to $work/later.
run_group() {
    local name ready=()
    while IFS= read -r name; do
        if check "$name" >/dev/null; then ready+=("$name"); else echo "$name" >>"$work/later"; fi
    done <"$1"
    if [ "${#ready[@]}" -gt 0 ]; then
        export -f run check versions file_of
        export mxttl out work
        # shellcheck disable=SC2016 # $1 is the inner shell's: the target's name
        printf '%s\n' "${ready[@]}" | xargs -P "$jobs" -I{} bash -c 'run "$1"' _ {}
    fi
}

echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt_install postfix unbound knot-resolver pdns-recursor bind9
if [ -x targets/mkroot.sh ] && grep -q '^root[[:space:]]' targets/*.mta; then
    # The MTAs that run in a root filesystem of their own (cached; built once, with mmdebstrap).
    apt_install mmdebstrap
    # A root that cannot be built leaves its target's check failing: that row is then not run.
    grep -l '^root[[:space:]]' targets/*.mta | xargs -r targets/mkroot.sh ||
        echo "generate.sh: targets/mkroot.sh failed for some root (see above)" >&2
fi
: >"$work/later"
run_group "$work/all"
# The reference models, for comparison (virtual time: the same verdicts, in seconds).
rm -rf $out/models
"$mxttl" run --target model:legacy --target model:ttl --report $out/models >/dev/null || true

if [ -s "$work/later" ] && [ "${MXTTL_REPORT_NO_EXIM:-0}" != 1 ]; then
    apt_install exim4-daemon-light
    mv "$work/later" "$work/group2"
    : >"$work/later"
    run_group "$work/group2"
    apt_install postfix
fi

# The side-by-side report: every target's own run (fresh or committed), then the models.
dirs=()
while IFS= read -r name; do
    if [ -f "$out/$name/results.json" ]; then dirs+=("$out/$name"); fi
done <"$work/all"
rm -rf $out/side-by-side
"$mxttl" report "${dirs[@]}" $out/models --out $out/side-by-side >/dev/null
docs/reports/page.sh >$out/README.md
echo "generate.sh: $out/README.md written"
