#!/usr/bin/env bash
# run_report_tests.sh EVSYNTH REPO -- end-to-end tests of `evsynth report`
# and `evsynth diff`:
#
#  1. golden files: the Markdown and JSON of the small observational review
#     (tests/fixtures/reviews/observational) are exactly tests/report/golden/.
#     The golden files were read line by line when they were made; their
#     numbers are checked against metafor by test_report (reference.csv).
#  2. the committed reports/sacroplasty and reports/vertebroplasty report.md,
#     results.json and report.html are what the current code produces (run `evsynth report` from the repository
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
# have TOOL WHAT: TOOL is on PATH; without it WHAT is not checked, which is a
# failure when scripts/test has installed the test dependencies
# (EVS_REQUIRE_TEST_DEPS=1), so that CI never skips a check silently.
have() {
    command -v "$1" > /dev/null && return 0
    if [ "${EVS_REQUIRE_TEST_DEPS:-0}" = 1 ]; then
        fail "$1 not installed (scripts/install-deps --test installs it): $2 not checked"
    else
        echo "report tests: $1 not installed, $2 not checked"
    fi
    return 1
}

obs=$repo/tests/fixtures/reviews/observational
golden=$repo/tests/report/golden/observational

# 1. golden
"$bin" report --no-figures --out "$tmp/obs" "$obs" 2>/dev/null
[ $? -eq 0 ] || fail "report on the observational review did not exit 0"
for f in report.md results.json; do
    diff -u "$golden/$f" "$tmp/obs/$f" > "$tmp/d" || { fail "golden $f differs"; head -40 "$tmp/d"; }
done

# 2. committed reports of the shipped reviews
mkdir -p "$tmp/root"
for id in sacroplasty vertebroplasty; do
    (cd "$tmp/root" && "$bin" report "$repo/data/$id" 2>/dev/null)
    [ $? -eq 0 ] || fail "report on data/$id did not exit 0"
    for f in report.md results.json report.html; do
        diff -u "$repo/reports/$id/$f" "$tmp/root/reports/$id/$f" > "$tmp/d" ||
            { fail "reports/$id/$f is not what the code produces (rerun evsynth report)"; head -40 "$tmp/d"; }
    done
done

# A single study's comparison of events counts each arm over its own n. Kallmes
# 2009 (data/vertebroplasty/outcomes.csv, quoting the NEJM abstract): "one
# serious adverse event in each group", 68 vertebroplasties and 63 simulated
# procedures: 1 of 68 against 1 of 63 (not 1 of 131, both arms' total).
grep -q 'Serious adverse events: vertebroplasty compared with a sham procedure: 1 trial (Kallmes 2009 (INVEST)), 1 of 68 patients in the intervention arm and 1 of 63 in the control arm' \
    "$tmp/root/reports/vertebroplasty/report.md" ||
    fail "the single-study harm is not counted per arm (1 of 68 against 1 of 63)"

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
if have gnuplot "the figures' reproducibility"; then
    "$bin" report --out "$tmp/a" "$obs" 2>/dev/null
    "$bin" report --out "$tmp/b" "$obs" 2>/dev/null
    for f in report.md results.json report.html figures/forest_pain_early.svg; do
        cmp -s "$tmp/a/$f" "$tmp/b/$f" || fail "$f differs between two runs"
    done
    ls -A "$tmp/a/figures" | grep -q '^\.' && fail "temporary files left in the figures folder"
fi

