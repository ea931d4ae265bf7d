/*
 * test_screening.c -- the screening log: deduplication, the PRISMA 2020
 * counts, and the checks of records.csv and decisions.csv.
 *
 * The logs of the deduplication and PRISMA tests are built here, record by
 * record; the expected counts are worked out by hand in the comments from
 * the PRISMA 2020 flow (Page et al. 2021, Figure 1).  The check fixtures are
 * tests/fixtures/reviews/screening_broken (one row per problem the checker
 * reports, in the row order of the expected list) and screening_unlinked.
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "io/records_io.h"
#include "io/review_io.h"
#include "review/screening.h"

typedef struct spec {
    const char *id, *source, *type, *search, *pmid, *doi, *author, *title;
    int year;
    const char *dup, *ta, *ft, *reason, *study;
} spec;

static evs_screening_log *make_log(const spec *s, size_t n)
{
    evs_screening_log *log = evs_screening_log_alloc();
    assert_non_null(log);
    for (size_t i = 0; i < n; i++) {
        evs_record *r = evs_screening_log_add(log);
        assert_non_null(r);
        assert_true(evs_record_set(&r->id, s[i].id));
        assert_true(evs_record_set(&r->source, s[i].source ? s[i].source : "PubMed"));
        assert_true(evs_source_type_from_name(s[i].type ? s[i].type : "database",
                                              &r->source_type));
        assert_true(evs_record_set(&r->search, s[i].search ? s[i].search : "2026-01-10"));
        assert_true(evs_record_set(&r->pmid, s[i].pmid));
        assert_true(evs_record_set(&r->doi, s[i].doi));
        assert_true(evs_record_set(&r->first_author, s[i].author));
        assert_true(evs_record_set(&r->title, s[i].title ? s[i].title : "A title"));
        r->year = s[i].year;
        assert_true(evs_record_set(&r->duplicate_of, s[i].dup));
        assert_true(evs_ta_from_name(s[i].ta ? s[i].ta : "", &r->ta));
        assert_true(evs_ft_from_name(s[i].ft ? s[i].ft : "", &r->ft));
        assert_true(evs_record_set(&r->ft_reason, s[i].reason));
        assert_true(evs_record_set(&r->study, s[i].study));
    }
    return log;
}

static void add_study(evs_evidence *ev, const char *id, const char *pmid, const char *doi,
                      const char *author, int year, const char *citation, const char *group,
                      long parent)
{
    evs_study *s = evs_evidence_add_study(ev);
    assert_non_null(s);
    s->id = id;
    s->label = id;
    s->pmid = pmid;
    s->doi = doi;
    s->author = author;
    s->year = year;
    s->citation = citation;
    s->overlap_group = group;
    s->exclusion_reason = "";
    s->parent = parent;
    s->included = true;
}

static void test_dedup(void **state)
{
    (void)state;
    static const spec known[] = {
        {.id = "r1", .pmid = "100", .doi = "10.5555/a", .author = "Alpha A",
         .title = "Alpha trial", .year = 2010, .study = "s_alpha"},
        {.id = "r2", .author = "Beta B", .title = "Beta series", .year = 2012,
         .study = "s_delta"},
        {.id = "r3", .pmid = "300", .title = "Removed", .dup = "r1"},
    };
    evs_screening_log *log = make_log(known, 3);
    evs_evidence *ev = evs_evidence_alloc();
    add_study(ev, "s_alpha", "100", "", "Alpha A", 2010, "Alpha A. Alpha trial. J Fict 2010", "",
              -1);
    add_study(ev, "s_gamma", "", "10.5555/G", "Gamma G", 2015,
              "Gamma G et al. The long fictional gamma series of patients. J Fict 2015;1:1-9", "",
              -1);
    add_study(ev, "s_delta", "400", "", "Delta D", 2018, "Delta D. Delta. 2018", "", -1);
    add_study(ev, "s_delta_arm", "300", "", "Delta D", 2018, "", "", 2); /* arms are skipped */

    static const spec fresh[] = {
        /* 0: the PMID of r1 */
        {.id = "n0", .pmid = "100"},
        /* 1: r1's DOI, in capitals and with a resolver */
        {.id = "n1", .doi = "https://doi.org/10.5555/A"},
        /* 2: r2's title in other case and punctuation, same year and author */
        {.id = "n2", .author = "Beta, B.", .title = "BETA series!", .year = 2012},
        /* 3: the same title a year later: a different record */
        {.id = "n3", .author = "Beta B", .title = "Beta series", .year = 2013},
        /* 4: the DOI of s_gamma, which has no record yet: its first record */
        {.id = "n4", .doi = "10.5555/g", .author = "Gamma G", .title = "Gamma", .year = 2015},
        /* 5: the PMID of s_delta, whose record is r2: a duplicate of r2 */
        {.id = "n5", .pmid = "400"},
        /* 6: s_gamma's title within its citation, same year and author: s_gamma's
         * record is now n4, so this one duplicates n4 */
        {.id = "n6", .author = "Gamma, G.", .title = "The long fictional gamma series of patients",
         .year = 2015},
        /* 7: r1's DOI and title, but another PMID: a different report (an erratum) */
        {.id = "n7", .pmid = "999", .doi = "10.5555/a", .author = "Alpha A",
         .title = "Alpha trial", .year = 2010},
        /* 8: n7's PMID: a duplicate within the import */
        {.id = "n8", .pmid = "999"},
        /* 9: the PMID of r3, a duplicate in the log, and of the arm: neither is indexed */
        {.id = "n9", .pmid = "300"},
    };
    evs_screening_log *in = make_log(fresh, sizeof fresh / sizeof fresh[0]);
    evs_dedup *d = evs_dedup_alloc(log, ev);
    assert_non_null(d);
    static const struct {
        evs_match match;
        bool duplicate;
        long log_record, study, new_record;
    } want[] = {
        {EVS_MATCH_PMID, true, 0, -1, -1},   {EVS_MATCH_DOI, true, 0, -1, -1},
        {EVS_MATCH_TITLE, true, 1, -1, -1},  {EVS_MATCH_NONE, false, -1, -1, -1},
        {EVS_MATCH_DOI, false, -1, 1, -1},   {EVS_MATCH_PMID, true, 1, 2, -1},
        {EVS_MATCH_TITLE, true, -1, 1, 4},   {EVS_MATCH_NONE, false, -1, -1, -1},
        {EVS_MATCH_PMID, true, -1, -1, 7},   {EVS_MATCH_NONE, false, -1, -1, -1},
    };
    for (size_t i = 0; i < in->n; i++) {
        evs_dup dup;
        assert_int_equal(evs_dedup_check(d, &in->records[i], i, &dup), EVS_OK);
        if (dup.match != want[i].match || dup.duplicate != want[i].duplicate ||
            dup.log_record != want[i].log_record || dup.study != want[i].study ||
            dup.new_record != want[i].new_record) {
            print_error("record %zu: match %d dup %d log %ld study %ld new %ld\n", i, dup.match,
                        dup.duplicate, dup.log_record, dup.study, dup.new_record);
            fail();
        }
    }
    evs_dedup_free(d);
    evs_screening_log_free(in);
    evs_screening_log_free(log);
    evs_evidence_free(ev);
}

