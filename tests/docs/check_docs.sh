#!/usr/bin/env bash
# check_docs.sh EVSYNTH EVSYNTH_DOCS MANPAGE SOURCE -- ctest docs_agree.
#
# --help, the man page and the README must not disagree.  The first two are
# written from the same option tables (src/cli/man_page.c); this checks the
# artefacts themselves and the README, which is written by hand:
#  1. the README's synopsis (the block under "## Command line") is
#     `evsynth_docs synopsis`, line for line;
#  2. every option of every command is named in the README, and every
#     --option in its "Command line" section is one of them (or one of the
#     few cmake and benchmark options listed below);
#  3. every option line of every command's --help is in the man page as
#     man renders it, and each command has its section there;
#  4. (issue 15.21) the README's build-by-hand command gets a test
#     configuration after scripts/setup: another folder than setup's, or
#     the tests turned back on.
set -uo pipefail
evsynth=$1 docs=$2 man_page=$3 src=$4
readme=$src/README.md
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# 1. synopsis
want=$("$docs" synopsis) || fail "evsynth_docs synopsis failed"
got=$(awk '/^## Command line/ {f = 1; next} f && /^```/ {n++; next} f && n == 1 {print} n == 2 {exit}' "$readme")
if [ "$got" != "$want" ]; then
    fail "README synopsis differs from the commands' usage lines:"
    diff <(echo "$want") <(echo "$got") | sed 's/^/    /'
fi

# 2. options
options=$("$docs" options | awk '{print $2}' | sort -u)
named=$(grep -oE -- '--[a-z][a-z0-9-]*' "$readme" | sort -u)
for o in $(comm -23 <(echo "$options") <(echo "$named")); do
    fail "option $o is not in the README"
done
not_evsynth="--build --target --quick --prefix"
section=$(awk '/^## Command line/ {f = 1; next} /^## / {f = 0} f' "$readme" |
          grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
for o in $section; do
    grep -qx -- "$o" <<<"$options" || [[ " $not_evsynth " == *" $o "* ]] ||
        fail "the README's Command line section names $o, which no command has"
done

# 3. --help against the man page as man renders it
if command -v man >/dev/null; then
    rendered=$(MANWIDTH=200 man -l "$man_page" 2>/dev/null | sed 's/‐//g; s/[[:space:]]\+/ /g')
    for cmd in $("$docs" options | awk '{print $1}' | uniq); do
        grep -q "evsynth $cmd" <<<"$rendered" || fail "man page: no section for $cmd"
        while IFS= read -r line; do
            # an option line of --help: "  -x, --name VALUE  help" or "      --name ..."
            opt=$(sed -nE 's/^  (-[a-zA-Z], |    )(--[a-z][a-z0-9-]*( [^ ]+)?).*/\2/p' <<<"$line")
            [ -n "$opt" ] || continue
            grep -qF -- "$opt" <<<"$rendered" || fail "man page lacks '$opt' of evsynth $cmd --help"
        done < <("$evsynth" "$cmd" --help)
    done
else
    fail "man is not installed (scripts/install-deps --test installs man-db)"
fi

# 4. build by hand after scripts/setup
setup_dir=$(grep -oE 'cmake -S \. -B [^ ]+' "$src/scripts/setup" | head -1 | awk '{print $NF}')
by_hand=$(awk '/^To build by hand/ {f = 1} f && /^cmake / {print; exit}' "$readme")
hand_dir=$(grep -oE -- '-B [^ ]+' <<<"$by_hand" | head -1 | awk '{print $2}')
[ -n "$by_hand" ] || fail "no build-by-hand command in the README"
if [ "$hand_dir" = "$setup_dir" ] && ! grep -q -- '-DEVS_BUILD_TESTS=ON' <<<"$by_hand"; then
    fail "the README builds by hand in $hand_dir, where scripts/setup leaves the tests off"
fi
grep -q -- '-DEVS_BUILD_TESTS=OFF' "$src/scripts/setup" && ! grep -q 'EVS_BUILD_TESTS' "$readme" &&
    fail "scripts/setup turns the tests off and the README does not say so"

[ $fails = 0 ] && echo "README, --help and the man page agree"
[ $fails = 0 ]
