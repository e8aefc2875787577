#!/usr/bin/env bash
# docs/reports/page.sh: prints docs/reports/README.md (Markdown) from what docs/reports/ holds:
# the merged side-by-side report (side-by-side/report.md: every target's verdicts), each
# target's own report header (when and how it ran) and run.txt (wall time, exit status, the
# versions its check commands printed), and rows.txt (a sentence per target: what it does).
# generate.sh runs it last; it can be run alone to rebuild the page from the committed reports.
# Reads only; exit 0, or 1 when side-by-side/report.md is missing.
set -euo pipefail
cd "$(dirname "$0")"
sbs=side-by-side/report.md
if [ ! -f "$sbs" ]; then
    echo "page.sh: $PWD/$sbs is missing: run docs/reports/generate.sh" >&2
    exit 1
fi

# header FILE KEY: a value of the "| Run | |" table at the top of a report.md.
header() { awk -F' \\| ' -v k="$2" '$1 == "| " k { sub(/ \|$/, "", $2); print $2; exit }' "$1"; }
# runinfo DIR KEY: a line of DIR/run.txt.
runinfo() { if [ -f "$1/run.txt" ]; then sed -n "s/^$2 //p" "$1/run.txt"; fi; }
# sentence NAME: the row's sentence from rows.txt, or the description's own line.
sentence() {
    local s
    s=$(awk -F'\t' -v n="$1" '$1 == n { print $2; exit }' rows.txt)
    if [ -z "$s" ] && [ -f "../../targets/$1.mta" ]; then
        s="$(sed -n 's/^description[[:space:]]\{1,\}//p' "../../targets/$1.mta") (no sentence in rows.txt yet)"
    fi
    echo "$s"
}

cat <<'EOF'
# What real MTAs do: the reports

Every shipped target (`targets/*.mta`: each MTA as its users deploy it, and Postfix behind each
caching resolver Debian ships, once with the resolver's defaults and once with its TTL-bending
setting) run by mxttl as an `smtp` target — each play in a network namespace of its own, against
the dnsmasq fixture, in real time — judged against the TTL spec ([SPEC.md](../../SPEC.md)); the
two reference models beside them. This page is generated, with every report under it, by one
command (as root, after `cmake --preset default && cmake --build --preset default`):

    docs/reports/generate.sh

It installs Postfix and the resolvers, runs every target whose `check` passes (MTAs with a root
filesystem of their own in it), then installs Exim (which removes Postfix) for the targets that
need it, and installs Postfix again at the end (`MXTTL_REPORT_NO_EXIM=1` skips that, on a
machine where Postfix must stay). Each row below comes from that target's own full run (`mxttl
run --target NAME --report docs/reports/NAME`); the Run column says when it ran, and marks a
report that this generation did not re-run but kept from an earlier one. Timing-dependent
verdicts (a failure a resolver holds for one second shows only at a lookup within that second;
an MTA's SMTP session reused or not) can differ from one run to the next; the tests (`ctest -L
mta`, `ci/mta.sh`) assert only the stable ones. A resolver's whole-second clock is not one of
them: SPEC.md allows the second it may add to a TTL, and the scenarios ask again after it.

EOF

# The matrix: one row per target, one column per clause (from the merged report).
awk '
    function cell(v) {
        if (v == "PASS") return "pass"
        if (v == "NON-STRICT") return "n-s"
        if (v == "N/A") return "n/a"
        if (v == "INFO") return "info"
        if (v == "NOT-RUN") return "not run"
        if (v == "FAIL") return "**FAIL**"
        return "**" v "**"
    }
    /^## Target / { t = substr($0, 11); order[++n] = t; next }
    n > 0 && /^\| [A-Z]+-[0-9]+ \|/ && !(t in done) {
        split($0, f, / \| /)
        c = f[1]; sub(/^\| /, "", c)
        v = f[3]; gsub(/\*/, "", v)
        if (!(c in seen)) { seen[c] = 1; cols[++m] = c }
        verdict[t, c] = v
        next
    }
    /^### Evidence/ && n > 0 { done[t] = 1 }
    END {
        printf "## The matrix\n\n"
        printf "`pass`, **FAIL**, `n-s` (NON-STRICT: a SHOULD not met), `n/a` (not applicable), `info`,"
        printf " `not run` (the run left the scenarios of the clause out; the report says why), **ERROR**,"
        printf " — (not in that run: a clause of the other spec, or one added after the run);"
        printf " each target is judged against the spec it claims (the MTAs and stacks: `ttl`;"
        printf " `model:legacy`: `legacy`). A row links to its report, which has the evidence"
        printf " (the lookups, the DNS queries the fixture saw, the MTA log lines).\n\n"
        printf "| Target |"
        for (j = 1; j <= m; j++) printf " %s |", cols[j]
        printf "\n|---|"
        for (j = 1; j <= m; j++) printf "---|"
        printf "\n"
        for (i = 1; i <= n; i++) {
            t = order[i]
            split(t, p, "/")
            name = p[2]
            printf "| [%s](%s/report.html) |", name, p[1]
            for (j = 1; j <= m; j++) {
                k = (t SUBSEP cols[j])
                printf " %s |", (k in verdict) ? cell(verdict[k]) : "—"
            }
            printf "\n"
        }
        printf "\n"
    }
' "$sbs"

echo "## What each row does"
echo
echo "| Target | What it does | Versions (its \`check\` output) | Run (UTC), wall time |"
echo "|---|---|---|---|"
awk '/^## Target / { print substr($0, 11) }' "$sbs" | while IFS= read -r t; do
    dir=${t%%/*}
    name=${t#*/}
    if [ "$dir" = models ]; then
        row=$(awk -F'\t' -v n="$name" '$1 == n { print $2; exit }' rows.txt)
        when="$(header "$dir/report.md" 'started (UTC)'), virtual time"
        echo "| $name | $row | — | $when |"
        continue
    fi
    when=$(header "$dir/report.md" 'started (UTC)')
    if [ -f "$dir/run.txt" ]; then
        when="$when, $(runinfo "$dir" wall) s"
    else
        # Not run by the last generate.sh (its check failed: not installable beside the others).
        when="$when (committed earlier, $(header "$dir/report.md" 'mxttl version'); not re-run)"
    fi
    echo "| [$name]($dir/report.md) | $(sentence "$name") | $(runinfo "$dir" versions) | $when |"
done
echo

# Shipped descriptions without a report here (their check failed when the page was made).
missing=""
for f in ../../targets/*.mta; do
    n=$(basename "$f" .mta)
    if ! grep -qx "## Target $n/$n" "$sbs"; then missing="$missing \`$n\`"; fi
done
if [ -n "$missing" ]; then
    echo "Not run, no report yet (their \`check\` failed when this page was made):$missing."
    echo
fi

# The notes that do not fit a row (rows.txt lines "note<TAB>...").
if grep -q '^note	' rows.txt; then
    echo "## Notes"
    echo
    awk -F'\t' '$1 == "note" { print "- " $2 }' rows.txt
    echo
fi

cat <<'EOF'
## Files

Each target's directory holds its report as HTML (`report.html`, with the timelines),
Markdown (`report.md`), JSON (`results.json`, readable by `mxttl report` and `mxttl diff`),
JUnit XML (`junit.xml`) and `run.txt` (wall time, mxttl's exit status, versions). `models/`
is the reference models' run; `side-by-side/` merges every run (`mxttl report DIR... --out
side-by-side`). Rows come from rows.txt; this page from `docs/reports/page.sh`.
EOF
