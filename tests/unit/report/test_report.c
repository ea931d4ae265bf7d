/*
 * test_report.c -- the synthesis behind `evsynth report` on the two test
 * reviews (tests/fixtures/reviews/observational and randomised):
 *
 *  - every pooled analysis against metafor (reference.csv, written by
 *    gen_reference.R);
 *  - the criteria and the conclusion: investigational for uncontrolled
 *    series without approval, not investigational for approved randomised
 *    evidence of benefit; and each criterion's rule the other way round;
 *  - hostile study labels: the gnuplot script draws them as text and runs
 *    nothing, HTML shows them escaped, CSV neutralises formulas;
 *  - the re-review diff.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "evs_test.h"
#include "review_fixture.h"
#include "io/gnuplot.h"
#include "io/review_io.h"
#include "report/report.h"
#include "review/synthesis.h"

typedef evs_review_fixture loaded;

static const evs_analysis *find(const evs_synthesis *s, const char *outcome, long window)
{
    for (size_t i = 0; i < s->nanalyses; i++)
        if (strcmp(s->rv->outcomes[s->analyses[i].outcome].id, outcome) == 0 &&
            s->analyses[i].window == window)
            return &s->analyses[i];
    fail_msg("no analysis %s", outcome);
    abort(); /* not reached: cmocka's fail() jumps out, but is not declared noreturn */
}

static const double REL = 1e-6;

/* The report layer's sentence of a synthesis (in a static buffer). */
static void conclusion_text(const evs_synthesis *s, evs_buf *b) { evs_text_conclusion(s, b); }
static void comparative_text(const evs_synthesis *s, evs_buf *b) { evs_text_comparative(s, b); }
static void criterion1_text(const evs_synthesis *s, evs_buf *b) { evs_text_criterion(s, 0, b); }

/* The report of s in Markdown, as evsynth report writes report.md (without figures), in md. */
static void render_markdown(const evs_synthesis *s, evs_buf *md)
{
    evs_report_info info = {.version = "test", .figures = false};
    evs_figure_list figs = {0, NULL};
    json_t *results = evs_report_json(s, &info);
    assert_non_null(results);
    evs_doc d;
    evs_doc_init(&d);
    evs_report_doc(s, &info, &figs, results, &d);
    evs_buf_init(md);
    evs_doc_markdown(&d, "f", md);
    assert_false(md->failed);
    evs_doc_free(&d);
    json_decref(results);
}

static const char *text_of(const evs_synthesis *s, void (*write)(const evs_synthesis *, evs_buf *))
{
    static char out[4096];
    evs_buf b;
    evs_buf_init(&b);
    write(s, &b);
    assert_false(b.failed);
    snprintf(out, sizeof out, "%s", evs_buf_str(&b));
    evs_buf_free(&b);
    return out;
}

/* The analyses of reference.csv named review:...; returns how many were checked. */
static size_t check_reference_rows(const evs_synthesis *s, const char *review)
{
    evs_table *t = evs_fixture_table("reviews/reference.csv");
    assert_non_null(t);
    size_t checked = 0;
    for (size_t row = 0; row < evs_table_nrows(t); row++) {
        const char *id = evs_fixture_str(t, row, "analysis");
        char name[128], outcome[64], window[64], extra[32] = "";
        if (sscanf(id, "%127[^:]:%63[^.].%63[^:]:%31s", name, outcome, window, extra) < 3 ||
            strcmp(name, review) != 0)
            continue;
        long w = strcmp(window, "all") == 0 ? EVS_WINDOW_ALL
                                            : evs_review_find_window(s->rv, window);
        const evs_analysis *a = find(s, outcome, w);
        assert_non_null(a->meta);
        if (strncmp(extra, "cum=", 4) == 0) {
            /* a step of the cumulative meta-analysis of a rate: the first j
             * studies by year, with the binomial-normal model (rma.glmm) */
            size_t j = (size_t)atoi(extra + 4);
            assert_true(a->glmm && a->glmm_cumulative != NULL && j >= 2 && j <= a->meta->k);
            assert_int_equal(j, (size_t)evs_fixture_num(t, row, "k"));
            const evs_rate_step *r = &a->glmm_cumulative[j - 1];
            assert_true(r->estimable && r->converged);
            assert_close_ctx(r->estimate, evs_fixture_num(t, row, "estimate"), 1e-6, 0, id);
            assert_close_ctx(r->ci_lb, evs_fixture_num(t, row, "ci_lb"), 1e-6, 0, id);
            assert_close_ctx(r->ci_ub, evs_fixture_num(t, row, "ci_ub"), 1e-6, 0, id);
            checked++;
            continue;
        }
        assert_int_equal(a->k, (size_t)evs_fixture_num(t, row, "k"));
        if (extra[0] != '\0') { /* r=0.2: the correlation sensitivity run */
            double r = atof(extra + 2);
            size_t j = 0;
            while (j < a->diag->nr && fabs(a->diag->r_values[j] - r) > 1e-12)
                j++;
            assert_true(j < a->diag->nr);
            const evs_fit *f = &a->diag->r_fits[j];
            assert_close_ctx(f->estimate, evs_fixture_num(t, row, "estimate"), REL, 0, id);
            assert_close_ctx(f->ci_lb, evs_fixture_num(t, row, "ci_lb"), REL, 0, id);
            assert_close_ctx(f->tau2, evs_fixture_num(t, row, "tau2"), REL, 1e-10, id);
            checked++;
            continue;
        }
        /* Rates: the binomial-normal model against rma.glmm, which lme4's
         * optimiser and PIRLS tolerance hold to about 1e-7, and its Wald QE
         * from glm() at its default epsilon of 1e-8, to about 4e-6
         * (gen_glmm.R, gen_reference.R). */
        double rel = a->glmm ? 1e-6 : REL;
        assert_close_ctx(a->estimate, evs_fixture_num(t, row, "estimate"), rel, 0, id);
        assert_close_ctx(a->ci_lb, evs_fixture_num(t, row, "ci_lb"), rel, 0, id);
        assert_close_ctx(a->ci_ub, evs_fixture_num(t, row, "ci_ub"), rel, 0, id);
        assert_close_ctx(a->pi_lb, evs_fixture_num(t, row, "pi_lb"), rel, 0, id);
        assert_close_ctx(a->pi_ub, evs_fixture_num(t, row, "pi_ub"), rel, 0, id);
        assert_close_ctx(a->tau2, evs_fixture_num(t, row, "tau2"), rel, 1e-10, id);
        assert_close_ctx(a->I2, evs_fixture_num(t, row, "I2"), rel, 1e-8, id);
        assert_close_ctx(a->glmm ? a->glmm_fit.QE_wald : a->meta->fit.QE,
                         evs_fixture_num(t, row, "QE"), a->glmm ? 1e-5 : 1e-9, 0, id);
        checked++;
    }
    evs_table_free(t);
    return checked;
}

/*
 * The Bayesian model of the analyses of fewer than 5 studies (review.ini
 * bayes = auto, the default prior) against the plain-R integration of the
 * posterior (bayes_reference.csv, gen_bayes_reference.R), to 1e-6: the
 * prior's scale (0.5 on the logit scale, else half the unit-information
 * SD), mu's median and credible interval and the predictive interval on the
 * display scale, tau's, and P(mu > MCID).  The frequentist result stays
 * primary.  Returns how many were checked.
 */
