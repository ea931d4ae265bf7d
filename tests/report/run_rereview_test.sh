#!/usr/bin/env bash
# run_rereview_test.sh EVSYNTH REPO -- the yearly re-review, scripted as an
# analyst does it (README, "The yearly re-review"), on the fictional review
# of tests/fixtures/rereview:
#
#   year 1 (last year): import two exports, screen, report;
#   year 2: a new search date, import new exports (new records, and
#   duplicates of the log and of each other), a register and a reference
#   list, screen, add the new study, report with --previous, diff.
#
# Every expected number is worked out by hand below, from the fixture files
# and the formulas (common-effect model, metafor's escalc MC and PLO), and
# checked against results.json, the report and evsynth diff.
set -uo pipefail
bin=$1
repo=$2
fix=$repo/tests/fixtures/rereview
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# decide LOG ID TA FT REASON STUDY: a reviewer's decisions on record ID, as
# made in a spreadsheet (evsynth writes every cell of records.csv quoted).
decide() {
    awk -v id="$2" -v ta="$3" -v ft="$4" -v reason="$5" -v study="$6" '
    function split_csv(line, f,    n) {
        n = 0
        while (1) {
            if (match(line, /^"([^"]|"")*"/)) f[++n] = substr(line, 1, RLENGTH)
            else { match(line, /^[^,]*/); f[++n] = substr(line, 1, RLENGTH) }
            line = substr(line, RLENGTH + 1)
            if (substr(line, 1, 1) != ",") return n
            line = substr(line, 2)
        }
    }
    NR == 1 { n = split($0, h, ","); for (i = 1; i <= n; i++) col[h[i]] = i; print; next }
    {
        n = split_csv($0, f)
        if (f[1] == "\"" id "\"") {
            f[col["ta_decision"]] = "\"" ta "\""; f[col["ft_decision"]] = "\"" ft "\""
            f[col["ft_reason"]] = "\"" reason "\""; f[col["study"]] = "\"" study "\""
            found = 1
        }
        line = f[1]; for (i = 2; i <= n; i++) line = line "," f[i]
        print line
    }
    END { if (!found) { print "decide: no record " id > "/dev/stderr"; exit 1 } }
    ' "$1" >"$1.tmp" && mv "$1.tmp" "$1" || fail "decide $2"
}

# expect_json FILE FILTER VALUE: jq's output of FILTER is VALUE (text).
expect_json() {
    local got
    got=$(jq -r "$2" "$1")
    [ "$got" = "$3" ] || fail "$(basename "$(dirname "$1")") $2 = $got, expected $3"
}

# expect_close FILE FILTER VALUE: a number of results.json within 1e-8 relative
# (results.json keeps 10 significant digits).
expect_close() {
    local got
    got=$(jq -r "$2" "$1")
    awk -v a="$got" -v b="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b;
        exit !(a != "" && d <= 1e-8 * s + 1e-12) }' ||
        fail "$(basename "$(dirname "$1")") $2 = $got, expected $3"
}