# 7. the review's confidence level is followed everywhere (issue 15.19): the
#    intervals, the headers and the sentences; a level that is not one is refused.
cp -r "$obs" "$tmp/lvl"
sed -i 's/^technology = .*/&\nlevel = 90/' "$tmp/lvl/review.ini"
"$bin" report --out "$tmp/lvlout" "$tmp/lvl" 2>/dev/null
[ $? -eq 0 ] || fail "level = 90: report did not exit 0"
grep -q 'Pooled effect (90% CI)' "$tmp/lvlout/report.md" || fail "level = 90: SoF header does not say 90%"
grep -q '95%' "$tmp/lvlout/report.md" && fail "level = 90: report.md still says 95%: $(grep -o '.\{30\}95%.\{20\}' "$tmp/lvlout/report.md" | head -3)"
if have gnuplot "the figures' confidence level"; then
    grep -l '95%' "$tmp/lvlout/figures/"*.svg > "$tmp/l95" && fail "level = 90: figures say 95%: $(cat "$tmp/l95")"
    grep -q '90% CI' "$tmp/lvlout/figures/forest_pain_early.svg" || fail "level = 90: forest plot header does not say 90% CI"
fi
# The 90% interval of the pooled change is narrower than the 95% one of the golden run.
python3 - "$golden/results.json" "$tmp/lvlout/results.json" <<'PY' || fail "level = 90: intervals not at 90%"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
x, y = a["analyses"][0], b["analyses"][0]
assert b["review"]["level"] == 90 and y["model"]["level"] == 90, "level not recorded"
assert y["ci_ub"] - y["ci_lb"] < x["ci_ub"] - x["ci_lb"], "90% CI not narrower"
assert abs(y["estimate"] - x["estimate"]) < 1e-9
PY
sed -i 's/^level = 90$/level = 100/' "$tmp/lvl/review.ini"
"$bin" report --no-figures --out "$tmp/lvlbad" "$tmp/lvl" 2> "$tmp/err"
[ $? -eq 1 ] || fail "level = 100: expected exit 1"
grep -q 'review.ini:[0-9]*:[0-9]*: level: "100" is not a confidence level' "$tmp/err" ||
    fail "level = 100: message ($(cat "$tmp/err"))"

# 8. PFT rates (issue 15.2, 15.5): each study's own rate is back-transformed with
#    its own n (4 of 40 is 10%, 5 of 30 is 16.67%), the pooled one with the
#    harmonic mean; the funnel plot names the model scale.
cp -r "$obs" "$tmp/pft"
sed -i 's/^measure = PLO$/measure = PFT/' "$tmp/pft/review.ini"
printf '\n[grade]\negger_min_k = 3\n' >> "$tmp/pft/review.ini"
"$bin" report --out "$tmp/pftout" "$tmp/pft" 2>/dev/null
[ $? -eq 0 ] || fail "PFT review: report did not exit 0"
python3 - "$tmp/pftout/results.json" <<'PY' || fail "PFT: study rates not back-transformed with their own n"
import json, sys
r = json.load(open(sys.argv[1]))
a = [x for x in r["analyses"] if x["outcome"] == "leakage"][0]
rates = {s["study"]: s["effect"] for s in a["studies"]}
for study, want in (("delta2018", 10.0), ("beta2012", 100 * 5 / 30), ("alpha2010", 15.0)):
    assert abs(rates[study] - want) < 1e-6, (study, rates[study], want)
PY
if have gnuplot "the PFT funnel plot's axis"; then
    grep -q 'Freeman-Tukey' "$tmp/pftout/figures/funnel_leakage_all.svg" ||
        fail "PFT funnel plot axis does not name the Freeman-Tukey scale"
    grep -q 'Log odds' "$tmp/pftout/figures/funnel_leakage_all.svg" && fail "PFT funnel plot says log odds"
fi

