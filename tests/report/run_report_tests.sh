#!/usr/bin/env bash
# run_report_tests.sh EVSYNTH REPO -- end-to-end tests of `evsynth report`
# and `evsynth diff`:
#
#  1. golden files: the Markdown and JSON of the small observational review
#     (tests/fixtures/reviews/observational) are exactly tests/report/golden/.
#     The golden files were read line by line when they were made; their
#     numbers are checked against metafor by test_report (reference.csv).
#  2. the committed reports/sacroplasty report.md and results.json are what
#     the current code produces (run `evsynth report` from the repository
#     root and commit the result after a change that alters them);
#  3. re-review: a study added gives "What changed since the last review";
#     evsynth diff prints the same;
#  4. without gnuplot the text outputs are written and the exit status is 4;
#  5. a failed run (a broken review) leaves the previous outputs untouched;
#  6. the same inputs give byte-identical Markdown, JSON and SVG.
set -uo pipefail
bin=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

obs=$repo/tests/fixtures/reviews/observational
golden=$repo/tests/report/golden/observational

# 1. golden
"$bin" report --no-figures --out "$tmp/obs" "$obs" 2>/dev/null
[ $? -eq 0 ] || fail "report on the observational review did not exit 0"
for f in report.md results.json; do
    diff -u "$golden/$f" "$tmp/obs/$f" > "$tmp/d" || { fail "golden $f differs"; head -40 "$tmp/d"; }
done

# 2. committed sacroplasty report
mkdir -p "$tmp/root"
(cd "$tmp/root" && "$bin" report "$repo/data/sacroplasty" 2>/dev/null)
[ $? -eq 0 ] || fail "report on data/sacroplasty did not exit 0"
for f in report.md results.json; do
    diff -u "$repo/reports/sacroplasty/$f" "$tmp/root/reports/sacroplasty/$f" > "$tmp/d" ||
        { fail "reports/sacroplasty/$f is not what the code produces (rerun evsynth report)"; head -40 "$tmp/d"; }
done

# 3. re-review
cp -r "$obs" "$tmp/obs2"
echo "eps2022,Epsilon 2022,,,Epsilon E,2022,Epsilon E. A fictional series. 2022,retrospective_series,osteoporotic,unspecified,unspecified,none,25,primary,,yes,,,,,," >> "$tmp/obs2/studies.csv"
printf '%s\n' "eps2022,pain,baseline,before,VAS 0-10,patients,,25,7.9,1.3,,,,,,,,,,,primary,,," \
    "eps2022,pain,3,3 weeks,VAS 0-10,patients,,25,3.1,1.9,,,,,,,,,,,primary,,," >> "$tmp/obs2/outcomes.csv"
"$bin" report --no-figures --previous "$golden/results.json" --out "$tmp/obs2out" "$tmp/obs2" 2>/dev/null
[ $? -eq 0 ] || fail "re-review did not exit 0"
grep -q '^## What changed since the last review' "$tmp/obs2out/report.md" || fail "no 'What changed' section"
grep -q 'Added:\*\* Epsilon 2022' "$tmp/obs2out/report.md" || fail "added study not listed"
grep -q 'Pain (0 to 10): reduction from baseline, Up to 1 month:\*\* .*k = 5, was .*k = 4' "$tmp/obs2out/report.md" ||
    fail "changed estimate not listed"
"$bin" diff "$golden/results.json" "$tmp/obs2out/results.json" > "$tmp/diff.md"
[ $? -eq 0 ] || fail "evsynth diff did not exit 0"
grep -q 'Added:\*\* Epsilon 2022' "$tmp/diff.md" || fail "evsynth diff does not list the added study"
"$bin" diff "$golden/results.json" "$repo/tests/fixtures/reviews/observational/review.ini" 2> "$tmp/err" >/dev/null
[ $? -eq 1 ] || fail "evsynth diff on a non-JSON file did not exit 1"
grep -q 'review.ini:1:' "$tmp/err" || fail "evsynth diff error does not name the file and line: $(cat "$tmp/err")"

# 4. no gnuplot on PATH
mkdir -p "$tmp/nopath"
PATH="$tmp/nopath" "$bin" report --out "$tmp/nognu" "$obs" 2> "$tmp/err"
st=$?
[ $st -eq 4 ] || fail "without gnuplot: exit $st, expected 4"
grep -q 'figures missing' "$tmp/err" || fail "without gnuplot: no message ($(cat "$tmp/err"))"
[ -s "$tmp/nognu/report.md" ] && [ -s "$tmp/nognu/results.json" ] || fail "without gnuplot: text outputs missing"
grep -q 'Figures missing:' "$tmp/nognu/report.md" || fail "without gnuplot: report does not say figures are missing"

# 5. a failed run leaves the previous outputs
cp -r "$obs" "$tmp/broken"
sed -i 's/^mcid = 2$/mcid = two/' "$tmp/broken/review.ini"
"$bin" report --no-figures --out "$tmp/obs" "$tmp/broken" 2> "$tmp/err"
[ $? -eq 1 ] || fail "broken review: expected exit 1"
grep -q 'review.ini:[0-9]*:[0-9]*: ' "$tmp/err" || fail "broken review: message without FILE:LINE:COLUMN ($(cat "$tmp/err"))"
cmp -s "$golden/report.md" "$tmp/obs/report.md" || fail "broken review: previous report.md was changed"
ls -A "$tmp/obs" | grep -q '^\.' && fail "temporary files left in the output folder"

# 6. reproducible, figures included
if command -v gnuplot > /dev/null; then
    "$bin" report --out "$tmp/a" "$obs" 2>/dev/null
    "$bin" report --out "$tmp/b" "$obs" 2>/dev/null
    for f in report.md results.json report.html figures/forest_pain_early.svg; do
        cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between two runs"
    done
    ls -A "$tmp/a/figures" | grep -q '^\.' && fail "temporary files left in the figures folder"
fi

[ $fails -eq 0 ] && echo "report tests: all passed"
exit $((fails > 0))
