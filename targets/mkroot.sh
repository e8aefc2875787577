#!/bin/sh
# targets/mkroot.sh FILE.mta... : builds the Debian root filesystem a target description names
# with its `root DIR` directive, with the packages of its `root-package` lines, then runs its
# `root-build` commands inside it (chroot, with the host's network) and its `root-build-host`
# commands on the host (MXTTL_ROOT names the root: e.g. the host's npm installing into it).
# Debian's MTA packages conflict with each other, so each MTA gets a root of its own, and plays
# enter it next to their network namespace (targets/README.md, "Root filesystems").
#
# A root is built once and cached: DIR/.mxttl-root holds a digest of the description's root
# lines and the Debian suite, and a root whose digest matches is kept as it is. A build goes to
# DIR.new first and is renamed into place only when complete; DIR.lock (flock) makes a second
# mkroot.sh for the same root wait for the first, then find it up to date.
# Needs root, mmdebstrap (apt-get install mmdebstrap) and a reachable Debian mirror (the host's
# apt sources). MXTTL_ROOT_SUITE names the suite (default: the host's, from /etc/os-release).
# Exit: 0 built or up to date; 1 a build failed; 2 bad usage (not root, no mmdebstrap, a file
# without a root line).
set -eu

if [ $# -eq 0 ]; then
    echo "usage: targets/mkroot.sh FILE.mta..." >&2
    exit 2
fi
if [ "$(id -u)" != 0 ]; then
    echo "targets/mkroot.sh: needs root (mmdebstrap in root mode)" >&2
    exit 2
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
    echo "targets/mkroot.sh: mmdebstrap is not installed (apt-get install mmdebstrap)" >&2
    exit 2
fi
suite=${MXTTL_ROOT_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}

status=0
for f in "$@"; do
    if [ ! -r "$f" ]; then
        echo "targets/mkroot.sh: $f: cannot read" >&2
        exit 2
    fi
    root=$(awk '$1 == "root" { print $2; exit }' "$f")
    if [ -z "$root" ]; then
        echo "targets/mkroot.sh: $f: no root directive" >&2
        exit 2
    fi
    pkgs=$(awk '$1 == "root-package" { $1 = ""; print }' "$f" | tr -s ' \t' '\n' | grep . |
           paste -sd, -)
    digest=$( (echo "suite $suite"; grep -E '^(root|root-package|root-build|root-build-host)[[:space:]]' "$f") |
             sha256sum | cut -d' ' -f1)
    mkdir -p "$(dirname "$root")"
    exec 9>"$root.lock"
    flock 9
    if [ -f "$root/.mxttl-root" ] && [ "$(cat "$root/.mxttl-root")" = "$digest" ]; then
        echo "targets/mkroot.sh: $root is up to date ($f)"
        exec 9>&-
        continue
    fi
    start=$(date +%s)
    new=$root.new
    rm -rf "$new"
    # Each root-build line becomes a customize hook, in file order: mmdebstrap runs it with
    # /proc, /dev and the host's resolv.conf in place. root-build runs chrooted in the root;
    # root-build-host runs on the host with MXTTL_ROOT naming the root (e.g. the host's npm,
    # which reaches the registry as the host is set up to, installing into the root).
    set -- --variant=minbase --include="${pkgs:-ca-certificates}"
    hooks=$(mktemp)
    grep -E '^root-build(-host)?[[:space:]]' "$f" >"$hooks" || true
    while read -r kind cmd; do
        q=$(printf '%s' "$cmd" | sed "s/'/'\\\\''/g")
        if [ "$kind" = root-build-host ]; then
            set -- "$@" --customize-hook="MXTTL_ROOT=\"\$1\" /bin/sh -c '$q'"
        else
            set -- "$@" --customize-hook="chroot \"\$1\" /bin/sh -c '$q'"
        fi
    done <"$hooks"
    rm -f "$hooks"
    log=$(mktemp)
    if mmdebstrap "$@" "$suite" "$new" >"$log" 2>&1; then
        echo "$digest" >"$new/.mxttl-root"
        rm -rf "$root"
        mv "$new" "$root"
        echo "targets/mkroot.sh: built $root for $f in $(( $(date +%s) - start )) s"
    else
        echo "targets/mkroot.sh: building $root for $f failed; last lines of mmdebstrap:" >&2
        tail -20 "$log" >&2
        rm -rf "$new"
        status=1
    fi
    rm -f "$log"
    exec 9>&-
done
exit $status