# 9. Markdown injection (issue 15.15): labels, the question and a study label
#    that GitHub-flavoured Markdown would turn into links, lists, emphasis,
#    strikethrough or HTML stay text when report.md is rendered by cmark-gfm,
#    GitHub's own renderer, with GitHub's extensions.
if have cmark-gfm "Markdown rendering"; then
    cp -r "$obs" "$tmp/md"
    evil='1. www.evil.example http://evil.example/x ftp://f.example mail@evil.example mailto:m@evil.example :smile: *em* _u_ <b>x</b> [l](http://x) ~~s~~ `c` | #'
    sed -i "s|^label = Cement leakage\$|label = $evil|" "$tmp/md/review.ini"
    sed -i 's|^question = .*|question = + a list? 1) or this https://q.example|' "$tmp/md/review.ini"
    sed -i 's|^alpha2010,Alpha 2010,|alpha2010,"2) https://s.example www.s.example",|' "$tmp/md/studies.csv"
    "$bin" report --no-figures --out "$tmp/mdout" "$tmp/md" 2> "$tmp/err" || fail "Markdown review: report failed ($(cat "$tmp/err"))"
    cmark-gfm -e autolink -e table -e strikethrough -e tagfilter "$tmp/mdout/report.md" > "$tmp/md.html"
    grep -c 'evil.example\|s.example\|q.example' "$tmp/md.html" > /dev/null || fail "Markdown: the hostile text is not in the report"
    for bad in '<a ' '<ol' '<em>' '<del>' '<b>' '<code>' '<img'; do
        grep -q "$bad" "$tmp/md.html" && fail "Markdown: a label became $bad: $(grep -o ".\{40\}$bad.\{40\}" "$tmp/md.html" | head -2)"
    done
    # Every list item is one the report made ("- " at the start of a line).
    items=$(grep -c '^- ' "$tmp/mdout/report.md")
    [ "$(grep -o '<li>' "$tmp/md.html" | wc -l)" -eq "$items" ] || fail "Markdown: a label started a list item"
    grep -q 'mail.*@evil.example' "$tmp/md.html" || fail "Markdown: the e-mail address was lost"
fi

# 10. risk of bias (issue 16): the synthetic review of 40 RoB 2 trials
#     (tests/fixtures/reviews/rob_trials40, made by rob_trials/gen.py) gets its
#     traffic-light and summary plots, risk-of-bias columns beside the forest
#     plot, a table with every trial, and appraisal.csv among the digests.
r40=$repo/tests/fixtures/reviews/rob_trials40
"$bin" report --out "$tmp/r40" "$r40" 2>/dev/null
st=$?
[ $st -eq 0 ] || [ $st -eq 4 ] || fail "rob_trials40: report exit $st"
grep -q '^## Risk of bias in the included studies' "$tmp/r40/report.md" || fail "rob_trials40: no risk-of-bias section"
python3 - "$tmp/r40/report.md" "$tmp/r40/results.json" <<'PY' || fail "rob_trials40: the RoB 2 table or results.json lacks appraisals"
import json, sys
md = open(sys.argv[1]).read().split("### RoB 2 ", 1)[1].split("\n\n")[2]
rows = [l for l in md.splitlines() if l.startswith("| ")][1:]
assert len(rows) == 41, len(rows)
assert len(json.load(open(sys.argv[2]))["risk_of_bias"]["appraisals"]) == 41
PY
grep -q '"file": "appraisal.csv"' "$tmp/r40/results.json" || fail "rob_trials40: appraisal.csv not among the input digests"
if command -v gnuplot > /dev/null; then
    for f in rob_traffic_light_rob2 rob_summary_rob2 forest_pain_vs_control_early; do
        [ -s "$tmp/r40/figures/$f.png" ] && [ -s "$tmp/r40/figures/$f.svg" ] || fail "rob_trials40: $f missing"
    done
    grep -q 'Risk of bias' "$tmp/r40/figures/forest_pain_vs_control_early.svg" ||
        fail "rob_trials40: no risk-of-bias columns beside the forest plot"
    grep -q 'Nakamura 2014 b' "$tmp/r40/figures/rob_traffic_light_rob2.svg" ||
        fail "rob_trials40: the traffic-light plot lacks the 40th trial"
    grep -q '<svg' "$tmp/r40/report.html" || fail "rob_trials40: HTML without inline figures"
fi

