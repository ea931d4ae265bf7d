/*
 * grade.c -- certainty of evidence by explicit rules (see grade.h).
 */
#include "review/grade.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *evs_certainty_symbols(evs_certainty c)
{
    switch (c) {
    case EVS_CERTAINTY_HIGH:
        return "\u2295\u2295\u2295\u2295";
    case EVS_CERTAINTY_MODERATE:
        return "\u2295\u2295\u2295\u25EF";
    case EVS_CERTAINTY_LOW:
        return "\u2295\u2295\u25EF\u25EF";
    default:
        return "\u2295\u25EF\u25EF\u25EF";
    }
}

static double share(double part, double n)
{
    return n > 0 ? 100 * part / n : 0;
}

/* Append a formatted clause to r->reason, separated by "; ". */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void say(evs_grade_rating *r, const char *fmt, ...)
{
    size_t len = strlen(r->reason);
    if (len > 0 && len + 2 < sizeof r->reason) {
        memcpy(r->reason + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason + len, sizeof r->reason - len, fmt, ap);
    va_end(ap);
}

static bool crosses(double lb, double ub, double x)
{
    return !isnan(x) && !isnan(lb) && !isnan(ub) && lb < x && x < ub;
}

static void start_level(const evs_grade_input *in, const evs_grade_settings *s,
                        evs_grade_result *out)
{
    double rct = share(in->n_randomised, in->n), ctl = share(in->n_controlled, in->n);
    if (rct >= s->start_share) {
        out->start = EVS_CERTAINTY_HIGH;
        snprintf(out->start_reason, sizeof out->start_reason,
                 "randomised trials hold %.0f%% of the participants", rct);
    } else if (ctl >= s->start_share) {
        out->start = EVS_CERTAINTY_LOW;
        snprintf(out->start_reason, sizeof out->start_reason,
                 "observational studies with a control group hold %.0f%% of the participants",
                 ctl);
    } else {
        out->start = EVS_CERTAINTY_VERY_LOW;
        snprintf(out->start_reason, sizeof out->start_reason,
                 "studies without a control group hold %.0f%% of the participants",
                 100 - ctl);
    }
}

static void risk_of_bias(const evs_grade_input *in, const evs_grade_settings *s,
                         evs_grade_rating *r)
{
    double unc = share(in->n_uncontrolled, in->n), retro = share(in->n_retrospective, in->n);
    if (unc >= s->rob_uncontrolled_share) {
        r->levels++;
        say(r, "%.0f%% of the participants are from studies without a control group "
               "(threshold %.0f%%)%s",
            unc, s->rob_uncontrolled_share,
            in->role == EVS_ROLE_BENEFIT ? ": regression to the mean, natural healing and "
                                           "co-interventions cannot be separated from the effect"
                                         : "");
    }
    if (retro >= s->rob_retrospective_share) {
        r->levels++;
        say(r, "%.0f%% are from retrospective series (threshold %.0f%%)", retro,
            s->rob_retrospective_share);
    }
    if (r->levels == 0)
        say(r, "%.0f%% of the participants are from studies without a control group and "
               "%.0f%% from retrospective series, below the thresholds (%.0f%%, %.0f%%)",
            unc, retro, s->rob_uncontrolled_share, s->rob_retrospective_share);
}

static void inconsistency(const evs_grade_input *in, const evs_grade_settings *s,
                          evs_grade_rating *r)
{
    bool spread = in->tau2 > 0;
    bool pi_null = spread && crosses(in->pi_lb, in->pi_ub, in->null_value);
    bool pi_mcid = spread && crosses(in->pi_lb, in->pi_ub, in->mcid);
    if (in->I2 >= s->i2_very_serious && pi_null) {
        r->levels = 2;
        say(r, "I\u00b2 = %.0f%% (≥ %.0f%%) and the prediction interval (%.3g to %.3g) "
               "includes no effect",
            in->I2, s->i2_very_serious, in->pi_lb, in->pi_ub);
        return;
    }
    if (in->I2 >= s->i2_serious) {
        r->levels = 1;
        say(r, "I\u00b2 = %.0f%% (≥ %.0f%%)", in->I2, s->i2_serious);
    }
    if (pi_null || pi_mcid) {
        r->levels = 1;
        say(r, "the prediction interval (%.3g to %.3g) includes %s", in->pi_lb, in->pi_ub,
            pi_null && pi_mcid ? "no effect and the MCID"
            : pi_null          ? "no effect"
                               : "the MCID");
    }
    if (r->levels == 0) {
        if (isnan(in->pi_lb) || !spread)
            say(r, "I\u00b2 = %.0f%% (< %.0f%%)", in->I2, s->i2_serious);
        else
            say(r, "I\u00b2 = %.0f%% (< %.0f%%) and the prediction interval (%.3g to %.3g) "
                   "is on one side of the MCID",
                in->I2, s->i2_serious, in->pi_lb, in->pi_ub);
    }
}

static void indirectness(const evs_grade_input *in, const evs_grade_settings *s,
                         evs_grade_rating *r)
{
    if (in->type == EVS_OUTCOME_DIFFERENCE) {
        double direct = share(in->n_standard_of_care, in->n);
        if (direct < s->direct_share) {
            r->levels = 1;
            say(r, "only %.0f%% of the participants are in studies compared with non-surgical "
                   "care, the standard of care (threshold %.0f%%)",
                direct, s->direct_share);
        } else {
            say(r, "%.0f%% of the participants are in studies compared with non-surgical care",
                direct);
        }
    } else if (in->role == EVS_ROLE_BENEFIT) {
        r->levels = 1;
        say(r, "%s in treated patients only: no comparison with the standard of care",
            in->type == EVS_OUTCOME_CHANGE ? "change from baseline" : "a rate");
    } else {
        say(r, "rates of harm in treated patients answer the safety question directly");
    }
}

static void imprecision(const evs_grade_input *in, evs_grade_rating *r)
{
    if (in->n < in->ois) {
        r->levels++;
        say(r, "%.0f participants, fewer than the optimal information size of %.0f", in->n,
            in->ois);
    }
    bool ci_null = crosses(in->ci_lb, in->ci_ub, in->null_value);
    bool ci_mcid = crosses(in->ci_lb, in->ci_ub, in->mcid);
    if (ci_null || ci_mcid) {
        r->levels++;
        say(r, "the confidence interval (%.3g to %.3g) includes %s", in->ci_lb, in->ci_ub,
            ci_null && ci_mcid ? "no effect and the MCID"
            : ci_null          ? "no effect"
                               : "the MCID");
    }
    if (r->levels == 0)
        say(r, "%.0f participants (optimal information size %.0f) and a confidence interval "
               "(%.3g to %.3g) on one side of the MCID",
            in->n, in->ois, in->ci_lb, in->ci_ub);
}

static void publication_bias(const evs_grade_input *in, const evs_grade_settings *s,
                             evs_grade_rating *r)
{
    if ((double)in->k < s->egger_min_k || isnan(in->egger_p)) {
        r->assessable = false;
        say(r, "%zu studies, and Egger's test needs at least %.0f", in->k,
            s->egger_min_k);
        return;
    }
    if (in->egger_p < s->egger_alpha) {
        r->levels = 1;
        say(r, "Egger's test p = %.3g (< %.2g): small-study effects", in->egger_p,
            s->egger_alpha);
    } else {
        say(r, "Egger's test p = %.3g (≥ %.2g)", in->egger_p, s->egger_alpha);
    }
}

void evs_grade_rate(const evs_grade_input *in, const evs_grade_settings *s,
                    const evs_grade_override *overrides, evs_grade_result *out)
{
    memset(out, 0, sizeof *out);
    start_level(in, s, out);
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++)
        out->domain[d].assessable = true;
    risk_of_bias(in, s, &out->domain[EVS_GRADE_RISK_OF_BIAS]);
    inconsistency(in, s, &out->domain[EVS_GRADE_INCONSISTENCY]);
    indirectness(in, s, &out->domain[EVS_GRADE_INDIRECTNESS]);
    imprecision(in, &out->domain[EVS_GRADE_IMPRECISION]);
    publication_bias(in, s, &out->domain[EVS_GRADE_PUBLICATION_BIAS]);

    int total = 0;
    for (int d = 0; d < EVS_GRADE_DOMAINS; d++) {
        evs_grade_rating *r = &out->domain[d];
        if (r->levels > 2)
            r->levels = 2;
        r->rule_levels = r->levels;
        if (overrides != NULL && overrides[d].levels >= 0) {
            r->overridden = true;
            r->assessable = true;
            memcpy(r->rule_reason, r->reason, sizeof r->reason);
            r->levels = overrides[d].levels;
            snprintf(r->reason, sizeof r->reason, "reviewer's judgement: %s",
                     overrides[d].reason != NULL ? overrides[d].reason : "");
        }
        total += r->levels;
    }
    int level = (int)out->start - total;
    out->certainty = level < (int)EVS_CERTAINTY_VERY_LOW ? EVS_CERTAINTY_VERY_LOW
                                                         : (evs_certainty)level;
}
