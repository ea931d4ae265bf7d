#!/usr/bin/env bash
# run_install_test.sh BUILD SOURCE [CFLAG...] -- ctest install_outside.
#
# Installs the build into a scratch prefix (cmake --install --prefix), checks
# what is there, and builds tests/install/outside.c against it the way an
# outside program would, with pkg-config only: once against the shared
# libevsynth and once against the static one.  Each must fit the BCG model
# to metafor's numbers and survive collinear moderators.  Also: each public
# header compiles on its own, libevsynth.so exports exactly the functions
# the headers declare, and `man evsynth` finds the installed man page.
# CFLAGs (the sanitizer flags of an ASan build) are passed to the compiler.
set -euo pipefail
build=$1 src=$2
shift 2
cflags=("$@")
cc=${CC:-cc}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null

pc=$(find "$prefix" -name evsynth.pc)
[ -n "$pc" ] || fail "no evsynth.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir evsynth)
includedir=$(pkg-config --variable=includedir evsynth)
for f in "$prefix/bin/evsynth" "$libdir/libevsynth.a" "$libdir/libevsynth.so" \
         "$includedir/evsynth/meta.h" "$prefix/share/man/man1/evsynth.1"; do
    [ -e "$f" ] || fail "not installed: ${f#"$prefix"/}"
done
for h in "$src"/include/evsynth/*.h; do
    [ -e "$includedir/evsynth/$(basename "$h")" ] || fail "header not installed: $(basename "$h")"
done
echo "installed: bin/evsynth, libevsynth.a, libevsynth.so, $(ls "$includedir/evsynth" | wc -l) headers, evsynth.pc, man1/evsynth.1"

# Each public header on its own, as an outside program includes it.
work=$prefix/work
mkdir "$work"
for h in "$includedir"/evsynth/*.h; do
    printf '#include <evsynth/%s>\n' "$(basename "$h")" >"$work/one.c"
    "$cc" -std=c11 -Wall -Wextra -Werror -pedantic "${cflags[@]}" $(pkg-config --cflags evsynth) \
        -c "$work/one.c" -o "$work/one.o" || fail "$(basename "$h") does not compile on its own"
done
echo "every header compiles on its own"

# Shared: linked with pkg-config's flags and found through the rpath.
"$cc" -std=c11 -Wall -Wextra "${cflags[@]}" -o "$work/outside_shared" "$src/tests/install/outside.c" \
    $(pkg-config --cflags --libs evsynth) -lm -Wl,-rpath,"$libdir"
# grep without -q: under pipefail, a grep that stops at the first match can
# leave ldd writing to a closed pipe, and the SIGPIPE fails the pipeline.
ldd "$work/outside_shared" | grep "libevsynth.so.* => $libdir/" >/dev/null ||
    fail "not linked to the installed libevsynth.so"
echo "== shared: $(ldd "$work/outside_shared" | grep libevsynth)"
"$work/outside_shared" || fail "the outside program (shared) failed"

# Static: pkg-config --static, with the archive in place of -levsynth.
libs=$(pkg-config --static --libs evsynth)
"$cc" -std=c11 -Wall -Wextra "${cflags[@]}" -o "$work/outside_static" "$src/tests/install/outside.c" \
    $(pkg-config --cflags evsynth) ${libs/-levsynth/$libdir/libevsynth.a} -lm
if ldd "$work/outside_static" | grep libevsynth >/dev/null; then fail "the static build loads libevsynth.so"; fi
echo "== static (no libevsynth.so loaded)"
"$work/outside_static" || fail "the outside program (static) failed"

# The shared library exports what the headers declare, and nothing else.
exported=$(nm -D --defined-only "$libdir/libevsynth.so" | awk '$2 == "T" || $2 == "D" || $2 == "R" || $2 == "B" {print $3}' | sort -u)
declared=$(cat "$src"/include/evsynth/*.h | grep -o '\bevs_[a-z0-9_]*(' | tr -d '(' | sort -u)
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
[ -z "$extra" ] || fail "exported but not declared in include/evsynth: $extra"
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
[ -z "$missing" ] || fail "declared in include/evsynth but not in libevsynth.so: $missing"
echo "libevsynth.so exports the $(echo "$exported" | wc -l) functions the headers declare"

# man evsynth, from the installed page.
if command -v man >/dev/null; then
    out=$(MANPATH="$prefix/share/man" MANWIDTH=80 man -P cat evsynth 2>&1) || fail "man evsynth: $out"
    grep -q "evsynth meta" <<<"$out" || fail "man evsynth does not show the meta command"
    echo "man evsynth: $(grep -c . <<<"$out") lines"
else
    fail "man is not installed (scripts/install-deps --test installs man-db)"
fi
echo "ok"