static void test_prisma(void **state)
{
    (void)state;
    static const spec s[] = {
        /* The previous search: study A included from p1. */
        {.id = "p1", .search = "2025-01-10", .ta = "include", .ft = "include", .study = "A"},
        {.id = "p2", .search = "2025-01-10", .ta = "exclude"},
        {.id = "p3", .search = "2025-01-10", .source = "Embase", .dup = "p1"},
        /* This year's search. */
        {.id = "c1", .ta = "include", .ft = "include", .study = "B"},
        {.id = "c2", .ta = "include", .ft = "exclude", .reason = "wrong_population"},
        {.id = "c3", .ta = "include", .ft = "exclude", .reason = "no_data"},
        {.id = "c4", .ta = "include", .ft = "not_retrieved"},
        {.id = "c5", .ta = "exclude"},
        {.id = "c6"},
        {.id = "c7", .source = "Embase", .dup = "c1"},
        {.id = "c8", .source = "Embase", .ta = "include", .ft = "include", .study = "A"},
        {.id = "c9", .source = "ClinicalTrials.gov", .type = "register", .ta = "include"},
        {.id = "c10", .source = "Citation searching", .type = "other", .ft = "include",
         .study = "C"},
        {.id = "c11", .source = "Citation searching", .type = "other", .ft = "exclude",
         .reason = "no_data"},
        {.id = "c12", .source = "Websites", .type = "other", .dup = "c2"},
    };
    evs_screening_log *log = make_log(s, sizeof s / sizeof s[0]);
    evs_evidence *ev = evs_evidence_alloc();
    add_study(ev, "A", "", "", "", 0, "", "", -1);
    add_study(ev, "B", "", "", "", 0, "", "grpBC", -1); /* B and C report one cohort */
    add_study(ev, "C", "", "", "", 0, "", "grpBC", -1);
    static const char *const reasons[] = {"wrong_population", "no_data", "unused"};
    evs_prisma p;
    assert_int_equal(evs_prisma_count(log, ev, "2026-01-10", reasons, 3, &p), EVS_OK);
    assert_true(p.update); /* p1..p3 are of an earlier search */
    assert_string_equal(p.search, "2026-01-10");
    /* Databases and registers: c1..c9. */
    const evs_prisma_column *d = &p.databases;
    assert_int_equal(d->identified, 9);
    assert_int_equal(d->nsources, 3);
    assert_string_equal(d->sources[0].name, "PubMed");
    assert_int_equal(d->sources[0].n, 6); /* c1..c6 */
    assert_string_equal(d->sources[1].name, "Embase");
    assert_int_equal(d->sources[1].n, 2); /* c7, c8 */
    assert_string_equal(d->sources[2].name, "ClinicalTrials.gov");
    assert_int_equal(d->registers, 1);
    assert_int_equal(d->duplicates, 1);      /* c7 */
    assert_int_equal(d->screened, 8);        /* 9 - 1 */
    assert_int_equal(d->screen_excluded, 1); /* c5 */
    assert_int_equal(d->screen_pending, 1);  /* c6 */
    assert_int_equal(d->sought, 6);          /* c1, c2, c3, c4, c8, c9 */
    assert_int_equal(d->not_retrieved, 1);   /* c4 */
    assert_int_equal(d->assessed, 4);        /* c1, c2, c3, c8 */
    assert_int_equal(d->assess_pending, 1);  /* c9 */
    assert_int_equal(d->excluded, 2);
    assert_int_equal(d->nreasons, 3);
    assert_string_equal(d->reasons[0].id, "wrong_population");
    assert_int_equal(d->reasons[0].n, 1);
    assert_int_equal(d->reasons[1].n, 1);
    assert_int_equal(d->reasons[2].n, 0);
    assert_int_equal(d->reports_included, 2); /* c1, c8 */
    /* Other methods: c10..c12, not screened on title and abstract. */
    const evs_prisma_column *o = &p.other;
    assert_int_equal(o->identified, 3);
    assert_int_equal(o->nsources, 2);
    assert_int_equal(o->sources[0].n, 2);
    assert_int_equal(o->duplicates, 1);
    assert_int_equal(o->screened, 0);
    assert_int_equal(o->sought, 2);
    assert_int_equal(o->assessed, 2);
    assert_int_equal(o->excluded, 1);
    assert_int_equal(o->reasons[1].n, 1);
    assert_int_equal(o->reports_included, 1);
    /* Studies: A before; now B and C (one cohort) and a new report of A. */
    assert_int_equal(p.previous_studies, 1);
    assert_int_equal(p.previous_reports, 1);
    assert_int_equal(p.new_reports, 3);  /* c1, c8, c10 */
    assert_int_equal(p.new_studies, 1);  /* grpBC; A was in the previous version */
    assert_int_equal(p.total_studies, 2);
    assert_int_equal(p.total_reports, 4);
    assert_false(p.complete); /* c6 and c9 wait for a decision */

    /* Without a current search given, the latest of the log is the current one. */
    assert_int_equal(evs_prisma_count(log, NULL, NULL, NULL, 0, &p), EVS_OK);
    assert_string_equal(p.search, "2026-01-10");
    assert_int_equal(p.new_studies, 2); /* without studies.csv, B and C are two studies */
    assert_int_equal(p.databases.nreasons, 2); /* in order of appearance */
    assert_string_equal(p.databases.reasons[1].id, "no_data");
    /* A search before any record: nothing new, everything previous. */
    assert_int_equal(evs_prisma_count(log, ev, "2027-01-01", NULL, 0, &p), EVS_OK);
    assert_int_equal(p.databases.identified, 0);
    assert_int_equal(p.previous_studies, 2); /* A, grpBC */
    assert_int_equal(p.total_reports, 4);
    evs_screening_log_free(log);
    evs_evidence_free(ev);
}

