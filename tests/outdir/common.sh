# common.sh -- helpers of the output-folder tests (sourced).
#
# A report folder is compared as a whole by its manifest: every path under
# it (folders too) with the SHA-256 of each file, sorted.  "The folder is
# the complete old report or the complete new one" means: its manifest is
# one of two manifests taken from clean runs.

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# manifest DIR: the type and path of every entry that is not a file, then
# the SHA-256 and path of every file; "absent" when DIR does not exist.
manifest() {
    if [ ! -e "$1" ]; then
        echo absent
        return
    fi
    (cd "$1" && find . -mindepth 1 ! -type f -printf '%y %p\n' | LC_ALL=C sort &&
        find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

# leftovers PARENT NAME: what a run may leave beside PARENT/NAME (staging
# folders, the fallback's journal, the lock); empty when clean.
leftovers() {
    (cd "$1" && ls -A | grep -F ".$2.evsynth-" || true)
}

# The small observational review and a second version of it (a study
# added), whose reports differ in every file.
make_reviews() {
    local fixtures=$1 dest=$2
    cp -r "$fixtures/observational" "$dest/v1"
    cp -r "$fixtures/observational" "$dest/v2"
    echo "eps2022,Epsilon 2022,,,Epsilon E,2022,Epsilon E. A fictional series. 2022,retrospective_series,osteoporotic,unspecified,unspecified,none,25,primary,,yes,,,,,," >> "$dest/v2/studies.csv"
    printf '%s\n' "eps2022,pain,baseline,before,VAS 0-10,patients,,25,7.9,1.3,,,,,,,,,,,primary,,," \
        "eps2022,pain,3,3 weeks,VAS 0-10,patients,,25,3.1,1.9,,,,,,,,,,,primary,,," >> "$dest/v2/outcomes.csv"
}
