/*
 * test_review.c -- reading and checking review folders, and the datasets
 * built from them.
 *
 * Fixtures: tests/fixtures/reviews/small (every dataset rule once),
 * broken (one of every problem the checker reports), no_outcomes (a missing
 * file) and missing_column.  Expected dataset values are derived by hand in
 * the comments; the median/IQR conversions are the R reference values of
 * tests/fixtures/conversions/fivenum.csv rows 1 and 2.
 */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evs_test.h"
#include "io/review_io.h"
#include "review/counting.h"
#include "review/dataset.h"
#include "review/synthesis.h"

typedef struct loaded {
    evs_review *rv;
    evs_evidence *ev;
} loaded;

static void load_ok(const char *name, loaded *l)
{
    evs_problems p;
    evs_problems_init(&p);
    char dir[256];
    snprintf(dir, sizeof dir, "%s", evs_fixture_path(name));
    evs_status st = evs_review_load(dir, &l->rv, &l->ev, &p);
    if (st != EVS_OK) {
        char buf[2048];
        for (size_t i = 0; i < p.n; i++)
            print_error("%s\n", evs_error_format(&p.items[i], buf, sizeof buf));
        fail();
    }
    evs_problems_free(&p);
}

static void unload(loaded *l)
{
    evs_review_free(l->rv);
    evs_evidence_free(l->ev);
}

static const evs_dataset_row *row_of(const evs_dataset *ds, const evs_evidence *ev,
                                     const char *id)
{
    for (size_t i = 0; i < ds->nrows; i++)
        if (strcmp(ev->studies[ds->rows[i].study].id, id) == 0)
            return &ds->rows[i];
    print_error("no row for %s\n", id);
    fail();
    abort(); /* not reached: cmocka's fail() jumps out, but is not declared noreturn */
}

static const char *reason_of(const evs_dataset *ds, const evs_evidence *ev, const char *id)
{
    for (size_t i = 0; i < ds->nexcl; i++)
        if (strcmp(ev->studies[ds->excl[i].study].id, id) == 0)
            return ds->excl[i].reason;
    return NULL;
}

static void test_settings(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/small", &l);
    const evs_review *rv = l.rv;
    assert_string_equal(rv->id, "small");
    assert_string_equal(rv->literature_search, "2026-01-15");
    assert_string_equal(rv->evidence_assembled, "2026-01-20");
    assert_string_equal(rv->search, "A test search of two databases");
    assert_false(rv->regulatory_approved);
    assert_int_equal(rv->noutcomes, 2);
    const evs_outcome_spec *pain = &rv->outcomes[0];
    assert_int_equal(pain->type, EVS_OUTCOME_CHANGE);
    assert_int_equal(pain->measure, EVS_MEASURE_MC);
    assert_int_equal(pain->method, EVS_METHOD_REML); /* metafor's defaults */
    assert_int_equal(pain->test, EVS_TEST_Z);
    assert_int_equal(pain->nwindows, 2);
    assert_int_equal(pain->ncorrelations, 2);
    assert_close(pain->correlations[1], 0.8, 0, 0);
    assert_true(isinf(rv->windows[1].until));
    long w[4];
    assert_int_equal(evs_dataset_windows(rv, 0, w, 4), 3);
    assert_int_equal(w[2], EVS_WINDOW_UNSTATED);
    assert_int_equal(evs_dataset_windows(rv, 1, w, 4), 1);
    assert_int_equal(w[0], EVS_WINDOW_ALL);
    unload(&l);
}