static size_t check_bayes_rows(const evs_synthesis *s, const char *review)
{
    evs_table *t = evs_fixture_table("reviews/bayes_reference.csv");
    assert_non_null(t);
    size_t checked = 0;
    for (size_t row = 0; row < evs_table_nrows(t); row++) {
        const char *id = evs_fixture_str(t, row, "analysis");
        char name[128], outcome[64], window[64];
        if (sscanf(id, "%127[^:]:%63[^.].%63s", name, outcome, window) != 3 ||
            strcmp(name, review) != 0)
            continue;
        long w = strcmp(window, "all") == 0 ? EVS_WINDOW_ALL
                                            : evs_review_find_window(s->rv, window);
        const evs_analysis *a = find(s, outcome, w);
        assert_true(a->has_bayes);
        assert_false(a->bayes_primary);
        assert_int_equal(a->k, (size_t)evs_fixture_num(t, row, "k"));
        assert_close_ctx(a->tau_scale, evs_fixture_num(t, row, "tau_scale"), 1e-12, 0, id);
        assert_close_ctx(a->bayes_estimate, evs_fixture_num(t, row, "estimate"), REL, 0, id);
        assert_close_ctx(a->bayes_lb, evs_fixture_num(t, row, "ci_lb"), REL, 0, id);
        assert_close_ctx(a->bayes_ub, evs_fixture_num(t, row, "ci_ub"), REL, 0, id);
        assert_close_ctx(a->bayes_pred_lb, evs_fixture_num(t, row, "pi_lb"), REL, 0, id);
        assert_close_ctx(a->bayes_pred_ub, evs_fixture_num(t, row, "pi_ub"), REL, 0, id);
        assert_close_ctx(a->bayes.tau_median, evs_fixture_num(t, row, "tau_median"), REL, 1e-8,
                         id);
        assert_close_ctx(a->bayes.tau_lb, evs_fixture_num(t, row, "tau_lb"), REL, 1e-8, id);
        assert_close_ctx(a->bayes.tau_ub, evs_fixture_num(t, row, "tau_ub"), REL, 1e-8, id);
        assert_close_ctx(a->bayes_p_exceeds, evs_fixture_num(t, row, "p_exceeds"), REL, 1e-10,
                         id);
        /* the reported result is still the frequentist one */
        assert_true(a->estimate == a->freq_estimate && a->ci_lb == a->freq_ci_lb);
        checked++;
    }
    evs_table_free(t);
    return checked;
}

static void check_reference(const evs_synthesis *s, const char *review)
{
    assert_true(check_reference_rows(s, review) >= 3);
    if (strcmp(review, "observational") == 0 || strcmp(review, "randomised") == 0)
        assert_true(check_bayes_rows(s, review) >= 2);
}

/*
 * The not-estimable rule on the width of an interval (synthesis.h): at
 * least EVS_UNINFORMATIVE_SHARE = 90% of the possible range.  By hand: a
 * rate's range is 0 to 100, so 5% to 95% (90 points) is not estimable and
 * 5% to 94.9% (89.9) is; a 0-10 score's range is 10 points, so a CI 9 points
 * wide is not estimable, 8.99 is.
 */
static void test_not_estimable_width(void **state)
{
    (void)state;
    assert_true(evs_interval_uninformative(5, 95, 100));
    assert_false(evs_interval_uninformative(5, 94.9, 100));
    assert_true(evs_interval_uninformative(0.0, 99.9, 100));
    assert_true(evs_interval_uninformative(-4.5, 4.5, 10));
    assert_false(evs_interval_uninformative(-4.49, 4.5, 10));
    /* no range set (a score without scale_min and scale_max): no rule */
    assert_false(evs_interval_uninformative(-100, 100, NAN));
    assert_false(evs_interval_uninformative(NAN, NAN, 100));
}

/*
 * The not-estimable rule on one study (synthesis.h): when every row of an
 * analysis is an arm or subgroup of one study, its groups are shown, not
 * pooled.  By hand: with Beta 2012, Gamma 2015 and Delta 2018 made arms of
 * Alpha 2010, every row of leakage belongs to Alpha 2010 (a study with arms
 * is pooled by its arms), so it is one study and not estimable; with only
 * Gamma made Alpha's arm, Beta and Delta remain studies of their own, and
 * the rule does not apply.
 */
static void test_not_estimable_one_study(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("observational", &l);
    long alpha = evs_evidence_find(l.ev, "alpha2010");
    static const char *const others[] = {"beta2012", "gamma2015", "delta2018"};
    for (size_t i = 0; i < 3; i++)
        l.ev->studies[evs_evidence_find(l.ev, others[i])].parent = alpha;
    evs_review_fixture_synthesize(&l);
    const evs_analysis *lk = find(l.s, "leakage", EVS_WINDOW_ALL);
    assert_true(lk->meta->k >= 2);
    assert_non_null(strstr(lk->not_estimable, "are arms or subgroups of one study (Alpha 2010)"));
    assert_int_equal(lk->k_studies, 1);
    evs_review_fixture_free(&l);

    evs_review_fixture_load("observational", &l);
    l.ev->studies[evs_evidence_find(l.ev, "gamma2015")].parent =
        evs_evidence_find(l.ev, "alpha2010");
    evs_review_fixture_synthesize(&l);
    lk = find(l.s, "leakage", EVS_WINDOW_ALL);
    assert_string_equal(lk->not_estimable, "");
    evs_review_fixture_free(&l);
}

static void test_observational(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("observational", &l);
    evs_review_fixture_synthesize(&l);
    check_reference(l.s, "observational");
    /* The cumulative rate (GLMM at every step): the first row is Alpha 2010
     * alone, 3 of 20 = 15% exactly, with its Clopper-Pearson interval; the
     * last is the reported rate, the same model on the same counts. */
    const evs_analysis *lk = find(l.s, "leakage", EVS_WINDOW_ALL);
    assert_non_null(lk->glmm_cumulative);
    assert_close(lk->glmm_cumulative[0].estimate, 15.0, 1e-12, 0);
    double e0, lb0, ub0;
    evs_analysis_row_ci(l.s, lk, lk->year_order[0], &e0, &lb0, &ub0);
    assert_close(lk->glmm_cumulative[0].ci_lb, lb0, 1e-12, 0);
    assert_close(lk->glmm_cumulative[0].ci_ub, ub0, 1e-12, 0);
    const evs_rate_step *last = &lk->glmm_cumulative[lk->meta->k - 1];
    assert_close(last->estimate, lk->estimate, 1e-9, 0);
    assert_close(last->ci_lb, lk->ci_lb, 1e-9, 0);
    assert_close(last->ci_ub, lk->ci_ub, 1e-9, 0);
    const evs_criterion *c = l.s->criteria.criterion;
    assert_int_equal(c[0].verdict, EVS_VERDICT_NOT_MET); /* approved = no */
    assert_int_equal(c[1].verdict, EVS_VERDICT_NOT_MET); /* very low certainty */
    for (int i = 2; i < 5; i++)
        assert_int_equal(c[i].verdict, EVS_VERDICT_UNDETERMINED);
    assert_true(l.s->criteria.investigational);
    assert_non_null(strstr(text_of(l.s, conclusion_text), "investigational"));
    /* Uncontrolled series start very low (grade.h). */
    const evs_analysis *pain = find(l.s, "pain", 0);
    assert_int_equal(pain->grade.start, EVS_CERTAINTY_VERY_LOW);
    assert_int_equal(pain->grade.certainty, EVS_CERTAINTY_VERY_LOW);
    assert_non_null(strstr(text_of(l.s, comparative_text), "no randomised trial"));
    evs_review_fixture_free(&l);
}

/* The absolute effects per 1,000 of a comparison of events against
 * absolute.csv (metafor's pooled RR at the control arms' risk). */
static void check_absolute(const evs_synthesis *s, const char *review)
{
    evs_table *t = evs_fixture_table("reviews/absolute.csv");
    assert_non_null(t);
    size_t checked = 0;
    for (size_t row = 0; row < evs_table_nrows(t); row++) {
        const char *id = evs_fixture_str(t, row, "analysis");
        char name[128], outcome[64];
        if (sscanf(id, "%127[^:]:%63[^.]", name, outcome) < 2 || strcmp(name, review) != 0)
            continue;
        const evs_analysis *a = find(s, outcome, EVS_WINDOW_ALL);
        assert_true(a->events_comparison);
        assert_close_ctx(a->control_risk, evs_fixture_num(t, row, "control_risk"), REL, 0, id);
        assert_close_ctx(a->risk, evs_fixture_num(t, row, "risk"), REL, 0, id);
        assert_close_ctx(a->risk_lb, evs_fixture_num(t, row, "risk_lb"), REL, 0, id);
        assert_close_ctx(a->risk_ub, evs_fixture_num(t, row, "risk_ub"), REL, 0, id);
        assert_close_ctx(a->diff, evs_fixture_num(t, row, "diff"), REL, 1e-9, id);
        assert_close_ctx(a->diff_lb, evs_fixture_num(t, row, "diff_lb"), REL, 1e-9, id);
        assert_close_ctx(a->diff_ub, evs_fixture_num(t, row, "diff_ub"), REL, 1e-9, id);
        checked++;
    }
    assert_true(checked >= 1);
    evs_table_free(t);
}

