#!/usr/bin/env bash
# The test command: builds (if needed) and runs every test tier of the default preset.
# Exit status: 0 all passed, non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --preset default >/dev/null
cmake --build --preset default
ctest --preset default
if [ -x ci/check.sh ]; then
    ci/check.sh
fi
