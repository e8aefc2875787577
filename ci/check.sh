#!/usr/bin/env bash
# Hardening checks, run by ci/test.sh after the default preset's tests (which it does not
# repeat). Steps, each with one summary line:
#   asan      build the asan preset, run every CTest test under ASan+UBSan (halt on first error)
#   valgrind  the `model` tests of the default preset under valgrind memcheck: no errors, no
#             definite leaks
#   static    cppcheck and clang-tidy (.clang-tidy) over our own sources: zero findings
#   fuzz      build the fuzz preset, run each libFuzzer target for MXTTL_FUZZ_SECONDS (default
#             60) and fail on a crash, leak or timeout; then replay fuzz/regress and the corpora
#   explore   `mxttl explore` on model:legacy and model:ttl for MXTTL_EXPLORE_SECONDS (default
#             60) with a fresh seed, printed (replay a failure with --seed): no FAIL, no ERROR
# Usage: ci/check.sh [STEP...]   (default: all steps, in that order)
# Environment: MXTTL_FUZZ_SECONDS (per target), MXTTL_FUZZ_PARALLEL (fuzzers at once, default 2),
#   MXTTL_EXPLORE_SECONDS, MXTTL_EXPLORE_SEED (instead of a fresh seed),
#   MXTTL_CHECK_ASAN_LABELS_EXCLUDE (CTest label regex left out under asan, default "mta": the
#   MTA tier runs real Postfix/Exim in ci/mta.sh and takes longer than this budget allows).
# Exit status: 0 when every step passed, 1 when any failed (each failure says where to look),
# 2 on a usage error. Needs: clang, libclang-rt-14-dev, valgrind, cppcheck, clang-tidy.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

all_steps=(asan valgrind static fuzz explore)
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=("${all_steps[@]}")
for s in "${steps[@]}"; do
    case " ${all_steps[*]} " in
    *" $s "*) ;;
    *) echo "check.sh: unknown step '$s' (steps: ${all_steps[*]})" >&2; exit 2 ;;
    esac
done

fuzz_seconds=${MXTTL_FUZZ_SECONDS:-60}
fuzz_parallel=${MXTTL_FUZZ_PARALLEL:-2}
asan_exclude=${MXTTL_CHECK_ASAN_LABELS_EXCLUDE:-mta}
explore_seconds=${MXTTL_EXPLORE_SECONDS:-60}
case "$fuzz_seconds$fuzz_parallel$explore_seconds" in
*[!0-9]*) echo "check.sh: MXTTL_FUZZ_SECONDS, MXTTL_FUZZ_PARALLEL and MXTTL_EXPLORE_SECONDS must be numbers" >&2; exit 2 ;;
esac
[ "$fuzz_parallel" -ge 1 ] || fuzz_parallel=1

logdir=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-check.XXXXXX")
summary=()
failed=0

# Our own C sources: every component, tests included (see static step for what is left out).
own_dirs=(model fixtures suites harness fuzz)

step_begin() { step_name=$1; step_t0=$(date +%s); echo "== check: $1"; }
step_end() { # status detail
    local secs=$(( $(date +%s) - step_t0 )) word=ok
    [ "$1" = 0 ] || { word=FAILED; failed=1; }
    summary+=("$(printf 'check: %-9s %-6s %4ds  %s' "$step_name" "$word" "$secs" "$2")")
    echo "${summary[-1]}"
}

# Runs a command with its output in a log; on failure shows the log's last lines.
logged() { # logname cmd...
    local log=$logdir/$1.log rc=0
    shift
    "$@" >"$log" 2>&1 || rc=$?
    if [ $rc != 0 ]; then
        echo "--- '$*' failed ($rc); last lines of $log:"
        tail -n 60 "$log"
    fi
    return $rc
}

