#!/bin/sh
# explore_test.sh MXTTL TARGET CLAUSE SEED COUNT [MAXLINES]
# Runs `mxttl explore --target TARGET --seed SEED --count COUNT` in a temporary directory.
# CLAUSE "-": the target must conform over every clause (exit 0, no minimal scenario written).
# Otherwise explore judges only CLAUSE (--clause) and must: exit 1, CLAUSE FAILs,
# DIR/minimal/<target>-<clause>.scn has at most MAXLINES (default 15) lines that are not
# comments, `mxttl fixture check` accepts it, and replaying DIR/minimal with
# `mxttl run --scenarios DIR/minimal --target TARGET` FAILs the same clause (exit 1).
set -u
MXTTL=$1 TARGET=$2 CLAUSE=$3 SEED=$4 COUNT=$5 MAXLINES=${6:-15}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/mxttl-explore-test-XXXXXX") || exit 1
trap 'rm -rf "$DIR"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

ONLY=
[ "$CLAUSE" = "-" ] || ONLY="--clause $CLAUSE"
# shellcheck disable=SC2086
"$MXTTL" explore --target "$TARGET" --seed "$SEED" --count "$COUNT" --report "$DIR/r" $ONLY \
    >"$DIR/out" 2>"$DIR/err"
rc=$?
cat "$DIR/out" "$DIR/err"
if [ "$CLAUSE" = "-" ]; then
    [ "$rc" -eq 0 ] || fail "explore exit status $rc, want 0"
    [ -z "$(ls "$DIR/r/minimal")" ] || fail "minimal scenarios written for a conforming target"
    grep -q "no FAIL found" "$DIR/out" || fail "no \"no FAIL found\" line"
    exit 0
fi
[ "$rc" -eq 1 ] || fail "explore exit status $rc, want 1"
grep -Eq "^  $CLAUSE +FAIL" "$DIR/out" || fail "$CLAUSE is not reported as FAIL"
SAFE=$(printf '%s' "$TARGET" | tr 'A-Z' 'a-z' | sed 's/[^a-z0-9][^a-z0-9]*/-/g; s/-$//')
MIN="$DIR/r/minimal/$SAFE-$(printf '%s' "$CLAUSE" | tr 'A-Z' 'a-z').scn"
[ -f "$MIN" ] || fail "no minimal scenario $MIN"
echo "--- $MIN"
cat "$MIN"
LINES=$(grep -cv '^[[:space:]]*\(#\|$\)' "$MIN")
[ "$LINES" -le "$MAXLINES" ] ||
    fail "minimal scenario has $LINES lines that are not comments, want <= $MAXLINES"
"$MXTTL" fixture check "$MIN" >/dev/null || fail "mxttl fixture check refuses $MIN"
grep -q "^# Replay: mxttl run --scenarios $DIR/r/minimal --target" "$MIN" ||
    fail "no replay command in $MIN"
"$MXTTL" run --scenarios "$DIR/r/minimal" --target "$TARGET" --report "$DIR/replay" \
    >"$DIR/replay.out" 2>&1
rrc=$?
grep -Eq "^  $CLAUSE +MUST +FAIL" "$DIR/replay.out" || {
    cat "$DIR/replay.out"
    fail "replaying $DIR/r/minimal does not FAIL $CLAUSE"
}
[ "$rrc" -eq 1 ] || { cat "$DIR/replay.out"; fail "replay exit status $rrc, want 1"; }
echo "ok: $CLAUSE FAILs on $TARGET, minimal scenario of $LINES lines replays"
