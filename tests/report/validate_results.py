#!/usr/bin/env python3
"""validate_results.py EVSYNTH REPO -- results.json against reports/results.schema.json.

The schema (JSON Schema, draft 7) documents every key: every object in it
forbids keys it does not name.  Validated here:

  - the schema itself (a valid draft-7 schema);
  - every shipped report (reports/*/results.json) and the golden files
    (tests/report/golden/*/results.json);
  - fresh reports of the test reviews: a randomised review (between-arm
    differences), the others in tests/fixtures/reviews that load, and the
    observational one with a reviewer's GRADE and criterion overrides (the
    rule_* keys);
  - and that the schema catches what it must: an unknown key, a count written
    as a float ("n": 78.0), a missing schema_version.
"""
import copy
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import jsonschema

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def validate(validator, data, name):
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    for e in errors[:10]:
        fail(f"{name}: {'/'.join(map(str, e.path)) or '(top)'}: {e.message[:300]}")
    return not errors


def main():
    evsynth, repo = sys.argv[1], sys.argv[2]
    schema = json.load(open(os.path.join(repo, "reports", "results.schema.json")))
    jsonschema.Draft7Validator.check_schema(schema)
    # JSON Schema counts 78.0 as an integer; results.json promises integers
    # written as such, so here "integer" is a number without a fraction part
    # in the text (what json.load reads as an int).
    checker = jsonschema.Draft7Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, x: isinstance(x, int) and not isinstance(x, bool))
    Validator = jsonschema.validators.extend(jsonschema.Draft7Validator, type_checker=checker)
    v = Validator(schema)
    files = sorted(glob.glob(os.path.join(repo, "reports", "*", "results.json")) +
                   glob.glob(os.path.join(repo, "tests", "report", "golden", "*", "results.json")))
    if not any("/reports/" in f for f in files):
        fail("no shipped report under reports/")
    checked = 0
    for f in files:
        validate(v, json.load(open(f)), os.path.relpath(f, repo))
        checked += 1

    reviews = os.path.join(repo, "tests", "fixtures", "reviews")
    with tempfile.TemporaryDirectory() as tmp:
        obs = os.path.join(tmp, "overrides")
        shutil.copytree(os.path.join(reviews, "observational"), obs)
        with open(os.path.join(obs, "review.ini"), "a") as ini:
            ini.write("\n[grade.pain]\nrisk_of_bias = 0\nrisk_of_bias_reason = a test reason\n"
                      "\n[criteria]\ncriterion_1 = met\ncriterion_1_reason = a test reason\n")
        runs = [obs] + [d for d in sorted(glob.glob(os.path.join(reviews, "*")))
                        if os.path.isfile(os.path.join(d, "review.ini"))]
        made = 0
        for d in runs:
            out = os.path.join(tmp, "out-" + os.path.basename(d))
            r = subprocess.run([evsynth, "report", "--no-figures", "--out", out, d],
                               capture_output=True, text=True)
            if r.returncode != 0:
                continue  # broken fixtures are refused, and write nothing
            data = json.load(open(os.path.join(out, "results.json")))
            validate(v, data, "report of " + os.path.basename(d))
            checked += 1
            made += 1
            if d == obs:
                dom = data["analyses"][0]["grade"]["domains"]["risk_of_bias"]
                if not dom["overridden"] or "rule_levels" not in dom:
                    fail("the override run has no overridden domain")
                if not data["criteria"][0]["overridden"]:
                    fail("the override run has no overridden criterion")
        if made < 3:
            fail(f"only {made} test reviews gave a report")

        # The schema catches what it must.
        data = json.load(open(files[0]))
        bad = copy.deepcopy(data)
        bad["analyses"][0]["an_undocumented_key"] = 1
        if v.is_valid(bad):
            fail("an undocumented key passes")
        bad = copy.deepcopy(data)
        bad["analyses"][0]["n"] = float(bad["analyses"][0]["n"] or 1)
        if v.is_valid(bad):
            fail("a count written as a float passes")
        bad = copy.deepcopy(data)
        del bad["schema_version"]
        if v.is_valid(bad):
            fail("a file without schema_version passes")
    if failures:
        print(f"results schema: {failures} failures")
        return 1
    print(f"results schema: {checked} results.json files valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