static void test_change_dataset(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/small", &l);
    evs_error err;
    evs_error_clear(&err);
    evs_dataset *ds = evs_dataset_build(l.rv, l.ev, 0, 0, NAN, &err);
    assert_non_null(ds);
    assert_int_equal(ds->nrows, 4);

    /* a: baseline 8 (1); of 1 and 4 weeks, the latest in the window (4 weeks): 3 (1.5). */
    const evs_dataset_row *a = row_of(ds, l.ev, "a");
    assert_close(a->m1, 8, 0, 0);
    assert_close(a->m2, 3, 0, 0);
    assert_close(a->sd2, 1.5, 0, 0);
    assert_close(a->weeks, 4, 0, 0);
    assert_close(a->r, 0.5, 0, 0);
    assert_int_equal(a->conv, EVS_CONV_R_IMPUTED);

    /* b: medians and IQRs, n = 27 (fivenum.csv rows 1 and 2). */
    const evs_dataset_row *b = row_of(ds, l.ev, "b");
    assert_close(b->m1, 9, 1e-15, 0);
    assert_close(b->sd1, 1.5653701510778537, 1e-13, 0);
    assert_close(b->m2, 2.9285555555555556, 1e-14, 0);
    assert_close(b->sd2, 4.5395734381257755, 1e-13, 0);
    assert_int_equal(b->conv, EVS_CONV_MEDIAN | EVS_CONV_R_IMPUTED);

    /* c reports for the whole study and for its arms: the treated arm is
     * used, the control arm and the whole study are left out. */
    const evs_dataset_row *c1 = row_of(ds, l.ev, "c1");
    assert_close(c1->m1 - c1->m2, 5, 1e-15, 0);
    assert_string_equal(reason_of(ds, l.ev, "c2"),
                        "control arm: the comparison, not pooled with the intervention");
    assert_string_equal(reason_of(ds, l.ev, "c"),
                        "reported separately for its arms, which are used instead");
    assert_string_equal(reason_of(ds, l.ev, "d"), "study not included (overlap with a)");

    /* e: a mean change of -7 from 8.2 gives 1.2 after; both SDs are the
     * pooled SDs of a, b and c1 (n 20, 27, 15):
     *   before: sqrt((19*1^2 + 26*1.5653701510778537^2 + 14*1.2^2) / 59)
     *   after:  sqrt((19*1.5^2 + 26*4.5395734381257755^2 + 14*1.1^2) / 59) */
    const evs_dataset_row *e = row_of(ds, l.ev, "e");
    double s1 = 1.5653701510778537, s2 = 4.5395734381257755;
    assert_close(e->m2, 1.2, 1e-14, 0);
    assert_close(e->sd1, sqrt((19 * 1.0 + 26 * s1 * s1 + 14 * 1.44) / 59), 1e-13, 0);
    assert_close(e->sd2, sqrt((19 * 2.25 + 26 * s2 * s2 + 14 * 1.21) / 59), 1e-13, 0);
    assert_int_equal(e->conv,
                     EVS_CONV_FROM_CHANGE | EVS_CONV_SD_IMPUTED | EVS_CONV_R_IMPUTED);

    /* As escalc input: MC columns, labels of the studies. */
    evs_studies *s = evs_dataset_studies(ds, l.rv, l.ev);
    assert_non_null(s);
    assert_int_equal(s->k, 4);
    assert_string_equal(s->label[0], "A 2010");
    assert_close(s->x[EVS_VAR_M2I][0], 3, 0, 0);
    assert_close(s->x[EVS_VAR_RI][3], 0.5, 0, 0);
    assert_null(s->x[EVS_VAR_XI]);
    evs_studies_free(s);
    evs_dataset_free(ds);

    /* Sensitivity: another correlation replaces the assumed one. */
    ds = evs_dataset_build(l.rv, l.ev, 0, 0, 0.2, &err);
    assert_close(row_of(ds, l.ev, "a")->r, 0.2, 0, 0);
    evs_dataset_free(ds);

    /* After 4 weeks only a (12 weeks); time not stated only f. */
    ds = evs_dataset_build(l.rv, l.ev, 0, 1, NAN, &err);
    assert_int_equal(ds->nrows, 1);
    assert_close(row_of(ds, l.ev, "a")->weeks, 12, 0, 0);
    evs_dataset_free(ds);
    ds = evs_dataset_build(l.rv, l.ev, 0, EVS_WINDOW_UNSTATED, NAN, &err);
    assert_int_equal(ds->nrows, 1);
    assert_true(isnan(row_of(ds, l.ev, "f")->weeks));
    evs_dataset_free(ds);
    unload(&l);
}

static void test_proportion_dataset(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/small", &l);
    evs_error err;
    evs_error_clear(&err);
    evs_dataset *ds = evs_dataset_build(l.rv, l.ev, 1, EVS_WINDOW_ALL, NAN, &err);
    assert_int_equal(ds->nrows, 3);
    /* a has a count over patients and one over procedures: patients used. */
    assert_close(row_of(ds, l.ev, "a")->events, 2, 0, 0);
    assert_close(row_of(ds, l.ev, "a")->n, 20, 0, 0);
    assert_close(row_of(ds, l.ev, "b")->events, 0, 0, 0);
    assert_close(row_of(ds, l.ev, "c1")->n, 15, 0, 0);
    assert_string_equal(reason_of(ds, l.ev, "e"), "a percentage without a count");
    assert_string_equal(reason_of(ds, l.ev, "f"), "counted over procedures, not patients");
    evs_studies *s = evs_dataset_studies(ds, l.rv, l.ev);
    assert_close(s->x[EVS_VAR_XI][2], 1, 0, 0);
    assert_null(s->x[EVS_VAR_M1I]);
    evs_studies_free(s);
    evs_dataset_free(ds);
    unload(&l);
}

static void expect_problems(const char *name, evs_status status, const char *const *want,
                            size_t nwant)
{
    evs_problems p;
    evs_problems_init(&p);
    evs_review *rv;
    evs_evidence *ev;
    char dir[256];
    snprintf(dir, sizeof dir, "%s", evs_fixture_path(name));
    assert_int_equal(evs_review_load(dir, &rv, &ev, &p), status);
    assert_null(rv);
    assert_null(ev);
    evs_problems_sort(&p);
    size_t prefix = strlen(dir) + 1; /* compare paths relative to the folder */
    for (size_t i = 0; i < p.n && i < nwant; i++) {
        char buf[2048];
        evs_error_format(&p.items[i], buf, sizeof buf);
        assert_string_equal(buf + prefix, want[i]);
    }
    assert_int_equal(p.n, nwant);
    evs_problems_free(&p);
}

