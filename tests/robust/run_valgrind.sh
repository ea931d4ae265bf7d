#!/usr/bin/env bash
# run_valgrind.sh EVSYNTH REPO -- the main commands under valgrind's memcheck:
# no invalid reads or writes, no use of uninitialised values, no leaks
# (definite, indirect or possible).  gnuplot, a child process, is not traced.
set -u
evsynth=$1
repo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$repo" || exit 2

pass=0 fail=0
# check NAME EXIT ARGS...: run evsynth ARGS under memcheck; it must exit
# with EXIT (valgrind's own findings exit with 99).
check() {
    local name=$1 want=$2
    shift 2
    valgrind --quiet --error-exitcode=99 --leak-check=full \
        --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible \
        "$evsynth" "$@" >"$work/out" 2>"$work/err"
    local status=$?
    if [ "$status" = "$want" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        printf 'FAIL: %s (exit %s, expected %s)\n' "$name" "$status" "$want"
        cat "$work/err"
    fi
}

check "meta, text" 0 meta --measure OR data/examples/bcg.csv
check "meta, JSON" 0 meta --measure OR --json --test knha data/examples/bcg.csv
check "meta, bad input" 1 meta tests/badinput/data/ragged.csv
check "check, shipped review" 0 check data/sacroplasty
check "check, broken review" 1 check tests/fixtures/reviews/broken
check "report, shipped review with figures" 0 report --out "$work/report" data/sacroplasty
check "report, without figures" 0 report --no-figures --out "$work/report2" data/sacroplasty
check "batch, two threads" 1 batch --threads 2 tests/cli/data/batch_small.csv
check "batch, JSON lines" 1 batch --jsonl tests/badinput/data/batch_k1.csv
check "gosh" 0 gosh --out "$work/gosh.csv" --csv tests/cli/data/bcg_gen.csv
check "gosh, density plot" 0 gosh --plot "$work/gosh.png" tests/cli/data/bcg_gen.csv
cp -r tests/fixtures/reviews/observational "$work/rv"
check "import, three exports" 0 import --date 2026-01-20 "$work/rv" \
    tests/fixtures/exports/pubmed_sample.nbib tests/fixtures/exports/embase_sample.ris \
    tests/fixtures/exports/pubmed_citation_manager.ris
check "import, again: duplicates of the log" 0 import --date 2026-01-21 "$work/rv" \
    tests/fixtures/exports/embase_sample.ris
check "import, broken exports" 1 import "$work/rv" tests/fixtures/exports/broken_no_end.ris \
    tests/fixtures/exports/broken_latin1.ris
check "check, a screening log with problems" 1 check tests/fixtures/reviews/screening_broken
check "diff" 0 diff "$work/report2/results.json" "$work/report/results.json"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
