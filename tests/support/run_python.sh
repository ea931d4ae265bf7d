#!/usr/bin/env bash
# run_python.sh MODULES SCRIPT ARGS... -- run a Python test with an interpreter
# that has MODULES (comma-separated), Debian's /usr/bin/python3 first (where
# python3-selenium and python3-jsonschema install), then python3 on PATH.
# Without one the test is skipped (exit 77), unless EVS_REQUIRE_TEST_DEPS=1
# (scripts/test sets it: there, a missing dependency is a failure).
set -u
modules=$1
shift
imports=$(echo "$modules" | tr ',' '\n' | sed 's/^/import /' | paste -sd';')
for py in /usr/bin/python3 python3; do
    if command -v "$py" > /dev/null && "$py" -c "$imports" 2> /dev/null; then
        exec "$py" "$@"
    fi
done
echo "no python3 with $modules (Debian: python3-${modules//,/ python3-})"
[ "${EVS_REQUIRE_TEST_DEPS:-0}" = 1 ] && exit 1
exit 77