static void statement_of(const evs_synthesis *s, const evs_analysis *a, char *out, size_t cap)
{
    evs_buf b;
    evs_buf_init(&b);
    evs_text_statement(s, a, true, &b);
    assert_false(b.failed);
    snprintf(out, cap, "%s", evs_buf_str(&b));
    evs_buf_free(&b);
}

#define expect_criterion(s, i, v, why)                                                        \
    do {                                                                                      \
        assert_int_equal((s)->criteria.criterion[i].verdict, (v));                            \
        assert_int_equal((s)->criteria.criterion[i].reason, (why));                           \
    } while (0)

/*
 * Four blinded sham-controlled trials with a precise null (issue 13's
 * vertebroplasty example, fictional numbers).  By hand, pain at 1 to 6
 * months, MD 0.44 (-0.06 to 0.94), MCID 1.5 (reference.csv):
 *   start high (randomised 504/504); risk of bias not rated down but not
 *   assessed per study; I2 = 0 and tau2 = 0: inconsistency not serious;
 *   sham is in the question: direct; the CI lies between -1.5 and 1.5,
 *   crossing neither threshold (GRADE 34: not imprecise), and the OIS is
 *   2 x 58 = 116 (pooled SD sqrt(sum (n-1) sd^2 / sum (n-1)) = 2.878; per arm
 *   2 x 7.8489 x 2.878^2 / 1.5^2 = 57.8 -> 58) <= 504; 4 studies, no Egger:
 *   high, "little or no difference".
 * TEC: 1 met; 2 met by the precise null at high certainty; 3 not met: the
 * whole CI is below the MCID; 4 cannot be determined: the only comparison is
 * with sham, never an established alternative; 5 needs 3.  Serious adverse
 * events, RR 1.20 (0.35 to 4.10) at a control risk of 5/252 = 2.0%: 4 more
 * per 1,000 (13 fewer to 62 more); the CI reaches 20 more per 1,000 (the
 * MCID of 2 points: -1) and 504 is far below the OIS of 2 x 10,883 (-2):
 * both together, -3 (GRADE 34): very low, "the evidence is very uncertain";
 * not an important harm.
 */