static void expect_problems(const char *fixture, const char *const *want, size_t n)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", evs_fixture_path(fixture));
    evs_problems p;
    evs_problems_init(&p);
    evs_review *rv = NULL;
    evs_evidence *ev = NULL;
    assert_int_equal(evs_review_load(dir, &rv, &ev, &p), EVS_OK);
    evs_screening_log *log = NULL;
    assert_int_equal(evs_records_load(dir, rv, ev, &log, &p), EVS_EDATA);
    assert_null(log);
    evs_problems_sort(&p);
    for (size_t i = 0; i < p.n || i < n; i++) {
        char buf[2048] = "(none)";
        if (i < p.n)
            evs_error_format(&p.items[i], buf, sizeof buf);
        const char *got = strstr(buf, fixture);
        got = got ? got + strlen(fixture) + 1 : buf;
        if (i >= n || strcmp(got, want[i]) != 0) {
            print_error("problem %zu:\n  got:  %s\n  want: %s\n", i, got, i < n ? want[i] : "");
            fail();
        }
    }
    evs_problems_free(&p);
    evs_review_free(rv);
    evs_evidence_free(ev);
}

static void test_records_checks(void **state)
{
    (void)state;
    static const char *const want[] = {
        "records.csv:3:1: duplicate id \"r0001\" (also on line 2)",
        "records.csv:4:2: source is empty: name the database, register or other source (e.g. "
        "PubMed)",
        "records.csv:4:3: source_type \"journal\" is not database, register or other",
        "records.csv:5:4: search 2027-01-01 is later than the review's literature_search "
        "(2026-01-15 in review.ini)",
        "records.csv:5:5: date_added \"yesterday\" is not a date (YYYY-MM-DD)",
        "records.csv:6:6: pmid \"PMC123\" is not a PubMed id (digits only)",
        "records.csv:6:7: doi \"abc\" is not a DOI (it starts with \"10.\")",
        "records.csv:6:9: year \"19x9\" is not a year",
        "records.csv:6:10: title is empty: a record needs a title to be screened",
        "records.csv:7:15: a duplicate is removed before screening: leave ta_decision and "
        "ft_decision empty, or clear duplicate_of",
        "records.csv:8:13: duplicate_of \"r9999\" is not a record id",
        "records.csv:9:14: duplicate_match \"maybe\" is not pmid, doi or title",
        "records.csv:10:15: ta_decision \"yes\" is not include or exclude (or empty: not screened "
        "yet)",
        "records.csv:11:15: a record from other methods (source_type other) is not screened on "
        "its title and abstract in PRISMA 2020: leave ta_decision empty and give ft_decision",
        "records.csv:12:16: ft_decision include for a record excluded on title and abstract: "
        "only records included at that stage are sought in full text",
        "records.csv:13:17: an excluded full text needs a reason (ft_reason, one of "
        "[exclusion_reasons] in review.ini)",
        "records.csv:14:17: ft_reason \"bored\" is not one of the reasons the review declares "
        "([exclusion_reasons] in review.ini)",
        "records.csv:15:18: an included full text names its study (study, an id of studies.csv)",
        "records.csv:16:18: study \"nope\" is not an id of studies.csv",
        "records.csv:17:6: r0016 has the same PMID as r0001 (line 2) and is decided "
        "differently: mark one as duplicate_of the other",
        "records.csv:19:17: ft_reason without ft_decision = exclude",
        "records.csv:20:13: duplicate_of r0006, which is itself a duplicate (of r0001): refer "
        "to the record that is kept",
        "records.csv:21:16: included at full text, but study omega2019 is excluded in "
        "studies.csv (no usable data)",
    };
    expect_problems("reviews/screening_broken", want, sizeof want / sizeof want[0]);
    /* Screened to the end, the log must hold a record of every included study. */
    static const char *const unlinked[] = {
        "studies.csv:4:1: study gamma2015 is included, but no record of records.csv is included "
        "for it (ft_decision include, study gamma2015)",
        "studies.csv:5:1: study delta2018 is included, but no record of records.csv is included "
        "for it (ft_decision include, study delta2018)",
    };
    expect_problems("reviews/screening_unlinked", unlinked, 2);
}