/*
 * evs_problems_sort on a list long enough to matter (3,000 problems in three
 * files, read in the order studies, outcomes, review, with many at the same
 * position): by file, line and column, and problems at the same position in
 * the order they were found (their number is in the message).
 */
static void test_problems_sort(void **state)
{
    (void)state;
    static const char *const files[3] = {"studies.csv", "outcomes.csv", "review.ini"};
    evs_problems p;
    evs_problems_init(&p);
    for (int i = 0; i < 3000; i++)
        evs_problems_add(&p, EVS_EDATA, files[i / 1000], 1 + (i * 7919) % 97, (i % 3) + 1,
                         "%d", i);
    evs_problems_sort(&p);
    assert_int_equal(p.n, 3000);
    for (size_t i = 1; i < p.n; i++) {
        const evs_error *a = &p.items[i - 1], *b = &p.items[i];
        int c = strcmp(a->file, b->file);
        assert_true(c <= 0);
        if (c == 0) {
            assert_true(a->line <= b->line);
            if (a->line == b->line) {
                assert_true(a->column <= b->column);
                if (a->column == b->column)
                    assert_true(atoi(a->message) < atoi(b->message));
            }
        }
    }
    /* outcomes.csv sorts first, and its first problem is the first found at line 1 */
    assert_string_equal(p.items[0].file, "outcomes.csv");
    assert_int_equal(p.items[0].line, 1);
    evs_problems_free(&p);
}

static void test_broken(void **state)
{
    (void)state;
    static const char *const want[] = {
        "outcomes.csv:1:11: unknown column \"colour\"",
        "outcomes.csv:3:5: mean 11 is outside the scale of pain (0 to 10)",
        "outcomes.csv:3:6: sd must be greater than 0 (got 0)",
        "outcomes.csv:4:3: duplicate row: same study, outcome and time as line 3",
        "outcomes.csv:5:10: events (16) are more than n (15)",
        "outcomes.csv:6:3: time \"soon\" is not baseline, unstated or a number of weeks above 0",
        "outcomes.csv:6:5: mean: \"4,5\" is not a number: use '.' as the decimal separator and "
        "no thousands separators",
        "outcomes.csv:7:1: unknown study id \"zz\"",
        "outcomes.csv:8:7: median (7) is below q1 (8)",
        "outcomes.csv:8:9: q3 (6) is below median (7)",
        "outcomes.csv:9:2: no value: give a mean, median, events or percent",
        /* issue 15.20: a unit is a hint; 1 month = 365.25 / 12 / 7 = 4.348 weeks */
        "outcomes.csv:10:3: time \"1 month\" is not baseline, unstated or a number of weeks "
        "above 0; time is in weeks: write 4.35 for 1 month",
        "review.ini:4:21: literature_search: \"2026-13-01\" is not a date (expected YYYY-MM-DD "
        "or YYYY-MM)",
        "review.ini:5:15: review_date: \"2026-02-30\" is not a date (expected YYYY-MM-DD or "
        "YYYY-MM)",
        "review.ini:6:1: unknown setting: [review] colour",
        "review.ini:9:12: approved: expected yes or no, not \"maybe\"",
        "review.ini:16:11: measure: \"PLO\" is not one of: MC, SMCR, SMCC",
        "review.ini:19:8: mcid: \"two\" is not a number: expected a number such as 12, -0.5 or "
        "1.2e-3",
        "review.ini:20:11: windows: no section [window.never]",
        "review.ini:25:9: [window.early]: 'until' must be later than 'after'",
        "review.ini:28:1: unknown section: [extras] x",
        "studies.csv:2:12: publication \"preprint\" is not paper or abstract",
        "studies.csv:4:5: year 20003 is not a year between 1900 and 2100",
        "studies.csv:4:6: design \"cohort\" is not one of: randomised, prospective_comparative, "
        "retrospective_comparative, prospective_single_arm, retrospective_series, case_series, "
        "case_report, systematic_review (or declare [design.cohort] in review.ini)",
        "studies.csv:4:7: population \"elderly\" is not one of: osteoporotic, malignant, mixed "
        "(or declare [population.elderly] in review.ini)",
        "studies.csv:4:8: n must be a whole number greater than 0 (got 0)",
        "studies.csv:4:10: included must be yes or no (got \"maybe\")",
        "studies.csv:4:11: an excluded study needs an exclusion_reason",
        "studies.csv:5:1: duplicate id \"s1\" (also on line 2)",
        "studies.csv:6:3: unknown study id \"nope\"",
        "studies.csv:7:10: a systematic review is a benchmark and is never pooled: set included "
        "to no",
        "studies.csv:8:11: an excluded study needs an exclusion_reason",
    };
    expect_problems("reviews/broken", EVS_EDATA, want, sizeof want / sizeof want[0]);
}