static void test_sham_null(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("sham_null", &l);
    evs_review_fixture_synthesize(&l);
    check_reference(l.s, "sham_null");
    check_absolute(l.s, "sham_null");
    const evs_analysis *p = find(l.s, "pain_vs_control", evs_review_find_window(l.rv, "mid"));
    assert_int_equal(p->grade.certainty, EVS_CERTAINTY_HIGH);
    assert_int_equal(p->grade.effect, EVS_EFFECT_TRIVIAL);
    assert_int_equal(p->grade.domain[EVS_GRADE_IMPRECISION].levels, 0);
    assert_true(p->grade.domain[EVS_GRADE_RISK_OF_BIAS].why & EVS_GRADE_ROB_NOT_ASSESSED);
    assert_close(p->grade.in.ois.n, 116, 0, 0);
    assert_close(p->grade.in.ois.sd, 2.8778317050482025, 1e-12, 0);
    const evs_analysis *sae = find(l.s, "sae", EVS_WINDOW_ALL);
    assert_int_equal(sae->grade.domain[EVS_GRADE_IMPRECISION].levels, 3);
    assert_int_equal(sae->grade.certainty, EVS_CERTAINTY_VERY_LOW);
    assert_int_equal(sae->grade.effect, EVS_EFFECT_TRIVIAL);
    assert_close(sae->grade.in.ois.n, 21766, 0, 0);
    assert_close(sae->grade.in.events, 11, 0, 0);
    expect_criterion(l.s, 0, EVS_VERDICT_MET, EVS_CRIT_APPROVED);
    expect_criterion(l.s, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    expect_criterion(l.s, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_IMPORTANT_BENEFIT);
    expect_criterion(l.s, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NO_ESTABLISHED);
    expect_criterion(l.s, 4, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NEEDS_BENEFIT);
    assert_true(l.s->criteria.investigational);
    char text[1024];
    statement_of(l.s, p, text, sizeof text);
    assert_string_equal(text, "Fictional augmentation results in little to no difference in pain "
                              "(1 to 6 months) compared with sham procedure");
    statement_of(l.s, sae, text, sizeof text);
    assert_string_equal(text, "The evidence is very uncertain about the effect of fictional "
                              "augmentation on serious adverse events compared with sham "
                              "procedure");
    /* The single-group change, very low, does not decide: the comparison does. */
    const evs_analysis *chg = find(l.s, "pain", evs_review_find_window(l.rv, "mid"));
    assert_int_equal(chg->grade.certainty, EVS_CERTAINTY_VERY_LOW);
    assert_int_equal(l.s->criteria.criterion[1].basis.index, (size_t)(p - l.s->analyses));
    assert_string_equal(text_of(l.s, conclusion_text),
                        "Fictional augmentation is investigational: criterion 3 is not met, and "
                        "4 and 5 cannot be determined with the current evidence.");
    evs_review_fixture_free(&l);
}

static void criterion4_text(const evs_synthesis *s, evs_buf *b) { evs_text_criterion(s, 3, b); }

/*
 * A risk difference's Bayesian sentence is in percentage points, as the
 * summary of findings and the forest plot write it: the established
 * review's responders as RD, rendered; the sentence's estimate and
 * interval carry no % sign and end "percentage points", and so does the
 * prediction.
 */
static void test_bayes_risk_difference_units(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("established", &l);
    size_t k = 0;
    while (strcmp(l.rv->outcomes[k].id, "responder") != 0)
        k++;
    l.rv->outcomes[k].measure = EVS_MEASURE_RD;
    evs_review_fixture_synthesize(&l);
    evs_buf md;
    render_markdown(l.s, &md);
    const char *row = strstr(md.data, "| Responders (pain reduced by at least 30%) |");
    assert_non_null(row);
    const char *bayes = strstr(row, "half the unit-information SD): ");
    assert_non_null(bayes);
    bayes += strlen("half the unit-information SD): ");
    const char *end = strstr(bayes, " percentage points, 95% credible interval; prediction ");
    assert_non_null(end);
    for (const char *c = bayes; c < end; c++)
        assert_true(*c != '%');
    const char *pred = end + strlen(" percentage points, 95% credible interval; prediction ");
    const char *pend = strstr(pred, " percentage points");
    assert_non_null(pend);
    for (const char *c = pred; c < pend; c++)
        assert_true(*c != '%');
    evs_buf_free(&md);
    evs_review_fixture_free(&l);
}

/*
 * A harm that one study reports is given with its numbers in the
 * plain-language summary, not only "not pooled": the shipped sacroplasty
 * review's vascular injury, 2 of 46 (data/sacroplasty/outcomes.csv), is
 * 4.35% with the exact Clopper-Pearson interval 0.531% to 14.84% (R 4.2.2:
 * binom.test(2, 46)$conf.int = 0.005309482849, 0.148386775920), shown to
 * one decimal.
 */
static void test_single_rate_in_summary(void **state)
{
    (void)state;
    evs_review *rv;
    evs_evidence *ev;
    evs_problems p;
    evs_problems_init(&p);
    assert_int_equal(evs_review_load(evs_fixture_path("../../data/sacroplasty"), &rv, &ev, &p),
                     EVS_OK);
    evs_problems_free(&p);
    evs_error err;
    evs_error_clear(&err);
    evs_synthesis *s = evs_synthesize(rv, ev, &err);
    assert_non_null(s);
    const evs_analysis *v = find(s, "vascular_injury", EVS_WINDOW_ALL);
    assert_true(v->single);
    assert_close(v->ci_lb, 0.5309482849, 1e-8, 0);
    assert_close(v->ci_ub, 14.8386775920, 1e-8, 0);
    evs_buf md;
    render_markdown(s, &md);
    assert_non_null(strstr(md.data, "- Vascular injury (arterial injury with haematoma): 2 of 46 "
                                    "patients in the only study that reports it, 4.3% (0.5% to "
                                    "14.8%), exact interval; a single study, not pooled and not "
                                    "rated."));
    assert_null(strstr(md.data, "haematoma): not pooled"));
    evs_buf_free(&md);
    evs_synthesis_free(s);
    evs_review_free(rv);
    evs_evidence_free(ev);
}

/*
 * sham_null with a fifth trial, Epsilon 2020, open, against usual care (an
 * established alternative in review.ini), 45 + 45 participants, alone in
 * its analysis (pain_vs_usual).  One trial is not pooled: its result is its
 * own (synthesis.h, one_trial), escalc's MD with its Wald CI, by hand:
 *   MD = 5.6 - 3.9 = 1.7 (usual care minus augmentation),
 *   SE = sqrt(2.7^2/45 + 2.8^2/45) = sqrt(0.162 + 0.174222) = 0.5798467,
 *   CI 1.7 -/+ 1.959964 x 0.5798467 = 0.5635213 to 2.8364787.
 * GRADE as a single study (grade.h): start high (randomised); risk of bias
 * not assessed per study (no appraisal.csv), 0; inconsistency not
 * assessable with one trial, 0; indirectness 0 (usual care is in the
 * question); imprecision: the CI crosses +1.5 (-1), and 90 participants are
 * below the OIS: pooled SD sqrt((44 x 2.7^2 + 44 x 2.8^2) / 88) = 2.750454,
 * 2 ((1.959964 + 0.841621) x 2.750454 / 1.5)^2 = 52.78, 53 per arm, 106 in
 * all; 90 < 106 but not below 53: -1; the larger counts, -1: moderate.
 * Criterion 4 (criteria.h) rests on the best primary comparison with an
 * established alternative of at least min_studies_conclusions = 2 studies
 * (TEC 2: "the consistency of the results"; one study cannot show it):
 * there is none, only this one trial, so criterion 4 cannot be determined,
 * and the sentence gives the trial's result and why it decides nothing.
 * With min_studies_conclusions = 1 it rests on this one, at moderate (the
 * minimum), with criterion 2 met (on the sham trials) and its CI above
 * -1.5: met, "as beneficial".  Criteria 2 and 3 are sham_null's (the sham
 * comparison, high, 504 participants, is the best analysis) either way.
 */
static void test_single_established(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("sham_usual", &l);
    evs_review_fixture_synthesize(&l);
    const evs_analysis *u = find(l.s, "pain_vs_usual", evs_review_find_window(l.rv, "mid"));
    assert_null(u->meta);
    assert_true(u->one_trial);
    assert_int_equal(u->k, 1);
    assert_close(u->estimate, 1.7, 1e-12, 0);
    assert_close(u->one_vi, 2.7 * 2.7 / 45 + 2.8 * 2.8 / 45, 1e-12, 0);
    assert_close(u->ci_lb, 0.5635213, 0, 5e-7);
    assert_close(u->ci_ub, 2.8364787, 0, 5e-7);
    assert_true(isnan(u->pi_lb) && isnan(u->tau2) && isnan(u->I2));
    assert_false(u->has_bayes);
    assert_false(u->grade.domain[EVS_GRADE_INCONSISTENCY].assessable);
    assert_int_equal(u->grade.domain[EVS_GRADE_INCONSISTENCY].levels, 0);
    assert_int_equal(u->grade.domain[EVS_GRADE_IMPRECISION].levels, 1);
    assert_close(u->grade.in.ois.n, 106, 0, 0);
    assert_int_equal(u->grade.certainty, EVS_CERTAINTY_MODERATE);
    expect_criterion(l.s, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    expect_criterion(l.s, 2, EVS_VERDICT_NOT_MET, EVS_CRIT_NO_IMPORTANT_BENEFIT);
    expect_criterion(l.s, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_ALTERNATIVE_TOO_FEW);
    assert_int_equal(l.s->criteria.criterion[3].basis.index, (size_t)(u - l.s->analyses));
    const char *t = text_of(l.s, criterion4_text);
    assert_non_null(strstr(t, "1 trial (Epsilon 2020, 90 participants), not pooled: 1.70 (95% CI "
                              "0.56 to 2.84) compared with usual care at moderate certainty, but "
                              "one study cannot show that its result is consistent: criteria 2 "
                              "to 4 rest on at least 2 studies"));
    /* A review that lets one study decide (min_studies_conclusions = 1). */
    evs_synthesis_free(l.s);
    l.rv->criteria.min_studies_conclusions = 1;
    evs_review_fixture_synthesize(&l);
    u = find(l.s, "pain_vs_usual", evs_review_find_window(l.rv, "mid"));
    expect_criterion(l.s, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    expect_criterion(l.s, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);
    assert_int_equal(l.s->criteria.criterion[3].basis.index, (size_t)(u - l.s->analyses));
    t = text_of(l.s, criterion4_text);
    assert_non_null(strstr(t, "Pain (0 to 10) at follow-up: usual care minus augmentation (1 to "
                              "6 months): 1 trial (Epsilon 2020, 90 participants), not pooled: "
                              "1.70 (95% CI 0.56 to 2.84)"));
    /* The conclusion says it plainly: 1.7 >= 1.5 is an important benefit
     * (grade.h), at moderate "likely results in" (GRADE 26 wording). */
    evs_buf md;
    render_markdown(l.s, &md);
    assert_non_null(strstr(md.data, "**Against the established alternative:** Fictional "
                                    "augmentation likely results in a reduction in pain (1 to 6 "
                                    "months) compared with usual care (1 trial, Epsilon 2020: "
                                    "1.70 (0.56 to 2.84); moderate certainty; criterion 4 rests "
                                    "on it)."));
    evs_buf_free(&md);
    evs_review_fixture_free(&l);

    /* Without it (sham_null), no comparison with usual care: cannot be determined. */
    evs_review_fixture_load("sham_null", &l);
    evs_review_fixture_synthesize(&l);
    expect_criterion(l.s, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NO_ESTABLISHED);
    assert_null(strstr(text_of(l.s, criterion4_text), "1 trial"));
    evs_review_fixture_free(&l);
}

/*
 * The shipped vertebroplasty review's single trials, each number from its
 * source (data/vertebroplasty/outcomes.csv quotes them), worked by hand:
 *  - Farrokhi 2011 against usual care, up to 6 weeks (J Neurosurg Spine
 *    abstract: "difference -3.1, 95% CI -3.72 to -2.28", 40 + 42 patients,
 *    recorded with the sign turned): 3.1 with the CI as printed, 2.28 to
 *    3.72 (not symmetric about 3.1, so not recomputed); vi = SE^2 with SE =
 *    1.44 / (2 x 1.959964) = 0.367354 (Cochrane Handbook 6.5.2.3).  GRADE
 *    (test_grade's test_one_trial): start high, risk of bias -1 (its RoB 2
 *    overall is high, D4, in appraisal.csv), inconsistency not assessable,
 *    imprecision 0 (CI above +1.5, 82 >= OIS 40): moderate.  It is the only
 *    comparison with usual care, and one trial is fewer than the 2 studies
 *    criteria 2 to 4 rest on (min_studies_conclusions), so criterion 4
 *    cannot be determined, with this trial as what it looked at.
 *  - Firanescu 2018 (VERTOS IV) new fractures against sham, 15 of 91 and 19
 *    of 89 (Firanescu 2019): RR = (15/91) / (19/89) = 0.772123, var(log RR)
 *    = 1/15 - 1/91 + 1/19 - 1/89 = 0.0970733, CI exp(log RR -/+ 1.959964 x
 *    0.311566) = 0.419258 to 1.421974.
 *  - VERTOS IV at 12 months against sham, in the pooled 6-to-12-month
 *    analysis (BMJ abstract: "0.45 (-0.37 to 1.24) at 12 months"): its row
 *    shows the CI as printed, -0.37 to 1.24, not the Wald interval of the
 *    SE it implies, 0.45 -/+ 1.959964 x 1.61 / 3.919928 = -0.355 to 1.255.
 *  - Kallmes 2009 serious adverse events, 1 of 68 and 1 of 63: RR 63/68 =
 *    0.926471, var = 1 - 1/68 + 1 - 1/63 = 1.969421, CI 0.0591955 to
 *    14.500213.
 */
static void test_vertebroplasty_one_trial(void **state)
{
    (void)state;
    evs_review *rv;
    evs_evidence *ev;
    evs_problems p;
    evs_problems_init(&p);
    assert_int_equal(evs_review_load(evs_fixture_path("../../data/vertebroplasty"), &rv, &ev, &p),
                     EVS_OK);
    evs_problems_free(&p);
    evs_error err;
    evs_error_clear(&err);
    evs_synthesis *s = evs_synthesize(rv, ev, &err);
    assert_non_null(s);
    const evs_analysis *u = find(s, "pain_usual_care", evs_review_find_window(rv, "w1"));
    assert_true(u->one_trial);
    assert_close(u->estimate, 3.1, 1e-12, 0);
    assert_close(u->ci_lb, 2.28, 1e-12, 0);
    assert_close(u->ci_ub, 3.72, 1e-12, 0);
    assert_close(u->one_vi, 0.367354 * 0.367354, 1e-5, 0);
    assert_int_equal(u->grade.domain[EVS_GRADE_RISK_OF_BIAS].levels, 1);
    assert_int_equal(u->grade.domain[EVS_GRADE_IMPRECISION].levels, 0);
    assert_close(u->grade.in.ois.n, 40, 0, 0);
    assert_int_equal(u->grade.certainty, EVS_CERTAINTY_MODERATE);
    /* one trial against usual care: criterion 4 cannot rest on it (criteria.h) */
    expect_criterion(s, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_ALTERNATIVE_TOO_FEW);
    assert_int_equal(s->criteria.criterion[3].basis.index, (size_t)(u - s->analyses));
    const evs_analysis *w3 = find(s, "pain_sham", evs_review_find_window(rv, "w3"));
    assert_non_null(w3->meta);
    size_t vertos = w3->meta->k;
    for (size_t m = 0; m < w3->meta->k; m++)
        if (strcmp(evs_analysis_row_label(s, w3, m), "Firanescu 2018 (VERTOS IV)") == 0)
            vertos = m;
    assert_true(vertos < w3->meta->k);
    double e, lb, ub;
    evs_analysis_row_ci(s, w3, vertos, &e, &lb, &ub);
    assert_close(e, 0.45, 1e-12, 0);
    assert_close(lb, -0.37, 1e-12, 0);
    assert_close(ub, 1.24, 1e-12, 0);
    const evs_analysis *f = find(s, "fracture_sham", EVS_WINDOW_ALL);
    assert_true(f->one_trial);
    assert_close(f->estimate, 0.772123, 0, 5e-7);
    assert_close(f->ci_lb, 0.419258, 0, 5e-7);
    assert_close(f->ci_ub, 1.421974, 0, 5e-7);
    const evs_analysis *sae = find(s, "sae_sham", EVS_WINDOW_ALL);
    assert_true(sae->one_trial);
    assert_close(sae->estimate, 63.0 / 68, 1e-12, 0);
    assert_close(sae->ci_lb, 0.0591955, 0, 5e-7);
    assert_close(sae->ci_ub, 14.500213, 0, 5e-6);
    /* The comparison with Cochrane 2018 names the ratio it shows, with its trial. */
    evs_buf md;
    render_markdown(s, &md);
    assert_non_null(strstr(md.data, "Any time: RR 0.77 (0.42 to 1.42), very low (1 trial, "
                                    "Firanescu 2018 (VERTOS IV))"));
    assert_non_null(strstr(md.data, "Up to 6 weeks: 3.10 (2.28 to 3.72), moderate (1 trial, "
                                    "Farrokhi 2011)"));
    evs_buf_free(&md);
    evs_synthesis_free(s);
    evs_review_free(rv);
    evs_evidence_free(ev);
}

/*
 * The same trials with a clear benefit: MD 2.49 (1.99 to 2.99) > 1.5, high
 * by the same reasoning (CI above +1.5, OIS met).  TEC 3 met; 4 still cannot
 * be determined (sham only); 5 met from 4 studies >= 3 with a PI (= CI,
 * tau2 0) above no effect, judged from trial settings only (no setting in
 * studies.csv).  Investigational because of 4 alone.
 */
static void test_sham_benefit(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("sham_benefit", &l);
    evs_review_fixture_synthesize(&l);
    check_reference(l.s, "sham_benefit");
    const evs_analysis *p = find(l.s, "pain_vs_control", evs_review_find_window(l.rv, "mid"));
    assert_int_equal(p->grade.certainty, EVS_CERTAINTY_HIGH);
    assert_int_equal(p->grade.effect, EVS_EFFECT_BENEFIT);
    expect_criterion(l.s, 1, EVS_VERDICT_MET, EVS_CRIT_CERTAINTY_REACHED);
    expect_criterion(l.s, 2, EVS_VERDICT_MET, EVS_CRIT_BENEFIT);
    expect_criterion(l.s, 3, EVS_VERDICT_UNDETERMINED, EVS_CRIT_NO_ESTABLISHED);
    expect_criterion(l.s, 4, EVS_VERDICT_MET, EVS_CRIT_ATTAINABLE_TRIALS);
    assert_true(l.s->criteria.investigational);
    char text[1024];
    statement_of(l.s, p, text, sizeof text);
    assert_string_equal(text, "Fictional augmentation results in a reduction in pain (1 to 6 "
                              "months) compared with sham procedure");
    assert_string_equal(text_of(l.s, conclusion_text),
                        "Fictional augmentation is investigational: criterion 4 cannot be "
                        "determined with the current evidence.");
    evs_review_fixture_free(&l);
}

/*
 * The same benefit against usual care, an established alternative, two of
 * the four trials in community hospitals (usual practice): all five met,
 * not investigational.  Responders, RR 1.86 (1.48 to 2.33) at a control
 * risk of 71/252 = 28.2%: 241 more per 1,000 (134 to 376 more), all beyond
 * the MCID of 5 points (50 per 1,000); but 504 participants are below half
 * the OIS of 2 x 587 (28.2% against 21.1%): -2, low (GRADE 34: a large
 * effect from a small sample).
 */
static void test_established(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("established", &l);
    evs_review_fixture_synthesize(&l);
    check_reference(l.s, "established");
    check_absolute(l.s, "established");
    for (int i = 0; i < EVS_CRITERIA; i++)
        assert_int_equal(l.s->criteria.criterion[i].verdict, EVS_VERDICT_MET);
    expect_criterion(l.s, 3, EVS_VERDICT_MET, EVS_CRIT_AS_BENEFICIAL);
    expect_criterion(l.s, 4, EVS_VERDICT_MET, EVS_CRIT_ATTAINABLE);
    assert_int_equal(l.s->criteria.criterion[4].basis.k_usual, 2);
    assert_false(l.s->criteria.investigational);
    const evs_analysis *r = find(l.s, "responder", EVS_WINDOW_ALL);
    assert_int_equal(r->grade.effect, EVS_EFFECT_BENEFIT);
    assert_int_equal(r->grade.domain[EVS_GRADE_IMPRECISION].levels, 2);
    assert_close(r->grade.in.ois.n, 1174, 0, 0);
    assert_int_equal(r->grade.certainty, EVS_CERTAINTY_LOW);
    char text[1024];
    statement_of(l.s, r, text, sizeof text);
    assert_string_equal(text, "Fictional augmentation may result in an increase in responders "
                              "compared with usual care");
    evs_review_fixture_free(&l);
}

/*
 * The absolute effects of the other measures of events, and at an assumed
 * control risk, on the responders of established/ (ai = 20, 34, 31, 47 of
 * 38, 64, 60, 90; ci = 10, 18, 17, 26 of 40, 62, 60, 90: control risk
 * 71/252 = 28.17%), each against metafor (absolute.csv, gen_reference.R).
 * The per-1,000 arithmetic of GRADE 12 by hand, from metafor's pooled value:
 *   OR 2.8015 (1.9361 to 4.0538): control odds 71/181 = 0.39227; times the
 *     OR 1.09894, risk 1.09894/2.09894 = 0.52357: 524 per 1,000, 242 more;
 *     the bounds 0.75945 -> 0.43164 (432, 150 more) and 1.59017 -> 0.61393
 *     (614, 332 more).
 *   RD 24.21 (15.91 to 32.51) percentage points: 281.7 + 242.1 = 524 per
 *     1,000, 242 more (159 to 325 more): the RD itself.
 *   RR 1.8560 (1.4753 to 2.3350) at review.ini's control_risk = 20: 200 x
 *     1.8560 = 371 per 1,000, 171 more; 200 x 1.4753 = 295 (95 more) to
 *     200 x 2.3350 = 467 (267 more).
 */
static void test_absolute_measures(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        evs_measure measure;
        double control_risk;
        double diff, diff_lb, diff_ub; /* per 1,000, by hand above */
    } cases[] = {
        {"established+OR", EVS_MEASURE_OR, NAN, 242, 150, 332},
        {"established+RD", EVS_MEASURE_RD, NAN, 242, 159, 325},
        {"established+RR20", EVS_MEASURE_RR, 20, 171, 95, 267},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        loaded l;
        evs_review_fixture_load("established", &l);
        size_t k = 0;
        while (strcmp(l.rv->outcomes[k].id, "responder") != 0)
            k++;
        l.rv->outcomes[k].measure = cases[c].measure;
        l.rv->outcomes[k].control_risk = cases[c].control_risk;
        evs_review_fixture_synthesize(&l);
        assert_int_equal(check_reference_rows(l.s, cases[c].name), 1);
        check_absolute(l.s, cases[c].name);
        const evs_analysis *r = find(l.s, "responder", EVS_WINDOW_ALL);
        assert_close(floor(r->diff + 0.5), cases[c].diff, 0, 0);
        assert_close(floor(r->diff_lb + 0.5), cases[c].diff_lb, 0, 0);
        assert_close(floor(r->diff_ub + 0.5), cases[c].diff_ub, 0, 0);
        assert_int_equal(r->control_risk_set, !isnan(cases[c].control_risk));
        evs_review_fixture_free(&l);
    }
}

/*
 * summary_of_findings.csv of a comparison of events: the ratio scale and the
 * absolute effects per 1,000 in their own columns, with metafor's numbers
 * (absolute.csv, responders of established/: control risk 71/252 =
 * 28.17460317%, 522.9337306 per 1,000 with the intervention, 241.1876989
 * more), at the CSV's 10 significant digits; empty for a difference of
 * means.
 */
static void test_findings_csv(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("established", &l);
    evs_review_fixture_synthesize(&l);
    evs_buf b;
    evs_buf_init(&b);
    evs_report_csv_findings(l.s, &b);
    assert_false(b.failed);
    assert_non_null(strstr(b.data, ",certainty,not_pooled,control_risk,risk_per_1000,"
                                   "risk_per_1000_lb,risk_per_1000_ub,difference_per_1000,"
                                   "difference_per_1000_lb,difference_per_1000_ub\r\n"));
    const char *r = strstr(b.data, "\"responder.all\"");
    assert_non_null(r);
    /* k = 4 rows from 4 studies (the trials alpha, beta, gamma, delta), 504 participants. */
    assert_non_null(strstr(r, "\"RR\",\"REML\",\"z\",\"ratio\",4,4,504,"));
    assert_non_null(strstr(r, ",28.17460317,522.9337306,415.6722698,657.8732971,241.1876989,"
                              "133.9262381,376.1272653\r\n"));
    const char *p = strstr(b.data, "\"pain_vs_control.mid\"");
    assert_non_null(p);
    assert_non_null(strstr(p, "\"high\",\"\",,,,,,,\r\n"));
    evs_buf_free(&b);
    evs_review_fixture_free(&l);
}

static void test_randomised(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("randomised", &l);
    evs_review_fixture_synthesize(&l);
    check_reference(l.s, "randomised");
    const evs_analysis *d = find(l.s, "pain_vs_control", 0);
    /* Hand-rated: randomised only, I2 = 0, PI 2.67-3.41 clear of MCID 2,
     * 420 >= 300 participants, CI clear of the MCID, k = 4 < 10: high. */
    assert_int_equal(d->grade.certainty, EVS_CERTAINTY_HIGH);
    for (int i = 0; i < EVS_CRITERIA; i++)
        assert_int_equal(l.s->criteria.criterion[i].verdict, EVS_VERDICT_MET);
    assert_false(l.s->criteria.investigational);
    evs_review_fixture_free(&l);
}

/*
 * Between-arm differences as the trials report them (dataset.h): a2018's MD
 * with its 95% CI is used although its arms report means too, b2019's MD
 * with its SE, c2020 from its arms; pooled from yi and vi against
 * rma(yi, vi) (reference.csv).  Worked by hand: a2018's vi =
 * (2.0 / (2 * 1.959964))^2 = 0.5102135^2 = 0.260318, b2019's 0.4^2 = 0.16, c2020's yi =
 * 6.0 - 5.1 = 0.9 with vi = 4/45 + 4.41/45 = 0.186889.
 */
static void test_reported_differences(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("reported", &l);
    evs_review_fixture_synthesize(&l);
    assert_true(check_reference_rows(l.s, "reported") >= 1);
    const evs_analysis *a = find(l.s, "pain_vs_sham", 0);
    assert_int_equal(a->ds->nrows, 3);
    size_t reported = 0;
    for (size_t i = 0; i < a->ds->nrows; i++) {
        const evs_dataset_row *row = &a->ds->rows[i];
        const char *id = l.ev->studies[row->study].id;
        if (strcmp(id, "a2018") == 0) {
            assert_true(row->conv & EVS_CONV_REPORTED);
            assert_close_ctx(row->yi, 0.8, 1e-12, 0, id);
            assert_close_ctx(row->vi, 0.260318, 1e-5, 0, id);
            assert_close_ctx(row->n1 + row->n2, 100, 0, 0, id);
        } else if (strcmp(id, "b2019") == 0) {
            assert_true(row->conv & EVS_CONV_REPORTED);
            assert_close_ctx(row->vi, 0.16, 1e-12, 0, id);
        } else {
            assert_false(row->conv & EVS_CONV_REPORTED);
            assert_close_ctx(row->m1 - row->m2, 0.9, 1e-12, 0, id);
        }
        reported += (row->conv & EVS_CONV_REPORTED) != 0;
    }
    assert_int_equal(reported, 2);
    assert_int_equal(evs_dataset_measure(a->ds, l.rv), EVS_MEASURE_GEN);
    assert_close_ctx(a->meta->v[0] + a->meta->v[1] + a->meta->v[2],
                     0.260318 + 0.16 + 0.186889, 1e-5, 0, "sum of vi");
    evs_review_fixture_free(&l);

    /* A reported difference without its CI or SE is left out, with why. */
    evs_review_fixture_load("reported", &l);
    for (size_t i = 0; i < l.ev->nobs; i++)
        if (strcmp(l.ev->obs[i].outcome, "pain_difference") == 0 &&
            strcmp(l.ev->studies[l.ev->obs[i].study].id, "b2019") == 0)
            l.ev->obs[i].v[EVS_OBS_SE] = NAN;
    evs_review_fixture_synthesize(&l);
    a = find(l.s, "pain_vs_sham", 0);
    assert_int_equal(a->ds->nrows, 2);
    bool said = false;
    for (size_t i = 0; i < a->ds->nexcl; i++)
        said = said || strstr(a->ds->excl[i].reason, "without its 95% CI or SE") != NULL;
    assert_true(said);
    evs_review_fixture_free(&l);
}

/* Each criterion's rule the other way round, on variants of the randomised review. */
static void test_criteria_flip(void **state)
{
    (void)state;
    loaded l;

    /* 1: not approved. */
    evs_review_fixture_load("randomised", &l);
    l.rv->regulatory_approved = false;
    evs_review_fixture_synthesize(&l);
    assert_int_equal(l.s->criteria.criterion[0].verdict, EVS_VERDICT_NOT_MET);
    assert_int_equal(l.s->criteria.criterion[1].verdict, EVS_VERDICT_MET);
    assert_true(l.s->criteria.investigational);
    evs_review_fixture_free(&l);

    /* 2: demand more certainty than high is impossible; demand the comparison
     * be rated down by a reviewer instead (imprecision -2: high -> low). */
    evs_review_fixture_load("randomised", &l);
    long o = evs_review_find_outcome(l.rv, "pain_vs_control");
    char why[] = "test: wide clinical uncertainty";
    l.rv->outcomes[o].grade[EVS_GRADE_IMPRECISION] = (evs_grade_override){.levels = 2, .reason = why};
    evs_review_fixture_synthesize(&l);
    assert_int_equal(l.s->criteria.criterion[1].verdict, EVS_VERDICT_NOT_MET);
    for (int i = 2; i < 5; i++)
        assert_int_equal(l.s->criteria.criterion[i].verdict, EVS_VERDICT_UNDETERMINED);
    l.rv->outcomes[o].grade[EVS_GRADE_IMPRECISION].reason = NULL; /* not owned */
    evs_review_fixture_free(&l);

    /* 3: an MCID above the CI (3.04, CI 2.67 to 3.41; MCID 3.5): benefit not shown,
     * so 3 is not met and 5 cannot be determined; 4 (no worse by 3.5) is met. */
    evs_review_fixture_load("randomised", &l);
    o = evs_review_find_outcome(l.rv, "pain_vs_control");
    l.rv->outcomes[o].mcid = 3.5;
    evs_review_fixture_synthesize(&l);
    assert_int_equal(l.s->criteria.criterion[2].verdict, EVS_VERDICT_NOT_MET);
    assert_int_equal(l.s->criteria.criterion[3].verdict, EVS_VERDICT_MET);
    assert_int_equal(l.s->criteria.criterion[4].verdict, EVS_VERDICT_UNDETERMINED);
    evs_review_fixture_free(&l);

    /* 3: a harm above its threshold (leakage 2.3% > 1%): for the committee. */
    evs_review_fixture_load("randomised", &l);
    l.rv->outcomes[evs_review_find_outcome(l.rv, "leakage")].mcid = 1;
    evs_review_fixture_synthesize(&l);
    assert_int_equal(l.s->criteria.criterion[2].verdict, EVS_VERDICT_UNDETERMINED);
    evs_review_fixture_free(&l);

    /* 4: the comparison reversed (intervention worse): CI below no effect. */
    evs_review_fixture_load("randomised", &l);
    for (size_t i = 0; i < l.ev->nobs; i++) {
        evs_obs *ob = &l.ev->obs[i];
        if (ob->time == EVS_TIME_WEEKS && strcmp(ob->outcome, "pain") == 0) {
            bool ctl = l.ev->studies[ob->study].arm == EVS_ARM_CONTROL;
            ob->v[EVS_OBS_MEAN] = ctl ? 3.0 : 6.0;
        }
    }
    evs_review_fixture_synthesize(&l);
    assert_int_equal(l.s->criteria.criterion[3].verdict, EVS_VERDICT_NOT_MET);
    assert_true(l.s->criteria.investigational);
    evs_review_fixture_free(&l);

    /* 5: fewer studies than min_studies (4 < 5). */
    evs_review_fixture_load("randomised", &l);
    l.rv->criteria.min_studies = 5;
    evs_review_fixture_synthesize(&l);
    assert_int_equal(l.s->criteria.criterion[2].verdict, EVS_VERDICT_MET);
    assert_int_equal(l.s->criteria.criterion[4].verdict, EVS_VERDICT_UNDETERMINED);
    evs_review_fixture_free(&l);

    /* A reviewer's verdict replaces the rule and keeps the rule's evidence. */
    evs_review_fixture_load("randomised", &l);
    char reason[] = "test: device recalled";
    l.rv->criteria.has_override[0] = true;
    l.rv->criteria.override[0] = EVS_VERDICT_NOT_MET;
    l.rv->criteria.override_reason[0] = reason;
    evs_review_fixture_synthesize(&l);
    assert_true(l.s->criteria.criterion[0].overridden);
    assert_int_equal(l.s->criteria.criterion[0].verdict, EVS_VERDICT_NOT_MET);
    assert_int_equal(l.s->criteria.criterion[0].rule_verdict, EVS_VERDICT_MET);
    assert_non_null(strstr(text_of(l.s, criterion1_text), reason));
    l.rv->criteria.override_reason[0] = NULL;
    evs_review_fixture_free(&l);
}

/* Ways out of a gnuplot string (either quote), a shell backtick, and HTML. */
static const char hostile[] = "'; system(\"touch %s\"); \"; system(\"touch %s\"); \" `touch %s` "
                              "</script><script>x</script>";

/* A cell a spreadsheet would run as a formula starts with an apostrophe. */
static void test_csv_formulas(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"=1+1", "\"'=1+1\""},       {"+1", "\"'+1\""},
        {"-cmd|' /C calc'!A0", "\"'-cmd|' /C calc'!A0\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""}, {"\t=1", "\"'\t=1\""},
        {"a \"b\"", "\"a \"\"b\"\"\""},  {"1-2", "\"1-2\""},
        {"", "\"\""},
        /* fullwidth = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20) */
        {"\xef\xbc\x9d" "SUM(A1)", "\"'\xef\xbc\x9d" "SUM(A1)\""},
        {"\xef\xbc\x8b" "1", "\"'\xef\xbc\x8b" "1\""},
        {"\xef\xbc\x8d" "1", "\"'\xef\xbc\x8d" "1\""},
        {"\xef\xbc\xa0" "SUM(A1)", "\"'\xef\xbc\xa0" "SUM(A1)\""},
        {"a\xef\xbc\x9d" "1", "\"a\xef\xbc\x9d" "1\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        evs_buf b;
        evs_buf_init(&b);
        evs_csv_field(&b, cases[i][0]);
        assert_string_equal(b.data, cases[i][1]);
        evs_buf_free(&b);
    }
}

static void test_hostile_labels(void **state)
{
    (void)state;
    char dir[] = "/tmp/evsynth-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char marker[300], label[1200];
    snprintf(marker, sizeof marker, "%s/pwned", dir);
    snprintf(label, sizeof label, hostile, marker, marker, marker);

    loaded l;
    evs_review_fixture_load("observational", &l);
    for (size_t i = 0; i < l.ev->nstudies; i++)
        l.ev->studies[i].label = i == 0 ? label : "=HYPERLINK(\"http://x\")";
    free(l.rv->outcomes[0].label);
    l.rv->outcomes[0].label = strdup(label);
    evs_review_fixture_synthesize(&l);

    evs_figure_list figs;
    assert_int_equal(evs_report_figures(l.s, &figs), EVS_OK);
    assert_true(figs.n >= 2);
    evs_buf script;
    evs_buf_init(&script);
    evs_report_plot_script(l.s, &figs, dir, &script);
    assert_false(script.failed);
    evs_error err;
    evs_error_clear(&err);
    if (evs_gnuplot_run(script.data, dir, &err) != EVS_GNUPLOT_OK)
        fail_msg("gnuplot: %s", err.message);
    struct stat st;
    assert_int_not_equal(stat(marker, &st), 0); /* nothing ran */
    char svg[400];
    snprintf(svg, sizeof svg, "%s/%s.svg", dir, figs.items[0].name);
    assert_int_equal(stat(svg, &st), 0); /* and the figures were drawn */

    /* HTML: the label is text. */
    evs_report_info info = {.version = "test", .figures = false};
    json_t *results = evs_report_json(l.s, &info);
    assert_non_null(results);
    evs_doc d;
    evs_doc_init(&d);
    evs_report_doc(l.s, &info, &figs, results, &d);
    evs_buf html, md, csv;
    evs_buf_init(&html);
    evs_buf_init(&md);
    evs_buf_init(&csv);
    evs_doc_html(&d, label, NULL, NULL, &html);
    evs_doc_markdown(&d, "f", &md);
    evs_report_csv_studies(l.s, &csv);
    assert_null(strstr(html.data, "<script>"));
    assert_null(strstr(html.data, "</script>"));
    assert_non_null(strstr(html.data, "&lt;/script&gt;"));
    assert_null(strstr(md.data, "</script>"));   /* Markdown escapes < and > */
    assert_null(strstr(csv.data, ",\"=HYPER"));  /* a formula is neutralised ... */
    assert_non_null(strstr(csv.data, ",\"'=HYPER")); /* ... with a leading apostrophe */

    evs_buf_free(&html);
    evs_buf_free(&md);
    evs_buf_free(&csv);
    evs_doc_free(&d);
    json_decref(results);
    evs_buf_free(&script);
    for (size_t i = 0; i < figs.n; i++)
        for (int e = 0; e < 2; e++) {
            char p[500];
            snprintf(p, sizeof p, "%s/%s.%s", dir, figs.items[i].name, e ? "png" : "svg");
            unlink(p);
        }
    evs_figure_list_free(&figs);
    assert_int_equal(rmdir(dir), 0);
    l.ev->studies[0].label = NULL;
    evs_review_fixture_free(&l);
}

/*
 * results.json of the compare review (test_review works the pools out by
 * hand): the first comparison is bm's 24-48 h figure against each study's
 * follow-up nearest it (s1 at 1 week, s2 at 2, s3 at 0.429; every change 4,
 * so the pool is 4); the early analysis without S1 drops one row and is
 * rerun on 2; the leak analysis has no report of an overlap group, so
 * without them it is not rerun.
 */
static void test_json_comparisons(void **state)
{
    (void)state;
    loaded l;
    evs_review_fixture_load("compare", &l);
    evs_review_fixture_synthesize(&l);
    evs_report_info info = {.version = "test", .figures = false};
    json_t *j = evs_report_json(l.s, &info);
    assert_non_null(j);
    json_t *cmp = json_object_get(j, "comparisons");
    assert_int_equal(json_array_size(cmp), 5);
    json_t *c = json_array_get(cmp, 0);
    assert_string_equal(json_string_value(json_object_get(c, "review")), "bm");
    assert_string_equal(json_string_value(json_object_get(c, "window")), "early");
    assert_string_equal(json_string_value(json_object_get(c, "follow_up")), "nearest");
    assert_false(json_is_true(json_object_get(c, "same_population_only")));
    assert_int_equal(json_integer_value(json_object_get(c, "k_studies")), 3);
    assert_close(json_number_value(json_object_get(c, "estimate")), 4, 1e-9, 0);
    json_t *st = json_object_get(c, "studies");
    assert_int_equal(json_array_size(st), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(st, 0), "study")), "s1");
    assert_close(json_number_value(json_object_get(json_array_get(st, 0), "weeks")), 1, 0, 0);
    c = json_array_get(cmp, 2); /* ba, population a only, latest follow-up */
    assert_true(json_is_true(json_object_get(c, "same_population_only")));
    assert_string_equal(json_string_value(json_object_get(c, "follow_up")), "latest");

    json_t *an = json_object_get(j, "analyses");
    json_t *named =
        json_object_get(json_object_get(json_array_get(an, 0), "sensitivity"), "named");
    assert_int_equal(json_array_size(named), 2);
    json_t *x = json_array_get(named, 0);
    assert_string_equal(json_string_value(json_object_get(x, "id")), "no_s1");
    assert_int_equal(json_integer_value(json_object_get(x, "rows_left_out")), 1);
    assert_true(json_is_true(json_object_get(x, "rerun")));
    assert_int_equal(json_integer_value(json_object_get(x, "k")), 2);
    /* The leak analysis (s1, s3, s4) without the overlap groups: unchanged. */
    named = json_object_get(json_object_get(json_array_get(an, 3), "sensitivity"), "named");
    x = json_array_get(named, 1);
    assert_string_equal(json_string_value(json_object_get(x, "id")), "no_overlap");
    assert_int_equal(json_integer_value(json_object_get(x, "rows_left_out")), 0);
    assert_false(json_is_true(json_object_get(x, "rerun")));
    assert_null(json_object_get(x, "estimate"));
    json_decref(j);
    evs_review_fixture_free(&l);
}