static void test_decisions(void **state)
{
    (void)state;
    static const char csv[] =
        "date,body,decision,effective,next_review,results_sha256,note\n"
        "2025-10-17,Committee,Investigational,2026-01-01,2026-10,,\n"
        "2025-13-01,,,soon,,abc,\n";
    char dir[] = "/tmp/evs_decisions_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[600];
    snprintf(path, sizeof path, "%s/decisions.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(csv, f);
    fclose(f);
    evs_problems p;
    evs_problems_init(&p);
    evs_decision_log *log = NULL;
    assert_int_equal(evs_decisions_load(dir, &log, &p), EVS_EDATA);
    static const char *const want[] = {
        "decisions.csv:3:1: date \"2025-13-01\" is not a date (YYYY-MM-DD or YYYY-MM)",
        "decisions.csv:3:2: body is empty: who decided (a committee, a medical director)",
        "decisions.csv:3:3: decision is empty: what was decided",
        "decisions.csv:3:4: effective \"soon\" is not a date",
        "decisions.csv:3:6: results_sha256 \"abc\" is not a SHA-256 (64 lower-case hexadecimal "
        "digits; sha256sum results.json prints it)",
    };
    assert_int_equal(p.n, 5);
    for (size_t i = 0; i < p.n; i++) {
        char buf[2048];
        evs_error_format(&p.items[i], buf, sizeof buf);
        assert_string_equal(strstr(buf, "decisions.csv"), want[i]);
    }
    evs_problems_free(&p);
    /* The good row alone. */
    f = fopen(path, "w");
    fputs("date,body,decision,effective,next_review,results_sha256,note\n"
          "2025-10-17,Committee,Investigational,2026-01-01,2026-10,"
          "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,unanimous\n",
          f);
    fclose(f);
    evs_problems_init(&p);
    assert_int_equal(evs_decisions_load(dir, &log, &p), EVS_OK);
    assert_int_equal(log->n, 1);
    assert_string_equal(log->items[0].body, "Committee");
    assert_string_equal(log->items[0].next_review, "2026-10");
    assert_string_equal(log->items[0].note, "unanimous");
    assert_int_equal(log->items[0].line, 2);
    evs_decision_log_free(log);
    evs_problems_free(&p);
    remove(path);
    /* No file: no log and no problem. */
    evs_problems_init(&p);
    assert_int_equal(evs_decisions_load(dir, &log, &p), EVS_OK);
    assert_null(log);
    assert_int_equal(p.n, 0);
    remove(dir);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dedup),
        cmocka_unit_test(test_prisma),
        cmocka_unit_test(test_records_checks),
        cmocka_unit_test(test_decisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
