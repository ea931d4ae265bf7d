#!/usr/bin/env bash
# run_outdir_tests.sh EVSYNTH REPO -- the report folder as one unit
# (issue 15, items 6 to 9 and 11; issue 19, item 2), with the shipped
# program:
#
#   layout     --out DIR and the default reports/ID with plots/ID a link;
#              an old plots/ID folder of figures becomes the link
#   stale      figures a new run does not make are gone
#   umask      files and folders get 0666 and 0777 less the umask
#   apart      an output folder that is, contains or is inside the review
#              folder is refused, and the review is untouched
#   foreign    a folder holding files evsynth did not write is refused;
#              a file or FIFO as the folder is refused; a link is followed
#   lock       a second run into the same folder is refused while the
#              first holds the lock
#   leftovers  staging folders, the fallback's journal and *.tmp-* files
#              of a killed run are cleaned up or undone
#   full disk  a nearly full tmpfs (in a private mount namespace; needs
#              root or user namespaces) at several free sizes, and a
#              file-size limit (RLIMIT_FSIZE): each run either fails with
#              the old report intact or succeeds with the complete new one
#   gnuplot    a run killed while gnuplot draws leaves no gnuplot running
#   kills      SIGKILL at seeded random moments of 40 runs: after each, the
#              folder is the complete old report or the complete new one
set -uo pipefail
bin=$(realpath "$1")
repo=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
. "$here/common.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
make_reviews "$repo/tests/fixtures/reviews" "$tmp"

# Reference manifests: the complete report of each version.
"$bin" report --out ref1 v1 2>/dev/null || fail "reference run of v1"
"$bin" report --out ref2 v2 2>/dev/null || fail "reference run of v2"
old=$(manifest ref1)
new=$(manifest ref2)
[ "$old" != "$new" ] || fail "the two versions give the same report"
[ -n "$(ls ref1/figures)" ] || fail "the reference has no figures"

# fresh DIR: a copy of the v1 report at DIR
fresh() { rm -rf "$1" && cp -a ref1 "$1"; }

# --- layout ----------------------------------------------------------------
mkdir root && (cd root && "$bin" report ../v1 2>"$tmp/err")
st=$?
[ $st -eq 0 ] || fail "default layout: exit $st ($(cat "$tmp/err"))"
[ "$(manifest root/reports/observational)" = "$old" ] || fail "default layout: reports/ID differs from --out"
[ "$(readlink root/plots/observational)" = "../reports/observational/figures" ] ||
    fail "default layout: plots/ID is not the link ../reports/ID/figures"
[ -s root/plots/observational/forest_pain_early.png ] || fail "default layout: plots/ID/*.png unreadable"
grep -o '](figures/[^)]*)' root/reports/observational/report.md | sed 's/^](//; s/)$//' |
    while read -r f; do [ -f "root/reports/observational/$f" ] || echo "$f"; done > "$tmp/missing"