# 11. --pdf: report.html printed by Chromium, with the review's date instead of
#     the clock; without chromium on PATH the report is written, says so, and
#     the exit status is 4, and a PDF of an earlier run does not stay behind.
if have chromium "report --pdf" && have gnuplot "report --pdf"; then
    "$bin" report --pdf --out "$tmp/pdf" "$obs" 2> "$tmp/err"
    st=$?
    [ $st -eq 0 ] || fail "--pdf: exit status $st ($(cat "$tmp/err"))"
    head -c 5 "$tmp/pdf/report.pdf" | grep -q '%PDF-' || fail "--pdf: report.pdf is not a PDF"
    tail -c 64 "$tmp/pdf/report.pdf" | grep -q '%%EOF' || fail "--pdf: report.pdf is incomplete"
    grep -aq "/CreationDate (D:20260201000000" "$tmp/pdf/report.pdf" ||
        fail "--pdf: the PDF's date is not the review date"
    ls -A "$tmp/pdf" | grep -q '^\.' && fail "--pdf: temporary files left in the report folder"
    mkdir -p "$tmp/gponly"
    ln -s "$(command -v gnuplot)" "$tmp/gponly/gnuplot"
    PATH="$tmp/gponly" "$bin" report --pdf --out "$tmp/pdf" "$obs" 2> "$tmp/err"
    st=$?
    [ $st -eq 4 ] || fail "--pdf without chromium: exit $st, expected 4"
    grep -q 'PDF missing: chromium was not found on PATH' "$tmp/err" || fail "--pdf without chromium: message ($(cat "$tmp/err"))"
    grep -q '^\*\*PDF not made:\*\* chromium was not found' "$tmp/pdf/report.md" ||
        fail "--pdf without chromium: the report does not say so"
    [ -e "$tmp/pdf/report.pdf" ] && fail "--pdf without chromium: the earlier run's PDF is still there"
    [ -s "$tmp/pdf/report.html" ] && [ -s "$tmp/pdf/figures/forest_pain_early.svg" ] ||
        fail "--pdf without chromium: the other outputs are missing"
fi

# 11. The cumulative meta-analysis of a rate uses the report's binomial-normal
#     model at every step: with no event in the first two studies by year the
#     second step is not estimable (no continuity correction), the first is
#     the study alone (0 of 20), and the last is the reported rate.
cp -r "$obs" "$tmp/cum"
sed -i -e 's/^\(alpha2010,leakage,.*,20,,,,,,,,,,,\)3,/\10,/' \
       -e 's/^\(beta2012,leakage,.*,30,,,,,,,,,,,\)5,/\10,/' "$tmp/cum/outcomes.csv"
"$bin" report --out "$tmp/cumout" "$tmp/cum" 2> "$tmp/err" || fail "cumulative rates: report failed ($(cat "$tmp/err"))"
python3 - "$tmp/cumout/results.json" <<'PY' || fail "cumulative rates: not the GLMM at every step"
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["analyses"] if x["outcome"] == "leakage"][0]
c = a["glmm"]["cumulative"]
assert [s["k"] for s in c] == [1, 2, 3], c
assert c[0]["estimable"] and c[0]["estimate"] == 0 and c[0]["ci_lb"] == 0, c[0]
assert not c[1]["estimable"] and c[1]["estimate"] is None, c[1]
assert c[2]["estimable"] and abs(c[2]["estimate"] - a["estimate"]) < 1e-9 * a["estimate"], (c[2], a["estimate"])
PY
if have gnuplot "the cumulative figure of a rate"; then
    svg=$tmp/cumout/figures/cumulative_leakage_all.svg
    grep -q 'not estimable (no events)' "$svg" || fail "cumulative rates: the figure does not say not estimable"
    grep -q 'Binomial-normal model' "$svg" || fail "cumulative rates: the figure does not name the GLMM"
fi

[ $fails -eq 0 ] && echo "report tests: all passed"
exit $((fails > 0))
