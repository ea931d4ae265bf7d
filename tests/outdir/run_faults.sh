#!/usr/bin/env bash
# run_faults.sh EVSYNTH EVSYNTH_FAULTS REPO [STRIDE] -- the report's
# all-or-nothing promise under fault injection (issue 15, item 7).
#
# evsynth-faults is evsynth with io/sys.c built with EVS_FAULT_INJECTION:
# every call that changes the disk while a report is written (open, write,
# fsync, close, mkdir, rename, the exchange, unlink, rmdir, symlink) is a
# numbered fault point (io/sys.h).  Starting from a folder holding the
# complete report of one version of a review, a run writing the next
# version is made to fail at each point in turn, in three ways:
#
#   EIO      the call fails with EIO
#   ENOSPC   the call fails with ENOSPC (a full disk)
#   crash    the process SIGKILLs itself instead of making the call
#
# and all of it again on the fallback path of a file system without
# RENAME_EXCHANGE (EVS_FAULT_NO_EXCHANGE=1).  After each run:
#
#   - a run that failed exited 3 and left the complete old report;
#   - a run that succeeded (the fault was in the clean-up after the
#     switch, which is only a warning) left the complete new report;
#   - a crash left the complete old or the complete new report, or, on the
#     fallback path between its two renames only, no folder with the
#     complete old report under .out.evsynth-old;
#   - a clean run afterwards writes the complete new report and leaves no
#     staging folder, journal or lock behind.
#
# STRIDE (default 1: every point in each of the three ways) tests every
# STRIDE-th point of each way only, each way from another offset, for the
# slower sanitizer build: with STRIDE 3 every point fails once, in one way.
# The runs happen on a tmpfs in a private mount namespace when one can be
# made (root, or user namespaces), where fsync costs nothing; the real
# disk's behaviour is run_outdir_tests.sh's.
#
# gnuplot is replaced here by a stand-in that copies the figures gnuplot
# drew in a clean run to where the script asks for them: the points are those of
# evsynth's commit, and the real gnuplot would only make the 1,000 runs
# slow (run_outdir_tests.sh uses the real one).
set -uo pipefail
bin=$(realpath "$1")
faults=$(realpath "$2")
repo=$(realpath "$3")
stride=${4:-1}
here=$(dirname "$(realpath "$0")")
. "$here/common.sh"
if [ -z "${EVS_FAULTS_TMPFS:-}" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    if [ "$(id -u)" -eq 0 ]; then ns=(unshare -m --propagation private); else ns=(unshare -rm --propagation private); fi
    if "${ns[@]}" sh -c "mount -t tmpfs -o size=64m tmpfs '$tmp'" 2>/dev/null; then
        # the same script again, in a namespace whose $tmp is a tmpfs
        EVS_FAULTS_TMPFS=$tmp "${ns[@]}" bash -c \
            'mount -t tmpfs -o size=64m tmpfs "$EVS_FAULTS_TMPFS" && exec bash "$0" "$@"' \
            "$0" "$@"
        exit $?
    fi
    echo "note: no tmpfs in a mount namespace; the runs use the disk"
else
    tmp=$EVS_FAULTS_TMPFS
    echo "runs on a tmpfs in a private mount namespace"
fi
cd "$tmp" || exit 2
make_reviews "$repo/tests/fixtures/reviews" "$tmp"

# The reference run of v2 draws with the real gnuplot through a wrapper
# that keeps a copy of each figure as gnuplot wrote it (raw/), before
# evsynth finishes its SVG (fonts, ids, title: report/figure_svg.h); the
# stand-in hands evsynth these raw figures, which it finishes as in a real run.
gnuplot=$(command -v gnuplot) || { echo "FAIL: no gnuplot"; exit 1; }
mkdir recbin fakebin raw
cat > recbin/gnuplot <<EOF
#!/bin/sh
"$gnuplot" "\$@" || exit \$?
sed -n "s/^set output '\\(.*\\)'\$/\\1/p" "\$1" | while IFS= read -r f; do
    cp "\$f" "$tmp/raw/\$(basename "\$f")" || exit 1
done
EOF
cat > fakebin/gnuplot <<EOF
#!/bin/sh
# stand-in for gnuplot: copy the raw figure named in each 'set output'
sed -n "s/^set output '\\(.*\\)'\$/\\1/p" "\$1" | while IFS= read -r f; do
    cp "$tmp/raw/\$(basename "\$f")" "\$f" || exit 1
done
EOF
chmod +x recbin/gnuplot fakebin/gnuplot
"$bin" report --out ref1 v1 2>/dev/null || fail "reference run of v1"
PATH="$tmp/recbin:$PATH" "$bin" report --out ref2 v2 2>/dev/null || fail "reference run of v2"
old=$(manifest ref1)
new=$(manifest ref2)
export PATH="$tmp/fakebin:$PATH"
"$faults" report --out check v2 2>/dev/null && [ "$(manifest check)" = "$new" ] ||
    fail "the stand-in gnuplot does not give the reference report"

fresh() { rm -rf out .out.evsynth-* && cp -a ref1 out; }

total=0
for path in exchange fallback; do
    env=()
    [ $path = fallback ] && env=(EVS_FAULT_NO_EXCHANGE=1)
    fresh
    env "${env[@]}" EVS_FAULT=count "$faults" report --out out v2 > /dev/null 2> err
    n=$(sed -n 's/^fault points: //p' err)
    [ -n "$n" ] && [ "$n" -gt 20 ] || { fail "$path: cannot count the fault points ($(cat err))"; continue; }
    [ "$(manifest out)" = "$new" ] || fail "$path: the counting run did not write the new report"
    # what the points are, for the log, and which of them clean up
    fresh
    env "${env[@]}" EVS_FAULT_TRACE=1 "$faults" report --out out v2 2>&1 >/dev/null |
        sed -n 's/^fault point \([0-9]*\): \([a-z]*\) \(.*\)/\2 \1: \3/p' > trace.$path
    cut -d' ' -f1 trace.$path | sort | uniq -c | tr '\n' ' ' > kinds
    echo "$path: $n fault points ($(sed 's/  */ /g' kinds))"
    counts=""
    mode_index=0
    for mode in EIO ENOSPC crash; do
        mode_index=$((mode_index + 1))
        n_old=0 n_new=0 n_absent=0
        for i in $(seq "$n"); do
            [ $(( (i - 1 + mode_index) % stride )) -ne 0 ] && continue
            fresh
            # in a subshell, so that the shell's "Killed" goes nowhere
            (env "${env[@]}" EVS_FAULT="$i:$mode" "$faults" report --out out v2 > /dev/null 2> err
                exit $?) 2>/dev/null
            st=$?
            m=$(manifest out)
            what="$path, point $i, $mode"
            if [ $mode = crash ]; then
                if [ "$m" = "$old" ]; then n_old=$((n_old + 1))
                elif [ "$m" = "$new" ]; then n_new=$((n_new + 1))
                elif [ $path = fallback ] && [ "$m" = absent ] &&
                    [ "$(manifest .out.evsynth-old)" = "$old" ]; then n_absent=$((n_absent + 1))
                else fail "$what: the folder is neither report"; fi
            elif [ $st -eq 0 ]; then
                n_new=$((n_new + 1))
                [ "$m" = "$new" ] || fail "$what: exit 0 but not the complete new report"
            else
                n_old=$((n_old + 1))
                [ "$m" = "$old" ] || fail "$what: exit $st and not the complete old report"
                [ $st -eq 3 ] || fail "$what: exit $st, expected 3: $(cat err)"
            fi
            # A failed run removes its staging folder and lock, unless the fault
            # was in that clean-up; a clean run then recovers, writes the new
            # report and leaves nothing behind.
            left=$(leftovers . out)
            if [ $mode != crash ] && [ -n "$left" ] && ! grep -q "^\(unlink\|rmdir\) $i:" trace.$path; then
                fail "$what: left $left"
            fi
            [ $mode != crash ] && [ -z "$left" ] && { total=$((total + 1)); continue; }
            "$faults" report --out out v2 > /dev/null 2> err ||
                fail "$what: the next clean run failed: $(cat err)"
            [ "$(manifest out)" = "$new" ] || fail "$what: the next clean run did not write the new report"
            [ -z "$(leftovers . out)" ] || fail "$what: the next clean run left $(leftovers . out)"
            total=$((total + 1))
        done
        counts="$counts $mode: $n_old old, $n_new new$([ $n_absent -gt 0 ] && echo ", $n_absent between renames");"
    done
    echo "$path:$counts"
done
echo "fault injection: $total faulty runs (stride $stride), each checked, and followed by a clean run where it left anything"
[ $fails -eq 0 ] && echo "fault tests: all passed"
exit $((fails > 0))