[ -s "$tmp/missing" ] && fail "report.md links figures that are not there: $(head -3 "$tmp/missing")"
grep -q '](figures/' root/reports/observational/report.md || fail "report.md links no figure"
grep -q 'plots/observational' "$tmp/err" || fail "default layout: the message does not name plots/ID"
# an earlier evsynth's plots/ID folder becomes the link
rm root/plots/observational && mkdir root/plots/observational &&
    cp ref1/figures/*.png root/plots/observational/
(cd root && "$bin" report ../v1 2>/dev/null) || fail "old plots/ID folder: run failed"
[ -L root/plots/observational ] || fail "old plots/ID folder of figures was not made the link"
# ... unless it holds something else, which is left alone
rm root/plots/observational && mkdir root/plots/observational && echo mine > root/plots/observational/notes.txt
(cd root && "$bin" report ../v1 2>"$tmp/err") || fail "plots/ID with other files: run failed"
[ -f root/plots/observational/notes.txt ] || fail "plots/ID with other files: notes.txt removed"
grep -q 'warning: plots/observational .*notes.txt' "$tmp/err" || fail "plots/ID with other files: no warning ($(cat "$tmp/err"))"

# --- stale figures ---------------------------------------------------------
fresh out
cp ref1/figures/forest_pain_early.png out/figures/forest_gone_all.png
cp ref1/figures/forest_pain_early.svg out/figures/forest_gone_all.svg
"$bin" report --out out v1 2>/dev/null || fail "stale: run failed"
[ "$(manifest out)" = "$old" ] || fail "stale: figures the run did not make are still there"
"$bin" report --no-figures --out out v1 2>/dev/null || fail "stale: --no-figures failed"
[ -e out/figures ] && fail "stale: --no-figures left the old figures"

# --- umask -----------------------------------------------------------------
for mask in 077 022 002; do
    rm -rf "um$mask"
    (umask $mask && "$bin" report --out "um$mask" v1 2>/dev/null) || fail "umask $mask: run failed"
    fmode=$(printf '%o' $((0666 & ~0$mask))) dmode=$(printf '%o' $((0777 & ~0$mask)))
    bad=$(find "um$mask" \( -type f ! -perm "$fmode" \) -o \( -type d ! -perm "$dmode" \) | head -3)
    [ -z "$bad" ] || fail "umask $mask: wrong modes (files $fmode, folders $dmode): $bad $(stat -c '%a %n' $bad)"
done

# --- outputs apart from inputs ---------------------------------------------
cp -r v1 apart
sum_before=$(cd apart && sha256sum review.ini studies.csv outcomes.csv)
for out in apart apart/. "$tmp/apart/" apart/sub "$tmp" .; do
    "$bin" report --no-figures --out "$out" apart 2>"$tmp/err"
    st=$?
    [ $st -eq 2 ] || fail "apart: --out $out: exit $st, expected 2"
    grep -q "the output folder .* \(is the review folder\|contains the review folder\|is inside the review folder\|must end in a name\)" "$tmp/err" ||
        fail "apart: --out $out: message: $(cat "$tmp/err")"
done
[ "$(cd apart && sha256sum review.ini studies.csv outcomes.csv)" = "$sum_before" ] ||
    fail "apart: the review's files changed"
[ -e apart/sub ] && fail "apart: apart/sub was created"
ln -s apart apartlink
"$bin" report --no-figures --out apartlink apart 2>/dev/null
[ $? -eq 2 ] || fail "apart: a link to the review folder as --out was not refused"

# --- folders evsynth did not write -----------------------------------------
fresh out && echo "keep me" > out/notes.txt
"$bin" report --out out v2 2>"$tmp/err"
[ $? -eq 3 ] || fail "foreign: a folder with notes.txt was not refused"
grep -q 'out holds notes.txt, which evsynth did not write' "$tmp/err" || fail "foreign: message: $(cat "$tmp/err")"
[ "$(cat out/notes.txt)" = "keep me" ] || fail "foreign: notes.txt changed"
mkdir -p mine && echo x > mine/data.xlsx
"$bin" report --out mine v1 2>/dev/null
[ $? -eq 3 ] && [ -f mine/data.xlsx ] || fail "foreign: a folder of someone's files was not refused"
fresh out && mkdir out/figures/extra
"$bin" report --out out v2 2>"$tmp/err"
grep -q 'holds figures/extra' "$tmp/err" || fail "foreign: a folder inside figures/ was not refused"
echo text > afile
"$bin" report --out afile v1 2>"$tmp/err"
[ $? -eq 3 ] && grep -q 'afile is a regular file, not a folder' "$tmp/err" || fail "foreign: a file as --out: $(cat "$tmp/err")"
mkfifo afifo
"$bin" report --out afifo v1 2>"$tmp/err"
[ $? -eq 3 ] && grep -q 'afifo is a FIFO' "$tmp/err" && [ -p afifo ] || fail "foreign: a FIFO as --out: $(cat "$tmp/err")"
fresh real && ln -s real viaLink
"$bin" report --out viaLink v2 2>/dev/null || fail "link: run failed"
[ -L viaLink ] && [ "$(manifest real)" = "$new" ] || fail "link: the folder behind the link was not switched, or the link replaced"

# --- the lock --------------------------------------------------------------
fresh out
flock .out.evsynth-lock sleep 4 &
holder=$!
sleep 0.5
"$bin" report --out out v2 2>"$tmp/err"
st=$?
[ $st -eq 3 ] || fail "lock: a second run exited $st, expected 3"
grep -q 'another evsynth report is writing to out' "$tmp/err" || fail "lock: message: $(cat "$tmp/err")"
[ "$(manifest out)" = "$old" ] || fail "lock: the refused run changed the folder"
wait $holder
"$bin" report --out out v2 2>/dev/null || fail "lock: run after the holder ended failed"
[ -z "$(leftovers . out)" ] || fail "lock: left $(leftovers . out)"
# two runs started together: one of them may be refused, never both written mixed
fresh out
"$bin" report --out out v2 2>"$tmp/e1" & p1=$!
"$bin" report --out out v2 2>"$tmp/e2" & p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
[ "$(manifest out)" = "$new" ] || fail "lock: two runs together left a folder that is not the new report"
for s in $s1 $s2; do [ "$s" -eq 0 ] || [ "$s" -eq 3 ] || fail "lock: a concurrent run exited $s"; done

# --- what a killed run left ------------------------------------------------
fresh out
mkdir -p .out.evsynth-new-99999-0/figures && echo half > .out.evsynth-new-99999-0/report.md
echo half > out/report.md.tmp-Ab12Cd
mkdir .out.evsynth-old && echo older > .out.evsynth-old/report.md
"$bin" report --out out v2 2>/dev/null || fail "leftovers: run failed"
[ "$(manifest out)" = "$new" ] || fail "leftovers: the folder is not the new report"
[ -z "$(leftovers . out)" ] || fail "leftovers: still there: $(leftovers . out)"
# the fallback's journal with no folder: the old version is put back first
rm -rf out && cp -a ref1 .out.evsynth-old
"$bin" report --out out v2 2>/dev/null || fail "journal: run failed"
[ "$(manifest out)" = "$new" ] && [ -z "$(leftovers . out)" ] || fail "journal: not recovered"

# --- a nearly full disk ------------------------------------------------------
# full_disk_runs DIR: in DIR (a small file system holding the v1 report in
# DIR/out), fill all but FREE kilobytes and run on v2; check the outcome.
cat > "$tmp/full_disk.sh" <<'EOF'
#!/usr/bin/env bash
# full_disk.sh BIN TMP: in a private mount namespace, a 4 MB tmpfs
set -u
bin=$1 tmp=$2
. "$(dirname "$0")/common_copy.sh"
mnt=$tmp/mnt
mkdir -p "$mnt"
mount -t tmpfs -o size=4m tmpfs "$mnt" || { echo "no tmpfs"; exit 77; }
cd "$mnt" || exit 2
for free in 0 8 24 64 128 256 512 1024 1600; do
    rm -rf out filler .out.evsynth-* && cp -a "$tmp/ref1" out
    avail=$(df -k --output=avail . | tail -1)
    if [ "$avail" -gt "$free" ]; then
        head -c $(( (avail - free) * 1024 )) /dev/zero > filler 2>/dev/null
    fi
    "$bin" report --out out "$tmp/v2" > /dev/null 2> "$tmp/err"
    st=$?
    m=$(manifest out)
    if [ $st -eq 0 ]; then
        [ "$m" = "$(cat "$tmp/new.manifest")" ] || echo "FAIL: $free KB free: exit 0 but not the complete new report"
        echo "ok: $free KB free: written (exit 0)"
    else
        [ "$m" = "$(cat "$tmp/old.manifest")" ] || echo "FAIL: $free KB free: exit $st and not the old report"
        grep -q 'is the disk full\|No space left on device' "$tmp/err" ||
            echo "FAIL: $free KB free: exit $st without saying the disk is full: $(cat "$tmp/err")"
        [ $st -eq 3 ] || echo "FAIL: $free KB free: exit $st, expected 3"
        echo "ok: $free KB free: refused (exit $st), old report intact: $(head -c 160 "$tmp/err")"
    fi
    rm -f filler
    # what a failed run left, the next run cleans up (now with room)
    "$bin" report --out out "$tmp/v2" > /dev/null 2>&1 || echo "FAIL: $free KB free: the run after it failed"
    [ -z "$(leftovers . out)" ] || echo "FAIL: $free KB free: left $(leftovers . out)"
done
EOF
chmod +x "$tmp/full_disk.sh"
{ declare -f manifest leftovers; } > "$tmp/common_copy.sh"
echo "$old" > "$tmp/old.manifest"
echo "$new" > "$tmp/new.manifest"
if [ "$(id -u)" -eq 0 ]; then ns=(unshare -m --propagation private); else ns=(unshare -rm --propagation private); fi
if "${ns[@]}" true 2>/dev/null; then
    "${ns[@]}" "$tmp/full_disk.sh" "$bin" "$tmp" > "$tmp/full.out" 2>&1
    st=$?
    if [ $st -eq 77 ]; then
        echo "note: no tmpfs in a mount namespace here; the full disk is tested by RLIMIT_FSIZE only"
    else
        cat "$tmp/full.out"
        n=$(grep -c '^FAIL' "$tmp/full.out")
        [ "$n" -eq 0 ] || fail "full disk: $n failures"
        grep -q 'refused' "$tmp/full.out" || fail "full disk: no run was short of space"
        grep -q 'written' "$tmp/full.out" || fail "full disk: no run had room"
    fi
else
    echo "note: no mount namespace (neither root nor user namespaces); the full disk is tested by RLIMIT_FSIZE only"
fi

# A file-size limit (ulimit -f, in KB): gnuplot's PNGs, then our own files,
# no longer fit.  SIGXFSZ is ignored, as a full disk gives no signal, so
# writes fail with EFBIG and gnuplot writes truncated files and exits 0.
for kb in 4 16 40 80 200 400; do
    fresh out
    (ulimit -f $kb; trap '' XFSZ; exec "$bin" report --out out v2) >/dev/null 2>"$tmp/err"
    st=$?
    m=$(manifest out)
    if [ $st -eq 0 ]; then
        [ "$m" = "$new" ] || fail "ulimit -f $kb: exit 0 but not the complete new report"
        echo "ok: ulimit -f $kb: written"
    else
        [ "$m" = "$old" ] || fail "ulimit -f $kb: exit $st and not the old report"
        [ $st -eq 3 ] || fail "ulimit -f $kb: exit $st, expected 3 ($(cat "$tmp/err"))"
        echo "ok: ulimit -f $kb: refused (exit $st), old report intact: $(head -c 160 "$tmp/err")"
    fi
    "$bin" report --out out v2 2>/dev/null || fail "ulimit -f $kb: the run after it failed"
    [ -z "$(leftovers . out)" ] || fail "ulimit -f $kb: left $(leftovers . out)"
done

# --- gnuplot dies with evsynth -----------------------------------------------
# A gnuplot that says it started, then waits 30 s before drawing.
real_gnuplot=$(command -v gnuplot)
mkdir -p slowbin
cat > slowbin/gnuplot <<EOF
#!/bin/sh
echo \$\$ > "$tmp/gnuplot.pid"
exec "$real_gnuplot" -e 'pause 30' "\$@"
EOF
chmod +x slowbin/gnuplot
fresh out
rm -f gnuplot.pid
PATH="$tmp/slowbin:$PATH" "$bin" report --out out v2 2>/dev/null &
run=$!
for _ in $(seq 100); do [ -s gnuplot.pid ] && break; sleep 0.1; done
gp=$(cat gnuplot.pid 2>/dev/null)
if [ -z "$gp" ]; then
    fail "gnuplot: the slow gnuplot did not start"
else
    kill -KILL $run
    wait $run 2>/dev/null
    for _ in $(seq 50); do kill -0 "$gp" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$gp" 2>/dev/null; then
        fail "gnuplot: still running after evsynth was killed"
        kill -KILL "$gp"
    fi
    [ "$(manifest out)" = "$old" ] || fail "gnuplot: the folder changed"
    "$bin" report --out out v2 2>/dev/null && [ -z "$(leftovers . out)" ] ||
        fail "gnuplot: the next run did not clean up: $(leftovers . out)"
fi

# --- kills at random moments -------------------------------------------------
# The delays are drawn (seed 15) over the length of a clean run, measured
# here, so that they fall before, during and after the switch.
start=$(date +%s%N)
fresh out && "$bin" report --out out v2 2>/dev/null
ns_run=$(( $(date +%s%N) - start ))
RANDOM=15
n_old=0 n_new=0
for i in $(seq 40); do
    fresh out
    delay_us=$(( (RANDOM * 32768 + RANDOM) % (ns_run / 1000 * 12 / 10 + 1) ))
    "$bin" report --out out v2 >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%06d' $((delay_us / 1000000)) $((delay_us % 1000000)))"
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    m=$(manifest out)
    if [ "$m" = "$old" ]; then n_old=$((n_old + 1))
    elif [ "$m" = "$new" ]; then n_new=$((n_new + 1))
    else fail "kill $i after ${delay_us} us: the folder is neither the old nor the new report"; fi
    # the next run cleans up and writes the new report
    "$bin" report --out out v2 2>/dev/null || fail "kill $i: the next run failed"
    [ "$(manifest out)" = "$new" ] && [ -z "$(leftovers . out)" ] ||
        fail "kill $i: the next run did not clean up: $(leftovers . out)"
done
echo "kills: 40 at random moments over $((ns_run / 1000000)) ms: $n_old left the old report, $n_new the new one"
[ $n_old -gt 0 ] || echo "note: no kill came before the switch"

[ $fails -eq 0 ] && echo "outdir tests: all passed"
exit $((fails > 0))