step_asan() {
    step_begin asan
    export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
    local rc=0 detail
    logged asan-configure cmake --preset asan && logged asan-build cmake --build --preset asan || rc=$?
    if [ $rc = 0 ]; then
        local args=(--preset asan --output-on-failure)
        [ -n "$asan_exclude" ] && args+=(-LE "$asan_exclude")
        logged asan-ctest ctest "${args[@]}" || rc=$?
        detail=$(grep -E '^[0-9]+% tests passed' "$logdir/asan-ctest.log" | tail -n 1)
        [ -n "$asan_exclude" ] && detail="$detail (labels '$asan_exclude' left out)"
    else
        detail="build failed, see $logdir/asan-build.log"
    fi
    step_end $rc "${detail:-no ctest summary, see $logdir/asan-ctest.log}"
}

step_valgrind() {
    step_begin valgrind
    local rc=0 detail
    logged default-configure cmake --preset default && logged default-build cmake --build --preset default || rc=$?
    if [ $rc = 0 ]; then
        # --error-exitcode makes an error or a definite leak fail the test itself, so CTest's
        # own pass/fail is the verdict; other leak kinds are not shown (libraries' caches).
        local vgopts="--error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite"
        vgopts+=" --show-leak-kinds=definite --track-origins=yes --num-callers=30"
        logged valgrind ctest --test-dir build/default -L model -j2 -T memcheck \
            --overwrite MemoryCheckCommand="$(command -v valgrind)" \
            --overwrite MemoryCheckCommandOptions="$vgopts" --output-on-failure || rc=$?
        # Tests that must fail (WILL_FAIL, or PASS_REGULAR_EXPRESSION on a failure message)
        # stop a CMocka test body half way on purpose, skipping its cleanup: their definite
        # leaks are expected, but any other memcheck error still counts.
        local mustfail ntests=0 bad=0 num name defects mlog
        mustfail=$(ctest --test-dir build/default -L model --show-only=json-v1 | awk '
            /^      "name" : / { t = $0; sub(/^[^:]*: "/, "", t); sub(/",?$/, "", t) }
            /"name" : "(WILL_FAIL|PASS_REGULAR_EXPRESSION)"/ { print t }')
        ntests=$(grep -cE 'MemCheck +#[0-9]+: ' "$logdir/valgrind.log")
        while read -r num name defects; do
            mlog=build/default/Testing/Temporary/MemoryChecker.$num.log
            if grep -qxF "$name" <<<"$mustfail" &&
                ! grep -qE '== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap)' "$mlog"; then
                echo "valgrind: $name: $defects leak(s) in a test that must fail (expected)"
                continue
            fi
            bad=$((bad + 1))
            echo "valgrind: $name: $defects defect(s), see $mlog"
        done < <(sed -nE 's/^.*MemCheck: #([0-9]+): ([^ ]+) .*Defects: ([0-9]+).*$/\1 \2 \3/p' \
                     "$logdir/valgrind.log")
        [ "$bad" = 0 ] || rc=1
        if [ "$ntests" = 0 ]; then
            rc=1
            detail="no model tests found"
        else
            detail="$ntests model tests under memcheck, $bad with errors or definite leaks"
        fi
    else
        detail="build failed, see $logdir/default-build.log"
    fi
    step_end $rc "$detail"
}

# Our translation units from compile_commands.json (one "file" entry a line, as CMake writes
# it), without generated files in build directories.
own_sources() {
    local db=build/default/compile_commands.json
    sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' "$db" | sort -u |
        grep -E "^$root/($(IFS='|'; echo "${own_dirs[*]}"))/" | grep -v "^$root/build/"
}

# What clang-tidy checks: the libraries, programs and fuzz targets. Left out: unit tests
# (*/tests/, test_*.c) and harness/faults' fault_driver -- test code, where atoi on a fixed
# string or `if (strcmp(...))` is fine and the analyzer's cost (half the run time) buys
# little. cppcheck, which is fast, still reads the tests. bench/ is left out of both: its
# programs exit right after their error paths (so "leaks" there are not bugs).
tidy_sources() {
    own_sources | grep -vE '/tests/|/test_[^/]*\.c$|/harness/faults/fault_driver\.c$'
}

step_static() {
    step_begin static
    local rc=0 detail="" files
    if [ ! -f build/default/compile_commands.json ]; then
        logged default-configure cmake --preset default || { step_end 1 "configure failed"; return; }
    fi
    mapfile -t files < <(own_sources)
    if [ ${#files[@]} = 0 ]; then
        step_end 1 "no sources in build/default/compile_commands.json"
        return
    fi
    # cppcheck: the compile database gives each file its defines and include paths (nothing is
    # vendored); system headers are not analysed. bench/ is left out as for clang-tidy.
    local cpp_rc=0
    cppcheck --project=build/default/compile_commands.json -j2 --quiet \
        --enable=warning,style,performance,portability --error-exitcode=1 --inline-suppr \
        --suppressions-list=ci/cppcheck-suppressions.txt --std=c11 \
        -i"$root/build" -i"$root/bench" -ibuild -ibench \
        --template='{file}:{line}: {severity} ({id}): {message}' \
        >"$logdir/cppcheck.log" 2>&1 || cpp_rc=$?
    local cpp_n
    cpp_n=$(grep -cE '^[^ ]+:[0-9]+: ' "$logdir/cppcheck.log")
    if [ $cpp_rc != 0 ] || [ "$cpp_n" != 0 ]; then
        rc=1
        echo "--- cppcheck findings:"
        cat "$logdir/cppcheck.log"
    fi
    # clang-tidy: checks from .clang-tidy, every finding an error. One file per process:
    # clang-tidy 14 given several files reports false valist.Uninitialized findings in every
    # vsnprintf wrapper after the first file.
    local tfiles=()
    mapfile -t tfiles < <(tidy_sources)
    printf '%s\n' "${tfiles[@]}" | xargs -P 2 -n 1 clang-tidy -p build/default --quiet \
        >"$logdir/clang-tidy.log" 2>&1
    # Findings as "PATH CHECK" (path relative to the tree); those listed with a reason in
    # ci/clang-tidy-known.txt are counted apart: they wait for their owner's fix.
    grep -oE '^/[^:]+:[0-9]+:[0-9]+: (warning|error): .*\[[a-zA-Z0-9.-]+' "$logdir/clang-tidy.log" |
        sort -u >"$logdir/clang-tidy-findings.txt"
    local tidy_n=0 tidy_known=0 line file check
    while IFS= read -r line; do
        file=${line%%:*}
        file=${file#"$root/"}
        check=${line##*[}
        if grep -qE "^$file +$check( |$)" ci/clang-tidy-known.txt 2>/dev/null; then
            tidy_known=$((tidy_known + 1))
        else
            tidy_n=$((tidy_n + 1))
            [ $tidy_n = 1 ] && echo "--- clang-tidy findings (see $logdir/clang-tidy.log):"
            echo "${line#"$root/"}]"
        fi
    done <"$logdir/clang-tidy-findings.txt"
    if grep -qE '^Error while processing|error: unable to|Error reading configuration' \
        "$logdir/clang-tidy.log"; then
        rc=1
        echo "--- clang-tidy could not run on every file:"
        grep -E '^Error while processing|error: unable to|Error reading configuration' \
            "$logdir/clang-tidy.log" | head -n 10
    fi
    [ "$tidy_n" = 0 ] || rc=1
    detail="cppcheck ${#files[@]} files, $cpp_n findings; clang-tidy ${#tfiles[@]} files,"
    detail+=" $tidy_n findings ($tidy_known known, ci/clang-tidy-known.txt)"
    step_end $rc "$detail"
}

step_fuzz() {
    step_begin fuzz
    local rc=0
    if ! { logged fuzz-configure cmake --preset fuzz &&
           logged fuzz-build cmake --build --preset fuzz --target fuzz_targets; }; then
        step_end 1 "fuzz preset build failed, see $logdir/fuzz-build.log"
        return
    fi
    local targets=()
    mapfile -t targets < <(grep -v '^$' build/fuzz/fuzz-targets.txt 2>/dev/null)
    if [ ${#targets[@]} = 0 ]; then
        step_end 1 "no fuzz targets built (build/fuzz/fuzz-targets.txt)"
        return
    fi
    local artifacts=$logdir/fuzz-artifacts
    mkdir -p "$artifacts"
    # Fuzzers run fuzz_parallel at a time, each in its own scratch corpus (seeded from
    # fuzz/corpus/<t>, which is read only) so the checkout stays clean.
    local -A pids=()
    local bad=()
    run_fuzzer() { # target
        local t=$1 work=$logdir/fuzz-corpus-$1
        mkdir -p "$work"
        local seeds=()
        [ -d "fuzz/corpus/$t" ] && seeds+=("fuzz/corpus/$t")
        ASAN_OPTIONS="halt_on_error=1:detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
        "build/fuzz/bin/fuzz_$t" -max_total_time="$fuzz_seconds" -timeout=5 -rss_limit_mb=2048 \
            -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
            "$work" "${seeds[@]}" >"$logdir/fuzz-$t.log" 2>&1
    }
    local t pid
    for t in "${targets[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "$fuzz_parallel" ]; do sleep 1; done
        run_fuzzer "$t" &
        pids[$t]=$!
    done
    for t in "${targets[@]}"; do
        if ! wait "${pids[$t]}"; then
            bad+=("$t")
            echo "--- fuzz_$t failed; last lines of $logdir/fuzz-$t.log:"
            tail -n 40 "$logdir/fuzz-$t.log"
        fi
    done
    local runs=""
    for t in "${targets[@]}"; do
        runs+=" $t:$(sed -n 's/^stat::number_of_executed_units: *//p' "$logdir/fuzz-$t.log" | tail -n 1)"
    done
    if [ ${#bad[@]} != 0 ]; then
        rc=1
        echo "fuzz: failing inputs are in $artifacts; reproduce with build/fuzz/bin/fuzz_TARGET FILE"
        echo "      and keep each, once fixed, as fuzz/regress/TARGET/NAME"
    fi
    # Replay every corpus and regression input through the replay programs (label fuzz).
    if ! { logged fuzz-replay ctest --test-dir build/fuzz -L fuzz --output-on-failure; }; then
        rc=1
        bad+=(replay)
    fi
    local detail="${#targets[@]} targets x ${fuzz_seconds}s, runs:$runs"
    [ ${#bad[@]} = 0 ] || detail+="; failed: ${bad[*]}"
    step_end $rc "$detail"
}

# Generated scenarios on both reference models: each must conform to its own spec. The seed is
# fresh each run (more of the scenario space over time) and printed, so a failure replays.
step_explore() {
    step_begin explore
    local rc=0 seed=${MXTTL_EXPLORE_SEED:-}
    if ! { logged default-configure cmake --preset default &&
           logged default-build cmake --build --preset default; }; then
        step_end 1 "build failed, see $logdir/default-build.log"
        return
    fi
    [ -n "$seed" ] || seed=$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')
    echo "explore: seed $seed (replay: build/default/bin/mxttl explore --seed $seed" \
         "--for ${explore_seconds}s)"
    logged explore build/default/bin/mxttl explore --seed "$seed" --for "${explore_seconds}s" \
        --report "$logdir/explore" || rc=$?
    local detail
    detail="seed $seed, $(sed -n 's/^mxttl explore: \([0-9]* scenarios ([0-9]* cases) in [0-9.]* s\).*/\1/p' \
        "$logdir/explore.log" | tail -n 1)"
    [ $rc = 0 ] || detail+="; exit $rc, report and minimal scenarios in $logdir/explore"
    step_end $rc "$detail"
}

t_start=$(date +%s)
for s in "${steps[@]}"; do
    "step_$s"
done
echo "== check summary ($(( $(date +%s) - t_start )) s, logs in $logdir)"
printf '%s\n' "${summary[@]}"
exit $failed