static void test_missing_file(void **state)
{
    (void)state;
    static const char *const want[] = {"outcomes.csv: cannot open: No such file or directory"};
    expect_problems("reviews/no_outcomes", EVS_EIO, want, 1);
}

static void test_missing_column(void **state)
{
    (void)state;
    static const char *const want[] = {"studies.csv:1: missing required column \"design\""};
    expect_problems("reviews/missing_column", EVS_EDATA, want, 1);
}

/*
 * Overlap groups (tests/fixtures/reviews/overlap), worked by hand from the
 * rule in dataset.h: in each analysis one report per group, the best by
 * design, then a stated time, then paper over abstract, then size, then order.
 */
static void test_overlap(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/overlap", &l);
    evs_error err;
    evs_error_clear(&err);

    /* Pain up to 1 month.  g1: randomised r1 over the larger retrospective s1;
     * g2: prospective p1 over retrospective p2; g4: the paper a1 (57) over its
     * larger abstract a2 (63); g7: u1 gives no n, so u2 is the only candidate;
     * g8: e1 is the only report with a follow-up in the window. */
    evs_dataset *ds = evs_dataset_build(l.rv, l.ev, 0, 0, NAN, &err);
    assert_non_null(ds);
    assert_int_equal(ds->nrows, 5);
    static const char *const early[] = {"r1", "p1", "a1", "u2", "e1"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(l.ev->studies[ds->rows[i].study].id, early[i]);
    assert_string_equal(reason_of(ds, l.ev, "s1"),
                        "overlap group g1: r1 is used for this analysis (a better design)");
    assert_string_equal(reason_of(ds, l.ev, "p2"),
                        "overlap group g2: p1 is used for this analysis (a better design)");
    assert_string_equal(reason_of(ds, l.ev, "a2"),
                        "overlap group g4: a1 is used for this analysis (a journal paper, not a "
                        "conference abstract)");
    assert_string_equal(reason_of(ds, l.ev, "u1"), "number of patients not reported");
    evs_dataset_free(ds);

    /* Time not stated: only e2 (g8) has such a follow-up, so it is used there
     * although e1 is used up to 1 month. */
    ds = evs_dataset_build(l.rv, l.ev, 0, EVS_WINDOW_UNSTATED, NAN, &err);
    assert_int_equal(ds->nrows, 1);
    assert_string_equal(l.ev->studies[ds->rows[0].study].id, "e2");
    evs_dataset_free(ds);

    /* Leakage.  g3: t2's time is stated (4 weeks), t1's is not, though t1 is
     * larger; g5: z2 is larger (25 against 10); g6: the prospective q over the
     * arm ma of the retrospective m, whose other arm mb is in no group and
     * stays; g9: y1 and y2 tie on every key, and y1 is listed first; w's two
     * arms are in no group.  Seven rows, six studies (w1 and w2 are one). */
    ds = evs_dataset_build(l.rv, l.ev, 1, EVS_WINDOW_ALL, NAN, &err);
    assert_int_equal(ds->nrows, 7);
    assert_int_equal(evs_count_studies(l.ev, ds, NULL, ds->nrows), 6);
    size_t pick[] = {5, 6}; /* w1 and w2: one study */
    assert_int_equal(evs_count_studies(l.ev, ds, pick, 2), 1);
    static const char *const leak[] = {"t2", "z2", "mb", "q", "y1", "w1", "w2"};
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(l.ev->studies[ds->rows[i].study].id, leak[i]);
    assert_string_equal(reason_of(ds, l.ev, "t1"),
                        "overlap group g3: t2 is used for this analysis (its follow-up time is "
                        "stated)");
    assert_string_equal(reason_of(ds, l.ev, "z1"),
                        "overlap group g5: z2 is used for this analysis (larger: n = 25, not 10)");
    assert_string_equal(reason_of(ds, l.ev, "ma"),
                        "overlap group g6: q is used for this analysis (a better design)");
    assert_string_equal(reason_of(ds, l.ev, "y2"),
                        "overlap group g9: y1 is used for this analysis (listed first in "
                        "studies.csv)");
    evs_dataset_free(ds);

    /* Who contributes.  Reports with a row somewhere: r1 p1 a1 u2 e1 (pain up
     * to 1 month), e2 (time not stated), t2 z2 m (by its arm mb) q y1 w
     * (leakage): 12 of the 19 included whole studies; the other 7 are s1 p2
     * t1 a2 z1 u1 y2, each left out in favour of another report of its group.
     * As cohorts e1 and e2 (g8) are one: 11 studies.  Participants, each
     * cohort at its largest report: 40 + 20 + 57 + 15 + max(22, 18) + 30 + 25
     * + 30 + 8 + 12 + 30 = 289. */
    evs_contributions c;
    assert_int_equal(evs_count_contributions(l.rv, l.ev, &c, &err), EVS_OK);
    assert_int_equal(c.reports, 12);
    assert_int_equal(c.studies, 11);
    assert_close(c.participants, 289, 0, 0);
    assert_int_equal(c.reports_unknown_n, 0);
    assert_int_equal(c.nidle, 7);
    static const char *const idle[] = {"s1", "p2", "t1", "a2", "z1", "u1", "y2"};
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(l.ev->studies[c.idle[i]].id, idle[i]);
    evs_contributions_free(&c);
    unload(&l);
}

/* A review must date its search, or at least the assembly of its evidence. */
static void test_undated(void **state)
{
    (void)state;
    static const char *const want[] = {
        "review.ini:3:1: [review] needs 'literature_search' (the date of the last search) or "
        "'evidence_assembled' (the date the evidence base was assembled)"};
    expect_problems("reviews/undated", EVS_EDATA, want, 1);
}

/* The class id of a study's field. */
static const char *class_id(const loaded *l, evs_vocab_kind k, size_t i)
{
    return i == EVS_NO_CLASS ? "(none)" : evs_review_class(l->rv, k, i)->id;
}

static const evs_study *study(const loaded *l, const char *id)
{
    long i = evs_evidence_find(l->ev, id);
    assert_true(i >= 0);
    return &l->ev->studies[i];
}

/* Declared vocabularies replace the defaults; arms inherit their study's fields. */
static void test_vocabularies(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/vocab", &l);
    const evs_review *rv = l.rv;
    assert_true(rv->vocab[EVS_VOCAB_DESIGN].declared);
    assert_int_equal(rv->vocab[EVS_VOCAB_DESIGN].n, 3);
    size_t cohort = evs_review_find_class(rv, EVS_VOCAB_DESIGN, "cohort");
    assert_int_equal(evs_review_class(rv, EVS_VOCAB_DESIGN, cohort)->role, EVS_DESIGN_COMPARATIVE);
    assert_true(evs_review_class(rv, EVS_VOCAB_DESIGN, cohort)->retrospective);
    /* A default design name is not a name of this review. */
    assert_int_equal(evs_review_find_class(rv, EVS_VOCAB_DESIGN, "randomised"), EVS_NO_CLASS);
    /* Usual care is established unless the review says otherwise; sham never. */
    const evs_class *usual =
        evs_review_class(rv, EVS_VOCAB_COMPARATOR, evs_review_find_class(rv, EVS_VOCAB_COMPARATOR, "usual"));
    const evs_class *sham =
        evs_review_class(rv, EVS_VOCAB_COMPARATOR, evs_review_find_class(rv, EVS_VOCAB_COMPARATOR, "sham"));
    const evs_class *other =
        evs_review_class(rv, EVS_VOCAB_COMPARATOR, evs_review_find_class(rv, EVS_VOCAB_COMPARATOR, "other"));
    assert_true(usual->established);
    assert_false(sham->established);
    assert_int_equal(sham->role, EVS_COMPARATOR_SHAM);
    assert_false(other->in_question);

    /* Arms inherit every empty field; a control arm may name its own comparator. */
    const evs_study *vp = study(&l, "t1_vp"), *sh = study(&l, "t1_sham"), *us = study(&l, "t1_usual");
    assert_string_equal(class_id(&l, EVS_VOCAB_DESIGN, vp->design), "rct");
    assert_string_equal(class_id(&l, EVS_VOCAB_POPULATION, sh->population), "adults");
    assert_string_equal(class_id(&l, EVS_VOCAB_SETTING, vp->setting), "academic");
    assert_string_equal(class_id(&l, EVS_VOCAB_COMPARATOR, sh->comparator), "sham");
    assert_string_equal(class_id(&l, EVS_VOCAB_COMPARATOR, us->comparator), "usual");
    assert_int_equal(vp->year, 2020);
    assert_string_equal(vp->author, "Author T");
    /* A study with an empty comparator has the review's "none" class; no setting. */
    const evs_study *s1 = study(&l, "s1");
    assert_string_equal(class_id(&l, EVS_VOCAB_COMPARATOR, s1->comparator), "none");
    assert_int_equal(s1->setting, EVS_NO_CLASS);

    /* comparators = sham takes the trial's sham arm; = usual its usual-care arm;
     * no filter takes the first control arm of each study. */
    evs_error err;
    evs_error_clear(&err);
    evs_dataset *ds = evs_dataset_build(rv, l.ev, 0, 0, NAN, &err);
    assert_int_equal(ds->nrows, 1);
    assert_string_equal(l.ev->studies[ds->rows[0].control].id, "t1_sham");
    assert_close(ds->rows[0].m1, 3.5, 0, 0);
    evs_dataset_free(ds);
    ds = evs_dataset_build(rv, l.ev, 1, 0, NAN, &err);
    assert_int_equal(ds->nrows, 1);
    assert_string_equal(l.ev->studies[ds->rows[0].control].id, "t1_usual");
    assert_close(ds->rows[0].m1, 5.0, 0, 0);
    evs_dataset_free(ds);

    /* The analysis against any control: the trial against sham (60, adults,
     * sham in the question) and the cohort against another procedure (40,
     * children; neither in the question).  By hand: 60% of the participants
     * against a comparator of the question, 60% in its population, both at or
     * above direct_share 50%: indirectness not serious; the cohort is
     * retrospective but comparative, so no "retrospective series" share. */
    evs_synthesis *syn = evs_synthesize(rv, l.ev, &err);
    assert_non_null(syn);
    const evs_analysis *any = &syn->analyses[2];
    assert_int_equal(any->k, 2);
    assert_close(any->n_by_comparator[EVS_COMPARATOR_SHAM], 60, 0, 0);
    assert_close(any->n_by_comparator[EVS_COMPARATOR_ACTIVE], 40, 0, 0);
    assert_close(any->n_comparator, 60, 0, 0);
    assert_close(any->n_population, 60, 0, 0);
    assert_close(any->n_established, 0, 0, 0);
    assert_close(any->n_randomised, 60, 0, 0);
    assert_close(any->n_retrospective, 0, 0, 0);
    assert_close(any->grade.share_direct, 60, 0, 0);
    assert_close(any->grade.share_population, 60, 0, 0);
    assert_int_equal(any->grade.domain[EVS_GRADE_INDIRECTNESS].levels, 0);
    evs_synthesis_free(syn);
    unload(&l);
}

static void test_vocab_broken(void **state)
{
    (void)state;
    static const char *const want[] = {
        "review.ini:15:8: role: \"quasi\" is not one of: randomised, comparative, uncontrolled, "
        "benchmark",
        "review.ini:19:15: [comparator.sham]: a sham comparator is never an established "
        "alternative; only usual_care and active ones can be",
        "review.ini:35:15: comparators: \"nocebo\" is not a comparator of this review",
        "review.ini:45:15: comparators: only a difference outcome compares arms",
        "studies.csv:3:5: an arm has its study's design (rct): leave it empty",
        "studies.csv:4:6: population \"elderly\" is not one of: adults (or declare "
        "[population.elderly] in review.ini)",
        "studies.csv:4:8: setting \"clinic\" is not one of: trial, usual_practice (or declare "
        "[setting.clinic] in review.ini)",
        "studies.csv:7:7: a control arm needs the comparator it received (sham, usual care...), "
        "here or on its study",
    };
    expect_problems("reviews/vocab_broken", EVS_EDATA, want, sizeof want / sizeof want[0]);
}

/* An SD typed 25 for 2.5 on a 0-10 scale (issue 13): refused before any verdict. */
static void test_typo_sd(void **state)
{
    (void)state;
    static const char *const want[] = {
        "outcomes.csv:10:9: sd 25 is larger than any SD of pain on its 0 to 10 scale can be "
        "(5.0395, half the range for this n): a typo?",
    };
    expect_problems("reviews/typo_sd", EVS_EDATA, want, 1);
}

/* The time, in weeks, of the follow-up the row of study id uses (NaN: not stated). */
static double weeks_of(const evs_dataset *ds, const evs_evidence *ev, const char *id)
{
    return row_of(ds, ev, id)->weeks;
}

/*
 * The like-for-like comparison (tests/fixtures/reviews/compare), worked by
 * hand from the rules of review/compare.h.  The benchmark rows of
 * outcomes.csv, in order: bm pain at 0.286 weeks and at 52 weeks (bm's
 * population covers_all: every study), ba pain of unstated time (population
 * a), bb's mean change of unstated time and bb's leak (population b).
 */
static void test_compare(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/compare", &l);
    evs_error err;
    evs_error_clear(&err);
    evs_synthesis *s = evs_synthesize(l.rv, l.ev, &err);
    assert_non_null(s);
    assert_int_equal(s->ncomparisons, 5);

    /* bm at 0.286 weeks: window early (0 < 0.286 <= 4.35), each study's
     * follow-up nearest 0.286: s1 at 1 week (not 4), s2 at 2, s3 at 0.429
     * (not 4); s4's follow-up has no time, so none in the window; g1: s2 (n
     * 30) over s5 (n 12), both timed journal series.  Every change is 4
     * (8 - 4, 7 - 3, 9 - 5), so the pooled reduction is 4 whatever the
     * weights. */
    const evs_comparison *c = &s->comparisons[0];
    assert_string_equal(l.ev->studies[l.ev->obs[c->obs].study].id, "bm");
    assert_int_equal(c->match.window, 0);
    assert_false(c->match.sel.filter_population);
    assert_false(c->match.change_reported);
    assert_int_equal(c->a.ds->nrows, 3);
    assert_close(weeks_of(c->a.ds, l.ev, "s1"), 1, 0, 0);
    assert_close(weeks_of(c->a.ds, l.ev, "s2"), 2, 0, 0);
    assert_close(weeks_of(c->a.ds, l.ev, "s3"), 0.429, 0, 0);
    assert_string_equal(reason_of(c->a.ds, l.ev, "s5"),
                        "overlap group g1: s2 is used for this analysis (larger: n = 30, not 12)");
    assert_non_null(c->a.meta);
    assert_close(c->a.estimate, 4, 1e-9, 0);
    /* The main early analysis takes the latest: s1 and s3 at 4 weeks. */
    const evs_analysis *early = &s->analyses[0];
    assert_int_equal(early->window, 0);
    assert_close(weeks_of(early->ds, l.ev, "s1"), 4, 0, 0);
    assert_close(weeks_of(early->ds, l.ev, "s3"), 4, 0, 0);

    /* bm at 52 weeks: window late, only s1 (at 52): a single study. */
    c = &s->comparisons[1];
    assert_int_equal(c->match.window, 1);
    assert_int_equal(c->a.ds->nrows, 1);
    assert_null(c->a.meta);
    assert_string_equal(c->a.not_pooled, "a single study: nothing to pool");

    /* ba, unstated: each study's latest follow-up at any time, population a
     * only: s1 at 52 weeks (its latest stated time), s2 at 2; s5 (both) and
     * s3, s4 (b) are left out for their population, before g1's choice. */
    c = &s->comparisons[2];
    assert_string_equal(l.ev->studies[l.ev->obs[c->obs].study].id, "ba");
    assert_int_equal(c->match.window, EVS_WINDOW_ALL);
    assert_true(c->match.sel.filter_population);
    assert_int_equal(c->a.ds->nrows, 2);
    assert_close(weeks_of(c->a.ds, l.ev, "s1"), 52, 0, 0);
    assert_close(weeks_of(c->a.ds, l.ev, "s2"), 2, 0, 0);
    assert_string_equal(reason_of(c->a.ds, l.ev, "s5"), "population both, not the one compared");
    assert_string_equal(reason_of(c->a.ds, l.ev, "s3"), "population b, not the one compared");

    /* bb's mean change (pain_change): population b, any time: s3 at 4 weeks
     * (the latest of 0.429 and 4), s4 at its unstated follow-up (NaN). */
    c = &s->comparisons[3];
    assert_true(c->match.change_reported);
    assert_int_equal(c->match.baseline, -1);
    assert_int_equal(c->a.ds->nrows, 2);
    assert_close(weeks_of(c->a.ds, l.ev, "s3"), 4, 0, 0);
    assert_true(isnan(weeks_of(c->a.ds, l.ev, "s4")));

    /* bb's leak: a rate, population b: s3 1/25 and s4 0/10, not s1 2/20. */
    c = &s->comparisons[4];
    assert_int_equal(c->match.window, EVS_WINDOW_ALL);
    assert_int_equal(c->a.ds->nrows, 2);
    assert_close(row_of(c->a.ds, l.ev, "s3")->events, 1, 0, 0);
    assert_close(row_of(c->a.ds, l.ev, "s4")->events, 0, 0, 0);
    assert_non_null(reason_of(c->a.ds, l.ev, "s1"));

    evs_synthesis_free(s);
    unload(&l);
}

/*
 * Named sensitivity analyses of the compare review.  no_s1 leaves out s1;
 * no_overlap every report of g1 (s2 and s5).  Early window: main rows s1,
 * s2, s3 (latest: changes 5, 4, 7).  Without S1: s2 and s3 (1 row dropped);
 * without the overlap groups: s1 and s3, with s5 not stepping in.  The late
 * window (s1 alone, not pooled) is not rerun; the leak analysis (s1, s3, s4)
 * loses s1 without S1 and nothing without the groups.
 */
static void test_sensitivity(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/compare", &l);
    assert_int_equal(l.rv->nsensitivities, 2);
    assert_string_equal(l.rv->sensitivities[0].label, "Without S1");
    assert_int_equal(l.rv->sensitivities[0].nstudies, 1);
    assert_true(l.rv->sensitivities[1].exclude_overlap);
    evs_error err;
    evs_error_clear(&err);
    evs_synthesis *s = evs_synthesize(l.rv, l.ev, &err);
    assert_non_null(s);
    /* Analyses: pain early, late, unstated; leak. */
    assert_int_equal(s->nanalyses, 4);
    assert_int_equal(s->nsensitivity_runs, 8);
    const evs_sensitivity_run *r = &s->sensitivity_runs[0 * s->nanalyses + 0];
    assert_int_equal(r->dropped, 1);
    assert_int_equal(r->a.ds->nrows, 2);
    assert_string_equal(reason_of(r->a.ds, l.ev, "s1"), "left out: Without S1");
    (void)row_of(r->a.ds, l.ev, "s2");
    (void)row_of(r->a.ds, l.ev, "s3");
    r = &s->sensitivity_runs[1 * s->nanalyses + 0];
    assert_int_equal(r->dropped, 1);
    assert_int_equal(r->a.ds->nrows, 2);
    (void)row_of(r->a.ds, l.ev, "s1");
    (void)row_of(r->a.ds, l.ev, "s3");
    assert_string_equal(reason_of(r->a.ds, l.ev, "s5"), "left out: Without the overlap groups");
    /* Late: s1 alone, not pooled: counted, not rerun. */
    r = &s->sensitivity_runs[0 * s->nanalyses + 1];
    assert_int_equal(r->dropped, 1);
    assert_null(r->a.ds);
    /* Leak without the overlap groups: none of its studies. */
    r = &s->sensitivity_runs[1 * s->nanalyses + 3];
    assert_int_equal(r->dropped, 0);
    assert_null(r->a.ds);
    r = &s->sensitivity_runs[0 * s->nanalyses + 3];
    assert_int_equal(r->dropped, 1);
    assert_int_equal(r->a.ds->nrows, 2);
    evs_synthesis_free(s);
    unload(&l);
}

/* compare_broken: exclude names "nosuch" (line 53, the exclude line), and
 * [sensitivity.no_overlap] (its first value on line 57) leaves nothing out. */
static void test_sensitivity_broken(void **state)
{
    (void)state;
    static const char *const want[] = {
        "review.ini:53:1: [sensitivity.no_s1] exclude: \"nosuch\" is not a study of studies.csv",
        "review.ini:57:1: [sensitivity.no_overlap]: say which studies to leave out (exclude = "
        "ids, or exclude_overlap = yes)",
    };
    expect_problems("reviews/compare_broken", EVS_EDATA, want, 2);
}

/*
 * A selection's studies left out reach between-arm differences too, both
 * the reported MD (a2018) and the arms' means (c2020), with the reason; the
 * reported review otherwise pools a2018, b2019 (reported) and c2020 (arms).
 */
static void test_select_difference(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/reported", &l);
    bool drop[16] = {false};
    assert_true(l.ev->nstudies <= 16);
    drop[evs_evidence_find(l.ev, "a2018")] = true;
    drop[evs_evidence_find(l.ev, "c2020")] = true;
    evs_dataset_select sel;
    evs_dataset_select_init(&sel);
    sel.drop = drop;
    sel.drop_reason = "Without A and C";
    evs_error err;
    evs_error_clear(&err);
    evs_dataset *all = evs_dataset_build(l.rv, l.ev, 0, 0, NAN, &err);
    assert_non_null(all);
    assert_int_equal(all->nrows, 3);
    evs_dataset *ds = evs_dataset_build_sel(l.rv, l.ev, 0, 0, NAN, &sel, &err);
    assert_non_null(ds);
    assert_int_equal(ds->nrows, 1);
    assert_true(row_of(ds, l.ev, "b2019")->conv & EVS_CONV_REPORTED);
    assert_string_equal(reason_of(ds, l.ev, "a2018"), "left out: Without A and C");
    assert_string_equal(reason_of(ds, l.ev, "c2020"), "left out: Without A and C");
    evs_dataset_free(ds);
    evs_dataset_free(all);
    unload(&l);
}

/*
 * zero_events: 0 of 10 and 0 of 12.  The binomial-normal model has no
 * estimate (its maximum-likelihood rate is 0), so the analysis is not
 * pooled and keeps no number: not the inverse-variance fit (with its
 * continuity correction) that was run on the way.
 */
static void test_zero_events(void **state)
{
    (void)state;
    loaded l;
    load_ok("reviews/zero_events", &l);
    evs_error err;
    evs_error_clear(&err);
    evs_synthesis *s = evs_synthesize(l.rv, l.ev, &err);
    assert_non_null(s);
    assert_int_equal(s->nanalyses, 1);
    const evs_analysis *a = &s->analyses[0];
    assert_int_equal(a->k, 2);
    assert_null(a->meta);
    assert_non_null(strstr(a->not_pooled, "no study has an event"));
    assert_true(isnan(a->estimate));
    assert_true(isnan(a->ci_lb));
    assert_true(isnan(a->ci_ub));
    evs_synthesis_free(s);
    unload(&l);
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(evs_date_valid("2024-02-29"));
    assert_false(evs_date_valid("2023-02-29"));
    assert_true(evs_date_valid("2000-02-29"));
    assert_false(evs_date_valid("1900-02-29"));
    assert_true(evs_date_valid("2023-09"));
    assert_false(evs_date_valid("2023-9-01"));
    assert_false(evs_date_valid("2023-00-10"));
    assert_false(evs_date_valid("2023-04-31"));
    assert_false(evs_date_valid("23-04-01"));
    assert_false(evs_date_valid("2023/04/01"));
    assert_false(evs_date_valid(""));
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_settings),        cmocka_unit_test(test_change_dataset),
        cmocka_unit_test(test_proportion_dataset), cmocka_unit_test(test_problems_sort),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_missing_file),    cmocka_unit_test(test_missing_column),
        cmocka_unit_test(test_dates),           cmocka_unit_test(test_undated),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_vocabularies),    cmocka_unit_test(test_vocab_broken),
        cmocka_unit_test(test_typo_sd),
        cmocka_unit_test(test_compare),         cmocka_unit_test(test_sensitivity),
        cmocka_unit_test(test_sensitivity_broken), cmocka_unit_test(test_select_difference),
        cmocka_unit_test(test_zero_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