static bool doc_has(const evs_doc *d, const char *lead, const char *text)
{
    for (size_t i = 0; i < d->n; i++) {
        const evs_block *b = &d->blocks[i];
        if ((lead == NULL || (b->lead && strcmp(b->lead, lead) == 0)) && b->text &&
            strstr(b->text, text))
            return true;
    }
    return false;
}

static void test_diff(void **state)
{
    (void)state;
    evs_report_info info = {.version = "test"};
    loaded l;
    evs_review_fixture_load("observational", &l);
    evs_review_fixture_synthesize(&l);
    json_t *before = evs_report_json(l.s, &info);
    evs_review_fixture_free(&l);
    evs_review_fixture_load("observational", &l);
    l.ev->studies[evs_evidence_find(l.ev, "delta2018")].included = false;
    evs_review_fixture_synthesize(&l);
    json_t *after = evs_report_json(l.s, &info);
    evs_review_fixture_free(&l);
    assert_non_null(before);
    assert_non_null(after);

    evs_doc d;
    evs_doc_init(&d);
    size_t changes = evs_report_diff(before, after, NULL, 3, &d);
    /* Delta 2018 removed; pain and leakage re-pooled without it. */
    assert_int_equal(changes, 3);
    assert_true(doc_has(&d, "Removed:", "Delta 2018"));
    assert_true(doc_has(&d, "Pain (0 to 10): reduction from baseline, Up to 1 month:", "k = 3"));
    assert_true(doc_has(&d, NULL, "the conclusion stands"));
    evs_doc_free(&d);

    evs_doc_init(&d);
    assert_int_equal(evs_report_diff(before, before, NULL, 3, &d), 0);
    evs_doc_free(&d);
    json_decref(before);
    json_decref(after);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_observational), cmocka_unit_test(test_randomised),
        cmocka_unit_test(test_not_estimable_width),
        cmocka_unit_test(test_not_estimable_one_study),
        cmocka_unit_test(test_bayes_risk_difference_units),
        cmocka_unit_test(test_single_rate_in_summary),
        cmocka_unit_test(test_sham_null),     cmocka_unit_test(test_sham_benefit),
        cmocka_unit_test(test_established),
        cmocka_unit_test(test_single_established),
        cmocka_unit_test(test_vertebroplasty_one_trial),
        cmocka_unit_test(test_absolute_measures),
        cmocka_unit_test(test_findings_csv),
        cmocka_unit_test(test_reported_differences),
        cmocka_unit_test(test_criteria_flip), cmocka_unit_test(test_hostile_labels),
        cmocka_unit_test(test_diff), cmocka_unit_test(test_csv_formulas),
        cmocka_unit_test(test_json_comparisons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
