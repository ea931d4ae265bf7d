#!/usr/bin/env bash
# run_cli_tests.sh EVSYNTH CASES -- table-driven tests of the command line.
#
# CASES holds blocks separated by blank lines; '#' starts a comment line.
#   case: NAME                 what is tested
#   args: ARG ARG ...          arguments (split on spaces; no quoting)
#   stdin: FILE                optional: file fed to standard input
#   exit: N                    expected exit status
#   stderr: TEXT               expected standard error, one line per
#                              'stderr:' entry, compared exactly (none: empty)
#   stdout: TEXT               a line that must appear in standard output
#   stdout-near: REL TEXT      a CSV line of standard output whose fields are
#                              TEXT's: numbers within REL relative (or 1e-12
#                              absolute, for zeros) of TEXT's, empty fields
#                              empty, other text equal; for references that
#                              are accurate to REL only (lme4's GLMM fits)
#   stdout-empty:              standard output must be empty
#   stdout-to: FILE            optional: standard output goes to FILE (such
#                              as /dev/full) instead of being compared
#   setup: COMMAND             optional, may repeat: bash commands run in a
#                              new empty scratch folder before the case; the
#                              case then runs in that folder.  $CASES_DIR is
#                              the directory of CASES.
#   after: COMMAND             optional, may repeat: a bash condition that
#                              must hold after the case (run where the case ran)
# Paths are relative to the directory of CASES (or to the scratch folder).
set -u
evsynth=$1
cases=$2
cd "$(dirname "$cases")" || exit 2

pass=0 fail=0
out=$(mktemp) err=$(mktemp) scratch=$(mktemp -d)
trap 'rm -rf "$out" "$err" "$scratch"' EXIT
export CASES_DIR=$PWD EVSYNTH=$evsynth

run_case() {
    [ -n "$name" ] || return 0
    local input=/dev/null
    [ -n "$stdin" ] && input=$stdin
    local where=$CASES_DIR status ok=1 why=""
    if [ -n "$setup" ]; then
        where=$scratch/case
        rm -rf "$where" && mkdir "$where"
        if ! (cd "$where" && bash -e -c "$setup") >"$out" 2>&1; then
            fail=$((fail + 1))
            printf 'FAIL: %s\n  setup failed: %s\n' "$name" "$(cat "$out")"
            return 0
        fi
    fi
    # shellcheck disable=SC2086
    local sink=$out
    [ -n "$stdout_to" ] && sink=$stdout_to
    (cd "$where" && exec "$evsynth" $args) <"$input" >"$sink" 2>"$err"
    status=$?
    if [ "$status" != "$want_exit" ]; then
        ok=0 why="exit status $status, expected $want_exit"
    elif [ "$(cat "$err")" != "$(printf '%s' "$want_err")" ]; then
        ok=0 why="stderr differs:
--- expected
$(printf '%s' "$want_err")
--- got
$(cat "$err")"
    elif [ "$want_empty" = 1 ] && [ -s "$out" ]; then
        ok=0 why="stdout not empty"
    elif [ -n "$want_near" ] && ! near_lines "$out"; then
        ok=0 why="stdout has no line near: $near_missing"
    else
        while IFS= read -r line; do
            [ -z "$line" ] && continue
            if ! grep -qF -- "$line" "$out"; then
                ok=0 why="stdout lacks: $line"
                break
            fi
        done <<<"$want_out"
    fi
    if [ $ok = 1 ] && [ -n "$after" ] && ! (cd "$where" && bash -e -c "$after") >/dev/null 2>&1; then
        ok=0 why="after the run, this does not hold: $after"
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        printf 'FAIL: %s\n  args: %s\n  %s\n' "$name" "$args" "$why"
    fi
}

# near_lines FILE: every stdout-near entry has a line of FILE near it (the
# first that is not goes in near_missing).
near_lines() {
    local entry rel text
    while IFS= read -r entry; do
        [ -z "$entry" ] && continue
        rel=${entry%% *} text=${entry#* }
        if ! awk -v rel="$rel" -v want="$text" '
            function isnum(x) { return x ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
            BEGIN { nw = split(want, w, ",") }
            {
                n = split($0, g, ",")
                if (n != nw) next
                for (i = 1; i <= n; i++) {
                    if (isnum(w[i]) && isnum(g[i])) {
                        d = g[i] - w[i]; if (d < 0) d = -d
                        s = w[i] < 0 ? -w[i] : w[i]
                        if (d > rel * s + 1e-12) next
                    } else if (g[i] != w[i]) next
                }
                found = 1; exit
            }
            END { exit !found }' "$1"; then
            near_missing=$text
            return 1
        fi
    done <<<"$want_near"
    return 0
}

reset() {
    name="" args="" stdin="" want_exit=0 want_err="" have_err=0 want_out="" want_empty=0
    setup="" after="" stdout_to="" want_near=""
}
# The text after "key:" and one optional space.
value() { local v=${1#*:}; printf '%s' "${v# }"; }
reset
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
    '#'*) ;;
    '') run_case; reset ;;
    'case:'*) name=$(value "$line") ;;
    'args:'*) args=$(value "$line") ;;
    'stdin:'*) stdin=$(value "$line") ;;
    'exit:'*) want_exit=$(value "$line") ;;
    'stderr:'*)
        if [ "$have_err" = 1 ]; then want_err="$want_err"$'\n'"$(value "$line")"
        else want_err=$(value "$line") have_err=1; fi ;;
    'stdout:'*) want_out="$want_out"$'\n'"$(value "$line")" ;;
    'stdout-near:'*) want_near="$want_near"$'\n'"$(value "$line")" ;;
    'stdout-empty:'*) want_empty=1 ;;
    'stdout-to:'*) stdout_to=$(value "$line") ;;
    'setup:'*) setup="$setup"$'\n'"$(value "$line")" ;;
    'after:'*) after="$after"$'\n'"$(value "$line")" ;;
    *) echo "bad line in $cases: $line"; exit 2 ;;
    esac
done <"$cases"
run_case

echo "$pass passed, $fail failed"
[ $fail = 0 ]
