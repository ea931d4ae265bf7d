/*
 * report_csv.c -- CSV tables of `evsynth report` for spreadsheets (see
 * report.h).  Every text field is quoted; one that a spreadsheet would
 * evaluate as a formula (starting with =, +, -, @, a tab or a carriage
 * return, or a fullwidth ＝＋－＠) gets a leading apostrophe, as OWASP advises.  Numbers are
 * written unquoted, with 10 significant digits (evs_csv_number).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report_internal.h"

/*
 * Does s start as a spreadsheet formula: = + - @, a tab or a carriage
 * return, or their fullwidth forms U+FF1D U+FF0B U+FF0D U+FF20 (＝＋－＠),
 * which spreadsheets in East Asian locales read as the ASCII ones?
 */
static bool formula_start(const char *s)
{
    if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
        return true;
    static const char *const wide[] = {"\xef\xbc\x9d", "\xef\xbc\x8b", "\xef\xbc\x8d",
                                       "\xef\xbc\xa0"};
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (strncmp(s, wide[i], 3) == 0)
            return true;
    return false;
}

void evs_csv_field(evs_buf *b, const char *s)
{
    if (s == NULL)
        s = "";
    evs_buf_add(b, "\"");
    if (formula_start(s))
        evs_buf_add(b, "'");
    for (; *s; s++) {
        if (*s == '"')
            evs_buf_add(b, "\"\"");
        else if (*s == '\n' || *s == '\r')
            evs_buf_add(b, " ");
        else
            evs_buf_addn(b, s, 1);
    }
    evs_buf_add(b, "\"");
}

void evs_csv_number(evs_buf *b, double x)
{
    if (isfinite(x)) {
        char text[32];
        evs_buf_addn(b, text, (size_t)evs_format_g10(text, x));
    }
}

static void sep(evs_buf *b)
{
    evs_buf_add(b, ",");
}

void evs_report_csv_findings(const evs_synthesis *s, evs_buf *out)
{
    evs_buf_add(out, "analysis,outcome,time,measure,method,test,scale,k,studies,participants,"
                     "estimate,ci_lb,ci_ub,pi_lb,pi_ub,tau2,I2,QE_p,certainty,not_pooled,"
                     "control_risk,risk_per_1000,risk_per_1000_lb,risk_per_1000_ub,"
                     "difference_per_1000,difference_per_1000_lb,difference_per_1000_ub\r\n");
    for (size_t i = 0; i < s->nanalyses; i++) {
        const evs_analysis *a = &s->analyses[i];
        const evs_outcome_spec *o = &s->rv->outcomes[a->outcome];
        char id[200];
        evs_analysis_id(s, a, id, sizeof id);
        evs_csv_field(out, id);
        sep(out);
        evs_csv_field(out, o->label);
        sep(out);
        evs_csv_field(out, evs_dataset_window_label(s->rv, a->window));
        sep(out);
        evs_csv_field(out, evs_measure_name(o->measure));
        sep(out);
        evs_csv_field(out, evs_method_name(o->method));
        sep(out);
        evs_csv_field(out, evs_test_name(o->test));
        sep(out);
        evs_csv_field(out, a->events_comparison && !a->percent ? "ratio"
                           : a->percent                        ? "percent"
                                                               : "points");
        evs_buf_printf(out, ",%zu,%zu,", a->k, a->k_studies);
        evs_csv_number(out, a->n);
        double v[] = {a->estimate, a->ci_lb, a->ci_ub, a->pi_lb, a->pi_ub,
                      a->meta ? a->tau2 : (double)NAN, a->meta ? a->I2 : (double)NAN,
                      a->meta ? a->meta->fit.QE_p : (double)NAN};
        for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
            sep(out);
            evs_csv_number(out, v[j]);
        }
        sep(out);
        evs_csv_field(out, evs_has_result(a) ? evs_certainty_name(a->grade.certainty) : "");
        sep(out);
        evs_csv_field(out, a->not_pooled);
        /* A comparison of events: the absolute effects per 1,000 (GRADE 12);
         * the control risk in percent.  Empty otherwise. */
        bool abs = evs_has_result(a) && a->events_comparison;
        double w[] = {a->control_risk, a->risk, a->risk_lb, a->risk_ub,
                      a->diff,         a->diff_lb, a->diff_ub};
        for (size_t j = 0; j < sizeof w / sizeof w[0]; j++) {
            sep(out);
            evs_csv_number(out, abs ? w[j] : (double)NAN);
        }
        evs_buf_add(out, "\r\n");
    }
}

void evs_report_csv_studies(const evs_synthesis *s, evs_buf *out)
{
    evs_buf_add(out, "analysis,study,label,year,design,n,weeks,yi,vi,weight,effect,effect_ci_lb,"
                     "effect_ci_ub,conversions\r\n");
    for (size_t i = 0; i < s->nanalyses; i++) {
        const evs_analysis *a = &s->analyses[i];
        if (a->meta == NULL)
            continue;
        char id[200];
        evs_analysis_id(s, a, id, sizeof id);
        for (size_t m = 0; m < a->meta->k; m++) {
            const evs_dataset_row *row = &a->ds->rows[a->meta->included[m]];
            const evs_study *st = &s->ev->studies[row->study];
            evs_csv_field(out, id);
            sep(out);
            evs_csv_field(out, st->id);
            sep(out);
            evs_csv_field(out, st->label);
            sep(out);
            if (st->year > 0)
                evs_buf_printf(out, "%d", st->year);
            sep(out);
            evs_csv_field(out,
                          evs_review_class(s->rv, EVS_VOCAB_DESIGN, s->ev->studies[evs_evidence_root(s->ev, row->study)].design)->id);
            double e, lb, ub;
            evs_analysis_row_ci(s, a, m, &e, &lb, &ub);
            double v[] = {row->n, row->weeks,          a->meta->y[m], a->meta->v[m],
                          a->meta->weights[m], e, lb, ub};
            for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
                sep(out);
                evs_csv_number(out, v[j]);
            }
            sep(out);
            char conv[600] = "";
            size_t len = 0;
            for (unsigned b = 0; b < EVS_CONV_COUNT_; b++)
                if (row->conv & (1u << b)) {
                    int w = snprintf(conv + len, sizeof conv - len, "%s%s", len ? "; " : "",
                                     evs_conv_text(1u << b));
                    if (w > 0 && (size_t)w < sizeof conv - len)
                        len += (size_t)w;
                }
            evs_csv_field(out, conv);
            evs_buf_add(out, "\r\n");
        }
    }
}

void evs_report_csv_criteria(const evs_synthesis *s, evs_buf *out)
{
    evs_buf_add(out, "criterion,title,verdict,overridden,evidence,needed\r\n");
    evs_buf text;
    evs_buf_init(&text);
    for (int i = 0; i < EVS_CRITERIA; i++) {
        const evs_criterion *c = &s->criteria.criterion[i];
        evs_buf_printf(out, "%d,", i + 1);
        evs_csv_field(out, evs_criterion_title(i));
        sep(out);
        evs_csv_field(out, evs_verdict_name(c->verdict));
        evs_buf_add(out, c->overridden ? ",yes," : ",no,");
        evs_buf_clear(&text);
        evs_text_criterion(s, i, &text);
        evs_csv_field(out, evs_buf_str(&text));
        sep(out);
        evs_buf_clear(&text);
        evs_text_criterion_needed(s, i, &text);
        evs_csv_field(out, evs_buf_str(&text));
        evs_buf_add(out, "\r\n");
    }
    if (text.failed)
        out->failed = true;
    evs_buf_free(&text);
}
