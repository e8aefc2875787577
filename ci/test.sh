#!/usr/bin/env bash
# The test command: builds (if needed) and runs every test tier of the default preset, then the
# hardening checks (ci/check.sh: sanitizers, valgrind, static analysis, fuzzing), then -- as root
# on CI, or with MXTTL_MTA=1 -- the real-MTA tests (ci/mta.sh installs Postfix, then Exim).
# MXTTL_QUICK=1 runs the default preset's tests only.
# Exit status: 0 all passed, non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --preset default >/dev/null
cmake --build --preset default
ctest --preset default
if [ "${MXTTL_QUICK:-0}" = 1 ]; then
    exit 0
fi
if [ -x ci/check.sh ]; then
    ci/check.sh
fi
if [ "$(id -u)" = 0 ] && { [ "${CI:-}" = true ] || [ "${MXTTL_MTA:-0}" = 1 ]; }; then
    ci/mta.sh
else
    echo "ci/test.sh: real-MTA tests not run (they install Postfix and Exim: run as root with MXTTL_MTA=1, or ci/mta.sh)"
fi