# expect_line FILE TEXT: FILE has a line holding TEXT (fixed string).
expect_line() { grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks: $2"; }

rv=$tmp/review
cp -r "$fix/year1" "$rv"

# --- Year 1 ------------------------------------------------------------------
# year1_pubmed.nbib: 5 records, the reports of s1, s2 and s3 (whose rows of
# studies.csv give their PMIDs, so that each becomes that study's record) and
# two others.  year1_embase.ris: 3 records, s2's by its DOI in capitals, s3's
# by title, year and author, and one new.
"$bin" import --date 2025-01-16 "$rv" "$fix/year1_pubmed.nbib" "$fix/year1_embase.ris" \
    >"$tmp/import1.txt" 2>&1 || fail "year 1 import did not exit 0: $(cat "$tmp/import1.txt")"
expect_line "$tmp/import1.txt" "Added 8 records to $rv/records.csv: 6 new, 2 duplicates (0 of the log, 1 of a study's record, 1 within the import)"
expect_line "$tmp/import1.txt" "r0001 (year1_pubmed.nbib:1): the record of study s1 of studies.csv (PMID 99100001): study filled in"
expect_line "$tmp/import1.txt" "r0006 (year1_embase.ris:1): duplicate of r0002 from year1_pubmed.nbib:11, the record of study s2 (DOI 10.5555/RR.0002)"
expect_line "$tmp/import1.txt" "r0007 (year1_embase.ris:9): duplicate of r0003 from year1_pubmed.nbib:20 (title, year and first author)"
log=$rv/records.csv
"$bin" check "$rv" >"$tmp/check1.txt" 2>&1 || fail "check before screening did not exit 0"
expect_line "$tmp/check1.txt" "to do: 6 records to screen on title and abstract, 0 full texts to assess"
decide "$log" r0001 include include "" s1
decide "$log" r0002 include include "" s2
decide "$log" r0003 include include "" s3
decide "$log" r0004 exclude "" "" ""
decide "$log" r0005 exclude "" "" ""
decide "$log" r0008 include exclude no_usable_data ""
"$bin" check "$rv" >"$tmp/check1.txt" 2>&1 || fail "year 1 check: $(cat "$tmp/check1.txt")"
"$bin" report --no-figures --out "$tmp/y1" "$rv" 2>/dev/null || fail "year 1 report did not exit 0"
y1=$tmp/y1/results.json

# PRISMA 2020, new review: 8 identified (PubMed 5, Embase 3), 2 duplicates,
# 6 screened, 2 excluded (r0004, r0005), 4 sought, 4 assessed, 1 excluded
# (r0008: no usable data), 3 studies from 3 reports.
expect_json "$y1" '.prisma.template' "new review"
expect_json "$y1" '[.prisma.database_results, .prisma.register_results, .prisma.duplicates, .prisma.records_screened, .prisma.records_excluded, .prisma.dbr_sought_reports, .prisma.dbr_notretrieved_reports, .prisma.dbr_assessed, .prisma.dbr_excluded, .prisma.total_studies, .prisma.total_reports] | map(tostring) | join(" ")' "8 0 2 6 2 4 0 4 1 3 3"
expect_json "$y1" '.prisma.database_specific_results | map("\(.source) \(.n)") | join(", ")' "PubMed 5, Embase 3"
expect_json "$y1" '.prisma.dbr_excluded_reasons | map("\(.reason) \(.n)") | join(", ")' "wrong_population 0, no_usable_data 1"

# Pain, common effect: three rows of yi = 8 - 6 = 2 and vi = (1 + 1 - 2 r)/20
# = 0.05 (r = 0.5): estimate 2, se = sqrt(0.05 / 3), CI 2 -/+ 1.959964 se.
z=1.959963984540054
read -r lo hi < <(awk -v z=$z 'BEGIN { se = sqrt(0.05 / 3); printf "%.12f %.12f\n", 2 - z * se, 2 + z * se }')
expect_close "$y1" '.analyses[] | select(.id == "pain.early") | .estimate' 2
expect_close "$y1" '.analyses[] | select(.id == "pain.early") | .ci_lb' "$lo"
expect_close "$y1" '.analyses[] | select(.id == "pain.early") | .ci_ub' "$hi"
# Leakage, PLO: three rows of 1 of 20, yi = log(1/19), vi = 1 + 1/19: the
# pooled rate is 5%, its CI ilogit(log(1/19) -/+ z / sqrt(3 / (1 + 1/19))).
read -r lo hi < <(awk -v z=$z 'BEGIN { y = log(1 / 19); se = 1 / sqrt(3 / (1 + 1 / 19));
    printf "%.12f %.12f\n", 100 / (1 + exp(-(y - z * se))), 100 / (1 + exp(-(y + z * se))) }')
expect_close "$y1" '.analyses[] | select(.id == "leakage.all") | .estimate' 5
expect_close "$y1" '.analyses[] | select(.id == "leakage.all") | .ci_lb' "$lo"
expect_close "$y1" '.analyses[] | select(.id == "leakage.all") | .ci_ub' "$hi"

# --- Year 2 ------------------------------------------------------------------
sed -i 's/^literature_search = 2025-01-15/literature_search = 2026-01-15/;
        s/^review_date = 2025-02-01/review_date = 2026-02-01/;
        s/^next_review = 2026-02-01/next_review = 2027-02-01/' "$rv/review.ini"
# The committee's decision on last year's results, by their SHA-256.
sha1=$(sha256sum "$y1" | cut -c1-64)
printf 'date,body,decision,effective,next_review,results_sha256,note\n2025-02-10,Technology assessment committee,Investigational (no change),2025-04-01,2026-02,%s,\n' \
    "$sha1" >"$rv/decisions.csv"

# year2_pubmed.nbib: 6 records: s1's and r0004's again (PMID, duplicates of
# the log), the new trial, and three more.  year2_embase.ris: 3 records: the
# trial again (DOI, within the import), s3's again (title, year and author,
# of the log) and one more.
"$bin" import --date 2026-01-16 "$rv" "$fix/year2_pubmed.nbib" "$fix/year2_embase.ris" \
    >"$tmp/import2.txt" 2>&1 || fail "year 2 import did not exit 0: $(cat "$tmp/import2.txt")"
expect_line "$tmp/import2.txt" "Added 9 records to $rv/records.csv: 5 new, 4 duplicates (3 of the log, 0 of a study's record, 1 within the import)"
expect_line "$tmp/import2.txt" "r0009 (year2_pubmed.nbib:1): duplicate of r0001, already in the log (PMID 99100001)"
expect_line "$tmp/import2.txt" "r0010 (year2_pubmed.nbib:10): duplicate of r0004, already in the log (PMID 99100004)"
expect_line "$tmp/import2.txt" "r0015 (year2_embase.ris:1): duplicate of r0011 from year2_pubmed.nbib:18 (DOI 10.5555/RR.0010)"
expect_line "$tmp/import2.txt" "r0016 (year2_embase.ris:9): duplicate of r0003, already in the log (title, year and first author)"
"$bin" import --date 2026-01-16 --source ClinicalTrials.gov --type register "$rv" \
    "$fix/year2_register.ris" >/dev/null 2>&1 || fail "register import did not exit 0"
"$bin" import --date 2026-01-16 --source "Reference lists" --type other "$rv" \
    "$fix/year2_references.ris" >/dev/null 2>&1 || fail "reference-list import did not exit 0"
decide "$log" r0011 include include "" s4
decide "$log" r0012 exclude "" "" ""
decide "$log" r0013 include exclude wrong_population ""
decide "$log" r0014 include not_retrieved "" ""
decide "$log" r0017 exclude "" "" ""
decide "$log" r0018 include exclude no_usable_data ""
decide "$log" r0019 "" exclude no_usable_data ""
# The new study, extracted: s4, randomised, 100 + 50 patients.
cat "$fix/year2_studies.csv" >>"$rv/studies.csv"
cat "$fix/year2_outcomes.csv" >>"$rv/outcomes.csv"
"$bin" check "$rv" >"$tmp/check2.txt" 2>&1 || fail "year 2 check: $(cat "$tmp/check2.txt")"
expect_line "$tmp/check2.txt" "studies: 3 in the previous version, 1 new, 4 in total (4 reports)"
(cd "$tmp" && "$bin" report --previous "$y1" --out "$tmp/y2" "$rv" 2>/dev/null) ||
    fail "year 2 report did not exit 0"
y2=$tmp/y2/results.json
md=$tmp/y2/report.md

# PRISMA 2020, updated review.  Databases and registers, this search:
# PubMed 6 + Embase 3 + ClinicalTrials.gov 1 = 10 identified; 4 duplicates
# (r0009, r0010, r0015, r0016); 6 screened; 2 excluded (r0012, r0017); 4
# sought (r0011, r0013, r0014, r0018); 1 not retrieved (r0014); 3 assessed;
# 2 excluded (r0013 wrong population, r0018 no usable data); 1 included
# (r0011).  Other methods: 1 identified, sought and assessed, 1 excluded.
# Studies: 3 before, 1 new (s4), 4 in total, from 3 + 1 reports.
expect_json "$y2" '.prisma.template' "updated review"
expect_json "$y2" '[.prisma.previous_studies, .prisma.previous_reports, .prisma.database_results, .prisma.register_results, .prisma.duplicates, .prisma.records_screened, .prisma.records_excluded, .prisma.dbr_sought_reports, .prisma.dbr_notretrieved_reports, .prisma.dbr_assessed, .prisma.dbr_excluded, .prisma.dbr_included_reports] | map(tostring) | join(" ")' "3 3 9 1 4 6 2 4 1 3 2 1"
expect_json "$y2" '[.prisma.other_results, .prisma.other_sought_reports, .prisma.other_assessed, .prisma.other_excluded, .prisma.new_studies, .prisma.new_reports, .prisma.total_studies, .prisma.total_reports] | map(tostring) | join(" ")' "1 1 1 1 1 1 4 4"
expect_json "$y2" '.prisma.dbr_excluded_reasons | map("\(.reason) \(.n)") | join(", ")' "wrong_population 1, no_usable_data 1"
expect_json "$y2" '[.inputs[].file] | join(" ")' "review.ini studies.csv outcomes.csv records.csv decisions.csv"

# Pain: s4's augmentation arm adds yi = 8 - 3 = 5, vi = 1/100; weights 20,
# 20, 20 and 100: estimate (3 x 20 x 2 + 100 x 5) / 160 = 3.875, se =
# 1/sqrt(160).  The control arm is never pooled with the intervention.
read -r lo hi < <(awk -v z=$z 'BEGIN { se = 1 / sqrt(160); printf "%.12f %.12f\n", 3.875 - z * se, 3.875 + z * se }')
expect_close "$y2" '.analyses[] | select(.id == "pain.early") | .estimate' 3.875
expect_close "$y2" '.analyses[] | select(.id == "pain.early") | .ci_lb' "$lo"
expect_close "$y2" '.analyses[] | select(.id == "pain.early") | .ci_ub' "$hi"
# Leakage: s4 adds 30 of 100, yi = log(30/70), vi = 1/30 + 1/70; the old
# rows weigh 1/(1 + 1/19) = 0.95 each.
read -r est lo hi < <(awk -v z=$z 'BEGIN { w0 = 1 / (1 + 1 / 19); w4 = 1 / (1 / 30 + 1 / 70);
    m = (3 * w0 * log(1 / 19) + w4 * log(30 / 70)) / (3 * w0 + w4); se = 1 / sqrt(3 * w0 + w4);
    printf "%.12f %.12f %.12f\n", 100 / (1 + exp(-m)), 100 / (1 + exp(-(m - z * se))),
        100 / (1 + exp(-(m + z * se))) }')
expect_close "$y2" '.analyses[] | select(.id == "leakage.all") | .estimate' "$est"
expect_close "$y2" '.analyses[] | select(.id == "leakage.all") | .ci_lb' "$lo"
expect_close "$y2" '.analyses[] | select(.id == "leakage.all") | .ci_ub' "$hi"
# GRADE by hand (grade.h).  Pain: a change from baseline uses no control
# group, whatever the trials it comes from: very low from the start, as last
# year.  Leakage: randomised participants 100/160 = 62.5%: high; uncontrolled
# 60/160 < 50%: risk of bias not rated down (not assessed per study); Q =
# 2.85 (log(1/19) - m)^2 + 21 (log(3/7) - m)^2 = 11.04, I2 = 73%: -1; a rate
# of harm: direct; imprecision: the CI (18.3% to 33.3%) is clear of the 10%
# threshold, but the optimal information size of a 10% rate against 7.5%
# (an RRR of 25%) is (1.96 sqrt(.1 .9) + 0.8416 sqrt(.075 .925))^2 / .025^2
# = 1,048.9, so 1,049, and 160 is below half of it: -2 (GRADE 34, "far less
# than the OIS").  High - 3 = very low, as last year (when the CI, 1.6% to
# 14.4%, crossed the threshold and 60 participants were far below the OIS).
expect_json "$y2" '.analyses[] | select(.id == "pain.early") | .grade.certainty' "very low"
expect_json "$y2" '.analyses[] | select(.id == "leakage.all") | .grade.certainty' "very low"
expect_json "$y1" '.analyses[] | select(.id == "leakage.all") | .grade.certainty' "very low"

# The signals, with the numbers above as the report rounds them.  Pain moves
# by (3.875 - 2)/2 = +94%, leakage by (25.01 - 5)/5 = +400%; both CIs leave
# their MCID or threshold; no CI crosses no effect; nothing changes in the
# criteria (1 and 2 not met both years), the regulatory status or the
# conclusion.
expect_line "$md" "**Added:** Eel 2025 (randomised, n = 150)"
expect_line "$md" "**New randomised trial:** Eel 2025 (randomised, n = 150)."
expect_line "$md" "**Larger than all previous studies together:** Eel 2025 has 150 participants; the 3 studies of the last review had 60."
expect_line "$md" "**Pain (0 to 10): reduction from baseline, Up to 1 month:** the CI no longer includes the MCID of 2: 3.88 (3.72 to 4.03), k = 4, was 2.00 (1.75 to 2.25), k = 3."
expect_line "$md" "**Pain (0 to 10): reduction from baseline, Up to 1 month:** the pooled estimate changed by +94% (3.88, was 2.00): 50% or more (Shojania et al. 2007)."
expect_line "$md" "**Cement leakage, Any time:** the CI no longer includes the threshold of 10%: 25.0% (18.3% to 33.3%), k = 4, was 5.0% (1.6% to 14.4%), k = 3."
expect_line "$md" "**Cement leakage, Any time:** the pooled estimate changed by +400% (25.0%, was 5.0%): 50% or more (Shojania et al. 2007)."
expect_line "$md" "**Cement leakage, Any time:** the pooled rate is now above the threshold of 10%: 25.0% (18.3% to 33.3%), k = 4, was 5.0% (1.6% to 14.4%), k = 3."
expect_line "$md" "**New evidence that may change the conclusion.** 7 signals above for the committee to weigh"
expect_line "$md" "**Changed:** review.ini, studies.csv, outcomes.csv, records.csv."
expect_line "$md" "**New:** decisions.csv."
sed -n '/^### Update signals/,/^### Update status/p' "$md" >"$tmp/signals.md"
n=$(grep -c '^- ' "$tmp/signals.md")
[ "$n" = 7 ] || fail "expected 7 signals, found $n"
grep -q 'no effect:\|^- \*\*Criterion\|^- \*\*Regulatory\|^- \*\*Conclusion' "$tmp/signals.md" &&
    fail "a signal that the data do not give"

# The header and the history: last year's review date, the decision on its
# results; no local path anywhere in the report.
expect_line "$md" "Last review: 2025-02-01."
expect_line "$md" "the previous review's results.json (SHA-256 ${sha1:0:12})"
expect_line "$md" "Compared with the review of 2025-02-01 (literature search 2025-01-15; its results.json has SHA-256 ${sha1:0:12})."
grep -qF "$tmp" "$md" "$tmp/y2/report.html" && fail "the report prints a local path"
expect_line "$md" "## Study selection (PRISMA 2020)"
expect_line "$md" "Studies included: 3 in the previous version of the review, 1 new, 4 in total (4 reports)."

# evsynth diff says the same, refuses two different reviews, and finds no
# new evidence between a result and itself.
"$bin" diff "$y1" "$y2" >"$tmp/diff.md" 2>&1 || fail "evsynth diff did not exit 0"
expect_line "$tmp/diff.md" "**New evidence that may change the conclusion.** 7 signals above"
expect_line "$tmp/diff.md" "**Larger than all previous studies together:** Eel 2025 has 150 participants; the 3 studies of the last review had 60."
"$bin" diff "$y2" "$y2" >"$tmp/same.md" 2>&1 || fail "evsynth diff of a file with itself did not exit 0"
expect_line "$tmp/same.md" "**No new evidence.** Nothing changed: the conclusion stands:"
expect_line "$tmp/same.md" "**Unchanged:** review.ini, studies.csv, outcomes.csv, records.csv, decisions.csv."
jq '.review.id = "other"' "$y2" >"$tmp/other.json"
"$bin" diff "$y1" "$tmp/other.json" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "evsynth diff of two reviews did not exit 1"
expect_line "$tmp/err" "the results are of two different reviews (\"rereview\" and \"other\"): compare the results of one review"
"$bin" report --no-figures --previous "$tmp/other.json" --out "$tmp/y2x" "$rv" 2>"$tmp/err"
[ $? -eq 1 ] || fail "report with another review's results did not exit 1"
[ -e "$tmp/y2x/report.md" ] && fail "report with another review's results wrote a report"
expect_line "$tmp/err" "other.json: the results of review \"other\", not of \"rereview\""

# The flow diagram is drawn, as PNG and SVG, and inlined in the HTML.
if command -v gnuplot >/dev/null; then
    [ -s "$tmp/y2/figures/prisma_flow.png" ] && [ -s "$tmp/y2/figures/prisma_flow.svg" ] ||
        fail "no prisma_flow figure"
    # Its labels in drawing order, the lines of a wrapped box joined again.
    grep -o '<text>[^<]*</text>' "$tmp/y2/figures/prisma_flow.svg" | sed 's/<[^>]*>//g' |
        tr '\n' ' ' | sed 's/\xc2\xa0/ /g' >"$tmp/flow.txt"
    for box in "Studies included in previous version of review (n = 3) Reports of studies included in previous version of review (n = 3)" \
        "Databases (n = 9) PubMed (n = 6) Embase (n = 3) Registers (n = 1) ClinicalTrials.gov (n = 1)" \
        "Duplicate records removed (n = 4)" "Records screened (n = 6)" "Records excluded (n = 2)" \
        "Reports not retrieved (n = 1)" \
        "Reports excluded (n = 2) Not the review's population (n = 1) No usable outcome data (n = 1)" \
        "New studies included in review (n = 1) Reports of new included studies (n = 1)" \
        "Total studies included in review (n = 4) Reports of total included studies (n = 4)" \
        "Reference lists (n = 1)"; do
        grep -qF -- "$box" "$tmp/flow.txt" || fail "the flow diagram lacks: $box"
    done
    grep -q '<svg' "$tmp/y2/report.html" && grep -q 'Reports of total' "$tmp/y2/report.html" ||
        fail "the HTML lacks the flow diagram"
fi

[ $fails -eq 0 ] && echo "re-review: all checks passed"
exit $((fails > 0))
