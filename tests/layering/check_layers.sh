#!/usr/bin/env bash
# check_layers.sh SRC_ROOT -- the dependency rule of the layers, on the sources.
#
#   cli -> report, io, review, stats;  report -> review, stats;
#   io -> review, stats;  review -> stats;  stats (include/evsynth) -> nothing
#
# Every quoted include names its layer ("evsynth/fit.h", "review/grade.h",
# "io/table.h", "report/doc.h", "cli/options.h"), except a header private to
# a layer, which is included by bare name and must sit beside the file that
# includes it.  Prints each include that breaks the rule as FILE:LINE and
# exits 1 if there is any.  CMake enforces the same rule at compile time
# (src/CMakeLists.txt); this test also catches a layer that could see a
# header by accident, and names the line.
set -u
root=${1:?usage: check_layers.sh SRC_ROOT}
cd "$root" || exit 2

allowed() { # layer -> the layers it may include
    case $1 in
    stats) echo "evsynth" ;;
    review) echo "evsynth review" ;;
    io) echo "evsynth review io" ;;
    report) echo "evsynth review report" ;;
    cli) echo "evsynth review io report cli" ;;
    esac
}

bad=0 checked=0
for dir in include/evsynth src/stats src/review src/io src/report src/cli; do
    case $dir in include/evsynth) layer=stats ;; *) layer=${dir#src/} ;; esac
    ok=" $(allowed "$layer") "
    for f in "$dir"/*.[ch]; do
        [ -e "$f" ] || continue
        while IFS=: read -r line inc; do
            checked=$((checked + 1))
            case $inc in
            */*)
                target=${inc%%/*}
                if [[ $ok != *" $target "* ]]; then
                    echo "$f:$line: \"$inc\": layer $layer may not include $target (allowed:$ok)"
                    bad=1
                fi ;;
            version.h | git_version.h) [ "$layer" = cli ] || { echo "$f:$line: \"$inc\" is the CLI's"; bad=1; } ;;
            *)
                if [ ! -e "$dir/$inc" ]; then
                    echo "$f:$line: \"$inc\": a bare include must be a header beside it; name its layer"
                    bad=1
                fi ;;
            esac
        done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
                 sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/')
    done
done
[ "$checked" -gt 100 ] || { echo "only $checked includes found under $root: wrong folder?"; exit 2; }
[ $bad -eq 0 ] && echo "layering: $checked includes follow the dependency rule"
exit $bad
