#!/usr/bin/env bash
# run_limits.sh EVSYNTH MAX_KB -- the readers' limits bound memory and time
# (issue 15, item 12).  Each hostile input must be refused within 10 seconds
# with a peak resident size under MAX_KB kilobytes (measured by GNU time):
# before the limits were checked while reading, a line of 50 million commas
# took 1.25 GB and /dev/zero on standard input grew until memory ran out.
# The exact messages are in the bad-input catalogue; this checks the cost.
set -uo pipefail
bin=$1
max_kb=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# measure NAME STDIN ARGS...: run with a 10 s timeout; exit 1 expected.
measure() {
    local name=$1 input=$2
    shift 2
    timeout 10 /usr/bin/time -f '%M %e' -o "$tmp/time" "$bin" "$@" < "$input" > /dev/null 2> "$tmp/err"
    local st=$?
    read -r kb secs < <(tail -n 1 "$tmp/time") || { kb=0 secs=0; }
    case "$kb" in ''|*[!0-9]*) kb=0 ;; esac
    if [ $st -eq 124 ]; then
        echo "FAIL: $name: still running after 10 s"; fails=$((fails + 1))
    elif [ $st -ne 1 ]; then
        echo "FAIL: $name: exit $st, expected 1 ($(head -c 300 "$tmp/err"))"; fails=$((fails + 1))
    elif [ "$kb" -gt "$max_kb" ]; then
        echo "FAIL: $name: peak memory $kb KB, more than $max_kb KB"; fails=$((fails + 1))
    else
        echo "ok: $name: $kb KB, $secs s"
    fi
}

{ printf 'study,yi,vi\n'; head -c 50000000 /dev/zero | tr '\0' ,; printf '\n'; } > "$tmp/commas.csv"
f=$(head -c 1040000 /dev/zero | tr '\0' y)
{ printf 'study,yi,vi\nx'; for i in $(seq 17); do printf ',%s' "$f"; done; printf '\n'; } > "$tmp/wide.csv"

measure "meta - < /dev/zero" /dev/zero meta -
measure "meta - < a 50 MB line of commas" "$tmp/commas.csv" meta -
measure "meta FILE: a 50 MB line of commas" /dev/null meta "$tmp/commas.csv"
measure "meta FILE: 17 fields of 1 MB" /dev/null meta "$tmp/wide.csv"
# endless input from a pipe: a field that never ends, a line of commas that never ends
mkfifo "$tmp/pipe"
endless() {
    "$@" > "$tmp/pipe" 2>/dev/null & feeder=$!
}
endless sh -c 'tr "\0" a < /dev/zero'
measure "meta - < an endless field (pipe)" "$tmp/pipe" meta -
kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
endless sh -c 'tr "\0" , < /dev/zero'
measure "meta - < an endless line of commas (pipe)" "$tmp/pipe" meta -
kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null

[ $fails -eq 0 ] && echo "limits: all passed"
exit $((fails > 0))
